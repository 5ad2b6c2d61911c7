//! What a live device reports when asked to browse: stored objects of a snapshot, its own
//! filesystem, disks, and the application-level lists (Hyper-V, VMware, SQL, Exchange, VSS,
//! Office 365), §5.10.

use super::nullable::{NullableMap, NullableVec};
use super::wire::{Extra, is_default};
use serde::{Deserialize, Serialize};

/// One directory entry of a snapshot or of a device's filesystem (note the lower-case keys).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StoredObject {
    /// Entry name.
    #[serde(rename = "name")]
    pub name: String,
    /// Modification time, unix seconds.
    #[serde(rename = "mtime")]
    pub mtime: i64,
    /// `STOREDOBJECTTYPE_*` (see [`crate::models::stored_object_type`]).
    #[serde(rename = "type")]
    pub r#type: String,
    /// Tree ID to browse into this entry.
    #[serde(rename = "subtree")]
    pub subtree: String,
    /// Bytes.
    #[serde(rename = "size")]
    pub size: u64,
    /// Display name (Office 365 items).
    #[serde(rename = "dname", skip_serializing_if = "is_default")]
    pub dname: String,
    /// Office 365 item class.
    #[serde(rename = "itemClass", skip_serializing_if = "is_default")]
    pub item_class: String,
    /// Email sender.
    #[serde(rename = "from", skip_serializing_if = "is_default")]
    pub from: String,
    /// Email recipients.
    #[serde(rename = "to", skip_serializing_if = "is_default")]
    pub to: String,
    /// Email received, unix seconds.
    #[serde(rename = "rtime", skip_serializing_if = "is_default")]
    pub rtime: i64,
    /// Email has attachments.
    #[serde(rename = "has_attachments", skip_serializing_if = "is_default")]
    pub has_attachments: bool,
    /// Calendar event start, unix seconds.
    #[serde(rename = "stime", skip_serializing_if = "is_default")]
    pub stime: i64,
    /// Calendar event end, unix seconds.
    #[serde(rename = "etime", skip_serializing_if = "is_default")]
    pub etime: i64,
    /// The recursive counts below are known.
    #[serde(rename = "r", skip_serializing_if = "is_default")]
    pub recursive_counts: bool,
    /// Recursive file count.
    #[serde(rename = "f", skip_serializing_if = "is_default")]
    pub files: u64,
    /// Recursive byte count.
    #[serde(rename = "b", skip_serializing_if = "is_default")]
    pub bytes: u64,
    /// Recursive folder count.
    #[serde(rename = "d", skip_serializing_if = "is_default")]
    pub folders: u64,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl StoredObject {
    /// Whether a browser can descend into this entry.
    pub fn is_container(&self) -> bool {
        super::codes::stored_object_type::is_container(&self.r#type)
    }
}

comet_response! {
    /// Directory listing of RequestStoredObjects / RequestFilesystemObjects.
    DispatcherStoredObjectsResponse {
        /// The entries.
        #[serde(rename = "StoredObjects")]
        pub stored_objects: NullableVec<StoredObject>,
    }
}

/// Browse inside a disk image (the `Options` of RequestStoredObjects).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VMDKSnapshotViewOptions {
    /// Must be true to browse inside the image.
    #[serde(rename = "Enabled")]
    pub enabled: bool,
    /// The `.vmdk` file name inside the image subtree.
    #[serde(rename = "PartitionGUID")]
    pub partition_guid: String,
    /// Path inside the image.
    #[serde(rename = "ListPath")]
    pub list_path: String,
    /// Partition name.
    #[serde(rename = "PartitionName")]
    pub partition_name: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

comet_response! {
    /// Answer of SearchSnapshots: snapshot ID → matching files.
    SearchSnapshotsResponse {
        /// Matches per snapshot.
        #[serde(rename = "SnapshotFiles")]
        pub snapshot_files: NullableMap<String, NullableVec<SearchResultFileInfo>>,
    }
}

/// One search hit (lower-case keys; times are RFC 3339 strings, not unix seconds).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchResultFileInfo {
    /// Path in the snapshot.
    #[serde(rename = "path")]
    pub path: String,
    /// File name.
    #[serde(rename = "name")]
    pub name: String,
    /// `STOREDOBJECTTYPE_*`.
    #[serde(rename = "type")]
    pub r#type: String,
    /// Mode string.
    #[serde(rename = "mode", skip_serializing_if = "is_default")]
    pub mode: String,
    /// Modification time, RFC 3339.
    #[serde(rename = "mtime", skip_serializing_if = "is_default")]
    pub mtime: String,
    /// Access time, RFC 3339.
    #[serde(rename = "atime", skip_serializing_if = "is_default")]
    pub atime: String,
    /// Change time, RFC 3339.
    #[serde(rename = "ctime", skip_serializing_if = "is_default")]
    pub ctime: String,
    /// Bytes.
    #[serde(rename = "size", skip_serializing_if = "is_default")]
    pub size: u64,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

comet_response! {
    /// Answer of RequestBrowseDiskDrives.
    BrowseDiskDrivesResponse {
        /// Disks on the device.
        #[serde(rename = "Disks")]
        pub disks: NullableVec<DiskDrive>,
    }
}

/// A physical or virtual disk.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DiskDrive {
    /// Disk identifier.
    #[serde(rename = "ID")]
    pub id: String,
    /// OS device path.
    #[serde(rename = "DeviceName")]
    pub device_name: String,
    /// Caption.
    #[serde(rename = "Caption")]
    pub caption: String,
    /// Model.
    #[serde(rename = "Model")]
    pub model: String,
    /// Serial.
    #[serde(rename = "SerialNumber")]
    pub serial_number: String,
    /// Bytes.
    #[serde(rename = "Size")]
    pub size: i64,
    /// Partitions.
    #[serde(rename = "Partitions")]
    pub partitions: NullableVec<Partition>,
    /// Parent devices (virtual/RAID disks).
    #[serde(rename = "DeviceParents")]
    pub device_parents: NullableVec<String>,
    /// `WINDISKFLAG_*` bits (unpublished).
    #[serde(rename = "Flags")]
    pub flags: i64,
    /// Deprecated geometry.
    #[serde(rename = "Cylinders")]
    pub cylinders: i64,
    /// Deprecated geometry.
    #[serde(rename = "Heads")]
    pub heads: i64,
    /// Deprecated geometry.
    #[serde(rename = "Sectors")]
    pub sectors: i64,
    /// Bytes per sector.
    #[serde(rename = "SectorSize")]
    pub sector_size: i64,
    /// Overlapping partitions.
    #[serde(rename = "PartitionConflicts")]
    pub partition_conflicts: NullableVec<PartitionConflict>,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A partition of a [`DiskDrive`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Partition {
    /// Device path.
    #[serde(rename = "DeviceName")]
    pub device_name: String,
    /// MBR/GPT partition ID.
    #[serde(rename = "PartitionGuid")]
    pub partition_guid: String,
    /// Offset in the disk (bytes).
    #[serde(rename = "PartitionOffset")]
    pub partition_offset: i64,
    /// e.g. `NTFS`.
    #[serde(rename = "Filesystem")]
    pub filesystem: String,
    /// Label.
    #[serde(rename = "VolumeName")]
    pub volume_name: String,
    /// Volume GUID.
    #[serde(rename = "VolumeGuid")]
    pub volume_guid: String,
    /// Volume serial.
    #[serde(rename = "VolumeSerial")]
    pub volume_serial: String,
    /// Mount points / drive letters.
    #[serde(rename = "MountPoints")]
    pub mount_points: NullableVec<String>,
    /// Offset within `device_name`.
    #[serde(rename = "ReadOffset")]
    pub read_offset: i64,
    /// Bytes.
    #[serde(rename = "Size")]
    pub size: i64,
    /// Used bytes.
    #[serde(rename = "UsedSize")]
    pub used_size: i64,
    /// Bit flags.
    #[serde(rename = "Flags")]
    pub flags: i64,
    /// Cluster size.
    #[serde(rename = "BytesPerFilesystemCluster")]
    pub bytes_per_filesystem_cluster: i64,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Two overlapping partitions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PartitionConflict {
    /// First partition.
    #[serde(rename = "PartitionA")]
    pub partition_a: String,
    /// Second partition.
    #[serde(rename = "PartitionB")]
    pub partition_b: String,
    /// Overlap in bytes.
    #[serde(rename = "Size")]
    pub size: u64,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

comet_response! {
    /// Answer of RequestBrowseHyperv.
    BrowseHVResponse {
        /// The VMs.
        #[serde(rename = "VirtualMachines")]
        pub virtual_machines: NullableVec<HyperVMachineInfo>,
    }
}

/// A Hyper-V guest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HyperVMachineInfo {
    /// VM GUID.
    #[serde(rename = "ID")]
    pub id: String,
    /// VM name.
    #[serde(rename = "Name")]
    pub name: String,
    /// Memory (MB).
    #[serde(rename = "MemoryLimitMB")]
    pub memory_limit_mb: i64,
    /// vCPUs.
    #[serde(rename = "CPUCores")]
    pub cpu_cores: i64,
    /// Disk paths.
    #[serde(rename = "HardDrives")]
    pub hard_drives: NullableVec<String>,
    /// Generation.
    #[serde(rename = "Generation")]
    pub generation: i64,
    /// Config file path.
    #[serde(rename = "ConfigFilePath")]
    pub config_file_path: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A named VMware object (VM, datacenter, host, datastore, network).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VMwareNamed {
    /// Name.
    #[serde(rename = "Name")]
    pub name: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

comet_response! {
    /// Answer of RequestBrowseVmware.
    BrowseVMwareResponse {
        /// The VMs.
        #[serde(rename = "VirtualMachines")]
        pub virtual_machines: NullableVec<VMwareNamed>,
    }
}

comet_response! {
    /// Answer of RequestBrowseMssql / Mysql / Mongodb: database name → description.
    BrowseSQLServerResponse {
        /// The databases.
        #[serde(rename = "Objects")]
        pub objects: NullableMap<String, String>,
    }
}

comet_response! {
    /// Answer of RequestBrowseExchangeEdb.
    BrowseEDBResponse {
        /// The databases.
        #[serde(rename = "Databases")]
        pub databases: NullableVec<EDBFileInfo>,
    }
}

/// An Exchange database.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EDBFileInfo {
    /// Name.
    #[serde(rename = "Name")]
    pub name: String,
    /// GUID (note the spelling on the wire).
    #[serde(rename = "Guid")]
    pub guid: String,
    /// Exchange server.
    #[serde(rename = "ServerName")]
    pub server_name: String,
    /// Circular logging on.
    #[serde(rename = "CircularLoggingEnabled")]
    pub circular_logging_enabled: bool,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

comet_response! {
    /// Answer of RequestBrowseVssAaw: writer ID → writer.
    BrowseVSSResponse {
        /// The writers.
        #[serde(rename = "VSSWriters")]
        pub vss_writers: NullableMap<String, VSSWriterInfo>,
    }
}

/// A VSS writer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VSSWriterInfo {
    /// Name.
    #[serde(rename = "DisplayName")]
    pub display_name: String,
    /// Components.
    #[serde(rename = "Components")]
    pub components: NullableVec<VSSComponent>,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A VSS writer component.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VSSComponent {
    /// Path.
    #[serde(rename = "Path")]
    pub path: String,
    /// Name.
    #[serde(rename = "Name")]
    pub name: String,
    /// `VSS_CT_DATABASE` or `VSS_CT_FILEGROUP`.
    #[serde(rename = "CType")]
    pub c_type: String,
    /// Selectable for backup.
    #[serde(rename = "Selectable")]
    pub selectable: bool,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

comet_response! {
    /// Answer of RequestOffice365Accounts / Sites.
    BrowseOffice365ObjectsResponse {
        /// The objects.
        #[serde(rename = "Objects")]
        pub objects: NullableVec<Office365ObjectInfo>,
    }
}

/// An Office 365 user, group or site.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Office365ObjectInfo {
    /// Object ID.
    #[serde(rename = "GUID")]
    pub guid: String,
    /// Display name.
    #[serde(rename = "Name")]
    pub name: String,
    /// Kind.
    #[serde(rename = "Type")]
    pub r#type: String,
    /// Email address or SharePoint URL.
    #[serde(rename = "Value")]
    pub value: String,
    /// Member IDs.
    #[serde(rename = "Members")]
    pub members: NullableVec<String>,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}
