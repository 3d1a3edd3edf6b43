//! The tag table (spec §3), shared by the decoder and the encoder so that both read the
//! same constants.

/// NONE.
pub(crate) const NONE: u8 = 0xc0;
/// FALSE.
pub(crate) const FALSE: u8 = 0xc1;
/// TRUE.
pub(crate) const TRUE: u8 = 0xc2;
/// FLOAT: 8 octets of binary64 bits follow, little-endian.
pub(crate) const FLOAT: u8 = 0xc3;
/// INT*k* is `FLOAT + k` for *k* in 1 ..= 8 (`c4` … `cb`).
pub(crate) const INT_BASE: u8 = FLOAT;
/// FIXSTR of *n* octets is `FIXSTR + n`, *n* ≤ [`FIXSTR_MAX`].
pub(crate) const FIXSTR: u8 = 0x80;
/// FIXBYTES of *n* octets is `FIXBYTES + n`, *n* ≤ [`FIXBYTES_MAX`].
pub(crate) const FIXBYTES: u8 = 0xa0;
/// FIXTUPLE of *n* items is `FIXTUPLE + n`, *n* ≤ [`FIXTUPLE_MAX`].
pub(crate) const FIXTUPLE: u8 = 0xb0;

/// The last tag of each range of the table, for the decoder's one `match` on the tag.
/// FIXINT: the tags 0 … 127 are their values.
pub(crate) const FIXINT_LAST: u8 = 0x7f;
/// FIXSTR of 31 octets.
pub(crate) const FIXSTR_LAST: u8 = FIXSTR + FIXSTR_MAX as u8;
/// FIXBYTES of 15 octets.
pub(crate) const FIXBYTES_LAST: u8 = FIXBYTES + FIXBYTES_MAX as u8;
/// FIXTUPLE of 15 items.
pub(crate) const FIXTUPLE_LAST: u8 = FIXTUPLE + FIXTUPLE_MAX as u8;
/// INT1 and INT8, the ends of the INT*k* range.
pub(crate) const INT1: u8 = INT_BASE + 1;
pub(crate) const INT8: u8 = INT_BASE + INT_MAX_OCTETS as u8;
/// The prefixed families (`cc` … `df`), see [`Family`].
pub(crate) const PREFIXED_FIRST: u8 = 0xcc;
pub(crate) const PREFIXED_LAST: u8 = 0xdf;
/// The reserved range (spec §10).
pub(crate) const RESERVED_FIRST: u8 = 0xe0;
pub(crate) const RESERVED_LAST: u8 = 0xef;
/// NEGFIXINT: the tags `f0` … `ff` are −16 … −1 read as a signed octet.
pub(crate) const NEGFIXINT_FIRST: u8 = 0xf0;

/// The longest str payload a FIXSTR tag carries.
pub(crate) const FIXSTR_MAX: usize = 31;
/// The longest bytes payload a FIXBYTES tag carries.
pub(crate) const FIXBYTES_MAX: usize = 15;
/// The most items a FIXTUPLE tag carries.
pub(crate) const FIXTUPLE_MAX: usize = 15;
/// Ints whose two's complement needs at most this many octets use INT1 … INT8.
pub(crate) const INT_MAX_OCTETS: usize = 8;

/// The five *prefixed* families: a tag whose low two bits give the width of the length
/// field that follows (spec §3, "Length fields").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Family {
    BigInt,
    Str,
    Bytes,
    Tuple,
    SStr,
}

impl Family {
    /// The family's tag with a 1-octet length field (`t` in the spec's `hdr(t, n)`).
    pub(crate) const fn base(self) -> u8 {
        match self {
            Family::BigInt => 0xcc,
            Family::Str => 0xd0,
            Family::Bytes => 0xd4,
            Family::Tuple => 0xd8,
            Family::SStr => 0xdc,
        }
    }

    /// The family's name as the spec spells it (used in error details).
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Family::BigInt => "BIGINT",
            Family::Str => "STR",
            Family::Bytes => "BYTES",
            Family::Tuple => "TUPLE",
            Family::SStr => "SSTR",
        }
    }

    /// The smallest *n* a 1-octet length field may carry (spec §5 rule 2): below it a FIX
    /// form (or, for BIGINT, INT1 … INT8) is the canonical encoding. SSTR has no shorter
    /// form, so any *n* is allowed by the header; an SSTR too short to hold a surrogate is
    /// rejected later, by the payload check (§6 step 7).
    pub(crate) const fn min_len_width1(self) -> u64 {
        match self {
            Family::BigInt => (INT_MAX_OCTETS as u64).saturating_add(1),
            Family::Str => (FIXSTR_MAX as u64).saturating_add(1),
            Family::Bytes => (FIXBYTES_MAX as u64).saturating_add(1),
            Family::Tuple => (FIXTUPLE_MAX as u64).saturating_add(1),
            Family::SStr => 0,
        }
    }

    /// The family of a prefixed tag ([`PREFIXED_FIRST`] … [`PREFIXED_LAST`]), with the width
    /// of its length field.
    pub(crate) const fn of_tag(tag: u8) -> Option<(Family, usize)> {
        let family = match tag & !0x03 {
            0xcc => Family::BigInt,
            0xd0 => Family::Str,
            0xd4 => Family::Bytes,
            0xd8 => Family::Tuple,
            0xdc => Family::SStr,
            _ => return None,
        };
        Some((family, width_of(tag)))
    }

    /// Whether *n* counts octets of payload (every family but TUPLE, which counts items).
    pub(crate) const fn counts_octets(self) -> bool {
        !matches!(self, Family::Tuple)
    }
}

/// The width in octets of the length field selected by a prefixed tag's low two bits.
pub(crate) const fn width_of(tag: u8) -> usize {
    1 << (tag & 0x03)
}

/// The smallest *n* that a length field of `width` octets may carry in canonical form.
pub(crate) const fn min_len(family: Family, width: usize) -> u64 {
    match width {
        1 => family.min_len_width1(),
        2 => 1 << 8,
        4 => 1 << 16,
        _ => 1 << 32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_prefixed_tag_maps_back_to_its_family_and_width() {
        for family in [
            Family::BigInt,
            Family::Str,
            Family::Bytes,
            Family::Tuple,
            Family::SStr,
        ] {
            for (low, width) in [(0u8, 1usize), (1, 2), (2, 4), (3, 8)] {
                assert_eq!(Family::of_tag(family.base() + low), Some((family, width)));
            }
        }
    }

    #[test]
    fn non_prefixed_tags_have_no_family() {
        for tag in (0x00..=0xcbu8).chain(0xe0..=0xff) {
            assert_eq!(Family::of_tag(tag), None, "tag {tag:02x}");
        }
    }

    #[test]
    fn minimum_lengths_follow_spec_section_5_rule_2() {
        assert_eq!(min_len(Family::Str, 1), 32);
        assert_eq!(min_len(Family::Bytes, 1), 16);
        assert_eq!(min_len(Family::Tuple, 1), 16);
        assert_eq!(min_len(Family::BigInt, 1), 9);
        assert_eq!(min_len(Family::SStr, 1), 0);
        assert_eq!(min_len(Family::SStr, 2), 256);
        assert_eq!(min_len(Family::Str, 4), 65_536);
        assert_eq!(min_len(Family::Bytes, 8), 1 << 32);
    }

    #[test]
    fn the_ranges_partition_the_tags_as_spec_section_3_lists_them() {
        let ranges = [
            (0x00, FIXINT_LAST),
            (FIXSTR, FIXSTR_LAST),
            (FIXBYTES, FIXBYTES_LAST),
            (FIXTUPLE, FIXTUPLE_LAST),
            (NONE, NONE),
            (FALSE, FALSE),
            (TRUE, TRUE),
            (FLOAT, FLOAT),
            (INT1, INT8),
            (PREFIXED_FIRST, PREFIXED_LAST),
            (RESERVED_FIRST, RESERVED_LAST),
            (NEGFIXINT_FIRST, 0xff),
        ];
        let mut next = 0u16;
        for (first, last) in ranges {
            assert_eq!(u16::from(first), next, "gap or overlap before {first:02x}");
            assert!(first <= last);
            next = u16::from(last) + 1;
        }
        assert_eq!(next, 0x100);
        assert_eq!(
            (FIXSTR_LAST, FIXBYTES_LAST, FIXTUPLE_LAST, INT1, INT8),
            (0x9f, 0xaf, 0xbf, 0xc4, 0xcb)
        );
        for t in PREFIXED_FIRST..=PREFIXED_LAST {
            assert!(Family::of_tag(t).is_some());
        }
    }

    #[test]
    fn reserved_range_is_exactly_e0_to_ef() {
        let reserved: Vec<u8> = (RESERVED_FIRST..=RESERVED_LAST).collect();
        assert_eq!(reserved, (0xe0..=0xef).collect::<Vec<u8>>());
    }
}
