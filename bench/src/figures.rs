//! What the `api` and `sse` benchmarks measure with: percentiles, a process's CPU time and
//! resident memory (from `/proc`), the machine's load, and the results file.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::Value;

/// Samples (milliseconds), sorted once for reading percentiles.
#[derive(Debug, Default, Clone)]
pub struct Samples {
    sorted: Vec<f64>,
}

impl Samples {
    pub fn new(mut values: Vec<f64>) -> Samples {
        values.sort_by(f64::total_cmp);
        Samples { sorted: values }
    }

    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    /// The `q` quantile (nearest rank), 0 when empty.
    pub fn p(&self, q: f64) -> f64 {
        if self.sorted.is_empty() {
            return 0.0;
        }
        let i = ((self.sorted.len() as f64 - 1.0) * q).round() as usize;
        self.sorted[i.min(self.sorted.len() - 1)]
    }

    pub fn max(&self) -> f64 {
        self.sorted.last().copied().unwrap_or(0.0)
    }
}

/// CPU seconds (user + system) `pid` has used so far, from `/proc/<pid>/stat`.
pub fn cpu_seconds(pid: u32) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).context("reading /proc/<pid>/stat")?;
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    let ticks: f64 = fields.get(11..13).unwrap_or(&[]).iter().filter_map(|f| f.parse::<f64>().ok()).sum();
    Ok(ticks / clock_ticks_per_second())
}

/// `sysconf(_SC_CLK_TCK)`: 100 on every Linux we run on (the kernel's USER_HZ).
fn clock_ticks_per_second() -> f64 {
    100.0
}

/// Resident memory of `pid` in bytes (`VmRSS` of `/proc/<pid>/status`).
pub fn rss_bytes(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).context("reading /proc/<pid>/status")?;
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse::<u64>().ok())
        .context("no VmRSS line")?;
    Ok(kb * 1024)
}

/// The 1-minute load average (other engineers share the machine: every result records it).
pub fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(0.0)
}

/// `bench/results/<name>.json`, next to this crate whatever the working directory.
pub fn results_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("results").join(format!("{name}.json"))
}

/// Writes the run's figures with the machine and the time they came from.
pub fn write_results(name: &str, mut body: Value) -> anyhow::Result<PathBuf> {
    let path = results_path(name);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    if let Value::Object(map) = &mut body {
        map.insert("date".into(), chrono::Utc::now().to_rfc3339().into());
        map.insert("machine".into(), machine());
    }
    std::fs::write(&path, serde_json::to_string_pretty(&body)? + "\n")?;
    Ok(path)
}

fn machine() -> Value {
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| l.strip_prefix("model name").map(|v| v.trim_start_matches([' ', '\t', ':']).to_string()))
        })
        .unwrap_or_default();
    serde_json::json!({ "cpus": cpus, "cpu_model": model, "load_average_1m_at_end": load_average() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let s = Samples::new((1..=100).map(f64::from).rev().collect());
        assert_eq!(s.p(0.5), 51.0);
        assert_eq!(s.p(0.99), 99.0);
        assert_eq!(s.max(), 100.0);
        assert_eq!(Samples::default().p(0.5), 0.0);
    }

    #[test]
    fn this_process_has_cpu_time_and_memory() {
        let me = std::process::id();
        // Spin until the kernel has charged at least one tick (10 ms), for at most 5 s.
        let start = std::time::Instant::now();
        let mut spin = 0u64;
        while cpu_seconds(me).unwrap() == 0.0 && start.elapsed() < std::time::Duration::from_secs(5) {
            spin = (0..100_000u64).fold(spin, |a, b| std::hint::black_box(a.wrapping_add(b * b)));
        }
        assert!(cpu_seconds(me).unwrap() > 0.0);
        assert!(rss_bytes(me).unwrap() > 1024 * 1024);
    }
}
