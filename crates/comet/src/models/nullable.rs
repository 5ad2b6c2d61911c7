//! Collections that remember whether Comet sent them as `null`.
//!
//! Go serialises a nil slice or map as `null` and an empty one as `[]`/`{}`. Comet stores what it
//! was sent, so a profile read and written back unchanged must say `null` again where it said
//! `null` (issue 3: lossless round trip). [`Nullable`] wraps the collection, derefs to it so
//! callers use it as a plain `Vec`/`BTreeMap`, and writes `null` only while it is still empty
//! after having been read as `null`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Deref, DerefMut};

/// A collection whose emptiness can be observed without knowing its element type.
pub trait Collection {
    /// True when the collection holds nothing.
    fn is_empty(&self) -> bool;
}

impl<T> Collection for Vec<T> {
    fn is_empty(&self) -> bool {
        Vec::is_empty(self)
    }
}

impl<K, V> Collection for BTreeMap<K, V> {
    fn is_empty(&self) -> bool {
        BTreeMap::is_empty(self)
    }
}

/// A JSON array or object that may have arrived as `null`.
///
/// Reads `null` as an empty collection and writes it back as `null` as long as it stays empty;
/// once something is inserted it is written as the collection. A value built in Rust (via
/// `Default`, `From` or `collect`) is never null and writes `[]`/`{}`.
#[derive(Clone, Default)]
pub struct Nullable<C> {
    items: C,
    /// Set when the wire value was `null`.
    was_null: bool,
}

/// An array that may be `null` on the wire.
pub type NullableVec<T> = Nullable<Vec<T>>;

/// A map that may be `null` on the wire.
pub type NullableMap<K, V> = Nullable<BTreeMap<K, V>>;

impl<C: Collection + Default> Nullable<C> {
    /// An empty collection that writes as `null` (what Go sends for a nil slice or map).
    pub fn null() -> Self {
        Self { items: C::default(), was_null: true }
    }
}

impl<C: Collection> Nullable<C> {
    /// True when this value serialises as `null`: it was read (or built) as `null` and is still
    /// empty.
    pub fn is_null(&self) -> bool {
        self.was_null && self.items.is_empty()
    }

    /// The collection, dropping the null marker.
    pub fn into_inner(self) -> C {
        self.items
    }
}

impl<C> Deref for Nullable<C> {
    type Target = C;
    fn deref(&self) -> &C {
        &self.items
    }
}

impl<C> DerefMut for Nullable<C> {
    fn deref_mut(&mut self) -> &mut C {
        &mut self.items
    }
}

impl<C> AsRef<C> for Nullable<C> {
    fn as_ref(&self) -> &C {
        &self.items
    }
}

impl<C> From<C> for Nullable<C> {
    fn from(items: C) -> Self {
        Self { items, was_null: false }
    }
}

impl<T, const N: usize> From<[T; N]> for Nullable<Vec<T>> {
    fn from(items: [T; N]) -> Self {
        Vec::from(items).into()
    }
}

impl<A, C: FromIterator<A>> FromIterator<A> for Nullable<C> {
    fn from_iter<I: IntoIterator<Item = A>>(iter: I) -> Self {
        C::from_iter(iter).into()
    }
}

impl<A, C: Extend<A>> Extend<A> for Nullable<C> {
    fn extend<I: IntoIterator<Item = A>>(&mut self, iter: I) {
        self.items.extend(iter);
    }
}

impl<C: IntoIterator> IntoIterator for Nullable<C> {
    type Item = C::Item;
    type IntoIter = C::IntoIter;
    fn into_iter(self) -> C::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, C> IntoIterator for &'a Nullable<C>
where
    &'a C: IntoIterator,
{
    type Item = <&'a C as IntoIterator>::Item;
    type IntoIter = <&'a C as IntoIterator>::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        (&self.items).into_iter()
    }
}

impl<'a, C> IntoIterator for &'a mut Nullable<C>
where
    &'a mut C: IntoIterator,
{
    type Item = <&'a mut C as IntoIterator>::Item;
    type IntoIter = <&'a mut C as IntoIterator>::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        (&mut self.items).into_iter()
    }
}

/// Equal when both write the same JSON: same elements and both (or neither) `null`.
impl<C: Collection + PartialEq> PartialEq for Nullable<C> {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items && self.is_null() == other.is_null()
    }
}

impl<C: Collection + Eq> Eq for Nullable<C> {}

/// Compares the elements only, so `assert_eq!(profile.emails, vec![...])` reads naturally.
impl<T: PartialEq<U>, U> PartialEq<Vec<U>> for Nullable<Vec<T>> {
    fn eq(&self, other: &Vec<U>) -> bool {
        self.items == *other
    }
}

/// Compares the elements only.
impl<T: PartialEq<U>, U> PartialEq<[U]> for Nullable<Vec<T>> {
    fn eq(&self, other: &[U]) -> bool {
        self.items == *other
    }
}

/// Compares the elements only.
impl<T: PartialEq<U>, U, const N: usize> PartialEq<[U; N]> for Nullable<Vec<T>> {
    fn eq(&self, other: &[U; N]) -> bool {
        self.items == *other
    }
}

/// Compares the entries only.
impl<K: PartialEq, V: PartialEq> PartialEq<BTreeMap<K, V>> for Nullable<BTreeMap<K, V>> {
    fn eq(&self, other: &BTreeMap<K, V>) -> bool {
        self.items == *other
    }
}

impl<C: Collection + fmt::Debug> fmt::Debug for Nullable<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_null() { f.write_str("null") } else { self.items.fmt(f) }
    }
}

impl<C: Collection + Serialize> Serialize for Nullable<C> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_null() { s.serialize_none() } else { self.items.serialize(s) }
    }
}

impl<'de, C: Default + Deserialize<'de>> Deserialize<'de> for Nullable<C> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<C>::deserialize(d)? {
            Some(items) => Self { items, was_null: false },
            None => Self { items: C::default(), was_null: true },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn null_reads_empty_and_writes_null() {
        let v: NullableVec<String> = serde_json::from_value(json!(null)).unwrap();
        assert!(v.is_empty() && v.is_null());
        assert_eq!(serde_json::to_value(&v).unwrap(), json!(null));
        let m: NullableMap<String, i64> = serde_json::from_value(json!(null)).unwrap();
        assert_eq!(serde_json::to_value(&m).unwrap(), json!(null));
    }

    #[test]
    fn empty_stays_empty() {
        let v: NullableVec<String> = serde_json::from_value(json!([])).unwrap();
        assert!(!v.is_null());
        assert_eq!(serde_json::to_value(&v).unwrap(), json!([]));
        let m: NullableMap<String, i64> = serde_json::from_value(json!({})).unwrap();
        assert_eq!(serde_json::to_value(&m).unwrap(), json!({}));
        assert_eq!(serde_json::to_value(NullableVec::<i64>::default()).unwrap(), json!([]));
    }

    #[test]
    fn a_null_that_gains_items_writes_them_and_null_again_once_emptied() {
        let mut v: NullableVec<String> = serde_json::from_value(json!(null)).unwrap();
        v.push("echo hi".into());
        assert_eq!(serde_json::to_value(&v).unwrap(), json!(["echo hi"]));
        v.clear();
        assert_eq!(serde_json::to_value(&v).unwrap(), json!(null));
    }

    #[test]
    fn equality_follows_the_wire() {
        let null = NullableVec::<i64>::null();
        let empty = NullableVec::<i64>::default();
        assert_ne!(null, empty);
        assert_eq!(null, Vec::<i64>::new(), "element comparison ignores null");
        let mut grown = NullableVec::<i64>::null();
        grown.push(1);
        assert_eq!(grown, NullableVec::from(vec![1]));
    }

    #[test]
    fn behaves_like_the_collection() {
        let mut m: NullableMap<String, i64> = [("a".to_owned(), 1)].into_iter().collect();
        m.insert("b".into(), 2);
        assert_eq!(m["b"], 2);
        let keys: Vec<&String> = (&m).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(format!("{:?}", NullableVec::<i64>::null()), "null");
        assert_eq!(format!("{:?}", NullableVec::from(vec![1])), "[1]");
    }
}
