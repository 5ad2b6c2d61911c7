//! `/__sim/*`: the JSON control surface for demos and tests (not part of Comet).

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::core::{FaultPatch, SimCore, SimError, StartJob};
use crate::shapes::{OsInfo, status};

pub fn router() -> Router<Arc<SimCore>> {
    Router::new()
        .route("/__sim/jobs", post(start_job))
        .route("/__sim/jobs/{id}/finish", post(finish_job))
        .route("/__sim/jobs/{id}/resume", post(resume_job))
        .route("/__sim/users/{username}/totp", get(totp_code))
        .route("/__sim/faults", post(set_faults).get(get_faults))
        .route("/__sim/users/{username}/touch", post(touch))
        .route("/__sim/devices/{id}/{action}", post(device_action))
        .route("/__sim/state", get(state))
}

fn err(e: SimError) -> Response {
    let code = match e {
        SimError::UnknownUser(_) | SimError::UnknownDevice(_) | SimError::UnknownJob(_) => {
            StatusCode::NOT_FOUND
        }
        _ => StatusCode::BAD_REQUEST,
    };
    (code, Json(json!({ "error": e.to_string() }))).into_response()
}

async fn start_job(State(sim): State<Arc<SimCore>>, Json(req): Json<StartJob>) -> Response {
    match sim.start_job(&req) {
        Ok(id) => Json(json!({ "job_id": id })).into_response(),
        Err(e) => err(e),
    }
}

#[derive(Deserialize)]
struct FinishReq {
    #[serde(default = "success")]
    outcome: u64,
}
fn success() -> u64 {
    status::SUCCESS
}

async fn finish_job(
    State(sim): State<Arc<SimCore>>,
    Path(id): Path<String>,
    body: Option<Json<FinishReq>>,
) -> Response {
    let outcome = body.map(|b| b.0.outcome).unwrap_or(status::SUCCESS);
    match sim.finish_job(&id, outcome) {
        Ok(()) => Json(json!({ "ok": true })).into_response(),
        Err(e) => err(e),
    }
}

async fn resume_job(State(sim): State<Arc<SimCore>>, Path(id): Path<String>) -> Response {
    match sim.resume_job(&id) {
        Ok(()) => Json(json!({ "ok": true })).into_response(),
        Err(e) => err(e),
    }
}

async fn totp_code(State(sim): State<Arc<SimCore>>, Path(username): Path<String>) -> Response {
    match sim.current_totp_code(&username) {
        Some(code) => Json(json!({ "code": code })).into_response(),
        None => err(SimError::UnknownUser(format!("{username} (or no TOTP secret)"))),
    }
}

async fn set_faults(State(sim): State<Arc<SimCore>>, Json(p): Json<FaultPatch>) -> Response {
    Json(sim.apply_faults(p)).into_response()
}

async fn get_faults(State(sim): State<Arc<SimCore>>) -> Response {
    Json(sim.faults()).into_response()
}

async fn touch(State(sim): State<Arc<SimCore>>, Path(username): Path<String>) -> Response {
    match sim.touch_profile(&username) {
        Ok(hash) => Json(json!({ "profile_hash": hash })).into_response(),
        Err(e) => err(e),
    }
}

#[derive(Deserialize, Default)]
struct RegisterReq {
    username: String,
    #[serde(default)]
    friendly_name: Option<String>,
    /// `windows`, `linux` or `darwin`.
    #[serde(default)]
    os: Option<String>,
}

async fn device_action(
    State(sim): State<Arc<SimCore>>,
    Path((id, action)): Path<(String, String)>,
    body: Option<Json<RegisterReq>>,
) -> Response {
    let result = match action.as_str() {
        "online" => sim.set_online(&id, true),
        "offline" => sim.set_online(&id, false),
        "allow-filenames" => sim.set_allows_filenames(&id, true),
        "deny-filenames" => sim.set_allows_filenames(&id, false),
        "register" => {
            let Some(Json(req)) = body else {
                return err(SimError::BadRequest(
                    "register needs a JSON body {username, friendly_name?, os?}".into(),
                ));
            };
            let os = req.os.unwrap_or_else(|| "windows".into());
            let info = OsInfo {
                version: if os == "windows" {
                    "23H2".into()
                } else {
                    String::new()
                },
                distribution: match os.as_str() {
                    "windows" => "Windows 11 Pro".into(),
                    "darwin" => "macOS".into(),
                    _ => "debian".into(),
                },
                build: String::new(),
                os,
                arch: "amd64".into(),
            };
            let name = req
                .friendly_name
                .unwrap_or_else(|| format!("NEW-PC-{}", &id[..id.len().min(4)]));
            sim.register_device(&req.username, &id, &name, info)
        }
        other => Err(SimError::BadRequest(format!(
            "unknown device action {other:?} (online|offline|register|allow-filenames|deny-filenames)"
        ))),
    };
    match result {
        Ok(()) => Json(json!({ "ok": true })).into_response(),
        Err(e) => err(e),
    }
}

async fn state(State(sim): State<Arc<SimCore>>) -> Json<Value> {
    let st = sim.lock();
    let users: Vec<Value> = st
        .users
        .iter()
        .map(|(name, u)| {
            let devices: Vec<Value> = st
                .devices
                .iter()
                .filter(|(_, d)| &d.username == name)
                .map(|(id, d)| {
                    let friendly = u.profile.get("Devices").and_then(|d| d.get(id)).and_then(|d| d.get("FriendlyName")).cloned().unwrap_or(Value::Null);
                    json!({ "device_id": id, "friendly_name": friendly, "online": d.live_id.is_some(), "live_id": d.live_id })
                })
                .collect();
            json!({ "username": name, "revision": u.revision, "profile_hash": u.hash, "devices": devices })
        })
        .collect();
    let running: Vec<&str> = st
        .jobs
        .values()
        .filter(|j| status::is_running(j.detail.status))
        .map(|j| j.detail.guid.as_str())
        .collect();
    Json(json!({
        "server_start_hash": st.server_start_hash,
        "users": users,
        "jobs": { "total": st.jobs.len(), "running": running },
        "faults": st.faults,
    }))
}
