//! The client's address for the audit: the TCP peer, or — only when the peer is one of
//! `EB_API_TRUSTED_PROXIES` — the address that proxy put in `X-Forwarded-For`. Anyone can send the
//! header; only our own proxy's word is taken.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::Request;

/// The address to record for `req`, if the server knows its peer.
pub fn of<B>(req: &Request<B>, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())?;
    let forwarded: Vec<&str> = req.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    Some(resolve(peer, &forwarded.join(","), trusted))
}

/// `peer` unless it is trusted; then the right-most `X-Forwarded-For` entry that is not itself a
/// trusted proxy (entries to its left were written by the client and prove nothing). An entry that
/// is not an address stops the walk at the last good one.
pub fn resolve(peer: IpAddr, forwarded_for: &str, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let mut client = peer;
    for entry in forwarded_for.rsplit(',').map(str::trim).filter(|e| !e.is_empty()) {
        let Ok(ip) = entry.parse::<IpAddr>() else { break };
        client = ip;
        if !trusted.contains(&ip) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let proxy = [ip("10.0.0.1")];
        // Not from the proxy: the header is anyone's to forge.
        assert_eq!(resolve(ip("203.0.113.9"), "198.51.100.7", &proxy), ip("203.0.113.9"));
        // From the proxy: the address it saw.
        assert_eq!(resolve(ip("10.0.0.1"), "198.51.100.7", &proxy), ip("198.51.100.7"));
        // A forged left-hand entry is ignored: the proxy appended the real peer on the right.
        assert_eq!(resolve(ip("10.0.0.1"), "1.2.3.4, 198.51.100.7", &proxy), ip("198.51.100.7"));
        // Chained trusted proxies are skipped.
        let two = [ip("10.0.0.1"), ip("10.0.0.2")];
        assert_eq!(resolve(ip("10.0.0.1"), "198.51.100.7, 10.0.0.2", &two), ip("198.51.100.7"));
        // Junk stops the walk; no header means the proxy itself.
        assert_eq!(resolve(ip("10.0.0.1"), "junk", &proxy), ip("10.0.0.1"));
        assert_eq!(resolve(ip("10.0.0.1"), "", &proxy), ip("10.0.0.1"));
        assert_eq!(resolve(ip("10.0.0.1"), "2001:db8::1", &proxy), ip("2001:db8::1"));
    }
}
