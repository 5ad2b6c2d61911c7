//! Savepoints inside a write transaction, and which failures they are for: one account's rows
//! that the database refuses (a value, a trigger, a constraint) are rolled back alone, so the
//! transaction goes on with every other account's rows. Conflicts and lost connections are not
//! the account's fault and are handed back whole.

use sqlx::AssertSqlSafe;

use crate::db::DbError;
use crate::db::events::Tx;
use crate::with_tx;

/// The one savepoint name we use: savepoints are never nested here.
const NAME: &str = "eb_account";

/// `SAVEPOINT` (text protocol: MySQL does not prepare savepoint statements everywhere).
pub async fn set(tx: &mut Tx) -> Result<(), DbError> {
    run(tx, format!("SAVEPOINT {NAME}")).await
}

/// Keeps what was written since [`set`].
pub async fn release(tx: &mut Tx) -> Result<(), DbError> {
    run(tx, format!("RELEASE SAVEPOINT {NAME}")).await
}

/// Undoes what was written since [`set`]; the transaction stays usable.
pub async fn rollback(tx: &mut Tx) -> Result<(), DbError> {
    run(tx, format!("ROLLBACK TO SAVEPOINT {NAME}")).await?;
    release(tx).await
}

async fn run(tx: &mut Tx, sql: String) -> Result<(), DbError> {
    with_tx!(tx, conn => {
        sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *conn).await?;
    });
    Ok(())
}

/// MySQL 1213 (deadlock) and 1205 (lock wait timeout); SQLite's BUSY/LOCKED past the busy
/// timeout mean the same thing: nothing of this transaction can be trusted, try it again.
pub fn is_conflict(e: &DbError) -> bool {
    let DbError::Sql(sqlx::Error::Database(db)) = e else { return false };
    if let Some(my) = db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
        return matches!(my.number(), 1213 | 1205);
    }
    // SQLite primary codes 5 (BUSY) and 6 (LOCKED), possibly extended (low byte).
    db.code().and_then(|c| c.parse::<i64>().ok()).is_some_and(|c| matches!(c & 0xff, 5 | 6))
}

/// The database refused what these rows contain (or they could not be encoded): the rows' own
/// fault, so skipping them lets everything else through. A missing table, a lost connection, a
/// full pool or a conflict is not, and fails the whole batch as before (nothing is skipped).
///
/// MySQL: SQLSTATE classes 22 (data exception: too long, out of range, bad date), 23 (integrity:
/// NULL, duplicate, foreign key, CHECK) and 45 (a trigger's SIGNAL), and the strict-mode refusals
/// reported under the generic HY000 (1366 incorrect string value, 1265 data truncated).
/// SQLite: CONSTRAINT (a trigger's RAISE included), TOOBIG and MISMATCH.
pub fn is_refusal(e: &DbError) -> bool {
    let db = match e {
        DbError::Sql(sqlx::Error::Encode(_)) => return true,
        DbError::Sql(sqlx::Error::Database(db)) => db,
        _ => return false,
    };
    if let Some(my) = db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
        let class = my.code().map(|s| s.get(..2).unwrap_or_default().to_string()).unwrap_or_default();
        return matches!(class.as_str(), "22" | "23" | "45") || matches!(my.number(), 1366 | 1265);
    }
    db.code().and_then(|c| c.parse::<i64>().ok()).is_some_and(|c| matches!(c & 0xff, 18..=20))
}
