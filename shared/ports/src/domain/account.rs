//! 账号, 姓名 and 密码 rules.

use serde::{Deserialize, Serialize};

use super::text::normalise;

/// 登录账号: 4–32 letters, digits, `_` or `-`, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccountName(String);

impl AccountName {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = normalise(raw);
        let ok_chars = s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let starts = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if (4..=32).contains(&s.len()) && ok_chars && starts {
            Ok(Self(s))
        } else {
            Err("账号须为4到32位字母、数字、下划线或短横线，并以字母开头")
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 姓名: 1–50 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = normalise(raw);
        if s.is_empty() {
            return Err("姓名不能为空");
        }
        if s.chars().count() > 50 || s.chars().any(char::is_control) {
            return Err("姓名不能超过50个字符");
        }
        Ok(Self(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 8–64 characters with at least one letter and one digit.
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let n = raw.chars().count();
        let letter = raw.chars().any(|c| c.is_ascii_alphabetic());
        let digit = raw.chars().any(|c| c.is_ascii_digit());
        if !(8..=64).contains(&n) || !letter || !digit || raw.chars().any(char::is_whitespace) {
            return Err("密码须为8到64位，且同时包含字母和数字，不能含空格");
        }
        Ok(Self(raw.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A random password that meets the policy (resets, new accounts).
    pub fn random() -> Self {
        use rand::Rng;
        // No 0/O, 1/l/I: read aloud or copied by hand without mistakes.
        const LETTERS: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ";
        const DIGITS: &[u8] = b"23456789";
        let mut rng = rand::rng();
        let mut s: Vec<u8> = (0..10)
            .map(|_| LETTERS[rng.random_range(0..LETTERS.len())])
            .collect();
        for _ in 0..2 {
            let at = rng.random_range(0..s.len());
            s[at] = DIGITS[rng.random_range(0..DIGITS.len())];
        }
        s.push(DIGITS[rng.random_range(0..DIGITS.len())]);
        Self(String::from_utf8(s).expect("ascii"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_hold() {
        assert!(AccountName::parse("kw_admin-2").is_ok());
        assert!(AccountName::parse("ａｄｍｉｎ１").is_ok());
        assert!(AccountName::parse("1admin").is_err());
        assert!(AccountName::parse("abc").is_err());
        assert!(AccountName::parse("张三三三").is_err());
        assert!(PersonName::parse(" 王强三 ").is_ok());
        assert!(PersonName::parse("").is_err());
        assert!(NewPassword::parse("abcd1234").is_ok());
        assert!(NewPassword::parse("abcdefgh").is_err());
        assert!(NewPassword::parse("12345678").is_err());
        assert!(NewPassword::parse("ab1").is_err());
        assert!(NewPassword::parse("abcd 1234").is_err());
        for _ in 0..50 {
            let p = NewPassword::random();
            assert!(NewPassword::parse(p.as_str()).is_ok(), "{}", p.as_str());
        }
    }
}
