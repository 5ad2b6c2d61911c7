//! Closing the gap for accounts: profile changes (new devices, renamed devices, items, vaults)
//! made while we were not listening. One `AdminListUsersFull` per (re)connect, applied exactly as
//! `SEVT_ACCOUNT_UPDATED` would be (the writes are idempotent), a bounded number per transaction.

use tracing::info;

use crate::db::events;
use crate::db::users::Owner;
use crate::ingest::handlers::Ingest;
use crate::ingest::profile_sync;

/// Accounts per transaction: keeps each write transaction (and SQLite's single writer) short.
const ACCOUNTS_PER_TRANSACTION: usize = 50;

#[derive(Debug, thiserror::Error)]
pub enum AccountReconcileError {
    #[error("Comet Admin API: {0}")]
    Comet(#[from] comet::CometError),
    #[error("database: {0}")]
    Db(#[from] crate::db::DbError),
}

/// Mirrors every account's profile; returns how many accounts were applied.
pub async fn reconcile_accounts(ingest: &mut Ingest) -> Result<usize, AccountReconcileError> {
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
    info!(profile = %ingest.profile, accounts = accounts.len(), skipped, "reconciled accounts");
    Ok(accounts.len())
}
