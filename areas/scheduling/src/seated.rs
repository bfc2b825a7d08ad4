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
        let mut owners = Vec::new();
        let mut keys = Vec::new();
        for r in regs {
            for s in &r.subjects {
                owners.push(r.id.clone());
                keys.push(Seat::school_key(school, &r.plan_id, &s.subject_id, &r.id));
            }
        }
        let mut out = HashSet::new();
        for chunk in (0..keys.len()).collect::<Vec<_>>().chunks(5000) {
            let part: Vec<_> = chunk.iter().map(|&i| keys[i].clone()).collect();
            let found = state.table.get_many_json(part).await?;
            for (&i, f) in chunk.iter().zip(found) {
                if f.is_some() {
                    out.insert(owners[i].clone());
                }
            }
        }
        Ok(out)
    }
}
