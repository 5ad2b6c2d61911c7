//! Serde models of the Comet JSON shapes (PascalCase keys exactly as on the wire). Every struct
//! keeps unknown keys in `extra`, accepts `null` for arrays/maps/objects, writes a `null`
//! array/map back as `null` ([`Nullable`]), and leaves out `omitempty` keys when zero, so
//! serialize(deserialize(x)) == x for what the server sends.

/// A response type: `Status` + `Message` (as in `CometAPIResponseMessage`), the given payload
/// fields, and `extra`.
macro_rules! comet_response {
    ($(#[$meta:meta])* $name:ident { $($body:tt)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(default)]
        pub struct $name {
            /// See [`CometAPIResponseMessage`](crate::models::CometAPIResponseMessage).
            #[serde(rename = "Status")]
            pub status: i64,
            /// See [`CometAPIResponseMessage`](crate::models::CometAPIResponseMessage).
            #[serde(rename = "Message")]
            pub message: String,
            $($body)*
            /// Keys this crate does not model.
            #[serde(flatten)]
            pub extra: crate::models::Extra,
        }
    };
}

mod backup_rule;
mod browse;
mod codes;
mod destination;
mod device;
mod email;
mod engine_props;
mod event;
mod job;
mod meta;
mod nullable;
mod options;
mod policy;
mod profile;
mod response;
mod search;
mod source;
mod wire;

pub use backup_rule::{BackupRuleConfig, BackupRuleEventTriggers, DaysOfWeekConfig, HourSchedConfig, ScheduleConfig};
pub use browse::{
    BrowseDiskDrivesResponse, BrowseEDBResponse, BrowseHVResponse, BrowseOffice365ObjectsResponse, BrowseSQLServerResponse,
    BrowseVMwareResponse, BrowseVSSResponse, DiskDrive, DispatcherStoredObjectsResponse, EDBFileInfo, HyperVMachineInfo,
    Office365ObjectInfo, Partition, PartitionConflict, SearchResultFileInfo, SearchSnapshotsResponse, StoredObject,
    VMDKSnapshotViewOptions, VMwareNamed, VSSComponent, VSSWriterInfo,
};
pub use codes::{
    AutoRetentionLevel, DefaultSettingMode, EmailReportType, FtpsMode, ObjectLockMode, RETENTION_MAXINT, RestoreArchiveFormat,
    RestoreType, RetentionMode, RetentionRangeType, SCHEDULE_MAX_RANDOM_DELAY_SECS, ScheduleFrequency, SftpAuthMode, severity,
    stored_object_type,
};
pub use destination::{
    B2DestinationLocation, ContentMeasurement, ContentMeasurementComponent, DestinationConfig, DestinationLocation,
    DestinationStatistics, SMBDestinationLocation, StorjDestinationLocation, SwiftDestinationLocation, WebDavDestinationLocation,
};
pub use device::{DeviceConfig, LiveUserConnection, OSInfo, SourceBasicInfo};
pub use email::{EmailReportConfig, EmailReportGeneratedPreview, EmailReportingOption, TimeSpan, UserCustomEmailSettings};
pub use engine_props::{SourceIncludePattern, WinSMBAuth, keys as engine_prop_keys};
pub use event::{EventData, StreamableEvent};
pub use job::{BackupJobDetail, BackupJobProgress, JobEntry, SizeMeasurement, VaultSnapshot};
pub use meta::{
    AvailableDownload, ExternalAuthenticationSourceDisplay, NewsEntry, ServerMetaBrandingProperties, ServerMetaVersionInfo,
};
pub use nullable::{Collection, Nullable, NullableMap, NullableVec};
pub use options::{
    BackupJobAdvancedOptions, HyperVRestoreTargetOptions, MSSQLLoginArgs, Office365Credential, ProxmoxRestoreTargetOptions,
    RestoreJobAdvancedOptions, UninstallConfig, VMwareRestoreTargetOptions,
};
pub use policy::{GetGroupPolicyResponse, GroupPolicy, UserPolicy};
pub use profile::{UserProfileConfig, UserServerConfig};
pub use response::{
    CometAPIResponseMessage, DispatchWithJobIDResponse, DispatcherVaultSnapshotsResponse, GetProfileAndHashResponseMessage,
    GetProfileHashResponseMessage, InstallToken, InstallTokenResponse, ProtectedItemWithBackupRulesResponse,
    RequestStorageVaultResponseMessage, SessionKeyRegeneratedResponse, TotpRegeneratedResponse,
};
pub use search::{CountJobsResponse, SearchClause, clause_type, job_field, operator};
pub use source::{RetentionPolicy, RetentionRange, SourceConfig, SourceStatistics};
pub use wire::{Extra, Secret, SecretJson};
