//! Feed documents (RSS 0.9x/1.0/2.0, Atom, JSON Feed, read by `feed-rs`) to [`Item`]s: link,
//! title, date and plain text.

use chrono::{DateTime, Utc};

/// Below this many characters, an item without full content carries a summary only, and its
/// article page is fetched for the text.
pub const SUMMARY_CHARS: usize = 1000;

/// A feed item, ready to become a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// What identifies it across polls and feeds: its link, else its id in the feed.
    pub key: String,
    /// Its article's address.
    pub link: Option<String>,
    /// Its title, as plain text.
    pub title: Option<String>,
    /// When it was published (else last updated).
    pub published: Option<DateTime<Utc>>,
    /// Its text: the full content, else the summary, as plain text.
    pub text: String,
    /// Whether `text` is a short summary only, which the article page may replace.
    pub summary_only: bool,
    /// ISO 639-1 language the feed or the item states.
    pub lang: Option<String>,
}

/// A document that is not a feed.
#[derive(Debug, thiserror::Error)]
#[error("not a feed: {0}")]
pub struct ParseError(#[from] feed_rs::parser::ParseFeedError);

/// The items of a feed document fetched from `url` (relative links are made absolute).
pub fn items(bytes: &[u8], url: &str) -> Result<Vec<Item>, ParseError> {
    let feed = feed_rs::parser::Builder::new()
        .base_uri(Some(url))
        .build()
        .parse(bytes)?;
    let feed_lang = feed.language.as_deref().and_then(iso_639_1);
    Ok(feed
        .entries
        .into_iter()
        .map(|entry| item(entry, feed_lang.as_deref()))
        .collect())
}

fn item(entry: feed_rs::model::Entry, feed_lang: Option<&str>) -> Item {
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .map(|l| l.href.trim().to_owned())
        .filter(|l| !l.is_empty());
    let content = entry
        .content
        .and_then(|c| c.body)
        .map(|body| plain_text(&body))
        .filter(|t| !t.is_empty());
    let summary = entry.summary.map(|s| plain_text(&s.content));
    let summary_only = content.is_none();
    let text = content.or(summary).unwrap_or_default();
    Item {
        key: link.clone().unwrap_or_else(|| entry.id.clone()),
        summary_only: summary_only && text.chars().count() < SUMMARY_CHARS,
        link,
        title: entry
            .title
            .map(|t| plain_text(&t.content))
            .filter(|t| !t.is_empty()),
        published: entry.published.or(entry.updated),
        text,
        lang: entry
            .language
            .as_deref()
            .and_then(iso_639_1)
            .or_else(|| feed_lang.map(str::to_owned)),
    }
}

/// The text of an HTML fragment (or of plain text, which reads as itself), paragraphs kept.
pub fn plain_text(html: &str) -> String {
    if !html.contains('<') && !html.contains('&') {
        return html.trim().to_owned();
    }
    dom_query::Document::fragment(html)
        .formatted_text()
        .trim()
        .to_owned()
}

/// The ISO 639-1 code of a language tag (`fr-FR` → `fr`), when it has one.
fn iso_639_1(tag: &str) -> Option<String> {
    let primary = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
    (primary.len() == 2 && primary.chars().all(|c| c.is_ascii_alphabetic())).then_some(primary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_summaries_become_plain_text() {
        assert_eq!(
            plain_text("<p>Tirs sur <b>Stepanakert</b>&nbsp;hier.</p>"),
            "Tirs sur Stepanakert hier."
        );
        assert_eq!(plain_text("  plain  "), "plain");
    }

    #[test]
    fn language_tags_give_their_primary_code() {
        assert_eq!(iso_639_1("fr-FR").as_deref(), Some("fr"));
        assert_eq!(iso_639_1("EN").as_deref(), Some("en"));
        assert_eq!(iso_639_1("fra"), None);
    }

    #[test]
    fn rss_items_keep_link_date_and_text() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
            <language>fr-fr</language>
            <item><title>Frappe</title><link>/a/1</link><guid>x1</guid>
            <pubDate>Mon, 05 Oct 2020 08:00:00 GMT</pubDate>
            <description>&lt;p&gt;Court.&lt;/p&gt;</description></item></channel></rss>"#;
        let items = items(rss, "http://127.0.0.1:9/feed.xml").expect("an RSS feed");
        assert_eq!(items.len(), 1);
        let item = &items[0];
        assert_eq!(item.link.as_deref(), Some("http://127.0.0.1:9/a/1"));
        assert_eq!(item.key, "http://127.0.0.1:9/a/1");
        assert_eq!(item.text, "Court.");
        assert!(item.summary_only);
        assert_eq!(item.lang.as_deref(), Some("fr"));
        assert_eq!(
            item.published
                .map(|d| d.date_naive().to_string())
                .as_deref(),
            Some("2020-10-05")
        );
    }

    #[test]
    fn malformed_xml_is_an_error() {
        assert!(items(b"<rss><channel><item>", "http://127.0.0.1:9/").is_err());
    }
}
