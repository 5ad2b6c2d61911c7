//! Size and file count of snapshots, from the backup job that made each (`comet_jobs`, the
//! worker's job history): Comet's snapshot list does not carry them.

use std::collections::BTreeMap;

use crate::db::{Db, DbError};
use crate::with_pool;

const IDS_PER_STATEMENT: usize = 400;

/// `snapshot id → (total bytes, total files)` for the snapshots of account (`profile`,
/// `username`) that a stored job names; the others are absent.
pub async fn of_snapshots(
    db: &Db,
    profile: &str,
    username: &str,
    snapshot_ids: &[String],
) -> Result<BTreeMap<String, (i64, i64)>, DbError> {
    let mut out = BTreeMap::new();
    for chunk in snapshot_ids.chunks(IDS_PER_STATEMENT) {
        let sql = format!(
            "SELECT comet_snapshot_id, CAST(total_bytes AS SIGNED), CAST(total_files AS SIGNED) FROM comet_jobs \
             WHERE profile = ? AND username = ? AND comet_snapshot_id IN ({})",
            vec!["?"; chunk.len()].join(", ")
        );
        let rows: Vec<(Option<String>, i64, i64)> = with_pool!(db, pool => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(profile).bind(username);
            for id in chunk {
                q = q.bind(id.as_str());
            }
            q.fetch_all(pool).await?
        });
        for (id, bytes, files) in rows {
            if let Some(id) = id {
                out.insert(id, (bytes, files));
            }
        }
    }
    Ok(out)
}
