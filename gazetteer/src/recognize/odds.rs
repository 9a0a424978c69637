//! The odds that a hit names a place, and the capitalised words around it that make it a
//! person's name.

use super::Cues;
use super::verdict::{Meaning, Neighbours, Reading, Verdict, Written};
use super::word::Word;
use crate::fold::FoldedText;
use crate::model::PlaceKind;
use crate::words::{Lexicon, List, OnLists};

/// Whether `w`, on the lists `on`, is a capitalised word of a name (not a sentence-initial
/// common or function word).
fn is_name_word(w: &Word, on: OnLists, ft: &FoldedText, lex: &Lexicon) -> bool {
    w.cap
        && (w.is_initial || !lex.has(on, List::Function))
        && !(w.sentence_start && lex.has(on, List::Common))
        && w.folded(ft).chars().any(char::is_alphabetic)
}

impl Reading<'_> {
    /// The probability that the hit names a place, from the rules, with the cues they saw put
    /// in `cues`; the verdict instead when the rules find a person's name or nothing.
    #[inline]
    pub(super) fn name_odds(
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
        // A capitalised adjective before the name qualifies it as part of the name: «Северном
        // Квебеке».
        let prev = around.before.filter(|b| {
            first.joined
                && is_name_word(b, on_before, ft, lex)
                && !self.qualifies_next(written.at - 1)
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
