//! Runtime time control (`/__sim/clock`, `SimHandle::advance`/`set_time_scale`) and fleets
//! seeded from a size (`/__sim/fleet`, `SimHandle::add_fleet`), over real sockets.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use comet_sim::{FleetSize, ManualClock, Sim, SimConfig, SimHandle, StartJob};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

const SEVT_META_HELLO: i64 = 4000;
const SEVT_ACCOUNT_NEW: i64 = 4100;
const SEVT_JOB_NEW: i64 = 4200;
const SEVT_JOB_COMPLETED: i64 = 4201;
const SEVT_DEVICE_NEW: i64 = 4700;
const SEVT_DEVICE_LIVE_CONNECT: i64 = 4702;

async fn next_text(ws: &mut Ws, wait: Duration) -> Result<Option<String>> {
    loop {
        match tokio::time::timeout(wait, ws.next()).await {
            Err(_) => return Ok(None),
            Ok(None) | Ok(Some(Ok(Message::Close(_)))) => return Ok(None),
            Ok(Some(Ok(Message::Text(t)))) => return Ok(Some(t.to_string())),
            Ok(Some(Ok(_))) => continue,
            Ok(Some(Err(e))) => bail!("websocket error: {e}"),
        }
    }
}

async fn next_event(ws: &mut Ws, code: i64, wait: Duration) -> Result<Option<Value>> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let Some(text) = next_text(ws, left).await? else {
            return Ok(None);
        };
        let ev: Value = serde_json::from_str(&text)?;
        if ev["Type"] == code {
            return Ok(Some(ev));
        }
    }
}

/// Every event that arrives within `wait` of quiet.
async fn drain_events(ws: &mut Ws, wait: Duration) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    while let Some(text) = next_text(ws, wait).await? {
        out.push(serde_json::from_str(&text)?);
    }
    Ok(out)
}

async fn connected(sim: &SimHandle) -> Result<Ws> {
    let (mut ws, _) = tokio_tungstenite::connect_async(sim.ws_url()).await?;
    let creds = sim.admin_creds();
    for frame in [creds.username.as_str(), "Password", &creds.password, "", ""] {
        ws.send(Message::Text(frame.into())).await?;
    }
    let reply = next_text(&mut ws, Duration::from_secs(5)).await?;
    assert_eq!(reply.as_deref(), Some("200 OK"));
    next_event(&mut ws, SEVT_META_HELLO, Duration::from_secs(5)).await?.context("no HELLO")?;
    Ok(ws)
}

async fn control(sim: &SimHandle, path: &str, body: Value) -> Result<(u16, Value)> {
    let resp = reqwest::Client::new().post(format!("{}{}", sim.base_url(), path)).json(&body).send().await?;
    let code = resp.status().as_u16();
    Ok((code, resp.json().await?))
}

async fn get_json(sim: &SimHandle, path: &str) -> Result<Value> {
    Ok(reqwest::get(format!("{}{}", sim.base_url(), path)).await?.json().await?)
}

async fn admin_post(sim: &SimHandle, endpoint: &str, params: &[(&str, &str)]) -> Result<Value> {
    let creds = sim.admin_creds();
    let mut form: Vec<(&str, &str)> =
        vec![("Username", &creds.username), ("AuthType", "Password"), ("Password", &creds.password)];
    form.extend_from_slice(params);
    Ok(reqwest::Client::new().post(format!("{}{}", sim.base_url(), endpoint)).form(&form).send().await?.json().await?)
}

#[tokio::test]
async fn advancing_past_a_running_jobs_duration_completes_it_at_the_advanced_time() -> Result<()> {
    let sim = Sim::start(SimConfig::for_tests()).await?;
    let mut ws = connected(&sim).await?;
    let job = sim.start_job(StartJob::new("alice", 3600.0, 5000))?;
    let new = next_event(&mut ws, SEVT_JOB_NEW, Duration::from_secs(5)).await?.context("no SEVT_JOB_NEW")?;
    let start_time = new["Data"]["StartTime"].as_i64().context("StartTime")?;
    // A few ticks at normal speed: an hour-long job must not complete on its own.
    assert!(next_event(&mut ws, SEVT_JOB_COMPLETED, Duration::from_millis(400)).await?.is_none());
    sim.advance(3601.0)?;
    let done = next_event(&mut ws, SEVT_JOB_COMPLETED, Duration::from_secs(5))
        .await?
        .context("no SEVT_JOB_COMPLETED after advancing past the job's end")?;
    assert_eq!(done["ResourceID"], job.as_str());
    assert_eq!(done["Data"]["Status"], 5000);
    let end_time = done["Data"]["EndTime"].as_i64().context("EndTime")?;
    let now = sim.now();
    assert!(
        end_time >= start_time + 3601 && end_time <= now,
        "EndTime {end_time} should be the advanced clock (start {start_time}, now {now})"
    );
    assert!(done["Timestamp"].as_i64().context("Timestamp")? >= start_time + 3601);
    assert_eq!(done["Data"]["Progress"]["BytesDone"], done["Data"]["TotalSize"]);
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn clock_endpoint_advances_accelerates_and_rejects_bad_values() -> Result<()> {
    let sim = Sim::start(SimConfig::for_tests()).await?;
    let before = get_json(&sim, "/__sim/clock").await?;
    assert_eq!(before["time_scale"], 1.0);
    let t0 = before["now"].as_i64().context("now")?;

    let (code, after) = control(&sim, "/__sim/clock", json!({ "advance_secs": 86_400 })).await?;
    assert_eq!(code, 200);
    let t1 = after["now"].as_i64().context("now")?;
    assert!((t0 + 86_400..t0 + 86_410).contains(&t1), "{t0} -> {t1}");

    let (code, after) = control(&sim, "/__sim/clock", json!({ "time_scale": 100.0 })).await?;
    assert_eq!((code, after["time_scale"].as_f64()), (200, Some(100.0)));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let t2 = get_json(&sim, "/__sim/clock").await?["now"].as_i64().context("now")?;
    assert!(t2 >= t1 + 20, "at 100x, 300 ms should be >= 20 simulated s: {t1} -> {t2}");

    for bad in [
        json!({ "time_scale": 0 }),
        json!({ "time_scale": -2 }),
        json!({ "time_scale": 1e9 }),
        json!({ "advance_secs": -5 }),
        json!({ "advance_secs": "soon" }),
        json!({}),
        json!({ "time_scale": 2, "advance_secs": -1 }),
    ] {
        let (code, body) = control(&sim, "/__sim/clock", bad.clone()).await?;
        assert_eq!(code, 400, "{bad} answered {body}");
        assert!(body["error"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    }
    // The rejected combined request changed nothing.
    assert_eq!(sim.time_scale(), 100.0);
    assert!(sim.set_time_scale(0.0).is_err());
    assert!(sim.advance(-1.0).is_err());
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn time_scale_speeds_up_running_jobs() -> Result<()> {
    let sim = Sim::start(SimConfig::for_tests()).await?;
    let mut ws = connected(&sim).await?;
    sim.start_job(StartJob::new("alice", 60.0, 5000))?;
    assert!(next_event(&mut ws, SEVT_JOB_COMPLETED, Duration::from_millis(300)).await?.is_none());
    sim.set_time_scale(1000.0)?;
    let done = next_event(&mut ws, SEVT_JOB_COMPLETED, Duration::from_secs(3)).await?;
    assert!(done.is_some(), "a 60 s job at 1000x ends within a few ticks");
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn advancing_a_manual_base_clock_moves_simulated_time() -> Result<()> {
    let base = Arc::new(ManualClock::new(1_795_000_000));
    let sim = Sim::start(SimConfig { clock: base.clone(), ..SimConfig::for_tests() }).await?;
    assert_eq!(sim.now(), 1_795_000_000);
    sim.advance(10.0)?;
    base.advance(5);
    assert_eq!(sim.now(), 1_795_000_015);
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn fleet_endpoint_adds_generated_accounts_with_their_events() -> Result<()> {
    let sim = Sim::start(SimConfig::for_tests()).await?;
    let mut ws = connected(&sim).await?;
    let (code, body) = control(&sim, "/__sim/fleet", json!({ "users": 2, "devices_per_user": 3, "items_per_device": 1 })).await?;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["users"], json!(["user-001", "user-002"]));

    let events = drain_events(&mut ws, Duration::from_millis(500)).await?;
    let of = |code: i64| events.iter().filter(move |e| e["Type"] == code);
    let accounts: Vec<&Value> = of(SEVT_ACCOUNT_NEW).collect();
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[0]["ResourceID"], "user-001");
    assert_eq!(accounts[0]["Actor"], sim.admin_creds().username.as_str());
    let devices: Vec<&Value> = of(SEVT_DEVICE_NEW).collect();
    assert_eq!(devices.len(), 6);
    // Every SEVT_DEVICE_NEW names a device of the profile its account was announced with, and
    // comes after that SEVT_ACCOUNT_NEW.
    for d in &devices {
        let user = d["Actor"].as_str().context("Actor")?;
        let id = d["ResourceID"].as_str().context("ResourceID")?;
        let pos = |e: &Value| events.iter().position(|x| x == e);
        let account = accounts.iter().find(|a| a["ResourceID"] == user).context("device of an unannounced account")?;
        assert!(account["Data"]["Devices"].get(id).is_some(), "{id} not in {user}'s profile");
        assert!(pos(account) < pos(d));
        assert_eq!(d["Data"]["FriendlyName"], account["Data"]["Devices"][id]["FriendlyName"]);
    }
    assert_eq!(of(SEVT_DEVICE_LIVE_CONNECT).count(), 6, "three devices < five: all online");

    // The accounts are real: the Admin API lists them with one item per device, and they log in.
    let profile = admin_post(&sim, "/api/v1/admin/get-user-profile", &[("TargetUser", "user-002")]).await?;
    assert_eq!(profile["Devices"].as_object().map(|d| d.len()), Some(3));
    assert_eq!(profile["Sources"].as_object().map(|s| s.len()), Some(3));
    let active = admin_post(&sim, "/api/v1/admin/dispatcher/list-active", &[]).await?;
    let live_for_new = active.as_object().context("list-active map")?.values().filter(|c| c["Username"] != "alice").count();
    assert_eq!(live_for_new, 6);

    // Next request continues the numbering.
    let (_, more) = control(&sim, "/__sim/fleet", json!({ "users": 1 })).await?;
    assert_eq!(more["users"], json!(["user-003"]));

    for bad in [
        json!({ "users": 0 }),
        json!({ "users": 1, "items_per_device": 0 }),
        json!({ "users": 1, "devices_per_user": 100_000 }),
        json!({ "users": 1, "colour": "red" }),
        json!({ "users": -1 }),
    ] {
        let (code, body) = control(&sim, "/__sim/fleet", bad.clone()).await?;
        assert_eq!(code, 400, "{bad} answered {body}");
    }
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn runtime_fleets_are_deterministic_for_a_seed() -> Result<()> {
    let cfg = || SimConfig { clock: Arc::new(ManualClock::new(1_795_000_000)), ..SimConfig::for_tests() };
    let (a, b) = (Sim::start(cfg()).await?, Sim::start(cfg()).await?);
    let size = FleetSize::new(3, 2, 2);
    assert_eq!(a.add_fleet(&size)?, b.add_fleet(&size)?);
    let profile = |sim: &SimHandle| {
        let st = sim.core().lock();
        st.users.get("user-003").map(|u| u.profile.clone())
    };
    let pa = profile(&a).context("user-003 in a")?;
    assert_eq!(Some(pa.clone()), profile(&b));
    assert_eq!(pa["Devices"].as_object().map(|d| d.len()), Some(2));

    let other = Sim::start(SimConfig { rng_seed: 2, ..cfg() }).await?;
    other.add_fleet(&size)?;
    assert_ne!(Some(pa), profile(&other), "another seed gives another fleet");
    for sim in [a, b, other] {
        sim.shutdown().await;
    }
    Ok(())
}

/// Job IDs are GUIDs unique per server: two simulators started from the same configuration (the
/// two Comet Servers of one demo) hand out different job and session IDs, while a test that needs
/// a repeatable sequence can still fix `ids_seed`.
#[tokio::test]
async fn two_servers_started_alike_never_share_a_job_id() -> Result<()> {
    let cfg = || SimConfig { clock: Arc::new(ManualClock::new(1_795_000_000)), ..SimConfig::for_tests() };
    let ids = |sim: &SimHandle| -> Result<(Vec<String>, String)> {
        let jobs = (0..5).map(|_| sim.start_job(StartJob::new("alice", 0.0, 5000))).collect::<Result<Vec<_>, _>>()?;
        Ok((jobs, sim.core().start_session_of("admin", comet_sim::SessionKind::Admin)))
    };
    let (a, b) = (Sim::start(cfg()).await?, Sim::start(cfg()).await?);
    let ((jobs_a, key_a), (jobs_b, key_b)) = (ids(&a)?, ids(&b)?);
    assert!(jobs_a.iter().all(|j| !jobs_b.contains(j)), "{jobs_a:?} vs {jobs_b:?}");
    assert_ne!(key_a, key_b);

    let fixed = || SimConfig { ids_seed: Some(7), ..cfg() };
    let (c, d) = (Sim::start(fixed()).await?, Sim::start(fixed()).await?);
    assert_eq!(ids(&c)?.0, ids(&d)?.0, "a fixed ids_seed repeats the sequence");
    for sim in [a, b, c, d] {
        sim.shutdown().await;
    }
    Ok(())
}
