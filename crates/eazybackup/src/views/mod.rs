//! The JSON shapes the browser sees: the `eb_events` outbox payloads the worker writes and the
//! bodies the API serves (docs/architecture.md). They live apart from `db` (which only reads and
//! writes rows) and `api` (which only routes), because both sides produce the same shapes and the
//! wire format is a contract with the browser and the PHP addon.
//!
//! A view carries nothing secret: the test below serialises every one and refuses any
//! credential-like field name.

pub mod account;
pub mod activity;
pub mod capabilities;
pub mod devices;
pub mod items;
pub mod job_list;
pub mod jobs;
pub mod overview;
pub mod restores;
pub mod vaults;

pub use activity::{ActivityEntry, ActivityPage};
pub use devices::DeviceView;
pub use items::ItemsChanged;
pub use jobs::{ClassCounts, Incident, JobView};

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    /// Field names (compared without case, `_` and `-`) that would mean a credential reached the
    /// browser: Comet's user, vault and engine secrets and anything token- or key-like.
    /// Name endings (compared without case, `_` and `-`) that would mean a credential reached the
    /// browser: Comet's account secrets (`PasswordHash`, `TOTPKey`), vault and engine credentials
    /// (`EncryptionKey`, `S3SecretKey`, `S3AccessKey`, `B2ApplicationKey`, `AZBAccountKey`, SFTP
    /// passwords and keys, Storj passphrases) and anything token-like.
    const SECRET_NAMES: &[&str] = &[
        "passwordhash",
        "password",
        "totpkey",
        "encryptionkey",
        "secretkey",
        "accesskey",
        "applicationkey",
        "accountkey",
        "apikey",
        "privatekey",
        "passphrase",
        "token",
        "credentials",
        "secret",
    ];

    fn is_secret(key: &str) -> bool {
        let folded: String = key.chars().filter(|c| *c != '_' && *c != '-').flat_map(char::to_lowercase).collect();
        SECRET_NAMES.iter().any(|s| folded.ends_with(s))
    }

    /// Every JSON key at any depth of `value`, with its path.
    fn keys(value: &Value, path: &str, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let here = format!("{path}.{k}");
                    out.push(here.clone());
                    keys(v, &here, out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    keys(v, &format!("{path}[{i}]"), out);
                }
            }
            _ => {}
        }
    }

    fn job() -> JobView {
        JobView {
            profile: "eazybackup".into(),
            username: "acme-dental".into(),
            service_id: Some(7),
            job_id: "job-1".into(),
            device_id: "dev-1".into(),
            device_name: Some("Front desk".into()),
            item_id: "item-1".into(),
            item_name: Some("Documents".into()),
            vault_id: "vault-1".into(),
            classification: 4001,
            classification_label: "Backup".into(),
            status: 7001,
            status_label: "Warning".into(),
            status_class: "warning".into(),
            started_at: 1_700_000_000,
            ended_at: Some(1_700_000_600),
            bytes_done: 10,
            total_bytes: 20,
            upload_bytes: 5,
            progress_counter: 3,
            last_update: 1_700_000_600,
        }
    }

    /// One value per view, every field populated (an `Option` is `Some`, a collection non-empty),
    /// so a secret added anywhere in a view shows up here. A new view is added to this list.
    fn every_view() -> Vec<(&'static str, Value)> {
        let all = |v: Result<Value, serde_json::Error>| v.expect("a view serialises");
        vec![
            ("JobView", all(serde_json::to_value(job()))),
            ("Incident", all(serde_json::to_value(Incident { job: job(), snoozed_until: Some(1_700_003_600) }))),
            ("ClassCounts", all(serde_json::to_value(ClassCounts { running: 1, success: 2, warning: 3, error: 4, missed: 5 }))),
            (
                "DeviceView",
                all(serde_json::to_value(DeviceView {
                    profile: "eazybackup".into(),
                    username: "acme-dental".into(),
                    service_id: Some(7),
                    device_id: "dev-1".into(),
                    name: "Front desk".into(),
                    platform_os: "windows".into(),
                    platform_arch: "amd64".into(),
                    online: true,
                    is_active: true,
                })),
            ),
            (
                "ItemsChanged",
                all(serde_json::to_value(ItemsChanged {
                    profile: "eazybackup".into(),
                    username: "acme-dental".into(),
                    service_id: Some(7),
                })),
            ),
            (
                "ActivityPage",
                all(serde_json::to_value(ActivityPage {
                    entries: vec![ActivityEntry {
                        id: 9,
                        action: "incident.snooze".into(),
                        target: "obc/job-1".into(),
                        result: "ok".into(),
                        message: Some("until 1700003600".into()),
                        created_at: 1_700_000_000,
                        user_id: Some(3),
                    }],
                    next_before: Some(9),
                })),
            ),
            // `GET /api/v1/services` still serves the scoping row itself.
            (
                "Service",
                all(serde_json::to_value(crate::db::tenancy::Service {
                    service_id: 7,
                    profile: "eazybackup".into(),
                    username: "acme-dental".into(),
                    status: "Active".into(),
                })),
            ),
            ("Overview", all(serde_json::to_value(overview_example()))),
            (
                "Capabilities",
                all(serde_json::to_value(crate::api::capabilities::evaluate(
                    &overview_example().service,
                    &comet::UserPolicy::default(),
                    None,
                ))),
            ),
            ("VaultList", all(serde_json::to_value(vaults_example()))),
            (
                "SnapshotList",
                all(serde_json::to_value(vaults::SnapshotList {
                    vault_id: "v1".into(),
                    snapshots: vec![vaults::SnapshotView {
                        snapshot_id: "s1".into(),
                        item_id: "i1".into(),
                        item_name: Some("Documents".into()),
                        device_id: Some("d1".into()),
                        device_name: Some("Front desk".into()),
                        engine: "engine1/file".into(),
                        engine_label: "Files and Folders".into(),
                        created_at: 1_700_000_000,
                        size_bytes: Some(5),
                        files: Some(2),
                    }],
                    read_by_device: Some("d1".into()),
                    message: Some("m".into()),
                })),
            ),
            (
                "StartedJob",
                all(serde_json::to_value(vaults::StartedJob {
                    job_id: Some("j1".into()),
                    classification: 4004,
                    classification_label: "Vault unlock".into(),
                    device_id: "d1".into(),
                    device_name: Some("Front desk".into()),
                    message: "Vault unlock started.".into(),
                })),
            ),
            (
                "RetentionPreview",
                all(serde_json::to_value(vaults::RetentionPreview {
                    summary: "Keep every backup".into(),
                    kept: 1,
                    removed: 0,
                    snapshots: vec![vaults::PreviewEntry {
                        snapshot_id: "s1".into(),
                        item_id: "i1".into(),
                        item_name: Some("Documents".into()),
                        created_at: 1,
                        keep: true,
                        own_retention: false,
                    }],
                    note: "n".into(),
                })),
            ),
            ("VaultTemplate", all(serde_json::to_value(vaults::VaultTemplate { template_id: "t".into(), name: "Cloud".into() }))),
            ("AccountSettings", all(serde_json::to_value(account_example()))),
        ]
    }

    fn vaults_example() -> vaults::VaultList {
        use vaults::*;
        VaultList {
            vaults: vec![VaultView {
                vault_id: "v1".into(),
                name: "Cloud".into(),
                type_code: 1003,
                type_label: "Comet".into(),
                used_bytes: Some(4),
                measured_at: Some(1_700_000_000),
                quota_bytes: Some(10),
                deep_verified_at: Some(1_700_000_000),
                created_at: 1_700_000_000,
                retention: RetentionView {
                    keep_everything: false,
                    ranges: vec![RetentionRangeView { range_type: 900, jobs: 3, ..Default::default() }],
                },
                retention_summary: "Keep the newest 3 backups".into(),
                retention_error: Some("e".into()),
                items: vec![VaultItem {
                    item_id: "i1".into(),
                    name: "Documents".into(),
                    device_id: "d1".into(),
                    device_name: Some("Front desk".into()),
                    own_retention: true,
                }],
                usage_history: vec![UsagePoint { at: 1_700_000_000, bytes: 4 }],
            }],
            profile_hash: "h".into(),
            rule_types: vec![RetentionRuleType { range_type: 900, label: "Most recent jobs".into(), fields: vec!["jobs"] }],
        }
    }

    fn account_example() -> account::AccountSettings {
        let profile: comet::UserProfileConfig = serde_json::from_value(serde_json::json!({
            "Username": "acme-dental", "AccountName": "Acme", "Emails": ["a@acme.test"],
            "OverrideEmailSettings": { "a@acme.test": { "Reports": [{ "ReportType": 1,
                "SummaryFrequency": [{ "FrequencyType": 8011, "SecondsPast": 3600 }], "Filter": {} }] } },
            "PasswordHash": "must-not-leak", "PasswordRecovery": "must-not-leak", "TOTPKey": "must-not-leak",
            "AllowPasswordAndTOTPLogin": true
        }))
        .expect("a profile");
        account::AccountSettings::from_profile(7, &profile, "hash-1", Some(true))
    }

    fn overview_example() -> overview::Overview {
        use overview::*;
        let mut profile: comet::UserProfileConfig = serde_json::from_value(serde_json::json!({
            "AccountName": "Acme", "Emails": ["a@acme.test"], "CreateTime": 1_700_000_000,
            "PasswordHash": "must-not-leak", "TOTPKey": "must-not-leak",
            "Destinations": { "v1": { "Description": "Cloud", "EncryptedEncryptionKey": "must-not-leak",
                                      "StorageLimitEnabled": true, "StorageLimitBytes": 10,
                                      "Statistics": { "ClientProvidedSize": { "Size": 4 } } } }
        }))
        .expect("a profile");
        profile.maximum_devices = 3;
        Overview {
            service: crate::db::tenancy::Service {
                service_id: 7,
                profile: "eazybackup".into(),
                username: "acme-dental".into(),
                status: "Active".into(),
            },
            account: AccountSummary::from_profile(&profile),
            devices: DeviceCounts { online: 1, total: 2 },
            items: Total { total: 3 },
            vaults: Total { total: 1 },
            storage: StorageUsed { used_bytes: 4 },
            quotas: quotas_from_profile(&profile),
            jobs_24h: ClassCounts { running: 1, success: 2, warning: 3, error: 4, missed: 5 },
            news: vec![NewsView { id: "n1".into(), ts: Some(1_700_000_000), content: "Maintenance".into() }],
            comet: CometReach { reachable: false, message: Some("The backup server could not be reached.".into()) },
        }
    }

    #[test]
    fn no_view_carries_a_secret_field() {
        for (name, value) in every_view() {
            let mut found = Vec::new();
            keys(&value, name, &mut found);
            assert!(!found.is_empty(), "{name} serialised to no fields");
            // The capability map is keyed by capability names (`account.change_password`): data
            // the browser looks up, not fields that could hold a credential. Their values are
            // still checked.
            let capability_keys: Vec<String> =
                capabilities::Capability::ALL.iter().map(|c| format!("Capabilities.capabilities.{}", c.name())).collect();
            let secrets: Vec<&String> = found
                .iter()
                .filter(|k| !capability_keys.contains(k))
                .filter(|k| is_secret(k.rsplit('.').next().unwrap_or(k)))
                .collect();
            assert!(secrets.is_empty(), "{name} carries secret-looking fields: {secrets:?}");
        }
    }

    /// The wire format is a contract with the browser and the PHP addon (docs/architecture.md):
    /// moving or refactoring a view must not rename, drop, add or reorder a field.
    #[test]
    fn views_keep_their_documented_fields() {
        let job = [
            "profile",
            "username",
            "service_id",
            "job_id",
            "device_id",
            "device_name",
            "item_id",
            "item_name",
            "vault_id",
            "classification",
            "classification_label",
            "status",
            "status_label",
            "status_class",
            "started_at",
            "ended_at",
            "bytes_done",
            "total_bytes",
            "upload_bytes",
            "progress_counter",
            "last_update",
        ];
        let incident: Vec<&str> = job.iter().copied().chain(["snoozed_until"]).collect();
        let expected: Vec<(&str, Vec<&str>)> = vec![
            ("JobView", job.to_vec()),
            ("Incident", incident),
            ("ClassCounts", vec!["running", "success", "warning", "error", "missed"]),
            (
                "DeviceView",
                vec![
                    "profile",
                    "username",
                    "service_id",
                    "device_id",
                    "name",
                    "platform_os",
                    "platform_arch",
                    "online",
                    "is_active",
                ],
            ),
            ("ItemsChanged", vec!["profile", "username", "service_id"]),
            ("ActivityPage", vec!["entries", "next_before"]),
            ("Service", vec!["service_id", "profile", "username", "status"]),
            (
                "Overview",
                vec!["service", "account", "devices", "items", "vaults", "storage", "quotas", "jobs_24h", "news", "comet"],
            ),
            ("Capabilities", vec!["read_only", "capabilities", "item_engine_types", "vault_providers"]),
            ("VaultList", vec!["vaults", "profile_hash", "rule_types"]),
            ("SnapshotList", vec!["vault_id", "snapshots", "read_by_device", "message"]),
            ("StartedJob", vec!["job_id", "classification", "classification_label", "device_id", "device_name", "message"]),
            ("RetentionPreview", vec!["summary", "kept", "removed", "snapshots", "note"]),
            ("VaultTemplate", vec!["template_id", "name"]),
            (
                "AccountSettings",
                vec![
                    "service_id",
                    "username",
                    "display_name",
                    "language_code",
                    "time_zone",
                    "profile_hash",
                    "require_password_change",
                    "password_rules",
                    "two_factor",
                    "privacy",
                    "email_reports",
                    "languages",
                ],
            ),
        ];
        let views = every_view();
        assert_eq!(views.iter().map(|v| v.0).collect::<Vec<_>>(), expected.iter().map(|e| e.0).collect::<Vec<_>>());
        for ((name, value), (_, fields)) in views.iter().zip(&expected) {
            let keys: Vec<&str> = value.as_object().expect("a view is an object").keys().map(String::as_str).collect();
            assert_eq!(&keys, fields, "{name}");
        }
    }

    #[test]
    fn the_secret_check_sees_nested_and_differently_cased_names() {
        let value = serde_json::json!({
            "ok": { "list": [ { "PasswordHash": "x" } ] },
            "totp_key": "y",
            "Vault": { "S3SecretKey": "z" },
            "Engine": { "EngineProps": { "API-KEY": "w" } },
            "access_token": "t",
        });
        let mut found = Vec::new();
        keys(&value, "sample", &mut found);
        let secrets: Vec<&str> = found.iter().filter_map(|k| k.rsplit('.').next()).filter(|k| is_secret(k)).collect();
        assert_eq!(secrets, ["PasswordHash", "totp_key", "S3SecretKey", "API-KEY", "access_token"]);
        assert!(!is_secret("device_id") && !is_secret("status_label") && !is_secret("online"));
    }
}
