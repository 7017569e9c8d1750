//! # endocrine
//!
//! Endocrine feedback axes as ODE systems with drug dosing, for research and education.
//! **Not medical advice**: nothing here is fit to guide the treatment of a person.
//!
//! The four concerns are four types: a [`Model`] (equations and parameters), a
//! [`Regimen`] (what is given when), [`SimOptions`] (how to integrate and what to output)
//! and the resulting [`Trajectory`]. [`simulate`] borrows the first three and returns the
//! fourth.
#![warn(missing_docs)]

pub mod axes;
pub mod cohort;
pub mod drugs;
mod error;
pub mod labs;
pub mod model;
mod options;
#[cfg(feature = "plot")]
pub mod plot;
pub mod reference;
mod regimen;
pub mod scenario;
pub mod shorthand;
mod simulate;
mod solver;
pub mod steady_state;
mod trajectory;
pub mod units;
pub mod validation;

pub use error::{Error, Result};
pub use model::{Channel, DoseTarget, Effects, Model, Observable, PkFactors, Route};
pub use options::{Method, SimOptions, MAX_DURATION_H, MAX_ROWS};
pub use regimen::{Administration, Dose, Procedure, Regimen, MAX_DOSE_EVENTS};
pub use simulate::{simulate, simulate_from};
pub use trajectory::{AppliedEvent, Outcome, RowKind, SolverStats, Trajectory};
pub use units::{Amount, AmountKind};

/// The README's code runs as a doctest, so the front page cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
