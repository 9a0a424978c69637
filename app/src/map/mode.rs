//! What the map draws of the events (the address's `layer`): each event, their density as a
//! heatmap, or the events (or their fatalities) summed per first-level division and shaded.

/// What the map draws of the events.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layer {
    /// Each event (or cluster) as a symbol.
    #[default]
    Events,
    /// The density of the events, as a heatmap.
    Heat,
    /// The number of events per first-level division, shaded.
    DivisionCount,
    /// The fatalities per first-level division, shaded.
    DivisionFatalities,
}

impl Layer {
    /// Every layer, in the order the switch offers them.
    pub const ALL: [Layer; 4] = [
        Layer::Events,
        Layer::Heat,
        Layer::DivisionCount,
        Layer::DivisionFatalities,
    ];

    /// The layer's value in the address (`layer=heat`).
    pub fn name(self) -> &'static str {
        match self {
            Layer::Events => "events",
            Layer::Heat => "heat",
            Layer::DivisionCount => "divisions",
            Layer::DivisionFatalities => "fatalities",
        }
    }

    /// The layer of an address' value; `None` for an unknown one.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.name() == value.trim())
    }

    /// The layer's name in the switch.
    pub fn label(self) -> &'static str {
        match self {
            Layer::Events => "Events",
            Layer::Heat => "Heatmap",
            Layer::DivisionCount => "Events per province",
            Layer::DivisionFatalities => "Fatalities per province",
        }
    }

    /// Whether the layer shades the first-level divisions.
    pub fn shades_divisions(self) -> bool {
        matches!(self, Layer::DivisionCount | Layer::DivisionFatalities)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layer_reads_back_from_its_name() {
        for layer in Layer::ALL {
            assert_eq!(Layer::parse(layer.name()), Some(layer));
        }
        assert_eq!(Layer::parse("satellite"), None);
    }
}
