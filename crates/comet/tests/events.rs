//! Event stream client against a fake websocket server: the five login frames, `200 OK`,
//! events, malformed frames, pings, idle timeout and rejection.

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::Response;
use comet::EventType;
use comet::events::{EventStream, StreamCredentials, StreamError, StreamItem, StreamOptions};
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod common;

#[derive(Default)]
struct Seen {
    frames: Vec<String>,
    origin: Option<String>,
    pongs: usize,
}

type Script = fn(WebSocket, Arc<Mutex<Seen>>) -> futures_util::future::BoxFuture<'static, ()>;

async fn serve(script: Script) -> (String, Arc<Mutex<Seen>>) {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let s = seen.clone();
    let app = axum::Router::new().route(
        "/api/v1/events/stream",
        axum::routing::get(move |ws: WebSocketUpgrade, headers: HeaderMap| {
            let s = s.clone();
            async move {
                s.lock().unwrap().origin = headers.get("origin").and_then(|v| v.to_str().ok()).map(String::from);
                let resp: Response = ws.on_upgrade(move |socket| script(socket, s));
                resp
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("ws://{addr}/api/v1/events/stream"), seen)
}

/// Read the five login frames into `seen`.
async fn read_login(ws: &mut WebSocket, seen: &Arc<Mutex<Seen>>) {
    while seen.lock().unwrap().frames.len() < 5 {
        match ws.recv().await {
            Some(Ok(Message::Text(t))) => seen.lock().unwrap().frames.push(t.to_string()),
            Some(Ok(_)) => continue,
            _ => return,
        }
    }
}

fn quick() -> StreamOptions {
    StreamOptions { ping_every: Duration::from_millis(100), idle_timeout: Duration::from_millis(600), ..Default::default() }
}

#[tokio::test]
async fn authenticates_and_yields_events_and_malformed_frames() {
    let (url, seen) = serve(|mut ws, seen| {
        Box::pin(async move {
            read_login(&mut ws, &seen).await;
            ws.send(Message::Text(" 200 OK\n".into())).await.unwrap();
            ws.send(Message::Text(common::fixture("StreamableEvent-hello.json").into())).await.unwrap();
            ws.send(Message::Ping(vec![1, 2, 3].into())).await.unwrap();
            ws.send(Message::Text("not json".into())).await.unwrap();
            ws.send(Message::Text(r#"{"no":"type"}"#.into())).await.unwrap();
            ws.send(Message::Text(common::fixture("StreamableEvent-job-completed.json").into())).await.unwrap();
            // Keep reading so pongs and our pings are observed, then close.
            let deadline = tokio::time::Instant::now() + Duration::from_millis(350);
            while let Ok(Some(Ok(msg))) = tokio::time::timeout_at(deadline, ws.recv()).await {
                if matches!(msg, Message::Ping(_) | Message::Pong(_)) {
                    seen.lock().unwrap().pongs += 1;
                }
            }
            let _ = ws.send(Message::Close(None)).await;
        })
    })
    .await;
    let creds = StreamCredentials::session_key("admin", "sk-9");
    let mut stream = EventStream::connect(&url, &creds, quick()).await.unwrap();
    let mut items = Vec::new();
    let end = loop {
        match stream.next().await {
            Some(Ok(item)) => items.push(item),
            Some(Err(e)) => break e,
            None => panic!("stream ended without a reason"),
        }
    };
    assert!(stream.next().await.is_none(), "after the end only None");
    assert!(matches!(end, StreamError::Closed(_)), "{end:?}");
    assert_eq!(items.len(), 4, "{items:?}");
    let StreamItem::Event(hello) = &items[0] else { panic!("{:?}", items[0]) };
    assert_eq!(hello.r#type, EventType::META_HELLO);
    assert_eq!(items[1], StreamItem::Malformed("not json".into()));
    assert!(matches!(&items[2], StreamItem::Malformed(t) if t.contains("no")));
    let StreamItem::Event(done) = &items[3] else { panic!("{:?}", items[3]) };
    assert_eq!(done.r#type, EventType::JOB_COMPLETED);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.frames, ["admin", "SessionKey", "", "sk-9", ""]);
    let origin = seen.origin.clone().unwrap();
    assert!(origin.starts_with("http://127.0.0.1:"), "{origin}");
    assert!(seen.pongs >= 1, "the client answers pings and sends its own");
}

#[tokio::test]
async fn bytes_that_are_not_utf8_cost_a_name_its_characters_not_the_event() {
    let (url, _seen) = serve(|mut ws, seen| {
        Box::pin(async move {
            read_login(&mut ws, &seen).await;
            ws.send(Message::Text(" 200 OK\n".into())).await.unwrap();
            let event = br#"{"Actor":"alice","OwnerOrganizationID":"","ResourceID":"dev-1","Type":4700,"TypeString":"SEVT_DEVICE_NEW","Timestamp":1700000000,"Data":{"FriendlyName":"pc-"#;
            let frame: Vec<u8> = [&event[..], &[0xFF, 0xFE, b'!', 0xC3][..], &b"\"}}"[..]].concat();
            ws.send(Message::Binary(frame.into())).await.unwrap();
            ws.send(Message::Text(common::fixture("StreamableEvent-job-completed.json").into())).await.unwrap();
            let _ = ws.send(Message::Close(None)).await;
        })
    })
    .await;
    let mut stream = EventStream::connect(&url, &StreamCredentials::session_key("admin", "sk-9"), quick()).await.unwrap();
    let Some(Ok(StreamItem::Event(device))) = stream.next().await else { panic!("the device event is read") };
    assert_eq!(device.r#type, EventType::DEVICE_NEW);
    assert_eq!(device.data.as_ref().unwrap()["FriendlyName"], "pc-\u{FFFD}\u{FFFD}!\u{FFFD}");
    let Some(Ok(StreamItem::Event(done))) = stream.next().await else { panic!("the stream goes on") };
    assert_eq!(done.r#type, EventType::JOB_COMPLETED);
}

#[tokio::test]
async fn rejected_login_is_reported_with_the_server_text() {
    let (url, _seen) = serve(|mut ws, seen| {
        Box::pin(async move {
            read_login(&mut ws, &seen).await;
            ws.send(Message::Text("403 Forbidden".into())).await.unwrap();
            let _ = ws.send(Message::Close(None)).await;
        })
    })
    .await;
    let err = EventStream::connect(&url, &StreamCredentials::password("admin", "bad"), quick()).await.err().unwrap();
    assert!(matches!(&err, StreamError::AuthRejected(t) if t == "403 Forbidden"), "{err:?}");
}

#[tokio::test]
async fn silence_after_login_ends_with_idle_timeout() {
    let (url, _seen) = serve(|mut ws, seen| {
        Box::pin(async move {
            read_login(&mut ws, &seen).await;
            ws.send(Message::Text("200 OK".into())).await.unwrap();
            // Swallow everything (including pings) without answering.
            tokio::time::sleep(Duration::from_secs(3)).await;
            drop(ws);
        })
    })
    .await;
    let opts =
        StreamOptions { ping_every: Duration::from_secs(60), idle_timeout: Duration::from_millis(300), ..Default::default() };
    let mut stream = EventStream::connect(&url, &StreamCredentials::password("admin", "pw"), opts).await.unwrap();
    let started = std::time::Instant::now();
    let end = stream.next().await.unwrap().unwrap_err();
    assert!(matches!(end, StreamError::IdleTimeout), "{end:?}");
    assert!(started.elapsed() >= Duration::from_millis(250));
}

#[tokio::test]
async fn no_answer_to_the_login_times_out() {
    let (url, _seen) = serve(|mut ws, seen| {
        Box::pin(async move {
            read_login(&mut ws, &seen).await;
            tokio::time::sleep(Duration::from_secs(3)).await;
        })
    })
    .await;
    let opts = StreamOptions { auth_timeout: Duration::from_millis(200), ..Default::default() };
    let err = EventStream::connect(&url, &StreamCredentials::password("admin", "pw"), opts).await.err().unwrap();
    assert!(matches!(err, StreamError::AuthTimeout), "{err:?}");
}

#[tokio::test]
async fn unreachable_server_and_bad_urls_fail_cleanly() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let creds = StreamCredentials::password("admin", "pw");
    let err = EventStream::connect(&format!("ws://127.0.0.1:{port}/api/v1/events/stream"), &creds, quick()).await.err().unwrap();
    assert!(matches!(err, StreamError::Connect(_)), "{err:?}");
    let err = EventStream::connect("http://127.0.0.1/x", &creds, quick()).await.err().unwrap();
    assert!(matches!(err, StreamError::InvalidUrl(_)), "{err:?}");
}
