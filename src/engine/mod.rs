//! The engine: everything that turns a model and a regimen into a trajectory, and knows
//! nothing of any particular hormone.
//!
//! - [`model`]: the [`Model`] trait, effect [`Channel`]s, routes and dose targets.
//! - [`regimen`]: [`Dose`], [`Procedure`], [`Regimen`] and their expansion into breakpoints.
//! - [`options`]: [`SimOptions`] and [`Method`].
//! - [`simulate`](mod@simulate): the segment loop (integrate between breakpoints, jump at each bolus,
//!   restart from the solver's exact end state).
//! - `solver` (private): the only module that imports the ODE crate.
//! - [`steady_state`]: periodic steady state of a repeating regimen.
//! - [`trajectory`]: the result type with its rows, events, solver statistics and outcome.
//! - [`units`]: amounts, unit conversions and the parsing of `"100 mg"`, `"7 d"`; a leaf that
//!   every layer uses.
//! - [`reference`](mod@reference): models with closed-form answers for tests, benches and examples.
//!
//! The engine reads one thing from the physiology layer: the drug registry
//! ([`crate::physiology::drugs::find`]), to turn a dose's drug name into its PK states.

pub mod model;
pub mod options;
pub mod reference;
pub mod regimen;
pub mod simulate;
mod solver;
pub mod steady_state;
pub mod trajectory;
pub mod units;

pub use model::{Channel, DoseTarget, Effects, Model, Observable, PkFactors, Route};
pub use options::{Method, SimOptions, COHORT_RTOL, MAX_DURATION_H, MAX_ROWS};
pub use regimen::{Administration, Dose, Procedure, Regimen, MAX_DOSE_EVENTS};
pub use simulate::{check, simulate, simulate_from};
pub use trajectory::{AppliedEvent, Outcome, RowKind, SolverStats, Trajectory};
pub use units::{Amount, AmountKind};
