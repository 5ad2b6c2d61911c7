//! Which Comet accounts a WHMCS client owns: the one scoping rule every API handler applies per
//! request (docs/architecture.md "Scoping"). Nothing here is cached: a service suspended or moved
//! a second ago is already out of (or read-only in) the client's scope.

use serde::{Deserialize, Serialize};

use crate::db::{Db, DbError};
use crate::with_pool;

/// A WHMCS client id (`tblclients.id`, `tblhosting.userid`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientId(pub i64);

impl std::fmt::Display for ClientId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One WHMCS service on a Comet product, as the customer API lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub service_id: i64,
    /// The Comet profile name (the `tblservergroups.name` containing the service's server).
    pub profile: String,
    /// The Comet username, trimmed and lower-cased.
    pub username: String,
    /// `Active` or `Suspended` (suspended services are read-only).
    pub status: String,
}

impl Service {
    /// Suspended services may be viewed but not changed.
    pub fn is_writable(&self) -> bool {
        self.status == "Active"
    }
}

/// Comet usernames are compared trimmed and lower-cased everywhere (MariaDB's default collation
/// already ignores case and trailing spaces; SQLite does not, so we normalise in Rust).
pub fn normalize_username(raw: &str) -> String {
    raw.trim().to_lowercase()
}

// `CAST(... AS SIGNED)`: WHMCS ids may be unsigned on some installs, and sqlx refuses to decode
// an unsigned MySQL column as i64. SQLite reads the same cast as a NUMERIC conversion.
const SERVICES_FOR_CLIENT: &str = "\
SELECT CAST(h.id AS SIGNED) AS service_id, g.name AS profile, h.username AS username, h.domainstatus AS status
FROM tblhosting h
JOIN tblproducts p ON p.id = h.packageid
JOIN tblservergroupsrel r ON r.serverid = h.server
JOIN tblservergroups g ON g.id = r.groupid
WHERE h.userid = ? AND h.domainstatus IN ('Active','Suspended') AND p.servertype IN ('comet','cometbackup')
ORDER BY h.id, g.id";

/// The client's Comet accounts (Active and Suspended services on Comet products).
pub async fn services_for_client(db: &Db, client: ClientId) -> Result<Vec<Service>, DbError> {
    let rows: Vec<(i64, String, String, String)> = with_pool!(db, pool => {
        sqlx::query_as(SERVICES_FOR_CLIENT).bind(client.0).fetch_all(pool).await?
    });
    let mut services: Vec<Service> = Vec::with_capacity(rows.len());
    for (service_id, profile, username, status) in rows {
        // A server listed in two groups would repeat the service; keep its first profile.
        if services.iter().any(|s| s.service_id == service_id) {
            continue;
        }
        services.push(Service { service_id, profile, username: normalize_username(&username), status });
    }
    Ok(services)
}

const SERVICE_FOR_ACCOUNT: &str = "\
SELECT CAST(h.userid AS SIGNED) AS client_id, CAST(h.id AS SIGNED) AS service_id
FROM tblhosting h
JOIN tblproducts p ON p.id = h.packageid
JOIN tblservergroupsrel r ON r.serverid = h.server
JOIN tblservergroups g ON g.id = r.groupid
WHERE g.name = ? AND LOWER(TRIM(h.username)) = ?
  AND h.domainstatus IN ('Active','Suspended') AND p.servertype IN ('comet','cometbackup')
ORDER BY CASE WHEN h.domainstatus = 'Active' THEN 0 ELSE 1 END, h.id DESC
LIMIT 1";

/// Which client and service own the Comet account `(profile, username)`, if any. Used by the
/// worker to stamp `client_id`/`service_id` on the rows and events it writes; an Active service
/// wins over a Suspended one, then the newest.
pub async fn service_for_account(db: &Db, profile: &str, username: &str) -> Result<Option<(ClientId, i64)>, DbError> {
    let username = normalize_username(username);
    let row: Option<(i64, i64)> = with_pool!(db, pool => {
        sqlx::query_as(SERVICE_FOR_ACCOUNT).bind(profile).bind(&username).fetch_optional(pool).await?
    });
    Ok(row.map(|(client, service)| (ClientId(client), service)))
}

/// The `(profile, username)` pairs of `services`, for repository filters.
pub fn accounts_of(services: &[Service]) -> Vec<(String, String)> {
    services.iter().map(|s| (s.profile.clone(), s.username.clone())).collect()
}
