//! `eazybackup serve`: the customer JSON API and the SSE stream (docs/architecture.md "Customer
//! API"). Every handler reaches a client's services only through the scoping extractors
//! (`api::scope`, `api::write_access`); anything outside them is 404.

pub mod audit;
pub mod auth;
pub mod capabilities;
pub mod client_ip;
pub mod comet_clients;
pub mod error;
pub mod openapi;
pub mod rate_limit;
pub mod routes;
pub mod scope;
pub mod serve;
pub mod sse;
pub mod state;
pub mod write_access;

pub use serve::{
    ServeArgs, ServeOptions, ServerHandle, router, run_cli, serve, serve_with, spawn_for_test, spawn_for_test_with,
    spawn_state_for_test, start, test_state,
};
pub use state::AppState;
