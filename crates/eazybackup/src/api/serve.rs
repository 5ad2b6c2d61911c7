//! `eazybackup serve` startup: listener, shared state, CORS, the outbox poller and graceful
//! shutdown. The routes themselves are in `api::routes`.

use std::net::SocketAddr;

use anyhow::Context;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, Request, header};
use axum::middleware;
use secrecy::{ExposeSecret, SecretString};
use tokio_util::sync::CancellationToken;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::TraceLayer;

use crate::api::comet_clients::CometClients;
use crate::api::sse::{self, StreamLimits};
use crate::api::state::ApiSettings;
use crate::api::{AppState, audit, routes};
use crate::config::Config;
use crate::db::Db;

fn cors_layer(origins: &[String]) -> CorsLayer {
    let allow_origin = if origins.iter().any(|o| o.trim() == "*") {
        AllowOrigin::any()
    } else {
        let list: Vec<HeaderValue> = origins
            .iter()
            .filter_map(|o| match HeaderValue::from_str(o.trim()) {
                Ok(v) => Some(v),
                Err(_) => {
                    tracing::warn!(origin = %o, "EB_API_CORS_ORIGINS entry is not a valid origin; ignored");
                    None
                }
            })
            .collect();
        AllowOrigin::list(list)
    };
    CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE, Method::OPTIONS])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, HeaderName::from_static("last-event-id")])
        .allow_credentials(false)
}

/// The customer API with the audit of writes, the body limit, CORS and request tracing. The trace
/// span records the path only: `?token=` must never reach the logs.
pub fn router(state: AppState) -> Router {
    let cors = cors_layer(&state.cors_origins);
    let (routes, _document) = routes::router();
    // A route layer, so it sees the matched route (its operationId is the audit action).
    let audited = routes
        .route_layer(middleware::from_fn_with_state(state.clone(), audit::record_writes))
        .route_layer(middleware::from_fn_with_state(state.clone(), crate::metrics::track));
    let body_limit = DefaultBodyLimit::max(state.settings.max_body_bytes);
    // The operator's `/metrics` (outside `/api/v1` and the document; `crate::metrics`).
    let audited = audited.merge(crate::metrics::router());
    audited.with_state(state).layer(body_limit).layer(cors).layer(
        TraceLayer::new_for_http()
            .make_span_with(|req: &Request<_>| tracing::info_span!("http", method = %req.method(), path = %req.uri().path())),
    )
}

/// Settings for [`serve_with`].
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub listen: SocketAddr,
    pub secret: SecretString,
    pub cors_origins: Vec<String>,
    pub settings: ApiSettings,
    /// The per-profile Comet clients (empty: every Comet call answers `upstream`).
    pub comet: CometClients,
}

/// A running server (tests and embedding); dropping it stops the server.
pub struct ServerHandle {
    pub addr: SocketAddr,
    shutdown: CancellationToken,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl ServerHandle {
    /// Stops accepting, ends open SSE streams and waits for the server task.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        match self.task.take() {
            Some(task) => task.await.context("server task panicked")?,
            None => Ok(()),
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// Binds, starts the outbox poller and the streams' access check, and serves until the handle is
/// stopped or dropped.
pub async fn start(state: AppState, listen: SocketAddr) -> anyhow::Result<ServerHandle> {
    if state.secret.expose_secret().is_empty() {
        anyhow::bail!("the API secret (EB_API_SECRET) is empty");
    }
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr().context("reading the bound address")?;
    let shutdown = state.shutdown.clone();
    let poller = sse::spawn_poller(state.db.clone(), state.hub.clone(), shutdown.clone())
        .await
        .context("reading the event outbox (has `eazybackup migrate` run?)")?;
    let checks = sse::spawn_access_checks(state.db.clone(), state.hub.clone(), state.limits.recheck_every, shutdown.clone());
    let app = router(state);
    let stop = shutdown.clone();
    let task = tokio::spawn(async move {
        let graceful = stop.clone();
        // The peer address is the audit's `ip` (or the trusted proxy's, `api::client_ip`).
        let app = app.into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(listener, app).with_graceful_shutdown(async move { graceful.cancelled().await }).await;
        stop.cancel();
        let _ = poller.await;
        let _ = checks.await;
        served.context("HTTP server failed")
    });
    Ok(ServerHandle { addr, shutdown, task: Some(task) })
}

/// `eazybackup serve` flags.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on (default: `EB_API_LISTEN`, else 127.0.0.1:8090).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
}

/// `eazybackup serve [--listen ADDR]`.
pub async fn run_cli(config: &Config, args: ServeArgs) -> anyhow::Result<()> {
    serve_on(config, args.listen.unwrap_or(config.api.listen)).await
}

/// Runs the customer API as configured (`EB_API_*`, `DB_DSN`) until SIGTERM or Ctrl-C.
pub async fn serve(config: &Config) -> anyhow::Result<()> {
    serve_on(config, config.api.listen).await
}

async fn serve_on(config: &Config, listen: SocketAddr) -> anyhow::Result<()> {
    let secret = config.require_api_secret()?.clone();
    let db = Db::connect(&config.db).await?;
    let settings = ApiSettings {
        max_body_bytes: config.api.max_body_bytes,
        max_token_lifetime_secs: config.api.max_token_lifetime_secs,
        trusted_proxies: std::sync::Arc::new(config.api.trusted_proxies.clone()),
        metrics_token: config.api.metrics_token.clone().map(std::sync::Arc::new),
    };
    let comet = CometClients::build(config, &db).await;
    let options = ServeOptions { listen, secret, cors_origins: config.api.cors_origins.clone(), settings, comet };
    let result = serve_with(db.clone(), options).await;
    db.close().await;
    result
}

/// Runs the API on `db` until SIGTERM or Ctrl-C.
pub async fn serve_with(db: Db, options: ServeOptions) -> anyhow::Result<()> {
    let mut state = AppState::new(db, options.secret, options.cors_origins);
    state.settings = options.settings;
    state.comet = options.comet;
    let handle = start(state, options.listen).await?;
    tracing::info!(addr = %handle.addr, "customer API listening");
    shutdown_signal().await;
    tracing::info!("shutting down");
    handle.stop().await
}

/// Starts a server on 127.0.0.1 with an OS-chosen port (tests).
pub async fn spawn_for_test(db: Db, secret: &str) -> anyhow::Result<(SocketAddr, ServerHandle)> {
    spawn_for_test_with(db, secret, StreamLimits::default()).await
}

/// [`spawn_for_test`] with other stream limits (tests of caps and access re-checks).
pub async fn spawn_for_test_with(db: Db, secret: &str, limits: StreamLimits) -> anyhow::Result<(SocketAddr, ServerHandle)> {
    let mut state = test_state(db, secret);
    state.limits = limits;
    spawn_state_for_test(state).await
}

/// The state [`spawn_for_test`] serves, for tests that change a setting or a rate first.
pub fn test_state(db: Db, secret: &str) -> AppState {
    AppState::new(db, SecretString::from(secret.to_string()), vec!["*".into()])
}

/// Serves `state` on 127.0.0.1 with an OS-chosen port (tests).
pub async fn spawn_state_for_test(state: AppState) -> anyhow::Result<(SocketAddr, ServerHandle)> {
    let handle = start(state, SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    Ok((handle.addr, handle))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}
