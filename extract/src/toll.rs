//! The toll of an incident: how many people its sentences say were killed and wounded ("eight
//! people were killed and 14 wounded", "killing 20", «faisant au moins huit morts»), as ACLED's
//! `fatalities` and the wounded beside them.
//!
//! A number counts when a word of death or injury follows it within a few words of the same
//! clause ("35 people also were wounded"), or when it follows a verb of killing ("killing 20").
//! Ages, years and times name no toll: the word after them is not one of death. When the
//! sentences of one incident give several figures (a first count, then a higher one), the
//! highest is kept: tolls rise as they are counted.

use crate::event::{Event, Evidence, EvidenceRole, TextSpan};
use crate::lexicon::TollWords;

/// How many words may stand between a number and the word of death or injury that it counts
/// ("eight people were killed": two).
const REACH: usize = 4;

/// The largest count taken for a toll; anything larger is an amount of something else.
const MOST: u64 = 100_000;

/// Fills an event's fatalities and wounded from its sentences (the main one and the others
/// that report it), with the words that gave each as evidence.
pub(crate) fn fill(event: &mut Event, words: &TollWords) {
    let sentences: Vec<TextSpan> = std::iter::once(event.sentence.clone())
        .chain(event.mentions.iter().map(|r| r.sentence.clone()))
        .collect();
    for sentence in &sentences {
        for figure in figures(sentence, words) {
            let slot = match figure.kind {
                Kind::Killed => &mut event.fatalities,
                Kind::Wounded => &mut event.wounded,
            };
            if slot.is_none_or(|n| figure.count > n) {
                *slot = Some(figure.count);
                event.evidence.push(Evidence {
                    role: EvidenceRole::Toll,
                    span: figure.span,
                });
            }
        }
    }
}

/// What a number counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Killed,
    Wounded,
}

/// A count of people found in a sentence.
#[derive(Debug, Clone, PartialEq)]
struct Figure {
    kind: Kind,
    count: u32,
    /// From the number to the word that says what it counts.
    span: TextSpan,
}

/// A word of a sentence, lower-cased, with its byte range in the document.
struct Word {
    lower: String,
    start: usize,
    end: usize,
}

/// The words of a sentence: runs of letters, digits, and digits grouped by commas or points
/// ("1,200"); every other char but a space ends a clause and is a word of its own.
fn words(sentence: &TextSpan) -> Vec<Word> {
    let text = sentence.text.as_str();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let grouping = matches!(c, ',' | '.' | '\u{a0}' | '\u{202f}')
            && start.is_some()
            && k > 0
            && chars[k - 1].1.is_ascii_digit()
            && chars.get(k + 1).is_some_and(|(_, n)| n.is_ascii_digit());
        if c.is_alphanumeric() || c == '-' && start.is_some() || grouping {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(word(text, s, i, sentence.start));
        }
        if !c.is_whitespace() {
            out.push(word(text, i, i + c.len_utf8(), sentence.start));
        }
    }
    if let Some(s) = start {
        out.push(word(text, s, text.len(), sentence.start));
    }
    out
}

fn word(text: &str, start: usize, end: usize, offset: usize) -> Word {
    Word {
        lower: text[start..end].to_lowercase(),
        start: offset + start,
        end: offset + end,
    }
}

/// The value of a number word or of digits ("8", "1,200", "eight", «huit»).
fn number(word: &str, words: &TollWords) -> Option<u64> {
    if word.starts_with(|c: char| c.is_ascii_digit()) {
        let digits: String = word.chars().filter(char::is_ascii_digit).collect();
        let all_digits = word
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '\u{a0}' | '\u{202f}'));
        // Four digits alone from 1800 to 2100 are a year ("in 2004 and killed").
        let year = word.len() == 4 && (1800..=2100).contains(&digits.parse::<u64>().unwrap_or(0));
        return digits.parse().ok().filter(|_| all_digits && !year);
    }
    words.numbers.get(word).copied()
}

/// The counts of people killed and wounded in a sentence.
fn figures(sentence: &TextSpan, lex: &TollWords) -> Vec<Figure> {
    let words = words(sentence);
    let kind_of = |w: &Word| {
        if lex.killed.contains(w.lower.as_str()) {
            Some(Kind::Killed)
        } else if lex.wounded.contains(w.lower.as_str()) {
            Some(Kind::Wounded)
        } else {
            None
        }
    };
    let mut found = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Some(count) = number(&w.lower, lex).filter(|&n| (1..=MOST).contains(&n)) else {
            continue;
        };
        let after = words[i + 1..]
            .iter()
            .take(REACH + 1)
            .take_while(|x| x.lower.chars().any(char::is_alphanumeric))
            .take_while(|x| {
                number(&x.lower, lex).is_none() && !lex.stops.contains(x.lower.as_str())
            })
            .find_map(|x| kind_of(x).map(|k| (k, x.end)));
        let before = i.checked_sub(1).and_then(|k| words.get(k)).and_then(|x| {
            let verb = x.lower.as_str();
            if lex.killing.contains(verb) {
                Some((Kind::Killed, x.start))
            } else if lex.wounding.contains(verb) {
                Some((Kind::Wounded, x.start))
            } else {
                None
            }
        });
        let figure = match (before, after) {
            (Some((kind, start)), _) => Some((kind, start, w.end)),
            (None, Some((kind, end))) => Some((kind, w.start, end)),
            (None, None) => None,
        };
        if let Some((kind, start, end)) = figure
            && let Ok(count) = u32::try_from(count)
        {
            let local = start - sentence.start..end - sentence.start;
            found.push(Figure {
                kind,
                count,
                span: TextSpan {
                    start,
                    end,
                    char_start: sentence.char_start + sentence.text[..local.start].chars().count(),
                    char_end: sentence.char_start + sentence.text[..local.end].chars().count(),
                    text: sentence.text[local].to_owned(),
                },
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;

    fn toll(lang: &str, text: &str) -> Vec<(Kind, u32, String)> {
        let lexicons = Lexicon::builtin().expect("built-in lexicons");
        let lex = lexicons
            .iter()
            .find(|l| l.lang == lang)
            .expect("the language");
        let sentence = TextSpan {
            start: 10,
            end: 10 + text.len(),
            char_start: 10,
            char_end: 10 + text.chars().count(),
            text: text.into(),
        };
        figures(&sentence, &lex.toll)
            .into_iter()
            .map(|f| (f.kind, f.count, f.span.text))
            .collect()
    }

    #[test]
    fn counts_the_dead_and_the_wounded() {
        assert_eq!(
            toll(
                "en",
                "The officials said 35 people also were wounded and eight killed."
            ),
            [
                (Kind::Wounded, 35, "35 people also were wounded".into()),
                (Kind::Killed, 8, "eight killed".into())
            ]
        );
        assert_eq!(
            toll("en", "A car bomb exploded, killing 20 and injuring 1,200."),
            [
                (Kind::Killed, 20, "killing 20".into()),
                (Kind::Wounded, 1200, "injuring 1,200".into())
            ]
        );
        assert_eq!(
            toll("en", "Gunmen killed 3 and wounded 35 in Mosul."),
            [
                (Kind::Killed, 3, "killed 3".into()),
                (Kind::Wounded, 35, "wounded 35".into())
            ]
        );
        assert_eq!(
            toll(
                "fr",
                "Des obus sont tombés dimanche, faisant au moins huit morts et 12 blessés."
            ),
            [
                (Kind::Killed, 8, "huit morts".into()),
                (Kind::Wounded, 12, "12 blessés".into())
            ]
        );
    }

    #[test]
    fn ages_years_and_times_are_no_toll() {
        assert!(toll("en", "Henry, 19, was arrested in 2004 and killed nobody.").is_empty());
        assert!(toll("en", "A 43-year-old man was killed at 3 p.m.").is_empty());
        assert!(toll("en", "He served 12 years before he was killed.").is_empty());
    }
}
