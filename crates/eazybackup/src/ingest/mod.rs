//! `eazybackup worker --profile P`: mirrors one Comet server into the WHMCS database from its live
//! event stream, reconciling from the Admin API after every (re)connect because the stream has no
//! replay.

pub mod account_reconcile;
mod backoff;
pub mod batch;
pub mod device_events;
mod handlers;
mod names;
pub mod owners;
pub mod profile_sync;
pub mod progress;
mod reconcile;
mod worker;

pub use handlers::{Ingest, IngestError, Outcome};
pub use names::NameCache;
pub use worker::{DEFAULT_POLL_EVERY, LINGER, LINGER_WHEN_BATCH_REACHES, MAX_BATCH, Worker, WorkerArgs, run_cli};
