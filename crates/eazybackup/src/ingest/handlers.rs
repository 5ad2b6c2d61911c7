//! What each Comet event means for our tables. Login, session and meta chatter is ignored; jobs
//! go to the live tables (with their outbox rows); profiles refresh the name cache.

use comet::{BackupJobDetail, EventType, StreamableEvent, UserProfileConfig};
use tracing::{debug, warn};

use crate::db::Db;
use crate::db::jobs::{self, JobEnd, JobStart};
use crate::ingest::names::{AccountNames, NameCache};

/// Everything a handler needs: the profile it serves, the database, the Admin API (for names of
/// users not seen yet) and the cache of names.
pub struct Ingest {
    pub profile: String,
    pub db: Db,
    pub admin: std::sync::Arc<comet::AdminClient>,
    pub names: NameCache,
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("database: {0}")]
    Db(#[from] crate::db::DbError),
}

/// What became of one event, for the debug log and the tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    JobStarted(String),
    JobEnded(String),
    /// A replayed or late event that changed nothing.
    Unchanged,
    ProfileRefreshed(String),
    Ignored,
    /// A payload of the wrong shape: logged and skipped, the stream goes on.
    Malformed(String),
}

impl Ingest {
    pub async fn handle(&mut self, event: &StreamableEvent) -> Result<Outcome, IngestError> {
        let t = event.r#type;
        if t == EventType::JOB_NEW || t == EventType::JOB_COMPLETED {
            let Some(job) = decode::<BackupJobDetail>(event) else {
                return Ok(Outcome::Malformed(format!("{} without a job in Data", event.type_string)));
            };
            return self.job_seen(&job).await;
        }
        if t == EventType::ACCOUNT_UPDATED || t == EventType::ACCOUNT_NEW {
            let username = event.owner_username().to_string();
            match decode::<UserProfileConfig>(event) {
                Some(profile) => self.names.update(&username, &profile),
                // No profile in Data: forget what we knew, the next job re-reads it.
                None => self.names.forget(&username),
            }
            return Ok(Outcome::ProfileRefreshed(username));
        }
        if t == EventType::ACCOUNT_REMOVED {
            self.names.forget(event.owner_username());
        }
        Ok(Outcome::Ignored)
    }

    /// A job observed in any way (event or reconcile): running ones go live, finished ones end.
    pub async fn job_seen(&mut self, job: &BackupJobDetail) -> Result<Outcome, IngestError> {
        let names = self.names_for(&job.username).await;
        let device_name = names.as_ref().and_then(|n| n.devices.get(&job.device_id).cloned());
        let item_name = names.as_ref().and_then(|n| n.items.get(&job.source_guid).cloned());
        if job.is_finished() {
            let end = job_end(job, device_name, item_name);
            let written = jobs::record_job_end(&self.db, &self.profile, &end).await?;
            Ok(if written.is_some() { Outcome::JobEnded(end.job_id) } else { Outcome::Unchanged })
        } else {
            let start = job_start(job, device_name, item_name);
            let written = jobs::record_job_start(&self.db, &self.profile, &start).await?;
            Ok(if written.is_some() { Outcome::JobStarted(start.job_id) } else { Outcome::Unchanged })
        }
    }

    async fn names_for(&mut self, username: &str) -> Option<AccountNames> {
        if let Some(n) = self.names.get(username) {
            return Some(n.clone());
        }
        match self.admin.get_user_profile(username).await {
            Ok(profile) => {
                self.names.update(username, &profile);
                self.names.get(username).cloned()
            }
            Err(e) => {
                warn!(profile = %self.profile, username, error = %e, "cannot read the user's profile for device and item names");
                None
            }
        }
    }
}

fn decode<T: serde::de::DeserializeOwned>(event: &StreamableEvent) -> Option<T> {
    let data = event.data.clone().filter(|d| !d.is_null())?;
    match serde_json::from_value(data) {
        Ok(v) => Some(v),
        Err(e) => {
            debug!(event = %event.type_string, error = %e, "event data does not have the expected shape");
            None
        }
    }
}

fn job_start(job: &BackupJobDetail, device_name: Option<String>, item_name: Option<String>) -> JobStart {
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

fn job_end(job: &BackupJobDetail, device_name: Option<String>, item_name: Option<String>) -> JobEnd {
    JobEnd {
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
        ended_at: if job.end_time > 0 { job.end_time } else { job.start_time },
        total_bytes: job.total_size,
        upload_bytes: job.upload_size,
    }
}
