//! Events in PostgreSQL: the columns an event writes (with its PostGIS box and its words),
//! the rows read back, and the SQL of a filter.

use super::super::columns::{
    Columns, KeptEvent, RawEvent, Reextracted, conservative, machine_events_gone, now,
    reextraction, source_urls, stored_event,
};
use super::super::{
    DocumentId, EventChange, EventFilter, EventId, EventRow, EventStatus, Result, StoreError,
    StoredEvent,
};
use super::spatial::area_sql;
use crate::rtree::Bbox;
use chrono::Datelike;
use extract::Event;
use gazetteer::Mention;
use postgres::types::ToSql;
use postgres::{GenericClient, Row, Transaction};
use std::collections::HashMap;

/// Parameters of a query built at run time.
pub(super) type Params = Vec<Box<dyn ToSql + Sync>>;

/// The columns of [`EventRow`], in the order [`event_row`] reads them (as SQLite's).
pub(super) const ROW_COLUMNS: &str = "id, document_id, status, deleted, event_type, sub_type, \
    date, date_precision, location_precision, country, place_id, place_name, actors, claim, \
    sentence, confidence, updated, CASE WHEN min_lon <= max_lon THEN (min_lon + max_lon) / 2 \
    WHEN min_lon + max_lon > 0 THEN (min_lon + max_lon) / 2 - 180 \
    ELSE (min_lon + max_lon) / 2 + 180 END, (min_lat + max_lat) / 2, geometry, data, sources";

/// What a row shows of its event's `data` beyond the columns: the figures, the precision of
/// the place and the actors' words. Read from the `data` text the row carries anyway, once:
/// each `data::jsonb` in SQL parses the whole document again, and five of them took about
/// 80 µs a row (60 of the 70 ms of a city's 808 events through `psql`).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct RowExtras {
    fatalities: Option<i64>,
    wounded: Option<i64>,
    geo_precision: Option<i64>,
    actor1: Option<ActorWords>,
    actor2: Option<ActorWords>,
}

/// The words of an actor in an event's `data`.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct ActorWords {
    text: Option<String>,
}

/// The columns of [`StoredEvent`], in the order [`raw_event`] reads them.
pub(super) const EVENT_COLUMNS: &str =
    "id, document_id, status, deleted, updated, data, incident, sources";

/// A box as PostGIS's extended WKT: a point, a segment, a polygon, or, across the
/// antimeridian, a collection of the parts either side; `None` when it is not finite.
pub(super) fn box_ewkt(b: &Bbox) -> Option<String> {
    let edges = [b.min_lon, b.min_lat, b.max_lon, b.max_lat];
    if !edges.iter().all(|v| v.is_finite()) {
        return None;
    }
    let part = |w: f64, s: f64, e: f64, n: f64| match (w == e, s == n) {
        (true, true) => format!("POINT({w} {s})"),
        (true, false) | (false, true) => format!("LINESTRING({w} {s},{e} {n})"),
        (false, false) => format!("POLYGON(({w} {s},{e} {s},{e} {n},{w} {n},{w} {s}))"),
    };
    Some(if b.min_lon <= b.max_lon {
        format!(
            "SRID=4326;{}",
            part(b.min_lon, b.min_lat, b.max_lon, b.max_lat)
        )
    } else {
        format!(
            "SRID=4326;GEOMETRYCOLLECTION({},{})",
            part(b.min_lon, b.min_lat, 180.0, b.max_lat),
            part(-180.0, b.min_lat, b.max_lon, b.max_lat)
        )
    })
}

/// The values an event writes, in the order of [`WRITTEN`]: `$1` … `$21`.
fn written<'a>(
    c: &'a Columns,
    event: &'a Event,
    ewkt: &'a Option<String>,
) -> [&'a (dyn ToSql + Sync); 21] {
    [
        &c.event_type,
        &event.sub_type,
        &c.date,
        &c.day,
        &c.date_precision,
        &c.location_precision,
        &c.country,
        &c.place_id,
        &c.place_name,
        &c.actors,
        &c.claim,
        &event.sentence.text,
        &event.confidence,
        &c.geometry,
        &c.bbox.min_lon,
        &c.bbox.min_lat,
        &c.bbox.max_lon,
        &c.bbox.max_lat,
        &c.data,
        ewkt,
        &c.fts,
    ]
}

/// The columns [`written`] fills, and their values in SQL.
const WRITTEN: [(&str, &str); 21] = [
    ("event_type", "$1"),
    ("sub_type", "$2"),
    ("date", "$3"),
    ("day", "$4"),
    ("date_precision", "$5"),
    ("location_precision", "$6"),
    ("country", "$7"),
    ("place_id", "$8"),
    ("place_name", "$9"),
    ("actors", "$10"),
    ("claim", "$11"),
    ("sentence", "$12"),
    ("confidence", "$13"),
    ("geometry", "$14"),
    ("min_lon", "$15"),
    ("min_lat", "$16"),
    ("max_lon", "$17"),
    ("max_lat", "$18"),
    ("data", "$19"),
    ("geom", "ST_GeomFromEWKT($20)"),
    ("search", "to_tsvector('simple', unaccent($21))"),
];

/// Stores an event; `None` when one with the same key is there already.
pub(super) fn insert_event(
    tx: &mut Transaction<'_>,
    document_id: Option<DocumentId>,
    key: &str,
    source: Option<&str>,
    status: EventStatus,
    event: &Event,
) -> Result<Option<EventChange>> {
    let c = Columns::of(event)?;
    let ewkt = box_ewkt(&c.bbox);
    let at = now();
    let status = status.as_str();
    let mut params: Vec<&(dyn ToSql + Sync)> = written(&c, event, &ewkt).to_vec();
    params.extend([
        &document_id as &(dyn ToSql + Sync),
        &key,
        &source,
        &status,
        &at,
    ]);
    let columns: Vec<&str> = WRITTEN.iter().map(|(c, _)| *c).collect();
    let values: Vec<&str> = WRITTEN.iter().map(|(_, v)| *v).collect();
    let sql = format!(
        "INSERT INTO events ({}, document_id, key, source, status, created, updated) \
         VALUES ({}, $22, $23, $24, $25, $26, $26) ON CONFLICT DO NOTHING RETURNING id",
        columns.join(", "),
        values.join(", ")
    );
    let Some(row) = tx.query_opt(&sql, &params)? else {
        return Ok(None);
    };
    Ok(Some(EventChange {
        id: row.try_get(0)?,
        bbox: Some(c.bbox),
    }))
}

/// Replaces an event's content.
pub(super) fn update_event(
    tx: &mut Transaction<'_>,
    id: EventId,
    status: EventStatus,
    event: &Event,
) -> Result<EventChange> {
    let c = Columns::of(event)?;
    let ewkt = box_ewkt(&c.bbox);
    let at = now();
    let status = status.as_str();
    let mut params: Vec<&(dyn ToSql + Sync)> = written(&c, event, &ewkt).to_vec();
    params.extend([&id as &(dyn ToSql + Sync), &status, &at]);
    let sets: Vec<String> = WRITTEN.iter().map(|(c, v)| format!("{c} = {v}")).collect();
    tx.execute(
        &format!(
            "UPDATE events SET {}, status = $23, updated = $24 WHERE id = $22",
            sets.join(", ")
        ),
        &params,
    )?;
    Ok(EventChange {
        id,
        bbox: Some(c.bbox),
    })
}

/// Stores a document's mentions, in one statement (a round trip each cost more than the
/// insert).
pub(super) fn insert_mentions(
    tx: &mut Transaction<'_>,
    id: DocumentId,
    mentions: &[Mention],
) -> Result<()> {
    if mentions.is_empty() {
        return Ok(());
    }
    let starts: Vec<i64> = mentions.iter().map(|m| m.chars.start as i64).collect();
    let ends: Vec<i64> = mentions.iter().map(|m| m.chars.end as i64).collect();
    let places: Vec<i64> = mentions.iter().map(|m| i64::from(m.place.id)).collect();
    let scores: Vec<f64> = mentions.iter().map(|m| m.score).collect();
    let data = mentions
        .iter()
        .map(serde_json::to_string)
        .collect::<serde_json::Result<Vec<String>>>()?;
    tx.execute(
        "INSERT INTO mentions (document_id, char_start, char_end, place_id, score, data) \
         SELECT $1, s, e, p, sc, d FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], \
         $5::float8[], $6::text[]) WITH ORDINALITY AS m(s, e, p, sc, d, n) ORDER BY n",
        &[&id, &starts, &ends, &places, &scores, &data],
    )?;
    Ok(())
}

/// A stored JSON column that could not be read.
fn json_column<T: serde::de::DeserializeOwned>(r: &Row, i: usize) -> Result<T> {
    Ok(serde_json::from_str(r.try_get(i)?)?)
}

/// A count that fits a figure, else none.
fn figure(v: Option<i64>) -> Option<u32> {
    v.and_then(|v| u32::try_from(v).ok())
}

/// Reads a row of [`ROW_COLUMNS`].
pub(super) fn event_row(r: &Row) -> Result<EventRow> {
    let event_type: String = r.try_get(4)?;
    let sub_type: String = r.try_get(5)?;
    let date_precision: Option<String> = r.try_get(7)?;
    let disorder_type = vocab::EventType::parse(&event_type)
        .and_then(|t| t.disorder_type(&sub_type))
        .map(str::to_owned);
    let time_precision = date_precision.as_deref().and_then(vocab::time_precision);
    let data: String = r.try_get(20)?;
    let extras: RowExtras = serde_json::from_str(&data)?;
    let sources: Vec<vocab::Source> = json_column(r, 21)?;
    let fields = vocab::EventRow {
        id: r.try_get(0)?,
        document_id: r.try_get(1)?,
        status: r.try_get(2)?,
        deleted: r.try_get(3)?,
        event_type,
        sub_type,
        date: r.try_get(6)?,
        date_precision,
        location_precision: r.try_get(8)?,
        country: r.try_get(9)?,
        place_id: r.try_get(10)?,
        place_name: r.try_get(11)?,
        division: String::new(),
        actors: r.try_get(12)?,
        actor1: extras.actor1.and_then(|a| a.text),
        actor2: extras.actor2.and_then(|a| a.text),
        claim: r.try_get(13)?,
        sentence: r.try_get(14)?,
        confidence: r.try_get(15)?,
        updated: r.try_get(16)?,
        lon: r.try_get(17)?,
        lat: r.try_get(18)?,
        disorder_type,
        time_precision,
        geo_precision: extras.geo_precision.and_then(|p| u8::try_from(p).ok()),
        fatalities: conservative(
            figure(extras.fatalities),
            sources.iter().map(|s| s.fatalities),
        ),
        wounded: conservative(figure(extras.wounded), sources.iter().map(|s| s.wounded)),
        source_count: u32::try_from(sources.len()).unwrap_or(u32::MAX),
        source_urls: source_urls(&sources),
    };
    Ok(EventRow {
        fields,
        geometry: r.try_get(19)?,
        data,
        sources,
    })
}

/// Reads a row of [`EVENT_COLUMNS`].
pub(super) fn raw_event(r: &Row) -> Result<StoredEvent> {
    stored_event(RawEvent {
        id: r.try_get(0)?,
        document_id: r.try_get(1)?,
        status: r.try_get(2)?,
        deleted: r.try_get(3)?,
        updated: r.try_get(4)?,
        data: r.try_get(5)?,
        incident: r.try_get(6)?,
        sources: json_column(r, 7)?,
    })
}

/// One event, deleted or not.
pub(super) fn load_event(c: &mut impl GenericClient, id: EventId) -> Result<Option<StoredEvent>> {
    c.query_opt(
        &format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = $1"),
        &[&id],
    )?
    .as_ref()
    .map(raw_event)
    .transpose()
}

/// The SQL condition for a filter, with its parameters appended to `params` (numbered on from
/// those already there).
pub(super) fn filter_sql(f: &EventFilter, params: &mut Params) -> String {
    let mut conds: Vec<String> = Vec::new();
    if let Some(area) = &f.within {
        let (cond, values) = area_sql(area, params.len());
        params.extend(
            values
                .into_iter()
                .map(|v| Box::new(v) as Box<dyn ToSql + Sync>),
        );
        conds.push(format!("geom IS NOT NULL AND {cond}"));
    }
    // Appends a condition whose `$` stands for `v`.
    let mut push = |cond: &str, v: Box<dyn ToSql + Sync>| {
        params.push(v);
        conds.push(cond.replace('$', &format!("${}", params.len())));
    };
    if let Some(d) = f.from {
        push("day >= $", Box::new(i64::from(d.num_days_from_ce())));
    }
    if let Some(d) = f.to {
        push("day <= $", Box::new(i64::from(d.num_days_from_ce())));
    }
    if let Some(c) = &f.country {
        push("lower(country) = lower($)", Box::new(c.clone()));
    }
    if let Some(a) = &f.actor {
        push("strpos(lower(actors), lower($)) > 0", Box::new(a.clone()));
    }
    if let Some(c) = f.min_confidence {
        push("confidence >= $", Box::new(c));
    }
    if let Some(p) = f.max_geo_precision.filter(|&p| p < 3) {
        push(
            "coalesce((data::jsonb ->> 'geo_precision')::bigint, 3) <= $ \
             AND location_precision != 'document'",
            Box::new(i64::from(p)),
        );
    }
    if let Some(d) = f.document {
        push(
            "(document_id = $ OR id IN (SELECT incident FROM events AS r \
             WHERE r.document_id = $))",
            Box::new(d),
        );
    }
    if let Some(outlet) = &f.source {
        push(
            "id IN (SELECT coalesce(r.incident, r.id) FROM events AS r \
             JOIN documents AS d ON d.id = r.document_id \
             WHERE strpos(lower(d.url), lower($)) > 0)",
            Box::new(outlet.clone()),
        );
    }
    if let Some(cond) =
        f.q.as_deref()
            .and_then(|q| text_condition(q, &f.q_places, params))
    {
        conds.push(cond);
    }
    if !f.types.is_empty() {
        params.push(Box::new(f.types.clone()));
        conds.push(format!("event_type = ANY(${})", params.len()));
    }
    if !f.statuses.is_empty() {
        let names: Vec<String> = f.statuses.iter().map(|s| s.as_str().to_owned()).collect();
        params.push(Box::new(names));
        conds.push(format!("status = ANY(${})", params.len()));
    }
    if !f.include_deleted {
        conds.push("NOT deleted".into());
    }
    // An event that follows another is one of that event's sources, not an event of its own.
    conds.push("incident IS NULL".into());
    conds.join(" AND ")
}

/// The condition of a full-text query: every word of `q` as typed (each a phrase of the
/// words PostgreSQL's `simple` configuration finds in it, accents aside), or a place it names;
/// `None` when `q` has no word.
fn text_condition(q: &str, places: &[i64], params: &mut Params) -> Option<String> {
    let words: Vec<String> = q
        .split_whitespace()
        .map(|w| {
            params.push(Box::new(w.to_owned()));
            format!("phraseto_tsquery('simple', unaccent(${}))", params.len())
        })
        .collect();
    if words.is_empty() {
        return None;
    }
    let words = format!("search @@ ({})", words.join(" && "));
    if places.is_empty() {
        return Some(words);
    }
    params.push(Box::new(places.to_vec()));
    Some(format!("({words} OR place_id = ANY(${}))", params.len()))
}

/// The stored events of a document, by key.
pub(super) fn stored_by_key(
    tx: &mut Transaction<'_>,
    document: DocumentId,
) -> Result<HashMap<String, KeptEvent>> {
    let mut stored = HashMap::new();
    for r in tx.query(
        "SELECT key, id, status, deleted FROM events WHERE document_id = $1",
        &[&document],
    )? {
        let status: &str = r.try_get(2)?;
        stored.insert(
            r.try_get(0)?,
            (r.try_get(1)?, EventStatus::parse(status), r.try_get(3)?),
        );
    }
    Ok(stored)
}

/// Stores a new extraction's events of a document by [`reextraction`]'s rule. Takes the
/// events found again out of `stored`.
pub(super) fn merge_machine_events(
    tx: &mut Transaction<'_>,
    document: DocumentId,
    events: &[Event],
    stored: &mut HashMap<String, KeptEvent>,
) -> Result<Vec<EventChange>> {
    let mut changes = Vec::new();
    for step in reextraction(events, stored) {
        match step {
            Reextracted::Update(id, event) => {
                changes.push(update_event(tx, id, EventStatus::Machine, event)?);
            }
            Reextracted::Insert(key, event) => changes.extend(insert_event(
                tx,
                Some(document),
                &key,
                None,
                EventStatus::Machine,
                event,
            )?),
        }
    }
    Ok(changes)
}

/// Deletes the machine events that a new extraction no longer finds; the others stay.
pub(super) fn delete_machine_events(
    tx: &mut Transaction<'_>,
    left: impl IntoIterator<Item = KeptEvent>,
) -> Result<Vec<EventChange>> {
    let mut changes = Vec::new();
    for id in machine_events_gone(left) {
        tx.execute("DELETE FROM events WHERE id = $1", &[&id])?;
        changes.push(EventChange { id, bbox: None });
    }
    Ok(changes)
}

/// Records a person's change to an event in the audit trail.
pub(super) fn record(
    tx: &mut Transaction<'_>,
    id: EventId,
    who: &str,
    action: &str,
    before: &StoredEvent,
    after: &StoredEvent,
) -> Result<()> {
    tx.execute(
        "INSERT INTO corrections (event_id, who, at, action, before, after) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &id,
            &who,
            &now(),
            &action,
            &serde_json::to_string(before)?,
            &serde_json::to_string(after)?,
        ],
    )?;
    Ok(())
}

/// The event `id` after a write, which must find it.
pub(super) fn reload(tx: &mut Transaction<'_>, id: EventId) -> Result<StoredEvent> {
    load_event(tx, id)?.ok_or(StoreError::NoEvent(id))
}
