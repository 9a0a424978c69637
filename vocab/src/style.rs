//! How each event type looks on the map: its colour and its symbol, with its name and label.

use crate::event_type::EventType;

/// The shape an event type is drawn with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbol {
    /// A circle.
    Circle,
    /// A square.
    Square,
    /// A diamond.
    Diamond,
    /// A triangle pointing up.
    Triangle,
    /// A triangle pointing down.
    TriangleDown,
    /// A hexagon-like star of two triangles.
    Star,
}

/// How one event type looks and reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TypeStyle {
    /// The type.
    pub event_type: EventType,
    /// The API's name of the type ([`EventType::as_str`]).
    pub name: &'static str,
    /// What people call it ([`EventType::label`]).
    pub label: &'static str,
    /// Fill colour, CSS.
    pub colour: &'static str,
    /// Its symbol.
    pub symbol: Symbol,
}

impl EventType {
    /// The type's fill colour (CSS) and symbol on the map: the Okabe–Ito palette, which stays
    /// apart under the common colour-vision deficiencies (tested below under simulated
    /// protanopia and deuteranopia); its yellow is left out, too pale on the land.
    const fn look(self) -> (&'static str, Symbol) {
        match self {
            Self::Battles => ("#d55e00", Symbol::Diamond),
            Self::ExplosionsRemoteViolence => ("#e69f00", Symbol::Star),
            Self::ViolenceAgainstCivilians => ("#cc79a7", Symbol::Square),
            Self::Protests => ("#0072b2", Symbol::Circle),
            Self::Riots => ("#56b4e9", Symbol::Triangle),
            Self::StrategicDevelopments => ("#009e73", Symbol::TriangleDown),
            Self::Diplomacy => ("#000000", Symbol::Circle),
        }
    }

    /// How the type looks and reads on the map.
    pub fn style(self) -> &'static TypeStyle {
        // `STYLES` follows `ALL`, which follows the declaration order (see the tests).
        &STYLES[self as usize]
    }
}

/// The style of every event type, in the order of [`EventType::ALL`] (the filter chips' order).
pub static STYLES: [TypeStyle; EventType::ALL.len()] = styles();

const fn styles() -> [TypeStyle; EventType::ALL.len()] {
    let mut out = [style_of(EventType::Battles); EventType::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = style_of(EventType::ALL[i]);
        i += 1;
    }
    out
}

const fn style_of(event_type: EventType) -> TypeStyle {
    let (colour, symbol) = event_type.look();
    TypeStyle {
        event_type,
        name: event_type.as_str(),
        label: event_type.label(),
        colour,
        symbol,
    }
}

/// The style of a type by its API name; unknown names look like diplomacy's grey circle.
pub fn type_style(name: &str) -> &'static TypeStyle {
    EventType::parse(name)
        .unwrap_or(EventType::Diplomacy)
        .style()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_its_own_style() {
        for t in EventType::ALL {
            let style = t.style();
            assert_eq!(style.event_type, t);
            assert_eq!((style.name, style.label), (t.as_str(), t.label()));
            assert!(
                style.colour.starts_with('#') && style.colour.len() == 7,
                "{t}"
            );
        }
        let colours: std::collections::HashSet<_> = STYLES.iter().map(|s| s.colour).collect();
        assert_eq!(colours.len(), STYLES.len(), "two types share a colour");
    }

    /// A CSS colour `#rrggbb` as linear RGB.
    fn linear(colour: &str) -> [f64; 3] {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&colour[i..i + 2], 16).expect("hex")) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        [channel(1), channel(3), channel(5)]
    }

    /// Linear RGB as CIE L*a*b* (D65).
    fn lab([r, g, b]: [f64; 3]) -> [f64; 3] {
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.950_47;
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.088_83;
        let f = |t: f64| {
            if t > 216.0 / 24389.0 {
                t.cbrt()
            } else {
                (24389.0 / 27.0 * t + 16.0) / 116.0
            }
        };
        let (fx, fy, fz) = (f(x), f(y), f(z));
        [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
    }

    #[test]
    fn colours_stay_apart_under_simulated_protanopia_and_deuteranopia() {
        // Machado, Oliveira and Fernandes (2009), severity 1, on linear RGB.
        let simulations = [
            (
                "trichromat",
                [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
            ),
            (
                "protanopia",
                [
                    [0.152_286, 1.052_583, -0.204_868],
                    [0.114_503, 0.786_281, 0.099_216],
                    [-0.003_882, -0.048_116, 1.051_998],
                ],
            ),
            (
                "deuteranopia",
                [
                    [0.367_322, 0.860_646, -0.227_968],
                    [0.280_085, 0.672_501, 0.047_413],
                    [-0.011_820, 0.042_940, 0.968_881],
                ],
            ),
        ];
        for (name, m) in simulations {
            let seen: Vec<[f64; 3]> = STYLES
                .iter()
                .map(|s| {
                    let c = linear(s.colour);
                    lab(std::array::from_fn(|r| {
                        (0..3).map(|k| m[r][k] * c[k]).sum::<f64>().clamp(0.0, 1.0)
                    }))
                })
                .collect();
            for (i, a) in seen.iter().enumerate() {
                for (j, b) in seen.iter().enumerate().skip(i + 1) {
                    let delta = (0..3).map(|k| (a[k] - b[k]).powi(2)).sum::<f64>().sqrt();
                    assert!(
                        delta > 15.0,
                        "{name}: {} and {} differ by ΔE {delta:.1}",
                        STYLES[i].name,
                        STYLES[j].name
                    );
                }
            }
        }
    }

    #[test]
    fn styles_are_found_by_name() {
        assert_eq!(type_style("battles").symbol, Symbol::Diamond);
        assert_eq!(type_style("protests").colour, "#0072b2");
        assert_eq!(type_style("parade").event_type, EventType::Diplomacy);
    }
}
