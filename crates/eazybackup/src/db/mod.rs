//! The WHMCS database, MySQL/MariaDB in production and an SQLite file for the demo and quick tests.
//!
//! Nothing above this module knows which backend is in use: repositories are plain async functions
//! over `&Db`. SQL with `?` placeholders means the same on both; statements whose syntax differs
//! (upserts, DDL) are rendered per dialect (see `schema`).

pub mod account_summary;
pub mod audit;
pub mod cursor;
pub mod device_jobs;
pub mod devices;
pub mod dsn;
pub mod events;
pub mod incidents;
pub mod item_content;
pub mod items;
pub mod job_history;
pub mod job_list;
pub mod jobs;
pub mod live_jobs;
pub mod migrate;
pub mod retention;
pub mod revocations;
pub mod savepoint;
pub mod schema;
pub mod snapshot_sizes;
pub mod tenancy;
pub mod text_fit;
pub mod timestamp;
pub mod upsert;
pub mod users;
pub mod vaults;
pub mod whmcs_servers;
pub mod worker_state;

use std::str::FromStr;
use std::time::Duration;

use sqlx::mysql::{MySqlPool, MySqlPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

pub use dsn::DbUrl;

/// Which SQL dialect a statement must be rendered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    MySql,
    Sqlite,
}

/// A connection pool on one of the two supported backends.
#[derive(Clone, Debug)]
pub enum Db {
    MySql(MySqlPool),
    Sqlite(SqlitePool),
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot connect to the database ({target}): {source}")]
    Connect { target: String, source: sqlx::Error },
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
}

impl Db {
    /// Opens a pool for `url`. SQLite files are created when missing and run in WAL mode.
    pub async fn connect(url: &DbUrl) -> Result<Db, DbError> {
        match url {
            DbUrl::MySql(opts) => {
                let pool = MySqlPoolOptions::new()
                    .max_connections(5)
                    .idle_timeout(Duration::from_secs(60))
                    .max_lifetime(Duration::from_secs(30 * 60))
                    // sqlx pings a pooled connection before handing it out (one loopback round trip
                    // per statement). Kept: without it, after a database restart every pooled
                    // connection fails its next statement (a 500 to a browser), as the worker test
                    // `a_database_restart_mid_stream_loses_nothing_mysql` shows.
                    .test_before_acquire(true)
                    // Our sessions behave alike whatever the server's default (WHMCS hosts often run
                    // non-strict, which silently truncates data).
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            sqlx::query("SET SESSION sql_mode = CONCAT(@@sql_mode, ',STRICT_TRANS_TABLES')")
                                .execute(conn)
                                .await?;
                            Ok(())
                        })
                    })
                    .connect_with((**opts).clone())
                    .await
                    .map_err(|source| DbError::Connect { target: url.redacted(), source })?;
                Ok(Db::MySql(pool))
            }
            DbUrl::Sqlite(path) => {
                create_private(path).map_err(|e| DbError::Connect { target: url.redacted(), source: sqlx::Error::Io(e) })?;
                let opts = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))
                    .map_err(|source| DbError::Connect { target: url.redacted(), source })?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(false);
                let pool = SqlitePoolOptions::new()
                    .max_connections(4)
                    // A local file cannot go away under a pooled connection: no ping before use.
                    .test_before_acquire(false)
                    .connect_with(opts)
                    .await
                    .map_err(|source| DbError::Connect { target: url.redacted(), source })?;
                Ok(Db::Sqlite(pool))
            }
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            Db::MySql(_) => Dialect::MySql,
            Db::Sqlite(_) => Dialect::Sqlite,
        }
    }

    pub async fn close(&self) {
        match self {
            Db::MySql(p) => p.close().await,
            Db::Sqlite(p) => p.close().await,
        }
    }
}

/// Creates a missing SQLite file readable by this user only (it holds WHMCS data); SQLite gives its
/// `-wal` and `-shm` files the same mode. An existing file is left as it is.
fn create_private(path: &str) -> std::io::Result<()> {
    if path == ":memory:" || path.starts_with("file:") || path.contains('?') || std::path::Path::new(path).exists() {
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Runs the same body against whichever pool `$db` holds; `$pool` is bound to the concrete pool.
/// Use it for hand-written `?`-placeholder SQL that both dialects accept, one statement per use:
/// each use counts once in `db::events::pool_statements_executed`.
#[macro_export]
macro_rules! with_pool {
    ($db:expr, $pool:ident => $body:expr) => {{
        $crate::db::events::count_pool_statement();
        match $db {
            $crate::db::Db::MySql($pool) => $body,
            $crate::db::Db::Sqlite($pool) => $body,
        }
    }};
}
