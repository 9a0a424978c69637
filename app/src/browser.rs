//! The few browser calls the app makes: fetch, the address bar, local storage and the
//! clipboard. Each returns a plain Rust value or error text; on the server none of them runs.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn window() -> Result<web_sys::Window, String> {
    web_sys::window().ok_or_else(|| "no window".to_owned())
}

fn js_error(e: wasm_bindgen::JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Sends a request and returns the response's status and text.
pub async fn request(
    method: &str,
    url: &str,
    body: Option<&str>,
    token: Option<&str>,
) -> Result<(u16, String), String> {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(js_error)?;
    if let Some(body) = body {
        headers
            .set("Content-Type", "application/json")
            .map_err(js_error)?;
        init.set_body(&wasm_bindgen::JsValue::from_str(body));
    }
    if let Some(token) = token {
        headers
            .set("Authorization", &format!("Bearer {token}"))
            .map_err(js_error)?;
    }
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(js_error)?;
    let response: web_sys::Response = JsFuture::from(window()?.fetch_with_request(&request))
        .await
        .map_err(js_error)?
        .dyn_into()
        .map_err(js_error)?;
    let text = JsFuture::from(response.text().map_err(js_error)?)
        .await
        .map_err(js_error)?
        .as_string()
        .unwrap_or_default();
    Ok((response.status(), text))
}

/// GETs a URL and returns its text, or for a status other than 2xx the API's message (a
/// sentence such as «HTTP 404: no event 999», not the answer's JSON).
pub async fn get_text(url: &str) -> Result<String, String> {
    let (status, text) = request("GET", url, None, None).await?;
    if (200..300).contains(&status) {
        Ok(text)
    } else {
        Err(crate::write::error_message(status, &text))
    }
}

/// GETs a URL and reads its JSON answer; an answer that does not parse is an error that names
/// the URL.
pub async fn get_json<T: serde::de::DeserializeOwned>(url: &str) -> Result<T, String> {
    let text = get_text(url).await?;
    serde_json::from_str(&text).map_err(|e| format!("{url}: {e}"))
}

/// The address bar's query string, without `?`.
pub fn location_query() -> String {
    window()
        .and_then(|w| w.location().search().map_err(js_error))
        .map(|s| s.trim_start_matches('?').to_owned())
        .unwrap_or_default()
}

/// The address bar's path.
pub fn location_path() -> String {
    window()
        .and_then(|w| w.location().pathname().map_err(js_error))
        .unwrap_or_default()
}

/// The whole address.
pub fn location_href() -> String {
    window()
        .and_then(|w| w.location().href().map_err(js_error))
        .unwrap_or_default()
}

/// Puts a new query string in the address bar: a new history entry when `push`, else in place.
pub fn set_query(query: &str, push: bool) {
    let Ok(window) = window() else { return };
    let Ok(history) = window.history() else {
        return;
    };
    let url = format!("{}?{query}", location_path());
    let result = if push {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    } else {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    };
    if let Err(e) = result {
        leptos::logging::warn!("cannot set the address: {}", js_error(e));
    }
}

/// The text of an element (the page's embedded data), empty when it is missing.
pub fn element_text(id: &str) -> String {
    window()
        .ok()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

/// Reads a value kept in the browser's local storage.
pub fn stored(key: &str) -> Option<String> {
    window()
        .ok()?
        .local_storage()
        .ok()
        .flatten()?
        .get_item(key)
        .ok()
        .flatten()
}

/// Keeps a value in the browser's local storage.
pub fn store(key: &str, value: &str) {
    if let Some(storage) = window().ok().and_then(|w| w.local_storage().ok().flatten())
        && let Err(e) = storage.set_item(key, value)
    {
        leptos::logging::warn!("cannot store {key}: {}", js_error(e));
    }
}

/// Copies text to the clipboard; `false` when the browser allowed neither way. The clipboard
/// API exists only on secure pages (HTTPS, localhost): on a karta served over plain HTTP the
/// text is copied from a hidden text field instead.
pub fn copy(text: &str) -> bool {
    let Ok(w) = window() else {
        return false;
    };
    if w.is_secure_context() {
        // The promise's outcome is not awaited: browsers without permission just do nothing.
        let _ = w.navigator().clipboard().write_text(text);
        return true;
    }
    copy_by_selection(&w, text).unwrap_or(false)
}

/// Copies text the old way: selected in a text field off screen, then the copy command.
fn copy_by_selection(w: &web_sys::Window, text: &str) -> Option<bool> {
    let document = w.document()?;
    let field: web_sys::HtmlTextAreaElement =
        document.create_element("textarea").ok()?.dyn_into().ok()?;
    field.set_value(text);
    let _ = field.set_attribute("readonly", "");
    let _ = field.set_attribute("style", "position: fixed; left: -9999px; top: 0");
    document.body()?.append_child(&field).ok()?;
    field.select();
    let copied = document
        .dyn_ref::<web_sys::HtmlDocument>()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false);
    field.remove();
    Some(copied)
}

/// Milliseconds since the page loaded.
pub fn now_ms() -> f64 {
    window()
        .ok()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_default()
}

/// Device pixels per CSS pixel.
pub fn pixel_ratio() -> f64 {
    window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0)
}

/// The window's width in CSS pixels (0 when unknown).
pub fn window_width() -> f64 {
    window()
        .ok()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

/// Marks the page as hydrated (`<body data-hydrated="1">`), for tests and scripts.
pub fn mark_hydrated() {
    if let Some(body) = window()
        .ok()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
        && let Err(e) = body.set_attribute("data-hydrated", "1")
    {
        leptos::logging::warn!("cannot mark the page: {}", js_error(e));
    }
}

/// Removes a value from the browser's local storage.
pub fn forget(key: &str) {
    if let Some(storage) = window().ok().and_then(|w| w.local_storage().ok().flatten())
        && let Err(e) = storage.remove_item(key)
    {
        leptos::logging::warn!("cannot forget {key}: {}", js_error(e));
    }
}

/// Moves the keyboard focus to the first element matching a CSS selector, if any.
pub fn focus(selector: &str) {
    if let Some(element) = window()
        .ok()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        && let Err(e) = element.focus()
    {
        leptos::logging::warn!("cannot focus {selector}: {}", js_error(e));
    }
}

/// The value of an attribute of the element that has the focus, if it has one.
pub fn focused_attribute(name: &str) -> Option<String> {
    window()
        .ok()?
        .document()?
        .active_element()?
        .get_attribute(name)
}

/// Whether the element that has the focus is within an element that `selector` matches.
pub fn focus_within(selector: &str) -> bool {
    window()
        .ok()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .and_then(|e| e.closest(selector).ok().flatten())
        .is_some()
}

/// Whether the system asks for dark colours (`prefers-color-scheme: dark`); `false` when the
/// browser cannot say.
pub fn prefers_dark() -> bool {
    let Ok(w) = window() else { return false };
    let query = wasm_bindgen::JsValue::from_str("(prefers-color-scheme: dark)");
    js_sys::Reflect::get(&w, &"matchMedia".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(&w, &query).ok())
        .and_then(|list| js_sys::Reflect::get(&list, &"matches".into()).ok())
        .and_then(|m| m.as_bool())
        .unwrap_or(false)
}

/// Sets an attribute of the page's root element (`<html>`).
pub fn set_root_attribute(name: &str, value: &str) {
    if let Some(root) = window()
        .ok()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        && let Err(e) = root.set_attribute(name, value)
    {
        leptos::logging::warn!("cannot set {name}: {}", js_error(e));
    }
}
