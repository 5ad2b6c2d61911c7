//! What each Comet event means for our tables. Login, session and meta chatter is ignored; jobs
//! go to the live tables (with their outbox rows); profiles refresh the name cache.
//!
//! A batch of events is handled in two passes (see `ingest::batch`):
//! 1. [`Ingest::prepare`] — everything that needs the network or a read outside the transaction
//!    (profile names through the Admin API, the WHMCS owner mapping). A write transaction is never
//!    held across a network call.
//! 2. [`Ingest::begin`], then [`Ingest::apply`] per event inside one write transaction, then
//!    [`Ingest::finish`]. `apply` must not call the network; it may be re-run from `begin` when
//!    the transaction is retried (deadlock), so whatever it changes outside the transaction must be
//!    idempotent.
//!
//! Job observations are queued in a [`JobBatch`] and written with a few multi-row statements.
//! Arms that write directly to the transaction must call [`Ingest::flush_jobs`] first, so outbox
//! ids keep the order in which things were observed (`apply` does it for every non-job event).

use std::collections::HashSet;
use std::sync::Arc;

use comet::{AdminClient, BackupJobDetail, EventType, StreamableEvent, UserProfileConfig};
use futures_util::StreamExt;
use tracing::{debug, warn};

use crate::db::Db;
use crate::db::events::Tx;
use crate::db::jobs::{JobBatch, JobEnd, JobStart, JobWrite};
use crate::ingest::names::{AccountNames, NameCache};
use crate::ingest::owners::OwnerCache;
// Devices, protected items, vaults, users and the durable job history (see `profile_sync`,
// `device_events`, `db::job_history`).
use crate::db::timestamp::DbTime;
use crate::db::users::Owner;
use crate::db::{devices, job_history};
use crate::ingest::account_reconcile;
use crate::ingest::device_events::{self, DeviceEvent, DeviceOutcome};
use crate::ingest::profile_sync::{self, ProfileFetches};

/// Profiles fetched at once for users seen for the first time (a burst of new users must not
/// wait on one round trip per user).
const PROFILE_FETCHES_IN_FLIGHT: usize = 8;

/// Everything a handler needs: the profile it serves, the database, the Admin API (for names of
/// users not seen yet) and the caches of names and owners.
pub struct Ingest {
    pub profile: String,
    pub db: Db,
    pub admin: Arc<AdminClient>,
    pub names: NameCache,
    pub owners: OwnerCache,
    /// Job writes of the transaction in progress.
    jobs: JobBatch,
    /// The `now` of the transaction in progress (stamps rows and outbox rows).
    now: i64,
    /// Profiles read in `prepare` for account events that carried none.
    profiles: ProfileFetches,
    /// `comet_jobs` rows of the transaction in progress, written with the job rows.
    history: Vec<(BackupJobDetail, Owner)>,
    /// Accounts of this batch's `SEVT_ACCOUNT_REMOVED` events that the server no longer lists.
    removed_confirmed: HashSet<String>,
    /// `(username, device id)` of this batch's `SEVT_DEVICE_NEW` events whose `Actor` is the
    /// account: its profile lists the device.
    registrations_confirmed: HashSet<(String, String)>,
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
    /// A device event that changed what the browser shows (the device id).
    DeviceChanged(String),
    /// A live event of a device several accounts hold, naming none of them (the device id):
    /// nothing written; the worker reads the live connection list at once.
    OnlineAmbiguous(String),
    Ignored,
    /// A payload of the wrong shape: logged and skipped, the stream goes on.
    Malformed(String),
    /// The database refused the account's rows (the reason): logged and skipped, the other
    /// accounts of the batch go on (`ingest::batch`).
    Skipped(String),
}

impl Ingest {
    pub fn new(profile: &str, db: Db, admin: Arc<AdminClient>) -> Ingest {
        Ingest {
            profile: profile.to_string(),
            db,
            admin,
            names: NameCache::default(),
            owners: OwnerCache::new(profile),
            jobs: JobBatch::new(profile),
            now: 0,
            profiles: ProfileFetches::default(),
            history: Vec::new(),
            removed_confirmed: HashSet::new(),
            registrations_confirmed: HashSet::new(),
        }
    }

    /// Pass 1 over a batch: refreshes names from profiles carried by account events, fetches the
    /// profiles of users seen for the first time, and makes sure the owner mapping knows every
    /// user of the batch. No transaction is open.
    pub async fn prepare(&mut self, events: &[StreamableEvent]) -> Result<(), IngestError> {
        let mut users: Vec<&str> = Vec::new();
        for event in events {
            let t = event.r#type;
            if t == EventType::ACCOUNT_UPDATED || t == EventType::ACCOUNT_NEW {
                let username = event.owner_username();
                match decode::<UserProfileConfig>(event) {
                    Some(profile) => self.names.update(username, &profile),
                    // No profile in Data: forget what we knew, the next job re-reads it.
                    None => self.names.forget(username),
                }
            } else if t == EventType::ACCOUNT_REMOVED {
                if let Some(username) = removed_account(event) {
                    self.names.forget(&username);
                }
            } else if is_job_event(event) {
                users.push(event.owner_username());
            }
        }
        users.sort_unstable();
        users.dedup();
        self.fetch_missing_names(&users).await;
        self.owners.refresh_for(&self.db, users.iter().copied()).await?;
        self.prepare_accounts_and_devices(events).await?;
        self.confirm_removals(events).await;
        self.confirm_registrations(events).await;
        Ok(())
    }

    /// `SEVT_DEVICE_NEW` names its account only by `Actor`: the registering user, or the
    /// administrator who registered a lobby device into someone's account. The registration is
    /// taken as the Actor's only when that account's profile lists the device (the profile the
    /// batch carried, else one `AdminGetUserProfile`); otherwise the profile write that follows
    /// every registration registers the device under its real account.
    async fn confirm_registrations(&mut self, events: &[StreamableEvent]) {
        self.registrations_confirmed.clear();
        // One profile read per Actor and batch, however many devices it registered.
        let mut read: HashSet<String> = HashSet::new();
        for event in events.iter().filter(|e| e.r#type == EventType::DEVICE_NEW) {
            let Some(Ok(DeviceEvent::New { device_id, username, .. })) = DeviceEvent::from_event(event) else {
                continue;
            };
            let lists = |names: &NameCache| names.get(&username).is_some_and(|n| n.devices.contains_key(&device_id));
            if !lists(&self.names) && read.insert(username.clone()) {
                match self.admin.get_user_profile(&username).await {
                    Ok(profile) => self.names.update(&username, &profile),
                    Err(e) => debug!(username, error = %e, "SEVT_DEVICE_NEW: the Actor is not an account that can be read"),
                }
            }
            if lists(&self.names) {
                self.registrations_confirmed.insert((username, device_id));
            }
        }
    }

    /// `SEVT_ACCOUNT_REMOVED` documents no field naming the account: the name it seems to carry is
    /// believed only once the server's user list lacks it, so a misread event cannot empty a live
    /// account. When the list cannot be read, nothing is removed now; the reconcile after the next
    /// (re)connect compares the accounts we hold with the server's.
    async fn confirm_removals(&mut self, events: &[StreamableEvent]) {
        self.removed_confirmed.clear();
        let candidates: HashSet<String> =
            events.iter().filter(|e| e.r#type == EventType::ACCOUNT_REMOVED).filter_map(removed_account).collect();
        if candidates.is_empty() {
            return;
        }
        match self.admin.list_users().await {
            Ok(listed) => {
                let listed: HashSet<String> = listed.into_iter().map(|u| crate::db::tenancy::normalize_username(&u)).collect();
                self.removed_confirmed = candidates.into_iter().filter(|u| !listed.contains(u)).collect();
            }
            Err(e) => warn!(profile = %self.profile, error = %e, "cannot confirm removed accounts; the next reconcile will"),
        }
    }

    /// Reads the profiles that account events did not carry, and makes the owner mapping know the
    /// users of account and device events (a revoke's owner is found from our own row, and the
    /// mapping covers the whole profile, so one refresh serves those too).
    async fn prepare_accounts_and_devices(&mut self, events: &[StreamableEvent]) -> Result<(), IngestError> {
        self.profiles = ProfileFetches::fetch_missing(&self.admin, events).await;
        let mut any = false;
        let users: Vec<String> = events
            .iter()
            .filter_map(|e| {
                if profile_sync::is_profile_event(e) {
                    any = true;
                    Some(profile_sync::account_username(e))
                } else {
                    let decoded = DeviceEvent::from_event(e)?.ok()?;
                    any = true;
                    // Removals and bare connections name no account: their owner comes from our
                    // row, looked up in the same (refreshed) profile-wide mapping.
                    decoded.named_username().map(str::to_string)
                }
            })
            .collect();
        if any {
            self.owners.refresh_for(&self.db, users.iter().map(String::as_str)).await?;
        }
        Ok(())
    }

    /// [`prepare`](Self::prepare) for jobs read back from the Admin API (a reconcile).
    pub async fn prepare_jobs(&mut self, jobs: &[BackupJobDetail]) -> Result<(), IngestError> {
        let mut users: Vec<&str> = jobs.iter().map(|j| j.username.as_str()).collect();
        users.sort_unstable();
        users.dedup();
        self.fetch_missing_names(&users).await;
        self.owners.refresh_for(&self.db, users.iter().copied()).await?;
        Ok(())
    }

    /// Starts pass 2 inside `tx`: forgets queued writes of an earlier (failed) attempt and reads,
    /// in one statement, what the database knows about every job of the batch.
    pub async fn begin<'a>(&mut self, tx: &mut Tx, job_ids: impl IntoIterator<Item = &'a str>) -> Result<(), IngestError> {
        self.jobs = JobBatch::new(&self.profile);
        self.history.clear();
        self.now = chrono::Utc::now().timestamp();
        self.jobs.load(tx, job_ids).await?;
        Ok(())
    }

    /// Pass 2, one event: what it changes, inside `tx`. No network calls here.
    pub async fn apply(&mut self, tx: &mut Tx, event: &StreamableEvent) -> Result<Outcome, IngestError> {
        if is_job_event(event) {
            // Every field of a job has a default, so "no GUID" is how a wrong payload shows.
            let Some(job) = decode::<BackupJobDetail>(event).filter(|j| !j.guid.is_empty()) else {
                return Ok(Outcome::Malformed(format!("{} without a job in Data", event.type_string)));
            };
            return self.job_seen(tx, &job).await;
        }
        // Every other arm may write to `tx` directly: queued job rows go first.
        self.flush_jobs(tx).await?;
        if profile_sync::is_profile_event(event) {
            return self.apply_profile_event(tx, event).await;
        }
        if event.r#type == EventType::ACCOUNT_REMOVED {
            return self.apply_account_removed(tx, event).await;
        }
        if let Some(device_event) = DeviceEvent::from_event(event) {
            return match device_event {
                Ok(d) => self.apply_device_event(tx, &d).await,
                Err(why) => Ok(Outcome::Malformed(why)),
            };
        }
        Ok(Outcome::Ignored)
    }

    /// `SEVT_ACCOUNT_REMOVED`, once `prepare` confirmed the server no longer lists the account:
    /// removed as the reconcile removes a vanished account.
    async fn apply_account_removed(&mut self, tx: &mut Tx, event: &StreamableEvent) -> Result<Outcome, IngestError> {
        let Some(username) = removed_account(event) else {
            debug!("SEVT_ACCOUNT_REMOVED names no account; the reconcile decides");
            return Ok(Outcome::Ignored);
        };
        if !self.removed_confirmed.contains(&username) {
            debug!(username, "SEVT_ACCOUNT_REMOVED for an account the server still lists (or could not list); not removed");
            return Ok(Outcome::Unchanged);
        }
        self.names.forget(&username);
        let owner = Owner::from(self.owners.get(&username));
        account_reconcile::remove_account(tx, &self.profile, &username, &owner, event.timestamp, self.now).await?;
        Ok(Outcome::ProfileRefreshed(username))
    }

    async fn apply_profile_event(&mut self, tx: &mut Tx, event: &StreamableEvent) -> Result<Outcome, IngestError> {
        let username = profile_sync::account_username(event);
        if username.is_empty() {
            return Ok(Outcome::Malformed(format!(
                "{} names no account (neither Data.Username nor ResourceID)",
                event.type_string
            )));
        }
        let carried = match profile_sync::profile_in_event(event) {
            Ok(p) => p,
            Err(e) => return Ok(Outcome::Malformed(format!("{}: Data is not a profile: {e}", event.type_string))),
        };
        let Some(config) = carried.as_ref().or_else(|| self.profiles.get(&username)) else {
            return Ok(Outcome::Unchanged); // the read failed in `prepare` (logged there)
        };
        let owner = Owner::from(self.owners.get(&username));
        profile_sync::apply_profile(tx, &self.profile, &username, &owner, config, event.timestamp, self.now).await?;
        Ok(Outcome::ProfileRefreshed(username))
    }

    async fn apply_device_event(&mut self, tx: &mut Tx, event: &DeviceEvent) -> Result<Outcome, IngestError> {
        if let DeviceEvent::New { device_id, username, .. } = event
            && !self.registrations_confirmed.contains(&(username.clone(), device_id.clone()))
        {
            debug!(username, device_id, "SEVT_DEVICE_NEW not confirmed by the Actor's profile; left to the profile write");
            return Ok(Outcome::Unchanged);
        }
        let owners = &self.owners;
        let outcome = device_events::apply(tx, &self.profile, event, |u| Owner::from(owners.get(u)), self.now).await?;
        Ok(match (outcome, event) {
            (
                DeviceOutcome::Announced(_),
                DeviceEvent::New { device_id, .. } | DeviceEvent::Removed { device_id, .. } | DeviceEvent::Live { device_id, .. },
            ) => Outcome::DeviceChanged(device_id.clone()),
            (DeviceOutcome::Ambiguous, DeviceEvent::Live { device_id, .. }) => Outcome::OnlineAmbiguous(device_id.clone()),
            _ => Outcome::Unchanged,
        })
    }

    /// A job observed in any way (event or reconcile): running ones go live, finished ones end.
    /// Queued; written by [`flush_jobs`](Self::flush_jobs) or [`finish`](Self::finish).
    pub async fn job_seen(&mut self, tx: &mut Tx, job: &BackupJobDetail) -> Result<Outcome, IngestError> {
        let names = self.names.get(&job.username);
        let device_name = names.and_then(|n| n.devices.get(&job.device_id).cloned());
        let item_name = names.and_then(|n| n.items.get(&job.source_guid).cloned());
        let owner = self.owners.get(&job.username);
        self.history.push((job.clone(), Owner::from(owner)));
        let written = if job.is_finished() {
            self.jobs.end(tx, &job_end(job, device_name, item_name), owner, self.now).await?
        } else {
            self.jobs.start(tx, &job_start(job, device_name, item_name), owner, self.now).await?
        };
        Ok(match written {
            JobWrite::Started => Outcome::JobStarted(job.guid.clone()),
            JobWrite::Ended => Outcome::JobEnded(job.guid.clone()),
            JobWrite::Unchanged => Outcome::Unchanged,
        })
    }

    /// Writes the queued job rows and their outbox rows now.
    pub async fn flush_jobs(&mut self, tx: &mut Tx) -> Result<(), IngestError> {
        if !self.jobs.is_empty() {
            self.jobs.flush(tx).await?;
        }
        self.flush_history(tx).await
    }

    /// Writes the queued `comet_jobs` rows and moves `last_seen` of devices whose jobs ended.
    async fn flush_history(&mut self, tx: &mut Tx) -> Result<(), IngestError> {
        if self.history.is_empty() {
            return Ok(());
        }
        let now = DbTime::from_unix(self.now).unwrap_or_else(DbTime::now);
        let rows: Vec<(&BackupJobDetail, Owner)> = self.history.iter().map(|(j, o)| (j, *o)).collect();
        job_history::upsert_many(tx, &self.profile, &rows, now).await?;
        let mut last_seen: std::collections::BTreeMap<(&str, &str), i64> = std::collections::BTreeMap::new();
        for (job, _) in self.history.iter().filter(|(j, _)| j.is_finished()) {
            let ended = if job.end_time > 0 { job.end_time } else { self.now };
            let seen = last_seen.entry((job.username.as_str(), job.device_id.as_str())).or_insert(0);
            *seen = (*seen).max(ended);
        }
        let seen: Vec<(&str, &str, i64)> = last_seen.into_iter().map(|((u, d), ts)| (u, d, ts)).collect();
        devices::touch_last_seen(tx, &self.profile, &seen).await?;
        self.history.clear();
        Ok(())
    }

    /// Ends pass 2: everything queued is written; the caller commits.
    pub async fn finish(&mut self, tx: &mut Tx) -> Result<(), IngestError> {
        self.flush_jobs(tx).await
    }

    /// Fetches, a few at a time, the profiles of `users` whose names are not cached. Names are
    /// cosmetic: a failure is logged and the job is written without them.
    async fn fetch_missing_names(&mut self, users: &[&str]) {
        let missing: Vec<String> =
            users.iter().filter(|u| !u.is_empty() && self.names.get(u).is_none()).map(|u| u.to_string()).collect();
        if missing.is_empty() {
            return;
        }
        let admin = &self.admin;
        let fetched: Vec<(String, Result<UserProfileConfig, comet::CometError>)> = futures_util::stream::iter(missing)
            .map(|u| async move {
                let r = admin.get_user_profile(&u).await;
                (u, r)
            })
            .buffer_unordered(PROFILE_FETCHES_IN_FLIGHT)
            .collect()
            .await;
        for (username, result) in fetched {
            match result {
                Ok(profile) => self.names.update(&username, &profile),
                Err(e) => {
                    warn!(profile = %self.profile, username, error = %e, "cannot read the user's profile for device and item names")
                }
            }
        }
    }

    /// The cached names of a user (tests, diagnostics).
    pub fn names_of(&self, username: &str) -> Option<&AccountNames> {
        self.names.get(username)
    }
}

/// The account a `SEVT_ACCOUNT_REMOVED` seems to name: `ResourceID` (what account events carry
/// there, observed), else `Data.Username`; never `Actor`, which may be the administrator who
/// deleted it.
fn removed_account(event: &StreamableEvent) -> Option<String> {
    let from_data = || event.data.as_ref()?.get("Username")?.as_str().filter(|u| !u.is_empty()).map(str::to_string);
    let name = Some(event.resource_id.clone()).filter(|r| !r.is_empty()).or_else(from_data)?;
    Some(crate::db::tenancy::normalize_username(&name))
}

pub(crate) fn is_job_event(event: &StreamableEvent) -> bool {
    event.r#type == EventType::JOB_NEW || event.r#type == EventType::JOB_COMPLETED
}

/// The job GUID of a job event, read without decoding the whole job.
pub(crate) fn job_id_of(event: &StreamableEvent) -> Option<&str> {
    if !is_job_event(event) {
        return None;
    }
    event.data.as_ref()?.get("GUID")?.as_str()
}

fn decode<T: serde::de::DeserializeOwned>(event: &StreamableEvent) -> Option<T> {
    let data = event.data.as_ref().filter(|d| !d.is_null())?;
    match T::deserialize(data) {
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
