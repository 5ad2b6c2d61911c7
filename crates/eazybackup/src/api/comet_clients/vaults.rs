//! The Comet calls of the Storage vaults tab, for the scoped account only (see the parent module):
//! the profile with its hash for conditional writes, the provider's storage templates, and the
//! dispatcher actions a live device of the account runs on one of its vaults.

use std::collections::BTreeMap;

use comet::{BackupJobDetail, CometError, RequestStorageVaultResponseMessage, SearchClause, VaultSnapshot, job_field, operator};

use super::{AccountComet, upstream};
use crate::api::error::ApiError;

/// The vault maintenance actions a device runs (each starts a job of its classification).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Maintenance {
    ApplyRetention,
    Reindex,
    Unlock,
    DeepVerify,
}

impl Maintenance {
    /// The job classification Comet gives the job this action starts.
    pub fn classification(self) -> i64 {
        match self {
            Maintenance::ApplyRetention => 4003,
            Maintenance::Unlock => 4004,
            Maintenance::Reindex => 4009,
            Maintenance::DeepVerify => 4010,
        }
    }
}

impl AccountComet {
    /// The provider's storage templates: id → name (AdminRequestStorageVaultProviders).
    pub async fn vault_templates(&self) -> Result<BTreeMap<String, String>, ApiError> {
        self.client.request_storage_vault_providers().await.map_err(upstream)
    }

    /// A new vault from a storage template, conditional on the profile hash.
    pub async fn request_vault(
        &self,
        template: &str,
        device_id: Option<&str>,
        hash: &str,
    ) -> Result<RequestStorageVaultResponseMessage, ApiError> {
        match self.client.request_storage_vault(&self.username, template, device_id, Some(hash)).await {
            Ok(r) => Ok(r),
            Err(e) => Err(self.conflict_or_upstream(e, hash).await),
        }
    }

    /// The snapshots of `vault`, read by the live device `live_id`.
    pub async fn vault_snapshots(&self, live_id: &str, vault: &str) -> Result<Vec<VaultSnapshot>, ApiError> {
        let r = self.client.dispatcher_request_vault_snapshots(live_id, vault).await.map_err(upstream)?;
        Ok(r.snapshots.into_inner())
    }

    /// Starts `action` on `vault` through the live device `live_id`.
    pub async fn maintain(&self, live_id: &str, vault: &str, action: Maintenance) -> Result<(), ApiError> {
        let r: Result<_, CometError> = match action {
            Maintenance::ApplyRetention => self.client.dispatcher_apply_retention_rules(live_id, vault).await,
            Maintenance::Reindex => self.client.dispatcher_reindex_storage_vault(live_id, vault).await,
            Maintenance::Unlock => self.client.dispatcher_unlock(live_id, vault, false).await,
            Maintenance::DeepVerify => self.client.dispatcher_deepverify_storage_vault(live_id, vault).await,
        };
        r.map(|_| ()).map_err(upstream)
    }

    /// Deletes `ids` from `vault` in one job run by the live device `live_id`.
    pub async fn delete_snapshots(&self, live_id: &str, vault: &str, ids: &[String]) -> Result<(), ApiError> {
        self.client.dispatcher_delete_snapshots(live_id, vault, ids).await.map(|_| ()).map_err(upstream)
    }

    /// The account's jobs on `vault` (one custom search), optionally of one classification and
    /// started at or after `since`.
    pub async fn vault_jobs(
        &self,
        vault: Option<&str>,
        classification: Option<i64>,
        since: i64,
    ) -> Result<Vec<BackupJobDetail>, ApiError> {
        let mut query =
            SearchClause::username(&self.username).and_also(SearchClause::rule(job_field::START_TIME, operator::INT_GTE, since));
        if let Some(v) = vault {
            query = query.and_also(SearchClause::rule(job_field::DESTINATION_GUID, operator::STRING_EQ, v));
        }
        if let Some(c) = classification {
            query = query.and_also(SearchClause::rule(job_field::CLASSIFICATION, operator::INT_EQ, c));
        }
        self.client.get_jobs_for_custom_search(&query).await.map_err(upstream)
    }
}
