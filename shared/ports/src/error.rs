//! Domain errors: what went wrong, in the domain's words, below the HTTP
//! edge. Every area's service returns `DomainError`; the edge maps it once
//! to `{code, message}` with a status (`vslc_http::ApiError`), and a worker
//! decides from its kind whether to retry (`Internal`: storage, queue or
//! blob trouble) or to fail the row or message (everything else).

use std::borrow::Cow;

use crate::blobs::BlobError;
use crate::caller::Denied;
use crate::queue::QueueError;
use crate::table::TableError;

type Text = Cow<'static, str>;

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The input is wrong: a stable English code and the Chinese message.
    #[error("{message}")]
    Invalid { code: &'static str, message: Text },
    /// No valid session (or it ended).
    #[error("{0}")]
    Unauthenticated(Text),
    /// The caller may not do this.
    #[error("{0}")]
    Denied(Text),
    /// Missing, or another tenant's (the two look the same).
    #[error("{0}不存在或无权访问")]
    NotFound(Text),
    /// The record's state does not allow this, or another change won.
    #[error("{message}")]
    Conflict { code: &'static str, message: Text },
    /// Too many attempts; try again later.
    #[error("{message}")]
    TooMany { code: &'static str, message: Text },
    /// Infrastructure failed (storage, queue, files): the cause, for the
    /// log. The only kind worth retrying.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type DomainResult<T> = Result<T, DomainError>;

impl DomainError {
    /// The request itself is wrong.
    pub fn bad_request(message: impl Into<Text>) -> Self {
        Self::invalid("BAD_REQUEST", message)
    }
    /// A field or rule is broken, with its own code.
    pub fn invalid(code: &'static str, message: impl Into<Text>) -> Self {
        Self::Invalid {
            code,
            message: message.into(),
        }
    }
    pub fn unauthorized(message: impl Into<Text>) -> Self {
        Self::Unauthenticated(message.into())
    }
    pub fn forbidden(message: impl Into<Text>) -> Self {
        Self::Denied(message.into())
    }
    /// `what` is the record's Chinese name (`考生`, `报考记录`).
    pub fn not_found(what: &str) -> Self {
        Self::NotFound(what.to_owned().into())
    }
    pub fn conflict(code: &'static str, message: impl Into<Text>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
        }
    }
    /// 409 STATE_CONFLICT for a record whose state refuses an action:
    /// “{what}当前为“{status}”状态，{rule}” (`rule`: 只有未提交的申报可以删除).
    pub fn wrong_state(what: &str, status: &str, rule: impl std::fmt::Display) -> Self {
        Self::conflict(
            "STATE_CONFLICT",
            format!("{what}当前为“{status}”状态，{rule}"),
        )
    }
    pub fn too_many(code: &'static str, message: impl Into<Text>) -> Self {
        Self::TooMany {
            code,
            message: message.into(),
        }
    }
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        Self::Internal(cause.into())
    }

    /// The stable code a client sees.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid { code, .. }
            | Self::Conflict { code, .. }
            | Self::TooMany { code, .. } => code,
            Self::Unauthenticated(_) => "UNAUTHORIZED",
            Self::Denied(_) => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::Internal(_) => "INTERNAL",
        }
    }

    /// The Chinese message a user sees (for `Internal`, a generic one: the
    /// cause is for the log only).
    pub fn message(&self) -> String {
        match self {
            Self::Internal(_) => "服务器内部错误，请稍后重试".to_owned(),
            other => other.to_string(),
        }
    }

    /// Whether trying again later may succeed (infrastructure trouble), as
    /// opposed to a verdict on the input or the record's state.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Internal(_))
    }
}

impl From<Denied> for DomainError {
    fn from(e: Denied) -> Self {
        Self::Denied(e.0.into())
    }
}

impl From<TableError> for DomainError {
    fn from(e: TableError) -> Self {
        match e {
            TableError::ConditionFailed | TableError::TransactionCanceled { .. } => Self::conflict(
                "STATE_CONFLICT",
                "数据已被他人修改或状态已变化，请刷新后重试",
            ),
            TableError::BadCursor => Self::invalid("BAD_CURSOR", crate::keyset::BAD_CURSOR),
            other => Self::Internal(anyhow::Error::new(other).context("table")),
        }
    }
}

/// A table write whose failed condition has a meaning of its own (a
/// duplicate, a taken name): that error instead of the generic
/// STATE_CONFLICT; any other error converts as usual.
pub trait OnConflict<T> {
    fn on_conflict(self, conflict: impl FnOnce() -> DomainError) -> DomainResult<T>;
}

impl<T> OnConflict<T> for Result<T, TableError> {
    fn on_conflict(self, conflict: impl FnOnce() -> DomainError) -> DomainResult<T> {
        self.map_err(|e| {
            if e.is_conflict() {
                conflict()
            } else {
                e.into()
            }
        })
    }
}

impl From<BlobError> for DomainError {
    fn from(e: BlobError) -> Self {
        match e {
            BlobError::InvalidKey(_) => Self::bad_request("文件名无效"),
            other => Self::Internal(anyhow::Error::new(other).context("blobs")),
        }
    }
}

impl From<QueueError> for DomainError {
    fn from(e: QueueError) -> Self {
        Self::Internal(anyhow::Error::new(e).context("queue"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_say_what_a_user_and_a_worker_need() {
        let e = DomainError::not_found("考生");
        assert_eq!(
            (e.code(), e.message().as_str()),
            ("NOT_FOUND", "考生不存在或无权访问")
        );
        assert!(!e.is_transient());
        let e = DomainError::from(TableError::ConditionFailed);
        assert_eq!(e.code(), "STATE_CONFLICT");
        assert!(!e.is_transient());
        let taken = || DomainError::conflict("NAME_TAKEN", "名称已存在");
        let e = Err::<(), _>(TableError::ConditionFailed).on_conflict(taken);
        assert_eq!(e.unwrap_err().code(), "NAME_TAKEN");
        let e = Err::<(), _>(TableError::BadCursor).on_conflict(taken);
        assert_eq!(e.unwrap_err().code(), "BAD_CURSOR");
        let e = DomainError::wrong_state("周报", "待审核", "只有未提交的周报可以删除");
        assert_eq!(
            (e.code(), e.message().as_str()),
            (
                "STATE_CONFLICT",
                "周报当前为“待审核”状态，只有未提交的周报可以删除"
            )
        );
        let e = DomainError::from(anyhow::anyhow!("disk full"));
        assert_eq!(e.message(), "服务器内部错误，请稍后重试");
        assert!(e.is_transient());
        let e = DomainError::from(Denied::new("仅本单位管理员可以进行此操作"));
        assert_eq!(
            (e.code(), e.message().as_str()),
            ("FORBIDDEN", "仅本单位管理员可以进行此操作")
        );
    }
}
