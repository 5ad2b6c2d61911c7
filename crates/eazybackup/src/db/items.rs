//! `comet_items`: one row per protected item (Comet `Source`), kept in lockstep with each user's
//! profile — upserted from `Sources`, and rows whose ids left `Sources` deleted.

use std::collections::{HashMap, HashSet};

use sha2::{Digest, Sha256};

use crate::db::DbError;
use crate::db::events::Tx;
use crate::db::schema::COMET_ITEMS;
use crate::db::tenancy::{self, ClientId};
use crate::db::text_fit;
use crate::db::timestamp::DbTime;
use crate::db::upsert::{adopt_legacy_rows, dialect_of, placeholders, upsert};
use crate::db::users::Owner;
use crate::with_tx;

/// The historical derived device key: hex sha256 of the client id and the raw DeviceID
/// concatenated as PHP's `hash('sha256', $clientId . $ownerDevice)` does (a NULL client id
/// concatenates as the empty string).
pub fn comet_device_id(client_id: Option<ClientId>, device_id: &str) -> String {
    let client = client_id.map(|c| c.0.to_string()).unwrap_or_default();
    hex::encode(Sha256::digest(format!("{client}{device_id}").as_bytes()))
}

/// One `comet_items` row as we write it (`ItemRow::from_source`, in `comet_rows`), before the
/// owner's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRow {
    pub id: String,
    /// The secret-free projection (`db::item_content`), as JSON.
    pub content: String,
    /// The owning device's id as stored: '' when it does not fit the column.
    pub owner_device: String,
    /// The owning device's id as Comet sent it, hashed into `comet_device_id`.
    pub raw_owner_device: String,
    pub name: String,
    pub r#type: String,
    pub total_bytes: Option<i64>,
    pub total_files: Option<i64>,
    pub total_directories: Option<i64>,
    pub created_at: DbTime,
    pub updated_at: DbTime,
}

/// What a sync changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemsSync {
    pub upserted: usize,
    pub deleted: usize,
}

impl ItemsSync {
    pub fn changed(&self) -> bool {
        self.upserted + self.deleted > 0
    }
}

const COLUMNS: &[&str] = &[
    "id",
    "profile",
    "client_id",
    "username",
    "content",
    "owner_device",
    "comet_device_id",
    "name",
    "type",
    "total_bytes",
    "total_files",
    "total_directories",
    "created_at",
    "updated_at",
];

/// Makes the `(profile, username)` rows equal `items`: new and changed items are upserted,
/// unchanged ones are not touched, rows whose ids are gone are deleted. An item whose content,
/// owner and account are as stored counts as unchanged, so a replayed profile changes nothing.
pub async fn sync_items(
    tx: &mut Tx,
    profile: &str,
    username: &str,
    owner: &Owner,
    items: &[ItemRow],
) -> Result<ItemsSync, DbError> {
    let username = tenancy::normalize_username(username);
    adopt_legacy_rows(tx, "comet_items", profile, &username).await?;
    let stored = stored_items(tx, profile, &username).await?;
    let mut report = ItemsSync::default();
    // Item ids are unique per Comet server only.
    let sql = upsert(dialect_of(tx), "comet_items", COLUMNS, &["profile", "id"], &COLUMNS[2..]);
    for row in items {
        if let Err(e) = text_fit::key(&COMET_ITEMS, "id", &row.id) {
            tracing::warn!(profile, username = %username, reason = %e, "protected item refused: its id does not fit");
            continue;
        }
        let device_key = comet_device_id(owner.client_id, &row.raw_owner_device);
        let unchanged = stored
            .get(row.id.as_str())
            .is_some_and(|s| s.content == row.content && s.client_id == owner.client() && s.comet_device_id == device_key);
        if unchanged {
            continue;
        }
        with_tx!(&mut *tx, conn => {
            sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(&row.id)
                .bind(profile)
                .bind(owner.client())
                .bind(&username)
                .bind(&row.content)
                .bind(&row.owner_device)
                .bind(&device_key)
                .bind(&row.name)
                .bind(&row.r#type)
                .bind(row.total_bytes)
                .bind(row.total_files)
                .bind(row.total_directories)
                .bind(row.created_at)
                .bind(row.updated_at)
                .execute(&mut *conn)
                .await?;
        });
        report.upserted += 1;
    }
    let listed: HashSet<&str> = items.iter().map(|i| i.id.as_str()).collect();
    let gone: Vec<&str> = stored.keys().map(String::as_str).filter(|id| !listed.contains(id)).collect();
    report.deleted = delete_items(tx, profile, &username, &gone).await?;
    Ok(report)
}

struct StoredItem {
    content: String,
    client_id: Option<i64>,
    comet_device_id: String,
}

async fn stored_items(tx: &mut Tx, profile: &str, username: &str) -> Result<HashMap<String, StoredItem>, DbError> {
    let rows: Vec<(String, Option<String>, Option<i64>, String)> = with_tx!(tx, conn => {
        sqlx::query_as(
            "SELECT id, content, CAST(client_id AS SIGNED), comet_device_id FROM comet_items WHERE profile = ? AND username = ?",
        )
        .bind(profile)
        .bind(username)
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(id, content, client_id, comet_device_id)| {
            (id, StoredItem { content: content.unwrap_or_default(), client_id, comet_device_id })
        })
        .collect())
}

async fn delete_items(tx: &mut Tx, profile: &str, username: &str, ids: &[&str]) -> Result<usize, DbError> {
    if ids.is_empty() {
        return Ok(0);
    }
    let sql = format!("DELETE FROM comet_items WHERE profile = ? AND username = ? AND id IN ({})", placeholders(ids.len()));
    let deleted = with_tx!(tx, conn => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(profile).bind(username);
        for id in ids {
            q = q.bind(*id);
        }
        q.execute(&mut *conn).await?.rows_affected()
    });
    Ok(usize::try_from(deleted).unwrap_or(usize::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_hash_matches_php_concatenation() {
        // php -r 'echo hash("sha256", 7 . "dev-1");'
        assert_eq!(comet_device_id(Some(ClientId(7)), "dev-1"), hex::encode(Sha256::digest(b"7dev-1")));
        assert_eq!(comet_device_id(None, "dev-1"), hex::encode(Sha256::digest(b"dev-1")));
    }
}
