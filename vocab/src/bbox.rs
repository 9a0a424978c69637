//! Longitude/latitude in degrees (WGS 84): the range check, and the bbox with its one text form
//! `min_lon,min_lat,max_lon,max_lat`.

use std::fmt;
use std::str::FromStr;

/// A longitude or latitude out of its range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CoordinateError {
    /// The longitude is not within -180..180 (or not finite).
    Longitude(f64),
    /// The latitude is not within -90..90 (or not finite).
    Latitude(f64),
}

impl fmt::Display for CoordinateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Longitude(lon) => write!(f, "longitude {lon} is not within -180..180"),
            Self::Latitude(lat) => write!(f, "latitude {lat} is not within -90..90"),
        }
    }
}

impl std::error::Error for CoordinateError {}

/// Checks that a point is on the globe: longitude within -180..180, latitude within -90..90.
pub fn check_lon_lat(lon: f64, lat: f64) -> Result<(), CoordinateError> {
    if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
        return Err(CoordinateError::Longitude(lon));
    }
    if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
        return Err(CoordinateError::Latitude(lat));
    }
    Ok(())
}

/// `N` finite numbers separated by commas, or `None`.
pub(crate) fn numbers<const N: usize>(text: &str) -> Option<[f64; N]> {
    let mut out = [0.0; N];
    let mut parts = text.split(',');
    for slot in &mut out {
        *slot = parts
            .next()?
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())?;
    }
    parts.next().is_none().then_some(out)
}

/// A longitude/latitude box in degrees (WGS 84).
///
/// Its text form, in query parameters and links, is `min_lon,min_lat,max_lon,max_lat`:
/// `{}` writes each number in full (the shortest text that reads back the same), `{:.5}` with
/// five decimals (about a metre), and [`FromStr`] reads it back, checking the ranges.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bbox {
    /// West edge.
    pub min_lon: f64,
    /// South edge.
    pub min_lat: f64,
    /// East edge.
    pub max_lon: f64,
    /// North edge.
    pub max_lat: f64,
}

impl From<[f64; 4]> for Bbox {
    /// The box `[west, south, east, north]`.
    fn from([min_lon, min_lat, max_lon, max_lat]: [f64; 4]) -> Self {
        Self {
            min_lon,
            min_lat,
            max_lon,
            max_lat,
        }
    }
}

impl fmt::Display for Bbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let edges = [self.min_lon, self.min_lat, self.max_lon, self.max_lat];
        for (i, v) in edges.into_iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            match f.precision() {
                Some(p) => write!(f, "{v:.p$}")?,
                None => write!(f, "{v}")?,
            }
        }
        Ok(())
    }
}

/// Why a text is not a bbox.
#[derive(Debug, Clone, PartialEq)]
pub enum BboxError {
    /// Not four finite numbers separated by commas (the text).
    Shape(String),
    /// A corner is off the globe.
    Coordinate(CoordinateError),
    /// The south edge is north of the north edge.
    SouthOfNorth {
        /// The south edge.
        min_lat: f64,
        /// The north edge.
        max_lat: f64,
    },
}

impl fmt::Display for BboxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Shape(text) => write!(f, "{text:?} is not min_lon,min_lat,max_lon,max_lat"),
            Self::Coordinate(e) => e.fmt(f),
            Self::SouthOfNorth { min_lat, max_lat } => {
                write!(f, "min_lat {min_lat} is north of max_lat {max_lat}")
            }
        }
    }
}

impl std::error::Error for BboxError {}

impl FromStr for Bbox {
    type Err = BboxError;

    fn from_str(text: &str) -> Result<Self, BboxError> {
        let [w, s, e, n] = numbers(text).ok_or_else(|| BboxError::Shape(text.to_owned()))?;
        check_lon_lat(w, s).map_err(BboxError::Coordinate)?;
        check_lon_lat(e, n).map_err(BboxError::Coordinate)?;
        if s > n {
            return Err(BboxError::SouthOfNorth {
                min_lat: s,
                max_lat: n,
            });
        }
        Ok(Self::from([w, s, e, n]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips() {
        let b = Bbox::from([44.0, 38.25, 48.123456789, 41.0]);
        assert_eq!(b.to_string(), "44,38.25,48.123456789,41");
        assert_eq!(format!("{b:.5}"), "44.00000,38.25000,48.12346,41.00000");
        assert_eq!(b.to_string().parse::<Bbox>(), Ok(b));
        let noisy = Bbox::from([0.1 + 0.2, -1.0 / 3.0, 179.99999999999997, 1e-9]);
        assert_eq!(noisy.to_string().parse::<Bbox>(), Ok(noisy));
    }

    #[test]
    fn bad_boxes_say_why() {
        for (text, message) in [
            ("1,2,3", r#""1,2,3" is not min_lon,min_lat,max_lon,max_lat"#),
            (
                "1,2,3,4,5",
                r#""1,2,3,4,5" is not min_lon,min_lat,max_lon,max_lat"#,
            ),
            (
                "1,nan,3,4",
                r#""1,nan,3,4" is not min_lon,min_lat,max_lon,max_lat"#,
            ),
            ("0,95,1,96", "latitude 95 is not within -90..90"),
            ("-181,0,1,1", "longitude -181 is not within -180..180"),
            ("0,41,1,38", "min_lat 41 is north of max_lat 38"),
        ] {
            let e = text.parse::<Bbox>().expect_err(text);
            assert_eq!(e.to_string(), message);
        }
        assert_eq!(" 1 , 2,3 ,4".parse(), Ok(Bbox::from([1.0, 2.0, 3.0, 4.0])));
    }
}
