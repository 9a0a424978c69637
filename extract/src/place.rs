//! Where an event happened: the role each place mention plays in its sentence (the place of
//! the action, its target, its topic, a movement's waypoint, or part of an actor's name), and
//! the choice of the event's place or path among them.

use crate::actor::Claim;
use crate::hash::WordSet;
use crate::lexicon::{Lexicon, Markers};
use crate::phrase::{Matches, Table};
use crate::text::Token;
use gazetteer::{Mention, MentionKind, PlaceKind};
use std::ops::Range;

/// How far back from a place to look for its preposition, in tokens.
const LOOK_BACK: usize = 6;

/// A place mention of a sentence with its tokens.
#[derive(Debug, Clone)]
pub(crate) struct SentenceMention<'m> {
    /// The gazetteer's mention.
    pub(crate) mention: &'m Mention,
    /// Token indices in the sentence, end exclusive.
    pub(crate) tokens: Range<usize>,
}

/// What a place mention is to its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// After a locative preposition (`à`, `dans`, `in`, `near`).
    Locative,
    /// The action's target (`sur`, `contre`, `against`, `en direction de`).
    Target,
    /// What the sentence is about (`du conflit du Karabakh`, `about`).
    Topic,
    /// A movement's origin (`from`, `depuis`).
    From,
    /// A movement's waypoint (`à travers`, `through`, `via`).
    Via,
    /// A movement's end (`jusqu'à`, `to`).
    To,
    /// No preposition: a subject or an object, often a capital standing for its government.
    Bare,
    /// Where somebody spoke (`ont déclaré à Erevan`).
    Speech,
    /// Part of an actor's name (`le ministère de la Défense d'Arménie`).
    Actor,
    /// Part of a claim's source.
    Claim,
    /// Where a person comes from or lives, or a trade partner ("a native of Mexico", "Terry
    /// Jolly, 60, Lebanon", «originaire de Damas», "imports from the United States").
    Origin,
    /// Part of a street's name ("Briarcliff Road", «rue de Paris»): the street runs through the
    /// town the text is about, not through the place of its name.
    Street,
    /// Inside what an appeal asks for ("calling for the release of prisoners jailed in Israel"):
    /// the appeal's topic, no place of what else the sentence reports.
    Request,
}

/// The role of every mention, with the token of the word that gave it; `phrases` are the
/// sentence's lexicon phrases.
pub(crate) fn roles(
    tokens: &[Token],
    phrases: &Matches,
    mentions: &[SentenceMention<'_>],
    in_mention: &[bool],
    actors: &[Range<usize>],
    claims: &[Claim],
    lex: &Lexicon,
) -> Vec<(Role, Option<usize>)> {
    let m = &lex.markers;
    let inside =
        |r: &Range<usize>, outer: &Range<usize>| r.start >= outer.start && r.end <= outer.end;
    mentions
        .iter()
        .map(|sm| {
            if claims.iter().any(|c| inside(&sm.tokens, &c.source)) {
                return (Role::Claim, None);
            }
            if actors.iter().any(|a| inside(&sm.tokens, a)) {
                return (Role::Actor, None);
            }
            let first = sm.tokens.start;
            if names_street(tokens, &sm.tokens, m) {
                return (Role::Street, None);
            }
            if origin(tokens, phrases, first, in_mention, m) {
                return (Role::Origin, None);
            }
            match marker_before(tokens, phrases, first, in_mention, &m.skip) {
                Some(t) => (marker_role(tokens, phrases, t, first, lex), Some(t)),
                None if speaks(tokens, phrases, lex, sm.tokens.end) => (Role::Speech, None),
                None => (Role::Bare, None),
            }
        })
        .collect()
}

/// Whether the mention at `tokens` is part of a street's name: a capitalised street word right
/// after it ("Lone Oak Road"), or one before it with the articles between («rue de Paris»).
fn names_street(tokens: &[Token], at: &Range<usize>, m: &Markers) -> bool {
    let after = tokens
        .get(at.end)
        .is_some_and(|t| t.capital && m.streets_after.contains(t.lower));
    let before = tokens[..at.start]
        .iter()
        .rev()
        .find(|t| !m.skip.contains(t.lower) && !matches!(t.lower, "'" | "’"))
        .is_some_and(|t| m.streets_before.contains(t.lower));
    after || before
}

/// How many words may part a place from the speech verb it is the subject of ("Tbilisi has
/// denied", «Bakou a démenti»).
const SPEAKER_GAP: usize = 2;

/// Whether a place without a preposition ending before token `end` speaks: a speech or denial
/// verb follows it within [`SPEAKER_GAP`] words ("Tbilisi has denied the allegation", "Baku
/// said"), or a speech act ("France and Germany condemned the attack", "Moscow urged
/// restraint"). A capital or a country that speaks stands for its government; it is not where
/// the action is.
fn speaks(tokens: &[Token], phrases: &Matches, lex: &Lexicon, end: usize) -> bool {
    let speech_act = |t: usize| {
        phrases
            .longest_at(Table::Action, t)
            .and_then(|(_, id)| lex.actions.get(id))
            .is_some_and(|a| a.speech_act)
    };
    (end..tokens.len().min(end + SPEAKER_GAP + 1))
        .take_while(|&t| tokens[t].is_word())
        .any(|t| {
            phrases.longest_at(Table::Speech, t).is_some()
                || phrases.longest_at(Table::Denial, t).is_some()
                || speech_act(t)
        })
}

/// Whether the place at token `first` is where somebody comes from or lives: an origin marker
/// ends before it (skipping articles and other place names), it follows a person's age in
/// apposition ("Jolly, 60, Lebanon"), or a noun of people and `from` ("a soldier from Lviv", "a
/// woman from Canada").
fn origin(
    tokens: &[Token],
    phrases: &Matches,
    first: usize,
    in_mention: &[bool],
    m: &Markers,
) -> bool {
    let age = first >= 2
        && tokens[first - 1].lower == ","
        && tokens[first - 2].lower.bytes().all(|b| b.is_ascii_digit());
    let person_from = first >= 2
        && phrases.ends_at(Table::MovementFrom, first - 1)
        && m.people.contains(tokens[first - 2].lower);
    let mut t = first;
    while t > 0 && first - t < LOOK_BACK {
        t -= 1;
        if phrases.ends_at(Table::Origin, t) {
            return true;
        }
        let skippable =
            m.skip.contains(tokens[t].lower) || in_mention.get(t).copied().unwrap_or(false);
        if !skippable {
            break;
        }
    }
    age || person_from
}

/// The word that gives the role of a mention starting at token `first`: the nearest before it
/// that is not skipped (articles, `ville`, another mention), or a movement word; `None` when
/// none is within [`LOOK_BACK`] tokens.
fn marker_before(
    tokens: &[Token],
    phrases: &Matches,
    first: usize,
    in_mention: &[bool],
    skip: &WordSet,
) -> Option<usize> {
    let mut t = first;
    loop {
        if t == 0 || first - t >= LOOK_BACK {
            return None;
        }
        t -= 1;
        let skippable =
            skip.contains(tokens[t].lower) || in_mention.get(t).copied().unwrap_or(false);
        let movement =
            phrases.ends_at(Table::MovementVia, t) || phrases.ends_at(Table::MovementTo, t);
        if movement || !skippable {
            return Some(t);
        }
    }
}

/// Whether the locative at token `t` follows a speech verb, with the day it was said between
/// them or not ("a déclaré à Erevan", «a annoncé dimanche à Bakou», "said on Sunday in Baku"):
/// the place is where somebody spoke, not where the action happened.
fn after_speech(tokens: &[Token], phrases: &Matches, t: usize, lex: &Lexicon) -> bool {
    let mut end = t;
    while end > 0 && t - end < LOOK_BACK {
        end -= 1;
        if phrases.ends_at(Table::Speech, end) {
            return true;
        }
        let word = tokens[end].lower;
        let when = lex.dates.calendar.contains_key(word)
            || phrases.ends_at(Table::Relative, end)
            || lex.markers.skip.contains(word)
            || word.bytes().all(|b| b.is_ascii_digit());
        if !when {
            return false;
        }
    }
    false
}

/// The role that the word at token `t` gives a mention starting at token `first`.
fn marker_role(tokens: &[Token], phrases: &Matches, t: usize, first: usize, lex: &Lexicon) -> Role {
    let m = &lex.markers;
    let word = tokens[t].lower;
    let from_word = first > 0 && phrases.ends_at(Table::MovementFrom, first - 1);
    let placed = m.locative.contains(word) || m.target.contains(word) || m.topic.contains(word);
    if phrases.ends_at(Table::MovementVia, t) {
        Role::Via
    } else if phrases.ends_at(Table::MovementTo, t) {
        Role::To
    } else if from_word && (t + 1 == first || !placed) {
        Role::From
    } else if m.locative.contains(word) && after_speech(tokens, phrases, t, lex) {
        Role::Speech
    } else if m.target.contains(word) {
        Role::Target
    } else if m.locative.contains(word) {
        Role::Locative
    } else if m.topic.contains(word) {
        Role::Topic
    } else {
        Role::Bare
    }
}

/// How much a role says "the event happened here", for ordinary events and for diplomacy.
fn role_weight(role: Role, diplomacy: bool) -> f64 {
    match (role, diplomacy) {
        (Role::Locative | Role::Target, false) => 3.0,
        (Role::To, false) => 2.5,
        (Role::Via, false) => 2.0,
        (Role::From, false) => 1.5,
        (Role::Topic | Role::Bare, false) => 1.2,
        (Role::Topic | Role::Request, true) => 3.0,
        (Role::Locative, true) => 2.8,
        (Role::Target | Role::To | Role::Via | Role::From, true) => 1.5,
        (Role::Bare, true) => 0.0,
        (Role::Speech, _) => 0.2,
        (Role::Actor | Role::Claim | Role::Origin | Role::Street | Role::Request, _) => 0.0,
    }
}

/// How much a kind of place is worth as an event's place: the most specific wins ties.
fn kind_weight(kind: PlaceKind) -> f64 {
    match kind {
        PlaceKind::City | PlaceKind::Capital => 0.3,
        PlaceKind::Region | PlaceKind::Admin1 | PlaceKind::Admin2 | PlaceKind::Other => 0.2,
        PlaceKind::Country => 0.0,
        PlaceKind::Continent => -0.5,
    }
}

/// The least score a place needs to be the event's place.
const MIN_SCORE: f64 = 0.6;

/// The best place for an event whose action is at token `trigger` in a clause that ends at token
/// `clause`, in a document whose own place is in the country `home`: the index of the mention
/// and its role, or `None` when no mention is a likely place.
pub(crate) fn choose(
    sentence: (&[Token], &Matches),
    mentions: &[SentenceMention<'_>],
    roles: &[(Role, Option<usize>)],
    at: (usize, usize),
    diplomacy: bool,
    home: Option<&str>,
) -> Option<(usize, Role)> {
    let (trigger, clause) = at;
    // The places of the action's clause first; those of a relative clause after it only when
    // the action's own clause has none. A clause before a semicolon is another statement ("on
    // the run from drug charges in Florida; he apparently gunned down Greene"): none of its
    // places.
    let start = clause_start(sentence.0, trigger);
    let look = Look {
        sentence,
        mentions,
        roles,
        trigger,
        diplomacy,
        home,
    };
    look.best_place(|sm| sm.tokens.start >= start && sm.tokens.start < clause)
        .or_else(|| look.best_place(|sm| sm.tokens.start >= start))
}

/// The token where the statement of token `at` starts: after the last semicolon before it,
/// else the sentence's start.
fn clause_start(tokens: &[Token], at: usize) -> usize {
    tokens[..at]
        .iter()
        .rposition(|t| t.lower == ";")
        .map_or(0, |i| i + 1)
}

/// How many words from an action's first word its last may be («ont visé»): a bare place right
/// after one of them is the action's object.
const OBJECT_REACH: usize = 3;

/// What it takes to score a sentence's places for an action at token `trigger`.
struct Look<'a, 'm> {
    sentence: (&'a [Token<'a>], &'a Matches),
    mentions: &'a [SentenceMention<'m>],
    roles: &'a [(Role, Option<usize>)],
    trigger: usize,
    diplomacy: bool,
    /// The country of the document's place, if any.
    home: Option<&'a str>,
}

/// What a locative set before its clause between commas adds to its place's score: «À
/// Bruxelles, les ministres … se sont réunis … pour discuter de livraisons d'armes à Kiev», "In
/// Dagestan, police fatally shot …": the frame of the whole sentence, where the action happens,
/// rather than a place its words name later.
const FRAME_BONUS: f64 = 0.6;

impl Look<'_, '_> {
    /// Whether the locative mention `sm`, whose marker is at token `marker`, frames the
    /// sentence: it opens it or follows a comma, a comma closes it (maybe after an apposition),
    /// it comes before the action and nobody speaks between them.
    fn frames(&self, sm: &SentenceMention<'_>, marker: usize) -> bool {
        let (tokens, phrases) = self.sentence;
        let opens = marker == 0 || tokens[marker - 1].lower == ",";
        let closed = tokens.get(sm.tokens.end).is_some_and(|t| t.lower == ",");
        opens
            && closed
            && sm.tokens.end <= self.trigger
            && !(sm.tokens.end..self.trigger).any(|t| phrases.ends_at(Table::Speech, t))
    }

    /// Whether `sm` is a place without a preposition, in another country than the document's
    /// ("Romans, Sakai and the parolee died" in an Oakland story, "missiles fired by Iran"): a
    /// person's name, a government or an origin rather than where the action happened. The
    /// action's own object (`marker` among its words) is its target («ont visé Ashkelon»).
    fn abroad_bare(&self, sm: &SentenceMention<'_>, role: Role, marker: Option<usize>) -> bool {
        let object =
            marker.is_some_and(|t| (self.trigger..self.trigger + OBJECT_REACH).contains(&t));
        role == Role::Bare
            && !object
            && self
                .home
                .is_some_and(|home| sm.mention.place.country != home)
    }

    /// The best place among the mentions that `keep` keeps (see [`choose`]).
    fn best_place(&self, keep: impl Fn(&SentenceMention<'_>) -> bool) -> Option<(usize, Role)> {
        let (trigger, diplomacy) = (self.trigger, self.diplomacy);
        let mut best: Option<(usize, Role, f64)> = None;
        for (i, (sm, &(role, marker))) in self.mentions.iter().zip(self.roles).enumerate() {
            if sm.mention.kind != MentionKind::Toponym
                || !keep(sm)
                || self.abroad_bare(sm, role, marker)
            {
                continue;
            }
            let weight = role_weight(role, diplomacy);
            if weight <= 0.0 {
                continue;
            }
            let distance = if sm.tokens.start >= trigger {
                sm.tokens.start - trigger
            } else {
                2 * (trigger - sm.tokens.end)
            };
            let frame = match marker {
                Some(t) if role == Role::Locative && self.frames(sm, t) => FRAME_BONUS,
                _ => 0.0,
            };
            let score =
                weight + frame + kind_weight(sm.mention.place.kind()) + 0.3 * sm.mention.score
                    - (0.03 * distance as f64).min(1.0);
            if score >= MIN_SCORE && best.as_ref().is_none_or(|b| score > b.2) {
                best = Some((i, role, score));
            }
        }
        best.map(|(i, role, _)| (i, role))
    }
}

/// The mentions listed after mention `i` in one coordination with it ("arrested in Batumi and
/// Tbilisi", «à Lyon, Grenoble et Valence»): toponyms of the same level joined by commas,
/// articles and a last `and`. None without that `and`: in "Dallas, Texas" the state holds the
/// town, and a comma alone may close an apposition.
pub(crate) fn coordinated(
    tokens: &[Token],
    mentions: &[SentenceMention<'_>],
    i: usize,
    markers: &Markers,
) -> Vec<usize> {
    let level = |sm: &SentenceMention<'_>| match sm.mention.place.kind() {
        PlaceKind::City | PlaceKind::Capital => Some(0),
        PlaceKind::Admin2 => Some(1),
        PlaceKind::Admin1 => Some(2),
        _ => None,
    };
    let Some(first) = mentions.get(i).and_then(level) else {
        return Vec::new();
    };
    let mut listed = Vec::new();
    let mut last = &mentions[i];
    for (j, sm) in mentions.iter().enumerate().skip(i + 1) {
        let between = tokens
            .get(last.tokens.end..sm.tokens.start)
            .unwrap_or_default();
        let joins = |t: &Token| {
            t.lower == ","
                || markers.and_words.contains(t.lower)
                || markers.articles.contains(t.lower)
        };
        if between.is_empty()
            || !between.iter().all(joins)
            || sm.mention.kind != MentionKind::Toponym
            || level(sm) != Some(first)
        {
            break;
        }
        listed.push(j);
        if between.iter().any(|t| markers.and_words.contains(t.lower)) {
            return listed;
        }
        last = sm;
    }
    Vec::new()
}

/// How many words after a comma a clause opener may come («, the road that»).
const OPENER_REACH: usize = 3;

/// The token where the clause of token `at` ends: at a semicolon, or where a relative clause
/// opens after it (a comma, then within [`OPENER_REACH`] words a word such as `that` or `qui`),
/// else the end.
pub(crate) fn clause_end(tokens: &[Token], at: usize, openers: &WordSet) -> usize {
    (at + 1..tokens.len())
        .find(|&i| {
            tokens[i].lower == ";"
                || tokens[i].lower == ","
                    && tokens
                        .iter()
                        .skip(i + 1)
                        .take(OPENER_REACH)
                        .any(|t| openers.contains(t.lower))
        })
        .unwrap_or(tokens.len())
}

/// The places of a movement in order (origin, waypoints, end), as mention indices; empty when
/// the sentence names no waypoint or end. Places after `limit` (the end of the movement's
/// clause) are not on its way: «deploying along the corridor, the road that links X to Y».
pub(crate) fn path(
    mentions: &[SentenceMention<'_>],
    roles: &[(Role, Option<usize>)],
    trigger: usize,
    limit: usize,
) -> Vec<usize> {
    let toponym = |i: &usize| mentions[*i].mention.kind == MentionKind::Toponym;
    let with = |wanted: &[Role]| {
        (0..mentions.len())
            .filter(|i| wanted.contains(&roles[*i].0))
            .filter(toponym)
            .filter(|i| mentions[*i].tokens.start < limit)
            .collect::<Vec<_>>()
    };
    let ahead = with(&[Role::Via, Role::To]);
    if ahead.is_empty() {
        return Vec::new();
    }
    let mut out = with(&[Role::From]);
    out.extend(with(&[Role::Via]));
    // Ends in text order; a locative place after the action (`deployed in X`) joins them.
    let ends = with(&[Role::To, Role::Locative]);
    out.extend(
        ends.into_iter()
            .filter(|&i| roles[i].0 == Role::To || mentions[i].tokens.start > trigger),
    );
    out.dedup_by_key(|i| mentions[*i].mention.place.id);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    /// The clause end after the first token of `text`, as the text of the tokens before it.
    fn clause_of(lang: &str, text: &str) -> String {
        let lexicons = Lexicon::builtin().expect("built-in lexicons");
        let lex = lexicons
            .iter()
            .find(|l| l.lang == lang)
            .expect("the language");
        let mut buffer = String::new();
        let tokens = tokenize(text, 0..text.len(), &mut buffer);
        let end = clause_end(&tokens, 0, &lex.markers.clause_openers);
        tokens[..end]
            .iter()
            .map(|t| t.lower)
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_name_before_a_street_word_or_after_rue_is_a_streets() {
        let lexicons = Lexicon::builtin().expect("built-in lexicons");
        for (lang, text, name, street) in [
            (
                "en",
                "She was stabbed near Briarcliff Road in DeKalb County.",
                "briarcliff",
                true,
            ),
            (
                "en",
                "She was stabbed near Briarcliff in DeKalb County.",
                "briarcliff",
                false,
            ),
            ("en", "The Paris road was closed.", "paris", false),
            (
                "fr",
                "Un homme a été arrêté rue de Paris à Lyon.",
                "paris",
                true,
            ),
            ("fr", "Un homme a été arrêté à Paris.", "paris", false),
        ] {
            let lex = lexicons
                .iter()
                .find(|l| l.lang == lang)
                .expect("the language");
            let mut buffer = String::new();
            let tokens = tokenize(text, 0..text.len(), &mut buffer);
            let at = tokens
                .iter()
                .position(|t| t.lower == name)
                .expect("the name");
            assert_eq!(
                names_street(&tokens, &(at..at + 1), &lex.markers),
                street,
                "{text}"
            );
        }
    }

    #[test]
    fn a_place_that_speaks_denies_or_condemns_is_its_government() {
        let lexicons = Lexicon::builtin().expect("built-in lexicons");
        let lex = lexicons.iter().find(|l| l.lang == "en").expect("English");
        for (text, speaks_here) in [
            ("Tbilisi has denied the allegation about the blast.", true),
            ("Baku said its troops answered.", true),
            ("Tbilisi was calm after the blast.", false),
            ("France and Germany condemned the attack.", true),
            ("Moscow urged restraint.", true),
        ] {
            let mut buffer = String::new();
            let tokens = tokenize(text, 0..text.len(), &mut buffer);
            let core = lex.core_phrases.matches(&tokens);
            let phrases = core.with(lex.other_phrases.matches(&tokens));
            assert_eq!(speaks(&tokens, &phrases, lex, 1), speaks_here, "{text}");
        }
    }

    #[test]
    fn a_relative_clause_after_a_comma_ends_the_clause() {
        assert_eq!(
            clause_of(
                "en",
                "Peacekeepers deployed along the corridor, the road that links Goris to Stepanakert."
            ),
            "peacekeepers deployed along the corridor"
        );
        assert_eq!(
            clause_of(
                "fr",
                "Des soldats ont été déployés à Latchine, qui relie Goris à Stepanakert."
            ),
            "des soldats ont été déployés à latchine"
        );
        assert_eq!(
            clause_of("en", "Troops moved to Gao; rebels fled to Kidal."),
            "troops moved to gao"
        );
        // A list of places is one clause; so is a «that» with no comma before it.
        assert_eq!(
            clause_of("en", "Troops moved to Kidal, Gao and Timbuktu."),
            "troops moved to kidal , gao and timbuktu ."
        );
        assert_eq!(
            clause_of("en", "Officials said that troops moved to Gao."),
            "officials said that troops moved to gao ."
        );
    }
}
