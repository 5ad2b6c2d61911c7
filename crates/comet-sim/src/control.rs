//! `/__sim/*`: the JSON control surface for demos and tests (not part of Comet).

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::core::{FaultPatch, SimCore, SimError, StartJob};
use crate::fleet::FleetSize;
use crate::shapes::{OsInfo, status};

pub fn router() -> Router<Arc<SimCore>> {
    Router::new()
        .route("/__sim/jobs", post(start_job))
        .route("/__sim/jobs/{id}/finish", post(finish_job))
        .route("/__sim/jobs/{id}/resume", post(resume_job))
        .route("/__sim/jobs/{id}/cancel-silently", post(cancel_silently))
        .route("/__sim/users/{username}/totp", get(totp_code))
        .route("/__sim/faults", post(set_faults).get(get_faults))
        .route("/__sim/users/{username}/touch", post(touch))
        .route("/__sim/devices/{id}/{action}", post(device_action))
        .route("/__sim/state", get(state))
        .route("/__sim/restores", get(restores))
        .route("/__sim/clock", post(set_clock).get(get_clock))
        .route("/__sim/fleet", post(add_fleet))
}

fn err(e: SimError) -> Response {
    let code = match e {
        SimError::UnknownUser(_) | SimError::UnknownDevice(_) | SimError::UnknownJob(_) => StatusCode::NOT_FOUND,
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

async fn finish_job(State(sim): State<Arc<SimCore>>, Path(id): Path<String>, body: Option<Json<FinishReq>>) -> Response {
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

/// As a Comet administrator's cancel from the web UI: the job ends 7005 and no event says so.
async fn cancel_silently(State(sim): State<Arc<SimCore>>, Path(id): Path<String>) -> Response {
    match sim.cancel_silently(&id) {
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

/// Which registration of a device ID an action is for (one ID can be registered in several
/// accounts); without it the ID's only registration.
#[derive(Deserialize)]
struct DeviceOf {
    username: Option<String>,
}

async fn device_action(
    State(sim): State<Arc<SimCore>>,
    Path((id, action)): Path<(String, String)>,
    Query(of): Query<DeviceOf>,
    body: Option<Json<RegisterReq>>,
) -> Response {
    let user = of.username.as_deref();
    let result = match action.as_str() {
        "online" => sim.set_online_of(user, &id, true),
        "offline" => sim.set_online_of(user, &id, false),
        "allow-filenames" => sim.set_allows_filenames_of(user, &id, true),
        "deny-filenames" => sim.set_allows_filenames_of(user, &id, false),
        "register" => {
            let Some(Json(req)) = body else {
                return err(SimError::BadRequest("register needs a JSON body {username, friendly_name?, os?}".into()));
            };
            let os = req.os.unwrap_or_else(|| "windows".into());
            let info = OsInfo {
                version: if os == "windows" { "23H2".into() } else { String::new() },
                distribution: match os.as_str() {
                    "windows" => "Windows 11 Pro".into(),
                    "darwin" => "macOS".into(),
                    _ => "debian".into(),
                },
                build: String::new(),
                os,
                arch: "amd64".into(),
            };
            let name = req.friendly_name.unwrap_or_else(|| format!("NEW-PC-{}", &id[..id.len().min(4)]));
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

/// `POST /__sim/clock`: either or both; the scale applies first, then the advance.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockReq {
    #[serde(default)]
    advance_secs: Option<f64>,
    #[serde(default)]
    time_scale: Option<f64>,
}

fn clock_json(sim: &SimCore) -> Json<Value> {
    Json(json!({ "now": sim.now(), "time_scale": sim.time_scale() }))
}

async fn get_clock(State(sim): State<Arc<SimCore>>) -> Json<Value> {
    clock_json(&sim)
}

/// A JSON body, or 400 with the parser's message (axum's own rejection would be 415/422).
fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, SimError> {
    body.map(|Json(v)| v).map_err(|e| SimError::BadRequest(format!("bad JSON body: {}", e.body_text())))
}

async fn set_clock(State(sim): State<Arc<SimCore>>, body: Result<Json<ClockReq>, JsonRejection>) -> Response {
    let req = match json_body(body) {
        Ok(r) => r,
        Err(e) => return err(e),
    };
    if req.advance_secs.is_none() && req.time_scale.is_none() {
        return err(SimError::BadRequest("POST /__sim/clock needs advance_secs and/or time_scale".into()));
    }
    // Validate both before changing either, so a bad request changes nothing.
    if let Some(scale) = req.time_scale
        && let Err(e) = crate::clock::check_scale(scale)
    {
        return err(e.into());
    }
    if let Some(secs) = req.advance_secs
        && let Err(e) = crate::clock::check_advance(secs)
    {
        return err(e.into());
    }
    let result = req
        .time_scale
        .map_or(Ok(()), |f| sim.set_time_scale(f))
        .and_then(|()| req.advance_secs.map_or(Ok(()), |s| sim.advance_clock(s)));
    match result {
        Ok(()) => clock_json(&sim).into_response(),
        Err(e) => err(e),
    }
}

async fn add_fleet(State(sim): State<Arc<SimCore>>, body: Result<Json<FleetSize>, JsonRejection>) -> Response {
    let size = match json_body(body) {
        Ok(s) => s,
        Err(e) => return err(e),
    };
    match crate::fleet::add_fleet(&sim, &size) {
        Ok(users) => Json(json!({ "users": users })).into_response(),
        Err(e) => err(e),
    }
}

/// Every restore the devices were asked to run, oldest first (`SimCore::restores`).
async fn restores(State(sim): State<Arc<SimCore>>) -> Json<Value> {
    Json(Value::Array(sim.restores()))
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
                .map(|((_, id), d)| {
                    let friendly = u
                        .profile
                        .get("Devices")
                        .and_then(|d| d.get(id))
                        .and_then(|d| d.get("FriendlyName"))
                        .cloned()
                        .unwrap_or(Value::Null);
                    json!({ "device_id": id, "friendly_name": friendly, "online": d.live_id.is_some(), "live_id": d.live_id })
                })
                .collect();
            json!({ "username": name, "revision": u.revision, "profile_hash": u.hash, "devices": devices })
        })
        .collect();
    let running: Vec<&str> =
        st.jobs.values().filter(|j| status::is_running(j.detail.status)).map(|j| j.detail.guid.as_str()).collect();
    Json(json!({
        "server_start_hash": st.server_start_hash,
        "users": users,
        "jobs": { "total": st.jobs.len(), "running": running },
        "faults": st.faults,
        "clock": { "now": sim.now(), "time_scale": sim.time_scale() },
    }))
}
