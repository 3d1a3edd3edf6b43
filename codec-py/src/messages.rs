//! The reference's error details, for the errors the codec's `Reader` reports.
//!
//! The codec decides every error (kind and offset, spec section 6); this module only words
//! it as `frozenpack.reference` does, so that `str(e)` is the same from both implementations.
//! The codec's own details are worded for Rust users and carry structured data this crate
//! cannot see, so the wording is rebuilt here from what is known at the error: the offset
//! of the failing item's tag (`p`, where the reader stood), the level, the depth limit, and
//! the octets of that item's header. Nothing here decides whether input is valid.

use frozenpack::{Error, ErrorKind};

/// The 1-octet-field tag of each prefixed family, and its name in the spec's tag table.
const FAMILIES: [(u8, &str); 5] = [
    (0xcc, "BIGINT"),
    (0xd0, "STR"),
    (0xd4, "BYTES"),
    (0xd8, "TUPLE"),
    (0xdc, "SSTR"),
];

/// Where the error happened, as the driver of the reader knows it.
pub struct At<'a> {
    /// The whole input.
    pub data: &'a [u8],
    /// The offset of the tag of the item being read when the error occurred (for
    /// `trailing_bytes`, where the value ended).
    pub p: usize,
    /// The number of tuples open around that item.
    pub level: usize,
    /// The depth limit in force.
    pub max_depth: usize,
    /// The offset of `data[0]` in the whole input (a stream reader holds only the octets of
    /// the value it reads): offsets in details count from the start of the whole input.
    pub base: usize,
}

/// The reference's detail for `err`. Should the header at `at.p` ever not be one the error
/// kind can come from (it always is: the reader reports errors of the item at its offset),
/// the codec's own detail is used rather than a panic across the C boundary.
pub fn detail(err: &Error, at: &At<'_>) -> String {
    let worded = match err.kind() {
        ErrorKind::Truncated => truncated(at),
        ErrorKind::UnknownTag => at
            .data
            .get(err.offset())
            .map(|t| format!("tag {t:02x} is reserved (e0-ef) in version 1")),
        ErrorKind::DepthExceeded => Some(format!(
            "a tuple at level {} exceeds the depth limit {}",
            at.level as u128 + 1,
            at.max_depth
        )),
        ErrorKind::NonCanonical => non_canonical(at),
        ErrorKind::InvalidUtf8 => invalid_utf8(at, err.offset()),
        ErrorKind::TrailingBytes => Some(trailing(at.data.len() - err.offset())),
    };
    worded.unwrap_or_else(|| err.detail().to_string())
}

/// The detail of `trailing_bytes` with `count` octets after the value.
pub fn trailing(count: usize) -> String {
    format!("{count} octets follow the value")
}

/// The family (1-octet-field tag, name) and length-field width of a prefixed tag.
fn prefixed(t: u8) -> Option<(u8, &'static str, usize)> {
    let base = t & !0x03;
    FAMILIES
        .iter()
        .find(|(tag, _)| *tag == base)
        .map(|&(tag, name)| (tag, name, 1usize << (t & 0x03)))
}

/// The little-endian length field of `width` octets at `start` (present in full).
fn length_field(data: &[u8], start: usize, width: usize) -> Option<u64> {
    let field = data.get(start..start + width)?;
    Some(field.iter().rev().fold(0u64, |n, &b| (n << 8) | u64::from(b)))
}

fn truncated(at: &At<'_>) -> Option<String> {
    let (data, p) = (at.data, at.p);
    // The item's offset as the details show it.
    let shown = at.base.saturating_add(p);
    let length = data.len();
    if p >= length {
        return Some(format!("input ends at offset {shown} where an item's tag should be"));
    }
    let t = *data.get(p)?;
    if t == 0xc3 {
        return Some(format!("FLOAT at offset {shown} needs 8 octets after its tag"));
    }
    if (0xc4..=0xcb).contains(&t) {
        let k = t - 0xc3;
        return Some(format!("INT{k} at offset {shown} needs {k} octets after its tag"));
    }
    // Only the families with a count can be cut short past their tag otherwise.
    let (name, n, q, is_tuple) = if t < 0xc0 {
        let (base, name) = match t {
            0x80..=0x9f => (0x80, "FIXSTR"),
            0xa0..=0xaf => (0xa0, "FIXBYTES"),
            _ => (0xb0, "FIXTUPLE"),
        };
        (name, u64::from(t - base), p + 1, base == 0xb0)
    } else {
        let (family, name, width) = prefixed(t)?;
        let q = p + 1 + width;
        if q > length {
            return Some(format!("{name} at offset {shown} needs a {width}-octet length field"));
        }
        (name, length_field(data, p + 1, width)?, q, family == 0xd8)
    };
    let what = if is_tuple { "items" } else { "octets" };
    Some(format!(
        "{name} at offset {shown} declares {n} {what}, {} octets remain",
        length.checked_sub(q)?
    ))
}

fn non_canonical(at: &At<'_>) -> Option<String> {
    let (data, p) = (at.data, at.p);
    let t = *data.get(p)?;
    if (0xc4..=0xcb).contains(&t) {
        let k = usize::from(t - 0xc3);
        let field = data.get(p + 1..p + 1 + k)?;
        // Sign-extend the k octets (little-endian two's complement) to an i64.
        let shift = 64 - 8 * k as u32;
        let raw = field
            .iter()
            .rev()
            .fold(0u64, |n, &b| (n << 8) | u64::from(b));
        let value = ((raw << shift) as i64) >> shift;
        return Some(if k == 1 {
            format!("INT1 holds {value}, which is written in the tag alone")
        } else {
            format!("INT{k} holds {value}, whose top octet only repeats the sign")
        });
    }
    let (family, name, width) = prefixed(t)?;
    let n = length_field(data, p + 1, width)?;
    let least: u64 = match (family, width) {
        (0xcc, 1) => 9,
        (0xd0, 1) => 32,
        (0xd4 | 0xd8, 1) => 16,
        (_, 1) => 0,
        (_, w) => 1 << (8 * w / 2),
    };
    Some(if n < least {
        format!(
            "{name} with a {width}-octet length field holds n={n}; that field needs n >= {least}"
        )
    } else if family == 0xcc {
        format!("BIGINT of {n} octets: its top octet only repeats the sign")
    } else {
        "SSTR holds no surrogate code point; it must be FIXSTR or STR".to_string()
    })
}

fn invalid_utf8(at: &At<'_>, offset: usize) -> Option<String> {
    let (data, p) = (at.data, at.p);
    let t = *data.get(p)?;
    if (0x80..=0x9f).contains(&t) {
        let m = offset.checked_sub(p + 1)?;
        return Some(format!("FIXSTR payload is not well-formed UTF-8 after {m} octets"));
    }
    let (family, name, width) = prefixed(t)?;
    let m = offset.checked_sub(p + 1 + width)?;
    Some(if family == 0xdc {
        format!("SSTR payload is not well-formed generalized UTF-8 after {m} octets")
    } else {
        format!("{name} payload is not well-formed UTF-8 after {m} octets")
    })
}
