//! Black-box tests of the simulator over real sockets: raw reqwest form POSTs and a raw
//! tokio-tungstenite websocket, compared against the hand-written fixtures in fixtures/comet/.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use comet_sim::{CancelReply, FaultPatch, ManualClock, Sim, SimConfig, SimHandle, StartJob};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// `BackupJobDetail` keys that are omitempty (§5.8): present or absent depending on the job.
/// (`Progress` and `DestinationSize*` are tagged omitempty too, but they are structs, which the
/// real encoder always writes.)
const JOB_OMITEMPTY: &[&str] = &[
    "SnapshotID",
    "BackupRuleGUID",
    "TotalVmCount",
    "TotalMailsCount",
    "TotalSitesCount",
    "TotalAccountsCount",
    "TotalLicensedMailsCount",
    "TotalUnlicensedMailsCount",
    "ConflictingJobID",
    "CancellationID",
    "Tags",
];

/// Fields whose JSON object is a map (keys are data, not field names).
const MAP_FIELDS: &[&str] = &["BoosterLimit", "boosterCount"];

fn fixture(name: &str) -> Result<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/comet").join(name);
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(serde_json::from_str(&text)?)
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default()
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Same shape: every non-omitempty key of the fixture is present, no key outside
/// fixture ∪ omitempty appears, and shared keys have the same JSON type (recursively for objects).
fn assert_same_shape(actual: &Value, expected: &Value, omitempty: &[&str], ctx: &str) {
    let (a, e) = (keys(actual), keys(expected));
    let optional: BTreeSet<String> = omitempty.iter().map(|s| s.to_string()).collect();
    let missing: Vec<_> = e.difference(&a).filter(|k| !optional.contains(*k)).collect();
    assert!(missing.is_empty(), "{ctx}: keys missing from simulator output: {missing:?}");
    let extra: Vec<_> = a.difference(&e).filter(|k| !optional.contains(*k)).collect();
    assert!(extra.is_empty(), "{ctx}: simulator sends keys the fixture does not know: {extra:?}");
    for k in a.intersection(&e) {
        let (av, ev) = (&actual[k], &expected[k]);
        // Go serialises nil arrays/maps as null, so null matches an array or object.
        let compatible = kind(av) == kind(ev)
            || (av.is_null() && matches!(ev, Value::Array(_) | Value::Object(_)))
            || (ev.is_null() && matches!(av, Value::Array(_) | Value::Object(_)));
        assert!(compatible, "{ctx}.{k}: type {} but fixture has {}", kind(av), kind(ev));
        // Map-typed fields (arbitrary keys) are not structs: compare only their type.
        let is_map = MAP_FIELDS.contains(&k.as_str());
        if av.is_object() && ev.is_object() && k != "Data" && !is_map {
            assert_same_shape(av, ev, omitempty, &format!("{ctx}.{k}"));
        }
    }
}

async fn start() -> Result<SimHandle> {
    Sim::start(SimConfig::for_tests()).await
}

async fn admin_post(sim: &SimHandle, endpoint: &str, params: &[(&str, &str)]) -> Result<Value> {
    let creds = sim.admin_creds();
    let mut form: Vec<(&str, &str)> =
        vec![("Username", &creds.username), ("AuthType", "Password"), ("Password", &creds.password)];
    form.extend_from_slice(params);
    let resp = reqwest::Client::new().post(format!("{}{}", sim.base_url(), endpoint)).form(&form).send().await?;
    Ok(resp.json().await?)
}

async fn ws_login(sim: &SimHandle, password: &str) -> Result<(Ws, String)> {
    let (mut ws, _) = tokio_tungstenite::connect_async(sim.ws_url()).await?;
    let user = sim.admin_creds().username;
    for frame in [user.as_str(), "Password", password, "", ""] {
        ws.send(Message::Text(frame.into())).await?;
    }
    let reply = next_text(&mut ws, Duration::from_secs(5)).await?.context("no auth reply")?;
    Ok((ws, reply))
}

async fn next_text(ws: &mut Ws, wait: Duration) -> Result<Option<String>> {
    loop {
        match tokio::time::timeout(wait, ws.next()).await {
            Err(_) => return Ok(None),
            Ok(None) | Ok(Some(Ok(Message::Close(_)))) => return Ok(None),
            Ok(Some(Ok(Message::Text(t)))) => return Ok(Some(t.to_string())),
            Ok(Some(Ok(_))) => continue,
            Ok(Some(Err(e))) => bail!("websocket error: {e}"),
        }
    }
}

/// True when the server closes the socket (after any frames still in flight) before `wait`.
async fn closes_within(ws: &mut Ws, wait: Duration) -> bool {
    let drain = async {
        loop {
            match ws.next().await {
                None | Some(Ok(Message::Close(_))) | Some(Err(_)) => return,
                Some(Ok(_)) => continue,
            }
        }
    };
    tokio::time::timeout(wait, drain).await.is_ok()
}

/// Next event of type `code`, skipping others (login chatter etc.); `None` after `wait` of silence.
async fn next_event(ws: &mut Ws, code: i64, wait: Duration) -> Result<Option<Value>> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let Some(text) = next_text(ws, left).await? else {
            return Ok(None);
        };
        let ev: Value = serde_json::from_str(&text)?;
        if ev["Type"] == code {
            return Ok(Some(ev));
        }
    }
}

async fn connected(sim: &SimHandle) -> Result<Ws> {
    let (mut ws, reply) = ws_login(sim, &sim.admin_creds().password).await?;
    assert_eq!(reply, "200 OK");
    next_event(&mut ws, 4000, Duration::from_secs(5)).await?.context("no HELLO")?;
    Ok(ws)
}

#[tokio::test]
async fn handshake_answers_200_ok_then_hello_shaped_like_the_fixture() -> Result<()> {
    let sim = start().await?;
    let (mut ws, reply) = ws_login(&sim, &sim.admin_creds().password).await?;
    assert_eq!(reply, "200 OK");
    let hello: Value = serde_json::from_str(&next_text(&mut ws, Duration::from_secs(5)).await?.context("no hello")?)?;
    assert_eq!(hello["TypeString"], "SEVT_META_HELLO");
    let expected = fixture("StreamableEvent-hello.json")?;
    assert_same_shape(&hello, &expected, &[], "hello");
    assert_same_shape(&hello["Data"], &expected["Data"], &["ExperimentalOptions", "deviceCount", "boosterCount"], "hello.Data");
    let version = admin_post(&sim, "/api/v1/admin/meta/version", &[]).await?;
    assert_eq!(hello["Data"]["ServerStartHash"], version["ServerStartHash"]);
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn restart_knob_changes_start_hash_and_drops_sockets() -> Result<()> {
    let sim = start().await?;
    let mut ws = connected(&sim).await?;
    let before = admin_post(&sim, "/api/v1/admin/meta/version", &[]).await?["ServerStartHash"].clone();
    sim.set_faults(FaultPatch { restart: Some(true), ..Default::default() });
    assert!(closes_within(&mut ws, Duration::from_secs(3)).await, "socket must be closed");
    let after = admin_post(&sim, "/api/v1/admin/meta/version", &[]).await?["ServerStartHash"].clone();
    assert_ne!(before, after);
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn wrong_password_is_rejected_on_the_socket_and_over_http() -> Result<()> {
    let sim = start().await?;
    let (mut ws, reply) = ws_login(&sim, "wrong").await?;
    assert!(reply.starts_with("403"), "reply was {reply:?}");
    assert!(closes_within(&mut ws, Duration::from_secs(3)).await, "socket must be closed");

    let creds = sim.admin_creds();
    let body: Value = reqwest::Client::new()
        .post(format!("{}/api/v1/admin/list-users", sim.base_url()))
        .form(&[("Username", creds.username.as_str()), ("AuthType", "Password"), ("Password", "nope")])
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(body["Status"], 403);
    let expected = fixture("error-403.json")?;
    assert_same_shape(&body, &expected, &[], "error-403");
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn job_started_via_control_emits_new_then_completed_with_fixture_shapes() -> Result<()> {
    let sim = start().await?;
    let mut ws = connected(&sim).await?;
    let resp: Value = reqwest::Client::new()
        .post(format!("{}/__sim/jobs", sim.base_url()))
        .json(&json!({ "username": "alice", "duration_secs": 0.6, "outcome": 7001 }))
        .send()
        .await?
        .json()
        .await?;
    let job_id = resp["job_id"].as_str().context("no job_id")?.to_string();

    let new = next_event(&mut ws, 4200, Duration::from_secs(5)).await?.context("no SEVT_JOB_NEW")?;
    assert_same_shape(&new, &fixture("StreamableEvent-job-new.json")?, &[], "job-new");
    assert_eq!(new["ResourceID"], job_id.as_str());
    assert_eq!(new["Data"]["Status"], 6001);
    assert_eq!(new["Data"]["EndTime"], 0);
    assert_same_shape(&new["Data"], &fixture("BackupJobDetail-running.json")?, JOB_OMITEMPTY, "job-new.Data");

    let done = next_event(&mut ws, 4201, Duration::from_secs(5)).await?.context("no SEVT_JOB_COMPLETED")?;
    let expected = fixture("StreamableEvent-job-completed.json")?;
    assert_same_shape(&done, &expected, &[], "job-completed");
    assert_same_shape(&done["Data"], &expected["Data"], JOB_OMITEMPTY, "job-completed.Data");
    assert_same_shape(&done["Data"], &fixture("BackupJobDetail-completed.json")?, JOB_OMITEMPTY, "completed");
    assert_eq!(done["Data"]["Status"], 7001);
    assert!(done["Data"]["EndTime"].as_i64().unwrap_or(0) > 0);
    assert!(done["Data"].get("CancellationID").is_none());
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn progress_counter_and_bytes_grow_while_running() -> Result<()> {
    let sim = start().await?;
    let id = sim.start_job(StartJob::new("alice", 30.0, 5000))?;
    tokio::time::sleep(Duration::from_millis(350)).await;
    let a = admin_post(&sim, "/api/v1/admin/get-job-properties", &[("JobID", &id)]).await?;
    tokio::time::sleep(Duration::from_millis(350)).await;
    let b = admin_post(&sim, "/api/v1/admin/get-job-properties", &[("JobID", &id)]).await?;
    let counter = |v: &Value| v["Progress"]["Counter"].as_i64().unwrap_or(-1);
    assert!(counter(&b) > counter(&a) && counter(&a) > 0, "counter {} -> {}", counter(&a), counter(&b));
    assert!(b["Progress"]["BytesDone"].as_i64() >= a["Progress"]["BytesDone"].as_i64());
    assert_eq!(b["Status"], 6001);
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn stalled_job_keeps_its_counter() -> Result<()> {
    let sim = start().await?;
    let mut req = StartJob::new("alice", 1.0, 5000);
    req.stall = true;
    let id = sim.start_job(req)?;
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let job = admin_post(&sim, "/api/v1/admin/get-job-properties", &[("JobID", &id)]).await?;
    assert_eq!(job["Status"], 6001);
    assert_eq!(job["Progress"]["Counter"], 0);
    sim.shutdown().await;
    Ok(())
}

async fn job_status_within(sim: &SimHandle, id: &str, want: i64, wait: Duration) -> Result<Value> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let job = admin_post(sim, "/api/v1/admin/get-job-properties", &[("JobID", id)]).await?;
        if job["Status"] == want || tokio::time::Instant::now() >= deadline {
            return Ok(job);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_stalled_job_whose_device_confirms_is_cancelled_and_one_that_ignores_stays_running() -> Result<()> {
    let sim = start().await?;
    sim.set_faults(FaultPatch { cancel_delay_secs: Some(0.3), ..Default::default() });
    let mut confirming = StartJob::new("alice", 60.0, 5000);
    confirming.stall = true;
    confirming.on_cancel = Some(CancelReply::Confirm);
    let confirming = sim.start_job(confirming)?;
    let mut ignoring = StartJob::new("alice", 60.0, 5000);
    ignoring.stall = true;
    ignoring.on_cancel = Some(CancelReply::Ignore);
    let ignoring = sim.start_job(ignoring)?;
    for id in [&confirming, &ignoring] {
        let resp = admin_post(&sim, "/api/v1/admin/job/cancel", &[("TargetUser", "alice"), ("JobID", id)]).await?;
        assert_eq!(resp["Status"], 200, "the request is accepted: {resp}");
    }
    let cancelled = job_status_within(&sim, &confirming, 7005, Duration::from_secs(4)).await?;
    assert_eq!(cancelled["Status"], 7005, "{cancelled}");
    assert_eq!(cancelled["Progress"]["Counter"], 0, "a stalled job never ticked");
    tokio::time::sleep(Duration::from_millis(600)).await;
    let still = admin_post(&sim, "/api/v1/admin/get-job-properties", &[("JobID", &ignoring)]).await?;
    assert_eq!((still["Status"].clone(), still["EndTime"].clone()), (json!(6001), json!(0)), "ignored: {still}");
    // The default for a stalled job is still a device that does not answer at all.
    let mut silent = StartJob::new("alice", 60.0, 5000);
    silent.stall = true;
    let silent = sim.start_job(silent)?;
    let resp = admin_post(&sim, "/api/v1/admin/job/cancel", &[("TargetUser", "alice"), ("JobID", &silent)]).await?;
    assert_eq!(resp["Status"], 500, "{resp}");
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn flat_bytes_keep_the_heartbeat_ticking() -> Result<()> {
    let sim = start().await?;
    let mut req = StartJob::new("alice", 60.0, 5000);
    req.flat_bytes = true;
    let id = sim.start_job(req)?;
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let job = admin_post(&sim, "/api/v1/admin/get-job-properties", &[("JobID", &id)]).await?;
    assert_eq!(job["Status"], 6001);
    assert!(job["Progress"]["Counter"].as_i64().unwrap_or(0) > 0, "the heartbeat ticks: {job}");
    assert_eq!(job["Progress"]["BytesDone"], 0, "no bytes: {job}");
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn an_admin_cancel_in_the_web_ui_ends_the_job_without_an_event() -> Result<()> {
    let sim = start().await?;
    // Even with the knob that announces API cancels: the web UI's cancel is never announced.
    sim.set_faults(FaultPatch { emit_completed_on_cancel: Some(true), ..Default::default() });
    let mut ws = connected(&sim).await?;
    let id = sim.start_job(StartJob::new("alice", 60.0, 5000))?;
    next_event(&mut ws, 4200, Duration::from_secs(3)).await?.context("no JOB_NEW")?;
    let resp = reqwest::Client::new().post(format!("{}/__sim/jobs/{id}/cancel-silently", sim.base_url())).send().await?;
    assert!(resp.status().is_success(), "{}", resp.status());
    let job = admin_post(&sim, "/api/v1/admin/get-job-properties", &[("JobID", &id)]).await?;
    assert_eq!(job["Status"], 7005, "{job}");
    assert!(job["EndTime"].as_i64().unwrap_or(0) > 0);
    assert_eq!(next_event(&mut ws, 4201, Duration::from_millis(600)).await?, None, "no SEVT_JOB_COMPLETED");
    let again = reqwest::Client::new().post(format!("{}/__sim/jobs/{id}/cancel-silently", sim.base_url())).send().await?;
    assert_eq!(again.status(), reqwest::StatusCode::BAD_REQUEST, "a finished job cannot be cancelled");
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn hash_mismatch_stores_nothing_and_emits_nothing() -> Result<()> {
    let sim = start().await?;
    let read = admin_post(&sim, "/api/v1/admin/get-user-profile-and-hash", &[("TargetUser", "alice")]).await?;
    let stale = read["ProfileHash"].as_str().context("hash")?.to_string();
    let touched = sim.touch_profile("alice")?;
    assert_ne!(stale, touched);
    let mut ws = connected(&sim).await?;

    let mut edited = read["Profile"].clone();
    edited["AccountName"] = json!("Changed by a stale writer");
    let data = edited.to_string();
    let resp = admin_post(
        &sim,
        "/api/v1/admin/set-user-profile-hash",
        &[("TargetUser", "alice"), ("ProfileData", &data), ("RequireHash", &stale)],
    )
    .await?;
    assert!(resp["Status"].as_i64().unwrap_or(0) >= 400, "{resp}");
    let now = admin_post(&sim, "/api/v1/admin/get-user-profile-and-hash", &[("TargetUser", "alice")]).await?;
    assert_eq!(now["ProfileHash"], touched.as_str(), "hash must not move");
    assert_ne!(now["Profile"]["AccountName"], "Changed by a stale writer");
    assert_eq!(next_event(&mut ws, 4102, Duration::from_millis(600)).await?, None, "no SEVT_ACCOUNT_UPDATED");

    // The retry with the fresh hash succeeds, emits the event and keeps the unknown key.
    let resp = admin_post(
        &sim,
        "/api/v1/admin/set-user-profile-hash",
        &[("TargetUser", "alice"), ("ProfileData", &data), ("RequireHash", &touched)],
    )
    .await?;
    assert_eq!(resp["Status"], 200);
    assert_ne!(resp["ProfileHash"], touched.as_str());
    assert_eq!(resp["Profile"]["SimFutureSetting"], json!({ "Enabled": true, "Level": 3 }));
    let ev = next_event(&mut ws, 4102, Duration::from_secs(3)).await?.context("no SEVT_ACCOUNT_UPDATED")?;
    assert_eq!(ev["ResourceID"], "alice");
    assert_eq!(ev["Data"]["AccountName"], "Changed by a stale writer");
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn hash_mismatch_message_is_configurable() -> Result<()> {
    let sim = start().await?;
    sim.set_faults(FaultPatch {
        hash_mismatch_message: Some("conflict!".into()),
        hash_mismatch_status: Some(409),
        mirror_http_status: Some(true),
        ..Default::default()
    });
    let read = admin_post(&sim, "/api/v1/admin/get-user-profile-and-hash", &[("TargetUser", "alice")]).await?;
    let creds = sim.admin_creds();
    let data = read["Profile"].to_string();
    let resp = reqwest::Client::new()
        .post(format!("{}/api/v1/admin/set-user-profile-hash", sim.base_url()))
        .form(&[
            ("Username", creds.username.as_str()),
            ("AuthType", "Password"),
            ("Password", creds.password.as_str()),
            ("TargetUser", "alice"),
            ("ProfileData", data.as_str()),
            ("RequireHash", "not-the-hash"),
        ])
        .send()
        .await?;
    assert_eq!(resp.status().as_u16(), 409);
    let body: Value = resp.json().await?;
    assert_eq!(body, json!({ "Status": 409, "Message": "conflict!" }));
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn date_range_zero_zero_returns_only_incomplete_jobs() -> Result<()> {
    let sim = start().await?;
    let running = sim.start_job(StartJob::new("alice", 120.0, 5000))?;
    let finished = sim.start_job(StartJob::new("alice", 0.0, 5000))?;
    let missed = sim.start_job(StartJob::new("alice", 0.0, 7004))?;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let incomplete = admin_post(&sim, "/api/v1/admin/get-jobs-for-date-range", &[("Start", "0"), ("End", "0")]).await?;
    let ids: Vec<&str> = incomplete.as_array().context("array")?.iter().filter_map(|j| j["GUID"].as_str()).collect();
    assert_eq!(ids, vec![running.as_str()]);

    let now = sim.core().now();
    let (lo, hi) = ((now - 60).to_string(), (now + 60).to_string());
    // Start > End is swapped by the server.
    let all = admin_post(&sim, "/api/v1/admin/get-jobs-for-date-range", &[("Start", &hi), ("End", &lo)]).await?;
    let mut ids: Vec<&str> = all.as_array().context("array")?.iter().filter_map(|j| j["GUID"].as_str()).collect();
    ids.sort();
    let mut want = vec![running.as_str(), finished.as_str(), missed.as_str()];
    want.sort();
    assert_eq!(ids, want);
    let bad = admin_post(&sim, "/api/v1/admin/get-jobs-for-date-range", &[("Start", "x"), ("End", "0")]).await?;
    assert_eq!(bad["Status"], 400);
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn cancel_is_a_request_the_device_confirms_later_with_7005_and_no_event_by_default() -> Result<()> {
    let sim = start().await?;
    sim.set_faults(FaultPatch { cancel_delay_secs: Some(0.6), ..Default::default() });
    let mut ws = connected(&sim).await?;
    let id = sim.start_job(StartJob::new("alice", 120.0, 5000))?;
    next_event(&mut ws, 4200, Duration::from_secs(3)).await?.context("no JOB_NEW")?;
    let resp = admin_post(&sim, "/api/v1/admin/job/cancel", &[("TargetUser", "alice"), ("JobID", &id)]).await?;
    assert_eq!(resp, json!({ "Status": 200, "Message": "OK" }));
    let job = admin_post(&sim, "/api/v1/admin/get-job-properties", &[("JobID", &id)]).await?;
    assert_eq!((job["Status"].clone(), job["EndTime"].clone()), (json!(6001), json!(0)), "still running: {job}");
    assert!(job["CancellationID"].is_string());
    let again = admin_post(&sim, "/api/v1/admin/job/cancel", &[("TargetUser", "alice"), ("JobID", &id)]).await?;
    assert_eq!(again["Status"], 200, "a repeated request while the device works on it is accepted");
    let mut ended = Value::Null;
    for _ in 0..40 {
        ended = admin_post(&sim, "/api/v1/admin/get-job-properties", &[("JobID", &id)]).await?;
        if ended["Status"] == 7005 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(ended["Status"], 7005, "{ended}");
    assert!(ended["EndTime"].as_i64().unwrap_or(0) > 0);
    assert_eq!(next_event(&mut ws, 4201, Duration::from_millis(600)).await?, None, "no SEVT_JOB_COMPLETED");

    // With the knob on, the same action announces the completion.
    sim.set_faults(FaultPatch { emit_completed_on_cancel: Some(true), ..Default::default() });
    let id2 = sim.start_job(StartJob::new("alice", 120.0, 5000))?;
    admin_post(&sim, "/api/v1/admin/job/cancel", &[("TargetUser", "alice"), ("JobID", &id2)]).await?;
    let ev = next_event(&mut ws, 4201, Duration::from_secs(3)).await?.context("expected JOB_COMPLETED")?;
    assert_eq!(ev["ResourceID"], id2.as_str());
    assert_eq!(ev["Data"]["Status"], 7005);
    // A second cancel of a terminal job is an error.
    let again = admin_post(&sim, "/api/v1/admin/job/cancel", &[("TargetUser", "alice"), ("JobID", &id2)]).await?;
    assert_eq!(again["Status"], 400);
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn abandon_marks_7007_and_stalled_jobs_ignore_cancel() -> Result<()> {
    let sim = start().await?;
    let mut req = StartJob::new("alice", 120.0, 5000);
    req.stall = true;
    let id = sim.start_job(req)?;
    let cancel = admin_post(&sim, "/api/v1/admin/job/cancel", &[("TargetUser", "alice"), ("JobID", &id)]).await?;
    assert!(cancel["Status"].as_i64().unwrap_or(0) >= 400);
    let abandon = admin_post(&sim, "/api/v1/admin/job/abandon", &[("TargetUser", "alice"), ("JobID", &id)]).await?;
    assert_eq!(abandon["Status"], 200);
    let job = admin_post(&sim, "/api/v1/admin/get-job-properties", &[("JobID", &id)]).await?;
    assert_eq!(job["Status"], 7007);
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn list_active_follows_device_state_and_user_filter() -> Result<()> {
    let sim = start().await?;
    let mut ws = connected(&sim).await?;
    let live = admin_post(&sim, "/api/v1/admin/dispatcher/list-active", &[("UserNameFilter", "alice")]).await?;
    let conns = live.as_object().context("map")?;
    assert_eq!(conns.len(), 2);
    let sample = fixture("LiveUserConnection-map.json")?;
    let first_fixture = sample.as_object().and_then(|m| m.values().next()).cloned().context("fixture entry")?;
    let (_, conn) = conns.iter().next().context("one connection")?;
    assert_same_shape(
        conn,
        &first_fixture,
        &["ReportedPlatformVersion", "DeviceTimeZone", "IPAddress", "version", "distribution", "build", "os", "arch"],
        "live",
    );
    let device = conn["DeviceID"].as_str().context("DeviceID")?.to_string();

    let r = reqwest::Client::new().post(format!("{}/__sim/devices/{device}/offline", sim.base_url())).send().await?;
    assert!(r.status().is_success());
    let ev = next_event(&mut ws, 4703, Duration::from_secs(3)).await?.context("no LIVE_DISCONNECT")?;
    assert_eq!(ev["ResourceID"], device.as_str());
    let live = admin_post(&sim, "/api/v1/admin/dispatcher/list-active", &[]).await?;
    assert!(live.as_object().context("map")?.values().all(|c| c["DeviceID"] != device.as_str()));
    let none = admin_post(&sim, "/api/v1/admin/dispatcher/list-active", &[("UserNameFilter", "bob")]).await?;
    assert_eq!(none, Value::Null, "no live connection: a nil map, as Go encodes it");
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn session_keys_work_and_only_password_requests_emit_login_events() -> Result<()> {
    let sim = start().await?;
    let mut ws = connected(&sim).await?;
    let started = admin_post(&sim, "/api/v1/admin/account/session-start", &[]).await?;
    assert_eq!(started["SessionType"], "admin");
    let login = next_event(&mut ws, 4153, Duration::from_secs(3)).await?.context("no ADMIN_LOGIN")?;
    assert_eq!(login["ResourceID"], "/api/v1/admin/account/session-start");

    let key = started["SessionKey"].as_str().context("key")?.to_string();
    let user = sim.admin_creds().username;
    let session_form = [("Username", user.as_str()), ("AuthType", "SessionKey"), ("SessionKey", key.as_str())];
    let client = reqwest::Client::new();
    let users: Value =
        client.post(format!("{}/api/v1/admin/list-users", sim.base_url())).form(&session_form).send().await?.json().await?;
    assert_eq!(users, json!(["alice"]));
    assert_eq!(next_event(&mut ws, 4153, Duration::from_millis(500)).await?, None, "session requests are silent");

    let revoked: Value = client
        .post(format!("{}/api/v1/admin/account/session-revoke", sim.base_url()))
        .form(&session_form)
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(revoked["Status"], 200);
    let after: Value =
        client.post(format!("{}/api/v1/admin/list-users", sim.base_url())).form(&session_form).send().await?.json().await?;
    assert_eq!(after["Status"], 403);
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn unimplemented_paths_answer_501() -> Result<()> {
    let sim = start().await?;
    let body = admin_post(&sim, "/api/v1/admin/storage/list-buckets", &[]).await?;
    assert_eq!(body, json!({ "Status": 501, "Message": "not implemented by simulator: /api/v1/admin/storage/list-buckets" }));
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn run_backup_custom_needs_a_live_target_and_returns_the_job_id() -> Result<()> {
    let sim = start().await?;
    let live = admin_post(&sim, "/api/v1/admin/dispatcher/list-active", &[]).await?;
    let (live_id, conn) = live.as_object().and_then(|m| m.iter().next()).context("a live device")?;
    let device = conn["DeviceID"].as_str().context("DeviceID")?;
    let profile = admin_post(&sim, "/api/v1/admin/get-user-profile", &[("TargetUser", "alice")]).await?;
    let source = profile["Sources"]
        .as_object()
        .and_then(|s| s.iter().find(|(_, v)| v["OwnerDevice"] == device))
        .map(|(k, _)| k.clone())
        .context("a source")?;
    let dest = profile["Destinations"].as_object().and_then(|d| d.keys().next().cloned()).context("a vault")?;
    let resp = admin_post(
        &sim,
        "/api/v1/admin/dispatcher/run-backup-custom",
        &[("TargetID", live_id), ("Source", &source), ("Destination", &dest)],
    )
    .await?;
    assert_eq!(resp["Status"], 200);
    let job_id = resp["JobID"].as_str().context("JobID")?;
    let job = admin_post(&sim, "/api/v1/admin/get-job-properties", &[("JobID", job_id)]).await?;
    assert_eq!(job["SourceGUID"], source.as_str());
    assert_eq!(job["DeviceID"], device);
    let bad = admin_post(
        &sim,
        "/api/v1/admin/dispatcher/run-backup-custom",
        &[("TargetID", "not-live"), ("Source", &source), ("Destination", &dest)],
    )
    .await?;
    assert!(bad["Status"].as_i64().unwrap_or(0) >= 400);
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn job_completion_bumps_the_profile_and_records_statistics() -> Result<()> {
    let sim = start().await?;
    let before = admin_post(&sim, "/api/v1/admin/get-user-profile-hash", &[("TargetUser", "alice")]).await?;
    let mut ws = connected(&sim).await?;
    let id = sim.start_job(StartJob::new("alice", 0.2, 5000))?;
    let updated = next_event(&mut ws, 4102, Duration::from_secs(5)).await?.context("no ACCOUNT_UPDATED")?;
    let done = next_event(&mut ws, 4201, Duration::from_secs(5)).await?.context("no JOB_COMPLETED")?;
    let source = done["Data"]["SourceGUID"].as_str().context("source")?;
    assert_eq!(updated["Data"]["Sources"][source]["Statistics"]["LastBackupJob"]["GUID"], id.as_str());
    let after = admin_post(&sim, "/api/v1/admin/get-user-profile-hash", &[("TargetUser", "alice")]).await?;
    assert_ne!(before["ProfileHash"], after["ProfileHash"]);
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn same_seed_gives_the_same_fleet() -> Result<()> {
    // A fixed clock: seeded CreateTime/RegistrationTime values are relative to "now".
    let cfg = || SimConfig { clock: Arc::new(ManualClock::new(1_795_000_000)), ..SimConfig::for_tests() };
    let a = Sim::start(cfg()).await?;
    let b = Sim::start(cfg()).await?;
    let pa = admin_post(&a, "/api/v1/admin/get-user-profile", &[("TargetUser", "alice")]).await?;
    let pb = admin_post(&b, "/api/v1/admin/get-user-profile", &[("TargetUser", "alice")]).await?;
    assert_eq!(pa, pb);
    assert_eq!(pa["Devices"].as_object().map(|d| d.len()), Some(2));
    a.shutdown().await;
    b.shutdown().await;
    Ok(())
}

/// A device ID identifies a machine: one machine logged in to two accounts registers the same ID
/// in both, and another server may hold the same ID too. Each registration has its own live
/// connection, events and jobs; taking one offline leaves the other online.
#[tokio::test]
async fn one_device_id_registered_in_two_accounts_and_on_two_servers() -> Result<()> {
    let mut cfg = SimConfig::for_tests();
    cfg.users.push(comet_sim::SeedUser { username: "bob".into(), password: "bob-pass".into(), devices: 1 });
    let sim = Sim::start(cfg).await?;
    let other = start().await?;
    let mut ws = connected(&sim).await?;
    let http = reqwest::Client::new();
    let control = |sim: &SimHandle, path: &str| format!("{}/__sim/devices/{path}", sim.base_url());
    for (server, user) in [(&sim, "alice"), (&sim, "bob"), (&other, "alice")] {
        let r = http.post(control(server, "shared-pc/register")).json(&json!({ "username": user })).send().await?;
        assert!(r.status().is_success(), "{user}: {}", r.text().await?);
    }
    let again = http.post(control(&sim, "shared-pc/register")).json(&json!({ "username": "bob" })).send().await?;
    assert!(!again.status().is_success(), "a second registration in the same account is refused");

    let mut actors = BTreeSet::new();
    for _ in 0..2 {
        let ev = next_event(&mut ws, 4702, Duration::from_secs(3)).await?.context("no LIVE_CONNECT")?;
        assert_eq!(ev["ResourceID"], "shared-pc");
        actors.insert(ev["Actor"].as_str().unwrap_or_default().to_string());
    }
    assert_eq!(actors, BTreeSet::from(["alice".to_string(), "bob".to_string()]));
    let live = admin_post(&sim, "/api/v1/admin/dispatcher/list-active", &[]).await?;
    let shared: Vec<&str> = live
        .as_object()
        .context("map")?
        .values()
        .filter(|c| c["DeviceID"] == "shared-pc")
        .filter_map(|c| c["Username"].as_str())
        .collect();
    assert_eq!(shared.len(), 2, "{live}");

    let ambiguous = http.post(control(&sim, "shared-pc/offline")).send().await?;
    assert_eq!(ambiguous.status(), 400, "which registration must be named");
    let r = http.post(control(&sim, "shared-pc/offline?username=bob")).send().await?;
    assert!(r.status().is_success());
    let ev = next_event(&mut ws, 4703, Duration::from_secs(3)).await?.context("no LIVE_DISCONNECT")?;
    assert_eq!((ev["Actor"].as_str(), ev["ResourceID"].as_str()), (Some("bob"), Some("shared-pc")));
    let live = admin_post(&sim, "/api/v1/admin/dispatcher/list-active", &[]).await?;
    let still: Vec<&str> = live
        .as_object()
        .context("map")?
        .values()
        .filter(|c| c["DeviceID"] == "shared-pc")
        .filter_map(|c| c["Username"].as_str())
        .collect();
    assert_eq!(still, ["alice"]);
    let other_live = admin_post(&other, "/api/v1/admin/dispatcher/list-active", &[]).await?;
    assert!(other_live.as_object().context("map")?.values().any(|c| c["DeviceID"] == "shared-pc"), "the other server's too");
    sim.shutdown().await;
    other.shutdown().await;
    Ok(())
}
