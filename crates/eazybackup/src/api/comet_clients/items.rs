//! The Comet calls of the protected-items routes, for the scoped account only: read the profile
//! with its revision hash, read and write one item with its rules (conditional on the hash), delete
//! an item, and browse a live device of the account.

use std::collections::BTreeMap;

use comet::{BackupRuleConfig, BrowseDiskDrivesResponse, DispatcherStoredObjectsResponse, SourceConfig};

use super::{AccountComet, upstream};
use crate::api::error::ApiError;

/// What a 409 says when the profile moved on under a save.
pub const CHANGED_MEANWHILE: &str = "This protected item or its account was changed elsewhere while you edited it.";

impl AccountComet {
    /// One item, its rules and the profile hash; `None` when the account has no such item.
    pub async fn protected_item(
        &self,
        item_id: &str,
    ) -> Result<Option<(SourceConfig, BTreeMap<String, BackupRuleConfig>, String)>, ApiError> {
        // The id is checked against the profile first: Comet's answer for a missing item is an
        // error we could not tell from any other.
        let profile = self.profile_and_hash().await?.profile;
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

    /// The ids of the account's connected devices.
    pub async fn connected_device_ids(&self) -> Result<std::collections::BTreeSet<String>, ApiError> {
        Ok(self.live_connections().await?.into_values().map(|c| c.device_id).collect())
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
