//! Abuse limits: per-client rate limits (429 + `Retry-After`), the body limit (413) and the
//! maximum token lifetime (401), in the one error body.

use eazybackup::api::auth::{mint_token, mint_user_token};
use eazybackup::api::rate_limit::{CallClass, Rate};
use eazybackup::api::{spawn_for_test, spawn_state_for_test, test_state};
use eazybackup::both_backends;
use reqwest::Method;
use serde_json::json;

use crate::api::SECRET;
use crate::http::call;
use crate::jobs::{ALICE, BOB, end, now, seed_two_clients};
use crate::refusals::token;

async fn seed(db: &eazybackup::db::Db) {
    seed_two_clients(db).await;
    for (profile, job, username) in [("eazybackup", "job-1", "acme-dental"), ("eazybackup", "job-b", "brown-acct")] {
        eazybackup::db::jobs::record_job_end(db, profile, &end(job, username, 7003)).await.unwrap();
    }
}

both_backends!(expensive_calls_are_limited_per_client, |db| async move {
    seed(db).await;
    let state = test_state(db.clone(), SECRET);
    state.rate_limiter.set_rate(CallClass::CheapWrite, Rate { burst: 2, per_minute: 1 });
    let (addr, server) = spawn_state_for_test(state).await.unwrap();
    let url = format!("http://{addr}/api/v1/incidents/snooze");
    let alice_body = json!({ "profile": "eazybackup", "job_id": "job-1", "minutes": 5 });
    let alice = token(ALICE);
    for _ in 0..2 {
        assert_eq!(call(&Method::POST, &url, Some(&alice), Some(&alice_body)).await.status, 200);
    }
    let limited = call(&Method::POST, &url, Some(&alice), Some(&alice_body)).await;
    assert_eq!((limited.status, limited.code()), (429, "rate_limited"), "{}", limited.body);
    let retry: u64 = limited.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "one call a minute: retry after {retry}");
    // Another client has a bucket of its own.
    let bob_body = json!({ "profile": "eazybackup", "job_id": "job-b", "minutes": 5 });
    assert_eq!(call(&Method::POST, &url, Some(&token(BOB)), Some(&bob_body)).await.status, 200);
    // Reads are not in the class.
    assert_eq!(call(&Method::GET, &format!("http://{addr}/api/v1/services"), Some(&alice), None).await.status, 200);
    // The refused call is audited as denied.
    let last: (String, String) = eazybackup::with_pool!(db, pool => sqlx::query_as(
        "SELECT result, message FROM eb_audit_log WHERE client_id = 1 ORDER BY id DESC LIMIT 1").fetch_one(pool).await)
    .unwrap();
    assert_eq!(last, ("denied".to_string(), "rate_limited".to_string()));
    server.stop().await.unwrap();
});

both_backends!(oversize_bodies_are_refused_with_413, |db| async move {
    seed(db).await;
    let (addr, server) = spawn_for_test(db.clone(), SECRET).await.unwrap();
    let url = format!("http://{addr}/api/v1/incidents/snooze");
    let alice = token(ALICE);
    // Over the default 64 KiB: refused before it is parsed, in the error body.
    let padding = "x".repeat(70 * 1024);
    let big = json!({ "profile": "eazybackup", "job_id": "job-1", "minutes": 5, "padding": padding });
    let answer = call(&Method::POST, &url, Some(&alice), Some(&big)).await;
    assert_eq!((answer.status, answer.code()), (413, "payload_too_large"), "{}", answer.body);
    let small = json!({ "profile": "eazybackup", "job_id": "job-1", "minutes": 5, "padding": "x".repeat(1024) });
    assert_eq!(call(&Method::POST, &url, Some(&alice), Some(&small)).await.status, 200, "unknown fields are ignored");
    server.stop().await.unwrap();

    // Configurable.
    let mut state = test_state(db.clone(), SECRET);
    state.settings.max_body_bytes = 512;
    let (addr, server) = spawn_state_for_test(state).await.unwrap();
    let answer = call(&Method::POST, &format!("http://{addr}/api/v1/incidents/snooze"), Some(&alice), Some(&small)).await;
    assert_eq!((answer.status, answer.code()), (413, "payload_too_large"));
    server.stop().await.unwrap();
});

both_backends!(tokens_may_not_outlive_the_maximum_lifetime, |db| async move {
    seed(db).await;
    let (addr, server) = spawn_for_test(db.clone(), SECRET).await.unwrap();
    let url = format!("http://{addr}/api/v1/services");
    let secret = SECRET.as_bytes();
    let t = now();
    let cases = [
        ("a v2 token of 15 minutes", mint_user_token(secret, ALICE, 3, t, t + 900, "n"), 200),
        ("a v2 token of exactly an hour", mint_user_token(secret, ALICE, 3, t, t + 3600, "n"), 200),
        ("a v2 token of two hours", mint_user_token(secret, ALICE, 3, t, t + 7200, "n"), 401),
        ("a v2 token minted in the future", mint_user_token(secret, ALICE, 3, t + 7000, t + 7200, "n"), 401),
        ("a v1 token of 15 minutes", mint_token(secret, ALICE, t + 900, "n"), 200),
        ("a v1 token of a year", mint_token(secret, ALICE, t + 31_536_000, "n"), 401),
    ];
    for (case, token, want) in &cases {
        let answer = call(&Method::GET, &url, Some(token), None).await;
        assert_eq!(answer.status, *want, "{case}: {}", answer.body);
        if *want == 401 {
            assert_eq!(answer.code(), "unauthorized", "{case}");
        }
    }
    server.stop().await.unwrap();

    let mut state = test_state(db.clone(), SECRET);
    state.settings.max_token_lifetime_secs = 600;
    let (addr, server) = spawn_state_for_test(state).await.unwrap();
    let answer = call(&Method::GET, &format!("http://{addr}/api/v1/services"), Some(&cases[0].1), None).await;
    assert_eq!(answer.status, 401, "15 minutes is over a 10-minute maximum");
    server.stop().await.unwrap();
});
