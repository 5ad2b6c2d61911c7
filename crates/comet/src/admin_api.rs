//! The Admin API endpoints a customer portal issues beyond the core ones in [`crate::client`]
//! (§4): account security, Protected Items, devices, job search, dispatcher actions, downloads,
//! email reports, policies and news. Paths and parameter names are exactly those of §4 /
//! Appendix A; structured parameters travel as compact JSON text in their form field.

use crate::client::{AdminClient, Retry, encode_error, target};
use crate::download::Download;
use crate::error::CometError;
use crate::form::Form;
use crate::models::*;
use std::collections::BTreeMap;

/// Optional settings of AdminAddUser.
#[derive(Debug, Clone, Default)]
pub struct AddUserOptions {
    /// Keep a password-recovery code so admins can reset the password later.
    pub store_recovery_code: bool,
    /// Force a password change at first login.
    pub require_password_change: bool,
    /// Tenant to create the account in (top-level admins only).
    pub target_organization: Option<String>,
}

fn with_target_id(target_id: &str) -> Form {
    Form::new().text("TargetID", target_id)
}

/// Parse the decimal-string keys of a Go integer-keyed map (§0).
fn integer_keys<T>(endpoint: &str, map: BTreeMap<String, T>) -> Result<BTreeMap<i64, T>, CometError> {
    map.into_iter()
        .map(|(k, v)| match k.trim().parse::<i64>() {
            Ok(n) => Ok((n, v)),
            Err(_) => Err(CometError::Decode {
                endpoint: endpoint.to_owned(),
                source: serde::de::Error::custom(format!("map key {k:?} is not an integer")),
            }),
        })
        .collect()
}

impl AdminClient {
    // ----- sessions and account security (§4.1, §4.4) -----

    /// AdminAccountSessionStartAsUser: a user-web session key for `user` (SSO into the user web
    /// UI, or a [`crate::UserWebClient`] acting as the user).
    pub async fn session_start_as_user(&self, user: &str) -> Result<SessionKeyRegeneratedResponse, CometError> {
        self.call("api/v1/admin/account/session-start-as-user", target(user), Retry::Never).await
    }

    /// HybridSessionStart with this client's credentials: `SessionType` says which kind of key
    /// was issued.
    pub async fn hybrid_session_start(&self) -> Result<SessionKeyRegeneratedResponse, CometError> {
        self.call("api/v1/hybrid/session/start", Form::new(), Retry::Never).await
    }

    /// AdminResetUserPassword: set a new password (needs the account's recovery code, else
    /// `old_password`).
    pub async fn reset_user_password(
        &self,
        user: &str,
        new_password: &str,
        old_password: Option<&str>,
    ) -> Result<CometAPIResponseMessage, CometError> {
        let form = target(user).text("NewPassword", new_password).opt_text("OldPassword", old_password);
        self.call("api/v1/admin/reset-user-password", form, Retry::Safe).await
    }

    /// AdminDisableUserTotp: turn TOTP off for an account (lost authenticator).
    pub async fn disable_user_totp(&self, user: &str) -> Result<CometAPIResponseMessage, CometError> {
        self.call("api/v1/admin/disable-user-totp", target(user), Retry::Safe).await
    }

    /// AdminDispatcherUpdateLoginPassword: tell a live device its account password changed.
    pub async fn dispatcher_update_login_password(
        &self,
        target_id: &str,
        new_password: &str,
    ) -> Result<CometAPIResponseMessage, CometError> {
        let form = with_target_id(target_id).text("NewPassword", new_password);
        self.call("api/v1/admin/dispatcher/update-login-password", form, Retry::Safe).await
    }

    /// AdminCreateInstallToken: a single-use token for a silent install logged into `user`.
    pub async fn create_install_token(
        &self,
        user: &str,
        password: &str,
        server: Option<&str>,
    ) -> Result<InstallTokenResponse, CometError> {
        let form = target(user).text("TargetPassword", password).opt_text("Server", server);
        self.call("api/v1/admin/create-install-token", form, Retry::Never).await
    }

    // ----- accounts and Protected Items (§4.2) -----

    /// AdminAddUser: create an account with a password.
    pub async fn add_user(
        &self,
        user: &str,
        password: &str,
        options: &AddUserOptions,
    ) -> Result<CometAPIResponseMessage, CometError> {
        let form = target(user)
            .text("TargetPassword", password)
            .int("StoreRecoveryCode", i64::from(options.store_recovery_code))
            .int("RequirePasswordChange", i64::from(options.require_password_change))
            .opt_text("TargetOrganization", options.target_organization.as_deref());
        self.call("api/v1/admin/add-user", form, Retry::Never).await
    }

    /// AdminDeleteUser: delete the account and its job history, optionally uninstalling the
    /// client from its devices.
    pub async fn delete_user(
        &self,
        user: &str,
        uninstall: Option<&UninstallConfig>,
    ) -> Result<CometAPIResponseMessage, CometError> {
        let mut form = target(user);
        if let Some(u) = uninstall {
            form = form.json("UninstallConfig", u).map_err(encode_error)?;
        }
        self.call("api/v1/admin/delete-user", form, Retry::Never).await
    }

    /// AdminGetProtectedItemWithBackupRules: one item, its rules and the profile hash.
    pub async fn get_protected_item_with_backup_rules(
        &self,
        user: &str,
        source_id: &str,
    ) -> Result<ProtectedItemWithBackupRulesResponse, CometError> {
        let form = target(user).text("SourceID", source_id);
        self.call("api/v1/admin/get-protected-item-with-backup-rules", form, Retry::Safe).await
    }

    /// AdminSetProtectedItemWithBackupRules: create/replace one item and/or its complete rule
    /// set (`None` leaves that part unchanged), conditional on `require_hash` when given.
    pub async fn set_protected_item_with_backup_rules(
        &self,
        user: &str,
        source_id: &str,
        source: Option<&SourceConfig>,
        backup_rules: Option<&BTreeMap<String, BackupRuleConfig>>,
        require_hash: Option<&str>,
    ) -> Result<CometAPIResponseMessage, CometError> {
        let mut form = target(user).text("SourceID", source_id).opt_text("RequireHash", require_hash);
        if let Some(s) = source {
            form = form.json("Source", s).map_err(encode_error)?;
        }
        if let Some(r) = backup_rules {
            form = form.json("BackupRules", r).map_err(encode_error)?;
        }
        let retry = if require_hash.is_some() { Retry::Safe } else { Retry::Never };
        self.call("api/v1/admin/set-protected-item-with-backup-rules", form, retry).await
    }

    // ----- devices (§4.5) -----

    /// AdminDispatcherKillProcess: stop the device's live-connection process (no reconnect).
    pub async fn dispatcher_kill_process(&self, target_id: &str) -> Result<CometAPIResponseMessage, CometError> {
        self.call("api/v1/admin/dispatcher/kill-process", with_target_id(target_id), Retry::Never).await
    }

    /// AdminDispatcherForceLogin: make the device ask for its credentials again.
    pub async fn dispatcher_force_login(&self, target_id: &str) -> Result<CometAPIResponseMessage, CometError> {
        self.call("api/v1/admin/dispatcher/force-login", with_target_id(target_id), Retry::Never).await
    }

    // ----- jobs (§4.6) -----

    /// AdminGetJobsForCustomSearch: jobs matching `query` (unordered).
    pub async fn get_jobs_for_custom_search(&self, query: &SearchClause) -> Result<Vec<BackupJobDetail>, CometError> {
        let form = Form::new().json("Query", query).map_err(encode_error)?;
        self.call("api/v1/admin/get-jobs-for-custom-search", form, Retry::Safe).await
    }

    /// AdminCountJobsForCustomSearch: how many jobs match `query`.
    pub async fn count_jobs_for_custom_search(&self, query: &SearchClause) -> Result<CountJobsResponse, CometError> {
        let form = Form::new().json("Query", query).map_err(encode_error)?;
        self.call("api/v1/admin/count-jobs-for-custom-search", form, Retry::Safe).await
    }

    // ----- dispatcher actions (§4.7) -----

    /// AdminDispatcherRunRestore: restore `source` from `destination` (latest snapshot unless
    /// `snapshot`) into `path` on the device; `paths` limits what is restored.
    pub async fn dispatcher_run_restore(
        &self,
        target_id: &str,
        path: &str,
        source: &str,
        destination: &str,
        snapshot: Option<&str>,
        paths: Option<&[String]>,
    ) -> Result<DispatchWithJobIDResponse, CometError> {
        let mut form = with_target_id(target_id)
            .text("Path", path)
            .text("Source", source)
            .text("Destination", destination)
            .opt_text("Snapshot", snapshot);
        if let Some(p) = paths {
            form = form.json("Paths", p).map_err(encode_error)?;
        }
        self.call("api/v1/admin/dispatcher/run-restore", form, Retry::Never).await
    }

    /// AdminDispatcherRunRestoreCustom: restore with full options (type and target).
    pub async fn dispatcher_run_restore_custom(
        &self,
        target_id: &str,
        source: &str,
        destination: &str,
        options: &RestoreJobAdvancedOptions,
        snapshot: Option<&str>,
        paths: Option<&[String]>,
    ) -> Result<DispatchWithJobIDResponse, CometError> {
        let mut form = with_target_id(target_id)
            .text("Source", source)
            .text("Destination", destination)
            .json("Options", options)
            .map_err(encode_error)?
            .opt_text("Snapshot", snapshot);
        if let Some(p) = paths {
            form = form.json("Paths", p).map_err(encode_error)?;
        }
        self.call("api/v1/admin/dispatcher/run-restore-custom", form, Retry::Never).await
    }

    /// AdminDispatcherRequestStoredObjects: one directory level of a snapshot (`tree_id` from
    /// a previous [`StoredObject::subtree`], `None` for the root).
    pub async fn dispatcher_request_stored_objects(
        &self,
        target_id: &str,
        destination: &str,
        snapshot_id: &str,
        tree_id: Option<&str>,
        options: Option<&VMDKSnapshotViewOptions>,
    ) -> Result<DispatcherStoredObjectsResponse, CometError> {
        let mut form = with_target_id(target_id)
            .text("Destination", destination)
            .text("SnapshotID", snapshot_id)
            .opt_text("TreeID", tree_id);
        if let Some(o) = options {
            form = form.json("Options", o).map_err(encode_error)?;
        }
        self.call("api/v1/admin/dispatcher/request-stored-objects", form, Retry::Safe).await
    }

    /// AdminDispatcherRequestFilesystemObjects: the device's own directory `path` (`None` for
    /// the roots).
    pub async fn dispatcher_request_filesystem_objects(
        &self,
        target_id: &str,
        path: Option<&str>,
    ) -> Result<DispatcherStoredObjectsResponse, CometError> {
        let form = with_target_id(target_id).opt_text("Path", path);
        self.call("api/v1/admin/dispatcher/request-filesystem-objects", form, Retry::Safe).await
    }

    /// AdminDispatcherRequestBrowseDiskDrives: the device's disks.
    pub async fn dispatcher_request_browse_disk_drives(&self, target_id: &str) -> Result<BrowseDiskDrivesResponse, CometError> {
        self.call("api/v1/admin/dispatcher/request-browse-disk-drives", with_target_id(target_id), Retry::Safe).await
    }

    /// AdminDispatcherRequestBrowseHyperv: Hyper-V guests on the device.
    pub async fn dispatcher_request_browse_hyperv(&self, target_id: &str) -> Result<BrowseHVResponse, CometError> {
        self.call("api/v1/admin/dispatcher/request-browse-hyperv", with_target_id(target_id), Retry::Safe).await
    }

    /// AdminDispatcherRequestBrowseVmware: vSphere VMs; `credentials` is a `VMwareConnection`.
    pub async fn dispatcher_request_browse_vmware(
        &self,
        target_id: &str,
        credentials: &SecretJson,
    ) -> Result<BrowseVMwareResponse, CometError> {
        let form = with_target_id(target_id).json("Credentials", credentials).map_err(encode_error)?;
        self.call("api/v1/admin/dispatcher/request-browse-vmware", form, Retry::Safe).await
    }

    /// AdminDispatcherRequestBrowseMssql: SQL Server databases; `credentials` is an
    /// `MSSQLConnection`.
    pub async fn dispatcher_request_browse_mssql(
        &self,
        target_id: &str,
        credentials: &SecretJson,
    ) -> Result<BrowseSQLServerResponse, CometError> {
        let form = with_target_id(target_id).json("Credentials", credentials).map_err(encode_error)?;
        self.call("api/v1/admin/dispatcher/request-browse-mssql", form, Retry::Safe).await
    }

    /// AdminDispatcherRequestBrowseExchangeEdb: Exchange databases on the device.
    pub async fn dispatcher_request_browse_exchange_edb(&self, target_id: &str) -> Result<BrowseEDBResponse, CometError> {
        self.call("api/v1/admin/dispatcher/request-browse-exchange-edb", with_target_id(target_id), Retry::Safe).await
    }

    /// AdminDispatcherRequestBrowseVssAaw: VSS writers on the device.
    pub async fn dispatcher_request_browse_vss_aaw(&self, target_id: &str) -> Result<BrowseVSSResponse, CometError> {
        self.call("api/v1/admin/dispatcher/request-browse-vss-aaw", with_target_id(target_id), Retry::Safe).await
    }

    /// AdminDispatcherRequestOffice365Accounts: mailboxes visible with `credentials`.
    pub async fn dispatcher_request_office365_accounts(
        &self,
        target_id: &str,
        credentials: &Office365Credential,
    ) -> Result<BrowseOffice365ObjectsResponse, CometError> {
        let form = with_target_id(target_id).json("Credentials", credentials).map_err(encode_error)?;
        self.call("api/v1/admin/dispatcher/request-office365-accounts", form, Retry::Safe).await
    }

    /// AdminDispatcherSearchSnapshots: files matching `filter` in the given snapshots.
    pub async fn dispatcher_search_snapshots(
        &self,
        target_id: &str,
        destination_id: &str,
        snapshot_ids: &[String],
        filter: &SearchClause,
    ) -> Result<SearchSnapshotsResponse, CometError> {
        let form = with_target_id(target_id)
            .text("DestinationID", destination_id)
            .json("SnapshotIDs", snapshot_ids)
            .map_err(encode_error)?
            .json("Filter", filter)
            .map_err(encode_error)?;
        self.call("api/v1/admin/dispatcher/search-snapshots", form, Retry::Safe).await
    }

    /// AdminDispatcherDeleteSnapshot: delete one snapshot from a vault.
    pub async fn dispatcher_delete_snapshot(
        &self,
        target_id: &str,
        destination_id: &str,
        snapshot_id: &str,
    ) -> Result<CometAPIResponseMessage, CometError> {
        let form = with_target_id(target_id).text("DestinationID", destination_id).text("SnapshotID", snapshot_id);
        self.call("api/v1/admin/dispatcher/delete-snapshot", form, Retry::Never).await
    }

    /// AdminDispatcherDeleteSnapshots: delete several snapshots in one job.
    pub async fn dispatcher_delete_snapshots(
        &self,
        target_id: &str,
        destination_id: &str,
        snapshot_ids: &[String],
    ) -> Result<CometAPIResponseMessage, CometError> {
        let form = with_target_id(target_id)
            .text("DestinationID", destination_id)
            .json("SnapshotIDs", snapshot_ids)
            .map_err(encode_error)?;
        self.call("api/v1/admin/dispatcher/delete-snapshots", form, Retry::Never).await
    }

    /// AdminDispatcherApplyRetentionRules: run a retention pass on a vault now (job 4003).
    pub async fn dispatcher_apply_retention_rules(
        &self,
        target_id: &str,
        destination: &str,
    ) -> Result<CometAPIResponseMessage, CometError> {
        let form = with_target_id(target_id).text("Destination", destination);
        self.call("api/v1/admin/dispatcher/apply-retention-rules", form, Retry::Never).await
    }

    /// AdminDispatcherReindexStorageVault: rebuild a vault's indexes (job 4009).
    pub async fn dispatcher_reindex_storage_vault(
        &self,
        target_id: &str,
        destination: &str,
    ) -> Result<CometAPIResponseMessage, CometError> {
        let form = with_target_id(target_id).text("Destination", destination);
        self.call("api/v1/admin/dispatcher/reindex-storage-vault", form, Retry::Never).await
    }

    /// AdminDispatcherDeepverifyStorageVault: verify a vault's content (job 4010).
    pub async fn dispatcher_deepverify_storage_vault(
        &self,
        target_id: &str,
        destination: &str,
    ) -> Result<CometAPIResponseMessage, CometError> {
        let form = with_target_id(target_id).text("Destination", destination);
        self.call("api/v1/admin/dispatcher/deepverify-storage-vault", form, Retry::Never).await
    }

    /// AdminDispatcherUnlock: remove stale lock files from a vault (job 4004).
    pub async fn dispatcher_unlock(
        &self,
        target_id: &str,
        destination: &str,
        allow_unsafe: bool,
    ) -> Result<CometAPIResponseMessage, CometError> {
        let form = with_target_id(target_id).text("Destination", destination).flag("AllowUnsafe", allow_unsafe);
        self.call("api/v1/admin/dispatcher/unlock", form, Retry::Never).await
    }

    /// AdminDispatcherPingDestination: have the device test a storage location.
    pub async fn dispatcher_ping_destination(
        &self,
        target_id: &str,
        location: &DestinationLocation,
    ) -> Result<CometAPIResponseMessage, CometError> {
        let form = with_target_id(target_id).json("ExtraData", location).map_err(encode_error)?;
        self.call("api/v1/admin/dispatcher/ping-destination", form, Retry::Safe).await
    }

    // ----- downloads and branding (§4.9) -----

    /// GET /gen/branding.props (public, no authentication).
    pub async fn branding_props(&self) -> Result<ServerMetaBrandingProperties, CometError> {
        self.get_public("gen/branding.props").await
    }

    /// AdminBrandingAvailablePlatforms: downloadable builds keyed by platform number.
    pub async fn branding_available_platforms(&self) -> Result<BTreeMap<i64, AvailableDownload>, CometError> {
        const ENDPOINT: &str = "api/v1/admin/branding/available-platforms";
        let raw: BTreeMap<String, AvailableDownload> = self.call(ENDPOINT, Form::new(), Retry::Safe).await?;
        integer_keys(ENDPOINT, raw)
    }

    /// AdminBrandingGenerateClientByPlatform: the installer for a platform number, with the
    /// server's suggested filename.
    pub async fn branding_generate_client_by_platform(&self, platform: i64) -> Result<Download, CometError> {
        let form = Form::new().int("Platform", platform).text("SelfAddress", self.base_url());
        let reply = self.call_reply("api/v1/admin/branding/generate-client/by-platform", form, Retry::Safe).await?;
        Ok(Download { filename: reply.filename, bytes: reply.body })
    }

    // ----- email reports, policies, news (§4.10) -----

    /// AdminPreviewUserEmailReport: render `report` for `user` (optionally addressed to
    /// `email_address`).
    pub async fn preview_user_email_report(
        &self,
        user: &str,
        report: &EmailReportConfig,
        email_address: Option<&str>,
    ) -> Result<EmailReportGeneratedPreview, CometError> {
        let form = target(user).json("EmailReportConfig", report).map_err(encode_error)?.opt_text("EmailAddress", email_address);
        self.call("api/v1/admin/preview-user-email-report", form, Retry::Safe).await
    }

    /// AdminMetaSendTestReport: send a test report to its recipients.
    pub async fn meta_send_test_report(
        &self,
        option: &EmailReportingOption,
        target_organization: Option<&str>,
    ) -> Result<CometAPIResponseMessage, CometError> {
        let form = Form::new()
            .json("EmailReportingOption", option)
            .map_err(encode_error)?
            .opt_text("TargetOrganization", target_organization);
        self.call("api/v1/admin/meta/send-test-report", form, Retry::Never).await
    }

    /// AdminPoliciesList: policy ID → name.
    pub async fn policies_list(&self, target_organization: Option<&str>) -> Result<BTreeMap<String, String>, CometError> {
        let form = Form::new().opt_text("TargetOrganization", target_organization);
        self.call("api/v1/admin/policies/list", form, Retry::Safe).await
    }

    /// AdminPoliciesGet: one policy and its revision hash.
    pub async fn policies_get(&self, policy_id: &str) -> Result<GetGroupPolicyResponse, CometError> {
        self.call("api/v1/admin/policies/get", Form::new().text("PolicyID", policy_id), Retry::Safe).await
    }

    /// AdminNewsGetAll: news ID → entry.
    pub async fn news_get_all(&self) -> Result<BTreeMap<String, NewsEntry>, CometError> {
        self.call("api/v1/admin/news/get-all", Form::new(), Retry::Safe).await
    }
}
