//! The query parameters of `/api/events` (and `.geojson`, `.csv`, `karta export`) and of the
//! map's address: their names, their text as sent, and the typed reading of each one, with a
//! message that names the parameter when it is wrong.
//!
//! The server turns them into its checked query; the map reads its filters from them, leaving
//! out what is wrong, and writes them back into its address, so that the same query string on
//! `/api/events.geojson` downloads what the map shows.

use crate::bbox::{Bbox, check_lon_lat, numbers};
use chrono::NaiveDate;
use serde::de::{Deserialize, Deserializer, Error as _, IgnoredAny, MapAccess, Visitor};
use std::fmt;

/// Most ids one `ids` parameter may name, ranges counted in full.
pub const MAX_IDS: u64 = 1_000_000;

/// The parameters as sent, one text each; unknown ones are ignored, so a map view's query
/// string works as is. Read each with its typed method ([`EventParams::bbox`], …).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventParams {
    /// First day, `YYYY-MM-DD` (`from`).
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (`to`).
    pub to: Option<String>,
    /// Event types, comma-separated (`type`).
    pub event_type: Option<String>,
    /// ISO 3166-1 alpha-2 country code (`country`).
    pub country: Option<String>,
    /// Full-text query (`q`).
    pub q: Option<String>,
    /// Lowest confidence, 0 to 1 (`min_confidence`).
    pub min_confidence: Option<String>,
    /// Coarsest place shown, ACLED's `geo_precision` 1 to 3 (`precision`): 1 keeps the events
    /// placed in a town, 2 also those near a place or in a district, 3 (or none) every one.
    pub precision: Option<String>,
    /// `min_lon,min_lat,max_lon,max_lat` (`bbox`).
    pub bbox: Option<String>,
    /// `lon,lat` (`near`).
    pub near: Option<String>,
    /// Radius around `near`, in kilometres (`radius_km`).
    pub radius_km: Option<String>,
    /// Part of an actor's name (`actor`).
    pub actor: Option<String>,
    /// Part of the address of an outlet that reports the events (`source`, as `lemonde.fr`).
    pub source: Option<String>,
    /// Only the events a document reports, by its id (`document`).
    pub document: Option<String>,
    /// Only events of these statuses, comma-separated (`status`: `machine`, `corrected`,
    /// `imported`, `verified`).
    pub status: Option<String>,
    /// Page size or export size (`limit`).
    pub limit: Option<String>,
    /// Opaque cursor from the previous page (`cursor`).
    pub cursor: Option<String>,
    /// Only these events: ids and ranges `first-last`, comma-separated (`ids`, as `4,9-12`).
    pub ids: Option<String>,
    /// `1`, `true` or `yes` also returns deleted events (`include_deleted`).
    pub include_deleted: Option<String>,
    /// `1`, `true` or `yes` asks for `Content-Disposition: attachment` (`download`).
    pub download: Option<String>,
}

/// A parameter whose value is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// The parameter's name.
    pub name: &'static str,
    /// What is wrong with its value.
    pub message: String,
}

impl ParamError {
    /// The error of parameter `name`.
    pub fn new(name: &'static str, message: impl fmt::Display) -> Self {
        Self {
            name,
            message: message.to_string(),
        }
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.message)
    }
}

impl std::error::Error for ParamError {}

/// Reads parameter `name` with `parse`; a text it refuses is "`"text"` is not `what`".
fn parsed<T>(
    name: &'static str,
    text: Option<&str>,
    what: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<Option<T>, ParamError> {
    text.map(|t| parse(t).ok_or_else(|| ParamError::new(name, format!("{t:?} is not {what}"))))
        .transpose()
}

/// A text trimmed, `None` when nothing is left.
fn nonempty(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn flag(text: Option<&str>) -> bool {
    matches!(text, Some("1" | "true" | "yes"))
}

/// Parses a day, `YYYY-MM-DD`, the value of parameter `name`.
pub fn parse_day(name: &'static str, text: &str) -> Result<NaiveDate, ParamError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|e| ParamError::new(name, format!("{text:?} is not a date YYYY-MM-DD ({e})")))
}

/// Parses the `ids` parameter: ids and ranges `first-last`, comma-separated, into ascending
/// ids without repeats.
pub fn parse_ids(text: &str) -> Result<Vec<i64>, ParamError> {
    let bad = |part: &str, why: &str| ParamError::new("ids", format!("{part:?} {why}"));
    let id = |part: &str, v: &str| {
        v.trim()
            .parse::<i64>()
            .ok()
            .filter(|&id| id >= 1)
            .ok_or_else(|| bad(part, "is not an id ≥ 1 or a range first-last"))
    };
    let mut ranges = Vec::new();
    let mut count: u64 = 0;
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (first, last) = match part.split_once('-') {
            Some((a, b)) => (id(part, a)?, id(part, b)?),
            None => {
                let one = id(part, part)?;
                (one, one)
            }
        };
        if first > last {
            return Err(bad(part, "starts after it ends"));
        }
        count = count.saturating_add(last.abs_diff(first) + 1);
        if count > MAX_IDS {
            return Err(ParamError::new(
                "ids",
                format!("names more than {MAX_IDS} events"),
            ));
        }
        ranges.push(first..=last);
    }
    let mut ids: Vec<i64> = ranges.into_iter().flatten().collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The items of a comma-separated list, each trimmed, blanks left out.
fn list(text: Option<&str>) -> Vec<String> {
    text.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

impl EventParams {
    /// Each parameter's name beside its value: the one place the names are written. The
    /// filters come first, in the order the map's address has always shown them.
    fn slots(&mut self) -> [(&'static str, &mut Option<String>); 19] {
        [
            ("from", &mut self.from),
            ("to", &mut self.to),
            ("type", &mut self.event_type),
            ("country", &mut self.country),
            ("q", &mut self.q),
            ("min_confidence", &mut self.min_confidence),
            ("precision", &mut self.precision),
            ("bbox", &mut self.bbox),
            ("near", &mut self.near),
            ("radius_km", &mut self.radius_km),
            ("actor", &mut self.actor),
            ("source", &mut self.source),
            ("document", &mut self.document),
            ("status", &mut self.status),
            ("limit", &mut self.limit),
            ("cursor", &mut self.cursor),
            ("ids", &mut self.ids),
            ("include_deleted", &mut self.include_deleted),
            ("download", &mut self.download),
        ]
    }

    /// Parameter `name` as it is spelled in [`EventParams::slots`], and its value slot; `None`
    /// when karta knows no such parameter.
    fn slot(&mut self, name: &str) -> Option<(&'static str, &mut Option<String>)> {
        self.slots().into_iter().find(|(n, _)| *n == name)
    }

    /// Takes one pair of an address's query string, as the map reads it: a repeated `type`
    /// adds its types, any other repeat replaces the value before. Returns whether `name` is
    /// one of these parameters.
    pub fn push(&mut self, name: &str, value: &str) -> bool {
        let list = name == "type";
        let Some((_, slot)) = self.slot(name) else {
            return false;
        };
        match slot {
            Some(before) if list => *before = format!("{before},{value}"),
            _ => *slot = Some(value.to_owned()),
        }
        true
    }

    /// The parameters that have a value, as `(name, value)` pairs in a fixed order: the
    /// filters first (`from`, `to`, `type`, `country`, `q`, `min_confidence`), then the place,
    /// the paging and the flags.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut copy = self.clone();
        copy.slots()
            .into_iter()
            .filter_map(|(name, value)| value.take().map(|v| (name, v)))
            .collect()
    }

    /// `bbox`: the box the events must meet.
    pub fn bbox(&self) -> Result<Option<Bbox>, ParamError> {
        self.bbox
            .as_deref()
            .map(|b| b.parse::<Bbox>().map_err(|e| ParamError::new("bbox", e)))
            .transpose()
    }

    /// `near`: a point, `[lon, lat]`.
    pub fn near(&self) -> Result<Option<[f64; 2]>, ParamError> {
        let Some([lon, lat]) = parsed("near", self.near.as_deref(), "lon,lat", numbers::<2>)?
        else {
            return Ok(None);
        };
        check_lon_lat(lon, lat).map_err(|e| ParamError::new("near", e))?;
        Ok(Some([lon, lat]))
    }

    /// `radius_km`: a distance in kilometres, not negative.
    pub fn radius_km(&self) -> Result<Option<f64>, ParamError> {
        let km = |r: &str| r.trim().parse::<f64>().ok();
        parsed(
            "radius_km",
            self.radius_km.as_deref(),
            "a distance in km ≥ 0",
            |r| km(r).filter(|km| km.is_finite() && *km >= 0.0),
        )
    }

    /// `from`: the first day.
    pub fn from_day(&self) -> Result<Option<NaiveDate>, ParamError> {
        self.from
            .as_deref()
            .map(|d| parse_day("from", d))
            .transpose()
    }

    /// `to`: the last day.
    pub fn to_day(&self) -> Result<Option<NaiveDate>, ParamError> {
        self.to.as_deref().map(|d| parse_day("to", d)).transpose()
    }

    /// `from` and `to`, the first not after the second.
    pub fn days(&self) -> Result<(Option<NaiveDate>, Option<NaiveDate>), ParamError> {
        let (from, to) = (self.from_day()?, self.to_day()?);
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(ParamError::new("from", format!("{f} is after to={t}")));
        }
        Ok((from, to))
    }

    /// `type`: the event types' names, in order, without blanks.
    pub fn types(&self) -> Vec<String> {
        list(self.event_type.as_deref())
    }

    /// `status`, each name trimmed and blanks left out.
    pub fn statuses(&self) -> Vec<String> {
        list(self.status.as_deref())
    }

    /// `country`, trimmed; `None` when blank.
    pub fn country(&self) -> Option<String> {
        nonempty(self.country.as_deref())
    }

    /// `actor`, trimmed; `None` when blank.
    pub fn actor(&self) -> Option<String> {
        nonempty(self.actor.as_deref())
    }

    /// `source`, trimmed; `None` when blank.
    pub fn source(&self) -> Option<String> {
        nonempty(self.source.as_deref())
    }

    /// `document`: a document's id, a whole number.
    pub fn document(&self) -> Result<Option<i64>, ParamError> {
        parsed(
            "document",
            self.document.as_deref(),
            "a document's id",
            |d| d.trim().parse::<i64>().ok(),
        )
    }

    /// `q`, trimmed; `None` when blank.
    pub fn q(&self) -> Option<String> {
        nonempty(self.q.as_deref())
    }

    /// `min_confidence`: a number within 0..1.
    pub fn min_confidence(&self) -> Result<Option<f64>, ParamError> {
        parsed(
            "min_confidence",
            self.min_confidence.as_deref(),
            "a number within 0..1",
            |c| {
                c.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| (0.0..=1.0).contains(v))
            },
        )
    }

    /// `precision`: 1, 2 or 3.
    pub fn precision(&self) -> Result<Option<u8>, ParamError> {
        parsed("precision", self.precision.as_deref(), "1, 2 or 3", |p| {
            p.trim().parse::<u8>().ok().filter(|p| (1..=3).contains(p))
        })
    }

    /// `limit`: a whole number, at least 1.
    pub fn limit(&self) -> Result<Option<usize>, ParamError> {
        parsed(
            "limit",
            self.limit.as_deref(),
            "a whole number ≥ 1",
            |l| l.trim().parse::<usize>().ok().filter(|&n| n >= 1),
        )
    }

    /// `cursor`: the id after which the page starts.
    pub fn cursor(&self) -> Result<Option<i64>, ParamError> {
        parsed(
            "cursor",
            self.cursor.as_deref(),
            "a cursor from a previous page",
            |c| c.trim().parse::<i64>().ok(),
        )
    }

    /// `ids`: ascending, without repeats (see [`parse_ids`]).
    pub fn ids(&self) -> Result<Option<Vec<i64>>, ParamError> {
        self.ids.as_deref().map(parse_ids).transpose()
    }

    /// `include_deleted`.
    pub fn include_deleted(&self) -> bool {
        flag(self.include_deleted.as_deref())
    }

    /// `download`.
    pub fn download(&self) -> bool {
        flag(self.download.as_deref())
    }
}

/// Reads a query string's pairs (through `serde_urlencoded`, as axum's `Query` does): unknown
/// names are ignored, a repeated one is an error, as it is for any struct serde reads.
impl<'de> Deserialize<'de> for EventParams {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = EventParams;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("query parameters")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EventParams, A::Error> {
                let mut params = EventParams::default();
                while let Some(name) = map.next_key::<String>()? {
                    match params.slot(&name) {
                        Some((known, Some(_))) => return Err(A::Error::duplicate_field(known)),
                        Some((_, slot)) => *slot = Some(map.next_value()?),
                        None => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(params)
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> EventParams {
        let mut p = EventParams::default();
        for (k, v) in pairs {
            assert!(p.push(k, v), "{k} is a parameter");
        }
        p
    }

    #[test]
    fn pairs_round_trip_in_a_fixed_order() {
        let p = params(&[
            ("limit", "10"),
            ("type", "battles"),
            ("from", "2020-09-27"),
            ("type", "protests"),
            ("download", "1"),
        ]);
        assert_eq!(
            p.pairs(),
            [
                ("from", "2020-09-27".to_owned()),
                ("type", "battles,protests".to_owned()),
                ("limit", "10".to_owned()),
                ("download", "1".to_owned()),
            ]
        );
        let again = params(
            &p.pairs()
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect::<Vec<_>>(),
        );
        assert_eq!(again, p);
        assert!(!EventParams::default().push("z", "6"));
    }

    #[test]
    fn serde_reads_every_name_and_refuses_repeats() {
        let mut full = EventParams::default();
        for (name, slot) in full.slots() {
            *slot = Some(format!("<{name}>"));
        }
        let object: serde_json::Map<String, serde_json::Value> = full
            .pairs()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.into()))
            .collect();
        let read: EventParams =
            serde_json::from_value(serde_json::Value::Object(object)).expect("known names");
        assert_eq!(read, full);
        assert_eq!(read.event_type.as_deref(), Some("<type>"));
        let e = serde_json::from_str::<EventParams>(r#"{"limit": "1", "z": "6", "limit": "2"}"#)
            .expect_err("a repeat");
        assert!(e.to_string().contains("duplicate field `limit`"), "{e}");
    }

    #[test]
    fn typed_values() {
        let p = params(&[
            ("bbox", "44,38,48,41"),
            ("near", " 46.7 , 39.8"),
            ("type", " battles,, protests "),
            ("country", " az "),
            ("q", "  "),
            ("ids", "12,3-5,4"),
            ("include_deleted", "true"),
        ]);
        assert_eq!(p.bbox(), Ok(Some(Bbox::from([44.0, 38.0, 48.0, 41.0]))));
        assert_eq!(p.near(), Ok(Some([46.7, 39.8])));
        assert_eq!(p.types(), ["battles", "protests"]);
        assert_eq!((p.country().as_deref(), p.q()), (Some("az"), None));
        assert_eq!(p.ids(), Ok(Some(vec![3, 4, 5, 12])));
        assert!(p.include_deleted() && !p.download());
    }

    #[test]
    fn messages_name_the_parameter() {
        for (pairs, message) in [
            (
                vec![("bbox", "1,2,3")],
                r#"bbox: "1,2,3" is not min_lon,min_lat,max_lon,max_lat"#,
            ),
            (vec![("near", "1")], r#"near: "1" is not lon,lat"#),
            (
                vec![("near", "1,91")],
                "near: latitude 91 is not within -90..90",
            ),
            (
                vec![("radius_km", "-1")],
                r#"radius_km: "-1" is not a distance in km ≥ 0"#,
            ),
            (
                vec![("min_confidence", "2")],
                r#"min_confidence: "2" is not a number within 0..1"#,
            ),
            (
                vec![("limit", "0")],
                r#"limit: "0" is not a whole number ≥ 1"#,
            ),
            (
                vec![("cursor", "x")],
                r#"cursor: "x" is not a cursor from a previous page"#,
            ),
            (vec![("ids", "9-4")], r#"ids: "9-4" starts after it ends"#),
            (
                vec![("ids", "1-2000000")],
                "ids: names more than 1000000 events",
            ),
            (
                vec![("from", "2020-10-02"), ("to", "2020-10-01")],
                "from: 2020-10-02 is after to=2020-10-01",
            ),
        ] {
            let p = params(&pairs);
            let e = [
                p.bbox().err(),
                p.near().err(),
                p.radius_km().err(),
                p.days().err(),
                p.min_confidence().err(),
                p.limit().err(),
                p.cursor().err(),
                p.ids().err(),
            ]
            .into_iter()
            .flatten()
            .next()
            .expect("an error");
            assert_eq!(e.to_string(), message);
        }
        let e = params(&[("from", "2020-02-30")])
            .days()
            .expect_err("no such day");
        assert!(
            e.to_string()
                .starts_with(r#"from: "2020-02-30" is not a date YYYY-MM-DD ("#)
        );
    }
}
