//! `GET /api/v1/events`: the client's live stream (Server-Sent Events, `api::sse`).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::AppState;
use crate::api::auth::StreamAuthClient;
use crate::api::error::ApiError;
use crate::api::openapi::{Authenticated, Limited};
use crate::api::sse;
use crate::db::events::EventId;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(events_stream))
}

/// The client's live events as Server-Sent Events (`job:*`, `device:*`, `items:changed`, ...),
/// resumable with `Last-Event-ID`; the stream ends at the token's expiry.
#[utoipa::path(get, path = "/events", operation_id = "events.stream", tag = "events",
    security(("bearer" = []), ("token_query" = [])),
    params(
        ("last_event_id" = Option<i64>, Query, description = "Resume after this event id (as the `Last-Event-ID` header)."),
        ("Last-Event-ID" = Option<i64>, Header, description = "Resume after this event id."),
    ),
    responses(
        (status = 200, description = "An event stream.", content_type = "text/event-stream", body = String),
        (status = 400, description = "`bad_request`: `Last-Event-ID` is not an event id.", body = crate::api::error::ErrorBody),
        Authenticated, Limited,
    ))]
pub async fn events_stream(
    State(state): State<AppState>,
    StreamAuthClient(claims): StreamAuthClient,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Result<Response, ApiError> {
    let resume = resume_point(&headers, uri.query())?;
    sse::open(state, claims, resume).await
}

/// `Last-Event-ID` header, else `?last_event_id=`. A value that is not an id is refused: we only
/// ever hand out numeric ids.
fn resume_point(headers: &HeaderMap, query: Option<&str>) -> Result<Option<EventId>, ApiError> {
    let raw = match headers.get("last-event-id") {
        Some(v) => Some(v.to_str().map_err(|_| ApiError::BadRequest("Last-Event-ID is not an event id.".into()))?.to_string()),
        None => query.and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "last_event_id").map(|(_, v)| v.into_owned())
        }),
    };
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s.parse::<EventId>().map(Some).map_err(|_| ApiError::BadRequest("Last-Event-ID is not an event id.".into())),
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn resume_point_prefers_the_header_and_refuses_junk() {
        let mut h = HeaderMap::new();
        assert_eq!(resume_point(&h, Some("token=x&last_event_id=7")).ok(), Some(Some(7)));
        h.insert("last-event-id", HeaderValue::from_static("9"));
        assert_eq!(resume_point(&h, Some("last_event_id=7")).ok(), Some(Some(9)));
        h.insert("last-event-id", HeaderValue::from_static("abc"));
        assert!(resume_point(&h, None).is_err());
        assert_eq!(resume_point(&HeaderMap::new(), None).ok(), Some(None));
    }
}
