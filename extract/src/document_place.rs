//! The document's own place, which an event that nothing in its sentence places falls back on,
//! and the test of whether a place lies in the document's region.

use crate::place::SentenceMention;
use gazetteer::{Mention, MentionKind, Place, PlaceKind};
use std::collections::HashMap;
use std::ops::Range;

/// How often a document names a place, and where first.
struct Tally<'d> {
    /// The weighted count of its mentions.
    count: usize,
    /// The rank of its first mention among the document's mentions of its kind.
    first: usize,
    /// Its first mention.
    mention: &'d Mention,
}

/// How many sentences from the start a dateline may open: the first, or the second after a
/// headline.
const DATELINE_SENTENCES: usize = 2;

/// The document's main place, from its sentences' mentions and actors: the place of its
/// dateline ("CARTHAGE, N.C. (AP) -"), else among the toponyms the place named most often (the
/// first on ties) in the country whose places the document names most (a report on South
/// Ossetia that names Russia more often than any one Georgian place names Georgian places more
/// often still); else the most named demonym's country.
pub(crate) fn main_place<'s, 'd: 's>(
    sentences: impl Iterator<Item = (&'s [SentenceMention<'d>], &'s [Range<usize>])> + Clone,
) -> Option<&'d Mention> {
    dateline(sentences.clone()).or_else(|| {
        [MentionKind::Toponym, MentionKind::Demonym]
            .into_iter()
            .find_map(|kind| most_named(&tally(sentences.clone(), kind)))
    })
}

/// The place of the document's dateline: a toponym in capitals that opens one of its first
/// [`DATELINE_SENTENCES`] sentences, as wire stories open ("ISLAMABAD, Pakistan —").
fn dateline<'s, 'd: 's>(
    sentences: impl Iterator<Item = (&'s [SentenceMention<'d>], &'s [Range<usize>])>,
) -> Option<&'d Mention> {
    let capitals = |text: &str| {
        text.chars().filter(|c| c.is_alphabetic()).count() >= 3
            && !text.chars().any(char::is_lowercase)
    };
    sentences
        .take(DATELINE_SENTENCES)
        .flat_map(|(mentions, _)| mentions.first())
        .find(|sm| {
            sm.tokens.start == 0
                && sm.mention.kind == MentionKind::Toponym
                && capitals(&sm.mention.text)
        })
        .map(|sm| sm.mention)
}

/// The weighted count of every place named by mentions of `kind`, by place id. A place inside
/// an actor's name («le ministre de la Justice d'Arménie») counts for less than a place where
/// things happen.
fn tally<'s, 'd: 's>(
    sentences: impl Iterator<Item = (&'s [SentenceMention<'d>], &'s [Range<usize>])>,
    kind: MentionKind,
) -> HashMap<u32, Tally<'d>> {
    let mut counts: HashMap<u32, Tally<'d>> = HashMap::new();
    let mut order = 0;
    for (mentions, actors) in sentences {
        for sm in mentions.iter().filter(|sm| sm.mention.kind == kind) {
            let in_actor = actors
                .iter()
                .any(|a| a.start <= sm.tokens.start && sm.tokens.end <= a.end);
            let t = counts.entry(sm.mention.place.id).or_insert(Tally {
                count: 0,
                first: order,
                mention: sm.mention,
            });
            t.count += if in_actor { 1 } else { 2 };
            order += 1;
        }
    }
    counts
}

/// The most named place of the most named country (see [`main_place`]).
fn most_named<'d>(counts: &HashMap<u32, Tally<'d>>) -> Option<&'d Mention> {
    let mut countries: HashMap<&str, (usize, usize)> = HashMap::new();
    for t in counts.values() {
        let c = countries
            .entry(t.mention.place.country.as_str())
            .or_insert((0, t.first));
        c.0 += t.count;
        c.1 = c.1.min(t.first);
    }
    let ahead = |a: (usize, usize), b: (usize, usize)| a.0 > b.0 || (a.0 == b.0 && a.1 < b.1);
    let country = countries
        .into_iter()
        .reduce(|best, c| if ahead(c.1, best.1) { c } else { best })?
        .0;
    counts
        .values()
        .filter(|t| t.mention.place.country == country)
        .reduce(|best, t| {
            if ahead((t.count, t.first), (best.count, best.first)) {
                t
            } else {
                best
            }
        })
        .map(|t| t.mention)
}

/// Whether two places may be the scene of one incident as far as their divisions tell: the same
/// country, and the same first-level division unless either is a country or has none («a
/// gunman … in a North Carolina nursing home» is not the mass shooting in Alabama that the
/// article's last paragraph recalls).
pub(crate) fn same_region(a: &Place, b: &Place) -> bool {
    let wide = |p: &Place| p.kind() == PlaceKind::Country || p.admin1.is_empty();
    a.country == b.country && (wide(a) || wide(b) || a.admin1 == b.admin1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A place of a feature code in a country and first-level division.
    fn place(code: &str, country: &str, admin1: &str) -> Place {
        Place {
            id: 1,
            name: "a place".into(),
            english: Default::default(),
            lat: 0.0,
            lon: 0.0,
            feature_class: if code.starts_with('P') { 'P' } else { 'A' },
            feature_code: code.into(),
            country: country.into(),
            admin1: admin1.into(),
            population: 0,
        }
    }

    #[test]
    fn places_of_two_states_are_two_regions_that_their_country_holds() {
        let carthage = place("PPL", "US", "NC");
        assert!(same_region(&carthage, &place("PPLA", "US", "NC")));
        assert!(!same_region(&carthage, &place("ADM1", "US", "AL")));
        assert!(same_region(&carthage, &place("PCLI", "US", "")));
        assert!(!same_region(&carthage, &place("PCLI", "DE", "")));
    }
}
