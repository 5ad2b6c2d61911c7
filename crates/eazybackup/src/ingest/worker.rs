//! The connection loop: connect, authenticate, reconcile the gap, consume events; on any failure
//! back off (jittered) and start again. The cursor only moves past events that were written.

use std::sync::Arc;
use std::time::{Duration, Instant};

use comet::events::{AuthType as StreamAuth, EventStream, StreamCredentials, StreamError, StreamItem, StreamOptions};
use comet::{AdminClient, Credentials, EventType, StreamableEvent};
use secrecy::ExposeSecret;
use tokio_util::sync::CancellationToken;
use tracing::{debug, info, warn};

use crate::config::{AuthType, CometProfile, Config};
use crate::db::Db;
use crate::db::cursor::{self, Cursor};
use crate::ingest::backoff::Backoff;
use crate::ingest::handlers::{Ingest, IngestError, Outcome};
use crate::ingest::names::NameCache;
use crate::ingest::reconcile::{self, FIRST_RUN_WINDOW_SECS, ReconcileError, SLACK_SECS};

#[derive(clap::Args, Debug)]
pub struct WorkerArgs {
    /// The Comet profile to follow (its `COMET_<profile>_*` settings).
    #[arg(long, env = "COMET_PROFILE")]
    pub profile: String,
}

/// How often the cursor is written while events flow (and always on shutdown).
const CURSOR_SAVE_EVERY: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
enum SessionError {
    #[error(transparent)]
    Stream(#[from] StreamError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error("reconcile: {0}")]
    Reconcile(#[from] ReconcileError),
    #[error("database: {0}")]
    Db(#[from] crate::db::DbError),
}

enum SessionEnd {
    Shutdown,
    Dropped,
}

pub async fn run_cli(config: &Config, args: WorkerArgs) -> anyhow::Result<()> {
    let profile = config.profile(&args.profile)?;
    let db = Db::connect(&config.db).await?;
    let admin = AdminClient::new(&profile.origin, admin_credentials(profile))?;
    info!(profile = %profile.name, origin = %profile.origin, admin = %profile.username, credentials = "env", "worker starting");
    let shutdown = CancellationToken::new();
    spawn_signal_listener(shutdown.clone());
    let worker = Worker {
        ingest: Ingest { profile: profile.name.clone(), db, admin: Arc::new(admin), names: NameCache::default() },
        ws_url: profile.ws_url.clone(),
        stream_creds: stream_credentials(profile),
        options: StreamOptions::default(),
    };
    worker.run(shutdown).await;
    Ok(())
}

/// One profile's ingestion, independent of where its settings came from (so tests drive it).
pub struct Worker {
    pub ingest: Ingest,
    pub ws_url: String,
    pub stream_creds: StreamCredentials,
    pub options: StreamOptions,
}

impl Worker {
    /// Runs until `shutdown` is cancelled.
    pub async fn run(mut self, shutdown: CancellationToken) {
        let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(60));
        loop {
            let started = Instant::now();
            match self.session(&shutdown).await {
                Ok(SessionEnd::Shutdown) => break,
                Ok(SessionEnd::Dropped) => warn!(profile = %self.ingest.profile, "event stream ended; reconnecting"),
                Err(SessionError::Stream(StreamError::AuthRejected(text))) => warn!(
                    profile = %self.ingest.profile,
                    answer = %text,
                    "Comet rejected the event stream login: check COMET_{}_USERNAME/PASSWORD/AUTHTYPE",
                    self.ingest.profile
                ),
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
        let mut stream = EventStream::connect(&self.ws_url, &self.stream_creds, self.options.clone()).await?;
        info!(profile = %self.ingest.profile, url = %self.ws_url, "event stream connected");
        let mut cursor = cursor::load(&self.ingest.db, &source).await?.unwrap_or_default();

        // The stream is open (events queue in the socket) before the gap is read back, so nothing
        // falls between the two.
        let now = now_unix();
        let since = if cursor.last_ts > 0 { cursor.last_ts - SLACK_SECS } else { now - FIRST_RUN_WINDOW_SECS };
        reconcile::reconcile_jobs(&mut self.ingest, since, now).await?;
        cursor.last_ts = cursor.last_ts.max(now - 1);
        cursor::save(&self.ingest.db, &source, &cursor, now).await?;

        let mut last_save = Instant::now();
        loop {
            let item = tokio::select! {
                item = stream.next() => item,
                _ = shutdown.cancelled() => {
                    cursor::save(&self.ingest.db, &source, &cursor, now_unix()).await?;
                    stream.close().await;
                    return Ok(SessionEnd::Shutdown);
                }
            };
            match item {
                None => return Ok(SessionEnd::Dropped),
                Some(Err(e)) => return Err(e.into()),
                Some(Ok(StreamItem::Malformed(text))) => {
                    warn!(profile = %self.ingest.profile, frame = %excerpt(&text), "skipping a frame that is not an event");
                }
                Some(Ok(StreamItem::Event(event))) => {
                    self.on_event(&event, &mut cursor).await?;
                    if last_save.elapsed() >= CURSOR_SAVE_EVERY {
                        cursor::save(&self.ingest.db, &source, &cursor, now_unix()).await?;
                        last_save = Instant::now();
                    }
                }
            }
        }
    }

    async fn on_event(&mut self, event: &StreamableEvent, cursor: &mut Cursor) -> Result<(), SessionError> {
        if event.r#type == EventType::META_HELLO {
            self.note_server_identity(event, cursor);
            return Ok(());
        }
        let outcome = self.ingest.handle(event).await?;
        match &outcome {
            Outcome::Ignored => {}
            Outcome::Malformed(why) => warn!(profile = %self.ingest.profile, event = %event.type_string, why, "skipping a malformed event"),
            other => debug!(profile = %self.ingest.profile, event = %event.type_string, outcome = ?other, "event applied"),
        }
        if event.timestamp > cursor.last_ts {
            cursor.last_ts = event.timestamp;
        }
        Ok(())
    }

    /// `ServerStartHash` changes when Comet restarts; the reconcile already covers the gap, so
    /// this is for the operator's log.
    fn note_server_identity(&self, hello: &StreamableEvent, cursor: &mut Cursor) {
        let hash = hello
            .data
            .as_ref()
            .and_then(|d| d.get("ServerStartHash"))
            .and_then(|h| h.as_str())
            .map(str::to_string);
        if let (Some(old), Some(new)) = (&cursor.server_start_hash, &hash) {
            if old != new {
                info!(profile = %self.ingest.profile, "Comet Server restarted since the last connection");
            }
        }
        if hash.is_some() {
            cursor.server_start_hash = hash;
        }
    }
}

fn admin_credentials(profile: &CometProfile) -> Credentials {
    Credentials {
        username: profile.username.clone(),
        password: profile.password.expose_secret().to_string(),
        session_key: profile.session_key.as_ref().map(|k| k.expose_secret().to_string()),
        totp: profile.totp.as_ref().map(|t| t.expose_secret().to_string()),
    }
}

fn stream_credentials(profile: &CometProfile) -> StreamCredentials {
    let secret = |s: &Option<secrecy::SecretString>| s.as_ref().map(|v| v.expose_secret().to_string()).unwrap_or_default();
    StreamCredentials {
        username: profile.username.clone(),
        auth_type: match profile.auth_type {
            AuthType::Password => StreamAuth::Password,
            AuthType::PasswordTOTP => StreamAuth::PasswordTotp,
            AuthType::SessionKey => StreamAuth::SessionKey,
        },
        password: profile.password.expose_secret().to_string(),
        session_key: secret(&profile.session_key),
        totp: secret(&profile.totp),
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
