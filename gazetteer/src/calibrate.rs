//! The calibrated score of a mention: a logistic model over what recognition and resolution saw.
//!
//! The weights are fitted by `eval/fit_calibration.py` on the LGL corpus (documents split in two
//! halves, fitted on one and checked on the other, then refitted on all); `karta geoparse
//! --explain` prints each mention's feature vector, which is what the script reads. The score is
//! the probability that the mention is a place name of the text *and* that the chosen place is
//! right (within 161 km).

use crate::model::PlaceKind;
use serde::{Deserialize, Serialize};

/// What the score of a mention is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Features {
    /// Probability from the recognition rules that the span is a place name.
    pub recognition: f64,
    /// Probability from the resolution vote that the chosen place is the right one.
    pub resolution: f64,
    /// log10 of the chosen place's importance (population or its stand-in).
    pub log_importance: f64,
    /// Support of the chosen place's country by the text's other names.
    pub country_support: f64,
    /// Support of the chosen place's first-level division by the text's other names.
    pub admin1_support: f64,
    /// The span is a demonym.
    pub demonym: bool,
    /// The span has more than one word.
    pub multiword: bool,
    /// The span starts a sentence.
    pub sentence_start: bool,
    /// The span is a common word of the language.
    pub common: bool,
    /// The span is also a personal name.
    pub person_name: bool,
    /// Other capitalised words touch the span.
    pub in_name: bool,
    /// The name matched only as an alternate name of unknown language.
    pub untagged_alternate: bool,
    /// The chosen place's kind.
    pub kind: PlaceKind,
    /// How many times the same name occurs in the text.
    pub repeats: usize,
    /// Median distance in km from the chosen place to the places chosen for the text's other
    /// names; `None` when the text has no other name.
    pub distance_to_others: Option<f64>,
}

/// Number of entries of [`Features::vector`].
pub const DIM: usize = 20;

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-4, 1.0 - 1e-4);
    (p / (1.0 - p)).ln()
}

fn flag(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

impl Features {
    /// The model's input vector (the first entry is the constant term).
    pub fn vector(&self) -> [f64; DIM] {
        [
            1.0,
            logit(self.recognition),
            logit(self.resolution),
            self.log_importance,
            (1.0 + self.country_support).ln(),
            (1.0 + self.admin1_support).ln(),
            flag(self.demonym),
            flag(self.multiword),
            flag(self.sentence_start),
            flag(self.common),
            flag(self.person_name),
            flag(self.in_name),
            flag(self.untagged_alternate),
            flag(self.kind == PlaceKind::Country),
            flag(self.kind == PlaceKind::Admin1),
            flag(self.kind == PlaceKind::Admin2),
            flag(matches!(self.kind, PlaceKind::City | PlaceKind::Capital)),
            (self.repeats as f64).ln_1p(),
            self.distance_to_others.map_or(0.0, f64::ln_1p),
            flag(self.distance_to_others.is_none()),
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
    -1.3334, 0.0280, 0.0894, 0.5629, 0.3427, 1.2715, -1.2857, 0.2161, -0.4636, -0.0299, -0.5999,
    -1.0928, -1.8518, 0.0876, 0.5002, 1.4256, 0.5202, 0.1225, -0.3402, -1.9542,
];
