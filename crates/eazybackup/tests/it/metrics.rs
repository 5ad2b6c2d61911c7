//! `GET /metrics` on a running `serve`: loopback peers read it, proxied or foreign peers need
//! `EB_METRICS_TOKEN`, the body is Prometheus text with the API, stream and worker figures, and it
//! is neither under `/api/v1` nor in the OpenAPI document.

use std::collections::BTreeMap;
use std::sync::Arc;

use eazybackup::db::Db;
use eazybackup::db::worker_state;
use eazybackup::with_pool;
use secrecy::SecretString;

const SECRET: &str = "metrics-test-secret-0123456789abcdef";
const TOKEN: &str = "scrape-token-42";

/// Sample lines by name and labels; panics on any line that is not valid exposition text.
fn parse(body: &str) -> BTreeMap<String, f64> {
    let mut samples = BTreeMap::new();
    let mut typed = std::collections::BTreeSet::new();
    for line in body.lines() {
        if let Some(rest) = line.strip_prefix("# ") {
            let mut parts = rest.splitn(3, ' ');
            let (kind, name) = (parts.next().unwrap(), parts.next().expect("a metric name"));
            assert!(kind == "HELP" || kind == "TYPE", "{line}");
            if kind == "TYPE" {
                assert!(["counter", "gauge", "histogram"].contains(&parts.next().unwrap_or("")), "{line}");
                assert!(typed.insert(name.to_string()), "one TYPE per metric: {line}");
            }
            continue;
        }
        assert!(!line.is_empty(), "no blank lines");
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("no value: {line}"));
        let name_end = series.find('{').unwrap_or(series.len());
        let name = &series[..name_end];
        assert!(!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "{line}");
        if name_end < series.len() {
            assert!(series.ends_with('}'), "{line}");
        }
        let family = ["_bucket", "_sum", "_count"].iter().fold(name, |n, s| n.strip_suffix(s).unwrap_or(n));
        assert!(typed.contains(name) || typed.contains(family), "sample before its TYPE: {line}");
        let v: f64 = value.parse().unwrap_or_else(|_| panic!("not a number: {line}"));
        samples.insert(series.to_string(), v);
    }
    samples
}

async fn get(url: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let client = reqwest::Client::new();
    let mut req = client.get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.expect("the server answers");
    (resp.status().as_u16(), resp.text().await.unwrap())
}

async fn seed(db: &Db) {
    eazybackup::db::migrate::migrate(db).await.unwrap();
    let now = chrono::Utc::now().timestamp();
    worker_state::connected(db, "eazybackup", now).await.unwrap();
    worker_state::disconnected(db, "obc", now - 60, Some("gone")).await.unwrap();
    with_pool!(db, pool => sqlx::query("INSERT INTO eb_event_cursor (source, last_ts, updated_at) VALUES ('comet-ws:eazybackup', ?, ?)")
        .bind(now - 30).bind(now - 30).execute(pool).await.map(|_| ()).unwrap());
    with_pool!(db, pool => sqlx::query(
        "INSERT INTO eb_jobs_live (server_id, job_id, username, started_at, last_update, status) VALUES ('eazybackup', 'j1', 'alice', ?, ?, 6001)"
    ).bind(now).bind(now).execute(pool).await.map(|_| ()).unwrap());
}

eazybackup::both_backends!(metrics_are_for_loopback_or_the_token, |db| async move {
    seed(db).await;
    let (addr, server) = eazybackup::api::spawn_for_test(db.clone(), SECRET).await.unwrap();
    let base = format!("http://{addr}");
    assert_eq!(get(&format!("{base}/api/v1/health"), &[]).await.0, 200);

    // From loopback, directly: the figures.
    let (status, body) = get(&format!("{base}/metrics"), &[]).await;
    assert_eq!(status, 200, "{body}");
    let m = parse(&body);
    assert_eq!(m.get("eb_api_requests_total{operation=\"health\",method=\"GET\",status=\"200\"}"), Some(&1.0), "{body}");
    assert_eq!(m.get("eb_api_request_duration_seconds_count{operation=\"health\"}"), Some(&1.0), "{body}");
    assert_eq!(m.get("eb_worker_connected{profile=\"eazybackup\"}"), Some(&1.0), "{body}");
    assert_eq!(m.get("eb_worker_connected{profile=\"obc\"}"), Some(&0.0), "{body}");
    assert!(
        m.get("eb_worker_last_event_age_seconds{profile=\"eazybackup\"}").is_some_and(|a| (30.0..120.0).contains(a)),
        "{body}"
    );
    assert_eq!(m.get("eb_jobs_live{profile=\"eazybackup\"}"), Some(&1.0), "{body}");
    assert_eq!(m.get("eb_sse_streams"), Some(&0.0));
    assert_eq!(m.get("eb_db_up"), Some(&1.0));
    assert!(m.contains_key("eb_sse_outbox_lag_rows"), "{body}");
    // The scrape itself is not an API operation.
    assert!(!body.contains("operation=\"undocumented\""), "{body}");

    // Through a proxy (a forwarding header), the loopback peer proves nothing: no token, 403.
    assert_eq!(get(&format!("{base}/metrics"), &[("x-forwarded-for", "203.0.113.9")]).await.0, 403);
    // Not part of the customer API or its document.
    assert_eq!(get(&format!("{base}/api/v1/metrics"), &[]).await.0, 404);
    let (_, doc) = get(&format!("{base}/api/v1/openapi.json"), &[]).await;
    assert!(!doc.contains("/metrics"), "the OpenAPI document does not list /metrics");
    server.stop().await.unwrap();

    // With a token configured and the peer a trusted proxy (what a non-loopback client looks
    // like): 401 without or with a wrong token, 200 with it.
    let mut state = eazybackup::api::test_state(db.clone(), SECRET);
    state.settings.metrics_token = Some(Arc::new(SecretString::from(TOKEN.to_string())));
    state.settings.trusted_proxies = Arc::new(vec!["127.0.0.1".parse().unwrap()]);
    let (addr, server) = eazybackup::api::spawn_state_for_test(state).await.unwrap();
    let url = format!("http://{addr}/metrics");
    assert_eq!(get(&url, &[]).await.0, 401);
    assert_eq!(get(&url, &[("authorization", "Bearer nope")]).await.0, 401);
    let (status, body) = get(&url, &[("authorization", &format!("Bearer {TOKEN}"))]).await;
    assert_eq!(status, 200);
    parse(&body);
    server.stop().await.unwrap();
});
