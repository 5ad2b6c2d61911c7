//! The scoping extractors (`api::scope`, `api::write_access`) on routes of the shape the
//! `/services/{id}/...` routes take: 401 before anything, 404 for a service that is not the
//! client's (or not a service id at all), 403 `read_only` for a write to a suspended one.

use std::time::Duration;

use axum::routing::{get, post};
use axum::{Json, Router};
use eazybackup::api::AppState;
use eazybackup::api::auth::mint_token;
use eazybackup::api::scope::ScopedService;
use eazybackup::api::write_access::WritableService;
use eazybackup::both_backends;
use eazybackup::db::Db;
use eazybackup::db::tenancy::ClientId;
use eazybackup::with_pool;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::jobs::{ALICE, BOB, now, seed_two_clients};

const SECRET: &str = "scope-secret";

async fn read(s: ScopedService) -> Json<Value> {
    Json(json!({ "client": s.client.0, "service_id": s.service.service_id }))
}

async fn write(s: WritableService) -> Json<Value> {
    Json(json!({ "client": s.client.0, "service_id": s.service.service_id }))
}

/// Serves a router of test routes with the real state and extractors; returns its base URL.
async fn serve(db: &Db) -> (String, tokio::task::JoinHandle<()>) {
    let app = Router::new()
        .route("/services/{id}", get(read))
        .route("/services/{id}/things/{thing}", post(write))
        .route("/misrouted/{other}", get(read))
        .with_state(AppState::new(db.clone(), SecretString::from(SECRET.to_string()), vec![]));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}"), task)
}

fn token(client: ClientId) -> String {
    mint_token(SECRET.as_bytes(), client, now() + 900, "0123456789abcdef")
}

async fn call(method: reqwest::Method, url: String, token: Option<String>) -> (u16, Value) {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let mut req = client.request(method, url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("<none>")
}

both_backends!(scoped_and_writable_services_are_the_clients_own, |db| async move {
    seed_two_clients(db).await;
    let (base, task) = serve(db).await;
    let (alice, bob) = (token(ALICE), token(BOB));
    let read = |path: &str, t: Option<&str>| call(reqwest::Method::GET, format!("{base}{path}"), t.map(str::to_owned));
    let write = |path: &str, t: Option<&str>| call(reqwest::Method::POST, format!("{base}{path}"), t.map(str::to_owned));

    // The token first: without one, even another client's service is 401, not 404.
    assert_eq!(code(&read("/services/201", None).await.1), "unauthorized");
    assert_eq!(code(&write("/services/101/things/x", Some("garbage")).await.1), "unauthorized");

    assert_eq!(read("/services/101", Some(&alice)).await, (200, json!({ "client": 1, "service_id": 101 })));
    assert_eq!(read("/services/201", Some(&bob)).await, (200, json!({ "client": 2, "service_id": 201 })));
    // Another client's, a terminated one, one that does not exist, and ids that are no ids: 404.
    for path in
        ["/services/201", "/services/103", "/services/999", "/services/abc", "/services/+101", "/services/99999999999999999999"]
    {
        let (status, body) = read(path, Some(&alice)).await;
        assert_eq!((status, code(&body)), (404, "not_found"), "{path}");
    }
    assert_eq!(read("/services/101", Some(&bob)).await.0, 404);

    assert_eq!(write("/services/102/things/x", Some(&alice)).await, (200, json!({ "client": 1, "service_id": 102 })));
    with_pool!(db, pool => sqlx::query("UPDATE tblhosting SET domainstatus = 'Suspended' WHERE id = 102").execute(pool).await.map(|_| ()))
        .unwrap();
    // Suspended: still readable, not writable; another client is still told 404, not 403.
    assert_eq!(read("/services/102", Some(&alice)).await.0, 200);
    let (status, body) = write("/services/102/things/x", Some(&alice)).await;
    assert_eq!((status, code(&body)), (403, "read_only"), "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("suspended"), "{body}");
    assert_eq!(code(&write("/services/102/things/x", Some(&bob)).await.1), "not_found");
    assert_eq!(write("/services/101/things/x", Some(&alice)).await.0, 200, "the other service is still writable");

    // A route that takes a scoped service without `{id}` is a bug of ours: 500, not a guess.
    let (status, body) = read("/misrouted/101", Some(&alice)).await;
    assert_eq!((status, code(&body)), (500, "internal"), "{body}");
    task.abort();
});
