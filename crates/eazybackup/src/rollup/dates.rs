//! Which days a rollup run covers, and the instants a day's figures are taken at.
//!
//! Days are UTC calendar days. A day's snapshot describes the fleet as of the end of that day, or
//! as of now for today (the timers run at 02:05/02:10 UTC and record the day they run on, as the
//! PHP scripts did with `CURDATE()`).

use chrono::{NaiveDate, TimeZone, Utc};

/// The most days one run backfills (ten years): a typo in `--from` must not run for hours.
pub const MAX_DAYS: i64 = 3660;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RangeError {
    #[error("--from {from} is after --to {to}")]
    Reversed { from: NaiveDate, to: NaiveDate },
    #[error("{day} is in the future (today is {today} UTC); a day is rolled up on or after it")]
    Future { day: NaiveDate, today: NaiveDate },
    #[error("{days} days from {from} to {to}: at most {MAX_DAYS} per run")]
    TooLong { from: NaiveDate, to: NaiveDate, days: i64 },
    #[error("--date cannot be combined with --from/--to")]
    Mixed,
    #[error("--from and --to go together")]
    HalfRange,
}

/// The days of `--date D` or `--from A --to B` (inclusive), today (UTC) by default.
pub fn days(
    date: Option<NaiveDate>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Vec<NaiveDate>, RangeError> {
    let (first, last) = match (date, from, to) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => return Err(RangeError::Mixed),
        (Some(d), None, None) => (d, d),
        (None, Some(f), Some(t)) => (f, t),
        (None, Some(_), None) | (None, None, Some(_)) => return Err(RangeError::HalfRange),
        (None, None, None) => (today, today),
    };
    if first > last {
        return Err(RangeError::Reversed { from: first, to: last });
    }
    if last > today {
        return Err(RangeError::Future { day: last, today });
    }
    let count = (last - first).num_days() + 1;
    if count > MAX_DAYS {
        return Err(RangeError::TooLong { from: first, to: last, days: count });
    }
    Ok(first.iter_days().take(count as usize).collect())
}

/// Unix seconds of `day` 00:00 UTC.
pub fn day_start(day: NaiveDate) -> i64 {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default()).timestamp()
}

/// The instant `day`'s figures are taken at: the end of the day, or `now` while it is not over.
pub fn as_of(day: NaiveDate, now: i64) -> i64 {
    (day_start(day) + 86_400).min(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_are_inclusive_and_bounded() {
        let today = d("2026-12-03");
        assert_eq!(days(None, None, None, today).unwrap(), vec![today]);
        assert_eq!(days(Some(d("2026-11-30")), None, None, today).unwrap(), vec![d("2026-11-30")]);
        assert_eq!(days(None, Some(d("2026-11-30")), Some(d("2026-12-02")), today).unwrap().len(), 3);
        assert!(matches!(days(None, Some(d("2026-12-02")), Some(d("2026-11-30")), today), Err(RangeError::Reversed { .. })));
        assert!(matches!(days(Some(d("2026-12-04")), None, None, today), Err(RangeError::Future { .. })));
        assert!(matches!(days(None, Some(d("2000-01-01")), Some(today), today), Err(RangeError::TooLong { .. })));
        assert_eq!(days(Some(today), Some(today), None, today), Err(RangeError::Mixed));
        assert_eq!(days(None, Some(today), None, today), Err(RangeError::HalfRange));
    }

    #[test]
    fn a_day_is_taken_at_its_end_or_now() {
        let day = d("2026-12-01");
        assert_eq!(day_start(day), 1_796_083_200);
        assert_eq!(as_of(day, 2_000_000_000), 1_796_083_200 + 86_400);
        assert_eq!(as_of(day, 1_796_083_200 + 60), 1_796_083_200 + 60);
    }
}
