//! 记录编号: the id of a record as a request names it (in the path, the query
//! string or the body). Storage keys are built as `PREFIX#id#…`, so an id
//! holding `#` could address another record; control characters (NUL
//! included) and blank ids are refused the same way, at the edge, before any
//! store sees them.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

/// Longest id accepted, in characters (ULIDs are 26; composed ids stay far below).
pub const MAX_LEN: usize = 128;

/// A non-blank id (trimmed), at most [`MAX_LEN`] characters, without control
/// characters or `#`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct RecordId(String);

impl RecordId {
    /// Parses after trimming; the error is the message to show after the
    /// field's name (`字段 planId：不能为空`).
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = raw.trim();
        if s.is_empty() {
            Err("不能为空")
        } else if s.chars().count() > MAX_LEN {
            Err("不能超过128个字符")
        } else if s.chars().any(char::is_control) {
            Err("不能包含控制字符")
        } else if s.contains('#') {
            Err("不能包含“#”")
        } else {
            Ok(Self(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// For optional ids in list filters and bodies, where the search forms send a
/// blank value for "any": blank (or absent, or `null`) is `None`, anything
/// else must be a valid id. Use with `#[serde(default, deserialize_with =
/// "crate::domain::id::blank_is_none")]`.
pub fn blank_is_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<RecordId>, D::Error> {
    struct Optional;
    impl<'de> Visitor<'de> for Optional {
        type Value = Option<RecordId>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_str(self)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            if v.trim().is_empty() {
                Ok(None)
            } else {
                RecordId::parse(v).map(Some).map_err(E::custom)
            }
        }
    }
    d.deserialize_option(Optional)
}

/// An optional id of a list filter, as the search forms send it: blank,
/// absent or `null` means "any" (`None`); anything else must be a valid id.
/// Reads as the `Option<RecordId>` it holds; absent is `None` without
/// `#[serde(default)]`. As a query parameter it is
/// `#[param(value_type = Option<String>)]`, in a body's schema
/// `#[schema(inline, required = false)]`: a `RecordId` or `null`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OptionalId(pub Option<RecordId>);

impl<'de> Deserialize<'de> for OptionalId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        blank_is_none(d).map(Self)
    }
}

impl Deref for OptionalId {
    type Target = Option<RecordId>;
    fn deref(&self) -> &Option<RecordId> {
        &self.0
    }
}

impl From<Option<RecordId>> for OptionalId {
    fn from(id: Option<RecordId>) -> Self {
        Self(id)
    }
}

impl utoipa::PartialSchema for OptionalId {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::ToSchema;
        utoipa::openapi::schema::OneOfBuilder::new()
            .item(utoipa::openapi::Ref::from_schema_name(RecordId::name()))
            .item(
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::Null),
            )
            .into()
    }
}

impl utoipa::ToSchema for OptionalId {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        use utoipa::PartialSchema;
        schemas.push((RecordId::name().into_owned(), RecordId::schema()));
    }
}

struct IdVisitor;

impl Visitor<'_> for IdVisitor {
    type Value = RecordId;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<RecordId, E> {
        // Failing inside the visitor lets axum's path deserializer name the
        // parameter.
        RecordId::parse(v).map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for RecordId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(IdVisitor)
    }
}

impl TryFrom<&str> for RecordId {
    type Error = &'static str;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::parse(s)
    }
}

impl TryFrom<String> for RecordId {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl Deref for RecordId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for RecordId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for RecordId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<RecordId> for String {
    fn from(id: RecordId) -> Self {
        id.0
    }
}

impl PartialEq<str> for RecordId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for RecordId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for RecordId {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<RecordId> for String {
    fn eq(&self, other: &RecordId) -> bool {
        *self == other.0
    }
}

impl PartialEq<RecordId> for str {
    fn eq(&self, other: &RecordId) -> bool {
        self == other.0
    }
}

impl PartialEq<RecordId> for &str {
    fn eq(&self, other: &RecordId) -> bool {
        *self == other.0
    }
}

impl utoipa::PartialSchema for RecordId {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .min_length(Some(1))
            .max_length(Some(MAX_LEN))
            .description(Some("记录编号：非空，最多128个字符，不含控制字符和“#”"))
            .into()
    }
}

impl utoipa::ToSchema for RecordId {}

#[cfg(test)]
mod tests {
    use super::{MAX_LEN, RecordId};

    #[test]
    fn ids_are_trimmed_and_must_be_plain() {
        assert_eq!(RecordId::parse(" 01HX ").unwrap().as_str(), "01HX");
        assert_eq!(RecordId::parse("10009-01HX.2").unwrap(), "10009-01HX.2");
        assert_eq!(RecordId::parse("考核站点1").unwrap(), "考核站点1");
        assert_eq!(RecordId::parse(""), Err("不能为空"));
        assert_eq!(RecordId::parse(" \t "), Err("不能为空"));
        assert_eq!(RecordId::parse("a\0b"), Err("不能包含控制字符"));
        assert_eq!(RecordId::parse("\0"), Err("不能包含控制字符"));
        assert_eq!(RecordId::parse("a\u{7f}"), Err("不能包含控制字符"));
        assert_eq!(RecordId::parse("a\nb"), Err("不能包含控制字符"));
        assert_eq!(RecordId::parse("PLAN#1"), Err("不能包含“#”"));
        assert!(RecordId::parse(&"考".repeat(MAX_LEN)).is_ok());
        assert_eq!(
            RecordId::parse(&"a".repeat(MAX_LEN + 1)),
            Err("不能超过128个字符")
        );
    }

    #[test]
    fn deserializing_checks_the_same_way() {
        let ok: RecordId = serde_json::from_str("\" p1 \"").unwrap();
        assert_eq!(ok, "p1");
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"p1\"");
        let err = serde_json::from_str::<RecordId>("\"\"").unwrap_err();
        assert!(err.to_string().starts_with("不能为空"), "{err}");
        let err = serde_json::from_str::<RecordId>("\"a\\u0000\"").unwrap_err();
        assert!(err.to_string().starts_with("不能包含控制字符"), "{err}");
        assert!(serde_json::from_str::<RecordId>("12").is_err());
    }

    #[test]
    fn optional_ids_read_blank_as_any() {
        #[derive(serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "camelCase")]
        struct F {
            #[schema(inline, required = false)]
            plan_id: super::OptionalId,
        }
        let q = |q: &str| serde_urlencoded::from_str::<F>(q).map(|f| f.plan_id);
        assert_eq!(*q("").unwrap(), None);
        assert_eq!(*q("planId=").unwrap(), None);
        assert_eq!(q("planId=p1").unwrap().as_deref(), Some("p1"));
        assert!(q("planId=a%23b").is_err());
        let j = |b: &str| serde_json::from_str::<F>(b).map(|f| f.plan_id);
        assert_eq!(*j(r#"{"planId":null}"#).unwrap(), None);
        assert_eq!(j(r#"{"planId":"p"}"#).unwrap().as_deref(), Some("p"));
        let schema = serde_json::to_value(<F as utoipa::PartialSchema>::schema()).unwrap();
        assert_eq!(
            schema["properties"]["planId"],
            serde_json::json!({"oneOf": [{"$ref": "#/components/schemas/RecordId"}, {"type": "null"}]})
        );
        assert!(schema.get("required").is_none());
    }

    #[test]
    fn blank_optional_ids_mean_any() {
        #[derive(serde::Deserialize)]
        struct F {
            #[serde(default, deserialize_with = "super::blank_is_none")]
            plan_id: Option<RecordId>,
        }
        let f = |q: &str| serde_urlencoded::from_str::<F>(q).map(|f| f.plan_id);
        assert_eq!(f("").unwrap(), None);
        assert_eq!(f("plan_id=").unwrap(), None);
        assert_eq!(f("plan_id=+").unwrap(), None);
        assert_eq!(f("plan_id=p1").unwrap().as_deref(), Some("p1"));
        assert!(f("plan_id=a%23b").is_err());
        assert!(f("plan_id=%00").is_err());
        let j = |b: &str| serde_json::from_str::<F>(b).map(|f| f.plan_id);
        assert_eq!(j("{}").unwrap(), None);
        assert_eq!(j(r#"{"plan_id":null}"#).unwrap(), None);
        assert_eq!(j(r#"{"plan_id":""}"#).unwrap(), None);
        assert_eq!(j(r#"{"plan_id":"p"}"#).unwrap().as_deref(), Some("p"));
        assert!(j(r#"{"plan_id":"a#b"}"#).is_err());
    }
}
