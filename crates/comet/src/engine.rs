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

/// How an engine option is stored in `SourceConfig.EngineProps` and edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OptionKind {
    /// One key holding free text.
    Text,
    /// One key holding a whole number (as text).
    Number,
    /// One key holding one of `choices`.
    Select,
    /// A presence flag: the key exists (value `"1"`) when on.
    Flag,
    /// Several keys `<key>0`, `<key>1`, … (any suffix), one value each.
    List,
    /// Exactly one of the `choices` keys is present (the empty choice: none of them).
    ExclusiveFlags,
    /// Several keys `<key>…`, each a JSON `SourceIncludePattern` (`TopDirectory`, `Value`).
    PatternList,
}

/// Which live-device browse call fills an option's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BrowseKind {
    /// AdminDispatcherRequestFilesystemObjects: a lazy directory tree.
    Filesystem,
    /// AdminDispatcherRequestBrowseDiskDrives.
    DiskDrives,
    /// AdminDispatcherRequestBrowseHyperv.
    Hyperv,
    /// AdminDispatcherRequestBrowseVmware (needs the connection settings).
    Vmware,
    /// AdminDispatcherRequestBrowseMssql.
    Mssql,
    /// AdminDispatcherRequestBrowseMysql.
    Mysql,
    /// AdminDispatcherRequestBrowseMongodb.
    Mongodb,
    /// AdminDispatcherRequestBrowseExchangeEdb.
    ExchangeEdb,
    /// AdminDispatcherRequestBrowseVssAaw.
    VssWriters,
    /// AdminDispatcherRequestBrowseProxmox.
    Proxmox,
    /// AdminDispatcherRequestOffice365Accounts.
    Office365,
}

/// One option of an engine: its EngineProps key (or key prefix), how it is edited and checked.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct EngineOption {
    /// EngineProps key, or the key prefix for `List`/`PatternList`.
    pub key: &'static str,
    /// What the form calls it.
    pub label: &'static str,
    /// How it is stored and edited.
    pub kind: OptionKind,
    /// Must be set (a list: at least one value) to save.
    pub required: bool,
    /// Value of a new item (`"1"` turns a flag on).
    pub default: Option<&'static str>,
    /// `(value, label)` for `Select` and `ExclusiveFlags`.
    pub choices: &'static [(&'static str, &'static str)],
    /// Regular expression every value must match.
    pub pattern: Option<&'static str>,
    /// The browse call that lists the values to pick from.
    pub browse: Option<BrowseKind>,
    /// Never sent to the browser; a saved value is kept unless a new one is sent.
    pub secret: bool,
    /// One line of help under the field (empty: none).
    pub help: &'static str,
}

const fn opt(key: &'static str, label: &'static str, kind: OptionKind) -> EngineOption {
    EngineOption {
        key,
        label,
        kind,
        required: false,
        default: None,
        choices: &[],
        pattern: None,
        browse: None,
        secret: false,
        help: "",
    }
}

impl EngineOption {
    const fn required(mut self) -> Self {
        self.required = true;
        self
    }
    const fn default(mut self, value: &'static str) -> Self {
        self.default = Some(value);
        self
    }
    const fn choices(mut self, choices: &'static [(&'static str, &'static str)]) -> Self {
        self.choices = choices;
        self
    }
    const fn pattern(mut self, pattern: &'static str) -> Self {
        self.pattern = Some(pattern);
        self
    }
    const fn browse(mut self, browse: BrowseKind) -> Self {
        self.browse = Some(browse);
        self
    }
    const fn secret(mut self) -> Self {
        self.secret = true;
        self
    }
    const fn help(mut self, help: &'static str) -> Self {
        self.help = help;
        self
    }
}

/// One Protected Item engine: the one description every part of the product reads.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Engine {
    /// `SourceConfig.Engine`, e.g. `engine1/file`.
    pub id: &'static str,
    /// The operator's display label.
    pub label: &'static str,
    /// True when the SDK documents the EngineProps keys below; false when they follow the field
    /// names of the engine's browse connection type (the SDK names no keys for it).
    pub keys_documented: bool,
    /// Why new items of this engine cannot be created (shown instead of the wizard), if so.
    pub deprecated: Option<&'static str>,
    /// Operating systems the engine runs on ("windows", "linux", "macos"); empty = all.
    pub platforms: &'static [&'static str],
    /// The engine's own settings, in form order.
    pub options: &'static [EngineOption],
}

use OptionKind::*;

const PORT: &str = r"^[0-9]{1,5}$";

const FILE_OPTIONS: &[EngineOption] = &[
    opt("INCLUDE", "Folders and files to back up", List)
        .required()
        .browse(BrowseKind::Filesystem)
        .help("Pick from the device, or type a path (UNC paths work on Windows)."),
    opt("EXCLUDE", "Exclusions (glob)", List)
        .help("`*` matches within a name, `**` across folders, e.g. `*.tmp` or `**/cache/**`."),
    opt("REXCLUDE", "Exclusions (regular expression)", List).help("Matched against the full path."),
    opt("PINCLUDE", "Pattern inclusions (glob)", PatternList),
    opt("RINCLUDE", "Pattern inclusions (regular expression)", PatternList),
    opt("SMBAUTH", "Network share credentials", PatternList).secret(),
    opt("USE_WIN_VSS", "Take a filesystem snapshot (VSS)", Flag)
        .default("1")
        .help("Windows NTFS/ReFS volumes only; not for network shares."),
    opt("CONFIRM_EFS", "Dismiss the EFS warning", Flag),
    opt("RESCAN_UNCHANGED", "Rescan unchanged files", Flag),
    opt("EXTRA_ATTRIBUTES", "Back up extra system permissions and attributes", Flag),
];

const MSSQL_OPTIONS: &[EngineOption] = &[
    opt("INSTANCE", "Instance", Text).browse(BrowseKind::Mssql).help("Blank for the default instance."),
    opt("AUTHMODE", "Authentication", Select)
        .choices(&[("windows", "Windows authentication"), ("native", "SQL Server login")])
        .default("windows"),
    opt("USERNAME", "Login name", Text),
    opt("PASSWORD", "Password", Text).secret(),
    opt("METHOD", "Driver", Select)
        .choices(&[("OLEDB_NATIVE", "OLE DB (native)"), ("OLEDB_32", "OLE DB (32-bit)")])
        .default("OLEDB_NATIVE"),
    opt("ALL_DATABASES", "All databases (except the excluded ones)", Flag).default("1"),
    opt("DATABASE-", "Databases", List).browse(BrowseKind::Mssql).help("Used when 'All databases' is off."),
    opt("EXCEPT-DATABASE-", "Excluded databases", List).browse(BrowseKind::Mssql).help("Used when 'All databases' is on."),
    opt("MODE", "Backup type", ExclusiveFlags).choices(&[
        ("", "Full (copy only)"),
        ("DIFFBASE", "Full (base image)"),
        ("DIFFERENTIAL", "Differential increment"),
        ("LOGTRUNC", "Log (truncating)"),
        ("LOGNOTRUNC", "Log (no truncation)"),
    ]),
];

const STDOUT_OPTIONS: &[EngineOption] = &[
    opt("COMMAND", "Command", Text).required().help("Its standard output is stored; it never touches the local disk."),
    opt("WORKDIR", "Working directory", Text),
    opt("SAVEAS", "File name in the backup", Text).required().default("output.txt"),
];

const WINDISK_OPTIONS: &[EngineOption] = &[opt("DISK-", "Disks and partitions", List).required().browse(BrowseKind::DiskDrives)];

const HYPERV_OPTIONS: &[EngineOption] = &[
    opt("ALL_VMS", "All virtual machines", Flag).default("1"),
    opt("VM-", "Virtual machines", List).browse(BrowseKind::Hyperv).help("Used when 'All virtual machines' is off."),
    opt("METHOD", "Method", Select)
        .choices(&[("vss", "VSS (all checkpoints)"), ("wmi", "WMI + resilient change tracking"), ("copy", "WMI copy")])
        .default("vss"),
];

const VMWARE_OPTIONS: &[EngineOption] = &[
    opt("HOST", "vSphere server", Text).required(),
    opt("USERNAME", "User name", Text).required(),
    opt("PASSWORD", "Password", Text).secret(),
    opt("ALL_VMS", "All virtual machines", Flag).default("1"),
    opt("VM-", "Virtual machines", List).browse(BrowseKind::Vmware),
    opt("BACKUP_TYPE", "Backup type", Select)
        .choices(&[("cbt", "Changed block tracking"), ("full", "Full"), ("copy", "Copy")])
        .default("cbt"),
    opt("SNAPSHOT_TYPE", "Snapshot", Select).choices(&[
        ("", "Default"),
        ("quiesce", "Quiesce the guest"),
        ("memory", "Include memory"),
    ]),
];

const MYSQL_OPTIONS: &[EngineOption] = &[
    opt("HOST", "Server", Text).required().default("localhost"),
    opt("PORT", "Port", Number).default("3306").pattern(PORT),
    opt("USERNAME", "User name", Text),
    opt("PASSWORD", "Password", Text).secret(),
    opt("USE_TLS", "Use TLS", Flag),
    opt("TLS_SKIP_VERIFY", "Do not verify the server certificate", Flag),
    opt("DATABASE-", "Databases", List).browse(BrowseKind::Mysql).help("None picked: every database."),
];

const MONGODB_OPTIONS: &[EngineOption] = &[
    opt("SERVER", "Server", Text).required().default("localhost"),
    opt("PORT", "Port", Number).default("27017").pattern(PORT),
    opt("USERNAME", "User name", Text),
    opt("PASSWORD", "Password", Text).secret(),
    opt("AUTHENTICATION_DB", "Authentication database", Text),
    opt("USE_SSL", "Use TLS/SSL", Flag),
    opt("DATABASE-", "Databases", List).browse(BrowseKind::Mongodb).help("None picked: every database."),
];

const EXCHANGE_OPTIONS: &[EngineOption] =
    &[opt("DATABASE-", "Mailbox databases", List).required().browse(BrowseKind::ExchangeEdb)];

const MSOFFICE_OPTIONS: &[EngineOption] = &[
    opt("REGION", "Region", Select).choices(&[
        ("", "Global"),
        ("US_GOV_GCC", "US Government (GCC)"),
        ("US_GOV_DOD", "US Government (DoD)"),
        ("CHINA", "China"),
        ("GERMANY", "Germany"),
    ]),
    opt("APP_ID", "Application (client) ID", Text).required(),
    opt("TENANT_ID", "Tenant ID", Text).required(),
    opt("SECRET", "Client secret", Text).secret(),
    opt("CUSTOM_SETTINGV2", "Selection (mailboxes, sites, teams)", Text)
        .browse(BrowseKind::Office365)
        .help("Office365CustomSettingV2 as JSON; blank: everything."),
];

const PROXMOX_OPTIONS: &[EngineOption] = &[
    opt("SSH_SERVER", "Primary node (host:port)", Text).required(),
    opt("SSH_USERNAME", "SSH user", Text).required().default("root"),
    opt("SSH_PASSWORD", "SSH password", Text).secret(),
    opt("SSH_PRIVATE_KEY", "SSH private key", Text).secret(),
    opt("EVERYTHING", "All VMs and containers", Flag).default("1"),
    opt("SELECTION-", "VMs and containers", List).browse(BrowseKind::Proxmox),
    opt("METHOD", "Method", Select)
        .choices(&[("snapshot", "Snapshot"), ("suspend", "Suspend"), ("stop", "Stop")])
        .default("snapshot"),
];

const VSSWRITER_OPTIONS: &[EngineOption] = &[opt("WRITER-", "VSS writers", List).required().browse(BrowseKind::VssWriters)];

const WINDOWS: &[&str] = &["windows"];

/// Every engine, in the order the wizard offers them.
pub const ENGINES: &[Engine] = &[
    Engine {
        id: ENGINE_FILE,
        label: "Files and Folders",
        keys_documented: true,
        deprecated: None,
        platforms: &[],
        options: FILE_OPTIONS,
    },
    Engine {
        id: ENGINE_WINDISK,
        label: "Disk Image",
        keys_documented: false,
        deprecated: None,
        platforms: WINDOWS,
        options: WINDISK_OPTIONS,
    },
    Engine {
        id: ENGINE_HYPERV,
        label: "Microsoft Hyper-V",
        keys_documented: false,
        deprecated: None,
        platforms: WINDOWS,
        options: HYPERV_OPTIONS,
    },
    Engine {
        id: ENGINE_VMWARE,
        label: "VMware",
        keys_documented: false,
        deprecated: None,
        platforms: &[],
        options: VMWARE_OPTIONS,
    },
    Engine {
        id: ENGINE_MSSQL,
        label: "Microsoft SQL Server",
        keys_documented: true,
        deprecated: None,
        platforms: WINDOWS,
        options: MSSQL_OPTIONS,
    },
    Engine { id: ENGINE_MYSQL, label: "MySQL", keys_documented: false, deprecated: None, platforms: &[], options: MYSQL_OPTIONS },
    Engine {
        id: ENGINE_MONGODB,
        label: "MongoDB",
        keys_documented: false,
        deprecated: None,
        platforms: &[],
        options: MONGODB_OPTIONS,
    },
    Engine {
        id: ENGINE_EXCHANGEEDB,
        label: "Microsoft Exchange Server",
        keys_documented: false,
        deprecated: None,
        platforms: WINDOWS,
        options: EXCHANGE_OPTIONS,
    },
    Engine {
        id: ENGINE_MSOFFICE,
        label: "Office 365",
        keys_documented: false,
        deprecated: None,
        platforms: &[],
        options: MSOFFICE_OPTIONS,
    },
    Engine {
        id: ENGINE_PROXMOX,
        label: "Proxmox (PVE)",
        keys_documented: false,
        deprecated: None,
        platforms: &["linux"],
        options: PROXMOX_OPTIONS,
    },
    Engine {
        id: ENGINE_STDOUT,
        label: "Program Output",
        keys_documented: true,
        deprecated: None,
        platforms: &[],
        options: STDOUT_OPTIONS,
    },
    Engine {
        id: ENGINE_SYSTEMSTATE,
        label: "Windows Server System State",
        keys_documented: true,
        deprecated: None,
        platforms: WINDOWS,
        options: &[],
    },
    Engine {
        id: ENGINE_WINDOWSSYSTEM,
        label: "Windows System Backup",
        keys_documented: true,
        deprecated: Some("Windows System Backup is retired since Comet 24.12.2; back the system up with Disk Image instead."),
        platforms: WINDOWS,
        options: &[],
    },
    Engine {
        id: ENGINE_VSSWRITER,
        label: "Application-Aware Writer",
        keys_documented: false,
        deprecated: None,
        platforms: WINDOWS,
        options: VSSWRITER_OPTIONS,
    },
];

/// The catalog entry of `engine`, if this crate knows it.
pub fn engine(id: &str) -> Option<&'static Engine> {
    ENGINES.iter().find(|e| e.id == id)
}

/// Display label of an engine, e.g. `engine1/file` → "Files and Folders". An engine Comet adds
/// later is shown by its id rather than hidden.
pub fn engine_label(engine: &str) -> &str {
    self::engine(engine).map(|e| e.label).unwrap_or(engine)
}

/// Every engine id this crate knows.
pub fn known_engines() -> impl Iterator<Item = &'static str> {
    ENGINES.iter().map(|e| e.id)
}

/// Whether EngineProps `key` belongs to `option` (prefix families match by prefix).
pub fn option_owns_key(option: &EngineOption, key: &str) -> bool {
    match option.kind {
        List | PatternList => key.starts_with(option.key),
        ExclusiveFlags => option.choices.iter().any(|(k, _)| !k.is_empty() && *k == key),
        _ => key == option.key,
    }
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

    /// The SDK's `ENGINE_BUILTIN_*` constants, as published.
    const SDK_ENGINES: [&str; 14] = [
        "engine1/exchangeedb",
        "engine1/file",
        "engine1/hyperv",
        "engine1/mongodb",
        "engine1/winmsofficemail",
        "engine1/mssql",
        "engine1/mysql",
        "engine1/proxmox",
        "engine1/stdout",
        "engine1/systemstate",
        "engine1/vmware",
        "engine1/vsswriter",
        "engine1/windisk",
        "engine1/windowssystem",
    ];

    #[test]
    fn every_sdk_engine_is_in_the_catalog_once() {
        for id in SDK_ENGINES {
            assert_eq!(ENGINES.iter().filter(|e| e.id == id).count(), 1, "{id}");
        }
        assert_eq!(ENGINES.len(), SDK_ENGINES.len());
    }

    #[test]
    fn options_are_well_formed() {
        for e in ENGINES {
            let mut keys: Vec<&str> = e.options.iter().map(|o| o.key).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), e.options.len(), "{}: duplicate option keys", e.id);
            for o in e.options {
                let needs_choices = matches!(o.kind, OptionKind::Select | OptionKind::ExclusiveFlags);
                assert_eq!(needs_choices, !o.choices.is_empty(), "{} {}", e.id, o.key);
                if let (Some(d), OptionKind::Select) = (o.default, o.kind) {
                    assert!(o.choices.iter().any(|(v, _)| *v == d), "{} {} default", e.id, o.key);
                }
                if let Some(p) = o.pattern {
                    assert!(p.starts_with('^') && p.ends_with('$'), "{} {}", e.id, o.key);
                }
            }
        }
        // Prefix families of one engine never claim each other's keys.
        let file = engine(ENGINE_FILE).unwrap();
        let owners = |key: &str| file.options.iter().filter(|o| option_owns_key(o, key)).count();
        assert_eq!((owners("INCLUDE0"), owners("PINCLUDE0"), owners("EXCLUDE1"), owners("REXCLUDE1")), (1, 1, 1, 1));
        let mssql = engine(ENGINE_MSSQL).unwrap();
        assert_eq!(mssql.options.iter().filter(|o| option_owns_key(o, "DATABASE-x")).count(), 1);
        assert_eq!(mssql.options.iter().filter(|o| option_owns_key(o, "EXCEPT-DATABASE-x")).count(), 1);
        assert!(engine(ENGINE_WINDOWSSYSTEM).unwrap().deprecated.is_some());
    }
}
