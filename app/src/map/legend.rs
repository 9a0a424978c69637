//! The map's legend: each event type's colour and symbol as the map draws them, the marks of
//! who checked an event (machine, corrected, verified), of the places, clusters and basemap,
//! and the heatmap's ramp or the shaded divisions' classes when the layer switch shows them. A
//! `<details>` element, so it opens and closes from the keyboard and without JavaScript, and
//! stays within reach on the map.

use super::layer::{TRUST_INK, Trust, UNCHECKED_GREY, outline};
use super::mode::Layer;
use super::ramp;
use crate::browser;
use crate::model::{Symbol, TYPES};
use crate::numbers::thousands;
use crate::state::MapState;
use leptos::prelude::*;

/// Below this window width (CSS pixels, a phone) the legend starts closed: open, it would hide
/// most of the map.
const NARROW_PX: f64 = 700.0;

/// A symbol as a small SVG in a colour.
fn symbol_svg(symbol: Symbol, colour: &'static str) -> impl IntoView {
    let r = 6.0;
    let shape = match outline(symbol) {
        None => view! { <circle cx="9" cy="9" r=r fill=colour stroke="#fff" stroke-width="1.5"/> }
            .into_any(),
        Some(points) => {
            let points = points
                .iter()
                .map(|(x, y)| format!("{:.2},{:.2}", 9.0 + x * r, 9.0 + y * r))
                .collect::<Vec<_>>()
                .join(" ");
            view! { <polygon points=points fill=colour stroke="#fff" stroke-width="1.5"/> }
                .into_any()
        }
    };
    view! { <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">{shape}</svg> }
}

/// A grey circle marked as the map marks an event of that trust ([`super::layer::draw_trust`]).
fn trust_svg(trust: Trust) -> impl IntoView {
    let outline = (trust != Trust::Machine).then(|| {
        view! {
            <circle cx="9" cy="9" r="7" fill="none" stroke="#fff" stroke-width="3.5"/>
            <circle cx="9" cy="9" r="7" fill="none" stroke=TRUST_INK stroke-width="2"/>
        }
    });
    let centre =
        (trust == Trust::Verified).then(|| view! { <circle cx="9" cy="9" r="2.2" fill="#fff"/> });
    view! {
        <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
            <circle cx="9" cy="9" r="6" fill=UNCHECKED_GREY stroke="#fff" stroke-width="1.5"/>
            {outline}
            {centre}
        </svg>
    }
}

/// The heatmap's ramp, light to dark, as a CSS gradient.
fn heat_gradient() -> String {
    let stops: Vec<String> = (0..ramp::RAMP.len()).map(ramp::css).collect();
    format!(
        "background: linear-gradient(to right, {})",
        stops.join(", ")
    )
}

/// The key of the layer the switch shows: the heatmap's ramp, or the divisions' classes with
/// the count of events in none; nothing for the events themselves.
#[component]
fn LayerKey() -> impl IntoView {
    let state = expect_context::<MapState>();
    move || match state.layer.get() {
        Layer::Events => None,
        Layer::Heat => Some(
            view! {
                <div class="layer-key" data-layer="heat">
                    <p class="ramp-title">"Density of events"</p>
                    <span class="heat-ramp" style=heat_gradient()></span>
                    <p>"fewer → more (in this view)"</p>
                </div>
            }
            .into_any(),
        ),
        layer => {
            let shading = state.divisions.get().0;
            let what = if layer == Layer::DivisionFatalities {
                "Fatalities per province"
            } else {
                "Events per province"
            };
            let classes = shading.clone().map(|s| {
                s.labels()
                    .into_iter()
                    .enumerate()
                    .map(|(i, label)| {
                        view! {
                            <li data-class=i>
                                <span class="swatch" style=format!("background: {}", s.class_colour(i))></span>
                                <span>{label}</span>
                            </li>
                        }
                    })
                    .collect_view()
            });
            let outside = shading.as_ref().filter(|s| s.outside > 0).map(|s| {
                view! { <p>{format!("{} events placed on no province", thousands(usize::try_from(s.outside).unwrap_or(usize::MAX)))}</p> }
            });
            Some(
                view! {
                    <div class="layer-key" data-layer=layer.name()>
                        <p class="ramp-title">{what}</p>
                        <ul>{classes}</ul>
                        {outside}
                    </div>
                }
                .into_any(),
            )
        }
    }
}

/// The legend, open at first (closed on a phone); its summary toggles it.
#[component]
pub fn Legend() -> impl IntoView {
    let details = NodeRef::<leptos::html::Details>::new();
    Effect::new(move |_| {
        if let Some(d) = details.get()
            && browser::window_width() < NARROW_PX
        {
            let _ = d.remove_attribute("open");
        }
    });
    let types = TYPES
        .iter()
        .map(|t| {
            view! {
                <li data-type=t.name>{symbol_svg(t.symbol, t.colour)}<span>{t.label}</span></li>
            }
        })
        .collect_view();
    view! {
        <details class="map-legend" open node_ref=details>
            <summary>"Legend"</summary>
            <LayerKey/>
            <ul>
                {types}
                <li class="status-key" title="Who checked an event: nobody (the machine found it), a person who corrected it, a reviewer who verified it">
                    <span data-trust="machine">{trust_svg(Trust::Machine)}"machine"</span>
                    <span data-trust="corrected">{trust_svg(Trust::Corrected)}"corrected"</span>
                    <span data-trust="verified">{trust_svg(Trust::Verified)}"verified"</span>
                </li>
                <li>
                    <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
                        <circle cx="9" cy="9" r="7" fill="none" stroke="currentColor" stroke-width="1.5" stroke-dasharray="3 2"/>
                    </svg>
                    <span>"Placed on a region or country only"</span>
                </li>
                <li>
                    <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
                        <circle cx="9" cy="9" r="8" fill="#777" stroke="#fff" stroke-width="1.5"/>
                        <text x="9" y="12.5" font-size="9" text-anchor="middle" fill="#fff">"5"</text>
                    </svg>
                    <span>"Several events (click to list)"</span>
                </li>
                <li>
                    <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
                        <circle cx="9" cy="9" r="3.5" fill="none" stroke="currentColor" stroke-width="2"/>
                    </svg>
                    <span>"Capital"</span>
                </li>
                <li>
                    <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
                        <path d="M1 12 C6 4, 12 14, 17 6" fill="none" stroke="#7fb0cc" stroke-width="1.5"/>
                    </svg>
                    <span>"River"</span>
                </li>
                <li>
                    <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
                        <path d="M1 9 H17" stroke="#a89f8e" stroke-width="1.2"/>
                        <path d="M1 14 H17" stroke="#c4b9a6" stroke-width="1" stroke-dasharray="3 2"/>
                    </svg>
                    <span>"Country, province border"</span>
                </li>
            </ul>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_symbol_but_the_circle_has_an_outline() {
        for t in TYPES.iter() {
            assert_eq!(
                outline(t.symbol).is_none(),
                t.symbol == Symbol::Circle,
                "{}",
                t.name
            );
        }
    }
}
