//! The OpenAPI document (`GET /api/v1/openapi.json`) describes every route that is served, and
//! every operation it describes is served: called without a token each answers 401 (or 200 for
//! the public two), never the router's own 404 or 405.

use eazybackup::api::spawn_for_test;
use eazybackup::both_backends;
use reqwest::Method;
use serde_json::json;

use crate::api::{SECRET, token};
use crate::http::{call, operations};
use crate::jobs::{ALICE, seed_two_clients};

/// Served without a token, by design.
const PUBLIC: &[&str] = &["health", "openapi"];

both_backends!(every_documented_operation_is_served_and_guarded, |db| async move {
    seed_two_clients(db).await;
    let (addr, server) = spawn_for_test(db.clone(), SECRET).await.unwrap();
    let base = format!("http://{addr}");

    let served = call(&Method::GET, &format!("{base}/api/v1/openapi.json"), None, None).await;
    assert_eq!(served.status, 200);
    let doc = served.body;
    assert_eq!(doc, serde_json::to_value(eazybackup::api::openapi::document()).unwrap(), "served = generated");
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "{}", doc["openapi"]);
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object(), "the error body is described");

    let ops = operations(&doc);
    let keys: Vec<String> = ops.iter().map(|o| o.key()).collect();
    for expected in [
        "GET /api/v1/health",
        "GET /api/v1/services",
        "GET /api/v1/pulse/snapshot",
        "POST /api/v1/incidents/snooze",
        "GET /api/v1/events",
    ] {
        assert!(keys.iter().any(|k| k == expected), "{expected} is documented: {keys:?}");
    }
    let mut ids: Vec<&str> = ops.iter().map(|o| o.operation_id.as_str()).collect();
    assert!(ids.iter().all(|id| !id.is_empty()), "every operation has an operationId: {keys:?}");
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), ops.len(), "operationIds are unique");

    for op in &ops {
        let public = PUBLIC.contains(&op.operation_id.as_str());
        assert_eq!(op.secured, !public, "{}: only {PUBLIC:?} go without a token", op.key());
        // Any path parameter filled with an id: the token is checked before ids are looked at.
        let path = op.path.split('/').map(|seg| if seg.starts_with('{') { "1" } else { seg }).collect::<Vec<_>>().join("/");
        let body = op.is_write().then(|| json!({}));
        let answer = call(&op.method, &format!("{base}{path}"), None, body.as_ref()).await;
        if public {
            assert_eq!(answer.status, 200, "{}", op.key());
        } else {
            assert_eq!((answer.status, answer.code()), (401, "unauthorized"), "{} must be served and guarded", op.key());
            assert!(op.statuses.contains(&401), "{} documents its 401", op.key());
        }
    }

    // What the router answers for a route it does not have, for contrast: the error body, 404.
    let unknown = call(&Method::GET, &format!("{base}/api/v1/no-such-route"), Some(&token(ALICE)), None).await;
    assert_eq!((unknown.status, unknown.code()), (404, "not_found"));
    server.stop().await.unwrap();
});
