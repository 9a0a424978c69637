//! The map's pages rendered by the server: the first view carries the events that the server's
//! own query hands the app, typed, as the browser then reads them back.

mod common;

use common::TestServer;
use karta::api::ApiSettings;
use karta::store::NewDocument;

/// The JSON of the page's `<script>` that carries its events to the browser.
fn embedded_events(page: &str) -> &str {
    let open = format!(r#"id="{}">"#, app::INITIAL_EVENTS_ID);
    let start = page.find(&open).map_or(0, |i| i + open.len());
    let end = page[start..].find("</script>").map_or(start, |i| start + i);
    &page[start..end]
}

#[tokio::test]
async fn the_map_page_carries_the_events_of_its_view() {
    let s = TestServer::start_with_pages(ApiSettings::default()).await;
    let document = NewDocument {
        text: "Les forces azerbaïdjanaises ont bombardé Stepanakert le 4 octobre 2020.".into(),
        lang: Some("fr".into()),
        ..NewDocument::default()
    };
    s.pipeline.ingest(document, false).expect("ingested");
    let view = |query: &str| {
        let url = s.url(&format!("/?{query}"));
        async move {
            let page = reqwest::get(url).await.expect("answer").text().await;
            let page = page.expect("html");
            vocab::read_events(&embedded_events(&page).replace("<\\/", "</")).expect("GeoJSON")
        }
    };
    let events = view("lon=46.75&lat=39.8&z=8").await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].row.event_type, "explosions_remote_violence");
    let [lon, lat] = events[0].lon_lat();
    assert!(
        (lon - 46.75).abs() < 0.1 && (lat - 39.8).abs() < 0.1,
        "{lon}, {lat}"
    );
    // Filters apply as on the API; a view elsewhere shows nothing.
    assert!(
        view("lon=46.75&lat=39.8&z=8&type=protests")
            .await
            .is_empty()
    );
    assert!(view("lon=2.35&lat=48.85&z=8").await.is_empty());
}
