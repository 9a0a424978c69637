//! The basemap's colours in light and dark mode (the page's theme, `crate::theme`): sea, land,
//! borders, water, names, the veils drawn under fanned-out events and the reference layers. The events keep their
//! type colours in both, which were chosen to read on either.

/// The colours the painter draws the basemap and its names with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// The sea and lakes.
    pub sea: &'static str,
    /// Land.
    pub land: &'static str,
    /// Country borders.
    pub border: &'static str,
    /// Rivers and lake shores.
    pub river: &'static str,
    /// First-level division outlines.
    pub admin1: &'static str,
    /// Names of towns and cities.
    pub label: &'static str,
    /// Names of countries.
    pub country_label: &'static str,
    /// Names of rivers.
    pub river_label: &'static str,
    /// The halo around names, so that they read over borders and rivers.
    pub halo: &'static str,
    /// The dot of a town and the ring of a capital.
    pub dot: &'static str,
    /// The inside of a capital's ring.
    pub capital: &'static str,
    /// The disc under fanned-out events.
    pub veil: &'static str,
    /// The legs of fanned-out events.
    pub leg: &'static str,
    /// The lines and outlines of the reference layers (no event type's colour).
    pub reference: &'static str,
    /// The fill of the reference layers' areas: their colour, faint.
    pub reference_fill: &'static str,
}

/// The light basemap.
pub const LIGHT: Palette = Palette {
    sea: "#cfe0ea",
    land: "#f4f1ea",
    border: "#a89f8e",
    river: "#7fb0cc",
    admin1: "#c4b9a6",
    label: "#2b2b2b",
    country_label: "#7a6f5c",
    river_label: "#2d6487",
    halo: "rgba(255,255,255,0.85)",
    dot: "#3a3a3a",
    capital: "#fff",
    veil: "rgba(255,255,255,0.7)",
    leg: "#555",
    reference: "#7b3294",
    reference_fill: "rgba(123,50,148,0.12)",
};

/// The dark basemap: dark land on a darker sea, light names on a dark halo.
pub const DARK: Palette = Palette {
    sea: "#17232e",
    land: "#2b3036",
    border: "#6f7782",
    river: "#3f7091",
    admin1: "#4d5560",
    label: "#e3e6ea",
    country_label: "#bdb29d",
    river_label: "#8fc3e3",
    halo: "rgba(20,24,29,0.85)",
    dot: "#cfd4da",
    capital: "#14181d",
    veil: "rgba(20,24,29,0.7)",
    leg: "#aab3bd",
    reference: "#d49be8",
    reference_fill: "rgba(212,155,232,0.14)",
};

/// The palette of a theme.
pub fn palette(dark: bool) -> &'static Palette {
    if dark { &DARK } else { &LIGHT }
}
