//! The serde access types through which visitors read a tuple's items: as a sequence, as
//! `(key, value)` pairs, as an enum's variant, and the private access that hands a whole
//! encoded [`Value`](crate::Value) over at once.

use ::serde::de::{
    self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

use super::de::{items, name_deserializer, raw_deserializer, Deserializer};
use super::error::SerdeError;
use super::VALUE_TOKEN;
use crate::decode::Event;

/// A tuple's items as a sequence.
pub(crate) struct Items<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    left: usize,
    hint: Option<usize>,
}

impl<'a, 'de> Items<'a, 'de> {
    pub(crate) fn new(de: &'a mut Deserializer<'de>, n: usize, hint: Option<usize>) -> Self {
        Items { de, left: n, hint }
    }

    pub(crate) fn left(&self) -> usize {
        self.left
    }
}

impl<'de> SeqAccess<'de> for Items<'_, 'de> {
    type Error = SerdeError;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, SerdeError> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.de).map(Some)
    }

    /// The items left, for tuples within the size-hint budget (see `Deserializer::hint_room`).
    #[inline]
    fn size_hint(&self) -> Option<usize> {
        self.hint.map(|_| self.left)
    }
}

/// A tuple of `(key, value)` pairs as a map.
pub(crate) struct Pairs<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    left: usize,
    hint: Option<usize>,
    /// The map's own count of items still to read, saved while a pair is open.
    pair_outer: usize,
}

impl<'a, 'de> Pairs<'a, 'de> {
    pub(crate) fn new(de: &'a mut Deserializer<'de>, n: usize, hint: Option<usize>) -> Self {
        Pairs {
            de,
            left: n,
            hint,
            pair_outer: 0,
        }
    }

    pub(crate) fn left(&self) -> usize {
        self.left
    }
}

impl<'de> MapAccess<'de> for Pairs<'_, 'de> {
    type Error = SerdeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, SerdeError> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        match self.de.next()? {
            Event::TupleStart(2) => self.pair_outer = self.de.open(2),
            other => return Err(self.de.unexpected(&other, &"a (key, value) pair")),
        }
        seed.deserialize(&mut *self.de).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, SerdeError> {
        let value = seed.deserialize(&mut *self.de)?;
        // The pair's end: its two items have been read.
        let pair = self.de.at();
        self.de.end_tuple(pair, 2, 0, None, self.pair_outer)?;
        Ok(value)
    }

    fn size_hint(&self) -> Option<usize> {
        self.hint.map(|_| self.left)
    }
}

/// A unit variant: its name, a str.
pub(crate) struct VariantName<'de> {
    name: &'de str,
    at: usize,
}

impl<'de> VariantName<'de> {
    pub(crate) fn new(name: &'de str, at: usize) -> Self {
        VariantName { name, at }
    }

    fn not_unit(&self) -> SerdeError {
        SerdeError::mismatch(
            self.at,
            format_args!(
                "invalid type: str (unit variant {:?}), expected a tuple (variant, payload…)",
                self.name
            ),
        )
    }
}

impl<'de> EnumAccess<'de> for VariantName<'de> {
    type Error = SerdeError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self), SerdeError> {
        let variant = seed.deserialize(name_deserializer(self.name))?;
        Ok((variant, self))
    }
}

impl<'de> VariantAccess<'de> for VariantName<'de> {
    type Error = SerdeError;

    fn unit_variant(self) -> Result<(), SerdeError> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        _seed: T,
    ) -> Result<T::Value, SerdeError> {
        Err(self.not_unit())
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, SerdeError> {
        Err(self.not_unit())
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, SerdeError> {
        Err(self.not_unit())
    }
}

/// A variant with a payload: the tuple `(variant, item…)` whose start has been read.
pub(crate) struct VariantItems<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    enum_name: &'static str,
    /// The tuple's item count, the variant's name included.
    n: usize,
    start: usize,
    /// The enclosing tuple's count of items still to read, from `Deserializer::open`.
    outer: usize,
}

impl<'a, 'de> VariantItems<'a, 'de> {
    pub(crate) fn new(
        de: &'a mut Deserializer<'de>,
        enum_name: &'static str,
        n: usize,
        outer: usize,
    ) -> Self {
        let start = de.at();
        VariantItems {
            de,
            enum_name,
            n,
            start,
            outer,
        }
    }

    /// The payload must have exactly `len` items.
    fn payload_of(&self, len: usize, what: &str) -> Result<(), SerdeError> {
        if self.n - 1 == len {
            return Ok(());
        }
        Err(SerdeError::mismatch(
            self.start,
            format_args!(
                "invalid length: tuple of {}, expected {} ({what} of enum {}: the variant, then {})",
                items(self.n),
                items(len + 1),
                self.enum_name,
                items(len)
            ),
        ))
    }

    fn payload<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, SerdeError> {
        let mut payload = Items::new(self.de, len, None);
        let value = visitor.visit_seq(&mut payload)?;
        let left = payload.left();
        self.de
            .end_tuple(self.start, self.n, left, None, self.outer)?;
        Ok(value)
    }
}

impl<'a, 'de> EnumAccess<'de> for VariantItems<'a, 'de> {
    type Error = SerdeError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self), SerdeError> {
        let variant = seed.deserialize(&mut *self.de)?;
        Ok((variant, self))
    }
}

impl<'de> VariantAccess<'de> for VariantItems<'_, 'de> {
    type Error = SerdeError;

    fn unit_variant(self) -> Result<(), SerdeError> {
        Err(SerdeError::mismatch(
            self.start,
            format_args!(
                "invalid type: tuple of {}, expected a str (a unit variant of enum {})",
                items(self.n),
                self.enum_name
            ),
        ))
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, SerdeError> {
        self.payload_of(1, "a newtype variant")?;
        let value = seed.deserialize(&mut *self.de)?;
        self.de.end_tuple(self.start, self.n, 0, None, self.outer)?;
        Ok(value)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, SerdeError> {
        self.payload_of(len, "a tuple variant")?;
        self.payload(len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, SerdeError> {
        self.payload_of(fields.len(), "a struct variant")?;
        self.payload(fields.len(), visitor)
    }
}

/// The private `Value` protocol: a map of one entry, [`VALUE_TOKEN`] and the value's whole
/// encoding (already checked by the reader), which `Value`'s visitor decodes in one go.
pub(crate) struct RawValue<'de> {
    raw: Option<&'de [u8]>,
    key_given: bool,
}

impl<'de> RawValue<'de> {
    pub(crate) fn new(raw: &'de [u8]) -> Self {
        RawValue {
            raw: Some(raw),
            key_given: false,
        }
    }
}

impl<'de> MapAccess<'de> for RawValue<'de> {
    type Error = SerdeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, SerdeError> {
        if self.key_given {
            return Ok(None);
        }
        self.key_given = true;
        seed.deserialize(name_deserializer(VALUE_TOKEN)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, SerdeError> {
        match self.raw.take() {
            Some(raw) => seed.deserialize(raw_deserializer(raw)),
            None => Err(de::Error::custom("the encoded value was taken already")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(usize::from(!self.key_given))
    }
}
