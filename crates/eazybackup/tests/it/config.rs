//! Configuration: the operators' sample `.env` (seed-spec.md, "Environment Configuration") parses
//! as they wrote it, and every bad value is one line naming the key.

use std::collections::HashMap;
use std::path::PathBuf;

use eazybackup::config::{AuthType, Config, ConfigError, overlay, read_env_file};
use secrecy::ExposeSecret;

/// The operators' sample, un-indented, passwords replaced by distinct values; quoting, the
/// trailing blanks after "Password" and the commented-out keys are kept as they wrote them.
const OPERATORS_ENV: &str = r#"# -------- Comet: eazybackup --------
COMET_eazybackup_NAME="eazybackup"
COMET_eazybackup_URL="wss://csw.eazybackup.ca/api/v1/events/stream"
COMET_eazybackup_ORIGIN="https://csw.eazybackup.ca"
COMET_eazybackup_USERNAME="websocket"
COMET_eazybackup_AUTHTYPE="Password"   
COMET_eazybackup_PASSWORD="eb-pass-1"
COMET_eazybackup_SESSIONKEY=""
COMET_eazybackup_TOTP=""

# -------- Comet: obc --------
COMET_obc_NAME="obc"
COMET_obc_URL="wss://csw.obcbackup.com/api/v1/events/stream"
COMET_obc_ORIGIN="https://eazybackup.local"
COMET_obc_USERNAME="websocket"
COMET_obc_AUTHTYPE="Password"
COMET_obc_PASSWORD="obc-pass-2"
COMET_obc_SESSIONKEY=""
COMET_obc_TOTP=""

# Database (bootstrap.php defaults can be overridden here)
DB_DSN="mysql:host=127.0.0.1;dbname=whmcs;charset=utf8mb4"
DB_USER="whmcs"
DB_PASS="db-pass-3"

# monitor_stalled_jobs.php defaults (can be overridden per run)
EB_MON_STALE_SECS=3600
EB_MON_RECHECK_SECS=300
EB_MON_MAX_ATTEMPTS=3
EB_MON_BATCH_LIMIT=200
# Optional:
# EB_MON_VERBOSE=1
# EB_MON_DRY_RUN=1

# Debug toggles (optional):
# EB_WS_DEBUG=1 → log raw frames and parsed events.
# EB_DB_DEBUG=1 → log database writes.
"#;

struct TempFile(PathBuf);

impl TempFile {
    fn with(contents: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!("eb_env_{:016x}.env", rand::random::<u64>()));
        std::fs::write(&path, contents).expect("write temp .env");
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn sample_map() -> HashMap<String, String> {
    let file = TempFile::with(OPERATORS_ENV);
    read_env_file(&file.0).expect("the operators' sample .env parses")
}

fn with(changes: &[(&str, &str)]) -> HashMap<String, String> {
    let mut map = sample_map();
    for (k, v) in changes {
        map.insert(k.to_string(), v.to_string());
    }
    map
}

fn error_of(map: &HashMap<String, String>) -> String {
    let e = Config::from_map(map).expect_err("configuration should be rejected");
    let line = e.to_string();
    assert!(!line.contains('\n'), "error is not one line: {line}");
    line
}

#[test]
fn operators_sample_env_parses_into_two_profiles() {
    let config = Config::from_map(&sample_map()).expect("sample config is valid");
    assert_eq!(config.profiles.keys().collect::<Vec<_>>(), ["eazybackup", "obc"]);

    let eb = config.profile("eazybackup").unwrap();
    assert_eq!(eb.ws_url, "wss://csw.eazybackup.ca/api/v1/events/stream");
    assert_eq!(eb.origin, "https://csw.eazybackup.ca");
    assert_eq!(eb.username, "websocket");
    assert_eq!(eb.auth_type, AuthType::Password);
    assert_eq!(eb.password.expose_secret(), "eb-pass-1");
    assert!(eb.session_key.is_none() && eb.totp.is_none(), "empty quoted values mean unset");

    let obc = config.profile("obc").unwrap();
    assert_eq!(obc.origin, "https://eazybackup.local", "an explicit ORIGIN is kept even when it differs from URL");
    assert_eq!(obc.password.expose_secret(), "obc-pass-2");

    assert_eq!(config.db.redacted(), "mysql://whmcs@127.0.0.1:3306/whmcs");
    assert_eq!(
        (config.monitor.stale_secs, config.monitor.recheck_secs, config.monitor.max_attempts, config.monitor.batch_limit),
        (3600, 300, 3, 200)
    );
    assert!(!config.monitor.verbose && !config.monitor.dry_run && !config.ws_debug && !config.db_debug);
    assert_eq!(config.api.listen.to_string(), "127.0.0.1:8090");
    assert!(config.api.secret.is_none() && config.api.cors_origins.is_empty());
}

#[test]
fn debug_output_never_shows_secrets() {
    let config = Config::from_map(&with(&[("EB_API_SECRET", "api-secret-value-123")])).unwrap();
    let shown = format!("{config:?}");
    for secret in ["eb-pass-1", "obc-pass-2", "db-pass-3", "api-secret-value-123"] {
        assert!(!shown.contains(secret), "{secret} leaked into Debug: {shown}");
    }
    assert!(shown.contains("csw.eazybackup.ca"), "non-secret fields stay visible");
}

#[test]
fn environment_overrides_the_file() {
    let map = overlay(sample_map(), [("EB_MON_STALE_SECS".to_string(), "900".to_string())]);
    assert_eq!(Config::from_map(&map).unwrap().monitor.stale_secs, 900);
}

#[test]
fn missing_or_malformed_env_file_names_the_path() {
    let missing = std::env::temp_dir().join("eb_env_definitely_missing.env");
    let e = read_env_file(&missing).unwrap_err();
    assert!(matches!(&e, ConfigError::EnvFile { path, .. } if path.contains("eb_env_definitely_missing")), "{e}");

    let bad = TempFile::with("GOOD=1\nTHIS LINE IS NOT AN ASSIGNMENT\n");
    let e = read_env_file(&bad.0).unwrap_err().to_string();
    assert!(e.contains(&bad.0.display().to_string()) && !e.contains('\n'), "{e}");
}

#[test]
fn bad_auth_type_names_the_key_and_the_choices() {
    assert_eq!(
        error_of(&with(&[("COMET_obc_AUTHTYPE", "pwd")])),
        r#"COMET_obc_AUTHTYPE: expected Password, PasswordTOTP or SessionKey, got "pwd""#
    );
}

#[test]
fn bad_values_name_their_key() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("DB_DSN", "")], "DB_DSN: is not set"),
        (&[("DB_DSN", "pgsql:host=x")], "DB_DSN: unsupported driver `pgsql`"),
        (&[("EB_MON_STALE_SECS", "soon")], r#"EB_MON_STALE_SECS: expected a whole number, got "soon""#),
        (&[("EB_MON_MAX_ATTEMPTS", "0")], "EB_MON_MAX_ATTEMPTS: must be at least 1, got 0"),
        (&[("EB_MON_DRY_RUN", "maybe")], r#"EB_MON_DRY_RUN: expected 1 or 0, got "maybe""#),
        (&[("EB_API_LISTEN", "8090")], "EB_API_LISTEN: expected host:port"),
        (&[("COMET_obc_URL", "https://csw.obcbackup.com/api/v1/events/stream")], "COMET_obc_URL: expected a ws/wss URL"),
        (&[("COMET_obc_USERNAME", "  ")], "COMET_obc_USERNAME: is not set"),
        (&[("COMET_obc_PASSWORD", "")], "COMET_obc_PASSWORD: is required with AUTHTYPE Password"),
        (
            &[("COMET_obc_AUTHTYPE", "PasswordTOTP")],
            "COMET_obc_TOTP_SECRET: (or COMET_obc_TOTP) is required with AUTHTYPE PasswordTOTP",
        ),
        (&[("COMET_obc_AUTHTYPE", "SessionKey")], "COMET_obc_SESSIONKEY: is required with AUTHTYPE SessionKey"),
        (&[("COMET_new_USERNAME", "x"), ("COMET_new_PASSWORD", "y")], "COMET_new_URL: is not set (nor COMET_new_ORIGIN)"),
    ];
    for (changes, expected) in cases {
        let line = error_of(&with(changes));
        assert!(line.starts_with(expected), "for {changes:?}: got {line:?}, expected it to start with {expected:?}");
    }
}

#[test]
fn profiles_with_underscores_and_only_an_origin() {
    let config = Config::from_map(&with(&[
        ("COMET_my_server_ORIGIN", "http://127.0.0.1:8061/"),
        ("COMET_my_server_USERNAME", "admin"),
        ("COMET_my_server_AUTHTYPE", "SessionKey"),
        ("COMET_my_server_SESSIONKEY", "sk-1"),
    ]))
    .unwrap();
    let p = config.profile("my_server").unwrap();
    assert_eq!(p.origin, "http://127.0.0.1:8061");
    assert_eq!(p.ws_url, "ws://127.0.0.1:8061/api/v1/events/stream");
    assert_eq!(p.auth_type, AuthType::SessionKey);
    assert_eq!(p.session_key.as_ref().map(|s| s.expose_secret().to_string()).as_deref(), Some("sk-1"));
}

#[test]
fn unknown_profile_lists_the_known_ones() {
    let config = Config::from_map(&sample_map()).unwrap();
    assert_eq!(config.profile("acme").unwrap_err().to_string(), "no COMET_acme_* settings; known profiles: eazybackup, obc");
}

#[test]
fn api_secret_is_required_and_long_enough() {
    let config = Config::from_map(&sample_map()).unwrap();
    assert!(config.require_api_secret().unwrap_err().to_string().starts_with("EB_API_SECRET: is not set"));
    let config = Config::from_map(&with(&[("EB_API_SECRET", "short")])).unwrap();
    assert_eq!(config.require_api_secret().unwrap_err().to_string(), "EB_API_SECRET: must be at least 16 characters, got 5");
    let config =
        Config::from_map(&with(&[("EB_API_SECRET", "0123456789abcdef"), ("EB_API_CORS_ORIGINS", "https://a.example, *")]))
            .unwrap();
    assert_eq!(config.require_api_secret().unwrap().expose_secret(), "0123456789abcdef");
    assert_eq!(config.api.cors_origins, ["https://a.example", "*"]);
}

#[test]
fn api_abuse_limits_and_trusted_proxies_default_and_are_checked() {
    let config = Config::from_map(&sample_map()).unwrap();
    assert_eq!((config.api.max_body_bytes, config.api.max_token_lifetime_secs), (65_536, 3_600));
    assert!(config.api.trusted_proxies.is_empty());
    let config = Config::from_map(&with(&[
        ("EB_API_MAX_BODY_BYTES", "1024"),
        ("EB_API_MAX_TOKEN_LIFETIME_SECS", "600"),
        ("EB_API_TRUSTED_PROXIES", "10.0.0.1, ::1"),
    ]))
    .unwrap();
    assert_eq!((config.api.max_body_bytes, config.api.max_token_lifetime_secs), (1024, 600));
    assert_eq!(config.api.trusted_proxies, ["10.0.0.1".parse::<std::net::IpAddr>().unwrap(), "::1".parse().unwrap()]);
    for (key, value) in
        [("EB_API_MAX_BODY_BYTES", "0"), ("EB_API_MAX_TOKEN_LIFETIME_SECS", "an hour"), ("EB_API_TRUSTED_PROXIES", "proxy.local")]
    {
        let err = Config::from_map(&with(&[(key, value)])).unwrap_err().to_string();
        assert!(err.starts_with(key), "{err}");
    }
}

#[test]
fn a_totp_secret_is_checked_and_a_fixed_code_is_called_out_as_not_unattended() {
    let totp = |extra: &[(&str, &str)]| {
        let mut changes = vec![("COMET_obc_AUTHTYPE", "PasswordTOTP")];
        changes.extend_from_slice(extra);
        Config::from_map(&with(&changes))
    };
    let config = totp(&[("COMET_obc_TOTP_SECRET", "JBSWY3DP EHPK3PXP")]).unwrap();
    let p = config.profile("obc").unwrap();
    assert_eq!(p.totp_secret.as_ref().map(|s| s.expose_secret().to_string()).as_deref(), Some("JBSWY3DP EHPK3PXP"));
    assert!(p.unattended_problems().is_empty(), "{:?}", p.unattended_problems());

    let config = totp(&[("COMET_obc_TOTP", "123456")]).unwrap();
    let problems = config.profile("obc").unwrap().unattended_problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("COMET_obc_TOTP is a single TOTP code") && problems[0].contains("COMET_obc_TOTP_SECRET"));

    let e = totp(&[("COMET_obc_TOTP_SECRET", "not-base32!")]).unwrap_err().to_string();
    assert!(e.starts_with("COMET_obc_TOTP_SECRET: the TOTP secret is not base32"), "{e}");
    let e = totp(&[]).unwrap_err().to_string();
    assert_eq!(e, "COMET_obc_TOTP_SECRET: (or COMET_obc_TOTP) is required with AUTHTYPE PasswordTOTP");

    let config = Config::from_map(&with(&[
        ("COMET_obc_AUTHTYPE", "SessionKey"),
        ("COMET_obc_SESSIONKEY", "sk-1"),
        ("COMET_obc_PASSWORD", ""),
    ]))
    .unwrap();
    let problems = config.profile("obc").unwrap().unattended_problems();
    assert!(problems.iter().any(|p| p.contains("COMET_obc_SESSIONKEY is a fixed session key")), "{problems:?}");
}
