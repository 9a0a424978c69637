//! The answer of `/api/divisions`: the events of a query summed per first-level division
//! (province, state, oblast), each named by its GeoNames code `CC.A1` (`AZ.64`), as the map's
//! shading by division and Natural Earth's admin-1 outlines (`gn_a1_code`) spell it.

use serde::{Deserialize, Serialize};

/// A query's events per first-level division.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Divisions {
    /// How many events the query selects, in a division or not.
    pub total: u64,
    /// How many of them lie in no known division (placed on a country, or unplaced).
    pub outside: u64,
    /// The divisions that hold events, the most events first.
    pub divisions: Vec<Division>,
}

/// One first-level division and its events' sums.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Division {
    /// GeoNames' code: the country's ISO 3166-1 alpha-2 code, a dot, the admin-1 code.
    pub code: String,
    /// The division's English name, as the gazetteer has it.
    pub name: String,
    /// How many events lie in it.
    pub count: u64,
    /// The sum of its events' reported fatalities.
    pub fatalities: u64,
}
