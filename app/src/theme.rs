//! Dark mode: the page follows the system's choice (`prefers-color-scheme`, in the style sheet)
//! until the person chooses with the toggle; that choice is kept in the browser's local
//! storage and set as `data-theme` on `<html>`, which the style sheet and the map's palette
//! (`map::palette`) follow. The page's head runs [`PRE_PAINT`] before the first paint, so a
//! kept choice shows at once rather than after the WASM has loaded.

use crate::browser;
use crate::state::MapState;
use leptos::prelude::*;

/// The local storage key of the chosen theme (`dark` or `light`), for [`THEME_KEY`] and
/// [`PRE_PAINT`].
macro_rules! theme_key {
    () => {
        "karta-theme"
    };
}

/// The local storage key of the chosen theme (`dark` or `light`).
const THEME_KEY: &str = theme_key!();

/// The inline script of the page's head (run with the page's nonce) that sets the kept choice
/// as `data-theme` before the first paint; a browser without storage keeps the system's.
pub const PRE_PAINT: &str = concat!(
    "try{var t=localStorage.getItem(\"",
    theme_key!(),
    "\");if(t===\"dark\"||t===\"light\")document.documentElement.dataset.theme=t}catch(e){}"
);

/// Whether the page is dark: the kept choice, else the system's.
fn dark_now() -> bool {
    match browser::stored(THEME_KEY).as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => browser::prefers_dark(),
    }
}

/// The name of a theme, as kept and as `data-theme` holds it.
fn theme_name(dark: bool) -> &'static str {
    if dark { "dark" } else { "light" }
}

/// Once the page runs, takes on the kept choice, else the system's (`/embed` too).
pub fn take_on(state: MapState) {
    Effect::new(move |_| {
        if browser::stored(THEME_KEY).is_some() {
            browser::set_root_attribute("data-theme", theme_name(dark_now()));
        }
        state.dark.set(dark_now());
    });
}

/// The toggle of dark mode, pressed while the page is dark.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let state = expect_context::<MapState>();
    let toggle = move |_| {
        let dark = !state.dark.get_untracked();
        browser::store(THEME_KEY, theme_name(dark));
        browser::set_root_attribute("data-theme", theme_name(dark));
        state.dark.set(dark);
    };
    view! {
        <button
            type="button"
            class="theme-toggle"
            aria-pressed=move || state.dark.get().to_string()
            title="Dark or light colours (kept in this browser)"
            on:click=toggle
        >
            "Dark mode"
        </button>
    }
}
