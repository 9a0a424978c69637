//! The words around a name that make it part of a longer one: a team's, an organisation's,
//! a family's, or a noun after its article.

use super::hits::Hit;
use super::verdict::{Meaning, Neighbours, Reading, Written};
use super::word::Word;
use crate::clubs::ClubReading;
use crate::inflect;
use crate::model::PlaceKind;
use crate::words::List;

/// The most digits of a number that counts the noun after it («350 Mann»); a longer one is a
/// year or a postal code («10115 Berlin»).
const MAX_COUNT: usize = 3;

impl Reading<'_> {
    /// Whether the word after a name leaves it a name of its own: not a connector that makes
    /// it the head of a longer name («Stade de Reims», «Union des…») nor a word in lower case
    /// that goes on with it («Union soviétique»), but a function word, punctuation or nothing.
    #[inline]
    pub(super) fn stands_alone(&self, around: &Neighbours<'_>) -> bool {
        around.after.is_none_or(|a| {
            !a.joined
                || !matches!(a.folded(self.folded), "de" | "du" | "des" | "d")
                    && (!a.lower || self.lex.has(around.on_after, List::Function))
        })
    }

    /// Where capitals mark names only, the word heads a longer name: «de» and a capitalised word
    /// follow it («le Tour de France», «les Jeux de Barcelone»).
    #[inline]
    pub(super) fn heads_a_name(&self, hit: &Hit) -> bool {
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
    pub(super) fn is_titled(
        &self,
        hit: &Hit,
        written: &Written<'_>,
        around: &Neighbours<'_>,
    ) -> bool {
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
    pub(super) fn follows_org_head(&self, hit: &Hit) -> bool {
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
    /// Wüste»). Nor is a town counted: a word after a number (of at most [`MAX_COUNT`] digits,
    /// no postal code, no ordinal's full stop) is a noun too («12 Siegen», «350 Mann»).
    #[inline]
    pub(super) fn is_noun_after_article(
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
            && (self.lex.has(around.on_before, List::Article)
                || around.before.is_some_and(|b| self.is_count(b)))
            && around.after.is_none_or(|a| !a.cap)
    }

    /// Whether `word` is a number that counts what follows it: at most [`MAX_COUNT`] digits.
    #[inline]
    fn is_count(&self, word: &Word) -> bool {
        let digits = word.folded(self.folded);
        (1..=MAX_COUNT).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    }

    /// A given name and «de» or «von» before a name make it a person's, the particle of a
    /// family named after its land: «Jean de Vienne», «Marie de Modène», not the place.
    #[inline]
    pub(super) fn follows_particle(&self, hit: &Hit) -> bool {
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
    pub(super) fn follows_named_head(&self, hit: &Hit, meaning: &Meaning) -> bool {
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
    pub(super) fn names_a_club(&self, hit: &Hit, written: &Written<'_>, meaning: &Meaning) -> bool {
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

    /// The `at`-th word is a capitalised Russian adjective that qualifies the capitalised word
    /// after it, as one name: «Северном Квебеке», «Южной Георгии» (see [`inflect::qualifies`]).
    #[inline]
    pub(super) fn qualifies_next(&self, at: usize) -> bool {
        let (words, ft) = (self.words, self.folded);
        let (Some(adjective), Some(noun)) = (words.get(at), words.get(at + 1)) else {
            return false;
        };
        adjective.cap
            && !adjective.upper
            && noun.cap
            && noun.joined
            && !noun.sentence_start
            && inflect::qualifies(adjective.folded(ft), noun.folded(ft))
    }
}
