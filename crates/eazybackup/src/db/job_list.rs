//! The Jobs tab's reads of `comet_jobs` (the durable job history): one account's jobs filtered,
//! searched, sorted and keyset-paged, with device, item and vault names joined in one statement,
//! and the live progress of the page's running jobs from `eb_jobs_live` in a second one. Every
//! statement is scoped by (profile, username) and ranges over the account's own
//! `idx_jobs_account_*` keys, so other accounts' rows cost nothing.
//!
//! Rows without a start time cannot be placed on the time line and are not listed.

use crate::db::jobs::rows::{RECENT_COLUMNS, RecentRow};
use crate::db::jobs::{Account, running_for_accounts, status_class};
use crate::db::timestamp::DbTime;
use crate::db::{Db, DbError, Dialect};
use crate::views::Incident;
use crate::with_pool;
use sqlx::{ColumnIndex, Decode, FromRow, Row, Type};

/// The status classes of the dashboard (`comet::StatusClass`), as SQL over the exact status.
/// `class_predicate` and `comet::JobStatus::class` must agree on every code: the unit test below
/// checks all of them.
pub const STATUS_CLASSES: &[&str] = &["success", "running", "warning", "error", "missed"];

/// The predicate on `j.status` selecting one dashboard class, or `None` for an unknown class.
pub fn class_predicate(class: &str) -> Option<&'static str> {
    Some(match class {
        "success" => "(j.status BETWEEN 5000 AND 5999)",
        "running" => "(j.status BETWEEN 6000 AND 6999)",
        "warning" => "(j.status = 7001)",
        "missed" => "(j.status = 7004)",
        "error" => "(j.status NOT BETWEEN 5000 AND 6999 AND j.status NOT IN (7001, 7004))",
        _ => return None,
    })
}

/// What the list is ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Start time (the default).
    Started,
    /// End minus start; a running job counts as zero until it ends (so pages stay stable).
    Duration,
    /// Total bytes of the job.
    Bytes,
}

impl SortKey {
    pub fn parse(s: &str) -> Option<SortKey> {
        match s {
            "started" => Some(SortKey::Started),
            "duration" => Some(SortKey::Duration),
            "bytes" => Some(SortKey::Bytes),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Started => "started",
            SortKey::Duration => "duration",
            SortKey::Bytes => "bytes",
        }
    }
}

/// A filtered, sorted page request over one account's jobs.
#[derive(Debug, Clone)]
pub struct JobFilter {
    pub profile: String,
    pub username: String,
    /// Dashboard classes (any of); empty: all.
    pub classes: Vec<String>,
    /// Comet DeviceID.
    pub device_id: Option<String>,
    pub item_id: Option<String>,
    pub vault_id: Option<String>,
    /// Job classifications (any of); empty: all.
    pub classifications: Vec<i64>,
    /// Started at or after (unix seconds).
    pub from: Option<i64>,
    /// Started before (unix seconds).
    pub to: Option<i64>,
    /// Substring of the device, item or vault name (matched literally: `%` and `_` are text).
    pub search: Option<String>,
    pub sort: SortKey,
    pub descending: bool,
    /// Keyset position: the sort value and job id of the last row of the previous page.
    pub after: Option<(i64, String)>,
    pub limit: u32,
}

/// One `comet_jobs` row as listed, with the names joined in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedJob {
    pub job_id: String,
    pub device_id: Option<String>,
    pub device_name: Option<String>,
    pub item_id: String,
    pub item_name: Option<String>,
    pub vault_id: String,
    pub vault_name: Option<String>,
    pub classification: i64,
    pub status: i64,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub total_bytes: i64,
    pub total_files: i64,
    pub total_directories: i64,
    pub upload_bytes: i64,
    pub download_bytes: i64,
    pub sort_value: i64,
}

impl ListedJob {
    pub fn status_class(&self) -> &'static str {
        status_class(self.status)
    }
}

/// Live progress of a running job (`eb_jobs_live`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveProgress {
    pub job_id: String,
    pub bytes_done: i64,
    pub progress_counter: i64,
    pub last_update: i64,
}

fn unix(dialect: Dialect, column: &str) -> String {
    match dialect {
        Dialect::MySql => format!("CAST(UNIX_TIMESTAMP({column}) AS SIGNED)"),
        Dialect::Sqlite => format!("CAST(strftime('%s', {column}) AS INTEGER)"),
    }
}

fn sort_expr(dialect: Dialect, key: SortKey) -> String {
    match key {
        SortKey::Started => "j.started_at".into(),
        SortKey::Bytes => "j.total_bytes".into(),
        SortKey::Duration => match dialect {
            Dialect::MySql => "TIMESTAMPDIFF(SECOND, j.started_at, COALESCE(j.ended_at, j.started_at))".into(),
            Dialect::Sqlite => {
                format!("({} - {})", unix(dialect, "COALESCE(j.ended_at, j.started_at)"), unix(dialect, "j.started_at"))
            }
        },
    }
}

/// `%text%` for `LIKE … ESCAPE '!'`: the customer's `%`, `_` and `!` match themselves.
pub fn like_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '!' | '%' | '_') {
            out.push('!');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// One bound value of the list statement.
enum Arg {
    Text(String),
    Int(i64),
    Time(DbTime),
}

/// The names of a job's device, item and vault.
const NAME_JOINS: &str = "
     LEFT JOIN comet_devices d ON d.id = j.comet_device_id AND d.profile = j.profile AND d.username = j.username
     LEFT JOIN comet_items i ON i.profile = j.profile AND i.id = j.comet_item_id
     LEFT JOIN comet_vaults v ON v.profile = j.profile AND v.id = j.comet_vault_id";

/// One page of the account's jobs (at most `limit + 1` rows: the caller knows there is more when
/// it gets the extra one).
pub async fn list(db: &Db, f: &JobFilter) -> Result<Vec<ListedJob>, DbError> {
    let dialect = db.dialect();
    let key = sort_expr(dialect, f.sort);
    let mut clauses: Vec<String> = vec!["j.profile = ?".into(), "j.username = ?".into(), "j.started_at IS NOT NULL".into()];
    let mut args = vec![Arg::Text(f.profile.clone()), Arg::Text(f.username.clone())];
    let classes: Vec<&str> = f.classes.iter().filter_map(|c| class_predicate(c)).collect();
    if !classes.is_empty() {
        clauses.push(format!("({})", classes.join(" OR ")));
    }
    if let Some(device) = &f.device_id {
        clauses.push(
            "j.comet_device_id IN (SELECT dd.id FROM comet_devices dd WHERE dd.profile = ? AND dd.username = ? AND dd.hash = ?)"
                .into(),
        );
        args.extend([Arg::Text(f.profile.clone()), Arg::Text(f.username.clone()), Arg::Text(device.clone())]);
    }
    if let Some(item) = &f.item_id {
        clauses.push("j.comet_item_id = ?".into());
        args.push(Arg::Text(item.clone()));
    }
    if let Some(vault) = &f.vault_id {
        clauses.push("j.comet_vault_id = ?".into());
        args.push(Arg::Text(vault.clone()));
    }
    if !f.classifications.is_empty() {
        clauses.push(format!("j.type IN ({})", vec!["?"; f.classifications.len()].join(", ")));
        args.extend(f.classifications.iter().map(|c| Arg::Int(*c)));
    }
    if let Some(from) = f.from.and_then(DbTime::from_unix) {
        clauses.push("j.started_at >= ?".into());
        args.push(Arg::Time(from));
    }
    if let Some(to) = f.to.and_then(DbTime::from_unix) {
        clauses.push("j.started_at < ?".into());
        args.push(Arg::Time(to));
    }
    if let Some(text) = f.search.as_deref().filter(|s| !s.is_empty()) {
        clauses.push("(d.name LIKE ? ESCAPE '!' OR i.name LIKE ? ESCAPE '!' OR v.name LIKE ? ESCAPE '!')".into());
        let pattern = like_pattern(text);
        args.extend([Arg::Text(pattern.clone()), Arg::Text(pattern.clone()), Arg::Text(pattern)]);
    }
    let (cmp, dir) = if f.descending { ("<", "DESC") } else { (">", "ASC") };
    if let Some((value, id)) = &f.after {
        clauses.push(format!("({key} {cmp} ? OR ({key} = ? AND j.id {cmp} ?))"));
        let v = || match f.sort {
            SortKey::Started => Arg::Time(DbTime::from_unix(*value).unwrap_or(DbTime(chrono::DateTime::UNIX_EPOCH))),
            _ => Arg::Int(*value),
        };
        args.extend([v(), v(), Arg::Text(id.clone())]);
    }
    let sort_value = match f.sort {
        SortKey::Started => unix(dialect, "j.started_at"),
        _ => format!("CAST({key} AS SIGNED)"),
    };
    // A deferred join: the inner statement finds the page's keys on the account's index alone
    // (joining the names only to search them), the outer one reads those rows and their names.
    // MariaDB is kept off the server-wide `idx_jobs_started_at`, which walks every account's jobs.
    let hint = if dialect == Dialect::MySql { " IGNORE INDEX (idx_jobs_started_at)" } else { "" };
    let name_joins = if f.search.as_deref().is_some_and(|s| !s.is_empty()) { NAME_JOINS } else { "" };
    let sql = format!(
        "SELECT j.id AS job_id, d.hash AS device_id, d.name AS device_name, j.comet_item_id AS item_id, i.name AS item_name,
            j.comet_vault_id AS vault_id, v.name AS vault_name, CAST(j.type AS SIGNED) AS classification,
            CAST(j.status AS SIGNED) AS status, {started} AS started_at, {ended} AS ended_at,
            CAST(j.total_bytes AS SIGNED) AS total_bytes, CAST(j.total_files AS SIGNED) AS total_files,
            CAST(j.total_directories AS SIGNED) AS total_directories, CAST(j.upload_bytes AS SIGNED) AS upload_bytes,
            CAST(j.download_bytes AS SIGNED) AS download_bytes, k.sv AS sort_value
         FROM (SELECT j.profile AS kp, j.id AS kid, {sort_value} AS sv FROM comet_jobs j{hint}{name_joins}
               WHERE {where_} ORDER BY {key} {dir}, j.id {dir} LIMIT ?) k
         JOIN comet_jobs j ON j.profile = k.kp AND j.id = k.kid{NAME_JOINS}
         ORDER BY k.sv {dir}, j.id {dir}",
        started = unix(dialect, "j.started_at"),
        ended = unix(dialect, "j.ended_at"),
        where_ = clauses.join(" AND "),
    );
    args.push(Arg::Int(i64::from(f.limit) + 1));
    let rows: Vec<ListedJob> = with_pool!(db, pool => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for a in &args {
            q = match a {
                Arg::Text(s) => q.bind(s.as_str()),
                Arg::Int(i) => q.bind(*i),
                Arg::Time(t) => q.bind(*t),
            };
        }
        q.fetch_all(pool).await?
    });
    Ok(rows)
}

/// One job of the account by id (`None` when it is not the account's or not in the history).
pub async fn one(db: &Db, profile: &str, username: &str, job_id: &str) -> Result<Option<ListedJob>, DbError> {
    let dialect = db.dialect();
    let started = unix(dialect, "j.started_at");
    let sql = format!(
        "SELECT j.id AS job_id, d.hash AS device_id, d.name AS device_name, j.comet_item_id AS item_id, i.name AS item_name,
            j.comet_vault_id AS vault_id, v.name AS vault_name, CAST(j.type AS SIGNED) AS classification,
            CAST(j.status AS SIGNED) AS status, COALESCE({started}, 0) AS started_at, {ended} AS ended_at,
            CAST(j.total_bytes AS SIGNED) AS total_bytes, CAST(j.total_files AS SIGNED) AS total_files,
            CAST(j.total_directories AS SIGNED) AS total_directories, CAST(j.upload_bytes AS SIGNED) AS upload_bytes,
            CAST(j.download_bytes AS SIGNED) AS download_bytes, CAST(0 AS SIGNED) AS sort_value
         FROM comet_jobs j{NAME_JOINS}
         WHERE j.profile = ? AND j.id = ? AND j.username = ?",
        ended = unix(dialect, "j.ended_at"),
    );
    let sql = if dialect == Dialect::Sqlite { sql.replace("AS SIGNED)", "AS INTEGER)") } else { sql };
    Ok(with_pool!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(profile).bind(job_id).bind(username).fetch_optional(pool).await?
    }))
}

/// A job of the account held only by the live tables (`eb_jobs_recent_24h`, then `eb_jobs_live`):
/// seen by the worker but not (yet) in the history. Names are not joined.
pub async fn from_live_tables(db: &Db, profile: &str, username: &str, job_id: &str) -> Result<Option<ListedJob>, DbError> {
    let account = [Account { profile: profile.to_string(), username: username.to_string(), service_id: None }];
    let sql = format!(
        "SELECT {RECENT_COLUMNS}, CAST(NULL AS SIGNED) AS until_ts FROM eb_jobs_recent_24h r
         WHERE r.server_id = ? AND r.job_id = ? AND r.username = ? LIMIT 1"
    );
    let recent: Option<RecentRow> = with_pool!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(profile).bind(job_id).bind(username).fetch_optional(pool).await?
    });
    let view = match recent {
        Some(r) => Some(Incident::from_recent(r, None).job),
        None => running_for_accounts(db, &account).await?.into_iter().find(|j| j.job_id == job_id),
    };
    Ok(view.map(|v| ListedJob {
        job_id: v.job_id,
        device_id: Some(v.device_id).filter(|d| !d.is_empty()),
        device_name: v.device_name,
        item_id: v.item_id,
        item_name: v.item_name,
        vault_id: v.vault_id,
        vault_name: None,
        classification: v.classification,
        status: v.status,
        started_at: v.started_at,
        ended_at: v.ended_at,
        total_bytes: v.total_bytes,
        total_files: 0,
        total_directories: 0,
        upload_bytes: v.upload_bytes,
        download_bytes: 0,
        sort_value: 0,
    }))
}

/// Live progress of these running jobs of one profile (one statement).
pub async fn live_progress(db: &Db, profile: &str, username: &str, job_ids: &[&str]) -> Result<Vec<LiveProgress>, DbError> {
    if job_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT job_id, CAST(COALESCE(bytes_done, 0) AS SIGNED) AS bytes_done,
            CAST(COALESCE(progress_counter, 0) AS SIGNED) AS progress_counter,
            CAST(COALESCE(last_update, 0) AS SIGNED) AS last_update
         FROM eb_jobs_live WHERE server_id = ? AND username = ? AND job_id IN ({})",
        vec!["?"; job_ids.len()].join(", ")
    );
    let sql = if db.dialect() == Dialect::Sqlite { sql.replace("AS SIGNED)", "AS INTEGER)") } else { sql };
    Ok(with_pool!(db, pool => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(profile).bind(username);
        for id in job_ids {
            q = q.bind(*id);
        }
        q.fetch_all(pool).await?
    }))
}

/// A named choice of a filter select.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: String,
    pub name: Option<String>,
}

/// The account's devices, items and vaults, for the filter selects (three indexed statements).
pub async fn filter_choices(db: &Db, profile: &str, username: &str) -> Result<(Vec<Named>, Vec<Named>, Vec<Named>), DbError> {
    let devices: Vec<Named> = with_pool!(db, pool => {
        sqlx::query_as("SELECT hash AS id, name FROM comet_devices WHERE profile = ? AND username = ? AND revoked_at IS NULL ORDER BY name, hash")
            .bind(profile).bind(username).fetch_all(pool).await?
    });
    let items: Vec<Named> = with_pool!(db, pool => {
        sqlx::query_as("SELECT id, name FROM comet_items WHERE profile = ? AND username = ? ORDER BY name, id")
            .bind(profile).bind(username).fetch_all(pool).await?
    });
    let vaults: Vec<Named> = with_pool!(db, pool => {
        sqlx::query_as("SELECT id, name FROM comet_vaults WHERE profile = ? AND username = ? AND is_active = 1 ORDER BY name, id")
            .bind(profile).bind(username).fetch_all(pool).await?
    });
    Ok((devices, items, vaults))
}

/// Reads a struct's fields by column name, for both backends (as `db::jobs::rows`).
macro_rules! from_row {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        impl<'r, R: Row> FromRow<'r, R> for $ty
        where
            &'static str: ColumnIndex<R>,
            String: Decode<'r, R::Database> + Type<R::Database>,
            i64: Decode<'r, R::Database> + Type<R::Database>,
        {
            fn from_row(row: &'r R) -> Result<Self, sqlx::Error> {
                Ok($ty { $($field: row.try_get(stringify!($field))?),* })
            }
        }
    };
}

from_row!(ListedJob {
    job_id,
    device_id,
    device_name,
    item_id,
    item_name,
    vault_id,
    vault_name,
    classification,
    status,
    started_at,
    ended_at,
    total_bytes,
    total_files,
    total_directories,
    upload_bytes,
    download_bytes,
    sort_value,
});
from_row!(LiveProgress { job_id, bytes_done, progress_counter, last_update });
from_row!(Named { id, name });

#[cfg(test)]
mod tests {
    use super::*;

    /// The SQL classes agree with the project's one mapping (`comet::JobStatus::class`) on every
    /// code a SMALLINT column can hold that Comet could send.
    #[test]
    fn class_predicates_agree_with_the_status_mapping() {
        let holds = |pred: &str, s: i64| -> bool {
            // Evaluate the tiny predicate language used above.
            let between = |lo: i64, hi: i64| (lo..=hi).contains(&s);
            match pred {
                "(j.status BETWEEN 5000 AND 5999)" => between(5000, 5999),
                "(j.status BETWEEN 6000 AND 6999)" => between(6000, 6999),
                "(j.status = 7001)" => s == 7001,
                "(j.status = 7004)" => s == 7004,
                "(j.status NOT BETWEEN 5000 AND 6999 AND j.status NOT IN (7001, 7004))" => {
                    !between(5000, 6999) && s != 7001 && s != 7004
                }
                other => panic!("unknown predicate {other}"),
            }
        };
        for s in 0..=9999 {
            let matching: Vec<&str> = STATUS_CLASSES.iter().copied().filter(|c| holds(class_predicate(c).unwrap(), s)).collect();
            assert_eq!(matching, vec![status_class(s)], "status {s}");
        }
        assert!(class_predicate("bogus").is_none());
    }

    #[test]
    fn like_patterns_match_literally() {
        assert_eq!(like_pattern("50%_off!"), "%50!%!_off!!%");
        assert_eq!(like_pattern(""), "%%");
    }
}
