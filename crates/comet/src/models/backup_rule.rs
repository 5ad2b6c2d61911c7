//! Schedules (`BackupRuleConfig`). The embedded job options stay in `extra`.

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
    /// Time-based triggers.
    #[serde(rename = "Schedules", deserialize_with = "null_as_default")]
    pub schedules: Vec<ScheduleConfig>,
    /// Non-time triggers.
    #[serde(rename = "EventTriggers", deserialize_with = "null_as_default")]
    pub event_triggers: BackupRuleEventTriggers,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One time-based trigger. Window/day restrictions stay in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScheduleConfig {
    /// `SCHEDULE_FREQUENCY_*` (8010–8016).
    #[serde(rename = "FrequencyType")]
    pub frequency_type: u64,
    /// Meaning depends on the frequency (see the reference).
    #[serde(rename = "SecondsPast")]
    pub seconds_past: u64,
    /// PERIODIC only: grid shift in seconds.
    #[serde(rename = "Offset", skip_serializing_if = "is_default")]
    pub offset: i64,
    /// Random start delay bound in seconds.
    #[serde(rename = "RandomDelaySecs", skip_serializing_if = "is_default")]
    pub random_delay_secs: u64,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
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
