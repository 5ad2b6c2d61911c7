//! `comet-sim`: run a Comet Server simulator (Admin API + event stream + /__sim control).

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use comet_sim::config::{SeedUser, demo_user_password, load_fleet};
use comet_sim::{Sim, SimConfig};

const CONTROL_HELP: &str = "\
CONTROL SURFACE (JSON, same port, not part of Comet):
  POST /__sim/jobs {username, device_id?, source_id?, destination_id?, duration_secs, outcome (5000|7001|7002|7003|7004…),
       stall?, classification? (4001 backup, 4002 restore, 4003…4011), backup_rule?, retry_failures? (attempts that go
       through 6003 first), skip_already_running? (7006 when the item already runs), resume_after_secs? (a stalled job
       resumes; revived 6002 if abandoned meanwhile), delete_snapshots?}
       -> {job_id}. Starts a job now (SEVT_JOB_NEW); 7004 creates a missed job (only SEVT_JOB_COMPLETED).
  POST /__sim/jobs/{id}/finish {outcome?}        finish a running job now
  POST /__sim/jobs/{id}/resume                   a stalled/abandoned job reports again (abandoned -> 6002, no event)
  POST /__sim/faults {…}  -> current faults. Knobs:
       reject_auth, http_5xx (next N requests -> HTTP 503), slow_ms, mirror_http_status,
       hash_mismatch_status, hash_mismatch_message, emit_completed_on_cancel, emit_completed_on_abandon,
       profile_update_on_complete, close_after_events (sockets close after N events), silent (no frames, no pings,
       no pongs), ping_every_secs (server pings; closes when a pong is missing), job_event_order
       (normal|completed_before_new|drop_new|duplicate), reconnect_delay_ms (drop-connection / software update);
       one-shots: drop_sockets, malformed_frame, restart (new ServerStartHash), foreign_tenant_event
  GET  /__sim/faults                              current faults
  POST /__sim/users/{username}/touch              bump profile revision + SEVT_ACCOUNT_UPDATED -> {profile_hash}
  GET  /__sim/users/{username}/totp               the TOTP code the account accepts now -> {code}
  POST /__sim/devices/{id}/online|offline         live connect/disconnect (SEVT_DEVICE_LIVE_CONNECT/DISCONNECT)
  POST /__sim/devices/{id}/allow-filenames|deny-filenames   browse consent (LiveUserConnection.AllowsFilenames)
  POST /__sim/devices/{id}/register {username, friendly_name?, os?}   SEVT_DEVICE_NEW + SEVT_ACCOUNT_UPDATED
  GET  /__sim/state                               users, revisions, devices, running jobs, faults

With a scheduler (--job-every-secs > 0) the first simulated minute shows a warning, an error, a missed
run, a job that stalls for good, a retried job, a restore and a device going offline and back.
Seeded end-users log in with password demo-<username>.";

/// A faithful simulator of the Comet Backup Server API and event stream.
#[derive(Parser, Debug)]
#[command(name = "comet-sim", version, after_help = CONTROL_HELP)]
struct Args {
    /// Address to listen on (default: the fleet profile's `listen`, else 127.0.0.1:8060).
    #[arg(long)]
    listen: Option<SocketAddr>,
    /// Admin username (default: the fleet profile's, else `admin`).
    #[arg(long)]
    admin_user: Option<String>,
    /// Admin password (default: the fleet profile's, else `admin-password`).
    #[arg(long)]
    admin_pass: Option<String>,
    /// Require this TOTP code on admin password logins.
    #[arg(long)]
    admin_totp: Option<String>,
    /// Seed an end-user account (repeatable).
    #[arg(long = "user")]
    users: Vec<String>,
    /// Fleet file (demo/fleet.json) to seed users from; needs --profile.
    #[arg(long, requires = "profile")]
    fleet_json: Option<PathBuf>,
    /// Profile of the fleet file this instance plays.
    #[arg(long)]
    profile: Option<String>,
    /// Devices per user when the fleet file gives no count.
    #[arg(long, default_value_t = 2)]
    devices_per_user: usize,
    /// Protected Items per device (at most what the device kind offers).
    #[arg(long, default_value_t = 2)]
    items_per_device: usize,
    /// Mean seconds between automatic job starts (0 = no scheduler).
    #[arg(long, default_value_t = 15.0)]
    job_every_secs: f64,
    /// Mean duration of automatic jobs, seconds (actual: 0.5x-1.5x).
    #[arg(long, default_value_t = 40.0)]
    job_duration_secs: f64,
    /// Mean seconds between device offline/online flips (0 = never).
    #[arg(long, default_value_t = 90.0)]
    flap_every_secs: f64,
    /// Every Nth automatic job stalls forever (0 = never).
    #[arg(long, default_value_t = 0)]
    stall_every: u32,
    #[arg(long, default_value_t = 1)]
    rng_seed: u64,
    /// Simulated seconds per real second.
    #[arg(long, default_value_t = 1.0)]
    time_scale: f64,
}

fn positive(v: f64) -> Option<f64> {
    (v > 0.0).then_some(v)
}

fn build_config(args: Args) -> anyhow::Result<SimConfig> {
    let mut cfg = SimConfig {
        items_per_device: args.items_per_device,
        job_every_secs: positive(args.job_every_secs),
        job_duration_secs: args.job_duration_secs,
        device_flap_every_secs: positive(args.flap_every_secs),
        stall_every: args.stall_every,
        rng_seed: args.rng_seed,
        time_scale: if args.time_scale > 0.0 {
            args.time_scale
        } else {
            1.0
        },
        admin_totp: args.admin_totp,
        ..SimConfig::default()
    };
    let mut listen = None;
    if let (Some(path), Some(profile)) = (&args.fleet_json, &args.profile) {
        let fleet = load_fleet(path, profile)?;
        listen = fleet
            .profile
            .listen
            .as_deref()
            .map(str::parse)
            .transpose()
            .context("fleet listen address")?;
        if let Some(u) = fleet.profile.admin_username {
            cfg.admin_username = u;
        }
        if let Some(p) = fleet.profile.admin_password {
            cfg.admin_password = p;
        }
        for (name, devices) in fleet.users {
            let devices = devices.unwrap_or(args.devices_per_user);
            cfg.users.push(SeedUser {
                password: demo_user_password(&name),
                username: name,
                devices,
            });
        }
    }
    for name in args.users {
        if !cfg.users.iter().any(|u| u.username == name) {
            cfg.users.push(SeedUser {
                password: demo_user_password(&name),
                username: name,
                devices: args.devices_per_user,
            });
        }
    }
    cfg.listen = Some(
        args.listen
            .or(listen)
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8060))),
    );
    if let Some(u) = args.admin_user {
        cfg.admin_username = u;
    }
    if let Some(p) = args.admin_pass {
        cfg.admin_password = p;
    }
    Ok(cfg)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("EB_LOG").unwrap_or_else(|_| "info".into()),
        )
        .init();
    let cfg = build_config(Args::parse())?;
    let users = cfg.users.len();
    let sim = Sim::start(cfg).await?;
    tracing::info!(http = %sim.base_url(), ws = %sim.ws_url(), users, "comet-sim listening");
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    sim.shutdown().await;
    Ok(())
}
