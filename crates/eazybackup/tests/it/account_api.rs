//! The Account settings tab's API (issue 11) against the simulator: settings read from the
//! profile, a change through the profile hash (409 on a concurrent change, unknown keys kept), an
//! email-report change visible in the simulator's profile, the password change (old password then
//! refused by the simulator, new one pushed to the online device, the offline one listed), TOTP
//! enrolment with a code computed here, downloads through the API, and the policy switches.

use std::net::SocketAddr;

use comet::{AdminClient, Credentials, UserWebClient};
use eazybackup::api::comet_clients::CometClients;
use eazybackup::api::{AppState, ServerHandle};
use eazybackup::both_backends;
use eazybackup::db::Db;
use reqwest::Method;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::api::{SECRET, get, token};
use crate::http::call;
use crate::jobs::{ALICE, BOB, seed_two_clients};
use crate::overview::{admin, start_sim};

async fn serve(db: &Db, comet: AdminClient) -> (String, ServerHandle) {
    let mut state = AppState::new(db.clone(), SecretString::from(SECRET.to_string()), vec!["*".into()]);
    state.comet = CometClients::from_clients([("eazybackup".to_string(), comet)]);
    let handle = eazybackup::api::start(state, SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("serve starts");
    (format!("http://{}", handle.addr), handle)
}

async fn send(base: &str, method: Method, path: &str, body: Value) -> (u16, Value) {
    let a = call(&method, &format!("{base}{path}"), Some(&token(ALICE)), Some(&body)).await;
    (a.status, a.body)
}

async fn user_login(origin: &str, username: &str, password: &str) -> Result<(), comet::CometError> {
    let c =
        UserWebClient::new(origin, Credentials { username: username.into(), password: password.into(), ..Default::default() })?;
    c.login().await
}

both_backends!(account_settings_change_through_the_profile_hash_and_keep_unknown_keys, |db| async move {
    seed_two_clients(db).await;
    let sim = start_sim().await;
    let comet = admin(&sim.base_url(), &sim);
    // A key this console does not model, at the top and inside a recipient's report.
    let mut profile = comet.get_user_profile("acme-dental").await.unwrap();
    profile.extra.insert("FutureSetting".into(), json!({ "kept": true }));
    profile.emails = vec!["old@acme.test".to_string()].into();
    comet.set_user_profile("acme-dental", &profile).await.unwrap();
    let (base, server) = serve(db, admin(&sim.base_url(), &sim)).await;

    let (status, a) = get(&base, "/api/v1/services/101/account", Some(&token(ALICE))).await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["username"], "acme-dental");
    assert_eq!(a["password_rules"]["min_length"], 8);
    assert_eq!(a["two_factor"], json!({ "enabled": false, "enrolled": false }));
    assert_eq!(a["email_reports"]["recipients"], json!([{ "address": "old@acme.test", "reports": null }]));
    assert!(!a.to_string().contains("PasswordHash") && !a.to_string().contains("$2a$"), "{a}");
    let hash = a["profile_hash"].as_str().unwrap().to_string();

    // Bob cannot read or change Alice's account.
    let (status, _) = get(&base, "/api/v1/services/101/account", Some(&token(BOB))).await;
    assert_eq!(status, 404);

    // The email-report change, with a recipient's own failures-only daily summary.
    let change = json!({
        "profile_hash": hash,
        "display_name": "Acme Dental <Main>",
        "language_code": "fr_FR",
        "time_zone": "America/Toronto",
        "email_reports": { "enabled": true, "recipients": [
            { "address": "ops@acme.test", "reports": [
                { "kind": "summary", "failures_only": true, "schedule": [{ "frequency": "daily", "seconds_past": 28800 }] }
            ] },
            { "address": "boss@acme.test", "reports": null }
        ] }
    });
    let (status, a) = send(&base, Method::PATCH, "/api/v1/services/101/account", change.clone()).await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["display_name"], "Acme Dental <Main>");
    assert_eq!(a["email_reports"]["recipients"][0]["reports"][0]["failures_only"], true);
    assert_ne!(a["profile_hash"], hash.as_str());

    // Visible in the simulator's profile, with the unknown key kept.
    let (stored, _) = sim.core().profile_and_hash("acme-dental").unwrap();
    assert_eq!(stored["AccountName"], "Acme Dental <Main>");
    assert_eq!(stored["LanguageCode"], "fr_FR");
    assert_eq!(stored["LocalTimezone"], "America/Toronto");
    assert_eq!(stored["SendEmailReports"], true);
    assert_eq!(stored["Emails"], json!(["ops@acme.test", "boss@acme.test"]));
    let report = &stored["OverrideEmailSettings"]["ops@acme.test"]["Reports"][0];
    assert_eq!(report["ReportType"], 1, "{report}");
    assert_eq!(report["SummaryFrequency"][0]["FrequencyType"], 8011);
    assert_eq!(report["SummaryFrequency"][0]["SecondsPast"], 28800);
    assert!(report["Filter"].to_string().contains("7001"), "{report}");
    assert!(stored["OverrideEmailSettings"].get("boss@acme.test").is_none());
    assert_eq!(stored["FutureSetting"], json!({ "kept": true }));

    // The same change again with the old hash: someone changed the account meanwhile → 409, and
    // nothing is written.
    let (status, body) = send(&base, Method::PATCH, "/api/v1/services/101/account", change).await;
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("conflict")), "{body}");

    // Validation names the field.
    let a = get(&base, "/api/v1/services/101/account", Some(&token(ALICE))).await.1;
    let fresh = a["profile_hash"].as_str().unwrap();
    for (body, field) in [
        (json!({ "profile_hash": fresh, "time_zone": "Mars/Base" }), None),
        (json!({ "profile_hash": fresh, "time_zone": "../etc" }), Some("time_zone")),
        (json!({ "profile_hash": fresh, "language_code": "xx_XX" }), Some("language_code")),
        (
            json!({ "profile_hash": fresh, "email_reports": { "enabled": true, "recipients": [{ "address": "not-an-address" }] } }),
            Some("recipients"),
        ),
        (json!({ "profile_hash": fresh, "admin_password_reset": true }), Some("admin_password_reset")),
    ] {
        let (status, answer) = send(&base, Method::PATCH, "/api/v1/services/101/account", body.clone()).await;
        match field {
            Some(f) => assert_eq!((status, answer["error"]["field"].as_str()), (422, Some(f)), "{body}: {answer}"),
            None => assert_eq!(status, 200, "{body}: {answer}"),
        }
    }

    // A preview of a report, rendered by Comet.
    let (status, p) = send(
        &base,
        Method::POST,
        "/api/v1/services/101/account/email-reports/preview",
        json!({ "report": { "kind": "immediate", "failures_only": false }, "address": "ops@acme.test" }),
    )
    .await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["to"], json!(["ops@acme.test"]));
    assert!(p["subject"].as_str().unwrap().contains("acme-dental"), "{p}");

    // The policy decides: email settings and the name can be fixed by the provider.
    let mut profile = comet.get_user_profile("acme-dental").await.unwrap();
    profile.policy.prevent_change_email_settings = Some(true);
    comet.set_user_profile("acme-dental", &profile).await.unwrap();
    let a = get(&base, "/api/v1/services/101/account", Some(&token(ALICE))).await.1;
    let (status, body) = send(
        &base,
        Method::PATCH,
        "/api/v1/services/101/account",
        json!({ "profile_hash": a["profile_hash"], "email_reports": { "enabled": false, "recipients": [] } }),
    )
    .await;
    assert_eq!((status, body["error"]["code"].as_str()), (403, Some("forbidden_by_policy")), "{body}");
    assert_eq!(sim.core().profile_and_hash("acme-dental").unwrap().0["SendEmailReports"], true);
    server.stop().await.unwrap();
    sim.shutdown().await;
});

both_backends!(password_change_is_checked_by_comet_and_pushed_to_online_devices, |db| async move {
    seed_two_clients(db).await;
    let sim = start_sim().await;
    let origin = sim.base_url();
    let comet = admin(&origin, &sim);
    let devices: Vec<String> = comet.get_user_profile("acme-dental").await.unwrap().devices.keys().cloned().collect();
    assert_eq!(devices.len(), 2);
    sim.set_device_online(&devices[1], false).unwrap();
    let (base, server) = serve(db, admin(&origin, &sim)).await;
    let path = "/api/v1/services/101/account/password";

    let (status, body) =
        send(&base, Method::POST, path, json!({ "current_password": "acme-pass", "new_password": "short" })).await;
    assert_eq!((status, body["error"]["field"].as_str()), (422, Some("new_password")), "{body}");
    let (status, body) =
        send(&base, Method::POST, path, json!({ "current_password": "not-it", "new_password": "a-new-pass-2026" })).await;
    assert_eq!((status, body["error"]["field"].as_str()), (422, Some("current_password")), "{body}");
    user_login(&origin, "acme-dental", "acme-pass").await.expect("a refused change changed nothing");

    let (status, body) =
        send(&base, Method::POST, path, json!({ "current_password": "acme-pass", "new_password": "a-new-pass-2026" })).await;
    assert_eq!(status, 200, "{body}");
    let listed: Vec<(String, bool, bool)> = body["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["device_id"].as_str().unwrap().to_string(), d["online"].as_bool().unwrap(), d["updated"].as_bool().unwrap()))
        .collect();
    assert!(listed.contains(&(devices[0].clone(), true, true)), "{body}");
    assert!(listed.contains(&(devices[1].clone(), false, false)), "{body}");
    assert_eq!(body["still_old"], 1);

    // The simulator refuses the old password and takes the new one.
    assert!(user_login(&origin, "acme-dental", "acme-pass").await.is_err());
    user_login(&origin, "acme-dental", "a-new-pass-2026").await.expect("the new password logs in");

    // The policy can forbid it.
    let mut profile = comet.get_user_profile("acme-dental").await.unwrap();
    profile.policy.prevent_change_account_password = Some(true);
    comet.set_user_profile("acme-dental", &profile).await.unwrap();
    let (status, body) =
        send(&base, Method::POST, path, json!({ "current_password": "a-new-pass-2026", "new_password": "third-pass-2026" }))
            .await;
    assert_eq!((status, body["error"]["code"].as_str()), (403, Some("forbidden_by_policy")), "{body}");
    server.stop().await.unwrap();
    sim.shutdown().await;
});

both_backends!(totp_is_enrolled_with_a_verified_code_then_required_at_login, |db| async move {
    seed_two_clients(db).await;
    let sim = start_sim().await;
    let origin = sim.base_url();
    let (base, server) = serve(db, admin(&origin, &sim)).await;

    // Confirming before enrolling is refused.
    let (status, body) =
        send(&base, Method::POST, "/api/v1/services/101/account/totp/confirm", json!({ "code": "123456" })).await;
    assert_eq!((status, body["error"]["field"].as_str()), (422, Some("code")), "{body}");

    let (status, e) = send(&base, Method::POST, "/api/v1/services/101/account/totp/enrol", json!({})).await;
    assert_eq!(status, 200, "{e}");
    let secret = e["manual_entry"].as_str().unwrap().to_string();
    assert!(e["otpauth_uri"].as_str().unwrap().starts_with("otpauth://totp/"), "{e}");
    assert!(e["qr_image"].as_str().unwrap().starts_with("data:image/png;base64,"), "{e}");
    // Enrolled, not yet on: the password alone still logs in.
    let a = get(&base, "/api/v1/services/101/account", Some(&token(ALICE))).await.1;
    assert_eq!(a["two_factor"], json!({ "enabled": false, "enrolled": true }));
    user_login(&origin, "acme-dental", "acme-pass").await.expect("2FA is not on before a code is confirmed");

    // A wrong code is refused and 2FA stays off.
    let (status, body) =
        send(&base, Method::POST, "/api/v1/services/101/account/totp/confirm", json!({ "code": "000000" })).await;
    assert_eq!((status, body["error"]["field"].as_str()), (422, Some("code")), "{body}");
    let code = comet::totp::code_at(&secret, sim.now()).unwrap();
    let (status, body) = send(&base, Method::POST, "/api/v1/services/101/account/totp/confirm", json!({ "code": code })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({ "enabled": true, "enrolled": true }));
    assert_eq!(sim.core().profile_and_hash("acme-dental").unwrap().0["AllowPasswordAndTOTPLogin"], true);
    // The password alone is no longer enough.
    assert!(user_login(&origin, "acme-dental", "acme-pass").await.is_err());

    // Disable.
    let (status, body) = send(&base, Method::DELETE, "/api/v1/services/101/account/totp", json!({})).await;
    assert_eq!((status, body.clone()), (200, json!({ "enabled": false, "enrolled": false })), "{body}");
    user_login(&origin, "acme-dental", "acme-pass").await.expect("2FA is off again");
    server.stop().await.unwrap();
    sim.shutdown().await;
});

both_backends!(downloads_come_through_the_api_with_an_install_token, |db| async move {
    seed_two_clients(db).await;
    let sim = start_sim().await;
    let (base, server) = serve(db, admin(&sim.base_url(), &sim)).await;
    let (status, d) = get(&base, "/api/v1/services/101/account/downloads", Some(&token(ALICE))).await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["username"], "acme-dental");
    assert!(d["server_address"].as_str().unwrap().starts_with(sim.base_url().trim_end_matches('/')), "{d}");
    let platforms = d["platforms"].as_array().unwrap();
    assert!(platforms.len() >= 3, "{d}");
    let windows = platforms.iter().find(|p| p["category"] == "Windows").unwrap();
    assert_eq!(windows["install_token"], true);
    assert!(platforms.iter().any(|p| p["category"] == "Linux" && p["install_token"] == false));
    let not_admin = d.to_string();
    assert!(!not_admin.contains(&sim.admin_creds().password), "no admin credentials in the answer");

    let url = format!("{base}/api/v1/services/101/account/downloads/{}", windows["platform"]);
    let r = reqwest::Client::new().get(&url).bearer_auth(token(ALICE)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains(".zip"), "{:?}", r.headers());
    assert!(String::from_utf8_lossy(&r.bytes().await.unwrap()).contains("INSTALLER"));
    let (status, _) = get(&base, "/api/v1/services/101/account/downloads/999", Some(&token(ALICE))).await;
    assert_eq!(status, 404);
    let r = reqwest::Client::new().get(&url).bearer_auth(token(BOB)).send().await.unwrap();
    assert_eq!(r.status(), 404);

    let (status, body) =
        send(&base, Method::POST, "/api/v1/services/101/account/install-token", json!({ "password": "nope" })).await;
    assert_eq!((status, body["error"]["field"].as_str()), (422, Some("password")), "{body}");
    let (status, t) =
        send(&base, Method::POST, "/api/v1/services/101/account/install-token", json!({ "password": "acme-pass" })).await;
    assert_eq!(status, 200, "{t}");
    assert!(t["install_token"].as_str().is_some_and(|s| s.len() >= 16), "{t}");
    assert!(t["expires_at"].as_i64().unwrap() > sim.now());
    server.stop().await.unwrap();
    sim.shutdown().await;
});
