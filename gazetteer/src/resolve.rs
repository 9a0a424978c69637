//! Resolution: which place each recognised name is, given the rest of the document.
//!
//! Every candidate starts from its prior (importance and name fit). Three rounds then let the
//! document vote: places in the countries and first-level divisions that the other names of the
//! text point to gain, and less so places in the countries that border those, and places near the
//! other names' places; explicit qualifiers gain most («Alexandria, Louisiana», «Paris, Texas», «la
//! ville turque de Gaziantep»). The softmax of the final scores is the probability that the chosen
//! place is right; the mention's score is the calibrated model of `calibrate.rs` over that, the
//! recognition probability and what the document says about the place.

use crate::calibrate::SERIOUS_PRIOR;
use crate::fold::push_folded;
use crate::index::{Index, Record};
use crate::model::{Candidate, Features, GeoparseOptions, Mention, MentionKind, Place, PlaceKind};
use crate::recognize::{MAX_CANDIDATES, Span};
use crate::reverse::{chord_km, to_xyz};
use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

/// Weight of the log prior.
const PRIOR_WEIGHT: f64 = 0.55;
/// Weight of the support of the candidate's country by the other names.
const COUNTRY_WEIGHT: f64 = 1.6;
/// Weight of the support of the candidate's country by the names of the countries it borders
/// («Gaza» near «israélien»: the Palestinian city, not Mozambique's province).
const NEIGHBOUR_WEIGHT: f64 = 0.8;
/// Weight of the support of the candidate's first-level division by the other names.
const ADMIN1_WEIGHT: f64 = 5.0;
/// Weight of the support of the candidate's neighbourhood by the places chosen for the other
/// names (a county and a town in it, two villages of one valley).
const NEAR_WEIGHT: f64 = 2.0;
/// Side of the grid cells of the neighbourhood vote, in degrees: a candidate is supported by
/// the candidates of other names in its cell and the eight around it (55 to 165 km).
const CELL_DEGREES: f32 = 0.5;
/// Candidates less likely than this neither give nor take neighbourhood votes (they would add
/// nothing but time).
const MIN_NEAR_VOTE: f64 = 0.01;
/// Bonus of a candidate that an adjacent qualifier confirms.
const QUALIFIER_BONUS: f64 = 6.0;
/// Bonus of a town and of a second-level division («Henry County») that holds it, both named
/// in the text.
const COUNTY_BONUS: f64 = 4.0;
/// How far from a second-level division's point a town counts as lying in it, in kilometres
/// (a US county is 30 to 60 km across).
const COUNTY_KM: f32 = 30.0;
/// How close to the chosen place another candidate of its name counts as the same place for
/// its score, in kilometres: a city and the division of its own name around it.
const SAME_PLACE_KM: f32 = 25.0;
/// Kilometres in a degree of latitude.
const KM_PER_DEGREE: f32 = 111.2;
/// Bonus of a candidate in the country of a demonym just before it.
const DEMONYM_BONUS: f64 = 2.5;

/// One candidate place of a name, with what the vote needs of it.
struct Choice<'a> {
    /// The place's record in the index.
    record: Record<'a>,
    /// The kind of the place, from its feature class and code.
    kind: PlaceKind,
    /// The document's numbers for the place's country, division and cell (see [`Keys`]).
    keys: ChoiceKeys,
    /// The weighted log prior: the part of the score that the votes leave alone.
    prior_term: f64,
    /// Bonus from adjacent qualifiers (see [`qualifiers`]).
    bonus: f64,
    /// Probability that the name means this place, updated by each round.
    prob: f64,
}

impl Choice<'_> {
    /// Whether the vote scores this choice as it scores `other`: same country, division and
    /// cell, same prior and same bonus.
    fn votes_as(&self, other: &Self) -> bool {
        self.keys == other.keys
            && self.prior_term.to_bits() == other.prior_term.to_bits()
            && self.bonus.to_bits() == other.bonus.to_bits()
    }

    /// The grid cell whose neighbourhood the choice votes for, if it is likely enough to vote.
    fn voting_cell(&self) -> Option<usize> {
        self.keys.cell.filter(|_| self.prob >= MIN_NEAR_VOTE)
    }
}

/// A recognised name of the text and the places it may mean, whose probabilities the vote
/// sets.
struct NameChoices<'a> {
    span: Span,
    /// Names with the same folded text share a group: a name repeated ten times votes once.
    group: usize,
    /// The candidates, in the order of `span.candidates`.
    choices: Vec<Choice<'a>>,
}

/// A country code's bytes as a number, for cheap hashing.
fn country_key(code: &[u8]) -> u64 {
    code.iter().fold(0, |acc, &b| (acc << 8) | u64::from(b))
}

/// The (country, first-level code) of a place below country level as a number (the code's
/// bytes, hashed when longer than six); 0 for places with none. `kind` is the place's, `country`
/// its [`country_key`].
fn admin1_key(r: &Record<'_>, kind: PlaceKind, country: u64) -> u64 {
    if r.country.is_empty() || matches!(kind, PlaceKind::Country | PlaceKind::Continent) {
        return 0;
    }
    let admin1 = r.admin1_bytes();
    if admin1.is_empty() {
        return 0;
    }
    let code = if admin1.len() <= 6 {
        admin1
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
    } else {
        use std::hash::{BuildHasher, Hasher};
        let mut h = rustc_hash::FxBuildHasher.build_hasher();
        h.write(admin1);
        h.finish() >> 16
    };
    (country << 48) ^ code | 1 << 63
}

/// The grid cell of a place below first-level division, for the neighbourhood vote; `None` for
/// countries, continents and divisions, whose centre says little about where they are. `kind`
/// is the place's.
fn cell_key(r: &Record<'_>, kind: PlaceKind) -> Option<(i32, i32)> {
    if matches!(
        kind,
        PlaceKind::Country | PlaceKind::Continent | PlaceKind::Admin1
    ) {
        return None;
    }
    Some((
        floor_to_i32(r.lat / CELL_DEGREES),
        floor_to_i32(r.lon / CELL_DEGREES),
    ))
}

/// `x.floor() as i32`, without the call that `floor` is on targets without SSE 4.1: the cast
/// truncates towards zero (saturating, NaN to 0), one less for a negative value with a fraction.
fn floor_to_i32(x: f32) -> i32 {
    let truncated = x as i32;
    if truncated as f32 > x {
        truncated.saturating_sub(1)
    } else {
        truncated
    }
}

/// A candidate's country, division and grid cell as numbered in its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ChoiceKeys {
    country: usize,
    /// `None` for places without a first-level division (see [`admin1_key`]).
    admin1: Option<usize>,
    /// `None` for countries and divisions (see [`cell_key`]).
    cell: Option<usize>,
}

/// Numbers 0, 1, 2… for the countries, divisions and grid cells of a document's candidates, so
/// that each round counts its votes in arrays rather than hash maps.
struct Keys {
    countries: HashMap<u64, usize>,
    /// The last country numbered and its number: a name's candidates come in runs of one
    /// country.
    last_country: (u64, usize),
    admin1s: HashMap<u64, usize>,
    cells: HashMap<(i32, i32), usize>,
}

/// The number of `key` in `numbers`, a new one if it has none.
fn number<K: std::hash::Hash + Eq>(numbers: &mut HashMap<K, usize>, key: K) -> usize {
    let next = numbers.len();
    *numbers.entry(key).or_insert(next)
}

impl Keys {
    /// Room for the keys of `places` candidates, so that numbering them never rehashes.
    fn with_capacity(places: usize) -> Self {
        Self {
            countries: HashMap::with_capacity_and_hasher(places.min(64), Default::default()),
            last_country: (u64::MAX, 0),
            admin1s: HashMap::with_capacity_and_hasher(places, Default::default()),
            cells: HashMap::with_capacity_and_hasher(places, Default::default()),
        }
    }

    /// The numbered countries that border each numbered country, each list in number order; to
    /// call once every candidate is numbered.
    fn borders(&self, index: &Index) -> Adjacency {
        let mut codes = vec![0; self.countries.len()];
        for (&key, &n) in &self.countries {
            codes[n] = key;
        }
        let mut borders = Adjacency::with_capacity(codes.len(), codes.len() * 2);
        for key in codes {
            // A country's key is its code of two bytes (or none) as a number.
            if let Ok(code) = u16::try_from(key) {
                let neighbours = index.neighbour_codes(code.to_be_bytes());
                let numbers = neighbours
                    .filter_map(|other| self.countries.get(&country_key(&other)).copied());
                borders.numbers.extend(numbers);
            }
            borders.end_list();
            borders.last_list_mut().sort_unstable();
        }
        borders
    }

    /// The numbers of a place of kind `kind`.
    fn of(&mut self, r: &Record<'_>, kind: PlaceKind) -> ChoiceKeys {
        let country = country_key(r.country.as_bytes());
        if self.last_country.0 != country {
            self.last_country = (country, number(&mut self.countries, country));
        }
        ChoiceKeys {
            country: self.last_country.1,
            admin1: match admin1_key(r, kind, country) {
                0 => None,
                key => Some(number(&mut self.admin1s, key)),
            },
            cell: cell_key(r, kind).map(|cell| number(&mut self.cells, cell)),
        }
    }
}

/// A list of numbers for each number of a document's countries or cells (the countries that
/// border it, the cells around it), all in one vector.
struct Adjacency {
    /// Where each list starts in `numbers`, and one past the last.
    starts: Vec<usize>,
    numbers: Vec<usize>,
}

/// The filter that spares most lookups of cells that no candidate is in: bit `x mod 64` of row
/// `y mod 64` is set when a cell (y, x) is numbered.
type CellFilter = [u64; 64];

/// The row of the filter of the cells of row `y`.
fn filter_row(y: i32) -> usize {
    (y & 63) as usize
}

/// The bits of the filter for the cells (y, x - 1), (y, x) and (y, x + 1), as bits 0 to 2.
fn filter_bits(filter: &CellFilter, (y, x): (i32, i32)) -> u64 {
    filter[filter_row(y)].rotate_right((x.wrapping_sub(1) & 63) as u32) & 0b111
}

impl Adjacency {
    /// Room for `lists` lists of `numbers` numbers in all.
    fn with_capacity(lists: usize, numbers: usize) -> Self {
        let mut starts = Vec::with_capacity(lists + 1);
        starts.push(0);
        Self {
            starts,
            numbers: Vec::with_capacity(numbers),
        }
    }

    /// Ends the list that the numbers pushed since the last one make.
    fn end_list(&mut self) {
        self.starts.push(self.numbers.len());
    }

    /// The list ended last.
    fn last_list_mut(&mut self) -> &mut [usize] {
        let start = self.starts[self.starts.len() - 2];
        &mut self.numbers[start..]
    }

    /// The neighbourhoods of the cells that `numbers` numbers: each cell and the eight around
    /// it, those numbered.
    fn cells(numbers: &HashMap<(i32, i32), usize>) -> Self {
        let mut cells = vec![(0, 0); numbers.len()];
        let mut filter: CellFilter = [0; 64];
        for (&cell, &n) in numbers {
            cells[n] = cell;
            filter[filter_row(cell.0)] |= 1 << (cell.1 & 63);
        }
        let mut hoods = Self::with_capacity(cells.len(), cells.len() * 2);
        for (own, (y, x)) in cells.into_iter().enumerate() {
            for n in [y - 1, y, y + 1] {
                // The columns x - 1, x, x + 1 of row n that the filter lets through.
                let mut bits = filter_bits(&filter, (n, x));
                while bits != 0 {
                    let e = x - 1 + bits.trailing_zeros() as i32;
                    bits &= bits - 1;
                    // The cell itself: its number is known.
                    if (n, e) == (y, x) {
                        hoods.numbers.push(own);
                    } else if let Some(&number) = numbers.get(&(n, e)) {
                        hoods.numbers.push(number);
                    }
                }
            }
            hoods.end_list();
        }
        hoods
    }

    /// The list of number `n`.
    fn of(&self, n: usize) -> &[usize] {
        &self.numbers[self.starts[n]..self.starts[n + 1]]
    }
}

/// The names of the spans, each with its choices, their keys numbered. A repeated name whose
/// candidates are those of its first occurrence takes their places, keys and (for equal
/// weights) weighted log priors from it.
fn name_choices<'a>(index: &'a Index, spans: Vec<Span>) -> (Vec<NameChoices<'a>>, Keys) {
    let groups = groups(&spans);
    let mut keys = Keys::with_capacity(spans.iter().map(|s| s.candidates.len()).sum());
    // The first name of each group.
    let mut firsts = Vec::new();
    let mut names: Vec<NameChoices<'a>> = Vec::with_capacity(spans.len());
    for (span, group) in spans.into_iter().zip(groups) {
        if group == firsts.len() {
            firsts.push(names.len());
        }
        let choices = match names.get(firsts[group]) {
            Some(first) if Rc::ptr_eq(&first.span.candidates, &span.candidates) => {
                repeated_choices(first, &span)
            }
            first => new_choices(index, &span, first, &mut keys),
        };
        names.push(NameChoices {
            span,
            group,
            choices,
        });
    }
    (names, keys)
}

/// The group of each span: spans with the same name key share one, numbered in text order.
fn groups(spans: &[Span]) -> Vec<usize> {
    let mut numbers: HashMap<&str, usize> =
        HashMap::with_capacity_and_hasher(spans.len(), Default::default());
    spans
        .iter()
        .map(|s| number(&mut numbers, s.key.as_str()))
        .collect()
}

/// The choices of a repeat of `first` with the same candidates: the same places, keys and
/// priors, without the bonuses of `first`'s qualifiers.
#[inline]
fn repeated_choices<'a>(first: &NameChoices<'a>, span: &Span) -> Vec<Choice<'a>> {
    first
        .choices
        .iter()
        .zip(span.candidates.iter())
        .map(|(f, c)| Choice {
            bonus: 0.0,
            prob: c.prior,
            ..*f
        })
        .collect()
}

/// The choices of a span's candidates, their keys numbered in `keys`. When `first`, the first
/// name of its group, has the same places, their records, kinds and keys are its, and so are
/// their weighted log priors where the weights are equal.
#[inline]
fn new_choices<'a>(
    index: &'a Index,
    span: &Span,
    first: Option<&NameChoices<'a>>,
    keys: &mut Keys,
) -> Vec<Choice<'a>> {
    let same_places = first.filter(|first| {
        let places = first.span.candidates.iter().map(|c| c.record);
        places.eq(span.candidates.iter().map(|c| c.record))
    });
    span.candidates
        .iter()
        .enumerate()
        .map(|(j, c)| {
            let (record, kind, choice_keys) = match same_places {
                Some(first) => {
                    let f = &first.choices[j];
                    (f.record, f.kind, f.keys)
                }
                None => {
                    let record = index.record(c.record);
                    let kind = index.kind(c.record);
                    (record, kind, keys.of(&record, kind))
                }
            };
            let prior_term = match same_places {
                Some(first) if first.span.candidates[j].weight == c.weight => {
                    first.choices[j].prior_term
                }
                _ => PRIOR_WEIGHT * c.weight.max(1e-9).ln(),
            };
            Choice {
                record,
                kind,
                keys: choice_keys,
                prior_term,
                bonus: 0.0,
                prob: c.prior,
            }
        })
        .collect()
}

/// Resolves recognised spans into mentions.
pub(crate) fn resolve(
    index: &Index,
    text: &str,
    spans: Vec<Span>,
    options: &GeoparseOptions,
    stop: &dyn Fn() -> bool,
) -> Option<Vec<Mention>> {
    let (mut names, keys) = name_choices(index, spans);
    qualifiers(text, &mut names);
    towns_in_counties(&mut names);
    if stop() {
        return None;
    }

    let mut context = Context::new(&keys, &names, keys.borders(index));
    vote(&mut names, &mut context, stop)?;

    context.count(&names);
    let mut repeats = vec![0; names.len()];
    for s in &names {
        repeats[s.group] += 1;
    }
    let supports = context.supports_of_best(&names);
    let distances = distances_to_others(&names);
    if stop() {
        return None;
    }
    let mut cursor = (0, 0);
    let mut mentions: Vec<Mention> = Vec::with_capacity(names.len());
    // By group, where its last mention is in `mentions`.
    let mut last: Vec<Option<usize>> = vec![None; repeats.len()];
    for ((name, support), distance) in names.iter().zip(supports).zip(distances) {
        let (byte, chars) = cursor;
        let start = chars + text[byte..name.span.bytes.start].chars().count();
        cursor = (name.span.bytes.start, start);
        let group = name.group;
        let context = MentionContext {
            support,
            repeats: repeats[group],
            distance,
            before: last[group].map(|m| &mentions[m]),
        };
        if let Some(m) = resolved_mention(index, text, name, &context, start, options) {
            last[group] = Some(mentions.len());
            mentions.push(m);
        }
    }
    Some(mentions)
}

/// The three rounds of the vote: each sets every name's probabilities from the prior and the
/// support that the other names gave in the round before.
/// `None` when `stop` said to give up between two rounds.
fn vote(
    names: &mut [NameChoices<'_>],
    context: &mut Context,
    stop: &dyn Fn() -> bool,
) -> Option<()> {
    // One buffer of scores for every name of every round.
    let mut scores = Vec::with_capacity(MAX_CANDIDATES);
    // By group, the last repeat scored in this round after the group's first name: the repeats
    // after it see the same votes, so one with the same choices gets the same probabilities.
    let mut scored: Vec<Option<usize>> = vec![None; names.len()];
    for _ in 0..3 {
        if stop() {
            return None;
        }
        context.count(names);
        scored.fill(None);
        for i in 0..names.len() {
            // A name with one candidate is sure of it, whatever the votes.
            if let [only] = names[i].choices.as_mut_slice() {
                only.prob = 1.0;
                continue;
            }
            let group = names[i].group;
            if context.leaders[group] != i {
                let (before, rest) = names.split_at_mut(i);
                let same = scored[group].map(|k| &before[k]).filter(|k| {
                    k.choices.len() == rest[0].choices.len()
                        && k.choices
                            .iter()
                            .zip(&rest[0].choices)
                            .all(|(a, b)| a.votes_as(b))
                });
                if let Some(k) = same {
                    for (c, from) in rest[0].choices.iter_mut().zip(&k.choices) {
                        c.prob = from.prob;
                    }
                    continue;
                }
                scored[group] = Some(i);
            }
            context.scores(names, i, &mut scores);
            set_probs(&mut names[i].choices, &scores);
        }
    }
    Some(())
}

/// `weight × ln(1 + support)`, without the logarithm when there is no support.
fn weighted_log(weight: f64, support: f64) -> f64 {
    if support > 0.0 {
        weight * support.ln_1p()
    } else {
        0.0
    }
}

/// The index of the most likely choice, the first of equals.
fn best_choice(choices: &[Choice<'_>]) -> Option<usize> {
    (0..choices.len()).reduce(|best, i| {
        if choices[i].prob.total_cmp(&choices[best].prob).is_gt() {
            i
        } else {
            best
        }
    })
}

/// How many votes per choice of a name [`Votes::reset`] rather sets to zero all together.
const CLEAR_PER_CHOICE: usize = 32;

/// Votes for each numbered country, division and grid cell (the latter from the candidates in
/// the cell and in the eight around it).
struct Votes {
    countries: Vec<f64>,
    admin1s: Vec<f64>,
    near: Vec<f64>,
}

impl Votes {
    fn new(keys: &Keys) -> Self {
        Self {
            countries: vec![0.0; keys.countries.len()],
            admin1s: vec![0.0; keys.admin1s.len()],
            near: vec![0.0; keys.cells.len()],
        }
    }

    fn clear(&mut self) {
        self.countries.fill(0.0);
        self.admin1s.fill(0.0);
        self.near.fill(0.0);
    }

    /// Adds the votes of a name's current probabilities.
    fn add(&mut self, name: &NameChoices<'_>, hoods: &Adjacency) {
        for c in &name.choices {
            let vote = c.prob * name.span.p_name;
            self.countries[c.keys.country] += vote;
            if let Some(a) = c.keys.admin1 {
                self.admin1s[a] += vote;
            }
            if let Some(cell) = c.voting_cell() {
                for &n in hoods.of(cell) {
                    self.near[n] += vote;
                }
            }
        }
    }

    /// Sets back to zero what [`Votes::add`] of the name touched (its probabilities unchanged):
    /// all the votes at once when they are few beside the name's choices (filling memory is
    /// cheaper than visiting the choices and their neighbourhoods again).
    fn reset(&mut self, name: &NameChoices<'_>, hoods: &Adjacency) {
        let votes = self.countries.len() + self.admin1s.len() + self.near.len();
        if votes <= CLEAR_PER_CHOICE * name.choices.len() {
            self.clear();
            return;
        }
        for c in &name.choices {
            self.countries[c.keys.country] = 0.0;
            if let Some(a) = c.keys.admin1 {
                self.admin1s[a] = 0.0;
            }
            if let Some(cell) = c.voting_cell() {
                for &n in hoods.of(cell) {
                    self.near[n] = 0.0;
                }
            }
        }
    }
}

/// The document's votes: how much the names of each group support each country, division and
/// grid cell; and those of one group, to take out of them for its own names.
struct Context {
    /// The neighbourhood of each numbered cell ([`Adjacency::cells`]).
    hoods: Adjacency,
    document: Votes,
    /// The votes of the group whose name is being scored; zero otherwise.
    own: Votes,
    /// The first name of each group, whose probabilities vote for the group.
    leaders: Vec<usize>,
    /// The weighted log support of each country for the name being scored, NaN when not
    /// computed yet: the candidates of one name often share their country.
    country_terms: Vec<f64>,
    /// The numbered countries that border each numbered country ([`Keys::borders`]).
    borders: Adjacency,
}

/// How much the other names of a text support one candidate.
#[derive(Debug, Clone, Copy, Default)]
struct Support {
    /// Votes for the candidate's country.
    country: f64,
    /// Votes for the candidate's first-level division.
    admin1: f64,
    /// Votes for the candidate's grid cell and the eight around it.
    near: f64,
}

impl Context {
    fn new(keys: &Keys, names: &[NameChoices<'_>], borders: Adjacency) -> Self {
        let mut leaders = vec![usize::MAX; names.len()];
        for (i, s) in names.iter().enumerate() {
            if leaders[s.group] == usize::MAX {
                leaders[s.group] = i;
            }
        }
        leaders.retain(|&i| i != usize::MAX);
        Self {
            document: Votes::new(keys),
            own: Votes::new(keys),
            leaders,
            country_terms: vec![f64::NAN; keys.countries.len()],
            hoods: Adjacency::cells(&keys.cells),
            borders,
        }
    }

    /// Counts the votes of the names' current probabilities, replacing those counted before.
    fn count(&mut self, names: &[NameChoices<'_>]) {
        self.document.clear();
        for &i in &self.leaders {
            self.document.add(&names[i], &self.hoods);
        }
    }

    /// The score of each candidate of name `i` in this round, into `scores`: its prior, its
    /// support by the other names of the text and its bonus.
    fn scores(&mut self, names: &[NameChoices<'_>], i: usize, scores: &mut Vec<f64>) {
        let leader = &names[self.leaders[names[i].group]];
        self.own.add(leader, &self.hoods);
        scores.clear();
        for c in &names[i].choices {
            let mut country = self.country_terms[c.keys.country];
            if country.is_nan() {
                let neighbours = self
                    .borders
                    .of(c.keys.country)
                    .iter()
                    .map(|&n| self.country_support(n))
                    .sum();
                country = weighted_log(COUNTRY_WEIGHT, self.country_support(c.keys.country))
                    + weighted_log(NEIGHBOUR_WEIGHT, neighbours);
                self.country_terms[c.keys.country] = country;
            }
            scores.push(
                c.prior_term
                    + country
                    + weighted_log(ADMIN1_WEIGHT, self.admin1_support(c.keys.admin1))
                    + weighted_log(NEAR_WEIGHT, self.near_support(c.keys.cell))
                    + c.bonus,
            );
        }
        for c in &names[i].choices {
            self.country_terms[c.keys.country] = f64::NAN;
        }
        self.own.reset(leader, &self.hoods);
    }

    /// The support of each name's most likely choice by the other names of the text (the
    /// default for a name without candidates). The votes of a group are taken out once for all
    /// its names.
    fn supports_of_best(&mut self, names: &[NameChoices<'_>]) -> Vec<Support> {
        // The next name of the same group, `usize::MAX` after the last.
        let mut next = vec![usize::MAX; names.len()];
        let mut last = vec![usize::MAX; self.leaders.len()];
        for (i, s) in names.iter().enumerate() {
            if let Some(before) = next.get_mut(last[s.group]) {
                *before = i;
            }
            last[s.group] = i;
        }
        let mut supports = vec![Support::default(); names.len()];
        for &leader in &self.leaders {
            self.own.add(&names[leader], &self.hoods);
            let mut i = leader;
            while i != usize::MAX {
                if let Some(best) = best_choice(&names[i].choices) {
                    supports[i] = self.support(names[i].choices[best].keys);
                }
                i = next[i];
            }
            self.own.reset(&names[leader], &self.hoods);
        }
        supports
    }

    /// The support of a candidate by the other names of the text: the document's votes less
    /// those of its own group, which `own` holds.
    fn support(&self, keys: ChoiceKeys) -> Support {
        Support {
            country: self.country_support(keys.country),
            admin1: self.admin1_support(keys.admin1),
            near: self.near_support(keys.cell),
        }
    }

    /// The votes of the other names for a numbered country (see [`Context::support`]).
    fn country_support(&self, country: usize) -> f64 {
        (self.document.countries[country] - self.own.countries[country]).max(0.0)
    }

    /// The votes of the other names for a numbered division, 0 for none.
    fn admin1_support(&self, admin1: Option<usize>) -> f64 {
        admin1
            .map_or(0.0, |a| self.document.admin1s[a] - self.own.admin1s[a])
            .max(0.0)
    }

    /// The votes of the other names for the neighbourhood of a numbered cell, 0 for none.
    fn near_support(&self, cell: Option<usize>) -> f64 {
        cell.map_or(0.0, |cell| self.document.near[cell] - self.own.near[cell])
            .max(0.0)
    }
}

/// Bonuses from adjacent qualifiers: «X, Y» where Y is X's division or country, and a demonym
/// just before a name («la ville turque de Gaziantep»).
fn qualifiers(text: &str, names: &mut [NameChoices<'_>]) {
    for i in 0..names.len() {
        if let Some(next) = names.get(i + 1) {
            let gap = &text[names[i].span.bytes.end..next.span.bytes.start];
            let gap = gap.trim();
            if gap == "," || gap == "(" || locates(gap) {
                let quals: Vec<(&str, &str, PlaceKind)> = next
                    .choices
                    .iter()
                    .map(|c| (c.record.country, c.record.admin1(), c.kind))
                    .filter(|(_, _, k)| matches!(k, PlaceKind::Admin1 | PlaceKind::Country))
                    .collect();
                for choice in &mut names[i].choices {
                    let r = &choice.record;
                    let confirmed = quals.iter().any(|(c, a, k)| {
                        r.country == *c && (*k == PlaceKind::Country || r.admin1() == *a)
                    });
                    if confirmed {
                        choice.bonus += QUALIFIER_BONUS;
                    }
                }
            }
        }
        if i > 0 && names[i - 1].span.kind == MentionKind::Demonym {
            let near = names[i]
                .span
                .words
                .start
                .saturating_sub(names[i - 1].span.words.end)
                <= 3;
            if near {
                let country = names[i - 1].choices.first().map(|c| c.record.country);
                for choice in &mut names[i].choices {
                    if country == Some(choice.record.country) {
                        choice.bonus += DEMONYM_BONUS;
                    }
                }
            }
        }
    }
}

/// Bonuses for the towns that lie in a second-level division named elsewhere in the text, and
/// for that division: «a Paris man… Henry County General Sessions Court» is Paris, Tennessee,
/// in Henry County, Tennessee, whatever the other Parises and Henry Counties.
fn towns_in_counties(names: &mut [NameChoices<'_>]) {
    // The second-level divisions among the candidates: their name's group and point.
    let counties: Vec<(usize, f32, f32)> = names
        .iter()
        .flat_map(|n| n.choices.iter().map(move |c| (n.group, c)))
        .filter(|(_, c)| c.kind == PlaceKind::Admin2)
        .map(|(group, c)| (group, c.record.lat, c.record.lon))
        .collect();
    if counties.is_empty() {
        return;
    }
    // The points of the divisions that hold a town of another name.
    let mut holding: Vec<(f32, f32)> = Vec::new();
    for name in names.iter_mut() {
        for c in &mut name.choices {
            if !matches!(c.kind, PlaceKind::City | PlaceKind::Capital) {
                continue;
            }
            let (lat, lon) = (c.record.lat, c.record.lon);
            let held_by = counties.iter().find(|&&(group, clat, clon)| {
                group != name.group && within(lat, lon, clat, clon, COUNTY_KM)
            });
            if let Some(&(_, clat, clon)) = held_by {
                c.bonus += COUNTY_BONUS;
                holding.push((clat, clon));
            }
        }
    }
    for name in names.iter_mut() {
        for c in &mut name.choices {
            let point = (c.record.lat, c.record.lon);
            if c.kind == PlaceKind::Admin2 && holding.contains(&point) {
                c.bonus += COUNTY_BONUS;
            }
        }
    }
}

/// Whether two points (latitude, longitude in degrees) are less than `km` apart, on a flat map
/// around the first (close enough at the scale of a county).
fn within(lat: f32, lon: f32, lat2: f32, lon2: f32, km: f32) -> bool {
    let dy = (lat2 - lat) * KM_PER_DEGREE;
    if dy.abs() >= km {
        return false;
    }
    let dx = (lon2 - lon) * KM_PER_DEGREE * lat.to_radians().cos();
    dx * dx + dy * dy < km * km
}

/// Words of direction that, after a comma, locate a place in the division or country named next:
/// «Beni, dans l'est de la RDC», «Kidal, au nord du Mali», «Goma, in eastern Congo» (folded).
const DIRECTIONS: &[&str] = &[
    "nord",
    "sud",
    "est",
    "ouest",
    "centre",
    "north",
    "south",
    "east",
    "west",
    "central",
    "northern",
    "southern",
    "eastern",
    "western",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
];

/// The other words that may stand with them there (folded: «l'», «d'» are `l`, `d`).
const DIRECTION_LINKS: &[&str] = &[
    "dans", "au", "en", "de", "du", "des", "la", "le", "l", "d", "extreme", "in", "the", "of",
    "far",
];

/// The longest word of [`DIRECTIONS`] and [`DIRECTION_LINKS`], in bytes.
const LONGEST_DIRECTION_WORD: usize = {
    let mut longest = 0;
    let mut i = 0;
    while i < DIRECTIONS.len() + DIRECTION_LINKS.len() {
        let word = if i < DIRECTIONS.len() {
            DIRECTIONS[i]
        } else {
            DIRECTION_LINKS[i - DIRECTIONS.len()]
        };
        if word.len() > longest {
            longest = word.len();
        }
        i += 1;
    }
    longest
};

/// Whether the text between two names is a comma and at most six words of [`DIRECTIONS`] and
/// [`DIRECTION_LINKS`], a direction among them. The words are folded one character at a time
/// (folding is local to each character), and the reading stops at the first word that is not on
/// the lists or at the seventh: a gap that is a long sentence costs a few words.
fn locates(gap: &str) -> bool {
    let Some(rest) = gap.strip_prefix(',') else {
        return false;
    };
    // The word being folded; a separator ends it with a space.
    let mut word = String::with_capacity(2 * LONGEST_DIRECTION_WORD);
    let (mut words, mut direction) = (0, false);
    for c in rest.chars().chain([' ']) {
        push_folded(c, &mut word);
        if let Some(w) = word.strip_suffix(' ') {
            words += 1;
            if words > 6 {
                return false;
            }
            if DIRECTIONS.contains(&w) {
                direction = true;
            } else if !DIRECTION_LINKS.contains(&w) {
                return false;
            }
            word.clear();
        } else if word.len() > LONGEST_DIRECTION_WORD {
            return false;
        }
    }
    words >= 2 && direction
}

/// Whether a place of this kind is a country or a first-level division.
fn is_region(kind: PlaceKind) -> bool {
    matches!(kind, PlaceKind::Country | PlaceKind::Admin1)
}

/// Sets the choices' probabilities to the softmax of their scores.
fn set_probs(choices: &mut [Choice<'_>], scores: &[f64]) {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut total = 0.0;
    for (c, s) in choices.iter_mut().zip(scores) {
        c.prob = (s - max).exp();
        total += c.prob;
    }
    for c in choices {
        c.prob /= total;
    }
}

/// What the rest of the document says about one name's chosen place.
struct MentionContext<'m> {
    support: Support,
    repeats: usize,
    distance: Option<f64>,
    /// The last mention of the same name, whose places a repeat mostly hands out again.
    before: Option<&'m Mention>,
}

impl MentionContext<'_> {
    /// The place of `choice`: a copy of the one that the last mention of the same name handed
    /// out when it has it (places are told apart by their GeoNames ids, one per record of an
    /// index), read from its record otherwise (its strings checked as UTF-8 again).
    fn place(&self, choice: &Choice<'_>) -> Place {
        let id = choice.record.id;
        self.before
            .and_then(|m| {
                std::iter::once(&m.place)
                    .chain(m.alternatives.iter().map(|a| &a.place))
                    .find(|p| p.id == id)
            })
            .map_or_else(|| choice.record.place(), Place::clone)
    }
}

/// A place's latitude and longitude, as the bits of their `f32`s.
type Coordinates = (u32, u32);

/// Where a chosen place lies, for the distances between the places of a text: its kind and its
/// document's numbers of its country and first-level division.
#[derive(Debug, Clone, Copy)]
struct Located {
    kind: PlaceKind,
    keys: ChoiceKeys,
}

impl Located {
    fn of(choice: &Choice<'_>) -> Self {
        Self {
            kind: choice.kind,
            keys: choice.keys,
        }
    }

    /// Whether this place is a country or first-level division that holds `other`: a town is
    /// at no distance from the country or division that the text names around it («Xankəndi
    /// … Azərbaycan»), wherever the region's representative point lies.
    fn holds(self, other: Self) -> bool {
        match self.kind {
            PlaceKind::Country => {
                !matches!(other.kind, PlaceKind::Country | PlaceKind::Continent)
                    && other.keys.country == self.keys.country
            }
            PlaceKind::Admin1 => {
                !matches!(
                    other.kind,
                    PlaceKind::Country | PlaceKind::Continent | PlaceKind::Admin1
                ) && other.keys.admin1.is_some()
                    && other.keys.admin1 == self.keys.admin1
            }
            _ => false,
        }
    }
}

/// How many neighbouring names, on each side, a name's distance is measured to.
const DISTANCE_WINDOW: usize = 16;

/// For each name, the median distance from its best place to the best places of the names of
/// other groups around it in the text (at most [`DISTANCE_WINDOW`] on each side, so that the
/// cost stays linear in the length of the text). The places are points of the unit sphere: the
/// median of the straight lines between them is the line of the median great circle distance.
fn distances_to_others(names: &[NameChoices<'_>]) -> Vec<Option<f64>> {
    // By group, the coordinates of the last best place and its point: the repeats of a name
    // mostly choose the same place.
    let mut points: Vec<Option<(Coordinates, [f64; 3])>> = vec![None; names.len()];
    // Each name's group and best place.
    let best: Vec<Option<(usize, [f64; 3], Located)>> = names
        .iter()
        .map(|s| {
            // The same best choice as the mention's and the support's: the first of equals.
            let c = &s.choices[best_choice(&s.choices)?];
            let at = (c.record.lat.to_bits(), c.record.lon.to_bits());
            let point = match points[s.group] {
                Some((seen, point)) if seen == at => point,
                _ => {
                    let point = to_xyz(c.record.point());
                    points[s.group] = Some((at, point));
                    point
                }
            };
            Some((s.group, point, Located::of(c)))
        })
        .collect();
    // The squared lines from one place to the others, one buffer for every name. They are
    // finite and not negative, so their bits order them as the numbers do.
    let mut squares: Vec<u64> = Vec::with_capacity(2 * DISTANCE_WINDOW);
    (0..names.len())
        .map(|i| {
            let (group, here, located) = best[i]?;
            let lo = i.saturating_sub(DISTANCE_WINDOW);
            let hi = (i + DISTANCE_WINDOW + 1).min(names.len());
            squares.clear();
            for &(other, there, other_located) in best[lo..hi].iter().flatten() {
                if other == group {
                    continue;
                }
                let square: f64 = if located.holds(other_located) || other_located.holds(located) {
                    0.0
                } else {
                    here.iter().zip(&there).map(|(a, b)| (a - b).powi(2)).sum()
                };
                squares.push(square.to_bits());
            }
            if squares.is_empty() {
                return None;
            }
            let mid = squares.len() / 2;
            let square = f64::from_bits(*squares.select_nth_unstable(mid).1);
            Some(chord_km(square.sqrt()))
        })
        .collect()
}

/// The indices of the `k` most likely of `items` by `prob` (a name has at most
/// [`MAX_CANDIDATES`] choices), best first, equals in index order: the head of a stable sort by
/// falling probability, without sorting the tail that nobody reads.
fn most_likely<'o, T>(
    items: &[T],
    prob: impl Fn(&T) -> f64,
    k: usize,
    order: &'o mut [usize; MAX_CANDIDATES],
) -> &'o [usize] {
    let mut len = 0;
    for (i, item) in items.iter().enumerate() {
        let p = prob(item);
        // After the equals and the more likely already kept (the less likely are the last).
        let mut at = len;
        while at > 0 && p.total_cmp(&prob(&items[order[at - 1]])).is_gt() {
            at -= 1;
        }
        if at < k {
            len = (len + 1).min(k);
            order.copy_within(at..len - 1, at + 1);
            order[at] = i;
        }
    }
    &order[..len]
}

/// The mention of a resolved name, unless its score is below the options' minimum; `start` is
/// the span's offset in code points.
fn resolved_mention(
    index: &Index,
    text: &str,
    name: &NameChoices<'_>,
    context: &MentionContext<'_>,
    start: usize,
    options: &GeoparseOptions,
) -> Option<Mention> {
    let choices = &name.choices;
    // The best choice and the runners-up that the mention keeps.
    let mut order = [0; MAX_CANDIDATES];
    let order = most_likely(
        choices,
        |c| c.prob,
        options.max_alternatives.saturating_add(1),
        &mut order,
    );
    let &best = order.first()?;
    let features = features(index, name, best, context);
    let score = features.score();
    if score < options.min_score {
        return None;
    }
    let bytes = name.span.bytes.clone();
    let alternatives = order[1..]
        .iter()
        .map(|&i| {
            let c = &name.span.candidates[i];
            Candidate {
                place: context.place(&choices[i]),
                name_kind: c.kind,
                lang: index.lang(c.lang).into(),
                prior: c.prior,
                score: choices[i].prob,
            }
        })
        .collect();
    Some(Mention {
        chars: start..start + text[bytes.clone()].chars().count(),
        text: text[bytes.clone()].to_owned(),
        bytes,
        kind: name.span.kind,
        place: context.place(&choices[best]),
        score,
        alternatives,
        features,
    })
}

/// What the calibrated score of a name resolved to its choice `best` is computed from.
#[inline]
fn features(
    index: &Index,
    name: &NameChoices<'_>,
    best: usize,
    context: &MentionContext<'_>,
) -> Features {
    let (span, choice) = (&name.span, &name.choices[best]);
    let cues = span.cues;
    // The candidates that are the chosen place to the reader: itself, and a division of its
    // name around it («Xankəndi», the city and its municipality; Berlin, city and state).
    let same = |j: usize| {
        let (r, c) = (&name.choices[j].record, &choice.record);
        j == best || within(c.lat, c.lon, r.lat, r.lon, SAME_PLACE_KM)
    };
    let (mut prior, mut resolution, mut rivals) = (0.0, 0.0, 0);
    for (j, c) in span.candidates.iter().enumerate() {
        if same(j) {
            prior += c.prior;
            resolution += name.choices[j].prob;
        }
        if c.prior >= SERIOUS_PRIOR && (j == best || !same(j)) {
            rivals += 1;
        }
    }
    Features {
        recognition: span.p_name,
        resolution,
        log_importance: index.importance(span.candidates[best].record).log10(),
        country_support: context.support.country,
        admin1_support: context.support.admin1,
        near_support: context.support.near,
        demonym: span.kind == MentionKind::Demonym,
        multiword: span.words.len() > 1,
        sentence_start: cues.sentence_start,
        common: cues.common,
        person_name: cues.person_name,
        in_name: cues.in_name,
        untagged_alternate: cues.untagged_alternate,
        kind: choice.kind,
        repeats: context.repeats,
        distance_to_others: context.distance,
        prior,
        top_prior: span.candidates.iter().all(|c| c.prior <= prior),
        rivals,
        qualified: choice.bonus > 0.0,
        passed_over_region: !is_region(choice.kind)
            && name.choices.iter().any(|c| is_region(c.kind)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comma_and_a_direction_locate_a_place() {
        for gap in [
            ", dans l'est de la",
            ", au nord du",
            ", dans l’extrême nord du",
            ", in eastern",
            ", in the north of",
            ", in north-western",
            ", in the far north of the",
        ] {
            assert!(locates(gap), "{gap}");
        }
        for gap in [
            ",",
            ", in",
            ", de la",
            "dans l'est de la",
            ", la capitale de",
            ", near the",
            ", in the far north of the of",
            ", dans l'est.",
            ", in the north of a long sentence that goes on",
        ] {
            assert!(!locates(gap), "{gap}");
        }
    }

    #[test]
    fn the_most_likely_are_the_head_of_a_stable_sort() {
        let probs: [f64; 10] = [0.1, 0.3, 0.0, 0.3, 0.05, 0.1, 0.3, -0.0, 0.15, 0.1];
        let mut sorted: Vec<usize> = (0..probs.len()).collect();
        sorted.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]));
        for k in 1..=probs.len() + 1 {
            let mut order = [0; MAX_CANDIDATES];
            let head = most_likely(&probs, |&p| p, k, &mut order);
            assert_eq!(head, &sorted[..k.min(probs.len())], "{k}");
        }
        let mut order = [0; MAX_CANDIDATES];
        assert!(most_likely(&[] as &[f64], |&p| p, 4, &mut order).is_empty());
    }

    #[test]
    fn floor_to_i32_is_floor_then_cast() {
        for x in [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.0,
            -1.0,
            -1.5,
            179.99,
            -179.99,
            -360.0,
            2.5e9,
            -2.5e9,
            2_147_483_648.0,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
            f32::MIN_POSITIVE,
            -f32::MIN_POSITIVE,
        ] {
            assert_eq!(floor_to_i32(x), x.floor() as i32, "{x}");
        }
    }

    #[test]
    fn neighbourhoods_are_the_numbered_cells_around() {
        let mut numbers = HashMap::default();
        for cell in [
            (0, 0),
            (-1, -1),
            (1, 0),
            (0, 2),
            (-3, 5),
            (180, -359),
            (64, 1),
            (5, 63),
            (5, 0),
            (5, 64),
        ] {
            number(&mut numbers, cell);
        }
        let hoods = Adjacency::cells(&numbers);
        let around = |cell| {
            let mut cells: Vec<(i32, i32)> = hoods
                .of(numbers[&cell])
                .iter()
                .map(|&n| *numbers.iter().find(|(_, m)| **m == n).expect("numbered").0)
                .collect();
            cells.sort_unstable();
            cells
        };
        assert_eq!(around((0, 0)), [(-1, -1), (0, 0), (1, 0)]);
        assert_eq!(around((-1, -1)), [(-1, -1), (0, 0)]);
        assert_eq!(around((1, 0)), [(0, 0), (1, 0)]);
        assert_eq!(around((0, 2)), [(0, 2)]);
        assert_eq!(around((-3, 5)), [(-3, 5)]);
        assert_eq!(around((180, -359)), [(180, -359)]);
        // Cells that share the filter's bits with a neighbour's are not taken for it.
        assert_eq!(around((64, 1)), [(64, 1)]);
        assert_eq!(around((5, 0)), [(5, 0)]);
        assert_eq!(around((5, 63)), [(5, 63), (5, 64)]);
    }
}
