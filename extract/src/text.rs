//! Text plumbing: spans with byte and char offsets, and word tokens.

use crate::event::TextSpan;
use std::borrow::Cow;
use std::ops::Range;

/// A document's text with the byte offset of every char, to turn byte ranges into spans.
pub(crate) struct Text<'a> {
    text: &'a str,
    char_starts: Vec<usize>,
}

impl<'a> Text<'a> {
    /// Indexes `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            text,
            char_starts: text.char_indices().map(|(i, _)| i).collect(),
        }
    }

    /// The char offset of a byte offset (which must be a char boundary or the end).
    pub(crate) fn char_at(&self, byte: usize) -> usize {
        self.char_starts.partition_point(|&b| b < byte)
    }

    /// The span of a byte range.
    pub(crate) fn span(&self, range: Range<usize>) -> TextSpan {
        let end = range.end.min(self.text.len());
        let start = range.start.min(end);
        TextSpan {
            start,
            end,
            char_start: self.char_at(start),
            char_end: self.char_at(end),
            text: self.text.get(start..end).unwrap_or_default().to_owned(),
        }
    }
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// Letters, possibly with digits.
    Word,
    /// Digits only.
    Number,
    /// One punctuation or symbol char.
    Punct,
}

/// A word, number or punctuation mark of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    /// Byte offset of the first byte in the document.
    pub(crate) start: usize,
    /// Byte offset past the last byte in the document.
    pub(crate) end: usize,
    /// The lower-cased text (borrowed from the document when it is lower case already).
    pub(crate) lower: Cow<'a, str>,
    /// What the token is.
    pub(crate) kind: TokenKind,
    /// Whether the first char is upper case.
    pub(crate) capital: bool,
}

impl Token<'_> {
    /// Whether the token is a word or a number.
    pub(crate) fn is_word(&self) -> bool {
        self.kind != TokenKind::Punct
    }
}

/// Whether a char joins the two parts of a word without being part of either (elision
/// apostrophes and hyphens split «d'Alep» and «Haut-Karabakh» into two tokens).
fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘' | '-' | '‐' | '‑')
}

/// `s` lower-cased, borrowed when lower-casing leaves it as it is.
fn lower_case(s: &str) -> Cow<'_, str> {
    let unchanged = s.chars().all(|c| {
        if c.is_ascii() {
            !c.is_ascii_uppercase()
        } else {
            c.to_lowercase().eq([c])
        }
    });
    if unchanged {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

/// Splits `text[range]` into tokens with document offsets.
pub(crate) fn tokenize<'a>(text: &'a str, range: Range<usize>) -> Vec<Token<'a>> {
    let Some(slice) = text.get(range.clone()) else {
        return Vec::new();
    };
    // About one token in five bytes of news text.
    let mut tokens = Vec::with_capacity(slice.len() / 5);
    let mut word: Option<usize> = None;
    let flush = |tokens: &mut Vec<Token<'a>>, from: usize, to: usize| {
        let s = &slice[from..to];
        let kind = if s.chars().all(|c| c.is_ascii_digit()) {
            TokenKind::Number
        } else {
            TokenKind::Word
        };
        tokens.push(Token {
            start: range.start + from,
            end: range.start + to,
            lower: lower_case(s),
            kind,
            capital: s.chars().next().is_some_and(char::is_uppercase),
        });
    };
    for (i, c) in slice.char_indices() {
        if c.is_alphanumeric() {
            word.get_or_insert(i);
            continue;
        }
        if let Some(w) = word.take() {
            flush(&mut tokens, w, i);
        }
        if !c.is_whitespace() && !is_joiner(c) {
            tokens.push(Token {
                start: range.start + i,
                end: range.start + i + c.len_utf8(),
                lower: lower_case(&slice[i..i + c.len_utf8()]),
                kind: TokenKind::Punct,
                capital: false,
            });
        }
    }
    if let Some(w) = word {
        flush(&mut tokens, w, slice.len());
    }
    tokens
}

/// Splits a lexicon phrase into lower-cased words, the way [`tokenize`] splits texts.
pub(crate) fn phrase_words(phrase: &str) -> Vec<String> {
    phrase
        .split(|c: char| c.is_whitespace() || is_joiner(c))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_elisions_and_hyphens() {
        let t = "L’Arménie, d'Alep et Haut-Karabakh 27 «oui»";
        let toks = tokenize(t, 0..t.len());
        let words: Vec<&str> = toks.iter().map(|t| &*t.lower).collect();
        assert_eq!(
            words,
            [
                "l", "arménie", ",", "d", "alep", "et", "haut", "karabakh", "27", "«", "oui", "»"
            ]
        );
        assert!(toks[1].capital);
        assert_eq!(toks[8].kind, TokenKind::Number);
        assert_eq!(&t[toks[1].start..toks[1].end], "Arménie");
    }

    #[test]
    fn spans_count_chars() {
        let t = "Élan à Bakou";
        let text = Text::new(t);
        let s = text.span(t.find("Bakou").unwrap_or(0)..t.len());
        assert_eq!(
            (s.char_start, s.char_end, s.text.as_str()),
            (7, 12, "Bakou")
        );
    }
}
