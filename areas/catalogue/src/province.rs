//! 省级行政区 (GB/T 2260 codes): a school's profile names its province; the
//! province tenant is keyed by the code.

const PROVINCES: &[(&str, &str)] = &[
    ("110000", "北京市"),
    ("120000", "天津市"),
    ("130000", "河北省"),
    ("140000", "山西省"),
    ("150000", "内蒙古自治区"),
    ("210000", "辽宁省"),
    ("220000", "吉林省"),
    ("230000", "黑龙江省"),
    ("310000", "上海市"),
    ("320000", "江苏省"),
    ("330000", "浙江省"),
    ("340000", "安徽省"),
    ("350000", "福建省"),
    ("360000", "江西省"),
    ("370000", "山东省"),
    ("410000", "河南省"),
    ("420000", "湖北省"),
    ("430000", "湖南省"),
    ("440000", "广东省"),
    ("450000", "广西壮族自治区"),
    ("460000", "海南省"),
    ("500000", "重庆市"),
    ("510000", "四川省"),
    ("520000", "贵州省"),
    ("530000", "云南省"),
    ("540000", "西藏自治区"),
    ("610000", "陕西省"),
    ("620000", "甘肃省"),
    ("630000", "青海省"),
    ("640000", "宁夏回族自治区"),
    ("650000", "新疆维吾尔自治区"),
    ("660000", "新疆生产建设兵团"),
];

/// Every province code.
pub fn codes() -> impl Iterator<Item = &'static str> {
    PROVINCES.iter().map(|(code, _)| *code)
}

/// The code of a province named in a school profile.
pub fn code_of(name: &str) -> Option<&'static str> {
    let name = name.trim();
    PROVINCES
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(code, _)| *code)
}

/// The name of a province code.
pub fn name_of(code: &str) -> Option<&'static str> {
    PROVINCES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_codes_map_both_ways() {
        assert_eq!(code_of("北京市"), Some("110000"));
        assert_eq!(code_of(" 广东省 "), Some("440000"));
        assert_eq!(code_of("北京"), None);
        assert_eq!(name_of("510000"), Some("四川省"));
        for (code, name) in PROVINCES {
            assert_eq!(code_of(name), Some(*code));
        }
    }
}
