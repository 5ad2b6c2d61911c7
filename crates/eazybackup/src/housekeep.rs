//! `eazybackup housekeep`: one pass of the bounded pruning in `db::retention` (the worker runs the
//! same pass hourly), printed as one line per table. Exit 0 when the pass completed, 1 when a
//! delete failed (the batches already removed stay removed: each is its own statement).

use std::io::Write;

use crate::config::Config;
use crate::db::Db;
use crate::db::retention::{self, Policy, PruneReport};

#[derive(clap::Args, Debug)]
pub struct HousekeepArgs {
    /// Rows per delete statement (default `EB_HOUSEKEEP_BATCH`, else 5000).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub batch: Option<u32>,
}

pub async fn run_cli(config: &Config, args: HousekeepArgs) -> anyhow::Result<()> {
    // Tables are shared by every profile: one pass at a time for the whole database.
    let _lock = crate::instance_lock::acquire(&config.lock_dir, "housekeep", "all")?;
    let db = Db::connect(&config.db).await?;
    let policy = Policy { batch: args.batch.unwrap_or(config.housekeep.batch), ..config.housekeep };
    let run = crate::runs::start(&db, "housekeep", "").await;
    let outcome = retention::prune(&db, &policy, chrono::Utc::now().timestamp()).await.map_err(anyhow::Error::from);
    let summary = match &outcome {
        Ok(report) => {
            print_report(&mut std::io::stdout().lock(), &policy, report)?;
            format!("housekeep: removed {} rows in total", report.total_rows())
        }
        Err(_) => String::new(),
    };
    run.finish_with(&outcome, &summary).await;
    outcome.map(|_| ())
}

/// `<table>: removed N rows in B batches` per table, then a total; a table the policy keeps forever
/// says so.
pub fn print_report(out: &mut impl Write, policy: &Policy, report: &PruneReport) -> std::io::Result<()> {
    for (table, removed) in report.tables() {
        let kept_forever =
            (table == "comet_jobs" && policy.job_history_days == 0) || (table == "eb_audit_log" && policy.audit_days == 0);
        if kept_forever {
            writeln!(out, "{table}: kept (retention 0 = forever)")?;
        } else {
            writeln!(out, "{table}: removed {} rows in {} batches", removed.rows, removed.batches)?;
        }
    }
    writeln!(out, "housekeep: removed {} rows in total (batch size {})", report.total_rows(), policy.batch)
}
