//! Storage Vault types (`DestinationConfig.DestinationType`) and their display labels.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A Storage Vault type code. Unknown values are kept as-is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DestinationType(pub u64);

impl DestinationType {
    /// Invalid/unset.
    pub const INVALID: Self = Self(0);
    /// Placeholder when the Storage Gateway failed to start.
    pub const ERROR: Self = Self(1);
    /// S3-compatible.
    pub const S3: Self = Self(1000);
    /// SFTP.
    pub const SFTP: Self = Self(1001);
    /// Local or UNC path.
    pub const LOCALCOPY: Self = Self(1002);
    /// Comet Storage Role bucket.
    pub const COMET: Self = Self(1003);
    /// FTP/FTPS.
    pub const FTP: Self = Self(1004);
    /// Azure Blob Storage.
    pub const AZUREBLOB: Self = Self(1005);
    /// Spanned over several locations.
    pub const SPANNED: Self = Self(1006);
    /// OpenStack Swift.
    pub const SWIFT: Self = Self(1007);
    /// Backblaze B2.
    pub const B2: Self = Self(1008);
    /// Storj.
    pub const STORJ: Self = Self(1009);
    /// WebDAV.
    pub const WEBDAV: Self = Self(1010);
    /// SMB share.
    pub const SMB: Self = Self(1011);
    /// Policy schedules only: the most recently created vault.
    pub const LATEST: Self = Self(1100);
    /// Policy schedules only: one schedule per vault.
    pub const ALL: Self = Self(1101);

    /// Display label (the seed spec's names, completed for the types it lacks).
    pub fn label(self) -> &'static str {
        vault_type_label(self)
    }
}

impl fmt::Display for DestinationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Display label of a vault type, e.g. 1003 → "Comet"; "Unknown" for unknown codes.
pub fn vault_type_label(t: DestinationType) -> &'static str {
    match t.0 {
        0 => "INVALID",
        1 => "Error",
        1000 => "S3-compatible",
        1001 => "SFTP",
        1002 => "Local Path",
        1003 => "Comet",
        1004 => "FTP",
        1005 => "Azure",
        1006 => "SPANNED",
        1007 => "OpenStack",
        1008 => "Backblaze B2",
        1009 => "Storj",
        1010 => "WebDAV",
        1011 => "SMB",
        1100 => "latest",
        1101 => "All",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(DestinationType::COMET.label(), "Comet");
        assert_eq!(DestinationType(1000).label(), "S3-compatible");
        assert_eq!(DestinationType(1008).label(), "Backblaze B2");
        assert_eq!(DestinationType(4242).label(), "Unknown");
    }
}
