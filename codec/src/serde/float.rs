//! `f32` to and from frozenpack's 64-bit floats, bit-exactly (NaN payloads included, which
//! an `as` cast does not promise).

/// The `f64` holding exactly `x`: finite values and infinities convert exactly with `From`;
/// a NaN keeps its sign, its quiet bit and its payload, shifted into the wider mantissa.
pub(crate) fn widen(x: f32) -> f64 {
    if !x.is_nan() {
        return f64::from(x);
    }
    let bits = x.to_bits();
    let sign = u64::from(bits >> 31) << 63;
    let mantissa = u64::from(bits & 0x007f_ffff) << 29;
    f64::from_bits(sign | 0x7ff0_0000_0000_0000 | mantissa)
}

/// The `f32` whose [`widen`] is exactly `x`, if there is one.
pub(crate) fn narrow_exact(x: f64) -> Option<f32> {
    let narrow = if x.is_nan() {
        let bits = x.to_bits();
        if bits & ((1 << 29) - 1) != 0 {
            return None;
        }
        let sign = ((bits >> 63) as u32) << 31;
        let mantissa = ((bits >> 29) & 0x007f_ffff) as u32;
        f32::from_bits(sign | 0x7f80_0000 | mantissa)
    } else {
        x as f32
    };
    (widen(narrow).to_bits() == x.to_bits()).then_some(narrow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widening_keeps_every_bit_that_matters() {
        assert_eq!(widen(1.5).to_bits(), 1.5f64.to_bits());
        assert_eq!(widen(-0.0).to_bits(), 0x8000_0000_0000_0000);
        assert_eq!(widen(f32::INFINITY), f64::INFINITY);
        // The smallest subnormal f32 is a normal f64.
        assert_eq!(widen(f32::from_bits(1)), 2f64.powi(-149));
        // A signalling NaN with a payload: quiet bit clear, payload 1.
        assert_eq!(
            widen(f32::from_bits(0xff80_0001)).to_bits(),
            0xfff0_0000_2000_0000
        );
        assert_eq!(
            widen(f32::from_bits(0x7fc0_0000)).to_bits(),
            0x7ff8_0000_0000_0000
        );
    }

    #[test]
    fn narrowing_is_exact_or_nothing() {
        assert_eq!(narrow_exact(1.5), Some(1.5));
        assert_eq!(narrow_exact(-0.0).map(f32::to_bits), Some(0x8000_0000));
        assert_eq!(narrow_exact(f64::NEG_INFINITY), Some(f32::NEG_INFINITY));
        assert_eq!(narrow_exact(0.1), None);
        assert_eq!(narrow_exact(1e300), None);
        assert_eq!(narrow_exact(2f64.powi(-149)).map(f32::to_bits), Some(1));
        assert_eq!(narrow_exact(2f64.powi(-150)), None);
        assert_eq!(
            narrow_exact(f64::from_bits(0xfff0_0000_2000_0000)).map(f32::to_bits),
            Some(0xff80_0001)
        );
        // A NaN payload in the low 29 bits has no f32 form.
        assert_eq!(narrow_exact(f64::from_bits(0x7ff8_0000_0000_0001)), None);
        for bits in [0u32, 1, 0x3f80_0000, 0x7f7f_ffff, 0x7f80_0001, 0xffc0_1234] {
            let x = f32::from_bits(bits);
            assert_eq!(narrow_exact(widen(x)).map(f32::to_bits), Some(bits));
        }
    }
}
