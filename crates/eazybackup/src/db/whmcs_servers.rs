//! The Comet server WHMCS knows for a profile: `tblservergroups.name` = profile →
//! `tblservergroupsrel` → `tblservers` (the operators' existing source of admin credentials).

use crate::db::{Db, DbError};
use crate::with_pool;

/// A `tblservers` row; `password` is still WHMCS-encrypted.
#[derive(Clone, PartialEq, Eq)]
pub struct ServerRow {
    pub hostname: String,
    pub ipaddress: String,
    /// `on` when WHMCS talks to it over TLS.
    pub secure: String,
    pub port: Option<i64>,
    pub username: String,
    pub password_encrypted: String,
}

impl std::fmt::Debug for ServerRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerRow")
            .field("hostname", &self.hostname)
            .field("secure", &self.secure)
            .field("port", &self.port)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

const SERVER_FOR_PROFILE: &str = "\
SELECT s.hostname, s.ipaddress, s.secure, CAST(s.port AS SIGNED), s.username, s.password
FROM tblservergroups g
JOIN tblservergroupsrel r ON r.groupid = g.id
JOIN tblservers s ON s.id = r.serverid
WHERE g.name = ? AND s.disabled = 0
ORDER BY s.active DESC, s.id
LIMIT 1";

/// The first enabled server of the group named `profile` (Comet asks for one server per group).
pub async fn server_for_profile(db: &Db, profile: &str) -> Result<Option<ServerRow>, DbError> {
    type Row = (String, String, String, Option<i64>, String, String);
    let row: Option<Row> = with_pool!(db, pool => sqlx::query_as(SERVER_FOR_PROFILE).bind(profile).fetch_optional(pool).await?);
    Ok(row.map(|(hostname, ipaddress, secure, port, username, password_encrypted)| ServerRow {
        hostname,
        ipaddress,
        secure,
        port,
        username,
        password_encrypted,
    }))
}
