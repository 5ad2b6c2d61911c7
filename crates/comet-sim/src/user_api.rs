//! End-user endpoints under `/api/v1/user/web/` (§4.1–§4.10): the caller acts on its own
//! account, devices and jobs only, and profile writes are checked against its policy (§6.4).

use serde_json::Value;

use crate::api::{self, ApiResult, Form, Reply, field, ok_message, optional, profile_and_hash_reply, required};
use crate::core::{Principal, SimCore, SimError};
use crate::shapes;

/// Paths after `/api/v1/user/web/`.
pub const ENDPOINTS: &[&str] = &[
    "session/start",
    "session/revoke",
    "get-user-profile-and-hash",
    "set-profile-hash",
    "get-protected-item-with-backup-rules",
    "set-protected-item-with-backup-rules",
    "delete-protected-item",
    "account/reset-password",
    "account/regenerate-totp",
    "account/validate-totp",
    "dispatcher/list-active",
    "get-jobs",
    "get-jobs-for-custom-search",
    "get-job-properties",
    "get-job-log",
    "get-job-log-entries",
    "job/cancel",
    "dispatcher/run-backup",
    "dispatcher/run-backup-custom",
    "dispatcher/run-restore",
    "dispatcher/run-restore-custom",
    "dispatcher/request-vault-snapshots",
    "dispatcher/request-stored-objects",
    "dispatcher/search-snapshots",
    "request-filesystem-objects",
    "dispatcher/request-browse-disk-drives",
    "dispatcher/delete-snapshot",
    "dispatcher/delete-snapshots",
    "dispatcher/drop-connection",
    "dispatcher/update-login-password",
    "request-storage-vault-providers",
    "request-storage-vault",
    "news/get-all",
];

/// A job of the caller, or "no such job" (other users' jobs are invisible).
fn own_job(sim: &SimCore, who: &Principal, form: &Form) -> Result<String, SimError> {
    let id = required(form, "JobID")?;
    match sim.job(id) {
        Some(j) if j.username == who.username => Ok(id.to_string()),
        _ => Err(SimError::UnknownJob(id.into())),
    }
}

pub(crate) fn dispatch(sim: &SimCore, ep: &str, who: &Principal, form: &Form) -> ApiResult {
    let me = who.username.as_str();
    match ep {
        "session/start" => Ok(api::session_reply(sim, me, who.kind)),
        "session/revoke" => {
            if field(form, "AuthType") == "SessionKey" {
                sim.revoke_session(me, field(form, "SessionKey"));
            }
            Ok(ok_message())
        }
        "get-user-profile-and-hash" => {
            let (p, h) = sim.profile_and_hash(me)?;
            Ok(profile_and_hash_reply(p, h))
        }
        "set-profile-hash" => {
            let (hash, profile) =
                sim.set_profile(me, me, required(form, "ProfileData")?, Some(required(form, "ProfileHash")?), None, true)?;
            Ok(profile_and_hash_reply(profile, hash))
        }
        "get-protected-item-with-backup-rules" => api::protected_item_reply(sim, me, required(form, "SourceID")?),
        "set-protected-item-with-backup-rules" => api::set_protected_item(sim, me, me, form, true),
        "delete-protected-item" => {
            sim.delete_protected_item(me, me, required(form, "SourceID")?, true)?;
            Ok(ok_message())
        }
        "account/reset-password" => {
            sim.user_reset_password(
                me,
                required(form, "ProfileHash")?,
                required(form, "OldPassword")?,
                required(form, "NewPassword")?,
            )?;
            Ok(ok_message())
        }
        "account/regenerate-totp" => {
            let (secret, hash) = sim.regenerate_totp(me, required(form, "ProfileHash")?)?;
            Ok(Reply::Json(api::totp_regenerated(me, &secret, Some(&hash))))
        }
        "account/validate-totp" => {
            sim.validate_totp(me, required(form, "ProfileHash")?, required(form, "TOTPCode")?)?;
            Ok(ok_message())
        }
        "dispatcher/list-active" => Ok(Reply::Json(shapes::go_collection(Value::Object(sim.live_connections(Some(me)))))),
        "get-jobs" => Ok(api::job_array(sim.jobs_where(|j| j.username == me))),
        "get-jobs-for-custom-search" => Ok(api::job_array(api::custom_search(sim, form, Some(me))?)),
        "get-job-properties" => {
            let id = own_job(sim, who, form)?;
            let job = sim.job(&id).ok_or(SimError::UnknownJob(id))?;
            Ok(Reply::Json(job.to_value()))
        }
        "get-job-log" => api::job_log_text(sim, &own_job(sim, who, form)?),
        "get-job-log-entries" => {
            own_job(sim, who, form)?;
            api::job_log_entries(sim, form)
        }
        "job/cancel" => {
            let id = own_job(sim, who, form)?;
            sim.cancel_job(me, &id)?;
            Ok(ok_message())
        }
        "request-storage-vault-providers" => Ok(Reply::Json(api::storage_providers())),
        "request-storage-vault" => {
            let (id, hash) = sim.request_storage_vault(
                me,
                me,
                required(form, "StorageProvider")?,
                optional(form, "DeviceID"),
                optional(form, "ProfileHash"),
                true,
            )?;
            api::storage_vault_reply(sim, me, id, hash)
        }
        "news/get-all" => {
            // An end user reads the news of their own organization only.
            let org = crate::core::org_of(&sim.profile_and_hash(me)?.0);
            Ok(Reply::Json(api::news(sim.now(), |o| o == org)))
        }
        other => {
            // Dispatcher actions: user-web variants answer a plain CometAPIResponseMessage.
            let reply = api::dispatcher(sim, other, Some(me), form)?;
            Ok(match reply {
                Reply::Json(mut v) if v.get("JobID").is_some() => {
                    if let Some(m) = v.as_object_mut() {
                        m.remove("JobID");
                    }
                    Reply::Json(v)
                }
                r => r,
            })
        }
    }
}
