//! The bulk poll of running jobs. Real Comet sends no progress events and no event when an admin
//! cancels a job in its web UI, so every tick the worker asks once for all incomplete jobs
//! (`AdminGetJobsForDateRange(0, 0)`: one call per server, not one per job) and compares.

use std::collections::HashMap;

use comet::BackupJobDetail;

use crate::db::jobs::JobProgress;
use crate::db::live_jobs::LiveJob;

/// What one poll found to do.
#[derive(Debug, Default, PartialEq)]
pub struct PollPlan {
    /// Live jobs whose counter, bytes or status moved.
    pub progress: Vec<JobProgress>,
    /// Live in our table but no longer incomplete in Comet: they ended without an event (or
    /// the event was missed); their final state is read with `AdminGetJobProperties`.
    pub vanished: Vec<String>,
    /// Running in Comet but not in our table (a missed `SEVT_JOB_NEW`).
    pub unseen: Vec<BackupJobDetail>,
}

pub fn plan(live: &[LiveJob], incomplete: Vec<BackupJobDetail>) -> PollPlan {
    let mut running: HashMap<String, BackupJobDetail> = incomplete.into_iter().map(|j| (j.guid.clone(), j)).collect();
    let mut plan = PollPlan::default();
    for row in live {
        match running.remove(&row.job_id) {
            Some(job) => {
                let p = JobProgress::from_job(&job);
                if p.progress_counter != row.progress_counter || p.bytes_done != row.bytes_done || p.status != row.status {
                    plan.progress.push(p);
                }
            }
            None => plan.vanished.push(row.job_id.clone()),
        }
    }
    let mut unseen: Vec<_> = running.into_values().filter(|j| !j.is_finished()).collect();
    unseen.sort_by(|a, b| a.guid.cmp(&b.guid));
    plan.unseen = unseen;
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use comet::{BackupJobProgress, JobStatus};

    fn live(id: &str, counter: i64, bytes: i64) -> LiveJob {
        LiveJob {
            job_id: id.into(),
            username: "u".into(),
            status: 6001,
            progress_counter: counter,
            bytes_done: bytes,
            started_at: 1,
        }
    }

    fn running(id: &str, counter: i64, bytes: i64) -> BackupJobDetail {
        BackupJobDetail {
            guid: id.into(),
            status: JobStatus(6001),
            progress: Some(BackupJobProgress { counter, bytes_done: bytes, ..Default::default() }),
            ..Default::default()
        }
    }

    #[test]
    fn moved_jobs_report_progress_and_still_ones_do_not() {
        let plan = plan(&[live("a", 3, 100), live("b", 7, 700)], vec![running("a", 4, 150), running("b", 7, 700)]);
        assert_eq!(plan.progress.len(), 1);
        assert_eq!(
            (plan.progress[0].job_id.as_str(), plan.progress[0].progress_counter, plan.progress[0].bytes_done),
            ("a", 4, 150)
        );
        assert!(plan.vanished.is_empty() && plan.unseen.is_empty());
    }

    #[test]
    fn silent_endings_and_missed_starts_are_found() {
        let plan = plan(&[live("gone", 1, 1)], vec![running("new", 0, 0)]);
        assert_eq!(plan.vanished, vec!["gone".to_string()]);
        assert_eq!(plan.unseen.iter().map(|j| j.guid.as_str()).collect::<Vec<_>>(), vec!["new"]);
        assert!(plan.progress.is_empty());
    }
}

/// What one poll did, for the log and the tests.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PollReport {
    pub running: usize,
    pub progressed: usize,
    pub ended_silently: usize,
    pub found_running: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum PollError {
    #[error("Comet Admin API: {0}")]
    Comet(#[from] comet::CometError),
    #[error(transparent)]
    Ingest(#[from] crate::ingest::context::IngestError),
    #[error("database: {0}")]
    Db(#[from] crate::db::DbError),
}

/// One poll: one bulk read of incomplete jobs, then progress rows for jobs that moved, and the
/// final state of jobs that vanished from the incomplete list (one `AdminGetJobProperties` each:
/// rare, they are the silent endings).
pub async fn poll_once(ingest: &mut crate::ingest::context::Ingest) -> Result<PollReport, PollError> {
    use crate::db::{events, jobs, live_jobs};
    let incomplete = ingest.admin.get_jobs_for_date_range(0, 0).await?;
    let running = incomplete.len();
    let live = live_jobs::live_jobs(&ingest.db, &ingest.profile).await?;
    let plan = plan(&live, incomplete);

    let mut report = PollReport { running, progressed: plan.progress.len(), ..Default::default() };
    if !plan.progress.is_empty() {
        let now = chrono::Utc::now().timestamp();
        let mut tx = events::begin(&ingest.db).await?;
        jobs::progress_jobs(&mut tx, &ingest.profile, &plan.progress, now).await?;
        tx.commit().await?;
    }

    let mut settled = plan.unseen;
    report.found_running = settled.len();
    for job_id in &plan.vanished {
        match ingest.admin.get_job_properties(job_id).await {
            Ok(job) => {
                if job.is_finished() {
                    report.ended_silently += 1;
                }
                settled.push(job);
            }
            // A job Comet no longer knows cannot be finalised from here; the monitor deals with
            // rows that stay stale.
            Err(e) => tracing::warn!(profile = %ingest.profile, job_id, error = %e, "cannot read a vanished job's final state"),
        }
    }
    if !settled.is_empty() {
        crate::ingest::batch::write_jobs(ingest, &settled).await?;
    }
    Ok(report)
}

/// The truth about online state: connect/disconnect events give latency, but one can be missed
/// (a gap, a restart), so every few polls the live connections are listed in bulk and our
/// `online` flags corrected. Returns how many devices changed.
pub async fn confirm_online(ingest: &mut crate::ingest::context::Ingest) -> Result<usize, PollError> {
    use crate::db::{devices, events, timestamp::DbTime};
    let connections = ingest.admin.dispatcher_list_active(None).await?;
    // (DeviceID, username): one machine may be registered (and connected) in several accounts.
    let connected: std::collections::HashSet<(String, String)> =
        connections.values().map(crate::comet_rows::connected_registration).collect();
    let now = DbTime::now();
    let mut tx = events::begin(&ingest.db).await?;
    let marked: std::collections::HashSet<(String, String)> =
        devices::online_ids(&mut tx, &ingest.profile).await?.into_iter().collect();
    let went_offline: Vec<&(String, String)> = marked.difference(&connected).collect();
    let came_online: Vec<&(String, String)> = connected.difference(&marked).collect();
    if went_offline.is_empty() && came_online.is_empty() {
        return Ok(0);
    }
    // Owners are cached outside the transaction's hot path; a refresh is one query.
    tx.commit().await?;
    let users: Vec<&str> = went_offline.iter().chain(came_online.iter()).map(|(_, u)| u.as_str()).collect();
    ingest.owners.refresh_for(&ingest.db, users.iter().copied()).await?;
    let mut tx = events::begin(&ingest.db).await?;
    let mut announced = Vec::new();
    for (online, list) in [(false, &went_offline), (true, &came_online)] {
        for (device_id, username) in list.iter() {
            let owner = crate::db::users::Owner::from(ingest.owners.get(username));
            announced.extend(
                devices::set_online(&mut tx, &ingest.profile, &owner, username, device_id, online, now.unix(), now).await?,
            );
        }
    }
    let changed = announced.len();
    crate::ingest::outbox::write(&mut tx, &announced, None).await?;
    tx.commit().await?;
    Ok(changed)
}
