//! The integration methods behind one adapter: Dopri5 from `ode_solvers` (the only file
//! that imports that crate) and the hand-written Rodas4 of [`rodas`] for stiff systems.
//! The segment loop calls [`integrate`] once per dose interval with the method of
//! [`crate::SimOptions::method`] and a [`Memory`] that lives for the whole run.
//!
//! Two traps of ode_solvers 0.6.2 are handled here (shared/design/solver-notes.md):
//!
//! * `integrate()` returns `Ok` even when it stopped early, and its stats are not
//!   reachable after an error: failures are mapped to [`Failure`] with the time reached.
//! * With `OutputType::Dense` the point at `x_end` may be *extrapolated* from an earlier
//!   step. We never use it: the exact end state is recorded by the adapter itself. In
//!   Dopri5 (FSAL, c₇ = 1) the last right-hand-side evaluation of the final accepted step
//!   is at `(x_end, y_end)` with the 5th-order solution, so the adapter keeps the
//!   argument of every evaluation made at `x_end`; the last one is the true end state.
//!   Dense points strictly inside the segment come from accepted steps' interpolants and
//!   are exact to the method's dense-output order.
//!
//! Dense output with `SVector` states allocates nothing per step (only the output vector
//! grows), unlike `ContinuousOutputModel`, which copies its coefficients into a new `Vec`
//! at every step. States are padded to the next of a few fixed sizes; padded entries stay
//! exactly zero, and the tolerances are scaled by √(n/N) so that ode_solvers' RMS error
//! norm over N entries equals the norm over the n real ones: step control is unchanged.

mod rodas;

use crate::engine::options::Method;
use ode_solvers::dop_shared::IntegrationError;
use ode_solvers::{Dopri5, OutputType, SVector, System};
use std::cell::Cell;

/// Largest state dimension the engine supports.
pub(crate) const MAX_STATES: usize = 64;

/// A right-hand side over plain slices (the engine's composite of model and drugs).
pub(crate) trait Rhs {
    fn eval(&self, t_h: f64, y: &[f64], dy: &mut [f64]);
}

/// Tolerances and limits for one integration.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tolerances {
    pub rtol: f64,
    pub atol: f64,
    pub max_steps: u32,
    pub max_step_h: Option<f64>,
    pub method: Method,
}

/// Uniform output points strictly inside a segment: `first_h + k·step_h`, `k < count`,
/// carrying grid indices `first_index + k`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Grid {
    pub first_h: f64,
    pub step_h: f64,
    pub first_index: usize,
    pub count: usize,
}

/// Work counters.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Counters {
    pub rhs_evals: u64,
    pub accepted_steps: u64,
    pub rejected_steps: u64,
    /// Jacobian evaluations (Rodas4 only).
    pub jacobian_evals: u64,
    /// LU factorisations of the iteration matrix (Rodas4 only).
    pub lu_decompositions: u64,
}

/// What a method carries from one segment of a run to the next (Rodas4: the learnt
/// Jacobian sparsity and first step size; nothing for Dopri5).
#[derive(Debug, Clone, Default)]
pub(crate) struct Memory {
    rodas: rodas::Memory,
}

/// Why an integration stopped before the end of its segment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Failure {
    MaxSteps { t_h: f64 },
    StepSizeUnderflow { t_h: f64 },
}

/// Integrate `sys` from `t0_h` to `t1_h` with `tol.method`, replacing `y` by the exact
/// end state and calling `emit(grid_index, state)` at every grid point of `grid`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn integrate(
    sys: &dyn Rhs,
    tol: &Tolerances,
    t0_h: f64,
    t1_h: f64,
    y: &mut [f64],
    grid: Option<Grid>,
    emit: &mut dyn FnMut(usize, &[f64]),
    counters: &mut Counters,
    memory: &mut Memory,
) -> Result<(), Failure> {
    // Rodas4's step costs O(N) to O(N²) in the padded size N (stage sums, W, dense
    // output): every size from 12 to 16 has its own instance, so the common systems (HPG with
    // one or a few drug states: 12 to 16) are not padded.
    macro_rules! dispatch {
        (dopri5: $($n:literal),*; rodas4: $($r:literal),*) => {
            match (tol.method, y.len()) {
                $((Method::Dopri5, m) if m <= $n => run::<$n>(sys, tol, t0_h, t1_h, y, grid, emit, counters),)*
                $((Method::Rodas4, m) if m <= $r => rodas::integrate::<$r>(sys, tol, t0_h, t1_h, y, grid, emit, counters, &mut memory.rodas),)*
                (_, m) => unreachable!("state dimension {m} above MAX_STATES is refused by simulate()"),
            }
        };
    }
    dispatch!(dopri5: 4, 8, 12, 16, 24, 32, 48, 64;
              rodas4: 4, 8, 12, 13, 14, 15, 16, 24, 32, 48, 64)
}

struct Adapter<'a, const N: usize> {
    sys: &'a dyn Rhs,
    n: usize,
    /// Evaluations at or after this time are recorded in `last`.
    end_guard_h: f64,
    last: &'a Cell<SVector<f64, N>>,
}

impl<const N: usize> System<f64, SVector<f64, N>> for Adapter<'_, N> {
    #[inline]
    fn system(&self, t: f64, y: &SVector<f64, N>, dy: &mut SVector<f64, N>) {
        self.sys
            .eval(t, &y.as_slice()[..self.n], &mut dy.as_mut_slice()[..self.n]);
        if t >= self.end_guard_h {
            self.last.set(*y);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn run<const N: usize>(
    sys: &dyn Rhs,
    tol: &Tolerances,
    t0: f64,
    t1: f64,
    y: &mut [f64],
    grid: Option<Grid>,
    emit: &mut dyn FnMut(usize, &[f64]),
    counters: &mut Counters,
) -> Result<(), Failure> {
    let n = y.len();
    let mut v = SVector::<f64, N>::zeros();
    v.as_mut_slice()[..n].copy_from_slice(y);
    let leg = Leg {
        sys,
        tol,
        n,
        scale: (n as f64 / N as f64).sqrt(),
    };
    let result = match grid {
        Some(g) if g.count > 0 => {
            let on_grid = ((g.first_h - g.step_h) - t0).abs() <= 1e-9 * t0.abs().max(1.0);
            if on_grid {
                leg.run(
                    t0,
                    t1,
                    g.step_h,
                    &mut v,
                    Some((g.first_index, g.count)),
                    emit,
                    counters,
                )
            } else {
                leg.run(t0, g.first_h, g.first_h - t0, &mut v, None, emit, counters)
                    .and_then(|()| {
                        emit(g.first_index, &v.as_slice()[..n]);
                        leg.run(
                            g.first_h,
                            t1,
                            g.step_h,
                            &mut v,
                            Some((g.first_index + 1, g.count - 1)),
                            emit,
                            counters,
                        )
                    })
            }
        }
        _ => leg.run(t0, t1, t1 - t0, &mut v, None, emit, counters),
    };
    y.copy_from_slice(&v.as_slice()[..n]);
    result
}

struct Leg<'a> {
    sys: &'a dyn Rhs,
    tol: &'a Tolerances,
    n: usize,
    scale: f64,
}

impl Leg<'_> {
    /// One Dopri5 run over [a, b] with dense points a + k·dx; dense point k ≥ 1 maps to
    /// grid index `first + k − 1` for k ≤ count.
    #[allow(clippy::too_many_arguments)]
    fn run<const N: usize>(
        &self,
        a: f64,
        b: f64,
        dx: f64,
        v: &mut SVector<f64, N>,
        out: Option<(usize, usize)>,
        emit: &mut dyn FnMut(usize, &[f64]),
        counters: &mut Counters,
    ) -> Result<(), Failure> {
        let last = Cell::new(*v);
        let adapter = Adapter {
            sys: self.sys,
            n: self.n,
            end_guard_h: b - 1e-12 * b.abs().max(1.0),
            last: &last,
        };
        let h_max = self.tol.max_step_h.map_or(b - a, |h| h.min(b - a));
        let mut solver = Dopri5::from_param(
            adapter,
            a,
            b,
            dx,
            *v,
            self.tol.rtol * self.scale,
            self.tol.atol * self.scale,
            0.9,  // safety factor (ode_solvers default)
            0.04, // PI controller beta (default)
            0.2,  // fac_min (default)
            10.0, // fac_max (default)
            h_max,
            0.0, // initial step: automatic
            self.tol.max_steps,
            u32::MAX, // no stiffness abort: cost shows in the step counters instead
            OutputType::Dense,
        );
        let result = solver.integrate();
        if let Some((first, count)) = out {
            for (x, yy) in solver.x_out().iter().zip(solver.y_out()) {
                let k = ((x - a) / dx).round();
                if k >= 1.0 && k <= count as f64 {
                    emit(first + k as usize - 1, &yy.as_slice()[..self.n]);
                }
            }
        }
        match result {
            Ok(stats) => {
                counters.rhs_evals += u64::from(stats.num_eval);
                counters.accepted_steps += u64::from(stats.accepted_steps);
                counters.rejected_steps += u64::from(stats.rejected_steps);
                *v = last.get();
                Ok(())
            }
            Err(IntegrationError::MaxNumStepReached { x, n_step }) => {
                counters.accepted_steps += u64::from(n_step);
                Err(Failure::MaxSteps { t_h: x })
            }
            Err(IntegrationError::StepSizeUnderflow { x })
            | Err(IntegrationError::StiffnessDetected { x }) => {
                Err(Failure::StepSizeUnderflow { t_h: x })
            }
        }
    }
}
