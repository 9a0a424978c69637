//! KML 2.2 (OGC 07-147r2) of events, for Google Earth and the GIS tools that read it: one
//! `Style` per event type in the map's colours, then one `Placemark` per event with its name,
//! its sentence as the description, its day as a `TimeStamp`, every field of the row as
//! `ExtendedData`, and its point, or its line for a movement.
//!
//! Written through `quick-xml`'s writer, so that a place named `<&">` is escaped right; a
//! placemark at a time, so that the export streams.

use super::{ExportError, event_title, text_element};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event};
use std::io;
use vocab::{EventFeature, STYLES, type_style};

/// The KML namespace.
const KML_NS: &str = "http://www.opengis.net/kml/2.2";

/// Width of a movement's line, in pixels.
const LINE_WIDTH: &str = "3";

/// A CSS colour `#rrggbb` as KML's opaque `aabbggrr`.
fn kml_colour(css: &str) -> String {
    let hex = css.trim_start_matches('#');
    match (hex.get(0..2), hex.get(2..4), hex.get(4..6)) {
        (Some(r), Some(g), Some(b)) => format!("ff{b}{g}{r}"),
        _ => "ffffffff".to_owned(),
    }
}

/// Writes the head of the document: the XML declaration, `<kml>`, `<Document>`, its name and
/// one style per event type (its id the type's name).
pub(super) fn start(buf: &mut Vec<u8>) -> io::Result<()> {
    let mut w = Writer::new(buf);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.write_event(Event::Start(
        BytesStart::new("kml").with_attributes([("xmlns", KML_NS)]),
    ))?;
    w.write_event(Event::Start(BytesStart::new("Document")))?;
    text_element(&mut w, "name", "karta events")?;
    for style in &STYLES {
        let colour = kml_colour(style.colour);
        w.create_element("Style")
            .with_attribute(("id", style.name))
            .write_inner_content(|w| {
                w.create_element("IconStyle")
                    .write_inner_content(|w| text_element(w, "color", &colour))?;
                w.create_element("LineStyle").write_inner_content(|w| {
                    text_element(w, "color", &colour)?;
                    text_element(w, "width", LINE_WIDTH)
                })?;
                Ok(())
            })?;
    }
    Ok(())
}

/// Writes one event's placemark.
pub(super) fn placemark(buf: &mut Vec<u8>, event: &EventFeature) -> Result<(), ExportError> {
    let row = &event.row;
    let fields = match serde_json::to_value(row)? {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    let style = format!("#{}", type_style(&row.event_type).name);
    let mut w = Writer::new(buf);
    w.create_element("Placemark")
        .with_attribute(("id", format!("event-{}", row.id).as_str()))
        .write_inner_content(|w| {
            text_element(w, "name", &event_title(row))?;
            text_element(w, "description", &row.sentence)?;
            if let Some(day) = &row.date {
                w.create_element("TimeStamp")
                    .write_inner_content(|w| text_element(w, "when", day))?;
            }
            text_element(w, "styleUrl", &style)?;
            w.create_element("ExtendedData").write_inner_content(|w| {
                for (name, value) in &fields {
                    let text = match value {
                        serde_json::Value::Null => continue,
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    w.create_element("Data")
                        .with_attribute(("name", name.as_str()))
                        .write_inner_content(|w| text_element(w, "value", &text))?;
                }
                Ok(())
            })?;
            geometry(w, event)
        })?;
    Ok(())
}

/// Writes the geometry: a `LineString` for a movement, else a `Point`.
fn geometry(w: &mut Writer<&mut Vec<u8>>, event: &EventFeature) -> io::Result<()> {
    let line = event.line();
    let (element, coordinates) = if line.len() >= 2 {
        let text = line
            .iter()
            .map(|[lon, lat]| format!("{lon},{lat}"))
            .collect::<Vec<_>>()
            .join(" ");
        ("LineString", text)
    } else {
        let [lon, lat] = event.lon_lat();
        ("Point", format!("{lon},{lat}"))
    };
    w.create_element(element)
        .write_inner_content(|w| text_element(w, "coordinates", &coordinates))?;
    Ok(())
}

/// Writes the end of the document.
pub(super) fn end(buf: &mut Vec<u8>) -> io::Result<()> {
    let mut w = Writer::new(buf);
    w.write_event(Event::End(BytesEnd::new("Document")))?;
    w.write_event(Event::End(BytesEnd::new("kml")))?;
    w.into_inner().push(b'\n');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use vocab::EventType;

    #[test]
    fn colours_are_alpha_blue_green_red() {
        assert_eq!(kml_colour("#c0392b"), "ff2b39c0");
        assert_eq!(kml_colour(EventType::Protests.style().colour), "ffb27200");
        assert_eq!(kml_colour("red"), "ffffffff");
    }
}
