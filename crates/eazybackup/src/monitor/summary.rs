//! What one sweep of one profile did: the operator's one line, and the exit status.

use std::fmt::Write;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub profile: String,
    pub dry_run: bool,
    /// Candidates looked at.
    pub checked: u64,
    /// Their bytes or heartbeat had moved: progress recorded, nothing else.
    pub progressing: u64,
    /// Cancels the device confirmed (in a dry run: cancels that would be requested).
    pub cancelled: u64,
    /// Abandons that took (in a dry run: abandons that would be requested without a cancel).
    pub abandoned: u64,
    /// Jobs written as ended (recent table, history, out of live, `job:end`).
    pub finalised: u64,
    /// Failures: a Comet call or read that failed, a job the database refused.
    pub errors: u64,
    /// Admin API calls made (the benchmark's figure).
    pub comet_calls: u64,
    /// SQL statements run (the benchmark's figure).
    pub statements: u64,
}

impl Summary {
    pub fn new(profile: &str, dry_run: bool) -> Summary {
        Summary { profile: profile.to_string(), dry_run, ..Default::default() }
    }

    /// Nothing failed.
    pub fn ok(&self) -> bool {
        self.errors == 0
    }

    /// `monitor eazybackup: checked 3, progressing 1, cancelled 1, abandoned 1, finalised 3, errors 0`
    pub fn line(&self) -> String {
        let mut line = format!("monitor {}", self.profile);
        if self.dry_run {
            let _ = write!(
                line,
                " (dry run, nothing changed): checked {}, progressing {}, would cancel {}, would abandon {}, would finalise {}, errors {}",
                self.checked, self.progressing, self.cancelled, self.abandoned, self.finalised, self.errors
            );
        } else {
            let _ = write!(
                line,
                ": checked {}, progressing {}, cancelled {}, abandoned {}, finalised {}, errors {}",
                self.checked, self.progressing, self.cancelled, self.abandoned, self.finalised, self.errors
            );
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_names_every_count_and_says_when_nothing_changed() {
        let s = Summary { checked: 3, progressing: 1, cancelled: 1, abandoned: 1, finalised: 3, ..Summary::new("obc", false) };
        assert_eq!(s.line(), "monitor obc: checked 3, progressing 1, cancelled 1, abandoned 1, finalised 3, errors 0");
        assert!(s.ok());
        let d = Summary { checked: 2, cancelled: 1, errors: 1, ..Summary::new("obc", true) };
        assert!(d.line().starts_with("monitor obc (dry run, nothing changed): checked 2"), "{}", d.line());
        assert!(!d.ok());
    }
}
