//! Sentence splitting that abbreviations, quotes (« », “ ”, "…") and numbers do not break.

use crate::hash::WordSet;
use crate::text::{Landmark, Token};
use std::ops::Range;

/// A sentence of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sentence {
    /// Byte range in the document, trimmed of surrounding white space.
    pub(crate) range: Range<usize>,
    /// Index of the paragraph (line block) the sentence belongs to.
    pub(crate) paragraph: usize,
    /// The indices of its tokens among the document's.
    pub(crate) tokens: Range<usize>,
}

/// Splits `text`, whose tokens are `tokens`, into sentences.
///
/// A sentence ends at `.`, `!`, `?` or `…` (with any closing quotes after it) followed by white
/// space and an upper-case letter, a digit or an opening quote, or at a line break. It does not
/// end inside quotes, after a word of `abbreviations` (lower-cased, without the full stop), after
/// a single capital letter (initials, `U.S.`) or inside a number (`3.5`).
///
/// Only the places the tokenizer noted are read: `tokens` and `landmarks` must be the document's,
/// from [`crate::text::tokenize_with_notes`].
pub(crate) fn split(
    text: &str,
    tokens: &[Token],
    landmarks: &[Landmark],
    abbreviations: &WordSet,
) -> Vec<Sentence> {
    let mut splitter = Splitter {
        text,
        tokens,
        abbreviations,
        // A sentence ends at a landmark or at the end: never more.
        out: Vec::with_capacity(landmarks.len() + 1),
        start: 0,
        first: 0,
        paragraph: 0,
        depth: 0,
        straight_open: false,
        read: 0,
    };
    for &landmark in landmarks {
        match landmark {
            Landmark::LineBreak(at, next) => splitter.line_break(at, next),
            // The marks of a run after a terminal mark are read with it.
            Landmark::Mark(k) if tokens[k].start >= splitter.read => splitter.mark(k),
            Landmark::Mark(_) => {}
        }
    }
    splitter.push(text.len(), tokens.len());
    splitter.out
}

/// Where [`split`] is in a text.
struct Splitter<'t> {
    text: &'t str,
    tokens: &'t [Token<'t>],
    abbreviations: &'t WordSet,
    out: Vec<Sentence>,
    /// Where the sentence at hand starts.
    start: usize,
    /// Its first token.
    first: usize,
    /// The paragraph at hand.
    paragraph: usize,
    /// How many typographic quotes are open.
    depth: u32,
    /// Whether a straight quote is open.
    straight_open: bool,
    /// The end of the last run of terminal marks and closing quotes read.
    read: usize,
}

impl Splitter<'_> {
    /// Ends the sentence at hand at byte `end`, before token `next`, and starts the next one
    /// there.
    fn push(&mut self, end: usize, next: usize) {
        push(
            self.text,
            self.start..end,
            self.paragraph,
            self.first..next,
            &mut self.out,
        );
        self.start = end;
        self.first = next;
    }

    /// Reads the line break at byte `at`, before token `next`.
    fn line_break(&mut self, at: usize, next: usize) {
        let Some(c) = self.text.get(at..).and_then(|rest| rest.chars().next()) else {
            return;
        };
        self.push(at, next);
        // A blank line or any line break starts a new paragraph: news texts put one paragraph
        // on each line.
        if c != '\r' {
            self.paragraph += 1;
        }
        self.start = at + c.len_utf8();
        self.depth = 0;
        self.straight_open = false;
    }

    /// Reads the punctuation mark of token `k`.
    fn mark(&mut self, k: usize) {
        let text = self.text;
        let at = self.tokens[k].start;
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            return;
        };
        let next = at + c.len_utf8();
        match c {
            '«' | '“' | '„' => self.depth += 1,
            '»' | '”' => self.depth = self.depth.saturating_sub(1),
            '"' => self.straight_open = !self.straight_open,
            '.' | '!' | '?' | '…' => {
                // Take the run of terminal marks and closing quotes, up to byte offset `j`.
                let mut j = next;
                let mut closes = 0u32;
                let mut straight_closes = false;
                for d in text[next..].chars() {
                    match d {
                        '.' | '!' | '?' | '…' => {}
                        '»' | '”' => closes += 1,
                        '"' if self.straight_open => straight_closes = true,
                        ')' => {}
                        _ => break,
                    }
                    j += d.len_utf8();
                }
                let inside = self.depth.saturating_sub(closes) > 0
                    || (self.straight_open && !straight_closes);
                let ends = !inside
                    && next_starts_sentence(&text[j..])
                    && !(c == '.' && j == next && is_abbreviation(&text[..at], self.abbreviations));
                self.depth = self.depth.saturating_sub(closes);
                if straight_closes {
                    self.straight_open = false;
                }
                if ends {
                    // The run's marks and quotes (a few tokens) are tokens of the sentence.
                    let next = k + self.tokens[k..].iter().take_while(|t| t.start < j).count();
                    self.push(j, next);
                }
                self.read = j;
            }
            _ => {}
        }
    }
}

/// Whether `rest`, the text after a sentence's last mark (white space, then a letter), can open
/// a new sentence.
fn next_starts_sentence(rest: &str) -> bool {
    let Some(first) = rest.chars().next() else {
        return true;
    };
    if !first.is_whitespace() {
        return false;
    }
    match rest.chars().find(|c| !c.is_whitespace()) {
        None => true,
        Some(c) => {
            c.is_uppercase()
                || c.is_ascii_digit()
                || matches!(c, '«' | '“' | '"' | '„' | '(' | '-' | '—' | '–')
        }
    }
}

/// Whether the word at the end of `before` (the text before a full stop) is an abbreviation or
/// an initial.
fn is_abbreviation(before: &str, abbreviations: &WordSet) -> bool {
    let len: usize = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return false;
    }
    let k = before.len() - len;
    let word = &before[k..];
    let mut chars = word.chars();
    let single_capital = chars.next().is_some_and(char::is_uppercase) && chars.next().is_none();
    // `U.S.`, `J.-C.`: a letter after another full stop.
    let dotted = before[..k].ends_with('.');
    single_capital
        || dotted
        || if word.bytes().all(|b| b.is_ascii_lowercase()) {
            abbreviations.contains(word)
        } else {
            abbreviations.contains(&word.to_lowercase())
        }
}

/// Adds the trimmed sentence `text[range]`, of tokens `tokens`, unless it is blank.
fn push(
    text: &str,
    range: Range<usize>,
    paragraph: usize,
    tokens: Range<usize>,
    out: &mut Vec<Sentence>,
) {
    let Some(s) = text.get(range.clone()) else {
        return;
    };
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    if !trimmed.is_empty() {
        let start = range.start + lead;
        out.push(Sentence {
            range: start..start + trimmed.len(),
            paragraph,
            tokens,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Notes, tokenize_with_notes};

    /// The sentences of `t`, each checked to hold the tokens within its range.
    fn sentences(t: &str, abbr: &WordSet) -> Vec<Sentence> {
        let mut buffer = String::new();
        let mut notes = Notes::default();
        let tokens = tokenize_with_notes(t, 0..t.len(), &mut buffer, &mut notes);
        let sentences = split(t, &tokens, &notes.landmarks, abbr);
        for s in &sentences {
            let first = tokens.partition_point(|tok| tok.start < s.range.start);
            let last = tokens.partition_point(|tok| tok.end <= s.range.end);
            assert_eq!(
                s.tokens,
                first..last.max(first),
                "{:?}",
                &t[s.range.clone()]
            );
        }
        sentences
    }

    fn texts(t: &str) -> Vec<&str> {
        let abbr: WordSet = ["m", "mr", "dr", "gen", "etc"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        sentences(t, &abbr)
            .into_iter()
            .map(|s| &t[s.range])
            .collect()
    }

    #[test]
    fn splits_plain_sentences() {
        assert_eq!(
            texts("Il pleut. Il neige! Vraiment?"),
            ["Il pleut.", "Il neige!", "Vraiment?"]
        );
    }

    #[test]
    fn keeps_abbreviations_initials_and_numbers() {
        assert_eq!(
            texts(
                "Mr. Smith met Gen. Jones in the U.S. Army base. Growth was 3.5 percent. J. Doe left."
            ),
            [
                "Mr. Smith met Gen. Jones in the U.S. Army base.",
                "Growth was 3.5 percent.",
                "J. Doe left."
            ]
        );
    }

    #[test]
    fn keeps_french_quotes_whole() {
        let t = "« Le 9 octobre, il a appelé. Ils ont discuté » , a rapporté vendredi le service. Puis rien.";
        assert_eq!(
            texts(t),
            [
                "« Le 9 octobre, il a appelé. Ils ont discuté » , a rapporté vendredi le service.",
                "Puis rien."
            ]
        );
    }

    #[test]
    fn ends_after_closing_quote() {
        assert_eq!(
            texts("He said \"we will fight.\" Then he left. “Go.” She went."),
            [
                "He said \"we will fight.\"",
                "Then he left.",
                "“Go.”",
                "She went."
            ]
        );
    }

    /// Each sentence of `t` (no abbreviations) with its paragraph.
    fn with_paragraphs(t: &str) -> Vec<(&str, usize)> {
        sentences(t, &WordSet::default())
            .iter()
            .map(|s| (&t[s.range.clone()], s.paragraph))
            .collect()
    }

    #[test]
    fn line_breaks_are_paragraphs() {
        let t = "Un titre\nUne phrase. Une autre.\n\nFin";
        assert_eq!(
            with_paragraphs(t),
            [
                ("Un titre", 0),
                ("Une phrase.", 1),
                ("Une autre.", 1),
                ("Fin", 3)
            ]
        );
    }

    #[test]
    fn every_line_break_ends_a_sentence() {
        let t = "Un titre\r\nUne phrase. « Une autre\u{2029}Fin » - \n\n' \n";
        assert_eq!(
            with_paragraphs(t),
            [
                ("Un titre", 0),
                ("Une phrase.", 1),
                ("« Une autre", 1),
                ("Fin » -", 2),
                ("'", 4)
            ]
        );
    }

    #[test]
    fn unclosed_quote_stops_at_line_end() {
        assert_eq!(
            texts("« Oh. Non.\nFin. Oui."),
            ["« Oh. Non.", "Fin.", "Oui."]
        );
    }
}
