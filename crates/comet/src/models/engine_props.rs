//! Typed access to `SourceConfig.EngineProps` (§5.4.2). The map stays the source of truth (it
//! round-trips unchanged); these helpers read and rewrite the documented keys of Files and
//! Folders items (prefix-keyed selections and presence flags).

use super::source::SourceConfig;
use super::wire::{Extra, Secret};
use serde::{Deserialize, Serialize};

/// EngineProps key prefixes and flags of `engine1/file`.
pub mod keys {
    /// An included path.
    pub const INCLUDE: &str = "INCLUDE";
    /// An exclusion, glob syntax.
    pub const EXCLUDE: &str = "EXCLUDE";
    /// An exclusion, regular-expression syntax.
    pub const REXCLUDE: &str = "REXCLUDE";
    /// JSON `SourceIncludePattern`, glob inclusion.
    pub const PINCLUDE: &str = "PINCLUDE";
    /// JSON `SourceIncludePattern`, regex inclusion.
    pub const RINCLUDE: &str = "RINCLUDE";
    /// JSON `WinSMBAuth` network-share credentials.
    pub const SMBAUTH: &str = "SMBAUTH";
    /// Present ⇒ take a filesystem snapshot (VSS).
    pub const USE_WIN_VSS: &str = "USE_WIN_VSS";
    /// Present ⇒ dismiss the EFS warning.
    pub const CONFIRM_EFS: &str = "CONFIRM_EFS";
    /// Present ⇒ rescan unchanged files.
    pub const RESCAN_UNCHANGED: &str = "RESCAN_UNCHANGED";
    /// Present ⇒ back up extra system permissions and attributes.
    pub const EXTRA_ATTRIBUTES: &str = "EXTRA_ATTRIBUTES";
}

/// A pattern inclusion (`PINCLUDE…` glob, `RINCLUDE…` regex).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SourceIncludePattern {
    /// Directory to search in.
    #[serde(rename = "TopDirectory")]
    pub top_directory: String,
    /// The pattern.
    #[serde(rename = "Value")]
    pub value: String,
}

/// Network-share credentials (`SMBAUTH…`, and `Wsa` of TestSmbAuth).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WinSMBAuth {
    /// UNC path of the share.
    #[serde(rename = "SharePath")]
    pub share_path: String,
    /// Login name.
    #[serde(rename = "Username")]
    pub username: String,
    /// Password (possibly hashed; plaintext with format 0).
    #[serde(rename = "Password")]
    pub password: Secret,
    /// `PASSWORD_FORMAT_*` of `password`.
    #[serde(rename = "PasswordFormat")]
    pub password_format: u64,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `prefix…` keys. The documented families never prefix one another (`INCLUDE` vs `PINCLUDE`,
/// `EXCLUDE` vs `REXCLUDE`), so a plain prefix test is exact.
fn has_prefix(key: &str, prefix: &str) -> bool {
    key.starts_with(prefix)
}

impl SourceConfig {
    /// Values of every `prefix…` key, in key order.
    pub fn engine_values(&self, prefix: &str) -> Vec<&str> {
        self.engine_props.iter().filter(|(k, _)| has_prefix(k, prefix)).map(|(_, v)| v.as_str()).collect()
    }

    /// Replace every `prefix…` key with `prefix0`, `prefix1`, … holding `values`.
    pub fn set_engine_values<I, S>(&mut self, prefix: &str, values: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.engine_props.retain(|k, _| !has_prefix(k, prefix));
        for (i, v) in values.into_iter().enumerate() {
            self.engine_props.insert(format!("{prefix}{i}"), v.into());
        }
    }

    /// Whether a presence flag such as [`keys::USE_WIN_VSS`] is set (its value is irrelevant).
    pub fn engine_flag(&self, key: &str) -> bool {
        self.engine_props.contains_key(key)
    }

    /// Set or clear a presence flag (set flags get the value `"1"`, as the Comet UI writes).
    pub fn set_engine_flag(&mut self, key: &str, on: bool) {
        if on {
            self.engine_props.entry(key.to_owned()).or_insert_with(|| "1".to_owned());
        } else {
            self.engine_props.remove(key);
        }
    }

    /// Files and Folders: included paths.
    pub fn file_includes(&self) -> Vec<&str> {
        self.engine_values(keys::INCLUDE)
    }

    /// Files and Folders: glob exclusions.
    pub fn file_excludes(&self) -> Vec<&str> {
        self.engine_values(keys::EXCLUDE)
    }

    /// Files and Folders: regex exclusions.
    pub fn file_regex_excludes(&self) -> Vec<&str> {
        self.engine_values(keys::REXCLUDE)
    }

    /// Files and Folders: glob (`regex` false) or regex (`regex` true) pattern inclusions. A
    /// value that is not a `SourceIncludePattern` is an error rather than silently dropped.
    pub fn file_pattern_includes(&self, regex: bool) -> Result<Vec<SourceIncludePattern>, serde_json::Error> {
        let prefix = if regex { keys::RINCLUDE } else { keys::PINCLUDE };
        self.engine_values(prefix).into_iter().map(serde_json::from_str).collect()
    }

    /// Files and Folders: replace the included paths.
    pub fn set_file_includes<I: IntoIterator<Item = S>, S: Into<String>>(&mut self, paths: I) {
        self.set_engine_values(keys::INCLUDE, paths);
    }

    /// Files and Folders: replace the glob exclusions.
    pub fn set_file_excludes<I: IntoIterator<Item = S>, S: Into<String>>(&mut self, globs: I) {
        self.set_engine_values(keys::EXCLUDE, globs);
    }

    /// Files and Folders: replace the regex exclusions.
    pub fn set_file_regex_excludes<I: IntoIterator<Item = S>, S: Into<String>>(&mut self, regexes: I) {
        self.set_engine_values(keys::REXCLUDE, regexes);
    }

    /// Files and Folders: replace the glob or regex pattern inclusions.
    pub fn set_file_pattern_includes(&mut self, regex: bool, patterns: &[SourceIncludePattern]) -> Result<(), serde_json::Error> {
        let prefix = if regex { keys::RINCLUDE } else { keys::PINCLUDE };
        let encoded = patterns.iter().map(serde_json::to_string).collect::<Result<Vec<_>, _>>()?;
        self.set_engine_values(prefix, encoded);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(props: &[(&str, &str)]) -> SourceConfig {
        SourceConfig {
            engine: crate::engine::ENGINE_FILE.into(),
            engine_props: props.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            ..SourceConfig::default()
        }
    }

    #[test]
    fn prefixes_do_not_claim_each_other() {
        let s = item(&[
            ("INCLUDE0", "C:\\a"),
            ("INCLUDEx", "C:\\b"),
            ("EXCLUDE0", "*.tmp"),
            ("REXCLUDE0", ".*\\.bak"),
            ("PINCLUDE0", r#"{"TopDirectory":"C:\\","Value":"*.doc"}"#),
            ("USE_WIN_VSS", ""),
        ]);
        assert_eq!(s.file_includes(), ["C:\\a", "C:\\b"]);
        assert_eq!(s.file_excludes(), ["*.tmp"]);
        assert_eq!(s.file_regex_excludes(), [".*\\.bak"]);
        let p = s.file_pattern_includes(false).unwrap();
        assert_eq!(p[0].value, "*.doc");
        assert!(s.file_pattern_includes(true).unwrap().is_empty());
        assert!(s.engine_flag(keys::USE_WIN_VSS) && !s.engine_flag(keys::CONFIRM_EFS));
    }

    #[test]
    fn setters_replace_only_their_family() {
        let mut s = item(&[("INCLUDE0", "old"), ("INCLUDE7", "old2"), ("EXCLUDE0", "*.tmp"), ("REXCLUDE0", "r")]);
        s.set_file_includes(["/home", "/etc"]);
        assert_eq!(s.engine_props.get("INCLUDE0").map(String::as_str), Some("/home"));
        assert_eq!(s.engine_props.get("INCLUDE1").map(String::as_str), Some("/etc"));
        assert!(!s.engine_props.contains_key("INCLUDE7"));
        s.set_file_excludes(Vec::<String>::new());
        assert!(s.file_excludes().is_empty());
        assert_eq!(s.file_regex_excludes(), ["r"], "REXCLUDE is not an EXCLUDE key");
        s.set_file_pattern_includes(true, &[SourceIncludePattern { top_directory: "/".into(), value: "a.*".into() }]).unwrap();
        assert_eq!(s.engine_props["RINCLUDE0"], r#"{"TopDirectory":"/","Value":"a.*"}"#);
        s.set_engine_flag(keys::USE_WIN_VSS, true);
        s.set_engine_flag(keys::USE_WIN_VSS, true);
        assert_eq!(s.engine_props[keys::USE_WIN_VSS], "1");
        s.set_engine_flag(keys::USE_WIN_VSS, false);
        assert!(!s.engine_flag(keys::USE_WIN_VSS));
    }

    #[test]
    fn malformed_pattern_is_an_error() {
        let s = item(&[("PINCLUDE0", "not json")]);
        assert!(s.file_pattern_includes(false).is_err());
    }
}
