//! Deterministic seeding of realistic accounts: devices, Protected Items and Storage Vaults.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value, json};

use serde::Deserialize;

use crate::config::{SeedUser, SimConfig, demo_user_password, next_generated_usernames};
use crate::core::{DeviceSim, SimCore, SimError, SnapshotRec, UserRecord, new_guid, org_of};
use crate::shapes::{self, DESTINATIONTYPE_COMET, DESTINATIONTYPE_S3, OsInfo, VaultSeed, sevt};

const WINDOWS_NAMES: &[&str] = &[
    "RECEPTION-PC",
    "FRONT-DESK",
    "DR-PATEL-LAPTOP",
    "ACCOUNTS-PC",
    "OFFICE-MGR",
    "XRAY-WS01",
    "BOARDROOM-PC",
    "HYGIENE-2",
    "PAYROLL-PC",
    "SURFACE-JANE",
];
const SERVER_NAMES: &[&str] = &["FILESERVER01", "HV-HOST01", "SQL01", "DC01"];
const LINUX_NAMES: &[&str] = &["ubuntu-nas", "debian-web01", "pbx-server"];
const MAC_NAMES: &[&str] = &["MacBook-Pro-Anna", "iMac-Studio", "MacBook-Air-Tom"];

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Workstation,
    Server,
    Linux,
    Mac,
}

fn os_for(kind: Kind) -> OsInfo {
    let (version, distribution, build, os) = match kind {
        Kind::Workstation => ("23H2", "Windows 11 Pro", "22631", "windows"),
        Kind::Server => ("21H2", "Windows Server 2022 Standard", "20348", "windows"),
        Kind::Linux => ("12", "debian", "", "linux"),
        Kind::Mac => ("14.5", "macOS", "23F79", "darwin"),
    };
    let arch = if kind == Kind::Mac { "arm64" } else { "amd64" };
    OsInfo { version: version.into(), distribution: distribution.into(), build: build.into(), os: os.into(), arch: arch.into() }
}

/// (engine, description, size bytes, vm count, o365 accounts, EngineProps)
fn items_for(kind: Kind, rng: &mut StdRng, first_device: bool) -> Vec<(&'static str, String, i64, i64, i64, Value)> {
    let gb = |rng: &mut StdRng, lo: i64, hi: i64| rng.random_range(lo..hi) * 1_000_000_000;
    let mut items = match kind {
        Kind::Workstation => vec![
            ("engine1/file", "Documents and Desktop".to_string(), gb(rng, 5, 80), 0, 0, json!({"INCLUDE1": "C:\\Users"})),
            ("engine1/windisk", "C: drive image".to_string(), gb(rng, 60, 400), 0, 0, json!({"DISK1": "\\\\.\\PhysicalDrive0"})),
        ],
        Kind::Server => vec![
            ("engine1/hyperv", "Hyper-V guests".to_string(), gb(rng, 200, 900), rng.random_range(2..6), 0, json!({})),
            ("engine1/file", "Shared drive S:".to_string(), gb(rng, 50, 600), 0, 0, json!({"INCLUDE1": "S:\\"})),
        ],
        Kind::Linux => vec![
            (
                "engine1/file",
                "/home and /etc".to_string(),
                gb(rng, 2, 60),
                0,
                0,
                json!({"INCLUDE1": "/home", "INCLUDE2": "/etc"}),
            ),
            ("engine1/file", "/var/lib/data".to_string(), gb(rng, 10, 200), 0, 0, json!({"INCLUDE1": "/var/lib/data"})),
        ],
        Kind::Mac => vec![("engine1/file", "Users folder".to_string(), gb(rng, 20, 300), 0, 0, json!({"INCLUDE1": "/Users"}))],
    };
    if first_device && kind != Kind::Linux {
        let accounts = rng.random_range(3..25);
        items.push(("engine1/winmsofficemail", "Microsoft 365 mail".to_string(), gb(rng, 10, 120), 0, accounts, json!({})));
    }
    items
}

/// The client version every third seeded device still runs.
const OLD_CLIENT_VERSION: &str = "24.12.3";

/// One daily backup rule per Protected Item (to the cloud vault) and a few past snapshots of
/// each item in that vault, newest a day old.
fn rules_and_snapshots(
    rng: &mut StdRng,
    sources: &Map<String, Value>,
    vault: &str,
    created: i64,
    now: i64,
) -> (Map<String, Value>, Vec<SnapshotRec>) {
    let mut rules = Map::new();
    let mut snaps = Vec::new();
    for (sid, src) in sources {
        let desc = src["Description"].as_str().unwrap_or("Protected Item");
        let engine = src["Engine"].as_str().unwrap_or("engine1/file");
        let hour = rng.random_range(0..6) + 18;
        rules.insert(
            new_guid(rng),
            shapes::backup_rule(&format!("Nightly: {desc}"), sid, vault, created + 3600, hour % 24, rng.random_range(0..4) * 15),
        );
        for day in 1..=rng.random_range(3..7) {
            snaps.push(SnapshotRec {
                id: new_guid(rng),
                source: sid.clone(),
                engine: engine.into(),
                create_time: now - day * 86_400 - rng.random_range(0..3600),
                size: rng.random_range(1..50) * 1_000_000_000,
                tags: Vec::new(),
            });
        }
    }
    snaps.sort_by_key(|s| s.create_time);
    (rules, snaps)
}

/// FNV-1a of the username.
fn name_key(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn device_id(rng: &mut StdRng) -> String {
    let bytes: Vec<u8> = (0..16).map(|_| rng.random()).collect();
    hex::encode(bytes)
}

/// Seeds every `cfg.users` account into `sim`, without events (the accounts existed before the
/// simulated server started). Same seed ⇒ same IDs, names and sizes.
pub fn seed(sim: &SimCore, cfg: &SimConfig) {
    let now = sim.now();
    let mut name_counter = 0usize;
    for user in &cfg.users {
        let account = build_account(cfg, user, cfg.items_per_device, name_counter, now);
        name_counter += user.devices;
        sim.insert_user(&user.username, &user.password, account.profile);
        sim.insert_snapshots(&account.cloud_vault, account.snapshots);
        for (id, dev) in account.devices {
            sim.insert_device(&id, dev);
        }
    }
}

/// Most accounts one `/__sim/fleet` request may add.
pub const MAX_FLEET_USERS: usize = 10_000;
/// Most devices per generated account.
pub const MAX_DEVICES_PER_USER: usize = 100;
/// Most Protected Items per generated device (a device kind offers at most three).
pub const MAX_ITEMS_PER_DEVICE: usize = 3;

/// A fleet to add at runtime (`POST /__sim/fleet`, `SimHandle::add_fleet`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FleetSize {
    /// Accounts to add, named `user-001`, `user-002`, … (the next free numbers).
    pub users: usize,
    /// Default 2.
    #[serde(default)]
    pub devices_per_user: Option<usize>,
    /// Default `SimConfig.items_per_device`.
    #[serde(default)]
    pub items_per_device: Option<usize>,
}

impl FleetSize {
    pub fn new(users: usize, devices_per_user: usize, items_per_device: usize) -> Self {
        Self { users, devices_per_user: Some(devices_per_user), items_per_device: Some(items_per_device) }
    }

    /// (users, devices per user, items per device), bounds checked.
    fn resolved(&self, cfg: &SimConfig) -> Result<(usize, usize, usize), SimError> {
        let devices = self.devices_per_user.unwrap_or(2);
        let items = self.items_per_device.unwrap_or(cfg.items_per_device);
        if !(1..=MAX_FLEET_USERS).contains(&self.users) {
            return Err(SimError::BadRequest(format!("users must be 1..={MAX_FLEET_USERS}, got {}", self.users)));
        }
        if devices > MAX_DEVICES_PER_USER {
            return Err(SimError::BadRequest(format!("devices_per_user must be 0..={MAX_DEVICES_PER_USER}, got {devices}")));
        }
        if !(1..=MAX_ITEMS_PER_DEVICE).contains(&items) {
            return Err(SimError::BadRequest(format!("items_per_device must be 1..={MAX_ITEMS_PER_DEVICE}, got {items}")));
        }
        Ok((self.users, devices, items))
    }
}

/// Adds generated accounts while the simulator runs, with the events the real server sends when
/// accounts are created and their devices register and connect: `SEVT_ACCOUNT_NEW` (Data = the
/// profile), then per device `SEVT_DEVICE_NEW` (Data = the device) and, for the devices that
/// come up online (four in five), `SEVT_DEVICE_LIVE_CONNECT`. Returns the new usernames.
/// Same seed and same prior fleet ⇒ same names, IDs and sizes.
pub fn add_fleet(sim: &SimCore, size: &FleetSize) -> Result<Vec<String>, SimError> {
    let (count, devices, items) = size.resolved(&sim.cfg)?;
    let now = sim.now();
    let actor = sim.cfg.admin_username.clone();
    // One lock for picking names and inserting, so concurrent requests cannot pick the same names.
    let mut st = sim.lock();
    let st = &mut *st;
    let names = next_generated_usernames(|n| st.users.contains_key(n), count);
    let mut name_counter = st.devices.len();
    for username in &names {
        let user = SeedUser { username: username.clone(), password: demo_user_password(username), devices };
        let account = build_account(&sim.cfg, &user, items, name_counter, now);
        name_counter += devices;
        let org = org_of(&account.profile);
        let hash = crate::core::profile_hash(username, 1, &account.profile);
        sim.emit(sevt::ACCOUNT_NEW, &actor, &org, username, Some(Value::Object(account.profile.clone())));
        for (id, mut dev) in account.devices {
            let config = account.profile.get("Devices").and_then(|d| d.get(&id)).cloned();
            sim.emit(sevt::DEVICE_NEW, username, &org, &id, config);
            if dev.live_id.is_some() {
                dev.connected_at = now;
                let conn =
                    shapes::live_user_connection(username, &id, &dev.version, &dev.os, &dev.timezone, now, dev.allows_filenames);
                sim.emit(sevt::DEVICE_LIVE_CONNECT, username, &org, &id, Some(conn));
            }
            st.devices.insert((username.clone(), id), dev);
        }
        st.snapshots.entry(account.cloud_vault).or_default().extend(account.snapshots);
        st.users.insert(
            username.clone(),
            UserRecord { profile: account.profile, password: user.password, revision: 1, hash, totp_secret: None },
        );
    }
    Ok(names)
}

/// A generated account, ready to insert.
struct Account {
    profile: Map<String, Value>,
    cloud_vault: String,
    snapshots: Vec<SnapshotRec>,
    /// Online devices carry a live ID already.
    devices: Vec<(String, DeviceSim)>,
}

/// Builds one account: profile with devices, Protected Items, vaults and rules, its snapshots
/// and device records. `name_counter` offsets the friendly-name pools so neighbouring accounts
/// get different device names.
fn build_account(cfg: &SimConfig, user: &SeedUser, items_per_device: usize, name_counter: usize, now: i64) -> Account {
    // One generator per account, keyed by its name: IDs stay deterministic for a seed but
    // differ between accounts and between simulator instances (profiles) of one demo.
    let mut rng = StdRng::seed_from_u64(cfg.rng_seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ name_key(&user.username));
    let created = now - rng.random_range(30..900) * 86_400;
    let mut profile = shapes::user_profile(
        &user.username,
        &user.username.replace('-', " "),
        &format!("{}@example.com", user.username),
        created,
        &new_guid(&mut rng),
        &format!("$2a$10${}", hex::encode((0..22).map(|_| rng.random::<u8>()).collect::<Vec<_>>())),
    );
    if cfg.inject_unknown_keys {
        // A key no SDK defines: clients must carry it through profile writes unchanged.
        profile.insert("SimFutureSetting".into(), json!({ "Enabled": true, "Level": 3 }));
    }
    let mut devices = Map::new();
    let mut sources = Map::new();
    let mut device_sims = Vec::new();
    let mut device_ids = Vec::new();
    for i in 0..user.devices {
        let kind = match (i, rng.random_range(0..10)) {
            (0, _) => Kind::Workstation,
            (_, 0..=4) => Kind::Workstation,
            (_, 5..=6) => Kind::Server,
            (_, 7..=8) => Kind::Linux,
            _ => Kind::Mac,
        };
        let pool = match kind {
            Kind::Workstation => WINDOWS_NAMES,
            Kind::Server => SERVER_NAMES,
            Kind::Linux => LINUX_NAMES,
            Kind::Mac => MAC_NAMES,
        };
        let name = pool[(name_counter + i) % pool.len()].to_string();
        let id = device_id(&mut rng);
        let os = os_for(kind);
        let mut basic = Map::new();
        let items = items_for(kind, &mut rng, i == 0);
        for (engine, desc, size, vms, o365, props) in items.into_iter().take(items_per_device.max(1)) {
            let sid = new_guid(&mut rng);
            sources.insert(sid.clone(), shapes::source_config(engine, &desc, &id, created + 3600, props));
            basic.insert(sid, shapes::source_basic_info(engine, &desc, size, vms, o365));
        }
        let reg = created + rng.random_range(60..86_400);
        // Every third device lags behind on an older client, so "update software" has work.
        let version = if i % 3 == 2 { OLD_CLIENT_VERSION } else { shapes::SERVER_VERSION };
        devices.insert(id.clone(), shapes::device_config(&name, reg, &os, "America/Toronto", version, basic));
        device_sims.push((id.clone(), os, version));
        device_ids.push(id);
    }
    let mut dests = Map::new();
    let used: i64 = rng.random_range(20..800) * 1_000_000_000;
    let bucket = hex::encode((0..8).map(|_| rng.random::<u8>()).collect::<Vec<_>>());
    let comet_key = hex::encode((0..16).map(|_| rng.random::<u8>()).collect::<Vec<_>>());
    let enc = hex::encode((0..32).map(|_| rng.random::<u8>()).collect::<Vec<_>>());
    let cloud_id = new_guid(&mut rng);
    dests.insert(
        cloud_id.clone(),
        shapes::destination_config(&VaultSeed {
            description: "eazyBackup Cloud",
            destination_type: DESTINATIONTYPE_COMET,
            created,
            comet_server: "https://csw.eazybackup.ca/",
            comet_bucket: &bucket,
            comet_bucket_key: &comet_key,
            s3_server: "",
            s3_bucket: "",
            s3_access_key: "",
            s3_secret_key: "",
            storage_limit_bytes: if rng.random_bool(0.5) { 1_000_000_000_000 } else { 0 },
            used_bytes: used,
            associated_devices: device_ids.clone(),
            encrypted_key: &enc,
        }),
    );
    if rng.random_bool(0.5) {
        let ak = hex::encode((0..10).map(|_| rng.random::<u8>()).collect::<Vec<_>>()).to_uppercase();
        let sk = hex::encode((0..20).map(|_| rng.random::<u8>()).collect::<Vec<_>>());
        let enc2 = hex::encode((0..32).map(|_| rng.random::<u8>()).collect::<Vec<_>>());
        dests.insert(
            new_guid(&mut rng),
            shapes::destination_config(&VaultSeed {
                description: "Wasabi offsite",
                destination_type: DESTINATIONTYPE_S3,
                created: created + 86_400,
                comet_server: "",
                comet_bucket: "",
                comet_bucket_key: "",
                s3_server: "s3.ca-central-1.wasabisys.com",
                s3_bucket: &format!("{}-backup", user.username),
                s3_access_key: &ak,
                s3_secret_key: &sk,
                storage_limit_bytes: 500_000_000_000,
                used_bytes: used / 3,
                associated_devices: device_ids.iter().take(1).cloned().collect(),
                encrypted_key: &enc2,
            }),
        );
    }
    let mut extra = StdRng::seed_from_u64(cfg.rng_seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ name_key(&user.username));
    let (rules, snaps) = rules_and_snapshots(&mut extra, &sources, &cloud_id, created, now);
    profile.insert("BackupRules".into(), Value::Object(rules));
    if let Some(org) = cfg.user_organizations.get(&user.username) {
        profile.insert("OrganizationID".into(), json!(org));
    }
    profile.insert("Devices".into(), Value::Object(devices));
    profile.insert("Sources".into(), Value::Object(sources));
    profile.insert("Destinations".into(), Value::Object(dests));
    let mut device_recs = Vec::new();
    for (n, (id, os, version)) in device_sims.into_iter().enumerate() {
        // Most devices start online; every fifth starts offline so the fleet looks real.
        let online = n % 5 != 4;
        device_recs.push((
            id,
            DeviceSim {
                username: user.username.clone(),
                live_id: online.then(|| new_guid(&mut rng)),
                connected_at: if online { now - rng.random_range(60..86_400) } else { 0 },
                version: version.into(),
                os,
                timezone: "America/Toronto".into(),
                allows_filenames: true,
                reconnect_at: None,
            },
        ));
    }
    Account { profile, cloud_vault: cloud_id, snapshots: snaps, devices: device_recs }
}
