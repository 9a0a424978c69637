//! Who did what to whom: ACLED's `actor1` (who acted) and `actor2` (whom it was done to), as the
//! sentence names them. «Azerbaijani forces shelled Stepanakert»: actor1 the forces; «police
//! arrested two men»: actor1 the police, actor2 the two men; «deux policiers ont été blessés par
//! des hommes armés»: the passive turns them round.
//!
//! The parties are the sentence's actors (see `actor.rs`), the places it names bare as subjects
//! or objects («Israël a mené des frappes»), and the people its words name ("a 33-year-old man",
//! «quinze villageois»). The nearest party before the action within its clause is its subject,
//! the first after it its object; an agent word («par», "by") before a party makes it the one
//! who acted.

use crate::lexicon::Lexicon;
use crate::text::{Token, TokenKind};
use std::ops::Range;

/// How far before the action its subject may start, in tokens.
const SUBJECT_REACH: usize = 12;
/// How far after the action its object or agent may start, in tokens.
const OBJECT_REACH: usize = 8;
/// How far back from a people word its determiner or number may be, in tokens ("33 year old
/// man", «une vingtaine de villageois»).
const PEOPLE_PHRASE: usize = 3;

/// The two sides of an event, as token ranges of its sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Sides {
    /// Who acted.
    pub(crate) actor1: Option<Range<usize>>,
    /// Whom it was done to.
    pub(crate) actor2: Option<Range<usize>>,
}

/// How many tokens may stand between an action and its object ("clashed with protesters",
/// «a reçu son homologue»); an agent word lets the agent stand further («l'attaque de la ville par
/// les rebelles»).
const OBJECT_GAP: usize = 2;

/// The sides of the action at `trigger` among `parties` (the sentence's actors and the places it
/// names bare before the action, in any order), with the people the sentence's words name
/// added; `movement` for a deployment or a transfer, whose forces act even in the passive
/// ("troops were deployed").
pub(crate) fn sides(
    tokens: &[Token],
    parties: &[Range<usize>],
    trigger: &Range<usize>,
    movement: bool,
    lex: &Lexicon,
) -> Sides {
    let m = &lex.markers;
    let mut all: Vec<Range<usize>> = parties.to_vec();
    all.extend(people(tokens, trigger, lex));
    let all = joined(tokens, all, lex);
    let first = clause_start(tokens, trigger.start);
    let before = all
        .iter()
        .filter(|p| p.end <= trigger.start && p.start >= first)
        .max_by_key(|p| (p.end, std::cmp::Reverse(p.start)))
        .cloned();
    let last = clause_stop(tokens, trigger.end);
    let agent_word =
        |p: &Range<usize>| (trigger.end..p.start).any(|t| m.agents.contains(tokens[t].lower));
    let after = all
        .iter()
        .filter(|p| p.start >= trigger.end && p.start < last)
        .filter(|p| p.start - trigger.end <= OBJECT_GAP || agent_word(p))
        .min_by_key(|p| (p.start, std::cmp::Reverse(p.end)))
        .cloned();
    let agent_after = after.clone().filter(|a| agent_word(a));
    let from = before
        .as_ref()
        .map_or(trigger.start.saturating_sub(2), |b| b.end);
    let passive = !movement && (from..trigger.start).any(|t| m.passive.contains(tokens[t].lower));
    let (actor1, actor2) = match (passive, agent_after) {
        (true, agent) => (agent, before),
        (false, Some(agent)) => (Some(agent), before),
        (false, None) => (before, after),
    };
    Sides {
        actor2: actor2.filter(|b| actor1.as_ref() != Some(b)),
        actor1,
    }
}

/// The parties in text order, those that touch or that a coordinating word joins made one
/// ("Armenian forces" from two actors, «la Russie et l'Ukraine»); a party inside another is
/// dropped.
fn joined(tokens: &[Token], mut parties: Vec<Range<usize>>, lex: &Lexicon) -> Vec<Range<usize>> {
    parties.sort_by_key(|p| (p.start, std::cmp::Reverse(p.end)));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(parties.len());
    for p in parties {
        match out.last_mut() {
            Some(last) if p.end <= last.end => {}
            Some(last) if p.start <= last.end || coordinated(tokens, last.end..p.start, lex) => {
                last.end = p.end;
            }
            _ => out.push(p),
        }
    }
    out
}

/// Whether the tokens `gap` between two parties join them: a coordinating word, with the
/// articles and apostrophes after it («et l'Ukraine»).
fn coordinated(tokens: &[Token], gap: Range<usize>, lex: &Lexicon) -> bool {
    let m = &lex.markers;
    let Some(first) = tokens.get(gap.start) else {
        return false;
    };
    m.and_words.contains(first.lower)
        && tokens[gap.start + 1..gap.end]
            .iter()
            .all(|t| m.articles.contains(t.lower) || matches!(t.lower, "'" | "’"))
}

/// Whether a token stops a clause for its parties: punctuation but commas, hyphens and
/// apostrophes.
fn stops(t: &Token) -> bool {
    t.kind == TokenKind::Punct && !matches!(t.lower, "," | "-" | "'" | "’")
}

/// The first token of the subject's reach before the action at token `at`.
fn clause_start(tokens: &[Token], at: usize) -> usize {
    let reach = at.saturating_sub(SUBJECT_REACH);
    (reach..at)
        .rev()
        .find(|&t| stops(&tokens[t]))
        .map_or(reach, |t| t + 1)
}

/// One past the last token where an object after the action ending at token `end` may start.
fn clause_stop(tokens: &[Token], end: usize) -> usize {
    let reach = (end + OBJECT_REACH).min(tokens.len());
    (end..reach)
        .find(|&t| stops(&tokens[t]) || tokens[t].lower == ",")
        .unwrap_or(reach)
}

/// The phrases of the sentence that name people: a word of the lexicon's `people` and the
/// words back to the nearest determiner or number before it ("four men", "a 33-year-old man",
/// "two young men", «une vingtaine de villageois»), not across the action at `trigger`; the word
/// alone when none is near.
fn people(tokens: &[Token], trigger: &Range<usize>, lex: &Lexicon) -> Vec<Range<usize>> {
    let m = &lex.markers;
    let number = |t: &Token| t.kind == TokenKind::Number || lex.toll.numbers.contains_key(t.lower);
    let counts = |t: &Token| m.articles.contains(t.lower) || number(t);
    let plain = |t: &Token| t.kind == TokenKind::Word && !t.capital;
    let mut found = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if !m.people.contains(t.lower) {
            continue;
        }
        let mut head = None;
        let mut k = i;
        while k > 0 && i - k < PEOPLE_PHRASE {
            let p = &tokens[k - 1];
            if counts(p) {
                head = Some(k - 1);
                break;
            }
            if !plain(p) || trigger.contains(&(k - 1)) {
                break;
            }
            k -= 1;
        }
        let start = match head {
            // "a 33-year-old man": the article before the number too.
            Some(h) if h > 0 && number(&tokens[h]) && m.articles.contains(tokens[h - 1].lower) => {
                h - 1
            }
            Some(h) => h,
            None => i,
        };
        found.push(start..i + 1);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    /// The sides of the action `action` in an English sentence with the given actor words, as
    /// texts.
    fn sides_of(text: &str, action: &str, actors: &[&str]) -> (Option<String>, Option<String>) {
        let lexicons = Lexicon::builtin().expect("built-in lexicons");
        let lex = lexicons.iter().find(|l| l.lang == "en").expect("English");
        let mut buffer = String::new();
        let tokens = tokenize(text, 0..text.len(), &mut buffer);
        let at = |word: &str| {
            tokens
                .iter()
                .position(|t| t.lower == word)
                .expect("the word is in the text")
        };
        let parties: Vec<Range<usize>> = actors.iter().map(|a| at(a)..at(a) + 1).collect();
        let trigger = at(action)..at(action) + 1;
        let found = sides(&tokens, &parties, &trigger, false, lex);
        let words = |r: Range<usize>| text[tokens[r.start].start..tokens[r.end - 1].end].to_owned();
        (found.actor1.map(words), found.actor2.map(words))
    }

    #[test]
    fn the_subject_acts_and_the_object_suffers() {
        assert_eq!(
            sides_of(
                "Police arrested a 33-year-old man on Monday.",
                "arrested",
                &["police"]
            ),
            (Some("Police".into()), Some("a 33-year-old man".into()))
        );
    }

    #[test]
    fn the_passive_and_an_agent_turn_the_sides_round() {
        assert_eq!(
            sides_of(
                "Two men were shot by police on Monday.",
                "shot",
                &["police"]
            ),
            (Some("police".into()), Some("Two men".into()))
        );
        assert_eq!(
            sides_of("Two men were shot on Monday.", "shot", &[]),
            (None, Some("Two men".into()))
        );
    }

    #[test]
    fn a_party_far_after_the_action_is_not_its_object() {
        assert_eq!(
            sides_of(
                "Protesters rallied in the capital to support the army.",
                "rallied",
                &["protesters", "army"]
            ),
            (Some("Protesters".into()), None)
        );
    }
}
