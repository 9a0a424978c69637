//! A fast hasher for the lexicon's word tables. Their keys come from the lexicon files, not from
//! the texts, so SipHash's protection against chosen collisions is not needed, and its cost was
//! a third of extraction time. It also fingerprints the lexicon files for the extractor's
//! version.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// The multiplier of the Fx hash (rustc's).
pub(crate) const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The Fx hash: rotate, xor, multiply, one machine word at a time.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    /// Adds the bytes eight at a time as little-endian words, the last one padded with zeros.
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // Byte by byte: a copy of a few bytes costs more than the hash itself.
            let word = rest
                .iter()
                .rev()
                .fold(0u64, |word, &b| (word << 8) | u64::from(b));
            self.add(word);
        }
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A set of words hashed with [`FxHasher`], which tells most words that are not in it from
/// their first byte and length alone: the lexicon's sets are small and their words short, and
/// most words of a text looked up in them are not there.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordSet {
    words: HashSet<String, BuildHasherDefault<FxHasher>>,
    /// For every first byte, the [`length_bit`]s of the words that start with it.
    lengths: Vec<u32>,
}

/// The bit of a word's length in bytes (lengths of 31 bytes and more share the last).
fn length_bit(len: usize) -> u32 {
    1 << len.min(31)
}

impl WordSet {
    /// Whether `word` is in the set.
    pub(crate) fn contains(&self, word: &str) -> bool {
        match word.as_bytes().first() {
            Some(&b) => {
                self.lengths
                    .get(usize::from(b))
                    .is_some_and(|&bits| bits & length_bit(word.len()) != 0)
                    && self.words.contains(word)
            }
            None => self.words.contains(word),
        }
    }
}

impl FromIterator<String> for WordSet {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Self {
        let words: HashSet<String, BuildHasherDefault<FxHasher>> = iter.into_iter().collect();
        let mut lengths = vec![0; 256];
        for w in &words {
            if let Some(&b) = w.as_bytes().first() {
                lengths[usize::from(b)] |= length_bit(w.len());
            }
        }
        Self { words, lengths }
    }
}

/// A map from words hashed with [`FxHasher`].
pub(crate) type WordMap<V> = HashMap<String, V, BuildHasherDefault<FxHasher>>;

/// A fingerprint of some bytes, the same on every machine and build (the Fx hash of the bytes
/// and their length): it tells that a lexicon file changed, it is no protection against anyone.
pub(crate) fn fingerprint(bytes: &[u8]) -> u64 {
    // `write` above must keep giving the same words for the same bytes: a change would change
    // every fingerprint (the test below pins one).
    let mut h = FxHasher::default();
    h.write(bytes);
    h.write(&(bytes.len() as u64).to_le_bytes());
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_sets_hold_their_words_only() {
        let set: WordSet = ["gen", "général", "", &"a".repeat(40)]
            .iter()
            .map(|w| w.to_string())
            .collect();
        for w in ["gen", "général", "", &"a".repeat(40)] {
            assert!(set.contains(w), "{w:?}");
        }
        for w in ["ge", "gens", "généra", "x", &"a".repeat(35)] {
            assert!(!set.contains(w), "{w:?}");
        }
        assert!(!WordSet::default().contains("gen") && !WordSet::default().contains(""));
    }

    #[test]
    fn fingerprints_do_not_change() {
        assert_eq!(fingerprint(b""), 0);
        assert_eq!(fingerprint(b"lang = \"fr\"\n"), 0xbae0_630f_6f71_160b);
    }
}
