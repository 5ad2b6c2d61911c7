//! `comet_vaults` rows from a profile's `Destinations`. A `DestinationConfig` carries storage
//! credentials (bucket keys, S3/B2/Azure/SFTP secrets, the encrypted vault key): only the
//! allow-listed [`VaultContent`] and the bucket's location are taken.

use comet::DestinationConfig;

use crate::db::DbError;
use crate::db::schema::COMET_VAULTS;
use crate::db::text_fit;
use crate::db::timestamp::{DbTime, comet_time};
use crate::db::vaults::{VaultContent, VaultRow};

impl VaultContent {
    pub fn from_destination(d: &DestinationConfig) -> VaultContent {
        let size = d.statistics.as_ref().map(|s| &s.client_provided_size);
        VaultContent {
            description: d.description.clone(),
            destination_type: d.destination_type.0,
            create_time: d.create_time,
            modify_time: d.modify_time,
            storage_limit_enabled: d.storage_limit_enabled,
            storage_limit_bytes: d.storage_limit_bytes,
            measured_bytes: size.map(|s| s.size),
            measured_at: size.map(|s| s.measure_completed).filter(|t| *t > 0),
            repo_initialised_at: d.repo_init_timestamp,
            associated_devices: d.associated_devices.to_vec(),
            retention_error: d.retention_error.clone(),
            rebrand_storage: d.rebrand_storage,
        }
    }
}

impl VaultRow {
    /// The row of vault `id`. Its own id is checked against its column when written
    /// (`db::vaults`).
    pub fn from_destination(id: &str, d: &DestinationConfig, now: DbTime) -> Result<VaultRow, DbError> {
        let content = serde_json::to_string(&VaultContent::from_destination(d))
            .map_err(|e| DbError::Sql(sqlx::Error::Encode(Box::new(e))))?;
        let (bucket_server, bucket_name) = bucket_location(d);
        Ok(VaultRow {
            id: id.to_string(),
            content,
            name: text_fit::display_owned(&COMET_VAULTS, "name", &d.description),
            r#type: i16::try_from(d.destination_type.0).unwrap_or(0),
            total_bytes: d.measured_size(),
            bucket_server,
            bucket_name,
            has_storage_limit: d.storage_limit_enabled,
            storage_limit_bytes: d.storage_limit_bytes.max(0),
            created_at: comet_time(d.create_time).unwrap_or(now),
        })
    }
}

/// Where the vault's data lives (not a credential): Comet storage server + bucket, or S3 endpoint
/// + bucket. Billing groups storage by server.
fn bucket_location(d: &DestinationConfig) -> (String, String) {
    let fit = |column, s: &str| text_fit::display_owned(&COMET_VAULTS, column, s);
    if d.comet_server.is_empty() {
        (fit("bucket_server", &d.s3_server), fit("bucket_name", &d.s3_bucket_name))
    } else {
        (fit("bucket_server", &d.comet_server), fit("bucket_name", &d.comet_bucket))
    }
}
