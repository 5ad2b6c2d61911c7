//! Comet simulator.
