//! Closing the gap after a (re)connect: the event stream has no replay, so whatever happened while
//! we were not listening is read back from the Admin API.

use std::collections::HashMap;

use comet::BackupJobDetail;
use tracing::info;

use crate::ingest::batch;
use crate::ingest::context::{Ingest, IngestError, Outcome};

/// How far before the cursor the window starts: Comet timestamps have one-second resolution and
/// events of one second may straddle our cursor write.
pub const SLACK_SECS: i64 = 300;

/// Where a worker with no cursor yet starts: the incidents view covers a day.
pub const FIRST_RUN_WINDOW_SECS: i64 = 24 * 3600;

#[derive(Debug, thiserror::Error)]
pub enum ReconcileError {
    #[error("Comet Admin API: {0}")]
    Comet(#[from] comet::CometError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ReconcileReport {
    pub jobs_read: usize,
    pub started: usize,
    pub ended: usize,
}

/// Jobs per reconcile transaction: bounded so a day of history does not hold one huge
/// transaction (and its locks) open.
const JOBS_PER_TRANSACTION: usize = 1000;

/// Reads the jobs that started or ended in `[since, now]` plus every incomplete job, and applies
/// each exactly as if its event had arrived (the writes are idempotent, so jobs we did see are
/// unchanged), in transactions of [`JOBS_PER_TRANSACTION`].
pub async fn reconcile_jobs(ingest: &mut Ingest, since: i64, now: i64) -> Result<ReconcileReport, ReconcileError> {
    let recent = ingest.admin.get_jobs_for_date_range(since.max(1), now).await?;
    let incomplete = ingest.admin.get_jobs_for_date_range(0, 0).await?;
    let jobs = merge_by_guid(recent.into_iter().chain(incomplete));
    let mut report = ReconcileReport { jobs_read: jobs.len(), ..Default::default() };
    // Oldest first, so the outbox tells the story in order.
    let mut jobs: Vec<_> = jobs.into_values().collect();
    jobs.sort_by_key(|j| (j.start_time, j.end_time));
    for chunk in jobs.chunks(JOBS_PER_TRANSACTION) {
        for outcome in batch::write_jobs(ingest, chunk).await?.outcomes {
            match outcome {
                Outcome::JobStarted(_) => report.started += 1,
                Outcome::JobEnded(_) => report.ended += 1,
                _ => {}
            }
        }
    }
    info!(profile = %ingest.profile, since, read = report.jobs_read, started = report.started, ended = report.ended, "reconciled jobs");
    Ok(report)
}

/// One entry per job GUID; a finished copy wins over a running one (the two reads are not atomic).
fn merge_by_guid(jobs: impl Iterator<Item = BackupJobDetail>) -> HashMap<String, BackupJobDetail> {
    let mut by_guid: HashMap<String, BackupJobDetail> = HashMap::new();
    for job in jobs {
        match by_guid.get(&job.guid) {
            Some(existing) if existing.is_finished() && !job.is_finished() => {}
            _ => {
                by_guid.insert(job.guid.clone(), job);
            }
        }
    }
    by_guid
}

#[cfg(test)]
mod tests {
    use super::*;
    use comet::JobStatus;

    fn job(guid: &str, status: u64, end: i64) -> BackupJobDetail {
        BackupJobDetail { guid: guid.into(), status: JobStatus(status), start_time: 100, end_time: end, ..Default::default() }
    }

    #[test]
    fn finished_copy_wins_whatever_the_order() {
        let a = merge_by_guid(vec![job("j", 6001, 0), job("j", 5000, 200)].into_iter());
        let b = merge_by_guid(vec![job("j", 5000, 200), job("j", 6001, 0)].into_iter());
        assert_eq!(a["j"].status, JobStatus(5000));
        assert_eq!(b["j"].status, JobStatus(5000));
        assert_eq!(a.len(), 1);
    }
}
