//! Multi-word phrase matching over tokens, with `word*` prefixes and `_` for any one word.

use crate::hash::WordMap;
use crate::text::{Token, phrase_words};
use std::ops::Range;

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

/// A match of a phrase: the token range and the id the phrase was added with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PhraseMatch {
    /// Token indices, end exclusive.
    pub(crate) tokens: Range<usize>,
    /// The id given to [`PhraseSet::add`].
    pub(crate) id: usize,
}

/// The longest phrase [`PhraseSet::ends_at`] looks for, in words.
const MAX_BACK: usize = 6;

/// Chars of a prefix pattern used to index it.
const PREFIX_KEY: usize = 3;

/// A set of phrases, indexed by their first word.
#[derive(Debug, Default, Clone)]
pub(crate) struct PhraseSet {
    patterns: Vec<(Vec<PatWord>, usize)>,
    by_word: WordMap<Vec<usize>>,
    by_prefix: WordMap<Vec<usize>>,
}

/// The first `PREFIX_KEY` chars of a word, or `None` when it is shorter.
fn prefix_key(word: &str) -> Option<&str> {
    let (end, _) = word.char_indices().nth(PREFIX_KEY - 1)?;
    let last = word[end..].chars().next()?.len_utf8();
    Some(&word[..end + last])
}

impl PhraseSet {
    /// Adds a phrase (`"tiré sur"`, `"bombard*"`, `"appel* _ homologue"`) with an id. Returns
    /// `false` and adds nothing when the phrase is empty, starts with `_` or has a prefix shorter
    /// than three chars.
    pub(crate) fn add(&mut self, phrase: &str, id: usize) -> bool {
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
        self.patterns.push((words, id));
        true
    }

    /// Adds every phrase of a list with the same id; returns the phrases that were refused.
    pub(crate) fn add_all<'a>(
        &mut self,
        phrases: impl IntoIterator<Item = &'a String>,
        id: usize,
    ) -> Vec<String> {
        phrases
            .into_iter()
            .filter(|p| !self.add(p, id))
            .cloned()
            .collect()
    }

    /// The longest phrase that starts at token `i`, as (length in tokens, id).
    pub(crate) fn longest_at(&self, tokens: &[Token], i: usize) -> Option<(usize, usize)> {
        let token = tokens.get(i)?;
        let exact = self.by_word.get(&token.lower).into_iter().flatten();
        let prefix = prefix_key(&token.lower)
            .and_then(|k| self.by_prefix.get(k))
            .into_iter()
            .flatten();
        let mut best: Option<(usize, usize)> = None;
        for &p in exact.chain(prefix) {
            let (words, id) = &self.patterns[p];
            let fits = words.len() <= tokens.len() - i
                && words.iter().zip(&tokens[i..]).all(|(w, t)| w.matches(t));
            if fits && best.is_none_or(|(len, _)| words.len() > len) {
                best = Some((words.len(), *id));
            }
        }
        best
    }

    /// Whether a phrase ends exactly at token `end` (inclusive), e.g. `jusqu'à` before a place.
    pub(crate) fn ends_at(&self, tokens: &[Token], end: usize) -> bool {
        (0..MAX_BACK).filter(|&k| k <= end).any(|k| {
            let i = end - k;
            let Some(token) = tokens.get(i) else {
                return false;
            };
            let exact = self.by_word.get(&token.lower).into_iter().flatten();
            let prefix = prefix_key(&token.lower)
                .and_then(|p| self.by_prefix.get(p))
                .into_iter()
                .flatten();
            exact.chain(prefix).any(|&p| {
                let (words, _) = &self.patterns[p];
                words.len() == k + 1 && words.iter().zip(&tokens[i..]).all(|(w, t)| w.matches(t))
            })
        })
    }

    /// Every match, left to right, the longest at each start, not overlapping.
    pub(crate) fn find(&self, tokens: &[Token]) -> Vec<PhraseMatch> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            match self.longest_at(tokens, i) {
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

    /// Whether any phrase matches in `tokens`.
    pub(crate) fn any(&self, tokens: &[Token]) -> bool {
        (0..tokens.len()).any(|i| self.longest_at(tokens, i).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    #[test]
    fn matches_longest_prefix_and_gap() {
        let mut set = PhraseSet::default();
        assert!(set.add("bombard*", 1));
        assert!(set.add("tiré sur", 2));
        assert!(set.add("appel* _ homologue", 3));
        assert!(set.add("tiré", 4));
        assert!(!set.add("_ x", 5));
        assert!(!set.add("ab*", 5));
        let t = "Ils ont tiré sur la ville, bombardée. Il a appelé son homologue.";
        let toks = tokenize(t, 0..t.len());
        let ids: Vec<usize> = set.find(&toks).into_iter().map(|m| m.id).collect();
        assert_eq!(ids, [2, 1, 3]);
        assert!(set.ends_at(&toks, 3));
        assert!(!set.ends_at(&toks, 4));
    }
}
