//! Input normalisation applied before any parsing: trimmed, full-width
//! digits, letters and common punctuation made half-width (what Chinese IMEs
//! type), the ideographic space made a plain space.

/// Full-width ASCII (U+FF01–U+FF5E) to half-width; U+3000 to a space; trimmed.
pub fn normalise(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn full_width_becomes_half_width() {
        assert_eq!(super::normalise("　１８５１２３４０９２６ "), "18512340926");
        assert_eq!(super::normalise("ＡＢｃ＿１"), "ABc_1");
        assert_eq!(super::normalise("张三"), "张三");
    }
}
