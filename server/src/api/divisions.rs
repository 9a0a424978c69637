//! `GET /api/divisions`: the events of `/api/events` (the same parameters) summed per
//! first-level division: how many, and their reported fatalities. The store sums the events
//! per place in SQL (`Store::place_sums`); a place's division is the gazetteer's (GeoNames'
//! `CC.A1` code, which Natural Earth's admin-1 outlines carry too), so the map shades provinces
//! without loading the events themselves.

use super::error::ApiQuery;
use super::events::reader_query;
use super::query::EventParams;
use super::{ApiError, AppState, blocking};
use crate::store::PlaceSum;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::get;
use axum::{Json, Router};
use gazetteer::Gazetteer;
use std::collections::HashMap;
use vocab::{Division, Divisions};

/// The division routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/api/divisions", get(divisions_index))
}

/// `GET /api/divisions`: the query's events per first-level division, the most events first.
async fn divisions_index(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<EventParams>,
    headers: HeaderMap,
) -> Result<Json<Divisions>, ApiError> {
    let query = reader_query(&params, &headers, &state).await?;
    let pipeline = state.pipeline.clone();
    blocking(move || {
        let mut sums = Sums::new(pipeline.gazetteer());
        for place in query.place_sums(&pipeline)? {
            sums.add(place);
        }
        Ok(Json(sums.finish()))
    })
    .await
}

/// The sums per division as the events are read, with each place's division looked up once.
struct Sums<'g> {
    gazetteer: &'g Gazetteer,
    /// The division of each place met so far (its index in `divisions`), `None` for none.
    of_place: HashMap<i64, Option<usize>>,
    /// The index of each division's code in `divisions`.
    by_code: HashMap<String, usize>,
    divisions: Vec<Division>,
    total: u64,
    outside: u64,
}

impl<'g> Sums<'g> {
    fn new(gazetteer: &'g Gazetteer) -> Self {
        Self {
            gazetteer,
            of_place: HashMap::new(),
            by_code: HashMap::new(),
            divisions: Vec::new(),
            total: 0,
            outside: 0,
        }
    }

    /// Counts the events at one place (a GeoNames id) with their fatalities.
    fn add(&mut self, sum: PlaceSum) {
        self.total += sum.count;
        let division = sum.place.and_then(|id| match self.of_place.get(&id) {
            Some(known) => *known,
            None => {
                let found = self.division_of(id);
                self.of_place.insert(id, found);
                found
            }
        });
        match division {
            Some(i) => {
                let d = &mut self.divisions[i];
                d.count += sum.count;
                d.fatalities += sum.fatalities;
            }
            None => self.outside += sum.count,
        }
    }

    /// The index in `divisions` of a place's division, added when new; `None` for a place
    /// the gazetteer lacks or that lies in no division (a country).
    fn division_of(&mut self, id: i64) -> Option<usize> {
        let place = self.gazetteer.place(u32::try_from(id).ok()?)?;
        if place.admin1.is_empty() || place.country.is_empty() {
            return None;
        }
        let code = format!("{}.{}", place.country, place.admin1);
        if let Some(&i) = self.by_code.get(&code) {
            return Some(i);
        }
        let name = self
            .gazetteer
            .admin1_of(&place)
            .map(|a| a.name.to_string())
            .unwrap_or_default();
        self.divisions.push(Division {
            code: code.clone(),
            name,
            count: 0,
            fatalities: 0,
        });
        self.by_code.insert(code, self.divisions.len() - 1);
        Some(self.divisions.len() - 1)
    }

    /// The answer: the divisions, the most events first (then by code).
    fn finish(mut self) -> Divisions {
        self.divisions
            .sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
        Divisions {
            total: self.total,
            outside: self.outside,
            divisions: self.divisions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_summed_per_division_of_their_place() {
        let gazetteer = Gazetteer::open_default().expect("the shipped gazetteer");
        let mut sums = Sums::new(&gazetteer);
        // Khankendi (Stepanakert) twice, Azerbaijan itself, and an event without a place.
        let at = |place, count, fatalities| PlaceSum {
            place,
            count,
            fatalities,
        };
        sums.add(at(Some(146_970), 2, 3));
        sums.add(at(Some(587_116), 1, 5));
        sums.add(at(None, 1, 1));
        let answer = sums.finish();
        assert_eq!((answer.total, answer.outside), (4, 2));
        let [stepanakert] = answer.divisions.as_slice() else {
            panic!("one division: {:?}", answer.divisions);
        };
        assert!(stepanakert.code.starts_with("AZ."), "{stepanakert:?}");
        assert_eq!((stepanakert.count, stepanakert.fatalities), (2, 3));
    }
}
