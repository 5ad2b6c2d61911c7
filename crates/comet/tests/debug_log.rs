//! The client's debug log names each request but never a secret. Alone in its test binary:
//! tracing's per-callsite interest cache is process-wide, and tests running beside this one on
//! other threads could leave a callsite switched off for the subscriber installed here.

mod recording_server;

use comet::*;
use recording_server::{admin, serve};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// A `MakeWriter` that appends to a shared buffer.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn debug_log_names_requests_but_never_their_secrets() {
    let (origin, _rec) = serve().await;
    let capture = Capture::default();
    let subscriber =
        tracing_subscriber::fmt().with_max_level(tracing::Level::DEBUG).with_writer(capture.clone()).with_ansi(false).finish();
    // The default test runtime is single-threaded, so this guard covers every client call.
    let _guard = tracing::subscriber::set_default(subscriber);

    let c = admin(&origin);
    c.reset_user_password("alice", "NEWPW-s3cr3t", Some("OLDPW-s3cr3t")).await.unwrap();
    c.create_install_token("alice", "TARGETPW-s3cr3t", None).await.unwrap();
    c.dispatcher_update_login_password("live-1", "PUSHPW-s3cr3t").await.unwrap();
    let profile = UserProfileConfig { password_hash: Secret("HASH-s3cr3t".into()), ..UserProfileConfig::default() };
    c.set_user_profile("alice", &profile).await.unwrap();
    let item = SourceConfig {
        engine_props: BTreeMap::from([("PASSWORD".to_owned(), "SQLPW-s3cr3t".to_owned())]).into(),
        ..SourceConfig::default()
    };
    c.set_protected_item_with_backup_rules("alice", "src-1", Some(&item), None, None).await.unwrap();
    let loc = DestinationLocation { s3_secret_key: Secret("S3KEY-s3cr3t".into()), ..DestinationLocation::default() };
    c.dispatcher_ping_destination("live-1", &loc).await.unwrap();
    let u = UserWebClient::new(
        &origin,
        Credentials { username: "alice".into(), password: "USERPW-s3cr3t".into(), ..Credentials::default() },
    )
    .unwrap();
    u.account_validate_totp("h", "TOTP-s3cr3t").await.unwrap();

    let log = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("api/v1/admin/reset-user-password"), "requests are logged: {log}");
    assert!(log.contains("TargetUser=alice"), "ordinary fields stay readable: {log}");
    assert!(log.contains("NewPassword=<redacted>") && log.contains("ProfileData=<"), "{log}");
    assert!(log.contains("SessionKey=<redacted>"), "session keys are redacted: {log}");
    for secret in ["s3cr3t", "admin-pw", "sk-test"] {
        assert!(!log.contains(secret), "{secret} leaked into the log:\n{log}");
    }
}
