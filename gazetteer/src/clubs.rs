//! Sports clubs named by their city. In a sentence about a match, a transfer or a league, a
//! city's name beside another word of a name is a club's: «Werder Bremen», «AS Rom», «Boca
//! Juniors», «Sparta Rotterdam», «Bayer 04 Leverkusen», «le CSKA Sofia». The press of every
//! language with a [`List::Sport`] list writes them so, and the sentence's own words say that it
//! speaks of sport; a city's name alone («in Dresden», «nach Stockholm») stays a place there.

use crate::fold::FoldedText;
use crate::recognize::Word;
use crate::words::{self, Lexicon, List, OnLists};
use std::ops::Range;

/// The longest abbreviation, in letters, that heads a club's name («AS», «FK», «SGS», «HNK»).
const MAX_ABBREVIATION: usize = 5;

/// How many words either side of a name [`ClubReading::about_sport`] reads at most.
const SENTENCE: usize = 40;

/// The longest number that is part of a club's name («Bayer 04», «FCR 2001 Duisburg»).
const MAX_NUMBER: usize = 4;

/// A text's words as the club rules read them.
pub(crate) struct ClubReading<'a> {
    /// The original text.
    pub text: &'a str,
    /// The text folded.
    pub folded: &'a FoldedText,
    /// The text's words.
    pub words: &'a [Word],
    /// The lexicon of the text's language.
    pub lex: &'a Lexicon,
}

impl ClubReading<'_> {
    /// Whether the name on the words `span` is part of a club's name: a word of a name touches
    /// it, and its sentence speaks of sport.
    pub fn names_a_club(&self, span: Range<usize>) -> bool {
        let before = span
            .start
            .checked_sub(1)
            .is_some_and(|i| self.words[span.start].joined && self.club_word_before(i));
        (before || self.club_word_after(span.end) || self.quoted(&span))
            && self.about_sport(span.start)
    }

    /// Whether quotation marks enclose the words `span` and nothing else: the way Russian and
    /// German write a club's name («в клуб «Монако»», „die Toffees“).
    fn quoted(&self, span: &Range<usize>) -> bool {
        let words = &self.folded.words;
        let (start, end) = (words[span.start].bytes.start, words[span.end - 1].bytes.end);
        let before = self.text[..start].trim_end();
        let after = self.text[end..].trim_start();
        before.ends_with(['«', '„', '"', '“']) && after.starts_with(['»', '“', '"', '”'])
    }

    /// The lists that the word at `i` is on.
    fn on(&self, i: usize) -> OnLists {
        words::on_lists(self.words[i].folded(self.folded))
    }

    /// Whether the word at `i` is capitalised and none of the words that lists say are no
    /// name's (function words, titles, directions, facilities, common words, given names); an
    /// abbreviation in capitals is a club's.
    fn name_word(&self, i: usize) -> Option<bool> {
        let w = &self.words[i];
        if !w.cap {
            return None;
        }
        // An abbreviation in capitals first: «AS» is also an English function word.
        let letters = w.folded(self.folded).chars().count();
        if w.upper && (2..=MAX_ABBREVIATION).contains(&letters) {
            return Some(true);
        }
        let (on, all) = (self.on(i), words::all());
        let listed = [
            List::Function,
            List::Title,
            List::Directional,
            List::Facility,
        ]
        .iter()
        .any(|&list| all.has(on, list))
            || self.lex.has(on, List::Common)
            || on.given();
        (!listed).then_some(false)
    }

    /// Whether the word at `i`, just before a name, is a word of a club's name: an
    /// abbreviation («AS»), a number («04»), or a name word that no article or adjective
    /// makes a noun («die Stadt Bilbao», «des ungarischen Rekordmeisters»).
    fn club_word_before(&self, i: usize) -> bool {
        let word = self.words[i].folded(self.folded);
        if word.len() <= MAX_NUMBER && !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
        {
            return true;
        }
        match self.name_word(i) {
            None => false,
            Some(true) => true,
            Some(false) => {
                i == 0 || !self.words[i].joined || {
                    let (p, on) = (&self.words[i - 1], self.on(i - 1));
                    let article = words::all().has(on, List::Article);
                    let function = words::all().has(on, List::Function);
                    let adjective = p.lower && !function && is_adjective(p.folded(self.folded));
                    !(article || adjective)
                }
            }
        }
    }

    /// Whether the word at `i`, just after a name, is a word of a club's name («Juniors»,
    /// «Calcio», «SK»), not the first part of a compound noun («Havířov
    /// Junioren-Weltmeisterin»).
    fn club_word_after(&self, i: usize) -> bool {
        let Some(w) = self.words.get(i) else {
            return false;
        };
        let compound = || {
            let end = self.folded.words[i].bytes.end;
            self.text[end..].starts_with('-')
        };
        w.joined
            && match self.name_word(i) {
                None => false,
                Some(abbreviation) => abbreviation || !compound(),
            }
    }

    /// Whether the sentence of the word at `at` holds a word of sport. The sentence ends at a
    /// full stop, not at a colon or a quotation mark («beim 2:1-Sieg», «в клуб «Монако»»), nor
    /// where a sentence of nouns in capitals looks like a title; at most [`SENTENCE`] words
    /// either side are read.
    fn about_sport(&self, at: usize) -> bool {
        let gaps = &self.folded.words;
        let ends_before = |i: usize| gaps[i].gap.has_dot();
        let first = at.saturating_sub(SENTENCE);
        let start = (first + 1..=at)
            .rev()
            .find(|&i| ends_before(i))
            .unwrap_or(first);
        let last = (at + SENTENCE).min(self.words.len());
        let end = (at + 1..last).find(|&i| ends_before(i)).unwrap_or(last);
        (start..end).any(|i| self.lex.has(self.on(i), List::Sport))
    }
}

/// Whether a word in lower case ends as an inflected adjective does in German and its
/// neighbours («ungarischen», «polnische», «neuer»), not as a pronoun («ihn»); the function
/// words that end so («gegen») are left to the caller.
fn is_adjective(word: &str) -> bool {
    word.chars().count() > 3
        && ["e", "en", "er", "es", "em"]
            .iter()
            .any(|e| word.ends_with(e))
}
