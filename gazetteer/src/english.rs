//! The usual English name of a place where its main name is not it: GeoNames calls Stepanakert
//! «Khankendi», the Syrian governorate «Ḩalab», the Azerbaijani town «Laçın»; English news
//! write Stepanakert, Aleppo and Lachin. Chosen when the index is built, from the names tagged
//! `en`, and kept in the index's `ENGL` section for the places that need one only (1,243 of
//! 243,000): pairs of a GeoNames id and the offset of the name in `STRS`, sorted by
//! id.

use crate::bytes::u32_at;
use crate::fold::fold;
use crate::geonames::{AlternateNameRow, PlaceRow};
use geo::{Distance, Haversine, Point};
use std::collections::HashMap;

/// Bytes per entry of the `ENGL` section: a GeoNames id and a string offset.
pub const ENTRY: usize = 8;

/// The names tagged `en` of each place, gathered while the alternate names are read.
#[derive(Default)]
pub struct EnglishNames {
    /// Each place's plain English names (no short, colloquial or historic form), in file
    /// order, each with whether it is marked preferred.
    by_place: HashMap<u32, Vec<(String, bool)>>,
}

impl EnglishNames {
    /// Keeps `alt` if it is a plain English name of its place.
    pub fn add(&mut self, alt: &AlternateNameRow) {
        if alt.lang == "en" && !(alt.short || alt.colloquial || alt.historic) {
            self.by_place
                .entry(alt.place_id)
                .or_default()
                .push((alt.name.clone(), alt.preferred));
        }
    }

    /// The English name of each place of `places` that needs one, by GeoNames id, sorted.
    /// `keys` are the folded keys of every place's names, by GeoNames id.
    pub fn choose<'k>(
        &self,
        places: &[PlaceRow],
        keys: impl IntoIterator<Item = (u32, &'k str)>,
    ) -> Vec<(u32, String)> {
        let towns = Towns::of(places);
        let mut chosen: HashMap<u32, String> = places
            .iter()
            .filter(|p| !is_country(p))
            .filter_map(|p| {
                let name = pick(&p.name, self.by_place.get(&p.id)?)?;
                (!is_division(p) || towns.may_name(p, name)).then(|| (p.id, name.to_owned()))
            })
            .collect();
        let named = named_like_their_town(places, &chosen, keys);
        for (id, name) in named {
            chosen.entry(id).or_insert(name);
        }
        let mut chosen: Vec<(u32, String)> = chosen.into_iter().collect();
        chosen.sort_unstable();
        chosen
    }
}

/// The divisions without an English name of their own whose main name is a name of a town
/// inside them that has one: they take the town's. «Xankəndi», the division of Stepanakert's
/// own territory, is the city's Azerbaijani name; a text that names it means the city.
fn named_like_their_town<'k>(
    places: &[PlaceRow],
    chosen: &HashMap<u32, String>,
    keys: impl IntoIterator<Item = (u32, &'k str)>,
) -> Vec<(u32, String)> {
    let towns: HashMap<u32, &PlaceRow> = places
        .iter()
        .filter(|p| p.feature_class == 'P' && chosen.contains_key(&p.id))
        .map(|p| (p.id, p))
        .collect();
    let mut town_of: HashMap<(&str, &str, &str), u32> = HashMap::new();
    for (id, key) in keys {
        if let Some(town) = towns.get(&id) {
            town_of.insert((&town.country, &town.admin1, key), id);
        }
    }
    places
        .iter()
        .filter(|p| is_division(p) && !chosen.contains_key(&p.id))
        .filter_map(|p| {
            let key = fold(&p.name);
            let town = town_of.get(&(p.country.as_str(), p.admin1.as_str(), key.as_str()))?;
            Some((p.id, chosen.get(town)?.clone()))
        })
        .collect()
}

/// Of a place's English names, the one to show instead of its main name `main`: none when the
/// main name is one of them, else the first marked preferred, else the first.
fn pick<'n>(main: &str, names: &'n [(String, bool)]) -> Option<&'n str> {
    if names.iter().any(|(n, _)| n == main) {
        return None;
    }
    names
        .iter()
        .find(|(_, preferred)| *preferred)
        .or_else(|| names.first())
        .map(|(n, _)| n.as_str())
}

/// Whether a place is a country or territory: GeoNames names them in English already, and
/// the names tagged `en` that CLDR adds are written its own way («São Tomé & Príncipe», «St.
/// Helena»).
fn is_country(p: &PlaceRow) -> bool {
    p.feature_class == 'A' && (p.feature_code.starts_with("PCL") || p.feature_code == "TERR")
}

/// Whether a place is an administrative division.
fn is_division(p: &PlaceRow) -> bool {
    p.feature_class == 'A' && p.feature_code.starts_with("ADM")
}

/// How near a town's point a division's must be for the division to be the town's own
/// territory, in metres: GeoNames puts Shusha in the district around it, not in the division
/// «Shusha City» centred on it.
const OWN_TERRITORY_M: f64 = 15_000.0;

/// The populated places of each country by main name: a division's English name that is a
/// town of another division is not its name (Natural Earth calls Kyiv Oblast «Kyiv», the city
/// being a division of its own, and Madagascar's Vakinankaratra «Antananarivo»), unless the
/// division is the town's own territory, centred on it.
struct Towns<'p> {
    by_name: HashMap<(&'p str, &'p str), Vec<&'p PlaceRow>>,
}

impl<'p> Towns<'p> {
    fn of(places: &'p [PlaceRow]) -> Self {
        let mut by_name: HashMap<_, Vec<_>> = HashMap::new();
        for p in places.iter().filter(|p| p.feature_class == 'P') {
            by_name
                .entry((p.country.as_str(), p.name.as_str()))
                .or_default()
                .push(p);
        }
        Self { by_name }
    }

    /// Whether `name` may be the English name of the division `division`: no town of its
    /// country bears it, or one in the division does (the governorate of Aleppo), or one at
    /// its centre.
    fn may_name(&self, division: &PlaceRow, name: &str) -> bool {
        let centre = Point::new(division.lon, division.lat);
        self.by_name
            .get(&(division.country.as_str(), name))
            .is_none_or(|towns| {
                towns.iter().any(|t| {
                    t.admin1 == division.admin1
                        || Haversine.distance(Point::new(t.lon, t.lat), centre) < OWN_TERRITORY_M
                })
            })
    }
}

/// The `ENGL` section of `chosen` (sorted by id), each name's offset given by `offset`.
pub fn section(chosen: &[(u32, String)], mut offset: impl FnMut(&str) -> u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(chosen.len() * ENTRY);
    for (id, name) in chosen {
        out.extend_from_slice(&id.to_le_bytes());
        out.extend_from_slice(&offset(name).to_le_bytes());
    }
    out
}

/// The string offset of the English name of the place with GeoNames id `id`, if the `ENGL`
/// section `section` has one.
pub fn find(section: &[u8], id: u32) -> Option<u32> {
    let (entries, _) = section.as_chunks::<ENTRY>();
    let at = entries.binary_search_by_key(&id, |e| u32_at(e, 0)).ok()?;
    Some(u32_at(&entries[at], 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[(&str, bool)]) -> Vec<(String, bool)> {
        list.iter().map(|&(n, p)| (n.to_owned(), p)).collect()
    }

    #[test]
    fn the_main_name_stays_when_english_has_it() {
        let list = names(&[("Stepanakert", false)]);
        assert_eq!(pick("Khankendi", &list), Some("Stepanakert"));
        let list = names(&[("Istanbul", false), ("Constantinople", false)]);
        assert_eq!(pick("Istanbul", &list), None);
        let list = names(&[("Padua", false), ("Padova Province", true)]);
        assert_eq!(pick("Padova", &list), Some("Padova Province"));
        assert_eq!(pick("Padova", &[]), None);
    }

    /// A place of Ukraine (the tests that need another country change it).
    fn row(id: u32, name: &str, code: &str, admin1: &str, (lat, lon): (f64, f64)) -> PlaceRow {
        let class = if code.starts_with("PPL") { 'P' } else { 'A' };
        PlaceRow {
            id,
            name: name.into(),
            ascii_name: name.into(),
            alternate_names: Vec::new(),
            lat,
            lon,
            feature_class: class,
            feature_code: code.into(),
            country: "UA".into(),
            admin1: admin1.into(),
            population: 0,
        }
    }

    fn english(id: u32, name: &str) -> AlternateNameRow {
        AlternateNameRow {
            place_id: id,
            lang: "en".into(),
            name: name.into(),
            preferred: false,
            short: false,
            colloquial: false,
            historic: false,
        }
    }

    #[test]
    fn a_division_is_not_named_after_a_town_of_another_division_away_from_it() {
        let places = [
            row(703448, "Kyiv", "PPLC", "12", (50.45, 30.52)),
            row(703446, "Kyivska oblast", "ADM1", "13", (50.28, 31.41)),
            row(706369, "Khmelnytskyi", "PPLA", "09", (49.42, 27.0)),
            row(706370, "Khmelnytska oblast", "ADM1", "09", (49.5, 27.1)),
            row(1, "Ukraina", "PCLI", "", (49.0, 32.0)),
            row(409419, "Shusha City", "ADM1", "62", (39.7577, 46.751)),
            row(147105, "Shusha", "PPL", "55", (39.7601, 46.7499)),
        ];
        let mut names = EnglishNames::default();
        for (id, name) in [
            (703446, "Kyiv"),
            (706370, "Khmelnytskyi"),
            (1, "Ukraine"),
            (409419, "Shusha"),
        ] {
            names.add(&english(id, name));
        }
        let mut historic = english(703448, "Kiev");
        historic.historic = true;
        names.add(&historic);
        assert_eq!(
            names.choose(&places, []),
            [
                (409419, "Shusha".to_owned()),
                (706370, "Khmelnytskyi".to_owned())
            ],
            "the division centred on Shusha is the town's own territory"
        );
    }

    #[test]
    fn the_division_of_a_towns_own_territory_takes_its_english_name() {
        let mut places = [
            row(146970, "Khankendi", "PPL", "XK", (39.8177, 46.7528)),
            row(409421, "Xankəndi", "ADM1", "XK", (39.8638, 46.6993)),
            row(147105, "Shusha", "PPL", "SU", (39.7601, 46.7499)),
            row(409419, "Xankəndi", "ADM1", "SU", (39.7577, 46.751)),
        ];
        for p in &mut places {
            p.country = "AZ".into();
        }
        let mut names = EnglishNames::default();
        names.add(&english(146970, "Stepanakert"));
        let (local, main) = (fold("Xankəndi"), fold("Khankendi"));
        let keys = [(146970, &local), (146970, &main), (147105, &local)];
        assert_eq!(
            names.choose(&places, keys.map(|(id, k)| (id, k.as_str()))),
            [
                (146970, "Stepanakert".to_owned()),
                (409421, "Stepanakert".to_owned())
            ],
            "not the division of another town, nor after a town without an English name"
        );
    }

    #[test]
    fn the_section_finds_each_place_and_no_other() {
        let chosen = vec![
            (146970, "Stepanakert".to_owned()),
            (170062, "Aleppo".into()),
        ];
        let bytes = section(&chosen, |n| n.len() as u32);
        assert_eq!(find(&bytes, 146970), Some(11));
        assert_eq!(find(&bytes, 170062), Some(6));
        assert_eq!(find(&bytes, 147105), None);
        assert_eq!(find(&[], 146970), None);
    }
}
