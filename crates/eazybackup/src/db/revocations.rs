//! `eb_stream_revocations`: when a client's browser tokens stopped being good. The addon records
//! the time on logout (`hooks.php`); a token minted at or before it is refused on every route, and
//! an open event stream of that client ends at its next access check (`api::sse`).

use std::collections::HashMap;

use crate::db::tenancy::{self, ClientId};
use crate::db::upsert::upsert;
use crate::db::{Db, DbError};
use crate::with_pool;

/// When `client`'s tokens were last revoked (unix seconds), if ever.
pub async fn revoked_at(db: &Db, client: ClientId) -> Result<Option<i64>, DbError> {
    let at: Option<i64> = with_pool!(db, pool => {
        sqlx::query_scalar("SELECT CAST(revoked_at AS SIGNED) FROM eb_stream_revocations WHERE client_id = ?")
            .bind(client.0)
            .fetch_optional(pool)
            .await?
    });
    Ok(at)
}

/// [`revoked_at`] for many clients, one statement per `tenancy::CLIENTS_PER_STATEMENT` (the live
/// streams' periodic access check); clients never revoked are absent.
pub async fn revoked_at_among(db: &Db, clients: &[ClientId]) -> Result<HashMap<ClientId, i64>, DbError> {
    let mut out = HashMap::new();
    for chunk in clients.chunks(tenancy::CLIENTS_PER_STATEMENT) {
        let sql = format!(
            "SELECT CAST(client_id AS SIGNED), CAST(revoked_at AS SIGNED) FROM eb_stream_revocations WHERE client_id IN ({})",
            vec!["?"; chunk.len()].join(", ")
        );
        let rows: Vec<(i64, i64)> = with_pool!(db, pool => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for c in chunk {
                q = q.bind(c.0);
            }
            q.fetch_all(pool).await?
        });
        out.extend(rows.into_iter().map(|(c, at)| (ClientId(c), at)));
    }
    Ok(out)
}

/// Revokes every token of `client` minted at or before `at` (what the addon's logout hook does).
pub async fn revoke(db: &Db, client: ClientId, at: i64) -> Result<(), DbError> {
    let sql = upsert(db.dialect(), "eb_stream_revocations", &["client_id", "revoked_at"], &["client_id"], &["revoked_at"]);
    with_pool!(db, pool => {
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(client.0).bind(at).execute(pool).await.map(|_| ())?
    });
    Ok(())
}
