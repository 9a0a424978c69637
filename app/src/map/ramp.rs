//! The sequential colour ramp of the heatmap and of the shaded divisions: ColorBrewer's YlOrRd
//! in five steps (Cynthia Brewer, Apache-2.0 licence), light to dark, which stays ordered
//! under deuteranopia and protanopia because it varies in lightness.

/// The ramp's colours, `[r, g, b]`, light to dark.
pub const RAMP: [[u8; 3]; 5] = [
    [0xff, 0xff, 0xb2],
    [0xfe, 0xcc, 0x5c],
    [0xfd, 0x8d, 0x3c],
    [0xf0, 0x3b, 0x20],
    [0xbd, 0x00, 0x26],
];

/// A step of the ramp as CSS (`#fecc5c`).
pub fn css(step: usize) -> String {
    let [r, g, b] = RAMP[step.min(RAMP.len() - 1)];
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The ramp's colour at `t` from 0 to 1, interpolated between its steps.
pub fn at(t: f64) -> [u8; 3] {
    let scaled = t.clamp(0.0, 1.0) * (RAMP.len() - 1) as f64;
    let i = (scaled.floor() as usize).min(RAMP.len() - 2);
    let f = scaled - i as f64;
    let (a, b) = (RAMP[i], RAMP[i + 1]);
    std::array::from_fn(|k| {
        (f64::from(a[k]) + (f64::from(b[k]) - f64::from(a[k])) * f).round() as u8
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ramp_runs_from_its_first_step_to_its_last() {
        assert_eq!(at(0.0), RAMP[0]);
        assert_eq!(at(1.0), RAMP[4]);
        assert_eq!(at(0.5), RAMP[2]);
        assert_eq!(css(1), "#fecc5c");
        assert_eq!(css(9), "#bd0026");
    }
}
