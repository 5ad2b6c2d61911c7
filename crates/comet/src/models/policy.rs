//! Policies (§5.12): the effective `UserPolicy` of an account and server `GroupPolicy`s. The
//! flags a portal checks before offering an action are typed; everything else stays in `extra`
//! and round-trips.

use super::wire::{Extra, null_as_default};
use serde::{Deserialize, Serialize};

/// What an end-user may do (`UserProfileConfig.Policy`).
///
/// The flags are `Option<bool>` so a policy document that leaves a key out round-trips without
/// gaining it; `None` means the same as `Some(false)` to Comet. Use [`UserPolicy::is`] to read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserPolicy {
    /// No new vaults from Storage Templates.
    #[serde(rename = "PreventRequestStorageVault", skip_serializing_if = "Option::is_none")]
    pub prevent_request_storage_vault: Option<bool>,
    /// No hand-configured vaults.
    #[serde(rename = "PreventAddCustomStorageVault", skip_serializing_if = "Option::is_none")]
    pub prevent_add_custom_storage_vault: Option<bool>,
    /// No vault edits.
    #[serde(rename = "PreventEditStorageVault", skip_serializing_if = "Option::is_none")]
    pub prevent_edit_storage_vault: Option<bool>,
    /// No vault deletion.
    #[serde(rename = "PreventDeleteStorageVault", skip_serializing_if = "Option::is_none")]
    pub prevent_delete_storage_vault: Option<bool>,
    /// No new Protected Items.
    #[serde(rename = "PreventNewProtectedItem", skip_serializing_if = "Option::is_none")]
    pub prevent_new_protected_item: Option<bool>,
    /// No Protected Item edits.
    #[serde(rename = "PreventEditProtectedItem", skip_serializing_if = "Option::is_none")]
    pub prevent_edit_protected_item: Option<bool>,
    /// No Protected Item deletion.
    #[serde(rename = "PreventDeleteProtectedItem", skip_serializing_if = "Option::is_none")]
    pub prevent_delete_protected_item: Option<bool>,
    /// No deleting single snapshots.
    #[serde(rename = "PreventDeleteSingleSnapshots", skip_serializing_if = "Option::is_none")]
    pub prevent_delete_single_snapshots: Option<bool>,
    /// No password change.
    #[serde(rename = "PreventChangeAccountPassword", skip_serializing_if = "Option::is_none")]
    pub prevent_change_account_password: Option<bool>,
    /// No email/report settings change.
    #[serde(rename = "PreventChangeEmailSettings", skip_serializing_if = "Option::is_none")]
    pub prevent_change_email_settings: Option<bool>,
    /// No `AccountName` change.
    #[serde(rename = "PreventChangeAccountName", skip_serializing_if = "Option::is_none")]
    pub prevent_change_account_name: Option<bool>,
    /// Desktop app UI cannot be opened.
    #[serde(rename = "PreventOpenAppUI", skip_serializing_if = "Option::is_none")]
    pub prevent_open_app_ui: Option<bool>,
    /// No web UI / user-web API.
    #[serde(rename = "PreventOpenWebUI", skip_serializing_if = "Option::is_none")]
    pub prevent_open_web_ui: Option<bool>,
    /// Device names hidden from the user.
    #[serde(rename = "PreventViewDeviceNames", skip_serializing_if = "Option::is_none")]
    pub prevent_view_device_names: Option<bool>,
    /// Users cannot change vault retention.
    #[serde(rename = "EnforceStorageVaultRetention", skip_serializing_if = "Option::is_none")]
    pub enforce_storage_vault_retention: Option<bool>,
    /// Users cannot set per-item retention overrides.
    #[serde(rename = "PreventProtectedItemRetention", skip_serializing_if = "Option::is_none")]
    pub prevent_protected_item_retention: Option<bool>,
    /// Everything else (default sources, email defaults, `Mode*` settings, …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl UserPolicy {
    /// A typed flag's effective value (absent ⇒ false), e.g.
    /// `policy.is(policy.prevent_request_storage_vault)`.
    pub fn is(&self, flag: Option<bool>) -> bool {
        flag.unwrap_or(false)
    }

    /// A boolean policy key by its wire name, typed or not; absent ⇒ false.
    pub fn flag(&self, name: &str) -> bool {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(m)) => m.get(name).and_then(|v| v.as_bool()).unwrap_or(false),
            _ => false,
        }
    }
}

/// A server policy (AdminPoliciesList/Get).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupPolicy {
    /// Name.
    #[serde(rename = "Description")]
    pub description: String,
    /// Owning tenant.
    #[serde(rename = "OrganizationID")]
    pub organization_id: String,
    /// The settings.
    #[serde(rename = "Policy", deserialize_with = "null_as_default")]
    pub policy: UserPolicy,
    /// Applied to new users.
    #[serde(rename = "DefaultUserPolicy")]
    pub default_user_policy: bool,
    /// Unix seconds.
    #[serde(rename = "CreatedDate")]
    pub created_date: i64,
    /// Unix seconds.
    #[serde(rename = "ModifiedDate")]
    pub modified_date: i64,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

comet_response! {
    /// One policy with its revision token (AdminPoliciesGet).
    GetGroupPolicyResponse {
        /// The policy.
        #[serde(rename = "Policy", deserialize_with = "null_as_default")]
        pub policy: GroupPolicy,
        /// Revision token.
        #[serde(rename = "PolicyHash")]
        pub policy_hash: String,
    }
}
