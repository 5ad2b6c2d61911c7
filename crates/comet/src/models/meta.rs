//! Server metadata (`ServerMetaVersionInfo`).

use super::wire::{Extra, is_default, null_as_default};
use serde::{Deserialize, Serialize};

/// Server version, roles and start identity (also the `SEVT_META_HELLO` payload).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServerMetaVersionInfo {
    /// e.g. `25.9.6`.
    #[serde(rename = "Version")]
    pub version: String,
    /// Release codename.
    #[serde(rename = "VersionCodename")]
    pub version_codename: String,
    /// Storage Role enabled.
    #[serde(rename = "StorageRole")]
    pub storage_role: bool,
    /// Auth Role enabled.
    #[serde(rename = "AuthenticationRole")]
    pub authentication_role: bool,
    /// Software Build Role enabled.
    #[serde(rename = "SoftwareBuildRole")]
    pub software_build_role: bool,
    /// Legacy duplicate of `ConstellationRole`.
    #[serde(rename = "OverseerRole")]
    pub overseer_role: bool,
    /// Constellation Role enabled.
    #[serde(rename = "ConstellationRole")]
    pub constellation_role: bool,
    /// Enabled experimental flags.
    #[serde(rename = "ExperimentalOptions", skip_serializing_if = "is_default", deserialize_with = "null_as_default")]
    pub experimental_options: Vec<String>,
    /// Unix seconds of process start.
    #[serde(rename = "ServerStartTime")]
    pub server_start_time: i64,
    /// Random per-start GUID: a change means the server restarted (possible event gap).
    #[serde(rename = "ServerStartHash")]
    pub server_start_hash: String,
    /// Server clock, unix seconds.
    #[serde(rename = "CurrentTime")]
    pub current_time: i64,
    /// Identifies the same server behind different URLs.
    #[serde(rename = "ServerLicenseHash")]
    pub server_license_hash: String,
    /// Keys this crate does not model (license, email worker, self-backup …).
    #[serde(flatten)]
    pub extra: Extra,
}

/// A downloadable client build (value of AdminBrandingAvailablePlatforms, keyed by the
/// platform number as a decimal string).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AvailableDownload {
    /// `Windows`, `Linux`, `macOS`, `Synology`, ….
    #[serde(rename = "Category")]
    pub category: String,
    /// Human label.
    #[serde(rename = "Description")]
    pub description: String,
    /// Recommended for its category.
    #[serde(rename = "Recommended")]
    pub recommended: bool,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Public branding and server info (`GET /gen/branding.props`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServerMetaBrandingProperties {
    /// Brand name.
    #[serde(rename = "BrandName")]
    pub brand_name: String,
    /// Product name.
    #[serde(rename = "ProductName")]
    pub product_name: String,
    /// Logo is an image at `/gen/logo.img`.
    #[serde(rename = "HasImage")]
    pub has_image: bool,
    /// Logo cache key.
    #[serde(rename = "ImageEtag")]
    pub image_etag: String,
    /// `#RRGGBB`.
    #[serde(rename = "TopColor")]
    pub top_color: String,
    /// `#RRGGBB`.
    #[serde(rename = "AccentColor")]
    pub accent_color: String,
    /// Hide the news panel.
    #[serde(rename = "HideNewsArea")]
    pub hide_news_area: bool,
    /// Downloads without login.
    #[serde(rename = "AllowUnauthenticatedDownloads")]
    pub allow_unauthenticated_downloads: bool,
    /// Downloads for logged-in users.
    #[serde(rename = "AllowAuthenticatedDownloads")]
    pub allow_authenticated_downloads: bool,
    /// Server log retention days.
    #[serde(rename = "PruneLogsAfterDays")]
    pub prune_logs_after_days: i64,
    /// Web session idle timeout, seconds.
    #[serde(rename = "ExpiredInSeconds")]
    pub expired_in_seconds: i64,
    /// SSO login buttons.
    #[serde(rename = "ExternalAuthenticationSources", skip_serializing_if = "is_default", deserialize_with = "null_as_default")]
    pub external_authentication_sources: Vec<ExternalAuthenticationSourceDisplay>,
    /// No admins or users exist yet.
    #[serde(rename = "ServerIsEmpty")]
    pub server_is_empty: bool,
    /// Branded cloud storage name.
    #[serde(rename = "CloudStorageName")]
    pub cloud_storage_name: String,
    /// Hide the pre-built client option.
    #[serde(rename = "AdminHidePreBuiltClientOption")]
    pub admin_hide_pre_built_client_option: bool,
    /// Hide Comet Storage.
    #[serde(rename = "AdminHideBrandedCloudStorage")]
    pub admin_hide_branded_cloud_storage: bool,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An SSO login button.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExternalAuthenticationSourceDisplay {
    /// Label.
    #[serde(rename = "DisplayName")]
    pub display_name: String,
    /// URL to begin SSO.
    #[serde(rename = "LoginStartURL")]
    pub login_start_url: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A news item (values of the news endpoints, keyed by news ID).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewsEntry {
    /// Tenant.
    #[serde(rename = "OrganizationID")]
    pub organization_id: String,
    /// Unix seconds.
    #[serde(rename = "DateTime")]
    pub date_time: i64,
    /// Text.
    #[serde(rename = "TextContent")]
    pub text_content: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}
