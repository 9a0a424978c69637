//! The `FRST` section of the index: where a walk down the names index stands after each first
//! word of its keys, by that word.
//!
//! A walk from a word of a text would otherwise step through the `fst` one byte at a time, and
//! each step decodes a node. The first word of a key is its bytes up to the first space or full
//! stop (the separators of folded text). The section is written once, when the index is built,
//! and read in place: a walk from a word starts with one hash of the word and one bucket.
//!
//! Layout (little-endian): the number of bucket bits `b` (`u32`), then `2^b + 1` bucket starts
//! (`u32`, entry numbers, the last one the entry count), then the entries of each bucket in
//! turn, [`ENTRY`] bytes each: the word's hash (`u64`), the output gathered along the word
//! (`u64`), the value of the key that is the word alone or [`NO_VALUE`] (`u64`), and the node
//! reached (`u32`, its top bit set when some key goes on past the word). A word is found by its
//! 64-bit [`hash`] alone: a bucket holds about one of the 558,000 words of the shipped index, so
//! a word of a text that is none of them is taken for one in about one lookup in 2^64.

use crate::bytes::{le_u64_at, u32_at, u64_at};
use crate::error::{Error, Result};
use crate::fold::is_separator;
use fst::raw::{CompiledAddr, Fst, Output};
use std::ops::Range;

/// Bytes per entry.
pub const ENTRY: usize = 28;
/// The value of an entry whose word alone is no key.
pub const NO_VALUE: u64 = u64::MAX;
/// The bit of an entry's node that says some key goes on past the word.
const GOES_ON: u32 = 1 << 31;

/// The hash that places a word in the section: its bytes eight at a time (the last ones padded
/// with zeros), each multiplied in, with its length, then the finalizer of MurmurHash3, so that
/// the top bits, which choose the bucket, depend on every byte.
pub fn hash(word: &[u8]) -> u64 {
    hash_in(word, 0..word.len())
}

/// [`hash`] of `bytes[word]`; the bytes after the word let its last chunk be read in one load
/// (see [`le_u64_at`]).
pub fn hash_in(bytes: &[u8], word: Range<usize>) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mix = |h: u64, chunk: u64| (h ^ chunk).wrapping_mul(K).rotate_left(31);
    let (chunks, rest) = bytes[word.clone()].as_chunks::<8>();
    let mut h = (word.len() as u64).wrapping_mul(K);
    for chunk in chunks {
        h = mix(h, u64::from_le_bytes(*chunk));
    }
    if !rest.is_empty() {
        h = mix(h, le_u64_at(bytes, word.end - rest.len()..word.end));
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ h >> 33
}

/// Where a walk stands after a first word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstStep {
    /// The node reached.
    pub addr: CompiledAddr,
    /// The output gathered along the word.
    pub output: u64,
    /// The value of the key that is the word alone, if there is one.
    pub value: Option<u64>,
    /// Some key goes on past the word with a separator.
    pub goes_on: bool,
}

/// Builds the section for the names index `fst`: a walk down every first word of its keys.
pub fn section(fst: &Fst<&[u8]>) -> Result<Vec<u8>> {
    let mut entries = first_steps(fst);
    // About one entry a bucket.
    let bits = entries.len().max(1).ilog2().clamp(1, 24);
    let bucket = |h: u64| (h >> (64 - bits)) as usize;
    entries.sort_unstable_by_key(|&(h, _)| h);
    let mut out = Vec::with_capacity(4 + 4 * ((1 << bits) + 1) + ENTRY * entries.len());
    out.extend_from_slice(&bits.to_le_bytes());
    let count = |n: usize| {
        u32::try_from(n).map_err(|_| Error::TooLarge("more first words than a u32 counts"))
    };
    let mut next = 0;
    for b in 0..=(1usize << bits) {
        while next < entries.len() && bucket(entries[next].0) < b {
            next += 1;
        }
        out.extend_from_slice(&count(next)?.to_le_bytes());
    }
    for (h, step) in &entries {
        push_entry(&mut out, *h, step)?;
    }
    Ok(out)
}

/// Every first word of the keys of `fst`, by its [`hash`], with where a walk stands after it:
/// the nodes that a separator leaves or where a key ends, depth first.
fn first_steps(fst: &Fst<&[u8]>) -> Vec<(u64, FirstStep)> {
    let mut entries = Vec::new();
    let mut word = Vec::new();
    // (node, output so far, length of the word so far, the byte that led here).
    let mut stack = vec![(fst.root().addr(), Output::zero(), 0usize, 0u8)];
    while let Some((addr, output, depth, byte)) = stack.pop() {
        word.truncate(depth.saturating_sub(1));
        if depth > 0 {
            word.push(byte);
        }
        let node = fst.node(addr);
        let mut goes_on = false;
        for t in node.transitions() {
            if is_separator(t.inp) {
                goes_on = true;
            } else {
                stack.push((t.addr, output.cat(t.out), depth + 1, t.inp));
            }
        }
        if depth > 0 && (goes_on || node.is_final()) {
            let value = node
                .is_final()
                .then(|| output.cat(node.final_output()).value());
            entries.push((
                hash(&word),
                FirstStep {
                    addr,
                    output: output.value(),
                    value,
                    goes_on,
                },
            ));
        }
    }
    entries
}

/// Appends the entry of the word of hash `h` (see the module documentation for its bytes).
fn push_entry(out: &mut Vec<u8>, h: u64, step: &FirstStep) -> Result<()> {
    let addr = u32::try_from(step.addr)
        .ok()
        .filter(|a| a & GOES_ON == 0)
        .ok_or(Error::TooLarge("a names index node past 2 GiB"))?;
    out.extend_from_slice(&h.to_le_bytes());
    out.extend_from_slice(&step.output.to_le_bytes());
    out.extend_from_slice(&step.value.unwrap_or(NO_VALUE).to_le_bytes());
    let flagged = if step.goes_on { addr | GOES_ON } else { addr };
    out.extend_from_slice(&flagged.to_le_bytes());
    Ok(())
}

/// The section, checked and read in place.
#[derive(Debug, Clone)]
pub struct FirstWords {
    /// Bucket bits.
    bits: u32,
    /// Byte range of the bucket starts in the file.
    buckets: Range<usize>,
    /// Byte range of the entries in the file.
    entries: Range<usize>,
}

impl FirstWords {
    /// Checks the section at `range` of `buf` for a names index of `nodes` bytes (every node
    /// an entry leads to lies in it); the error says what is wrong.
    pub fn new(buf: &[u8], range: Range<usize>, nodes: usize) -> std::result::Result<Self, String> {
        let s = &buf[range.clone()];
        let bits = s
            .first_chunk::<4>()
            .map(|b| u32::from_le_bytes(*b))
            .filter(|b| (1..=24).contains(b))
            .ok_or("first words: bad bucket bits")?;
        let buckets = range.start + 4..range.start + 4 + 4 * ((1 << bits) + 1);
        let entries = buckets.end..range.end;
        if buckets.end > range.end || entries.len() % ENTRY != 0 {
            return Err("first words: truncated".into());
        }
        let starts = buf[buckets.clone()]
            .as_chunks::<4>()
            .0
            .iter()
            .map(|b| u32::from_le_bytes(*b) as usize);
        let mut last = 0;
        for start in starts {
            if start < last || start > entries.len() / ENTRY {
                return Err("first words: bucket starts out of order".into());
            }
            last = start;
        }
        if last != entries.len() / ENTRY {
            return Err("first words: bucket starts miss entries".into());
        }
        let past_nodes = buf[entries.clone()]
            .as_chunks::<ENTRY>()
            .0
            .iter()
            .any(|e| (u32_at(e, 24) & !GOES_ON) as usize >= nodes);
        if past_nodes {
            return Err("first words: a node past the names index".into());
        }
        Ok(Self {
            bits,
            buckets,
            entries,
        })
    }

    /// Where a walk down the names index stands after the word of [`hash`] `h`, if some key
    /// starts with it.
    pub fn get(&self, buf: &[u8], h: u64) -> Option<FirstStep> {
        let at = self.buckets.start + 4 * (h >> (64 - self.bits)) as usize;
        let [start, end] = buf.get(at..at + 8)?.as_chunks::<4>().0 else {
            return None;
        };
        let [start, end] = [start, end].map(|b| u32::from_le_bytes(*b) as usize);
        let from = self.entries.start;
        let entries = buf.get(from + ENTRY * start..from + ENTRY * end)?;
        let key = h.to_le_bytes();
        let e = entries
            .as_chunks::<ENTRY>()
            .0
            .iter()
            .find(|e| e.first_chunk::<8>() == Some(&key))?;
        let addr = u32_at(e, 24);
        let value = u64_at(e, 16);
        Some(FirstStep {
            addr: (addr & !GOES_ON) as CompiledAddr,
            output: u64_at(e, 8),
            value: (value != NO_VALUE).then_some(value),
            goes_on: addr & GOES_ON != 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every first word of a small index is found where a byte-by-byte walk ends, and nothing
    /// else is.
    #[test]
    fn a_first_word_leads_where_its_bytes_do() {
        let keys = [
            "aleppo",
            "new",
            "new york",
            "new. orleans",
            "paris",
            "paris texas",
            "st.",
        ];
        let fst_bytes = fst::Map::from_iter(keys.iter().enumerate().map(|(i, k)| (k, i as u64)))
            .expect("sorted keys")
            .into_fst()
            .into_inner();
        let fst = Fst::new(&fst_bytes[..]).expect("an fst");
        let section = section(&fst).expect("builds");
        let words = FirstWords::new(&section, 0..section.len(), fst_bytes.len()).expect("valid");
        let walk = |word: &[u8]| {
            let mut node = fst.root();
            let mut out = Output::zero();
            for &b in word {
                let t = node.transition(node.find_input(b)?);
                out = out.cat(t.out);
                node = fst.node(t.addr);
            }
            Some((
                node.addr(),
                out.value(),
                node.is_final()
                    .then(|| out.cat(node.final_output()).value()),
            ))
        };
        for (word, goes_on, value) in [
            ("aleppo", false, Some(0)),
            ("new", true, Some(1)),
            ("paris", true, Some(4)),
            ("st", true, None),
        ] {
            let step = words.get(&section, hash(word.as_bytes())).expect(word);
            let (addr, output, walked_value) = walk(word.as_bytes()).expect(word);
            assert_eq!((step.addr, step.output), (addr, output), "{word}");
            assert_eq!(step.value, walked_value, "{word}");
            assert_eq!((step.goes_on, step.value), (goes_on, value), "{word}");
        }
        for word in ["ale", "york", "orleans", "texas", "s", "pari", "parisx"] {
            assert_eq!(words.get(&section, hash(word.as_bytes())), None, "{word}");
        }
    }

    #[test]
    fn a_word_hashes_alike_alone_and_inside_a_text() {
        let text = b"al-quds, stepanakert/khankendi and the rest of a long enough line";
        for start in 0..text.len() {
            for end in start..=text.len() {
                let inside = hash_in(text, start..end);
                assert_eq!(inside, hash(&text[start..end]), "{start}..{end}");
            }
        }
    }

    #[test]
    fn a_damaged_section_is_refused() {
        let fst_bytes = fst::Set::from_iter(["a", "b c"])
            .expect("sorted")
            .into_fst()
            .into_inner();
        let nodes = fst_bytes.len();
        let section = section(&Fst::new(&fst_bytes[..]).expect("an fst")).expect("builds");
        assert!(FirstWords::new(&section, 0..section.len(), nodes).is_ok());
        assert!(FirstWords::new(&section, 0..section.len() - 1, nodes).is_err());
        assert!(FirstWords::new(&section, 0..3, nodes).is_err());
        let mut bad = section.clone();
        bad[4..8].copy_from_slice(&9u32.to_le_bytes());
        assert!(FirstWords::new(&bad, 0..bad.len(), nodes).is_err());
        // A node address past the names index, in the last entry.
        let mut bad = section.clone();
        let at = bad.len() - 4;
        bad[at..].copy_from_slice(&u32::try_from(nodes).expect("small").to_le_bytes());
        assert!(FirstWords::new(&bad, 0..bad.len(), nodes).is_err());
    }
}
