//! The Restore tab: `/api/v1/services/{id}/restore/...`. What can be restored (the account's
//! devices, items and vaults, from its Comet profile), a vault's snapshots of an item, a lazy tree
//! of a snapshot, a search for files across every snapshot of an item (fanned out per vault), and
//! starting a restore on an online device, then following its job.
//!
//! Every device, item, vault, snapshot and job id the browser sends is checked against the
//! service's account on every call (404 otherwise). Vaults are read through a live device of the
//! account (Comet has no other way), so reads that need one say so when it is offline.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use comet::{RestoreArchiveFormat, RestoreJobAdvancedOptions, RestoreType, SearchClause, UserProfileConfig, operator};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::AppState;
use crate::api::audit::AuditNote;
use crate::api::capabilities::{self, DEVICE_OFFLINE_MESSAGE, DeviceState};
use crate::api::comet_clients::{AccountComet, LiveDevice};
use crate::api::error::{ApiError, ApiJson, ApiQuery};
use crate::api::openapi::{Authenticated, Limited, Queried, Scoped, Write};
use crate::api::rate_limit::{Limit, class};
use crate::api::scope::ScopedService;
use crate::api::write_access::WritableService;
use crate::db::snapshot_sizes;
use crate::views::capabilities::Capability;
use crate::views::restores::{
    ArchiveFormatView, FileVersion, ObjectList, ObjectView, PathVersions, RestoreDevice, RestoreItem, RestoreJobView,
    RestoreSources, RestoreStarted, RestoreTypeView, RestoreVault, SearchResults, SnapshotList, SnapshotView,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sources))
        .routes(routes!(snapshots))
        .routes(routes!(objects))
        .routes(routes!(search))
        .routes(routes!(start_restore))
        .routes(routes!(restore_job))
}

/// What a read answers when the device that must read the vault is not connected.
pub const READER_OFFLINE_MESSAGE: &str = "This device is offline. Snapshots are read through a connected device: choose an online device or wait until this one connects.";

/// The one table of restore types the console offers, for every engine (`RestoreType`). Comet's
/// other types (disk image to disk/VHDX/VMDK, MySQL, SQL Server, Microsoft 365, hypervisors, a
/// command) need per-engine targets and credentials and are left to the desktop app.
const OFFERED_TYPES: &[(RestoreType, &str, bool, bool)] = &[
    (RestoreType::FILE, "files", true, true),
    (RestoreType::FILE_ARCHIVE, "archive", true, false),
    (RestoreType::NULL, "simulate", false, false),
];

const ARCHIVE_FORMATS: &[RestoreArchiveFormat] = &[
    RestoreArchiveFormat::TAR,
    RestoreArchiveFormat::TARGZ,
    RestoreArchiveFormat::ZIP,
    RestoreArchiveFormat::SQFS,
    RestoreArchiveFormat::TARZSTD,
];

fn restore_types(_engine: &str) -> Vec<RestoreTypeView> {
    OFFERED_TYPES
        .iter()
        .map(|(t, key, needs_path, takes_overwrite)| RestoreTypeView {
            value: t.0,
            key,
            label: t.label(),
            needs_path: *needs_path,
            takes_overwrite: *takes_overwrite,
        })
        .collect()
}

const MAX_PATHS: usize = 10_000;
const MAX_PATH_CHARS: usize = 4_096;
const MAX_QUERY_CHARS: usize = 200;
/// Paths listed by a search (each with all its versions).
const MAX_SEARCH_PATHS: usize = 200;

// ---------------------------------------------------------------- ids of the account

fn device_of<'a>(profile: &'a UserProfileConfig, device_id: &str) -> Result<&'a comet::DeviceConfig, ApiError> {
    profile.devices.get(device_id).ok_or(ApiError::NotFound("That device"))
}

fn item_of<'a>(profile: &'a UserProfileConfig, item_id: &str) -> Result<&'a comet::SourceConfig, ApiError> {
    profile.sources.get(item_id).ok_or(ApiError::NotFound("That protected item"))
}

fn vault_of<'a>(profile: &'a UserProfileConfig, vault_id: &str) -> Result<&'a comet::DestinationConfig, ApiError> {
    profile.destinations.get(vault_id).ok_or(ApiError::NotFound("That storage vault"))
}

/// The device's live connection, or the offline refusal: 422 `invalid` on `device_id`.
async fn live(comet: &AccountComet, device_id: &str, offline_message: &str) -> Result<LiveDevice, ApiError> {
    comet.live_device(device_id).await?.ok_or_else(|| ApiError::Invalid { field: "device_id", message: offline_message.into() })
}

/// The ids of a read: device, item and vault, each the account's (404), and the device online.
async fn checked(
    comet: &AccountComet,
    device_id: &str,
    item_id: &str,
    vault_id: &str,
) -> Result<(UserProfileConfig, LiveDevice), ApiError> {
    let profile = comet.profile().await?;
    device_of(&profile, device_id)?;
    item_of(&profile, item_id)?;
    vault_of(&profile, vault_id)?;
    let device = live(comet, device_id, READER_OFFLINE_MESSAGE).await?;
    Ok((profile, device))
}

/// The item's snapshots in the vault, oldest first.
async fn item_snapshots(
    comet: &AccountComet,
    device: &LiveDevice,
    item_id: &str,
    vault_id: &str,
) -> Result<Vec<comet::VaultSnapshot>, ApiError> {
    let mut snaps: Vec<_> =
        comet.snapshots_read_by(device, vault_id).await?.into_iter().filter(|s| s.source == item_id).collect();
    snaps.sort_by_key(|s| s.create_time);
    Ok(snaps)
}

// ---------------------------------------------------------------- sources

/// The account's devices (online first), protected items (with their device and vaults, and the
/// restore types offered) and vaults.
#[utoipa::path(get, path = "/services/{id}/restore/sources", operation_id = "restore.sources", tag = "restore",
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)")),
    security(("bearer" = [])),
    responses((status = 200, description = "What can be restored, and to where", body = RestoreSources), Authenticated, Scoped,
        (status = 502, description = "`upstream`: Comet could not be asked")))]
pub async fn sources(State(state): State<AppState>, scoped: ScopedService) -> Result<Json<RestoreSources>, ApiError> {
    let comet = state.comet.account(&scoped)?;
    let (profile, online) = tokio::try_join!(comet.profile(), comet.online_devices())?;
    let device_name = |id: &str| profile.devices.get(id).map(|d| d.friendly_name.clone()).unwrap_or_default();
    let mut devices: Vec<RestoreDevice> = profile
        .devices
        .iter()
        .map(|(id, d)| RestoreDevice {
            device_id: id.clone(),
            name: d.friendly_name.clone(),
            platform_os: d.platform_version.as_ref().map(|p| p.os.clone()).unwrap_or_default(),
            online: online.iter().any(|l| &l.device_id == id),
        })
        .collect();
    devices.sort_by(|a, b| b.online.cmp(&a.online).then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase())));
    let mut items: Vec<RestoreItem> = profile
        .sources
        .iter()
        .map(|(id, s)| {
            let mut vault_ids: Vec<String> = profile
                .backup_rules
                .values()
                .filter(|r| &r.source == id && profile.destinations.contains_key(&r.destination))
                .map(|r| r.destination.clone())
                .collect();
            vault_ids.sort();
            vault_ids.dedup();
            RestoreItem {
                item_id: id.clone(),
                name: s.description.clone(),
                engine: s.engine.clone(),
                engine_label: comet::engine_label(&s.engine).to_string(),
                device_id: s.owner_device.clone(),
                device_name: device_name(&s.owner_device),
                vault_ids,
                restore_types: restore_types(&s.engine),
            }
        })
        .collect();
    items.sort_by(|a, b| a.device_name.cmp(&b.device_name).then_with(|| a.name.cmp(&b.name)));
    let mut vaults: Vec<RestoreVault> =
        profile.destinations.iter().map(|(id, v)| RestoreVault { vault_id: id.clone(), name: v.description.clone() }).collect();
    vaults.sort_by(|a, b| a.name.cmp(&b.name));
    let archive_formats = ARCHIVE_FORMATS.iter().map(|f| ArchiveFormatView { value: f.0, label: f.label() }).collect();
    Ok(Json(RestoreSources { devices, items, vaults, archive_formats }))
}

// ---------------------------------------------------------------- snapshots

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SnapshotsQuery {
    /// An online device of the account, which reads the vault (and would run the restore).
    pub device_id: String,
    /// A protected item of the account.
    pub item_id: String,
    /// A storage vault of the account.
    pub vault_id: String,
}

/// The item's snapshots in the vault, newest first, with size and file count where known.
#[utoipa::path(get, path = "/services/{id}/restore/snapshots", operation_id = "restore.snapshots", tag = "restore",
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)"), SnapshotsQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "Snapshots, newest first", body = SnapshotList), Authenticated, Scoped, Queried, Limited,
        (status = 502, description = "`upstream`: Comet or the device could not answer")))]
pub async fn snapshots(
    State(state): State<AppState>,
    scoped: ScopedService,
    _limit: Limit<class::Browse>,
    ApiQuery(q): ApiQuery<SnapshotsQuery>,
) -> Result<Json<SnapshotList>, ApiError> {
    let comet = state.comet.account(&scoped)?;
    let (_, device) = checked(&comet, &q.device_id, &q.item_id, &q.vault_id).await?;
    let snaps = item_snapshots(&comet, &device, &q.item_id, &q.vault_id).await?;
    let ids: Vec<String> = snaps.iter().map(|s| s.snapshot.clone()).collect();
    let service = &scoped.service;
    let sizes = snapshot_sizes::of_snapshots(&state.db, &service.profile, &service.username, &ids).await?;
    let snapshots = snaps
        .into_iter()
        .rev()
        .map(|s| {
            let size = sizes.get(&s.snapshot);
            SnapshotView {
                total_bytes: size.map(|s| s.0),
                total_files: size.map(|s| s.1),
                snapshot_id: s.snapshot,
                created_at: s.create_time,
                engine: s.engine_type,
            }
        })
        .collect();
    Ok(Json(SnapshotList { snapshots }))
}

// ---------------------------------------------------------------- objects

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ObjectsQuery {
    pub device_id: String,
    pub item_id: String,
    pub vault_id: String,
    /// A snapshot of the item in the vault.
    pub snapshot_id: String,
    /// A container's `tree_id` from an earlier answer; absent for the snapshot's top level.
    pub tree_id: Option<String>,
    /// That container's `path` (names the entries' paths).
    pub path: Option<String>,
}

/// One directory level of a snapshot (lazy tree): containers first, then by name.
#[utoipa::path(get, path = "/services/{id}/restore/objects", operation_id = "restore.objects", tag = "restore",
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)"), ObjectsQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "The entries of one directory", body = ObjectList), Authenticated, Scoped, Queried, Limited,
        (status = 502, description = "`upstream`: Comet or the device could not answer (e.g. it does not allow file names to be seen)")))]
pub async fn objects(
    State(state): State<AppState>,
    scoped: ScopedService,
    _limit: Limit<class::Browse>,
    ApiQuery(q): ApiQuery<ObjectsQuery>,
) -> Result<Json<ObjectList>, ApiError> {
    let parent = q.path.clone().unwrap_or_default();
    check_path("path", &parent)?;
    if q.tree_id.as_ref().is_some_and(|t| t.len() > MAX_PATH_CHARS * 4) {
        return Err(ApiError::Invalid { field: "tree_id", message: "That folder id is too long.".into() });
    }
    let comet = state.comet.account(&scoped)?;
    let (_, device) = checked(&comet, &q.device_id, &q.item_id, &q.vault_id).await?;
    let snaps = item_snapshots(&comet, &device, &q.item_id, &q.vault_id).await?;
    if !snaps.iter().any(|s| s.snapshot == q.snapshot_id) {
        return Err(ApiError::NotFound("That snapshot"));
    }
    let listed =
        comet.stored_objects(&device, &q.vault_id, &q.snapshot_id, q.tree_id.as_deref().filter(|t| !t.is_empty())).await?;
    let mut objects: Vec<ObjectView> = listed
        .into_iter()
        .map(|o| {
            let is_container = o.is_container();
            ObjectView {
                path: join(&parent, &o.name),
                tree_id: Some(o.subtree.clone()).filter(|t| is_container && !t.is_empty()),
                kind: o.r#type.clone(),
                is_container,
                size: o.size,
                mtime: o.mtime,
                name: o.name,
            }
        })
        .collect();
    objects.sort_by(|a, b| b.is_container.cmp(&a.is_container).then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase())));
    Ok(Json(ObjectList { path: parent, objects }))
}

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() { format!("/{name}") } else { format!("{}/{name}", parent.trim_end_matches('/')) }
}

fn check_path(field: &'static str, path: &str) -> Result<(), ApiError> {
    if path.chars().count() > MAX_PATH_CHARS || path.contains('\0') {
        return Err(ApiError::Invalid { field, message: "That path is too long or not valid.".into() });
    }
    Ok(())
}

// ---------------------------------------------------------------- search

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// An online device of the account, which searches the vaults.
    pub device_id: String,
    pub item_id: String,
    /// One vault; absent: every vault the item's backup rules write to.
    pub vault_id: Option<String>,
    /// Part of a file or folder name (case-insensitive), 1–200 characters.
    pub q: String,
}

/// Files and folders whose name contains `q` in every snapshot of the item (Comet's
/// search-snapshots over all snapshot ids, once per vault), grouped per path as a version
/// timeline (newest first).
#[utoipa::path(get, path = "/services/{id}/restore/search", operation_id = "restore.search", tag = "restore",
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)"), SearchQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "Matching paths with their versions", body = SearchResults), Authenticated, Scoped, Queried, Limited,
        (status = 502, description = "`upstream`: Comet or the device could not answer")))]
pub async fn search(
    State(state): State<AppState>,
    scoped: ScopedService,
    _limit: Limit<class::Browse>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Json<SearchResults>, ApiError> {
    let needle = q.q.trim().to_string();
    if needle.is_empty() || needle.chars().count() > MAX_QUERY_CHARS || needle.contains('\0') {
        return Err(ApiError::Invalid { field: "q", message: format!("Type 1 to {MAX_QUERY_CHARS} characters of a name.") });
    }
    let comet = state.comet.account(&scoped)?;
    let profile = comet.profile().await?;
    device_of(&profile, &q.device_id)?;
    item_of(&profile, &q.item_id)?;
    let vault_ids: Vec<String> = match q.vault_id.as_deref() {
        Some(v) => {
            vault_of(&profile, v)?;
            vec![v.to_string()]
        }
        None => {
            let mut v: Vec<String> = profile
                .backup_rules
                .values()
                .filter(|r| r.source == q.item_id && profile.destinations.contains_key(&r.destination))
                .map(|r| r.destination.clone())
                .collect();
            v.sort();
            v.dedup();
            v
        }
    };
    let device = live(&comet, &q.device_id, READER_OFFLINE_MESSAGE).await?;
    let filter = SearchClause::rule("SearchResultFileInfo.Name", operator::STRING_CONTAINS_CI, &needle);
    let per_vault = futures_util::future::try_join_all(vault_ids.iter().map(|vault_id| {
        let (comet, device, filter, item) = (&comet, &device, &filter, q.item_id.as_str());
        async move {
            let snaps = item_snapshots(comet, device, item, vault_id).await?;
            if snaps.is_empty() {
                return Ok::<_, ApiError>((vault_id.clone(), snaps, BTreeMap::new()));
            }
            let ids: Vec<String> = snaps.iter().map(|s| s.snapshot.clone()).collect();
            let found = comet.search_snapshots(device, vault_id, &ids, filter).await?;
            let found: BTreeMap<String, Vec<comet::SearchResultFileInfo>> =
                found.snapshot_files.into_inner().into_iter().map(|(k, v)| (k, v.into_inner())).collect();
            Ok((vault_id.clone(), snaps, found))
        }
    }))
    .await?;
    let mut snapshots_searched = 0;
    let mut by_path: BTreeMap<String, PathVersions> = BTreeMap::new();
    for (vault_id, snaps, found) in per_vault {
        snapshots_searched += snaps.len();
        for snap in &snaps {
            for f in found.get(&snap.snapshot).map(Vec::as_slice).unwrap_or_default() {
                let entry = by_path.entry(f.path.clone()).or_insert_with(|| PathVersions {
                    path: f.path.clone(),
                    name: f.name.clone(),
                    kind: f.r#type.clone(),
                    versions: Vec::new(),
                });
                entry.versions.push(FileVersion {
                    vault_id: vault_id.clone(),
                    snapshot_id: snap.snapshot.clone(),
                    snapshot_at: snap.create_time,
                    mtime: chrono::DateTime::parse_from_rfc3339(&f.mtime).ok().map(|t| t.timestamp()),
                    size: f.size,
                    changed: false,
                });
            }
        }
    }
    let truncated = by_path.len() > MAX_SEARCH_PATHS;
    let paths = by_path
        .into_values()
        .take(MAX_SEARCH_PATHS)
        .map(|mut p| {
            p.versions.sort_by_key(|v| v.snapshot_at);
            let mut previous: Option<(Option<i64>, u64)> = None;
            for v in &mut p.versions {
                v.changed = previous != Some((v.mtime, v.size));
                previous = Some((v.mtime, v.size));
            }
            p.versions.reverse();
            p
        })
        .collect();
    Ok(Json(SearchResults { query: needle, snapshots_searched, vaults_searched: vault_ids.len(), truncated, paths }))
}

// ---------------------------------------------------------------- restore

/// Where the files go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RestoreDestination {
    /// Back where they were backed up from.
    Original,
    /// Under `dest_path` on the target device (for `archive`: the archive file).
    Path,
}

/// What to do with a file that exists at the destination (files only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OverwritePolicy {
    /// Keep existing files.
    #[default]
    Never,
    Always,
    /// Only when the backed-up copy is newer.
    IfNewer,
    /// Only when the content differs.
    IfDifferent,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RestoreRequest {
    /// The device that runs the restore: one of the account's, online.
    pub device_id: String,
    /// The protected item restored (it may belong to another device of the account).
    pub item_id: String,
    pub vault_id: String,
    /// A snapshot of the item in the vault.
    pub snapshot_id: String,
    /// Paths inside the snapshot (from `restore/objects` or `restore/search`); empty: the whole item.
    #[serde(default)]
    pub paths: Vec<String>,
    /// `RESTORETYPE_*` of one of the item's `restore_types` (default: files).
    #[serde(default)]
    pub restore_type: i64,
    pub destination: RestoreDestination,
    /// The directory (files) or archive file (archive) on the target device.
    #[serde(default)]
    pub dest_path: String,
    #[serde(default)]
    pub overwrite: OverwritePolicy,
    /// `RestoreArchiveFormat` for `archive` (default tar).
    #[serde(default)]
    pub archive_format: i64,
    /// Zero-fill unreadable data instead of failing.
    #[serde(default)]
    pub skip_unreadable: bool,
}

/// The SDK's options for a valid request (422 `invalid` with the field otherwise).
fn options_for(req: &RestoreRequest, offered: &[RestoreTypeView]) -> Result<RestoreJobAdvancedOptions, ApiError> {
    let invalid = |field: &'static str, message: &str| Err(ApiError::Invalid { field, message: message.into() });
    let Some(kind) = offered.iter().find(|t| t.value == req.restore_type) else {
        return invalid("restore_type", "That kind of restore is not offered for this item.");
    };
    if req.paths.len() > MAX_PATHS {
        return invalid("paths", "Too many files and folders selected: restore the folder that holds them instead.");
    }
    if req.paths.iter().any(|p| p.trim().is_empty() || p.chars().count() > MAX_PATH_CHARS || p.contains('\0')) {
        return invalid("paths", "A selected path is empty, too long or not valid.");
    }
    let dest_path = req.dest_path.trim();
    check_path("dest_path", dest_path)?;
    if dest_path.contains(['\n', '\r']) {
        return invalid("dest_path", "The destination must be one line.");
    }
    let mut o = RestoreJobAdvancedOptions {
        r#type: RestoreType(kind.value),
        skip_unreadable_chunks: req.skip_unreadable,
        ..RestoreJobAdvancedOptions::default()
    };
    match kind.key {
        "files" => {
            match req.destination {
                RestoreDestination::Original => {
                    if !dest_path.is_empty() {
                        return invalid("dest_path", "Leave the path empty to restore to the original location.");
                    }
                    o.dest_is_original_location = true;
                }
                RestoreDestination::Path => {
                    if dest_path.is_empty() {
                        return invalid("dest_path", "Type the folder on the device to restore into.");
                    }
                    o.dest_path = dest_path.to_string();
                }
            }
            let (existing, newer, different) = match req.overwrite {
                OverwritePolicy::Never => (false, false, false),
                OverwritePolicy::Always => (true, false, false),
                OverwritePolicy::IfNewer => (true, true, false),
                OverwritePolicy::IfDifferent => (true, false, true),
            };
            o.overwrite_existing_files = existing;
            o.overwrite_if_newer = newer;
            o.overwrite_if_different_content = different;
        }
        "archive" => {
            if req.destination != RestoreDestination::Path || dest_path.is_empty() {
                return invalid("dest_path", "Type the path of the archive file to write on the device.");
            }
            let Some(format) = ARCHIVE_FORMATS.iter().find(|f| f.0 == req.archive_format) else {
                return invalid("archive_format", "That archive format is not offered.");
            };
            o.dest_path = dest_path.to_string();
            o.archive_format = *format;
        }
        _ => {
            // simulate: read everything and discard it; nothing is written.
        }
    }
    Ok(o)
}

/// Starts a restore of the item's snapshot on an online device of the account and answers the
/// job to follow. The target device must be connected (422 `invalid` on `device_id` saying it is
/// offline), the snapshot the item's in that vault (404), and the account's policy must allow it.
#[utoipa::path(post, path = "/services/{id}/restore", operation_id = "restore.start", tag = "restore",
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)")),
    request_body = RestoreRequest,
    security(("bearer" = [])),
    responses((status = 200, description = "The device accepted the restore", body = RestoreStarted), Authenticated, Scoped, Write, Limited,
        (status = 502, description = "`upstream`: Comet or the device refused")))]
pub async fn start_restore(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    _limit: Limit<class::Restore>,
    ApiJson(req): ApiJson<RestoreRequest>,
) -> Result<Json<RestoreStarted>, ApiError> {
    audit.set_target(format!("{}/{}/{}", req.item_id, req.vault_id, req.snapshot_id));
    let scoped = writable.scoped();
    let comet = state.comet.account(&scoped)?;
    let profile = comet.profile().await?;
    device_of(&profile, &req.device_id)?;
    let item = item_of(&profile, &req.item_id)?;
    vault_of(&profile, &req.vault_id)?;
    let options = options_for(&req, &restore_types(&item.engine))?;
    let device = live(&comet, &req.device_id, DEVICE_OFFLINE_MESSAGE).await?;
    capabilities::check(
        &capabilities::evaluate(&scoped.service, &profile.policy, Some(DeviceState::Online)),
        Capability::RestoresRun,
    )?;
    let snaps = item_snapshots(&comet, &device, &req.item_id, &req.vault_id).await?;
    if !snaps.iter().any(|s| s.snapshot == req.snapshot_id) {
        return Err(ApiError::NotFound("That snapshot"));
    }
    let paths: Vec<String> = req.paths.iter().map(|p| p.trim().to_string()).collect();
    let since = chrono::Utc::now().timestamp() - 5;
    let named = comet
        .run_restore(&device, &req.item_id, &req.vault_id, &options, &req.snapshot_id, (!paths.is_empty()).then_some(&paths[..]))
        .await?;
    let job_id = if named.is_empty() {
        // A device before 25.9.6 does not name the job: the newest restore it started just now.
        match comet.restore_jobs_since(&req.device_id, since).await {
            Ok(jobs) => jobs.into_iter().filter(|j| j.source_guid == req.item_id).max_by_key(|j| j.start_time).map(|j| j.guid),
            Err(e) => {
                tracing::warn!(error = %e, "the started restore job could not be found");
                None
            }
        }
    } else {
        Some(named)
    };
    Ok(Json(RestoreStarted { job_id, device_id: req.device_id, snapshot_id: req.snapshot_id }))
}

// ---------------------------------------------------------------- follow

/// A restore job of the account, live or finished (poll it to follow a restore).
#[utoipa::path(get, path = "/services/{id}/restore/jobs/{job_id}", operation_id = "restore.job", tag = "restore",
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("job_id" = String, Path, description = "A restore job of the account")),
    security(("bearer" = [])),
    responses((status = 200, description = "The job now", body = RestoreJobView), Authenticated, Scoped,
        (status = 502, description = "`upstream`: Comet could not be asked")))]
pub async fn restore_job(
    State(state): State<AppState>,
    scoped: ScopedService,
    Path(path): Path<(i64, String)>,
) -> Result<Json<RestoreJobView>, ApiError> {
    let job_id = path.1;
    if job_id.is_empty() || job_id.len() > 128 {
        return Err(ApiError::NotFound("That restore job"));
    }
    let comet = state.comet.account(&scoped)?;
    let job = comet.job(&job_id).await?.ok_or(ApiError::NotFound("That restore job"))?;
    if job.classification != comet::JobClassification::RESTORE {
        return Err(ApiError::NotFound("That restore job"));
    }
    let status = i64::try_from(job.status.0).unwrap_or(i64::MAX);
    let running = job.status.is_running();
    let progress = job.progress.as_ref();
    Ok(Json(RestoreJobView {
        status_label: comet::status_label(job.status).to_string(),
        status_class: crate::db::jobs::status_class(status).to_string(),
        job_id: job.guid,
        device_id: job.device_id,
        item_id: job.source_guid,
        vault_id: job.destination_guid,
        status,
        running,
        started_at: job.start_time,
        ended_at: (!running && job.end_time > 0).then_some(job.end_time),
        total_bytes: job.total_size,
        total_files: job.total_files,
        bytes_done: progress.map(|p| p.bytes_done).unwrap_or(0),
        files_done: progress.map(|p| p.items_done).unwrap_or(0),
        downloaded_bytes: job.download_size,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(v: serde_json::Value) -> RestoreRequest {
        let mut base = serde_json::json!({
            "device_id": "d", "item_id": "i", "vault_id": "v", "snapshot_id": "s", "destination": "original",
        });
        for (k, x) in v.as_object().unwrap() {
            base[k] = x.clone();
        }
        serde_json::from_value(base).unwrap()
    }

    fn field(v: serde_json::Value) -> &'static str {
        match options_for(&req(v), &restore_types("engine1/file")) {
            Err(ApiError::Invalid { field, .. }) => field,
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn files_to_the_original_location_or_a_path_with_the_overwrite_policy() {
        let o = options_for(&req(serde_json::json!({})), &restore_types("engine1/file")).unwrap();
        assert_eq!((o.r#type, o.dest_is_original_location, o.dest_path.as_str()), (RestoreType::FILE, true, ""));
        assert!(!o.overwrite_existing_files);
        let o = options_for(
            &req(serde_json::json!({ "destination": "path", "dest_path": " D:\\restored ", "overwrite": "if_different" })),
            &restore_types("engine1/file"),
        )
        .unwrap();
        assert_eq!((o.dest_is_original_location, o.dest_path.as_str()), (false, "D:\\restored"));
        assert!(o.overwrite_existing_files && o.overwrite_if_different_content && !o.overwrite_if_newer);
        let wire = serde_json::to_value(&o).unwrap();
        assert_eq!(wire["Type"], 0);
        assert_eq!(wire["OverwriteIfDifferentContent"], true);
    }

    #[test]
    fn archive_and_simulate() {
        let o = options_for(
            &req(serde_json::json!({ "restore_type": 5, "destination": "path", "dest_path": "/tmp/a.zip", "archive_format": 2 })),
            &restore_types("engine1/file"),
        )
        .unwrap();
        assert_eq!(
            (o.r#type, o.archive_format, o.dest_path.as_str()),
            (RestoreType::FILE_ARCHIVE, RestoreArchiveFormat::ZIP, "/tmp/a.zip")
        );
        let o = options_for(&req(serde_json::json!({ "restore_type": 1 })), &restore_types("engine1/file")).unwrap();
        assert_eq!((o.r#type, o.dest_path.as_str(), o.dest_is_original_location), (RestoreType::NULL, "", false));
    }

    #[test]
    fn refusals_name_the_field() {
        assert_eq!(field(serde_json::json!({ "restore_type": 14 })), "restore_type");
        assert_eq!(field(serde_json::json!({ "destination": "path", "dest_path": "  " })), "dest_path");
        assert_eq!(field(serde_json::json!({ "destination": "original", "dest_path": "/x" })), "dest_path");
        assert_eq!(field(serde_json::json!({ "destination": "path", "dest_path": "/x\ny" })), "dest_path");
        assert_eq!(field(serde_json::json!({ "restore_type": 5, "destination": "path", "dest_path": "" })), "dest_path");
        assert_eq!(
            field(serde_json::json!({ "restore_type": 5, "destination": "path", "dest_path": "/a", "archive_format": 9 })),
            "archive_format"
        );
        assert_eq!(field(serde_json::json!({ "paths": ["/a", " "] })), "paths");
        assert_eq!(field(serde_json::json!({ "paths": ["/a\u{0}b"] })), "paths");
        let many: Vec<String> = (0..=MAX_PATHS).map(|i| format!("/f{i}")).collect();
        assert_eq!(field(serde_json::json!({ "paths": many })), "paths");
    }
}
