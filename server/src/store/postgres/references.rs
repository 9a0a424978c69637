//! The SQL of reference layers in PostgreSQL, as in SQLite (`sqlite/references.rs`): the
//! `reference_layers` table of the GeoJSON files users add to the map.

use super::super::{NewReference, Result, timestamp};
use chrono::Utc;
use postgres::{Client, Row};
use vocab::ReferenceLayer;

/// The columns of [`ReferenceLayer`], in the order [`layer_row`] reads them.
const LAYER_COLUMNS: &str = "id, name, features, added";

fn layer_row(r: &Row) -> Result<ReferenceLayer> {
    Ok(ReferenceLayer {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        features: r.try_get::<_, i64>(2)?.max(0).unsigned_abs(),
        added: r.try_get(3)?,
    })
}

/// Keeps a layer.
pub(super) fn insert(
    client: &mut Client,
    layer: &NewReference,
    who: &str,
) -> Result<ReferenceLayer> {
    let features = i64::try_from(layer.features).unwrap_or(i64::MAX);
    let row = client.query_one(
        &format!(
            "INSERT INTO reference_layers (name, features, geojson, added, who) \
             VALUES ($1, $2, $3, $4, $5) RETURNING {LAYER_COLUMNS}"
        ),
        &[
            &layer.name,
            &features,
            &layer.geojson,
            &timestamp(Utc::now()),
            &who,
        ],
    )?;
    layer_row(&row)
}

/// Every layer, by id.
pub(super) fn all(client: &mut Client) -> Result<Vec<ReferenceLayer>> {
    client
        .query(
            &format!("SELECT {LAYER_COLUMNS} FROM reference_layers ORDER BY id"),
            &[],
        )?
        .iter()
        .map(layer_row)
        .collect()
}

/// A layer's GeoJSON.
pub(super) fn geojson(client: &mut Client, id: i64) -> Result<Option<String>> {
    let row = client.query_opt("SELECT geojson FROM reference_layers WHERE id = $1", &[&id])?;
    Ok(row.map(|r| r.try_get(0)).transpose()?)
}

/// Removes a layer; whether there was one.
pub(super) fn delete(client: &mut Client, id: i64) -> Result<bool> {
    Ok(client.execute("DELETE FROM reference_layers WHERE id = $1", &[&id])? == 1)
}
