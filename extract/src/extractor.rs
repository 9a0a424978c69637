//! The extractor: from a document and its place mentions to events, one sentence at a time.

use crate::actor::{self, Claim};
use crate::date::{self, DateMatch};
use crate::document_place;
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
use crate::sides::{self, Sides};
use crate::text::{Notes, Text, Token, tokenize, tokenize_with_notes};
use chrono::Datelike;
use gazetteer::{Gazetteer, GeoparseOptions, Mention, MentionKind, PlaceKind};
use std::ops::Range;

/// How many tokens before an action a negation still negates it.
const NEGATION_WINDOW: usize = 4;
/// How many words before an action a plan, a threat or a condition still makes it unreal.
const IRREALIS_WINDOW: usize = 6;
/// How many words after an action a future still makes it unreal ("talks will continue").
const IRREALIS_AFTER: usize = 2;
/// How many words before an action a charge or a court still makes it the name of a charge.
const COURT_WINDOW: usize = 8;
/// How many words before a date a plan, a threat or the future makes it the date of a plan
/// ("patrols will begin along the M4 highway on March 15").
const PLAN_REACH: usize = 8;
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
    /// The document's usable place mentions, in text order.
    mentions: &'a [&'a Mention],
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
        self.extract_with_mentions_until(doc, mentions, &|| false)
            .unwrap_or_default()
    }

    /// Extracts as [`Extractor::extract_with_mentions`] does, asking `stop` before each
    /// sentence: `None` when it answered yes (the caller gave up waiting), so that a long text
    /// does not hold a thread for an answer nobody reads.
    pub fn extract_with_mentions_until(
        &self,
        doc: &Document,
        mentions: &[Mention],
        stop: &dyn Fn() -> bool,
    ) -> Option<Vec<Event>> {
        let Some(lex) = self.lexicon_for(doc) else {
            return Some(Vec::new());
        };
        let mut buffer = String::new();
        let mut notes = Notes::default();
        let tokens = tokenize_with_notes(&doc.text, 0..doc.text.len(), &mut buffer, &mut notes);
        // Events come from action phrases, and a phrase that matches in a sentence matches in
        // the whole text: a text where none matches has no event, and nothing more to read; no
        // sentence after the last token where one matches has an action.
        let Some(last_action) = lex.action_phrases.last_match(&tokens) else {
            return Some(Vec::new());
        };
        let text = Text::new(&doc.text);
        let usable = usable_mentions(&doc.text, mentions);
        let prepared: Vec<Prepared<'_>> =
            sentence::split(&doc.text, &tokens, &notes.landmarks, &lex.abbreviations)
                .into_iter()
                .map(|s| {
                    let acts = s.tokens.start <= last_action;
                    (!stop()).then(|| prepare(&tokens, &notes.numbers, s, acts, &usable, lex))
                })
                .collect::<Option<_>>()?;
        let ctx = DocContext {
            text: &text,
            main_place: document_place::main_place(
                prepared.iter().map(|p| (&p.mentions[..], &p.actors[..])),
            ),
            mentions: &usable,
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
        // The place of the paragraph's last event that its own sentence placed.
        let mut previous = None;
        for (i, p) in prepared.iter().enumerate().take(read) {
            if stop() {
                return None;
            }
            if paragraph != Some(p.sentence.paragraph) {
                paragraph = Some(p.sentence.paragraph);
                previous = None;
                if matches!(narrative, Narrative::Unknown) {
                    narrative = Narrative::NotYet;
                }
            }
            let next = prepared.get(i + 1);
            let found = sentence_events(p, next, lex, &ctx, &mut narrative, previous);
            previous = placed_here(p, &text, &found).or(previous);
            events.extend(found);
        }
        if stop() {
            return None;
        }
        Some(incidents(events, &usable, lex))
    }
}

/// The least calibrated score of a mention that may place an event or the document: below it,
/// the geoparser's place is wrong more than two times in three (Berea read as Lesotho's
/// district in a Kentucky story, Gaza as Mozambique's province), and the document's place or
/// none is the better guess.
const MIN_PLACE_SCORE: f64 = 0.3;

/// The mentions that may place an event, in text order: not inside an organisation's name,
/// likely enough to be right, not empty, on char boundaries of the text.
fn usable_mentions<'m>(text: &str, mentions: &'m [Mention]) -> Vec<&'m Mention> {
    let mut usable: Vec<&Mention> = mentions
        .iter()
        .filter(|m| {
            m.kind != MentionKind::InOrganisation
                && m.score >= MIN_PLACE_SCORE
                && m.bytes.start < m.bytes.end
                && text.get(m.bytes.clone()).is_some()
        })
        .collect();
    usable.sort_by_key(|m| m.bytes.start);
    usable
}

/// The incidents of a document's events (its restatements merged, within the regions of the
/// places its `mentions` name), each with its toll.
fn incidents(events: Vec<Event>, mentions: &[&Mention], lex: &Lexicon) -> Vec<Event> {
    let place = |id: u32| mentions.iter().find(|m| m.place.id == id).map(|m| &m.place);
    let same_region = |a: u32, b: u32| match (place(a), place(b)) {
        (Some(x), Some(y)) => document_place::same_region(x, y),
        _ => true,
    };
    let mut incidents = crate::incident::merge(events, &same_region);
    for incident in &mut incidents {
        crate::toll::fill(incident, &lex.toll);
    }
    incidents
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
    let mentions = sentence_mentions(tokens, &sentence.range, mentions);
    let in_mention = mention_flags(tokens.len(), &mentions);
    let phrases = sentence_phrases(tokens, may_act, lex);
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

/// The mentions (sorted by start) that lie wholly in a sentence of bytes `range`, with their
/// token ranges among the sentence's `tokens`.
fn sentence_mentions<'d>(
    tokens: &[Token<'_>],
    range: &Range<usize>,
    mentions: &[&'d Mention],
) -> Vec<SentenceMention<'d>> {
    let first = mentions.partition_point(|m| m.bytes.start < range.start);
    mentions[first..]
        .iter()
        .take_while(|m| m.bytes.start < range.end)
        .filter(|m| m.bytes.end <= range.end)
        .filter_map(|&mention| {
            let start = tokens.partition_point(|t| t.start < mention.bytes.start);
            let end = tokens.partition_point(|t| t.end <= mention.bytes.end);
            (start < end).then_some(SentenceMention {
                mention,
                tokens: start..end,
            })
        })
        .collect()
}

/// Which of a sentence's `len` tokens belong to a mention; empty when no mention does.
fn mention_flags(len: usize, mentions: &[SentenceMention<'_>]) -> Vec<bool> {
    let mut in_mention = if mentions.is_empty() {
        Vec::new()
    } else {
        vec![false; len]
    };
    for sm in mentions {
        for flag in &mut in_mention[sm.tokens.clone()] {
            *flag = true;
        }
    }
    in_mention
}

/// The lexicon phrases that matter to a sentence. Most sentences have no action: the few
/// tables that matter to them are enough there, and after the last action the actor heads
/// alone (the dates there come after every event).
fn sentence_phrases(tokens: &[Token<'_>], may_act: bool, lex: &Lexicon) -> Matches {
    if !may_act {
        return lex.actor_head_phrases.matches(tokens);
    }
    let core = lex.core_phrases.matches(tokens);
    if core.any(Table::Action) {
        core.with(lex.other_phrases.matches(tokens))
    } else {
        core
    }
}

/// An action found in a sentence.
struct Trigger<'l> {
    tokens: Range<usize>,
    action: &'l Action,
}

/// Where an event happened.
struct Located {
    geometry: EventGeometry,
    places: Vec<EventPlace>,
    precision: LocationPrecision,
    /// The role of its place in the sentence; `None` for the document's main place.
    role: Option<Role>,
    /// The places listed with its place ("in Batumi and Tbilisi"), each the place of an event
    /// of its own, as ACLED codes one event per location.
    also: Vec<usize>,
}

impl Located {
    /// An event at one place.
    fn at(place: EventPlace, precision: LocationPrecision, role: Option<Role>) -> Self {
        Self {
            geometry: point(&place),
            places: vec![place],
            precision,
            role,
            also: Vec::new(),
        }
    }
}

/// One sentence as its events are read: the sentence and the next one (where a movement's
/// origin may be named), the lexicon, the document, and what the sentence says that all its
/// events share (dates, claims, the roles of its places), found once.
struct Reading<'a> {
    p: &'a Prepared<'a>,
    next: Option<&'a Prepared<'a>>,
    lex: &'a Lexicon,
    ctx: &'a DocContext<'a>,
    /// The sentence's dates that name a day, a month or a year.
    explicit: Vec<&'a DateMatch>,
    /// Whether the sentence says «auparavant», "earlier".
    earlier: bool,
    claims: &'a [Claim],
    /// The role of every mention, with the token of the word that gave it.
    roles: &'a [(Role, Option<usize>)],
    /// The place of the paragraph's last event that its own sentence placed.
    previous: Option<&'a Mention>,
}

/// The place of the last of a sentence's events that the sentence itself places.
fn placed_here<'d>(p: &Prepared<'d>, text: &Text<'_>, events: &[Event]) -> Option<&'d Mention> {
    events
        .iter()
        .rev()
        .filter(|e| e.location_precision == LocationPrecision::Exact)
        .find_map(|e| {
            let span = e.places.first()?.mention.as_ref()?;
            let sm = p
                .mentions
                .iter()
                .find(|sm| text.span(sm.mention.bytes.clone()) == *span)?;
            Some(sm.mention)
        })
}

/// The events of one sentence; updates the narrative date. `previous` is the place of the
/// paragraph's last event that its sentence placed.
fn sentence_events(
    p: &Prepared<'_>,
    next: Option<&Prepared<'_>>,
    lex: &Lexicon,
    ctx: &DocContext<'_>,
    narrative: &mut Narrative,
    previous: Option<&Mention>,
) -> Vec<Event> {
    let first = p.sentence.tokens.start;
    let numbers = p.numbers.iter().map(|&k| k - first);
    let dates = date::find(p.tokens, &p.phrases, numbers, &lex.dates, ctx.published);
    let claims = sentence_claims(p, &dates, lex);
    let mut triggers = triggers(p.tokens, &p.phrases, lex, &claims);
    let request = appeal_request(p.tokens, &triggers);
    triggers.retain(|t| !t.action.speech_act || said_jointly(p, t.tokens.start, lex));
    // A call, talks or a meeting is diplomacy between states' representatives, not a police
    // officer who "spoke with family members".
    let diplomats = p.phrases.any(Table::Diplomats);
    let forces = p.phrases.any(Table::ArmedForces);
    let struck = p.phrases.any(Table::Strikes);
    triggers.retain(|t| {
        (diplomats || t.action.event_type != EventType::Diplomacy)
            && (forces || !t.action.movement)
            && (struck || !t.action.weapon)
    });
    let mut roles = if triggers.is_empty() {
        Vec::new()
    } else {
        place::roles(
            p.tokens,
            &p.phrases,
            &p.mentions,
            &p.in_mention,
            &p.actors,
            &claims,
            lex,
        )
    };
    // What an appeal asks for names no place where the sentence's events happened ("a
    // protest … calling for the release of prisoners jailed in Israel").
    if let Some(request) = request {
        for (sm, role) in p.mentions.iter().zip(&mut roles) {
            if request.contains(&sm.tokens.start) {
                *role = (Role::Request, None);
            }
        }
    }
    let reading = Reading {
        p,
        next,
        lex,
        ctx,
        explicit: dates.iter().filter(|d| d.date.is_some()).collect(),
        earlier: dates.iter().any(|d| d.date.is_none()),
        claims: &claims,
        roles: &roles,
        previous,
    };
    let mut events = Vec::new();
    for group in group_by_type(&triggers) {
        if let Some((event, also)) = reading.event(&group, narrative) {
            let listed = reading.listed_places(&event, &also);
            events.push(event);
            events.extend(listed);
        }
    }
    reading.move_narrative(narrative);
    events
}

/// The claims of a sentence, which only matter (with the places' roles) to a sentence with an
/// action. A date may stand between an inverted speech verb and its source.
fn sentence_claims(p: &Prepared<'_>, dates: &[DateMatch], lex: &Lexicon) -> Vec<Claim> {
    if !p.phrases.any(Table::Action) {
        return Vec::new();
    }
    let mut date_mask = vec![false; p.tokens.len()];
    for d in dates {
        for flag in &mut date_mask[d.tokens.clone()] {
            *flag = true;
        }
    }
    actor::claims(p.tokens, &p.phrases, &p.actors, &date_mask, lex)
}

/// The trigger that names the event of a group: the highest priority, the earliest on ties.
fn lead_trigger<'t, 'l>(group: &[&'t Trigger<'l>]) -> &'t Trigger<'l> {
    group
        .iter()
        .copied()
        .max_by_key(|t| (t.action.priority, std::cmp::Reverse(t.tokens.start)))
        .unwrap_or(group[0])
}

impl Reading<'_> {
    /// The span of a token range of the sentence.
    fn span(&self, r: &Range<usize>) -> TextSpan {
        token_span(self.ctx.text, self.p.tokens, r)
    }

    /// The event of a group of triggers of one type, or `None` when nothing places it, with the
    /// mentions of the places listed with its own. Its evidence comes in a fixed order:
    /// actions, date, claim, actors, places, hedges, denials.
    fn event(&self, group: &[&Trigger<'_>], narrative: &Narrative) -> Option<(Event, Vec<usize>)> {
        let lead = lead_trigger(group);
        let at = group[0].tokens.start;
        let mut evidence: Vec<Evidence> = group
            .iter()
            .map(|t| Evidence {
                role: EvidenceRole::Action,
                span: self.span(&t.tokens),
            })
            .collect();
        let date = self.date_at(at, narrative);
        if let Some(d) = date.as_ref().and_then(|d| d.span.clone()) {
            evidence.push(Evidence {
                role: EvidenceRole::Date,
                span: d,
            });
        }
        if self.biography(at, date.as_ref()) || self.summed_up(group, date.as_ref()) {
            return None;
        }
        let claim = self.claim_near(at, &mut evidence);
        let actor_ranges = self.actors_outside(claim);
        let sides = self.sides(lead, &actor_ranges);
        let actors: Vec<TextSpan> = actor_ranges.iter().map(|a| self.span(a)).collect();
        evidence.extend(actors.iter().map(|a| Evidence {
            role: EvidenceRole::Actor,
            span: a.clone(),
        }));
        let located = self.locate(lead, group, &mut evidence)?;
        // "France and Germany condemned the attack": an incident told only as what somebody
        // condemns, urges or denounces is told elsewhere or not at all, when it has no place of
        // its own or is named as one known ("denounced the bombing of Aleppo" at a rally in
        // Toronto); the condemnation is no event.
        let condemned = group.iter().map(|t| {
            object_of_speech_act(self.p.tokens, &self.p.phrases, self.lex, t.tokens.start)
        });
        if condemned
            .map(|c| c.map(|definite| definite || located.precision == LocationPrecision::Document))
            .all(|c| c == Some(true))
        {
            return None;
        }
        let (hedged, denied) = self.hedges_and_denials(&mut evidence);
        let weight = group.iter().map(|t| t.action.weight).fold(0.0, f64::max);
        let confidence = confidence(
            weight,
            &located,
            date.as_ref(),
            claim.is_some(),
            hedged,
            denied,
        );
        let geo_precision = geo_precision(self.p, self.ctx, &located.places, located.precision);
        let event = Event {
            event_type: lead.action.event_type,
            sub_type: lead.action.sub_type.clone(),
            action: lead.action.name.clone(),
            date,
            geometry: located.geometry,
            places: located.places,
            location_precision: located.precision,
            geo_precision,
            actors,
            actor1: sides.actor1.map(|r| self.span(&r)),
            actor2: sides.actor2.map(|r| self.span(&r)),
            claim: claim.map(|c| self.span(&c.source)),
            sentence: self.ctx.text.span(self.p.sentence.range.clone()),
            evidence,
            confidence,
            mentions: Vec::new(),
            fatalities: None,
            wounded: None,
        };
        Some((event, located.also))
    }

    /// The claim whose marker is nearest the action at token `at` (one before it first), with
    /// its marker as evidence.
    fn claim_near(&self, at: usize, evidence: &mut Vec<Evidence>) -> Option<&Claim> {
        let claim = self
            .claims
            .iter()
            .min_by_key(|c| (c.marker.start > at, c.marker.start.abs_diff(at)))?;
        evidence.push(Evidence {
            role: EvidenceRole::Claim,
            span: self.span(&claim.marker),
        });
        Some(claim)
    }

    /// The date of an event at token `at`: the sentence's explicit date nearest it with the fewest
    /// commas between, else the narrative's (the publication date before any), none after
    /// «auparavant», "earlier".
    fn date_at(&self, at: usize, narrative: &Narrative) -> Option<EventDate> {
        self.explicit
            .iter()
            .min_by_key(|d| {
                (
                    self.commas_between(&d.tokens, at),
                    d.tokens.start.abs_diff(at),
                )
            })
            .and_then(|d| {
                Some(EventDate {
                    date: d.date?,
                    precision: d.precision,
                    span: Some(self.span(&d.tokens)),
                })
            })
            .or_else(|| match (self.earlier, narrative) {
                (true, _) | (false, Narrative::Unknown) => None,
                // A day or a week told before carries on; a year or a month told in another
                // sentence ("since 2013") is no date of this event.
                (false, Narrative::Known(d))
                    if matches!(d.precision, DatePrecision::Day | DatePrecision::Week) =>
                {
                    Some(d.clone())
                }
                (false, Narrative::Known(_)) => None,
                (false, Narrative::NotYet) => self.ctx.published.map(|date| EventDate {
                    date,
                    precision: DatePrecision::Day,
                    span: None,
                }),
            })
    }

    /// Whether the action at token `at` is a person's past, told in a relative clause about
    /// them ("al-Burhan, who joined the army in 1981 and fought in Darfur, met …"): its clause
    /// opens with a comma and a relative pronoun of persons, and its own date is a year two or
    /// more before the publication's. Biography, not news.
    fn biography(&self, at: usize, date: Option<&EventDate>) -> bool {
        let (Some(d), Some(published)) = (date, self.ctx.published) else {
            return false;
        };
        if d.span.is_none()
            || d.precision != DatePrecision::Year
            || d.date.year() > published.year() - 2
        {
            return false;
        }
        let tokens = self.p.tokens;
        tokens[..at]
            .iter()
            .rposition(|t| t.lower == ",")
            .and_then(|c| tokens.get(c + 1))
            .is_some_and(|t| self.lex.markers.person_relatives.contains(t.lower))
    }

    /// Whether the actions of `group` are a series summed up ("Turkey has suffered a series of
    /// bombings in recent months", «une vague d'attentats»): each comes after a series noun and
    /// "of", and no day of the text dates them. A generic summary, not an incident.
    fn summed_up(&self, group: &[&Trigger<'_>], date: Option<&EventDate>) -> bool {
        let dated = date.is_some_and(|d| d.span.is_some() && d.precision == DatePrecision::Day);
        let tokens = self.p.tokens;
        let after_series = |at: usize| {
            let mut k = at;
            while k > 0 && matches!(tokens[k - 1].lower, "'" | "’") {
                k -= 1;
            }
            k >= 2
                && matches!(tokens[k - 1].lower, "of" | "de" | "d")
                && self.lex.markers.series.contains(tokens[k - 2].lower)
        };
        !dated && group.iter().all(|t| after_series(t.tokens.start))
    }

    /// How many commas part the date at `date` from the action at token `at`: a date of the
    /// action's own clause comes first ("al-Burhan, who joined the army in 1981, met the
    /// president in Cairo on Monday" met on Monday; "shelled Martuni on Sunday, three days after
    /// a truce" on Sunday), the nearest among those of one clause.
    fn commas_between(&self, date: &Range<usize>, at: usize) -> usize {
        let between = if date.start > at {
            at..date.start
        } else {
            date.end.min(at)..at
        };
        self.p.tokens[between]
            .iter()
            .filter(|t| t.lower == ",")
            .count()
    }

    /// The narrative date after the sentence: its last explicit date that no plan, threat or
    /// future comes before ("patrols will begin on March 15" leaves the narrative where it
    /// was), else unknown after «auparavant», else as it was.
    fn move_narrative(&self, narrative: &mut Narrative) {
        let planned = self.p.phrases.find(Table::Irrealis);
        let told = self.explicit.iter().rev().find(|d| {
            let clause = d.tokens.start.saturating_sub(PLAN_REACH)..d.tokens.start;
            planned.iter().all(|m| !clause.contains(&m.tokens.start))
        });
        if let Some(d) = told {
            if let Some(date) = d.date {
                *narrative = Narrative::Known(EventDate {
                    date,
                    precision: d.precision,
                    span: Some(self.span(&d.tokens)),
                });
            }
        } else if self.earlier {
            *narrative = Narrative::Unknown;
        }
    }

    /// The sentence's actors, as token ranges, but those inside the source of the event's
    /// claim.
    fn actors_outside(&self, claim: Option<&Claim>) -> Vec<Range<usize>> {
        self.p
            .actors
            .iter()
            .filter(|a| {
                claim.is_none_or(|c: &Claim| a.end <= c.source.start || a.start >= c.source.end)
            })
            .cloned()
            .collect()
    }

    /// Whether only articles, coordinating words and place names stand between the start of
    /// the sentence or the last comma and token `at`: a place there is a subject («La Russie et
    /// l'Ukraine ont signé»), not an object ("discussed Nagorno-Karabakh by phone").
    fn opens_clause(&self, at: usize) -> bool {
        let m = &self.lex.markers;
        self.p.tokens[..at]
            .iter()
            .enumerate()
            .rev()
            .take_while(|(_, t)| t.lower != ",")
            .all(|(k, t)| {
                m.articles.contains(t.lower)
                    || m.and_words.contains(t.lower)
                    || matches!(t.lower, "'" | "’")
                    || self.p.in_mention.get(k).copied().unwrap_or(false)
            })
    }

    /// Who did what to whom for the action of `lead`: among the actors outside the claim's
    /// source and the places the sentence names bare before the action, its subjects («Israël
    /// a mené des frappes»; a bare place after it is a target, not a party).
    fn sides(&self, lead: &Trigger<'_>, actors: &[Range<usize>]) -> Sides {
        let mut parties = actors.to_vec();
        let bare = self.p.mentions.iter().zip(self.roles);
        parties.extend(bare.filter_map(|(sm, (role, _))| {
            let subject = *role == Role::Bare
                && sm.mention.kind == MentionKind::Toponym
                && sm.tokens.end <= lead.tokens.start
                && self.opens_clause(sm.tokens.start);
            subject.then(|| sm.tokens.clone())
        }));
        let movement = lead.action.movement;
        sides::sides(self.p.tokens, &parties, &lead.tokens, movement, self.lex)
    }

    /// Adds the sentence's hedges and denials to an event's evidence; says whether there were
    /// any of each.
    fn hedges_and_denials(&self, evidence: &mut Vec<Evidence>) -> (bool, bool) {
        let hedges = self.p.phrases.find(Table::Hedge);
        let denials = self.p.phrases.find(Table::Denial);
        evidence.extend(hedges.iter().map(|h| Evidence {
            role: EvidenceRole::Hedge,
            span: self.span(&h.tokens),
        }));
        evidence.extend(denials.iter().map(|d| Evidence {
            role: EvidenceRole::Negation,
            span: self.span(&d.tokens),
        }));
        (!hedges.is_empty(), !denials.is_empty())
    }

    /// Chooses where an event happened: a movement's line (through the places of the clause
    /// around its first action), the best place of the sentence, a country an actor names, or
    /// the document's main place. Adds the evidence of the places it takes.
    fn locate(
        &self,
        lead: &Trigger<'_>,
        group: &[&Trigger<'_>],
        evidence: &mut Vec<Evidence>,
    ) -> Option<Located> {
        let at = group[0].tokens.start;
        let clause = place::clause_end(self.p.tokens, at, &self.lex.markers.clause_openers);
        if let Some(mover) = group.iter().find(|t| t.action.movement)
            && let Some(line) = self.movement(mover, clause, evidence)
        {
            return Some(line);
        }
        self.sentence_place(lead, at, clause, evidence)
            .or_else(|| self.home_government(lead, evidence))
            .or_else(|| self.local_police(lead, evidence))
            .or_else(|| self.leaders_country(lead))
            .or_else(|| self.previous_place())
            .or_else(|| self.document_place())
    }

    /// Where a call or a meeting between leaders that its sentence does not place goes when
    /// the document's main place is in none of their countries ("Biden spoke with Netanyahu by
    /// phone" in an article from Rafah): the document's first mention of one of those
    /// countries, the country itself before a place in it.
    fn leaders_country(&self, lead: &Trigger<'_>) -> Option<Located> {
        if lead.action.event_type != EventType::Diplomacy {
            return None;
        }
        let countries: Vec<&str> = (self.p.phrases.find(Table::Diplomats).iter())
            .filter_map(|m| self.lex.leader_countries.get(m.id.checked_sub(1)?))
            .map(String::as_str)
            .collect();
        let main = self.ctx.main_place.map(|m| m.place.country.as_str());
        if countries.is_empty() || main.is_some_and(|c| countries.contains(&c)) {
            return None;
        }
        let mention = (self.ctx.mentions.iter())
            .filter(|m| countries.contains(&m.place.country.as_str()))
            .min_by_key(|m| !m.place.feature_code.starts_with("PCL"))?;
        let pl = event_place(self.ctx.text, mention, false);
        Some(Located::at(pl, LocationPrecision::Document, None))
    }

    /// A movement's line through the places of the clause that ends at token `clause`, from
    /// the origin a demonym gives when the sentence names none; `None` without a waypoint.
    fn movement(
        &self,
        mover: &Trigger<'_>,
        clause: usize,
        evidence: &mut Vec<Evidence>,
    ) -> Option<Located> {
        let p = self.p;
        let path = place::path(&p.mentions, self.roles, mover.tokens.start, clause);
        if path.is_empty() {
            return None;
        }
        for &i in &path {
            self.place_evidence(evidence, i);
        }
        let mut places: Vec<EventPlace> = path
            .into_iter()
            .map(|i| event_place(self.ctx.text, p.mentions[i].mention, true))
            .collect();
        if !self.roles.iter().any(|r| r.0 == Role::From)
            && let Some(origin) = origin(p, self.next, &places)
        {
            places.insert(0, event_place(self.ctx.text, origin, true));
        }
        let geometry = if places.len() >= 2 {
            EventGeometry::Line {
                coords: places.iter().map(|pl| [pl.lon, pl.lat]).collect(),
            }
        } else {
            point(&places[0])
        };
        Some(Located {
            geometry,
            places,
            precision: LocationPrecision::Exact,
            role: Some(Role::To),
            also: Vec::new(),
        })
    }

    /// The best place of the sentence for an event at token `at`; a diplomatic event is only
    /// about there, unless it is talks or a meeting held there.
    fn sentence_place(
        &self,
        lead: &Trigger<'_>,
        at: usize,
        clause: usize,
        evidence: &mut Vec<Evidence>,
    ) -> Option<Located> {
        let diplomacy = lead.action.event_type == EventType::Diplomacy;
        let sentence = (self.p.tokens, &self.p.phrases);
        let (i, role) = place::choose(
            sentence,
            &self.p.mentions,
            self.roles,
            (at, clause),
            diplomacy,
            self.ctx.main_place.map(|m| m.place.country.as_str()),
        )?;
        self.place_evidence(evidence, i);
        let precision = match (diplomacy, lead.action.sub_type.as_str(), role) {
            (false, _, _) | (true, "Talks" | "Meeting", Role::Locative) => LocationPrecision::Exact,
            _ => LocationPrecision::About,
        };
        let mention = self.p.mentions[i].mention;
        if !diplomacy && let Some(town) = self.document_town_within(&mention.place) {
            // "Protesters visit homes of AIG executives" in Connecticut, in an article on
            // Fairfield: the clause names the state, the document the town.
            let pl = event_place(self.ctx.text, town, false);
            return Some(Located::at(pl, LocationPrecision::Document, Some(role)));
        }
        let pl = event_place(self.ctx.text, mention, true);
        let mut located = Located::at(pl, precision, Some(role));
        if matches!(role, Role::Locative | Role::Target) {
            located.also =
                place::coordinated(self.p.tokens, &self.p.mentions, i, &self.lex.markers);
        }
        Some(located)
    }

    /// The event at each place listed with the event's own ("arrested in Batumi and
    /// Tbilisi"): the same report, with that place and its evidence.
    fn listed_places(&self, event: &Event, also: &[usize]) -> Vec<Event> {
        let own = event.places.first().and_then(|pl| pl.mention.clone());
        also.iter()
            .map(|&j| {
                let pl = event_place(self.ctx.text, self.p.mentions[j].mention, true);
                let mut copy = event.clone();
                for ev in &mut copy.evidence {
                    if ev.role == EvidenceRole::Place && Some(&ev.span) == own.as_ref() {
                        ev.span = self.ctx.text.span(self.p.mentions[j].mention.bytes.clone());
                    }
                }
                copy.geo_precision = geo_precision(
                    self.p,
                    self.ctx,
                    std::slice::from_ref(&pl),
                    event.location_precision,
                );
                copy.geometry = point(&pl);
                copy.places = vec![pl];
                copy
            })
            .collect()
    }

    /// The document's main place when it is a town inside `area`, a country or a first-level
    /// division that the sentence names: the town narrows what the clause left wide.
    fn document_town_within(&self, area: &gazetteer::Place) -> Option<&Mention> {
        let town = self.ctx.main_place?;
        let inside = match area.kind() {
            PlaceKind::Country => town.place.country == area.country,
            PlaceKind::Admin1 => {
                town.place.country == area.country && town.place.admin1 == area.admin1
            }
            _ => false,
        };
        (inside && matches!(town.place.kind(), PlaceKind::City | PlaceKind::Capital))
            .then_some(town)
    }

    /// A government acting at home: «le président de l'Azerbaïdjan a décrété la loi martiale»
    /// puts a strategic development (or a protest) in the country, region or province named
    /// inside an actor.
    fn home_government(&self, lead: &Trigger<'_>, evidence: &mut Vec<Evidence>) -> Option<Located> {
        if !matches!(
            lead.action.event_type,
            EventType::StrategicDevelopments | EventType::Protests
        ) {
            return None;
        }
        let wide = |kind| {
            matches!(
                kind,
                PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Region
            )
        };
        self.place_in_actor(wide, |_| true, evidence)
    }

    /// A town's police arresting: "the Athens Police Department arrested a man" puts the arrest
    /// in the town or county named inside the police's name, when nothing else in the sentence
    /// places it (local police act at home).
    fn local_police(&self, lead: &Trigger<'_>, evidence: &mut Vec<Evidence>) -> Option<Located> {
        if lead.action.sub_type != "Arrests" {
            return None;
        }
        let local = |kind| matches!(kind, PlaceKind::City | PlaceKind::Admin2);
        let police = |a: &Range<usize>| {
            self.p.tokens[a.clone()]
                .iter()
                .any(|t| self.lex.markers.police.contains(t.lower))
        };
        self.place_in_actor(local, police, evidence)
    }

    /// The first place of a kind that `kind` accepts named inside an actor that `actor`
    /// accepts, as the event's place, with its evidence.
    fn place_in_actor(
        &self,
        kind: impl Fn(PlaceKind) -> bool,
        actor: impl Fn(&Range<usize>) -> bool,
        evidence: &mut Vec<Evidence>,
    ) -> Option<Located> {
        let (i, sm) = self.p.mentions.iter().enumerate().find(|(i, sm)| {
            self.roles[*i].0 == Role::Actor
                && kind(sm.mention.place.kind())
                && self
                    .p
                    .actors
                    .iter()
                    .any(|a| a.start <= sm.tokens.start && sm.tokens.end <= a.end && actor(a))
        })?;
        self.place_evidence(evidence, i);
        let pl = event_place(self.ctx.text, sm.mention, true);
        Some(Located::at(pl, LocationPrecision::Exact, Some(Role::Actor)))
    }

    /// The place of the paragraph's last event that its sentence placed, for an event nothing in
    /// its own sentence places ("In London, thousands marched on Saturday. Police arrested 12
    /// people."): a paragraph goes on where it is, which need not be the dateline's bureau.
    fn previous_place(&self) -> Option<Located> {
        let pl = event_place(self.ctx.text, self.previous?, false);
        Some(Located::at(pl, LocationPrecision::Document, None))
    }

    /// The document's main place, for an event nothing in its sentence places.
    fn document_place(&self) -> Option<Located> {
        let pl = event_place(self.ctx.text, self.ctx.main_place?, false);
        Some(Located::at(pl, LocationPrecision::Document, None))
    }

    /// Adds the evidence of mention `i`: the place, and the word that put it on a movement's
    /// path.
    fn place_evidence(&self, evidence: &mut Vec<Evidence>, i: usize) {
        let sm = &self.p.mentions[i];
        evidence.push(Evidence {
            role: EvidenceRole::Place,
            span: self.ctx.text.span(sm.mention.bytes.clone()),
        });
        if let (Role::Via | Role::To | Role::From, Some(t)) = self.roles[i] {
            evidence.push(Evidence {
                role: EvidenceRole::Movement,
                span: self.span(&(t..t + 1)),
            });
        }
    }
}

/// The actions of a sentence that make events: not negated, not inside a claim's source, not a
/// capitalised word inside the sentence (`March`, a name), weak ones only when alone; of a
/// demonstration, its most violent part; of an appeal, not what it asks for.
fn triggers<'l>(
    tokens: &[Token],
    phrases: &Matches,
    lex: &'l Lexicon,
    claims: &[Claim],
) -> Vec<Trigger<'l>> {
    let all = actions(tokens, phrases, lex, claims);
    let appeal = appeal_request(tokens, &all);
    let has = |ty: EventType| all.iter().any(|t| t.action.event_type == ty);
    // ACLED types a demonstration by its most violent part: stones thrown make a riot, not a
    // protest; police clashing with protesters is a protest with intervention, not a battle, and
    // a crowd's battle with police a riot.
    let protest = has(EventType::Protests);
    let crowd = !protest && crowd_against_police(tokens, phrases, lex);
    let all: Vec<Trigger<'l>> = all
        .into_iter()
        .map(|t| {
            if crowd {
                retype_battle_as_riot(t, lex)
            } else {
                t
            }
        })
        .collect();
    let riot = all.iter().any(|t| t.action.event_type == EventType::Riots);
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

/// The action phrases of a sentence that stand: not negated, not inside a claim's source, not
/// a capitalised word inside the sentence, not weak beside a disaster word or a stronger
/// action.
fn actions<'l>(
    tokens: &[Token],
    phrases: &Matches,
    lex: &'l Lexicon,
    claims: &[Claim],
) -> Vec<Trigger<'l>> {
    let disaster = phrases.any(Table::Disaster);
    // An attack is a battle between armed groups; one whose sentence names civilians, or no
    // armed group at all (a man "allegedly attacking Howard Brown"), is on civilians.
    let civilians = phrases.any(Table::Civilians) || !phrases.any(Table::ArmedForces);
    let compounds = phrases.find(Table::NotEvent);
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
        .filter(|t| !in_compound(&compounds, &t.tokens))
        .filter(|t| !unreal(tokens, phrases, &t.tokens))
        .filter(|t| t.action.name == "arrests" || !charged(tokens, phrases, t.tokens.start))
        .map(|t| retype_attack_on_civilians(t, civilians, lex))
        .collect();
    let strong = all.iter().any(|t| t.action.weight > WEAK_WEIGHT);
    all.into_iter()
        .filter(|t| !strong || t.action.weight > WEAK_WEIGHT)
        .collect()
}

/// Whether a sentence tells a crowd against police: it names police and a crowd that is no
/// armed group ("his supporters fought running battles with police"), and no armed group.
fn crowd_against_police(tokens: &[Token], phrases: &Matches, lex: &Lexicon) -> bool {
    let m = &lex.markers;
    !phrases.any(Table::ArmedForces)
        && tokens.iter().any(|t| m.police.contains(t.lower))
        && tokens.iter().any(|t| m.crowds.contains(t.lower))
}

/// A battle of a crowd against police is a riot, ACLED's violent demonstration.
fn retype_battle_as_riot<'l>(t: Trigger<'l>, lex: &'l Lexicon) -> Trigger<'l> {
    if t.action.event_type != EventType::Battles {
        return t;
    }
    let riot = lex.actions.iter().find(|a| {
        a.event_type == EventType::Riots && a.sub_type == "Violent demonstration" && a.weight >= 1.0
    });
    match riot {
        Some(action) => Trigger {
            action,
            tokens: t.tokens,
        },
        None => t,
    }
}

/// What an appeal asks for («appelé à la fin des combats», "called for an end to the
/// fighting"), which did not happen: only the appeal is an event. The request ends at a comma,
/// a conjunction or after a few words.
fn appeal_request(tokens: &[Token], actions: &[Trigger<'_>]) -> Option<Range<usize>> {
    let appeal = actions
        .iter()
        .find(|t| t.action.event_type == EventType::Diplomacy && t.action.sub_type == "Appeal")?;
    let end = tokens.len().min(appeal.tokens.end + APPEAL_WINDOW);
    let stop = (appeal.tokens.end..end)
        .find(|&i| !tokens[i].is_word() || matches!(tokens[i].lower, "et" | "and" | "y"));
    Some(appeal.tokens.end..stop.unwrap_or(end))
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

/// How many words a speech act may span before the object it names («a fermement condamné»).
const SPEECH_ACT_REACH: usize = 3;

/// Whether the action at token `at` is the object of a speech act: a condemnation, an appeal
/// or condolences end right before it, maybe with an article between ("condemned the attack",
/// «a condamné l'attaque», "urged an end to the shelling"), or a protest against it ("to
/// protest against the bombing of Idlib"); `Some(true)` when the article is
/// definite (an incident told as one known), `None` when it is no such object.
fn object_of_speech_act(
    tokens: &[Token],
    phrases: &Matches,
    lex: &Lexicon,
    at: usize,
) -> Option<bool> {
    let m = &lex.markers;
    let mut end = at;
    while end > 0
        && (m.articles.contains(tokens[end - 1].lower)
            || m.definite.contains(tokens[end - 1].lower)
            || matches!(tokens[end - 1].lower, "'" | "’"))
    {
        end -= 1;
    }
    let action_ending = |end: usize, what: &dyn Fn(&Action) -> bool| {
        (end.saturating_sub(SPEECH_ACT_REACH)..end).any(|j| {
            phrases
                .longest_at(Table::Action, j)
                .and_then(|(len, id)| (j + len == end).then(|| lex.actions.get(id)).flatten())
                .is_some_and(what)
        })
    };
    let against = end > 0 && m.protest_topics.contains(tokens[end - 1].lower);
    let spoken = action_ending(end, &|a| a.speech_act)
        || (against && action_ending(end - 1, &|a| a.event_type == EventType::Protests));
    spoken.then(|| (end..at).any(|k| m.definite.contains(tokens[k].lower)))
}

/// Whether the token at `i` opens a quotation (a capital there starts a sentence).
fn after_quote(tokens: &[Token], i: usize) -> bool {
    i > 0 && matches!(tokens[i - 1].lower, "«" | "\"" | "“" | ":" | "(")
}

/// Whether the action words of `trigger` are part of one of the sentence's compounds that name
/// no action ("riot police", "missile defence", "were met on the curb").
fn in_compound(compounds: &[PhraseMatch], trigger: &Range<usize>) -> bool {
    compounds
        .iter()
        .any(|m| m.tokens.start < trigger.end && trigger.start < m.tokens.end)
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
/// punctuation but commas between. An action right after a hedge tells the act that was
/// charged, as reported ("on a charge of assault for allegedly attacking a man in Penacook").
fn charged(tokens: &[Token], phrases: &Matches, at: usize) -> bool {
    if at > 0 && phrases.ends_at(Table::Hedge, at - 1) {
        return false;
    }
    let from = at.saturating_sub(COURT_WINDOW);
    // A list of charges runs on past its commas ("charged with assault, assault causing harm
    // and theft").
    (from..at)
        .rev()
        .take_while(|&i| tokens[i].is_word() || tokens[i].lower == ",")
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
    EventPlace::of(&m.place, named_here.then(|| text.span(m.bytes.clone())))
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
    match (precision, mention) {
        (LocationPrecision::Document, _) | (_, None) => 3,
        (_, Some(m)) => crate::event::geo_precision(m.place.kind()),
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
    located: &Located,
    date: Option<&EventDate>,
    claimed: bool,
    hedged: bool,
    denied: bool,
) -> f64 {
    let place = match (located.precision, located.role) {
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
