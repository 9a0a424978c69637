//! Candidate places for a name and their prior likelihood, before any context.
//!
//! A candidate's weight is the importance of its place (population, or a stand-in for the kinds
//! of places that have none: countries, first-level divisions, regions) times how strongly the
//! name belongs to it (a main name more than an alternate, a name in the text's language more
//! than one in another). Priors are the weights normalised over all the places a name may mean.

use crate::index::{Index, Posting, Record};
use crate::model::{Candidate, NameKind, PlaceKind};
use crate::reverse::distance_km;

/// A candidate place of a name while ranking, by its record in the index: the weight and prior
/// that rank it, and how the name belongs to it. [`RankedCandidate::into_candidate`] makes it
/// the public [`Candidate`].
#[derive(Debug, Clone)]
pub(crate) struct RankedCandidate {
    /// The place's record index.
    pub record: usize,
    /// How the name belongs to the place.
    pub kind: NameKind,
    /// Language of the name, as an index of the index's language list.
    pub lang: u16,
    /// `FLAG_*` bits of the best posting.
    pub flags: u8,
    /// How strongly the name points at the place (see `name_factor`).
    pub factor: f64,
    /// Unnormalised weight.
    pub weight: f64,
    /// Normalised prior.
    pub prior: f64,
}

impl RankedCandidate {
    /// The candidate as a public value, with `score` equal to the prior.
    pub fn into_candidate(self, index: &Index) -> Candidate {
        Candidate {
            place: index.record(self.record).place(),
            name_kind: self.kind,
            lang: index.lang(self.lang).into(),
            prior: self.prior,
            score: self.prior,
        }
    }
}

/// How the language of a name relates to the text's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LangFit {
    /// The name is recorded in the text's language.
    Same,
    /// The name's language is unknown, or the text's.
    Unknown,
    /// The name is recorded in another language only.
    Other,
}

/// How strongly a name of this kind points at its place.
fn name_factor(kind: NameKind, fit: LangFit) -> f64 {
    let base = match kind {
        NameKind::Main | NameKind::Demonym => 1.0,
        NameKind::Short | NameKind::Abbreviation => 0.8,
        NameKind::Alternate => 0.6,
        NameKind::Colloquial => 0.3,
        NameKind::Historic => 0.05,
    };
    match fit {
        LangFit::Same => base * 1.6,
        LangFit::Unknown => base,
        LangFit::Other => base * 0.01,
    }
}

/// Merges postings into one candidate per place, weighted, the best `sorted` first by prior
/// (best first), the others after them in no particular order.
pub(crate) fn from_postings(
    index: &Index,
    postings: impl Iterator<Item = Posting>,
    fits: &LangFits,
    sorted: usize,
) -> Vec<RankedCandidate> {
    // One candidate per posting at most: room for them all at once.
    let mut out: Vec<RankedCandidate> = Vec::with_capacity(postings.size_hint().1.unwrap_or(0));
    for p in postings {
        let place = p.place as usize;
        if place >= index.len() {
            continue;
        }
        let fit = fits.of(p.lang);
        // Postings come sorted by place: the postings of one place are neighbours.
        if let Some(c) = out.last_mut().filter(|c| c.record == place) {
            let weight = c.weight / c.factor * name_factor(p.kind, fit);
            if weight > c.weight {
                c.kind = p.kind;
                c.lang = p.lang;
                c.flags = p.flags;
                c.factor = name_factor(p.kind, fit);
                c.weight = weight;
            }
            continue;
        }
        let factor = name_factor(p.kind, fit);
        out.push(RankedCandidate {
            record: place,
            kind: p.kind,
            lang: p.lang,
            flags: p.flags,
            factor,
            weight: index.importance(place) * factor,
            prior: 0.0,
        });
    }
    cap_foreign_names(index, fits, &mut out);
    demote_variants(fits, &mut out);
    prefer_seats(index, fits, &mut out);
    normalise(&mut out, sorted);
    out
}

/// How each language of the index fits a text's, by the language's number: a name in the
/// text's language is [`LangFit::Same`], one of unknown language (no tag, or `abbr`) is
/// [`LangFit::Unknown`], any other [`LangFit::Other`] (or unknown when the text's language is).
/// Worked out once per text from the numbers of three tags, so that ranking compares none.
pub(crate) struct LangFits {
    /// How many languages the index numbers.
    count: usize,
    /// The number of the text's language, if the index has it.
    same: Option<u16>,
    /// The numbers of the tags that say nothing of the language: none, and `abbr`.
    unknown: [Option<u16>; 2],
    /// Whether the text's language is known.
    known: bool,
}

impl LangFits {
    /// The fits of the index's languages to the text language `lang`.
    pub(crate) fn new(index: &Index, lang: Option<&str>) -> Self {
        Self {
            count: index.langs().len(),
            same: lang.and_then(|l| index.lang_number(l)),
            unknown: [index.lang_number(""), index.lang_number("abbr")],
            known: lang.is_some(),
        }
    }

    /// Whether the language numbered `i` is no language: a name without a tag, or `abbr`.
    fn untagged(&self, i: u16) -> bool {
        usize::from(i) >= self.count || self.unknown.contains(&Some(i))
    }

    /// How the language numbered `i` fits (a number out of the list has no tag: unknown).
    fn of(&self, i: u16) -> LangFit {
        if usize::from(i) >= self.count || self.unknown.contains(&Some(i)) {
            LangFit::Unknown
        } else if self.same == Some(i) {
            LangFit::Same
        } else if self.known {
            LangFit::Other
        } else {
            LangFit::Unknown
        }
    }
}

/// Importance above which a name recorded only in other languages than the text's earns
/// nothing more: a country's name in some far language must not outweigh a district whose own
/// name it is.
const FOREIGN_CAP: f64 = 1e7;

/// Caps the importance of the places that bear a name only in other languages than the text's:
/// «Laçın» in a French text is the Azerbaijani district, not China (whose name it is in
/// Kabyle), and «Columbia» in English is not Colombia; a place known under its foreign name only
/// (a division the data names in Indonesian alone) still wins over a hamlet.
fn cap_foreign_names(index: &Index, fits: &LangFits, cands: &mut [RankedCandidate]) {
    for c in cands {
        if fits.of(c.lang) == LangFit::Other {
            c.weight = index.importance(c.record).min(FOREIGN_CAP) * c.factor;
        }
    }
}

/// What is left of the weight of a place that bears a name only as an untagged variant when the
/// name is another place's own name.
const VARIANT_FACTOR: f64 = 0.35;

/// Where a name is the own (main) name of some places, the places that bear it only as a variant
/// of no language (GeoNames' untagged alternates: mostly former or post-office names of US
/// towns, «Maryville» for Beeville, «Lone Oak» for Okolona, «Berea» for Aleppo) keep a twentieth
/// of their weight: a text that writes the name means the places called so, unless it says
/// otherwise. Names tagged with a language (exonyms: «Londres», «Alep») are left as they are.
fn demote_variants(fits: &LangFits, cands: &mut [RankedCandidate]) {
    if !cands.iter().any(|c| c.kind == NameKind::Main) {
        return;
    }
    for c in cands {
        let variant = matches!(c.kind, NameKind::Alternate | NameKind::Colloquial);
        if variant && fits.untagged(c.lang) {
            c.weight *= VARIANT_FACTOR;
        }
    }
}

/// Where a name means both a division and a city in it («Alep», «Gaziantep», «Gao», «Kidal»;
/// the Italian province «Ragusa»), news speak of the city: the division keeps a fifth of its
/// weight. A division of unknown population counts as a million people, a second-level one as
/// a hundred thousand ([`Index::importance`]), more than many of their seats: it also keeps no
/// more than half the weight of its largest city of that name.
fn prefer_seats(index: &Index, fits: &LangFits, cands: &mut [RankedCandidate]) {
    if !cands
        .iter()
        .any(|c| matches!(index.kind(c.record), PlaceKind::Admin1 | PlaceKind::Admin2))
    {
        return;
    }
    let records: Vec<Record<'_>> = cands.iter().map(|c| index.record(c.record)).collect();
    // The weight of the heaviest city of the division among the candidates; with `named`, only
    // of a city whose own name, or a name in the text's language, the division's name is (not
    // Topeka, which GeoNames also calls «Kansas»).
    let seat = |r: &Record<'_>, named: bool| {
        records
            .iter()
            .zip(cands.iter())
            .filter(|(s, c)| {
                s.class == b'P'
                    && s.population >= 10_000
                    && lies_in(s, r)
                    && (!named || c.kind == NameKind::Main || fits.of(c.lang) == LangFit::Same)
            })
            .map(|(_, c)| c.weight)
            .reduce(f64::max)
    };
    let weights: Vec<Option<f64>> = records
        .iter()
        .zip(cands.iter())
        .map(|(r, c)| {
            if !matches!(r.code, "ADM1" | "ADM2") {
                return None;
            }
            seat(r, false)?;
            let cap = if r.population == 0 {
                seat(r, true).map_or(f64::INFINITY, |w| w * 0.5)
            } else {
                f64::INFINITY
            };
            Some((c.weight * 0.2).min(cap))
        })
        .collect();
    for (c, weight) in cands.iter_mut().zip(weights) {
        if let Some(weight) = weight {
            c.weight = weight;
        }
    }
}

/// Whether the best of a name's candidates (ranked) is a city whose own name it is and that
/// shares it with a first-level division it lies in, also a candidate («Gao», «Tartar», which
/// [`prefer_seats`] puts first): the name is as well known as the division's.
pub(crate) fn seat_of_division(index: &Index, cands: &[RankedCandidate]) -> bool {
    let Some(best) = cands.first() else {
        return false;
    };
    if best.kind != NameKind::Main
        || !matches!(
            index.kind(best.record),
            PlaceKind::City | PlaceKind::Capital
        )
    {
        return false;
    }
    let seat = index.record(best.record);
    cands[1..].iter().any(|c| {
        index.kind(c.record) == PlaceKind::Admin1 && lies_in(&seat, &index.record(c.record))
    })
}

/// How far from a second-level division's point a place may lie to count as in it, in
/// kilometres (a French department or an Italian province is 50 to 150 km across; the index
/// keeps no second-level code of towns).
const SECOND_LEVEL_KM: f64 = 75.0;

/// Whether `place` lies in the division `division`: same country and first-level code, and
/// for a second-level division within [`SECOND_LEVEL_KM`] of its point.
fn lies_in(place: &Record<'_>, division: &Record<'_>) -> bool {
    place.country == division.country
        && place.admin1() == division.admin1()
        && (division.code != "ADM2"
            || distance_km(place.point(), division.point()) <= SECOND_LEVEL_KM)
}

/// Orders candidates by weight, best first, ties by record index.
fn best_first(a: &RankedCandidate, b: &RankedCandidate) -> std::cmp::Ordering {
    b.weight.total_cmp(&a.weight).then(a.record.cmp(&b.record))
}

/// Sets priors from weights and puts the best `sorted` first, best first (ties by record index),
/// the others after them in no particular order: of a name of hundreds of places, only the
/// head is read.
pub(crate) fn normalise(cands: &mut [RankedCandidate], sorted: usize) {
    let total: f64 = cands.iter().map(|c| c.weight).sum();
    for c in cands.iter_mut() {
        c.prior = if total > 0.0 { c.weight / total } else { 0.0 };
    }
    let head = if sorted < cands.len() {
        cands.select_nth_unstable_by(sorted, best_first).0
    } else {
        cands
    };
    head.sort_unstable_by(best_first);
}

/// The candidates of a folded name key.
pub(crate) fn candidates(index: &Index, key: &str, lang: Option<&str>) -> Vec<RankedCandidate> {
    from_postings(
        index,
        index.lookup_key(key).into_iter(),
        &LangFits::new(index, lang),
        usize::MAX,
    )
}

/// How many names a prefix search reads at most before ranking.
const SEARCH_KEYS: usize = 400;

/// Candidates of every name that starts with a folded prefix, best first, one per place.
pub(crate) fn search(
    index: &Index,
    prefix: &str,
    lang: Option<&str>,
    limit: usize,
) -> Vec<RankedCandidate> {
    use fst::{IntoStreamer, Streamer, automaton::Automaton};
    if prefix.is_empty() || limit == 0 {
        return Vec::new();
    }
    let automaton = fst::automaton::Str::new(prefix).starts_with();
    let mut stream = index.names().search(automaton).into_stream();
    let mut found: Vec<RankedCandidate> = Vec::new();
    let mut keys = 0;
    let fits = LangFits::new(index, lang);
    while let Some((key, value)) = stream.next() {
        let exact = key == prefix.as_bytes();
        // Sorted below with the others.
        for mut c in from_postings(index, index.postings(value), &fits, 0) {
            if exact {
                c.weight *= 10.0;
            }
            found.push(c);
        }
        keys += 1;
        if keys >= SEARCH_KEYS {
            break;
        }
    }
    found.sort_by(best_first);
    let mut seen = rustc_hash::FxHashSet::default();
    found.retain(|c| seen.insert(c.record));
    found.truncate(limit);
    normalise(&mut found, usize::MAX);
    found
}
