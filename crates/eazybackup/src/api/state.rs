//! What every handler shares.

use std::net::IpAddr;
use std::sync::Arc;

use secrecy::SecretString;
use tokio_util::sync::CancellationToken;

use crate::api::comet_clients::CometClients;
use crate::api::rate_limit::RateLimiter;
use crate::api::sse::{EventHub, StreamLimits, StreamRegistry};
use crate::db::Db;

/// The database, the token secret and the live-stream machinery.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// `EB_API_SECRET`, the HMAC key shared with the PHP addon.
    pub secret: Arc<SecretString>,
    pub hub: EventHub,
    /// Cancelled on shutdown: ends the open SSE streams so graceful shutdown can finish.
    pub shutdown: CancellationToken,
    /// `EB_API_CORS_ORIGINS` (`*` allowed: tokens, not cookies, authorise).
    pub cors_origins: Arc<Vec<String>>,
    /// Open event streams per client, and how many and how long they may be.
    pub streams: StreamRegistry,
    pub limits: StreamLimits,
    /// Body size, token lifetime and trusted proxies (`EB_API_*`).
    pub settings: ApiSettings,
    /// Per-client token buckets of the expensive call classes.
    pub rate_limiter: RateLimiter,
    /// One Comet Admin API client per profile; reached only through `comet.account(&scoped)`.
    pub comet: CometClients,
    /// Request counts and latency for `/metrics`.
    pub metrics: crate::metrics::ApiMetrics,
}

/// The abuse limits and the proxy trust of the API (docs/architecture.md "Configuration").
#[derive(Debug, Clone)]
pub struct ApiSettings {
    /// `EB_API_MAX_BODY_BYTES`: larger request bodies answer 413 `payload_too_large`.
    pub max_body_bytes: usize,
    /// `EB_API_MAX_TOKEN_LIFETIME_SECS`: a token living longer (from its mint time or from now) is 401.
    pub max_token_lifetime_secs: i64,
    /// `EB_API_TRUSTED_PROXIES`: peers whose `X-Forwarded-For` names the client's address.
    pub trusted_proxies: Arc<Vec<IpAddr>>,
    /// `EB_METRICS_TOKEN`: a bearer token that opens `/metrics` to non-loopback peers.
    pub metrics_token: Option<Arc<SecretString>>,
}

pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;
pub const DEFAULT_MAX_TOKEN_LIFETIME_SECS: i64 = 3600;

impl Default for ApiSettings {
    fn default() -> Self {
        ApiSettings {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_token_lifetime_secs: DEFAULT_MAX_TOKEN_LIFETIME_SECS,
            trusted_proxies: Arc::new(Vec::new()),
            metrics_token: None,
        }
    }
}

impl AppState {
    pub fn new(db: Db, secret: SecretString, cors_origins: Vec<String>) -> Self {
        AppState {
            db,
            secret: Arc::new(secret),
            hub: EventHub::default(),
            shutdown: CancellationToken::new(),
            cors_origins: Arc::new(cors_origins),
            streams: StreamRegistry::default(),
            limits: StreamLimits::default(),
            settings: ApiSettings::default(),
            rate_limiter: RateLimiter::default(),
            comet: CometClients::default(),
            metrics: crate::metrics::ApiMetrics::default(),
        }
    }
}
