//! `eb-bench api`: latency of every read route for a large client among many others, on MariaDB.
//!
//! 1. Seeds a fresh MariaDB database (`TEST_MYSQL_URL`, dropped afterwards): one large client
//!    (`--devices` devices, `--items` protected items, `--history` jobs of history, a day of
//!    finished jobs and some running ones, across `--services` services) and `--others` other
//!    clients with a service and a few rows of each kind, all on one Comet profile.
//! 2. Serves the customer API in-process and asks each read route as the large client, first
//!    sequentially, then from 8 concurrent callers, timing each request end to end.
//! 3. Prints p50/p95/p99, SQL statements and Comet calls per request and the answer's size, and
//!    writes `bench/results/api.json`.
//!
//! The routes are the GET paths of `/api/v1/openapi.json` when the server publishes one, else
//! [`FALLBACK_ROUTES`] (later routes add themselves there or through the document).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use comet::{AdminClient, Credentials};
use comet_sim::{SeedUser, Sim, SimConfig};
use eazybackup::api::auth::mint_token;
use eazybackup::api::comet_clients::{API_TIMEOUTS, CometClients};
use eazybackup::api::{AppState, ServerHandle};
use eazybackup::db::events;
use eazybackup::db::tenancy::ClientId;
use eazybackup::testkit::TestDb;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::figures::{self, Samples};
use crate::seed::{self, PROFILE};

const SECRET: &str = "bench-secret";
const LARGE_CLIENT: i64 = 1;
/// Service ids of the other clients start here (the large client's are 1..=services).
const OTHER_SERVICE_BASE: i64 = 1_000;
const CONCURRENCY: usize = 8;

/// The Comet username of the large client's service `s` (0-based; service id `s + 1`).
fn large_user(s: usize) -> String {
    format!("large-{s:02}")
}

/// Read routes to time when the server publishes no OpenAPI document. `{service}` is the large
/// client's first service.
pub const FALLBACK_ROUTES: &[&str] = &["/api/v1/health", "/api/v1/services", "/api/v1/pulse/snapshot"];

#[derive(clap::Args, Clone)]
pub struct ApiArgs {
    /// Other clients (one service each, with a device, items, history and a day of jobs).
    #[arg(long, default_value_t = 50_000)]
    others: usize,
    /// The large client's services (its rows are spread over them).
    #[arg(long, default_value_t = 10)]
    services: usize,
    #[arg(long, default_value_t = 1_000)]
    devices: usize,
    #[arg(long, default_value_t = 10_000)]
    items: usize,
    /// The large client's job history (`comet_jobs`).
    #[arg(long, default_value_t = 200_000)]
    history: usize,
    /// The large client's finished jobs of the last 24 h (every 20th an incident).
    #[arg(long, default_value_t = 10_000)]
    recent: usize,
    /// Timed requests per route and mode.
    #[arg(long, default_value_t = 200)]
    requests: usize,
}

pub async fn run(args: ApiArgs) -> anyhow::Result<()> {
    let test_db = TestDb::mysql().await;
    let result = measure(&test_db, &args).await;
    test_db.cleanup().await;
    result
}

async fn measure(test_db: &TestDb, args: &ApiArgs) -> anyhow::Result<()> {
    let db = test_db.db();
    let seeded = Instant::now();
    seed_all(db, args).await?;
    println!("seeded in {:.1}s (load average {:.2})", seeded.elapsed().as_secs_f64(), figures::load_average());

    // The large client's accounts in a simulated Comet server: the routes that ask Comet
    // (overview, capabilities) are timed with their real round trips over loopback.
    let mut cfg = SimConfig::for_tests();
    cfg.users = (0..args.services.max(1))
        .map(|s| SeedUser { username: large_user(s), password: "bench-pass".into(), devices: 2 })
        .collect();
    let sim = Sim::start(cfg).await?;
    let creds = sim.admin_creds();
    let comet = AdminClient::with_timeouts(
        &sim.base_url(),
        Credentials { username: creds.username, password: creds.password, ..Default::default() },
        API_TIMEOUTS,
    )?;
    let mut state = AppState::new(db.clone(), SecretString::from(SECRET.to_string()), vec!["*".into()]);
    state.comet = CometClients::from_clients([(PROFILE.to_string(), comet)]);
    let hub = state.hub.clone();
    let server = eazybackup::api::start(state, SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let base = format!("http://{}", server.addr);
    let token =
        mint_token(SECRET.as_bytes(), ClientId(LARGE_CLIENT), chrono::Utc::now().timestamp() + 3_000, "bench-api-token-0001");
    let http = reqwest::Client::builder().pool_max_idle_per_host(CONCURRENCY * 2).build()?;
    let routes = routes(&http, &base).await;

    println!(
        "{:<34} {:<6} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8} {:>6} {:>9} {:>6}",
        "route", "mode", "n", "p50 ms", "p95 ms", "p99 ms", "max ms", "stmt/rq", "comet", "bytes", "status"
    );
    let mut rows = Vec::new();
    for route in &routes {
        let url = format!("{base}{route}");
        // Warm the connection pool and the server's caches; a route that fails is reported, not timed.
        let probe = get(&http, &url, &token).await?;
        for _ in 0..10 {
            get(&http, &url, &token).await?;
        }
        for concurrency in [1, CONCURRENCY] {
            let statements_before = statement_count(&hub);
            let comet_before = comet::client::requests_sent();
            let (samples, bytes) = timed(&http, &url, &token, args.requests, concurrency).await?;
            let per_request = (statement_count(&hub) - statements_before) as f64 / samples.len() as f64;
            let comet_calls = (comet::client::requests_sent() - comet_before) as f64 / samples.len() as f64;
            let mode = if concurrency == 1 { "seq".to_string() } else { format!("{concurrency}x") };
            println!(
                "{:<34} {:<6} {:>6} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {:>6.1} {:>9} {:>6}",
                route,
                mode,
                samples.len(),
                samples.p(0.50),
                samples.p(0.95),
                samples.p(0.99),
                samples.max(),
                per_request,
                comet_calls,
                bytes,
                probe.0
            );
            rows.push(json!({
                "route": route, "mode": mode, "requests": samples.len(), "concurrency": concurrency,
                "p50_ms": samples.p(0.50), "p95_ms": samples.p(0.95), "p99_ms": samples.p(0.99), "max_ms": samples.max(),
                "statements_per_request": per_request, "comet_calls_per_request": comet_calls, "response_bytes": bytes, "status": probe.0,
            }));
        }
    }
    stop(server).await;
    sim.shutdown().await;
    let path = figures::write_results(
        "api",
        json!({
            "command": "cargo run --release -p eb-bench -- api",
            "seed": {
                "others": args.others, "services": args.services, "devices": args.devices, "items": args.items,
                "history": args.history, "recent_24h": args.recent,
            },
            "routes": rows,
        }),
    )?;
    println!("load average {:.2}; written to {}", figures::load_average(), path.display());
    Ok(())
}

async fn stop(server: ServerHandle) {
    if let Err(e) = server.stop().await {
        eprintln!("stopping the server: {e:#}");
    }
}

/// Statements run in this process (the API's reads and writes) other than the outbox poller's,
/// which the hub counts (about four a second, not the request's).
fn statement_count(hub: &eazybackup::api::sse::EventHub) -> u64 {
    (events::statements_executed() + events::pool_statements_executed()).saturating_sub(hub.figures().outbox_reads)
}

/// The GET routes of the OpenAPI document, else [`FALLBACK_ROUTES`]; the live stream is not a
/// request/response route and is measured by `eb-bench sse`.
async fn routes(http: &reqwest::Client, base: &str) -> Vec<String> {
    let doc: Option<Value> = match http.get(format!("{base}/api/v1/openapi.json")).send().await {
        Ok(r) if r.status().is_success() => r.json().await.ok(),
        _ => None,
    };
    let Some(paths) = doc.as_ref().and_then(|d| d.get("paths")).and_then(Value::as_object) else {
        println!("no OpenAPI document: timing the fallback route table");
        return FALLBACK_ROUTES.iter().map(|r| r.replace("{service}", "1")).collect();
    };
    let mut routes: Vec<String> = paths
        .iter()
        .filter(|(_, ops)| ops.get("get").is_some())
        .map(|(path, _)| if path.starts_with("/api/v1") { path.clone() } else { format!("/api/v1{path}") })
        .filter(|p| p != "/api/v1/events")
        .filter_map(|p| with_service_id(&p))
        .collect();
    routes.sort();
    // The Jobs tab's list is asked with its filters and sorts too: each takes another index path.
    if routes.iter().any(|r| r == "/api/v1/services/1/jobs") {
        routes.extend(JOB_LIST_VARIANTS.iter().map(|q| format!("/api/v1/services/1/jobs?{q}")));
    }
    println!("timing the {} GET routes of /api/v1/openapi.json", routes.len());
    routes
}

/// Query strings of the job list timed besides its default (newest first, 50 rows).
const JOB_LIST_VARIANTS: &[&str] = &[
    "status=error",
    "status=error&device_id=dev-L-00000",
    "sort=bytes&order=asc",
    "sort=duration",
    "q=Laptop%2010",
    "classification=4002",
];

/// Fills a service path parameter with the large client's first service and a device parameter
/// with its first device; routes that need any other id (a job) are left out until the bench
/// seeds one to name.
fn with_service_id(path: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}')? + open;
        let name = &rest[open + 1..close];
        // The large client's first device belongs to its first service (`seed_all`).
        let value = match name {
            "device_id" => "dev-L-00000",
            n if n == "id" || n.contains("service") => "1",
            _ => {
                println!("  skipping {path}: needs a {name}");
                return None;
            }
        };
        out.push_str(&rest[..open]);
        out.push_str(value);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// One request: status and body size.
async fn get(http: &reqwest::Client, url: &str, token: &str) -> anyhow::Result<(u16, usize)> {
    let resp = http.get(url).bearer_auth(token).send().await.with_context(|| url.to_string())?;
    let status = resp.status().as_u16();
    let body = resp.bytes().await?;
    Ok((status, body.len()))
}

/// `requests` requests spread over `concurrency` callers: per-request latency (ms) and the last
/// answer's size.
async fn timed(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    requests: usize,
    concurrency: usize,
) -> anyhow::Result<(Samples, usize)> {
    let per_caller = requests.div_ceil(concurrency);
    let url: Arc<str> = url.into();
    let token: Arc<str> = token.into();
    let mut callers = Vec::new();
    for _ in 0..concurrency {
        let (http, url, token) = (http.clone(), url.clone(), token.clone());
        callers.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(per_caller);
            let mut bytes = 0;
            for _ in 0..per_caller {
                let t = Instant::now();
                bytes = get(&http, &url, &token).await?.1;
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            Ok::<_, anyhow::Error>((times, bytes))
        }));
    }
    let mut all = Vec::with_capacity(per_caller * concurrency);
    let mut bytes = 0;
    for c in callers {
        let (times, b) = c.await??;
        all.extend(times);
        bytes = b;
    }
    Ok((Samples::new(all), bytes))
}

/// Everything, under progress bars.
async fn seed_all(db: &eazybackup::db::Db, a: &ApiArgs) -> anyhow::Result<()> {
    seed::prepare_whmcs(db).await?;
    let now = chrono::Utc::now().timestamp();
    let others = a.others;
    let other_user = |i: usize| format!("other-{i:05}");
    let services = a.services.max(1);
    // Device d of the large client belongs to service d % services; item i to device i % devices.
    let device_user = |d: usize| large_user(d % services);
    let devices = a.devices.max(1);

    let pb = seed::bar((1 + others) as u64, "tblclients");
    seed::clients(db, LARGE_CLIENT, 1 + others, &pb).await?;
    pb.finish();
    let pb = seed::bar((services + others) as u64, "tblhosting");
    seed::services(db, services + others, &pb, |i| {
        if i < services {
            (i as i64 + 1, LARGE_CLIENT, large_user(i))
        } else {
            let o = i - services;
            (OTHER_SERVICE_BASE + o as i64, LARGE_CLIENT + 1 + o as i64, other_user(o))
        }
    })
    .await?;
    pb.finish();

    let pb = seed::bar((devices + others) as u64, "comet_devices");
    seed::insert_rows(db, &pb, "comet_devices", "id, hash, client_id, username, name, profile, online", devices + others, |i| {
        if i < devices {
            format!(
                "'L{i}', 'dev-L-{i:05}', {LARGE_CLIENT}, '{}', 'Laptop {i}', '{PROFILE}', {}",
                device_user(i),
                i32::from(i % 3 == 0)
            )
        } else {
            let o = i - devices;
            format!("'O{o}', 'dev-O-{o:05}', {}, '{}', 'PC {o}', '{PROFILE}', 1", LARGE_CLIENT + 1 + o as i64, other_user(o))
        }
    })
    .await?;
    pb.finish();

    let pb = seed::bar((a.items + 2 * others) as u64, "comet_items");
    seed::insert_rows(
        db,
        &pb,
        "comet_items",
        "id, client_id, username, owner_device, name, type, profile",
        a.items + 2 * others,
        |i| {
            if i < a.items {
                let d = i % devices;
                format!(
                    "'item-L-{i:06}', {LARGE_CLIENT}, '{}', 'dev-L-{d:05}', 'Files {i}', 'engine1/file', '{PROFILE}'",
                    device_user(d)
                )
            } else {
                let o = (i - a.items) / 2;
                format!(
                    "'item-O-{i:07}', {}, '{}', 'dev-O-{o:05}', 'Files', 'engine1/file', '{PROFILE}'",
                    LARGE_CLIENT + 1 + o as i64,
                    other_user(o)
                )
            }
        },
    )
    .await?;
    pb.finish();

    let day = |ts: i64| chrono::DateTime::from_timestamp(ts, 0).unwrap_or_default().format("%Y-%m-%d %H:%M:%S").to_string();
    let pb = seed::bar((a.history + 4 * others) as u64, "comet_jobs (history)");
    seed::insert_rows(
        db,
        &pb,
        "comet_jobs",
        "id, client_id, username, comet_device_id, comet_item_id, type, status, total_bytes, started_at, ended_at, last_status_at, profile",
        a.history + 4 * others,
        |j| {
            // Sixty days of history, newest first.
            let ended = now - (j as i64 * 7) % (60 * 86_400);
            let (client, user, device, item) = if j < a.history {
                let d = j % devices;
                (LARGE_CLIENT, device_user(d), format!("L{d}"), format!("item-L-{:06}", (j / devices) % a.items.max(1)))
            } else {
                let o = (j - a.history) / 4;
                (LARGE_CLIENT + 1 + o as i64, other_user(o), format!("O{o}"), format!("item-O-{:07}", a.items + 2 * o))
            };
            let status = if j % 20 == 0 { 7003 } else { 5000 };
            format!(
                "'job-{j:08}', {client}, '{user}', '{device}', '{item}', 4001, {status}, 1048576, '{}', '{}', '{}', '{PROFILE}'",
                day(ended - 600),
                day(ended),
                day(ended)
            )
        },
    )
    .await?;
    pb.finish();

    let pb = seed::bar((a.recent + 5 * others) as u64, "eb_jobs_recent_24h");
    seed::insert_rows(
        db,
        &pb,
        "eb_jobs_recent_24h",
        "server_id, job_id, username, device, job_type, status, bytes, duration_sec, ended_at, comet_status, client_id, service_id, classification, started_at, source_guid, destination_guid",
        a.recent + 5 * others,
        |j| {
            let ended = now - 60 - (j as i64 * 3) % 86_000;
            let (client, service, user, device) = if j < a.recent {
                let d = j % devices;
                (LARGE_CLIENT, (d % services) as i64 + 1, device_user(d), format!("dev-L-{d:05}"))
            } else {
                let o = (j - a.recent) / 5;
                (LARGE_CLIENT + 1 + o as i64, OTHER_SERVICE_BASE + o as i64, other_user(o), format!("dev-O-{o:05}"))
            };
            let (class, status) = match j % 20 {
                0 => ("error", 7003),
                5 if j >= a.recent => ("warning", 7001),
                10 if j < a.recent => ("warning", 7001),
                _ => ("success", 5000),
            };
            format!(
                "'{PROFILE}', 'recent-{j:08}', '{user}', '{device}', '4001', '{class}', 1048576, 600, {ended}, {status}, {client}, {service}, 4001, {}, 'item-x', 'vault-x'",
                ended - 600
            )
        },
    )
    .await?;
    pb.finish();

    // The worker keeps `eb_jobs_hourly_counts` in step with the rows it writes; rows seeded
    // directly are counted the way a migration counts rows from before the table existed.
    seed::exec(db, &eazybackup::db::migrate::backfill_job_counts(db.dialect())).await?;

    // The activity log: the large client's writes over its services, and one of each other client.
    let audit = a.recent * 2;
    let pb = seed::bar((audit + others) as u64, "eb_audit_log");
    seed::insert_rows(
        db,
        &pb,
        "eb_audit_log",
        "client_id, service_id, profile, username, action, target, result, created_at, user_id, ip",
        audit + others,
        |i| {
            let (client, service, user) = if i < audit {
                let s = i % services;
                (LARGE_CLIENT, s as i64 + 1, large_user(s))
            } else {
                let o = i - audit;
                (LARGE_CLIENT + 1 + o as i64, OTHER_SERVICE_BASE + o as i64, other_user(o))
            };
            let result = if i % 10 == 0 { "error" } else { "ok" };
            format!(
                "{client}, {service}, '{PROFILE}', '{user}', 'incident.snooze', 'job-{i:08}', '{result}', {}, 1, '203.0.113.7'",
                now - (i as i64 * 13) % (30 * 86_400)
            )
        },
    )
    .await?;
    pb.finish();

    let running = (devices / 10).max(1);
    let pb = seed::bar((running + others / 10) as u64, "eb_jobs_live");
    seed::insert_rows(
        db,
        &pb,
        "eb_jobs_live",
        "server_id, job_id, username, device, job_type, started_at, last_update, status, client_id, service_id, classification, source_guid",
        running + others / 10,
        |j| {
            let (client, service, user, device) = if j < running {
                let d = j * 10 % devices;
                (LARGE_CLIENT, (d % services) as i64 + 1, device_user(d), format!("dev-L-{d:05}"))
            } else {
                let o = (j - running) * 10;
                (LARGE_CLIENT + 1 + o as i64, OTHER_SERVICE_BASE + o as i64, other_user(o), format!("dev-O-{o:05}"))
            };
            format!("'{PROFILE}', 'live-{j:07}', '{user}', '{device}', '4001', {}, {now}, 6001, {client}, {service}, 4001, 'item-x'", now - 300)
        },
    )
    .await?;
    pb.finish();

    // WHMCS's own tblhosting keys that the shared subset (SQL both backends accept) cannot write:
    // the ownership rule's lookup of other services by username depends on it.
    seed::exec(db, "CREATE INDEX username ON tblhosting (username(8))").await?;
    seed::exec(db, "CREATE INDEX domainstatus ON tblhosting (domainstatus)").await?;
    // Fresh statistics, as a long-running server would have.
    for table in [
        "tblhosting",
        "comet_devices",
        "comet_items",
        "comet_jobs",
        "eb_jobs_recent_24h",
        "eb_jobs_hourly_counts",
        "eb_jobs_live",
        "eb_audit_log",
    ] {
        seed::exec(db, &format!("ANALYZE TABLE {table}")).await?;
    }
    Ok(())
}
