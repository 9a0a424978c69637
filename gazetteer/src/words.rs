//! Per-language word lists that keep the recogniser precise, loaded from `gazetteer/lexicon/`.
//!
//! Each language has a hand-written list (`<lang>.txt`: function words, person titles, the heads
//! of names of agreements and groups, facility words, directional words) and a generated list of
//! common words (`common-<lang>.txt`: the lower-case dictionary words of that language that are
//! also place names, such as «mobile», «reading», «nice»). Adding a language is adding its files
//! here. Personal names (`given-names.txt`, `surnames.txt`) serve every language.

use crate::fold::{FoldedText, fold};
use rustc_hash::FxHashSet as HashSet;
use std::sync::OnceLock;

/// The word lists of one language, folded.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    pub function: HashSet<String>,
    pub title: HashSet<String>,
    pub org_head: HashSet<String>,
    pub facility: HashSet<String>,
    pub directional: HashSet<String>,
    pub common: HashSet<String>,
}

/// Personal names that are also place names.
#[derive(Debug, Default)]
pub(crate) struct PersonNames {
    pub given: HashSet<String>,
    pub surnames: HashSet<String>,
}

const SOURCES: &[(&str, &str, &str)] = &[
    (
        "en",
        include_str!("../lexicon/en.txt"),
        include_str!("../lexicon/common-en.txt"),
    ),
    (
        "fr",
        include_str!("../lexicon/fr.txt"),
        include_str!("../lexicon/common-fr.txt"),
    ),
];

impl Lexicon {
    fn parse(lists: &str, common: &str) -> Self {
        let mut lex = Self::default();
        let mut section = "";
        for line in lists.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = match name {
                    "function" | "title" | "org_head" | "facility" | "directional" => name,
                    _ => "",
                };
                continue;
            }
            let set = match section {
                "function" => &mut lex.function,
                "title" => &mut lex.title,
                "org_head" => &mut lex.org_head,
                "facility" => &mut lex.facility,
                "directional" => &mut lex.directional,
                _ => continue,
            };
            set.insert(fold(line));
        }
        lex.common = generated_list(common);
        lex
    }

    fn merge(&mut self, other: &Self) {
        for (a, b) in [
            (&mut self.function, &other.function),
            (&mut self.title, &other.title),
            (&mut self.org_head, &other.org_head),
            (&mut self.facility, &other.facility),
            (&mut self.directional, &other.directional),
            (&mut self.common, &other.common),
        ] {
            a.extend(b.iter().cloned());
        }
    }
}

fn generated_list(text: &str) -> HashSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(fold)
        .collect()
}

struct Lexicons {
    by_lang: Vec<(&'static str, Lexicon)>,
    all: Lexicon,
    persons: PersonNames,
}

fn lexicons() -> &'static Lexicons {
    static LEXICONS: OnceLock<Lexicons> = OnceLock::new();
    LEXICONS.get_or_init(|| {
        let by_lang: Vec<_> = SOURCES
            .iter()
            .map(|(lang, lists, common)| (*lang, Lexicon::parse(lists, common)))
            .collect();
        let mut all = Lexicon::default();
        for (_, l) in &by_lang {
            all.merge(l);
        }
        let persons = PersonNames {
            given: generated_list(include_str!("../lexicon/given-names.txt")),
            surnames: generated_list(include_str!("../lexicon/surnames.txt")),
        };
        Lexicons {
            by_lang,
            all,
            persons,
        }
    })
}

/// The lexicon of a language; the union of all languages' lists when it has none.
pub(crate) fn lexicon(lang: Option<&str>) -> &'static Lexicon {
    let lx = lexicons();
    lang.and_then(|l| lx.by_lang.iter().find(|(k, _)| *k == l))
        .map_or(&lx.all, |(_, lex)| lex)
}

/// The lists of every language together: names of groups and titles cross languages.
pub(crate) fn all() -> &'static Lexicon {
    &lexicons().all
}

/// Personal names that are also place names, in every language.
pub(crate) fn persons() -> &'static PersonNames {
    &lexicons().persons
}

/// How much of a text the language guess reads, in bytes.
const GUESS_SAMPLE: usize = 3_000;

/// Guesses the language of a text among those with a lexicon, from the function words of its
/// first [`GUESS_SAMPLE`] bytes; `None` when no language has at least three of them.
pub(crate) fn guess_lang(text: &str, folded: &FoldedText) -> Option<&'static str> {
    let cut = text.floor_char_boundary(GUESS_SAMPLE);
    // The folded words of the sample; a word that runs past its end is cut there, as folding
    // the sample alone would cut it.
    let words: Vec<std::borrow::Cow<'_, str>> = folded
        .words
        .iter()
        .take_while(|w| w.bytes.start < cut)
        .map(|w| {
            if w.bytes.end <= cut {
                folded.folded[w.folded.clone()].into()
            } else {
                fold(&text[w.bytes.start..cut]).into()
            }
        })
        .collect();
    lexicons()
        .by_lang
        .iter()
        .map(|(lang, lex)| {
            let hits = words
                .iter()
                .filter(|w| lex.function.contains(w.as_ref()))
                .count();
            (hits, *lang)
        })
        .filter(|(hits, _)| *hits >= 3)
        .max()
        .map(|(_, lang)| lang)
}
