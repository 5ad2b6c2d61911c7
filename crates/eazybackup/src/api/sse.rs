//! `GET /api/v1/events`: Server-Sent Events from the `eb_events` outbox.
//!
//! One poller per `serve` instance tails the table by id and broadcasts each row; every
//! subscriber filters the broadcast by its client id, so a connected browser costs no database
//! query per tick. A resuming subscriber (`Last-Event-ID`) first replays its own rows from the
//! table, then continues live, skipping what it already replayed. A subscriber that falls behind
//! the broadcast is ended: its EventSource reconnects with `Last-Event-ID` and replays.

use std::collections::{BTreeSet, HashSet};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use futures_util::stream;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_util::sync::CancellationToken;

use crate::api::AppState;
use crate::api::auth::StreamAuthClient;
use crate::api::error::ApiError;
use crate::db::Db;
use crate::db::events::{self, EventId, EventRow};
use crate::db::tenancy::ClientId;

/// How long a missing id is waited for before the cursor moves past it. MySQL assigns
/// auto-increment ids at insert, so a transaction that began earlier can commit a smaller id
/// after a larger one is already visible.
pub const GAP_GRACE: Duration = Duration::from_secs(2);
const POLL_INTERVAL: Duration = Duration::from_millis(250);
const POLL_BATCH: u32 = 500;
const REPLAY_PAGE: u32 = 500;
const BROADCAST_CAPACITY: usize = 1024;

/// The fan-out point between the poller and the SSE handlers.
#[derive(Clone)]
pub struct EventHub {
    sender: broadcast::Sender<Arc<EventRow>>,
}

impl Default for EventHub {
    fn default() -> Self {
        EventHub { sender: broadcast::channel(BROADCAST_CAPACITY).0 }
    }
}

impl EventHub {
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<EventRow>> {
        self.sender.subscribe()
    }

    fn publish(&self, row: EventRow) {
        // No receivers is normal (nobody connected): nothing to do.
        let _ = self.sender.send(Arc::new(row));
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
        let mut interval = tokio::time::interval(POLL_INTERVAL);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = interval.tick() => {}
            }
            match events::since(&db, cursor.position(), POLL_BATCH).await {
                Ok(rows) => {
                    for row in cursor.take_new(rows) {
                        hub.publish(row);
                    }
                    cursor.advance(Instant::now());
                }
                Err(e) => {
                    tracing::warn!(error = %e, "reading the event outbox failed; retrying");
                    tokio::select! {
                        _ = stop.cancelled() => return,
                        _ = tokio::time::sleep(Duration::from_secs(2)) => {}
                    }
                }
            }
        }
    }))
}

/// `Last-Event-ID` header, else `?last_event_id=`. A value that is not an id is refused: we only
/// ever hand out numeric ids.
fn resume_point(headers: &HeaderMap, query: Option<&str>) -> Result<Option<EventId>, ApiError> {
    let raw = match headers.get("last-event-id") {
        Some(v) => Some(v.to_str().map_err(|_| ApiError::BadRequest("Last-Event-ID is not an event id.".into()))?.to_string()),
        None => query.and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "last_event_id").map(|(_, v)| v.into_owned())
        }),
    };
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s.parse::<EventId>().map(Some).map_err(|_| ApiError::BadRequest("Last-Event-ID is not an event id.".into())),
    }
}

/// The client's rows after `after`, all pages.
async fn replay(db: &Db, client: ClientId, mut after: EventId) -> Result<Vec<EventRow>, ApiError> {
    let mut rows = Vec::new();
    loop {
        let page = events::since_for_client(db, client, after, REPLAY_PAGE).await?;
        let full = page.len() == REPLAY_PAGE as usize;
        if let Some(last) = page.last() {
            after = last.id;
        }
        rows.extend(page);
        if !full {
            return Ok(rows);
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

pub async fn events_stream(
    State(state): State<AppState>,
    StreamAuthClient(client): StreamAuthClient,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Result<Response, ApiError> {
    let resume = resume_point(&headers, uri.query())?;
    // Subscribe before replaying, so nothing committed during the replay is lost.
    let live_rx = state.hub.subscribe();
    let replayed = match resume {
        Some(after) => replay(&state.db, client, after).await?,
        None => Vec::new(),
    };
    let replayed_ids: HashSet<EventId> = replayed.iter().map(|r| r.id).collect();
    let first_live_floor = resume.unwrap_or(EventId::MIN);

    let live = BroadcastStream::new(live_rx)
        // Lagged: end the stream; the browser reconnects with Last-Event-ID and replays.
        .take_while(|r| std::future::ready(r.is_ok()))
        .filter_map(move |r| {
            let keep = match r {
                Ok(row) if row.client_id == Some(client.0) && row.id > first_live_floor && !replayed_ids.contains(&row.id) => {
                    Some(row)
                }
                _ => None,
            };
            std::future::ready(keep)
        })
        .take_until(state.shutdown.clone().cancelled_owned());
    let events = stream::iter(replayed.into_iter().map(Arc::new))
        .chain(live)
        .filter_map(|row| std::future::ready(to_sse(&row)))
        .map(Ok::<Event, Infallible>);

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

    #[test]
    fn resume_point_prefers_the_header_and_refuses_junk() {
        let mut h = HeaderMap::new();
        assert_eq!(resume_point(&h, Some("token=x&last_event_id=7")).ok(), Some(Some(7)));
        h.insert("last-event-id", HeaderValue::from_static("9"));
        assert_eq!(resume_point(&h, Some("last_event_id=7")).ok(), Some(Some(9)));
        h.insert("last-event-id", HeaderValue::from_static("abc"));
        assert!(resume_point(&h, None).is_err());
        assert_eq!(resume_point(&HeaderMap::new(), None).ok(), Some(None));
    }
}
