//! The serde [`Serializer`]: the crate's one [`Writer`] driven by serde's calls. It decides
//! only which item a Rust value becomes; every octet is written by the `Writer`.

use ::serde::ser::{self, Serialize};

use super::error::{SerdeError, SerdeErrorKind};
use super::float::widen;
use super::{BIGINT_TOKEN, SSTR_TOKEN};
use crate::decode::DEFAULT_MAX_DEPTH;
use crate::encode::{Output, Writer};

/// A serde `Serializer` writing canonical frozenpack encodings to an [`Output`] (a
/// `Vec<u8>`, a `bytes::BytesMut`, any `bytes::BufMut`).
///
/// serde serializes by recursion, one call level per level of nesting, so the serializer
/// has a depth limit, [`DEFAULT_MAX_DEPTH`] unless set otherwise: a value that would need
/// deeper tuples is refused with an [`Unsupported`](SerdeErrorKind::Unsupported) error
/// rather than risking the stack (spec §8 asks encoders that refuse deep input to say so).
/// With the defaults, everything it writes decodes with the default decoder.
///
/// ```
/// use serde::Serialize;
/// let mut ser = frozenpack::Serializer::new(bytes::BytesMut::new());
/// (1u8, "a").serialize(&mut ser)?;
/// assert_eq!(&ser.into_inner()[..], b"\xb2\x01\x81a");
/// # Ok::<(), frozenpack::SerdeError>(())
/// ```
#[derive(Debug)]
pub struct Serializer<O> {
    writer: Writer<O>,
    /// Tuples open around the next item.
    depth: usize,
    max_depth: usize,
    /// Set while a private newtype ([`BIGINT_TOKEN`], [`SSTR_TOKEN`]) hands its octets
    /// over: the next `serialize_bytes` is that int or str, not a bytes value.
    leaf: Option<Leaf>,
}

#[derive(Clone, Copy, Debug)]
enum Leaf {
    /// Little-endian two's complement of an int.
    Int,
    /// Generalized UTF-8 of a str.
    Str,
}

impl<O: Output> Serializer<O> {
    /// A serializer appending to `out`, with depth limit [`DEFAULT_MAX_DEPTH`].
    ///
    /// ```
    /// use serde::Serialize;
    /// let mut ser = frozenpack::Serializer::new(Vec::new());
    /// Some(5u64).serialize(&mut ser)?;
    /// assert_eq!(ser.into_inner(), b"\x05");
    /// # Ok::<(), frozenpack::SerdeError>(())
    /// ```
    pub fn new(out: O) -> Self {
        Serializer {
            writer: Writer::new(out),
            depth: 0,
            max_depth: DEFAULT_MAX_DEPTH,
            leaf: None,
        }
    }

    /// The same serializer with depth limit `max_depth`: the greatest level at which a
    /// tuple may stand. serde recurses once per level, at up to about 1.5 KiB of native
    /// stack each in an unoptimized build, so raise it only with the stack to match.
    ///
    /// ```
    /// use serde::Serialize;
    /// let mut ser = frozenpack::Serializer::new(Vec::new()).with_max_depth(1);
    /// let err = ((1u8,),).serialize(&mut ser).unwrap_err();
    /// assert_eq!(err.to_string(), "a tuple at level 2 exceeds the serializer's depth limit 1");
    /// ```
    pub fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// The output.
    ///
    /// ```
    /// let ser = frozenpack::Serializer::new(vec![0xc0]);
    /// assert_eq!(ser.into_inner(), b"\xc0");
    /// ```
    pub fn into_inner(self) -> O {
        self.writer.into_inner()
    }

    /// Enters a tuple: refused beyond the depth limit.
    #[inline]
    fn open(&mut self) -> Result<(), SerdeError> {
        if self.depth >= self.max_depth {
            return Err(SerdeError::new(
                SerdeErrorKind::Unsupported,
                format_args!(
                    "a tuple at level {} exceeds the serializer's depth limit {}",
                    self.depth as u128 + 1,
                    self.max_depth
                ),
            ));
        }
        self.depth += 1;
        Ok(())
    }

    #[inline]
    fn close(&mut self) {
        self.depth -= 1;
    }

    /// A tuple of `len` items starts (known length) or is buffered (unknown length).
    #[inline]
    fn compound(&mut self, len: Option<usize>) -> Result<Compound<'_, O>, SerdeError> {
        match len {
            Some(len) => self.known(len),
            None => self.buffered(),
        }
    }

    /// A tuple of `len` items starts: its header now, its items straight after.
    #[inline]
    fn known(&mut self, len: usize) -> Result<Compound<'_, O>, SerdeError> {
        self.open()?;
        self.writer.put_tuple_header(len);
        Ok(Compound {
            ser: self,
            len: Some(len),
            count: 0,
            scratch: None,
        })
    }

    /// A tuple of unknown length starts: its items go to a scratch buffer until the count
    /// for the header is known.
    #[inline(never)]
    fn buffered(&mut self) -> Result<Compound<'_, O>, SerdeError> {
        self.open()?;
        let scratch = Box::new(Serializer {
            writer: Writer::new(Vec::new()),
            depth: self.depth,
            max_depth: self.max_depth,
            leaf: None,
        });
        Ok(Compound {
            ser: self,
            len: None,
            count: 0,
            scratch: Some(scratch),
        })
    }

    /// A variant with a payload: the tuple `(variant, item…)` of `len` payload items.
    fn variant(&mut self, variant: &str, len: usize) -> Result<Compound<'_, O>, SerdeError> {
        self.open()?;
        self.writer.put_tuple_header(len + 1);
        self.writer.put_str(variant);
        Ok(Compound {
            ser: self,
            len: Some(len),
            count: 0,
            scratch: None,
        })
    }
}

/// The items of a tuple being serialized: written straight through when the length is
/// known up front, else into a scratch buffer until the count is known (the header, which
/// holds the count, comes first). Each level of unknown-length nesting copies its items
/// once more; sequences and maps of known length (every standard collection's) copy
/// nothing.
///
/// It is the serializer's `SerializeSeq`, `SerializeMap`, `SerializeStruct`, … type; serde's
/// traits are its interface.
///
/// ```
/// use serde::ser::{SerializeSeq, Serializer as _};
/// let mut ser = frozenpack::Serializer::new(Vec::new());
/// let mut seq = (&mut ser).serialize_seq(None)?; // length unknown: buffered
/// seq.serialize_element("a")?;
/// seq.serialize_element(&2u8)?;
/// seq.end()?;
/// assert_eq!(ser.into_inner(), b"\xb2\x81a\x02");
/// # Ok::<(), frozenpack::SerdeError>(())
/// ```
#[derive(Debug)]
pub struct Compound<'a, O> {
    ser: &'a mut Serializer<O>,
    /// The announced length, when there was one.
    len: Option<usize>,
    /// Items (or pairs) serialized so far.
    count: usize,
    scratch: Option<Box<Serializer<Vec<u8>>>>,
}

impl<O: Output> Compound<'_, O> {
    #[inline]
    fn item<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerdeError> {
        self.count += 1;
        match &mut self.scratch {
            Some(scratch) => value.serialize(&mut **scratch),
            None => value.serialize(&mut *self.ser),
        }
    }

    /// A map entry's pair tuple opens, with its key.
    fn key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), SerdeError> {
        self.count += 1;
        match &mut self.scratch {
            Some(scratch) => pair_key(scratch, key),
            None => pair_key(self.ser, key),
        }
    }

    /// A map entry's value, closing its pair tuple.
    fn value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerdeError> {
        match &mut self.scratch {
            Some(scratch) => pair_value(scratch, value),
            None => pair_value(self.ser, value),
        }
    }

    #[inline]
    fn end(self) -> Result<(), SerdeError> {
        match (self.scratch, self.len) {
            (Some(scratch), _) => append_buffered(self.ser, self.count, *scratch),
            (None, Some(len)) if len != self.count => return Err(announced(len, self.count)),
            (None, _) => {}
        }
        self.ser.close();
        Ok(())
    }
}

/// The header of a tuple of unknown length, now that its `count` items are in `scratch`,
/// then the items.
#[inline(never)]
fn append_buffered<O: Output>(ser: &mut Serializer<O>, count: usize, scratch: Serializer<Vec<u8>>) {
    ser.writer.put_tuple_header(count);
    ser.writer.append_encoded(&scratch.into_inner());
}

/// A `Serialize` impl announced `len` items and gave `count`.
#[cold]
#[inline(never)]
fn announced(len: usize, count: usize) -> SerdeError {
    SerdeError::new(
        SerdeErrorKind::Unsupported,
        format_args!("the Serialize impl announced {len} items but gave {count}"),
    )
}

fn pair_key<O: Output, T: ?Sized + Serialize>(
    ser: &mut Serializer<O>,
    key: &T,
) -> Result<(), SerdeError> {
    ser.open()?;
    ser.writer.put_tuple_header(2);
    key.serialize(ser)
}

fn pair_value<O: Output, T: ?Sized + Serialize>(
    ser: &mut Serializer<O>,
    value: &T,
) -> Result<(), SerdeError> {
    value.serialize(&mut *ser)?;
    ser.close();
    Ok(())
}

impl<'a, O: Output> ser::Serializer for &'a mut Serializer<O> {
    type Ok = ();
    type Error = SerdeError;
    type SerializeSeq = Compound<'a, O>;
    type SerializeTuple = Compound<'a, O>;
    type SerializeTupleStruct = Compound<'a, O>;
    type SerializeTupleVariant = Compound<'a, O>;
    type SerializeMap = Compound<'a, O>;
    type SerializeStruct = Compound<'a, O>;
    type SerializeStructVariant = Compound<'a, O>;

    #[inline]
    fn serialize_bool(self, v: bool) -> Result<(), SerdeError> {
        self.writer.put_bool(v);
        Ok(())
    }

    #[inline]
    fn serialize_i8(self, v: i8) -> Result<(), SerdeError> {
        self.serialize_i64(i64::from(v))
    }

    #[inline]
    fn serialize_i16(self, v: i16) -> Result<(), SerdeError> {
        self.serialize_i64(i64::from(v))
    }

    #[inline]
    fn serialize_i32(self, v: i32) -> Result<(), SerdeError> {
        self.serialize_i64(i64::from(v))
    }

    #[inline]
    fn serialize_i64(self, v: i64) -> Result<(), SerdeError> {
        self.writer.put_i64(v);
        Ok(())
    }

    #[inline]
    fn serialize_i128(self, v: i128) -> Result<(), SerdeError> {
        self.writer.put_i128(v);
        Ok(())
    }

    #[inline]
    fn serialize_u8(self, v: u8) -> Result<(), SerdeError> {
        self.serialize_i64(i64::from(v))
    }

    #[inline]
    fn serialize_u16(self, v: u16) -> Result<(), SerdeError> {
        self.serialize_i64(i64::from(v))
    }

    #[inline]
    fn serialize_u32(self, v: u32) -> Result<(), SerdeError> {
        self.serialize_i64(i64::from(v))
    }

    #[inline]
    fn serialize_u64(self, v: u64) -> Result<(), SerdeError> {
        self.writer.put_u64(v);
        Ok(())
    }

    #[inline]
    fn serialize_u128(self, v: u128) -> Result<(), SerdeError> {
        self.writer.put_u128(v);
        Ok(())
    }

    /// Widened to 64 bits exactly, NaN payloads included.
    #[inline]
    fn serialize_f32(self, v: f32) -> Result<(), SerdeError> {
        self.writer.put_f64_bits(widen(v).to_bits());
        Ok(())
    }

    #[inline]
    fn serialize_f64(self, v: f64) -> Result<(), SerdeError> {
        self.writer.put_f64_bits(v.to_bits());
        Ok(())
    }

    #[inline]
    fn serialize_char(self, v: char) -> Result<(), SerdeError> {
        self.writer.put_str(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    #[inline]
    fn serialize_str(self, v: &str) -> Result<(), SerdeError> {
        self.writer.put_str(v);
        Ok(())
    }

    #[inline]
    fn serialize_bytes(self, v: &[u8]) -> Result<(), SerdeError> {
        match self.leaf.take() {
            None => self.writer.put_bytes(v),
            Some(Leaf::Int) => self.writer.put_int_le(v),
            Some(Leaf::Str) => self.writer.put_generalized_utf8(v).map_err(|e| {
                SerdeError::new(
                    SerdeErrorKind::Unsupported,
                    format_args!("a surrogate str's octets are not generalized UTF-8: {e}"),
                )
            })?,
        }
        Ok(())
    }

    #[inline]
    fn serialize_none(self) -> Result<(), SerdeError> {
        self.writer.put_none();
        Ok(())
    }

    #[inline]
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), SerdeError> {
        value.serialize(self)
    }

    #[inline]
    fn serialize_unit(self) -> Result<(), SerdeError> {
        self.writer.put_none();
        Ok(())
    }

    #[inline]
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), SerdeError> {
        self.writer.put_none();
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), SerdeError> {
        self.writer.put_str(variant);
        Ok(())
    }

    /// The inner value; for the private names of [`BigInt`](crate::BigInt) and
    /// [`SurrogateStr`](crate::SurrogateStr), the int or str whose octets the inner value
    /// gives.
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), SerdeError> {
        let leaf = match name {
            BIGINT_TOKEN => Leaf::Int,
            SSTR_TOKEN => Leaf::Str,
            _ => return value.serialize(self),
        };
        self.leaf = Some(leaf);
        value.serialize(&mut *self)?;
        match self.leaf.take() {
            None => Ok(()),
            Some(_) => Err(SerdeError::new(
                SerdeErrorKind::Unsupported,
                format_args!("the private newtype name {name:?} must wrap bytes"),
            )),
        }
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), SerdeError> {
        self.open()?;
        self.writer.put_tuple_header(2);
        self.writer.put_str(variant);
        value.serialize(&mut *self)?;
        self.close();
        Ok(())
    }

    #[inline]
    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a, O>, SerdeError> {
        self.compound(len)
    }

    #[inline]
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, O>, SerdeError> {
        self.known(len)
    }

    #[inline]
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a, O>, SerdeError> {
        self.known(len)
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a, O>, SerdeError> {
        self.variant(variant, len)
    }

    #[inline]
    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a, O>, SerdeError> {
        self.compound(len)
    }

    #[inline]
    fn serialize_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a, O>, SerdeError> {
        self.known(len)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a, O>, SerdeError> {
        self.variant(variant, len)
    }

    fn is_human_readable(&self) -> bool {
        false
    }
}

impl<O: Output> ser::SerializeSeq for Compound<'_, O> {
    type Ok = ();
    type Error = SerdeError;

    #[inline]
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerdeError> {
        self.item(value)
    }

    #[inline]
    fn end(self) -> Result<(), SerdeError> {
        Compound::end(self)
    }
}

impl<O: Output> ser::SerializeTuple for Compound<'_, O> {
    type Ok = ();
    type Error = SerdeError;

    #[inline]
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerdeError> {
        self.item(value)
    }

    #[inline]
    fn end(self) -> Result<(), SerdeError> {
        Compound::end(self)
    }
}

impl<O: Output> ser::SerializeTupleStruct for Compound<'_, O> {
    type Ok = ();
    type Error = SerdeError;

    #[inline]
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerdeError> {
        self.item(value)
    }

    #[inline]
    fn end(self) -> Result<(), SerdeError> {
        Compound::end(self)
    }
}

impl<O: Output> ser::SerializeTupleVariant for Compound<'_, O> {
    type Ok = ();
    type Error = SerdeError;

    #[inline]
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerdeError> {
        self.item(value)
    }

    #[inline]
    fn end(self) -> Result<(), SerdeError> {
        Compound::end(self)
    }
}

impl<O: Output> ser::SerializeMap for Compound<'_, O> {
    type Ok = ();
    type Error = SerdeError;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), SerdeError> {
        self.key(key)
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerdeError> {
        self.value(value)
    }

    #[inline]
    fn end(self) -> Result<(), SerdeError> {
        Compound::end(self)
    }
}

/// A field that `skip_serializing_if` leaves out would shift every later field into the
/// wrong position (struct fields are written by position, without names), so it is an
/// error rather than a silently unreadable encoding.
fn skipped(key: &'static str) -> SerdeError {
    SerdeError::new(
        SerdeErrorKind::Unsupported,
        format_args!(
            "field `{key}` was skipped: frozenpack writes struct fields by position, so a \
             skipped field would shift the ones after it (drop skip_serializing_if)"
        ),
    )
}

impl<O: Output> ser::SerializeStruct for Compound<'_, O> {
    type Ok = ();
    type Error = SerdeError;

    #[inline]
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        _key: &'static str,
        value: &T,
    ) -> Result<(), SerdeError> {
        self.item(value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), SerdeError> {
        Err(skipped(key))
    }

    #[inline]
    fn end(self) -> Result<(), SerdeError> {
        Compound::end(self)
    }
}

impl<O: Output> ser::SerializeStructVariant for Compound<'_, O> {
    type Ok = ();
    type Error = SerdeError;

    #[inline]
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        _key: &'static str,
        value: &T,
    ) -> Result<(), SerdeError> {
        self.item(value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), SerdeError> {
        Err(skipped(key))
    }

    #[inline]
    fn end(self) -> Result<(), SerdeError> {
        Compound::end(self)
    }
}
