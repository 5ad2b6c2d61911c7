//! Serde models of the Comet JSON shapes (PascalCase keys exactly as on the wire). Every struct
//! keeps unknown keys in `extra`, accepts `null` for arrays/maps/objects, and leaves out
//! `omitempty` keys when zero, so serialize(deserialize(x)) == x for what the server sends.

mod backup_rule;
mod destination;
mod device;
mod event;
mod job;
mod meta;
mod profile;
mod response;
mod source;
mod wire;

pub use backup_rule::{BackupRuleConfig, BackupRuleEventTriggers, ScheduleConfig};
pub use destination::{ContentMeasurement, ContentMeasurementComponent, DestinationConfig, DestinationStatistics};
pub use device::{DeviceConfig, LiveUserConnection, OSInfo, SourceBasicInfo};
pub use event::{EventData, StreamableEvent};
pub use job::{BackupJobDetail, BackupJobProgress, JobEntry, SizeMeasurement, VaultSnapshot};
pub use meta::ServerMetaVersionInfo;
pub use profile::{UserPolicy, UserProfileConfig, UserServerConfig};
pub use response::{
    CometAPIResponseMessage, DispatchWithJobIDResponse, DispatcherVaultSnapshotsResponse,
    GetProfileAndHashResponseMessage, GetProfileHashResponseMessage, RequestStorageVaultResponseMessage,
    SessionKeyRegeneratedResponse,
};
pub use source::{RetentionPolicy, RetentionRange, SourceConfig, SourceStatistics};
pub use wire::{Extra, Secret};
