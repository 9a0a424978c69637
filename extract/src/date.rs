//! Dates in a sentence: explicit («le 9 octobre», "October 9, 2020", «en octobre») and relative
//! («vendredi», "on Sunday", "last week", «hier»), resolved against the publication date.

use crate::event::DatePrecision;
use crate::lexicon::{DateWords, Relative};
use crate::phrase::{Matches, Table};
use crate::text::{Token, TokenKind};
use chrono::{Datelike, Days, NaiveDate};
use std::ops::Range;

/// A date expression found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateMatch {
    /// Token indices of the expression, end exclusive.
    pub(crate) tokens: Range<usize>,
    /// The first day of the period; `None` for «auparavant», "earlier" (some time before).
    pub(crate) date: Option<NaiveDate>,
    /// The period's length.
    pub(crate) precision: DatePrecision,
}

/// How many days after the publication date a day-month date may still be in the same year
/// (a report may announce something planned for next week).
const FUTURE_SLACK_DAYS: u64 = 7;

/// The phrase tables a date may start with.
const DATE_TABLES: [Table; 2] = [Table::Relative, Table::Calendar];

/// Finds and resolves the date expressions of `tokens`, whose lexicon phrases are `phrases` and
/// whose tokens that start with a digit are `numbers` (their indices, in order). Expressions that
/// need a publication date (a weekday, «hier», a day without its year) are left out when there
/// is none.
pub(crate) fn find(
    tokens: &[Token],
    phrases: &Matches,
    numbers: impl IntoIterator<Item = usize>,
    words: &DateWords,
    published: Option<NaiveDate>,
) -> Vec<DateMatch> {
    let mut out = Vec::new();
    let mut numbers = numbers.into_iter().peekable();
    // Every date starts with a relative or calendar word or a number: only those tokens are
    // looked at, from `i` on.
    let mut i = 0;
    loop {
        while numbers.next_if(|&k| k < i).is_some() {}
        let phrase = phrases.next_start_of(&DATE_TABLES, i);
        let Some(at) = phrase.into_iter().chain(numbers.peek().copied()).min() else {
            break;
        };
        match match_at(tokens, phrases, at, words, published) {
            Some(m) => {
                i = m.tokens.end.max(at + 1);
                out.push(m);
            }
            None => i = at + 1,
        }
    }
    out
}

fn match_at(
    tokens: &[Token],
    phrases: &Matches,
    i: usize,
    words: &DateWords,
    published: Option<NaiveDate>,
) -> Option<DateMatch> {
    if let Some((len, id)) = phrases.longest_at(Table::Relative, i) {
        let relative = DateWords::relative_of(id)?;
        let tokens = i..i + len;
        if relative == Relative::Earlier {
            return Some(DateMatch {
                tokens,
                date: None,
                precision: DatePrecision::Day,
            });
        }
        let (date, precision) = resolve_relative(relative, published?)?;
        return Some(DateMatch {
            tokens,
            date: Some(date),
            precision,
        });
    }
    // Every other date starts with a number or a calendar word.
    let first = &tokens[i];
    let may_start = match first.kind {
        TokenKind::Number => true,
        TokenKind::Punct => false,
        TokenKind::Word => {
            first.lower.starts_with(|c: char| c.is_ascii_digit())
                || phrases.longest_at(Table::Calendar, i).is_some()
        }
    };
    if !may_start {
        return None;
    }
    iso_date(tokens, i)
        .or_else(|| day_month(tokens, i, words, published))
        .or_else(|| month_day(tokens, i, words, published))
        .or_else(|| month_alone(tokens, i, words, published))
        .or_else(|| year_alone(tokens, i, words))
        .or_else(|| weekday(tokens, i, words, published?))
}

/// `2020-10-09`.
fn iso_date(tokens: &[Token], i: usize) -> Option<DateMatch> {
    let [y, m, d] = tokens.get(i..i + 3)? else {
        return None;
    };
    let adjacent = m.start == y.end + 1 && d.start == m.end + 1;
    if !adjacent || y.lower.len() != 4 || [y, m, d].iter().any(|t| t.kind != TokenKind::Number) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        y.lower.parse().ok()?,
        m.lower.parse().ok()?,
        d.lower.parse().ok()?,
    )?;
    Some(DateMatch {
        tokens: i..i + 3,
        date: Some(date),
        precision: DatePrecision::Day,
    })
}

/// A day number, with an ordinal suffix or not (`9`, `1er`, `9th`).
fn day_number(token: &Token, words: &DateWords) -> Option<u32> {
    if !token.lower.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (digits, rest) = token.lower.split_at(
        token
            .lower
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(token.lower.len()),
    );
    let ok =
        !digits.is_empty() && (rest.is_empty() || words.ordinal_suffixes.iter().any(|s| s == rest));
    let day: u32 = if ok {
        digits.parse().ok()?
    } else {
        return None;
    };
    (1..=31).contains(&day).then_some(day)
}

/// A four-digit year between 1900 and 2100.
fn year_number(token: &Token) -> Option<i32> {
    let year: i32 = (token.kind == TokenKind::Number && token.lower.len() == 4)
        .then(|| token.lower.parse().ok())??;
    (1900..=2100).contains(&year).then_some(year)
}

/// The month (1-12) a token names: a full name, or with `abbreviated` a prefix of three chars
/// or more (`oct`, `sept`).
fn month_number(token: &Token, words: &DateWords, abbreviated: bool) -> Option<u32> {
    if token.kind != TokenKind::Word {
        return None;
    }
    let word = words.calendar.get(token.lower)?;
    word.month
        .or_else(|| abbreviated.then_some(word.month_prefix).flatten())
}

/// Skips the full stop of an abbreviated month (`Oct.`), not one that ends the sentence.
fn skip_dot(tokens: &[Token], j: usize, words: &DateWords) -> usize {
    let abbreviated = j > 0
        && words
            .calendar
            .get(tokens[j - 1].lower)
            .is_none_or(|w| w.month.is_none());
    if abbreviated
        && tokens
            .get(j)
            .is_some_and(|t| t.lower == "." && t.start == tokens[j - 1].end)
    {
        j + 1
    } else {
        j
    }
}

/// An optional year after a date (`, 2020`, `de 2020`), as (year, next token).
fn trailing_year(tokens: &[Token], j: usize, words: &DateWords) -> Option<(i32, usize)> {
    let t = tokens.get(j)?;
    if let Some(y) = year_number(t) {
        return Some((y, j + 1));
    }
    let joined = t.lower == "," || words.day_month_joiners.contains(t.lower);
    let y = year_number(tokens.get(j + 1)?)?;
    joined.then_some((y, j + 2))
}

/// «9 octobre», «1er octobre 2020», "9th of October", «9 de octubre».
fn day_month(
    tokens: &[Token],
    i: usize,
    words: &DateWords,
    published: Option<NaiveDate>,
) -> Option<DateMatch> {
    let day = day_number(&tokens[i], words)?;
    let mut j = i + 1;
    if tokens
        .get(j)
        .is_some_and(|t| words.day_month_joiners.contains(t.lower))
    {
        j += 1;
    }
    let month = month_number(tokens.get(j)?, words, true)?;
    j = skip_dot(tokens, j + 1, words);
    let (year, end) = match trailing_year(tokens, j, words) {
        Some((y, end)) => (Some(y), end),
        None => (None, j),
    };
    let date = full_date(year, month, day, published)?;
    Some(DateMatch {
        tokens: i..end,
        date: Some(date),
        precision: DatePrecision::Day,
    })
}

/// "October 9", "Oct. 9, 2020".
fn month_day(
    tokens: &[Token],
    i: usize,
    words: &DateWords,
    published: Option<NaiveDate>,
) -> Option<DateMatch> {
    let month = month_number(&tokens[i], words, true)?;
    let j = skip_dot(tokens, i + 1, words);
    let day = day_number(tokens.get(j)?, words)?;
    let (year, end) = match trailing_year(tokens, j + 1, words) {
        Some((y, end)) => (Some(y), end),
        None => (None, j + 1),
    };
    let date = full_date(year, month, day, published)?;
    Some(DateMatch {
        tokens: i..end,
        date: Some(date),
        precision: DatePrecision::Day,
    })
}

/// «en octobre», "in October 2019", «octobre 2020».
fn month_alone(
    tokens: &[Token],
    i: usize,
    words: &DateWords,
    published: Option<NaiveDate>,
) -> Option<DateMatch> {
    let month = month_number(&tokens[i], words, false)?;
    let after = trailing_year(tokens, i + 1, words);
    let before = i > 0 && words.month_context.contains(tokens[i - 1].lower);
    let date = match after {
        Some((y, _)) => NaiveDate::from_ymd_opt(y, month, 1)?,
        None if before => full_date(None, month, 1, published)?,
        None => return None,
    };
    let end = after.map_or(i + 1, |(_, end)| end);
    Some(DateMatch {
        tokens: i..end,
        date: Some(date),
        precision: DatePrecision::Month,
    })
}

/// «en 2019», "in 2019"; not a number before a name ("of 1935 Orchard St.": an address).
fn year_alone(tokens: &[Token], i: usize, words: &DateWords) -> Option<DateMatch> {
    let year = year_number(&tokens[i])?;
    (i > 0 && words.month_context.contains(tokens[i - 1].lower)).then_some(())?;
    let named_next = tokens.get(i + 1).is_some_and(|t| t.is_word() && t.capital);
    (!named_next).then_some(())?;
    let date = NaiveDate::from_ymd_opt(year, 1, 1)?;
    Some(DateMatch {
        tokens: i..i + 1,
        date: Some(date),
        precision: DatePrecision::Year,
    })
}

/// «vendredi», "on Sunday", "last Monday": the latest such day on or before the publication
/// date (strictly before after "last").
fn weekday(
    tokens: &[Token],
    i: usize,
    words: &DateWords,
    published: NaiveDate,
) -> Option<DateMatch> {
    let wd = u64::from(words.calendar.get(tokens[i].lower)?.weekday?);
    let last = i > 0 && words.last_before.contains(tokens[i - 1].lower);
    let today = u64::from(published.weekday().num_days_from_monday());
    let mut back = (today + 7 - wd) % 7;
    if last && back == 0 {
        back = 7;
    }
    let date = published.checked_sub_days(Days::new(back))?;
    let start = if last { i - 1 } else { i };
    Some(DateMatch {
        tokens: start..i + 1,
        date: Some(date),
        precision: DatePrecision::Day,
    })
}

/// A day and month with the year given, or else the latest such date not much after the
/// publication date.
fn full_date(
    year: Option<i32>,
    month: u32,
    day: u32,
    published: Option<NaiveDate>,
) -> Option<NaiveDate> {
    if let Some(y) = year {
        return NaiveDate::from_ymd_opt(y, month, day);
    }
    let published = published?;
    let this_year = NaiveDate::from_ymd_opt(published.year(), month, day)?;
    let limit = published.checked_add_days(Days::new(FUTURE_SLACK_DAYS))?;
    if this_year > limit {
        NaiveDate::from_ymd_opt(published.year() - 1, month, day)
    } else {
        Some(this_year)
    }
}

/// The period a relative word names, against the publication date.
fn resolve_relative(
    relative: Relative,
    published: NaiveDate,
) -> Option<(NaiveDate, DatePrecision)> {
    let monday =
        |d: NaiveDate| d.checked_sub_days(Days::new(u64::from(d.weekday().num_days_from_monday())));
    let first_of_month = |d: NaiveDate| d.with_day(1);
    let year_start = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1);
    Some(match relative {
        Relative::Today => (published, DatePrecision::Day),
        Relative::Yesterday => (
            published.checked_sub_days(Days::new(1))?,
            DatePrecision::Day,
        ),
        Relative::DayBeforeYesterday => (
            published.checked_sub_days(Days::new(2))?,
            DatePrecision::Day,
        ),
        Relative::Tomorrow => (
            published.checked_add_days(Days::new(1))?,
            DatePrecision::Day,
        ),
        Relative::ThisWeek => (monday(published)?, DatePrecision::Week),
        Relative::LastWeek => (
            monday(published.checked_sub_days(Days::new(7))?)?,
            DatePrecision::Week,
        ),
        Relative::ThisMonth => (first_of_month(published)?, DatePrecision::Month),
        Relative::LastMonth => (
            first_of_month(first_of_month(published)?.checked_sub_days(Days::new(1))?)?,
            DatePrecision::Month,
        ),
        Relative::ThisYear => (year_start(published.year())?, DatePrecision::Year),
        Relative::LastYear => (year_start(published.year() - 1)?, DatePrecision::Year),
        Relative::Earlier => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;
    use crate::text::{Notes, tokenize_with_notes};

    fn dates(lang: &str, text: &str) -> Vec<(String, Option<String>, DatePrecision)> {
        let lexicons = Lexicon::builtin().expect("built-in lexicons");
        let lex = lexicons.iter().find(|l| l.lang == lang).expect("language");
        let published = NaiveDate::from_ymd_opt(2020, 10, 9);
        let mut buffer = String::new();
        let mut notes = Notes::default();
        let tokens = tokenize_with_notes(text, 0..text.len(), &mut buffer, &mut notes);
        find(
            &tokens,
            &lex.phrases.matches(&tokens),
            notes.numbers,
            &lex.dates,
            published,
        )
        .into_iter()
        .map(|m| {
            let span = text[tokens[m.tokens.start].start..tokens[m.tokens.end - 1].end].to_owned();
            (span, m.date.map(|d| d.to_string()), m.precision)
        })
        .collect()
    }

    fn one(lang: &str, text: &str) -> (String, Option<String>, DatePrecision) {
        let mut all = dates(lang, text);
        assert_eq!(all.len(), 1, "{text}: {all:?}");
        all.remove(0)
    }

    #[test]
    fn french_explicit_dates() {
        assert_eq!(
            one("fr", "Le 9 octobre, il a appelé."),
            (
                "9 octobre".into(),
                Some("2020-10-09".into()),
                DatePrecision::Day
            )
        );
        assert_eq!(
            one("fr", "annoncé le 27 septembre que").1.as_deref(),
            Some("2020-09-27")
        );
        assert_eq!(
            one("fr", "le 1er mars 2019").1.as_deref(),
            Some("2019-03-01")
        );
        assert_eq!(one("fr", "le 12 juin.").0, "12 juin");
        assert_eq!(one("fr", "le 25 décembre").1.as_deref(), Some("2019-12-25"));
        assert_eq!(one("fr", "en août dernier").2, DatePrecision::Month);
        assert_eq!(one("fr", "en 2018").1.as_deref(), Some("2018-01-01"));
        assert!(dates("fr", "sept soldats et mai").is_empty());
    }

    #[test]
    fn french_relative_dates() {
        assert_eq!(
            one("fr", "a rapporté vendredi le service").1.as_deref(),
            Some("2020-10-09")
        );
        assert_eq!(one("fr", "mardi").1.as_deref(), Some("2020-10-06"));
        assert_eq!(one("fr", "hier soir").1.as_deref(), Some("2020-10-08"));
        assert_eq!(one("fr", "avant-hier").1.as_deref(), Some("2020-10-07"));
        assert_eq!(
            one("fr", "la semaine dernière"),
            (
                "la semaine dernière".into(),
                Some("2020-09-28".into()),
                DatePrecision::Week
            )
        );
        assert_eq!(one("fr", "Auparavant, il").1, None);
    }

    #[test]
    fn english_dates() {
        assert_eq!(one("en", "on Sunday").1.as_deref(), Some("2020-10-04"));
        assert_eq!(one("en", "last Friday").1.as_deref(), Some("2020-10-02"));
        assert_eq!(
            one("en", "on Oct. 3, 2019 there").1.as_deref(),
            Some("2019-10-03")
        );
        assert_eq!(
            one("en", "on September 30th").1.as_deref(),
            Some("2020-09-30")
        );
        assert_eq!(
            one("en", "the 2nd of October").1.as_deref(),
            Some("2020-10-02")
        );
        assert_eq!(one("en", "last month").2, DatePrecision::Month);
        assert_eq!(one("en", "in March").1.as_deref(), Some("2020-03-01"));
        assert_eq!(one("en", "on 2020-10-01").1.as_deref(), Some("2020-10-01"));
        assert!(dates("en", "May I say it may rain").is_empty());
    }

    #[test]
    fn without_publication_date_only_full_dates() {
        let lexicons = Lexicon::builtin().expect("built-in lexicons");
        let text = "vendredi 9 octobre et le 3 mai 2019";
        let mut buffer = String::new();
        let mut notes = Notes::default();
        let tokens = tokenize_with_notes(text, 0..text.len(), &mut buffer, &mut notes);
        let phrases = lexicons[0].phrases.matches(&tokens);
        let found = find(&tokens, &phrases, notes.numbers, &lexicons[0].dates, None);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].date.map(|d| d.to_string()).as_deref(),
            Some("2019-05-03")
        );
    }
}
