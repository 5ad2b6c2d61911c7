//! `SimConfig`: what a simulator instance serves, seeded from the CLI or built by tests.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::clock::{Clock, SystemClock};

/// One Comet end-user account to seed.
#[derive(Clone, Debug, PartialEq)]
pub struct SeedUser {
    pub username: String,
    pub password: String,
    pub devices: usize,
}

/// An admin account (§6.1). The main admin comes from `SimConfig.admin_*`; tenant admins see
/// only their organization's accounts and events.
#[derive(Clone, Debug, PartialEq)]
pub struct AdminAccount {
    pub username: String,
    pub password: String,
    /// TOTP secret (base32): password logins also need its current code, each code once.
    pub totp_secret: Option<String>,
    /// Empty = top-level admin.
    pub organization_id: String,
}

#[derive(Clone, Debug)]
pub struct SimConfig {
    /// `None` = 127.0.0.1 on a free port.
    pub listen: Option<SocketAddr>,
    pub admin_username: String,
    pub admin_password: String,
    /// When set (base32), password logins of the admin also need a current code of this TOTP
    /// secret (else `ERR_TOTP_REQUIRED`); each code is accepted once.
    pub admin_totp_secret: Option<String>,
    pub users: Vec<SeedUser>,
    pub items_per_device: usize,
    /// Mean seconds between automatic job starts; `None` disables the scheduler.
    pub job_every_secs: Option<f64>,
    /// Mean automatic job duration in simulated seconds.
    pub job_duration_secs: f64,
    /// Mean seconds between automatic device offline/online flips; `None` disables them.
    pub device_flap_every_secs: Option<f64>,
    /// Every Nth scheduled job stalls forever (0 = never).
    pub stall_every: u32,
    /// Seeds the accounts, devices, items and vaults built at start (same seed, same fleet).
    pub rng_seed: u64,
    /// Seeds the IDs handed out while running (jobs, sessions, live connections, snapshots).
    /// `None` (the default): fresh per process, so two servers never share a job ID.
    pub ids_seed: Option<u64>,
    /// Simulated seconds per wall-clock second (2.0 = jobs run twice as fast).
    pub time_scale: f64,
    /// Wall-clock milliseconds between progress ticks.
    pub tick_ms: u64,
    /// Session idle timeout (seconds).
    pub session_idle_secs: i64,
    /// Put a key no SDK knows into every seeded profile, so clients prove they round-trip it.
    pub inject_unknown_keys: bool,
    /// Extra admins bound to one organization (tenant admins).
    pub tenant_admins: Vec<AdminAccount>,
    /// Username → `OrganizationID` for seeded accounts (absent = top-level, key omitted).
    pub user_organizations: std::collections::BTreeMap<String, String>,
    /// Outcome mix of scheduled jobs in percent: (warning, error, missed); the rest succeed.
    pub outcome_mix: (u32, u32, u32),
    pub clock: Arc<dyn Clock>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            listen: None,
            admin_username: "admin".into(),
            admin_password: "admin-password".into(),
            admin_totp_secret: None,
            users: Vec::new(),
            items_per_device: 2,
            job_every_secs: None,
            job_duration_secs: 40.0,
            device_flap_every_secs: None,
            stall_every: 0,
            rng_seed: 1,
            ids_seed: None,
            time_scale: 1.0,
            tick_ms: 1000,
            session_idle_secs: 1800,
            inject_unknown_keys: true,
            tenant_admins: Vec::new(),
            user_organizations: std::collections::BTreeMap::new(),
            outcome_mix: (10, 7, 3),
            clock: Arc::new(SystemClock),
        }
    }
}

impl SimConfig {
    /// The admin account named `username`, if any.
    pub fn admin(&self, username: &str) -> Option<AdminAccount> {
        if username == self.admin_username {
            return Some(AdminAccount {
                username: self.admin_username.clone(),
                password: self.admin_password.clone(),
                totp_secret: self.admin_totp_secret.clone(),
                organization_id: String::new(),
            });
        }
        self.tenant_admins.iter().find(|a| a.username == username).cloned()
    }

    /// A quiet simulator for tests: one user with two online devices, no scheduler, fast ticks.
    pub fn for_tests() -> Self {
        Self {
            users: vec![SeedUser { username: "alice".into(), password: "alice-pass".into(), devices: 2 }],
            tick_ms: 100,
            ..Self::default()
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FleetError {
    #[error("cannot read fleet file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("fleet file {path} is not valid JSON: {source}")]
    Parse { path: PathBuf, source: serde_json::Error },
    #[error("profile {0:?} is not in the fleet file")]
    UnknownProfile(String),
}

#[derive(Deserialize, Debug)]
pub struct FleetFile {
    pub profiles: std::collections::BTreeMap<String, FleetProfile>,
    #[serde(default)]
    pub clients: Vec<FleetClient>,
}

#[derive(Deserialize, Debug, Clone)]
pub struct FleetProfile {
    pub listen: Option<String>,
    pub admin_username: Option<String>,
    pub admin_password: Option<String>,
}

#[derive(Deserialize, Debug)]
pub struct FleetClient {
    #[serde(default)]
    pub services: Vec<FleetService>,
}

#[derive(Deserialize, Debug)]
pub struct FleetService {
    pub profile: String,
    pub username: String,
    #[serde(default)]
    pub devices: Option<usize>,
}

/// What one profile of the fleet file contributes to a `SimConfig`.
#[derive(Debug, Clone)]
pub struct FleetSeed {
    pub profile: FleetProfile,
    /// (username, device count); the device count is `None` when the file gives none.
    pub users: Vec<(String, Option<usize>)>,
}

pub fn load_fleet(path: &Path, profile: &str) -> Result<FleetSeed, FleetError> {
    let text = std::fs::read_to_string(path).map_err(|source| FleetError::Read { path: path.into(), source })?;
    let file: FleetFile = serde_json::from_str(&text).map_err(|source| FleetError::Parse { path: path.into(), source })?;
    let prof = file.profiles.get(profile).cloned().ok_or_else(|| FleetError::UnknownProfile(profile.into()))?;
    let users = file
        .clients
        .iter()
        .flat_map(|c| c.services.iter())
        .filter(|s| s.profile == profile)
        .map(|s| (s.username.clone(), s.devices))
        .collect();
    Ok(FleetSeed { profile: prof, users })
}

/// The `n`th generated account name (1-based): `user-001`, …, `user-999`, `user-1000`, …
pub fn generated_username(n: usize) -> String {
    format!("user-{n:03}")
}

/// The first `count` generated names (`user-001`, …) for which `taken` is false.
pub fn next_generated_usernames(taken: impl Fn(&str) -> bool, count: usize) -> Vec<String> {
    (1..).map(generated_username).filter(|n| !taken(n)).take(count).collect()
}

/// Appends `count` generated accounts (`user-001`, … skipping names already in `users`) with
/// `devices` devices each and the demo password.
pub fn add_generated_users(users: &mut Vec<SeedUser>, count: usize, devices: usize) {
    let names = next_generated_usernames(|n| users.iter().any(|u| u.username == n), count);
    users.extend(names.into_iter().map(|username| SeedUser { password: demo_user_password(&username), username, devices }));
}

/// Demo passwords of seeded end-users (the fleet file carries none).
pub fn demo_user_password(username: &str) -> String {
    format!("demo-{username}")
}
