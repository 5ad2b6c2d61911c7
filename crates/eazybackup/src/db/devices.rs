//! `comet_devices` and `eb_devices_registry`: every device registered on a Comet server, whether
//! it is still registered (`is_active`, `revoked_at`; registry `status`), whether it is connected
//! now (`online`, `online_changed_at` — kept apart from `is_active`, which keeps the operators'
//! meaning "registered and not revoked"), and when it last finished a job (`last_seen`).
//!
//! Every change the browser shows returns its `device:*` outbox row ([`NewEvent`]): the caller
//! appends it in the same transaction, in the order it observed things.
//!
//! Ordering rules (the stream is ordered, but reconciles replay history and batches may interleave):
//! - a revoke is remembered (`revoked_at` = the revoke's event time), even for a device never seen
//!   registered: a `SEVT_DEVICE_NEW` (or a profile listing the device) only brings a revoked device
//!   back when its event time is strictly later than the revoke. Same-second ties stay revoked —
//!   a wrongly hidden device reappears with the next profile write, a wrongly resurrected one
//!   would be billed.
//! - online state changes only when the event is not older than the last change we applied.
//!
//! Keys: a DeviceID names a machine, and one machine can be registered in several accounts of a
//! server and on several servers, so a row is one registration, keyed (profile, username,
//! DeviceID) in `comet_devices` (`hash` holds the DeviceID; `id` keeps its historical meaning,
//! sha256(client_id ‖ DeviceID), which the incumbent's group assignments refer to) and
//! (server_id, username, device_id) in `eb_devices_registry`. Never look a device up by its id
//! alone.
//!
//! Legacy rows (written before profiles were recorded) have `profile = ''`. A registration of
//! (P, U, D) that finds no row of its own adopts the legacy row of D with username U (or none):
//! its profile and username are set, so the device keeps its row, `created_at`, revoke and id,
//! and nothing is announced as new. Legacy rows of devices no profile lists stay as they are.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Decode, FromRow, Row, Type};

use crate::db::DbError;
use crate::db::events::{EventKind, NewEvent, Tx};
use crate::db::items::comet_device_id;
use crate::db::schema::{COMET_DEVICES, EB_DEVICES_REGISTRY};
use crate::db::tenancy;
use crate::db::text_fit;
use crate::db::timestamp::{DbTime, comet_time};
use crate::db::upsert::{dialect_of, upsert};
use crate::db::users::Owner;
use crate::views::DeviceView;
use crate::with_tx;

/// A device as Comet describes it (`SEVT_DEVICE_NEW`'s Data, or an entry of a profile's `Devices`),
/// read by `DeviceInfo::from_config` (in `comet_rows`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    pub device_id: String,
    /// Normalised Comet username.
    pub username: String,
    pub name: String,
    pub platform_os: String,
    pub platform_arch: String,
    /// The DeviceConfig as JSON (it holds no secrets).
    pub content: String,
    /// `RegistrationTime`, unix seconds (0 when unknown).
    pub registered_at: i64,
}

/// Whether the device's keys fit their columns (`comet_devices.id`, the registry's narrower
/// `device_id`, the username). A device that does not fit is refused alone and logged: a cut id
/// could collide with another device.
fn keys_fit(profile: &str, username: &str, device_id: &str) -> bool {
    let fit = text_fit::key(&COMET_DEVICES, "hash", device_id)
        .and_then(|_| text_fit::key(&EB_DEVICES_REGISTRY, "device_id", device_id))
        .and_then(|_| text_fit::key(&COMET_DEVICES, "username", username));
    if let Err(e) = &fit {
        tracing::warn!(profile, username = %excerpt(username), device = %excerpt(device_id), reason = %e, "device refused: a key does not fit");
    }
    fit.is_ok()
}

/// The start of a refused value, for the log.
fn excerpt(s: &str) -> String {
    s.chars().take(80).collect()
}

/// A device row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDevice {
    pub device_id: String,
    pub username: String,
    pub name: String,
    pub platform_os: String,
    pub platform_arch: String,
    pub client_id: Option<i64>,
    pub is_active: bool,
    pub revoked_at: Option<DateTime<Utc>>,
    pub online: bool,
    pub online_changed_at: Option<i64>,
    pub content: String,
}

const SELECT: &str = "SELECT hash AS device_id, COALESCE(username, '') AS username, COALESCE(name, '') AS name, \
platform_os, platform_arch, CAST(client_id AS SIGNED) AS client_id, CAST(is_active AS SIGNED) AS is_active, revoked_at, \
CAST(online AS SIGNED) AS online, CAST(online_changed_at AS SIGNED) AS online_changed_at, \
COALESCE(content, '') AS content FROM comet_devices";

/// A `comet_devices` row read by column name ([`SELECT`]), on either backend.
impl<'r, R: Row> FromRow<'r, R> for StoredDevice
where
    &'static str: ColumnIndex<R>,
    String: Decode<'r, R::Database> + Type<R::Database>,
    i64: Decode<'r, R::Database> + Type<R::Database>,
    DateTime<Utc>: Decode<'r, R::Database> + Type<R::Database>,
{
    fn from_row(row: &'r R) -> Result<Self, sqlx::Error> {
        Ok(StoredDevice {
            device_id: row.try_get("device_id")?,
            username: row.try_get("username")?,
            name: row.try_get("name")?,
            platform_os: row.try_get("platform_os")?,
            platform_arch: row.try_get("platform_arch")?,
            client_id: row.try_get("client_id")?,
            is_active: row.try_get::<i64, _>("is_active")? != 0,
            revoked_at: row.try_get("revoked_at")?,
            online: row.try_get::<i64, _>("online")? != 0,
            online_changed_at: row.try_get("online_changed_at")?,
            content: row.try_get("content")?,
        })
    }
}

/// The registration of `device_id` in account (`profile`, `username`), if we have a row for it
/// (registered or revoked).
pub async fn find(tx: &mut Tx, profile: &str, username: &str, device_id: &str) -> Result<Option<StoredDevice>, DbError> {
    let sql = format!("{SELECT} WHERE profile = ? AND username = ? AND hash = ?");
    let row: Option<StoredDevice> = with_tx!(tx, conn => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(profile)
            .bind(tenancy::normalize_username(username))
            .bind(device_id)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(row)
}

/// Every registration of `device_id` on `profile` (one per account that registered it).
pub async fn registrations(tx: &mut Tx, profile: &str, device_id: &str) -> Result<Vec<StoredDevice>, DbError> {
    let sql = format!("{SELECT} WHERE profile = ? AND hash = ? ORDER BY username");
    let rows: Vec<StoredDevice> = with_tx!(tx, conn => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(profile).bind(device_id).fetch_all(&mut *conn).await?
    });
    Ok(rows)
}

/// [`find`], adopting the legacy row of the device (module doc) when the account has none.
async fn find_or_adopt(tx: &mut Tx, profile: &str, username: &str, device_id: &str) -> Result<Option<StoredDevice>, DbError> {
    if let Some(found) = find(tx, profile, username, device_id).await? {
        return Ok(Some(found));
    }
    let username = tenancy::normalize_username(username);
    // IGNORE: of two legacy candidates (the user's and a NULL-username one) only one can take
    // the key; the other stays legacy.
    let sql = match dialect_of(tx) {
        crate::db::Dialect::MySql => {
            "UPDATE IGNORE comet_devices SET profile = ?, username = ? WHERE profile = '' AND hash = ? AND username IN (?, '') ORDER BY username DESC LIMIT 1"
        }
        crate::db::Dialect::Sqlite => {
            "UPDATE OR IGNORE comet_devices SET profile = ?, username = ? WHERE rowid = (SELECT rowid FROM comet_devices WHERE profile = '' AND hash = ? AND username IN (?, '') ORDER BY username DESC LIMIT 1)"
        }
    };
    let adopted = with_tx!(&mut *tx, conn => {
        sqlx::query(sql).bind(profile).bind(&username).bind(device_id).bind(&username).execute(&mut *conn).await?.rows_affected()
    });
    if adopted == 0 {
        return Ok(None);
    }
    find(tx, profile, &username, device_id).await
}

/// (device id, username) of the registered devices of `profile` we hold as online.
pub async fn online_ids(tx: &mut Tx, profile: &str) -> Result<Vec<(String, String)>, DbError> {
    let rows: Vec<(String, String)> = with_tx!(tx, conn => {
        sqlx::query_as("SELECT hash, COALESCE(username, '') FROM comet_devices WHERE profile = ? AND online = 1 AND is_active = 1 ORDER BY hash, username")
            .bind(profile)
            .fetch_all(&mut *conn)
            .await?
    });
    Ok(rows)
}

/// Every device row of one account (registered or revoked).
pub async fn for_account(tx: &mut Tx, profile: &str, username: &str) -> Result<Vec<StoredDevice>, DbError> {
    let sql = format!("{SELECT} WHERE profile = ? AND username = ? ORDER BY hash");
    let rows: Vec<StoredDevice> = with_tx!(tx, conn => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(profile)
            .bind(tenancy::normalize_username(username))
            .fetch_all(&mut *conn)
            .await?
    });
    Ok(rows)
}

/// The outbox row announcing `d`'s change to the browser.
fn announcement(profile: &str, owner: &Owner, kind: EventKind, d: &StoredDevice, now: DbTime) -> Result<NewEvent, DbError> {
    let v = DeviceView::of(profile, owner, d);
    NewEvent::new(owner.client_id, profile, &v.username, kind, &v, now.unix())
}

/// What [`register`] did; a change the browser shows carries its outbox row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    /// First seen, or brought back after a revoke older than the event.
    New(NewEvent),
    /// Already registered; name, platform or owner changed.
    Updated(NewEvent),
    /// Already registered; only details the browser does not show changed (content rewritten).
    Refreshed,
    /// A replay, or an event older than the device's revoke.
    Unchanged,
}

const DEVICE_COLUMNS: &[&str] = &[
    "id",
    "hash",
    "profile",
    "client_id",
    "username",
    "content",
    "name",
    "platform_os",
    "platform_arch",
    "is_active",
    "created_at",
    "updated_at",
    "revoked_at",
];
const REGISTRY_COLUMNS: &[&str] = &[
    "server_id",
    "username",
    "device_id",
    "friendly_name",
    "platform_os",
    "platform_arch",
    "registered_at",
    "status",
    "updated_at",
];
const DEVICE_KEY: &[&str] = &["profile", "username", "hash"];
const REGISTRY_KEY: &[&str] = &["server_id", "username", "device_id"];

/// A device seen registered at `event_ts` (`SEVT_DEVICE_NEW`, or listed in a profile written at
/// `event_ts`): upserts `comet_devices` (active, not revoked; `created_at` only on first insert)
/// and the registry (status `active`); `device:new` or `device:updated` to announce.
pub async fn register(
    tx: &mut Tx,
    profile: &str,
    owner: &Owner,
    info: &DeviceInfo,
    event_ts: i64,
    now: DbTime,
) -> Result<Registered, DbError> {
    if !keys_fit(profile, &info.username, &info.device_id) {
        return Ok(Registered::Unchanged);
    }
    let stored = find_or_adopt(tx, profile, &info.username, &info.device_id).await?;
    let shown_changed = match &stored {
        Some(s) if !s.is_active => {
            if s.revoked_at.is_some_and(|r| r.timestamp() >= event_ts) {
                return Ok(Registered::Unchanged); // a registration older than its revoke
            }
            true
        }
        Some(s) => {
            let shown_same = s.username == info.username
                && s.name == info.name
                && s.platform_os == info.platform_os
                && s.platform_arch == info.platform_arch
                && s.client_id == owner.client();
            if shown_same && s.content == info.content {
                return Ok(Registered::Unchanged);
            }
            !shown_same
        }
        None => true,
    };
    write_registered(tx, profile, owner, info, now).await?;
    let row = StoredDevice {
        device_id: info.device_id.clone(),
        username: info.username.clone(),
        name: info.name.clone(),
        platform_os: info.platform_os.clone(),
        platform_arch: info.platform_arch.clone(),
        client_id: owner.client(),
        is_active: true,
        revoked_at: None,
        online: stored.as_ref().is_some_and(|s| s.online),
        online_changed_at: stored.as_ref().and_then(|s| s.online_changed_at),
        content: info.content.clone(),
    };
    Ok(match stored {
        Some(s) if s.is_active && shown_changed => {
            Registered::Updated(announcement(profile, owner, EventKind::DeviceUpdated, &row, now)?)
        }
        Some(s) if s.is_active => Registered::Refreshed,
        _ => Registered::New(announcement(profile, owner, EventKind::DeviceNew, &row, now)?),
    })
}

async fn write_registered(tx: &mut Tx, profile: &str, owner: &Owner, info: &DeviceInfo, now: DbTime) -> Result<(), DbError> {
    let dialect = dialect_of(tx);
    let device_sql = upsert(
        dialect,
        "comet_devices",
        DEVICE_COLUMNS,
        DEVICE_KEY,
        &["id", "client_id", "content", "name", "platform_os", "platform_arch", "is_active", "updated_at", "revoked_at"],
    );
    let registry_sql = upsert(dialect, "eb_devices_registry", REGISTRY_COLUMNS, REGISTRY_KEY, &REGISTRY_COLUMNS[3..]);
    let created = comet_time(info.registered_at).unwrap_or(now);
    let registered_at = if info.registered_at > 0 { info.registered_at } else { now.unix() };
    with_tx!(tx, conn => {
        sqlx::query(sqlx::AssertSqlSafe(device_sql))
            .bind(comet_device_id(owner.client_id, &info.device_id))
            .bind(&info.device_id)
            .bind(profile)
            .bind(owner.client())
            .bind(&info.username)
            .bind(&info.content)
            .bind(&info.name)
            .bind(&info.platform_os)
            .bind(&info.platform_arch)
            .bind(1_i16)
            .bind(created)
            .bind(now)
            .bind(None::<DbTime>)
            .execute(&mut *conn)
            .await?;
    });
    with_tx!(tx, conn => {
        sqlx::query(sqlx::AssertSqlSafe(registry_sql))
            .bind(profile)
            .bind(&info.username)
            .bind(&info.device_id)
            .bind(&info.name)
            .bind(&info.platform_os)
            .bind(&info.platform_arch)
            .bind(registered_at.clamp(0, i64::from(u32::MAX)))
            .bind("active")
            .bind(now)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// A device revoked at `event_ts` (`SEVT_DEVICE_REMOVED`, or gone from its user's profile):
/// `is_active = 0`, `revoked_at` = the event time (now when the event has none), registry status
/// `removed`, and `device:removed` to announce when it was registered. A device we never saw gets a revoked
/// row (no event: no browser knew it) so that an older `SEVT_DEVICE_NEW` arriving late cannot
/// register it.
pub async fn revoke(
    tx: &mut Tx,
    profile: &str,
    owner: &Owner,
    device_id: &str,
    username: &str,
    event_ts: i64,
    now: DbTime,
) -> Result<Option<NewEvent>, DbError> {
    let revoked_at = DbTime::from_unix(event_ts).filter(|_| event_ts > 0).unwrap_or(now);
    let username = tenancy::normalize_username(username);
    let stored = find_or_adopt(tx, profile, &username, device_id).await?;
    match stored {
        Some(s) if !s.is_active => Ok(None),
        Some(mut s) => {
            with_tx!(&mut *tx, conn => {
                sqlx::query("UPDATE comet_devices SET is_active = 0, revoked_at = ?, updated_at = ? WHERE profile = ? AND username = ? AND hash = ?")
                    .bind(revoked_at)
                    .bind(now)
                    .bind(profile)
                    .bind(&username)
                    .bind(device_id)
                    .execute(&mut *conn)
                    .await?;
            });
            with_tx!(&mut *tx, conn => {
                sqlx::query("UPDATE eb_devices_registry SET status = 'removed', updated_at = ? WHERE server_id = ? AND username = ? AND device_id = ?")
                    .bind(now)
                    .bind(profile)
                    .bind(&username)
                    .bind(device_id)
                    .execute(&mut *conn)
                    .await?;
            });
            s.is_active = false;
            s.revoked_at = Some(revoked_at.0);
            Ok(Some(announcement(profile, owner, EventKind::DeviceRemoved, &s, now)?))
        }
        None if !keys_fit(profile, &username, device_id) => Ok(None),
        None => {
            write_tombstone(tx, profile, owner, device_id, &username, revoked_at, now).await?;
            Ok(None)
        }
    }
}

async fn write_tombstone(
    tx: &mut Tx,
    profile: &str,
    owner: &Owner,
    device_id: &str,
    username: &str,
    revoked_at: DbTime,
    now: DbTime,
) -> Result<(), DbError> {
    let dialect = dialect_of(tx);
    let device_sql = upsert(dialect, "comet_devices", DEVICE_COLUMNS, DEVICE_KEY, &["is_active", "revoked_at", "updated_at"]);
    let registry_sql = upsert(dialect, "eb_devices_registry", REGISTRY_COLUMNS, REGISTRY_KEY, &["status", "updated_at"]);
    with_tx!(tx, conn => {
        sqlx::query(sqlx::AssertSqlSafe(device_sql))
            .bind(comet_device_id(owner.client_id, device_id))
            .bind(device_id)
            .bind(profile)
            .bind(owner.client())
            .bind(username)
            .bind(None::<String>)
            .bind(None::<String>)
            .bind("")
            .bind("")
            .bind(0_i16)
            .bind(now)
            .bind(now)
            .bind(revoked_at)
            .execute(&mut *conn)
            .await?;
    });
    with_tx!(tx, conn => {
        sqlx::query(sqlx::AssertSqlSafe(registry_sql))
            .bind(profile)
            .bind(username)
            .bind(device_id)
            .bind("")
            .bind("")
            .bind("")
            .bind(0_i64)
            .bind("removed")
            .bind(now)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// A live connection of `device_id` in account (`profile`, `username`) opened or closed at
/// `event_ts`. Writes `online`/`online_changed_at` (and `offline_since` on `comet_devices`) and
/// returns `device:online`/`device:offline` to announce, only on a real change of a device we know, and
/// never for an event older than the last change applied.
#[allow(clippy::too_many_arguments)]
pub async fn set_online(
    tx: &mut Tx,
    profile: &str,
    owner: &Owner,
    username: &str,
    device_id: &str,
    online: bool,
    event_ts: i64,
    now: DbTime,
) -> Result<Option<NewEvent>, DbError> {
    let username = tenancy::normalize_username(username);
    let Some(mut s) = find(tx, profile, &username, device_id).await? else {
        return Ok(None); // unknown device: its registration (or the next profile) will bring it
    };
    if s.online == online || s.online_changed_at.is_some_and(|t| t > event_ts) {
        return Ok(None);
    }
    let changed_at = if event_ts > 0 { event_ts } else { now.unix() };
    let offline_since = if online { None } else { Some(now) };
    with_tx!(&mut *tx, conn => {
        sqlx::query("UPDATE comet_devices SET online = ?, online_changed_at = ?, offline_since = ?, updated_at = ? WHERE profile = ? AND username = ? AND hash = ?")
            .bind(i16::from(online))
            .bind(changed_at)
            .bind(offline_since)
            .bind(now)
            .bind(profile)
            .bind(&username)
            .bind(device_id)
            .execute(&mut *conn)
            .await?;
    });
    with_tx!(&mut *tx, conn => {
        sqlx::query("UPDATE eb_devices_registry SET online = ?, online_changed_at = ?, updated_at = ? WHERE server_id = ? AND username = ? AND device_id = ?")
            .bind(i16::from(online))
            .bind(changed_at)
            .bind(now)
            .bind(profile)
            .bind(&username)
            .bind(device_id)
            .execute(&mut *conn)
            .await?;
    });
    s.online = online;
    s.online_changed_at = Some(changed_at);
    if !s.is_active {
        return Ok(None); // a revoked device's connection is recorded, not shown
    }
    let kind = if online { EventKind::DeviceOnline } else { EventKind::DeviceOffline };
    Ok(Some(announcement(profile, owner, kind, &s, now)?))
}

/// Jobs of these devices (username, DeviceID) finished at the given times: moves
/// `eb_devices_registry.last_seen` forward (never back, so a reconciled old job does not age a
/// device). One statement per [`LAST_SEEN_CHUNK`] devices: a 02:00 burst ends thousands of jobs
/// per batch.
pub async fn touch_last_seen(tx: &mut Tx, profile: &str, seen: &[(&str, &str, i64)]) -> Result<(), DbError> {
    let seen: Vec<(String, &str, i64)> = seen
        .iter()
        .filter(|(_, id, ts)| *ts > 0 && !id.is_empty())
        .map(|(user, id, ts)| (tenancy::normalize_username(user), *id, (*ts).min(i64::from(u32::MAX))))
        .collect();
    for chunk in seen.chunks(LAST_SEEN_CHUNK) {
        // CASE instead of GREATEST/MAX: the one spelling both dialects accept.
        let whens = "WHEN username = ? AND device_id = ? THEN ? ".repeat(chunk.len());
        let pairs = vec!["(username = ? AND device_id = ?)"; chunk.len()].join(" OR ");
        let sql = format!(
            "UPDATE eb_devices_registry SET last_seen = CASE WHEN (CASE {whens}END) > last_seen \
             THEN (CASE {whens}END) ELSE last_seen END WHERE server_id = ? AND ({pairs})"
        );
        with_tx!(&mut *tx, conn => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for _ in 0..2 {
                for (user, id, ts) in chunk {
                    q = q.bind(user.as_str()).bind(*id).bind(*ts);
                }
            }
            q = q.bind(profile);
            for (user, id, _) in chunk {
                q = q.bind(user.as_str()).bind(*id);
            }
            q.execute(&mut *conn).await?;
        });
    }
    Ok(())
}

/// Devices per `last_seen` statement (7 placeholders each, well under both backends' limits).
const LAST_SEEN_CHUNK: usize = 120;

/// What a profile's `Devices` changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DevicesSync {
    pub new: usize,
    pub updated: usize,
    pub removed: usize,
}

/// Makes the account's devices match the `Devices` of its profile written at `event_ts`: renames
/// and platform changes (real Comet has no rename event), registrations and revokes missed while
/// disconnected. What the browser should hear of is added to `announce`, in order.
#[allow(clippy::too_many_arguments)]
pub async fn sync_from_profile(
    tx: &mut Tx,
    profile: &str,
    username: &str,
    owner: &Owner,
    devices: &[DeviceInfo],
    event_ts: i64,
    now: DbTime,
    announce: &mut Vec<NewEvent>,
) -> Result<DevicesSync, DbError> {
    let mut report = DevicesSync::default();
    for info in devices {
        match register(tx, profile, owner, info, event_ts, now).await? {
            Registered::New(row) => {
                report.new += 1;
                announce.push(row);
            }
            Registered::Updated(row) => {
                report.updated += 1;
                announce.push(row);
            }
            Registered::Refreshed | Registered::Unchanged => {}
        }
    }
    let listed: HashSet<&str> = devices.iter().map(|d| d.device_id.as_str()).collect();
    let stored: HashMap<String, bool> =
        for_account(tx, profile, username).await?.into_iter().map(|d| (d.device_id, d.is_active)).collect();
    for (id, active) in stored {
        if !active || listed.contains(id.as_str()) {
            continue;
        }
        if let Some(row) = revoke(tx, profile, owner, &id, username, event_ts, now).await? {
            report.removed += 1;
            announce.push(row);
        }
    }
    Ok(report)
}
