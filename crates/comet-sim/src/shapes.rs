//! Wire shapes, written by hand from comet-api.md (§2.4, §5.2–§5.5, §5.8, §5.14).
//!
//! The simulator deliberately does not share model types with the `comet` client crate: if both
//! were generated from one definition, a field the real server never sends could pass unnoticed.
//! Key names, key order and omitempty behaviour follow the reference tables.

use serde::Serialize;
use serde_json::{Map, Value, json};

/// `SEVT_*` codes the simulator emits (§2.5).
pub mod sevt {
    pub const META_HELLO: i64 = 4000;
    pub const ACCOUNT_NEW: i64 = 4100;
    pub const ACCOUNT_REMOVED: i64 = 4101;
    pub const ACCOUNT_UPDATED: i64 = 4102;
    pub const ACCOUNT_LOGIN: i64 = 4103;
    pub const ACCOUNT_LOGIN_FAILED: i64 = 4104;
    pub const ACCOUNT_SESSION_START: i64 = 4105;
    pub const ACCOUNT_SESSION_REVOKE: i64 = 4106;
    pub const ACCOUNT_ADMIN_LOGIN: i64 = 4153;
    pub const ACCOUNT_ADMIN_LOGIN_FAILED: i64 = 4154;
    pub const ACCOUNT_ADMIN_SESSION_START: i64 = 4155;
    pub const ACCOUNT_ADMIN_SESSION_REVOKE: i64 = 4156;
    pub const JOB_NEW: i64 = 4200;
    pub const JOB_COMPLETED: i64 = 4201;
    pub const DEVICE_NEW: i64 = 4700;
    pub const DEVICE_REMOVED: i64 = 4701;
    pub const DEVICE_LIVE_CONNECT: i64 = 4702;
    pub const DEVICE_LIVE_DISCONNECT: i64 = 4703;

    /// `TypeString` = the constant name.
    pub fn name(code: i64) -> &'static str {
        match code {
            META_HELLO => "SEVT_META_HELLO",
            ACCOUNT_NEW => "SEVT_ACCOUNT_NEW",
            ACCOUNT_REMOVED => "SEVT_ACCOUNT_REMOVED",
            ACCOUNT_UPDATED => "SEVT_ACCOUNT_UPDATED",
            ACCOUNT_LOGIN => "SEVT_ACCOUNT_LOGIN",
            ACCOUNT_LOGIN_FAILED => "SEVT_ACCOUNT_LOGIN_FAILED",
            ACCOUNT_SESSION_START => "SEVT_ACCOUNT_SESSION_START",
            ACCOUNT_SESSION_REVOKE => "SEVT_ACCOUNT_SESSION_REVOKE",
            ACCOUNT_ADMIN_LOGIN => "SEVT_ACCOUNT_ADMIN_LOGIN",
            ACCOUNT_ADMIN_LOGIN_FAILED => "SEVT_ACCOUNT_ADMIN_LOGIN_FAILED",
            ACCOUNT_ADMIN_SESSION_START => "SEVT_ACCOUNT_ADMIN_SESSION_START",
            ACCOUNT_ADMIN_SESSION_REVOKE => "SEVT_ACCOUNT_ADMIN_SESSION_REVOKE",
            JOB_NEW => "SEVT_JOB_NEW",
            JOB_COMPLETED => "SEVT_JOB_COMPLETED",
            DEVICE_NEW => "SEVT_DEVICE_NEW",
            DEVICE_REMOVED => "SEVT_DEVICE_REMOVED",
            DEVICE_LIVE_CONNECT => "SEVT_DEVICE_LIVE_CONNECT",
            DEVICE_LIVE_DISCONNECT => "SEVT_DEVICE_LIVE_DISCONNECT",
            _ => "",
        }
    }
}

/// Job status codes (§3.1) the simulator produces.
pub mod status {
    pub const SUCCESS: u64 = 5000;
    pub const RUNNING_ACTIVE: u64 = 6001;
    pub const RUNNING_REVIVED: u64 = 6002;
    pub const RUNNING_TRYAGAIN: u64 = 6003;
    pub const FAILED_WARNING: u64 = 7001;
    pub const FAILED_ERROR: u64 = 7002;
    pub const FAILED_QUOTA: u64 = 7003;
    pub const FAILED_SCHEDULEMISSED: u64 = 7004;
    pub const FAILED_CANCELLED: u64 = 7005;
    pub const FAILED_SKIPALREADYRUNNING: u64 = 7006;
    pub const FAILED_ABANDONED: u64 = 7007;

    pub fn is_running(s: u64) -> bool {
        (6000..=6999).contains(&s)
    }
    pub fn is_terminal(s: u64) -> bool {
        (5000..=5999).contains(&s) || (7000..=7999).contains(&s)
    }
}

pub const CLASSIFICATION_BACKUP: u64 = 4001;
pub const CLASSIFICATION_RESTORE: u64 = 4002;
pub const CLASSIFICATION_RETENTION: u64 = 4003;
pub const CLASSIFICATION_UNLOCK: u64 = 4004;
pub const CLASSIFICATION_DELETE_CUSTOM: u64 = 4005;
pub const CLASSIFICATION_UPDATE: u64 = 4007;
pub const CLASSIFICATION_REINDEX: u64 = 4009;
pub const CLASSIFICATION_DEEPVERIFY: u64 = 4010;
pub const CLASSIFICATION_UNINSTALL: u64 = 4011;
/// Human label of a job classification, for log lines.
pub fn classification_label(class: u64) -> &'static str {
    match class {
        CLASSIFICATION_BACKUP => "Backup",
        CLASSIFICATION_RESTORE => "Restore",
        CLASSIFICATION_RETENTION => "Retention pass",
        CLASSIFICATION_UNLOCK => "Vault unlock",
        CLASSIFICATION_DELETE_CUSTOM => "Snapshot deletion",
        CLASSIFICATION_UPDATE => "Software update",
        CLASSIFICATION_REINDEX => "Reindex",
        CLASSIFICATION_DEEPVERIFY => "Deep verify",
        CLASSIFICATION_UNINSTALL => "Software uninstall",
        _ => "Job",
    }
}

pub const DESTINATIONTYPE_S3: u64 = 1000;
pub const DESTINATIONTYPE_COMET: u64 = 1003;
pub const SERVER_VERSION: &str = "25.9.6";

/// `StreamableEvent` (§2.4): `ResourceID`, `Timestamp`, `TypeString`, `Data` are omitempty.
pub fn streamable_event(code: i64, actor: &str, org: &str, resource_id: &str, timestamp: i64, data: Option<Value>) -> Value {
    let mut m = Map::new();
    m.insert("Actor".into(), json!(actor));
    m.insert("OwnerOrganizationID".into(), json!(org));
    if !resource_id.is_empty() {
        m.insert("ResourceID".into(), json!(resource_id));
    }
    m.insert("Type".into(), json!(code));
    if timestamp != 0 {
        m.insert("Timestamp".into(), json!(timestamp));
    }
    let name = sevt::name(code);
    if !name.is_empty() {
        m.insert("TypeString".into(), json!(name));
    }
    if let Some(d) = data.filter(|d| !d.is_null()) {
        m.insert("Data".into(), d);
    }
    Value::Object(m)
}

/// A Go slice or map as Comet's encoder writes it: a nil one (nothing was ever appended) is
/// `null`, not `[]`/`{}`. Real answers with nothing in them are nil, so clients must cope.
pub fn go_collection(v: Value) -> Value {
    match &v {
        Value::Array(a) if a.is_empty() => Value::Null,
        Value::Object(m) if m.is_empty() => Value::Null,
        _ => v,
    }
}

/// `CometAPIResponseMessage` (§5.1).
pub fn api_message(status: u16, message: &str) -> Value {
    json!({ "Status": status, "Message": message })
}

/// `SizeMeasurement` (§5.5).
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
pub struct SizeMeasurement {
    #[serde(rename = "Size")]
    pub size: i64,
    #[serde(rename = "MeasureStarted")]
    pub measure_started: i64,
    #[serde(rename = "MeasureCompleted")]
    pub measure_completed: i64,
}

/// `BackupJobProgress` (§5.8); `RecievedTime` is misspelled on the wire.
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
pub struct BackupJobProgress {
    #[serde(rename = "Counter")]
    pub counter: i64,
    #[serde(rename = "SentTime")]
    pub sent_time: i64,
    #[serde(rename = "RecievedTime")]
    pub recieved_time: i64,
    #[serde(rename = "BytesDone")]
    pub bytes_done: i64,
    #[serde(rename = "ItemsDone")]
    pub items_done: i64,
    #[serde(rename = "ItemsTotal")]
    pub items_total: i64,
}

fn is_zero(v: &i64) -> bool {
    *v == 0
}

/// A Go struct field: written even when empty, as its zero value.
fn zero_when_none<T: Serialize + Default, S: serde::Serializer>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => v.serialize(s),
        None => T::default().serialize(s),
    }
}

/// `BackupJobDetail` (§5.8), key order as in the reference table.
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
pub struct BackupJobDetail {
    #[serde(rename = "GUID")]
    pub guid: String,
    #[serde(rename = "Username")]
    pub username: String,
    #[serde(rename = "Classification")]
    pub classification: u64,
    #[serde(rename = "Status")]
    pub status: u64,
    #[serde(rename = "StartTime")]
    pub start_time: i64,
    #[serde(rename = "EndTime")]
    pub end_time: i64,
    #[serde(rename = "RetryCount")]
    pub retry_count: i64,
    #[serde(rename = "SourceGUID")]
    pub source_guid: String,
    #[serde(rename = "DestinationGUID")]
    pub destination_guid: String,
    #[serde(rename = "DeviceID")]
    pub device_id: String,
    #[serde(rename = "SnapshotID", skip_serializing_if = "String::is_empty")]
    pub snapshot_id: String,
    #[serde(rename = "BackupRuleGUID", skip_serializing_if = "String::is_empty")]
    pub backup_rule_guid: String,
    #[serde(rename = "ClientVersion")]
    pub client_version: String,
    #[serde(rename = "TotalDirectories")]
    pub total_directories: i64,
    #[serde(rename = "TotalFiles")]
    pub total_files: i64,
    #[serde(rename = "TotalSize")]
    pub total_size: i64,
    #[serde(rename = "TotalChunks")]
    pub total_chunks: i64,
    #[serde(rename = "UploadSize")]
    pub upload_size: i64,
    #[serde(rename = "DownloadSize")]
    pub download_size: i64,
    #[serde(rename = "TotalVmCount", skip_serializing_if = "is_zero")]
    pub total_vm_count: i64,
    #[serde(rename = "TotalMailsCount", skip_serializing_if = "is_zero")]
    pub total_mails_count: i64,
    #[serde(rename = "TotalAccountsCount", skip_serializing_if = "is_zero")]
    pub total_accounts_count: i64,
    #[serde(rename = "CancellationID", skip_serializing_if = "String::is_empty")]
    pub cancellation_id: String,
    // The SDK tags these three `omitempty`, but its encoder never omits a struct: they are always
    // written, zero-valued when the job has none (`None` here).
    #[serde(rename = "Progress", serialize_with = "zero_when_none")]
    pub progress: Option<BackupJobProgress>,
    #[serde(rename = "DestinationSizeStart", serialize_with = "zero_when_none")]
    pub destination_size_start: Option<SizeMeasurement>,
    #[serde(rename = "DestinationSizeEnd", serialize_with = "zero_when_none")]
    pub destination_size_end: Option<SizeMeasurement>,
    #[serde(rename = "Tags", skip_serializing_if = "String::is_empty")]
    pub tags: String,
}

impl BackupJobDetail {
    pub fn to_value(&self) -> Value {
        // Serialising plain strings and integers cannot fail.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// `OSInfo` (§5.3): lower-case keys, all omitempty.
#[derive(Clone, Debug, Default)]
pub struct OsInfo {
    pub version: String,
    pub distribution: String,
    pub build: String,
    pub os: String,
    pub arch: String,
}

impl OsInfo {
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        for (k, v) in [
            ("version", &self.version),
            ("distribution", &self.distribution),
            ("build", &self.build),
            ("os", &self.os),
            ("arch", &self.arch),
        ] {
            if !v.is_empty() {
                m.insert(k.into(), json!(v));
            }
        }
        Value::Object(m)
    }
}

/// `DeviceConfig` (§5.3). `sources` is the `SourceBasicInfo` map (omitempty).
pub fn device_config(
    friendly_name: &str,
    registration_time: i64,
    os: &OsInfo,
    timezone: &str,
    client_version: &str,
    sources: Map<String, Value>,
) -> Value {
    let mut m = Map::new();
    m.insert("FriendlyName".into(), json!(friendly_name));
    if registration_time != 0 {
        m.insert("RegistrationTime".into(), json!(registration_time));
    }
    m.insert("PlatformVersion".into(), os.to_value());
    if !sources.is_empty() {
        m.insert("Sources".into(), Value::Object(sources));
    }
    if !timezone.is_empty() {
        m.insert("DeviceTimezone".into(), json!(timezone));
    }
    if !client_version.is_empty() {
        m.insert("ClientVersion".into(), json!(client_version));
    }
    Value::Object(m)
}

/// `SourceBasicInfo` (§5.3).
pub fn source_basic_info(engine: &str, description: &str, size: i64, vm_count: i64, o365: i64) -> Value {
    json!({
        "Engine": engine,
        "Description": description,
        "O365AccountCount": o365,
        "TotalVmCount": vm_count,
        "Size": size,
    })
}

/// `SourceConfig` (§5.4). `Statistics` is a struct, which the encoder always writes: zero-valued
/// until the first job fills it in.
pub fn source_config(engine: &str, description: &str, owner_device: &str, created: i64, engine_props: Value) -> Value {
    json!({
        "Engine": engine,
        "Description": description,
        "OwnerDevice": owner_device,
        "CreateTime": created,
        "ModifyTime": created,
        "PreExec": null,
        "ThawExec": null,
        "PostExec": null,
        "EngineProps": engine_props,
        "PolicySourceID": "",
        "ExistingUserUpdate": false,
        "Statistics": source_statistics(0, &BackupJobDetail::default(), &BackupJobDetail::default()),
    })
}

/// `BackupRuleConfig` (§5.6) with one daily `ScheduleConfig` at `hour:minute` local time and
/// retry-on-failure triggers; every non-omitempty key present.
pub fn backup_rule(description: &str, source: &str, destination: &str, created: i64, hour: u64, minute: u64) -> Value {
    json!({
        "Description": description,
        "CreateTime": created,
        "ModifyTime": created,
        "PreExec": null,
        "ThawExec": null,
        "PostExec": null,
        "Source": source,
        "Destination": destination,
        "SkipAlreadyRunning": true,
        "StopAfter": 0,
        "LimitVaultSpeedBps": 0,
        "ReduceDiskConcurrency": false,
        "UseOnDiskIndexes": false,
        "AllowZeroFilesSuccess": false,
        "AutoRetentionLevel": 0,
        "ConcurrencyCount": 0,
        "LogLevel": "",
        "Tags": "",
        "Schedules": [{
            "FrequencyType": 8011,
            "SecondsPast": hour * 3600 + minute * 60,
            "RestrictRuntime": false,
            "FromTime": { "Hour": 0, "Minutes": 0 },
            "ToTime": { "Hour": 0, "Minutes": 0 },
            "RestrictDays": false,
            "DaysSelect": { "Sunday": false, "Monday": false, "Tuesday": false, "Wednesday": false,
                "Thursday": false, "Friday": false, "Saturday": false },
            "RandomDelaySecs": 600,
            "SelectedMonth": 0,
            "SelectedDay": 0,
        }],
        "EventTriggers": {
            "OnPCBootIfLastJobMissed": true,
            "OnLastJobFailDoRetry": true,
            "LastJobFailDoRetryCount": 1,
            "LastJobFailDoRetryTime": 30,
        },
    })
}

/// What a real server's profile always holds whatever was written to it: Go decodes a missing
/// struct field as its zero value and the encoder writes every struct field, so `ServerConfig`,
/// each item's `Statistics` and each vault's `Statistics` are present (zero-valued when new).
pub fn write_struct_fields(profile: &mut Map<String, Value>) {
    profile.entry("ServerConfig").or_insert_with(|| json!({}));
    if let Some(Value::Object(sources)) = profile.get_mut("Sources") {
        for source in sources.values_mut().filter_map(Value::as_object_mut) {
            source
                .entry("Statistics")
                .or_insert_with(|| source_statistics(0, &BackupJobDetail::default(), &BackupJobDetail::default()));
        }
    }
    if let Some(Value::Object(vaults)) = profile.get_mut("Destinations") {
        for vault in vaults.values_mut().filter_map(Value::as_object_mut) {
            vault.entry("Statistics").or_insert_with(|| destination_statistics(0, 0));
        }
    }
}

/// `SourceStatistics` (§5.4): both job fields are non-omitempty structs, so a missing
/// successful job is the zero-valued `BackupJobDetail`.
pub fn source_statistics(last_start: i64, last: &BackupJobDetail, last_success: &BackupJobDetail) -> Value {
    json!({
        "LastStartTime": last_start,
        "LastBackupJob": last.to_value(),
        "LastSuccessfulBackupJob": last_success.to_value(),
    })
}

/// Everything a seeded vault needs to differ in.
pub struct VaultSeed<'a> {
    pub description: &'a str,
    pub destination_type: u64,
    pub created: i64,
    pub comet_server: &'a str,
    pub comet_bucket: &'a str,
    pub comet_bucket_key: &'a str,
    pub s3_server: &'a str,
    pub s3_bucket: &'a str,
    pub s3_access_key: &'a str,
    pub s3_secret_key: &'a str,
    pub storage_limit_bytes: i64,
    pub used_bytes: i64,
    pub associated_devices: Vec<String>,
    pub encrypted_key: &'a str,
}

/// `DestinationConfig` (§5.5) with every non-omitempty key present.
pub fn destination_config(v: &VaultSeed<'_>) -> Value {
    let s3 = v.destination_type == DESTINATIONTYPE_S3;
    json!({
        "Description": v.description,
        "CreateTime": v.created,
        "ModifyTime": v.created,
        "PreExec": null,
        "ThawExec": null,
        "PostExec": null,
        "DestinationType": v.destination_type,
        "CometServer": v.comet_server,
        "CometBucket": v.comet_bucket,
        "CometBucketKey": v.comet_bucket_key,
        "S3Server": v.s3_server,
        "S3UsesTLS": s3,
        "S3AccessKey": v.s3_access_key,
        "S3SecretKey": v.s3_secret_key,
        "S3BucketName": v.s3_bucket,
        "S3Subdir": "",
        "S3CustomRegion": "",
        "S3UsesV2Signing": false,
        "S3RemoveDeleted": false,
        "S3ObjectLockMode": 0,
        "S3ObjectLockDays": 0,
        "SFTPServer": "",
        "SFTPUsername": "",
        "SFTPRemotePath": "",
        "SFTPAuthMode": 0,
        "SFTPPassword": "",
        "SFTPPrivateKey": "",
        "SFTPCustomAuth_UseKnownHostsFile": false,
        "SFTPCustomAuth_KnownHostsFile": "",
        "FTPServer": "",
        "FTPUsername": "",
        "FTPPassword": "",
        "FTPBaseUseHomeDirectory": false,
        "FTPCustomBaseDirectory": "",
        "FTPSMode": 0,
        "FTPPort": 0,
        "FTPMaxConnections": 0,
        "FTPAcceptInvalidSSL": false,
        "AZBAccountName": "",
        "AZBAccountKey": "",
        "AZBContainer": "",
        "AZBRealm": "",
        "AZBPrefix": "",
        "LocalcopyPath": "",
        "LocalcopyWinSMBUsername": "",
        "LocalcopyWinSMBPassword": "",
        "LocalcopyWinSMBPasswordFormat": 0,
        "Swift": {},
        "B2": {},
        "WebDav": {},
        "Storj": { "SatelliteAddress": "", "APIKey": "", "Passphrase": "", "StorjBucket": "" },
        "SMB": { "SMBServer": "", "SMBShare": "", "SMBDirectory": "", "SMBUsername": "", "SMBPassword": "" },
        "SpanTargets": null,
        "SpanUseStaticSlots": false,
        "Tag": "",
        "EncryptionKeyEncryptionMethod": 2,
        "EncryptedEncryptionKey": v.encrypted_key,
        "RepoInitTimestamp": v.created,
        "StorageLimitEnabled": v.storage_limit_bytes > 0,
        "StorageLimitBytes": v.storage_limit_bytes,
        "Statistics": destination_statistics(v.used_bytes, v.created),
        "DefaultRetention": { "Mode": 802, "Ranges": [ { "Type": 902, "Timestamp": 0, "Jobs": 0, "Days": 30, "Weeks": 0, "Months": 0, "Years": 0, "WeekOffset": 0, "MonthOffset": 0, "YearOffset": 0 } ] },
        "RebrandStorage": false,
        "RetentionError": "",
        "AssociatedDevices": v.associated_devices,
    })
}

/// `DestinationStatistics` (§5.5).
pub fn destination_statistics(size: i64, measured_at: i64) -> Value {
    json!({
        "ClientProvidedSize": { "Size": size, "MeasureStarted": measured_at, "MeasureCompleted": measured_at },
        "ClientProvidedContent": { "MeasureStarted": measured_at, "MeasureCompleted": measured_at, "Components": null },
    })
}

/// `UserPolicy` (§5.12) with no restrictions; omitempty keys left out.
pub fn default_user_policy() -> Value {
    json!({
        "PreventRequestStorageVault": false,
        "PreventAddCustomStorageVault": false,
        "PreventEditStorageVault": false,
        "HideCloudStorageBranding": false,
        "PreventDeleteStorageVault": false,
        "StorageVaultProviders": { "ShouldRestrictProviderList": false, "AllowedProvidersWhenRestricted": null },
        "DefaultNewStorageVault": "",
        "PreventNewProtectedItem": false,
        "PreventEditProtectedItem": false,
        "PreventDeleteProtectedItem": false,
        "ProtectedItemEngineTypes": { "ShouldRestrictEngineTypeList": false, "AllowedEngineTypeWhenRestricted": null },
        "PreventDeleteSingleSnapshots": false,
        "PreventChangeAccountPassword": false,
        "PreventChangeEmailSettings": false,
        "PreventChangeAccountName": false,
        "PreventOpenAppUI": false,
        "RequirePasswordOpenAppUI": false,
        "HideAppImport": false,
        "HideAppVersion": false,
        "PreventOpenWebUI": false,
        "PreventViewDeviceNames": false,
        "DefaultEmailReports": { "ShouldOverrideDefaultReports": false, "Reports": null },
        "DefaultStorageVaultRetention": { "Mode": 0, "Ranges": null },
        "EnforceStorageVaultRetention": false,
        "PreventProtectedItemRetention": false,
        "AllowEditObjectLockRetention": false,
        "DefaultSources": null,
        "DefaultSourcesBackupRules": null,
        "DefaultSourcesWithOSRestriction": null,
        "DefaultBackupRules": null,
        "RotateStorageVaultKeysHours": 0,
    })
}

/// `UserProfileConfig` (§5.2) skeleton; the caller fills `Destinations`, `Sources`, `Devices`.
pub fn user_profile(
    username: &str,
    account_name: &str,
    email: &str,
    created: i64,
    creation_guid: &str,
    password_hash: &str,
) -> Map<String, Value> {
    let v = json!({
        "Username": username,
        "AccountName": account_name,
        "LocalTimezone": "America/Toronto",
        "LanguageCode": "en_US",
        "GroupID": "",
        "Emails": [email],
        "OverrideEmailSettings": {},
        "SendEmailReports": true,
        "Destinations": {},
        "SupportsDeviceAssociations": true,
        "Sources": {},
        "BackupRules": {},
        "Devices": {},
        "IsSuspended": false,
        "AllProtectedItemsQuotaEnabled": false,
        "AllProtectedItemsQuotaBytes": 0,
        "MaximumDevices": 0,
        "QuotaOffice365ProtectedAccounts": 0,
        "QuotaHyperVGuests": 0,
        "QuotaVMwareGuests": 0,
        "PolicyID": "",
        "Policy": default_user_policy(),
        "PasswordFormat": 2,
        "PasswordHash": password_hash,
        "AllowPasswordLogin": true,
        "AllowPasswordAndTOTPLogin": false,
        "TOTPKeyEncryptionFormat": 0,
        "TOTPKey": "",
        "RequirePasswordChange": false,
        "CreateTime": created,
        "CreationGUID": creation_guid,
        "AutoStorageTemplateGUID": "",
        "LinuxHomedirSandbox": false,
        // A struct field: always written (its only member is omitempty).
        "ServerConfig": {},
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// `LiveUserConnection` (§5.3).
pub fn live_user_connection(
    username: &str,
    device_id: &str,
    version: &str,
    os: &OsInfo,
    timezone: &str,
    connection_time: i64,
    allows_filenames: bool,
) -> Value {
    let mut m = Map::new();
    m.insert("Username".into(), json!(username));
    m.insert("DeviceID".into(), json!(device_id));
    m.insert("ReportedVersion".into(), json!(version));
    m.insert("ReportedPlatform".into(), json!(format!("{}/{}", os.os, os.arch)));
    m.insert("ReportedPlatformVersion".into(), os.to_value());
    if !timezone.is_empty() {
        m.insert("DeviceTimeZone".into(), json!(timezone));
    }
    m.insert("IPAddress".into(), json!("203.0.113.17"));
    m.insert("ConnectionTime".into(), json!(connection_time));
    m.insert("AllowsFilenames".into(), json!(allows_filenames));
    Value::Object(m)
}

/// `ServerMetaVersionInfo` (§5.14).
pub fn meta_version(start_time: i64, start_hash: &str, now: i64, configured_devices: i64) -> Value {
    json!({
        "Version": SERVER_VERSION,
        "VersionCodename": "Voyager",
        "StorageRole": true,
        "AuthenticationRole": true,
        "SoftwareBuildRole": true,
        "OverseerRole": false,
        "ConstellationRole": false,
        "ServerStartTime": start_time,
        "ServerStartHash": start_hash,
        "CurrentTime": now,
        "ServerLicenseHash": "5f1d0c9a8e7b6a5c4d3e2f1a0b9c8d7e",
        "ServerLicenseFeaturesAll": false,
        "ServerLicenseFeatureSet": 0,
        "ServerLicenseLimit": {},
        "ConfiguredDevices": configured_devices,
        "BoosterLimit": {},
        "LicenseValidUntil": now + 365 * 86_400,
        "EmailsSentSuccessfully": 0,
        "EmailsSentErrors": 0,
        "EmailsWaitingInQueue": 0,
        "ScheduledEmailThreadCurrentState": 0,
        "ScheduledEmailThreadLastCalculateDurationNanos": 0,
        "ScheduledEmailThreadWaitingUntil": 0,
        "ScheduledEmailThreadLastWakeTime": 0,
        "ScheduledEmailThreadLastWakeSentEmails": false,
        "SelfBackup": null,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_envelope_omits_empty_resource_and_data() {
        let ev = streamable_event(sevt::META_HELLO, "", "", "", 10, None);
        let keys: Vec<_> = ev.as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
        assert_eq!(keys, ["Actor", "OwnerOrganizationID", "Type", "Timestamp", "TypeString"]);
    }

    #[test]
    fn running_job_keeps_progress_and_drops_snapshot() {
        let d = BackupJobDetail { progress: Some(BackupJobProgress::default()), ..Default::default() };
        let v = d.to_value();
        assert!(v.get("Progress").and_then(|p| p.get("RecievedTime")).is_some());
        assert!(v.get("SnapshotID").is_none());
        assert!(v.get("EndTime").is_some());
    }
}
