//! Rendering of the one upsert statement shape the mirror repositories use, per dialect
//! (STACK.md §4: MariaDB rejects the row-alias form, so `VALUES(c)`; SQLite needs the conflict
//! target named).

use crate::db::Dialect;
use crate::db::events::Tx;

/// The dialect of the connection a transaction runs on.
pub fn dialect_of(tx: &Tx) -> Dialect {
    match tx {
        Tx::MySql(_) => Dialect::MySql,
        Tx::Sqlite(_) => Dialect::Sqlite,
    }
}

/// `INSERT INTO table (columns…) VALUES (?…)` that, when a row with the same `key` exists, sets
/// `update` to the new values instead. `key` must be the table's only unique key (MySQL fires on
/// any unique key; SQLite only on the named one).
pub fn upsert(dialect: Dialect, table: &str, columns: &[&str], key: &[&str], update: &[&str]) -> String {
    let placeholders = vec!["?"; columns.len()].join(", ");
    let head = format!("INSERT INTO {table} ({}) VALUES ({placeholders})", columns.join(", "));
    match dialect {
        Dialect::MySql => {
            let sets: Vec<String> = update.iter().map(|c| format!("{c} = VALUES({c})")).collect();
            format!("{head} ON DUPLICATE KEY UPDATE {}", sets.join(", "))
        }
        Dialect::Sqlite => {
            let sets: Vec<String> = update.iter().map(|c| format!("{c} = excluded.{c}")).collect();
            format!("{head} ON CONFLICT ({}) DO UPDATE SET {}", key.join(", "), sets.join(", "))
        }
    }
}

/// `UPDATE` that skips rows whose new key is taken (`UPDATE IGNORE` / `UPDATE OR IGNORE`).
pub fn update_ignore(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::MySql => "UPDATE IGNORE",
        Dialect::Sqlite => "UPDATE OR IGNORE",
    }
}

/// Rows written before profiles were recorded have `profile = ''`. The worker of profile P,
/// writing account `username`, adopts that account's legacy rows of `table` (sets their profile
/// and normalised username) so they are updated or pruned like its own instead of lingering as
/// orphans or duplicates. A legacy row whose key P already holds stays as it was.
pub async fn adopt_legacy_rows(tx: &mut Tx, table: &str, profile: &str, username: &str) -> Result<u64, crate::db::DbError> {
    let sql =
        format!("{} {table} SET profile = ?, username = ? WHERE profile = '' AND username = ?", update_ignore(dialect_of(tx)));
    Ok(crate::with_tx!(tx, conn => {
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(profile).bind(username).bind(username).execute(&mut *conn).await?.rows_affected()
    }))
}

/// `?, ?, …` for an `IN (…)` list of `n` values.
pub fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_both_dialects() {
        assert_eq!(
            upsert(Dialect::MySql, "t", &["a", "b"], &["a"], &["b"]),
            "INSERT INTO t (a, b) VALUES (?, ?) ON DUPLICATE KEY UPDATE b = VALUES(b)"
        );
        assert_eq!(
            upsert(Dialect::Sqlite, "t", &["a", "b"], &["a"], &["b"]),
            "INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a) DO UPDATE SET b = excluded.b"
        );
    }
}
