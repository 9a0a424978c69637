/*!
karta's shared vocabulary: the words the extractor, the server and the map must spell the same.

It is small and portable on purpose (serde, chrono and the `geojson` crate), so that the map
compiles it to WASM for the browser, in the manner of `geo-types` beside `geo`.

# Brief overview

- [`EventType`], with [`EventType::ALL`], its API name and label, and its look on the map
  ([`EventType::style`], [`TypeStyle`], [`Symbol`]).
- [`Bbox`], the box of a query or a view, with its one text form
  `min_lon,min_lat,max_lon,max_lat`, and [`check_lon_lat`].
- [`EventParams`], the parameters of `/api/events` and of the map's address: their names,
  their text and the typed reading of each, with [`ParamError`]s that name the parameter.
- [`EventRow`], an event as the flat row the API sends (CSV lines, GeoJSON properties) and the
  map reads; [`EventFeature`], the row with its geometry, as a GeoJSON feature
  ([`read_events`], [`write_events`]), with its [`Source`]s: each document that reports it.
- [`Clusters`], a view's events binned on a grid when they are too many to send one by one
  (`/api/clusters`), each [`Cluster`] with its count, type mix and time span.
- [`Divisions`], a query's events summed per first-level division (`/api/divisions`), each
  [`Division`] with its GeoNames code, name, count and fatalities.
- [`countries`], every country's code and English name ([`country_name`]), as the gazetteer
  names them.
- [`ReferenceLayer`], a GeoJSON file a user adds to draw under the events, checked and read
  into [`Shapes`] by [`read_reference`].

# Example

```
use vocab::{Bbox, EventParams, EventType};

let mut params = EventParams::default();
params.push("bbox", "44,38,48,41");
params.push("type", "battles,protests");
assert_eq!(params.bbox()?, Some(Bbox::from([44.0, 38.0, 48.0, 41.0])));
let types: Vec<_> = params.types().iter().filter_map(|t| EventType::parse(t)).collect();
assert_eq!(types, [EventType::Battles, EventType::Protests]);
assert_eq!(EventType::Battles.style().label, "Battles");
# Ok::<(), Box<dyn std::error::Error>>(())
```
*/

#![deny(missing_docs)]

pub use crate::bbox::{Bbox, BboxError, CoordinateError, check_lon_lat};
pub use crate::cluster::{Cluster, Clusters};
pub use crate::country::{countries, country_name};
pub use crate::division::{Division, Divisions};
pub use crate::event_type::EventType;
pub use crate::feature::{EventFeature, FeatureError, read_events, write_events};
pub use crate::params::{EventParams, MAX_IDS, ParamError, parse_day, parse_ids};
pub use crate::reference::{
    MAX_REFERENCE_BYTES, MAX_REFERENCE_NAME, MAX_REFERENCE_POSITIONS, ReferenceError,
    ReferenceLayer, Shapes, read_reference, reference_name,
};
pub use crate::row::{EventRow, is_coarse, place_precision, time_precision};
pub use crate::source::Source;
pub use crate::style::{STYLES, Symbol, TypeStyle, type_style};

mod bbox;
mod cluster;
mod country;
mod division;
mod event_type;
mod feature;
mod params;
mod reference;
mod row;
mod source;
mod style;
