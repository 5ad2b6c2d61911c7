//! `eb-bench monitor`: one `eazybackup monitor` sweep over a fleet of running jobs (issue 12's
//! benchmark): wall time, Admin API calls, SQL statements.
//!
//! comet-sim runs `--jobs` jobs at once; they are written live through the worker's path
//! (`ingest::batch::write_jobs`) and then made quiet for two hours (one UPDATE), so every row is
//! a candidate. Two scenarios, each on SQLite and MariaDB (`TEST_MYSQL_URL`):
//! - **moving**: every job's heartbeat ticks (the simulator's normal jobs): the sweep records
//!   progress for each and touches nothing in Comet;
//! - **stalled**: every job is stalled and its device confirms a cancel (0.5 s): the sweep
//!   cancels, waits for the confirmations and finalises each.

use std::sync::Arc;
use std::time::{Duration, Instant};

use comet::{AdminClient, BackupJobDetail, Credentials};
use comet_sim::{CancelReply, FaultPatch, SeedUser, Sim, SimConfig, SimHandle, StartJob};
use eazybackup::db::Db;
use eazybackup::ingest::Ingest;
use eazybackup::monitor::{Settings, sweep_profile};
use eazybackup::testkit::TestDb;
use eazybackup::with_pool;

const PROFILE: &str = "eazybackup";

#[derive(clap::Args, Clone)]
pub struct MonitorArgs {
    /// Running jobs in the fleet.
    #[arg(long, default_value_t = 10_000)]
    jobs: usize,
    /// `--limit` of the sweep (default: every job).
    #[arg(long)]
    limit: Option<u32>,
    /// Skip MariaDB.
    #[arg(long)]
    sqlite_only: bool,
}

pub async fn run(args: MonitorArgs) -> anyhow::Result<()> {
    let limit = args.limit.unwrap_or(args.jobs as u32);
    println!("monitor sweep: {} running jobs, limit {limit}", args.jobs);
    println!(
        "{:<8} {:<8} {:>8} {:>10} {:>12} {:>11} {:>10} {:>10}",
        "backend", "scenario", "checked", "elapsed", "comet calls", "statements", "progress", "finalised"
    );
    for backend in ["sqlite", "mariadb"] {
        if backend == "mariadb" && args.sqlite_only {
            continue;
        }
        for stalled in [false, true] {
            let test_db = if backend == "sqlite" { TestDb::sqlite().await } else { TestDb::mysql().await };
            eazybackup::db::migrate::migrate(test_db.db()).await?;
            eazybackup::testkit::load_whmcs_subset(test_db.db()).await?;
            let sim = fleet(args.jobs, stalled).await?;
            let mut ingest = Ingest::new(PROFILE, test_db.db().clone(), admin(&sim)?);
            make_live_and_quiet(&mut ingest).await?;
            // Normal jobs tick every simulated second: let the heartbeat pass what was recorded.
            tokio::time::sleep(Duration::from_millis(1500)).await;
            let settings = Settings {
                limit,
                confirm_wait: Duration::from_secs(60),
                confirm_poll: Duration::from_secs(1),
                ..Settings::from_defaults(&Default::default())
            };
            let started = Instant::now();
            let s = sweep_profile(&mut ingest, &settings).await?;
            let elapsed = started.elapsed();
            println!(
                "{:<8} {:<8} {:>8} {:>9.2}s {:>12} {:>11} {:>10} {:>10}",
                backend,
                if stalled { "stalled" } else { "moving" },
                s.checked,
                elapsed.as_secs_f64(),
                s.comet_calls,
                s.statements,
                s.progressing,
                s.finalised
            );
            if s.errors > 0 {
                anyhow::bail!("the sweep reported errors: {}", s.line());
            }
            sim.shutdown().await;
            test_db.cleanup().await;
        }
    }
    Ok(())
}

/// `jobs` running jobs spread over 50 accounts of 2 devices each.
async fn fleet(jobs: usize, stalled: bool) -> anyhow::Result<SimHandle> {
    let mut cfg = SimConfig::for_tests();
    cfg.users = (0..50).map(|u| SeedUser { username: format!("mon-{u:02}"), password: "pw".into(), devices: 2 }).collect();
    let sim = Sim::start(cfg).await?;
    sim.set_faults(FaultPatch { cancel_delay_secs: Some(0.5), ..Default::default() });
    for i in 0..jobs {
        let mut job = StartJob::new(&format!("mon-{:02}", i % 50), 36_000.0, 5000);
        job.stall = stalled;
        job.on_cancel = Some(CancelReply::Confirm);
        sim.start_job(job)?;
    }
    Ok(sim)
}

fn admin(sim: &SimHandle) -> anyhow::Result<Arc<AdminClient>> {
    let creds = sim.admin_creds();
    Ok(Arc::new(AdminClient::new(
        &sim.base_url(),
        Credentials { username: creds.username, password: creds.password, ..Default::default() },
    )?))
}

/// Every incomplete job written live by the worker's path, then quiet for two hours.
async fn make_live_and_quiet(ingest: &mut Ingest) -> anyhow::Result<()> {
    let running: Vec<BackupJobDetail> = ingest.admin.get_jobs_for_date_range(0, 0).await?;
    for chunk in running.chunks(1000) {
        eazybackup::ingest::batch::write_jobs(ingest, chunk).await?;
    }
    let quiet_since = chrono::Utc::now().timestamp() - 7200;
    let db: &Db = &ingest.db;
    with_pool!(db, pool => sqlx::query("UPDATE eb_jobs_live SET started_at = ?, progress_ts = ?, last_update = ? WHERE server_id = ?")
        .bind(quiet_since).bind(quiet_since).bind(quiet_since).bind(PROFILE).execute(pool).await?.rows_affected());
    Ok(())
}
