//! A source of an event: one document's report of the incident, with what that document claims
//! of it. An event merged from several documents has several, side by side (one says 13 dead,
//! the other 21), as an analyst compares them.

use serde::{Deserialize, Serialize};

/// One document's report of an event's incident.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// The document.
    pub document_id: i64,
    /// The event that document gave (the merged event itself for its first source).
    pub event_id: i64,
    /// The document's title.
    #[serde(default)]
    pub title: Option<String>,
    /// Where it was published.
    #[serde(default)]
    pub url: Option<String>,
    /// Its publication day, `YYYY-MM-DD`.
    #[serde(default)]
    pub published: Option<String>,
    /// Its language (ISO 639-1).
    #[serde(default)]
    pub lang: Option<String>,
    /// The day this source gives, `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<String>,
    /// The place this source names.
    #[serde(default)]
    pub place_name: String,
    /// Who this source says claims it.
    #[serde(default)]
    pub claim: Option<String>,
    /// The dead this source counts.
    #[serde(default)]
    pub fatalities: Option<u32>,
    /// The wounded this source counts.
    #[serde(default)]
    pub wounded: Option<u32>,
    /// The sentence of this source that reports it.
    #[serde(default)]
    pub sentence: String,
}

impl Source {
    /// The outlet: the host of the source's address without `www.`, if it has one.
    pub fn outlet(&self) -> Option<&str> {
        let url = self.url.as_deref()?;
        let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
        let host = rest.split(['/', '?', '#']).next()?;
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        let host = host.strip_prefix("www.").unwrap_or(host);
        (!host.is_empty()).then_some(host)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outlet_is_the_host_without_www() {
        let with = |url: &str| Source {
            url: Some(url.into()),
            ..Source::default()
        };
        assert_eq!(
            with("https://www.lemonde.fr/a/b?c").outlet(),
            Some("lemonde.fr")
        );
        assert_eq!(with("http://news.am#x").outlet(), Some("news.am"));
        assert_eq!(with("apa.az/en/1").outlet(), Some("apa.az"));
        assert_eq!(Source::default().outlet(), None);
        assert_eq!(with("https:///path").outlet(), None);
    }
}
