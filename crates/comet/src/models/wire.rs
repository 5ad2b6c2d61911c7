//! Serde helpers that make the models accept what Comet actually sends (Go `null` for nil
//! slices/maps) and emit what it would send (omitempty keys left out when zero).

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// Deserialize `null` as the type's default value. Used for struct values and `omitempty`
/// collections (Go leaves a nil one out, so its `null` need not survive); arrays and maps that
/// are always present use [`Nullable`](super::Nullable) instead, which writes `null` back.
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// `skip_serializing_if` predicate for Go `omitempty` keys.
pub(crate) fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// An opaque secret (password hash, TOTP key, vault key, access key): round-tripped byte for
/// byte, never printed by `Debug`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl Secret {
    /// The raw value, for the rare caller that must hand it on.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when no secret is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() { f.write_str("Secret(\"\")") } else { f.write_str("Secret(<redacted>)") }
    }
}

/// Unknown JSON keys of a struct, kept so whole-document writes do not delete them.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// An opaque JSON value that carries credentials (e.g. a `VMwareConnection`): round-tripped
/// unchanged, never printed by `Debug`.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretJson(pub serde_json::Value);

impl fmt::Debug for SecretJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretJson(<redacted>)")
    }
}
