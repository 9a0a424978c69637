//! The ingest pipeline: text → place mentions (gazetteer) → events (extractor) → store, with
//! the R-tree kept current after every write.

use crate::correct::{EventPatch, PatchError};
use crate::rtree::EventIndex;
use crate::store::{
    Area, DocumentView, EventChange, EventId, EventStatus, Imported, NewDocument, Place, Store,
    StoreError, StoredEvent,
};
use extract::{Event, Extractor};
use gazetteer::{Gazetteer, GeoparseOptions, Mention};
use std::path::Path;
use std::sync::Arc;

/// What can go wrong while ingesting or correcting.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The document has no text.
    #[error("the document has no text")]
    EmptyText,
    /// The geoparser or the extractor failed on this document.
    #[error("the analysis of the document failed: {0}")]
    Analysis(String),
    /// The correction is not valid.
    #[error(transparent)]
    Patch(#[from] PatchError),
    /// No event has this id.
    #[error("no event {0}")]
    NoEvent(EventId),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The request gave up before the write began; nothing was written.
    #[error("the request was given up before its write began")]
    Abandoned,
}

/// What can go wrong when opening the database and the gazetteer.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The database could not be opened or migrated.
    #[error("{db}: {source}")]
    Store {
        /// The database: a file's path, or a URL without its password.
        db: String,
        /// The cause.
        source: StoreError,
    },
    /// The gazetteer index could not be opened.
    #[error("gazetteer: {0}")]
    Gazetteer(#[from] gazetteer::Error),
    /// The event lexicons could not be loaded.
    #[error("event lexicons: {0}")]
    Extractor(#[from] extract::Error),
}

/// A document after ingest.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Ingested {
    /// Whether the document is new (`false`: the same text was ingested before).
    pub created: bool,
    /// The document with its mentions and events.
    #[serde(flatten)]
    pub view: DocumentView,
}

/// The store, the gazetteer, the extractor and the event R-tree, shared by the server and the
/// commands.
#[derive(Clone)]
pub struct Pipeline {
    store: Arc<dyn Store>,
    gazetteer: Arc<Gazetteer>,
    extractor: Arc<Extractor>,
    index: Arc<EventIndex>,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("gazetteer", &self.gazetteer)
            .field("extractor", &self.extractor.version())
            .field("index", &self.index)
            .finish()
    }
}

impl Pipeline {
    /// Joins a store, a gazetteer and an extractor, building the R-tree from the stored events
    /// unless the store indexes places itself.
    pub fn new(
        store: Arc<dyn Store>,
        gazetteer: Arc<Gazetteer>,
        extractor: Arc<Extractor>,
    ) -> Result<Self, StoreError> {
        // A database that indexes places itself needs no R-tree, which could go stale when
        // other servers write.
        let index = Arc::new(if store.indexes_places() {
            EventIndex::default()
        } else {
            EventIndex::build(store.event_bboxes()?)
        });
        // Take the store's first change marker now, so that later writes by other processes
        // are seen by `refresh_if_changed`.
        store.changed_elsewhere()?;
        Ok(Self {
            store,
            gazetteer,
            extractor,
            index,
        })
    }

    /// Opens (creating when needed) the database `db` names, an SQLite file's path or a
    /// PostgreSQL URL ([`crate::store::open`]), and the gazetteer index at `gazetteer` (the
    /// default index when `None`), and loads the extractor's built-in lexicons.
    pub fn open(db: &str, gazetteer: Option<&Path>) -> Result<Self, OpenError> {
        let gazetteer = match gazetteer {
            Some(path) => Gazetteer::open(path)?,
            None => Gazetteer::open_default()?,
        };
        let extractor = Extractor::new()?;
        let store_error = |source| OpenError::Store {
            db: crate::store::shown(db),
            source,
        };
        let store = crate::store::open(db).map_err(store_error)?;
        Self::new(store, Arc::new(gazetteer), Arc::new(extractor)).map_err(store_error)
    }

    /// The store.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// The gazetteer.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The extractor.
    pub fn extractor(&self) -> &Extractor {
        &self.extractor
    }

    /// The R-tree of event locations (empty when the store indexes places itself).
    pub fn index(&self) -> &EventIndex {
        &self.index
    }

    /// The ids of the events on the map at `place`: ascending, nearest first for
    /// [`Place::Nearest`]. The store answers when it indexes places (PostGIS), else the
    /// R-tree.
    pub fn locate(&self, place: Place) -> Result<Vec<EventId>, StoreError> {
        match self.store.locate(&place)? {
            Some(ids) => Ok(ids),
            None => Ok(locate_in_index(&self.index, place)),
        }
    }

    /// Rebuilds the R-tree when another process (`karta ingest`, `karta import`) wrote to the
    /// database since the last check.
    pub fn refresh_if_changed(&self) -> Result<(), StoreError> {
        if self.store.changed_elsewhere()? {
            self.index.rebuild(self.store.event_bboxes()?);
        }
        Ok(())
    }

    /// Finds the places a document names and the events it reports, without storing anything.
    ///
    /// A panic in the geoparser or the extractor is caught and reported as an error for this
    /// document alone, so that one odd text does not stop a batch.
    pub fn analyse(
        &self,
        document: &NewDocument,
    ) -> Result<(Vec<Mention>, Vec<Event>), IngestError> {
        self.analyse_until(document, &|| false)
    }

    /// Analyses as [`Pipeline::analyse`] does, asking `stop` as it goes: when it answers yes
    /// (the request timed out or its client left), the analysis ends early with
    /// [`IngestError::Abandoned`] and frees its thread.
    pub fn analyse_until(
        &self,
        document: &NewDocument,
        stop: &dyn Fn() -> bool,
    ) -> Result<(Vec<Mention>, Vec<Event>), IngestError> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.analyse_unguarded(document, stop)
        }))
        .map_err(|panic| {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".into());
            tracing::error!("analysis panicked: {message}");
            IngestError::Analysis(message)
        })?
        .ok_or(IngestError::Abandoned)
    }

    /// The analysis itself; `None` when `stop` said to give up.
    fn analyse_unguarded(
        &self,
        document: &NewDocument,
        stop: &dyn Fn() -> bool,
    ) -> Option<(Vec<Mention>, Vec<Event>)> {
        let options = GeoparseOptions {
            lang: document.lang.clone(),
            ..GeoparseOptions::default()
        };
        let mentions = self
            .gazetteer
            .geoparse_until(&document.text, &options, stop)?;
        let events = self.extractor.extract_with_mentions_until(
            &extract::Document {
                text: document.text.clone(),
                lang: document.lang.clone(),
                published: document.published,
            },
            &mentions,
            stop,
        )?;
        Some((mentions, events))
    }

    /// Stores a document with its mentions and events. The same text twice is one document:
    /// the second time nothing is written, unless `reextract` is set or the document's events
    /// were made by another extractor version; then its machine events are replaced and the
    /// events a person corrected or deleted are kept.
    pub fn ingest(&self, document: NewDocument, reextract: bool) -> Result<Ingested, IngestError> {
        self.ingest_if(document, reextract, &|| false, &|| true)
    }

    /// Ingests as [`Pipeline::ingest`] does, asking `stop` during the analysis and `may_write`
    /// after it, just before writing: when the first says yes or the second no, nothing is
    /// written and the answer is [`IngestError::Abandoned`].
    pub fn ingest_if(
        &self,
        document: NewDocument,
        reextract: bool,
        stop: &dyn Fn() -> bool,
        may_write: &dyn Fn() -> bool,
    ) -> Result<Ingested, IngestError> {
        if document.text.trim().is_empty() {
            return Err(IngestError::EmptyText);
        }
        // The version of the extraction recorded with each document: its crate and lexicons.
        let version = self.extractor.version();
        let existing = self.store.document_by_hash(&document.content_hash())?;
        let result = match existing {
            Some(doc) if !reextract && doc.extractor == version => {
                return self.view(doc.id, false);
            }
            Some(doc) => {
                let stored = NewDocument {
                    text: doc.text,
                    title: doc.title,
                    url: doc.url,
                    lang: doc.lang,
                    published: doc.published,
                };
                let (mentions, events) = self.analyse_until(&stored, stop)?;
                if !may_write() {
                    return Err(IngestError::Abandoned);
                }
                self.store
                    .reextract_document(doc.id, version, &mentions, &events)?
            }
            None => {
                let (mentions, events) = self.analyse_until(&document, stop)?;
                if !may_write() {
                    return Err(IngestError::Abandoned);
                }
                self.store
                    .insert_document(&document, version, &mentions, &events)?
            }
        };
        self.apply(&result.changes);
        self.view(result.document.id, result.created)
    }

    fn view(&self, id: i64, created: bool) -> Result<Ingested, IngestError> {
        let view = self.store.document(id)?.ok_or(StoreError::NoDocument(id))?;
        Ok(Ingested { created, view })
    }

    /// Applies a person's correction to an event and records it.
    pub fn correct(
        &self,
        id: EventId,
        patch: &EventPatch,
        who: &str,
    ) -> Result<StoredEvent, IngestError> {
        let current = self.store.event(id)?.ok_or(IngestError::NoEvent(id))?;
        let mut stored = current;
        if patch.changes_content() {
            let corrected = patch.apply(&stored.event, &self.gazetteer)?;
            stored = self.store.correct_event(id, &corrected, who)?;
        }
        if let Some(deleted) = patch.deleted.filter(|&d| d != stored.deleted) {
            stored = self.store.set_deleted(id, deleted, who)?;
        }
        let verified = stored.status == EventStatus::Verified;
        if let Some(verify) = patch.verified.filter(|&v| v != verified) {
            stored = self.store.set_verified(id, verify, who)?;
        }
        self.apply(&[change_of(&stored)]);
        Ok(stored)
    }

    /// Deletes an event (reversibly: `PATCH {"deleted": false}` restores it).
    pub fn delete(&self, id: EventId, who: &str) -> Result<StoredEvent, IngestError> {
        let stored = self.store.set_deleted(id, true, who).map_err(|e| match e {
            StoreError::NoEvent(id) => IngestError::NoEvent(id),
            e => IngestError::Store(e),
        })?;
        self.apply(&[change_of(&stored)]);
        Ok(stored)
    }

    /// Stores events from another tool (see [`crate::import`]).
    pub fn import(&self, source: &str, events: &[(String, Event)]) -> Result<Imported, StoreError> {
        let imported = self.store.import_events(source, events)?;
        self.apply(&imported.changes);
        Ok(imported)
    }

    fn apply(&self, changes: &[EventChange]) {
        if self.store.indexes_places() {
            return;
        }
        self.index.apply(changes.iter().map(|c| (c.id, c.bbox)));
    }
}

/// The ids of the events at `place` in an R-tree, as [`Pipeline::locate`] gives them.
pub fn locate_in_index(index: &EventIndex, place: Place) -> Vec<EventId> {
    match place {
        Place::Within(Area::Bbox(b)) => index.in_bbox(&b),
        Place::Within(Area::Radius { lon, lat, km }) => {
            index.within_km(geo::Point::new(lon, lat), km)
        }
        Place::Nearest { lon, lat, k } => index
            .nearest(geo::Point::new(lon, lat), k)
            .into_iter()
            .map(|(id, _)| id)
            .collect(),
    }
}

fn change_of(stored: &StoredEvent) -> EventChange {
    EventChange {
        id: stored.id,
        bbox: (!stored.deleted).then(|| crate::rtree::bbox_of(&stored.event.geometry)),
    }
}
