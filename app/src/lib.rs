//! karta's web app. Until the map lands it renders one static page that says what karta is and
//! where its API lives; the Leptos app replaces it.

/// The placeholder home page, as HTML.
pub fn placeholder_page() -> String {
    concat!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">",
        "<title>karta</title><link rel=\"stylesheet\" href=\"/style/karta.css\"></head>",
        "<body><main><h1>karta</h1><p>Geotagged events from news in any language. ",
        "The map is on its way; the API is at <a href=\"/api/openapi.json\">/api/openapi.json</a>.</p>",
        "</main></body></html>"
    )
    .to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholder_names_the_api() {
        assert!(super::placeholder_page().contains("/api/openapi.json"));
    }
}
