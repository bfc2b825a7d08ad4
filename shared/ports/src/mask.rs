//! Masking of identity numbers and phones in lists and exports
//! (`513*****0013`, `185****0926`).

/// Keeps the first 3 and last 4 characters of an ID number.
pub fn id_number(s: &str) -> String {
    keep_ends(s, 3, 4, 5)
}

/// Keeps the first 3 and last 4 digits of a phone number.
pub fn phone(s: &str) -> String {
    keep_ends(s, 3, 4, 4)
}

/// `head` and `tail` characters kept with `stars` asterisks between; short
/// values are hidden except their last character.
fn keep_ends(s: &str, head: usize, tail: usize, stars: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= head + tail {
        return match chars.last() {
            Some(c) if chars.len() > 1 => format!("{}{c}", "*".repeat(chars.len() - 1)),
            _ => "*".repeat(chars.len()),
        };
    }
    let start: String = chars[..head].iter().collect();
    let end: String = chars[chars.len() - tail..].iter().collect();
    format!("{start}{}{end}", "*".repeat(stars))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_as_the_manual_shows() {
        assert_eq!(id_number("513321199001010013"), "513*****0013");
        assert_eq!(phone("18512340926"), "185****0926");
        assert_eq!(phone("123"), "**3");
        assert_eq!(phone(""), "");
    }
}
