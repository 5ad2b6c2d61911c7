//! The monitor inside the worker (`EB_WORKER_MONITOR=1`): the same sweep every 5 minutes, under
//! the same per-profile lock as the command, so a timer run and the worker's never overlap.

use std::path::PathBuf;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use crate::ingest::Ingest;
use crate::instance_lock::LockError;
use crate::monitor::{MonitorError, Settings, sweep_locked};

/// The seed's "every 5 minutes".
pub const EVERY: Duration = Duration::from_secs(300);

/// Sweeps every `every` until `shutdown`; a failed sweep is logged and the next one runs on time.
pub async fn run_in_worker(
    lock_dir: PathBuf,
    mut ingest: Ingest,
    settings: Settings,
    every: Duration,
    shutdown: CancellationToken,
) {
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = shutdown.cancelled() => return,
        }
        match sweep_locked(&lock_dir, &mut ingest, &settings).await {
            Ok(summary) if summary.ok() => info!(profile = %ingest.profile, "{}", summary.line()),
            Ok(summary) => warn!(profile = %ingest.profile, "{}", summary.line()),
            Err(MonitorError::Lock(e @ LockError::Held { .. })) => info!(profile = %ingest.profile, "monitor skipped: {e}"),
            Err(e) => warn!(profile = %ingest.profile, error = %e, "monitor sweep failed"),
        }
    }
}
