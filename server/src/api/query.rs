//! The query parameters shared by `/api/events`, `/api/events.geojson` and `/api/events.csv`
//! (and `karta export`), checked into a filter with messages that say what is wrong.

use super::ApiError;
use crate::rtree::{Bbox, EventIndex};
use crate::store::{EventFilter, EventId};
use chrono::NaiveDate;
use serde::Deserialize;

/// Most events one page of `/api/events` returns.
pub const MAX_PAGE: usize = 10_000;

/// Events per page when `limit` is not given.
pub const DEFAULT_PAGE: usize = 100;

/// Most ids one `ids` parameter may name, ranges counted in full.
pub const MAX_IDS: u64 = 1_000_000;

/// The parameters as sent; unknown ones are ignored, so a map view's query string works as is.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EventParams {
    /// `min_lon,min_lat,max_lon,max_lat`.
    pub bbox: Option<String>,
    /// `lon,lat`.
    pub near: Option<String>,
    /// Radius around `near`, in kilometres.
    pub radius_km: Option<String>,
    /// First day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// Event types, comma-separated.
    #[serde(rename = "type")]
    pub event_type: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: Option<String>,
    /// Part of an actor's name.
    pub actor: Option<String>,
    /// Full-text query.
    pub q: Option<String>,
    /// Lowest confidence, 0 to 1.
    pub min_confidence: Option<String>,
    /// Page size or export size.
    pub limit: Option<String>,
    /// Opaque cursor from the previous page.
    pub cursor: Option<String>,
    /// Only these events: ids and ranges `first-last`, comma-separated (`4,9-12`).
    pub ids: Option<String>,
    /// `1` or `true` also returns deleted events.
    pub include_deleted: Option<String>,
    /// `1` or `true` asks for `Content-Disposition: attachment`.
    pub download: Option<String>,
}

/// Where the events must be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Spatial {
    /// Anywhere.
    Anywhere,
    /// Meeting a box.
    Bbox(Bbox),
    /// Within a radius of a point.
    Radius {
        /// Longitude of the centre.
        lon: f64,
        /// Latitude of the centre.
        lat: f64,
        /// Radius in kilometres.
        km: f64,
    },
    /// Nearest a point first.
    Nearest {
        /// Longitude.
        lon: f64,
        /// Latitude.
        lat: f64,
    },
}

/// A checked events query.
#[derive(Debug, Clone, PartialEq)]
pub struct EventQuery {
    /// What the database filters on.
    pub filter: EventFilter,
    /// What the R-tree filters on.
    pub spatial: Spatial,
    /// The `limit` parameter.
    pub limit: Option<usize>,
    /// Only events after this id.
    pub after: Option<EventId>,
    /// Only these events, ascending without repeats.
    pub ids: Option<Vec<EventId>>,
    /// Whether to send the response as a download.
    pub download: bool,
}

fn numbers(name: &str, text: &str, count: usize, shape: &str) -> Result<Vec<f64>, ApiError> {
    let values: Vec<f64> = text
        .split(',')
        .map(|v| v.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| ApiError::parameter(name, format!("{text:?} is not {shape}")))?;
    if values.len() != count || values.iter().any(|v| !v.is_finite()) {
        return Err(ApiError::parameter(
            name,
            format!("{text:?} is not {shape}"),
        ));
    }
    Ok(values)
}

fn check_lon_lat(name: &str, lon: f64, lat: f64) -> Result<(), ApiError> {
    crate::rtree::check_lon_lat(lon, lat).map_err(|e| ApiError::parameter(name, e))
}

/// Parses a day, `YYYY-MM-DD`.
pub fn parse_day(name: &str, text: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|e| ApiError::parameter(name, format!("{text:?} is not a date YYYY-MM-DD ({e})")))
}

/// Parses the `ids` parameter: ids and ranges `first-last`, comma-separated, into ascending
/// ids without repeats.
pub fn parse_ids(text: &str) -> Result<Vec<EventId>, ApiError> {
    let bad = |part: &str, why: &str| ApiError::parameter("ids", format!("{part:?} {why}"));
    let id = |part: &str, v: &str| {
        v.trim()
            .parse::<EventId>()
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
            return Err(ApiError::parameter(
                "ids",
                format!("names more than {MAX_IDS} events"),
            ));
        }
        ranges.push(first..=last);
    }
    let mut ids: Vec<EventId> = ranges.into_iter().flatten().collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

fn flag(text: Option<&str>) -> bool {
    matches!(text, Some("1" | "true" | "yes"))
}

impl EventParams {
    /// Checks the parameters.
    pub fn check(&self) -> Result<EventQuery, ApiError> {
        let bbox = self
            .bbox
            .as_deref()
            .map(|b| {
                let v = numbers("bbox", b, 4, "min_lon,min_lat,max_lon,max_lat")?;
                check_lon_lat("bbox", v[0], v[1])?;
                check_lon_lat("bbox", v[2], v[3])?;
                if v[1] > v[3] {
                    return Err(ApiError::parameter(
                        "bbox",
                        format!("min_lat {} is north of max_lat {}", v[1], v[3]),
                    ));
                }
                Ok(Bbox {
                    min_lon: v[0],
                    min_lat: v[1],
                    max_lon: v[2],
                    max_lat: v[3],
                })
            })
            .transpose()?;
        let near = self
            .near
            .as_deref()
            .map(|n| {
                let v = numbers("near", n, 2, "lon,lat")?;
                check_lon_lat("near", v[0], v[1])?;
                Ok::<_, ApiError>((v[0], v[1]))
            })
            .transpose()?;
        let radius = self
            .radius_km
            .as_deref()
            .map(|r| match r.trim().parse::<f64>() {
                Ok(km) if km.is_finite() && km >= 0.0 => Ok(km),
                _ => Err(ApiError::parameter(
                    "radius_km",
                    format!("{r:?} is not a distance in km ≥ 0"),
                )),
            })
            .transpose()?;
        let spatial = match (bbox, near, radius) {
            (Some(_), Some(_), _) => {
                return Err(ApiError::parameter(
                    "bbox",
                    "give either bbox or near, not both",
                ));
            }
            (Some(b), None, None) => Spatial::Bbox(b),
            (None, Some((lon, lat)), Some(km)) => Spatial::Radius { lon, lat, km },
            (None, Some((lon, lat)), None) => Spatial::Nearest { lon, lat },
            (_, None, Some(_)) => {
                return Err(ApiError::parameter("radius_km", "needs near=lon,lat"));
            }
            (None, None, None) => Spatial::Anywhere,
        };
        let from = self
            .from
            .as_deref()
            .map(|d| parse_day("from", d))
            .transpose()?;
        let to = self.to.as_deref().map(|d| parse_day("to", d)).transpose()?;
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(ApiError::parameter("from", format!("{f} is after to={t}")));
        }
        let min_confidence = self
            .min_confidence
            .as_deref()
            .map(|c| match c.trim().parse::<f64>() {
                Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
                _ => Err(ApiError::parameter(
                    "min_confidence",
                    format!("{c:?} is not a number within 0..1"),
                )),
            })
            .transpose()?;
        let limit = self
            .limit
            .as_deref()
            .map(|l| match l.trim().parse::<usize>() {
                Ok(n) if n >= 1 => Ok(n),
                _ => Err(ApiError::parameter(
                    "limit",
                    format!("{l:?} is not a whole number ≥ 1"),
                )),
            })
            .transpose()?;
        let after = self
            .cursor
            .as_deref()
            .map(|c| {
                c.trim().parse::<EventId>().map_err(|_| {
                    ApiError::parameter(
                        "cursor",
                        format!("{c:?} is not a cursor from a previous page"),
                    )
                })
            })
            .transpose()?;
        let ids = self.ids.as_deref().map(parse_ids).transpose()?;
        let nonempty = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        Ok(EventQuery {
            filter: EventFilter {
                from,
                to,
                types: self
                    .event_type
                    .as_deref()
                    .unwrap_or_default()
                    .split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect(),
                country: nonempty(&self.country),
                actor: nonempty(&self.actor),
                q: nonempty(&self.q),
                min_confidence,
                document: None,
                include_deleted: flag(self.include_deleted.as_deref()),
            },
            spatial,
            limit,
            after,
            ids,
            download: flag(self.download.as_deref()),
        })
    }
}

impl EventQuery {
    /// The candidate ids from the R-tree and the `ids` parameter, ascending; `None` when the
    /// query names neither a place nor ids. For a nearest query, the `k` nearest ids, nearest
    /// first.
    pub fn candidate_ids(&self, index: &EventIndex, k: usize) -> Option<Vec<EventId>> {
        let spatial = self.spatial_ids(index, k);
        match (spatial, &self.ids) {
            (None, ids) => ids.clone(),
            (Some(found), None) => Some(found),
            (Some(mut found), Some(ids)) => {
                found.retain(|id| ids.binary_search(id).is_ok());
                Some(found)
            }
        }
    }

    fn spatial_ids(&self, index: &EventIndex, k: usize) -> Option<Vec<EventId>> {
        match self.spatial {
            Spatial::Anywhere => None,
            Spatial::Bbox(b) => Some(index.in_bbox(&b)),
            Spatial::Radius { lon, lat, km } => {
                Some(index.within_km(geo::Point::new(lon, lat), km))
            }
            Spatial::Nearest { lon, lat } => Some(
                index
                    .nearest(geo::Point::new(lon, lat), k)
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> EventParams {
        let q: String = pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        let uri: axum::http::Uri = format!("/?{q}").parse().expect("test URI parses");
        axum::extract::Query::try_from_uri(&uri)
            .expect("test query parses")
            .0
    }

    #[test]
    fn good_query() {
        let q = params(&[
            ("bbox", "44,38,48,41"),
            ("from", "2020-09-27"),
            ("type", "battles,protests"),
            ("limit", "10"),
        ])
        .check()
        .expect("valid");
        assert!(matches!(q.spatial, Spatial::Bbox(_)));
        assert_eq!(q.filter.types, vec!["battles", "protests"]);
        assert_eq!(q.limit, Some(10));
    }

    #[test]
    fn ids_take_ranges_and_narrow_the_place() {
        let q = params(&[("ids", "12,3-5,4,40-41")]).check().expect("valid");
        assert_eq!(q.ids, Some(vec![3, 4, 5, 12, 40, 41]));
        let index = EventIndex::build(vec![
            (3, crate::rtree::Bbox::point(46.75, 39.82)),
            (4, crate::rtree::Bbox::point(49.87, 40.41)),
            (12, crate::rtree::Bbox::point(46.76, 39.76)),
            (13, crate::rtree::Bbox::point(46.77, 39.80)),
        ]);
        assert_eq!(q.candidate_ids(&index, 10), Some(vec![3, 4, 5, 12, 40, 41]));
        let near = params(&[("ids", "3-5,12"), ("bbox", "46,39,47,40")])
            .check()
            .expect("valid");
        assert_eq!(near.candidate_ids(&index, 10), Some(vec![3, 12]));
    }

    #[test]
    fn messages_name_the_parameter() {
        for (pairs, needle) in [
            (vec![("bbox", "1,2,3")], "bbox"),
            (vec![("bbox", "0,95,1,96")], "latitude 95"),
            (vec![("from", "2020-02-30")], "from"),
            (
                vec![("near", "46.7,39.8"), ("radius_km", "-1")],
                "radius_km",
            ),
            (vec![("radius_km", "10")], "needs near"),
            (vec![("min_confidence", "2")], "min_confidence"),
            (vec![("limit", "0")], "limit"),
            (vec![("ids", "3,x")], "ids"),
            (vec![("ids", "9-4")], "starts after"),
            (vec![("ids", "0")], "ids"),
            (vec![("ids", "1-2000000")], "more than"),
        ] {
            let e = params(&pairs).check().expect_err("invalid");
            assert_eq!(e.status, axum::http::StatusCode::BAD_REQUEST);
            assert!(e.message.contains(needle), "{} lacks {needle}", e.message);
        }
    }
}
