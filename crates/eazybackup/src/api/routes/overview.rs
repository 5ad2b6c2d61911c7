//! `GET /api/v1/services/{id}/overview`: the console's Overview tab in one answer. Our tables give
//! the counts and the last 24 h of jobs; the account's Comet profile gives its name, creation time
//! and quotas, and Comet's news feed the provider's news. When Comet cannot be read the answer is
//! still 200, from our tables, with `comet.reachable = false`.

use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::AppState;
use crate::api::comet_clients::AccountComet;
use crate::api::error::ApiError;
use crate::api::scope::ScopedService;
use crate::db::account_summary::{self, AccountTotals};
use crate::db::jobs::{self, Account};
use crate::views::ClassCounts;
use crate::views::overview::{
    AccountSummary, CometReach, DeviceCounts, NewsView, Overview, QuotaView, StorageUsed, Total, news_views, quotas_from_profile,
    quotas_from_tables,
};

const JOBS_WINDOW_SECS: i64 = 24 * 3600;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(overview))
}

/// One account's summary: counts, quotas, last 24 h of jobs and news.
#[utoipa::path(
    get,
    path = "/services/{id}/overview",
    tag = "services",
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)")),
    responses(
        (status = 200, description = "The account's summary", body = Overview),
        (status = 401, description = "Missing or invalid token"),
        (status = 404, description = "Not one of the client's services"),
    ),
    security(("bearer" = []))
)]
pub async fn overview(State(state): State<AppState>, scoped: ScopedService) -> Result<Json<Overview>, ApiError> {
    let service = &scoped.service;
    let (profile, username) = (service.profile.as_str(), service.username.as_str());
    // Comet's answer takes longest; our tables are read meanwhile.
    let comet_side = async {
        match state.comet.account(&scoped) {
            Ok(comet) => from_comet(&comet).await,
            Err(e) => Err(e),
        }
    };
    let (totals, jobs_24h, from_comet) =
        tokio::join!(account_summary::totals(&state.db, profile, username), jobs_24h(&state, Account::from(service)), comet_side);
    let (totals, jobs_24h) = (totals?, jobs_24h?);
    let (account, quotas, news, comet) = match from_comet {
        Ok((account, quotas, news)) => (account, quotas, news, CometReach { reachable: true, message: None }),
        Err(e) => {
            let (account, quotas) = from_tables(&state, profile, username, &totals).await?;
            (account, quotas, Vec::new(), CometReach { reachable: false, message: Some(unreachable_message(&e)) })
        }
    };
    Ok(Json(Overview {
        service: service.clone(),
        account,
        devices: DeviceCounts { online: totals.devices_online, total: totals.devices_total },
        items: Total { total: totals.items_total },
        vaults: Total { total: totals.vaults_total },
        storage: StorageUsed { used_bytes: totals.storage_used_bytes },
        quotas,
        jobs_24h,
        news,
        comet,
    }))
}

/// Finished jobs of the last 24 h by class, and the ones running now.
async fn jobs_24h(state: &AppState, account: Account) -> Result<ClassCounts, ApiError> {
    let accounts = [account];
    let since = chrono::Utc::now().timestamp() - JOBS_WINDOW_SECS;
    let mut counts = jobs::finished_counts(&state.db, &accounts, since).await?;
    counts.running = jobs::running_count(&state.db, &accounts).await?;
    Ok(counts)
}

/// The profile (required) and the news (best effort: a failing news feed leaves it empty).
async fn from_comet(comet: &AccountComet) -> Result<(AccountSummary, Vec<QuotaView>, Vec<NewsView>), ApiError> {
    let profile = comet.profile().await?;
    let news = match comet.news(&profile.organization_id).await {
        Ok(entries) => news_views(entries),
        Err(e) => {
            tracing::warn!(error = %e, "provider news unavailable; answering without it");
            Vec::new()
        }
    };
    Ok((AccountSummary::from_profile(&profile), quotas_from_profile(&profile), news))
}

async fn from_tables(
    state: &AppState,
    profile: &str,
    username: &str,
    totals: &AccountTotals,
) -> Result<(AccountSummary, Vec<QuotaView>), ApiError> {
    let stored = account_summary::account_quotas(&state.db, profile, username).await?;
    let vaults = account_summary::vault_quotas(&state.db, profile, username).await?;
    Ok((AccountSummary::from_tables(stored.as_ref()), quotas_from_tables(totals, stored.as_ref(), &vaults)))
}

fn unreachable_message(e: &ApiError) -> String {
    match e {
        ApiError::Upstream(m) => m.clone(),
        _ => crate::api::comet_clients::UNREACHABLE_MESSAGE.to_string(),
    }
}
