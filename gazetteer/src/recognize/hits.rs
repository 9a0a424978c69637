//! The raw hits of the names index in a text: names as written, and forms of names.

use super::STOP_EVERY;
use super::word::Word;
use crate::fold::FoldedText;
use crate::index::{Index, walk_from};
use crate::inflect::{self, Form, LatinRules};
use fst::raw::Output;
use std::ops::Range;

/// A raw hit of the names index.
pub(super) struct Hit {
    pub(super) bytes: Range<usize>,
    /// Range in the folded text: the span's name key.
    pub(super) folded: Range<usize>,
    pub(super) words: Range<usize>,
    pub(super) value: u64,
    /// For a word that is a form of a name («Москве»), the name's folded base form («москва»),
    /// the key its value is of, and what the word is to it.
    pub(super) base: Option<(Box<str>, Form)>,
}

/// Walks the names index from the start of every word of the folded text. Words that start with a
/// lower-case letter can only begin a lower-case name (a French demonym): where the text's
/// language may write those (`lower_case_demonyms`), they are looked up in the first words of
/// those, and walk that small set only when one matches; most words of a text are such words.
pub(super) fn hits(
    index: &Index,
    text: &str,
    folded: &FoldedText,
    words: &[Word],
    lower_case_demonyms: bool,
    rules: LatinRules,
    stop: &dyn Fn() -> bool,
) -> Option<Vec<Hit>> {
    let names = index.names();
    let bytes = folded.folded.as_bytes();
    // About one word in fifteen of news starts a name: room for twice that, so that the list
    // seldom grows.
    let mut out = Vec::with_capacity(words.len() / 8);
    for (w0, word) in words.iter().enumerate() {
        if w0 % STOP_EVERY == 0 && stop() {
            return None;
        }
        let start = word.folded.start;
        // A word's folded range starts the text or follows a separator (see `FoldedWord`); a
        // word after a zero-width non-joiner is the rest of the word before («گفت‌وگو»).
        if word.folded.is_empty() || text[..folded.words[w0].bytes.start].ends_with('\u{200c}') {
            continue;
        }
        let before = out.len();
        let mut push = |end: usize, value: u64| {
            let (range, w1) = folded.original_range(text, w0, end);
            out.push(Hit {
                bytes: range,
                folded: start..end,
                words: w0..w1,
                value,
                base: None,
            });
        };
        if word.lower {
            if !lower_case_demonyms || !index.may_start_lower_key(&bytes[word.folded.clone()]) {
                continue;
            }
            let lower = index.lower_keys().as_fst();
            let ends_word = |end| folded.is_word_end(end);
            walk_from(
                lower,
                lower.root(),
                Output::zero(),
                bytes,
                start,
                ends_word,
                |end, _| {
                    if let Some(value) = names.get(&bytes[start..end]) {
                        push(end, value);
                    }
                },
            );
        } else {
            index.walk_names(
                bytes,
                word.folded.clone(),
                |end| folded.is_word_end(end),
                push,
            );
            let longer = out[before..].iter().any(|h| h.words.len() > 1);
            if !longer {
                out.extend(inflected_pair(index, folded, words, w0));
                out.extend(inflected_hyphenated(index, text, folded, words, w0, rules));
            }
            let exact = out[before..].iter().position(|h| h.words.len() == 1);
            if let Some(inflected) = inflected_hit(index, folded, w0, word, rules) {
                match exact.map(|i| before + i) {
                    None => out.push(inflected),
                    Some(i) if outweighs(index, inflected.value, out[i].value) => {
                        out[i] = inflected;
                    }
                    Some(_) => {}
                }
            }
        }
    }
    Some(out)
}

/// The hit of a capitalised word and the word it is joined to by a space that are the forms of
/// a two-word name («Нагорного Карабаха», «Одесской области»): both words with the value of
/// the name (whose postings then say whether its second word may be in lower case).
fn inflected_pair(index: &Index, folded: &FoldedText, words: &[Word], w0: usize) -> Option<Hit> {
    let (first, second) = (words.get(w0)?, words.get(w0 + 1)?);
    if !second.joined {
        return None;
    }
    let names = index.names();
    let (base, value, form) =
        inflect::base_form_pair(first.folded(folded), second.folded(folded), |b| {
            names.get(b.as_bytes())
        })?;
    Some(Hit {
        bytes: folded.words[w0].bytes.start..folded.words[w0 + 1].bytes.end,
        folded: first.folded.start..second.folded.end,
        words: w0..w0 + 2,
        value,
        base: Some((base.into(), form)),
    })
}

/// The most words a hyphenated name may have for [`inflected_hyphenated`].
const MAX_HYPHENATED: usize = 4;

/// The hit of a hyphenated name whose last part is inflected («Нью-Йорка», «Дейр-эз-Зору»):
/// the words from `w0` joined by single hyphens, read as one word by the rules of
/// [`crate::inflect`].
fn inflected_hyphenated(
    index: &Index,
    text: &str,
    folded: &FoldedText,
    words: &[Word],
    w0: usize,
    rules: LatinRules,
) -> Option<Hit> {
    let hyphen_before = |i: usize| {
        let (before, word) = (folded.words.get(i - 1)?, folded.words.get(i)?);
        (words[i].joined && &text[before.bytes.end..word.bytes.start] == "-").then_some(())
    };
    let last = (w0 + 1..(w0 + MAX_HYPHENATED).min(words.len()))
        .take_while(|&i| hyphen_before(i).is_some())
        .last()?;
    let range = words[w0].folded.start..words[last].folded.end;
    let names = index.names();
    let (base, value, form) = inflect::base_form(&folded.folded[range.clone()], rules, |b| {
        names
            .get(b.as_bytes())
            .map(|v| (v, heaviest_place(index, v)))
    })?;
    Some(Hit {
        bytes: folded.words[w0].bytes.start..folded.words[last].bytes.end,
        folded: range,
        words: w0..last + 1,
        value,
        base: Some((base.into(), form)),
    })
}

/// How many times more important than the places a word names as it is written the places of
/// its base form must be for the word to be read as the base form's: «Gəncəni» is Gəncə, not the
/// hamlet of Gančani in Slovenia.
const INFLECTED_OUTWEIGHS: f64 = 100.0;

/// Whether the places of the name key `inflected` outweigh those of `exact` (see
/// [`INFLECTED_OUTWEIGHS`]).
fn outweighs(index: &Index, inflected: u64, exact: u64) -> bool {
    heaviest_place(index, inflected) > INFLECTED_OUTWEIGHS * heaviest_place(index, exact)
}

/// The importance of the most important place of the name key `value`.
fn heaviest_place(index: &Index, value: u64) -> f64 {
    index
        .postings(value)
        .filter(|p| (p.place as usize) < index.len())
        .map(|p| index.importance(p.place as usize))
        .fold(0.0, f64::max)
}

/// The hit of a word that is no name but a form of one («Москве», «Bakıda», «وحلب»): the word
/// with the value of its base form (see [`crate::inflect`]).
fn inflected_hit(
    index: &Index,
    folded: &FoldedText,
    w0: usize,
    word: &Word,
    rules: LatinRules,
) -> Option<Hit> {
    let names = index.names();
    let (base, value, form) = inflect::base_form(word.folded(folded), rules, |b| {
        names
            .get(b.as_bytes())
            .map(|v| (v, heaviest_place(index, v)))
    })?;
    Some(Hit {
        bytes: folded.words[w0].bytes.clone(),
        folded: word.folded.clone(),
        words: w0..w0 + 1,
        value,
        base: Some((base.into(), form)),
    })
}
