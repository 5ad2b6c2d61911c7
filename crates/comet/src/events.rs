//! Client of the live event stream (`/api/v1/events/stream`, §2): RFC 6455 upgrade, the
//! five-frame text login, then one [`StreamableEvent`] per text frame.

use crate::models::StreamableEvent;
use futures_util::{SinkExt, StreamExt};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;
use thiserror::Error;
use tokio::net::TcpStream;
use tokio::time::{Instant, Interval, MissedTickBehavior};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use url::Url;

/// The text the server sends after accepting the five login frames.
pub const AUTH_OK: &str = "200 OK";
/// Path of the stream below the server root.
pub const STREAM_PATH: &str = "api/v1/events/stream";

/// How the stream login authenticates (the `AuthType` frame).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthType {
    /// Password only.
    Password,
    /// Password plus a TOTP code.
    PasswordTotp,
    /// A session key.
    SessionKey,
}

impl AuthType {
    /// The wire word: `Password`, `PasswordTOTP`, `SessionKey`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthType::Password => "Password",
            AuthType::PasswordTotp => "PasswordTOTP",
            AuthType::SessionKey => "SessionKey",
        }
    }
}

impl FromStr for AuthType {
    type Err = String;
    /// Accepts the wire words case-insensitively (configuration files vary).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "password" | "" => Ok(AuthType::Password),
            "passwordtotp" => Ok(AuthType::PasswordTotp),
            "sessionkey" => Ok(AuthType::SessionKey),
            other => Err(format!("unknown Comet auth type {other:?} (Password, PasswordTOTP, SessionKey)")),
        }
    }
}

/// Credentials for the stream login. Fields not used by `auth_type` are sent as empty frames.
#[derive(Clone)]
pub struct StreamCredentials {
    /// Admin account name.
    pub username: String,
    /// Which of the secrets below is used.
    pub auth_type: AuthType,
    /// Password (`Password`, `PasswordTOTP`).
    pub password: String,
    /// Session key (`SessionKey`).
    pub session_key: String,
    /// TOTP code (`PasswordTOTP`).
    pub totp: String,
}

impl StreamCredentials {
    /// Password login.
    pub fn password(username: &str, password: &str) -> Self {
        Self {
            username: username.into(),
            auth_type: AuthType::Password,
            password: password.into(),
            session_key: String::new(),
            totp: String::new(),
        }
    }

    /// Session-key login.
    pub fn session_key(username: &str, key: &str) -> Self {
        Self {
            username: username.into(),
            auth_type: AuthType::SessionKey,
            password: String::new(),
            session_key: key.into(),
            totp: String::new(),
        }
    }

    /// The five login frames, in order: Username, AuthType, Password, SessionKey, TOTP.
    pub fn frames(&self) -> [String; 5] {
        let uses_password = matches!(self.auth_type, AuthType::Password | AuthType::PasswordTotp);
        let pick = |used: bool, v: &str| if used { v.to_owned() } else { String::new() };
        [
            self.username.clone(),
            self.auth_type.as_str().to_owned(),
            pick(uses_password, &self.password),
            pick(self.auth_type == AuthType::SessionKey, &self.session_key),
            pick(self.auth_type == AuthType::PasswordTotp, &self.totp),
        ]
    }
}

impl fmt::Debug for StreamCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamCredentials")
            .field("username", &self.username)
            .field("auth_type", &self.auth_type)
            .finish_non_exhaustive()
    }
}

/// Timing of a stream connection.
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// TCP + TLS + upgrade limit.
    pub connect_timeout: Duration,
    /// How long to wait for `200 OK` after the login frames.
    pub auth_timeout: Duration,
    /// Interval of our own pings (dead-peer detection).
    pub ping_every: Duration,
    /// End the stream when nothing at all arrives for this long.
    pub idle_timeout: Duration,
}

impl Default for StreamOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            auth_timeout: Duration::from_secs(30),
            ping_every: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(300),
        }
    }
}

/// What the stream yields.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamItem {
    /// A well-formed event.
    Event(Box<StreamableEvent>),
    /// A frame that is not an event object (logged and skipped by consumers; the stream goes on).
    Malformed(String),
}

/// Why a stream could not be opened or ended.
#[derive(Debug, Error)]
pub enum StreamError {
    /// The URL is not a ws:// or wss:// URL.
    #[error("invalid event stream URL {0:?}")]
    InvalidUrl(String),
    /// TCP, TLS or HTTP upgrade failure.
    #[error("could not connect to the event stream: {0}")]
    Connect(#[source] Box<tokio_tungstenite::tungstenite::Error>),
    /// The connection attempt took longer than `connect_timeout`.
    #[error("connecting to the event stream timed out")]
    ConnectTimeout,
    /// The server answered the login with something other than `200 OK`.
    #[error("event stream login rejected: {0}")]
    AuthRejected(String),
    /// No answer to the login within `auth_timeout`.
    #[error("no answer to the event stream login")]
    AuthTimeout,
    /// Nothing arrived for `idle_timeout`.
    #[error("event stream idle for too long")]
    IdleTimeout,
    /// The server closed the stream (close code and reason when it sent them).
    #[error("event stream closed by the server ({})", .0.as_deref().unwrap_or("no reason"))]
    Closed(Option<String>),
    /// A protocol or I/O error on an open stream.
    #[error("event stream failed: {0}")]
    WebSocket(#[source] Box<tokio_tungstenite::tungstenite::Error>),
}

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// An authenticated event stream. Read it with [`EventStream::next`]; after an error it yields
/// `None` and the caller reconnects (and reconciles by polling: the stream has no replay).
pub struct EventStream {
    ws: Socket,
    opts: StreamOptions,
    ping: Interval,
    last_rx: Instant,
    finished: bool,
}

enum Step {
    Frame(Option<Result<Message, tokio_tungstenite::tungstenite::Error>>),
    Ping,
    Idle,
}

impl EventStream {
    /// Connect to `ws_url`, send the five login frames and wait for `200 OK`.
    pub async fn connect(ws_url: &str, creds: &StreamCredentials, opts: StreamOptions) -> Result<EventStream, StreamError> {
        crate::tls::ensure_crypto_provider();
        let request = upgrade_request(ws_url)?;
        let (mut ws, _) = tokio::time::timeout(opts.connect_timeout, tokio_tungstenite::connect_async(request))
            .await
            .map_err(|_| StreamError::ConnectTimeout)?
            .map_err(|e| StreamError::Connect(Box::new(e)))?;
        for frame in creds.frames() {
            ws.send(Message::text(frame)).await.map_err(|e| StreamError::Connect(Box::new(e)))?;
        }
        tokio::time::timeout(opts.auth_timeout, await_auth_reply(&mut ws)).await.map_err(|_| StreamError::AuthTimeout)??;
        tracing::debug!(url = ws_url, user = %creds.username, "event stream authenticated");
        let mut ping = tokio::time::interval_at(Instant::now() + opts.ping_every, opts.ping_every);
        ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
        Ok(EventStream { ws, opts, ping, last_rx: Instant::now(), finished: false })
    }

    /// The next event or malformed frame; `Some(Err(..))` once when the stream ends abnormally
    /// (idle timeout, close, protocol error), then `None`.
    pub async fn next(&mut self) -> Option<Result<StreamItem, StreamError>> {
        if self.finished {
            return None;
        }
        loop {
            let idle_deadline = self.last_rx + self.opts.idle_timeout;
            let step = tokio::select! {
                frame = self.ws.next() => Step::Frame(frame),
                _ = self.ping.tick() => Step::Ping,
                _ = tokio::time::sleep_until(idle_deadline) => Step::Idle,
            };
            match step {
                Step::Frame(Some(Ok(msg))) => {
                    self.last_rx = Instant::now();
                    if let Some(out) = self.handle_message(msg).await {
                        return Some(out);
                    }
                }
                Step::Frame(Some(Err(e))) => return self.finish(StreamError::WebSocket(Box::new(e))),
                Step::Frame(None) => return self.finish(StreamError::Closed(None)),
                Step::Ping => {
                    if let Err(e) = self.ws.send(Message::Ping(Default::default())).await {
                        return self.finish(StreamError::WebSocket(Box::new(e)));
                    }
                }
                Step::Idle => {
                    let _ = self.ws.close(None).await;
                    return self.finish(StreamError::IdleTimeout);
                }
            }
        }
    }

    /// Close the connection politely.
    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }

    /// `None` for control frames that need no answer from the caller.
    async fn handle_message(&mut self, msg: Message) -> Option<Result<StreamItem, StreamError>> {
        match msg {
            Message::Text(text) => Some(Ok(parse_item(text.as_str()))),
            // Comet sends text frames; should bytes that are not UTF-8 ever arrive (a binary frame
            // is the only way they can), the event is still read, with U+FFFD in their place: a
            // device name must not cost us the event.
            Message::Binary(bytes) => Some(Ok(parse_item(&String::from_utf8_lossy(&bytes)))),
            Message::Ping(_) => {
                // tungstenite queued the pong while reading; flush so it leaves now.
                match self.ws.flush().await {
                    Ok(()) => None,
                    Err(e) => self.finish(StreamError::WebSocket(Box::new(e))),
                }
            }
            Message::Pong(_) | Message::Frame(_) => None,
            Message::Close(frame) => {
                let reason = frame.map(|f| format!("{} {}", u16::from(f.code), f.reason).trim().to_owned());
                self.finish(StreamError::Closed(reason))
            }
        }
    }

    fn finish(&mut self, err: StreamError) -> Option<Result<StreamItem, StreamError>> {
        self.finished = true;
        Some(Err(err))
    }
}

/// A text frame as an event, or as malformed when it is not a JSON object with a numeric `Type`.
pub fn parse_item(text: &str) -> StreamItem {
    let malformed = || StreamItem::Malformed(text.to_owned());
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return malformed();
    };
    if !value.get("Type").is_some_and(|t| t.is_i64() || t.is_u64()) {
        return malformed();
    }
    match serde_json::from_value::<StreamableEvent>(value) {
        Ok(event) => StreamItem::Event(Box::new(event)),
        Err(_) => malformed(),
    }
}

/// The stream URL of a server whose HTTP base is `origin` (`https://h/` ⇒ `wss://h/api/v1/events/stream`).
pub fn stream_url_for_origin(origin: &str) -> Result<String, StreamError> {
    let mut url = Url::parse(origin.trim()).map_err(|_| StreamError::InvalidUrl(origin.into()))?;
    let scheme = match url.scheme() {
        "http" | "ws" => "ws",
        "https" | "wss" => "wss",
        _ => return Err(StreamError::InvalidUrl(origin.into())),
    };
    url.set_scheme(scheme).map_err(|_| StreamError::InvalidUrl(origin.into()))?;
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url.join(STREAM_PATH).map(|u| u.to_string()).map_err(|_| StreamError::InvalidUrl(origin.into()))
}

/// The upgrade request with `Origin` set to the server's own http(s) origin.
fn upgrade_request(ws_url: &str) -> Result<tokio_tungstenite::tungstenite::handshake::client::Request, StreamError> {
    let invalid = || StreamError::InvalidUrl(ws_url.to_owned());
    let url = Url::parse(ws_url).map_err(|_| invalid())?;
    let http_scheme = match url.scheme() {
        "ws" => "http",
        "wss" => "https",
        _ => return Err(invalid()),
    };
    let host = url.host_str().ok_or_else(invalid)?;
    let origin = match url.port() {
        Some(port) => format!("{http_scheme}://{host}:{port}"),
        None => format!("{http_scheme}://{host}"),
    };
    let mut request = ws_url.into_client_request().map_err(|_| invalid())?;
    let value = HeaderValue::from_str(&origin).map_err(|_| invalid())?;
    request.headers_mut().insert("Origin", value);
    Ok(request)
}

/// Read until the first text frame and require it to be `200 OK`.
async fn await_auth_reply(ws: &mut Socket) -> Result<(), StreamError> {
    while let Some(frame) = ws.next().await {
        match frame.map_err(|e| StreamError::Connect(Box::new(e)))? {
            Message::Text(text) if text.as_str().trim() == AUTH_OK => return Ok(()),
            Message::Text(text) => return Err(StreamError::AuthRejected(text.as_str().trim().to_owned())),
            Message::Close(frame) => {
                let reason = frame.map(|f| f.reason.to_string()).unwrap_or_default();
                return Err(StreamError::AuthRejected(
                    format!("connection closed before authentication {reason}").trim().to_owned(),
                ));
            }
            _ => continue,
        }
    }
    Err(StreamError::AuthRejected("connection closed before authentication".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_blank_unused_secrets() {
        let mut c = StreamCredentials::password("admin", "pw");
        c.session_key = "stale".into();
        assert_eq!(c.frames(), ["admin", "Password", "pw", "", ""].map(String::from));
        let s = StreamCredentials::session_key("admin", "sk");
        assert_eq!(s.frames(), ["admin", "SessionKey", "", "sk", ""].map(String::from));
        let mut t = StreamCredentials::password("admin", "pw");
        t.auth_type = "passwordtotp".parse().unwrap();
        t.totp = "123456".into();
        assert_eq!(t.frames(), ["admin", "PasswordTOTP", "pw", "", "123456"].map(String::from));
        assert!("bogus".parse::<AuthType>().is_err());
        assert!(!format!("{c:?}").contains("pw\""));
    }

    #[test]
    fn origins_and_urls() {
        let r = upgrade_request("wss://backup.example.com/api/v1/events/stream").unwrap();
        assert_eq!(r.headers()["Origin"], "https://backup.example.com");
        let r = upgrade_request("ws://127.0.0.1:8060/api/v1/events/stream").unwrap();
        assert_eq!(r.headers()["Origin"], "http://127.0.0.1:8060");
        assert!(upgrade_request("http://x/").is_err());
        assert_eq!(stream_url_for_origin("https://h.example").unwrap(), "wss://h.example/api/v1/events/stream");
        assert_eq!(stream_url_for_origin("http://127.0.0.1:8060/").unwrap(), "ws://127.0.0.1:8060/api/v1/events/stream");
    }

    #[test]
    fn malformed_frames() {
        assert!(matches!(parse_item("hello"), StreamItem::Malformed(_)));
        assert!(matches!(parse_item("[1,2]"), StreamItem::Malformed(_)));
        assert!(matches!(parse_item(r#"{"Actor":"x"}"#), StreamItem::Malformed(_)));
        assert!(matches!(parse_item(r#"{"Type":"4000"}"#), StreamItem::Malformed(_)));
        match parse_item(r#"{"Actor":"a","OwnerOrganizationID":"","Type":4999}"#) {
            StreamItem::Event(e) => assert_eq!(e.r#type.0, 4999),
            other => panic!("{other:?}"),
        }
    }
}
