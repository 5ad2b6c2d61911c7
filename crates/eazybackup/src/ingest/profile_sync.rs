//! `SEVT_ACCOUNT_NEW` / `SEVT_ACCOUNT_UPDATED`: a user's profile is the truth about its devices
//! (names, platforms — real Comet has no rename event), protected items, vaults and account
//! settings. Login events never come here: they fire per request and carry no profile.
//!
//! [`write_profile`] writes one profile inside the caller's transaction (no network), through
//! the Comet → table mapping (`comet_rows::AccountRows`), and hands back the outbox rows to
//! announce; [`apply_profile`] also appends them (one account on its own: the account reconcile,
//! the tests). Profiles that account events did not carry are read in `ingest::prepare`.

use comet::UserProfileConfig;
use tracing::{debug, warn};

use crate::comet_rows::AccountRows;
use crate::db::events::{EventKind, NewEvent, Tx};
use crate::db::schema::COMET_USERS;
use crate::db::tenancy;
use crate::db::text_fit;
use crate::db::timestamp::DbTime;
use crate::db::users::Owner;
use crate::db::{DbError, devices, items, savepoint, users, vaults};
use crate::ingest::outbox;
use crate::views::ItemsChanged;
use crate::with_tx;

pub use crate::ingest::decode::{account_username, is_profile_event, profile_in_event};

/// What applying one profile changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileSync {
    pub devices: devices::DevicesSync,
    pub items: items::ItemsSync,
    pub vaults: vaults::VaultsSync,
}

/// Mirrors `config`, the profile of `username` as written at `event_ts`, inside `tx`: devices
/// (new, renamed, revoked), protected items (upserted, pruned), vaults (upserted, soft-removed)
/// and the `comet_users` summary; adds to `announce` the device rows and `items:changed` when
/// items changed. A replayed profile changes nothing and announces nothing.
#[allow(clippy::too_many_arguments)]
pub async fn write_profile(
    tx: &mut Tx,
    profile: &str,
    username: &str,
    owner: &Owner,
    config: &UserProfileConfig,
    event_ts: i64,
    now: i64,
    announce: &mut Vec<NewEvent>,
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
    let rows = AccountRows::from_profile(&username, config, now_ts)?;
    let sync = ProfileSync {
        devices: devices::sync_from_profile(tx, profile, &username, owner, &rows.devices, event_ts, now_ts, announce).await?,
        items: items::sync_items(tx, profile, &username, owner, &rows.items).await?,
        vaults: vaults::sync_vaults(tx, profile, &username, owner, &rows.vaults, now_ts).await?,
    };
    users::upsert_user(tx, profile, &username, owner, &rows.summary, now_ts).await?;
    if sync.items.changed() {
        let payload = ItemsChanged { profile: profile.to_string(), username: username.clone(), service_id: owner.service_id };
        announce.push(NewEvent::new(owner.client_id, profile, &username, EventKind::ItemsChanged, &payload, now)?);
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

/// A deleted account owns nothing any more: mirrored as an empty profile (its devices revoked,
/// items pruned, vaults marked removed by the same code as any edit), then its `comet_users` row
/// goes, so it is no longer an account we hold.
pub async fn write_removal(
    tx: &mut Tx,
    profile: &str,
    username: &str,
    owner: &Owner,
    event_ts: i64,
    now: i64,
    announce: &mut Vec<NewEvent>,
) -> Result<ProfileSync, DbError> {
    let empty = UserProfileConfig { username: username.to_string(), ..Default::default() };
    let sync = write_profile(tx, profile, username, owner, &empty, event_ts, now, announce).await?;
    with_tx!(tx, conn => {
        // HEX(): exact, whatever the column's collation (usernames are case-sensitive).
        sqlx::query("DELETE FROM comet_users WHERE profile = ? AND username = ? AND HEX(username) = HEX(?)")
            .bind(profile)
            .bind(username)
            .bind(username)
            .execute(&mut *conn)
            .await
            .map(|_| ())?
    });
    Ok(sync)
}

/// [`write_profile`] for one account on its own: its outbox rows are appended at once.
pub async fn apply_profile(
    tx: &mut Tx,
    profile: &str,
    username: &str,
    owner: &Owner,
    config: &UserProfileConfig,
    event_ts: i64,
    now: i64,
) -> Result<ProfileSync, DbError> {
    outbox::announced(tx, async |tx, rows| write_profile(tx, profile, username, owner, config, event_ts, now, rows).await).await
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
