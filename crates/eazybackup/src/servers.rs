//! Where each Comet profile's server is and how to log in to it.
//!
//! The operators keep Comet admin credentials in WHMCS (`tblservers`, password encrypted by
//! WHMCS); `.env` `COMET_<profile>_*` is the fallback. WHMCS's encryption is its own, so the
//! password is decrypted by the addon's PHP helper through `localAPI('DecryptPassword')`.

use std::path::Path;
use std::process::Stdio;

use comet::Credentials;
use secrecy::ExposeSecret;
use tokio::io::AsyncWriteExt;
use tracing::{info, warn};

use crate::config::{CometProfile, Config};
use crate::db::Db;
use crate::db::whmcs_servers::{self, ServerRow};

/// Which settings a server's access came from (logged, so operators know what is in force).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessSource {
    Whmcs,
    Env,
}

impl AccessSource {
    pub fn as_str(self) -> &'static str {
        match self {
            AccessSource::Whmcs => "whmcs",
            AccessSource::Env => "env",
        }
    }
}

/// Everything needed to talk to one Comet server as its administrator.
#[derive(Clone)]
pub struct ServerAccess {
    pub profile: String,
    pub source: AccessSource,
    /// HTTP(S) base URL of the Admin API.
    pub origin: String,
    /// `ws(s)://…/api/v1/events/stream`.
    pub ws_url: String,
    /// Used for the Admin API and, through a fresh login per connection, the event stream.
    pub admin: Credentials,
    /// Why these settings cannot keep the worker logged in unattended (logged at start-up).
    pub unattended_problems: Vec<String>,
}

impl std::fmt::Debug for ServerAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerAccess")
            .field("profile", &self.profile)
            .field("source", &self.source)
            .field("origin", &self.origin)
            .field("admin", &self.admin)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error("no Comet server for profile `{profile}`: no COMET_{profile}_* settings, and {whmcs_note}")]
    NotConfigured { profile: String, whmcs_note: String },
    #[error("the WHMCS password helper failed: {0}")]
    Decrypt(String),
    #[error("database: {0}")]
    Db(#[from] crate::db::DbError),
}

/// Resolves `profile`: the WHMCS server row when WHMCS is reachable (`EB_WHMCS_ROOT`) and has
/// one, else the `.env` block. A WHMCS row that cannot be used falls back to `.env` with a warning.
pub async fn resolve(config: &Config, db: &Db, profile: &str) -> Result<ServerAccess, AccessError> {
    let env_profile = config.profile(profile).ok();
    let mut whmcs_note = String::from("WHMCS's server settings are not consulted (EB_WHMCS_ROOT is not set)");
    if let Some(root) = &config.whmcs.root {
        whmcs_note = format!("no WHMCS server group named `{profile}`");
        match from_whmcs(config, db, root, profile, env_profile).await {
            Ok(Some(access)) => return Ok(announce(access)),
            Ok(None) => {}
            Err(e) if env_profile.is_some() => {
                warn!(profile, error = %e, "WHMCS server credentials unusable; using COMET_{profile}_* from .env")
            }
            Err(e) => return Err(e),
        }
    }
    match env_profile {
        Some(p) => Ok(announce(from_env(p))),
        None => Err(AccessError::NotConfigured { profile: profile.to_string(), whmcs_note }),
    }
}

fn announce(access: ServerAccess) -> ServerAccess {
    info!(profile = %access.profile, source = access.source.as_str(), origin = %access.origin, admin = %access.admin.username, "Comet server credentials");
    for problem in &access.unattended_problems {
        warn!(profile = %access.profile, "these Comet settings cannot work unattended: {problem}");
    }
    access
}

pub fn from_env(p: &CometProfile) -> ServerAccess {
    let secret = |s: &Option<secrecy::SecretString>| s.as_ref().map(|v| v.expose_secret().to_string());
    ServerAccess {
        profile: p.name.clone(),
        source: AccessSource::Env,
        origin: p.origin.clone(),
        ws_url: p.ws_url.clone(),
        admin: Credentials {
            username: p.username.clone(),
            password: p.password.expose_secret().to_string(),
            session_key: secret(&p.session_key),
            totp: secret(&p.totp),
            totp_secret: secret(&p.totp_secret),
        },
        unattended_problems: p.unattended_problems(),
    }
}

async fn from_whmcs(
    config: &Config,
    db: &Db,
    root: &Path,
    profile: &str,
    env_profile: Option<&CometProfile>,
) -> Result<Option<ServerAccess>, AccessError> {
    let Some(row) = whmcs_servers::server_for_profile(db, profile).await? else {
        return Ok(None);
    };
    let password = decrypt_password(&config.whmcs.php_bin, root, &row.password_encrypted).await?;
    let (origin, ws_url) = urls_for(&row);
    // The origin the browser-facing Comet URL uses may differ from WHMCS's hostname (operators set
    // COMET_<p>_ORIGIN for that); an explicit .env URL wins for the event stream.
    let ws_url = env_profile.map(|p| p.ws_url.clone()).filter(|u| !u.is_empty()).unwrap_or(ws_url);
    Ok(Some(ServerAccess {
        profile: profile.to_string(),
        source: AccessSource::Whmcs,
        origin,
        ws_url,
        admin: Credentials {
            username: row.username.clone(),
            password,
            session_key: None,
            totp: None,
            // WHMCS keeps no second factor: an admin with TOTP takes its secret from .env.
            totp_secret: env_profile.and_then(|p| p.totp_secret.as_ref()).map(|s| s.expose_secret().to_string()),
        },
        unattended_problems: Vec::new(),
    }))
}

/// `secure` = `on` means TLS; the host is `hostname`, else `ipaddress`; no port means the scheme's.
pub fn urls_for(row: &ServerRow) -> (String, String) {
    let tls = row.secure.trim().eq_ignore_ascii_case("on");
    let host = if row.hostname.trim().is_empty() { row.ipaddress.trim() } else { row.hostname.trim() };
    let port = row.port.filter(|p| *p > 0).map(|p| format!(":{p}")).unwrap_or_default();
    let (http, ws) = if tls { ("https", "wss") } else { ("http", "ws") };
    (format!("{http}://{host}{port}"), format!("{ws}://{host}{port}/api/v1/events/stream"))
}

async fn decrypt_password(php: &str, root: &Path, ciphertext: &str) -> Result<String, AccessError> {
    let helper = helper_path();
    let mut child = tokio::process::Command::new(php)
        .arg(&helper)
        .arg(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| AccessError::Decrypt(format!("cannot run `{php} {}`: {e}", helper.display())))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(ciphertext.as_bytes()).await.map_err(|e| AccessError::Decrypt(e.to_string()))?;
    }
    let out = tokio::time::timeout(std::time::Duration::from_secs(30), child.wait_with_output())
        .await
        .map_err(|_| AccessError::Decrypt("no answer within 30 s".into()))?
        .map_err(|e| AccessError::Decrypt(e.to_string()))?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr).trim().chars().take(300).collect::<String>();
        return Err(AccessError::Decrypt(why));
    }
    String::from_utf8(out.stdout).map_err(|_| AccessError::Decrypt("the password is not UTF-8".into()))
}

/// The helper ships with the addon; `EB_DECRYPT_HELPER` overrides where it is (e.g. when the
/// binary is installed apart from the addon).
fn helper_path() -> std::path::PathBuf {
    if let Some(p) = std::env::var_os("EB_DECRYPT_HELPER") {
        return p.into();
    }
    let addon_relative = Path::new("whmcs/modules/addons/eazybackup/bin/decrypt-password.php");
    let beside_binary = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.ancestors().find(|dir| dir.join(addon_relative).is_file()).map(|dir| dir.join(addon_relative)));
    beside_binary.unwrap_or_else(|| Path::new("bin/decrypt-password.php").to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(hostname: &str, secure: &str, port: Option<i64>) -> ServerRow {
        ServerRow {
            hostname: hostname.into(),
            ipaddress: "10.0.0.5".into(),
            secure: secure.into(),
            port,
            username: "admin".into(),
            password_encrypted: "x".into(),
        }
    }

    #[test]
    fn urls_follow_whmcs_server_fields() {
        assert_eq!(
            urls_for(&row("csw.example.com", "on", None)),
            ("https://csw.example.com".into(), "wss://csw.example.com/api/v1/events/stream".into())
        );
        assert_eq!(
            urls_for(&row("", "", Some(8060))),
            ("http://10.0.0.5:8060".into(), "ws://10.0.0.5:8060/api/v1/events/stream".into())
        );
    }
}
