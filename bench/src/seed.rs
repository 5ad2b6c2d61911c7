//! Seeding for the `api` and `sse` benchmarks: the WHMCS rows that make clients own Comet
//! accounts, and the worker's tables, written with multi-row INSERTs under a progress bar.
//!
//! Every value is generated here (ASCII ids and numbers), so rows are rendered as SQL literals:
//! one statement per [`ROWS_PER_INSERT`] rows, no per-row round trip.

use anyhow::Context;
use eazybackup::db::Db;
use eazybackup::with_pool;
use indicatif::{ProgressBar, ProgressStyle};

/// The Comet server (profile) every seeded account lives on: one profile, so other tenants' rows
/// share every `server_id`/`profile` key prefix with the measured client's.
pub const PROFILE: &str = "eazybackup";
/// The WHMCS product id of the Comet product.
const PRODUCT: i64 = 1;
const ROWS_PER_INSERT: usize = 2_000;

/// A progress bar for `total` rows of one table.
pub fn bar(total: u64, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(total);
    pb.set_style(
        ProgressStyle::with_template("{msg:<28} [{bar:30}] {pos:>9}/{len:<9} {per_sec:>12} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_message(what.to_string());
    pb
}

/// Inserts `count` rows into `table` (`columns` in order), row `i` rendered by `row(i)` as the
/// inside of a `VALUES (…)` tuple, `ROWS_PER_INSERT` per statement, advancing `pb`.
pub async fn insert_rows(
    db: &Db,
    pb: &ProgressBar,
    table: &str,
    columns: &str,
    count: usize,
    row: impl Fn(usize) -> String,
) -> anyhow::Result<()> {
    let mut start = 0;
    while start < count {
        let end = (start + ROWS_PER_INSERT).min(count);
        let mut sql = format!("INSERT INTO {table} ({columns}) VALUES ");
        for i in start..end {
            if i > start {
                sql.push(',');
            }
            sql.push('(');
            sql.push_str(&row(i));
            sql.push(')');
        }
        with_pool!(db, pool => sqlx::query(sqlx::AssertSqlSafe(sql)).execute(pool).await.map(|_| ()))
            .with_context(|| format!("inserting into {table}"))?;
        pb.inc((end - start) as u64);
        start = end;
    }
    Ok(())
}

/// Runs one statement of ours.
pub async fn exec(db: &Db, sql: &str) -> anyhow::Result<()> {
    with_pool!(db, pool => sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(pool).await.map(|_| ()))
        .with_context(|| sql.to_string())?;
    Ok(())
}

/// The schema, the WHMCS subset and the one Comet server group/server/product every service uses.
pub async fn prepare_whmcs(db: &Db) -> anyhow::Result<()> {
    eazybackup::db::migrate::migrate(db).await?;
    eazybackup::testkit::load_whmcs_subset(db).await?;
    exec(db, &format!("INSERT INTO tblservergroups (id, name) VALUES (1, '{PROFILE}')")).await?;
    exec(db, "INSERT INTO tblservers (id, name, ipaddress, hostname, type, username, password, accesshash, secure) VALUES (1, 'eb', '', 'eb.local', 'comet', '', '', '', 'on')").await?;
    exec(db, "INSERT INTO tblservergroupsrel (id, groupid, serverid) VALUES (1, 1, 1)").await?;
    exec(db, &format!("INSERT INTO tblproducts (id, type, name, description, paytype, servertype) VALUES ({PRODUCT}, 'other', 'Backup', '', 'recurring', 'comet')")).await?;
    Ok(())
}

/// WHMCS clients `first..first + count` (ids), all Active.
pub async fn clients(db: &Db, first: i64, count: usize, pb: &ProgressBar) -> anyhow::Result<()> {
    insert_rows(
        db,
        pb,
        "tblclients",
        "id, firstname, lastname, companyname, email, password, language, datecreated, status",
        count,
        |i| {
            let id = first + i as i64;
            format!("{id}, 'Client', '{id}', '', 'c{id}@example.test', '', '', '2026-01-01', 'Active'")
        },
    )
    .await
}

/// One Active Comet service per `(service id, client id, username)` that `service(i)` returns.
pub async fn services(
    db: &Db,
    count: usize,
    pb: &ProgressBar,
    service: impl Fn(usize) -> (i64, i64, String),
) -> anyhow::Result<()> {
    insert_rows(
        db,
        pb,
        "tblhosting",
        "id, userid, packageid, server, regdate, domain, paymentmethod, billingcycle, domainstatus, username, password, notes, dedicatedip",
        count,
        |i| {
            let (id, client, username) = service(i);
            format!("{id}, {client}, {PRODUCT}, 1, '2026-01-01', '', 'x', 'Monthly', 'Active', '{username}', '', '', ''")
        },
    )
    .await
}
