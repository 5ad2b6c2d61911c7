//! Schedules (`BackupRuleConfig`, §5.6): a rule backs one Protected Item up to one vault, with
//! the job options of `BackupJobAdvancedOptions` embedded flat, time triggers and event triggers.

use super::codes::{AutoRetentionLevel, ScheduleFrequency};
use super::nullable::NullableVec;
use super::wire::{Extra, is_default, null_as_default};
use serde::{Deserialize, Serialize};

/// A backup rule (value of `UserProfileConfig.BackupRules`, keyed by rule ID).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BackupRuleConfig {
    /// Display name.
    #[serde(rename = "Description")]
    pub description: String,
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
    /// Protected Item ID.
    #[serde(rename = "Source")]
    pub source: String,
    /// Storage Vault ID.
    #[serde(rename = "Destination")]
    pub destination: String,
    /// Skip (7006) if a job for the item is already running.
    #[serde(rename = "SkipAlreadyRunning")]
    pub skip_already_running: bool,
    /// Job time limit (seconds); 0 = none.
    #[serde(rename = "StopAfter")]
    pub stop_after: i64,
    /// Upload cap in bytes/s; 0 = none.
    #[serde(rename = "LimitVaultSpeedBps")]
    pub limit_vault_speed_bps: i64,
    /// Lower disk read concurrency.
    #[serde(rename = "ReduceDiskConcurrency")]
    pub reduce_disk_concurrency: bool,
    /// Keep indexes on disk instead of RAM.
    #[serde(rename = "UseOnDiskIndexes")]
    pub use_on_disk_indexes: bool,
    /// A job that backed up zero files counts as success.
    #[serde(rename = "AllowZeroFilesSuccess")]
    pub allow_zero_files_success: bool,
    /// How often retention runs after backups.
    #[serde(rename = "AutoRetentionLevel")]
    pub auto_retention_level: AutoRetentionLevel,
    /// Worker concurrency; 0 = mode default.
    #[serde(rename = "ConcurrencyCount")]
    pub concurrency_count: i64,
    /// Job log verbosity.
    #[serde(rename = "LogLevel")]
    pub log_level: String,
    /// Tags attached to resulting jobs/snapshots.
    #[serde(rename = "Tags")]
    pub tags: String,
    /// Time-based triggers.
    #[serde(rename = "Schedules")]
    pub schedules: NullableVec<ScheduleConfig>,
    /// Non-time triggers.
    #[serde(rename = "EventTriggers", deserialize_with = "null_as_default")]
    pub event_triggers: BackupRuleEventTriggers,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl BackupRuleConfig {
    /// A rule for `source` → `destination` with one schedule, created at `now` (unix seconds).
    pub fn new(description: &str, source: &str, destination: &str, schedule: ScheduleConfig, now: i64) -> Self {
        Self {
            description: description.to_owned(),
            create_time: now,
            modify_time: now,
            source: source.to_owned(),
            destination: destination.to_owned(),
            schedules: vec![schedule].into(),
            ..Self::default()
        }
    }
}

/// One time-based trigger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScheduleConfig {
    /// How `seconds_past` is read.
    #[serde(rename = "FrequencyType")]
    pub frequency_type: ScheduleFrequency,
    /// Meaning depends on the frequency (§5.6).
    #[serde(rename = "SecondsPast")]
    pub seconds_past: u64,
    /// PERIODIC only: grid shift in seconds.
    #[serde(rename = "Offset", skip_serializing_if = "is_default")]
    pub offset: i64,
    /// Only run between `from_time` and `to_time`.
    #[serde(rename = "RestrictRuntime")]
    pub restrict_runtime: bool,
    /// Window start (local).
    #[serde(rename = "FromTime", deserialize_with = "null_as_default")]
    pub from_time: HourSchedConfig,
    /// Window end (local).
    #[serde(rename = "ToTime", deserialize_with = "null_as_default")]
    pub to_time: HourSchedConfig,
    /// Only run on the days in `days_select`.
    #[serde(rename = "RestrictDays")]
    pub restrict_days: bool,
    /// Allowed weekdays.
    #[serde(rename = "DaysSelect", deserialize_with = "null_as_default")]
    pub days_select: DaysOfWeekConfig,
    /// Random start delay bound in seconds (≤ 18000).
    #[serde(rename = "RandomDelaySecs", skip_serializing_if = "is_default")]
    pub random_delay_secs: u64,
    /// YEARLY: month selector.
    #[serde(rename = "SelectedMonth")]
    pub selected_month: u64,
    /// MONTHLY/YEARLY: day-of-month selector.
    #[serde(rename = "SelectedDay")]
    pub selected_day: u64,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ScheduleConfig {
    /// Every day at `hour:minute` local time.
    pub fn daily(hour: u64, minute: u64) -> Self {
        Self { frequency_type: ScheduleFrequency::DAILY, seconds_past: hour * 3600 + minute * 60, ..Self::default() }
    }

    /// Every hour at `minute` past.
    pub fn hourly(minute: u64) -> Self {
        Self { frequency_type: ScheduleFrequency::HOURLY, seconds_past: minute * 60, ..Self::default() }
    }

    /// Every week, `weekday` 0 = Sunday … 6 = Saturday, at `hour:minute` local time.
    pub fn weekly(weekday: u64, hour: u64, minute: u64) -> Self {
        Self {
            frequency_type: ScheduleFrequency::WEEKLY,
            seconds_past: weekday * 86_400 + hour * 3600 + minute * 60,
            ..Self::default()
        }
    }

    /// Every `period_secs` seconds.
    pub fn periodic(period_secs: u64) -> Self {
        Self { frequency_type: ScheduleFrequency::PERIODIC, seconds_past: period_secs, ..Self::default() }
    }
}

/// A local time of day in a schedule window.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HourSchedConfig {
    /// 0–23.
    #[serde(rename = "Hour")]
    pub hour: u64,
    /// 0–59.
    #[serde(rename = "Minutes")]
    pub minutes: u64,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Allowed weekdays of a schedule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DaysOfWeekConfig {
    /// Sunday.
    #[serde(rename = "Sunday")]
    pub sunday: bool,
    /// Monday.
    #[serde(rename = "Monday")]
    pub monday: bool,
    /// Tuesday.
    #[serde(rename = "Tuesday")]
    pub tuesday: bool,
    /// Wednesday.
    #[serde(rename = "Wednesday")]
    pub wednesday: bool,
    /// Thursday.
    #[serde(rename = "Thursday")]
    pub thursday: bool,
    /// Friday.
    #[serde(rename = "Friday")]
    pub friday: bool,
    /// Saturday.
    #[serde(rename = "Saturday")]
    pub saturday: bool,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl DaysOfWeekConfig {
    /// The days as `[Sunday, …, Saturday]`.
    pub fn as_array(&self) -> [bool; 7] {
        [self.sunday, self.monday, self.tuesday, self.wednesday, self.thursday, self.friday, self.saturday]
    }
}

/// Non-time triggers of a rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BackupRuleEventTriggers {
    /// Run at boot.
    #[serde(rename = "OnPCBoot", skip_serializing_if = "is_default")]
    pub on_pc_boot: bool,
    /// Run at boot if the last scheduled job was missed.
    #[serde(rename = "OnPCBootIfLastJobMissed", skip_serializing_if = "is_default")]
    pub on_pc_boot_if_last_job_missed: bool,
    /// Retry failed jobs.
    #[serde(rename = "OnLastJobFailDoRetry", skip_serializing_if = "is_default")]
    pub on_last_job_fail_do_retry: bool,
    /// Retry attempts.
    #[serde(rename = "LastJobFailDoRetryCount", skip_serializing_if = "is_default")]
    pub last_job_fail_do_retry_count: u64,
    /// Minutes between retries.
    #[serde(rename = "LastJobFailDoRetryTime", skip_serializing_if = "is_default")]
    pub last_job_fail_do_retry_time: u64,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}
