//! Protected items of one account (issue 9): the list, one item's edit form, create / save /
//! delete through Comet's set-protected-item-with-backup-rules (conditional on the profile hash:
//! a concurrent change answers 409 and nothing is written), and browsing a live device to pick
//! what an item backs up.
//!
//! Every id the browser sends (item, device, vault, schedule) is checked against the account's
//! Comet profile on every call (404 when it is not the account's). Policy: the engine allow-list
//! and `PreventNew/Edit/DeleteProtectedItem` (`api::capabilities`).

mod form;

use std::collections::{BTreeMap, BTreeSet};

use axum::Json;
use axum::extract::{Path, State};
use comet::{JobStatus, UserProfileConfig, engine_label, status_label};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::AppState;
use crate::api::audit::AuditNote;
use crate::api::capabilities::{self, DeviceState};
use crate::api::comet_clients::AccountComet;
use crate::api::error::{ApiError, ApiJson};
use crate::api::openapi::{Authenticated, Limited, Scoped, Write};
use crate::api::rate_limit::{Limit, class};
use crate::api::scope::ScopedService;
use crate::api::write_access::WritableService;
use crate::db::events;
use crate::db::tenancy::Service;
use crate::views::capabilities::Capability;
use crate::views::items::{
    BrowseAnswer, BrowseEntry, BrowseRequest, DeviceRef, ItemForm, ItemLastJob, ItemList, ItemSaved, ItemSummary, VaultRef,
};
use crate::with_pool;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_items, create_item))
        .routes(routes!(get_item, save_item, delete_item))
        .routes(routes!(browse_device))
}

fn vault_ids(profile: &UserProfileConfig) -> BTreeSet<String> {
    profile.destinations.keys().cloned().collect()
}

fn device_name(profile: &UserProfileConfig, id: &str) -> Option<String> {
    profile.devices.get(id).map(|d| d.friendly_name.clone()).filter(|n| !n.is_empty())
}

/// The last finished job of each item of the account, from the worker's job mirror.
async fn last_jobs(state: &AppState, service: &Service) -> Result<BTreeMap<String, ItemLastJob>, ApiError> {
    let sql = "SELECT j.comet_item_id, j.id, CAST(j.status AS SIGNED), j.ended_at FROM comet_jobs j
               WHERE j.profile = ? AND j.username = ? AND j.comet_item_id <> '' AND j.ended_at IS NOT NULL
                 AND j.ended_at = (SELECT MAX(k.ended_at) FROM comet_jobs k
                                   WHERE k.profile = j.profile AND k.username = j.username AND k.comet_item_id = j.comet_item_id)";
    // DateTime<Utc>: MariaDB sends TIMESTAMP, which sqlx will not decode as a NaiveDateTime.
    let rows: Vec<(String, String, i64, Option<chrono::DateTime<chrono::Utc>>)> = with_pool!(&state.db, pool => {
        sqlx::query_as(sql).bind(&service.profile).bind(&service.username).fetch_all(pool).await.map_err(crate::db::DbError::from)?
    });
    let mut out = BTreeMap::new();
    for (item, job_id, status, ended) in rows {
        let s = JobStatus(u64::try_from(status).unwrap_or(0));
        out.insert(
            item,
            ItemLastJob {
                job_id,
                status,
                status_label: status_label(s).to_string(),
                status_class: s.class().as_str().to_string(),
                ended_at: ended.map(|t| t.timestamp()),
            },
        );
    }
    Ok(out)
}

/// Every protected item of the account, with its device, vaults, schedules and last result.
#[utoipa::path(get, path = "/services/{id}/items", operation_id = "items.list", tag = "items",
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)")),
    security(("bearer" = [])),
    responses((status = 200, description = "The account's protected items", body = ItemList), Authenticated, Scoped,
        (status = 502, description = "`upstream`: Comet could not be read")))]
pub async fn list_items(State(state): State<AppState>, scoped: ScopedService) -> Result<Json<ItemList>, ApiError> {
    let comet = state.comet.account(&scoped)?;
    let (profile, last, live) = tokio::join!(comet.profile(), last_jobs(&state, &scoped.service), comet.connected_device_ids());
    let (profile, mut last) = (profile?, last?);
    // Online state is a hint for the pickers: without it every device shows as offline.
    let live = live.unwrap_or_default();
    let vault_name = |id: &str| profile.destinations.get(id).map(|d| d.description.clone()).unwrap_or_else(|| id.to_string());
    let mut items: Vec<ItemSummary> = profile
        .sources
        .iter()
        .map(|(id, s)| {
            let mut rules: Vec<_> = profile.backup_rules.values().filter(|r| r.source == *id).collect();
            rules.sort_by(|a, b| a.description.cmp(&b.description));
            let mut vaults: Vec<VaultRef> = Vec::new();
            for r in &rules {
                if !vaults.iter().any(|v| v.id == r.destination) {
                    vaults.push(VaultRef { id: r.destination.clone(), name: vault_name(&r.destination) });
                }
            }
            let summary = if rules.is_empty() {
                "Not scheduled (runs only when started)".to_string()
            } else {
                rules.iter().map(|r| form::rule_summary(r)).collect::<Vec<_>>().join(" · ")
            };
            ItemSummary {
                id: id.clone(),
                description: s.description.clone(),
                engine: s.engine.clone(),
                engine_label: engine_label(&s.engine).to_string(),
                device_id: s.owner_device.clone(),
                device_name: device_name(&profile, &s.owner_device),
                vaults,
                schedule_summary: summary,
                last_job: last.remove(id),
            }
        })
        .collect();
    items.sort_by(|a, b| a.description.to_lowercase().cmp(&b.description.to_lowercase()).then(a.id.cmp(&b.id)));
    let mut devices: Vec<DeviceRef> = profile
        .devices
        .iter()
        .map(|(id, d)| DeviceRef {
            id: id.clone(),
            name: if d.friendly_name.is_empty() { id.clone() } else { d.friendly_name.clone() },
            online: live.contains(id),
        })
        .collect();
    devices.sort_by(|a, b| b.online.cmp(&a.online).then(a.name.cmp(&b.name)));
    let mut vaults: Vec<VaultRef> =
        profile.destinations.iter().map(|(id, d)| VaultRef { id: id.clone(), name: d.description.clone() }).collect();
    vaults.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Json(ItemList { items, devices, vaults }))
}

/// One item as its edit form: settings (never a secret: `write_only_set` says which are set),
/// commands, schedules, retention and the profile hash a save sends back.
#[utoipa::path(get, path = "/services/{id}/items/{item_id}", operation_id = "items.get", tag = "items",
    params(("id" = i64, Path, description = "WHMCS service id"), ("item_id" = String, Path, description = "Protected item id")),
    security(("bearer" = [])),
    responses((status = 200, description = "The item's edit form", body = ItemForm), Authenticated, Scoped,
        (status = 502, description = "`upstream`: Comet could not be read")))]
pub async fn get_item(
    State(state): State<AppState>,
    scoped: ScopedService,
    path: Path<(i64, String)>,
) -> Result<Json<ItemForm>, ApiError> {
    let Path((_, item_id)) = path;
    let comet = state.comet.account(&scoped)?;
    let (source, rules, hash) = comet.protected_item(&item_id).await?.ok_or(ApiError::NotFound("That protected item"))?;
    Ok(Json(form::to_form(&item_id, &source, &rules, &hash)))
}

/// The policy checks of a create or save, on the profile just read.
fn allowed(service: &Service, profile: &UserProfileConfig, capability: Capability, engine: &str) -> Result<(), ApiError> {
    let caps = capabilities::evaluate(service, &profile.policy, None);
    capabilities::check(&caps, capability)?;
    if let Some(list) = &caps.item_engine_types
        && !list.iter().any(|e| e == engine)
    {
        return Err(ApiError::ForbiddenByPolicy(format!(
            "Your provider does not allow {} protected items in this account.",
            engine_label(engine)
        )));
    }
    Ok(())
}

async fn audited_ok(state: &AppState, audit: &AuditNote, message: &str) -> Result<(), ApiError> {
    let mut tx = events::begin(&state.db).await?;
    audit.ok_in(&mut tx, Some(message), chrono::Utc::now().timestamp()).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes `form` as item `item_id` (new when `existing` is `None`) at the profile revision `hash`.
async fn write_item(
    comet: &AccountComet,
    profile: &UserProfileConfig,
    item_id: &str,
    form_in: &ItemForm,
    existing: Option<(&comet::SourceConfig, &BTreeMap<String, comet::BackupRuleConfig>)>,
    hash: &str,
) -> Result<Option<String>, ApiError> {
    if !profile.devices.contains_key(&form_in.device_id) {
        return Err(ApiError::NotFound("That device"));
    }
    let vaults = vault_ids(profile);
    let now = chrono::Utc::now().timestamp();
    let source = form::apply_source(form_in, existing.map(|e| e.0), &vaults, now)?;
    let empty = BTreeMap::new();
    let rules =
        form::apply_rules(&form_in.rules, existing.map(|e| e.1).unwrap_or(&empty), item_id, &source.description, &vaults, now)?;
    comet.set_protected_item(item_id, &source, &rules, hash).await
}

/// Creates a protected item with its schedules and retention.
#[utoipa::path(post, path = "/services/{id}/items", operation_id = "items.create", tag = "items",
    params(("id" = i64, Path, description = "WHMCS service id")),
    request_body = ItemForm,
    security(("bearer" = [])),
    responses((status = 200, description = "Created", body = ItemSaved), Authenticated, Scoped, Write,
        (status = 409, description = "`conflict`: the account changed meanwhile; nothing was written"),
        (status = 502, description = "`upstream`: Comet refused or could not be reached")))]
pub async fn create_item(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    ApiJson(body): ApiJson<ItemForm>,
) -> Result<Json<ItemSaved>, ApiError> {
    let scoped = writable.scoped();
    let comet = state.comet.account(&scoped)?;
    let (profile, hash) = comet.profile_and_hash().await.map(|r| (r.profile, r.profile_hash))?;
    allowed(&scoped.service, &profile, Capability::ItemsCreate, &body.engine)?;
    if !body.retention.is_empty() {
        allowed(&scoped.service, &profile, Capability::ItemsEditRetention, &body.engine)?;
    }
    let item_id = uuid::Uuid::new_v4().to_string();
    audit.set_target(item_id.clone());
    let profile_hash = write_item(&comet, &profile, &item_id, &body, None, &hash).await?;
    audited_ok(&state, &audit, &format!("created {}", body.engine)).await?;
    Ok(Json(ItemSaved { id: item_id, profile_hash }))
}

/// Saves an item and its complete set of schedules in one write, only if the profile is still at
/// `profile_hash` (else 409 and nothing changes). Settings not sent, secrets not resent and fields
/// we do not model keep their stored values.
#[utoipa::path(put, path = "/services/{id}/items/{item_id}", operation_id = "items.save", tag = "items",
    params(("id" = i64, Path, description = "WHMCS service id"), ("item_id" = String, Path, description = "Protected item id")),
    request_body = ItemForm,
    security(("bearer" = [])),
    responses((status = 200, description = "Saved", body = ItemSaved), Authenticated, Scoped, Write,
        (status = 409, description = "`conflict`: the item or account changed since `profile_hash`; nothing was written"),
        (status = 502, description = "`upstream`: Comet refused or could not be reached")))]
pub async fn save_item(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    path: Path<(i64, String)>,
    ApiJson(body): ApiJson<ItemForm>,
) -> Result<Json<ItemSaved>, ApiError> {
    let Path((_, item_id)) = path;
    let scoped = writable.scoped();
    audit.set_target(item_id.clone());
    let comet = state.comet.account(&scoped)?;
    let (profile, current_hash) = comet.profile_and_hash().await.map(|r| (r.profile, r.profile_hash))?;
    let source = profile.sources.get(&item_id).ok_or(ApiError::NotFound("That protected item"))?;
    allowed(&scoped.service, &profile, Capability::ItemsEdit, &source.engine)?;
    if body.profile_hash.is_empty() {
        return Err(ApiError::Invalid { field: "profile_hash", message: "Reload the item before saving it.".into() });
    }
    if body.profile_hash != current_hash {
        return Err(ApiError::Conflict(crate::api::comet_clients::CHANGED_MEANWHILE.into()));
    }
    let retention_before: BTreeMap<String, serde_json::Value> = source
        .override_destination_retention
        .iter()
        .filter_map(|(k, v)| serde_json::to_value(v).ok().map(|v| (k.clone(), v)))
        .collect();
    let retention_after: BTreeMap<String, serde_json::Value> = body.retention.clone().into_iter().collect();
    if retention_before != retention_after {
        allowed(&scoped.service, &profile, Capability::ItemsEditRetention, &source.engine)?;
    }
    let rules: BTreeMap<String, comet::BackupRuleConfig> =
        profile.backup_rules.iter().filter(|(_, r)| r.source == item_id).map(|(k, r)| (k.clone(), r.clone())).collect();
    let profile_hash = write_item(&comet, &profile, &item_id, &body, Some((source, &rules)), &body.profile_hash).await?;
    audited_ok(&state, &audit, "saved").await?;
    Ok(Json(ItemSaved { id: item_id, profile_hash }))
}

/// Deletes an item and the schedules that back it up (its stored backups age out by retention).
#[utoipa::path(delete, path = "/services/{id}/items/{item_id}", operation_id = "items.delete", tag = "items",
    params(("id" = i64, Path, description = "WHMCS service id"), ("item_id" = String, Path, description = "Protected item id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Deleted", body = ItemSaved), Authenticated, Scoped, Write,
        (status = 502, description = "`upstream`: Comet refused or could not be reached")))]
pub async fn delete_item(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    path: Path<(i64, String)>,
) -> Result<Json<ItemSaved>, ApiError> {
    let Path((_, item_id)) = path;
    let scoped = writable.scoped();
    audit.set_target(item_id.clone());
    let comet = state.comet.account(&scoped)?;
    let profile = comet.profile().await?;
    if !profile.sources.contains_key(&item_id) {
        return Err(ApiError::NotFound("That protected item"));
    }
    let caps = capabilities::evaluate(&scoped.service, &profile.policy, None);
    capabilities::check(&caps, Capability::ItemsDelete)?;
    comet.delete_protected_item(&item_id).await?;
    audited_ok(&state, &audit, "deleted").await?;
    Ok(Json(ItemSaved { id: item_id, profile_hash: None }))
}

/// Lists what a live device holds, to pick what an item backs up: `filesystem` (one directory,
/// lazily; no `path` for the roots) or `disk_drives`. The device must be the account's (404) and
/// connected (403 with the reason).
#[utoipa::path(post, path = "/services/{id}/devices/{device_id}/browse", operation_id = "items.browse", tag = "items",
    params(("id" = i64, Path, description = "WHMCS service id"), ("device_id" = String, Path, description = "Comet DeviceID")),
    request_body = BrowseRequest,
    security(("bearer" = [])),
    responses((status = 200, description = "One level of the device's tree", body = BrowseAnswer), Authenticated, Scoped, Write, Limited,
        (status = 502, description = "`upstream`: the device or Comet did not answer")))]
pub async fn browse_device(
    State(state): State<AppState>,
    writable: WritableService,
    _limit: Limit<class::Browse>,
    audit: AuditNote,
    path: Path<(i64, String)>,
    ApiJson(body): ApiJson<BrowseRequest>,
) -> Result<Json<BrowseAnswer>, ApiError> {
    let Path((_, device_id)) = path;
    let scoped = writable.scoped();
    audit.set_target(device_id.clone());
    let comet = state.comet.account(&scoped)?;
    let profile = comet.profile().await?;
    if !profile.devices.contains_key(&device_id) {
        return Err(ApiError::NotFound("That device"));
    }
    if !["filesystem", "disk_drives"].contains(&body.kind.as_str()) {
        return Err(ApiError::Invalid { field: "kind", message: "This kind of browsing is not available yet.".into() });
    }
    let target = comet.live_id(&device_id).await?;
    let device = Some(if target.is_some() { DeviceState::Online } else { DeviceState::Offline });
    capabilities::check(&capabilities::evaluate(&scoped.service, &profile.policy, device), Capability::DevicesBrowse)?;
    let target = target.ok_or(ApiError::Internal("online device without a live connection"))?;
    let path = body.path.as_deref().map(str::trim).filter(|p| !p.is_empty());
    let entries = match body.kind.as_str() {
        "filesystem" => {
            let answer = comet.browse_filesystem(&target, path).await?;
            answer
                .stored_objects
                .iter()
                .map(|o| {
                    let container = o.is_container();
                    // Comet names a directory's full path in `subtree`; else it is built.
                    let value = if container && !o.subtree.is_empty() { o.subtree.clone() } else { join_path(path, &o.name) };
                    BrowseEntry {
                        value,
                        name: o.name.clone(),
                        container,
                        size: (!container).then(|| i64::try_from(o.size).unwrap_or(i64::MAX)),
                        detail: None,
                    }
                })
                .collect()
        }
        _ => {
            let answer = comet.browse_disks(&target).await?;
            answer
                .disks
                .iter()
                .map(|d| BrowseEntry {
                    value: d.device_name.clone(),
                    name: if d.caption.is_empty() { d.device_name.clone() } else { d.caption.clone() },
                    container: false,
                    size: Some(d.size),
                    detail: Some(
                        d.partitions
                            .iter()
                            .map(|p| if p.mount_points.is_empty() { p.filesystem.clone() } else { p.mount_points.join(" ") })
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join(", "),
                    )
                    .filter(|s| !s.is_empty()),
                })
                .collect()
        }
    };
    audited_ok(&state, &audit, &body.kind).await?;
    Ok(Json(BrowseAnswer { kind: body.kind, path: path.map(str::to_string), entries }))
}

/// `parent` + `name` with the parent's separator (a Windows path uses `\`); the roots are names
/// already (`C:`, `/`).
fn join_path(parent: Option<&str>, name: &str) -> String {
    match parent {
        None => name.to_string(),
        Some(p) => {
            let sep = if p.contains('\\') || p.ends_with(':') { '\\' } else { '/' };
            if p.ends_with(sep) { format!("{p}{name}") } else { format!("{p}{sep}{name}") }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::join_path;

    #[test]
    fn paths_join_with_the_parents_separator() {
        assert_eq!(join_path(None, "C:"), "C:");
        assert_eq!(join_path(Some("C:"), "Users"), "C:\\Users");
        assert_eq!(join_path(Some("C:\\Users"), "Ann"), "C:\\Users\\Ann");
        assert_eq!(join_path(Some("/"), "home"), "/home");
        assert_eq!(join_path(Some("/home"), "ann"), "/home/ann");
    }
}
