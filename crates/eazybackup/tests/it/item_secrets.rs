//! `comet_items.content` never holds a credential: every engine's secrets are left out of what
//! the worker writes, and rows written before (by the incumbent, or by us earlier) are scrubbed by
//! `eazybackup migrate`, idempotently, on both backends.

use comet::UserProfileConfig;
use eazybackup::db::events;
use eazybackup::db::item_content::scrub_stored;
use eazybackup::db::migrate::migrate;
use eazybackup::db::users::Owner;
use eazybackup::db::{Db, Dialect};
use eazybackup::ingest::profile_sync;
use eazybackup::with_pool;
use serde_json::{Value, json};

use crate::ingest_devices::{NOW, PROFILE, prepare};

/// Every value a test plants as a secret contains this.
const SECRET: &str = "TOPSECRET";

/// Key names that look like they hold a credential, lower-cased substrings.
const SECRET_LOOKING: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "accesskey",
    "access_key",
    "token",
    "privatekey",
    "private_key",
    "passphrase",
    "credential",
    "apikey",
    "api_key",
    "totp",
    "cert",
];

/// Fails on any key, at any depth (JSON strings holding JSON included), whose name looks secret.
fn assert_no_secret_looking_key(v: &Value, path: &str) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let lower = k.to_lowercase();
                assert!(!SECRET_LOOKING.iter().any(|s| lower.contains(s)), "secret-looking key {path}.{k}");
                assert_no_secret_looking_key(child, &format!("{path}.{k}"));
            }
        }
        Value::Array(items) => items.iter().for_each(|i| assert_no_secret_looking_key(i, path)),
        Value::String(s) => {
            if let Ok(inner @ (Value::Object(_) | Value::Array(_))) = serde_json::from_str::<Value>(s) {
                assert_no_secret_looking_key(&inner, &format!("{path}(json)"));
            }
        }
        _ => {}
    }
}

fn assert_secret_free(content: &str) {
    assert!(!content.contains(SECRET), "a secret was stored: {content}");
    let v: Value = serde_json::from_str(content).expect("content is JSON");
    assert_no_secret_looking_key(&v, "$");
}

fn smb_auth() -> String {
    json!({"SharePath": "\\\\nas\\finance", "Username": "backup", "Password": "TOPSECRET-smb", "PasswordFormat": 0}).to_string()
}

/// One item per engine, each with the credentials that engine carries (documented keys where the
/// SDK documents them, plausible ones where it does not), plus commands and unknown fields.
fn items_with_secrets() -> Value {
    let item = |engine: &str, props: Value| {
        json!({
            "Engine": engine,
            "Description": format!("{engine} item"),
            "OwnerDevice": "dev-a1",
            "CreateTime": NOW - 1000,
            "ModifyTime": NOW - 500,
            "PreExec": ["net use Z: \\\\nas\\share TOPSECRET-preexec /user:admin"],
            "ThawExec": ["echo TOPSECRET-thaw"],
            "PostExec": ["curl -u admin:TOPSECRET-post https://hook"],
            "EngineProps": props,
            "FutureCredentialField": "TOPSECRET-future",
            "Statistics": { "LastStartTime": NOW - 600, "LastBackupJob": {
                "GUID": "job-1", "Status": 5000, "TotalSize": 1000, "TotalAccountsCount": 12, "TotalVmCount": 3,
                "SecretOfTheFuture": "TOPSECRET-job"
            }}
        })
    };
    let o365_selection =
        json!({"WholeOrg": true, "BackupOptions": {"user-1": 7}, "AppSecret": "TOPSECRET-o365-inline"}).to_string();
    let pve = json!({"Everything": true, "SSHConnection": {"SSHServer": "pve:22", "SSHUsername": "root", "SSHPassword": "TOPSECRET-pve", "SSHPrivateKey": "TOPSECRET-key"}}).to_string();
    json!({
        "file": item("engine1/file", json!({"INCLUDE0": "C:\\Data", "EXCLUDE0": "*.tmp", "SMBAUTH0": smb_auth(), "USE_WIN_VSS": "1"})),
        "mssql": item("engine1/mssql", json!({"INSTANCE": "SQLEXPRESS", "USERNAME": "sa", "PASSWORD": "TOPSECRET-sql", "AUTHMODE": "native", "DATABASE-1": "billing"})),
        "stdout": item("engine1/stdout", json!({"COMMAND": "mysqldump -u root -pTOPSECRET-dump db", "WORKDIR": "/tmp", "SAVEAS": "db.sql", "EXTRACOMMAND-1": "[\"pg_dump postgres://u:TOPSECRET-pg@h/db\", \"/\", \"pg.sql\"]"})),
        "o365": item("engine1/winmsofficemail", json!({"CUSTOM_SETTINGV2": o365_selection, "CREDENTIAL": "{\"AppSecret\":\"TOPSECRET-o365\",\"TenantID\":\"t\"}"})),
        "proxmox": item("engine1/proxmox", json!({"PVE_PARAMS": pve})),
        "vmware": item("engine1/vmware", json!({"HOST": "vc.example", "USERNAME": "administrator@vsphere.local", "PASSWORD": "TOPSECRET-vmware"})),
        "hyperv": item("engine1/hyperv", json!({"HOST": "hv1", "PASSWORD": "TOPSECRET-hyperv"})),
        "mysql": item("engine1/mysql", json!({"HOST": "db", "USERNAME": "root", "PASSWORD": "TOPSECRET-mysql", "SSLKEY": "TOPSECRET-pem"})),
        "mongodb": item("engine1/mongodb", json!({"HOST": "mongo", "PASSWORD": "TOPSECRET-mongo"})),
        "exchange": item("engine1/exchangeedb", json!({"SERVER": "ex1", "PASSWORD": "TOPSECRET-exchange"})),
        "windisk": item("engine1/windisk", json!({"DISK0": "\\\\.\\PhysicalDrive0", "BITLOCKER_KEY": "TOPSECRET-bitlocker"})),
        "vss": item("engine1/vsswriter", json!({"WRITER": "x", "TOKEN": "TOPSECRET-token"})),
        "systemstate": item("engine1/systemstate", json!({"X": "TOPSECRET-sys"})),
        "windowssystem": item("engine1/windowssystem", json!({"X": "TOPSECRET-ws"})),
        "future": item("engine9/future", json!({"ACCESSKEY": "TOPSECRET-future-engine"})),
    })
}

fn profile(sources: Value) -> UserProfileConfig {
    serde_json::from_value(json!({"Username": "alice", "Sources": sources, "Devices": {}, "Destinations": {}})).unwrap()
}

async fn apply(db: &Db, p: &UserProfileConfig) {
    let owner = Owner::resolve(db, PROFILE, "alice").await.unwrap();
    let mut tx = events::begin(db).await.unwrap();
    profile_sync::apply_profile(&mut tx, PROFILE, "alice", &owner, p, NOW - 5, NOW).await.unwrap();
    tx.commit().await.unwrap();
}

async fn contents(db: &Db) -> Vec<(String, Option<String>)> {
    with_pool!(db, pool => sqlx::query_as("SELECT id, content FROM comet_items ORDER BY id").fetch_all(pool).await.unwrap())
}

fn content_of(rows: &[(String, Option<String>)], id: &str) -> Value {
    let c = rows.iter().find(|(i, _)| i == id).and_then(|(_, c)| c.clone()).unwrap_or_else(|| panic!("no content for {id}"));
    serde_json::from_str(&c).unwrap()
}

/// What the console and the reports still need survives the projection.
fn assert_useful_fields_kept(rows: &[(String, Option<String>)]) {
    let file = content_of(rows, "file");
    assert_eq!(file["Engine"], json!("engine1/file"));
    assert_eq!(file["Description"], json!("engine1/file item"));
    assert_eq!(file["EngineProps"]["INCLUDE0"], json!("C:\\Data"));
    assert_eq!(file["EngineProps"]["USE_WIN_VSS"], json!("1"));
    let smb: Value = serde_json::from_str(file["EngineProps"]["SMBAUTH0"].as_str().unwrap()).unwrap();
    assert_eq!(smb, json!({"SharePath": "\\\\nas\\finance", "Username": "backup"}));
    let mssql = content_of(rows, "mssql");
    assert_eq!(
        mssql["EngineProps"],
        json!({"AUTHMODE": "native", "DATABASE-1": "billing", "INSTANCE": "SQLEXPRESS", "USERNAME": "sa"})
    );
    assert_eq!(content_of(rows, "stdout")["EngineProps"], json!({"SAVEAS": "db.sql", "WORKDIR": "/tmp"}));
    let o365 = content_of(rows, "o365");
    assert_eq!(o365["Statistics"]["LastBackupJob"]["TotalAccountsCount"], json!(12), "billing reads this path");
    let selection: Value = serde_json::from_str(o365["EngineProps"]["CUSTOM_SETTINGV2"].as_str().unwrap()).unwrap();
    assert_eq!(selection, json!({"WholeOrg": true, "BackupOptions": {"user-1": 7}}));
    assert_eq!(content_of(rows, "vmware")["Statistics"]["LastBackupJob"]["TotalVmCount"], json!(3));
    assert_eq!(content_of(rows, "vmware")["EngineProps"], json!({}), "undocumented engine settings are not kept");
}

eazybackup::both_backends!(no_engine_secret_is_written_to_comet_items, |db| async {
    prepare(db).await;
    apply(db, &profile(items_with_secrets())).await;
    let rows = contents(db).await;
    assert_eq!(rows.len(), 15);
    for (id, content) in &rows {
        let content = content.as_deref().unwrap_or_else(|| panic!("{id} has no content"));
        assert_secret_free(content);
    }
    assert_useful_fields_kept(&rows);
    // The projection is stable: the same profile again writes nothing.
    let owner = Owner::resolve(db, PROFILE, "alice").await.unwrap();
    let mut tx = events::begin(db).await.unwrap();
    let again = profile_sync::apply_profile(&mut tx, PROFILE, "alice", &owner, &profile(items_with_secrets()), NOW - 4, NOW)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(again.items.upserted, 0);
});

/// Rows as the incumbent (or an earlier version of ours) stored them: the whole SourceConfig.
async fn insert_legacy_rows(db: &Db) {
    let Value::Object(sources) = items_with_secrets() else { unreachable!() };
    with_pool!(db, pool => {
        for (id, source) in &sources {
            sqlx::query("INSERT INTO comet_items (id, profile, client_id, username, content, name, type) VALUES (?, '', 1, 'alice', ?, ?, ?)")
                .bind(id)
                .bind(source.to_string())
                .bind(source["Description"].as_str().unwrap())
                .bind(source["Engine"].as_str().unwrap())
                .execute(pool).await.unwrap();
        }
        sqlx::query("INSERT INTO comet_items (id, profile, client_id, username, content) VALUES ('garbage', '', 1, 'alice', 'not json TOPSECRET')")
            .execute(pool).await.unwrap();
        sqlx::query("INSERT INTO comet_items (id, profile, client_id, username, content) VALUES ('empty', '', 1, 'alice', NULL)")
            .execute(pool).await.unwrap();
    });
}

eazybackup::both_backends!(migrate_scrubs_stored_item_secrets_idempotently, |db| async {
    migrate(db).await.expect("migrate");
    insert_legacy_rows(db).await;
    let before = contents(db).await;
    assert!(before.iter().filter_map(|(_, c)| c.as_deref()).any(|c| c.contains(SECRET)), "the fixture holds secrets");

    migrate(db).await.expect("migrate over secret-bearing rows");
    let after = contents(db).await;
    assert_eq!(after.len(), before.len(), "no row is lost");
    for (id, content) in &after {
        match id.as_str() {
            "garbage" | "empty" => assert_eq!(content, &None, "{id}: content that is not an item is dropped"),
            _ => assert_secret_free(content.as_deref().unwrap()),
        }
    }
    assert_useful_fields_kept(&after);

    // A second run rewrites nothing (the scrub walks the same rows and finds them projected).
    migrate(db).await.expect("migrate again");
    assert_eq!(contents(db).await, after);
    assert_eq!(scrub_stored(db).await.unwrap(), 0);
});

#[tokio::test]
async fn the_scrub_is_chunked_and_leaves_no_row_behind_on_mariadb() {
    // More rows than one chunk, across two profiles, so the keyset walk crosses chunk and profile
    // boundaries.
    let test_db = eazybackup::testkit::TestDb::mysql().await;
    let db = test_db.db();
    assert_eq!(db.dialect(), Dialect::MySql);
    migrate(db).await.expect("migrate");
    let secret_source =
        json!({"Engine": "engine1/mssql", "Description": "d", "EngineProps": {"PASSWORD": "TOPSECRET-sql", "INSTANCE": "I"}})
            .to_string();
    with_pool!(db, pool => {
        for profile in ["eazybackup", "obc"] {
            let values: Vec<String> = (0..700).map(|i| format!("('{profile}-item-{i:04}', '{profile}', 'alice', ?)")).collect();
            let sql = format!("INSERT INTO comet_items (id, profile, username, content) VALUES {}", values.join(", "));
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for _ in 0..700 {
                q = q.bind(&secret_source);
            }
            q.execute(pool).await.unwrap();
        }
    });
    assert_eq!(scrub_stored(db).await.unwrap(), 1400);
    let left: i64 = with_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM comet_items WHERE content LIKE '%TOPSECRET%'").fetch_one(pool).await.unwrap());
    assert_eq!(left, 0);
    assert_eq!(scrub_stored(db).await.unwrap(), 0);
    test_db.cleanup().await;
}
