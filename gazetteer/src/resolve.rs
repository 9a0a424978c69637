//! Resolution: which place each recognised name is, given the rest of the document.
//!
//! Every candidate starts from its prior (importance and name fit). Three rounds then let the
//! document vote: places in the countries and first-level divisions that the other names of the
//! text point to gain, explicit qualifiers gain most («Alexandria, Louisiana», «Paris, Texas»,
//! «la ville turque de Gaziantep»). The softmax of the final scores is the probability that the
//! chosen place is right; the mention's score is the calibrated model of `calibrate.rs` over that,
//! the recognition probability and what the document says about the place.

use crate::calibrate::{Features, SERIOUS_PRIOR};
use crate::index::Index;
use crate::model::{Candidate, GeoparseOptions, Mention, MentionKind, PlaceKind};
use crate::recognize::Span;
use rustc_hash::FxHashMap as HashMap;

/// How many candidates per name take part in the vote.
const MAX_CANDIDATES: usize = 40;
/// Weight of the log prior.
const PRIOR_WEIGHT: f64 = 0.55;
/// Weight of the support of the candidate's country by the other names.
const COUNTRY_WEIGHT: f64 = 1.6;
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
/// Bonus of a candidate in the country of a demonym just before it.
const DEMONYM_BONUS: f64 = 2.5;

struct Slot<'a> {
    span: Span,
    /// Slots with the same folded text share a group: a name repeated ten times votes once.
    group: usize,
    places: Vec<crate::index::Record<'a>>,
    /// Each candidate's country, packed (see [`country_key`]).
    countries: Vec<u64>,
    /// Each candidate's first-level division, packed (see [`admin1_key`]); 0 for none.
    admin1s: Vec<u64>,
    /// Each candidate's grid cell (see [`cell_key`]); `None` for countries and divisions.
    cells: Vec<Option<(i32, i32)>>,
    probs: Vec<f64>,
    bonus: Vec<f64>,
}

/// A country code as a number, for cheap hashing.
fn country_key(r: &crate::index::Record<'_>) -> u64 {
    r.country
        .bytes()
        .fold(0, |acc, b| (acc << 8) | u64::from(b))
}

/// The (country, first-level code) of a place below country level as a number (the code's
/// bytes, hashed when longer than six); 0 for places with none.
fn admin1_key(r: &crate::index::Record<'_>) -> u64 {
    if r.admin1.is_empty() || r.country.is_empty() {
        return 0;
    }
    if matches!(
        PlaceKind::from_feature(char::from(r.class), r.code),
        PlaceKind::Country | PlaceKind::Continent
    ) {
        return 0;
    }
    let code = if r.admin1.len() <= 6 {
        r.admin1
            .bytes()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(b))
    } else {
        use std::hash::{BuildHasher, Hasher};
        let mut h = rustc_hash::FxBuildHasher.build_hasher();
        h.write(r.admin1.as_bytes());
        h.finish() >> 16
    };
    (country_key(r) << 48) ^ code | 1 << 63
}

/// The grid cell of a place below first-level division, for the neighbourhood vote; `None` for
/// countries, continents and divisions, whose centre says little about where they are.
fn cell_key(r: &crate::index::Record<'_>) -> Option<(i32, i32)> {
    if matches!(
        PlaceKind::from_feature(char::from(r.class), r.code),
        PlaceKind::Country | PlaceKind::Continent | PlaceKind::Admin1
    ) {
        return None;
    }
    // Whole cells: the casts truncate a value already floored and within ±720.
    Some((
        (r.lat / CELL_DEGREES).floor() as i32,
        (r.lon / CELL_DEGREES).floor() as i32,
    ))
}

/// Resolves recognised spans into mentions.
pub(crate) fn resolve(
    index: &Index,
    text: &str,
    spans: Vec<Span>,
    options: &GeoparseOptions,
) -> Vec<Mention> {
    let mut groups: HashMap<String, usize> = HashMap::default();
    let mut slots: Vec<Slot<'_>> = spans
        .into_iter()
        .map(|mut span| {
            let next = groups.len();
            let group = *groups
                .entry(crate::fold::fold(&text[span.bytes.clone()]))
                .or_insert(next);
            span.cands.truncate(MAX_CANDIDATES);
            let places: Vec<_> = span.cands.iter().map(|c| index.record(c.index)).collect();
            let countries = places.iter().map(country_key).collect();
            let admin1s = places.iter().map(admin1_key).collect();
            let cells = places.iter().map(cell_key).collect();
            let probs = span.cands.iter().map(|c| c.prior).collect();
            let bonus = vec![0.0; span.cands.len()];
            Slot {
                span,
                group,
                places,
                countries,
                admin1s,
                cells,
                probs,
                bonus,
            }
        })
        .collect();
    qualifiers(text, &mut slots);

    // One set of vote maps for the document, refilled each round: they keep their size.
    let mut context = Context::default();
    for _ in 0..3 {
        context.count(&slots);
        for i in 0..slots.len() {
            let supports = context.supports(&slots, i);
            let slot = &mut slots[i];
            let scores: Vec<f64> = slot
                .span
                .cands
                .iter()
                .zip(&supports)
                .zip(&slot.bonus)
                .map(|((c, support), bonus)| {
                    PRIOR_WEIGHT * c.weight.max(1e-9).ln()
                        + COUNTRY_WEIGHT * support.country.ln_1p()
                        + ADMIN1_WEIGHT * support.admin1.ln_1p()
                        + NEAR_WEIGHT * support.near.ln_1p()
                        + bonus
                })
                .collect();
            slot.probs = softmax(&scores);
        }
    }

    context.count(&slots);
    let mut repeats: HashMap<usize, usize> = HashMap::default();
    for s in &slots {
        *repeats.entry(s.group).or_insert(0) += 1;
    }
    let supports: Vec<Vec<Support>> = (0..slots.len())
        .map(|i| context.supports(&slots, i))
        .collect();
    let distances = distances_to_others(&slots);
    let mut cursor = (0, 0);
    slots
        .into_iter()
        .zip(supports)
        .zip(distances)
        .filter_map(|((slot, supports), distance)| {
            let (byte, chars) = cursor;
            let start = chars + text[byte..slot.span.bytes.start].chars().count();
            cursor = (slot.span.bytes.start, start);
            let repeats = repeats.get(&slot.group).copied().unwrap_or(1);
            let context = MentionContext {
                supports: &supports,
                repeats,
                distance,
            };
            mention(index, text, slot, &context, start, options)
        })
        .collect()
}

/// The document's votes: how much the names of each group support each country, division and
/// grid cell.
#[derive(Default)]
struct Context {
    countries: HashMap<u64, f64>,
    admin1s: HashMap<u64, f64>,
    /// Votes for each grid cell from the candidates in it and in the eight around it.
    near: HashMap<(i32, i32), f64>,
    leaders: Vec<usize>,
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

/// The cell and the eight around it.
fn neighbourhood((y, x): (i32, i32)) -> impl Iterator<Item = (i32, i32)> {
    (-1..=1).flat_map(move |dy| (-1..=1).map(move |dx| (y + dy, x + dx)))
}

impl Context {
    /// Counts the votes of the slots' current probabilities, replacing those counted before.
    fn count(&mut self, slots: &[Slot<'_>]) {
        let Self {
            countries,
            admin1s,
            near,
            leaders,
        } = self;
        leaders.clear();
        leaders.resize(slots.len(), usize::MAX);
        for (i, s) in slots.iter().enumerate() {
            if leaders[s.group] == usize::MAX {
                leaders[s.group] = i;
            }
        }
        countries.clear();
        admin1s.clear();
        near.clear();
        for &i in leaders.iter().filter(|&&i| i != usize::MAX) {
            let slot = &slots[i];
            for (j, p) in slot.probs.iter().enumerate() {
                let vote = p * slot.span.p_name;
                *countries.entry(slot.countries[j]).or_insert(0.0) += vote;
                if slot.admin1s[j] != 0 {
                    *admin1s.entry(slot.admin1s[j]).or_insert(0.0) += vote;
                }
                if let Some(cell) = slot.cells[j].filter(|_| *p >= MIN_NEAR_VOTE) {
                    for n in neighbourhood(cell) {
                        *near.entry(n).or_insert(0.0) += vote;
                    }
                }
            }
        }
    }

    /// For each candidate of slot `i`, the support of its country and of its division by the
    /// other names of the text (the votes of its own group taken out).
    fn supports(&self, slots: &[Slot<'_>], i: usize) -> Vec<Support> {
        // The votes of the slot's own group, to take out of the document's.
        let leader = &slots[self.leaders[slots[i].group]];
        let own = |keys: &[u64], key: u64| -> f64 {
            keys.iter()
                .zip(&leader.probs)
                .filter(|(k, _)| **k == key)
                .map(|(_, p)| p * leader.span.p_name)
                .sum()
        };
        let own_near = |(y, x): (i32, i32)| -> f64 {
            leader
                .cells
                .iter()
                .zip(&leader.probs)
                .filter(|(_, p)| **p >= MIN_NEAR_VOTE)
                .filter(|(c, _)| {
                    c.is_some_and(|(cy, cx)| (cy - y).abs() <= 1 && (cx - x).abs() <= 1)
                })
                .map(|(_, p)| p * leader.span.p_name)
                .sum()
        };
        let slot = &slots[i];
        (0..slot.probs.len())
            .map(|j| {
                let (c, a) = (slot.countries[j], slot.admin1s[j]);
                let country =
                    self.countries.get(&c).copied().unwrap_or(0.0) - own(&leader.countries, c);
                let admin1 = match a {
                    0 => 0.0,
                    a => self.admin1s.get(&a).copied().unwrap_or(0.0) - own(&leader.admin1s, a),
                };
                let near = slot.cells[j]
                    .and_then(|cell| Some(self.near.get(&cell)? - own_near(cell)))
                    .unwrap_or(0.0);
                Support {
                    country: country.max(0.0),
                    admin1: admin1.max(0.0),
                    near: near.max(0.0),
                }
            })
            .collect()
    }
}

/// Bonuses from adjacent qualifiers: «X, Y» where Y is X's division or country, and a demonym
/// just before a name («la ville turque de Gaziantep»).
fn qualifiers(text: &str, slots: &mut [Slot<'_>]) {
    for i in 0..slots.len() {
        if let Some(next) = slots.get(i + 1) {
            let gap = &text[slots[i].span.bytes.end..next.span.bytes.start];
            let gap = gap.trim();
            if gap == "," || gap == "(" {
                let quals: Vec<(&str, &str, PlaceKind)> = next
                    .places
                    .iter()
                    .map(|r| {
                        (
                            r.country,
                            r.admin1,
                            PlaceKind::from_feature(char::from(r.class), r.code),
                        )
                    })
                    .filter(|(_, _, k)| matches!(k, PlaceKind::Admin1 | PlaceKind::Country))
                    .collect();
                let (cur, _) = slots.split_at_mut(i + 1);
                let slot = &mut cur[i];
                for (r, b) in slot.places.iter().zip(slot.bonus.iter_mut()) {
                    let confirmed = quals.iter().any(|(c, a, k)| {
                        r.country == *c && (*k == PlaceKind::Country || r.admin1 == *a)
                    });
                    if confirmed {
                        *b += QUALIFIER_BONUS;
                    }
                }
            }
        }
        if i > 0 && slots[i - 1].span.kind == MentionKind::Demonym {
            let near = slots[i]
                .span
                .words
                .start
                .saturating_sub(slots[i - 1].span.words.end)
                <= 3;
            if near {
                let countries: Vec<&str> = slots[i - 1].places.iter().map(|r| r.country).collect();
                let slot = &mut slots[i];
                for (r, b) in slot.places.iter().zip(slot.bonus.iter_mut()) {
                    if countries.first() == Some(&r.country) {
                        *b += DEMONYM_BONUS;
                    }
                }
            }
        }
    }
}

/// Whether a place is a country or a first-level division.
fn is_region(r: &crate::index::Record<'_>) -> bool {
    matches!(
        PlaceKind::from_feature(char::from(r.class), r.code),
        PlaceKind::Country | PlaceKind::Admin1
    )
}

fn softmax(scores: &[f64]) -> Vec<f64> {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exps: Vec<f64> = scores.iter().map(|s| (s - max).exp()).collect();
    let total: f64 = exps.iter().sum();
    exps.iter().map(|e| e / total).collect()
}

/// The mention of a resolved slot; `start` is the span's offset in code points.
/// What the rest of the document says about one slot's chosen place.
struct MentionContext<'s> {
    supports: &'s [Support],
    repeats: usize,
    distance: Option<f64>,
}

/// How many neighbouring names, on each side, a name's distance is measured to.
const DISTANCE_WINDOW: usize = 16;

/// For each slot, the median distance from its best place to the best places of the names of
/// other groups around it in the text (at most [`DISTANCE_WINDOW`] on each side, so that the
/// cost stays linear in the length of the text).
fn distances_to_others(slots: &[Slot<'_>]) -> Vec<Option<f64>> {
    let best: Vec<Option<(f64, f64)>> = slots
        .iter()
        .map(|s| {
            let i = (0..s.probs.len()).max_by(|&a, &b| s.probs[a].total_cmp(&s.probs[b]))?;
            Some((f64::from(s.places[i].lat), f64::from(s.places[i].lon)))
        })
        .collect();
    (0..slots.len())
        .map(|i| {
            let (lat, lon) = best[i]?;
            let lo = i.saturating_sub(DISTANCE_WINDOW);
            let hi = (i + DISTANCE_WINDOW + 1).min(slots.len());
            let mut d: Vec<f64> = (lo..hi)
                .filter(|&j| slots[j].group != slots[i].group)
                .filter_map(|j| best[j])
                .map(|(la, lo)| crate::reverse::haversine_km(lat, lon, la, lo))
                .collect();
            if d.is_empty() {
                return None;
            }
            let mid = d.len() / 2;
            Some(*d.select_nth_unstable_by(mid, f64::total_cmp).1)
        })
        .collect()
}

fn mention(
    index: &Index,
    text: &str,
    slot: Slot<'_>,
    context: &MentionContext<'_>,
    start: usize,
    options: &GeoparseOptions,
) -> Option<Mention> {
    let supports = context.supports;
    let mut order: Vec<usize> = (0..slot.probs.len()).collect();
    order.sort_by(|&a, &b| slot.probs[b].total_cmp(&slot.probs[a]));
    let &best = order.first()?;
    let record = &slot.places[best];
    let cues = slot.span.cues;
    let features = Features {
        recognition: slot.span.p_name,
        resolution: slot.probs[best],
        log_importance: crate::prior::importance(record).log10(),
        country_support: supports[best].country,
        admin1_support: supports[best].admin1,
        near_support: supports[best].near,
        demonym: slot.span.kind == MentionKind::Demonym,
        multiword: slot.span.words.len() > 1,
        sentence_start: cues.sentence_start,
        common: cues.common,
        person_name: cues.person_name,
        in_name: cues.in_name,
        untagged_alternate: cues.untagged_alternate,
        kind: PlaceKind::from_feature(char::from(record.class), record.code),
        repeats: context.repeats,
        distance_to_others: context.distance,
        prior: slot.span.cands[best].prior,
        top_prior: slot
            .span
            .cands
            .iter()
            .all(|c| c.prior <= slot.span.cands[best].prior),
        rivals: slot
            .span
            .cands
            .iter()
            .filter(|c| c.prior >= SERIOUS_PRIOR)
            .count(),
        qualified: slot.bonus[best] > 0.0,
        passed_over_region: !is_region(record) && slot.places.iter().any(is_region),
    };
    let score = features.score();
    if score < options.min_score {
        return None;
    }
    let bytes = slot.span.bytes.clone();
    let alternatives = order
        .iter()
        .skip(1)
        .take(options.max_alternatives)
        .map(|&i| {
            let c = &slot.span.cands[i];
            Candidate {
                place: index.record(c.index).to_place(),
                name_kind: c.kind,
                lang: index.lang(c.lang).to_owned(),
                prior: c.prior,
                score: slot.probs[i],
            }
        })
        .collect();
    Some(Mention {
        chars: start..start + text[bytes.clone()].chars().count(),
        text: text[bytes.clone()].to_owned(),
        bytes,
        kind: slot.span.kind,
        place: index.record(slot.span.cands[best].index).to_place(),
        score,
        alternatives,
        features,
    })
}
