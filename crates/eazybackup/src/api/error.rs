//! API errors: every failure is an HTTP status plus `{ "error": { "code", "message", "field"? } }`,
//! where `message` is text the UI may show and `field` (with `invalid` only) names the request
//! field at fault. Causes of 5xx are logged, never sent (`upstream` sends Comet's own message).

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Missing, malformed, forged or expired token (the reason is logged where it is known).
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    /// The request body is not JSON.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// JSON, but not the expected shape (a field missing or of the wrong type).
    #[error("invalid body: {0}")]
    InvalidBody(String),
    /// Well-formed but out of range; `field` names the request field the UI should point at.
    #[error("invalid {field}: {message}")]
    Invalid { field: &'static str, message: String },
    /// Not one of the client's (or does not exist: the browser cannot tell which).
    #[error("not found: {0}")]
    NotFound(&'static str),
    /// A write to a suspended service (`api::write_access`).
    #[error("read only: the service is suspended")]
    ReadOnly,
    /// The account's Comet policy (or ours) does not allow this; the message says why.
    #[error("forbidden by policy: {0}")]
    ForbiddenByPolicy(String),
    /// The Comet profile changed while the request was being served; retrying sees the new state.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Comet was unreachable or refused; the message is Comet's, for the customer to read.
    #[error("upstream: {0}")]
    Upstream(String),
    /// Too many of something at once (e.g. live streams of one client); the message says what.
    /// `retry_after` (seconds) becomes a `Retry-After` header when it is known.
    #[error("rate limited: {message}")]
    RateLimited { message: String, retry_after: Option<u64> },
    /// The request body is larger than `EB_API_MAX_BODY_BYTES`.
    #[error("payload too large")]
    PayloadTooLarge,
    /// A fault of ours that is not the database's (the cause is logged, never sent).
    #[error("internal: {0}")]
    Internal(&'static str),
    #[error(transparent)]
    Db(#[from] DbError),
}

const INTERNAL_MESSAGE: &str = "Something went wrong on our side. Please try again shortly.";

impl ApiError {
    /// Too many of something, with no known time to wait.
    pub fn rate_limited(message: impl Into<String>) -> Self {
        ApiError::RateLimited { message: message.into(), retry_after: None }
    }

    /// The HTTP status and the `error.code` the browser branches on.
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::InvalidBody(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
            ApiError::Invalid { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::ReadOnly => (StatusCode::FORBIDDEN, "read_only"),
            ApiError::ForbiddenByPolicy(_) => (StatusCode::FORBIDDEN, "forbidden_by_policy"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::Upstream(_) => (StatusCode::BAD_GATEWAY, "upstream"),
            ApiError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            ApiError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::Internal(_) | ApiError::Db(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    fn public_message(&self) -> String {
        match self {
            ApiError::Unauthorized(_) => "Your session has expired. Reload the page to continue.".into(),
            ApiError::BadRequest(m) | ApiError::InvalidBody(m) => m.clone(),
            ApiError::Invalid { message, .. } => message.clone(),
            ApiError::NotFound(what) => format!("{what} was not found."),
            ApiError::ReadOnly => crate::api::write_access::READ_ONLY_MESSAGE.into(),
            ApiError::ForbiddenByPolicy(m) => m.clone(),
            ApiError::Conflict(m) => format!("{m} Please try again."),
            ApiError::Upstream(m) => format!("The backup server could not complete this: {m}"),
            ApiError::RateLimited { message, .. } => message.clone(),
            ApiError::PayloadTooLarge => "The request is too large.".into(),
            ApiError::Internal(_) | ApiError::Db(_) => INTERNAL_MESSAGE.into(),
        }
    }

    /// `{ "error": { "code", "message", "field"? } }`: the one error body of the API.
    pub fn body(&self) -> Value {
        let (_, code) = self.status_and_code();
        let field = match self {
            ApiError::Invalid { field, .. } => Some(*field),
            _ => None,
        };
        let body = ErrorBody { error: ErrorDetail { code, message: self.public_message(), field } };
        serde_json::to_value(body).unwrap_or_else(|_| json!({ "error": { "code": code, "message": INTERNAL_MESSAGE } }))
    }
}

/// The one error body, as the OpenAPI document describes it (`ApiError::body` serialises this).
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// What the browser branches on: `unauthorized`, `bad_request`, `invalid_body`, `invalid`,
    /// `not_found`, `read_only`, `forbidden_by_policy`, `conflict`, `upstream`, `rate_limited`,
    /// `payload_too_large` or `internal`.
    pub code: &'static str,
    /// Text the UI shows as it is.
    pub message: String,
    /// With `invalid` only: the request field at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
}

/// The `error.code` of a refused request, left on the response for the audit of writes
/// (`api::audit`), which cannot read the body.
#[derive(Debug, Clone, Copy)]
pub struct ErrorCode(pub &'static str);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, _) = self.status_and_code();
        if status.is_server_error() {
            // The cause stays in the log; the browser only gets the public text.
            tracing::error!(error = %self, "request failed");
        }
        let (_, code) = self.status_and_code();
        let mut response = (status, Json(self.body())).into_response();
        response.extensions_mut().insert(ErrorCode(code));
        if let ApiError::RateLimited { retry_after: Some(secs), .. } = self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// `axum::Json`, but its rejections answer in our error shape.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::JsonDataError(e)) => {
                Err(ApiError::InvalidBody(format!("The request body is not valid: {}", e.body_text())))
            }
            // `DefaultBodyLimit` (set from `EB_API_MAX_BODY_BYTES` in `api::serve`) stopped reading.
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(ApiError::PayloadTooLarge),
            Err(e) => Err(ApiError::BadRequest(format!("The request body must be JSON: {}", e.body_text()))),
        }
    }
}

/// `axum::extract::Query`, but a query string of the wrong shape answers `bad_request` in our
/// error shape (ranges are then checked by the handler, as `invalid` with the field).
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(ApiError::BadRequest(format!("The query string is not valid: {}", e.body_text()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant, with the status, code and field the browser is promised (docs/architecture.md
    /// "Errors"). A new variant that is not listed here fails to compile the match below.
    fn every_variant() -> Vec<(ApiError, u16, &'static str, Option<&'static str>)> {
        let all = vec![
            (ApiError::Unauthorized("expired"), 401, "unauthorized", None),
            (ApiError::BadRequest("The request body must be JSON.".into()), 400, "bad_request", None),
            (ApiError::InvalidBody("missing field `minutes`".into()), 422, "invalid_body", None),
            (
                ApiError::Invalid { field: "minutes", message: "Snooze for 1 to 10080 minutes.".into() },
                422,
                "invalid",
                Some("minutes"),
            ),
            (ApiError::NotFound("That job"), 404, "not_found", None),
            (ApiError::ReadOnly, 403, "read_only", None),
            (ApiError::ForbiddenByPolicy("Your account may not restore.".into()), 403, "forbidden_by_policy", None),
            (ApiError::Conflict("The account changed meanwhile.".into()), 409, "conflict", None),
            (ApiError::Upstream("device is offline".into()), 502, "upstream", None),
            (ApiError::RateLimited { message: "Too many at once.".into(), retry_after: Some(30) }, 429, "rate_limited", None),
            (ApiError::PayloadTooLarge, 413, "payload_too_large", None),
            (ApiError::Internal("route without {id}"), 500, "internal", None),
            (ApiError::Db(DbError::Sql(sqlx::Error::PoolTimedOut)), 500, "internal", None),
        ];
        for (e, ..) in &all {
            match e {
                ApiError::Unauthorized(_)
                | ApiError::BadRequest(_)
                | ApiError::InvalidBody(_)
                | ApiError::Invalid { .. }
                | ApiError::NotFound(_)
                | ApiError::ReadOnly
                | ApiError::ForbiddenByPolicy(_)
                | ApiError::Conflict(_)
                | ApiError::Upstream(_)
                | ApiError::RateLimited { .. }
                | ApiError::PayloadTooLarge
                | ApiError::Internal(_)
                | ApiError::Db(_) => {}
            }
        }
        all
    }

    #[tokio::test]
    async fn every_variant_answers_the_one_error_body() {
        for (error, status, code, field) in every_variant() {
            let message = error.public_message();
            let response = error.into_response();
            assert_eq!(response.status().as_u16(), status, "{code}");
            let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024).await.unwrap();
            let body: Value = serde_json::from_slice(&bytes).unwrap();
            let mut expected = json!({ "code": code, "message": message });
            if let Some(f) = field {
                expected["field"] = json!(f);
            }
            assert_eq!(body, json!({ "error": expected }), "{code}");
            assert!(!message.is_empty(), "{code}");
        }
    }

    #[test]
    fn server_faults_never_send_their_cause() {
        for e in [ApiError::Internal("route without {id}"), ApiError::Db(DbError::Sql(sqlx::Error::PoolTimedOut))] {
            let text = e.body().to_string();
            assert!(!text.contains("{id}") && !text.to_lowercase().contains("pool"), "{text}");
        }
    }

    #[test]
    fn upstream_and_policy_refusals_carry_their_reason() {
        assert!(ApiError::Upstream("device is offline".into()).body().to_string().contains("device is offline"));
        assert!(
            ApiError::ForbiddenByPolicy("Restores are disabled.".into()).body().to_string().contains("Restores are disabled.")
        );
    }

    #[tokio::test]
    async fn rate_limited_says_when_to_retry_when_it_knows() {
        let with = ApiError::RateLimited { message: "Slow down.".into(), retry_after: Some(30) }.into_response();
        assert_eq!(with.headers().get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()), Some("30"));
        let without = ApiError::rate_limited("Slow down.").into_response();
        assert!(without.headers().get(header::RETRY_AFTER).is_none());
    }
}
