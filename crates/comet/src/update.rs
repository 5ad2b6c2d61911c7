//! Read-modify-write of a whole profile with optimistic concurrency (§1.7).

use crate::client::AdminClient;
use crate::error::CometError;
use crate::models::UserProfileConfig;
use rand::Rng;
use std::time::Duration;

/// Attempts before a persistent conflict is reported.
pub const MAX_UPDATE_ATTEMPTS: u32 = 5;

impl AdminClient {
    /// Apply `apply` to `user`'s profile and write it back with AdminSetUserProfileHash.
    ///
    /// When the write fails the hash is read again: if it changed, someone else wrote in between
    /// (a conflict) and `apply` is run again on the fresh profile after a jittered pause, up to
    /// [`MAX_UPDATE_ATTEMPTS`] times ([`CometError::Conflict`] after that); if it did not change
    /// the write was refused for its own sake and that error is returned. When `apply` leaves the
    /// profile unchanged nothing is written. `apply` may run more than once, so it must compute
    /// its change from the profile it is given. Its own error aborts the update.
    pub async fn update_profile<T, E, F>(&self, user: &str, mut apply: F) -> Result<T, E>
    where
        F: FnMut(&mut UserProfileConfig) -> Result<T, E>,
        E: From<CometError>,
    {
        for attempt in 1..=MAX_UPDATE_ATTEMPTS {
            let current = self.get_user_profile_and_hash(user).await?;
            let mut profile = current.profile.clone();
            let out = apply(&mut profile)?;
            if profile == current.profile {
                return Ok(out);
            }
            let write_error = match self.set_user_profile_hash(user, &profile, &current.profile_hash).await {
                Ok(_) => return Ok(out),
                Err(e) => e,
            };
            let now = self.get_user_profile_hash(user).await?;
            if now.profile_hash == current.profile_hash {
                return Err(write_error.into());
            }
            tracing::debug!(user, attempt, error = %write_error, "profile changed under a write; retrying");
            if attempt < MAX_UPDATE_ATTEMPTS {
                tokio::time::sleep(backoff(attempt)).await;
            }
        }
        Err(CometError::Conflict { username: user.to_owned(), attempts: MAX_UPDATE_ATTEMPTS }.into())
    }
}

/// 50 ms × attempt plus up to 100 ms of jitter, so competing writers spread out.
fn backoff(attempt: u32) -> Duration {
    let jitter = rand::rng().random_range(0..=100u64);
    Duration::from_millis(50 * u64::from(attempt) + jitter)
}
