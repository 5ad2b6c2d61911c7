//! Live event types (`StreamableEvent.Type`, the `SEVT_*` constants).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A `SEVT_*` event type code. Unknown values are kept as-is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventType(pub i64);

impl EventType {
    /// Lower bound of the event type range.
    pub const MIN: Self = Self(4000);
    /// Upper bound of the event type range.
    pub const MAX: Self = Self(4999);
    /// `SEVT_META_HELLO` (4000): First frame on a new stream connection.
    pub const META_HELLO: Self = Self(4000);
    /// `SEVT_ACCOUNT_NEW` (4100): User account created.
    pub const ACCOUNT_NEW: Self = Self(4100);
    /// `SEVT_ACCOUNT_REMOVED` (4101): User account deleted.
    pub const ACCOUNT_REMOVED: Self = Self(4101);
    /// `SEVT_ACCOUNT_UPDATED` (4102): User profile changed.
    pub const ACCOUNT_UPDATED: Self = Self(4102);
    /// `SEVT_ACCOUNT_LOGIN` (4103): User authenticated with a password.
    pub const ACCOUNT_LOGIN: Self = Self(4103);
    /// `SEVT_ACCOUNT_LOGIN_FAILED` (4104): User authentication failed.
    pub const ACCOUNT_LOGIN_FAILED: Self = Self(4104);
    /// `SEVT_ACCOUNT_SESSION_START` (4105): User session key created.
    pub const ACCOUNT_SESSION_START: Self = Self(4105);
    /// `SEVT_ACCOUNT_SESSION_REVOKE` (4106): User session key deleted.
    pub const ACCOUNT_SESSION_REVOKE: Self = Self(4106);
    /// `SEVT_ACCOUNT_SESSION_EXPIRE` (4107): User session key expired.
    pub const ACCOUNT_SESSION_EXPIRE: Self = Self(4107);
    /// `SEVT_ACCOUNT_ADMIN_NEW` (4150): Admin created.
    pub const ACCOUNT_ADMIN_NEW: Self = Self(4150);
    /// `SEVT_ACCOUNT_ADMIN_REMOVED` (4151): Admin deleted.
    pub const ACCOUNT_ADMIN_REMOVED: Self = Self(4151);
    /// `SEVT_ACCOUNT_ADMIN_UPDATED` (4152): Admin updated.
    pub const ACCOUNT_ADMIN_UPDATED: Self = Self(4152);
    /// `SEVT_ACCOUNT_ADMIN_LOGIN` (4153): Admin authenticated with a password.
    pub const ACCOUNT_ADMIN_LOGIN: Self = Self(4153);
    /// `SEVT_ACCOUNT_ADMIN_LOGIN_FAILED` (4154): Admin authentication failed.
    pub const ACCOUNT_ADMIN_LOGIN_FAILED: Self = Self(4154);
    /// `SEVT_ACCOUNT_ADMIN_SESSION_START` (4155): Admin session created.
    pub const ACCOUNT_ADMIN_SESSION_START: Self = Self(4155);
    /// `SEVT_ACCOUNT_ADMIN_SESSION_REVOKE` (4156): Admin session deleted.
    pub const ACCOUNT_ADMIN_SESSION_REVOKE: Self = Self(4156);
    /// `SEVT_ACCOUNT_ADMIN_SESSION_EXPIRE` (4157): Admin session expired.
    pub const ACCOUNT_ADMIN_SESSION_EXPIRE: Self = Self(4157);
    /// `SEVT_JOB_NEW` (4200): A job started.
    pub const JOB_NEW: Self = Self(4200);
    /// `SEVT_JOB_COMPLETED` (4201): A job reached a terminal state.
    pub const JOB_COMPLETED: Self = Self(4201);
    /// `SEVT_BUCKET_NEW` (4300): Storage Role bucket created.
    pub const BUCKET_NEW: Self = Self(4300);
    /// `SEVT_BUCKET_REMOVED` (4301): Bucket deleted.
    pub const BUCKET_REMOVED: Self = Self(4301);
    /// `SEVT_SERVER_STARTED` (4400): Server started.
    pub const SERVER_STARTED: Self = Self(4400);
    /// `SEVT_SERVER_RESTARTED` (4401): Server restart pending.
    pub const SERVER_RESTARTED: Self = Self(4401);
    /// `SEVT_SERVER_SHUTDOWN` (4402): Server shutdown pending.
    pub const SERVER_SHUTDOWN: Self = Self(4402);
    /// `SEVT_SERVER_UPDATED` (4403): Server configuration changed.
    pub const SERVER_UPDATED: Self = Self(4403);
    /// `SEVT_TENANT_NEW` (4500): Tenant created.
    pub const TENANT_NEW: Self = Self(4500);
    /// `SEVT_TENANT_REMOVED` (4501): Tenant deleted.
    pub const TENANT_REMOVED: Self = Self(4501);
    /// `SEVT_TENANT_UPDATED` (4502): Tenant updated.
    pub const TENANT_UPDATED: Self = Self(4502);
    /// `SEVT_POLICY_NEW` (4600): Policy created.
    pub const POLICY_NEW: Self = Self(4600);
    /// `SEVT_POLICY_REMOVED` (4601): Policy deleted.
    pub const POLICY_REMOVED: Self = Self(4601);
    /// `SEVT_POLICY_UPDATED` (4602): Policy updated.
    pub const POLICY_UPDATED: Self = Self(4602);
    /// `SEVT_DEVICE_NEW` (4700): Device registered into an account.
    pub const DEVICE_NEW: Self = Self(4700);
    /// `SEVT_DEVICE_REMOVED` (4701): Device removed from an account.
    pub const DEVICE_REMOVED: Self = Self(4701);
    /// `SEVT_DEVICE_LIVE_CONNECT` (4702): Device live connection opened.
    pub const DEVICE_LIVE_CONNECT: Self = Self(4702);
    /// `SEVT_DEVICE_LIVE_DISCONNECT` (4703): Device live connection closed.
    pub const DEVICE_LIVE_DISCONNECT: Self = Self(4703);
    /// `SEVT_DEVICE_LOBBY_CONNECT` (4704): Unregistered device joined the registration lobby.
    pub const DEVICE_LOBBY_CONNECT: Self = Self(4704);
    /// `SEVT_DEVICE_LOBBY_DISCONNECT` (4705): Device left the registration lobby.
    pub const DEVICE_LOBBY_DISCONNECT: Self = Self(4705);
    /// `SEVT_USERGROUP_NEW` (4800): User group created.
    pub const USERGROUP_NEW: Self = Self(4800);
    /// `SEVT_USERGROUP_REMOVED` (4801): User group deleted.
    pub const USERGROUP_REMOVED: Self = Self(4801);
    /// `SEVT_USERGROUP_UPDATED` (4802): User group updated.
    pub const USERGROUP_UPDATED: Self = Self(4802);
    /// `SEVT_SQUOTA_NEW` (4803): Shared storage quota created (25.9.8).
    pub const SQUOTA_NEW: Self = Self(4803);
    /// `SEVT_SQUOTA_REMOVED` (4804): Shared storage quota deleted (25.9.8).
    pub const SQUOTA_REMOVED: Self = Self(4804);
    /// `SEVT_SQUOTA_UPDATED` (4805): Shared storage quota updated (25.9.8).
    pub const SQUOTA_UPDATED: Self = Self(4805);

    /// The constant name, e.g. `SEVT_JOB_COMPLETED`; `None` for codes this crate does not know.
    pub fn name(self) -> Option<&'static str> {
        match self.0 {
            4000 => Some("SEVT_META_HELLO"),
            4100 => Some("SEVT_ACCOUNT_NEW"),
            4101 => Some("SEVT_ACCOUNT_REMOVED"),
            4102 => Some("SEVT_ACCOUNT_UPDATED"),
            4103 => Some("SEVT_ACCOUNT_LOGIN"),
            4104 => Some("SEVT_ACCOUNT_LOGIN_FAILED"),
            4105 => Some("SEVT_ACCOUNT_SESSION_START"),
            4106 => Some("SEVT_ACCOUNT_SESSION_REVOKE"),
            4107 => Some("SEVT_ACCOUNT_SESSION_EXPIRE"),
            4150 => Some("SEVT_ACCOUNT_ADMIN_NEW"),
            4151 => Some("SEVT_ACCOUNT_ADMIN_REMOVED"),
            4152 => Some("SEVT_ACCOUNT_ADMIN_UPDATED"),
            4153 => Some("SEVT_ACCOUNT_ADMIN_LOGIN"),
            4154 => Some("SEVT_ACCOUNT_ADMIN_LOGIN_FAILED"),
            4155 => Some("SEVT_ACCOUNT_ADMIN_SESSION_START"),
            4156 => Some("SEVT_ACCOUNT_ADMIN_SESSION_REVOKE"),
            4157 => Some("SEVT_ACCOUNT_ADMIN_SESSION_EXPIRE"),
            4200 => Some("SEVT_JOB_NEW"),
            4201 => Some("SEVT_JOB_COMPLETED"),
            4300 => Some("SEVT_BUCKET_NEW"),
            4301 => Some("SEVT_BUCKET_REMOVED"),
            4400 => Some("SEVT_SERVER_STARTED"),
            4401 => Some("SEVT_SERVER_RESTARTED"),
            4402 => Some("SEVT_SERVER_SHUTDOWN"),
            4403 => Some("SEVT_SERVER_UPDATED"),
            4500 => Some("SEVT_TENANT_NEW"),
            4501 => Some("SEVT_TENANT_REMOVED"),
            4502 => Some("SEVT_TENANT_UPDATED"),
            4600 => Some("SEVT_POLICY_NEW"),
            4601 => Some("SEVT_POLICY_REMOVED"),
            4602 => Some("SEVT_POLICY_UPDATED"),
            4700 => Some("SEVT_DEVICE_NEW"),
            4701 => Some("SEVT_DEVICE_REMOVED"),
            4702 => Some("SEVT_DEVICE_LIVE_CONNECT"),
            4703 => Some("SEVT_DEVICE_LIVE_DISCONNECT"),
            4704 => Some("SEVT_DEVICE_LOBBY_CONNECT"),
            4705 => Some("SEVT_DEVICE_LOBBY_DISCONNECT"),
            4800 => Some("SEVT_USERGROUP_NEW"),
            4801 => Some("SEVT_USERGROUP_REMOVED"),
            4802 => Some("SEVT_USERGROUP_UPDATED"),
            4803 => Some("SEVT_SQUOTA_NEW"),
            4804 => Some("SEVT_SQUOTA_REMOVED"),
            4805 => Some("SEVT_SQUOTA_UPDATED"),
            _ => None,
        }
    }

    /// True for `SEVT_JOB_NEW` and `SEVT_JOB_COMPLETED`, whose `Data` is a `BackupJobDetail`.
    pub fn is_job(self) -> bool {
        self == Self::JOB_NEW || self == Self::JOB_COMPLETED
    }

    /// True for `SEVT_ACCOUNT_NEW` and `SEVT_ACCOUNT_UPDATED`, whose `Data` is a whole profile.
    pub fn carries_profile(self) -> bool {
        self == Self::ACCOUNT_NEW || self == Self::ACCOUNT_UPDATED
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "SEVT({})", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_unknowns() {
        assert_eq!(EventType::JOB_COMPLETED.0, 4201);
        assert_eq!(EventType(4201).name(), Some("SEVT_JOB_COMPLETED"));
        assert_eq!(EventType(4000).name(), Some("SEVT_META_HELLO"));
        assert_eq!(EventType(4805).name(), Some("SEVT_SQUOTA_UPDATED"));
        assert_eq!(EventType(4999).name(), None);
        assert_eq!(EventType(4998).to_string(), "SEVT(4998)");
        assert!(EventType::JOB_NEW.is_job() && !EventType::DEVICE_NEW.is_job());
        assert!(EventType::ACCOUNT_UPDATED.carries_profile());
        let t: EventType = serde_json::from_str("-5").unwrap();
        assert_eq!(t, EventType(-5));
    }
}
