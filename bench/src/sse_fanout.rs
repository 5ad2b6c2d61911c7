//! `eb-bench sse`: live-stream fan-out of one `serve` process.
//!
//! 1. Seeds a fresh MariaDB database (`TEST_MYSQL_URL`, dropped afterwards) with clients that own
//!    one Comet account each, and starts the customer API as a child process (this binary's
//!    hidden `sse-server` command), so its CPU time and resident memory are its own.
//! 2. For each subscriber count (`--subscribers`, default 1,000 and 10,000): opens that many
//!    `GET /api/v1/events` streams over loopback, [`STREAMS_PER_CLIENT`] per client; then for each
//!    rate (`--rates`, default 1,000 and 10,000 events/s) appends outbox rows for `--seconds`,
//!    spread round-robin over the connected clients, each stamped with its insert time; then
//!    closes every stream.
//! 3. Reports per phase: event→subscriber latency (insert to receipt) p50/p99/max, deliveries
//!    missing, the server's CPU per event and share of a core, its statements per second (poller
//!    reads, replay pages, access re-checks, from `GET /api/v1/health`), lag recoveries, and its
//!    resident memory before, per subscriber, and after the streams closed. Writes
//!    `bench/results/sse.json`.

use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use eazybackup::api::auth::mint_token;
use eazybackup::api::sse::HubFigures;
use eazybackup::db::tenancy::ClientId;
use eazybackup::db::{Db, DbUrl};
use eazybackup::testkit::TestDb;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

use crate::figures::{self, Samples};
use crate::seed::{self, PROFILE};

const SECRET: &str = "bench-secret";
/// Two tabs per client: an event reaches two streams, so deliveries = 2 × events.
const STREAMS_PER_CLIENT: usize = 2;
/// Streams being opened at once.
const CONNECTING_AT_ONCE: usize = 200;
/// Outbox INSERTs per second of the event writer (rows per INSERT = rate / this).
const INSERTS_PER_SECOND: u64 = 100;
/// How long deliveries may trail the last insert before the phase is counted.
const DRAIN: Duration = Duration::from_secs(2);

#[derive(clap::Args, Clone)]
pub struct SseArgs {
    /// Subscriber counts, one round each.
    #[arg(long, value_delimiter = ',', default_values_t = [1_000usize, 10_000])]
    subscribers: Vec<usize>,
    /// Event rates per second, one phase each per round.
    #[arg(long, value_delimiter = ',', default_values_t = [1_000u64, 10_000])]
    rates: Vec<u64>,
    /// Length of each phase.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
}

#[derive(clap::Args, Clone)]
pub struct ServerArgs {
    #[arg(long)]
    dsn: String,
    #[arg(long)]
    secret: String,
}

/// The child: the customer API on an OS-chosen loopback port, announced on stdout, until stdin
/// closes (the parent went away) or it is killed. Warnings (lag recoveries) go to stderr.
pub async fn serve(args: ServerArgs) -> anyhow::Result<()> {
    tracing_subscriber::fmt().with_writer(std::io::stderr).with_env_filter("warn").init();
    let url = DbUrl::parse(&args.dsn, None, None)?;
    let db = Db::connect(&url).await?;
    let state = eazybackup::api::AppState::new(db, secrecy::SecretString::from(args.secret), vec!["*".into()]);
    let handle = eazybackup::api::start(state, std::net::SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    println!("listening {}", handle.addr);
    // Blocks a thread of its own until the parent closes our stdin (or exits).
    let _ = tokio::task::spawn_blocking(|| std::io::Read::read_to_end(&mut std::io::stdin(), &mut Vec::new())).await;
    handle.stop().await
}

pub async fn run(args: SseArgs) -> anyhow::Result<()> {
    let test_db = TestDb::mysql().await;
    let result = measure(&test_db, &args).await;
    test_db.cleanup().await;
    result
}

/// The `serve` child and how to reach it.
struct Server {
    child: tokio::process::Child,
    pid: u32,
    addr: String,
    http: reqwest::Client,
    log: std::path::PathBuf,
}

impl Server {
    async fn start(dsn: &str) -> anyhow::Result<Server> {
        let log = std::env::temp_dir().join(format!("eb-bench-sse-{}.log", std::process::id()));
        let mut child = tokio::process::Command::new(std::env::current_exe()?)
            .args(["sse-server", "--dsn", dsn, "--secret", SECRET])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log)?)
            .kill_on_drop(true)
            .spawn()
            .context("starting the serve child")?;
        let pid = child.id().context("child pid")?;
        let stdout = child.stdout.take().context("child stdout")?;
        let mut line = String::new();
        tokio::time::timeout(Duration::from_secs(30), BufReader::new(stdout).read_line(&mut line))
            .await
            .context("serve child did not start")??;
        let addr = line.trim().strip_prefix("listening ").context("serve child said something else")?.to_string();
        Ok(Server { child, pid, addr, http: reqwest::Client::new(), log })
    }

    async fn figures(&self) -> anyhow::Result<HubFigures> {
        let health: Value = self.http.get(format!("http://{}/api/v1/health", self.addr)).send().await?.json().await?;
        let s = &health["streams"];
        let n = |k: &str| s[k].as_u64().unwrap_or(0);
        Ok(HubFigures {
            clients: n("clients") as usize,
            streams: n("streams") as usize,
            published: n("published"),
            lag_recoveries: n("lag_recoveries"),
            outbox_reads: n("outbox_reads"),
        })
    }

    fn rss_mb(&self) -> f64 {
        figures::rss_bytes(self.pid).map(|b| b as f64 / 1_048_576.0).unwrap_or(0.0)
    }

    /// Lines of the child's log that report a stream falling behind.
    fn lag_lines(&self) -> usize {
        std::fs::read_to_string(&self.log).map(|s| s.lines().filter(|l| l.contains("fell behind")).count()).unwrap_or(0)
    }

    async fn stop(mut self) {
        drop(self.child.stdin.take());
        if tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await.is_err() {
            let _ = self.child.kill().await;
        }
        let _ = std::fs::remove_file(&self.log);
    }
}

/// Receipts of the current phase: latency samples and a count.
#[derive(Default)]
struct Receipts {
    phase: AtomicU64,
    latencies_ms: Mutex<Vec<f64>>,
    received: AtomicU64,
}

async fn measure(test_db: &TestDb, args: &SseArgs) -> anyhow::Result<()> {
    let db = test_db.db();
    let max_subs = args.subscribers.iter().copied().max().unwrap_or(0);
    let clients = max_subs.div_ceil(STREAMS_PER_CLIENT);
    seed::prepare_whmcs(db).await?;
    let pb = seed::bar(clients as u64, "tblclients");
    seed::clients(db, 1, clients, &pb).await?;
    pb.finish();
    let pb = seed::bar(clients as u64, "tblhosting");
    seed::services(db, clients, &pb, |i| (i as i64 + 1, i as i64 + 1, username(i as i64 + 1))).await?;
    pb.finish();
    // WHMCS's own username key (see `eb-bench api`): opening a stream resolves the client's accounts.
    seed::exec(db, "CREATE INDEX username ON tblhosting (username(8))").await?;

    let server = Server::start(&dsn(db).await?).await?;
    println!("serve child pid {} on {}, load average {:.2}", server.pid, server.addr, figures::load_average());
    println!(
        "{:>6} {:>7} {:>8} {:>9} {:>8} {:>8} {:>8} {:>7} {:>9} {:>6} {:>7} {:>5}",
        "subs", "ev/s", "events", "delivered", "p50 ms", "p99 ms", "max ms", "cpu %", "cpu us/ev", "stmt/s", "lagged", "load"
    );
    let receipts = Arc::new(Receipts::default());
    let mut rounds = Vec::new();
    for &subs in &args.subscribers {
        let rss_before = server.rss_mb();
        let streams = connect_all(&server.addr, subs, &receipts).await?;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let rss_connected = server.rss_mb();
        let connected = server.figures().await?;
        let round_clients = subs.div_ceil(STREAMS_PER_CLIENT);
        let mut phases = Vec::new();
        for &rate in &args.rates {
            let p = phase(db, &server, &receipts, round_clients, rate, args.seconds).await?;
            println!(
                "{:>6} {:>7} {:>8} {:>9} {:>8.1} {:>8.1} {:>8.1} {:>7.1} {:>9.1} {:>6.1} {:>7} {:>5.2}",
                subs,
                rate,
                p["events"].as_u64().unwrap_or(0),
                p["delivered"].as_u64().unwrap_or(0),
                p["p50_ms"].as_f64().unwrap_or(0.0),
                p["p99_ms"].as_f64().unwrap_or(0.0),
                p["max_ms"].as_f64().unwrap_or(0.0),
                p["cpu_percent_of_a_core"].as_f64().unwrap_or(0.0),
                p["cpu_us_per_event"].as_f64().unwrap_or(0.0),
                p["statements_per_second"].as_f64().unwrap_or(0.0),
                p["lag_recoveries"].as_u64().unwrap_or(0),
                p["load_average"].as_f64().unwrap_or(0.0),
            );
            phases.push(p);
        }
        for s in streams {
            s.abort();
        }
        tokio::time::sleep(Duration::from_secs(3)).await;
        let after = server.figures().await?;
        let rss_after = server.rss_mb();
        let per_sub_kb = (rss_connected - rss_before) * 1024.0 / subs as f64;
        println!(
            "  {subs} streams: RSS {rss_before:.1} MB before, {rss_connected:.1} MB connected ({per_sub_kb:.1} kB per stream, {} clients held), \
             {rss_after:.1} MB after they closed ({} streams, {} clients still held)",
            connected.clients, after.streams, after.clients
        );
        rounds.push(json!({
            "subscribers": subs, "streams_open": connected.streams, "clients_held": connected.clients,
            "rss_mb_before": rss_before, "rss_mb_connected": rss_connected, "rss_kb_per_subscriber": per_sub_kb,
            "rss_mb_after_close": rss_after, "streams_after_close": after.streams, "clients_after_close": after.clients,
            "phases": phases,
        }));
    }
    let lag_lines = server.lag_lines();
    println!("lag recoveries logged by the server: {lag_lines}");
    server.stop().await;
    let path = figures::write_results(
        "sse",
        json!({
            "command": "cargo run --release -p eb-bench -- sse",
            "streams_per_client": STREAMS_PER_CLIENT,
            "seconds_per_phase": args.seconds,
            "lag_recoveries_logged": lag_lines,
            "rounds": rounds,
        }),
    )?;
    println!("load average {:.2}; written to {}", figures::load_average(), path.display());
    Ok(())
}

fn username(client: i64) -> String {
    format!("sub-{client:05}")
}

/// This database's URL for the child (`TEST_MYSQL_URL` plus the database name).
async fn dsn(db: &Db) -> anyhow::Result<String> {
    let name: String = eazybackup::with_pool!(db, pool => sqlx::query_scalar("SELECT DATABASE()").fetch_one(pool).await?);
    let server = std::env::var("TEST_MYSQL_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/".to_string());
    Ok(format!("{}/{name}", server.trim_end_matches('/')))
}

/// Opens `subs` streams, [`STREAMS_PER_CLIENT`] per client; each then records what it receives.
async fn connect_all(addr: &str, subs: usize, receipts: &Arc<Receipts>) -> anyhow::Result<Vec<tokio::task::JoinHandle<()>>> {
    let gate = Arc::new(Semaphore::new(CONNECTING_AT_ONCE));
    let pb = seed::bar(subs as u64, "opening streams");
    let mut opening = Vec::with_capacity(subs);
    let expires = chrono::Utc::now().timestamp() + 1_800;
    for s in 0..subs {
        let client = (s / STREAMS_PER_CLIENT) as i64 + 1;
        let token = mint_token(SECRET.as_bytes(), ClientId(client), expires, &format!("bench{s:011}"));
        let (addr, gate, pb) = (addr.to_string(), gate.clone(), pb.clone());
        opening.push(tokio::spawn(async move {
            let _slot = gate.acquire_owned().await?;
            let stream = open_stream(&addr, &token).await;
            pb.inc(1);
            stream
        }));
    }
    let mut streams = Vec::with_capacity(subs);
    for o in opening {
        let reader = o.await??;
        let receipts = receipts.clone();
        streams.push(tokio::spawn(read_events(reader, receipts)));
    }
    pb.finish();
    Ok(streams)
}

/// `GET /api/v1/events` on a raw connection, answered 200 and headers read.
async fn open_stream(addr: &str, token: &str) -> anyhow::Result<BufReader<TcpStream>> {
    let mut tcp = TcpStream::connect(addr).await.with_context(|| format!("connecting to {addr}"))?;
    tcp.write_all(
        format!("GET /api/v1/events?token={token} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n").as_bytes(),
    )
    .await?;
    let mut reader = BufReader::with_capacity(4096, tcp);
    let mut status = String::new();
    reader.read_line(&mut status).await?;
    if !status.contains(" 200 ") {
        bail!("stream refused: {}", status.trim());
    }
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).await? == 0 || header == "\r\n" {
            break;
        }
    }
    Ok(reader)
}

/// Reads SSE lines (chunk-size lines of the chunked body are skipped: they are not `data:`
/// lines, and each event is written as one chunk) and records each event of the current phase.
async fn read_events(mut reader: BufReader<TcpStream>, receipts: Arc<Receipts>) {
    let mut line = String::new();
    loop {
        line.clear();
        match reader.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let Some(data) = line.strip_prefix("data:") else { continue };
        let now = micros_now();
        let Ok(payload) = serde_json::from_str::<Value>(data.trim()) else { continue };
        let (Some(t), Some(p)) = (payload["t"].as_u64(), payload["p"].as_u64()) else { continue };
        if p != receipts.phase.load(Ordering::Relaxed) {
            continue;
        }
        receipts.received.fetch_add(1, Ordering::Relaxed);
        let ms = now.saturating_sub(t) as f64 / 1000.0;
        receipts.latencies_ms.lock().unwrap_or_else(|e| e.into_inner()).push(ms);
    }
}

fn micros_now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp_micros()).unwrap_or(0)
}

/// One phase: `rate` events/s for `seconds` over clients `1..=clients`, then the figures.
async fn phase(db: &Db, server: &Server, receipts: &Receipts, clients: usize, rate: u64, seconds: u64) -> anyhow::Result<Value> {
    let phase = receipts.phase.fetch_add(1, Ordering::Relaxed) + 1;
    receipts.received.store(0, Ordering::Relaxed);
    receipts.latencies_ms.lock().unwrap_or_else(|e| e.into_inner()).clear();
    let before = server.figures().await?;
    let cpu_before = figures::cpu_seconds(server.pid)?;
    let started = Instant::now();
    let events = write_events(db, phase, clients, rate, seconds).await?;
    tokio::time::sleep(DRAIN).await;
    let wall = started.elapsed().as_secs_f64();
    let cpu = figures::cpu_seconds(server.pid)? - cpu_before;
    let after = server.figures().await?;
    let samples = Samples::new(std::mem::take(&mut *receipts.latencies_ms.lock().unwrap_or_else(|e| e.into_inner())));
    let expected = events * STREAMS_PER_CLIENT as u64;
    Ok(json!({
        "rate": rate, "events": events, "expected_deliveries": expected,
        "delivered": receipts.received.load(Ordering::Relaxed),
        "p50_ms": samples.p(0.50), "p99_ms": samples.p(0.99), "max_ms": samples.max(),
        "cpu_seconds": cpu, "cpu_percent_of_a_core": cpu / wall * 100.0,
        "cpu_us_per_event": if events > 0 { cpu * 1e6 / events as f64 } else { 0.0 },
        "statements_per_second": (after.outbox_reads - before.outbox_reads) as f64 / wall,
        "lag_recoveries": after.lag_recoveries - before.lag_recoveries,
        "load_average": figures::load_average(),
    }))
}

/// Appends `rate × seconds` outbox rows, [`INSERTS_PER_SECOND`] multi-row INSERTs a second, each
/// row for the next client round-robin and stamped with the time of its INSERT.
async fn write_events(db: &Db, phase: u64, clients: usize, rate: u64, seconds: u64) -> anyhow::Result<u64> {
    let per_insert = (rate / INSERTS_PER_SECOND).max(1);
    let inserts = seconds * INSERTS_PER_SECOND;
    let start = Instant::now();
    let mut next_client = 0usize;
    let mut written = 0;
    for i in 0..inserts {
        let due = start + Duration::from_secs_f64(i as f64 / INSERTS_PER_SECOND as f64);
        tokio::time::sleep_until(due.into()).await;
        let t = micros_now();
        let created = chrono::Utc::now().timestamp();
        let mut sql = String::from("INSERT INTO eb_events (client_id, profile, username, kind, payload, created_at) VALUES ");
        for r in 0..per_insert {
            let client = (next_client % clients) as i64 + 1;
            next_client += 1;
            if r > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "({client}, '{PROFILE}', '{}', 'job:progress', '{{\"t\":{t},\"p\":{phase}}}', {created})",
                username(client)
            ));
        }
        seed::exec(db, &sql).await?;
        written += per_insert;
    }
    Ok(written)
}
