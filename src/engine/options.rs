//! Solver and output options.

use crate::error::{positive, Error, Result};
use serde::{Deserialize, Serialize};

/// Longest run accepted, h (100 years): beyond this, split the run.
pub const MAX_DURATION_H: f64 = 100.0 * 365.25 * 24.0;
/// Most output rows a run may produce (grid rows plus two per dose).
pub const MAX_ROWS: u64 = 5_000_000;

/// Relative tolerance of the cohort default ([`SimOptions::for_cohort`]): with
/// [`Method::Rodas4`] it keeps daily total T and LH of a dosed HPG year within 1e-3
/// (relative) of an rtol-1e-10 reference (`tests/stiff_solver.rs`), the accuracy that
/// percentile bands of a cohort need.
pub const COHORT_RTOL: f64 = 1e-3;

/// Integration method.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Method {
    /// Dormand–Prince 5(4), adaptive step, 4th-order dense output (ode_solvers `Dopri5`).
    /// Explicit: on a stiff axis its step is held by stability, not accuracy.
    #[default]
    Dopri5,
    /// RODAS4 (Hairer & Wanner 1996): linearly implicit Rosenbrock 4(3), L-stable, with
    /// a finite-difference Jacobian; steps limited by accuracy only. Pays on stiff
    /// systems at loose tolerances (cohorts, fits): see `docs/performance.md`.
    Rodas4,
}

impl Method {
    /// Every method.
    pub const ALL: [Method; 2] = [Method::Dopri5, Method::Rodas4];

    /// The scenario name (`[solver] method = "rodas4"`).
    pub fn name(self) -> &'static str {
        match self {
            Method::Dopri5 => "dopri5",
            Method::Rodas4 => "rodas4",
        }
    }

    /// Parse a scenario name.
    pub fn from_name(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// How to integrate and what to output.
///
/// Defaults (via [`SimOptions::new`]): Dopri5, `rtol` 1e-6, `atol` 1e-9 (states are in
/// units where values are O(0.1–1000), so the relative tolerance governs), at most
/// 100 000 steps per dose segment, no cap on the step size, rows just before and just
/// after every dose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimOptions {
    /// Length of the run, h (t = 0 is midnight of day 0).
    pub duration_h: f64,
    /// Spacing of the output grid, h (rows at 0, Δ, 2Δ, … and at the end).
    pub output_every_h: f64,
    /// Relative tolerance.
    pub rtol: f64,
    /// Absolute tolerance.
    pub atol: f64,
    /// Maximum accepted+rejected steps per integration segment; exceeding it ends the run
    /// with [`crate::Outcome::MaxStepsReached`].
    pub max_steps: u32,
    /// Largest step the solver may take, h (`None`: the segment length).
    pub max_step_h: Option<f64>,
    /// Method.
    pub method: Method,
    /// Emit a row just before and just after each dose or procedure (same `time_h`).
    pub dose_rows: bool,
    /// Extra times, h, at which a row is computed exactly (lab draws); a draw at a dose
    /// time is the row just before the dose (a pre-dose trough).
    #[serde(default)]
    pub sample_times_h: Vec<f64>,
}

impl SimOptions {
    /// Run for `duration_h` hours with a row every `output_every_h` hours.
    pub fn new(duration_h: f64, output_every_h: f64) -> Result<Self> {
        let o = SimOptions {
            duration_h,
            output_every_h,
            rtol: 1e-6,
            atol: 1e-9,
            max_steps: 100_000,
            max_step_h: None,
            method: Method::Dopri5,
            dose_rows: true,
            sample_times_h: Vec::new(),
        };
        o.validate()?;
        Ok(o)
    }

    /// Set the tolerances.
    pub fn with_tolerances(mut self, rtol: f64, atol: f64) -> Result<Self> {
        self.rtol = rtol;
        self.atol = atol;
        self.validate()?;
        Ok(self)
    }

    /// The options a cohort runs with unless told otherwise: [`Method::Rodas4`] at
    /// [`COHORT_RTOL`] (see `docs/performance.md` for the measurements behind it).
    pub fn for_cohort(mut self) -> Self {
        self.method = Method::Rodas4;
        self.rtol = COHORT_RTOL;
        self
    }

    /// Set the integration method.
    pub fn with_method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// Set the step limit per segment.
    pub fn with_max_steps(mut self, max_steps: u32) -> Result<Self> {
        self.max_steps = max_steps;
        self.validate()?;
        Ok(self)
    }

    /// Number of grid rows this run produces (saturating: an absurdly fine grid is refused
    /// by [`SimOptions::validate`], not overflowed).
    pub fn grid_rows(&self) -> u64 {
        ((self.duration_h / self.output_every_h * (1.0 + 1e-12)).floor() as u64).saturating_add(1)
    }

    /// Check every field against its range and the resource limits.
    pub fn validate(&self) -> Result<()> {
        positive("duration", self.duration_h)?;
        positive("output_every", self.output_every_h)?;
        if self.duration_h > MAX_DURATION_H {
            return Err(Error::LimitExceeded {
                field: "duration".into(),
                requested: format!("{} h", self.duration_h),
                limit: format!("{MAX_DURATION_H} h (100 years)"),
                hint: "simulate a shorter horizon".into(),
            });
        }
        if self.grid_rows() > MAX_ROWS {
            return Err(Error::LimitExceeded {
                field: "output_every".into(),
                requested: format!("{} rows", self.grid_rows()),
                limit: format!("{MAX_ROWS} rows"),
                hint: "use a coarser output_every or a shorter duration".into(),
            });
        }
        if !(self.rtol.is_finite() && (1e-13..1.0).contains(&self.rtol)) {
            return Err(Error::invalid(
                "rtol",
                self.rtol,
                "must be in [1e-13, 1) (below 1e-13 the step size underflows in f64)",
            ));
        }
        positive("atol", self.atol)?;
        if self.max_steps == 0 {
            return Err(Error::invalid("max_steps", 0, "must be at least 1"));
        }
        if let Some(h) = self.max_step_h {
            positive("max_step", h)?;
        }
        for &t in &self.sample_times_h {
            if !(t.is_finite() && (0.0..=self.duration_h).contains(&t)) {
                return Err(Error::invalid(
                    "lab.at",
                    t,
                    format!("a draw must be within the run, 0 to {} h", self.duration_h),
                ));
            }
        }
        if self.sample_times_h.len() as u64 > MAX_ROWS {
            return Err(Error::LimitExceeded {
                field: "lab".into(),
                requested: format!("{} draws", self.sample_times_h.len()),
                limit: format!("{MAX_ROWS}"),
                hint: "draw less often".into(),
            });
        }
        Ok(())
    }
}
