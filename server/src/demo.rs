//! The demo set: short reports on the 2020 Karabakh war, written for karta (see
//! `server/demo/README.md`), loaded into an empty database so that a first run shows a map.

use crate::ingest::{IngestError, Pipeline};
use crate::store::NewDocument;

/// The reports, one JSON document a line.
pub const REPORTS: &str = include_str!("../demo/karabakh-2020.jsonl");

/// What can go wrong while loading the demo set.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// A line of the demo file is not a document.
    #[error("demo report line {line}: {source}")]
    Report {
        /// The 1-based line.
        line: usize,
        /// The cause.
        source: serde_json::Error,
    },
    /// A report could not be ingested.
    #[error(transparent)]
    Ingest(#[from] IngestError),
}

/// The demo reports as documents.
pub fn documents() -> Result<Vec<NewDocument>, DemoError> {
    REPORTS
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|source| DemoError::Report {
                line: i + 1,
                source,
            })
        })
        .collect()
}

/// Ingests the demo reports when the database holds no document; returns how many were
/// stored. A report whose analysis fails is logged and skipped: the server starts anyway.
pub fn load_if_empty(pipeline: &Pipeline) -> Result<usize, DemoError> {
    let (stored, _) = pipeline.store().counts().map_err(IngestError::from)?;
    if stored > 0 {
        return Ok(0);
    }
    let mut loaded = 0;
    for (i, doc) in documents()?.into_iter().enumerate() {
        match pipeline.ingest(doc, false) {
            Ok(_) => loaded += 1,
            Err(IngestError::Analysis(e)) => {
                tracing::warn!("demo report {} skipped: {e}", i + 1);
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_report_parses_and_has_a_date() {
        let docs = super::documents().expect("the demo reports parse");
        assert!((10..=20).contains(&docs.len()));
        assert!(
            docs.iter()
                .all(|d| d.published.is_some() && d.lang.is_some())
        );
    }
}
