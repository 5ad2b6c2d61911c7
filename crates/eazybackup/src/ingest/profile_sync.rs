//! `SEVT_ACCOUNT_NEW` / `SEVT_ACCOUNT_UPDATED`: a user's profile is the truth about its devices
//! (names, platforms — real Comet has no rename event), protected items, vaults and account
//! settings. Login events never come here: they fire per request and carry no profile.
//!
//! Two steps, matching the worker's batches: [`ProfileFetches::fetch_missing`] reads, before the
//! transaction, the profiles of account events that came without `Data`; [`apply_profile`] writes
//! one profile inside the batch's transaction (no network).

use std::collections::HashMap;

use comet::{AdminClient, EventType, StreamableEvent, UserProfileConfig};
use tracing::{debug, warn};

use crate::db::events::{self, EventId, EventKind, Tx};
use crate::db::schema::COMET_USERS;
use crate::db::tenancy;
use crate::db::text_fit;
use crate::db::timestamp::DbTime;
use crate::db::users::{Owner, UserSummary};
use crate::db::{DbError, devices, items, savepoint, users, vaults};
use crate::views::ItemsChanged;

/// Whether the event announces a profile write (the only account events we mirror from).
pub fn is_profile_event(event: &StreamableEvent) -> bool {
    event.r#type == EventType::ACCOUNT_UPDATED || event.r#type == EventType::ACCOUNT_NEW
}

/// The account a profile event is about: `Data.Username`, else `ResourceID` (account events carry
/// the username there), else none (empty): `Actor` may be an administrator, never the account.
pub fn account_username(event: &StreamableEvent) -> String {
    let from_data = event.data.as_ref().and_then(|d| d.get("Username")).and_then(|u| u.as_str()).filter(|u| !u.is_empty());
    let name = from_data.or(Some(event.resource_id.as_str()).filter(|r| !r.is_empty())).unwrap_or("");
    tenancy::normalize_username(name)
}

/// The profile carried in the event's `Data`: `Ok(None)` when there is none, `Err` when `Data`
/// is not a profile (the event is then malformed).
pub fn profile_in_event(event: &StreamableEvent) -> Result<Option<UserProfileConfig>, serde_json::Error> {
    match event.data.as_ref().filter(|d| !d.is_null()) {
        None => Ok(None),
        Some(d) => serde_json::from_value(d.clone()).map(Some),
    }
}

/// Profiles read from the Admin API for account events that carried none, by username.
#[derive(Default)]
pub struct ProfileFetches {
    by_username: HashMap<String, UserProfileConfig>,
}

impl ProfileFetches {
    /// Fetches (`AdminGetUserProfile`) the profile of every account event in `batch` without
    /// `Data`, one call per user. A failed read is logged and the event is skipped: the next
    /// profile write or the daily sync repairs it, and the batch goes on.
    pub async fn fetch_missing(admin: &AdminClient, batch: &[StreamableEvent]) -> ProfileFetches {
        let mut fetches = ProfileFetches::default();
        for event in batch.iter().filter(|e| is_profile_event(e)) {
            if matches!(profile_in_event(event), Ok(Some(_))) {
                continue;
            }
            let username = account_username(event);
            if username.is_empty() || fetches.by_username.contains_key(&username) {
                continue;
            }
            match admin.get_user_profile(&username).await {
                Ok(profile) => {
                    fetches.by_username.insert(username, profile);
                }
                Err(e) => warn!(username, error = %e, "cannot read the profile of an updated account; skipping it"),
            }
        }
        fetches
    }

    pub fn get(&self, username: &str) -> Option<&UserProfileConfig> {
        self.by_username.get(&tenancy::normalize_username(username))
    }

    pub fn insert(&mut self, username: &str, profile: UserProfileConfig) {
        self.by_username.insert(tenancy::normalize_username(username), profile);
    }
}

/// What applying one profile changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileSync {
    pub devices: devices::DevicesSync,
    pub items: items::ItemsSync,
    pub vaults: vaults::VaultsSync,
    /// The `items:changed` row, when items changed.
    pub items_event: Option<EventId>,
}

/// Mirrors `config`, the profile of `username` as written at `event_ts`, inside `tx`: devices
/// (new, renamed, revoked), protected items (upserted, pruned), vaults (upserted, soft-removed)
/// and the `comet_users` summary; appends `items:changed` when items changed. A replayed profile
/// changes nothing and appends nothing.
pub async fn apply_profile(
    tx: &mut Tx,
    profile: &str,
    username: &str,
    owner: &Owner,
    config: &UserProfileConfig,
    event_ts: i64,
    now: i64,
) -> Result<ProfileSync, DbError> {
    let username = tenancy::normalize_username(username);
    // Every row of the account carries its username: one that does not fit refuses the account
    // (logged), it never fails the batch.
    if let Err(e) = text_fit::key(&COMET_USERS, "username", &username) {
        let shown: String = username.chars().take(80).collect();
        warn!(profile, username = %shown, reason = %e, "account refused: its username does not fit");
        return Ok(ProfileSync::default());
    }
    let now_ts = DbTime::from_unix(now).unwrap_or_else(DbTime::now);
    let mut sync = ProfileSync {
        devices: devices::sync_from_profile(tx, profile, &username, owner, &config.devices, event_ts, now_ts).await?,
        items: items::sync_items(tx, profile, &username, owner, &config.sources, now_ts).await?,
        vaults: vaults::sync_vaults(tx, profile, &username, owner, &config.destinations, now_ts).await?,
        items_event: None,
    };
    users::upsert_user(tx, profile, &username, owner, &UserSummary::from_profile(config), now_ts).await?;
    if sync.items.changed() {
        let payload = ItemsChanged { profile: profile.to_string(), username: username.clone(), service_id: owner.service_id };
        sync.items_event =
            Some(events::append(tx, owner.client_id, profile, &username, EventKind::ItemsChanged, &payload, now).await?);
    }
    debug!(
        target: "eazybackup::db",
        profile, username = %username,
        items_upserted = sync.items.upserted, items_deleted = sync.items.deleted,
        vaults_upserted = sync.vaults.upserted, vaults_removed = sync.vaults.removed,
        devices_new = sync.devices.new, devices_updated = sync.devices.updated, devices_removed = sync.devices.removed,
        "profile applied"
    );
    Ok(sync)
}

/// [`apply_profile`] behind a savepoint: when the database refuses this account's rows (a value,
/// a trigger, a constraint), they are rolled back alone, logged once with the account and the
/// reason, and `Ok(None)` lets the caller go on with the other accounts of its transaction. The
/// account is written again at its next profile event or reconcile. Conflicts and lost
/// connections are returned: they are nobody's data.
pub async fn apply_profile_isolated(
    tx: &mut Tx,
    profile: &str,
    username: &str,
    owner: &Owner,
    config: &UserProfileConfig,
    event_ts: i64,
    now: i64,
) -> Result<Option<ProfileSync>, DbError> {
    savepoint::set(tx).await?;
    match apply_profile(tx, profile, username, owner, config, event_ts, now).await {
        Ok(sync) => {
            savepoint::release(tx).await?;
            Ok(Some(sync))
        }
        Err(e) if savepoint::is_refusal(&e) => {
            savepoint::rollback(tx).await?;
            warn!(profile, username, reason = %e, "account skipped: the database refused its rows; retried at its next update");
            Ok(None)
        }
        Err(e) => Err(e),
    }
}
