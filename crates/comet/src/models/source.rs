//! Protected Items (`SourceConfig`), their statistics and retention policies.

use super::codes::{RetentionMode, RetentionRangeType};
use super::job::BackupJobDetail;
use super::nullable::{NullableMap, NullableVec};
use super::wire::{Extra, is_default, null_as_default};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A Protected Item (value of `UserProfileConfig.Sources`, keyed by item ID).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SourceConfig {
    /// Engine id, e.g. `engine1/file` (see [`crate::engine`]).
    #[serde(rename = "Engine")]
    pub engine: String,
    /// Display name.
    #[serde(rename = "Description")]
    pub description: String,
    /// Device ID that runs this item.
    #[serde(rename = "OwnerDevice")]
    pub owner_device: String,
    /// Unix seconds.
    #[serde(rename = "CreateTime")]
    pub create_time: i64,
    /// Unix seconds (the caller maintains it).
    #[serde(rename = "ModifyTime")]
    pub modify_time: i64,
    /// Commands before the job.
    #[serde(rename = "PreExec")]
    pub pre_exec: NullableVec<String>,
    /// Commands after the snapshot.
    #[serde(rename = "ThawExec")]
    pub thaw_exec: NullableVec<String>,
    /// Commands after the job.
    #[serde(rename = "PostExec")]
    pub post_exec: NullableVec<String>,
    /// Engine-specific settings (opaque for most engines).
    #[serde(rename = "EngineProps")]
    pub engine_props: NullableMap<String, String>,
    /// Policy default source this item came from.
    #[serde(rename = "PolicySourceID")]
    pub policy_source_id: String,
    /// Keep a policy-created item linked to the policy.
    #[serde(rename = "ExistingUserUpdate")]
    pub existing_user_update: bool,
    /// Per-vault retention overriding the vault default.
    #[serde(rename = "OverrideDestinationRetention", skip_serializing_if = "is_default", deserialize_with = "null_as_default")]
    pub override_destination_retention: BTreeMap<String, RetentionPolicy>,
    /// Server-maintained statistics.
    #[serde(rename = "Statistics", skip_serializing_if = "Option::is_none")]
    pub statistics: Option<SourceStatistics>,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl SourceConfig {
    /// Item size: last backup job's `TotalSize`, else the last successful one's (what billing
    /// code has always used).
    pub fn last_known_size(&self) -> Option<i64> {
        let stats = self.statistics.as_ref()?;
        [&stats.last_backup_job, &stats.last_successful_backup_job].into_iter().find(|j| !j.guid.is_empty()).map(|j| j.total_size)
    }
}

/// Server-maintained statistics of a Protected Item.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SourceStatistics {
    /// Unix seconds of the latest job start.
    #[serde(rename = "LastStartTime")]
    pub last_start_time: i64,
    /// Latest backup job (any outcome).
    #[serde(rename = "LastBackupJob", deserialize_with = "null_as_default")]
    pub last_backup_job: BackupJobDetail,
    /// Latest successful backup job.
    #[serde(rename = "LastSuccessfulBackupJob", deserialize_with = "null_as_default")]
    pub last_successful_backup_job: BackupJobDetail,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Which snapshots a vault keeps.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetentionPolicy {
    /// Keep everything, or delete except what a range matches.
    #[serde(rename = "Mode")]
    pub mode: RetentionMode,
    /// Keep-rules.
    #[serde(rename = "Ranges")]
    pub ranges: NullableVec<RetentionRange>,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One keep-rule of a retention policy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetentionRange {
    /// Which of the fields below are used.
    #[serde(rename = "Type")]
    pub r#type: RetentionRangeType,
    /// Unix seconds (NEWER_THAN_X).
    #[serde(rename = "Timestamp")]
    pub timestamp: i64,
    /// Job count.
    #[serde(rename = "Jobs")]
    pub jobs: i64,
    /// Days.
    #[serde(rename = "Days")]
    pub days: i64,
    /// Weeks.
    #[serde(rename = "Weeks")]
    pub weeks: i64,
    /// Months.
    #[serde(rename = "Months")]
    pub months: i64,
    /// Years.
    #[serde(rename = "Years")]
    pub years: i64,
    /// First weekday for weekly ranges.
    #[serde(rename = "WeekOffset")]
    pub week_offset: i64,
    /// Day of month for monthly ranges.
    #[serde(rename = "MonthOffset")]
    pub month_offset: i64,
    /// Offset for yearly ranges.
    #[serde(rename = "YearOffset")]
    pub year_offset: i64,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl RetentionPolicy {
    /// Keep every snapshot.
    pub fn keep_everything() -> Self {
        Self { mode: RetentionMode::KEEP_EVERYTHING, ..Self::default() }
    }

    /// Delete every snapshot none of `ranges` keeps.
    pub fn delete_except(ranges: Vec<RetentionRange>) -> Self {
        Self { mode: RetentionMode::DELETE_EXCEPT, ranges: ranges.into(), ..Self::default() }
    }
}

impl RetentionRange {
    /// Keep the newest `jobs` snapshots.
    pub fn most_recent_jobs(jobs: i64) -> Self {
        Self { r#type: RetentionRangeType::MOST_RECENT_X_JOBS, jobs, ..Self::default() }
    }

    /// Keep everything from the last `days` days.
    pub fn jobs_since_days(days: i64) -> Self {
        Self { r#type: RetentionRangeType::JOBS_SINCE, days, ..Self::default() }
    }

    /// Keep the first snapshot of each of the last `days` days.
    pub fn first_job_for_each_last_days(days: i64) -> Self {
        Self { r#type: RetentionRangeType::FIRST_JOB_FOR_EACH_LAST_X_DAYS, days, ..Self::default() }
    }

    /// Keep the first snapshot of each of the last `weeks` weeks (week starts on `week_offset`,
    /// 0 = Sunday).
    pub fn first_job_for_last_weeks(weeks: i64, week_offset: i64) -> Self {
        Self { r#type: RetentionRangeType::FIRST_JOB_FOR_LAST_X_WEEKS, weeks, week_offset, ..Self::default() }
    }

    /// Keep the first snapshot of each of the last `months` months (on day `month_offset`).
    pub fn first_job_for_last_months(months: i64, month_offset: i64) -> Self {
        Self { r#type: RetentionRangeType::FIRST_JOB_FOR_LAST_X_MONTHS, months, month_offset, ..Self::default() }
    }
}
