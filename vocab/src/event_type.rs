//! The event types: ACLED's six plus a diplomacy family, their API names and their labels.
//!
//! Adding a type is one edit here (a variant, its entry in [`EventType::ALL`], its name, label
//! and look: the compiler points at each `match`) plus its lines in the lexicons.

use serde::{Deserialize, Serialize};

/// ACLED's event types, plus a diplomacy family for calls, talks, meetings, statements and appeals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    /// Armed clashes, territory changes between armed groups.
    Battles,
    /// Shelling, air and drone strikes, missile attacks, bombs.
    ExplosionsRemoteViolence,
    /// Attacks, abductions, sexual violence against unarmed people.
    ViolenceAgainstCivilians,
    /// Peaceful, interrupted or repressed demonstrations.
    Protests,
    /// Violent demonstrations and mob violence.
    Riots,
    /// Deployments, mobilisations, martial law, curfews, agreements, headquarters changes.
    StrategicDevelopments,
    /// Calls, talks, meetings, statements and appeals between governments (not in ACLED).
    Diplomacy,
}

impl EventType {
    /// Every type, in declaration order: the order of the map's filter chips and of the
    /// OpenAPI enum.
    pub const ALL: [EventType; 7] = [
        Self::Battles,
        Self::ExplosionsRemoteViolence,
        Self::ViolenceAgainstCivilians,
        Self::Protests,
        Self::Riots,
        Self::StrategicDevelopments,
        Self::Diplomacy,
    ];

    /// The snake_case name used in JSON, in query parameters and in the lexicon files.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Battles => "battles",
            Self::ExplosionsRemoteViolence => "explosions_remote_violence",
            Self::ViolenceAgainstCivilians => "violence_against_civilians",
            Self::Protests => "protests",
            Self::Riots => "riots",
            Self::StrategicDevelopments => "strategic_developments",
            Self::Diplomacy => "diplomacy",
        }
    }

    /// What people call the type (the map's chips and cards).
    pub const fn label(self) -> &'static str {
        match self {
            Self::Battles => "Battles",
            Self::ExplosionsRemoteViolence => "Explosions, remote violence",
            Self::ViolenceAgainstCivilians => "Violence against civilians",
            Self::Protests => "Protests",
            Self::Riots => "Riots",
            Self::StrategicDevelopments => "Strategic developments",
            Self::Diplomacy => "Diplomacy",
        }
    }

    /// ACLED's disorder type of an event of this type and sub-type: political violence
    /// (battles, remote violence, violence against civilians, mob violence), demonstrations
    /// (protests and violent demonstrations) or strategic developments; `None` for diplomacy,
    /// which ACLED does not code.
    pub fn disorder_type(self, sub_type: &str) -> Option<&'static str> {
        match self {
            Self::Battles | Self::ExplosionsRemoteViolence | Self::ViolenceAgainstCivilians => {
                Some("Political violence")
            }
            Self::Riots if sub_type == "Mob violence" => Some("Political violence"),
            Self::Protests | Self::Riots => Some("Demonstrations"),
            Self::StrategicDevelopments => Some("Strategic developments"),
            Self::Diplomacy => None,
        }
    }

    /// Parses the snake_case name used in JSON and in the lexicon files.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// Every type's name, comma-separated (`battles, explosions_remote_violence, …`), for
    /// messages and documentation that list them.
    pub fn names() -> String {
        Self::ALL.map(Self::as_str).join(", ")
    }
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disorder_types_follow_acled() {
        let of = |t: EventType, sub: &str| t.disorder_type(sub);
        assert_eq!(
            of(EventType::Battles, "Armed clash"),
            Some("Political violence")
        );
        assert_eq!(
            of(EventType::Riots, "Mob violence"),
            Some("Political violence")
        );
        assert_eq!(
            of(EventType::Riots, "Violent demonstration"),
            Some("Demonstrations")
        );
        assert_eq!(
            of(EventType::Protests, "Peaceful protest"),
            Some("Demonstrations")
        );
        assert_eq!(
            of(EventType::StrategicDevelopments, "Arrests"),
            Some("Strategic developments")
        );
        assert_eq!(of(EventType::Diplomacy, "Call"), None);
    }

    #[test]
    fn names_round_trip_through_parse_and_serde() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
            let json = serde_json::to_string(&t).expect("a type serializes");
            assert_eq!(json, format!("\"{t}\""));
        }
        assert_eq!(EventType::parse("parade"), None);
    }

    #[test]
    fn all_lists_each_type_once_in_declaration_order() {
        for (i, t) in EventType::ALL.into_iter().enumerate() {
            assert_eq!(t as usize, i, "{t}");
        }
    }

    #[test]
    fn every_type_has_a_label() {
        for t in EventType::ALL {
            assert!(!t.label().is_empty(), "{t}");
        }
        assert!(EventType::names().starts_with("battles, explosions_remote_violence, "));
    }
}
