//! The result of a run: rows of observables over time, the events applied, solver work
//! and how the run ended.

use crate::engine::model::Observable;
use crate::engine::model::Route;
use crate::engine::units::Amount;
use serde::{Deserialize, Serialize};
use std::io::Write;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
#[non_exhaustive]
pub enum Outcome {
    /// Integrated to the end.
    Completed,
    /// A segment needed more steps than `SimOptions::max_steps`; rows stop at `t_h`.
    MaxStepsReached {
        /// Time reached, h.
        t_h: f64,
    },
    /// The step size fell below what f64 resolves (or the problem became too stiff for the
    /// explicit method); rows stop at `t_h`.
    StepSizeUnderflow {
        /// Time reached, h.
        t_h: f64,
    },
}

impl Outcome {
    /// True if the run reached its end.
    pub fn is_completed(&self) -> bool {
        matches!(self, Outcome::Completed)
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Completed => f.write_str("completed"),
            Outcome::MaxStepsReached { t_h } => write!(
                f,
                "solver stopped at t = {t_h} h: maximum number of steps per segment reached (raise max_steps or loosen rtol)"
            ),
            Outcome::StepSizeUnderflow { t_h } => write!(
                f,
                "solver stopped at t = {t_h} h: step size underflow (the model is too stiff or not finite there)"
            ),
        }
    }
}

/// Work done by the solver.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SolverStats {
    /// Right-hand-side evaluations.
    pub rhs_evals: u64,
    /// Accepted steps.
    pub accepted_steps: u64,
    /// Rejected steps.
    pub rejected_steps: u64,
    /// Integration segments (one per interval between breakpoints).
    pub segments: u64,
    #[serde(default)]
    /// Jacobian evaluations (0 for Dopri5; each costs one RHS call per group of
    /// structurally independent states, counted in `rhs_evals`).
    pub jacobian_evals: u64,
    #[serde(default)]
    /// LU factorisations of the iteration matrix (0 for Dopri5).
    pub lu_decompositions: u64,
}

/// Why a row exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// A point of the output grid.
    Grid,
    /// Just before a dose or procedure (same time as the following `AfterEvent` row).
    BeforeEvent,
    /// Just after a dose or procedure.
    AfterEvent,
    /// The end of the run when it is not on the grid.
    End,
    /// A requested sample time (`SimOptions::sample_times_h`) off the grid.
    Sample,
}

/// A dose administration or procedure the run applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliedEvent {
    /// Time, h.
    pub t_h: f64,
    /// Drug or procedure name.
    pub name: String,
    /// Route, for doses.
    pub route: Option<Route>,
    /// Amount, for doses.
    pub amount: Option<Amount>,
    /// Zero-order input duration, h, for infusions.
    pub duration_h: Option<f64>,
}

/// Observables over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trajectory {
    pub(crate) columns: Vec<Observable>,
    pub(crate) times_h: Vec<f64>,
    pub(crate) values: Vec<f64>,
    pub(crate) kinds: Vec<RowKind>,
    pub(crate) events: Vec<AppliedEvent>,
    pub(crate) stats: SolverStats,
    pub(crate) outcome: Outcome,
    pub(crate) final_state: Vec<f64>,
}

impl Trajectory {
    /// The columns (without `time_h`).
    pub fn columns(&self) -> &[Observable] {
        &self.columns
    }
    /// Index of the column named `name`.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.column == name)
    }
    /// Row times, h (non-decreasing; a dose gives two rows at the same time).
    pub fn times_h(&self) -> &[f64] {
        &self.times_h
    }
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.times_h.len()
    }
    /// True if there are no rows.
    pub fn is_empty(&self) -> bool {
        self.times_h.is_empty()
    }
    /// Row `i`, one value per column.
    pub fn row(&self, i: usize) -> &[f64] {
        let n = self.columns.len();
        &self.values[i * n..(i + 1) * n]
    }
    /// Why row `i` exists.
    pub fn row_kind(&self, i: usize) -> RowKind {
        self.kinds[i]
    }
    /// Every value of column `name`, one per row.
    pub fn series(&self, name: &str) -> Option<Vec<f64>> {
        let j = self.column_index(name)?;
        Some((0..self.len()).map(|i| self.row(i)[j]).collect())
    }
    /// The events applied, in time order.
    pub fn events(&self) -> &[AppliedEvent] {
        &self.events
    }
    /// Solver work.
    pub fn stats(&self) -> SolverStats {
        self.stats
    }
    /// How the run ended.
    pub fn outcome(&self) -> Outcome {
        self.outcome
    }
    /// The full state (model, then drug PK) at the end of the run (if the solver stopped
    /// early: at the start of the segment it could not finish); feed it to
    /// [`crate::simulate_from`] to continue.
    pub fn final_state(&self) -> &[f64] {
        &self.final_state
    }

    /// Value of `name` at `t_h`, linearly interpolated between rows; at a dose time, the
    /// value just after the dose. `None` for an unknown column or a time outside the rows.
    pub fn value_at(&self, name: &str, t_h: f64) -> Option<f64> {
        let j = self.column_index(name)?;
        let t = &self.times_h;
        if t.is_empty() || !(t_h >= t[0] && t_h <= *t.last()?) {
            return None;
        }
        // first row with time > t_h
        let hi = t.partition_point(|&x| x <= t_h);
        if hi == 0 {
            return Some(self.row(0)[j]);
        }
        let lo = hi - 1;
        if hi == t.len() || t[lo] == t_h {
            return Some(self.row(lo)[j]);
        }
        let w = (t_h - t[lo]) / (t[hi] - t[lo]);
        Some(self.row(lo)[j] * (1.0 - w) + self.row(hi)[j] * w)
    }

    /// Value of `name` in the row computed exactly at `t_h` (a grid, sample or end row, or
    /// the row just *before* a dose at that time), if there is one.
    pub fn sample(&self, name: &str, t_h: f64) -> Option<f64> {
        let j = self.column_index(name)?;
        let i = self.times_h.partition_point(|&x| x < t_h);
        (i < self.len() && (self.times_h[i] - t_h).abs() <= 1e-9 * t_h.abs().max(1.0))
            .then(|| self.row(i)[j])
    }

    /// Rows with `t0_h <= t <= t1_h` of column `name`, as (t, value) pairs.
    fn window(&self, name: &str, t0_h: f64, t1_h: f64) -> Option<Vec<(f64, f64)>> {
        let j = self.column_index(name)?;
        let v: Vec<(f64, f64)> = (0..self.len())
            .filter(|&i| self.times_h[i] >= t0_h && self.times_h[i] <= t1_h)
            .map(|i| (self.times_h[i], self.row(i)[j]))
            .collect();
        (!v.is_empty()).then_some(v)
    }

    /// Largest value of `name` over the rows in [t0_h, t1_h] (Cmax on the output grid).
    pub fn max_in(&self, name: &str, t0_h: f64, t1_h: f64) -> Option<f64> {
        self.window(name, t0_h, t1_h)
            .map(|w| w.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max))
    }
    /// Smallest value of `name` over the rows in [t0_h, t1_h] (Cmin on the output grid).
    pub fn min_in(&self, name: &str, t0_h: f64, t1_h: f64) -> Option<f64> {
        self.window(name, t0_h, t1_h)
            .map(|w| w.iter().map(|p| p.1).fold(f64::INFINITY, f64::min))
    }
    /// Time of the largest value of `name` in [t0_h, t1_h] (Tmax on the output grid).
    pub fn argmax_in(&self, name: &str, t0_h: f64, t1_h: f64) -> Option<f64> {
        self.window(name, t0_h, t1_h).map(|w| {
            w.iter()
                .fold((f64::NAN, f64::NEG_INFINITY), |acc, p| {
                    if p.1 > acc.1 {
                        *p
                    } else {
                        acc
                    }
                })
                .0
        })
    }
    /// Time-average of `name` over [t0_h, t1_h] by the trapezoid rule on the rows (Cavg).
    pub fn mean_in(&self, name: &str, t0_h: f64, t1_h: f64) -> Option<f64> {
        let w = self.window(name, t0_h, t1_h)?;
        if w.len() < 2 {
            return w.first().map(|p| p.1);
        }
        let area: f64 = w
            .windows(2)
            .map(|p| 0.5 * (p[0].1 + p[1].1) * (p[1].0 - p[0].0))
            .sum();
        let span = w.last()?.0 - w[0].0;
        (span > 0.0).then(|| area / span)
    }

    /// The CSV header: `time_h`, then the [`Trajectory::columns`].
    pub fn csv_columns(&self) -> Vec<String> {
        std::iter::once("time_h".to_string())
            .chain(self.columns.iter().map(|c| c.column.clone()))
            .collect()
    }

    /// Write the rows as CSV: the [`Trajectory::csv_columns`] and one line per row.
    pub fn write_csv<W: Write>(&self, mut w: W) -> std::io::Result<()> {
        writeln!(w, "{}", self.csv_columns().join(","))?;
        let mut line = String::new();
        for i in 0..self.len() {
            line.clear();
            line.push_str(&format_number(self.times_h[i]));
            for v in self.row(i) {
                line.push(',');
                line.push_str(&format_number(*v));
            }
            writeln!(w, "{line}")?;
        }
        Ok(())
    }
}

/// Shortest representation that reads back to 10 significant digits.
fn format_number(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let s = format!("{:.10e}", x);
    let v: f64 = s.parse().unwrap_or(x);
    format!("{v}")
}
