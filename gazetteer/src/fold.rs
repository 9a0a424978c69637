//! Name normalisation: the one folding that both the index keys and the texts go through.
//!
//! Folding lower-cases, strips diacritics («Bakou» and «Bakóu» meet), maps letters with no
//! decomposition to their base (`ø`, `ł`, `ß`, `ı`), turns every run of other characters
//! (spaces, hyphens, apostrophes, elision marks, punctuation) into one space, and keeps full
//! stops so that abbreviations (`W.Va.`, `U.S.`) stay distinct from words. Because the rule is
//! local to each character, folding a slice of a text gives the same bytes as the matching slice
//! of the folded text, which is what lets the recogniser walk the index over a folded text and map
//! every hit back to the original offsets.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Folds a name into its index key (see the module documentation).
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        push_folded(c, &mut out);
    }
    trim_end_space(&mut out);
    out
}

/// A folded text and its words, each with its place in the original text and in the folded one:
/// a match that starts at a word and ends at a word (or at a full stop just after one) maps back
/// to the original through them.
#[derive(Debug, Default)]
pub struct FoldedText {
    /// The folded bytes (valid UTF-8).
    pub folded: String,
    /// The words of the text, in order: runs of letters and digits (with the combining marks
    /// inside them), as found while folding.
    pub words: Vec<FoldedWord>,
}

/// A word of a [`FoldedText`]: where it is in the original text and in the folded one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoldedWord {
    /// Byte range in the original text.
    pub bytes: std::ops::Range<usize>,
    /// Byte range in the folded text (the word folded on its own: folding is local to each
    /// character, and a word holds no separator). Unless it is empty (a word of marks alone),
    /// a match may start there: it starts the folded text or follows a separator.
    pub folded: std::ops::Range<usize>,
    /// The case of its letters in the original text.
    pub case: Case,
    /// What separates it from the word before (or from the start of the text).
    pub gap: Gap,
}

/// What the characters between two words are, gathered while folding them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Gap(u8);

/// [`Gap`] bits: a character that ends a sentence or opens a quote or a list (`!?:("«“` or a
/// line break), a full stop, a character other than a space, any character.
const GAP_ENDS: u8 = 1;
const GAP_DOT: u8 = 2;
const GAP_OTHER: u8 = 4;
const GAP_ANY: u8 = 8;

impl Gap {
    /// A character that ends a sentence (or opens a quote or a list) is there.
    pub fn ends_sentence(self) -> bool {
        self.0 & GAP_ENDS != 0
    }

    /// A full stop is there.
    pub fn has_dot(self) -> bool {
        self.0 & GAP_DOT != 0
    }

    /// The gap is one or more spaces and nothing else.
    pub fn only_spaces(self) -> bool {
        self.0 & (GAP_ANY | GAP_OTHER) == GAP_ANY
    }

    /// The bits of a character between words.
    const fn of(c: char) -> u8 {
        GAP_ANY
            | match c {
                ' ' => 0,
                '.' => GAP_DOT | GAP_OTHER,
                '!' | '?' | '\n' | '"' | ':' | '(' | '«' | '“' => GAP_ENDS | GAP_OTHER,
                _ => GAP_OTHER,
            }
    }
}

/// The case of a word's letters, gathered while folding it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Case(u8);

/// [`Case`] bits: some letter is upper case, some lower case, and the same of the first letter.
const ANY_UPPER: u8 = 1;
const ANY_LOWER: u8 = 2;
const FIRST_UPPER: u8 = 4;
const FIRST_LOWER: u8 = 8;

impl Case {
    /// The first character is upper case.
    pub fn first_upper(self) -> bool {
        self.0 & FIRST_UPPER != 0
    }

    /// The first character is lower case.
    pub fn first_lower(self) -> bool {
        self.0 & FIRST_LOWER != 0
    }

    /// Some character is upper case and none is lower case.
    pub fn all_upper(self) -> bool {
        self.0 & (ANY_UPPER | ANY_LOWER) == ANY_UPPER
    }

    /// The `ANY_*` bits of a character.
    fn bits(c: char) -> u8 {
        if c.is_ascii() {
            return ASCII_CASE[c as usize];
        }
        (u8::from(c.is_uppercase()) * ANY_UPPER) | (u8::from(c.is_lowercase()) * ANY_LOWER)
    }
}

/// The word being read while folding: its original and folded starts, its case so far and
/// the gap before it.
struct OpenWord {
    start: usize,
    folded_start: usize,
    case: u8,
    gap: Gap,
}

impl OpenWord {
    /// A word that starts at `start` (`folded_start` in the folded text) with a character of
    /// case `bits`, after a gap of `gap` bits.
    fn new(start: usize, folded_start: usize, bits: u8, gap: u8) -> Self {
        Self {
            start,
            folded_start,
            case: bits | bits << 2,
            gap: Gap(gap),
        }
    }

    /// The word, ended at `end` (`folded_end` in the folded text).
    fn end(self, end: usize, folded_end: usize) -> FoldedWord {
        FoldedWord {
            bytes: self.start..end,
            folded: self.folded_start..folded_end,
            case: Case(self.case),
            gap: self.gap,
        }
    }
}

/// Folds the ASCII letters and digits from byte `*at` of `bytes` into `folded`, the letters of
/// the word `w`, and the words that follow them after one space each, ending each word but the
/// last into `words`; moves `*at` to where it stopped.
#[inline(always)]
fn push_ascii_words(
    bytes: &[u8],
    at: &mut usize,
    w: &mut OpenWord,
    folded: &mut Vec<u8>,
    words: &mut Vec<FoldedWord>,
) {
    loop {
        let mut case = w.case;
        push_ascii_run(bytes, at, &mut case, folded);
        w.case = case;
        // The commonest gap, one space before the next ASCII word, read here rather than
        // through the loop of `FoldedText::new`.
        let next = match bytes.get(*at..*at + 2) {
            Some(&[b' ', next]) if ASCII_FOLD[usize::from(next)] > b'.' => next,
            _ => return,
        };
        folded.push(b' ');
        let next = OpenWord::new(
            *at + 1,
            folded.len(),
            ASCII_CASE[usize::from(next)],
            GAP_ANY,
        );
        words.push(std::mem::replace(w, next).end(*at, folded.len() - 1));
        *at += 1;
    }
}

/// Folds the run of ASCII letters and digits at byte `*at` of `bytes` into `folded`, eight
/// bytes at a time, then through the tables near the end of the text; moves `*at` to where the
/// run ends and adds the [`Case`] bits of its letters to `case`.
#[inline(always)]
fn push_ascii_run(bytes: &[u8], at: &mut usize, case: &mut u8, folded: &mut Vec<u8>) {
    while let Some(eight) = bytes.get(*at..).and_then(<[u8]>::first_chunk::<8>) {
        let run = AsciiRun::of(u64::from_le_bytes(*eight));
        let len = folded.len();
        folded.extend_from_slice(&run.folded.to_le_bytes());
        folded.truncate(len + run.len);
        *case |= run.case;
        *at += run.len;
        if run.len < 8 {
            // The run ends inside the eight bytes.
            return;
        }
    }
    // Fewer than eight bytes left: through the tables.
    while let Some(&b) = bytes.get(*at) {
        let f = ASCII_FOLD[usize::from(b)];
        if f <= b'.' {
            break;
        }
        *case |= ASCII_CASE[usize::from(b)];
        folded.push(f);
        *at += 1;
    }
}

/// Appends the folded form of `c`, a letter, digit or mark that is not ASCII, to `folded`:
/// [`push_folded`] into `scratch`, primed with the last byte of `folded`, by which it collapses
/// separators.
#[inline(always)]
fn push_folded_other_char(c: char, folded: &mut Vec<u8>, scratch: &mut String) {
    scratch.clear();
    match folded.last() {
        Some(b' ') => scratch.push(' '),
        Some(_) => scratch.push('x'),
        None => {}
    }
    let primed = scratch.len();
    push_folded(c, scratch);
    folded.extend_from_slice(&scratch.as_bytes()[primed..]);
}

impl FoldedText {
    /// Folds `text`, recording where its words are in it and in the folded text, and their case.
    /// The folded text is built as bytes (ASCII, the bulk of most texts, is pushed a byte or
    /// eight at a time) and checked as UTF-8 once at the end.
    pub fn new(text: &str) -> Self {
        let mut folded: Vec<u8> = Vec::with_capacity(text.len());
        let mut words = Vec::with_capacity(text.len() / 5);
        let mut word: Option<OpenWord> = None;
        // The gap bits since the last word.
        let mut gap = 0;
        let mut scratch = String::new();
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let b = bytes[at];
            if ASCII_FOLD[usize::from(b)] > b'.' {
                let w = word.get_or_insert_with(|| {
                    let bits = ASCII_CASE[usize::from(b)];
                    OpenWord::new(at, folded.len(), bits, std::mem::take(&mut gap))
                });
                push_ascii_words(bytes, &mut at, w, &mut folded, &mut words);
            } else if b.is_ascii() {
                // A full stop or a separator.
                words.extend(word.take().map(|w| w.end(at, folded.len())));
                gap |= ASCII_GAP[usize::from(b)];
                if b == b'.' {
                    folded.push(b'.');
                } else {
                    push_separator(&mut folded);
                }
                at += 1;
            } else {
                let Some(c) = text[at..].chars().next() else {
                    break;
                };
                if c.is_alphanumeric() || is_combining_mark(c) {
                    match &mut word {
                        Some(w) => w.case |= Case::bits(c),
                        None if c.is_alphanumeric() => {
                            let bits = Case::bits(c);
                            word = Some(OpenWord::new(at, folded.len(), bits, gap));
                            gap = 0;
                        }
                        None => gap |= Gap::of(c),
                    }
                    push_folded_other_char(c, &mut folded, &mut scratch);
                } else {
                    // A separator («’», «—»): what `push_folded` makes of it, without its tests.
                    words.extend(word.take().map(|w| w.end(at, folded.len())));
                    gap |= Gap::of(c);
                    push_separator(&mut folded);
                }
                at += c.len_utf8();
            }
        }
        words.extend(word.take().map(|w| w.end(text.len(), folded.len())));
        Self {
            // Every byte pushed above comes from a `char` or is ASCII.
            folded: String::from_utf8(folded)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            words,
        }
    }

    /// Whether a match may end just before folded byte `i`: at the end, before a separator, or
    /// after a full stop that the match includes.
    pub fn is_word_end(&self, i: usize) -> bool {
        let b = self.folded.as_bytes();
        i == b.len() || is_separator(b[i]) || (i > 0 && b[i - 1] == b'.')
    }

    /// The original byte range of a match of the folded text that starts at word `first` and
    /// ends at folded byte `end` (at the end of a word, or after a full stop just after one),
    /// with the index one past its last word.
    pub fn original_range(
        &self,
        text: &str,
        first: usize,
        end: usize,
    ) -> (std::ops::Range<usize>, usize) {
        let from = self.words.get(first).map_or(0, |w| w.bytes.start);
        let last = first
            + self.words[first..]
                .iter()
                .take_while(|w| w.folded.start < end)
                .count();
        let Some(word) = last.checked_sub(1).and_then(|k| self.words.get(k)) else {
            return (from..from, last);
        };
        // Past the word's end, the match holds the full stop that follows it.
        let dot = word.folded.end < end && text.as_bytes().get(word.bytes.end) == Some(&b'.');
        (from..word.bytes.end + usize::from(dot), last)
    }
}

/// The ASCII capitals, small letters and digits among eight bytes of a text, each as the high
/// bit of the bytes that are one (the first byte in the lowest bits): bitwise arithmetic on the
/// bytes as one number, for reading a text eight bytes at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsciiClasses {
    /// `A` to `Z`.
    pub upper: u64,
    /// `a` to `z`.
    pub lower: u64,
    /// `0` to `9`.
    pub digit: u64,
}

/// The high bit of each of eight bytes.
pub const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

impl AsciiClasses {
    /// The classes of the eight bytes `x` (little-endian: the first byte lowest).
    pub fn of(x: u64) -> Self {
        const ONES: u64 = 0x0101_0101_0101_0101;
        // Bytes of 128 and more are not ASCII: their high bit is cleared before adding, so that
        // no byte carries into the next, and they are left out of every class.
        let low = x & !HIGH_BITS;
        let ascii = !x & HIGH_BITS;
        // The high bit of each byte in `lo..=hi`.
        let within = |lo: u8, hi: u8| {
            let from_lo = low + u64::from(0x80 - lo) * ONES;
            let past_hi = low + u64::from(0x7f - hi) * ONES;
            from_lo & !past_hi & ascii
        };
        Self {
            upper: within(b'A', b'Z'),
            lower: within(b'a', b'z'),
            digit: within(b'0', b'9'),
        }
    }

    /// The letters and digits.
    pub fn alphanumeric(self) -> u64 {
        self.upper | self.lower | self.digit
    }
}

/// The ASCII letters and digits that eight bytes of a text start with, folded eight at a time.
struct AsciiRun {
    /// How many of the eight bytes are ASCII letters or digits before the first that is not.
    len: usize,
    /// The eight bytes with their ASCII capitals in lower case (the first `len` are the run
    /// folded).
    folded: u64,
    /// The [`Case`] bits of the run's letters.
    case: u8,
}

impl AsciiRun {
    /// The run at the start of the eight bytes `x` (little-endian: the first byte lowest).
    fn of(x: u64) -> Self {
        let classes = AsciiClasses::of(x);
        let len = ((!classes.alphanumeric() & HIGH_BITS).trailing_zeros() / 8) as usize;
        let run = if len == 8 {
            u64::MAX
        } else {
            (1 << (8 * len)) - 1
        };
        Self {
            len,
            folded: x | (classes.upper >> 2),
            case: (u8::from(classes.upper & run != 0) * ANY_UPPER)
                | (u8::from(classes.lower & run != 0) * ANY_LOWER),
        }
    }
}

/// For each ASCII byte: its folded form for letters and digits, `.` for a full stop, 0 for a
/// separator; 0 for bytes above ASCII.
const ASCII_FOLD: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = c.to_ascii_lowercase();
        } else if c == b'.' {
            table[b] = b'.';
        }
        b += 1;
    }
    table
};

/// For each ASCII byte: its [`Gap`] bits between words.
const ASCII_GAP: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = Gap::of(b as u8 as char);
        b += 1;
    }
    table
};

/// For each byte: the [`Case`] bits of the ASCII letter it is (none for other bytes).
const ASCII_CASE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_uppercase() {
            ANY_UPPER
        } else if c.is_ascii_lowercase() {
            ANY_LOWER
        } else {
            0
        };
        b += 1;
    }
    table
};

fn trim_end_space(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
}

/// Whether byte `b` of a folded text separates words: a space or a full stop (folding makes
/// every other character that is not a letter, a digit or a mark a space).
pub fn is_separator(b: u8) -> bool {
    b == b' ' || b == b'.'
}

/// Appends the folded form of `c` to `out`, collapsing separators into one space (none at the
/// start of `out`).
///
/// ASCII, the bulk of most names, goes through the table that folding a text uses, inlined; the
/// other characters through [`push_folded_other`].
#[inline]
pub(crate) fn push_folded(c: char, out: &mut String) {
    if !c.is_ascii() {
        push_folded_other(c, out);
    } else if let f @ 1.. = ASCII_FOLD[c as usize] {
        out.push(char::from(f));
    } else {
        push_space(out);
    }
}

/// [`push_folded`] of a character that is not ASCII.
fn push_folded_other(c: char, out: &mut String) {
    if !c.is_alphanumeric() {
        if is_combining_mark(c) {
            return;
        }
        push_space(out);
        return;
    }
    for lower in c.to_lowercase() {
        if let Some(base) = special_base(lower) {
            out.push_str(base);
            continue;
        }
        decompose_canonical(lower, |d| {
            if !is_combining_mark(d) {
                out.push(d);
            }
        });
    }
}

fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

/// [`push_space`] on the bytes that [`FoldedText::new`] builds.
fn push_separator(folded: &mut Vec<u8>) {
    if folded.last().is_some_and(|&l| l != b' ') {
        folded.push(b' ');
    }
}

/// Letters that Unicode does not decompose but that readers treat as their base letter.
fn special_base(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        'ħ' => "h",
        'ŧ' => "t",
        'ŋ' => "n",
        'ə' => "a",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_diacritics_and_separators() {
        assert_eq!(fold("Haut-Karabakh"), "haut karabakh");
        assert_eq!(fold("Azerbaïdjan"), "azerbaidjan");
        assert_eq!(fold("États-Unis"), "etats unis");
        assert_eq!(fold("Xankəndi"), "xankandi");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Баку"), "баку");
        assert_eq!(fold("Ёлкино"), "елкино");
        assert_eq!(fold("W.Va."), "w.va.");
        assert_eq!(fold("  Rio  de   Janeiro "), "rio de janeiro");
        assert_eq!(fold("d’Alep"), "d alep");
        assert_eq!(fold("İstanbul"), "istanbul");
    }

    #[test]
    fn folded_text_maps_back_to_original_offsets() {
        let text = "À l’est d’Alep, Straße";
        let f = FoldedText::new(text);
        assert_eq!(f.folded, "a l est d alep strasse");
        let at = f.folded.find("alep").expect("alep is there");
        let first = f.words.iter().position(|w| w.folded.start == at);
        let (r, last) = f.original_range(text, first.expect("a word starts there"), at + 4);
        assert_eq!(&text[r], "Alep");
        assert_eq!(last, 5);
        let at = f.folded.find("strasse").expect("strasse is there");
        let first = f.words.iter().position(|w| w.folded.start == at);
        let (r, _) = f.original_range(text, first.expect("a word starts there"), at + 7);
        assert_eq!(&text[r], "Straße");
        let text = "Morgantown, W.Va. and U.S. troops";
        let f = FoldedText::new(text);
        let at = f.folded.find("w.va.").expect("w.va. is there");
        let first = f.words.iter().position(|w| w.folded.start == at);
        let (r, last) = f.original_range(text, first.expect("a word starts there"), at + 5);
        assert_eq!((&text[r], last), ("W.Va.", 3));
    }

    #[test]
    fn words_keep_the_case_of_their_letters() {
        let text = "Łódź USA e\u{301}tait 9e ÉTATS-Unis";
        let f = FoldedText::new(text);
        let case: Vec<(&str, bool, bool, bool)> = f
            .words
            .iter()
            .map(|w| {
                let c = w.case;
                (
                    &text[w.bytes.clone()],
                    c.first_upper(),
                    c.first_lower(),
                    c.all_upper(),
                )
            })
            .collect();
        assert_eq!(
            case,
            [
                ("Łódź", true, false, false),
                ("USA", true, false, true),
                ("e\u{301}tait", false, true, false),
                ("9e", false, false, false),
                ("ÉTATS", true, false, true),
                ("Unis", true, false, false),
            ]
        );
    }

    #[test]
    fn ascii_classes_of_every_byte_at_every_place() {
        for at in 0..8 {
            for b in 0..=255u8 {
                let mut eight = *b"aZ9 \xc3\xa9-Q";
                eight[at] = b;
                let classes = AsciiClasses::of(u64::from_le_bytes(eight));
                for (i, byte) in eight.iter().enumerate() {
                    let bit = |mask: u64| mask.to_le_bytes()[i];
                    let expect = |yes: bool| if yes { 0x80 } else { 0 };
                    assert_eq!(
                        bit(classes.upper),
                        expect(byte.is_ascii_uppercase()),
                        "{eight:?}"
                    );
                    assert_eq!(
                        bit(classes.lower),
                        expect(byte.is_ascii_lowercase()),
                        "{eight:?}"
                    );
                    assert_eq!(
                        bit(classes.digit),
                        expect(byte.is_ascii_digit()),
                        "{eight:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn eight_bytes_at_a_time_fold_as_the_tables_do() {
        // Every byte after every length of run, among letters of both cases and digits.
        for len in 0..8 {
            for b in 0..=255u8 {
                let mut eight = *b"aZ9mQ0xY";
                eight[len] = b;
                let run = AsciiRun::of(u64::from_le_bytes(eight));
                let expected = eight
                    .iter()
                    .position(|&c| ASCII_FOLD[usize::from(c)] <= b'.')
                    .unwrap_or(8);
                assert_eq!(run.len, expected, "{eight:?}");
                let folded = run.folded.to_le_bytes();
                for (i, &c) in eight[..expected].iter().enumerate() {
                    assert_eq!(folded[i], ASCII_FOLD[usize::from(c)], "{eight:?}");
                }
                let case = eight[..expected]
                    .iter()
                    .fold(0, |case, &c| case | ASCII_CASE[usize::from(c)]);
                assert_eq!(run.case, case, "{eight:?}");
            }
        }
    }

    #[test]
    fn words_know_the_gap_before_them() {
        let text = "Bakou  et Erevan. «\u{a0}Alep ?» \u{301}Gaza-Sud\nFin";
        let f = FoldedText::new(text);
        let gaps: Vec<(&str, bool, bool, bool)> = f
            .words
            .iter()
            .map(|w| {
                let g = w.gap;
                (
                    &text[w.bytes.clone()],
                    g.ends_sentence(),
                    g.has_dot(),
                    g.only_spaces(),
                )
            })
            .collect();
        assert_eq!(
            gaps,
            [
                ("Bakou", false, false, false),
                ("et", false, false, true),
                ("Erevan", false, false, true),
                ("Alep", true, true, false),
                ("Gaza", true, false, false),
                ("Sud", false, false, false),
                ("Fin", true, false, false),
            ]
        );
    }

    #[test]
    fn folding_a_slice_equals_slicing_the_folded_text() {
        let text = "Le Groupe de Minsk de l'OSCE, Bakou.";
        let f = FoldedText::new(text);
        assert!(f.folded.contains(&fold("Groupe de Minsk")));
        assert!(f.folded.contains(&fold("l'OSCE")));
    }

    #[test]
    fn every_word_starts_the_text_or_follows_a_separator() {
        let text = "«Bakou»—Erevan; U.S.A. l’OSCE  x\u{345}y \u{345} Łódź\tSt.-Louis ÉTATS-UNIS...Alep a b";
        let f = FoldedText::new(text);
        assert!(f.words.len() >= 15);
        for w in &f.words {
            let start = w.folded.start;
            assert!(
                start == 0 || is_separator(f.folded.as_bytes()[start - 1]),
                "{w:?}"
            );
            if !w.folded.is_empty() {
                assert!(!is_separator(f.folded.as_bytes()[start]), "{w:?}");
            }
        }
    }
}
