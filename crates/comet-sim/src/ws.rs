//! `/api/v1/events/stream` (§2, §6.7): five positional auth frames, `200 OK`, `SEVT_META_HELLO`,
//! then every broadcast `StreamableEvent` as one text frame.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use tokio::sync::broadcast::error::RecvError;

use crate::core::{BusMsg, SimCore, SimError};
use crate::shapes::{self, sevt};

/// How long the client has to send its five frames (the observed client waits 30 s for us).
const AUTH_TIMEOUT: Duration = Duration::from_secs(30);
pub const STREAM_PATH: &str = "/api/v1/events/stream";

pub async fn upgrade(State(sim): State<Arc<SimCore>>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| serve(sim, socket))
}

async fn serve(sim: Arc<SimCore>, mut socket: WebSocket) {
    let frames = match tokio::time::timeout(AUTH_TIMEOUT, read_auth_frames(&mut socket)).await {
        Ok(Some(f)) => f,
        _ => {
            let _ = socket.send(Message::Close(None)).await;
            return;
        }
    };
    let [username, auth_type, password, session_key, totp] = frames;
    let who = match sim.authenticate_admin(&username, &auth_type, &password, &session_key, &totp, STREAM_PATH) {
        Ok(who) => who,
        Err(e) => {
            let text =
                if e == SimError::TotpRequired { "403 ERR_TOTP_REQUIRED".to_string() } else { "403 Forbidden".to_string() };
            let _ = socket.send(Message::Text(text.into())).await;
            let _ = socket.send(Message::Close(None)).await;
            return;
        }
    };
    // Subscribe before saying hello so no event between the two is lost.
    let mut events = sim.subscribe();
    let mut epoch = sim.epoch();
    epoch.borrow_and_update();
    if socket.send(Message::Text("200 OK".into())).await.is_err() {
        return;
    }
    let hello = shapes::streamable_event(sevt::META_HELLO, "", "", "", sim.now(), Some(sim.meta_version()));
    if socket.send(Message::Text(hello.to_string().into())).await.is_err() {
        return;
    }
    let mut sent: u32 = 0;
    let mut pings = tokio::time::interval(Duration::from_secs(1));
    let mut last_ping: Option<Instant> = None;
    let mut pong_seen = true;
    loop {
        let faults = sim.faults();
        tokio::select! {
            msg = events.recv() => {
                // Re-read: the knobs may have changed while this task waited.
                let faults = sim.faults();
                let frame = match msg {
                    // §6.7: tenant admins only receive their organization's events.
                    Ok(BusMsg::Event(ev)) if !who.sees_org(ev["OwnerOrganizationID"].as_str().unwrap_or("")) => continue,
                    Ok(BusMsg::Event(ev)) => Message::Text(ev.to_string().into()),
                    Ok(BusMsg::Raw(raw)) => Message::Text(raw.to_string().into()),
                    Ok(BusMsg::Bytes(bytes)) => Message::Binary(bytes.to_vec().into()),
                    // A subscriber that fell behind is dropped; it must reconnect and reconcile.
                    Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => break,
                };
                if faults.silent {
                    continue; // the event is lost, as on a half-dead connection
                }
                if socket.send(frame).await.is_err() {
                    return;
                }
                sent += 1;
                if faults.close_after_events > 0 && sent >= faults.close_after_events {
                    break;
                }
            }
            changed = epoch.changed() => {
                let _ = changed;
                break;
            }
            _ = pings.tick() => {
                let every = faults.ping_every_secs;
                if every == 0 || faults.silent {
                    continue;
                }
                if last_ping.is_some_and(|t| t.elapsed() < Duration::from_secs(every)) {
                    continue;
                }
                if !pong_seen {
                    break; // the previous ping was never answered
                }
                if socket.send(Message::Ping(Vec::new().into())).await.is_err() {
                    return;
                }
                pong_seen = false;
                last_ping = Some(Instant::now());
            }
            incoming = socket.recv(), if !faults.silent => {
                match incoming {
                    None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                    Some(Ok(Message::Pong(_))) => pong_seen = true,
                    Some(Ok(_)) => {} // the stream is one-way; pings are answered by axum
                }
            }
        }
    }
    let _ = socket.send(Message::Close(None)).await;
}

/// Reads exactly five text frames; `None` if the peer closes or sends something else.
async fn read_auth_frames(socket: &mut WebSocket) -> Option<[String; 5]> {
    let mut out: [String; 5] = Default::default();
    let mut i = 0;
    while i < 5 {
        match socket.recv().await? {
            Ok(Message::Text(t)) => {
                out[i] = t.to_string();
                i += 1;
            }
            Ok(Message::Ping(_)) | Ok(Message::Pong(_)) => {}
            _ => return None,
        }
    }
    Some(out)
}
