//! The first-level division of each exported event's place, read from the gazetteer once a
//! place: an export of 100,000 events on a few thousand places asks it a few thousand times.

use gazetteer::Gazetteer;
use std::collections::HashMap;

/// The names of the divisions of the places seen so far.
pub(super) struct DivisionNames<'g> {
    gazetteer: &'g Gazetteer,
    known: HashMap<i64, String>,
}

impl<'g> DivisionNames<'g> {
    /// Names read from `gazetteer`.
    pub(super) fn new(gazetteer: &'g Gazetteer) -> Self {
        Self {
            gazetteer,
            known: HashMap::new(),
        }
    }

    /// The usual English name of the division that holds the place with GeoNames id `place`;
    /// empty for no place, a place the gazetteer lacks, or one in no division (a country).
    pub(super) fn of(&mut self, place: Option<i64>) -> String {
        let Some(id) = place else {
            return String::new();
        };
        let gazetteer = self.gazetteer;
        self.known
            .entry(id)
            .or_insert_with(|| {
                u32::try_from(id)
                    .ok()
                    .and_then(|id| gazetteer.place(id))
                    .and_then(|p| gazetteer.admin1_of(&p))
                    .map(|a| a.display_name().to_owned())
                    .unwrap_or_default()
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_is_named_with_its_division_and_a_country_with_none() {
        let gazetteer = Gazetteer::open_default().expect("the shipped gazetteer");
        let mut names = DivisionNames::new(&gazetteer);
        // Sacramento (GeoNames 5389489) lies in California.
        assert_eq!(names.of(Some(5_389_489)), "California");
        assert_eq!(
            names.of(Some(5_389_489)),
            "California",
            "asked again, from memory"
        );
        // The United States (6252001) lie in no division.
        assert_eq!(names.of(Some(6_252_001)), "");
        assert_eq!(names.of(None), "");
        assert_eq!(names.of(Some(-1)), "");
    }
}
