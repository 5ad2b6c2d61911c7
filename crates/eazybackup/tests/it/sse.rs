//! The event stream ends with its access: token expiry, logout (the addon's revocation), a
//! service moved away, a closed client; a client's streams are capped; replay is paged.

use std::time::Duration;

use eazybackup::api::auth::mint_token;
use eazybackup::api::spawn_for_test_with;
use eazybackup::api::sse::{self, EventHub, GAP_GRACE, GapCursor, StreamLimits};
use eazybackup::both_backends;
use eazybackup::db::events::{self, EventKind, NewEvent};
use eazybackup::db::revocations;
use eazybackup::db::tenancy::ClientId;
use eazybackup::db::{Db, jobs};
use eazybackup::with_pool;
use eventsource_stream::{Event, Eventsource};
use futures_util::{Stream, StreamExt};
use serde_json::{Value, json};

use crate::jobs::{ALICE, BOB, now, seed_two_clients, start};

const SECRET: &str = "test-secret";

fn token_until(client: ClientId, expires: i64) -> String {
    mint_token(SECRET.as_bytes(), client, expires, &format!("{:016x}", rand::random::<u64>()))
}

fn token(client: ClientId) -> String {
    token_until(client, now() + 900)
}

fn fast_checks() -> StreamLimits {
    StreamLimits { recheck_every: Duration::from_millis(200), ..StreamLimits::default() }
}

type SseStream =
    std::pin::Pin<Box<dyn Stream<Item = Result<Event, eventsource_stream::EventStreamError<reqwest::Error>>> + Send>>;

async fn open(base: &str, token: &str, last_event_id: Option<i64>) -> reqwest::Response {
    let mut req = reqwest::Client::new().get(format!("{base}/api/v1/events?token={token}"));
    if let Some(id) = last_event_id {
        req = req.header("Last-Event-ID", id.to_string());
    }
    req.send().await.unwrap()
}

async fn connect(base: &str, token: &str, last_event_id: Option<i64>) -> SseStream {
    let resp = open(base, token, last_event_id).await;
    assert_eq!(resp.status().as_u16(), 200);
    Box::pin(resp.bytes_stream().eventsource())
}

enum Next {
    Event(Event),
    Ended,
    Quiet,
}

async fn next(stream: &mut SseStream, wait: Duration) -> Next {
    match tokio::time::timeout(wait, stream.next()).await {
        Ok(Some(Ok(e))) => Next::Event(e),
        Ok(Some(Err(_))) | Ok(None) => Next::Ended,
        Err(_) => Next::Quiet,
    }
}

async fn expect_event(stream: &mut SseStream) -> Event {
    match next(stream, Duration::from_secs(5)).await {
        Next::Event(e) => e,
        Next::Ended => panic!("the stream ended"),
        Next::Quiet => panic!("no event within 5 s"),
    }
}

async fn expect_end(stream: &mut SseStream, within: Duration) {
    match next(stream, within).await {
        Next::Ended => {}
        Next::Event(e) => panic!("expected the end, got {:?} {}", e.event, e.data),
        Next::Quiet => panic!("the stream was still open after {within:?}"),
    }
}

async fn services_status(base: &str, token: &str) -> (u16, Value) {
    let resp = reqwest::Client::new().get(format!("{base}/api/v1/services")).bearer_auth(token).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn exec(db: &Db, sql: &str) {
    with_pool!(db, pool => sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(pool).await.map(|_| ())).expect(sql);
}

async fn settle() {
    // The handler subscribes before answering; give the poller a tick to be past its start.
    tokio::time::sleep(Duration::from_millis(300)).await;
}

both_backends!(a_stream_ends_when_its_token_expires, |db| async move {
    seed_two_clients(db).await;
    let (addr, server) = spawn_for_test_with(db.clone(), SECRET, StreamLimits::default()).await.unwrap();
    let base = format!("http://{addr}");
    let mut short = connect(&base, &token_until(ALICE, now() + 2), None).await;
    let mut long = connect(&base, &token(ALICE), None).await;
    settle().await;
    let id = jobs::record_job_start(db, "eazybackup", &start("job-1", "acme-dental")).await.unwrap().unwrap();
    assert_eq!(expect_event(&mut short).await.id, id.to_string(), "delivers until it expires");
    assert_eq!(expect_event(&mut long).await.id, id.to_string());
    expect_end(&mut short, Duration::from_secs(4)).await;
    assert!(matches!(next(&mut long, Duration::from_millis(300)).await, Next::Quiet), "a valid token's stream stays open");
    server.stop().await.unwrap();
});

both_backends!(logout_revokes_the_clients_tokens_and_ends_its_streams, |db| async move {
    seed_two_clients(db).await;
    let (addr, server) = spawn_for_test_with(db.clone(), SECRET, fast_checks()).await.unwrap();
    let base = format!("http://{addr}");
    let before = token(ALICE);
    let mut alice = connect(&base, &before, None).await;
    let mut bob = connect(&base, &token(BOB), None).await;
    settle().await;

    // What the addon's logout hook records.
    revocations::revoke(db, ALICE, now()).await.unwrap();
    expect_end(&mut alice, Duration::from_secs(2)).await;
    let (status, body) = services_status(&base, &before).await;
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("unauthorized")), "a token minted before the logout");
    assert_eq!(open(&base, &before, None).await.status().as_u16(), 401);

    // A token minted after the logout (the next login) works; Bob was never affected.
    let after = token_until(ALICE, now() + 901);
    assert_eq!(services_status(&base, &after).await.0, 200);
    let mut again = connect(&base, &after, None).await;
    settle().await;
    let id = jobs::record_job_start(db, "eazybackup", &start("job-2", "acme-dental")).await.unwrap().unwrap();
    assert_eq!(expect_event(&mut again).await.id, id.to_string());
    let bob_id = jobs::record_job_start(db, "eazybackup", &start("job-3", "brown-acct")).await.unwrap().unwrap();
    assert_eq!(expect_event(&mut bob).await.id, bob_id.to_string(), "Bob's stream outlived Alice's logout");
    server.stop().await.unwrap();
});

both_backends!(a_service_moved_to_another_client_stops_its_events, |db| async move {
    seed_two_clients(db).await;
    let (addr, server) = spawn_for_test_with(db.clone(), SECRET, fast_checks()).await.unwrap();
    let base = format!("http://{addr}");
    let mut alice = connect(&base, &token(ALICE), None).await;
    settle().await;

    exec(db, "UPDATE tblhosting SET userid = 2 WHERE id = 102").await;
    tokio::time::sleep(Duration::from_millis(600)).await; // past a re-check
    // Written with the owner the worker still had cached: stamped for Alice, but no longer hers.
    let mut tx = events::begin(db).await.unwrap();
    let moved = NewEvent::new(Some(ALICE), "obc", "acme-offsite", EventKind::ItemsChanged, &json!({"n": 1}), now()).unwrap();
    let kept = NewEvent::new(Some(ALICE), "eazybackup", "acme-dental", EventKind::ItemsChanged, &json!({"n": 2}), now()).unwrap();
    events::append_many(&mut tx, &[moved, kept]).await.unwrap();
    tx.commit().await.unwrap();
    let first = expect_event(&mut alice).await;
    assert_eq!(first.data, r#"{"n":2}"#, "the moved account's event is not shown");
    server.stop().await.unwrap();
});

both_backends!(a_closed_clients_stream_ends, |db| async move {
    seed_two_clients(db).await;
    exec(db, "INSERT INTO tblclients (id, firstname, lastname, companyname, email, password, language, datecreated, status) VALUES (1, 'A', 'A', '', 'a@example.com', '', '', '2026-01-01', 'Active')").await;
    let (addr, server) = spawn_for_test_with(db.clone(), SECRET, fast_checks()).await.unwrap();
    let base = format!("http://{addr}");
    let mut alice = connect(&base, &token(ALICE), None).await;
    settle().await;
    assert!(matches!(next(&mut alice, Duration::from_millis(500)).await, Next::Quiet), "open while Active");
    exec(db, "UPDATE tblclients SET status = 'Closed' WHERE id = 1").await;
    expect_end(&mut alice, Duration::from_secs(2)).await;
    assert_eq!(open(&base, &token(ALICE), None).await.status().as_u16(), 401, "no new stream for a closed client");
    server.stop().await.unwrap();
});

both_backends!(streams_per_client_are_capped, |db| async move {
    seed_two_clients(db).await;
    let limits = StreamLimits { max_per_client: 2, ..StreamLimits::default() };
    let (addr, server) = spawn_for_test_with(db.clone(), SECRET, limits).await.unwrap();
    let base = format!("http://{addr}");
    let mut first = connect(&base, &token_until(ALICE, now() + 2), None).await;
    let _second = connect(&base, &token(ALICE), None).await;
    let refused = open(&base, &token(ALICE), None).await;
    assert_eq!(refused.status().as_u16(), 429);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("Too many live connections")), "{body}");
    let _bob = connect(&base, &token(BOB), None).await; // the cap is per client

    // A stream that ends frees its slot.
    expect_end(&mut first, Duration::from_secs(4)).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(open(&base, &token(ALICE), None).await.status().as_u16(), 200);
    server.stop().await.unwrap();
});

both_backends!(replay_pages_through_the_clients_rows_in_order, |db| async move {
    seed_two_clients(db).await;
    let mut rows = Vec::new();
    for i in 0..1_234 {
        let (client, profile, user) =
            if i % 5 == 4 { (BOB, "eazybackup", "brown-acct") } else { (ALICE, "eazybackup", "acme-dental") };
        rows.push(NewEvent::new(Some(client), profile, user, EventKind::ItemsChanged, &json!({ "i": i }), now()).unwrap());
    }
    let mut tx = events::begin(db).await.unwrap();
    events::append_many(&mut tx, &rows).await.unwrap();
    tx.commit().await.unwrap();
    let all = events::since(db, 0, 5_000).await.unwrap();
    let alice_ids: Vec<String> = all.iter().filter(|r| r.client_id == Some(1)).map(|r| r.id.to_string()).collect();
    assert_eq!(alice_ids.len(), 988);

    let (addr, server) = spawn_for_test_with(db.clone(), SECRET, StreamLimits::default()).await.unwrap();
    let mut alice = connect(&format!("http://{addr}"), &token(ALICE), Some(0)).await;
    let mut got = Vec::new();
    while got.len() < alice_ids.len() {
        got.push(expect_event(&mut alice).await.id);
    }
    assert_eq!(got, alice_ids, "every page, in order, only Alice's");
    assert!(matches!(next(&mut alice, Duration::from_millis(500)).await, Next::Quiet), "nothing twice");
    server.stop().await.unwrap();
});

async fn stream_figures(base: &str) -> Value {
    let health: Value = reqwest::Client::new().get(format!("{base}/api/v1/health")).send().await.unwrap().json().await.unwrap();
    health["streams"].clone()
}

async fn append_burst(db: &Db, client: ClientId, username: &str, n: usize) {
    let rows: Vec<NewEvent> = (0..n)
        .map(|i| NewEvent::new(Some(client), "eazybackup", username, EventKind::JobProgress, &json!({ "i": i }), now()).unwrap())
        .collect();
    let mut tx = events::begin(db).await.unwrap();
    events::append_many(&mut tx, &rows).await.unwrap();
    tx.commit().await.unwrap();
}

// A burst far larger than a client's channel: the poller publishes it in one go (the stream's task
// cannot read meanwhile on this single-threaded runtime), so the stream falls behind. It catches
// up from the outbox — every row once, in order, the stream still open — and the lag is counted.
both_backends!(a_stream_that_falls_behind_catches_up_from_the_outbox_and_is_counted, |db| async move {
    seed_two_clients(db).await;
    let (addr, server) = spawn_for_test_with(db.clone(), SECRET, StreamLimits::default()).await.unwrap();
    let base = format!("http://{addr}");
    let mut alice = connect(&base, &token(ALICE), None).await;
    settle().await;
    assert_eq!(stream_figures(&base).await["lag_recoveries"], 0);
    append_burst(db, ALICE, "acme-dental", 1_000).await;
    let ids: Vec<i64> = events::since(db, 0, 5_000).await.unwrap().iter().map(|r| r.id).collect();
    let mut got = Vec::new();
    while got.len() < ids.len() {
        got.push(expect_event(&mut alice).await.id.parse::<i64>().unwrap());
    }
    assert_eq!(got, ids, "every row once, in order");
    assert!(matches!(next(&mut alice, Duration::from_millis(500)).await, Next::Quiet), "still open, nothing twice");
    assert!(stream_figures(&base).await["lag_recoveries"].as_u64().unwrap() >= 1, "the lag is counted");
    server.stop().await.unwrap();
});

// The poller reads again at once while batches come back full: a backlog of several batches is
// published by one poll, not one batch per tick.
both_backends!(one_poll_drains_a_backlog_of_several_batches, |db| async move {
    seed_two_clients(db).await;
    append_burst(db, ALICE, "acme-dental", 1_200).await;
    let hub = EventHub::default();
    let _alice = hub.subscribe(ALICE);
    let mut cursor = GapCursor::new(0, GAP_GRACE);
    let reads = sse::drain(db, &hub, &mut cursor, 500).await.unwrap();
    assert_eq!(reads, 3, "500 + 500 + 200 (short: stop)");
    assert_eq!(hub.figures().published, 1_200);
    assert_eq!(cursor.position(), events::max_id(db).await.unwrap());
});

// Streams come and go per client: a client's channel exists while one of its streams does.
both_backends!(a_clients_channel_is_freed_when_its_last_stream_closes, |db| async move {
    seed_two_clients(db).await;
    let (addr, server) = spawn_for_test_with(db.clone(), SECRET, StreamLimits::default()).await.unwrap();
    let base = format!("http://{addr}");
    let a1 = connect(&base, &token(ALICE), None).await;
    let a2 = connect(&base, &token(ALICE), None).await;
    let b = connect(&base, &token(BOB), None).await;
    settle().await;
    let f = stream_figures(&base).await;
    assert_eq!((f["clients"].as_u64(), f["streams"].as_u64()), (Some(2), Some(3)));
    drop((a1, a2, b));
    // The server notices a closed connection at its next write: an event, or the keep-alive.
    for _ in 0..3 {
        append_burst(db, ALICE, "acme-dental", 1).await;
        append_burst(db, BOB, "brown-acct", 1).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let f = stream_figures(&base).await;
        if f["clients"] == 0 && f["streams"] == 0 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "still held: {f}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server.stop().await.unwrap();
});

// The periodic access check runs once per instance for every client with a stream open, not once
// per stream: eight streams re-checked five times a second cost what one would.
both_backends!(access_checks_do_not_grow_with_streams, |db| async move {
    seed_two_clients(db).await;
    let (addr, server) = spawn_for_test_with(db.clone(), SECRET, fast_checks()).await.unwrap();
    let base = format!("http://{addr}");
    let mut streams = Vec::new();
    for _ in 0..6 {
        streams.push(connect(&base, &token(ALICE), None).await);
    }
    for _ in 0..2 {
        streams.push(connect(&base, &token(BOB), None).await);
    }
    settle().await;
    let before = stream_figures(&base).await["outbox_reads"].as_u64().unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let spent = stream_figures(&base).await["outbox_reads"].as_u64().unwrap() - before;
    // Ten checks of 3 statements (both clients in one) plus about eight poller reads; per stream
    // it would be 8 × 10 × 3 = 240.
    assert!(spent <= 60, "{spent} statements in 2 s");
    assert!(spent >= 20, "the checks still run: {spent}");
    drop(streams);
    server.stop().await.unwrap();
});
