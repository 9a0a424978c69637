/*!
Events for karta: what a news text says happened, where, when, and who says so.

The extractor splits a document into sentences, finds the action words of a per-language
lexicon (data files under `lexicon/`: French, English, Spanish), types each event with ACLED's
event types and sub-types plus a diplomacy family (see `TAXONOMY.md`), picks the one place where
it happened among the sentence's place mentions (or a line for a movement; an event at each of
the places one locative lists), resolves its date
against the publication date, and keeps the actors (with who acted and whom it was done to,
ACLED's `actor1` and `actor2`), the claim source and the evidence offsets.

# Brief overview

- [`Extractor`] loads the lexicons once; [`Extractor::extract`] geoparses a [`Document`] with a
  [`gazetteer::Gazetteer`] and returns its [`Event`]s; [`Extractor::extract_with_mentions`] takes
  mentions already found.
- [`geojson`] turns events into RFC 7946 features.

# Example

```no_run
use extract::{Document, Extractor};
let gaz = gazetteer::Gazetteer::open_default()?;
let extractor = Extractor::new()?;
let doc = Document {
    text: "Les forces arméniennes ont bombardé Stepanakert le 27 septembre.".into(),
    lang: Some("fr".into()),
    published: chrono::NaiveDate::from_ymd_opt(2020, 10, 9),
};
for event in extractor.extract(&gaz, &doc) {
    println!("{:?} {} {:?}", event.event_type, event.sub_type, event.date);
}
# Ok::<(), Box<dyn std::error::Error>>(())
```
*/

#![deny(missing_docs)]

pub use crate::error::{Error, Result};
pub use crate::event::{
    DatePrecision, Document, Event, EventDate, EventGeometry, EventPlace, EventType, Evidence,
    EvidenceRole, LocationPrecision, Report, TextSpan, geo_precision,
};
pub use crate::extractor::Extractor;
pub use crate::incident::same_incident;
pub use crate::lexicon::{Action, Lexicon};

mod actor;
mod date;
mod document_place;
mod error;
mod event;
mod extractor;
pub mod geojson;
mod hash;
mod incident;
mod lexicon;
mod phrase;
mod place;
mod sentence;
mod sides;
mod text;
mod toll;
mod word_key;
