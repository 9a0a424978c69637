//! Multi-word phrase matching over tokens, with `word*` prefixes and `_` for any one word.
//!
//! A lexicon's phrase tables (actions, relative dates, calendar words, claim and movement
//! markers…) share one [`PhraseSet`], indexed by the first chars of the first word, and a
//! sentence is matched once against all of them: [`PhraseSet::matches`] lists every phrase that
//! matches at every token, and the questions the extractor asks of one table (its matches left
//! to right, the longest at a token, whether one ends at a token) are answered from that list.

use crate::hash::FX_SEED;
use crate::text::{Token, phrase_words};
use crate::word_key::{key, prefix_key};
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
    /// Words that make an action not (yet) real: plans, threats, conditions and the future
    /// (`will`, `plans to`, `if`, `menace de`, `devrait`).
    Irrealis,
    /// Words of courts and charges: an action after them names a charge or a ruling
    /// (`charged with`, `convicted of`, `condamné pour`), not an incident the text reports.
    Court,
    /// Words before a movement's origin (`from`, `depuis`).
    MovementFrom,
    /// Words of states' representatives (`president`, `minister`, `envoy`, «homologue»): a call,
    /// talks or a meeting is diplomacy only between them.
    Diplomats,
    /// Words of armed forces and groups (`troops`, `fighters`, «renforts»): a deployment or a
    /// movement is an event only of them (ACLED's change to a group's activity), not of police
    /// officers dispatched to a call, inmates transferred or a victim airlifted.
    ArmedForces,
    /// Verbs of striking (`struck`, `hit`, `fell`, «ont frappé», «sont tombés»): a weapon
    /// named alone is an event only beside one of them.
    Strikes,
    /// Compounds in which an action word names no action (`riot police`, `missile defence`,
    /// `were met`, «gaz lacrymogène» is not one: it is an action of its own).
    NotEvent,
    /// Words before a place where nothing happens: where a person comes from or lives, a trade
    /// partner (`native of`, `visiting from`, `imports from`, `originaire de`).
    Origin,
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
    /// Month and weekday names and month abbreviations: a date may start there.
    Calendar,
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

/// The phrases that may match at a token, by the first chars of their first word.
#[derive(Debug, Clone)]
struct Bucket {
    /// The [`key`] of their first words.
    key: u64,
    /// The next bucket whose key has the same slot (its index + 1), 0 for none.
    next: u32,
    /// Phrases whose first word is a whole word, by that word: only one of the words can be a
    /// token's.
    exact: Vec<FirstWord>,
    /// Phrases whose first word is a prefix (`bombard*`), in the order added.
    prefix: Vec<usize>,
}

/// The phrases of a bucket that start with one whole word.
#[derive(Debug, Clone)]
struct FirstWord {
    word: String,
    /// The phrases, in the order added.
    phrases: Vec<usize>,
    /// The [`key`]s of their second words when every one of them has a whole second word,
    /// `None` when one has none or one that is not whole: a token that is followed by no word
    /// of these keys starts none of them (`the` mostly starts no phrase of `the previous
    /// week`, `the day before yesterday`), which is told without reading the phrases.
    second_keys: Option<Vec<u64>>,
}

impl FirstWord {
    /// Adds a phrase with its words.
    fn add(&mut self, index: usize, words: &[PatWord]) {
        self.phrases.push(index);
        match (words.get(1), &mut self.second_keys) {
            (Some(PatWord::Exact(w)), Some(keys)) => keys.push(key(w)),
            _ => self.second_keys = None,
        }
    }

    /// Whether a phrase may start at a token of this word followed by `next`.
    fn may_start_before(&self, next: Option<&Token>) -> bool {
        self.second_keys
            .as_ref()
            .is_none_or(|keys| next.is_some_and(|t| keys.contains(&t.key)))
    }
}

/// How many bits of a key's hash choose its slot.
const SLOT_BITS: u32 = 12;

/// The slot of a key: the top [`SLOT_BITS`] bits of its Fx product.
fn slot(key: u64) -> usize {
    (key.wrapping_mul(FX_SEED) >> (64 - SLOT_BITS)) as usize
}

/// The phrases of every table of a lexicon, indexed by the first chars of their first word.
#[derive(Debug, Default, Clone)]
pub(crate) struct PhraseSet {
    patterns: Vec<Pattern>,
    buckets: Vec<Bucket>,
    /// For every [`slot`], the first bucket (its index + 1, 0 for none) of the chain of those
    /// whose keys have that slot; empty before the first phrase. Most tokens' keys have an
    /// empty slot, which one look-up tells.
    slots: Vec<u32>,
    /// For every [`slot`], the [`length_bit`]s of the first words of its phrases, all those
    /// at or above a prefix's length for a prefix: a token whose length has no bit there
    /// matches none of them, which the same look-up tells.
    lengths: Vec<u64>,
}

/// The bit of a word's length in bytes (lengths of 63 bytes and more share the last).
fn length_bit(len: usize) -> u64 {
    1 << len.min(63)
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
        self.push(Pattern { words, table, id })
    }

    /// Adds one word, as it is (no `*` or `_` in it), to a table with an id.
    pub(crate) fn add_word(&mut self, table: Table, word: &str, id: usize) {
        self.push(Pattern {
            words: vec![PatWord::Exact(word.to_owned())],
            table,
            id,
        });
    }

    /// Indexes and adds a pattern; `false` when its first word cannot be indexed.
    fn push(&mut self, pattern: Pattern) -> bool {
        let index = self.patterns.len();
        if self.slots.is_empty() {
            self.slots = vec![0; 1 << SLOT_BITS];
            self.lengths = vec![0; 1 << SLOT_BITS];
        }
        match pattern.words.first() {
            Some(PatWord::Exact(w)) => {
                self.lengths[slot(key(w))] |= length_bit(w.len());
                let exact = &mut self.bucket_mut(key(w)).exact;
                let k = exact
                    .iter()
                    .position(|first| first.word == *w)
                    .unwrap_or_else(|| {
                        exact.push(FirstWord {
                            word: w.clone(),
                            phrases: Vec::new(),
                            second_keys: Some(Vec::new()),
                        });
                        exact.len() - 1
                    });
                exact[k].add(index, &pattern.words);
            }
            Some(PatWord::Prefix(p)) if prefix_key(p).is_some() => {
                self.lengths[slot(key(p))] |= !0 << p.len().min(63);
                self.bucket_mut(key(p)).prefix.push(index);
            }
            Some(PatWord::Prefix(_) | PatWord::Any) | None => return false,
        }
        self.patterns.push(pattern);
        true
    }

    /// The bucket of a key, if any phrase has it.
    fn bucket(&self, key: u64) -> Option<&Bucket> {
        self.bucket_index(key).map(|i| &self.buckets[i])
    }

    /// The index of the bucket of a key in `buckets`, if any phrase has it.
    fn bucket_index(&self, key: u64) -> Option<usize> {
        let mut at = *self.slots.get(slot(key))?;
        while let Some(i) = at.checked_sub(1).map(|i| i as usize) {
            let b = self.buckets.get(i)?;
            if b.key == key {
                return Some(i);
            }
            at = b.next;
        }
        None
    }

    /// The bucket of a key, made when no phrase has it yet.
    fn bucket_mut(&mut self, key: u64) -> &mut Bucket {
        let i = self.bucket_index(key).unwrap_or_else(|| {
            let first = &mut self.slots[slot(key)];
            self.buckets.push(Bucket {
                key,
                next: *first,
                exact: Vec::new(),
                prefix: Vec::new(),
            });
            *first = u32::try_from(self.buckets.len()).expect("fewer than 2^32 phrase buckets");
            self.buckets.len() - 1
        });
        &mut self.buckets[i]
    }

    /// The phrases of some of the tables, in the order they were added: what it matches is
    /// what the whole set matches in those tables.
    pub(crate) fn only(&self, tables: &[Table]) -> Self {
        self.of_tables(|table| tables.contains(&table))
    }

    /// The phrases of the other tables, as [`PhraseSet::only`] has them.
    pub(crate) fn except(&self, tables: &[Table]) -> Self {
        self.of_tables(|table| !tables.contains(&table))
    }

    /// The phrases of the tables `keep` says, in the order they were added.
    fn of_tables(&self, keep: impl Fn(Table) -> bool) -> Self {
        let mut set = Self::default();
        for pattern in self.patterns.iter().filter(|p| keep(p.table)) {
            set.push(pattern.clone());
        }
        set
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
        let mut hits = Vec::with_capacity(tokens.len() / 4);
        // Most tokens have no bucket, or one with no first word of their length: the loop that
        // tells so is kept short, and the work for the others is done out of it.
        for (i, token) in tokens.iter().enumerate() {
            let lengths = self.lengths.get(slot(token.key)).copied().unwrap_or(0);
            if lengths & length_bit(token.lower.len()) != 0 {
                self.matches_at(tokens, i, &mut hits);
            }
        }
        Matches { hits }
    }

    /// The last token of `tokens` where a phrase matches, if any; read from the end, it stops
    /// there.
    pub(crate) fn last_match(&self, tokens: &[Token]) -> Option<usize> {
        let mut hits = Vec::new();
        tokens.iter().enumerate().rev().find_map(|(i, token)| {
            let lengths = self.lengths.get(slot(token.key)).copied().unwrap_or(0);
            if lengths & length_bit(token.lower.len()) != 0 {
                self.matches_at(tokens, i, &mut hits);
            }
            (!hits.is_empty()).then_some(i)
        })
    }

    /// Adds the phrases that match at token `i` to `hits`.
    #[inline(never)]
    fn matches_at(&self, tokens: &[Token], i: usize, hits: &mut Vec<Hit>) {
        let token = &tokens[i];
        let Some(bucket) = self.bucket(token.key) else {
            return;
        };
        let rest = &tokens[i..];
        let mut add = |p: usize, from: usize| {
            let Pattern { words, table, id } = &self.patterns[p];
            if words.len() <= rest.len()
                && words[from..]
                    .iter()
                    .zip(&rest[from..])
                    .all(|(w, t)| w.matches(t))
            {
                hits.push(Hit {
                    at: i,
                    len: words.len(),
                    table: *table,
                    id: *id,
                });
            }
        };
        // Exact first words before prefixes, each in the order added: the first of the longest
        // matches of a table wins.
        if let Some(first) = bucket.exact.iter().find(|first| first.word == token.lower)
            && first.may_start_before(tokens.get(i + 1))
        {
            for &p in &first.phrases {
                add(p, 1);
            }
        }
        for &p in &bucket.prefix {
            add(p, 0);
        }
    }
}

/// A phrase that matches at a token.
#[derive(Debug, Clone, Copy)]
struct Hit {
    /// The first token.
    at: usize,
    /// Length in tokens.
    len: usize,
    table: Table,
    id: usize,
}

/// The phrases that match in a sentence's tokens, from [`PhraseSet::matches`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Matches {
    /// The matches, by start token (a sentence has few: they are searched, not indexed).
    hits: Vec<Hit>,
}

impl Matches {
    /// The phrases of every table that start at token `i`.
    fn at(&self, i: usize) -> &[Hit] {
        let from = self.hits.partition_point(|h| h.at < i);
        // A token starts few phrases: they are counted, not searched.
        let count = self.hits[from..].iter().take_while(|h| h.at == i).count();
        &self.hits[from..from + count]
    }

    /// The first token at or after token `i` where a phrase of one of `tables` starts.
    pub(crate) fn next_start_of(&self, tables: &[Table], i: usize) -> Option<usize> {
        let k = self.hits.partition_point(|h| h.at < i);
        self.hits[k..]
            .iter()
            .find(|h| tables.contains(&h.table))
            .map(|h| h.at)
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
        // The phrases that start at the six tokens up to `end`, found at once.
        let from = self
            .hits
            .partition_point(|h| h.at < end.saturating_sub(MAX_BACK - 1));
        self.hits[from..]
            .iter()
            .take_while(|h| h.at <= end)
            .any(|h| h.table == table && h.len <= MAX_BACK && h.at + h.len == end + 1)
    }

    /// Every match of a table, left to right, the longest at each start, not overlapping.
    pub(crate) fn find(&self, table: Table) -> Vec<PhraseMatch> {
        let mut out = Vec::new();
        // The first token a match may start at, past the last one found.
        let mut free = 0;
        for h in &self.hits {
            if h.table != table || h.at < free {
                continue;
            }
            // The first of the longest at the token of `h`, the first there of its table.
            if let Some((len, id)) = self.longest_at(table, h.at) {
                out.push(PhraseMatch {
                    tokens: h.at..h.at + len,
                    id,
                });
                free = h.at + len;
            }
        }
        out
    }

    /// These matches and those of a set with none of their tables, as the matches of both
    /// sets: each table's in the same order, which is all its readers see.
    pub(crate) fn with(mut self, other: Matches) -> Matches {
        self.hits.extend(other.hits);
        // A stable sort: the phrases at a token keep their order within each set.
        self.hits.sort_by_key(|h| h.at);
        self
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
        let mut buffer = String::new();
        let toks = tokenize(t, 0..t.len(), &mut buffer);
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
        assert_eq!(set.last_match(&toks), Some(11));
        let calm = "Il a appelé. Ils ont dormi.";
        let toks = tokenize(calm, 0..calm.len(), &mut buffer);
        assert_eq!(set.last_match(&toks), Some(4));
        let toks = tokenize(&calm[..12], 0..12, &mut buffer);
        assert_eq!(set.last_match(&toks), None);
    }

    #[test]
    fn second_words_tell_where_no_phrase_starts() {
        let mut set = PhraseSet::default();
        assert!(set.add(Table::Relative, "the previous week", 1));
        assert!(set.add(Table::Relative, "the day before yesterday", 2));
        assert!(set.add(Table::Hedge, "may have", 3));
        assert!(set.add(Table::Hedge, "may", 4));
        let t = "The day, the previous week or the day before yesterday: the. It may";
        let mut buffer = String::new();
        let toks = tokenize(t, 0..t.len(), &mut buffer);
        let found = set.matches(&toks);
        let relative: Vec<(usize, usize)> = found
            .find(Table::Relative)
            .into_iter()
            .map(|m| (m.tokens.start, m.id))
            .collect();
        assert_eq!(relative, [(3, 1), (7, 2)]);
        let hedges: Vec<usize> = found.find(Table::Hedge).into_iter().map(|m| m.id).collect();
        assert_eq!(hedges, [4]);
    }

    /// Every table.
    const ALL_TABLES: [Table; 14] = [
        Table::Action,
        Table::Relative,
        Table::SourceAfter,
        Table::Speech,
        Table::Negation,
        Table::Denial,
        Table::Hedge,
        Table::MovementFrom,
        Table::MovementVia,
        Table::MovementTo,
        Table::ActorHeads,
        Table::Disaster,
        Table::Civilians,
        Table::Calendar,
    ];

    #[test]
    fn a_subset_matches_what_the_whole_set_matches_in_its_tables() {
        let lexicons = crate::lexicon::Lexicon::builtin().expect("built-in lexicons");
        let t = "The day before yesterday, officials said police fired on protesters in March, \
                 not far from the previous week's clashes; the president reportedly left.";
        let mut buffer = String::new();
        let toks = tokenize(t, 0..t.len(), &mut buffer);
        for lex in &lexicons {
            let all = lex.phrases.matches(&toks);
            let core = lex.core_phrases.matches(&toks);
            let both = core.clone().with(
                lex.phrases
                    .except(&crate::lexicon::CORE_TABLES)
                    .matches(&toks),
            );
            for i in 0..toks.len() {
                for table in ALL_TABLES {
                    assert_eq!(both.longest_at(table, i), all.longest_at(table, i));
                    assert_eq!(both.ends_at(table, i), all.ends_at(table, i));
                    assert_eq!(
                        both.next_start_of(&[table], i),
                        all.next_start_of(&[table], i)
                    );
                }
            }
            for table in ALL_TABLES {
                assert_eq!(both.find(table), all.find(table));
            }
            for table in crate::lexicon::CORE_TABLES {
                assert_eq!(core.find(table), all.find(table));
                for i in 0..toks.len() {
                    assert_eq!(core.longest_at(table, i), all.longest_at(table, i));
                }
            }
            assert!(!core.any(Table::Speech));
        }
        let english = lexicons.iter().find(|l| l.lang == "en").expect("en");
        let all = english.phrases.matches(&toks);
        assert!(all.any(Table::Speech) && all.any(Table::Action) && all.any(Table::Relative));
    }
}
