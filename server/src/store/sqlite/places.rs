//! The events summed per place in SQL (`Store::place_sums`), for `/api/divisions`: one grouped
//! query (a query per chunk of candidate ids), not a row per event.

use super::super::{EventFilter, EventId, PlaceSum, PlaceTally, Result};
use super::{ID_CHUNK, filter_sql};
use rusqlite::types::Value;
use rusqlite::{Connection, ToSql};
use std::rc::Rc;

/// An event's fatalities as its row reports them: the lowest a source gives, else its own.
/// The sources are read as JSON only when one gives a number (most give none).
const FATALITIES: &str = "coalesce(CASE WHEN sources GLOB '*\"fatalities\":[0-9]*' \
    THEN (SELECT min(json_extract(s.value, '$.fatalities')) FROM json_each(events.sources) AS s) \
    ELSE json_extract(data, '$.fatalities') END, 0)";

/// The events that pass `filter` (among `ids` when given) per place.
pub(super) fn sums(
    conn: &Connection,
    filter: &EventFilter,
    ids: Option<&[EventId]>,
) -> Result<Vec<PlaceSum>> {
    let mut params = Vec::new();
    let cond = filter_sql(filter, &mut params);
    let mut tally = PlaceTally::default();
    let mut run = |list: Option<&Rc<Vec<Value>>>| -> Result<()> {
        let mut all: Vec<&dyn ToSql> = params.iter().map(|v| v as &dyn ToSql).collect();
        let extra = match list {
            Some(list) => {
                all.push(list);
                format!("AND id IN rarray(?{})", all.len())
            }
            None => String::new(),
        };
        let sql = format!(
            "SELECT place_id, count(*), sum({FATALITIES}) FROM events WHERE {cond} {extra} \
             GROUP BY place_id"
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query(all.as_slice())?;
        while let Some(row) = rows.next()? {
            tally.add_sum(PlaceSum {
                place: row.get(0)?,
                count: row.get::<_, i64>(1)?.unsigned_abs(),
                fatalities: row.get::<_, Option<i64>>(2)?.unwrap_or(0).unsigned_abs(),
            });
        }
        Ok(())
    };
    match ids {
        None => run(None)?,
        Some(ids) => {
            for chunk in ids.chunks(ID_CHUNK) {
                let list = Rc::new(chunk.iter().map(|&i| Value::from(i)).collect());
                run(Some(&list))?;
            }
        }
    }
    Ok(tally.finish())
}
