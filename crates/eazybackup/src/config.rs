//! Configuration from the operators' `.env` plus the process environment (the environment wins).
//!
//! Loading is two steps so the parsing is testable without touching the process: `load_map` reads
//! the `.env` file with dotenvy's iterator into a map (never `set_var`, which is unsafe once
//! threads exist) and overlays `std::env`; `Config::from_map` is pure. Every error is one line that
//! names the offending key. Keys: see docs/architecture.md "Configuration".

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};

use crate::db::DbUrl;

const DEFAULT_LISTEN: &str = "127.0.0.1:8090";
const EVENTS_PATH: &str = "/api/v1/events/stream";
/// The HMAC secret is shared with PHP; shorter than this is guessable.
const MIN_SECRET_LEN: usize = 16;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{key}: {message}")]
    Invalid { key: String, message: String },
    #[error("{path}: {message}")]
    EnvFile { path: String, message: String },
    #[error("no COMET_{name}_* settings; known profiles: {}", if known.is_empty() { "(none)".to_string() } else { known.join(", ") })]
    UnknownProfile { name: String, known: Vec<String> },
}

fn invalid(key: impl Into<String>, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid { key: key.into(), message: message.into() }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthType {
    Password,
    PasswordTOTP,
    SessionKey,
}

impl AuthType {
    /// The word Comet's event-stream handshake expects.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthType::Password => "Password",
            AuthType::PasswordTOTP => "PasswordTOTP",
            AuthType::SessionKey => "SessionKey",
        }
    }
}

/// One `COMET_<profile>_*` block: how to reach and log in to one Comet Server.
#[derive(Clone)]
pub struct CometProfile {
    /// The `<profile>` part of the keys (= the WHMCS server group name).
    pub name: String,
    /// `COMET_<p>_NAME` when set (display name), else `name`.
    pub display_name: String,
    /// `ws(s)://…/api/v1/events/stream`.
    pub ws_url: String,
    /// HTTP(S) base URL of the Admin API, without trailing slash.
    pub origin: String,
    pub username: String,
    pub auth_type: AuthType,
    pub password: SecretString,
    pub session_key: Option<SecretString>,
    /// `COMET_<p>_TOTP`: one code, accepted once by Comet (first login only).
    pub totp: Option<SecretString>,
    /// `COMET_<p>_TOTP_SECRET`: the admin's TOTP secret (base32); every login computes a code.
    pub totp_secret: Option<SecretString>,
}

impl CometProfile {
    /// Why this profile's settings cannot keep a worker logged in without an operator, one
    /// sentence each (empty when they can). Logged at start-up.
    pub fn unattended_problems(&self) -> Vec<String> {
        let key = |k: &str| format!("COMET_{}_{k}", self.name);
        let mut problems = Vec::new();
        if self.totp.is_some() && self.totp_secret.is_none() {
            problems.push(format!(
                "{} is a single TOTP code: Comet accepts each code once and only for a minute, so only the first login can \
                 succeed and the worker cannot log in again after a reconnect; set {} to the admin's TOTP secret instead",
                key("TOTP"),
                key("TOTP_SECRET")
            ));
        }
        if self.password.expose_secret().is_empty() && self.session_key.is_some() {
            problems.push(format!(
                "{} is a fixed session key and there is no {} to log in again: once Comet expires the session (after 30 \
                 idle minutes by default) the worker cannot reconnect",
                key("SESSIONKEY"),
                key("PASSWORD")
            ));
        }
        problems
    }
}

impl fmt::Debug for CometProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CometProfile")
            .field("name", &self.name)
            .field("display_name", &self.display_name)
            .field("ws_url", &self.ws_url)
            .field("origin", &self.origin)
            .field("username", &self.username)
            .field("auth_type", &self.auth_type)
            .field("password", &"[redacted]")
            .field("session_key", &self.session_key.as_ref().map(|_| "[redacted]"))
            .field("totp", &self.totp.as_ref().map(|_| "[redacted]"))
            .field("totp_secret", &self.totp_secret.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

#[derive(Clone)]
pub struct ApiConfig {
    pub listen: SocketAddr,
    pub secret: Option<SecretString>,
    /// Allowed browser origins; `*` allows any (tokens, not cookies, authorise).
    pub cors_origins: Vec<String>,
    /// `EB_API_MAX_BODY_BYTES` (default 65536): larger request bodies answer 413.
    pub max_body_bytes: usize,
    /// `EB_API_MAX_TOKEN_LIFETIME_SECS` (default 3600): tokens living longer are refused.
    pub max_token_lifetime_secs: i64,
    /// `EB_API_TRUSTED_PROXIES` (comma list of addresses): whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// `EB_METRICS_TOKEN`: bearer token for `/metrics` from non-loopback peers (none: loopback only).
    pub metrics_token: Option<SecretString>,
}

impl fmt::Debug for ApiConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiConfig")
            .field("listen", &self.listen)
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .field("cors_origins", &self.cors_origins)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_token_lifetime_secs", &self.max_token_lifetime_secs)
            .field("trusted_proxies", &self.trusted_proxies)
            .finish()
    }
}

/// `EB_MON_*`: defaults for `eazybackup monitor` (its flags override them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonitorDefaults {
    pub stale_secs: u64,
    pub recheck_secs: u64,
    pub max_attempts: u32,
    pub batch_limit: u32,
    pub verbose: bool,
    pub dry_run: bool,
    /// `EB_WORKER_MONITOR=1`: each worker also sweeps its profile every 5 minutes (instead of, or
    /// as well as, the timer: the per-profile lock keeps them apart).
    pub in_worker: bool,
}

impl Default for MonitorDefaults {
    fn default() -> Self {
        MonitorDefaults {
            stale_secs: 3600,
            recheck_secs: 300,
            max_attempts: 3,
            batch_limit: 200,
            verbose: false,
            dry_run: false,
            in_worker: false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub db: DbUrl,
    /// By profile key (the `<profile>` of `COMET_<profile>_*`).
    pub profiles: BTreeMap<String, CometProfile>,
    pub api: ApiConfig,
    pub ws_debug: bool,
    pub db_debug: bool,
    pub monitor: MonitorDefaults,
    pub whmcs: WhmcsConfig,
    /// Where single-instance lock files live (`EB_LOCK_DIR`, else the system temp dir).
    pub lock_dir: PathBuf,
    /// How often the worker polls running jobs (`EB_WORKER_POLL_SECS`, default 10).
    pub worker_poll: std::time::Duration,
    /// What `housekeep` (and the worker's hourly pass) keeps: `EB_JOB_HISTORY_DAYS`,
    /// `EB_AUDIT_DAYS` (0 = forever), `EB_HOUSEKEEP_BATCH`.
    pub housekeep: crate::db::retention::Policy,
}

/// How to reach the WHMCS installation for what only PHP can do (decrypting `tblservers.password`
/// through `localAPI('DecryptPassword')`).
#[derive(Debug, Clone)]
pub struct WhmcsConfig {
    /// The WHMCS root (the folder holding `init.php`), from `EB_WHMCS_ROOT`; unset = use `.env`
    /// credentials only.
    pub root: Option<PathBuf>,
    /// The PHP CLI (`EB_PHP_BIN`, default `php`).
    pub php_bin: String,
}

impl Config {
    /// `.env` (from `EB_ENV_FILE`, else `./.env`) overlaid by the process environment.
    pub fn load() -> Result<Config, ConfigError> {
        Config::from_map(&load_map()?)
    }

    pub fn from_map(map: &HashMap<String, String>) -> Result<Config, ConfigError> {
        Ok(Config {
            db: parse_db(map)?,
            profiles: parse_profiles(map)?,
            api: parse_api(map)?,
            ws_debug: flag(map, "EB_WS_DEBUG")?,
            db_debug: flag(map, "EB_DB_DEBUG")?,
            monitor: parse_monitor(map)?,
            whmcs: WhmcsConfig {
                root: non_empty(map, "EB_WHMCS_ROOT").map(PathBuf::from),
                php_bin: non_empty(map, "EB_PHP_BIN").unwrap_or_else(|| "php".into()),
            },
            lock_dir: non_empty(map, "EB_LOCK_DIR").map(PathBuf::from).unwrap_or_else(std::env::temp_dir),
            worker_poll: std::time::Duration::from_secs(positive(map, "EB_WORKER_POLL_SECS", 10)?),
            housekeep: parse_housekeep(map)?,
        })
    }

    /// The profile called `name` (its key, or else its `COMET_<p>_NAME`).
    pub fn profile(&self, name: &str) -> Result<&CometProfile, ConfigError> {
        self.profiles
            .get(name)
            .or_else(|| self.profiles.values().find(|p| p.display_name == name))
            .ok_or_else(|| ConfigError::UnknownProfile { name: name.to_string(), known: self.profiles.keys().cloned().collect() })
    }

    /// The HMAC secret shared with the addon; `serve` cannot run without it.
    pub fn require_api_secret(&self) -> Result<&SecretString, ConfigError> {
        let secret = self
            .api
            .secret
            .as_ref()
            .ok_or_else(|| invalid("EB_API_SECRET", "is not set (the addon's api_secret must hold the same value)"))?;
        let len = secret.expose_secret().chars().count();
        if len < MIN_SECRET_LEN {
            return Err(invalid("EB_API_SECRET", format!("must be at least {MIN_SECRET_LEN} characters, got {len}")));
        }
        Ok(secret)
    }
}

/// The raw key/value map: `.env` first, then the environment on top.
pub fn load_map() -> Result<HashMap<String, String>, ConfigError> {
    let explicit = std::env::var_os("EB_ENV_FILE").map(PathBuf::from);
    let mut map = match &explicit {
        Some(path) => read_env_file(path).map_err(|e| invalid("EB_ENV_FILE", e.to_string()))?,
        None => match read_env_file(Path::new(".env")) {
            Err(ConfigError::EnvFile { .. }) if !Path::new(".env").exists() => HashMap::new(),
            other => other?,
        },
    };
    // Non-UTF-8 environment entries cannot be any of our keys; skip them rather than fail.
    let env = std::env::vars_os().filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)));
    Ok(overlay(std::mem::take(&mut map), env))
}

/// `file` with every key of `env` put on top: the environment wins.
pub fn overlay(mut file: HashMap<String, String>, env: impl IntoIterator<Item = (String, String)>) -> HashMap<String, String> {
    file.extend(env);
    file
}

/// Reads one `.env` file into a map (later lines win, as in a shell).
pub fn read_env_file(path: &Path) -> Result<HashMap<String, String>, ConfigError> {
    let shown = path.display().to_string();
    let iter = dotenvy::from_path_iter(path).map_err(|e| ConfigError::EnvFile { path: shown.clone(), message: env_error(&e) })?;
    let mut map = HashMap::new();
    for item in iter {
        let (k, v) = item.map_err(|e| ConfigError::EnvFile { path: shown.clone(), message: env_error(&e) })?;
        map.insert(k, v);
    }
    Ok(map)
}

fn env_error(e: &dotenvy::Error) -> String {
    match e {
        dotenvy::Error::LineParse(line, at) => format!("cannot parse line {line:?} (at character {at})"),
        dotenvy::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

/// A value, with empty (after trimming) treated as unset: the operators' sample writes `KEY=""`
/// for "not used".
fn get<'m>(map: &'m HashMap<String, String>, key: &str) -> Option<&'m str> {
    map.get(key).map(|v| v.trim()).filter(|v| !v.is_empty())
}

fn parse_db(map: &HashMap<String, String>) -> Result<DbUrl, ConfigError> {
    let dsn = get(map, "DB_DSN")
        .ok_or_else(|| invalid("DB_DSN", "is not set (e.g. mysql:host=127.0.0.1;dbname=whmcs or sqlite://var/eb.sqlite)"))?;
    // DsnError messages already start with "DB_DSN"; strip it so the line names the key once.
    DbUrl::parse(dsn, map.get("DB_USER").map(String::as_str), map.get("DB_PASS").map(String::as_str)).map_err(|e| {
        let msg = e.to_string();
        invalid("DB_DSN", msg.strip_prefix("DB_DSN: ").unwrap_or(&msg).to_string())
    })
}

fn positive(map: &HashMap<String, String>, key: &'static str, default: u64) -> Result<u64, ConfigError> {
    match non_empty(map, key) {
        None => Ok(default),
        Some(v) => v
            .parse::<u64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| invalid(key, format!("expected a whole number of seconds above 0, got {v:?}"))),
    }
}

fn non_empty(map: &HashMap<String, String>, key: &str) -> Option<String> {
    map.get(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn flag(map: &HashMap<String, String>, key: &str) -> Result<bool, ConfigError> {
    match get(map, key).map(str::to_ascii_lowercase).as_deref() {
        None | Some("0" | "false" | "no" | "off") => Ok(false),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some(_) => Err(invalid(key, format!("expected 1 or 0, got {:?}", map[key]))),
    }
}

fn number<T>(map: &HashMap<String, String>, key: &str, default: T, min: T) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + fmt::Display + Copy,
{
    let Some(raw) = get(map, key) else { return Ok(default) };
    let v: T = raw.parse().map_err(|_| invalid(key, format!("expected a whole number, got {raw:?}")))?;
    if v < min {
        return Err(invalid(key, format!("must be at least {min}, got {v}")));
    }
    Ok(v)
}

fn parse_monitor(map: &HashMap<String, String>) -> Result<MonitorDefaults, ConfigError> {
    let d = MonitorDefaults::default();
    Ok(MonitorDefaults {
        stale_secs: number(map, "EB_MON_STALE_SECS", d.stale_secs, 1)?,
        recheck_secs: number(map, "EB_MON_RECHECK_SECS", d.recheck_secs, 1)?,
        max_attempts: number(map, "EB_MON_MAX_ATTEMPTS", d.max_attempts, 1)?,
        batch_limit: number(map, "EB_MON_BATCH_LIMIT", d.batch_limit, 1)?,
        verbose: flag(map, "EB_MON_VERBOSE")?,
        dry_run: flag(map, "EB_MON_DRY_RUN")?,
        in_worker: flag(map, "EB_WORKER_MONITOR")?,
    })
}

fn parse_housekeep(map: &HashMap<String, String>) -> Result<crate::db::retention::Policy, ConfigError> {
    let d = crate::db::retention::Policy::default();
    Ok(crate::db::retention::Policy {
        job_history_days: number(map, "EB_JOB_HISTORY_DAYS", d.job_history_days, 0)?,
        audit_days: number(map, "EB_AUDIT_DAYS", d.audit_days, 0)?,
        batch: number(map, "EB_HOUSEKEEP_BATCH", d.batch, 1)?,
    })
}

fn parse_api(map: &HashMap<String, String>) -> Result<ApiConfig, ConfigError> {
    let listen_raw = get(map, "EB_API_LISTEN").unwrap_or(DEFAULT_LISTEN);
    let listen = listen_raw
        .parse()
        .map_err(|_| invalid("EB_API_LISTEN", format!("expected host:port such as {DEFAULT_LISTEN}, got {listen_raw:?}")))?;
    let cors_origins = get(map, "EB_API_CORS_ORIGINS")
        .map(|v| v.split(',').map(str::trim).filter(|o| !o.is_empty()).map(str::to_string).collect())
        .unwrap_or_default();
    let secret = get(map, "EB_API_SECRET").map(|s| SecretString::from(s.to_string()));
    let max_body_bytes = number(map, "EB_API_MAX_BODY_BYTES", crate::api::state::DEFAULT_MAX_BODY_BYTES, 1)?;
    let max_token_lifetime_secs =
        number(map, "EB_API_MAX_TOKEN_LIFETIME_SECS", crate::api::state::DEFAULT_MAX_TOKEN_LIFETIME_SECS, 1)?;
    let trusted_proxies = match get(map, "EB_API_TRUSTED_PROXIES") {
        None => Vec::new(),
        Some(list) => list
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().map_err(|_| invalid("EB_API_TRUSTED_PROXIES", format!("{p:?} is not an IP address"))))
            .collect::<Result<_, _>>()?,
    };
    let metrics_token = get(map, "EB_METRICS_TOKEN").map(|s| SecretString::from(s.to_string()));
    Ok(ApiConfig { listen, secret, cors_origins, max_body_bytes, max_token_lifetime_secs, trusted_proxies, metrics_token })
}

/// The per-profile keys, longest first so a suffix match never stops at a shorter key.
const PROFILE_KEYS: [&str; 9] =
    ["TOTP_SECRET", "SESSIONKEY", "USERNAME", "AUTHTYPE", "PASSWORD", "ORIGIN", "NAME", "TOTP", "URL"];

/// Splits `COMET_<profile>_<KEY>` (profile names may contain underscores).
fn split_profile_key(key: &str) -> Option<(&str, &'static str)> {
    let rest = key.strip_prefix("COMET_")?;
    PROFILE_KEYS.iter().find_map(|k| {
        let profile = rest.strip_suffix(k)?.strip_suffix('_')?;
        (!profile.is_empty()).then_some((profile, *k))
    })
}

fn parse_profiles(map: &HashMap<String, String>) -> Result<BTreeMap<String, CometProfile>, ConfigError> {
    let mut blocks: BTreeMap<&str, HashMap<&'static str, &str>> = BTreeMap::new();
    for (key, value) in map {
        if let Some((profile, k)) = split_profile_key(key) {
            blocks.entry(profile).or_default().insert(k, value.as_str());
        }
    }
    blocks.into_iter().map(|(name, block)| Ok((name.to_string(), parse_profile(name, &block)?))).collect()
}

fn parse_profile(name: &str, block: &HashMap<&'static str, &str>) -> Result<CometProfile, ConfigError> {
    let key = |k: &str| format!("COMET_{name}_{k}");
    let value = |k: &str| block.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let secret = |k: &str| value(k).map(|v| SecretString::from(v.to_string()));

    let (ws_url, origin) = match (value("URL"), value("ORIGIN")) {
        (None, None) => return Err(invalid(key("URL"), format!("is not set (nor {})", key("ORIGIN")))),
        (Some(u), o) => {
            let ws = check_url(&key("URL"), u, &["ws", "wss"])?;
            let origin = match o {
                Some(o) => check_url(&key("ORIGIN"), o, &["http", "https"])?,
                None => origin_from_ws(&ws),
            };
            (ws, origin)
        }
        (None, Some(o)) => {
            let origin = check_url(&key("ORIGIN"), o, &["http", "https"])?;
            (ws_from_origin(&origin), origin)
        }
    };
    let username = value("USERNAME").ok_or_else(|| invalid(key("USERNAME"), "is not set"))?.to_string();
    let auth_type = match value("AUTHTYPE") {
        None | Some("Password") => AuthType::Password,
        Some("PasswordTOTP") => AuthType::PasswordTOTP,
        Some("SessionKey") => AuthType::SessionKey,
        Some(other) => {
            return Err(invalid(key("AUTHTYPE"), format!("expected Password, PasswordTOTP or SessionKey, got {other:?}")));
        }
    };
    let password = secret("PASSWORD");
    let session_key = secret("SESSIONKEY");
    let totp = secret("TOTP");
    let totp_secret = secret("TOTP_SECRET");
    if let Some(s) = &totp_secret
        && let Err(e) = comet::totp::validate_secret(s.expose_secret())
    {
        return Err(invalid(key("TOTP_SECRET"), e.to_string()));
    }
    match auth_type {
        AuthType::Password | AuthType::PasswordTOTP if password.is_none() => {
            return Err(invalid(key("PASSWORD"), format!("is required with AUTHTYPE {}", auth_type.as_str())));
        }
        AuthType::PasswordTOTP if totp.is_none() && totp_secret.is_none() => {
            return Err(invalid(key("TOTP_SECRET"), format!("(or {}) is required with AUTHTYPE PasswordTOTP", key("TOTP"))));
        }
        AuthType::SessionKey if session_key.is_none() => {
            return Err(invalid(key("SESSIONKEY"), "is required with AUTHTYPE SessionKey"));
        }
        _ => {}
    }
    Ok(CometProfile {
        name: name.to_string(),
        display_name: value("NAME").unwrap_or(name).to_string(),
        ws_url,
        origin,
        username,
        auth_type,
        password: password.unwrap_or_else(|| SecretString::from(String::new())),
        session_key,
        totp,
        totp_secret,
    })
}

/// Validates an absolute URL with one of `schemes`; returns it without a trailing slash.
fn check_url(key: &str, raw: &str, schemes: &[&str]) -> Result<String, ConfigError> {
    let url = url::Url::parse(raw).map_err(|e| invalid(key, format!("not a URL ({e}): {raw:?}")))?;
    if !schemes.contains(&url.scheme()) || url.host_str().is_none() {
        return Err(invalid(key, format!("expected a {} URL, got {raw:?}", schemes.join("/"))));
    }
    Ok(raw.trim_end_matches('/').to_string())
}

/// `wss://host/prefix/api/v1/events/stream` → `https://host/prefix`.
fn origin_from_ws(ws: &str) -> String {
    let (scheme, rest) = match ws.split_once("://") {
        Some(("wss", rest)) => ("https", rest),
        Some((_, rest)) => ("http", rest),
        None => ("https", ws),
    };
    format!("{scheme}://{}", rest.strip_suffix(EVENTS_PATH).unwrap_or(rest).trim_end_matches('/'))
}

/// `https://host/prefix` → `wss://host/prefix/api/v1/events/stream`.
fn ws_from_origin(origin: &str) -> String {
    let (scheme, rest) = match origin.split_once("://") {
        Some(("https", rest)) => ("wss", rest),
        Some((_, rest)) => ("ws", rest),
        None => ("wss", origin),
    };
    format!("{scheme}://{rest}{EVENTS_PATH}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_keys_split_on_the_longest_known_suffix() {
        assert_eq!(split_profile_key("COMET_obc_USERNAME"), Some(("obc", "USERNAME")));
        assert_eq!(split_profile_key("COMET_my_server_NAME"), Some(("my_server", "NAME")));
        assert_eq!(split_profile_key("COMET_a_SESSIONKEY"), Some(("a", "SESSIONKEY")));
        assert_eq!(split_profile_key("COMET_PROFILE"), None);
        assert_eq!(split_profile_key("COMET__URL"), None);
    }

    #[test]
    fn urls_derive_both_ways() {
        assert_eq!(origin_from_ws("wss://csw.example.com/api/v1/events/stream"), "https://csw.example.com");
        assert_eq!(origin_from_ws("ws://127.0.0.1:8060/api/v1/events/stream"), "http://127.0.0.1:8060");
        assert_eq!(ws_from_origin("https://csw.example.com/comet"), "wss://csw.example.com/comet/api/v1/events/stream");
        assert_eq!(ws_from_origin("http://127.0.0.1:8061"), "ws://127.0.0.1:8061/api/v1/events/stream");
    }
}
