//! Time-based one-time codes as a real Comet Server checks them (RFC 6238: HMAC-SHA1, 30-second
//! steps, 6 digits, base32 secrets), against the simulator's clock. A code is accepted once: a
//! step, once used by an account, is never accepted again for it.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

const STEP_SECS: i64 = 30;
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// The step `unix_secs` falls in.
pub fn step_of(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(STEP_SECS)
}

/// The code of `secret` (base32) for `step`; `None` when the secret is not base32.
pub fn code(secret: &str, step: i64) -> Option<String> {
    let key = decode(secret)?;
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(&key).ok()?;
    mac.update(&(step as u64).to_be_bytes());
    let d = mac.finalize().into_bytes();
    let o = usize::from(d[d.len() - 1] & 0x0f);
    let bin = u32::from_be_bytes([d[o] & 0x7f, d[o + 1], d[o + 2], d[o + 3]]);
    Some(format!("{:06}", bin % 1_000_000))
}

/// The step whose code `given` is, among the current step and the one before (authenticator
/// clocks drift), if it is later than `last_used`.
pub fn accepted_step(secret: &str, given: &str, now: i64, last_used: Option<i64>) -> Option<i64> {
    let current = step_of(now);
    [current, current - 1]
        .into_iter()
        .filter(|step| last_used.is_none_or(|last| *step > last))
        .find(|step| code(secret, *step).as_deref() == Some(given.trim()))
}

/// Base32 (RFC 4648, no padding) of `bytes`: how secrets travel in `otpauth://` URLs.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for b in bytes {
        buffer = (buffer << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn decode(secret: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in secret.bytes().filter(|c| !matches!(c, b' ' | b'-' | b'=')) {
        let value = ALPHABET.iter().position(|a| *a == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_vectors_and_single_use() {
        let secret = encode(b"12345678901234567890");
        assert_eq!(secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(code(&secret, step_of(59)).as_deref(), Some("287082"));
        assert_eq!(code(&secret, step_of(1_111_111_109)).as_deref(), Some("081804"));
        let now = 1_111_111_109;
        let step = accepted_step(&secret, "081804", now, None).expect("current code");
        assert_eq!(accepted_step(&secret, "081804", now, Some(step)), None, "a used code is refused");
        assert_eq!(accepted_step(&secret, "081804", now + 60, None), None, "an expired code is refused");
        assert_eq!(accepted_step(&secret, "081804", now + 30, None), Some(step), "one step of drift is allowed");
    }
}
