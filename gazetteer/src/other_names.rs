//! A place's other names: every name the index keys to it, in any language and script
//! («Xankandi», «Степанакерт», «Ստեփանակերտ» for Stepanakert), with their languages.
//!
//! The index keeps names folded (lower case, without accents: see [`crate::fold`]), which is how
//! the recogniser matches them whatever accents a text writes. A name comes back as the place's
//! main or English name spells it when one of them folds to it, else folded with each word's
//! first letter raised («Xankandi» for «Xankəndi»): the file keeps no other spelling.

use crate::index::Index;
use crate::model::NameKind;
use serde::{Deserialize, Serialize};

/// One other name of a place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherName {
    /// The name as the place's main or English name spells it («Khankendi», «Stepanakert»),
    /// else as the index keeps it with each word's first letter raised («Xankandi»).
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
///
/// One scan of the postings finds the place's; each posting's key is then read back from the
/// names map by its value ([`key_of_posting`]), so no walk of the whole map is needed.
pub fn other_names(index: &Index, place: u32) -> Vec<OtherName> {
    let postings = index.postings_of(place);
    let record = index.record(place as usize);
    let spellings = [record.name(), record.english_name()];
    let keyed: Vec<_> = postings
        .iter()
        .filter_map(|(at, p)| Some((key_of_posting(index, *at)?, p)))
        .collect();
    let mut found: Vec<OtherName> = Vec::new();
    for run in keyed.chunk_by(|a, b| a.0 == b.0) {
        let key = &run[0].0;
        let mine: Vec<_> = run
            .iter()
            .map(|(_, p)| *p)
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
        let key = String::from_utf8_lossy(key);
        found.push(OtherName {
            name: spelled(&key, &spellings),
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

/// The key of the run of postings that holds posting number `at`, read back from the names
/// map: runs are written in key order, so a key's value (`first posting << 24 | count`) grows
/// with the key, and each branch of the map carries the least value below it. The walk takes
/// at each node the last branch whose least value does not pass `at`'s run; it costs one
/// node per byte of the key.
fn key_of_posting(index: &Index, at: usize) -> Option<Vec<u8>> {
    let fst = index.names().as_fst();
    let target = ((at as u64) << 24) | 0xff_ffff;
    let mut node = fst.root();
    let mut output = fst::raw::Output::zero();
    let mut key = Vec::new();
    loop {
        let next = node
            .transitions()
            .take_while(|t| output.cat(t.out).value() <= target)
            .last();
        let Some(t) = next else { break };
        output = output.cat(t.out);
        key.push(t.inp);
        node = fst.node(t.addr);
    }
    let value = output.cat(node.final_output()).value();
    let (start, count) = ((value >> 24) as usize, (value & 0xff_ffff) as usize);
    (node.is_final() && start <= at && at < start + count).then_some(key)
}

/// A key as the place's own names spell it when one of them folds to it («Xankəndi»), else
/// with each word's first letter raised (the index keeps no other spelling).
fn spelled(key: &str, spellings: &[&str]) -> String {
    spellings
        .iter()
        .find(|s| !s.is_empty() && crate::fold::fold(s) == key)
        .map_or_else(|| raised(key), |s| (*s).to_owned())
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
    use fst::{IntoStreamer, Streamer};

    fn shipped() -> Index {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/karta.gaz");
        Index::open(&path).expect("the shipped index")
    }

    #[test]
    fn every_posting_reads_back_its_key() {
        let index = shipped();
        let mut stream = index.names().into_stream();
        let (mut keys, mut checked) = (0, 0);
        while let Some((key, value)) = stream.next() {
            keys += 1;
            if keys % 7 != 0 {
                continue;
            }
            let (start, count) = ((value >> 24) as usize, (value & 0xff_ffff) as usize);
            for at in [start, start + count - 1] {
                assert_eq!(
                    key_of_posting(&index, at).as_deref(),
                    Some(key),
                    "posting {at}"
                );
                checked += 1;
            }
        }
        assert!(checked > 100_000, "{checked} postings checked");
    }

    #[test]
    fn names_keep_the_spelling_of_the_place_record() {
        let index = shipped();
        let place = index
            .lookup_key("stepanakert")
            .iter()
            .map(|p| p.place)
            .max_by_key(|&p| index.record(p as usize).population)
            .expect("Stepanakert");
        let record = index.record(place as usize);
        let names = other_names(&index, place);
        let has = |n: &str| names.iter().any(|o| o.name == n);
        assert!(has(record.name()), "{} in {names:?}", record.name());
        for n in ["Stepanakert", "Ստեփանակերտ", "Степанакерт"] {
            assert!(has(n), "{n} in {names:?}");
        }
    }

    #[test]
    fn each_word_is_raised_in_any_script() {
        assert_eq!(raised("xankandi"), "Xankandi");
        assert_eq!(raised("ստեփանակերտ"), "Ստեփանակերտ");
        assert_eq!(raised("nagorno karabakh"), "Nagorno Karabakh");
        assert_eq!(raised("ستيباناكيرت"), "ستيباناكيرت");
    }
}
