//! Everything one profile (`UserProfileConfig`) puts in our tables: its devices, protected
//! items, vaults and the account summary.

use comet::UserProfileConfig;

use crate::db::DbError;
use crate::db::devices::DeviceInfo;
use crate::db::items::ItemRow;
use crate::db::timestamp::DbTime;
use crate::db::users::UserSummary;
use crate::db::vaults::VaultRow;

/// The rows of one account, as its profile describes it. An account that no longer exists is
/// `AccountRows::from_profile` of an empty profile: no devices, items or vaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRows {
    pub devices: Vec<DeviceInfo>,
    pub items: Vec<ItemRow>,
    pub vaults: Vec<VaultRow>,
    pub summary: UserSummary,
}

impl AccountRows {
    /// `username` is the account's (normalised) name; `now` stands in for times Comet left out.
    pub fn from_profile(username: &str, p: &UserProfileConfig, now: DbTime) -> Result<AccountRows, DbError> {
        Ok(AccountRows {
            devices: p.devices.iter().map(|(id, d)| DeviceInfo::from_config(id, username, d)).collect::<Result<_, _>>()?,
            items: p.sources.iter().map(|(id, s)| ItemRow::from_source(id, s, now)).collect::<Result<_, _>>()?,
            vaults: p.destinations.iter().map(|(id, d)| VaultRow::from_destination(id, d, now)).collect::<Result<_, _>>()?,
            summary: UserSummary::from_profile(p),
        })
    }
}

#[cfg(test)]
mod tests {
    use comet::engine::*;
    use serde_json::{Value, json};

    use super::*;

    const SECRET: &str = "TOPSECRET";
    const NOW: i64 = 1_760_000_000;

    /// A protected item of `engine` whose settings, commands and unknown fields all hold secrets.
    fn source(engine: &str) -> Value {
        json!({
            "Engine": engine,
            "Description": format!("Item {engine}"),
            "OwnerDevice": "dev-1",
            "CreateTime": NOW - 100,
            "ModifyTime": NOW - 50,
            "PreExec": [format!("net use Z: \\\\nas\\share {SECRET} /user:admin")],
            "PostExec": [format!("curl -u admin:{SECRET} https://example")],
            "EngineProps": {
                "INCLUDE0": "C:\\Data",
                "PASSWORD": SECRET,
                "COMMAND": format!("mysqldump -p{SECRET}"),
                "SMBAUTH0": format!("{{\"SharePath\":\"\\\\\\\\nas\\\\x\",\"Username\":\"bob\",\"Password\":\"{SECRET}\"}}"),
                "CUSTOM_SETTINGV2": format!("{{\"Organization\":{{}},\"Credential\":\"{SECRET}\"}}"),
                "HOST": "vc.example",
                "SSHKEY": SECRET,
            },
            "Statistics": { "LastBackupJob": { "GUID": "j1", "Status": 5000, "TotalSize": 10, "TotalFiles": 3, "TotalDirectories": 1 } },
            "FutureSecretField": SECRET,
        })
    }

    /// A profile with a device, one protected item per engine and vaults with credentials.
    fn profile() -> UserProfileConfig {
        let engines = [
            ENGINE_EXCHANGEEDB,
            ENGINE_FILE,
            ENGINE_HYPERV,
            ENGINE_MONGODB,
            ENGINE_MSSQL,
            ENGINE_MYSQL,
            ENGINE_PROXMOX,
            ENGINE_STDOUT,
            ENGINE_SYSTEMSTATE,
            ENGINE_VMWARE,
            ENGINE_VSSWRITER,
            ENGINE_WINDISK,
            ENGINE_WINDOWSSYSTEM,
            ENGINE_MSOFFICE,
        ];
        let sources: serde_json::Map<String, Value> =
            engines.iter().enumerate().map(|(i, e)| (format!("item-{i:02}"), source(e))).collect();
        serde_json::from_value(json!({
            "Username": "alice",
            "AccountName": "Alice Ltd",
            "PasswordHash": SECRET,
            "TOTPKey": SECRET,
            "MaximumDevices": 5,
            "Devices": {
                "dev-1": { "FriendlyName": "Front desk", "RegistrationTime": NOW - 3600,
                           "PlatformVersion": { "os": "windows", "arch": "amd64" } }
            },
            "Sources": sources,
            "Destinations": {
                "vault-s3": { "Description": "Offsite", "DestinationType": 1000, "S3Server": "s3.example", "S3BucketName": "b1",
                              "S3AccessKey": SECRET, "S3SecretKey": SECRET, "EncryptedEncryptionKey": SECRET,
                              "StorageLimitEnabled": true, "StorageLimitBytes": 1000,
                              "Statistics": { "ClientProvidedSize": { "Size": 700, "MeasureCompleted": NOW - 10 } } },
                "vault-comet": { "Description": "Cloud", "DestinationType": 1003, "CometServer": "https://storage.example",
                                 "CometBucket": "bucket-9", "CometBucketKey": SECRET, "SFTPPassword": SECRET, "AZBAccountKey": SECRET }
            }
        }))
        .expect("a profile")
    }

    fn rows() -> AccountRows {
        AccountRows::from_profile("alice", &profile(), DbTime::from_unix(NOW).unwrap()).expect("rows")
    }

    #[test]
    fn every_engine_device_and_vault_becomes_a_row() {
        let rows = rows();
        assert_eq!(rows.devices.len(), 1);
        let d = &rows.devices[0];
        assert_eq!((d.device_id.as_str(), d.username.as_str(), d.name.as_str()), ("dev-1", "alice", "Front desk"));
        assert_eq!((d.platform_os.as_str(), d.platform_arch.as_str()), ("windows", "amd64"));
        assert_eq!(rows.items.len(), 14, "one row per protected item, whatever its engine");
        let file = rows.items.iter().find(|i| i.r#type == ENGINE_FILE).expect("the file item");
        assert_eq!((file.owner_device.as_str(), file.total_bytes, file.total_files), ("dev-1", Some(10), Some(3)));
        assert!(file.content.contains("INCLUDE0"), "documented settings are kept: {}", file.content);
        let s3 = rows.vaults.iter().find(|v| v.id == "vault-s3").expect("the S3 vault");
        assert_eq!((s3.bucket_server.as_str(), s3.bucket_name.as_str(), s3.total_bytes), ("s3.example", "b1", Some(700)));
        assert!(s3.has_storage_limit && s3.storage_limit_bytes == 1000);
        let cloud = rows.vaults.iter().find(|v| v.id == "vault-comet").expect("the Comet vault");
        assert_eq!((cloud.bucket_server.as_str(), cloud.bucket_name.as_str()), ("https://storage.example", "bucket-9"));
        let c = &rows.summary.counts;
        assert_eq!((c.devices, c.protected_items, c.vaults, c.vault_bytes), (1, 14, 2, 700));
        assert_eq!((rows.summary.account_name.as_str(), rows.summary.device_quota), ("Alice Ltd", 5));
    }

    #[test]
    fn secrets_never_reach_a_row() {
        let rows = rows();
        // Every value of every row, owner columns aside: a secret anywhere would show here.
        let all = format!("{rows:?}");
        assert!(!all.contains(SECRET), "a credential reached a row: {all}");
        assert!(rows.items.iter().all(|i| !i.content.contains("PreExec") && !i.content.contains("FutureSecretField")));
    }

    #[test]
    fn an_empty_profile_has_no_rows() {
        let empty = UserProfileConfig { username: "gone".into(), ..Default::default() };
        let rows = AccountRows::from_profile("gone", &empty, DbTime::from_unix(NOW).unwrap()).unwrap();
        assert!(rows.devices.is_empty() && rows.items.is_empty() && rows.vaults.is_empty());
        assert_eq!(rows.summary.counts, Default::default());
    }
}
