//! The Comet calls of the Account settings tab (`api::routes::account`), still only about the
//! scoped account: its profile and hash, profile writes guarded by the hash, what only the
//! account itself may do (password, TOTP: through a user-web session started for it), live
//! devices, downloads and email report previews.

use std::collections::BTreeMap;

use comet::{
    AvailableDownload, CometError, Credentials, Download, EmailReportConfig, EmailReportGeneratedPreview, InstallTokenResponse,
    TotpRegeneratedResponse, UserWebClient,
};

use super::{AccountComet, upstream};
use crate::api::error::ApiError;

impl AccountComet {
    /// The account's username (Comet's login name).
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The Comet server's address, as devices log in to it.
    pub fn server_address(&self) -> &str {
        self.client.base_url()
    }

    /// A user-web client acting as the account (a session key from AdminAccountSessionStartAsUser):
    /// what only the account itself may do goes through it, so Comet applies the account's rules.
    async fn as_user(&self) -> Result<UserWebClient, ApiError> {
        let session = self.client.session_start_as_user(&self.username).await.map_err(upstream)?;
        let creds = Credentials { username: self.username.clone(), session_key: Some(session.session_key), ..Default::default() };
        UserWebClient::new(self.client.base_url(), creds).map_err(upstream)
    }

    /// UserWebAccountResetPassword with the account's own current hash. A refusal after the
    /// account's own profile could be read is the current password being wrong.
    pub async fn change_password(&self, current: &str, new: &str) -> Result<(), ApiError> {
        let user = self.as_user().await?;
        let hash = user.get_user_profile_and_hash().await.map_err(upstream)?.profile_hash;
        match user.account_reset_password(&hash, current, new).await {
            Ok(_) => Ok(()),
            Err(CometError::Forbidden { .. }) | Err(CometError::Auth { .. }) => {
                Err(ApiError::Invalid { field: "current_password", message: "The current password is not correct.".into() })
            }
            Err(e) => Err(self.conflict_or_upstream(e, &hash).await),
        }
    }

    /// AdminDispatcherUpdateLoginPassword to one of the account's live connections.
    pub async fn push_password(&self, connection_id: &str, new: &str) -> Result<(), CometError> {
        self.client.dispatcher_update_login_password(connection_id, new).await.map(|_| ())
    }

    /// UserWebAccountRegenerateTotp: a new secret, based on `hash` (the SDK's first step).
    pub async fn regenerate_totp(&self, hash: &str) -> Result<TotpRegeneratedResponse, ApiError> {
        let user = self.as_user().await?;
        user.account_regenerate_totp(hash).await.map_err(|e| match e {
            CometError::Forbidden { message } => ApiError::ForbiddenByPolicy(message),
            e => upstream(e),
        })
    }

    /// UserWebAccountValidateTotp (the SDK's second step, before 2FA is switched on). A refused
    /// code is `invalid` on `code`.
    pub async fn validate_totp(&self, hash: &str, code: &str) -> Result<(), ApiError> {
        let user = self.as_user().await?;
        match user.account_validate_totp(hash, code).await {
            Ok(_) => Ok(()),
            Err(e @ (CometError::Api { .. } | CometError::Forbidden { .. })) => {
                tracing::info!(error = %e, "TOTP code refused");
                Err(ApiError::Invalid {
                    field: "code",
                    message: "That code is not correct (or was already used). Enter the current code from your app.".into(),
                })
            }
            Err(e) => Err(upstream(e)),
        }
    }

    /// AdminDisableUserTotp.
    pub async fn disable_totp(&self) -> Result<(), ApiError> {
        self.client.disable_user_totp(&self.username).await.map(|_| ()).map_err(upstream)
    }

    /// AdminBrandingAvailablePlatforms.
    pub async fn available_platforms(&self) -> Result<BTreeMap<i64, AvailableDownload>, ApiError> {
        self.client.branding_available_platforms().await.map_err(upstream)
    }

    /// AdminBrandingGenerateClientByPlatform (admin credentials stay here; the bytes go out).
    pub async fn client_download(&self, platform: i64) -> Result<Download, ApiError> {
        self.client.branding_generate_client_by_platform(platform).await.map_err(upstream)
    }

    /// AdminCreateInstallToken for the account, with the password the customer typed.
    pub async fn install_token(&self, password: &str) -> Result<InstallTokenResponse, ApiError> {
        self.client.create_install_token(&self.username, password, None).await.map_err(|e| match e {
            CometError::Api { status, .. } if status < 500 => {
                ApiError::Invalid { field: "password", message: "The password is not correct.".into() }
            }
            e => upstream(e),
        })
    }

    /// AdminPreviewUserEmailReport for the account.
    pub async fn preview_email_report(
        &self,
        report: &EmailReportConfig,
        address: Option<&str>,
    ) -> Result<EmailReportGeneratedPreview, ApiError> {
        self.client.preview_user_email_report(&self.username, report, address).await.map_err(upstream)
    }
}
