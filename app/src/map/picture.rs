//! The view as a picture: "Save as PNG" draws the map with a title, the time range, the
//! sources' count, the legend and the attribution around it; "Print" prints the page, whose
//! print style sheet keeps the map, its legend and the same caption (`.print-caption`).

use super::layer::{SYMBOL_R, Trust, UNCHECKED_GREY, draw_trust, draw_type_symbol};
use super::mode::Layer;
use super::palette;
use super::ramp;
use super::reference;
use super::shading::Shading;
use super::tiles::{attribution_text, configured};
use crate::browser;
use crate::model::{MapEvent, Symbol, TYPES};
use crate::numbers::thousands;
use crate::state::MapState;
use crate::url::Filters;
use leptos::prelude::*;
use std::collections::HashSet;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Height of the title band above the map, in CSS pixels.
const HEAD_PX: f64 = 58.0;

/// Height of the attribution band below the map, in CSS pixels.
const FOOT_PX: f64 = 24.0;

/// Height of a line of the legend, in CSS pixels.
const LEGEND_LINE_PX: f64 = 17.0;

/// What a picture of the view says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Caption {
    /// What the map shows: the layer, how many events, and the filters.
    pub title: String,
    /// The time range: the filters' dates, else the first and last day of the events.
    pub period: String,
    /// How many documents report the events in view.
    pub sources: String,
}

/// The caption of a view: `events` (by index, those in view; `None` when the map draws the
/// server's clusters of `clustered` events, which the browser does not hold one by one).
pub fn caption_of(
    all: &[MapEvent],
    in_view: Option<&[usize]>,
    clustered: u64,
    filters: &Filters,
    layer: Layer,
) -> Caption {
    let count = in_view.map_or(clustered, |v| v.len() as u64);
    let noun = if count == 1 { "event" } else { "events" };
    let mut title = format!(
        "{}: {} {noun} in view",
        layer.label(),
        thousands(usize::try_from(count).unwrap_or(usize::MAX))
    );
    if !filters.types.is_empty() {
        title.push_str(&format!(" ({})", filters.types.join(", ")));
    }
    if !filters.country.is_empty() {
        let country = vocab::country_name(&filters.country).unwrap_or(&filters.country);
        title.push_str(&format!(" in {country}"));
    }
    if !filters.q.is_empty() {
        title.push_str(&format!(" matching «{}»", filters.q));
    }
    let days: Vec<&str> = in_view
        .unwrap_or_default()
        .iter()
        .filter_map(|&i| all[i].date.as_deref())
        .collect();
    let first = filters.from.as_deref().or(days.iter().min().copied());
    let last = filters.to.as_deref().or(days.iter().max().copied());
    let period = match (first, last) {
        (Some(a), Some(b)) if a == b => a.to_owned(),
        (Some(a), Some(b)) => format!("{a} to {b}"),
        (Some(a), None) => format!("from {a}"),
        (None, Some(b)) => format!("until {b}"),
        (None, None) => "all dates".to_owned(),
    };
    let sources = match in_view {
        Some(v) => {
            let documents: HashSet<i64> = v
                .iter()
                .flat_map(|&i| {
                    let e = &all[i];
                    e.sources.iter().map(|s| s.document_id).chain(e.document_id)
                })
                .collect();
            match documents.len() {
                1 => "1 source".to_owned(),
                n => format!("{} sources", thousands(n)),
            }
        }
        None => "sources counted when zoomed in".to_owned(),
    };
    Caption {
        title,
        period,
        sources,
    }
}

/// The caption of the page's settled view.
fn caption(state: MapState) -> Caption {
    let clustered = state.aggregates.with(|a| a.0.as_ref().map(|a| a.total));
    let in_view = state.in_view.get();
    state.events.with(|e| {
        caption_of(
            &e.0,
            clustered.is_none().then_some(in_view.as_slice()),
            clustered.unwrap_or(0),
            &state.filters.get(),
            state.layer.get(),
        )
    })
}

/// A 2D context of a canvas.
fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|o| o.dyn_into::<CanvasRenderingContext2d>().ok())
}

/// One line of an exported picture's legend.
#[derive(Debug, Clone, PartialEq)]
enum LegendRow {
    /// An event type, by its index in [`TYPES`].
    Type(usize),
    /// The marks of who checked an event: machine, corrected, verified.
    Trust,
    /// The heatmap's ramp.
    Ramp,
    /// A class of the shaded divisions: its colour and label.
    Class(String, String),
    /// A reference layer shown under the events, by its name.
    Reference(String),
}

/// Most characters of a reference layer's name in the legend.
const NAME_CHARS: usize = 30;

/// The rows of the legend of a picture of `layer`: the event types and their trust marks (or
/// the heatmap's ramp, or the divisions' classes), then the reference layers shown.
fn legend_rows(layer: Layer, shading: Option<&Shading>, references: &[String]) -> Vec<LegendRow> {
    let mut rows: Vec<LegendRow> = match (layer, shading) {
        (Layer::Events, _) => (0..TYPES.len())
            .map(LegendRow::Type)
            .chain([LegendRow::Trust])
            .collect(),
        (Layer::Heat, _) => vec![LegendRow::Ramp],
        (_, Some(s)) => s
            .labels()
            .into_iter()
            .enumerate()
            .map(|(k, l)| LegendRow::Class(s.class_colour(k), l))
            .collect(),
        (_, None) => Vec::new(),
    };
    rows.extend(references.iter().map(|name| {
        let short: String = name.chars().take(NAME_CHARS).collect();
        let name = if short.len() < name.len() {
            format!("{short}…")
        } else {
            short
        };
        LegendRow::Reference(name)
    }));
    rows
}

/// Width of the legend's box, in CSS pixels.
const LEGEND_PX: f64 = 250.0;

/// Draws the legend's `rows` of a layer in a white box whose bottom-left corner is at
/// `(x, y)`.
fn draw_legend(ctx: &CanvasRenderingContext2d, layer: Layer, rows: &[LegendRow], x: f64, y: f64) {
    let h = LEGEND_LINE_PX * (rows.len() as f64 + 1.0) + 8.0;
    let top = y - h;
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(x, top, LEGEND_PX, h);
    ctx.set_fill_style_str("#222");
    ctx.set_font("bold 12px system-ui, sans-serif");
    let heading = match layer {
        Layer::Events => "Legend",
        other => other.label(),
    };
    let _ = ctx.fill_text(heading, x + 8.0, top + 15.0);
    ctx.set_font("12px system-ui, sans-serif");
    for (k, row) in rows.iter().enumerate() {
        let row_y = top + LEGEND_LINE_PX * (k as f64 + 1.0) + 4.0;
        draw_legend_row(ctx, row, x, row_y);
    }
}

/// Draws one row of the legend, its mark at `x` and its text after it, at height `y`.
fn draw_legend_row(ctx: &CanvasRenderingContext2d, row: &LegendRow, x: f64, y: f64) {
    let text = |label: &str, indent: f64| {
        ctx.set_fill_style_str("#222");
        let _ = ctx.fill_text(label, x + indent, y + 8.0);
    };
    match row {
        LegendRow::Type(i) => {
            draw_type_symbol(ctx, &TYPES[*i], x + 16.0, y + 4.0);
            text(TYPES[*i].label, 30.0);
        }
        LegendRow::Trust => {
            for (j, (trust, label)) in [
                (Trust::Machine, "machine"),
                (Trust::Corrected, "corrected"),
                (Trust::Verified, "verified"),
            ]
            .into_iter()
            .enumerate()
            {
                let left = x + 16.0 + 82.0 * j as f64;
                ctx.begin_path();
                let _ = ctx.arc(left, y + 4.0, SYMBOL_R, 0.0, std::f64::consts::TAU);
                ctx.set_fill_style_str(UNCHECKED_GREY);
                ctx.fill();
                draw_trust(ctx, Symbol::Circle, trust, left, y + 4.0);
                ctx.set_fill_style_str("#222");
                let _ = ctx.fill_text(label, left + 11.0, y + 8.0);
            }
        }
        LegendRow::Ramp => {
            for step in 0..ramp::RAMP.len() {
                ctx.set_fill_style_str(&ramp::css(step));
                ctx.fill_rect(x + 8.0 + step as f64 * 10.0, y - 2.0, 10.0, 11.0);
            }
            text("Density of events: fewer → more", 64.0);
        }
        LegendRow::Class(colour, label) => {
            ctx.set_fill_style_str(colour);
            ctx.fill_rect(x + 9.0, y - 2.0, 14.0, 11.0);
            text(label, 30.0);
        }
        LegendRow::Reference(name) => {
            ctx.save();
            ctx.set_stroke_style_str(palette::LIGHT.reference);
            ctx.set_line_width(2.0);
            let _ = ctx.set_line_dash(&reference::dash());
            ctx.begin_path();
            ctx.move_to(x + 6.0, y + 4.0);
            ctx.line_to(x + 26.0, y + 4.0);
            ctx.stroke();
            ctx.restore();
            text(name, 30.0);
        }
    }
}

/// Draws the caption above the map and the attribution below it, on a canvas `w` CSS pixels
/// wide whose map is `h` high.
fn draw_caption(
    ctx: &CanvasRenderingContext2d,
    caption: &Caption,
    attribution: &str,
    w: f64,
    h: f64,
) {
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, w, HEAD_PX);
    ctx.fill_rect(0.0, HEAD_PX + h, w, FOOT_PX);
    ctx.set_fill_style_str("#111");
    ctx.set_text_align("left");
    ctx.set_text_baseline("alphabetic");
    ctx.set_font("bold 17px system-ui, sans-serif");
    let _ = ctx.fill_text(&caption.title, 12.0, 24.0);
    ctx.set_font("13px system-ui, sans-serif");
    let _ = ctx.fill_text(
        &format!("{} · {}", caption.period, caption.sources),
        12.0,
        46.0,
    );
    ctx.set_fill_style_str("#333");
    ctx.set_font("11px system-ui, sans-serif");
    let foot = format!("{attribution} · karta · {}", browser::location_href());
    let _ = ctx.fill_text(&foot, 12.0, HEAD_PX + h + 16.0);
}

/// The names of the reference layers the map shows, in the order they were turned on.
fn shown_references(state: MapState) -> Vec<String> {
    let list = state.reference_list.get_untracked();
    state
        .references
        .get_untracked()
        .iter()
        .filter_map(|id| list.iter().find(|l| l.id == *id).map(|l| l.name.clone()))
        .collect()
}

/// Draws the map, its caption and legend on a new canvas and downloads it as `karta-map.png`.
fn save_png(state: MapState) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let map: HtmlCanvasElement = document
        .query_selector(".map-canvas")
        .ok()??
        .dyn_into()
        .ok()?;
    let dpr = browser::pixel_ratio();
    let (w, h) = (f64::from(map.width()) / dpr, f64::from(map.height()) / dpr);
    let out: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    out.set_width(map.width());
    out.set_height(((h + HEAD_PX + FOOT_PX) * dpr).round() as u32);
    let ctx = context(&out)?;
    let _ = ctx.scale(dpr, dpr);
    let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&map, 0.0, HEAD_PX, w, h);
    let layer = state.layer.get_untracked();
    let shading = state.divisions.get_untracked().0;
    let rows = legend_rows(layer, shading.as_deref(), &shown_references(state));
    draw_legend(&ctx, layer, &rows, 10.0, HEAD_PX + h - 10.0);
    let attribution = attribution_text(configured().as_ref(), state);
    draw_caption(&ctx, &untrack(|| caption(state)), &attribution, w, h);
    let url = out.to_data_url_with_type("image/png").ok()?;
    let link: web_sys::HtmlElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_attribute("href", &url).ok()?;
    link.set_attribute("download", "karta-map.png").ok()?;
    link.click();
    Some(())
}

/// The buttons that save the view as a PNG and print it.
#[component]
pub fn PictureButtons() -> impl IntoView {
    let state = expect_context::<MapState>();
    view! {
        <button type="button" class="save-png" on:click=move |_| {
            if save_png(state).is_none() {
                state.status.set("The map could not be saved as a picture.".into());
            }
        }>"Save as PNG"</button>
        <button type="button" class="print" on:click=move |_| {
            if let Some(w) = web_sys::window() {
                let _ = w.print();
            }
        }>"Print"</button>
    }
}

/// The caption a printed page shows above the map (hidden on screen).
#[component]
pub fn PrintCaption() -> impl IntoView {
    let state = expect_context::<MapState>();
    let source = configured();
    view! {
        <div class="print-caption">
            {move || {
                let c = caption(state);
                view! {
                    <h2>{c.title}</h2>
                    <p>{format!("{} · {}", c.period, c.sources)}</p>
                }
            }}
            <p class="print-attribution">{move || attribution_text(source.as_ref(), state)}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_events;

    const EVENTS: &str = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","geometry":{"type":"Point","coordinates":[46.75,39.82]},
       "properties":{"id":1,"document_id":3,"event_type":"battles","confidence":0.8,"lon":46.75,"lat":39.82,"date":"2020-10-04","place_name":"Stepanakert","sources":[{"document_id":3,"event_id":1},{"document_id":5,"event_id":9}]}},
      {"type":"Feature","geometry":{"type":"Point","coordinates":[46.36,40.68]},
       "properties":{"id":2,"document_id":5,"event_type":"explosions_remote_violence","confidence":0.7,"lon":46.36,"lat":40.68,"date":"2020-09-27","place_name":"Ganja"}}]}"#;

    #[test]
    fn a_caption_counts_the_events_and_their_sources_and_spans_their_days() {
        let events = parse_events(EVENTS).expect("events");
        let c = caption_of(&events, Some(&[0, 1]), 0, &Filters::default(), Layer::Heat);
        assert_eq!(c.title, "Heatmap: 2 events in view");
        assert_eq!(c.period, "2020-09-27 to 2020-10-04");
        assert_eq!(c.sources, "2 sources");
        let filters = Filters {
            from: Some("2020-10-01".into()),
            types: vec!["battles".into()],
            ..Filters::default()
        };
        let c = caption_of(&events, Some(&[0]), 0, &filters, Layer::Events);
        assert_eq!(c.title, "Events: 1 event in view (battles)");
        assert_eq!(c.period, "2020-10-01 to 2020-10-04");
        let c = caption_of(&events, None, 54_206, &Filters::default(), Layer::Events);
        assert_eq!(c.title, "Events: 54,206 events in view");
        assert_eq!(c.period, "all dates");
    }

    #[test]
    fn the_legend_of_a_picture_has_the_trust_marks_and_the_reference_layers() {
        let long = "Line of contact after the ceasefire of 10 November 2020".to_owned();
        let rows = legend_rows(Layer::Events, None, &["Lachin corridor".to_owned(), long]);
        let n = TYPES.len();
        assert_eq!(rows[..n], (0..n).map(LegendRow::Type).collect::<Vec<_>>());
        assert_eq!(rows[n], LegendRow::Trust);
        assert_eq!(rows[n + 1], LegendRow::Reference("Lachin corridor".into()));
        assert_eq!(
            rows[n + 2],
            LegendRow::Reference("Line of contact after the ceas…".into())
        );
        assert_eq!(
            legend_rows(Layer::Heat, None, &[]),
            [LegendRow::Ramp],
            "no trust marks on a heatmap"
        );
    }
}
