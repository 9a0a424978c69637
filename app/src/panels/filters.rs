//! The filters: time range (timeline and dates), event-type chips, country, text search and
//! minimum confidence. A plain GET form, so the filters work without JavaScript too (keeping the
//! view, the map's layer and its reference layers); with it, each change applies at once.

use super::timeline::Timeline;
use crate::model::TYPES;
use crate::state::MapState;
use leptos::prelude::*;

/// The filter form. Each field carries its value as an attribute too, so that the page the
/// server renders shows the view's values and Apply keeps them without JavaScript; the hidden
/// view fields hold theirs only as attributes (a hidden input's value is its attribute).
#[component]
pub fn FilterPanel() -> impl IntoView {
    let state = expect_context::<MapState>();
    let f = state.filters;
    view! {
        <form class="filters" method="get" aria-label="Filters" on:submit=|ev| ev.prevent_default()>
            <input type="hidden" name="z" value=move || view_field(state, "z")/>
            <input type="hidden" name="lat" value=move || view_field(state, "lat")/>
            <input type="hidden" name="lon" value=move || view_field(state, "lon")/>
            <input type="hidden" name="layer" value=move || state.layer.get().name()/>
            <input type="hidden" name="ref" value=move || reference_field(state)/>
            <Timeline/>
            <div class="dates">
                <label for="filter-from">"From"</label>
                {date_input(state, "from")}
                <label for="filter-to">"to"</label>
                {date_input(state, "to")}
            </div>
            <fieldset class="chips">
                <legend>"Event types"</legend>
                {type_chips(state)}
            </fieldset>
            <CountrySelect/>
            <label for="filter-q">"Search"</label>
            <input
                type="search"
                id="filter-q"
                name="q"
                placeholder="words in the sentence"
                value=move || f.with(|f| f.q.clone())
                prop:value=move || f.with(|f| f.q.clone())
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    f.update(|f| f.q = v.trim().to_owned());
                }
            />
            {confidence_input(state)}
            {precision_input(state)}
            {status_input(state)}
            <div class="form-buttons">
                <button type="submit" class="apply">"Apply"</button>
                <button type="button" on:click=move |_| f.set(crate::url::Filters::default())>
                    "Clear filters"
                </button>
            </div>
        </form>
    }
}

/// The settled view's zoom (`z`), `lat` or `lon`, as the form sends them.
fn view_field(state: MapState, name: &str) -> String {
    let v = state.settled.get();
    let [lon, lat] = v.centre_lon_lat();
    match name {
        "z" => format!("{:.2}", v.zoom),
        "lat" => format!("{lat:.4}"),
        _ => format!("{lon:.4}"),
    }
}

/// The reference layers drawn (`ref`), as the form sends them.
fn reference_field(state: MapState) -> String {
    state
        .references
        .with(|r| r.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
}

/// A checkbox chip for each event type.
fn type_chips(state: MapState) -> impl IntoView {
    let f = state.filters;
    TYPES
        .iter()
        .map(|t| {
            let name = t.name;
            let checked = move || f.with(|f| f.types.iter().any(|x| x == name));
            view! {
                <label class="chip" style=format!("--chip: {}", t.colour)>
                    <input
                        type="checkbox"
                        name="type"
                        value=name
                        prop:checked=checked
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            f.update(|f| {
                                f.types.retain(|x| x != name);
                                if on {
                                    f.types.push(name.to_owned());
                                }
                            });
                        }
                    />
                    {t.label}
                </label>
            }
        })
        .collect_view()
}

/// The date input of one end of the time range: `from` or `to`.
fn date_input(state: MapState, name: &'static str) -> impl IntoView {
    let f = state.filters;
    let value = move || {
        f.with(|f| {
            if name == "from" {
                f.from.clone()
            } else {
                f.to.clone()
            }
        })
        .unwrap_or_default()
    };
    view! {
        <input
            type="date"
            name=name
            id=format!("filter-{name}")
            value=value
            prop:value=value
            on:change=move |ev| {
                let v = event_target_value(&ev);
                let v = (!v.is_empty()).then_some(v);
                f.update(|f| if name == "from" { f.from = v } else { f.to = v });
            }
        />
    }
}

/// Every country by name as `(code, name)`, and the one chosen if the table lacks it.
fn countries(chosen: &str) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = vocab::countries()
        .iter()
        .map(|(code, name)| ((*code).to_owned(), (*name).to_owned()))
        .collect();
    if !chosen.is_empty() && vocab::country_name(chosen).is_none() {
        all.push((chosen.to_owned(), chosen.to_owned()));
    }
    all
}

/// The country filter: every country, by name, whatever the other filters leave.
#[component]
fn CountrySelect() -> impl IntoView {
    let state = expect_context::<MapState>();
    let f = state.filters;
    let countries = Memo::new(move |_| f.with(|f| countries(&f.country)));
    view! {
        <label for="filter-country">"Country"</label>
        <select
            id="filter-country"
            name="country"
            prop:value=move || f.with(|f| f.country.clone())
            on:change=move |ev| {
                let v = event_target_value(&ev);
                f.update(|f| f.country = v);
            }
        >
            <option value="">"All countries"</option>
            <For each=move || countries.get() key=|c| c.0.clone() let((code, name))>
                <option value=code.clone() selected=move || f.with(|f| f.country == code)>
                    {name}
                </option>
            </For>
        </select>
    }
}

/// How precise a place must be to be shown: any, a town or a district, a town only.
fn precision_input(state: MapState) -> impl IntoView {
    let f = state.filters;
    let choice = |value: &'static str, label: &'static str| {
        view! {
            <option
                value=value
                selected=move || f.with(|f| f.precision.map(|p| p.to_string()).unwrap_or_default() == value)
            >
                {label}
            </option>
        }
    };
    view! {
        <label for="filter-precision">"Places"</label>
        <select
            id="filter-precision"
            name="precision"
            on:change=move |ev| {
                let v = event_target_value(&ev).parse::<u8>().ok().filter(|p| (1..3).contains(p));
                f.update(|f| f.precision = v);
            }
        >
            {choice("", "Every place, regions and countries too")}
            {choice("2", "Towns and districts")}
            {choice("1", "Towns only")}
        </select>
    }
}

/// Which events by who decided them: all, only those a reviewer verified, those a person
/// corrected, those the machine found and nobody checked.
fn status_input(state: MapState) -> impl IntoView {
    let f = state.filters;
    let choice = |value: &'static str, label: &'static str| {
        view! {
            <option value=value selected=move || f.with(|f| f.status == value)>
                {label}
            </option>
        }
    };
    view! {
        <label for="filter-status">"Reviewed"</label>
        <select
            id="filter-status"
            name="status"
            on:change=move |ev| {
                let v = event_target_value(&ev);
                f.update(|f| f.status = v);
            }
        >
            {choice("", "Every event")}
            {choice("verified", "Verified by a reviewer")}
            {choice("verified,corrected", "Checked by a person")}
            {choice("machine", "Not reviewed")}
        </select>
    }
}

/// The minimum confidence, a slider with its value.
fn confidence_input(state: MapState) -> impl IntoView {
    let f = state.filters;
    view! {
        <label for="filter-confidence">
            "Minimum confidence: "
            <output>
                {move || format!("{:.0} %", f.with(|f| f.min_confidence.unwrap_or(0.0)) * 100.0)}
            </output>
        </label>
        <input
            type="range"
            id="filter-confidence"
            name="min_confidence"
            min="0"
            max="1"
            step="0.05"
            value=move || f.with(|f| f.min_confidence.unwrap_or(0.0)).to_string()
            prop:value=move || f.with(|f| f.min_confidence.unwrap_or(0.0)).to_string()
            on:change=move |ev| {
                let v = event_target_value(&ev).parse::<f64>().ok().filter(|v| *v > 0.0);
                f.update(|f| f.min_confidence = v);
            }
        />
    }
}
