//! The Comet Admin HTTP API (§1, §4, §6.2): `POST` form-encoded, auth fields in the body.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rand::seq::SliceRandom;
use serde_json::{Value, json};

use crate::core::{SimCore, SimError, StartJob};
use crate::shapes::{self, BackupJobDetail, status};

type Form = HashMap<String, String>;
type ApiResult = Result<Reply, SimError>;

/// A successful answer: JSON, or raw text for the byte endpoints.
enum Reply {
    Json(Value),
    Text(String),
}

fn ok_message() -> Reply {
    Reply::Json(shapes::api_message(200, "OK"))
}

/// The admin endpoints this simulator implements.
const ADMIN_ENDPOINTS: &[&str] = &[
    "/api/v1/admin/meta/version",
    "/api/v1/admin/account/session-start",
    "/api/v1/admin/account/session-revoke",
    "/api/v1/admin/list-users",
    "/api/v1/admin/list-users-full",
    "/api/v1/admin/get-user-profile",
    "/api/v1/admin/get-user-profile-and-hash",
    "/api/v1/admin/get-user-profile-hash",
    "/api/v1/admin/set-user-profile",
    "/api/v1/admin/set-user-profile-hash",
    "/api/v1/admin/get-job-properties",
    "/api/v1/admin/get-jobs-for-date-range",
    "/api/v1/admin/get-jobs-for-user",
    "/api/v1/admin/get-jobs-recent",
    "/api/v1/admin/get-jobs-all",
    "/api/v1/admin/get-job-log",
    "/api/v1/admin/get-job-log-entries",
    "/api/v1/admin/dispatcher/list-active",
    "/api/v1/admin/job/cancel",
    "/api/v1/admin/job/abandon",
    "/api/v1/admin/revoke-device",
    "/api/v1/admin/dispatcher/run-backup-custom",
];

/// Entry point for every `/api/v1/…` request except the event stream.
pub async fn handle(State(sim): State<Arc<SimCore>>, uri: Uri, body: Bytes) -> Response {
    let path = uri.path().to_string();
    let faults = sim.faults();
    if faults.slow_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.slow_ms)).await;
    }
    if sim.take_http_5xx() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "503 Service Unavailable (simulated)",
        )
            .into_response();
    }
    if !ADMIN_ENDPOINTS.contains(&path.as_str()) {
        return error_response(
            &faults_mirror(&sim),
            501,
            &format!("not implemented by simulator: {path}"),
        );
    }
    let form: Form = url::form_urlencoded::parse(&body).into_owned().collect();
    let result =
        authenticate(&sim, &form, &path).and_then(|admin| dispatch(&sim, &path, &admin, &form));
    match result {
        Ok(Reply::Json(v)) => (StatusCode::OK, axum::Json(v)).into_response(),
        Ok(Reply::Text(t)) => {
            let mut r = (StatusCode::OK, t).into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            r
        }
        Err(e) => error_response(&faults_mirror(&sim), e.status(), &e.to_string()),
    }
}

fn faults_mirror(sim: &SimCore) -> bool {
    sim.faults().mirror_http_status
}

/// `CometAPIResponseMessage` with HTTP 200, or with the HTTP status mirrored (§6.2 rule 4).
fn error_response(mirror: &bool, status: u16, message: &str) -> Response {
    let http = if *mirror {
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST)
    } else {
        StatusCode::OK
    };
    (http, axum::Json(shapes::api_message(status, message))).into_response()
}

fn field<'a>(form: &'a Form, name: &str) -> &'a str {
    form.get(name).map(String::as_str).unwrap_or("")
}

fn required<'a>(form: &'a Form, name: &str) -> Result<&'a str, SimError> {
    form.get(name)
        .map(String::as_str)
        .ok_or_else(|| SimError::BadRequest(format!("missing required parameter {name}")))
}

fn required_int(form: &Form, name: &str) -> Result<i64, SimError> {
    required(form, name)?
        .trim()
        .parse()
        .map_err(|_| SimError::BadRequest(format!("parameter {name} is not an integer")))
}

fn authenticate(sim: &SimCore, form: &Form, path: &str) -> Result<String, SimError> {
    sim.authenticate_admin(
        field(form, "Username"),
        field(form, "AuthType"),
        field(form, "Password"),
        field(form, "SessionKey"),
        field(form, "TOTP"),
        path,
    )
}

/// Job arrays are unordered on the real server; shuffling keeps clients honest.
fn job_array(mut jobs: Vec<BackupJobDetail>) -> Reply {
    jobs.shuffle(&mut rand::rng());
    Reply::Json(Value::Array(
        jobs.iter().map(BackupJobDetail::to_value).collect(),
    ))
}

fn dispatch(sim: &SimCore, path: &str, admin: &str, form: &Form) -> ApiResult {
    let endpoint = path.trim_start_matches("/api/v1/admin/");
    match endpoint {
        "meta/version" => Ok(Reply::Json(sim.meta_version())),
        "account/session-start" => {
            let key = sim.start_session(admin);
            Ok(Reply::Json(
                json!({ "Status": 200, "Message": "OK", "SessionKey": key, "SessionType": "admin" }),
            ))
        }
        "account/session-revoke" => {
            if field(form, "AuthType") == "SessionKey" {
                sim.revoke_session(admin, field(form, "SessionKey"));
            }
            Ok(ok_message())
        }
        "list-users" => {
            let users = sim.usernames();
            // nil_collections_as_null: an empty server answers `null`, as Go does for a nil slice.
            Ok(Reply::Json(if users.is_empty() {
                Value::Null
            } else {
                json!(users)
            }))
        }
        "list-users-full" => Ok(Reply::Json(Value::Object(sim.all_profiles()))),
        "get-user-profile" => {
            let (profile, _) = sim.profile_and_hash(required(form, "TargetUser")?)?;
            Ok(Reply::Json(Value::Object(profile)))
        }
        "get-user-profile-and-hash" => {
            let (profile, hash) = sim.profile_and_hash(required(form, "TargetUser")?)?;
            Ok(Reply::Json(
                json!({ "Status": 200, "Message": "OK", "ProfileHash": hash, "Profile": profile }),
            ))
        }
        "get-user-profile-hash" => {
            let (_, hash) = sim.profile_and_hash(required(form, "TargetUser")?)?;
            Ok(Reply::Json(
                json!({ "Status": 200, "Message": "OK", "ProfileHash": hash }),
            ))
        }
        "set-user-profile" => {
            sim.set_profile(
                admin,
                required(form, "TargetUser")?,
                required(form, "ProfileData")?,
                None,
                None,
            )?;
            Ok(ok_message())
        }
        "set-user-profile-hash" => {
            let target = required(form, "TargetUser")?;
            let data = required(form, "ProfileData")?;
            let require = required(form, "RequireHash")?;
            let (hash, profile) = sim.set_profile(
                admin,
                target,
                data,
                Some(require),
                form.get("AdminOptions").map(String::as_str),
            )?;
            Ok(Reply::Json(
                json!({ "Status": 200, "Message": "OK", "ProfileHash": hash, "Profile": profile }),
            ))
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
                Ok(job_array(sim.jobs_where(|j| {
                    in_range(j.start_time) || in_range(j.end_time)
                })))
            }
        }
        "get-jobs-for-user" => {
            let user = required(form, "TargetUser")?;
            sim.profile_and_hash(user)?;
            Ok(job_array(sim.jobs_where(|j| j.username == user)))
        }
        "get-jobs-recent" => {
            // sim choice (§6.3): incomplete jobs plus those that ended in the last 24 h.
            let since = sim.now() - 86_400;
            Ok(job_array(
                sim.jobs_where(|j| j.end_time == 0 || j.end_time >= since),
            ))
        }
        "get-jobs-all" => Ok(job_array(sim.jobs_where(|_| true))),
        "get-job-log" => {
            let id = required(form, "JobID")?;
            let log = sim
                .job_log(id)
                .ok_or_else(|| SimError::UnknownJob(id.into()))?;
            let text: String = log
                .iter()
                .map(|(t, sev, msg)| {
                    let ts = chrono::DateTime::from_timestamp(*t, 0)
                        .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
                        .unwrap_or_default();
                    format!("{ts} {sev} {msg}\n")
                })
                .collect();
            Ok(Reply::Text(text))
        }
        "get-job-log-entries" => {
            let id = required(form, "JobID")?;
            let log = sim
                .job_log(id)
                .ok_or_else(|| SimError::UnknownJob(id.into()))?;
            let rank = |s: &str| match s {
                "D" => 0,
                "I" => 1,
                "W" => 2,
                "E" => 3,
                _ => 0,
            };
            let min = rank(field(form, "MinSeverity"));
            let contains = field(form, "MessageContains");
            let entries: Vec<Value> = log
                .iter()
                .filter(|(_, s, m)| rank(s) >= min && m.contains(contains))
                .map(|(t, s, m)| json!({ "Time": t, "Severity": s, "Message": m }))
                .collect();
            Ok(Reply::Json(Value::Array(entries)))
        }
        "dispatcher/list-active" => {
            let filter = form
                .get("UserNameFilter")
                .map(String::as_str)
                .filter(|f| !f.is_empty());
            Ok(Reply::Json(Value::Object(sim.live_connections(filter))))
        }
        "job/cancel" => {
            sim.cancel_job(required(form, "TargetUser")?, required(form, "JobID")?)?;
            Ok(ok_message())
        }
        "job/abandon" => {
            sim.abandon_job(required(form, "TargetUser")?, required(form, "JobID")?)?;
            Ok(ok_message())
        }
        "revoke-device" => {
            sim.revoke_device(
                admin,
                required(form, "TargetUser")?,
                required(form, "TargetDevice")?,
            )?;
            Ok(ok_message())
        }
        "dispatcher/run-backup-custom" => run_backup_custom(sim, form),
        _ => Err(SimError::BadRequest(format!(
            "not implemented by simulator: {path}"
        ))),
    }
}

/// `AdminDispatcherRunBackupCustom` (§4.7, §6.5 step 0–1).
fn run_backup_custom(sim: &SimCore, form: &Form) -> ApiResult {
    let target = required(form, "TargetID")?;
    let source = required(form, "Source")?;
    let destination = required(form, "Destination")?;
    if let Some(opts) = form.get("Options") {
        serde_json::from_str::<Value>(opts)
            .map_err(|_| SimError::BadRequest("Options is not valid JSON".into()))?;
    }
    let (device_id, username) = sim
        .device_for_live_id(target)
        .ok_or_else(|| SimError::DeviceUnavailable("the target device is not connected".into()))?;
    let job = StartJob {
        username,
        device_id: Some(device_id),
        source_id: Some(source.into()),
        destination_id: Some(destination.into()),
        duration_secs: sim.cfg.job_duration_secs,
        outcome: status::SUCCESS,
        stall: false,
    };
    let guid = sim.start_job(&job)?;
    Ok(Reply::Json(
        json!({ "Status": 200, "Message": "OK", "JobID": guid }),
    ))
}
