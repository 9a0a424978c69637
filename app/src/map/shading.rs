//! The shading of the first-level divisions (`/api/divisions`): each division's number of
//! events or of fatalities, classed into the ramp's steps by breaks that grow in a 1–2–5
//! sequence up to the largest value, so that a legend reads in round numbers.

use super::mode::Layer;
use super::ramp::{self, RAMP};
use std::collections::HashMap;
use vocab::Divisions;

/// The divisions' values and the classes they fall into.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shading {
    /// Each division's value, by its GeoNames code (`AZ.64`); divisions without events are
    /// left out.
    values: HashMap<String, u64>,
    /// The lowest value of each class, ascending (at most one per step of the ramp).
    pub breaks: Vec<u64>,
    /// What the values count.
    pub layer: Layer,
    /// How many events lie in no division.
    pub outside: u64,
}

impl Shading {
    /// The shading of a layer (count or fatalities) from the server's sums.
    pub fn new(sums: &Divisions, layer: Layer) -> Self {
        let value = |d: &vocab::Division| match layer {
            Layer::DivisionFatalities => d.fatalities,
            _ => d.count,
        };
        let values: HashMap<String, u64> = sums
            .divisions
            .iter()
            .filter(|d| value(d) > 0)
            .map(|d| (d.code.clone(), value(d)))
            .collect();
        let top = values.values().copied().max().unwrap_or(0);
        Self {
            values,
            breaks: breaks(top, RAMP.len()),
            layer,
            outside: sums.outside,
        }
    }

    /// The class of a division's value (an index in `breaks`), `None` when it holds nothing.
    pub fn class_of(&self, code: &str) -> Option<usize> {
        let v = *self.values.get(code)?;
        self.breaks.iter().rposition(|&b| v >= b)
    }

    /// The colour of a class: the classes spread over the whole ramp, so that two classes are
    /// its lightest and darkest steps.
    pub fn class_colour(&self, class: usize) -> String {
        let last = self.breaks.len().saturating_sub(1).max(1);
        ramp::css((class * (RAMP.len() - 1) + last / 2) / last)
    }

    /// The legend's labels of the classes: `1`, `2–4`, `5 or more`.
    pub fn labels(&self) -> Vec<String> {
        self.breaks
            .iter()
            .enumerate()
            .map(|(i, &b)| match self.breaks.get(i + 1) {
                Some(&next) if next - 1 == b => b.to_string(),
                Some(&next) => format!("{b}–{}", next - 1),
                None => format!("{b} or more"),
            })
            .collect()
    }
}

/// At most `classes` lower bounds from 1, in the sequence 1, 2, 5, 10, 20, 50…, spread so
/// that the last is at most `top`: the round numbers nearest to equal steps on a log scale.
fn breaks(top: u64, classes: usize) -> Vec<u64> {
    if top == 0 || classes == 0 {
        return Vec::new();
    }
    let round: Vec<u64> = (0..19)
        .flat_map(|e| [1, 2, 5].map(|m| m * 10u64.pow(e)))
        .take_while(|&r| r <= top)
        .collect();
    let span = (top as f64).log10();
    let mut out: Vec<u64> = (0..classes)
        .map(|i| {
            let target = span * i as f64 / classes as f64;
            round
                .iter()
                .copied()
                .min_by(|a, b| {
                    let da = ((*a as f64).log10() - target).abs();
                    let db = ((*b as f64).log10() - target).abs();
                    da.total_cmp(&db)
                })
                .unwrap_or(1)
        })
        .collect();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use vocab::Division;

    fn division(code: &str, count: u64, fatalities: u64) -> Division {
        Division {
            code: code.into(),
            name: format!("{code} province"),
            count,
            fatalities,
        }
    }

    #[test]
    fn breaks_are_round_and_rise() {
        assert_eq!(breaks(0, 5), Vec::<u64>::new());
        assert_eq!(breaks(1, 5), vec![1]);
        assert_eq!(breaks(3, 5), vec![1, 2]);
        assert_eq!(breaks(1000, 5), vec![1, 5, 20, 50, 200]);
        for top in [7, 40, 999, 54_206] {
            let b = breaks(top, 5);
            assert!(b.windows(2).all(|w| w[0] < w[1]), "{b:?}");
            assert!(b.len() <= 5 && *b.last().unwrap_or(&0) <= top, "{b:?}");
        }
    }

    #[test]
    fn divisions_fall_into_classes_by_count_or_fatalities() {
        let sums = Divisions {
            total: 120,
            outside: 4,
            divisions: vec![
                division("AZ.64", 100, 0),
                division("AZ.56", 15, 30),
                division("AM.08", 1, 2),
            ],
        };
        let count = Shading::new(&sums, Layer::DivisionCount);
        assert_eq!(count.class_of("AM.08"), Some(0));
        assert_eq!(count.class_of("AZ.64"), Some(count.breaks.len() - 1));
        assert!(count.class_of("AZ.56") > count.class_of("AM.08"));
        assert_eq!(count.class_of("RU.01"), None);
        assert_eq!(
            count.labels().last().map(String::as_str),
            Some("50 or more")
        );
        let deaths = Shading::new(&sums, Layer::DivisionFatalities);
        assert_eq!(deaths.class_of("AZ.64"), None, "no fatalities, no shade");
        let two = Shading::new(
            &Divisions {
                divisions: vec![division("AM.01", 1, 0), division("AM.02", 3, 0)],
                ..Divisions::default()
            },
            Layer::DivisionCount,
        );
        assert_eq!(two.breaks, [1, 2]);
        assert_eq!(
            [two.class_colour(0), two.class_colour(1)],
            [ramp::css(0), ramp::css(4)]
        );
        assert_eq!(count.class_colour(0), ramp::css(0));
        assert_eq!(count.class_colour(count.breaks.len() - 1), ramp::css(4));
        assert!(deaths.class_of("AZ.56") > deaths.class_of("AM.08"));
    }
}
