//! The basemap's names: countries, capitals, rivers, towns and cities, placed so that no two
//! collide. The places of the events in view come first, then the capitals, the countries, the
//! rivers, and the other places by population; a name that would overlap one already placed is
//! left out.

use super::palette::Palette;
use super::places::{Place, Places, min_population};
use super::projection::Viewport;
use web_sys::CanvasRenderingContext2d;

/// Font of a town's name.
const PLACE_FONT: &str = "12px system-ui, sans-serif";
/// Font of a capital's or an event place's name.
const STRONG_FONT: &str = "bold 12px system-ui, sans-serif";
/// Font of a country's name.
const COUNTRY_FONT: &str = "600 13px system-ui, sans-serif";
/// Font of a river's name.
const RIVER_FONT: &str = "italic 12px system-ui, sans-serif";
/// Height of a name's box, in pixels.
const LINE_PX: f64 = 14.0;
/// Space kept free around each name, in pixels.
const PAD_PX: f64 = 3.0;

/// Why a name is on the map, in the order names are placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// A place where an event in view happened.
    EventPlace,
    /// A country's capital.
    Capital,
    /// A country.
    Country,
    /// A river, written beside a point of its line.
    River,
    /// Any other town or city.
    Town,
}

/// A name to place: its text, its anchor on the screen, its rank and population.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    /// The name.
    pub text: &'a str,
    /// Its anchor on the screen (a place's dot, a country's label point, a point of a river).
    pub at: [f64; 2],
    /// Why it is named.
    pub rank: Rank,
    /// The place's population (0 for a country).
    pub population: u64,
}

/// A name placed: its text, where its text starts, its rank and the dot it names.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed<'a> {
    /// The name.
    pub text: &'a str,
    /// Where the text's baseline starts (a country's is centred on it).
    pub text_at: [f64; 2],
    /// Why it is named.
    pub rank: Rank,
    /// The anchor (a place's dot).
    pub at: [f64; 2],
}

/// Boxes already taken on the screen.
#[derive(Debug, Default)]
struct Taken(Vec<[f64; 4]>);

impl Taken {
    /// Whether a box `[x0, y0, x1, y1]` meets none taken, with room to spare.
    fn free(&self, b: [f64; 4]) -> bool {
        self.0.iter().all(|t| {
            b[2] + PAD_PX < t[0]
                || t[2] + PAD_PX < b[0]
                || b[3] + PAD_PX < t[1]
                || t[3] + PAD_PX < b[1]
        })
    }
}

/// Places the candidates in rank order (then the most populous first), each to the right of
/// its dot, else to its left (a country centred on its point, else a line or two above or
/// below it); `width` measures a text.
pub fn place<'a>(
    mut candidates: Vec<Candidate<'a>>,
    width: impl Fn(&str, Rank) -> f64,
) -> Vec<Placed<'a>> {
    candidates.sort_by(|a, b| a.rank.cmp(&b.rank).then(b.population.cmp(&a.population)));
    let mut taken = Taken::default();
    let mut placed = Vec::new();
    for c in candidates {
        let [x, y] = c.at;
        // An event place's dot lies under its events' mark (a cluster up to about 14 px in
        // radius): its name stands clear of it.
        let (r, gap) = if c.rank == Rank::EventPlace {
            (6.0, 17.5)
        } else {
            (2.5, 6.0)
        };
        let dot = [x - r, y - r, x + r, y + r];
        let country = c.rank == Rank::Country;
        let centred = country || c.rank == Rank::River;
        if !centred && !taken.free(dot) {
            continue;
        }
        let w = width(c.text, c.rank);
        let left = x - w / 2.0;
        let spots: &[[f64; 2]] = if c.rank == Rank::River {
            // Just above its line, else just below: the line stays in sight.
            &[[left, y - 5.0], [left, y + 15.0]]
        } else if country {
            // Centred on its point, else a line above or below it.
            &[
                [left, y],
                [left, y - 16.0],
                [left, y + 16.0],
                [left, y - 32.0],
                [left, y + 32.0],
            ]
        } else {
            &[[x + gap, y + 4.0], [x - gap - w, y + 4.0]]
        };
        let text_box = |[tx, ty]: [f64; 2]| [tx, ty - LINE_PX + 3.0, tx + w, ty + 3.0];
        let spot = spots.iter().copied().find(|s| taken.free(text_box(*s)));
        // A place's dot stays taken when its name finds no room: a later name must not cover
        // a place left unnamed.
        if !centred {
            taken.0.push(dot);
        }
        if let Some(s) = spot {
            taken.0.push(text_box(s));
            placed.push(Placed {
                text: c.text,
                text_at: if centred { [x, s[1]] } else { s },
                rank: c.rank,
                at: c.at,
            });
        }
    }
    placed
}

/// The places a view may name, on the screen (with a margin), ranked: `near_event` tells
/// whether an event lies at a world point.
pub fn place_candidates<'a>(
    places: &'a Places,
    v: &Viewport,
    near_event: &dyn Fn([f64; 2]) -> bool,
) -> Vec<Candidate<'a>> {
    let least = min_population(v.zoom);
    let mut out = Vec::new();
    for p in places.candidates(v.zoom) {
        for k in v.copies() {
            let at = v.to_screen([p.world[0] + k as f64, p.world[1]]);
            if at[0] < -10.0 || at[1] < 0.0 || at[0] > v.width + 10.0 || at[1] > v.height + 10.0 {
                continue;
            }
            if let Some(rank) = rank_of(p, least, || near_event(p.world)) {
                out.push(Candidate {
                    text: &p.name,
                    at,
                    rank,
                    population: p.population,
                });
            }
        }
    }
    out
}

/// Where a river's name goes on the screen: the middle of the part of its line (screen points)
/// inside a view `width` by `height` with a margin, if at least `least_px` of it is there.
pub fn river_anchor(line: &[[f64; 2]], width: f64, height: f64, least_px: f64) -> Option<[f64; 2]> {
    let inside = |[x, y]: [f64; 2]| x > 40.0 && y > 20.0 && x < width - 40.0 && y < height - 20.0;
    let visible: Vec<[f64; 2]> = line.iter().copied().filter(|p| inside(*p)).collect();
    let length: f64 = visible
        .windows(2)
        .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
        .sum();
    if length < least_px {
        return None;
    }
    let mut walked = 0.0;
    for w in visible.windows(2) {
        let step = (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]);
        if walked + step >= length / 2.0 {
            let t = (length / 2.0 - walked) / step.max(f64::EPSILON);
            return Some([
                w[0][0] + (w[1][0] - w[0][0]) * t,
                w[0][1] + (w[1][1] - w[0][1]) * t,
            ]);
        }
        walked += step;
    }
    visible.first().copied()
}

/// A place's rank, or `None` when it is too small for the zoom and no event is there.
fn rank_of(p: &Place, least: u64, near_event: impl FnOnce() -> bool) -> Option<Rank> {
    if near_event() {
        Some(Rank::EventPlace)
    } else if p.capital {
        Some(Rank::Capital)
    } else if p.population >= least {
        Some(Rank::Town)
    } else {
        None
    }
}

/// The font a rank's names are written in.
pub fn font(rank: Rank) -> &'static str {
    match rank {
        Rank::Country => COUNTRY_FONT,
        Rank::River => RIVER_FONT,
        Rank::EventPlace | Rank::Capital => STRONG_FONT,
        Rank::Town => PLACE_FONT,
    }
}

/// Draws the placed names: a dot for each place (a ringed one for a capital; an event place has
/// its events' mark), and each text with a light halo so it reads over borders and rivers.
pub fn draw(ctx: &CanvasRenderingContext2d, placed: &[Placed<'_>], pal: &Palette) {
    ctx.set_line_join("round");
    for p in placed {
        if matches!(p.rank, Rank::Capital | Rank::Town) {
            draw_dot(ctx, p.at, p.rank == Rank::Capital, pal);
        }
        ctx.set_font(font(p.rank));
        let centred = matches!(p.rank, Rank::Country | Rank::River);
        ctx.set_text_align(if centred { "center" } else { "left" });
        ctx.set_stroke_style_str(pal.halo);
        ctx.set_line_width(3.0);
        let [x, y] = p.text_at;
        let _ = ctx.stroke_text(p.text, x, y);
        ctx.set_fill_style_str(match p.rank {
            Rank::Country => pal.country_label,
            Rank::River => pal.river_label,
            _ => pal.label,
        });
        let _ = ctx.fill_text(p.text, x, y);
    }
    ctx.set_text_align("start");
}

fn draw_dot(ctx: &CanvasRenderingContext2d, [x, y]: [f64; 2], capital: bool, pal: &Palette) {
    ctx.begin_path();
    let _ = ctx.arc(
        x,
        y,
        if capital { 3.5 } else { 2.5 },
        0.0,
        std::f64::consts::TAU,
    );
    ctx.set_fill_style_str(if capital { pal.capital } else { pal.dot });
    ctx.fill();
    ctx.set_stroke_style_str(pal.dot);
    ctx.set_line_width(if capital { 2.0 } else { 1.0 });
    ctx.stroke();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(text: &str, at: [f64; 2], rank: Rank, population: u64) -> Candidate<'_> {
        Candidate {
            text,
            at,
            rank,
            population,
        }
    }

    #[test]
    fn names_never_overlap_and_event_places_come_first() {
        let candidates = vec![
            candidate("Big City", [100.0, 100.0], Rank::Town, 2_000_000),
            candidate("Stepanakert", [104.0, 102.0], Rank::EventPlace, 55_000),
            candidate("Capital", [300.0, 100.0], Rank::Capital, 10_000),
            candidate("Far Town", [100.0, 300.0], Rank::Town, 5_000),
        ];
        let placed = place(candidates, |t, _| t.len() as f64 * 7.0);
        let names: Vec<&str> = placed.iter().map(|p| p.text).collect();
        assert_eq!(names, ["Stepanakert", "Capital", "Far Town"]);
    }

    #[test]
    fn a_name_goes_left_when_the_right_is_taken() {
        let candidates = vec![
            candidate("Right", [160.0, 100.0], Rank::Capital, 0),
            candidate("Middle", [130.0, 100.0], Rank::Town, 1_000),
        ];
        let placed = place(candidates, |t, _| t.len() as f64 * 7.0);
        assert_eq!(placed.len(), 2);
        assert!(placed[1].text_at[0] < 130.0, "{placed:?}");
    }

    #[test]
    fn a_country_moves_a_line_off_a_capital_on_its_point() {
        let candidates = vec![
            candidate("Yerevan", [100.0, 100.0], Rank::Capital, 1_000_000),
            candidate("Armenia", [120.0, 100.0], Rank::Country, 0),
        ];
        let placed = place(candidates, |t, _| t.len() as f64 * 7.0);
        assert_eq!(placed.len(), 2, "{placed:?}");
        assert!((placed[1].text_at[1] - 100.0).abs() >= 16.0, "{placed:?}");
    }

    #[test]
    fn a_river_is_named_at_the_middle_of_its_part_in_view() {
        let line = [
            [-100.0, 100.0],
            [100.0, 100.0],
            [300.0, 100.0],
            [900.0, 100.0],
        ];
        let at = river_anchor(&line, 400.0, 300.0, 60.0).expect("in view");
        assert!((at[0] - 200.0).abs() < 1.0 && at[1] == 100.0, "{at:?}");
        assert_eq!(
            river_anchor(&line, 400.0, 300.0, 500.0),
            None,
            "too little in view"
        );
        let candidates = vec![
            candidate("Aras", [200.0, 100.0], Rank::River, 0),
            candidate("Town", [150.0, 130.0], Rank::Town, 5_000),
        ];
        let placed = place(candidates, |t, _| t.len() as f64 * 7.0);
        assert_eq!(
            placed[0].text_at,
            [200.0, 95.0],
            "centred just above its line"
        );
    }

    #[test]
    fn small_places_wait_for_their_zoom_unless_an_event_is_there() {
        let p = Place {
            name: "Lachin".into(),
            world: [0.6, 0.37],
            population: 2_300,
            capital: false,
        };
        assert_eq!(rank_of(&p, min_population(6.0), || false), None);
        assert_eq!(
            rank_of(&p, min_population(6.0), || true),
            Some(Rank::EventPlace)
        );
        assert_eq!(rank_of(&p, min_population(9.0), || false), Some(Rank::Town));
    }
}
