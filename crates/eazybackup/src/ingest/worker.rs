//! The connection loop: connect, authenticate, reconcile the gap, consume events; on any failure
//! back off (jittered) and start again. The cursor only moves past events that were written.

use std::sync::Arc;
use std::time::{Duration, Instant};

use comet::events::{EventStream, StreamError, StreamItem, StreamOptions};
use comet::{AdminClient, CometError, EventType, StreamableEvent};
use futures_util::FutureExt;
use tokio_util::sync::CancellationToken;
use tracing::{debug, info, warn};

use crate::config::Config;
use crate::db::Db;
use crate::db::cursor::{self, Cursor};
use crate::db::worker_state;
use crate::ingest::account_reconcile::{self, AccountReconcileError};
use crate::ingest::backoff::Backoff;
use crate::ingest::batch::{self, CursorWrite};
use crate::ingest::context::{Ingest, IngestError, Outcome};
use crate::ingest::progress;
use crate::ingest::reconcile::{self, FIRST_RUN_WINDOW_SECS, ReconcileError, SLACK_SECS};

#[derive(clap::Args, Debug)]
pub struct WorkerArgs {
    /// The Comet profile to follow (its `COMET_<profile>_*` settings).
    #[arg(long, env = "COMET_PROFILE")]
    pub profile: String,
}

/// Most events per batch (one transaction). Large enough that a 02:00 burst costs a handful of
/// commits per second, small enough that one batch commits well under the 200 ms latency budget.
pub const MAX_BATCH: usize = 1000;

/// How long a busy worker waits for more events before committing a batch that is not full. An
/// idle worker does not wait: a lone event is written as soon as it arrives.
pub const LINGER: Duration = Duration::from_millis(20);

/// A batch this large means events arrive faster than one per commit: the next one lingers, so
/// the fixed cost of a transaction (BEGIN, existence read, cursor, COMMIT) is shared by hundreds
/// of events instead of a dozen (measured: without it MariaDB fell behind at 10,000 events/s).
pub const LINGER_WHEN_BATCH_REACHES: usize = 16;

/// Real Comet sends no progress events: running jobs are polled this often by default
/// (`EB_WORKER_POLL_SECS`).
pub const DEFAULT_POLL_EVERY: Duration = Duration::from_secs(10);

/// Live connections are listed in bulk this often (with a poll tick) to confirm online state.
const ONLINE_CHECK_EVERY: Duration = Duration::from_secs(60);

/// The housekeeping pass (`db::retention`, the same as `eazybackup housekeep`) runs this often.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// Events read from the stream and not yet written, and how the stream ended if it did.
#[derive(Default)]
struct Pending {
    events: Vec<StreamableEvent>,
    end: Option<Result<SessionEnd, SessionError>>,
}

#[derive(Debug, thiserror::Error)]
enum SessionError {
    #[error("logging in to Comet for the event stream: {0}")]
    Login(#[source] CometError),
    #[error(transparent)]
    Stream(#[from] StreamError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error("reconcile: {0}")]
    Reconcile(#[from] ReconcileError),
    #[error("reconcile accounts: {0}")]
    Accounts(#[from] AccountReconcileError),
    #[error("database: {0}")]
    Db(#[from] crate::db::DbError),
}

enum SessionEnd {
    Shutdown,
    Dropped,
}

pub async fn run_cli(config: &Config, args: WorkerArgs) -> anyhow::Result<()> {
    let _lock = crate::instance_lock::acquire(&config.lock_dir, "worker", &args.profile)?;
    let db = Db::connect(&config.db).await?;
    let access = crate::servers::resolve(config, &db, &args.profile).await?;
    let admin = Arc::new(AdminClient::new(&access.origin, access.admin.clone())?);
    info!(profile = %access.profile, origin = %access.origin, credentials = access.source.as_str(), "worker starting");
    let shutdown = CancellationToken::new();
    spawn_signal_listener(shutdown.clone());
    if config.monitor.in_worker {
        // Its own Ingest (caches): a sweep waits for devices and must not hold up the stream.
        let ingest = Ingest::new(&access.profile, db.clone(), admin.clone());
        let settings = crate::monitor::Settings::from_defaults(&config.monitor);
        tokio::spawn(crate::monitor::schedule::run_in_worker(
            config.lock_dir.clone(),
            ingest,
            settings,
            crate::monitor::schedule::EVERY,
            shutdown.clone(),
        ));
    }
    let mut worker = Worker::new(Ingest::new(&access.profile, db, admin), &access.ws_url);
    worker.poll_every = config.worker_poll;
    worker.housekeeping = config.housekeep;
    worker.run(shutdown).await;
    Ok(())
}

/// One profile's ingestion, independent of where its settings came from (so tests drive it).
pub struct Worker {
    pub ingest: Ingest,
    pub ws_url: String,
    pub options: StreamOptions,
    /// How often running jobs are polled for progress and silent endings.
    pub poll_every: Duration,
    /// What the hourly housekeeping pass keeps (the same pass as `eazybackup housekeep`).
    pub housekeeping: crate::db::retention::Policy,
    last_online_check: Option<Instant>,
    last_prune: Option<Instant>,
    last_heartbeat: Option<Instant>,
}

impl Worker {
    /// The stream logs in with the credentials of `ingest.admin` (a new session per connection).
    pub fn new(ingest: Ingest, ws_url: &str) -> Worker {
        Worker {
            ingest,
            ws_url: ws_url.to_string(),
            options: StreamOptions::default(),
            poll_every: DEFAULT_POLL_EVERY,
            housekeeping: crate::db::retention::Policy::default(),
            last_online_check: None,
            last_prune: None,
            last_heartbeat: None,
        }
    }

    /// Runs until `shutdown` is cancelled. A batch being written when it is cancelled is
    /// committed first (with its cursor); then the socket is closed.
    pub async fn run(mut self, shutdown: CancellationToken) {
        let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(60));
        loop {
            let started = Instant::now();
            let outcome = self.session(&shutdown).await;
            let why = match &outcome {
                Ok(SessionEnd::Shutdown) => "worker stopped".to_string(),
                Ok(SessionEnd::Dropped) => "event stream ended".to_string(),
                Err(e) => e.to_string(),
            };
            if let Err(e) = worker_state::disconnected(&self.ingest.db, &self.ingest.profile, now_unix(), Some(&why)).await {
                warn!(profile = %self.ingest.profile, error = %e, "cannot record the disconnection in eb_worker_state");
            }
            match outcome {
                Ok(SessionEnd::Shutdown) => break,
                Ok(SessionEnd::Dropped) => warn!(profile = %self.ingest.profile, "event stream ended; reconnecting"),
                Err(SessionError::Stream(StreamError::AuthRejected(text))) => warn!(
                    profile = %self.ingest.profile,
                    answer = %text,
                    "Comet rejected the event stream login with a fresh session key; reconnecting"
                ),
                Err(SessionError::Login(
                    e @ (CometError::Auth { .. } | CometError::TotpRequired | CometError::TotpSecret(_)),
                )) => {
                    warn!(
                        profile = %self.ingest.profile,
                        error = %e,
                        "Comet refused the admin login: check COMET_{p}_USERNAME/PASSWORD (or the WHMCS server's), and \
                         COMET_{p}_TOTP_SECRET when the admin has two-factor authentication",
                        p = self.ingest.profile
                    )
                }
                Err(e) => warn!(profile = %self.ingest.profile, error = %e, "event stream session failed; reconnecting"),
            }
            // A session that lived a while was healthy: start the delays from the bottom again.
            if started.elapsed() > Duration::from_secs(60) {
                backoff.reset();
            }
            let delay = backoff.next_delay();
            debug!(profile = %self.ingest.profile, ?delay, "waiting before reconnecting");
            tokio::select! {
                _ = tokio::time::sleep(delay) => {}
                _ = shutdown.cancelled() => break,
            }
        }
        info!(profile = %self.ingest.profile, "worker stopped");
    }

    async fn session(&mut self, shutdown: &CancellationToken) -> Result<SessionEnd, SessionError> {
        let source = cursor::source_for_profile(&self.ingest.profile);
        // A new login for every connection: a session key from an earlier one may have expired, and
        // a TOTP code cannot be sent twice.
        let creds = self.ingest.admin.stream_credentials().await.map_err(SessionError::Login)?;
        let mut stream = EventStream::connect(&self.ws_url, &creds, self.options.clone()).await?;
        info!(profile = %self.ingest.profile, url = %self.ws_url, "event stream connected");
        let mut cursor = cursor::load(&self.ingest.db, &source).await?.unwrap_or_default();

        // The stream is open (events queue in the socket) before the gap is read back, so nothing
        // falls between the two.
        let now = now_unix();
        let since = if cursor.last_ts > 0 { cursor.last_ts - SLACK_SECS } else { now - FIRST_RUN_WINDOW_SECS };
        // Accounts first, so the reconciled jobs find their devices' and items' names.
        account_reconcile::reconcile_accounts(&mut self.ingest).await?;
        // Connections may have opened or closed in the gap: the first poll lists them.
        self.last_online_check = None;
        reconcile::reconcile_jobs(&mut self.ingest, since, now).await?;
        cursor.last_ts = cursor.last_ts.max(now - 1);
        cursor::save(&self.ingest.db, &source, &cursor, now).await?;
        if let Err(e) = worker_state::connected(&self.ingest.db, &self.ingest.profile, now).await {
            warn!(profile = %self.ingest.profile, error = %e, "cannot record the connection in eb_worker_state");
        }
        self.last_heartbeat = Some(Instant::now());

        let mut busy = false;
        let mut poll = tokio::time::interval_at(tokio::time::Instant::now() + self.poll_every, self.poll_every);
        poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let first = tokio::select! {
                item = stream.next() => item,
                _ = poll.tick() => {
                    self.poll_running().await;
                    continue;
                }
                _ = shutdown.cancelled() => {
                    stream.close().await;
                    return Ok(SessionEnd::Shutdown);
                }
            };
            let mut pending = Pending::default();
            self.take(first, &mut pending, &mut cursor);
            self.fill(&mut stream, &mut pending, &mut cursor, busy).await;
            busy = pending.events.len() >= LINGER_WHEN_BATCH_REACHES;
            // The batch in hand is committed even when a shutdown arrived meanwhile: it is what
            // "no half-processed batch" means. Its cursor commits with it.
            if !pending.events.is_empty() {
                let report = batch::write_events(
                    &mut self.ingest,
                    &pending.events,
                    Some(CursorWrite { source: &source, cursor: &cursor }),
                )
                .await?;
                debug!(target: "eazybackup::db", profile = %self.ingest.profile, events = pending.events.len(), statements = report.statements, attempts = report.attempts, "batch committed");
                for (event, outcome) in pending.events.iter().zip(&report.outcomes) {
                    debug!(target: "eazybackup::ws", profile = %self.ingest.profile, event = %event.type_string, resource = %event.resource_id, ?outcome, "decided");
                }
                if report.outcomes.iter().any(|o| matches!(o, Outcome::OnlineAmbiguous(_))) {
                    self.confirm_online().await;
                }
            }
            if let Some(end) = pending.end {
                return end;
            }
            if shutdown.is_cancelled() {
                stream.close().await;
                return Ok(SessionEnd::Shutdown);
            }
        }
    }

    /// A failed poll is logged and retried at the next tick: the stream itself is healthy.
    async fn poll_running(&mut self) {
        if self.last_heartbeat.is_none_or(|t| t.elapsed() >= Duration::from_secs(worker_state::HEARTBEAT_EVERY_SECS as u64)) {
            match worker_state::heartbeat(&self.ingest.db, &self.ingest.profile, now_unix()).await {
                Ok(()) => self.last_heartbeat = Some(Instant::now()),
                Err(e) => warn!(profile = %self.ingest.profile, error = %e, "cannot refresh the heartbeat in eb_worker_state"),
            }
        }
        match progress::poll_once(&mut self.ingest).await {
            Ok(r) => {
                debug!(target: "eazybackup::db", profile = %self.ingest.profile, running = r.running, progressed = r.progressed, ended_silently = r.ended_silently, found_running = r.found_running, "polled running jobs")
            }
            Err(e) => warn!(profile = %self.ingest.profile, error = %e, "polling running jobs failed"),
        }
        if self.last_prune.is_none_or(|t| t.elapsed() >= PRUNE_EVERY) {
            self.last_prune = Some(Instant::now());
            match crate::db::retention::prune(&self.ingest.db, &self.housekeeping, now_unix()).await {
                Ok(r) => {
                    debug!(target: "eazybackup::db", profile = %self.ingest.profile, events = r.events.rows, recent_jobs = r.recent_jobs.rows, expired_snoozes = r.expired_snoozes.rows, job_history = r.job_history.rows, audit_log = r.audit_log.rows, "pruned")
                }
                Err(e) => warn!(profile = %self.ingest.profile, error = %e, "pruning old rows failed"),
            }
        }
        if self.last_online_check.is_none_or(|t| t.elapsed() >= ONLINE_CHECK_EVERY) {
            self.confirm_online().await;
        }
    }

    /// Reads the live connection list and corrects the online flags; logged, never fatal.
    async fn confirm_online(&mut self) {
        self.last_online_check = Some(Instant::now());
        match progress::confirm_online(&mut self.ingest).await {
            Ok(0) => {}
            Ok(n) => {
                info!(profile = %self.ingest.profile, corrected = n, "online state corrected from the live connection list")
            }
            Err(e) => warn!(profile = %self.ingest.profile, error = %e, "listing live connections failed"),
        }
    }

    /// Adds to `pending` whatever is already waiting in the socket (and, when the last batch was
    /// large, whatever arrives within [`LINGER`]), up to [`MAX_BATCH`] events or the end of the
    /// stream.
    async fn fill(&self, stream: &mut EventStream, pending: &mut Pending, cursor: &mut Cursor, linger: bool) {
        let deadline = tokio::time::Instant::now() + LINGER;
        while pending.end.is_none() && pending.events.len() < MAX_BATCH {
            let item = if linger {
                match tokio::time::timeout_at(deadline, stream.next()).await {
                    Ok(item) => item,
                    Err(_) => break,
                }
            } else {
                match stream.next().now_or_never() {
                    Some(item) => item,
                    None => break,
                }
            };
            self.take(item, pending, cursor);
        }
    }

    /// Sorts one stream item into the batch: events are queued, malformed frames logged, the
    /// end of the stream remembered (the batch so far is still committed).
    fn take(&self, item: Option<Result<StreamItem, StreamError>>, pending: &mut Pending, cursor: &mut Cursor) {
        match item {
            None => pending.end = Some(Ok(SessionEnd::Dropped)),
            Some(Err(e)) => pending.end = Some(Err(e.into())),
            Some(Ok(StreamItem::Malformed(text))) => {
                warn!(profile = %self.ingest.profile, frame = %excerpt(&text), "skipping a frame that is not an event");
            }
            Some(Ok(StreamItem::Event(event))) => {
                debug!(target: "eazybackup::ws", profile = %self.ingest.profile, event = %event.type_string, actor = %event.actor, resource = %event.resource_id, ts = event.timestamp, "frame");
                if event.r#type == EventType::META_HELLO {
                    self.note_server_identity(&event, cursor);
                }
                if event.timestamp > cursor.last_ts {
                    cursor.last_ts = event.timestamp;
                }
                pending.events.push(*event);
            }
        }
    }

    /// `ServerStartHash` changes when Comet restarts; the reconcile already covers the gap, so
    /// this is for the operator's log.
    fn note_server_identity(&self, hello: &StreamableEvent, cursor: &mut Cursor) {
        let hash = hello.data.as_ref().and_then(|d| d.get("ServerStartHash")).and_then(|h| h.as_str()).map(str::to_string);
        if let (Some(old), Some(new)) = (&cursor.server_start_hash, &hash)
            && old != new
        {
            info!(profile = %self.ingest.profile, "Comet Server restarted since the last connection");
        }
        if hash.is_some() {
            cursor.server_start_hash = hash;
        }
    }
}

fn spawn_signal_listener(shutdown: CancellationToken) {
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let Ok(mut term) = signal(SignalKind::terminate()) else { return };
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        info!("shutdown requested");
        shutdown.cancel();
    });
}

fn excerpt(text: &str) -> String {
    text.chars().take(200).collect()
}

pub(crate) fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}
