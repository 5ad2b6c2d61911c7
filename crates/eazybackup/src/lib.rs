//! eazyBackup Console service: one binary with subcommands (see `cli`).
//!
//! Modules by concern: `config` (the operators' `.env`), `db` (schema, migrations, repositories),
//! `comet_rows` (the Comet → table mapping the worker and the sync share), `ingest` (the Comet event
//! worker), `monitor` (the stalled-job monitor), `sync` (the daily reconcile through the worker's
//! code), `housekeep` (pruning the windows and histories), `api` (the customer HTTP API and SSE),
//! `views` (the JSON shapes the browser sees, written by the worker and served by the API), `cli`.

pub mod api;
pub mod cli;
pub mod comet_rows;
pub mod config;
pub mod db;
pub mod housekeep;
pub mod ingest;
pub mod instance_lock;
pub mod metrics;
pub mod monitor;
pub mod rollup;
pub mod runs;
pub mod servers;
pub mod status;
pub mod sync;
pub mod testkit;
pub mod vault_retention;
pub mod views;
