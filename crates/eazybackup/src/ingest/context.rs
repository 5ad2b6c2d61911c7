//! What the worker keeps between batches ([`Ingest`]: its profile, the database, the Admin API
//! and the caches of names and owners), what became of each event ([`Outcome`]) and the one error
//! of a batch ([`IngestError`]). The steps of a batch (`decode` → `prepare` → `apply` → `outbox`,
//! driven by `batch`) work on these.

use std::sync::Arc;

use comet::AdminClient;

use crate::db::Db;
use crate::ingest::names::{AccountNames, NameCache};
use crate::ingest::owners::OwnerCache;

/// One profile's ingestion state. The caches change only while no transaction is open (`prepare`,
/// the account reconcile, the poll); `apply` reads the owners `prepare` left.
pub struct Ingest {
    pub profile: String,
    pub db: Db,
    pub admin: Arc<AdminClient>,
    pub names: NameCache,
    pub owners: OwnerCache,
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
        Ingest { profile: profile.to_string(), db, admin, names: NameCache::default(), owners: OwnerCache::new(profile) }
    }

    /// The cached names of a user (tests, diagnostics).
    pub fn names_of(&self, username: &str) -> Option<&AccountNames> {
        self.names.get(username)
    }
}
