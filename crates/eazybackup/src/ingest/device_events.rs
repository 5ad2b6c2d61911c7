//! `SEVT_DEVICE_NEW`, `SEVT_DEVICE_REMOVED`, `SEVT_DEVICE_LIVE_CONNECT` / `DISCONNECT`: what each
//! means for `comet_devices` and `eb_devices_registry` (rules in `db::devices`). Renames are not
//! here: they arrive as `SEVT_ACCOUNT_UPDATED` (`profile_sync`).
//!
//! `ResourceID` is the device ID of a registration and a removal (observed). For a live connection
//! the SDK documents neither `ResourceID` nor `Data`; when `Data` is a `LiveUserConnection` its
//! `DeviceID` and `Username` name the device, else `ResourceID` is taken as the device id and the
//! account comes from our own row (when several accounts hold the device, such an event is left
//! to the live connection list, which names the account). `Actor` never names the account of a removal or a connection:
//! it may be the administrator who acted (and admin and user names are separate namespaces). A
//! removal of a device we never saw is left to the profile write that follows it.

use comet::{DeviceConfig, EventType, StreamableEvent};

use crate::db::events::{EventId, Tx};
use crate::db::timestamp::DbTime;
use crate::db::users::Owner;
use crate::db::{DbError, devices, tenancy};

/// A device event, decoded. A live event's `username` is `Data.Username` when it carried a
/// connection.
#[derive(Debug, Clone, PartialEq)]
pub enum DeviceEvent {
    New { device_id: String, username: String, config: Box<DeviceConfig>, ts: i64 },
    Removed { device_id: String, ts: i64 },
    Live { device_id: String, username: Option<String>, online: bool, ts: i64 },
}

impl DeviceEvent {
    /// `None` when `event` is not a device event we mirror (lobby events are not); `Some(Err)`
    /// with the reason when it is one but its shape is wrong.
    pub fn from_event(event: &StreamableEvent) -> Option<Result<DeviceEvent, String>> {
        let t = event.r#type;
        let kind = if t == EventType::DEVICE_NEW {
            0
        } else if t == EventType::DEVICE_REMOVED {
            1
        } else if t == EventType::DEVICE_LIVE_CONNECT || t == EventType::DEVICE_LIVE_DISCONNECT {
            2
        } else {
            return None;
        };
        let connection = (kind == 2).then(|| live_connection(event)).flatten();
        let device_id = connection.as_ref().map(|c| c.0.clone()).unwrap_or_else(|| event.resource_id.clone());
        if device_id.is_empty() {
            return Some(Err(format!("{} without a device id in ResourceID", event.type_string)));
        }
        let ts = event.timestamp;
        Some(Ok(match kind {
            0 => {
                let Some(data) = event.data.clone().filter(|d| !d.is_null()) else {
                    return Some(Err(format!("{} without a device in Data", event.type_string)));
                };
                let config: DeviceConfig = match serde_json::from_value(data) {
                    Ok(c) => c,
                    Err(e) => return Some(Err(format!("{}: Data is not a device: {e}", event.type_string))),
                };
                DeviceEvent::New {
                    device_id,
                    username: tenancy::normalize_username(event.owner_username()),
                    config: Box::new(config),
                    ts,
                }
            }
            1 => DeviceEvent::Removed { device_id, ts },
            _ => DeviceEvent::Live {
                device_id,
                username: connection.and_then(|c| c.1),
                online: t == EventType::DEVICE_LIVE_CONNECT,
                ts,
            },
        }))
    }

    /// The account the event names itself (never `Actor`), for the owner lookup.
    pub fn named_username(&self) -> Option<&str> {
        match self {
            DeviceEvent::New { username, .. } => Some(username),
            DeviceEvent::Live { username, .. } => username.as_deref(),
            DeviceEvent::Removed { .. } => None,
        }
    }
}

/// `(DeviceID, Username)` of a live event whose `Data` is a `LiveUserConnection` with a device id.
fn live_connection(event: &StreamableEvent) -> Option<(String, Option<String>)> {
    let data = event.data.as_ref()?;
    let device = data.get("DeviceID")?.as_str().filter(|d| !d.is_empty())?;
    let username = data.get("Username").and_then(|u| u.as_str()).filter(|u| !u.is_empty()).map(tenancy::normalize_username);
    Some((device.to_string(), username))
}

/// What applying a device event did.
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

/// Applies `event` inside `tx` (no network). `owner_of` maps a username to its WHMCS owner (the
/// worker's owner cache).
pub async fn apply(
    tx: &mut Tx,
    profile: &str,
    event: &DeviceEvent,
    owner_of: impl Fn(&str) -> Owner,
    now: i64,
) -> Result<DeviceOutcome, DbError> {
    let now_ts = DbTime::from_unix(now).unwrap_or_else(DbTime::now);
    match event {
        DeviceEvent::New { device_id, username, config, ts } => {
            let info = devices::DeviceInfo::from_config(device_id, username, config)?;
            let owner = owner_of(username);
            Ok(match devices::register(tx, profile, &owner, &info, *ts, now_ts).await? {
                devices::Registered::New(id) | devices::Registered::Updated(id) => DeviceOutcome::Announced(id),
                devices::Registered::Refreshed => DeviceOutcome::Recorded,
                devices::Registered::Unchanged => DeviceOutcome::Unchanged,
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
                return Ok(DeviceOutcome::Unchanged);
            };
            let username = only.username.clone();
            let owner = owner_of(&username);
            Ok(match devices::revoke(tx, profile, &owner, device_id, &username, *ts, now_ts).await? {
                Some(id) => DeviceOutcome::Announced(id),
                None => DeviceOutcome::Recorded,
            })
        }
        DeviceEvent::Live { device_id, username, online, ts } => {
            let stored = devices::registrations(tx, profile, device_id).await?;
            if username.is_none() && stored.iter().filter(|d| d.is_active).count() > 1 {
                return Ok(DeviceOutcome::Ambiguous);
            }
            let mut outcome = DeviceOutcome::Unchanged;
            for stored in stored {
                if username.as_ref().is_some_and(|u| *u != stored.username) {
                    continue;
                }
                let owner = owner_of(&stored.username);
                if let Some(id) =
                    devices::set_online(tx, profile, &owner, &stored.username, device_id, *online, *ts, now_ts).await?
                {
                    outcome = DeviceOutcome::Announced(id);
                }
            }
            Ok(outcome)
        }
    }
}
