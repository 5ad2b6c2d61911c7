//! Timestamps of the `comet_*` mirrors: historical `TIMESTAMP` columns on MySQL, ISO text on
//! SQLite (docs: STACK.md §4).
//!
//! Always computed in Rust (UTC) and bound, never `NOW()` in SQL: PHP sessions run in the server's
//! zone, ours in UTC, so SQL clocks would disagree between rows written by either side.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::mysql::{MySql, MySqlTypeInfo};
use sqlx::sqlite::{Sqlite, SqliteArgumentsBuffer, SqliteTypeInfo};
use sqlx::{Encode, Type};

/// A UTC instant bound to a `TIMESTAMP` column: a `DateTime<Utc>` on MySQL (sqlx pins the session
/// zone to UTC), `YYYY-MM-DD HH:MM:SS` text on SQLite — the shape `CURRENT_TIMESTAMP` writes there,
/// so rows from defaults and from us sort and compare alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DbTime(pub DateTime<Utc>);

impl DbTime {
    pub fn now() -> DbTime {
        DbTime::from_unix(Utc::now().timestamp()).unwrap_or(DbTime(DateTime::<Utc>::UNIX_EPOCH))
    }

    /// Whole seconds only: the columns have second precision, and equal values must compare equal
    /// after a round trip.
    pub fn from_unix(secs: i64) -> Option<DbTime> {
        Utc.timestamp_opt(secs, 0).single().map(DbTime)
    }

    pub fn unix(self) -> i64 {
        self.0.timestamp()
    }

    fn naive(self) -> NaiveDateTime {
        self.0.naive_utc()
    }
}

impl Type<MySql> for DbTime {
    fn type_info() -> MySqlTypeInfo {
        <DateTime<Utc> as Type<MySql>>::type_info()
    }
    fn compatible(ty: &MySqlTypeInfo) -> bool {
        <DateTime<Utc> as Type<MySql>>::compatible(ty)
    }
}

impl Encode<'_, MySql> for DbTime {
    fn encode_by_ref(&self, buf: &mut Vec<u8>) -> Result<IsNull, BoxDynError> {
        <DateTime<Utc> as Encode<'_, MySql>>::encode_by_ref(&self.0, buf)
    }
}

impl Type<Sqlite> for DbTime {
    fn type_info() -> SqliteTypeInfo {
        <NaiveDateTime as Type<Sqlite>>::type_info()
    }
    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <NaiveDateTime as Type<Sqlite>>::compatible(ty)
    }
}

impl Encode<'_, Sqlite> for DbTime {
    fn encode_by_ref(&self, buf: &mut SqliteArgumentsBuffer) -> Result<IsNull, BoxDynError> {
        <NaiveDateTime as Encode<'_, Sqlite>>::encode_by_ref(&self.naive(), buf)
    }
}

/// The earliest instant we accept from Comet: anything before is a zero or garbage value (the
/// incumbent wrote 1970 dates from missing `CreateTime`s).
const EARLIEST: i64 = 315_619_200; // 1980-01-02T00:00:00Z
/// MySQL `TIMESTAMP` ends in January 2038; a later value would fail the whole write in strict mode.
const LATEST: i64 = 2_147_483_647;
/// Above this a Comet time is in milliseconds (as seconds it would be after the year 5000).
const MILLIS_THRESHOLD: i64 = 100_000_000_000;

/// A Comet `CreateTime`/`ModifyTime`: seconds or milliseconds since the epoch, normalised; `None`
/// when missing (0) or outside what a `TIMESTAMP` can hold.
pub fn comet_time(raw: i64) -> Option<DbTime> {
    let secs = if raw >= MILLIS_THRESHOLD { raw / 1000 } else { raw };
    if (EARLIEST..=LATEST).contains(&secs) { DbTime::from_unix(secs) } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_and_milliseconds_give_the_same_instant() {
        assert_eq!(comet_time(1_700_000_000), comet_time(1_700_000_000_123));
        assert_eq!(comet_time(1_700_000_000).map(DbTime::unix), Some(1_700_000_000));
    }

    #[test]
    fn missing_and_absurd_times_are_none() {
        assert_eq!(comet_time(0), None);
        assert_eq!(comet_time(-5), None);
        assert_eq!(comet_time(86_400), None, "1970 is a missing value, not a date");
        assert_eq!(comet_time(4_000_000_000), None, "past what TIMESTAMP holds");
    }
}
