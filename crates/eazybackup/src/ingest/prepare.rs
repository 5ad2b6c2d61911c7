//! Step 2 of a batch: every lookup the batch needs, done before its transaction opens (a write
//! transaction is never held across a network call): device and item names of the jobs' accounts
//! (`AdminGetUserProfile` for users not seen yet), the WHMCS owner of every account, the profiles
//! account events did not carry, whether a removed account is really gone (`AdminListUsers`) and
//! whether a device registration is its `Actor`'s. The result, [`Prepared`], says for each event
//! what the transaction writes; `apply` needs nothing else but the owner map refreshed here.

use std::collections::{HashMap, HashSet};

use comet::{AdminClient, BackupJobDetail, UserProfileConfig};
use futures_util::StreamExt;
use tracing::{debug, warn};

use crate::db::jobs;
use crate::db::tenancy;
use crate::db::users::Owner;
use crate::ingest::context::{Ingest, IngestError, Outcome};
use crate::ingest::decode::{Decoded, DeviceEvent, TypedEvent};
use crate::ingest::names::NameCache;

/// Profiles fetched at once for users seen for the first time (a burst of new users must not
/// wait on one round trip per user).
const PROFILE_FETCHES_IN_FLIGHT: usize = 8;

/// A batch with its lookups done: one step per event, in order.
#[derive(Debug)]
pub struct Prepared {
    pub steps: Vec<Step>,
    /// The account of each step (see `decode::TypedEvent::account`): a batch the database
    /// refuses is written again one transaction per account.
    pub accounts: Vec<String>,
}

/// What the transaction does for one event.
#[derive(Debug)]
pub enum Step {
    /// A job observed (event or reconcile): running ones go live, finished ones end; always a
    /// `comet_jobs` history row.
    Job { job: Box<BackupJobDetail>, owner: jobs::Owner, device_name: Option<String>, item_name: Option<String> },
    /// A profile to mirror (devices, items, vaults, account summary).
    Profile { account: String, owner: Owner, config: Box<UserProfileConfig>, ts: i64 },
    /// An account the server no longer lists: mirrored as empty, then forgotten.
    RemoveAccount { account: String, owner: Owner, ts: i64 },
    /// A registration, removal or live connection; its rows name the owners to look up.
    Device(DeviceEvent),
    /// Nothing to write: decided here.
    Decided(Outcome),
}

/// Prepares a batch of stream events.
pub async fn events(ingest: &mut Ingest, typed: Vec<TypedEvent>) -> Result<Prepared, IngestError> {
    refresh_names_from_profiles(&mut ingest.names, &typed);
    let mut job_users: Vec<String> =
        typed.iter().filter(|e| matches!(e.kind, Decoded::Job(_))).map(|e| e.named_user.clone()).collect();
    job_users.sort_unstable();
    job_users.dedup();
    fetch_missing_names(ingest, &job_users).await;
    ingest.owners.refresh_for(&ingest.db, job_users.iter().map(String::as_str)).await?;
    let fetched = fetch_missing_profiles(&ingest.admin, &typed).await;
    refresh_owners_of_accounts_and_devices(ingest, &typed).await?;
    let removed = confirm_removals(ingest, &typed).await;
    let registered = confirm_registrations(ingest, &typed).await;

    let found = Lookups { fetched, removed, registered };
    let mut steps = Vec::with_capacity(typed.len());
    let mut accounts = Vec::with_capacity(typed.len());
    for event in typed {
        accounts.push(event.account.clone());
        steps.push(step_of(ingest, event, &found));
    }
    Ok(Prepared { steps, accounts })
}

/// What the network told `prepare` about the batch's account and device events.
struct Lookups {
    /// Profiles of account events that carried none.
    fetched: HashMap<String, UserProfileConfig>,
    /// Removed accounts the server no longer lists.
    removed: HashSet<String>,
    /// `(username, device id)` of registrations whose `Actor`'s profile lists the device.
    registered: HashSet<(String, String)>,
}

/// What the transaction does for `event`, in batch order (a removal makes the account's names
/// unknown to the jobs that follow it).
fn step_of(ingest: &mut Ingest, event: TypedEvent, found: &Lookups) -> Step {
    match event.kind {
        Decoded::Job(Ok(job)) => job_step(ingest, job),
        Decoded::Job(Err(why)) | Decoded::Device(Err(why)) => Step::Decided(Outcome::Malformed(why)),
        Decoded::Profile { account, .. } if account.is_empty() => Step::Decided(Outcome::Malformed(format!(
            "{} names no account (neither Data.Username nor ResourceID)",
            event.type_string
        ))),
        Decoded::Profile { carried: Err(why), .. } => Step::Decided(Outcome::Malformed(why)),
        Decoded::Profile { account, carried: Ok(carried) } => {
            match carried.or_else(|| found.fetched.get(&account).cloned().map(Box::new)) {
                Some(config) => {
                    let owner = Owner::from(ingest.owners.get(&account));
                    Step::Profile { account, owner, config, ts: event.ts }
                }
                None => Step::Decided(Outcome::Unchanged), // the read failed (logged)
            }
        }
        Decoded::AccountRemoved { account: None } => {
            debug!("SEVT_ACCOUNT_REMOVED names no account; the reconcile decides");
            Step::Decided(Outcome::Ignored)
        }
        Decoded::AccountRemoved { account: Some(account) } if !found.removed.contains(&account) => {
            debug!(
                username = account,
                "SEVT_ACCOUNT_REMOVED for an account the server still lists (or could not list); not removed"
            );
            Step::Decided(Outcome::Unchanged)
        }
        Decoded::AccountRemoved { account: Some(account) } => {
            // Jobs after the removal no longer find the account's names.
            ingest.names.forget(&account);
            let owner = Owner::from(ingest.owners.get(&account));
            Step::RemoveAccount { account, owner, ts: event.ts }
        }
        Decoded::Device(Ok(DeviceEvent::New { device_id, username, .. }))
            if !found.registered.contains(&(username.clone(), device_id.clone())) =>
        {
            debug!(username, device_id, "SEVT_DEVICE_NEW not confirmed by the Actor's profile; left to the profile write");
            Step::Decided(Outcome::Unchanged)
        }
        Decoded::Device(Ok(device)) => Step::Device(device),
        Decoded::Ignored => Step::Decided(Outcome::Ignored),
    }
}

/// Prepares jobs read back from the Admin API (a reconcile, a poll's silent endings).
pub async fn jobs(ingest: &mut Ingest, jobs: &[BackupJobDetail]) -> Result<Prepared, IngestError> {
    let mut users: Vec<String> = jobs.iter().map(|j| j.username.clone()).collect();
    users.sort_unstable();
    users.dedup();
    fetch_missing_names(ingest, &users).await;
    ingest.owners.refresh_for(&ingest.db, users.iter().map(String::as_str)).await?;
    Ok(Prepared {
        accounts: jobs.iter().map(|j| tenancy::normalize_username(&j.username)).collect(),
        steps: jobs.iter().map(|j| job_step(ingest, Box::new(j.clone()))).collect(),
    })
}

/// A job with its account's owner and the names its device and item have in the profile.
fn job_step(ingest: &Ingest, job: Box<BackupJobDetail>) -> Step {
    let names = ingest.names.get(&job.username);
    let device_name = names.and_then(|n| n.devices.get(&job.device_id).cloned());
    let item_name = names.and_then(|n| n.items.get(&job.source_guid).cloned());
    let owner = ingest.owners.get(&job.username);
    Step::Job { job, owner, device_name, item_name }
}

/// Profiles carried by account events refresh the name cache; an account event without one (or
/// a removal) forgets the account's names: the next job re-reads them.
fn refresh_names_from_profiles(names: &mut NameCache, typed: &[TypedEvent]) {
    for event in typed {
        match &event.kind {
            Decoded::Profile { carried: Ok(Some(profile)), .. } => names.update(&event.named_user, profile),
            Decoded::Profile { .. } => names.forget(&event.named_user),
            Decoded::AccountRemoved { account: Some(account) } => names.forget(account),
            _ => {}
        }
    }
}

/// Fetches, a few at a time, the profiles of `users` whose names are not cached. Names are
/// cosmetic: a failure is logged and the job is written without them.
async fn fetch_missing_names(ingest: &mut Ingest, users: &[String]) {
    let missing: Vec<String> = users.iter().filter(|u| !u.is_empty() && ingest.names.get(u).is_none()).cloned().collect();
    if missing.is_empty() {
        return;
    }
    let admin = &ingest.admin;
    let fetched: Vec<(String, Result<UserProfileConfig, comet::CometError>)> = futures_util::stream::iter(missing)
        .map(|u| async move {
            let r = admin.get_user_profile(&u).await;
            (u, r)
        })
        .buffer_unordered(PROFILE_FETCHES_IN_FLIGHT)
        .collect()
        .await;
    for (username, result) in fetched {
        match result {
            Ok(profile) => ingest.names.update(&username, &profile),
            Err(e) => {
                warn!(profile = %ingest.profile, username, error = %e, "cannot read the user's profile for device and item names")
            }
        }
    }
}

/// Fetches (`AdminGetUserProfile`) the profile of every account event without one, once per
/// user. A failed read is logged and the event is skipped: the next profile write or the
/// reconcile repairs it, and the batch goes on.
async fn fetch_missing_profiles(admin: &AdminClient, typed: &[TypedEvent]) -> HashMap<String, UserProfileConfig> {
    let mut fetched = HashMap::new();
    for event in typed {
        let Decoded::Profile { account, carried } = &event.kind else { continue };
        if matches!(carried, Ok(Some(_))) || account.is_empty() || fetched.contains_key(account) {
            continue;
        }
        match admin.get_user_profile(account).await {
            Ok(profile) => {
                fetched.insert(account.clone(), profile);
            }
            Err(e) => warn!(username = account, error = %e, "cannot read the profile of an updated account; skipping it"),
        }
    }
    fetched
}

/// Makes the owner mapping know the users of account and device events (a revoke's owner is
/// found from our own row, and the mapping covers the whole profile, so one refresh serves
/// those too).
async fn refresh_owners_of_accounts_and_devices(ingest: &mut Ingest, typed: &[TypedEvent]) -> Result<(), IngestError> {
    let mut any = false;
    let mut users: Vec<&str> = Vec::new();
    for event in typed {
        match &event.kind {
            Decoded::Profile { account, .. } => {
                any = true;
                users.push(account);
            }
            Decoded::Device(Ok(device)) => {
                any = true;
                // Removals and bare connections name no account: their owner comes from our row,
                // looked up in the same (refreshed) profile-wide mapping.
                users.extend(device.named_username());
            }
            _ => {}
        }
    }
    if any {
        ingest.owners.refresh_for(&ingest.db, users.iter().copied()).await?;
    }
    Ok(())
}

/// `SEVT_ACCOUNT_REMOVED` documents no field naming the account: the name it seems to carry is
/// believed only once the server's user list lacks it, so a misread event cannot empty a live
/// account. When the list cannot be read, nothing is removed now; the reconcile after the next
/// (re)connect compares the accounts we hold with the server's.
async fn confirm_removals(ingest: &Ingest, typed: &[TypedEvent]) -> HashSet<String> {
    let candidates: HashSet<String> = typed
        .iter()
        .filter_map(|e| match &e.kind {
            Decoded::AccountRemoved { account } => account.clone(),
            _ => None,
        })
        .collect();
    if candidates.is_empty() {
        return HashSet::new();
    }
    match ingest.admin.list_users().await {
        Ok(listed) => {
            let listed: HashSet<String> = listed.into_iter().map(|u| tenancy::normalize_username(&u)).collect();
            candidates.into_iter().filter(|u| !listed.contains(u)).collect()
        }
        Err(e) => {
            warn!(profile = %ingest.profile, error = %e, "cannot confirm removed accounts; the next reconcile will");
            HashSet::new()
        }
    }
}

/// `SEVT_DEVICE_NEW` names its account only by `Actor`: the registering user, or the
/// administrator who registered a lobby device into someone's account. The registration is
/// taken as the Actor's only when that account's profile lists the device (the profile the
/// batch carried, else one `AdminGetUserProfile`); otherwise the profile write that follows
/// every registration registers the device under its real account.
async fn confirm_registrations(ingest: &mut Ingest, typed: &[TypedEvent]) -> HashSet<(String, String)> {
    let mut confirmed = HashSet::new();
    // One profile read per Actor and batch, however many devices it registered.
    let mut read: HashSet<String> = HashSet::new();
    for event in typed {
        let Decoded::Device(Ok(DeviceEvent::New { device_id, username, .. })) = &event.kind else {
            continue;
        };
        let lists = |names: &NameCache| names.get(username).is_some_and(|n| n.devices.contains_key(device_id));
        if !lists(&ingest.names) && read.insert(username.clone()) {
            match ingest.admin.get_user_profile(username).await {
                Ok(profile) => ingest.names.update(username, &profile),
                Err(e) => debug!(username, error = %e, "SEVT_DEVICE_NEW: the Actor is not an account that can be read"),
            }
        }
        if lists(&ingest.names) {
            confirmed.insert((username.clone(), device_id.clone()));
        }
    }
    confirmed
}
