//! What registrations learn of 排考: whether each holds a seat (报考状态
//! 待考试 and after), from its seat rows by key — one read of a page's
//! registrations' subjects, never the school's seats.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;

use crate::model::Seat;
use vslc_accounts::Tenant;
use vslc_payments::service::Orders;
use vslc_ports::{AppState, DomainError};
use vslc_registrations::Registration;
use vslc_registrations::service::{OrderBook, OrderRef};

/// The orders (as the payments area answers) and the seats: the book the
/// registration list is read with.
pub struct Seats;

#[async_trait]
impl OrderBook for Seats {
    async fn orders_named(
        &self,
        state: &AppState,
        school: &Tenant,
        nos: Vec<String>,
    ) -> Result<HashMap<String, OrderRef>, DomainError> {
        Orders.orders_named(state, school, nos).await
    }

    async fn seated(
        &self,
        state: &AppState,
        school: &Tenant,
        regs: &[&Registration],
    ) -> Result<HashSet<String>, DomainError> {
        // (registration, the key of its seat row for one of its subjects).
        let wanted: Vec<(&str, _)> = regs
            .iter()
            .flat_map(|r| {
                r.subjects.iter().map(move |s| {
                    let key = Seat::school_key(school, &r.plan_id, &s.subject_id, &r.id);
                    (r.id.as_str(), key)
                })
            })
            .collect();
        let mut out = HashSet::new();
        for chunk in wanted.chunks(5000) {
            let keys = chunk.iter().map(|(_, k)| k.clone()).collect();
            let found = state.table.get_many_json(keys).await?;
            for ((id, _), f) in chunk.iter().zip(found) {
                if f.is_some() {
                    out.insert((*id).to_owned());
                }
            }
        }
        Ok(out)
    }
}
