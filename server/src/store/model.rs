//! The values the store takes and hands out.

use crate::digest::sha256_hex;
use crate::rtree::Bbox;
use chrono::NaiveDate;
use extract::Event;
use gazetteer::Mention;
use serde::{Deserialize, Serialize};

/// A document's id.
pub type DocumentId = i64;

/// An event's id.
pub type EventId = i64;

/// A document to ingest: its text and what is known about it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewDocument {
    /// The text.
    pub text: String,
    /// Its title.
    #[serde(default)]
    pub title: Option<String>,
    /// Where it was published.
    #[serde(default)]
    pub url: Option<String>,
    /// ISO 639-1 language (`fr`, `en`); `None` lets the geoparser guess.
    #[serde(default)]
    pub lang: Option<String>,
    /// Publication date, against which relative dates are resolved.
    #[serde(default, deserialize_with = "day")]
    pub published: Option<NaiveDate>,
}

/// Reads a day from JSON as the query string reads it ([`vocab::parse_day`]): `YYYY-MM-DD`
/// with a year of four digits at most, so that `+10000-01-01` is refused here too.
pub fn day<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    use chrono::Datelike;
    let Some(text) = Option::<String>::deserialize(d)? else {
        return Ok(None);
    };
    let day = vocab::parse_day("date", &text).map_err(|e| serde::de::Error::custom(e.message))?;
    if !(0..=9999).contains(&day.year()) {
        return Err(serde::de::Error::custom(format!(
            "{text:?} is not a date YYYY-MM-DD (a year of four digits)"
        )));
    }
    Ok(Some(day))
}

impl NewDocument {
    /// The hash that makes ingest idempotent: the SHA-256 of the text without leading and
    /// trailing white space.
    pub fn content_hash(&self) -> String {
        sha256_hex(self.text.trim().as_bytes())
    }
}

/// A stored document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredDocument {
    /// Its id.
    pub id: DocumentId,
    /// The text.
    pub text: String,
    /// Its title.
    pub title: Option<String>,
    /// Where it was published.
    pub url: Option<String>,
    /// ISO 639-1 language.
    pub lang: Option<String>,
    /// Publication date.
    pub published: Option<NaiveDate>,
    /// When karta ingested it (RFC 3339, UTC).
    pub ingested: String,
    /// SHA-256 of the trimmed text.
    pub content_hash: String,
    /// The extractor version that made its events.
    pub extractor: String,
}

/// A document with the places it names and the events found in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentView {
    /// The document.
    pub document: StoredDocument,
    /// The places it names, in text order.
    pub mentions: Vec<Mention>,
    /// Its events, deleted ones included (marked).
    pub events: Vec<StoredEvent>,
}

/// Who last decided what an event says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    /// As the extractor found it.
    Machine,
    /// Changed by a person; re-extraction leaves it alone.
    Corrected,
    /// Brought in from another tool by `karta import`.
    Imported,
    /// Checked by a reviewer; a later correction makes it `Corrected` again.
    Verified,
}

impl EventStatus {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Machine => "machine",
            Self::Corrected => "corrected",
            Self::Imported => "imported",
            Self::Verified => "verified",
        }
    }

    /// The status of a name; `None` for a name that is none.
    pub fn named(name: &str) -> Option<Self> {
        [
            Self::Machine,
            Self::Corrected,
            Self::Imported,
            Self::Verified,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }

    /// The status after a person deletes or restores the event: theirs from then on, so that
    /// re-extraction leaves it alone (an imported or verified event stays so).
    pub fn decided(self) -> Self {
        match self {
            Self::Machine => Self::Corrected,
            other => other,
        }
    }

    /// The status after a reviewer marks the event verified (`true`) or takes the mark back.
    pub fn verified(self, verified: bool) -> Self {
        match (verified, self) {
            (true, _) => Self::Verified,
            (false, Self::Verified | Self::Machine) => Self::Corrected,
            (false, other) => other,
        }
    }

    /// Parses a stored name; unknown names read as `Machine`.
    pub fn parse(name: &str) -> Self {
        Self::named(name).unwrap_or(Self::Machine)
    }
}

/// A stored event: the extractor's event plus its id, provenance and state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredEvent {
    /// Its id.
    pub id: EventId,
    /// The document it was found in; `None` for imported events.
    pub document_id: Option<DocumentId>,
    /// Who last decided what it says.
    pub status: EventStatus,
    /// Whether a person deleted it (reversible).
    pub deleted: bool,
    /// When it last changed (RFC 3339, UTC).
    pub updated: String,
    /// The event this one's incident is shown as, when another document reported it first:
    /// this event is then one of that event's sources, not an event of its own on the map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident: Option<EventId>,
    /// The documents that report its incident, its own first, each with what it says (empty
    /// for an imported event).
    #[serde(default)]
    pub sources: Vec<vocab::Source>,
    /// The event.
    #[serde(flatten)]
    pub event: Event,
}

/// An event as the store scans it for exports: the flat row (CSV lines, GeoJSON properties),
/// its geometry and the whole event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    /// The flat row the API sends.
    pub fields: vocab::EventRow,
    /// The geometry as GeoJSON text.
    pub geometry: String,
    /// The whole event as JSON text.
    pub data: String,
    /// The documents that report it.
    pub sources: Vec<vocab::Source>,
}

impl EventRow {
    /// The full stored event this row was read from.
    pub fn to_stored(&self) -> Result<StoredEvent, serde_json::Error> {
        let row = &self.fields;
        Ok(StoredEvent {
            id: row.id,
            document_id: row.document_id,
            status: EventStatus::parse(&row.status),
            deleted: row.deleted,
            updated: row.updated.clone(),
            incident: None,
            sources: self.sources.clone(),
            event: serde_json::from_str(&self.data)?,
        })
    }
}

/// Where and when the events lie.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct EventExtent {
    /// The box around every event's box; `None` when there is no event.
    pub bbox: Option<Bbox>,
    /// The first event date; `None` when no event is dated.
    pub first: Option<NaiveDate>,
    /// The last event date.
    pub last: Option<NaiveDate>,
}

/// One change made by a person to an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Correction {
    /// Its id.
    pub id: i64,
    /// The event changed.
    pub event_id: EventId,
    /// The name of the token that made it.
    pub who: String,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// `update`, `delete` or `restore`.
    pub action: String,
    /// The event before.
    pub before: serde_json::Value,
    /// The event after.
    pub after: serde_json::Value,
}

/// A change to the set of located events, for keeping the R-tree current.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventChange {
    /// The event.
    pub id: EventId,
    /// Its bounding box now; `None` when it left the map (deleted or dropped).
    pub bbox: Option<Bbox>,
}

/// What storing a document did.
#[derive(Debug, Clone, PartialEq)]
pub struct IngestResult {
    /// The document.
    pub document: StoredDocument,
    /// Whether it is new.
    pub created: bool,
    /// The events added, moved or removed.
    pub changes: Vec<EventChange>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Imported {
    /// Events stored.
    pub inserted: usize,
    /// Events skipped because they had been imported before.
    pub skipped: usize,
    /// The events added.
    pub changes: Vec<EventChange>,
}

/// What a token may do, each role all that the one before may: a reader reads (where reads are
/// private), an editor also writes (documents, corrections, imports, deletions), a reviewer
/// also marks events verified, an admin also manages feeds and tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads only.
    Reader,
    /// Reads and writes.
    Editor,
    /// Writes and verifies.
    Reviewer,
    /// Everything.
    Admin,
}

impl Role {
    /// Every role, from the least to the most it may do.
    pub const ALL: [Role; 4] = [Role::Reader, Role::Editor, Role::Reviewer, Role::Admin];

    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reader => "reader",
            Self::Editor => "editor",
            Self::Reviewer => "reviewer",
            Self::Admin => "admin",
        }
    }

    /// The role of a name; `None` for a name that is none.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// The role of a stored name; one this build does not know may only read.
    pub fn stored(name: &str) -> Self {
        Self::parse(name).unwrap_or(Self::Reader)
    }
}

/// A write token, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    /// Its id.
    pub id: i64,
    /// The name given at creation, recorded in corrections.
    pub name: String,
    /// When it was created (RFC 3339, UTC).
    pub created: String,
    /// When it stops being accepted, if ever (RFC 3339, UTC).
    pub expires: Option<String>,
    /// When it was revoked, if it was (RFC 3339, UTC).
    pub revoked: Option<String>,
    /// When it was last accepted, to the hour (RFC 3339, UTC).
    pub last_used: Option<String>,
    /// What it may do.
    pub role: Role,
}
