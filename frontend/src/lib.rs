//! karta's browser entry point: `hydrate()` takes over the page the server rendered.

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
/// Called by the page's module script once the WASM is loaded.
pub fn hydrate() {
    app::hydrate();
}
