//! The Jobs tab: `GET /services/{id}/jobs` (the account's job history from `comet_jobs`, filtered,
//! searched, sorted and keyset-paged, no Comet call), `GET …/jobs/{job_id}` (one job; live
//! progress from Comet while it runs), `GET …/jobs/{job_id}/log` and `…/log.txt` (Comet's log) and
//! `POST …/jobs/{job_id}/cancel`.
//!
//! A job id is the service's when our tables hold it under the service's account, or when Comet
//! says the job is that account's; anything else is 404, on every call.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::AppState;
use crate::api::audit::AuditNote;
use crate::api::comet_clients::AccountComet;
use crate::api::error::{ApiError, ApiQuery};
use crate::api::openapi::{Authenticated, Limited, Queried, Scoped, Write};
use crate::api::rate_limit::{Limit, class};
use crate::api::scope::ScopedService;
use crate::api::write_access::WritableService;
use crate::db::events;
use crate::db::job_list::{self, JobFilter, SortKey, class_predicate};
use crate::db::tenancy::Service;
use crate::views::job_list::{CancelAnswer, JobDetail, JobFilters, JobLog, JobPage, JobRow, LogEntry};

/// Rows per page by default and at most.
pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;
/// Log lines served at most (the download has them all).
pub const MAX_LOG_ENTRIES: usize = 20_000;
/// Longest search text and id the browser may send.
const MAX_TEXT: usize = 200;
const MAX_ID: usize = 128;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_jobs))
        .routes(routes!(job_detail))
        .routes(routes!(job_log))
        .routes(routes!(job_log_text))
        .routes(routes!(cancel_job))
}

/// The list's query string.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobListQuery {
    /// Status classes, comma-separated: `success`, `running`, `warning`, `error`, `missed`.
    pub status: Option<String>,
    /// A Comet DeviceID of the account.
    pub device_id: Option<String>,
    /// A Protected Item id.
    pub item_id: Option<String>,
    /// A Storage Vault id.
    pub vault_id: Option<String>,
    /// Job kinds (Comet classification codes, e.g. `4001` backup), comma-separated.
    pub classification: Option<String>,
    /// Started at or after (unix seconds).
    pub from: Option<i64>,
    /// Started before (unix seconds).
    pub to: Option<i64>,
    /// Text in the device, item or vault name (literal: `%` and `_` are plain characters).
    pub q: Option<String>,
    /// `started` (default), `duration` or `bytes`.
    pub sort: Option<String>,
    /// `desc` (default) or `asc`.
    pub order: Option<String>,
    /// Rows per page, 1–200 (default 50).
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn invalid(field: &'static str, message: &str) -> ApiError {
    ApiError::Invalid { field, message: message.to_string() }
}

fn id_param(v: &Option<String>, field: &'static str) -> Result<Option<String>, ApiError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) if s.len() > MAX_ID => Err(invalid(field, "That id is too long.")),
        Some(s) => Ok(Some(s.to_string())),
    }
}

/// `<sort>.<order>.<value>.<job id>`: the position after the last row of a page, valid only for
/// the same sort.
fn encode_cursor(sort: SortKey, descending: bool, value: i64, job_id: &str) -> String {
    format!("{}.{}.{value}.{job_id}", sort.as_str(), if descending { "d" } else { "a" })
}

fn decode_cursor(cursor: &str, sort: SortKey, descending: bool) -> Result<(i64, String), ApiError> {
    let bad = || invalid("cursor", "The page position is not valid for this order; start from the first page.");
    let mut parts = cursor.splitn(4, '.');
    let (s, o, v, id) = (parts.next(), parts.next(), parts.next(), parts.next());
    if s != Some(sort.as_str()) || o != Some(if descending { "d" } else { "a" }) {
        return Err(bad());
    }
    let value: i64 = v.and_then(|v| v.parse().ok()).ok_or_else(bad)?;
    let id = id.filter(|id| !id.is_empty() && id.len() <= MAX_ID).ok_or_else(bad)?;
    Ok((value, id.to_string()))
}

fn filter_of(service: &Service, q: &JobListQuery) -> Result<JobFilter, ApiError> {
    let classes: Vec<String> =
        q.status.as_deref().unwrap_or("").split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect();
    if let Some(bad) = classes.iter().find(|c| class_predicate(c).is_none()) {
        return Err(ApiError::Invalid { field: "status", message: format!("Unknown status class {bad:?}.") });
    }
    let mut classifications = Vec::new();
    for c in q.classification.as_deref().unwrap_or("").split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let code: i64 =
            c.parse().ok().filter(|c| (0..=32767).contains(c)).ok_or_else(|| invalid("classification", "Unknown job kind."))?;
        classifications.push(code);
    }
    let sort = match q.sort.as_deref() {
        None | Some("") => SortKey::Started,
        Some(s) => SortKey::parse(s).ok_or_else(|| invalid("sort", "Sort by started, duration or bytes."))?,
    };
    let descending = match q.order.as_deref() {
        None | Some("") | Some("desc") => true,
        Some("asc") => false,
        Some(_) => return Err(invalid("order", "Order is asc or desc.")),
    };
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::Invalid { field: "limit", message: format!("Ask for 1 to {MAX_LIMIT} jobs per page.") });
    }
    if let (Some(from), Some(to)) = (q.from, q.to)
        && from >= to
    {
        return Err(invalid("to", "The end of the date range must be after its start."));
    }
    let search = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    if search.as_ref().is_some_and(|s| s.chars().count() > MAX_TEXT) {
        return Err(invalid("q", "The search text is too long."));
    }
    let after = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(decode_cursor(c, sort, descending)?),
    };
    Ok(JobFilter {
        profile: service.profile.clone(),
        username: service.username.clone(),
        classes,
        device_id: id_param(&q.device_id, "device_id")?,
        item_id: id_param(&q.item_id, "item_id")?,
        vault_id: id_param(&q.vault_id, "vault_id")?,
        classifications,
        from: q.from,
        to: q.to,
        search,
        sort,
        descending,
        after,
        limit,
    })
}

/// The account's jobs across all its devices, newest first unless asked otherwise; running jobs
/// carry their live progress. Served from our tables alone (no Comet call).
#[utoipa::path(
    get,
    path = "/services/{id}/jobs",
    operation_id = "jobs.list",
    tag = "jobs",
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)"), JobListQuery),
    responses((status = 200, description = "One page of jobs", body = JobPage), Authenticated, Scoped, Queried),
    security(("bearer" = []))
)]
pub async fn list_jobs(
    State(state): State<AppState>,
    scoped: ScopedService,
    ApiQuery(query): ApiQuery<JobListQuery>,
) -> Result<Json<JobPage>, ApiError> {
    let service = &scoped.service;
    let filter = filter_of(service, &query)?;
    let mut rows = job_list::list(&state.db, &filter).await?;
    let more = rows.len() > filter.limit as usize;
    rows.truncate(filter.limit as usize);
    let next_cursor =
        if more { rows.last().map(|r| encode_cursor(filter.sort, filter.descending, r.sort_value, &r.job_id)) } else { None };
    let running: Vec<&str> = rows.iter().filter(|r| r.status_class() == "running").map(|r| r.job_id.as_str()).collect();
    let progress = job_list::live_progress(&state.db, &service.profile, &service.username, &running).await?;
    let now = chrono::Utc::now().timestamp();
    let jobs = rows
        .into_iter()
        .map(|r| {
            let p = progress.iter().find(|p| p.job_id == r.job_id).cloned();
            let row = JobRow::from_listed(r, now);
            match p {
                Some(p) if row.status_class == "running" => row.with_progress(&p),
                _ => row,
            }
        })
        .collect();
    let filters = if filter.after.is_none() {
        let (devices, items, vaults) = job_list::filter_choices(&state.db, &service.profile, &service.username).await?;
        Some(JobFilters::new(devices, items, vaults))
    } else {
        None
    };
    Ok(Json(JobPage { jobs, next_cursor, filters }))
}

/// A job id as the browser sends it: anything empty or over-long names no job.
fn checked_job_id(job_id: &str) -> Result<&str, ApiError> {
    if job_id.is_empty() || job_id.len() > MAX_ID {
        return Err(ApiError::NotFound("That job"));
    }
    Ok(job_id)
}

/// The service's job `job_id` from our tables (history, then the live tables), else from Comet
/// when Comet says it is the account's; 404 otherwise. Comet's answer comes along when it was
/// asked.
async fn find_job(
    state: &AppState,
    service: &Service,
    comet: &AccountComet,
    job_id: &str,
) -> Result<(JobRow, Option<comet::BackupJobDetail>), ApiError> {
    let now = chrono::Utc::now().timestamp();
    if let Some(listed) = job_list::one(&state.db, &service.profile, &service.username, job_id).await? {
        let mut row = JobRow::from_listed(listed, now);
        if row.status_class == "running"
            && let Some(p) =
                job_list::live_progress(&state.db, &service.profile, &service.username, &[job_id]).await?.into_iter().next()
        {
            row = row.with_progress(&p);
        }
        return Ok((row, None));
    }
    if let Some(listed) = job_list::from_live_tables(&state.db, &service.profile, &service.username, job_id).await? {
        return Ok((JobRow::from_listed(listed, now), None));
    }
    match comet.job(job_id).await? {
        Some(detail) => Ok((JobRow::from_comet(&detail, now), Some(detail))),
        None => Err(ApiError::NotFound("That job")),
    }
}

/// One job of the account; while it runs, Comet is asked for its live progress.
#[utoipa::path(
    get,
    path = "/services/{id}/jobs/{job_id}",
    operation_id = "jobs.get",
    tag = "jobs",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("job_id" = String, Path, description = "A job of the service's account"),
    ),
    responses(
        (status = 200, description = "The job", body = JobDetail),
        (status = 502, description = "`upstream`: Comet could not be asked about a job our tables do not hold"),
        Authenticated, Scoped, Limited
    ),
    security(("bearer" = []))
)]
pub async fn job_detail(
    State(state): State<AppState>,
    scoped: ScopedService,
    _limit: Limit<class::Browse>,
    path: Path<(String, String)>,
) -> Result<Json<JobDetail>, ApiError> {
    let (_, job_id) = path.0;
    let job_id = checked_job_id(&job_id)?;
    let comet = state.comet.account(&scoped);
    let service = &scoped.service;
    let (mut row, mut detail) = match &comet {
        Ok(c) => find_job(&state, service, c, job_id).await?,
        Err(_) => stored_only(&state, service, job_id).await?,
    };
    if row.status_class == "running"
        && detail.is_none()
        && let Ok(c) = &comet
    {
        // Best effort: the stored row is shown when Comet cannot be asked.
        match c.job(job_id).await {
            Ok(Some(d)) => {
                let fresh = JobRow::from_comet(&d, chrono::Utc::now().timestamp());
                row = JobRow { device_name: row.device_name, item_name: row.item_name, vault_name: row.vault_name, ..fresh };
                detail = Some(d);
            }
            Ok(None) => {}
            Err(e) => tracing::info!(error = %e, "live progress unavailable; answering from our tables"),
        }
    }
    let progress = detail.as_ref().and_then(|d| d.progress.as_ref()).filter(|_| row.status_class == "running");
    Ok(Json(JobDetail {
        cancellable: row.status_class == "running",
        items_done: progress.map(|p| p.items_done),
        items_total: progress.map(|p| p.items_total),
        job: row,
    }))
}

/// [`find_job`] without Comet (the profile has no client): our tables only.
async fn stored_only(
    state: &AppState,
    service: &Service,
    job_id: &str,
) -> Result<(JobRow, Option<comet::BackupJobDetail>), ApiError> {
    let now = chrono::Utc::now().timestamp();
    if let Some(listed) = job_list::one(&state.db, &service.profile, &service.username, job_id).await? {
        return Ok((JobRow::from_listed(listed, now), None));
    }
    if let Some(listed) = job_list::from_live_tables(&state.db, &service.profile, &service.username, job_id).await? {
        return Ok((JobRow::from_listed(listed, now), None));
    }
    Err(ApiError::NotFound("That job"))
}

/// The log's query string.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobLogQuery {
    /// Lowest severity shown: `I` (everything), `W` (warnings and errors) or `E` (errors).
    pub severity: Option<String>,
    /// Text the message contains (as Comet matches it: exact case).
    pub q: Option<String>,
}

const LOG_GONE: &str = "The backup server no longer holds this job's log.";

/// The job's log from Comet, filtered by lowest severity and text on the server, with the index of
/// the first error.
#[utoipa::path(
    get,
    path = "/services/{id}/jobs/{job_id}/log",
    operation_id = "jobs.log",
    tag = "jobs",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("job_id" = String, Path, description = "A job of the service's account"),
        JobLogQuery
    ),
    responses(
        (status = 200, description = "The log entries", body = JobLog),
        (status = 502, description = "`upstream`: Comet could not be reached"),
        Authenticated, Scoped, Queried, Limited
    ),
    security(("bearer" = []))
)]
pub async fn job_log(
    State(state): State<AppState>,
    scoped: ScopedService,
    _limit: Limit<class::Browse>,
    path: Path<(String, String)>,
    ApiQuery(query): ApiQuery<JobLogQuery>,
) -> Result<Json<JobLog>, ApiError> {
    let (_, job_id) = path.0;
    let job_id = checked_job_id(&job_id)?;
    let severity = match query.severity.as_deref().map(str::trim) {
        None | Some("") | Some("I") => None,
        Some(s @ ("W" | "E")) => Some(s.to_string()),
        Some(_) => return Err(invalid("severity", "Severity is I, W or E.")),
    };
    let text = query.q.as_deref().filter(|s| !s.is_empty());
    if text.is_some_and(|s| s.chars().count() > MAX_TEXT) {
        return Err(invalid("q", "The search text is too long."));
    }
    let comet = state.comet.account(&scoped);
    let service = &scoped.service;
    let comet = match comet {
        Ok(c) => c,
        Err(e) => {
            stored_only(&state, service, job_id).await?;
            return Err(e);
        }
    };
    let (row, _) = find_job(&state, service, &comet, job_id).await?;
    let entries = comet.job_log_entries(&row.job_id, severity.as_deref(), text).await?;
    let Some(entries) = entries else {
        return Ok(Json(JobLog {
            job_id: row.job_id,
            available: false,
            message: Some(LOG_GONE.into()),
            entries: Vec::new(),
            first_error: None,
            truncated: false,
        }));
    };
    let truncated = entries.len() > MAX_LOG_ENTRIES;
    let entries: Vec<LogEntry> = entries
        .into_iter()
        .take(MAX_LOG_ENTRIES)
        .map(|e| LogEntry { time: e.time, severity: e.severity, message: e.message })
        .collect();
    let first_error = entries.iter().position(|e| e.severity == "E");
    Ok(Json(JobLog { job_id: row.job_id, available: true, message: None, entries, first_error, truncated }))
}

/// A file-name-safe form of a job id.
fn file_name(job_id: &str) -> String {
    let safe: String = job_id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(64).collect();
    format!("job-{safe}.log")
}

/// The whole log as a text file (`Content-Disposition: attachment`).
#[utoipa::path(
    get,
    path = "/services/{id}/jobs/{job_id}/log.txt",
    operation_id = "jobs.log_download",
    tag = "jobs",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("job_id" = String, Path, description = "A job of the service's account"),
    ),
    responses(
        (status = 200, description = "The log as plain text", body = String, content_type = "text/plain"),
        (status = 502, description = "`upstream`: Comet could not be reached"),
        Authenticated, Scoped, Limited
    ),
    security(("bearer" = []))
)]
pub async fn job_log_text(
    State(state): State<AppState>,
    scoped: ScopedService,
    _limit: Limit<class::LogDownload>,
    path: Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (_, job_id) = path.0;
    let job_id = checked_job_id(&job_id)?;
    let service = &scoped.service;
    let comet = match state.comet.account(&scoped) {
        Ok(c) => c,
        Err(e) => {
            stored_only(&state, service, job_id).await?;
            return Err(e);
        }
    };
    let (row, _) = find_job(&state, service, &comet, job_id).await?;
    let text = comet.job_log_text(&row.job_id).await?.unwrap_or_else(|| format!("{LOG_GONE}\n"));
    let disposition = format!("attachment; filename=\"{}\"", file_name(&row.job_id));
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)], text)
        .into_response())
}

/// Asks the device to cancel a running job. The answer says the cancel was requested; the job
/// ends (and the stream says so) when the device confirms. A job that has already ended is left
/// as it is.
#[utoipa::path(
    post,
    path = "/services/{id}/jobs/{job_id}/cancel",
    operation_id = "jobs.cancel",
    tag = "jobs",
    params(
        ("id" = i64, Path, description = "WHMCS service id (one of the token client's)"),
        ("job_id" = String, Path, description = "A job of the service's account"),
    ),
    responses(
        (status = 200, description = "Cancel requested (or the job had already ended)", body = CancelAnswer),
        (status = 502, description = "`upstream`: Comet or the device refused or could not be reached"),
        Authenticated, Scoped, Write, Limited
    ),
    security(("bearer" = []))
)]
pub async fn cancel_job(
    State(state): State<AppState>,
    writable: WritableService,
    audit: AuditNote,
    _limit: Limit<class::CheapWrite>,
    path: Path<(String, String)>,
) -> Result<Json<CancelAnswer>, ApiError> {
    let (_, job_id) = path.0;
    let job_id = checked_job_id(&job_id)?;
    audit.set_target(job_id.chars().take(MAX_ID).collect::<String>());
    let scoped = writable.scoped();
    let service = &scoped.service;
    let comet = match state.comet.account(&scoped) {
        Ok(c) => c,
        Err(e) => {
            stored_only(&state, service, job_id).await?;
            return Err(e);
        }
    };
    let (row, _) = find_job(&state, service, &comet, job_id).await?;
    let now = chrono::Utc::now().timestamp();
    let answer = if row.status_class != "running" {
        CancelAnswer { job_id: row.job_id, state: "already_finished".into(), message: "This job has already finished.".into() }
    } else {
        comet.job_cancel(&row.job_id).await?;
        CancelAnswer {
            job_id: row.job_id,
            state: "cancel_requested".into(),
            message: "Cancel requested. The job stops when the device confirms.".into(),
        }
    };
    let mut tx = events::begin(&state.db).await?;
    audit.ok_in(&mut tx, Some(&answer.state), now).await?;
    tx.commit().await?;
    Ok(Json(answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_another_order() {
        let c = encode_cursor(SortKey::Bytes, true, 42, "a.b-c");
        assert_eq!(decode_cursor(&c, SortKey::Bytes, true).unwrap(), (42, "a.b-c".to_string()));
        assert!(decode_cursor(&c, SortKey::Started, true).is_err());
        assert!(decode_cursor(&c, SortKey::Bytes, false).is_err());
        assert!(decode_cursor("bytes.d.x.id", SortKey::Bytes, true).is_err());
        assert!(decode_cursor("bytes.d.1.", SortKey::Bytes, true).is_err());
    }

    #[test]
    fn download_names_are_safe() {
        assert_eq!(file_name("ab-12\"\r\n/../x"), "job-ab-12x.log");
    }
}
