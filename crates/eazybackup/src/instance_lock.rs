//! One running instance per (command, profile): a second worker for the same Comet server would
//! double every write. An advisory lock on a file replaces the `flock -n` of the old units; the
//! kernel releases it when the process dies, so a crash never leaves a stale lock behind.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("another `eazybackup {what}` is already running for profile `{profile}` (lock file {path}{holder})")]
    Held { what: String, profile: String, path: PathBuf, holder: String },
    #[error("cannot create the lock file {path}: {source} (set EB_LOCK_DIR to a writable directory)")]
    Io { path: PathBuf, source: std::io::Error },
}

/// Held for as long as this value lives.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
    path: PathBuf,
}

impl InstanceLock {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Takes the lock `eazybackup-<what>-<profile>.lock` in `dir`, or says who holds it.
pub fn acquire(dir: &Path, what: &str, profile: &str) -> Result<InstanceLock, LockError> {
    let path = dir.join(format!("eazybackup-{what}-{}.lock", sanitize(profile)));
    let io = |source| LockError::Io { path: path.clone(), source };
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut file = OpenOptions::new().create(true).truncate(false).read(true).write(true).open(&path).map_err(io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let holder = std::fs::read_to_string(&path).ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
            return Err(LockError::Held {
                what: what.to_string(),
                profile: profile.to_string(),
                path,
                holder: holder.map(|pid| format!(", held by pid {pid}")).unwrap_or_default(),
            });
        }
        Err(TryLockError::Error(e)) => return Err(io(e)),
    }
    file.set_len(0).map_err(io)?;
    write!(file, "{}", std::process::id()).map_err(io)?;
    Ok(InstanceLock { _file: file, path })
}

/// Profile names come from operators' `.env`; keep the file name to safe characters.
fn sanitize(profile: &str) -> String {
    profile.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_is_refused_until_the_first_lets_go() {
        let dir = std::env::temp_dir().join(format!("eb-lock-test-{}", std::process::id()));
        let first = acquire(&dir, "worker", "obc").expect("first lock");
        let err = acquire(&dir, "worker", "obc").expect_err("second lock must fail");
        let msg = err.to_string();
        assert!(msg.contains("already running for profile `obc`"), "{msg}");
        assert!(msg.contains(&std::process::id().to_string()), "names the holder: {msg}");
        // Other profiles and other commands are independent.
        let _other = acquire(&dir, "worker", "eazybackup").expect("another profile");
        let _monitor = acquire(&dir, "monitor", "obc").expect("another command");
        drop(first);
        acquire(&dir, "worker", "obc").expect("free again once released");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn profile_names_cannot_escape_the_directory() {
        assert_eq!(sanitize("../etc/x"), "___etc_x");
    }
}
