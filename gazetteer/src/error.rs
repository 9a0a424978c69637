//! The gazetteer's error type.

use std::path::PathBuf;

/// What can go wrong when building or opening a gazetteer.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file is not valid UTF-8.
    #[error("{path}: line {line} is not valid UTF-8")]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
    },
    /// A GeoNames dump line does not have the expected shape.
    #[error("{path}: line {line}: {message}")]
    BadRecord {
        /// The file.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The dump folder holds no place table.
    #[error("{0}: no allCountries.txt or citiesNNN.txt in this folder")]
    NoPlaceTable(PathBuf),
    /// An index file is damaged or of another version.
    #[error("{path}: not a karta gazetteer index ({message})")]
    BadIndex {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The data outgrows a field of the index format.
    #[error("building the index: {0}")]
    TooLarge(&'static str),
    /// The names index could not be built.
    #[error("building the names index: {0}")]
    Fst(#[from] fst::Error),
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

/// The gazetteer's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
