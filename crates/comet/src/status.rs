//! Job status codes (`BackupJobDetail.Status`) and the one status-to-class mapping used by the
//! whole project: 5000–5999 success, 6000–6999 running, 7001 warning, 7004 missed, every other
//! 7xxx (and anything outside these ranges) error.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A Comet job status code. Unknown values are kept as-is; they never fail to parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JobStatus(pub u64);

impl JobStatus {
    /// Finished successfully.
    pub const STOP_SUCCESS: Self = Self(5000);
    /// Lower bound of the success range.
    pub const STOP_SUCCESS_MIN: Self = Self(5000);
    /// Upper bound of the success range.
    pub const STOP_SUCCESS_MAX: Self = Self(5999);
    /// Not used by Comet; lower bound of the running range.
    pub const RUNNING_INDETERMINATE: Self = Self(6000);
    /// Lower bound of the running range.
    pub const RUNNING_MIN: Self = Self(6000);
    /// Running (the device's last report said so).
    pub const RUNNING_ACTIVE: Self = Self(6001);
    /// Was marked abandoned, then the device reported it still running.
    pub const RUNNING_REVIVED: Self = Self(6002);
    /// Hit an error, waiting to retry.
    pub const RUNNING_TRYAGAIN: Self = Self(6003);
    /// Created by the server; the client has not initialised it yet.
    pub const NOT_YET_STARTED: Self = Self(6004);
    /// Upper bound of the running range.
    pub const RUNNING_MAX: Self = Self(6999);
    /// Failed: timeout.
    pub const FAILED_TIMEOUT: Self = Self(7000);
    /// Lower bound of the unsuccessful range.
    pub const FAILED_MIN: Self = Self(7000);
    /// Completed with warnings.
    pub const FAILED_WARNING: Self = Self(7001);
    /// Error; did not fully complete.
    pub const FAILED_ERROR: Self = Self(7002);
    /// Account-wide or vault quota exceeded.
    pub const FAILED_QUOTA: Self = Self(7003);
    /// A scheduled job did not start on time.
    pub const FAILED_SCHEDULEMISSED: Self = Self(7004);
    /// Cancelled by a user/admin, shutdown, or the StopAfter limit.
    pub const FAILED_CANCELLED: Self = Self(7005);
    /// Skipped because another run of the same item was active.
    pub const FAILED_SKIPALREADYRUNNING: Self = Self(7006);
    /// Stopped unexpectedly or marked abandoned by an admin.
    pub const FAILED_ABANDONED: Self = Self(7007);
    /// Upper bound of the unsuccessful range.
    pub const FAILED_MAX: Self = Self(7999);

    /// 5000–5999.
    pub fn is_success(self) -> bool {
        (5000..=5999).contains(&self.0)
    }

    /// 6000–6999: the job has not finished.
    pub fn is_running(self) -> bool {
        (6000..=6999).contains(&self.0)
    }

    /// 7000–7999: finished unsuccessfully (this includes warnings and missed jobs).
    pub fn is_failed(self) -> bool {
        (7000..=7999).contains(&self.0)
    }

    /// Anything that is not running is final.
    pub fn is_terminal(self) -> bool {
        !self.is_running()
    }

    /// The project's one classification of a status.
    pub fn class(self) -> StatusClass {
        match self.0 {
            5000..=5999 => StatusClass::Success,
            6000..=6999 => StatusClass::Running,
            7001 => StatusClass::Warning,
            7004 => StatusClass::Missed,
            // Every other 7xxx and any code outside the documented ranges: a status we cannot
            // call good must not be shown as good.
            _ => StatusClass::Error,
        }
    }

    /// Human label for the exact status (more specific than the class).
    pub fn label(self) -> &'static str {
        status_label(self)
    }
}

impl From<u64> for JobStatus {
    fn from(v: u64) -> Self {
        Self(v)
    }
}

impl fmt::Display for JobStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Human label of a status code, e.g. "Success", "Quota exceeded", "Abandoned".
pub fn status_label(status: JobStatus) -> &'static str {
    match status.0 {
        5000 => "Success",
        6001 => "Running",
        6002 => "Revived",
        6003 => "Retrying",
        6004 => "Not yet started",
        7000 => "Timeout",
        7001 => "Warning",
        7002 => "Error",
        7003 => "Quota exceeded",
        7004 => "Missed",
        7005 => "Cancelled",
        7006 => "Skipped (already running)",
        7007 => "Abandoned",
        _ => match status.class() {
            StatusClass::Success => "Success",
            StatusClass::Running => "Running",
            StatusClass::Warning => "Warning",
            StatusClass::Missed => "Missed",
            StatusClass::Error => "Error",
        },
    }
}

/// The five classes a status falls into; what the UI colours by and what tables store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatusClass {
    /// 6xxx.
    Running,
    /// 5xxx.
    Success,
    /// 7001.
    Warning,
    /// Every 7xxx except 7001 and 7004, and unknown codes.
    Error,
    /// 7004.
    Missed,
}

impl StatusClass {
    /// All classes, in display order.
    pub const ALL: [StatusClass; 5] =
        [StatusClass::Running, StatusClass::Success, StatusClass::Warning, StatusClass::Error, StatusClass::Missed];

    /// Lower-case name: "running", "success", "warning", "error", "missed".
    pub fn as_str(self) -> &'static str {
        match self {
            StatusClass::Running => "running",
            StatusClass::Success => "success",
            StatusClass::Warning => "warning",
            StatusClass::Error => "error",
            StatusClass::Missed => "missed",
        }
    }

    /// Inverse of [`StatusClass::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for StatusClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_the_project_mapping() {
        assert_eq!(JobStatus(5000).class(), StatusClass::Success);
        assert_eq!(JobStatus(5999).class(), StatusClass::Success);
        assert_eq!(JobStatus(6000).class(), StatusClass::Running);
        assert_eq!(JobStatus(6002).class(), StatusClass::Running);
        assert_eq!(JobStatus(6999).class(), StatusClass::Running);
        assert_eq!(JobStatus(7001).class(), StatusClass::Warning);
        assert_eq!(JobStatus(7004).class(), StatusClass::Missed);
        for code in [7000, 7002, 7003, 7005, 7006, 7007, 7500, 7999] {
            assert_eq!(JobStatus(code).class(), StatusClass::Error, "{code}");
        }
        assert_eq!(JobStatus(0).class(), StatusClass::Error);
        assert_eq!(JobStatus(9999).class(), StatusClass::Error);
    }

    #[test]
    fn range_helpers() {
        assert!(JobStatus::STOP_SUCCESS.is_success() && JobStatus::STOP_SUCCESS.is_terminal());
        assert!(JobStatus::RUNNING_ACTIVE.is_running() && !JobStatus::RUNNING_ACTIVE.is_terminal());
        assert!(JobStatus::FAILED_WARNING.is_failed());
        assert!(!JobStatus::FAILED_WARNING.is_success());
        assert!(JobStatus(4000).is_terminal() && !JobStatus(4000).is_failed());
    }

    #[test]
    fn labels() {
        assert_eq!(status_label(JobStatus(5000)), "Success");
        assert_eq!(status_label(JobStatus(7003)), "Quota exceeded");
        assert_eq!(status_label(JobStatus(7006)), "Skipped (already running)");
        assert_eq!(status_label(JobStatus(6002)), "Revived");
        assert_eq!(status_label(JobStatus(7000)), "Timeout");
        assert_eq!(status_label(JobStatus(5123)), "Success");
        assert_eq!(status_label(JobStatus(7444)), "Error");
        assert_eq!(JobStatus(7004).label(), "Missed");
    }

    #[test]
    fn class_names_round_trip() {
        for c in StatusClass::ALL {
            assert_eq!(StatusClass::parse(c.as_str()), Some(c));
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{}\"", c.as_str()));
        }
        assert_eq!(StatusClass::parse("bogus"), None);
    }

    #[test]
    fn unknown_values_parse() {
        let s: JobStatus = serde_json::from_str("123456").unwrap();
        assert_eq!(s, JobStatus(123456));
    }
}
