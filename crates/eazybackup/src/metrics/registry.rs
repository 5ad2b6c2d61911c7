//! The API's request figures (counts by operation, method and status; latency histogram by
//! operation), kept in memory and rendered as Prometheus text. A handful of operations and
//! statuses make a small map behind one mutex; a request holds it for one increment.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
pub const BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Debug, Default)]
struct Latency {
    /// Observations at or below each bound of [`BUCKETS`] (not cumulative; summed when rendered).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Debug, Default)]
struct Figures {
    /// (operation, method, status) → requests.
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<String, Latency>,
}

/// Shared by every request of one `serve` process.
#[derive(Debug, Clone, Default)]
pub struct ApiMetrics {
    inner: Arc<Mutex<Figures>>,
}

impl ApiMetrics {
    pub fn record(&self, operation: &str, method: &str, status: u16, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        let mut f = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        *f.requests.entry((operation.to_string(), method.to_string(), status)).or_default() += 1;
        let l = f.latency.entry(operation.to_string()).or_default();
        if let Some(i) = BUCKETS.iter().position(|b| secs <= *b) {
            l.buckets[i] += 1;
        }
        l.count += 1;
        l.sum += secs;
    }

    /// `eb_api_requests_total` and `eb_api_request_duration_seconds` in the text format.
    pub fn render(&self, out: &mut String) {
        let f = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let _ = writeln!(out, "# HELP eb_api_requests_total Customer API requests by operation, method and status.");
        let _ = writeln!(out, "# TYPE eb_api_requests_total counter");
        for ((op, method, status), n) in &f.requests {
            let _ = writeln!(
                out,
                "eb_api_requests_total{{operation=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                label(op),
                label(method)
            );
        }
        let _ = writeln!(out, "# HELP eb_api_request_duration_seconds Customer API response time by operation.");
        let _ = writeln!(out, "# TYPE eb_api_request_duration_seconds histogram");
        for (op, l) in &f.latency {
            let op = label(op);
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(l.buckets) {
                cumulative += n;
                let _ = writeln!(out, "eb_api_request_duration_seconds_bucket{{operation=\"{op}\",le=\"{bound}\"}} {cumulative}");
            }
            let _ = writeln!(out, "eb_api_request_duration_seconds_bucket{{operation=\"{op}\",le=\"+Inf\"}} {}", l.count);
            let _ = writeln!(out, "eb_api_request_duration_seconds_sum{{operation=\"{op}\"}} {}", l.sum);
            let _ = writeln!(out, "eb_api_request_duration_seconds_count{{operation=\"{op}\"}} {}", l.count);
        }
    }
}

/// A label value escaped as the text format requires (backslash, quote, newline).
pub fn label(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative_and_labels_escaped() {
        let m = ApiMetrics::default();
        m.record("getOverview", "GET", 200, Duration::from_millis(3));
        m.record("getOverview", "GET", 200, Duration::from_millis(30));
        m.record("getOverview", "GET", 404, Duration::from_secs(60));
        let mut out = String::new();
        m.render(&mut out);
        assert!(out.contains("eb_api_requests_total{operation=\"getOverview\",method=\"GET\",status=\"200\"} 2\n"), "{out}");
        assert!(out.contains("eb_api_request_duration_seconds_bucket{operation=\"getOverview\",le=\"0.005\"} 1\n"), "{out}");
        assert!(out.contains("eb_api_request_duration_seconds_bucket{operation=\"getOverview\",le=\"0.05\"} 2\n"), "{out}");
        assert!(out.contains("eb_api_request_duration_seconds_bucket{operation=\"getOverview\",le=\"+Inf\"} 3\n"), "{out}");
        assert_eq!(label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
