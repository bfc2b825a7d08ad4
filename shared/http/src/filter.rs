//! List filters as the search forms send them: blank means "any".

/// A text field matches when the query is blank, or when the field contains
/// it (trimmed, ignoring ASCII case): 姓名 "王" finds 王强三.
pub fn text(field: &str, query: Option<&str>) -> bool {
    match query.map(str::trim).filter(|q| !q.is_empty()) {
        None => true,
        Some(q) => field.to_lowercase().contains(&q.to_lowercase()),
    }
}

/// A closed-set field (status, level) matches when the query is blank or equal.
pub fn exact(field: &str, query: Option<&str>) -> bool {
    query
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .is_none_or(|q| field == q)
}

#[cfg(test)]
mod tests {
    #[test]
    fn blank_queries_match_everything() {
        assert!(super::text("王强三", None));
        assert!(super::text("王强三", Some("  ")));
        assert!(super::text("王强三", Some("强")));
        assert!(super::text("Health", Some("health")));
        assert!(!super::text("王强三", Some("李")));
        assert!(super::exact("已完成", Some("已完成")));
        assert!(!super::exact("已完成", Some("失败")));
        assert!(super::exact("已完成", Some("")));
    }
}
