//! The countries by name: every ISO 3166-1 alpha-2 code with the English name the gazetteer
//! gives it (`countries.tsv`, from GeoNames), for the map's country filter and captions.

use std::sync::OnceLock;

/// The table, as shipped: `#` comment lines, then `CODE<TAB>Name` lines.
const TABLE: &str = include_str!("countries.tsv");

/// Every country as `(code, name)`, sorted by name.
pub fn countries() -> &'static [(&'static str, &'static str)] {
    static SORTED: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    SORTED.get_or_init(|| {
        let mut all: Vec<(&str, &str)> = TABLE
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .collect();
        all.sort_by(|a, b| a.1.cmp(b.1));
        all
    })
}

/// The English name of a country code (`AZ` → `Azerbaijan`), if it is one.
pub fn country_name(code: &str) -> Option<&'static str> {
    countries()
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_country_has_a_name_sorted_by_name() {
        let all = countries();
        assert_eq!(all.len(), 252);
        assert!(all.windows(2).all(|w| w[0].1 <= w[1].1));
        assert!(all.iter().all(|(c, n)| c.len() == 2 && !n.is_empty()));
        assert_eq!(country_name("AZ"), Some("Azerbaijan"));
        assert_eq!(country_name("ir"), Some("Iran"));
        assert_eq!(country_name("ZZ"), None);
    }
}
