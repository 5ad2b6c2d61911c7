//! Decoding of Comet's JSON answers, shared by every endpoint.
//!
//! Comet is written in Go, whose encoder writes a nil slice or map as `null`. Whole answers are
//! often nil when there is nothing to report: `AdminGetJobsForDateRange(0,0)` with nothing
//! running, `AdminListUsersFull` on an empty server, `AdminDispatcherListActive` with no device
//! online. Both official SDKs accept that; so does [`decode`], for any declared collection type,
//! without each endpoint having to know. Fields inside objects are covered by the models
//! themselves (`Nullable*` and `null_as_default`), because `#[serde(flatten)]` buffers a struct's
//! fields before they are decoded and a wrapper around the deserializer would not reach them.

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use std::fmt;

use crate::error::CometError;

/// Decode the body of `endpoint` as `T`; a top-level `null` is an empty array or map when `T` is
/// one. (A model with unknown-key capture is read as a map too, so `null` there gives its zero
/// value: what Go's `json.Unmarshal` leaves in the SDKs' result in the same case.)
pub(crate) fn decode<T: DeserializeOwned>(endpoint: &str, body: &[u8]) -> Result<T, CometError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    T::deserialize(NullAsEmpty(&mut de))
        .and_then(|value| de.end().map(|()| value))
        .map_err(|source| CometError::Decode { endpoint: endpoint.to_owned(), source })
}

/// A deserializer that answers a request for a sequence or map with an empty one when the input
/// is `null`, and otherwise behaves exactly like the one it wraps.
struct NullAsEmpty<D>(D);

#[derive(Clone, Copy)]
enum Want {
    Seq,
    Map,
}

/// Wraps the caller's visitor so that `null` (reported by `deserialize_any` as unit) becomes an
/// empty collection; every other input reaches the caller's visitor unchanged.
struct EmptyOnUnit<V> {
    inner: V,
    want: Want,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for EmptyOnUnit<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        match self.want {
            Want::Seq => self.inner.visit_seq(SeqDeserializer::<_, E>::new(std::iter::empty::<()>())),
            Want::Map => self.inner.visit_map(MapDeserializer::<_, E>::new(std::iter::empty::<((), ())>())),
        }
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.inner.visit_seq(seq)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.inner.visit_map(map)
    }
}

macro_rules! forward {
    ($($method:ident),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                self.0.$method(visitor)
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for NullAsEmpty<D> {
    type Error = D::Error;

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_any(EmptyOnUnit { inner: visitor, want: Want::Seq })
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_any(EmptyOnUnit { inner: visitor, want: Want::Map })
    }

    forward!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_identifier,
        deserialize_ignored_any,
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_newtype_struct(name, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_tuple(len, visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_tuple_struct(name, len, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_struct(name, fields, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn null_is_an_empty_collection_only_where_one_is_declared() {
        assert_eq!(decode::<Vec<String>>("e", b"null").unwrap(), Vec::<String>::new());
        assert_eq!(decode::<Vec<String>>("e", b" null ").unwrap(), Vec::<String>::new());
        assert!(decode::<BTreeMap<String, i64>>("e", b"null").unwrap().is_empty());
        assert_eq!(decode::<Vec<String>>("e", br#"["a"]"#).unwrap(), vec!["a".to_string()]);
        assert_eq!(decode::<BTreeMap<String, i64>>("e", br#"{"a":1}"#).unwrap()["a"], 1);
        assert_eq!(decode::<Option<Vec<String>>>("e", b"null").unwrap(), None);
        // Wrong types still fail.
        assert!(decode::<Vec<String>>("e", br#""x""#).is_err());
        assert!(decode::<Vec<String>>("e", b"null trailing").is_err());
    }
}
