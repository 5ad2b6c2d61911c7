//! Comet's retention rules evaluated over a vault's snapshot list, so the console can show which
//! existing snapshots a retention policy would keep and which it would remove before the policy
//! is saved. Pure: no I/O, the clock is a parameter.
//!
//! Semantics (Comet's `RetentionPolicy`, features.md §1.4):
//! - `Mode` 801 keeps everything; 802 deletes every snapshot that no range keeps.
//! - Retention runs per Protected Item: each item's snapshots in the vault are judged on their
//!   own ("the newest 5 jobs" means 5 of that item), and the newest snapshot of an item is never
//!   removed.
//! - Calendar ranges count periods back from `now`, the current period included, with period
//!   boundaries in UTC (Comet uses the device's local time; the preview says so).
//!
//! A range type this module does not know keeps everything it might match (a preview must never
//! announce a deletion Comet would not make).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Duration, Months, TimeZone, Utc};
use comet::{RetentionMode, RetentionPolicy, RetentionRange, RetentionRangeType};

/// One snapshot as the evaluator needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snap {
    pub id: String,
    /// Protected Item (`Source`) the snapshot belongs to.
    pub item: String,
    /// Unix seconds.
    pub time: i64,
}

/// The ids `policy` keeps among `snaps` at `now`; every other id would be removed.
pub fn kept(policy: &RetentionPolicy, snaps: &[Snap], now: i64) -> BTreeSet<String> {
    let mut by_item: BTreeMap<&str, Vec<&Snap>> = BTreeMap::new();
    for s in snaps {
        by_item.entry(s.item.as_str()).or_default().push(s);
    }
    let mut keep = BTreeSet::new();
    for (_, mut group) in by_item {
        // Newest first.
        group.sort_by(|a, b| b.time.cmp(&a.time).then_with(|| b.id.cmp(&a.id)));
        if policy.mode != RetentionMode::DELETE_EXCEPT {
            keep.extend(group.iter().map(|s| s.id.clone()));
            continue;
        }
        if let Some(newest) = group.first() {
            keep.insert(newest.id.clone());
        }
        for range in policy.ranges.iter() {
            keep.extend(range_keeps(range, &group, now));
        }
    }
    keep
}

fn at(t: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(t, 0).single().unwrap_or_default()
}

fn midnight(t: DateTime<Utc>) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(t.year(), t.month(), t.day(), 0, 0, 0).single().unwrap_or(t)
}

/// `t` minus `months` calendar months (day clamped to the month's length).
fn months_back(t: DateTime<Utc>, months: i64) -> DateTime<Utc> {
    u32::try_from(months.max(0)).ok().and_then(|m| t.checked_sub_months(Months::new(m))).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Which calendar period a time falls in.
#[derive(Debug, Clone, Copy)]
enum Period {
    Day,
    /// Weeks starting on this weekday (0 = Sunday).
    Week(i64),
    /// Months starting on this day of the month (1–28; 0 counts as 1).
    Month(i64),
    Year,
}

/// The start of the period holding `t`.
fn period_start(period: Period, t: DateTime<Utc>) -> DateTime<Utc> {
    let day = midnight(t);
    match period {
        Period::Day => day,
        Period::Week(first) => {
            let weekday = i64::from(day.weekday().num_days_from_sunday());
            day - Duration::days((weekday - first.rem_euclid(7)).rem_euclid(7))
        }
        Period::Month(offset) => {
            let offset = u32::try_from(offset.clamp(1, 28)).unwrap_or(1);
            let this = Utc.with_ymd_and_hms(day.year(), day.month(), offset, 0, 0, 0).single().unwrap_or(day);
            if this <= t { this } else { months_back(this, 1) }
        }
        Period::Year => Utc.with_ymd_and_hms(day.year(), 1, 1, 0, 0, 0).single().unwrap_or(day),
    }
}

/// The start of the period `n` periods before the one holding `now` (n = 0: the current one).
fn periods_back(period: Period, now: DateTime<Utc>, n: i64) -> DateTime<Utc> {
    let start = period_start(period, now);
    // Beyond this many periods back every snapshot there is is inside the window anyway.
    let n = n.clamp(0, 100_000);
    match period {
        Period::Day => start - Duration::days(n),
        Period::Week(_) => start - Duration::weeks(n),
        Period::Month(_) => months_back(start, n),
        Period::Year => months_back(start, n.saturating_mul(12)),
    }
}

/// Keeps the oldest snapshot of each of the last `count` periods (the current one included).
fn first_of_each_period(group: &[&Snap], now: i64, period: Period, count: i64) -> Vec<String> {
    if count <= 0 {
        return Vec::new();
    }
    let now = at(now);
    let earliest = periods_back(period, now, count - 1);
    let mut firsts: BTreeMap<i64, &Snap> = BTreeMap::new();
    for &s in group {
        let t = at(s.time);
        if t < earliest {
            continue;
        }
        let key = period_start(period, t).timestamp();
        firsts
            .entry(key)
            .and_modify(|f| {
                if s.time < f.time {
                    *f = s
                }
            })
            .or_insert(s);
    }
    firsts.values().map(|s| s.id.clone()).collect()
}

/// Walks from the newest back and keeps the newest snapshot of each period until `count` are kept.
fn one_per_period(group: &[&Snap], period: Period, count: i64) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for s in group {
        if i64::try_from(out.len()).unwrap_or(i64::MAX) >= count {
            break;
        }
        if seen.insert(period_start(period, at(s.time)).timestamp()) {
            out.push(s.id.clone());
        }
    }
    out
}

/// The ids `range` keeps of one item's snapshots (`group`, newest first).
fn range_keeps(range: &RetentionRange, group: &[&Snap], now: i64) -> Vec<String> {
    let all = || group.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
    let newest = |n: i64| -> Vec<String> {
        group.iter().take(usize::try_from(n.max(0)).unwrap_or(usize::MAX)).map(|s| s.id.clone()).collect()
    };
    match range.r#type {
        RetentionRangeType::MOST_RECENT_X_JOBS => newest(range.jobs),
        RetentionRangeType::NEWER_THAN_X => group.iter().filter(|s| s.time > range.timestamp).map(|s| s.id.clone()).collect(),
        RetentionRangeType::JOBS_SINCE => {
            let days = range.days.saturating_add(range.weeks.saturating_mul(7));
            let months = range.months.saturating_add(range.years.saturating_mul(12));
            let since = months_back(at(now) - Duration::days(days.clamp(0, 3_650_000)), months.clamp(0, 120_000));
            group.iter().filter(|s| at(s.time) >= since).map(|s| s.id.clone()).collect()
        }
        RetentionRangeType::FIRST_JOB_FOR_EACH_LAST_X_DAYS => first_of_each_period(group, now, Period::Day, range.days),
        RetentionRangeType::FIRST_JOB_FOR_LAST_X_WEEKS => {
            first_of_each_period(group, now, Period::Week(range.week_offset), range.weeks)
        }
        RetentionRangeType::FIRST_JOB_FOR_LAST_X_MONTHS => {
            first_of_each_period(group, now, Period::Month(range.month_offset), range.months)
        }
        RetentionRangeType::FIRST_JOB_FOR_LAST_X_YEARS => first_of_each_period(group, now, Period::Year, range.years),
        RetentionRangeType::LAST_X_BACKUPS_ONE_FOR_EACH_DAY => one_per_period(group, Period::Day, range.jobs),
        RetentionRangeType::LAST_X_BACKUPS_ONE_FOR_EACH_WEEK => one_per_period(group, Period::Week(0), range.jobs),
        RetentionRangeType::LAST_X_BACKUPS_ONE_FOR_EACH_MONTH => one_per_period(group, Period::Month(1), range.jobs),
        RetentionRangeType::LAST_X_BACKUPS_ONE_FOR_EACH_YEAR => one_per_period(group, Period::Year, range.jobs),
        // Unknown or reserved: never announce a deletion.
        _ => all(),
    }
}

/// The policy in plain language, e.g. "Keep the newest 30 backups, and the first backup of each
/// of the last 12 months".
pub fn summary(policy: &RetentionPolicy) -> String {
    if policy.mode != RetentionMode::DELETE_EXCEPT {
        return "Keep every backup".into();
    }
    let parts: Vec<String> = policy.ranges.iter().map(describe).collect();
    if parts.is_empty() {
        return "Keep only the newest backup of each item".into();
    }
    let mut text = String::from("Keep ");
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            text.push_str(if i + 1 == parts.len() { ", and " } else { ", " });
        }
        text.push_str(p);
    }
    text
}

fn plural(n: i64, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

const WEEKDAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

fn describe(r: &RetentionRange) -> String {
    match r.r#type {
        RetentionRangeType::MOST_RECENT_X_JOBS => format!("the newest {}", plural(r.jobs, "backup", "backups")),
        RetentionRangeType::NEWER_THAN_X => {
            format!("every backup newer than {}", at(r.timestamp).format("%Y-%m-%d %H:%M UTC"))
        }
        RetentionRangeType::JOBS_SINCE => {
            let mut spans = Vec::new();
            for (n, one, many) in
                [(r.years, "year", "years"), (r.months, "month", "months"), (r.weeks, "week", "weeks"), (r.days, "day", "days")]
            {
                if n > 0 {
                    spans.push(plural(n, one, many));
                }
            }
            if spans.is_empty() { "backups from today".into() } else { format!("every backup of the last {}", spans.join(" ")) }
        }
        RetentionRangeType::FIRST_JOB_FOR_EACH_LAST_X_DAYS => {
            format!("the first backup of each of the last {}", plural(r.days, "day", "days"))
        }
        RetentionRangeType::FIRST_JOB_FOR_LAST_X_WEEKS => format!(
            "the first backup of each of the last {} (weeks start on {})",
            plural(r.weeks, "week", "weeks"),
            WEEKDAYS[usize::try_from(r.week_offset.rem_euclid(7)).unwrap_or(0)]
        ),
        RetentionRangeType::FIRST_JOB_FOR_LAST_X_MONTHS => {
            format!("the first backup of each of the last {}", plural(r.months, "month", "months"))
        }
        RetentionRangeType::FIRST_JOB_FOR_LAST_X_YEARS => {
            format!("the first backup of each of the last {}", plural(r.years, "year", "years"))
        }
        RetentionRangeType::LAST_X_BACKUPS_ONE_FOR_EACH_DAY => {
            format!("the last {}, one per day", plural(r.jobs, "backup", "backups"))
        }
        RetentionRangeType::LAST_X_BACKUPS_ONE_FOR_EACH_WEEK => {
            format!("the last {}, one per week", plural(r.jobs, "backup", "backups"))
        }
        RetentionRangeType::LAST_X_BACKUPS_ONE_FOR_EACH_MONTH => {
            format!("the last {}, one per month", plural(r.jobs, "backup", "backups"))
        }
        RetentionRangeType::LAST_X_BACKUPS_ONE_FOR_EACH_YEAR => {
            format!("the last {}, one per year", plural(r.jobs, "backup", "backups"))
        }
        other => format!("backups matching a rule of type {other}"),
    }
}

/// A policy the console may write: known mode and range types, counts within Comet's limits.
pub fn validate(policy: &RetentionPolicy) -> Result<(), String> {
    if policy.mode != RetentionMode::KEEP_EVERYTHING && policy.mode != RetentionMode::DELETE_EXCEPT {
        return Err(format!("Unknown retention mode {}.", policy.mode));
    }
    if policy.ranges.len() > 50 {
        return Err("A retention policy may have at most 50 rules.".into());
    }
    for r in policy.ranges.iter() {
        if !r.r#type.is_known() || r.r#type == RetentionRangeType::RESERVED904 {
            return Err(format!("Unknown retention rule type {}.", r.r#type));
        }
        for n in [r.jobs, r.days, r.weeks, r.months, r.years] {
            if !(0..=comet::RETENTION_MAXINT).contains(&n) {
                return Err("A retention count must be between 0 and 2^50.".into());
            }
        }
        if !(0..=6).contains(&r.week_offset) {
            return Err("The first day of the week must be 0 (Sunday) to 6 (Saturday).".into());
        }
        if !(0..=28).contains(&r.month_offset) {
            return Err("The day a month starts on must be between 1 and 28.".into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;
    /// 2026-12-03 12:00 UTC, a Thursday.
    const NOW: i64 = 1_796_299_200;

    fn snap(id: &str, item: &str, time: i64) -> Snap {
        Snap { id: id.into(), item: item.into(), time }
    }

    fn ids(set: &BTreeSet<String>) -> Vec<&str> {
        set.iter().map(String::as_str).collect()
    }

    /// One snapshot a day at 01:00 for the last `n` days, ids d1 (yesterday) … dn.
    fn daily(n: i64) -> Vec<Snap> {
        (1..=n).map(|d| snap(&format!("d{d:03}"), "item", midnight(at(NOW)).timestamp() - d * DAY + 3600)).collect()
    }

    #[test]
    fn now_is_the_documented_thursday() {
        assert_eq!(at(NOW).format("%Y-%m-%d %H:%M %a").to_string(), "2026-12-03 12:00 Thu");
    }

    #[test]
    fn keep_everything_keeps_all_and_delete_except_without_ranges_keeps_the_newest() {
        let snaps = daily(5);
        assert_eq!(kept(&RetentionPolicy::keep_everything(), &snaps, NOW).len(), 5);
        assert_eq!(ids(&kept(&RetentionPolicy::delete_except(vec![]), &snaps, NOW)), vec!["d001"]);
    }

    #[test]
    fn most_recent_jobs_counts_per_item() {
        let mut snaps = daily(5);
        snaps.push(snap("other-old", "other", NOW - 40 * DAY));
        snaps.push(snap("other-new", "other", NOW - DAY));
        snaps.push(snap("other-mid", "other", NOW - 10 * DAY));
        let keep = kept(&RetentionPolicy::delete_except(vec![RetentionRange::most_recent_jobs(2)]), &snaps, NOW);
        assert_eq!(ids(&keep), vec!["d001", "d002", "other-mid", "other-new"]);
    }

    #[test]
    fn jobs_since_keeps_the_window() {
        let keep = kept(&RetentionPolicy::delete_except(vec![RetentionRange::jobs_since_days(3)]), &daily(10), NOW);
        assert_eq!(ids(&keep), vec!["d001", "d002"], "d003 is 3 days minus 11 h before now + 1 h: outside");
    }

    #[test]
    fn first_job_of_each_day_keeps_the_oldest_of_each_day() {
        let base = midnight(at(NOW)).timestamp();
        let snaps = vec![
            snap("today-late", "i", base + 10 * 3600),
            snap("today-early", "i", base + 3600),
            snap("yday-early", "i", base - DAY + 60),
            snap("yday-late", "i", base - 60),
            snap("old", "i", base - 5 * DAY),
        ];
        let keep = kept(&RetentionPolicy::delete_except(vec![RetentionRange::first_job_for_each_last_days(2)]), &snaps, NOW);
        // The newest is always kept; the window is today and yesterday.
        assert_eq!(ids(&keep), vec!["today-early", "today-late", "yday-early"]);
    }

    #[test]
    fn first_job_of_each_week_respects_the_first_weekday() {
        // 2026-11-29 is a Sunday, 2026-11-30 a Monday.
        let sunday = Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0).unwrap().timestamp();
        let monday = sunday + DAY;
        let snaps = vec![snap("sun", "i", sunday), snap("mon", "i", monday), snap("newest", "i", NOW - 3600)];
        let sunday_weeks =
            kept(&RetentionPolicy::delete_except(vec![RetentionRange::first_job_for_last_weeks(1, 0)]), &snaps, NOW);
        assert_eq!(ids(&sunday_weeks), vec!["newest", "sun"]);
        let monday_weeks =
            kept(&RetentionPolicy::delete_except(vec![RetentionRange::first_job_for_last_weeks(1, 1)]), &snaps, NOW);
        assert_eq!(ids(&monday_weeks), vec!["mon", "newest"]);
    }

    #[test]
    fn first_job_of_each_month_and_year() {
        let t = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 8, 0, 0).unwrap().timestamp();
        let snaps = vec![
            snap("dec-2", "i", t(2026, 12, 2)),
            snap("nov-5", "i", t(2026, 11, 5)),
            snap("nov-20", "i", t(2026, 11, 20)),
            snap("oct-1", "i", t(2026, 10, 1)),
            snap("jan-2025", "i", t(2025, 1, 7)),
        ];
        let months = kept(&RetentionPolicy::delete_except(vec![RetentionRange::first_job_for_last_months(2, 1)]), &snaps, NOW);
        assert_eq!(ids(&months), vec!["dec-2", "nov-5"]);
        // Months starting on the 10th: Nov 10–Dec 9 holds nov-20 and dec-2; Oct 10–Nov 9 holds nov-5.
        let shifted = kept(&RetentionPolicy::delete_except(vec![RetentionRange::first_job_for_last_months(2, 10)]), &snaps, NOW);
        assert_eq!(ids(&shifted), vec!["dec-2", "nov-20", "nov-5"]);
        let years = RetentionRange { r#type: RetentionRangeType::FIRST_JOB_FOR_LAST_X_YEARS, years: 2, ..Default::default() };
        assert_eq!(ids(&kept(&RetentionPolicy::delete_except(vec![years]), &snaps, NOW)), vec!["dec-2", "jan-2025", "oct-1"]);
    }

    #[test]
    fn last_backups_one_per_day() {
        let base = midnight(at(NOW)).timestamp();
        let snaps = vec![
            snap("a", "i", base + 7200),
            snap("b", "i", base + 3600),
            snap("c", "i", base - DAY + 100),
            snap("d", "i", base - 2 * DAY + 100),
        ];
        let r = RetentionRange { r#type: RetentionRangeType::LAST_X_BACKUPS_ONE_FOR_EACH_DAY, jobs: 2, ..Default::default() };
        assert_eq!(ids(&kept(&RetentionPolicy::delete_except(vec![r]), &snaps, NOW)), vec!["a", "c"]);
    }

    #[test]
    fn ranges_are_a_union_and_unknown_types_keep_everything() {
        let policy =
            RetentionPolicy::delete_except(vec![RetentionRange::most_recent_jobs(1), RetentionRange::jobs_since_days(30)]);
        assert_eq!(kept(&policy, &daily(40), NOW).len(), 29);
        let unknown = RetentionRange { r#type: RetentionRangeType(999), ..Default::default() };
        assert_eq!(kept(&RetentionPolicy::delete_except(vec![unknown]), &daily(4), NOW).len(), 4);
    }

    #[test]
    fn summaries_read_as_sentences() {
        assert_eq!(summary(&RetentionPolicy::keep_everything()), "Keep every backup");
        let p = RetentionPolicy::delete_except(vec![
            RetentionRange::most_recent_jobs(30),
            RetentionRange::first_job_for_last_months(12, 1),
        ]);
        assert_eq!(summary(&p), "Keep the newest 30 backups, and the first backup of each of the last 12 months");
        assert_eq!(
            summary(&RetentionPolicy::delete_except(vec![RetentionRange::jobs_since_days(1)])),
            "Keep every backup of the last 1 day"
        );
    }

    #[test]
    fn validation_refuses_what_comet_would_not_store() {
        assert!(validate(&RetentionPolicy::delete_except(vec![RetentionRange::most_recent_jobs(5)])).is_ok());
        assert!(validate(&RetentionPolicy::delete_except(vec![RetentionRange::most_recent_jobs(-1)])).is_err());
        let bad_type = RetentionRange { r#type: RetentionRangeType(904), ..Default::default() };
        assert!(validate(&RetentionPolicy::delete_except(vec![bad_type])).is_err());
        assert!(validate(&RetentionPolicy { mode: RetentionMode(5), ..Default::default() }).is_err());
        assert!(validate(&RetentionPolicy::delete_except(vec![RetentionRange::first_job_for_last_weeks(2, 9)])).is_err());
    }
}
