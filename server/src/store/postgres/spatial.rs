//! Where events are, in PostGIS: the condition that an event lies in a box (both parts of one
//! across the antimeridian) or within a radius, for a filter's [`Area`], and the ids of the
//! events at a [`Place`] as the R-tree would find them ([`super::super::Store::locate`]).

use super::super::{Area, EventId, Place, Result};
use crate::rtree::{radius_search_box, split_at_antimeridian};
use postgres::Client;
use postgres::types::ToSql;

/// Candidates the GiST index hands to a nearest query per event asked, before they are ranked
/// on the sphere (as the R-tree's margin).
const NEAREST_MARGIN: usize = 4;

/// The events on the map: neither deleted nor following another.
const ON_MAP: &str = "NOT deleted AND incident IS NULL AND geom IS NOT NULL";

/// The SQL condition that an event lies in `area`, with its parameters, numbered on from
/// `before` parameters already there.
pub(super) fn area_sql(area: &Area, before: usize) -> (String, Vec<f64>) {
    let n = |i: usize| format!("${}", before + i);
    match *area {
        Area::Bbox(b) => {
            let mut params: Vec<f64> = Vec::new();
            let mut boxes = Vec::new();
            for part in split_at_antimeridian(&b) {
                let i = params.len();
                params.extend([part.min_lon, part.min_lat, part.max_lon, part.max_lat]);
                boxes.push(format!(
                    "ST_Intersects(geom, ST_MakeEnvelope({}, {}, {}, {}, 4326))",
                    n(i + 1),
                    n(i + 2),
                    n(i + 3),
                    n(i + 4)
                ));
            }
            (format!("({})", boxes.join(" OR ")), params)
        }
        Area::Radius { lon, lat, km } => {
            let (near, mut params) = area_sql(&Area::Bbox(radius_search_box(lon, lat, km)), before);
            let i = params.len();
            params.extend([lon, lat, km]);
            let sql = format!(
                "({near} AND karta_within_km(min_lon, min_lat, max_lon, max_lat, {}, {}, {}))",
                n(i + 1),
                n(i + 2),
                n(i + 3)
            );
            (sql, params)
        }
    }
}

/// The ids of the events on the map at `place`, ascending (nearest first for a nearest
/// query), as the R-tree finds them.
pub(super) fn locate(client: &mut Client, place: &Place) -> Result<Vec<EventId>> {
    let area = match *place {
        Place::Within(area) => area,
        Place::Nearest { lon, lat, k } => return nearest(client, lon, lat, k),
    };
    let (cond, params) = area_sql(&area, 0);
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
    let rows = client.query(
        &format!("SELECT id FROM events WHERE {ON_MAP} AND {cond} ORDER BY id"),
        &refs,
    )?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}

/// The ids of the `k` events on the map nearest a point, nearest first: candidates from the
/// GiST index by planar distance, ranked on the sphere.
fn nearest(client: &mut Client, lon: f64, lat: f64, k: usize) -> Result<Vec<EventId>> {
    let k = i64::try_from(k).unwrap_or(i64::MAX);
    let candidates = k.saturating_mul(NEAREST_MARGIN as i64).max(16);
    let rows = client.query(
        &format!(
            "SELECT id FROM (SELECT id, geom FROM events WHERE {ON_MAP} \
             ORDER BY geom <-> ST_SetSRID(ST_MakePoint($1, $2), 4326) LIMIT $3) AS c \
             ORDER BY ST_Distance(geom::geography, ST_MakePoint($1, $2)::geography, false), id \
             LIMIT $4"
        ),
        &[&lon, &lat, &candidates, &k],
    )?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}
