//! Step 3 of a batch: the prepared steps written inside the batch's one transaction, through the
//! Comet → table mapping (`comet_rows`) into the database layer. No network and no cache changes
//! here: a step is re-run as it is when the transaction is retried (deadlock) or split by account.
//!
//! Job observations are queued in a [`JobBatch`] and written with a few multi-row statements;
//! every other step writes to the transaction directly, so queued job rows are written first and
//! the tables change in the order things were observed. What the browser should hear of is
//! collected, in that order, for the outbox step.

use comet::BackupJobDetail;

use crate::db::events::{NewEvent, Tx};
use crate::db::job_history::{self, JobHistoryRow};
use crate::db::jobs::{self, JobBatch, JobEnd, JobStart, JobWrite};
use crate::db::timestamp::DbTime;
use crate::db::users::Owner;
use crate::db::{DbError, devices};
use crate::ingest::context::Outcome;
use crate::ingest::decode::DeviceEvent;
use crate::ingest::device_events::{self, DeviceChange};
use crate::ingest::owners::OwnerCache;
use crate::ingest::prepare::Step;
use crate::ingest::profile_sync;

/// What the transaction wrote: an outcome per step, and the outbox rows to append.
pub struct Applied {
    pub outcomes: Vec<Outcome>,
    pub outbox: Vec<NewEvent>,
}

/// Writes `steps` inside `tx`. `owners` is the mapping `prepare` refreshed (device rows name
/// accounts the events did not).
pub async fn steps(tx: &mut Tx, profile: &str, steps: &[&Step], owners: &OwnerCache) -> Result<Applied, DbError> {
    let mut w = Writer::new(profile);
    let job_ids = steps.iter().filter_map(|s| match s {
        Step::Job { job, .. } => Some(job.guid.as_str()),
        _ => None,
    });
    // What the database knows about every job of the batch, in one statement.
    w.jobs.load(tx, job_ids).await?;
    let mut outcomes = Vec::with_capacity(steps.len());
    for step in steps {
        outcomes.push(w.step(tx, step, owners).await?);
    }
    w.flush_jobs(tx).await?;
    Ok(Applied { outcomes, outbox: w.outbox })
}

/// The writes of one transaction in progress.
struct Writer<'p> {
    profile: &'p str,
    /// Stamps rows and outbox rows.
    now: i64,
    jobs: JobBatch,
    /// `comet_jobs` rows, written with the job rows.
    history: Vec<(JobHistoryRow, Owner)>,
    outbox: Vec<NewEvent>,
}

impl<'p> Writer<'p> {
    fn new(profile: &'p str) -> Writer<'p> {
        Writer {
            profile,
            now: chrono::Utc::now().timestamp(),
            jobs: JobBatch::new(profile),
            history: Vec::new(),
            outbox: Vec::new(),
        }
    }

    async fn step(&mut self, tx: &mut Tx, step: &Step, owners: &OwnerCache) -> Result<Outcome, DbError> {
        match step {
            Step::Job { job, owner, device_name, item_name } => {
                self.job_seen(tx, job, *owner, device_name.clone(), item_name.clone()).await
            }
            Step::Profile { account, owner, config, ts } => {
                self.flush_jobs(tx).await?;
                profile_sync::write_profile(tx, self.profile, account, owner, config, *ts, self.now, &mut self.outbox).await?;
                Ok(Outcome::ProfileRefreshed(account.clone()))
            }
            Step::RemoveAccount { account, owner, ts } => {
                self.flush_jobs(tx).await?;
                profile_sync::write_removal(tx, self.profile, account, owner, *ts, self.now, &mut self.outbox).await?;
                Ok(Outcome::ProfileRefreshed(account.clone()))
            }
            Step::Device(event) => {
                self.flush_jobs(tx).await?;
                let owner_of = |u: &str| Owner::from(owners.get(u));
                let change = device_events::write(tx, self.profile, event, owner_of, self.now, &mut self.outbox).await?;
                Ok(match (change, event) {
                    (
                        DeviceChange::Announced,
                        DeviceEvent::New { device_id, .. }
                        | DeviceEvent::Removed { device_id, .. }
                        | DeviceEvent::Live { device_id, .. },
                    ) => Outcome::DeviceChanged(device_id.clone()),
                    (DeviceChange::Ambiguous, DeviceEvent::Live { device_id, .. }) => Outcome::OnlineAmbiguous(device_id.clone()),
                    _ => Outcome::Unchanged,
                })
            }
            Step::Decided(outcome) => Ok(outcome.clone()),
        }
    }

    /// A job observed in any way (event or reconcile): running ones go live, finished ones end.
    /// Queued; written by [`flush_jobs`](Self::flush_jobs).
    async fn job_seen(
        &mut self,
        tx: &mut Tx,
        job: &BackupJobDetail,
        owner: jobs::Owner,
        device_name: Option<String>,
        item_name: Option<String>,
    ) -> Result<Outcome, DbError> {
        self.history.push((JobHistoryRow::from_job(job)?, Owner::from(owner)));
        let written = if job.is_finished() {
            self.jobs.end(tx, &JobEnd::from_job(job, device_name, item_name), owner, self.now).await?
        } else {
            self.jobs.start(tx, &JobStart::from_job(job, device_name, item_name), owner, self.now).await?
        };
        self.outbox.extend(self.jobs.take_announcements());
        Ok(match written {
            JobWrite::Started => Outcome::JobStarted(job.guid.clone()),
            JobWrite::Ended => Outcome::JobEnded(job.guid.clone()),
            JobWrite::Unchanged => Outcome::Unchanged,
        })
    }

    /// Writes the queued job rows and history rows now, and moves `last_seen` of devices whose
    /// jobs ended.
    async fn flush_jobs(&mut self, tx: &mut Tx) -> Result<(), DbError> {
        if !self.jobs.is_empty() {
            self.jobs.flush(tx).await?;
        }
        if self.history.is_empty() {
            return Ok(());
        }
        let now = DbTime::from_unix(self.now).unwrap_or_else(DbTime::now);
        let rows: Vec<(&JobHistoryRow, Owner)> = self.history.iter().map(|(j, o)| (j, *o)).collect();
        job_history::upsert_many(tx, self.profile, &rows, now).await?;
        let mut last_seen: std::collections::BTreeMap<(&str, &str), i64> = std::collections::BTreeMap::new();
        for (job, _) in self.history.iter().filter(|(j, _)| j.finished) {
            let ended = if job.ended_at > 0 { job.ended_at } else { self.now };
            let seen = last_seen.entry((job.username.as_str(), job.device_id.as_str())).or_insert(0);
            *seen = (*seen).max(ended);
        }
        let seen: Vec<(&str, &str, i64)> = last_seen.into_iter().map(|((u, d), ts)| (u, d, ts)).collect();
        devices::touch_last_seen(tx, self.profile, &seen).await?;
        self.history.clear();
        Ok(())
    }
}
