//! An Atom feed (RFC 4287) of events, for feed readers: a map view's newest events, each entry
//! with a stable `tag:` id (RFC 4151), its title, its last change as `updated`, its sentence as
//! the summary, its point as `georss:point`, and a link to the event on the map.
//!
//! Written through `quick-xml`'s writer, so that every text is escaped right.

use super::{ExportError, event_title, text_element};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, Event};
use std::io;
use vocab::{EventFeature, type_style};

/// The Atom namespace.
const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// The GeoRSS Simple namespace.
const GEORSS_NS: &str = "http://www.georss.org/georss";

/// The date of the `tag:` ids (RFC 4151: a day on which the authority held its name; karta's
/// feeds began in 2026).
const TAG_DATE: &str = "2026";

/// What a feed says about itself.
#[derive(Debug, Clone, Copy)]
pub struct FeedInfo<'a> {
    /// Where the server is, `http://host:port`, without a trailing `/`: the start of every link.
    pub origin: &'a str,
    /// The feed's own address: its `self` link and, as it names the view, its id.
    pub self_url: &'a str,
    /// The map's address of the same view: the feed's `alternate` link.
    pub view_url: &'a str,
    /// The feed's title.
    pub title: &'a str,
    /// The time to give as `updated` when there is no entry (RFC 3339).
    pub now: &'a str,
}

impl FeedInfo<'_> {
    /// The `tag:` id of an event of this server: `tag:HOST,2026:event/ID`, the host of the
    /// origin without its port.
    fn entry_id(&self, id: i64) -> String {
        let host = self
            .origin
            .split_once("://")
            .map_or(self.origin, |(_, rest)| rest);
        let host = match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        };
        format!("tag:{host},{TAG_DATE}:event/{id}")
    }
}

/// Writes an empty `<link>`.
fn link(w: &mut Writer<&mut Vec<u8>>, rel: &str, media: &str, href: &str) -> io::Result<()> {
    w.create_element("link")
        .with_attributes([("rel", rel), ("type", media), ("href", href)])
        .write_empty()?;
    Ok(())
}

/// The feed of `events`, in the order given (newest first).
pub fn write_feed(info: &FeedInfo<'_>, events: &[EventFeature]) -> Result<Vec<u8>, ExportError> {
    let updated = events
        .iter()
        .map(|e| e.row.updated.as_str())
        .max()
        .filter(|u| !u.is_empty())
        .unwrap_or(info.now);
    let mut buf = Vec::new();
    let mut w = Writer::new(&mut buf);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("feed")
        .with_attributes([("xmlns", ATOM_NS), ("xmlns:georss", GEORSS_NS)])
        .write_inner_content(|w| {
            text_element(w, "id", info.self_url)?;
            text_element(w, "title", info.title)?;
            text_element(w, "updated", updated)?;
            w.create_element("author")
                .write_inner_content(|w| text_element(w, "name", "karta"))?;
            link(w, "self", "application/atom+xml", info.self_url)?;
            link(w, "alternate", "text/html", info.view_url)?;
            text_element(w, "generator", "karta")?;
            events.iter().try_for_each(|e| entry(w, info, e))
        })?;
    buf.push(b'\n');
    Ok(buf)
}

/// Writes one event's entry.
fn entry(
    w: &mut Writer<&mut Vec<u8>>,
    info: &FeedInfo<'_>,
    event: &EventFeature,
) -> io::Result<()> {
    let row = &event.row;
    let [lon, lat] = event.lon_lat();
    let on_map = format!(
        "{}{}",
        info.origin,
        app::url::event_link(row.id, [lon, lat])
    );
    let json = format!("{}/api/events/{}", info.origin, row.id);
    let style = type_style(&row.event_type);
    let title = match &row.date {
        Some(day) => format!("{}, {day}", event_title(row)),
        None => event_title(row),
    };
    w.create_element("entry").write_inner_content(|w| {
        text_element(w, "id", &info.entry_id(row.id))?;
        text_element(w, "title", &title)?;
        let updated = match row.updated.as_str() {
            "" => info.now,
            at => at,
        };
        text_element(w, "updated", updated)?;
        link(w, "alternate", "text/html", &on_map)?;
        link(w, "related", "application/json", &json)?;
        w.create_element("category")
            .with_attributes([("term", style.name), ("label", style.label)])
            .write_empty()?;
        text_element(w, "summary", &row.sentence)?;
        text_element(w, "georss:point", &format!("{lat} {lon}"))
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_ids_name_the_host_without_its_port() {
        let info = FeedInfo {
            origin: "http://127.0.0.1:3000",
            self_url: "",
            view_url: "",
            title: "",
            now: "",
        };
        assert_eq!(info.entry_id(12), "tag:127.0.0.1,2026:event/12");
        let named = FeedInfo {
            origin: "https://karta.example.org",
            ..info
        };
        assert_eq!(named.entry_id(3), "tag:karta.example.org,2026:event/3");
    }
}
