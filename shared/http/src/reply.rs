//! A handler's answer: what its area's service answered, as the JSON body,
//! or its error said as `{code, message}`.

use std::future::Future;

use super::error::{ApiError, ApiResult};

/// Awaits a service call and answers its value as JSON; the error is mapped
/// once, here (`DomainError` → `{code, message}`).
pub async fn reply<T, E: Into<ApiError>>(
    call: impl Future<Output = Result<T, E>>,
) -> ApiResult<axum::Json<T>> {
    call.await.map(axum::Json).map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use vslc_ports::DomainError;

    #[tokio::test]
    async fn values_become_json_and_errors_their_answer() {
        let ok = super::reply(async { Ok::<_, DomainError>(7) })
            .await
            .unwrap();
        assert_eq!(ok.0, 7);
        let err = super::reply(async { Err::<(), _>(DomainError::not_found("考试计划")) })
            .await
            .unwrap_err();
        assert_eq!(err.status, axum::http::StatusCode::NOT_FOUND);
    }
}
