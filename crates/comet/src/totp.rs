//! Time-based one-time codes (RFC 6238 with the defaults every authenticator app uses: HMAC-SHA1,
//! 30-second steps, 6 digits) from the base32 secret an admin account's QR code carries.
//!
//! Comet accepts each code once, so an unattended process that must log in again (a reconnecting
//! worker) needs the secret, not a code: see [`crate::Credentials::totp_secret`].

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use thiserror::Error;

/// Seconds per code.
pub const STEP_SECS: i64 = 30;
const DIGITS: u32 = 6;

/// A TOTP secret that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TotpError {
    /// Not RFC 4648 base32 (`A`–`Z`, `2`–`7`; case, spaces, dashes and `=` padding are ignored).
    #[error("the TOTP secret is not base32 (letters A-Z and digits 2-7)")]
    NotBase32,
    /// Nothing left after ignoring separators.
    #[error("the TOTP secret is empty")]
    Empty,
}

/// The time step `unix_secs` falls in.
pub fn step_of(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(STEP_SECS)
}

/// The code for `secret` (base32) in time step `step`.
pub fn code_for_step(secret: &str, step: i64) -> Result<String, TotpError> {
    let key = decode_base32(secret)?;
    Ok(hotp(&key, step as u64))
}

/// The code for `secret` (base32) at `unix_secs`.
pub fn code_at(secret: &str, unix_secs: i64) -> Result<String, TotpError> {
    code_for_step(secret, step_of(unix_secs))
}

/// Checks that `secret` can produce codes (for configuration checks at start-up).
pub fn validate_secret(secret: &str) -> Result<(), TotpError> {
    decode_base32(secret).map(|_| ())
}

/// RFC 4226 HOTP, truncated to [`DIGITS`] digits.
fn hotp(key: &[u8], counter: u64) -> String {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let bin = u32::from_be_bytes([digest[offset] & 0x7f, digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
    format!("{:0width$}", bin % 10u32.pow(DIGITS), width = DIGITS as usize)
}

fn decode_base32(secret: &str) -> Result<Vec<u8>, TotpError> {
    let mut out = Vec::with_capacity(secret.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    let mut any = false;
    for c in secret.chars().filter(|c| !matches!(c, ' ' | '-' | '=')) {
        let value = match c.to_ascii_uppercase() {
            c @ 'A'..='Z' => c as u32 - 'A' as u32,
            c @ '2'..='7' => c as u32 - '2' as u32 + 26,
            _ => return Err(TotpError::NotBase32),
        };
        any = true;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    if any { Ok(out) } else { Err(TotpError::Empty) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B (SHA-1 key "12345678901234567890"), last six of the eight digits.
    #[test]
    fn rfc_6238_test_vectors() {
        let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // base32 of the ASCII key
        for (t, code) in [(59, "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"), (1_234_567_890, "005924")] {
            assert_eq!(code_at(secret, t).unwrap(), code, "T = {t}");
        }
        assert_eq!(code_at("gezd gnbv-gy3t qojq gezdgnbvgy3tqojq==", 59).unwrap(), "287082");
    }

    #[test]
    fn bad_secrets_are_refused() {
        assert_eq!(validate_secret("not base32!"), Err(TotpError::NotBase32));
        assert_eq!(validate_secret("0189"), Err(TotpError::NotBase32));
        assert_eq!(validate_secret(" - "), Err(TotpError::Empty));
        assert!(validate_secret("JBSWY3DPEHPK3PXP").is_ok());
    }

    #[test]
    fn steps_are_thirty_seconds() {
        assert_eq!(step_of(0), 0);
        assert_eq!(step_of(29), 0);
        assert_eq!(step_of(30), 1);
        assert_eq!(step_of(-1), -1);
    }
}
