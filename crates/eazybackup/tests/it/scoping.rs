//! The username rule and account ownership (docs/architecture.md "Scoping"): one statement,
//! `sql/account-owners.sql`, decides for the Rust service and for the PHP addon alike.

use std::collections::BTreeMap;

use eazybackup::both_backends;
use eazybackup::db::Db;
use eazybackup::db::tenancy::{self, ClientId};
use eazybackup::ingest::owners::OwnerCache;
use eazybackup::with_pool;

/// WHMCS rows that exercise every branch of the rule.
async fn seed(db: &Db) {
    eazybackup::db::migrate::migrate(db).await.expect("migrate");
    eazybackup::testkit::load_whmcs_subset(db).await.expect("whmcs subset");
    let statements = [
        "INSERT INTO tblservergroups (id, name) VALUES (1, 'eazybackup'), (2, 'obc'), (3, 'zeta')",
        "INSERT INTO tblservers (id, name, ipaddress, hostname, type, username, password, accesshash, secure) VALUES
           (1, 'eb', '', 'eb.local', 'comet', '', '', '', 'on'), (2, 'obc', '', 'obc.local', 'comet', '', '', '', 'on'),
           (3, 'eb2', '', 'eb2.local', 'comet', '', '', '', 'on')",
        // Server 3 is listed in two groups: it belongs to the lower group id (1, eazybackup) only.
        "INSERT INTO tblservergroupsrel (id, groupid, serverid) VALUES (1, 1, 1), (2, 2, 2), (3, 3, 3), (4, 1, 3)",
        "INSERT INTO tblproducts (id, type, name, description, paytype, servertype) VALUES
           (1, 'other', 'Backup', '', 'recurring', 'comet'), (2, 'other', 'Hosting', '', 'recurring', 'cpanel'),
           (3, 'other', 'Backup (new module)', '', 'recurring', 'cometbackup')",
        "INSERT INTO tblhosting (id, userid, packageid, server, regdate, domain, paymentmethod, billingcycle, domainstatus, username, password, notes, dedicatedip) VALUES
           (301, 3, 1, 1, '2026-01-01', '', 'x', 'Monthly', 'Active', 'Alice', '', '', ''),
           (302, 4, 1, 1, '2026-01-01', '', 'x', 'Monthly', 'Active', 'alice', '', '', ''),
           (303, 5, 1, 3, '2026-01-01', '', 'x', 'Monthly', 'Active', 'carol', '', '', ''),
           (304, 5, 1, 1, '2026-01-01', '', 'x', 'Monthly', 'Active', 'dup-same', '', '', ''),
           (305, 5, 1, 1, '2026-01-01', '', 'x', 'Monthly', 'Active', 'dup-same', '', '', ''),
           (306, 6, 1, 1, '2026-01-01', '', 'x', 'Monthly', 'Active', 'contested', '', '', ''),
           (307, 7, 1, 1, '2026-01-01', '', 'x', 'Monthly', 'Active', 'contested', '', '', ''),
           (308, 6, 1, 2, '2026-01-01', '', 'x', 'Monthly', 'Suspended', 'moved', '', '', ''),
           (309, 7, 1, 2, '2026-01-01', '', 'x', 'Monthly', 'Active', 'moved', '', '', ''),
           (310, 6, 1, 2, '2026-01-01', '', 'x', 'Monthly', 'Active', 'spaced ', '', '', ''),
           (311, 6, 3, 2, '2026-01-01', '', 'x', 'Monthly', 'Active', 'other-module', '', '', ''),
           (312, 6, 1, 2, '2026-01-01', '', 'x', 'Monthly', 'Terminated', 'gone', '', '', ''),
           (313, 6, 2, 2, '2026-01-01', '', 'x', 'Monthly', 'Active', 'web-only', '', '', '')",
    ];
    for sql in statements {
        with_pool!(db, pool => sqlx::query(sql).execute(pool).await.map(|_| ())).expect(sql);
    }
}

type Row = (i64, String, String, String);

fn expected() -> BTreeMap<i64, Vec<Row>> {
    let row = |id: i64, p: &str, u: &str, s: &str| (id, p.to_string(), u.to_string(), s.to_string());
    BTreeMap::from([
        // Case-variant usernames are two Comet accounts, each its own client's.
        (3, vec![row(301, "eazybackup", "Alice", "Active")]),
        (4, vec![row(302, "eazybackup", "alice", "Active")]),
        // The two-group server gives one profile; the same client's duplicate: the lower id only.
        (5, vec![row(303, "eazybackup", "carol", "Active"), row(304, "eazybackup", "dup-same", "Active")]),
        // 306 is contested by another client (nobody gets it); 308 is outranked by an Active 309.
        (6, vec![row(310, "obc", "spaced ", "Active"), row(311, "obc", "other-module", "Active")]),
        (7, vec![row(309, "obc", "moved", "Active")]),
        (99, vec![]),
    ])
}

async fn rust_side(db: &Db) -> BTreeMap<i64, Vec<Row>> {
    let mut out = BTreeMap::new();
    for client in expected().keys() {
        let services = tenancy::services_for_client(db, ClientId(*client)).await.unwrap();
        out.insert(*client, services.into_iter().map(|s| (s.service_id, s.profile, s.username, s.status)).collect());
    }
    out
}

both_backends!(one_owner_per_account_with_exact_usernames, |db| async move {
    seed(db).await;
    assert_eq!(rust_side(db).await, expected());

    let owner = |p: &'static str, u: &'static str| async move { tenancy::service_for_account(db, p, u).await.unwrap() };
    assert_eq!(owner("eazybackup", "Alice").await, Some((ClientId(3), 301)));
    assert_eq!(owner("eazybackup", "alice").await, Some((ClientId(4), 302)));
    assert_eq!(owner("eazybackup", "ALICE").await, None, "Comet usernames are case-sensitive");
    assert_eq!(owner("zeta", "carol").await, None, "a server in two groups belongs to the lower group id only");
    assert_eq!(owner("eazybackup", "carol").await, Some((ClientId(5), 303)));
    assert_eq!(owner("eazybackup", "dup-same").await, Some((ClientId(5), 304)));
    assert_eq!(owner("eazybackup", "contested").await, None, "two clients claim it: nobody gets it");
    assert_eq!(owner("obc", "moved").await, Some((ClientId(7), 309)), "Active outranks Suspended");
    assert_eq!(owner("obc", "spaced").await, None, "no trimming: 'spaced ' is not a Comet username");
    assert_eq!(owner("OBC", "moved").await, None, "profile names are exact too");

    // The worker's cache reads the same rule for a whole profile.
    for profile in ["eazybackup", "obc", "zeta"] {
        let mut cache = OwnerCache::new(profile);
        cache.reload(db).await.unwrap();
        for user in
            ["Alice", "alice", "ALICE", "carol", "dup-same", "contested", "moved", "spaced", "spaced ", "gone", "web-only"]
        {
            assert_eq!(cache.get(user), tenancy::service_for_account(db, profile, user).await.unwrap(), "{profile}/{user}");
        }
    }
});

/// The DSN the PHP stand-in connects with for the database behind `db`.
async fn php_dsn(db: &Db, sqlite_path: Option<&str>) -> String {
    match db {
        Db::Sqlite(_) => format!("sqlite:{}", sqlite_path.expect("the SQLite file")),
        Db::MySql(pool) => {
            let name: String = sqlx::query_scalar("SELECT DATABASE()").fetch_one(pool).await.unwrap();
            let server = std::env::var("TEST_MYSQL_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/".into());
            let url = url::Url::parse(&server).unwrap();
            format!("mysql:host={};port={};dbname={name}", url.host_str().unwrap_or("127.0.0.1"), url.port().unwrap_or(3306))
        }
    }
}

fn php_side(dsn: &str, user: &str) -> BTreeMap<i64, Vec<Row>> {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let clients: Vec<String> = expected().keys().map(i64::to_string).collect();
    let out = std::process::Command::new("php")
        .arg(repo.join("tests/php/services-scope.php"))
        .args(&clients)
        .env("WHMCS_DB_DSN", dsn)
        .env("WHMCS_DB_USER", user)
        .env("WHMCS_DB_PASS", "")
        .output()
        .expect("php runs (scripts/setup.sh installs it)");
    assert!(out.status.success(), "php failed: {}", String::from_utf8_lossy(&out.stderr));
    let mut got = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        let rows = v["services"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let text = |k: &str| s[k].as_str().unwrap().to_string();
                (s["service_id"].as_i64().unwrap(), text("profile"), text("username"), text("status"))
            })
            .collect();
        got.insert(v["client"].as_i64().unwrap(), rows);
    }
    got
}

#[tokio::test]
async fn php_and_rust_apply_the_same_rule_sqlite() {
    let path = std::env::temp_dir().join(format!("eb_t_scope_{:016x}.sqlite", rand::random::<u64>()));
    let url = eazybackup::db::DbUrl::Sqlite(path.to_string_lossy().into_owned());
    let db = Db::connect(&url).await.unwrap();
    seed(&db).await;
    let rust = rust_side(&db).await;
    let dsn = php_dsn(&db, path.to_str()).await;
    db.close().await;
    let php = php_side(&dsn, "");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    assert_eq!(rust, expected());
    assert_eq!(php, rust, "the addon lists what the API serves");
}

#[tokio::test]
async fn php_and_rust_apply_the_same_rule_mysql() {
    let test_db = eazybackup::testkit::TestDb::mysql().await;
    let db = test_db.db();
    seed(db).await;
    let rust = rust_side(db).await;
    let php = php_side(&php_dsn(db, None).await, "root");
    assert_eq!(rust, expected());
    assert_eq!(php, rust, "the addon lists what the API serves");
    test_db.cleanup().await;
}

both_backends!(case_variant_accounts_never_see_each_others_data, |db| async move {
    use eazybackup::db::jobs::{self, Account};
    seed(db).await;
    // 'Alice' (client 3) and 'alice' (client 4) are two Comet accounts on the same server.
    let upper = jobs::record_job_start(db, "eazybackup", &crate::jobs::start("job-upper", "Alice")).await.unwrap();
    let lower = jobs::record_job_start(db, "eazybackup", &crate::jobs::start("job-lower", "alice")).await.unwrap();
    assert!(upper.is_some() && lower.is_some());
    for (client, job) in [(3, "job-upper"), (4, "job-lower")] {
        let accounts: Vec<Account> =
            tenancy::services_for_client(db, ClientId(client)).await.unwrap().iter().map(Account::from).collect();
        let running = jobs::running_for_accounts(db, &accounts).await.unwrap();
        let ids: Vec<&str> = running.iter().map(|j| j.job_id.as_str()).collect();
        assert_eq!(ids, [job], "client {client} sees its own account's job only");
    }
    // Both accounts are mirrored side by side (the unique key is exact too).
    for user in ["Alice", "alice"] {
        let mut tx = eazybackup::db::events::begin(db).await.unwrap();
        let summary = eazybackup::db::users::UserSummary::from_profile(&comet::UserProfileConfig::default());
        eazybackup::db::users::upsert_user(
            &mut tx,
            "eazybackup",
            user,
            &Default::default(),
            &summary,
            eazybackup::db::timestamp::DbTime::now(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let users: Vec<String> = with_pool!(db, pool => {
        sqlx::query_scalar("SELECT username FROM comet_users WHERE profile = 'eazybackup' ORDER BY username").fetch_all(pool).await
    })
    .unwrap();
    assert_eq!(users, ["Alice", "alice"]);
});
