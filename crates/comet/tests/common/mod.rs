//! Shared helpers of the integration tests.
#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;

/// Text of a golden fixture in `fixtures/comet/`.
pub fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/comet").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Assert `after` equals `before` exactly as JSON (key order ignored; `null` stays `null`, `[]`
/// stays `[]`), naming the first differing path.
pub fn assert_same_json(before: &Value, after: &Value, path: &str) {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            for (k, bv) in b {
                let av = a.get(k).unwrap_or_else(|| panic!("{path}.{k} dropped by the round trip"));
                assert_same_json(bv, av, &format!("{path}.{k}"));
            }
            for k in a.keys() {
                assert!(b.contains_key(k), "{path}.{k} added by the round trip: {}", a[k]);
            }
        }
        (Value::Array(b), Value::Array(a)) => {
            assert_eq!(b.len(), a.len(), "{path}: array length changed");
            for (i, (bv, av)) in b.iter().zip(a).enumerate() {
                assert_same_json(bv, av, &format!("{path}[{i}]"));
            }
        }
        _ => assert_eq!(before, after, "{path} changed"),
    }
}

/// Parse `text` as `T`, serialise it back and compare.
pub fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> T {
    let before: Value = serde_json::from_str(text).expect("fixture is JSON");
    let typed: T = serde_json::from_str(text).expect("fixture parses as the model");
    let after = serde_json::to_value(&typed).expect("model serialises");
    assert_same_json(&before, &after, "$");
    assert_eq!(before, after, "round trip changed the document");
    typed
}
