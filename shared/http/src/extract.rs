//! Extractors whose rejections speak the platform's error format: every
//! failure is `{code, message}` JSON, and a value that does not fit names
//! its field in Chinese (`缺少必填字段 planId`, `字段 level 的值“特级”无效，
//! 可选值：初级、中级、高级`, `路径参数 id：不能包含控制字符`).

use axum::body::Bytes;
use axum::extract::path::ErrorKind;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// JSON body; a malformed body answers 400 naming the field, an over-size
/// one 413, both as `{code, message}`.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !json_content_type(req.headers()) {
            return Err(ApiError::invalid(
                "BAD_CONTENT_TYPE",
                "请求须为 JSON（Content-Type: application/json）",
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| unreadable_body(e.status()))?;
        parse_json(&bytes).map(Json)
    }
}

/// The body's bytes as `T`, or the error naming what is wrong.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let inner = e.inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                field_error(Source::Body, &e.path().to_string(), &json_message(inner))
            }
            _ => not_json(),
        }
    })?;
    de.end().map_err(|_| not_json())?;
    Ok(value)
}

/// Query string; a value that does not fit answers 400 naming the parameter.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parse_query(parts.uri.query().unwrap_or_default()).map(Query)
    }
}

/// A query string as `T`, or the error naming the parameter.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de)
        .map_err(|e| field_error(Source::Query, &e.path().to_string(), &e.inner().to_string()))
}

/// Path parameters; a malformed one answers 400 naming the parameter.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(path_error)
    }
}

fn path_error(e: PathRejection) -> ApiError {
    let PathRejection::FailedToDeserializePathParams(e) = e else {
        // The route and the handler disagree: a programming error.
        return ApiError::internal(anyhow::anyhow!("path parameters: {}", e.body_text()));
    };
    match e.into_kind() {
        ErrorKind::DeserializeError { key, message, .. } => {
            field_error(Source::Path, &key, &message)
        }
        ErrorKind::ParseErrorAtKey { key, .. } | ErrorKind::InvalidUtf8InPathParam { key } => {
            ApiError::invalid(INVALID_FIELD, format!("路径参数 {key} 的值无效"))
        }
        ErrorKind::WrongNumberOfParameters { .. } | ErrorKind::UnsupportedType { .. } => {
            ApiError::internal(anyhow::anyhow!("path parameters do not fit the handler"))
        }
        _ => ApiError::invalid(INVALID_FIELD, "路径参数的值无效"),
    }
}

const INVALID_FIELD: &str = "INVALID_FIELD";

fn not_json() -> ApiError {
    ApiError::bad_request("请求内容格式错误：不是有效的 JSON")
}

fn unreadable_body(status: StatusCode) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        payload_too_large()
    } else {
        ApiError::bad_request("请求内容读取失败，请重试")
    }
}

/// 413 in the platform's format.
pub fn payload_too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
        "请求内容过大",
    )
}

/// `application/json` or `application/…+json`, parameters allowed.
fn json_content_type(headers: &HeaderMap) -> bool {
    let Some(ct) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = ct
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// serde_json's message without its " at line 1 column 7".
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if e.line() == 0 {
        return text;
    }
    match text.rsplit_once(" at line ") {
        Some((message, _)) => message.to_owned(),
        None => text,
    }
}

/// Where the value came from.
#[derive(Debug, Clone, Copy)]
enum Source {
    Body,
    Query,
    Path,
}

impl Source {
    fn noun(self) -> &'static str {
        match self {
            Source::Body => "字段",
            Source::Query => "查询参数",
            Source::Path => "路径参数",
        }
    }
}

/// One deserialization failure at `path` (serde_path_to_error's, `.` for the
/// root) with serde's English `message`, said in Chinese.
fn field_error(source: Source, path: &str, message: &str) -> ApiError {
    let root = path.is_empty() || path == ".";
    let join = |field: &str| {
        if root {
            field.to_owned()
        } else {
            format!("{path}.{field}")
        }
    };
    let noun = source.noun();
    // "字段 planId" or, for the body as a whole, "请求内容".
    let subject = if root {
        match source {
            Source::Body => "请求内容".to_owned(),
            _ => noun.to_owned(),
        }
    } else {
        format!("{noun} {path} ")
    };
    let text = if let Some(field) = between(message, "missing field `", "`") {
        format!("缺少必填{noun} {}", join(field))
    } else if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, allowed) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed = allowed_values(allowed);
        if allowed.is_empty() {
            format!("{subject}的值“{value}”无效")
        } else {
            format!("{subject}的值“{value}”无效，可选值：{allowed}")
        }
    } else if let Some(field) = between(message, "unknown field `", "`") {
        format!("不支持的{noun} {}", join(field))
    } else if let Some(field) = between(message, "duplicate field `", "`") {
        format!("{noun} {} 重复", join(field))
    } else if let Some(rest) = message.strip_prefix("invalid type: ") {
        match expected_kind(rest) {
            Some(kind) => format!("{subject}的类型错误（应为{kind}）"),
            None => format!("{subject}的类型错误"),
        }
    } else if message.starts_with("invalid length ") {
        format!("{subject}的长度无效")
    } else if !message.is_ascii() {
        // Our own newtypes speak Chinese already: name the field before it.
        if root {
            message.to_owned()
        } else {
            format!("{noun} {path}：{message}")
        }
    } else {
        match message
            .strip_prefix("invalid value: ")
            .and_then(expected_kind)
        {
            Some(kind) => format!("{subject}的值无效（应为{kind}）"),
            None => format!("{subject}的值无效"),
        }
    };
    ApiError::invalid(INVALID_FIELD, text)
}

/// The text between `start` (at the beginning) and the next `end`.
fn between<'a>(message: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(start)?;
    rest.split_once(end).map(|(v, _)| v)
}

/// `, expected one of `初级`, `中级`, `高级`` (or `expected `a` or `b``,
/// `expected `a``) → `初级、中级、高级`.
fn allowed_values(tail: &str) -> String {
    let Some((_, list)) = tail.split_once("expected ") else {
        return String::new();
    };
    let list = list.strip_prefix("one of ").unwrap_or(list);
    list.split('`')
        .skip(1)
        .step_by(2)
        .collect::<Vec<_>>()
        .join("、")
}

/// The kind of value serde expected (`…, expected u32`), in Chinese.
fn expected_kind(message: &str) -> Option<&'static str> {
    let (_, expected) = message.rsplit_once(", expected ")?;
    let e = expected.trim();
    let integer = [
        "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
    ];
    Some(if integer.contains(&e) || e.contains("integer") {
        "整数"
    } else if e == "f32" || e == "f64" || e.contains("number") {
        "数字"
    } else if e.contains("bool") {
        "true 或 false"
    } else if e.contains("date and time") {
        "日期时间"
    } else if e.contains("date") {
        "日期"
    } else if e.contains("string") || e == "char" {
        "文本"
    } else if e.contains("sequence") || e.contains("tuple") || e.contains("array") {
        "数组"
    } else if e.starts_with("struct ") || e.contains("map") {
        "对象"
    } else {
        return None;
    })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::{parse_json, parse_query};
    use vslc_ports::domain::RecordId;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    enum Level {
        #[serde(rename = "初级")]
        Junior,
        #[serde(rename = "中级")]
        Middle,
        #[serde(rename = "高级")]
        Senior,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Line {
        subject_id: RecordId,
        count: u32,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Input {
        plan_id: RecordId,
        level: Level,
        #[serde(default)]
        lines: Vec<Line>,
        #[serde(default)]
        phone: Option<vslc_ports::domain::Phone>,
    }

    fn message(body: &str) -> (&'static str, String) {
        let e = parse_json::<Input>(body.as_bytes()).unwrap_err();
        (e.code, e.message.into_owned())
    }

    #[test]
    fn body_errors_name_the_field_in_chinese() {
        let m = |b: &str| message(b).1;
        assert_eq!(m(r#"{"level":"初级"}"#), "缺少必填字段 planId");
        assert_eq!(
            m(r#"{"planId":"p","level":"特级"}"#),
            "字段 level 的值“特级”无效，可选值：初级、中级、高级"
        );
        assert_eq!(
            m(r#"{"planId":"","level":"初级"}"#),
            "字段 planId：不能为空"
        );
        assert_eq!(
            m(r#"{"planId":"a\u0000","level":"初级"}"#),
            "字段 planId：不能包含控制字符"
        );
        assert_eq!(
            m(r#"{"planId":3,"level":"初级"}"#),
            "字段 planId 的类型错误（应为文本）"
        );
        assert_eq!(
            m(r#"{"planId":"p","level":"初级","lines":[{"subjectId":"s","count":"x"}]}"#),
            "字段 lines[0].count 的类型错误（应为整数）"
        );
        assert_eq!(
            m(r#"{"planId":"p","level":"初级","lines":[{"count":1}]}"#),
            "缺少必填字段 lines[0].subjectId"
        );
        assert_eq!(
            m(r#"{"planId":"p","level":"初级","lines":[{"subjectId":"s","count":-1}]}"#),
            "字段 lines[0].count 的值无效（应为整数）"
        );
        assert_eq!(
            m(r#"{"planId":"p","level":"初级","phone":"123"}"#),
            "字段 phone：手机号格式不正确，请输入11位手机号"
        );
        assert_eq!(m("3"), "请求内容的类型错误（应为对象）");
        assert_eq!(message(r#"{"level":"初级"}"#).0, "INVALID_FIELD");
    }

    #[test]
    fn syntax_errors_say_the_body_is_not_json() {
        for body in ["{bad", "", r#"{"planId":"p","level":"初级"} x"#] {
            let (code, text) = message(body);
            assert_eq!(code, "BAD_REQUEST");
            assert_eq!(text, "请求内容格式错误：不是有效的 JSON", "{body}");
        }
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Filter {
        certificate_id: RecordId,
        #[serde(default, deserialize_with = "vslc_ports::domain::id::blank_is_none")]
        plan_id: Option<RecordId>,
        level: Option<Level>,
        page: Option<u32>,
    }

    #[test]
    fn query_errors_name_the_parameter() {
        let m = |q: &str| parse_query::<Filter>(q).unwrap_err().message.into_owned();
        assert_eq!(m("level=初级"), "缺少必填查询参数 certificateId");
        assert_eq!(m("certificateId="), "查询参数 certificateId：不能为空");
        assert_eq!(
            m("certificateId=c&planId=%00"),
            "查询参数 planId：不能包含控制字符"
        );
        assert_eq!(
            m("certificateId=c&level=x"),
            "查询参数 level 的值“x”无效，可选值：初级、中级、高级"
        );
        assert_eq!(m("certificateId=c&page=x"), "查询参数 page 的值无效");
        let f = parse_query::<Filter>("certificateId=c&planId=").unwrap();
        assert!(f.plan_id.is_none());
    }
}
