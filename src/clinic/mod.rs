//! The clinic: what is done with simulations of people. Labs drawn with assay error,
//! cohorts with inter-individual variability, dose titration on measured labs, and the
//! validation table against published trial outcomes.
//!
//! - [`labs`]: assays, published imprecision, seeded draws kept apart from the true value.
//! - [`cohort`]: log-normal variability and covariates, parallel runs, percentiles.
//! - [`titration`]: label dose-adjustment rules acting on measured labs, every decision logged.
//! - [`validation`]: the rows of `validation/targets.toml`, simulated and judged.
//!
//! Depends on the engine and the physiology; knows no file format.

pub mod cohort;
pub mod labs;
pub mod titration;
pub mod validation;
