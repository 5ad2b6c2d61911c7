//! `eb_runs`: one row per run of `monitor`, `rollup`, `sync` and `housekeep` — when it started and
//! ended, whether it succeeded and its summary line — so `eazybackup status` can say when each
//! last ran. Recording is best effort: a run whose database write fails still does its work (the
//! failure is logged), and a run killed mid-way stays `running` without `finished_at`.

use crate::db::{Db, DbError};
use crate::with_pool;

/// The longest summary kept (a `TEXT` column; a very long error chain is cut).
const SUMMARY_MAX: usize = 2000;

/// A run being recorded; [`Run::finish`] records its end.
#[derive(Debug)]
pub struct Run {
    db: Db,
    id: Option<i64>,
}

/// Records the start of `command` for `profile` ('' for runs over every profile).
pub async fn start(db: &Db, command: &str, profile: &str) -> Run {
    let now = chrono::Utc::now().timestamp();
    let id = insert(db, command, profile, now).await;
    if let Err(e) = &id {
        tracing::warn!(target: "eazybackup::db", "cannot record the start of `{command}` in eb_runs: {e}");
    }
    Run { db: db.clone(), id: id.ok() }
}

async fn insert(db: &Db, command: &str, profile: &str, now: i64) -> Result<i64, DbError> {
    let pid = i64::from(std::process::id());
    let id = with_pool!(db, pool => sqlx::query(
        "INSERT INTO eb_runs (command, profile, started_at, result, pid) VALUES (?, ?, ?, 'running', ?)"
    ).bind(command).bind(profile).bind(now).bind(pid).execute(pool).await.map(|r| last_id(&r))?);
    Ok(id)
}

trait LastId {
    fn id(&self) -> i64;
}
impl LastId for sqlx::mysql::MySqlQueryResult {
    fn id(&self) -> i64 {
        i64::try_from(self.last_insert_id()).unwrap_or(0)
    }
}
impl LastId for sqlx::sqlite::SqliteQueryResult {
    fn id(&self) -> i64 {
        self.last_insert_rowid()
    }
}
fn last_id(r: &impl LastId) -> i64 {
    r.id()
}

impl Run {
    /// Records the end: `ok` or not, and the summary (what the command printed last).
    pub async fn finish(self, ok: bool, summary: &str) {
        let Some(id) = self.id else { return };
        let mut summary = summary.trim().to_string();
        if summary.len() > SUMMARY_MAX {
            let mut cut = SUMMARY_MAX;
            while !summary.is_char_boundary(cut) {
                cut -= 1;
            }
            summary.truncate(cut);
        }
        let now = chrono::Utc::now().timestamp();
        let result = if ok { "ok" } else { "failed" };
        let written = with_pool!(&self.db, pool => sqlx::query(
            "UPDATE eb_runs SET finished_at = ?, result = ?, summary = ? WHERE id = ?"
        ).bind(now).bind(result).bind(&summary).bind(id).execute(pool).await.map(|_| ()));
        if let Err(e) = written {
            tracing::warn!(target: "eazybackup::db", "cannot record the end of run {id} in eb_runs: {e}");
        }
    }

    /// [`Run::finish`] from a command's outcome: its error chain when it failed.
    pub async fn finish_with<T>(self, outcome: &anyhow::Result<T>, summary: &str) {
        match outcome {
            Ok(_) => self.finish(true, summary).await,
            Err(e) if summary.is_empty() => self.finish(false, &format!("{e:#}")).await,
            Err(e) => self.finish(false, &format!("{summary}\n{e:#}")).await,
        }
    }
}

/// The last run of `command` (for `profile`, or over every profile when `profile` is '').
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LastRun {
    pub command: String,
    pub profile: String,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub result: String,
    pub summary: Option<String>,
}

type RunRow = (String, String, i64, Option<i64>, String, Option<String>);

pub async fn last(db: &Db, command: &str, profile: &str) -> Result<Option<LastRun>, DbError> {
    let row: Option<RunRow> = with_pool!(db, pool => sqlx::query_as(
        "SELECT command, profile, started_at, finished_at, result, summary FROM eb_runs \
         WHERE command = ? AND profile = ? ORDER BY id DESC LIMIT 1"
    ).bind(command).bind(profile).fetch_optional(pool).await?);
    Ok(row.map(|(command, profile, started_at, finished_at, result, summary)| LastRun {
        command,
        profile,
        started_at,
        finished_at,
        result,
        summary,
    }))
}
