//! Closing the gap for accounts: profile changes (new devices, renamed devices, items, vaults)
//! made while we were not listening, and accounts deleted meanwhile. One `AdminListUsersFull` per
//! (re)connect, each listed account applied exactly as `SEVT_ACCOUNT_UPDATED` would be (the writes
//! are idempotent), and every account we hold for the profile that the listing lacks removed
//! exactly as `SEVT_ACCOUNT_REMOVED` would be; a bounded number per transaction.

use std::collections::BTreeSet;

use tracing::{info, warn};

use crate::db::events::{self, Tx};
use crate::db::users::Owner;
use crate::db::{Db, DbError};
use crate::ingest::context::Ingest;
use crate::ingest::outbox;
use crate::ingest::profile_sync::{self, ProfileSync};
use crate::with_pool;

/// Accounts per transaction: keeps each write transaction (and SQLite's single writer) short.
const ACCOUNTS_PER_TRANSACTION: usize = 50;

#[derive(Debug, thiserror::Error)]
pub enum AccountReconcileError {
    #[error("Comet Admin API: {0}")]
    Comet(#[from] comet::CometError),
    #[error("database: {0}")]
    Db(#[from] crate::db::DbError),
}

/// What a reconcile did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccountsReconciled {
    /// Accounts the server listed, mirrored.
    pub applied: usize,
    /// Accounts we held that the server no longer has, removed.
    pub removed: usize,
}

/// Mirrors every account's profile and removes the accounts that vanished. A failed listing
/// changes nothing (it is an error, not an empty server).
pub async fn reconcile_accounts(ingest: &mut Ingest) -> Result<AccountsReconciled, AccountReconcileError> {
    let profiles = ingest.admin.list_users_full().await?;
    let usernames: Vec<String> = profiles.keys().map(|u| crate::db::tenancy::normalize_username(u)).collect();
    ingest.owners.refresh_for(&ingest.db, usernames.iter().map(String::as_str)).await?;
    let now = chrono::Utc::now().timestamp();
    let accounts: Vec<_> = profiles.into_iter().collect();
    let mut skipped = 0;
    for chunk in accounts.chunks(ACCOUNTS_PER_TRANSACTION) {
        let mut tx = events::begin(&ingest.db).await?;
        for (username, config) in chunk {
            let owner = Owner::from(ingest.owners.get(&crate::db::tenancy::normalize_username(username)));
            // One account's refused rows must not stop the reconcile (it runs first on every
            // reconnect, so a failure here would stop the whole server's ingestion).
            if profile_sync::apply_profile_isolated(&mut tx, &ingest.profile, username, &owner, config, now, now).await?.is_none()
            {
                skipped += 1;
            }
            ingest.names.update(username, config);
        }
        tx.commit().await?;
    }

    let listed: BTreeSet<&str> = usernames.iter().map(String::as_str).collect();
    let mut vanished: Vec<String> =
        held_accounts(&ingest.db, &ingest.profile).await?.into_iter().filter(|u| !listed.contains(u.as_str())).collect();
    if !vanished.is_empty() && listed.is_empty() {
        // Everything would go: believe it only if a second, independent listing agrees.
        match ingest.admin.list_users().await {
            Ok(names) if names.is_empty() => {
                warn!(profile = %ingest.profile, accounts = vanished.len(), "the server lists no accounts; removing every account we held")
            }
            Ok(names) => {
                warn!(profile = %ingest.profile, listed = names.len(), "the full listing was empty but the user list is not; removing nothing");
                vanished.clear();
            }
            Err(e) => {
                warn!(profile = %ingest.profile, error = %e, "cannot confirm an empty account listing; removing nothing");
                vanished.clear();
            }
        }
    }
    if !vanished.is_empty() {
        ingest.owners.refresh_for(&ingest.db, vanished.iter().map(String::as_str)).await?;
    }
    for chunk in vanished.chunks(ACCOUNTS_PER_TRANSACTION) {
        let mut tx = events::begin(&ingest.db).await?;
        for username in chunk {
            let owner = Owner::from(ingest.owners.get(username));
            remove_account(&mut tx, &ingest.profile, username, &owner, now, now).await?;
            ingest.names.forget(username);
        }
        tx.commit().await?;
    }
    info!(profile = %ingest.profile, accounts = accounts.len(), removed = vanished.len(), skipped, "reconciled accounts");
    Ok(AccountsReconciled { applied: accounts.len(), removed: vanished.len() })
}

/// The accounts of `profile` we hold anything live of: a `comet_users` row, or an active device,
/// an item or an active vault without one (rows an earlier writer left, or a removal that was
/// interrupted). Each table is read on its own: their username columns differ in collation.
pub async fn held_accounts(db: &Db, profile: &str) -> Result<Vec<String>, DbError> {
    const HOLDERS: [&str; 4] = [
        "SELECT username FROM comet_users WHERE profile = ?",
        "SELECT DISTINCT username FROM comet_devices WHERE profile = ? AND is_active = 1",
        "SELECT DISTINCT username FROM comet_items WHERE profile = ? AND username IS NOT NULL",
        "SELECT DISTINCT username FROM comet_vaults WHERE profile = ? AND is_active = 1 AND username IS NOT NULL",
    ];
    let mut held = BTreeSet::new();
    for sql in HOLDERS {
        let rows: Vec<String> = with_pool!(db, pool => sqlx::query_scalar(sql).bind(profile).fetch_all(pool).await?);
        held.extend(rows.into_iter().filter(|u| !u.is_empty()));
    }
    Ok(held.into_iter().collect())
}

/// A deleted account owns nothing any more (see `profile_sync::write_removal`); its outbox rows
/// are appended at once.
pub async fn remove_account(
    tx: &mut Tx,
    profile: &str,
    username: &str,
    owner: &Owner,
    event_ts: i64,
    now: i64,
) -> Result<ProfileSync, DbError> {
    outbox::announced(tx, async |tx, rows| profile_sync::write_removal(tx, profile, username, owner, event_ts, now, rows).await)
        .await
}
