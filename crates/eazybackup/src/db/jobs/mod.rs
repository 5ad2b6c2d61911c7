//! The live job tables: `eb_jobs_live` (running now) and `eb_jobs_recent_24h` (finished, pruned
//! at 48 h). The worker writes them (`write`: it queues job observations in a [`JobBatch`] and
//! writes them with their `eb_events` rows in one transaction per batch, so the SSE stream never
//! announces a change that did not commit, or misses one that did); the API reads them (`read`);
//! both read rows into the named structs of `rows`. The browser's shapes are `crate::views`.

pub mod read;
pub mod rows;
pub mod write;

use crate::db::tenancy::ClientId;

pub use read::{
    Account, IncidentPage, fill_names, finished_counts, finished_counts_recounted, incidents_for_accounts, incidents_unnamed,
    owning_account, running_count, running_for_accounts, running_unnamed,
};
pub use rows::{LiveRow, RecentRow};
pub use write::{
    HOUR, JobBatch, JobEnd, JobProgress, JobStart, JobWrite, PROGRESS_PER_STATEMENT, progress_job, progress_jobs, record_job_end,
    record_job_progress, record_job_start,
};

/// Ids per `IN (…)` list.
const IDS_PER_STATEMENT: usize = 400;

/// Dashboard class of a Comet status (`comet::status`, the project's one mapping). Negative
/// codes cannot come from Comet; they map like any unknown code.
pub fn status_class(status: i64) -> &'static str {
    comet::JobStatus(u64::try_from(status).unwrap_or(u64::MAX)).class().as_str()
}

fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Legacy columns are UNSIGNED on MySQL; never hand them a negative number.
fn non_negative(v: i64) -> i64 {
    v.max(0)
}

/// The WHMCS client and service owning a Comet account (`tenancy::service_for_account`), or
/// `None` when no service does (such rows and events are stamped with no client).
pub type Owner = Option<(ClientId, i64)>;
