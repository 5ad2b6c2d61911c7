//! The Comet Admin API client: form-encoded POSTs with auth fields in the body (§1.2–1.4),
//! session-key login with password fallback, and the union of the SDKs' error rules (§1.5).

use crate::error::{CometError, ERR_TOTP_REQUIRED};
use crate::events::StreamCredentials;
use crate::form::Form;
use crate::models::*;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Mutex;
use url::Url;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
const BODY_EXCERPT_CHARS: usize = 300;
const USER_AGENT: &str = concat!("eazybackup-comet/", env!("CARGO_PKG_VERSION"));

/// Admin credentials. With `session_key` set it is used first; `password` lets the client log in
/// again when the key expires. `totp` is used for exactly one request (the login); `totp_secret`
/// gives a fresh code for every login, which is what a process that reconnects unattended needs.
#[derive(Clone, Default)]
pub struct Credentials {
    /// Admin account name.
    pub username: String,
    /// Admin password (may be empty when only a session key is given).
    pub password: String,
    /// An existing session key.
    pub session_key: Option<String>,
    /// A current 6-digit TOTP code.
    pub totp: Option<String>,
    /// The account's TOTP secret (base32, as in its QR code): each login computes its own code.
    pub totp_secret: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("session_key", &self.session_key.as_ref().map(|_| "<redacted>"))
            .field("totp", &self.totp.as_ref().map(|_| "<redacted>"))
            .field("totp_secret", &self.totp_secret.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// How long a client waits to connect, and for a whole request (answer included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// TCP and TLS connection set-up.
    pub connect: Duration,
    /// One request from sending to the last byte of the answer.
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { connect: CONNECT_TIMEOUT, request: REQUEST_TIMEOUT }
    }
}

/// Whether a call may be repeated after a re-login. Calls that start work on a device are not
/// repeated blindly.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    Safe,
    Never,
}

/// Mutable authentication state shared by concurrent calls.
#[derive(Default)]
struct AuthState {
    session_key: Option<String>,
    totp: Option<String>,
    /// A session-start attempt was made for the current credentials; when it failed for a reason
    /// other than bad credentials the client stays on password auth.
    login_tried: bool,
    /// The TOTP time step of the last code sent: Comet accepts a code once, so the next login
    /// waits for a later step.
    last_totp_step: Option<i64>,
}

/// The auth fields chosen for one request.
struct AuthFields {
    pairs: [(&'static str, String); 5],
    used_session_key: bool,
}

/// A Comet Admin API client for one server and one admin account. Cheap to share behind an
/// `Arc`; calls may run concurrently.
pub struct AdminClient {
    http: reqwest::Client,
    base: Url,
    username: String,
    password: String,
    auth: Mutex<AuthState>,
    totp_secret: Option<String>,
    /// Unix seconds for TOTP codes (the system clock; tests share the simulator's).
    totp_clock: Arc<dyn Fn() -> i64 + Send + Sync>,
    /// The endpoints that depend on the API family (admin, or user-web when this is the
    /// transport of a [`crate::UserWebClient`]).
    family: &'static Family,
}

/// Endpoints of one API family that the transport itself calls.
pub(crate) struct Family {
    /// Exchanges a password (and TOTP code) for a session key.
    pub(crate) session_start: &'static str,
    /// A cheap read any valid login may make: a 403 elsewhere is a permission refusal when this
    /// succeeds with the same credentials, and bad credentials when it is refused too.
    pub(crate) probe: &'static str,
}

/// A successful raw-byte answer: the body and the `Content-Disposition` filename, if any.
pub(crate) struct RawReply {
    pub(crate) body: Vec<u8>,
    pub(crate) filename: Option<String>,
}

/// The admin API family.
pub(crate) const ADMIN: Family =
    Family { session_start: "api/v1/admin/account/session-start", probe: "api/v1/admin/meta/version" };

impl std::fmt::Debug for AdminClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminClient").field("base", &self.base.as_str()).field("username", &self.username).finish()
    }
}

impl AdminClient {
    /// A client for the server at `origin` (e.g. `https://backup.example.com/`). No request is
    /// made until the first call.
    pub fn new(origin: &str, creds: Credentials) -> Result<Self, CometError> {
        Self::for_family(origin, creds, &ADMIN, Timeouts::default())
    }

    /// [`AdminClient::new`] with other time limits: a caller answering a browser cannot wait the
    /// default minute for a server that does not answer.
    pub fn with_timeouts(origin: &str, creds: Credentials, timeouts: Timeouts) -> Result<Self, CometError> {
        Self::for_family(origin, creds, &ADMIN, timeouts)
    }

    /// The transport for either API family.
    pub(crate) fn for_family(
        origin: &str,
        creds: Credentials,
        family: &'static Family,
        timeouts: Timeouts,
    ) -> Result<Self, CometError> {
        let base = parse_origin(origin)?;
        crate::tls::ensure_crypto_provider();
        let http = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.request)
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(CometError::Transport)?;
        let auth = AuthState {
            session_key: creds.session_key.filter(|k| !k.is_empty()),
            totp: creds.totp.filter(|t| !t.is_empty()),
            login_tried: false,
            last_totp_step: None,
        };
        let totp_secret = creds.totp_secret.filter(|s| !s.trim().is_empty());
        if let Some(secret) = &totp_secret {
            crate::totp::validate_secret(secret)?;
        }
        Ok(Self {
            http,
            base,
            username: creds.username,
            password: creds.password,
            auth: Mutex::new(auth),
            totp_secret,
            totp_clock: Arc::new(|| {
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
            }),
            family,
        })
    }

    /// Take TOTP time from `clock` (unix seconds) instead of the system clock: for a test whose
    /// server runs on a controlled clock.
    pub fn with_totp_clock(mut self, clock: impl Fn() -> i64 + Send + Sync + 'static) -> Self {
        self.totp_clock = Arc::new(clock);
        self
    }

    /// Credentials for one event-stream connection: a session key from a fresh login (so every
    /// reconnect authenticates anew, with a new TOTP code when the account has one), or the
    /// configured session key when there is no password to log in with. When the server gives no
    /// session keys the stream falls back to the password.
    pub async fn stream_credentials(&self) -> Result<StreamCredentials, CometError> {
        if self.password.is_empty() {
            let state = self.auth.lock().await;
            return match &state.session_key {
                Some(key) => Ok(StreamCredentials::session_key(&self.username, key)),
                None => Err(CometError::Auth { message: "neither a password nor a session key is configured".into() }),
            };
        }
        self.login().await?;
        let mut state = self.auth.lock().await;
        if let Some(key) = &state.session_key {
            return Ok(StreamCredentials::session_key(&self.username, key));
        }
        let mut creds = StreamCredentials::password(&self.username, &self.password);
        let code = match &self.totp_secret {
            Some(_) => Some(self.fresh_totp_code(&mut state).await?),
            None => state.totp.take(),
        };
        if let Some(code) = code {
            creds.auth_type = crate::events::AuthType::PasswordTotp;
            creds.totp = code;
        }
        Ok(creds)
    }

    /// A code of a time step no earlier code was sent for (waits for the next step if needed).
    async fn fresh_totp_code(&self, state: &mut AuthState) -> Result<String, CometError> {
        let secret = self.totp_secret.as_deref().unwrap_or_default();
        loop {
            let now = (self.totp_clock)();
            let step = crate::totp::step_of(now);
            if state.last_totp_step.is_none_or(|last| step > last) {
                state.last_totp_step = Some(step);
                return Ok(crate::totp::code_for_step(secret, step)?);
            }
            let until_next = (step + 1) * crate::totp::STEP_SECS - now;
            tracing::debug!(seconds = until_next, "waiting for a fresh TOTP code (each code is accepted once)");
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// The server base URL (always ends with `/`); also what is sent as `SelfAddress`.
    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// The admin account name.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// Log in now (AdminAccountSessionStart) instead of lazily on the first call.
    pub async fn login(&self) -> Result<(), CometError> {
        let mut state = self.auth.lock().await;
        state.session_key = None;
        state.login_tried = false;
        self.start_session_locked(&mut state).await
    }

    // ----- sessions and meta -----

    /// AdminMetaVersion: server version, roles, start hash.
    pub async fn meta_version(&self) -> Result<ServerMetaVersionInfo, CometError> {
        self.call("api/v1/admin/meta/version", Form::new(), Retry::Safe).await
    }

    /// AdminAccountSessionRevoke: log the current session key out (and forget it).
    pub async fn session_revoke(&self) -> Result<CometAPIResponseMessage, CometError> {
        let out = self.call("api/v1/admin/account/session-revoke", Form::new(), Retry::Never).await;
        let mut state = self.auth.lock().await;
        state.session_key = None;
        state.login_tried = true; // stay on password auth after an explicit logout
        out
    }

    // ----- users and profiles -----

    /// AdminListUsers: every username visible to this admin.
    pub async fn list_users(&self) -> Result<Vec<String>, CometError> {
        self.call("api/v1/admin/list-users", Form::new(), Retry::Safe).await
    }

    /// AdminListUsersFull: every profile keyed by username (heavy).
    pub async fn list_users_full(&self) -> Result<BTreeMap<String, UserProfileConfig>, CometError> {
        self.call("api/v1/admin/list-users-full", Form::new(), Retry::Safe).await
    }

    /// AdminGetUserProfile.
    pub async fn get_user_profile(&self, user: &str) -> Result<UserProfileConfig, CometError> {
        self.call("api/v1/admin/get-user-profile", target(user), Retry::Safe).await
    }

    /// AdminGetUserProfileAndHash: profile plus its revision token.
    pub async fn get_user_profile_and_hash(&self, user: &str) -> Result<GetProfileAndHashResponseMessage, CometError> {
        self.call("api/v1/admin/get-user-profile-and-hash", target(user), Retry::Safe).await
    }

    /// AdminGetUserProfileHash: only the revision token.
    pub async fn get_user_profile_hash(&self, user: &str) -> Result<GetProfileHashResponseMessage, CometError> {
        self.call("api/v1/admin/get-user-profile-hash", target(user), Retry::Safe).await
    }

    /// AdminSetUserProfileHash: whole-profile write that fails unless the profile still has
    /// `require_hash`. Prefer [`AdminClient::update_profile`].
    pub async fn set_user_profile_hash(
        &self,
        user: &str,
        profile: &UserProfileConfig,
        require_hash: &str,
    ) -> Result<GetProfileAndHashResponseMessage, CometError> {
        let form = target(user).json("ProfileData", profile).map_err(encode_error)?.text("RequireHash", require_hash);
        // Safe to repeat: the hash guard makes a second identical write fail rather than clobber.
        self.call("api/v1/admin/set-user-profile-hash", form, Retry::Safe).await
    }

    /// AdminSetUserProfile: unconditional whole-profile write (last writer wins).
    pub async fn set_user_profile(&self, user: &str, profile: &UserProfileConfig) -> Result<CometAPIResponseMessage, CometError> {
        let form = target(user).json("ProfileData", profile).map_err(encode_error)?;
        self.call("api/v1/admin/set-user-profile", form, Retry::Safe).await
    }

    /// AdminRevokeDevice: remove a device (and its Protected Items) from an account.
    pub async fn revoke_device(&self, user: &str, device_id: &str) -> Result<CometAPIResponseMessage, CometError> {
        let form = target(user).text("TargetDevice", device_id);
        self.call("api/v1/admin/revoke-device", form, Retry::Safe).await
    }

    /// AdminDeleteProtectedItem.
    pub async fn delete_protected_item(&self, user: &str, source_id: &str) -> Result<CometAPIResponseMessage, CometError> {
        let form = target(user).text("SourceID", source_id);
        self.call("api/v1/admin/delete-protected-item", form, Retry::Safe).await
    }

    /// AdminRequestStorageVaultProviders: Storage Template ID → display name.
    pub async fn request_storage_vault_providers(&self) -> Result<BTreeMap<String, String>, CometError> {
        self.call("api/v1/admin/request-storage-vault-providers", Form::new(), Retry::Safe).await
    }

    /// AdminRequestStorageVault: provision a vault from a Storage Template, optionally associated
    /// with a device and conditional on a profile hash.
    pub async fn request_storage_vault(
        &self,
        user: &str,
        storage_provider: &str,
        device_id: Option<&str>,
        profile_hash: Option<&str>,
    ) -> Result<RequestStorageVaultResponseMessage, CometError> {
        let form = target(user)
            .text("StorageProvider", storage_provider)
            .text("SelfAddress", self.base.as_str())
            .opt_text("DeviceID", device_id)
            .opt_text("ProfileHash", profile_hash);
        // Not repeated: without a hash a second call would create a second vault.
        self.call("api/v1/admin/request-storage-vault", form, Retry::Never).await
    }

    // ----- jobs -----

    /// AdminGetJobProperties: one job, with `Progress` while running.
    pub async fn get_job_properties(&self, job_id: &str) -> Result<BackupJobDetail, CometError> {
        self.call("api/v1/admin/get-job-properties", Form::new().text("JobID", job_id), Retry::Safe).await
    }

    /// AdminGetJobsForDateRange: jobs that started or ended in [start, end] (unix seconds);
    /// `(0, 0)` returns only incomplete jobs.
    pub async fn get_jobs_for_date_range(&self, start: i64, end: i64) -> Result<Vec<BackupJobDetail>, CometError> {
        let form = Form::new().int("Start", start).int("End", end);
        self.call("api/v1/admin/get-jobs-for-date-range", form, Retry::Safe).await
    }

    /// AdminGetJobsForUser: every job of one account.
    pub async fn get_jobs_for_user(&self, user: &str) -> Result<Vec<BackupJobDetail>, CometError> {
        self.call("api/v1/admin/get-jobs-for-user", target(user), Retry::Safe).await
    }

    /// AdminGetJobsRecent: recent and incomplete jobs.
    pub async fn get_jobs_recent(&self) -> Result<Vec<BackupJobDetail>, CometError> {
        self.call("api/v1/admin/get-jobs-recent", Form::new(), Retry::Safe).await
    }

    /// AdminGetJobLogEntries: structured log, optionally filtered by minimum severity letter
    /// (`I`, `W`, `E`) and substring.
    pub async fn get_job_log_entries(
        &self,
        job_id: &str,
        min_severity: Option<&str>,
        message_contains: Option<&str>,
    ) -> Result<Vec<JobEntry>, CometError> {
        let form =
            Form::new().text("JobID", job_id).opt_text("MinSeverity", min_severity).opt_text("MessageContains", message_contains);
        self.call("api/v1/admin/get-job-log-entries", form, Retry::Safe).await
    }

    /// AdminGetJobLog: the plaintext log (display only).
    pub async fn get_job_log(&self, job_id: &str) -> Result<String, CometError> {
        let bytes = self.call_raw("api/v1/admin/get-job-log", Form::new().text("JobID", job_id), Retry::Safe).await?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// AdminJobCancel: ask the device to cancel a running job.
    pub async fn job_cancel(&self, user: &str, job_id: &str) -> Result<CometAPIResponseMessage, CometError> {
        let form = target(user).text("JobID", job_id);
        self.call("api/v1/admin/job/cancel", form, Retry::Safe).await
    }

    /// AdminJobAbandon: mark a stuck job abandoned (7007) without contacting the device.
    pub async fn job_abandon(&self, user: &str, job_id: &str) -> Result<CometAPIResponseMessage, CometError> {
        let form = target(user).text("JobID", job_id);
        self.call("api/v1/admin/job/abandon", form, Retry::Safe).await
    }

    // ----- devices and dispatcher -----

    /// AdminDispatcherListActive: live connections keyed by live-connection ID, optionally for
    /// one username.
    pub async fn dispatcher_list_active(
        &self,
        username: Option<&str>,
    ) -> Result<BTreeMap<String, LiveUserConnection>, CometError> {
        let form = Form::new().opt_text("UserNameFilter", username);
        self.call("api/v1/admin/dispatcher/list-active", form, Retry::Safe).await
    }

    /// AdminDispatcherRunBackup: run a backup rule now on a live device.
    pub async fn dispatcher_run_backup(
        &self,
        target_id: &str,
        backup_rule: &str,
    ) -> Result<DispatchWithJobIDResponse, CometError> {
        let form = Form::new().text("TargetID", target_id).text("BackupRule", backup_rule);
        self.call("api/v1/admin/dispatcher/run-backup", form, Retry::Never).await
    }

    /// AdminDispatcherRunBackupCustom: back up `source` to `destination` now, optionally with
    /// advanced options.
    pub async fn dispatcher_run_backup_custom(
        &self,
        target_id: &str,
        source: &str,
        destination: &str,
        options: Option<&BackupJobAdvancedOptions>,
    ) -> Result<DispatchWithJobIDResponse, CometError> {
        let mut form = Form::new().text("TargetID", target_id).text("Source", source).text("Destination", destination);
        if let Some(options) = options {
            form = form.json("Options", options).map_err(encode_error)?;
        }
        self.call("api/v1/admin/dispatcher/run-backup-custom", form, Retry::Never).await
    }

    /// AdminDispatcherRequestVaultSnapshots: the snapshots in a vault, read by a live device.
    pub async fn dispatcher_request_vault_snapshots(
        &self,
        target_id: &str,
        destination: &str,
    ) -> Result<DispatcherVaultSnapshotsResponse, CometError> {
        let form = Form::new().text("TargetID", target_id).text("Destination", destination);
        self.call("api/v1/admin/dispatcher/request-vault-snapshots", form, Retry::Safe).await
    }

    /// AdminDispatcherRefetchProfile: ask a live device to reload its profile.
    pub async fn dispatcher_refetch_profile(&self, target_id: &str) -> Result<CometAPIResponseMessage, CometError> {
        let form = Form::new().text("TargetID", target_id);
        self.call("api/v1/admin/dispatcher/refetch-profile", form, Retry::Safe).await
    }

    /// AdminDispatcherDropConnection: close a live connection (the device normally reconnects).
    pub async fn dispatcher_drop_connection(&self, target_id: &str) -> Result<CometAPIResponseMessage, CometError> {
        let form = Form::new().text("TargetID", target_id);
        self.call("api/v1/admin/dispatcher/drop-connection", form, Retry::Safe).await
    }

    /// AdminDispatcherUpdateSoftware: ask a live device to install the current client build.
    pub async fn dispatcher_update_software(&self, target_id: &str) -> Result<CometAPIResponseMessage, CometError> {
        let form = Form::new().text("TargetID", target_id).text("SelfAddress", self.base.as_str());
        self.call("api/v1/admin/dispatcher/update-software", form, Retry::Never).await
    }

    /// AdminDispatcherUninstallSoftware: ask a live device to uninstall the client.
    pub async fn dispatcher_uninstall_software(
        &self,
        target_id: &str,
        remove_config_file: bool,
    ) -> Result<CometAPIResponseMessage, CometError> {
        let form = Form::new().text("TargetID", target_id).flag("RemoveConfigFile", remove_config_file);
        self.call("api/v1/admin/dispatcher/uninstall-software", form, Retry::Never).await
    }

    // ----- machinery -----

    /// POST, apply the error rules, decode the declared type.
    pub(crate) async fn call<T: DeserializeOwned>(&self, endpoint: &str, form: Form, retry: Retry) -> Result<T, CometError> {
        let bytes = self.call_raw(endpoint, form, retry).await?;
        crate::decode::decode(endpoint, &bytes)
    }

    /// A raw-byte endpoint's body (a JSON error object in it is still an error).
    pub(crate) async fn call_raw(&self, endpoint: &str, form: Form, retry: Retry) -> Result<Vec<u8>, CometError> {
        Ok(self.call_reply(endpoint, form, retry).await?.body)
    }

    /// POST with the current auth. Comet answers 403 both for a session that is no longer valid
    /// and for a permission or policy refusal, so a 403 is followed by one cheap probe with the
    /// same auth: when the probe passes the refusal is [`CometError::Forbidden`] and nothing
    /// else happens; when it is refused too, an expired session key is replaced by a new login
    /// (and calls that may be repeated are retried), and bad credentials are
    /// [`CometError::Auth`].
    pub(crate) async fn call_reply(&self, endpoint: &str, form: Form, retry: Retry) -> Result<RawReply, CometError> {
        let auth = self.auth_fields().await?;
        let e = match self.post(endpoint, &auth, &form).await {
            Err(e) if e.is_403() && endpoint != self.family.probe => e,
            Err(e) if e.is_403() => return Err(e.into_auth()),
            other => return other,
        };
        match self.post(self.family.probe, &auth, &Form::new()).await {
            Ok(_) => return Err(e.into_forbidden()),
            Err(probe) if !probe.is_403() => return Err(e),
            Err(_) => {}
        }
        if !auth.used_session_key || self.password.is_empty() {
            return Err(e.into_auth());
        }
        tracing::info!(endpoint, "Comet session key no longer valid; logging in again");
        self.relogin(&auth).await?;
        if retry == Retry::Never {
            return Err(e.into_auth());
        }
        let auth = self.auth_fields().await?;
        self.post(endpoint, &auth, &form).await
    }

    /// Pick the auth fields (§1.3), logging in first when no session key is held yet.
    async fn auth_fields(&self) -> Result<AuthFields, CometError> {
        let mut state = self.auth.lock().await;
        if state.session_key.is_none() && !state.login_tried && !self.password.is_empty() {
            self.start_session_locked(&mut state).await?;
        }
        Ok(self.fields_from(&mut state))
    }

    fn fields_from(&self, state: &mut AuthState) -> AuthFields {
        let (auth_type, password, key, totp, used_session_key) = match (&state.session_key, state.totp.take()) {
            (Some(key), totp) => {
                state.totp = totp; // not spent: a session-key request does not use it
                ("SessionKey", String::new(), key.clone(), String::new(), true)
            }
            (None, Some(code)) => ("PasswordTOTP", self.password.clone(), String::new(), code, false),
            (None, None) => ("Password", self.password.clone(), String::new(), String::new(), false),
        };
        AuthFields {
            pairs: [
                ("Username", self.username.clone()),
                ("AuthType", auth_type.to_owned()),
                ("Password", password),
                ("SessionKey", key),
                ("TOTP", totp),
            ],
            used_session_key,
        }
    }

    /// Replace a refused session key, unless a concurrent call already did.
    async fn relogin(&self, refused: &AuthFields) -> Result<(), CometError> {
        let mut state = self.auth.lock().await;
        let refused_key = &refused.pairs[3].1;
        if state.session_key.as_deref() == Some(refused_key.as_str()) || state.session_key.is_none() {
            state.session_key = None;
            state.login_tried = false;
            self.start_session_locked(&mut state).await?;
        }
        Ok(())
    }

    /// AdminAccountSessionStart with the password (and the TOTP code, spent here). Bad
    /// credentials and TOTP demands are returned; any other refusal leaves the client on
    /// password auth (some admins may not be allowed sessions).
    async fn start_session_locked(&self, state: &mut AuthState) -> Result<(), CometError> {
        state.session_key = None;
        if self.totp_secret.is_some() && state.totp.is_none() {
            state.totp = Some(self.fresh_totp_code(state).await?);
        }
        let auth = self.fields_from(state);
        let form = Form::new().text("SelfAddress", self.base.as_str());
        let endpoint = self.family.session_start;
        let result = self
            .post(endpoint, &auth, &form)
            .await
            .and_then(|reply| crate::decode::decode::<SessionKeyRegeneratedResponse>(endpoint, &reply.body));
        match result {
            Ok(resp) if !resp.session_key.is_empty() => {
                state.session_key = Some(resp.session_key);
                state.login_tried = true;
                Ok(())
            }
            Ok(_) => {
                tracing::warn!("Comet session start returned no key; using password auth");
                state.login_tried = true;
                Ok(())
            }
            Err(e @ (CometError::TotpRequired | CometError::Transport(_))) => Err(e),
            // A refused login is about the credentials, whatever else a 403 can mean.
            Err(e) if e.is_403() => Err(e.into_auth()),
            Err(e) => {
                tracing::warn!(error = %e, "Comet session start failed; using password auth");
                state.login_tried = true;
                Ok(())
            }
        }
    }

    /// One HTTP POST; returns the body (and attachment filename) of a success.
    async fn post(&self, endpoint: &str, auth: &AuthFields, form: &Form) -> Result<RawReply, CometError> {
        let url = self
            .base
            .join(endpoint)
            .map_err(|e| CometError::InvalidUrl { url: format!("{}{endpoint}", self.base), reason: e.to_string() })?;
        let mut body: Vec<(&str, &str)> = auth.pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        body.extend(form.pairs().iter().map(|(k, v)| (k.as_str(), v.as_str())));
        if tracing::enabled!(tracing::Level::DEBUG) {
            let mut shown = Form::new();
            for (k, v) in &body {
                shown = shown.text(k, *v);
            }
            tracing::debug!(endpoint, body = %shown.redacted(), "Comet request");
        }
        REQUESTS_SENT.fetch_add(1, Ordering::Relaxed);
        let resp = self.http.post(url).form(&body).send().await.map_err(CometError::Transport)?;
        let status = resp.status().as_u16();
        let filename = resp
            .headers()
            .get(reqwest::header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .and_then(crate::download::disposition_filename);
        let bytes = resp.bytes().await.map_err(CometError::Transport)?;
        tracing::debug!(endpoint, status, bytes = bytes.len(), "Comet response");
        classify_response(status, &bytes)?;
        Ok(RawReply { body: bytes.to_vec(), filename })
    }

    /// GET a public, unauthenticated path (e.g. `gen/branding.props`).
    pub(crate) async fn get_public<T: DeserializeOwned>(&self, path: &str) -> Result<T, CometError> {
        let url = self
            .base
            .join(path)
            .map_err(|e| CometError::InvalidUrl { url: format!("{}{path}", self.base), reason: e.to_string() })?;
        tracing::debug!(endpoint = path, "Comet GET");
        REQUESTS_SENT.fetch_add(1, Ordering::Relaxed);
        let resp = self.http.get(url).send().await.map_err(CometError::Transport)?;
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.map_err(CometError::Transport)?;
        classify_response(status, &bytes)?;
        crate::decode::decode(path, &bytes)
    }
}

/// HTTP requests sent to Comet servers by this process (every API POST, logins included, and
/// every public GET), counted before they are sent.
static REQUESTS_SENT: AtomicU64 = AtomicU64::new(0);

/// How many HTTP requests this process has sent to Comet servers so far: what a measurement
/// (`eb-bench api`'s Comet calls per request) subtracts before from after.
pub fn requests_sent() -> u64 {
    REQUESTS_SENT.load(Ordering::Relaxed)
}

pub(crate) fn target(user: &str) -> Form {
    Form::new().text("TargetUser", user)
}

pub(crate) fn encode_error(source: serde_json::Error) -> CometError {
    CometError::Decode { endpoint: "(request encoding)".into(), source }
}

/// Normalise the origin to `scheme://host[:port]/path/` so endpoint paths join under it.
fn parse_origin(origin: &str) -> Result<Url, CometError> {
    let invalid = |reason: &str| CometError::InvalidUrl { url: origin.to_owned(), reason: reason.to_owned() };
    let mut url = Url::parse(origin.trim()).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("scheme must be http or https"));
    }
    if url.host_str().is_none() {
        return Err(invalid("no host"));
    }
    url.set_query(None);
    url.set_fragment(None);
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// The keys that make a body a `CometAPIResponseMessage`-shaped answer.
#[derive(Deserialize)]
struct StatusProbe {
    #[serde(rename = "Status")]
    status: Option<serde_json::Number>,
    #[serde(rename = "Message")]
    message: Option<String>,
}

/// §1.5, union of the SDK rules: a JSON object with both `Status` and `Message` whose Status is
/// outside 200–299 is an API error whatever the HTTP status (`ERR_TOTP_REQUIRED` ⇒
/// [`CometError::TotpRequired`], 403 ⇒ [`CometError::Forbidden`] until the caller knows whether
/// the credentials were the reason); otherwise a non-2xx HTTP status is [`CometError::Http`]. Both keys are required because success types such as
/// `BackupJobDetail` carry a `Status` of their own.
pub(crate) fn classify_response(http_status: u16, body: &[u8]) -> Result<(), CometError> {
    if let Some((status, message)) = api_status(body)
        && !(200..=299).contains(&status)
    {
        return Err(if message == ERR_TOTP_REQUIRED {
            CometError::TotpRequired
        } else if status == 403 {
            CometError::Forbidden { message }
        } else {
            CometError::Api { status, message }
        });
    }
    if !(200..=299).contains(&http_status) {
        return Err(CometError::Http { status: http_status, body_excerpt: excerpt(body) });
    }
    Ok(())
}

fn api_status(body: &[u8]) -> Option<(i64, String)> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace())?;
    if *first != b'{' {
        return None;
    }
    let probe: StatusProbe = serde_json::from_slice(body).ok()?;
    let status = probe.status?;
    let status = status.as_i64().or_else(|| status.as_f64().map(|f| f as i64))?;
    Some((status, probe.message?))
}

fn excerpt(body: &[u8]) -> String {
    String::from_utf8_lossy(body).chars().take(BODY_EXCERPT_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_is_normalised() {
        assert_eq!(parse_origin("http://127.0.0.1:8060").unwrap().as_str(), "http://127.0.0.1:8060/");
        assert_eq!(parse_origin("https://h.example/comet?x=1").unwrap().as_str(), "https://h.example/comet/");
        assert!(matches!(parse_origin("ftp://x"), Err(CometError::InvalidUrl { .. })));
        assert!(matches!(parse_origin("not a url"), Err(CometError::InvalidUrl { .. })));
    }

    #[test]
    fn error_rules() {
        assert!(classify_response(200, br#"{"Status":200,"Message":"OK"}"#).is_ok());
        assert!(classify_response(200, br#"{"GUID":"j","Status":7002}"#).is_ok(), "a failed job is not an API error");
        assert!(classify_response(200, br#"["a","b"]"#).is_ok());
        assert!(matches!(classify_response(200, br#"{"Status":400,"Message":"bad"}"#), Err(CometError::Api { status: 400, .. })));
        assert!(matches!(
            classify_response(500, br#"{"Status":500,"Message":"boom"}"#),
            Err(CometError::Api { status: 500, .. })
        ));
        assert!(matches!(classify_response(200, br#"{"Status":403,"Message":"Invalid"}"#), Err(CometError::Forbidden { .. })));
        assert!(matches!(
            classify_response(200, br#"{"Status":403,"Message":"ERR_TOTP_REQUIRED"}"#),
            Err(CometError::TotpRequired)
        ));
        assert!(matches!(classify_response(200, br#"{"Status":302,"Message":""}"#), Err(CometError::Api { .. })));
        match classify_response(502, b"<html>bad gateway</html>") {
            Err(CometError::Http { status: 502, body_excerpt }) => assert!(body_excerpt.contains("bad gateway")),
            other => panic!("unexpected {other:?}"),
        }
        assert!(classify_response(404, b"").is_err());
    }
}
