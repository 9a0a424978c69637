//! The card's "Other names" of a place: the names the gazetteer records for it in every
//! language and script (`GET /api/places/{id}/names`), loaded when first opened. A
//! `<details>` element, so it opens from the keyboard.

use crate::browser;
use leptos::prelude::*;
use serde::Deserialize;

/// One other name of a place, as `/api/places/{id}/names` gives it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct OtherName {
    name: String,
    #[serde(default)]
    langs: Vec<String>,
    #[serde(default)]
    historic: bool,
}

/// What the list holds: nothing asked yet, the names, or why they are missing.
#[derive(Debug, Clone, PartialEq)]
enum Names {
    NotAsked,
    Loading,
    Loaded(Vec<OtherName>),
    Failed(String),
}

/// The languages and age of a name, as the list shows them after it: « (hy, ru)», « (old)».
fn tags(name: &OtherName) -> String {
    let mut tags = name.langs.join(", ");
    if name.historic {
        tags.push_str(if tags.is_empty() { "old" } else { ", old" });
    }
    if tags.is_empty() {
        tags
    } else {
        format!(" ({tags})")
    }
}

/// The list of a place's other names, `shown` (its usual English name) left out.
fn list(names: &[OtherName], shown: &str) -> impl IntoView + use<> {
    let shown = shown.to_lowercase();
    let items = names
        .iter()
        .filter(|n| n.name.to_lowercase() != shown)
        .map(|n| {
            let lang = n.langs.first().cloned();
            view! {
                <li>
                    <span lang=lang>{n.name.clone()}</span>
                    <span class="hint">{tags(n)}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        // It scrolls when long: focusable, so the keyboard scrolls it too.
        <ul class="other-names-list" tabindex="0" aria-label="Other names">{items}</ul>
        <p class="hint">"As the gazetteer matches them: without accents or capitals."</p>
    }
}

/// "Other names" of the place `place_id` (shown as `shown`), behind a disclosure.
#[component]
pub fn OtherNames(place_id: u32, shown: String) -> impl IntoView {
    let names = RwSignal::new(Names::NotAsked);
    let load = move |_| {
        if names.get_untracked() != Names::NotAsked {
            return;
        }
        names.set(Names::Loading);
        leptos::task::spawn_local(async move {
            let url = format!("/api/places/{place_id}/names");
            names.set(match browser::get_json::<Vec<OtherName>>(&url).await {
                Ok(found) => Names::Loaded(found),
                Err(e) => Names::Failed(e),
            });
        });
    };
    view! {
        <details class="other-names">
            <summary on:click=load>"Other names"</summary>
            {move || match names.get() {
                Names::NotAsked => None,
                Names::Loading => Some(view! { <p class="hint">"Loading…"</p> }.into_any()),
                Names::Loaded(found) if found.is_empty() => {
                    Some(view! { <p class="hint">"The gazetteer knows no other name."</p> }.into_any())
                }
                Names::Loaded(found) => Some(list(&found, &shown).into_any()),
                Names::Failed(e) => Some(view! { <p class="hint">{e}</p> }.into_any()),
            }}
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_says_its_languages_and_its_age() {
        let name = |langs: &[&str], historic| OtherName {
            name: "Stepanakert".into(),
            langs: langs.iter().map(|l| (*l).to_owned()).collect(),
            historic,
        };
        assert_eq!(tags(&name(&["hy", "ru"], false)), " (hy, ru)");
        assert_eq!(tags(&name(&[], true)), " (old)");
        assert_eq!(tags(&name(&["ru"], true)), " (ru, old)");
        assert_eq!(tags(&name(&[], false)), "");
    }
}
