//! Sentence splitting that abbreviations, quotes (« », “ ”, "…") and numbers do not break.

use crate::hash::WordSet;
use std::ops::Range;

/// A sentence of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sentence {
    /// Byte range in the document, trimmed of surrounding white space.
    pub(crate) range: Range<usize>,
    /// Index of the paragraph (line block) the sentence belongs to.
    pub(crate) paragraph: usize,
}

/// Splits `text` into sentences.
///
/// A sentence ends at `.`, `!`, `?` or `…` (with any closing quotes after it) followed by white
/// space and an upper-case letter, a digit or an opening quote, or at a line break. It does not
/// end inside quotes, after a word of `abbreviations` (lower-cased, without the full stop), after
/// a single capital letter (initials, `U.S.`) or inside a number (`3.5`).
pub(crate) fn split(text: &str, abbreviations: &WordSet) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut paragraph = 0;
    let mut depth: u32 = 0;
    let mut straight_open = false;
    // Byte offset of the char at hand: the next one that may matter.
    let mut at = 0;
    while let Some(next) = next_that_may_matter(text.as_bytes(), at) {
        at = next;
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        let next = at + c.len_utf8();
        match c {
            '\n' | '\r' | '\u{2029}' => {
                push(text, start..at, paragraph, &mut out);
                // A blank line or any line break starts a new paragraph: news texts put one
                // paragraph on each line.
                if c == '\n' || c == '\u{2029}' {
                    paragraph += 1;
                }
                start = next;
                depth = 0;
                straight_open = false;
            }
            '«' | '“' | '„' => depth += 1,
            '»' | '”' => depth = depth.saturating_sub(1),
            '"' => straight_open = !straight_open,
            '.' | '!' | '?' | '…' => {
                // Take the run of terminal marks and closing quotes, up to byte offset `j`.
                let mut j = next;
                let mut closes = 0u32;
                let mut straight_closes = false;
                for d in text[next..].chars() {
                    match d {
                        '.' | '!' | '?' | '…' => {}
                        '»' | '”' => closes += 1,
                        '"' if straight_open => straight_closes = true,
                        ')' => {}
                        _ => break,
                    }
                    j += d.len_utf8();
                }
                let inside =
                    depth.saturating_sub(closes) > 0 || (straight_open && !straight_closes);
                let ends = !inside
                    && next_starts_sentence(&text[j..])
                    && !(c == '.' && j == next && is_abbreviation(&text[..at], abbreviations));
                depth = depth.saturating_sub(closes);
                if straight_closes {
                    straight_open = false;
                }
                if ends {
                    push(text, start..j, paragraph, &mut out);
                    start = j;
                }
                at = j;
                continue;
            }
            _ => {}
        }
        at = next;
    }
    push(text, start..text.len(), paragraph, &mut out);
    out
}

/// The offset of the first byte at or after `from` that [`may_matter`].
fn next_that_may_matter(bytes: &[u8], mut from: usize) -> Option<usize> {
    // Eight bytes at a time, with no branch inside (most runs of eight hold none of them).
    while let Some(chunk) = bytes.get(from..from + 8) {
        if chunk.iter().fold(false, |any, &b| any | may_matter(b)) {
            break;
        }
        from += 8;
    }
    let rest = bytes.get(from..)?;
    rest.iter().position(|&b| may_matter(b)).map(|k| from + k)
}

/// Whether a byte may start a char [`split`] looks at: a line break, a quote or a terminal mark
/// (`«`, `»` start with 0xC2; `“`, `”`, `„`, `…` and the paragraph separator with 0xE2). Both are
/// lead bytes, never inside a char.
fn may_matter(b: u8) -> bool {
    MATTERS[usize::from(b)]
}

/// [`may_matter`] for every byte: a table look-up is cheaper than the comparisons, at every
/// byte of the text.
const MATTERS: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(
            b as u8,
            b'\n' | b'\r' | b'"' | b'.' | b'!' | b'?' | 0xC2 | 0xE2
        );
        b += 1;
    }
    table
};

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

/// Adds the trimmed sentence `text[range]` unless it is blank.
fn push(text: &str, range: Range<usize>, paragraph: usize, out: &mut Vec<Sentence>) {
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
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        let abbr: WordSet = ["m", "mr", "dr", "gen", "etc"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        split(t, &abbr).into_iter().map(|s| &t[s.range]).collect()
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

    #[test]
    fn line_breaks_are_paragraphs() {
        let abbr = WordSet::default();
        let t = "Un titre\nUne phrase. Une autre.\n\nFin";
        let s = split(t, &abbr);
        let got: Vec<(&str, usize)> = s
            .iter()
            .map(|s| (&t[s.range.clone()], s.paragraph))
            .collect();
        assert_eq!(
            got,
            [
                ("Un titre", 0),
                ("Une phrase.", 1),
                ("Une autre.", 1),
                ("Fin", 3)
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
