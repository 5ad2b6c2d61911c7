//! `comet-sim`: run a Comet Server simulator (Admin API + event stream + /__sim control).

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use comet_sim::config::{SeedUser, add_generated_users, demo_user_password, load_fleet};
use comet_sim::{Sim, SimConfig};

const CONTROL_HELP: &str = "\
CONTROL SURFACE (JSON, same port, not part of Comet):
  POST /__sim/jobs {username, device_id?, source_id?, destination_id?, duration_secs, outcome (5000|7001|7002|7003|7004…),
       stall?, classification? (4001 backup, 4002 restore, 4003…4011), backup_rule?, retry_failures? (attempts that go
       through 6003 first), skip_already_running? (7006 when the item already runs), resume_after_secs? (a stalled job
       resumes; revived 6002 if abandoned meanwhile), delete_snapshots?, flat_bytes? (heartbeat ticks, bytes
       stay), on_cancel? (confirm | ignore | unreachable; default unreachable when stalled, else confirm)}
       -> {job_id}. Starts a job now (SEVT_JOB_NEW); 7004 creates a missed job (only SEVT_JOB_COMPLETED).
  POST /__sim/jobs/{id}/finish {outcome?}        finish a running job now
  POST /__sim/jobs/{id}/resume                   a stalled/abandoned job reports again (abandoned -> 6002, no event)
  POST /__sim/jobs/{id}/cancel-silently          as an admin's cancel in Comet's web UI: 7005 at once, no event
  POST /__sim/faults {…}  -> current faults. Knobs:
       reject_auth, http_5xx (next N requests -> HTTP 503), slow_ms, mirror_http_status,
       hash_mismatch_status, hash_mismatch_message, emit_completed_on_cancel, cancel_delay_secs, emit_completed_on_abandon,
       profile_update_on_complete, close_after_events (sockets close after N events), silent (no frames, no pings,
       no pongs), ping_every_secs (server pings; closes when a pong is missing), job_event_order
       (normal|completed_before_new|drop_new|duplicate), reconnect_delay_ms (drop-connection / software update);
       one-shots: drop_sockets, malformed_frame, restart (new ServerStartHash), foreign_tenant_event
  GET  /__sim/faults                              current faults
  POST /__sim/users/{username}/touch              bump profile revision + SEVT_ACCOUNT_UPDATED -> {profile_hash}
  GET  /__sim/users/{username}/totp               the current TOTP code of the account (RFC 6238, sim clock) -> {code}
  POST /__sim/devices/{id}/online|offline[?username=U]   live connect/disconnect (SEVT_DEVICE_LIVE_CONNECT/DISCONNECT);
       ?username picks the registration when the ID is registered in several accounts
  POST /__sim/devices/{id}/allow-filenames|deny-filenames   browse consent (LiveUserConnection.AllowsFilenames)
  POST /__sim/devices/{id}/register {username, friendly_name?, os?}   SEVT_DEVICE_NEW + SEVT_ACCOUNT_UPDATED
       (an ID already registered in another account may be registered again: one machine, two accounts)
  GET  /__sim/state                               users, revisions, devices, running jobs, faults, clock
  POST /__sim/clock {advance_secs?, time_scale?}  move simulated time forward (>= 0, <= 1 year) and/or set its
       speed (0 < F <= 10000) -> {now, time_scale}; bad values -> 400 {error}. Every timestamp, job duration,
       retry and schedule follows the clock: a running job whose end has passed completes at the next tick
       (normal events, EndTime = the advanced clock); a schedule wait that was skipped fires once.
       Sessions idle out in simulated time too (1800 s).
  GET  /__sim/clock                               {now, time_scale}
  POST /__sim/fleet {users, devices_per_user? (2), items_per_device? (--items-per-device, 1..3)}
       -> {users: [names]}. Adds generated accounts user-NNN (next free numbers) at runtime: SEVT_ACCOUNT_NEW
       (Data = profile), then per device SEVT_DEVICE_NEW and, for devices that come up online (4 in 5),
       SEVT_DEVICE_LIVE_CONNECT. Same --rng-seed and same prior fleet => same accounts.

FLEET FROM A SIZE: --users N --devices-per-user D --items-per-device I --jobs-per-hour R (or --job-every-secs S;
not both). E.g. comet-sim --users 50 --devices-per-user 3 --jobs-per-hour 600 --time-scale 10

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
    /// Protect the admin with TOTP: its secret (base32); password logins then need a current
    /// code (RFC 6238, against the simulator's clock), each code accepted once.
    #[arg(long)]
    admin_totp_secret: Option<String>,
    /// Seed an end-user account (repeatable).
    #[arg(long = "user")]
    users: Vec<String>,
    /// Also seed N generated accounts user-001, user-002, ... (next free names after --user and
    /// the fleet file), each with --devices-per-user devices.
    #[arg(long = "users", value_name = "N", default_value_t = 0)]
    generated_users: usize,
    /// Fleet file (demo/fleet.json) to seed users from; needs --profile.
    #[arg(long, requires = "profile")]
    fleet_json: Option<PathBuf>,
    /// Profile of the fleet file this instance plays.
    #[arg(long)]
    profile: Option<String>,
    /// Devices per user (for --user, --users, and fleet-file accounts that give no count).
    #[arg(long, default_value_t = 2)]
    devices_per_user: usize,
    /// Protected Items per device (at most what the device kind offers).
    #[arg(long, default_value_t = 2)]
    items_per_device: usize,
    /// Mean simulated seconds between automatic job starts across the fleet (0 = no scheduler)
    /// [default: 15].
    #[arg(long, value_name = "S", conflicts_with = "jobs_per_hour")]
    job_every_secs: Option<f64>,
    /// The same rate as --job-every-secs, spelled as automatic jobs per simulated hour across
    /// the fleet (0 = no scheduler).
    #[arg(long, value_name = "R")]
    jobs_per_hour: Option<f64>,
    /// Mean duration of automatic jobs, seconds (actual: 0.5x-1.5x).
    #[arg(long, default_value_t = 40.0)]
    job_duration_secs: f64,
    /// Mean seconds between device offline/online flips (0 = never).
    #[arg(long, default_value_t = 90.0)]
    flap_every_secs: f64,
    /// Every Nth automatic job stalls forever (0 = never).
    #[arg(long, default_value_t = 0)]
    stall_every: u32,
    /// Seed of the accounts, devices, items and vaults built at start (same seed, same fleet).
    #[arg(long, default_value_t = 1)]
    rng_seed: u64,
    /// Seed of the IDs handed out while running (jobs, sessions, snapshots); by default fresh per
    /// process, as on a real server (two servers never share a job ID).
    #[arg(long)]
    ids_seed: Option<u64>,
    /// Simulated seconds per real second (0 < F <= 10000; changeable at runtime via
    /// POST /__sim/clock).
    #[arg(long, default_value_t = 1.0)]
    time_scale: f64,
}

/// Mean seconds between scheduled jobs from either spelling of the rate; `None` = no scheduler.
fn job_interval(every_secs: Option<f64>, per_hour: Option<f64>) -> anyhow::Result<Option<f64>> {
    let secs = match (every_secs, per_hour) {
        (Some(_), Some(_)) => anyhow::bail!("give --job-every-secs or --jobs-per-hour, not both"),
        (Some(s), None) => s,
        (None, Some(r)) if r.is_finite() && r >= 0.0 => {
            if r > 0.0 {
                3600.0 / r
            } else {
                0.0
            }
        }
        (None, Some(r)) => anyhow::bail!("--jobs-per-hour must be a number >= 0, got {r}"),
        (None, None) => DEFAULT_JOB_EVERY_SECS,
    };
    if !secs.is_finite() || secs < 0.0 {
        anyhow::bail!("--job-every-secs must be a number >= 0, got {secs}");
    }
    Ok(positive(secs))
}

const DEFAULT_JOB_EVERY_SECS: f64 = 15.0;

fn positive(v: f64) -> Option<f64> {
    (v > 0.0).then_some(v)
}

fn build_config(args: Args) -> anyhow::Result<SimConfig> {
    let mut cfg = SimConfig {
        items_per_device: args.items_per_device,
        job_every_secs: job_interval(args.job_every_secs, args.jobs_per_hour)?,
        job_duration_secs: args.job_duration_secs,
        device_flap_every_secs: positive(args.flap_every_secs),
        stall_every: args.stall_every,
        rng_seed: args.rng_seed,
        ids_seed: args.ids_seed,
        time_scale: {
            comet_sim::clock::check_scale(args.time_scale).context("--time-scale")?;
            args.time_scale
        },
        admin_totp_secret: args.admin_totp_secret,
        ..SimConfig::default()
    };
    let mut listen = None;
    if let (Some(path), Some(profile)) = (&args.fleet_json, &args.profile) {
        let fleet = load_fleet(path, profile)?;
        listen = fleet.profile.listen.as_deref().map(str::parse).transpose().context("fleet listen address")?;
        if let Some(u) = fleet.profile.admin_username {
            cfg.admin_username = u;
        }
        if let Some(p) = fleet.profile.admin_password {
            cfg.admin_password = p;
        }
        for (name, devices) in fleet.users {
            let devices = devices.unwrap_or(args.devices_per_user);
            cfg.users.push(SeedUser { password: demo_user_password(&name), username: name, devices });
        }
    }
    for name in args.users {
        if !cfg.users.iter().any(|u| u.username == name) {
            cfg.users.push(SeedUser { password: demo_user_password(&name), username: name, devices: args.devices_per_user });
        }
    }
    add_generated_users(&mut cfg.users, args.generated_users, args.devices_per_user);
    cfg.listen = Some(args.listen.or(listen).unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8060))));
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
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("EB_LOG").unwrap_or_else(|_| "info".into()))
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
    let cfg = build_config(Args::parse())?;
    let users = cfg.users.len();
    let sim = Sim::start(cfg).await?;
    tracing::info!(http = %sim.base_url(), ws = %sim.ws_url(), users, "comet-sim listening");
    wait_for_stop().await?;
    sim.shutdown().await;
    Ok(())
}

/// Ctrl-C, or SIGTERM from a process manager (the demo's stack script, systemd).
async fn wait_for_stop() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).context("listening for SIGTERM")?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r.context("waiting for Ctrl-C")?,
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await.context("waiting for Ctrl-C")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(args: &[&str]) -> anyhow::Result<SimConfig> {
        let argv = std::iter::once("comet-sim").chain(args.iter().copied());
        build_config(Args::try_parse_from(argv)?)
    }

    #[test]
    fn users_flag_generates_numbered_accounts_after_the_named_ones() -> anyhow::Result<()> {
        let cfg = config(&["--user", "alice", "--user", "user-002", "--users", "3", "--devices-per-user", "4"])?;
        let names: Vec<&str> = cfg.users.iter().map(|u| u.username.as_str()).collect();
        assert_eq!(names, ["alice", "user-002", "user-001", "user-003", "user-004"]);
        assert!(cfg.users.iter().all(|u| u.devices == 4));
        assert_eq!(cfg.users[2].password, "demo-user-001");
        Ok(())
    }

    #[test]
    fn jobs_per_hour_is_the_job_interval_spelled_as_a_rate() -> anyhow::Result<()> {
        assert_eq!(config(&["--jobs-per-hour", "120"])?.job_every_secs, Some(30.0));
        assert_eq!(config(&["--job-every-secs", "30"])?.job_every_secs, Some(30.0));
        assert_eq!(config(&[])?.job_every_secs, Some(DEFAULT_JOB_EVERY_SECS));
        assert_eq!(config(&["--jobs-per-hour", "0"])?.job_every_secs, None);
        assert_eq!(config(&["--job-every-secs", "0"])?.job_every_secs, None);
        assert!(config(&["--jobs-per-hour", "-3"]).is_err());
        assert!(config(&["--jobs-per-hour", "NaN"]).is_err());
        let both = config(&["--jobs-per-hour", "4", "--job-every-secs", "900"]);
        assert!(both.is_err(), "the two spellings of the rate are exclusive");
        Ok(())
    }

    #[test]
    fn time_scale_out_of_bounds_is_refused() {
        assert!(config(&["--time-scale", "0"]).is_err());
        assert!(config(&["--time-scale", "1e6"]).is_err());
        assert!(config(&["--time-scale", "60"]).is_ok());
    }
}
