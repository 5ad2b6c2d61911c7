//! Per-client rate limits on expensive call classes (docs/architecture.md "Abuse limits"): an
//! in-memory token bucket per (client, class). A handler marks its route by taking
//! [`Limit<C>`] with the class's marker type, e.g. `_: Limit<class::Restore>`; over the limit it
//! answers 429 `rate_limited` with `Retry-After`. Its `#[utoipa::path]` lists `Limited`.
//!
//! One `serve` instance counts alone: behind a load balancer each instance allows the full rate,
//! which bounds abuse per instance, the point of this limit.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::api::AppState;
use crate::api::auth::AuthClient;
use crate::api::error::ApiError;
use crate::db::tenancy::ClientId;

/// The classes of calls that cost us (or Comet) enough to limit per client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallClass {
    /// Browsing a device's or a snapshot's files (Comet walks a directory per call).
    Browse,
    /// Starting a restore.
    Restore,
    /// Starting a backup now.
    RunNow,
    /// Downloading a job's log.
    LogDownload,
    /// Writes that only touch our tables (snooze): cheap, limited against scripted floods.
    CheapWrite,
}

/// A bucket of `burst` calls, refilled at `per_minute`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub burst: u32,
    pub per_minute: u32,
}

impl CallClass {
    pub const ALL: [CallClass; 5] =
        [CallClass::Browse, CallClass::Restore, CallClass::RunNow, CallClass::LogDownload, CallClass::CheapWrite];

    /// The rate of each class, in one place.
    pub const fn default_rate(self) -> Rate {
        match self {
            CallClass::Browse => Rate { burst: 60, per_minute: 60 },
            CallClass::Restore => Rate { burst: 5, per_minute: 5 },
            CallClass::RunNow => Rate { burst: 10, per_minute: 10 },
            CallClass::LogDownload => Rate { burst: 20, per_minute: 20 },
            CallClass::CheapWrite => Rate { burst: 60, per_minute: 60 },
        }
    }

    fn what(self) -> &'static str {
        match self {
            CallClass::Browse => "browse requests",
            CallClass::Restore => "restores",
            CallClass::RunNow => "backups started",
            CallClass::LogDownload => "log downloads",
            CallClass::CheapWrite => "changes",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Above this many buckets, those idle for [`IDLE`] are dropped: every default rate refills its
/// burst within the hour, so forgetting them changes nothing but memory.
const PRUNE_ABOVE: usize = 10_000;
const IDLE: Duration = Duration::from_secs(3600);

/// The buckets of every client; cheap to clone (shared).
#[derive(Clone, Default)]
pub struct RateLimiter {
    overrides: Arc<Mutex<HashMap<CallClass, Rate>>>,
    buckets: Arc<Mutex<HashMap<(ClientId, CallClass), Bucket>>>,
}

impl RateLimiter {
    /// Another rate for `class` (tests, and operators tuning one instance).
    pub fn set_rate(&self, class: CallClass, rate: Rate) {
        self.overrides.lock().unwrap_or_else(|p| p.into_inner()).insert(class, rate);
    }

    fn rate(&self, class: CallClass) -> Rate {
        self.overrides.lock().unwrap_or_else(|p| p.into_inner()).get(&class).copied().unwrap_or(class.default_rate())
    }

    /// Takes one call of `class` for `client` at `now`, or says how long to wait for one.
    pub fn take(&self, client: ClientId, class: CallClass, now: Instant) -> Result<(), Duration> {
        let rate = self.rate(class);
        let per_sec = f64::from(rate.per_minute.max(1)) / 60.0;
        let burst = f64::from(rate.burst.max(1));
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|_, b| now.saturating_duration_since(b.at) < IDLE);
        }
        let bucket = buckets.entry((client, class)).or_insert(Bucket { tokens: burst, at: now });
        let refilled = (bucket.tokens + now.saturating_duration_since(bucket.at).as_secs_f64() * per_sec).min(burst);
        bucket.at = now;
        if refilled >= 1.0 {
            bucket.tokens = refilled - 1.0;
            Ok(())
        } else {
            bucket.tokens = refilled;
            Err(Duration::from_secs_f64((1.0 - refilled) / per_sec))
        }
    }
}

/// The marker types of [`Limit`], one per [`CallClass`].
pub mod class {
    use super::CallClass;

    pub trait Class {
        const CLASS: CallClass;
    }

    pub struct Browse;
    pub struct Restore;
    pub struct RunNow;
    pub struct LogDownload;
    pub struct CheapWrite;

    impl Class for Browse {
        const CLASS: CallClass = CallClass::Browse;
    }
    impl Class for Restore {
        const CLASS: CallClass = CallClass::Restore;
    }
    impl Class for RunNow {
        const CLASS: CallClass = CallClass::RunNow;
    }
    impl Class for LogDownload {
        const CLASS: CallClass = CallClass::LogDownload;
    }
    impl Class for CheapWrite {
        const CLASS: CallClass = CallClass::CheapWrite;
    }
}

/// Takes one call of class `C` for the token's client (401 first), else 429 `rate_limited`.
pub struct Limit<C: class::Class>(PhantomData<C>);

impl<C: class::Class> FromRequestParts<AppState> for Limit<C> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let AuthClient(client) = AuthClient::from_request_parts(parts, state).await?;
        match state.rate_limiter.take(client, C::CLASS, Instant::now()) {
            Ok(()) => Ok(Limit(PhantomData)),
            Err(wait) => {
                tracing::info!(client = %client, class = ?C::CLASS, "rate limited");
                Err(ApiError::RateLimited {
                    message: format!("Too many {} in a short time. Please wait a moment and try again.", C::CLASS.what()),
                    retry_after: Some(wait.as_secs().max(1) + u64::from(wait.subsec_nanos() > 0)),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_refills_at_its_rate() {
        let limiter = RateLimiter::default();
        limiter.set_rate(CallClass::Restore, Rate { burst: 3, per_minute: 6 });
        let t0 = Instant::now();
        let (alice, bob) = (ClientId(1), ClientId(2));
        for _ in 0..3 {
            assert_eq!(limiter.take(alice, CallClass::Restore, t0), Ok(()));
        }
        let wait = limiter.take(alice, CallClass::Restore, t0).unwrap_err();
        assert!((9.9..=10.0).contains(&wait.as_secs_f64()), "one per 10 s: {wait:?}");
        // Per client and per class.
        assert_eq!(limiter.take(bob, CallClass::Restore, t0), Ok(()));
        assert_eq!(limiter.take(alice, CallClass::Browse, t0), Ok(()));
        // Ten seconds later exactly one more.
        let t1 = t0 + Duration::from_secs(10);
        assert_eq!(limiter.take(alice, CallClass::Restore, t1), Ok(()));
        assert!(limiter.take(alice, CallClass::Restore, t1).is_err());
        // Idle long: back to the burst, never above it.
        let t2 = t1 + Duration::from_secs(3600);
        for _ in 0..3 {
            assert_eq!(limiter.take(alice, CallClass::Restore, t2), Ok(()));
        }
        assert!(limiter.take(alice, CallClass::Restore, t2).is_err());
    }

    #[test]
    fn every_class_has_a_usable_rate() {
        for class in CallClass::ALL {
            let r = class.default_rate();
            assert!(r.burst >= 1 && r.per_minute >= 1, "{class:?}");
        }
    }
}
