//! `GET /api/v1/services/{id}/activity`: the service's audit rows, newest first, keyset-paged,
//! the service's only (the refusal table covers other clients' and unknown ids).

use eazybackup::api::spawn_for_test;
use eazybackup::both_backends;
use reqwest::Method;
use serde_json::json;

use crate::api::SECRET;
use crate::http::call;
use crate::jobs::{ALICE, BOB, end, seed_two_clients};
use crate::refusals::{ALICE_USER, token};

both_backends!(activity_pages_the_services_audit_newest_first, |db| async move {
    seed_two_clients(db).await;
    for (profile, job, username) in
        [("eazybackup", "job-1", "acme-dental"), ("obc", "job-2", "acme-offsite"), ("eazybackup", "job-b", "brown-acct")]
    {
        eazybackup::db::jobs::record_job_end(db, profile, &end(job, username, 7003)).await.unwrap();
    }
    let (addr, server) = spawn_for_test(db.clone(), SECRET).await.unwrap();
    let base = format!("http://{addr}");
    let (alice, bob) = (token(ALICE), token(BOB));
    let snooze = |t: String, profile: &'static str, job: &'static str, minutes: i64| {
        let url = format!("{base}/api/v1/incidents/snooze");
        async move {
            let body = json!({ "profile": profile, "job_id": job, "minutes": minutes });
            call(&Method::POST, &url, Some(&t), Some(&body)).await.status
        }
    };
    for minutes in [10, 20, 30] {
        assert_eq!(snooze(alice.clone(), "eazybackup", "job-1", minutes).await, 200);
    }
    assert_eq!(snooze(alice.clone(), "obc", "job-2", 40).await, 200);
    assert_eq!(snooze(bob.clone(), "eazybackup", "job-b", 50).await, 200);
    // Bob's refused try on Alice's job is audited as his, and never shown on Alice's page.
    assert_eq!(snooze(bob.clone(), "eazybackup", "job-1", 60).await, 404);

    let get = |path: String| {
        let (url, t) = (format!("{base}{path}"), alice.clone());
        async move { call(&Method::GET, &url, Some(&t), None).await }
    };
    let first = get("/api/v1/services/101/activity?limit=2".into()).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let entries = first.body["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    let messages: Vec<&str> = entries.iter().map(|e| e["message"].as_str().unwrap_or_default()).collect();
    assert!(messages[0].starts_with("until ") && messages[1].starts_with("until "), "{messages:?}");
    let ids: Vec<i64> = entries.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(ids[0] > ids[1], "newest first: {ids:?}");
    let e = &entries[0];
    assert_eq!(
        (e["action"].as_str(), e["result"].as_str(), e["target"].as_str()),
        (Some("incident.snooze"), Some("ok"), Some("eazybackup/job-1"))
    );
    assert_eq!(e["user_id"], ALICE_USER);
    assert!(e["created_at"].as_i64().unwrap() > 1_700_000_000);
    assert!(e.get("ip").is_none() && e.get("client_id").is_none(), "{e}");
    assert_eq!(first.body["next_before"], ids[1]);

    let second = get(format!("/api/v1/services/101/activity?limit=2&before={}", ids[1])).await;
    let rest = second.body["entries"].as_array().unwrap();
    assert_eq!(rest.len(), 1, "{}", second.body);
    assert!(rest[0]["id"].as_i64().unwrap() < ids[1]);
    assert_eq!(second.body["next_before"], json!(null), "the last page says so");

    // The default page holds all three of 101's rows, none of 102's or Bob's.
    let all = get("/api/v1/services/101/activity".into()).await;
    let targets: Vec<&str> = all.body["entries"].as_array().unwrap().iter().map(|e| e["target"].as_str().unwrap()).collect();
    assert_eq!(targets, ["eazybackup/job-1"; 3]);
    let obc = get("/api/v1/services/102/activity".into()).await;
    assert_eq!(obc.body["entries"].as_array().map(Vec::len), Some(1));

    for (query, want) in [
        ("limit=0", (422, "invalid")),
        ("limit=101", (422, "invalid")),
        ("before=0", (422, "invalid")),
        ("limit=abc", (400, "bad_request")),
    ] {
        let answer = get(format!("/api/v1/services/101/activity?{query}")).await;
        assert_eq!((answer.status, answer.code()), want, "{query}: {}", answer.body);
    }
    let answer = get("/api/v1/services/101/activity?limit=0".into()).await;
    assert_eq!(answer.body["error"]["field"], "limit");
    assert_eq!(get("/api/v1/services/101/activity?limit=100".into()).await.status, 200);
    server.stop().await.unwrap();
});

// The audit's `ip`: the peer, unless the peer is a trusted proxy, whose `X-Forwarded-For` then
// names the client (its right-most entry; what the client wrote to the left is ignored).
both_backends!(the_audit_believes_forwarded_for_from_a_trusted_proxy_only, |db| async move {
    seed_two_clients(db).await;
    eazybackup::db::jobs::record_job_end(db, "eazybackup", &end("job-1", "acme-dental", 7003)).await.unwrap();
    let snooze_via = |addr: std::net::SocketAddr| async move {
        let resp = reqwest::Client::new()
            .post(format!("http://{addr}/api/v1/incidents/snooze"))
            .bearer_auth(token(ALICE))
            .header("x-forwarded-for", "203.0.113.66, 198.51.100.7")
            .json(&json!({ "profile": "eazybackup", "job_id": "job-1", "minutes": 5 }))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 200);
    };
    let last_ip = || async {
        eazybackup::with_pool!(db, pool => sqlx::query_scalar::<_, String>("SELECT ip FROM eb_audit_log ORDER BY id DESC LIMIT 1")
            .fetch_one(pool)
            .await)
        .unwrap()
    };

    let (addr, server) = spawn_for_test(db.clone(), SECRET).await.unwrap();
    snooze_via(addr).await;
    assert_eq!(last_ip().await, "127.0.0.1", "an untrusted peer's header is not believed");
    server.stop().await.unwrap();

    let mut state = eazybackup::api::test_state(db.clone(), SECRET);
    state.settings.trusted_proxies = std::sync::Arc::new(vec!["127.0.0.1".parse().unwrap()]);
    let (addr, server) = eazybackup::api::spawn_state_for_test(state).await.unwrap();
    snooze_via(addr).await;
    assert_eq!(last_ip().await, "198.51.100.7");
    server.stop().await.unwrap();
});
