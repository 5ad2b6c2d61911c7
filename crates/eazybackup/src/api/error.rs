//! API errors: every failure is an HTTP status plus `{ "error": { "code", "message" } }`, where
//! `message` is text the UI may show. Causes of 5xx are logged, never sent.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Missing, malformed, forged or expired token (the reason is logged where it is known).
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    /// The request body is not JSON or not the expected shape.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Well-formed but out of range (`code` names the field).
    #[error("{code}: {message}")]
    Invalid { code: &'static str, message: String },
    /// Not one of the client's (or does not exist: the browser cannot tell which).
    #[error("not found: {0}")]
    NotFound(&'static str),
    /// A write to a suspended service (`api::write_access`).
    #[error("read only: the service is suspended")]
    ReadOnly,
    /// Too many of something at once (e.g. live streams of one client); the message says what.
    #[error("rate limited: {0}")]
    RateLimited(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::Invalid { code, .. } => (StatusCode::UNPROCESSABLE_ENTITY, code),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::ReadOnly => (StatusCode::FORBIDDEN, "read_only"),
            ApiError::RateLimited(_) => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            ApiError::Db(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    fn public_message(&self) -> String {
        match self {
            ApiError::Unauthorized(_) => "Your session has expired. Reload the page to continue.".into(),
            ApiError::BadRequest(m) => m.clone(),
            ApiError::Invalid { message, .. } => message.clone(),
            ApiError::NotFound(what) => format!("{what} was not found."),
            ApiError::ReadOnly => crate::api::write_access::READ_ONLY_MESSAGE.into(),
            ApiError::RateLimited(m) => m.clone(),
            ApiError::Db(_) => "Something went wrong on our side. Please try again shortly.".into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if status.is_server_error() {
            // The cause stays in the log; the browser only gets the generic text.
            tracing::error!(error = %self, "request failed");
        }
        let body = serde_json::json!({ "error": { "code": code, "message": self.public_message() } });
        (status, Json(body)).into_response()
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
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError::Invalid {
                code: "invalid_body",
                message: format!("The request body is not valid: {}", e.body_text()),
            }),
            Err(e) => Err(ApiError::BadRequest(format!("The request body must be JSON: {}", e.body_text()))),
        }
    }
}
