//! State transitions behind the account, security, device-action, storage and Protected Item
//! endpoints (§4.2–§4.10, §6.3–§6.6). Every profile change goes through `mutate_profile`, which
//! checks an optional hash, bumps the revision and emits `SEVT_ACCOUNT_UPDATED`.

use rand::Rng;
use serde_json::{Map, Value, json};
use sha2::Digest;

use crate::core::{DeviceSim, Principal, SimCore, SimError, SimState, SnapshotRec, map_pointer, new_guid, org_of};
use crate::shapes::{self, OsInfo, VaultSeed, sevt};

/// Storage Templates offered by `*RequestStorageVaultProviders`: (ID, name, DestinationType).
pub const STORAGE_TEMPLATES: &[(&str, &str, u64)] = &[
    ("3f9a1c2e-7b4d-4e8f-a1b2-c3d4e5f60001", "eazyBackup Cloud (Toronto)", shapes::DESTINATIONTYPE_COMET),
    ("3f9a1c2e-7b4d-4e8f-a1b2-c3d4e5f60002", "Wasabi (ca-central-1)", shapes::DESTINATIONTYPE_S3),
];

/// A live connection resolved from a `TargetID`.
pub struct LiveTarget {
    pub device_id: String,
    pub username: String,
    pub os: OsInfo,
    pub allows_filenames: bool,
}

pub(crate) fn hash_mismatch(st: &SimState) -> SimError {
    SimError::HashMismatch { status: st.faults.hash_mismatch_status, message: st.faults.hash_mismatch_message.clone() }
}

impl SimCore {
    /// Applies `change` to `username`'s stored profile (after an optional hash check), bumps the
    /// revision and emits `SEVT_ACCOUNT_UPDATED`. Returns `change`'s value and the new hash.
    pub fn mutate_profile<T>(
        &self,
        username: &str,
        actor: &str,
        require_hash: Option<&str>,
        change: impl FnOnce(&mut SimState, &mut Map<String, Value>) -> Result<T, SimError>,
    ) -> Result<(T, String), SimError> {
        let mut st = self.lock();
        let st = &mut *st;
        let rec = st.users.get(username).ok_or_else(|| SimError::UnknownUser(username.into()))?;
        if require_hash.is_some_and(|h| h != rec.hash) {
            return Err(hash_mismatch(st));
        }
        let mut profile = rec.profile.clone();
        let out = change(st, &mut profile)?;
        if let Some(rec) = st.users.get_mut(username) {
            rec.profile = profile;
        }
        let hash = self.commit_profile(st, username, actor).ok_or_else(|| SimError::UnknownUser(username.into()))?;
        Ok((out, hash))
    }

    // ------------------------------------------------------------ tenancy

    /// Tenant admins only see accounts of their organization (§1.8).
    pub fn check_visible(&self, who: &Principal, username: &str) -> Result<(), SimError> {
        let st = self.lock();
        let rec = st.users.get(username).ok_or_else(|| SimError::UnknownUser(username.into()))?;
        if who.sees_org(&org_of(&rec.profile)) { Ok(()) } else { Err(SimError::UnknownUser(username.into())) }
    }

    /// Usernames visible to `who`.
    pub fn visible_users(&self, who: &Principal) -> Vec<String> {
        self.lock().users.iter().filter(|(_, u)| who.sees_org(&org_of(&u.profile))).map(|(n, _)| n.clone()).collect()
    }

    // ------------------------------------------------------------ accounts

    /// `AdminAddUser`: a fresh profile with no devices, items or vaults; `SEVT_ACCOUNT_NEW`.
    pub fn add_user(
        &self,
        actor: &Principal,
        username: &str,
        password: &str,
        store_recovery: bool,
        require_change: bool,
        organization: &str,
    ) -> Result<(), SimError> {
        if username.trim().is_empty() || password.is_empty() {
            return Err(SimError::BadRequest("TargetUser and TargetPassword must not be empty".into()));
        }
        let now = self.now();
        let mut st = self.lock();
        if st.users.contains_key(username) {
            return Err(SimError::BadRequest(format!("user {username} already exists")));
        }
        let guid = new_guid(&mut st.rng);
        let pw_hash = format!("$2a$10${}", hex::encode(st.rng.random::<[u8; 22]>()));
        let mut profile = shapes::user_profile(username, "", &format!("{username}@example.com"), now, &guid, &pw_hash);
        profile.insert("Emails".into(), json!([]));
        profile.insert("RequirePasswordChange".into(), json!(require_change));
        if store_recovery {
            profile.insert("PasswordRecovery".into(), json!(hex::encode(st.rng.random::<[u8; 16]>())));
        }
        let org = if organization.is_empty() { actor.organization_id.clone() } else { organization.to_string() };
        if !org.is_empty() {
            profile.insert("OrganizationID".into(), json!(org));
        }
        let hash = crate::core::profile_hash(username, 1, &profile);
        st.users.insert(
            username.into(),
            crate::core::UserRecord { profile: profile.clone(), password: password.into(), revision: 1, hash, totp_secret: None },
        );
        self.emit(sevt::ACCOUNT_NEW, &actor.username, &org, username, Some(Value::Object(profile)));
        Ok(())
    }

    /// `AdminDeleteUser`: devices disconnect, the account and its job history go;
    /// `SEVT_ACCOUNT_REMOVED` (`ResourceID` = username).
    pub fn delete_user(&self, actor: &Principal, username: &str) -> Result<(), SimError> {
        self.check_visible(actor, username)?;
        let mut st = self.lock();
        let st = &mut *st;
        let devices: Vec<_> = st.devices.keys().filter(|(user, _)| user == username).cloned().collect();
        for key in &devices {
            self.set_online_locked(st, key, false);
            st.devices.remove(key);
        }
        st.jobs.retain(|_, j| j.detail.username != username);
        let rec = st.users.remove(username).ok_or_else(|| SimError::UnknownUser(username.into()))?;
        self.emit(sevt::ACCOUNT_REMOVED, &actor.username, &org_of(&rec.profile), username, None);
        Ok(())
    }

    fn set_password(st: &mut SimState, profile: &mut Map<String, Value>, username: &str, new_password: &str) {
        if let Some(rec) = st.users.get_mut(username) {
            rec.password = new_password.into();
        }
        let h = format!("$2a$10${}", hex::encode(st.rng.random::<[u8; 22]>()));
        profile.insert("PasswordHash".into(), json!(h));
    }

    /// `AdminResetUserPassword`: needs the recovery code (else `OldPassword`); a fresh recovery
    /// code is generated.
    pub fn admin_reset_password(
        &self,
        actor: &Principal,
        username: &str,
        new_password: &str,
        old_password: Option<&str>,
    ) -> Result<(), SimError> {
        self.check_visible(actor, username)?;
        if new_password.is_empty() {
            return Err(SimError::BadRequest("NewPassword must not be empty".into()));
        }
        self.mutate_profile(username, &actor.username, None, |st, p| {
            let has_recovery = p.get("PasswordRecovery").and_then(Value::as_str).is_some_and(|s| !s.is_empty());
            let current = st.users.get(username).map(|u| u.password.clone());
            if !has_recovery && old_password.map(String::from) != current {
                return Err(SimError::BadRequest("this account has no recovery code: OldPassword is required".into()));
            }
            Self::set_password(st, p, username, new_password);
            if has_recovery {
                p.insert("PasswordRecovery".into(), json!(hex::encode(st.rng.random::<[u8; 16]>())));
            }
            Ok(())
        })
        .map(|_| ())
    }

    /// `AdminDisableUserTotp`.
    pub fn disable_totp(&self, actor: &Principal, username: &str) -> Result<(), SimError> {
        self.check_visible(actor, username)?;
        self.mutate_profile(username, &actor.username, None, |st, p| {
            if let Some(rec) = st.users.get_mut(username) {
                rec.totp_secret = None;
            }
            p.insert("AllowPasswordAndTOTPLogin".into(), json!(false));
            p.insert("TOTPKey".into(), json!(""));
            p.insert("TOTPKeyEncryptionFormat".into(), json!(0));
            Ok(())
        })
        .map(|_| ())
    }

    /// `UserWebAccountResetPassword` (hash-conditional).
    pub fn user_reset_password(&self, username: &str, hash: &str, old: &str, new: &str) -> Result<(), SimError> {
        if new.is_empty() {
            return Err(SimError::BadRequest("NewPassword must not be empty".into()));
        }
        self.mutate_profile(username, username, Some(hash), |st, p| {
            if st.users.get(username).map(|u| u.password.as_str()) != Some(old) {
                return Err(SimError::Forbidden("OldPassword is incorrect".into()));
            }
            Self::set_password(st, p, username, new);
            Ok(())
        })
        .map(|_| ())
    }

    /// `UserWebAccountRegenerateTotp`: a new secret, applied at once; returns (secret, hash).
    pub fn regenerate_totp(&self, username: &str, hash: &str) -> Result<(String, String), SimError> {
        self.mutate_profile(username, username, Some(hash), |st, p| {
            let secret = crate::totp::encode(&st.rng.random::<[u8; 20]>());
            if let Some(rec) = st.users.get_mut(username) {
                rec.totp_secret = Some(secret.clone());
            }
            // Opaque "encrypted" key, as on a real server.
            p.insert("TOTPKeyEncryptionFormat".into(), json!(2));
            p.insert("TOTPKey".into(), json!(hex::encode(sha2::Sha256::digest(secret.as_bytes()))));
            Ok(secret)
        })
    }

    /// `UserWebAccountValidateTotp` ("validate the TOTP code before turning 2FA on"): checks the
    /// code (and spends it) and changes nothing. TOTP is turned on by a profile write that sets
    /// `AllowPasswordAndTOTPLogin`.
    pub fn validate_totp(&self, username: &str, hash: &str, code: &str) -> Result<(), SimError> {
        let now = self.now();
        let mut st = self.lock();
        let rec = st.users.get(username).ok_or_else(|| SimError::UnknownUser(username.into()))?;
        if rec.hash != hash {
            return Err(hash_mismatch(&st));
        }
        let secret = rec.totp_secret.clone().ok_or_else(|| SimError::BadRequest("no TOTP secret: regenerate first".into()))?;
        if !Self::spend_totp(&mut st, &format!("user:{username}"), &secret, code, now) {
            return Err(SimError::BadRequest("the TOTP code is incorrect".into()));
        }
        Ok(())
    }

    /// `AdminAccountRegenerateTotp`: a new secret for the calling admin, applied at once (its
    /// next TOTP logins need codes of it). Returns the secret.
    pub fn regenerate_admin_totp(&self, admin: &str) -> String {
        let mut st = self.lock();
        let secret = crate::totp::encode(&st.rng.random::<[u8; 20]>());
        st.admin_totp_secrets.insert(admin.to_string(), secret.clone());
        st.totp_used.remove(&format!("admin:{admin}"));
        secret
    }

    /// `AdminAccountValidateTotp` ("validate the TOTP code before turning 2FA on"): checks a code
    /// of the admin's current secret (and spends it); changes nothing.
    pub fn validate_admin_totp(&self, admin: &str, code: &str) -> Result<(), SimError> {
        let now = self.now();
        let mut st = self.lock();
        let secret = st
            .admin_totp_secrets
            .get(admin)
            .cloned()
            .or_else(|| self.cfg.admin(admin).and_then(|a| a.totp_secret))
            .ok_or_else(|| SimError::BadRequest("no TOTP secret: regenerate first".into()))?;
        if !Self::spend_totp(&mut st, &format!("admin:{admin}"), &secret, code, now) {
            return Err(SimError::BadRequest("the TOTP code is incorrect".into()));
        }
        Ok(())
    }

    /// The TOTP code an account's secret gives now (control surface / tests).
    pub fn current_totp_code(&self, username: &str) -> Option<String> {
        let now = self.now();
        let st = self.lock();
        st.users.get(username).and_then(|u| crate::totp::code(u.totp_secret.as_deref()?, crate::totp::step_of(now)))
    }

    // ------------------------------------------------------------ live devices

    /// Resolves `TargetID`; for end-users the device must be theirs (`owner`).
    pub fn live_target(&self, live_id: &str, owner: Option<&str>) -> Result<LiveTarget, SimError> {
        let st = self.lock();
        let found = st
            .devices
            .iter()
            .find(|(_, d)| d.live_id.as_deref() == Some(live_id))
            .filter(|(_, d)| owner.is_none_or(|o| o == d.username));
        match found {
            Some(((_, id), d)) => Ok(LiveTarget {
                device_id: id.clone(),
                username: d.username.clone(),
                os: d.os.clone(),
                allows_filenames: d.allows_filenames,
            }),
            None => Err(SimError::DeviceUnavailable("the target device is not connected".into())),
        }
    }

    /// `DispatcherDropConnection`: disconnect now, reconnect with a new live ID after
    /// `reconnect_delay_ms`.
    pub fn drop_connection(&self, username: &str, device_id: &str) {
        let mut st = self.lock();
        let delay = st.faults.reconnect_delay_ms;
        let key = (username.to_string(), device_id.to_string());
        if let Some(d) = st.devices.get_mut(&key) {
            d.reconnect_at = Some(tokio::time::Instant::now() + std::time::Duration::from_millis(delay));
        }
        self.set_online_locked(&mut st, &key, false);
    }

    /// `KillProcess` / `ForceLogin`: disconnect without reconnecting.
    pub fn disconnect_for_good(&self, username: &str, device_id: &str) {
        let mut st = self.lock();
        let key = (username.to_string(), device_id.to_string());
        if let Some(d) = st.devices.get_mut(&key) {
            d.reconnect_at = None;
        }
        self.set_online_locked(&mut st, &key, false);
    }

    /// Control surface: whether a device (its only registration, or the one in `username`) lets
    /// the server see file names.
    pub fn set_allows_filenames_of(&self, username: Option<&str>, device_id: &str, allow: bool) -> Result<(), SimError> {
        let mut st = self.lock();
        let key = st.device_key(username, device_id)?;
        if let Some(d) = st.devices.get_mut(&key) {
            d.allows_filenames = allow;
        }
        Ok(())
    }

    /// Control surface: whether the only registration of a device lets the server see file names.
    pub fn set_allows_filenames(&self, device_id: &str, allow: bool) -> Result<(), SimError> {
        self.set_allows_filenames_of(None, device_id, allow)
    }

    /// A copy of a device's simulator record fields the browse endpoints need.
    pub fn device_os(&self, username: &str, device_id: &str) -> Option<OsInfo> {
        self.lock().devices.get(&(username.to_string(), device_id.to_string())).map(|d: &DeviceSim| d.os.clone())
    }

    // ------------------------------------------------------------ profile lookups

    /// `Destinations[id]` exists in `username`'s profile.
    pub fn require_vault(&self, username: &str, vault: &str) -> Result<(), SimError> {
        self.profile_value(username, &format!("/Destinations/{vault}"))
            .map(|_| ())
            .ok_or_else(|| SimError::BadRequest(format!("no such Storage Vault: {vault}")))
    }

    /// A JSON pointer into a profile.
    pub fn profile_value(&self, username: &str, pointer: &str) -> Option<Value> {
        self.lock().users.get(username).and_then(|u| map_pointer(&u.profile, pointer).cloned())
    }

    /// `BackupRules[rule]` of `username`.
    pub fn backup_rule(&self, username: &str, rule: &str) -> Result<Value, SimError> {
        self.profile_value(username, &format!("/BackupRules/{rule}"))
            .ok_or_else(|| SimError::BadRequest(format!("no such backup rule: {rule}")))
    }

    // ------------------------------------------------------------ snapshots

    /// Snapshots stored in a vault, oldest first.
    pub fn snapshots(&self, vault: &str) -> Vec<SnapshotRec> {
        self.lock().snapshots.get(vault).cloned().unwrap_or_default()
    }

    /// Seeds snapshots (fleet seeding; no events).
    pub fn insert_snapshots(&self, vault: &str, snaps: Vec<SnapshotRec>) {
        self.lock().snapshots.entry(vault.into()).or_default().extend(snaps);
    }

    pub fn snapshot(&self, vault: &str, id: &str) -> Result<SnapshotRec, SimError> {
        self.snapshots(vault)
            .into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| SimError::BadRequest(format!("no such snapshot: {id}")))
    }

    /// Every restore a device was asked to run (`run-restore`, `run-restore-custom`), oldest
    /// first: `JobID`, `Username`, `TargetDevice`, `Source`, `Destination`, `Snapshot` (the one
    /// restored: the latest when none was named), `Paths`, `Options`, `Endpoint`.
    pub fn restores(&self) -> Vec<Value> {
        self.lock().restores.clone()
    }

    // ------------------------------------------------------------ Protected Items

    /// `*GetProtectedItemWithBackupRules`: (SourceConfig, rules of that item, profile hash).
    pub fn protected_item(&self, username: &str, source_id: &str) -> Result<(Value, Map<String, Value>, String), SimError> {
        let (profile, hash) = self.profile_and_hash(username)?;
        let source = profile
            .get("Sources")
            .and_then(|s| s.get(source_id))
            .cloned()
            .ok_or_else(|| SimError::BadRequest(format!("no such Protected Item: {source_id}")))?;
        let rules = profile
            .get("BackupRules")
            .and_then(Value::as_object)
            .map(|r| {
                r.iter()
                    .filter(|(_, r)| r.get("Source").and_then(Value::as_str) == Some(source_id))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        Ok((source, rules, hash))
    }

    /// `*SetProtectedItemWithBackupRules`: replaces the item and/or the full rule set of the item.
    #[allow(clippy::too_many_arguments)]
    pub fn set_protected_item(
        &self,
        actor: &str,
        username: &str,
        source_id: &str,
        require_hash: Option<&str>,
        source: Option<Value>,
        rules: Option<Map<String, Value>>,
        as_user: bool,
    ) -> Result<(), SimError> {
        self.mutate_profile(username, actor, require_hash, |_, p| {
            let before = p.clone();
            if let Some(src) = source {
                if !src.is_object() {
                    return Err(SimError::BadRequest("Source is not a JSON object".into()));
                }
                let sources = p.entry("Sources").or_insert_with(|| json!({}));
                if let Some(m) = sources.as_object_mut() {
                    m.insert(source_id.into(), src);
                }
            } else if map_pointer(p, &format!("/Sources/{source_id}")).is_none() {
                return Err(SimError::BadRequest(format!("no such Protected Item: {source_id}")));
            }
            if let Some(rules) = rules {
                let all = p.entry("BackupRules").or_insert_with(|| json!({}));
                if let Some(m) = all.as_object_mut() {
                    m.retain(|_, r| r.get("Source").and_then(Value::as_str) != Some(source_id));
                    m.extend(rules);
                }
            }
            if as_user {
                crate::policy::enforce_user_write(&before, p)?;
            }
            Ok(())
        })
        .map(|_| ())
    }

    /// `*DeleteProtectedItem`: the item and the rules that back it up.
    pub fn delete_protected_item(&self, actor: &str, username: &str, source_id: &str, as_user: bool) -> Result<(), SimError> {
        self.mutate_profile(username, actor, None, |_, p| {
            let before = p.clone();
            let removed = p.get_mut("Sources").and_then(Value::as_object_mut).and_then(|m| m.remove(source_id));
            if removed.is_none() {
                return Err(SimError::BadRequest(format!("no such Protected Item: {source_id}")));
            }
            if let Some(m) = p.get_mut("BackupRules").and_then(Value::as_object_mut) {
                m.retain(|_, r| r.get("Source").and_then(Value::as_str) != Some(source_id));
            }
            if as_user {
                crate::policy::enforce_user_write(&before, p)?;
            }
            Ok(())
        })
        .map(|_| ())
    }

    // ------------------------------------------------------------ storage

    /// `*RequestStorageVault` (§6.3): a new `Destinations[<GUID>]` from the template. The
    /// user variant (`as_user`) is refused when `Policy.PreventRequestStorageVault` is set.
    pub fn request_storage_vault(
        &self,
        actor: &str,
        username: &str,
        provider: &str,
        device_id: Option<&str>,
        profile_hash: Option<&str>,
        as_user: bool,
    ) -> Result<(String, String), SimError> {
        let (_, name, kind) = STORAGE_TEMPLATES
            .iter()
            .find(|(id, ..)| *id == provider)
            .copied()
            .ok_or_else(|| SimError::BadRequest(format!("no such storage provider: {provider}")))?;
        let now = self.now();
        self.mutate_profile(username, actor, profile_hash, |st, p| {
            if as_user && map_pointer(p, "/Policy/PreventRequestStorageVault").and_then(Value::as_bool) == Some(true) {
                return Err(SimError::Forbidden(
                    "requesting a Storage Vault is not allowed by policy (PreventRequestStorageVault)".into(),
                ));
            }
            if let Some(d) = device_id
                && map_pointer(p, &format!("/Devices/{d}")).is_none()
            {
                return Err(SimError::UnknownDevice(d.into()));
            }
            let id = new_guid(&mut st.rng);
            let hex = |st: &mut SimState, n: usize| hex::encode((0..n).map(|_| st.rng.random::<u8>()).collect::<Vec<_>>());
            let (bucket, key, enc) = (hex(st, 8), hex(st, 16), hex(st, 32));
            let s3 = kind == shapes::DESTINATIONTYPE_S3;
            let mut vault = shapes::destination_config(&VaultSeed {
                description: name,
                destination_type: kind,
                created: now,
                comet_server: if s3 { "" } else { "https://csw.eazybackup.ca/" },
                comet_bucket: if s3 { "" } else { &bucket },
                comet_bucket_key: if s3 { "" } else { &key },
                s3_server: if s3 { "s3.ca-central-1.wasabisys.com" } else { "" },
                s3_bucket: if s3 { &bucket } else { "" },
                s3_access_key: if s3 { &key } else { "" },
                s3_secret_key: if s3 { &enc } else { "" },
                storage_limit_bytes: 0,
                used_bytes: 0,
                associated_devices: device_id.map(|d| vec![d.to_string()]).unwrap_or_default(),
                encrypted_key: &enc,
            });
            vault["RepoInitTimestamp"] = json!(0);
            let dests = p.entry("Destinations").or_insert_with(|| json!({}));
            if let Some(m) = dests.as_object_mut() {
                m.insert(id.clone(), vault);
            }
            Ok(id)
        })
    }

    /// `AdminCreateInstallToken`: the password must be the account's.
    pub fn install_token(&self, username: &str, password: &str, server: &str) -> Result<Value, SimError> {
        let now = self.now();
        let mut st = self.lock();
        let rec = st.users.get(username).ok_or_else(|| SimError::UnknownUser(username.into()))?;
        if rec.password != password {
            return Err(SimError::BadRequest("TargetPassword is incorrect".into()));
        }
        let token = hex::encode(st.rng.random::<[u8; 16]>());
        Ok(json!({
            "Username": username,
            "Server": server,
            "Token": token,
            "CreateTime": now,
            "Used": false,
            "ExpireTime": now + 7 * 86_400,
        }))
    }
}
