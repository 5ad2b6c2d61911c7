//! Job classification (`BackupJobDetail.Classification`): what kind of job it is.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A Comet job classification (4000–4999). Unknown values are kept as-is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JobClassification(pub u64);

impl JobClassification {
    /// Unknown.
    pub const UNKNOWN: Self = Self(4000);
    /// Backup.
    pub const BACKUP: Self = Self(4001);
    /// Restore.
    pub const RESTORE: Self = Self(4002);
    /// Retention pass.
    pub const RETENTION: Self = Self(4003);
    /// Vault unlock.
    pub const UNLOCK: Self = Self(4004);
    /// Snapshot deleted explicitly.
    pub const DELETE_CUSTOM: Self = Self(4005);
    /// Vault size re-measure.
    pub const REMEASURE: Self = Self(4006);
    /// Client software update.
    pub const UPDATE: Self = Self(4007);
    /// Settings import.
    pub const IMPORT: Self = Self(4008);
    /// Index repair.
    pub const REINDEX: Self = Self(4009);
    /// Deep verify.
    pub const DEEPVERIFY: Self = Self(4010);
    /// Client uninstall.
    pub const UNINSTALL: Self = Self(4011);

    /// Human label, e.g. "Backup", "Deep verify"; "Unknown" for codes Comet may add later.
    pub fn label(self) -> &'static str {
        match self.0 {
            4001 => "Backup",
            4002 => "Restore",
            4003 => "Retention",
            4004 => "Unlock",
            4005 => "Delete snapshot",
            4006 => "Re-measure",
            4007 => "Software update",
            4008 => "Import",
            4009 => "Reindex",
            4010 => "Deep verify",
            4011 => "Uninstall",
            _ => "Unknown",
        }
    }

    /// True for backup jobs, the ones a portal's "last backup" cares about.
    pub fn is_backup(self) -> bool {
        self == Self::BACKUP
    }
}

impl From<u64> for JobClassification {
    fn from(v: u64) -> Self {
        Self(v)
    }
}

impl fmt::Display for JobClassification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_unknowns() {
        assert_eq!(JobClassification::BACKUP.label(), "Backup");
        assert_eq!(JobClassification(4010).label(), "Deep verify");
        assert_eq!(JobClassification(4999).label(), "Unknown");
        let c: JobClassification = serde_json::from_str("4321").unwrap();
        assert_eq!(c.0, 4321);
        assert!(JobClassification(4001).is_backup() && !JobClassification(4002).is_backup());
    }
}
