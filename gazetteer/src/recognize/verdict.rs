//! The verdict on one hit: how it is written, what its candidates say, and the filters.

use super::candidates::{Case, NameCandidates, Priors};
use super::hits::Hit;
use super::word::Word;
use super::{Cues, Span};
use crate::fold::FoldedText;
use crate::index::Index;
use crate::inflect::Form;
use crate::model::{MentionKind, NameKind, PlaceKind};
use crate::prior::{self, RankedCandidate};
use crate::words::{self, Lexicon, List, OnLists};

/// What recognition makes of a hit of the names index.
pub(super) enum Verdict {
    /// A place name (or a demonym, or a place name inside an organisation's name).
    Accept(Span),
    /// A person's name: the same word alone is no place anywhere else in the text.
    Person,
    /// Neither.
    Reject,
}

/// What recognition reads of one text: the text, its folded form and words, the lexicon of its
/// language and that of all the languages, and the index.
pub(super) struct Reading<'a> {
    pub(super) index: &'a Index,
    pub(super) text: &'a str,
    pub(super) folded: &'a FoldedText,
    pub(super) words: &'a [Word],
    /// The lexicon of the text's language.
    pub(super) lex: &'a Lexicon,
    /// The lists of every language, which hold the text language's (see `words::all`).
    pub(super) all: &'static Lexicon,
}

/// How a hit is written.
pub(super) struct Written<'w> {
    /// Its first word.
    pub(super) first: &'w Word,
    /// The index of its first word among the text's words.
    pub(super) at: usize,
    /// The lists that its first word is on.
    pub(super) on_first: OnLists,
    /// Its first letter has a case (capitals mean something).
    pub(super) cased: bool,
    /// Its first and last words are capitalised, or its script has no case.
    pub(super) capitalised: bool,
    /// Its first word is capitalised and its last is not («Arabie saoudite»).
    pub(super) lower_tail: bool,
    /// No letter of it is lower case.
    pub(super) all_upper: bool,
    /// It is one word.
    pub(super) single: bool,
    /// No space parts it, though an apostrophe may («O’Connor»).
    pub(super) one_word: bool,
    /// It is one word, a given name.
    pub(super) given: bool,
    /// It is one word, a surname.
    pub(super) surname: bool,
}

/// What a hit's candidates say of it.
pub(super) struct Meaning {
    /// Every candidate is the place of a demonym.
    pub(super) demonym: bool,
    /// The kind of the best candidate.
    pub(super) kind: PlaceKind,
    /// The best candidate is a country, a first-level division or a continent.
    pub(super) well_known: bool,
    /// The best candidate is well known, a region or a capital.
    pub(super) well_known_or_region: bool,
    /// The best candidate's importance.
    pub(super) importance: f64,
}

/// The words just before and after a hit, and the lists they are on.
pub(super) struct Neighbours<'w> {
    pub(super) before: Option<&'w Word>,
    pub(super) after: Option<&'w Word>,
    pub(super) on_before: OnLists,
    pub(super) on_after: OnLists,
    /// The word after is joined to the hit and heads organisations' names («Groupe», «Treaty»).
    pub(super) org_head_after: bool,
}

impl Reading<'_> {
    /// Whether a hit of the names index is a place name, a person's name or neither: the
    /// filters of the documentation of [`crate::recognize`], the cheap ones first.
    pub(super) fn verdict(&self, hit: &Hit, priors: &mut Priors) -> Verdict {
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
        if self.is_stray_code(hit, meaning.kind)
            || written.single && !demonym && self.qualifies_next(hit.words.start)
        {
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
}
