//! What a customer may do with one account: the account's effective Comet `UserPolicy` (the
//! read-only copy in its profile, features.md §1.8) plus our own rules (a suspended service is
//! read-only; device actions need the device online). `GET /services/{id}/capabilities` serves
//! the answer so the UI can hide or disable; every write calls [`require`] so the API refuses the
//! same things (403 `forbidden_by_policy`, or `read_only`).
//!
//! [`rule`] is the one table of which switch (or rule of ours) decides which capability; the
//! names themselves are [`Capability`]'s.

use comet::UserPolicy;
use serde_json::{Map, Value};

use crate::api::comet_clients::AccountComet;
use crate::api::error::ApiError;
use crate::api::write_access::READ_ONLY_MESSAGE;
use crate::db::tenancy::Service;
use crate::views::capabilities::{Capabilities, Capability, Decision};

/// How one capability is decided.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Changes something (refused on a suspended service).
    pub write: bool,
    /// The `UserPolicy` switch that forbids it when true, with the reason shown.
    pub prevented_by: Option<(&'static str, &'static str)>,
    /// Acts through the device's live connection, so the device must be online.
    pub needs_online_device: bool,
}

/// A write the policy switch `key` forbids when true, refused with `reason`.
const fn write_unless(key: &'static str, reason: &'static str) -> Rule {
    Rule { write: true, prevented_by: Some((key, reason)), needs_online_device: false }
}

/// A read (allowed on a suspended service) the policy switch `key` forbids when true.
const fn read_unless(key: &'static str, reason: &'static str) -> Rule {
    Rule { write: false, prevented_by: Some((key, reason)), needs_online_device: false }
}

/// A write no policy switch governs.
const WRITE: Rule = Rule { write: true, prevented_by: None, needs_online_device: false };

/// A write through the device's live connection.
const DEVICE_ACTION: Rule = Rule { write: true, prevented_by: None, needs_online_device: true };

/// How `capability` is decided: the one table of policy switches and our rules (a `match`, so a
/// new [`Capability`] does not compile until it has its row).
pub fn rule(capability: Capability) -> Rule {
    use Capability::*;
    match capability {
        VaultsRequest => write_unless("PreventRequestStorageVault", VAULTS_REQUEST),
        VaultsCreate => write_unless("PreventAddCustomStorageVault", VAULTS_CREATE),
        VaultsEdit => write_unless("PreventEditStorageVault", VAULTS_EDIT),
        VaultsDelete => write_unless("PreventDeleteStorageVault", VAULTS_DELETE),
        VaultsEditRetention => write_unless("EnforceStorageVaultRetention", VAULTS_EDIT_RETENTION),
        ItemsCreate => write_unless("PreventNewProtectedItem", ITEMS_CREATE),
        ItemsEdit => write_unless("PreventEditProtectedItem", ITEMS_EDIT),
        ItemsDelete => write_unless("PreventDeleteProtectedItem", ITEMS_DELETE),
        ItemsEditRetention => write_unless("PreventProtectedItemRetention", ITEMS_EDIT_RETENTION),
        SnapshotsDelete => write_unless("PreventDeleteSingleSnapshots", SNAPSHOTS_DELETE),
        AccountChangePassword => write_unless("PreventChangeAccountPassword", ACCOUNT_CHANGE_PASSWORD),
        AccountChangeEmailSettings => write_unless("PreventChangeEmailSettings", ACCOUNT_CHANGE_EMAIL_SETTINGS),
        AccountRename => write_unless("PreventChangeAccountName", ACCOUNT_RENAME),
        AccountOpenWebUi => read_unless("PreventOpenWebUI", ACCOUNT_OPEN_WEB_UI),
        AccountOpenAppUi => read_unless("PreventOpenAppUI", ACCOUNT_OPEN_APP_UI),
        DevicesViewNames => read_unless("PreventViewDeviceNames", DEVICES_VIEW_NAMES),
        DevicesRename | DevicesRevoke | JobsCancel => WRITE,
        VaultsMaintain
        | DevicesRunBackup
        | DevicesUpdateSoftware
        | DevicesUninstallSoftware
        | DevicesBrowse
        | DevicesManageConnection
        | RestoresRun => DEVICE_ACTION,
    }
}

// The reasons shown when a policy switch denies a capability.
const VAULTS_REQUEST: &str = "Your provider does not allow requesting new storage vaults for this account.";
const VAULTS_CREATE: &str = "Your provider does not allow adding your own storage vaults to this account.";
const VAULTS_EDIT: &str = "Your provider does not allow changing storage vaults of this account.";
const VAULTS_DELETE: &str = "Your provider does not allow deleting storage vaults of this account.";
const VAULTS_EDIT_RETENTION: &str =
    "Your provider sets the retention of this account's storage vaults; it cannot be changed here.";
const ITEMS_CREATE: &str = "Your provider does not allow adding protected items to this account.";
const ITEMS_EDIT: &str = "Your provider does not allow changing protected items of this account.";
const ITEMS_DELETE: &str = "Your provider does not allow deleting protected items of this account.";
const ITEMS_EDIT_RETENTION: &str = "Your provider does not allow a protected item to have its own retention in this account.";
const SNAPSHOTS_DELETE: &str = "Your provider does not allow deleting single snapshots.";
const ACCOUNT_CHANGE_PASSWORD: &str = "Your provider does not allow changing this account's password here.";
const ACCOUNT_CHANGE_EMAIL_SETTINGS: &str = "Your provider does not allow changing this account's email report settings.";
const ACCOUNT_RENAME: &str = "Your provider does not allow changing this account's name.";
const ACCOUNT_OPEN_WEB_UI: &str = "Your provider does not allow this account to use the backup web interface.";
const ACCOUNT_OPEN_APP_UI: &str = "Your provider does not allow this account to open the desktop app.";
const DEVICES_VIEW_NAMES: &str = "Your provider hides device names for this account.";

/// The state of the device a device action would use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceState {
    Online,
    Offline,
}

pub const DEVICE_OFFLINE_MESSAGE: &str = "This device is offline. It must be connected to run this.";

/// Why a device action is not decided when no device was named.
pub const NO_DEVICE_NAMED: &str = "Choose an online device to run this.";

/// The policy's keys, typed or not, as JSON (absent key ⇒ the Go zero value).
fn policy_map(policy: &UserPolicy) -> Map<String, Value> {
    match serde_json::to_value(policy) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

fn flag(map: &Map<String, Value>, key: &str) -> bool {
    map.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// `{ "<ShouldRestrict…>": true, "<Allowed…>": [...] }` → the list, or `None` when unrestricted.
fn allow_list<T: serde::de::DeserializeOwned>(map: &Map<String, Value>, key: &str, switch: &str, list: &str) -> Option<Vec<T>> {
    let policy = map.get(key)?;
    if !policy.get(switch).and_then(Value::as_bool).unwrap_or(false) {
        return None;
    }
    Some(policy.get(list).cloned().and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default())
}

/// Decides every capability for `service` under `policy`; device actions are decided for `device`
/// when one is named, and refused (with [`NO_DEVICE_NAMED`]) otherwise.
pub fn evaluate(service: &Service, policy: &UserPolicy, device: Option<DeviceState>) -> Capabilities {
    let read_only = !service.is_writable();
    let map = policy_map(policy);
    let capabilities = Capability::ALL
        .iter()
        .map(|&c| {
            let how = rule(c);
            let decision = if how.write && read_only {
                Decision::deny(READ_ONLY_MESSAGE)
            } else if let Some((_, reason)) = how.prevented_by.filter(|(key, _)| flag(&map, key)) {
                Decision::deny(reason)
            } else if how.needs_online_device {
                match device {
                    Some(DeviceState::Online) => Decision::allow(),
                    Some(DeviceState::Offline) => Decision::deny(DEVICE_OFFLINE_MESSAGE),
                    None => Decision::deny(NO_DEVICE_NAMED),
                }
            } else {
                Decision::allow()
            };
            (c, decision)
        })
        .collect();
    Capabilities {
        read_only,
        capabilities,
        item_engine_types: allow_list(
            &map,
            "ProtectedItemEngineTypes",
            "ShouldRestrictEngineTypeList",
            "AllowedEngineTypeWhenRestricted",
        ),
        vault_providers: allow_list(
            &map,
            "StorageVaultProviders",
            "ShouldRestrictProviderList",
            "AllowedProvidersWhenRestricted",
        ),
    }
}

/// `Ok` when `capability` is allowed in `caps`; else the refusal a write answers with: `read_only`
/// for a suspended service, `forbidden_by_policy` with the reason otherwise.
pub fn check(caps: &Capabilities, capability: Capability) -> Result<(), ApiError> {
    match caps.capabilities.get(&capability) {
        Some(Decision { allowed: true, .. }) => Ok(()),
        _ if caps.read_only && rule(capability).write => Err(ApiError::ReadOnly),
        Some(Decision { reason, .. }) => {
            Err(ApiError::ForbiddenByPolicy(reason.clone().unwrap_or_else(|| "This is not allowed for this account.".into())))
        }
        None => Err(ApiError::Internal("capability missing from its own table")),
    }
}

/// The check every write makes before it calls Comet: the account's effective policy, read now
/// from Comet (a policy changed a second ago already applies), and our rules. `device` is the
/// state of the device a device action targets.
pub async fn require(
    comet: &AccountComet,
    service: &Service,
    capability: Capability,
    device: Option<DeviceState>,
) -> Result<(), ApiError> {
    if rule(capability).write {
        crate::api::write_access::check(service)?;
    }
    let profile = comet.profile().await?;
    check(&evaluate(service, &profile.policy, device), capability)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn service(status: &str) -> Service {
        Service { service_id: 1, profile: "p".into(), username: "u".into(), status: status.into() }
    }

    fn policy(v: Value) -> UserPolicy {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn names_are_unique_dotted_and_every_one_is_decided() {
        let names: Vec<String> = Capability::ALL.iter().map(|c| c.name()).collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        assert!(names.iter().all(|n| n.contains('.') && !n.contains(' ')), "{names:?}");
        let caps = evaluate(&service("Active"), &UserPolicy::default(), Some(DeviceState::Online));
        assert_eq!(caps.capabilities.len(), Capability::ALL.len());
        let body = serde_json::to_value(&caps).unwrap();
        assert_eq!(body["capabilities"]["items.create"], json!({ "allowed": true, "reason": null }));
    }

    #[test]
    fn every_policy_switch_denies_its_capability_with_a_reason_and_nothing_else() {
        for &c in Capability::ALL {
            let Some((key, reason)) = rule(c).prevented_by else { continue };
            let caps = evaluate(&service("Active"), &policy(json!({ key: true })), Some(DeviceState::Online));
            for (&other, decision) in &caps.capabilities {
                if other == c {
                    assert_eq!(decision, &Decision::deny(reason), "{key}");
                    let err = check(&caps, c).unwrap_err();
                    assert_eq!(err.status_and_code(), (axum::http::StatusCode::FORBIDDEN, "forbidden_by_policy"), "{key}");
                    assert!(err.body().to_string().contains(reason), "{key}");
                } else {
                    assert!(decision.allowed, "{key} also denied {other:?}");
                }
            }
        }
    }

    #[test]
    fn a_suspended_service_refuses_every_write_as_read_only_but_reads_stay_allowed() {
        let caps = evaluate(&service("Suspended"), &UserPolicy::default(), Some(DeviceState::Online));
        assert!(caps.read_only);
        for &c in Capability::ALL {
            let d = &caps.capabilities[&c];
            if rule(c).write {
                assert_eq!(d, &Decision::deny(READ_ONLY_MESSAGE), "{c:?}");
                assert_eq!(check(&caps, c).unwrap_err().status_and_code().1, "read_only", "{c:?}");
            } else {
                assert!(d.allowed, "{c:?}");
            }
        }
    }

    #[test]
    fn device_actions_need_the_device_online() {
        let p = UserPolicy::default();
        let online = evaluate(&service("Active"), &p, Some(DeviceState::Online));
        let offline = evaluate(&service("Active"), &p, Some(DeviceState::Offline));
        let unnamed = evaluate(&service("Active"), &p, None);
        assert!(check(&online, Capability::DevicesRunBackup).is_ok());
        assert_eq!(offline.capabilities[&Capability::DevicesRunBackup], Decision::deny(DEVICE_OFFLINE_MESSAGE));
        assert_eq!(check(&offline, Capability::RestoresRun).unwrap_err().status_and_code().1, "forbidden_by_policy");
        assert_eq!(unnamed.capabilities[&Capability::DevicesBrowse], Decision::deny(NO_DEVICE_NAMED));
        // Revoking and renaming do not go through the device's connection.
        assert!(check(&offline, Capability::DevicesRevoke).is_ok() && check(&offline, Capability::DevicesRename).is_ok());
    }

    #[test]
    fn allow_lists_are_null_unless_restricted() {
        let open = evaluate(&service("Active"), &UserPolicy::default(), None);
        assert_eq!((open.item_engine_types, open.vault_providers), (None, None));
        let p = policy(json!({
            "ProtectedItemEngineTypes": { "ShouldRestrictEngineTypeList": true, "AllowedEngineTypeWhenRestricted": ["engine1/file"] },
            "StorageVaultProviders": { "ShouldRestrictProviderList": false, "AllowedProvidersWhenRestricted": [1003] }
        }));
        let restricted = evaluate(&service("Active"), &p, None);
        assert_eq!(restricted.item_engine_types, Some(vec!["engine1/file".to_string()]));
        assert_eq!(restricted.vault_providers, None);
    }
}
