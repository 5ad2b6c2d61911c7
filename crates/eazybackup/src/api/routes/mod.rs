//! The customer routes, one module per resource, each with its own `router()`; [`router`] nests
//! them under `/api/v1` and splits off the OpenAPI document (`api::openapi`).
//!
//! Convention (docs/architecture.md "Customer API"): a module's `router()` returns
//! `OpenApiRouter<AppState>` built only with `.routes(routes!(handler, ...))`, and every handler
//! carries `#[utoipa::path]`. Registering with axum directly (the patterns of
//! `tests::UNDOCUMENTED_REGISTRATION`) fails the test below, and every operation of the
//! document is called by the integration tests (`tests/it/openapi.rs`, `tests/it/refusals.rs`).

pub mod account;
pub mod activity;
pub mod capabilities;
pub mod catalog;
pub mod devices;
pub mod events;
pub mod incidents;
pub mod items;
pub mod jobs;
pub mod meta;
pub mod overview;
pub mod pulse;
pub mod restores;
pub mod services;
pub mod vaults;

use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::api::AppState;
use crate::api::error::ApiError;
use crate::api::openapi::ApiDoc;

/// The routes of every resource, relative to `/api/v1`. A new resource module is merged here.
fn v1() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(meta::router())
        .merge(services::router())
        .merge(pulse::router())
        .merge(incidents::router())
        .merge(events::router())
        .merge(activity::router())
        .merge(overview::router())
        .merge(capabilities::router())
        .merge(vaults::router())
        .merge(jobs::router())
        .merge(account::router())
        .merge(devices::router())
        .merge(restores::router())
        .merge(catalog::router())
        .merge(items::router())
}

/// Every route rooted at `/api/v1`, and the OpenAPI document describing exactly those. Anything
/// else answers 404 in the one error body.
pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (routes, document) = OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", v1()).split_for_parts();
    (routes.fallback(unknown_route), document)
}

async fn unknown_route() -> ApiError {
    ApiError::NotFound("That API route")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// What would register a route beside the document: axum's own method routers and the
    /// `OpenApiRouter` passthroughs that skip `#[utoipa::path]`.
    const UNDOCUMENTED_REGISTRATION: &[&str] = &[
        ".route(",
        ".route_service(",
        ".nest_service(",
        ".fallback_service(",
        "axum::routing",
        "routing::{",
        "OpenApiRouter::from(",
        "Router::from(",
    ];

    fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("api directory is readable") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// A route registered with axum directly would be served but absent from the document (and so
    /// from the refusal table of `tests/it/refusals.rs`). The type system cannot stop it
    /// (`OpenApiRouter` forwards `.route`), so the source of `api/` is read and any such call fails
    /// here, naming the file.
    #[test]
    fn routes_are_registered_only_through_the_document() {
        let api = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
        let mut files = Vec::new();
        rust_files(&api, &mut files);
        assert!(files.len() > 5, "found the api sources: {files:?}");
        let mut offenders = Vec::new();
        for file in &files {
            let text = std::fs::read_to_string(file).expect("source is readable");
            // This module names the patterns in its own test; only its code above the tests counts.
            let code = if file.ends_with("routes/mod.rs") {
                text.split("#[cfg(test)]").next().unwrap_or_default().to_string()
            } else {
                text
            };
            for pattern in UNDOCUMENTED_REGISTRATION {
                if code.contains(pattern) {
                    offenders.push(format!("{} uses `{pattern}`", file.display()));
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "register routes with `OpenApiRouter::routes(routes!(...))` and `#[utoipa::path]`: {offenders:#?}"
        );
    }

    #[test]
    fn the_pattern_check_sees_a_raw_route() {
        let sample = "OpenApiRouter::new().route(\"/x\", get(h))";
        assert!(UNDOCUMENTED_REGISTRATION.iter().any(|p| sample.contains(p)));
        assert!(!UNDOCUMENTED_REGISTRATION.iter().any(|p| "OpenApiRouter::new().routes(routes!(h))".contains(p)));
    }
}
