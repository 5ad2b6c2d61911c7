//! `eazybackup migrate`: create or upgrade our tables, idempotently, over databases that may hold
//! the historical tables (`legacy-schema.md`). Never drops a table, a column or a row.
//!
//! MySQL/MariaDB: the whole upgrade is one generated script of plain SQL (`mysql_statements`),
//! committed as `whmcs/modules/addons/eazybackup/sql/schema.mysql.sql` so that the addon's
//! `eazybackup_activate()` runs exactly what this command runs. Steps that depend on what exists
//! (add a missing column, widen an id column, add a missing index) are built by a `SET @eb_sql =
//! …information_schema…` and run through `PREPARE`, which works on MySQL 8 and MariaDB alike
//! (MySQL has no `ADD COLUMN IF NOT EXISTS`).
//!
//! SQLite: `CREATE TABLE IF NOT EXISTS` from the same definition, missing columns added after
//! `pragma_table_info`, indexes, all in one transaction (SQLite DDL is transactional).
//!
//! The report is the difference between the schema read before and after, on both backends, so
//! "0 changes" on a second run is measured, not assumed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use sqlx::{AssertSqlSafe, Row};

use super::schema::{self, Column, SCHEMA_VERSION, TABLES, Table, Ty};
use super::{Db, DbError, Dialect};
use crate::config::Config;

#[derive(clap::Args, Debug)]
pub struct MigrateArgs {
    /// Print the generated SQL for this dialect and exit (no database needed).
    #[arg(long, value_enum, value_name = "DIALECT")]
    pub print_sql: Option<SqlDialect>,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlDialect {
    Mysql,
    Sqlite,
}

impl From<SqlDialect> for Dialect {
    fn from(d: SqlDialect) -> Dialect {
        match d {
            SqlDialect::Mysql => Dialect::MySql,
            SqlDialect::Sqlite => Dialect::Sqlite,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error(transparent)]
    Connect(#[from] DbError),
    #[error("migration statement failed: {statement}: {source}")]
    Statement { statement: String, source: sqlx::Error },
    #[error("reading the schema failed: {0}")]
    Introspect(sqlx::Error),
}

/// What a run changed. `changes() == 0` on a database that was already current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    pub dialect: Dialect,
    pub schema_version: u32,
    pub tables_created: Vec<String>,
    /// `table.column`, on tables that existed before the run.
    pub columns_added: Vec<String>,
    /// `table.column: old type -> new type`.
    pub columns_changed: Vec<String>,
    /// `table.index`, on tables that existed before the run.
    pub indexes_added: Vec<String>,
}

impl MigrationReport {
    pub fn changes(&self) -> usize {
        self.tables_created.len() + self.columns_added.len() + self.columns_changed.len() + self.indexes_added.len()
    }
}

impl fmt::Display for MigrationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "schema version {}: {} change(s)", self.schema_version, self.changes())?;
        for (label, list) in [
            ("tables created", &self.tables_created),
            ("columns added", &self.columns_added),
            ("columns changed", &self.columns_changed),
            ("indexes added", &self.indexes_added),
        ] {
            if !list.is_empty() {
                write!(f, "; {label}: {}", list.join(", "))?;
            }
        }
        Ok(())
    }
}

pub async fn run_cli(config: &Config, args: MigrateArgs) -> anyhow::Result<()> {
    if let Some(d) = args.print_sql {
        print!("{}", render_sql_file(d.into()));
        return Ok(());
    }
    let db = Db::connect(&config.db).await?;
    let report = migrate(&db).await;
    db.close().await;
    let report = report?;
    println!("{}: {report}", config.db.redacted());
    Ok(())
}

/// Creates missing tables, adds missing columns and indexes, widens historical id columns (MySQL)
/// and records the schema version. Safe to run any number of times.
pub async fn migrate(db: &Db) -> Result<MigrationReport, MigrateError> {
    let before = snapshot(db).await?;
    match db {
        Db::MySql(pool) => {
            // Session variables (`@eb_sql`) and prepared statements live on one connection.
            let mut conn = pool.acquire().await.map_err(MigrateError::Introspect)?;
            for stmt in mysql_statements() {
                execute(&mut *conn, &stmt).await?;
            }
        }
        Db::Sqlite(pool) => {
            let mut tx = pool.begin().await.map_err(MigrateError::Introspect)?;
            for t in TABLES {
                execute(&mut *tx, &schema::create_table(Dialect::Sqlite, t)).await?;
            }
            for stmt in sqlite_missing_columns(&mut tx).await? {
                execute(&mut *tx, &stmt).await?;
            }
            for stmt in sqlite_rekeys(&mut tx).await? {
                execute(&mut *tx, &stmt).await?;
            }
            for t in TABLES {
                for stmt in resolve_duplicate_unique_keys(t, Dialect::Sqlite) {
                    execute(&mut *tx, &stmt).await?;
                }
            }
            for stmt in sqlite_tail_statements() {
                execute(&mut *tx, &stmt).await?;
            }
            tx.commit().await.map_err(|source| MigrateError::Statement { statement: "COMMIT".into(), source })?;
        }
    }
    // An allow-list over JSON is not SQL: credentials in rows stored before are removed here.
    let scrubbed = super::item_content::scrub_stored(db).await?;
    if scrubbed > 0 {
        tracing::info!(rows = scrubbed, "removed credentials from comet_items.content");
    }
    let after = snapshot(db).await?;
    Ok(diff(db.dialect(), &before, &after))
}

async fn execute<'c, E>(conn: E, stmt: &str) -> Result<(), MigrateError>
where
    E: sqlx::Executor<'c>,
{
    tracing::debug!(target: "eazybackup::db", "{stmt}");
    sqlx::raw_sql(AssertSqlSafe(stmt.to_string()))
        .execute(conn)
        .await
        .map(|_| ())
        .map_err(|source| MigrateError::Statement { statement: first_line(stmt), source })
}

fn first_line(stmt: &str) -> String {
    let line = stmt.lines().next().unwrap_or_default();
    if line.len() > 160 { format!("{}…", &line[..line.floor_char_boundary(160)]) } else { line.to_string() }
}

async fn sqlite_missing_columns(conn: &mut sqlx::SqliteConnection) -> Result<Vec<String>, MigrateError> {
    let mut out = Vec::new();
    for t in TABLES {
        let rows = sqlx::query("SELECT name FROM pragma_table_info(?)")
            .bind(t.name)
            .fetch_all(&mut *conn)
            .await
            .map_err(MigrateError::Introspect)?;
        let have: BTreeSet<String> = rows.iter().map(|r| r.get::<String, _>(0)).collect();
        out.extend(
            t.columns.iter().filter(|c| !c.auto_increment && !have.contains(c.name)).map(|c| schema::sqlite_add_column(t, c)),
        );
    }
    Ok(out)
}

/// SQLite cannot change a table's primary key in place: a table whose key differs from the
/// definition is rebuilt by copy (new table, rows copied, old table dropped, new one renamed),
/// keeping every row and every column, ours and not (types of foreign columns as declared).
/// NULLs in columns we define NOT NULL take the column's default.
async fn sqlite_rekeys(conn: &mut sqlx::SqliteConnection) -> Result<Vec<String>, MigrateError> {
    let mut out = Vec::new();
    for t in TABLES {
        let rows: Vec<(String, String, i64)> = sqlx::query_as("SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid")
            .bind(t.name)
            .fetch_all(&mut *conn)
            .await
            .map_err(MigrateError::Introspect)?;
        let mut pk: Vec<(i64, &str)> = rows.iter().filter(|r| r.2 > 0).map(|r| (r.2, r.0.as_str())).collect();
        pk.sort_unstable();
        let pk: Vec<&str> = pk.into_iter().map(|(_, n)| n).collect();
        let inline_pk = t.columns.iter().any(|c| c.auto_increment);
        if rows.is_empty() || inline_pk || pk == t.primary_key {
            continue;
        }
        let extra: Vec<(&str, &str)> =
            rows.iter().filter(|r| t.column(&r.0).is_none()).map(|r| (r.0.as_str(), r.1.as_str())).collect();
        out.extend(sqlite_rebuild(t, &extra));
    }
    Ok(out)
}

fn sqlite_rebuild(t: &Table, extra: &[(&str, &str)]) -> Vec<String> {
    let d = Dialect::Sqlite;
    let tmp = format!("{}__eb_rekey", t.name);
    let mut create = schema::create_table_named(d, t, &tmp);
    if !extra.is_empty() {
        let added: String = extra.iter().map(|(n, ty)| format!(",\n  {} {ty} NULL", schema::quote(d, n))).collect();
        let at = create.rfind(",\n  PRIMARY KEY").expect("a PRIMARY KEY line");
        create.insert_str(at, &added);
    }
    let mut names: Vec<String> = Vec::new();
    let mut values: Vec<String> = Vec::new();
    for c in t.columns {
        names.push(schema::quote(d, c.name));
        let q = schema::quote(d, c.name);
        values.push(match (c.nullable, c.default) {
            (true, _) => q,
            (false, schema::DefaultValue::Str(v)) => format!("COALESCE({q}, {})", literal(v)),
            (false, schema::DefaultValue::Int(v)) => format!("COALESCE({q}, {v})"),
            (false, schema::DefaultValue::Now) => format!("COALESCE({q}, CURRENT_TIMESTAMP)"),
            (false, schema::DefaultValue::None) => match c.ty {
                Ty::Id(_) | Ty::Varchar(_) | Ty::Text | Ty::Json | Ty::Date | Ty::Timestamp => format!("COALESCE({q}, '')"),
                _ => format!("COALESCE({q}, 0)"),
            },
        });
    }
    for (n, _) in extra {
        names.push(schema::quote(d, n));
        values.push(schema::quote(d, n));
    }
    vec![
        create,
        format!(
            "INSERT INTO {} ({}) SELECT {} FROM {}",
            schema::quote(d, &tmp),
            names.join(", "),
            values.join(", "),
            schema::quote(d, t.name)
        ),
        format!("DROP TABLE {}", schema::quote(d, t.name)),
        format!("ALTER TABLE {} RENAME TO {}", schema::quote(d, &tmp), schema::quote(d, t.name)),
    ]
}

// ---------------------------------------------------------------------------------------------
// Generated SQL

/// The MySQL/MariaDB script, one statement per element, in execution order (no trailing `;`).
pub fn mysql_statements() -> Vec<String> {
    let d = Dialect::MySql;
    let mut out: Vec<String> = TABLES.iter().map(|t| schema::create_table(d, t)).collect();
    for t in TABLES {
        out.extend(guarded_alter(t, convert_to_utf8mb4(t)));
        out.extend(guarded_alter(t, add_missing_columns(t)));
        out.extend(fill_null_key_columns(t));
        out.extend(resolve_duplicate_unique_keys(t, Dialect::MySql));
        let mut modify = normalise_id_columns(t);
        modify.extend(key_columns_not_null(t));
        modify.extend(relax_nullable_columns(t));
        modify.extend(widen_enum_columns(t));
        out.extend(rekeying_alter(t, &modify));
        out.extend(guarded_alter(t, add_missing_indexes(t)));
    }
    out.push(backfill_job_counts(d));
    out.push(schema::record_version(d));
    out
}

/// Counts the finished jobs already in `eb_jobs_recent_24h` into `eb_jobs_hourly_counts` when
/// that table is empty (it was just created; from then on the worker keeps it in step, in the
/// transaction of each job end). Run it before the workers start, as every migration.
pub fn backfill_job_counts(d: Dialect) -> String {
    let hour = match d {
        Dialect::MySql => "ended_at DIV 3600",
        Dialect::Sqlite => "ended_at / 3600",
    };
    format!(
        "INSERT INTO eb_jobs_hourly_counts (server_id, username, hour, status, n) \
         SELECT server_id, username, {hour}, status, COUNT(*) FROM eb_jobs_recent_24h \
         WHERE NOT EXISTS (SELECT 1 FROM eb_jobs_hourly_counts) GROUP BY server_id, username, {hour}, status"
    )
}

/// Tables created over a `utf8` (3-byte) connection refuse emoji in every text column; Comet
/// names may hold them. Converted once (a table copy), only when a column is still 3-byte.
fn convert_to_utf8mb4(t: &Table) -> Vec<String> {
    vec![format!(
        "IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {} \
         AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)",
        literal(t.name)
    )]
}

fn is_key(t: &Table, column: &str) -> bool {
    t.primary_key.contains(&column)
}

/// Legacy key columns may hold NULL (the incumbent's `comet_devices.username`); a primary key
/// cannot. NULL becomes the column's default ('' for every key column we define).
fn fill_null_key_columns(t: &Table) -> Vec<String> {
    t.primary_key
        .iter()
        .filter_map(|k| t.column(k))
        .filter_map(|c| match c.default {
            schema::DefaultValue::Str(v) => Some((c, v)),
            _ => None,
        })
        .flat_map(|(c, v)| {
            let update = format!("UPDATE `{}` SET `{}` = {} WHERE `{}` IS NULL", t.name, c.name, literal(v), c.name);
            vec![
                format!(
                    "SET @eb_sql = IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {} \
                     AND COLUMN_NAME = {} AND IS_NULLABLE = 'YES'), {}, 'DO 0')",
                    literal(t.name),
                    literal(c.name),
                    literal(&update)
                ),
                "PREPARE eb_stmt FROM @eb_sql".into(),
                "EXECUTE eb_stmt".into(),
                "DEALLOCATE PREPARE eb_stmt".into(),
            ]
        })
        .collect()
}

/// ` CHARACTER SET x COLLATE y` of the column as it is (empty for non-text columns), for MODIFYs
/// that must keep the column's type.
const KEEP_CHARSET: &str =
    "IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME))";

/// Non-`Id` key columns (usernames) that are nullable become NOT NULL, keeping their type.
fn key_columns_not_null(t: &Table) -> Vec<String> {
    t.columns
        .iter()
        .filter(|c| is_key(t, c.name) && !matches!(c.ty, Ty::Id(_)))
        .map(|c| {
            format!(
                "(SELECT CONCAT('MODIFY COLUMN `{name}` ', COLUMN_TYPE, {KEEP_CHARSET}, ' NOT NULL', {default}) \
                 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {table} AND COLUMN_NAME = {col} \
                 AND IS_NULLABLE = 'YES')",
                name = c.name,
                default = literal(&default_clause(c)),
                table = literal(t.name),
                col = literal(c.name),
            )
        })
        .collect()
}

/// Columns we define nullable (and may write NULL into: an unowned account's `client_id`, a job
/// without a start time) that a legacy table declares NOT NULL without a default become
/// nullable; in strict mode the write would otherwise fail the whole batch (1048). `Id` columns
/// are left to [`normalise_id_columns`].
fn relax_nullable_columns(t: &Table) -> Vec<String> {
    t.columns
        .iter()
        .filter(|c| c.nullable && !matches!(c.ty, Ty::Id(_)) && !c.auto_increment)
        .map(|c| {
            format!(
                "(SELECT CONCAT('MODIFY COLUMN `{name}` ', COLUMN_TYPE, {KEEP_CHARSET}, ' NULL') \
                 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {table} AND COLUMN_NAME = {col} \
                 AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL)",
                name = c.name,
                table = literal(t.name),
                col = literal(c.name),
            )
        })
        .collect()
}

/// Historical ENUM columns (`eb_jobs_recent_24h.status`, `eb_devices_registry.status`) refuse any
/// value not listed (a `running` class, a future one); we define them VARCHAR and make them so,
/// keeping every stored value.
fn widen_enum_columns(t: &Table) -> Vec<String> {
    t.columns
        .iter()
        .filter_map(|c| match c.ty {
            Ty::Varchar(len) => Some((c, len)),
            _ => None,
        })
        .map(|(c, len)| {
            format!(
                "(SELECT CONCAT('MODIFY COLUMN `{name}` VARCHAR({len}) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', \
                 IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), {default}) \
                 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {table} AND COLUMN_NAME = {col} \
                 AND DATA_TYPE = 'enum')",
                name = c.name,
                default = literal(&default_clause(c)),
                table = literal(t.name),
                col = literal(c.name),
            )
        })
        .collect()
}

/// Rows that would break a unique index we define (a legacy `comet_users` with `Alice` and
/// `alice`, or the same username twice, all with profile '') are kept, not merged: the newest
/// row (highest `id`) keeps the key, each older one gets the inert profile `~dup-<id>`, which no
/// Comet server is called, so the index can be built and no row or value is lost. Only tables
/// with an auto-increment `id` have such a tie-break (`comet_users`).
pub fn resolve_duplicate_unique_keys(t: &Table, dialect: Dialect) -> Vec<String> {
    let Some(id) = t.columns.iter().find(|c| c.auto_increment) else { return Vec::new() };
    let id = id.name;
    t.indexes
        .iter()
        .filter(|i| i.unique && i.columns.contains(&"profile"))
        .map(|i| match dialect {
            Dialect::MySql => {
                let group = i.columns.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ");
                let on = i.columns.iter().map(|c| format!("u.`{c}` = d.`{c}`")).collect::<Vec<_>>().join(" AND ");
                format!(
                    "UPDATE `{table}` u JOIN (SELECT {group}, MAX(`{id}`) AS keep_id FROM `{table}` GROUP BY {group} HAVING COUNT(*) > 1) d \
                     ON {on} AND u.`{id}` <> d.keep_id SET u.`profile` = CONCAT('~dup-', u.`{id}`)",
                    table = t.name
                )
            }
            Dialect::Sqlite => {
                let same = i.columns.iter().map(|c| format!("o.\"{c}\" = \"{table}\".\"{c}\"", table = t.name)).collect::<Vec<_>>().join(" AND ");
                format!(
                    "UPDATE \"{table}\" SET \"profile\" = '~dup-' || \"{id}\" WHERE EXISTS (SELECT 1 FROM \"{table}\" o WHERE {same} AND o.\"{id}\" > \"{table}\".\"{id}\")",
                    table = t.name
                )
            }
        })
        .collect()
}

/// `a,b,c`: how information_schema's GROUP_CONCAT spells a column list.
fn column_list(columns: &[&str]) -> String {
    columns.join(",")
}

/// Unique indexes we did not define and that do not contain the whole primary key forbid rows
/// the new keys allow (the incumbent's UNIQUE(`hash`, `client_id`) on `comet_devices`, UNIQUE(`id`)
/// on `comet_vaults`): dropped. Any other index is left alone.
fn drop_conflicting_unique_indexes(t: &Table) -> String {
    let ours: Vec<String> = t.indexes.iter().filter(|i| i.unique).map(|i| literal(i.name)).collect();
    let not_ours = if ours.is_empty() { String::new() } else { format!(" AND INDEX_NAME NOT IN ({})", ours.join(", ")) };
    let key = t.primary_key.iter().map(|k| literal(k)).collect::<Vec<_>>().join(", ");
    format!(
        "(SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ({key})) AS k \
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {table} AND NON_UNIQUE = 0 \
         AND INDEX_NAME <> 'PRIMARY'{not_ours} GROUP BY INDEX_NAME) s WHERE s.k < {n})",
        table = literal(t.name),
        n = t.primary_key.len(),
    )
}

/// The primary key as defined, when the table has another one (the incumbent's `hash` on
/// `comet_devices`, `id` on `comet_items`/`comet_jobs`/`comet_vaults`); NULL when it has it. The
/// new keys only add columns to the old ones (or replace a column that was unique on its own), so
/// no row can collide.
fn replace_primary_key(t: &Table) -> String {
    let cols = t.primary_key.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ");
    format!(
        "(SELECT IF(p.k <=> {want}, NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), {add})) FROM (SELECT \
         (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {table} AND INDEX_NAME = 'PRIMARY') AS k) p)",
        want = literal(&column_list(t.primary_key)),
        add = literal(&format!("ADD PRIMARY KEY ({cols})")),
        table = literal(t.name),
    )
}

/// One `ALTER TABLE` for the column changes (`modify`) and the key changes, so a legacy table is
/// rebuilt at most once. Column type and collation changes need a table copy, during which
/// MariaDB 10.x blocks writes (bench/README.md has the figure for 200,000 `comet_jobs` rows); a
/// key change alone runs `ALGORITHM=INPLACE, LOCK=NONE`: InnoDB rebuilds the table while writers
/// go on.
fn rekeying_alter(t: &Table, modify: &[String]) -> Vec<String> {
    let copy = if modify.is_empty() { "''".to_string() } else { format!("CONCAT_WS(', ', {})", modify.join(", ")) };
    vec![
        format!(
            "SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT({head}, CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), \
             IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT {copy} AS c, CONCAT_WS(', ', {drops}, {pk}) AS k) q)",
            head = literal(&format!("ALTER TABLE `{}` ", t.name)),
            drops = drop_conflicting_unique_indexes(t),
            pk = replace_primary_key(t),
        ),
        "PREPARE eb_stmt FROM @eb_sql".into(),
        "EXECUTE eb_stmt".into(),
        "DEALLOCATE PREPARE eb_stmt".into(),
    ]
}

/// SQLite statements after the tables exist and their columns were added: indexes, version.
fn sqlite_tail_statements() -> Vec<String> {
    let mut out: Vec<String> =
        TABLES.iter().flat_map(|t| t.indexes.iter().map(move |i| schema::sqlite_create_index(t, i))).collect();
    out.push(backfill_job_counts(Dialect::Sqlite));
    out.push(schema::record_version(Dialect::Sqlite));
    out
}

/// Everything SQLite runs except the introspected column additions (which the file cannot carry).
pub fn sqlite_statements() -> Vec<String> {
    let mut out: Vec<String> = TABLES.iter().map(|t| schema::create_table(Dialect::Sqlite, t)).collect();
    out.extend(sqlite_tail_statements());
    out
}

/// A SQL string literal. Our DDL never contains backslashes, so doubling quotes is the whole job
/// and the result means the same with or without `NO_BACKSLASH_ESCAPES`.
fn literal(s: &str) -> String {
    debug_assert!(!s.contains('\\'), "backslash in generated SQL: {s}");
    format!("'{}'", s.replace('\'', "''"))
}

fn column_exists(t: &Table, column: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {} AND COLUMN_NAME = {})",
        literal(t.name),
        literal(column)
    )
}

/// One `IF(EXISTS(column), NULL, 'ADD COLUMN …')` per column; auto-increment keys are skipped (a
/// table that has lost its key is not something to repair blindly).
fn add_missing_columns(t: &Table) -> Vec<String> {
    t.columns
        .iter()
        .filter(|c| !c.auto_increment)
        .map(|c| {
            let add = format!("ADD COLUMN {}", schema::render_column(Dialect::MySql, c));
            format!("IF({}, NULL, {})", column_exists(t, c.name), literal(&add))
        })
        .collect()
}

/// Historical id columns were `CHAR(36)` (too short for 39-character item ids) and used
/// case-insensitive collations. Each `Id` column that is char/varchar and shorter than defined or
/// not `utf8mb4_bin` is modified to `VARCHAR(max(current, defined))` binary, keeping its
/// nullability; the definition's default is restated because MODIFY would otherwise drop it.
fn normalise_id_columns(t: &Table) -> Vec<String> {
    t.columns
        .iter()
        .filter_map(|c| match c.ty {
            Ty::Id(len) => Some((c, len)),
            _ => None,
        })
        .map(|(c, len)| {
            let default = default_clause(c);
            // Key columns must be NOT NULL; the others keep their nullability.
            let (nullable, nullable_now) = if is_key(t, c.name) {
                ("' NOT NULL'", " OR IS_NULLABLE = 'YES'")
            } else {
                ("IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL')", "")
            };
            format!(
                "(SELECT CONCAT('MODIFY COLUMN `{name}` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, {len}), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', {nullable}, {default}) \
                 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {table} AND COLUMN_NAME = {col} \
                 AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < {len} OR COLLATION_NAME <> 'utf8mb4_bin'{nullable_now}))",
                name = c.name,
                default = literal(&default),
                table = literal(t.name),
                col = literal(c.name),
            )
        })
        .collect()
}

fn default_clause(c: &Column) -> String {
    match c.default {
        schema::DefaultValue::Str(s) => format!(" DEFAULT {}", literal(s)),
        schema::DefaultValue::Int(v) => format!(" DEFAULT {v}"),
        _ => String::new(),
    }
}

/// An index is missing when no index has its columns in its order (whatever its name: the
/// incumbent's Laravel names differ from ours), or, for a unique one, no unique index does.
fn add_missing_indexes(t: &Table) -> Vec<String> {
    t.indexes
        .iter()
        .map(|i| {
            let cols = i.columns.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ");
            let add = format!("ADD {}INDEX `{}` ({cols})", if i.unique { "UNIQUE " } else { "" }, i.name);
            format!(
                "IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols \
                 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {} GROUP BY INDEX_NAME) s \
                 WHERE s.cols = {}{}), NULL, {})",
                literal(t.name),
                literal(&column_list(i.columns)),
                if i.unique { " AND s.nu = 0" } else { "" },
                literal(&add)
            )
        })
        .collect()
}

/// Joins the non-NULL clauses into one `ALTER TABLE` (one table rebuild at most) or `DO 0`, and
/// runs it through a prepared statement: four statements on one line each.
fn guarded_alter(t: &Table, clauses: Vec<String>) -> Vec<String> {
    if clauses.is_empty() {
        return Vec::new();
    }
    vec![
        format!(
            "SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT({}, q.c)) FROM (SELECT CONCAT_WS(', ', {}) AS c) q)",
            literal(&format!("ALTER TABLE `{}` ", t.name)),
            clauses.join(", ")
        ),
        "PREPARE eb_stmt FROM @eb_sql".into(),
        "EXECUTE eb_stmt".into(),
        "DEALLOCATE PREPARE eb_stmt".into(),
    ]
}

/// The committed file for `dialect`: a header stating the splitting rule, then the statements,
/// each ending with `;` at the end of a line.
pub fn render_sql_file(dialect: Dialect) -> String {
    let (name, statements, note) = match dialect {
        Dialect::MySql => (
            "MySQL 8 / MariaDB 10.3+",
            mysql_statements(),
            "-- `eazybackup migrate` executes exactly these statements, and the addon's eazybackup_activate()\n\
             -- runs this file: one definition, one script. Guarded steps build an ALTER TABLE from\n\
             -- information_schema into @eb_sql (or DO 0 when nothing is missing) and run it with PREPARE.\n\
             -- After these statements `eazybackup migrate` also rewrites comet_items.content without the\n\
             -- credentials older rows hold (a step in Rust: not expressible in SQL); where only this file\n\
             -- runs, the worker's next profile sync rewrites the content of every item still in Comet.\n",
        ),
        Dialect::Sqlite => (
            "SQLite",
            sqlite_statements(),
            "-- Columns missing from pre-existing tables are added by `eazybackup migrate` (pragma_table_info)\n\
             -- between the CREATE TABLE and CREATE INDEX statements; this file alone creates a fresh schema.\n",
        ),
    };
    let flag = if dialect == Dialect::MySql { "mysql" } else { "sqlite" };
    let mut out = format!(
        "-- eazyBackup Console schema, version {SCHEMA_VERSION}, for {name}.\n\
         -- GENERATED from crates/eazybackup/src/db/schema.rs; do not edit. Regenerate with\n\
         --   cargo run -p eazybackup -- migrate --print-sql {flag} > whmcs/modules/addons/eazybackup/sql/schema.{flag}.sql\n\
         {note}\
         -- Splitting rule: every statement ends with a semicolon at the end of a line, no other line\n\
         -- ends with one and no statement contains one; lines starting with -- are comments. Run the\n\
         -- statements in order on one connection (session variables). Idempotent: safe to re-run.\n"
    );
    for s in statements {
        out.push('\n');
        out.push_str(&s);
        out.push_str(";\n");
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Before/after snapshot

#[derive(Debug, Default)]
struct Snapshot {
    /// table -> column -> type description
    columns: BTreeMap<String, BTreeMap<String, String>>,
    indexes: BTreeSet<(String, String)>,
}

async fn snapshot(db: &Db) -> Result<Snapshot, MigrateError> {
    let ours: BTreeSet<&str> = TABLES.iter().map(|t| t.name).collect();
    let mut snap = Snapshot::default();
    match db {
        Db::MySql(pool) => {
            let rows = sqlx::query(
                "SELECT CAST(TABLE_NAME AS CHAR), CAST(COLUMN_NAME AS CHAR), \
                 CAST(CONCAT(COLUMN_TYPE, ' ', IFNULL(COLLATION_NAME, ''), ' ', IS_NULLABLE, ' ', IFNULL(COLUMN_DEFAULT, 'NULL')) AS CHAR) \
                 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()",
            )
            .fetch_all(pool)
            .await
            .map_err(MigrateError::Introspect)?;
            for r in rows {
                snap.columns.entry(r.get(0)).or_default().insert(r.get(1), r.get(2));
            }
            let rows = sqlx::query(
                "SELECT DISTINCT CAST(TABLE_NAME AS CHAR), CAST(INDEX_NAME AS CHAR) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()",
            )
            .fetch_all(pool)
            .await
            .map_err(MigrateError::Introspect)?;
            snap.indexes = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        }
        Db::Sqlite(pool) => {
            let rows = sqlx::query(
                "SELECT m.name, p.name, p.type || ' ' || p.\"notnull\" || ' ' || IFNULL(p.dflt_value, 'NULL') \
                 FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'",
            )
            .fetch_all(pool)
            .await
            .map_err(MigrateError::Introspect)?;
            for r in rows {
                snap.columns.entry(r.get(0)).or_default().insert(r.get(1), r.get(2));
            }
            let rows = sqlx::query("SELECT tbl_name, name FROM sqlite_master WHERE type = 'index'")
                .fetch_all(pool)
                .await
                .map_err(MigrateError::Introspect)?;
            snap.indexes = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        }
    }
    snap.columns.retain(|t, _| ours.contains(t.as_str()));
    snap.indexes.retain(|(t, _)| ours.contains(t.as_str()));
    Ok(snap)
}

fn diff(dialect: Dialect, before: &Snapshot, after: &Snapshot) -> MigrationReport {
    let mut report = MigrationReport {
        dialect,
        schema_version: SCHEMA_VERSION,
        tables_created: Vec::new(),
        columns_added: Vec::new(),
        columns_changed: Vec::new(),
        indexes_added: Vec::new(),
    };
    for (table, cols) in &after.columns {
        let Some(old) = before.columns.get(table) else {
            report.tables_created.push(table.clone());
            continue;
        };
        for (col, ty) in cols {
            match old.get(col) {
                None => report.columns_added.push(format!("{table}.{col}")),
                Some(old_ty) if old_ty != ty => report.columns_changed.push(format!("{table}.{col}: {old_ty} -> {ty}")),
                Some(_) => {}
            }
        }
    }
    for (table, index) in after.indexes.difference(&before.indexes) {
        if before.columns.contains_key(table) {
            report.indexes_added.push(format!("{table}.{index}"));
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_statements_can_be_split_on_line_final_semicolons() {
        for d in [Dialect::MySql, Dialect::Sqlite] {
            let statements = if d == Dialect::MySql { mysql_statements() } else { sqlite_statements() };
            for s in &statements {
                assert!(!s.contains(';'), "statement contains a semicolon: {s}");
                assert!(!s.contains('\\'), "statement contains a backslash: {s}");
            }
            let file = render_sql_file(d);
            let bodies: Vec<String> = file
                .split(";\n")
                .map(|chunk| chunk.lines().filter(|l| !l.starts_with("--")).collect::<Vec<_>>().join("\n"))
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            assert_eq!(bodies, statements);
        }
    }

    #[test]
    fn guarded_add_column_quotes_defaults_inside_the_literal() {
        let sql = mysql_statements().into_iter().find(|s| s.contains("ADD COLUMN `action_stage`")).unwrap();
        assert!(sql.contains("ADD COLUMN `action_stage` VARCHAR(24) NOT NULL DEFAULT ''none''"), "{sql}");
        assert!(sql.starts_with("SET @eb_sql = "), "{sql}");
    }

    #[test]
    fn report_counts_only_real_differences() {
        let mut before = Snapshot::default();
        before.columns.insert("eb_jobs_live".into(), BTreeMap::from([("job_id".into(), "varchar(64)".into())]));
        let mut after = Snapshot::default();
        after.columns.insert(
            "eb_jobs_live".into(),
            BTreeMap::from([("job_id".into(), "varchar(64)".into()), ("status".into(), "int".into())]),
        );
        after.columns.insert("eb_events".into(), BTreeMap::new());
        after.indexes.insert(("eb_events".into(), "PRIMARY".into()));
        let r = diff(Dialect::MySql, &before, &after);
        assert_eq!(r.tables_created, ["eb_events"]);
        assert_eq!(r.columns_added, ["eb_jobs_live.status"]);
        assert!(r.indexes_added.is_empty());
        assert_eq!(r.changes(), 2);
        assert_eq!(diff(Dialect::MySql, &after, &after).changes(), 0);
    }
}
