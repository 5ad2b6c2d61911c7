//! `eb_incident_ack`: a client's snoozes of finished-job incidents, keyed (client, profile, job
//! id): one client's snooze never hides anything from another, and job ids are unique per Comet
//! server only.

use crate::db::DbError;
use crate::db::events::Tx;
use crate::db::tenancy::ClientId;
use crate::with_tx;

const UPSERT_MYSQL: &str = "INSERT INTO eb_incident_ack (client_id, profile, job_id, until_ts) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE until_ts = VALUES(until_ts)";
const UPSERT_SQLITE: &str = "INSERT INTO eb_incident_ack (client_id, profile, job_id, until_ts) VALUES (?, ?, ?, ?) ON CONFLICT (client_id, profile, job_id) DO UPDATE SET until_ts = excluded.until_ts";

/// Hides job (`profile`, `job_id`) from `client`'s incidents until `until_ts` (unix seconds). A
/// second snooze of the same job replaces the first.
pub async fn snooze(tx: &mut Tx, client: ClientId, profile: &str, job_id: &str, until_ts: i64) -> Result<(), DbError> {
    let until = until_ts.max(0);
    let sql = match tx {
        Tx::MySql(_) => UPSERT_MYSQL,
        Tx::Sqlite(_) => UPSERT_SQLITE,
    };
    with_tx!(tx, conn => {
        sqlx::query(sql).bind(client.0).bind(profile).bind(job_id).bind(until).execute(&mut *conn).await?;
    });
    Ok(())
}
