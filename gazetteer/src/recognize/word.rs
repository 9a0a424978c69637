//! The words of a text: their case, their sentence, and what joins them to the word before.

use crate::fold::{FoldedText, FoldedWord};
use crate::words::{self, List, OnLists};
use std::ops::Range;

/// A word of the original text.
#[derive(Debug, Clone)]
pub(crate) struct Word {
    /// The first letter is upper case.
    pub cap: bool,
    /// The first letter is lower case.
    pub lower: bool,
    /// No letter is lower case.
    pub upper: bool,
    /// The first word of a sentence (or of a title-case line).
    pub sentence_start: bool,
    /// The word is in a sentence written in title case, where capitals say nothing.
    pub title_case: bool,
    /// Only spaces or one hyphen separate this word from the one before.
    pub joined: bool,
    /// A single capital followed by a full stop («J. Moore»).
    pub is_initial: bool,
    /// Range of the folded word in the folded text.
    pub(super) folded: Range<usize>,
}

impl Word {
    /// The folded word, a slice of the folded text (folding is local to each character, and a
    /// word holds no separator, so this is the word folded on its own).
    pub fn folded<'f>(&self, folded: &'f FoldedText) -> &'f str {
        &folded.folded[self.folded.clone()]
    }

    /// The lists that the word is on.
    pub(super) fn on_lists(&self, folded: &FoldedText) -> OnLists {
        words::on_lists_in(folded.folded.as_bytes(), self.folded.clone())
    }
}

/// The words of a text with their case and position in the sentence; `folded` is the text
/// folded. `title_case` says whether the text's language writes titles in title case, where a
/// sentence whose words are nearly all capitalised says nothing by its capitals (English);
/// German writes every noun with a capital, and neither German nor the languages that write
/// capitals for names only write titles so: there such a sentence is a list of names.
pub(crate) fn words(text: &str, folded: &FoldedText, title_case: bool) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::with_capacity(folded.words.len());
    // Where the gap before the word being read starts: the end of the word before.
    let mut gap_start = 0;
    // The sentence being read: its first word, and how many of its other words are long and
    // how many of those are capitalised (see `mark_title_case`).
    let (mut first, mut long, mut caps) = (0, 0, 0);
    // Whether the word before is an initial or a title's abbreviation («Sgt.»), after which a
    // full stop ends no sentence; `None` before the first word.
    let mut prev_initial = None;
    let mark_title_case = |sentence: &mut [Word], long, caps| {
        if title_case {
            mark_title_case(sentence, long, caps);
        }
    };
    for fw in &folded.words {
        let (at, end) = (fw.bytes.start, fw.bytes.end);
        // Most words: a small letter (no initial, no capital) after spaces alone after a word
        // that is no initial, so joined to it, inside its sentence. What the rules of
        // `Word::after_gap` give such a word, without going through them.
        if fw.case.first_lower() && fw.gap.only_spaces() && prev_initial == Some(false) {
            long += usize::from(is_long(text, at..end));
            out.push(Word::lower_inside_sentence(fw));
            gap_start = end;
            continue;
        }
        let word = Word::after_gap(text, fw, gap_start, prev_initial);
        prev_initial = Some(word.is_initial || is_title_abbreviation(text, fw, folded));
        if word.sentence_start {
            mark_title_case(&mut out[first..], long, caps);
            (first, long, caps) = (out.len(), 0, 0);
        } else if is_long(text, at..end) {
            long += 1;
            caps += usize::from(word.cap);
        }
        out.push(word);
        gap_start = end;
    }
    mark_title_case(&mut out[first..], long, caps);
    out
}

/// Whether the capitalised word `fw` is a title's abbreviation with its full stop («Sgt.»,
/// «Const.»), as the title lists write it.
#[inline]
fn is_title_abbreviation(text: &str, fw: &FoldedWord, folded: &FoldedText) -> bool {
    fw.case.first_upper()
        && text.as_bytes().get(fw.bytes.end) == Some(&b'.')
        && words::all().contains(
            List::Title,
            &format!("{}.", &folded.folded[fw.folded.clone()]),
        )
}

/// Whether the word at `bytes` of `text` has four letters or more (a word in another script
/// than Latin has two bytes or more a letter: «по» is no long word).
#[inline]
fn is_long(text: &str, bytes: Range<usize>) -> bool {
    bytes.len() >= 4
        && (text.as_bytes()[bytes.start].is_ascii() || text[bytes].chars().nth(3).is_some())
}

impl Word {
    /// A word in lower case joined by spaces to a word before it that is no initial.
    #[inline]
    fn lower_inside_sentence(fw: &FoldedWord) -> Self {
        Self {
            is_initial: false,
            cap: false,
            lower: true,
            upper: false,
            sentence_start: false,
            joined: true,
            title_case: false,
            folded: fw.folded.clone(),
        }
    }

    /// The word `fw` of `text` after the gap that starts at byte `gap_start`: whether it starts a
    /// sentence, is joined to the word before (spaces, one hyphen, a non-breaking space, or
    /// «. » after an initial) and is an initial itself («J.»); `prev_initial` says whether the
    /// word before is an initial, `None` before the first word.
    #[inline]
    fn after_gap(
        text: &str,
        fw: &FoldedWord,
        gap_start: usize,
        prev_initial: Option<bool>,
    ) -> Self {
        let bytes = text.as_bytes();
        let (at, end) = (fw.bytes.start, fw.bytes.end);
        let (case, gap) = (fw.case, fw.gap);
        // The gap's bytes, read only where spaces alone do not make it.
        let gap_bytes = || &bytes[gap_start..at];
        let ends_sentence = gap.ends_sentence() || gap.has_dot() && prev_initial == Some(false);
        let joined = prev_initial.is_some()
            && (gap.only_spaces()
                || matches!(gap_bytes(), b"-" | b"\xc2\xa0" | b"\xe2\x80\x91")
                || prev_initial == Some(true) && gap_bytes() == b". ");
        // One capital and a full stop: «J.».
        let is_initial = case.first_upper()
            && bytes.get(end) == Some(&b'.')
            && text[at..end].chars().nth(1).is_none();
        Self {
            is_initial,
            cap: case.first_upper(),
            lower: case.first_lower(),
            upper: case.all_upper(),
            sentence_start: prev_initial.is_none() || ends_sentence,
            joined,
            title_case: false,
            folded: fw.folded.clone(),
        }
    }
}

/// In a sentence written in title case («Alexandria Woman Charged In Fire») capitals say nothing:
/// every word there is treated as a sentence start. `long` of the sentence's words after its
/// first have four bytes or more, and `caps` of those are capitalised.
fn mark_title_case(sentence: &mut [Word], long: usize, caps: usize) {
    if long >= 4 && caps * 10 >= long * 7 {
        for w in sentence {
            w.sentence_start = true;
            w.title_case = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::fold;

    #[test]
    fn words_know_their_sentence_their_initials_and_what_joins_them() {
        let text = "Le vote. J. Moore lives in Haut-Karabakh, near the town. \
                    Alexandria Woman Charged In Fire near Pineville";
        let folded = FoldedText::new(text);
        let words = words(text, &folded, true);
        let flags = |i: usize| {
            let w: &Word = &words[i];
            let f = |yes: bool, c: char| if yes { c } else { '.' };
            [
                f(w.cap, 'C'),
                f(w.lower, 'l'),
                f(w.upper, 'U'),
                f(w.sentence_start, 'S'),
                f(w.title_case, 'T'),
                f(w.joined, 'j'),
                f(w.is_initial, 'I'),
            ]
            .iter()
            .collect::<String>()
        };
        let all: Vec<(&str, String)> = (0..words.len())
            .map(|i| (words[i].folded(&folded), flags(i)))
            .collect();
        let expected = [
            ("le", "C..S..."),
            ("vote", ".l...j."),
            ("j", "C.US..I"),
            ("moore", "C....j."),
            ("lives", ".l...j."),
            ("in", ".l...j."),
            ("haut", "C....j."),
            ("karabakh", "C....j."),
            ("near", ".l....."),
            ("the", ".l...j."),
            ("town", ".l...j."),
            ("alexandria", "C..ST.."),
            ("woman", "C..STj."),
            ("charged", "C..STj."),
            ("in", "C..STj."),
            ("fire", "C..STj."),
            ("near", ".l.STj."),
            ("pineville", "C..STj."),
        ];
        let expected: Vec<(&str, String)> =
            expected.iter().map(|&(w, f)| (w, f.to_owned())).collect();
        assert_eq!(all, expected);
    }

    #[test]
    fn a_sentence_of_capitals_is_title_case_only_where_titles_are_written_so() {
        let text = "Mario Bauzá, Reunald Jones, Sandy Williams und John Kirby spielten.";
        let folded = FoldedText::new(text);
        assert!(words(text, &folded, true).iter().all(|w| w.title_case));
        let words = words(text, &folded, false);
        assert!(words.iter().all(|w| !w.title_case));
        assert_eq!(words.iter().filter(|w| w.sentence_start).count(), 1);
    }

    #[test]
    fn a_words_folded_slice_is_the_word_folded_alone() {
        let text =
            "À l’est d’Alep, Straße: İstanbul, Xankəndi; Łódź e\u{301}tait W.Va. (U.S.) Баку";
        let folded = FoldedText::new(text);
        let words = words(text, &folded, true);
        assert!(words.len() >= 12);
        assert_eq!(words.len(), folded.words.len());
        for (w, fw) in words.iter().zip(&folded.words) {
            assert_eq!(w.folded(&folded), fold(&text[fw.bytes.clone()]), "{w:?}");
        }
    }
}
