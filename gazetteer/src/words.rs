//! Per-language word lists that keep the recogniser precise, loaded from `gazetteer/lexicon/`.
//!
//! Each language has a hand-written list (`<lang>.txt`: function words, person titles, the heads of
//! names of agreements and groups, facility words, directional words, names that are never a place)
//! and a generated list of common words (`common-<lang>.txt`: the lower-case dictionary words of
//! that language that are also place names, such as «mobile», «reading», «nice»). Adding a language
//! is adding its files here. Personal names (`given-names.txt`, `surnames.txt`) serve every
//! language.

use crate::bytes::le_u64_at;
use crate::fold::{FoldedText, fold};
use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;
use std::sync::OnceLock;

/// The lists of a language's lexicon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum List {
    /// Function words («the», «de»).
    Function,
    /// Person titles («President», «M.»).
    Title,
    /// Heads of names of agreements and groups («Groupe», «Treaty»).
    OrgHead,
    /// Facility words («Airport», «Hospital»).
    Facility,
    /// Directional words («North», «Sud»).
    Directional,
    /// Common dictionary words that are also place names («mobile», «nice»).
    Common,
    /// Names of organisations, armed groups and seats of power that news use for those, never
    /// for a place, whole spans of one word or more («Hamas», «NATO», «Maison Blanche»).
    NotPlace,
    /// Words that make a city's name beside them a team's or an institution's in this
    /// language's press, not in every language's: English words that German and French texts
    /// quote as names («Miami Heat», «Leicester City», «les Kings de Los Angeles», «University
    /// of Chicago»), which English writes beside a city as common words («Phoenix heat»,
    /// «Jersey City») or counts as naming the place.
    Club,
    /// Words that say a sentence speaks of sport: of a match, a transfer, a league («Saison»,
    /// «wechselte», «Trainer»), where a city's name inside a longer name is a club's.
    Sport,
    /// Articles and the prepositions that hold one («der», «beim», «les»): the word after one
    /// is a noun, not a word of a name on its own.
    Article,
}

/// How many lists a language has.
const LISTS: usize = 10;

/// Which lists a folded word is on, in every language at once (bit `language × LISTS + list`),
/// and whether it is a given name or a surname: one lookup answers every question that the
/// recogniser asks of a word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct OnLists(u128);

/// [`OnLists`] bits of the personal names, which serve every language.
const GIVEN: u128 = 1 << 126;
const SURNAME: u128 = 1 << 127;

impl OnLists {
    /// The word is a given name that is also a place name.
    pub fn given(self) -> bool {
        self.0 & GIVEN != 0
    }

    /// The word is a surname that is also a place name.
    pub fn surname(self) -> bool {
        self.0 & SURNAME != 0
    }

    /// The lists that either word is on.
    pub fn or(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }
}

/// The word lists of one language, or of every language together: which [`OnLists`] bits are
/// its own.
#[derive(Debug)]
pub(crate) struct Lexicon {
    masks: [u128; LISTS],
    /// Some of the languages write demonyms in lower case (see [`LOWER_CASE_DEMONYMS`]).
    lower_case_demonyms: bool,
    /// The language writes every noun with a capital (see [`CAPITALISED_NOUNS`]).
    capitalised_nouns: bool,
    /// The language's capitals inside a sentence mark names only (see [`NAME_CAPITALS`]).
    name_capitals: bool,
}

/// The languages that write every noun with a capital, where a capital sets no common noun
/// apart as a name («die Liga», «das Ende»).
const CAPITALISED_NOUNS: &[&str] = &["de"];

/// The languages that write a capital inside a sentence for names only: not for titles and
/// headings, months, days or the adjectives of nations, as English does («Saintes»,
/// «Fontainebleau» in a French sentence are the towns, whatever the dictionary says).
const NAME_CAPITALS: &[&str] = &["fr", "ru", "uk"];

/// The languages with a lexicon whose demonyms and adjectives of place the index holds in lower
/// case («français», «arménien»): in a text of another language, a word in lower case is no
/// demonym the index knows.
const LOWER_CASE_DEMONYMS: &[&str] = &["fr"];

impl Lexicon {
    /// The lexicon of the languages whose numbers are set in `langs`.
    fn of(langs: u32) -> Self {
        let mut masks = [0; LISTS];
        let mut lower_case_demonyms = false;
        let mut capitalised_nouns = false;
        let mut name_capitals = true;
        for lang in (0..SOURCES.len()).filter(|l| langs & 1 << l != 0) {
            for (list, mask) in masks.iter_mut().enumerate() {
                *mask |= 1 << (lang * LISTS + list);
            }
            lower_case_demonyms |= LOWER_CASE_DEMONYMS.contains(&SOURCES[lang].0);
            capitalised_nouns |= CAPITALISED_NOUNS.contains(&SOURCES[lang].0);
            name_capitals &= NAME_CAPITALS.contains(&SOURCES[lang].0);
        }
        Self {
            masks,
            lower_case_demonyms,
            capitalised_nouns: capitalised_nouns && langs.count_ones() == 1,
            name_capitals: name_capitals && langs.count_ones() == 1,
        }
    }

    /// Whether the language writes a capital inside a sentence for names only, so that a
    /// capitalised common word there is more likely a name than in English.
    pub fn name_capitals(&self) -> bool {
        self.name_capitals
    }

    /// Whether the language writes every noun with a capital, so that a capital says nothing
    /// of a common noun.
    pub fn capitalised_nouns(&self) -> bool {
        self.capitalised_nouns
    }

    /// Whether a text in this lexicon's languages may write a demonym in lower case, so that
    /// its words in lower case are worth looking up among the lower-case names.
    pub fn lower_case_demonyms(&self) -> bool {
        self.lower_case_demonyms
    }

    /// Whether a word on the lists `on` is on this lexicon's `list`.
    pub fn has(&self, on: OnLists, list: List) -> bool {
        on.0 & self.masks[list as usize] != 0
    }

    /// Whether the folded `word` is on this lexicon's `list`.
    pub fn contains(&self, list: List, word: &str) -> bool {
        self.has(on_lists(word), list)
    }
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
    (
        "de",
        include_str!("../lexicon/de.txt"),
        include_str!("../lexicon/common-de.txt"),
    ),
    (
        "ru",
        include_str!("../lexicon/ru.txt"),
        include_str!("../lexicon/common-ru.txt"),
    ),
    (
        "uk",
        include_str!("../lexicon/uk.txt"),
        include_str!("../lexicon/common-uk.txt"),
    ),
    (
        "hy",
        include_str!("../lexicon/hy.txt"),
        include_str!("../lexicon/common-hy.txt"),
    ),
    (
        "az",
        include_str!("../lexicon/az.txt"),
        include_str!("../lexicon/common-az.txt"),
    ),
    (
        "tr",
        include_str!("../lexicon/tr.txt"),
        include_str!("../lexicon/common-tr.txt"),
    ),
    (
        "ar",
        include_str!("../lexicon/ar.txt"),
        include_str!("../lexicon/common-ar.txt"),
    ),
    (
        "fa",
        include_str!("../lexicon/fa.txt"),
        include_str!("../lexicon/common-fa.txt"),
    ),
];

const _: () = assert!(
    SOURCES.len() * LISTS <= 126 && SOURCES.len() <= 32,
    "the lists of every language and the personal names fit in OnLists's 128 bits"
);

/// Adds the hand-written lists (`lists`) and the common words (`common`) of language number
/// `lang` to `words`.
fn parse(words: &mut HashMap<Box<str>, OnLists>, lang: usize, lists: &str, common: &str) {
    let mut add = |word: &str, list: List| {
        words.entry(fold(word).into()).or_default().0 |= 1 << (lang * LISTS + list as usize);
    };
    let mut section = None;
    for line in lists.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = match name {
                "function" => Some(List::Function),
                "title" => Some(List::Title),
                "org_head" => Some(List::OrgHead),
                "facility" => Some(List::Facility),
                "directional" => Some(List::Directional),
                "not_place" => Some(List::NotPlace),
                "common" => Some(List::Common),
                "club" => Some(List::Club),
                "sport" => Some(List::Sport),
                "article" => Some(List::Article),
                _ => None,
            };
            continue;
        }
        if let Some(list) = section {
            add(line, list);
        }
    }
    for word in generated_list(common) {
        add(word, List::Common);
    }
}

/// The entries of a generated list: one per line, `#` comment lines skipped.
fn generated_list(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

struct Lexicons {
    /// Every word of every list, with the lists it is on.
    words: WordTable<OnLists>,
    /// The function words alone, each with the numbers of its languages as bits: the language
    /// guess looks up most words of a text's first lines, and this small table answers it from
    /// the cache where `words` would not.
    function: WordTable<u32>,
    by_lang: Vec<(&'static str, Lexicon)>,
    all: Lexicon,
}

/// Folded words and a value for each, looked up by their bytes: the words of up to eight bytes
/// (most words) by their bytes as one number ([`le_u64_at`]; never 0, as a folded word holds no
/// NUL, so none is another word's with NULs after it), in an open-addressed table of a power of
/// two slots at least four times as many as they are, a key of 0 for an empty one: a lookup is
/// a multiplication and a comparison or two of numbers. A word's absence reads as the default
/// value.
struct WordTable<V> {
    short: Box<[(u64, V)]>,
    /// The base-2 logarithm of `short`'s length.
    bits: u32,
    /// The longer words.
    long: HashMap<Box<[u8]>, V>,
    /// The length of the longest word, in bytes: a longer word is none.
    longest: usize,
}

impl<V: Copy + Default> WordTable<V> {
    /// The table of `words`, each with its value.
    fn new<'w>(words: impl Iterator<Item = (&'w [u8], V)> + Clone) -> Self {
        let shorts = words.clone().filter(|(w, _)| w.len() <= 8).count();
        let bits = (4 * shorts).next_power_of_two().max(64).trailing_zeros();
        let mut table = Self {
            short: vec![(0, V::default()); 1 << bits].into_boxed_slice(),
            bits,
            long: HashMap::default(),
            longest: 0,
        };
        for (word, value) in words.filter(|(w, _)| !w.is_empty()) {
            table.longest = table.longest.max(word.len());
            if word.len() > 8 {
                table.long.insert(word.into(), value);
                continue;
            }
            let key = le_u64_at(word, 0..word.len());
            let mut at = table.slot_of(key);
            while table.short[at].0 != 0 {
                at = (at + 1) & (table.short.len() - 1);
            }
            table.short[at] = (key, value);
        }
        table
    }

    /// The first slot to try for a short key (multiplicative hashing: the top bits).
    fn slot_of(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits)) as usize
    }

    /// The value of the folded `word`.
    fn get(&self, word: &[u8]) -> V {
        self.get_in(word, 0..word.len())
    }

    /// [`WordTable::get`] of the folded word `bytes[word]`; the bytes after it let its key be
    /// read in one load (see [`le_u64_at`]). Inlined always: the language guess asks it of
    /// every word of a text's first lines, and a call costs a third of the lookup.
    #[inline(always)]
    fn get_in(&self, bytes: &[u8], word: Range<usize>) -> V {
        let len = word.len();
        if len == 0 || len > self.longest {
            return V::default();
        }
        if len > 8 {
            return self.long.get(&bytes[word]).copied().unwrap_or_default();
        }
        let key = le_u64_at(bytes, word);
        let mut at = self.slot_of(key);
        loop {
            match self.short[at] {
                (0, _) => return V::default(),
                (k, value) if k == key => return value,
                _ => at = (at + 1) & (self.short.len() - 1),
            }
        }
    }
}

/// Every word of the lists, folded, with the lists it is on.
fn word_lists() -> HashMap<Box<str>, OnLists> {
    let mut words = HashMap::default();
    for (lang, (_, lists, common)) in SOURCES.iter().enumerate() {
        parse(&mut words, lang, lists, common);
    }
    for (list, bit) in [
        (include_str!("../lexicon/given-names.txt"), GIVEN),
        (include_str!("../lexicon/given-names-world.txt"), GIVEN),
        (include_str!("../lexicon/surnames.txt"), SURNAME),
    ] {
        for name in generated_list(list) {
            words.entry(fold(name).into()).or_default().0 |= bit;
        }
    }
    words
}

/// The numbers of the languages whose function word a word on the lists `on` is, as bits.
fn function_langs(on: OnLists) -> u32 {
    (0..SOURCES.len())
        .filter(|&lang| on.0 & 1 << (lang * LISTS + List::Function as usize) != 0)
        .fold(0, |bits, lang| bits | 1 << lang)
}

fn lexicons() -> &'static Lexicons {
    static LEXICONS: OnceLock<Lexicons> = OnceLock::new();
    LEXICONS.get_or_init(|| {
        let words = word_lists();
        let entries = words.iter().map(|(w, &on)| (w.as_bytes(), on));
        Lexicons {
            words: WordTable::new(entries.clone()),
            function: WordTable::new(
                entries
                    .map(|(w, on)| (w, function_langs(on)))
                    .filter(|&(_, langs)| langs != 0),
            ),
            by_lang: SOURCES
                .iter()
                .enumerate()
                .map(|(lang, (tag, _, _))| (*tag, Lexicon::of(1 << lang)))
                .collect(),
            all: Lexicon::of(u32::MAX),
        }
    })
}

/// The lists that the folded `word` is on.
pub(crate) fn on_lists(word: &str) -> OnLists {
    lexicons().words.get(word.as_bytes())
}

/// The lists that the folded word `folded[word]` is on (see [`WordTable::get_in`]).
pub(crate) fn on_lists_in(folded: &[u8], word: Range<usize>) -> OnLists {
    lexicons().words.get_in(folded, word)
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

/// How much of a text the language guess reads, in bytes.
const GUESS_SAMPLE: usize = 3_000;

/// How many function words one language must have more than every other for the guess to stop
/// before the end of its sample: in running text, function words are a third of the words or
/// more, so a text in one language gets this lead within its first fifty words or so.
const GUESS_LEAD: usize = 10;

/// Guesses the language of a text among those with a lexicon, from the function words of its
/// first [`GUESS_SAMPLE`] bytes, stopping early once one language leads by [`GUESS_LEAD`] of them;
/// `None` when no language has at least three of them.
pub(crate) fn guess_lang(text: &str, folded: &FoldedText) -> Option<&'static str> {
    let cut = text.floor_char_boundary(GUESS_SAMPLE);
    let lx = lexicons();
    let mut hits = vec![0usize; lx.by_lang.len()];
    // The folded words of the sample; a word that runs past its end is cut there, as folding
    // the sample alone would cut it.
    let sample = &folded.words[..folded.words.partition_point(|w| w.bytes.start < cut)];
    for (i, w) in sample.iter().enumerate() {
        let langs = if w.bytes.end <= cut {
            lx.function
                .get_in(folded.folded.as_bytes(), w.folded.clone())
        } else {
            lx.function.get(fold(&text[w.bytes.start..cut]).as_bytes())
        };
        // The languages whose function word it is, one set bit each (most words: none).
        let mut bits = langs;
        while bits != 0 {
            hits[bits.trailing_zeros() as usize] += 1;
            bits &= bits - 1;
        }
        // Every sixteen words: stop when one language leads far enough, or when the words left
        // cannot change the answer.
        if i % 16 == 15 && decided(&hits, (sample.len() - i - 1).min(GUESS_LEAD)) {
            break;
        }
    }
    hits.into_iter()
        .zip(&lx.by_lang)
        .map(|(n, (lang, _))| (n, *lang))
        .filter(|(n, _)| *n >= 3)
        .max()
        .map(|(_, lang)| lang)
}

/// Whether the language guess is decided when every other language could still gain `left`
/// hits: one language has at least three and more than any other could reach.
fn decided(hits: &[usize], left: usize) -> bool {
    let Some(best) = hits.iter().max() else {
        return false;
    };
    *best >= 3 && hits.iter().filter(|&n| n + left >= *best).count() == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_names_of_europe_are_given_names_too() {
        // «Henry» from the US census; «Udo», «Béla» from nam_dict.txt; «Essen» from neither.
        for name in ["henry", "udo", "bela", "leopold"] {
            assert!(on_lists(name).given(), "{name}");
        }
        assert!(!on_lists("essen").given());
    }

    #[test]
    fn the_word_tables_agree_with_the_lists() {
        let lx = lexicons();
        let words = word_lists();
        fn at_most_a_quarter_full<V>(table: &WordTable<V>) -> bool {
            4 * table.short.iter().filter(|(k, _)| *k != 0).count() <= table.short.len()
        }
        assert!(at_most_a_quarter_full(&lx.words));
        assert!(at_most_a_quarter_full(&lx.function));
        let functions = words
            .values()
            .filter(|&&on| function_langs(on) != 0)
            .count();
        assert!(functions >= 100);
        for (word, &on) in &words {
            let bytes = word.as_bytes();
            assert_eq!(lx.words.get(bytes), on, "{word}");
            for (lang, (tag, lex)) in lx.by_lang.iter().enumerate() {
                assert_eq!(
                    lx.function.get(bytes) & 1 << lang != 0,
                    lex.has(on, List::Function),
                    "{word} in {tag}"
                );
            }
            // The same word inside a text, with more bytes after it.
            let text = format!("{word} and more words after it");
            let within = 0..word.len();
            assert_eq!(lx.words.get_in(text.as_bytes(), within.clone()), on);
            assert_eq!(
                lx.function.get_in(text.as_bytes(), within),
                lx.function.get(bytes),
                "{word}"
            );
        }
        assert_eq!(lx.function.get(b"the"), 1);
        assert_eq!(lx.function.get(b"notwithstandingly"), 0);
        assert_eq!(lx.words.get(b"notaword"), OnLists::default());
        assert_eq!(lx.words.get(b"notawordeither"), OnLists::default());
    }

    #[test]
    fn the_guess_stops_only_when_the_words_left_cannot_change_it() {
        assert!(decided(&[5, 0], 4));
        assert!(!decided(&[5, 1], 4), "a tie is still possible");
        assert!(!decided(&[2, 0], 0), "fewer than three hits");
        assert!(decided(&[3, 2], 0));
        assert!(!decided(&[], 0));
    }

    #[test]
    fn a_long_enough_lead_at_the_start_of_a_text_decides_its_language() {
        let guess = |text: &str| guess_lang(text, &FoldedText::new(text));
        let en = "The mayor said that the road to the city was closed for the rest of the week \
                  and that the army would be back in the spring. ";
        let fr = "Le maire a dit que la route de la ville était fermée pour le reste de la \
                  semaine et que l'armée reviendrait au printemps. ";
        assert_eq!(guess(&fr.repeat(10)), Some("fr"));
        assert_eq!(guess(&en.repeat(10)), Some("en"));
        // Two English sentences lead by enough: the French after them is not read.
        assert_eq!(
            guess(&format!("{}{}", en.repeat(2), fr.repeat(10))),
            Some("en")
        );
        for (lang, text) in [
            (
                "ru",
                "Он сказал, что это был удар по городу и что они не знали, как и когда.",
            ),
            (
                "uk",
                "Він сказав, що це був удар по місту і що вони не знали, як і коли.",
            ),
            (
                "de",
                "Er sagte, dass die Stadt in der Nacht von den Truppen mit dem Feuer angegriffen wurde.",
            ),
            (
                "tr",
                "Bakan bu saldırı için daha çok asker gibi önlemler olarak ve bir plan ile geldi.",
            ),
            (
                "ar",
                "قال إن القصف على المدينة كان في الليل من قبل القوات التي لم تكن هذه المرة.",
            ),
            (
                "fa",
                "او گفت که این حمله در شب به شهر از سوی نیروها با موشک انجام شد و آن را.",
            ),
            (
                "hy",
                "Նա ասել է, որ այս հարձակումը եղել է գիշերը և որ նրանք իր մասին են:",
            ),
        ] {
            assert_eq!(guess(&text.repeat(3)), Some(lang), "{text}");
        }
        // A short English aside does not.
        assert_eq!(
            guess(&format!("The mayor said: {}", fr.repeat(10))),
            Some("fr")
        );
    }
}
