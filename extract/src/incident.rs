//! Incidents, not sentences: the events that one document reports more than once (the attack,
//! then "the blast", then its death toll and its investigation) merged into one event that lists
//! every sentence that reports it.
//!
//! ACLED's unit is one incident: one type, one place, one day. Two events of a document are
//! the same incident when they have the same type, places that fit (the same place, within
//! [`SAME_PLACE_KM`], or one of them placed only from the document or on the country of the
//! other), and dates that fit (the same day, or one of them without a date of its own). A
//! sentence that names no place of its own ("The blast killed 35 people") restates the last
//! incident of its family before it when there is one.

use crate::event::{
    DatePrecision, Event, EventDate, EventGeometry, EventType, LocationPrecision, Report,
};
use chrono::{Datelike, NaiveDate};
use geo::{Distance, Haversine, Point};

/// Places of two reports this close are one place (a town and its outskirts, a camp and its
/// city), as ACLED's coders take a town for everything within it.
pub const SAME_PLACE_KM: f64 = 25.0;

/// A document's first sentence of at most this many words is a headline («Woman stabbed while
/// jogging near Briarcliff»), not a wire story's lead, which runs longer.
pub const HEADLINE_WORDS: usize = 12;

/// Whether two places (by GeoNames id) lie in one region of the document, as far as their
/// country and first-level division tell (true when either is unknown).
pub(crate) type SameRegion<'a> = &'a dyn Fn(u32, u32) -> bool;

/// Merges the events of one document, in document order, into incidents; `same_region` tells
/// whether a placeless report may be about an incident at another place.
pub(crate) fn merge(events: Vec<Event>, same_region: SameRegion<'_>) -> Vec<Event> {
    let (heads, body): (Vec<Event>, Vec<Event>) = one_type_per_place(events)
        .into_iter()
        .partition(|e| e.sentence.start == 0 && is_headline(e));
    let mut incidents: Vec<Event> = Vec::with_capacity(body.len() + heads.len());
    for event in body {
        match restated(&incidents, &event, same_region) {
            Some(i) => absorb(&mut incidents[i], event),
            None => incidents.push(event),
        }
    }
    let mut incidents = placeless_into_later(incidents, same_region);
    let mut kept = headlines_into_body(&mut incidents, heads);
    kept.append(&mut incidents);
    kept
}

/// A placeless report told before the incident it speaks of ("there seems little doubt that
/// this was a deliberately targeted attack", quoted before the story of the mine) is a mention
/// of the next incident of its family, or of disorder, that its own clauses place; for violence
/// and disorder, in the region of the document's place (the report's own): a gunman's rampage in
/// a North Carolina town is not the Alabama shooting that the article recalls after it. Talks
/// and agreements are often held far from the document's place.
fn placeless_into_later(incidents: Vec<Event>, same_region: SameRegion<'_>) -> Vec<Event> {
    let placed = |e: &Event| e.location_precision != LocationPrecision::Document;
    let mut kept: Vec<Event> = Vec::with_capacity(incidents.len());
    // Backwards: the incidents kept so far come later in the text, the nearest last.
    for event in incidents.into_iter().rev() {
        let later = if placed(&event) {
            None
        } else {
            kept.iter().rposition(|k| {
                placed(k)
                    && related(k, &event)
                    && dates_fit(k, &event)
                    && (!is_disorder(family(k.event_type)) || in_region(k, &event, same_region))
            })
        };
        match later {
            Some(k) => {
                absorb(&mut kept[k], event);
                kept[k].mentions.sort_by_key(|m| m.sentence.start);
            }
            None => kept.push(event),
        }
    }
    kept.reverse();
    kept
}

/// Whether the first places of two events lie in one region, or either has none.
fn in_region(a: &Event, b: &Event, same_region: SameRegion<'_>) -> bool {
    match (a.places.first(), b.places.first()) {
        (Some(x), Some(y)) => same_region(x.place_id, y.place_id),
        _ => true,
    }
}

/// Whether two reports may tell one incident: of one kind, or both of disorder.
fn related(a: &Event, b: &Event) -> bool {
    same_kind(a, b) || both_disorder(a, b)
}

/// Whether two events are of one family, or a riot and political violence (an angry mob that
/// shot two couples is one incident, not a riot and an attack; a peaceful protest and a shooting
/// told in one sentence may be two).
fn related_families(a: &Event, b: &Event) -> bool {
    let riot = |e: &Event| e.event_type == EventType::Riots;
    family(a.event_type) == family(b.event_type) || (both_disorder(a, b) && (riot(a) || riot(b)))
}

/// Whether two events are both of disorder: political violence or demonstrations.
fn both_disorder(a: &Event, b: &Event) -> bool {
    is_disorder(family(a.event_type)) && is_disorder(family(b.event_type))
}

/// A headline announces the incident that the article then tells: an event of the headline is
/// a mention of the first incident of its family in the body, whose own clauses place it (a
/// headline's few words name a town, a home town or a state loosely: «3 Ind. fugitives», «W.
/// Phila. shooting»). The headline's events that the body does not report again are returned,
/// incidents of their own.
fn headlines_into_body(incidents: &mut [Event], heads: Vec<Event>) -> Vec<Event> {
    let mut kept = Vec::new();
    for head in heads {
        let body = incidents
            .iter_mut()
            .find(|b| family(b.event_type) == family(head.event_type) && dates_fit(b, &head));
        match body {
            Some(incident) => {
                let mut head = head;
                head.location_precision = LocationPrecision::Document;
                if head.confidence > incident.confidence {
                    take_kind(incident, &head);
                }
                absorb(incident, head);
                // Mentions are in text order, and the headline comes first.
                incident.mentions.rotate_right(1);
            }
            None => kept.push(head),
        }
    }
    kept
}

/// Gives an incident the type of a surer report of it: a headline that says what happened
/// («Shelling kills three near Bakhmut») over a body that only counts the dead ("a soldier from
/// Lviv was among those killed"), as the surest of one sentence's types stays.
fn take_kind(incident: &mut Event, surer: &Event) {
    incident.event_type = surer.event_type;
    incident.sub_type.clone_from(&surer.sub_type);
    incident.action.clone_from(&surer.action);
}

/// Whether an event's sentence is as short as a headline.
fn is_headline(event: &Event) -> bool {
    event.sentence.text.split_whitespace().count() <= HEADLINE_WORDS
}

/// One incident has one type: of the events one sentence gives at one place (a shooting read as
/// a battle, an attack on civilians and a riot at once), the surest stays, the first on ties.
/// Events of one sentence at places that do not fit are incidents of their own. The events come
/// in text order, so a sentence's rivals are the last kept: the time taken is linear.
fn one_type_per_place(events: Vec<Event>) -> Vec<Event> {
    let mut kept: Vec<Event> = Vec::with_capacity(events.len());
    for event in events {
        let same_sentence = |k: &&mut Event| k.sentence.start == event.sentence.start;
        let rival = kept.iter_mut().rev().take_while(same_sentence).find(|k| {
            k.event_type != event.event_type
                && related_families(k, &event)
                && same_or_document_place(k, &event)
        });
        match rival {
            Some(k) if event.confidence > k.confidence => *k = event,
            Some(_) => {}
            None => kept.push(event),
        }
    }
    kept
}

/// Whether two events are at the same place, or one of them is placed only from the document.
fn same_or_document_place(a: &Event, b: &Event) -> bool {
    a.location_precision == LocationPrecision::Document
        || b.location_precision == LocationPrecision::Document
        || a.places.first().map(|p| p.place_id) == b.places.first().map(|p| p.place_id)
}

/// The incident among those found so far that `event` reports again, the latest first, in the
/// region of its place.
fn restated(incidents: &[Event], event: &Event, same_region: SameRegion<'_>) -> Option<usize> {
    let same = incidents
        .iter()
        .rposition(|i| same_kind(i, event) && fits(i, event) && in_region(i, event, same_region));
    if same.is_some() || event.location_precision != LocationPrecision::Document {
        return same;
    }
    // A sentence with no place of its own that speaks of a violent incident ("the blast", "the
    // attack") is about the last one of its family; one that speaks of disorder ("a motive for
    // the fighting" after a bar brawl) is about the last disorder, violent or not.
    let kind = family(event.event_type);
    let last = |fits: &dyn Fn(u8) -> bool| {
        incidents
            .iter()
            .rposition(|i| fits(family(i.event_type)))
            .filter(|&k| dates_fit(&incidents[k], event))
    };
    last(&|f| f == kind).or_else(|| {
        if is_disorder(kind) {
            last(&is_disorder)
        } else {
            None
        }
    })
}

/// Whether a family is disorder: political violence or demonstrations, whose words one
/// article mixes for one incident ("a bar brawl", then "the fighting").
fn is_disorder(family: u8) -> bool {
    family <= 1
}

/// Whether two events found in two different documents report one incident, so that they are
/// one event with two sources: incidents of one family (for political violence, whatever each
/// outlet calls it: one's missile strike is another's attack; otherwise the same sub-type), at
/// one place (the same place, or two points named in the events' own clauses within
/// [`SAME_PLACE_KM`] of each other, neither of them only a region or a country), and on periods
/// of a week at most that overlap. A violent incident's periods may also lie a day apart: one
/// outlet dates a night's strike by its evening, another by its morning. As ACLED's coders
/// do, incidents of one family at one place on one day are one event. An undated event is never
/// merged across documents.
pub fn same_incident(a: &Event, b: &Event) -> bool {
    let violent = family(a.event_type) == 0;
    let same_family =
        family(a.event_type) == family(b.event_type) && (violent || a.sub_type == b.sub_type);
    same_family && placed_alike(a, b) && dated_alike(a, b, u64::from(violent))
}

/// Whether two events are at one place: the same place, or two points named in their own
/// clauses within [`SAME_PLACE_KM`], neither of which is only a region or a country.
fn placed_alike(a: &Event, b: &Event) -> bool {
    let first = |e: &Event| e.places.first().map(|p| p.place_id);
    if first(a).is_some() && first(a) == first(b) {
        return true;
    }
    let own =
        |e: &Event| e.location_precision != LocationPrecision::Document && e.geo_precision < 3;
    own(a) && own(b) && places_fit(a, b)
}

/// Whether two events are dated to periods of a week at most that overlap or lie at most
/// `slack` days apart.
fn dated_alike(a: &Event, b: &Event, slack: u64) -> bool {
    let period = |e: &Event| {
        let date = e.date.as_ref()?;
        let days = match date.precision {
            DatePrecision::Day => 1,
            DatePrecision::Week => 7,
            DatePrecision::Month | DatePrecision::Year => return None,
        };
        Some((date.date, date.date + chrono::Days::new(days - 1)))
    };
    let slack = chrono::Days::new(slack);
    match (period(a), period(b)) {
        (Some((a0, a1)), Some((b0, b1))) => a0 <= b1 + slack && b0 <= a1 + slack,
        _ => false,
    }
}

/// Whether two events are of one kind of incident: the same type, and for the acts of
/// governments and diplomats (martial law and arrests, a call and a meeting) the same sub-type.
fn same_kind(a: &Event, b: &Event) -> bool {
    a.event_type == b.event_type && (family(a.event_type) < 2 || a.sub_type == b.sub_type)
}

/// Whether two events of one kind can be one incident: places and dates that fit, and no two
/// sources that tell each its own account of a place it names («selon Bakou, … Tovuz»,
/// «selon Erevan, … Stepanakert»). A restatement that names no place of its own ("police said
/// the blast …") joins its incident whoever tells it.
fn fits(a: &Event, b: &Event) -> bool {
    places_fit(a, b) && dates_fit(a, b) && claims_fit(a, b)
}

fn claims_fit(a: &Event, b: &Event) -> bool {
    let placed = |e: &Event| e.location_precision != LocationPrecision::Document;
    match (&a.claim, &b.claim) {
        (Some(x), Some(y)) if placed(a) && placed(b) => x.text == y.text,
        _ => true,
    }
}

/// ACLED's disorder families: political violence, demonstrations, and the rest, each alone.
fn family(t: EventType) -> u8 {
    match t {
        EventType::Battles
        | EventType::ExplosionsRemoteViolence
        | EventType::ViolenceAgainstCivilians => 0,
        EventType::Protests | EventType::Riots => 1,
        EventType::StrategicDevelopments => 2,
        EventType::Diplomacy => 3,
    }
}

fn places_fit(a: &Event, b: &Event) -> bool {
    if same_or_document_place(a, b) {
        return true;
    }
    match (point(&a.geometry), point(&b.geometry)) {
        (Some(p), Some(q)) => Haversine.distance(p, q) <= SAME_PLACE_KM * 1000.0,
        _ => false,
    }
}

/// The point of a geometry; a movement has none to compare.
fn point(g: &EventGeometry) -> Option<Point> {
    match g {
        EventGeometry::Point { lon, lat } => Some(Point::new(*lon, *lat)),
        EventGeometry::Line { .. } => None,
    }
}

/// Dates fit when they are the same day (or period), or when either was not written in the
/// event's own sentence (inherited from the narrative or the publication date, or none).
fn dates_fit(a: &Event, b: &Event) -> bool {
    match (&a.date, &b.date) {
        (Some(x), Some(y)) if x.span.is_some() && y.span.is_some() => {
            let (x0, x1) = days(x);
            let (y0, y1) = days(y);
            // "arrested on Dec. 11, 2007", then "since his arrest in December 2007".
            x0 <= y1 && y0 <= x1
        }
        _ => true,
    }
}

/// The first and the last day of the period a date names: its day, week, month or year.
fn days(d: &EventDate) -> (NaiveDate, NaiveDate) {
    let first = d.date;
    let last = match d.precision {
        DatePrecision::Day => Some(first),
        DatePrecision::Week => first.checked_add_days(chrono::Days::new(6)),
        DatePrecision::Month => first
            .with_day(1)
            .and_then(|m| m.checked_add_months(chrono::Months::new(1)))
            .and_then(|next| next.pred_opt()),
        DatePrecision::Year => NaiveDate::from_ymd_opt(first.year(), 12, 31),
    };
    (first, last.unwrap_or(first))
}

/// Takes a restatement into its incident: its sentence joins the reports, and what it says more
/// precisely (a place where the incident had only the document's or a country, a date written
/// where the incident had an inherited one, actors, the claim) completes the incident.
fn absorb(incident: &mut Event, event: Event) {
    let written = |e: &Event| e.date.as_ref().is_some_and(|d| d.span.is_some());
    if written(&event) && !written(incident) {
        incident.date = event.date.clone();
    }
    if more_precise_place(&event, incident) {
        incident.geometry = event.geometry;
        incident.places = event.places;
        incident.location_precision = event.location_precision;
        incident.geo_precision = event.geo_precision;
    }
    for actor in event.actors {
        if !incident.actors.iter().any(|a| a.text == actor.text) {
            incident.actors.push(actor);
        }
    }
    if incident.claim.is_none() {
        incident.claim = event.claim;
    }
    if incident.actor1.is_none() {
        incident.actor1 = event.actor1;
    }
    if incident.actor2.is_none() {
        incident.actor2 = event.actor2;
    }
    incident.confidence = incident.confidence.max(event.confidence);
    incident.mentions.push(Report {
        sentence: event.sentence,
        evidence: event.evidence,
    });
}

/// Whether `event` places the incident better than `incident` does: in its own clause where the
/// incident has only the document's place, or on a town where the incident has a region.
fn more_precise_place(event: &Event, incident: &Event) -> bool {
    match (event.location_precision, incident.location_precision) {
        (LocationPrecision::Document, _) => false,
        (_, LocationPrecision::Document) => true,
        _ => event.geo_precision < incident.geo_precision,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EventDate, EventPlace, TextSpan};
    use chrono::NaiveDate;

    /// Merges with no knowledge of regions: any two places may share one.
    fn merge(events: Vec<Event>) -> Vec<Event> {
        super::merge(events, &|_, _| true)
    }

    fn span(start: usize, text: &str) -> TextSpan {
        TextSpan {
            start,
            end: start + text.len(),
            char_start: start,
            char_end: start + text.len(),
            text: text.into(),
        }
    }

    /// An event of `kind` in the sentence at `at`, at a place (`None`: the document's place).
    fn event(kind: EventType, at: usize, place: Option<(u32, f64, f64)>) -> Event {
        let (id, lon, lat) = place.unwrap_or((1, 44.36, 33.31));
        Event {
            event_type: kind,
            sub_type: String::new(),
            action: String::new(),
            date: None,
            geometry: EventGeometry::Point { lon, lat },
            places: vec![EventPlace {
                place_id: id,
                name: format!("place {id}"),
                lat,
                lon,
                country: "IQ".into(),
                mention: None,
            }],
            location_precision: if place.is_some() {
                LocationPrecision::Exact
            } else {
                LocationPrecision::Document
            },
            geo_precision: 1,
            actors: Vec::new(),
            actor1: None,
            actor2: None,
            claim: None,
            sentence: span(at, SENTENCE),
            evidence: Vec::new(),
            confidence: 0.5,
            mentions: Vec::new(),
            fatalities: None,
            wounded: None,
        }
    }

    fn dated(mut e: Event, day: u32, written: bool) -> Event {
        e.date = Some(EventDate {
            date: NaiveDate::from_ymd_opt(2008, 8, day).expect("a day"),
            precision: crate::event::DatePrecision::Day,
            span: written.then(|| span(0, "Friday")),
        });
        e
    }

    /// A sentence of a story's body, longer than a headline.
    const SENTENCE: &str = "A car bomb exploded near a crowded market in a mainly Shiite \
                            district of the city on Sunday, officials said.";

    /// A headline of `text` over a story's body.
    fn headline(mut e: Event, text: &str) -> Event {
        e.sentence = span(0, text);
        e
    }

    const BAGHDAD: Option<(u32, f64, f64)> = Some((98182, 44.40, 33.34));
    const SADR_CITY: Option<(u32, f64, f64)> = Some((7, 44.46, 33.39));
    const MOSUL_ID: u32 = 99072;
    const MOSUL: Option<(u32, f64, f64)> = Some((MOSUL_ID, 43.13, 36.34));

    #[test]
    fn restatements_of_one_bombing_are_one_event_with_every_sentence() {
        let events = vec![
            event(EventType::ExplosionsRemoteViolence, 0, BAGHDAD),
            // "The blast killed 35 people": no place of its own, another violent type.
            event(EventType::ViolenceAgainstCivilians, 40, None),
            // "Police said the bombing in Sadr City ...": a part of the same city.
            event(EventType::ExplosionsRemoteViolence, 80, SADR_CITY),
        ];
        let merged = merge(events);
        assert_eq!(merged.len(), 1, "{merged:?}");
        let starts: Vec<usize> = merged[0]
            .mentions
            .iter()
            .map(|r| r.sentence.start)
            .collect();
        assert_eq!(starts, [40, 80]);
        assert_eq!(merged[0].event_type, EventType::ExplosionsRemoteViolence);
    }

    #[test]
    fn incidents_at_other_places_or_days_stay_apart() {
        let events = vec![
            event(EventType::ExplosionsRemoteViolence, 0, BAGHDAD),
            event(EventType::ExplosionsRemoteViolence, 40, MOSUL),
            dated(
                event(EventType::ExplosionsRemoteViolence, 80, BAGHDAD),
                3,
                true,
            ),
            dated(
                event(EventType::ExplosionsRemoteViolence, 120, BAGHDAD),
                5,
                true,
            ),
        ];
        let merged = merge(events);
        // The first Baghdad bombing has no date of its own: the one of the 3rd is it; the 5th is
        // another day.
        assert_eq!(merged.len(), 3, "{merged:?}");
        assert_eq!(merged[0].mentions.len(), 1);
    }

    #[test]
    fn a_restatement_brings_the_place_and_the_date_it_names() {
        let first = event(EventType::Protests, 0, None);
        let second = dated(event(EventType::Protests, 50, BAGHDAD), 8, true);
        let merged = merge(vec![first, second]);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].location_precision, LocationPrecision::Exact);
        assert_eq!(merged[0].places[0].place_id, 98182);
        assert!(merged[0].date.as_ref().is_some_and(|d| d.span.is_some()));
        assert_eq!(
            merged[0].sentence.start, 0,
            "the first report stays the main sentence"
        );
    }

    #[test]
    fn a_sentence_gives_one_type_at_one_place() {
        let mut battle = event(EventType::Battles, 0, BAGHDAD);
        battle.confidence = 0.6;
        let mut civilians = event(EventType::ViolenceAgainstCivilians, 0, BAGHDAD);
        civilians.confidence = 0.8;
        let elsewhere = event(EventType::ExplosionsRemoteViolence, 0, MOSUL);
        let protest = event(EventType::Protests, 0, BAGHDAD);
        // A mob's killing is one incident: the attack, surer, stays.
        let mut riot = event(EventType::Riots, 0, BAGHDAD);
        riot.confidence = 0.7;
        let merged = merge(vec![battle, civilians, elsewhere, riot, protest]);
        let types: Vec<EventType> = merged.iter().map(|e| e.event_type).collect();
        assert_eq!(
            types,
            [
                EventType::ViolenceAgainstCivilians,
                EventType::ExplosionsRemoteViolence,
                EventType::Protests
            ]
        );
    }

    #[test]
    fn a_headline_is_a_mention_of_the_incident_that_the_body_places() {
        // «Car bomb kills 20 near Mosul» over a story that places the bombing in Baghdad: one
        // incident, at Baghdad, the headline its first mention; a headline's arrest that the
        // body does not report again stays an event.
        let bombing = headline(
            event(EventType::ExplosionsRemoteViolence, 0, MOSUL),
            "Car bomb kills 20 near Mosul.",
        );
        let arrest = headline(
            event(EventType::StrategicDevelopments, 0, MOSUL),
            "Car bomb kills 20 near Mosul.",
        );
        let body = event(EventType::ViolenceAgainstCivilians, 30, BAGHDAD);
        let merged = merge(vec![bombing, arrest, body]);
        assert_eq!(merged.len(), 2, "{merged:?}");
        assert_eq!(merged[0].event_type, EventType::StrategicDevelopments);
        assert_eq!(merged[1].places[0].place_id, 98182);
        assert_eq!(merged[1].sentence.start, 30);
        assert_eq!(merged[1].mentions[0].sentence.start, 0);
    }

    #[test]
    fn a_placeless_report_of_another_family_starts_its_own_event() {
        let events = vec![
            event(EventType::ExplosionsRemoteViolence, 0, BAGHDAD),
            event(EventType::StrategicDevelopments, 40, None),
        ];
        assert_eq!(merge(events).len(), 2);
    }

    #[test]
    fn a_restatement_dated_by_its_month_joins_the_day_it_holds() {
        let day = dated(
            event(EventType::StrategicDevelopments, 0, BAGHDAD),
            11,
            true,
        );
        let mut month = dated(
            event(EventType::StrategicDevelopments, 40, BAGHDAD),
            1,
            true,
        );
        let mut other_month = month.clone();
        if let Some(d) = month.date.as_mut() {
            d.precision = DatePrecision::Month;
        }
        assert_eq!(merge(vec![day.clone(), month]).len(), 1);
        if let Some(d) = other_month.date.as_mut() {
            d.date = NaiveDate::from_ymd_opt(2008, 9, 1).expect("a day");
            d.precision = DatePrecision::Month;
        }
        assert_eq!(merge(vec![day, other_month]).len(), 2);
    }

    #[test]
    fn a_placeless_report_before_its_incident_joins_it() {
        let quote = event(EventType::Battles, 0, None);
        let mine = event(EventType::ExplosionsRemoteViolence, 40, BAGHDAD);
        let merged = merge(vec![quote, mine]);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].event_type, EventType::ExplosionsRemoteViolence);
        assert_eq!(merged[0].mentions[0].sentence.start, 0);
        // Not into an incident of another kind: a deployment is no agreement.
        let mut deployed = event(EventType::StrategicDevelopments, 0, None);
        deployed.sub_type = "Change to group/activity".into();
        let mut agreed = event(EventType::StrategicDevelopments, 40, BAGHDAD);
        agreed.sub_type = "Agreement".into();
        assert_eq!(merge(vec![deployed, agreed]).len(), 2);
    }

    #[test]
    fn a_placeless_report_joins_no_violence_of_another_region() {
        // The document's place (id 1) and Mosul lie in two regions; Baghdad in the first.
        let same_region = |a: u32, b: u32| a == b || (a != MOSUL_ID && b != MOSUL_ID);
        let told = || event(EventType::ViolenceAgainstCivilians, 0, None);
        let recalled = event(EventType::ViolenceAgainstCivilians, 40, MOSUL);
        assert_eq!(super::merge(vec![told(), recalled], &same_region).len(), 2);
        let here = event(EventType::ViolenceAgainstCivilians, 40, BAGHDAD);
        assert_eq!(super::merge(vec![told(), here], &same_region).len(), 1);
        // Talks and agreements are often held away from the document's place.
        let mut agreed = event(EventType::StrategicDevelopments, 0, None);
        agreed.sub_type = "Agreement".into();
        let mut truce = event(EventType::StrategicDevelopments, 40, MOSUL);
        truce.sub_type = "Agreement".into();
        assert_eq!(super::merge(vec![agreed, truce], &same_region).len(), 1);
    }

    #[test]
    fn a_placeless_report_of_disorder_joins_the_last_disorder() {
        let events = vec![
            event(EventType::Riots, 0, BAGHDAD),
            event(EventType::StrategicDevelopments, 20, BAGHDAD),
            event(EventType::Battles, 40, None),
        ];
        let merged = merge(events);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].event_type, EventType::Riots);
        assert_eq!(merged[0].mentions.len(), 1);
    }

    #[test]
    fn two_outlets_reporting_one_strike_report_one_incident() {
        let missile = dated(
            event(EventType::ExplosionsRemoteViolence, 0, BAGHDAD),
            4,
            true,
        );
        // The other outlet calls it an attack, in a part of the city, on the night's other day.
        let attack = dated(event(EventType::Battles, 0, SADR_CITY), 5, false);
        assert!(same_incident(&missile, &attack));
        assert!(same_incident(&attack, &missile));
    }

    #[test]
    fn reports_apart_in_place_time_or_kind_are_other_incidents() {
        let strike = dated(
            event(EventType::ExplosionsRemoteViolence, 0, BAGHDAD),
            4,
            true,
        );
        let in_mosul = dated(
            event(EventType::ExplosionsRemoteViolence, 0, MOSUL),
            4,
            true,
        );
        let days_later = dated(
            event(EventType::ExplosionsRemoteViolence, 0, BAGHDAD),
            7,
            true,
        );
        let protest = dated(event(EventType::Protests, 0, BAGHDAD), 4, true);
        let undated = event(EventType::ExplosionsRemoteViolence, 0, BAGHDAD);
        // Placed from its document, near but not at the strike's place.
        let mut from_document = dated(
            event(EventType::ExplosionsRemoteViolence, 0, SADR_CITY),
            4,
            true,
        );
        from_document.location_precision = LocationPrecision::Document;
        for other in [in_mosul, days_later, protest, undated, from_document] {
            assert!(!same_incident(&strike, &other), "{other:?}");
        }
    }

    #[test]
    fn protests_a_day_apart_are_two_incidents() {
        let monday = dated(event(EventType::Protests, 0, BAGHDAD), 4, true);
        let tuesday = dated(event(EventType::Protests, 0, BAGHDAD), 5, true);
        assert!(same_incident(&monday, &monday.clone()));
        assert!(!same_incident(&monday, &tuesday));
    }

    #[test]
    fn a_country_is_one_place_only_with_itself() {
        let mut here = dated(
            event(EventType::ExplosionsRemoteViolence, 0, BAGHDAD),
            4,
            true,
        );
        let mut near = dated(
            event(EventType::ExplosionsRemoteViolence, 0, SADR_CITY),
            4,
            true,
        );
        near.geo_precision = 3;
        assert!(!same_incident(&here, &near));
        here.geo_precision = 3;
        here.places[0].place_id = near.places[0].place_id;
        assert!(same_incident(&here, &near));
    }
}
