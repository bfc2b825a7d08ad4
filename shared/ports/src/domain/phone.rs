//! 手机号: mainland mobile numbers (11 digits, 1[3-9]…).

use serde::{Deserialize, Serialize};

use super::text::normalise;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Parses after normalising; the error is the message to show.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = normalise(raw);
        let s = s.strip_prefix("+86").map(str::trim).unwrap_or(&s);
        let digits = s.len() == 11 && s.bytes().all(|b| b.is_ascii_digit());
        let prefix =
            s.as_bytes().first() == Some(&b'1') && matches!(s.as_bytes().get(1), Some(b'3'..=b'9'));
        if digits && prefix {
            Ok(Self(s.to_owned()))
        } else if s.is_empty() {
            Err("手机号不能为空")
        } else {
            Err("手机号格式不正确，请输入11位手机号")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `185****0926`.
    pub fn masked(&self) -> String {
        crate::mask::phone(&self.0)
    }
}

impl TryFrom<String> for Phone {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> Self {
        p.0
    }
}

impl std::fmt::Display for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Phone;

    #[test]
    fn mobiles_parse_after_normalising() {
        assert_eq!(
            Phone::parse("１８５１２３４０９２６").unwrap().as_str(),
            "18512340926"
        );
        assert_eq!(
            Phone::parse("+86 13800138000").unwrap().as_str(),
            "13800138000"
        );
        assert_eq!(Phone::parse("18512340926").unwrap().masked(), "185****0926");
        assert!(Phone::parse("12812340926").is_err());
        assert!(Phone::parse("1851234092").is_err());
        assert!(Phone::parse("1851234092a").is_err());
        assert_eq!(Phone::parse(" "), Err("手机号不能为空"));
    }
}
