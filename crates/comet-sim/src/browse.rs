//! Browse trees: stored objects inside a snapshot, a device's local filesystem and its disks
//! (§5.10). Trees are generated on demand from a stable hash of (root, path), so the same
//! directory always lists the same entries without storing anything.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::core::SimError;
use crate::shapes::OsInfo;

const DIR_NAMES: &[&str] = &[
    "Documents",
    "Desktop",
    "Pictures",
    "Projects",
    "Invoices",
    "Patients",
    "Archive",
    "Scans",
    "Reports",
    "Templates",
    "Payroll",
    "Photos",
];
const FILE_NAMES: &[&str] = &[
    "budget-2026.xlsx",
    "notes.txt",
    "contract.pdf",
    "schedule.docx",
    "logo.png",
    "database.sqlite",
    "export.csv",
    "presentation.pptx",
    "readme.md",
    "invoice-0412.pdf",
    "scan-0001.tiff",
    "backup.pst",
];
/// Directory depth below which a tree only contains files.
const MAX_DEPTH: usize = 3;

fn digest(parts: &[&str]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    h.finalize().into()
}

/// Stable pseudo-random entries of one directory: (name, is_dir, size, mtime).
fn entries(root: &str, path: &str, base_time: i64) -> Vec<(String, bool, i64, i64)> {
    let d = digest(&[root, path]);
    let depth = path.split(['/', '\\']).filter(|s| !s.is_empty()).count();
    let dirs = if depth >= MAX_DEPTH { 0 } else { 2 + usize::from(d[0] % 3) };
    let files = 2 + usize::from(d[1] % 4);
    let mut out = Vec::new();
    for i in 0..dirs {
        let name = DIR_NAMES[(usize::from(d[2 + i]) + i) % DIR_NAMES.len()];
        if !out.iter().any(|(n, ..): &(String, bool, i64, i64)| n == name) {
            out.push((name.to_string(), true, 0, base_time - i64::from(d[8 + i]) * 3600));
        }
    }
    for i in 0..files {
        let name = FILE_NAMES[(usize::from(d[12 + i]) + i) % FILE_NAMES.len()];
        if !out.iter().any(|(n, ..)| n == name) {
            let size = i64::from(u16::from_be_bytes([d[16 + i], d[20 + i]])) * 1_024 + 512;
            out.push((name.to_string(), false, size, base_time - i64::from(d[24 + i]) * 7200));
        }
    }
    out
}

/// `StoredObject` (§5.10) with its non-omitempty keys.
fn stored_object(name: &str, mtime: i64, kind: &str, subtree: &str, size: i64) -> Value {
    json!({ "name": name, "mtime": mtime, "type": kind, "subtree": subtree, "size": size })
}

/// Opaque-looking but decodable subtree ID: hex of `snapshot|path`.
fn tree_id(snapshot: &str, path: &str) -> String {
    hex::encode(format!("{snapshot}|{path}"))
}

fn decode_tree_id(id: &str) -> Option<(String, String)> {
    let raw = String::from_utf8(hex::decode(id).ok()?).ok()?;
    let (snap, path) = raw.split_once('|')?;
    Some((snap.to_string(), path.to_string()))
}

/// A file's content changes every `period` seconds (from its item, path and name): the version a
/// snapshot holds is the last change before the snapshot was taken, so the same path lists the
/// same (mtime, size) in every snapshot taken between two changes, and a newer one after.
fn file_version(root: &str, path: &str, name: &str, base_size: i64, created: i64) -> (i64, i64) {
    let d = digest(&[root, path, name, "versions"]);
    let period = 86_400 * (1 + i64::from(d[0] % 5));
    let phase = i64::from(u16::from_be_bytes([d[1], d[2]])) % period;
    let changed = (created - phase).div_euclid(period) * period + phase;
    let version = changed.div_euclid(period);
    (changed, base_size + version.rem_euclid(97) * 1_024)
}

/// Entries of one directory of a snapshot of item `root` taken at `created`: the same names in
/// every snapshot of the item, file versions as of `created`.
fn snapshot_entries(root: &str, path: &str, created: i64) -> Vec<(String, bool, i64, i64)> {
    entries(root, path, created)
        .into_iter()
        .map(|(name, is_dir, size, mtime)| {
            if is_dir {
                (name, true, 0, mtime)
            } else {
                let (mtime, size) = file_version(root, path, &name, size, created);
                (name, false, size, mtime)
            }
        })
        .collect()
}

/// One directory level of a snapshot (`RequestStoredObjects`) of item `root` (the snapshot's
/// Protected Item: its snapshots share a tree). `tree` = `None` ⇒ the root.
pub fn stored_objects(snapshot: &str, root: &str, created: i64, tree: Option<&str>) -> Result<Vec<Value>, SimError> {
    let path = match tree {
        None => String::new(),
        Some(id) => match decode_tree_id(id) {
            Some((snap, path)) if snap == snapshot => path,
            _ => return Err(SimError::BadRequest(format!("unknown TreeID {id}"))),
        },
    };
    Ok(snapshot_entries(root, &path, created)
        .into_iter()
        .map(|(name, is_dir, size, mtime)| {
            let child = format!("{path}/{name}");
            if is_dir {
                stored_object(&name, mtime, "dir", &tree_id(snapshot, &child), 0)
            } else {
                stored_object(&name, mtime, "file", "", size)
            }
        })
        .collect())
}

/// Every entry of a snapshot, depth first, as `SearchResultFileInfo` (§5.10: lower-case keys,
/// forward-slash paths, RFC 3339 times, `size` omitted when zero).
pub fn walk_snapshot(root: &str, created: i64) -> Vec<Value> {
    fn rfc3339(t: i64) -> String {
        chrono::DateTime::from_timestamp(t, 0).map(|d| d.to_rfc3339()).unwrap_or_default()
    }
    let mut out = Vec::new();
    let mut stack = vec![String::new()];
    while let Some(dir) = stack.pop() {
        for (name, is_dir, size, mtime) in snapshot_entries(root, &dir, created) {
            let path = format!("{dir}/{name}");
            let mut v =
                json!({ "path": path, "name": name, "type": if is_dir { "dir" } else { "file" }, "mtime": rfc3339(mtime) });
            if size > 0 {
                v["size"] = json!(size);
            }
            if is_dir {
                stack.push(path);
            }
            out.push(v);
        }
    }
    out
}

fn is_windows(os: &OsInfo) -> bool {
    os.os == "windows"
}

/// The device's local filesystem (`RequestFilesystemObjects`); `path` empty ⇒ the roots.
/// `subtree` carries the full path to list next.
pub fn filesystem_objects(device_id: &str, os: &OsInfo, path: &str, now: i64) -> Vec<Value> {
    let windows = is_windows(os);
    if path.is_empty() {
        let roots: &[&str] = if windows { &["C:\\", "D:\\"] } else { &["/"] };
        return roots.iter().map(|r| stored_object(r, now - 86_400, "dir", r, 0)).collect();
    }
    let sep = if windows { "\\" } else { "/" };
    entries(device_id, path, now)
        .into_iter()
        .map(|(name, is_dir, size, mtime)| {
            let child = if path.ends_with(sep) { format!("{path}{name}") } else { format!("{path}{sep}{name}") };
            if is_dir { stored_object(&name, mtime, "dir", &child, 0) } else { stored_object(&name, mtime, "file", "", size) }
        })
        .collect()
}

/// `Partition` (§5.10) with every key present.
fn partition(device: &str, fs: &str, label: &str, mounts: &[&str], offset: i64, size: i64) -> Value {
    json!({
        "DeviceName": device,
        "PartitionGuid": format!("{{{}}}", hex::encode(&digest(&[device, label])[..16])),
        "PartitionOffset": offset,
        "Filesystem": fs,
        "VolumeName": label,
        "VolumeGuid": format!("\\\\?\\Volume{{{}}}\\", hex::encode(&digest(&[label, device])[..16])),
        "VolumeSerial": hex::encode(&digest(&[label])[..4]).to_uppercase(),
        "MountPoints": mounts,
        "ReadOffset": 0,
        "Size": size,
        "UsedSize": size / 5 * 3,
        "Flags": 0,
        "BytesPerFilesystemCluster": 4096,
    })
}

/// `BrowseDiskDrivesResponse.Disks` for a device of this OS.
pub fn disk_drives(device_id: &str, os: &OsInfo) -> Vec<Value> {
    let (dev, caption, parts) = if is_windows(os) {
        let dev = "\\\\.\\PHYSICALDRIVE0";
        (
            dev,
            "Samsung SSD 980 PRO 1TB",
            vec![
                partition(dev, "FAT32", "SYSTEM", &[], 1_048_576, 104_857_600),
                partition(dev, "NTFS", "Windows", &["C:\\"], 122_683_392, 999_000_000_000),
            ],
        )
    } else {
        let dev = "/dev/sda";
        (
            dev,
            "ATA WDC WD10EZEX",
            vec![
                partition("/dev/sda1", "vfat", "EFI", &["/boot/efi"], 1_048_576, 536_870_912),
                partition("/dev/sda2", "ext4", "root", &["/"], 537_919_488, 999_000_000_000),
            ],
        )
    };
    vec![json!({
        "ID": hex::encode(&digest(&[device_id, dev])[..8]),
        "DeviceName": dev,
        "Caption": caption,
        "Model": caption,
        "SerialNumber": hex::encode(&digest(&[device_id])[..6]).to_uppercase(),
        "Size": 1_000_204_886_016i64,
        "Partitions": parts,
        "DeviceParents": [],
        "Flags": 0,
        "Cylinders": 0,
        "Heads": 0,
        "Sectors": 0,
        "SectorSize": 512,
        "PartitionConflicts": [],
    })]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_directory_always_lists_the_same_entries_and_subtrees_descend() {
        let root = stored_objects("snap1", "item", 1_700_000_000, None).expect("root");
        assert_eq!(root, stored_objects("snap1", "item", 1_700_000_000, None).expect("root"));
        let dir = root.iter().find(|o| o["type"] == "dir").expect("a directory at the root");
        let sub = dir["subtree"].as_str().expect("subtree");
        let inside = stored_objects("snap1", "item", 1_700_000_000, Some(sub)).expect("subtree lists");
        assert!(!inside.is_empty());
        assert!(stored_objects("snap2", "item", 1_700_000_000, Some(sub)).is_err(), "tree of another snapshot");
    }

    #[test]
    fn snapshots_of_one_item_share_paths_and_files_change_between_them() {
        let day = 86_400;
        let older = walk_snapshot("item", 1_700_000_000);
        let newer = walk_snapshot("item", 1_700_000_000 + 30 * day);
        let paths = |w: &[Value]| w.iter().map(|v| v["path"].clone()).collect::<Vec<_>>();
        assert_eq!(paths(&older), paths(&newer), "the same tree");
        assert!(older.len() > 10);
        let files = older.iter().zip(&newer).filter(|(o, _)| o["type"] == "file");
        assert!(files.clone().any(|(o, n)| o["mtime"] != n["mtime"]), "some file changed in 30 days");
        assert!(
            older
                .iter()
                .all(|v| v["path"].as_str().is_some_and(|p| p.starts_with('/') && p.ends_with(v["name"].as_str().unwrap())))
        );
        assert_eq!(walk_snapshot("item", 1_700_000_000), older, "stable");
    }

    #[test]
    fn windows_roots_are_drive_letters() {
        let os = OsInfo { os: "windows".into(), ..Default::default() };
        let roots = filesystem_objects("dev", &os, "", 0);
        assert_eq!(roots[0]["name"], "C:\\");
        let inside = filesystem_objects("dev", &os, "C:\\", 0);
        assert!(inside.iter().any(|o| o["subtree"].as_str().is_some_and(|s| s.starts_with("C:\\"))));
    }
}
