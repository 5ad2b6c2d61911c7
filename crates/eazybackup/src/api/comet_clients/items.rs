//! The Comet calls of the protected-items routes, for the scoped account only: read the profile
//! with its revision hash, read and write one item with its rules (conditional on the hash), delete
//! an item, and browse a live device of the account.

use std::collections::BTreeMap;

use comet::{BackupRuleConfig, BrowseDiskDrivesResponse, DispatcherStoredObjectsResponse, SourceConfig, UserProfileConfig};

use super::{AccountComet, upstream};
use crate::api::error::ApiError;

/// What a 409 says when the profile moved on under a save.
pub const CHANGED_MEANWHILE: &str = "This protected item or its account was changed elsewhere while you edited it.";

impl AccountComet {
    /// The profile and its revision hash (AdminGetUserProfileAndHash).
    pub async fn profile_and_hash(&self) -> Result<(UserProfileConfig, String), ApiError> {
        let r = self.client.get_user_profile_and_hash(&self.username).await.map_err(upstream)?;
        Ok((r.profile, r.profile_hash))
    }

    /// One item, its rules and the profile hash; `None` when the account has no such item.
    pub async fn protected_item(
        &self,
        item_id: &str,
    ) -> Result<Option<(SourceConfig, BTreeMap<String, BackupRuleConfig>, String)>, ApiError> {
        // The id is checked against the profile first: Comet's answer for a missing item is an
        // error we could not tell from any other.
        let (profile, _) = self.profile_and_hash().await?;
        if !profile.sources.contains_key(item_id) {
            return Ok(None);
        }
        let r = self.client.get_protected_item_with_backup_rules(&self.username, item_id).await.map_err(upstream)?;
        Ok(Some((r.source, r.backup_rules, r.profile_hash)))
    }

    /// Writes the item and its complete rule set in one call, only if the profile is still at
    /// `require_hash`. A refusal after which the hash differs is a conflict (409); otherwise
    /// Comet's own words (502).
    pub async fn set_protected_item(
        &self,
        item_id: &str,
        source: &SourceConfig,
        rules: &BTreeMap<String, BackupRuleConfig>,
        require_hash: &str,
    ) -> Result<Option<String>, ApiError> {
        let written = self
            .client
            .set_protected_item_with_backup_rules(&self.username, item_id, Some(source), Some(rules), Some(require_hash))
            .await;
        match written {
            Ok(_) => Ok(self.client.get_user_profile_hash(&self.username).await.ok().map(|h| h.profile_hash)),
            Err(e) => {
                let now = self.client.get_user_profile_hash(&self.username).await.map_err(upstream)?;
                if now.profile_hash != require_hash {
                    Err(ApiError::Conflict(CHANGED_MEANWHILE.into()))
                } else {
                    Err(upstream(e))
                }
            }
        }
    }

    /// AdminDeleteProtectedItem: the item and the rules that back it up.
    pub async fn delete_protected_item(&self, item_id: &str) -> Result<(), ApiError> {
        self.client.delete_protected_item(&self.username, item_id).await.map_err(upstream).map(drop)
    }

    /// The live-connection id of one of the account's devices, when it is connected.
    pub async fn live_target(&self, device_id: &str) -> Result<Option<String>, ApiError> {
        let live = self.client.dispatcher_list_active(Some(&self.username)).await.map_err(upstream)?;
        Ok(live.into_iter().find(|(_, c)| c.username == self.username && c.device_id == device_id).map(|(id, _)| id))
    }

    /// The ids of the account's connected devices.
    pub async fn live_devices(&self) -> Result<std::collections::BTreeSet<String>, ApiError> {
        let live = self.client.dispatcher_list_active(Some(&self.username)).await.map_err(upstream)?;
        Ok(live.into_values().filter(|c| c.username == self.username).map(|c| c.device_id).collect())
    }

    /// One directory of the device (`None`: its roots).
    pub async fn browse_filesystem(&self, target: &str, path: Option<&str>) -> Result<DispatcherStoredObjectsResponse, ApiError> {
        self.client.dispatcher_request_filesystem_objects(target, path).await.map_err(upstream)
    }

    /// The device's disks and partitions.
    pub async fn browse_disks(&self, target: &str) -> Result<BrowseDiskDrivesResponse, ApiError> {
        self.client.dispatcher_request_browse_disk_drives(target).await.map_err(upstream)
    }
}
