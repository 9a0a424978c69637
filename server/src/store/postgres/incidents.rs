//! One incident across documents, in PostgreSQL: the same rules as SQLite's
//! (`sqlite/incidents.rs`, whose module documentation tells them), the same queries in
//! PostgreSQL's dialect. Every write that links runs under the store's write lock, so that two
//! servers link documents one after the other as one SQLite writer does.

use super::super::{DocumentId, EventChange, EventId, EventStatus, Result};
use super::schema::SOURCES_OF_ROW;
use crate::rtree::Bbox;
use extract::Event;
use geo::{Distance, Haversine, Point};
use postgres::Transaction;

/// How far around an event, in degrees of latitude, to look for reports of its incident.
const SEARCH_DEGREES: f64 = 0.5;

/// How many days around an event's date to look for reports of its incident.
const SEARCH_DAYS: u64 = 9;

/// The events of other documents that a document's events were linked with before
/// [`detach_document`].
#[derive(Debug, Default)]
pub(super) struct Detached {
    /// Events that followed one of the document's events.
    followers: Vec<EventId>,
    /// Events that one of the document's events followed.
    leads: Vec<EventId>,
}

/// The ids a query of one parameter, the document, returns.
fn ids(tx: &mut Transaction<'_>, sql: &str, document: DocumentId) -> Result<Vec<EventId>> {
    tx.query(sql, &[&document])?
        .iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect()
}

/// Detaches the events of `document` from the events they follow and from those that follow
/// them.
pub(super) fn detach_document(tx: &mut Transaction<'_>, document: DocumentId) -> Result<Detached> {
    let detached = Detached {
        followers: ids(
            tx,
            "SELECT f.id FROM events AS f JOIN events AS l ON l.id = f.incident \
             WHERE l.document_id = $1 AND f.document_id != $1",
            document,
        )?,
        leads: ids(
            tx,
            "SELECT DISTINCT incident FROM events WHERE document_id = $1 \
             AND incident IS NOT NULL",
            document,
        )?,
    };
    tx.execute(
        "UPDATE events SET incident = NULL WHERE document_id = $1 \
         OR incident IN (SELECT id FROM events WHERE document_id = $1)",
        &[&document],
    )?;
    Ok(detached)
}

/// Writes the list of sources of each event of `ids` into its column `sources`.
pub(super) fn refresh_sources(tx: &mut Transaction<'_>, ids: &[EventId]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    tx.execute(
        &format!("UPDATE events SET sources = {SOURCES_OF_ROW} WHERE id = ANY($1)"),
        &[&ids],
    )?;
    Ok(())
}

/// Links the events of `document` and the `detached` events of other documents, in id order,
/// each to the earlier event that reports its incident, and refreshes the sources of every
/// event concerned; returns every one's place on the map now.
pub(super) fn link_document(
    tx: &mut Transaction<'_>,
    document: DocumentId,
    detached: &Detached,
) -> Result<Vec<EventChange>> {
    let mut ids = ids(tx, "SELECT id FROM events WHERE document_id = $1", document)?;
    ids.extend_from_slice(&detached.followers);
    ids.sort_unstable();
    ids.dedup();
    let mut changes = Vec::with_capacity(ids.len());
    let mut touched = detached.leads.clone();
    for &id in &ids {
        let Some(report) = Report::load(tx, id)? else {
            continue;
        };
        let lead = match report.may_follow(tx)? {
            true => report.lead(tx)?,
            false => None,
        };
        if let Some(lead) = lead {
            tx.execute(
                "UPDATE events SET incident = $2 WHERE id = $1",
                &[&id, &lead],
            )?;
            touched.push(lead);
        }
        let on_map = lead.is_none() && !report.deleted;
        changes.push(EventChange {
            id,
            bbox: on_map.then_some(report.bbox),
        });
    }
    touched.extend(ids);
    touched.sort_unstable();
    touched.dedup();
    refresh_sources(tx, &touched)?;
    Ok(changes)
}

/// The event that `id` is shown as: the one it follows, or itself.
pub(super) fn shown_as(tx: &mut Transaction<'_>, id: EventId) -> Result<EventId> {
    let lead = match tx.query_opt("SELECT incident FROM events WHERE id = $1", &[&id])? {
        Some(row) => row.try_get::<_, Option<EventId>>(0)?,
        None => None,
    };
    Ok(lead.unwrap_or(id))
}

/// A stored event as linking needs it.
struct Report {
    id: EventId,
    document: DocumentId,
    status: EventStatus,
    deleted: bool,
    bbox: Bbox,
    event: Event,
}

impl Report {
    /// The event `id`, if it came from a document.
    fn load(tx: &mut Transaction<'_>, id: EventId) -> Result<Option<Self>> {
        let Some(r) = tx.query_opt(
            "SELECT document_id, status, deleted, min_lon, min_lat, max_lon, max_lat, data \
             FROM events WHERE id = $1 AND document_id IS NOT NULL",
            &[&id],
        )?
        else {
            return Ok(None);
        };
        Ok(Some(Self {
            id,
            document: r.try_get(0)?,
            status: EventStatus::parse(r.try_get(1)?),
            deleted: r.try_get(2)?,
            bbox: Bbox {
                min_lon: r.try_get(3)?,
                min_lat: r.try_get(4)?,
                max_lon: r.try_get(5)?,
                max_lat: r.try_get(6)?,
            },
            event: serde_json::from_str(r.try_get(7)?)?,
        }))
    }

    /// Whether this event may follow another: a machine's event, not deleted, dated, that no
    /// event follows.
    fn may_follow(&self, tx: &mut Transaction<'_>) -> Result<bool> {
        if self.status != EventStatus::Machine || self.deleted || self.event.date.is_none() {
            return Ok(false);
        }
        let followed: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM events WHERE incident = $1)",
                &[&self.id],
            )?
            .try_get(0)?;
        Ok(!followed)
    }

    /// The event this one should follow: among the earlier events of other documents near it
    /// in place and time that report its incident and that no event of its document follows
    /// yet, the nearest, the earliest on ties.
    fn lead(&self, tx: &mut Transaction<'_>) -> Result<Option<EventId>> {
        let Some(date) = self.event.date.as_ref().map(|d| d.date) else {
            return Ok(None);
        };
        let days = chrono::Days::new(SEARCH_DAYS);
        let centre = self.centre();
        let lon_margin = (SEARCH_DEGREES / centre.y().to_radians().cos().max(0.01)).min(180.0);
        let rows = tx.query(
            "SELECT id, data, (min_lon + max_lon) / 2, (min_lat + max_lat) / 2 FROM events \
             WHERE incident IS NULL AND NOT deleted AND document_id IS NOT NULL \
             AND document_id != $1 AND id < $2 AND date BETWEEN $3 AND $4 \
             AND max_lon >= $5 AND min_lon <= $6 AND max_lat >= $7 AND min_lat <= $8 \
             AND NOT EXISTS (SELECT 1 FROM events f WHERE f.incident = events.id \
                             AND f.document_id = $1) \
             ORDER BY id",
            &[
                &self.document,
                &self.id,
                &(date - days).to_string(),
                &(date + days).to_string(),
                &(self.bbox.min_lon - lon_margin),
                &(self.bbox.max_lon + lon_margin),
                &(self.bbox.min_lat - SEARCH_DEGREES),
                &(self.bbox.max_lat + SEARCH_DEGREES),
            ],
        )?;
        let mut best: Option<(f64, EventId)> = None;
        for r in rows {
            let other: Event = serde_json::from_str(r.try_get(1)?)?;
            if !extract::same_incident(&self.event, &other) {
                continue;
            }
            let point = Point::new(r.try_get(2)?, r.try_get(3)?);
            let metres = Haversine.distance(centre, point);
            if best.is_none_or(|(m, _)| metres < m) {
                best = Some((metres, r.try_get(0)?));
            }
        }
        Ok(best.map(|(_, id)| id))
    }

    /// The centre of the event's box.
    fn centre(&self) -> Point {
        Point::new(
            (self.bbox.min_lon + self.bbox.max_lon) / 2.0,
            (self.bbox.min_lat + self.bbox.max_lat) / 2.0,
        )
    }
}
