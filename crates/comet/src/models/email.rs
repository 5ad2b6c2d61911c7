//! Email report settings (§5.11).

use super::backup_rule::ScheduleConfig;
use super::codes::{EmailReportType, ScheduleFrequency};
use super::nullable::NullableVec;
use super::search::SearchClause;
use super::wire::{Extra, null_as_default};
use crate::JobStatus;
use serde::{Deserialize, Serialize};

/// One report definition.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmailReportConfig {
    /// Immediate, summary, grouped status or recent activity.
    #[serde(rename = "ReportType")]
    pub report_type: EmailReportType,
    /// When summary-style reports are sent.
    #[serde(rename = "SummaryFrequency")]
    pub summary_frequency: NullableVec<ScheduleConfig>,
    /// Window a summary covers.
    #[serde(rename = "TimeSpan", skip_serializing_if = "Option::is_none")]
    pub time_span: Option<TimeSpan>,
    /// Which jobs the report includes.
    #[serde(rename = "Filter", deserialize_with = "null_as_default")]
    pub filter: SearchClause,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl EmailReportConfig {
    /// One mail per finished job whose status is one of `statuses` (the portal's "errors and
    /// warnings only" is `[FAILED_WARNING, FAILED_ERROR]`).
    pub fn immediate_for(statuses: &[JobStatus]) -> Self {
        let codes: Vec<u64> = statuses.iter().map(|s| s.0).collect();
        Self { report_type: EmailReportType::IMMEDIATE, filter: SearchClause::status_in(&codes), ..Self::default() }
    }
}

/// A report definition plus recipients (AdminMetaSendTestReport).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmailReportingOption {
    /// The report.
    #[serde(rename = "EmailReportConfig", deserialize_with = "null_as_default")]
    pub email_report_config: EmailReportConfig,
    /// Language, e.g. `en_US`.
    #[serde(rename = "LanguageCode")]
    pub language_code: String,
    /// IANA zone for times in the report.
    #[serde(rename = "LocalTimezone")]
    pub local_timezone: String,
    /// Addresses.
    #[serde(rename = "Recipients")]
    pub recipients: NullableVec<String>,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The reports one recipient gets instead of the defaults (`OverrideEmailSettings` values).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserCustomEmailSettings {
    /// The reports.
    #[serde(rename = "Reports")]
    pub reports: NullableVec<EmailReportConfig>,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The time window of a summary report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimeSpan {
    /// Window kind.
    #[serde(rename = "FrequencyType")]
    pub frequency_type: ScheduleFrequency,
    /// Length in seconds (PERIODIC, ONCEONLY).
    #[serde(rename = "Seconds")]
    pub seconds: i64,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

comet_response! {
    /// A rendered report (AdminPreviewUserEmailReport, EmailPreview).
    EmailReportGeneratedPreview {
        /// Sender.
        #[serde(rename = "From")]
        pub from: String,
        /// Recipients.
        #[serde(rename = "To")]
        pub to: NullableVec<String>,
        /// Subject.
        #[serde(rename = "EmailSubject")]
        pub email_subject: String,
        /// HTML body.
        #[serde(rename = "EmailBodyHTML")]
        pub email_body_html: String,
        /// Text body.
        #[serde(rename = "EmailBodyPlaintext")]
        pub email_body_plaintext: String,
    }
}
