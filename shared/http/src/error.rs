//! The one HTTP error type: `{code, message}` with a stable English code and
//! a Chinese message. Internal details go to the log, never to the client.

use std::borrow::Cow;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use vslc_ports::{BlobError, DomainError, QueueError, TableError};

/// The error body every endpoint answers with.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable, English, for programs (`NOT_FOUND`, `STATE_CONFLICT`, …).
    pub code: String,
    /// Chinese, for people.
    pub message: String,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: Cow<'static, str>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }
    /// 400: the request itself is wrong.
    pub fn bad_request(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
    }
    /// 400 with a field-specific code.
    pub fn invalid(code: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }
    /// 401: no valid session.
    pub fn unauthorized(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", message)
    }
    /// 403: a session, but not allowed.
    pub fn forbidden(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "FORBIDDEN", message)
    }
    /// 404: missing, or another tenant's (the two look the same).
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("{what}不存在或无权访问"),
        )
    }
    /// 409: the record's state does not allow this.
    pub fn conflict(code: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }
    /// 500: logs the cause with an error id the user can quote.
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        let cause = cause.into();
        let id = ulid::Ulid::new().to_string();
        tracing::error!(error_id = %id, error = ?cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            format!("服务器内部错误，请稍后重试（错误编号 {id}）"),
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.code.to_owned(),
            message: self.message.into_owned(),
        };
        (self.status, Json(body)).into_response()
    }
}

/// The one mapping of domain errors to answers.
impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        let code = e.code();
        match e {
            DomainError::Invalid { message, .. } => Self::invalid(code, message),
            DomainError::Unauthenticated(m) => Self::unauthorized(m),
            DomainError::Denied(m) => Self::forbidden(m),
            e @ DomainError::NotFound(_) => Self::new(StatusCode::NOT_FOUND, code, e.to_string()),
            DomainError::Conflict { message, .. } => Self::conflict(code, message),
            DomainError::TooMany { message, .. } => {
                Self::new(StatusCode::TOO_MANY_REQUESTS, code, message)
            }
            DomainError::Internal(cause) => Self::internal(cause),
        }
    }
}

/// Port errors at the edge mean what they mean below it (a lost race is
/// 409 `STATE_CONFLICT`, a bad cursor 400, the rest 500 with the cause
/// logged): one mapping, through `DomainError`.
macro_rules! through_domain {
    ($($error:ty),*) => {$(
        impl From<$error> for ApiError {
            fn from(e: $error) -> Self {
                DomainError::from(e).into()
            }
        }
    )*};
}

through_domain!(vslc_ports::Denied, TableError, BlobError, QueueError);

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        Self::internal(e)
    }
}
