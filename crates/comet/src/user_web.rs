//! The end-user API (`/api/v1/user/web/…`, §4.3–4.7): what a portal does *as* the customer,
//! typically with a session key from [`AdminClient::session_start_as_user`], so Comet applies
//! the account's own policy. Same transport rules as [`AdminClient`].

use crate::client::{AdminClient, Credentials, Family, Retry, encode_error};
use crate::error::CometError;
use crate::form::Form;
use crate::models::*;
use std::collections::BTreeMap;

/// The user-web API family: its login, and the account's own profile as the probe.
const USER_WEB: Family =
    Family { session_start: "api/v1/user/web/session/start", probe: "api/v1/user/web/get-user-profile-and-hash" };

/// A client for one end-user account.
#[derive(Debug)]
pub struct UserWebClient {
    inner: AdminClient,
}

fn with_target_id(target_id: &str) -> Form {
    Form::new().text("TargetID", target_id)
}

impl UserWebClient {
    /// A client for `creds.username` (password, or a session key from
    /// [`AdminClient::session_start_as_user`]).
    pub fn new(origin: &str, creds: Credentials) -> Result<Self, CometError> {
        Ok(Self { inner: AdminClient::for_family(origin, creds, &USER_WEB, crate::client::Timeouts::default())? })
    }

    /// The account name.
    pub fn username(&self) -> &str {
        self.inner.username()
    }

    /// UserWebSessionStart now (instead of lazily on the first call).
    pub async fn login(&self) -> Result<(), CometError> {
        self.inner.login().await
    }

    /// UserWebSessionRevoke: log the current session out.
    pub async fn session_revoke(&self) -> Result<CometAPIResponseMessage, CometError> {
        self.inner.call("api/v1/user/web/session/revoke", Form::new(), Retry::Never).await
    }

    /// UserWebGetUserProfileAndHash.
    pub async fn get_user_profile_and_hash(&self) -> Result<GetProfileAndHashResponseMessage, CometError> {
        self.inner.call("api/v1/user/web/get-user-profile-and-hash", Form::new(), Retry::Safe).await
    }

    /// UserWebSetProfileHash: conditional whole-profile write (policy enforced by Comet).
    pub async fn set_profile_hash(
        &self,
        profile: &UserProfileConfig,
        profile_hash: &str,
    ) -> Result<GetProfileAndHashResponseMessage, CometError> {
        let form = Form::new().json("ProfileData", profile).map_err(encode_error)?.text("ProfileHash", profile_hash);
        self.inner.call("api/v1/user/web/set-profile-hash", form, Retry::Safe).await
    }

    /// UserWebGetProtectedItemWithBackupRules.
    pub async fn get_protected_item_with_backup_rules(
        &self,
        source_id: &str,
    ) -> Result<ProtectedItemWithBackupRulesResponse, CometError> {
        let form = Form::new().text("SourceID", source_id);
        self.inner.call("api/v1/user/web/get-protected-item-with-backup-rules", form, Retry::Safe).await
    }

    /// UserWebDeleteProtectedItem.
    pub async fn delete_protected_item(&self, source_id: &str) -> Result<CometAPIResponseMessage, CometError> {
        let form = Form::new().text("SourceID", source_id);
        self.inner.call("api/v1/user/web/delete-protected-item", form, Retry::Safe).await
    }

    /// UserWebAccountResetPassword: change the own password, conditional on the profile hash.
    pub async fn account_reset_password(
        &self,
        profile_hash: &str,
        old_password: &str,
        new_password: &str,
    ) -> Result<CometAPIResponseMessage, CometError> {
        let form =
            Form::new().text("ProfileHash", profile_hash).text("OldPassword", old_password).text("NewPassword", new_password);
        self.inner.call("api/v1/user/web/account/reset-password", form, Retry::Never).await
    }

    /// UserWebAccountRegenerateTotp: a new TOTP secret (QR image, otpauth URL, new hash).
    pub async fn account_regenerate_totp(&self, profile_hash: &str) -> Result<TotpRegeneratedResponse, CometError> {
        let form = Form::new().text("ProfileHash", profile_hash);
        self.inner.call("api/v1/user/web/account/regenerate-totp", form, Retry::Never).await
    }

    /// UserWebAccountValidateTotp: prove the authenticator works.
    pub async fn account_validate_totp(
        &self,
        profile_hash: &str,
        totp_code: &str,
    ) -> Result<CometAPIResponseMessage, CometError> {
        let form = Form::new().text("ProfileHash", profile_hash).text("TOTPCode", totp_code);
        self.inner.call("api/v1/user/web/account/validate-totp", form, Retry::Never).await
    }

    /// UserWebDispatcherListActive: the own live devices.
    pub async fn dispatcher_list_active(&self) -> Result<BTreeMap<String, LiveUserConnection>, CometError> {
        self.inner.call("api/v1/user/web/dispatcher/list-active", Form::new(), Retry::Safe).await
    }

    /// UserWebGetJobs: every own job.
    pub async fn get_jobs(&self) -> Result<Vec<BackupJobDetail>, CometError> {
        self.inner.call("api/v1/user/web/get-jobs", Form::new(), Retry::Safe).await
    }

    /// UserWebGetJobsForCustomSearch.
    pub async fn get_jobs_for_custom_search(&self, query: &SearchClause) -> Result<Vec<BackupJobDetail>, CometError> {
        let form = Form::new().json("Query", query).map_err(encode_error)?;
        self.inner.call("api/v1/user/web/get-jobs-for-custom-search", form, Retry::Safe).await
    }

    /// UserWebGetJobProperties.
    pub async fn get_job_properties(&self, job_id: &str) -> Result<BackupJobDetail, CometError> {
        self.inner.call("api/v1/user/web/get-job-properties", Form::new().text("JobID", job_id), Retry::Safe).await
    }

    /// UserWebGetJobLog: plaintext log (display only).
    pub async fn get_job_log(&self, job_id: &str) -> Result<String, CometError> {
        let bytes = self.inner.call_raw("api/v1/user/web/get-job-log", Form::new().text("JobID", job_id), Retry::Safe).await?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// UserWebGetJobLogEntries.
    pub async fn get_job_log_entries(
        &self,
        job_id: &str,
        min_severity: Option<&str>,
        message_contains: Option<&str>,
    ) -> Result<Vec<JobEntry>, CometError> {
        let form =
            Form::new().text("JobID", job_id).opt_text("MinSeverity", min_severity).opt_text("MessageContains", message_contains);
        self.inner.call("api/v1/user/web/get-job-log-entries", form, Retry::Safe).await
    }

    /// UserWebJobCancel.
    pub async fn job_cancel(&self, job_id: &str) -> Result<CometAPIResponseMessage, CometError> {
        self.inner.call("api/v1/user/web/job/cancel", Form::new().text("JobID", job_id), Retry::Safe).await
    }

    /// UserWebDispatcherRunBackup (no job ID in the user-web answer).
    pub async fn dispatcher_run_backup(&self, target_id: &str, backup_rule: &str) -> Result<CometAPIResponseMessage, CometError> {
        let form = with_target_id(target_id).text("BackupRule", backup_rule);
        self.inner.call("api/v1/user/web/dispatcher/run-backup", form, Retry::Never).await
    }

    /// UserWebDispatcherRequestVaultSnapshots.
    pub async fn dispatcher_request_vault_snapshots(
        &self,
        target_id: &str,
        destination: &str,
    ) -> Result<DispatcherVaultSnapshotsResponse, CometError> {
        let form = with_target_id(target_id).text("Destination", destination);
        self.inner.call("api/v1/user/web/dispatcher/request-vault-snapshots", form, Retry::Safe).await
    }

    /// UserWebRequestFilesystemObjects (note: no `/dispatcher/` in this path).
    pub async fn request_filesystem_objects(
        &self,
        target_id: &str,
        path: Option<&str>,
    ) -> Result<DispatcherStoredObjectsResponse, CometError> {
        let form = with_target_id(target_id).opt_text("Path", path);
        self.inner.call("api/v1/user/web/request-filesystem-objects", form, Retry::Safe).await
    }

    /// UserWebRequestStorageVaultProviders.
    pub async fn request_storage_vault_providers(&self) -> Result<BTreeMap<String, String>, CometError> {
        self.inner.call("api/v1/user/web/request-storage-vault-providers", Form::new(), Retry::Safe).await
    }

    /// UserWebRequestStorageVault (refused when the policy prevents it).
    pub async fn request_storage_vault(
        &self,
        storage_provider: &str,
        device_id: Option<&str>,
        profile_hash: Option<&str>,
    ) -> Result<RequestStorageVaultResponseMessage, CometError> {
        let form = Form::new()
            .text("StorageProvider", storage_provider)
            .text("SelfAddress", self.inner.base_url())
            .opt_text("DeviceID", device_id)
            .opt_text("ProfileHash", profile_hash);
        self.inner.call("api/v1/user/web/request-storage-vault", form, Retry::Never).await
    }

    /// UserWebNewsGetAll.
    pub async fn news_get_all(&self) -> Result<BTreeMap<String, NewsEntry>, CometError> {
        self.inner.call("api/v1/user/web/news/get-all", Form::new(), Retry::Safe).await
    }
}
