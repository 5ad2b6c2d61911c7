//! Which WHMCS client and service own each Comet account of one profile, cached for the worker.
//!
//! `tenancy::service_for_account` is one query per call; a burst of thousands of job events would
//! pay it per event. The worker instead reads the whole profile's mapping in one query, keeps it
//! for [`REFRESH_EVERY`] (so a service created or moved in WHMCS is picked up within a minute),
//! and re-reads early when it meets an account it does not know (a service created a moment ago)
//! — at most once per [`MISS_REFRESH_AFTER`], so unowned accounts cannot cause a query per event.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::db::jobs::Owner;
use crate::db::tenancy::{self, ClientId};
use crate::db::{Db, DbError};

pub const REFRESH_EVERY: Duration = Duration::from_secs(60);
pub const MISS_REFRESH_AFTER: Duration = Duration::from_secs(5);

pub struct OwnerCache {
    profile: String,
    by_username: HashMap<String, (ClientId, i64)>,
    loaded_at: Option<Instant>,
}

impl OwnerCache {
    pub fn new(profile: &str) -> OwnerCache {
        OwnerCache { profile: profile.to_string(), by_username: HashMap::new(), loaded_at: None }
    }

    /// Makes sure the cache can answer for `usernames`: re-reads the profile's mapping when it is
    /// older than [`REFRESH_EVERY`], or when one of them is unknown and the last read is older
    /// than [`MISS_REFRESH_AFTER`].
    pub async fn refresh_for<'a>(&mut self, db: &Db, usernames: impl IntoIterator<Item = &'a str>) -> Result<(), DbError> {
        let age = self.loaded_at.map(|t| t.elapsed());
        let stale = age.is_none_or(|a| a >= REFRESH_EVERY);
        let miss = || usernames.into_iter().any(|u| !self.by_username.contains_key(&tenancy::normalize_username(u)));
        if stale || (age.is_some_and(|a| a >= MISS_REFRESH_AFTER) && miss()) {
            self.reload(db).await?;
        }
        Ok(())
    }

    /// Reads the mapping now.
    pub async fn reload(&mut self, db: &Db) -> Result<(), DbError> {
        let owners = tenancy::owners_of_profile(db, &self.profile).await?;
        let by_username = owners.into_iter().map(|o| (o.username, (o.client, o.service_id))).collect();
        self.by_username = by_username;
        self.loaded_at = Some(Instant::now());
        Ok(())
    }

    /// The owner of `username` as last read.
    pub fn get(&self, username: &str) -> Owner {
        self.by_username.get(&tenancy::normalize_username(username)).copied()
    }
}
