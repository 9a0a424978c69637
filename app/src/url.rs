//! The map view as a URL query string and back: centre, zoom, time range, filters, the selected
//! event, the tile layer, what the map draws of the events (`layer`) and the reference layers
//! drawn under them (`ref`). The filters are the API's parameters ([`EventParams`]), read and
//! written by the same code as the server's, so the same query string on
//! `/api/events.geojson` downloads what the view shows.

use crate::map::mode::Layer;
use vocab::EventParams;

/// Where the map opens when the URL says nothing: the South Caucasus.
pub const DEFAULT_CENTRE: [f64; 2] = [46.5, 40.3];

/// The zoom the map opens at when the URL says nothing.
pub const DEFAULT_ZOOM: f64 = 6.0;

/// The farthest the map zooms out.
pub const MIN_ZOOM: f64 = 1.0;

/// The closest the map zooms in.
pub const MAX_ZOOM: f64 = 18.0;

/// The zoom of a link to one event (feeds, exports).
pub const EVENT_ZOOM: f64 = 9.0;

/// The map's address (path and query) of one event: centred on its point, `[lon, lat]`, and
/// selected, as a feed entry or an export links to it.
pub fn event_link(id: i64, [lon, lat]: [f64; 2]) -> String {
    let state = ViewState {
        centre: [lon.clamp(-180.0, 180.0), lat.clamp(-85.0, 85.0)],
        zoom: EVENT_ZOOM,
        selected: Some(id),
        ..ViewState::default()
    };
    format!("/?{}", state.to_query())
}

/// What the API filters events on (besides where they are).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// First day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// Event types to show; empty shows every type.
    pub types: Vec<String>,
    /// ISO 3166-1 alpha-2 country code; empty for all.
    pub country: String,
    /// Full-text query; empty for none.
    pub q: String,
    /// Lowest confidence, 0 to 1.
    pub min_confidence: Option<f64>,
    /// Coarsest place shown, ACLED's `geo_precision` 1 to 3; `None` shows every one.
    pub precision: Option<u8>,
    /// Only events of this status (`verified`, `corrected`, `machine`, `imported`); empty for
    /// all.
    pub status: String,
}

impl Filters {
    /// The filters of a query's parameters, leaving out those whose value is wrong (a link
    /// with a bad date still opens the map); the country reads in capitals.
    pub fn from_params(params: &EventParams) -> Self {
        Self {
            from: params.from_day().ok().flatten().map(|d| d.to_string()),
            to: params.to_day().ok().flatten().map(|d| d.to_string()),
            types: params.types(),
            country: params.country().unwrap_or_default().to_uppercase(),
            q: params.q().unwrap_or_default(),
            min_confidence: params.min_confidence().ok().flatten(),
            precision: params.precision().ok().flatten().filter(|&p| p < 3),
            status: params.statuses().join(","),
        }
    }

    /// The filters as the API's parameters.
    pub fn params(&self) -> EventParams {
        let nonempty = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        EventParams {
            from: self.from.clone(),
            to: self.to.clone(),
            event_type: nonempty(&self.types.join(",")),
            country: nonempty(&self.country),
            q: nonempty(&self.q),
            min_confidence: self.min_confidence.map(|c| format!("{c}")),
            precision: self.precision.map(|p| p.to_string()),
            status: nonempty(&self.status),
            ..EventParams::default()
        }
    }

    /// The filters the server applies to the events it sends the map: all but the time range,
    /// which the browser applies so that the timeline shows every date.
    pub fn server_pairs(&self) -> Vec<(&'static str, String)> {
        EventParams {
            from: None,
            to: None,
            ..self.params()
        }
        .pairs()
    }

    /// Every filter as query pairs, the time range first.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        self.params().pairs()
    }

    /// Whether a day (days since 1970) is within the time range; undated events pass only when
    /// no range is set.
    pub fn admits_day(&self, day: Option<i32>) -> bool {
        let from = self.from.as_deref().and_then(crate::model::day_number);
        let to = self.to.as_deref().and_then(crate::model::day_number);
        match (day, from, to) {
            (_, None, None) => true,
            (None, _, _) => false,
            (Some(d), f, t) => f.is_none_or(|f| d >= f) && t.is_none_or(|t| d <= t),
        }
    }
}

/// Everything a link to the map holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewState {
    /// Longitude and latitude of the centre.
    pub centre: [f64; 2],
    /// Zoom level (0 shows the world in 256 pixels).
    pub zoom: f64,
    /// The filters.
    pub filters: Filters,
    /// The selected event.
    pub selected: Option<i64>,
    /// Whether the raster tile layer is on.
    pub tiles: bool,
    /// What the map draws of the events.
    pub layer: Layer,
    /// The reference layers drawn under the events, by id, in the order they were turned on.
    pub references: Vec<i64>,
}

impl Default for ViewState {
    fn default() -> Self {
        Self {
            centre: DEFAULT_CENTRE,
            zoom: DEFAULT_ZOOM,
            filters: Filters::default(),
            selected: None,
            tiles: false,
            layer: Layer::Events,
            references: Vec::new(),
        }
    }
}

impl ViewState {
    /// Reads a query string (with or without its `?`); what is missing or malformed keeps its
    /// default.
    pub fn from_query(query: &str) -> Self {
        let mut state = Self::default();
        let mut params = EventParams::default();
        let query = query.strip_prefix('?').unwrap_or(query);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value);
            if !params.push(key, &value) {
                state.read_view(key, &value);
            }
        }
        state.filters = Filters::from_params(&params);
        state
    }

    /// Takes a pair of the view's own (`lon`, `lat`, `z`, `sel`, `tiles`, `layer`, `ref`); a
    /// malformed value keeps the default.
    fn read_view(&mut self, key: &str, value: &str) {
        let number = value.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        match key {
            "lon" => {
                if let Some(v) = number.filter(|v| (-180.0..=180.0).contains(v)) {
                    self.centre[0] = v;
                }
            }
            "lat" => {
                if let Some(v) = number.filter(|v| (-85.0..=85.0).contains(v)) {
                    self.centre[1] = v;
                }
            }
            "z" => {
                if let Some(v) = number {
                    self.zoom = v.clamp(MIN_ZOOM, MAX_ZOOM);
                }
            }
            "sel" => self.selected = value.trim().parse().ok(),
            "tiles" => self.tiles = matches!(value, "1" | "true"),
            "layer" => self.layer = Layer::parse(value).unwrap_or_default(),
            "ref" => self.references = reference_ids(value),
            _ => {}
        }
    }

    /// The query string, without `?`: the view first, then the filters.
    pub fn to_query(&self) -> String {
        let mut pairs = vec![
            ("z", format!("{:.2}", self.zoom)),
            ("lat", format!("{:.4}", self.centre[1])),
            ("lon", format!("{:.4}", self.centre[0])),
        ];
        pairs.extend(self.filters.pairs());
        if let Some(id) = self.selected {
            pairs.push(("sel", id.to_string()));
        }
        if self.tiles {
            pairs.push(("tiles", "1".to_owned()));
        }
        if self.layer != Layer::Events {
            pairs.push(("layer", self.layer.name().to_owned()));
        }
        if !self.references.is_empty() {
            let ids: Vec<String> = self.references.iter().map(i64::to_string).collect();
            pairs.push(("ref", ids.join(",")));
        }
        join_pairs(&pairs)
    }
}

/// The reference layers' ids of `ref=1,3`: the positive ones, each once, in their order.
fn reference_ids(value: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = Vec::new();
    for id in value
        .split(',')
        .filter_map(|v| v.trim().parse::<i64>().ok())
    {
        if id > 0 && !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// Joins pairs into a query string, each value percent-encoded.
pub fn join_pairs(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b',' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes a query value: `+` is a space, `%XX` a byte; invalid UTF-8 is replaced.
pub fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_link_opens_the_map_on_it() {
        let link = event_link(12, [46.75, 39.81]);
        assert_eq!(link, "/?z=9.00&lat=39.8100&lon=46.7500&sel=12");
        let state = ViewState::from_query(link.trim_start_matches("/?"));
        assert_eq!((state.selected, state.centre), (Some(12), [46.75, 39.81]));
    }

    #[test]
    fn round_trips_a_view() {
        let state = ViewState {
            centre: [46.7519, 39.8153],
            zoom: 9.5,
            filters: Filters {
                from: Some("2020-09-27".into()),
                to: Some("2020-11-10".into()),
                types: vec!["battles".into(), "protests".into()],
                country: "AZ".into(),
                q: "Gandja & Bakou".into(),
                min_confidence: Some(0.5),
                precision: Some(2),
                status: "verified,corrected".into(),
            },
            selected: Some(12),
            tiles: true,
            layer: Layer::DivisionFatalities,
            references: vec![3, 1],
        };
        let query = state.to_query();
        assert!(query.contains("type=battles,protests"), "{query}");
        assert!(query.ends_with("&layer=fatalities&ref=3,1"), "{query}");
        assert!(query.contains("q=Gandja%20%26%20Bakou"), "{query}");
        assert!(query.contains("status=verified,corrected"), "{query}");
        assert_eq!(ViewState::from_query(&query), state);
    }

    #[test]
    fn bad_values_keep_defaults() {
        let state =
            ViewState::from_query("?z=banana&lat=99&from=2020-02-31x&sel=x&q=%ZZ&layer=lava");
        assert_eq!(state.layer, Layer::Events);
        let refs = ViewState::from_query("ref=2,x,-1,2,5");
        assert_eq!(refs.references, [2, 5]);
        assert_eq!(state.zoom, DEFAULT_ZOOM);
        assert_eq!(state.centre, DEFAULT_CENTRE);
        assert_eq!(state.filters.from, None);
        assert_eq!(state.selected, None);
        assert_eq!(state.filters.q, "%ZZ");
    }

    #[test]
    fn time_range_admits_days() {
        let f = Filters {
            from: Some("2020-10-01".into()),
            to: Some("2020-10-31".into()),
            ..Filters::default()
        };
        assert!(f.admits_day(crate::model::day_number("2020-10-09")));
        assert!(!f.admits_day(crate::model::day_number("2020-11-01")));
        assert!(!f.admits_day(None));
        assert!(Filters::default().admits_day(None));
    }
}
