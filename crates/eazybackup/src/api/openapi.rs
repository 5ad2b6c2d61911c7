//! The OpenAPI 3.1 document of the customer API (docs/architecture.md "Customer API"). It is
//! generated, never written by hand: each handler's `#[utoipa::path]` and each view's `ToSchema`
//! are collected by the `routes!` registrations of `api::routes`, so a route cannot be served
//! without being described. Served at `GET /api/v1/openapi.json`.
//!
//! The refusals a route can answer are listed with the response sets below, one per rule of
//! `api::scope` / `api::write_access` / `api::rate_limit`, so a handler names the rules it takes
//! rather than repeating their descriptions.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{IntoResponses, Modify, OpenApi};

use crate::api::error::ErrorBody;
use crate::views::{DeviceView, ItemsChanged, JobView};

/// The security scheme of every authenticated route: `Authorization: Bearer <token>`.
pub const BEARER: &str = "bearer";
/// `?token=`, accepted by `GET /api/v1/events` only (EventSource cannot send headers).
pub const TOKEN_QUERY: &str = "token_query";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "eazyBackup Console customer API",
        description = "The client area's API: every route is scoped to the token's client and its services. \
                       Every failure answers `{ \"error\": { \"code\", \"message\", \"field\"? } }`."
    ),
    modifiers(&SecuritySchemes),
    // The event stream's payloads: no handler returns them, so they are listed here.
    components(schemas(ErrorBody, JobView, DeviceView, ItemsChanged))
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("v1/v2 HMAC token minted by the WHMCS addon")
                    .description(Some("The short-lived browser token (docs/architecture.md \"Identity\")."))
                    .build(),
            ),
        );
        components.add_security_scheme(
            TOKEN_QUERY,
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::with_description(
                "token",
                "The same token as a query parameter; `GET /api/v1/events` only.",
            ))),
        );
    }
}

/// The document, built once from the routes.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOC.get_or_init(|| crate::api::routes::router().1)
}

/// The `operationId` of `method` on the document path `path` (e.g. `/api/v1/incidents/snooze`):
/// for a write, the action its audit row records.
pub fn operation_id(method: &axum::http::Method, path: &str) -> Option<&'static str> {
    let item = document().paths.paths.get(path)?;
    let op = match *method {
        axum::http::Method::GET => item.get.as_ref(),
        axum::http::Method::POST => item.post.as_ref(),
        axum::http::Method::PUT => item.put.as_ref(),
        axum::http::Method::PATCH => item.patch.as_ref(),
        axum::http::Method::DELETE => item.delete.as_ref(),
        _ => None,
    }?;
    op.operation_id.as_deref()
}

fn error_response(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
        .build()
        .into()
}

fn responses(list: &[(&str, &str)]) -> BTreeMap<String, RefOr<Response>> {
    list.iter().map(|(status, description)| (status.to_string(), error_response(description))).collect()
}

/// Every authenticated route: 401 `unauthorized`, and 500 `internal`.
pub struct Authenticated;

impl IntoResponses for Authenticated {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        responses(&[
            ("401", "`unauthorized`: missing, malformed, forged, expired, revoked or over-long token."),
            ("500", "`internal`: a fault of ours; the cause is logged, never sent."),
        ])
    }
}

/// A route naming a service (`{id}`) or a child id (job, device, item, vault): 404 `not_found`
/// for anything that is not the client's.
pub struct Scoped;

impl IntoResponses for Scoped {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        responses(&[("404", "`not_found`: the service or an id in the request is not one of the client's.")])
    }
}

/// A write: 403 `read_only` on a Suspended service; the body refusals (400, 413, 422).
pub struct Write;

impl IntoResponses for Write {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        responses(&[
            ("400", "`bad_request`: the body is not JSON."),
            ("403", "`read_only`: the service is Suspended."),
            ("413", "`payload_too_large`: the body is over `EB_API_MAX_BODY_BYTES`."),
            ("422", "`invalid` (with `field`) or `invalid_body`: a value out of range, or JSON of the wrong shape."),
        ])
    }
}

/// A route with a query string: 400 `bad_request` when it is not of the documented shape, 422
/// `invalid` (with `field`) for a value out of range.
pub struct Queried;

impl IntoResponses for Queried {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        responses(&[
            ("400", "`bad_request`: the query string is not of the documented shape."),
            ("422", "`invalid` (with `field`): a value out of range."),
        ])
    }
}

/// A route of a rate-limited call class (`api::rate_limit`): 429 `rate_limited` with `Retry-After`.
pub struct Limited;

impl IntoResponses for Limited {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        responses(&[("429", "`rate_limited`: too many calls of this class; `Retry-After` says when to try again.")])
    }
}
