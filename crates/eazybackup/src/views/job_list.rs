//! The Jobs tab's shapes: a page of the job list, one job's detail, its log and a cancel answer.
//! Status classes and labels come from `comet::status` (the dashboard's one mapping) and
//! classification labels from `comet::classification`; the browser never re-lists them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::job_list::{ListedJob, LiveProgress, Named, STATUS_CLASSES};
use crate::db::jobs::status_class;

/// One job of the list (and of the detail).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct JobRow {
    pub job_id: String,
    /// Comet DeviceID (empty when the device is no longer known).
    pub device_id: String,
    pub device_name: Option<String>,
    pub item_id: String,
    pub item_name: Option<String>,
    pub vault_id: String,
    pub vault_name: Option<String>,
    pub classification: i64,
    pub classification_label: String,
    /// Exact Comet status code.
    pub status: i64,
    pub status_label: String,
    /// `success`, `running`, `warning`, `error` or `missed` (the dashboard's classes).
    pub status_class: String,
    /// Unix seconds (UTC).
    pub started_at: i64,
    /// Unix seconds; `null` while running.
    pub ended_at: Option<i64>,
    /// Seconds from start to end (to now while running).
    pub duration_secs: i64,
    pub total_bytes: i64,
    pub total_files: i64,
    pub total_directories: i64,
    pub upload_bytes: i64,
    pub download_bytes: i64,
    /// Average bytes per second over the job (`null` without a duration).
    pub speed_bytes_per_sec: Option<i64>,
    /// Live progress while running: bytes done so far.
    pub bytes_done: Option<i64>,
    /// Live progress while running: the device's heartbeat counter.
    pub progress_counter: Option<i64>,
    /// Live progress while running: unix seconds of the last report.
    pub last_update: Option<i64>,
}

pub fn status_label(status: i64) -> &'static str {
    comet::status_label(comet::JobStatus(u64::try_from(status).unwrap_or(u64::MAX)))
}

pub fn classification_label(classification: i64) -> &'static str {
    comet::JobClassification(u64::try_from(classification).unwrap_or(u64::MAX)).label()
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

impl JobRow {
    /// A listed row; `now` measures a running job's duration so far.
    pub fn from_listed(j: ListedJob, now: i64) -> JobRow {
        let end = j.ended_at.filter(|_| status_class(j.status) != "running").unwrap_or(now);
        let duration_secs = (end - j.started_at).max(0);
        let moved = if j.classification == 4002 { j.download_bytes.max(j.total_bytes) } else { j.total_bytes };
        JobRow {
            job_id: j.job_id,
            device_id: j.device_id.unwrap_or_default(),
            device_name: non_empty(j.device_name),
            item_id: j.item_id,
            item_name: non_empty(j.item_name),
            vault_id: j.vault_id,
            vault_name: non_empty(j.vault_name),
            classification: j.classification,
            classification_label: classification_label(j.classification).into(),
            status: j.status,
            status_label: status_label(j.status).into(),
            status_class: status_class(j.status).into(),
            started_at: j.started_at,
            ended_at: j.ended_at.filter(|_| status_class(j.status) != "running"),
            duration_secs,
            total_bytes: j.total_bytes,
            total_files: j.total_files,
            total_directories: j.total_directories,
            upload_bytes: j.upload_bytes,
            download_bytes: j.download_bytes,
            speed_bytes_per_sec: (duration_secs > 0).then(|| moved / duration_secs),
            bytes_done: None,
            progress_counter: None,
            last_update: None,
        }
    }

    /// Overlays the live table's progress (running jobs only).
    pub fn with_progress(mut self, p: &LiveProgress) -> JobRow {
        self.bytes_done = Some(p.bytes_done);
        self.progress_counter = Some(p.progress_counter);
        self.last_update = Some(p.last_update);
        if self.duration_secs > 0 {
            self.speed_bytes_per_sec = Some(p.bytes_done / self.duration_secs);
        }
        self
    }

    /// A job Comet describes (not, or not yet, in our history), with its live progress.
    pub fn from_comet(d: &comet::BackupJobDetail, now: i64) -> JobRow {
        let running = d.status.is_running();
        let listed = ListedJob {
            job_id: d.guid.clone(),
            device_id: Some(d.device_id.clone()),
            device_name: None,
            item_id: d.source_guid.clone(),
            item_name: None,
            vault_id: d.destination_guid.clone(),
            vault_name: None,
            classification: i64::try_from(d.classification.0).unwrap_or(0),
            status: i64::try_from(d.status.0).unwrap_or(i64::MAX),
            started_at: d.start_time,
            ended_at: (!running && d.end_time > 0).then_some(d.end_time),
            total_bytes: d.total_size,
            total_files: d.total_files,
            total_directories: d.total_directories,
            upload_bytes: d.upload_size,
            download_bytes: d.download_size,
            sort_value: 0,
        };
        let row = JobRow::from_listed(listed, now);
        match (&d.progress, running) {
            (Some(p), true) => row.with_progress(&LiveProgress {
                job_id: d.guid.clone(),
                bytes_done: p.bytes_done,
                progress_counter: p.counter,
                last_update: p.received_time,
            }),
            _ => row,
        }
    }
}

/// A choice of a filter select.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Choice {
    pub id: String,
    pub label: String,
}

impl Choice {
    fn from_named(n: Named) -> Choice {
        let label = non_empty(n.name).unwrap_or_else(|| n.id.clone());
        Choice { id: n.id, label }
    }
}

/// What the filter bar offers: the account's devices, items and vaults, the status classes and the
/// job kinds with their labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct JobFilters {
    pub devices: Vec<Choice>,
    pub items: Vec<Choice>,
    pub vaults: Vec<Choice>,
    /// The dashboard's status classes (the browser words them as it does everywhere).
    pub status_classes: Vec<String>,
    pub classifications: Vec<Choice>,
}

impl JobFilters {
    pub fn new(devices: Vec<Named>, items: Vec<Named>, vaults: Vec<Named>) -> JobFilters {
        JobFilters {
            devices: devices.into_iter().map(Choice::from_named).collect(),
            items: items.into_iter().map(Choice::from_named).collect(),
            vaults: vaults.into_iter().map(Choice::from_named).collect(),
            status_classes: STATUS_CLASSES.iter().map(|c| (*c).to_string()).collect(),
            classifications: (4001..=4011).map(|c| Choice { id: c.to_string(), label: classification_label(c).into() }).collect(),
        }
    }
}

/// A page of the job list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct JobPage {
    pub jobs: Vec<JobRow>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
    /// The filter bar's choices (first page only: `cursor` absent).
    pub filters: Option<JobFilters>,
}

/// One job with what the drawer needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct JobDetail {
    pub job: JobRow,
    /// Comet's live item counts while running (`null` otherwise or when Comet could not be asked).
    pub items_done: Option<i64>,
    pub items_total: Option<i64>,
    /// The job is running and may be cancelled.
    pub cancellable: bool,
}

/// One line of a job's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LogEntry {
    /// Unix seconds.
    pub time: i64,
    /// `I` (information), `W` (warning), `E` (error) or `D` (debug), as Comet sends it.
    pub severity: String,
    pub message: String,
}

/// A job's log, filtered as asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct JobLog {
    pub job_id: String,
    /// False when the backup server no longer holds this job's log (`message` says so).
    pub available: bool,
    pub message: Option<String>,
    pub entries: Vec<LogEntry>,
    /// Index in `entries` of the first error, if any.
    pub first_error: Option<usize>,
    /// More lines matched than are served (the download has them all).
    pub truncated: bool,
}

/// The answer to a cancel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CancelAnswer {
    pub job_id: String,
    /// `cancel_requested` (sent to the device: the job ends when it confirms) or `already_finished`.
    pub state: String,
    pub message: String,
}
