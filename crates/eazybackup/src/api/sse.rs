//! The live stream behind `GET /api/v1/events` (`api::routes::events`): Server-Sent Events from the
//! `eb_events` outbox.
//!
//! One poller per `serve` instance tails the table by id — reading again at once while batches come
//! back full, so a burst drains at database speed — and hands each row to its client's channel in
//! the [`EventHub`]; a client's streams filter that channel by their current accounts, so a
//! connected browser costs no database query per tick and no work for other clients' events. A
//! resuming subscriber (`Last-Event-ID`) first replays its own rows from the table a page at a
//! time, then continues live, skipping what it already replayed. A subscriber that falls behind its
//! channel is logged, counted ([`HubFigures::lag_recoveries`]) and catches up the same way, from the
//! outbox, without losing a row.
//!
//! A stream lives no longer than its access: it ends when its token expires (the page reconnects
//! through the addon, which mints a fresh token), and every [`StreamLimits::recheck_every`] the
//! instance's access check re-resolves the accounts of every client with a stream open — three
//! statements per 400 clients, not per stream ([`spawn_access_checks`]) — so events of accounts no
//! longer the client's stop, and its streams end if it logged out (`eb_stream_revocations`) or was
//! closed. A client may hold at most
//! [`StreamLimits::max_per_client`] streams at once.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::convert::Infallible;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderName, HeaderValue, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::Serialize;
use tokio::sync::{broadcast, mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::CancellationToken;

use crate::api::AppState;
use crate::api::auth::{self, TokenClaims};
use crate::api::error::ApiError;
use crate::db::Db;
use crate::db::events::{self, EventId, EventRow};
use crate::db::revocations;
use crate::db::tenancy::{self, ClientId};

/// How long a missing id is waited for before the cursor moves past it. MySQL assigns
/// auto-increment ids at insert, so a transaction that began earlier can commit a smaller id
/// after a larger one is already visible.
pub const GAP_GRACE: Duration = Duration::from_secs(2);
const POLL_INTERVAL: Duration = Duration::from_millis(250);
const POLL_BATCH: u32 = 500;
const REPLAY_PAGE: u32 = 500;
/// Rows a client's channel holds for its slowest stream; a stream further behind catches up from
/// the outbox (`run_stream`). Small: it is allocated per client with a stream open.
const CLIENT_CHANNEL_CAPACITY: usize = 128;
/// Events queued between a stream's task and its HTTP body: a slow reader holds the task (and
/// its replay) back instead of growing memory.
const STREAM_BUFFER: usize = 64;

/// How long a stream may live without a fresh look at its access, and how many a client may open.
#[derive(Debug, Clone, Copy)]
pub struct StreamLimits {
    pub max_per_client: usize,
    pub recheck_every: Duration,
}

impl Default for StreamLimits {
    fn default() -> Self {
        // Two or three tabs, each with a reconnect that may overlap a stale connection the server
        // has not noticed yet (it notices at the next keep-alive write).
        StreamLimits { max_per_client: 8, recheck_every: Duration::from_secs(30) }
    }
}

/// Open streams per client.
#[derive(Clone, Default)]
pub struct StreamRegistry {
    open: Arc<Mutex<HashMap<ClientId, usize>>>,
}

/// One open stream; dropping it frees the slot.
pub struct StreamPermit {
    registry: StreamRegistry,
    client: ClientId,
}

impl StreamRegistry {
    /// A slot for one more stream of `client`, unless it already holds `max`.
    pub fn try_acquire(&self, client: ClientId, max: usize) -> Option<StreamPermit> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let n = open.entry(client).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(StreamPermit { registry: self.clone(), client })
    }

    /// Streams `client` holds now.
    pub fn open_for(&self, client: ClientId) -> usize {
        self.open.lock().unwrap_or_else(|p| p.into_inner()).get(&client).copied().unwrap_or(0)
    }
}

impl Drop for StreamPermit {
    fn drop(&mut self) {
        let mut open = self.registry.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = open.get_mut(&self.client) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.client);
            }
        }
    }
}

/// The fan-out point between the poller and the SSE handlers: one small broadcast channel per
/// client that has a stream open, so an event costs a map lookup plus its own client's streams,
/// never a wake-up of every subscriber. A client's channel exists while one of its streams does.
#[derive(Clone, Default)]
pub struct EventHub {
    inner: Arc<HubInner>,
}

#[derive(Default)]
struct HubInner {
    clients: Mutex<HashMap<i64, ClientChannel>>,
    /// The poller's settled position: no row at or below it is published any more.
    settled: AtomicI64,
    published: AtomicU64,
    /// Open subscriptions, and the most there were since the heap was last trimmed.
    open: AtomicUsize,
    peak_since_trim: AtomicUsize,
    lag_recoveries: AtomicU64,
    outbox_reads: AtomicU64,
}

/// What the hub has done since the process started (`GET /api/v1/health` shows it; the
/// benchmark reads it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HubFigures {
    /// Clients with at least one open stream (each holds one channel).
    pub clients: usize,
    /// Open subscriptions.
    pub streams: usize,
    /// Rows handed to a client's channel.
    pub published: u64,
    /// Times a stream fell behind its channel and caught up from the outbox instead.
    pub lag_recoveries: u64,
    /// Statements the stream machinery ran: poller reads, replay pages, access re-checks.
    pub outbox_reads: u64,
}

/// What the hub holds per client with a stream open: its rows, and its access as last checked.
struct ClientChannel {
    rows: broadcast::Sender<Arc<EventRow>>,
    access: watch::Sender<Option<Arc<ClientAccess>>>,
}

/// A client's access as the instance's periodic check found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAccess {
    /// When the client's tokens were last revoked (a stream whose token is not newer ends).
    revoked_at: Option<i64>,
    closed: bool,
    scope: Scope,
}

/// One stream's subscription to its client's channel; dropping the last one of a client frees
/// the channel.
pub struct Subscription {
    rx: Option<broadcast::Receiver<Arc<EventRow>>>,
    /// Changes when the periodic check finds the client's access changed.
    access: watch::Receiver<Option<Arc<ClientAccess>>>,
    hub: EventHub,
    client: i64,
}

/// The next row of a subscription (a free function: the stream also waits on its `access`).
async fn next_row(rx: &mut Option<broadcast::Receiver<Arc<EventRow>>>) -> Result<Arc<EventRow>, broadcast::error::RecvError> {
    match rx.as_mut() {
        Some(rx) => rx.recv().await,
        None => Err(broadcast::error::RecvError::Closed),
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.hub.inner.open.fetch_sub(1, Ordering::Relaxed);
        let mut clients = self.hub.lock_clients();
        drop(self.rx.take());
        if clients.get(&self.client).is_some_and(|c| c.rows.receiver_count() == 0) {
            clients.remove(&self.client);
        }
    }
}

impl EventHub {
    fn lock_clients(&self) -> std::sync::MutexGuard<'_, HashMap<i64, ClientChannel>> {
        self.inner.clients.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Receives every row published for `client` from now on, and its access checks.
    pub fn subscribe(&self, client: ClientId) -> Subscription {
        let mut clients = self.lock_clients();
        let channel = clients.entry(client.0).or_insert_with(|| ClientChannel {
            rows: broadcast::channel(CLIENT_CHANNEL_CAPACITY).0,
            access: watch::channel(None).0,
        });
        let open = self.inner.open.fetch_add(1, Ordering::Relaxed) + 1;
        self.inner.peak_since_trim.fetch_max(open, Ordering::Relaxed);
        Subscription {
            rx: Some(channel.rows.subscribe()),
            access: channel.access.subscribe(),
            hub: self.clone(),
            client: client.0,
        }
    }

    /// Clients with at least one stream open.
    fn clients(&self) -> Vec<ClientId> {
        self.lock_clients().keys().map(|c| ClientId(*c)).collect()
    }

    /// Hands `client`'s streams its access as just checked, if it changed.
    fn update_access(&self, client: ClientId, access: ClientAccess) {
        if let Some(channel) = self.lock_clients().get(&client.0) {
            channel.access.send_if_modified(|current| {
                if current.as_deref() == Some(&access) {
                    return false;
                }
                *current = Some(Arc::new(access));
                true
            });
        }
    }

    pub fn figures(&self) -> HubFigures {
        let clients = self.lock_clients();
        HubFigures {
            clients: clients.len(),
            streams: clients.values().map(|c| c.rows.receiver_count()).sum(),
            published: self.inner.published.load(Ordering::Relaxed),
            lag_recoveries: self.inner.lag_recoveries.load(Ordering::Relaxed),
            outbox_reads: self.inner.outbox_reads.load(Ordering::Relaxed),
        }
    }

    /// The poller's settled outbox position (`/metrics` reports how far the outbox is ahead of it).
    pub fn settled_position(&self) -> EventId {
        self.settled()
    }

    /// Read before subscribing: every row received afterwards has a larger id.
    fn settled(&self) -> EventId {
        self.inner.settled.load(Ordering::Acquire)
    }

    fn settle(&self, position: EventId) {
        self.inner.settled.store(position, Ordering::Release);
    }

    /// Hands each row to its client's channel, if that client has a stream open. Rows of no
    /// client (an account no service owns) go nowhere.
    fn publish(&self, rows: Vec<EventRow>) {
        if rows.is_empty() {
            return;
        }
        let clients = self.lock_clients();
        let mut published = 0;
        for row in rows {
            if let Some(channel) = row.client_id.and_then(|c| clients.get(&c)) {
                // A send fails only when the last receiver went meanwhile: nothing to do.
                let _ = channel.rows.send(Arc::new(row));
                published += 1;
            }
        }
        self.inner.published.fetch_add(published, Ordering::Relaxed);
    }

    /// After many streams closed (at most half of the most open since the last trim, and at least
    /// [`TRIM_AFTER_CLOSES`] fewer), hands the heap their connections' freed memory back to the
    /// system: glibc keeps freed memory of its per-thread arenas for reuse, so without this the
    /// process stays at its peak size (~40 kB per stream) long after the streams are gone.
    fn trim_heap_after_closes(&self) {
        let open = self.inner.open.load(Ordering::Relaxed);
        let peak = self.inner.peak_since_trim.load(Ordering::Relaxed);
        if peak < open + TRIM_AFTER_CLOSES || open > peak / 2 {
            return;
        }
        self.inner.peak_since_trim.store(open, Ordering::Relaxed);
        tokio::task::spawn_blocking(move || {
            let freed = trim_heap();
            tracing::debug!(closed = peak - open, open, freed, "returned freed stream memory to the system");
        });
    }

    fn count_read(&self) {
        self.count_reads(1);
    }

    fn count_reads(&self, n: u64) {
        self.inner.outbox_reads.fetch_add(n, Ordering::Relaxed);
    }

    fn count_lag(&self) {
        self.inner.lag_recoveries.fetch_add(1, Ordering::Relaxed);
    }
}

/// A cursor over an id sequence that may commit out of order. Every id `<= cursor` is settled;
/// ids above it that were already published are remembered so a re-read does not repeat them.
#[derive(Debug)]
pub struct GapCursor {
    cursor: EventId,
    published: BTreeSet<EventId>,
    /// The first missing id and when it was first noticed missing.
    gap: Option<(EventId, Instant)>,
    grace: Duration,
}

impl GapCursor {
    pub fn new(start: EventId, grace: Duration) -> Self {
        GapCursor { cursor: start, published: BTreeSet::new(), gap: None, grace }
    }

    /// Every id at or below this is settled; the next read asks for rows above it.
    pub fn position(&self) -> EventId {
        self.cursor
    }

    /// Filters a batch read with `id > position()` down to the rows not yet published, and
    /// remembers them.
    pub fn take_new(&mut self, rows: Vec<EventRow>) -> Vec<EventRow> {
        rows.into_iter().filter(|r| r.id > self.cursor && self.published.insert(r.id)).collect()
    }

    /// Moves the cursor over contiguous published ids, and over a gap once it has been missing
    /// for longer than the grace period.
    pub fn advance(&mut self, now: Instant) {
        while let Some(&next) = self.published.first() {
            if next == self.cursor + 1 {
                self.cursor = next;
                self.published.pop_first();
                self.gap = None;
                continue;
            }
            let missing = self.cursor + 1;
            match self.gap {
                Some((start, since)) if start == missing => {
                    if now.duration_since(since) < self.grace {
                        return;
                    }
                    tracing::debug!(from = missing, to = next - 1, "outbox ids never committed; moving past them");
                    self.cursor = next - 1;
                    self.gap = None;
                }
                _ => {
                    self.gap = Some((missing, now));
                    return;
                }
            }
        }
    }
}

/// Starts the instance's one poller: tails `eb_events` from its current end and publishes to
/// `hub` until `stop` is cancelled.
pub async fn spawn_poller(
    db: Db,
    hub: EventHub,
    stop: CancellationToken,
) -> Result<tokio::task::JoinHandle<()>, crate::db::DbError> {
    let start = events::max_id(&db).await?;
    Ok(tokio::spawn(async move {
        let mut cursor = GapCursor::new(start, GAP_GRACE);
        hub.settle(start);
        let mut interval = tokio::time::interval(POLL_INTERVAL);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = interval.tick() => {}
            }
            hub.trim_heap_after_closes();
            if let Err(e) = drain(&db, &hub, &mut cursor, POLL_BATCH).await {
                tracing::warn!(error = %e, "reading the event outbox failed; retrying");
                tokio::select! {
                    _ = stop.cancelled() => return,
                    _ = tokio::time::sleep(Duration::from_secs(2)) => {}
                }
            }
        }
    }))
}

/// Reads and publishes batches until one comes back short, so a burst drains at database speed
/// rather than one batch per tick. Returns the number of reads.
pub async fn drain(db: &Db, hub: &EventHub, cursor: &mut GapCursor, batch: u32) -> Result<usize, crate::db::DbError> {
    let mut reads = 0;
    // The first read starts at the settled position (a late commit below the rows published so
    // far is caught there); the following ones continue after the last row read, so a gap held
    // open for its grace period does not make them read the same rows again.
    let mut after = cursor.position();
    loop {
        hub.count_read();
        reads += 1;
        let rows = events::since(db, after, batch).await?;
        let full = rows.len() >= batch as usize;
        if let Some(last) = rows.last() {
            after = last.id;
        }
        hub.publish(cursor.take_new(rows));
        cursor.advance(Instant::now());
        hub.settle(cursor.position());
        if !full {
            return Ok(reads);
        }
    }
}

fn to_sse(row: &EventRow) -> Option<Event> {
    // `Event::event` panics on line breaks; kinds are ours, but a hand-edited row must not kill us.
    if row.kind.contains(['\n', '\r']) {
        return None;
    }
    Some(Event::default().id(row.id.to_string()).event(&row.kind).data(&row.payload))
}

/// The accounts a stream may show: the client's, as last resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Scope {
    /// Usernames by profile (looked up per broadcast row without allocating).
    accounts: HashMap<String, HashSet<String>>,
}

impl Scope {
    async fn resolve(db: &Db, client: ClientId) -> Result<Scope, crate::db::DbError> {
        Ok(Scope::of(tenancy::services_for_client(db, client).await?))
    }

    fn of(services: Vec<tenancy::Service>) -> Scope {
        let mut accounts: HashMap<String, HashSet<String>> = HashMap::new();
        for s in services {
            accounts.entry(s.profile).or_default().insert(s.username);
        }
        Scope { accounts }
    }

    /// A row stamped for `client` and about one of its current accounts (a service moved to
    /// another client takes its account's events with it, even those stamped before the move).
    fn shows(&self, client: ClientId, row: &EventRow) -> bool {
        row.client_id == Some(client.0) && self.accounts.get(&row.profile).is_some_and(|users| users.contains(&row.username))
    }
}

/// Why a stream's access check ended it (logged).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ended {
    Revoked,
    Closed,
}

/// Closed streams that make the heap worth trimming (~40 kB each).
const TRIM_AFTER_CLOSES: usize = 256;

/// Returns free heap memory to the system (glibc's `malloc_trim`); whether any was returned.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim_heap() -> bool {
    unsafe extern "C" {
        fn malloc_trim(pad: usize) -> std::ffi::c_int;
    }
    // SAFETY: `malloc_trim` only releases free memory of glibc's own arenas; it takes no pointers
    // of ours and is safe to call from any thread at any time.
    unsafe { malloc_trim(0) == 1 }
}

/// Other allocators return memory on their own (or not at all): nothing to do.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim_heap() -> bool {
    false
}

/// Statements one access check runs: the revocations, the clients' status, their services (per
/// stream at open; per 400 clients in the periodic check).
const STATEMENTS_PER_RECHECK: u64 = 3;

/// The access check of a stream being opened: `Ok(Err(why))` refuses it, `Ok(Ok(scope))` is the
/// accounts it may show.
async fn recheck(db: &Db, claims: &TokenClaims) -> Result<Result<Scope, Ended>, ApiError> {
    if auth::is_revoked(db, claims).await? {
        return Ok(Err(Ended::Revoked));
    }
    if tenancy::client_is_closed(db, claims.client).await? {
        return Ok(Err(Ended::Closed));
    }
    Ok(Ok(Scope::resolve(db, claims.client).await?))
}

/// Starts the instance's access check: every `every`, three statements per 400 clients with a
/// stream open (revocations, closed clients, accounts) instead of three per stream, handed to each
/// client's streams when something changed. A failed check keeps the last known access.
pub fn spawn_access_checks(db: Db, hub: EventHub, every: Duration, stop: CancellationToken) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = ticks.tick() => {}
            }
            let clients = hub.clients();
            if clients.is_empty() {
                continue;
            }
            let chunks = clients.len().div_ceil(tenancy::CLIENTS_PER_STATEMENT) as u64;
            hub.count_reads(STATEMENTS_PER_RECHECK * chunks);
            match check_access(&db, &clients).await {
                Ok(found) => {
                    for (client, access) in found {
                        hub.update_access(client, access);
                    }
                }
                Err(e) => tracing::warn!(error = %e, clients = clients.len(), "cannot re-check the live streams' access"),
            }
        }
    })
}

async fn check_access(db: &Db, clients: &[ClientId]) -> Result<Vec<(ClientId, ClientAccess)>, crate::db::DbError> {
    let revoked = revocations::revoked_at_among(db, clients).await?;
    let closed = tenancy::closed_among(db, clients).await?;
    let mut services = tenancy::services_among(db, clients).await?;
    Ok(clients
        .iter()
        .map(|c| {
            let access = ClientAccess {
                revoked_at: revoked.get(c).copied(),
                closed: closed.contains(c),
                scope: Scope::of(services.remove(c).unwrap_or_default()),
            };
            (*c, access)
        })
        .collect())
}

/// A stream's reading of its client's access: `Err(why)` ends it, else the accounts it may show.
fn judge(claims: &TokenClaims, access: &ClientAccess) -> Result<Scope, Ended> {
    if access.revoked_at.is_some_and(|at| claims.issued_at() <= at) {
        return Err(Ended::Revoked);
    }
    if access.closed {
        return Err(Ended::Closed);
    }
    Ok(access.scope.clone())
}

/// Opens `claims.client`'s stream from `resume` (exclusive), or from now on: takes one of the
/// client's stream slots, checks access, subscribes, then replays and goes live in its own task.
pub async fn open(state: AppState, claims: TokenClaims, resume: Option<EventId>) -> Result<Response, ApiError> {
    let client = claims.client;
    let permit = state.streams.try_acquire(client, state.limits.max_per_client).ok_or_else(|| {
        tracing::info!(client = %client, max = state.limits.max_per_client, "too many event streams");
        ApiError::rate_limited(
            "Too many live connections are open for this account. Close other console tabs, then reload this page.",
        )
    })?;
    state.hub.count_reads(STATEMENTS_PER_RECHECK);
    let scope = match recheck(&state.db, &claims).await? {
        Ok(scope) => scope,
        Err(_) => return Err(ApiError::Unauthorized("client closed")),
    };
    let live = Live::subscribe(&state.hub, client);
    let (tx, rx) = mpsc::channel(STREAM_BUFFER);
    // Boxed: the task's state machine lives as long as the stream, its nested database futures
    // only while they run.
    tokio::spawn(Box::pin(run_stream(state, claims, resume, scope, live, tx, permit)));

    let events = ReceiverStream::new(rx).map(Ok::<Event, Infallible>);
    let sse = Sse::new(events).keep_alive(KeepAlive::default());
    Ok((
        [
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (HeaderName::from_static("x-accel-buffering"), HeaderValue::from_static("no")),
        ],
        sse,
    )
        .into_response())
}

/// A stream's subscription to its client's channel and the poller's settled position at
/// subscription.
struct Live {
    sub: Subscription,
    settled: EventId,
}

impl Live {
    /// Reads the settled position, then subscribes: every row received afterwards has a larger
    /// id, so a replay from the outbox up to now plus the channel misses nothing.
    fn subscribe(hub: &EventHub, client: ClientId) -> Live {
        let settled = hub.settled();
        Live { sub: hub.subscribe(client), settled }
    }
}

/// Sends `row` if it is to be shown; `false` when the browser has gone or the server is stopping
/// (a reader that stopped reading must not hold the shutdown).
async fn send(tx: &mpsc::Sender<Event>, shutdown: &CancellationToken, client: ClientId, scope: &Scope, row: &EventRow) -> bool {
    if !scope.shows(client, row) {
        return true;
    }
    let Some(event) = to_sse(row) else {
        return true;
    };
    tokio::select! {
        sent = tx.send(event) => sent.is_ok(),
        _ = shutdown.cancelled() => false,
    }
}

/// Where a stream stands: what it has seen and which replayed rows the channel may repeat.
struct Progress {
    /// Rows at or below this were asked for by the browser already (`Last-Event-ID`).
    floor: EventId,
    /// The highest id seen so far (sent, or not the stream's to show).
    seen: EventId,
    /// Replayed ids above the subscription's settled position, which the channel may still
    /// deliver (bounded: cleared at every new subscription).
    replayed: HashSet<EventId>,
}

/// Sends the client's outbox rows after `progress.seen` a page at a time (uses the
/// `(client_id, id)` index). `false` when the stream must end.
async fn replay(
    state: &AppState,
    tx: &mpsc::Sender<Event>,
    client: ClientId,
    scope: &Scope,
    live: &Live,
    progress: &mut Progress,
) -> bool {
    loop {
        state.hub.count_read();
        let page = match events::since_for_client(&state.db, client, progress.seen, REPLAY_PAGE).await {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!(client = %client, error = %e, "replaying the event outbox failed; ending the stream");
                return false;
            }
        };
        for row in &page {
            if !send(tx, &state.shutdown, client, scope, row).await {
                return false;
            }
            progress.seen = progress.seen.max(row.id);
            if row.id > live.settled {
                progress.replayed.insert(row.id);
            }
        }
        if page.len() < REPLAY_PAGE as usize {
            return true;
        }
    }
}

/// One stream: replay a page at a time, then live rows, until the token expires, access is lost,
/// the browser goes, or the server shuts down. A stream that falls behind its channel catches up
/// from the outbox rather than losing rows. Ending it closes the HTTP body; the browser's
/// EventSource reconnects through the addon with a fresh token.
async fn run_stream(
    state: AppState,
    claims: TokenClaims,
    resume: Option<EventId>,
    mut scope: Scope,
    mut live: Live,
    tx: mpsc::Sender<Event>,
    _permit: StreamPermit,
) {
    let client = claims.client;
    let left = claims.expires - chrono::Utc::now().timestamp();
    let expiry = tokio::time::sleep(Duration::from_secs(u64::try_from(left).unwrap_or(0)));
    tokio::pin!(expiry);
    let shutdown = state.shutdown.clone();

    let floor = resume.unwrap_or(EventId::MIN);
    let mut progress = Progress { floor, seen: resume.unwrap_or(live.settled), replayed: HashSet::new() };
    if resume.is_some() {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = &mut expiry => return,
            ok = Box::pin(replay(&state, &tx, client, &scope, &live, &mut progress)) => if !ok { return },
        }
    }

    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tx.closed() => return,
            _ = &mut expiry => {
                tracing::debug!(client = %client, "token expired; ending the stream");
                return;
            }
            changed = live.sub.access.changed() => {
                if changed.is_err() {
                    return;
                }
                let access = live.sub.access.borrow_and_update().clone();
                if let Some(access) = access {
                    match judge(&claims, &access) {
                        Ok(now) => scope = now,
                        Err(why) => {
                            tracing::info!(client = %client, reason = ?why, "access ended; ending the stream");
                            return;
                        }
                    }
                }
            }
            received = next_row(&mut live.sub.rx) => match received {
                Ok(row) => {
                    let fresh = row.id > progress.floor && !progress.replayed.contains(&row.id);
                    if fresh && !send(&tx, &shutdown, client, &scope, &row).await {
                        return;
                    }
                    progress.seen = progress.seen.max(row.id);
                }
                Err(broadcast::error::RecvError::Lagged(skipped)) => {
                    state.hub.count_lag();
                    tracing::warn!(client = %client, skipped, seen = progress.seen, "event stream fell behind; catching up from the outbox");
                    // A fresh subscription, then everything after what was seen from the outbox:
                    // the same hand-over as a resuming stream's.
                    live = Live::subscribe(&state.hub, client);
                    progress.replayed.clear();
                    // The new subscription has seen the current access: apply it.
                    let access = live.sub.access.borrow_and_update().clone();
                    match access.map(|a| judge(&claims, &a)) {
                        Some(Ok(now)) => scope = now,
                        Some(Err(why)) => {
                            tracing::info!(client = %client, reason = ?why, "access ended; ending the stream");
                            return;
                        }
                        None => {}
                    }
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        _ = &mut expiry => return,
                        ok = Box::pin(replay(&state, &tx, client, &scope, &live, &mut progress)) => if !ok { return },
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: EventId) -> EventRow {
        EventRow {
            id,
            client_id: Some(1),
            profile: "p".into(),
            username: "u".into(),
            kind: "job:start".into(),
            payload: "{}".into(),
            created_at: 0,
        }
    }

    fn ids(rows: &[EventRow]) -> Vec<EventId> {
        rows.iter().map(|r| r.id).collect()
    }

    fn row_of(id: EventId, client: Option<i64>) -> EventRow {
        EventRow { client_id: client, ..row(id) }
    }

    #[test]
    fn a_row_reaches_only_its_own_clients_streams() {
        let hub = EventHub::default();
        let mut one = hub.subscribe(ClientId(1));
        let mut two = hub.subscribe(ClientId(2));
        hub.publish(vec![row_of(1, Some(1)), row_of(2, Some(2)), row_of(3, Some(3)), row_of(4, None), row_of(5, Some(1))]);
        let received = |sub: &mut Subscription| {
            let rx = sub.rx.as_mut().unwrap();
            std::iter::from_fn(|| rx.try_recv().ok().map(|r| r.id)).collect::<Vec<_>>()
        };
        assert_eq!(received(&mut one), vec![1, 5]);
        assert_eq!(received(&mut two), vec![2]);
        assert_eq!(hub.figures().published, 3, "rows of clients without a stream cost no send");
    }

    #[test]
    fn a_clients_channel_lives_as_long_as_its_streams() {
        let hub = EventHub::default();
        let a = hub.subscribe(ClientId(1));
        let b = hub.subscribe(ClientId(1));
        let c = hub.subscribe(ClientId(2));
        assert_eq!((hub.figures().clients, hub.figures().streams), (2, 3));
        drop(a);
        assert_eq!((hub.figures().clients, hub.figures().streams), (2, 2));
        drop((b, c));
        assert_eq!((hub.figures().clients, hub.figures().streams), (0, 0));
        assert!(hub.inner.clients.lock().unwrap().is_empty());
    }

    #[test]
    fn contiguous_ids_advance_at_once() {
        let mut c = GapCursor::new(0, GAP_GRACE);
        let t0 = Instant::now();
        assert_eq!(ids(&c.take_new(vec![row(1), row(2), row(3)])), vec![1, 2, 3]);
        c.advance(t0);
        assert_eq!(c.position(), 3);
    }

    #[test]
    fn a_late_commit_inside_the_grace_period_is_still_published_once() {
        let mut c = GapCursor::new(0, GAP_GRACE);
        let t0 = Instant::now();
        assert_eq!(ids(&c.take_new(vec![row(1), row(3)])), vec![1, 3]);
        c.advance(t0);
        assert_eq!(c.position(), 1, "holds at the gap");
        // Re-read: 3 again (not republished) and now 2, committed late.
        assert_eq!(ids(&c.take_new(vec![row(2), row(3)])), vec![2]);
        c.advance(t0 + Duration::from_millis(500));
        assert_eq!(c.position(), 3);
    }

    #[test]
    fn a_gap_that_never_fills_is_skipped_after_the_grace_period() {
        let mut c = GapCursor::new(10, GAP_GRACE);
        let t0 = Instant::now();
        c.take_new(vec![row(13)]);
        c.advance(t0);
        assert_eq!(c.position(), 10);
        c.take_new(vec![row(13)]);
        c.advance(t0 + Duration::from_millis(1_900));
        assert_eq!(c.position(), 10);
        c.take_new(vec![row(13), row(14)]);
        c.advance(t0 + GAP_GRACE);
        assert_eq!(c.position(), 14);
        assert!(c.take_new(vec![row(13), row(14)]).is_empty());
    }
}
