//! The Devices tab: `GET /api/v1/services/{id}/devices` (every registered device of the account,
//! merged from our tables and Comet in a fixed number of Comet calls: the profile, the account's
//! live connections and the server version — never one per device), one device's page, and the
//! device actions.
//!
//! Every action takes [`WritableService`], checks the device against the account's own Comet
//! profile (404 when it is not there), decides the capability from the policy read in that same
//! profile (`api::capabilities`), and finds the device's live connection itself — the browser
//! never names a live-connection id. An action that goes through the connection answers 409
//! when the device is offline.

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use axum::extract::{Path, State};
use comet::{BackupJobAdvancedOptions, DeviceConfig, LiveUserConnection, UserProfileConfig};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::AppState;
use crate::api::audit::AuditNote;
use crate::api::capabilities::{self, DeviceState};
use crate::api::comet_clients::{AccountComet, Dispatched};
use crate::api::error::{ApiError, ApiJson};
use crate::api::openapi::{Authenticated, Limited, Scoped, Write};
use crate::api::rate_limit::{Limit, class};
use crate::api::scope::ScopedService;
use crate::api::write_access::WritableService;
use crate::db::device_jobs::{self, DeviceJobRow};
use crate::db::devices::{self as stored_devices, StoredDevice};
use crate::db::events;
use crate::db::items::comet_device_id;
use crate::db::jobs::{self, Account, status_class};
use crate::views::capabilities::Capability;
use crate::views::devices::{
    DeviceActionResult, DeviceDetail, DeviceItem, DeviceJob, DeviceList, DeviceRule, DeviceSummary, LastBackup, LiveConnection,
    RevokeResult, VaultChoice,
};
use crate::views::overview::CometReach;

/// What an action on an offline device answers.
pub const OFFLINE_MESSAGE: &str =
    "This device is offline: the action waits until it connects to the backup server. Start it again once the device is online.";

/// A friendly name longer than this is refused (Comet keeps it, but no screen shows it).
const MAX_NAME_CHARS: usize = 200;

/// Jobs on a device's page.
const DEVICE_JOBS: i64 = 20;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(detail))
        .routes(routes!(rename))
        .routes(routes!(run_backup))
        .routes(routes!(update_software))
        .routes(routes!(uninstall))
        .routes(routes!(revoke))
        .routes(routes!(drop_connection))
        .routes(routes!(kill_process))
        .routes(routes!(refetch_profile))
        .routes(routes!(push_password))
}

// ------------------------------------------------------------------------------------------ reads

/// The account's registered devices with their live state, OS, client version, last backup and
/// items. When Comet cannot be read the answer is still 200, from our tables, with
/// `comet.reachable = false`.
#[utoipa::path(
    get,
    path = "/services/{id}/devices",
    operation_id = "devices.list",
    tag = "devices",
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)")),
    responses((status = 200, description = "The account's devices", body = DeviceList), Authenticated, Scoped),
    security(("bearer" = []))
)]
pub async fn list(State(state): State<AppState>, scoped: ScopedService) -> Result<Json<DeviceList>, ApiError> {
    let service = &scoped.service;
    let account = Account::from(service);
    let comet_side = async {
        let comet = state.comet.account(&scoped)?;
        let (profile, live, version) = tokio::join!(comet.profile(), comet.live_connections(), comet.server_version());
        Ok::<_, ApiError>((profile?, live?, version.ok()))
    };
    let tables = async {
        let stored = stored_rows(&state, &service.profile, &service.username).await?;
        let last = device_jobs::last_backups(&state.db, &service.profile, &service.username).await?;
        let running = jobs::running_for_accounts(&state.db, std::slice::from_ref(&account)).await?;
        Ok::<_, ApiError>((stored, last, running))
    };
    let (from_comet, tables) = tokio::join!(comet_side, tables);
    let (stored, last, running) = tables?;
    let facts = TableFacts::new(&scoped, &stored, last, &running);
    let (devices, server_version, comet) = match from_comet {
        Ok((profile, live, version)) => {
            let live = live_by_device(live);
            let mut devices: Vec<DeviceSummary> = profile
                .devices
                .iter()
                .map(|(id, d)| summary_from_comet(id, d, &profile, live.get(id.as_str()), version.as_deref(), &facts))
                .collect();
            sort(&mut devices);
            (devices, version, CometReach { reachable: true, message: None })
        }
        Err(e) => {
            let mut devices: Vec<DeviceSummary> =
                stored.iter().filter(|d| d.is_active).map(|d| summary_from_table(d, &facts)).collect();
            sort(&mut devices);
            (devices, None, CometReach { reachable: false, message: Some(unreachable_message(&e)) })
        }
    };
    Ok(Json(DeviceList { devices, server_version, comet }))
}

/// One device: its items with their backup rules, the account's vaults, its recent jobs and its
/// live connection.
#[utoipa::path(
    get,
    path = "/services/{id}/devices/{device_id}",
    operation_id = "devices.get",
    tag = "devices",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("device_id" = String, Path, description = "A Comet DeviceID of the account")
    ),
    responses(
        (status = 200, description = "The device's page", body = DeviceDetail),
        (status = 502, description = "`upstream`: Comet could not be asked"),
        Authenticated, Scoped
    ),
    security(("bearer" = []))
)]
pub async fn detail(
    State(state): State<AppState>,
    scoped: ScopedService,
    Path(ids): Path<(String, String)>,
) -> Result<Json<DeviceDetail>, ApiError> {
    let device_id = ids.1;
    let service = &scoped.service;
    let comet = state.comet.account(&scoped)?;
    let (profile, live, version) = tokio::join!(comet.profile(), comet.live_connections(), comet.server_version());
    let profile = profile?;
    let config = profile.devices.get(&device_id).ok_or(ApiError::NotFound("That device"))?;
    let live = live?;
    let account = Account::from(service);
    let key = comet_device_id(Some(scoped.client), &device_id);
    let (stored, last, running, recent) = tokio::join!(
        stored_rows(&state, &service.profile, &service.username),
        device_jobs::last_backups(&state.db, &service.profile, &service.username),
        jobs::running_for_accounts(&state.db, std::slice::from_ref(&account)),
        device_jobs::recent(&state.db, &service.profile, &service.username, &key, DEVICE_JOBS),
    );
    let (stored, running) = (stored?, running?);
    let facts = TableFacts::new(&scoped, &stored, last?, &running);
    let live = live_by_device(live);
    let connection = live.get(device_id.as_str()).map(|c| LiveConnection {
        connected_at: c.connection_time,
        ip_address: c.ip_address.clone(),
        reported_version: c.reported_version.clone(),
        reported_platform: c.reported_platform.clone(),
        time_zone: c.device_time_zone.clone(),
        allows_filenames: c.allows_filenames,
    });
    let device = summary_from_comet(&device_id, config, &profile, live.get(device_id.as_str()), version.ok().as_deref(), &facts);
    let mut vaults: Vec<VaultChoice> = profile
        .destinations
        .iter()
        .map(|(id, v)| VaultChoice { vault_id: id.clone(), name: non_empty(&v.description).unwrap_or_else(|| id.clone()) })
        .collect();
    vaults.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.vault_id.cmp(&b.vault_id)));
    Ok(Json(DeviceDetail {
        device,
        items: items_of(&profile, &device_id),
        vaults,
        jobs: recent?.into_iter().map(job_view).collect(),
        connection,
    }))
}

// ---------------------------------------------------------------------------------------- actions

/// `{ "name": "…", "expected_name": "…" }`: the new friendly name, and the name the browser showed
/// (when given and the device was renamed meanwhile, 409).
#[derive(Debug, Deserialize, ToSchema)]
pub struct RenameRequest {
    pub name: String,
    pub expected_name: Option<String>,
}

/// Renames the device (its `FriendlyName`), writing the profile under its hash: a concurrent
/// change to anything else is kept, a concurrent rename of this device answers 409.
#[utoipa::path(
    post,
    path = "/services/{id}/devices/{device_id}/rename",
    operation_id = "devices.rename",
    tag = "devices",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("device_id" = String, Path, description = "A Comet DeviceID of the account")
    ),
    request_body = RenameRequest,
    responses(
        (status = 200, description = "Renamed", body = DeviceActionResult),
        (status = 409, description = "`conflict`: the device was renamed meanwhile"),
        (status = 502, description = "`upstream`: Comet refused or could not be reached"),
        Authenticated, Scoped, Write
    ),
    security(("bearer" = []))
)]
pub async fn rename(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    Path(ids): Path<(String, String)>,
    ApiJson(req): ApiJson<RenameRequest>,
) -> Result<Json<DeviceActionResult>, ApiError> {
    let device_id = ids.1;
    audit.set_target(device_id.clone());
    let name = req.name.trim().to_string();
    if name.is_empty() {
        return Err(ApiError::Invalid { field: "name", message: "Give the device a name.".into() });
    }
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(ApiError::Invalid {
            field: "name",
            message: format!("Use at most {MAX_NAME_CHARS} characters, without line breaks."),
        });
    }
    let (comet, profile) = device_of_account(&state, &writable, &device_id).await?;
    decide(&writable, &profile, Capability::DevicesRename, None)?;
    let expected = req.expected_name;
    comet
        .update_profile(|p| {
            let device = p.devices.get_mut(&device_id).ok_or(ApiError::NotFound("That device"))?;
            if let Some(expected) = &expected
                && device.friendly_name != *expected
                && device.friendly_name != name
            {
                return Err(ApiError::Conflict(format!(
                    "This device was renamed to \u{201c}{}\u{201d} meanwhile. Reload to see the change.",
                    device.friendly_name
                )));
            }
            device.friendly_name = name.clone();
            Ok(())
        })
        .await?;
    audit_ok(&state, &audit, "renamed").await?;
    Ok(Json(DeviceActionResult { state: "done".into(), job_id: None, message: "The device was renamed.".into() }))
}

/// Run a backup now: one backup rule of the device's items (`rule_id`), or one of its items to
/// one of the account's vaults (`item_id` + `vault_id`) with one-off `options`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RunBackupRequest {
    pub rule_id: Option<String>,
    pub item_id: Option<String>,
    pub vault_id: Option<String>,
    pub options: Option<RunOptions>,
}

/// One-off options of a custom backup (Comet's `BackupJobAdvancedOptions`).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RunOptions {
    pub skip_already_running: Option<bool>,
    /// Stop the job after this many seconds (0: never).
    pub stop_after_secs: Option<i64>,
    /// Upload limit in bytes per second (0: none).
    pub limit_vault_speed_bps: Option<i64>,
    pub reduce_disk_concurrency: Option<bool>,
    pub use_on_disk_indexes: Option<bool>,
    pub allow_zero_files_success: Option<bool>,
    /// Parallel uploads (0: the client's default).
    pub concurrency_count: Option<i64>,
    /// `DEBUG`, `INFO`, `WARNING` or `ERROR`.
    pub log_level: Option<String>,
}

#[utoipa::path(
    post,
    path = "/services/{id}/devices/{device_id}/run-backup",
    operation_id = "devices.run_backup",
    tag = "devices",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("device_id" = String, Path, description = "A Comet DeviceID of the account")
    ),
    request_body = RunBackupRequest,
    responses(
        (status = 200, description = "The backup was started", body = DeviceActionResult),
        (status = 409, description = "`conflict`: the device is offline"),
        (status = 502, description = "`upstream`: Comet refused or could not be reached"),
        Authenticated, Scoped, Write, Limited
    ),
    security(("bearer" = []))
)]
pub async fn run_backup(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    _limit: Limit<class::RunNow>,
    Path(ids): Path<(String, String)>,
    ApiJson(req): ApiJson<RunBackupRequest>,
) -> Result<Json<DeviceActionResult>, ApiError> {
    let device_id = ids.1;
    audit.set_target(device_id.clone());
    let (comet, profile) = device_of_account(&state, &writable, &device_id).await?;
    enum Run {
        Rule(String),
        Custom { item: String, vault: String, options: Option<BackupJobAdvancedOptions> },
    }
    let run = match (&req.rule_id, &req.item_id, &req.vault_id) {
        (Some(rule), None, None) => {
            let r = profile.backup_rules.get(rule).ok_or(ApiError::NotFound("That backup rule"))?;
            if !owned_by(&profile, &r.source, &device_id) {
                return Err(ApiError::NotFound("That backup rule"));
            }
            Run::Rule(rule.clone())
        }
        (None, Some(item), Some(vault)) => {
            if !owned_by(&profile, item, &device_id) {
                return Err(ApiError::NotFound("That protected item"));
            }
            if !profile.destinations.contains_key(vault) {
                return Err(ApiError::NotFound("That storage vault"));
            }
            let options = req.options.as_ref().map(advanced_options).transpose()?;
            Run::Custom { item: item.clone(), vault: vault.clone(), options }
        }
        _ => {
            return Err(ApiError::Invalid {
                field: "rule_id",
                message: "Choose a schedule, or a protected item and a storage vault.".into(),
            });
        }
    };
    let live_id = live_target(&comet, &writable, &profile, &device_id, Capability::DevicesRunBackup).await?;
    let dispatched = match run {
        Run::Rule(rule) => comet.run_backup_rule(&live_id, &rule).await?,
        Run::Custom { item, vault, options } => comet.run_backup_custom(&live_id, &item, &vault, options.as_ref()).await?,
    };
    audit_ok(&state, &audit, dispatched.job_id.as_deref().unwrap_or("accepted")).await?;
    Ok(Json(accepted(dispatched, "The backup was started on the device.")))
}

#[utoipa::path(
    post,
    path = "/services/{id}/devices/{device_id}/update-software",
    operation_id = "devices.update_software",
    tag = "devices",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("device_id" = String, Path, description = "A Comet DeviceID of the account")
    ),
    responses(
        (status = 200, description = "The device was told to update", body = DeviceActionResult),
        (status = 409, description = "`conflict`: the device is offline"),
        (status = 502, description = "`upstream`: Comet refused or could not be reached"),
        Authenticated, Scoped, Write
    ),
    security(("bearer" = []))
)]
pub async fn update_software(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    Path(ids): Path<(String, String)>,
) -> Result<Json<DeviceActionResult>, ApiError> {
    let device_id = ids.1;
    audit.set_target(device_id.clone());
    let (comet, profile) = device_of_account(&state, &writable, &device_id).await?;
    let live_id = live_target(&comet, &writable, &profile, &device_id, Capability::DevicesUpdateSoftware).await?;
    comet.update_software(&live_id).await?;
    audit_ok(&state, &audit, "accepted").await?;
    Ok(Json(accepted(
        Dispatched { job_id: None },
        "The device is installing the current client version; it reconnects when done.",
    )))
}

/// `{ "remove_config": true }` also deletes the client's settings from the device.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UninstallRequest {
    #[serde(default)]
    pub remove_config: bool,
}

#[utoipa::path(
    post,
    path = "/services/{id}/devices/{device_id}/uninstall",
    operation_id = "devices.uninstall",
    tag = "devices",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("device_id" = String, Path, description = "A Comet DeviceID of the account")
    ),
    request_body = UninstallRequest,
    responses(
        (status = 200, description = "The device was told to uninstall the client", body = DeviceActionResult),
        (status = 409, description = "`conflict`: the device is offline"),
        (status = 502, description = "`upstream`: Comet refused or could not be reached"),
        Authenticated, Scoped, Write
    ),
    security(("bearer" = []))
)]
pub async fn uninstall(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    Path(ids): Path<(String, String)>,
    ApiJson(req): ApiJson<UninstallRequest>,
) -> Result<Json<DeviceActionResult>, ApiError> {
    let device_id = ids.1;
    audit.set_target(device_id.clone());
    let (comet, profile) = device_of_account(&state, &writable, &device_id).await?;
    let live_id = live_target(&comet, &writable, &profile, &device_id, Capability::DevicesUninstallSoftware).await?;
    comet.uninstall_software(&live_id, req.remove_config).await?;
    audit_ok(&state, &audit, if req.remove_config { "accepted, removing config" } else { "accepted" }).await?;
    Ok(Json(accepted(Dispatched { job_id: None }, "The device is uninstalling the backup client.")))
}

/// Revokes the device: it leaves the account with its protected items and their schedules.
/// Stored data stays in the vaults and ages out by their retention.
#[utoipa::path(
    post,
    path = "/services/{id}/devices/{device_id}/revoke",
    operation_id = "devices.revoke",
    tag = "devices",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("device_id" = String, Path, description = "A Comet DeviceID of the account")
    ),
    responses(
        (status = 200, description = "Revoked; what went with it", body = RevokeResult),
        (status = 502, description = "`upstream`: Comet refused or could not be reached"),
        Authenticated, Scoped, Write
    ),
    security(("bearer" = []))
)]
pub async fn revoke(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    Path(ids): Path<(String, String)>,
) -> Result<Json<RevokeResult>, ApiError> {
    let device_id = ids.1;
    audit.set_target(device_id.clone());
    let (comet, profile) = device_of_account(&state, &writable, &device_id).await?;
    decide(&writable, &profile, Capability::DevicesRevoke, None)?;
    let removed_items = items_of(&profile, &device_id);
    comet.revoke_device(&device_id).await?;
    audit_ok(&state, &audit, &format!("revoked with {} protected items", removed_items.len())).await?;
    Ok(Json(RevokeResult {
        device_id,
        removed_items,
        message: "The device was revoked. Its data stays in the storage vaults until their retention removes it.".into(),
    }))
}

#[utoipa::path(
    post,
    path = "/services/{id}/devices/{device_id}/drop-connection",
    operation_id = "devices.drop_connection",
    tag = "devices",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("device_id" = String, Path, description = "A Comet DeviceID of the account")
    ),
    responses(
        (status = 200, description = "Disconnected; the device reconnects by itself", body = DeviceActionResult),
        (status = 409, description = "`conflict`: the device is offline"),
        (status = 502, description = "`upstream`: Comet refused or could not be reached"),
        Authenticated, Scoped, Write
    ),
    security(("bearer" = []))
)]
pub async fn drop_connection(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    Path(ids): Path<(String, String)>,
) -> Result<Json<DeviceActionResult>, ApiError> {
    connection_action(&state, &writable, &audit, ids.1, ConnectionAction::Drop).await
}

#[utoipa::path(
    post,
    path = "/services/{id}/devices/{device_id}/kill-process",
    operation_id = "devices.kill_process",
    tag = "devices",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("device_id" = String, Path, description = "A Comet DeviceID of the account")
    ),
    responses(
        (status = 200, description = "The client process was stopped", body = DeviceActionResult),
        (status = 409, description = "`conflict`: the device is offline"),
        (status = 502, description = "`upstream`: Comet refused or could not be reached"),
        Authenticated, Scoped, Write
    ),
    security(("bearer" = []))
)]
pub async fn kill_process(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    Path(ids): Path<(String, String)>,
) -> Result<Json<DeviceActionResult>, ApiError> {
    connection_action(&state, &writable, &audit, ids.1, ConnectionAction::Kill).await
}

#[utoipa::path(
    post,
    path = "/services/{id}/devices/{device_id}/refetch-profile",
    operation_id = "devices.refetch_profile",
    tag = "devices",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("device_id" = String, Path, description = "A Comet DeviceID of the account")
    ),
    responses(
        (status = 200, description = "The device reloads its settings", body = DeviceActionResult),
        (status = 409, description = "`conflict`: the device is offline"),
        (status = 502, description = "`upstream`: Comet refused or could not be reached"),
        Authenticated, Scoped, Write
    ),
    security(("bearer" = []))
)]
pub async fn refetch_profile(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    Path(ids): Path<(String, String)>,
) -> Result<Json<DeviceActionResult>, ApiError> {
    connection_action(&state, &writable, &audit, ids.1, ConnectionAction::RefetchProfile).await
}

/// `{ "password": "…" }`: the account's current password, checked with the backup server before
/// it is sent to the device.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PushPasswordRequest {
    pub password: String,
}

#[utoipa::path(
    post,
    path = "/services/{id}/devices/{device_id}/push-password",
    operation_id = "devices.push_password",
    tag = "devices",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("device_id" = String, Path, description = "A Comet DeviceID of the account")
    ),
    request_body = PushPasswordRequest,
    responses(
        (status = 200, description = "The device now logs in with the account's current password", body = DeviceActionResult),
        (status = 409, description = "`conflict`: the device is offline"),
        (status = 502, description = "`upstream`: Comet refused or could not be reached"),
        Authenticated, Scoped, Write
    ),
    security(("bearer" = []))
)]
pub async fn push_password(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    Path(ids): Path<(String, String)>,
    ApiJson(req): ApiJson<PushPasswordRequest>,
) -> Result<Json<DeviceActionResult>, ApiError> {
    let device_id = ids.1;
    audit.set_target(device_id.clone());
    if req.password.is_empty() {
        return Err(ApiError::Invalid { field: "password", message: "Enter the account's current password.".into() });
    }
    let (comet, profile) = device_of_account(&state, &writable, &device_id).await?;
    let live_id = live_target(&comet, &writable, &profile, &device_id, Capability::DevicesManageConnection).await?;
    if !comet.password_is_current(&req.password).await? {
        return Err(ApiError::Invalid { field: "password", message: "That is not the account's current password.".into() });
    }
    comet.update_login_password(&live_id, &req.password).await?;
    audit_ok(&state, &audit, "pushed").await?;
    Ok(Json(done("The device now logs in with the account's current password.")))
}

// ---------------------------------------------------------------------------------------- helpers

/// The account's Comet and its profile, which must list `device_id` (404 otherwise).
async fn device_of_account(
    state: &AppState,
    writable: &WritableService,
    device_id: &str,
) -> Result<(AccountComet, UserProfileConfig), ApiError> {
    let scoped = writable.scoped();
    let comet = state.comet.account(&scoped)?;
    let profile = comet.profile().await?;
    if !profile.devices.contains_key(device_id) {
        return Err(ApiError::NotFound("That device"));
    }
    Ok((comet, profile))
}

/// The policy and our rules for `capability`, from the profile just read.
fn decide(
    writable: &WritableService,
    profile: &UserProfileConfig,
    capability: Capability,
    device: Option<DeviceState>,
) -> Result<(), ApiError> {
    capabilities::check(&capabilities::evaluate(&writable.service, &profile.policy, device), capability)
}

/// The device's live-connection id for an action through it: the policy decides first (as if
/// the device were online), then an offline device answers 409 [`OFFLINE_MESSAGE`].
async fn live_target(
    comet: &AccountComet,
    writable: &WritableService,
    profile: &UserProfileConfig,
    device_id: &str,
    capability: Capability,
) -> Result<String, ApiError> {
    decide(writable, profile, capability, Some(DeviceState::Online))?;
    comet.live_id(device_id).await?.ok_or_else(|| ApiError::Conflict(OFFLINE_MESSAGE.into()))
}

/// The live-connection actions that start no job: one path from the device check to the audit.
#[derive(Debug, Clone, Copy)]
enum ConnectionAction {
    Drop,
    Kill,
    RefetchProfile,
}

async fn connection_action(
    state: &AppState,
    writable: &WritableService,
    audit: &AuditNote,
    device_id: String,
    action: ConnectionAction,
) -> Result<Json<DeviceActionResult>, ApiError> {
    audit.set_target(device_id.clone());
    let (comet, profile) = device_of_account(state, writable, &device_id).await?;
    let live_id = live_target(&comet, writable, &profile, &device_id, Capability::DevicesManageConnection).await?;
    let (note, message) = match action {
        ConnectionAction::Drop => {
            comet.drop_connection(&live_id).await?;
            ("dropped", "The connection was dropped. The device reconnects by itself in a moment.")
        }
        ConnectionAction::Kill => {
            comet.kill_process(&live_id).await?;
            ("killed", "The backup client process was stopped. The device stays offline until the client is started again.")
        }
        ConnectionAction::RefetchProfile => {
            comet.refetch_profile(&live_id).await?;
            ("refetch", "The device is reloading its settings from the server.")
        }
    };
    audit_ok(state, audit, note).await?;
    Ok(Json(done(message)))
}

async fn audit_ok(state: &AppState, audit: &AuditNote, message: &str) -> Result<(), ApiError> {
    let mut tx = events::begin(&state.db).await?;
    audit.ok_in(&mut tx, Some(message), chrono::Utc::now().timestamp()).await?;
    tx.commit().await?;
    Ok(())
}

fn accepted(d: Dispatched, message: &str) -> DeviceActionResult {
    DeviceActionResult { state: "accepted".into(), job_id: d.job_id, message: message.into() }
}

fn done(message: &str) -> DeviceActionResult {
    DeviceActionResult { state: "done".into(), job_id: None, message: message.into() }
}

fn owned_by(profile: &UserProfileConfig, item_id: &str, device_id: &str) -> bool {
    profile.sources.get(item_id).is_some_and(|s| s.owner_device == device_id)
}

fn advanced_options(o: &RunOptions) -> Result<BackupJobAdvancedOptions, ApiError> {
    let non_negative = |field: &'static str, v: Option<i64>| match v {
        Some(n) if n < 0 => Err(ApiError::Invalid { field, message: "Use 0 or more.".into() }),
        v => Ok(v.unwrap_or(0)),
    };
    let log_level = match o.log_level.as_deref().map(str::trim) {
        None | Some("") => String::new(),
        Some(l @ ("DEBUG" | "INFO" | "WARNING" | "ERROR")) => l.to_string(),
        Some(_) => {
            return Err(ApiError::Invalid { field: "options.log_level", message: "Use DEBUG, INFO, WARNING or ERROR.".into() });
        }
    };
    Ok(BackupJobAdvancedOptions {
        skip_already_running: o.skip_already_running.unwrap_or(false),
        stop_after: non_negative("options.stop_after_secs", o.stop_after_secs)?,
        limit_vault_speed_bps: non_negative("options.limit_vault_speed_bps", o.limit_vault_speed_bps)?,
        reduce_disk_concurrency: o.reduce_disk_concurrency.unwrap_or(false),
        use_on_disk_indexes: o.use_on_disk_indexes.unwrap_or(false),
        allow_zero_files_success: o.allow_zero_files_success.unwrap_or(false),
        concurrency_count: non_negative("options.concurrency_count", o.concurrency_count)?,
        log_level,
        ..BackupJobAdvancedOptions::default()
    })
}

/// The device's protected items, each with the backup rules that back it up.
fn items_of(profile: &UserProfileConfig, device_id: &str) -> Vec<DeviceItem> {
    let sizes: BTreeMap<&str, i64> = profile
        .devices
        .get(device_id)
        .map(|d| d.sources.iter().map(|(id, s)| (id.as_str(), s.size)).collect())
        .unwrap_or_default();
    let mut items: Vec<DeviceItem> = profile
        .sources
        .iter()
        .filter(|(_, s)| s.owner_device == device_id)
        .map(|(id, s)| {
            let mut rules: Vec<DeviceRule> = profile
                .backup_rules
                .iter()
                .filter(|(_, r)| r.source == *id)
                .map(|(rid, r)| DeviceRule {
                    rule_id: rid.clone(),
                    name: non_empty(&r.description).unwrap_or_else(|| rid.clone()),
                    vault_id: r.destination.clone(),
                    vault_name: profile.destinations.get(&r.destination).and_then(|v| non_empty(&v.description)),
                    schedules: i64::try_from(r.schedules.len()).unwrap_or(i64::MAX),
                })
                .collect();
            rules.sort_by(|a, b| a.name.cmp(&b.name).then(a.rule_id.cmp(&b.rule_id)));
            DeviceItem {
                item_id: id.clone(),
                name: non_empty(&s.description).unwrap_or_else(|| id.clone()),
                engine: s.engine.clone(),
                engine_label: comet::engine_label(&s.engine).to_string(),
                size_bytes: sizes.get(id.as_str()).copied().unwrap_or(0),
                rules,
            }
        })
        .collect();
    items.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.item_id.cmp(&b.item_id)));
    items
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| s.to_string())
}

fn job_view(r: DeviceJobRow) -> DeviceJob {
    DeviceJob {
        classification_label: comet::JobClassification(u64::try_from(r.classification).unwrap_or(u64::MAX)).label().to_string(),
        status_label: comet::status_label(comet::JobStatus(u64::try_from(r.status).unwrap_or(u64::MAX))).to_string(),
        status_class: status_class(r.status).to_string(),
        job_id: r.job_id,
        item_id: r.item_id,
        vault_id: r.vault_id,
        classification: r.classification,
        status: r.status,
        started_at: r.started_at,
        ended_at: r.ended_at,
        total_bytes: r.total_bytes,
        upload_bytes: r.upload_bytes,
    }
}

async fn stored_rows(state: &AppState, profile: &str, username: &str) -> Result<Vec<StoredDevice>, ApiError> {
    let mut tx = events::begin(&state.db).await?;
    let rows = stored_devices::for_account(&mut tx, profile, username).await?;
    tx.commit().await?;
    Ok(rows)
}

/// What our tables say about the account's devices, by DeviceID.
struct TableFacts {
    online: HashMap<String, bool>,
    last: HashMap<String, LastBackup>,
    running: HashMap<String, Vec<String>>,
    /// DeviceID → derived key, for the job rows (keyed by the derived key).
    client: crate::db::tenancy::ClientId,
}

impl TableFacts {
    fn new(scoped: &ScopedService, stored: &[StoredDevice], last: Vec<DeviceJobRow>, running: &[crate::views::JobView]) -> Self {
        let last = last
            .into_iter()
            .map(|r| {
                let b = LastBackup {
                    job_id: r.job_id.clone(),
                    status: r.status,
                    status_label: comet::status_label(comet::JobStatus(u64::try_from(r.status).unwrap_or(u64::MAX))).to_string(),
                    status_class: status_class(r.status).to_string(),
                    started_at: r.started_at,
                    ended_at: r.ended_at,
                };
                (r.device_key, b)
            })
            .collect();
        let mut by_device: HashMap<String, Vec<String>> = HashMap::new();
        for j in running {
            by_device.entry(j.device_id.clone()).or_default().push(j.job_id.clone());
        }
        TableFacts {
            online: stored.iter().map(|d| (d.device_id.clone(), d.online)).collect(),
            last,
            running: by_device,
            client: scoped.client,
        }
    }

    fn last_backup(&self, device_id: &str) -> Option<LastBackup> {
        self.last.get(&comet_device_id(Some(self.client), device_id)).cloned()
    }
}

fn live_by_device(live: impl IntoIterator<Item = (String, LiveUserConnection)>) -> HashMap<String, LiveUserConnection> {
    live.into_iter().map(|(_, c)| (c.device_id.clone(), c)).collect()
}

fn summary_from_comet(
    device_id: &str,
    d: &DeviceConfig,
    profile: &UserProfileConfig,
    live: Option<&LiveUserConnection>,
    server_version: Option<&str>,
    facts: &TableFacts,
) -> DeviceSummary {
    let os = d.platform_version.clone().unwrap_or_default();
    let client_version =
        live.map(|c| c.reported_version.clone()).filter(|v| !v.is_empty()).or_else(|| non_empty(&d.client_version));
    let items = profile.sources.values().filter(|s| s.owner_device == device_id).count();
    let os_version = match (os.version.trim(), os.build.trim()) {
        ("", "") => None,
        (v, "") => Some(v.to_string()),
        ("", b) => Some(format!("build {b}")),
        (v, b) => Some(format!("{v} (build {b})")),
    };
    DeviceSummary {
        device_id: device_id.to_string(),
        name: d.friendly_name.clone(),
        online: live.is_some(),
        platform_os: os.os.clone(),
        platform_arch: os.arch.clone(),
        distribution: non_empty(&os.distribution),
        os_version,
        update_available: match (client_version.as_deref(), server_version) {
            (Some(c), Some(s)) => is_older(c, s),
            _ => false,
        },
        client_version,
        registered_at: (d.registration_time > 0).then_some(d.registration_time),
        time_zone: non_empty(&d.device_timezone).or_else(|| live.and_then(|c| non_empty(&c.device_time_zone))),
        items: i64::try_from(items).unwrap_or(i64::MAX),
        storage_used_bytes: d.sources.values().map(|s| s.size.max(0)).sum(),
        last_backup: facts.last_backup(device_id),
        running_jobs: facts.running.get(device_id).cloned().unwrap_or_default(),
    }
}

fn summary_from_table(d: &StoredDevice, facts: &TableFacts) -> DeviceSummary {
    DeviceSummary {
        device_id: d.device_id.clone(),
        name: d.name.clone(),
        online: facts.online.get(&d.device_id).copied().unwrap_or(d.online),
        platform_os: d.platform_os.clone(),
        platform_arch: d.platform_arch.clone(),
        distribution: None,
        os_version: None,
        client_version: None,
        update_available: false,
        registered_at: None,
        time_zone: None,
        items: 0,
        storage_used_bytes: 0,
        last_backup: facts.last_backup(&d.device_id),
        running_jobs: facts.running.get(&d.device_id).cloned().unwrap_or_default(),
    }
}

fn sort(devices: &mut [DeviceSummary]) {
    devices.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.device_id.cmp(&b.device_id)));
}

/// Whether dotted version `client` is older than `server` ("25.3.1" < "25.9.6"), part by part as
/// numbers (a part that is not a number counts as 0).
pub fn is_older(client: &str, server: &str) -> bool {
    let parts = |v: &str| -> Vec<u64> {
        v.trim().split(['.', '-', ' ']).take(4).map(|p| p.parse::<u64>().unwrap_or(0)).collect::<Vec<_>>()
    };
    let (mut c, mut s) = (parts(client), parts(server));
    let n = c.len().max(s.len());
    c.resize(n, 0);
    s.resize(n, 0);
    c < s
}

fn unreachable_message(e: &ApiError) -> String {
    match e {
        ApiError::Upstream(m) => m.clone(),
        _ => crate::api::comet_clients::UNREACHABLE_MESSAGE.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::is_older;

    #[test]
    fn versions_compare_numerically() {
        assert!(is_older("25.3.1", "25.9.6"));
        assert!(is_older("24.12.9", "25.9.6"));
        assert!(is_older("25.9", "25.9.6"));
        assert!(!is_older("25.9.6", "25.9.6"));
        assert!(!is_older("25.10.0", "25.9.6"));
        assert!(!is_older("26.1.0", "25.9.6"));
    }
}
