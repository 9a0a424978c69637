//! The extractor: from a document and its place mentions to events, one sentence at a time.

use crate::actor::{self, Claim};
use crate::date::{self, DateMatch};
use crate::error::Result;
use crate::event::{
    DatePrecision, Document, Event, EventDate, EventGeometry, EventPlace, EventType, Evidence,
    EvidenceRole, LocationPrecision, TextSpan,
};
use crate::hash::fingerprint;
use crate::lexicon::{Action, Lexicon};
use crate::phrase::{Matches, PhraseMatch, Table};
use crate::place::{self, Role, SentenceMention};
use crate::sentence::{self, Sentence};
use crate::text::{Notes, Text, Token, tokenize, tokenize_with_notes};
use gazetteer::{Gazetteer, GeoparseOptions, Mention, MentionKind, PlaceKind};
use std::collections::HashMap;
use std::ops::Range;

/// How many tokens before an action a negation still negates it.
const NEGATION_WINDOW: usize = 4;
/// How many words before an action a plan, a threat or a condition still makes it unreal.
const IRREALIS_WINDOW: usize = 6;
/// How many words after an action a future still makes it unreal ("talks will continue").
const IRREALIS_AFTER: usize = 2;
/// How many words before an action a charge or a court still makes it the name of a charge.
const COURT_WINDOW: usize = 8;
/// How many words after an appeal its request may run.
const APPEAL_WINDOW: usize = 6;
/// Actions at or below this weight make an event only when nothing stronger is in the sentence.
const WEAK_WEIGHT: f64 = 0.6;

/// Turns documents into events with a set of per-language lexicons. Load it once and share it
/// (it is `Send + Sync`).
#[derive(Debug, Clone)]
pub struct Extractor {
    lexicons: Vec<Lexicon>,
    version: String,
}

/// What is known of the date the narrative is at, from one sentence to the next.
#[derive(Debug, Clone)]
enum Narrative {
    /// No date yet: the publication date holds.
    NotYet,
    /// The last explicit date.
    Known(EventDate),
    /// After «auparavant», "earlier": some time before, unknown.
    Unknown,
}

/// One sentence, prepared; `'d` is the life of the document's text and mentions.
struct Prepared<'d> {
    sentence: Sentence,
    /// The sentence's tokens, a slice of the document's.
    tokens: &'d [Token<'d>],
    /// The indices among the document's tokens of those of the sentence that start with a
    /// digit.
    numbers: &'d [usize],
    /// The lexicon phrases that match in the tokens.
    phrases: Matches,
    mentions: Vec<SentenceMention<'d>>,
    /// Which tokens belong to a mention; empty when none does (its readers take a missing
    /// entry for a token outside mentions).
    in_mention: Vec<bool>,
    /// The actors, as token ranges.
    actors: Vec<Range<usize>>,
}

/// The document-wide facts an event may fall back on.
struct DocContext<'a> {
    text: &'a Text<'a>,
    main_place: Option<&'a Mention>,
    published: Option<chrono::NaiveDate>,
}

impl Extractor {
    /// An extractor with the built-in lexicons (French, English, Spanish).
    pub fn new() -> Result<Self> {
        Ok(Self::with_lexicons(Lexicon::builtin()?))
    }

    /// An extractor with the given lexicons; the first is used when a document's language is
    /// unknown and cannot be guessed.
    pub fn with_lexicons(lexicons: Vec<Lexicon>) -> Self {
        let bytes: Vec<u8> = lexicons
            .iter()
            .flat_map(|l| l.fingerprint.to_le_bytes())
            .collect();
        let version = format!(
            "extract-{}+{:016x}",
            env!("CARGO_PKG_VERSION"),
            fingerprint(&bytes)
        );
        Self { lexicons, version }
    }

    /// The version of the extraction: the crate's version and a fingerprint of the lexicons'
    /// files (`extract-0.1.0+…`). It changes when a lexicon does (even in a comment), so events
    /// stored under another version may be extracted again.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The languages the extractor has a lexicon for.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.lexicons.iter().map(|l| l.lang.as_str())
    }

    /// The lexicon used for a document: its language's, else the language whose common words
    /// the text uses most.
    pub fn lexicon_for(&self, doc: &Document) -> Option<&Lexicon> {
        if let Some(lang) = doc.lang.as_deref() {
            let lang = lang.split(['-', '_']).next().unwrap_or(lang).to_lowercase();
            if let Some(l) = self.lexicons.iter().find(|l| l.lang == lang) {
                return Some(l);
            }
        }
        let head = doc
            .text
            .get(..doc.text.floor_char_boundary(4000))
            .unwrap_or_default();
        let mut buffer = String::new();
        let tokens = tokenize(head, 0..head.len(), &mut buffer);
        self.lexicons
            .iter()
            .enumerate()
            .max_by_key(|(i, l)| {
                (
                    tokens
                        .iter()
                        .filter(|t| l.stopwords.contains(t.lower))
                        .count(),
                    std::cmp::Reverse(*i),
                )
            })
            .map(|(_, l)| l)
    }

    /// Geoparses a document with the gazetteer and extracts its events.
    pub fn extract(&self, gaz: &Gazetteer, doc: &Document) -> Vec<Event> {
        let lang = self.lexicon_for(doc).map(|l| l.lang.clone());
        let mentions = gaz.geoparse(
            &doc.text,
            &GeoparseOptions {
                lang,
                ..Default::default()
            },
        );
        self.extract_with_mentions(doc, &mentions)
    }

    /// Extracts the events of a document whose place mentions are already known (from
    /// [`Gazetteer::geoparse`] on the same text).
    pub fn extract_with_mentions(&self, doc: &Document, mentions: &[Mention]) -> Vec<Event> {
        let Some(lex) = self.lexicon_for(doc) else {
            return Vec::new();
        };
        let mut buffer = String::new();
        let mut notes = Notes::default();
        let tokens = tokenize_with_notes(&doc.text, 0..doc.text.len(), &mut buffer, &mut notes);
        // Events come from action phrases, and a phrase that matches in a sentence matches in
        // the whole text: a text where none matches has no event, and nothing more to read; no
        // sentence after the last token where one matches has an action.
        let Some(last_action) = lex.action_phrases.last_match(&tokens) else {
            return Vec::new();
        };
        let text = Text::new(&doc.text);
        let mut usable: Vec<&Mention> = mentions
            .iter()
            .filter(|m| {
                m.kind != MentionKind::InOrganisation
                    && m.bytes.start < m.bytes.end
                    && doc.text.get(m.bytes.clone()).is_some()
            })
            .collect();
        usable.sort_by_key(|m| m.bytes.start);
        let prepared: Vec<Prepared<'_>> =
            sentence::split(&doc.text, &tokens, &notes.landmarks, &lex.abbreviations)
                .into_iter()
                .map(|s| {
                    let acts = s.tokens.start <= last_action;
                    prepare(&tokens, &notes.numbers, s, acts, &usable, lex)
                })
                .collect();
        let ctx = DocContext {
            text: &text,
            main_place: main_place(&prepared),
            published: doc.published,
        };
        // The sentences after the last with an action make no event, and the dates they name
        // are the narrative's after every event: they are not read.
        let read = prepared
            .iter()
            .rposition(|p| p.phrases.any(Table::Action))
            .map_or(0, |last| last + 1);
        let mut narrative = Narrative::NotYet;
        let mut events = Vec::new();
        let mut paragraph = None;
        for (i, p) in prepared.iter().enumerate().take(read) {
            if paragraph != Some(p.sentence.paragraph) {
                paragraph = Some(p.sentence.paragraph);
                if matches!(narrative, Narrative::Unknown) {
                    narrative = Narrative::NotYet;
                }
            }
            let next = prepared.get(i + 1);
            events.extend(sentence_events(p, next, lex, &ctx, &mut narrative));
        }
        let mut incidents = crate::incident::merge(events);
        for incident in &mut incidents {
            crate::toll::fill(incident, &lex.toll);
        }
        incidents
    }
}

/// Takes a sentence's tokens among the document's and finds its lexicon phrases, mentions and
/// actors; `may_act` is false for a sentence after the last token where an action phrase
/// matches, which has none.
fn prepare<'d>(
    document: &'d [Token<'d>],
    numbers: &'d [usize],
    sentence: Sentence,
    may_act: bool,
    mentions: &[&'d Mention],
    lex: &Lexicon,
) -> Prepared<'d> {
    let tokens = &document[sentence.tokens.clone()];
    let first = numbers.partition_point(|&k| k < sentence.tokens.start);
    let last = first + numbers[first..].partition_point(|&k| k < sentence.tokens.end);
    let numbers = &numbers[first..last];
    let first = mentions.partition_point(|m| m.bytes.start < sentence.range.start);
    let mentions = mentions[first..]
        .iter()
        .take_while(|m| m.bytes.start < sentence.range.end)
        .filter(|m| m.bytes.end <= sentence.range.end)
        .filter_map(|&mention| {
            let start = tokens.partition_point(|t| t.start < mention.bytes.start);
            let end = tokens.partition_point(|t| t.end <= mention.bytes.end);
            (start < end).then_some(SentenceMention {
                mention,
                tokens: start..end,
            })
        })
        .collect::<Vec<_>>();
    let mut in_mention = if mentions.is_empty() {
        Vec::new()
    } else {
        vec![false; tokens.len()]
    };
    for sm in &mentions {
        for flag in &mut in_mention[sm.tokens.clone()] {
            *flag = true;
        }
    }
    // Most sentences have no action: the few tables that matter to them are enough there, and
    // after the last action the actor heads alone (the dates there come after every event).
    let phrases = if !may_act {
        lex.actor_head_phrases.matches(tokens)
    } else {
        let core = lex.core_phrases.matches(tokens);
        if core.any(Table::Action) {
            core.with(lex.other_phrases.matches(tokens))
        } else {
            core
        }
    };
    // Actors matter to a sentence's events and to the weight of its places in the main place:
    // none in a sentence with neither.
    let actors = if mentions.is_empty() && !phrases.any(Table::Action) {
        Vec::new()
    } else {
        actor::actors(tokens, &phrases, &in_mention, lex)
    };
    Prepared {
        sentence,
        tokens,
        numbers,
        phrases,
        mentions,
        in_mention,
        actors,
    }
}

/// The document's main place: the toponym named most often (the first on ties), else the most
/// named demonym's country.
fn main_place<'d>(prepared: &[Prepared<'d>]) -> Option<&'d Mention> {
    let mut best: Option<(&Mention, usize, usize)> = None;
    for kind in [MentionKind::Toponym, MentionKind::Demonym] {
        let mut counts: HashMap<u32, (usize, usize, &Mention)> = HashMap::new();
        let mut order = 0;
        for p in prepared {
            let actors = &p.actors;
            for sm in p.mentions.iter().filter(|sm| sm.mention.kind == kind) {
                // A place inside an actor's name («le ministre de la Justice d'Arménie») counts
                // for less than a place where things happen.
                let weight = if actors
                    .iter()
                    .any(|a| a.start <= sm.tokens.start && sm.tokens.end <= a.end)
                {
                    1
                } else {
                    2
                };
                let e = counts
                    .entry(sm.mention.place.id)
                    .or_insert((0, order, sm.mention));
                e.0 += weight;
                order += 1;
            }
        }
        for (count, first, m) in counts.into_values() {
            if best.is_none_or(|(_, c, f)| count > c || (count == c && first < f)) {
                best = Some((m, count, first));
            }
        }
        if best.is_some() {
            break;
        }
    }
    best.map(|(m, _, _)| m)
}

/// An action found in a sentence.
struct Trigger<'l> {
    tokens: Range<usize>,
    action: &'l Action,
}

/// The events of one sentence; updates the narrative date.
fn sentence_events(
    p: &Prepared<'_>,
    next: Option<&Prepared<'_>>,
    lex: &Lexicon,
    ctx: &DocContext<'_>,
    narrative: &mut Narrative,
) -> Vec<Event> {
    let tokens = p.tokens;
    let phrases = &p.phrases;
    let in_mention = &p.in_mention;
    let first = p.sentence.tokens.start;
    let numbers = p.numbers.iter().map(|&k| k - first);
    let dates = date::find(tokens, phrases, numbers, &lex.dates, ctx.published);
    let actors = &p.actors;
    // Claims and the places' roles only matter to a sentence with an action.
    let claims = if phrases.any(Table::Action) {
        // A date may stand between an inverted speech verb and its source.
        let mut date_mask = vec![false; tokens.len()];
        for d in &dates {
            for flag in &mut date_mask[d.tokens.clone()] {
                *flag = true;
            }
        }
        actor::claims(tokens, phrases, actors, &date_mask, lex)
    } else {
        Vec::new()
    };
    let mut triggers = triggers(tokens, phrases, lex, &claims);
    triggers.retain(|t| !t.action.speech_act || said_jointly(p, t.tokens.start, lex));
    let roles = if triggers.is_empty() {
        Vec::new()
    } else {
        place::roles(
            tokens,
            phrases,
            &p.mentions,
            in_mention,
            actors,
            &claims,
            lex,
        )
    };
    let span = |r: &Range<usize>| token_span(ctx.text, tokens, r);
    let explicit: Vec<&DateMatch> = dates.iter().filter(|d| d.date.is_some()).collect();
    let earlier = dates.iter().any(|d| d.date.is_none());
    let mut events = Vec::new();
    for group in group_by_type(&triggers) {
        let lead = group
            .iter()
            .copied()
            .max_by_key(|t| (t.action.priority, std::cmp::Reverse(t.tokens.start)))
            .unwrap_or(group[0]);
        let at = group[0].tokens.start;
        let mut evidence: Vec<Evidence> = group
            .iter()
            .map(|t| Evidence {
                role: EvidenceRole::Action,
                span: span(&t.tokens),
            })
            .collect();
        let date = explicit
            .iter()
            .min_by_key(|d| d.tokens.start.abs_diff(at))
            .and_then(|d| {
                Some(EventDate {
                    date: d.date?,
                    precision: d.precision,
                    span: Some(span(&d.tokens)),
                })
            })
            .or_else(|| match (earlier, &*narrative) {
                (true, _) | (false, Narrative::Unknown) => None,
                // A day or a week told before carries on; a year or a month told in another
                // sentence ("since 2013") is no date of this event.
                (false, Narrative::Known(d))
                    if matches!(d.precision, DatePrecision::Day | DatePrecision::Week) =>
                {
                    Some(d.clone())
                }
                (false, Narrative::Known(_)) => None,
                (false, Narrative::NotYet) => ctx.published.map(|date| EventDate {
                    date,
                    precision: DatePrecision::Day,
                    span: None,
                }),
            });
        if let Some(d) = date.as_ref().and_then(|d| d.span.clone()) {
            evidence.push(Evidence {
                role: EvidenceRole::Date,
                span: d,
            });
        }
        let claim = claims
            .iter()
            .min_by_key(|c| (c.marker.start > at, c.marker.start.abs_diff(at)));
        let claim_span = claim.map(|c| span(&c.source));
        if let Some(c) = claim {
            evidence.push(Evidence {
                role: EvidenceRole::Claim,
                span: span(&c.marker),
            });
        }
        let event_actors: Vec<TextSpan> = actors
            .iter()
            .filter(|a| {
                claim.is_none_or(|c: &Claim| a.end <= c.source.start || a.start >= c.source.end)
            })
            .map(&span)
            .collect();
        evidence.extend(event_actors.iter().map(|a| Evidence {
            role: EvidenceRole::Actor,
            span: a.clone(),
        }));
        let clause = place::clause_end(tokens, at, &lex.markers.clause_openers);
        let located = locate(
            p,
            next,
            &roles,
            lead,
            &group,
            clause,
            actors,
            ctx,
            &mut evidence,
        );
        let Some((geometry, places, precision, role)) = located else {
            continue;
        };
        let geo_precision = geo_precision(p, ctx, &places, precision);
        let hedge = phrases.find(Table::Hedge);
        let denial = phrases.find(Table::Denial);
        for h in &hedge {
            evidence.push(Evidence {
                role: EvidenceRole::Hedge,
                span: span(&h.tokens),
            });
        }
        for d in &denial {
            evidence.push(Evidence {
                role: EvidenceRole::Negation,
                span: span(&d.tokens),
            });
        }
        let weight = group.iter().map(|t| t.action.weight).fold(0.0, f64::max);
        let confidence = confidence(
            weight,
            precision,
            role,
            date.as_ref(),
            claim.is_some(),
            !hedge.is_empty(),
            !denial.is_empty(),
        );
        events.push(Event {
            event_type: lead.action.event_type,
            sub_type: lead.action.sub_type.clone(),
            action: lead.action.name.clone(),
            date,
            geometry,
            places,
            location_precision: precision,
            geo_precision,
            actors: event_actors,
            claim: claim_span,
            sentence: ctx.text.span(p.sentence.range.clone()),
            evidence,
            confidence,
            mentions: Vec::new(),
            fatalities: None,
            wounded: None,
        });
    }
    if let Some(d) = explicit.last() {
        if let Some(date) = d.date {
            *narrative = Narrative::Known(EventDate {
                date,
                precision: d.precision,
                span: Some(span(&d.tokens)),
            });
        }
    } else if earlier {
        *narrative = Narrative::Unknown;
    }
    events
}

/// The actions of a sentence that make events: not negated, not inside a claim's source, not a
/// capitalised word inside the sentence (`March`, a name), weak ones only when alone.
fn triggers<'l>(
    tokens: &[Token],
    phrases: &Matches,
    lex: &'l Lexicon,
    claims: &[Claim],
) -> Vec<Trigger<'l>> {
    let disaster = phrases.any(Table::Disaster);
    let civilians = phrases.any(Table::Civilians);
    let all: Vec<Trigger<'l>> = phrases
        .find(Table::Action)
        .into_iter()
        .filter_map(|PhraseMatch { tokens: r, id }| {
            Some(Trigger {
                action: lex.actions.get(id)?,
                tokens: r,
            })
        })
        .filter(|t| {
            t.tokens.start == 0
                || !tokens[t.tokens.start].capital
                || after_quote(tokens, t.tokens.start)
        })
        .filter(|t| {
            !claims.iter().any(|c| {
                !c.subject && c.source.start <= t.tokens.start && t.tokens.end <= c.source.end
            })
        })
        .filter(|t| !(disaster && t.action.weight < 1.0))
        .filter(|t| !negated(tokens, phrases, t.tokens.start))
        .filter(|t| !unreal(tokens, phrases, &t.tokens))
        .filter(|t| t.action.name == "arrests" || !charged(tokens, phrases, t.tokens.start))
        .map(|t| retype_attack_on_civilians(t, civilians, lex))
        .collect();
    let strong = all.iter().any(|t| t.action.weight > WEAK_WEIGHT);
    let all: Vec<Trigger<'l>> = all
        .into_iter()
        .filter(|t| !strong || t.action.weight > WEAK_WEIGHT)
        .collect();
    // What an appeal asks for («appelé à la fin des combats», "called for an end to the
    // fighting") did not happen: only the appeal is an event. The request ends at a comma, a
    // conjunction or after a few words.
    let appeal = all
        .iter()
        .find(|t| t.action.event_type == EventType::Diplomacy && t.action.sub_type == "Appeal")
        .map(|t| {
            let stop = (t.tokens.end..tokens.len().min(t.tokens.end + APPEAL_WINDOW))
                .find(|&i| !tokens[i].is_word() || matches!(tokens[i].lower, "et" | "and" | "y"));
            t.tokens.end..stop.unwrap_or(tokens.len().min(t.tokens.end + APPEAL_WINDOW))
        });
    let has = |ty: EventType| all.iter().any(|t| t.action.event_type == ty);
    // ACLED types a demonstration by its most violent part: stones thrown make a riot, not a
    // protest; police clashing with protesters is a protest with intervention, not a battle.
    let riot = has(EventType::Riots);
    let protest = has(EventType::Protests);
    all.into_iter()
        .filter(|t| {
            appeal.as_ref().is_none_or(|r| {
                t.action.event_type == EventType::Diplomacy || !r.contains(&t.tokens.start)
            })
        })
        .filter(|t| !(riot && t.action.event_type == EventType::Protests))
        .filter(|t| !(protest && !riot && t.action.event_type == EventType::Battles))
        .collect()
}

/// An attack whose sentence names unarmed people («des colons ont attaqué des agriculteurs») is
/// violence against civilians, not a battle; `civilians` says whether the sentence names them.
fn retype_attack_on_civilians<'l>(
    t: Trigger<'l>,
    civilians: bool,
    lex: &'l Lexicon,
) -> Trigger<'l> {
    if t.action.event_type != EventType::Battles || !civilians {
        return t;
    }
    let civilian = lex.actions.iter().find(|a| {
        a.event_type == EventType::ViolenceAgainstCivilians
            && a.sub_type == "Attack"
            && a.weight >= 1.0
    });
    match civilian {
        Some(action) if t.action.name == "attack" => Trigger {
            action,
            tokens: t.tokens,
        },
        _ => t,
    }
}

/// Whether the token at `i` opens a quotation (a capital there starts a sentence).
fn after_quote(tokens: &[Token], i: usize) -> bool {
    i > 0 && matches!(tokens[i - 1].lower, "«" | "\"" | "“" | ":" | "(")
}

/// Whether the action of `trigger` is planned, threatened, conditional or future: a marker of
/// the irrealis stands in the few words before it ("plans to attack", «menace de bombarder») or
/// right after it ("talks will continue"), with no punctuation between. A hedge that starts
/// with the same word ("may have attacked") is a past that happened, reportedly.
fn unreal(tokens: &[Token], phrases: &Matches, trigger: &Range<usize>) -> bool {
    let marker = |i: usize| {
        phrases.longest_at(Table::Irrealis, i).is_some()
            && phrases.longest_at(Table::Hedge, i).is_none()
    };
    let from = trigger.start.saturating_sub(IRREALIS_WINDOW);
    let before = (from..trigger.start)
        .rev()
        .take_while(|&i| tokens[i].is_word())
        .any(marker);
    let to = tokens.len().min(trigger.end + IRREALIS_AFTER);
    before
        || (trigger.end..to)
            .take_while(|&i| tokens[i].is_word())
            .any(marker)
}

/// Whether the action at token `at` names a charge or a court's decision ("charged with
/// assault", «condamné pour meurtre»): a marker of courts stands in the words before it, with no
/// punctuation between.
fn charged(tokens: &[Token], phrases: &Matches, at: usize) -> bool {
    let from = at.saturating_sub(COURT_WINDOW);
    (from..at)
        .rev()
        .take_while(|&i| tokens[i].is_word())
        .any(|i| phrases.longest_at(Table::Court, i).is_some())
}

/// Whether several states say a speech act together: two countries or more are named (or named
/// by a demonym) in its clause before it («les dirigeants de la Russie, des États-Unis et de la
/// France … ont appelé»), which makes it a diplomatic act between them rather than words alone.
fn said_jointly(p: &Prepared<'_>, at: usize, lex: &Lexicon) -> bool {
    let tokens = p.tokens;
    let start = (1..at)
        .rev()
        .find(|&i| {
            matches!(tokens[i - 1].lower, ";" | ":")
                || (tokens[i - 1].lower == ","
                    && lex.markers.conjunctions.contains(tokens[i].lower))
        })
        .unwrap_or(0);
    let mut countries: Vec<&str> = p
        .mentions
        .iter()
        .filter(|sm| sm.tokens.start >= start && sm.tokens.end <= at)
        .filter(|sm| {
            sm.mention.kind == MentionKind::Demonym || sm.mention.place.kind() == PlaceKind::Country
        })
        .map(|sm| sm.mention.place.country.as_str())
        .filter(|c| !c.is_empty())
        .collect();
    countries.sort_unstable();
    countries.dedup();
    countries.len() >= 2
}

/// Whether a negation stands in the few words before token `at`, with no punctuation between.
fn negated(tokens: &[Token], phrases: &Matches, at: usize) -> bool {
    let from = at.saturating_sub(NEGATION_WINDOW);
    (from..at)
        .rev()
        .take_while(|&i| tokens[i].is_word())
        .any(|i| {
            phrases
                .longest_at(Table::Negation, i)
                .is_some_and(|(len, _)| i + len <= at)
        })
}

/// Groups triggers by event type, in the order each type first appears.
fn group_by_type<'t, 'l>(triggers: &'t [Trigger<'l>]) -> Vec<Vec<&'t Trigger<'l>>> {
    let mut groups: Vec<(EventType, Vec<&Trigger<'l>>)> = Vec::new();
    for t in triggers {
        match groups.iter_mut().find(|(ty, _)| *ty == t.action.event_type) {
            Some((_, g)) => g.push(t),
            None => groups.push((t.action.event_type, vec![t])),
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

/// The span of a token range of a sentence.
fn token_span(text: &Text<'_>, tokens: &[Token], r: &Range<usize>) -> TextSpan {
    match (
        tokens.get(r.start),
        r.end.checked_sub(1).and_then(|e| tokens.get(e)),
    ) {
        (Some(a), Some(b)) if r.start < r.end => text.span(a.start..b.end),
        (Some(a), _) => text.span(a.start..a.start),
        _ => text.span(0..0),
    }
}

/// An event's place from a gazetteer mention.
fn event_place(text: &Text<'_>, m: &Mention, named_here: bool) -> EventPlace {
    EventPlace {
        place_id: m.place.id,
        name: m.place.name.to_string(),
        lat: m.place.lat,
        lon: m.place.lon,
        country: m.place.country.to_string(),
        mention: named_here.then(|| text.span(m.bytes.clone())),
    }
}

/// Where an event happened: its geometry, places, precision and the role of its place.
type Located = (
    EventGeometry,
    Vec<EventPlace>,
    LocationPrecision,
    Option<Role>,
);

/// Chooses the geometry of an event: a movement's line (through the places of the clause that
/// ends at token `clause`), the best place of the sentence, a country an actor names, or the
/// document's main place.
#[allow(clippy::too_many_arguments)]
fn locate(
    p: &Prepared<'_>,
    next: Option<&Prepared<'_>>,
    roles: &[(Role, Option<usize>)],
    lead: &Trigger<'_>,
    group: &[&Trigger<'_>],
    clause: usize,
    actors: &[Range<usize>],
    ctx: &DocContext<'_>,
    evidence: &mut Vec<Evidence>,
) -> Option<Located> {
    let at = group[0].tokens.start;
    let place_evidence = |evidence: &mut Vec<Evidence>, i: usize| {
        let sm = &p.mentions[i];
        evidence.push(Evidence {
            role: EvidenceRole::Place,
            span: ctx.text.span(sm.mention.bytes.clone()),
        });
        if let (Role::Via | Role::To | Role::From, Some(t)) = roles[i] {
            evidence.push(Evidence {
                role: EvidenceRole::Movement,
                span: token_span(ctx.text, p.tokens, &(t..t + 1)),
            });
        }
    };
    if let Some(mover) = group.iter().find(|t| t.action.movement) {
        let mut path = place::path(&p.mentions, roles, mover.tokens.start, clause);
        if !path.is_empty() {
            for &i in &path {
                place_evidence(evidence, i);
            }
            let mut places: Vec<EventPlace> = path
                .drain(..)
                .map(|i| event_place(ctx.text, p.mentions[i].mention, true))
                .collect();
            if !roles.iter().any(|r| r.0 == Role::From)
                && let Some(origin) = origin(p, next, &places)
            {
                places.insert(0, event_place(ctx.text, origin, true));
            }
            let geometry = if places.len() >= 2 {
                EventGeometry::Line {
                    coords: places.iter().map(|pl| [pl.lon, pl.lat]).collect(),
                }
            } else {
                EventGeometry::Point {
                    lon: places[0].lon,
                    lat: places[0].lat,
                }
            };
            return Some((geometry, places, LocationPrecision::Exact, Some(Role::To)));
        }
    }
    let diplomacy = lead.action.event_type == EventType::Diplomacy;
    if let Some((i, role)) = place::choose(&p.mentions, roles, at, clause, diplomacy) {
        place_evidence(evidence, i);
        let precision = match (diplomacy, lead.action.sub_type.as_str(), role) {
            (false, _, _) | (true, "Talks" | "Meeting", Role::Locative) => LocationPrecision::Exact,
            _ => LocationPrecision::About,
        };
        let pl = event_place(ctx.text, p.mentions[i].mention, true);
        return Some((point(&pl), vec![pl], precision, Some(role)));
    }
    // A government acting at home: «le président de l'Azerbaïdjan a décrété la loi martiale».
    if matches!(
        lead.action.event_type,
        EventType::StrategicDevelopments | EventType::Protests
    ) {
        let own = p.mentions.iter().enumerate().find(|(i, sm)| {
            roles[*i].0 == Role::Actor
                && matches!(
                    sm.mention.place.kind(),
                    PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Region
                )
                && actors
                    .iter()
                    .any(|a| a.start <= sm.tokens.start && sm.tokens.end <= a.end)
        });
        if let Some((i, sm)) = own {
            place_evidence(evidence, i);
            let pl = event_place(ctx.text, sm.mention, true);
            return Some((
                point(&pl),
                vec![pl],
                LocationPrecision::Exact,
                Some(Role::Actor),
            ));
        }
    }
    let main = ctx.main_place?;
    let pl = event_place(ctx.text, main, false);
    Some((point(&pl), vec![pl], LocationPrecision::Document, None))
}

/// ACLED's `geo_precision` of an event's first place: 1 for a town, 2 for a district, 3 for a
/// region, a country or the document's place.
fn geo_precision(
    p: &Prepared<'_>,
    ctx: &DocContext<'_>,
    places: &[EventPlace],
    precision: LocationPrecision,
) -> u8 {
    let Some(first) = places.first() else {
        return 3;
    };
    let mention = p
        .mentions
        .iter()
        .map(|sm| sm.mention)
        .chain(ctx.main_place)
        .find(|m| m.place.id == first.place_id);
    match (precision, mention.map(|m| m.place.kind())) {
        (LocationPrecision::Document, _) => 3,
        (_, Some(PlaceKind::City | PlaceKind::Capital | PlaceKind::Other)) => 1,
        (_, Some(PlaceKind::Admin2)) => 2,
        _ => 3,
    }
}

/// A point at a place.
fn point(place: &EventPlace) -> EventGeometry {
    EventGeometry::Point {
        lon: place.lon,
        lat: place.lat,
    }
}

/// The origin of a movement that names none: the country of a demonym of the sentence
/// («militants syriens») that no waypoint lies in, or better a place of that country named in
/// the sentence or the next one («la région d'Alep»), which may open the next paragraph.
fn origin<'d>(
    p: &Prepared<'d>,
    next: Option<&Prepared<'d>>,
    path: &[EventPlace],
) -> Option<&'d Mention> {
    let demonym = p.mentions.iter().map(|sm| sm.mention).find(|m| {
        m.kind == MentionKind::Demonym
            && !m.place.country.is_empty()
            && !path.iter().any(|pl| pl.country == m.place.country)
    })?;
    let in_country = |m: &&Mention| {
        m.kind == MentionKind::Toponym
            && m.place.country == demonym.place.country
            && m.place.kind() != PlaceKind::Country
    };
    p.mentions
        .iter()
        .chain(next.into_iter().flat_map(|n| n.mentions.iter()))
        .map(|sm| sm.mention)
        .find(in_country)
        .or(Some(demonym))
}

/// The confidence of an event in [0, 1].
fn confidence(
    weight: f64,
    precision: LocationPrecision,
    role: Option<Role>,
    date: Option<&EventDate>,
    claimed: bool,
    hedged: bool,
    denied: bool,
) -> f64 {
    let place = match (precision, role) {
        (LocationPrecision::Exact, Some(Role::Locative | Role::Target | Role::To | Role::Via)) => {
            0.25
        }
        (LocationPrecision::Exact, _) => 0.15,
        (LocationPrecision::About, _) => 0.15,
        (LocationPrecision::Document, _) => 0.05,
    };
    let when = match date {
        Some(EventDate { span: Some(_), .. }) => 0.1,
        Some(_) => 0.05,
        None => 0.0,
    };
    let mut c = 0.55 * weight + place + when + if claimed { 0.05 } else { 0.0 };
    if hedged {
        c *= 0.7;
    }
    if denied {
        c *= 0.6;
    }
    c.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::BUILTIN;

    #[test]
    fn version_follows_the_lexicons() {
        let builtin = Extractor::new().expect("built-in lexicons");
        let again = Extractor::with_lexicons(Lexicon::builtin().expect("built-in lexicons"));
        assert_eq!(builtin.version(), again.version());
        assert!(
            builtin
                .version()
                .starts_with(concat!("extract-", env!("CARGO_PKG_VERSION"), "+"))
        );
        let edited = BUILTIN
            .iter()
            .map(|(lang, source)| {
                let source = if *lang == "es" {
                    source.replace("\"ayer\"", "\"ayer\", \"anteayer\"")
                } else {
                    (*source).to_owned()
                };
                Lexicon::from_toml(&source)
            })
            .collect::<Result<Vec<_>>>()
            .expect("edited lexicons");
        assert_ne!(
            Extractor::with_lexicons(edited).version(),
            builtin.version()
        );
        let fewer = Extractor::with_lexicons(Lexicon::builtin().expect("lexicons")[..2].to_vec());
        assert_ne!(fewer.version(), builtin.version());
    }
}
