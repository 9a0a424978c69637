//! The switch of what the map draws of the events: each event, a heatmap, or the provinces
//! shaded by their events or fatalities. It sits on the map; the choice is part of the address.

use super::mode::Layer;
use crate::state::MapState;
use leptos::prelude::*;

/// A labelled list of the layers; choosing one redraws the map and adds to the history.
#[component]
pub fn LayerSwitch() -> impl IntoView {
    let state = expect_context::<MapState>();
    let options = Layer::ALL
        .into_iter()
        .map(|layer| {
            view! {
                <option value=layer.name() selected=move || state.layer.get() == layer>
                    {layer.label()}
                </option>
            }
        })
        .collect_view();
    view! {
        <label class="layer-switch">
            <span>"Show"</span>
            <select
                name="layer"
                prop:value=move || state.layer.get().name()
                on:change=move |ev| {
                    state.layer.set(Layer::parse(&event_target_value(&ev)).unwrap_or_default());
                }
            >
                {options}
            </select>
        </label>
    }
}
