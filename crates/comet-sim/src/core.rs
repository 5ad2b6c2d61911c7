//! Simulator state and every state transition (§6.1, §6.4–§6.6). HTTP, websocket, control
//! surface and job engine are thin layers over `SimCore`.
//!
//! One `std::sync::Mutex` guards all state; it is never held across an `.await`. Events are sent
//! on the broadcast bus while the lock is held so their order matches the order of the changes.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::{broadcast, watch};
use tokio::time::Instant;

use crate::clock::{Clock, ClockError, ControlledClock};

use crate::config::SimConfig;
use crate::shapes::{self, BackupJobDetail, BackupJobProgress, OsInfo, SizeMeasurement, sevt, status};

/// Messages fanned out to websocket subscribers.
#[derive(Clone, Debug)]
pub enum BusMsg {
    /// A `StreamableEvent`.
    Event(Arc<Value>),
    /// A raw text frame (fault injection: not JSON).
    Raw(Arc<str>),
    /// A binary frame (fault injection: a text frame must be valid UTF-8, so bytes that are not
    /// can only arrive this way, e.g. through a proxy that re-frames the stream).
    Bytes(Arc<[u8]>),
}

/// Failures of simulator operations; the HTTP layer maps them to `CometAPIResponseMessage`.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SimError {
    #[error("authentication failed")]
    AuthFailed,
    #[error("ERR_TOTP_REQUIRED")]
    TotpRequired,
    #[error("{0}")]
    BadRequest(String),
    #[error("no such user: {0}")]
    UnknownUser(String),
    #[error("ERR_UNKNOWN_DEVICE")]
    UnknownDevice(String),
    #[error("no such job: {0}")]
    UnknownJob(String),
    #[error("{message}")]
    HashMismatch { status: u16, message: String },
    #[error("{0}")]
    DeviceUnavailable(String),
    /// Refused by policy or tenancy (§6.2, §6.4).
    #[error("{0}")]
    Forbidden(String),
    /// A rejected clock change (`/__sim/clock`): bad scale, backward or huge advance.
    #[error(transparent)]
    Clock(#[from] ClockError),
}

impl SimError {
    /// The `Status` of the error body (§1.5, §6.2).
    pub fn status(&self) -> u16 {
        match self {
            SimError::AuthFailed | SimError::TotpRequired | SimError::Forbidden(_) => 403,
            SimError::HashMismatch { status, .. } => *status,
            SimError::DeviceUnavailable(_) => 500,
            _ => 400,
        }
    }
}

/// Behaviour switches (§6.2, §6.5, §6.7). Settable at runtime through `/__sim/faults`.
#[derive(Clone, Debug, Serialize)]
pub struct Faults {
    pub reject_auth: bool,
    /// The next N API requests get HTTP 503 with a non-JSON body.
    pub http_5xx: u32,
    pub slow_ms: u64,
    pub mirror_http_status: bool,
    pub hash_mismatch_status: u16,
    pub hash_mismatch_message: String,
    pub emit_completed_on_cancel: bool,
    /// Simulated seconds between `AdminJobCancel` and the device ending the job (7005): Comet
    /// forwards the cancel to the device, which confirms later; the call returns at once.
    pub cancel_delay_secs: f64,
    pub emit_completed_on_abandon: bool,
    /// Job completion writes `Sources[*].Statistics`/`Destinations[*].Statistics`, bumps the
    /// revision and emits `SEVT_ACCOUNT_UPDATED` (*inferred* behaviour, hence a knob).
    pub profile_update_on_complete: bool,
    /// Every websocket closes after sending this many events after HELLO (0 = never).
    pub close_after_events: u32,
    /// Websockets send nothing at all (no events, no pings) and stop answering pings.
    pub silent: bool,
    /// Send a WebSocket ping every N seconds and close when the previous one got no pong (0 = off).
    pub ping_every_secs: u64,
    /// Job event delivery: `normal`, `completed_before_new`, `drop_new` or `duplicate`.
    pub job_event_order: String,
    /// Delay before a device reconnects after `drop-connection` / a software update (ms).
    pub reconnect_delay_ms: u64,
}

/// The values `Faults::job_event_order` accepts.
pub const JOB_EVENT_ORDERS: &[&str] = &["normal", "completed_before_new", "drop_new", "duplicate"];

impl Default for Faults {
    fn default() -> Self {
        Self {
            reject_auth: false,
            http_5xx: 0,
            slow_ms: 0,
            mirror_http_status: false,
            hash_mismatch_status: 400,
            hash_mismatch_message: "Profile hash mismatch (the profile was modified concurrently)".into(),
            emit_completed_on_cancel: false,
            cancel_delay_secs: 3.0,
            emit_completed_on_abandon: false,
            profile_update_on_complete: true,
            close_after_events: 0,
            silent: false,
            ping_every_secs: 0,
            job_event_order: "normal".into(),
            reconnect_delay_ms: 1000,
        }
    }
}

/// A partial update of `Faults` plus one-shot actions.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultPatch {
    pub reject_auth: Option<bool>,
    pub http_5xx: Option<u32>,
    pub slow_ms: Option<u64>,
    pub mirror_http_status: Option<bool>,
    pub hash_mismatch_status: Option<u16>,
    pub hash_mismatch_message: Option<String>,
    pub emit_completed_on_cancel: Option<bool>,
    pub cancel_delay_secs: Option<f64>,
    pub emit_completed_on_abandon: Option<bool>,
    pub profile_update_on_complete: Option<bool>,
    pub close_after_events: Option<u32>,
    pub silent: Option<bool>,
    pub ping_every_secs: Option<u64>,
    pub job_event_order: Option<String>,
    pub reconnect_delay_ms: Option<u64>,
    /// One-shot: emit `SEVT_ACCOUNT_UPDATED` owned by tenant `sim-foreign-tenant` (tenant admins
    /// must not receive it; top-level admins do).
    pub foreign_tenant_event: Option<bool>,
    /// One-shot: close every websocket now.
    pub drop_sockets: Option<bool>,
    /// One-shot: send one non-JSON text frame to every websocket.
    pub malformed_frame: Option<bool>,
    /// One-shot: simulate a server restart (new `ServerStartHash`, sockets dropped).
    pub restart: Option<bool>,
}

pub struct UserRecord {
    pub profile: Map<String, Value>,
    pub password: String,
    pub revision: u64,
    pub hash: String,
    /// TOTP secret (base32); codes per RFC 6238 (`crate::totp`).
    pub totp_secret: Option<String>,
}

/// Which API family a session key (or login) belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionKind {
    Admin,
    User,
}

impl SessionKind {
    /// `SessionKeyRegeneratedResponse.SessionType`.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Admin => "admin",
            SessionKind::User => "user",
        }
    }
}

/// Who an authenticated request acts as.
#[derive(Clone, Debug, PartialEq)]
pub struct Principal {
    pub username: String,
    pub kind: SessionKind,
    /// Tenant of a tenant admin (empty = top-level admin, sees every organization).
    pub organization_id: String,
}

impl Principal {
    /// Whether this principal may see things owned by `org` (§1.8).
    pub fn sees_org(&self, org: &str) -> bool {
        self.organization_id.is_empty() || self.organization_id == org
    }
}

struct Session {
    username: String,
    kind: SessionKind,
    last_used: i64,
}

/// A snapshot stored in a vault (§5.10 `VaultSnapshot`).
#[derive(Clone, Debug)]
pub struct SnapshotRec {
    pub id: String,
    pub source: String,
    pub engine: String,
    pub create_time: i64,
    pub size: i64,
    pub tags: Vec<String>,
}

/// Simulator-side facts about a device that the profile does not hold.
pub struct DeviceSim {
    pub username: String,
    pub live_id: Option<String>,
    pub connected_at: i64,
    pub version: String,
    pub os: OsInfo,
    pub timezone: String,
    /// `LiveUserConnection.AllowsFilenames`: browse calls are refused when false.
    pub allows_filenames: bool,
    /// Set while a dropped connection waits to come back (drop-connection, software update).
    pub reconnect_at: Option<Instant>,
}

/// How a job will run. All times are simulated Unix seconds (`SimCore::now_f64`), so advancing
/// or accelerating the clock moves progress, retries and resumes along with the timestamps.
pub struct JobPlan {
    pub outcome: u64,
    /// Simulated seconds the (current attempt of the) job runs.
    pub duration_secs: f64,
    /// Simulated time the current attempt started.
    pub started: f64,
    pub stall: bool,
    pub upload_size: i64,
    /// Failed attempts still to go through 6003 before the final attempt.
    pub retry_failures: u32,
    /// While 6003: when the next attempt starts (simulated time).
    pub retry_at: Option<f64>,
    /// A stalled job resumes reporting at this simulated time (revives if abandoned meanwhile).
    pub resume_at: Option<f64>,
    /// Snapshots a 4005 job removes when it succeeds.
    pub delete_snapshots: Vec<String>,
    /// A cancel was requested: the device ends the job (7005) at this simulated time.
    pub cancel_at: Option<f64>,
    /// The progress counter (heartbeat) ticks but no bytes are done.
    pub flat_bytes: bool,
    /// How the device answers `AdminJobCancel` (`None`: see [`CancelReply::default_for`]).
    pub on_cancel: Option<CancelReply>,
}

/// How a job's device answers `AdminJobCancel`: the monitor meets all three on real fleets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelReply {
    /// The request is accepted and the device ends the job (7005) `cancel_delay_secs` later,
    /// stalled or not (a hung upload with a live dispatcher connection).
    Confirm,
    /// The request is accepted but the device never acts on it: the job stays running.
    Ignore,
    /// The device does not answer: the call fails (HTTP 500, as Comet's own timeout does).
    Unreachable,
}

impl CancelReply {
    /// Without a choice: a stalled device does not answer, a working one confirms.
    pub fn default_for(stall: bool) -> CancelReply {
        if stall { CancelReply::Unreachable } else { CancelReply::Confirm }
    }
}

pub struct JobRecord {
    pub detail: BackupJobDetail,
    pub plan: JobPlan,
    pub log: Vec<(i64, &'static str, String)>,
}

/// A device as Comet knows it: a device ID identifies a machine, and one machine can be registered
/// in several accounts of a server, so a registration is (username, device ID).
pub type DeviceKey = (String, String);

pub struct SimState {
    pub users: BTreeMap<String, UserRecord>,
    sessions: HashMap<String, Session>,
    pub devices: BTreeMap<DeviceKey, DeviceSim>,
    pub jobs: BTreeMap<String, JobRecord>,
    pub faults: Faults,
    pub server_start_time: i64,
    pub server_start_hash: String,
    pub rng: StdRng,
    pub jobs_started: u64,
    /// Vault ID → snapshots, oldest first.
    pub snapshots: BTreeMap<String, Vec<SnapshotRec>>,
    /// Policy ID → `GroupPolicy` JSON.
    pub policies: BTreeMap<String, Value>,
    /// Every restore a device was asked to run, oldest first (inspection: `/__sim/restores`).
    pub restores: Vec<Value>,
    /// `SEVT_JOB_NEW` held back by the `completed_before_new` fault, by job GUID.
    held_new: HashMap<String, Value>,
    /// The last TOTP step each account logged in or validated with (`admin:`/`user:` + name):
    /// a code is accepted once.
    pub(crate) totp_used: HashMap<String, i64>,
    /// Admin TOTP secrets set by `account/regenerate-totp` (they replace the configured one).
    pub(crate) admin_totp_secrets: HashMap<String, String>,
}

/// Simulated seconds a failed attempt waits in 6003 before it retries.
const RETRY_WAIT_SECS: f64 = 2.0;

/// What `/__sim/jobs` and `SimHandle::start_job` ask for.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartJob {
    pub username: String,
    #[serde(default)]
    pub device_id: Option<String>,
    #[serde(default)]
    pub source_id: Option<String>,
    #[serde(default)]
    pub destination_id: Option<String>,
    #[serde(default = "default_duration")]
    pub duration_secs: f64,
    #[serde(default = "default_outcome")]
    pub outcome: u64,
    #[serde(default)]
    pub stall: bool,
    /// `JOB_CLASSIFICATION_*` (default 4001 backup).
    #[serde(default = "default_classification")]
    pub classification: u64,
    /// `BackupJobDetail.BackupRuleGUID` (scheduled/rule runs only).
    #[serde(default)]
    pub backup_rule: Option<String>,
    /// Attempts that fail and retry (6003, `RetryCount += 1`) before the final outcome.
    #[serde(default)]
    pub retry_failures: u32,
    /// When a job for the same Protected Item runs, create a 7006 job instead.
    #[serde(default)]
    pub skip_already_running: bool,
    /// A stalled job resumes after this many simulated seconds (revived 6002 if abandoned).
    #[serde(default)]
    pub resume_after_secs: Option<f64>,
    /// Snapshots a 4005 job deletes.
    #[serde(default)]
    pub delete_snapshots: Vec<String>,
    /// The heartbeat (`Progress.Counter`) ticks while the bytes stay flat.
    #[serde(default)]
    pub flat_bytes: bool,
    /// How the device answers a cancel: `confirm`, `ignore` or `unreachable` (default: `unreachable`
    /// when stalled, else `confirm`).
    #[serde(default)]
    pub on_cancel: Option<CancelReply>,
}

fn default_classification() -> u64 {
    shapes::CLASSIFICATION_BACKUP
}

fn default_duration() -> f64 {
    30.0
}
fn default_outcome() -> u64 {
    status::SUCCESS
}

impl StartJob {
    pub fn new(username: &str, duration_secs: f64, outcome: u64) -> Self {
        Self {
            username: username.into(),
            device_id: None,
            source_id: None,
            destination_id: None,
            duration_secs,
            outcome,
            stall: false,
            classification: shapes::CLASSIFICATION_BACKUP,
            backup_rule: None,
            retry_failures: 0,
            skip_already_running: false,
            resume_after_secs: None,
            delete_snapshots: Vec::new(),
            flat_bytes: false,
            on_cancel: None,
        }
    }
}

pub struct SimCore {
    pub cfg: SimConfig,
    /// Simulated time over `cfg.clock`: advanced and accelerated through the control surface.
    clock: ControlledClock,
    state: Mutex<SimState>,
    bus: broadcast::Sender<BusMsg>,
    /// Bumped to make every websocket close (drop_sockets, restart, shutdown).
    epoch: watch::Sender<u64>,
}

pub fn new_guid(rng: &mut StdRng) -> String {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid().to_string()
}

fn hex_token(rng: &mut StdRng, bytes: usize) -> String {
    let v: Vec<u8> = (0..bytes).map(|_| rng.random()).collect();
    hex::encode(v)
}

/// `Value::pointer` for a profile stored as a map (`/Key/rest…`).
pub fn map_pointer<'a>(m: &'a Map<String, Value>, pointer: &str) -> Option<&'a Value> {
    let path = pointer.strip_prefix('/')?;
    match path.split_once('/') {
        Some((first, rest)) => m.get(first)?.pointer(&format!("/{rest}")),
        None => m.get(path),
    }
}

/// `Value::pointer_mut` for a profile stored as a map.
pub fn map_pointer_mut<'a>(m: &'a mut Map<String, Value>, pointer: &str) -> Option<&'a mut Value> {
    let path = pointer.strip_prefix('/')?;
    match path.split_once('/') {
        Some((first, rest)) => m.get_mut(first)?.pointer_mut(&format!("/{rest}")),
        None => m.get_mut(path),
    }
}

/// Opaque revision token: SHA-256 over username, revision and the stored document (§6.1).
pub(crate) fn profile_hash(username: &str, revision: u64, profile: &Map<String, Value>) -> String {
    let mut h = Sha256::new();
    h.update(username.as_bytes());
    h.update(revision.to_be_bytes());
    h.update(serde_json::to_vec(profile).unwrap_or_default());
    hex::encode(h.finalize())
}

pub(crate) fn org_of(profile: &Map<String, Value>) -> String {
    profile.get("OrganizationID").and_then(Value::as_str).unwrap_or("").to_string()
}

impl SimCore {
    pub fn new(cfg: SimConfig) -> Arc<Self> {
        // Job, session, live-connection and snapshot IDs are GUIDs unique per server: two
        // simulators (two Comet Servers of one demo) must never hand out the same job ID, so the
        // generator is seeded per process unless a test asks for a fixed sequence. The seeded
        // accounts (`rng_seed`) stay stable across restarts.
        let rng = match cfg.ids_seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => StdRng::from_os_rng(),
        };
        let clock = ControlledClock::new_or_normal_speed(cfg.clock.clone(), cfg.time_scale);
        let now = clock.now();
        let start_hash = uuid::Uuid::new_v4().simple().to_string();
        let state = SimState {
            users: BTreeMap::new(),
            sessions: HashMap::new(),
            devices: BTreeMap::new(),
            jobs: BTreeMap::new(),
            faults: Faults::default(),
            server_start_time: now,
            server_start_hash: start_hash,
            rng,
            jobs_started: 0,
            snapshots: BTreeMap::new(),
            policies: crate::policy::seed_policies(now),
            restores: Vec::new(),
            held_new: HashMap::new(),
            totp_used: HashMap::new(),
            admin_totp_secrets: HashMap::new(),
        };
        let (bus, _) = broadcast::channel(4096);
        let (epoch, _) = watch::channel(0);
        Arc::new(Self { cfg, clock, state: Mutex::new(state), bus, epoch })
    }

    /// Simulated Unix seconds, UTC: every timestamp the simulator writes.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Simulated time with a fraction: job progress, durations, retries and schedules.
    pub fn now_f64(&self) -> f64 {
        self.clock.now_f64()
    }

    /// Simulated seconds per second of the base clock.
    pub fn time_scale(&self) -> f64 {
        self.clock.time_scale()
    }

    /// Moves simulated time forward by `secs`; jobs whose end has passed complete at the next
    /// tick (with their normal events), schedules waiting on that time fire once.
    pub fn advance_clock(&self, secs: f64) -> Result<(), SimError> {
        self.clock.advance_by(secs).map_err(SimError::Clock)
    }

    /// Runs simulated time `scale` times as fast as the base clock from now on.
    pub fn set_time_scale(&self, scale: f64) -> Result<(), SimError> {
        self.clock.set_time_scale(scale).map_err(SimError::Clock)
    }

    pub fn lock(&self) -> MutexGuard<'_, SimState> {
        // A panic while holding the lock leaves consistent-enough data for a simulator.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn subscribe(&self) -> broadcast::Receiver<BusMsg> {
        self.bus.subscribe()
    }

    pub fn epoch(&self) -> watch::Receiver<u64> {
        self.epoch.subscribe()
    }

    pub fn faults(&self) -> Faults {
        self.lock().faults.clone()
    }

    pub fn emit(&self, code: i64, actor: &str, org: &str, resource: &str, data: Option<Value>) {
        let ev = shapes::streamable_event(code, actor, org, resource, self.now(), data);
        let _ = self.bus.send(BusMsg::Event(Arc::new(ev)));
    }

    /// Fault injection: the event `emit` would send, with every occurrence of `marker` in its JSON
    /// replaced by bytes that are not UTF-8, as a binary frame.
    pub fn emit_invalid_utf8(&self, code: i64, actor: &str, resource: &str, data: Option<Value>, marker: &str) {
        let ev = shapes::streamable_event(code, actor, "", resource, self.now(), data).to_string();
        let bytes: Vec<u8> = ev.split(marker).map(str::as_bytes).collect::<Vec<_>>().join(&[0xFF, 0xFE, b'x', 0xC3][..]);
        let _ = self.bus.send(BusMsg::Bytes(Arc::from(bytes)));
    }

    pub fn drop_sockets(&self) {
        self.epoch.send_modify(|e| *e += 1);
    }

    pub fn apply_faults(&self, p: FaultPatch) -> Faults {
        let mut st = self.lock();
        let f = &mut st.faults;
        macro_rules! set {
            ($($k:ident),*) => { $( if let Some(v) = p.$k.clone() { f.$k = v; } )* };
        }
        set!(
            reject_auth,
            http_5xx,
            slow_ms,
            mirror_http_status,
            hash_mismatch_status,
            hash_mismatch_message,
            emit_completed_on_cancel,
            emit_completed_on_abandon,
            profile_update_on_complete,
            close_after_events,
            silent,
            ping_every_secs,
            reconnect_delay_ms
        );
        if let Some(delay) = p.cancel_delay_secs
            && delay.is_finite()
            && delay >= 0.0
        {
            f.cancel_delay_secs = delay;
        }
        if let Some(order) = &p.job_event_order
            && JOB_EVENT_ORDERS.contains(&order.as_str())
        {
            f.job_event_order = order.clone();
        }
        if p.foreign_tenant_event == Some(true) {
            self.emit(sevt::ACCOUNT_UPDATED, "foreign-user", "sim-foreign-tenant", "foreign-user", None);
        }
        if p.restart == Some(true) {
            st.server_start_hash = uuid::Uuid::new_v4().simple().to_string();
            st.server_start_time = self.now();
            st.sessions.clear();
        }
        if p.malformed_frame == Some(true) {
            let _ = self.bus.send(BusMsg::Raw(Arc::from("this is not JSON {")));
        }
        let out = st.faults.clone();
        drop(st);
        if p.drop_sockets == Some(true) || p.restart == Some(true) {
            self.drop_sockets();
        }
        out
    }

    /// Consumes one unit of the `http_5xx` fault; true when this request must fail.
    pub fn take_http_5xx(&self) -> bool {
        let mut st = self.lock();
        if st.faults.http_5xx > 0 {
            st.faults.http_5xx -= 1;
            true
        } else {
            false
        }
    }

    // ---------------------------------------------------------------- authentication

    /// Admin authentication (§1.3, §6.2). Password logins emit `SEVT_ACCOUNT_ADMIN_LOGIN`
    /// (`ResourceID` = path); session-key requests emit nothing.
    pub fn authenticate_admin(
        &self,
        username: &str,
        auth_type: &str,
        password: &str,
        session_key: &str,
        totp: &str,
        path: &str,
    ) -> Result<Principal, SimError> {
        let now = self.now();
        let mut st = self.lock();
        if st.faults.reject_auth {
            return Err(SimError::AuthFailed);
        }
        let admin = self.cfg.admin(username);
        match auth_type {
            "SessionKey" => {
                Self::use_session(&mut st, session_key, username, SessionKind::Admin, now, self.cfg.session_idle_secs)?;
                Ok(self.admin_principal(username))
            }
            "Password" | "PasswordTOTP" => {
                let Some(admin) = admin else {
                    return Err(SimError::AuthFailed);
                };
                if password != admin.password {
                    self.emit(sevt::ACCOUNT_ADMIN_LOGIN_FAILED, username, &admin.organization_id, path, None);
                    return Err(SimError::AuthFailed);
                }
                // TOTP is required of admins configured with it; a regenerated secret replaces
                // the configured one.
                if let Some(configured) = &admin.totp_secret {
                    let secret = st.admin_totp_secrets.get(username).cloned().unwrap_or_else(|| configured.clone());
                    if auth_type == "Password" || totp.is_empty() {
                        return Err(SimError::TotpRequired);
                    }
                    if !Self::spend_totp(&mut st, &format!("admin:{username}"), &secret, totp, now) {
                        self.emit(sevt::ACCOUNT_ADMIN_LOGIN_FAILED, username, &admin.organization_id, path, None);
                        return Err(SimError::AuthFailed);
                    }
                }
                self.emit(sevt::ACCOUNT_ADMIN_LOGIN, username, &admin.organization_id, path, None);
                Ok(self.admin_principal(username))
            }
            _ => Err(SimError::AuthFailed),
        }
    }

    fn admin_principal(&self, username: &str) -> Principal {
        Principal {
            username: username.into(),
            kind: SessionKind::Admin,
            organization_id: self.cfg.admin(username).map(|a| a.organization_id).unwrap_or_default(),
        }
    }

    /// Accepts `code` when it is a current code of `secret` not used before by `account`, and
    /// marks its step used.
    pub(crate) fn spend_totp(st: &mut SimState, account: &str, secret: &str, code: &str, now: i64) -> bool {
        match crate::totp::accepted_step(secret, code, now, st.totp_used.get(account).copied()) {
            Some(step) => {
                st.totp_used.insert(account.to_string(), step);
                true
            }
            None => false,
        }
    }

    fn use_session(st: &mut SimState, key: &str, username: &str, kind: SessionKind, now: i64, idle: i64) -> Result<(), SimError> {
        let ok = match st.sessions.get_mut(key) {
            Some(s) if s.username == username && s.kind == kind && now - s.last_used <= idle => {
                s.last_used = now;
                true
            }
            _ => false,
        };
        if !ok {
            st.sessions.remove(key);
            return Err(SimError::AuthFailed);
        }
        Ok(())
    }

    /// End-user authentication for `/api/v1/user/*` (§6.2 rule 2): the account must exist, not be
    /// suspended and be allowed web access; TOTP accounts need `PasswordTOTP`. Password logins
    /// emit `SEVT_ACCOUNT_LOGIN` (`_FAILED` for existing users).
    pub fn authenticate_user(
        &self,
        username: &str,
        auth_type: &str,
        password: &str,
        session_key: &str,
        totp: &str,
        path: &str,
    ) -> Result<Principal, SimError> {
        let now = self.now();
        let mut st = self.lock();
        if st.faults.reject_auth {
            return Err(SimError::AuthFailed);
        }
        let Some(rec) = st.users.get(username) else {
            return Err(SimError::AuthFailed);
        };
        let org = org_of(&rec.profile);
        let suspended = rec.profile.get("IsSuspended").and_then(Value::as_bool) == Some(true);
        let no_web = map_pointer(&rec.profile, "/Policy/PreventOpenWebUI").and_then(Value::as_bool) == Some(true);
        let needs_totp =
            rec.profile.get("AllowPasswordAndTOTPLogin").and_then(Value::as_bool) == Some(true) && rec.totp_secret.is_some();
        let secret = rec.totp_secret.clone().unwrap_or_default();
        let pw_ok = rec.password == password;
        match auth_type {
            "SessionKey" => {
                Self::use_session(&mut st, session_key, username, SessionKind::User, now, self.cfg.session_idle_secs)?;
            }
            "Password" | "PasswordTOTP" => {
                if !pw_ok {
                    self.emit(sevt::ACCOUNT_LOGIN_FAILED, username, &org, path, None);
                    return Err(SimError::AuthFailed);
                }
                if needs_totp {
                    if auth_type == "Password" || totp.is_empty() {
                        return Err(SimError::TotpRequired);
                    }
                    if !Self::spend_totp(&mut st, &format!("user:{username}"), &secret, totp, now) {
                        self.emit(sevt::ACCOUNT_LOGIN_FAILED, username, &org, path, None);
                        return Err(SimError::AuthFailed);
                    }
                }
                self.emit(sevt::ACCOUNT_LOGIN, username, &org, path, None);
            }
            _ => return Err(SimError::AuthFailed),
        }
        if suspended {
            return Err(SimError::Forbidden("account is suspended".into()));
        }
        if no_web {
            return Err(SimError::Forbidden("web access is disabled by policy".into()));
        }
        Ok(Principal { username: username.into(), kind: SessionKind::User, organization_id: org })
    }

    /// `HybridSessionStart`: admin credentials first, then end-user credentials.
    pub fn authenticate_hybrid(
        &self,
        username: &str,
        auth_type: &str,
        password: &str,
        session_key: &str,
        totp: &str,
        path: &str,
    ) -> Result<Principal, SimError> {
        if self.cfg.admin(username).is_some() {
            self.authenticate_admin(username, auth_type, password, session_key, totp, path)
        } else {
            self.authenticate_user(username, auth_type, password, session_key, totp, path)
        }
    }

    /// Mints a session key for `username` of `kind` and emits the matching session event.
    pub fn start_session_of(&self, username: &str, kind: SessionKind) -> String {
        let now = self.now();
        let mut st = self.lock();
        let key = format!("sk-{}", hex_token(&mut st.rng, 16));
        st.sessions.insert(key.clone(), Session { username: username.into(), kind, last_used: now });
        let (code, org) = match kind {
            SessionKind::Admin => {
                (sevt::ACCOUNT_ADMIN_SESSION_START, self.cfg.admin(username).map(|a| a.organization_id).unwrap_or_default())
            }
            SessionKind::User => {
                (sevt::ACCOUNT_SESSION_START, st.users.get(username).map(|u| org_of(&u.profile)).unwrap_or_default())
            }
        };
        self.emit(code, username, &org, "", None);
        key
    }

    pub fn start_session(&self, username: &str) -> String {
        self.start_session_of(username, SessionKind::Admin)
    }

    pub fn revoke_session(&self, username: &str, key: &str) {
        let mut st = self.lock();
        if let Some(s) = st.sessions.remove(key) {
            let code = match s.kind {
                SessionKind::Admin => sevt::ACCOUNT_ADMIN_SESSION_REVOKE,
                SessionKind::User => sevt::ACCOUNT_SESSION_REVOKE,
            };
            self.emit(code, username, "", "", None);
        }
    }

    // ---------------------------------------------------------------- meta

    pub fn meta_version(&self) -> Value {
        let st = self.lock();
        let configured = st
            .users
            .values()
            .map(|u| {
                let devices = u.profile.get("Devices").and_then(Value::as_object);
                let sources = u.profile.get("Sources").and_then(Value::as_object);
                devices
                    .map(|d| {
                        d.keys()
                            .filter(|id| {
                                sources.is_some_and(|s| {
                                    s.values().any(|src| src.get("OwnerDevice").and_then(Value::as_str) == Some(id))
                                })
                            })
                            .count()
                    })
                    .unwrap_or(0) as i64
            })
            .sum();
        shapes::meta_version(st.server_start_time, &st.server_start_hash, self.now(), configured)
    }

    // ---------------------------------------------------------------- profiles

    /// Inserts a new account (seeding and control surface); no event, like an import.
    pub fn insert_user(&self, username: &str, password: &str, mut profile: Map<String, Value>) {
        shapes::write_struct_fields(&mut profile);
        let mut st = self.lock();
        let hash = profile_hash(username, 1, &profile);
        st.users.insert(username.into(), UserRecord { profile, password: password.into(), revision: 1, hash, totp_secret: None });
    }

    fn bump(rec: &mut UserRecord, username: &str) {
        shapes::write_struct_fields(&mut rec.profile);
        rec.revision += 1;
        rec.hash = profile_hash(username, rec.revision, &rec.profile);
    }

    /// Bump revision + `SEVT_ACCOUNT_UPDATED` with the stored profile (§6.4 step 5–6).
    pub(crate) fn commit_profile(&self, st: &mut SimState, username: &str, actor: &str) -> Option<String> {
        let rec = st.users.get_mut(username)?;
        Self::bump(rec, username);
        let org = org_of(&rec.profile);
        self.emit(sevt::ACCOUNT_UPDATED, actor, &org, username, Some(Value::Object(rec.profile.clone())));
        Some(rec.hash.clone())
    }

    pub fn usernames(&self) -> Vec<String> {
        self.lock().users.keys().cloned().collect()
    }

    pub fn all_profiles(&self) -> Map<String, Value> {
        self.lock().users.iter().map(|(k, u)| (k.clone(), Value::Object(u.profile.clone()))).collect()
    }

    pub fn profile_and_hash(&self, username: &str) -> Result<(Map<String, Value>, String), SimError> {
        let st = self.lock();
        let u = st.users.get(username).ok_or_else(|| SimError::UnknownUser(username.into()))?;
        Ok((u.profile.clone(), u.hash.clone()))
    }

    /// Test hook (§6.4): bump the revision and emit `SEVT_ACCOUNT_UPDATED`; returns the new hash.
    pub fn touch_profile(&self, username: &str) -> Result<String, SimError> {
        let mut st = self.lock();
        self.commit_profile(&mut st, username, &self.cfg.admin_username).ok_or_else(|| SimError::UnknownUser(username.into()))
    }

    /// `AdminSetUserProfile(Hash)` (§6.4). `require_hash` = `None` for the unconditional write.
    pub fn set_profile(
        &self,
        actor: &str,
        target: &str,
        profile_data: &str,
        require_hash: Option<&str>,
        admin_options: Option<&str>,
        as_user: bool,
    ) -> Result<(String, Map<String, Value>), SimError> {
        let mut st = self.lock();
        let current = st.users.get(target).ok_or_else(|| SimError::UnknownUser(target.into()))?;
        if let Some(h) = require_hash
            && h != current.hash
        {
            return Err(SimError::HashMismatch {
                status: st.faults.hash_mismatch_status,
                message: st.faults.hash_mismatch_message.clone(),
            });
        }
        let mut profile = match serde_json::from_str::<Value>(profile_data) {
            Ok(Value::Object(m)) => m,
            _ => {
                return Err(SimError::BadRequest("ProfileData is not a JSON object".into()));
            }
        };
        if profile.get("Username").and_then(Value::as_str) != Some(target) {
            return Err(SimError::BadRequest("ProfileData.Username does not match TargetUser".into()));
        }
        if let Some(opts) = admin_options {
            let opts: Value =
                serde_json::from_str(opts).map_err(|_| SimError::BadRequest("AdminOptions is not valid JSON".into()))?;
            let delete: Vec<String> = opts
                .pointer("/Policy/DeleteSources")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(String::from).collect())
                .unwrap_or_default();
            if let Some(Value::Object(sources)) = profile.get_mut("Sources") {
                sources.retain(|_, s| {
                    let pid = s.get("PolicySourceID").and_then(Value::as_str).unwrap_or("");
                    pid.is_empty() || !delete.iter().any(|d| d == pid)
                });
            }
        }
        if as_user {
            if let Some(rec) = st.users.get(target) {
                crate::policy::enforce_user_write(&rec.profile, &profile)?;
            }
        } else {
            crate::policy::apply_policy_id(&st.policies, &mut profile)?;
        }
        if let Some(rec) = st.users.get_mut(target) {
            rec.profile = profile;
        }
        let hash = self.commit_profile(&mut st, target, actor).unwrap_or_default();
        let stored = st.users.get(target).map(|u| u.profile.clone()).unwrap_or_default();
        Ok((hash, stored))
    }

    // ---------------------------------------------------------------- devices

    pub fn live_connections(&self, user_filter: Option<&str>) -> Map<String, Value> {
        let st = self.lock();
        st.devices
            .iter()
            .filter(|(_, d)| user_filter.is_none_or(|u| u == d.username))
            .filter_map(|((_, id), d)| {
                let live = d.live_id.as_ref()?;
                let conn = shapes::live_user_connection(
                    &d.username,
                    id,
                    &d.version,
                    &d.os,
                    &d.timezone,
                    d.connected_at,
                    d.allows_filenames,
                );
                Some((live.clone(), conn))
            })
            .collect()
    }

    /// Seeds a device record (no events); the profile must already contain `Devices[id]`.
    pub fn insert_device(&self, device_id: &str, dev: DeviceSim) {
        let key = (dev.username.clone(), device_id.to_string());
        self.lock().devices.insert(key, dev);
    }

    /// Live connect/disconnect (§6.6) of the only registration of `device_id` (see
    /// [`SimState::device_key`]). A connect always gets a new live ID.
    pub fn set_online(&self, device_id: &str, online: bool) -> Result<(), SimError> {
        self.set_online_of(None, device_id, online)
    }

    /// Live connect/disconnect of `device_id` as registered in `username` (or its only
    /// registration when `username` is `None`).
    pub fn set_online_of(&self, username: Option<&str>, device_id: &str, online: bool) -> Result<(), SimError> {
        let mut st = self.lock();
        let key = st.device_key(username, device_id)?;
        if online && let Some(d) = st.devices.get_mut(&key) {
            d.reconnect_at = None;
        }
        self.set_online_locked(&mut st, &key, online);
        Ok(())
    }

    /// `set_online` with the lock held; unknown devices are ignored.
    pub(crate) fn set_online_locked(&self, st: &mut SimState, key: &DeviceKey, online: bool) {
        let now = self.now();
        let device_id = key.1.as_str();
        let Some(dev) = st.devices.get_mut(key) else {
            return;
        };
        let org = st.users.get(&dev.username).map(|u| org_of(&u.profile)).unwrap_or_default();
        match (online, dev.live_id.is_some()) {
            (true, false) => {
                dev.live_id = Some(new_guid(&mut st.rng));
                dev.connected_at = now;
                let conn = shapes::live_user_connection(
                    &dev.username,
                    device_id,
                    &dev.version,
                    &dev.os,
                    &dev.timezone,
                    now,
                    dev.allows_filenames,
                );
                self.emit(sevt::DEVICE_LIVE_CONNECT, &dev.username, &org, device_id, Some(conn));
            }
            (false, true) => {
                dev.live_id = None;
                self.emit(sevt::DEVICE_LIVE_DISCONNECT, &dev.username, &org, device_id, None);
            }
            _ => {}
        }
    }

    /// Devices whose reconnect delay has passed come back with a new live ID (engine tick).
    fn reconnect_due_locked(&self, st: &mut SimState) {
        let due: Vec<DeviceKey> = st
            .devices
            .iter()
            .filter(|(_, d)| d.reconnect_at.is_some_and(|t| Instant::now() >= t))
            .map(|(key, _)| key.clone())
            .collect();
        for key in due {
            if let Some(d) = st.devices.get_mut(&key) {
                d.reconnect_at = None;
            }
            self.set_online_locked(st, &key, true);
        }
    }

    /// Device registration (§6.6): profile write + `SEVT_DEVICE_NEW` + `SEVT_ACCOUNT_UPDATED`,
    /// then the device connects. A machine already registered in another account (a second
    /// account logged in on the same computer) keeps its device ID: IDs are unique per account,
    /// not per server.
    pub fn register_device(&self, username: &str, device_id: &str, friendly_name: &str, os: OsInfo) -> Result<(), SimError> {
        let now = self.now();
        let key = (username.to_string(), device_id.to_string());
        {
            let mut st = self.lock();
            if st.devices.contains_key(&key) {
                return Err(SimError::BadRequest(format!("device {device_id} is already registered in {username}")));
            }
            let rec = st.users.get_mut(username).ok_or_else(|| SimError::UnknownUser(username.into()))?;
            let max = rec.profile.get("MaximumDevices").and_then(Value::as_i64).unwrap_or(0);
            let devices = rec.profile.entry("Devices").or_insert_with(|| json!({}));
            let count = devices.as_object().map(|d| d.len()).unwrap_or(0) as i64;
            if max > 0 && count >= max {
                return Err(SimError::BadRequest("device limit reached (MaximumDevices)".into()));
            }
            let cfg = shapes::device_config(friendly_name, now, &os, "America/Toronto", "25.9.6", Map::new());
            if let Some(d) = devices.as_object_mut() {
                d.insert(device_id.into(), cfg.clone());
            }
            let org = org_of(&rec.profile);
            st.devices.insert(
                key.clone(),
                DeviceSim {
                    username: username.into(),
                    live_id: None,
                    connected_at: 0,
                    version: "25.9.6".into(),
                    os,
                    timezone: "America/Toronto".into(),
                    allows_filenames: true,
                    reconnect_at: None,
                },
            );
            Self::bump_only(&mut st, username);
            self.emit(sevt::DEVICE_NEW, username, &org, device_id, Some(cfg));
            if let Some(rec) = st.users.get(username) {
                self.emit(sevt::ACCOUNT_UPDATED, username, &org, username, Some(Value::Object(rec.profile.clone())));
            }
        }
        self.set_online_of(Some(username), device_id, true)
    }

    fn bump_only(st: &mut SimState, username: &str) {
        if let Some(rec) = st.users.get_mut(username) {
            Self::bump(rec, username);
        }
    }

    /// `AdminRevokeDevice` (§6.6).
    pub fn revoke_device(&self, actor: &str, username: &str, device_id: &str) -> Result<(), SimError> {
        self.lock()
            .users
            .get(username)
            .ok_or_else(|| SimError::UnknownUser(username.into()))?
            .profile
            .get("Devices")
            .and_then(|d| d.get(device_id))
            .ok_or_else(|| SimError::UnknownDevice(device_id.into()))?;
        let key = (username.to_string(), device_id.to_string());
        if self.lock().devices.get(&key).is_some_and(|d| d.live_id.is_some()) {
            self.set_online_of(Some(username), device_id, false)?;
        }
        let mut st = self.lock();
        st.devices.remove(&key);
        let Some(rec) = st.users.get_mut(username) else {
            return Err(SimError::UnknownUser(username.into()));
        };
        let org = org_of(&rec.profile);
        if let Some(Value::Object(d)) = rec.profile.get_mut("Devices") {
            d.remove(device_id);
        }
        let mut removed_sources = Vec::new();
        if let Some(Value::Object(s)) = rec.profile.get_mut("Sources") {
            s.retain(|id, src| {
                let keep = src.get("OwnerDevice").and_then(Value::as_str) != Some(device_id);
                if !keep {
                    removed_sources.push(id.clone());
                }
                keep
            });
        }
        if let Some(Value::Object(rules)) = rec.profile.get_mut("BackupRules") {
            rules.retain(|_, r| {
                let src = r.get("Source").and_then(Value::as_str).unwrap_or("");
                !removed_sources.iter().any(|s| s == src)
            });
        }
        if let Some(Value::Object(dests)) = rec.profile.get_mut("Destinations") {
            for d in dests.values_mut() {
                if let Some(Value::Array(a)) = d.get_mut("AssociatedDevices") {
                    a.retain(|v| v.as_str() != Some(device_id));
                }
            }
        }
        self.emit(sevt::DEVICE_REMOVED, actor, &org, device_id, None);
        self.commit_profile(&mut st, username, actor);
        Ok(())
    }

    // ---------------------------------------------------------------- jobs

    pub fn job(&self, guid: &str) -> Option<BackupJobDetail> {
        self.lock().jobs.get(guid).map(|j| j.detail.clone())
    }

    pub fn jobs_where(&self, f: impl Fn(&BackupJobDetail) -> bool) -> Vec<BackupJobDetail> {
        self.lock().jobs.values().map(|j| &j.detail).filter(|d| f(d)).cloned().collect()
    }

    pub fn job_log(&self, guid: &str) -> Option<Vec<(i64, &'static str, String)>> {
        self.lock().jobs.get(guid).map(|j| j.log.clone())
    }

    /// The device that owns a live connection ID.
    pub fn device_for_live_id(&self, live_id: &str) -> Option<(String, String)> {
        self.lock()
            .devices
            .iter()
            .find(|(_, d)| d.live_id.as_deref() == Some(live_id))
            .map(|((_, id), d)| (id.clone(), d.username.clone()))
    }

    /// Starts a backup job (§6.5 step 1) and emits `SEVT_JOB_NEW`; an outcome of 7004 (missed)
    /// creates a job that is terminal at once and only emits `SEVT_JOB_COMPLETED`.
    pub fn start_job(&self, req: &StartJob) -> Result<String, SimError> {
        let now = self.now();
        let mut st = self.lock();
        let st = &mut *st;
        let rec = st.users.get(&req.username).ok_or_else(|| SimError::UnknownUser(req.username.clone()))?;
        let profile = &rec.profile;
        let sources = profile.get("Sources").and_then(Value::as_object).cloned().unwrap_or_default();
        let device_id = match &req.device_id {
            Some(d) => d.clone(),
            None => match &req.source_id {
                Some(s) => sources
                    .get(s)
                    .and_then(|src| src.get("OwnerDevice"))
                    .and_then(Value::as_str)
                    .map(String::from)
                    .ok_or_else(|| SimError::BadRequest(format!("no such Protected Item: {s}")))?,
                None => sources
                    .values()
                    .filter_map(|s| s.get("OwnerDevice").and_then(Value::as_str))
                    .find(|d| st.devices.get(&(req.username.clone(), d.to_string())).is_some_and(|x| x.live_id.is_some()))
                    .or_else(|| sources.values().filter_map(|s| s.get("OwnerDevice").and_then(Value::as_str)).next())
                    .map(String::from)
                    .ok_or_else(|| SimError::BadRequest(format!("user {} has no Protected Items", req.username)))?,
            },
        };
        if profile.get("Devices").and_then(|d| d.get(&device_id)).is_none() {
            return Err(SimError::UnknownDevice(device_id));
        }
        let moves_data = matches!(req.classification, shapes::CLASSIFICATION_BACKUP | shapes::CLASSIFICATION_RESTORE);
        let device_job = matches!(req.classification, shapes::CLASSIFICATION_UPDATE | shapes::CLASSIFICATION_UNINSTALL);
        let source_id = match &req.source_id {
            Some(s) if sources.contains_key(s) => s.clone(),
            Some(s) => return Err(SimError::BadRequest(format!("no such Protected Item: {s}"))),
            None if !moves_data => String::new(),
            None => sources
                .iter()
                .find(|(_, s)| s.get("OwnerDevice").and_then(Value::as_str) == Some(device_id.as_str()))
                .map(|(id, _)| id.clone())
                .ok_or_else(|| SimError::BadRequest(format!("device {device_id} has no Protected Items")))?,
        };
        let dests = profile.get("Destinations").and_then(Value::as_object).cloned().unwrap_or_default();
        let destination_id = match &req.destination_id {
            Some(d) if dests.contains_key(d) => d.clone(),
            Some(d) => return Err(SimError::BadRequest(format!("no such Storage Vault: {d}"))),
            None if device_job => String::new(),
            None => dests
                .iter()
                .find(|(_, d)| {
                    d.get("AssociatedDevices")
                        .and_then(Value::as_array)
                        .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(device_id.as_str())))
                })
                .or_else(|| dests.iter().next())
                .map(|(id, _)| id.clone())
                .ok_or_else(|| SimError::BadRequest(format!("user {} has no Storage Vaults", req.username)))?,
        };
        let org = org_of(profile);
        let skipped = req.skip_already_running
            && st.jobs.values().any(|j| status::is_running(j.detail.status) && j.detail.source_guid == source_id);
        let size = profile
            .get("Devices")
            .and_then(|d| d.pointer(&format!("/{device_id}/Sources/{source_id}/Size")))
            .and_then(Value::as_i64)
            .filter(|s| *s > 0)
            .unwrap_or_else(|| st.rng.random_range(2_000_000_000..40_000_000_000i64));
        let vault_size = dests
            .get(&destination_id)
            .and_then(|d| d.pointer("/Statistics/ClientProvidedSize/Size"))
            .and_then(Value::as_i64)
            .unwrap_or(0);
        let client_version = st
            .devices
            .get(&(req.username.clone(), device_id.clone()))
            .map(|d| d.version.clone())
            .unwrap_or_else(|| "25.9.6".into());
        let files = (size / 1_500_000).max(1);
        let guid = new_guid(&mut st.rng);
        let upload_pct = st.rng.random_range(0.002..0.04);
        let missed = req.outcome == status::FAILED_SCHEDULEMISSED || skipped;
        let is_backup = req.classification == shapes::CLASSIFICATION_BACKUP;
        // Only backups and restores move data; maintenance jobs report a tree walk.
        let size = if is_backup || req.classification == shapes::CLASSIFICATION_RESTORE { size } else { 0 };
        let files = if size == 0 { 0 } else { files };
        let detail = BackupJobDetail {
            guid: guid.clone(),
            username: req.username.clone(),
            classification: req.classification,
            status: if skipped {
                status::FAILED_SKIPALREADYRUNNING
            } else if missed {
                status::FAILED_SCHEDULEMISSED
            } else {
                status::RUNNING_ACTIVE
            },
            backup_rule_guid: req.backup_rule.clone().unwrap_or_default(),
            start_time: now,
            end_time: if missed { now } else { 0 },
            source_guid: source_id,
            destination_guid: destination_id,
            device_id,
            client_version,
            total_size: if missed { 0 } else { size },
            total_files: if missed { 0 } else { files },
            total_directories: if missed { 0 } else { (files / 40).max(1) },
            cancellation_id: if missed { String::new() } else { new_guid(&mut st.rng) },
            progress: (!missed).then_some(BackupJobProgress {
                counter: 0,
                sent_time: now,
                recieved_time: now,
                bytes_done: 0,
                items_done: 0,
                items_total: files,
            }),
            destination_size_start: (!missed).then_some(SizeMeasurement {
                size: vault_size,
                measure_started: now,
                measure_completed: now,
            }),
            ..Default::default()
        };
        let started = self.now_f64();
        let plan = JobPlan {
            outcome: req.outcome,
            duration_secs: if req.duration_secs.is_finite() { req.duration_secs.max(0.0) } else { 0.0 },
            started,
            stall: req.stall,
            upload_size: if is_backup { (size as f64 * upload_pct) as i64 } else { 0 },
            retry_failures: req.retry_failures,
            retry_at: None,
            resume_at: req.resume_after_secs.map(|s| started + s.max(0.0)),
            delete_snapshots: req.delete_snapshots.clone(),
            cancel_at: None,
            flat_bytes: req.flat_bytes,
            on_cancel: req.on_cancel,
        };
        let log =
            vec![(now, "I", format!("Starting {} ({})", shapes::classification_label(req.classification), detail.source_guid))];
        st.jobs_started += 1;
        let username = req.username.clone();
        st.jobs.insert(guid.clone(), JobRecord { detail: detail.clone(), plan, log });
        if skipped {
            // §6.5: a skipped run is created terminal; NEW and COMPLETED in the same second.
            self.emit_job(st, sevt::JOB_NEW, &username, &org, &guid, detail.to_value());
            self.finish_locked(st, &guid, status::FAILED_SKIPALREADYRUNNING);
        } else if missed {
            // Server-generated missed job: terminal from the start, only SEVT_JOB_COMPLETED.
            self.finish_locked(st, &guid, status::FAILED_SCHEDULEMISSED);
        } else {
            self.emit_job(st, sevt::JOB_NEW, &username, &org, &guid, detail.to_value());
        }
        Ok(guid)
    }

    /// One engine tick (§6.5 step 2): running, non-stalled jobs on live devices advance; jobs
    /// past their duration finish.
    pub fn tick(&self) {
        let now_f = self.now_f64();
        let now = now_f.floor() as i64;
        let mut st = self.lock();
        let st = &mut *st;
        self.reconnect_due_locked(st);
        let mut finished = Vec::new();
        let mut revived = Vec::new();
        let mut cancelled = Vec::new();
        for (guid, job) in st.jobs.iter_mut() {
            if job.plan.stall && job.plan.resume_at.is_some_and(|t| now_f >= t) {
                job.plan.stall = false;
                job.plan.resume_at = None;
                if job.detail.status == status::FAILED_ABANDONED {
                    revived.push(guid.clone());
                }
            }
            if job.detail.status == status::RUNNING_TRYAGAIN {
                if job.plan.retry_at.is_some_and(|t| now_f >= t) {
                    job.plan.retry_at = None;
                    job.plan.started = now_f;
                    job.detail.status = status::RUNNING_ACTIVE;
                    if let Some(p) = job.detail.progress.as_mut() {
                        p.bytes_done = 0;
                        p.items_done = 0;
                    }
                    job.log.push((now, "I", "Retrying the backup".into()));
                }
                continue;
            }
            if !status::is_running(job.detail.status) {
                continue;
            }
            let live = st.devices.get(&job_device(&job.detail)).is_some_and(|d| d.live_id.is_some());
            if !live {
                continue; // an offline device reports nothing: the job looks stalled
            }
            // Before the stall check: a device whose upload hangs may still confirm a cancel.
            if job.plan.cancel_at.is_some_and(|t| now_f >= t) {
                cancelled.push(guid.clone());
                continue;
            }
            if job.plan.stall {
                continue;
            }
            let frac = if job.plan.duration_secs <= 0.0 {
                1.0
            } else {
                ((now_f - job.plan.started) / job.plan.duration_secs).clamp(0.0, 1.0)
            };
            let total = job.detail.total_size;
            let files = job.detail.total_files;
            let flat = job.plan.flat_bytes;
            if let Some(p) = job.detail.progress.as_mut() {
                p.counter += 1;
                p.sent_time = now;
                p.recieved_time = now;
                if !flat {
                    p.bytes_done = p.bytes_done.max((total as f64 * frac) as i64);
                }
                p.items_done = p.items_done.max((files as f64 * frac) as i64);
            }
            if frac >= 1.0 {
                finished.push((guid.clone(), job.plan.outcome));
            }
        }
        for guid in revived {
            Self::revive_locked(st, &guid, now_f);
        }
        for guid in cancelled {
            self.end_cancelled_locked(st, &guid);
        }
        for (guid, outcome) in finished {
            if let Some(job) = st.jobs.get_mut(&guid)
                && job.plan.retry_failures > 0
            {
                // §6.5 retry: the failed attempt waits in 6003; no event until the final outcome.
                job.plan.retry_failures -= 1;
                job.detail.status = status::RUNNING_TRYAGAIN;
                job.detail.retry_count += 1;
                job.plan.retry_at = Some(now_f + RETRY_WAIT_SECS);
                job.log.push((now, "E", "Backup attempt failed; waiting to retry".into()));
                continue;
            }
            self.finish_locked(st, &guid, outcome);
        }
    }

    /// §6.5 revive: an abandoned job whose device reports again becomes 6002, `EndTime` 0, and
    /// runs to a normal completion. No event for the revival itself.
    fn revive_locked(st: &mut SimState, guid: &str, now: f64) {
        if let Some(job) = st.jobs.get_mut(guid)
            && job.detail.status == status::FAILED_ABANDONED
        {
            job.detail.status = status::RUNNING_REVIVED;
            job.detail.end_time = 0;
            job.plan.stall = false;
            job.plan.started = now;
            job.log.push((now.floor() as i64, "W", "The device reported progress again; job revived".into()));
        }
    }

    /// Control surface: a stalled (or abandoned-while-stalled) job resumes reporting now.
    pub fn resume_job(&self, guid: &str) -> Result<(), SimError> {
        let now = self.now_f64();
        let mut st = self.lock();
        let job = st.jobs.get_mut(guid).ok_or_else(|| SimError::UnknownJob(guid.into()))?;
        let s = job.detail.status;
        if !(status::is_running(s) || s == status::FAILED_ABANDONED) {
            return Err(SimError::BadRequest("job is neither running nor abandoned".into()));
        }
        job.plan.stall = false;
        job.plan.resume_at = None;
        job.plan.started = now;
        Self::revive_locked(&mut st, guid, now);
        Ok(())
    }

    /// Emits a job event through the `job_event_order` fault (§6.5 ordering faults).
    fn emit_job(&self, st: &mut SimState, code: i64, actor: &str, org: &str, guid: &str, data: Value) {
        match (st.faults.job_event_order.as_str(), code) {
            ("drop_new", sevt::JOB_NEW) => {}
            ("completed_before_new", sevt::JOB_NEW) => {
                let ev = shapes::streamable_event(code, actor, org, guid, self.now(), Some(data));
                st.held_new.insert(guid.to_string(), ev);
            }
            ("duplicate", _) => {
                self.emit(code, actor, org, guid, Some(data.clone()));
                self.emit(code, actor, org, guid, Some(data));
            }
            _ => self.emit(code, actor, org, guid, Some(data)),
        }
        if code == sevt::JOB_COMPLETED
            && let Some(held) = st.held_new.remove(guid)
        {
            let _ = self.bus.send(BusMsg::Event(Arc::new(held)));
        }
    }

    /// §6.5 step 3: terminal state, side effects of the job's classification (snapshot added or
    /// removed, deep-verify statistics, software update/uninstall), statistics +
    /// `SEVT_ACCOUNT_UPDATED` (knob), then `SEVT_JOB_COMPLETED`.
    fn finish_locked(&self, st: &mut SimState, guid: &str, outcome: u64) {
        let now = self.now();
        let snapshot = new_guid(&mut st.rng);
        let Some(job) = st.jobs.get_mut(guid) else {
            return;
        };
        let d = &mut job.detail;
        let class = d.classification;
        let server_made = matches!(d.status, status::FAILED_SCHEDULEMISSED | status::FAILED_SKIPALREADYRUNNING);
        let ok = !server_made && matches!(outcome, status::SUCCESS | status::FAILED_WARNING);
        if !server_made {
            d.status = outcome;
            d.end_time = now;
            d.cancellation_id.clear();
            let frac = if outcome == status::FAILED_ERROR { 0.6 } else { 1.0 };
            if class == shapes::CLASSIFICATION_BACKUP {
                d.upload_size = (job.plan.upload_size as f64 * frac) as i64;
                d.total_chunks = (d.upload_size / 4_000_000).max(1);
                if ok {
                    d.snapshot_id = snapshot.clone();
                }
            } else if class == shapes::CLASSIFICATION_RESTORE {
                d.download_size = (d.total_size as f64 * frac) as i64;
            }
            if let Some(p) = d.progress.as_mut() {
                p.counter += 1;
                p.sent_time = now;
                p.recieved_time = now;
                p.bytes_done = (d.total_size as f64 * frac) as i64;
                p.items_done = (d.total_files as f64 * frac) as i64;
            }
            let start = d.destination_size_start.clone().unwrap_or_default();
            d.destination_size_end =
                Some(SizeMeasurement { size: start.size + d.upload_size, measure_started: now, measure_completed: now });
            let label = shapes::classification_label(class);
            let msg = match outcome {
                status::SUCCESS => format!("{label} completed successfully"),
                status::FAILED_WARNING => {
                    format!("{label} completed with warnings: some files could not be read")
                }
                status::FAILED_QUOTA => format!("{label} failed: quota exceeded"),
                status::FAILED_CANCELLED => format!("{label} was cancelled"),
                _ => format!("{label} failed: the remote server returned an error"),
            };
            let sev = match outcome {
                status::SUCCESS => "I",
                status::FAILED_WARNING => "W",
                _ => "E",
            };
            if outcome == status::FAILED_WARNING {
                job.log.push((now, "W", "Couldn't open file 'Outlook.pst': the file is locked by another process".into()));
            }
            job.log.push((now, sev, msg));
        } else if d.status == status::FAILED_SKIPALREADYRUNNING {
            job.log.push((now, "W", "Skipped: another job for this Protected Item is already running".into()));
        } else {
            job.log.push((now, "E", "Scheduled backup did not start on time".into()));
        }
        let detail = job.detail.clone();
        let delete = std::mem::take(&mut job.plan.delete_snapshots);
        let username = detail.username.clone();
        let org = st.users.get(&username).map(|u| org_of(&u.profile)).unwrap_or_default();
        let mut profile_changed = false;
        if ok {
            profile_changed = self.apply_job_effects(st, &detail, &snapshot, &delete);
        }
        if class == shapes::CLASSIFICATION_BACKUP && !server_made && st.faults.profile_update_on_complete {
            if let Some(rec) = st.users.get_mut(&username) {
                record_statistics(&mut rec.profile, &detail);
            }
            profile_changed = true;
        }
        if profile_changed {
            self.commit_profile(st, &username, &username);
        }
        self.emit_job(st, sevt::JOB_COMPLETED, &username, &org, guid, detail.to_value());
    }

    /// What a successful job of each classification changes; true when the profile changed.
    fn apply_job_effects(&self, st: &mut SimState, job: &BackupJobDetail, snapshot: &str, delete: &[String]) -> bool {
        let now = self.now();
        match job.classification {
            shapes::CLASSIFICATION_BACKUP => {
                let engine = st
                    .users
                    .get(&job.username)
                    .and_then(|u| map_pointer(&u.profile, &format!("/Sources/{}/Engine", job.source_guid)))
                    .and_then(Value::as_str)
                    .unwrap_or("engine1/file")
                    .to_string();
                st.snapshots.entry(job.destination_guid.clone()).or_default().push(SnapshotRec {
                    id: snapshot.to_string(),
                    source: job.source_guid.clone(),
                    engine,
                    create_time: job.start_time,
                    size: job.total_size,
                    tags: Vec::new(),
                });
                false
            }
            shapes::CLASSIFICATION_DELETE_CUSTOM => {
                if let Some(list) = st.snapshots.get_mut(&job.destination_guid) {
                    list.retain(|s| !delete.contains(&s.id));
                }
                false
            }
            shapes::CLASSIFICATION_DEEPVERIFY => {
                let Some(stats) = st.users.get_mut(&job.username).and_then(|u| {
                    map_pointer_mut(&mut u.profile, &format!("/Destinations/{}/Statistics", job.destination_guid))
                        .and_then(Value::as_object_mut)
                }) else {
                    return false;
                };
                stats.insert("LastSuccessfulDeepVerify_GUID".into(), json!(job.guid));
                stats.insert("LastSuccessfulDeepVerify_StartTime".into(), json!(job.start_time));
                stats.insert("LastSuccessfulDeepVerify_EndTime".into(), json!(now));
                true
            }
            shapes::CLASSIFICATION_UPDATE => {
                // The client restarts on the new build: disconnect now, reconnect with a new
                // live ID and the new ReportedVersion after the reconnect delay.
                let delay = st.faults.reconnect_delay_ms;
                let key = (job.username.clone(), job.device_id.clone());
                if let Some(dev) = st.devices.get_mut(&key) {
                    dev.version = shapes::SERVER_VERSION.into();
                    dev.reconnect_at = Some(Instant::now() + Duration::from_millis(delay));
                }
                self.set_online_locked(st, &key, false);
                if let Some(v) = st
                    .users
                    .get_mut(&job.username)
                    .and_then(|u| map_pointer_mut(&mut u.profile, &format!("/Devices/{}/ClientVersion", job.device_id)))
                {
                    *v = json!(shapes::SERVER_VERSION);
                    return true;
                }
                false
            }
            shapes::CLASSIFICATION_UNINSTALL => {
                self.set_online_locked(st, &(job.username.clone(), job.device_id.clone()), false);
                false
            }
            _ => false,
        }
    }

    /// Finish a running job now with `outcome` (control surface / tests).
    pub fn finish_job(&self, guid: &str, outcome: u64) -> Result<(), SimError> {
        let mut st = self.lock();
        let running = st.jobs.get(guid).map(|j| status::is_running(j.detail.status));
        match running {
            None => Err(SimError::UnknownJob(guid.into())),
            Some(false) => Err(SimError::BadRequest("job is not running".into())),
            Some(true) => {
                self.finish_locked(&mut st, guid, outcome);
                Ok(())
            }
        }
    }

    /// `AdminJobCancel` (§6.5): a request forwarded to the live, responsive device; the call
    /// answers at once and the job keeps running until the device ends it as 7005
    /// `cancel_delay_secs` later (by default with no `SEVT_JOB_COMPLETED`: the final state is
    /// found by polling). A cancel of a job already being cancelled is accepted again.
    pub fn cancel_job(&self, target_user: &str, guid: &str) -> Result<(), SimError> {
        let now = self.now_f64();
        let mut st = self.lock();
        let st = &mut *st;
        let delay = st.faults.cancel_delay_secs;
        let job = running_job_of(&mut st.jobs, target_user, guid)?;
        if job.detail.cancellation_id.is_empty() {
            return Err(SimError::BadRequest("job cannot be cancelled".into()));
        }
        if st.devices.get(&job_device(&job.detail)).is_none_or(|d| d.live_id.is_none()) {
            return Err(SimError::DeviceUnavailable("device is not connected".into()));
        }
        let reply = job.plan.on_cancel.unwrap_or(CancelReply::default_for(job.plan.stall));
        if reply == CancelReply::Unreachable {
            return Err(SimError::DeviceUnavailable("timed out waiting for the device to confirm the cancellation".into()));
        }
        if reply == CancelReply::Ignore {
            job.log.push((now.floor() as i64, "W", "Cancellation requested by administrator".into()));
            return Ok(());
        }
        if job.plan.cancel_at.is_none() {
            job.plan.cancel_at = Some(now + delay.max(0.0));
            job.log.push((now.floor() as i64, "W", "Cancellation requested by administrator".into()));
        }
        if delay <= 0.0 {
            self.end_cancelled_locked(st, guid);
        }
        Ok(())
    }

    /// Control surface: a Comet administrator cancelled the job in the web UI, and real Comet
    /// announces nothing: 7005 at once, never a `SEVT_JOB_COMPLETED` (whatever the faults say).
    pub fn cancel_silently(&self, guid: &str) -> Result<(), SimError> {
        let now = self.now();
        let mut st = self.lock();
        let job = st.jobs.get_mut(guid).ok_or_else(|| SimError::UnknownJob(guid.into()))?;
        if !status::is_running(job.detail.status) {
            return Err(SimError::BadRequest("job is not running".into()));
        }
        job.plan.cancel_at = None;
        job.detail.status = status::FAILED_CANCELLED;
        job.detail.end_time = now;
        job.detail.cancellation_id.clear();
        job.log.push((now, "W", "Job cancelled by administrator".into()));
        Ok(())
    }

    /// The device confirms a requested cancel: 7005, no cancellation ID any more.
    fn end_cancelled_locked(&self, st: &mut SimState, guid: &str) {
        let now = self.now();
        let Some(job) = st.jobs.get_mut(guid) else { return };
        if !status::is_running(job.detail.status) {
            return;
        }
        job.plan.cancel_at = None;
        job.detail.status = status::FAILED_CANCELLED;
        job.detail.end_time = now;
        job.detail.cancellation_id.clear();
        job.log.push((now, "W", "Job cancelled by administrator".into()));
        let detail = job.detail.clone();
        if st.faults.emit_completed_on_cancel {
            let user = detail.username.clone();
            let org = st.users.get(&user).map(|u| org_of(&u.profile)).unwrap_or_default();
            self.emit_job(st, sevt::JOB_COMPLETED, &user, &org, guid, detail.to_value());
        }
    }

    /// `AdminJobAbandon` (§6.5): 7007 without contacting the device; by default no event.
    pub fn abandon_job(&self, target_user: &str, guid: &str) -> Result<(), SimError> {
        let now = self.now();
        let mut st = self.lock();
        let st = &mut *st;
        let job = running_job_of(&mut st.jobs, target_user, guid)?;
        job.detail.status = status::FAILED_ABANDONED;
        job.detail.end_time = now;
        job.log.push((now, "E", "Job marked as abandoned by administrator".into()));
        let detail = job.detail.clone();
        if st.faults.emit_completed_on_abandon {
            let org = st.users.get(target_user).map(|u| org_of(&u.profile)).unwrap_or_default();
            self.emit_job(st, sevt::JOB_COMPLETED, target_user, &org, guid, detail.to_value());
        }
        Ok(())
    }
}

/// The registration a job runs on.
fn job_device(job: &BackupJobDetail) -> DeviceKey {
    (job.username.clone(), job.device_id.clone())
}

impl SimState {
    /// The registration of `device_id` in `username`, or, without a username, its only
    /// registration (an ID registered in several accounts needs the account named).
    pub fn device_key(&self, username: Option<&str>, device_id: &str) -> Result<DeviceKey, SimError> {
        if let Some(user) = username {
            let key = (user.to_string(), device_id.to_string());
            return if self.devices.contains_key(&key) { Ok(key) } else { Err(SimError::UnknownDevice(device_id.into())) };
        }
        let mut found = self.devices.keys().filter(|(_, id)| id == device_id);
        match (found.next(), found.next()) {
            (Some(key), None) => Ok(key.clone()),
            (None, _) => Err(SimError::UnknownDevice(device_id.into())),
            (Some(_), Some(_)) => Err(SimError::BadRequest(format!(
                "device {device_id} is registered in several accounts: name the account (?username=)"
            ))),
        }
    }
}

/// The job `guid` of `target_user`, if it is still running: what cancel and abandon both require.
fn running_job_of<'a>(
    jobs: &'a mut BTreeMap<String, JobRecord>,
    target_user: &str,
    guid: &str,
) -> Result<&'a mut JobRecord, SimError> {
    let job = jobs.get_mut(guid).ok_or_else(|| SimError::UnknownJob(guid.into()))?;
    if job.detail.username != target_user {
        return Err(SimError::BadRequest("job does not belong to TargetUser".into()));
    }
    if !status::is_running(job.detail.status) {
        return Err(SimError::BadRequest("job is not running".into()));
    }
    Ok(job)
}

/// Writes the finished job into `Sources[src].Statistics`, the device's `SourceBasicInfo.Size`
/// and `Destinations[dst].Statistics.ClientProvidedSize`.
fn record_statistics(profile: &mut Map<String, Value>, job: &BackupJobDetail) {
    let success = matches!(job.status, status::SUCCESS);
    if let Some(src) = profile.get_mut("Sources").and_then(|s| s.get_mut(&job.source_guid)).and_then(Value::as_object_mut) {
        let prev_success = src
            .get("Statistics")
            .and_then(|s| s.get("LastSuccessfulBackupJob"))
            .cloned()
            .unwrap_or_else(|| BackupJobDetail::default().to_value());
        let mut stats = shapes::source_statistics(job.start_time, job, &BackupJobDetail::default());
        stats["LastSuccessfulBackupJob"] = if success { job.to_value() } else { prev_success };
        src.insert("Statistics".into(), stats);
    }
    if job.total_size > 0
        && let Some(size) = profile
            .get_mut("Devices")
            .and_then(|d| d.pointer_mut(&format!("/{}/Sources/{}/Size", job.device_id, job.source_guid)))
    {
        *size = json!(job.total_size);
    }
    if let Some(end) = &job.destination_size_end
        && let Some(dst) =
            profile.get_mut("Destinations").and_then(|d| d.get_mut(&job.destination_guid)).and_then(Value::as_object_mut)
    {
        dst.insert("Statistics".into(), shapes::destination_statistics(end.size, end.measure_completed));
    }
}
