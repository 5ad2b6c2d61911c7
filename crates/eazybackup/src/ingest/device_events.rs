//! `SEVT_DEVICE_NEW`, `SEVT_DEVICE_REMOVED`, `SEVT_DEVICE_LIVE_CONNECT` / `DISCONNECT`: what each
//! means for `comet_devices` and `eb_devices_registry` (rules in `db::devices`). Renames are not
//! here: they arrive as `SEVT_ACCOUNT_UPDATED` (`profile_sync`). Events are decoded in
//! `ingest::decode` ([`DeviceEvent`]).
//!
//! A registration's account is its confirmed `Actor` (`ingest::prepare`). A removal's and a bare
//! live connection's account comes from our own row: when several accounts hold the device, a
//! live event is left to the live connection list, which names the account, and a removal to the
//! profile write that follows it; so is a removal of a device we never saw.

use crate::db::DbError;
use crate::db::devices;
use crate::db::events::{EventId, NewEvent, Tx};
use crate::db::timestamp::DbTime;
use crate::db::users::Owner;
use crate::ingest::outbox;

pub use crate::ingest::decode::DeviceEvent;

/// What [`write`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceChange {
    /// Something the browser sees changed; its outbox row was added.
    Announced,
    /// Written, nothing shown changed (a content refresh, a tombstone, a revoked device's link).
    Recorded,
    /// A replay or a stale event.
    Unchanged,
    /// A live event that names no account, for a device registered (active) in several accounts
    /// of the profile: nothing written, because it cannot say which registration connected or
    /// left; the live connection list settles it.
    Ambiguous,
}

/// What [`apply`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceOutcome {
    /// Something the browser sees changed; the outbox row.
    Announced(EventId),
    /// Written, nothing shown changed (a content refresh, a tombstone, a revoked device's link).
    Recorded,
    /// A replay or a stale event.
    Unchanged,
    /// A live event that names no account, for a device registered (active) in several accounts
    /// of the profile: nothing written, because it cannot say which registration connected or
    /// left; the live connection list settles it.
    Ambiguous,
}

/// Applies `event` inside `tx` (no network) and appends its outbox row: one event on its own.
/// `owner_of` maps a username to its WHMCS owner.
pub async fn apply(
    tx: &mut Tx,
    profile: &str,
    event: &DeviceEvent,
    owner_of: impl Fn(&str) -> Owner,
    now: i64,
) -> Result<DeviceOutcome, DbError> {
    let mut rows = Vec::new();
    let change = write(tx, profile, event, owner_of, now, &mut rows).await?;
    // One row at a time: the outcome names the last row's id.
    let mut last = None;
    for row in &rows {
        last = outbox::write(tx, std::slice::from_ref(row), None).await?;
    }
    Ok(match change {
        DeviceChange::Announced => last.map_or(DeviceOutcome::Recorded, DeviceOutcome::Announced),
        DeviceChange::Recorded => DeviceOutcome::Recorded,
        DeviceChange::Unchanged => DeviceOutcome::Unchanged,
        DeviceChange::Ambiguous => DeviceOutcome::Ambiguous,
    })
}

/// Writes what `event` changes inside `tx` (no network) and adds the outbox rows to announce to
/// `announce`. `owner_of` maps a username to its WHMCS owner (the worker's owner cache).
pub async fn write(
    tx: &mut Tx,
    profile: &str,
    event: &DeviceEvent,
    owner_of: impl Fn(&str) -> Owner,
    now: i64,
    announce: &mut Vec<NewEvent>,
) -> Result<DeviceChange, DbError> {
    let now_ts = DbTime::from_unix(now).unwrap_or_else(DbTime::now);
    match event {
        DeviceEvent::New { device_id, username, config, ts } => {
            let info = devices::DeviceInfo::from_config(device_id, username, config)?;
            let owner = owner_of(username);
            Ok(match devices::register(tx, profile, &owner, &info, *ts, now_ts).await? {
                devices::Registered::New(row) | devices::Registered::Updated(row) => {
                    announce.push(row);
                    DeviceChange::Announced
                }
                devices::Registered::Refreshed => DeviceChange::Recorded,
                devices::Registered::Unchanged => DeviceChange::Unchanged,
            })
        }
        DeviceEvent::Removed { device_id, ts } => {
            // The device id names a machine; the account it left is the one registration of it we
            // hold as active. With several, the event cannot say which, and for a device we never
            // saw it does not say either (`Actor` may be an administrator): the profile write that
            // follows every revoke, or the reconcile, settles it.
            let stored = devices::registrations(tx, profile, device_id).await?;
            let active: Vec<&devices::StoredDevice> = stored.iter().filter(|d| d.is_active).collect();
            let [only] = active.as_slice() else {
                return Ok(DeviceChange::Unchanged);
            };
            let username = only.username.clone();
            let owner = owner_of(&username);
            Ok(match devices::revoke(tx, profile, &owner, device_id, &username, *ts, now_ts).await? {
                Some(row) => {
                    announce.push(row);
                    DeviceChange::Announced
                }
                None => DeviceChange::Recorded,
            })
        }
        DeviceEvent::Live { device_id, username, online, ts } => {
            let stored = devices::registrations(tx, profile, device_id).await?;
            if username.is_none() && stored.iter().filter(|d| d.is_active).count() > 1 {
                return Ok(DeviceChange::Ambiguous);
            }
            let mut outcome = DeviceChange::Unchanged;
            for stored in stored {
                if username.as_ref().is_some_and(|u| *u != stored.username) {
                    continue;
                }
                let owner = owner_of(&stored.username);
                if let Some(row) =
                    devices::set_online(tx, profile, &owner, &stored.username, device_id, *online, *ts, now_ts).await?
                {
                    announce.push(row);
                    outcome = DeviceChange::Announced;
                }
            }
            Ok(outcome)
        }
    }
}
