//! `GET /services/{id}/capabilities`: what the customer may do with one account, and why not
//! (decided in `api::capabilities`). [`Capability`] is the one list of names; the browser
//! receives it in every answer and never keeps its own.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

/// Every action the console can offer, by the name the browser sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ToSchema)]
pub enum Capability {
    #[serde(rename = "vaults.request")]
    VaultsRequest,
    #[serde(rename = "vaults.create")]
    VaultsCreate,
    #[serde(rename = "vaults.edit")]
    VaultsEdit,
    #[serde(rename = "vaults.delete")]
    VaultsDelete,
    #[serde(rename = "vaults.edit_retention")]
    VaultsEditRetention,
    #[serde(rename = "vaults.maintain")]
    VaultsMaintain,
    #[serde(rename = "items.create")]
    ItemsCreate,
    #[serde(rename = "items.edit")]
    ItemsEdit,
    #[serde(rename = "items.delete")]
    ItemsDelete,
    #[serde(rename = "items.edit_retention")]
    ItemsEditRetention,
    #[serde(rename = "snapshots.delete")]
    SnapshotsDelete,
    #[serde(rename = "account.change_password")]
    AccountChangePassword,
    #[serde(rename = "account.change_email_settings")]
    AccountChangeEmailSettings,
    #[serde(rename = "account.rename")]
    AccountRename,
    #[serde(rename = "account.open_web_ui")]
    AccountOpenWebUi,
    #[serde(rename = "account.open_app_ui")]
    AccountOpenAppUi,
    #[serde(rename = "devices.view_names")]
    DevicesViewNames,
    #[serde(rename = "devices.rename")]
    DevicesRename,
    #[serde(rename = "devices.revoke")]
    DevicesRevoke,
    #[serde(rename = "devices.run_backup")]
    DevicesRunBackup,
    #[serde(rename = "devices.update_software")]
    DevicesUpdateSoftware,
    #[serde(rename = "devices.uninstall_software")]
    DevicesUninstallSoftware,
    #[serde(rename = "devices.browse")]
    DevicesBrowse,
    /// Drop the live connection, kill the client process, re-fetch the profile, push the login
    /// password: acts through the device's connection.
    #[serde(rename = "devices.manage_connection")]
    DevicesManageConnection,
    #[serde(rename = "jobs.cancel")]
    JobsCancel,
    #[serde(rename = "restores.run")]
    RestoresRun,
}

impl Capability {
    pub const ALL: &'static [Capability] = &[
        Capability::VaultsRequest,
        Capability::VaultsCreate,
        Capability::VaultsEdit,
        Capability::VaultsDelete,
        Capability::VaultsEditRetention,
        Capability::VaultsMaintain,
        Capability::ItemsCreate,
        Capability::ItemsEdit,
        Capability::ItemsDelete,
        Capability::ItemsEditRetention,
        Capability::SnapshotsDelete,
        Capability::AccountChangePassword,
        Capability::AccountChangeEmailSettings,
        Capability::AccountRename,
        Capability::AccountOpenWebUi,
        Capability::AccountOpenAppUi,
        Capability::DevicesViewNames,
        Capability::DevicesRename,
        Capability::DevicesRevoke,
        Capability::DevicesRunBackup,
        Capability::DevicesUpdateSoftware,
        Capability::DevicesUninstallSoftware,
        Capability::DevicesBrowse,
        Capability::DevicesManageConnection,
        Capability::JobsCancel,
        Capability::RestoresRun,
    ];

    /// The wire name (`items.create`, …).
    pub fn name(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(s)) => s,
            _ => format!("{self:?}"),
        }
    }
}

/// What one capability answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Decision {
    pub allowed: bool,
    /// Why not, in words the customer may read (`null` when allowed).
    pub reason: Option<String>,
}

impl Decision {
    pub fn allow() -> Self {
        Decision { allowed: true, reason: None }
    }
    pub fn deny(reason: impl Into<String>) -> Self {
        Decision { allowed: false, reason: Some(reason.into()) }
    }
}

/// The answer for one account: every capability, decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Capabilities {
    /// The service is suspended: nothing may be changed.
    pub read_only: bool,
    /// Every capability by name (`items.create`, …).
    #[schema(value_type = BTreeMap<String, Decision>)]
    pub capabilities: BTreeMap<Capability, Decision>,
    /// `ProtectedItemEngineTypes`: the engines new items may use; `null` = any.
    pub item_engine_types: Option<Vec<String>>,
    /// `StorageVaultProviders`: the vault types (`DESTINATIONTYPE_*`) new vaults may use; `null` = any.
    pub vault_providers: Option<Vec<u64>>,
}
