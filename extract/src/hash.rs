//! A fast hasher for the lexicon's word tables. Their keys come from the lexicon files, not from
//! the texts, so SipHash's protection against chosen collisions is not needed, and its cost was
//! a third of extraction time. It also fingerprints the lexicon files for the extractor's
//! version.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// The multiplier of the Fx hash (rustc's).
const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The Fx hash: rotate, xor, multiply, one machine word at a time.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
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

/// A set of words hashed with [`FxHasher`].
pub(crate) type WordSet = HashSet<String, BuildHasherDefault<FxHasher>>;
/// A map from words hashed with [`FxHasher`].
pub(crate) type WordMap<V> = HashMap<String, V, BuildHasherDefault<FxHasher>>;

/// A fingerprint of some bytes, the same on every machine and build (the Fx hash of the bytes
/// and their length): it tells that a lexicon file changed, it is no protection against anyone.
pub(crate) fn fingerprint(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(bytes);
    h.write(&(bytes.len() as u64).to_le_bytes());
    h.finish()
}
