//! `comet_items` rows from a profile's `Sources`.

use comet::SourceConfig;

use crate::db::DbError;
use crate::db::item_content::ItemContent;
use crate::db::items::ItemRow;
use crate::db::schema::COMET_ITEMS;
use crate::db::text_fit;
use crate::db::timestamp::{DbTime, comet_time};

impl ItemRow {
    /// The row of protected item `id`. Its own id is checked against its column when written
    /// (`db::items`), where a refusal can name the account.
    pub fn from_source(id: &str, source: &SourceConfig, now: DbTime) -> Result<ItemRow, DbError> {
        // Engine settings carry credentials: only the secret-free projection is stored.
        let content = ItemContent::from_source(source).to_json()?;
        let last = source.statistics.as_ref().map(|s| &s.last_backup_job).filter(|j| !j.guid.is_empty());
        // Never 1970: a missing or garbage CreateTime falls back to ModifyTime, then to now.
        let modified = comet_time(source.modify_time);
        let created = comet_time(source.create_time).or(modified).unwrap_or(now);
        Ok(ItemRow {
            id: id.to_string(),
            content,
            owner_device: text_fit::reference_or_empty(&COMET_ITEMS, "owner_device", &source.owner_device).to_string(),
            // The derived device key of `comet_device_id` hashes the raw DeviceID.
            raw_owner_device: source.owner_device.clone(),
            name: text_fit::display_owned(&COMET_ITEMS, "name", &source.description),
            r#type: text_fit::display_owned(&COMET_ITEMS, "type", &source.engine),
            total_bytes: last.map(|j| j.total_size),
            total_files: last.map(|j| j.total_files),
            total_directories: last.map(|j| j.total_directories),
            created_at: created,
            updated_at: modified.unwrap_or(now),
        })
    }
}
