//! Admin client transport rules against a tiny fake server: form encoding, auth selection,
//! session login/re-login, error detection, and update_profile's conflict handling.

use axum::extract::{Form, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use comet::{AdminClient, CometError, Credentials, UserProfileConfig};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Fields = HashMap<String, String>;
type Responder = dyn Fn(&str, &Fields) -> (u16, String) + Send + Sync;

struct Fake {
    log: Mutex<Vec<(String, Fields)>>,
    respond: Box<Responder>,
}

async fn handle(State(fake): State<Arc<Fake>>, uri: Uri, Form(fields): Form<Fields>) -> Response {
    let path = uri.path().to_owned();
    let (status, body) = (fake.respond)(&path, &fields);
    fake.log.lock().unwrap().push((path, fields));
    (StatusCode::from_u16(status).unwrap(), [("content-type", "application/json")], body).into_response()
}

/// Start a fake Comet on a free port; returns its origin and the shared state.
async fn serve(respond: impl Fn(&str, &Fields) -> (u16, String) + Send + Sync + 'static) -> (String, Arc<Fake>) {
    let fake = Arc::new(Fake { log: Mutex::new(Vec::new()), respond: Box::new(respond) });
    let app = axum::Router::new().fallback(handle).with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), fake)
}

fn ok(body: Value) -> (u16, String) {
    (200, body.to_string())
}

fn denied() -> (u16, String) {
    ok(json!({"Status": 403, "Message": "Invalid session"}))
}

fn creds(session_key: Option<&str>, totp: Option<&str>) -> Credentials {
    Credentials {
        username: "admin".into(),
        password: "pw".into(),
        session_key: session_key.map(Into::into),
        totp: totp.map(Into::into),
        totp_secret: None,
    }
}

/// A server that issues `key` for the right password and accepts only that key afterwards.
fn session_server(key: &'static str) -> impl Fn(&str, &Fields) -> (u16, String) + Send + Sync {
    move |path, f| {
        if path == "/api/v1/admin/account/session-start" {
            return if f["Password"] == "pw" {
                ok(json!({"Status": 200, "Message": "OK", "SessionKey": key, "SessionType": "admin"}))
            } else {
                denied()
            };
        }
        if f["AuthType"] != "SessionKey" || f["SessionKey"] != key {
            return denied();
        }
        match path {
            "/api/v1/admin/list-users" => ok(json!(["alice", "bob"])),
            "/api/v1/admin/get-jobs-recent" => ok(json!([])),
            "/api/v1/admin/dispatcher/run-backup" => ok(json!({"Status": 200, "Message": "OK", "JobID": "j1"})),
            _ => ok(json!({"Status": 200, "Message": "OK"})),
        }
    }
}

#[tokio::test]
async fn logs_in_once_then_uses_the_session_key() {
    let (origin, fake) = serve(session_server("sk-1")).await;
    let client = AdminClient::new(&origin, creds(None, None)).unwrap();
    assert_eq!(client.list_users().await.unwrap(), ["alice", "bob"]);
    assert!(client.get_jobs_recent().await.unwrap().is_empty());
    let log = fake.log.lock().unwrap();
    let paths: Vec<&str> = log.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["/api/v1/admin/account/session-start", "/api/v1/admin/list-users", "/api/v1/admin/get-jobs-recent"]);
    let start = &log[0].1;
    assert_eq!((start["Username"].as_str(), start["AuthType"].as_str()), ("admin", "Password"));
    assert_eq!(start["SelfAddress"], format!("{origin}/"));
    for (_, f) in &log[1..] {
        assert_eq!((f["Username"].as_str(), f["AuthType"].as_str(), f["SessionKey"].as_str()), ("admin", "SessionKey", "sk-1"));
        assert_eq!(f["Password"], "", "no password travels with a session key");
        assert_eq!(f["TOTP"], "");
    }
}

#[tokio::test]
async fn totp_is_spent_on_the_login() {
    let (origin, fake) = serve(session_server("sk-2")).await;
    let client = AdminClient::new(&origin, creds(None, Some("123456"))).unwrap();
    client.list_users().await.unwrap();
    client.list_users().await.unwrap();
    let log = fake.log.lock().unwrap();
    assert_eq!(log[0].1["AuthType"], "PasswordTOTP");
    assert_eq!(log[0].1["TOTP"], "123456");
    assert!(log[1..].iter().all(|(_, f)| f["TOTP"].is_empty() && f["AuthType"] == "SessionKey"));
}

#[tokio::test]
async fn a_refused_session_key_is_replaced_once_and_reads_are_retried() {
    let (origin, fake) = serve(session_server("sk-new")).await;
    let client = AdminClient::new(&origin, creds(Some("sk-old"), None)).unwrap();
    assert!(client.get_jobs_recent().await.unwrap().is_empty());
    let paths: Vec<String> = fake.log.lock().unwrap().iter().map(|(p, f)| format!("{p} {}", f["SessionKey"])).collect();
    assert_eq!(
        paths,
        [
            "/api/v1/admin/get-jobs-recent sk-old",
            "/api/v1/admin/meta/version sk-old",
            "/api/v1/admin/account/session-start ",
            "/api/v1/admin/get-jobs-recent sk-new"
        ]
    );
}

/// Comet answers 403 for permission and policy refusals too (a tenant admin reaching another
/// tenant's account, a policy-forbidden action). With a session that is still valid that is not
/// a credentials problem: no new session, no "rejected credentials", a typed refusal.
#[tokio::test]
async fn a_403_with_a_valid_session_is_a_refusal_not_bad_credentials() {
    let (origin, fake) = serve(|path, f| {
        if path == "/api/v1/admin/account/session-start" {
            return ok(json!({"Status": 200, "Message": "OK", "SessionKey": "sk-1", "SessionType": "admin"}));
        }
        if f["SessionKey"] != "sk-1" {
            return denied();
        }
        match path {
            "/api/v1/admin/delete-user" => ok(json!({"Status": 403, "Message": "Permission denied"})),
            "/api/v1/admin/meta/version" => ok(json!({"Version": "25.9.6"})),
            _ => ok(json!({"Status": 200, "Message": "OK"})),
        }
    })
    .await;
    let client = AdminClient::new(&origin, creds(None, None)).unwrap();
    let err = client.delete_user("bob", None).await.unwrap_err();
    match &err {
        CometError::Forbidden { message } => assert_eq!(message, "Permission denied"),
        other => panic!("expected Forbidden, got {other:?}"),
    }
    assert!(!err.is_auth_failure());
    let starts = fake.log.lock().unwrap().iter().filter(|(p, _)| p.ends_with("/session-start")).count();
    assert_eq!(starts, 1, "the valid session was kept");
    assert!(client.revoke_device("bob", "d1").await.is_ok(), "and still works");
    assert_eq!(fake.log.lock().unwrap().iter().filter(|(p, _)| p.ends_with("/session-start")).count(), 1);
}

#[tokio::test]
async fn actions_that_start_work_are_not_repeated_after_relogin() {
    let (origin, fake) = serve(session_server("sk-new")).await;
    let client = AdminClient::new(&origin, creds(Some("sk-old"), None)).unwrap();
    let err = client.dispatcher_run_backup("conn-1", "rule-1").await.unwrap_err();
    assert!(matches!(err, CometError::Auth { .. }), "{err:?}");
    // The session was renewed, so the caller's own retry works.
    let resp = client.dispatcher_run_backup("conn-1", "rule-1").await.unwrap();
    assert_eq!(resp.job_id, "j1");
    let runs = fake.log.lock().unwrap().iter().filter(|(p, _)| p.ends_with("/run-backup")).count();
    assert_eq!(runs, 2);
}

#[tokio::test]
async fn bad_password_is_an_auth_error_and_totp_demand_is_typed() {
    let (origin, _fake) = serve(session_server("k")).await;
    let mut bad = creds(None, None);
    bad.password = "wrong".into();
    let client = AdminClient::new(&origin, bad).unwrap();
    assert!(matches!(client.meta_version().await, Err(CometError::Auth { .. })));

    let (origin, _fake) = serve(|_, _| ok(json!({"Status": 403, "Message": "ERR_TOTP_REQUIRED"}))).await;
    let client = AdminClient::new(&origin, creds(None, None)).unwrap();
    assert!(matches!(client.list_users().await, Err(CometError::TotpRequired)));
}

#[tokio::test]
async fn falls_back_to_password_auth_when_sessions_are_unavailable() {
    let (origin, fake) = serve(|path, f| {
        if path.ends_with("/session-start") {
            return (404, "404 page not found".into());
        }
        if f["AuthType"] == "Password" && f["Password"] == "pw" { ok(json!(["alice"])) } else { denied() }
    })
    .await;
    let client = AdminClient::new(&origin, creds(None, None)).unwrap();
    assert_eq!(client.list_users().await.unwrap(), ["alice"]);
    assert_eq!(client.list_users().await.unwrap(), ["alice"]);
    let starts = fake.log.lock().unwrap().iter().filter(|(p, _)| p.ends_with("/session-start")).count();
    assert_eq!(starts, 1, "session start is not retried on every call");
}

/// A password-only client against a server answering every call with `answer`.
async fn answer_with(answer: (u16, String)) -> AdminClient {
    let (origin, _fake) = serve(move |path, _| {
        if path.ends_with("/session-start") {
            ok(json!({"Status": 200, "Message": "OK", "SessionKey": "k"}))
        } else {
            answer.clone()
        }
    })
    .await;
    AdminClient::new(&origin, creds(None, None)).unwrap()
}

#[tokio::test]
async fn error_detection_rules() {
    let c = answer_with((502, "<html>upstream down</html>".into())).await;
    match c.list_users().await {
        Err(CometError::Http { status: 502, body_excerpt }) => assert!(body_excerpt.contains("upstream down")),
        other => panic!("{other:?}"),
    }
    let c = answer_with(ok(json!({"Status": 400, "Message": "Invalid job ID"}))).await;
    match c.get_job_properties("nope").await {
        Err(CometError::Api { status: 400, message }) => assert_eq!(message, "Invalid job ID"),
        other => panic!("{other:?}"),
    }
    let c = answer_with((500, json!({"Status": 500, "Message": "boom"}).to_string())).await;
    assert!(matches!(c.list_users().await, Err(CometError::Api { status: 500, .. })));
    let c = answer_with(ok(json!({"unexpected": true}))).await;
    match c.list_users().await {
        Err(CometError::Decode { endpoint, .. }) => assert_eq!(endpoint, "api/v1/admin/list-users"),
        other => panic!("{other:?}"),
    }
    // A failed *job* carries Status 7002 but no Message: that is data, not an error.
    let c = answer_with(ok(json!({"GUID": "j", "Status": 7002, "EndTime": 5}))).await;
    assert_eq!(c.get_job_properties("j").await.unwrap().status.0, 7002);
}

#[tokio::test]
async fn parameters_are_form_encoded_as_the_sdk_does() {
    let (origin, fake) = serve(|path, _| match path {
        p if p.ends_with("/session-start") => ok(json!({"Status": 200, "Message": "OK", "SessionKey": "k"})),
        p if p.ends_with("/get-jobs-for-date-range") => ok(json!([])),
        p if p.ends_with("/list-active") => ok(json!({})),
        p if p.ends_with("/set-user-profile-hash") => {
            ok(json!({"Status": 200, "Message": "OK", "ProfileHash": "h2", "Profile": {}}))
        }
        _ => ok(json!({"Status": 200, "Message": "OK"})),
    })
    .await;
    let client = AdminClient::new(&format!("{origin}/"), creds(None, None)).unwrap();
    client.get_jobs_for_date_range(0, 0).await.unwrap();
    client.dispatcher_list_active(None).await.unwrap();
    client.dispatcher_list_active(Some("alice")).await.unwrap();
    let profile = UserProfileConfig { username: "alice".into(), ..Default::default() };
    assert_eq!(client.set_user_profile_hash("alice", &profile, "h1").await.unwrap().profile_hash, "h2");
    client.dispatcher_uninstall_software("conn", false).await.unwrap();
    client.job_abandon("alice", "job-1").await.unwrap();
    let log = fake.log.lock().unwrap();
    let by_path = |suffix: &str| log.iter().filter(|(p, _)| p.ends_with(suffix)).map(|(_, f)| f.clone()).collect::<Vec<_>>();
    let range = &by_path("/get-jobs-for-date-range")[0];
    assert_eq!((range["Start"].as_str(), range["End"].as_str()), ("0", "0"));
    let active = by_path("/list-active");
    assert!(!active[0].contains_key("UserNameFilter"), "optional parameters are omitted");
    assert_eq!(active[1]["UserNameFilter"], "alice");
    let set = &by_path("/set-user-profile-hash")[0];
    assert_eq!(set["RequireHash"], "h1");
    assert_eq!(set["TargetUser"], "alice");
    assert!(!set["ProfileData"].contains(": "), "compact JSON");
    let sent: Value = serde_json::from_str(&set["ProfileData"]).unwrap();
    assert_eq!(sent["Username"], "alice");
    assert_eq!(by_path("/uninstall-software")[0]["RemoveConfigFile"], "false");
    let abandon = &by_path("/job/abandon")[0];
    assert_eq!((abandon["TargetUser"].as_str(), abandon["JobID"].as_str()), ("alice", "job-1"));
}

/// A profile store with a revision counter; `on_set` may simulate a concurrent writer.
struct Store {
    profile: Value,
    rev: u32,
    sets: u32,
}

fn store_server(
    store: Arc<Mutex<Store>>,
    on_set: fn(&mut Store) -> Option<(u16, String)>,
) -> impl Fn(&str, &Fields) -> (u16, String) + Send + Sync {
    move |path, f| {
        let mut s = store.lock().unwrap();
        match path {
            p if p.ends_with("/session-start") => ok(json!({"Status": 200, "Message": "OK", "SessionKey": "k"})),
            p if p.ends_with("/get-user-profile-and-hash") => {
                ok(json!({"Status": 200, "Message": "OK", "ProfileHash": format!("h{}", s.rev), "Profile": s.profile}))
            }
            p if p.ends_with("/get-user-profile-hash") => {
                ok(json!({"Status": 200, "Message": "OK", "ProfileHash": format!("h{}", s.rev)}))
            }
            p if p.ends_with("/set-user-profile-hash") => {
                s.sets += 1;
                if let Some(refusal) = on_set(&mut s) {
                    return refusal;
                }
                if f["RequireHash"] != format!("h{}", s.rev) {
                    return ok(json!({"Status": 400, "Message": "Profile hash mismatch"}));
                }
                s.profile = serde_json::from_str(&f["ProfileData"]).unwrap();
                s.rev += 1;
                ok(json!({"Status": 200, "Message": "OK", "ProfileHash": format!("h{}", s.rev), "Profile": s.profile}))
            }
            _ => (404, String::new()),
        }
    }
}

fn base_profile() -> Value {
    json!({"Username": "alice", "AccountName": "Old", "Devices": {"d1": {"FriendlyName": "PC"}}, "FutureKey": {"keep": 1}})
}

async fn store_client(on_set: fn(&mut Store) -> Option<(u16, String)>) -> (AdminClient, Arc<Mutex<Store>>) {
    let store = Arc::new(Mutex::new(Store { profile: base_profile(), rev: 1, sets: 0 }));
    let (origin, _fake) = serve(store_server(store.clone(), on_set)).await;
    (AdminClient::new(&origin, creds(None, None)).unwrap(), store)
}

#[tokio::test]
async fn update_profile_writes_with_the_hash_and_keeps_unknown_fields() {
    let (client, store) = store_client(|_| None).await;
    let name = client
        .update_profile("alice", |p| -> Result<String, CometError> {
            p.devices.get_mut("d1").unwrap().friendly_name = "Front desk".into();
            Ok(p.username.clone())
        })
        .await
        .unwrap();
    assert_eq!(name, "alice");
    let s = store.lock().unwrap();
    assert_eq!(s.profile["Devices"]["d1"]["FriendlyName"], "Front desk");
    assert_eq!(s.profile["FutureKey"], json!({"keep": 1}), "unknown fields survive the write");
    assert_eq!(s.rev, 2);
}

#[tokio::test]
async fn update_profile_reapplies_after_a_concurrent_write() {
    // The first write loses to someone renaming the account.
    let (client, store) = store_client(|s| {
        if s.sets == 1 {
            s.profile["AccountName"] = json!("Renamed elsewhere");
            s.rev += 1;
        }
        None
    })
    .await;
    let mut runs = 0;
    client
        .update_profile("alice", |p| -> Result<(), CometError> {
            runs += 1;
            p.devices.get_mut("d1").unwrap().friendly_name = "Front desk".into();
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(runs, 2);
    let s = store.lock().unwrap();
    assert_eq!(s.profile["AccountName"], "Renamed elsewhere", "the other writer's change is kept");
    assert_eq!(s.profile["Devices"]["d1"]["FriendlyName"], "Front desk");
}

#[tokio::test]
async fn update_profile_surfaces_a_refusal_when_nothing_changed_meanwhile() {
    let (client, store) = store_client(|_| Some(ok(json!({"Status": 400, "Message": "Invalid email address"})))).await;
    let err = client
        .update_profile("alice", |p| -> Result<(), CometError> {
            p.emails.push("not-an-email".into());
            Ok(())
        })
        .await
        .unwrap_err();
    assert!(matches!(&err, CometError::Api { message, .. } if message == "Invalid email address"), "{err:?}");
    assert_eq!(store.lock().unwrap().sets, 1, "a genuine refusal is not retried");
}

#[tokio::test]
async fn update_profile_gives_up_on_endless_conflicts() {
    let (client, store) = store_client(|s| {
        s.rev += 1;
        None
    })
    .await;
    let err = client
        .update_profile("alice", |p| -> Result<(), CometError> {
            p.account_name = "New".into();
            Ok(())
        })
        .await
        .unwrap_err();
    assert!(matches!(err, CometError::Conflict { attempts: 5, .. }), "{err:?}");
    assert_eq!(store.lock().unwrap().sets, 5);
}

#[tokio::test]
async fn update_profile_skips_the_write_when_nothing_changes_and_stops_on_caller_errors() {
    let (client, store) = store_client(|_| None).await;
    client.update_profile("alice", |_| -> Result<(), CometError> { Ok(()) }).await.unwrap();
    let err = client
        .update_profile("alice", |p| -> Result<(), anyhow::Error> {
            anyhow::ensure!(p.devices.contains_key("missing"), "no such device");
            Ok(())
        })
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "no such device");
    assert_eq!(store.lock().unwrap().sets, 0);
}

/// Every event-stream connection gets a session key from a login of its own (a key from an
/// earlier one may have expired); a configured key with no password is all there is.
#[tokio::test]
async fn stream_credentials_log_in_anew_for_every_connection() {
    let issued = Arc::new(Mutex::new(0));
    let counter = issued.clone();
    let (origin, fake) = serve(move |path, _| {
        if path == "/api/v1/admin/account/session-start" {
            let mut n = counter.lock().unwrap();
            *n += 1;
            return ok(json!({"Status": 200, "Message": "OK", "SessionKey": format!("sk-{n}"), "SessionType": "admin"}));
        }
        ok(json!({"Status": 200, "Message": "OK"}))
    })
    .await;
    let client = AdminClient::new(&origin, creds(None, None)).unwrap();
    let first = client.stream_credentials().await.unwrap();
    let second = client.stream_credentials().await.unwrap();
    assert_eq!(first.frames(), ["admin", "SessionKey", "", "sk-1", ""].map(String::from));
    assert_eq!(second.frames()[3], "sk-2");
    assert_eq!(fake.log.lock().unwrap().len(), 2, "one login per connection, nothing else");

    let keyed = Credentials { username: "admin".into(), session_key: Some("sk-fixed".into()), ..Default::default() };
    let client = AdminClient::new(&origin, keyed).unwrap();
    assert_eq!(client.stream_credentials().await.unwrap().frames()[3], "sk-fixed");
    assert_eq!(fake.log.lock().unwrap().len(), 2, "no login without a password");
}
