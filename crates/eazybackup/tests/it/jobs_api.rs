//! The Jobs tab's routes against the simulator, on SQLite and MariaDB: the list's filters, search
//! (with `%` and `_` matched literally), sorts and keyset pages (stable across ties), another
//! client's job refused, a job Comet knows but our tables do not yet, the log (severity, text, first
//! error, download) and a cancel that reaches the simulator.

use std::net::SocketAddr;
use std::time::Duration;

use comet_sim::StartJob;
use eazybackup::api::comet_clients::CometClients;
use eazybackup::api::{AppState, ServerHandle};
use eazybackup::both_backends;
use eazybackup::db::Db;
use eazybackup::with_pool;
use reqwest::Method;
use secrecy::SecretString;
use serde_json::Value;

use crate::api::{SECRET, get, token};
use crate::http::call;
use crate::jobs::{ALICE, BOB, seed_two_clients};
use crate::overview::{admin, start_sim};

async fn exec(db: &Db, sql: &str) {
    with_pool!(db, pool => sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(pool).await.map(|_| ())).expect(sql);
}

async fn serve(db: &Db, comet: comet::AdminClient) -> (String, ServerHandle) {
    let mut state = AppState::new(db.clone(), SecretString::from(SECRET.to_string()), vec!["*".into()]);
    state.comet = CometClients::from_clients([("eazybackup".to_string(), comet)]);
    let handle = eazybackup::api::start(state, SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("serve starts");
    (format!("http://{}", handle.addr), handle)
}

/// `YYYY-MM-DD HH:MM:SS` of a unix time (both backends take it for a TIMESTAMP column).
fn ts(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0).unwrap().format("%Y-%m-%d %H:%M:%S").to_string()
}

const T0: i64 = 1_790_000_000;

/// acme-dental (service 101): devices dev-1 "Front desk" and dev-2 "Back office", items
/// "100%_Docs" and "100xxDocs" (a search for `100%_` must find only the first), a vault; 40 jobs,
/// pairs of them starting in the same second. Bob's brown-acct has one job of the same device id.
async fn seed(db: &Db) {
    for sql in [
        "INSERT INTO comet_devices (id, hash, profile, username, name, is_active, online) VALUES
           ('h1', 'dev-1', 'eazybackup', 'acme-dental', 'Front desk', 1, 1),
           ('h2', 'dev-2', 'eazybackup', 'acme-dental', 'Back office', 1, 0),
           ('hb', 'dev-1', 'eazybackup', 'brown-acct', 'Not yours', 1, 1)",
        "INSERT INTO comet_items (id, profile, username, name) VALUES
           ('item-pct', 'eazybackup', 'acme-dental', '100%_Docs'),
           ('item-xx', 'eazybackup', 'acme-dental', '100xxDocs'),
           ('item-b', 'eazybackup', 'brown-acct', 'Bob docs')",
        "INSERT INTO comet_vaults (id, profile, username, name, is_active) VALUES
           ('vault-1', 'eazybackup', 'acme-dental', 'Cloud', 1)",
    ] {
        exec(db, sql).await;
    }
    let mut values = Vec::new();
    for n in 0..40i64 {
        let (device, item) = if n % 2 == 0 { ("h1", "item-pct") } else { ("h2", "item-xx") };
        let status = match n % 4 {
            0 => 5000,
            1 => 7002,
            2 => 7003,
            _ => 7001,
        };
        let started = T0 + (n / 2) * 600; // two jobs per start second
        let ended = started + 60 + n * 7;
        values.push(format!(
            "('job-{n:02}', 'eazybackup', '{{}}', 1, 'acme-dental', 'vault-1', '{device}', '{item}', 4001, {status}, {bytes}, {files}, 0, {up}, 0, '{s}', '{e}')",
            bytes = (n * 7919) % 1000,
            files = n,
            up = n * 10,
            s = ts(started),
            e = ts(ended),
        ));
    }
    values.push(format!(
        "('job-bob', 'eazybackup', '{{}}', 2, 'brown-acct', 'vault-b', 'hb', 'item-b', 4001, 7002, 1, 1, 0, 1, 0, '{}', '{}')",
        ts(T0),
        ts(T0 + 60)
    ));
    let sql = format!(
        "INSERT INTO comet_jobs (id, profile, content, client_id, username, comet_vault_id, comet_device_id, comet_item_id, type, status, \
         total_bytes, total_files, total_directories, upload_bytes, download_bytes, started_at, ended_at) VALUES {}",
        values.join(", ")
    );
    exec(db, &sql).await;
}

fn ids(page: &Value) -> Vec<String> {
    page["jobs"].as_array().unwrap().iter().map(|j| j["job_id"].as_str().unwrap().to_string()).collect()
}

/// Every page of `query` at `limit` rows, followed through `next_cursor`.
async fn all_pages(base: &str, query: &str, limit: u32) -> Vec<String> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let mut path = format!("/api/v1/services/101/jobs?{query}&limit={limit}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={}", urlencoding(c)));
        }
        let (status, page) = get(base, &path, Some(&token(ALICE))).await;
        assert_eq!(status, 200, "{path}: {page}");
        assert_eq!(page["filters"].is_object(), cursor.is_none(), "filters on the first page only");
        out.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return out,
        }
    }
    panic!("paging did not end");
}

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

both_backends!(the_job_list_filters_searches_sorts_and_pages, |db| async move {
    seed_two_clients(db).await;
    seed(db).await;
    let sim = start_sim().await;
    let (base, server) = serve(db, admin(&sim.base_url(), &sim)).await;
    let alice = token(ALICE);

    // Everything, newest first; ties broken by id, Bob's job absent.
    let (status, page) = get(&base, "/api/v1/services/101/jobs?limit=200", Some(&alice)).await;
    assert_eq!(status, 200, "{page}");
    let every = ids(&page);
    assert_eq!(every.len(), 40, "{every:?}");
    assert!(!every.contains(&"job-bob".to_string()));
    assert_eq!(&every[..2], ["job-39", "job-38"], "same start second: id descending");
    assert!(page["next_cursor"].is_null());
    let first = &page["jobs"][0];
    assert_eq!(first["status_class"], "warning");
    assert_eq!(first["status_label"], "Warning");
    assert_eq!(first["classification_label"], "Backup");
    assert_eq!(first["device_name"], "Back office");
    assert_eq!(first["device_id"], "dev-2");
    assert_eq!(first["item_name"], "100xxDocs");
    assert_eq!(first["vault_name"], "Cloud");
    assert_eq!(first["duration_secs"], 60 + 39 * 7);
    let filters = &page["filters"];
    assert_eq!(filters["devices"].as_array().unwrap().len(), 2, "{filters}");
    assert!(filters["status_classes"].as_array().unwrap().iter().any(|c| c == "missed"));

    // Pages of 7 (ties across page ends included) give the same rows in the same order.
    assert_eq!(all_pages(&base, "", 7).await, every);
    // Sorted by bytes ascending, then by duration: each page sequence is the one-page order.
    for sort in ["sort=bytes&order=asc", "sort=duration", "sort=started&order=asc"] {
        let (_, one) = get(&base, &format!("/api/v1/services/101/jobs?{sort}&limit=200"), Some(&alice)).await;
        let paged = all_pages(&base, sort, 6).await;
        assert_eq!(paged, ids(&one), "{sort}");
        assert_eq!(paged.len(), 40, "{sort}");
    }
    let (_, by_bytes) = get(&base, "/api/v1/services/101/jobs?sort=bytes&order=asc&limit=200", Some(&alice)).await;
    let bytes: Vec<i64> = by_bytes["jobs"].as_array().unwrap().iter().map(|j| j["total_bytes"].as_i64().unwrap()).collect();
    assert!(bytes.windows(2).all(|w| w[0] <= w[1]), "{bytes:?}");

    // Failures (error class: 7002 and 7003) on one device.
    let (_, failures) = get(&base, "/api/v1/services/101/jobs?status=error&device_id=dev-1&limit=200", Some(&alice)).await;
    let rows = failures["jobs"].as_array().unwrap();
    assert_eq!(rows.len(), 10, "{failures}");
    assert!(rows.iter().all(|j| j["status_class"] == "error" && j["device_id"] == "dev-1" && j["status"] == 7003));
    let (_, two) = get(&base, "/api/v1/services/101/jobs?status=error,warning&limit=200", Some(&alice)).await;
    assert_eq!(ids(&two).len(), 30);
    let (_, by_item) = get(&base, "/api/v1/services/101/jobs?item_id=item-xx&vault_id=vault-1&limit=200", Some(&alice)).await;
    assert_eq!(ids(&by_item).len(), 20);
    // Date range: the first hour holds jobs 00–11 (six start seconds, two jobs each).
    let (_, range) = get(&base, &format!("/api/v1/services/101/jobs?from={T0}&to={}&limit=200", T0 + 3600), Some(&alice)).await;
    assert_eq!(ids(&range).len(), 12, "{range}");
    let (_, kind) = get(&base, "/api/v1/services/101/jobs?classification=4002", Some(&alice)).await;
    assert_eq!(ids(&kind).len(), 0);

    // Search is literal: `100%_` is the one item's name, not a pattern matching both.
    let (_, found) = get(&base, "/api/v1/services/101/jobs?q=100%25_&limit=200", Some(&alice)).await;
    let found = found["jobs"].as_array().unwrap();
    assert_eq!(found.len(), 20);
    assert!(found.iter().all(|j| j["item_name"] == "100%_Docs"));
    let (_, by_device) = get(&base, "/api/v1/services/101/jobs?q=front&limit=200", Some(&alice)).await;
    assert_eq!(ids(&by_device).len(), 20, "device names match without case");
    let (_, none) = get(&base, "/api/v1/services/101/jobs?q=_&limit=200", Some(&alice)).await;
    assert_eq!(ids(&none).len(), 20, "only the name holding a literal underscore");

    // Bad values are refused with the field named.
    for (q, field) in [
        ("status=bogus", "status"),
        ("sort=name", "sort"),
        ("order=up", "order"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("cursor=bytes.d.1.job-01", "cursor"),
        ("classification=x", "classification"),
    ] {
        let (status, body) = get(&base, &format!("/api/v1/services/101/jobs?{q}"), Some(&alice)).await;
        assert_eq!((status, body["error"]["field"].as_str()), (422, Some(field)), "{q}: {body}");
    }

    // Another client's job, on this client's service or through its own: 404 every time.
    for path in [
        "/api/v1/services/101/jobs/job-bob",
        "/api/v1/services/101/jobs/job-bob/log",
        "/api/v1/services/101/jobs/job-bob/log.txt",
    ] {
        let (status, body) = get(&base, path, Some(&alice)).await;
        assert_eq!(status, 404, "{path}: {body}");
    }
    let cancel = call(&Method::POST, &format!("{base}/api/v1/services/101/jobs/job-bob/cancel"), Some(&alice), None).await;
    assert_eq!(cancel.status, 404);
    let (status, _) = get(&base, "/api/v1/services/201/jobs/job-01", Some(&token(BOB))).await;
    assert_eq!(status, 404, "Alice's job through Bob's service");
    let (status, bob_list) = get(&base, "/api/v1/services/201/jobs", Some(&token(BOB))).await;
    assert_eq!((status, ids(&bob_list)), (200, vec!["job-bob".to_string()]));

    // A stored finished job: detail from our tables; a cancel leaves it be.
    let (status, detail) = get(&base, "/api/v1/services/101/jobs/job-01", Some(&alice)).await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!((detail["job"]["status"].as_i64(), detail["cancellable"].as_bool()), (Some(7002), Some(false)));
    let cancel = call(&Method::POST, &format!("{base}/api/v1/services/101/jobs/job-01/cancel"), Some(&alice), None).await;
    assert_eq!((cancel.status, cancel.body["state"].as_str()), (200, Some("already_finished")), "{}", cancel.body);
    // The simulator never held it: its log is said to be gone, not an error.
    let (status, log) = get(&base, "/api/v1/services/101/jobs/job-01/log", Some(&alice)).await;
    assert_eq!((status, log["available"].as_bool()), (200, Some(false)), "{log}");

    server.stop().await.unwrap();
    sim.shutdown().await;
});

async fn wait_for(mut done: impl FnMut() -> bool, what: &str) {
    for _ in 0..200 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

both_backends!(logs_details_and_cancel_go_to_comet_for_the_accounts_own_jobs, |db| async move {
    seed_two_clients(db).await;
    let sim = start_sim().await;
    let (base, server) = serve(db, admin(&sim.base_url(), &sim)).await;
    let alice = token(ALICE);

    // A failed job Comet knows and our tables do not (the worker is not running here).
    let failed = sim.start_job(StartJob::new("acme-dental", 0.2, 7002)).unwrap();
    wait_for(|| sim.core().job(&failed).is_some_and(|j| j.status == 7002), "the failed job to end").await;
    let (status, detail) = get(&base, &format!("/api/v1/services/101/jobs/{failed}"), Some(&alice)).await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!((detail["job"]["status_class"].as_str(), detail["cancellable"].as_bool()), (Some("error"), Some(false)));

    let (status, log) = get(&base, &format!("/api/v1/services/101/jobs/{failed}/log"), Some(&alice)).await;
    assert_eq!(status, 200, "{log}");
    let entries = log["entries"].as_array().unwrap();
    assert!(entries.len() >= 2, "{log}");
    let first_error = log["first_error"].as_u64().unwrap() as usize;
    assert_eq!(entries[first_error]["severity"], "E");
    assert!(entries[..first_error].iter().all(|e| e["severity"] != "E"));
    let (_, errors) = get(&base, &format!("/api/v1/services/101/jobs/{failed}/log?severity=E"), Some(&alice)).await;
    let errors = errors["entries"].as_array().unwrap();
    assert!(!errors.is_empty() && errors.iter().all(|e| e["severity"] == "E"), "{errors:?}");
    let (_, searched) = get(&base, &format!("/api/v1/services/101/jobs/{failed}/log?q=Starting"), Some(&alice)).await;
    let searched = searched["entries"].as_array().unwrap();
    assert_eq!(searched.len(), 1, "{searched:?}");
    let (status, bad) = get(&base, &format!("/api/v1/services/101/jobs/{failed}/log?severity=X"), Some(&alice)).await;
    assert_eq!((status, bad["error"]["field"].as_str()), (422, Some("severity")));

    let resp = reqwest::Client::new()
        .get(format!("{base}/api/v1/services/101/jobs/{failed}/log.txt"))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let disposition = resp.headers()["content-disposition"].to_str().unwrap().to_string();
    assert_eq!(disposition, format!("attachment; filename=\"job-{failed}.log\""));
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let text = resp.text().await.unwrap();
    assert!(text.contains("Starting") && text.contains("failed"), "{text}");

    // Bob's account cannot see Alice's Comet job through his service.
    let (status, _) = get(&base, &format!("/api/v1/services/201/jobs/{failed}"), Some(&token(BOB))).await;
    assert_eq!(status, 404);
    let (status, _) = get(&base, &format!("/api/v1/services/201/jobs/{failed}/log"), Some(&token(BOB))).await;
    assert_eq!(status, 404);

    // A running job: live progress, then a cancel that reaches the simulator's device.
    let running = sim.start_job(StartJob::new("acme-dental", 3600.0, 5000)).unwrap();
    let device = sim.core().job(&running).unwrap().device_id;
    sim.set_device_online(&device, true).unwrap();
    let (status, detail) = get(&base, &format!("/api/v1/services/101/jobs/{running}"), Some(&alice)).await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!((detail["job"]["status_class"].as_str(), detail["cancellable"].as_bool()), (Some("running"), Some(true)));
    assert!(detail["job"]["bytes_done"].is_i64() && detail["items_total"].is_i64(), "{detail}");
    let cancel = call(&Method::POST, &format!("{base}/api/v1/services/101/jobs/{running}/cancel"), Some(&alice), None).await;
    assert_eq!((cancel.status, cancel.body["state"].as_str()), (200, Some("cancel_requested")), "{}", cancel.body);
    let log = sim.core().job_log(&running).unwrap();
    assert!(log.iter().any(|(_, _, m)| m.contains("Cancellation requested")), "{log:?}");
    let audit: Vec<(String, String)> =
        with_pool!(db, pool => sqlx::query_as("SELECT action, result FROM eb_audit_log ORDER BY id").fetch_all(pool).await)
            .unwrap();
    assert_eq!(audit.last().unwrap(), &("jobs.cancel".to_string(), "ok".to_string()));

    server.stop().await.unwrap();
    sim.shutdown().await;
});
