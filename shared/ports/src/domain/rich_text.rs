//! 富文本 (申报情况, 周报内容): HTML from the browser's editor, kept only
//! after sanitising — scripts, event handlers, styles and foreign URLs
//! schemes are removed, so the stored text is safe to render as HTML.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Sanitised HTML, at most `MAX_CHARS` characters of input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
pub struct RichText(String);

impl RichText {
    pub const MAX_CHARS: usize = 20_000;

    /// Parses the editor's HTML; `what` names the field in the message.
    pub fn parse(html: &str, what: &str) -> Result<Self, String> {
        if html.chars().count() > Self::MAX_CHARS {
            return Err(format!("{what}不能超过{}个字符", Self::MAX_CHARS));
        }
        let clean = ammonia::Builder::default()
            .link_rel(Some("noopener noreferrer"))
            .clean(html)
            .to_string();
        Ok(Self(clean.trim().to_owned()))
    }

    /// The text without tags, for emptiness checks and exports.
    pub fn plain(&self) -> String {
        let text = ammonia::Builder::empty().clean(&self.0).to_string();
        text.replace("&nbsp;", " ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
            .trim()
            .to_owned()
    }

    pub fn is_blank(&self) -> bool {
        self.plain().is_empty()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_are_removed_formatting_kept() {
        let t = RichText::parse(
            r#"<p onclick="steal()">师资<b>充足</b><script>alert(1)</script></p><a href="javascript:x()">x</a><img src=x onerror=alert(1)>"#,
            "申报情况",
        )
        .unwrap();
        let s = t.as_str();
        assert!(s.contains("<b>充足</b>"), "{s}");
        assert!(!s.contains("script") && !s.contains("onclick") && !s.contains("onerror"));
        assert!(!s.contains("javascript:"), "{s}");
        assert_eq!(t.plain(), "师资充足x");
    }

    #[test]
    fn blank_markup_is_blank_and_length_is_capped() {
        assert!(RichText::parse("<p><br></p>", "内容").unwrap().is_blank());
        let long = "字".repeat(RichText::MAX_CHARS + 1);
        assert_eq!(
            RichText::parse(&long, "内容").unwrap_err(),
            "内容不能超过20000个字符"
        );
    }
}
