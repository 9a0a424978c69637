//! Errors of the extractor: only a lexicon that cannot be read can fail.

/// What went wrong while loading a lexicon.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The lexicon is not valid TOML or does not have the expected fields.
    #[error("lexicon {lang}: {source}")]
    LexiconSyntax {
        /// The language (or file) of the lexicon.
        lang: String,
        /// The TOML error.
        #[source]
        source: toml::de::Error,
    },
    /// The lexicon parses but a value is wrong (an unknown event type, twelve months expected, …).
    #[error("lexicon {lang}: {message}")]
    LexiconValue {
        /// The language of the lexicon.
        lang: String,
        /// What is wrong.
        message: String,
    },
}

/// A `Result` whose error is [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
