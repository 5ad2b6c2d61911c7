//! The form body of an Admin API request (§1.4 encoding) and its redacted rendering for logs.

use serde::Serialize;

/// Fields whose values never reach a log line.
const SECRET_FIELDS: [&str; 9] = [
    "Password",
    "SessionKey",
    "TOTP",
    "TOTPCode",
    "TargetPassword",
    "NewPassword",
    "OldPassword",
    "TargetTOTPCode",
    "WebAuthnSign",
];

/// JSON-valued fields that can carry credentials (profiles, engine settings, vault locations,
/// application logins, restore targets): a JSON object in one is logged by size only (the same
/// names also carry plain IDs, e.g. `Source` of RunBackupCustom, which stay readable).
const SECRET_JSON_FIELDS: [&str; 6] = ["ProfileData", "Source", "ExtraData", "Wsa", "Credentials", "Options"];

/// Ordered `name=value` pairs of one request.
#[derive(Default, Clone)]
pub(crate) struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A string parameter, sent raw.
    pub(crate) fn text(mut self, name: &str, value: impl Into<String>) -> Self {
        self.pairs.push((name.to_owned(), value.into()));
        self
    }

    /// An optional parameter: omitted entirely when `None`.
    pub(crate) fn opt_text(self, name: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.text(name, v),
            None => self,
        }
    }

    /// An integer, as decimal text.
    pub(crate) fn int(self, name: &str, value: i64) -> Self {
        self.text(name, value.to_string())
    }

    /// A boolean, as `true`/`false` (what the Go SDK sends).
    pub(crate) fn flag(self, name: &str, value: bool) -> Self {
        self.text(name, if value { "true" } else { "false" })
    }

    /// A struct/array/map, as compact JSON text.
    pub(crate) fn json<T: Serialize + ?Sized>(self, name: &str, value: &T) -> Result<Self, serde_json::Error> {
        let text = serde_json::to_string(value)?;
        Ok(self.text(name, text))
    }

    pub(crate) fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// `name=value&…` with secrets replaced, for debug logs.
    pub(crate) fn redacted(&self) -> String {
        self.pairs
            .iter()
            .map(|(k, v)| {
                if SECRET_JSON_FIELDS.contains(&k.as_str()) && v.starts_with('{') {
                    format!("{k}=<{} bytes>", v.len())
                } else if SECRET_FIELDS.contains(&k.as_str()) && !v.is_empty() {
                    format!("{k}=<redacted>")
                } else {
                    format!("{k}={v}")
                }
            })
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_kinds_and_redacts_secrets() {
        let f = Form::new()
            .text("Username", "admin")
            .text("Password", "hunter2")
            .text("SessionKey", "")
            .int("Start", -5)
            .flag("Force", true)
            .json("Paths", &["a", "b"])
            .unwrap()
            .json("ProfileData", &serde_json::json!({"PasswordHash": "x"}))
            .unwrap();
        assert_eq!(f.pairs()[3], ("Start".into(), "-5".into()));
        assert_eq!(f.pairs()[4], ("Force".into(), "true".into()));
        assert_eq!(f.pairs()[5].1, r#"["a","b"]"#);
        let log = f.redacted();
        assert!(!log.contains("hunter2") && !log.contains("PasswordHash"), "{log}");
        assert!(log.contains("Password=<redacted>") && log.contains("SessionKey=&"), "{log}");
        assert!(log.contains("ProfileData=<20 bytes>"), "{log}");
    }
}
