//! Dose proposals: the regimen most likely, under a patient's fitted posterior, to keep
//! every target window at steady state.
//!
//! Research and education only; not medical advice.
//!
//! # What is searched
//!
//! One dose line of the scenario (its drug, route and time of day) is varied over an
//! amount ladder (the product's label ladder, [`crate::drugs::labels`], or the scenario's
//! `[propose] levels`) and over the intervals `[propose] every` allows (by default only
//! the line's own). Each candidate is judged at its periodic steady state
//! ([`crate::steady_state::steady_start`]): a target `ASSAY LO..HI UNIT` holds when the
//! assay stays inside [LO, HI] over the whole steady-state interval, trough to peak, on a
//! grid of at most one hour.
//!
//! # The probability
//!
//! The fit's Laplace posterior of η = ln θ is sampled ([`ProposeSettings::samples`]
//! draws, the same draws for every candidate, so that candidates are compared on the same
//! virtual patients). For each candidate the steady-state profile is computed at the MAP
//! estimate, and again with each parameter that can move the targets stepped by ± its
//! posterior sd h_k (two more steady states per parameter); each draw's profile is
//! ln y(t) + Σ_k [g_k(t)·δ_k + ½ c_k(t)·δ_k²], δ = η − η̂, with the central slope g_k and
//! curvature c_k of those three points: exact at δ_k ∈ {0, ±h_k}, without the cross
//! terms. (A first-order expansion from a small step missed the curvature of the trough
//! in the absorption rate and the LH drive: 0.29 against 0.40 from full steady states in
//! `tests/precision.rs`, which checks this against full steady states of individual draws;
//! 0.34 with the curvature.) The probability is the share of draws whose profile keeps every
//! target; its Monte-Carlo standard error is reported.
//!
//! # Ranking
//!
//! Highest probability first; ties go to a regimen within the label, then to the one
//! whose MAP profile sits deepest inside the windows (largest smallest log margin). A
//! regimen outside the label's dosing is only ever searched when the scenario asks for it
//! (`levels` or `every` beyond the label), and is marked `within_label: false` with a
//! note naming the label's range; the best regimen within the label is then reported too.

use crate::clinic::fit::{Fit, TypicalSubject};
use crate::drugs::labels::{self, LabelDosing};
use crate::error::{Error, Result};
use crate::labs::Assay;
use crate::steady_state::{steady_start, SteadyStateSettings};
use crate::units::{self, Amount};
use crate::SimOptions;
use crate::{Dose, Regimen};
use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use serde::Serialize;

/// A window an assay must stay inside across the steady-state interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Target {
    /// Assay.
    pub assay: Assay,
    /// Lower bound in the assay's unit (0: none).
    pub low: f64,
    /// Upper bound in the assay's unit.
    pub high: f64,
}

impl Target {
    /// Parse `"ASSAY LO..HI UNIT"` (`"total_t 400..800 ng/dL"`, `"e2 0..50 pg/mL"`);
    /// errors name `field`.
    pub fn parse(field: &str, s: &str) -> Result<Target> {
        let bad = |reason: &str| Error::invalid(field, format!("\"{s}\""), reason);
        let mut parts = s.split_whitespace();
        let (Some(assay), Some(range)) = (parts.next(), parts.next()) else {
            return Err(bad(
                "write ASSAY LO..HI UNIT, e.g. \"total_t 400..800 ng/dL\"",
            ));
        };
        let unit: String = parts.collect::<Vec<_>>().join(" ");
        let assay = Assay::from_name(assay).ok_or_else(|| Error::UnknownName {
            field: format!("{field}.assay"),
            value: assay.into(),
            known: Assay::known(),
        })?;
        let Some((lo, hi)) = range.split_once("..") else {
            return Err(bad("the window is LO..HI, e.g. 400..800"));
        };
        let num = |x: &str, which: &str| -> Result<f64> {
            x.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| {
                    Error::invalid(
                        format!("{field}.{which}"),
                        x,
                        "a bound is a finite number ≥ 0",
                    )
                })
        };
        let (lo, hi) = (num(lo, "low")?, num(hi, "high")?);
        if unit.is_empty() {
            return Err(bad(&format!("give the unit, e.g. {}", assay.unit())));
        }
        let per_unit = units::parse_concentration(
            &format!("{field}.unit"),
            &format!("1 {unit}"),
            assay.analyte(),
        )?;
        if lo >= hi {
            return Err(Error::invalid(
                format!("{field}.low"),
                format!("{lo} {unit}"),
                format!("the low bound must be below the high bound ({hi} {unit})"),
            ));
        }
        Ok(Target {
            assay,
            low: lo * per_unit,
            high: hi * per_unit,
        })
    }

    /// `"total_t 400..800 ng/dL"` in the assay's unit.
    pub fn describe(&self) -> String {
        format!(
            "{} {}..{} {}",
            self.assay.name(),
            self.low,
            self.high,
            self.assay.unit()
        )
    }
}

/// How hard to search.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposeSettings {
    /// Posterior draws (default 2000).
    pub samples: usize,
    /// Seed of the draws (default 0).
    pub seed: u64,
    /// How many runners-up to report (default 4).
    pub alternatives: usize,
}

impl Default for ProposeSettings {
    fn default() -> Self {
        ProposeSettings {
            samples: 2000,
            seed: 0,
            alternatives: 4,
        }
    }
}

/// What a proposal searches.
#[derive(Debug, Clone)]
pub struct ProposeProblem {
    /// The typical subject the fit started from.
    pub subject: TypicalSubject,
    /// The patient's fit (its posterior is sampled).
    pub fit: Fit,
    /// The dose line varied (drug, route; its `at` sets the time of day).
    pub line: Dose,
    /// Amounts to try, in the line's unit (mg or IU).
    pub amounts: Vec<f64>,
    /// Intervals to try, h.
    pub intervals_h: Vec<f64>,
    /// The windows.
    pub targets: Vec<Target>,
    /// Integration options (tolerances).
    pub options: SimOptions,
    /// Search settings.
    pub settings: ProposeSettings,
}

/// One administration line of a proposed regimen (contract: drug, route, amount, every).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProposedDose {
    /// Drug.
    pub drug: String,
    /// Route.
    pub route: String,
    /// Amount with its unit (`"100 mg"`).
    pub amount: String,
    /// Interval (`"7 d"`, `"12 h"`).
    pub every: String,
}

/// The MAP steady-state range of one target's assay.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetRange {
    /// Assay.
    pub assay: String,
    /// Lowest value over the interval at the MAP estimate.
    pub min: f64,
    /// Highest value over the interval at the MAP estimate.
    pub max: f64,
    /// Unit.
    pub unit: String,
}

/// One candidate regimen and how likely it keeps the targets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegimenOption {
    /// The regimen (one line).
    pub regimen: Vec<ProposedDose>,
    /// Posterior probability that every target holds across the steady-state interval.
    pub probability_in_target: f64,
    /// Monte-Carlo standard error of the probability.
    pub probability_se: f64,
    /// Whether amount and interval are within the label's dosing (`None`: no label known).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within_label: Option<bool>,
    /// Steady-state range of each target's assay at the MAP estimate.
    pub map_range: Vec<TargetRange>,
    /// Whether the probability used this candidate's own sensitivities (`false`: the
    /// screening approximation, module docs).
    #[serde(skip)]
    pub exact: bool,
    #[serde(skip)]
    amount: f64,
    #[serde(skip)]
    every_h: f64,
    #[serde(skip)]
    margin: f64,
}

impl RegimenOption {
    /// Amount in the line's unit.
    pub fn amount(&self) -> f64 {
        self.amount
    }
    /// Interval, h.
    pub fn every_h(&self) -> f64 {
        self.every_h
    }
}

/// A proposal (contract: regimen, probability_in_target, alternatives) with its notes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    /// The regimen with the highest probability.
    pub regimen: Vec<ProposedDose>,
    /// Its probability.
    pub probability_in_target: f64,
    /// Monte-Carlo standard error of the probability.
    pub probability_se: f64,
    /// Whether it is within the label's dosing (`None`: no label known).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within_label: Option<bool>,
    /// Steady-state range of each target's assay at the MAP estimate.
    pub map_range: Vec<TargetRange>,
    /// The runners-up, best first.
    pub alternatives: Vec<RegimenOption>,
    /// The best regimen within the label when the proposal is outside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best_within_label: Option<RegimenOption>,
    /// The targets, as parsed.
    pub targets: Vec<String>,
    /// What the reader must know (label, identifiability, convergence).
    pub notes: Vec<String>,
    /// Every candidate, best first.
    #[serde(skip)]
    pub candidates: Vec<RegimenOption>,
}

/// Format an interval in hours as the scenario writes it (`"7 d"`, `"12 h"`).
pub fn format_interval(h: f64) -> String {
    if (h / 24.0 - (h / 24.0).round()).abs() < 1e-9 {
        format!("{} d", (h / 24.0).round())
    } else {
        format!("{h} h")
    }
}

/// Format an amount in its unit (`"100 mg"`).
pub fn format_amount(v: f64, unit: &str) -> String {
    let r = (v * 1000.0).round() / 1000.0;
    format!("{r} {unit}")
}

/// Relative tolerance of the candidates' steady states: far below the assay's CV and
/// the posterior's spread. Never below ten times the integrator's own `rtol` (see
/// [`steady_state_rtol`]): the steady state is the fixed point of the *numerical* period
/// map, whose rounding and step-selection noise is of the order of that `rtol`, so a
/// tolerance at the integrator's (1e-6 with the default Dopri5) can stall just above it
/// (seen in session 6: for one virtual patient of `examples/precision_study.rs` the
/// warm-started fixed-point iteration ended its 100 iterations at 2.5× a 1e-6 tolerance,
/// and Newton from the same start at 4.1×: both at the map's noise, not slow convergence).
const STEADY_STATE_RTOL: f64 = 1e-5;

/// The candidates' steady-state tolerance for integrator options `options`.
fn steady_state_rtol(options: &SimOptions) -> f64 {
    STEADY_STATE_RTOL.max(10.0 * options.rtol)
}

/// The steady-state profile of one candidate for one parameter set: per target, ln y on
/// the grid.
#[allow(clippy::too_many_arguments)]
fn profile(
    subject: &TypicalSubject,
    values: &[(&str, f64)],
    line: &Dose,
    amount: f64,
    every_h: f64,
    targets: &[Target],
    options: &SimOptions,
    guess: Option<&[f64]>,
) -> Result<(Vec<Vec<f64>>, Vec<f64>)> {
    let model = subject.model_with(values)?;
    let phase = line.at_h().rem_euclid(every_h);
    let amt = Amount {
        value: amount,
        kind: line.amount().kind,
    };
    let build = |period: f64| -> Result<Regimen> {
        let count = (((period - phase) / every_h) - 1e-9).floor().max(0.0) as u64 + 1;
        let mut d = Dose::new(line.drug(), line.route(), amt, phase)?;
        d = d.every(every_h, count.max(1))?;
        if let Some(t) = line.duration_h() {
            d = d.over(t)?;
        }
        Ok(Regimen::new().with(d))
    };
    let mut settings = SteadyStateSettings {
        rtol: steady_state_rtol(options),
        ..SteadyStateSettings::default()
    };
    // from a neighbouring candidate's steady state, fixed-point iteration converges
    // in fewer period integrations than Newton's finite-difference Jacobian costs
    settings.newton = guess.is_none();
    settings.initial_guess = guess.map(|g| g.to_vec());
    let mut o = options.clone();
    o.duration_h = every_h;
    o.output_every_h = (every_h / 24.0).min(1.0);
    o.dose_rows = true;
    o.sample_times_h = Vec::new();
    let mut regimen = build(every_h)?;
    let mut ss = steady_start(model.as_ref(), &regimen, 1, &o, &settings)?;
    if ss.period_h > every_h * (1.0 + 1e-9) {
        o.duration_h = ss.period_h;
        regimen = build(ss.period_h)?;
        ss = steady_start(model.as_ref(), &regimen, 1, &o, &settings)?;
    }
    let tr = crate::simulate_from(model.as_ref(), &regimen, &o, &ss.state)?;
    if !tr.outcome().is_completed() {
        return Err(Error::invalid(
            "propose",
            format!("steady-state interval: {}", tr.outcome()),
            "the model could not be integrated for this candidate",
        ));
    }
    let series = targets
        .iter()
        .map(|t| {
            let (col, factor) = t.assay.column();
            tr.series(col)
                .map(|s| s.iter().map(|v| (v * factor).max(1e-12).ln()).collect())
                .ok_or_else(|| Error::UnknownName {
                    field: "target.assay".into(),
                    value: t.assay.name().into(),
                    known: "the assays of this axis".into(),
                })
        })
        .collect::<Result<Vec<Vec<f64>>>>()?;
    Ok((series, ss.state))
}

/// ln y of one candidate's steady-state profile around the MAP estimate, per parameter:
/// slope and curvature in η_k, per target, per grid point.
struct Expansion {
    slope: Vec<Vec<f64>>,
    curvature: Vec<Vec<f64>>,
}

fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        })
}

/// Propose the regimen (module docs).
pub fn propose(problem: &ProposeProblem) -> Result<Proposal> {
    let ProposeProblem {
        subject,
        fit,
        line,
        amounts,
        intervals_h,
        targets,
        options,
        settings,
    } = problem;
    if targets.is_empty() {
        return Err(Error::MissingField {
            field: "target".into(),
        });
    }
    if amounts.is_empty() || intervals_h.is_empty() {
        return Err(Error::invalid(
            "propose",
            "(no candidates)",
            "give at least one amount and one interval",
        ));
    }
    if settings.samples == 0 {
        return Err(Error::invalid("propose.samples", 0, "must be at least 1"));
    }
    let all = subject.parameters();
    let label = labels::label_dosing(line.drug(), line.route());
    let unit = line.amount().kind.unit();

    // Parameters that can move a target for this product (structurally), and a
    // Cholesky factor of their posterior covariance.
    let target_assays: Vec<Assay> = targets.iter().map(|t| t.assay).collect();
    let probe_regimen = Regimen::new().with(line.clone());
    let moving = crate::clinic::fit::informed_parameters(subject, &probe_regimen, &target_assays);
    let idx: Vec<usize> = (0..all.len()).filter(|&k| moving[k]).collect();
    let q = idx.len();
    let cov = DMatrix::from_fn(q, q, |a, b| fit.covariance[(idx[a], idx[b])]);
    let chol = cov
        .clone()
        .cholesky()
        .ok_or_else(|| Error::invalid("fit", "covariance", "not positive definite"))?;
    let l = chol.l();
    let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
    let deltas: Vec<Vec<f64>> = (0..settings.samples)
        .map(|_| {
            let z: Vec<f64> = (0..q).map(|_| StandardNormal.sample(&mut rng)).collect();
            (0..q)
                .map(|a| (0..=a).map(|b| l[(a, b)] * z[b]).sum())
                .collect()
        })
        .collect();
    let map_values: Vec<(&str, f64)> = fit.estimates();
    // Each parameter is stepped by its posterior sd (at least 0.05, at most 1 in ln θ),
    // both ways: the slope and the curvature of ln y over the posterior's own scale.
    let steps: Vec<f64> = idx
        .iter()
        .map(|&k| fit.covariance[(k, k)].max(0.0).sqrt().clamp(0.05, 1.0))
        .collect();

    // 1. The MAP steady-state profile of every candidate (warm-started along the ladder).
    struct Eval {
        amount: f64,
        every_h: f64,
        base: Vec<Vec<f64>>,
        state: Vec<f64>,
        sens: Option<Vec<Expansion>>,
    }
    let mut evals: Vec<Eval> = Vec::new();
    for &every_h in intervals_h {
        let mut guess: Option<Vec<f64>> = None;
        for &amount in amounts {
            let (base, state) = profile(
                subject,
                &map_values,
                line,
                amount,
                every_h,
                targets,
                options,
                guess.as_deref(),
            )?;
            guess = Some(state.clone());
            evals.push(Eval {
                amount,
                every_h,
                base,
                state,
                sens: None,
            });
        }
    }
    let sensitivities = |e: &Eval| -> Result<Vec<Expansion>> {
        idx.iter()
            .zip(&steps)
            .map(|(&k, &h)| {
                let shifted = |sign: f64| -> Result<Vec<Vec<f64>>> {
                    let mut v = map_values.clone();
                    v[k].1 *= (sign * h).exp();
                    Ok(profile(
                        subject,
                        &v,
                        line,
                        e.amount,
                        e.every_h,
                        targets,
                        options,
                        Some(&e.state),
                    )?
                    .0)
                };
                let (up, down) = (shifted(1.0)?, shifted(-1.0)?);
                let per_target = |f: &dyn Fn(f64, f64, f64) -> f64| -> Vec<Vec<f64>> {
                    up.iter()
                        .zip(&down)
                        .zip(&e.base)
                        .map(|((u, d), b)| {
                            u.iter()
                                .zip(d)
                                .zip(b)
                                .map(|((&u, &d), &b)| f(u, d, b))
                                .collect()
                        })
                        .collect()
                };
                Ok(Expansion {
                    slope: per_target(&|u, d, _| (u - d) / (2.0 * h)),
                    curvature: per_target(&|u, d, b| (u - 2.0 * b + d) / (h * h)),
                })
            })
            .collect()
    };
    let probability = |base: &[Vec<f64>], sens: &[Expansion]| -> f64 {
        let mut hits = 0usize;
        let mut y = vec![0.0; base.first().map_or(0, Vec::len)];
        for d in &deltas {
            let ok = targets.iter().enumerate().all(|(ti, t)| {
                y.copy_from_slice(&base[ti]);
                for (a, s) in sens.iter().enumerate() {
                    let (da, half_da2) = (d[a], 0.5 * d[a] * d[a]);
                    for ((yi, gi), ci) in y.iter_mut().zip(&s.slope[ti]).zip(&s.curvature[ti]) {
                        *yi += gi * da + ci * half_da2;
                    }
                }
                let (lo, hi) = y
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                        (a.min(v), b.max(v))
                    });
                (t.low <= 0.0 || lo >= t.low.ln()) && hi <= t.high.ln()
            });
            hits += usize::from(ok);
        }
        hits as f64 / deltas.len() as f64
    };
    let margin_of = |base: &[Vec<f64>]| -> f64 {
        targets
            .iter()
            .zip(base)
            .map(|(t, b)| {
                let (lo, hi) = min_max(b);
                let low = if t.low > 0.0 {
                    lo - t.low.ln()
                } else {
                    f64::INFINITY
                };
                low.min(t.high.ln() - hi)
            })
            .fold(f64::INFINITY, f64::min)
    };
    // 2. Screening: each interval's candidates share the sensitivities of its candidate
    //    deepest inside the windows (ln y is close to linear in η, and its slope in η
    //    changes little along a ladder).
    let mut screened: Vec<(usize, f64)> = Vec::new();
    for &every_h in intervals_h {
        let members: Vec<usize> = (0..evals.len())
            .filter(|&i| evals[i].every_h == every_h)
            .collect();
        let Some(&reference) = members
            .iter()
            .max_by(|&&a, &&b| margin_of(&evals[a].base).total_cmp(&margin_of(&evals[b].base)))
        else {
            continue;
        };
        let sens = sensitivities(&evals[reference])?;
        for &i in &members {
            screened.push((i, probability(&evals[i].base, &sens)));
        }
        evals[reference].sens = Some(sens);
    }
    // 3. Refinement: exact sensitivities for the most likely candidates and the best
    //    within the label.
    let rank_key = |i: usize, p: f64| {
        let within = label
            .as_ref()
            .is_none_or(|l| l.allows(evals[i].amount, evals[i].every_h));
        (p, within, margin_of(&evals[i].base))
    };
    screened.sort_by(|a, b| {
        let (pa, wa, ma) = rank_key(a.0, a.1);
        let (pb, wb, mb) = rank_key(b.0, b.1);
        pb.total_cmp(&pa).then(wb.cmp(&wa)).then(mb.total_cmp(&ma))
    });
    let mut refine: Vec<usize> = screened
        .iter()
        .take(settings.alternatives + 2)
        .map(|s| s.0)
        .collect();
    if let Some(l) = &label {
        if let Some(s) = screened
            .iter()
            .find(|s| l.allows(evals[s.0].amount, evals[s.0].every_h))
        {
            if !refine.contains(&s.0) {
                refine.push(s.0);
            }
        }
    }
    let mut exact = vec![false; evals.len()];
    for &i in &refine {
        if evals[i].sens.is_none() {
            let s = sensitivities(&evals[i])?;
            evals[i].sens = Some(s);
        }
        exact[i] = true;
    }
    let n = deltas.len() as f64;
    let mut candidates: Vec<RegimenOption> = screened
        .iter()
        .map(|&(i, p_screen)| {
            let e = &evals[i];
            let p = match (&e.sens, exact[i]) {
                (Some(s), true) => probability(&e.base, s),
                _ => p_screen,
            };
            let map_range = targets
                .iter()
                .zip(&e.base)
                .map(|(t, b)| {
                    let (lo, hi) = min_max(b);
                    TargetRange {
                        assay: t.assay.name().into(),
                        min: lo.exp(),
                        max: hi.exp(),
                        unit: t.assay.unit().into(),
                    }
                })
                .collect();
            RegimenOption {
                regimen: vec![ProposedDose {
                    drug: line.drug().into(),
                    route: line.route().name().into(),
                    amount: format_amount(e.amount, unit),
                    every: format_interval(e.every_h),
                }],
                probability_in_target: p,
                probability_se: (p * (1.0 - p) / n).sqrt(),
                within_label: label.as_ref().map(|l| l.allows(e.amount, e.every_h)),
                map_range,
                exact: exact[i],
                amount: e.amount,
                every_h: e.every_h,
                margin: margin_of(&e.base),
            }
        })
        .collect();
    candidates.sort_by(|a, b| {
        b.exact
            .cmp(&a.exact)
            .then(b.probability_in_target.total_cmp(&a.probability_in_target))
            .then_with(|| {
                b.within_label
                    .unwrap_or(true)
                    .cmp(&a.within_label.unwrap_or(true))
            })
            .then_with(|| b.margin.total_cmp(&a.margin))
    });
    let best = candidates[0].clone();
    let mut notes = Vec::new();
    let best_within_label = match (&label, best.within_label) {
        (Some(l), Some(false)) => {
            notes.push(format!(
                "the proposal is OUTSIDE the label's dosing ({}); searched because the scenario asks for it (its [[dose]] line or [propose] levels and every)",
                l.describe(unit)
            ));
            candidates
                .iter()
                .find(|c| c.within_label == Some(true))
                .cloned()
        }
        (None, _) => {
            notes.push(format!(
                "no label dosing is known for {} by {}: the ladder is the scenario's",
                line.drug(),
                line.route()
            ));
            None
        }
        _ => None,
    };
    if best.probability_in_target == 0.0 {
        notes.push(
            "no candidate keeps the targets in any posterior draw: widen the window, allow other intervals, or change product".into(),
        );
    }
    if !fit.converged {
        notes.push(format!(
            "the fit did not converge ({}): the posterior is unreliable",
            fit.message
        ));
    }
    for p in &fit.parameters {
        if let Some(k) = all.iter().position(|a| a.name == p.name) {
            if moving[k] && p.identifiability != crate::clinic::fit::Identifiability::Estimated {
                notes.push(format!(
                    "{} is not identified by the labs (posterior ≈ prior): its population spread is in the probability",
                    p.name
                ));
            }
        }
    }
    let alternatives = candidates
        .iter()
        .skip(1)
        .take(settings.alternatives)
        .cloned()
        .collect();
    Ok(Proposal {
        regimen: best.regimen.clone(),
        probability_in_target: best.probability_in_target,
        probability_se: best.probability_se,
        within_label: best.within_label,
        map_range: best.map_range.clone(),
        alternatives,
        best_within_label,
        targets: targets.iter().map(Target::describe).collect(),
        notes,
        candidates,
    })
}

/// The (lowest, highest) of `column` over the periodic steady state of `dose` repeated
/// every `every_h` on `model` (the dose's drug, route, amount and infusion time; given at
/// the start of the interval), on an hourly grid: what a target window is judged on. For
/// checking a proposal on a known (virtual) patient.
pub fn steady_state_range(
    model: &dyn crate::Model,
    dose: &Dose,
    every_h: f64,
    column: &str,
) -> Result<(f64, f64)> {
    let mut d = Dose::new(dose.drug(), dose.route(), dose.amount(), 0.0)?.every(every_h, 1)?;
    if let Some(t) = dose.duration_h() {
        d = d.over(t)?;
    }
    let o = SimOptions::new(every_h, every_h.min(24.0) / 24.0)?;
    let ss = crate::steady_state::periodic_steady_state(model, &d, &o)?;
    let tr = crate::simulate_from(model, &Regimen::new().with(d), &o, &ss.state)?;
    match (
        tr.min_in(column, 0.0, every_h),
        tr.max_in(column, 0.0, every_h),
    ) {
        (Some(lo), Some(hi)) => Ok((lo, hi)),
        _ => Err(Error::UnknownName {
            field: "column".into(),
            value: column.into(),
            known: "the columns of this model".into(),
        }),
    }
}

/// The label ladder of a product, for the default search (re-exported for the CLI).
pub fn label_of(drug: &str, route: crate::Route) -> Option<LabelDosing> {
    labels::label_dosing(drug, route)
}
