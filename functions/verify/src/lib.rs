//! `/api/verify` — 证书查验 (public, no login): a ledger transaction with its
//! block header and Merkle inclusion proof, checkable by anyone.

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::routes;
use vslc_http::{ApiError, ApiResult, Area, AreaRouter, ErrorBody, Path};
use vslc_ledger::{self as ledger, InclusionProof};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;

pub const AREA: Area = Area::new("verify", "/api/verify", "证书查验");

pub fn routes() -> AreaRouter {
    AreaRouter::new()
        .routes(routes!(transaction))
        .routes(routes!(chain))
}

/// The result of recomputing the whole chain.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChainCheck {
    /// True when every transaction, Merkle root, block hash and link recomputes.
    pub ok: bool,
    pub blocks: u64,
    /// What does not recompute, when not ok.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// 链完整性校验: recomputes every block from its transactions.
#[utoipa::path(get, path = "/chain", tag = "verify", responses((status = 200, body = ChainCheck)))]
async fn chain(State(state): State<AppState>) -> axum::Json<ChainCheck> {
    axum::Json(match ledger::verify_chain(state.table.as_ref()).await {
        Ok(blocks) => ChainCheck {
            ok: true,
            blocks,
            problem: None,
        },
        Err(t) => ChainCheck {
            ok: false,
            blocks: 0,
            problem: Some(t.to_string()),
        },
    })
}

/// 交易查验: the transaction, its block header and the proof from its hash to
/// the block's Merkle root.
#[utoipa::path(get, path = "/tx/{hash}", tag = "verify", params(("hash" = String, Path, description = "交易哈希 (64 hex digits)")),
    responses((status = 200, body = InclusionProof), (status = 404, body = ErrorBody)))]
async fn transaction(
    State(state): State<AppState>,
    Path(hash): Path<RecordId>,
) -> ApiResult<axum::Json<InclusionProof>> {
    ledger::prove(state.table.as_ref(), &hash)
        .await
        .map_err(ApiError::internal)?
        .map(axum::Json)
        .ok_or_else(|| ApiError::not_found("链上交易"))
}
