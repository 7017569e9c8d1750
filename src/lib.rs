//! # endocrine
//!
//! Endocrine feedback axes as ODE systems with drug dosing, for research and education.
//! **Not medical advice**: nothing here is fit to guide the treatment of a person.
//!
//! The four concerns are four types: a [`Model`] (equations and parameters), a
//! [`Regimen`] (what is given when), [`SimOptions`] (how to integrate and what to output)
//! and the resulting [`Trajectory`]. [`simulate`](fn@simulate) borrows the first three and returns the
//! fourth. This page walks through them in the order of a study.
//!
//! The source is grouped by concern, one folder each, dependencies pointing one way:
//! [`engine`] (model trait, regimen, options, the segment loop and the solver adapter,
//! steady state, trajectory), [`physiology`] (the axes and the drug registry), [`clinic`]
//! (labs, cohorts, titration, validation) and [`io`] (scenario files, shorthand, plots).
//! Every module is also reachable at its short path (`endocrine::axes`, `endocrine::scenario`,
//! ...). `docs/architecture.md` draws the picture and lists the files that adding a drug or
//! an axis touches.
//!
//! ## 1. Choose a subject
//!
//! The built-in axes live in [`axes`]: the male HPG axis ([`axes::hpg::Hpg`]), the HPA
//! axis ([`axes::hpa::Hpa`]) and the thyroid (HPT) axis ([`axes::hpt::Hpt`], THYROSIM). A subject is a parameter set: the healthy default, or one
//! calibrated to a person's baseline labs so that his untreated steady state reproduces them.
//!
//! ```
//! use endocrine::axes::hpg::{BaselineLabs, Hpg, HpgParams};
//!
//! let healthy = Hpg::healthy();
//! let labs = BaselineLabs { total_t_ng_dl: Some(205.0), lh_iu_l: Some(4.0), e2_pg_ml: Some(17.0), ..Default::default() };
//! let hypogonadal = Hpg::new(HpgParams::calibrated(&labs)?);
//! # let _ = (healthy, hypogonadal);
//! # Ok::<(), endocrine::Error>(())
//! ```
//!
//! ## 2. Write a regimen
//!
//! A [`Dose`] is a drug by a route, an [`Amount`] with its unit, a first time in hours and
//! optionally an interval and a count (the mrgsolve/NONMEM `ii`/`addl` convention) or an
//! infusion duration. Every constructor validates its input and returns a typed [`Error`].
//!
//! ```
//! use endocrine::{Amount, Dose, Regimen, Route};
//!
//! let clomiphene = Dose::new("clomiphene_citrate", Route::Oral, Amount::mg(25.0), 8.0)?.every(24.0, 90)?;
//! let regimen = Regimen::new().with(clomiphene);
//! assert_eq!(regimen.expand().len(), 90);
//! assert!(Dose::new("hcg", Route::Sc, Amount::iu(-500.0), 0.0).is_err());
//! # Ok::<(), endocrine::Error>(())
//! ```
//!
//! ## 3. Simulate and read the result
//!
//! ```
//! use endocrine::axes::hpg::{BaselineLabs, Hpg, HpgParams};
//! use endocrine::{simulate, Amount, Dose, Regimen, Route, SimOptions};
//!
//! let labs = BaselineLabs { total_t_ng_dl: Some(205.0), lh_iu_l: Some(4.0), e2_pg_ml: Some(17.0), ..Default::default() };
//! let man = Hpg::new(HpgParams::calibrated(&labs)?);
//! let regimen = Regimen::new().with(Dose::new("clomiphene_citrate", Route::Oral, Amount::mg(25.0), 8.0)?.every(24.0, 90)?);
//! let traj = simulate(&man, &regimen, &SimOptions::new(90.0 * 24.0, 24.0)?)?;
//! assert!(traj.outcome().is_completed());
//! // the SERM lifts testosterone through the loop
//! let t_end = traj.value_at("total_t_ng_dl", 89.0 * 24.0).unwrap();
//! assert!(t_end > 205.0 * 1.5);
//! // exposure summaries over a window: Cavg, Cmin, Cmax
//! let cavg = traj.mean_in("total_t_ng_dl", 60.0 * 24.0, 89.0 * 24.0).unwrap();
//! # let _ = cavg;
//! # Ok::<(), endocrine::Error>(())
//! ```
//!
//! A solver that stops early does not fail silently: [`Trajectory::outcome`] says where
//! and why, and [`Trajectory::stats`] reports the work done.
//!
//! ## 4. Draw labs, run cohorts, start at steady state
//!
//! - [`labs`]: what a clinic measures, with each assay's published imprecision, seeded,
//!   kept apart from the true value.
//! - [`cohort`]: many subjects with log-normal inter-individual variability, in parallel,
//!   identical for any thread count, summarised as percentiles.
//! - [`steady_state`]: start a repeating regimen on its periodic steady state (Newton on
//!   the one-interval map), or the HPA axis on its circadian cycle.
//! - [`shorthand`]: `"testosterone_cypionate 200 mg im every 14 d x 8"`.
//! - [`titration`]: dose-adjustment rules acting on *measured* labs (e.g. the AndroGel
//!   1.62 % label rule), every decision logged.
//!
//! ## 5. Scenario files and the command line
//!
//! [`scenario::Scenario`] reads the TOML/JSON format of `docs/scenario.md`; the `endocrine`
//! binary runs it (`run`, `check`, `drugs`, `cohort`, `compare`, `validate`). [`validation`]
//! compares the model with published trial outcomes.
//!
//! ## 6. A third axis, added the way you would add one: the thyroid
//!
//! The HPT axis (THYROSIM, Han et al. 2016) was added after the engine existed, without
//! touching the segment loop's logic: one model file, one drug file, registry lines and the
//! scenario's match arms (`docs/architecture.md` lists every file). The subject is a
//! parameter set, the drugs act through their own channels (`thyroxine_input`,
//! `triiodothyronine_input`), and the same engine, labs and titration rules work on it.
//!
//! ```
//! use endocrine::axes::hpt::Hpt;
//! use endocrine::{simulate, Amount, Dose, Regimen, Route, SimOptions};
//!
//! // an athyreotic patient (no residual thyroid function) on 112 ug levothyroxine daily
//! let patient = Hpt::athyreotic();
//! let lt4 = Dose::new("levothyroxine", Route::Oral, Amount::ug(112.0), 8.0)?.every(24.0, 70)?;
//! let traj = simulate(&patient, &Regimen::new().with(lt4), &SimOptions::new(70.0 * 24.0, 24.0)?)?;
//! assert!(traj.outcome().is_completed());
//! // without its gland, TSH is far above the 0.4-4.0 mIU/L range before the first tablet ...
//! let tsh_start = traj.value_at("tsh_miu_l", 0.0).unwrap();
//! // ... and the feedback loop brings it down as T4 accumulates (t1/2 ~7 d)
//! let tsh_10wk = traj.value_at("tsh_miu_l", 69.0 * 24.0).unwrap();
//! assert!(tsh_start > 4.0 && tsh_10wk < tsh_start / 2.0);
//! # Ok::<(), endocrine::Error>(())
//! ```
//!
//! ## 7. Bring your own model
//!
//! Implement [`Model`] (states, right-hand side, observables; see the [`model`] module for
//! a complete example) and the same engine doses it: boluses as jumps at breakpoints,
//! infusions as inputs held over a segment, restarts from the solver's exact end state.
//! Drugs of the registry ([`drugs`]) act on any model that reads their effect
//! [`Channel`]s.
#![warn(missing_docs)]

pub mod clinic;
pub mod engine;
mod error;
pub mod io;
pub mod physiology;

pub use error::{one_line, Error, Result};

// The curated surface: the engine's types at the crate root, and every module at the path it
// had before the crate was grouped by concern (`endocrine::axes`, `endocrine::scenario`, ...).
pub use clinic::{cohort, fit, labs, propose, titration, validation};
pub use engine::{
    check, simulate, simulate_from, Administration, Amount, AmountKind, AppliedEvent, Channel,
    Dose, DoseTarget, Effects, Method, Model, Observable, Outcome, PkFactors, Procedure, Regimen,
    Route, RowKind, SimOptions, SolverStats, Trajectory, COHORT_RTOL, MAX_DOSE_EVENTS,
    MAX_DURATION_H, MAX_ROWS,
};
pub use engine::{model, reference, steady_state, units};
#[cfg(feature = "plot")]
pub use io::plot;
pub use io::{scenario, shorthand};
pub use physiology::{axes, drugs};

/// The README's code runs as a doctest, so the front page cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
