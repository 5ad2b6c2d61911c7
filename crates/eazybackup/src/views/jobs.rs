//! Job payloads: the `job:*` outbox rows and the Pulse snapshot's running jobs, incidents and counts.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::jobs::{JobEnd, JobStart, LiveRow, Owner, RecentRow, status_class};

/// What the dashboard shows for one job (docs/architecture.md "JobView"; the `job:*` payload).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct JobView {
    pub profile: String,
    pub username: String,
    pub service_id: Option<i64>,
    pub job_id: String,
    pub device_id: String,
    pub device_name: Option<String>,
    pub item_id: String,
    pub item_name: Option<String>,
    pub vault_id: String,
    pub classification: i64,
    pub classification_label: String,
    pub status: i64,
    pub status_label: String,
    pub status_class: String,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub bytes_done: i64,
    pub total_bytes: i64,
    pub upload_bytes: i64,
    pub progress_counter: i64,
    pub last_update: i64,
}

/// A finished job needing attention, with the end of an expired snooze if there was one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Incident {
    #[serde(flatten)]
    pub job: JobView,
    pub snoozed_until: Option<i64>,
}

/// Finished jobs of these accounts since `since`, counted by class.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ClassCounts {
    pub running: i64,
    pub success: i64,
    pub warning: i64,
    pub error: i64,
    pub missed: i64,
}

fn comet_status(status: i64) -> comet::JobStatus {
    comet::JobStatus(u64::try_from(status).unwrap_or(u64::MAX))
}

fn status_label(status: i64) -> &'static str {
    comet::status_label(comet_status(status))
}

fn classification_label(classification: i64) -> &'static str {
    comet::JobClassification(u64::try_from(classification).unwrap_or(u64::MAX)).label()
}

/// The representative Comet status of a stored class, for rows the PHP implementation wrote
/// without `comet_status`.
fn status_for_class(class: &str) -> i64 {
    match class {
        "success" => 5000,
        "warning" => 7001,
        "missed" => 7004,
        _ => 7002,
    }
}

impl JobView {
    /// The `job:start` payload of a job seen starting; `now` is its `last_update`.
    pub fn started(profile: &str, username: &str, owner: Owner, job: &JobStart, now: i64) -> JobView {
        JobView {
            profile: profile.to_string(),
            username: username.to_string(),
            service_id: owner.map(|o| o.1),
            job_id: job.job_id.clone(),
            device_id: job.device_id.clone(),
            device_name: job.device_name.clone(),
            item_id: job.item_id.clone(),
            item_name: job.item_name.clone(),
            vault_id: job.vault_id.clone(),
            classification: job.classification,
            classification_label: classification_label(job.classification).into(),
            status: job.status,
            status_label: status_label(job.status).into(),
            status_class: status_class(job.status).into(),
            started_at: job.started_at,
            ended_at: None,
            bytes_done: 0,
            total_bytes: 0,
            upload_bytes: 0,
            progress_counter: 0,
            last_update: now,
        }
    }

    /// The `job:end` payload of a job seen finished with dashboard class `class`.
    pub fn ended(profile: &str, username: &str, owner: Owner, end: &JobEnd, class: &str, now: i64) -> JobView {
        JobView {
            status_class: class.into(),
            ended_at: Some(end.ended_at),
            bytes_done: end.total_bytes,
            total_bytes: end.total_bytes,
            upload_bytes: end.upload_bytes,
            ..JobView::started(profile, username, owner, &end.job, now)
        }
    }

    /// A running job as stored in `eb_jobs_live` (names not filled). `service_id` from the
    /// request's scoping wins over the one stamped at write time.
    pub fn from_live(row: LiveRow, service_id: Option<i64>) -> JobView {
        let status = row.status.unwrap_or(6001);
        let classification = row.classification.unwrap_or(0);
        JobView {
            profile: row.server_id,
            username: row.username,
            service_id: service_id.or(row.service_id),
            job_id: row.job_id,
            device_id: row.device,
            device_name: None,
            item_id: row.source_guid.unwrap_or_default(),
            item_name: None,
            vault_id: row.destination_guid.unwrap_or_default(),
            classification,
            classification_label: classification_label(classification).into(),
            status,
            status_label: status_label(status).into(),
            status_class: status_class(status).into(),
            started_at: row.started_at.unwrap_or(0),
            ended_at: None,
            bytes_done: row.bytes_done.unwrap_or(0),
            total_bytes: row.total_bytes.unwrap_or(0),
            upload_bytes: row.upload_bytes.unwrap_or(0),
            progress_counter: row.progress_counter.unwrap_or(0),
            last_update: row.last_update.unwrap_or(0),
        }
    }
}

impl Incident {
    /// A finished job as stored in `eb_jobs_recent_24h`, with its snooze (names not filled).
    /// `service_id` from the request's scoping wins over the one stamped at write time.
    pub fn from_recent(row: RecentRow, service_id: Option<i64>) -> Incident {
        let status = match row.comet_status {
            Some(s) if s != 0 => s,
            _ => status_for_class(&row.class),
        };
        let classification = row.classification.unwrap_or(0);
        let total = row.total_bytes.filter(|b| *b > 0).or(row.bytes).unwrap_or(0);
        Incident {
            job: JobView {
                profile: row.server_id,
                username: row.username,
                service_id: service_id.or(row.service_id),
                job_id: row.job_id,
                device_id: row.device,
                device_name: None,
                item_id: row.source_guid.unwrap_or_default(),
                item_name: None,
                vault_id: row.destination_guid.unwrap_or_default(),
                classification,
                classification_label: classification_label(classification).into(),
                status,
                status_label: status_label(status).into(),
                status_class: row.class,
                started_at: row.started_at.unwrap_or(0),
                ended_at: row.ended_at,
                bytes_done: total,
                total_bytes: total,
                upload_bytes: row.upload_bytes.unwrap_or(0),
                progress_counter: 0,
                last_update: row.ended_at.unwrap_or(0),
            },
            snoozed_until: row.until_ts,
        }
    }
}
