//! Background activity: the progress ticker, the automatic job scheduler and device flaps.

use std::sync::Arc;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::task::JoinHandle;

use crate::core::{DeviceKey, SimCore, StartJob};
use crate::shapes::{self, status};

/// Spawns the engine tasks; abort the handles to stop them.
pub fn spawn(sim: Arc<SimCore>) -> Vec<JoinHandle<()>> {
    let mut tasks = vec![tokio::spawn(ticker(sim.clone()))];
    if sim.cfg.job_every_secs.is_some_and(|s| s > 0.0) {
        tasks.push(tokio::spawn(scheduler(sim.clone())));
        tasks.push(tokio::spawn(opening_scene(sim.clone())));
    }
    if sim.cfg.device_flap_every_secs.is_some_and(|s| s > 0.0) {
        tasks.push(tokio::spawn(flapper(sim)));
    }
    tasks
}

async fn ticker(sim: Arc<SimCore>) {
    let mut every = tokio::time::interval(Duration::from_millis(sim.cfg.tick_ms.max(10)));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        sim.tick();
    }
}

/// `sim_secs` simulated seconds, jittered ±33 %.
fn jittered(rng: &mut StdRng, sim_secs: f64) -> f64 {
    sim_secs * rng.random_range(0.67..1.33)
}

/// Longest wall-clock nap of `sleep_simulated`: how quickly a wait notices that the clock was
/// advanced or accelerated.
const MAX_NAP: Duration = Duration::from_millis(250);

/// Waits until `sim_secs` of simulated time have passed. The wait follows the clock as it is
/// advanced or accelerated meanwhile: an advance past the deadline ends it at once (one firing,
/// not a replay of every period skipped).
async fn sleep_simulated(sim: &SimCore, sim_secs: f64) {
    let until = sim.now_f64() + sim_secs.max(0.0);
    loop {
        let left = until - sim.now_f64();
        if left <= 0.0 {
            return;
        }
        let wall = Duration::from_secs_f64((left / sim.time_scale()).max(0.01));
        tokio::time::sleep(wall.min(MAX_NAP)).await;
    }
}

/// Outcome of a scheduled job from `SimConfig.outcome_mix` (warning %, error %, missed %).
fn pick_outcome(rng: &mut StdRng, (warn, err, missed): (u32, u32, u32)) -> u64 {
    let r = rng.random_range(0..100);
    if r < warn {
        status::FAILED_WARNING
    } else if r < warn + err {
        status::FAILED_ERROR
    } else if r < warn + err + missed {
        status::FAILED_SCHEDULEMISSED
    } else {
        status::SUCCESS
    }
}

/// The demo's first minute (simulated seconds): a warning, an error, a missed run, a job that
/// stalls for good, a retried job, a restore, and a device that drops offline and comes back —
/// so every dashboard state is visible without waiting for the random scheduler.
async fn opening_scene(sim: Arc<SimCore>) {
    let mut rng = StdRng::seed_from_u64(sim.cfg.rng_seed ^ 0x0DE0);
    let mut at = 0.0;
    let steps: [(f64, u64, Scene); 8] = [
        (2.0, status::FAILED_WARNING, Scene::Job { stall: false, retry: 0 }),
        (4.0, status::FAILED_ERROR, Scene::Job { stall: false, retry: 0 }),
        (6.0, status::FAILED_SCHEDULEMISSED, Scene::Job { stall: false, retry: 0 }),
        (8.0, status::SUCCESS, Scene::Job { stall: true, retry: 0 }),
        (12.0, status::SUCCESS, Scene::Job { stall: false, retry: 1 }),
        (16.0, status::SUCCESS, Scene::Restore),
        (20.0, 0, Scene::Offline),
        (45.0, 0, Scene::Online),
    ];
    let mut dropped: Option<(String, String)> = None;
    for (when, outcome, scene) in steps {
        sleep_simulated(&sim, when - at).await;
        at = when;
        let Some((username, device_id)) = pick_idle_online_device(&sim, &mut rng) else {
            continue;
        };
        let duration = sim.cfg.job_duration_secs.min(30.0) * rng.random_range(0.5..1.0);
        let base = StartJob {
            device_id: Some(device_id.clone()),
            duration_secs: duration,
            outcome,
            ..StartJob::new(&username, duration, outcome)
        };
        let result = match scene {
            Scene::Job { stall, retry } => sim.start_job(&StartJob { stall, retry_failures: retry, ..base }).map(drop),
            Scene::Restore => sim.start_job(&StartJob { classification: shapes::CLASSIFICATION_RESTORE, ..base }).map(drop),
            Scene::Offline => {
                dropped = Some((username.clone(), device_id.clone()));
                sim.set_online_of(Some(&username), &device_id, false)
            }
            Scene::Online => match dropped.take() {
                Some((user, id)) => sim.set_online_of(Some(&user), &id, true),
                None => Ok(()),
            },
        };
        if let Err(e) = result {
            tracing::debug!(error = %e, "opening scene step skipped");
        }
    }
}

#[derive(Clone, Copy)]
enum Scene {
    Job { stall: bool, retry: u32 },
    Restore,
    Offline,
    Online,
}

async fn scheduler(sim: Arc<SimCore>) {
    let mut rng = StdRng::seed_from_u64(sim.cfg.rng_seed ^ 0x5EED_0B5E);
    let every = sim.cfg.job_every_secs.unwrap_or(15.0);
    let mut scheduled: u32 = 0;
    loop {
        sleep_simulated(&sim, jittered(&mut rng, every)).await;
        let Some((username, device_id)) = pick_idle_online_device(&sim, &mut rng) else {
            continue;
        };
        scheduled += 1;
        let stall = sim.cfg.stall_every > 0 && scheduled.is_multiple_of(sim.cfg.stall_every);
        // About one run in twelve is a restore, so restores show up now and then.
        let restore = !stall && rng.random_range(0..12) == 0;
        let req = StartJob {
            classification: if restore { shapes::CLASSIFICATION_RESTORE } else { shapes::CLASSIFICATION_BACKUP },
            username,
            device_id: Some(device_id),
            source_id: None,
            destination_id: None,
            duration_secs: sim.cfg.job_duration_secs * rng.random_range(0.5..1.5),
            outcome: if stall { status::SUCCESS } else { pick_outcome(&mut rng, sim.cfg.outcome_mix) },
            stall,
            ..StartJob::new("", 0.0, status::SUCCESS)
        };
        if let Err(e) = sim.start_job(&req) {
            tracing::debug!(error = %e, "scheduler could not start a job");
        }
    }
}

/// An online device that owns at least one Protected Item and runs no job.
fn pick_idle_online_device(sim: &SimCore, rng: &mut StdRng) -> Option<DeviceKey> {
    let candidates: Vec<DeviceKey> = {
        let st = sim.lock();
        let busy: Vec<(&str, &str)> = st
            .jobs
            .values()
            .filter(|j| status::is_running(j.detail.status))
            .map(|j| (j.detail.username.as_str(), j.detail.device_id.as_str()))
            .collect();
        st.devices
            .iter()
            .filter(|((user, id), d)| d.live_id.is_some() && !busy.contains(&(user.as_str(), id.as_str())))
            .filter(|((user, id), _)| {
                st.users.get(user).is_some_and(|u| {
                    u.profile.get("Sources").and_then(|s| s.as_object()).is_some_and(|s| {
                        s.values().any(|src| src.get("OwnerDevice").and_then(|o| o.as_str()) == Some(id.as_str()))
                    })
                })
            })
            .map(|(key, _)| key.clone())
            .collect()
    };
    if candidates.is_empty() {
        return None;
    }
    Some(candidates[rng.random_range(0..candidates.len())].clone())
}

/// Every so often an idle device drops offline, or an offline one comes back.
async fn flapper(sim: Arc<SimCore>) {
    let mut rng = StdRng::seed_from_u64(sim.cfg.rng_seed ^ 0xF1A9);
    let every = sim.cfg.device_flap_every_secs.unwrap_or(60.0);
    loop {
        sleep_simulated(&sim, jittered(&mut rng, every)).await;
        let (offline, idle_online): (Vec<DeviceKey>, Vec<DeviceKey>) = {
            let st = sim.lock();
            let busy: Vec<(&str, &str)> = st
                .jobs
                .values()
                .filter(|j| status::is_running(j.detail.status))
                .map(|j| (j.detail.username.as_str(), j.detail.device_id.as_str()))
                .collect();
            let offline = st.devices.iter().filter(|(_, d)| d.live_id.is_none()).map(|(key, _)| key.clone()).collect();
            let idle = st
                .devices
                .iter()
                .filter(|((user, id), d)| d.live_id.is_some() && !busy.contains(&(user.as_str(), id.as_str())))
                .map(|(key, _)| key.clone())
                .collect();
            (offline, idle)
        };
        let bring_back = !offline.is_empty() && (idle_online.is_empty() || rng.random_bool(0.6));
        let (pool, online) = if bring_back { (offline, true) } else { (idle_online, false) };
        if pool.is_empty() {
            continue;
        }
        let (user, id) = &pool[rng.random_range(0..pool.len())];
        let _ = sim.set_online_of(Some(user), id, online);
    }
}
