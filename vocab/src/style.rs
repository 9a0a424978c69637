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
    /// The type's fill colour (CSS) and symbol on the map.
    const fn look(self) -> (&'static str, Symbol) {
        match self {
            Self::Battles => ("#c0392b", Symbol::Diamond),
            Self::ExplosionsRemoteViolence => ("#d35400", Symbol::Star),
            Self::ViolenceAgainstCivilians => ("#8e44ad", Symbol::Square),
            Self::Protests => ("#1f6fb2", Symbol::Circle),
            Self::Riots => ("#b0306a", Symbol::Triangle),
            Self::StrategicDevelopments => ("#138d75", Symbol::TriangleDown),
            Self::Diplomacy => ("#5d6d7e", Symbol::Circle),
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

    #[test]
    fn styles_are_found_by_name() {
        assert_eq!(type_style("battles").symbol, Symbol::Diamond);
        assert_eq!(type_style("protests").colour, "#1f6fb2");
        assert_eq!(type_style("parade").event_type, EventType::Diplomacy);
    }
}
