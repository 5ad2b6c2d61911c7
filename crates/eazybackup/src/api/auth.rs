//! The browser token (docs/architecture.md "Identity"): `v2.<client_id>.<user_id>.<issued>.<expires>.<nonce>.<mac>`
//! (and the older `v1.<client_id>.<expires>.<nonce>.<mac>`, still accepted), minted by the PHP
//! addon with the shared `EB_API_SECRET`, and the extractors that turn a request into the client
//! (and WHMCS user) it speaks for.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use secrecy::ExposeSecret;
use sha2::Sha256;

use crate::api::AppState;
use crate::api::audit::AuditNote;
use crate::api::error::ApiError;
use crate::db::revocations;
pub use crate::db::tenancy::ClientId;

type HmacSha256 = Hmac<Sha256>;

/// How long a token lives (the addon mints with the same figure). A v1 token carries only its
/// expiry, so it was minted `TOKEN_LIFETIME_SECS` before it: that is what a revocation compares.
pub const TOKEN_LIFETIME_SECS: i64 = 900;

/// What a good token says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenClaims {
    pub client: ClientId,
    /// The WHMCS user (`tblusers.id`) who was logged in when it was minted; v1 tokens name none.
    pub user: Option<i64>,
    /// Unix seconds it was minted (v1: inferred as `expires - TOKEN_LIFETIME_SECS`).
    pub issued: i64,
    /// Unix seconds; the token is refused from this second on.
    pub expires: i64,
}

impl TokenClaims {
    pub fn issued_at(&self) -> i64 {
        self.issued
    }

    /// Refuses a token that lives longer than `max_secs` (`EB_API_MAX_TOKEN_LIFETIME_SECS`),
    /// whatever it says: from its mint time, and from now (a token minted "in the future" or
    /// with a far expiry gains nothing).
    pub fn check_lifetime(&self, now: i64, max_secs: i64) -> Result<(), TokenError> {
        if self.expires - self.issued > max_secs || self.expires - now > max_secs {
            return Err(TokenError::TooLong);
        }
        Ok(())
    }
}

/// Why a token was refused. Distinct in logs; all are 401 to the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("malformed token")]
    Malformed,
    #[error("token signature does not match")]
    BadSignature,
    #[error("token expired")]
    Expired,
    #[error("token lives longer than the maximum lifetime")]
    TooLong,
}

fn mac_over(secret: &[u8], body: &str) -> HmacSha256 {
    // HMAC accepts keys of any length, so this never fails; an empty key is refused at startup.
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(secret).unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(body.as_bytes());
    mac
}

/// A non-empty run of ASCII digits as a positive i64 (`str::parse` alone would accept `+42`).
fn parse_digits(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Checks `token` against `secret` at unix time `now` and returns the client it was minted for.
///
/// Order matters: the MAC is compared (in constant time) before any field is parsed, so a forged
/// token learns nothing from which field we disliked.
pub fn verify_token(secret: &[u8], token: &str, now: i64) -> Result<ClientId, TokenError> {
    verify_claims(secret, token, now).map(|c| c.client)
}

/// [`verify_token`], keeping the expiry (an event stream ends there).
pub fn verify_claims(secret: &[u8], token: &str, now: i64) -> Result<TokenClaims, TokenError> {
    let (body, mac_b64) = token.rsplit_once('.').ok_or(TokenError::Malformed)?;
    let parts: Vec<&str> = body.split('.').collect();
    let known = matches!((parts.first().copied(), parts.len()), (Some("v1"), 4) | (Some("v2"), 6));
    if !known {
        return Err(TokenError::Malformed);
    }
    let tag = URL_SAFE_NO_PAD.decode(mac_b64).map_err(|_| TokenError::Malformed)?;
    mac_over(secret, body).verify_slice(&tag).map_err(|_| TokenError::BadSignature)?;
    let client = parse_digits(parts[1]).filter(|c| *c > 0).ok_or(TokenError::Malformed)?;
    let claims = if parts[0] == "v1" {
        let expires = parse_digits(parts[2]).ok_or(TokenError::Malformed)?;
        TokenClaims { client: ClientId(client), user: None, issued: expires - TOKEN_LIFETIME_SECS, expires }
    } else {
        // User 0: minted outside a user's session (an admin viewing as the client).
        let user = parse_digits(parts[2]).ok_or(TokenError::Malformed)?;
        let issued = parse_digits(parts[3]).ok_or(TokenError::Malformed)?;
        let expires = parse_digits(parts[4]).ok_or(TokenError::Malformed)?;
        if issued > expires {
            return Err(TokenError::Malformed);
        }
        TokenClaims { client: ClientId(client), user: (user > 0).then_some(user), issued, expires }
    };
    if parts.last().is_none_or(|nonce| nonce.is_empty()) {
        return Err(TokenError::Malformed);
    }
    if now >= claims.expires {
        return Err(TokenError::Expired);
    }
    Ok(claims)
}

/// Mints a v1 token (no user) the way older addons do (tests, and operators debugging with curl).
pub fn mint_token(secret: &[u8], client: ClientId, expires_unix: i64, nonce: &str) -> String {
    sign(secret, &format!("v1.{}.{}.{}", client.0, expires_unix, nonce))
}

/// Mints a v2 token the way the PHP addon does: the client, the WHMCS user (0 for none) and the
/// mint time are signed with the expiry.
pub fn mint_user_token(secret: &[u8], client: ClientId, user: i64, issued: i64, expires: i64, nonce: &str) -> String {
    sign(secret, &format!("v2.{}.{user}.{issued}.{expires}.{nonce}", client.0))
}

fn sign(secret: &[u8], body: &str) -> String {
    let tag = mac_over(secret, body).finalize().into_bytes();
    format!("{body}.{}", URL_SAFE_NO_PAD.encode(tag))
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

fn query_token(parts: &Parts) -> Option<String> {
    let query = parts.uri.query()?;
    url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "token").map(|(_, v)| v.into_owned())
}

/// Verifies the token and its lifetime, then that the client's tokens were not revoked since it
/// was minted (the addon records a logout in `eb_stream_revocations`). Once per request: the
/// claims are kept in the request for the next extractor, and handed to the audit of a write.
async fn check(parts: &mut Parts, state: &AppState, token: Option<&str>) -> Result<TokenClaims, ApiError> {
    if let Some(claims) = parts.extensions.get::<TokenClaims>() {
        return Ok(*claims);
    }
    let token = token.ok_or(ApiError::Unauthorized("missing token"))?;
    let now = chrono::Utc::now().timestamp();
    let claims = verify_claims(state.secret.expose_secret().as_bytes(), token, now)
        .and_then(|c| c.check_lifetime(now, state.settings.max_token_lifetime_secs).map(|()| c))
        .map_err(|e| {
            tracing::info!(reason = %e, "token refused");
            ApiError::Unauthorized("invalid or expired token")
        })?;
    if is_revoked(&state.db, &claims).await? {
        tracing::info!(client = %claims.client, "token refused: minted before the client's last logout");
        return Err(ApiError::Unauthorized("revoked token"));
    }
    parts.extensions.insert(claims);
    if let Some(note) = parts.extensions.get::<AuditNote>() {
        note.set_client(claims.client, claims.user);
    }
    Ok(claims)
}

/// Whether `claims` were minted at or before the client's last revocation (same second included:
/// a token minted in the second of a logout may predate it).
pub async fn is_revoked(db: &crate::db::Db, claims: &TokenClaims) -> Result<bool, ApiError> {
    Ok(revocations::revoked_at(db, claims.client).await?.is_some_and(|at| claims.issued_at() <= at))
}

/// The client a request speaks for, from `Authorization: Bearer <token>`.
#[derive(Debug, Clone, Copy)]
pub struct AuthClient(pub ClientId);

impl FromRequestParts<AppState> for AuthClient {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).map(str::to_owned);
        check(parts, state, token.as_deref()).await.map(|c| AuthClient(c.client))
    }
}

/// As [`AuthClient`], but also accepting `?token=`: only for `GET /api/v1/events`, because
/// EventSource cannot send headers. Keeps the expiry: the stream ends there.
#[derive(Debug, Clone, Copy)]
pub struct StreamAuthClient(pub TokenClaims);

impl FromRequestParts<AppState> for StreamAuthClient {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).map(str::to_owned).or_else(|| query_token(parts));
        check(parts, state, token.as_deref()).await.map(StreamAuthClient)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SECRET: &[u8] = b"secret";

    #[test]
    fn round_trip_and_each_failure_is_distinct() {
        let t = mint_token(SECRET, ClientId(42), 2_000, "abc");
        assert_eq!(verify_token(SECRET, &t, 1_999), Ok(ClientId(42)));
        assert_eq!(verify_token(SECRET, &t, 2_000), Err(TokenError::Expired));
        assert_eq!(verify_token(b"other", &t, 1_000), Err(TokenError::BadSignature));
        assert_eq!(verify_token(SECRET, "v1.42.2000.abc", 1_000), Err(TokenError::Malformed));
        assert_eq!(verify_token(SECRET, "", 1_000), Err(TokenError::Malformed));
    }

    #[test]
    fn fields_are_parsed_only_after_the_mac() {
        // Signed with the right secret but a non-numeric client: malformed (parsed after MAC).
        let t = mint_token(SECRET, ClientId(1), 2_000, "n").replacen("v1.1.", "v1.x.", 1);
        // Changing the body invalidates the MAC, so the MAC error wins.
        assert_eq!(verify_token(SECRET, &t, 1_000), Err(TokenError::BadSignature));
        let body = "v1.+7.2000.n";
        let signed = format!("{body}.{}", URL_SAFE_NO_PAD.encode(mac_over(SECRET, body).finalize().into_bytes()));
        assert_eq!(verify_token(SECRET, &signed, 1_000), Err(TokenError::Malformed));
    }

    #[test]
    fn five_body_parts_are_malformed_even_when_signed() {
        let body = "v1.42.2000.abc.extra";
        let signed = format!("{body}.{}", URL_SAFE_NO_PAD.encode(mac_over(SECRET, body).finalize().into_bytes()));
        assert_eq!(verify_token(SECRET, &signed, 1_000), Err(TokenError::Malformed));
        let v2 = "v2.42.2000.abc";
        let signed = format!("{v2}.{}", URL_SAFE_NO_PAD.encode(mac_over(SECRET, v2).finalize().into_bytes()));
        assert_eq!(verify_token(SECRET, &signed, 1_000), Err(TokenError::Malformed));
    }

    #[test]
    fn v2_tokens_carry_the_user_and_the_mint_time() {
        let t = mint_user_token(SECRET, ClientId(42), 7, 1_000, 1_900, "abc");
        let claims = verify_claims(SECRET, &t, 1_500).unwrap();
        assert_eq!(claims, TokenClaims { client: ClientId(42), user: Some(7), issued: 1_000, expires: 1_900 });
        assert_eq!(verify_claims(SECRET, &t, 1_900), Err(TokenError::Expired));
        let no_user = mint_user_token(SECRET, ClientId(42), 0, 1_000, 1_900, "abc");
        assert_eq!(verify_claims(SECRET, &no_user, 1_500).map(|c| c.user), Ok(None));
        // Minted after it expires: nonsense even when signed.
        let backwards = mint_user_token(SECRET, ClientId(42), 7, 2_000, 1_900, "abc");
        assert_eq!(verify_claims(SECRET, &backwards, 1_500), Err(TokenError::Malformed));
        // A v1 token keeps working, its mint time inferred from the fixed lifetime.
        let v1 = verify_claims(SECRET, &mint_token(SECRET, ClientId(42), 2_000, "abc"), 1_500).unwrap();
        assert_eq!((v1.user, v1.issued), (None, 2_000 - TOKEN_LIFETIME_SECS));
    }

    #[test]
    fn the_lifetime_cap_holds_whatever_the_token_says() {
        let max = 3_600;
        let ok = verify_claims(SECRET, &mint_user_token(SECRET, ClientId(1), 2, 1_000, 4_600, "n"), 1_000).unwrap();
        assert_eq!(ok.check_lifetime(1_000, max), Ok(()));
        let long = verify_claims(SECRET, &mint_user_token(SECRET, ClientId(1), 2, 1_000, 4_601, "n"), 1_000).unwrap();
        assert_eq!(long.check_lifetime(1_000, max), Err(TokenError::TooLong));
        // Mint time in the future, so that exp - iat looks short: still too far from now.
        let future = verify_claims(SECRET, &mint_user_token(SECRET, ClientId(1), 2, 9_000, 9_100, "n"), 1_000).unwrap();
        assert_eq!(future.check_lifetime(1_000, max), Err(TokenError::TooLong));
        // A v1 token a year long: its inferred mint time says 900 s, its distance from now does not.
        let v1 = verify_claims(SECRET, &mint_token(SECRET, ClientId(1), 1_000 + 31_536_000, "n"), 1_000).unwrap();
        assert_eq!(v1.check_lifetime(1_000, max), Err(TokenError::TooLong));
    }

    proptest! {
        #[test]
        fn arbitrary_strings_never_verify_and_never_panic(s in ".{0,80}") {
            prop_assert!(verify_token(SECRET, &s, 0).is_err());
        }

        #[test]
        fn minted_tokens_verify_until_expiry(client in 1i64..i64::MAX, expires in 1i64..4_000_000_000, nonce in "[0-9a-f]{16}", before in 1i64..1_000_000) {
            let t = mint_token(SECRET, ClientId(client), expires, &nonce);
            prop_assert_eq!(verify_token(SECRET, &t, expires - before), Ok(ClientId(client)));
            prop_assert_eq!(verify_token(SECRET, &t, expires), Err(TokenError::Expired));
        }

        #[test]
        fn any_single_character_change_is_refused(client in 1i64..100_000, idx in 0usize..60, c in "[a-zA-Z0-9._-]") {
            let t = mint_token(SECRET, ClientId(client), 3_000_000_000, "0123456789abcdef");
            let idx = idx % t.len();
            let mut bytes = t.clone().into_bytes();
            let replacement = c.as_bytes()[0];
            prop_assume!(bytes[idx] != replacement);
            bytes[idx] = replacement;
            let changed = String::from_utf8(bytes).unwrap_or_default();
            prop_assert!(verify_token(SECRET, &changed, 0).is_err());
        }
    }
}
