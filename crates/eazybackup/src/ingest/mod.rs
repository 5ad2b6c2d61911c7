//! `eazybackup worker --profile P`: mirrors one Comet server into the WHMCS database from its live
//! event stream, reconciling from the Admin API after every (re)connect because the stream has no
//! replay.
//!
//! A batch of events runs four steps, each once and in order, each in its own module:
//! [`decode`] (frames → typed events) → [`prepare`] (every lookup, outside the transaction) →
//! [`apply`] (one transaction, through the Comet → table mapping `crate::comet_rows`) →
//! [`outbox`] (the browser's rows and the cursor, in the same transaction). [`batch`] drives them
//! (retries, the per-account fallback); [`worker`](run_cli) feeds it from the stream.

pub mod account_reconcile;
pub mod apply;
mod backoff;
pub mod batch;
mod context;
pub mod decode;
pub mod device_events;
mod names;
pub mod outbox;
pub mod owners;
pub mod prepare;
pub mod profile_sync;
pub mod progress;
mod reconcile;
mod worker;

pub use context::{Ingest, IngestError, Outcome};
pub use names::NameCache;
pub use worker::{DEFAULT_POLL_EVERY, LINGER, LINGER_WHEN_BATCH_REACHES, MAX_BATCH, Worker, WorkerArgs, run_cli};
