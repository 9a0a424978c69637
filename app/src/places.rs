//! Places and place-name mentions as the API sends them (`POST /api/geoparse`,
//! `GET /api/documents/{id}`, `GET /api/events/{id}`, `GET /api/places/search`): what the
//! highlighted text and the correction picker show.

use serde::Deserialize;

/// A gazetteer place.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Place {
    /// GeoNames id (or karta's supplement id).
    pub id: u32,
    /// Its main name.
    pub name: String,
    /// Its usual English name where the main name is not it («Stepanakert» for GeoNames'
    /// «Khankendi»), else empty.
    #[serde(default)]
    pub english: String,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// GeoNames feature code (`PPL`, `ADM1`, `PCLI`, …).
    #[serde(default)]
    pub feature_code: String,
    /// ISO 3166-1 alpha-2 country code.
    #[serde(default)]
    pub country: String,
}

impl Place {
    /// What kind of place it is, in words.
    pub fn kind(&self) -> &'static str {
        match self.feature_code.as_str() {
            "PPLC" => "capital",
            code if code.starts_with("PPL") => "town",
            "PCLI" | "PCLD" | "PCLS" | "PCLF" | "PCL" => "country",
            "ADM1" => "province",
            code if code.starts_with("ADM") => "district",
            "RGN" | "AREA" => "region",
            "" => "place",
            _ => "feature",
        }
    }

    /// The name to show: the usual English name, else the main name (the one spelling that
    /// the events' places use too).
    pub fn display_name(&self) -> &str {
        if self.english.is_empty() {
            &self.name
        } else {
            &self.english
        }
    }

    /// `Name, CC (kind)`, to tell candidates apart.
    pub fn label(&self) -> String {
        let name = self.display_name();
        if self.country.is_empty() {
            format!("{name} ({})", self.kind())
        } else {
            format!("{name}, {} ({})", self.country, self.kind())
        }
    }
}

/// A gazetteer candidate for a name: the place (its score is not shown).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Candidate {
    /// The place.
    pub place: Place,
}

/// A byte range of a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct ByteSpan {
    /// First byte.
    pub start: usize,
    /// Byte after the last.
    pub end: usize,
}

/// A place name found in a text, with the place it resolved to and the other candidates.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Mention {
    /// Where it is in the text.
    pub bytes: ByteSpan,
    /// The words.
    pub text: String,
    /// `toponym` or `demonym`.
    #[serde(default)]
    pub kind: String,
    /// The place it resolved to.
    pub place: Option<Place>,
    /// The other candidates, most likely first.
    #[serde(default)]
    pub alternatives: Vec<Candidate>,
}

impl Mention {
    /// Every place these words may name: the chosen one first, then the alternatives.
    pub fn candidates(&self) -> Vec<Place> {
        let mut out: Vec<Place> = self.place.iter().cloned().collect();
        for c in &self.alternatives {
            if !out.iter().any(|p| p.id == c.place.id) {
                out.push(c.place.clone());
            }
        }
        out
    }
}

/// An event's date as the API writes it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EventDate {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `day`, `month` or `year`.
    pub precision: String,
}

impl EventDate {
    /// A date for people, `undated` for none (see [`crate::model::date_label`]).
    pub fn label(date: Option<&Self>) -> String {
        crate::model::date_label(
            date.map(|d| d.date.as_str()),
            date.map(|d| d.precision.as_str()),
        )
    }
}

/// A place of an event, with the words that named it when they are in the document.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EventPlace {
    /// The gazetteer id.
    pub place_id: u32,
    /// Its name to show (the usual English name).
    pub name: String,
    /// ISO 3166-1 alpha-2 country code.
    #[serde(default)]
    pub country: String,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// The words in the document (byte offsets), if any.
    pub mention: Option<ByteSpan>,
}

/// Splits a text into plain pieces and marked ones: each marked piece carries the index of
/// the span it comes from. Spans are byte ranges of the text; overlapping spans and spans
/// that do not fall on character boundaries are left out.
pub fn mark_spans(text: &str, spans: &[ByteSpan]) -> Vec<(String, Option<usize>)> {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| (spans[i].start, spans[i].end));
    let mut out = Vec::new();
    let mut at = 0;
    for i in order {
        let ByteSpan { start, end } = spans[i];
        if start < at
            || end <= start
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        if start > at {
            out.push((text[at..start].to_owned(), None));
        }
        out.push((text[start..end].to_owned(), Some(i)));
        at = end;
    }
    if at < text.len() {
        out.push((text[at..].to_owned(), None));
    }
    out
}

#[cfg(test)]
impl EventPlace {
    /// A place of an event in Azerbaijan named «place ID», for tests.
    pub(crate) fn fixture(place_id: u32, mention: Option<(usize, usize)>) -> Self {
        Self {
            place_id,
            name: format!("place {place_id}"),
            country: "AZ".into(),
            lat: 40.0,
            lon: 47.0,
            mention: mention.map(|(start, end)| ByteSpan { start, end }),
        }
    }
}

#[cfg(test)]
impl Place {
    /// The town of Tartar (Azerbaijan), for tests.
    pub(crate) fn tartar() -> Self {
        Self {
            id: 584_871,
            name: "Tartar".into(),
            english: String::new(),
            lat: 40.34,
            lon: 46.93,
            feature_code: "PPL".into(),
            country: "AZ".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_geoparse_mention() {
        let m: Mention = serde_json::from_str(
            r#"{"bytes":{"start":56,"end":62},"chars":{"start":56,"end":62},"text":"Tartar",
            "kind":"toponym","score":0.78,"features":{},
            "place":{"id":409420,"name":"Tərtər","lat":40.27,"lon":46.78,"feature_class":"A",
              "feature_code":"ADM1","country":"AZ","admin1":"57","population":0},
            "alternatives":[{"lang":"","name_kind":"main","prior":0.1,"score":0.2,
              "place":{"id":584871,"name":"Tartar","lat":40.34,"lon":46.93,"feature_class":"P",
              "feature_code":"PPL","country":"AZ","admin1":"57","population":20400}},
              {"place":{"id":409420,"name":"Tərtər","lat":40.27,"lon":46.78}}]}"#,
        )
        .expect("a mention");
        let labels: Vec<String> = m.candidates().iter().map(Place::label).collect();
        assert_eq!(labels, ["Tərtər, AZ (province)", "Tartar, AZ (town)"]);
    }

    #[test]
    fn marks_spans_in_order_and_skips_bad_ones() {
        let text = "Shelling hit Tərtər and Barda.";
        let spans = [
            ByteSpan { start: 26, end: 31 },
            ByteSpan { start: 13, end: 21 },
            ByteSpan { start: 14, end: 20 },
            ByteSpan { start: 13, end: 15 },
        ];
        assert_eq!(
            mark_spans(text, &spans),
            vec![
                ("Shelling hit ".to_owned(), None),
                ("Tərtər".to_owned(), Some(1)),
                (" and ".to_owned(), None),
                ("Barda".to_owned(), Some(0)),
                (".".to_owned(), None),
            ]
        );
        assert_eq!(
            mark_spans("Baku", &[ByteSpan { start: 2, end: 9 }]),
            vec![("Baku".to_owned(), None)]
        );
    }
}
