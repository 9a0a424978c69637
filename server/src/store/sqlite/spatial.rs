//! Where events are, in SQLite without its R-tree: the condition that an event's box lies in a
//! filter's [`Area`], checked row by row by two functions registered on every connection,
//! which decide as the server's R-tree does ([`crate::rtree::boxes_meet`],
//! [`crate::rtree::box_within_km`]). The server asks the R-tree instead
//! ([`super::super::Store::indexes_places`] is false): this answers direct callers the same.

use super::super::Area;
use crate::rtree::{Bbox, box_within_km, boxes_meet};
use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::Value;
use rusqlite::{Connection, Result};

/// Registers `karta_meets(min_lon, min_lat, max_lon, max_lat, w, s, e, n)` (whether an event's
/// box meets a box) and `karta_within_km(min_lon, min_lat, max_lon, max_lat, lon, lat, km)`
/// (whether it is that close to a point) on `conn`.
pub(super) fn register(conn: &Connection) -> Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8
        | FunctionFlags::SQLITE_DETERMINISTIC
        | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("karta_meets", 8, flags, |ctx| {
        Ok(boxes_meet(&event_box(ctx)?, &Bbox::from(reals(ctx, 4)?)))
    })?;
    conn.create_scalar_function("karta_within_km", 7, flags, |ctx| {
        let [lon, lat, km] = reals(ctx, 4)?;
        Ok(box_within_km(&event_box(ctx)?, lon, lat, km))
    })
}

/// The event's box: the function's first four arguments.
fn event_box(ctx: &Context<'_>) -> Result<Bbox> {
    reals::<4>(ctx, 0).map(Bbox::from)
}

/// `N` arguments from `first` on, as numbers.
fn reals<const N: usize>(ctx: &Context<'_>, first: usize) -> Result<[f64; N]> {
    let mut out = [0.0; N];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = ctx.get(first + i)?;
    }
    Ok(out)
}

/// The SQL condition that an event lies in `area`, its parameters appended to `params`.
pub(super) fn area_condition(area: &Area, params: &mut Vec<Value>) -> String {
    let columns = "min_lon, min_lat, max_lon, max_lat";
    let (function, values) = match *area {
        Area::Bbox(b) => (
            "karta_meets",
            vec![b.min_lon, b.min_lat, b.max_lon, b.max_lat],
        ),
        Area::Radius { lon, lat, km } => ("karta_within_km", vec![lon, lat, km]),
    };
    let mut args = Vec::new();
    for v in values {
        params.push(Value::Real(v));
        args.push(format!("?{}", params.len()));
    }
    format!("{function}({columns}, {})", args.join(", "))
}
