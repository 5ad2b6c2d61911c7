//! Jittered exponential reconnect delays: many workers restarting together must not reconnect in
//! lock-step, and a flapping server must not be hammered.

use std::time::Duration;

use rand::Rng;

pub struct Backoff {
    attempt: u32,
    base: Duration,
    max: Duration,
}

impl Backoff {
    pub fn new(base: Duration, max: Duration) -> Backoff {
        Backoff { attempt: 0, base, max }
    }

    /// The delay before the next attempt: `base * 2^attempt` capped at `max`, then a random
    /// value between half of it and all of it ("equal jitter").
    pub fn next_delay(&mut self) -> Duration {
        let exp = self.base.saturating_mul(1u32 << self.attempt.min(16));
        let capped = exp.min(self.max);
        self.attempt = self.attempt.saturating_add(1);
        let half = capped / 2;
        let jitter_ms = rand::rng().random_range(0..=half.as_millis().max(1) as u64);
        half + Duration::from_millis(jitter_ms)
    }

    /// Called once a connection proved healthy.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_stay_capped_and_reset() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(60));
        let first = b.next_delay();
        assert!(first >= Duration::from_millis(500) && first <= Duration::from_secs(1));
        for _ in 0..20 {
            let d = b.next_delay();
            assert!(d <= Duration::from_secs(60), "{d:?} exceeds the cap");
        }
        assert!(b.next_delay() >= Duration::from_secs(30), "capped delays keep at least half the cap");
        b.reset();
        assert!(b.next_delay() <= Duration::from_secs(1));
    }
}
