//! Process-wide rustls setup.

use std::sync::Once;

/// Install aws-lc-rs as rustls' default provider once. reqwest picks its provider itself, but
/// tokio-tungstenite's connector asks rustls for the process default, which is ambiguous when
/// more than one provider is compiled into the tree.
pub(crate) fn ensure_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // An Err means another part of the process already installed one; that one is used.
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    });
}
