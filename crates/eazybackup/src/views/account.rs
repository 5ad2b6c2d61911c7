//! `GET /services/{id}/account`: the Account settings tab (issue 11). Copied out of the account's
//! Comet profile; nothing secret (the password hash, recovery code and TOTP key stay in Comet:
//! only whether they are set is shown).

use comet::{EmailReportConfig, EmailReportType, JobStatus, ScheduleConfig, ScheduleFrequency, SearchClause, UserProfileConfig};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// Comet's rules for a new password (features.md §1.7 #76), served so the browser shows and
/// checks the same ones the API enforces.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct PasswordRules {
    pub min_length: usize,
    pub max_length: usize,
    /// One line: no line breaks.
    pub single_line: bool,
}

pub const PASSWORD_RULES: PasswordRules = PasswordRules { min_length: 8, max_length: 1024, single_line: true };

impl PasswordRules {
    /// The first rule `password` breaks, as the sentence the UI shows.
    pub fn violation(&self, password: &str) -> Option<String> {
        let chars = password.chars().count();
        if chars < self.min_length {
            return Some(format!("The new password needs at least {} characters.", self.min_length));
        }
        if chars > self.max_length {
            return Some(format!("The new password may have at most {} characters.", self.max_length));
        }
        if self.single_line && password.contains(['\n', '\r']) {
            return Some("The new password must be on one line.".into());
        }
        None
    }
}

/// A privacy switch: its state and whether the account's policy fixes it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct PrivacySwitch {
    /// On for this account (for file names: every online device allows it; `null` when no
    /// device is online to ask).
    pub enabled: Option<bool>,
    /// The policy sets it (`SETTING_ENFORCED_ON`/`_OFF`); the UI shows it but offers no change.
    pub fixed_by_policy: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct Privacy {
    /// "Allow administrator to reset my password" (a recovery code is kept).
    pub admin_password_reset: PrivacySwitch,
    /// "Allow administrator to view file names" (decided on each device, in the backup app).
    pub admin_may_view_filenames: PrivacySwitch,
}

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct TwoFactor {
    /// TOTP is required at login.
    pub enabled: bool,
    /// A TOTP secret is stored (enrolled).
    pub enrolled: bool,
}

/// One report a recipient gets. `kind`: `immediate`, `summary`, `grouped_status` or
/// `recent_activity`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct EmailReport {
    pub kind: String,
    /// Only failed jobs (warnings and errors).
    #[serde(default)]
    pub failures_only: bool,
    /// The filter is one the console does not model (set by the provider); it is kept as it is
    /// unless `failures_only` is changed.
    #[serde(default)]
    pub custom_filter: bool,
    /// When summary-style reports are sent.
    #[serde(default)]
    pub schedule: Vec<ReportTime>,
}

/// One send time of a summary: `frequency` `hourly`, `daily`, `weekly` or `monthly` (others
/// Comet may hold are served as `other` and kept), `seconds_past` the start of that period
/// (local time of the account).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct ReportTime {
    pub frequency: String,
    #[serde(default)]
    pub seconds_past: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct Recipient {
    pub address: String,
    /// Reports of this recipient's own; `null`: the provider's default reports.
    #[serde(default)]
    pub reports: Option<Vec<EmailReport>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct EmailReports {
    pub enabled: bool,
    pub recipients: Vec<Recipient>,
}

/// The Account settings of one service.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountSettings {
    pub service_id: i64,
    pub username: String,
    pub display_name: String,
    pub language_code: String,
    pub time_zone: String,
    /// The profile revision the settings were read at: send it back with a change (409 when the
    /// account changed meanwhile).
    pub profile_hash: String,
    pub require_password_change: bool,
    pub password_rules: PasswordRules,
    pub two_factor: TwoFactor,
    pub privacy: Privacy,
    pub email_reports: EmailReports,
    /// The languages Comet offers.
    pub languages: Vec<Language>,
}

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct Language {
    pub code: String,
    pub name: String,
}

/// Comet's interface languages (features.md §1.7 #79).
pub const LANGUAGES: &[(&str, &str)] = &[
    ("en_US", "English"),
    ("es_ES", "Español"),
    ("pt_BR", "Português (Brasil)"),
    ("nl_NL", "Nederlands"),
    ("it_IT", "Italiano"),
    ("de_DE", "Deutsch"),
    ("fr_FR", "Français"),
    ("hr_HR", "Hrvatski"),
    ("da_DK", "Dansk"),
    ("sv_SE", "Svenska"),
    ("ru_RU", "Русский"),
    ("ja_JP", "日本語"),
    ("zh_CN", "中文 (简体)"),
];

/// `DefaultSettingMode` values that fix a switch.
const SETTING_ENFORCED_ON: i64 = 3;
const SETTING_ENFORCED_OFF: i64 = 4;

fn policy_mode(profile: &UserProfileConfig, key: &str) -> i64 {
    serde_json::to_value(&profile.policy).ok().and_then(|p| p.get(key).and_then(Value::as_i64)).unwrap_or(0)
}

fn fixed(mode: i64) -> bool {
    mode == SETTING_ENFORCED_ON || mode == SETTING_ENFORCED_OFF
}

pub const REPORT_KINDS: &[(EmailReportType, &str)] = &[
    (EmailReportType::IMMEDIATE, "immediate"),
    (EmailReportType::SUMMARY, "summary"),
    (EmailReportType::GROUPED_STATUS, "grouped_status"),
    (EmailReportType::RECENT_ACTIVITY, "recent_activity"),
];

pub const REPORT_FREQUENCIES: &[(ScheduleFrequency, &str)] = &[
    (ScheduleFrequency::HOURLY, "hourly"),
    (ScheduleFrequency::DAILY, "daily"),
    (ScheduleFrequency::WEEKLY, "weekly"),
    (ScheduleFrequency::MONTHLY, "monthly"),
];

/// "Failures only": warnings and errors.
pub fn failures_filter() -> SearchClause {
    SearchClause::status_in(&[JobStatus::FAILED_WARNING.0, JobStatus::FAILED_ERROR.0])
}

impl EmailReport {
    pub fn from_config(c: &EmailReportConfig) -> Self {
        let kind = REPORT_KINDS.iter().find(|(t, _)| *t == c.report_type).map_or("other", |(_, n)| n);
        let failures_only = c.filter == failures_filter();
        let custom_filter = !failures_only && c.filter != SearchClause::default();
        let schedule = c
            .summary_frequency
            .iter()
            .map(|s| ReportTime {
                frequency: REPORT_FREQUENCIES
                    .iter()
                    .find(|(f, _)| *f == s.frequency_type)
                    .map_or("other", |(_, n)| n)
                    .to_string(),
                seconds_past: s.seconds_past,
            })
            .collect();
        EmailReport { kind: kind.to_string(), failures_only, custom_filter, schedule }
    }

    /// This report as Comet's config, starting from `base` (the report it replaces, so keys the
    /// console does not model are kept).
    pub fn to_config(&self, base: Option<&EmailReportConfig>) -> Result<EmailReportConfig, String> {
        let mut c = base.cloned().unwrap_or_default();
        c.report_type = REPORT_KINDS
            .iter()
            .find(|(_, n)| *n == self.kind)
            .map(|(t, _)| *t)
            .ok_or_else(|| format!("Unknown report type {:?}.", self.kind))?;
        let was_failures = c.filter == failures_filter();
        if self.failures_only {
            c.filter = failures_filter();
        } else if was_failures || !self.custom_filter {
            c.filter = SearchClause::default();
        }
        let old: Vec<ScheduleConfig> = c.summary_frequency.iter().cloned().collect();
        let mut times = Vec::new();
        for (i, t) in self.schedule.iter().enumerate() {
            let mut s = old.get(i).cloned().unwrap_or_default();
            if t.frequency != "other" {
                s.frequency_type = REPORT_FREQUENCIES
                    .iter()
                    .find(|(_, n)| *n == t.frequency)
                    .map(|(f, _)| *f)
                    .ok_or_else(|| format!("Unknown schedule {:?}.", t.frequency))?;
            } else if old.get(i).is_none() {
                return Err("A new send time needs a frequency.".into());
            }
            s.seconds_past = t.seconds_past;
            times.push(s);
        }
        c.summary_frequency = times.into_iter().collect();
        Ok(c)
    }
}

impl EmailReports {
    pub fn from_profile(p: &UserProfileConfig) -> Self {
        let recipients = p
            .emails
            .iter()
            .map(|address| Recipient {
                address: address.clone(),
                reports: p.override_email_settings.get(address).map(|o| o.reports.iter().map(EmailReport::from_config).collect()),
            })
            .collect();
        EmailReports { enabled: p.send_email_reports, recipients }
    }
}

impl AccountSettings {
    /// The settings of `profile` (read at `hash`); `filenames` is what the online devices allow
    /// (`None` when none is online).
    pub fn from_profile(service_id: i64, p: &UserProfileConfig, hash: &str, filenames: Option<bool>) -> Self {
        AccountSettings {
            service_id,
            username: p.username.clone(),
            display_name: p.account_name.clone(),
            language_code: p.language_code.clone(),
            time_zone: p.local_timezone.clone(),
            profile_hash: hash.to_string(),
            require_password_change: p.require_password_change,
            password_rules: PASSWORD_RULES,
            two_factor: TwoFactor { enabled: p.allow_password_and_totp_login, enrolled: !p.totp_key.expose().is_empty() },
            privacy: Privacy {
                admin_password_reset: PrivacySwitch {
                    enabled: Some(!p.password_recovery.expose().is_empty()),
                    fixed_by_policy: fixed(policy_mode(p, "ModeAdminResetPassword")),
                },
                admin_may_view_filenames: PrivacySwitch {
                    enabled: filenames,
                    fixed_by_policy: fixed(policy_mode(p, "ModeAdminViewFilenames")),
                },
            },
            email_reports: EmailReports::from_profile(p),
            languages: LANGUAGES.iter().map(|(c, n)| Language { code: c.to_string(), name: n.to_string() }).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn password_rules_name_the_first_broken_rule() {
        assert!(PASSWORD_RULES.violation("short").unwrap().contains("at least 8"));
        assert!(PASSWORD_RULES.violation("two\nlines here").unwrap().contains("one line"));
        assert_eq!(PASSWORD_RULES.violation("long enough pass"), None);
        // Characters, not bytes.
        assert_eq!(PASSWORD_RULES.violation("ééééééééé"), None);
    }

    #[test]
    fn a_report_round_trips_and_keeps_what_it_does_not_model() {
        let base: EmailReportConfig = serde_json::from_value(json!({
            "ReportType": 1, "SummaryFrequency": [{ "FrequencyType": 8011, "SecondsPast": 3600, "RandomDelaySecs": 5, "Future": 1 }],
            "TimeSpan": { "FrequencyType": 8011, "Seconds": 86400 }, "Filter": {}, "FutureKey": "kept"
        }))
        .unwrap();
        let view = EmailReport::from_config(&base);
        assert_eq!(view.kind, "summary");
        assert_eq!(view.schedule, vec![ReportTime { frequency: "daily".into(), seconds_past: 3600 }]);
        let changed = EmailReport {
            failures_only: true,
            schedule: vec![ReportTime { frequency: "weekly".into(), seconds_past: 7200 }],
            ..view
        };
        let out = serde_json::to_value(changed.to_config(Some(&base)).unwrap()).unwrap();
        assert_eq!(out["FutureKey"], "kept");
        assert_eq!(out["SummaryFrequency"][0]["Future"], 1);
        assert_eq!(out["SummaryFrequency"][0]["RandomDelaySecs"], 5);
        assert_eq!(out["SummaryFrequency"][0]["FrequencyType"], 8013);
        assert_eq!(out["TimeSpan"]["Seconds"], 86400);
        let back: EmailReportConfig = serde_json::from_value(out).unwrap();
        assert!(EmailReport::from_config(&back).failures_only);
        assert!(EmailReport { kind: "weekly".into(), ..changed }.to_config(None).is_err());
    }
}
