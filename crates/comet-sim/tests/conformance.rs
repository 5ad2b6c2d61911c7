//! Conformance: the real `comet` client against the simulator, endpoint by endpoint, plus
//! golden-fixture shape checks of what the simulator sends (fixtures/comet/, written by hand
//! from comet-api.md). The two crates share no model types, so agreement here is agreement
//! with the reference, not with each other.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use comet::events::{EventStream, StreamCredentials, StreamItem, StreamOptions};
use comet::{AdminClient, CometError, Credentials, SearchClause};
use comet_sim::{FaultPatch, ManualClock, Sim, SimConfig, SimHandle, StartJob};
use serde_json::{Value, json};

// ------------------------------------------------------------------ harness

async fn start() -> Result<SimHandle> {
    Sim::start(SimConfig::for_tests()).await
}

fn client(sim: &SimHandle) -> Result<AdminClient> {
    let c = sim.admin_creds();
    Ok(AdminClient::new(&sim.base_url(), Credentials { username: c.username, password: c.password, ..Default::default() })?)
}

/// A live connection of alice: (live ID, device ID).
async fn alice_live(c: &AdminClient) -> Result<(String, String)> {
    let live = c.dispatcher_list_active(Some("alice")).await?;
    let (id, conn) = live.iter().next().context("alice has a live device")?;
    Ok((id.clone(), conn.device_id.clone()))
}

/// A Protected Item of `device` and a vault of alice, from the profile the client reads.
async fn item_and_vault(c: &AdminClient, device: &str) -> Result<(String, String)> {
    let p = c.get_user_profile("alice").await?;
    let item =
        p.sources.iter().find(|(_, s)| s.owner_device == device).map(|(id, _)| id.clone()).context("the device owns an item")?;
    let vault = p.destinations.keys().next().context("alice has a vault")?.clone();
    Ok((item, vault))
}

async fn wait_until<F: AsyncFnMut() -> Result<bool>>(mut f: F, what: &str) -> Result<()> {
    for _ in 0..100 {
        if f().await? {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("timed out waiting for {what}")
}

async fn raw_post(sim: &SimHandle, path: &str, params: &[(&str, &str)]) -> Result<reqwest::Response> {
    let c = sim.admin_creds();
    let mut form: Vec<(&str, &str)> = vec![("Username", &c.username), ("AuthType", "Password"), ("Password", &c.password)];
    form.extend_from_slice(params);
    // `form` borrows `c`; build the body before `c` goes away.
    let body = serde_urlencoded_body(&form);
    Ok(reqwest::Client::new()
        .post(format!("{}{}", sim.base_url(), path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await?)
}

fn serde_urlencoded_body(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

async fn raw_json(sim: &SimHandle, path: &str, params: &[(&str, &str)]) -> Result<Value> {
    Ok(raw_post(sim, path, params).await?.json().await?)
}

/// An end-user call (password auth) under `/api/v1/user/web/`.
async fn user_json(sim: &SimHandle, user: &str, pw: &str, ep: &str, params: &[(&str, &str)]) -> Result<Value> {
    let mut form: Vec<(&str, &str)> = vec![("Username", user), ("AuthType", "Password"), ("Password", pw)];
    form.extend_from_slice(params);
    Ok(reqwest::Client::new()
        .post(format!("{}/api/v1/user/web/{ep}", sim.base_url()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded_body(&form))
        .send()
        .await?
        .json()
        .await?)
}

// ------------------------------------------------------------------ golden fixtures

fn fixture(name: &str) -> Result<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/comet").join(name);
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(serde_json::from_str(&text)?)
}

/// Keys the reference marks omitempty (§5): either side may lack them.
const OMITEMPTY: &[&str] = &[
    // BackupJobDetail
    "SnapshotID",
    "BackupRuleGUID",
    "TotalVmCount",
    "TotalMailsCount",
    "TotalSitesCount",
    "TotalAccountsCount",
    "TotalLicensedMailsCount",
    "TotalUnlicensedMailsCount",
    "ConflictingJobID",
    "CancellationID",
    "Progress",
    "DestinationSizeStart",
    "DestinationSizeEnd",
    "Tags",
    // StreamableEvent
    "ResourceID",
    "Timestamp",
    "TypeString",
    "Data",
    // UserProfileConfig, DeviceConfig, OSInfo, SourceConfig, DestinationStatistics
    "OrganizationID",
    "LastSuspended",
    "PasswordRecovery",
    "ServerConfig",
    "RegistrationTime",
    "Sources",
    "DeviceTimezone",
    "ClientVersion",
    "version",
    "distribution",
    "build",
    "os",
    "arch",
    "DeviceTimeZone",
    "Statistics",
    "LastSuccessfulDeepVerify_GUID",
    "LastSuccessfulDeepVerify_StartTime",
    "LastSuccessfulDeepVerify_EndTime",
    "OverrideDestinationRetention",
    "Offset",
    "RandomDelaySecs",
    "OnPCBoot",
    "OnPCBootIfLastJobMissed",
    "OnLastJobFailDoRetry",
    "LastJobFailDoRetryCount",
    "LastJobFailDoRetryTime",
    "BackupRules",
    "JobID",
    // StoredObject
    "dname",
    "itemClass",
    "from",
    "to",
    "rtime",
    "has_attachments",
    "stime",
    "etime",
    "r",
    "f",
    "b",
    "d",
    // UserPolicy
    "FileAndFolderMandatoryExclusions",
    "ModeScheduleSkipAlreadyRunning",
    "ModeScheduleLastJobFailDoRetry",
    "ModeLastJobFailDoRetryTime",
    "ModeLastJobFailDoRetryCount",
    "ModeAdminResetPassword",
    "ModeAdminViewFilenames",
    "ModeRequireUserResetPassword",
];

/// Deliberate unknown keys: the fixtures' probes for the client, the simulator's probe.
fn is_probe(key: &str) -> bool {
    key.starts_with("Future") || key.starts_with("X_") || key.starts_with("SimFuture")
}

/// Object-valued fields whose keys are data (IDs, addresses), not field names.
const MAP_FIELDS: &[&str] = &[
    "Destinations",
    "Sources",
    "Devices",
    "BackupRules",
    "OverrideEmailSettings",
    "BoosterLimit",
    "boosterCount",
    "ServerLicenseLimit",
    "EngineProps",
    "Swift",
    "B2",
    "WebDav",
];

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Same key set (modulo omitempty keys and the fixture's deliberate unknown `Future*` probes)
/// and the same JSON types, recursively; map-typed fields compare each value with the
/// fixture's first value. Returns every difference, so one run shows them all.
fn shape_diff(actual: &Value, expected: &Value, ctx: &str, out: &mut Vec<String>) {
    let compatible = kind(actual) == kind(expected)
        || (actual.is_null() && matches!(expected, Value::Array(_) | Value::Object(_)))
        || (expected.is_null() && matches!(actual, Value::Array(_) | Value::Object(_)));
    if !compatible {
        out.push(format!("{ctx}: simulator sends {} where the fixture has {}", kind(actual), kind(expected)));
        return;
    }
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            let ak: BTreeSet<&String> = a.keys().collect();
            let ek: BTreeSet<&String> = e.keys().collect();
            for k in ek.difference(&ak) {
                if !OMITEMPTY.contains(&k.as_str()) && !is_probe(k) {
                    out.push(format!("{ctx}.{k}: missing from the simulator's output"));
                }
            }
            for k in ak.difference(&ek) {
                if !OMITEMPTY.contains(&k.as_str()) && !is_probe(k) {
                    out.push(format!("{ctx}.{k}: the simulator sends a key the reference fixture does not have"));
                }
            }
            for k in ak.intersection(&ek) {
                let c = format!("{ctx}.{k}");
                if k.as_str() == "Policy" && a[*k].get("PreventRequestStorageVault").is_some() {
                    // Every UserPolicy is checked against the complete §5.12 fixture.
                    match fixture("UserPolicy.json") {
                        Ok(policy) => shape_diff(&a[*k], &policy, &c, out),
                        Err(e) => out.push(format!("{c}: {e}")),
                    }
                } else if MAP_FIELDS.contains(&k.as_str()) || k.as_str() == "Data" {
                    map_diff(&a[*k], &e[*k], &c, out);
                } else {
                    shape_diff(&a[*k], &e[*k], &c, out);
                }
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            if let (Some(av), Some(ev)) = (a.first(), e.first()) {
                shape_diff(av, ev, &format!("{ctx}[0]"), out);
            }
        }
        _ => {}
    }
}

fn map_diff(actual: &Value, expected: &Value, ctx: &str, out: &mut Vec<String>) {
    let (Some(a), Some(e)) = (actual.as_object(), expected.as_object()) else {
        return shape_diff(actual, expected, ctx, out);
    };
    let Some(sample) = e.values().next() else { return };
    if !sample.is_object() {
        return;
    }
    for (k, v) in a {
        shape_diff(v, sample, &format!("{ctx}[{k}]"), out);
    }
}

fn assert_shape(actual: &Value, fixture_name: &str) -> Result<()> {
    let expected = fixture(fixture_name)?;
    let mut diffs = Vec::new();
    if fixture_name.ends_with("-map.json") {
        map_diff(actual, &expected, fixture_name, &mut diffs);
    } else {
        shape_diff(actual, &expected, fixture_name, &mut diffs);
    }
    if !diffs.is_empty() {
        bail!("shape differs from {fixture_name}:\n  {}", diffs.join("\n  "));
    }
    Ok(())
}

/// A job in a given state, as the client's `AdminGetJobProperties` endpoint serves it raw.
async fn raw_job(sim: &SimHandle, id: &str) -> Result<Value> {
    raw_json(sim, "/api/v1/admin/get-job-properties", &[("JobID", id)]).await
}

#[tokio::test]
async fn golden_fixtures_match_what_the_simulator_sends() -> Result<()> {
    let sim = start().await?;
    assert_shape(&raw_json(&sim, "/api/v1/admin/get-user-profile", &[("TargetUser", "alice")]).await?, "UserProfileConfig.json")?;
    assert_shape(
        &raw_json(&sim, "/api/v1/admin/get-user-profile-and-hash", &[("TargetUser", "alice")]).await?,
        "GetProfileAndHashResponseMessage.json",
    )?;
    assert_shape(&raw_json(&sim, "/api/v1/admin/dispatcher/list-active", &[]).await?, "LiveUserConnection-map.json")?;
    let job = sim.start_job(StartJob::new("alice", 0.4, 5000))?;
    assert_shape(&raw_job(&sim, &job).await?, "BackupJobDetail-running.json")?;
    wait_until(async || Ok(raw_job(&sim, &job).await?["Status"] == 5000), "job completion").await?;
    assert_shape(&raw_job(&sim, &job).await?, "BackupJobDetail-completed.json")?;
    // A completed job's profile statistics embed BackupJobDetail too.
    assert_shape(&raw_json(&sim, "/api/v1/admin/get-user-profile", &[("TargetUser", "alice")]).await?, "UserProfileConfig.json")?;
    let bad = raw_json(&sim, "/api/v1/admin/meta/version", &[("Password", "wrong")]).await;
    // `raw_post` already sends the right password first; a duplicate key keeps the first value,
    // so build the wrong-password request by hand.
    let _ = bad;
    let wrong = reqwest::Client::new()
        .post(format!("{}/api/v1/admin/meta/version", sim.base_url()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("Username=admin&AuthType=Password&Password=nope")
        .send()
        .await?
        .json::<Value>()
        .await?;
    assert_shape(&wrong, "error-403.json")?;
    sim.shutdown().await;

    let mut cfg = SimConfig::for_tests();
    cfg.admin_totp_secret = Some("JBSWY3DPEHPK3PXP".into());
    let sim = Sim::start(cfg).await?;
    let totp = raw_json(&sim, "/api/v1/admin/meta/version", &[]).await?;
    assert_eq!(totp["Message"], "ERR_TOTP_REQUIRED");
    assert_shape(&totp, "error-totp.json")?;
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn golden_fixtures_of_endpoint_responses() -> Result<()> {
    let sim = start().await?;
    let c = client(&sim)?;
    let (live, device) = alice_live(&c).await?;
    let (item, vault) = item_and_vault(&c, &device).await?;
    let check = async |path: &str, params: &[(&str, &str)], name: &str| -> Result<Value> {
        let v = raw_json(&sim, path, params).await?;
        assert_eq!(v.get("Status").and_then(Value::as_i64).unwrap_or(200), 200, "{path}: {v}");
        assert_shape(&v, name)?;
        Ok(v)
    };
    check("/api/v1/admin/account/session-start", &[], "SessionKeyRegeneratedResponse.json").await?;
    check(
        "/api/v1/admin/dispatcher/run-backup-custom",
        &[("TargetID", &live), ("Source", &item), ("Destination", &vault)],
        "DispatchWithJobIDResponse.json",
    )
    .await?;
    let snaps = check(
        "/api/v1/admin/dispatcher/request-vault-snapshots",
        &[("TargetID", &live), ("Destination", &vault)],
        "DispatcherVaultSnapshotsResponse.json",
    )
    .await?;
    let snap = snaps["Snapshots"][0]["Snapshot"].as_str().context("a seeded snapshot")?.to_string();
    check(
        "/api/v1/admin/dispatcher/request-stored-objects",
        &[("TargetID", &live), ("Destination", &vault), ("SnapshotID", &snap)],
        "DispatcherStoredObjectsResponse.json",
    )
    .await?;
    check("/api/v1/admin/dispatcher/request-browse-disk-drives", &[("TargetID", &live)], "BrowseDiskDrivesResponse.json").await?;
    check(
        "/api/v1/admin/get-protected-item-with-backup-rules",
        &[("TargetUser", "alice"), ("SourceID", &item)],
        "ProtectedItemWithBackupRulesResponse.json",
    )
    .await?;
    check(
        "/api/v1/admin/count-jobs-for-custom-search",
        &[("Query", r#"{"ClauseType":"","RuleField":"BackupJobDetail.Status","RuleOperator":"int_gte","RuleValue":"0"}"#)],
        "CountJobsResponse.json",
    )
    .await?;
    let policies = raw_json(&sim, "/api/v1/admin/policies/list", &[]).await?;
    let pid = policies.as_object().and_then(|m| m.keys().next().cloned()).context("a policy")?;
    check("/api/v1/admin/policies/get", &[("PolicyID", &pid)], "GetGroupPolicyResponse.json").await?;
    check("/api/v1/admin/branding/available-platforms", &[], "AvailableDownload-map.json").await?;
    check(
        "/api/v1/admin/create-install-token",
        &[("TargetUser", "alice"), ("TargetPassword", "alice-pass")],
        "InstallTokenResponse.json",
    )
    .await?;
    let hash = raw_json(&sim, "/api/v1/admin/get-user-profile-hash", &[("TargetUser", "alice")]).await?["ProfileHash"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let totp = user_json(&sim, "alice", "alice-pass", "account/regenerate-totp", &[("ProfileHash", &hash)]).await?;
    assert_shape(&totp, "TotpRegeneratedResponse.json")?;
    assert_shape(&user_json(&sim, "alice", "alice-pass", "news/get-all", &[]).await?, "NewsEntry-map.json")?;
    let rules = raw_json(&sim, "/api/v1/admin/get-user-profile", &[("TargetUser", "alice")]).await?["BackupRules"].clone();
    let rule = rules.as_object().and_then(|m| m.values().next().cloned()).context("a seeded rule")?;
    assert_shape(&rule, "BackupRuleConfig.json")?;
    let jobs = raw_json(&sim, "/api/v1/admin/get-jobs-all", &[]).await?;
    let job = jobs[0]["GUID"].as_str().context("a job")?.to_string();
    assert_shape(&raw_json(&sim, "/api/v1/admin/get-job-log-entries", &[("JobID", &job)]).await?, "JobEntry-array.json")?;
    sim.shutdown().await;
    Ok(())
}

// ------------------------------------------------------------------ profiles

/// Go writes a nil slice/map as `null` and an empty one as `[]`/`{}`; Comet reads both the same
/// way, and the client parses `null` as empty, so the lossless comparison treats them as equal.
fn empty_as_null(v: Value) -> Value {
    match v {
        Value::Array(a) if a.is_empty() => Value::Null,
        Value::Object(m) if m.is_empty() => Value::Null,
        Value::Array(a) => Value::Array(a.into_iter().map(empty_as_null).collect()),
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (k, empty_as_null(v))).collect()),
        other => other,
    }
}

#[tokio::test]
async fn profile_round_trip_is_lossless_and_stale_hashes_are_refused() -> Result<()> {
    let sim = start().await?;
    let c = client(&sim)?;
    let before = sim.core().profile_and_hash("alice")?.0;
    let read = c.get_user_profile_and_hash("alice").await?;
    assert_eq!(read.status, 200);
    let written = c.set_user_profile_hash("alice", &read.profile, &read.profile_hash).await?;
    assert_ne!(written.profile_hash, read.profile_hash, "every stored write changes the hash");
    let after = sim.core().profile_and_hash("alice")?.0;
    assert_eq!(
        empty_as_null(Value::Object(after)),
        empty_as_null(Value::Object(before)),
        "unchanged read+write must be lossless"
    );
    assert_eq!(c.get_user_profile_hash("alice").await?.profile_hash, written.profile_hash);

    // A stale hash: nothing stored, error surfaced.
    let err = c.set_user_profile_hash("alice", &read.profile, &read.profile_hash).await.unwrap_err();
    assert!(matches!(err, CometError::Api { status: 400, .. }), "{err:?}");
    assert_eq!(c.get_user_profile_hash("alice").await?.profile_hash, written.profile_hash);

    // Unconditional write, list endpoints.
    let mut p = c.get_user_profile("alice").await?;
    p.account_name = "Alice Dental".into();
    assert_eq!(c.set_user_profile("alice", &p).await?.status, 200);
    assert_eq!(c.list_users().await?, vec!["alice".to_string()]);
    let full = c.list_users_full().await?;
    assert_eq!(full["alice"].account_name, "Alice Dental");
    assert_eq!(c.meta_version().await?.server_start_hash.len(), 32);
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn update_profile_retries_after_a_concurrent_writer_and_keeps_unknown_keys() -> Result<()> {
    let sim = start().await?;
    let c = client(&sim)?;
    let calls = Cell::new(0);
    c.update_profile("alice", |p| {
        calls.set(calls.get() + 1);
        if calls.get() == 1 {
            // Someone else writes between our read and our write (job completion, device…).
            sim.touch_profile("alice").map_err(|e| CometError::Api { status: 500, message: e.to_string() })?;
        }
        p.account_name = "Renamed by the portal".into();
        Ok::<_, CometError>(())
    })
    .await?;
    assert_eq!(calls.get(), 2, "one conflict, one successful retry");
    let stored = sim.core().profile_and_hash("alice")?.0;
    assert_eq!(stored["AccountName"], "Renamed by the portal");
    assert_eq!(stored["SimFutureSetting"], json!({ "Enabled": true, "Level": 3 }));

    // A genuine refusal (the server rejects the document itself) is surfaced, not retried.
    let attempts = Cell::new(0);
    let err = c
        .update_profile("alice", |p| {
            attempts.set(attempts.get() + 1);
            p.username = "mallory".into();
            Ok::<_, CometError>(())
        })
        .await
        .unwrap_err();
    assert_eq!(attempts.get(), 1);
    assert!(matches!(err, CometError::Api { status: 400, .. }), "{err:?}");

    // Hash-mismatch text is configurable: the client must not depend on it.
    sim.set_faults(FaultPatch {
        hash_mismatch_status: Some(409),
        hash_mismatch_message: Some("changed".into()),
        ..Default::default()
    });
    let calls = Cell::new(0);
    c.update_profile("alice", |p| {
        calls.set(calls.get() + 1);
        if calls.get() == 1 {
            sim.touch_profile("alice").map_err(|e| CometError::Api { status: 500, message: e.to_string() })?;
        }
        p.language_code = "fr_CA".into();
        Ok::<_, CometError>(())
    })
    .await?;
    assert_eq!(sim.core().profile_and_hash("alice")?.0["LanguageCode"], "fr_CA");
    sim.shutdown().await;
    Ok(())
}

// ------------------------------------------------------------------ jobs

#[tokio::test]
async fn jobs_logs_cancel_and_abandon_through_the_client() -> Result<()> {
    let sim = start().await?;
    let c = client(&sim)?;
    let running = sim.start_job(StartJob::new("alice", 60.0, 5000))?;
    let job = c.get_job_properties(&running).await?;
    assert_eq!(job.status.0, 6001);
    assert!(!job.cancellation_id.is_empty());
    assert!(c.get_jobs_for_date_range(0, 0).await?.iter().any(|j| j.guid == running));
    assert!(c.get_jobs_recent().await?.iter().any(|j| j.guid == running));
    sim.set_faults(FaultPatch { cancel_delay_secs: Some(0.5), ..Default::default() });
    c.job_cancel("alice", &running).await?;
    // A cancel is a request to the device: right after it the job still runs.
    let just_after = c.get_job_properties(&running).await?;
    assert_eq!((just_after.status.0, just_after.end_time), (6001, 0));
    assert!(c.get_jobs_for_date_range(0, 0).await?.iter().any(|j| j.guid == running));
    wait_until(async || Ok(c.get_job_properties(&running).await?.status.0 == 7005), "the device to confirm the cancel").await?;
    assert!(c.get_job_properties(&running).await?.end_time > 0);

    let mut stalled = StartJob::new("alice", 60.0, 5000);
    stalled.stall = true;
    let stalled = sim.start_job(stalled)?;
    assert!(c.job_cancel("alice", &stalled).await.is_err(), "a stalled device ignores cancel");
    c.job_abandon("alice", &stalled).await?;
    assert_eq!(c.get_job_properties(&stalled).await?.status.0, 7007);

    let warn = sim.start_job(StartJob::new("alice", 0.2, 7001))?;
    wait_until(async || Ok(c.get_job_properties(&warn).await?.status.0 == 7001), "warning job").await?;
    let done = c.get_job_properties(&warn).await?;
    assert!(done.end_time > 0 && !done.snapshot_id.is_empty());
    let now = sim.core().now();
    assert!(c.get_jobs_for_date_range(now + 10, now - 3600).await?.iter().any(|j| j.guid == warn), "swapped range");
    assert_eq!(c.get_jobs_for_user("alice").await?.len(), 3);
    let warnings = c.get_job_log_entries(&warn, Some("W"), None).await?;
    assert!(!warnings.is_empty() && warnings.iter().all(|e| e.severity == "W" || e.severity == "E"));
    assert!(c.get_job_log_entries(&warn, None, Some("Starting")).await?.len() == 1);
    assert!(c.get_job_log(&warn).await?.lines().count() >= 2);
    assert!(c.get_job_properties("no-such-job").await.is_err());
    sim.shutdown().await;
    Ok(())
}

// ------------------------------------------------------------------ devices and dispatcher

#[tokio::test]
async fn dispatcher_actions_and_devices_through_the_client() -> Result<()> {
    let sim = start().await?;
    sim.set_faults(FaultPatch { reconnect_delay_ms: Some(100), ..Default::default() });
    let c = client(&sim)?;
    let (live, device) = alice_live(&c).await?;
    let (item, vault) = item_and_vault(&c, &device).await?;

    let custom = c.dispatcher_run_backup_custom(&live, &item, &vault, None).await?;
    assert!(!custom.job_id.is_empty());
    assert_eq!(c.get_job_properties(&custom.job_id).await?.source_guid, item);

    let rule = c
        .get_user_profile("alice")
        .await?
        .backup_rules
        .iter()
        .find(|(_, r)| r.source == item)
        .map(|(id, _)| id.clone())
        .context("seeded rule for the item")?;
    let by_rule = c.dispatcher_run_backup(&live, &rule).await?;
    let job = c.get_job_properties(&by_rule.job_id).await?;
    assert_eq!(job.backup_rule_guid, rule);
    // SkipAlreadyRunning: the custom run of the same item is still going.
    assert_eq!(job.status.0, 7006);

    let snaps = c.dispatcher_request_vault_snapshots(&live, &vault).await?;
    assert!(!snaps.snapshots.is_empty());
    assert!(snaps.snapshots.iter().all(|s| s.create_time > 0));

    assert_eq!(c.dispatcher_refetch_profile(&live).await?.status, 200);
    c.dispatcher_drop_connection(&live).await?;
    wait_until(
        async || Ok(c.dispatcher_list_active(Some("alice")).await?.values().filter(|l| l.device_id == device).count() == 1),
        "reconnect",
    )
    .await?;
    let new_live = c
        .dispatcher_list_active(Some("alice"))
        .await?
        .into_iter()
        .find(|(_, l)| l.device_id == device)
        .map(|(id, _)| id)
        .context("device back")?;
    assert_ne!(new_live, live, "a reconnect gets a new live ID");
    assert!(c.dispatcher_refetch_profile(&live).await.is_err(), "the old live ID is gone");

    assert_eq!(c.dispatcher_update_software(&new_live).await?.status, 200);
    c.dispatcher_uninstall_software(&new_live, false).await?;
    wait_until(
        async || Ok(!c.dispatcher_list_active(Some("alice")).await?.values().any(|l| l.device_id == device)),
        "uninstall disconnects",
    )
    .await?;

    // Revoke the other device: gone from the profile, with its items.
    let other = c.get_user_profile("alice").await?.devices.keys().find(|d| **d != device).cloned().context("second device")?;
    c.revoke_device("alice", &other).await?;
    let p = c.get_user_profile("alice").await?;
    assert!(!p.devices.contains_key(&other));
    assert!(p.sources.values().all(|s| s.owner_device != other));
    assert!(c.revoke_device("alice", &other).await.is_err());

    c.delete_protected_item("alice", &item).await?;
    assert!(!c.get_user_profile("alice").await?.sources.contains_key(&item));
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn storage_vault_requests_through_the_client() -> Result<()> {
    let sim = start().await?;
    let c = client(&sim)?;
    let providers = c.request_storage_vault_providers().await?;
    let provider = providers.keys().next().context("a storage template")?.clone();
    let before = c.get_user_profile_hash("alice").await?.profile_hash;
    let res = c.request_storage_vault("alice", &provider, None, Some(&before)).await?;
    assert!(res.profile.destinations.contains_key(&res.destination_id));
    assert_eq!(res.profile.destinations[&res.destination_id].description, providers[&provider]);
    assert_ne!(res.profile_hash, before);
    let stale = c.request_storage_vault("alice", &provider, None, Some(&before)).await;
    assert!(stale.is_err(), "a stale ProfileHash refuses the request");
    sim.shutdown().await;
    Ok(())
}

// ------------------------------------------------------------------ errors and auth

#[tokio::test]
async fn client_errors_map_from_simulator_faults() -> Result<()> {
    let sim = start().await?;
    let bad = AdminClient::new(
        &sim.base_url(),
        Credentials { username: "admin".into(), password: "nope".into(), ..Default::default() },
    )?;
    let err = bad.list_users().await.unwrap_err();
    assert!(err.is_auth_failure(), "{err:?}");

    let c = client(&sim)?;
    sim.set_faults(FaultPatch { mirror_http_status: Some(true), ..Default::default() });
    let err = c.get_user_profile("nobody").await.unwrap_err();
    assert_eq!(err.api_message().map(|m| m.contains("nobody")), Some(true), "{err:?}");
    sim.set_faults(FaultPatch { mirror_http_status: Some(false), http_5xx: Some(1), ..Default::default() });
    // A safe read survives one transient 503 (or surfaces it as an HTTP error — never as data).
    match c.list_users().await {
        Ok(users) => assert_eq!(users, vec!["alice".to_string()]),
        Err(e) => assert!(matches!(e, CometError::Http { status: 503, .. }), "{e:?}"),
    }
    sim.shutdown().await;
    Ok(())
}

/// An admin protected by TOTP, as a real server checks it: RFC 6238 codes of the account's
/// secret at the server's clock, each accepted once. A fixed code gets one login; the secret
/// gets a login whenever one is needed, with a code of a step not used before.
#[tokio::test]
async fn totp_admin_codes_are_time_based_and_single_use() -> Result<()> {
    const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DP";
    let clock = Arc::new(ManualClock::new(1_795_000_005));
    let sim =
        Sim::start(SimConfig { admin_totp_secret: Some(SECRET.into()), clock: clock.clone(), ..SimConfig::for_tests() }).await?;
    let creds = sim.admin_creds();
    let with = |totp: Option<String>, totp_secret: Option<String>| {
        let c = Credentials {
            username: creds.username.clone(),
            password: creds.password.clone(),
            totp,
            totp_secret,
            ..Default::default()
        };
        AdminClient::new(&sim.base_url(), c)
    };
    assert!(matches!(with(None, None)?.list_users().await.unwrap_err(), CometError::TotpRequired));

    let code = comet::totp::code_at(SECRET, sim.core().now())?;
    let first = with(Some(code.clone()), None)?;
    assert_eq!(first.list_users().await?, vec!["alice".to_string()]);
    let reused = with(Some(code.clone()), None)?.list_users().await.unwrap_err();
    assert!(reused.is_auth_failure(), "a code is accepted once: {reused:?}");
    clock.advance(90);
    let late = comet::totp::code_at(SECRET, sim.core().now() - 90)?;
    assert!(with(Some(late), None)?.list_users().await.unwrap_err().is_auth_failure(), "an expired code is refused");

    let core = sim.core().clone();
    let unattended = with(None, Some(SECRET.into()))?.with_totp_clock(move || core.now());
    for _ in 0..3 {
        unattended.login().await?;
        assert_eq!(unattended.list_users().await?, vec!["alice".to_string()]);
        clock.advance(30);
    }
    // Two logins in one step: the second waits for the next code instead of reusing one.
    unattended.login().await?;
    let advance = {
        let clock = clock.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            clock.advance(30);
        })
    };
    unattended.login().await?;
    advance.await?;
    assert_eq!(unattended.list_users().await?, vec!["alice".to_string()]);
    sim.shutdown().await;
    Ok(())
}

// ------------------------------------------------------------------ event stream

async fn next_event(s: &mut EventStream, code: i64) -> Result<comet::models::StreamableEvent> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let item =
            tokio::time::timeout_at(deadline, s.next()).await.with_context(|| format!("timed out waiting for event {code}"))?;
        match item {
            Some(Ok(StreamItem::Event(ev))) if ev.r#type.0 == code => return Ok(*ev),
            Some(Ok(_)) => {}
            Some(Err(e)) => bail!("stream error: {e}"),
            None => bail!("stream ended"),
        }
    }
}

#[tokio::test]
async fn event_stream_client_receives_hello_jobs_and_account_updates() -> Result<()> {
    let sim = start().await?;
    let creds = sim.admin_creds();
    let mut s = EventStream::connect(
        &sim.ws_url(),
        &StreamCredentials::password(&creds.username, &creds.password),
        StreamOptions::default(),
    )
    .await?;
    let hello = next_event(&mut s, 4000).await?;
    assert!(hello.data.as_ref().and_then(|d| d.get("ServerStartHash")).is_some());
    let job = sim.start_job(StartJob::new("alice", 0.3, 5000))?;
    let new = next_event(&mut s, 4200).await?;
    assert_eq!(new.resource_id, job);
    let updated = next_event(&mut s, 4102).await?;
    assert_eq!(updated.resource_id, "alice");
    let done = next_event(&mut s, 4201).await?;
    assert_eq!(done.data.as_ref().and_then(|d| d["Status"].as_u64()), Some(5000));

    // Malformed frames surface as such; the stream keeps going.
    sim.set_faults(FaultPatch { malformed_frame: Some(true), ..Default::default() });
    let item = tokio::time::timeout(Duration::from_secs(5), s.next()).await.context("malformed frame")?.context("frame")??;
    assert!(matches!(item, StreamItem::Malformed(_)));
    sim.touch_profile("alice")?;
    next_event(&mut s, 4102).await?;

    // close_after_events: the client sees the stream end.
    sim.set_faults(FaultPatch { close_after_events: Some(1), ..Default::default() });
    sim.touch_profile("alice")?;
    next_event(&mut s, 4102).await?;
    let end = tokio::time::timeout(Duration::from_secs(5), s.next()).await.context("stream end")?;
    assert!(!matches!(end, Some(Ok(StreamItem::Event(_)))), "{end:?}");
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn tenant_admins_only_receive_their_organizations_events() -> Result<()> {
    let mut cfg = SimConfig::for_tests();
    cfg.tenant_admins.push(comet_sim::AdminAccount {
        username: "tenant-admin".into(),
        password: "tenant-pass".into(),
        totp_secret: None,
        organization_id: "org-a".into(),
    });
    cfg.user_organizations.insert("alice".into(), "org-a".into());
    let sim = Sim::start(cfg).await?;
    let mut tenant = EventStream::connect(
        &sim.ws_url(),
        &StreamCredentials::password("tenant-admin", "tenant-pass"),
        StreamOptions::default(),
    )
    .await?;
    next_event(&mut tenant, 4000).await?;
    sim.set_faults(FaultPatch { foreign_tenant_event: Some(true), ..Default::default() });
    sim.touch_profile("alice")?;
    let ev = next_event(&mut tenant, 4102).await?;
    assert_eq!(ev.owner_organization_id, "org-a", "the foreign tenant's event must not arrive first");
    let tc = AdminClient::new(
        &sim.base_url(),
        Credentials { username: "tenant-admin".into(), password: "tenant-pass".into(), ..Default::default() },
    )?;
    assert_eq!(tc.list_users().await?, vec!["alice".to_string()]);
    sim.shutdown().await;
    Ok(())
}

// ------------------------------------------------------------------ portal endpoints (admin_api / user_web)

#[tokio::test]
async fn portal_admin_endpoints_through_the_client() -> Result<()> {
    let sim = start().await?;
    let c = client(&sim)?;
    let (live, device) = alice_live(&c).await?;
    let (item, vault) = item_and_vault(&c, &device).await?;

    assert_eq!(c.session_start_as_user("alice").await?.session_type, "user");
    assert_eq!(c.hybrid_session_start().await?.session_type, "admin");
    c.add_user("carol", "carol-pass", &comet::AddUserOptions { store_recovery_code: true, ..Default::default() }).await?;
    assert!(c.list_users().await?.contains(&"carol".to_string()));
    c.reset_user_password("carol", "carol-2", None).await?;
    c.disable_user_totp("carol").await?;
    let token = c.create_install_token("alice", "alice-pass", None).await?;
    assert_eq!(token.install_token.username, "alice");
    assert!(c.create_install_token("alice", "wrong", None).await.is_err());
    c.delete_user("carol", None).await?;
    assert!(!c.list_users().await?.contains(&"carol".to_string()));

    let pi = c.get_protected_item_with_backup_rules("alice", &item).await?;
    assert_eq!(pi.source.owner_device, device);
    assert_eq!(pi.backup_rules.len(), 1, "one seeded rule per item");

    let snaps = c.dispatcher_request_vault_snapshots(&live, &vault).await?.snapshots;
    let snap = snaps.iter().find(|s| s.source == item).context("a snapshot of the item")?;
    let objects = c.dispatcher_request_stored_objects(&live, &vault, &snap.snapshot, None, None).await?;
    let dir = objects.stored_objects.iter().find(|o| o.r#type == "dir").context("a directory")?;
    let inner = c.dispatcher_request_stored_objects(&live, &vault, &snap.snapshot, Some(&dir.subtree), None).await?;
    assert!(!inner.stored_objects.is_empty());
    assert!(!c.dispatcher_request_filesystem_objects(&live, None).await?.stored_objects.is_empty());
    assert!(!c.dispatcher_request_browse_disk_drives(&live).await?.disks.is_empty());
    c.dispatcher_delete_snapshot(&live, &vault, &snap.snapshot).await?;
    c.dispatcher_apply_retention_rules(&live, &vault).await?;
    let maintenance = SearchClause::rule("BackupJobDetail.Classification", "int_eq", 4003);
    assert_eq!(c.count_jobs_for_custom_search(&maintenance).await?.count, 1);
    assert_eq!(c.get_jobs_for_custom_search(&maintenance).await?.len(), 1);

    let platforms = c.branding_available_platforms().await?;
    let (key, _) = platforms.iter().find(|(_, p)| p.recommended).context("a recommended download")?;
    let download = c.branding_generate_client_by_platform(*key).await?;
    assert!(download.filename.is_some_and(|f| !f.is_empty()) && !download.bytes.is_empty());
    let policies = c.policies_list(None).await?;
    let (pid, name) = policies.iter().next().context("a policy")?;
    assert_eq!(&c.policies_get(pid).await?.policy.description, name);
    assert!(!c.news_get_all().await?.is_empty());
    c.dispatcher_kill_process(&live).await?;
    assert!(c.dispatcher_force_login(&live).await.is_err(), "the process is gone");
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn user_web_client_against_the_simulator() -> Result<()> {
    let sim = start().await?;
    let u = comet::UserWebClient::new(
        &sim.base_url(),
        Credentials { username: "alice".into(), password: "alice-pass".into(), ..Default::default() },
    )?;
    let mine = u.get_user_profile_and_hash().await?;
    assert_eq!(mine.profile.username, "alice");
    let mut p = mine.profile.clone();
    p.account_name = "Self-service rename".into();
    let written = u.set_profile_hash(&p, &mine.profile_hash).await?;
    assert_eq!(written.profile.account_name, "Self-service rename");
    let live = u.dispatcher_list_active().await?;
    assert!(live.values().all(|l| l.username == "alice") && !live.is_empty());
    let job = sim.start_job(StartJob::new("alice", 60.0, 5000))?;
    assert!(u.get_jobs().await?.iter().any(|j| j.guid == job));
    assert_eq!(u.get_job_properties(&job).await?.guid, job);
    u.job_cancel(&job).await?;
    assert!(!u.request_storage_vault_providers().await?.is_empty());
    assert!(!u.news_get_all().await?.is_empty());
    sim.shutdown().await;
    Ok(())
}

// ------------------------------------------------------------------ quiet servers

/// Go writes nil slices and maps as `null`; a server with no accounts, no device online and no
/// job running answers `null` where a list or map is declared, and the client reads it as empty.
#[tokio::test]
async fn a_quiet_server_answers_null_collections_and_the_client_reads_them_as_empty() -> Result<()> {
    let sim = Sim::start(SimConfig { users: Vec::new(), ..SimConfig::for_tests() }).await?;
    for (path, params) in [
        ("/api/v1/admin/list-users", &[][..]),
        ("/api/v1/admin/list-users-full", &[][..]),
        ("/api/v1/admin/dispatcher/list-active", &[][..]),
        ("/api/v1/admin/get-jobs-for-date-range", &[("Start", "0"), ("End", "0")][..]),
        ("/api/v1/admin/get-jobs-recent", &[][..]),
    ] {
        assert_eq!(raw_json(&sim, path, params).await?, Value::Null, "{path}");
    }
    let c = client(&sim)?;
    assert!(c.list_users().await?.is_empty());
    assert!(c.list_users_full().await?.is_empty());
    assert!(c.dispatcher_list_active(None).await?.is_empty());
    assert!(c.get_jobs_for_date_range(0, 0).await?.is_empty());
    assert!(c.get_jobs_recent().await?.is_empty());
    sim.shutdown().await;

    // An account whose devices are all offline and whose jobs all ended.
    let sim = Sim::start(SimConfig::for_tests()).await?;
    let c = client(&sim)?;
    for device in c.dispatcher_list_active(None).await?.into_values() {
        sim.core().disconnect_for_good(&device.username, &device.device_id);
    }
    wait_until(async || Ok(c.dispatcher_list_active(None).await?.is_empty()), "every device offline").await?;
    assert_eq!(raw_json(&sim, "/api/v1/admin/dispatcher/list-active", &[]).await?, Value::Null);
    assert!(c.get_jobs_for_date_range(0, 0).await?.iter().all(|j| j.end_time != 0));
    sim.shutdown().await;
    Ok(())
}

// ------------------------------------------------------------------ what the real encoder writes

/// Struct fields are always written by Comet's encoder (`omitempty` does not drop a struct): a
/// queued job has `Progress` and both `DestinationSize*`, a new item has `Statistics`, every
/// profile has `ServerConfig`. Only the four run-backup/run-restore calls answer with a `JobID`.
#[tokio::test]
async fn struct_fields_are_always_written_and_only_run_calls_return_a_job_id() -> Result<()> {
    let sim = start().await?;
    let c = client(&sim)?;
    let job = sim.start_job(StartJob::new("alice", 30.0, 5000))?;
    let raw = raw_job(&sim, &job).await?;
    for key in ["Progress", "DestinationSizeStart", "DestinationSizeEnd"] {
        assert!(raw[key].is_object(), "{key} missing from {raw}");
    }

    c.add_user("carol", "carol-pass", &Default::default()).await?;
    let source = json!({"Engine": "engine1/file", "Description": "Documents", "OwnerDevice": ""});
    let form = [("TargetUser", "carol"), ("SourceID", "item-1"), ("Source", &source.to_string())];
    assert_eq!(raw_json(&sim, "/api/v1/admin/set-protected-item-with-backup-rules", &form).await?["Status"], 200);
    let profile = raw_json(&sim, "/api/v1/admin/get-user-profile", &[("TargetUser", "carol")]).await?;
    assert!(profile["ServerConfig"].is_object(), "{profile}");
    let stats = &profile["Sources"]["item-1"]["Statistics"];
    assert_eq!(stats["LastStartTime"], 0, "{stats}");
    assert!(stats["LastBackupJob"]["Progress"].is_object(), "{stats}");

    let (live, device) = alice_live(&c).await?;
    let (item, vault) = item_and_vault(&c, &device).await?;
    for (path, params) in [
        ("/api/v1/admin/dispatcher/apply-retention-rules", vec![("TargetID", live.as_str()), ("Destination", vault.as_str())]),
        ("/api/v1/admin/dispatcher/reindex-storage-vault", vec![("TargetID", &live), ("Destination", &vault)]),
        ("/api/v1/admin/dispatcher/deepverify-storage-vault", vec![("TargetID", &live), ("Destination", &vault)]),
        ("/api/v1/admin/dispatcher/unlock", vec![("TargetID", &live), ("Destination", &vault)]),
    ] {
        assert_eq!(raw_json(&sim, path, &params).await?, json!({"Status": 200, "Message": "OK"}), "{path}");
    }
    let run = raw_json(
        &sim,
        "/api/v1/admin/dispatcher/run-backup-custom",
        &[("TargetID", &live), ("Source", &item), ("Destination", &vault)],
    )
    .await?;
    assert!(run["JobID"].is_string(), "{run}");
    let update = raw_json(&sim, "/api/v1/admin/dispatcher/update-software", &[("TargetID", &live)]).await?;
    assert_eq!(update, json!({"Status": 200, "Message": "OK"}));
    sim.shutdown().await;
    Ok(())
}

/// Comet answers 403 both for a session that is no longer valid and for a refusal of a valid
/// one. The client tells them apart: a refusal is `Forbidden` and keeps the session; an expired
/// session (30 idle minutes) is renewed and the call goes through.
#[tokio::test]
async fn a_refusal_is_forbidden_and_an_expired_session_is_renewed() -> Result<()> {
    let clock = Arc::new(ManualClock::new(1_795_000_000));
    let sim = Sim::start(SimConfig { clock: clock.clone(), ..SimConfig::for_tests() }).await?;
    let c = client(&sim)?;
    let (live, device) = alice_live(&c).await?;
    sim.core().set_allows_filenames(&device, false)?;
    let refused = c.dispatcher_request_filesystem_objects(&live, None).await.unwrap_err();
    assert!(matches!(&refused, CometError::Forbidden { message } if message.contains("file names")), "{refused:?}");
    assert!(!refused.is_auth_failure());

    clock.advance(3600);
    assert_eq!(c.list_users().await?, vec!["alice".to_string()], "the idle session was renewed");
    let bad = AdminClient::new(
        &sim.base_url(),
        Credentials { username: "admin".into(), password: "wrong".into(), ..Default::default() },
    )?;
    assert!(bad.list_users().await.unwrap_err().is_auth_failure());
    sim.shutdown().await;
    Ok(())
}

// ------------------------------------------------------------------ what the console's Overview reads

/// The keys the customer Overview reads from a profile and the news feed, with the JSON types the
/// SDK declares (`UserProfileConfig`: int64 quotas and `CreateTime`, bool switches; each
/// `DestinationConfig`'s `StorageLimitEnabled` bool / `StorageLimitBytes` int64; `NewsEntry`:
/// `OrganizationID` string, `DateTime` int64, `TextContent` string). Each key is always written:
/// the SDK marks none of them `omitempty`.
#[tokio::test]
async fn quota_account_and_news_fields_are_sent_as_the_sdk_declares() -> Result<()> {
    let sim = start().await?;
    let profile = raw_json(&sim, "/api/v1/admin/get-user-profile", &[("TargetUser", "alice")]).await?;
    let int = |v: &Value, k: &str| v.get(k).is_some_and(|x| x.is_i64() || x.is_u64());
    for key in [
        "MaximumDevices",
        "QuotaOffice365ProtectedAccounts",
        "QuotaHyperVGuests",
        "QuotaVMwareGuests",
        "AllProtectedItemsQuotaBytes",
        "CreateTime",
    ] {
        assert!(int(&profile, key), "{key} is not an integer: {:?}", profile.get(key));
    }
    assert!(profile["AllProtectedItemsQuotaEnabled"].is_boolean());
    assert!(profile["AccountName"].is_string() && profile["Emails"].is_array() && profile["PolicyID"].is_string());
    let vaults = profile["Destinations"].as_object().context("Destinations is a map")?;
    assert!(!vaults.is_empty(), "alice has a vault");
    for (id, v) in vaults {
        assert!(v["StorageLimitEnabled"].is_boolean() && int(v, "StorageLimitBytes"), "vault {id}: {v}");
        assert!(v["Description"].is_string(), "vault {id}");
    }
    let news = raw_json(&sim, "/api/v1/admin/news/get-all", &[]).await?;
    let entries = news.as_object().context("news is a map keyed by id")?;
    assert!(!entries.is_empty());
    for (id, n) in entries {
        assert!(n["OrganizationID"].is_string() && int(n, "DateTime") && n["TextContent"].is_string(), "news {id}: {n}");
    }
    // News belongs to an organization: the top-level admin reads every one, an end user only
    // their own organization's.
    let org_of = |m: &serde_json::Map<String, Value>| {
        m.values().map(|n| n["OrganizationID"].as_str().unwrap_or("?").to_string()).collect::<BTreeSet<_>>()
    };
    assert_eq!(org_of(entries), BTreeSet::from(["".to_string(), comet_sim::api::TENANT_NEWS_ORG.to_string()]));
    let user_news = user_json(&sim, "alice", "alice-pass", "news/get-all", &[]).await?;
    assert_eq!(org_of(user_news.as_object().context("a map")?), BTreeSet::from(["".to_string()]));
    // And the typed client reads them back as set by an administrator.
    let c = client(&sim)?;
    let mut p = c.get_user_profile("alice").await?;
    (p.maximum_devices, p.quota_office365_protected_accounts, p.quota_hyperv_guests, p.quota_vmware_guests) = (4, 10, 2, 3);
    c.set_user_profile("alice", &p).await?;
    let back = c.get_user_profile("alice").await?;
    assert_eq!(
        (back.maximum_devices, back.quota_office365_protected_accounts, back.quota_hyperv_guests, back.quota_vmware_guests),
        (4, 10, 2, 3)
    );
    sim.shutdown().await;
    Ok(())
}
