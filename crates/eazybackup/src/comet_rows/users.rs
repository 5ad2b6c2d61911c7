//! The `comet_users` summary of a profile: counts and settings, never the profile itself (it
//! carries the password hash, TOTP key and vault credentials).

use comet::UserProfileConfig;

use crate::db::schema::COMET_USERS;
use crate::db::text_fit;
use crate::db::timestamp::comet_time;
use crate::db::users::{AccountCounts, UserSummary};

impl UserSummary {
    pub fn from_profile(p: &UserProfileConfig) -> UserSummary {
        let counts = AccountCounts {
            devices: p.devices.len() as i64,
            protected_items: p.sources.len() as i64,
            vaults: p.destinations.len() as i64,
            vault_bytes: p.destinations.values().filter_map(|d| d.measured_size()).map(|b| b.max(0)).sum(),
            protected_bytes: p.sources.values().filter_map(|s| s.last_known_size()).map(|b| b.max(0)).sum(),
        };
        UserSummary {
            account_name: text_fit::display_owned(&COMET_USERS, "account_name", &p.account_name),
            locale: text_fit::display_owned(&COMET_USERS, "locale", &p.language_code),
            timezone: text_fit::display_owned(&COMET_USERS, "timezone", &p.local_timezone),
            is_suspended: p.is_suspended,
            has_items_limit: p.all_protected_items_quota_enabled,
            items_limit_bytes: p.all_protected_items_quota_bytes.max(0),
            device_quota: p.maximum_devices.max(0),
            policy_id: text_fit::reference_or_empty(&COMET_USERS, "comet_policy_id", &p.policy_id).to_string(),
            created_at: comet_time(p.create_time),
            counts,
        }
    }
}
