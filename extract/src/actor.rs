//! Actors (people, forces, ministries and groups named near the action) and claim sources
//! («selon le ministère arménien de la Défense», "X said"), as token ranges of a sentence.

use crate::hash::WordSet;
use crate::lexicon::Lexicon;
use crate::phrase::{Matches, Table};
use crate::text::{Token, TokenKind};
use std::ops::Range;

/// The longest actor, in tokens.
const MAX_ACTOR: usize = 16;
/// The longest claim source, in tokens.
const MAX_SOURCE: usize = 12;

/// A claim: the marker words and the source they name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Claim {
    /// The marker (`selon`, `a déclaré`, `said`).
    pub(crate) marker: Range<usize>,
    /// Who says so.
    pub(crate) source: Range<usize>,
    /// Whether the source is the subject before the marker (`X a déclaré`), which may hold the
    /// action itself, rather than words after it (`selon X`, `…, a indiqué X`).
    pub(crate) subject: bool,
}

/// Whether a token ends a clause for actors and sources.
fn is_boundary(t: &Token) -> bool {
    t.kind == TokenKind::Punct
}

/// Finds the actors of a sentence, whose lexicon phrases are `phrases`. `in_mention[i]` says
/// whether token `i` is part of a place or demonym mention.
pub(crate) fn actors(
    tokens: &[Token],
    phrases: &Matches,
    in_mention: &[bool],
    lex: &Lexicon,
) -> Vec<Range<usize>> {
    let m = &lex.markers;
    let capital = |i: usize| tokens[i].capital && tokens[i].kind == TokenKind::Word;
    let nameish = |i: usize| capital(i) || in_mention.get(i).copied().unwrap_or(false);
    let mut spans: Vec<Range<usize>> = Vec::new();
    for head in phrases.find(Table::ActorHeads) {
        let mut start = head.tokens.start;
        // "Armenian forces", "Azerbaijan's defence ministry", «les forces syriennes».
        while start > 0 && head.tokens.start - start < 4 {
            let p = start - 1;
            let possessive = tokens[p].lower == "s" && p > 0 && nameish(p - 1);
            if (nameish(p) && p > 0) || possessive || (in_mention.get(p).copied().unwrap_or(false))
            {
                start = p;
            } else {
                break;
            }
        }
        let end = extend_right(tokens, head.tokens.end, &nameish, lex);
        spans.push(start..end.min(start + MAX_ACTOR));
    }
    // Runs of capitalised words after the first token: a title and a name («M. Dupont», "Gen.
    // Smith"), or with no head word a name of people or groups when two words or more are not
    // all of them a place. Only the capitalised words are looked at.
    let mut i = 1;
    while i < tokens.len() {
        if !capital(i) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < tokens.len() && capital(j) {
            j += 1;
        }
        for first in i..j {
            // The title just before the name, or before the full stop of its abbreviation.
            if m.titles.contains(tokens[first - 1].lower) {
                spans.push(first - 1..j);
            }
            if first >= 2
                && tokens[first - 1].lower == "."
                && m.titles.contains(tokens[first - 2].lower)
            {
                spans.push(first - 2..j);
            }
        }
        let all_place = (i..j).all(|k| in_mention.get(k).copied().unwrap_or(false));
        if j - i >= 2 && !all_place {
            spans.push(i..j);
        }
        i = j;
    }
    merge(spans)
}

/// Extends an actor over following names, demonyms, `de la Défense`, and lists joined by `,`
/// and `et`.
fn extend_right(
    tokens: &[Token],
    mut end: usize,
    nameish: &impl Fn(usize) -> bool,
    lex: &Lexicon,
) -> usize {
    let m = &lex.markers;
    loop {
        let mut j = end;
        if j < tokens.len()
            && (tokens[j].lower == ","
                || tokens[j].lower == "et"
                || tokens[j].lower == "and"
                || tokens[j].lower == "y")
        {
            j += 1;
            // A list goes on with «, des États-Unis», not with «, le Karabakh».
            if tokens.get(j).is_some_and(|t| m.articles.contains(t.lower)) {
                return end;
            }
        }
        while j < tokens.len() && m.actor_links.contains(tokens[j].lower) && j - end < 4 {
            j += 1;
        }
        if j < tokens.len() && nameish(j) {
            let mut k = j;
            while k < tokens.len() && nameish(k) {
                k += 1;
            }
            end = k;
        } else {
            return end;
        }
    }
}

/// Sorts spans and joins those that overlap.
fn merge(mut spans: Vec<Range<usize>>) -> Vec<Range<usize>> {
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut out: Vec<Range<usize>> = Vec::new();
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start < last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Finds the claims of a sentence: `selon X`, `X a déclaré`, `…, a indiqué X`. `skip[i]` marks
/// tokens (dates) that may stand between an inverted speech verb and its source.
pub(crate) fn claims(
    tokens: &[Token],
    phrases: &Matches,
    actors: &[Range<usize>],
    skip: &[bool],
    lex: &Lexicon,
) -> Vec<Claim> {
    let relative_pronouns = &lex.markers.relative_pronouns;
    let mut out: Vec<Claim> = phrases
        .find(Table::SourceAfter)
        .into_iter()
        .filter_map(|hit| source_word_claim(tokens, hit.tokens, actors, skip, relative_pronouns))
        .collect();
    out.extend(
        phrases
            .find(Table::Speech)
            .into_iter()
            .filter_map(|hit| speech_claim(tokens, hit.tokens, actors, skip)),
    );
    out.sort_by_key(|c| c.marker.start);
    out
}

/// The claim of a source word at tokens `marker` (`selon X`); before a relative pronoun («la
/// déclaration de Macron selon laquelle …») the source is the name before it.
fn source_word_claim(
    tokens: &[Token],
    marker: Range<usize>,
    actors: &[Range<usize>],
    skip: &[bool],
    relative_pronouns: &WordSet,
) -> Option<Claim> {
    let (marker, source, subject) = if tokens
        .get(marker.end)
        .is_some_and(|t| relative_pronouns.contains(t.lower))
    {
        let source = name_before(tokens, marker.start, actors);
        (marker.start..marker.end + 1, source, true)
    } else {
        let source = source_after(tokens, marker.end, skip);
        (marker, source, false)
    };
    (!source.is_empty()).then_some(Claim {
        marker,
        source,
        subject,
    })
}

/// The actor that ends at token `before`, else the capitalised words just before it.
fn name_before(tokens: &[Token], before: usize, actors: &[Range<usize>]) -> Range<usize> {
    actors
        .iter()
        .rev()
        .find(|a| a.end == before)
        .cloned()
        .unwrap_or_else(|| {
            let mut start = before;
            while start > 0 && tokens[start - 1].capital && tokens[start - 1].is_word() {
                start -= 1;
            }
            start..before
        })
}

/// The claim of a speech verb at tokens `marker`: inverted (first in the sentence or after a
/// comma, past closing quotes: `…, a indiqué X`), its source comes after it; else it is the
/// subject before it (`X a déclaré`).
fn speech_claim(
    tokens: &[Token],
    marker: Range<usize>,
    actors: &[Range<usize>],
    skip: &[bool],
) -> Option<Claim> {
    let before = tokens[..marker.start]
        .iter()
        .rev()
        .find(|t| !matches!(t.lower, "»" | "\"" | "”"));
    let inverted = marker.start == 0 || before.is_some_and(|t| t.lower == ",");
    let source = if inverted {
        source_after(tokens, marker.end, skip)
    } else {
        subject(tokens, marker.start, actors)
    };
    (!source.is_empty()).then_some(Claim {
        marker,
        source,
        subject: !inverted,
    })
}

/// The words from `from` to the end of the clause, after any skipped tokens.
fn source_after(tokens: &[Token], mut from: usize, skip: &[bool]) -> Range<usize> {
    while from < tokens.len() && skip.get(from).copied().unwrap_or(false) {
        from += 1;
    }
    let mut end = from;
    while end < tokens.len() && !is_boundary(&tokens[end]) && end - from < MAX_SOURCE {
        end += 1;
    }
    from..end
}

/// The subject of a speech verb at `verb`: the actor just before it, or the clause before it
/// when that is short.
fn subject(tokens: &[Token], verb: usize, actors: &[Range<usize>]) -> Range<usize> {
    if let Some(a) = actors
        .iter()
        .rev()
        .find(|a| a.end <= verb && verb - a.end <= 1)
    {
        return a.clone();
    }
    let mut start = verb;
    while start > 0
        && !is_boundary(&tokens[start - 1])
        && !matches!(tokens[start - 1].lower, "que" | "that" | "qu")
    {
        start -= 1;
    }
    if verb - start <= MAX_SOURCE / 2 {
        start..verb
    } else {
        verb..verb
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn setup<'t>(lang: &str, text: &'t str, buffer: &'t mut String) -> (Vec<Token<'t>>, Lexicon) {
        let lex = Lexicon::builtin()
            .expect("built-in lexicons")
            .into_iter()
            .find(|l| l.lang == lang)
            .expect("lang");
        (tokenize(text, 0..text.len(), buffer), lex)
    }

    fn words(text: &str, tokens: &[Token], r: &Range<usize>) -> String {
        if r.is_empty() {
            return String::new();
        }
        text[tokens[r.start].start..tokens[r.end - 1].end].to_owned()
    }

    #[test]
    fn finds_actors_and_sources_in_french() {
        let text = "Le ministère azerbaïdjanais de la Défense a annoncé que les forces armées arméniennes avaient tiré, selon le ministère arménien de la Défense.";
        let mut buffer = String::new();
        let (tokens, lex) = setup("fr", text, &mut buffer);
        // The demonyms count as mentions.
        let in_mention: Vec<bool> = tokens
            .iter()
            .map(|t| t.lower.starts_with("azerba") || t.lower.starts_with("armén"))
            .collect();
        let phrases = lex.phrases.matches(&tokens);
        let found = actors(&tokens, &phrases, &in_mention, &lex);
        let names: Vec<String> = found.iter().map(|r| words(text, &tokens, r)).collect();
        assert_eq!(
            names,
            [
                "ministère azerbaïdjanais de la Défense",
                "forces armées arméniennes",
                "ministère arménien de la Défense"
            ]
        );
        let skip = vec![false; tokens.len()];
        let c = claims(&tokens, &phrases, &found, &skip, &lex);
        let sources: Vec<String> = c.iter().map(|c| words(text, &tokens, &c.source)).collect();
        assert_eq!(
            sources,
            [
                "ministère azerbaïdjanais de la Défense",
                "le ministère arménien de la Défense"
            ]
        );
    }

    #[test]
    fn inverted_and_english_sources() {
        let text = "« Ils ont discuté » , a rapporté vendredi le service de presse d'Aliyev.";
        let mut buffer = String::new();
        let (tokens, lex) = setup("fr", text, &mut buffer);
        let skip: Vec<bool> = tokens.iter().map(|t| t.lower == "vendredi").collect();
        let c = claims(&tokens, &lex.phrases.matches(&tokens), &[], &skip, &lex);
        assert_eq!(
            words(text, &tokens, &c[0].source),
            "le service de presse d'Aliyev"
        );

        let text = "Police fired tear gas at protesters in Lagos, officials said.";
        let mut buffer = String::new();
        let (tokens, lex) = setup("en", text, &mut buffer);
        let skip = vec![false; tokens.len()];
        let c = claims(&tokens, &lex.phrases.matches(&tokens), &[], &skip, &lex);
        assert_eq!(words(text, &tokens, &c[0].source), "officials");
    }
}
