//! The card never hides the selected event: when the card covers it (or it is off the map),
//! the map flies so that it lands in the middle of the part the card leaves in sight — left of
//! the card on a wide screen, above it on a phone, where the card is a sheet along the bottom.

use super::projection::Viewport;
use super::{fly_to, flying};
use crate::state::MapState;
use leptos::prelude::*;

/// How far from the card's edge (and the map's) the event must stay, in CSS pixels.
const MARGIN_PX: f64 = 24.0;

/// The narrowest strip beside or below the card the event is put in, in CSS pixels.
const MIN_STRIP_PX: f64 = 80.0;

/// A box on the map, in CSS pixels from its top left: `[left, top, right, bottom]`.
pub type ScreenBox = [f64; 4];

/// The card's box on the map, when it is shown.
fn card_box() -> Option<ScreenBox> {
    let document = web_sys::window()?.document()?;
    let card = document.query_selector(".event-card").ok()??;
    let map = document.query_selector(".map-canvas").ok()??;
    let (c, m) = (
        card.get_bounding_client_rect(),
        map.get_bounding_client_rect(),
    );
    Some([
        c.left() - m.left(),
        c.top() - m.top(),
        c.right() - m.left(),
        c.bottom() - m.top(),
    ])
}

/// Whether a screen point is off the map or under the card (with the margin).
pub fn hidden(view: &Viewport, card: Option<ScreenBox>, [x, y]: [f64; 2]) -> bool {
    let off =
        x < MARGIN_PX || y < MARGIN_PX || x > view.width - MARGIN_PX || y > view.height - MARGIN_PX;
    let under = card.is_some_and(|[l, t, r, b]| {
        x > l - MARGIN_PX && x < r + MARGIN_PX && y > t - MARGIN_PX && y < b + MARGIN_PX
    });
    off || under
}

/// The screen point where an event is in sight beside the card: the middle of the strip left
/// of it when wide enough, else of the strip above it, else below it, else the map's centre.
pub fn open_spot(view: &Viewport, card: Option<ScreenBox>) -> [f64; 2] {
    let centre = [view.width / 2.0, view.height / 2.0];
    let Some([left, top, _, bottom]) = card else {
        return centre;
    };
    if left >= MIN_STRIP_PX {
        [left / 2.0, view.height / 2.0]
    } else if top >= MIN_STRIP_PX {
        [view.width / 2.0, top / 2.0]
    } else if view.height - bottom >= MIN_STRIP_PX {
        [view.width / 2.0, (bottom + view.height) / 2.0]
    } else {
        centre
    }
}

/// The centre that puts world point `at` on screen point `spot` at `zoom`.
fn centre_for(view: &Viewport, at: [f64; 2], zoom: f64, spot: [f64; 2]) -> [f64; 2] {
    let mut v = *view;
    v.zoom = zoom;
    let s = v.scale();
    [
        at[0] - (spot[0] - view.width / 2.0) / s,
        at[1] - (spot[1] - view.height / 2.0) / s,
    ]
}

/// Flies to a world point at a zoom so that it lands beside the card, once the card is drawn.
pub fn reveal(state: MapState, at: [f64; 2], zoom: f64) {
    request_animation_frame(move || {
        let view = state.view.get_untracked();
        let spot = open_spot(&view, card_box());
        fly_to(state, centre_for(&view, at, zoom, spot), zoom);
    });
}

/// Whenever an event is selected, and the card hides it or it is off the map, flies at the
/// same zoom to put it in sight (unless the map is flying there already).
pub fn keep_in_sight(state: MapState) {
    Effect::new(move |_| {
        let Some(id) = state.selected.get() else {
            return;
        };
        request_animation_frame(move || {
            let Some(i) = state.find(id) else { return };
            if flying() {
                return;
            }
            let at = state.index.with_untracked(|x| x.0.world(i));
            let view = state.view.get_untracked();
            let card = card_box();
            let near = [at[0] + (view.centre[0] - at[0]).round(), at[1]];
            if hidden(&view, card, view.to_screen(near)) {
                let spot = open_spot(&view, card);
                fly_to(state, centre_for(&view, near, view.zoom, spot), view.zoom);
            }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_under_the_card_goes_left_of_it_or_below_it() {
        let wide = Viewport::new([0.5, 0.5], 6.0, 800.0, 600.0);
        let card = Some([400.0, 10.0, 790.0, 500.0]);
        assert!(hidden(&wide, card, [600.0, 300.0]));
        assert!(hidden(&wide, card, [390.0, 300.0]), "too near its edge");
        assert!(!hidden(&wide, card, [200.0, 300.0]));
        assert!(hidden(&wide, None, [-5.0, 300.0]), "off the map");
        assert_eq!(open_spot(&wide, card), [200.0, 300.0]);
        let phone = Viewport::new([0.5, 0.5], 6.0, 380.0, 600.0);
        let sheet = Some([6.0, 330.0, 374.0, 590.0]);
        assert_eq!(open_spot(&phone, sheet), [190.0, 165.0]);
        let top_sheet = Some([6.0, 10.0, 374.0, 300.0]);
        assert_eq!(open_spot(&phone, top_sheet), [190.0, 450.0]);
        assert_eq!(open_spot(&phone, None), [190.0, 300.0]);
        let at = [0.52, 0.5];
        let c = centre_for(&wide, at, 6.0, [200.0, 300.0]);
        let mut moved = wide;
        moved.centre = c;
        let [x, y] = moved.to_screen(at);
        assert!((x - 200.0).abs() < 1e-6 && (y - 300.0).abs() < 1e-6);
    }
}
