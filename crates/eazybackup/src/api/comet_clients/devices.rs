//! The device calls of [`AccountComet`]: the account's live connections, the server's version,
//! and the dispatcher actions the Devices tab offers. Each one names only this account: a live
//! connection is found by (this account, DeviceID), never taken from the browser.

use comet::{BackupJobAdvancedOptions, CometError, UserProfileConfig};

use super::{AccountComet, upstream};
use crate::api::error::ApiError;

/// What a job-starting dispatcher call answered: the job's id when the device reported one
/// (25.9.6+ clients), else only that Comet accepted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispatched {
    pub job_id: Option<String>,
}

impl AccountComet {
    /// The live-connection id of `device_id` of this account, when it is connected.
    pub async fn live_id(&self, device_id: &str) -> Result<Option<String>, ApiError> {
        Ok(self.live_connections().await?.into_iter().find(|(_, c)| c.device_id == device_id).map(|(id, _)| id))
    }

    /// The Comet server's version (AdminMetaVersion), to tell which devices run an older client.
    pub async fn server_version(&self) -> Result<String, ApiError> {
        Ok(self.client.meta_version().await.map_err(upstream)?.version)
    }

    /// Read-modify-write of the account's profile under its hash (`AdminClient::update_profile`):
    /// a concurrent write re-runs `apply` on the fresh profile, so nothing else is lost; `apply`
    /// refusing (for example because the field it edits changed meanwhile) aborts with its error.
    pub async fn update_profile<T>(
        &self,
        apply: impl FnMut(&mut UserProfileConfig) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let out: Result<T, ProfileEditError> = self.client.update_profile(&self.username, wrap(apply)).await;
        out.map_err(|e| match e {
            ProfileEditError::Api(e) => e,
            ProfileEditError::Comet(CometError::Conflict { .. }) => {
                ApiError::Conflict("The account's settings kept changing while this was saved. Reload and try again.".into())
            }
            ProfileEditError::Comet(e) => upstream(e),
        })
    }

    /// AdminRevokeDevice: the device leaves the account with its Protected Items.
    pub async fn revoke_device(&self, device_id: &str) -> Result<(), ApiError> {
        self.client.revoke_device(&self.username, device_id).await.map_err(upstream).map(|_| ())
    }

    /// AdminDispatcherRunBackup of one of the account's backup rules.
    pub async fn run_backup_rule(&self, live_id: &str, rule_id: &str) -> Result<Dispatched, ApiError> {
        let r = self.client.dispatcher_run_backup(live_id, rule_id).await.map_err(upstream)?;
        Ok(Dispatched { job_id: Some(r.job_id).filter(|j| !j.is_empty()) })
    }

    /// AdminDispatcherRunBackupCustom: one item to one vault, with one-off options.
    pub async fn run_backup_custom(
        &self,
        live_id: &str,
        source: &str,
        destination: &str,
        options: Option<&BackupJobAdvancedOptions>,
    ) -> Result<Dispatched, ApiError> {
        let r = self.client.dispatcher_run_backup_custom(live_id, source, destination, options).await.map_err(upstream)?;
        Ok(Dispatched { job_id: Some(r.job_id).filter(|j| !j.is_empty()) })
    }

    pub async fn update_software(&self, live_id: &str) -> Result<(), ApiError> {
        self.client.dispatcher_update_software(live_id).await.map_err(upstream).map(|_| ())
    }

    pub async fn uninstall_software(&self, live_id: &str, remove_config: bool) -> Result<(), ApiError> {
        self.client.dispatcher_uninstall_software(live_id, remove_config).await.map_err(upstream).map(|_| ())
    }

    pub async fn drop_connection(&self, live_id: &str) -> Result<(), ApiError> {
        self.client.dispatcher_drop_connection(live_id).await.map_err(upstream).map(|_| ())
    }

    pub async fn kill_process(&self, live_id: &str) -> Result<(), ApiError> {
        self.client.dispatcher_kill_process(live_id).await.map_err(upstream).map(|_| ())
    }

    pub async fn refetch_profile(&self, live_id: &str) -> Result<(), ApiError> {
        self.client.dispatcher_refetch_profile(live_id).await.map_err(upstream).map(|_| ())
    }

    pub async fn update_login_password(&self, live_id: &str, password: &str) -> Result<(), ApiError> {
        self.client.dispatcher_update_login_password(live_id, password).await.map_err(upstream).map(|_| ())
    }

    /// Whether `password` is the account's current password: a user-web login with it (the
    /// session is revoked at once).
    pub async fn password_is_current(&self, password: &str) -> Result<bool, ApiError> {
        let creds = comet::Credentials { username: self.username.clone(), password: password.to_string(), ..Default::default() };
        let user = comet::UserWebClient::new(self.client.base_url(), creds).map_err(upstream)?;
        match user.login().await {
            Ok(()) => {
                let _ = user.session_revoke().await;
                Ok(true)
            }
            Err(e) if e.is_auth_failure() => Ok(false),
            Err(CometError::TotpRequired) => Ok(true),
            Err(e) => Err(upstream(e)),
        }
    }
}

/// `update_profile`'s error: Comet's, or the edit's own refusal.
enum ProfileEditError {
    Comet(CometError),
    Api(ApiError),
}

impl From<CometError> for ProfileEditError {
    fn from(e: CometError) -> Self {
        ProfileEditError::Comet(e)
    }
}

fn wrap<T>(
    mut apply: impl FnMut(&mut UserProfileConfig) -> Result<T, ApiError>,
) -> impl FnMut(&mut UserProfileConfig) -> Result<T, ProfileEditError> {
    move |p| apply(p).map_err(ProfileEditError::Api)
}
