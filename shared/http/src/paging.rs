//! Page-numbered lists: `?page=1&pageSize=20` → `{items, total, page, pageSize}`.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use vslc_ports::DomainError;

pub const DEFAULT_PAGE_SIZE: usize = 20;
pub const MAX_PAGE_SIZE: usize = 100;

#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// 1-based page number.
    pub page: Option<usize>,
    /// Rows per page, 1 to 100 (10/20/50/100 in the UI).
    pub page_size: Option<usize>,
}

impl PageParams {
    /// (page, page size) after checking the bounds.
    pub fn resolve(&self) -> Result<(usize, usize), DomainError> {
        let page = self.page.unwrap_or(1);
        let size = self.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
        if page == 0 {
            return Err(DomainError::invalid("BAD_PAGE", "页码须从 1 开始"));
        }
        if size == 0 || size > MAX_PAGE_SIZE {
            return Err(DomainError::invalid(
                "BAD_PAGE_SIZE",
                format!("每页条数须在 1 到 {MAX_PAGE_SIZE} 之间"),
            ));
        }
        Ok((page, size))
    }
}

/// Keyset paging: the `nextCursor` of the previous page.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct CursorParams {
    /// The `nextCursor` of the page before; none for the first page.
    pub cursor: Option<String>,
    /// Rows per page, 1 to 100 (default 20).
    pub page_size: Option<usize>,
}

impl CursorParams {
    /// The page size after checking its bounds.
    pub fn size(&self) -> Result<usize, DomainError> {
        Ok(PageParams {
            page: None,
            page_size: self.page_size,
        }
        .resolve()?
        .1)
    }
}

/// One keyset page, `{items, total, nextCursor}`: the list's order from
/// the cursor on; `total` only where counters answer it, else null (the
/// pager then shows 上一页 / 下一页 without it).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CursorPage<T> {
    pub items: Vec<T>,
    pub total: Option<u64>,
    /// Where the next page starts; none on the last page.
    pub next_cursor: Option<String>,
}

/// A page of a list without counters: the records and where the next page
/// starts, as `vslc_ports::keyset::scan` answers them.
impl<T> From<(Vec<T>, Option<String>)> for CursorPage<T> {
    fn from((items, next_cursor): (Vec<T>, Option<String>)) -> Self {
        Self {
            items,
            total: None,
            next_cursor,
        }
    }
}

impl<T: serde::de::DeserializeOwned> CursorPage<T> {
    /// The page `paging` asks for of a list that is one partition (of the
    /// table or an index), read in `query`'s order, keeping the records
    /// `keep` accepts (`vslc_ports::keyset::scan`).
    pub async fn scan(
        table: &dyn vslc_ports::Table,
        query: vslc_ports::table::Query,
        paging: &CursorParams,
        keep: impl Fn(&T) -> bool,
    ) -> Result<Self, DomainError> {
        let size = paging.size()?;
        let found =
            vslc_ports::keyset::scan(table, query, paging.cursor.as_deref(), size, keep).await?;
        Ok(found.into())
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: usize,
    pub page: usize,
    pub page_size: usize,
}

impl<T> Paged<T> {
    /// Cuts one page out of every matching row (already filtered and sorted).
    pub fn of(all: Vec<T>, params: &PageParams) -> Result<Self, DomainError> {
        let (page, page_size) = params.resolve()?;
        let total = all.len();
        let items = all
            .into_iter()
            // A page far past the end (page=2^62) is simply empty.
            .skip((page - 1).saturating_mul(page_size))
            .take(page_size)
            .collect();
        Ok(Self {
            items,
            total,
            page,
            page_size,
        })
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Paged<U> {
        Paged {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            page_size: self.page_size,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cut_and_bounds_hold() {
        let p = PageParams {
            page: Some(2),
            page_size: Some(3),
        };
        let got = Paged::of((1..=8).collect::<Vec<_>>(), &p).unwrap();
        assert_eq!(
            (got.items, got.total, got.page, got.page_size),
            (vec![4, 5, 6], 8, 2, 3)
        );
        let beyond = Paged::of(
            vec![1],
            &PageParams {
                page: Some(5),
                page_size: None,
            },
        )
        .unwrap();
        assert!(beyond.items.is_empty());
        let far = PageParams {
            page: Some(usize::MAX / 3),
            page_size: Some(20),
        };
        assert!(Paged::of(vec![1, 2], &far).unwrap().items.is_empty());
        assert!(
            PageParams {
                page: Some(0),
                page_size: None
            }
            .resolve()
            .is_err()
        );
        assert!(
            PageParams {
                page: None,
                page_size: Some(101)
            }
            .resolve()
            .is_err()
        );
    }
}
