//! Batch actions: `{ids: [...]}` in, what happened to each id out.

use std::future::Future;
use vslc_ports::domain::RecordId;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use vslc_ports::DomainError;

use super::error::ApiError;

pub const MAX_BATCH: usize = 500;

#[derive(Debug, Deserialize, ToSchema)]
pub struct BatchIds {
    pub ids: Vec<RecordId>,
}

impl BatchIds {
    /// Distinct ids in the order given, 1 to 500 of them.
    pub fn checked(self) -> Result<Vec<String>, DomainError> {
        let mut seen = std::collections::HashSet::new();
        let ids: Vec<String> = self
            .ids
            .into_iter()
            .map(String::from)
            .filter(|id| seen.insert(id.clone()))
            .collect();
        if ids.is_empty() {
            return Err(DomainError::invalid("NO_SELECTION", "请至少选择一条数据"));
        }
        if ids.len() > MAX_BATCH {
            return Err(DomainError::invalid(
                "TOO_MANY",
                format!("一次最多处理 {MAX_BATCH} 条数据"),
            ));
        }
        Ok(ids)
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ItemOutcome {
    pub id: String,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BatchOutcome {
    pub succeeded: usize,
    pub failed: usize,
    pub results: Vec<ItemOutcome>,
}

/// Runs `action` for every id, one after another, and reports each with
/// the code and message its error answers with. An internal error on one
/// id is logged and reported for that id; the rest go on.
pub async fn run_batch<F, Fut, E>(ids: BatchIds, mut action: F) -> Result<BatchOutcome, ApiError>
where
    F: FnMut(String) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: Into<ApiError>,
{
    let mut results = Vec::new();
    for id in ids.checked()? {
        let r = action(id.clone()).await.map_err(Into::into);
        results.push(match r {
            Ok(()) => ItemOutcome {
                id,
                ok: true,
                code: None,
                message: None,
            },
            Err(e) => ItemOutcome {
                id,
                ok: false,
                code: Some(e.code.to_owned()),
                message: Some(e.message.into_owned()),
            },
        });
    }
    let succeeded = results.iter().filter(|r| r.ok).count();
    Ok(BatchOutcome {
        succeeded,
        failed: results.len() - succeeded,
        results,
    })
}

/// A batch action's handler body: `action` runs for every id with its own
/// copy of `ctx` (the state and the session, say), and the outcome is the
/// JSON answer.
pub async fn each<C, F, Fut, E>(
    ids: BatchIds,
    ctx: C,
    action: F,
) -> Result<axum::Json<BatchOutcome>, ApiError>
where
    C: Clone,
    F: Fn(C, String) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: Into<ApiError>,
{
    run_batch(ids, |id| action(ctx.clone(), id))
        .await
        .map(axum::Json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_id_reports_its_outcome() {
        let ids = BatchIds {
            ids: ["a", "b", "a"]
                .map(|id| RecordId::parse(id).unwrap())
                .to_vec(),
        };
        let out = run_batch(ids, |id| async move {
            if id == "b" {
                Err(ApiError::conflict("STATE", "已提交，不能删除"))
            } else {
                Ok(())
            }
        })
        .await
        .unwrap();
        assert_eq!((out.succeeded, out.failed, out.results.len()), (1, 1, 2));
        assert_eq!(out.results[1].message.as_deref(), Some("已提交，不能删除"));
        assert!(BatchIds { ids: vec![] }.checked().is_err());
    }

    #[tokio::test]
    async fn each_id_gets_its_own_context() {
        let ids = BatchIds {
            ids: vec![RecordId::parse("a").unwrap(), RecordId::parse("b").unwrap()],
        };
        let out = each(ids, String::from("ctx"), |ctx, id| async move {
            if ctx == "ctx" && id == "a" {
                Ok(())
            } else {
                Err(DomainError::not_found("考生"))
            }
        })
        .await
        .unwrap();
        assert_eq!((out.succeeded, out.failed), (1, 1));
    }
}
