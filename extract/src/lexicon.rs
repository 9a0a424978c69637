//! Per-language lexicons: the data files under `lexicon/` that say which words make an event,
//! a date, a claim, a movement or a negation.

use crate::error::{Error, Result};
use crate::event::EventType;
use crate::hash::{WordMap, WordSet, fingerprint};
use crate::phrase::{PhraseSet, Table};
use crate::text::phrase_words;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The lexicons shipped in the crate, as (language, TOML text).
pub const BUILTIN: [(&str, &str); 3] = [
    ("fr", include_str!("../lexicon/fr.toml")),
    ("en", include_str!("../lexicon/en.toml")),
    ("es", include_str!("../lexicon/es.toml")),
];

/// An action word's meaning: the event it reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// The event type.
    pub event_type: EventType,
    /// The ACLED sub-event type text.
    pub sub_type: String,
    /// A short name of the action (`shelling`, `martial_law`, `call`).
    pub name: String,
    /// How sure the words alone make an event, in (0, 1]; below 1 the words only make an event
    /// when no stronger action is in the sentence and no disaster word is.
    pub weight: f64,
    /// Which sub-type wins when several actions of one type share a sentence (higher wins).
    pub priority: i32,
    /// Whether the action moves something along places (a deployment, a transfer).
    pub movement: bool,
    /// Whether the words only name a weapon (`missiles`, `artillery`, «obus»): an event only
    /// in a sentence with a verb of striking (`struck`, `fell`, «sont tombés»), not where
    /// weapons are built, deployed or talked about ("missile defences being built in Poland").
    pub weapon: bool,
    /// Whether the action is only words (a condemnation, an appeal): no event on the map unless
    /// several states say them together, which is a diplomatic act between them.
    pub speech_act: bool,
}

/// Relative date words, resolved against the publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relative {
    Today,
    Yesterday,
    DayBeforeYesterday,
    Tomorrow,
    ThisWeek,
    LastWeek,
    ThisMonth,
    LastMonth,
    ThisYear,
    LastYear,
    /// «auparavant», "earlier": some time before, no date.
    Earlier,
}

/// The date words of a language.
#[derive(Debug, Clone, Default)]
pub(crate) struct DateWords {
    /// Suffixes of ordinal day numbers (`1er`, `9th`).
    pub(crate) ordinal_suffixes: Vec<String>,
    /// The month and weekday names and the month abbreviations, lower-cased.
    pub(crate) calendar: WordMap<CalendarWord>,
    /// Words before a bare month name that make it a date (`en octobre`, `in October`).
    pub(crate) month_context: WordSet,
    /// Words between a day number and the month (`9 de octubre`).
    pub(crate) day_month_joiners: WordSet,
    /// Words before a weekday that say "the last one" (`last Monday`).
    pub(crate) last_before: WordSet,
}

/// What a word names in the calendar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CalendarWord {
    /// The month it is the full name of, January = 1.
    pub(crate) month: Option<u32>,
    /// The first month whose name starts with it (three chars or more), January = 1.
    pub(crate) month_prefix: Option<u32>,
    /// The weekday it names, Monday = 0.
    pub(crate) weekday: Option<u32>,
}

/// The relative words' names in the lexicon files, in the order of the ids of the
/// [`Table::Relative`] phrases.
const RELATIVES: [(&str, Relative); 11] = [
    ("today", Relative::Today),
    ("yesterday", Relative::Yesterday),
    ("day_before_yesterday", Relative::DayBeforeYesterday),
    ("tomorrow", Relative::Tomorrow),
    ("this_week", Relative::ThisWeek),
    ("last_week", Relative::LastWeek),
    ("this_month", Relative::ThisMonth),
    ("last_month", Relative::LastMonth),
    ("this_year", Relative::ThisYear),
    ("last_year", Relative::LastYear),
    ("earlier", Relative::Earlier),
];

impl DateWords {
    /// The relative meaning of a phrase id.
    pub(crate) fn relative_of(id: usize) -> Option<Relative> {
        RELATIVES.get(id).map(|&(_, r)| r)
    }
}

/// The other marker words of a language (the marker phrases are tables of the lexicon's
/// [`PhraseSet`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Markers {
    /// Prepositions that put an event at a place (`à`, `dans`, `in`, `near`).
    pub(crate) locative: WordSet,
    /// Words that make a place the target (`sur`, `contre`, `against`, `direction`).
    pub(crate) target: WordSet,
    /// Words that make a place a topic (`sur`, `about`, `over`).
    pub(crate) topic: WordSet,
    /// Words between a protest and what it is against ("to protest against the bombing of
    /// Idlib", «manifester contre»): an action after them is the protest's topic.
    pub(crate) protest_topics: WordSet,
    /// Words skipped when looking for the preposition before a place (articles, `de`, `ville`).
    pub(crate) skip: WordSet,
    /// Titles before a person's name (`président`, `M.`, `Mr`).
    pub(crate) titles: WordSet,
    /// Words that start a person's or group's name part (`de`, `of`) inside an actor.
    pub(crate) actor_links: WordSet,
    /// Articles: a list of actors does not go on with one after a comma.
    pub(crate) articles: WordSet,
    /// Relative pronouns after a source word («selon laquelle»): the source is before.
    pub(crate) relative_pronouns: WordSet,
    /// Words that open a relative clause after a comma («, the road that links …», «, qui
    /// relie …»): a movement's places stop there.
    pub(crate) clause_openers: WordSet,
    /// Nouns of a series before "of" ("a series of bombings", «une vague d'attentats»): the
    /// incidents summed up, not one of them, unless a day dates them.
    pub(crate) series: WordSet,
    /// Definite articles and demonstratives ("the", «cette»): an incident named after them is
    /// one told before.
    pub(crate) definite: WordSet,
    /// Nouns of crowds that are no armed group ("supporters", "fans", «casseurs»): a clash of
    /// theirs with police is a riot.
    pub(crate) crowds: WordSet,
    /// Relative pronouns of persons after a comma (", who joined the army in 1981"): what the
    /// clause tells is the person's past.
    pub(crate) person_relatives: WordSet,
    /// Conjunctions that open a new clause after a comma («, et le secrétaire général a
    /// appelé …», ", but police said …"): a subject before them is another clause's.
    pub(crate) conjunctions: WordSet,
    /// Words that introduce who acted after a passive or a noun ("by", «par»).
    pub(crate) agents: WordSet,
    /// Auxiliaries of the passive just before an action ("were", «été»): its subject suffered it.
    pub(crate) passive: WordSet,
    /// Nouns of people who may be on either side of an action ("men", «villageois»).
    pub(crate) people: WordSet,
    /// Words that join two parties into one ("and", «et»).
    pub(crate) and_words: WordSet,
    /// Words of a local police force's name ("police", "sheriff", «gendarmerie»): the town in
    /// such a name is where it arrests.
    pub(crate) police: WordSet,
    /// Street words after a name ("Road", "St"): the name is a street's.
    pub(crate) streets_after: WordSet,
    /// Street words before a name and its articles («rue», «avenida»): the name is a street's.
    pub(crate) streets_before: WordSet,
}

/// The phrase tables that matter to a sentence with no action: actions themselves (to tell that
/// there is none), the words that start dates (a date there is the date of the sentences after
/// it) and actor heads (a place inside an actor counts less towards the document's main place).
/// The other tables only matter to a sentence's events.
pub(crate) const CORE_TABLES: [Table; 4] = [
    Table::Action,
    Table::Relative,
    Table::Calendar,
    Table::ActorHeads,
];

/// A language's lexicon, compiled from its TOML file.
#[derive(Debug, Clone)]
pub struct Lexicon {
    /// ISO 639-1 language code.
    pub lang: String,
    pub(crate) stopwords: WordSet,
    pub(crate) abbreviations: WordSet,
    pub(crate) actions: Vec<Action>,
    /// The phrases of every table (actions, relative dates, markers), which the extractor
    /// matches in parts: the tests compare the parts with it.
    #[cfg(test)]
    pub(crate) phrases: PhraseSet,
    /// The phrases of the [`CORE_TABLES`] alone, which every sentence is matched against.
    pub(crate) core_phrases: PhraseSet,
    /// The phrases of the other tables, which a sentence with an action is matched against too.
    pub(crate) other_phrases: PhraseSet,
    /// The action phrases alone: a document none of which matches in has no event.
    pub(crate) action_phrases: PhraseSet,
    /// The actor heads alone: all that matters to the sentences after the last action.
    pub(crate) actor_head_phrases: PhraseSet,
    /// The fingerprint of the lexicon's TOML text.
    pub(crate) fingerprint: u64,
    pub(crate) dates: DateWords,
    pub(crate) markers: Markers,
    pub(crate) toll: TollWords,
    /// The ISO country code of each leader's [`Table::Diplomats`] phrase, at its id minus one
    /// (the other diplomats' phrases have id 0).
    pub(crate) leader_countries: Vec<String>,
}

/// The words that tell a toll (see `toll.rs`).
#[derive(Debug, Clone, Default)]
pub(crate) struct TollWords {
    /// Words after a number that say those people died ("killed", "dead", «morts»).
    pub(crate) killed: WordSet,
    /// Words after a number that say those people were hurt ("wounded", «blessés»).
    pub(crate) wounded: WordSet,
    /// Verbs before a number of people killed ("killing", «tuant»).
    pub(crate) killing: WordSet,
    /// Verbs before a number of people hurt ("injuring", «blessant»).
    pub(crate) wounding: WordSet,
    /// Number words and their values ("eight" 8, «huit» 8, "dozen" 12).
    pub(crate) numbers: WordMap<u64>,
    /// Words after which a number no longer counts people ("years", "km", "and").
    pub(crate) stops: WordSet,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    lang: String,
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    abbreviations: Vec<String>,
    dates: DatesFile,
    markers: MarkersFile,
    #[serde(default)]
    toll: TollFile,
    #[serde(default)]
    action: Vec<ActionFile>,
    /// Leaders named without a title ("Erdogan spoke with Putin"), by their country's ISO code.
    #[serde(default)]
    leaders: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct TollFile {
    killed: Vec<String>,
    wounded: Vec<String>,
    killing: Vec<String>,
    wounding: Vec<String>,
    numbers: std::collections::BTreeMap<String, u64>,
    stops: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DatesFile {
    months: Vec<String>,
    weekdays: Vec<String>,
    #[serde(default)]
    ordinal_suffixes: Vec<String>,
    #[serde(default)]
    month_context: Vec<String>,
    #[serde(default)]
    day_month_joiners: Vec<String>,
    #[serde(default)]
    last_before: Vec<String>,
    #[serde(default)]
    relative: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct MarkersFile {
    source_after: Vec<String>,
    speech: Vec<String>,
    negation: Vec<String>,
    denial: Vec<String>,
    hedge: Vec<String>,
    irrealis: Vec<String>,
    court: Vec<String>,
    origin: Vec<String>,
    not_events: Vec<String>,
    diplomats: Vec<String>,
    armed_forces: Vec<String>,
    strikes: Vec<String>,
    movement_from: Vec<String>,
    movement_via: Vec<String>,
    movement_to: Vec<String>,
    locative: Vec<String>,
    target: Vec<String>,
    topic: Vec<String>,
    #[serde(default)]
    protest_topics: Vec<String>,
    skip: Vec<String>,
    actor_heads: Vec<String>,
    titles: Vec<String>,
    disaster: Vec<String>,
    actor_links: Vec<String>,
    articles: Vec<String>,
    civilians: Vec<String>,
    relative_pronouns: Vec<String>,
    clause_openers: Vec<String>,
    #[serde(default)]
    person_relatives: Vec<String>,
    #[serde(default)]
    crowds: Vec<String>,
    #[serde(default)]
    definite: Vec<String>,
    #[serde(default)]
    series: Vec<String>,
    conjunctions: Vec<String>,
    agents: Vec<String>,
    passive: Vec<String>,
    people: Vec<String>,
    and_words: Vec<String>,
    police: Vec<String>,
    streets_after: Vec<String>,
    streets_before: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionFile {
    #[serde(rename = "type")]
    event_type: String,
    sub_type: String,
    name: String,
    #[serde(default = "one")]
    weight: f64,
    #[serde(default)]
    priority: i32,
    #[serde(default)]
    movement: bool,
    #[serde(default)]
    weapon: bool,
    #[serde(default)]
    speech_act: bool,
    phrases: Vec<String>,
}

fn one() -> f64 {
    1.0
}

/// Lower-cased single words of a list (phrases of several words are split).
fn words(list: &[String]) -> WordSet {
    list.iter().flat_map(|w| phrase_words(w)).collect()
}

/// The calendar words of a language from its month names (January first) and weekday names
/// (Monday first), lower-cased; the first month or weekday wins for a word of several.
fn calendar(months: &[String], weekdays: &[String]) -> WordMap<CalendarWord> {
    let mut map: WordMap<CalendarWord> = WordMap::default();
    for (n, month) in (1..).zip(months) {
        map.entry(month.clone()).or_default().month.get_or_insert(n);
        let ends = month.char_indices().map(|(i, _)| i).skip(3);
        for end in ends.chain([month.len()]) {
            let prefix = month[..end].to_owned();
            map.entry(prefix).or_default().month_prefix.get_or_insert(n);
        }
    }
    for (n, day) in (0..).zip(weekdays) {
        map.entry(day.clone()).or_default().weekday.get_or_insert(n);
    }
    map
}

impl Lexicon {
    /// Parses a lexicon from its TOML text (see `lexicon/fr.toml` for the format).
    pub fn from_toml(source: &str) -> Result<Self> {
        let file: LexiconFile = toml::from_str(source).map_err(|error| Error::LexiconSyntax {
            lang: source_text_lang(source).unwrap_or("?").to_owned(),
            source: error,
        })?;
        let lang = file.lang.clone();
        let bad = |message: String| Error::LexiconValue {
            lang: lang.clone(),
            message,
        };
        if file.dates.months.len() != 12 || file.dates.weekdays.len() != 7 {
            return Err(bad("dates need 12 months and 7 weekdays".into()));
        }
        // The tables are filled in this order: relative dates, actions, markers, calendar.
        let mut phrases = PhraseSet::default();
        let mut refused = Vec::new();
        add_relatives(&mut phrases, &mut refused, &file.dates.relative).map_err(&bad)?;
        let actions = add_actions(&mut phrases, &mut refused, file.action).map_err(&bad)?;
        add_markers(&mut phrases, &mut refused, &file.markers);
        let leader_countries = add_leaders(&mut phrases, &mut refused, &file.leaders);
        if !refused.is_empty() {
            return Err(bad(format!(
                "phrases must not be empty, start with `_` or have a prefix under 3 chars: {refused:?}"
            )));
        }
        let dates = date_words(&file.dates);
        // Found with the other phrases, a calendar word costs the date finder no look-up of
        // its own at every word.
        for word in dates.calendar.keys() {
            phrases.add_word(Table::Calendar, word, 0);
        }
        Ok(Self {
            lang: file.lang,
            core_phrases: phrases.only(&CORE_TABLES),
            other_phrases: phrases.except(&CORE_TABLES),
            action_phrases: phrases.only(&[Table::Action]),
            actor_head_phrases: phrases.only(&[Table::ActorHeads]),
            stopwords: words(&file.stopwords),
            abbreviations: file
                .abbreviations
                .iter()
                .map(|w| w.trim_end_matches('.').to_lowercase())
                .collect(),
            actions,
            #[cfg(test)]
            phrases,
            fingerprint: fingerprint(source.as_bytes()),
            dates,
            markers: markers(&file.markers),
            toll: toll_words(file.toll),
            leader_countries,
        })
    }

    /// The built-in lexicons (`fr`, `en`, `es`).
    pub fn builtin() -> Result<Vec<Self>> {
        BUILTIN
            .iter()
            .map(|(_, source)| Self::from_toml(source))
            .collect()
    }

    /// The actions of the lexicon, in file order.
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }
}

/// Adds the relative date phrases, each with the id of its class in [`RELATIVES`]; adds the
/// phrases it cannot take to `refused`. Fails on a class it does not know.
fn add_relatives(
    phrases: &mut PhraseSet,
    refused: &mut Vec<String>,
    relative: &BTreeMap<String, Vec<String>>,
) -> std::result::Result<(), String> {
    for (name, list) in relative {
        let id = RELATIVES
            .iter()
            .position(|(n, _)| n == name)
            .ok_or_else(|| format!("unknown relative date word class `{name}`"))?;
        refused.extend(phrases.add_all(Table::Relative, list, id));
    }
    Ok(())
}

/// Adds the action phrases, each with the index of its action, and answers the actions; adds
/// the phrases it cannot take to `refused`. Fails on an unknown event type or a weight outside
/// (0, 1].
fn add_actions(
    phrases: &mut PhraseSet,
    refused: &mut Vec<String>,
    file: Vec<ActionFile>,
) -> std::result::Result<Vec<Action>, String> {
    let mut actions = Vec::new();
    for a in file {
        let event_type = EventType::parse(&a.event_type)
            .ok_or_else(|| format!("unknown event type `{}`", a.event_type))?;
        if !(a.weight > 0.0 && a.weight <= 1.0) {
            return Err(format!("action `{}`: weight must be in (0, 1]", a.name));
        }
        refused.extend(phrases.add_all(Table::Action, &a.phrases, actions.len()));
        actions.push(Action {
            event_type,
            sub_type: a.sub_type,
            name: a.name,
            weight: a.weight,
            priority: a.priority,
            movement: a.movement,
            weapon: a.weapon,
            speech_act: a.speech_act,
        });
    }
    Ok(actions)
}

/// Adds the marker phrases, one table each; adds the phrases it cannot take to `refused`.
fn add_markers(phrases: &mut PhraseSet, refused: &mut Vec<String>, m: &MarkersFile) {
    for (table, list) in [
        (Table::SourceAfter, &m.source_after),
        (Table::Speech, &m.speech),
        (Table::Negation, &m.negation),
        (Table::Denial, &m.denial),
        (Table::Hedge, &m.hedge),
        (Table::Irrealis, &m.irrealis),
        (Table::Court, &m.court),
        (Table::Origin, &m.origin),
        (Table::NotEvent, &m.not_events),
        (Table::Diplomats, &m.diplomats),
        (Table::ArmedForces, &m.armed_forces),
        (Table::Strikes, &m.strikes),
        (Table::ActorHeads, &m.actor_heads),
        (Table::Disaster, &m.disaster),
        (Table::Civilians, &m.civilians),
        (Table::MovementTo, &m.movement_to),
        (Table::MovementVia, &m.movement_via),
        (Table::MovementFrom, &m.movement_from),
    ] {
        refused.extend(phrases.add_all(table, list, 0));
    }
}

/// Adds the leaders' names as diplomats, each with the id of its country's code plus one;
/// returns the codes and adds the phrases it cannot take to `refused`.
fn add_leaders(
    phrases: &mut PhraseSet,
    refused: &mut Vec<String>,
    leaders: &BTreeMap<String, Vec<String>>,
) -> Vec<String> {
    let mut countries = Vec::with_capacity(leaders.len());
    for (country, names) in leaders {
        countries.push(country.clone());
        refused.extend(phrases.add_all(Table::Diplomats, names, countries.len()));
    }
    countries
}

/// The words of a lexicon's `[toll]` table.
fn toll_words(t: TollFile) -> TollWords {
    TollWords {
        killed: words(&t.killed),
        wounded: words(&t.wounded),
        killing: words(&t.killing),
        wounding: words(&t.wounding),
        numbers: t.numbers.into_iter().collect(),
        stops: words(&t.stops),
    }
}

/// The marker words that are single words.
fn markers(m: &MarkersFile) -> Markers {
    Markers {
        locative: words(&m.locative),
        target: words(&m.target),
        topic: words(&m.topic),
        protest_topics: words(&m.protest_topics),
        skip: words(&m.skip),
        titles: words(&m.titles),
        actor_links: words(&m.actor_links),
        articles: words(&m.articles),
        relative_pronouns: words(&m.relative_pronouns),
        clause_openers: words(&m.clause_openers),
        person_relatives: words(&m.person_relatives),
        crowds: words(&m.crowds),
        definite: words(&m.definite),
        series: words(&m.series),
        conjunctions: words(&m.conjunctions),
        agents: words(&m.agents),
        passive: words(&m.passive),
        people: words(&m.people),
        and_words: words(&m.and_words),
        police: words(&m.police),
        streets_after: words(&m.streets_after),
        streets_before: words(&m.streets_before),
    }
}

/// The date words, lower-cased.
fn date_words(dates: &DatesFile) -> DateWords {
    let lower = |list: &[String]| list.iter().map(|w| w.to_lowercase()).collect::<Vec<_>>();
    DateWords {
        calendar: calendar(&lower(&dates.months), &lower(&dates.weekdays)),
        ordinal_suffixes: lower(&dates.ordinal_suffixes),
        month_context: words(&dates.month_context),
        day_month_joiners: words(&dates.day_month_joiners),
        last_before: words(&dates.last_before),
    }
}

/// The `lang = "…"` value of a lexicon text, for error messages when it does not parse.
fn source_text_lang(source: &str) -> Option<&str> {
    source.lines().find_map(|l| {
        l.trim()
            .strip_prefix("lang")?
            .trim()
            .strip_prefix('=')
            .map(|v| v.trim().trim_matches('"'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lexicons_load() {
        let all = Lexicon::builtin().expect("built-in lexicons");
        let langs: Vec<&str> = all.iter().map(|l| l.lang.as_str()).collect();
        assert_eq!(langs, ["fr", "en", "es"]);
        assert!(all.iter().all(|l| !l.actions.is_empty()));
    }

    #[test]
    fn reports_bad_values() {
        let bad = "lang = \"xx\"\n[dates]\nmonths = []\nweekdays = []\n[markers]\n";
        assert!(matches!(
            Lexicon::from_toml(bad),
            Err(Error::LexiconValue { .. })
        ));
        assert!(
            matches!(Lexicon::from_toml("lang = \"xx\"\n[x"), Err(Error::LexiconSyntax { lang, .. }) if lang == "xx")
        );
    }
}
