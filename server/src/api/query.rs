//! The query parameters shared by `/api/events`, `/api/events.geojson` and `/api/events.csv`
//! (and `karta export`), checked into a filter with messages that say what is wrong.
//!
//! The parameters themselves, their names and the reading of each are karta's shared
//! vocabulary ([`EventParams`]); this module turns them into what the store and the R-tree
//! filter on.

use super::ApiError;
use crate::ingest::Pipeline;
use crate::store::{
    Area, EventFilter, EventId, EventRow, EventStatus, Place, PlaceSum, PlaceTally, StoreError,
};
use std::ops::ControlFlow;
pub use vocab::{EventParams, MAX_IDS, ParamError, parse_day, parse_ids};

/// Most events one page of `/api/events` returns.
pub const MAX_PAGE: usize = 10_000;

/// Events per page when `limit` is not given.
pub const DEFAULT_PAGE: usize = 100;

impl From<ParamError> for ApiError {
    fn from(e: ParamError) -> Self {
        ApiError::parameter(e.name, e.message)
    }
}

/// Where the events must be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Spatial {
    /// Anywhere.
    Anywhere,
    /// In a box or within a radius of a point.
    Within(Area),
    /// Nearest a point first.
    Nearest {
        /// Longitude.
        lon: f64,
        /// Latitude.
        lat: f64,
    },
}

impl Spatial {
    /// Where the parameters put the events: a box, a radius around `near`, or the nearest to
    /// `near`; `bbox` and `near` exclude each other and `radius_km` needs `near`.
    pub fn of(params: &EventParams) -> Result<Self, ApiError> {
        let bbox = params.bbox()?;
        let near = params.near()?;
        let radius = params.radius_km()?;
        Ok(match (bbox, near, radius) {
            (Some(_), Some(_), _) => {
                return Err(ApiError::parameter(
                    "bbox",
                    "give either bbox or near, not both",
                ));
            }
            (Some(b), None, None) => Spatial::Within(Area::Bbox(b)),
            (None, Some([lon, lat]), Some(km)) => Spatial::Within(Area::Radius { lon, lat, km }),
            (None, Some([lon, lat]), None) => Spatial::Nearest { lon, lat },
            (_, None, Some(_)) => {
                return Err(ApiError::parameter("radius_km", "needs near=lon,lat"));
            }
            (None, None, None) => Spatial::Anywhere,
        })
    }
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

impl EventQuery {
    /// Checks the parameters, in the order a person reads them: place, dates, confidence,
    /// paging; the first one wrong is the error.
    pub fn check(params: &EventParams) -> Result<Self, ApiError> {
        let spatial = Spatial::of(params)?;
        Ok(Self {
            filter: filter(params)?,
            spatial,
            limit: params.limit()?,
            after: params.cursor()?,
            ids: params.ids()?,
            download: params.download(),
        })
    }
}

/// How likely a name must mean a place for a search of that name to find the events placed
/// there: «Gandja» means Ganja, «Paris» the French capital more than the Texan town.
const NAMED_PLACE_PRIOR: f64 = 0.3;

/// The most places one search names.
const MAX_NAMED_PLACES: usize = 3;

impl EventQuery {
    /// Lets `q` find the events at the places it names as a whole, in any language or spelling
    /// the gazetteer knows («Gandja», «Гянджа» and «Ganja» find the same events), as well as
    /// those whose words match.
    pub fn with_named_places(mut self, gazetteer: &gazetteer::Gazetteer) -> Self {
        if let Some(q) = &self.filter.q {
            self.filter.q_places = gazetteer
                .lookup(q, None)
                .into_iter()
                .filter(|c| c.prior >= NAMED_PLACE_PRIOR)
                .take(MAX_NAMED_PLACES)
                .map(|c| i64::from(c.place.id))
                .collect();
        }
        self
    }
}

/// What the database filters on.
fn filter(params: &EventParams) -> Result<EventFilter, ApiError> {
    no_nul("q", params.q.as_deref())?;
    no_nul("actor", params.actor.as_deref())?;
    no_nul("country", params.country.as_deref())?;
    no_nul("type", params.event_type.as_deref())?;
    no_nul("source", params.source.as_deref())?;
    let (from, to) = params.days()?;
    Ok(EventFilter {
        from,
        to,
        types: params.types(),
        country: params.country(),
        actor: params.actor(),
        q: params.q(),
        q_places: Vec::new(),
        min_confidence: params.min_confidence()?,
        max_geo_precision: params.precision()?,
        document: params.document()?,
        source: params.source(),
        statuses: statuses(params)?,
        include_deleted: params.include_deleted(),
        within: None,
    })
}

/// `status`: the statuses named, each one karta knows.
fn statuses(params: &EventParams) -> Result<Vec<EventStatus>, ApiError> {
    params
        .statuses()
        .iter()
        .map(|name| {
            EventStatus::named(name).ok_or_else(|| {
                ApiError::parameter(
                    "status",
                    format!("{name:?} is none of machine, corrected, imported, verified"),
                )
            })
        })
        .collect()
}

/// Refuses a text parameter holding a NUL byte, which no search can mean (SQLite's full-text
/// search would fail on it).
fn no_nul(name: &'static str, value: Option<&str>) -> Result<(), ApiError> {
    match value {
        Some(v) if v.contains('\0') => Err(ApiError::parameter(name, "holds a NUL byte")),
        _ => Ok(()),
    }
}

impl EventQuery {
    /// Streams the flat rows of the events the query selects to `sink`, as the exports and
    /// the pages read them: the R-tree's and `ids`' candidates (a nearest query's
    /// [`DEFAULT_PAGE`] nearest without `limit`), then the store's filter, cursor and limit.
    pub fn scan(
        &self,
        pipeline: &Pipeline,
        sink: &mut dyn FnMut(EventRow) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        let k = self.limit.unwrap_or(DEFAULT_PAGE);
        let (filter, ids) = self.scope(pipeline, k)?;
        pipeline
            .store()
            .scan_events(&filter, ids.as_deref(), self.after, self.limit, sink)
    }

    /// The events the query selects summed per place ([`crate::store::Store::place_sums`]):
    /// grouped by the store when the query pages nothing (no cursor, no limit), else summed
    /// from the rows [`EventQuery::scan`] reads.
    pub fn place_sums(&self, pipeline: &Pipeline) -> Result<Vec<PlaceSum>, StoreError> {
        if self.after.is_some() || self.limit.is_some() {
            return self.summed_from_rows(pipeline);
        }
        let (filter, ids) = self.scope(pipeline, DEFAULT_PAGE)?;
        pipeline.store().place_sums(&filter, ids.as_deref())
    }

    /// The sums per place of the rows [`EventQuery::scan`] reads.
    fn summed_from_rows(&self, pipeline: &Pipeline) -> Result<Vec<PlaceSum>, StoreError> {
        let mut tally = PlaceTally::default();
        self.scan(pipeline, &mut |row| {
            tally.add(&row);
            ControlFlow::Continue(())
        })?;
        Ok(tally.finish())
    }

    /// What the store is asked: the filter, and the candidate ids (see
    /// [`EventQuery::candidate_ids`]). A box or a radius goes into the filter when the store
    /// finds places itself (PostGIS: one query, no list of ids in between); otherwise the
    /// R-tree's ids restrict the store's query.
    pub fn scope(
        &self,
        pipeline: &Pipeline,
        k: usize,
    ) -> Result<(EventFilter, Option<Vec<EventId>>), StoreError> {
        self.scope_with(
            pipeline.store().indexes_places(),
            &|place| pipeline.locate(place),
            k,
        )
    }

    /// [`EventQuery::scope`] for a store that finds places itself (`in_database`) or not.
    fn scope_with(
        &self,
        in_database: bool,
        locate: &dyn Fn(Place) -> Result<Vec<EventId>, StoreError>,
        k: usize,
    ) -> Result<(EventFilter, Option<Vec<EventId>>), StoreError> {
        match self.spatial {
            Spatial::Within(area) if in_database => {
                let filter = EventFilter {
                    within: Some(area),
                    ..self.filter.clone()
                };
                Ok((filter, self.ids.clone()))
            }
            _ => Ok((self.filter.clone(), self.candidate_ids(locate, k)?)),
        }
    }

    /// The candidate ids from `locate` (the store or the R-tree: see [`Pipeline::locate`])
    /// and the `ids` parameter, ascending; `None` when the query names neither a place nor
    /// ids. For a nearest query, the `k` nearest ids, nearest first.
    pub fn candidate_ids(
        &self,
        locate: &dyn Fn(Place) -> Result<Vec<EventId>, StoreError>,
        k: usize,
    ) -> Result<Option<Vec<EventId>>, StoreError> {
        let spatial = self.place(k).map(locate).transpose()?;
        Ok(match (spatial, &self.ids) {
            (None, ids) => ids.clone(),
            (Some(found), None) => Some(found),
            (Some(mut found), Some(ids)) => {
                found.retain(|id| ids.binary_search(id).is_ok());
                Some(found)
            }
        })
    }

    /// Where the events must be, `k` of them for a nearest query.
    fn place(&self, k: usize) -> Option<Place> {
        match self.spatial {
            Spatial::Anywhere => None,
            Spatial::Within(area) => Some(Place::Within(area)),
            Spatial::Nearest { lon, lat } => Some(Place::Nearest { lon, lat, k }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtree::Bbox;

    /// The query of `pairs`, read as axum reads a query string.
    fn check(pairs: &[(&str, &str)]) -> Result<EventQuery, ApiError> {
        let q: String = pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        let uri: axum::http::Uri = format!("/?{q}").parse().expect("test URI parses");
        let params: EventParams = axum::extract::Query::try_from_uri(&uri)
            .expect("test query parses")
            .0;
        EventQuery::check(&params)
    }

    #[test]
    fn good_query() {
        let q = check(&[
            ("bbox", "44,38,48,41"),
            ("from", "2020-09-27"),
            ("type", "battles,protests"),
            ("limit", "10"),
        ])
        .expect("valid");
        assert!(matches!(q.spatial, Spatial::Within(Area::Bbox(_))));
        assert_eq!(q.filter.types, vec!["battles", "protests"]);
        assert_eq!(q.limit, Some(10));
    }

    #[test]
    fn ids_take_ranges_and_narrow_the_place() {
        let q = check(&[("ids", "12,3-5,4,40-41")]).expect("valid");
        assert_eq!(q.ids, Some(vec![3, 4, 5, 12, 40, 41]));
        let index = crate::rtree::EventIndex::build(vec![
            (3, crate::rtree::point_bbox(46.75, 39.82)),
            (4, crate::rtree::point_bbox(49.87, 40.41)),
            (12, crate::rtree::point_bbox(46.76, 39.76)),
            (13, crate::rtree::point_bbox(46.77, 39.80)),
        ]);
        let locate = |place| Ok(crate::ingest::locate_in_index(&index, place));
        assert_eq!(
            q.candidate_ids(&locate, 10).expect("located"),
            Some(vec![3, 4, 5, 12, 40, 41])
        );
        let near = check(&[("ids", "3-5,12"), ("bbox", "46,39,47,40")]).expect("valid");
        assert_eq!(
            near.candidate_ids(&locate, 10).expect("located"),
            Some(vec![3, 12])
        );
    }

    #[test]
    fn a_box_goes_to_the_database_that_indexes_places_and_to_the_r_tree_otherwise() {
        let q = check(&[("ids", "3-5,12"), ("bbox", "46,39,47,40")]).expect("valid");
        let index = crate::rtree::EventIndex::build(vec![
            (3, crate::rtree::point_bbox(46.75, 39.82)),
            (12, crate::rtree::point_bbox(46.76, 39.76)),
            (13, crate::rtree::point_bbox(46.77, 39.80)),
        ]);
        let locate = |place| Ok(crate::ingest::locate_in_index(&index, place));
        let (filter, ids) = q.scope_with(true, &locate, 10).expect("scoped");
        assert_eq!(
            filter.within,
            Some(Area::Bbox(Bbox::from([46.0, 39.0, 47.0, 40.0])))
        );
        assert_eq!(ids, Some(vec![3, 4, 5, 12]), "only the ids parameter");
        let (filter, ids) = q.scope_with(false, &locate, 10).expect("scoped");
        assert_eq!(filter.within, None);
        assert_eq!(ids, Some(vec![3, 12]), "the R-tree's among the ids");
        let near = check(&[("near", "46.75,39.8")]).expect("valid");
        let (filter, ids) = near.scope_with(true, &locate, 2).expect("scoped");
        assert_eq!(filter.within, None, "a nearest query is always located");
        assert_eq!(ids.map(|i| i.len()), Some(2));
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
            let e = check(&pairs).expect_err("invalid");
            assert_eq!(e.status, axum::http::StatusCode::BAD_REQUEST);
            assert!(e.message.contains(needle), "{} lacks {needle}", e.message);
        }
    }
}
