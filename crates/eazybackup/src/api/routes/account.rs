//! The Account settings tab (issue 11): `GET`/`PATCH /services/{id}/account` (display name,
//! language, time zone, email reports, the privacy switch that can be turned off here) through
//! the profile and its hash, the password change (then pushed to every online device), TOTP
//! enrolment in the SDK's order (regenerate → validate a code → switch on), client downloads
//! streamed through us with an install token, and a preview of an email report.
//!
//! Every write re-reads the account's policy (`capabilities::require`); every Comet call goes
//! through the scoped [`AccountComet`].

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use comet::{EmailReportConfig, UserCustomEmailSettings};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::AppState;
use crate::api::audit::AuditNote;
use crate::api::capabilities;
use crate::api::comet_clients::{AccountComet, PROFILE_CHANGED};
use crate::api::error::{ApiError, ApiJson};
use crate::api::openapi::{Authenticated, Scoped, Write};
use crate::api::scope::ScopedService;
use crate::api::write_access::WritableService;
use crate::views::account::{AccountSettings, EmailReport, EmailReports, LANGUAGES, PASSWORD_RULES, Recipient, TwoFactor};
use crate::views::capabilities::Capability;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_account, update_account))
        .routes(routes!(change_password))
        .routes(routes!(totp_enrol))
        .routes(routes!(totp_confirm))
        .routes(routes!(totp_disable))
        .routes(routes!(preview_email_report))
        .routes(routes!(downloads))
        .routes(routes!(download))
        .routes(routes!(install_token))
}

/// Whether every online device lets the server see file names (`None` when none is online).
async fn filenames_allowed(comet: &AccountComet) -> Option<bool> {
    let live = comet.live_connections().await.ok()?;
    if live.is_empty() { None } else { Some(live.values().all(|c| c.allows_filenames)) }
}

async fn settings(comet: &AccountComet, service_id: i64) -> Result<AccountSettings, ApiError> {
    let reply = comet.profile_and_hash().await?;
    let filenames = filenames_allowed(comet).await;
    Ok(AccountSettings::from_profile(service_id, &reply.profile, &reply.profile_hash, filenames))
}

/// The account's settings, with the profile hash a change must send back.
#[utoipa::path(get, path = "/services/{id}/account", operation_id = "account.get", tag = "account",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)")),
    responses((status = 200, description = "The account's settings", body = AccountSettings), Authenticated, Scoped,
        (status = 502, description = "`upstream`: Comet could not be asked")))]
pub async fn get_account(State(state): State<AppState>, scoped: ScopedService) -> Result<Json<AccountSettings>, ApiError> {
    let comet = state.comet.account(&scoped)?;
    Ok(Json(settings(&comet, scoped.service.service_id).await?))
}

/// A change of the account's settings: only the fields sent are changed.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AccountChange {
    /// `profile_hash` of the settings the change is based on (the UI always sends it): 409 when
    /// the account changed since. Without it the change applies to the profile as read now.
    pub profile_hash: Option<String>,
    pub display_name: Option<String>,
    pub language_code: Option<String>,
    pub time_zone: Option<String>,
    pub email_reports: Option<EmailReports>,
    /// Only `false` (turn off) can be sent: turning it back on needs the password, in the app.
    pub admin_password_reset: Option<bool>,
}

const MAX_NAME_CHARS: usize = 255;
const MAX_RECIPIENTS: usize = 20;
const MAX_REPORTS: usize = 10;

fn valid_time_zone(tz: &str) -> bool {
    tz == "UTC"
        || (tz.len() <= 64
            && tz.contains('/')
            && tz
                .split('/')
                .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))))
}

fn valid_address(a: &str) -> bool {
    let Some((local, domain)) = a.split_once('@') else { return false };
    a.len() <= 254
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !a.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'))
        && !domain.contains('@')
}

fn validate_change(req: &AccountChange) -> Result<(), ApiError> {
    if let Some(name) = &req.display_name
        && (name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control))
    {
        return Err(ApiError::Invalid {
            field: "display_name",
            message: format!("The display name may have up to {MAX_NAME_CHARS} characters on one line."),
        });
    }
    if let Some(code) = &req.language_code
        && !LANGUAGES.iter().any(|(c, _)| c == code)
    {
        return Err(ApiError::Invalid { field: "language_code", message: "Choose one of the offered languages.".into() });
    }
    if let Some(tz) = &req.time_zone
        && !valid_time_zone(tz)
    {
        return Err(ApiError::Invalid {
            field: "time_zone",
            message: "Enter a time zone such as Europe/Berlin or America/Toronto.".into(),
        });
    }
    if req.admin_password_reset == Some(true) {
        return Err(ApiError::Invalid {
            field: "admin_password_reset",
            message: "This can only be turned on again in the backup app, with the account's password.".into(),
        });
    }
    if let Some(reports) = &req.email_reports {
        if reports.recipients.len() > MAX_RECIPIENTS {
            return Err(ApiError::Invalid { field: "recipients", message: format!("Up to {MAX_RECIPIENTS} recipients.") });
        }
        let mut seen = std::collections::BTreeSet::new();
        for r in &reports.recipients {
            if !valid_address(r.address.trim()) {
                return Err(ApiError::Invalid {
                    field: "recipients",
                    message: "Each recipient needs a valid email address.".into(),
                });
            }
            if !seen.insert(r.address.trim().to_ascii_lowercase()) {
                return Err(ApiError::Invalid { field: "recipients", message: "A recipient is listed twice.".into() });
            }
            if r.reports.as_ref().is_some_and(|l| l.len() > MAX_REPORTS) {
                return Err(ApiError::Invalid {
                    field: "reports",
                    message: format!("Up to {MAX_REPORTS} reports per recipient."),
                });
            }
        }
    }
    Ok(())
}

/// The recipients' own reports as Comet's override map, keeping each replaced report's unmodelled
/// keys (by position).
fn apply_email_reports(profile: &mut comet::UserProfileConfig, wanted: &EmailReports) -> Result<(), ApiError> {
    let old = profile.override_email_settings.clone();
    let mut overrides = std::collections::BTreeMap::new();
    for Recipient { address, reports } in &wanted.recipients {
        let address = address.trim().to_string();
        let Some(reports) = reports else { continue };
        let before = old.get(&address);
        let mut settings = before.cloned().unwrap_or_else(UserCustomEmailSettings::default);
        let configs: Result<Vec<EmailReportConfig>, String> =
            reports.iter().enumerate().map(|(i, r)| r.to_config(before.and_then(|b| b.reports.get(i)))).collect();
        settings.reports = configs.map_err(|message| ApiError::Invalid { field: "reports", message })?.into_iter().collect();
        overrides.insert(address, settings);
    }
    profile.emails = wanted.recipients.iter().map(|r| r.address.trim().to_string()).collect();
    profile.override_email_settings = overrides.into();
    profile.send_email_reports = wanted.enabled;
    Ok(())
}

/// Changes the fields sent, on the profile read at `profile_hash` (409 `conflict` when the
/// account changed since). Each field is refused when the account's policy fixes it.
#[utoipa::path(patch, path = "/services/{id}/account", operation_id = "account.update", tag = "account",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)")),
    request_body = AccountChange,
    responses((status = 200, description = "The settings after the change", body = AccountSettings), Authenticated, Scoped, Write,
        (status = 409, description = "`conflict`: the account changed since `profile_hash`"),
        (status = 502, description = "`upstream`: Comet refused or could not be reached")))]
pub async fn update_account(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    ApiJson(req): ApiJson<AccountChange>,
) -> Result<Json<AccountSettings>, ApiError> {
    validate_change(&req)?;
    let comet = state.comet.account(&writable.scoped())?;
    let service = &writable.service;
    let current = comet.profile_and_hash().await?;
    if req.profile_hash.as_ref().is_some_and(|h| *h != current.profile_hash) {
        return Err(ApiError::Conflict(PROFILE_CHANGED.into()));
    }
    let hash = current.profile_hash.clone();
    let caps = capabilities::evaluate(service, &current.profile.policy, None);
    let mut profile = current.profile;
    let mut changed = Vec::new();
    if let Some(name) = &req.display_name {
        capabilities::check(&caps, Capability::AccountRename)?;
        profile.account_name = name.trim().to_string();
        changed.push("display_name");
    }
    if let Some(code) = &req.language_code {
        profile.language_code = code.clone();
        changed.push("language_code");
    }
    if let Some(tz) = &req.time_zone {
        profile.local_timezone = tz.clone();
        changed.push("time_zone");
    }
    if let Some(reports) = &req.email_reports {
        capabilities::check(&caps, Capability::AccountChangeEmailSettings)?;
        apply_email_reports(&mut profile, reports)?;
        changed.push("email_reports");
    }
    if req.admin_password_reset == Some(false) {
        let view = AccountSettings::from_profile(service.service_id, &profile, "", None);
        if view.privacy.admin_password_reset.fixed_by_policy {
            return Err(ApiError::ForbiddenByPolicy(
                "Your provider sets whether the administrator may reset the password.".into(),
            ));
        }
        profile.password_recovery = comet::Secret(String::new());
        changed.push("admin_password_reset");
    }
    audit.set_target(changed.join(","));
    if !changed.is_empty() {
        comet.write_profile(&profile, &hash).await?;
    }
    Ok(Json(settings(&comet, service.service_id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// A device of the account and whether it now holds the new password.
#[derive(Debug, Serialize, ToSchema)]
pub struct DevicePassword {
    pub device_id: String,
    pub name: String,
    pub online: bool,
    /// The new password was pushed to it.
    pub updated: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordChanged {
    pub devices: Vec<DevicePassword>,
    /// How many devices still hold the old password (offline, or the push failed): they must be
    /// logged in again with the new one.
    pub still_old: usize,
}

/// Changes the account's password (current + new, Comet's rules), then pushes the new password
/// to every online device and answers which devices still hold the old one. The WHMCS addon
/// stores the new password for the service when this answers 200.
#[utoipa::path(post, path = "/services/{id}/account/password", operation_id = "account.password", tag = "account",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)")),
    request_body = PasswordChange,
    responses((status = 200, description = "Changed; the devices and whether each holds the new password", body = PasswordChanged),
        Authenticated, Scoped, Write,
        (status = 409, description = "`conflict`: the account changed meanwhile"),
        (status = 502, description = "`upstream`: Comet refused or could not be reached")))]
pub async fn change_password(
    State(state): State<AppState>,
    writable: WritableService,
    ApiJson(req): ApiJson<PasswordChange>,
) -> Result<Json<PasswordChanged>, ApiError> {
    if req.current_password.is_empty() {
        return Err(ApiError::Invalid { field: "current_password", message: "Enter the current password.".into() });
    }
    if let Some(message) = PASSWORD_RULES.violation(&req.new_password) {
        return Err(ApiError::Invalid { field: "new_password", message });
    }
    let comet = state.comet.account(&writable.scoped())?;
    capabilities::require(&comet, &writable.service, Capability::AccountChangePassword, None).await?;
    comet.change_password(&req.current_password, &req.new_password).await?;
    // The password is changed: from here on nothing may fail the answer, or the addon would not
    // store the new password. What could not be pushed is reported per device.
    let live = comet.live_connections().await.unwrap_or_default();
    let names = comet.profile_and_hash().await.map(|r| r.profile.devices.into_inner()).unwrap_or_default();
    let mut devices: Vec<DevicePassword> = names
        .iter()
        .map(|(id, d)| DevicePassword { device_id: id.clone(), name: d.friendly_name.clone(), online: false, updated: false })
        .collect();
    for (connection, c) in &live {
        let updated = match comet.push_password(connection, &req.new_password).await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(error = %e, device = %c.device_id, "could not push the new password to a live device");
                false
            }
        };
        match devices.iter_mut().find(|d| d.device_id == c.device_id) {
            Some(d) => {
                d.online = true;
                d.updated |= updated;
            }
            None => devices.push(DevicePassword { device_id: c.device_id.clone(), name: String::new(), online: true, updated }),
        }
    }
    let still_old = devices.iter().filter(|d| !d.updated).count();
    Ok(Json(PasswordChanged { devices, still_old }))
}

/// A new TOTP secret to enrol in an authenticator app: shown once, to the account's owner. 2FA is
/// not on until a code of it is confirmed.
#[derive(Debug, Serialize, ToSchema)]
pub struct TotpEnrolment {
    /// `otpauth://` URI (what the QR code holds).
    pub otpauth_uri: String,
    /// The base32 secret, for typing in by hand.
    pub manual_entry: String,
    /// Comet's QR code of the URI (`data:image/png;base64,…`), when it sent one.
    pub qr_image: Option<String>,
}

fn secret_of(uri: &str) -> Option<String> {
    let query = uri.split_once('?')?.1;
    query.split('&').filter_map(|kv| kv.split_once('=')).find(|(k, _)| *k == "secret").map(|(_, v)| v.to_string())
}

async fn require_totp_change(comet: &AccountComet, writable: &WritableService) -> Result<(), ApiError> {
    // TOTP is the account's own web login setting: Comet allows it through the web interface only.
    capabilities::require(comet, &writable.service, Capability::AccountOpenWebUi, None).await
}

/// Step 1 of enrolment (UserWebAccountRegenerateTotp): a new secret for the account.
#[utoipa::path(post, path = "/services/{id}/account/totp/enrol", operation_id = "account.totp_enrol", tag = "account",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)")),
    responses((status = 200, description = "The new secret, to scan", body = TotpEnrolment), Authenticated, Scoped, Write,
        (status = 409, description = "`conflict`: the account changed meanwhile"),
        (status = 502, description = "`upstream`: Comet refused or could not be reached")))]
pub async fn totp_enrol(State(state): State<AppState>, writable: WritableService) -> Result<Json<TotpEnrolment>, ApiError> {
    let comet = state.comet.account(&writable.scoped())?;
    require_totp_change(&comet, &writable).await?;
    let hash = comet.profile_and_hash().await?.profile_hash;
    let reply = comet.regenerate_totp(&hash).await?;
    let uri = reply.url.expose().to_string();
    let manual_entry = secret_of(&uri).ok_or_else(|| ApiError::Upstream("The backup server sent no usable secret.".into()))?;
    let image = reply.image.expose();
    let qr_image = image.starts_with("data:image/png;base64,").then(|| image.to_string());
    Ok(Json(TotpEnrolment { otpauth_uri: uri, manual_entry, qr_image }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TotpCode {
    /// Six digits from the authenticator app.
    pub code: String,
}

/// Step 2 (UserWebAccountValidateTotp) and 3: the code is checked, then TOTP is required at login
/// (`AllowPasswordAndTOTPLogin`, through the profile and its hash).
#[utoipa::path(post, path = "/services/{id}/account/totp/confirm", operation_id = "account.totp_confirm", tag = "account",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)")),
    request_body = TotpCode,
    responses((status = 200, description = "Two-factor is on", body = TwoFactor), Authenticated, Scoped, Write,
        (status = 409, description = "`conflict`: the account changed meanwhile"),
        (status = 502, description = "`upstream`: Comet refused or could not be reached")))]
pub async fn totp_confirm(
    State(state): State<AppState>,
    writable: WritableService,
    ApiJson(req): ApiJson<TotpCode>,
) -> Result<Json<TwoFactor>, ApiError> {
    let code = req.code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::Invalid { field: "code", message: "Enter the six digits your app shows.".into() });
    }
    let comet = state.comet.account(&writable.scoped())?;
    require_totp_change(&comet, &writable).await?;
    let current = comet.profile_and_hash().await?;
    if current.profile.totp_key.expose().is_empty() {
        return Err(ApiError::Invalid { field: "code", message: "Start the set-up first: no authenticator is enrolled.".into() });
    }
    comet.validate_totp(&current.profile_hash, code).await?;
    let mut profile = current.profile;
    profile.allow_password_and_totp_login = true;
    comet.write_profile(&profile, &current.profile_hash).await?;
    Ok(Json(TwoFactor { enabled: true, enrolled: true }))
}

/// Turns two-factor off (AdminDisableUserTotp): the secret is removed.
#[utoipa::path(delete, path = "/services/{id}/account/totp", operation_id = "account.totp_disable", tag = "account",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)")),
    responses((status = 200, description = "Two-factor is off", body = TwoFactor), Authenticated, Scoped, Write,
        (status = 502, description = "`upstream`: Comet refused or could not be reached")))]
pub async fn totp_disable(State(state): State<AppState>, writable: WritableService) -> Result<Json<TwoFactor>, ApiError> {
    let comet = state.comet.account(&writable.scoped())?;
    require_totp_change(&comet, &writable).await?;
    comet.disable_totp().await?;
    Ok(Json(TwoFactor { enabled: false, enrolled: false }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PreviewRequest {
    pub report: EmailReport,
    /// The recipient the preview is addressed to.
    pub address: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportPreview {
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    /// The plain-text body (the UI shows this; the HTML body is Comet's and is not rendered).
    pub text: String,
}

/// An email report as Comet would render it now for this account (AdminPreviewUserEmailReport).
/// Changes nothing.
#[utoipa::path(post, path = "/services/{id}/account/email-reports/preview", operation_id = "account.email_preview",
    tag = "account",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)")),
    request_body = PreviewRequest,
    responses((status = 200, description = "The rendered report", body = ReportPreview), Authenticated, Scoped, Write,
        (status = 502, description = "`upstream`: Comet refused or could not be reached")))]
pub async fn preview_email_report(
    State(state): State<AppState>,
    writable: WritableService,
    ApiJson(req): ApiJson<PreviewRequest>,
) -> Result<Json<ReportPreview>, ApiError> {
    let address = req.address.as_deref().map(str::trim).filter(|a| !a.is_empty());
    if address.is_some_and(|a| !valid_address(a)) {
        return Err(ApiError::Invalid { field: "address", message: "Enter a valid email address.".into() });
    }
    let config = req.report.to_config(None).map_err(|message| ApiError::Invalid { field: "report", message })?;
    let comet = state.comet.account(&writable.scoped())?;
    let p = comet.preview_email_report(&config, address).await?;
    Ok(Json(ReportPreview { from: p.from, to: p.to.into_inner(), subject: p.email_subject, text: p.email_body_plaintext }))
}

/// One installer the server offers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Platform {
    pub platform: i64,
    pub category: String,
    pub description: String,
    pub recommended: bool,
    /// An install token can log the installed client in (Windows and macOS installers).
    pub install_token: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Downloads {
    /// What to enter as the server in the backup app.
    pub server_address: String,
    /// What to enter as the username.
    pub username: String,
    pub platforms: Vec<Platform>,
}

fn takes_install_token(category: &str) -> bool {
    let c = category.to_ascii_lowercase();
    c.contains("windows") || c.contains("mac")
}

/// The client software the server offers, with the server address and username to log in with.
#[utoipa::path(get, path = "/services/{id}/account/downloads", operation_id = "account.downloads", tag = "account",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)")),
    responses((status = 200, description = "The installers", body = Downloads), Authenticated, Scoped,
        (status = 502, description = "`upstream`: Comet could not be asked")))]
pub async fn downloads(State(state): State<AppState>, scoped: ScopedService) -> Result<Json<Downloads>, ApiError> {
    let comet = state.comet.account(&scoped)?;
    let platforms = comet
        .available_platforms()
        .await?
        .into_iter()
        .map(|(platform, d)| Platform {
            platform,
            install_token: takes_install_token(&d.category),
            category: d.category,
            description: d.description,
            recommended: d.recommended,
        })
        .collect();
    Ok(Json(Downloads { server_address: comet.server_address().to_string(), username: comet.username().to_string(), platforms }))
}

fn safe_filename(name: Option<&str>, platform: i64) -> String {
    let cleaned: String = name
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(120)
        .collect();
    if cleaned.is_empty() || cleaned.starts_with('.') { format!("backup-client-{platform}.bin") } else { cleaned }
}

/// The installer for one platform the server offers, through us (the admin login stays here).
#[utoipa::path(get, path = "/services/{id}/account/downloads/{platform}", operation_id = "account.download", tag = "account",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("platform" = i64, Path, description = "A platform number of `GET .../account/downloads`")),
    responses((status = 200, description = "The installer", content_type = "application/octet-stream"), Authenticated, Scoped,
        (status = 502, description = "`upstream`: Comet could not build it")))]
pub async fn download(
    State(state): State<AppState>,
    scoped: ScopedService,
    Path(params): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let platform: i64 = params.1.parse().map_err(|_| ApiError::NotFound("That download"))?;
    let comet = state.comet.account(&scoped)?;
    if !comet.available_platforms().await?.contains_key(&platform) {
        return Err(ApiError::NotFound("That download"));
    }
    let file = comet.client_download(platform).await?;
    let name = safe_filename(file.filename.as_deref(), platform);
    let mut response = (StatusCode::OK, Body::from(file.bytes)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct InstallTokenRequest {
    /// The account's password (Comet needs it to issue a token).
    pub password: String,
}

/// A single-use install token, shown once to the account's owner.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstallTokenIssued {
    pub install_token: String,
    pub expires_at: i64,
}

/// A single-use install token for a silent install logged in to this account
/// (AdminCreateInstallToken; Windows `install.exe /TOKEN=…`, macOS `BACKUP_APP_TOKEN`).
#[utoipa::path(post, path = "/services/{id}/account/install-token", operation_id = "account.install_token", tag = "account",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)")),
    request_body = InstallTokenRequest,
    responses((status = 200, description = "The token", body = InstallTokenIssued), Authenticated, Scoped, Write,
        (status = 502, description = "`upstream`: Comet refused or could not be reached")))]
pub async fn install_token(
    State(state): State<AppState>,
    writable: WritableService,
    ApiJson(req): ApiJson<InstallTokenRequest>,
) -> Result<Json<InstallTokenIssued>, ApiError> {
    if req.password.is_empty() {
        return Err(ApiError::Invalid { field: "password", message: "Enter the account's password.".into() });
    }
    let comet = state.comet.account(&writable.scoped())?;
    let reply = comet.install_token(&req.password).await?;
    let t = reply.install_token;
    Ok(Json(InstallTokenIssued { install_token: t.token.expose().to_string(), expires_at: t.expire_time }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_time_zones_and_filenames() {
        assert!(valid_address("ops@acme.test") && !valid_address("ops@acme") && !valid_address("a b@x.test"));
        assert!(!valid_address("x@y.test, z@w.test") && !valid_address("@x.test"));
        assert!(
            valid_time_zone("America/Toronto") && valid_time_zone("UTC") && valid_time_zone("America/Argentina/Buenos_Aires")
        );
        assert!(!valid_time_zone("../etc") && !valid_time_zone("Europe/") && !valid_time_zone("Nowhere"));
        assert_eq!(safe_filename(Some("../../x.exe"), 1), "backup-client-1.bin");
        assert_eq!(safe_filename(Some("eazyBackup-25.9.6-x86_64.zip"), 1), "eazyBackup-25.9.6-x86_64.zip");
        assert_eq!(safe_filename(None, 5), "backup-client-5.bin");
        assert_eq!(secret_of("otpauth://totp/x:y?secret=ABC&issuer=x").as_deref(), Some("ABC"));
    }
}
