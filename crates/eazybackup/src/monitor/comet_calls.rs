//! The monitor's Comet calls, counted (the benchmark reports them): one bulk read of incomplete
//! jobs plus one `AdminGetJobProperties` per candidate missing from it, `AdminJobCancel`,
//! `AdminJobAbandon`, and the bounded wait for devices to confirm cancels.

use std::collections::HashMap;
use std::time::Duration;

use comet::{AdminClient, BackupJobDetail, CometError};

/// An Admin API client that counts what it is asked.
pub struct Calls<'a> {
    admin: &'a AdminClient,
    pub made: u64,
}

/// Comet's answer for one job: its detail, or why it could not be read.
pub type JobRead = Result<BackupJobDetail, CometError>;

impl<'a> Calls<'a> {
    pub fn new(admin: &'a AdminClient) -> Calls<'a> {
        Calls { admin, made: 0 }
    }

    /// Comet's view of `job_ids`: every incomplete job in one call (`AdminGetJobsForDateRange(0,
    /// 0)`, the worker's poll), then the jobs missing from it one by one (they ended, or Comet
    /// lost them). Fails as a whole only when the bulk read fails.
    pub async fn read(&mut self, job_ids: &[&str]) -> Result<HashMap<String, JobRead>, CometError> {
        self.made += 1;
        let mut incomplete: HashMap<String, BackupJobDetail> =
            self.admin.get_jobs_for_date_range(0, 0).await?.into_iter().map(|j| (j.guid.clone(), j)).collect();
        let mut out = HashMap::with_capacity(job_ids.len());
        for id in job_ids {
            let read = match incomplete.remove(*id) {
                Some(job) => Ok(job),
                None => self.properties(id).await,
            };
            out.insert((*id).to_string(), read);
        }
        Ok(out)
    }

    pub async fn properties(&mut self, job_id: &str) -> JobRead {
        self.made += 1;
        self.admin.get_job_properties(job_id).await
    }

    /// `AdminJobCancel`: a request the device confirms later (or never).
    pub async fn cancel(&mut self, username: &str, job_id: &str) -> Result<(), CometError> {
        self.made += 1;
        self.admin.job_cancel(username, job_id).await.map(drop)
    }

    /// `AdminJobAbandon`: 7007 at once, without the device.
    pub async fn abandon(&mut self, username: &str, job_id: &str) -> Result<(), CometError> {
        self.made += 1;
        self.admin.job_abandon(username, job_id).await.map(drop)
    }

    /// Waits up to `wait` for the jobs whose cancel was accepted to end, reading Comet every
    /// `poll` (one bulk call, plus one read per job that left the incomplete list). Returns the
    /// jobs that ended, by id; the rest are still running when the wait is over. A failed read
    /// only costs that round.
    pub async fn await_ends(&mut self, job_ids: &[&str], wait: Duration, poll: Duration) -> HashMap<String, BackupJobDetail> {
        let deadline = tokio::time::Instant::now() + wait;
        let mut ended = HashMap::new();
        while ended.len() < job_ids.len() && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(poll.min(deadline.saturating_duration_since(tokio::time::Instant::now()))).await;
            let waiting: Vec<&str> = job_ids.iter().copied().filter(|id| !ended.contains_key(*id)).collect();
            let Ok(reads) = self.read(&waiting).await else { continue };
            for (id, read) in reads {
                if let Ok(job) = read
                    && job.is_finished()
                {
                    ended.insert(id, job);
                }
            }
        }
        ended
    }
}
