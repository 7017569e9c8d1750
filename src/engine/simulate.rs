//! The segment loop: expand the regimen into breakpoints, integrate between them, apply
//! jumps, and collect rows.

use crate::engine::model::{Effects, Model, Observable};
use crate::engine::options::{SimOptions, MAX_ROWS};
use crate::engine::regimen::{Dose, Regimen};
use crate::engine::solver::{self, Counters, Failure, Grid, Memory, Rhs, Tolerances, MAX_STATES};
use crate::engine::trajectory::{AppliedEvent, Outcome, RowKind, SolverStats, Trajectory};
use crate::error::{Error, Result};
use crate::physiology::drugs::{self, Absorption, Disposition, Drug, Effect, Ligand};

/// Simulate `model` under `regimen`.
///
/// Validates everything first (unknown drug or route, amounts, doses at or after the end,
/// resource limits) and returns a typed [`Error`]; a solver that stops early is reported
/// in [`Trajectory::outcome`], with rows up to the time reached.
pub fn simulate(model: &dyn Model, regimen: &Regimen, options: &SimOptions) -> Result<Trajectory> {
    options.validate()?;
    regimen.validate()?;
    let plan = Plan::build(model, regimen, options)?;
    Ok(plan.run(model, options))
}

/// Every check [`simulate`] makes before integrating (drugs, routes, units, channels,
/// procedures, times, resource limits), without integrating. Field names are those of the
/// regimen's lines (`dose[2].route`).
pub fn check(model: &dyn Model, regimen: &Regimen, options: &SimOptions) -> Result<()> {
    options.validate()?;
    regimen.validate()?;
    Plan::build(model, regimen, options).map(|_| ())
}

/// Like [`simulate`], but start from `initial_state` instead of the model's own initial
/// state: the full state of a previous run ([`Trajectory::final_state`], model states
/// followed by the PK states of the drugs in the regimen, in the order the regimen first
/// uses them). Times in `regimen` and `options` are relative to the new start. Resuming a
/// run at its end with the rest of the regimen reproduces the single run (to tolerance).
pub fn simulate_from(
    model: &dyn Model,
    regimen: &Regimen,
    options: &SimOptions,
    initial_state: &[f64],
) -> Result<Trajectory> {
    options.validate()?;
    regimen.validate()?;
    let mut plan = Plan::build(model, regimen, options)?;
    if initial_state.len() < plan.n_model
        || initial_state.len() > plan.y0.len()
        || initial_state.iter().any(|v| !v.is_finite())
    {
        return Err(Error::invalid(
            "initial_state",
            format!("{} values", initial_state.len()),
            format!(
                "must hold {} to {} finite values (the model's states, then the PK states of this regimen's drugs)",
                plan.n_model,
                plan.y0.len()
            ),
        ));
    }
    plan.y0[..initial_state.len()].copy_from_slice(initial_state);
    Ok(plan.run(model, options))
}

/// Index of a ligand's central compartment and its rate constants.
#[derive(Debug, Clone)]
struct CentralState {
    idx: usize,
    /// Elimination rate constant CL/V, 1/h.
    k10: f64,
    /// Peripheral (index, k12, k21).
    peripheral: Option<(usize, f64, f64)>,
    /// Display concentration per amount in the compartment.
    conc_per_amount: f64,
}

/// The release law of an absorption depot holding amount A.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Release {
    /// `ka·A`.
    FirstOrder,
    /// `ka·A/(1 + A/Km)`: a constant rate ka·Km while A ≫ Km.
    Saturable { inv_km: f64 },
    /// Surface-limited `ka·A^(2/3)` of a dissolving solid ([`Absorption::Dissolving`]; ka
    /// in amount^(1/3)/h).
    Surface,
}

/// An absorption depot releasing by its [`Release`] law at rate constant `ka_per_h`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Depot {
    idx: usize,
    ka_per_h: f64,
    law: Release,
    /// The depot it empties into (a tablet dissolving into the gut), or `None`: its
    /// release is the ligand's absorbed flux.
    into: Option<usize>,
}

impl Depot {
    #[inline]
    fn release(&self, y: &[f64]) -> f64 {
        let a = y[self.idx];
        match self.law {
            Release::FirstOrder => self.ka_per_h * a,
            Release::Saturable { inv_km } => self.ka_per_h * a / (1.0 + a.max(0.0) * inv_km),
            Release::Surface => {
                let c = a.max(0.0).cbrt();
                self.ka_per_h * c * c
            }
        }
    }
}

/// A ligand the regimen uses, with its state indices.
#[derive(Debug, Clone)]
struct ActiveLigand {
    name: &'static str,
    central: Option<CentralState>,
    /// The absorption depots.
    depots: Vec<Depot>,
    effects: Vec<Effect>,
    column: Option<Observable>,
    /// Effect site ([`Effect::Biophase`]): (state index, equilibration rate 1/h).
    biophase: Option<(usize, f64)>,
}

impl ActiveLigand {
    /// (absorbed flux, display concentration)
    #[inline]
    fn flux_conc(&self, y: &[f64]) -> (f64, f64) {
        let flux: f64 = self
            .depots
            .iter()
            .filter(|d| d.into.is_none())
            .map(|d| d.release(y))
            .sum();
        let conc = self
            .central
            .as_ref()
            .map_or(0.0, |c| y[c.idx] * c.conc_per_amount);
        (flux, conc)
    }

    /// Add this ligand's effects at absorbed flux `flux` and plasma concentration `conc`
    /// to `e`; an [`Effect::Biophase`] reads its effect-site state instead of plasma.
    #[inline(always)]
    fn add_effects(&self, y: &[f64], flux: f64, conc: f64, e: &mut Effects) {
        let site = self.biophase.map_or(conc, |(i, _)| y[i]);
        for eff in &self.effects {
            let c = if matches!(eff, Effect::Biophase { .. }) {
                site
            } else {
                conc
            };
            e.add(eff.channel(), eff.value(flux, c));
        }
    }

    /// The PK right-hand side of this ligand's states; returns (absorbed flux, display
    /// concentration) for its effects, so the effects do not compute the releases again
    /// (a depot that feeds another, a tablet into the gut, is evaluated twice here).
    #[inline]
    fn rhs(&self, y: &[f64], dy: &mut [f64]) -> (f64, f64) {
        let mut flux = 0.0;
        for d in &self.depots {
            let f = d.release(y);
            dy[d.idx] = -f;
            if d.into.is_none() {
                flux += f;
            }
        }
        for d in &self.depots {
            if let Some(j) = d.into {
                dy[j] += d.release(y);
            }
        }
        let conc = self
            .central
            .as_ref()
            .map_or(0.0, |c| y[c.idx] * c.conc_per_amount);
        if let Some(c) = &self.central {
            let a = y[c.idx];
            let mut d = flux - c.k10 * a;
            if let Some((p, k12, k21)) = c.peripheral {
                d += k21 * y[p] - k12 * a;
                dy[p] = k12 * a - k21 * y[p];
            }
            dy[c.idx] = d;
            if let Some((i, ke0)) = self.biophase {
                dy[i] = ke0 * (a * c.conc_per_amount - y[i]);
            }
        }
        (flux, conc)
    }
}

#[inline]
fn effects_of(ligands: &[ActiveLigand], y: &[f64]) -> Effects {
    let mut e = Effects::default();
    for l in ligands {
        let (flux, conc) = l.flux_conc(y);
        l.add_effects(y, flux, conc, &mut e);
    }
    e
}

/// Model plus drug PK plus the zero-order inputs of the current segment.
struct Composite<'a> {
    model: &'a dyn Model,
    n_model: usize,
    ligands: &'a [ActiveLigand],
    rates: Option<&'a [f64]>,
}

impl Rhs for Composite<'_> {
    #[inline]
    fn eval(&self, t_h: f64, y: &[f64], dy: &mut [f64]) {
        // the drugs' PK first (states after the model's), collecting their effects
        let mut e = Effects::default();
        for l in self.ligands {
            let (flux, conc) = l.rhs(y, dy);
            l.add_effects(y, flux, conc, &mut e);
        }
        self.model
            .rhs(t_h, &y[..self.n_model], &e, &mut dy[..self.n_model]);
        if let Some(r) = self.rates {
            for (d, r) in dy.iter_mut().zip(r) {
                *d += r;
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Action {
    Bolus {
        state: usize,
        amount: f64,
    },
    Rate {
        state: usize,
        delta: f64,
    },
    Procedure {
        name: String,
    },
    /// Only records the administration (its amounts are separate events).
    Record,
    /// A requested sample row; no change to the state.
    Sample,
}

#[derive(Debug, Clone)]
struct Event {
    t_h: f64,
    action: Action,
    /// What the trajectory reports (None for the end of an infusion).
    applied: Option<AppliedEvent>,
}

struct Plan {
    n_model: usize,
    /// Columns the model itself observes (drug concentration columns follow).
    n_model_cols: usize,
    ligands: Vec<ActiveLigand>,
    y0: Vec<f64>,
    events: Vec<Event>,
    columns: Vec<Observable>,
}

impl Plan {
    fn build(model: &dyn Model, regimen: &Regimen, options: &SimOptions) -> Result<Plan> {
        let y0_model = model.initial_state();
        let n_model = model.state_names().len();
        if y0_model.len() != n_model || y0_model.iter().any(|v| !v.is_finite()) {
            return Err(Error::invalid(
                format!("{}.initial_state", model.name()),
                format!("{} values", y0_model.len()),
                format!("the model must give {n_model} finite initial values"),
            ));
        }
        if n_model == 0 {
            return Err(Error::invalid(
                format!("{}.state_names", model.name()),
                0,
                "a model needs at least one state",
            ));
        }
        let end = options.duration_h;
        let pk = model.pk_factors();
        for (name, v) in [
            ("absorption_rate", pk.absorption_rate),
            ("drug_clearance", pk.drug_clearance),
        ] {
            crate::error::positive(&format!("{}.pk_factors.{name}", model.name()), v)?;
        }
        let mut n = n_model;
        let mut ligands: Vec<ActiveLigand> = Vec::new();
        let mut events = Vec::new();

        for (i, dose) in regimen.doses().iter().enumerate() {
            let field = format!("dose[{i}]");
            if dose.last_h() >= end {
                let part = if dose.at_h() >= end { "at" } else { "count" };
                return Err(Error::AfterEnd {
                    field: format!("{field}.{part}"),
                    at_h: dose.last_h(),
                    end_h: end,
                });
            }
            let applied = |t: f64| AppliedEvent {
                t_h: t,
                name: dose.drug().to_string(),
                route: Some(dose.route()),
                amount: Some(dose.amount()),
                duration_h: dose.duration_h(),
            };
            // (state, amount delivered per administration, lag)
            let mut targets: Vec<(usize, f64, f64)> = Vec::new();
            if let Some(t) = model.dose_target(dose.drug(), dose.route()) {
                check_kind(&field, dose, t.kind)?;
                if t.state >= n_model {
                    return Err(Error::invalid(
                        format!("{}.dose_target", model.name()),
                        t.state,
                        "state index out of range",
                    ));
                }
                targets.push((t.state, dose.amount().value * t.per_unit, 0.0));
            } else {
                let drug = drugs::find(dose.drug()).ok_or_else(|| Error::UnknownDrug {
                    field: format!("{field}.drug"),
                    name: dose.drug().to_string(),
                    known: drugs::known_names(),
                })?;
                let spec = drug
                    .route(dose.route())
                    .ok_or_else(|| Error::UnsupportedRoute {
                        field: format!("{field}.route"),
                        drug: drug.name.to_string(),
                        route: dose.route().to_string(),
                        supported: drug
                            .routes
                            .iter()
                            .map(|r| r.route.name())
                            .collect::<Vec<_>>()
                            .join(", "),
                    })?;
                check_kind(&field, dose, drug.amount_kind)?;
                let channels = drug.channels();
                if !channels.iter().any(|&c| model.reads(c)) {
                    return Err(Error::DrugNotOnModel {
                        field: format!("{field}.drug"),
                        drug: drug.name.to_string(),
                        channels: channels
                            .iter()
                            .map(|c| c.name())
                            .collect::<Vec<_>>()
                            .join(", "),
                        model: model.name().to_string(),
                    });
                }
                for input in &spec.inputs {
                    let ligand = drug
                        .ligand(input.ligand)
                        .ok_or_else(|| registry_bug(drug, input.ligand))?;
                    let li = activate(&mut ligands, &mut n, ligand, pk.drug_clearance)?;
                    let pk_rate = pk.absorption_rate;
                    // (receiving state, its units per unit of delivered dose)
                    let (state, per_unit) = match input.absorption {
                        Absorption::FirstOrder { ka_per_h } => (
                            depot(
                                &mut ligands[li],
                                &mut n,
                                ka_per_h * pk_rate,
                                Release::FirstOrder,
                                None,
                            ),
                            1.0,
                        ),
                        Absorption::ZeroOrder {
                            rate_per_h,
                            km_amount,
                        } => (
                            depot(
                                &mut ligands[li],
                                &mut n,
                                rate_per_h / km_amount * pk_rate,
                                Release::Saturable {
                                    inv_km: 1.0 / km_amount,
                                },
                                None,
                            ),
                            1.0,
                        ),
                        Absorption::Dissolving {
                            unit_amount,
                            unit_rate_per_h,
                        } => {
                            // N units of the delivered amount: rate·N^(1/3)/m₀^(2/3)·A^(2/3)
                            let units = dose.amount().value * input.fraction / unit_amount;
                            let k = unit_rate_per_h * units.cbrt() / unit_amount.powf(2.0 / 3.0);
                            (
                                depot(
                                    &mut ligands[li],
                                    &mut n,
                                    k * pk_rate,
                                    Release::Surface,
                                    None,
                                ),
                                1.0,
                            )
                        }
                        Absorption::Tablet {
                            dissolve_per_h,
                            ka_per_h,
                        } => {
                            let gut = depot(
                                &mut ligands[li],
                                &mut n,
                                ka_per_h * pk_rate,
                                Release::FirstOrder,
                                None,
                            );
                            let pill = depot(
                                &mut ligands[li],
                                &mut n,
                                dissolve_per_h * pk_rate,
                                Release::FirstOrder,
                                Some(gut),
                            );
                            (pill, 1.0)
                        }
                        Absorption::Direct => match &ligands[li].central {
                            Some(c) => (c.idx, 1.0),
                            None => direct_into_model(model, ligand, n_model).ok_or_else(|| {
                                Error::invalid(
                                    format!("{field}.route"),
                                    dose.route(),
                                    format!(
                                        "the {} model takes no direct (iv) input of {}",
                                        model.name(),
                                        drug.name
                                    ),
                                )
                            })?,
                        },
                    };
                    let f = input.bioavailability.at(dose.amount().value);
                    if !(0.0..=1.0).contains(&f) {
                        return Err(registry_bug(drug, input.ligand));
                    }
                    targets.push((
                        state,
                        dose.amount().value * input.fraction * f * per_unit,
                        input.lag_h,
                    ));
                }
            }
            for t in dose.times_h() {
                events.push(Event {
                    t_h: t,
                    action: Action::Record,
                    applied: Some(applied(t)),
                });
                for &(state, amount, lag) in &targets {
                    let ta = t + lag;
                    if ta >= end {
                        continue;
                    }
                    match dose.duration_h() {
                        None => events.push(Event {
                            t_h: ta,
                            action: Action::Bolus { state, amount },
                            applied: None,
                        }),
                        Some(d) => {
                            let rate = amount / d;
                            events.push(Event {
                                t_h: ta,
                                action: Action::Rate { state, delta: rate },
                                applied: None,
                            });
                            if ta + d < end {
                                events.push(Event {
                                    t_h: ta + d,
                                    action: Action::Rate {
                                        state,
                                        delta: -rate,
                                    },
                                    applied: None,
                                });
                            }
                        }
                    }
                }
            }
        }

        if n > MAX_STATES {
            return Err(Error::LimitExceeded {
                field: if n_model > MAX_STATES {
                    format!("{}.state_names", model.name())
                } else {
                    "dose".into()
                },
                requested: format!("{n} states"),
                limit: format!("{MAX_STATES} states"),
                hint: "use fewer different drugs and routes in one run, or a smaller model".into(),
            });
        }
        let known = model.procedures();
        for (i, p) in regimen.procedures().iter().enumerate() {
            let field = format!("procedure[{i}]");
            if !known.contains(&p.name()) {
                return Err(Error::UnknownProcedure {
                    field: format!("{field}.name"),
                    name: p.name().to_string(),
                    model: model.name().to_string(),
                    known: if known.is_empty() {
                        "(none)".into()
                    } else {
                        known.join(", ")
                    },
                });
            }
            if p.at_h() >= end {
                return Err(Error::AfterEnd {
                    field: format!("{field}.at"),
                    at_h: p.at_h(),
                    end_h: end,
                });
            }
            events.push(Event {
                t_h: p.at_h(),
                action: Action::Procedure {
                    name: p.name().to_string(),
                },
                applied: Some(AppliedEvent {
                    t_h: p.at_h(),
                    name: p.name().to_string(),
                    route: None,
                    amount: None,
                    duration_h: None,
                }),
            });
        }
        for &t in &options.sample_times_h {
            if t < end {
                events.push(Event {
                    t_h: t,
                    action: Action::Sample,
                    applied: None,
                });
            }
        }
        events.sort_by(|a, b| a.t_h.total_cmp(&b.t_h));
        // Snap events closer than 1e-9 h (relative) onto one breakpoint: times computed
        // as at + k·every by different lines may differ by an ulp.
        for i in 1..events.len() {
            let prev = events[i - 1].t_h;
            if events[i].t_h - prev <= 1e-9 * prev.abs().max(1.0) {
                events[i].t_h = prev;
            }
        }

        let rows = options
            .grid_rows()
            .saturating_add(2 * events.len() as u64 + 1);
        if rows > MAX_ROWS {
            return Err(Error::LimitExceeded {
                field: "output_every".into(),
                requested: format!("{rows} rows"),
                limit: format!("{MAX_ROWS} rows"),
                hint: "use a coarser output_every, fewer doses or a shorter duration".into(),
            });
        }

        let mut columns = model.observables();
        let n_model_cols = columns.len();
        columns.extend(ligands.iter().filter_map(|l| l.column.clone()));
        let mut y0 = y0_model;
        y0.resize(n, 0.0);
        Ok(Plan {
            n_model,
            n_model_cols,
            ligands,
            y0,
            events,
            columns,
        })
    }

    fn run(self, model: &dyn Model, options: &SimOptions) -> Trajectory {
        let Plan {
            n_model,
            n_model_cols,
            ligands,
            mut y0,
            events,
            columns,
        } = self;
        let n = y0.len();
        let end = options.duration_h;
        let dt = options.output_every_h;
        let n_cols = columns.len();
        let n_grid = options.grid_rows() as usize;
        let capacity = n_grid + 2 * events.len() + 1; // sample events add one row each
        let eps = |t: f64| 1e-9 * t.abs().max(1.0);

        let mut times_h = Vec::with_capacity(capacity);
        let mut values = Vec::with_capacity(capacity * n_cols);
        let mut kinds = Vec::with_capacity(capacity);
        let mut obs = vec![0.0; n_cols];
        let mut push_row = |t: f64,
                            y: &[f64],
                            kind: RowKind,
                            times_h: &mut Vec<f64>,
                            values: &mut Vec<f64>,
                            kinds: &mut Vec<RowKind>| {
            let e = effects_of(&ligands, y);
            model.observe(t, &y[..n_model], &e, &mut obs[..n_model_cols]);
            let concs = ligands
                .iter()
                .filter(|l| l.column.is_some())
                .map(|l| l.flux_conc(y).1);
            for (slot, c) in obs[n_model_cols..].iter_mut().zip(concs) {
                *slot = c;
            }
            times_h.push(t);
            values.extend_from_slice(&obs);
            kinds.push(kind);
        };

        let tol = Tolerances {
            rtol: options.rtol,
            atol: options.atol,
            max_steps: options.max_steps,
            max_step_h: options.max_step_h,
            method: options.method,
        };
        // carried across the dose segments of this run (learnt Jacobian sparsity, first step)
        let mut memory = Memory::default();
        let mut rates = vec![0.0; n];
        let mut any_rate = false;
        let mut counters = Counters::default();
        let mut segments = 0u64;
        let mut applied = Vec::new();
        let mut outcome = Outcome::Completed;
        let grid_time = |k: usize| k as f64 * dt;
        // Index of the next grid row not yet written.
        let mut next_grid = 0usize;
        let mut t_prev = 0.0;
        let mut ev = 0usize;
        let mut y = std::mem::take(&mut y0);
        if events.first().is_none_or(|e| e.t_h > 0.0) {
            push_row(
                0.0,
                &y,
                RowKind::Grid,
                &mut times_h,
                &mut values,
                &mut kinds,
            );
            next_grid = 1;
        }

        loop {
            let (b, is_end) = match events.get(ev) {
                Some(e) => (e.t_h, false),
                None => (end, true),
            };
            if b > t_prev {
                // grid points strictly inside (t_prev, b)
                while next_grid < n_grid && grid_time(next_grid) <= t_prev + eps(t_prev) {
                    next_grid += 1;
                }
                let mut last = next_grid;
                while last < n_grid && grid_time(last) < b - eps(b) {
                    last += 1;
                }
                let grid = (last > next_grid).then(|| Grid {
                    first_h: grid_time(next_grid),
                    step_h: dt,
                    first_index: next_grid,
                    count: last - next_grid,
                });
                let sys = Composite {
                    model,
                    n_model,
                    ligands: &ligands,
                    rates: any_rate.then_some(&rates[..]),
                };
                let mut emit = |k: usize, ys: &[f64]| {
                    push_row(
                        grid_time(k),
                        ys,
                        RowKind::Grid,
                        &mut times_h,
                        &mut values,
                        &mut kinds,
                    )
                };
                let r = solver::integrate(
                    &sys,
                    &tol,
                    t_prev,
                    b,
                    &mut y,
                    grid,
                    &mut emit,
                    &mut counters,
                    &mut memory,
                );
                segments += 1;
                next_grid = last;
                if let Err(f) = r {
                    outcome = match f {
                        Failure::MaxSteps { t_h } => Outcome::MaxStepsReached { t_h },
                        Failure::StepSizeUnderflow { t_h } => Outcome::StepSizeUnderflow { t_h },
                    };
                    break;
                }
                t_prev = b;
            }
            let on_grid = next_grid < n_grid && (grid_time(next_grid) - b).abs() <= eps(b);
            if is_end {
                push_row(
                    end,
                    &y,
                    if on_grid { RowKind::Grid } else { RowKind::End },
                    &mut times_h,
                    &mut values,
                    &mut kinds,
                );
                break;
            }
            let only_samples = events[ev..]
                .iter()
                .take_while(|e| e.t_h == b)
                .all(|e| matches!(e.action, Action::Sample));
            if only_samples {
                push_row(
                    b,
                    &y,
                    if on_grid {
                        RowKind::Grid
                    } else {
                        RowKind::Sample
                    },
                    &mut times_h,
                    &mut values,
                    &mut kinds,
                );
                while events.get(ev).is_some_and(|e| e.t_h == b) {
                    ev += 1;
                }
                if on_grid {
                    next_grid += 1;
                }
                continue;
            }
            // Apply every event at time b.
            if options.dose_rows {
                push_row(
                    b,
                    &y,
                    RowKind::BeforeEvent,
                    &mut times_h,
                    &mut values,
                    &mut kinds,
                );
            }
            while let Some(e) = events.get(ev).filter(|e| e.t_h == b) {
                match &e.action {
                    Action::Bolus { state, amount } => y[*state] += amount,
                    Action::Rate { state, delta } => {
                        rates[*state] += delta;
                        any_rate = true;
                    }
                    Action::Procedure { name } => model.apply_procedure(name, &mut y[..n_model]),
                    Action::Record | Action::Sample => {}
                }
                if let Some(a) = &e.applied {
                    applied.push(a.clone());
                }
                ev += 1;
            }
            if any_rate {
                // Clear round-off left by +rate / −rate pairs so a finished infusion is exactly off.
                for r in rates.iter_mut() {
                    if r.abs() < 1e-12 {
                        *r = 0.0;
                    }
                }
                any_rate = rates.iter().any(|&r| r != 0.0);
            }
            if options.dose_rows {
                push_row(
                    b,
                    &y,
                    RowKind::AfterEvent,
                    &mut times_h,
                    &mut values,
                    &mut kinds,
                );
            } else if on_grid {
                push_row(b, &y, RowKind::Grid, &mut times_h, &mut values, &mut kinds);
            }
            if on_grid {
                next_grid += 1;
            }
        }

        Trajectory {
            final_state: y,
            columns,
            times_h,
            values,
            kinds,
            events: applied,
            stats: SolverStats {
                rhs_evals: counters.rhs_evals,
                accepted_steps: counters.accepted_steps,
                rejected_steps: counters.rejected_steps,
                segments,
                jacobian_evals: counters.jacobian_evals,
                lu_decompositions: counters.lu_decompositions,
            },
            outcome,
        }
    }
}

fn check_kind(field: &str, dose: &Dose, kind: crate::engine::units::AmountKind) -> Result<()> {
    if dose.amount().kind != kind {
        return Err(Error::InvalidUnit {
            field: format!("{field}.amount"),
            value: dose.amount().to_string(),
            expected: format!("{} ({})", kind.accepted(), dose.drug()),
        });
    }
    Ok(())
}

/// The depot of `ligand` with these constants (shared by doses of the same route), or a
/// new one at state index `*n`.
fn depot(
    ligand: &mut ActiveLigand,
    n: &mut usize,
    ka_per_h: f64,
    law: Release,
    into: Option<usize>,
) -> usize {
    let same = |d: &&Depot| d.ka_per_h == ka_per_h && d.law == law && d.into == into;
    if let Some(d) = ligand.depots.iter().find(same) {
        return d.idx;
    }
    ligand.depots.push(Depot {
        idx: *n,
        ka_per_h,
        law,
        into,
    });
    *n += 1;
    *n - 1
}

/// Where an iv dose of an absorbed ligand (no central compartment of its own) enters the
/// model: through the first of its flux channels the model takes directly
/// ([`Model::direct_input`]), as (state, state units per dose unit).
fn direct_into_model(model: &dyn Model, ligand: &Ligand, n_model: usize) -> Option<(usize, f64)> {
    ligand.effects.iter().find_map(|e| match *e {
        Effect::Flux { channel, scale } => model
            .direct_input(channel)
            .filter(|&(state, per)| state < n_model && per.is_finite() && per > 0.0)
            .map(|(state, per)| (state, scale * per)),
        _ => None,
    })
}

fn registry_bug(drug: &Drug, ligand: &str) -> Error {
    Error::invalid(format!("drug registry: {}", drug.name), ligand, "inconsistent drug definition (ligand missing, iv into an absorbed-only ligand, or F outside [0, 1])")
}

/// Index of the active ligand for `ligand`, adding it (and its central states) if new.
fn activate(
    ligands: &mut Vec<ActiveLigand>,
    n: &mut usize,
    ligand: &Ligand,
    clearance_factor: f64,
) -> Result<usize> {
    if let Some(i) = ligands.iter().position(|l| l.name == ligand.name) {
        return Ok(i);
    }
    let (central, column) = match ligand.disposition {
        Disposition::Absorbed => (None, None),
        Disposition::Central {
            volume_l,
            clearance_l_h,
            peripheral,
            conc_unit,
            conc_scale,
        } => {
            let idx = *n;
            *n += 1;
            let peripheral = peripheral.map(|p| {
                *n += 1;
                (idx + 1, p.q_l_h / volume_l, p.q_l_h / p.volume_l)
            });
            let column = Observable::new(
                &format!("{}_{}", ligand.name, conc_unit),
                ligand.name,
                &conc_unit.replace('_', "/"),
            );
            (
                Some(CentralState {
                    idx,
                    k10: clearance_l_h * clearance_factor / volume_l,
                    peripheral,
                    conc_per_amount: conc_scale / volume_l,
                }),
                Some(column),
            )
        }
    };
    let biophase = match ligand.effects.iter().find_map(|e| match *e {
        Effect::Biophase { half_life_h, .. } => Some(half_life_h),
        _ => None,
    }) {
        Some(t_half_h) if central.is_some() && t_half_h > 0.0 && t_half_h.is_finite() => {
            *n += 1;
            Some((*n - 1, std::f64::consts::LN_2 / t_half_h))
        }
        Some(_) => {
            return Err(Error::invalid(
                format!("drug registry: ligand {}", ligand.name),
                "Biophase",
                "an effect site needs a central compartment and a positive half-life",
            ))
        }
        None => None,
    };
    ligands.push(ActiveLigand {
        name: ligand.name,
        central,
        depots: Vec::new(),
        effects: ligand.effects.clone(),
        column,
        biophase,
    });
    Ok(ligands.len() - 1)
}
