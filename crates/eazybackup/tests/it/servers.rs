//! Comet admin credentials: from WHMCS's server tables (password decrypted by the addon's PHP
//! helper through the stand-in's `localAPI('DecryptPassword')`), else from `.env`.

use std::collections::HashMap;
use std::path::PathBuf;

use eazybackup::config::Config;
use eazybackup::db::Db;
use eazybackup::servers::{self, AccessSource};
use eazybackup::with_pool;

use crate::whmcs_fixture::{ServiceRow, seed};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Encrypts like the stand-in WHMCS does (its own format, not WHMCS's).
fn whmcs_encrypt(plain: &str) -> String {
    let out = std::process::Command::new("php")
        .arg("-r")
        .arg("require $argv[1]; echo WhmcsHost\\Crypto::encrypt($argv[2]);")
        .arg(repo_root().join("whmcs-host/src/bootstrap.php"))
        .arg(plain)
        .output()
        .expect("php runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn config(entries: &[(&str, String)]) -> Config {
    let mut map: HashMap<String, String> = entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    map.insert("DB_DSN".into(), "sqlite://unused.sqlite".into());
    Config::from_map(&map).expect("config")
}

async fn seed_server(db: &Db) {
    seed(db, &[ServiceRow { service_id: 1, client_id: 1, profile: "eazybackup", username: "alice", status: "Active" }]).await;
    let encrypted = whmcs_encrypt("whmcs-side-secret");
    with_pool!(db, pool => {
        sqlx::query("UPDATE tblservers SET password = ?, username = 'ws-admin', secure = 'on', hostname = 'csw.example.com', port = NULL")
            .bind(&encrypted)
            .execute(pool)
            .await
            .unwrap();
    });
}

fn env_block() -> Vec<(&'static str, String)> {
    vec![
        ("COMET_eazybackup_URL", "ws://127.0.0.1:9999/api/v1/events/stream".into()),
        ("COMET_eazybackup_USERNAME", "env-admin".into()),
        ("COMET_eazybackup_PASSWORD", "env-secret".into()),
    ]
}

eazybackup::both_backends!(whmcs_server_row_wins_and_its_password_is_decrypted, |db| async {
    seed_server(db).await;
    let root = repo_root().join("whmcs-host/root").display().to_string();
    let cfg = config(&[("EB_WHMCS_ROOT", root)]);
    let access = servers::resolve(&cfg, db, "eazybackup").await.expect("resolves from WHMCS");
    assert_eq!(access.source, AccessSource::Whmcs);
    assert_eq!(access.origin, "https://csw.example.com");
    assert_eq!(access.ws_url, "wss://csw.example.com/api/v1/events/stream");
    assert_eq!((access.admin.username.as_str(), access.admin.password.as_str()), ("ws-admin", "whmcs-side-secret"));
    assert!(!format!("{access:?}").contains("whmcs-side-secret"), "Debug must not show the password");
});

eazybackup::both_backends!(env_is_the_fallback_and_a_missing_profile_is_named, |db| async {
    seed_server(db).await;
    // No EB_WHMCS_ROOT: .env only.
    let access = servers::resolve(&config(&env_block()), db, "eazybackup").await.unwrap();
    assert_eq!((access.source, access.admin.username.as_str()), (AccessSource::Env, "env-admin"));

    // A WHMCS root whose helper cannot work: warn and use .env.
    let mut entries = env_block();
    entries.push(("EB_WHMCS_ROOT", "/nonexistent/whmcs".into()));
    let access = servers::resolve(&config(&entries), db, "eazybackup").await.unwrap();
    assert_eq!(access.source, AccessSource::Env);

    // Neither source: one clear error naming the profile.
    let err = servers::resolve(&config(&[]), db, "obc").await.unwrap_err().to_string();
    assert!(err.contains("profile `obc`") && err.contains("COMET_obc_"), "{err}");
});
