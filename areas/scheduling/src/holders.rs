//! Who sits in a seat. A [`Seat`] names its registration and 考生编号
//! only; the candidate's name, ID and photo are read from the
//! registrations of the seats a page or a room shows (by key, in bulk), so
//! 排考 never copies personal data and a list shows what the registration
//! holds.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::model::Seat;
use vslc_ports::domain::{Gender, IdType};
use vslc_ports::table::Key;
use vslc_ports::{AppState, DomainError, mask};
use vslc_registrations::Registration;
use vslc_registrations::model::CandidateSnapshot;

/// A seated candidate as lists show them (ID number masked).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Holder {
    pub candidate_name: String,
    pub gender: Gender,
    pub id_type: IdType,
    /// 证件号码, masked.
    pub id_number: String,
}

impl Holder {
    pub fn masked(c: &CandidateSnapshot) -> Self {
        Self {
            candidate_name: c.name.clone(),
            gender: c.gender,
            id_type: c.id_type,
            id_number: mask::id_number(&c.id_number),
        }
    }
}

/// The part of a registration read here.
#[derive(Deserialize)]
struct Held {
    candidate: CandidateSnapshot,
}

/// Registrations read per bulk get.
const CHUNK: usize = 1000;

/// The candidates of registrations, by registration id, from their keys
/// (a registration gone meanwhile is absent).
pub async fn by_key(
    state: &AppState,
    mut wanted: Vec<(String, Key)>,
) -> Result<HashMap<String, CandidateSnapshot>, DomainError> {
    wanted.sort_by(|a, b| a.0.cmp(&b.0));
    wanted.dedup_by(|a, b| a.0 == b.0);
    let mut out = HashMap::with_capacity(wanted.len());
    for chunk in wanted.chunks(CHUNK) {
        let found = state
            .table
            .get_many_json(chunk.iter().map(|(_, k)| k.clone()).collect())
            .await?;
        for ((id, _), json) in chunk.iter().zip(found) {
            if let Some(json) = json {
                let held: Held = serde_json::from_slice(&json).map_err(DomainError::internal)?;
                out.insert(id.clone(), held.candidate);
            }
        }
    }
    Ok(out)
}

/// The candidates of some seats, by registration id.
pub(crate) async fn of<'a>(
    state: &AppState,
    seats: impl IntoIterator<Item = &'a Seat>,
) -> Result<HashMap<String, CandidateSnapshot>, DomainError> {
    let wanted = seats
        .into_iter()
        .map(|s| {
            let key = Registration::key(&s.school(), &s.plan_id, &s.registration_id);
            (s.registration_id.clone(), key)
        })
        .collect();
    by_key(state, wanted).await
}
