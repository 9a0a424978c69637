//! Recognition: which spans of a text are place names.
//!
//! The folded text is walked through the names index from every word start, which finds every
//! gazetteer name in one pass whatever its length (multi-word names, elided forms such as
//! «d'Alep», hyphenated ones such as «Haut-Karabakh»). Each hit then has to pass the filters
//! that keep precision: case (a name is capitalised in cased scripts, but for lower-case
//! demonyms in the languages that write them so), function and common words, person names (a
//! title before, or other capitalised words around that are not facility words), names of groups
//! and agreements («Groupe de Minsk»), and the longest surviving match wins.

use crate::clubs::ClubReading;
use crate::fold::{FoldedText, FoldedWord};
use crate::index::{FLAG_LOWER_TAIL, FLAG_LOWERCASE, FLAG_UPPERCASE, Index, Posting, walk_from};
use crate::inflect::{self, Form, LatinRules};
use crate::model::{GeoparseOptions, MentionKind, NameKind, PlaceKind};
use crate::prior::{self, LangFits, RankedCandidate};
use crate::words::{self, Lexicon, List, OnLists};
use fst::raw::Output;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ops::Range;
use std::rc::Rc;

/// How many candidates per name recognition keeps, best prior first: those that take part in
/// resolution's vote.
pub(crate) const MAX_CANDIDATES: usize = 40;

/// A span that passed recognition, with its candidate places.
#[derive(Debug, Clone)]
pub(crate) struct Span {
    /// Byte range in the text.
    pub bytes: Range<usize>,
    /// The span folded (see [`crate::fold::fold`]): the name key its repeats share.
    pub key: String,
    /// Index of the first and one past the last word of the span.
    pub words: Range<usize>,
    /// What the span is.
    pub kind: MentionKind,
    /// Candidate places, best prior first (at most [`MAX_CANDIDATES`]), shared by the spans of
    /// one name.
    pub candidates: Rc<[RankedCandidate]>,
    /// Probability that the span is a place name at all, from the rules alone.
    pub p_name: f64,
    /// What the rules saw, for the calibrated score.
    pub cues: Cues,
}

/// Observations about a span that bear on whether it is a place, kept for the calibrated score.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Cues {
    /// The span starts a sentence (or lies in a title-case line), where capitals say nothing.
    pub sentence_start: bool,
    /// The span is a common word of the language.
    pub common: bool,
    /// The span is also a given name or a surname.
    pub person_name: bool,
    /// Other capitalised words touch the span (a longer name around it).
    pub in_name: bool,
    /// The best candidate matched only through an alternate name of unknown language.
    pub untagged_alternate: bool,
}

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
    folded: Range<usize>,
}

impl Word {
    /// The folded word, a slice of the folded text (folding is local to each character, and a
    /// word holds no separator, so this is the word folded on its own).
    pub fn folded<'f>(&self, folded: &'f FoldedText) -> &'f str {
        &folded.folded[self.folded.clone()]
    }

    /// The lists that the word is on.
    fn on_lists(&self, folded: &FoldedText) -> OnLists {
        words::on_lists_in(folded.folded.as_bytes(), self.folded.clone())
    }
}

/// The words of a text with their case and position in the sentence; `folded` is the text
/// folded.
pub(crate) fn words(text: &str, folded: &FoldedText) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::with_capacity(folded.words.len());
    // Where the gap before the word being read starts: the end of the word before.
    let mut gap_start = 0;
    // The sentence being read: its first word, and how many of its other words are long and
    // how many of those are capitalised (see `mark_title_case`).
    let (mut first, mut long, mut caps) = (0, 0, 0);
    // Whether the word before is an initial or a title's abbreviation («Sgt.»), after which a
    // full stop ends no sentence; `None` before the first word.
    let mut prev_initial = None;
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

/// A raw hit of the names index.
struct Hit {
    bytes: Range<usize>,
    /// Range in the folded text: the span's name key.
    folded: Range<usize>,
    words: Range<usize>,
    value: u64,
    /// For a word that is a form of a name («Москве»), the name's folded base form («москва»),
    /// the key its value is of, and what the word is to it.
    base: Option<(Box<str>, Form)>,
}

/// Walks the names index from the start of every word of the folded text. Words that start with a
/// lower-case letter can only begin a lower-case name (a French demonym): where the text's
/// language may write those (`lower_case_demonyms`), they are looked up in the first words of
/// those, and walk that small set only when one matches; most words of a text are such words.
fn hits(
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

/// Words read, or names weighed, between two questions whether to stop: a few milliseconds.
const STOP_EVERY: usize = 256;

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

/// Finds the place names of a text.
pub(crate) fn recognize(
    index: &Index,
    text: &str,
    options: &GeoparseOptions,
    stop: &dyn Fn() -> bool,
) -> Option<Vec<Span>> {
    let folded = FoldedText::new(text);
    let lang = options
        .lang
        .as_deref()
        .or_else(|| words::guess_lang(text, &folded));
    let lex = words::lexicon(lang);
    let words = words(text, &folded);
    let rules = LatinRules::of(lang);
    let mut hits = hits(
        index,
        text,
        &folded,
        &words,
        lex.lower_case_demonyms(),
        rules,
        stop,
    )?;
    hits.sort_by(|a, b| (b.bytes.len(), a.bytes.start).cmp(&(a.bytes.len(), b.bytes.start)));

    let mut taken = vec![false; words.len()];
    let mut priors = Priors {
        fits: LangFits::new(index, lang),
        text_lang: lang.and_then(|l| index.lang_number(l)),
        seen: HashMap::with_capacity_and_hasher(hits.len(), Default::default()),
    };
    let reading = Reading {
        index,
        text,
        folded: &folded,
        words: &words,
        lex,
        all: words::all(),
    };
    let mut spans = Vec::with_capacity(hits.len());
    let mut persons: HashSet<String> = HashSet::default();
    for (i, hit) in hits.into_iter().enumerate() {
        if i % STOP_EVERY == 0 && stop() {
            return None;
        }
        if taken[hit.words.clone()].iter().any(|&t| t) {
            continue;
        }
        match reading.verdict(&hit, &mut priors) {
            Verdict::Reject => {}
            Verdict::Person => {
                persons.insert(words_text(&words, &hit.words, &folded).to_owned());
            }
            Verdict::Accept(span) => {
                taken[hit.words.clone()].fill(true);
                spans.push(span);
            }
        }
    }
    // A name that the text gives a person (one word, or more: «O’Connor») is no place elsewhere.
    spans.retain(|s| {
        s.kind == MentionKind::Demonym || !persons.contains(words_text(&words, &s.words, &folded))
    });
    if !options.keep_organisations {
        spans.retain(|s| s.kind != MentionKind::InOrganisation);
    }
    spans.sort_by_key(|s| s.bytes.start);
    Some(spans)
}

/// The folded text of the words `range` of `words`, from the first's start to the last's end.
fn words_text<'f>(words: &[Word], range: &Range<usize>, folded: &'f FoldedText) -> &'f str {
    let (first, last) = (&words[range.start], &words[range.end - 1]);
    &folded.folded[first.folded.start..last.folded.end]
}

/// What recognition makes of a hit of the names index.
enum Verdict {
    /// A place name (or a demonym, or a place name inside an organisation's name).
    Accept(Span),
    /// A person's name: the same word alone is no place anywhere else in the text.
    Person,
    /// Neither.
    Reject,
}

/// Whether `w`, on the lists `on`, is a capitalised word of a name (not a sentence-initial
/// common or function word).
fn is_name_word(w: &Word, on: OnLists, ft: &FoldedText, lex: &Lexicon) -> bool {
    w.cap
        && (w.is_initial || !lex.has(on, List::Function))
        && !(w.sentence_start && lex.has(on, List::Common))
        && w.folded(ft).chars().any(char::is_alphabetic)
}

/// The candidates of the names met in one text, by name key and by the two case filters that
/// choose among its postings: a name repeated in a text is ranked once.
struct Priors {
    /// How the index's languages fit the text's.
    fits: LangFits,
    /// The index's number of the text's language, if it has it.
    text_lang: Option<u16>,
    seen: HashMap<(u64, Case), NameCandidates>,
}

/// How a span is written, as far as it chooses among a name's postings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Case {
    /// No letter is lower case: every posting, those written in capitals too.
    all_upper: bool,
    /// Its first and last words are capitalised (or its script has no case).
    capitalised: bool,
    /// Its first word is capitalised and its last is not: the postings written so too.
    lower_tail: bool,
}

/// A name's candidates as ranked for one text.
#[derive(Clone)]
struct NameCandidates {
    /// The best [`MAX_CANDIDATES`] candidates, best first (resolution reads no more).
    candidates: Rc<[RankedCandidate]>,
    /// Every candidate, not only the best, is the place of a demonym.
    demonym: bool,
}

impl Priors {
    /// The candidates of the name key `value` written as `case` says: all its postings when the
    /// span is written in capitals, only those not written in capitals otherwise; only
    /// lower-case demonyms when the span is not capitalised, and the names whose last word is
    /// in lower case when only that word is. A place is a demonym's unless the name is also its
    /// name in the text's language: «la Suisse» is the country, though «Suisse» is also a
    /// demonym.
    fn of(&mut self, index: &Index, value: u64, case: Case) -> NameCandidates {
        let fits = &self.fits;
        self.seen
            .entry((value, case))
            .or_insert_with(|| {
                let keep = |p: &Posting| {
                    (p.flags & FLAG_UPPERCASE == 0 || case.all_upper)
                        && (case.capitalised
                            || p.flags & FLAG_LOWERCASE != 0
                            || case.lower_tail && p.flags & FLAG_LOWER_TAIL != 0)
                };
                let text_lang = self.text_lang;
                let named_so = index
                    .postings(value)
                    .filter(keep)
                    .any(|p| p.kind != NameKind::Demonym && text_lang.is_some_and(|l| l == p.lang));
                let postings = index.postings(value).filter(keep);
                let mut candidates = prior::from_postings(index, postings, fits, MAX_CANDIDATES);
                let demonym = !named_so && candidates.iter().all(|c| c.kind == NameKind::Demonym);
                candidates.truncate(MAX_CANDIDATES);
                NameCandidates {
                    candidates: candidates.into(),
                    demonym,
                }
            })
            .clone()
    }
}

/// What recognition reads of one text: the text, its folded form and words, the lexicon of its
/// language and that of all the languages, and the index.
struct Reading<'a> {
    index: &'a Index,
    text: &'a str,
    folded: &'a FoldedText,
    words: &'a [Word],
    /// The lexicon of the text's language.
    lex: &'a Lexicon,
    /// The lists of every language, which hold the text language's (see `words::all`).
    all: &'static Lexicon,
}

/// How a hit is written.
struct Written<'w> {
    /// Its first word.
    first: &'w Word,
    /// The index of its first word among the text's words.
    at: usize,
    /// The lists that its first word is on.
    on_first: OnLists,
    /// Its first letter has a case (capitals mean something).
    cased: bool,
    /// Its first and last words are capitalised, or its script has no case.
    capitalised: bool,
    /// Its first word is capitalised and its last is not («Arabie saoudite»).
    lower_tail: bool,
    /// No letter of it is lower case.
    all_upper: bool,
    /// It is one word.
    single: bool,
    /// No space parts it, though an apostrophe may («O’Connor»).
    one_word: bool,
    /// It is one word, a given name.
    given: bool,
    /// It is one word, a surname.
    surname: bool,
}

/// What a hit's candidates say of it.
struct Meaning {
    /// Every candidate is the place of a demonym.
    demonym: bool,
    /// The kind of the best candidate.
    kind: PlaceKind,
    /// The best candidate is a country, a first-level division or a continent.
    well_known: bool,
    /// The best candidate is well known, a region or a capital.
    well_known_or_region: bool,
    /// The best candidate's importance.
    importance: f64,
}

/// The words just before and after a hit, and the lists they are on.
struct Neighbours<'w> {
    before: Option<&'w Word>,
    after: Option<&'w Word>,
    on_before: OnLists,
    on_after: OnLists,
    /// The word after is joined to the hit and heads organisations' names («Groupe», «Treaty»).
    org_head_after: bool,
}

impl Reading<'_> {
    /// Whether a hit of the names index is a place name, a person's name or neither: the
    /// filters of the module documentation, the cheap ones first.
    fn verdict(&self, hit: &Hit, priors: &mut Priors) -> Verdict {
        let written = self.written(hit);
        if self.is_never_a_place(hit, &written) {
            return Verdict::Reject;
        }
        let NameCandidates {
            candidates,
            demonym,
        } = priors.of(
            self.index,
            hit.value,
            Case {
                all_upper: written.all_upper,
                capitalised: written.capitalised,
                lower_tail: written.lower_tail,
            },
        );
        let Some(best) = candidates.first() else {
            return Verdict::Reject;
        };
        let meaning = self.meaning(best, demonym);
        if self.is_stray_code(hit, meaning.kind) {
            return Verdict::Reject;
        }
        let common = self.is_common_word(&written, &meaning, &candidates) && !self.is_dateline(hit);
        // Without capitals (Arabic, Persian), or where every noun has one (German), nothing sets
        // a common word apart as a name.
        let capitals_say_nothing = !written.cased || self.lex.capitalised_nouns();
        let around = self.neighbours(hit);
        // Inside a sentence, the capital of a common word that is also a town's name says
        // «name» where the language writes capitals for names only, unless it heads a longer
        // name.
        let well_known_town = if self.lex.name_capitals() && self.stands_alone(&around) {
            1e4
        } else {
            1e5
        };
        if common
            && (written.first.sentence_start
                || meaning.importance < well_known_town
                || capitals_say_nothing
                || self.heads_a_name(hit))
            || self.is_noun_after_article(&written, &around, &meaning)
            || self.follows_particle(hit)
        {
            return Verdict::Reject;
        }
        // A country or a capital in an oblique case after a title is the title's country or
        // where its holder goes, not a person: «Президент Азербайджана», «Prezident Ankaraya»;
        // and so is a country's name that is no person's, as it is («Президент США»).
        let titles_country = hit.base.is_some()
            && matches!(meaning.kind, PlaceKind::Country | PlaceKind::Capital)
            || meaning.kind == PlaceKind::Country && !written.given && !written.surname;
        if written.capitalised
            && written.cased
            && !demonym
            && !titles_country
            && self.is_titled(hit, &written, &around)
        {
            return Verdict::Person;
        }
        let kind = if self.follows_org_head(hit)
            || around.org_head_after
            || self.names_a_club(hit, &written, &meaning)
            || self.follows_named_head(hit, &meaning)
        {
            MentionKind::InOrganisation
        } else if demonym || matches!(hit.base, Some((_, Form::Adjective))) {
            MentionKind::Demonym
        } else {
            MentionKind::Toponym
        };
        let mut cues = Cues {
            sentence_start: written.first.sentence_start,
            common,
            untagged_alternate: best.kind == NameKind::Alternate
                && self.index.lang(best.lang).is_empty(),
            ..Cues::default()
        };
        match self.name_odds(&written, &around, &meaning, &mut cues) {
            Ok(p_name) => Verdict::Accept(Span {
                bytes: hit.bytes.clone(),
                key: hit.base.as_ref().map_or_else(
                    || self.folded.folded[hit.folded.clone()].to_owned(),
                    |(base, _)| base.to_string(),
                ),
                words: hit.words.clone(),
                kind,
                candidates,
                p_name,
                cues,
            }),
            Err(verdict) => verdict,
        }
    }

    /// How `hit` is written.
    #[inline]
    fn written(&self, hit: &Hit) -> Written<'_> {
        let first = &self.words[hit.words.start];
        let last = &self.words[hit.words.end - 1];
        // A form of a name is on the lists its base form is on too («Мира», «мир»).
        let on_first = match &hit.base {
            Some((base, _)) => first.on_lists(self.folded).or(words::on_lists(base)),
            None => first.on_lists(self.folded),
        };
        let single = hit.words.len() == 1;
        let span_text = &self.text[hit.bytes.clone()];
        let cased = span_text
            .chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(|c| c.is_uppercase() || c.is_lowercase());
        Written {
            first,
            at: hit.words.start,
            on_first,
            cased,
            capitalised: !cased || (first.cap && last.cap),
            lower_tail: cased && first.cap && last.lower && !single,
            all_upper: !span_text.chars().any(char::is_lowercase),
            single,
            one_word: !span_text.contains(char::is_whitespace),
            given: single && on_first.given(),
            surname: single && on_first.surname(),
        }
    }

    /// A function or directional word alone, or the name of a body («Hamas», «la Maison
    /// Blanche») in any of the languages, whatever place bears it too.
    #[inline]
    fn is_never_a_place(&self, hit: &Hit, written: &Written<'_>) -> bool {
        let (all, on_first) = (self.all, written.on_first);
        if written.single
            && (all.has(on_first, List::Function) || all.has(on_first, List::Directional))
        {
            return true;
        }
        let on_span = if written.single {
            on_first
        } else {
            words::on_lists_in(self.folded.folded.as_bytes(), hit.folded.clone())
        };
        all.has(on_span, List::NotPlace)
    }

    /// What the best candidate `best` says of its name; `demonym` when every candidate is a
    /// demonym's place.
    #[inline]
    fn meaning(&self, best: &RankedCandidate, demonym: bool) -> Meaning {
        let kind = self.index.kind(best.record);
        let well_known = matches!(
            kind,
            PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Continent
        );
        Meaning {
            demonym,
            kind,
            well_known,
            well_known_or_region: well_known
                || matches!(kind, PlaceKind::Region | PlaceKind::Capital),
            importance: self.index.importance(best.record),
        }
    }

    /// A one-word name that is a common word of the text's language (or, where capitals say
    /// nothing of a noun, an English one: German articles quote English names, «University»,
    /// «Academy»), but a well-known place's,
    /// a region's («Gaule»), or a division's that is also its chief town's («Tartar»), as well
    /// known as the division.
    #[inline]
    fn is_common_word(
        &self,
        written: &Written<'_>,
        meaning: &Meaning,
        candidates: &[RankedCandidate],
    ) -> bool {
        written.single
            && !meaning.well_known
            && meaning.kind != PlaceKind::Region
            && (self.lex.has(written.on_first, List::Common)
                || self.lex.capitalised_nouns()
                    && words::lexicon(Some("en")).has(written.on_first, List::Common))
            && !prior::seat_of_division(self.index, candidates)
    }

    /// The name opens the text as a dateline does: «Paris (AFP) -», «Bagdad —» (not «Police:»,
    /// which says who speaks).
    /// There a common word that is also a place's name («paris», bets) is the place.
    #[inline]
    fn is_dateline(&self, hit: &Hit) -> bool {
        let (before, after) = (&self.text[..hit.bytes.start], &self.text[hit.bytes.end..]);
        before.trim().is_empty()
            && ["(", "—", "–", "- "]
                .iter()
                .any(|mark| after.trim_start().starts_with(mark))
    }

    /// A code of two letters («PA», «OK») but a country's («US»), not after a comma
    /// («Erie, PA»).
    #[inline]
    fn is_stray_code(&self, hit: &Hit, kind: PlaceKind) -> bool {
        let span_text = &self.text[hit.bytes.clone()];
        span_text.chars().filter(|c| c.is_alphanumeric()).count() <= 2
            && kind != PlaceKind::Country
            && !self.text[..hit.bytes.start].trim_end().ends_with(',')
    }

    /// The words around `hit`.
    #[inline]
    fn neighbours(&self, hit: &Hit) -> Neighbours<'_> {
        let before = hit.words.start.checked_sub(1).map(|i| &self.words[i]);
        let after = self.words.get(hit.words.end);
        let on_after = after.map_or_else(OnLists::default, |a| a.on_lists(self.folded));
        Neighbours {
            before,
            after,
            on_before: before.map_or_else(OnLists::default, |b| b.on_lists(self.folded)),
            on_after,
            org_head_after: after.is_some_and(|a| a.joined)
                && (self.all.has(on_after, List::OrgHead) || self.lex.has(on_after, List::Club)),
        }
    }

    /// Whether the word after a name leaves it a name of its own: not a connector that makes
    /// it the head of a longer name («Stade de Reims», «Union des…») nor a word in lower case
    /// that goes on with it («Union soviétique»), but a function word, punctuation or nothing.
    #[inline]
    fn stands_alone(&self, around: &Neighbours<'_>) -> bool {
        around.after.is_none_or(|a| {
            !a.joined
                || !matches!(a.folded(self.folded), "de" | "du" | "des" | "d")
                    && (!a.lower || self.lex.has(around.on_after, List::Function))
        })
    }

    /// Where capitals mark names only, the word heads a longer name: «de» and a capitalised word
    /// follow it («le Tour de France», «les Jeux de Barcelone»).
    #[inline]
    fn heads_a_name(&self, hit: &Hit) -> bool {
        let (words, ft) = (self.words, self.folded);
        let end = hit.words.end;
        self.lex.name_capitals()
            && end + 1 < words.len()
            && words[end].joined
            && matches!(words[end].folded(ft), "de" | "du" | "des" | "d")
            && words[end + 1].cap
    }

    /// A title just before the name makes it a person's: «President Jackson», «M. Paris»,
    /// «le président Aliyev».
    #[inline]
    fn is_titled(&self, hit: &Hit, written: &Written<'_>, around: &Neighbours<'_>) -> bool {
        let (all, words, ft) = (self.all, self.words, self.folded);
        let start = hit.words.start;
        let joined = written.first.joined;
        around.before.is_some() && joined && all.has(around.on_before, List::Title)
            || start >= 2 && joined && words[start - 1].joined && {
                let (a, b) = (&words[start - 2], &words[start - 1]);
                // The two words as the folded text holds them, when one space parts them there.
                match ft.folded.get(a.folded.start..b.folded.end) {
                    Some(two) if b.folded.start == a.folded.end + 1 && two.contains(' ') => {
                        all.contains(List::Title, two)
                    }
                    _ => all.contains(List::Title, &format!("{} {}", a.folded(ft), b.folded(ft))),
                }
            }
    }

    /// The name follows the head of an organisation's name and a connector: «Groupe de
    /// Minsk», «Treaty of Paris», «Organization of the …», a team's in the text's language
    /// («les Kings de Los Angeles»); or a capitalised head right before it: «FC Barcelona»,
    /// «Universität Wien», or one in lower case before a name in an oblique case: «сборной
    /// Украины». Named after the place, not there.
    #[inline]
    fn follows_org_head(&self, hit: &Hit) -> bool {
        let (all, words, ft) = (self.all, self.words, self.folded);
        let start = hit.words.start;
        let head_before = start >= 1
            && words[start].joined
            && (words[start - 1].cap || hit.base.is_some())
            && all.contains(List::OrgHead, words[start - 1].folded(ft));
        head_before
            || start >= 2 && {
                let connector = words[start - 1].folded(ft);
                let head = words[start - 2].folded(ft);
                matches!(connector, "de" | "of" | "du" | "des" | "d" | "the")
                    && (all.contains(List::OrgHead, head) || self.lex.contains(List::Club, head))
                    || (connector == "the"
                        && start >= 3
                        && words[start - 2].folded(ft) == "of"
                        && all.contains(List::OrgHead, words[start - 3].folded(ft)))
            }
    }

    /// Where every noun has a capital (German), a town's name has no article: one word after
    /// an article and before no other capitalised word is a noun («der Nähe», «den Bergen»,
    /// «beim Bau»), not the town of that name. Countries, divisions and regions take one («die
    /// Türkei», «der Krim»), and a capitalised word after makes a longer name («der Sonora
    /// Wüste»).
    #[inline]
    fn is_noun_after_article(
        &self,
        written: &Written<'_>,
        around: &Neighbours<'_>,
        meaning: &Meaning,
    ) -> bool {
        self.lex.capitalised_nouns()
            && written.single
            && written.first.joined
            && matches!(
                meaning.kind,
                PlaceKind::City | PlaceKind::Capital | PlaceKind::Admin2 | PlaceKind::Other
            )
            && self.lex.has(around.on_before, List::Article)
            && around.after.is_none_or(|a| !a.cap)
    }

    /// A given name and «de» or «von» before a name make it a person's, the particle of a
    /// family named after its land: «Jean de Vienne», «Marie de Modène», not the place.
    #[inline]
    fn follows_particle(&self, hit: &Hit) -> bool {
        let (words, ft) = (self.words, self.folded);
        let start = hit.words.start;
        start >= 2
            && words[start - 1].joined
            && matches!(words[start - 1].folded(ft), "de" | "d" | "von")
            && words[start - 1].lower
            && words[start - 2].cap
            && words[start - 2].on_lists(ft).given()
    }

    /// Where capitals mark names only (French), a capitalised head after an article and before
    /// «de» makes a name of its own, named after the town that follows: a team («les Sharks de
    /// San José», «l'Avalanche du Colorado»), a university, an event («les Jeux de
    /// Barcelone»). Not a country («l'Empire du Japon»), nor after a facility word («l'Aéroport
    /// de Vienne») or a title («Madame de Maintenon»).
    #[inline]
    fn follows_named_head(&self, hit: &Hit, meaning: &Meaning) -> bool {
        let (words, ft, all) = (self.words, self.folded, self.all);
        let start = hit.words.start;
        if !self.lex.name_capitals()
            || start < 3
            || matches!(meaning.kind, PlaceKind::Country | PlaceKind::Continent)
            || !matches!(words[start - 1].folded(ft), "de" | "du" | "d")
        {
            return false;
        }
        let (article, head) = (&words[start - 3], &words[start - 2]);
        let on_head = head.on_lists(ft);
        head.cap
            && !head.sentence_start
            && head.joined
            && !all.has(on_head, List::Facility)
            && !all.has(on_head, List::Title)
            && !all.has(on_head, List::Function)
            && self.lex.has(article.on_lists(ft), List::Article)
    }

    /// A city's name, or a division's, inside a club's name in a sentence about sport
    /// (see [`crate::clubs`]): «Werder Bremen», «AS Rom».
    #[inline]
    fn names_a_club(&self, hit: &Hit, written: &Written<'_>, meaning: &Meaning) -> bool {
        written.cased
            && written.capitalised
            && !meaning.demonym
            && !matches!(meaning.kind, PlaceKind::Country | PlaceKind::Continent)
            && ClubReading {
                text: self.text,
                folded: self.folded,
                words: self.words,
                lex: self.lex,
            }
            .names_a_club(hit.words.clone())
    }

    /// The probability that the hit names a place, from the rules, with the cues they saw put
    /// in `cues`; the verdict instead when the rules find a person's name or nothing.
    #[inline]
    fn name_odds(
        &self,
        written: &Written<'_>,
        around: &Neighbours<'_>,
        meaning: &Meaning,
        cues: &mut Cues,
    ) -> Result<f64, Verdict> {
        let mut p_name: f64 = if meaning.demonym { 0.9 } else { 0.85 };
        if self.within_a_longer_name(written, around, meaning)? {
            cues.in_name = true;
            p_name *= 0.8;
        }
        cues.person_name = written.given || written.surname;
        if cues.person_name && !meaning.well_known_or_region {
            if meaning.importance < 5e4 {
                return Err(Verdict::Reject);
            }
            p_name *= 0.6;
        }
        if written.first.sentence_start && !meaning.demonym && written.single {
            p_name *= 0.85;
        }
        if cues.common {
            p_name *= 0.45;
        }
        if !written.single {
            p_name = (p_name * 1.12).min(0.97);
        }
        if meaning.importance < 1000.0 {
            p_name *= 0.6;
        }
        Ok(p_name)
    }

    /// Whether a title stands just before the word before the `at`-th («Const. Kwesi
    /// Millington»: the word before Millington is Kwesi, a title's).
    #[inline]
    fn titled_word(&self, at: usize) -> bool {
        let words = self.words;
        at >= 2
            && words[at].joined
            && words[at - 1].joined
            && self
                .all
                .has(words[at - 2].on_lists(self.folded), List::Title)
    }

    /// Whether other capitalised words touch a capitalised name, in a text where capitals say
    /// something; the verdict instead when they make it a person's name: «Raquel Henry»,
    /// «J. Moore», «Henry Smith», «Vladimir Poutine».
    #[inline]
    fn within_a_longer_name(
        &self,
        written: &Written<'_>,
        around: &Neighbours<'_>,
        meaning: &Meaning,
    ) -> Result<bool, Verdict> {
        let first = written.first;
        if !written.capitalised || !written.cased || meaning.demonym || first.title_case {
            return Ok(false);
        }
        let (all, ft, lex) = (self.all, self.folded, self.lex);
        let (on_before, on_after) = (around.on_before, around.on_after);
        let is_person_word = |w: &Word, on: OnLists| w.is_initial || on.given() || on.surname();
        // Well-known places are seldom the first word of a person's name: «le médiateur du
        // Karabakh Ruben Melikyan».
        let place_slot = meaning.well_known_or_region
            && around.before.is_some()
            && all.has(on_before, List::Function);
        let prev = around.before.filter(|b| {
            first.joined
                && is_name_word(b, on_before, ft, lex)
                && !all.has(on_before, List::Directional)
        });
        let next = around
            .after
            .filter(|a| a.joined && is_name_word(a, on_after, ft, lex) && !around.org_head_after);
        if let Some(b) = prev {
            // «Raquel Henry», «J. Moore», «Const. Kwesi Millington»: a person, remembered for the
            // rest of the text unless the name is also a well-known place. An initial, a given
            // name or a title before say so even of a region's or a division's name («Matthew D.
            // Flores», «Investigator Bill Carlow»); a country's or a capital's stays a place.
            let named = b.is_initial || on_before.given() || self.titled_word(written.at);
            if named || written.surname {
                let famous = matches!(
                    meaning.kind,
                    PlaceKind::Country | PlaceKind::Continent | PlaceKind::Capital
                );
                let remembered = if named {
                    !famous
                } else {
                    !meaning.well_known_or_region
                };
                return Err(if written.one_word && remembered {
                    Verdict::Person
                } else {
                    Verdict::Reject
                });
            }
        }
        if let Some(a) = next {
            // «Henry Smith», «Vladimir Poutine»: a given name, or a place before a person's name.
            let facility = all.has(on_after, List::Facility);
            // A given name before a surname is a person's even where a place could stand
            // («Officers Ron McCurry and Chad Walker»).
            let given_surname = written.given && on_after.surname();
            if (!place_slot || given_surname)
                && !facility
                && (written.given || is_person_word(a, on_after))
            {
                return Err(Verdict::Reject);
            }
            // «Vladimir Poutine a dit»: at a sentence start, a city's or a region's name followed
            // by another name is more often a person than the place.
            if written.single
                && !meaning.well_known
                && first.sentence_start
                && !facility
                && !a.upper
            {
                return Err(Verdict::Reject);
            }
        }
        Ok(prev.is_some() || next.is_some())
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
        let words = words(text, &folded);
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
    fn a_words_folded_slice_is_the_word_folded_alone() {
        let text =
            "À l’est d’Alep, Straße: İstanbul, Xankəndi; Łódź e\u{301}tait W.Va. (U.S.) Баку";
        let folded = FoldedText::new(text);
        let words = words(text, &folded);
        assert!(words.len() >= 12);
        assert_eq!(words.len(), folded.words.len());
        for (w, fw) in words.iter().zip(&folded.words) {
            assert_eq!(w.folded(&folded), fold(&text[fw.bytes.clone()]), "{w:?}");
        }
    }
}
