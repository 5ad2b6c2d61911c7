//! Live job tables, outbox and scoping repositories, on both backends.

use eazybackup::both_backends;
use eazybackup::db::Db;
use eazybackup::db::events::{self, EventRow};
use eazybackup::db::jobs::{self, Account, JobEnd, JobProgress, JobStart};
use eazybackup::db::tenancy::{self, ClientId};
use eazybackup::db::{audit, incidents};
use eazybackup::with_pool;

pub const ALICE: ClientId = ClientId(1);
pub const BOB: ClientId = ClientId(2);

/// Two clients on two Comet profiles. Alice: 101 (eazybackup, username stored with odd case and
/// a trailing space), 102 (obc), 103 terminated. Bob: 201 (eazybackup), 202 on a non-Comet product.
pub async fn seed_two_clients(db: &Db) {
    eazybackup::db::migrate::migrate(db).await.expect("migrate");
    eazybackup::testkit::load_whmcs_subset(db).await.expect("whmcs subset");
    let statements = [
        "INSERT INTO tblservergroups (id, name) VALUES (1, 'eazybackup'), (2, 'obc')",
        "INSERT INTO tblservers (id, name, ipaddress, hostname, type, username, password, accesshash, secure) VALUES
           (1, 'eb', '', 'eb.local', 'comet', '', '', '', 'on'), (2, 'obc', '', 'obc.local', 'comet', '', '', '', 'on')",
        "INSERT INTO tblservergroupsrel (id, groupid, serverid) VALUES (1, 1, 1), (2, 2, 2)",
        "INSERT INTO tblproducts (id, type, name, description, paytype, servertype) VALUES
           (1, 'other', 'Backup', '', 'recurring', 'comet'), (2, 'other', 'Hosting', '', 'recurring', 'cpanel')",
        "INSERT INTO tblhosting (id, userid, packageid, server, regdate, domain, paymentmethod, billingcycle, domainstatus, username, password, notes, dedicatedip) VALUES
           (101, 1, 1, 1, '2026-01-01', '', 'x', 'Monthly', 'Active', 'acme-dental', '', '', ''),
           (102, 1, 1, 2, '2026-01-01', '', 'x', 'Monthly', 'Active', 'acme-offsite', '', '', ''),
           (103, 1, 1, 1, '2026-01-01', '', 'x', 'Monthly', 'Terminated', 'acme-old', '', '', ''),
           (201, 2, 1, 1, '2026-01-01', '', 'x', 'Monthly', 'Active', 'brown-acct', '', '', ''),
           (202, 2, 2, 2, '2026-01-01', '', 'x', 'Monthly', 'Active', 'brown-web', '', '', '')",
    ];
    for sql in statements {
        with_pool!(db, pool => sqlx::query(sql).execute(pool).await.map(|_| ())).expect(sql);
    }
}

pub fn start(job_id: &str, username: &str) -> JobStart {
    JobStart {
        job_id: job_id.into(),
        username: username.into(),
        device_id: "dev-1".into(),
        device_name: Some("Front desk PC".into()),
        item_id: "item-1".into(),
        item_name: Some("Documents".into()),
        vault_id: "vault-1".into(),
        classification: 4001,
        status: 6001,
        started_at: now() - 300,
    }
}

pub fn end(job_id: &str, username: &str, status: i64) -> JobEnd {
    JobEnd {
        job: JobStart { device_name: None, item_name: None, status, ..start(job_id, username) },
        ended_at: now() - 10,
        total_bytes: 1_000,
        upload_bytes: 400,
    }
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

pub async fn accounts(db: &Db, client: ClientId) -> Vec<Account> {
    tenancy::services_for_client(db, client).await.unwrap().iter().map(Account::from).collect()
}

async fn all_events(db: &Db) -> Vec<EventRow> {
    events::since(db, 0, 1000).await.unwrap()
}

both_backends!(scoping_follows_client_status_and_product, |db| async move {
    seed_two_clients(db).await;
    let alice = tenancy::services_for_client(db, ALICE).await.unwrap();
    let got: Vec<(i64, &str, &str, &str)> =
        alice.iter().map(|s| (s.service_id, s.profile.as_str(), s.username.as_str(), s.status.as_str())).collect();
    assert_eq!(got, vec![(101, "eazybackup", "acme-dental", "Active"), (102, "obc", "acme-offsite", "Active")]);
    let bob = tenancy::services_for_client(db, BOB).await.unwrap();
    assert_eq!(bob.iter().map(|s| s.service_id).collect::<Vec<_>>(), vec![201]);
    assert!(tenancy::services_for_client(db, ClientId(99)).await.unwrap().is_empty());

    assert_eq!(tenancy::service_for_account(db, "eazybackup", "acme-dental").await.unwrap(), Some((ALICE, 101)));
    assert_eq!(tenancy::service_for_account(db, "eazybackup", "ACME-dental").await.unwrap(), None, "usernames are exact");
    assert_eq!(tenancy::service_for_account(db, "obc", "acme-dental").await.unwrap(), None, "other profile");
    assert_eq!(tenancy::service_for_account(db, "eazybackup", "acme-old").await.unwrap(), None, "terminated");
});

both_backends!(start_progress_end_write_one_event_each_and_replays_write_none, |db| async move {
    seed_two_clients(db).await;
    let first = jobs::record_job_start(db, "eazybackup", &start("job-a", "acme-dental")).await.unwrap();
    assert!(first.is_some());
    assert_eq!(jobs::record_job_start(db, "eazybackup", &start("job-a", "acme-dental")).await.unwrap(), None, "replayed start");

    let running = jobs::running_for_accounts(db, &accounts(db, ALICE).await).await.unwrap();
    assert_eq!(running.len(), 1);
    assert_eq!(
        (running[0].job_id.as_str(), running[0].service_id, running[0].status_class.as_str()),
        ("job-a", Some(101), "running")
    );
    assert!(jobs::running_for_accounts(db, &accounts(db, BOB).await).await.unwrap().is_empty());

    let progress = JobProgress {
        job_id: "job-a".into(),
        status: 6001,
        bytes_done: 500,
        total_bytes: 2_000,
        upload_bytes: 100,
        progress_counter: 7,
    };
    assert!(jobs::record_job_progress(db, "eazybackup", &progress).await.unwrap().is_some());
    let running = jobs::running_for_accounts(db, &accounts(db, ALICE).await).await.unwrap();
    assert_eq!((running[0].bytes_done, running[0].progress_counter), (500, 7));

    assert!(jobs::record_job_end(db, "eazybackup", &end("job-a", "acme-dental", 7002)).await.unwrap().is_some());
    assert_eq!(jobs::record_job_end(db, "eazybackup", &end("job-a", "acme-dental", 7002)).await.unwrap(), None, "replayed end");
    assert!(jobs::running_for_accounts(db, &accounts(db, ALICE).await).await.unwrap().is_empty());
    assert_eq!(
        jobs::record_job_progress(db, "eazybackup", &progress).await.unwrap(),
        None,
        "progress after the end creates nothing"
    );

    let evs = all_events(db).await;
    let kinds: Vec<&str> = evs.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, vec!["job:start", "job:progress", "job:end"]);
    assert!(evs.iter().all(|e| e.client_id == Some(ALICE.0) && e.profile == "eazybackup" && e.username == "acme-dental"));
    let end_view: eazybackup::views::JobView = serde_json::from_str(&evs[2].payload).unwrap();
    assert_eq!((end_view.status, end_view.status_class.as_str(), end_view.ended_at.is_some()), (7002, "error", true));
    assert_eq!(events::max_id(db).await.unwrap(), evs[2].id);

    let incidents =
        jobs::incidents_for_accounts(db, ALICE, &accounts(db, ALICE).await, now() - 86_400, now(), 100).await.unwrap().incidents;
    assert_eq!(incidents.len(), 1);
    assert_eq!((incidents[0].job.status, incidents[0].job.status_label.as_str()), (7002, "Error"));
    let counts = jobs::finished_counts(db, &accounts(db, ALICE).await, now() - 86_400).await.unwrap();
    assert_eq!((counts.error, counts.success), (1, 0));
});

both_backends!(a_late_start_does_not_resurrect_a_finished_job, |db| async move {
    seed_two_clients(db).await;
    assert!(jobs::record_job_end(db, "eazybackup", &end("job-late", "acme-dental", 5000)).await.unwrap().is_some());
    assert_eq!(jobs::record_job_start(db, "eazybackup", &start("job-late", "acme-dental")).await.unwrap(), None);
    assert!(jobs::running_for_accounts(db, &accounts(db, ALICE).await).await.unwrap().is_empty());
    assert_eq!(all_events(db).await.len(), 1);
    let counts = jobs::finished_counts(db, &accounts(db, ALICE).await, now() - 86_400).await.unwrap();
    assert_eq!(counts.success, 1);
});

both_backends!(an_unowned_account_gets_events_without_a_client, |db| async move {
    seed_two_clients(db).await;
    assert!(jobs::record_job_start(db, "eazybackup", &start("job-x", "nobody")).await.unwrap().is_some());
    let evs = all_events(db).await;
    assert_eq!(evs[0].client_id, None);
    assert!(events::since_for_client(db, ALICE, 0, 10).await.unwrap().is_empty());
});

both_backends!(a_snooze_hides_the_incident_until_it_expires_for_that_client_only, |db| async move {
    seed_two_clients(db).await;
    jobs::record_job_end(db, "eazybackup", &end("job-w", "acme-dental", 7001)).await.unwrap();
    let t = now();
    let mut tx = events::begin(db).await.unwrap();
    incidents::snooze(&mut tx, ALICE, "eazybackup", "job-w", t + 60).await.unwrap();
    // A second snooze replaces the first (upsert on both backends).
    incidents::snooze(&mut tx, ALICE, "eazybackup", "job-w", t + 120).await.unwrap();
    let entry = audit::AuditEntry {
        client: ALICE,
        user_id: Some(5),
        service_id: Some(101),
        profile: "eazybackup",
        username: "acme-dental",
        action: "incident.snooze",
        target: "job-w",
        result: audit::AuditResult::Ok,
        message: None,
        ip: "192.0.2.1",
    };
    audit::append(&mut tx, &entry, t).await.unwrap();
    tx.commit().await.unwrap();

    let alice = accounts(db, ALICE).await;
    let since = t - 86_400;
    assert!(jobs::incidents_for_accounts(db, ALICE, &alice, since, t, 100).await.unwrap().incidents.is_empty(), "snoozed now");
    assert!(
        jobs::incidents_for_accounts(db, ALICE, &alice, since, t + 119, 100).await.unwrap().incidents.is_empty(),
        "still snoozed"
    );
    let after = jobs::incidents_for_accounts(db, ALICE, &alice, since, t + 120, 100).await.unwrap().incidents;
    assert_eq!(after.len(), 1, "back once the snooze ends");
    assert_eq!((after[0].job.status_class.as_str(), after[0].snoozed_until), ("warning", Some(t + 120)));
    // Another client's snooze key never hides Alice's incident.
    let bob_view = jobs::incidents_for_accounts(db, BOB, &alice, since, t, 100).await.unwrap().incidents;
    assert_eq!(bob_view.len(), 1);

    let audit_rows: i64 = with_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM eb_audit_log WHERE client_id = 1 AND result = 'ok'").fetch_one(pool).await).unwrap();
    assert_eq!(audit_rows, 1);
});

// Issue 7 point 4: job ids are unique per Comet server only. Alice's two accounts (one per
// profile) each have a failed job with the same id: both are incidents, each is named by its
// profile, and snoozing one leaves the other.
both_backends!(the_same_job_id_on_two_profiles_is_two_incidents_snoozed_apart, |db| async move {
    seed_two_clients(db).await;
    jobs::record_job_end(db, "eazybackup", &end("job-same", "acme-dental", 7003)).await.unwrap();
    assert!(
        jobs::record_job_end(db, "obc", &end("job-same", "acme-offsite", 7001)).await.unwrap().is_some(),
        "a job of another server with the same id is a job of its own"
    );
    let alice = accounts(db, ALICE).await;
    let t = now();
    let incidents = jobs::incidents_for_accounts(db, ALICE, &alice, t - 86_400, t, 100).await.unwrap().incidents;
    let keys: Vec<(&str, &str, &str)> =
        incidents.iter().map(|i| (i.job.profile.as_str(), i.job.job_id.as_str(), i.job.status_class.as_str())).collect();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(keys.contains(&("eazybackup", "job-same", "error")) && keys.contains(&("obc", "job-same", "warning")), "{keys:?}");

    let owner = jobs::owning_account(db, "obc", "job-same", &alice).await.unwrap().expect("alice's");
    assert_eq!((owner.profile.as_str(), owner.username.as_str(), owner.service_id), ("obc", "acme-offsite", Some(102)));
    assert!(jobs::owning_account(db, "other", "job-same", &alice).await.unwrap().is_none());

    let mut tx = events::begin(db).await.unwrap();
    incidents::snooze(&mut tx, ALICE, "obc", "job-same", t + 600).await.unwrap();
    tx.commit().await.unwrap();
    let left = jobs::incidents_for_accounts(db, ALICE, &alice, t - 86_400, t, 100).await.unwrap().incidents;
    assert_eq!(left.len(), 1);
    assert_eq!((left[0].job.profile.as_str(), left[0].job.job_id.as_str()), ("eazybackup", "job-same"));
});

// The pulse snapshot is bounded: the newest `limit` incidents and the count of them all, snoozed
// ones left out of both.
both_backends!(incidents_are_the_newest_within_the_limit_with_the_total, |db| async move {
    seed_two_clients(db).await;
    for i in 0..5 {
        let mut e = end(&format!("job-{i}"), "acme-dental", 7003);
        e.ended_at = now() - 10 - i;
        jobs::record_job_end(db, "eazybackup", &e).await.unwrap();
    }
    let alice = accounts(db, ALICE).await;
    let t = now();
    let page = jobs::incidents_for_accounts(db, ALICE, &alice, t - 86_400, t, 3).await.unwrap();
    let ids: Vec<&str> = page.incidents.iter().map(|i| i.job.job_id.as_str()).collect();
    assert_eq!((ids, page.total), (vec!["job-0", "job-1", "job-2"], 5));

    let mut tx = events::begin(db).await.unwrap();
    incidents::snooze(&mut tx, ALICE, "eazybackup", "job-0", t + 600).await.unwrap();
    tx.commit().await.unwrap();
    let page = jobs::incidents_for_accounts(db, ALICE, &alice, t - 86_400, t, 3).await.unwrap();
    let ids: Vec<&str> = page.incidents.iter().map(|i| i.job.job_id.as_str()).collect();
    assert_eq!((ids, page.total), (vec!["job-1", "job-2", "job-3"], 4));
    let all = jobs::incidents_for_accounts(db, ALICE, &alice, t - 86_400, t, 100).await.unwrap();
    assert_eq!((all.incidents.len(), all.total), (4, 4), "under the limit the total is the list's length");
});
