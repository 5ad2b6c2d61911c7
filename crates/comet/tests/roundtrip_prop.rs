//! Lossless round trip: for generated profiles in the server's shape, with unknown keys at
//! every nesting level and `null` (Go's nil slice/map) at random array/map positions,
//! serialize(deserialize(x)) == x exactly as JSON values.

mod common;

use comet::{BackupJobDetail, StreamableEvent, UserProfileConfig};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 _./:\\\\-]{0,12}"
}

/// Any JSON value without floats (Comet sends none in these structs), nested a little.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[A-Za-z]{1,6}", inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Keys no model knows (the `Zz` prefix keeps them clear of real field names).
fn unknowns() -> impl Strategy<Value = Vec<(String, Value)>> {
    prop::collection::vec(("Zz[A-Za-z0-9_]{1,8}", any_json()), 0..3)
}

fn object(known: Vec<(&str, Value)>, unknown: Vec<(String, Value)>) -> Value {
    let mut m = Map::new();
    for (k, v) in known {
        m.insert(k.to_owned(), v);
    }
    for (k, v) in unknown {
        m.insert(k, v);
    }
    Value::Object(m)
}

/// Insert an omitempty key only when its value is not the zero value, as Go does.
fn omitempty(m: &mut Value, key: &str, v: Value) {
    let zero = matches!(&v, Value::Null | Value::Bool(false))
        || v.as_i64() == Some(0)
        || v.as_u64() == Some(0)
        || v.as_str() == Some("")
        || v.as_array().is_some_and(|a| a.is_empty())
        || v.as_object().is_some_and(|o| o.is_empty());
    if !zero {
        m.as_object_mut().expect("object").insert(key.to_owned(), v);
    }
}

/// One flag per nil-able array/map position of a generator: true = Go sent a nil slice/map.
fn nils(n: usize) -> impl Strategy<Value = Vec<bool>> {
    prop::collection::vec(prop::bool::weighted(0.25), n)
}

/// `null` in place of `v` when the position holds a nil slice/map (a key without omitempty is
/// always present, so nil shows as `null`, never as a missing key).
fn nil_or(nil: bool, v: Value) -> Value {
    if nil { Value::Null } else { v }
}

fn strings() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(text(), 0..3)
}

fn job() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(text(), 8),
        prop::collection::vec(any::<i64>(), 14),
        (any::<u64>(), any::<u64>()),
        prop::option::of((any::<i64>(), any::<i64>(), unknowns())),
        unknowns(),
    )
        .prop_map(|(s, n, (class, status), progress, unknown)| {
            let mut j = object(
                vec![
                    ("GUID", json!(s[0])),
                    ("Username", json!(s[1])),
                    ("Classification", json!(class)),
                    ("Status", json!(status)),
                    ("StartTime", json!(n[0])),
                    ("EndTime", json!(n[1])),
                    ("RetryCount", json!(n[2])),
                    ("SourceGUID", json!(s[2])),
                    ("DestinationGUID", json!(s[3])),
                    ("DeviceID", json!(s[4])),
                    ("ClientVersion", json!(s[5])),
                    ("TotalDirectories", json!(n[3])),
                    ("TotalFiles", json!(n[4])),
                    ("TotalSize", json!(n[5])),
                    ("TotalChunks", json!(n[6])),
                    ("UploadSize", json!(n[7])),
                    ("DownloadSize", json!(n[8])),
                ],
                unknown,
            );
            omitempty(&mut j, "SnapshotID", json!(s[6]));
            omitempty(&mut j, "CancellationID", json!(s[7]));
            omitempty(&mut j, "TotalVmCount", json!(n[9]));
            omitempty(&mut j, "TotalAccountsCount", json!(n[10]));
            if let Some((counter, bytes, unknown)) = progress {
                let p = object(
                    vec![
                        ("Counter", json!(counter)),
                        ("SentTime", json!(n[11])),
                        ("RecievedTime", json!(n[12])),
                        ("BytesDone", json!(bytes)),
                        ("ItemsDone", json!(n[13])),
                        ("ItemsTotal", json!(0)),
                    ],
                    unknown,
                );
                j["Progress"] = p;
            }
            j
        })
}

fn os_info() -> impl Strategy<Value = Value> {
    (prop::collection::vec(text(), 5), unknowns()).prop_map(|(s, unknown)| {
        let mut o = object(vec![], unknown);
        for (k, v) in ["version", "distribution", "build", "os", "arch"].iter().zip(s) {
            omitempty(&mut o, k, json!(v));
        }
        o
    })
}

fn device() -> impl Strategy<Value = Value> {
    (text(), any::<i64>(), prop::option::of(os_info()), text(), unknowns()).prop_map(|(name, reg, os, tz, unknown)| {
        let mut d = object(vec![("FriendlyName", json!(name))], unknown);
        omitempty(&mut d, "RegistrationTime", json!(reg));
        if let Some(os) = os {
            d["PlatformVersion"] = os;
        }
        omitempty(&mut d, "DeviceTimezone", json!(tz));
        d
    })
}

fn retention() -> impl Strategy<Value = Value> {
    (any::<i64>(), prop::collection::vec((any::<i64>(), any::<i64>(), unknowns()), 0..2), unknowns(), nils(1)).prop_map(
        |(mode, ranges, unknown, nil)| {
            let ranges: Vec<Value> = ranges
                .into_iter()
                .map(|(t, jobs, unknown)| {
                    let mut keys: Vec<(&str, Value)> = vec![("Type", json!(t)), ("Jobs", json!(jobs))];
                    for k in ["Timestamp", "Days", "Weeks", "Months", "Years", "WeekOffset", "MonthOffset", "YearOffset"] {
                        keys.push((k, json!(0)));
                    }
                    object(keys, unknown)
                })
                .collect();
            object(vec![("Mode", json!(mode)), ("Ranges", nil_or(nil[0], json!(ranges)))], unknown)
        },
    )
}

fn source() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(text(), 4),
        (any::<i64>(), any::<i64>(), any::<bool>()),
        strings(),
        prop::collection::btree_map("[A-Z_]{1,8}[0-9]?", text(), 0..4),
        prop::option::of((any::<i64>(), job(), job(), unknowns())),
        unknowns(),
        nils(4),
    )
        .prop_map(|(s, (ct, mt, euu), pre, props, stats, unknown, nil)| {
            let mut src = object(
                vec![
                    ("Engine", json!(s[0])),
                    ("Description", json!(s[1])),
                    ("OwnerDevice", json!(s[2])),
                    ("CreateTime", json!(ct)),
                    ("ModifyTime", json!(mt)),
                    ("PreExec", nil_or(nil[0], json!(pre))),
                    ("ThawExec", nil_or(nil[1], json!([]))),
                    ("PostExec", nil_or(nil[2], json!([]))),
                    ("EngineProps", nil_or(nil[3], json!(props))),
                    ("PolicySourceID", json!(s[3])),
                    ("ExistingUserUpdate", json!(euu)),
                ],
                unknown,
            );
            if let Some((last_start, last, last_ok, unknown)) = stats {
                src["Statistics"] = object(
                    vec![("LastStartTime", json!(last_start)), ("LastBackupJob", last), ("LastSuccessfulBackupJob", last_ok)],
                    unknown,
                );
            }
            src
        })
}

/// The location keys of §5.5 (`DestinationType` … `Tag`), all present as Go sends them, with
/// the nested per-provider objects carrying unknown keys of their own.
fn location() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(text(), 26),
        (any::<u64>(), any::<u8>(), any::<i64>(), any::<u64>(), any::<i64>()),
        prop::collection::vec(any::<bool>(), 8),
        (unknowns(), unknowns(), unknowns(), unknowns(), unknowns()),
        (prop::option::of(text()), nils(1)),
    )
        .prop_map(|(s, (dtype, lock, days, auth, port), b, (u_swift, u_b2, u_dav, u_storj, u_smb), (b2_key, nil))| {
            let mut swift = object(vec![], u_swift);
            omitempty(&mut swift, "APIKey", json!(s[20]));
            omitempty(&mut swift, "AuthURL", json!(s[21]));
            let mut b2 = object(vec![], u_b2);
            omitempty(&mut b2, "AccountID", json!(s[22]));
            if let Some(k) = b2_key {
                omitempty(&mut b2, "Key", json!(k));
            }
            omitempty(&mut b2, "HideDeletedFiles", json!(b[7]));
            let mut dav = object(vec![], u_dav);
            omitempty(&mut dav, "AccessKey", json!(s[23]));
            let mut storj = object(
                vec![
                    ("SatelliteAddress", json!(s[24])),
                    ("APIKey", json!(s[25])),
                    ("Passphrase", json!(s[0])),
                    ("StorjBucket", json!("")),
                ],
                u_storj,
            );
            omitempty(&mut storj, "StorjBucketPrefix", json!(s[1]));
            let smb = object(
                vec![
                    ("SMBServer", json!(s[2])),
                    ("SMBShare", json!("")),
                    ("SMBDirectory", json!("")),
                    ("SMBUsername", json!("")),
                    ("SMBPassword", json!(s[3])),
                ],
                u_smb,
            );
            vec![
                ("DestinationType", json!(dtype)),
                ("CometServer", json!(s[4])),
                ("CometBucket", json!(s[5])),
                ("CometBucketKey", json!(s[6])),
                ("S3Server", json!(s[7])),
                ("S3UsesTLS", json!(b[0])),
                ("S3AccessKey", json!(s[8])),
                ("S3SecretKey", json!(s[9])),
                ("S3BucketName", json!(s[10])),
                ("S3Subdir", json!("")),
                ("S3CustomRegion", json!("")),
                ("S3UsesV2Signing", json!(b[1])),
                ("S3RemoveDeleted", json!(b[2])),
                ("S3ObjectLockMode", json!(lock)),
                ("S3ObjectLockDays", json!(days)),
                ("SFTPServer", json!(s[11])),
                ("SFTPUsername", json!("")),
                ("SFTPRemotePath", json!("")),
                ("SFTPAuthMode", json!(auth)),
                ("SFTPPassword", json!(s[12])),
                ("SFTPPrivateKey", json!(s[13])),
                ("SFTPCustomAuth_UseKnownHostsFile", json!(b[3])),
                ("SFTPCustomAuth_KnownHostsFile", json!("")),
                ("FTPServer", json!(s[14])),
                ("FTPUsername", json!("")),
                ("FTPPassword", json!(s[15])),
                ("FTPBaseUseHomeDirectory", json!(b[4])),
                ("FTPCustomBaseDirectory", json!("")),
                ("FTPSMode", json!(port % 3)),
                ("FTPPort", json!(port)),
                ("FTPMaxConnections", json!(0)),
                ("FTPAcceptInvalidSSL", json!(b[5])),
                ("AZBAccountName", json!(s[16])),
                ("AZBAccountKey", json!(s[17])),
                ("AZBContainer", json!("")),
                ("AZBRealm", json!("")),
                ("AZBPrefix", json!("")),
                ("LocalcopyPath", json!(s[18])),
                ("LocalcopyWinSMBUsername", json!("")),
                ("LocalcopyWinSMBPassword", json!(s[19])),
                ("LocalcopyWinSMBPasswordFormat", json!(0)),
                ("Swift", swift),
                ("B2", b2),
                ("WebDav", dav),
                ("Storj", storj),
                ("SMB", smb),
                ("SpanTargets", nil_or(nil[0], json!([]))),
                ("SpanUseStaticSlots", json!(b[6])),
                ("Tag", json!(s[1])),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<Vec<_>>()
        })
        .prop_map(|pairs| Value::Object(pairs.into_iter().collect()))
}

fn destination() -> impl Strategy<Value = Value> {
    (
        text(),
        prop::collection::vec(any::<i64>(), 5),
        (any::<u64>(), text(), any::<bool>(), any::<bool>()),
        location(),
        prop::collection::vec((location(), unknowns()), 0..2),
        retention(),
        strings(),
        prop::option::of((any::<i64>(), unknowns())),
        unknowns(),
        nils(7),
    )
        .prop_map(|(name, n, (enc, key, limit, rebrand), loc, span, retention, devices, stats, unknown, nil)| {
            let mut d = object(
                vec![
                    ("Description", json!(name)),
                    ("CreateTime", json!(n[0])),
                    ("ModifyTime", json!(n[1])),
                    ("PreExec", nil_or(nil[0], json!([]))),
                    ("ThawExec", nil_or(nil[1], json!([]))),
                    ("PostExec", nil_or(nil[2], json!([]))),
                ],
                vec![],
            );
            let m = d.as_object_mut().expect("object");
            for (k, v) in loc.as_object().expect("object") {
                m.insert(k.clone(), v.clone());
            }
            let span: Vec<Value> = span
                .into_iter()
                .map(|(mut member, unknown)| {
                    let mm = member.as_object_mut().expect("object");
                    for (k, v) in unknown {
                        mm.insert(k, v);
                    }
                    member
                })
                .collect();
            m.insert("SpanTargets".into(), nil_or(nil[3], json!(span)));
            for (k, v) in [
                ("EncryptionKeyEncryptionMethod", json!(enc)),
                ("EncryptedEncryptionKey", json!(key)),
                ("RepoInitTimestamp", json!(n[2])),
                ("StorageLimitEnabled", json!(limit)),
                ("StorageLimitBytes", json!(n[3])),
                ("DefaultRetention", retention),
                ("RebrandStorage", json!(rebrand)),
                ("RetentionError", json!("")),
                ("AssociatedDevices", nil_or(nil[4], json!(devices))),
            ] {
                m.insert(k.into(), v);
            }
            for (k, v) in unknown {
                m.insert(k, v);
            }
            if let Some((size, unknown)) = stats {
                let measure = json!({"Size": size, "MeasureStarted": n[4], "MeasureCompleted": n[4]});
                let used_by = nil_or(nil[5], json!(["x/CURRENT"]));
                let components = nil_or(nil[6], json!([{"Bytes": size, "UsedBy": used_by}]));
                let content = json!({"MeasureStarted": 0, "MeasureCompleted": 0, "Components": components});
                d["Statistics"] = object(vec![("ClientProvidedSize", measure), ("ClientProvidedContent", content)], unknown);
            }
            d
        })
}

fn schedule() -> impl Strategy<Value = Value> {
    (
        any::<u64>(),
        any::<u64>(),
        any::<i64>(),
        prop::collection::vec(any::<bool>(), 9),
        (0u64..24, 0u64..60),
        unknowns(),
        unknowns(),
    )
        .prop_map(|(freq, secs, offset, b, (h, mi), unknown, days_unknown)| {
            let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
            let days = object(days.iter().zip(&b).map(|(d, on)| (*d, json!(on))).collect(), days_unknown);
            let mut sc = object(
                vec![
                    ("FrequencyType", json!(freq)),
                    ("SecondsPast", json!(secs)),
                    ("RestrictRuntime", json!(b[7])),
                    ("FromTime", json!({"Hour": h, "Minutes": mi})),
                    ("ToTime", json!({"Hour": 23 - h, "Minutes": 59 - mi})),
                    ("RestrictDays", json!(b[8])),
                    ("DaysSelect", days),
                    ("SelectedMonth", json!(h % 12)),
                    ("SelectedDay", json!(mi % 28)),
                ],
                unknown,
            );
            omitempty(&mut sc, "Offset", json!(offset));
            omitempty(&mut sc, "RandomDelaySecs", json!(secs % 18000));
            sc
        })
}

fn rule() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(text(), 5),
        prop::collection::vec(any::<i64>(), 4),
        prop::collection::vec(any::<bool>(), 6),
        prop::collection::vec(schedule(), 0..3),
        (any::<u64>(), any::<u64>()),
        unknowns(),
        unknowns(),
        nils(4),
    )
        .prop_map(|(s, n, b, schedules, (count, time), trig_unknown, unknown, nil)| {
            let mut triggers = object(vec![], trig_unknown);
            omitempty(&mut triggers, "OnPCBoot", json!(b[0]));
            omitempty(&mut triggers, "OnPCBootIfLastJobMissed", json!(b[1]));
            omitempty(&mut triggers, "OnLastJobFailDoRetry", json!(b[2]));
            omitempty(&mut triggers, "LastJobFailDoRetryCount", json!(count));
            omitempty(&mut triggers, "LastJobFailDoRetryTime", json!(time));
            object(
                vec![
                    ("Description", json!(s[0])),
                    ("CreateTime", json!(n[0])),
                    ("ModifyTime", json!(n[1])),
                    ("PreExec", nil_or(nil[0], json!([s[3]]))),
                    ("ThawExec", nil_or(nil[1], json!([]))),
                    ("PostExec", nil_or(nil[2], json!([]))),
                    ("Source", json!(s[1])),
                    ("Destination", json!(s[2])),
                    ("SkipAlreadyRunning", json!(b[3])),
                    ("StopAfter", json!(n[2])),
                    ("LimitVaultSpeedBps", json!(n[3])),
                    ("ReduceDiskConcurrency", json!(b[4])),
                    ("UseOnDiskIndexes", json!(b[5])),
                    ("AllowZeroFilesSuccess", json!(false)),
                    ("AutoRetentionLevel", json!(n[0] % 4)),
                    ("ConcurrencyCount", json!(0)),
                    ("LogLevel", json!("")),
                    ("Tags", json!(s[4])),
                    ("Schedules", nil_or(nil[3], json!(schedules))),
                    ("EventTriggers", triggers),
                ],
                unknown,
            )
        })
}

/// A policy with a random subset of the typed flags (absent flags must stay absent) and
/// unknown keys.
fn policy() -> impl Strategy<Value = Value> {
    const FLAGS: [&str; 6] = [
        "PreventRequestStorageVault",
        "PreventAddCustomStorageVault",
        "PreventDeleteProtectedItem",
        "PreventOpenWebUI",
        "PreventChangeEmailSettings",
        "EnforceStorageVaultRetention",
    ];
    (
        prop::collection::vec(prop::option::of(any::<bool>()), FLAGS.len()),
        prop::collection::btree_map("[A-Za-z]{1,10}", any_json(), 0..3),
    )
        .prop_map(|(flags, unknown)| {
            let mut m: Map<String, Value> = unknown.into_iter().collect();
            for (k, v) in FLAGS.iter().zip(flags) {
                if let Some(v) = v {
                    m.insert((*k).to_owned(), json!(v));
                }
            }
            Value::Object(m)
        })
}

/// `OverrideEmailSettings` values: reports with a search filter, unknown keys inside.
fn email_override() -> impl Strategy<Value = Value> {
    (0i64..4, prop::collection::vec(any::<u64>(), 0..3), prop::option::of((any::<u64>(), any::<i64>())), unknowns(), unknowns(), nils(2))
        .prop_map(|(kind, statuses, span, unknown, filter_unknown, nil)| {
            let children: Vec<Value> = statuses
                .iter()
                .map(|s| json!({"ClauseType": "", "RuleField": "BackupJobDetail.Status", "RuleOperator": "int_eq", "RuleValue": s.to_string()}))
                .collect();
            let mut filter = object(
                vec![("ClauseType", json!("or")), ("RuleField", json!("")), ("RuleOperator", json!("")), ("RuleValue", json!(""))],
                filter_unknown,
            );
            omitempty(&mut filter, "ClauseChildren", json!(children));
            let frequency = nil_or(nil[0], json!([]));
            let mut report = object(vec![("ReportType", json!(kind)), ("SummaryFrequency", frequency), ("Filter", filter)], unknown);
            if let Some((freq, secs)) = span {
                report["TimeSpan"] = json!({"FrequencyType": freq, "Seconds": secs});
            }
            json!({"Reports": nil_or(nil[1], json!([report]))})
        })
}

fn profile() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(text(), 10),
        prop::collection::vec(any::<i64>(), 8),
        prop::collection::vec(any::<bool>(), 8),
        strings(),
        prop::collection::btree_map("[a-z0-9-]{1,10}", device(), 0..3),
        prop::collection::btree_map("[a-z0-9-]{1,10}", source(), 0..3),
        prop::collection::btree_map("[a-z0-9-]{1,10}", destination(), 0..3),
        prop::collection::btree_map("[a-z0-9-]{1,10}", rule(), 0..2),
        (policy(), prop::collection::btree_map("[a-z]{1,6}@x\\.example", email_override(), 0..2)),
        unknowns(),
        nils(6),
    )
        .prop_map(|(s, n, b, emails, devices, sources, destinations, rules, (policy, overrides), unknown, nil)| {
            let mut p = object(
                vec![
                    ("Username", json!(s[0])),
                    ("AccountName", json!(s[1])),
                    ("LocalTimezone", json!(s[2])),
                    ("LanguageCode", json!(s[3])),
                    ("GroupID", json!(s[4])),
                    ("Emails", nil_or(nil[0], json!(emails))),
                    ("OverrideEmailSettings", nil_or(nil[1], json!(overrides))),
                    ("SendEmailReports", json!(b[0])),
                    ("Destinations", nil_or(nil[2], json!(destinations))),
                    ("SupportsDeviceAssociations", json!(b[1])),
                    ("Sources", nil_or(nil[3], json!(sources))),
                    ("BackupRules", nil_or(nil[4], json!(rules))),
                    ("Devices", nil_or(nil[5], json!(devices))),
                    ("IsSuspended", json!(b[2])),
                    ("AllProtectedItemsQuotaEnabled", json!(b[3])),
                    ("AllProtectedItemsQuotaBytes", json!(n[0])),
                    ("MaximumDevices", json!(n[1])),
                    ("QuotaOffice365ProtectedAccounts", json!(n[2])),
                    ("QuotaHyperVGuests", json!(0)),
                    ("QuotaVMwareGuests", json!(0)),
                    ("PolicyID", json!(s[5])),
                    ("Policy", policy),
                    ("PasswordFormat", json!(n[3])),
                    ("PasswordHash", json!(s[6])),
                    ("AllowPasswordLogin", json!(b[4])),
                    ("AllowPasswordAndTOTPLogin", json!(b[5])),
                    ("TOTPKeyEncryptionFormat", json!(n[4])),
                    ("TOTPKey", json!(s[7])),
                    ("RequirePasswordChange", json!(b[6])),
                    ("CreateTime", json!(n[5])),
                    ("CreationGUID", json!(s[8])),
                    ("AutoStorageTemplateGUID", json!(s[9])),
                    ("LinuxHomedirSandbox", json!(b[7])),
                ],
                unknown,
            );
            omitempty(&mut p, "LastSuspended", json!(n[6]));
            omitempty(&mut p, "PasswordRecovery", json!(s[9]));
            omitempty(&mut p, "OrganizationID", json!(s[8]));
            p
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn profiles_round_trip_losslessly(original in profile()) {
        let typed: UserProfileConfig = serde_json::from_value(original.clone()).expect("parses");
        let back = serde_json::to_value(&typed).expect("serialises");
        prop_assert_eq!(&back, &original);
        // And the typed view agrees with the document: a nil map reads as empty and knows it was nil.
        prop_assert_eq!(typed.devices.len(), original["Devices"].as_object().map_or(0, |m| m.len()));
        prop_assert_eq!(typed.devices.is_null(), original["Devices"].is_null());
        prop_assert_eq!(typed.emails.is_null(), original["Emails"].is_null());
        // A document that went through the typed view twice is still the same document.
        let again: UserProfileConfig = serde_json::from_value(back).expect("reparses");
        prop_assert_eq!(again, typed);
    }

    #[test]
    fn job_events_round_trip_losslessly(data in job(), extra in unknowns(), ts in any::<i64>()) {
        let mut ev = object(vec![("Actor", json!("a")), ("OwnerOrganizationID", json!("")), ("Type", json!(4201)), ("Data", data.clone())], extra);
        omitempty(&mut ev, "Timestamp", json!(ts));
        let typed: StreamableEvent = serde_json::from_value(ev.clone()).expect("parses");
        prop_assert_eq!(serde_json::to_value(&typed).expect("serialises"), ev);
        let job: BackupJobDetail = serde_json::from_value(data.clone()).expect("job parses");
        prop_assert_eq!(serde_json::to_value(&job).expect("serialises"), data);
    }
}

#[test]
fn null_collections_parse_as_empty_and_write_back_as_null() {
    let text = r#"{"Username":"n","Emails":null,"Devices":null,"Destinations":{},"Sources":{"s":{"Engine":"engine1/file","PreExec":null,"ThawExec":[],"EngineProps":null}},"Policy":null}"#;
    let typed: UserProfileConfig = serde_json::from_str(text).unwrap();
    assert!(typed.emails.is_empty() && typed.devices.is_empty());
    assert!(typed.sources["s"].engine_props.is_empty());
    assert_eq!(typed.policy, comet::UserPolicy::default());
    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(back["Emails"], Value::Null);
    assert_eq!(back["Devices"], Value::Null);
    assert_eq!(back["Destinations"], json!({}), "an empty map stays empty, not null");
    assert_eq!(back["Sources"]["s"]["PreExec"], Value::Null);
    assert_eq!(back["Sources"]["s"]["ThawExec"], json!([]));
    assert_eq!(back["Sources"]["s"]["EngineProps"], Value::Null);
    // Absent keys (the struct default) are written as empty collections, as Go would.
    assert_eq!(back["BackupRules"], json!({}));
    assert_eq!(back["Sources"]["s"]["PostExec"], json!([]));
}

#[test]
fn a_nil_collection_that_gains_items_writes_them() {
    let text = r#"{"Username":"n","Emails":null,"Sources":{"s":{"PreExec":null}}}"#;
    let mut typed: UserProfileConfig = serde_json::from_str(text).unwrap();
    typed.emails.push("ops@x.example".into());
    typed.sources.get_mut("s").unwrap().pre_exec.push("echo hi".into());
    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(back["Emails"], json!(["ops@x.example"]));
    assert_eq!(back["Sources"]["s"]["PreExec"], json!(["echo hi"]));
}

#[test]
fn dispatcher_responses_keep_their_nulls() {
    let snapshots = json!({"Status": 200, "Message": "", "Snapshots": null});
    let typed: comet::DispatcherVaultSnapshotsResponse = serde_json::from_value(snapshots.clone()).unwrap();
    assert!(typed.snapshots.is_empty());
    assert_eq!(serde_json::to_value(&typed).unwrap(), snapshots);

    let search = json!({"Status": 200, "Message": "", "SnapshotFiles": {"snap-1": null, "snap-2": []}});
    let typed: comet::SearchSnapshotsResponse = serde_json::from_value(search.clone()).unwrap();
    assert!(typed.snapshot_files["snap-1"].is_null() && !typed.snapshot_files["snap-2"].is_null());
    assert_eq!(serde_json::to_value(&typed).unwrap(), search);

    let disks = json!({"Status": 200, "Message": "", "Disks": null});
    let typed: comet::BrowseDiskDrivesResponse = serde_json::from_value(disks.clone()).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), disks);
}
