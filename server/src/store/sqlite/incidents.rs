//! One incident across documents: when a document reports an incident that another document
//! reported already ([`extract::same_incident`]), its event follows the other's (the column
//! `incident` names the event it follows) and the two are one event on the map with two
//! sources. Only events that follow none (`incident IS NULL`) are listed, indexed and counted.
//!
//! An event follows an earlier event (by id) of another document that reports the same incident
//! and that no event of its own document follows yet, the nearest one: of an article with two
//! strikes on one town, each stays its own event. Following only earlier events makes the
//! incidents the same whatever order documents are linked in. Events a person corrected or deleted are never made
//! to follow another (their decision stands), but others may follow them.
//!
//! Linking a document is repeatable: its events are first detached with the events that
//! followed them, then linked again in id order, so re-extracting a document gives the same
//! incidents. Every event keeps the list of its sources in the column `sources`
//! ([`refresh_sources`]), updated for each event whose incident linking touched.

use super::super::schema::sources_of_row;
use super::super::{DocumentId, EventChange, EventId, EventStatus, Result};
use crate::rtree::Bbox;
use extract::Event;
use geo::{Distance, Haversine, Point};
use rusqlite::{OptionalExtension, Transaction, named_params};

/// How far around an event, in degrees of latitude, to look for reports of its incident: more
/// than [`extract::same_incident`]'s 25 km.
const SEARCH_DEGREES: f64 = 0.5;

/// How many days around an event's date to look for reports of its incident: a week's period
/// and a day more on each side.
const SEARCH_DAYS: u64 = 9;

/// The events of other documents that a document's events were linked with before
/// [`detach_document`]: linking must take them in again.
#[derive(Debug, Default)]
pub(in crate::store) struct Detached {
    /// Events that followed one of the document's events.
    followers: Vec<EventId>,
    /// Events that one of the document's events followed.
    leads: Vec<EventId>,
}

/// Detaches the events of `document` from the events they follow and from those that follow
/// them, which [`link_document`] must link again.
pub(in crate::store) fn detach_document(
    tx: &Transaction<'_>,
    document: DocumentId,
) -> Result<Detached> {
    let ids = |sql: &str| -> Result<Vec<EventId>> {
        let mut stmt = tx.prepare(sql)?;
        let rows = stmt.query_map([document], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<EventId>>>()?)
    };
    let detached = Detached {
        followers: ids(
            "SELECT f.id FROM events AS f JOIN events AS l ON l.id = f.incident \
             WHERE l.document_id = ?1 AND f.document_id != ?1",
        )?,
        leads: ids("SELECT DISTINCT incident FROM events \
             WHERE document_id = ?1 AND incident IS NOT NULL")?,
    };
    tx.execute(
        "UPDATE events SET incident = NULL WHERE document_id = ?1 \
         OR incident IN (SELECT id FROM events WHERE document_id = ?1)",
        [document],
    )?;
    Ok(detached)
}

/// Writes the list of sources of each event of `ids` into its column `sources`.
pub(in crate::store) fn refresh_sources(
    tx: &Transaction<'_>,
    ids: impl IntoIterator<Item = EventId>,
) -> Result<()> {
    let mut stmt = tx.prepare_cached(concat!(
        "UPDATE events SET sources = ",
        sources_of_row!(),
        " WHERE id = ?1"
    ))?;
    for id in ids {
        stmt.execute([id])?;
    }
    Ok(())
}

/// Links the events of `document` and the `detached` events of other documents, in id order,
/// each to the earlier event that reports its incident, if any, and refreshes the sources of
/// every event concerned; returns every one's place on the map now (none for an event that
/// follows another or is deleted).
pub(in crate::store) fn link_document(
    tx: &Transaction<'_>,
    document: DocumentId,
    detached: &Detached,
) -> Result<Vec<EventChange>> {
    let mut ids: Vec<EventId> = tx
        .prepare("SELECT id FROM events WHERE document_id = ?1")?
        .query_map([document], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
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
            tx.execute("UPDATE events SET incident = ?2 WHERE id = ?1", [id, lead])?;
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
    refresh_sources(tx, touched)?;
    Ok(changes)
}

/// The event that `id` is shown as: the one it follows, or itself.
pub(in crate::store) fn shown_as(tx: &Transaction<'_>, id: EventId) -> Result<EventId> {
    let lead: Option<Option<EventId>> = tx
        .query_row("SELECT incident FROM events WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(lead.flatten().unwrap_or(id))
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
    fn load(tx: &Transaction<'_>, id: EventId) -> Result<Option<Self>> {
        let row = tx
            .query_row(
                "SELECT document_id, status, deleted, min_lon, min_lat, max_lon, max_lat, data \
                 FROM events WHERE id = ?1 AND document_id IS NOT NULL",
                [id],
                |r| {
                    Ok((
                        r.get::<_, DocumentId>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, bool>(2)?,
                        Bbox {
                            min_lon: r.get(3)?,
                            min_lat: r.get(4)?,
                            max_lon: r.get(5)?,
                            max_lat: r.get(6)?,
                        },
                        r.get::<_, String>(7)?,
                    ))
                },
            )
            .optional()?;
        let Some((document, status, deleted, bbox, data)) = row else {
            return Ok(None);
        };
        Ok(Some(Self {
            id,
            document,
            status: EventStatus::parse(&status),
            deleted,
            bbox,
            event: serde_json::from_str(&data)?,
        }))
    }

    /// Whether this event may follow another: a machine's event, not deleted, dated, that no
    /// event follows.
    fn may_follow(&self, tx: &Transaction<'_>) -> Result<bool> {
        if self.status != EventStatus::Machine || self.deleted || self.event.date.is_none() {
            return Ok(false);
        }
        let followed: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM events WHERE incident = ?1)",
            [self.id],
            |r| r.get(0),
        )?;
        Ok(!followed)
    }

    /// The event this one should follow: among the earlier events of other documents near it
    /// in place and time that report its incident and that no event of its document follows
    /// yet, the nearest, the earliest on ties.
    fn lead(&self, tx: &Transaction<'_>) -> Result<Option<EventId>> {
        let Some(date) = self.event.date.as_ref().map(|d| d.date) else {
            return Ok(None);
        };
        let days = chrono::Days::new(SEARCH_DAYS);
        let centre = self.centre();
        let lon_margin = (SEARCH_DEGREES / centre.y().to_radians().cos().max(0.01)).min(180.0);
        let mut stmt = tx.prepare_cached(
            "SELECT id, data, (min_lon + max_lon) / 2, (min_lat + max_lat) / 2 FROM events \
             WHERE incident IS NULL AND deleted = 0 AND document_id IS NOT NULL \
             AND document_id != :document AND id < :id \
             AND date BETWEEN :first AND :last \
             AND max_lon >= :west AND min_lon <= :east AND max_lat >= :south AND min_lat <= :north \
             AND NOT EXISTS (SELECT 1 FROM events f WHERE f.incident = events.id \
                             AND f.document_id = :document) \
             ORDER BY id",
        )?;
        let rows = stmt.query_map(
            named_params! {
                ":document": self.document,
                ":id": self.id,
                ":first": (date - days).to_string(),
                ":last": (date + days).to_string(),
                ":west": self.bbox.min_lon - lon_margin,
                ":east": self.bbox.max_lon + lon_margin,
                ":south": self.bbox.min_lat - SEARCH_DEGREES,
                ":north": self.bbox.max_lat + SEARCH_DEGREES,
            },
            |r| {
                Ok((
                    r.get::<_, EventId>(0)?,
                    r.get::<_, String>(1)?,
                    Point::new(r.get(2)?, r.get(3)?),
                ))
            },
        )?;
        let mut best: Option<(f64, EventId)> = None;
        for row in rows {
            let (id, data, point) = row?;
            let other: Event = serde_json::from_str(&data)?;
            if !extract::same_incident(&self.event, &other) {
                continue;
            }
            let metres = Haversine.distance(centre, point);
            if best.is_none_or(|(m, _)| metres < m) {
                best = Some((metres, id));
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
