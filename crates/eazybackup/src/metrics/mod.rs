//! `GET /metrics`: Prometheus text for the operator — the customer API's requests and latency, the
//! SSE fan-out (`EventHub` figures and how far the outbox is ahead of the poller), and, read from
//! the database, each profile's worker (connected, age of its newest event) and live jobs.
//!
//! Not part of the customer API: it lives outside `/api/v1`, outside the OpenAPI document and
//! outside `src/api` — the one route `serve` registers with axum directly (the check in
//! `api::routes` that keeps every other route documented does not cover this module, and
//! [`tests::only_this_module_registers_raw_routes`] keeps it the only exception).
//!
//! Access: a loopback peer that did not come through a proxy (no forwarding header, not one of
//! `EB_API_TRUSTED_PROXIES`), or `Authorization: Bearer $EB_METRICS_TOKEN`. Anything else is 401
//! when a token is configured (a wrong token included), 403 when none is.
//!
//! Written by hand rather than with an exporter crate: the text format is a few lines, and the
//! figures already live in the hub and the database.

pub mod registry;

use std::fmt::Write;
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use secrecy::{ExposeSecret, SecretString};

use crate::api::AppState;
use crate::db::worker_state::HEARTBEAT_STALE_SECS;
use crate::db::{Db, DbError};
use crate::with_pool;

pub use registry::ApiMetrics;

pub const PATH: &str = "/metrics";

/// The `/metrics` route, merged beside the customer API by `api::serve::router`.
pub fn router() -> Router<AppState> {
    Router::new().route(PATH, get(metrics))
}

/// Route layer of the customer API: counts each request by its operation and status.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let operation = req
        .extensions()
        .get::<MatchedPath>()
        .and_then(|p| crate::api::openapi::operation_id(&method, p.as_str()))
        .unwrap_or("undocumented");
    let response = next.run(req).await;
    state.metrics.record(operation, method.as_str(), response.status().as_u16(), started.elapsed());
    response
}

async fn metrics(State(state): State<AppState>, req: Request) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if let Err(status) = allowed(peer, req.headers(), state.settings.metrics_token.as_deref(), &state.settings.trusted_proxies) {
        let mut response = (status, "metrics: loopback or Authorization: Bearer $EB_METRICS_TOKEN\n").into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        return response;
    }
    let body = render(&state, chrono::Utc::now().timestamp()).await;
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Headers a reverse proxy adds: a request carrying one came from elsewhere, whatever the peer.
const FORWARDING_HEADERS: [&str; 3] = ["x-forwarded-for", "forwarded", "x-real-ip"];

/// Whether a request may read the metrics (`Err`: the status to answer).
pub fn allowed(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    token: Option<&SecretString>,
    trusted: &[IpAddr],
) -> Result<(), StatusCode> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim);
    if let (Some(given), Some(token)) = (bearer, token) {
        return if constant_time_eq(given.as_bytes(), token.expose_secret().as_bytes()) {
            Ok(())
        } else {
            Err(StatusCode::UNAUTHORIZED)
        };
    }
    let proxied = FORWARDING_HEADERS.iter().any(|h| headers.contains_key(*h));
    let local = peer.is_some_and(|p| p.is_loopback() && !trusted.contains(&p)) && !proxied;
    match (local, token) {
        (true, _) => Ok(()),
        (false, Some(_)) => Err(StatusCode::UNAUTHORIZED),
        (false, None) => Err(StatusCode::FORBIDDEN),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The whole exposition: API, streams, then the database figures (`eb_db_up 0` when the database
/// cannot be read; the rest is still served).
pub async fn render(state: &AppState, now: i64) -> String {
    let mut out = String::new();
    state.metrics.render(&mut out);
    let hub = state.hub.figures();
    gauge(&mut out, "eb_sse_clients", "Clients with at least one open event stream.", hub.clients as i64);
    gauge(&mut out, "eb_sse_streams", "Open event streams (SSE subscriptions).", hub.streams as i64);
    counter(&mut out, "eb_sse_events_published_total", "Outbox rows handed to a client's stream.", hub.published);
    counter(
        &mut out,
        "eb_sse_lag_recoveries_total",
        "Times a stream fell behind and caught up from the outbox.",
        hub.lag_recoveries,
    );
    counter(&mut out, "eb_sse_outbox_reads_total", "Statements the stream machinery ran.", hub.outbox_reads);
    match database(&state.db, now).await {
        Ok(db) => {
            let lag = (db.outbox_max_id - state.hub.settled_position()).max(0);
            gauge(&mut out, "eb_sse_outbox_lag_rows", "Outbox rows not yet published by this instance's poller.", lag);
            gauge(&mut out, "eb_db_up", "Whether the database answered this scrape.", 1);
            per_profile(&mut out, "eb_worker_connected", "Worker holds the Comet event stream (fresh heartbeat).", &db.connected);
            per_profile(
                &mut out,
                "eb_worker_last_event_age_seconds",
                "Seconds since the newest event the worker processed.",
                &db.last_event_age,
            );
            per_profile(&mut out, "eb_jobs_live", "Running jobs in eb_jobs_live.", &db.live_jobs);
        }
        Err(e) => {
            tracing::warn!(error = %e, "metrics: reading the database failed");
            gauge(&mut out, "eb_db_up", "Whether the database answered this scrape.", 0);
        }
    }
    out
}

fn gauge(out: &mut String, name: &str, help: &str, v: i64) {
    let _ = write!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}\n");
}

fn counter(out: &mut String, name: &str, help: &str, v: u64) {
    let _ = write!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {v}\n");
}

fn per_profile(out: &mut String, name: &str, help: &str, values: &[(String, i64)]) {
    let _ = write!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n");
    for (profile, v) in values {
        let _ = writeln!(out, "{name}{{profile=\"{}\"}} {v}", registry::label(profile));
    }
}

struct DbFigures {
    outbox_max_id: i64,
    connected: Vec<(String, i64)>,
    last_event_age: Vec<(String, i64)>,
    live_jobs: Vec<(String, i64)>,
}

/// Four statements whatever the number of profiles.
async fn database(db: &Db, now: i64) -> Result<DbFigures, DbError> {
    let outbox_max_id: Option<i64> =
        with_pool!(db, pool => sqlx::query_scalar("SELECT MAX(id) FROM eb_events").fetch_one(pool).await?);
    let workers: Vec<(String, i64, i64)> = with_pool!(db, pool => sqlx::query_as(
        "SELECT profile, CAST(connected AS SIGNED), heartbeat_at FROM eb_worker_state ORDER BY profile"
    ).fetch_all(pool).await?);
    let cursors: Vec<(String, i64)> = with_pool!(db, pool => sqlx::query_as(
        "SELECT source, CAST(last_ts AS SIGNED) FROM eb_event_cursor WHERE source LIKE 'comet-ws:%' ORDER BY source"
    ).fetch_all(pool).await?);
    let live_jobs: Vec<(String, i64)> = with_pool!(db, pool => sqlx::query_as(
        "SELECT server_id, COUNT(*) FROM eb_jobs_live WHERE status BETWEEN 6000 AND 6999 GROUP BY server_id ORDER BY server_id"
    ).fetch_all(pool).await?);
    Ok(DbFigures {
        outbox_max_id: outbox_max_id.unwrap_or(0),
        connected: workers
            .into_iter()
            .map(|(p, flag, heartbeat)| (p, i64::from(flag != 0 && now - heartbeat <= HEARTBEAT_STALE_SECS)))
            .collect(),
        last_event_age: cursors
            .into_iter()
            .filter(|(_, ts)| *ts > 0)
            .map(|(source, ts)| (source.trim_start_matches("comet-ws:").to_string(), (now - ts).max(0)))
            .collect(),
        live_jobs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn loopback_or_token() {
        let lo: Option<IpAddr> = Some("127.0.0.1".parse().unwrap());
        let far: Option<IpAddr> = Some("203.0.113.9".parse().unwrap());
        let token = SecretString::from("s3cret-token".to_string());
        assert_eq!(allowed(lo, &headers(&[]), None, &[]), Ok(()));
        assert_eq!(allowed(Some("::1".parse().unwrap()), &headers(&[]), None, &[]), Ok(()));
        assert_eq!(allowed(far, &headers(&[]), None, &[]), Err(StatusCode::FORBIDDEN));
        assert_eq!(allowed(far, &headers(&[]), Some(&token), &[]), Err(StatusCode::UNAUTHORIZED));
        assert_eq!(allowed(far, &headers(&[("authorization", "Bearer s3cret-token")]), Some(&token), &[]), Ok(()));
        assert_eq!(
            allowed(far, &headers(&[("authorization", "Bearer wrong")]), Some(&token), &[]),
            Err(StatusCode::UNAUTHORIZED)
        );
        // Through a proxy on the same host, the peer is loopback but the client is not.
        assert_eq!(allowed(lo, &headers(&[("x-forwarded-for", "203.0.113.9")]), None, &[]), Err(StatusCode::FORBIDDEN));
        assert_eq!(allowed(lo, &headers(&[]), None, &["127.0.0.1".parse().unwrap()]), Err(StatusCode::FORBIDDEN));
        // A bearer without a configured token proves nothing.
        assert_eq!(allowed(far, &headers(&[("authorization", "Bearer x")]), None, &[]), Err(StatusCode::FORBIDDEN));
    }

    /// `/metrics` is the one route outside the documented customer API: no other module outside
    /// `src/api` (which `api::routes` checks) registers a route with axum directly.
    #[test]
    fn only_this_module_registers_raw_routes() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut offenders = Vec::new();
        let mut stack = vec![src.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    if path != src.join("api") {
                        stack.push(path);
                    }
                } else if path.extension().is_some_and(|e| e == "rs") && path != src.join("metrics/mod.rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    if text.contains(".route(") {
                        offenders.push(path.display().to_string());
                    }
                }
            }
        }
        assert!(offenders.is_empty(), "raw routes outside the OpenAPI document: {offenders:?}");
    }
}
