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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Service {
    pub service_id: i64,
    /// The Comet profile name (the lowest-id `tblservergroups` containing the service's server).
    pub profile: String,
    /// The Comet username, exactly as in `tblhosting.username` (Comet usernames are case-sensitive).
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

/// The one Rust entry point for the username rule: Comet usernames are case-sensitive and contain
/// no spaces, so a username is compared exactly as Comet sends it (no lower-casing, no trimming:
/// `Alice` and `alice` are two accounts, and a WHMCS username with a stray space names none).
/// MariaDB's default collations ignore case, so SQL that matches usernames must compare exactly
/// too (see `sql/account-owners.sql`).
pub fn normalize_username(raw: &str) -> String {
    raw.to_string()
}

/// Which service owns which Comet account: the shared rule (docs/architecture.md "Scoping"), also
/// read by the addon's `lib/Services.php`. Callers wrap it as a derived table named `o`.
pub const ACCOUNT_OWNERS_SQL: &str = include_str!("../../../../whmcs/modules/addons/eazybackup/sql/account-owners.sql");

/// `SELECT <columns> FROM (<the shared rule>) o <tail>`. `CAST(… AS SIGNED)` the ids in `columns`:
/// WHMCS ids may be unsigned on some installs, which sqlx will not decode as i64.
fn over_owners(columns: &str, tail: &str) -> String {
    format!("SELECT {columns} FROM (\n{ACCOUNT_OWNERS_SQL}\n) o {tail}")
}

/// The client's Comet accounts (Active and Suspended services on Comet products that own their
/// account), by service id.
pub async fn services_for_client(db: &Db, client: ClientId) -> Result<Vec<Service>, DbError> {
    let sql = over_owners(
        "CAST(o.service_id AS SIGNED), o.profile, o.username, o.status",
        "WHERE o.client_id = ? ORDER BY o.service_id",
    );
    let rows: Vec<(i64, String, String, String)> = with_pool!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(client.0).fetch_all(pool).await?
    });
    Ok(rows
        .into_iter()
        .map(|(service_id, profile, username, status)| Service { service_id, profile, username, status })
        .collect())
}

/// Every profile that names an owned account: the Comet servers `serve` may need a client for.
pub async fn owned_profiles(db: &Db) -> Result<Vec<String>, DbError> {
    let sql = over_owners("DISTINCT o.profile", "");
    let profiles: Vec<String> = with_pool!(db, pool => {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await?
    });
    Ok(profiles)
}

/// Whether WHMCS has closed the client's account (`tblclients.status`); an unknown client is not.
pub async fn client_is_closed(db: &Db, client: ClientId) -> Result<bool, DbError> {
    let status: Option<String> = with_pool!(db, pool => {
        sqlx::query_scalar("SELECT CAST(status AS CHAR) FROM tblclients WHERE id = ?").bind(client.0).fetch_optional(pool).await?
    });
    Ok(status.is_some_and(|s| s == "Closed"))
}

/// One account's owner, as [`owners_of_profile`] lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountOwner {
    pub username: String,
    pub client: ClientId,
    pub service_id: i64,
}

/// The owner of every owned account of `profile` (the worker's owner cache reads this).
pub async fn owners_of_profile(db: &Db, profile: &str) -> Result<Vec<AccountOwner>, DbError> {
    let sql =
        over_owners("o.username, CAST(o.client_id AS SIGNED), CAST(o.service_id AS SIGNED), o.profile", "WHERE o.profile = ?");
    let rows: Vec<(String, i64, i64, String)> = with_pool!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(profile).fetch_all(pool).await?
    });
    // MariaDB compared the profile name case-insensitively; the rule is exact.
    Ok(rows
        .into_iter()
        .filter(|(_, _, _, p)| p == profile)
        .map(|(username, client, service_id, _)| AccountOwner { username, client: ClientId(client), service_id })
        .collect())
}

/// Which client and service own the Comet account `(profile, username)`, if any. Used by the
/// worker to stamp `client_id`/`service_id` on the rows and events it writes.
pub async fn service_for_account(db: &Db, profile: &str, username: &str) -> Result<Option<(ClientId, i64)>, DbError> {
    let username = normalize_username(username);
    let sql = over_owners(
        "o.username, CAST(o.client_id AS SIGNED), CAST(o.service_id AS SIGNED), o.profile",
        "WHERE o.profile = ? AND o.username = ?",
    );
    let rows: Vec<(String, i64, i64, String)> = with_pool!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(profile).bind(&username).fetch_all(pool).await?
    });
    // MariaDB's `=` ignored case; keep the exact match only.
    Ok(rows
        .into_iter()
        .find(|(u, _, _, p)| *u == username && p == profile)
        .map(|(_, client, service, _)| (ClientId(client), service)))
}

/// The `(profile, username)` pairs of `services`, for repository filters.
pub fn accounts_of(services: &[Service]) -> Vec<(String, String)> {
    services.iter().map(|s| (s.profile.clone(), s.username.clone())).collect()
}
