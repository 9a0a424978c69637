//! Recognition: which spans of a text are place names.
//!
//! The folded text is walked through the names index from every word start, which finds every
//! gazetteer name in one pass whatever its length (multi-word names, elided forms such as
//! «d'Alep», hyphenated ones such as «Haut-Karabakh»). Each hit then has to pass the filters
//! that keep precision: case (a name is capitalised in cased scripts, but for lower-case
//! demonyms in the languages that write them so), function and common words, person names (a
//! title before, or other capitalised words around that are not facility words), names of groups
//! and agreements («Groupe de Minsk»), and the longest surviving match wins.

mod around;
mod candidates;
mod hits;
mod odds;
mod verdict;
mod word;

pub(crate) use word::Word;

use crate::fold::FoldedText;
use crate::index::Index;
use crate::inflect::LatinRules;
use crate::model::{GeoparseOptions, MentionKind};
use crate::prior::{LangFits, RankedCandidate};
use crate::words;
use candidates::Priors;
use hits::hits;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ops::Range;
use std::rc::Rc;
use verdict::{Reading, Verdict};
use word::words;

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

/// Words read, or names weighed, between two questions whether to stop: a few milliseconds.
const STOP_EVERY: usize = 256;

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
    let words = words(
        text,
        &folded,
        !lex.capitalised_nouns() && !lex.name_capitals(),
    );
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
