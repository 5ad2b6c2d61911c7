//! The scoped account's profile as every tab edits it: read with its revision hash, written back
//! only if nobody changed it meanwhile (Comet's AdminSetUserProfileHash), and the account's live
//! device connections. One definition for every tab that edits the profile.

use std::collections::BTreeMap;

use comet::{CometError, GetProfileAndHashResponseMessage, LiveUserConnection, UserProfileConfig};

use super::{AccountComet, upstream};
use crate::api::error::ApiError;

/// What the customer reads when the profile changed between their read and their write.
pub const PROFILE_CHANGED: &str = "The account was changed elsewhere meanwhile; reload to see the current settings.";

impl AccountComet {
    /// The profile and its revision hash (AdminGetUserProfileAndHash).
    pub async fn profile_and_hash(&self) -> Result<GetProfileAndHashResponseMessage, ApiError> {
        self.client.get_user_profile_and_hash(&self.username).await.map_err(upstream)
    }

    /// Writes `profile` unless the account changed since `hash` was read (AdminSetUserProfileHash);
    /// answers the new hash. When Comet refuses and the hash moved, someone else changed it:
    /// 409 `conflict`; a refusal with the hash unmoved is Comet's own (`upstream`).
    pub async fn write_profile(&self, profile: &UserProfileConfig, hash: &str) -> Result<String, ApiError> {
        match self.client.set_user_profile_hash(&self.username, profile, hash).await {
            Ok(reply) => Ok(reply.profile_hash),
            Err(e) => Err(self.conflict_or_upstream(e, hash).await),
        }
    }

    /// After Comet refused a write based on `hash`: a conflict if the profile moved, else the refusal.
    pub(super) async fn conflict_or_upstream(&self, e: CometError, hash: &str) -> ApiError {
        match self.client.get_user_profile_hash(&self.username).await {
            Ok(now) if now.profile_hash != hash => ApiError::Conflict(PROFILE_CHANGED.into()),
            _ => upstream(e),
        }
    }

    /// The account's live device connections, by live-connection id (AdminDispatcherListActive
    /// filtered to its username): one call whatever the number of devices.
    pub async fn live_connections(&self) -> Result<BTreeMap<String, LiveUserConnection>, ApiError> {
        let all = self.client.dispatcher_list_active(Some(&self.username)).await.map_err(upstream)?;
        Ok(all.into_iter().filter(|(_, c)| c.username == self.username).collect())
    }
}
