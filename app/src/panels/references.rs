//! The reference layers beside the filters: the GeoJSON files users added (a line of contact,
//! an old outline, a corridor), each with a switch that draws it under the events (the
//! address' `ref`), and a form to add one with a write token (`POST /api/references`).

use crate::browser;
use crate::state::MapState;
use crate::url::encode;
use crate::write::{self, TokenPrompt, WriteError};
use leptos::prelude::*;
use vocab::ReferenceLayer;
use wasm_bindgen::JsCast;

/// The list of the reference layers, loaded once the page runs.
#[component]
pub fn ReferencePanel() -> impl IntoView {
    let state = expect_context::<MapState>();
    Effect::new(move |_| leptos::task::spawn_local(load_list(state)));
    let rows = move || {
        state
            .reference_list
            .get()
            .into_iter()
            .map(|layer| reference_row(state, layer))
            .collect_view()
    };
    view! {
        <section class="references" aria-labelledby="references-title">
            <h2 id="references-title">"Reference layers"</h2>
            <ul class="reference-list">{rows}</ul>
            {move || state.reference_list.with(Vec::is_empty).then(|| view! {
                <p class="hint">"None yet: add a GeoJSON file of lines or outlines."</p>
            })}
            <AddReference/>
        </section>
    }
}

/// Loads the list of the reference layers.
async fn load_list(state: MapState) {
    match browser::get_json::<Vec<ReferenceLayer>>("/api/references").await {
        Ok(list) => state.reference_list.set(list),
        Err(e) => state
            .status
            .set(format!("Reference layers not listed: {e}")),
    }
}

/// One layer: a checkbox that draws it, its name, how many features it holds, and a button
/// that removes it.
fn reference_row(state: MapState, layer: ReferenceLayer) -> impl IntoView {
    let id = layer.id;
    let layer_name = layer.name.clone();
    let on = move || state.references.with(|r| r.contains(&id));
    let features = match layer.features {
        1 => "1 feature".to_owned(),
        n => format!("{n} features"),
    };
    view! {
        <li>
            <label>
                <input
                    type="checkbox"
                    prop:checked=on
                    on:change=move |ev| {
                        let checked = event_target_checked(&ev);
                        state.references.update(|r| {
                            r.retain(|x| *x != id);
                            if checked {
                                r.push(id);
                            }
                        });
                    }
                />
                <span class="reference-swatch" aria-hidden="true"></span>
                {layer.name}
            </label>
            <span class="hint">{features}</span>
            <RemoveReference id=id name=layer_name/>
        </li>
    }
}

/// The button that removes a layer for everyone, once confirmed, with a write token.
#[component]
fn RemoveReference(id: i64, name: String) -> impl IntoView {
    let state = expect_context::<MapState>();
    let confirming = RwSignal::new(false);
    let asking_token = RwSignal::new(None::<String>);
    let asked = format!("Remove “{name}” for everyone?");
    let remove = move || {
        confirming.set(false);
        leptos::task::spawn_local(async move {
            match write::send_text("DELETE", &format!("/api/references/{id}"), "").await {
                Ok(_) => {
                    asking_token.set(None);
                    state.references.update(|r| r.retain(|x| *x != id));
                    state.reference_list.update(|l| l.retain(|x| x.id != id));
                }
                Err(e) if e.needs_token() => asking_token.set(Some(e.message())),
                Err(e) => state.status.set(e.message()),
            }
        });
    };
    view! {
        <button
            type="button"
            class="remove-reference"
            aria-label=format!("Remove {name}")
            on:click=move |_| confirming.set(true)
        >
            "Remove"
        </button>
        {move || confirming.get().then(|| view! {
            <div class="confirm" role="alertdialog" aria-label="Remove the layer">
                <p>{asked.clone()}</p>
                <button type="button" class="danger" on:click=move |_| remove()>"Remove"</button>
                " "
                <button type="button" on:click=move |_| confirming.set(false)>"Keep it"</button>
            </div>
        })}
        {move || asking_token.get().map(|m| view! {
            <TokenPrompt message=m retry=Callback::new(move |()| remove())/>
        })}
    }
}

/// The form that adds a layer: a name and a file.
#[component]
fn AddReference() -> impl IntoView {
    let state = expect_context::<MapState>();
    let name = RwSignal::new(String::new());
    let file = NodeRef::<leptos::html::Input>::new();
    let message = RwSignal::new(String::new());
    let asking_token = RwSignal::new(None::<String>);
    let add = move || {
        leptos::task::spawn_local(async move {
            message.set("Adding…".into());
            match upload(state, &name.get_untracked(), file.get_untracked()).await {
                Ok(layer) => {
                    message.set(format!("Added “{}”.", layer.name));
                    name.set(String::new());
                    asking_token.set(None);
                }
                Err(e) if e.needs_token() => {
                    message.set(String::new());
                    asking_token.set(Some(e.message()));
                }
                Err(e) => message.set(e.message()),
            }
        });
    };
    view! {
        <details class="add-reference">
            <summary>"Add a GeoJSON file"</summary>
            <form on:submit=move |ev| {
                ev.prevent_default();
                add();
            }>
                <label>
                    "Name"
                    <input
                        type="text"
                        name="reference-name"
                        required
                        maxlength=vocab::MAX_REFERENCE_NAME.to_string()
                        prop:value=name
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    "File"
                    <input
                        node_ref=file
                        type="file"
                        name="reference-file"
                        accept=".geojson,.json,application/geo+json,application/json"
                        required
                    />
                </label>
                <button type="submit">"Add"</button>
            </form>
            {move || asking_token.get().map(|m| view! {
                <TokenPrompt message=m retry=Callback::new(move |()| add())/>
            })}
            <p class="reference-status" role="status">{message}</p>
        </details>
    }
}

/// Sends the chosen file under a name; once kept, lists it and draws it.
async fn upload(
    state: MapState,
    name: &str,
    input: Option<web_sys::HtmlInputElement>,
) -> Result<ReferenceLayer, WriteError> {
    let text = chosen_text(input).await.map_err(WriteError::Failed)?;
    let url = format!("/api/references?name={}", encode(name.trim()));
    let answer = write::send_text("POST", &url, &text).await?;
    let layer: ReferenceLayer =
        serde_json::from_str(&answer).map_err(|e| WriteError::Failed(e.to_string()))?;
    state.reference_list.update(|l| l.push(layer.clone()));
    state.references.update(|r| r.push(layer.id));
    Ok(layer)
}

/// The text of the file chosen in the input.
async fn chosen_text(input: Option<web_sys::HtmlInputElement>) -> Result<String, String> {
    let file = input
        .and_then(|i| i.files())
        .and_then(|files| files.get(0))
        .ok_or("Choose a GeoJSON file first.")?;
    if file.size() > vocab::MAX_REFERENCE_BYTES as f64 {
        return Err(vocab::ReferenceError::TooLarge(file.size() as usize).to_string());
    }
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|e| format!("{e:?}"))?;
    text.dyn_into::<js_sys::JsString>()
        .map(String::from)
        .map_err(|_| "The file is not text.".to_owned())
}
