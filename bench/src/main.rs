//! eazyBackup benchmarks (bench/README.md): `ingest`, `api` (`api_latency`) and `sse`
//! (`sse_fanout`).
//!
//! `eb-bench ingest`: how fast the worker's batched write path absorbs a 02:00 burst.
//!
//! 1. Records the shape of real job events from comet-sim (one `SEVT_JOB_NEW` and one
//!    `SEVT_JOB_COMPLETED` frame off its event stream).
//! 2. Builds a burst from them: `users × devices` jobs starting, then the same jobs completing.
//! 3. Replays it into the worker's write path (`ingest::batch::write_events`, batches formed with
//!    the worker's `MAX_BATCH`/`LINGER` policy) on a temporary SQLite file and a fresh MariaDB
//!    database (`TEST_MYSQL_URL`), twice each: all at once (capacity) and paced at `--rate`
//!    (latency from an event's arrival to the commit of its `eb_events` row).

mod api_latency;
mod figures;
mod seed;
mod sse_fanout;

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use comet::events::{EventStream, StreamCredentials, StreamItem, StreamOptions};
use comet::{AdminClient, Credentials, EventType, StreamableEvent, UserProfileConfig};
use comet_sim::{SeedUser, Sim, SimConfig, StartJob};
use eazybackup::db::cursor::{self, Cursor};
use eazybackup::db::{Db, events};
use eazybackup::ingest::Ingest;
use eazybackup::ingest::batch::{self, CursorWrite};
use eazybackup::testkit::TestDb;
use eazybackup::with_pool;
use tokio::sync::mpsc;

mod monitor;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Replay a job burst into SQLite and MariaDB and print events/s, statements/event, latency.
    Ingest(IngestArgs),
    /// One stalled-job monitor sweep over a fleet of running jobs: wall time, Comet calls, statements.
    Monitor(monitor::MonitorArgs),
    /// Read-route latency for a large client among many others, on MariaDB.
    Api(api_latency::ApiArgs),
    /// SSE fan-out: subscribers × event rate against one `serve` process.
    Sse(sse_fanout::SseArgs),
    /// The `serve` process `sse` measures (started by it; not for direct use).
    #[command(hide = true)]
    SseServer(sse_fanout::ServerArgs),
}

#[derive(clap::Args, Clone)]
struct IngestArgs {
    /// Comet accounts in the burst.
    #[arg(long, default_value_t = 500)]
    users: usize,
    /// Devices per account (one job each).
    #[arg(long, default_value_t = 10)]
    devices: usize,
    /// Events per second of the paced run (the latency figure).
    #[arg(long, default_value_t = 10_000)]
    rate: u64,
    /// Skip MariaDB (TEST_MYSQL_URL, default mysql://root@127.0.0.1:3306/).
    #[arg(long)]
    sqlite_only: bool,
}

const PROFILE: &str = "eazybackup";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Ingest(args) => ingest(args).await,
        Command::Monitor(args) => monitor::run(args).await,
        Command::Api(args) => api_latency::run(args).await,
        Command::Sse(args) => sse_fanout::run(args).await,
        Command::SseServer(args) => sse_fanout::serve(args).await,
    }
}

async fn ingest(args: IngestArgs) -> anyhow::Result<()> {
    let (new_tpl, done_tpl) = record_job_shapes().await?;
    let burst = build_burst(&new_tpl, &done_tpl, args.users, args.devices);
    println!(
        "burst: {} users x {} devices = {} jobs, {} events (NEW then COMPLETED), recorded from comet-sim",
        args.users,
        args.devices,
        args.users * args.devices,
        burst.len()
    );
    println!(
        "{:<8} {:<9} {:>7} {:>9} {:>10} {:>8} {:>9} {:>9} {:>8}",
        "backend", "mode", "events", "elapsed", "events/s", "stmt/ev", "p50 ms", "p99 ms", "batches"
    );
    let mut sqlite_capacity = 0.0;
    let mut mysql_capacity = None;
    for backend in ["sqlite", "mariadb"] {
        if backend == "mariadb" && args.sqlite_only {
            continue;
        }
        for paced in [false, true] {
            let test_db = if backend == "sqlite" { TestDb::sqlite().await } else { TestDb::mysql().await };
            prepare(test_db.db(), args.users).await?;
            let rate = if paced { Some(args.rate) } else { None };
            let r = replay(test_db.db(), &burst, rate, args.users).await?;
            test_db.cleanup().await;
            let mode = if paced { format!("{}/s", args.rate) } else { "burst".to_string() };
            println!(
                "{:<8} {:<9} {:>7} {:>8.3}s {:>10.0} {:>8.3} {:>9.1} {:>9.1} {:>8}",
                backend,
                mode,
                r.events,
                r.elapsed.as_secs_f64(),
                r.events_per_sec(),
                r.statements as f64 / r.events as f64,
                r.p(0.50),
                r.p(0.99),
                r.batches
            );
            if !paced {
                if backend == "sqlite" {
                    sqlite_capacity = r.events_per_sec();
                } else {
                    mysql_capacity = Some(r.events_per_sec());
                }
            }
        }
    }
    if let Some(m) = mysql_capacity {
        println!("MariaDB/SQLite burst throughput ratio: {:.2}", m / sqlite_capacity);
    }
    Ok(())
}

/// One `SEVT_JOB_NEW` and one `SEVT_JOB_COMPLETED` as comet-sim sends them.
async fn record_job_shapes() -> anyhow::Result<(StreamableEvent, StreamableEvent)> {
    let mut cfg = SimConfig::for_tests();
    cfg.users = vec![SeedUser { username: "shape".into(), password: "pw".into(), devices: 1 }];
    let sim = Sim::start(cfg).await?;
    let creds = sim.admin_creds();
    let mut stream = EventStream::connect(
        &sim.ws_url(),
        &StreamCredentials::password(&creds.username, &creds.password),
        StreamOptions::default(),
    )
    .await?;
    sim.start_job(StartJob::new("shape", 0.2, 5000))?;
    let (mut new, mut done) = (None, None);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while new.is_none() || done.is_none() {
        let item = tokio::time::timeout_at(deadline, stream.next()).await.context("no job events from comet-sim")?;
        match item {
            Some(Ok(StreamItem::Event(e))) if e.r#type == EventType::JOB_NEW => new = Some(*e),
            Some(Ok(StreamItem::Event(e))) if e.r#type == EventType::JOB_COMPLETED => done = Some(*e),
            Some(Ok(_)) => {}
            Some(Err(e)) => bail!("event stream: {e}"),
            None => bail!("event stream ended"),
        }
    }
    stream.close().await;
    sim.shutdown().await;
    Ok((new.unwrap_or_default(), done.unwrap_or_default()))
}

fn user_name(u: usize) -> String {
    format!("customer{u:05}")
}

/// The recorded frames with each job's own GUID, account and device.
fn build_burst(new_tpl: &StreamableEvent, done_tpl: &StreamableEvent, users: usize, devices: usize) -> Vec<StreamableEvent> {
    let now = chrono::Utc::now().timestamp();
    let job = |tpl: &StreamableEvent, u: usize, d: usize| {
        let mut e = tpl.clone();
        e.timestamp = now;
        if let Some(serde_json::Value::Object(data)) = e.data.as_mut() {
            data.insert("GUID".into(), format!("{u:05}-{d:03}-job-0200").into());
            data.insert("Username".into(), user_name(u).into());
            data.insert("DeviceID".into(), format!("dev-{u:05}-{d:03}").into());
            data.insert("StartTime".into(), (now - 60).into());
            if tpl.r#type == EventType::JOB_COMPLETED {
                data.insert("EndTime".into(), now.into());
            }
        }
        e
    };
    let mut burst = Vec::with_capacity(users * devices * 2);
    for tpl in [new_tpl, done_tpl] {
        for d in 0..devices {
            for u in 0..users {
                burst.push(job(tpl, u, d));
            }
        }
    }
    burst
}

/// Schema plus one WHMCS service per burst account (so every event resolves an owner).
async fn prepare(db: &Db, users: usize) -> anyhow::Result<()> {
    eazybackup::db::migrate::migrate(db).await?;
    eazybackup::testkit::load_whmcs_subset(db).await?;
    with_pool!(db, pool => {
        sqlx::query("INSERT INTO tblservergroups (id, name) VALUES (1, ?)").bind(PROFILE).execute(pool).await?;
        sqlx::query("INSERT INTO tblservers (id, name, ipaddress, hostname, type, username, password, accesshash, secure) VALUES (1, 'eb', '', 'eb.local', 'comet', '', '', '', 'on')").execute(pool).await?;
        sqlx::query("INSERT INTO tblservergroupsrel (id, groupid, serverid) VALUES (1, 1, 1)").execute(pool).await?;
        sqlx::query("INSERT INTO tblproducts (id, type, name, description, paytype, servertype) VALUES (1, 'other', 'Backup', '', 'recurring', 'comet')").execute(pool).await?;
        for u in 0..users {
            sqlx::query("INSERT INTO tblhosting (id, userid, packageid, server, regdate, domain, paymentmethod, billingcycle, domainstatus, username, password, notes, dedicatedip) VALUES (?, ?, 1, 1, '2026-01-01', '', 'x', 'Monthly', 'Active', ?, '', '', '')")
                .bind(u as i64 + 1).bind(u as i64 + 1).bind(user_name(u)).execute(pool).await?;
        }
    });
    Ok(())
}

struct Run {
    events: usize,
    elapsed: Duration,
    statements: u64,
    batches: usize,
    /// Arrival → commit, milliseconds, sorted.
    latencies: Vec<f64>,
}

impl Run {
    fn events_per_sec(&self) -> f64 {
        self.events as f64 / self.elapsed.as_secs_f64()
    }
    fn p(&self, q: f64) -> f64 {
        let i = ((self.latencies.len() as f64 - 1.0) * q).round() as usize;
        self.latencies.get(i).copied().unwrap_or(0.0)
    }
}

/// Feeds `burst` through a channel (all at once, or paced at `rate`) and writes it the way the
/// worker does: the first waiting event, whatever else is already queued (lingering when busy),
/// at most `MAX_BATCH`, one `write_events` transaction per batch with the cursor.
async fn replay(db: &Db, burst: &[StreamableEvent], rate: Option<u64>, users: usize) -> anyhow::Result<Run> {
    let admin = Arc::new(AdminClient::new("http://127.0.0.1:9/", Credentials::default())?);
    let mut ingest = Ingest::new(PROFILE, db.clone(), admin);
    // Names come from profiles the worker already knows (every account was seen before 02:00);
    // the Admin API round trips of a cold cache are not what this measures.
    for u in 0..users {
        ingest.names.update(&user_name(u), &UserProfileConfig::default());
    }
    ingest.owners.reload(db).await?;
    let source = cursor::source_for_profile(PROFILE);
    let mut cursor = Cursor::default();

    let (tx, mut rx) = mpsc::unbounded_channel::<(Instant, StreamableEvent)>();
    let events_in = burst.to_vec();
    let producer = tokio::spawn(async move {
        let start = Instant::now();
        for (i, e) in events_in.into_iter().enumerate() {
            if let Some(rate) = rate {
                let due = start + Duration::from_secs_f64(i as f64 / rate as f64);
                if due > Instant::now() {
                    tokio::time::sleep_until(due.into()).await;
                }
            }
            if tx.send((Instant::now(), e)).is_err() {
                return;
            }
        }
    });

    let statements_before = events::statements_executed();
    let mut latencies = Vec::with_capacity(burst.len());
    let mut batches = 0;
    let mut busy = false;
    let mut first_arrival = None;
    let mut last_commit = Instant::now();
    let mut pending: VecDeque<(Instant, StreamableEvent)> = VecDeque::new();
    while latencies.len() < burst.len() {
        let Some(first) = rx.recv().await else { break };
        first_arrival.get_or_insert(first.0);
        pending.push_back(first);
        let deadline = tokio::time::Instant::now() + eazybackup::ingest::LINGER;
        while pending.len() < eazybackup::ingest::MAX_BATCH {
            let next = if busy {
                match tokio::time::timeout_at(deadline, rx.recv()).await {
                    Ok(Some(e)) => e,
                    _ => break,
                }
            } else {
                match rx.try_recv() {
                    Ok(e) => e,
                    Err(_) => break,
                }
            };
            pending.push_back(next);
        }
        busy = pending.len() >= eazybackup::ingest::LINGER_WHEN_BATCH_REACHES;
        let (arrivals, batch_events): (Vec<Instant>, Vec<StreamableEvent>) = pending.drain(..).unzip();
        cursor.last_ts = batch_events.iter().map(|e| e.timestamp).max().unwrap_or(cursor.last_ts).max(cursor.last_ts);
        let report =
            batch::write_events(&mut ingest, &batch_events, Some(CursorWrite { source: &source, cursor: &cursor })).await?;
        let committed = report.committed_at.unwrap_or_else(Instant::now);
        last_commit = committed;
        batches += 1;
        latencies.extend(arrivals.iter().map(|a| committed.duration_since(*a).as_secs_f64() * 1000.0));
    }
    producer.await?;
    let statements = events::statements_executed() - statements_before;
    let written: i64 = with_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM eb_events").fetch_one(pool).await?);
    if written as usize != burst.len() {
        bail!("{} events replayed but {written} outbox rows written", burst.len());
    }
    latencies.sort_by(f64::total_cmp);
    let elapsed = last_commit.duration_since(first_arrival.unwrap_or(last_commit));
    Ok(Run { events: burst.len(), elapsed, statements, batches, latencies })
}
