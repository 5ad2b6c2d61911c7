//! What a candidate is, given Comet's view of it: no I/O, so every rule is unit-tested.

use comet::{BackupJobDetail, CometError};

use crate::db::jobs::JobProgress;
use crate::monitor::candidates::Candidate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Comet says it ended (an admin's cancel in the web UI, a missed event): finalise it.
    Finished,
    /// Its bytes or its heartbeat moved since we last recorded them: record that, nothing else.
    Moving,
    /// Nothing moved. `cancellable`: it has a `CancellationID` (only such jobs can be cancelled).
    Stalled { cancellable: bool },
}

pub fn judge(candidate: &Candidate, job: &BackupJobDetail) -> Verdict {
    if job.is_finished() {
        return Verdict::Finished;
    }
    let now = JobProgress::from_job(job);
    if now.progress_counter != candidate.progress_counter || now.bytes_done != candidate.bytes_done {
        return Verdict::Moving;
    }
    Verdict::Stalled { cancellable: !job.cancellation_id.is_empty() }
}

/// A failure worth trying again at the next sweep without counting an attempt: the network, or an
/// HTTP 5xx that is not Comet's own answer (a proxy, a restart). Comet's own error message (e.g.
/// "device is not connected" for a cancel) is an answer, not a transient.
pub fn is_transient(e: &CometError) -> bool {
    matches!(e, CometError::Transport(_)) || matches!(e, CometError::Http { status, .. } if *status >= 500)
}

#[cfg(test)]
mod tests {
    use super::*;
    use comet::{BackupJobProgress, JobStatus};

    fn candidate(counter: i64, bytes: i64) -> Candidate {
        Candidate { job_id: "j".into(), username: "u".into(), progress_counter: counter, bytes_done: bytes, attempts: 0 }
    }

    fn job(status: u64, counter: i64, bytes: i64, cancellation: &str) -> BackupJobDetail {
        BackupJobDetail {
            guid: "j".into(),
            status: JobStatus(status),
            cancellation_id: cancellation.into(),
            progress: Some(BackupJobProgress { counter, bytes_done: bytes, ..Default::default() }),
            ..Default::default()
        }
    }

    #[test]
    fn a_terminal_job_is_finished_whatever_its_progress() {
        assert_eq!(judge(&candidate(1, 1), &job(7005, 9, 9, "")), Verdict::Finished);
        // A 6xxx job with an end time is treated as finished, as the worker does.
        let mut odd = job(6001, 1, 1, "c");
        odd.end_time = 5;
        assert_eq!(judge(&candidate(1, 1), &odd), Verdict::Finished);
    }

    #[test]
    fn a_heartbeat_alone_is_movement() {
        assert_eq!(judge(&candidate(3, 100), &job(6001, 4, 100, "c")), Verdict::Moving, "bytes flat, counter moved");
        assert_eq!(judge(&candidate(3, 100), &job(6001, 3, 150, "c")), Verdict::Moving, "bytes moved");
    }

    #[test]
    fn nothing_moved_is_stalled_and_cancellable_only_with_a_cancellation_id() {
        assert_eq!(judge(&candidate(3, 100), &job(6001, 3, 100, "c")), Verdict::Stalled { cancellable: true });
        assert_eq!(judge(&candidate(3, 100), &job(6001, 3, 100, "")), Verdict::Stalled { cancellable: false });
    }

    #[test]
    fn only_network_and_foreign_5xx_are_transient() {
        assert!(is_transient(&CometError::Http { status: 503, body_excerpt: "bad gateway".into() }));
        assert!(!is_transient(&CometError::Http { status: 404, body_excerpt: String::new() }));
        assert!(!is_transient(&CometError::Api { status: 500, message: "device is not connected".into() }));
    }
}
