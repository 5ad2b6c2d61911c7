//! `eazybackup rollup devices|items [--date D | --from D --to D] [--force]`: the nightly snapshots
//! that replace `rollup_devices_daily.php` and `rollup_items_daily.php`.
//!
//! Each day is one transaction: the seed's fleet row (`eb_devices_daily` / `eb_items_daily`, what
//! the provider bills from) and the per-account rows of `eb_client_daily` (the customer
//! dashboard's trends). A day already rolled up is immutable: running it again prints `kept` and
//! changes nothing, unless `--force`. The counting rules are written next to their code in
//! [`devices`] and [`items`]; the day boundaries in [`dates`].
//!
//! Output: one line per day on standard output; a range shows a progress bar on a terminal and
//! nothing else on standard error under systemd. Exit 0 when every day was written or kept, 1 when
//! a day failed (the days before it stay written), 2 for a bad date range.

pub mod dates;
pub mod devices;
pub mod items;
pub mod write;

use std::io::IsTerminal;

use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::db::{Db, DbError};
use write::{ClientFigures, Part, Written};

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// `eb_devices_daily`: registered devices and devices active in the last 24 hours.
    Devices,
    /// `eb_items_daily`: Disk Image devices, Hyper-V VMs, VMware VMs, Microsoft 365 users, Files and Folders items.
    Items,
}

impl Which {
    pub fn name(self) -> &'static str {
        match self {
            Which::Devices => "devices",
            Which::Items => "items",
        }
    }

    fn part(self) -> &'static Part {
        match self {
            Which::Devices => &devices::PART,
            Which::Items => &items::PART,
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct RollupArgs {
    /// Which snapshot to take.
    #[arg(value_enum)]
    pub which: Which,
    /// The day (YYYY-MM-DD, UTC); default today.
    #[arg(long)]
    pub date: Option<NaiveDate>,
    /// First day of a backfill (with --to).
    #[arg(long)]
    pub from: Option<NaiveDate>,
    /// Last day of a backfill, inclusive (with --from).
    #[arg(long)]
    pub to: Option<NaiveDate>,
    /// Rewrite days already rolled up (otherwise they are kept as they are).
    #[arg(long)]
    pub force: bool,
}

/// A bad `--date/--from/--to` (exit 2, like any usage error).
#[derive(Debug, thiserror::Error)]
#[error("rollup: {0}")]
pub struct UsageError(#[from] pub dates::RangeError);

/// One day's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayReport {
    pub day: NaiveDate,
    pub written: Written,
    /// The fleet figures written, in `Part::fleet_columns` order (empty when kept).
    pub fleet: Vec<i64>,
    pub accounts: usize,
}

impl DayReport {
    pub fn line(&self, which: Which) -> String {
        match self.written {
            Written::Kept => format!("rollup {} {}: kept (already rolled up; --force rewrites it)", which.name(), self.day),
            Written::Written => {
                let figures: Vec<String> =
                    which.part().fleet_columns.iter().zip(&self.fleet).map(|(c, v)| format!("{c} {v}")).collect();
                format!("rollup {} {}: {} ({} accounts)", which.name(), self.day, figures.join(", "), self.accounts)
            }
        }
    }
}

/// Rolls up one day (computes it only when it will be written).
pub async fn rollup_day(db: &Db, which: Which, day: NaiveDate, now: i64, force: bool) -> Result<DayReport, DbError> {
    let part = which.part();
    if !force && write::exists(db, part, day).await? {
        return Ok(DayReport { day, written: Written::Kept, fleet: Vec::new(), accounts: 0 });
    }
    let (fleet, clients): (Vec<i64>, Vec<ClientFigures>) = match which {
        Which::Devices => {
            let d = devices::compute(db, day, now).await?;
            (d.fleet().to_vec(), d.clients)
        }
        Which::Items => {
            let d = items::compute(db, day, now).await?;
            (d.fleet().to_vec(), d.clients)
        }
    };
    let written = write::write_day(db, part, day, &fleet, &clients, force).await?;
    let fleet = if written == Written::Kept { Vec::new() } else { fleet };
    Ok(DayReport { day, written, fleet, accounts: clients.len() })
}

pub async fn run_cli(config: &Config, args: RollupArgs) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    let days = dates::days(args.date, args.from, args.to, now.date_naive()).map_err(UsageError)?;
    // The tables are shared by every profile: one run of each rollup at a time.
    let _lock = crate::instance_lock::acquire(&config.lock_dir, &format!("rollup-{}", args.which.name()), "all")?;
    let db = Db::connect(&config.db).await?;
    let run = crate::runs::start(&db, &format!("rollup-{}", args.which.name()), "").await;
    let outcome = rollup_days(&db, args.which, &days, now.timestamp(), args.force).await;
    let summary = match &outcome {
        Ok((written, kept)) => format!("rollup {}: {written} days written, {kept} kept", args.which.name()),
        Err(_) => String::new(),
    };
    if days.len() > 1 && outcome.is_ok() {
        println!("{summary}");
    }
    run.finish_with(&outcome, &summary).await;
    outcome.map(|_| ())
}

/// Every day in order; stops at the first failure. Returns (written, kept).
async fn rollup_days(db: &Db, which: Which, days: &[NaiveDate], now: i64, force: bool) -> anyhow::Result<(usize, usize)> {
    let bar = (days.len() > 1 && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(days.len() as u64);
        if let Ok(style) = ProgressStyle::with_template("rollup {prefix} [{bar:30}] {pos}/{len} {msg}") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(which.name());
        bar
    });
    let (mut written, mut kept) = (0, 0);
    for day in days {
        if let Some(bar) = &bar {
            bar.set_message(day.to_string());
        }
        let report =
            rollup_day(db, which, *day, now, force).await.map_err(|e| anyhow::anyhow!("rollup {} {day}: {e}", which.name()))?;
        match report.written {
            Written::Written => written += 1,
            Written::Kept => kept += 1,
        }
        match &bar {
            Some(bar) => {
                bar.println(report.line(which));
                bar.inc(1);
            }
            None => println!("{}", report.line(which)),
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok((written, kept))
}
