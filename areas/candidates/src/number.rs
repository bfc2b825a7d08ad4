//! 考生编号 (PLATFORM.md §6): the first 6 digits of the ID number (its
//! administrative code, `000000` for documents without one), the enrolment
//! year (4), Unix seconds (10) and a 6-digit sequence — 26 digits.
//!
//! The sequence comes from one platform-wide counter, reserved in blocks with
//! an atomic ADD, so two numbers can only meet if a million were issued within
//! the same second: numbers are unique and never reused.

use vslc_ports::table::{Table, TableError};

/// Reserves `n` sequence values; returns the first.
pub async fn reserve(table: &dyn Table, n: u64) -> Result<u64, TableError> {
    vslc_ports::sequence::reserve(table, "CANDIDATE", n).await
}

/// The number from its parts.
pub fn format(region: &str, year: i32, unix_seconds: i64, sequence: u64) -> String {
    format!(
        "{region:0>6}{year:04}{unix_seconds:010}{:06}",
        sequence % 1_000_000
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_have_26_digits_as_the_manual_shows() {
        let n = super::format("513321", 2021, 1_635_871_875, 143_006);
        assert_eq!(n, "51332120211635871875143006");
        assert_eq!(n.len(), 26);
        assert_eq!(
            super::format("000000", 2026, 1_795_852_800, 2_000_001),
            "00000020261795852800000001"
        );
    }
}
