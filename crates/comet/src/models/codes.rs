//! Numeric and string code families of §3 as open newtypes: a value a newer Comet adds still
//! parses and round-trips; the named constants cover what 25.9.x publishes.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A numeric code newtype with named constants and a label for each.
macro_rules! numeric_code {
    (
        $(#[$meta:meta])*
        $name:ident($repr:ty) {
            $( $(#[$cmeta:meta])* $const:ident = $value:expr => $label:expr; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub $repr);

        impl $name {
            $( $(#[$cmeta])* pub const $const: Self = Self($value); )*

            /// Display label; "Unknown" for a value this crate does not name.
            pub fn label(self) -> &'static str {
                $( if self.0 == $value { return $label; } )*
                "Unknown"
            }

            /// True when this crate names the value.
            pub fn is_known(self) -> bool {
                self.label() != "Unknown"
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

numeric_code! {
    /// `RetentionPolicy.Mode` (§3.5).
    RetentionMode(i64) {
        /// Keep every snapshot; ranges are ignored.
        KEEP_EVERYTHING = 801 => "Keep everything";
        /// Delete every snapshot no range keeps.
        DELETE_EXCEPT = 802 => "Delete except";
    }
}

numeric_code! {
    /// `RetentionRange.Type` (§3.5). Which fields of the range are used depends on it.
    RetentionRangeType(i64) {
        /// Newest `Jobs` snapshots.
        MOST_RECENT_X_JOBS = 900 => "Most recent jobs";
        /// Snapshots newer than `Timestamp`.
        NEWER_THAN_X = 901 => "Newer than";
        /// Everything from the last `Days`+`Weeks`+`Months`+`Years`.
        JOBS_SINCE = 902 => "Jobs since";
        /// First snapshot of each of the last `Days` days.
        FIRST_JOB_FOR_EACH_LAST_X_DAYS = 903 => "First job for each of the last days";
        /// Reserved (deprecated since 17.2.0).
        RESERVED904 = 904 => "Reserved";
        /// First snapshot of each of the last `Months` months.
        FIRST_JOB_FOR_LAST_X_MONTHS = 905 => "First job for each of the last months";
        /// First snapshot of each of the last `Weeks` weeks.
        FIRST_JOB_FOR_LAST_X_WEEKS = 906 => "First job for each of the last weeks";
        /// Last `Jobs` snapshots, at most one per day.
        LAST_X_BACKUPS_ONE_FOR_EACH_DAY = 907 => "Last backups, one per day";
        /// Last `Jobs` snapshots, at most one per week.
        LAST_X_BACKUPS_ONE_FOR_EACH_WEEK = 908 => "Last backups, one per week";
        /// Last `Jobs` snapshots, at most one per month.
        LAST_X_BACKUPS_ONE_FOR_EACH_MONTH = 909 => "Last backups, one per month";
        /// Last `Jobs` snapshots, at most one per year.
        LAST_X_BACKUPS_ONE_FOR_EACH_YEAR = 910 => "Last backups, one per year";
        /// First snapshot of each of the last `Years` years.
        FIRST_JOB_FOR_LAST_X_YEARS = 911 => "First job for each of the last years";
    }
}

/// Largest count value Comet accepts in a retention range or schedule (2^50).
pub const RETENTION_MAXINT: i64 = 1_125_899_906_842_624;

numeric_code! {
    /// `BackupRuleConfig.AutoRetentionLevel` / `BackupJobAdvancedOptions.AutoRetentionLevel`.
    AutoRetentionLevel(i64) {
        /// The system decides.
        AUTOMATIC = 0 => "Automatic";
        /// Retention after every backup.
        IMMEDIATE = 1 => "Immediate";
        /// "High power" device ruleset.
        MORE_OFTEN = 2 => "More often";
        /// "Low power" device ruleset.
        LESS_OFTEN = 3 => "Less often";
    }
}

numeric_code! {
    /// `ScheduleConfig.FrequencyType` / `TimeSpan.FrequencyType` (§3.6).
    ScheduleFrequency(u64) {
        /// Once; `SecondsPast` is absolute unix seconds.
        ONCEONLY = 8010 => "Once";
        /// Daily; seconds past local midnight.
        DAILY = 8011 => "Daily";
        /// Hourly; seconds past the hour.
        HOURLY = 8012 => "Hourly";
        /// Weekly; seconds past Sunday 00:00 local.
        WEEKLY = 8013 => "Weekly";
        /// Monthly.
        MONTHLY = 8014 => "Monthly";
        /// Every `SecondsPast` seconds, shifted by `Offset`.
        PERIODIC = 8015 => "Periodic";
        /// Yearly (25.3+).
        YEARLY = 8016 => "Yearly";
    }
}

/// Upper bound of `ScheduleConfig.RandomDelaySecs` (5 h).
pub const SCHEDULE_MAX_RANDOM_DELAY_SECS: u64 = 18_000;

numeric_code! {
    /// `RestoreJobAdvancedOptions.Type` (§3.7); a signed int because it can be −1.
    RestoreType(i64) {
        /// Invalid.
        INVALID = -1 => "Invalid";
        /// Files and folders to disk.
        FILE = 0 => "Files";
        /// Read and discard (test restore).
        NULL = 1 => "Test (discard)";
        /// Pipe each file into a command.
        PROCESS_PERFILE = 2 => "Per-file command";
        /// Pipe one archive into a command (also the legacy PROCESS_TARBALL).
        PROCESS_ARCHIVE = 3 => "Archive to command";
        /// Partitions back to a physical disk.
        WINDISK = 4 => "Disk image to disk";
        /// Selected files as one archive file.
        FILE_ARCHIVE = 5 => "Archive file";
        /// Back into the Microsoft 365 tenant.
        OFFICE365_CLOUD = 6 => "Office 365";
        /// Single files out of a disk image / VM backup.
        VMDK_FILE = 7 => "Files from image";
        /// Same, discarded (test).
        VMDK_FILE_NULL = 8 => "Files from image (test)";
        /// Same, as an archive.
        VMDK_FILE_ARCHIVE = 9 => "Files from image as archive";
        /// Into a MySQL server.
        MYSQL = 10 => "MySQL";
        /// Into a SQL Server.
        MSSQL = 11 => "SQL Server";
        /// Disk image as VMware disks.
        WINDISK_ESXI = 12 => "Disk image as VMware";
        /// Disk image as Hyper-V VHDX.
        WINDISK_VHDX = 13 => "Disk image as VHDX";
        /// VMs directly to a hypervisor (24.12+).
        VMHOST = 14 => "Virtual machines to host";
    }
}

impl RestoreType {
    /// Legacy alias of [`RestoreType::PROCESS_ARCHIVE`].
    pub const PROCESS_TARBALL: Self = Self(3);
}

numeric_code! {
    /// `RestoreJobAdvancedOptions.ArchiveFormat` (§3.7).
    RestoreArchiveFormat(i64) {
        /// tar (default).
        TAR = 0 => "tar";
        /// tar.gz.
        TARGZ = 1 => "tar.gz";
        /// zip.
        ZIP = 2 => "zip";
        /// SquashFS.
        SQFS = 3 => "SquashFS";
        /// tar.zst.
        TARZSTD = 4 => "tar.zst";
    }
}

numeric_code! {
    /// `EmailReportConfig.ReportType` (§3.9).
    EmailReportType(i64) {
        /// One email per matching job.
        IMMEDIATE = 0 => "Immediate";
        /// Periodic summary.
        SUMMARY = 1 => "Summary";
        /// Periodic, grouped by status.
        GROUPED_STATUS = 2 => "Grouped status";
        /// Periodic recent-activity digest.
        RECENT_ACTIVITY = 3 => "Recent activity";
    }
}

numeric_code! {
    /// `DESTINATION_SFTP_AUTHMODE_*` (`DestinationConfig.SFTPAuthMode`).
    SftpAuthMode(u64) {
        /// Native/agent auth.
        NATIVE = 0 => "Native";
        /// Password.
        PASSWORD = 1 => "Password";
        /// Private key.
        PRIVATEKEY = 2 => "Private key";
    }
}

numeric_code! {
    /// `FTPS_MODE_*` (`DestinationConfig.FTPSMode`).
    FtpsMode(i64) {
        /// Plain FTP.
        PLAINTEXT = 0 => "Plain FTP";
        /// Implicit FTPS.
        IMPLICIT = 1 => "Implicit FTPS";
        /// Explicit FTPS (AUTH TLS).
        EXPLICIT = 2 => "Explicit FTPS";
    }
}

numeric_code! {
    /// `OBJECT_LOCK_*` (`DestinationConfig.S3ObjectLockMode`, uint8 on the wire).
    ObjectLockMode(u8) {
        /// Deprecated: locked iff days > 0.
        LEGACY = 0 => "Legacy";
        /// Object lock on.
        ON = 1 => "On";
        /// Object lock off.
        OFF = 2 => "Off";
    }
}

numeric_code! {
    /// `SETTING_*` (`DefaultSettingMode`) of the policy `Mode*` keys.
    DefaultSettingMode(i64) {
        /// System default.
        SYSTEM_DEFAULT = 0 => "System default";
        /// User may change; default on.
        OPTIONAL_DEFAULT_ON = 1 => "Optional, default on";
        /// User may change; default off.
        OPTIONAL_DEFAULT_OFF = 2 => "Optional, default off";
        /// Forced on.
        ENFORCED_ON = 3 => "Enforced on";
        /// Forced off.
        ENFORCED_OFF = 4 => "Enforced off";
    }
}

/// `JobEntry.Severity` letters (§3.8); also the `MinSeverity` filter values.
pub mod severity {
    /// Debug.
    pub const DEBUG: &str = "D";
    /// Information.
    pub const INFO: &str = "I";
    /// Warning.
    pub const WARNING: &str = "W";
    /// Error.
    pub const ERROR: &str = "E";
}

/// `StoredObject.type` values (§3.12).
pub mod stored_object_type {
    /// Directory (browse into it via `subtree`).
    pub const DIRECTORY: &str = "dir";
    /// File.
    pub const FILE: &str = "file";
    /// Symlink.
    pub const SYMLINK: &str = "symlink";
    /// Windows directory.
    pub const WINDOWSDIR: &str = "windir";
    /// Windows file.
    pub const WINDOWSFILE: &str = "winfile";
    /// Windows EFS-encrypted file.
    pub const WINEFS: &str = "winefs";
    /// Virtual disk inside an image/VM backup.
    pub const VIRTUALIMAGE_DISK: &str = "virtualimagedisk";
    /// Directory inside a disk image.
    pub const VMDK_DIRECTORY: &str = "vmdkdir";
    /// File inside a disk image.
    pub const VMDK_FILE: &str = "vmdkfile";
    /// Symlink inside a disk image.
    pub const VMDK_SYMLINK: &str = "vmdksymlink";
    /// Email folder.
    pub const EMAILFOLDER: &str = "mailfolder";
    /// Email.
    pub const EMAILMESSAGE: &str = "emailmessage";
    /// Calendar.
    pub const OFFICECALENDAR: &str = "calendar";
    /// Calendar event.
    pub const OFFICECALENDAREVENT: &str = "calendarevent";
    /// Contact folder.
    pub const OFFICECONTACTFOLDER: &str = "contactfolder";
    /// Contact.
    pub const OFFICECONTACT: &str = "contact";
    /// SharePoint site.
    pub const MSSITE: &str = "mssite";
    /// Teams site.
    pub const MSSITE_TEAM: &str = "mssiteteam";

    /// Types a browser descends into (their `subtree` is a `TreeID`).
    pub fn is_container(t: &str) -> bool {
        matches!(
            t,
            DIRECTORY
                | WINDOWSDIR
                | VMDK_DIRECTORY
                | VIRTUALIMAGE_DISK
                | EMAILFOLDER
                | OFFICECALENDAR
                | OFFICECONTACTFOLDER
                | MSSITE
                | MSSITE_TEAM
                | "mssitelistentity"
                | "mssitelistdriveentity"
                | "vhdxpartitiongpt"
                | "vhdxpartitionmbr"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_parse_and_keep_their_number() {
        let r: RestoreType = serde_json::from_str("-1").unwrap();
        assert_eq!(r, RestoreType::INVALID);
        assert_eq!(r.label(), "Invalid");
        let f: ScheduleFrequency = serde_json::from_str("8099").unwrap();
        assert!(!f.is_known());
        assert_eq!(serde_json::to_string(&f).unwrap(), "8099");
        assert_eq!(RetentionRangeType(906).label(), "First job for each of the last weeks");
        assert_eq!(RestoreType::PROCESS_TARBALL, RestoreType::PROCESS_ARCHIVE);
        assert!(stored_object_type::is_container("dir") && !stored_object_type::is_container("file"));
    }
}
