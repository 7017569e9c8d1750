//! The clinic: what is done with simulations of people. Labs drawn with assay error,
//! cohorts with inter-individual variability, dose titration on measured labs, and the
//! validation table against published trial outcomes.
//!
//! - [`labs`]: assays, published imprecision, seeded draws kept apart from the true value.
//! - [`cohort`]: log-normal variability and covariates, parallel runs, percentiles.
//! - [`titration`]: label dose-adjustment rules acting on measured labs, every decision logged.
//! - [`fit`]: a patient's measured labs and the population priors give his individual
//!   parameters (MAP, Laplace posterior, 95 % intervals).
//! - [`propose`]: the regimen on the product's dose ladder most likely to keep every target
//!   window at steady state.
//! - [`precision_study`]: the simulation–estimation study of `docs/precision.md`.
//! - [`validation`]: the rows of `validation/targets.toml`, simulated and judged.
//!
//! Depends on the engine and the physiology; knows no file format.

pub mod cohort;
pub mod fit;
pub mod labs;
pub mod precision_study;
pub mod propose;
pub mod titration;
pub mod validation;
