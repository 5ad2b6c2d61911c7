#![recursion_limit = "256"]
//! A simulator of the Comet Backup Server Admin API and live event stream (comet-api.md §6),
//! for tests and the demo. One axum router serves `/api/v1/…`, `/api/v1/events/stream` and the
//! `/__sim/…` control surface on one port.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! let sim = comet_sim::Sim::start(comet_sim::SimConfig::for_tests()).await?;
//! let job = sim.start_job(comet_sim::StartJob::new("alice", 2.0, 5000))?;
//! # let _ = job; sim.shutdown().await; Ok(()) }
//! ```

pub mod api;
pub mod browse;
pub mod clock;
pub mod config;
pub mod control;
pub mod core;
pub mod engine;
pub mod fleet;
pub mod ops;
pub mod policy;
pub mod search;
pub mod shapes;
pub mod totp;
pub mod user_api;
pub mod ws;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use axum::routing::{any, get};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use crate::clock::{Clock, ClockError, ControlledClock, ManualClock, SystemClock};
pub use crate::config::{AdminAccount, SeedUser, SimConfig};
pub use crate::core::{CancelReply, FaultPatch, Faults, Principal, SessionKind, SimCore, SimError, StartJob};
pub use crate::fleet::FleetSize;

/// Builds the simulator's router over an existing core.
pub fn router(sim: Arc<SimCore>) -> Router {
    Router::new()
        .route(ws::STREAM_PATH, get(ws::upgrade))
        .route("/api/v1/{*rest}", any(api::handle))
        .merge(control::router())
        .fallback(any(api::handle))
        .with_state(sim)
}

/// Entry point: `Sim::start(config)`.
pub struct Sim;

impl Sim {
    /// Seeds the fleet, binds `config.listen` (or 127.0.0.1:0) and serves until `shutdown`.
    pub async fn start(config: SimConfig) -> anyhow::Result<SimHandle> {
        let addr = config.listen.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
        let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
        let local = listener.local_addr()?;
        let core = SimCore::new(config.clone());
        fleet::seed(&core, &config);
        let engine = engine::spawn(core.clone());
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let app = router(core.clone());
        let server = tokio::spawn(async move {
            let result = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stop_rx.await;
                })
                .await;
            if let Err(e) = result {
                tracing::error!(error = %e, "comet-sim server stopped");
            }
        });
        Ok(SimHandle { core, addr: local, stop: Some(stop_tx), server: Some(server), engine })
    }
}

/// Admin credentials the simulator accepts.
#[derive(Clone, Debug, PartialEq)]
pub struct AdminCreds {
    pub username: String,
    pub password: String,
}

/// A running simulator.
pub struct SimHandle {
    core: Arc<SimCore>,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    engine: Vec<JoinHandle<()>>,
}

impl SimHandle {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:<port>` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// `ws://127.0.0.1:<port>/api/v1/events/stream`.
    pub fn ws_url(&self) -> String {
        format!("ws://{}{}", self.addr, ws::STREAM_PATH)
    }
    pub fn admin_creds(&self) -> AdminCreds {
        AdminCreds { username: self.core.cfg.admin_username.clone(), password: self.core.cfg.admin_password.clone() }
    }
    /// Direct access to state and transitions (for tests that need more than the helpers).
    pub fn core(&self) -> &Arc<SimCore> {
        &self.core
    }
    /// Starts a job now; returns its GUID.
    pub fn start_job(&self, req: StartJob) -> Result<String, SimError> {
        self.core.start_job(&req)
    }
    pub fn set_faults(&self, patch: FaultPatch) -> Faults {
        self.core.apply_faults(patch)
    }
    /// Bumps the profile revision and emits `SEVT_ACCOUNT_UPDATED`; returns the new hash.
    pub fn touch_profile(&self, username: &str) -> Result<String, SimError> {
        self.core.touch_profile(username)
    }
    pub fn set_device_online(&self, device_id: &str, online: bool) -> Result<(), SimError> {
        self.core.set_online(device_id, online)
    }
    /// Simulated Unix seconds: what the simulator stamps on jobs and events now.
    pub fn now(&self) -> i64 {
        self.core.now()
    }
    /// Moves simulated time forward by `secs` (≥ 0). Running jobs whose duration has passed
    /// complete at the next tick with their normal events and `EndTime` = the advanced clock.
    pub fn advance(&self, secs: f64) -> Result<(), SimError> {
        self.core.advance_clock(secs)
    }
    /// Simulated seconds per real second from now on (0 < scale ≤ `clock::MAX_TIME_SCALE`).
    pub fn set_time_scale(&self, scale: f64) -> Result<(), SimError> {
        self.core.set_time_scale(scale)
    }
    pub fn time_scale(&self) -> f64 {
        self.core.time_scale()
    }
    /// Adds generated accounts (`user-001`, … next free numbers) with `SEVT_ACCOUNT_NEW`,
    /// `SEVT_DEVICE_NEW` per device and `SEVT_DEVICE_LIVE_CONNECT` per online device; returns
    /// the new usernames.
    pub fn add_fleet(&self, size: &FleetSize) -> Result<Vec<String>, SimError> {
        fleet::add_fleet(&self.core, size)
    }
    /// Stops the engine, closes every websocket and waits for the server to stop.
    pub async fn shutdown(mut self) {
        self.stop_now();
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }

    fn stop_now(&mut self) {
        for t in self.engine.drain(..) {
            t.abort();
        }
        self.core.drop_sockets();
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.stop_now();
    }
}
