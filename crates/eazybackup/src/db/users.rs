//! `comet_users`: one summary row per Comet account, refreshed from its profile, and [`Owner`], the
//! WHMCS client and service a Comet account belongs to (stamped on every mirror row we write).
//!
//! The raw profile is never stored: it carries the password hash, TOTP key and vault credentials.
//! `content` holds the counts the account pages show instead.

use serde::Serialize;

use crate::db::events::Tx;
use crate::db::tenancy::{self, ClientId};
use crate::db::timestamp::DbTime;
use crate::db::upsert::{adopt_legacy_rows, dialect_of, upsert};
use crate::db::{Db, DbError};
use crate::with_tx;

/// The WHMCS owner of a Comet account: `None`s for an account no (Active or Suspended) service
/// owns — its rows are still mirrored, with `client_id` NULL, and its events reach no browser.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Owner {
    pub client_id: Option<ClientId>,
    pub service_id: Option<i64>,
}

impl Owner {
    pub fn from_service(found: Option<(ClientId, i64)>) -> Owner {
        Owner { client_id: found.map(|f| f.0), service_id: found.map(|f| f.1) }
    }

    /// Reads `tblhosting` (the scoping rule of `tenancy::service_for_account`). The worker never
    /// writes WHMCS tables, so this read may run outside the batch's transaction.
    pub async fn resolve(db: &Db, profile: &str, username: &str) -> Result<Owner, DbError> {
        Ok(Owner::from_service(tenancy::service_for_account(db, profile, username).await?))
    }

    /// `client_id` as bound into our `INT NULL` columns.
    pub fn client(&self) -> Option<i64> {
        self.client_id.map(|c| c.0)
    }
}

impl From<Option<(ClientId, i64)>> for Owner {
    fn from(found: Option<(ClientId, i64)>) -> Owner {
        Owner::from_service(found)
    }
}

/// What `comet_users.content` holds: counts and sizes, no secrets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AccountCounts {
    pub devices: i64,
    pub protected_items: i64,
    pub vaults: i64,
    /// Sum of the vaults' client-measured sizes (storage used).
    pub vault_bytes: i64,
    /// Sum of the protected items' last backup sizes.
    pub protected_bytes: i64,
}

/// The columns of one `comet_users` row, taken from a profile (`UserSummary::from_profile`, in
/// `comet_rows`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSummary {
    pub account_name: String,
    pub locale: String,
    pub timezone: String,
    pub is_suspended: bool,
    pub has_items_limit: bool,
    pub items_limit_bytes: i64,
    pub device_quota: i64,
    pub policy_id: String,
    pub created_at: Option<DbTime>,
    pub counts: AccountCounts,
}

const COLUMNS: &[&str] = &[
    "profile",
    "username",
    "client_id",
    "content",
    "account_name",
    "locale",
    "timezone",
    "is_suspended",
    "has_items_limit",
    "items_limit_bytes",
    "device_quota",
    "comet_policy_id",
    "created_at",
    "updated_at",
];
// `created_at` stays as first written.
const UPDATE: &[&str] = &[
    "client_id",
    "content",
    "account_name",
    "locale",
    "timezone",
    "is_suspended",
    "has_items_limit",
    "items_limit_bytes",
    "device_quota",
    "comet_policy_id",
    "updated_at",
];

/// Inserts or refreshes the `(profile, username)` row. `username` is stored normalised.
pub async fn upsert_user(
    tx: &mut Tx,
    profile: &str,
    username: &str,
    owner: &Owner,
    summary: &UserSummary,
    now: DbTime,
) -> Result<(), DbError> {
    let sql = upsert(dialect_of(tx), "comet_users", COLUMNS, &["profile", "username"], UPDATE);
    let username = tenancy::normalize_username(username);
    adopt_legacy_rows(tx, "comet_users", profile, &username).await?;
    let content = serde_json::to_string(&summary.counts).map_err(|e| DbError::Sql(sqlx::Error::Encode(Box::new(e))))?;
    // Clamped to the column's range: a bogus quota must not fail the whole batch.
    let device_quota = i32::try_from(summary.device_quota).unwrap_or(i32::MAX);
    with_tx!(tx, conn => {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(profile)
            .bind(&username)
            .bind(owner.client())
            .bind(&content)
            .bind(&summary.account_name)
            .bind(&summary.locale)
            .bind(&summary.timezone)
            .bind(i16::from(summary.is_suspended))
            .bind(i16::from(summary.has_items_limit))
            .bind(summary.items_limit_bytes)
            .bind(device_quota)
            .bind(&summary.policy_id)
            .bind(summary.created_at.unwrap_or(now))
            .bind(now)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}
