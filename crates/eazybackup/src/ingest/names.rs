//! Friendly names for the ids a job carries (device, protected item), from each user's profile.
//!
//! Profiles arrive with every `SEVT_ACCOUNT_UPDATED`, so the cache is refreshed from the event's
//! own data; a user seen for the first time costs one `AdminGetUserProfile`, never one per job.

use std::collections::HashMap;

use comet::UserProfileConfig;

#[derive(Default, Debug, Clone)]
pub struct AccountNames {
    pub devices: HashMap<String, String>,
    pub items: HashMap<String, String>,
}

impl AccountNames {
    pub fn from_profile(profile: &UserProfileConfig) -> AccountNames {
        AccountNames {
            devices: profile.devices.iter().map(|(id, d)| (id.clone(), d.friendly_name.clone())).collect(),
            items: profile.sources.iter().map(|(id, s)| (id.clone(), s.description.clone())).collect(),
        }
    }
}

#[derive(Default)]
pub struct NameCache {
    accounts: HashMap<String, AccountNames>,
}

impl NameCache {
    pub fn get(&self, username: &str) -> Option<&AccountNames> {
        self.accounts.get(username)
    }

    pub fn update(&mut self, username: &str, profile: &UserProfileConfig) {
        self.accounts.insert(username.to_string(), AccountNames::from_profile(profile));
    }

    pub fn forget(&mut self, username: &str) {
        self.accounts.remove(username);
    }
}
