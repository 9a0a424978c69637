//! A name's candidate places, ranked once for each text.

use super::MAX_CANDIDATES;
use crate::index::{FLAG_LOWER_TAIL, FLAG_LOWERCASE, FLAG_UPPERCASE, Index, Posting};
use crate::model::NameKind;
use crate::prior::{self, LangFits, RankedCandidate};
use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

/// The candidates of the names met in one text, by name key and by the two case filters that
/// choose among its postings: a name repeated in a text is ranked once.
pub(super) struct Priors {
    /// How the index's languages fit the text's.
    pub(super) fits: LangFits,
    /// The index's number of the text's language, if it has it.
    pub(super) text_lang: Option<u16>,
    pub(super) seen: HashMap<(u64, Case), NameCandidates>,
}

/// How a span is written, as far as it chooses among a name's postings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Case {
    /// No letter is lower case: every posting, those written in capitals too.
    pub(super) all_upper: bool,
    /// Its first and last words are capitalised (or its script has no case).
    pub(super) capitalised: bool,
    /// Its first word is capitalised and its last is not: the postings written so too.
    pub(super) lower_tail: bool,
}

/// A name's candidates as ranked for one text.
#[derive(Clone)]
pub(super) struct NameCandidates {
    /// The best [`MAX_CANDIDATES`] candidates, best first (resolution reads no more).
    pub(super) candidates: Rc<[RankedCandidate]>,
    /// Every candidate, not only the best, is the place of a demonym.
    pub(super) demonym: bool,
}

impl Priors {
    /// The candidates of the name key `value` written as `case` says: all its postings when the
    /// span is written in capitals, only those not written in capitals otherwise; only
    /// lower-case demonyms when the span is not capitalised, and the names whose last word is
    /// in lower case when only that word is. A place is a demonym's unless the name is also its
    /// name in the text's language: «la Suisse» is the country, though «Suisse» is also a
    /// demonym.
    pub(super) fn of(&mut self, index: &Index, value: u64, case: Case) -> NameCandidates {
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
