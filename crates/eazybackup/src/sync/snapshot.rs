//! What `sync` corrected, measured rather than trusted: every mirrored row of one profile is read
//! (its key and a hash of its values) before and after, and the two compared. Bookkeeping columns
//! that every write touches (`updated_at`, poll times) are left out, so a run that corrected
//! nothing reports nothing.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::db::schema::{self, Table};
use crate::db::{Db, DbError, Dialect};
use crate::with_pool;

/// One table as the sync compares it.
pub struct Mirrored {
    pub table: &'static Table,
    /// The column naming the Comet profile (`profile`, or `server_id` in the seed's tables).
    profile_column: &'static str,
    /// What identifies a row within the profile.
    key: &'static [&'static str],
    /// Written on every pass whether or not anything changed.
    bookkeeping: &'static [&'static str],
}

/// The tables the worker (and so the sync) writes for a profile, in the order they are printed.
pub static MIRRORED: &[Mirrored] = &[
    Mirrored { table: &schema::COMET_USERS, profile_column: "profile", key: &["username"], bookkeeping: &["id", "updated_at"] },
    Mirrored {
        table: &schema::COMET_DEVICES,
        profile_column: "profile",
        key: &["username", "hash"],
        bookkeeping: &["updated_at"],
    },
    Mirrored {
        table: &schema::EB_DEVICES_REGISTRY,
        profile_column: "server_id",
        key: &["username", "device_id"],
        bookkeeping: &["updated_at"],
    },
    Mirrored { table: &schema::COMET_ITEMS, profile_column: "profile", key: &["id"], bookkeeping: &["updated_at"] },
    Mirrored { table: &schema::COMET_VAULTS, profile_column: "profile", key: &["id"], bookkeeping: &["updated_at"] },
    Mirrored {
        table: &schema::EB_JOBS_LIVE,
        profile_column: "server_id",
        key: &["job_id"],
        bookkeeping: &["last_update", "last_checked_ts", "progress_ts"],
    },
    Mirrored { table: &schema::EB_JOBS_RECENT_24H, profile_column: "server_id", key: &["job_id"], bookkeeping: &["created_at"] },
    // `last_status_at` is "last seen" (now) for a running job, and `ended_at` for a finished one.
    Mirrored { table: &schema::COMET_JOBS, profile_column: "profile", key: &["id"], bookkeeping: &["last_status_at"] },
];

/// Row key → hash of the compared values, per table (same order as [`MIRRORED`]).
pub struct Snapshot(Vec<HashMap<String, u64>>);

/// Rows added, updated and removed in one table between two snapshots.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableChanges {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
}

impl TableChanges {
    pub fn total(&self) -> usize {
        self.added + self.updated + self.removed
    }
}

pub async fn take(db: &Db, profile: &str) -> Result<Snapshot, DbError> {
    let mut tables = Vec::with_capacity(MIRRORED.len());
    for m in MIRRORED {
        tables.push(read_table(db, m, profile).await?);
    }
    Ok(Snapshot(tables))
}

/// `(table name, changes)` for every mirrored table.
pub fn diff(before: &Snapshot, after: &Snapshot) -> Vec<(&'static str, TableChanges)> {
    MIRRORED
        .iter()
        .zip(before.0.iter().zip(after.0.iter()))
        .map(|(m, (b, a))| {
            let mut c = TableChanges::default();
            for (key, hash) in a {
                match b.get(key) {
                    None => c.added += 1,
                    Some(old) if old != hash => c.updated += 1,
                    Some(_) => {}
                }
            }
            c.removed = b.keys().filter(|k| !a.contains_key(*k)).count();
            (m.table.name, c)
        })
        .collect()
}

async fn read_table(db: &Db, m: &Mirrored, profile: &str) -> Result<HashMap<String, u64>, DbError> {
    let sql = select_sql(db.dialect(), m);
    // Column names come from the schema constants: nothing from outside reaches the statement.
    let rows: Vec<(String, String)> = with_pool!(db, pool => {
        sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(sql.as_str())).bind(profile).fetch_all(pool).await?
    });
    Ok(rows.into_iter().map(|(key, values)| (key, hash_of(&values))).collect())
}

/// `SELECT <key as text>, <compared values as one text> FROM t WHERE <profile> = ?`. Each value is
/// cast to text and NULL marked, joined with a separator no value of these tables holds.
fn select_sql(dialect: Dialect, m: &Mirrored) -> String {
    let text = |c: &str| match dialect {
        Dialect::MySql => format!("COALESCE(CAST({c} AS CHAR), '\\0')"),
        Dialect::Sqlite => format!("COALESCE(CAST({c} AS TEXT), char(0))"),
    };
    let join = |parts: Vec<String>| match dialect {
        Dialect::MySql => format!("CONCAT_WS(CHAR(31), {})", parts.join(", ")),
        Dialect::Sqlite => parts.join(" || char(31) || "),
    };
    let key = join(m.key.iter().map(|c| text(c)).collect());
    let compared: Vec<String> = m
        .table
        .columns
        .iter()
        .map(|c| c.name)
        .filter(|c| *c != m.profile_column && !m.key.contains(c) && !m.bookkeeping.contains(c))
        .map(text)
        .collect();
    let values = if compared.is_empty() { "''".to_string() } else { join(compared) };
    format!("SELECT {key}, {values} FROM {} WHERE {} = ?", m.table.name, m.profile_column)
}

fn hash_of(values: &str) -> u64 {
    let mut h = DefaultHasher::new();
    values.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_column_exists_in_the_schema() {
        for m in MIRRORED {
            for c in m.key.iter().chain(m.bookkeeping).chain(std::iter::once(&m.profile_column)) {
                assert!(m.table.column(c).is_some(), "{}.{c}", m.table.name);
            }
        }
    }

    #[test]
    fn diff_counts_added_updated_removed() {
        let before = Snapshot(vec![HashMap::from([("a".into(), 1), ("b".into(), 2), ("c".into(), 3)])]);
        let after = Snapshot(vec![HashMap::from([("a".into(), 1), ("b".into(), 9), ("d".into(), 4)])]);
        let d = diff(&before, &after);
        assert_eq!(d[0].1, TableChanges { added: 1, updated: 1, removed: 1 });
    }
}
