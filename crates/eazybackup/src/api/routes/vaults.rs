//! The Storage vaults tab: `/api/v1/services/{id}/vaults...`. Everything comes from the account's
//! Comet profile (one read per request, so a vault id is checked against the account on every
//! call) plus, for snapshots and maintenance, a live device of the account that reads or works on
//! the vault. Every request makes a fixed number of Comet calls, never one per vault or snapshot.
//!
//! Writes: profile edits (rename, quota, default retention, delete) are conditional on the
//! profile hash the browser read (409 `conflict` when the account changed meanwhile) and keep
//! every key of the profile this service does not model. Maintenance and snapshot deletion start
//! a job on a live device; the answer names that job when the device already reported it.

use std::collections::{BTreeMap, BTreeSet};

use axum::Json;
use axum::extract::{Path, State};
use comet::{
    DestinationConfig, DestinationType, JobClassification, LiveUserConnection, RetentionMode, RetentionPolicy, RetentionRange,
    RetentionRangeType, UserProfileConfig, VaultSnapshot,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::AppState;
use crate::api::audit::AuditNote;
use crate::api::capabilities::{self, DEVICE_OFFLINE_MESSAGE, DeviceState};
use crate::api::comet_clients::AccountComet;
use crate::api::comet_clients::vaults::Maintenance;
use crate::api::error::{ApiError, ApiJson, ApiQuery};
use crate::api::openapi::{Authenticated, Limited, Queried, Scoped, Write};
use crate::api::rate_limit::{Limit, class};
use crate::api::scope::ScopedService;
use crate::api::write_access::WritableService;
use crate::db::tenancy::Service;
use crate::vault_retention::{self, Snap};
use crate::views::capabilities::Capability;
use crate::views::vaults::{
    PreviewEntry, RetentionPreview, RetentionRangeView, RetentionRuleType, RetentionView, SnapshotList, SnapshotView, StartedJob,
    UsagePoint, VaultItem, VaultList, VaultTemplate, VaultView,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, request))
        .routes(routes!(templates))
        .routes(routes!(update, delete))
        .routes(routes!(retention_preview))
        .routes(routes!(maintain))
        .routes(routes!(snapshots))
        .routes(routes!(delete_snapshots))
}

/// What the customer reads when no device could do the vault work.
pub const NO_DEVICE_ONLINE: &str = "None of this account's devices is online. A connected device reads and maintains the vault; start the backup app on one and try again.";

const HISTORY_DAYS: i64 = 30;
const DAY: i64 = 86_400;
/// Snapshot sizes come from backup jobs of this window.
const SNAPSHOT_JOBS_DAYS: i64 = 400;
const MAX_NAME_CHARS: usize = 255;
const MAX_SNAPSHOTS_PER_DELETE: usize = 500;

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

// ------------------------------------------------------------------ mapping

fn range_view(r: &RetentionRange) -> RetentionRangeView {
    RetentionRangeView {
        range_type: r.r#type.0,
        jobs: r.jobs,
        days: r.days,
        weeks: r.weeks,
        months: r.months,
        years: r.years,
        week_offset: r.week_offset,
        month_offset: r.month_offset,
        timestamp: r.timestamp,
    }
}

fn retention_view(p: &RetentionPolicy) -> RetentionView {
    RetentionView { keep_everything: p.mode != RetentionMode::DELETE_EXCEPT, ranges: p.ranges.iter().map(range_view).collect() }
}

/// The browser's policy as Comet's, on top of `base` so keys Comet sends that we do not model stay.
fn retention_policy(v: &RetentionView, base: &RetentionPolicy) -> Result<RetentionPolicy, ApiError> {
    let mut p = base.clone();
    p.mode = if v.keep_everything { RetentionMode::KEEP_EVERYTHING } else { RetentionMode::DELETE_EXCEPT };
    let old: Vec<RetentionRange> = base.ranges.iter().cloned().collect();
    let ranges: Vec<RetentionRange> = v
        .ranges
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut range = old.get(i).cloned().unwrap_or_default();
            range.r#type = RetentionRangeType(r.range_type);
            (range.jobs, range.days, range.weeks, range.months, range.years) = (r.jobs, r.days, r.weeks, r.months, r.years);
            (range.week_offset, range.month_offset, range.timestamp) = (r.week_offset, r.month_offset, r.timestamp);
            range
        })
        .collect();
    p.ranges = ranges.into();
    vault_retention::validate(&p).map_err(|message| ApiError::Invalid { field: "retention", message })?;
    Ok(p)
}

/// The rule types the editor offers, labelled from Comet's table, with the counts each uses.
fn rule_types() -> Vec<RetentionRuleType> {
    use RetentionRangeType as T;
    let types: [(T, &[&'static str]); 11] = [
        (T::MOST_RECENT_X_JOBS, &["jobs"]),
        (T::NEWER_THAN_X, &["timestamp"]),
        (T::JOBS_SINCE, &["days", "weeks", "months", "years"]),
        (T::FIRST_JOB_FOR_EACH_LAST_X_DAYS, &["days"]),
        (T::FIRST_JOB_FOR_LAST_X_WEEKS, &["weeks", "week_offset"]),
        (T::FIRST_JOB_FOR_LAST_X_MONTHS, &["months", "month_offset"]),
        (T::FIRST_JOB_FOR_LAST_X_YEARS, &["years"]),
        (T::LAST_X_BACKUPS_ONE_FOR_EACH_DAY, &["jobs"]),
        (T::LAST_X_BACKUPS_ONE_FOR_EACH_WEEK, &["jobs"]),
        (T::LAST_X_BACKUPS_ONE_FOR_EACH_MONTH, &["jobs"]),
        (T::LAST_X_BACKUPS_ONE_FOR_EACH_YEAR, &["jobs"]),
    ];
    types.iter().map(|(t, f)| RetentionRuleType { range_type: t.0, label: t.label().to_string(), fields: f.to_vec() }).collect()
}

fn device_names_visible(profile: &UserProfileConfig) -> bool {
    !serde_json::to_value(&profile.policy)
        .ok()
        .and_then(|p| p.get("PreventViewDeviceNames").and_then(serde_json::Value::as_bool))
        .unwrap_or(false)
}

fn device_name(profile: &UserProfileConfig, device_id: &str) -> Option<String> {
    if !device_names_visible(profile) {
        return None;
    }
    profile.devices.get(device_id).map(|d| d.friendly_name.clone())
}

/// The items that back up to `vault_id`: a backup rule to it, or their own retention for it.
fn vault_items(profile: &UserProfileConfig, vault_id: &str) -> Vec<VaultItem> {
    let mut ids: BTreeSet<&str> =
        profile.backup_rules.values().filter(|r| r.destination == vault_id).map(|r| r.source.as_str()).collect();
    for (id, s) in profile.sources.iter() {
        if s.override_destination_retention.contains_key(vault_id) {
            ids.insert(id.as_str());
        }
    }
    ids.into_iter()
        .filter_map(|id| profile.sources.get(id).map(|s| (id, s)))
        .map(|(id, s)| VaultItem {
            item_id: id.to_string(),
            name: s.description.clone(),
            device_id: s.owner_device.clone(),
            device_name: device_name(profile, &s.owner_device),
            own_retention: s.override_destination_retention.contains_key(vault_id),
        })
        .collect()
}

fn positive(t: i64) -> Option<i64> {
    (t > 0).then_some(t)
}

fn vault_view(profile: &UserProfileConfig, id: &str, v: &DestinationConfig, history: Vec<UsagePoint>) -> VaultView {
    let stats = v.statistics.as_ref();
    let measured = stats.map(|s| &s.client_provided_size).filter(|m| m.measure_completed > 0 || m.size > 0);
    VaultView {
        vault_id: id.to_string(),
        name: v.description.clone(),
        type_code: v.destination_type.0,
        type_label: DestinationType::label(v.destination_type).to_string(),
        used_bytes: measured.map(|m| m.size),
        measured_at: measured.and_then(|m| positive(m.measure_completed)),
        quota_bytes: v.quota_bytes(),
        deep_verified_at: stats.and_then(|s| positive(s.last_successful_deep_verify_end_time)),
        created_at: v.create_time,
        retention: retention_view(&v.default_retention),
        retention_summary: vault_retention::summary(&v.default_retention),
        retention_error: Some(v.retention_error.clone()).filter(|e| !e.trim().is_empty()),
        items: vault_items(profile, id),
        usage_history: history,
    }
}

/// The vault `vault_id` of this account's profile, else 404.
fn own_vault<'a>(profile: &'a UserProfileConfig, vault_id: &str) -> Result<&'a DestinationConfig, ApiError> {
    profile.destinations.get(vault_id).ok_or(ApiError::NotFound("That storage vault"))
}

/// Per vault, the last measured size of each UTC day of the jobs' `DestinationSizeEnd`.
fn usage_histories(jobs: &[comet::BackupJobDetail]) -> BTreeMap<String, Vec<UsagePoint>> {
    let mut days: BTreeMap<(String, i64), (i64, i64)> = BTreeMap::new();
    for j in jobs {
        let Some(end) = j.destination_size_end.as_ref() else { continue };
        let at = if end.measure_completed > 0 { end.measure_completed } else { j.end_time };
        if at <= 0 || end.size <= 0 {
            continue;
        }
        let key = (j.destination_guid.clone(), at.div_euclid(DAY));
        let slot = days.entry(key).or_insert((at, end.size));
        if at >= slot.0 {
            *slot = (at, end.size);
        }
    }
    let mut out: BTreeMap<String, Vec<UsagePoint>> = BTreeMap::new();
    for ((vault, _), (at, bytes)) in days {
        out.entry(vault).or_default().push(UsagePoint { at, bytes });
    }
    out
}

// ------------------------------------------------------------------ devices

/// The live connection that does the vault work: `requested` (one of the account's devices, which
/// must be online), else an online device associated with the vault, else any online device.
fn pick_device<'a>(
    live: &'a BTreeMap<String, LiveUserConnection>,
    profile: &UserProfileConfig,
    vault: &DestinationConfig,
    requested: Option<&str>,
) -> Result<Option<(&'a String, &'a LiveUserConnection)>, ApiError> {
    if let Some(device) = requested {
        if !profile.devices.contains_key(device) {
            return Err(ApiError::NotFound("That device"));
        }
        return match live.iter().find(|(_, c)| c.device_id == device) {
            Some(found) => Ok(Some(found)),
            None => Err(ApiError::ForbiddenByPolicy(DEVICE_OFFLINE_MESSAGE.into())),
        };
    }
    let associated = live.iter().find(|(_, c)| vault.associated_devices.contains(&c.device_id));
    Ok(associated.or_else(|| live.iter().next()))
}

/// [`pick_device`], and the capability decided for it.
fn device_for(
    service: &Service,
    profile: &UserProfileConfig,
    live: &BTreeMap<String, LiveUserConnection>,
    vault: &DestinationConfig,
    requested: Option<&str>,
    capability: Capability,
) -> Result<(String, String), ApiError> {
    // The policy first (as for a device that is online); which device is online is ours to say.
    capabilities::check(&capabilities::evaluate(service, &profile.policy, Some(DeviceState::Online)), capability)?;
    let picked = pick_device(live, profile, vault, requested)?;
    let (live_id, conn) = picked.ok_or_else(|| ApiError::ForbiddenByPolicy(NO_DEVICE_ONLINE.into()))?;
    Ok((live_id.clone(), conn.device_id.clone()))
}

/// The job `classification` that `device` started on `vault` at or after `since`, if Comet has
/// it already (one search).
async fn started_job(
    comet: &AccountComet,
    profile: &UserProfileConfig,
    vault: &str,
    device: &str,
    classification: i64,
    since: i64,
) -> StartedJob {
    let job_id = match comet.vault_jobs(Some(vault), Some(classification), since).await {
        Ok(jobs) => jobs.into_iter().filter(|j| j.device_id == device).max_by_key(|j| j.start_time).map(|j| j.guid),
        Err(_) => None,
    };
    let label = JobClassification(u64::try_from(classification).unwrap_or(0)).label().to_string();
    let message = match &job_id {
        Some(_) => format!("{label} started."),
        None => format!("{label} requested; the job appears in the job list as soon as the device starts it."),
    };
    StartedJob {
        job_id,
        classification,
        classification_label: label,
        device_id: device.to_string(),
        device_name: device_name(profile, device),
        message,
    }
}

// ------------------------------------------------------------------ reads

/// Every Storage Vault of the account with usage, quota, retention and the items using it.
#[utoipa::path(get, path = "/services/{id}/vaults", operation_id = "vault.list", tag = "vaults",
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account's vaults", body = VaultList),
        (status = 502, description = "`upstream`: Comet could not be read"),
        Authenticated, Scoped,
    ))]
pub async fn list(State(state): State<AppState>, scoped: ScopedService) -> Result<Json<VaultList>, ApiError> {
    let comet = state.comet.account(&scoped)?;
    let (current, jobs) = tokio::join!(comet.profile_and_hash(), comet.vault_jobs(None, None, now() - HISTORY_DAYS * DAY));
    let current = current?;
    // The chart is best effort: a failed search leaves it empty.
    let mut histories = jobs.map(|j| usage_histories(&j)).unwrap_or_default();
    let profile = &current.profile;
    let mut vaults: Vec<VaultView> =
        profile.destinations.iter().map(|(id, v)| vault_view(profile, id, v, histories.remove(id).unwrap_or_default())).collect();
    vaults.sort_by(|a, b| a.created_at.cmp(&b.created_at).then_with(|| a.vault_id.cmp(&b.vault_id)));
    Ok(Json(VaultList { vaults, profile_hash: current.profile_hash, rule_types: rule_types() }))
}

/// The provider's storage templates a new vault can be requested from.
#[utoipa::path(get, path = "/services/{id}/vault-templates", operation_id = "vault.templates", tag = "vaults",
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The storage templates", body = Vec<VaultTemplate>),
        (status = 502, description = "`upstream`: Comet could not be read"),
        Authenticated, Scoped,
    ))]
pub async fn templates(State(state): State<AppState>, scoped: ScopedService) -> Result<Json<Vec<VaultTemplate>>, ApiError> {
    let all = state.comet.account(&scoped)?.vault_templates().await?;
    Ok(Json(all.into_iter().map(|(template_id, name)| VaultTemplate { template_id, name }).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestVault {
    /// One of `GET /services/{id}/vault-templates`.
    pub template_id: String,
    /// Associate the new vault with this device of the account.
    #[serde(default)]
    pub device_id: Option<String>,
    /// The hash of `GET /services/{id}/vaults`; without it the current one is used.
    #[serde(default)]
    pub profile_hash: Option<String>,
}

/// Requests a new vault from one of the provider's storage templates.
#[utoipa::path(post, path = "/services/{id}/vaults", operation_id = "vault.request", tag = "vaults",
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)")),
    request_body = RequestVault,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The new vault", body = VaultView),
        (status = 403, description = "`forbidden_by_policy` or `read_only`"),
        (status = 409, description = "`conflict`: the account changed meanwhile"),
        (status = 502, description = "`upstream`: Comet refused"),
        Authenticated, Scoped, Write,
    ))]
pub async fn request(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    ApiJson(req): ApiJson<RequestVault>,
) -> Result<Json<VaultView>, ApiError> {
    let template = req.template_id.trim();
    audit.set_target(format!("template {template}"));
    let scoped = writable.scoped();
    let comet = state.comet.account(&scoped)?;
    let (current, templates) = tokio::join!(comet.profile_and_hash(), comet.vault_templates());
    let current = current?;
    capabilities::check(&capabilities::evaluate(&writable.service, &current.profile.policy, None), Capability::VaultsRequest)?;
    if !templates?.contains_key(template) {
        return Err(ApiError::Invalid { field: "template_id", message: "Choose one of the offered storage templates.".into() });
    }
    if let Some(d) = req.device_id.as_deref()
        && !current.profile.devices.contains_key(d)
    {
        return Err(ApiError::NotFound("That device"));
    }
    let hash = req.profile_hash.as_deref().unwrap_or(&current.profile_hash);
    let made = comet.request_vault(template, req.device_id.as_deref(), hash).await?;
    audit.set_target(format!("vault {}", made.destination_id));
    let profile = &made.profile;
    let vault = profile
        .destinations
        .get(&made.destination_id)
        .ok_or(ApiError::Upstream("the new vault is not in the account's profile".into()))?;
    Ok(Json(vault_view(profile, &made.destination_id, vault, Vec::new())))
}

// ------------------------------------------------------------------ profile edits

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateVault {
    pub name: Option<String>,
    /// `true` with `quota_bytes` sets a quota, `false` removes it.
    pub quota_enabled: Option<bool>,
    pub quota_bytes: Option<i64>,
    /// The vault's default retention.
    pub retention: Option<RetentionView>,
    /// The hash of `GET /services/{id}/vaults`; without it the current one is used.
    pub profile_hash: Option<String>,
}

/// `{id}` (resolved and checked by `ScopedService` / `WritableService`) and `{vault_id}`.
#[derive(Debug, Deserialize)]
pub struct VaultPath {
    pub id: String,
    pub vault_id: String,
}

/// Renames a vault, sets its quota or its default retention (conditional on the profile hash).
#[utoipa::path(patch, path = "/services/{id}/vaults/{vault_id}", operation_id = "vault.update", tag = "vaults",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("vault_id" = String, Path, description = "A Storage Vault id of the account"),
    ),
    request_body = UpdateVault,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The vault as saved", body = VaultView),
        (status = 403, description = "`forbidden_by_policy` or `read_only`"),
        (status = 409, description = "`conflict`: the account changed meanwhile"),
        (status = 502, description = "`upstream`: Comet refused"),
        Authenticated, Scoped, Write,
    ))]
pub async fn update(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    Path(path): Path<VaultPath>,
    ApiJson(req): ApiJson<UpdateVault>,
) -> Result<Json<VaultView>, ApiError> {
    audit.set_target(format!("vault {}", path.vault_id));
    let name = match req.name.as_deref().map(str::trim) {
        Some("") => return Err(ApiError::Invalid { field: "name", message: "A vault needs a name.".into() }),
        Some(n) if n.chars().count() > MAX_NAME_CHARS => {
            return Err(ApiError::Invalid { field: "name", message: format!("Use at most {MAX_NAME_CHARS} characters.") });
        }
        other => other.map(str::to_string),
    };
    let quota = match (req.quota_enabled, req.quota_bytes) {
        (Some(true), Some(b)) if b > 0 => Some(Some(b)),
        (Some(true), _) => {
            return Err(ApiError::Invalid {
                field: "quota_bytes",
                message: "A quota must be a positive number of bytes.".into(),
            });
        }
        (Some(false), _) => Some(None),
        (None, Some(_)) => {
            return Err(ApiError::Invalid { field: "quota_enabled", message: "Say whether the quota is on.".into() });
        }
        (None, None) => None,
    };
    let scoped = writable.scoped();
    let comet = state.comet.account(&scoped)?;
    let current = comet.profile_and_hash().await?;
    let hash = req.profile_hash.clone().unwrap_or_else(|| current.profile_hash.clone());
    let mut profile = current.profile.clone();
    let vault = own_vault(&profile, &path.vault_id)?.clone();
    let caps = capabilities::evaluate(&writable.service, &profile.policy, None);
    if name.is_some() || quota.is_some() {
        capabilities::check(&caps, Capability::VaultsEdit)?;
    }
    let retention = match &req.retention {
        Some(r) => {
            capabilities::check(&caps, Capability::VaultsEditRetention)?;
            Some(retention_policy(r, &vault.default_retention)?)
        }
        None => None,
    };
    if hash != current.profile_hash {
        return Err(ApiError::Conflict(crate::api::comet_clients::PROFILE_CHANGED.into()));
    }
    let Some(v) = profile.destinations.get_mut(&path.vault_id) else { return Err(ApiError::NotFound("That storage vault")) };
    if let Some(n) = name {
        v.description = n;
    }
    if let Some(q) = quota {
        v.storage_limit_enabled = q.is_some();
        v.storage_limit_bytes = q.unwrap_or(0);
    }
    if let Some(r) = retention {
        v.default_retention = r;
    }
    v.modify_time = now();
    if profile != current.profile {
        comet.write_profile(&profile, &hash).await?;
    }
    let saved = own_vault(&profile, &path.vault_id)?;
    Ok(Json(vault_view(&profile, &path.vault_id, saved, Vec::new())))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// The hash of `GET /services/{id}/vaults`; without it the current one is used.
    pub profile_hash: Option<String>,
}

/// Deletes a vault from the account. Refused (409) while items still back up to it; the data in
/// the storage location itself is not erased by Comet.
#[utoipa::path(delete, path = "/services/{id}/vaults/{vault_id}", operation_id = "vault.delete", tag = "vaults",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("vault_id" = String, Path, description = "A Storage Vault id of the account"),
        DeleteQuery,
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "`forbidden_by_policy` or `read_only`"),
        (status = 409, description = "`conflict`: items still use the vault, or the account changed meanwhile"),
        (status = 502, description = "`upstream`: Comet refused"),
        Authenticated, Scoped, Write, Queried,
    ))]
pub async fn delete(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    Path(path): Path<VaultPath>,
    ApiQuery(query): ApiQuery<DeleteQuery>,
) -> Result<axum::http::StatusCode, ApiError> {
    audit.set_target(format!("vault {}", path.vault_id));
    let scoped = writable.scoped();
    let comet = state.comet.account(&scoped)?;
    let current = comet.profile_and_hash().await?;
    let mut profile = current.profile.clone();
    own_vault(&profile, &path.vault_id)?;
    capabilities::check(&capabilities::evaluate(&writable.service, &profile.policy, None), Capability::VaultsDelete)?;
    let users = vault_items(&profile, &path.vault_id);
    if !users.is_empty() {
        let names: Vec<String> = users.iter().map(|i| format!("\u{201c}{}\u{201d}", i.name)).collect();
        return Err(ApiError::Conflict(format!(
            "This vault is still used by {}. Remove its schedules to this vault (or the items) first.",
            names.join(", ")
        )));
    }
    let hash = query.profile_hash.unwrap_or_else(|| current.profile_hash.clone());
    if hash != current.profile_hash {
        return Err(ApiError::Conflict(crate::api::comet_clients::PROFILE_CHANGED.into()));
    }
    profile.destinations.remove(&path.vault_id);
    comet.write_profile(&profile, &hash).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

// ------------------------------------------------------------------ snapshots

/// The vault's snapshots and the live device that read them (none online: empty, with why).
async fn read_snapshots(
    comet: &AccountComet,
    profile: &UserProfileConfig,
    vault_id: &str,
) -> Result<(Option<String>, Vec<VaultSnapshot>), ApiError> {
    let vault = own_vault(profile, vault_id)?;
    let live = comet.live_connections().await?;
    let Some((live_id, conn)) = pick_device(&live, profile, vault, None)? else { return Ok((None, Vec::new())) };
    let mut snaps = comet.vault_snapshots(live_id, vault_id).await?;
    snaps.sort_by(|a, b| b.create_time.cmp(&a.create_time).then_with(|| a.snapshot.cmp(&b.snapshot)));
    Ok((Some(conn.device_id.clone()), snaps))
}

/// The snapshots of one vault, newest first, with item, device, time, size and file count.
#[utoipa::path(get, path = "/services/{id}/vaults/{vault_id}/snapshots", operation_id = "vault.snapshots", tag = "vaults",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("vault_id" = String, Path, description = "A Storage Vault id of the account"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The vault's snapshots", body = SnapshotList),
        (status = 502, description = "`upstream`: Comet or the device could not read the vault"),
        Authenticated, Scoped, Limited,
    ))]
pub async fn snapshots(
    State(state): State<AppState>,
    scoped: ScopedService,
    _limit: Limit<class::Browse>,
    Path(path): Path<VaultPath>,
) -> Result<Json<SnapshotList>, ApiError> {
    let comet = state.comet.account(&scoped)?;
    let profile = comet.profile().await?;
    let (device, snaps) = read_snapshots(&comet, &profile, &path.vault_id).await?;
    if device.is_none() {
        return Ok(Json(SnapshotList {
            vault_id: path.vault_id,
            snapshots: Vec::new(),
            read_by_device: None,
            message: Some(NO_DEVICE_ONLINE.into()),
        }));
    }
    // Size and files: from the backup jobs that wrote the snapshots (one search).
    let jobs = comet
        .vault_jobs(
            Some(&path.vault_id),
            Some(i64::try_from(JobClassification::BACKUP.0).unwrap_or(4001)),
            now() - SNAPSHOT_JOBS_DAYS * DAY,
        )
        .await
        .unwrap_or_default();
    let by_snapshot: BTreeMap<&str, &comet::BackupJobDetail> =
        jobs.iter().filter(|j| !j.snapshot_id.is_empty()).map(|j| (j.snapshot_id.as_str(), j)).collect();
    let snapshots = snaps
        .iter()
        .map(|s| {
            let item = profile.sources.get(&s.source);
            let job = by_snapshot.get(s.snapshot.as_str());
            let device_id = item.map(|i| i.owner_device.clone()).or_else(|| job.map(|j| j.device_id.clone()));
            SnapshotView {
                snapshot_id: s.snapshot.clone(),
                item_id: s.source.clone(),
                item_name: item.map(|i| i.description.clone()),
                device_name: device_id.as_deref().and_then(|d| device_name(&profile, d)),
                device_id,
                engine: s.engine_type.clone(),
                engine_label: comet::engine_label(&s.engine_type).to_string(),
                created_at: s.create_time,
                size_bytes: job.map(|j| j.total_size),
                files: job.map(|j| j.total_files),
            }
        })
        .collect();
    Ok(Json(SnapshotList { vault_id: path.vault_id, snapshots, read_by_device: device, message: None }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteSnapshots {
    /// Snapshot ids of this vault (1–500).
    pub snapshot_ids: Vec<String>,
}

/// Deletes one or several snapshots of the vault in one job on a live device.
#[utoipa::path(post, path = "/services/{id}/vaults/{vault_id}/snapshots/delete", operation_id = "vault.snapshots_delete", tag = "vaults",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("vault_id" = String, Path, description = "A Storage Vault id of the account"),
    ),
    request_body = DeleteSnapshots,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The deletion job", body = StartedJob),
        (status = 403, description = "`forbidden_by_policy` (policy, or no device online) or `read_only`"),
        (status = 502, description = "`upstream`: Comet or the device refused"),
        Authenticated, Scoped, Write, Limited,
    ))]
pub async fn delete_snapshots(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    _limit: Limit<class::RunNow>,
    Path(path): Path<VaultPath>,
    ApiJson(req): ApiJson<DeleteSnapshots>,
) -> Result<Json<StartedJob>, ApiError> {
    let mut ids: Vec<String> = req.snapshot_ids.iter().map(|s| s.trim().to_string()).collect();
    ids.sort();
    ids.dedup();
    audit.set_target(format!("vault {} snapshots {}", path.vault_id, ids.join(",")));
    if ids.is_empty() || ids.len() > MAX_SNAPSHOTS_PER_DELETE || ids.iter().any(String::is_empty) {
        return Err(ApiError::Invalid {
            field: "snapshot_ids",
            message: format!("Choose between 1 and {MAX_SNAPSHOTS_PER_DELETE} snapshots."),
        });
    }
    let scoped = writable.scoped();
    let comet = state.comet.account(&scoped)?;
    let profile = comet.profile().await?;
    let vault = own_vault(&profile, &path.vault_id)?;
    let live = comet.live_connections().await?;
    let (live_id, device) = device_for(&writable.service, &profile, &live, vault, None, Capability::SnapshotsDelete)?;
    // Every id must be a snapshot of this vault now (read by the same device).
    let present: BTreeSet<String> =
        comet.vault_snapshots(&live_id, &path.vault_id).await?.into_iter().map(|s| s.snapshot).collect();
    if ids.iter().any(|id| !present.contains(id)) {
        return Err(ApiError::NotFound("That snapshot"));
    }
    let since = now() - 5;
    comet.delete_snapshots(&live_id, &path.vault_id, &ids).await?;
    let class = i64::try_from(JobClassification::DELETE_CUSTOM.0).unwrap_or(4005);
    Ok(Json(started_job(&comet, &profile, &path.vault_id, &device, class, since).await))
}

// ------------------------------------------------------------------ retention preview

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    pub retention: RetentionView,
}

/// Which existing snapshots `retention` would keep and which it would remove, if it were the
/// vault's default (items with their own retention for this vault keep theirs).
#[utoipa::path(post, path = "/services/{id}/vaults/{vault_id}/retention-preview", operation_id = "vault.retention_preview", tag = "vaults",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("vault_id" = String, Path, description = "A Storage Vault id of the account"),
    ),
    request_body = PreviewRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The preview (nothing is changed)", body = RetentionPreview),
        (status = 502, description = "`upstream`: Comet or the device could not read the vault"),
        Authenticated, Scoped, Write, Limited,
    ))]
pub async fn retention_preview(
    State(state): State<AppState>,
    writable: WritableService,
    _limit: Limit<class::Browse>,
    Path(path): Path<VaultPath>,
    ApiJson(req): ApiJson<PreviewRequest>,
) -> Result<Json<RetentionPreview>, ApiError> {
    let scoped = writable.scoped();
    let comet = state.comet.account(&scoped)?;
    let profile = comet.profile().await?;
    let vault = own_vault(&profile, &path.vault_id)?;
    let policy = retention_policy(&req.retention, &vault.default_retention)?;
    let summary = vault_retention::summary(&policy);
    let (device, snaps) = read_snapshots(&comet, &profile, &path.vault_id).await?;
    if device.is_none() {
        return Ok(Json(RetentionPreview { summary, kept: 0, removed: 0, snapshots: Vec::new(), note: NO_DEVICE_ONLINE.into() }));
    }
    let at = now();
    let all: Vec<Snap> =
        snaps.iter().map(|s| Snap { id: s.snapshot.clone(), item: s.source.clone(), time: s.create_time }).collect();
    // Items with their own retention for this vault are judged by theirs.
    let mut keep = BTreeSet::new();
    let mut own = BTreeSet::new();
    let mut by_item: BTreeMap<&str, Vec<Snap>> = BTreeMap::new();
    for s in &all {
        by_item.entry(s.item.as_str()).or_default().push(s.clone());
    }
    for (item, group) in by_item {
        let override_policy = profile.sources.get(item).and_then(|i| i.override_destination_retention.get(&path.vault_id));
        if override_policy.is_some() {
            own.insert(item.to_string());
        }
        keep.extend(vault_retention::kept(override_policy.unwrap_or(&policy), &group, at));
    }
    let snapshots: Vec<PreviewEntry> = snaps
        .iter()
        .map(|s| PreviewEntry {
            snapshot_id: s.snapshot.clone(),
            item_id: s.source.clone(),
            item_name: profile.sources.get(&s.source).map(|i| i.description.clone()),
            created_at: s.create_time,
            keep: keep.contains(&s.snapshot),
            own_retention: own.contains(&s.source),
        })
        .collect();
    let kept = i64::try_from(snapshots.iter().filter(|s| s.keep).count()).unwrap_or(0);
    let removed = i64::try_from(snapshots.len()).unwrap_or(0) - kept;
    Ok(Json(RetentionPreview {
        summary,
        kept,
        removed,
        snapshots,
        note: "Days, weeks and months are counted in UTC; the device applies its own time zone, so a snapshot near midnight may fall on the neighbouring day. The newest snapshot of each item is always kept.".into(),
    }))
}

// ------------------------------------------------------------------ maintenance

/// A maintenance action.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MaintenanceAction {
    ApplyRetention,
    Reindex,
    Unlock,
    DeepVerify,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MaintenanceRequest {
    pub action: MaintenanceAction,
    /// The device to run it on (one of the account's, online); else one is chosen.
    #[serde(default)]
    pub device_id: Option<String>,
}

/// Starts a maintenance job on the vault (apply retention now, reindex, unlock, deep verify) on a
/// live device of the account.
#[utoipa::path(post, path = "/services/{id}/vaults/{vault_id}/maintenance", operation_id = "vault.maintain", tag = "vaults",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("vault_id" = String, Path, description = "A Storage Vault id of the account"),
    ),
    request_body = MaintenanceRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The job started", body = StartedJob),
        (status = 403, description = "`forbidden_by_policy` (no device online) or `read_only`"),
        (status = 502, description = "`upstream`: Comet or the device refused (e.g. the vault is locked by a running job)"),
        Authenticated, Scoped, Write, Limited,
    ))]
pub async fn maintain(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    _limit: Limit<class::RunNow>,
    Path(path): Path<VaultPath>,
    ApiJson(req): ApiJson<MaintenanceRequest>,
) -> Result<Json<StartedJob>, ApiError> {
    let action = match req.action {
        MaintenanceAction::ApplyRetention => Maintenance::ApplyRetention,
        MaintenanceAction::Reindex => Maintenance::Reindex,
        MaintenanceAction::Unlock => Maintenance::Unlock,
        MaintenanceAction::DeepVerify => Maintenance::DeepVerify,
    };
    audit.set_target(format!("vault {} {:?}", path.vault_id, req.action));
    let scoped = writable.scoped();
    let comet = state.comet.account(&scoped)?;
    let profile = comet.profile().await?;
    let vault = own_vault(&profile, &path.vault_id)?;
    let live = comet.live_connections().await?;
    let (live_id, device) =
        device_for(&writable.service, &profile, &live, vault, req.device_id.as_deref(), Capability::VaultsMaintain)?;
    let since = now() - 5;
    comet.maintain(&live_id, &path.vault_id, action).await?;
    Ok(Json(started_job(&comet, &profile, &path.vault_id, &device, action.classification(), since).await))
}

#[cfg(test)]
mod tests {
    use super::*;
    use comet::SizeMeasurement;

    #[test]
    fn retention_round_trips_and_keeps_unknown_keys() {
        let mut base = RetentionPolicy::delete_except(vec![RetentionRange::most_recent_jobs(3)]);
        base.extra.insert("FutureKey".into(), serde_json::json!(1));
        let mut ranges: Vec<RetentionRange> = base.ranges.iter().cloned().collect();
        ranges[0].extra.insert("RangeFuture".into(), serde_json::json!("x"));
        base.ranges = ranges.into();
        let view = retention_view(&base);
        assert!(!view.keep_everything);
        let mut edited = view.clone();
        edited.ranges[0].jobs = 9;
        let back = retention_policy(&edited, &base).unwrap();
        assert_eq!(back.ranges.iter().next().unwrap().jobs, 9);
        assert_eq!(back.extra["FutureKey"], serde_json::json!(1));
        assert_eq!(back.ranges.iter().next().unwrap().extra["RangeFuture"], serde_json::json!("x"));
        let bad =
            RetentionView { keep_everything: false, ranges: vec![RetentionRangeView { range_type: 904, ..Default::default() }] };
        assert!(matches!(retention_policy(&bad, &base), Err(ApiError::Invalid { field: "retention", .. })));
    }

    #[test]
    fn usage_history_keeps_the_last_measurement_of_each_day_per_vault() {
        let job = |vault: &str, at: i64, size: i64| comet::BackupJobDetail {
            destination_guid: vault.into(),
            end_time: at,
            destination_size_end: Some(SizeMeasurement { size, measure_completed: at, ..Default::default() }),
            ..Default::default()
        };
        let h = usage_histories(&[job("v", DAY + 10, 5), job("v", DAY + 20, 7), job("v", 3 * DAY, 9), job("w", DAY, 1)]);
        assert_eq!(h["v"], vec![UsagePoint { at: DAY + 20, bytes: 7 }, UsagePoint { at: 3 * DAY, bytes: 9 }]);
        assert_eq!(h["w"].len(), 1);
    }

    #[test]
    fn every_rule_type_offered_has_a_label() {
        for t in rule_types() {
            assert!(!t.label.is_empty() && t.label != "Unknown", "{t:?}");
        }
    }
}
