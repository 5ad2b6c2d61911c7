//! Step 1 of a batch: stream events become typed events. No network, no database, no state: what
//! an event says, and whose it is, read once.
//!
//! Whose event is it: `Actor` never names the account of an account removal, a device removal or
//! a live connection (it may be the administrator who acted). A profile event's account is
//! `Data.Username`, else `ResourceID`; a removal's is `ResourceID`, else `Data.Username`; device
//! events are read in [`DeviceEvent::from_event`].

use comet::{BackupJobDetail, DeviceConfig, EventType, StreamableEvent, UserProfileConfig};
use serde::Deserialize;
use tracing::debug;

use crate::db::tenancy;

/// One event of a batch, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedEvent {
    pub kind: Decoded,
    /// The account the event's rows belong to, as far as the event says (a batch the database
    /// refuses is written again account by account, grouped by this).
    pub account: String,
    /// `Data.Username`, else `Actor`: the key of the name cache for account and job events.
    pub named_user: String,
    /// The event's time, unix seconds.
    pub ts: i64,
    /// Comet's name of the event type, for messages.
    pub type_string: String,
}

/// What an event is about.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    /// `SEVT_JOB_NEW` / `SEVT_JOB_COMPLETED`: the job, or why `Data` is not one.
    Job(Result<Box<BackupJobDetail>, String>),
    /// `SEVT_ACCOUNT_NEW` / `SEVT_ACCOUNT_UPDATED`: the account (empty when the event names none)
    /// and the profile it carried (`Ok(None)`: none; `Err`: `Data` is not a profile).
    Profile { account: String, carried: Result<Option<Box<UserProfileConfig>>, String> },
    /// `SEVT_ACCOUNT_REMOVED`: the account it seems to name (see [`removed_account`]).
    AccountRemoved { account: Option<String> },
    /// A device event we mirror, or why its shape is wrong.
    Device(Result<DeviceEvent, String>),
    /// Login, session, meta and lobby chatter.
    Ignored,
}

impl TypedEvent {
    pub fn of(event: &StreamableEvent) -> TypedEvent {
        TypedEvent {
            kind: Decoded::of(event),
            account: account_of(event),
            named_user: event.owner_username().to_string(),
            ts: event.timestamp,
            type_string: event.type_string.clone(),
        }
    }
}

impl Decoded {
    fn of(event: &StreamableEvent) -> Decoded {
        let t = event.r#type;
        if is_job_event(event) {
            // Every field of a job has a default, so "no GUID" is how a wrong payload shows.
            return Decoded::Job(
                data_as::<BackupJobDetail>(event)
                    .filter(|j| !j.guid.is_empty())
                    .map(Box::new)
                    .ok_or_else(|| format!("{} without a job in Data", event.type_string)),
            );
        }
        if is_profile_event(event) {
            let carried = profile_in_event(event)
                .map(|p| p.map(Box::new))
                .map_err(|e| format!("{}: Data is not a profile: {e}", event.type_string));
            return Decoded::Profile { account: account_username(event), carried };
        }
        if t == EventType::ACCOUNT_REMOVED {
            return Decoded::AccountRemoved { account: removed_account(event) };
        }
        match DeviceEvent::from_event(event) {
            Some(d) => Decoded::Device(d),
            None => Decoded::Ignored,
        }
    }
}

/// The events of a batch, decoded in order.
pub fn batch(events: &[StreamableEvent]) -> Vec<TypedEvent> {
    events.iter().map(TypedEvent::of).collect()
}

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
        Some(d) => UserProfileConfig::deserialize(d).map(Some),
    }
}

/// The account a `SEVT_ACCOUNT_REMOVED` seems to name: `ResourceID` (what account events carry
/// there, observed), else `Data.Username`; never `Actor`, which may be the administrator who
/// deleted it.
pub fn removed_account(event: &StreamableEvent) -> Option<String> {
    let from_data = || event.data.as_ref()?.get("Username")?.as_str().filter(|u| !u.is_empty()).map(str::to_string);
    let name = Some(event.resource_id.clone()).filter(|r| !r.is_empty()).or_else(from_data)?;
    Some(tenancy::normalize_username(&name))
}

pub fn is_job_event(event: &StreamableEvent) -> bool {
    event.r#type == EventType::JOB_NEW || event.r#type == EventType::JOB_COMPLETED
}

/// The account an event's rows belong to: an account event names it in `Data` or `ResourceID`;
/// for the others it is `Data.Username`, else `Actor`.
fn account_of(event: &StreamableEvent) -> String {
    if is_profile_event(event) || event.r#type == EventType::ACCOUNT_REMOVED {
        return account_username(event);
    }
    tenancy::normalize_username(event.owner_username())
}

fn data_as<T: serde::de::DeserializeOwned>(event: &StreamableEvent) -> Option<T> {
    let data = event.data.as_ref().filter(|d| !d.is_null())?;
    match T::deserialize(data) {
        Ok(v) => Some(v),
        Err(e) => {
            debug!(event = %event.type_string, error = %e, "event data does not have the expected shape");
            None
        }
    }
}

/// A device event, decoded. A live event's `username` is `Data.Username` when it carried a
/// connection.
///
/// `ResourceID` is the device ID of a registration and a removal (observed). For a live connection
/// the SDK documents neither `ResourceID` nor `Data`; when `Data` is a `LiveUserConnection` its
/// `DeviceID` and `Username` name the device, else `ResourceID` is taken as the device id and the
/// account comes from our own row (see `ingest::device_events`). `SEVT_DEVICE_NEW` names its
/// account only by `Actor` (confirmed in `ingest::prepare`).
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn event(t: EventType, actor: &str, resource: &str, data: Option<serde_json::Value>) -> StreamableEvent {
        StreamableEvent {
            r#type: t,
            type_string: "SEVT_X".into(),
            actor: actor.into(),
            resource_id: resource.into(),
            data,
            timestamp: 7,
            ..Default::default()
        }
    }

    #[test]
    fn an_administrator_actor_never_becomes_the_account() {
        let profile = TypedEvent::of(&event(EventType::ACCOUNT_UPDATED, "admin", "alice", None));
        assert_eq!(profile.account, "alice");
        assert_eq!(profile.kind, Decoded::Profile { account: "alice".into(), carried: Ok(None) });
        let removed = TypedEvent::of(&event(EventType::ACCOUNT_REMOVED, "admin", "bob", Some(json!({ "Username": "carol" }))));
        assert_eq!(removed.kind, Decoded::AccountRemoved { account: Some("bob".into()) }, "ResourceID first");
        let live = TypedEvent::of(&event(
            EventType::DEVICE_LIVE_CONNECT,
            "admin",
            "",
            Some(json!({ "DeviceID": "dev-1", "Username": "dave" })),
        ));
        let Decoded::Device(Ok(DeviceEvent::Live { device_id, username, online: true, ts: 7 })) = live.kind else {
            panic!("{live:?}")
        };
        assert_eq!((device_id.as_str(), username.as_deref()), ("dev-1", Some("dave")));
    }

    #[test]
    fn wrong_payloads_are_malformed_and_chatter_is_ignored() {
        let job = TypedEvent::of(&event(EventType::JOB_NEW, "alice", "", Some(json!({ "not": "a job" }))));
        assert_eq!(job.kind, Decoded::Job(Err("SEVT_X without a job in Data".into())));
        assert_eq!(job.named_user, "alice");
        let profile = TypedEvent::of(&event(EventType::ACCOUNT_NEW, "admin", "alice", Some(json!([1, 2]))));
        assert!(matches!(profile.kind, Decoded::Profile { carried: Err(_), .. }), "{profile:?}");
        let login = TypedEvent::of(&event(EventType::ACCOUNT_LOGIN, "alice", "", None));
        assert_eq!(login.kind, Decoded::Ignored);
    }
}
