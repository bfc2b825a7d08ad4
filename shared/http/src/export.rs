//! 批量导出的选择: an export answers the rows whose `ids` were ticked in the
//! list, or — nothing ticked — every row the list's filter matches. The body
//! is `{ids: [...], <the list's filter fields>}`; a field that does not fit
//! is named the same way as in any other body (`字段 planId：…`).

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, forward_to_deserialize_any};
use utoipa::openapi::schema::{ArrayBuilder, Schema};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use vslc_ports::domain::RecordId;

/// A list filter that also chooses an export's rows. Its schema (fields
/// without their own descriptions) is the export body's, with `ids` added.
pub trait ExportFilter: ToSchema {
    /// The export body's name in the API document (`RoomExportRequest`).
    const REQUEST_NAME: &'static str;
    /// What the export body is, for the API document.
    const REQUEST_DOC: &'static str;
}

/// An export request: the ticked `ids` (none: the filter chooses) and the
/// list's filter `F`, its fields beside `ids` in one JSON object.
#[derive(Debug, Default)]
pub struct ExportRequest<F> {
    pub ids: Vec<RecordId>,
    pub filter: F,
}

/// Which rows an export holds, as one test per row.
pub struct Selection<'a, F> {
    ids: HashSet<&'a str>,
    filter: &'a F,
}

impl<F> ExportRequest<F> {
    /// The choice this request makes.
    pub fn selection(&self) -> Selection<'_, F> {
        Selection {
            ids: self.ids.iter().map(RecordId::as_str).collect(),
            filter: &self.filter,
        }
    }
}

impl<'a, F> Selection<'a, F> {
    /// The filter rows are read with: the request's when nothing is ticked,
    /// otherwise `any` (the ids choose).
    pub fn filter_or(&self, any: &'a F) -> &'a F {
        if self.ids.is_empty() {
            self.filter
        } else {
            any
        }
    }

    /// Whether the row `id` is exported: it was ticked, or nothing was and
    /// the filter `matches` it.
    pub fn keeps(&self, id: &str, matches: impl FnOnce(&F) -> bool) -> bool {
        if self.ids.is_empty() {
            matches(self.filter)
        } else {
            self.ids.contains(id)
        }
    }
}

impl<F: ExportFilter> PartialSchema for ExportRequest<F> {
    fn schema() -> RefOr<Schema> {
        let mut schema = F::schema();
        if let RefOr::T(Schema::Object(object)) = &mut schema {
            object.description = Some(F::REQUEST_DOC.to_owned());
            for property in object.properties.values_mut() {
                match property {
                    RefOr::T(Schema::Object(o)) => o.description = None,
                    RefOr::T(Schema::OneOf(o)) => o.description = None,
                    _ => {}
                }
            }
            let id = RefOr::from(Ref::from_schema_name(RecordId::name()));
            let ids = ArrayBuilder::new().items(id).build();
            object.properties.insert("ids".to_owned(), ids.into());
        }
        schema
    }
}

impl<F: ExportFilter> ToSchema for ExportRequest<F> {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed(F::REQUEST_NAME)
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((RecordId::name().into_owned(), RecordId::schema()));
        F::schemas(schemas);
    }
}

// Deserializing: the filter reads the object through a map that takes `ids`
// out of it on the way, so every other field keeps its place in the path
// that names a failure.

impl<'de, F: ExportFilter + Deserialize<'de>> Deserialize<'de> for ExportRequest<F> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut ids = None;
        let filter = F::deserialize(WithIds {
            inner: d,
            ids: &mut ids,
            name: F::REQUEST_NAME,
        })?;
        Ok(Self {
            ids: ids.unwrap_or_default(),
            filter,
        })
    }
}

/// The object's deserializer, handing its `ids` to `ids` on the way.
struct WithIds<'a, D> {
    inner: D,
    ids: &'a mut Option<Vec<RecordId>>,
    name: &'static str,
}

impl<'a, D> WithIds<'a, D> {
    fn split(self) -> (D, IdsVisitor<'a, ()>) {
        let v = IdsVisitor {
            inner: (),
            ids: self.ids,
            name: self.name,
        };
        (self.inner, v)
    }
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for WithIds<'_, D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let (inner, v) = self.split();
        inner.deserialize_any(v.around(visitor))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let (inner, v) = self.split();
        inner.deserialize_map(v.around(visitor))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let (inner, v) = self.split();
        inner.deserialize_struct(v.name, fields, v.around(visitor))
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct enum identifier ignored_any
    }
}

/// The filter's visitor, seeing the object without its `ids`.
struct IdsVisitor<'a, V> {
    inner: V,
    ids: &'a mut Option<Vec<RecordId>>,
    name: &'static str,
}

impl<'a> IdsVisitor<'a, ()> {
    fn around<V>(self, inner: V) -> IdsVisitor<'a, V> {
        IdsVisitor {
            inner,
            ids: self.ids,
            name: self.name,
        }
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for IdsVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "struct {}", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(IdsMap {
            map,
            ids: self.ids,
            _de: PhantomData,
        })
    }
}

struct IdsMap<'a, 'de, A> {
    map: A,
    ids: &'a mut Option<Vec<RecordId>>,
    _de: PhantomData<&'de ()>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for IdsMap<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        while let Some(key) = self.map.next_key::<String>()? {
            if key != "ids" {
                return seed.deserialize(key.into_deserializer()).map(Some);
            }
            if self.ids.is_some() {
                return Err(de::Error::duplicate_field("ids"));
            }
            *self.ids = Some(self.map.next_value()?);
        }
        Ok(None)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list filter as the areas write them.
    #[derive(Debug, Default, Deserialize, ToSchema)]
    #[serde(rename_all = "camelCase")]
    struct Filter {
        /// 考试计划.
        #[serde(default, deserialize_with = "vslc_ports::domain::id::blank_is_none")]
        plan_id: Option<RecordId>,
        /// 名称 (contains).
        name: Option<String>,
    }

    impl ExportFilter for Filter {
        const REQUEST_NAME: &'static str = "ThingExportRequest";
        const REQUEST_DOC: &'static str = "Export request: selected ids, or the filter.";
    }

    fn parse(body: &str) -> Result<ExportRequest<Filter>, crate::ApiError> {
        crate::extract::parse_json(body.as_bytes())
    }

    #[test]
    fn ids_and_filter_share_one_object() {
        let r = parse(r#"{"ids":["a","b"],"planId":" p1 ","name":"王","other":1}"#).unwrap();
        assert_eq!(r.ids, ["a", "b"]);
        assert_eq!(r.filter.plan_id.as_deref(), Some("p1"));
        assert_eq!(r.filter.name.as_deref(), Some("王"));
        let r = parse(r#"{"planId":""}"#).unwrap();
        assert!(r.ids.is_empty() && r.filter.plan_id.is_none());
        assert!(parse(r#"{"ids":[],"ids":[]}"#).is_err());
    }

    #[test]
    fn a_bad_field_is_named() {
        let e = parse(r#"{"planId":"a#b"}"#).unwrap_err();
        assert!(e.message.contains("planId"), "{}", e.message);
        let e = parse(r#"{"ids":["ok",""]}"#).unwrap_err();
        assert!(e.message.contains("ids"), "{}", e.message);
        let e = parse(r#""x""#).unwrap_err();
        assert!(e.message.contains("对象"), "{}", e.message);
    }

    #[test]
    fn ticked_ids_choose_else_the_filter() {
        let mut r = ExportRequest::<Filter>::default();
        let any = Filter::default();
        r.filter.name = Some("x".into());
        let s = r.selection();
        assert!(std::ptr::eq(s.filter_or(&any), &r.filter));
        assert!(s.keeps("z", |f| f.name.is_some()));
        assert!(!s.keeps("z", |_| false));
        let ticked = ExportRequest {
            ids: vec![RecordId::parse("a").unwrap()],
            filter: Filter::default(),
        };
        let s = ticked.selection();
        assert!(std::ptr::eq(s.filter_or(&any), &any));
        assert!(s.keeps("a", |_| false));
        assert!(!s.keeps("b", |_| true));
    }

    #[test]
    fn the_schema_is_the_filter_plus_ids() {
        let json = serde_json::to_value(ExportRequest::<Filter>::schema()).unwrap();
        assert_eq!(ExportRequest::<Filter>::name(), "ThingExportRequest");
        assert_eq!(json["description"], Filter::REQUEST_DOC);
        assert_eq!(
            json["properties"]["ids"]["items"]["$ref"],
            "#/components/schemas/RecordId"
        );
        assert!(json["properties"]["name"].get("description").is_none());
        assert!(json["properties"]["planId"].get("description").is_none());
    }
}
