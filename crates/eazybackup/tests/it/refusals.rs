//! The refusal table (issue 8, "Done means"): EVERY operation of the OpenAPI document is called
//! as its owner (it must work) and then refused — (a) without or with a bad token → 401, (b) with
//! another client's token on this client's ids → 404, (c) with a foreign service id → 404, (d)
//! with a foreign child id → 404, (e) every write on a Suspended service → 403 `read_only` — each
//! with the documented status and code, and every write leaves exactly one audit row.
//!
//! An operation in the document but not in [`ROWS`] fails the test: add its row. A new kind of id
//! the browser sends (device, item, vault, snapshot) adds a line to [`CHILD_IDS`] and a field to
//! [`Subject`], and its rows name it as a placeholder.

use eazybackup::api::auth::mint_user_token;
use eazybackup::api::comet_clients::CometClients;
use eazybackup::api::{spawn_state_for_test, test_state};
use eazybackup::both_backends;
use eazybackup::db::Db;
use eazybackup::db::jobs;
use eazybackup::db::tenancy::ClientId;
use eazybackup::with_pool;
use serde_json::Value;

use crate::api::SECRET;
use crate::http::{Answer, Operation, call, operations};
use crate::jobs::{ALICE, BOB, end, now, seed_two_clients};

/// One operation as its owner calls it. `{id}` is the service id; the other placeholders are the
/// child ids of [`CHILD_IDS`]. `ok` is the owner's status.
struct Row {
    op: &'static str,
    path: &'static str,
    body: Option<&'static str>,
    ok: u16,
}

const ROWS: &[Row] = &[
    Row { op: "GET /api/v1/health", path: "/api/v1/health", body: None, ok: 200 },
    Row { op: "GET /api/v1/openapi.json", path: "/api/v1/openapi.json", body: None, ok: 200 },
    Row { op: "GET /api/v1/services", path: "/api/v1/services", body: None, ok: 200 },
    Row { op: "GET /api/v1/pulse/snapshot", path: "/api/v1/pulse/snapshot", body: None, ok: 200 },
    Row {
        op: "POST /api/v1/incidents/snooze",
        path: "/api/v1/incidents/snooze",
        body: Some(r#"{ "profile": "{job.profile}", "job_id": "{job.id}", "minutes": 5 }"#),
        ok: 200,
    },
    Row { op: "GET /api/v1/events", path: "/api/v1/events", body: None, ok: 200 },
    Row { op: "GET /api/v1/services/{id}/activity", path: "/api/v1/services/{id}/activity?limit=5", body: None, ok: 200 },
    Row { op: "GET /api/v1/services/{id}/overview", path: "/api/v1/services/{id}/overview", body: None, ok: 200 },
    Row {
        op: "GET /api/v1/services/{id}/capabilities",
        path: "/api/v1/services/{id}/capabilities?device_id={device.id}",
        body: None,
        ok: 200,
    },
    Row { op: "GET /api/v1/services/{id}/vaults", path: "/api/v1/services/{id}/vaults", body: None, ok: 200 },
    Row { op: "GET /api/v1/services/{id}/vault-templates", path: "/api/v1/services/{id}/vault-templates", body: None, ok: 200 },
    Row {
        op: "POST /api/v1/services/{id}/vaults",
        path: "/api/v1/services/{id}/vaults",
        body: Some(r#"{ "template_id": "3f9a1c2e-7b4d-4e8f-a1b2-c3d4e5f60002" }"#),
        ok: 200,
    },
    Row {
        op: "PATCH /api/v1/services/{id}/vaults/{vault_id}",
        path: "/api/v1/services/{id}/vaults/{vault.id}",
        body: Some(r#"{ "name": "Renamed" }"#),
        ok: 200,
    },
    // The spare vault (requested for the test, no items): the owner's call deletes it.
    Row {
        op: "DELETE /api/v1/services/{id}/vaults/{vault_id}",
        path: "/api/v1/services/{id}/vaults/{vault.spare}",
        body: None,
        ok: 204,
    },
    Row {
        op: "POST /api/v1/services/{id}/vaults/{vault_id}/retention-preview",
        path: "/api/v1/services/{id}/vaults/{vault.id}/retention-preview",
        body: Some(r#"{ "retention": { "keep_everything": false, "ranges": [{ "type": 900, "jobs": 3 }] } }"#),
        ok: 200,
    },
    Row {
        op: "POST /api/v1/services/{id}/vaults/{vault_id}/maintenance",
        path: "/api/v1/services/{id}/vaults/{vault.id}/maintenance",
        body: Some(r#"{ "action": "unlock" }"#),
        ok: 200,
    },
    Row {
        op: "GET /api/v1/services/{id}/vaults/{vault_id}/snapshots",
        path: "/api/v1/services/{id}/vaults/{vault.id}/snapshots",
        body: None,
        ok: 200,
    },
    Row {
        op: "POST /api/v1/services/{id}/vaults/{vault_id}/snapshots/delete",
        path: "/api/v1/services/{id}/vaults/{vault.id}/snapshots/delete",
        body: Some(r#"{ "snapshot_ids": ["{snapshot.id}"] }"#),
        ok: 200,
    },
    Row { op: "GET /api/v1/services/{id}/jobs", path: "/api/v1/services/{id}/jobs?status=error&q=a_%25", body: None, ok: 200 },
    Row { op: "GET /api/v1/services/{id}/jobs/{job_id}", path: "/api/v1/services/{id}/jobs/{job.id}", body: None, ok: 200 },
    // The simulator never held the seeded job: its log reads as no longer available (200).
    Row {
        op: "GET /api/v1/services/{id}/jobs/{job_id}/log",
        path: "/api/v1/services/{id}/jobs/{job.id}/log?severity=W",
        body: None,
        ok: 200,
    },
    Row {
        op: "GET /api/v1/services/{id}/jobs/{job_id}/log.txt",
        path: "/api/v1/services/{id}/jobs/{job.id}/log.txt",
        body: None,
        ok: 200,
    },
    // The seeded job has ended: the cancel answers `already_finished` (tests/it/jobs_api.rs cancels a running one).
    Row {
        op: "POST /api/v1/services/{id}/jobs/{job_id}/cancel",
        path: "/api/v1/services/{id}/jobs/{job.id}/cancel",
        body: None,
        ok: 200,
    },
    Row { op: "GET /api/v1/services/{id}/account", path: "/api/v1/services/{id}/account", body: None, ok: 200 },
    Row {
        op: "PATCH /api/v1/services/{id}/account",
        path: "/api/v1/services/{id}/account",
        body: Some(r#"{ "display_name": "Acme" }"#),
        ok: 200,
    },
    Row {
        op: "POST /api/v1/services/{id}/account/password",
        path: "/api/v1/services/{id}/account/password",
        // The same password again: later rows still log in with it.
        body: Some(r#"{ "current_password": "acme-pass", "new_password": "acme-pass" }"#),
        ok: 200,
    },
    Row {
        op: "POST /api/v1/services/{id}/account/totp/enrol",
        path: "/api/v1/services/{id}/account/totp/enrol",
        body: None,
        ok: 200,
    },
    // A code cannot be known in a static table: the owner's call is refused by Comet as a wrong
    // code (the enrolment with a computed code is tests/it/account_api.rs).
    Row {
        op: "POST /api/v1/services/{id}/account/totp/confirm",
        path: "/api/v1/services/{id}/account/totp/confirm",
        body: Some(r#"{ "code": "000000" }"#),
        ok: 422,
    },
    Row { op: "DELETE /api/v1/services/{id}/account/totp", path: "/api/v1/services/{id}/account/totp", body: None, ok: 200 },
    Row {
        op: "POST /api/v1/services/{id}/account/email-reports/preview",
        path: "/api/v1/services/{id}/account/email-reports/preview",
        body: Some(r#"{ "report": { "kind": "immediate" } }"#),
        ok: 200,
    },
    Row {
        op: "GET /api/v1/services/{id}/account/downloads",
        path: "/api/v1/services/{id}/account/downloads",
        body: None,
        ok: 200,
    },
    Row {
        op: "GET /api/v1/services/{id}/account/downloads/{platform}",
        path: "/api/v1/services/{id}/account/downloads/1",
        body: None,
        ok: 200,
    },
    Row {
        op: "POST /api/v1/services/{id}/account/install-token",
        path: "/api/v1/services/{id}/account/install-token",
        body: Some(r#"{ "password": "acme-pass" }"#),
        ok: 200,
    },
    Row { op: "GET /api/v1/services/{id}/devices", path: "/api/v1/services/{id}/devices", body: None, ok: 200 },
    Row {
        op: "GET /api/v1/services/{id}/devices/{device_id}",
        path: "/api/v1/services/{id}/devices/{device.id}",
        body: None,
        ok: 200,
    },
    Row {
        op: "POST /api/v1/services/{id}/devices/{device_id}/rename",
        path: "/api/v1/services/{id}/devices/{device.id}/rename",
        body: Some(r#"{ "name": "Front desk (renamed)" }"#),
        ok: 200,
    },
    Row {
        op: "POST /api/v1/services/{id}/devices/{device_id}/run-backup",
        path: "/api/v1/services/{id}/devices/{device.id}/run-backup",
        body: Some(r#"{ "item_id": "item-{device.id}", "vault_id": "vault-{device.id}" }"#),
        ok: 200,
    },
    Row {
        op: "POST /api/v1/services/{id}/devices/{device_id}/refetch-profile",
        path: "/api/v1/services/{id}/devices/{device.id}/refetch-profile",
        body: None,
        ok: 200,
    },
    Row {
        op: "POST /api/v1/services/{id}/devices/{device_id}/push-password",
        path: "/api/v1/services/{id}/devices/{device.id}/push-password",
        body: Some(r#"{ "password": "acme-pass" }"#),
        ok: 200,
    },
    // Actions that take the device away act on devices of their own (`DEVICE_SUFFIXES`).
    Row {
        op: "POST /api/v1/services/{id}/devices/{device_id}/update-software",
        path: "/api/v1/services/{id}/devices/{device.id}-update/update-software",
        body: None,
        ok: 200,
    },
    Row {
        op: "POST /api/v1/services/{id}/devices/{device_id}/uninstall",
        path: "/api/v1/services/{id}/devices/{device.id}-uninstall/uninstall",
        body: Some(r#"{ "remove_config": false }"#),
        ok: 200,
    },
    Row {
        op: "POST /api/v1/services/{id}/devices/{device_id}/drop-connection",
        path: "/api/v1/services/{id}/devices/{device.id}-drop/drop-connection",
        body: None,
        ok: 200,
    },
    Row {
        op: "POST /api/v1/services/{id}/devices/{device_id}/kill-process",
        path: "/api/v1/services/{id}/devices/{device.id}-kill/kill-process",
        body: None,
        ok: 200,
    },
    Row {
        op: "POST /api/v1/services/{id}/devices/{device_id}/revoke",
        path: "/api/v1/services/{id}/devices/{device.id}-revoke/revoke",
        body: None,
        ok: 200,
    },
    Row { op: "GET /api/v1/services/{id}/restore/sources", path: "/api/v1/services/{id}/restore/sources", body: None, ok: 200 },
    Row {
        op: "GET /api/v1/services/{id}/restore/snapshots",
        path: "/api/v1/services/{id}/restore/snapshots?device_id={restore.device}&item_id={restore.item}&vault_id={restore.vault}",
        body: None,
        ok: 200,
    },
    Row {
        op: "GET /api/v1/services/{id}/restore/objects",
        path: "/api/v1/services/{id}/restore/objects?device_id={restore.device}&item_id={restore.item}&vault_id={restore.vault}&snapshot_id={restore.snapshot}",
        body: None,
        ok: 200,
    },
    Row {
        op: "GET /api/v1/services/{id}/restore/search",
        path: "/api/v1/services/{id}/restore/search?device_id={restore.device}&item_id={restore.item}&q=notes",
        body: None,
        ok: 200,
    },
    Row {
        op: "POST /api/v1/services/{id}/restore",
        path: "/api/v1/services/{id}/restore",
        body: Some(
            r#"{ "device_id": "{restore.device}", "item_id": "{restore.item}", "vault_id": "{restore.vault}", "snapshot_id": "{restore.snapshot}", "paths": ["/Documents"], "restore_type": 1, "destination": "original" }"#,
        ),
        ok: 200,
    },
    Row {
        op: "GET /api/v1/services/{id}/restore/jobs/{job_id}",
        path: "/api/v1/services/{id}/restore/jobs/{restore.job}",
        body: None,
        ok: 200,
    },
    Row { op: "GET /api/v1/catalog/engines", path: "/api/v1/catalog/engines", body: None, ok: 200 },
    Row { op: "GET /api/v1/services/{id}/items", path: "/api/v1/services/{id}/items", body: None, ok: 200 },
    Row {
        op: "POST /api/v1/services/{id}/items",
        path: "/api/v1/services/{id}/items",
        body: Some(
            r#"{ "engine": "engine1/file", "description": "Docs", "device_id": "{device.id}", "settings": { "INCLUDE": ["/srv"] } }"#,
        ),
        ok: 200,
    },
    Row { op: "GET /api/v1/services/{id}/items/{item_id}", path: "/api/v1/services/{id}/items/{item.id}", body: None, ok: 200 },
    Row {
        op: "PUT /api/v1/services/{id}/items/{item_id}",
        path: "/api/v1/services/{id}/items/{item.id}",
        body: Some(
            r#"{ "engine": "engine1/file", "description": "Docs 2", "device_id": "{device.id}", "settings": { "INCLUDE": ["/srv"] }, "profile_hash": "{item.hash}" }"#,
        ),
        ok: 200,
    },
    // Operations run in the document's order (DELETE before GET and PUT): the owner deletes a second item.
    Row {
        op: "DELETE /api/v1/services/{id}/items/{item_id}",
        path: "/api/v1/services/{id}/items/{item.id}-spare",
        body: None,
        ok: 200,
    },
    Row {
        op: "POST /api/v1/services/{id}/devices/{device_id}/browse",
        path: "/api/v1/services/{id}/devices/{device.id}/browse",
        body: Some(r#"{ "kind": "filesystem" }"#),
        ok: 200,
    },
];

thread_local! {
    /// Service id → the simulator ids of its account for the restore rows (Comet's ids are made by
    /// the simulator, not seeded): filled by the test for the subjects whose account it holds.
    static RESTORE_IDS: std::cell::RefCell<std::collections::BTreeMap<i64, crate::restores::RestoreIds>> =
        const { std::cell::RefCell::new(std::collections::BTreeMap::new()) };
}

fn restore_id(s: &Subject, pick: fn(&crate::restores::RestoreIds) -> &String) -> String {
    RESTORE_IDS.with(|m| m.borrow().get(&s.service_id).map(|ids| pick(ids).clone()).unwrap_or_else(|| "none".into()))
}

thread_local! {
    /// The simulator of the running test (each backend's test runs on its own thread).
    static SIM: std::cell::RefCell<Option<std::sync::Arc<comet_sim::SimCore>>> = const { std::cell::RefCell::new(None) };
}

/// The current profile hash of the account holding `item` in the simulator (empty when none).
fn item_hash(item: &str) -> String {
    let user = match item {
        "item-a101" => "acme-dental",
        "item-b201" => "brown-acct",
        _ => return String::new(),
    };
    SIM.with(|s| s.borrow().as_ref().and_then(|sim| sim.profile_and_hash(user).ok()).map(|(_, h)| h).unwrap_or_default())
}

/// Devices and protected items the owner rows name, in the simulator's accounts.
async fn seed_sim(sim: &comet_sim::SimHandle) {
    let os = comet_sim::shapes::OsInfo {
        version: "12".into(),
        distribution: "Debian".into(),
        build: "".into(),
        os: "linux".into(),
        arch: "amd64".into(),
    };
    let comet = crate::overview::admin(&sim.base_url(), sim);
    for (user, device, item) in [("acme-dental", OWN.device, OWN.item), ("brown-acct", FOREIGN.device, FOREIGN.item)] {
        // Another part of the suite may have registered the device already.
        let _ = sim.core().register_device(user, device, "Refusals device", os.clone());
        let source = comet::SourceConfig {
            engine: "engine1/file".into(),
            description: "Refusals item".into(),
            owner_device: device.into(),
            ..Default::default()
        };
        for id in [item.to_string(), format!("{item}-spare")] {
            comet.set_protected_item_with_backup_rules(user, &id, Some(&source), None, None).await.expect("item is stored");
        }
    }
    SIM.with(|s| *s.borrow_mut() = Some(sim.core().clone()));
}

/// The owner's devices on the simulator: `dev-a101` and one per action that takes a device away.
const DEVICE_SUFFIXES: &[&str] = &["", "-update", "-uninstall", "-drop", "-kill", "-revoke"];

/// The ids of one service as the browser would send them.
struct Subject {
    service_id: i64,
    /// A job of the service: (profile, job id).
    job: (&'static str, &'static str),
    /// A device registered to the service's account (its Comet DeviceID).
    device: &'static str,
    /// The service's Comet account: its vault and snapshot ids are the simulator's
    /// ([`remember_sim_ids`]).
    account: &'static str,
    /// A protected item of the service's account (its Comet SourceID).
    item: &'static str,
}

/// Where a subject's value of one child id comes from.
type ChildId = fn(&Subject) -> String;

/// Child-id placeholders and where each subject's value comes from.
const CHILD_IDS: &[(&str, ChildId)] = &[
    ("{job.profile}", |s| s.job.0.to_string()),
    ("{job.id}", |s| s.job.1.to_string()),
    ("{device.id}", |s| s.device.to_string()),
    ("{item.id}", |s| s.item.to_string()),
    ("{item.hash}", |s| item_hash(s.item)),
    ("{restore.device}", |s| restore_id(s, |i| &i.device)),
    ("{restore.item}", |s| restore_id(s, |i| &i.item)),
    ("{restore.vault}", |s| restore_id(s, |i| &i.vault)),
    ("{restore.snapshot}", |s| restore_id(s, |i| &i.snapshot)),
    ("{restore.job}", |s| restore_id(s, |i| &i.job)),
    ("{vault.id}", |s| sim_id(s.account, "vault")),
    ("{vault.spare}", |s| sim_id(s.account, "spare")),
    ("{snapshot.id}", |s| sim_id(s.account, "snapshot")),
];

thread_local! {
    /// (account, kind) → the simulator's id, per test (each test runs on its own thread).
    static SIM_IDS: std::cell::RefCell<std::collections::BTreeMap<(String, &'static str), String>> =
        const { std::cell::RefCell::new(std::collections::BTreeMap::new()) };
}

/// The simulator id of `kind` for `account`; accounts without one (the suspended service's, which
/// no Comet client serves) get a placeholder that names nothing.
fn sim_id(account: &str, kind: &'static str) -> String {
    SIM_IDS.with(|ids| ids.borrow().get(&(account.to_string(), kind)).cloned()).unwrap_or_else(|| format!("{kind}-of-{account}"))
}

/// Reads each account's cloud vault and one of its snapshots from the simulator, and requests a
/// spare vault (no items use it) for the delete row.
async fn remember_sim_ids(comet: &comet::AdminClient) {
    for account in ["acme-dental", "brown-acct"] {
        let profile = comet.get_user_profile(account).await.unwrap();
        let vault = profile.destinations.iter().find(|(_, d)| d.description == "eazyBackup Cloud").unwrap().0.clone();
        let live = comet.dispatcher_list_active(Some(account)).await.unwrap();
        let live_id = live.keys().next().expect("a live device").clone();
        let snaps = comet.dispatcher_request_vault_snapshots(&live_id, &vault).await.unwrap();
        let snapshot = snaps.snapshots.iter().next().expect("a snapshot").snapshot.clone();
        let spare = comet
            .request_storage_vault(account, "3f9a1c2e-7b4d-4e8f-a1b2-c3d4e5f60001", None, None)
            .await
            .unwrap()
            .destination_id;
        SIM_IDS.with(|ids| {
            let mut ids = ids.borrow_mut();
            ids.insert((account.to_string(), "vault"), vault);
            ids.insert((account.to_string(), "snapshot"), snapshot);
            ids.insert((account.to_string(), "spare"), spare);
        });
    }
}

/// Alice's active service 101, her suspended 104, Bob's 201.
const OWN: Subject =
    Subject { service_id: 101, job: ("eazybackup", "job-a101"), device: "dev-a101", account: "acme-dental", item: "item-a101" };
const SUSPENDED: Subject =
    Subject { service_id: 104, job: ("obc", "job-a104"), device: "dev-a104", account: "acme-frozen", item: "item-a104" };
const FOREIGN: Subject =
    Subject { service_id: 201, job: ("eazybackup", "job-b201"), device: "dev-b201", account: "brown-acct", item: "item-b201" };
pub const ALICE_USER: i64 = 11;
const BOB_USER: i64 = 22;

pub async fn seed(db: &Db) {
    seed_two_clients(db).await;
    let sql = "INSERT INTO tblhosting (id, userid, packageid, server, regdate, domain, paymentmethod, billingcycle, domainstatus, username, password, notes, dedicatedip) VALUES
           (104, 1, 1, 2, '2026-01-01', '', 'x', 'Monthly', 'Suspended', 'acme-frozen', '', '', '')";
    with_pool!(db, pool => sqlx::query(sql).execute(pool).await.map(|_| ())).expect(sql);
    for (profile, job, username) in
        [("eazybackup", "job-a101", "acme-dental"), ("obc", "job-a104", "acme-frozen"), ("eazybackup", "job-b201", "brown-acct")]
    {
        jobs::record_job_end(db, profile, &end(job, username, 7003)).await.unwrap();
    }
    let sql = "INSERT INTO comet_devices (id, hash, profile, username, name, is_active, online) VALUES
           ('h-a101', 'dev-a101', 'eazybackup', 'acme-dental', 'Front desk', 1, 1),
           ('h-a104', 'dev-a104', 'obc', 'acme-frozen', 'Archive', 1, 0),
           ('h-b201', 'dev-b201', 'eazybackup', 'brown-acct', 'Not yours', 1, 1)";
    with_pool!(db, pool => sqlx::query(sql).execute(pool).await.map(|_| ())).expect(sql);
}

pub fn token(client: ClientId) -> String {
    let user = if client == ALICE { ALICE_USER } else { BOB_USER };
    mint_user_token(SECRET.as_bytes(), client, user, now(), now() + 900, "0123456789abcdef")
}

/// `template` with `{id}` from `service` and every child id from `children`.
fn fill(template: &str, service: &Subject, children: &Subject) -> String {
    let mut out = template.replace("{id}", &service.service_id.to_string());
    for (placeholder, value) in CHILD_IDS {
        out = out.replace(placeholder, &value(children));
    }
    out
}

fn names_a_child(row: &Row) -> bool {
    CHILD_IDS.iter().any(|(p, _)| row.path.contains(p) || row.body.is_some_and(|b| b.contains(p)))
}

/// `(client, user, action, result, ip)` of every audit row, oldest first.
async fn audit_rows(db: &Db) -> Vec<(i64, Option<i64>, String, String, String)> {
    with_pool!(db, pool => sqlx::query_as(
        "SELECT CAST(client_id AS SIGNED), CAST(user_id AS SIGNED), action, result, ip FROM eb_audit_log ORDER BY id"
    ).fetch_all(pool).await)
    .unwrap()
}

struct Caller<'a> {
    db: &'a Db,
    base: String,
}

impl Caller<'_> {
    /// Calls `row` of `op` with `token`, the service of `service` and the children of `children`.
    async fn call(&self, op: &Operation, row: &Row, token: Option<&str>, service: &Subject, children: &Subject) -> Answer {
        let url = format!("{}{}", self.base, fill(row.path, service, children));
        let body: Option<Value> =
            row.body.map(|b| serde_json::from_str(&fill(b, service, children)).expect("the row's body is JSON"));
        call(&op.method, &url, token, body.as_ref()).await
    }

    /// One refusal: the status and code expected, documented for the operation; a write leaves
    /// one `denied` row for `audited_as` (none when no client is known).
    async fn refused(
        &self,
        op: &Operation,
        case: &str,
        answer: Answer,
        want: (u16, &str),
        audited_as: Option<(ClientId, i64)>,
        before: usize,
    ) {
        assert_eq!((answer.status, answer.code()), want, "{} {case}: {}", op.key(), answer.body);
        assert!(
            op.statuses.contains(&want.0),
            "{} {case}: {} is not documented (documented: {:?})",
            op.key(),
            want.0,
            op.statuses
        );
        assert!(answer.body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{} {case}", op.key());
        let rows = audit_rows(self.db).await;
        match (op.is_write(), audited_as) {
            (true, Some((client, user))) => {
                assert_eq!(rows.len(), before + 1, "{} {case}: one audit row", op.key());
                let last = rows.last().unwrap();
                assert_eq!(
                    (last.0, last.1, last.2.as_str(), last.3.as_str()),
                    (client.0, Some(user), op.operation_id.as_str(), "denied"),
                    "{} {case}",
                    op.key()
                );
            }
            _ => assert_eq!(rows.len(), before, "{} {case}: no audit row", op.key()),
        }
    }
}

both_backends!(every_operation_refuses_what_is_not_the_callers, |db| async move {
    seed(db).await;
    // Routes that ask Comet (capabilities, overview) ask a simulator holding the `eazybackup` accounts.
    let sim = crate::overview::start_sim().await;
    for suffix in DEVICE_SUFFIXES {
        crate::devices::sim_device(&sim, "acme-dental", &format!("{}{suffix}", OWN.device), "Front desk").await;
    }
    seed_sim(&sim).await;
    remember_sim_ids(&crate::overview::admin(&sim.base_url(), &sim)).await;
    RESTORE_IDS.with(|m| {
        let mut m = m.borrow_mut();
        m.insert(OWN.service_id, crate::restores::restore_ids(&sim, "acme-dental"));
        m.insert(FOREIGN.service_id, crate::restores::restore_ids(&sim, "brown-acct"));
    });
    let mut state = test_state(db.clone(), SECRET);
    state.comet = CometClients::from_clients([("eazybackup".to_string(), crate::overview::admin(&sim.base_url(), &sim))]);
    let (addr, server) = spawn_state_for_test(state).await.unwrap();
    let caller = Caller { db, base: format!("http://{addr}") };
    let (alice, bob) = (token(ALICE), token(BOB));

    let doc = eazybackup::api::openapi::document();
    let ops = operations(&serde_json::to_value(doc).unwrap());
    let keys: Vec<String> = ops.iter().map(Operation::key).collect();
    for row in ROWS {
        assert!(keys.contains(&row.op.to_string()), "{} is in the table but not in the document: remove or fix the row", row.op);
    }
    let mut checked = 0;
    for op in &ops {
        let row = ROWS
            .iter()
            .find(|r| r.op == op.key())
            .unwrap_or_else(|| panic!("{} is in the OpenAPI document but not in the refusal table: add it to ROWS", op.key()));
        let has_service = row.path.contains("{id}");
        let has_child = names_a_child(row);
        let n = || async { audit_rows(db).await.len() };

        // The owner: it works; a write leaves its `ok` row with the user and the address.
        let before = n().await;
        let own = caller.call(op, row, Some(&alice), &OWN, &OWN).await;
        assert_eq!(own.status, row.ok, "{} as its owner: {}", op.key(), own.body);
        if op.is_write() {
            let rows = audit_rows(db).await;
            assert_eq!(rows.len(), before + 1, "{}: one audit row for the write", op.key());
            let last = rows.last().unwrap();
            // A row whose owner call is refused by Comet (a value only known at run time) is audited
            // as the error it is.
            let result = if row.ok < 300 { "ok" } else { "error" };
            assert_eq!(
                (last.0, last.1, last.2.as_str(), last.3.as_str(), last.4.as_str()),
                (ALICE.0, Some(ALICE_USER), op.operation_id.as_str(), result, "127.0.0.1"),
                "{}",
                op.key()
            );
        }
        if !op.secured {
            // Public by design (tests/it/openapi.rs holds the list): nothing to refuse.
            assert!(!has_service && !has_child && !op.is_write(), "{} is public but names ids", op.key());
            checked += 1;
            continue;
        }

        // (a) no token, a forged one.
        for (case, t) in [("(a) without a token", None), ("(a) with a bad token", Some("v2.1.11.0.9999999999.x.bad"))] {
            let before = n().await;
            let answer = caller.call(op, row, t, &OWN, &OWN).await;
            caller.refused(op, case, answer, (401, "unauthorized"), None, before).await;
        }

        // (b) another client's token on this client's ids.
        let before = n().await;
        let answer = caller.call(op, row, Some(&bob), &OWN, &OWN).await;
        if has_service || has_child {
            caller.refused(op, "(b) another client's token", answer, (404, "not_found"), Some((BOB, BOB_USER)), before).await;
        } else {
            // Client-wide routes answer the caller's own data: nothing of Alice's.
            assert_eq!(answer.status, row.ok, "{} (b)", op.key());
            let text = answer.body.to_string();
            assert!(!text.contains("acme-") && !text.contains("job-a1"), "{} (b) leaks Alice's data: {text}", op.key());
        }

        // (c) a foreign service id (Bob's), and one that does not exist, with the owner's children.
        if has_service {
            let before = n().await;
            let answer = caller.call(op, row, Some(&alice), &FOREIGN, &OWN).await;
            caller.refused(op, "(c) a foreign service id", answer, (404, "not_found"), Some((ALICE, ALICE_USER)), before).await;
            let none = Subject { service_id: 999_999, ..OWN };
            let before = n().await;
            let answer = caller.call(op, row, Some(&alice), &none, &OWN).await;
            caller.refused(op, "(c) an unknown service id", answer, (404, "not_found"), Some((ALICE, ALICE_USER)), before).await;
        }

        // (d) the owner's service with a foreign child id (Bob's job).
        if has_child {
            let before = n().await;
            let answer = caller.call(op, row, Some(&alice), &OWN, &FOREIGN).await;
            caller.refused(op, "(d) a foreign child id", answer, (404, "not_found"), Some((ALICE, ALICE_USER)), before).await;
        }

        // (e) every write on a Suspended service (its own children).
        if op.is_write() {
            let before = n().await;
            let answer = caller.call(op, row, Some(&alice), &SUSPENDED, &SUSPENDED).await;
            caller.refused(op, "(e) a Suspended service", answer, (403, "read_only"), Some((ALICE, ALICE_USER)), before).await;
        }
        checked += 1;
    }
    assert_eq!(checked, ops.len());
    assert!(checked >= ROWS.len());
    // The refusals changed nothing: only the owner's snooze is stored.
    let acks: Vec<(String,)> =
        with_pool!(db, pool => sqlx::query_as("SELECT job_id FROM eb_incident_ack").fetch_all(pool).await).unwrap();
    assert_eq!(acks, vec![("job-a101".to_string(),)]);
    server.stop().await.unwrap();
});
