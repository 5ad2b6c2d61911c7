//! The customer API's way to Comet: one Admin API client per profile, built once when `serve`
//! starts from the same credential source as the worker (`servers::resolve`: WHMCS's server row,
//! else `.env`), each with its own connection pool, session and time limits.
//!
//! Handlers never hold a client: [`CometClients::account`] takes the request's
//! [`ScopedService`] and answers an [`AccountComet`] whose calls can only name that service's
//! account, so a handler cannot ask Comet about an account that is not the client's.

pub mod vaults;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use comet::{AdminClient, CometError, NewsEntry, Timeouts, UserProfileConfig};

use crate::api::error::ApiError;
use crate::api::scope::ScopedService;
use crate::config::Config;
use crate::db::Db;
use crate::db::tenancy;

mod account_settings;
mod profile;
pub use profile::PROFILE_CHANGED;
mod devices;
pub use devices::Dispatched;
mod items;
pub use items::CHANGED_MEANWHILE;

/// A browser is waiting: give up on a Comet server sooner than the worker does.
pub const API_TIMEOUTS: Timeouts = Timeouts { connect: Duration::from_secs(3), request: Duration::from_secs(10) };

/// What the customer reads when Comet could not be reached at all (the transport error names
/// our internal addresses, so it stays in the log).
pub const UNREACHABLE_MESSAGE: &str = "The backup server could not be reached.";

/// One Admin API client per profile name (as `Service::profile` names it).
#[derive(Clone, Default)]
pub struct CometClients {
    by_profile: Arc<BTreeMap<String, Arc<AdminClient>>>,
}

impl std::fmt::Debug for CometClients {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CometClients").field("profiles", &self.by_profile.keys().collect::<Vec<_>>()).finish()
    }
}

impl CometClients {
    /// Already-built clients (tests, and callers that resolved credentials themselves).
    pub fn from_clients(clients: impl IntoIterator<Item = (String, AdminClient)>) -> Self {
        CometClients { by_profile: Arc::new(clients.into_iter().map(|(p, c)| (p, Arc::new(c))).collect()) }
    }

    /// A client for every profile an owned account names and every `COMET_<profile>_*` block. A
    /// profile whose credentials cannot be resolved is logged and left out: its services still
    /// answer from our tables, and calls that need Comet answer `upstream`.
    pub async fn build(config: &Config, db: &Db) -> Self {
        let mut profiles: Vec<String> = config.profiles.keys().cloned().collect();
        match tenancy::owned_profiles(db).await {
            Ok(owned) => profiles.extend(owned),
            Err(e) => tracing::warn!(error = %e, "cannot list the profiles of owned accounts; using .env profiles only"),
        }
        profiles.sort_unstable();
        profiles.dedup();
        let mut clients = Vec::new();
        for profile in profiles {
            let access = match crate::servers::resolve(config, db, &profile).await {
                Ok(access) => access,
                Err(e) => {
                    tracing::warn!(profile = %profile, error = %e, "no Comet client for this profile");
                    continue;
                }
            };
            match AdminClient::with_timeouts(&access.origin, access.admin.clone(), API_TIMEOUTS) {
                Ok(client) => {
                    tracing::info!(profile = %profile, origin = %access.origin, "Comet client ready");
                    clients.push((profile, client));
                }
                Err(e) => tracing::warn!(profile = %profile, error = %e, "no Comet client for this profile"),
            }
        }
        CometClients::from_clients(clients)
    }

    /// The profiles there is a client for (logged at start-up).
    pub fn profiles(&self) -> Vec<&str> {
        self.by_profile.keys().map(String::as_str).collect()
    }

    /// Comet, for the account of the request's service only.
    pub fn account(&self, scoped: &ScopedService) -> Result<AccountComet, ApiError> {
        let client = self.by_profile.get(&scoped.service.profile).cloned().ok_or_else(|| {
            tracing::warn!(profile = %scoped.service.profile, "no Comet client configured for this service's profile");
            ApiError::Upstream(UNREACHABLE_MESSAGE.into())
        })?;
        Ok(AccountComet { client, username: scoped.service.username.clone() })
    }
}

/// The Comet calls a handler may make about one scoped account.
pub struct AccountComet {
    client: Arc<AdminClient>,
    username: String,
}

impl AccountComet {
    /// The account's whole profile (AdminGetUserProfile). Secret fields stay in here: views copy
    /// what they show.
    pub async fn profile(&self) -> Result<UserProfileConfig, ApiError> {
        self.client.get_user_profile(&self.username).await.map_err(upstream)
    }

    /// The provider's news for this account: AdminNewsGetAll holds every tenant's entries, so only
    /// those of the account's organization are kept (`organization_id` from its profile).
    pub async fn news(&self, organization_id: &str) -> Result<Vec<(String, NewsEntry)>, ApiError> {
        let all = self.client.news_get_all().await.map_err(upstream)?;
        Ok(all.into_iter().filter(|(_, n)| n.organization_id == organization_id).collect())
    }
}

/// The account's jobs (Jobs tab). Comet's job calls take a job id alone; every answer is checked
/// against the account here, so a job of another account reads as absent.
impl AccountComet {
    /// AdminGetJobProperties, if the job is this account's. `Ok(None)`: Comet does not know it, or
    /// it is another account's.
    pub async fn job(&self, job_id: &str) -> Result<Option<comet::BackupJobDetail>, ApiError> {
        match self.client.get_job_properties(job_id).await {
            Ok(job) if job.username == self.username => Ok(Some(job)),
            Ok(_) => Ok(None),
            Err(CometError::Api { .. }) => Ok(None),
            Err(e) => Err(upstream(e)),
        }
    }

    /// AdminGetJobLogEntries of a job already checked to be this account's. `Ok(None)`: Comet
    /// refused (it no longer holds the job).
    pub async fn job_log_entries(
        &self,
        job_id: &str,
        min_severity: Option<&str>,
        contains: Option<&str>,
    ) -> Result<Option<Vec<comet::JobEntry>>, ApiError> {
        match self.client.get_job_log_entries(job_id, min_severity, contains).await {
            Ok(entries) => Ok(Some(entries)),
            Err(CometError::Api { .. }) => Ok(None),
            Err(e) => Err(upstream(e)),
        }
    }

    /// AdminGetJobLog (plain text) of a job already checked to be this account's.
    pub async fn job_log_text(&self, job_id: &str) -> Result<Option<String>, ApiError> {
        match self.client.get_job_log(job_id).await {
            Ok(text) => Ok(Some(text)),
            Err(CometError::Api { .. }) => Ok(None),
            Err(e) => Err(upstream(e)),
        }
    }

    /// AdminJobCancel for this account's job: Comet forwards it to the device, which ends the job.
    pub async fn job_cancel(&self, job_id: &str) -> Result<(), ApiError> {
        self.client.job_cancel(&self.username, job_id).await.map(|_| ()).map_err(upstream)
    }
}

/// `ApiError::Upstream` with Comet's own words when Comet answered, and a plain sentence when it
/// could not be reached (the cause is logged).
pub fn upstream(e: CometError) -> ApiError {
    let message = match &e {
        CometError::Api { message, .. } | CometError::Forbidden { message } => message.clone(),
        CometError::Http { status, .. } => format!("The backup server answered HTTP {status}."),
        _ => UNREACHABLE_MESSAGE.to_string(),
    };
    tracing::warn!(error = %e, "Comet call failed");
    ApiError::Upstream(message)
}

/// A live connection of the scoped account's device: the only way to name a `TargetID`, so a
/// dispatcher call can only reach one of the account's own devices.
#[derive(Debug, Clone)]
pub struct LiveDevice {
    live_id: String,
    pub device_id: String,
}

/// The dispatcher calls of the Restore tab, each through one of the account's live devices.
impl AccountComet {
    /// DeviceIDs of the account's devices connected now (AdminDispatcherListActive).
    pub async fn online_devices(&self) -> Result<Vec<LiveDevice>, ApiError> {
        Ok(self
            .live_connections()
            .await?
            .into_iter()
            .map(|(live_id, c)| LiveDevice { live_id, device_id: c.device_id })
            .collect())
    }

    /// The live connection of `device_id`, or `None` when it is not connected now.
    pub async fn live_device(&self, device_id: &str) -> Result<Option<LiveDevice>, ApiError> {
        Ok(self.online_devices().await?.into_iter().find(|d| d.device_id == device_id))
    }

    /// The snapshots of `vault_id`, read by `device` (AdminDispatcherRequestVaultSnapshots).
    pub async fn snapshots_read_by(&self, device: &LiveDevice, vault_id: &str) -> Result<Vec<comet::VaultSnapshot>, ApiError> {
        self.vault_snapshots(&device.live_id, vault_id).await
    }

    /// One directory level of a snapshot (AdminDispatcherRequestStoredObjects).
    pub async fn stored_objects(
        &self,
        device: &LiveDevice,
        vault_id: &str,
        snapshot_id: &str,
        tree_id: Option<&str>,
    ) -> Result<Vec<comet::StoredObject>, ApiError> {
        let answer = self
            .client
            .dispatcher_request_stored_objects(&device.live_id, vault_id, snapshot_id, tree_id, None)
            .await
            .map_err(upstream)?;
        Ok(answer.stored_objects.into_inner())
    }

    /// Files matching `filter` in each of `snapshot_ids` (AdminDispatcherSearchSnapshots).
    pub async fn search_snapshots(
        &self,
        device: &LiveDevice,
        vault_id: &str,
        snapshot_ids: &[String],
        filter: &comet::SearchClause,
    ) -> Result<comet::SearchSnapshotsResponse, ApiError> {
        self.client.dispatcher_search_snapshots(&device.live_id, vault_id, snapshot_ids, filter).await.map_err(upstream)
    }

    /// Starts a restore on `device` (AdminDispatcherRunRestoreCustom); Comet's answer names the
    /// job only for 25.9.6+ devices.
    pub async fn run_restore(
        &self,
        device: &LiveDevice,
        item_id: &str,
        vault_id: &str,
        options: &comet::RestoreJobAdvancedOptions,
        snapshot_id: &str,
        paths: Option<&[String]>,
    ) -> Result<String, ApiError> {
        let answer = self
            .client
            .dispatcher_run_restore_custom(&device.live_id, item_id, vault_id, options, Some(snapshot_id), paths)
            .await
            .map_err(upstream)?;
        Ok(answer.job_id)
    }

    /// This account's restore jobs of `device_id` started at or after `since` (custom search), for
    /// a device too old to name the job it started.
    pub async fn restore_jobs_since(&self, device_id: &str, since: i64) -> Result<Vec<comet::BackupJobDetail>, ApiError> {
        use comet::{SearchClause, job_field, operator};
        let query = SearchClause::username(&self.username)
            .and_also(SearchClause::device(device_id))
            .and_also(SearchClause::rule(job_field::CLASSIFICATION, operator::INT_EQ, comet::JobClassification::RESTORE.0))
            .and_also(SearchClause::rule(job_field::START_TIME, operator::INT_GTE, since));
        self.client.get_jobs_for_custom_search(&query).await.map_err(upstream)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comet_refusals_keep_their_words_and_transport_faults_do_not_leak_addresses() {
        let api = upstream(CometError::Api { status: 500, message: "No such user".into() });
        assert!(matches!(&api, ApiError::Upstream(m) if m == "No such user"));
        let bad_url = upstream(CometError::InvalidUrl { url: "http://10.0.0.5:8060".into(), reason: "x".into() });
        assert!(matches!(&bad_url, ApiError::Upstream(m) if m == UNREACHABLE_MESSAGE), "{bad_url:?}");
        assert_eq!(api.status_and_code().1, "upstream");
    }
}
