//! Numbers read from bytes, little-endian: the index file's fields and the words of a folded
//! text read eight bytes at a time.

/// The little-endian `u32` at byte `at` of `b`. Panics if `b` holds fewer than four bytes there.
#[inline]
pub(crate) fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// The little-endian `u64` at byte `at` of `b`. Panics if `b` holds fewer than eight bytes
/// there.
#[inline]
pub(crate) fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut x = [0; 8];
    x.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(x)
}

/// The bytes of `bytes[range]` (at most eight) as a little-endian number: one load masked to
/// their length where eight bytes follow the range's start, a byte at a time otherwise, so that
/// a word has the same number alone and inside a text.
#[inline]
pub(crate) fn le_u64_at(bytes: &[u8], range: std::ops::Range<usize>) -> u64 {
    debug_assert!(range.len() <= 8);
    if range.is_empty() {
        return 0;
    }
    match bytes.get(range.start..).and_then(<[u8]>::first_chunk::<8>) {
        Some(eight) => u64::from_le_bytes(*eight) & u64::MAX >> (64 - 8 * range.len()),
        None => bytes[range]
            .iter()
            .rev()
            .fold(0, |n, &b| n << 8 | u64::from(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_has_the_same_number_alone_and_inside_a_text() {
        let text = b"stepanakert, alep";
        for (start, end) in [(0, 8), (0, 3), (13, 17), (14, 17), (5, 5)] {
            let alone = &text[start..end];
            assert_eq!(
                le_u64_at(text, start..end),
                le_u64_at(alone, 0..alone.len())
            );
        }
        assert_eq!(le_u64_at(b"ab", 0..2), 0x6261);
    }

    #[test]
    fn fields_read_little_endian() {
        let b = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        assert_eq!(u32_at(&b, 1), 0x0504_0302);
        assert_eq!(u64_at(&b, 1), 0x0908_0706_0504_0302);
    }
}
