//! The Comet HTTP API (§1, §4, §6.2): `POST` form-encoded, auth fields in the body.
//! `/api/v1/admin/*` takes admin credentials, `/api/v1/user/web/*` end-user credentials
//! (`user_api`), `/api/v1/hybrid/session/start` either.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rand::seq::SliceRandom;
use serde_json::{Map, Value, json};

use crate::core::{Principal, SessionKind, SimCore, SimError, StartJob};
use crate::ops::STORAGE_TEMPLATES;
use crate::shapes::{self, BackupJobDetail, status};
use crate::{browse, search, user_api};

pub(crate) type Form = HashMap<String, String>;
pub(crate) type ApiResult = Result<Reply, SimError>;

/// A successful answer: JSON, plain text (job logs) or a binary download.
pub(crate) enum Reply {
    Json(Value),
    Text(String),
    Download { filename: String, data: Vec<u8> },
}

pub(crate) fn ok_message() -> Reply {
    Reply::Json(shapes::api_message(200, "OK"))
}

/// Admin endpoints (path after `/api/v1/admin/`).
const ADMIN_ENDPOINTS: &[&str] = &[
    "meta/version",
    "account/session-start",
    "account/session-revoke",
    "account/session-start-as-user",
    "account/regenerate-totp",
    "account/validate-totp",
    "list-users",
    "list-users-full",
    "get-user-profile",
    "get-user-profile-and-hash",
    "get-user-profile-hash",
    "set-user-profile",
    "set-user-profile-hash",
    "add-user",
    "delete-user",
    "reset-user-password",
    "disable-user-totp",
    "create-install-token",
    "get-protected-item-with-backup-rules",
    "set-protected-item-with-backup-rules",
    "delete-protected-item",
    "get-job-properties",
    "get-jobs-for-date-range",
    "get-jobs-for-user",
    "get-jobs-recent",
    "get-jobs-all",
    "get-jobs-for-custom-search",
    "count-jobs-for-custom-search",
    "get-job-log",
    "get-job-log-entries",
    "job/cancel",
    "job/abandon",
    "revoke-device",
    "dispatcher/list-active",
    "dispatcher/run-backup",
    "dispatcher/run-backup-custom",
    "dispatcher/run-restore",
    "dispatcher/run-restore-custom",
    "dispatcher/request-vault-snapshots",
    "dispatcher/request-stored-objects",
    "dispatcher/search-snapshots",
    "dispatcher/request-filesystem-objects",
    "dispatcher/request-browse-disk-drives",
    "dispatcher/delete-snapshot",
    "dispatcher/delete-snapshots",
    "dispatcher/apply-retention-rules",
    "dispatcher/reindex-storage-vault",
    "dispatcher/deepverify-storage-vault",
    "dispatcher/unlock",
    "dispatcher/update-software",
    "dispatcher/uninstall-software",
    "dispatcher/drop-connection",
    "dispatcher/kill-process",
    "dispatcher/force-login",
    "dispatcher/refetch-profile",
    "dispatcher/update-login-password",
    "request-storage-vault-providers",
    "request-storage-vault",
    "branding/available-platforms",
    "branding/generate-client/by-platform",
    "preview-user-email-report",
    "policies/list",
    "policies/get",
    "news/get-all",
];

const HYBRID_SESSION_START: &str = "/api/v1/hybrid/session/start";

/// Which API family a path belongs to, or `None` when the simulator does not implement it.
enum Family<'a> {
    Admin(&'a str),
    User(&'a str),
    Hybrid,
}

fn family(path: &str) -> Option<Family<'_>> {
    if let Some(ep) = path.strip_prefix("/api/v1/admin/") {
        return ADMIN_ENDPOINTS.contains(&ep).then_some(Family::Admin(ep));
    }
    if let Some(ep) = path.strip_prefix("/api/v1/user/web/") {
        return user_api::ENDPOINTS.contains(&ep).then_some(Family::User(ep));
    }
    (path == HYBRID_SESSION_START).then_some(Family::Hybrid)
}

/// Entry point for every `/api/v1/…` request except the event stream.
pub async fn handle(State(sim): State<Arc<SimCore>>, uri: Uri, body: Bytes) -> Response {
    let path = uri.path().to_string();
    let faults = sim.faults();
    if faults.slow_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.slow_ms)).await;
    }
    if sim.take_http_5xx() {
        return (StatusCode::SERVICE_UNAVAILABLE, "503 Service Unavailable (simulated)").into_response();
    }
    let mirror = faults.mirror_http_status;
    let Some(fam) = family(&path) else {
        return error_response(mirror, 501, &format!("not implemented by simulator: {path}"));
    };
    let form: Form = url::form_urlencoded::parse(&body).into_owned().collect();
    let creds = (
        field(&form, "Username"),
        field(&form, "AuthType"),
        field(&form, "Password"),
        field(&form, "SessionKey"),
        field(&form, "TOTP"),
    );
    let result = match fam {
        Family::Admin(ep) => sim
            .authenticate_admin(creds.0, creds.1, creds.2, creds.3, creds.4, &path)
            .and_then(|who| dispatch_admin(&sim, ep, &who, &form)),
        Family::User(ep) => sim
            .authenticate_user(creds.0, creds.1, creds.2, creds.3, creds.4, &path)
            .and_then(|who| user_api::dispatch(&sim, ep, &who, &form)),
        Family::Hybrid => sim
            .authenticate_hybrid(creds.0, creds.1, creds.2, creds.3, creds.4, &path)
            .map(|who| session_reply(&sim, &who.username, who.kind)),
    };
    match result {
        Ok(reply) => reply_response(reply),
        Err(e) => error_response(mirror, e.status(), &e.to_string()),
    }
}

fn reply_response(reply: Reply) -> Response {
    match reply {
        Reply::Json(v) => (StatusCode::OK, axum::Json(v)).into_response(),
        Reply::Text(t) => {
            let mut r = (StatusCode::OK, t).into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
            r
        }
        Reply::Download { filename, data } => {
            let mut r = (StatusCode::OK, data).into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
    }
}

/// `CometAPIResponseMessage` with HTTP 200, or with the HTTP status mirrored (§6.2 rule 4).
fn error_response(mirror: bool, status: u16, message: &str) -> Response {
    let http = if mirror { StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST) } else { StatusCode::OK };
    (http, axum::Json(shapes::api_message(status, message))).into_response()
}

pub(crate) fn field<'a>(form: &'a Form, name: &str) -> &'a str {
    form.get(name).map(String::as_str).unwrap_or("")
}

/// A present, non-empty optional parameter.
pub(crate) fn optional<'a>(form: &'a Form, name: &str) -> Option<&'a str> {
    form.get(name).map(String::as_str).filter(|s| !s.is_empty())
}

pub(crate) fn required<'a>(form: &'a Form, name: &str) -> Result<&'a str, SimError> {
    form.get(name).map(String::as_str).ok_or_else(|| SimError::BadRequest(format!("missing required parameter {name}")))
}

fn required_int(form: &Form, name: &str) -> Result<i64, SimError> {
    required(form, name)?.trim().parse().map_err(|_| SimError::BadRequest(format!("parameter {name} is not an integer")))
}

/// §6.2 rule 3: booleans accept `true/false/1/0`.
pub(crate) fn required_bool(form: &Form, name: &str) -> Result<bool, SimError> {
    match required(form, name)?.trim() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(SimError::BadRequest(format!("parameter {name} is not a boolean"))),
    }
}

/// An optional JSON parameter that must parse when present.
pub(crate) fn json_param(form: &Form, name: &str) -> Result<Option<Value>, SimError> {
    optional(form, name)
        .map(|s| serde_json::from_str(s).map_err(|_| SimError::BadRequest(format!("{name} is not valid JSON"))))
        .transpose()
}

fn string_list(form: &Form, name: &str) -> Result<Vec<String>, SimError> {
    match json_param(form, name)? {
        Some(Value::Array(a)) => a
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                _ => Err(SimError::BadRequest(format!("{name} must be an array of strings"))),
            })
            .collect(),
        Some(_) => Err(SimError::BadRequest(format!("{name} must be a JSON array"))),
        None => Err(SimError::BadRequest(format!("missing required parameter {name}"))),
    }
}

/// Job arrays are unordered on the real server; shuffling keeps clients honest.
pub(crate) fn job_array(mut jobs: Vec<BackupJobDetail>) -> Reply {
    jobs.shuffle(&mut rand::rng());
    Reply::Json(shapes::go_collection(Value::Array(jobs.iter().map(BackupJobDetail::to_value).collect())))
}

pub(crate) fn session_reply(sim: &SimCore, username: &str, kind: SessionKind) -> Reply {
    let key = sim.start_session_of(username, kind);
    Reply::Json(json!({ "Status": 200, "Message": "OK", "SessionKey": key, "SessionType": kind.as_str() }))
}

/// `TotpRegeneratedResponse`: the secret travels in the `otpauth://` URL (and, on a real
/// server, in the QR code `Image`); `ProfileHash` for end-users only.
pub(crate) fn totp_regenerated(account: &str, secret: &str, profile_hash: Option<&str>) -> Value {
    let mut v = json!({
        "Status": 200, "Message": "OK",
        // A 1×1 PNG: real servers send the QR code of `URL`.
        "Image": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
        "URL": format!("otpauth://totp/eazyBackup:{account}?secret={secret}&issuer=eazyBackup"),
    });
    if let Some(hash) = profile_hash {
        v["ProfileHash"] = json!(hash);
    }
    v
}

pub(crate) fn profile_and_hash_reply(profile: Map<String, Value>, hash: String) -> Reply {
    Reply::Json(json!({ "Status": 200, "Message": "OK", "ProfileHash": hash, "Profile": profile }))
}

/// Job log as plaintext, one line per entry (§6.3 *sim choice* format).
pub(crate) fn job_log_text(sim: &SimCore, id: &str) -> ApiResult {
    let log = sim.job_log(id).ok_or_else(|| SimError::UnknownJob(id.into()))?;
    Ok(Reply::Text(
        log.iter()
            .map(|(t, sev, msg)| {
                let ts = chrono::DateTime::from_timestamp(*t, 0)
                    .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
                    .unwrap_or_default();
                format!("{ts} {sev} {msg}\n")
            })
            .collect(),
    ))
}

/// `JobEntry` array filtered by `MinSeverity` (D < I < W < E) and `MessageContains`.
pub(crate) fn job_log_entries(sim: &SimCore, form: &Form) -> ApiResult {
    let id = required(form, "JobID")?;
    let log = sim.job_log(id).ok_or_else(|| SimError::UnknownJob(id.into()))?;
    let rank = |s: &str| match s {
        "I" => 1,
        "W" => 2,
        "E" => 3,
        _ => 0,
    };
    let min = rank(field(form, "MinSeverity"));
    let contains = field(form, "MessageContains");
    Ok(Reply::Json(shapes::go_collection(Value::Array(
        log.iter()
            .filter(|(_, s, m)| rank(s) >= min && m.contains(contains))
            .map(|(t, s, m)| json!({ "Time": t, "Severity": s, "Message": m }))
            .collect(),
    ))))
}

/// Jobs matching `Query` (a `SearchClause`), optionally of one user only.
pub(crate) fn custom_search(sim: &SimCore, form: &Form, user: Option<&str>) -> Result<Vec<BackupJobDetail>, SimError> {
    let query = search::parse(required(form, "Query")?)?;
    Ok(sim.jobs_where(|j| user.is_none_or(|u| u == j.username) && search::matches(&query, &j.to_value())))
}

fn dispatch_admin(sim: &SimCore, ep: &str, who: &Principal, form: &Form) -> ApiResult {
    let target_user = || -> Result<&str, SimError> {
        let u = required(form, "TargetUser")?;
        sim.check_visible(who, u)?;
        Ok(u)
    };
    match ep {
        "meta/version" => Ok(Reply::Json(sim.meta_version())),
        "account/session-start" => Ok(session_reply(sim, &who.username, SessionKind::Admin)),
        "account/session-revoke" => {
            if field(form, "AuthType") == "SessionKey" {
                sim.revoke_session(&who.username, field(form, "SessionKey"));
            }
            Ok(ok_message())
        }
        "account/session-start-as-user" => Ok(session_reply(sim, target_user()?, SessionKind::User)),
        "account/regenerate-totp" => {
            let secret = sim.regenerate_admin_totp(&who.username);
            Ok(Reply::Json(totp_regenerated(&who.username, &secret, None)))
        }
        "account/validate-totp" => {
            sim.validate_admin_totp(&who.username, required(form, "TOTPCode")?)?;
            Ok(ok_message())
        }
        "list-users" => Ok(Reply::Json(shapes::go_collection(json!(sim.visible_users(who))))),
        "list-users-full" => {
            let visible = sim.visible_users(who);
            let mut all = sim.all_profiles();
            all.retain(|k, _| visible.contains(k));
            Ok(Reply::Json(shapes::go_collection(Value::Object(all))))
        }
        "get-user-profile" => Ok(Reply::Json(Value::Object(sim.profile_and_hash(target_user()?)?.0))),
        "get-user-profile-and-hash" => {
            let (p, h) = sim.profile_and_hash(target_user()?)?;
            Ok(profile_and_hash_reply(p, h))
        }
        "get-user-profile-hash" => {
            let (_, hash) = sim.profile_and_hash(target_user()?)?;
            Ok(Reply::Json(json!({ "Status": 200, "Message": "OK", "ProfileHash": hash })))
        }
        "set-user-profile" => {
            let data = required(form, "ProfileData")?;
            sim.set_profile(&who.username, target_user()?, data, None, None, false)?;
            Ok(ok_message())
        }
        "set-user-profile-hash" => {
            let target = target_user()?;
            let data = required(form, "ProfileData")?;
            let require = required(form, "RequireHash")?;
            let (hash, profile) =
                sim.set_profile(&who.username, target, data, Some(require), optional(form, "AdminOptions"), false)?;
            Ok(profile_and_hash_reply(profile, hash))
        }
        "add-user" => {
            let flag = |n: &str| field(form, n).trim() == "1";
            sim.add_user(
                who,
                required(form, "TargetUser")?,
                required(form, "TargetPassword")?,
                flag("StoreRecoveryCode"),
                flag("RequirePasswordChange"),
                field(form, "TargetOrganization"),
            )?;
            Ok(ok_message())
        }
        "delete-user" => {
            json_param(form, "UninstallConfig")?;
            sim.delete_user(who, required(form, "TargetUser")?)?;
            Ok(ok_message())
        }
        "reset-user-password" => {
            sim.admin_reset_password(
                who,
                required(form, "TargetUser")?,
                required(form, "NewPassword")?,
                form.get("OldPassword").map(String::as_str),
            )?;
            Ok(ok_message())
        }
        "disable-user-totp" => {
            sim.disable_totp(who, required(form, "TargetUser")?)?;
            Ok(ok_message())
        }
        "create-install-token" => {
            let token = sim.install_token(
                target_user()?,
                required(form, "TargetPassword")?,
                optional(form, "Server").unwrap_or("https://csw.eazybackup.ca/"),
            )?;
            Ok(Reply::Json(json!({ "Status": 200, "Message": "OK", "InstallToken": token })))
        }
        "get-protected-item-with-backup-rules" => protected_item_reply(sim, target_user()?, required(form, "SourceID")?),
        "set-protected-item-with-backup-rules" => set_protected_item(sim, &who.username, target_user()?, form, false),
        "delete-protected-item" => {
            sim.delete_protected_item(&who.username, target_user()?, required(form, "SourceID")?, false)?;
            Ok(ok_message())
        }
        "get-job-properties" => {
            let id = required(form, "JobID")?;
            let job = sim.job(id).ok_or_else(|| SimError::UnknownJob(id.into()))?;
            Ok(Reply::Json(job.to_value()))
        }
        "get-jobs-for-date-range" => {
            let (mut start, mut end) = (required_int(form, "Start")?, required_int(form, "End")?);
            if start > end {
                std::mem::swap(&mut start, &mut end);
            }
            let in_range = |t: i64| t >= start && t <= end;
            if start == 0 && end == 0 {
                Ok(job_array(sim.jobs_where(|j| j.end_time == 0)))
            } else {
                Ok(job_array(sim.jobs_where(|j| in_range(j.start_time) || in_range(j.end_time))))
            }
        }
        "get-jobs-for-user" => {
            let user = target_user()?;
            Ok(job_array(sim.jobs_where(|j| j.username == user)))
        }
        "get-jobs-recent" => {
            // sim choice (§6.3): incomplete jobs plus those that ended in the last 24 h.
            let since = sim.now() - 86_400;
            Ok(job_array(sim.jobs_where(|j| j.end_time == 0 || j.end_time >= since)))
        }
        "get-jobs-all" => Ok(job_array(sim.jobs_where(|_| true))),
        "get-jobs-for-custom-search" => Ok(job_array(custom_search(sim, form, None)?)),
        "count-jobs-for-custom-search" => {
            let n = custom_search(sim, form, None)?.len();
            Ok(Reply::Json(json!({ "Count": n })))
        }
        "get-job-log" => job_log_text(sim, required(form, "JobID")?),
        "get-job-log-entries" => job_log_entries(sim, form),
        "job/cancel" => {
            sim.cancel_job(target_user()?, required(form, "JobID")?)?;
            Ok(ok_message())
        }
        "job/abandon" => {
            sim.abandon_job(target_user()?, required(form, "JobID")?)?;
            Ok(ok_message())
        }
        "revoke-device" => {
            sim.revoke_device(&who.username, target_user()?, required(form, "TargetDevice")?)?;
            Ok(ok_message())
        }
        "dispatcher/list-active" => {
            let filter = optional(form, "UserNameFilter");
            Ok(Reply::Json(shapes::go_collection(Value::Object(sim.live_connections(filter)))))
        }
        "request-storage-vault-providers" => Ok(Reply::Json(storage_providers())),
        "request-storage-vault" => {
            let (id, hash) = sim.request_storage_vault(
                &who.username,
                target_user()?,
                required(form, "StorageProvider")?,
                optional(form, "DeviceID"),
                optional(form, "ProfileHash"),
                false,
            )?;
            storage_vault_reply(sim, required(form, "TargetUser")?, id, hash)
        }
        "branding/available-platforms" => Ok(Reply::Json(available_platforms())),
        "branding/generate-client/by-platform" => generate_client(form),
        "preview-user-email-report" => email_report_preview(sim, target_user()?, form),
        "policies/list" => {
            let st = sim.lock();
            let list: Map<String, Value> = st
                .policies
                .iter()
                .filter(|(_, p)| who.sees_org(p["OrganizationID"].as_str().unwrap_or("")))
                .map(|(id, p)| (id.clone(), p["Description"].clone()))
                .collect();
            Ok(Reply::Json(shapes::go_collection(Value::Object(list))))
        }
        "policies/get" => {
            let id = required(form, "PolicyID")?;
            let st = sim.lock();
            let policy = st.policies.get(id).cloned().ok_or_else(|| SimError::BadRequest(format!("no such policy: {id}")))?;
            let hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(policy.to_string()));
            Ok(Reply::Json(json!({ "Status": 200, "Message": "OK", "Policy": policy, "PolicyHash": hash })))
        }
        "news/get-all" => Ok(Reply::Json(news(sim.now(), |org| who.sees_org(org)))),
        other => dispatcher(sim, other, None, form),
    }
}

/// The dispatcher actions shared by admins and end-users (`owner` = the end-user, whose own
/// devices alone are reachable). Job-starting admin calls answer `DispatchWithJobIDResponse`;
/// the end-user wrapper strips `JobID`.
pub(crate) fn dispatcher(sim: &SimCore, ep: &str, owner: Option<&str>, form: &Form) -> ApiResult {
    let target = || sim.live_target(required(form, "TargetID")?, owner);
    let vault_job = |class: u64, dest_param: &str| -> ApiResult {
        let t = target()?;
        let dest = required(form, dest_param)?;
        sim.require_vault(&t.username, dest)?;
        start_op(sim, &t, class, None, Some(dest), Vec::new())
    };
    match ep {
        "dispatcher/run-backup" => {
            let t = target()?;
            let rule_id = required(form, "BackupRule")?;
            let rule = sim.backup_rule(&t.username, rule_id)?;
            let source = rule["Source"].as_str().unwrap_or_default().to_string();
            let dest = rule["Destination"].as_str().unwrap_or_default().to_string();
            owned_source(sim, &t, &source)?;
            let job = StartJob {
                source_id: Some(source),
                destination_id: Some(dest),
                backup_rule: Some(rule_id.to_string()),
                skip_already_running: rule["SkipAlreadyRunning"].as_bool() == Some(true),
                ..base_job(sim, &t, shapes::CLASSIFICATION_BACKUP)
            };
            job_reply(sim, &t, &job).map(|(_, reply)| reply)
        }
        "dispatcher/run-backup-custom" => {
            let t = target()?;
            let source = required(form, "Source")?;
            let dest = required(form, "Destination")?;
            json_param(form, "Options")?;
            owned_source(sim, &t, source)?;
            sim.require_vault(&t.username, dest)?;
            let job = StartJob {
                source_id: Some(source.into()),
                destination_id: Some(dest.into()),
                ..base_job(sim, &t, shapes::CLASSIFICATION_BACKUP)
            };
            job_reply(sim, &t, &job).map(|(_, reply)| reply)
        }
        "dispatcher/run-restore" | "dispatcher/run-restore-custom" => {
            let t = target()?;
            let source = required(form, "Source")?;
            let dest = required(form, "Destination")?;
            let options = if ep.ends_with("custom") {
                let Some(options) = json_param(form, "Options")? else {
                    return Err(SimError::BadRequest("missing required parameter Options".into()));
                };
                check_restore_options(&options)?;
                options
            } else {
                // The plain call restores files to `Path` (blank: the original location).
                let path = required(form, "Path")?;
                json!({ "Type": 0, "DestIsOriginalLocation": path.is_empty(), "DestPath": path })
            };
            let paths = if optional(form, "Paths").is_some() { string_list(form, "Paths")? } else { Vec::new() };
            sim.require_vault(&t.username, dest)?;
            let snaps: Vec<_> = sim.snapshots(dest).into_iter().filter(|s| s.source == source).collect();
            let snapshot = match optional(form, "Snapshot") {
                Some(id) if !snaps.iter().any(|s| s.id == id) => {
                    return Err(SimError::BadRequest(format!("no such snapshot: {id}")));
                }
                Some(id) => id.to_string(),
                None => match snaps.last() {
                    Some(s) => s.id.clone(),
                    None => return Err(SimError::BadRequest("no snapshot of this Protected Item in this vault".into())),
                },
            };
            let job = StartJob {
                source_id: Some(source.into()),
                destination_id: Some(dest.into()),
                ..base_job(sim, &t, shapes::CLASSIFICATION_RESTORE)
            };
            let (guid, reply) = job_reply(sim, &t, &job)?;
            sim.lock().restores.push(json!({
                "JobID": guid,
                "Username": t.username,
                "TargetDevice": t.device_id,
                "Source": source,
                "Destination": dest,
                "Snapshot": snapshot,
                "Paths": paths,
                "Options": options,
                "Endpoint": ep,
            }));
            Ok(reply)
        }
        "dispatcher/request-vault-snapshots" => {
            let t = target()?;
            let dest = required(form, "Destination")?;
            sim.require_vault(&t.username, dest)?;
            let snaps: Vec<Value> = sim
                .snapshots(dest)
                .iter()
                .map(|s| {
                    let mut v = json!({
                        "Snapshot": s.id, "EngineType": s.engine, "Source": s.source,
                        "CreateTime": s.create_time, "HasOriginalPathInfo": true,
                    });
                    if !s.tags.is_empty() {
                        v["Tags"] = json!(s.tags);
                    }
                    v
                })
                .collect();
            Ok(Reply::Json(json!({ "Status": 200, "Message": "OK", "Snapshots": shapes::go_collection(json!(snaps)) })))
        }
        "dispatcher/request-stored-objects" => {
            let t = target()?;
            needs_filenames(&t)?;
            let dest = required(form, "Destination")?;
            sim.require_vault(&t.username, dest)?;
            json_param(form, "Options")?;
            let snap = sim.snapshot(dest, required(form, "SnapshotID")?)?;
            let objects = browse::stored_objects(&snap.id, &snap.source, snap.create_time, optional(form, "TreeID"))?;
            Ok(Reply::Json(json!({ "Status": 200, "Message": "OK", "StoredObjects": objects })))
        }
        "dispatcher/search-snapshots" => {
            let t = target()?;
            needs_filenames(&t)?;
            let dest = required(form, "DestinationID")?;
            sim.require_vault(&t.username, dest)?;
            let ids = string_list(form, "SnapshotIDs")?;
            let filter = crate::search::parse(required(form, "Filter")?)?;
            let mut found = Map::new();
            for id in &ids {
                let snap = sim.snapshot(dest, id)?;
                let hits: Vec<Value> = browse::walk_snapshot(&snap.source, snap.create_time)
                    .into_iter()
                    .filter(|f| crate::search::matches_file(&filter, f))
                    .collect();
                found.insert(id.clone(), Value::Array(hits));
            }
            Ok(Reply::Json(json!({ "Status": 200, "Message": "OK", "SnapshotFiles": found })))
        }
        "dispatcher/request-filesystem-objects" | "request-filesystem-objects" => {
            let t = target()?;
            needs_filenames(&t)?;
            let objects = browse::filesystem_objects(&t.device_id, &t.os, field(form, "Path"), sim.now());
            Ok(Reply::Json(json!({ "Status": 200, "Message": "OK", "StoredObjects": objects })))
        }
        "dispatcher/request-browse-disk-drives" => {
            let t = target()?;
            Ok(Reply::Json(json!({
                "Status": 200, "Message": "OK", "Disks": browse::disk_drives(&t.device_id, &t.os),
            })))
        }
        "dispatcher/delete-snapshot" | "dispatcher/delete-snapshots" => {
            let t = target()?;
            let dest = required(form, "DestinationID")?;
            sim.require_vault(&t.username, dest)?;
            if owner.is_some()
                && sim.profile_value(&t.username, "/Policy/PreventDeleteSingleSnapshots").and_then(|v| v.as_bool()) == Some(true)
            {
                return Err(SimError::Forbidden(
                    "deleting snapshots is not allowed by policy (PreventDeleteSingleSnapshots)".into(),
                ));
            }
            let ids = if ep.ends_with('s') {
                string_list(form, "SnapshotIDs")?
            } else {
                vec![required(form, "SnapshotID")?.to_string()]
            };
            for id in &ids {
                sim.snapshot(dest, id)?;
            }
            start_op(sim, &t, shapes::CLASSIFICATION_DELETE_CUSTOM, None, Some(dest), ids)
        }
        "dispatcher/apply-retention-rules" => vault_job(shapes::CLASSIFICATION_RETENTION, "Destination"),
        "dispatcher/reindex-storage-vault" => vault_job(shapes::CLASSIFICATION_REINDEX, "Destination"),
        "dispatcher/deepverify-storage-vault" => vault_job(shapes::CLASSIFICATION_DEEPVERIFY, "Destination"),
        "dispatcher/unlock" => {
            if optional(form, "AllowUnsafe").is_some() {
                required_bool(form, "AllowUnsafe")?;
            }
            vault_job(shapes::CLASSIFICATION_UNLOCK, "Destination")
        }
        "dispatcher/update-software" => {
            let t = target()?;
            start_op(sim, &t, shapes::CLASSIFICATION_UPDATE, None, None, Vec::new())
        }
        "dispatcher/uninstall-software" => {
            let t = target()?;
            required_bool(form, "RemoveConfigFile")?;
            start_op(sim, &t, shapes::CLASSIFICATION_UNINSTALL, None, None, Vec::new())
        }
        "dispatcher/drop-connection" => {
            let t = target()?;
            sim.drop_connection(&t.username, &t.device_id);
            Ok(ok_message())
        }
        "dispatcher/kill-process" | "dispatcher/force-login" => {
            let t = target()?;
            sim.disconnect_for_good(&t.username, &t.device_id);
            Ok(ok_message())
        }
        "dispatcher/refetch-profile" => {
            target()?;
            Ok(ok_message())
        }
        "dispatcher/update-login-password" => {
            target()?;
            if required(form, "NewPassword")?.is_empty() {
                return Err(SimError::BadRequest("NewPassword must not be empty".into()));
            }
            Ok(ok_message())
        }
        other => Err(SimError::BadRequest(format!("not implemented by simulator: {other}"))),
    }
}

fn needs_filenames(t: &crate::ops::LiveTarget) -> Result<(), SimError> {
    if t.allows_filenames {
        Ok(())
    } else {
        Err(SimError::Forbidden("the device does not allow the server to view file names".into()))
    }
}

fn owned_source(sim: &SimCore, t: &crate::ops::LiveTarget, source: &str) -> Result<(), SimError> {
    let owner = sim
        .profile_value(&t.username, &format!("/Sources/{source}/OwnerDevice"))
        .ok_or_else(|| SimError::BadRequest(format!("no such Protected Item: {source}")))?;
    if owner.as_str() != Some(t.device_id.as_str()) {
        return Err(SimError::BadRequest("the Protected Item belongs to another device".into()));
    }
    Ok(())
}

fn base_job(sim: &SimCore, t: &crate::ops::LiveTarget, classification: u64) -> StartJob {
    let quick = classification != shapes::CLASSIFICATION_BACKUP && classification != shapes::CLASSIFICATION_RESTORE;
    StartJob {
        device_id: Some(t.device_id.clone()),
        classification,
        // Maintenance jobs are short; data jobs take the configured duration.
        duration_secs: if quick { 3.0 } else { sim.cfg.job_duration_secs },
        ..StartJob::new(&t.username, 0.0, status::SUCCESS)
    }
}

/// A maintenance action (retention, reindex, deep verify, unlock, snapshot deletion, client
/// update or uninstall): the device starts a job, but the SDK declares these calls as answering a
/// plain `CometAPIResponseMessage`, so no `JobID` is returned (the job is seen through events and
/// job queries like any other).
fn start_op(
    sim: &SimCore,
    t: &crate::ops::LiveTarget,
    class: u64,
    source: Option<&str>,
    dest: Option<&str>,
    delete: Vec<String>,
) -> ApiResult {
    let job = StartJob {
        source_id: source.map(String::from),
        destination_id: dest.map(String::from),
        delete_snapshots: delete,
        ..base_job(sim, t, class)
    };
    sim.start_job(&job)?;
    Ok(ok_message())
}

/// `DispatchWithJobIDResponse` (the answer of the four run-backup/run-restore calls only): `JobID`
/// only when the device runs 25.9.6 or newer.
fn job_reply(sim: &SimCore, t: &crate::ops::LiveTarget, job: &StartJob) -> Result<(String, Reply), SimError> {
    let guid = sim.start_job(job)?;
    let version = sim
        .profile_value(&t.username, &format!("/Devices/{}/ClientVersion", t.device_id))
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    let reply = Reply::Json(if version_at_least(&version, "25.9.6") {
        json!({ "Status": 200, "Message": "OK", "JobID": guid })
    } else {
        shapes::api_message(200, "OK")
    });
    Ok((guid, reply))
}

/// The rules the SDK states for `RestoreJobAdvancedOptions`: a known `Type`; for files,
/// `DestIsOriginalLocation` needs a blank `DestPath` (and a path is needed otherwise), and the
/// `OverwriteIf*`/`OverwriteForcePermissions` options need `OverwriteExistingFiles`;
/// `ExactDestPaths` is for disk-image restores only; an archive needs a destination file.
fn check_restore_options(o: &Value) -> Result<(), SimError> {
    let bad = |m: &str| Err(SimError::BadRequest(m.to_string()));
    let flag = |k: &str| o.get(k).and_then(Value::as_bool).unwrap_or(false);
    let text = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or("");
    let Some(kind) = o.get("Type").and_then(Value::as_i64) else {
        return bad("Options.Type is missing");
    };
    if !(0..=14).contains(&kind) {
        return bad("Options.Type is not a RESTORETYPE_ constant");
    }
    let exact = o.get("ExactDestPaths").and_then(Value::as_array).is_some_and(|a| !a.is_empty());
    if exact && kind != 4 {
        return bad("ExactDestPaths is for RESTORETYPE_WINDISK only");
    }
    if kind == 0 {
        if flag("DestIsOriginalLocation") && !text("DestPath").is_empty() {
            return bad("DestPath must be blank when DestIsOriginalLocation is set");
        }
        if !flag("DestIsOriginalLocation") && text("DestPath").is_empty() {
            return bad("DestPath is required unless DestIsOriginalLocation is set");
        }
        let needs_overwrite = ["OverwriteIfNewer", "OverwriteIfDifferentContent", "OverwriteForcePermissions"];
        if needs_overwrite.iter().any(|k| flag(k)) && !flag("OverwriteExistingFiles") {
            return bad("the OverwriteIf options need OverwriteExistingFiles");
        }
    }
    if kind == 5 && text("DestPath").is_empty() {
        return bad("DestPath (the archive file) is required for RESTORETYPE_FILE_ARCHIVE");
    }
    Ok(())
}

fn version_at_least(v: &str, min: &str) -> bool {
    let parse = |s: &str| -> Vec<u64> { s.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    parse(v) >= parse(min)
}

pub(crate) fn protected_item_reply(sim: &SimCore, user: &str, source_id: &str) -> ApiResult {
    let (source, rules, hash) = sim.protected_item(user, source_id)?;
    let mut v = json!({ "Status": 200, "Message": "OK", "Source": source, "ProfileHash": hash });
    if !rules.is_empty() {
        v["BackupRules"] = Value::Object(rules);
    }
    Ok(Reply::Json(v))
}

pub(crate) fn set_protected_item(sim: &SimCore, actor: &str, user: &str, form: &Form, as_user: bool) -> ApiResult {
    let rules = match json_param(form, "BackupRules")? {
        Some(Value::Object(m)) => Some(m),
        Some(_) => return Err(SimError::BadRequest("BackupRules must be a JSON object".into())),
        None => None,
    };
    sim.set_protected_item(
        actor,
        user,
        required(form, "SourceID")?,
        optional(form, "RequireHash"),
        json_param(form, "Source")?,
        rules,
        as_user,
    )?;
    Ok(ok_message())
}

pub(crate) fn storage_providers() -> Value {
    Value::Object(STORAGE_TEMPLATES.iter().map(|(id, name, _)| (id.to_string(), json!(name))).collect())
}

pub(crate) fn storage_vault_reply(sim: &SimCore, user: &str, id: String, hash: String) -> ApiResult {
    let (profile, _) = sim.profile_and_hash(user)?;
    Ok(Reply::Json(json!({
        "Status": 200, "Message": "OK", "DestinationID": id, "ProfileHash": hash, "Profile": profile,
    })))
}

/// Platform key → (`AvailableDownload`, file name).
const PLATFORMS: &[(u32, &str, &str, bool, &str)] = &[
    (1, "Windows", "Windows x86_64 (zip)", true, "eazyBackup-25.9.6-x86_64.zip"),
    (2, "Windows", "Windows x86_64 (exe)", false, "eazyBackup-25.9.6-x86_64.exe"),
    (5, "macOS", "macOS arm64 (pkg)", true, "eazyBackup-25.9.6-arm64.pkg"),
    (7, "Linux", "Linux (generic)", false, "eazyBackup-25.9.6.run"),
    (21, "Linux", "Linux (.deb)", true, "eazybackup_25.9.6_amd64.deb"),
];

pub(crate) fn available_platforms() -> Value {
    Value::Object(
        PLATFORMS
            .iter()
            .map(|(k, cat, desc, rec, _)| (k.to_string(), json!({ "Category": cat, "Description": desc, "Recommended": rec })))
            .collect(),
    )
}

fn generate_client(form: &Form) -> ApiResult {
    let platform: u32 = required(form, "Platform")?
        .trim()
        .parse()
        .map_err(|_| SimError::BadRequest("parameter Platform is not an integer".into()))?;
    let (_, _, desc, _, file) =
        PLATFORMS.iter().find(|p| p.0 == platform).ok_or_else(|| SimError::BadRequest(format!("unknown platform {platform}")))?;
    Ok(Reply::Download { filename: file.to_string(), data: format!("SIMULATED INSTALLER: {desc}\n").into_bytes() })
}

/// `EmailReportGeneratedPreview` of AdminPreviewUserEmailReport: the report rendered for the
/// account's jobs of the last day that match its `Filter` (a `SearchClause`).
fn email_report_preview(sim: &SimCore, user: &str, form: &Form) -> ApiResult {
    let report = match json_param(form, "EmailReportConfig")? {
        Some(Value::Object(m)) => m,
        _ => return Err(SimError::BadRequest("missing required parameter EmailReportConfig".into())),
    };
    let kind = match report.get("ReportType").and_then(Value::as_i64).unwrap_or(0) {
        0 => "Immediate",
        1 => "Summary",
        2 => "Grouped status",
        3 => "Recent activity",
        _ => return Err(SimError::BadRequest("unknown ReportType".into())),
    };
    let filter = report.get("Filter").cloned().unwrap_or(Value::Null);
    // Go's zero `SearchClause` (a rule naming no field) is "no filter": every job.
    let text = |k: &str| filter.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let no_children = filter.get("ClauseChildren").is_none_or(|c| c.is_null() || c.as_array().is_some_and(|a| a.is_empty()));
    let zero = text("ClauseType").is_empty() && text("RuleField").is_empty() && no_children;
    let query = if filter.is_null() || zero { None } else { Some(search::parse(&filter.to_string())?) };
    let since = sim.now() - 86_400;
    let jobs = sim.jobs_where(|j| {
        let v = j.to_value();
        j.username == user
            && v.get("StartTime").and_then(Value::as_i64).unwrap_or(0) >= since
            && query.as_ref().is_none_or(|q| search::matches(q, &v))
    });
    let (profile, _) = sim.profile_and_hash(user)?;
    let to: Vec<String> = match optional(form, "EmailAddress") {
        Some(a) => vec![a.to_string()],
        None => profile
            .get("Emails")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect(),
    };
    let subject = format!("{kind} backup report for {user}: {} job(s)", jobs.len());
    let lines: Vec<String> = jobs
        .iter()
        .map(|j| {
            let v = j.to_value();
            format!(
                "{} status {}",
                v.get("GUID").and_then(Value::as_str).unwrap_or(""),
                v.get("Status").and_then(Value::as_u64).unwrap_or(0)
            )
        })
        .collect();
    let text = format!("{subject}\n\n{}\n", lines.join("\n"));
    Ok(Reply::Json(json!({
        "Status": 200, "Message": "OK",
        "From": "reports@simulator.invalid",
        "To": to,
        "EmailSubject": subject,
        "EmailBodyHTML": format!("<html><body><pre>{}</pre></body></html>", text.replace('&', "&amp;").replace('<', "&lt;")),
        "EmailBodyPlaintext": text,
    })))
}

/// `NewsEntry` map (§5.14): the entries of the organizations `visible` admits. The server holds
/// news per organization; one entry belongs to a tenant, so callers prove they filter.
pub(crate) fn news(now: i64, visible: impl Fn(&str) -> bool) -> Value {
    let all = json!({
        "news-2026-11-01": { "OrganizationID": "", "DateTime": now - 23 * 86_400,
            "TextContent": "Client 25.9.6 is available: faster Microsoft 365 backups." },
        "news-2026-11-20": { "OrganizationID": "", "DateTime": now - 4 * 86_400,
            "TextContent": "Scheduled maintenance on Sunday 02:00-03:00 UTC; backups will retry automatically." },
        "news-tenant-2026-11-25": { "OrganizationID": TENANT_NEWS_ORG, "DateTime": now - 86_400,
            "TextContent": "For the customers of sim-foreign-tenant only." },
    });
    let entries = all.as_object().cloned().unwrap_or_default();
    Value::Object(entries.into_iter().filter(|(_, n)| visible(n["OrganizationID"].as_str().unwrap_or(""))).collect())
}

/// The organization of the one tenant news entry.
pub const TENANT_NEWS_ORG: &str = "sim-foreign-tenant";
