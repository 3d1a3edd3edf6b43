//! The (generalized) UTF-8 of a `str` from its code points, as CPython stores them (one,
//! two or four octets per code point).

/// Replaces the contents of `out` with the UTF-8 of `units`, each a code point; a surrogate
/// code point (U+D800..U+DFFF) is written as its three-octet form, which makes the octets
/// generalized UTF-8 (spec section 4, SSTR) rather than UTF-8. Returns whether there was one.
#[inline]
pub fn encode<T: Copy + Into<u32>>(units: &[T], out: &mut Vec<u8>) -> bool {
    out.clear();
    // At most 3 octets per unit for the 1- and 2-octet kinds' ranges and 4 for the rest; a
    // first guess that is exact for Latin-1 text, so a typical str is written with one
    // reservation.
    out.reserve(units.len().saturating_mul(2));
    let mut has_surrogate = false;
    for &unit in units {
        let c: u32 = unit.into();
        if c < 0x80 {
            out.push(c as u8);
        } else if c < 0x800 {
            out.extend_from_slice(&[0xc0 | (c >> 6) as u8, 0x80 | (c & 0x3f) as u8]);
        } else if c < 0x1_0000 {
            has_surrogate |= (0xd800..0xe000).contains(&c);
            out.extend_from_slice(&[
                0xe0 | (c >> 12) as u8,
                0x80 | ((c >> 6) & 0x3f) as u8,
                0x80 | (c & 0x3f) as u8,
            ]);
        } else {
            out.extend_from_slice(&[
                0xf0 | (c >> 18) as u8,
                0x80 | ((c >> 12) & 0x3f) as u8,
                0x80 | ((c >> 6) & 0x3f) as u8,
                0x80 | (c & 0x3f) as u8,
            ]);
        }
    }
    has_surrogate
}
