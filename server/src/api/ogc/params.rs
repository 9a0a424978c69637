//! The query parameters of `/ogc/collections/events/items`, read into karta's own
//! ([`EventParams`]): OGC's `bbox` and `limit` are karta's, `datetime` becomes `from` and `to`,
//! `f` chooses the format, and every other parameter must be one of karta's filters (an
//! unknown one is a 400, as OGC API – Features asks).

use super::super::ApiError;
use super::super::query::EventParams;
use chrono::NaiveDate;

/// The `f` values that ask for JSON (GeoJSON for features); no other format is served.
const JSON_FORMATS: [&str; 2] = ["json", "geojson"];

/// Checks an `f` parameter: only JSON is served.
pub(super) fn check_format(value: Option<&str>) -> Result<(), ApiError> {
    match value {
        None => Ok(()),
        Some(f) if JSON_FORMATS.contains(&f) => Ok(()),
        Some(f) => Err(ApiError::parameter(
            "f",
            format!("{f:?} is not a format served here (json)"),
        )),
    }
}

/// The `f` parameter of a query string, if any, for the pages other than the items.
pub(super) fn format_of(query: Option<&str>) -> Result<Option<String>, ApiError> {
    Ok(pairs(query)?
        .into_iter()
        .find(|(name, _)| name == "f")
        .map(|(_, value)| value))
}

/// The name-value pairs of a query string.
fn pairs(query: Option<&str>) -> Result<Vec<(String, String)>, ApiError> {
    serde_urlencoded::from_str(query.unwrap_or_default())
        .map_err(|e| ApiError::bad_request("invalid_query", format!("query string: {e}")))
}

/// Reads the items' query string into karta's parameters.
pub(super) fn item_params(query: Option<&str>) -> Result<EventParams, ApiError> {
    let mut params = EventParams::default();
    let mut datetime = None;
    for (name, value) in pairs(query)? {
        match name.as_str() {
            "f" => check_format(Some(&value))?,
            "datetime" => datetime = Some(value),
            "from" | "to" if datetime.is_some() => return Err(both_dates()),
            _ if params.push(&name, &value) => {}
            _ => {
                return Err(ApiError::parameter(
                    &name,
                    "is not a parameter of this collection: bbox, datetime, limit, f, \
                     and karta's filters (see the API definition, /ogc/api)",
                ));
            }
        }
    }
    if let Some(datetime) = datetime {
        if params.from.is_some() || params.to.is_some() {
            return Err(both_dates());
        }
        let (from, to) = days(&datetime)?;
        params.from = from.map(|d| d.to_string());
        params.to = to.map(|d| d.to_string());
    }
    Ok(params)
}

/// The error of a query that gives `datetime` and `from` or `to`.
fn both_dates() -> ApiError {
    ApiError::parameter("datetime", "give either datetime or from and to, not both")
}

/// The first and last day of a `datetime` value: an instant (a day or an RFC 3339 date-time,
/// whose day in UTC counts: events are dated by the day), or an interval `start/end` whose
/// ends may be open (`..` or empty).
pub(super) fn days(text: &str) -> Result<(Option<NaiveDate>, Option<NaiveDate>), ApiError> {
    let Some((start, end)) = text.split_once('/') else {
        let day = instant(text)?;
        return Ok((Some(day), Some(day)));
    };
    let end_of = |side: &str| match side.trim() {
        "" | ".." => Ok(None),
        t => instant(t).map(Some),
    };
    let (from, to) = (end_of(start)?, end_of(end)?);
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(ApiError::parameter(
            "datetime",
            format!("the interval {text:?} starts after it ends"),
        ));
    }
    Ok((from, to))
}

/// The day of an instant: `YYYY-MM-DD` or an RFC 3339 date-time (in UTC).
fn instant(text: &str) -> Result<NaiveDate, ApiError> {
    let text = text.trim();
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day);
    }
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc).date_naive())
        .map_err(|_| {
            ApiError::parameter(
                "datetime",
                format!(
                    "{text:?} is not a date (2020-10-01), a date-time (2020-10-01T12:00:00Z) \
                     or an interval of them (2020-09-27/2020-10-01, ../2020-10-01, 2020-09-27/..)"
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Option<NaiveDate> {
        text.parse().ok()
    }

    #[test]
    fn datetime_reads_instants_intervals_and_open_ends() {
        let both = |a, b| Ok((day(a), day(b)));
        assert_eq!(days("2020-10-01"), both("2020-10-01", "2020-10-01"));
        assert_eq!(
            days("2020-10-01T23:30:00-02:00"),
            both("2020-10-02", "2020-10-02")
        );
        assert_eq!(
            days("2020-09-27/2020-10-01"),
            both("2020-09-27", "2020-10-01")
        );
        assert_eq!(days("../2020-10-01"), Ok((None, day("2020-10-01"))));
        assert_eq!(days("2020-09-27/.."), Ok((day("2020-09-27"), None)));
        assert_eq!(days("2020-09-27/"), Ok((day("2020-09-27"), None)));
        assert_eq!(days("../.."), Ok((None, None)));
        for bad in [
            "yesterday",
            "2020-10-02/2020-10-01",
            "2020-02-30",
            "2020-10-01/x",
        ] {
            let e = days(bad).expect_err(bad);
            assert!(e.message.starts_with("datetime: "), "{}", e.message);
        }
    }

    #[test]
    fn items_take_karta_filters_and_refuse_the_unknown() {
        let p = item_params(Some(
            "bbox=170,-20,-170,-10&datetime=2020-09-27/..&type=riots&f=json",
        ))
        .expect("valid");
        assert_eq!(p.bbox.as_deref(), Some("170,-20,-170,-10"));
        assert_eq!(
            (p.from.as_deref(), p.to.as_deref()),
            (Some("2020-09-27"), None)
        );
        assert_eq!(p.types(), ["riots"]);
        for (query, needle) in [
            ("zoom=3", "zoom: is not a parameter"),
            ("f=html", "f: \"html\" is not a format"),
            (
                "datetime=2020-10-01&from=2020-09-01",
                "datetime: give either",
            ),
            (
                "from=2020-09-01&datetime=2020-10-01",
                "datetime: give either",
            ),
        ] {
            let e = item_params(Some(query)).expect_err(query);
            assert!(e.message.contains(needle), "{query}: {}", e.message);
        }
    }
}
