//! Job rows from a `BackupJobDetail` (a job event's Data, a reconcile read, the running-jobs
//! poll): the live tables' start/end/progress and the durable `comet_jobs` history row.

use comet::BackupJobDetail;

use crate::db::DbError;
use crate::db::job_history::JobHistoryRow;
use crate::db::jobs::{JobEnd, JobProgress, JobStart};

impl JobStart {
    /// A job seen running; the names are the device's and the item's as its account's profile
    /// gave them (`None` when unknown).
    pub fn from_job(job: &BackupJobDetail, device_name: Option<String>, item_name: Option<String>) -> JobStart {
        JobStart {
            job_id: job.guid.clone(),
            username: job.username.clone(),
            device_id: job.device_id.clone(),
            device_name,
            item_id: job.source_guid.clone(),
            item_name,
            vault_id: job.destination_guid.clone(),
            classification: job.classification.0 as i64,
            status: job.status.0 as i64,
            started_at: job.start_time,
        }
    }
}

impl JobEnd {
    /// A job seen finished; a job without an end time ended when it started (never 1970).
    pub fn from_job(job: &BackupJobDetail, device_name: Option<String>, item_name: Option<String>) -> JobEnd {
        JobEnd {
            job: JobStart::from_job(job, device_name, item_name),
            ended_at: if job.end_time > 0 { job.end_time } else { job.start_time },
            total_bytes: job.total_size,
            upload_bytes: job.upload_size,
        }
    }
}

impl JobProgress {
    /// Where a running job is now (negative figures read as 0).
    pub fn from_job(job: &BackupJobDetail) -> JobProgress {
        let progress = job.progress.clone().unwrap_or_default();
        JobProgress {
            job_id: job.guid.clone(),
            status: job.status.0 as i64,
            bytes_done: progress.bytes_done.max(0),
            total_bytes: job.total_size.max(0),
            upload_bytes: job.upload_size.max(0),
            progress_counter: progress.counter.max(0),
        }
    }
}

impl JobHistoryRow {
    /// One sighting of a job (running or finished). `content` is the job as Comet sent it: jobs
    /// carry no secrets.
    pub fn from_job(job: &BackupJobDetail) -> Result<JobHistoryRow, DbError> {
        Ok(JobHistoryRow {
            job_id: job.guid.clone(),
            username: job.username.clone(),
            device_id: job.device_id.clone(),
            item_id: job.source_guid.clone(),
            vault_id: job.destination_guid.clone(),
            classification: job.classification.0,
            status: job.status.0,
            finished: job.is_finished(),
            snapshot_id: job.snapshot_id.clone(),
            cancellation_id: job.cancellation_id.clone(),
            total_bytes: job.total_size,
            total_files: job.total_files,
            total_directories: job.total_directories,
            upload_bytes: job.upload_size,
            download_bytes: job.download_size,
            total_accounts: job.total_accounts_count,
            started_at: job.start_time,
            ended_at: job.end_time,
            content: serde_json::to_string(job).map_err(|e| DbError::Sql(sqlx::Error::Encode(Box::new(e))))?,
        })
    }
}
