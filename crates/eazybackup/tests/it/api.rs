//! `eazybackup serve` over real sockets: token checks, scoping, snooze, SSE fan-out and resume.

use std::time::Duration;

use base64::Engine;
use eazybackup::api::auth::{TokenError, mint_token, verify_token};
use eazybackup::api::spawn_for_test;
use eazybackup::both_backends;
use eazybackup::db::jobs;
use eazybackup::db::tenancy::ClientId;
use eazybackup::with_pool;
use eventsource_stream::{Event, Eventsource};
use futures_util::{Stream, StreamExt};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};

use crate::jobs::{ALICE, BOB, end, now, seed_two_clients, start};

pub const SECRET: &str = "test-secret";

pub fn token(client: ClientId) -> String {
    mint_token(SECRET.as_bytes(), client, now() + 900, "0123456789abcdef")
}

#[test]
fn token_matches_an_independently_computed_vector() {
    let body = "v1.42.1900000000.abc";
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(b"secret").unwrap();
    mac.update(body.as_bytes());
    let expected = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    // The same MAC PHP's hash_hmac + base64url gives (STACK.md §1.9).
    assert!(expected.starts_with("Kwad1_KcDjaZ") && expected.ends_with("X-8"), "{expected}");
    let minted = mint_token(b"secret", ClientId(42), 1_900_000_000, "abc");
    assert_eq!(minted, format!("{body}.{expected}"));
    assert_eq!(verify_token(b"secret", &minted, 1_899_999_999), Ok(ClientId(42)));
    assert_eq!(verify_token(b"secret", &minted, 1_900_000_000), Err(TokenError::Expired));
}

/// The vector tests/php/run.php checks Token::mint against (PHP's hash_hmac computed it).
#[test]
fn v2_token_matches_the_addons_vector() {
    let minted =
        eazybackup::api::auth::mint_user_token(b"test-secret", ClientId(42), 7, 1_700_000_000, 1_700_000_900, "0123456789abcdef");
    assert_eq!(minted, "v2.42.7.1700000000.1700000900.0123456789abcdef.2oRTU0-61pj7lpKcKanYFXYxQwpYVnxJMbacgbjebuA");
    let claims = eazybackup::api::auth::verify_claims(b"test-secret", &minted, 1_700_000_100).unwrap();
    assert_eq!((claims.client, claims.user, claims.issued), (ClientId(42), Some(7), 1_700_000_000));
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap()
}

pub async fn get(base: &str, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut req = client().get(format!("{base}{path}"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn snooze(base: &str, token: &str, body: &str) -> (u16, Value) {
    let resp = client()
        .post(format!("{base}/api/v1/incidents/snooze"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn error_code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("<none>")
}

both_backends!(tokens_are_checked_on_every_route, |db| async move {
    seed_two_clients(db).await;
    let (addr, server) = spawn_for_test(db.clone(), SECRET).await.unwrap();
    let base = format!("http://{addr}");
    assert_eq!(get(&base, "/api/v1/health", None).await, (200, json!({ "ok": true })));

    let expired = mint_token(SECRET.as_bytes(), ALICE, now() - 1, "n");
    let forged = mint_token(b"another-secret", ALICE, now() + 900, "n");
    for bad in [None, Some("garbage"), Some(expired.as_str()), Some(forged.as_str())] {
        let (status, body) = get(&base, "/api/v1/services", bad).await;
        assert_eq!((status, error_code(&body)), (401, "unauthorized"), "{bad:?}");
        assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // `?token=` is for the event stream only.
    let (status, _) = get(&base, &format!("/api/v1/services?token={}", token(ALICE)), None).await;
    assert_eq!(status, 401);

    let (status, services) = get(&base, "/api/v1/services", Some(&token(ALICE))).await;
    assert_eq!(status, 200);
    assert_eq!(
        services,
        json!([
            { "service_id": 101, "profile": "eazybackup", "username": "acme-dental", "status": "Active" },
            { "service_id": 102, "profile": "obc", "username": "acme-offsite", "status": "Active" }
        ])
    );
    // Bob's token lists Bob's Comet service only: none of Alice's, not his non-Comet product.
    let (status, services) = get(&base, "/api/v1/services", Some(&token(BOB))).await;
    assert_eq!(status, 200);
    assert_eq!(services, json!([{ "service_id": 201, "profile": "eazybackup", "username": "brown-acct", "status": "Active" }]));
    server.stop().await.unwrap();
});

both_backends!(snapshot_and_snooze_are_scoped_to_the_token_client, |db| async move {
    seed_two_clients(db).await;
    jobs::record_job_start(db, "eazybackup", &start("job-run", "acme-dental")).await.unwrap();
    jobs::record_job_end(db, "obc", &end("job-err", "acme-offsite", 7003)).await.unwrap();
    jobs::record_job_end(db, "eazybackup", &end("job-ok", "acme-dental", 5000)).await.unwrap();
    jobs::record_job_end(db, "eazybackup", &end("job-bob", "brown-acct", 7004)).await.unwrap();
    for sql in [
        // Names are looked up by the full key: the obc job's item is obc's item-1, and a
        // same-id device of another account or server lends no name.
        "INSERT INTO comet_devices (id, hash, profile, username, name) VALUES ('h1', 'dev-1', 'eazybackup', 'acme-dental', 'Front desk PC')",
        "INSERT INTO comet_devices (id, hash, profile, username, name) VALUES ('h2', 'dev-1', 'obc', 'someone-else', 'Not yours')",
        "INSERT INTO comet_items (id, profile, name) VALUES ('item-1', 'eazybackup', 'Documents')",
        "INSERT INTO comet_items (id, profile, name) VALUES ('item-1', 'obc', 'Offsite documents')",
    ] {
        with_pool!(db, pool => sqlx::query(sql).execute(pool).await.map(|_| ())).expect(sql);
    }
    let (addr, server) = spawn_for_test(db.clone(), SECRET).await.unwrap();
    let base = format!("http://{addr}");
    let (alice, bob) = (token(ALICE), token(BOB));

    let (status, snap) = get(&base, "/api/v1/pulse/snapshot", Some(&alice)).await;
    assert_eq!(status, 200);
    assert_eq!(snap["running"].as_array().map(Vec::len), Some(1));
    assert_eq!(snap["running"][0]["job_id"], "job-run");
    assert_eq!(snap["running"][0]["service_id"], 101);
    assert_eq!(
        (snap["running"][0]["device_name"].as_str(), snap["running"][0]["item_name"].as_str()),
        (Some("Front desk PC"), Some("Documents"))
    );
    assert_eq!(snap["incidents"][0]["item_name"], "Offsite documents");
    assert_eq!(snap["incidents"][0]["device_name"], serde_json::Value::Null, "another account's device name is not borrowed");
    assert_eq!(snap["incidents"].as_array().map(Vec::len), Some(1));
    assert_eq!(snap["incidents"][0]["job_id"], "job-err");
    assert_eq!(snap["incidents"][0]["status"], 7003);
    assert_eq!(snap["incidents"][0]["status_class"], "error");
    assert_eq!(snap["incidents"][0]["service_id"], 102);
    assert_eq!(snap["counts"], json!({ "running": 1, "success": 1, "warning": 0, "error": 1, "missed": 0 }));

    let (_, bob_snap) = get(&base, "/api/v1/pulse/snapshot", Some(&bob)).await;
    let text = bob_snap.to_string();
    assert!(!text.contains("job-run") && !text.contains("job-err") && !text.contains("acme"), "{text}");
    assert_eq!(bob_snap["incidents"][0]["job_id"], "job-bob");

    // Bob cannot snooze Alice's job, nor a job that does not exist; a job is named by its profile
    // and id, so the right id on the wrong profile is not Alice's job either.
    let (status, body) = snooze(&base, &bob, r#"{"profile":"obc","job_id":"job-err","minutes":60}"#).await;
    assert_eq!((status, error_code(&body)), (404, "not_found"));
    let (status, _) = snooze(&base, &alice, r#"{"profile":"obc","job_id":"no-such-job","minutes":60}"#).await;
    assert_eq!(status, 404);
    let (status, _) = snooze(&base, &alice, r#"{"profile":"eazybackup","job_id":"job-err","minutes":60}"#).await;
    assert_eq!(status, 404, "job-err is obc's");
    // Validation: out-of-range fields are `invalid` naming the field; a wrong shape is `invalid_body`.
    for (body, want) in [
        (r#"{"profile":"obc","job_id":"job-err","minutes":0}"#, (422, "invalid", Some("minutes"))),
        (r#"{"profile":"obc","job_id":"job-err","minutes":10081}"#, (422, "invalid", Some("minutes"))),
        (r#"{"profile":"obc","job_id":"job-err"}"#, (422, "invalid_body", None)),
        (r#"{"job_id":"job-err","minutes":60}"#, (422, "invalid_body", None)),
        (r#"{"profile":" ","job_id":"job-err","minutes":60}"#, (422, "invalid", Some("profile"))),
        (r#"{"profile":"obc","job_id":"","minutes":60}"#, (422, "invalid", Some("job_id"))),
        (r#"{"job_id":"job-err","#, (400, "bad_request", None)),
    ] {
        let (status, resp) = snooze(&base, &alice, body).await;
        assert_eq!((status, error_code(&resp), resp["error"]["field"].as_str()), want, "{body}");
    }

    let before = now();
    let (status, body) = snooze(&base, &alice, r#"{"profile":"obc","job_id":"job-err","minutes":10080}"#).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["profile"].as_str(), body["job_id"].as_str()), (Some("obc"), Some("job-err")));
    let until = body["until_ts"].as_i64().unwrap();
    assert!((before + 10_080 * 60..=now() + 10_080 * 60).contains(&until));
    let (_, snap) = get(&base, "/api/v1/pulse/snapshot", Some(&alice)).await;
    assert_eq!(snap["incidents"], json!([]), "snoozed incident is hidden");
    assert_eq!(snap["counts"]["error"], 1, "counts still include it");

    // Refusals and the snooze; the seven bodies refused above are `error` rows (api::audit).
    let audit: Vec<(i64, String, String)> = with_pool!(db, pool => {
        sqlx::query_as("SELECT CAST(client_id AS SIGNED), result, target FROM eb_audit_log WHERE result <> 'error' ORDER BY id")
            .fetch_all(pool)
            .await
    })
    .unwrap();
    let errors: i64 = with_pool!(db, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM eb_audit_log WHERE result = 'error' AND client_id = 1").fetch_one(pool).await
    })
    .unwrap();
    assert_eq!(errors, 7);
    assert_eq!(
        audit,
        vec![
            (2, "denied".into(), "obc/job-err".into()),
            (1, "denied".into(), "obc/no-such-job".into()),
            (1, "denied".into(), "eazybackup/job-err".into()),
            (1, "ok".into(), "obc/job-err".into())
        ]
    );
    server.stop().await.unwrap();
});

pub type SseStream =
    std::pin::Pin<Box<dyn Stream<Item = Result<Event, eventsource_stream::EventStreamError<reqwest::Error>>> + Send>>;

pub async fn connect(base: &str, token: &str, last_event_id: Option<i64>) -> SseStream {
    let mut req = client_no_timeout().get(format!("{base}/api/v1/events?token={token}"));
    if let Some(id) = last_event_id {
        req = req.header("Last-Event-ID", id.to_string());
    }
    let resp = req.send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "text/event-stream");
    assert_eq!(resp.headers()["x-accel-buffering"], "no");
    assert_eq!(resp.headers()["cache-control"], "no-cache");
    Box::pin(resp.bytes_stream().eventsource())
}

fn client_no_timeout() -> reqwest::Client {
    reqwest::Client::builder().build().unwrap()
}

/// The next real event (keep-alive comments are not events), or None after `wait`.
pub async fn next_event(stream: &mut SseStream, wait: Duration) -> Option<Event> {
    tokio::time::timeout(wait, stream.next()).await.ok().flatten().map(|r| r.expect("SSE parse"))
}

async fn wait_for_subscribers() {
    // The handler subscribes before answering, but give the poller a tick to be past its start.
    tokio::time::sleep(Duration::from_millis(300)).await;
}

both_backends!(sse_fans_out_per_client_and_resumes_without_duplicates, |db| async move {
    seed_two_clients(db).await;
    let (addr, server) = spawn_for_test(db.clone(), SECRET).await.unwrap();
    let base = format!("http://{addr}");
    let mut alice = connect(&base, &token(ALICE), None).await;
    let mut bob = connect(&base, &token(BOB), None).await;
    wait_for_subscribers().await;

    let start_id = jobs::record_job_start(db, "eazybackup", &start("job-live", "acme-dental")).await.unwrap().unwrap();
    let end_id = jobs::record_job_end(db, "eazybackup", &end("job-live", "acme-dental", 5000)).await.unwrap().unwrap();
    let bob_id = jobs::record_job_start(db, "eazybackup", &start("job-bob", "brown-acct")).await.unwrap().unwrap();

    let wait = Duration::from_secs(5);
    let e1 = next_event(&mut alice, wait).await.expect("alice job:start");
    assert_eq!((e1.event.as_str(), e1.id.as_str()), ("job:start", start_id.to_string().as_str()));
    let view: Value = serde_json::from_str(&e1.data).unwrap();
    assert_eq!(
        (view["job_id"].as_str(), view["service_id"].as_i64(), view["status_class"].as_str()),
        (Some("job-live"), Some(101), Some("running"))
    );
    let e2 = next_event(&mut alice, wait).await.expect("alice job:end");
    assert_eq!((e2.event.as_str(), e2.id.as_str()), ("job:end", end_id.to_string().as_str()));
    // Bob's first event is his own: Alice's two were never sent to him.
    let b1 = next_event(&mut bob, wait).await.expect("bob job:start");
    assert_eq!(b1.id, bob_id.to_string());
    assert!(next_event(&mut alice, Duration::from_millis(600)).await.is_none(), "Alice never sees Bob's job");

    // Resume after the start: the end is replayed from the table, then live continues, once each.
    let mut resumed = connect(&base, &token(ALICE), Some(start_id)).await;
    wait_for_subscribers().await;
    let r1 = next_event(&mut resumed, wait).await.expect("replayed job:end");
    assert_eq!((r1.event.as_str(), r1.id.as_str()), ("job:end", end_id.to_string().as_str()));
    let next_id = jobs::record_job_start(db, "obc", &start("job-next", "acme-offsite")).await.unwrap().unwrap();
    let r2 = next_event(&mut resumed, wait).await.expect("live after replay");
    assert_eq!(r2.id, next_id.to_string());
    assert!(next_event(&mut resumed, Duration::from_millis(600)).await.is_none(), "no duplicates");

    // `?last_event_id=` works like the header (EventSource reconnects through the addon's redirect).
    let resp = client_no_timeout()
        .get(format!("{base}/api/v1/events?token={}&last_event_id={end_id}", token(ALICE)))
        .send()
        .await
        .unwrap();
    let mut by_query: SseStream = Box::pin(resp.bytes_stream().eventsource());
    let q1 = next_event(&mut by_query, wait).await.expect("replay by query");
    assert_eq!(q1.id, next_id.to_string());

    let (status, _) = get(&base, "/api/v1/events?token=garbage", None).await;
    assert_eq!(status, 401);
    // Stopping the server ends open streams (graceful shutdown must not hang on them).
    tokio::time::timeout(Duration::from_secs(5), server.stop()).await.expect("shutdown finished").unwrap();
});

/// MySQL assigns auto-increment ids at insert, so a smaller id can commit after a larger one is
/// visible. The poller must still deliver it (SQLite serialises writers, so this is MySQL-only).
#[tokio::test]
async fn sse_delivers_an_event_that_commits_after_a_larger_id_mysql() {
    use eazybackup::db::events::{self, EventKind};
    let test_db = eazybackup::testkit::TestDb::mysql().await;
    let db = test_db.db();
    seed_two_clients(db).await;
    let (addr, server) = spawn_for_test(db.clone(), SECRET).await.unwrap();
    let mut alice = connect(&format!("http://{addr}"), &token(ALICE), None).await;
    wait_for_subscribers().await;

    let mut slow = events::begin(db).await.unwrap();
    let slow_id =
        events::append(&mut slow, Some(ALICE), "eazybackup", "acme-dental", EventKind::ItemsChanged, &json!({"n": 1}), now())
            .await
            .unwrap();
    let mut fast = events::begin(db).await.unwrap();
    let fast_id =
        events::append(&mut fast, Some(ALICE), "eazybackup", "acme-dental", EventKind::ItemsChanged, &json!({"n": 2}), now())
            .await
            .unwrap();
    assert!(fast_id > slow_id);
    fast.commit().await.unwrap();
    let first = next_event(&mut alice, Duration::from_secs(5)).await.expect("the committed larger id");
    assert_eq!(first.id, fast_id.to_string());
    // Commit the smaller id well inside the grace period: it must still arrive.
    tokio::time::sleep(Duration::from_millis(500)).await;
    slow.commit().await.unwrap();
    let late = next_event(&mut alice, Duration::from_secs(5)).await.expect("the late commit");
    assert_eq!(late.id, slow_id.to_string());
    server.stop().await.unwrap();
    test_db.cleanup().await;
}

// Issue 7 point 11: a suspended service is read-only. Its incidents are shown, but a snooze is
// refused with 403 `read_only` and a message the UI shows; nothing is written but the audit row.
both_backends!(a_suspended_service_is_read_only, |db| async move {
    seed_two_clients(db).await;
    jobs::record_job_end(db, "obc", &end("job-err", "acme-offsite", 7003)).await.unwrap();
    with_pool!(db, pool => sqlx::query("UPDATE tblhosting SET domainstatus = 'Suspended' WHERE id = 102").execute(pool).await.map(|_| ()))
        .unwrap();
    let (addr, server) = spawn_for_test(db.clone(), SECRET).await.unwrap();
    let base = format!("http://{addr}");
    let alice = token(ALICE);
    let (_, snap) = get(&base, "/api/v1/pulse/snapshot", Some(&alice)).await;
    assert_eq!(snap["incidents"][0]["job_id"], "job-err", "a suspended service is still visible");

    let (status, body) = snooze(&base, &alice, r#"{"profile":"obc","job_id":"job-err","minutes":60}"#).await;
    assert_eq!((status, error_code(&body)), (403, "read_only"), "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("suspended"), "{body}");
    let acks: i64 =
        with_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM eb_incident_ack").fetch_one(pool).await).unwrap();
    assert_eq!(acks, 0);
    let (_, snap) = get(&base, "/api/v1/pulse/snapshot", Some(&alice)).await;
    assert_eq!(snap["incidents"][0]["job_id"], "job-err", "still shown");
    let audit: Vec<(String, String)> =
        with_pool!(db, pool => sqlx::query_as("SELECT result, target FROM eb_audit_log").fetch_all(pool).await).unwrap();
    assert_eq!(audit, vec![("denied".to_string(), "obc/job-err".to_string())]);
    server.stop().await.unwrap();
});
