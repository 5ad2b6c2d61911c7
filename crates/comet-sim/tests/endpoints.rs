//! Simulator behaviour the `comet` client does not (yet) exercise: end-user endpoints, policy
//! enforcement, TOTP, the job lifecycle variants (retry, revive, skip, ordering faults) and the
//! maintenance dispatcher actions. Raw form POSTs; events read straight off the simulator's bus.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use comet_sim::core::BusMsg;
use comet_sim::policy::POLICY_LOCKED;
use comet_sim::{FaultPatch, Sim, SimConfig, SimHandle, StartJob};
use serde_json::{Value, json};
use tokio::sync::broadcast;

async fn post(sim: &SimHandle, path: &str, params: &[(&str, &str)]) -> Result<reqwest::Response> {
    let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(params).finish();
    Ok(reqwest::Client::new()
        .post(format!("{}{}", sim.base_url(), path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await?)
}

async fn admin(sim: &SimHandle, ep: &str, params: &[(&str, &str)]) -> Result<Value> {
    let c = sim.admin_creds();
    let mut form = vec![("Username", c.username.as_str()), ("AuthType", "Password"), ("Password", c.password.as_str())];
    form.extend_from_slice(params);
    Ok(post(sim, &format!("/api/v1/admin/{ep}"), &form).await?.json().await?)
}

async fn user(sim: &SimHandle, ep: &str, params: &[(&str, &str)]) -> Result<Value> {
    let mut form = vec![("Username", "alice"), ("AuthType", "Password"), ("Password", "alice-pass")];
    form.extend_from_slice(params);
    Ok(post(sim, &format!("/api/v1/user/web/{ep}"), &form).await?.json().await?)
}

fn status(v: &Value) -> i64 {
    v.get("Status").and_then(Value::as_i64).unwrap_or(200)
}

async fn wait_job(sim: &SimHandle, id: &str, want: u64) -> Result<()> {
    for _ in 0..100 {
        if sim.core().job(id).map(|j| j.status) == Some(want) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("job {id} never reached {want}: {:?}", sim.core().job(id).map(|j| j.status))
}

/// Job event codes for `guid` received so far.
fn job_events(rx: &mut broadcast::Receiver<BusMsg>, guid: &str) -> Vec<i64> {
    let mut out = Vec::new();
    while let Ok(msg) = rx.try_recv() {
        if let BusMsg::Event(ev) = msg
            && ev["ResourceID"] == guid
            && matches!(ev["Type"].as_i64(), Some(4200 | 4201))
        {
            out.push(ev["Type"].as_i64().unwrap_or(0));
        }
    }
    out
}

async fn alice_live(sim: &SimHandle) -> Result<(String, String)> {
    let live = admin(sim, "dispatcher/list-active", &[("UserNameFilter", "alice")]).await?;
    let (id, conn) = live.as_object().and_then(|m| m.iter().next()).context("a live device")?;
    Ok((id.clone(), conn["DeviceID"].as_str().unwrap_or_default().to_string()))
}

#[tokio::test]
async fn user_web_writes_follow_the_policy_and_admins_bypass_vault_requests() -> Result<()> {
    let sim = Sim::start(SimConfig::for_tests()).await?;
    let session = user(&sim, "session/start", &[]).await?;
    assert_eq!(session["SessionType"], "user");
    let ph = user(&sim, "get-user-profile-and-hash", &[]).await?;
    let mut profile = ph["Profile"].clone();
    profile["AccountName"] = json!("Alice's clinic");
    let ok = user(
        &sim,
        "set-profile-hash",
        &[("ProfileData", &profile.to_string()), ("ProfileHash", ph["ProfileHash"].as_str().unwrap_or(""))],
    )
    .await?;
    assert_eq!(status(&ok), 200, "{ok}");
    let mut quota = ok["Profile"].clone();
    quota["MaximumDevices"] = json!(50);
    let refused = user(
        &sim,
        "set-profile-hash",
        &[("ProfileData", &quota.to_string()), ("ProfileHash", ok["ProfileHash"].as_str().unwrap_or(""))],
    )
    .await?;
    assert_eq!(status(&refused), 403, "users cannot raise their own quota: {refused}");

    // The admin applies the locked policy through PolicyID; Policy is overwritten.
    let ah = admin(&sim, "get-user-profile-and-hash", &[("TargetUser", "alice")]).await?;
    let mut p = ah["Profile"].clone();
    p["PolicyID"] = json!(POLICY_LOCKED);
    let set = admin(
        &sim,
        "set-user-profile-hash",
        &[("TargetUser", "alice"), ("ProfileData", &p.to_string()), ("RequireHash", ah["ProfileHash"].as_str().unwrap_or(""))],
    )
    .await?;
    assert_eq!(set["Profile"]["Policy"]["PreventRequestStorageVault"], true);
    let mut renamed = set["Profile"].clone();
    renamed["AccountName"] = json!("Nope");
    let r = user(
        &sim,
        "set-profile-hash",
        &[("ProfileData", &renamed.to_string()), ("ProfileHash", set["ProfileHash"].as_str().unwrap_or(""))],
    )
    .await?;
    assert_eq!(status(&r), 403, "{r}");
    let providers = user(&sim, "request-storage-vault-providers", &[]).await?;
    let provider = providers.as_object().and_then(|m| m.keys().next().cloned()).context("provider")?;
    assert_eq!(status(&user(&sim, "request-storage-vault", &[("StorageProvider", &provider)]).await?), 403);
    let by_admin = admin(&sim, "request-storage-vault", &[("TargetUser", "alice"), ("StorageProvider", &provider)]).await?;
    assert_eq!(status(&by_admin), 200, "{by_admin}");
    assert_eq!(by_admin["Profile"]["Destinations"][by_admin["DestinationID"].as_str().unwrap_or("")]["RepoInitTimestamp"], 0);
    sim.shutdown().await;
    Ok(())
}

/// The SDK: RegenerateTotp applies a new secret at once; ValidateTotp checks a code "before
/// turning 2FA on" and turns nothing on; TOTP logins start when the profile's
/// `AllowPasswordAndTOTPLogin` is set. Codes are RFC 6238 at the server's clock, each used once.
#[tokio::test]
async fn totp_enrolment_validates_without_switching_on_and_codes_are_single_use() -> Result<()> {
    let clock = std::sync::Arc::new(comet_sim::ManualClock::new(1_795_000_005));
    let sim = Sim::start(SimConfig { clock: clock.clone(), ..SimConfig::for_tests() }).await?;
    let hash = user(&sim, "get-user-profile-and-hash", &[]).await?["ProfileHash"].as_str().unwrap_or("").to_string();
    let regen = user(&sim, "account/regenerate-totp", &[("ProfileHash", &hash)]).await?;
    let url = regen["URL"].as_str().unwrap_or_default().to_string();
    assert!(url.starts_with("otpauth://"), "{url}");
    let secret = url.split("secret=").nth(1).and_then(|s| s.split('&').next()).context("secret in the URL")?.to_string();
    let code = sim.core().current_totp_code("alice").context("a secret")?;
    assert_eq!(comet_sim::totp::code(&secret, comet_sim::totp::step_of(sim.core().now())), Some(code.clone()));
    let regen_hash = regen["ProfileHash"].as_str().unwrap_or("").to_string();
    let bad = user(&sim, "account/validate-totp", &[("ProfileHash", &regen_hash), ("TOTPCode", "000000x")]).await?;
    assert_eq!(status(&bad), 400);
    let ok = user(&sim, "account/validate-totp", &[("ProfileHash", &regen_hash), ("TOTPCode", &code)]).await?;
    assert_eq!(status(&ok), 200, "{ok}");
    let again = user(&sim, "account/validate-totp", &[("ProfileHash", &regen_hash), ("TOTPCode", &code)]).await?;
    assert_eq!(status(&again), 400, "a code is accepted once: {again}");
    let still_off = user(&sim, "get-jobs", &[]).await?;
    assert!(still_off.is_array() || still_off.is_null(), "validating does not turn TOTP on: {still_off}");

    let mut profile = admin(&sim, "get-user-profile-and-hash", &[("TargetUser", "alice")]).await?;
    let current = profile["ProfileHash"].as_str().unwrap_or("").to_string();
    profile["Profile"]["AllowPasswordAndTOTPLogin"] = json!(true);
    let on = admin(
        &sim,
        "set-user-profile-hash",
        &[("TargetUser", "alice"), ("ProfileData", &profile["Profile"].to_string()), ("RequireHash", &current)],
    )
    .await?;
    assert_eq!(status(&on), 200, "{on}");
    let needs = user(&sim, "get-jobs", &[]).await?;
    assert_eq!(needs["Message"], "ERR_TOTP_REQUIRED");
    let login = async |code: &str| -> Result<Value> {
        let form = [("Username", "alice"), ("AuthType", "PasswordTOTP"), ("Password", "alice-pass"), ("TOTP", code)];
        Ok(post(&sim, "/api/v1/user/web/get-jobs", &form).await?.json().await?)
    };
    assert_eq!(status(&login(&code).await?), 403, "the code spent on validation is not accepted again");
    clock.advance(30);
    let fresh = sim.core().current_totp_code("alice").context("a secret")?;
    let with_code = login(&fresh).await?;
    assert!(with_code.is_array() || with_code.is_null(), "{with_code}");
    assert_eq!(status(&login(&fresh).await?), 403, "nor is a code used for a login");
    assert_eq!(status(&admin(&sim, "disable-user-totp", &[("TargetUser", "alice")]).await?), 200);
    let jobs = user(&sim, "get-jobs", &[]).await?;
    assert!(jobs.is_array() || jobs.is_null(), "{jobs}");
    // Admin password reset: seeded accounts have no recovery code, so OldPassword is needed.
    assert_eq!(status(&admin(&sim, "reset-user-password", &[("TargetUser", "alice"), ("NewPassword", "x")]).await?), 400);
    assert_eq!(
        status(
            &admin(
                &sim,
                "reset-user-password",
                &[("TargetUser", "alice"), ("NewPassword", "new-pass"), ("OldPassword", "alice-pass")]
            )
            .await?
        ),
        200
    );
    assert_eq!(status(&user(&sim, "get-jobs", &[]).await?), 403, "old password no longer works");
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn retry_revive_skip_and_event_ordering() -> Result<()> {
    let sim = Sim::start(SimConfig::for_tests()).await?;
    let mut rx = sim.core().subscribe();

    let mut retried = StartJob::new("alice", 0.3, 5000);
    retried.retry_failures = 1;
    let retried = sim.start_job(retried)?;
    wait_job(&sim, &retried, 6003).await?;
    wait_job(&sim, &retried, 5000).await?;
    assert_eq!(sim.core().job(&retried).map(|j| j.retry_count), Some(1));
    assert_eq!(job_events(&mut rx, &retried), vec![4200, 4201], "only the final outcome completes");

    let mut stalled = StartJob::new("alice", 0.3, 5000);
    stalled.stall = true;
    let stalled = sim.start_job(stalled)?;
    admin(&sim, "job/abandon", &[("TargetUser", "alice"), ("JobID", &stalled)]).await?;
    wait_job(&sim, &stalled, 7007).await?;
    sim.core().resume_job(&stalled)?;
    assert_eq!(sim.core().job(&stalled).map(|j| (j.status, j.end_time)), Some((6002, 0)));
    wait_job(&sim, &stalled, 5000).await?;
    assert_eq!(job_events(&mut rx, &stalled), vec![4200, 4201]);

    let long = sim.start_job(StartJob::new("alice", 60.0, 5000))?;
    let source = sim.core().job(&long).context("job")?.source_guid;
    let mut skip = StartJob::new("alice", 1.0, 5000);
    skip.source_id = Some(source);
    skip.skip_already_running = true;
    let skipped = sim.start_job(skip)?;
    assert_eq!(sim.core().job(&skipped).map(|j| j.status), Some(7006));
    assert_eq!(job_events(&mut rx, &skipped), vec![4200, 4201]);

    let missed = sim.start_job(StartJob::new("alice", 1.0, 7004))?;
    assert_eq!(job_events(&mut rx, &missed), vec![4201], "a missed run only completes");

    sim.set_faults(FaultPatch { job_event_order: Some("completed_before_new".into()), ..Default::default() });
    let quick = sim.start_job(StartJob::new("alice", 0.2, 5000))?;
    wait_job(&sim, &quick, 5000).await?;
    assert_eq!(job_events(&mut rx, &quick), vec![4201, 4200]);
    sim.set_faults(FaultPatch { job_event_order: Some("duplicate".into()), ..Default::default() });
    let dup = sim.start_job(StartJob::new("alice", 0.2, 5000))?;
    wait_job(&sim, &dup, 5000).await?;
    assert_eq!(job_events(&mut rx, &dup), vec![4200, 4200, 4201, 4201]);
    sim.shutdown().await;
    Ok(())
}

/// The one job of `classification` (maintenance calls return no JobID; the job is found as a
/// client would find it, among the jobs).
fn only_job_of(sim: &SimHandle, classification: u64) -> Result<String> {
    let jobs = sim.core().jobs_where(|j| j.classification == classification);
    match jobs.as_slice() {
        [job] => Ok(job.guid.clone()),
        other => bail!("expected one job of classification {classification}, found {}", other.len()),
    }
}

#[tokio::test]
async fn maintenance_actions_restore_and_browse() -> Result<()> {
    let sim = Sim::start(SimConfig::for_tests()).await?;
    let (live, device) = alice_live(&sim).await?;
    let profile = admin(&sim, "get-user-profile", &[("TargetUser", "alice")]).await?;
    let vault = profile["Destinations"].as_object().and_then(|m| m.keys().next().cloned()).context("vault")?;
    let snaps = admin(&sim, "dispatcher/request-vault-snapshots", &[("TargetID", &live), ("Destination", &vault)]).await?;
    let first = snaps["Snapshots"][0].clone();
    let (snap, source) =
        (first["Snapshot"].as_str().unwrap_or("").to_string(), first["Source"].as_str().unwrap_or("").to_string());

    let restore = admin(
        &sim,
        "dispatcher/run-restore",
        &[("TargetID", &live), ("Path", "C:\\Restore"), ("Source", &source), ("Destination", &vault), ("Snapshot", &snap)],
    )
    .await?;
    let rid = restore["JobID"].as_str().context("restore job id")?.to_string();
    assert_eq!(sim.core().job(&rid).map(|j| j.classification), Some(4002));

    let del = admin(&sim, "dispatcher/delete-snapshot", &[("TargetID", &live), ("DestinationID", &vault), ("SnapshotID", &snap)])
        .await?;
    // Only the four run-backup/run-restore calls answer with a JobID; the others a plain message.
    assert_eq!(del, json!({"Status": 200, "Message": "OK"}));
    let did = only_job_of(&sim, 4005)?;
    wait_job(&sim, &did, 5000).await?;
    assert!(sim.core().snapshots(&vault).iter().all(|s| s.id != snap), "snapshot removed");

    let dv = admin(&sim, "dispatcher/deepverify-storage-vault", &[("TargetID", &live), ("Destination", &vault)]).await?;
    assert_eq!(dv, json!({"Status": 200, "Message": "OK"}));
    let dvid = only_job_of(&sim, 4010)?;
    wait_job(&sim, &dvid, 5000).await?;
    let stats = admin(&sim, "get-user-profile", &[("TargetUser", "alice")]).await?["Destinations"][&vault]["Statistics"].clone();
    assert_eq!(stats["LastSuccessfulDeepVerify_GUID"], dvid);
    for (ep, class) in [("apply-retention-rules", 4003), ("reindex-storage-vault", 4009), ("unlock", 4004)] {
        let r = admin(&sim, &format!("dispatcher/{ep}"), &[("TargetID", &live), ("Destination", &vault)]).await?;
        assert_eq!(r, json!({"Status": 200, "Message": "OK"}), "{ep}");
        only_job_of(&sim, class)?;
    }

    let fs = admin(&sim, "dispatcher/request-filesystem-objects", &[("TargetID", &live)]).await?;
    assert!(fs["StoredObjects"].as_array().is_some_and(|a| !a.is_empty()));
    sim.core().set_allows_filenames(&device, false)?;
    assert_eq!(status(&admin(&sim, "dispatcher/request-filesystem-objects", &[("TargetID", &live)]).await?), 403);
    sim.set_device_online(&device, false)?;
    assert!(status(&admin(&sim, "dispatcher/request-browse-disk-drives", &[("TargetID", &live)]).await?) >= 400);

    let q = r#"{"ClauseType":"and","ClauseChildren":[{"ClauseType":"","RuleField":"BackupJobDetail.Classification","RuleOperator":"int_eq","RuleValue":"4002"}]}"#;
    let found = admin(&sim, "get-jobs-for-custom-search", &[("Query", q)]).await?;
    assert_eq!(found.as_array().map(Vec::len), Some(1));
    assert_eq!(admin(&sim, "count-jobs-for-custom-search", &[("Query", q)]).await?["Count"], 1);

    let c = sim.admin_creds();
    let dl = post(
        &sim,
        "/api/v1/admin/branding/generate-client/by-platform",
        &[("Username", &c.username), ("AuthType", "Password"), ("Password", &c.password), ("Platform", "1")],
    )
    .await?;
    assert_eq!(dl.headers()["content-type"], "application/octet-stream");
    assert!(dl.headers()["content-disposition"].to_str()?.starts_with("attachment; filename="));
    assert_eq!(status(&admin(&sim, "branding/generate-client/by-platform", &[("Platform", "999")]).await?), 400);
    sim.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn accounts_come_and_go() -> Result<()> {
    let sim = Sim::start(SimConfig::for_tests()).await?;
    let mut rx = sim.core().subscribe();
    assert_eq!(
        status(&admin(&sim, "add-user", &[("TargetUser", "carol"), ("TargetPassword", "pw"), ("StoreRecoveryCode", "1")]).await?),
        200
    );
    assert_eq!(status(&admin(&sim, "add-user", &[("TargetUser", "carol"), ("TargetPassword", "pw")]).await?), 400);
    assert_eq!(
        status(&admin(&sim, "reset-user-password", &[("TargetUser", "carol"), ("NewPassword", "pw2")]).await?),
        200,
        "recovery code allows a reset"
    );
    let as_user = admin(&sim, "account/session-start-as-user", &[("TargetUser", "carol")]).await?;
    assert_eq!(as_user["SessionType"], "user");
    let key = as_user["SessionKey"].as_str().unwrap_or("");
    let jobs: Value =
        post(&sim, "/api/v1/user/web/get-jobs", &[("Username", "carol"), ("AuthType", "SessionKey"), ("SessionKey", key)])
            .await?
            .json()
            .await?;
    assert_eq!(jobs, Value::Null, "no jobs: a nil slice, as Go encodes it");
    let hybrid: Value =
        post(&sim, "/api/v1/hybrid/session/start", &[("Username", "carol"), ("AuthType", "Password"), ("Password", "pw2")])
            .await?
            .json()
            .await?;
    assert_eq!(hybrid["SessionType"], "user");
    assert_eq!(status(&admin(&sim, "delete-user", &[("TargetUser", "carol")]).await?), 200);
    assert_eq!(admin(&sim, "list-users", &[]).await?, json!(["alice"]));
    let mut codes = Vec::new();
    while let Ok(BusMsg::Event(ev)) = rx.try_recv() {
        codes.push(ev["Type"].as_i64().unwrap_or(0));
    }
    assert!(codes.contains(&4100) && codes.contains(&4101), "{codes:?}");
    sim.shutdown().await;
    Ok(())
}

/// The admin's own TOTP calls, as the SDK describes them: RegenerateTotp applies a new secret to
/// the calling admin at once; ValidateTotp only checks a code (each once) and turns nothing on.
#[tokio::test]
async fn admin_totp_regenerate_applies_a_secret_and_validate_only_validates() -> Result<()> {
    let clock = std::sync::Arc::new(comet_sim::ManualClock::new(1_795_000_005));
    let sim = Sim::start(SimConfig { clock: clock.clone(), ..SimConfig::for_tests() }).await?;
    let regen = admin(&sim, "account/regenerate-totp", &[]).await?;
    assert_eq!(status(&regen), 200, "{regen}");
    assert!(regen.get("ProfileHash").is_none(), "admins have no profile hash: {regen}");
    let url = regen["URL"].as_str().unwrap_or_default().to_string();
    let secret = url.split("secret=").nth(1).and_then(|s| s.split('&').next()).context("secret in the URL")?.to_string();
    let code = comet_sim::totp::code(&secret, comet_sim::totp::step_of(sim.core().now())).context("base32 secret")?;
    assert_eq!(status(&admin(&sim, "account/validate-totp", &[("TOTPCode", "000000")]).await?), 400);
    assert_eq!(status(&admin(&sim, "account/validate-totp", &[("TOTPCode", &code)]).await?), 200);
    assert_eq!(status(&admin(&sim, "account/validate-totp", &[("TOTPCode", &code)]).await?), 400, "a code is accepted once");
    let version = admin(&sim, "meta/version", &[]).await?;
    assert!(version.get("Version").is_some(), "validating turned nothing on: password logins still work: {version}");
    sim.shutdown().await;
    Ok(())
}
