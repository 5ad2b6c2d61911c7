//! What every handler shares.

use std::sync::Arc;

use secrecy::SecretString;
use tokio_util::sync::CancellationToken;

use crate::api::comet_clients::CometClients;
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
    /// One Comet Admin API client per profile; reached only through `comet.account(&scoped)`.
    pub comet: CometClients,
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
            comet: CometClients::default(),
        }
    }
}
