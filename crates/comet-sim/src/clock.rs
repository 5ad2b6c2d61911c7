//! Injectable clocks: every timestamp the simulator writes (jobs, events, profiles) and every
//! simulated duration (job runs, retries, schedules) comes from one clock.
//!
//! `SimConfig.clock` is the *base* clock (the machine clock, or a `ManualClock` in tests). The
//! simulator runs a [`ControlledClock`] over it, so time can be advanced and accelerated while it
//! runs (`POST /__sim/clock`, `SimHandle::advance`, `SimHandle::set_time_scale`).

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

/// Largest accepted time scale: one simulated day per wall-clock ~9 s. Beyond that a tick
/// (100 ms–1 s) spans more than most jobs last, and schedules stop making sense.
pub const MAX_TIME_SCALE: f64 = 10_000.0;
/// Largest accepted single advance: one year.
pub const MAX_ADVANCE_SECS: f64 = 366.0 * 86_400.0;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClockError {
    #[error("time_scale must be a number > 0 and <= {MAX_TIME_SCALE}, got {0}")]
    BadScale(f64),
    #[error("advance_secs must be a number >= 0 and <= {MAX_ADVANCE_SECS} (time only moves forward), got {0}")]
    BadAdvance(f64),
    #[error("this clock cannot be {0}")]
    Unsupported(&'static str),
}

pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Unix seconds, UTC.
    fn now(&self) -> i64;
    /// Unix seconds with a fraction, for progress and durations shorter than a second.
    fn now_f64(&self) -> f64 {
        self.now() as f64
    }
    /// Simulated seconds per second of the base clock (1.0 for the plain clocks).
    fn time_scale(&self) -> f64 {
        1.0
    }
    /// Moves the clock forward by `secs`.
    fn advance_by(&self, _secs: f64) -> Result<(), ClockError> {
        Err(ClockError::Unsupported("advanced"))
    }
    /// Changes how fast the clock runs.
    fn set_time_scale(&self, _scale: f64) -> Result<(), ClockError> {
        Err(ClockError::Unsupported("accelerated"))
    }
}

/// The machine clock.
#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        self.now_f64().floor() as i64
    }
    fn now_f64(&self) -> f64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0)
    }
}

/// A clock tests move by hand.
#[derive(Debug)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn new(start: i64) -> Self {
        Self(AtomicI64::new(start))
    }
    pub fn set(&self, t: i64) {
        self.0.store(t, Ordering::SeqCst);
    }
    pub fn advance(&self, secs: i64) {
        self.0.fetch_add(secs, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
    fn advance_by(&self, secs: f64) -> Result<(), ClockError> {
        check_advance(secs)?;
        self.advance(secs.round() as i64);
        Ok(())
    }
}

/// `Ok` for a finite forward advance of at most `MAX_ADVANCE_SECS`.
pub fn check_advance(secs: f64) -> Result<(), ClockError> {
    if secs.is_finite() && (0.0..=MAX_ADVANCE_SECS).contains(&secs) { Ok(()) } else { Err(ClockError::BadAdvance(secs)) }
}

/// `Ok` for a finite scale in (0, `MAX_TIME_SCALE`].
pub fn check_scale(scale: f64) -> Result<(), ClockError> {
    if scale.is_finite() && scale > 0.0 && scale <= MAX_TIME_SCALE { Ok(()) } else { Err(ClockError::BadScale(scale)) }
}

/// Simulated time = base clock × scale + offset, with scale and offset changeable at runtime.
///
/// Changing the scale re-anchors at the current instant, so simulated time never jumps when
/// the speed changes; it also never runs backwards, even if the base clock does (NTP steps).
#[derive(Debug)]
pub struct ControlledClock {
    base: Arc<dyn Clock>,
    state: Mutex<Anchor>,
}

#[derive(Debug)]
struct Anchor {
    /// Base-clock reading at the last re-anchor.
    base_at: f64,
    /// Simulated time at the last re-anchor.
    sim_at: f64,
    scale: f64,
    /// Latest value handed out: the floor for the next one.
    last: f64,
}

impl Anchor {
    fn now(&mut self, base_now: f64) -> f64 {
        let t = (self.sim_at + (base_now - self.base_at) * self.scale).max(self.last);
        self.last = t;
        t
    }
}

impl ControlledClock {
    /// Starts at the base clock's current time, running `scale` times as fast.
    pub fn new(base: Arc<dyn Clock>, scale: f64) -> Result<Self, ClockError> {
        check_scale(scale)?;
        Ok(Self::new_or_normal_speed(base, scale))
    }

    /// Like `new`, but an invalid scale (a bad `SimConfig.time_scale`) runs at 1.0 with a warning.
    pub fn new_or_normal_speed(base: Arc<dyn Clock>, scale: f64) -> Self {
        let scale = match check_scale(scale) {
            Ok(()) => scale,
            Err(e) => {
                tracing::warn!(error = %e, "running the simulated clock at 1.0");
                1.0
            }
        };
        let now = base.now_f64();
        Self { base, state: Mutex::new(Anchor { base_at: now, sim_at: now, scale, last: now }) }
    }

    /// Over the machine clock.
    pub fn system(scale: f64) -> Result<Self, ClockError> {
        Self::new(Arc::new(SystemClock), scale)
    }

    fn anchor(&self) -> std::sync::MutexGuard<'_, Anchor> {
        // The anchor is plain numbers: a poisoned lock still holds a usable value.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Clock for ControlledClock {
    fn now(&self) -> i64 {
        self.now_f64().floor() as i64
    }
    fn now_f64(&self) -> f64 {
        let base_now = self.base.now_f64();
        self.anchor().now(base_now)
    }
    fn time_scale(&self) -> f64 {
        self.anchor().scale
    }
    fn advance_by(&self, secs: f64) -> Result<(), ClockError> {
        check_advance(secs)?;
        let base_now = self.base.now_f64();
        let mut a = self.anchor();
        let now = a.now(base_now);
        a.base_at = base_now;
        a.sim_at = now + secs;
        a.last = a.sim_at;
        Ok(())
    }
    fn set_time_scale(&self, scale: f64) -> Result<(), ClockError> {
        check_scale(scale)?;
        let base_now = self.base.now_f64();
        let mut a = self.anchor();
        let now = a.now(base_now);
        a.base_at = base_now;
        a.sim_at = now;
        a.scale = scale;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn over_manual(scale: f64) -> (Arc<ManualClock>, ControlledClock) {
        let base = Arc::new(ManualClock::new(1_000));
        let clock = ControlledClock::new(base.clone(), scale).expect("valid scale");
        (base, clock)
    }

    #[test]
    fn scales_the_base_clock_and_adds_the_offset() {
        let (base, clock) = over_manual(3.0);
        base.advance(10);
        assert_eq!(clock.now(), 1_030);
        clock.advance_by(100.0).expect("valid advance");
        assert_eq!(clock.now(), 1_130);
        base.advance(1);
        assert_eq!(clock.now(), 1_133);
    }

    #[test]
    fn changing_the_scale_does_not_jump() {
        let (base, clock) = over_manual(2.0);
        base.advance(5);
        assert_eq!(clock.now(), 1_010);
        clock.set_time_scale(10.0).expect("valid scale");
        assert_eq!(clock.now(), 1_010);
        assert_eq!(clock.time_scale(), 10.0);
        base.advance(2);
        assert_eq!(clock.now(), 1_030);
    }

    #[test]
    fn never_runs_backwards_when_the_base_does() {
        let (base, clock) = over_manual(1.0);
        base.advance(50);
        assert_eq!(clock.now(), 1_050);
        base.set(900);
        assert_eq!(clock.now(), 1_050);
    }

    #[test]
    fn rejects_bad_scales_and_backward_or_huge_advances() {
        let (_, clock) = over_manual(1.0);
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, MAX_TIME_SCALE * 2.0] {
            assert!(matches!(clock.set_time_scale(bad), Err(ClockError::BadScale(_))), "{bad}");
        }
        for bad in [-1.0, f64::NAN, MAX_ADVANCE_SECS + 1.0] {
            assert!(matches!(clock.advance_by(bad), Err(ClockError::BadAdvance(_))), "{bad}");
        }
        assert!(ControlledClock::system(0.0).is_err());
        assert_eq!(clock.now(), 1_000);
    }

    #[test]
    fn manual_clock_advances_but_cannot_be_accelerated() {
        let clock = ManualClock::new(10);
        Clock::advance_by(&clock, 5.0).expect("valid advance");
        assert_eq!(clock.now(), 15);
        assert!(matches!(clock.set_time_scale(2.0), Err(ClockError::Unsupported(_))));
    }
}
