//! `/api/v1/events/stream` (§2, §6.7): five positional auth frames, `200 OK`, `SEVT_META_HELLO`,
//! then every broadcast `StreamableEvent` as one text frame.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use tokio::sync::broadcast::error::RecvError;

use crate::core::{BusMsg, SimCore};
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
    if let Err(e) = sim.authenticate_admin(
        &username,
        &auth_type,
        &password,
        &session_key,
        &totp,
        STREAM_PATH,
    ) {
        let text = if e.to_string() == "ERR_TOTP_REQUIRED" {
            "403 ERR_TOTP_REQUIRED".to_string()
        } else {
            "403 Forbidden".to_string()
        };
        let _ = socket.send(Message::Text(text.into())).await;
        let _ = socket.send(Message::Close(None)).await;
        return;
    }
    // Subscribe before saying hello so no event between the two is lost.
    let mut events = sim.subscribe();
    let mut epoch = sim.epoch();
    epoch.borrow_and_update();
    if socket.send(Message::Text("200 OK".into())).await.is_err() {
        return;
    }
    let hello = shapes::streamable_event(
        sevt::META_HELLO,
        "",
        "",
        "",
        sim.now(),
        Some(sim.meta_version()),
    );
    if socket
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            msg = events.recv() => {
                let text = match msg {
                    Ok(BusMsg::Event(ev)) => ev.to_string(),
                    Ok(BusMsg::Raw(raw)) => raw.to_string(),
                    // A subscriber that fell behind is dropped; it must reconnect and reconcile.
                    Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => break,
                };
                if socket.send(Message::Text(text.into())).await.is_err() {
                    return;
                }
            }
            changed = epoch.changed() => {
                let _ = changed;
                break;
            }
            incoming = socket.recv() => {
                match incoming {
                    None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
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
