//! Input and output: the scenario format (TOML/JSON, the contract of `docs/scenario.md`),
//! the regimen shorthand, and plots.
//!
//! - [`scenario`]: schema, strict parsing with field paths, and the building of a model, a
//!   regimen, a population and titration rules from it.
//! - [`shorthand`]: `"testosterone_cypionate 200 mg im every 14 d x 8"`.
//! - `plot` (feature `plot`): SVG figures of trajectories, comparisons and cohort bands.
//!
//! The top layer of the library: it depends on everything below and nothing depends on it
//! but the CLI.

#[cfg(feature = "plot")]
pub mod plot;
pub mod scenario;
pub mod shorthand;
