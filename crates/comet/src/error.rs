//! Errors of the Admin API client.

use thiserror::Error;

/// The `Message` Comet sends when a second factor is required.
pub const ERR_TOTP_REQUIRED: &str = "ERR_TOTP_REQUIRED";
/// The `Message` Comet sends for an unknown device ID.
pub const ERR_UNKNOWN_DEVICE: &str = "ERR_UNKNOWN_DEVICE";

/// Everything an Admin API call can fail with.
#[derive(Debug, Error)]
pub enum CometError {
    /// The origin URL given to the client is unusable.
    #[error("invalid Comet origin URL {url:?}: {reason}")]
    InvalidUrl {
        /// What was given.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// Connection, TLS, timeout or body-read failure.
    #[error("transport error calling Comet: {0}")]
    Transport(#[source] reqwest::Error),
    /// A non-2xx HTTP status whose body was not a Comet error message.
    #[error("Comet answered HTTP {status}: {body_excerpt}")]
    Http {
        /// HTTP status code.
        status: u16,
        /// The first bytes of the body (for logs).
        body_excerpt: String,
    },
    /// Comet answered with an error message (`Status` outside 2xx).
    #[error("Comet API error {status}: {message}")]
    Api {
        /// The `Status` field.
        status: i64,
        /// The `Message` field.
        message: String,
    },
    /// Authentication failed: the credentials or the session key are not (or no longer) valid.
    /// The client has checked this (a 403 alone does not say it).
    #[error("Comet rejected the credentials: {message}")]
    Auth {
        /// The `Message` field.
        message: String,
    },
    /// Comet refused this request although the credentials are valid: a permission, tenancy or
    /// policy refusal (Comet answers those with 403 too). Logging in again would not help.
    #[error("Comet refused the request: {message}")]
    Forbidden {
        /// The `Message` field (or the HTTP body excerpt when there was no Comet message).
        message: String,
    },
    /// The account needs a TOTP code (`ERR_TOTP_REQUIRED`).
    #[error("Comet requires a TOTP code for this account")]
    TotpRequired,
    /// The configured TOTP secret cannot produce codes.
    #[error("unusable TOTP secret: {0}")]
    TotpSecret(#[from] crate::totp::TotpError),
    /// The body was not the endpoint's declared type.
    #[error("could not decode the answer of {endpoint}: {source}")]
    Decode {
        /// Endpoint path.
        endpoint: String,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// A conditional profile write kept losing to concurrent writers.
    #[error("profile of {username} kept changing; gave up after {attempts} attempts")]
    Conflict {
        /// Account.
        username: String,
        /// Attempts made.
        attempts: u32,
    },
}

impl CometError {
    /// True when the credentials or session were rejected (a fresh login with the same
    /// credentials would not help either; an expired session key is renewed before this is
    /// returned).
    pub fn is_auth_failure(&self) -> bool {
        matches!(self, CometError::Auth { .. })
    }

    /// True for a 403 of any kind before the client has told credentials from permissions apart.
    pub(crate) fn is_403(&self) -> bool {
        matches!(self, CometError::Auth { .. } | CometError::Forbidden { .. } | CometError::Http { status: 403, .. })
    }

    /// The same refusal, now known to be about the credentials.
    pub(crate) fn into_auth(self) -> CometError {
        match self {
            CometError::Forbidden { message } => CometError::Auth { message },
            CometError::Http { status: 403, body_excerpt } => CometError::Auth { message: body_excerpt },
            other => other,
        }
    }

    /// The same refusal, now known to be about permissions (the credentials are valid).
    pub(crate) fn into_forbidden(self) -> CometError {
        match self {
            CometError::Auth { message } => CometError::Forbidden { message },
            CometError::Http { status: 403, body_excerpt } => CometError::Forbidden { message: body_excerpt },
            other => other,
        }
    }

    /// The Comet `Message`, when Comet sent one.
    pub fn api_message(&self) -> Option<&str> {
        match self {
            CometError::Api { message, .. } | CometError::Auth { message } | CometError::Forbidden { message } => Some(message),
            CometError::TotpRequired => Some(ERR_TOTP_REQUIRED),
            _ => None,
        }
    }
}
