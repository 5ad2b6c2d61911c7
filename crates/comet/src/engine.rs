//! Protected Item engines (`SourceConfig.Engine`) and their display labels.

/// Microsoft Exchange Server.
pub const ENGINE_EXCHANGEEDB: &str = "engine1/exchangeedb";
/// Files and Folders.
pub const ENGINE_FILE: &str = "engine1/file";
/// Microsoft Hyper-V.
pub const ENGINE_HYPERV: &str = "engine1/hyperv";
/// MongoDB.
pub const ENGINE_MONGODB: &str = "engine1/mongodb";
/// Microsoft SQL Server.
pub const ENGINE_MSSQL: &str = "engine1/mssql";
/// MySQL.
pub const ENGINE_MYSQL: &str = "engine1/mysql";
/// Proxmox VE.
pub const ENGINE_PROXMOX: &str = "engine1/proxmox";
/// Program Output.
pub const ENGINE_STDOUT: &str = "engine1/stdout";
/// Windows Server System State.
pub const ENGINE_SYSTEMSTATE: &str = "engine1/systemstate";
/// VMware.
pub const ENGINE_VMWARE: &str = "engine1/vmware";
/// Application-Aware Writer (VSS).
pub const ENGINE_VSSWRITER: &str = "engine1/vsswriter";
/// Disk Image.
pub const ENGINE_WINDISK: &str = "engine1/windisk";
/// Windows System Backup (deprecated).
pub const ENGINE_WINDOWSSYSTEM: &str = "engine1/windowssystem";
/// Microsoft 365 / Office 365.
pub const ENGINE_MSOFFICE: &str = "engine1/winmsofficemail";

/// The operator's label list (seed spec), engine id → label.
const LABELS: [(&str, &str); 14] = [
    (ENGINE_FILE, "Files and Folders"),
    (ENGINE_STDOUT, "Program Output"),
    (ENGINE_MYSQL, "MySQL"),
    (ENGINE_SYSTEMSTATE, "Windows Server System State"),
    (ENGINE_MSSQL, "Microsoft SQL Server"),
    (ENGINE_WINDOWSSYSTEM, "Windows System Backup"),
    (ENGINE_EXCHANGEEDB, "Microsoft Exchange Server"),
    (ENGINE_VSSWRITER, "Application-Aware Writer"),
    (ENGINE_HYPERV, "Microsoft Hyper-V"),
    (ENGINE_WINDISK, "Disk Image"),
    (ENGINE_MONGODB, "MongoDB"),
    (ENGINE_MSOFFICE, "Office 365"),
    (ENGINE_VMWARE, "VMware"),
    (ENGINE_PROXMOX, "Proxmox (PVE)"),
];

/// Display label of an engine, e.g. `engine1/file` → "Files and Folders". An engine Comet adds
/// later is shown by its id rather than hidden.
pub fn engine_label(engine: &str) -> &str {
    LABELS.iter().find(|(id, _)| *id == engine).map(|(_, label)| *label).unwrap_or(engine)
}

/// Every engine id this crate knows.
pub fn known_engines() -> impl Iterator<Item = &'static str> {
    LABELS.iter().map(|(id, _)| *id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_spec_labels() {
        assert_eq!(engine_label("engine1/file"), "Files and Folders");
        assert_eq!(engine_label("engine1/winmsofficemail"), "Office 365");
        assert_eq!(engine_label("engine1/proxmox"), "Proxmox (PVE)");
        assert_eq!(engine_label("engine1/vsswriter"), "Application-Aware Writer");
        assert_eq!(engine_label("engine9/new"), "engine9/new");
        assert_eq!(known_engines().count(), 14);
    }
}
