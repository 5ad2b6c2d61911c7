//! Client software downloads: the installer bytes and the filename the server suggests in
//! `Content-Disposition`.

/// A downloaded file.
#[derive(Clone, PartialEq, Eq)]
pub struct Download {
    /// Suggested file name (from `Content-Disposition`, path components removed), if any.
    pub filename: Option<String>,
    /// File content.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download").field("filename", &self.filename).field("bytes", &self.bytes.len()).finish()
    }
}

/// The filename of a `Content-Disposition` header: `filename*=UTF-8''…` (RFC 5987) wins over
/// `filename=`. Directory parts are dropped so the name is safe to save as-is.
pub(crate) fn disposition_filename(header: &str) -> Option<String> {
    let params: Vec<(String, &str)> = header
        .split(';')
        .skip(1)
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim()))
        .collect();
    let extended = params
        .iter()
        .find(|(k, _)| k == "filename*")
        .and_then(|(_, v)| v.split_once("''"))
        .and_then(|(_, encoded)| percent_decode(encoded));
    let plain = || params.iter().find(|(k, _)| k == "filename").map(|(_, v)| unquote(v));
    let name = extended.or_else(plain)?;
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    (!base.is_empty() && base != "." && base != "..").then(|| base.to_owned())
}

fn unquote(v: &str) -> String {
    let inner = v.strip_prefix('"').and_then(|s| s.strip_suffix('"'));
    match inner {
        Some(s) => s.replace("\\\"", "\"").replace("\\\\", "\\"),
        None => v.to_owned(),
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::disposition_filename as f;

    #[test]
    fn content_disposition_forms() {
        assert_eq!(f(r#"attachment; filename="Comet Backup 25.9.6.zip""#).as_deref(), Some("Comet Backup 25.9.6.zip"));
        assert_eq!(f("attachment; filename=install.run").as_deref(), Some("install.run"));
        assert_eq!(
            f(r#"attachment; filename="fallback.exe"; filename*=UTF-8''Caf%C3%A9%20Setup.exe"#).as_deref(),
            Some("Café Setup.exe")
        );
        assert_eq!(f(r#"attachment; filename="../../etc/passwd""#).as_deref(), Some("passwd"));
        assert_eq!(f(r#"attachment; filename="C:\\temp\\x.msi""#).as_deref(), Some("x.msi"));
        assert_eq!(f("attachment"), None);
        assert_eq!(f(r#"attachment; filename="..""#), None);
        assert_eq!(f("attachment; filename*=UTF-8''bad%zz"), None);
    }
}
