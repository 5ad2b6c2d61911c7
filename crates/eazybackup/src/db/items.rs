//! `comet_items`: one row per protected item (Comet `Source`), kept in lockstep with each user's
//! profile — upserted from `Sources`, and rows whose ids left `Sources` deleted.

use std::collections::{BTreeMap, HashMap};

use comet::SourceConfig;
use sha2::{Digest, Sha256};

use crate::db::DbError;
use crate::db::events::Tx;
use crate::db::item_content::ItemContent;
use crate::db::schema::COMET_ITEMS;
use crate::db::tenancy::{self, ClientId};
use crate::db::text_fit::{self, TooLong};
use crate::db::timestamp::{DbTime, comet_time};
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

/// One `comet_items` row as we write it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ItemRow {
    id: String,
    content: String,
    owner_device: String,
    comet_device_id: String,
    name: String,
    r#type: String,
    total_bytes: Option<i64>,
    total_files: Option<i64>,
    total_directories: Option<i64>,
    created_at: DbTime,
    updated_at: DbTime,
}

/// `Err` with the reason when the item's own id does not fit its column (the row is refused).
fn item_row(id: &str, source: &SourceConfig, owner: &Owner, now: DbTime) -> Result<Result<ItemRow, TooLong>, DbError> {
    let id = match text_fit::key(&COMET_ITEMS, "id", id) {
        Ok(id) => id,
        Err(e) => return Ok(Err(e)),
    };
    // Engine settings carry credentials: only the secret-free projection is stored.
    let content = ItemContent::from_source(source).to_json()?;
    let last = source.statistics.as_ref().map(|s| &s.last_backup_job).filter(|j| !j.guid.is_empty());
    // Never 1970: a missing or garbage CreateTime falls back to ModifyTime, then to now.
    let modified = comet_time(source.modify_time);
    let created = comet_time(source.create_time).or(modified).unwrap_or(now);
    Ok(Ok(ItemRow {
        id: id.to_string(),
        content,
        owner_device: text_fit::reference_or_empty(&COMET_ITEMS, "owner_device", &source.owner_device).to_string(),
        comet_device_id: comet_device_id(owner.client_id, &source.owner_device),
        name: text_fit::display_owned(&COMET_ITEMS, "name", &source.description),
        r#type: text_fit::display_owned(&COMET_ITEMS, "type", &source.engine),
        total_bytes: last.map(|j| j.total_size),
        total_files: last.map(|j| j.total_files),
        total_directories: last.map(|j| j.total_directories),
        created_at: created,
        updated_at: modified.unwrap_or(now),
    }))
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

/// Makes the `(profile, username)` rows equal `sources`: new and changed items are upserted,
/// unchanged ones are not touched, rows whose ids are gone are deleted. An item whose content,
/// owner and account are as stored counts as unchanged, so a replayed profile changes nothing.
pub async fn sync_items(
    tx: &mut Tx,
    profile: &str,
    username: &str,
    owner: &Owner,
    sources: &BTreeMap<String, SourceConfig>,
    now: DbTime,
) -> Result<ItemsSync, DbError> {
    let username = tenancy::normalize_username(username);
    adopt_legacy_rows(tx, "comet_items", profile, &username).await?;
    let stored = stored_items(tx, profile, &username).await?;
    let mut report = ItemsSync::default();
    // Item ids are unique per Comet server only.
    let sql = upsert(dialect_of(tx), "comet_items", COLUMNS, &["profile", "id"], &COLUMNS[2..]);
    for (id, source) in sources {
        let row = match item_row(id, source, owner, now)? {
            Ok(row) => row,
            Err(e) => {
                tracing::warn!(profile, username = %username, reason = %e, "protected item refused: its id does not fit");
                continue;
            }
        };
        let unchanged = stored.get(id.as_str()).is_some_and(|s| {
            s.content == row.content && s.client_id == owner.client() && s.comet_device_id == row.comet_device_id
        });
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
                .bind(&row.comet_device_id)
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
    let gone: Vec<&str> = stored.keys().map(String::as_str).filter(|id| !sources.contains_key(*id)).collect();
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
