//! Text plumbing: spans with byte and char offsets, and word tokens.

use crate::event::TextSpan;
use crate::word_key;
use gazetteer::{AsciiClasses, HIGH_BITS};
use std::ops::Range;

/// A document's text, able to turn byte ranges into spans with char offsets.
pub(crate) struct Text<'a> {
    text: &'a str,
    /// The byte offset of every char that takes more than one byte, with how many bytes more
    /// than one the chars up to it (itself included) take: a char offset is the byte offset less
    /// the extra bytes before it. Empty for ASCII text.
    wide: Vec<(usize, usize)>,
}

impl<'a> Text<'a> {
    /// Indexes `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        let mut wide = Vec::new();
        let bytes = text.as_bytes();
        let mut extra = 0;
        let mut i = next_wide(bytes, 0);
        // A char of n bytes starts with a byte of n leading ones (n > 1).
        while let Some(&b) = bytes.get(i) {
            let n = b.leading_ones() as usize;
            extra += n - 1;
            wide.push((i, extra));
            i = next_wide(bytes, i + n);
        }
        Self { text, wide }
    }

    /// The char offset of a byte offset (which must be a char boundary or the end).
    pub(crate) fn char_at(&self, byte: usize) -> usize {
        let before = self.wide.partition_point(|&(b, _)| b < byte);
        let extra = before.checked_sub(1).map_or(0, |k| self.wide[k].1);
        byte - extra
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    /// Byte offset of the first byte in the document.
    pub(crate) start: usize,
    /// Byte offset past the last byte in the document.
    pub(crate) end: usize,
    /// The lower-cased text: borrowed from the document when it is lower case already, else
    /// from the buffer [`tokenize`] wrote it to.
    pub(crate) lower: &'a str,
    /// The phrase matcher's key of `lower` (see [`word_key::key`]), made once here.
    pub(crate) key: u64,
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

/// Writes the lower-cased image of `slice` to `buffer` (cleared first): the same bytes, but
/// every char that lower-cases to one char of the same length replaced by it. A token whose
/// lower-cased text is not its image (it holds a char that lower-cases to more or fewer bytes,
/// or a `Σ`, which lower-cases by its context) is lower-cased whole with [`str::to_lowercase`]
/// after the image: the returned list has the byte ranges of those tokens in `slice` and of
/// their lower-cased texts in `buffer`, in text order.
fn lower_image(slice: &str, buffer: &mut String) -> Vec<(Range<usize>, Range<usize>)> {
    buffer.clear();
    buffer.push_str(slice);
    // All ASCII letters at once, then the few other chars one by one.
    buffer.make_ascii_lowercase();
    let mut exceptions: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    let bytes = slice.as_bytes();
    let mut at = next_wide(bytes, 0);
    while let Some(c) = slice.get(at..).and_then(|rest| rest.chars().next()) {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) if l == c => {}
            (Some(l), None) if l.len_utf8() == c.len_utf8() && c != 'Σ' => {
                buffer.replace_range(at..at + c.len_utf8(), l.encode_utf8(&mut [0; 4]));
            }
            _ if exceptions.last().is_some_and(|(r, _)| at < r.end) => {}
            _ => {
                let token = token_around(slice, at);
                let from = buffer.len();
                buffer.push_str(&slice[token.clone()].to_lowercase());
                exceptions.push((token, from..buffer.len()));
            }
        }
        at = next_wide(bytes, at + c.len_utf8());
    }
    exceptions
}

/// The offset of the first byte at or after `from` that is not ASCII, or the length.
fn next_wide(bytes: &[u8], mut from: usize) -> usize {
    // Eight bytes at a time: none of them has its high bit set.
    while let Some(chunk) = bytes.get(from..from + 8) {
        let word = chunk
            .iter()
            .rev()
            .fold(0u64, |word, &b| (word << 8) | u64::from(b));
        if word & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        from += 8;
    }
    while bytes.get(from).is_some_and(u8::is_ascii) {
        from += 1;
    }
    from.min(bytes.len())
}

/// The byte range of the token that holds the char at `i`: its run of letters and digits, or
/// the char alone.
fn token_around(slice: &str, i: usize) -> Range<usize> {
    let Some(c) = slice[i..].chars().next() else {
        return i..i;
    };
    if !c.is_alphanumeric() {
        return i..i + c.len_utf8();
    }
    let start = slice[..i]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric())
        .last()
        .map_or(i, |(j, _)| j);
    let end = slice[i..]
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(slice.len(), |(j, _)| i + j);
    start..end
}

// What a byte is to the tokenizer, as a bit of `BYTES`: bits tested one by one rather than an
// enum, whose `match` of four classes was compiled to a jump table, a branch the processor
// failed to foresee at three tokens in four.

/// An ASCII letter or digit.
const ALPHANUMERIC: u8 = 1;
/// ASCII white space or a joiner: between tokens.
const BLANK: u8 = 2;
/// Any other ASCII char.
const PUNCT: u8 = 4;
/// A line break (with [`BLANK`]).
const LINE_BREAK: u8 = 8;
/// A mark the sentence splitter reads (with [`PUNCT`]): `.`, `!`, `?`, `"`.
const SENTENCE_MARK: u8 = 16;

/// The class of every byte (white space as [`char::is_whitespace`] has it); 0 for the bytes
/// of chars that are not ASCII.
const BYTES: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => ALPHANUMERIC,
            b'\n' | b'\r' => BLANK | LINE_BREAK,
            b'\t'..=b'\r' | b' ' | b'\'' | b'-' => BLANK,
            b'.' | b'!' | b'?' | b'"' => PUNCT | SENTENCE_MARK,
            _ => PUNCT,
        };
        b += 1;
    }
    table
};

/// Whether a byte is of a class.
fn is(b: u8, class: u8) -> bool {
    BYTES[usize::from(b)] & class != 0
}

/// The end of the word that starts at `slice[start..]` with a letter or digit: its run of
/// letters and digits.
fn word_end(slice: &str, start: usize) -> usize {
    let bytes = slice.as_bytes();
    let mut i = start;
    loop {
        // Mostly ASCII letters, then a space or a punctuation mark: eight bytes at a time, the
        // first that is not an ASCII letter or digit told by the bits, and whether it is ASCII
        // with it (not read again, which made a long chain of dependent steps at every word);
        // the last few bytes one by one.
        let stop_is_ascii = loop {
            if let Some(Ok(chunk)) = bytes.get(i..i + 8).map(<[u8; 8]>::try_from) {
                let eight = u64::from_le_bytes(chunk);
                let stops = !AsciiClasses::of(eight).alphanumeric() & HIGH_BITS;
                if stops != 0 {
                    let bit = stops.trailing_zeros();
                    i += (bit / 8) as usize;
                    break eight & (1 << bit) == 0;
                }
                i += 8;
            } else {
                while bytes.get(i).is_some_and(|&b| is(b, ALPHANUMERIC)) {
                    i += 1;
                }
                break bytes.get(i).is_none_or(u8::is_ascii);
            }
        };
        if stop_is_ascii {
            return i;
        }
        match slice.get(i..).and_then(|s| s.chars().next()) {
            Some(c) if is_alphanumeric(c) => i += c.len_utf8(),
            _ => return i,
        }
    }
}

/// [`char::is_alphanumeric`], told at once for the general punctuation block (U+2000 to
/// U+206F: typographic quotes, apostrophes, dashes, spaces), none of whose chars is a letter or a
/// digit, and which news texts are full of: the Unicode tables are searched for the others.
fn is_alphanumeric(c: char) -> bool {
    !('\u{2000}'..='\u{206F}').contains(&c) && c.is_alphanumeric()
}

/// A place of a text that the sentence splitter reads, noted by the tokenizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Landmark {
    /// The index of a punctuation token that may end a sentence or open or close a quote: `.`,
    /// `!`, `?`, `…`, `"`, `«`, `»`, `“`, `”`, `„`.
    Mark(usize),
    /// The byte offset of a line break (`\n`, `\r`, U+2029), and the index of the token after
    /// it.
    LineBreak(usize, usize),
}

/// What the tokenizer notes of a text besides its tokens, for the readers that look at a few
/// places only.
#[derive(Debug, Default)]
pub(crate) struct Notes {
    /// The places the sentence splitter reads, in text order.
    pub(crate) landmarks: Vec<Landmark>,
    /// The indices of the tokens that start with an ASCII digit, where dates may start, in
    /// order.
    pub(crate) numbers: Vec<usize>,
}

/// Whether a char that is not ASCII is a [`Landmark::Mark`].
fn is_sentence_mark(c: char) -> bool {
    matches!(c, '…' | '«' | '»' | '“' | '”' | '„')
}

/// Splits `text[range]` into tokens with document offsets. Their lower-cased texts are
/// written to `buffer` (cleared first), which the tokens borrow.
pub(crate) fn tokenize<'a>(
    text: &'a str,
    range: Range<usize>,
    buffer: &'a mut String,
) -> Vec<Token<'a>> {
    tokenize_with_notes(text, range, buffer, &mut Notes::default())
}

/// [`tokenize`], with [`Notes`] (cleared first) of the places the sentence splitter reads and of
/// the tokens where dates may start: with them neither goes through every token again.
pub(crate) fn tokenize_with_notes<'a>(
    text: &'a str,
    range: Range<usize>,
    buffer: &'a mut String,
    notes: &mut Notes,
) -> Vec<Token<'a>> {
    notes.landmarks.clear();
    notes.numbers.clear();
    let Some(slice) = text.get(range.clone()) else {
        buffer.clear();
        return Vec::new();
    };
    // The lower-cased image first, so that each token is made whole in one loop: its texts and
    // the image's have the same bytes at the same offsets.
    let exceptions = lower_image(slice, buffer);
    let mut tokenizer = Tokenizer {
        slice,
        offset: range.start,
        lowered: buffer,
        // About one token in five bytes of news text (4.7 in LGL): room for one in four, so that
        // the list is never copied to grow.
        tokens: Vec::with_capacity(slice.len() / 4 + 1),
        notes,
    };
    tokenizer.run();
    tokenizer.lower_exceptions(exceptions);
    tokenizer.tokens
}

/// The tokens of a slice of a document as they are made, with the tokenizer's notes.
struct Tokenizer<'a, 'n> {
    slice: &'a str,
    /// The slice's byte offset in the document.
    offset: usize,
    /// The lower-cased image of the slice.
    lowered: &'a str,
    tokens: Vec<Token<'a>>,
    notes: &'n mut Notes,
}

/// What a char that is not ASCII is to the tokenizer.
enum WideChar {
    /// A letter or digit, which starts a word: whether it is upper case.
    Word(bool),
    /// Anything else, dealt with: the offset after it.
    Done(usize),
}

impl<'a> Tokenizer<'a, '_> {
    /// Splits the slice into tokens, noting the landmarks and the numbers.
    fn run(&mut self) {
        let bytes = self.slice.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if is(b, BLANK) {
                if is(b, LINE_BREAK) {
                    self.line_break(i);
                }
                i += 1;
                continue;
            }
            let capital = if is(b, ALPHANUMERIC) {
                b.is_ascii_uppercase()
            } else if is(b, PUNCT) {
                if is(b, SENTENCE_MARK) {
                    self.mark();
                }
                self.push(i, i + 1, TokenKind::Punct, false);
                i += 1;
                continue;
            } else {
                match self.wide_char(i) {
                    Some(WideChar::Word(capital)) => capital,
                    Some(WideChar::Done(next)) => {
                        i = next;
                        continue;
                    }
                    None => break,
                }
            };
            i = self.word(i, b, capital);
        }
    }

    /// Reads the char that is not ASCII at `i`: a letter or digit starts a word; a paragraph
    /// separator is a line break, white space and joiners are skipped, and anything else is a
    /// punctuation token. `None` when `i` is not the start of a char.
    fn wide_char(&mut self, i: usize) -> Option<WideChar> {
        let c = self.slice.get(i..)?.chars().next()?;
        if is_alphanumeric(c) {
            return Some(WideChar::Word(c.is_uppercase()));
        }
        let end = i + c.len_utf8();
        if c == '\u{2029}' {
            self.line_break(i);
        } else if !c.is_whitespace() && !is_joiner(c) {
            if is_sentence_mark(c) {
                self.mark();
            }
            self.push(i, end, TokenKind::Punct, false);
        }
        Some(WideChar::Done(end))
    }

    /// Makes the word or number (a run of letters and digits) that starts at `start` with byte
    /// `first`; answers its end.
    #[inline]
    fn word(&mut self, start: usize, first: u8, capital: bool) -> usize {
        if first.is_ascii_digit() {
            self.notes.numbers.push(self.tokens.len());
        }
        let end = word_end(self.slice, start);
        let bytes = &self.slice.as_bytes()[start..end];
        let kind = if first.is_ascii_digit() && bytes.iter().all(u8::is_ascii_digit) {
            TokenKind::Number
        } else {
            TokenKind::Word
        };
        self.push(start, end, kind, capital);
        end
    }

    /// Adds the token of bytes `from..to` of the slice.
    #[inline]
    fn push(&mut self, from: usize, to: usize, kind: TokenKind, capital: bool) {
        let lower = self.lowered.get(from..to).unwrap_or_default();
        self.tokens.push(Token {
            start: self.offset + from,
            end: self.offset + to,
            lower,
            key: word_key::key(lower),
            kind,
            capital,
        });
    }

    /// Notes a line break at byte `at` of the slice, before the next token.
    fn line_break(&mut self, at: usize) {
        let next = self.tokens.len();
        self.notes
            .landmarks
            .push(Landmark::LineBreak(self.offset + at, next));
    }

    /// Notes that the next token is a sentence mark.
    fn mark(&mut self) {
        let next = self.tokens.len();
        self.notes.landmarks.push(Landmark::Mark(next));
    }

    /// Gives the few tokens whose lower-cased text is not their image (most texts have none)
    /// their text lower-cased whole: `exceptions` as [`lower_image`] answers them.
    fn lower_exceptions(&mut self, exceptions: Vec<(Range<usize>, Range<usize>)>) {
        let lowered = self.lowered;
        for (range, lower) in exceptions {
            let start = self.offset + range.start;
            let k = self.tokens.partition_point(|t| t.start < start);
            if let Some(token) = self.tokens.get_mut(k).filter(|t| t.start == start) {
                token.lower = &lowered[lower];
                token.key = word_key::key(token.lower);
            }
        }
    }
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
        let mut buffer = String::new();
        let toks = tokenize(t, 0..t.len(), &mut buffer);
        let words: Vec<&str> = toks.iter().map(|t| t.lower).collect();
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
    fn lower_cases_chars_that_change_length() {
        // İ and the Kelvin sign lower-case to more and to fewer bytes, Σ by its place in the
        // word, ẞ to a shorter char.
        let t = "Élan İSTANBUL, ΟΔΟΣ ΣΑΣ \u{212A}ELVIN STRAẞE «Σ» Été";
        let mut buffer = String::new();
        let toks = tokenize(t, 0..t.len(), &mut buffer);
        let words: Vec<&str> = toks.iter().map(|t| t.lower).collect();
        assert_eq!(
            words,
            [
                "élan",
                "i\u{307}stanbul",
                ",",
                "οδος",
                "σας",
                "kelvin",
                "straße",
                "«",
                "σ",
                "»",
                "été"
            ]
        );
        assert!(
            toks.iter()
                .all(|tok| tok.lower == t[tok.start..tok.end].to_lowercase())
        );
    }

    proptest::proptest! {
        /// Every token is a word or number (letters and digits) or one punctuation char, with
        /// its text lower-cased as `str::to_lowercase` does; only white space and joiners are
        /// left between tokens.
        #[test]
        fn tokens_cover_the_text(t in "(?s)[a-zA-Z0-9 .,'«»\\-\n\t]{0,40}|\\PC{0,40}|.{0,40}|[İΣΑẞ\u{212A}éÉa-zA-Z ,'-]{0,30}") {
            let mut buffer = String::new();
            let toks = tokenize(&t, 0..t.len(), &mut buffer);
            let mut at = 0;
            for tok in &toks {
                let s = &t[tok.start..tok.end];
                proptest::prop_assert!(t[at..tok.start].chars().all(|c| c.is_whitespace() || is_joiner(c)));
                proptest::prop_assert_eq!(tok.lower, s.to_lowercase());
                let word = s.chars().all(char::is_alphanumeric);
                proptest::prop_assert_eq!(tok.kind == TokenKind::Punct, !word);
                proptest::prop_assert!(word || s.chars().count() == 1);
                proptest::prop_assert_eq!(tok.kind == TokenKind::Number, s.bytes().all(|b| b.is_ascii_digit()));
                proptest::prop_assert_eq!(tok.capital, word && s.chars().next().is_some_and(char::is_uppercase));
                at = tok.end;
            }
            proptest::prop_assert!(t[at..].chars().all(|c| c.is_whitespace() || is_joiner(c)));
        }

        /// The notes list the tokens that start with a digit, the marks the sentence splitter
        /// reads and the line breaks, with the token after each.
        #[test]
        fn notes_list_numbers_marks_and_line_breaks(t in "(?s)[a-z0-9 .!?\"«»“”„…,'\\-\n\r\u{2029}]{0,40}") {
            let mut buffer = String::new();
            let mut notes = Notes::default();
            let toks = tokenize_with_notes(&t, 0..t.len(), &mut buffer, &mut notes);
            let numbers: Vec<usize> = (0..toks.len())
                .filter(|&k| t.as_bytes()[toks[k].start].is_ascii_digit())
                .collect();
            proptest::prop_assert_eq!(&notes.numbers, &numbers);
            let mut landmarks = Vec::new();
            for (at, c) in t.char_indices() {
                let next = toks.partition_point(|tok| tok.start < at);
                if matches!(c, '\n' | '\r' | '\u{2029}') {
                    landmarks.push(Landmark::LineBreak(at, next));
                } else if matches!(c, '.' | '!' | '?' | '"' | '…' | '«' | '»' | '“' | '”' | '„') {
                    landmarks.push(Landmark::Mark(next));
                }
            }
            proptest::prop_assert_eq!(&notes.landmarks, &landmarks);
        }
    }

    #[test]
    fn general_punctuation_has_no_letters_or_digits() {
        for c in '\u{2000}'..='\u{206F}' {
            assert!(!c.is_alphanumeric(), "{c:?}");
        }
        assert!(is_alphanumeric('é') && is_alphanumeric('7') && !is_alphanumeric('’'));
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
        let t = "a€b 𝄞 c";
        let text = Text::new(t);
        let chars: Vec<usize> = (0..=t.len())
            .filter(|&b| t.is_char_boundary(b))
            .map(|b| text.char_at(b))
            .collect();
        assert_eq!(chars, (0..=t.chars().count()).collect::<Vec<_>>());
    }
}
