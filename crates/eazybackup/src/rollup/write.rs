//! Writing one day of one rollup: the fleet row (`eb_devices_daily` / `eb_items_daily`, the seed's
//! tables, unchanged) and that rollup's columns of every account's `eb_client_daily` row, in one
//! transaction. A day already in the fleet table is left as it is (immutable) unless forced; a
//! forced day first resets this rollup's columns of the day's account rows, so an account that no
//! longer exists keeps no figures from the earlier run.

use chrono::NaiveDate;

use crate::db::events::{self, Tx};
use crate::db::upsert::dialect_of;
use crate::db::{Db, DbError, Dialect};
use crate::with_tx;

/// An `eb_client_daily` value: a count, or NULL ("not knowable for that day").
pub type Figure = Option<i64>;

/// One account's figures for one rollup, in the order of [`Part::client_columns`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientFigures {
    pub profile: String,
    pub username: String,
    pub client_id: Option<i64>,
    pub values: Vec<Figure>,
}

/// What one rollup writes.
pub struct Part {
    pub fleet_table: &'static str,
    pub fleet_columns: &'static [&'static str],
    pub client_columns: &'static [&'static str],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The day was written (for the first time, or again with `--force`).
    Written,
    /// The day was already rolled up; nothing changed.
    Kept,
}

/// Rows per multi-row upsert statement.
const CHUNK: usize = 200;

/// Whether `day` is already in the fleet table.
pub async fn exists(db: &Db, part: &Part, day: NaiveDate) -> Result<bool, DbError> {
    let sql = format!("SELECT COUNT(*) FROM {} WHERE d = ?", part.fleet_table);
    let n: i64 = crate::with_pool!(db, pool => sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(day).fetch_one(pool).await?);
    Ok(n > 0)
}

/// Writes `day` unless it is already there (and `force` is off).
pub async fn write_day(
    db: &Db,
    part: &Part,
    day: NaiveDate,
    fleet: &[i64],
    clients: &[ClientFigures],
    force: bool,
) -> Result<Written, DbError> {
    debug_assert_eq!(fleet.len(), part.fleet_columns.len());
    let mut tx = events::begin(db).await?;
    let sql = format!("SELECT COUNT(*) FROM {} WHERE d = ?", part.fleet_table);
    let present: i64 =
        with_tx!(&mut tx, conn => sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(day).fetch_one(&mut *conn).await?);
    if present > 0 && !force {
        // Dropping the transaction rolls it back: nothing was written.
        return Ok(Written::Kept);
    }
    let sql = format!("DELETE FROM {} WHERE d = ?", part.fleet_table);
    with_tx!(&mut tx, conn => sqlx::query(sqlx::AssertSqlSafe(sql)).bind(day).execute(&mut *conn).await?.rows_affected());
    let sql = format!(
        "INSERT INTO {} (d, {}) VALUES (?, {})",
        part.fleet_table,
        part.fleet_columns.join(", "),
        vec!["?"; fleet.len()].join(", ")
    );
    with_tx!(&mut tx, conn => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(day);
        for v in fleet {
            q = q.bind(*v);
        }
        q.execute(&mut *conn).await?.rows_affected()
    });
    reset_clients(&mut tx, part, day).await?;
    for chunk in clients.chunks(CHUNK) {
        upsert_clients(&mut tx, part, day, chunk).await?;
    }
    tx.commit().await?;
    Ok(Written::Written)
}

/// This rollup's columns of `day`'s account rows back to their defaults (a forced re-run).
async fn reset_clients(tx: &mut Tx, part: &Part, day: NaiveDate) -> Result<(), DbError> {
    let sets: Vec<String> = part
        .client_columns
        .iter()
        .map(|c| {
            let nullable = crate::db::schema::EB_CLIENT_DAILY.column(c).is_some_and(|col| col.nullable);
            format!("{c} = {}", if nullable { "NULL" } else { "0" })
        })
        .collect();
    let sql = format!("UPDATE eb_client_daily SET {} WHERE d = ?", sets.join(", "));
    with_tx!(tx, conn => sqlx::query(sqlx::AssertSqlSafe(sql)).bind(day).execute(&mut *conn).await?.rows_affected());
    Ok(())
}

async fn upsert_clients(tx: &mut Tx, part: &Part, day: NaiveDate, rows: &[ClientFigures]) -> Result<(), DbError> {
    if rows.is_empty() {
        return Ok(());
    }
    let sql = upsert_sql(dialect_of(tx), part.client_columns, rows.len());
    with_tx!(tx, conn => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for r in rows {
            q = q.bind(day).bind(r.profile.as_str()).bind(r.username.as_str()).bind(r.client_id);
            for v in &r.values {
                q = q.bind(*v);
            }
        }
        q.execute(&mut *conn).await?.rows_affected()
    });
    Ok(())
}

/// A multi-row upsert of `(d, profile, username, client_id, columns…)` that, for an existing
/// account row, sets `client_id` and `columns` only (the other rollup's columns stay).
fn upsert_sql(dialect: Dialect, columns: &[&str], rows: usize) -> String {
    let mut all = vec!["d", "profile", "username", "client_id"];
    all.extend_from_slice(columns);
    let one = format!("({})", vec!["?"; all.len()].join(", "));
    let head = format!("INSERT INTO eb_client_daily ({}) VALUES {}", all.join(", "), vec![one; rows].join(", "));
    let update: Vec<&str> = std::iter::once("client_id").chain(columns.iter().copied()).collect();
    match dialect {
        Dialect::MySql => {
            let sets: Vec<String> = update.iter().map(|c| format!("{c} = VALUES({c})")).collect();
            format!("{head} ON DUPLICATE KEY UPDATE {}", sets.join(", "))
        }
        Dialect::Sqlite => {
            let sets: Vec<String> = update.iter().map(|c| format!("{c} = excluded.{c}")).collect();
            format!("{head} ON CONFLICT (d, profile, username) DO UPDATE SET {}", sets.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upsert_touches_only_this_rollups_columns() {
        let sql = upsert_sql(Dialect::Sqlite, &["hv_vms"], 2);
        assert_eq!(
            sql,
            "INSERT INTO eb_client_daily (d, profile, username, client_id, hv_vms) VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?) \
             ON CONFLICT (d, profile, username) DO UPDATE SET client_id = excluded.client_id, hv_vms = excluded.hv_vms"
        );
        assert!(
            upsert_sql(Dialect::MySql, &["hv_vms"], 1)
                .ends_with("ON DUPLICATE KEY UPDATE client_id = VALUES(client_id), hv_vms = VALUES(hv_vms)")
        );
    }
}
