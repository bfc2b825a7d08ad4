//! `/api/verify` — 证书查验 (public, no login): a ledger transaction with its
//! block header and Merkle inclusion proof, checkable by anyone.

use axum::extract::State;
use utoipa_axum::routes;
use vslc_shared::AppState;
use vslc_shared::http::{ApiError, ApiResult, Area, AreaRouter, ErrorBody, Path};
use vslc_shared::ledger::{self, InclusionProof};

pub const AREA: Area = Area {
    name: "verify",
    prefix: "/api/verify",
    title: "证书查验",
};

pub fn routes() -> AreaRouter {
    AreaRouter::new().routes(routes!(transaction))
}

/// 交易查验: the transaction, its block header and the proof from its hash to
/// the block's Merkle root.
#[utoipa::path(get, path = "/tx/{hash}", tag = "verify", params(("hash" = String, Path, description = "交易哈希 (64 hex digits)")),
    responses((status = 200, body = InclusionProof), (status = 404, body = ErrorBody)))]
async fn transaction(
    State(state): State<AppState>,
    Path(hash): Path<String>,
) -> ApiResult<axum::Json<InclusionProof>> {
    ledger::prove(state.table.as_ref(), &hash)
        .await
        .map_err(ApiError::internal)?
        .map(axum::Json)
        .ok_or_else(|| ApiError::not_found("链上交易"))
}
