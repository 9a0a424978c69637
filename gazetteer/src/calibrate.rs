//! The calibrated score of a mention: a logistic model over what recognition and resolution saw.
//!
//! The weights are fitted by `eval/fit_calibration.py` on the LGL corpus (documents split in two
//! halves, fitted on one and checked on the other, then refitted on all); `karta geoparse
//! --explain` prints each mention's feature vector, which is what the script reads. The score is
//! the probability that the mention is a place name of the text *and* that the chosen place is
//! right (within 161 km).

use crate::model::{Features, PlaceKind};
use std::sync::LazyLock;

/// The prior from which a candidate counts as a serious rival of the others (see
/// [`Features::rivals`]).
pub(crate) const SERIOUS_PRIOR: f64 = 0.05;

/// Number of entries of [`Features::vector`].
pub(crate) const DIM: usize = 36;

/// The probabilities that [`logit`] clamps to.
const LOWEST: f64 = 1e-4;
const HIGHEST: f64 = 1.0 - 1e-4;

/// The log of the odds of `p`, clamped to [`LOWEST`] and [`HIGHEST`].
fn logit(p: f64) -> f64 {
    let p = p.clamp(LOWEST, HIGHEST);
    (p / (1.0 - p)).ln()
}

/// `ln(1 + x)`, without the call for the zero that many supports are (`ln_1p` gives back ±0 as
/// it is).
fn ln_1p(x: f64) -> f64 {
    if x == 0.0 { x } else { x.ln_1p() }
}

/// `ln(1 + n)` for a count, the small ones read from a table that `ln_1p` filled once.
fn ln_1p_count(n: usize) -> f64 {
    static SMALL: LazyLock<[f64; 64]> =
        LazyLock::new(|| std::array::from_fn(|n| (n as f64).ln_1p()));
    SMALL.get(n).copied().unwrap_or_else(|| (n as f64).ln_1p())
}

fn flag(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

impl Features {
    /// The model's input vector (the first entry is the constant term): the features, then a
    /// few products of them where one feature changes what another means (support by the
    /// text's country matters differently for a town than for a country; a demonym's
    /// importance is its country's; a rare name needs less support than a common one).
    pub fn vector(&self) -> [f64; DIM] {
        let country_support = ln_1p(self.country_support);
        let admin1_support = ln_1p(self.admin1_support);
        let log_importance = self.log_importance;
        let repeats = ln_1p_count(self.repeats);
        let rivals = ln_1p_count(self.rivals);
        let kinds = [
            flag(self.kind == PlaceKind::Country),
            flag(self.kind == PlaceKind::Admin1),
            flag(self.kind == PlaceKind::Admin2),
            flag(matches!(self.kind, PlaceKind::City | PlaceKind::Capital)),
        ];
        let demonym = flag(self.demonym);
        [
            1.0,
            logit(self.recognition),
            logit(self.resolution),
            log_importance,
            country_support,
            admin1_support,
            demonym,
            flag(self.multiword),
            flag(self.sentence_start),
            flag(self.common),
            flag(self.person_name),
            flag(self.in_name),
            flag(self.untagged_alternate),
            kinds[0],
            kinds[1],
            kinds[2],
            kinds[3],
            repeats,
            self.distance_to_others.map_or(0.0, ln_1p),
            flag(self.distance_to_others.is_none()),
            logit(self.prior),
            flag(self.top_prior),
            rivals,
            flag(self.qualified),
            flag(self.passed_over_region),
            ln_1p(self.near_support),
            kinds[0] * country_support,
            kinds[1] * country_support,
            kinds[2] * country_support,
            kinds[3] * country_support,
            demonym * log_importance,
            demonym * country_support,
            demonym * repeats,
            flag(self.top_prior) * rivals,
            rivals * country_support,
            rivals * admin1_support,
        ]
    }

    /// The calibrated probability that the mention is a place name and resolved right.
    pub fn score(&self) -> f64 {
        let z: f64 = self.vector().iter().zip(WEIGHTS).map(|(x, w)| x * w).sum();
        1.0 / (1.0 + (-z).exp())
    }
}

/// Fitted by `eval/fit_calibration.py`; see BENCHMARKS.md for the fit and its check.
const WEIGHTS: [f64; DIM] = [
    -2.9285, 0.0634, 0.1646, 0.6079, 1.6603, 0.4161, 1.3143, 0.2778, -0.4478, -0.2454, -0.5237,
    -1.1040, -1.8631, 0.2009, -0.7594, 2.2293, 0.8336, -0.0252, -0.2891, -1.6806, -0.0653, 0.2219,
    1.2566, 1.7701, 0.2022, 0.7549, -0.1881, 1.9156, -0.9756, -0.7693, -0.4980, -0.5976, 1.5375,
    -0.4811, -1.1596, 0.4335,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_zero_shortcut_and_the_clamped_logit_give_the_bits_of_the_plain_formulas() {
        for x in [0.0_f64, -0.0, 1e-300, 0.5, 1.0, 3.7, 1e6] {
            assert_eq!(ln_1p(x).to_bits(), x.ln_1p().to_bits(), "{x}");
        }
        // The bounds the score's model was fitted with.
        for p in [0.0_f64, 1e-5, 1e-4, 0.3, 0.5, 0.9999, 1.0 - 1e-4, 1.0] {
            let clamped = p.clamp(1e-4, 1.0 - 1e-4);
            let plain = (clamped / (1.0 - clamped)).ln();
            assert_eq!(logit(p).to_bits(), plain.to_bits(), "{p}");
        }
    }
}
