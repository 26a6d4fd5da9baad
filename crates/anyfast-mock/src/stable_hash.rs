//! A small hash that is the same in every run and on every machine, so that whatever the mock
//! derives from a task id (its schedule, its signature, its drift) can be repeated.

/// FNV-1a of `text`. Not for security: the mock only needs spread and repeatability, and
/// `std`'s hasher promises neither across releases.
pub(crate) fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::fnv1a;

    #[test]
    fn the_hash_is_fnv1a() {
        // The published FNV-1a test vectors: a change here would reshuffle every schedule.
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a("foobar"), 0x8594_4171_f739_67e8);
    }
}
