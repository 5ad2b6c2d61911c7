//! Throw-away databases for integration tests and benches: a unique SQLite file, or a fresh
//! `eb_t_<random>` database on the MariaDB/MySQL server named by `TEST_MYSQL_URL`
//! (default `mysql://root@127.0.0.1:3306/`).
//!
//! The MySQL variant panics when the server is unreachable: a missing MariaDB must fail the suite,
//! never skip half of it silently. `both_backends!` stamps one test body out for both.

use std::path::PathBuf;
use std::str::FromStr;

use sqlx::mysql::MySqlConnectOptions;
use sqlx::{AssertSqlSafe, ConnectOptions, Connection};

use crate::db::{Db, DbUrl};

const DEFAULT_TEST_MYSQL_URL: &str = "mysql://root@127.0.0.1:3306/";

/// The WHMCS tables we read (`tblhosting`, `tblproducts`, …), the same file the stand-in host uses.
pub const WHMCS_SUBSET_SQL: &str = include_str!("../../../whmcs-host/schema/whmcs-subset.sql");

enum Owned {
    SqliteFile(PathBuf),
    MySqlDatabase { admin: Box<MySqlConnectOptions>, name: String },
}

/// A database that exists for one test. `cleanup().await` removes it; `Drop` tries too.
pub struct TestDb {
    db: Db,
    url: DbUrl,
    owned: Option<Owned>,
}

fn random_suffix() -> String {
    format!("{:016x}", rand::random::<u64>())
}

impl TestDb {
    /// A new SQLite file in the temp directory.
    pub async fn sqlite() -> TestDb {
        let path = std::env::temp_dir().join(format!("eb_t_{}.sqlite", random_suffix()));
        let url = DbUrl::Sqlite(path.to_string_lossy().into_owned());
        let db = Db::connect(&url).await.unwrap_or_else(|e| panic!("cannot open the test SQLite file {}: {e}", path.display()));
        TestDb { db, url, owned: Some(Owned::SqliteFile(path)) }
    }

    /// A new database on `TEST_MYSQL_URL`. Panics, with the reason, when the server is unreachable.
    pub async fn mysql() -> TestDb {
        let server = std::env::var("TEST_MYSQL_URL").unwrap_or_else(|_| DEFAULT_TEST_MYSQL_URL.to_string());
        let admin = MySqlConnectOptions::from_str(&server)
            .unwrap_or_else(|e| panic!("TEST_MYSQL_URL {server:?} is not a mysql:// URL: {e}"))
            .charset("utf8mb4");
        let name = format!("eb_t_{}", random_suffix());
        let mut conn = admin.connect().await.unwrap_or_else(|e| {
            panic!(
                "MariaDB/MySQL for the tests is unreachable at {server} ({e}). Start it (scripts/setup.sh installs \
                 MariaDB) or point TEST_MYSQL_URL at a server where this user may CREATE DATABASE. \
                 MySQL tests fail rather than skip."
            )
        });
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("cannot create test database {name} on {server}: {e}"));
        let _ = conn.close().await;
        let url = DbUrl::MySql(Box::new(admin.clone().database(&name)));
        let db = Db::connect(&url).await.unwrap_or_else(|e| panic!("cannot connect to test database {name}: {e}"));
        TestDb { db, url, owned: Some(Owned::MySqlDatabase { admin: Box::new(admin), name }) }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// How to open another pool on the same database (e.g. for a spawned `serve`).
    pub fn url(&self) -> DbUrl {
        self.url.clone()
    }

    /// Closes the pool and removes the database.
    pub async fn cleanup(mut self) {
        self.db.close().await;
        if let Some(owned) = self.owned.take() {
            remove(owned).await;
        }
    }
}

async fn remove(owned: Owned) {
    match owned {
        Owned::SqliteFile(path) => {
            for suffix in ["", "-wal", "-shm"] {
                let mut p = path.clone().into_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(p);
            }
        }
        Owned::MySqlDatabase { admin, name } => {
            if let Ok(mut conn) = admin.connect().await {
                let _ = sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS `{name}`"))).execute(&mut conn).await;
                let _ = conn.close().await;
            }
        }
    }
}

impl Drop for TestDb {
    /// Best effort after a panicking test: a fresh thread with its own runtime, because `Drop`
    /// cannot await and may run inside (or outside) a tokio runtime.
    fn drop(&mut self) {
        if let Some(owned) = self.owned.take() {
            let _ = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() {
                    rt.block_on(remove(owned));
                }
            })
            .join();
        }
    }
}

/// Creates the WHMCS subset tables (empty) on `db`.
pub async fn load_whmcs_subset(db: &Db) -> Result<(), sqlx::Error> {
    for stmt in split_sql(WHMCS_SUBSET_SQL) {
        crate::with_pool!(db, pool => sqlx::raw_sql(AssertSqlSafe(stmt.clone())).execute(pool).await.map(|_| ()))?;
    }
    Ok(())
}

/// Statements of a script whose statements end with `;` at the end of a line; `--` comment lines
/// are dropped.
pub fn split_sql(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in script.lines() {
        if line.trim_start().starts_with("--") {
            continue;
        }
        let trimmed = line.trim_end();
        if let Some(body) = trimmed.strip_suffix(';') {
            current.push_str(body);
            if !current.trim().is_empty() {
                out.push(current.trim().to_string());
            }
            current.clear();
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

/// Stamps out one async test body for SQLite and for MariaDB/MySQL, as `name::sqlite` and
/// `name::mysql` (filter with `cargo test sqlite` / `cargo test mysql`):
///
/// ```ignore
/// both_backends!(upsert_is_idempotent, |db| async move {
///     eazybackup::db::migrate::migrate(db).await.unwrap();
/// });
/// ```
/// `db` is a `&Db` on a fresh database; the database is removed afterwards.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, |$db:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[::tokio::test]
            async fn sqlite() {
                let test_db = $crate::testkit::TestDb::sqlite().await;
                {
                    let $db: &$crate::db::Db = test_db.db();
                    $body.await;
                }
                test_db.cleanup().await;
            }

            #[::tokio::test]
            async fn mysql() {
                let test_db = $crate::testkit::TestDb::mysql().await;
                {
                    let $db: &$crate::db::Db = test_db.db();
                    $body.await;
                }
                test_db.cleanup().await;
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whmcs_subset_splits_into_create_statements() {
        let stmts = split_sql(WHMCS_SUBSET_SQL);
        assert!(stmts.len() >= 6, "{stmts:?}");
        assert!(stmts.iter().all(|s| s.starts_with("CREATE")), "{stmts:?}");
        assert!(stmts.iter().any(|s| s.contains("tblhosting")));
    }
}
