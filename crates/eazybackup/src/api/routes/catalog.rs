//! `GET /api/v1/catalog/engines`: the engine catalog (`comet::engine::ENGINES`), the one
//! description of every protected-item engine, its options and how each is browsed, which the
//! console's wizard renders. Also the schedule and retention codes the wizard offers.

use axum::Json;
use comet::engine::{ENGINES, EngineOption};
use comet::{RetentionRangeType, ScheduleFrequency};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::AppState;
use crate::api::auth::AuthClient;
use crate::api::error::ApiError;
use crate::api::openapi::Authenticated;
use crate::views::items::{ChoiceView, CodeView, EngineCatalog, EngineOptionView, EngineView};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(engines))
}

/// A serde unit enum's name (`OptionKind::ExclusiveFlags` → `exclusive_flags`).
fn name_of<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn option_view(o: &EngineOption) -> EngineOptionView {
    EngineOptionView {
        key: o.key.into(),
        label: o.label.into(),
        kind: name_of(&o.kind),
        required: o.required,
        default: o.default.map(Into::into),
        choices: o.choices.iter().map(|(v, l)| ChoiceView { value: (*v).into(), label: (*l).into() }).collect(),
        pattern: o.pattern.map(Into::into),
        browse: o.browse.as_ref().map(name_of),
        write_only: o.secret,
        help: o.help.into(),
    }
}

/// The catalog as served.
pub fn catalog() -> EngineCatalog {
    let frequencies = [
        ScheduleFrequency::HOURLY,
        ScheduleFrequency::DAILY,
        ScheduleFrequency::WEEKLY,
        ScheduleFrequency::MONTHLY,
        ScheduleFrequency::YEARLY,
        ScheduleFrequency::PERIODIC,
        ScheduleFrequency::ONCEONLY,
    ];
    EngineCatalog {
        engines: ENGINES
            .iter()
            .map(|e| EngineView {
                id: e.id.into(),
                label: e.label.into(),
                keys_documented: e.keys_documented,
                deprecated: e.deprecated.map(Into::into),
                platforms: e.platforms.iter().map(|p| (*p).into()).collect(),
                options: e.options.iter().map(option_view).collect(),
            })
            .collect(),
        frequencies: frequencies.iter().map(|f| CodeView { value: f.0 as i64, label: f.label().into() }).collect(),
        retention_ranges: (900..=920)
            .map(RetentionRangeType)
            .filter(|t| t.is_known() && *t != RetentionRangeType::RESERVED904)
            .map(|t| CodeView { value: t.0, label: t.label().into() })
            .collect(),
    }
}

/// Every protected-item engine, its options (type, default, validation, browse call, write-only),
/// and the schedule and retention codes.
#[utoipa::path(get, path = "/catalog/engines", operation_id = "catalog.engines", tag = "catalog",
    security(("bearer" = [])),
    responses((status = 200, description = "The engine catalog", body = EngineCatalog), Authenticated))]
pub async fn engines(_client: AuthClient) -> Result<Json<EngineCatalog>, ApiError> {
    Ok(Json(catalog()))
}
