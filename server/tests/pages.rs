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
            vocab::read_events(embedded_events(&page)).expect("GeoJSON")
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

/// Issue 19, item 2: a text that holds HTML parser tricks cannot end the `<script>` block that
/// carries the events, nor start a comment in it; the JSON still reads back equal.
#[tokio::test]
async fn event_text_cannot_break_out_of_the_events_script() {
    let s = TestServer::start_with_pages(ApiSettings::default()).await;
    let tricks = "<!--<script> </script ]]> & \u{2028}";
    let document = NewDocument {
        text: format!(
            "Les forces azerbaïdjanaises ont bombardé Stepanakert {tricks} le 4 octobre 2020."
        ),
        lang: Some("fr".into()),
        ..NewDocument::default()
    };
    s.pipeline.ingest(document, false).expect("ingested");
    let page = reqwest::get(s.url("/?lon=46.75&lat=39.8&z=8"))
        .await
        .expect("answer")
        .text()
        .await
        .expect("html");
    let block = embedded_events(&page);
    for raw in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
        assert!(!block.contains(raw), "{raw:?} raw in the block: {block}");
    }
    let events = vocab::read_events(block).expect("GeoJSON");
    assert_eq!(events.len(), 1, "{events:?}");
    let sentence = &events[0].row.sentence;
    assert!(sentence.contains(tricks), "{sentence:?}");
    assert!(page.contains("</body></html>"), "the page goes on");
}
