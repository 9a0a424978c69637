//! A place's other names: every name the index keys to it, in any language and script
//! («Xankandi», «Степанакерт», «Ստեփանակերտ» for Stepanakert), with their languages.
//!
//! The index keeps names folded (lower case, without accents: see [`crate::fold`]), so a name
//! comes back in that form with each word's first letter raised; that is how the recogniser
//! matches it, whatever accents a text writes.

use crate::index::Index;
use crate::model::NameKind;
use fst::{IntoStreamer, Streamer};
use serde::{Deserialize, Serialize};

/// One other name of a place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherName {
    /// The name as the index keeps it, each word's first letter raised («Xankandi»).
    pub name: String,
    /// The languages it is recorded in (ISO 639-1 tags), empty when none is.
    pub langs: Vec<String>,
    /// Whether it is a historic name (a name the place had).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub historic: bool,
}

/// Most names a place is given: a country has hundreds (every language's exonym).
const MOST_NAMES: usize = 200;

/// The other names of the place at record index `place`, by language then name, names
/// without a language last; demonyms and abbreviations are left out (they stand for the
/// place without being its name). At most [`MOST_NAMES`].
pub fn other_names(index: &Index, place: u32) -> Vec<OtherName> {
    let postings = index.postings_of(place);
    if postings.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut stream = index.names().into_stream();
    while let Some((key, value)) = stream.next() {
        let (start, count) = ((value >> 24) as usize, (value & 0xff_ffff) as usize);
        let first = postings.partition_point(|(at, _)| *at < start);
        let mine: Vec<_> = postings[first..]
            .iter()
            .take_while(|(at, _)| *at < start + count)
            .map(|(_, p)| p)
            .filter(|p| !matches!(p.kind, NameKind::Demonym | NameKind::Abbreviation))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let mut langs: Vec<String> = mine
            .iter()
            .map(|p| index.lang(p.lang))
            .filter(|l| !l.is_empty() && *l != "abbr")
            .map(str::to_owned)
            .collect();
        langs.sort();
        langs.dedup();
        found.push(OtherName {
            name: raised(&String::from_utf8_lossy(key)),
            langs,
            historic: mine.iter().all(|p| p.kind == NameKind::Historic),
        });
    }
    found.sort_by(|a, b| {
        (a.langs.is_empty(), &a.langs, &a.name).cmp(&(b.langs.is_empty(), &b.langs, &b.name))
    });
    found.truncate(MOST_NAMES);
    found
}

/// A folded name with each word's first letter raised: «xankandi» → «Xankandi».
fn raised(folded: &str) -> String {
    folded
        .split(' ')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_word_is_raised_in_any_script() {
        assert_eq!(raised("xankandi"), "Xankandi");
        assert_eq!(raised("ստեփանակերտ"), "Ստեփանակերտ");
        assert_eq!(raised("nagorno karabakh"), "Nagorno Karabakh");
        assert_eq!(raised("ستيباناكيرت"), "ستيباناكيرت");
    }
}
