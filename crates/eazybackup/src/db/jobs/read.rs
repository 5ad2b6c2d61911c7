//! The API's side of the job tables: a client's running jobs, incidents and counts, and the
//! ownership check for a job the browser names. Every read is scoped by (profile, username).

use super::IDS_PER_STATEMENT;
use super::rows::{LIVE_COLUMNS, LiveRow, RECENT_COLUMNS, RecentRow};
use super::write::HOUR;
use crate::db::tenancy::{self, ClientId};
use crate::db::{Db, DbError};
use crate::views::{ClassCounts, Incident, JobView};
use crate::with_pool;

/// An account key and the service that owns it in the current request's scope.
#[derive(Debug, Clone)]
pub struct Account {
    pub profile: String,
    pub username: String,
    pub service_id: Option<i64>,
}

impl From<&tenancy::Service> for Account {
    fn from(s: &tenancy::Service) -> Self {
        Account { profile: s.profile.clone(), username: s.username.clone(), service_id: Some(s.service_id) }
    }
}

fn service_of(accounts: &[Account], profile: &str, username: &str) -> Option<i64> {
    let username = tenancy::normalize_username(username);
    accounts.iter().find(|a| a.profile == profile && a.username == username).and_then(|a| a.service_id)
}

/// Fills `device_name`/`item_name` from the worker's `comet_devices`/`comet_items` mirrors, each
/// looked up by its full key — (profile, username, DeviceID) and (profile, item id): the same ids
/// exist on other servers and in other accounts. Two queries per call, never one per job. Names
/// are cosmetic, so a failure is logged, not raised.
pub async fn fill_names(db: &Db, mut views: Vec<&mut JobView>) {
    let mut devices: Vec<(&str, &str, &str)> = views
        .iter()
        .filter(|v| !v.device_id.is_empty())
        .map(|v| (v.profile.as_str(), v.username.as_str(), v.device_id.as_str()))
        .collect();
    devices.sort_unstable();
    devices.dedup();
    let mut items: Vec<(&str, &str)> =
        views.iter().filter(|v| !v.item_id.is_empty()).map(|v| (v.profile.as_str(), v.item_id.as_str())).collect();
    items.sort_unstable();
    items.dedup();
    let names = async {
        let mut device_names: Vec<(String, String, String, Option<String>)> = Vec::new();
        for chunk in devices.chunks(IDS_PER_STATEMENT / 3) {
            let sql = format!(
                "SELECT profile, username, hash, name FROM comet_devices WHERE {}",
                vec!["(profile = ? AND username = ? AND hash = ?)"; chunk.len()].join(" OR ")
            );
            let rows: Vec<(String, String, String, Option<String>)> = with_pool!(db, pool => {
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                for (p, u, d) in chunk {
                    q = q.bind(*p).bind(*u).bind(*d);
                }
                q.fetch_all(pool).await?
            });
            device_names.extend(rows);
        }
        let mut item_names: Vec<(String, String, Option<String>)> = Vec::new();
        for chunk in items.chunks(IDS_PER_STATEMENT / 2) {
            let sql = format!(
                "SELECT profile, id, name FROM comet_items WHERE {}",
                vec!["(profile = ? AND id = ?)"; chunk.len()].join(" OR ")
            );
            let rows: Vec<(String, String, Option<String>)> = with_pool!(db, pool => {
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                for (p, i) in chunk {
                    q = q.bind(*p).bind(*i);
                }
                q.fetch_all(pool).await?
            });
            item_names.extend(rows);
        }
        Ok::<_, DbError>((device_names, item_names))
    };
    let (device_names, item_names) = match names.await {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!(error = %e, "reading device/item names failed; showing ids");
            return;
        }
    };
    let non_empty = |n: &Option<String>| n.clone().filter(|n| !n.is_empty());
    for view in views.iter_mut() {
        let view = &mut **view;
        let device = device_names
            .iter()
            .find(|(p, u, d, _)| *p == view.profile && *u == view.username && *d == view.device_id)
            .and_then(|r| non_empty(&r.3));
        let item = item_names.iter().find(|(p, i, _)| *p == view.profile && *i == view.item_id).and_then(|r| non_empty(&r.2));
        view.device_name = view.device_name.take().or(device);
        view.item_name = view.item_name.take().or(item);
    }
}

/// Running jobs of these accounts, oldest first, with their device and item names.
pub async fn running_for_accounts(db: &Db, accounts: &[Account]) -> Result<Vec<JobView>, DbError> {
    let mut views = running_unnamed(db, accounts).await?;
    fill_names(db, views.iter_mut().collect()).await;
    Ok(views)
}

/// [`running_for_accounts`] without the names (for a caller that looks up several lists' names
/// at once with [`fill_names`]).
pub async fn running_unnamed(db: &Db, accounts: &[Account]) -> Result<Vec<JobView>, DbError> {
    if accounts.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {LIVE_COLUMNS} FROM eb_jobs_live j WHERE {} ORDER BY started_at, job_id",
        accounts_clause(accounts.len(), "j")
    );
    let rows: Vec<LiveRow> = with_pool!(db, pool => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for a in accounts {
            q = q.bind(a.profile.as_str()).bind(a.username.as_str());
        }
        q.fetch_all(pool).await?
    });
    let views: Vec<JobView> = rows
        .into_iter()
        .map(|r| {
            let service = service_of(accounts, &r.server_id, &r.username);
            JobView::from_live(r, service)
        })
        .collect();
    Ok(views)
}

/// The newest incidents of a set of accounts and how many there are in all.
#[derive(Debug, Clone, Default)]
pub struct IncidentPage {
    pub incidents: Vec<Incident>,
    /// Every incident matching, `incidents` being the newest `limit` of them.
    pub total: i64,
}

/// Warning/error/missed jobs of these accounts that ended at or after `since`, newest first, at
/// most `limit`, minus those `client` has snoozed past `now`. Both statements range over the
/// accounts' own `(server_id, username, status, ended_at)` keys: other accounts' rows, and the
/// accounts' jobs that are not incidents, cost nothing.
pub async fn incidents_for_accounts(
    db: &Db,
    client: ClientId,
    accounts: &[Account],
    since: i64,
    now: i64,
    limit: u32,
) -> Result<IncidentPage, DbError> {
    let mut page = incidents_unnamed(db, client, accounts, since, now, limit).await?;
    fill_names(db, page.incidents.iter_mut().map(|i| &mut i.job).collect()).await;
    Ok(page)
}

/// [`incidents_for_accounts`] without the names (see [`running_unnamed`]).
pub async fn incidents_unnamed(
    db: &Db,
    client: ClientId,
    accounts: &[Account],
    since: i64,
    now: i64,
    limit: u32,
) -> Result<IncidentPage, DbError> {
    if accounts.is_empty() {
        return Ok(IncidentPage::default());
    }
    let from_where = format!(
        "FROM eb_jobs_recent_24h r
         LEFT JOIN eb_incident_ack a ON a.client_id = ? AND a.profile = r.server_id AND a.job_id = r.job_id
         WHERE ({}) AND r.ended_at >= ? AND r.status IN ('warning','error','missed')
           AND (a.until_ts IS NULL OR a.until_ts <= ?)",
        accounts_clause(accounts.len(), "r")
    );
    let sql = format!(
        "SELECT {RECENT_COLUMNS}, CAST(a.until_ts AS SIGNED) AS until_ts {from_where} ORDER BY r.ended_at DESC, r.job_id LIMIT ?"
    );
    let rows: Vec<RecentRow> = with_pool!(db, pool => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(client.0);
        for a in accounts {
            q = q.bind(a.profile.as_str()).bind(a.username.as_str());
        }
        q.bind(since).bind(now).bind(i64::from(limit)).fetch_all(pool).await?
    });
    let total = if rows.len() < limit as usize {
        i64::try_from(rows.len()).unwrap_or(i64::MAX)
    } else {
        let sql = format!("SELECT COUNT(*) {from_where}");
        with_pool!(db, pool => {
            let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(client.0);
            for a in accounts {
                q = q.bind(a.profile.as_str()).bind(a.username.as_str());
            }
            q.bind(since).bind(now).fetch_one(pool).await?
        })
    };
    let incidents: Vec<Incident> = rows
        .into_iter()
        .map(|r| {
            let service = service_of(accounts, &r.server_id, &r.username);
            Incident::from_recent(r, service)
        })
        .collect();
    Ok(IncidentPage { incidents, total })
}

/// Counts of finished jobs by class since `since` (`running` is left for the caller to fill from
/// the live table). One statement over the accounts' own keys: the whole hours after `since` from
/// `eb_jobs_hourly_counts` (at most 25 rows per account and class, whatever the volume), the rest
/// of `since`'s hour from `eb_jobs_recent_24h` itself — the same answer as counting the rows.
pub async fn finished_counts(db: &Db, accounts: &[Account], since: i64) -> Result<ClassCounts, DbError> {
    let mut counts = ClassCounts::default();
    if accounts.is_empty() {
        return Ok(counts);
    }
    let since_hour = since.div_euclid(HOUR);
    let sql = format!(
        "SELECT c.status, CAST(SUM(c.n) AS SIGNED) FROM eb_jobs_hourly_counts c WHERE ({}) AND c.hour > ? GROUP BY c.status \
         UNION ALL \
         SELECT r.status, COUNT(*) FROM eb_jobs_recent_24h r WHERE ({}) \
           AND r.status IN ('success', 'warning', 'error', 'missed') AND r.ended_at >= ? AND r.ended_at < ? GROUP BY r.status",
        accounts_clause(accounts.len(), "c"),
        accounts_clause(accounts.len(), "r")
    );
    let rows: Vec<(String, i64)> = with_pool!(db, pool => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for a in accounts {
            q = q.bind(a.profile.as_str()).bind(a.username.as_str());
        }
        q = q.bind(since_hour);
        for a in accounts {
            q = q.bind(a.profile.as_str()).bind(a.username.as_str());
        }
        q.bind(since).bind((since_hour + 1) * HOUR).fetch_all(pool).await?
    });
    tally(&mut counts, rows);
    Ok(counts)
}

/// Counts of finished jobs by class since `since`, counted row by row from `eb_jobs_recent_24h`:
/// what [`finished_counts`] answers from the hourly counters, for checking them.
pub async fn finished_counts_recounted(db: &Db, accounts: &[Account], since: i64) -> Result<ClassCounts, DbError> {
    let mut counts = ClassCounts::default();
    if accounts.is_empty() {
        return Ok(counts);
    }
    let sql = format!(
        "SELECT r.status, COUNT(*) FROM eb_jobs_recent_24h r WHERE ({}) AND r.ended_at >= ? GROUP BY r.status",
        accounts_clause(accounts.len(), "r")
    );
    let rows: Vec<(String, i64)> = with_pool!(db, pool => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for a in accounts {
            q = q.bind(a.profile.as_str()).bind(a.username.as_str());
        }
        q.bind(since).fetch_all(pool).await?
    });
    tally(&mut counts, rows);
    Ok(counts)
}

/// Adds `(class, n)` rows to `counts`; legacy 'skipped' rows are not shown.
fn tally(counts: &mut ClassCounts, rows: Vec<(String, i64)>) {
    for (class, n) in rows {
        match class.as_str() {
            "success" => counts.success += n,
            "warning" => counts.warning += n,
            "error" => counts.error += n,
            "missed" => counts.missed += n,
            _ => {}
        }
    }
}

/// How many jobs of these accounts are running (one index-only count; no names).
pub async fn running_count(db: &Db, accounts: &[Account]) -> Result<i64, DbError> {
    if accounts.is_empty() {
        return Ok(0);
    }
    let sql = format!("SELECT COUNT(*) FROM eb_jobs_live j WHERE {}", accounts_clause(accounts.len(), "j"));
    let n: i64 = with_pool!(db, pool => {
        let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql));
        for a in accounts {
            q = q.bind(a.profile.as_str()).bind(a.username.as_str());
        }
        q.fetch_one(pool).await?
    });
    Ok(n)
}

/// The account job (`profile`, `job_id`) belongs to, if it is one of `accounts` (live or
/// finished): the ownership check for any job the browser names. Job ids are unique per Comet
/// server only, so a job is always named with its profile.
pub async fn owning_account(db: &Db, profile: &str, job_id: &str, accounts: &[Account]) -> Result<Option<Account>, DbError> {
    if accounts.is_empty() {
        return Ok(None);
    }
    for table in ["eb_jobs_recent_24h", "eb_jobs_live"] {
        let sql = format!(
            "SELECT j.server_id, j.username FROM {table} j WHERE j.server_id = ? AND j.job_id = ? AND ({}) LIMIT 1",
            accounts_clause(accounts.len(), "j")
        );
        let row: Option<(String, String)> = with_pool!(db, pool => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(profile).bind(job_id);
            for a in accounts {
                q = q.bind(a.profile.as_str()).bind(a.username.as_str());
            }
            q.fetch_optional(pool).await?
        });
        if let Some((profile, username)) = row {
            let service_id = service_of(accounts, &profile, &username);
            return Ok(Some(Account { profile, username, service_id }));
        }
    }
    Ok(None)
}

/// `(server_id = ? AND username = ?) OR …` for `n` accounts; callers bind profile, username pairs.
fn accounts_clause(n: usize, alias: &str) -> String {
    let one = format!("({alias}.server_id = ? AND {alias}.username = ?)");
    vec![one; n].join(" OR ")
}
