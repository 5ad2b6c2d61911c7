//! Server policies (`GroupPolicy`, §5.12) and what they forbid an end-user to change (§6.4).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::core::SimError;
use crate::shapes;

/// A policy with no restrictions.
pub const POLICY_STANDARD: &str = "8d0f6f3a-4c1e-4b7a-9f43-5a1d2c3b4e01";
/// A policy that forbids most self-service changes (for policy-enforcement tests and the demo).
pub const POLICY_LOCKED: &str = "8d0f6f3a-4c1e-4b7a-9f43-5a1d2c3b4e02";

/// The restrictive `UserPolicy` of `POLICY_LOCKED`.
pub fn locked_user_policy() -> Value {
    let mut p = shapes::default_user_policy();
    for flag in [
        "PreventRequestStorageVault",
        "PreventAddCustomStorageVault",
        "PreventEditStorageVault",
        "PreventDeleteStorageVault",
        "PreventNewProtectedItem",
        "PreventEditProtectedItem",
        "PreventDeleteProtectedItem",
        "PreventChangeAccountName",
        "PreventChangeEmailSettings",
        "PreventDeleteSingleSnapshots",
    ] {
        p[flag] = json!(true);
    }
    p
}

fn group_policy(description: &str, policy: Value, default: bool, now: i64) -> Value {
    json!({
        "Description": description,
        "OrganizationID": "",
        "Policy": policy,
        "DefaultUserPolicy": default,
        "CreatedDate": now - 90 * 86_400,
        "ModifiedDate": now - 7 * 86_400,
    })
}

/// The policies every simulator starts with.
pub fn seed_policies(now: i64) -> BTreeMap<String, Value> {
    BTreeMap::from([
        (POLICY_STANDARD.to_string(), group_policy("Standard", shapes::default_user_policy(), true, now)),
        (POLICY_LOCKED.to_string(), group_policy("Locked down", locked_user_policy(), false, now)),
    ])
}

/// §6.4 step 4: a non-empty `PolicyID` overwrites `Policy` with that policy's settings.
pub fn apply_policy_id(policies: &BTreeMap<String, Value>, profile: &mut Map<String, Value>) -> Result<(), SimError> {
    let id = profile.get("PolicyID").and_then(Value::as_str).unwrap_or("").to_string();
    if id.is_empty() {
        return Ok(());
    }
    let policy = policies
        .get(&id)
        .and_then(|g| g.get("Policy"))
        .cloned()
        .ok_or_else(|| SimError::BadRequest(format!("no such policy: {id}")))?;
    profile.insert("Policy".into(), policy);
    Ok(())
}

/// Keys an end-user can never change through `UserWebSetProfileHash`.
const ADMIN_ONLY_KEYS: &[&str] = &[
    "Username",
    "OrganizationID",
    "Policy",
    "PolicyID",
    "IsSuspended",
    "LastSuspended",
    "AllProtectedItemsQuotaEnabled",
    "AllProtectedItemsQuotaBytes",
    "MaximumDevices",
    "QuotaOffice365ProtectedAccounts",
    "QuotaHyperVGuests",
    "QuotaVMwareGuests",
    "PasswordFormat",
    "PasswordHash",
    "PasswordRecovery",
    "AllowPasswordLogin",
    "AllowPasswordAndTOTPLogin",
    "TOTPKeyEncryptionFormat",
    "TOTPKey",
    "RequirePasswordChange",
    "CreateTime",
    "CreationGUID",
    "ServerConfig",
];

fn flag(policy: &Value, name: &str) -> bool {
    policy.get(name).and_then(Value::as_bool) == Some(true)
}

/// An item without its server-maintained `Statistics`, for "was it edited" comparisons.
fn without_statistics(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(m) = v.as_object_mut() {
        m.remove("Statistics");
    }
    v
}

fn forbid(what: &str, flag_name: &str) -> SimError {
    SimError::Forbidden(format!("{what} is not allowed by policy ({flag_name})"))
}

/// Checks an added/edited/deleted map (`Sources`, `Destinations`) against three policy flags.
fn check_map(
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    key: &str,
    policy: &Value,
    [add, edit, delete]: [&str; 3],
) -> Result<(), SimError> {
    let empty = Map::new();
    let before = old.get(key).and_then(Value::as_object).unwrap_or(&empty);
    let after = new.get(key).and_then(Value::as_object).unwrap_or(&empty);
    for (id, item) in after {
        match before.get(id) {
            None if flag(policy, add) => return Err(forbid(&format!("adding {key}"), add)),
            Some(prev) if without_statistics(prev) != without_statistics(item) && flag(policy, edit) => {
                return Err(forbid(&format!("editing {key}"), edit));
            }
            _ => {}
        }
    }
    if flag(policy, delete) && before.keys().any(|id| !after.contains_key(id)) {
        return Err(forbid(&format!("deleting {key}"), delete));
    }
    Ok(())
}

/// §6.4 `UserWebSetProfileHash` policy enforcement against the stored profile's `Policy`.
pub fn enforce_user_write(old: &Map<String, Value>, new: &Map<String, Value>) -> Result<(), SimError> {
    for key in ADMIN_ONLY_KEYS {
        if old.get(*key) != new.get(*key) {
            return Err(SimError::Forbidden(format!("{key} can only be changed by an administrator")));
        }
    }
    let policy = old.get("Policy").cloned().unwrap_or(Value::Null);
    if flag(&policy, "PreventChangeAccountName") && old.get("AccountName") != new.get("AccountName") {
        return Err(forbid("changing AccountName", "PreventChangeAccountName"));
    }
    if flag(&policy, "PreventChangeEmailSettings")
        && ["Emails", "SendEmailReports", "OverrideEmailSettings"].iter().any(|k| old.get(*k) != new.get(*k))
    {
        return Err(forbid("changing email settings", "PreventChangeEmailSettings"));
    }
    check_map(
        old,
        new,
        "Sources",
        &policy,
        ["PreventNewProtectedItem", "PreventEditProtectedItem", "PreventDeleteProtectedItem"],
    )?;
    check_map(
        old,
        new,
        "Destinations",
        &policy,
        ["PreventAddCustomStorageVault", "PreventEditStorageVault", "PreventDeleteStorageVault"],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(policy: Value) -> Map<String, Value> {
        let mut p = shapes::user_profile("u", "U", "u@example.com", 1, "g", "h");
        p.insert("Policy".into(), policy);
        p.insert("Sources".into(), json!({"s1": {"Description": "a", "Statistics": {"x": 1}}}));
        p
    }

    #[test]
    fn locked_policy_refuses_rename_but_standard_allows_it() {
        let old = profile(locked_user_policy());
        let mut new = old.clone();
        new.insert("AccountName".into(), json!("Renamed"));
        assert!(matches!(enforce_user_write(&old, &new), Err(SimError::Forbidden(_))));
        let old = profile(shapes::default_user_policy());
        let mut new = old.clone();
        new.insert("AccountName".into(), json!("Renamed"));
        assert_eq!(enforce_user_write(&old, &new), Ok(()));
    }

    #[test]
    fn statistics_changes_are_not_edits_but_deletes_are_refused() {
        let old = profile(locked_user_policy());
        let mut new = old.clone();
        new["Sources"]["s1"]["Statistics"] = json!({"x": 2});
        assert_eq!(enforce_user_write(&old, &new), Ok(()));
        new.insert("Sources".into(), json!({}));
        assert!(enforce_user_write(&old, &new).is_err());
    }

    #[test]
    fn users_cannot_touch_quota_or_policy_id() {
        let old = profile(shapes::default_user_policy());
        let mut new = old.clone();
        new.insert("MaximumDevices".into(), json!(99));
        assert!(enforce_user_write(&old, &new).is_err());
    }

    #[test]
    fn policy_id_overwrites_policy() {
        let mut p = profile(shapes::default_user_policy());
        p.insert("PolicyID".into(), json!(POLICY_LOCKED));
        apply_policy_id(&seed_policies(0), &mut p).expect("known policy");
        assert_eq!(p["Policy"]["PreventRequestStorageVault"], json!(true));
        p.insert("PolicyID".into(), json!("nope"));
        assert!(apply_policy_id(&seed_policies(0), &mut p).is_err());
    }
}
