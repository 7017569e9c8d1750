//! Periodic steady states, computed rather than guessed by a long burn-in.
//!
//! A regimen that repeats every τ hours drives the system towards a *periodic steady
//! state*: a state y* such that one interval of the regimen, started at y*, ends at y*
//! again. This is what mrgsolve's and rxode2's `ss = 1` dose records mean (peers.md §1),
//! extended here to nonlinear feedback axes and to time-forced (circadian) models, for
//! which no closed form exists.
//!
//! # How it is computed
//!
//! Let Φ(y) be the state at the end of one period when the period starts at `y`:
//! one call of [`simulate_from`] over the period, with each repeating dose line given at
//! its phase within the period (the drug PK states are part of `y`). The steady state is
//! the root of F(y) = Φ(y) − y, found by
//!
//! 1. **Newton's method** with the Jacobian of Φ by forward finite differences (one
//!    extra period integration per state; the engine has at most 64 states), updated
//!    between evaluations by Broyden's rank-one formula so that each further iteration
//!    costs one period integration, and a **damped step** (halved until the residual
//!    decreases; a refused trial does not move the iterate);
//! 2. if Newton stalls (no decrease even after refreshing the Jacobian, or a singular
//!    Jacobian), **Anderson-accelerated fixed-point iteration** (depth 5) on y ← Φ(y),
//!    which converges whenever the periodic orbit is attracting.
//!
//! Both keep the states a model declares non-negative ([`Model::nonnegative_states`]) in
//! the physical region: a Newton trial point or an Anderson extrapolation never takes such
//! a state from a positive value to below 1 % of it (a projection; the merit test decides
//! whether the projected point is taken). A right-hand side that holds a state at zero once
//! it is zero (the HPG axis' Leydig capacity after orchiectomy) makes every point beyond
//! zero a fixed point of that component; without the projection, half of the steady states
//! of the precision study landed on such a spurious castrate root (session 7).
//!
//! # Tolerance
//!
//! The result is within **relative 1e-9 on every state** ([`STEADY_STATE_RTOL`], with an
//! absolute floor of 1e-12 in the state's own unit for states that are 0 at the trough):
//! Newton stops when its next step δ satisfies |δᵢ| ≤ 1e-9·|yᵢ| + 1e-12 for every i and
//! returns y + δ; Anderson stops when one period changes no state by more than that.
//! This is the fixed point of the *numerical* period map, so it inherits the
//! integrator's error (`SimOptions::rtol`, 1e-6 by default): tighten `rtol` to get
//! closer to the exact steady state. A burn-in with the same options converges to the
//! same point.
//!
//! # Phases and time-forced models
//!
//! Model time matters for models whose right-hand side depends on the clock (the HPA's
//! circadian drive; t = 0 is midnight). A model is treated as time-forced when its
//! right-hand side at the initial state differs between clock times; the period is then
//! the least common multiple of the dosing intervals and
//! [`SteadyStateSettings::forcing_period_h`] (24 h by default), so a dose every 36 h on
//! a circadian model is solved over 72 h with two doses. For an autonomous model the
//! period is the least common multiple of the dosing intervals alone.
//!
//! Each administration's input must be complete within its own interval (lag plus
//! infusion duration no longer than the time left to the next dose), because drug still
//! in flight at the end of the period is not part of the state.
//!
//! # Example
//!
//! ```
//! use endocrine::reference::OneCompartment;
//! use endocrine::steady_state::periodic_steady_state;
//! use endocrine::{Amount, Dose, Route, SimOptions};
//!
//! // 100 mg iv every 12 h, k = 0.1/h: trough D·e^(−kτ)/(1 − e^(−kτ)) (Gibaldi & Perrier).
//! let model = OneCompartment { k_per_h: 0.1, volume_l: 10.0 };
//! let dose = Dose::new("bolus", Route::Iv, Amount::mg(100.0), 0.0)?.every(12.0, 1)?;
//! let options = SimOptions::new(12.0, 1.0)?.with_tolerances(1e-10, 1e-13)?;
//! let ss = periodic_steady_state(&model, &dose, &options)?;
//! let r = (-1.2f64).exp();
//! assert!((ss.state[0] - 100.0 * r / (1.0 - r)).abs() < 1e-7);
//! assert!(ss.interval_integrations <= 4); // one Jacobian column, one step: the map is linear
//! # Ok::<(), endocrine::Error>(())
//! ```

use crate::engine::model::{Channel, DoseTarget, Effects, Model, Observable, PkFactors, Route};
use crate::engine::options::SimOptions;
use crate::engine::regimen::{Dose, Regimen};
use crate::engine::simulate::simulate_from;
use crate::engine::trajectory::{Outcome, Trajectory};
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// Relative tolerance of the steady state on every state (module docs).
pub const STEADY_STATE_RTOL: f64 = 1e-9;
/// Period of the circadian forcing of the crate's time-forced models, h.
pub const CIRCADIAN_PERIOD_H: f64 = 24.0;

/// Most administrations one period may hold (incommensurate intervals make the common
/// period long).
const MAX_ADMINISTRATIONS_PER_PERIOD: f64 = 10_000.0;
/// Anderson depth.
const ANDERSON_DEPTH: usize = 5;

/// How hard to look for the steady state.
#[derive(Debug, Clone, PartialEq)]
pub struct SteadyStateSettings {
    /// Relative tolerance on every state (default [`STEADY_STATE_RTOL`]).
    pub rtol: f64,
    /// Absolute floor of the tolerance in each state's unit (default 1e-12).
    pub atol: f64,
    /// Most Newton plus Anderson iterations (default 100).
    pub max_iterations: u32,
    /// Period of the model's own forcing, h, used only when the model's right-hand side
    /// depends on the clock (default [`CIRCADIAN_PERIOD_H`]).
    pub forcing_period_h: f64,
    /// Use Newton first (default). `false`: Anderson fixed-point iteration only, for a
    /// model whose period map is too rough for finite differences.
    pub newton: bool,
    /// Where to start (full state: model, then the PK states of the steady-state doses);
    /// `None`: the model's initial state with drug-free PK.
    pub initial_guess: Option<Vec<f64>>,
}

impl Default for SteadyStateSettings {
    fn default() -> Self {
        SteadyStateSettings {
            rtol: STEADY_STATE_RTOL,
            atol: 1e-12,
            max_iterations: 100,
            forcing_period_h: CIRCADIAN_PERIOD_H,
            newton: true,
            initial_guess: None,
        }
    }
}

impl SteadyStateSettings {
    fn validate(&self) -> Result<()> {
        if !(self.rtol.is_finite() && self.rtol >= 1e-14 && self.rtol < 1.0) {
            return Err(Error::invalid(
                "steady_state.rtol",
                self.rtol,
                "must be in [1e-14, 1)",
            ));
        }
        crate::error::positive("steady_state.atol", self.atol)?;
        crate::error::positive("steady_state.forcing_period", self.forcing_period_h)?;
        if self.max_iterations == 0 {
            return Err(Error::invalid(
                "steady_state.max_iterations",
                0,
                "must be at least 1",
            ));
        }
        Ok(())
    }
}

/// Which iteration finished the search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SteadyStateMethod {
    /// Damped Newton with a finite-difference / Broyden Jacobian.
    Newton,
    /// Anderson-accelerated fixed-point iteration (after Newton stalled).
    Anderson,
}

/// A periodic steady state.
#[derive(Debug, Clone, PartialEq)]
pub struct SteadyState {
    /// The full state (model states, then the PK states of the dosed drugs in the order
    /// the regimen first uses them) at the start of the period.
    pub state: Vec<f64>,
    /// Length of the period solved over, h.
    pub period_h: f64,
    /// Newton plus Anderson iterations.
    pub iterations: u32,
    /// Integrations over one period (each the cost of one interval of a burn-in),
    /// finite-difference columns and refused trial steps included.
    pub interval_integrations: u64,
    /// Finite-difference Jacobians computed.
    pub jacobians: u32,
    /// The last change estimate, relative to the tolerance (≤ 1: converged).
    pub scaled_change: f64,
    /// Which iteration finished.
    pub method: SteadyStateMethod,
}

/// The periodic steady state of a repeating dose: the state just before an
/// administration such that one dosing interval (the dose given at its start) returns
/// to it. The dose's `at` only sets the clock phase (for time-forced models) and its
/// `count` is ignored; `every` is required.
///
/// Tolerance: relative 1e-9 on every state (module docs).
pub fn periodic_steady_state(
    model: &dyn Model,
    dose: &Dose,
    options: &SimOptions,
) -> Result<SteadyState> {
    periodic_steady_state_with(model, dose, options, &SteadyStateSettings::default())
}

/// [`periodic_steady_state`] with explicit settings.
pub fn periodic_steady_state_with(
    model: &dyn Model,
    dose: &Dose,
    options: &SimOptions,
    settings: &SteadyStateSettings,
) -> Result<SteadyState> {
    settings.validate()?;
    let every = repeating("dose", dose)?;
    let offset = dose.at_h();
    let shifted = Shifted {
        inner: model,
        offset_h: offset,
    };
    let m: &dyn Model = if offset == 0.0 { model } else { &shifted };
    let period = common_period(m, &[every], settings)?;
    let line = rephase(dose, 0.0)?;
    let regimen = period_regimen(m, &[("dose".to_string(), line)], period)?;
    solve(m, regimen, period, options, settings)
}

/// The free-running forced cycle: the state at midnight (t = 0) that one
/// `settings.forcing_period_h` (24 h) without any dose maps back to itself, e.g. the
/// HPA's entrained circadian cycle. For an autonomous model this is its equilibrium.
pub fn circadian_cycle(model: &dyn Model, options: &SimOptions) -> Result<SteadyState> {
    circadian_cycle_with(model, options, &SteadyStateSettings::default())
}

/// [`circadian_cycle`] with explicit settings.
pub fn circadian_cycle_with(
    model: &dyn Model,
    options: &SimOptions,
    settings: &SteadyStateSettings,
) -> Result<SteadyState> {
    settings.validate()?;
    solve(
        model,
        Regimen::new(),
        settings.forcing_period_h,
        options,
        settings,
    )
}

/// The state at t = 0 of a run of `regimen` whose first `lines` dose lines have been
/// given forever (at every one of their intervals before t = 0); the other lines' drugs
/// start at zero. Pass it to [`simulate_from`] with the same regimen.
///
/// Each of the first `lines` lines must repeat (`every`) and start within its first
/// interval (`at` < `every`), so that the run continues the same schedule without a gap;
/// the period is the least common multiple of their intervals (and of the forcing
/// period for a time-forced model). The first lines are used so that their PK states
/// are the first ones of the run's state.
pub fn steady_start(
    model: &dyn Model,
    regimen: &Regimen,
    lines: usize,
    options: &SimOptions,
    settings: &SteadyStateSettings,
) -> Result<SteadyState> {
    settings.validate()?;
    if lines == 0 || lines > regimen.doses().len() {
        return Err(Error::invalid(
            "steady_state.lines",
            lines,
            format!(
                "must be between 1 and the number of dose lines ({})",
                regimen.doses().len()
            ),
        ));
    }
    let mut intervals = Vec::with_capacity(lines);
    let mut chosen = Vec::with_capacity(lines);
    for (i, dose) in regimen.doses()[..lines].iter().enumerate() {
        let prefix = format!("dose[{i}]");
        let every = repeating(&prefix, dose)?;
        if dose.at_h() >= every * (1.0 - 1e-12) {
            return Err(Error::invalid(
                format!("{prefix}.at"),
                format!("{} h", dose.at_h()),
                format!(
                    "a steady-state start needs the first dose within one interval of t = 0 (at < every = {every} h); move `at` earlier"
                ),
            ));
        }
        intervals.push(every);
        chosen.push((prefix, dose.clone()));
    }
    let period = common_period(model, &intervals, settings)?;
    let period_regimen = period_regimen(model, &chosen, period)?;
    solve(model, period_regimen, period, options, settings)
}

/// Run `regimen` starting on the periodic steady state of its first dose line (which
/// must repeat and start within its first interval, see [`steady_start`]); the doses
/// then continue as given. Use [`steady_start`] and [`simulate_from`] for several
/// steady-state lines or other settings.
pub fn simulate_at_steady_state(
    model: &dyn Model,
    regimen: &Regimen,
    options: &SimOptions,
) -> Result<Trajectory> {
    let ss = steady_start(model, regimen, 1, options, &SteadyStateSettings::default())?;
    simulate_from(model, regimen, options, &ss.state)
}

// ---------------------------------------------------------------------------------------
// Period construction

fn repeating(prefix: &str, dose: &Dose) -> Result<f64> {
    dose.every_h().ok_or_else(|| {
        Error::invalid(
            format!("{prefix}.every"),
            "(none)",
            "a steady state needs a repeating dose: give `every` (the dosing interval)",
        )
    })
}

/// The same dose line with its first administration at `at_h`, one administration.
fn rephase(dose: &Dose, at_h: f64) -> Result<Dose> {
    let d = Dose::new(dose.drug(), dose.route(), dose.amount(), at_h)?;
    let d = match dose.every_h() {
        Some(e) => d.every(e, 1)?,
        None => d,
    };
    match dose.duration_h() {
        Some(t) => d.over(t),
        None => Ok(d),
    }
}

/// True if the model's right-hand side at its initial state depends on the clock.
fn is_time_forced(model: &dyn Model) -> bool {
    let y = model.initial_state();
    let n = y.len();
    if n == 0 || y.iter().any(|v| !v.is_finite()) {
        return false;
    }
    let e = Effects::default();
    let mut d0 = vec![0.0; n];
    let mut d1 = vec![0.0; n];
    model.rhs(0.0, &y, &e, &mut d0);
    [3.7, 9.1, 14.3, 19.9].iter().any(|&t| {
        model.rhs(t, &y, &e, &mut d1);
        d0.iter().zip(&d1).any(|(a, b)| a.to_bits() != b.to_bits())
    })
}

/// Least common multiple of the intervals (and of the forcing period if the model is
/// time-forced), computed on a millisecond grid.
fn common_period(
    model: &dyn Model,
    intervals: &[f64],
    settings: &SteadyStateSettings,
) -> Result<f64> {
    let mut all: Vec<(String, f64)> = intervals
        .iter()
        .enumerate()
        .map(|(i, &e)| {
            let field = if intervals.len() == 1 {
                "dose.every".to_string()
            } else {
                format!("dose[{i}].every")
            };
            (field, e)
        })
        .collect();
    if is_time_forced(model) || intervals.is_empty() {
        all.push((
            "steady_state.forcing_period".into(),
            settings.forcing_period_h,
        ));
    }
    const TICKS_PER_H: f64 = 3_600_000.0;
    let gcd = |mut a: u128, mut b: u128| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    let mut lcm: u128 = 1;
    let longest = all.iter().map(|p| p.1).fold(0.0, f64::max);
    for (field, h) in &all {
        let ticks = (h * TICKS_PER_H).round();
        if !(ticks >= 1.0 && (ticks - h * TICKS_PER_H).abs() <= 1e-6 * ticks.max(1.0)) {
            return Err(Error::invalid(
                field.as_str(),
                format!("{h} h"),
                "a steady-state interval must be a whole number of milliseconds",
            ));
        }
        let t = ticks as u128;
        lcm = lcm / gcd(lcm, t) * t;
        if lcm as f64 / TICKS_PER_H > longest * MAX_ADMINISTRATIONS_PER_PERIOD {
            return Err(Error::LimitExceeded {
                field: field.clone(),
                requested: "a common period of the intervals".into(),
                limit: format!("{MAX_ADMINISTRATIONS_PER_PERIOD} times the longest interval"),
                hint:
                    "use intervals that divide each other (and the 24-h day for a circadian model)"
                        .into(),
            });
        }
    }
    Ok(lcm as f64 / TICKS_PER_H)
}

/// Delay from administration to the end of the input of `dose` (largest lag).
fn input_lag_h(model: &dyn Model, dose: &Dose) -> f64 {
    if model.dose_target(dose.drug(), dose.route()).is_some() {
        return 0.0;
    }
    crate::physiology::drugs::find(dose.drug())
        .and_then(|d| d.route(dose.route()))
        .map_or(0.0, |spec| {
            spec.inputs.iter().map(|i| i.lag_h).fold(0.0, f64::max)
        })
}

/// One period of the chosen lines: each at its phase `at mod every`, repeated
/// `period / every` times.
fn period_regimen(model: &dyn Model, lines: &[(String, Dose)], period: f64) -> Result<Regimen> {
    let mut r = Regimen::new();
    for (prefix, dose) in lines {
        let every = repeating(prefix, dose)?;
        let mut phase = dose.at_h().rem_euclid(every);
        if every - phase <= 1e-9 * every {
            phase = 0.0;
        }
        let per_period = (period / every).round().max(1.0) as u64;
        let lag = input_lag_h(model, dose);
        let input_end = phase + lag + dose.duration_h().unwrap_or(0.0);
        let complete = match dose.duration_h() {
            Some(_) => phase + lag < every && input_end <= every * (1.0 + 1e-12),
            None => input_end < every,
        };
        if !complete {
            return Err(Error::invalid(
                format!("{prefix}.at"),
                format!("{} h", dose.at_h()),
                format!(
                    "for a steady state each administration's input (phase {phase} h + lag {lag} h + duration {} h) must end before the next dose ({every} h); give the dose at the start of its interval or shorten `duration`",
                    dose.duration_h().unwrap_or(0.0)
                ),
            ));
        }
        let mut d = Dose::new(dose.drug(), dose.route(), dose.amount(), phase)?;
        if per_period > 1 {
            d = d.every(every, per_period)?;
        }
        if let Some(t) = dose.duration_h() {
            d = d.over(t)?;
        }
        r = r.with(d);
    }
    Ok(r)
}

/// A model whose clock runs `offset_h` ahead: the period map of a dose given at
/// `offset_h` starts at run time 0.
struct Shifted<'a> {
    inner: &'a dyn Model,
    offset_h: f64,
}

impl Model for Shifted<'_> {
    fn name(&self) -> &str {
        self.inner.name()
    }
    fn state_names(&self) -> Vec<String> {
        self.inner.state_names()
    }
    fn initial_state(&self) -> Vec<f64> {
        self.inner.initial_state()
    }
    fn rhs(&self, t_h: f64, y: &[f64], effects: &Effects, dy: &mut [f64]) {
        self.inner.rhs(t_h + self.offset_h, y, effects, dy)
    }
    fn observables(&self) -> Vec<Observable> {
        self.inner.observables()
    }
    fn observe(&self, t_h: f64, y: &[f64], effects: &Effects, out: &mut [f64]) {
        self.inner.observe(t_h + self.offset_h, y, effects, out)
    }
    fn reads(&self, channel: Channel) -> bool {
        self.inner.reads(channel)
    }
    fn dose_target(&self, drug: &str, route: Route) -> Option<DoseTarget> {
        self.inner.dose_target(drug, route)
    }
    fn procedures(&self) -> Vec<&'static str> {
        self.inner.procedures()
    }
    fn apply_procedure(&self, name: &str, y: &mut [f64]) {
        self.inner.apply_procedure(name, y)
    }
    fn pk_factors(&self) -> PkFactors {
        self.inner.pk_factors()
    }
    fn direct_input(&self, channel: Channel) -> Option<(usize, f64)> {
        self.inner.direct_input(channel)
    }
    fn nonnegative_states(&self) -> Vec<usize> {
        self.inner.nonnegative_states()
    }
}

// ---------------------------------------------------------------------------------------
// The period map and the solver

struct PeriodMap<'a> {
    model: &'a dyn Model,
    regimen: Regimen,
    options: SimOptions,
    calls: u64,
}

impl PeriodMap<'_> {
    /// Φ(y), with every failure an error.
    fn eval(&mut self, y: &[f64]) -> Result<Vec<f64>> {
        self.calls += 1;
        let tr = simulate_from(self.model, &self.regimen, &self.options, y)?;
        match tr.outcome() {
            Outcome::Completed => {}
            Outcome::MaxStepsReached { t_h } => {
                return Err(Error::LimitExceeded {
                    field: "max_steps".into(),
                    requested: format!("more steps to integrate one steady-state period (stopped at {t_h} h)"),
                    limit: self.options.max_steps.to_string(),
                    hint: "raise max_steps or loosen rtol".into(),
                })
            }
            o => {
                return Err(Error::invalid(
                    "steady_state",
                    format!("period integration: {o}"),
                    "the period could not be integrated from this state; check the model or give an initial_guess nearer the cycle",
                ))
            }
        }
        let g = tr.final_state().to_vec();
        if g.iter().any(|v| !v.is_finite()) {
            return Err(Error::invalid(
                "steady_state",
                "non-finite state after one period",
                "check the model or give an initial_guess nearer the cycle",
            ));
        }
        Ok(g)
    }

    /// Φ(y) for a trial point; `None` if it cannot be integrated.
    fn try_eval(&mut self, y: &[f64]) -> Option<Vec<f64>> {
        self.eval(y).ok()
    }
}

struct Scale {
    rtol: f64,
    atol: f64,
}

impl Scale {
    /// max_i |v_i| / (rtol·|y_i| + atol)
    fn max(&self, v: &[f64], y: &[f64]) -> f64 {
        v.iter()
            .zip(y)
            .map(|(d, y)| d.abs() / (self.rtol * y.abs() + self.atol))
            .fold(0.0, f64::max)
    }
    /// RMS of v_i / (|y_i| + atol): the merit function of the damped step.
    fn rms(&self, v: &[f64], y: &[f64]) -> f64 {
        let s: f64 = v
            .iter()
            .zip(y)
            .map(|(d, y)| (d / (y.abs() + self.atol)).powi(2))
            .sum();
        (s / v.len() as f64).sqrt()
    }
}

fn sub(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x - y).collect()
}

/// Finite-difference Jacobian of F(y) = Φ(y) − y at `y` (with Φ(y) = `g`).
fn jacobian(map: &mut PeriodMap, y: &[f64], g: &[f64]) -> Result<DMatrix<f64>> {
    let n = y.len();
    let mut a = DMatrix::<f64>::zeros(n, n);
    let mut yp = y.to_vec();
    for j in 0..n {
        let mut h = 1e-6 * y[j].abs().max(g[j].abs());
        if h == 0.0 {
            h = 1e-6;
        }
        yp[j] = y[j] + h;
        let gp = match map.try_eval(&yp) {
            Some(gp) => gp,
            None => {
                h = -h;
                yp[j] = y[j] + h;
                map.eval(&yp)?
            }
        };
        yp[j] = y[j];
        for i in 0..n {
            a[(i, j)] = (gp[i] - g[i]) / h - if i == j { 1.0 } else { 0.0 };
        }
    }
    Ok(a)
}

/// Keep every non-negative state of `point` that is positive in `reference` at no less than
/// 1 % of its reference value (a projection onto the physical region; for a Newton trial
/// point the merit test decides whether the projected point is taken).
fn keep_physical(point: &mut [f64], reference: &[f64], nonnegative: &[bool]) {
    for ((v, r), keep) in point.iter_mut().zip(reference).zip(nonnegative) {
        if *keep && *r > 0.0 {
            *v = v.max(0.01 * r);
        }
    }
}

/// `y + lambda·delta`, kept in the physical region ([`keep_physical`]).
fn trial_point(y: &[f64], delta: &[f64], lambda: f64, nonnegative: &[bool]) -> Vec<f64> {
    let mut t: Vec<f64> = y.iter().zip(delta).map(|(y, d)| y + lambda * d).collect();
    keep_physical(&mut t, y, nonnegative);
    t
}

fn newton_step(a: &DMatrix<f64>, f: &[f64]) -> Option<Vec<f64>> {
    let rhs = DVector::from_iterator(f.len(), f.iter().map(|v| -v));
    let d = a.clone().lu().solve(&rhs)?;
    d.iter()
        .all(|v| v.is_finite())
        .then(|| d.iter().copied().collect())
}

fn solve(
    model: &dyn Model,
    regimen: Regimen,
    period: f64,
    options: &SimOptions,
    settings: &SteadyStateSettings,
) -> Result<SteadyState> {
    let mut opts = options.clone();
    opts.duration_h = period;
    opts.output_every_h = period;
    opts.dose_rows = false;
    opts.sample_times_h = Vec::new();
    opts.validate()?;
    let mut map = PeriodMap {
        model,
        regimen,
        options: opts,
        calls: 0,
    };
    let scale = Scale {
        rtol: settings.rtol,
        atol: settings.atol,
    };

    // Starting point and the full state length (model + PK of the period's drugs).
    let (mut y, mut g) = match &settings.initial_guess {
        Some(guess) => {
            let g = map.eval(guess).map_err(|e| match e {
                Error::InvalidValue {
                    field,
                    value,
                    reason,
                } if field == "initial_state" => Error::InvalidValue {
                    field: "steady_state.initial_guess".into(),
                    value,
                    reason,
                },
                e => e,
            })?;
            let mut y = guess.clone();
            y.resize(g.len(), 0.0);
            (y, g)
        }
        None => {
            let y0 = model.initial_state();
            let g = map.eval(&y0)?;
            let mut y = y0;
            y.resize(g.len(), 0.0);
            (y, g)
        }
    };
    // States the model holds at zero once they reach it: kept positive by every step.
    let mut nonnegative = vec![false; y.len()];
    for i in model.nonnegative_states() {
        if let Some(k) = nonnegative.get_mut(i) {
            *k = true;
        }
    }
    let mut f = sub(&g, &y);
    let mut iterations = 0u32;
    let mut jacobians = 0u32;
    let mut last_change = f64::INFINITY;

    // 1. Damped Newton / Broyden.
    let mut a = if settings.newton {
        jacobians += 1;
        jacobian(&mut map, &y, &g)?
    } else {
        DMatrix::zeros(0, 0)
    };
    let mut fresh = true;
    while settings.newton && iterations < settings.max_iterations {
        let Some(delta) = newton_step(&a, &f) else {
            break;
        };
        iterations += 1;
        last_change = scale.max(&delta, &y);
        if last_change <= 1.0 {
            let state = trial_point(&y, &delta, 1.0, &nonnegative);
            return Ok(SteadyState {
                state,
                period_h: period,
                iterations,
                interval_integrations: map.calls,
                jacobians,
                scaled_change: last_change,
                method: SteadyStateMethod::Newton,
            });
        }
        let merit = scale.rms(&f, &y);
        let mut lambda = 1.0;
        let mut accepted = None;
        for _ in 0..8 {
            let yt = trial_point(&y, &delta, lambda, &nonnegative);
            if let Some(gt) = map.try_eval(&yt) {
                let ft = sub(&gt, &yt);
                if scale.rms(&ft, &y) < merit {
                    accepted = Some((yt, gt, ft));
                    break;
                }
            }
            lambda *= 0.5;
        }
        match accepted {
            Some((yt, gt, ft)) => {
                // Broyden's ("good") update of A ≈ ∂F/∂y along the step taken.
                let s = DVector::from_iterator(y.len(), yt.iter().zip(&y).map(|(a, b)| a - b));
                let df = DVector::from_iterator(f.len(), ft.iter().zip(&f).map(|(a, b)| a - b));
                let ss = s.dot(&s);
                if ss > 0.0 {
                    let r = (df - &a * &s) / ss;
                    a += r * s.transpose();
                }
                y = yt;
                g = gt;
                f = ft;
                fresh = false;
            }
            None if !fresh => {
                a = jacobian(&mut map, &y, &g)?;
                jacobians += 1;
                fresh = true;
            }
            None => break,
        }
    }

    // 2. Anderson-accelerated fixed point y ← Φ(y).
    let mut hist_f: Vec<Vec<f64>> = Vec::new();
    let mut hist_g: Vec<Vec<f64>> = Vec::new();
    while iterations < settings.max_iterations {
        iterations += 1;
        last_change = scale.max(&f, &y);
        if last_change <= 1.0 {
            return Ok(SteadyState {
                state: g,
                period_h: period,
                iterations,
                interval_integrations: map.calls,
                jacobians,
                scaled_change: last_change,
                method: SteadyStateMethod::Anderson,
            });
        }
        hist_f.push(f.clone());
        hist_g.push(g.clone());
        if hist_f.len() > ANDERSON_DEPTH + 1 {
            hist_f.remove(0);
            hist_g.remove(0);
        }
        let mut next = g.clone();
        let m = hist_f.len() - 1;
        if m > 0 {
            // least squares min ‖W(f − ΔF·γ)‖ with W = diag(1/(|y| + atol)), so that
            // states in large units do not dominate
            let n = y.len();
            let w: Vec<f64> = y.iter().map(|v| 1.0 / (v.abs() + settings.atol)).collect();
            let df = DMatrix::from_fn(n, m, |i, j| (hist_f[j + 1][i] - hist_f[j][i]) * w[i]);
            let rhs = DVector::from_iterator(n, f.iter().zip(&w).map(|(f, w)| f * w));
            let svd = df.svd(true, true);
            let cutoff = 1e-10 * svd.singular_values.max();
            if let Ok(gamma) = svd.solve(&rhs, cutoff) {
                for (j, gm) in gamma.iter().enumerate() {
                    for (i, v) in next.iter_mut().enumerate() {
                        *v -= gm * (hist_g[j + 1][i] - hist_g[j][i]);
                    }
                }
            }
            if next.iter().any(|v| !v.is_finite()) {
                next = g.clone();
            }
            keep_physical(&mut next, &g, &nonnegative);
        }
        let gn = match map.try_eval(&next) {
            Some(gn) => gn,
            None => {
                // the extrapolated point failed: plain fixed-point step instead
                hist_f.clear();
                hist_g.clear();
                next = g.clone();
                map.eval(&next)?
            }
        };
        y = next;
        f = sub(&gn, &y);
        g = gn;
    }
    Err(Error::LimitExceeded {
        field: "steady_state.max_iterations".into(),
        requested: format!(
            "more iterations (last change {last_change:.3e} × the tolerance rtol {:e})",
            settings.rtol
        ),
        limit: settings.max_iterations.to_string(),
        hint: "raise max_iterations, loosen the steady-state rtol, or check that the regimen leads to a periodic orbit (a state with no elimination never settles)".into(),
    })
}
