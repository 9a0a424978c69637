//! The key the phrase matcher indexes a word by: its first few chars packed in a number. The
//! tokenizer gives every token its key once, and the phrase matcher looks its phrases up by it.

/// Chars of a word (and of a prefix pattern such as `bombard*`) that its key holds.
pub(crate) const PREFIX_KEY: usize = 3;

/// The first `PREFIX_KEY` chars of a word, or `None` when it is shorter.
pub(crate) fn prefix_key(word: &str) -> Option<&str> {
    if word
        .as_bytes()
        .get(..PREFIX_KEY)
        .is_some_and(<[u8]>::is_ascii)
    {
        return Some(&word[..PREFIX_KEY]);
    }
    let mut chars = word.char_indices();
    chars.nth(PREFIX_KEY - 1)?;
    Some(&word[..chars.next().map_or(word.len(), |(end, _)| end)])
}

/// The index key of a word: its first `PREFIX_KEY` chars (all of them when it is shorter), one
/// char in every 21 bits. A word and every word it is a prefix of (of `PREFIX_KEY` chars or
/// more) have the same key.
#[inline]
pub(crate) fn key(word: &str) -> u64 {
    let pack = |key: u64, c: u32| (key << 21) | (u64::from(c) + 1);
    // Mostly ASCII: the chars are the bytes.
    match *word.as_bytes() {
        [a, b, c, ..] if (a | b | c).is_ascii() => {
            pack(pack(pack(0, a.into()), b.into()), c.into())
        }
        [a, b] if (a | b).is_ascii() => pack(pack(0, a.into()), b.into()),
        [a] if a.is_ascii() => pack(0, a.into()),
        _ => word
            .chars()
            .take(PREFIX_KEY)
            .fold(0, |key, c| pack(key, c.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_first_chars() {
        assert_eq!(key("bombard"), key("bom"));
        assert_eq!(key("élan"), key("éla"));
        assert_ne!(key("bo"), key("bom"));
        assert_ne!(key("éla"), key("ela"));
        assert_eq!(
            key("ab"),
            (u64::from(b'a') + 1) << 21 | (u64::from(b'b') + 1)
        );
    }

    #[test]
    fn prefix_keys_count_chars() {
        assert_eq!(prefix_key("bombard"), Some("bom"));
        assert_eq!(prefix_key("élan"), Some("éla"));
        assert_eq!(prefix_key("déc"), Some("déc"));
        assert_eq!(prefix_key("dé"), None);
        assert_eq!(prefix_key("ab"), None);
    }
}
