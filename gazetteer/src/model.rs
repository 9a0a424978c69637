//! The values the gazetteer hands out: places, candidates, mentions and the features of their
//! scores.

use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// A place of the gazetteer, as a plain value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// GeoNames id (synthetic ids of karta's own rows start at 900,000,000).
    pub id: u32,
    /// The place's main name.
    pub name: CompactString,
    /// Its usual English name where `name` is not it («Stepanakert» for GeoNames'
    /// «Khankendi», «Aleppo» for the governorate «Ḩalab»), else empty: see
    /// [`Place::display_name`].
    #[serde(default, skip_serializing_if = "CompactString::is_empty")]
    pub english: CompactString,
    /// Latitude in degrees (WGS 84).
    pub lat: f64,
    /// Longitude in degrees (WGS 84).
    pub lon: f64,
    /// GeoNames feature class: `A` (country, region), `P` (populated place), `L` (area), ….
    pub feature_class: char,
    /// GeoNames feature code: `PCLI`, `ADM1`, `PPLC`, `PPL`, `CONT`, `RGN`, ….
    pub feature_code: CompactString,
    /// ISO 3166-1 alpha-2 country code, empty for places in no country (continents).
    pub country: CompactString,
    /// GeoNames first-level administrative code within the country (`09`, `KY`), may be empty.
    pub admin1: CompactString,
    /// Population, 0 when unknown.
    pub population: u64,
}

impl Place {
    /// The name to show people: the usual English name, else the main name. One spelling for
    /// every text, whatever its language (the words a text wrote stay with its mention).
    pub fn display_name(&self) -> &str {
        if self.english.is_empty() {
            &self.name
        } else {
            &self.english
        }
    }

    /// The place's longitude and latitude.
    pub fn point(&self) -> geo::Point {
        geo::Point::new(self.lon, self.lat)
    }

    /// The coarse kind of the place, derived from its feature class and code.
    pub fn kind(&self) -> PlaceKind {
        PlaceKind::from_feature(self.feature_class, &self.feature_code)
    }
}

/// What kind of place a feature is, coarser than GeoNames' feature codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// A continent.
    Continent,
    /// A country or dependent territory.
    Country,
    /// A first-level subdivision (state, province, oblast).
    Admin1,
    /// A second-level subdivision (county, district, parish).
    Admin2,
    /// A region that is no administrative unit (Karabakh, Donbas, Darfur), or a named natural
    /// feature that news locate things by: a sea, a river, a mountain or range, an island, a
    /// desert (the Black Sea, the Araxes, Mont Blanc, Borneo).
    Region,
    /// A country's capital.
    Capital,
    /// Any other populated place.
    City,
    /// Anything else (farms, buildings, small features, …).
    Other,
}

impl PlaceKind {
    /// Maps a GeoNames feature class and code to a kind.
    pub fn from_feature(class: char, code: &str) -> Self {
        match (class, code) {
            ('L', "CONT") => Self::Continent,
            ('A', c) if c.starts_with("PCL") || c == "TERR" => Self::Country,
            ('A', "ADM1") => Self::Admin1,
            ('A', "ADM2") => Self::Admin2,
            ('L' | 'A', "RGN" | "RGNH" | "ZN" | "TERRI") => Self::Region,
            ('H', "SEA" | "OCN" | "GULF" | "STRT" | "STM" | "LK")
            | ('T', "MT" | "MTS" | "ISL" | "ISLS" | "DSRT" | "PEN" | "PLAT") => Self::Region,
            ('P', "PPLC") => Self::Capital,
            ('P', _) => Self::City,
            _ => Self::Other,
        }
    }
}

/// How a name belongs to a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    /// The place's main name in the gazetteer.
    Main,
    /// An alternate or translated name.
    Alternate,
    /// A short name marked as such by GeoNames.
    Short,
    /// An abbreviation (`Ky.`, `U.S.`, `AZ`).
    Abbreviation,
    /// A historic name.
    Historic,
    /// A colloquial name.
    Colloquial,
    /// A demonym or adjective that stands for a country (`arménien`, `Syrians`).
    Demonym,
}

/// One gazetteer entry that a name may refer to, with how likely it is before context.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The place.
    pub place: Place,
    /// How the matched name belongs to this place.
    pub name_kind: NameKind,
    /// Language tag of the matched name, empty when unknown.
    pub lang: CompactString,
    /// Prior probability in [0, 1] that the name means this place, before context.
    pub prior: f64,
    /// Score in [0, 1] after context (equals `prior` from [`crate::Gazetteer::lookup`]).
    pub score: f64,
}

/// What a recognised span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    /// A place name.
    Toponym,
    /// A demonym or adjective standing for a country (`azerbaïdjanais`, `Syrians`).
    Demonym,
    /// A place name inside an organisation's name (`Groupe de Minsk de l'OSCE`): not a place
    /// the text is about. Only returned when [`GeoparseOptions::keep_organisations`] is set.
    InOrganisation,
}

/// A place mentioned in a text and the place it resolved to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// Byte offsets in the text, end exclusive.
    pub bytes: Range<usize>,
    /// Unicode code-point offsets in the text, end exclusive.
    pub chars: Range<usize>,
    /// The text of the span.
    pub text: String,
    /// What the span is.
    pub kind: MentionKind,
    /// The chosen place.
    pub place: Place,
    /// Calibrated confidence in [0, 1] that the span is a place and that `place` is right.
    pub score: f64,
    /// The runner-up candidates, best first.
    pub alternatives: Vec<Candidate>,
    /// What the score was computed from, among which the probability that the span names a
    /// place at all (`recognition`) and that `place` is the right one (`resolution`).
    pub features: Features,
}

/// Options of [`crate::Gazetteer::geoparse`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeoparseOptions {
    /// ISO 639-1 language of the text (`fr`, `en`); `None` lets the geoparser guess.
    pub lang: Option<String>,
    /// How many runner-up candidates each mention keeps.
    pub max_alternatives: usize,
    /// Also return place names found inside organisation names, marked as such.
    pub keep_organisations: bool,
    /// Drop mentions whose score is below this. The default, 0.1, drops what is right less than
    /// one time in seven; 0 keeps every candidate span.
    pub min_score: f64,
}

impl Default for GeoparseOptions {
    fn default() -> Self {
        Self {
            lang: None,
            max_alternatives: 3,
            keep_organisations: false,
            min_score: 0.1,
        }
    }
}

/// What the score of a mention is computed from: the input of the calibrated model
/// ([`Features::vector`], [`Features::score`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Features {
    /// Probability from the recognition rules that the span is a place name.
    pub recognition: f64,
    /// Probability from the resolution vote that the chosen place is the right one (its own and
    /// that of the candidates at the same place: a city and the division of its name around it).
    pub resolution: f64,
    /// log10 of the chosen place's importance (population or its stand-in).
    pub log_importance: f64,
    /// Support of the chosen place's country by the text's other names.
    pub country_support: f64,
    /// Support of the chosen place's first-level division by the text's other names.
    pub admin1_support: f64,
    /// Support of the chosen place's neighbourhood (within about 100 km) by the text's other
    /// names.
    #[serde(default)]
    pub near_support: f64,
    /// The span is a demonym.
    pub demonym: bool,
    /// The span has more than one word.
    pub multiword: bool,
    /// The span starts a sentence.
    pub sentence_start: bool,
    /// The span is a common word of the language.
    pub common: bool,
    /// The span is also a personal name.
    pub person_name: bool,
    /// Other capitalised words touch the span.
    pub in_name: bool,
    /// The name matched only as an alternate name of unknown language.
    pub untagged_alternate: bool,
    /// The chosen place's kind.
    pub kind: PlaceKind,
    /// How many times the same name occurs in the text.
    pub repeats: usize,
    /// Median distance in km from the chosen place to the places chosen for the text's other
    /// names, none to a country or first-level division that holds it or that it holds; `None`
    /// when the text has no other name.
    pub distance_to_others: Option<f64>,
    /// The chosen place's prior among the name's candidates, before the document voted (with
    /// the candidates at the same place).
    #[serde(default)]
    pub prior: f64,
    /// The chosen place is the candidate with the highest prior.
    #[serde(default)]
    pub top_prior: bool,
    /// How many candidates have a prior of at least 0.05, the same place counted once: the
    /// name's ambiguity.
    #[serde(default)]
    pub rivals: usize,
    /// An adjacent qualifier («Paris, Texas») or demonym confirms the chosen place.
    #[serde(default)]
    pub qualified: bool,
    /// A country or first-level division has the name, but a smaller place was chosen.
    #[serde(default)]
    pub passed_over_region: bool,
}
