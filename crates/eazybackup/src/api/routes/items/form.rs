//! Between Comet's Protected Item (`SourceConfig` + its `BackupRuleConfig`s) and the edit form the
//! browser holds (`views::items::ItemForm`), driven by the engine catalog (`comet::engine`).
//!
//! Reading drops every write-only option (secrets) and every key no option owns. Writing starts
//! from the stored item and rules and changes only what the form models: keys no option owns,
//! secrets the form does not resend, and fields of Comet's objects we do not model survive.

use std::collections::{BTreeMap, BTreeSet};

use comet::engine::{self, Engine, EngineOption, OptionKind, option_owns_key};
use comet::{
    BackupRuleConfig, BackupRuleEventTriggers, RetentionMode, RetentionPolicy, SCHEDULE_MAX_RANDOM_DELAY_SECS, ScheduleConfig,
    ScheduleFrequency, SourceConfig,
};
use serde_json::{Map, Value, json};

use crate::api::error::ApiError;
use crate::views::items::{ItemForm, RuleForm};

/// Longest text we accept in one field (Comet stores any length; this only bounds the request).
const MAX_TEXT: usize = 8_192;
/// Most values in one list option.
const MAX_LIST: usize = 1_000;

fn invalid(field: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::Invalid { field, message: message.into() }
}

/// The catalog entry of `id`, or 422 on `engine`.
pub fn engine_of(id: &str) -> Result<&'static Engine, ApiError> {
    engine::engine(id).ok_or_else(|| invalid("engine", "That kind of protected item is not known."))
}

/// The values of one option in `props`, as the form holds them (`None`: nothing to show).
fn read_option(option: &EngineOption, props: &BTreeMap<String, String>) -> Option<Value> {
    let owned = || props.iter().filter(|(k, _)| option_owns_key(option, k));
    match option.kind {
        OptionKind::Text | OptionKind::Number | OptionKind::Select => props.get(option.key).map(|v| json!(v)),
        OptionKind::Flag => Some(json!(props.contains_key(option.key))),
        OptionKind::List => Some(json!(owned().map(|(_, v)| v.clone()).collect::<Vec<_>>())),
        OptionKind::PatternList => Some(Value::Array(
            owned().map(|(_, v)| serde_json::from_str::<Value>(v).unwrap_or_else(|_| json!({ "Value": v }))).collect(),
        )),
        OptionKind::ExclusiveFlags => Some(json!(
            option.choices.iter().find(|(k, _)| !k.is_empty() && props.contains_key(*k)).map(|(k, _)| *k).unwrap_or("")
        )),
    }
}

/// The form of a stored item.
pub fn to_form(id: &str, source: &SourceConfig, rules: &BTreeMap<String, BackupRuleConfig>, hash: &str) -> ItemForm {
    let props: BTreeMap<String, String> = source.engine_props.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let mut settings = Map::new();
    let mut write_only_set = Vec::new();
    let catalog = engine::engine(&source.engine);
    for option in catalog.map(|e| e.options).unwrap_or_default() {
        if option.secret {
            if props.keys().any(|k| option_owns_key(option, k)) {
                write_only_set.push(option.key.to_string());
            }
            continue;
        }
        if let Some(v) = read_option(option, &props) {
            settings.insert(option.key.to_string(), v);
        }
    }
    let mut rule_forms: Vec<RuleForm> = rules.iter().map(|(rid, r)| rule_form(rid, r)).collect();
    rule_forms.sort_by(|a, b| a.description.cmp(&b.description).then(a.id.cmp(&b.id)));
    let retention = source
        .override_destination_retention
        .iter()
        .filter_map(|(vault, policy)| serde_json::to_value(policy).ok().map(|v| (vault.clone(), v)))
        .collect();
    let read_only_reason = match catalog {
        None => Some("This kind of protected item can only be changed in the backup app.".to_string()),
        Some(e) => e.deprecated.map(str::to_string),
    };
    ItemForm {
        id: id.to_string(),
        engine: source.engine.clone(),
        description: source.description.clone(),
        device_id: source.owner_device.clone(),
        settings,
        write_only_set,
        pre_exec: source.pre_exec.to_vec(),
        thaw_exec: source.thaw_exec.to_vec(),
        post_exec: source.post_exec.to_vec(),
        rules: rule_forms,
        retention,
        profile_hash: hash.to_string(),
        read_only_reason,
    }
}

fn rule_form(id: &str, r: &BackupRuleConfig) -> RuleForm {
    RuleForm {
        id: Some(id.to_string()),
        vault_id: r.destination.clone(),
        description: r.description.clone(),
        schedules: r.schedules.iter().filter_map(|s| serde_json::to_value(s).ok()).collect(),
        event_triggers: serde_json::to_value(&r.event_triggers).unwrap_or_else(|_| json!({})),
        skip_already_running: r.skip_already_running,
        stop_after_secs: r.stop_after,
        limit_bps: r.limit_vault_speed_bps,
        reduce_disk_concurrency: r.reduce_disk_concurrency,
        use_on_disk_indexes: r.use_on_disk_indexes,
        allow_zero_files_success: r.allow_zero_files_success,
        concurrency_count: r.concurrency_count,
        log_level: r.log_level.clone(),
        summary: rule_summary(r),
    }
}

fn text_of(option: &EngineOption, v: &Value) -> Result<String, ApiError> {
    let s = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return Err(invalid(option.key, format!("{}: enter text.", option.label))),
    };
    if s.len() > MAX_TEXT {
        return Err(invalid(option.key, format!("{} is too long.", option.label)));
    }
    Ok(s)
}

fn list_of(option: &EngineOption, v: &Value) -> Result<Vec<Value>, ApiError> {
    match v {
        Value::Array(a) if a.len() <= MAX_LIST => Ok(a.clone()),
        Value::Array(_) => Err(invalid(option.key, format!("{}: at most {MAX_LIST} entries.", option.label))),
        _ => Err(invalid(option.key, format!("{}: send a list.", option.label))),
    }
}

/// `option`'s new keys from the form value `v` (already known to be present).
fn write_option(option: &EngineOption, v: &Value, old: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>, ApiError> {
    let mut out = BTreeMap::new();
    match option.kind {
        OptionKind::Text | OptionKind::Number | OptionKind::Select => {
            let s = text_of(option, v)?;
            if option.kind == OptionKind::Number && !s.is_empty() && (s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit())) {
                return Err(invalid(option.key, format!("{}: enter a whole number.", option.label)));
            }
            if option.kind == OptionKind::Select && !option.choices.iter().any(|(c, _)| *c == s) {
                return Err(invalid(option.key, format!("{}: choose one of the listed values.", option.label)));
            }
            if !s.is_empty() {
                out.insert(option.key.to_string(), s);
            }
        }
        OptionKind::Flag => match v {
            Value::Bool(true) => {
                out.insert(option.key.to_string(), old.get(option.key).cloned().unwrap_or_else(|| "1".into()));
            }
            Value::Bool(false) => {}
            _ => return Err(invalid(option.key, format!("{}: send true or false.", option.label))),
        },
        OptionKind::ExclusiveFlags => {
            let s = text_of(option, v)?;
            if !option.choices.iter().any(|(c, _)| *c == s) {
                return Err(invalid(option.key, format!("{}: choose one of the listed values.", option.label)));
            }
            if !s.is_empty() {
                out.insert(s.clone(), old.get(&s).cloned().unwrap_or_else(|| "1".into()));
            }
        }
        OptionKind::List => {
            let mut values = Vec::new();
            for item in list_of(option, v)? {
                let s = text_of(option, &item)?;
                if !s.is_empty() && !values.contains(&s) {
                    values.push(s);
                }
            }
            // Unchanged values keep their keys (Comet's own suffixes, often GUIDs).
            let current: Vec<&String> = old.iter().filter(|(k, _)| option_owns_key(option, k)).map(|(_, v)| v).collect();
            if current.len() == values.len() && current.iter().zip(&values).all(|(a, b)| *a == b) {
                out.extend(old.iter().filter(|(k, _)| option_owns_key(option, k)).map(|(k, v)| (k.clone(), v.clone())));
            } else {
                out.extend(values.into_iter().enumerate().map(|(i, v)| (format!("{}{i}", option.key), v)));
            }
        }
        OptionKind::PatternList => {
            for (i, item) in list_of(option, v)?.into_iter().enumerate() {
                if !item.is_object() {
                    return Err(invalid(option.key, format!("{}: each entry is an object.", option.label)));
                }
                let text = item.to_string();
                if text.len() > MAX_TEXT {
                    return Err(invalid(option.key, format!("{} is too long.", option.label)));
                }
                out.insert(format!("{}{i}", option.key), text);
            }
        }
    }
    Ok(out)
}

/// Whether an option holds a value in `props` (for `required`).
fn has_value(option: &EngineOption, props: &BTreeMap<String, String>) -> bool {
    props.iter().any(|(k, v)| option_owns_key(option, k) && (option.kind == OptionKind::Flag || !v.is_empty()))
}

fn clean_commands(field: &'static str, list: &[String]) -> Result<Vec<String>, ApiError> {
    if list.len() > 50 {
        return Err(invalid(field, "At most 50 commands."));
    }
    let out: Vec<String> = list.iter().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
    if out.iter().any(|c| c.len() > MAX_TEXT) {
        return Err(invalid(field, "A command is too long."));
    }
    Ok(out)
}

/// The item `form` describes, built on `base` (the stored item; `None` to create). The engine of
/// a stored item cannot change. `vaults` are the account's vault ids.
pub fn apply_source(
    form: &ItemForm,
    base: Option<&SourceConfig>,
    vaults: &BTreeSet<String>,
    now: i64,
) -> Result<SourceConfig, ApiError> {
    let catalog = engine_of(&form.engine)?;
    if let Some(b) = base
        && b.engine != form.engine
    {
        return Err(invalid("engine", "The kind of a protected item cannot change; create a new one instead."));
    }
    if let Some(reason) = catalog.deprecated {
        return Err(invalid("engine", reason));
    }
    let description = form.description.trim();
    if description.is_empty() {
        return Err(invalid("description", "Give the protected item a name."));
    }
    if description.len() > 1_024 {
        return Err(invalid("description", "The name is too long."));
    }
    let mut source = base.cloned().unwrap_or_else(|| SourceConfig {
        engine: form.engine.clone(),
        create_time: now,
        ..SourceConfig::default()
    });
    source.description = description.to_string();
    source.owner_device = form.device_id.clone();
    source.modify_time = now;
    source.pre_exec = clean_commands("pre_exec", &form.pre_exec)?.into();
    source.thaw_exec = clean_commands("thaw_exec", &form.thaw_exec)?.into();
    source.post_exec = clean_commands("post_exec", &form.post_exec)?.into();

    let old: BTreeMap<String, String> = source.engine_props.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let mut props = old.clone();
    for key in form.settings.keys() {
        if !catalog.options.iter().any(|o| o.key == key) {
            return Err(invalid("settings", format!("\"{key}\" is not a setting of {}.", catalog.label)));
        }
    }
    for option in catalog.options {
        let sent = form.settings.get(option.key);
        let value = match (sent, base) {
            // A write-only option not resent keeps its stored value.
            (None, Some(_)) if option.secret => continue,
            (Some(Value::Null), _) => None,
            (Some(v), _) => Some(v.clone()),
            // Not sent: a new item takes the default, a stored one keeps its value.
            (None, None) => option.default.map(|d| match option.kind {
                OptionKind::Flag => json!(d == "1"),
                OptionKind::List | OptionKind::PatternList => json!([]),
                _ => json!(d),
            }),
            (None, Some(_)) => continue,
        };
        props.retain(|k, _| !option_owns_key(option, k));
        if let Some(v) = value {
            props.extend(write_option(option, &v, &old)?);
        }
    }
    for option in catalog.options {
        if option.required && !has_value(option, &props) {
            return Err(invalid(option.key, format!("{} is required.", option.label)));
        }
    }
    source.engine_props = props.into_iter().collect();

    let mut retention = BTreeMap::new();
    for (vault, policy) in &form.retention {
        if !vaults.contains(vault) {
            return Err(ApiError::NotFound("That storage vault"));
        }
        let policy: RetentionPolicy = serde_json::from_value(policy.clone())
            .map_err(|_| invalid("retention", "A retention rule is not of the expected shape."))?;
        if !policy.mode.is_known() {
            return Err(invalid("retention", "Choose whether to keep everything or only what the ranges keep."));
        }
        if policy.mode == RetentionMode::DELETE_EXCEPT && policy.ranges.is_empty() {
            return Err(invalid("retention", "Add at least one range to keep, or keep everything."));
        }
        if policy
            .ranges
            .iter()
            .any(|r| !r.r#type.is_known() || [r.jobs, r.days, r.weeks, r.months, r.years].iter().any(|n| *n < 0))
        {
            return Err(invalid("retention", "A retention range is not valid."));
        }
        retention.insert(vault.clone(), policy);
    }
    source.override_destination_retention = retention;
    Ok(source)
}

fn check_schedule(s: &ScheduleConfig) -> Result<(), ApiError> {
    let bad = |m: &str| Err(invalid("rules", m.to_string()));
    let f = s.frequency_type;
    let limit = match f {
        ScheduleFrequency::HOURLY => 3_600,
        ScheduleFrequency::DAILY => 86_400,
        ScheduleFrequency::WEEKLY => 7 * 86_400,
        ScheduleFrequency::MONTHLY | ScheduleFrequency::YEARLY => 86_400,
        ScheduleFrequency::PERIODIC | ScheduleFrequency::ONCEONLY => u64::MAX,
        _ => return bad("Choose how often the schedule runs."),
    };
    if s.seconds_past >= limit {
        return bad("The schedule's time is out of range.");
    }
    if f == ScheduleFrequency::PERIODIC && s.seconds_past < 60 {
        return bad("A repeating schedule runs at most once a minute.");
    }
    if matches!(f, ScheduleFrequency::MONTHLY | ScheduleFrequency::YEARLY) && !(1..=31).contains(&s.selected_day) {
        return bad("Choose a day of the month (1 to 31).");
    }
    if f == ScheduleFrequency::YEARLY && !(1..=12).contains(&s.selected_month) {
        return bad("Choose a month.");
    }
    if s.random_delay_secs > SCHEDULE_MAX_RANDOM_DELAY_SECS {
        return bad("The random delay is at most 5 hours.");
    }
    for t in [&s.from_time, &s.to_time] {
        if t.hour > 23 || t.minutes > 59 {
            return bad("A time window's hour or minute is out of range.");
        }
    }
    if s.restrict_days && !s.days_select.as_array().iter().any(|d| *d) {
        return bad("Pick at least one weekday, or run every day.");
    }
    Ok(())
}

/// The item's complete rule set from the form: existing rules (by id, of this item) are updated
/// in place, new ones get an id; rules left out are removed.
pub fn apply_rules(
    form: &[RuleForm],
    existing: &BTreeMap<String, BackupRuleConfig>,
    item_id: &str,
    item_name: &str,
    vaults: &BTreeSet<String>,
    now: i64,
) -> Result<BTreeMap<String, BackupRuleConfig>, ApiError> {
    if form.len() > 20 {
        return Err(invalid("rules", "At most 20 schedules per protected item."));
    }
    let mut out = BTreeMap::new();
    for r in form {
        if !vaults.contains(&r.vault_id) {
            return Err(ApiError::NotFound("That storage vault"));
        }
        let (id, mut rule) = match r.id.as_deref().filter(|i| !i.is_empty()) {
            Some(id) => {
                let rule = existing.get(id).filter(|e| e.source == item_id).ok_or(ApiError::NotFound("That schedule"))?;
                (id.to_string(), rule.clone())
            }
            None => (uuid::Uuid::new_v4().to_string(), BackupRuleConfig { create_time: now, ..BackupRuleConfig::default() }),
        };
        if r.schedules.len() > 20 {
            return Err(invalid("rules", "At most 20 times per schedule."));
        }
        let mut schedules = Vec::new();
        for s in &r.schedules {
            let s: ScheduleConfig =
                serde_json::from_value(s.clone()).map_err(|_| invalid("rules", "A schedule is not of the expected shape."))?;
            check_schedule(&s)?;
            schedules.push(s);
        }
        let triggers: BackupRuleEventTriggers = if r.event_triggers.is_null() {
            BackupRuleEventTriggers::default()
        } else {
            serde_json::from_value(r.event_triggers.clone())
                .map_err(|_| invalid("rules", "The event triggers are not of the expected shape."))?
        };
        if [r.stop_after_secs, r.limit_bps, r.concurrency_count].iter().any(|n| *n < 0) {
            return Err(invalid("rules", "Limits cannot be negative."));
        }
        if !["", "DEBUG", "INFO", "WARNING", "ERROR"].contains(&r.log_level.as_str()) {
            return Err(invalid("rules", "Choose a log level from the list."));
        }
        let description = r.description.trim();
        rule.description = if description.is_empty() { format!("{item_name} schedule") } else { description.to_string() };
        rule.source = item_id.to_string();
        rule.destination = r.vault_id.clone();
        rule.schedules = schedules.into();
        rule.event_triggers = triggers;
        rule.skip_already_running = r.skip_already_running;
        rule.stop_after = r.stop_after_secs;
        rule.limit_vault_speed_bps = r.limit_bps;
        rule.reduce_disk_concurrency = r.reduce_disk_concurrency;
        rule.use_on_disk_indexes = r.use_on_disk_indexes;
        rule.allow_zero_files_success = r.allow_zero_files_success;
        rule.concurrency_count = r.concurrency_count;
        rule.log_level = r.log_level.clone();
        rule.modify_time = now;
        out.insert(id, rule);
    }
    Ok(out)
}

const WEEKDAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

fn hhmm(secs: u64) -> String {
    format!("{:02}:{:02}", (secs / 3600) % 24, (secs / 60) % 60)
}

fn span(secs: u64) -> String {
    match secs {
        s if s % 86_400 == 0 => plural(s / 86_400, "day"),
        s if s % 3_600 == 0 => plural(s / 3_600, "hour"),
        s => plural(s.div_ceil(60), "minute"),
    }
}

fn plural(n: u64, unit: &str) -> String {
    if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") }
}

/// One time trigger in plain language, e.g. "daily at 02:00, weekdays only".
pub fn schedule_summary(s: &ScheduleConfig) -> String {
    let mut text = match s.frequency_type {
        ScheduleFrequency::ONCEONLY => match chrono::DateTime::from_timestamp(s.seconds_past as i64, 0) {
            Some(t) => format!("once, on {} UTC", t.format("%Y-%m-%d %H:%M")),
            None => "once".to_string(),
        },
        ScheduleFrequency::HOURLY => format!("hourly at {} past", plural(s.seconds_past / 60, "minute")),
        ScheduleFrequency::DAILY => format!("daily at {}", hhmm(s.seconds_past)),
        ScheduleFrequency::WEEKLY => {
            format!("weekly on {} at {}", WEEKDAYS[((s.seconds_past / 86_400) % 7) as usize], hhmm(s.seconds_past % 86_400))
        }
        ScheduleFrequency::MONTHLY => format!("monthly on day {} at {}", s.selected_day, hhmm(s.seconds_past)),
        ScheduleFrequency::YEARLY => format!(
            "yearly on {} {} at {}",
            MONTHS[(s.selected_month.clamp(1, 12) - 1) as usize],
            s.selected_day,
            hhmm(s.seconds_past)
        ),
        ScheduleFrequency::PERIODIC => format!("every {}", span(s.seconds_past)),
        f => format!("schedule type {f}"),
    };
    if s.restrict_days {
        let days = s.days_select.as_array();
        let names: Vec<&str> = WEEKDAYS.iter().zip(days).filter(|(_, on)| *on).map(|(d, _)| &d[..3]).collect();
        if days == [false, true, true, true, true, true, false] {
            text.push_str(", weekdays only");
        } else if days == [true, false, false, false, false, false, true] {
            text.push_str(", weekends only");
        } else {
            text.push_str(&format!(", only on {}", names.join(", ")));
        }
    }
    if s.restrict_runtime {
        text.push_str(&format!(
            ", between {:02}:{:02} and {:02}:{:02}",
            s.from_time.hour, s.from_time.minutes, s.to_time.hour, s.to_time.minutes
        ));
    }
    if s.random_delay_secs > 0 {
        text.push_str(&format!(", up to {} later at random", span(s.random_delay_secs)));
    }
    text
}

/// A rule in plain language: its times, its event triggers.
pub fn rule_summary(r: &BackupRuleConfig) -> String {
    let mut parts: Vec<String> = r.schedules.iter().map(schedule_summary).collect();
    let t = &r.event_triggers;
    if t.on_pc_boot {
        parts.push("when the device starts".into());
    }
    if t.on_pc_boot_if_last_job_missed {
        parts.push("at start-up if a run was missed".into());
    }
    if t.on_last_job_fail_do_retry {
        let times = if t.last_job_fail_do_retry_count == 1 {
            "once".to_string()
        } else {
            format!("{} times", t.last_job_fail_do_retry_count)
        };
        parts.push(format!("retry {times} after a failure"));
    }
    if parts.is_empty() {
        return "Not scheduled (runs only when started)".into();
    }
    let mut text = parts.join("; ");
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use comet::{DaysOfWeekConfig, HourSchedConfig};

    fn vaults() -> BTreeSet<String> {
        ["v1".to_string()].into_iter().collect()
    }

    fn file_form(settings: Value) -> ItemForm {
        serde_json::from_value(json!({
            "engine": "engine1/file", "description": "Docs", "device_id": "d1", "settings": settings,
        }))
        .unwrap()
    }

    #[test]
    fn a_new_file_item_takes_defaults_and_needs_a_path() {
        let err = apply_source(&file_form(json!({})), None, &vaults(), 5).unwrap_err();
        assert!(matches!(err, ApiError::Invalid { field: "INCLUDE", .. }), "{err:?}");
        let s = apply_source(&file_form(json!({ "INCLUDE": ["C:\\a", " C:\\b "], "EXCLUDE": ["*.tmp"] })), None, &vaults(), 5)
            .unwrap();
        assert_eq!(s.file_includes(), ["C:\\a", "C:\\b"]);
        assert_eq!(s.file_excludes(), ["*.tmp"]);
        assert!(s.engine_flag("USE_WIN_VSS"), "default on");
        assert_eq!((s.create_time, s.modify_time, s.owner_device.as_str()), (5, 5, "d1"));
    }

    #[test]
    fn secrets_are_never_read_and_kept_unless_resent() {
        let mut stored = SourceConfig { engine: "engine1/mssql".into(), ..SourceConfig::default() };
        stored.engine_props.insert("PASSWORD".into(), "hunter2".into());
        stored.engine_props.insert("INSTANCE".into(), "SQLEXPRESS".into());
        stored.engine_props.insert("FUTURE_KEY".into(), "kept".into());
        let form = to_form("i1", &stored, &BTreeMap::new(), "h");
        let text = serde_json::to_string(&form).unwrap();
        assert!(!text.contains("hunter2") && !text.contains("FUTURE_KEY"), "{text}");
        assert_eq!(form.write_only_set, ["PASSWORD"]);
        let mut back = form.clone();
        back.description = "SQL".into();
        let saved = apply_source(&back, Some(&stored), &vaults(), 9).unwrap();
        assert_eq!(saved.engine_props["PASSWORD"], "hunter2");
        assert_eq!(saved.engine_props["FUTURE_KEY"], "kept");
        back.settings.insert("PASSWORD".into(), Value::Null);
        let cleared = apply_source(&back, Some(&stored), &vaults(), 9).unwrap();
        assert!(!cleared.engine_props.contains_key("PASSWORD"));
    }

    #[test]
    fn unchanged_lists_keep_their_keys_and_engines_do_not_change() {
        let mut stored = SourceConfig { engine: "engine1/file".into(), ..SourceConfig::default() };
        stored.engine_props.insert("INCLUDE-7f3a".into(), "/home".into());
        let form = to_form("i1", &stored, &BTreeMap::new(), "h");
        let saved = apply_source(&form_with_name(form.clone()), Some(&stored), &vaults(), 1).unwrap();
        assert_eq!(saved.engine_props.get("INCLUDE-7f3a").map(String::as_str), Some("/home"));
        let mut other = form_with_name(form);
        other.engine = "engine1/mysql".into();
        assert!(matches!(apply_source(&other, Some(&stored), &vaults(), 1), Err(ApiError::Invalid { field: "engine", .. })));
    }

    fn form_with_name(mut f: ItemForm) -> ItemForm {
        f.description = "x".into();
        f
    }

    #[test]
    fn rules_validate_and_summarise() {
        let rule: RuleForm = serde_json::from_value(json!({
            "vault_id": "v1",
            "schedules": [ { "FrequencyType": 8011, "SecondsPast": 7200, "RestrictDays": true,
                "DaysSelect": { "Monday": true, "Tuesday": true, "Wednesday": true, "Thursday": true, "Friday": true } } ],
            "event_triggers": { "OnLastJobFailDoRetry": true, "LastJobFailDoRetryCount": 2, "LastJobFailDoRetryTime": 10 },
        }))
        .unwrap();
        let rules = apply_rules(std::slice::from_ref(&rule), &BTreeMap::new(), "i1", "Docs", &vaults(), 3).unwrap();
        let (_, r) = rules.iter().next().unwrap();
        assert_eq!((r.source.as_str(), r.destination.as_str()), ("i1", "v1"));
        assert_eq!(rule_summary(r), "Daily at 02:00, weekdays only; retry 2 times after a failure");
        let mut bad = rule.clone();
        bad.vault_id = "elsewhere".into();
        assert!(matches!(apply_rules(&[bad], &BTreeMap::new(), "i1", "D", &vaults(), 3), Err(ApiError::NotFound(_))));
        let mut bad = rule;
        bad.schedules = vec![json!({ "FrequencyType": 8011, "SecondsPast": 90000 })];
        assert!(matches!(
            apply_rules(&[bad], &BTreeMap::new(), "i1", "D", &vaults(), 3),
            Err(ApiError::Invalid { field: "rules", .. })
        ));
    }

    #[test]
    fn summaries_read_naturally() {
        let weekly = ScheduleConfig::weekly(1, 23, 5);
        assert_eq!(schedule_summary(&weekly), "weekly on Monday at 23:05");
        let mut periodic = ScheduleConfig::periodic(4 * 3600);
        periodic.restrict_runtime = true;
        periodic.from_time = HourSchedConfig { hour: 8, ..Default::default() };
        periodic.to_time = HourSchedConfig { hour: 18, minutes: 30, ..Default::default() };
        periodic.restrict_days = true;
        periodic.days_select = DaysOfWeekConfig { saturday: true, sunday: true, ..Default::default() };
        assert_eq!(schedule_summary(&periodic), "every 4 hours, weekends only, between 08:00 and 18:30");
        assert_eq!(rule_summary(&BackupRuleConfig::default()), "Not scheduled (runs only when started)");
    }
}
