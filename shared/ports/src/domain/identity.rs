//! 证件: the four document types a candidate may register with, parsed (not
//! merely validated) from normalised input.
//!
//! - 身份证 (GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit
//!   sequence (odd: male), ISO 7064 MOD 11-2 check character (0–9 or X).
//! - 港澳台居民居住证: the same structure with address code 810000 (Hong Kong),
//!   820000 (Macao) or 830000 (Taiwan).
//! - 港澳居民来往内地通行证: H or M followed by 8 (or 10) digits.
//! - 护照: 5–17 letters and digits with at least one digit.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::text::normalise;

/// 证件类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum IdType {
    #[serde(rename = "身份证")]
    ResidentId,
    #[serde(rename = "港澳台居民居住证")]
    ResidencePermit,
    #[serde(rename = "港澳居民来往内地通行证")]
    HomeReturnPermit,
    #[serde(rename = "护照")]
    Passport,
}

impl IdType {
    pub const ALL: [IdType; 4] = [
        IdType::ResidentId,
        IdType::ResidencePermit,
        IdType::HomeReturnPermit,
        IdType::Passport,
    ];

    pub fn label(self) -> &'static str {
        match self {
            IdType::ResidentId => "身份证",
            IdType::ResidencePermit => "港澳台居民居住证",
            IdType::HomeReturnPermit => "港澳居民来往内地通行证",
            IdType::Passport => "护照",
        }
    }

    pub fn from_label(s: &str) -> Option<Self> {
        let s = normalise(s);
        Self::ALL
            .into_iter()
            .find(|t| t.label() == s || (s == "居民身份证" && *t == IdType::ResidentId))
    }
}

/// 性别.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum Gender {
    #[serde(rename = "男")]
    Male,
    #[serde(rename = "女")]
    Female,
}

impl Gender {
    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
    pub fn from_label(s: &str) -> Option<Self> {
        match normalise(s).as_str() {
            "男" => Some(Gender::Male),
            "女" => Some(Gender::Female),
            _ => None,
        }
    }
}

/// A parsed document: its type, canonical number and what the number tells.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdDocument {
    pub id_type: IdType,
    pub number: String,
    /// From the number, for 身份证 and 居住证.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
}

/// Province-level codes that begin a 身份证 address code.
const PROVINCES: [&str; 32] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
];

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [u8; 11] = *b"10X98765432";

/// The ISO 7064 MOD 11-2 check character of the first 17 digits.
pub fn check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

/// Parses an 18-character number of the 身份证 structure; `label` names the
/// document in messages.
fn parse_eighteen(s: &str, label: &str, today: NaiveDate) -> Result<(NaiveDate, Gender), String> {
    let b = s.as_bytes();
    if b.len() != 18 {
        return Err(format!("{label}号码应为18位"));
    }
    if !b[..17].iter().all(u8::is_ascii_digit) || !(b[17].is_ascii_digit() || b[17] == b'X') {
        return Err(format!("{label}号码只能由数字和末位的X组成"));
    }
    // The digits are checked above; read them without a format parser.
    let num =
        |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    let date = NaiveDate::from_ymd_opt(num(6..10) as i32, num(10..12), num(12..14))
        .ok_or_else(|| "出生日期不存在".to_string())?;
    if date > today || date < NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid") {
        return Err("出生日期不存在".into());
    }
    if check_char(&b[..17]) != b[17] {
        return Err(format!("{label}号码校验位错误"));
    }
    let gender = if (b[16] - b'0') % 2 == 1 {
        Gender::Male
    } else {
        Gender::Female
    };
    Ok((date, gender))
}

impl IdDocument {
    /// Parses `raw` as a document of `id_type`, as of `today` (birth dates in
    /// the future do not exist). Input is normalised first: trimmed, full-width
    /// made half-width, letters upper-cased (lowercase x becomes X).
    pub fn parse(id_type: IdType, raw: &str, today: NaiveDate) -> Result<Self, String> {
        let s: String = normalise(raw)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if s.is_empty() {
            return Err("证件号码不能为空".into());
        }
        let (birth_date, gender) = match id_type {
            IdType::ResidentId => {
                let (d, g) = parse_eighteen(&s, "身份证", today)?;
                if !PROVINCES.contains(&&s[..2]) {
                    return Err("身份证号码地区码无效".into());
                }
                (Some(d), Some(g))
            }
            IdType::ResidencePermit => {
                if !matches!(s.get(..6), Some("810000" | "820000" | "830000")) {
                    return Err("港澳台居民居住证号码须以810000、820000或830000开头".into());
                }
                let (d, g) = parse_eighteen(&s, "居住证", today)?;
                (Some(d), Some(g))
            }
            IdType::HomeReturnPermit => {
                let b = s.as_bytes();
                let ok = matches!(b.first(), Some(b'H' | b'M'))
                    && matches!(b.len(), 9 | 11)
                    && b[1..].iter().all(u8::is_ascii_digit);
                if !ok {
                    return Err("港澳居民来往内地通行证号码应为H或M加8位（或10位）数字".into());
                }
                (None, None)
            }
            IdType::Passport => {
                let ok = (5..=17).contains(&s.len())
                    && s.chars().all(|c| c.is_ascii_alphanumeric())
                    && s.chars().any(|c| c.is_ascii_digit());
                if !ok {
                    return Err("护照号码应为5到17位字母和数字".into());
                }
                (None, None)
            }
        };
        Ok(Self {
            id_type,
            number: s,
            birth_date,
            gender,
        })
    }

    /// `513*****0013`.
    pub fn masked(&self) -> String {
        crate::mask::id_number(&self.number)
    }

    /// The 6-digit administrative code that starts a 考生编号: the number's
    /// own for 身份证 and 居住证, `000000` for documents without one.
    pub fn region_code(&self) -> &str {
        match self.id_type {
            IdType::ResidentId | IdType::ResidencePermit => &self.number[..6],
            IdType::HomeReturnPermit | IdType::Passport => "000000",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn id(raw: &str) -> Result<IdDocument, String> {
        IdDocument::parse(IdType::ResidentId, raw, today())
    }

    /// The first 17 characters of a number with their check character.
    fn with_check(first: &str) -> String {
        format!("{first}{}", check_char(first.as_bytes()) as char)
    }

    #[test]
    fn valid_resident_ids_parse_with_birth_date_and_gender() {
        // The standard's own example, with check character X.
        let d = id("11010519491231002X").unwrap();
        assert_eq!(d.birth_date, NaiveDate::from_ymd_opt(1949, 12, 31));
        assert_eq!(d.gender, Some(Gender::Female));
        let d = id("440524188001010014").unwrap_err();
        assert_eq!(d, "出生日期不存在", "before 1900");
        let d = id("513321200001010014").unwrap();
        assert_eq!(d.gender, Some(Gender::Male));
        assert_eq!(d.masked(), "513*****0014");
        assert_eq!(d.region_code(), "513321");
    }

    #[test]
    fn check_characters_compute_as_iso_7064() {
        // Check characters computed independently of this code.
        for valid in [
            "11010519491231002X",
            "513321200001010014",
            "320106199108171231",
            "44030619880229004X",
            "110105200002290013",
        ] {
            assert!(id(valid).is_ok(), "{valid}");
            assert_eq!(check_char(&valid.as_bytes()[..17]), valid.as_bytes()[17]);
        }
        assert!(IdDocument::parse(IdType::ResidencePermit, "810000199001010019", today()).is_ok());
    }

    #[test]
    fn leap_days_exist_only_in_leap_years() {
        let leap = with_check("11010520000229001");
        assert!(id(&leap).is_ok(), "2000-02-29 exists");
        let not_leap = with_check("11010519000229001");
        assert_eq!(
            id(&not_leap).unwrap_err(),
            "出生日期不存在",
            "1900 was not a leap year"
        );
        let y2023 = with_check("11010520230229001");
        assert_eq!(id(&y2023).unwrap_err(), "出生日期不存在");
    }

    #[test]
    fn bad_resident_ids_say_why() {
        assert_eq!(
            id("110105194912310021").unwrap_err(),
            "身份证号码校验位错误"
        );
        assert_eq!(id("11010519491231002").unwrap_err(), "身份证号码应为18位");
        assert_eq!(
            id("1101051949123100AX").unwrap_err(),
            "身份证号码只能由数字和末位的X组成"
        );
        assert_eq!(id("110105194913310020").unwrap_err(), "出生日期不存在");
        let future = with_check("11010520300101001");
        assert_eq!(id(&future).unwrap_err(), "出生日期不存在");
        let region = with_check("99010519491231002");
        assert_eq!(id(&region).unwrap_err(), "身份证号码地区码无效");
        assert_eq!(id("  ").unwrap_err(), "证件号码不能为空");
    }

    #[test]
    fn input_is_normalised_before_parsing() {
        assert_eq!(
            id("１１０１０５１９４９１２３１００２ｘ").unwrap().number,
            "11010519491231002X"
        );
        assert_eq!(
            id(" 11010519491231002x ").unwrap().number,
            "11010519491231002X"
        );
    }

    #[test]
    fn residence_permits_use_the_same_check_with_their_prefixes() {
        let hk = with_check("81000019900101001");
        let permit = IdDocument::parse(IdType::ResidencePermit, &hk, today()).unwrap();
        assert_eq!(permit.gender, Some(Gender::Male));
        let tw = with_check("83000019851231002");
        assert_eq!(
            IdDocument::parse(IdType::ResidencePermit, &tw, today())
                .unwrap()
                .gender,
            Some(Gender::Female)
        );
        let wrong_prefix = with_check("81010019900101001");
        assert!(
            IdDocument::parse(IdType::ResidencePermit, &wrong_prefix, today())
                .unwrap_err()
                .contains("810000")
        );
        let mut bad = hk.clone();
        bad.replace_range(17..18, if hk.ends_with('0') { "1" } else { "0" });
        assert_eq!(
            IdDocument::parse(IdType::ResidencePermit, &bad, today()).unwrap_err(),
            "居住证号码校验位错误"
        );
        // A resident ID is not a residence permit, and the other way round.
        assert!(IdDocument::parse(IdType::ResidentId, &hk, today()).is_err());
    }

    #[test]
    fn home_return_permits_and_passports_have_their_own_formats() {
        let p = |t, s: &str| IdDocument::parse(t, s, today());
        assert_eq!(
            p(IdType::HomeReturnPermit, "h12345678").unwrap().number,
            "H12345678"
        );
        assert!(p(IdType::HomeReturnPermit, "M1234567890").is_ok());
        assert!(p(IdType::HomeReturnPermit, "C12345678").is_err());
        assert!(p(IdType::HomeReturnPermit, "H1234567").is_err());
        assert_eq!(
            p(IdType::Passport, "e12345678").unwrap().number,
            "E12345678"
        );
        assert!(p(IdType::Passport, "EA1234567").is_ok());
        assert!(p(IdType::Passport, "ABCDEFG").is_err(), "needs a digit");
        assert!(p(IdType::Passport, "E1234-5678").is_err());
        assert_eq!(
            p(IdType::Passport, "E12345678").unwrap().region_code(),
            "000000"
        );
        assert_eq!(IdType::from_label("居民身份证"), Some(IdType::ResidentId));
        assert_eq!(IdType::from_label("护照"), Some(IdType::Passport));
    }
}
