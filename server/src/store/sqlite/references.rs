//! The SQL of reference layers: the `reference_layers` table of the GeoJSON files users add to
//! the map.

use super::super::{NewReference, Result, timestamp};
use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, Row, params};
use vocab::ReferenceLayer;

/// The columns of [`ReferenceLayer`], in the order [`layer_row`] reads them.
const LAYER_COLUMNS: &str = "id, name, features, added";

fn layer_row(r: &Row<'_>) -> rusqlite::Result<ReferenceLayer> {
    Ok(ReferenceLayer {
        id: r.get(0)?,
        name: r.get(1)?,
        features: r.get::<_, i64>(2)?.max(0).unsigned_abs(),
        added: r.get(3)?,
    })
}

/// Keeps a layer.
pub(super) fn insert(conn: &Connection, layer: &NewReference, who: &str) -> Result<ReferenceLayer> {
    let features = i64::try_from(layer.features).unwrap_or(i64::MAX);
    let row = conn.query_row(
        &format!(
            "INSERT INTO reference_layers (name, features, geojson, added, who) \
             VALUES (?1, ?2, ?3, ?4, ?5) RETURNING {LAYER_COLUMNS}"
        ),
        params![
            layer.name,
            features,
            layer.geojson,
            timestamp(Utc::now()),
            who
        ],
        layer_row,
    )?;
    Ok(row)
}

/// Every layer, by id.
pub(super) fn all(conn: &Connection) -> Result<Vec<ReferenceLayer>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {LAYER_COLUMNS} FROM reference_layers ORDER BY id"
    ))?;
    let layers = stmt
        .query_map([], layer_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(layers)
}

/// A layer's GeoJSON.
pub(super) fn geojson(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT geojson FROM reference_layers WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Removes a layer; whether there was one.
pub(super) fn delete(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.execute("DELETE FROM reference_layers WHERE id = ?1", [id])? == 1)
}
