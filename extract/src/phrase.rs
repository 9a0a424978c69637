//! Multi-word phrase matching over tokens, with `word*` prefixes and `_` for any one word.
//!
//! A lexicon's phrase tables (actions, relative dates, claim and movement markers…) share one
//! [`PhraseSet`], indexed by first word, and a sentence is matched once against all of them:
//! [`PhraseSet::matches`] lists every phrase that matches at every token, and the questions the
//! extractor asks of one table (its matches left to right, the longest at a token, whether one
//! ends at a token) are answered from that list.

use crate::hash::WordMap;
use crate::text::{Token, phrase_words};
use std::ops::Range;

/// The phrase tables of a lexicon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    /// Action words; the id indexes the lexicon's actions.
    Action,
    /// Relative date words (`hier`, `last week`); the id indexes the relative date classes.
    Relative,
    /// Words whose source follows (`selon`, `according to`).
    SourceAfter,
    /// Speech verbs (`a déclaré`, `said`): the source is their subject, or follows them.
    Speech,
    /// Negations near the action (`n'ont pas`, `did not`).
    Negation,
    /// Denials (`a démenti`, `denied`).
    Denial,
    /// Hedges (`aurait`, `reportedly`).
    Hedge,
    /// Words before a movement's origin (`from`, `depuis`).
    MovementFrom,
    /// Words before a movement's waypoint (`à travers`, `through`, `via`).
    MovementVia,
    /// Words before a movement's end (`jusqu'à`, `to`).
    MovementTo,
    /// Nouns that head actors (`forces`, `ministère`, `police`, `protesters`).
    ActorHeads,
    /// Words of disasters and accidents: weak actions do not make events beside them.
    Disaster,
    /// Words for unarmed people: an attack on them is violence against civilians.
    Civilians,
}

/// One word of a phrase pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PatWord {
    /// The lower-cased word.
    Exact(String),
    /// Any word that starts with this (at least three chars).
    Prefix(String),
    /// Any one word.
    Any,
}

impl PatWord {
    fn matches(&self, token: &Token) -> bool {
        match self {
            Self::Exact(w) => token.lower == *w,
            Self::Prefix(p) => token.is_word() && token.lower.starts_with(p.as_str()),
            Self::Any => token.is_word(),
        }
    }
}

/// A phrase of a table.
#[derive(Debug, Clone)]
struct Pattern {
    words: Vec<PatWord>,
    table: Table,
    id: usize,
}

/// A match of a phrase: the token range and the id the phrase was added with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PhraseMatch {
    /// Token indices, end exclusive.
    pub(crate) tokens: Range<usize>,
    /// The id given to [`PhraseSet::add`].
    pub(crate) id: usize,
}

/// The longest phrase [`Matches::ends_at`] looks for, in words.
const MAX_BACK: usize = 6;

/// Chars of a prefix pattern used to index it.
const PREFIX_KEY: usize = 3;

/// The phrases of every table of a lexicon, indexed by their first word.
#[derive(Debug, Default, Clone)]
pub(crate) struct PhraseSet {
    patterns: Vec<Pattern>,
    by_word: WordMap<Vec<usize>>,
    by_prefix: WordMap<Vec<usize>>,
}

/// The first `PREFIX_KEY` chars of a word, or `None` when it is shorter.
fn prefix_key(word: &str) -> Option<&str> {
    if word
        .as_bytes()
        .get(..PREFIX_KEY)
        .is_some_and(<[u8]>::is_ascii)
    {
        return Some(&word[..PREFIX_KEY]);
    }
    let mut chars = word.char_indices();
    chars.nth(PREFIX_KEY - 1)?;
    Some(&word[..chars.next().map_or(word.len(), |(end, _)| end)])
}

impl PhraseSet {
    /// Adds a phrase (`"tiré sur"`, `"bombard*"`, `"appel* _ homologue"`) to a table with an id.
    /// Returns `false` and adds nothing when the phrase is empty, starts with `_` or has a prefix
    /// shorter than three chars.
    pub(crate) fn add(&mut self, table: Table, phrase: &str, id: usize) -> bool {
        let mut words = Vec::new();
        for w in phrase_words(phrase) {
            let word = if w == "_" {
                PatWord::Any
            } else if let Some(p) = w.strip_suffix('*') {
                if prefix_key(p).is_none() {
                    return false;
                }
                PatWord::Prefix(p.to_owned())
            } else {
                PatWord::Exact(w)
            };
            words.push(word);
        }
        let index = self.patterns.len();
        match words.first() {
            Some(PatWord::Exact(w)) => self.by_word.entry(w.clone()).or_default().push(index),
            Some(PatWord::Prefix(p)) => match prefix_key(p) {
                Some(k) => self.by_prefix.entry(k.to_owned()).or_default().push(index),
                None => return false,
            },
            Some(PatWord::Any) | None => return false,
        }
        self.patterns.push(Pattern { words, table, id });
        true
    }

    /// Adds every phrase of a list to a table with the same id; returns the phrases that were
    /// refused.
    pub(crate) fn add_all<'a>(
        &mut self,
        table: Table,
        phrases: impl IntoIterator<Item = &'a String>,
        id: usize,
    ) -> Vec<String> {
        phrases
            .into_iter()
            .filter(|p| !self.add(table, p, id))
            .cloned()
            .collect()
    }

    /// Every phrase of every table that matches in `tokens`, at every token.
    pub(crate) fn matches(&self, tokens: &[Token]) -> Matches {
        let mut hits = Vec::new();
        let mut starts = Vec::with_capacity(tokens.len() + 1);
        for (i, token) in tokens.iter().enumerate() {
            starts.push(hits.len());
            let exact = self.by_word.get(&*token.lower).into_iter().flatten();
            let prefix = prefix_key(&token.lower)
                .and_then(|k| self.by_prefix.get(k))
                .into_iter()
                .flatten();
            // Exact first words before prefixes, each in the order added: the first of the
            // longest matches of a table wins.
            for &p in exact.chain(prefix) {
                let Pattern { words, table, id } = &self.patterns[p];
                if words.len() <= tokens.len() - i
                    && words.iter().zip(&tokens[i..]).all(|(w, t)| w.matches(t))
                {
                    hits.push(Hit {
                        len: words.len(),
                        table: *table,
                        id: *id,
                    });
                }
            }
        }
        starts.push(hits.len());
        Matches { hits, starts }
    }
}

/// A phrase that matches at a token.
#[derive(Debug, Clone, Copy)]
struct Hit {
    /// Length in tokens.
    len: usize,
    table: Table,
    id: usize,
}

/// The phrases that match in a sentence's tokens, from [`PhraseSet::matches`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Matches {
    /// The matches, by start token.
    hits: Vec<Hit>,
    /// `hits[starts[i]..starts[i + 1]]` start at token `i`; one more entry than tokens.
    starts: Vec<usize>,
}

impl Matches {
    /// The phrases of every table that start at token `i`.
    fn at(&self, i: usize) -> &[Hit] {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.hits[a..b],
            _ => &[],
        }
    }

    /// The longest phrase of a table that starts at token `i`, as (length in tokens, id).
    pub(crate) fn longest_at(&self, table: Table, i: usize) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for h in self.at(i).iter().filter(|h| h.table == table) {
            if best.is_none_or(|(len, _)| h.len > len) {
                best = Some((h.len, h.id));
            }
        }
        best
    }

    /// Whether a phrase of a table (of at most six words) ends exactly at token `end`
    /// (inclusive), e.g. `jusqu'à` before a place.
    pub(crate) fn ends_at(&self, table: Table, end: usize) -> bool {
        (end.saturating_sub(MAX_BACK - 1)..=end).any(|i| {
            self.at(i)
                .iter()
                .any(|h| h.table == table && h.len <= MAX_BACK && i + h.len == end + 1)
        })
    }

    /// Every match of a table, left to right, the longest at each start, not overlapping.
    pub(crate) fn find(&self, table: Table) -> Vec<PhraseMatch> {
        let mut out = Vec::new();
        let mut i = 0;
        while i + 1 < self.starts.len() {
            match self.longest_at(table, i) {
                Some((len, id)) => {
                    out.push(PhraseMatch {
                        tokens: i..i + len,
                        id,
                    });
                    i += len;
                }
                None => i += 1,
            }
        }
        out
    }

    /// Whether any phrase of a table matches.
    pub(crate) fn any(&self, table: Table) -> bool {
        self.hits.iter().any(|h| h.table == table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    #[test]
    fn matches_longest_prefix_and_gap() {
        let mut set = PhraseSet::default();
        assert!(set.add(Table::Action, "bombard*", 1));
        assert!(set.add(Table::Action, "tiré sur", 2));
        assert!(set.add(Table::Action, "appel* _ homologue", 3));
        assert!(set.add(Table::Action, "tiré", 4));
        assert!(set.add(Table::Hedge, "ils ont", 0));
        assert!(!set.add(Table::Action, "_ x", 5));
        assert!(!set.add(Table::Action, "ab*", 5));
        let t = "Ils ont tiré sur la ville, bombardée. Il a appelé son homologue.";
        let toks = tokenize(t, 0..t.len());
        let found = set.matches(&toks);
        let ids: Vec<usize> = found
            .find(Table::Action)
            .into_iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(ids, [2, 1, 3]);
        assert_eq!(found.longest_at(Table::Action, 2), Some((2, 2)));
        assert_eq!(found.longest_at(Table::Hedge, 2), None);
        assert!(found.ends_at(Table::Action, 3));
        assert!(found.ends_at(Table::Action, 2));
        assert!(!found.ends_at(Table::Action, 4));
        assert!(found.ends_at(Table::Hedge, 1));
        assert!(found.any(Table::Hedge));
        assert!(!found.any(Table::Denial));
    }

    #[test]
    fn prefix_keys_count_chars() {
        assert_eq!(prefix_key("bombard"), Some("bom"));
        assert_eq!(prefix_key("élan"), Some("éla"));
        assert_eq!(prefix_key("déc"), Some("déc"));
        assert_eq!(prefix_key("dé"), None);
        assert_eq!(prefix_key("ab"), None);
    }
}
