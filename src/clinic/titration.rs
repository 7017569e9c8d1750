//! Titration: change a dose line's amount from a measured lab, as a label's algorithm does.
//!
//! A [`TitrationRule`] names a dose line of the regimen, an [`Assay`], when the blood is
//! drawn relative to that line's administrations ([`DrawTiming`]), the days on which a draw
//! happens, and thresholds that step the amount up or down within `[min_amount, max_amount]`.
//! [`simulate_titrated`] integrates the run in pieces cut at the draw times with
//! [`crate::simulate_from`]: at each draw it measures the assay on the piece's exact row
//! with the seeded log-normal assay noise of [`crate::clinic::labs`], and the rule acts on the
//! *measured* value; the true value is recorded beside it. The new amount applies to every
//! administration of the line at or after the draw time (a pre-dose draw with
//! `hours_before = 0` is taken just before that morning's dose, which already gets the new
//! amount). The pieces' rows are joined into one [`Trajectory`] on the run's own output grid.
//!
//! Rules of the schedule:
//! - a check day `d` is `d · 24` h after the start of the run (t = 0, midnight of day 0); the
//!   draw belongs to the line's first administration at or after that time: `hours_before`
//!   it ([`DrawTiming::PreDose`]) or `hours_after` it ([`DrawTiming::PostDose`]);
//! - thresholds are tried in order and the first that matches acts: `Above` thresholds
//!   first, highest value first, then `Below` thresholds, lowest value first, and every
//!   `Above` value must exceed every `Below` value (the band between is "in range");
//! - a change is made only if at least `min_days_between_changes` days have passed since the
//!   line's last change (its first administration counts as a change); otherwise the draw is
//!   logged as [`Action::TooSoon`].
//!
//! Limits: a dose line may not end before a later draw while another line continues (the
//! pieces would no longer share one state layout), and no draw may fall inside an infusion.
//! Both are refused with a typed [`Error`]. When every line has ended before a later draw
//! (a post-dose draw after the last administration), the run continues on the model's states
//! alone and drug still in the depots after that draw is dropped: keep the regimen going past
//! the last check day.
//!
//! # Example: AndroGel 1.62 % (pk-parameters.md P46)
//!
//! Start 40.5 mg daily at 08:00; pre-dose morning T at about day 14 and day 28; above
//! 750 ng/dL step down 20.25 mg, below 350 ng/dL step up 20.25 mg, within 20.25–81 mg.
//! The same rule as a scenario's `[[titration]]` table (docs/scenario.md;
//! `scenarios/titration_androgel_1_62.toml`): `drug = "testosterone_gel"`,
//! `assay = "total_t"`, `pre_dose = "0 h"`, `check_at = ["14 d", "28 d"]`,
//! `low = "350 ng/dL"`, `high = "750 ng/dL"`, `step = "20.25 mg"`, `min = "20.25 mg"`,
//! `max = "81 mg"`, `min_interval = "14 d"`.
//!
//! ```
//! use endocrine::axes::hpg::{BaselineLabs, Hpg, HpgParams};
//! use endocrine::labs::Assay;
//! use endocrine::titration::{simulate_titrated, DrawTiming, Threshold, TitrationRule};
//! use endocrine::{Amount, Dose, Regimen, Route, SimOptions};
//!
//! let labs = BaselineLabs { total_t_ng_dl: Some(200.0), weight_kg: Some(120.0), age_years: Some(60.0), ..Default::default() };
//! let man = Hpg::new(HpgParams::calibrated(&labs)?);
//! let gel = Dose::new("testosterone_gel", Route::Transdermal, Amount::mg(40.5), 8.0)?.every(24.0, 42)?;
//! let regimen = Regimen::new().with(gel);
//! let rule = TitrationRule {
//!     dose_line: 0,
//!     assay: Assay::TotalT,
//!     draw: DrawTiming::PreDose { hours_before: 0.0 },
//!     check_days: vec![14.0, 28.0],
//!     thresholds: vec![Threshold::above(750.0, 20.25), Threshold::below(350.0, 20.25)],
//!     min_amount: 20.25,
//!     max_amount: 81.0,
//!     min_days_between_changes: 14.0,
//!     levels: vec![],
//! };
//! let (traj, decisions) = simulate_titrated(&man, &regimen, &[rule], &SimOptions::new(42.0 * 24.0, 24.0)?, 7)?;
//! assert_eq!(decisions.len(), 2);
//! assert!(traj.outcome().is_completed());
//! # Ok::<(), endocrine::Error>(())
//! ```

use crate::clinic::labs::{measure, Assay, LabDraw};
use crate::engine::model::Model;
use crate::engine::options::SimOptions;
use crate::engine::regimen::{Dose, Procedure, Regimen};
use crate::engine::simulate::{check, simulate, simulate_from};
use crate::engine::trajectory::{Outcome, RowKind, SolverStats, Trajectory};
use crate::engine::units::Amount;
use crate::error::{Error, Result};

/// When the blood is drawn relative to the titrated line's administration on a check day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DrawTiming {
    /// `hours_before` the administration (0: just before it, the trough).
    PreDose {
        /// Hours before the administration, ≥ 0.
        hours_before: f64,
    },
    /// `hours_after` the administration (e.g. 3–6 h after an oral morning dose).
    PostDose {
        /// Hours after the administration, ≥ 0.
        hours_after: f64,
    },
}

/// Which side of the threshold acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Measured value strictly above the threshold: step the amount down.
    Above,
    /// Measured value strictly below the threshold: step the amount up.
    Below,
}

/// One threshold of a rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    /// Above (step down) or below (step up).
    pub side: Side,
    /// Threshold in the assay's unit.
    pub value: f64,
    /// Step, in the dose line's amount unit (mg or IU), > 0.
    pub step: f64,
}

impl Threshold {
    /// Above `value`: down by `step`.
    pub fn above(value: f64, step: f64) -> Self {
        Threshold {
            side: Side::Above,
            value,
            step,
        }
    }
    /// Below `value`: up by `step`.
    pub fn below(value: f64, step: f64) -> Self {
        Threshold {
            side: Side::Below,
            value,
            step,
        }
    }
}

/// A declarative titration rule on one dose line (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct TitrationRule {
    /// Index of the titrated line in [`Regimen::doses`]; it must repeat (`every`).
    pub dose_line: usize,
    /// What is measured.
    pub assay: Assay,
    /// When, relative to the line's administration.
    pub draw: DrawTiming,
    /// Days after the start of the run on which a draw happens, increasing.
    pub check_days: Vec<f64>,
    /// Thresholds, `Above` highest first, then `Below` lowest first.
    pub thresholds: Vec<Threshold>,
    /// Smallest amount, in the line's unit.
    pub min_amount: f64,
    /// Largest amount, in the line's unit.
    pub max_amount: f64,
    /// Days that must pass after the last change (or the first administration).
    pub min_days_between_changes: f64,
    /// A dose ladder, increasing (e.g. Jatenzo's 158, 198, 237, 316, 396 mg): when not
    /// empty, a threshold's `step` counts rungs (a whole number ≥ 1), the starting amount
    /// must be a rung, and `min_amount`/`max_amount` must be the first and last rungs.
    /// Empty: steps are amounts, added or subtracted within `[min_amount, max_amount]`.
    pub levels: Vec<f64>,
}

/// What a draw led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Stepped up.
    Increase,
    /// Stepped down.
    Decrease,
    /// No threshold matched.
    InRange,
    /// A threshold matched but the amount is already at its limit.
    AtLimit,
    /// A threshold matched but the minimum interval since the last change has not passed.
    TooSoon,
}

/// One draw and its consequence.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Index of the rule.
    pub rule: usize,
    /// Draw time, h from the start of the run.
    pub time_h: f64,
    /// Assay.
    pub assay: Assay,
    /// Measured value (with assay noise): the one the rule acted on.
    pub measured: f64,
    /// True value in the simulation.
    pub true_value: f64,
    /// Amount before.
    pub old_amount: Amount,
    /// Amount for the administrations at or after `time_h`.
    pub new_amount: Amount,
    /// What happened.
    pub action: Action,
}

const EPS_H: f64 = 1e-9;

fn first_admin_at_or_after(d: &Dose, t_h: f64) -> Option<f64> {
    d.times_h().find(|&t| t >= t_h - EPS_H)
}

/// Check `rules` against `regimen` and `model`; field names are `titration[i].…`.
pub fn validate_rules(model: &dyn Model, regimen: &Regimen, rules: &[TitrationRule]) -> Result<()> {
    let mut seen = Vec::new();
    // one short untreated run of the model tells which assays it reports
    let mut probe: Option<crate::Trajectory> = None;
    for (i, r) in rules.iter().enumerate() {
        let f = |s: &str| format!("titration[{i}].{s}");
        let line = regimen.doses().get(r.dose_line).ok_or_else(|| {
            Error::invalid(
                f("dose_line"),
                r.dose_line,
                format!(
                    "the regimen has {} dose line(s), numbered from 0",
                    regimen.doses().len()
                ),
            )
        })?;
        if line.every_h().is_none() || line.count() < 2 {
            return Err(Error::invalid(
                f("dose_line"),
                r.dose_line,
                "a titrated line must repeat (`every` with `count` ≥ 2)",
            ));
        }
        if seen.contains(&r.dose_line) {
            return Err(Error::invalid(
                f("dose_line"),
                r.dose_line,
                "another rule already titrates this line",
            ));
        }
        seen.push(r.dose_line);
        let a = line.amount().value;
        if !r.levels.is_empty() {
            for (k, &v) in r.levels.iter().enumerate() {
                crate::error::positive(&format!("titration[{i}].levels[{k}]"), v)?;
                if k > 0 && v <= r.levels[k - 1] {
                    return Err(Error::invalid(
                        f("levels"),
                        format!("{:?}", r.levels),
                        "the rungs must increase strictly",
                    ));
                }
            }
            let (lo, hi) = (r.levels[0], r.levels[r.levels.len() - 1]);
            if r.min_amount != lo || r.max_amount != hi {
                return Err(Error::invalid(
                    f("min_amount"),
                    r.min_amount,
                    format!("with levels, min_amount and max_amount are the first and last rungs ({lo}, {hi})"),
                ));
            }
            if level_index(&r.levels, a).is_none() {
                return Err(Error::invalid(
                    f("levels"),
                    format!("{:?}", r.levels),
                    format!(
                        "dose[{}]'s starting amount ({}) must be one of the rungs",
                        r.dose_line,
                        line.amount()
                    ),
                ));
            }
        }
        for (name, v) in [("min_amount", r.min_amount), ("max_amount", r.max_amount)] {
            crate::error::positive(&f(name), v)?;
        }
        if r.min_amount > r.max_amount {
            return Err(Error::invalid(
                f("min_amount"),
                r.min_amount,
                format!("must not exceed max_amount ({})", r.max_amount),
            ));
        }
        for (name, bound, outside) in [
            ("min_amount", r.min_amount, a < r.min_amount),
            ("max_amount", r.max_amount, a > r.max_amount),
        ] {
            if outside {
                return Err(Error::invalid(
                    f(name),
                    bound,
                    format!(
                        "dose[{}]'s starting amount ({}) must lie within [min_amount, max_amount]",
                        r.dose_line,
                        line.amount()
                    ),
                ));
            }
        }
        crate::error::non_negative(&f("min_days_between_changes"), r.min_days_between_changes)?;
        match r.draw {
            DrawTiming::PreDose { hours_before: h } | DrawTiming::PostDose { hours_after: h } => {
                crate::error::non_negative(&f("draw"), h)?;
            }
        }
        if r.check_days.is_empty() {
            return Err(Error::invalid(f("check_days"), "[]", "at least one day"));
        }
        for (k, &d) in r.check_days.iter().enumerate() {
            crate::error::non_negative(&format!("titration[{i}].check_days[{k}]"), d)?;
            if k > 0 && d <= r.check_days[k - 1] {
                return Err(Error::invalid(
                    f("check_days"),
                    format!("{:?}", r.check_days),
                    "days must increase strictly",
                ));
            }
        }
        if r.thresholds.is_empty() {
            return Err(Error::invalid(
                f("thresholds"),
                "[]",
                "at least one threshold",
            ));
        }
        for (k, t) in r.thresholds.iter().enumerate() {
            if !t.value.is_finite() || t.value < 0.0 {
                return Err(Error::invalid(
                    format!("titration[{i}].thresholds[{k}].value"),
                    t.value,
                    "must be a finite number, 0 or greater",
                ));
            }
            let step_field = format!("titration[{i}].thresholds[{k}].step");
            crate::error::positive(&step_field, t.step)?;
            if !r.levels.is_empty() && t.step.fract() != 0.0 {
                return Err(Error::invalid(
                    step_field,
                    t.step,
                    "with levels, a step counts rungs: a whole number, 1 or more",
                ));
            }
        }
        // Above (descending), then Below (ascending), every Above > every Below.
        let order_ok = r
            .thresholds
            .windows(2)
            .all(|w| match (w[0].side, w[1].side) {
                (Side::Above, Side::Above) => w[0].value > w[1].value,
                (Side::Above, Side::Below) => true,
                (Side::Below, Side::Above) => false,
                (Side::Below, Side::Below) => w[0].value < w[1].value,
            });
        let min_above = r
            .thresholds
            .iter()
            .filter(|t| t.side == Side::Above)
            .map(|t| t.value)
            .fold(f64::INFINITY, f64::min);
        let max_below = r
            .thresholds
            .iter()
            .filter(|t| t.side == Side::Below)
            .map(|t| t.value)
            .fold(f64::NEG_INFINITY, f64::max);
        if !order_ok || min_above <= max_below {
            return Err(Error::invalid(
                f("thresholds"),
                format!(
                    "{:?}",
                    r.thresholds
                        .iter()
                        .map(|t| (t.side, t.value))
                        .collect::<Vec<_>>()
                ),
                "list `above` thresholds highest first, then `below` thresholds lowest first; every `above` value must exceed every `below` value",
            ));
        }
        // the assay must be one this model reports
        let probe = match &probe {
            Some(p) => p,
            None => probe.insert(simulate(
                model,
                &Regimen::new(),
                &SimOptions::new(1.0, 1.0)?,
            )?),
        };
        measure(
            probe,
            &[LabDraw {
                t_h: 0.0,
                assays: vec![r.assay],
            }],
            &|_| 0.0,
            0,
        )
        .map_err(|e| e.map_field(|_| f("assay")))?;
    }
    Ok(())
}

/// The rung of `levels` equal to `amount` (to 1e-9 relative).
fn level_index(levels: &[f64], amount: f64) -> Option<usize> {
    levels
        .iter()
        .position(|&l| (l - amount).abs() <= 1e-9 * l.abs().max(1.0))
}

/// The amount a matched threshold asks for, before the limits and the interval are
/// checked: `old ± step` clamped to `[min, max]`, or `step` rungs along the ladder.
fn stepped(r: &TitrationRule, th: &Threshold, old: f64) -> f64 {
    if r.levels.is_empty() {
        return match th.side {
            Side::Above => old - th.step,
            Side::Below => old + th.step,
        }
        .max(r.min_amount)
        .min(r.max_amount);
    }
    let top = r.levels.len() - 1;
    let k = level_index(&r.levels, old).unwrap_or(0);
    let n = th.step as usize;
    let j = match th.side {
        Side::Above => k.saturating_sub(n),
        Side::Below => k.saturating_add(n).min(top),
    };
    r.levels[j]
}

/// True when `value` matches no threshold of `rule`: the rule's target range.
pub fn in_range(rule: &TitrationRule, value: f64) -> bool {
    !rule.thresholds.iter().any(|th| match th.side {
        Side::Above => value > th.value,
        Side::Below => value < th.value,
    })
}

/// Check `rules` against `regimen`, `model` and a run of `duration_h` hours without
/// simulating: everything [`simulate_titrated`] refuses before it starts. Returns the
/// draw times as (time h, rule index), sorted by time then rule.
pub fn check_rules(
    model: &dyn Model,
    regimen: &Regimen,
    rules: &[TitrationRule],
    duration_h: f64,
) -> Result<Vec<(f64, usize)>> {
    validate_rules(model, regimen, rules)?;
    draw_schedule(regimen, rules, duration_h)
}

/// Draw times of every rule, as (time, rule), sorted by time then rule.
fn draw_schedule(
    regimen: &Regimen,
    rules: &[TitrationRule],
    duration_h: f64,
) -> Result<Vec<(f64, usize)>> {
    let mut out = Vec::new();
    for (i, r) in rules.iter().enumerate() {
        let line = &regimen.doses()[r.dose_line];
        for (k, &d) in r.check_days.iter().enumerate() {
            let field = format!("titration[{i}].check_days[{k}]");
            let ta = first_admin_at_or_after(line, d * 24.0).ok_or_else(|| {
                Error::invalid(
                    &field,
                    format!("{d} d"),
                    format!(
                        "dose[{}] has no administration on or after this day",
                        r.dose_line
                    ),
                )
            })?;
            let t = match r.draw {
                DrawTiming::PreDose { hours_before } => ta - hours_before,
                DrawTiming::PostDose { hours_after } => ta + hours_after,
            };
            if !(t > 0.0 && t < duration_h) {
                return Err(Error::invalid(
                    &field,
                    format!("{d} d"),
                    format!("the draw at {t} h falls outside the run (0, {duration_h}) h"),
                ));
            }
            out.push((t, i));
        }
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    Ok(out)
}

/// The part of `regimen` in `[s, e)`, re-expressed from `s`, with the current amounts.
fn piece_regimen(regimen: &Regimen, amounts: &[f64], s: f64, e: f64) -> Result<Regimen> {
    let mut out = Regimen::new();
    let mut ended: Option<usize> = None;
    let mut continuing: Option<usize> = None;
    for (i, d) in regimen.doses().iter().enumerate() {
        if let Some(dur) = d.duration_h() {
            if d.times_h().any(|t| t < s - EPS_H && t + dur > s + EPS_H) {
                return Err(Error::invalid(
                    format!("dose[{i}].duration"),
                    dur,
                    format!("an infusion runs across the titration draw at {s} h; move the draw or shorten the infusion"),
                ));
            }
        }
        let times: Vec<f64> = d
            .times_h()
            .filter(|&t| t >= s - EPS_H && t < e - EPS_H)
            .collect();
        if times.is_empty() {
            if d.last_h() < s - EPS_H {
                ended.get_or_insert(i);
            }
            continue;
        }
        continuing.get_or_insert(i);
        let amount = Amount {
            value: amounts[i],
            kind: d.amount().kind,
        };
        let mut nd = Dose::new(d.drug(), d.route(), amount, (times[0] - s).max(0.0))
            .map_err(|e| e.map_field(|f| f.replacen("dose", &format!("dose[{i}]"), 1)))?;
        if let Some(every) = d.every_h() {
            nd = nd.every(every, times.len() as u64)?;
        }
        if let Some(dur) = d.duration_h() {
            nd = nd.over(dur)?;
        }
        out = out.with(nd);
    }
    if let (Some(j), Some(i)) = (ended, continuing) {
        return Err(Error::invalid(
            format!("dose[{j}].count"),
            regimen.doses()[j].count(),
            format!("this line ends before the titration draw at {s} h while dose[{i}] goes on; extend it or split the run"),
        ));
    }
    for p in regimen.procedures() {
        if p.at_h() >= s - EPS_H && p.at_h() < e - EPS_H {
            out = out.with_procedure(Procedure::new(p.name(), (p.at_h() - s).max(0.0))?);
        }
    }
    Ok(out)
}

/// Simulate `regimen` on `model` while `rules` titrate its dose lines from measured labs.
///
/// Returns the joined trajectory (rows on `options`' grid, sample times, the draws and the
/// dose rows, as one run would give) and every draw's [`Decision`], in time order. The
/// assay noise comes from `seed` (ChaCha8, one stream per draw), so a seed fixes the run.
/// If the solver stops early, the trajectory ends there and the decisions made so far are
/// returned.
pub fn simulate_titrated(
    model: &dyn Model,
    regimen: &Regimen,
    rules: &[TitrationRule],
    options: &SimOptions,
    seed: u64,
) -> Result<(Trajectory, Vec<Decision>)> {
    check(model, regimen, options)?;
    validate_rules(model, regimen, rules)?;
    let end = options.duration_h;
    let schedule = draw_schedule(regimen, rules, end)?;
    let mut cuts: Vec<f64> = schedule.iter().map(|&(t, _)| t).collect();
    cuts.dedup_by(|a, b| (*a - *b).abs() <= EPS_H);
    cuts.push(end);

    let dt = options.output_every_h;
    let n_grid = options.grid_rows();
    let on_global_grid = |t: f64| {
        let k = (t / dt).round();
        k >= 0.0 && (k as u64) < n_grid && (k * dt - t).abs() <= EPS_H * t.abs().max(1.0)
    };

    let mut amounts: Vec<f64> = regimen.doses().iter().map(|d| d.amount().value).collect();
    let mut last_change: Vec<f64> = rules
        .iter()
        .map(|r| regimen.doses()[r.dose_line].at_h())
        .collect();
    let mut decisions = Vec::new();
    let mut joined: Option<Trajectory> = None;
    let mut state: Option<Vec<f64>> = None;
    let mut s = 0.0;
    let mut draw_no = 0u64;

    for &e in &cuts {
        let len = e - s;
        let mut samples: Vec<f64> = (0..n_grid)
            .map(|k| k as f64 * dt)
            .chain(options.sample_times_h.iter().copied())
            .filter(|&t| t > s + EPS_H && t < e - EPS_H)
            .map(|t| t - s)
            .collect();
        samples.sort_by(f64::total_cmp);
        let mut o = options.clone();
        o.duration_h = len;
        o.output_every_h = len;
        o.sample_times_h = samples;
        let piece_reg = piece_regimen(regimen, &amounts, s, e)?;
        let piece = match &state {
            None => simulate(model, &piece_reg, &o)?,
            Some(y) => {
                // no dose left: continue on the model's states alone (see the module's limits)
                let n_model = model.state_names().len();
                let y = if piece_reg.doses().is_empty() {
                    &y[..n_model]
                } else {
                    &y[..]
                };
                simulate_from(model, &piece_reg, &o, y)?
            }
        };
        let completed = piece.outcome().is_completed();
        joined = Some(append(
            joined,
            &piece,
            s,
            state.is_none(),
            &on_global_grid,
            end,
        ));
        state = Some(piece.final_state().to_vec());
        if !completed {
            break;
        }
        // draws at e
        for &(t, i) in schedule.iter().filter(|(t, _)| (t - e).abs() <= EPS_H) {
            let r = &rules[i];
            let lab = measure(
                &piece,
                &[LabDraw {
                    t_h: len,
                    assays: vec![r.assay],
                }],
                &|a| a.default_cv(),
                seed ^ (draw_no + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            )
            .map_err(|err| err.map_field(|_| format!("titration[{i}].assay")))?[0];
            draw_no += 1;
            let old = amounts[r.dose_line];
            let hit = r.thresholds.iter().find(|th| match th.side {
                Side::Above => lab.value > th.value,
                Side::Below => lab.value < th.value,
            });
            let (new, action) = match hit {
                None => (old, Action::InRange),
                Some(th) => {
                    let target = stepped(r, th, old);
                    if (target - old).abs() <= 1e-12 * old.abs().max(1.0) {
                        (old, Action::AtLimit)
                    } else if t - last_change[i] < r.min_days_between_changes * 24.0 - 1e-6 {
                        (old, Action::TooSoon)
                    } else if target > old {
                        (target, Action::Increase)
                    } else {
                        (target, Action::Decrease)
                    }
                }
            };
            if new != old {
                amounts[r.dose_line] = new;
                last_change[i] = t;
            }
            let kind = regimen.doses()[r.dose_line].amount().kind;
            decisions.push(Decision {
                rule: i,
                time_h: t,
                assay: r.assay,
                measured: lab.value,
                true_value: lab.true_value,
                old_amount: Amount { value: old, kind },
                new_amount: Amount { value: new, kind },
                action,
            });
        }
        s = e;
    }
    Ok((joined.expect("at least one piece"), decisions))
}

/// Append `piece` (local times from 0) shifted by `s` to `acc`, dropping its first row
/// when it repeats the previous piece's last one, and relabelling rows on the global grid.
fn append(
    acc: Option<Trajectory>,
    piece: &Trajectory,
    s: f64,
    first: bool,
    on_grid: &dyn Fn(f64) -> bool,
    end: f64,
) -> Trajectory {
    let mut acc = acc.unwrap_or_else(|| Trajectory {
        columns: piece.columns.clone(),
        times_h: Vec::new(),
        values: Vec::new(),
        kinds: Vec::new(),
        events: Vec::new(),
        stats: SolverStats::default(),
        outcome: Outcome::Completed,
        final_state: Vec::new(),
    });
    let ncol = acc.columns.len();
    for i in 0..piece.len() {
        let local = piece.times_h[i];
        let kind = piece.kinds[i];
        let plain = matches!(kind, RowKind::Grid | RowKind::Sample | RowKind::End);
        if !first && local == 0.0 && plain {
            continue;
        }
        let t = s + local;
        let kind = if plain {
            if on_grid(t) {
                RowKind::Grid
            } else if (t - end).abs() <= EPS_H {
                RowKind::End
            } else {
                RowKind::Sample
            }
        } else {
            kind
        };
        acc.times_h.push(t);
        // a later piece may dose a drug the earlier ones did not: keep the first layout
        let row = piece.row(i);
        acc.values.extend((0..ncol).map(|j| {
            let name = &acc.columns[j].column;
            piece.column_index(name).map_or(f64::NAN, |k| row[k])
        }));
        acc.kinds.push(kind);
    }
    acc.events.extend(piece.events.iter().map(|ev| {
        let mut ev = ev.clone();
        ev.t_h += s;
        ev
    }));
    acc.stats.rhs_evals += piece.stats.rhs_evals;
    acc.stats.accepted_steps += piece.stats.accepted_steps;
    acc.stats.rejected_steps += piece.stats.rejected_steps;
    acc.stats.segments += piece.stats.segments;
    acc.outcome = match piece.outcome {
        Outcome::MaxStepsReached { t_h } => Outcome::MaxStepsReached { t_h: t_h + s },
        Outcome::StepSizeUnderflow { t_h } => Outcome::StepSizeUnderflow { t_h: t_h + s },
        o => o,
    };
    acc.final_state = piece.final_state.clone();
    acc
}

/// Time of the end-of-run check of `rule`: drawn as its `check_at` draws are (around the
/// line's first administration of a day, e.g. the morning dose of a twice-daily line), on
/// the last day whose draw falls inside the run (`None` if none does).
pub fn end_check_time(regimen: &Regimen, rule: &TitrationRule, duration_h: f64) -> Option<f64> {
    let line = regimen.doses().get(rule.dose_line)?;
    let last_day = (line.last_h() / 24.0).floor() as i64;
    (0..=last_day).rev().find_map(|day| {
        let ta = first_admin_at_or_after(line, day as f64 * 24.0)?;
        let t = match rule.draw {
            DrawTiming::PreDose { hours_before } => ta - hours_before,
            DrawTiming::PostDose { hours_after } => ta + hours_after,
        };
        (t > 0.0 && t <= duration_h + EPS_H).then_some(t.min(duration_h))
    })
}

/// A cohort run under titration rules (see [`simulate_cohort_titrated`]).
#[derive(Debug, Clone)]
pub struct TitratedCohort {
    /// The subjects' factors and joined trajectories.
    pub cohort: crate::clinic::cohort::Cohort,
    /// Per subject, its decisions in time order.
    pub decisions: Vec<Vec<Decision>>,
    /// Per subject and rule, the *true* assay value at the rule's first draw (the starting
    /// dose, before any change) and at its end-of-run check ([`end_check_time`]).
    pub checks: Vec<Vec<(Option<f64>, Option<f64>)>>,
    /// The rules.
    pub rules: Vec<TitrationRule>,
    /// Per rule, the end-of-run check time, h.
    pub end_check_h: Vec<Option<f64>>,
}

/// Share of a cohort in a rule's target range (no threshold matched), before and after
/// titration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RangeShare {
    /// Index of the rule.
    pub rule: usize,
    /// Subjects with both values (a run that stopped early lacks the later one).
    pub n: usize,
    /// Time of the first draw, h (the same for every subject).
    pub first_check_h: f64,
    /// Time of the end-of-run check, h.
    pub end_check_h: f64,
    /// Share in range at the first draw, on the starting dose (0–1).
    pub before: f64,
    /// Share in range at the end-of-run check, after every change (0–1).
    pub after: f64,
}

impl TitratedCohort {
    /// Per rule, the share of subjects in its range before and after titration, judged on
    /// the true assay value (the truth, not one noisy measurement, so the share reflects the
    /// subjects' exposure; the rules themselves act on the measured values).
    pub fn range_shares(&self) -> Vec<RangeShare> {
        (0..self.rules.len())
            .map(|r| {
                let pairs: Vec<(f64, f64)> = self
                    .checks
                    .iter()
                    .filter_map(|c| match c[r] {
                        (Some(b), Some(a)) => Some((b, a)),
                        _ => None,
                    })
                    .collect();
                let n = pairs.len();
                let share = |f: &dyn Fn(&(f64, f64)) -> f64| {
                    if n == 0 {
                        f64::NAN
                    } else {
                        pairs
                            .iter()
                            .filter(|p| in_range(&self.rules[r], f(p)))
                            .count() as f64
                            / n as f64
                    }
                };
                let first_check_h = self
                    .decisions
                    .iter()
                    .find_map(|d| d.iter().find(|x| x.rule == r).map(|x| x.time_h))
                    .unwrap_or(f64::NAN);
                RangeShare {
                    rule: r,
                    n,
                    first_check_h,
                    end_check_h: self.end_check_h[r].unwrap_or(f64::NAN),
                    before: share(&|p| p.0),
                    after: share(&|p| p.1),
                }
            })
            .collect()
    }
}

/// SplitMix64: the assay-noise seed of cohort subject `i` (independent of thread order).
fn subject_seed(seed: u64, i: usize) -> u64 {
    let mut z = seed.wrapping_add((i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Simulate `population.n` subjects, each titrated by `rules` on its own measured labs
/// (assay noise from `seed` and the subject's index, so the cohort is the same for any
/// thread count). Rows include the dose rows (every subject has the same times, so they
/// stay aligned) and an exact row at each rule's end-of-run check.
pub fn simulate_cohort_titrated<F>(
    population: &crate::clinic::cohort::Population,
    make: F,
    regimen: &Regimen,
    rules: &[TitrationRule],
    options: &SimOptions,
    on_subject_done: &(dyn Fn() + Sync),
) -> Result<TitratedCohort>
where
    F: Fn(&[f64]) -> Result<Box<dyn Model>> + Sync,
{
    let end_check_h: Vec<Option<f64>> = rules
        .iter()
        .map(|r| end_check_time(regimen, r, options.duration_h))
        .collect();
    let mut options = options.clone();
    options.dose_rows = true; // the end check reads the pre-dose row at a dose time
    options
        .sample_times_h
        .extend(end_check_h.iter().flatten().copied());
    options.sample_times_h.sort_by(f64::total_cmp);
    options.sample_times_h.dedup();
    options.validate()?;
    let runs = crate::clinic::cohort::run_subjects(
        population,
        make,
        |i, model| {
            let (tr, dec) = simulate_titrated(
                model,
                regimen,
                rules,
                &options,
                subject_seed(population.seed, i),
            )?;
            let checks = rules
                .iter()
                .enumerate()
                .map(|(r, rule)| {
                    let before = dec.iter().find(|d| d.rule == r).map(|d| d.true_value);
                    let after = end_check_h[r].and_then(|t| {
                        measure(
                            &tr,
                            &[LabDraw {
                                t_h: t,
                                assays: vec![rule.assay],
                            }],
                            &|_| 0.0,
                            0,
                        )
                        .ok()
                        .map(|v| v[0].true_value)
                    });
                    (before, after)
                })
                .collect::<Vec<_>>();
            Ok((tr, dec, checks))
        },
        on_subject_done,
    )?;
    let mut factors = Vec::with_capacity(runs.len());
    let mut subjects = Vec::with_capacity(runs.len());
    let mut decisions = Vec::with_capacity(runs.len());
    let mut checks = Vec::with_capacity(runs.len());
    for (f, (tr, dec, c)) in runs {
        factors.push(f);
        subjects.push(tr);
        decisions.push(dec);
        checks.push(c);
    }
    Ok(TitratedCohort {
        cohort: crate::clinic::cohort::Cohort { factors, subjects },
        decisions,
        checks,
        rules: rules.to_vec(),
        end_check_h,
    })
}

/// Write decisions as CSV (for a `--decisions OUT.csv`):
/// `rule,time_h,assay,measured,true_value,unit,old_amount,new_amount,amount_unit,action`.
pub fn write_decisions_csv<W: std::io::Write>(
    decisions: &[Decision],
    mut w: W,
) -> std::io::Result<()> {
    writeln!(
        w,
        "rule,time_h,assay,measured,true_value,unit,old_amount,new_amount,amount_unit,action"
    )?;
    for d in decisions {
        writeln!(
            w,
            "{},{},{},{:.6},{:.6},{},{},{},{},{}",
            d.rule,
            d.time_h,
            d.assay.name(),
            d.measured,
            d.true_value,
            d.assay.unit(),
            d.old_amount.value,
            d.new_amount.value,
            d.old_amount.kind.unit(),
            d.action.name()
        )?;
    }
    Ok(())
}

impl Action {
    /// Name in the decisions CSV.
    pub fn name(self) -> &'static str {
        match self {
            Action::Increase => "increase",
            Action::Decrease => "decrease",
            Action::InRange => "in_range",
            Action::AtLimit => "at_limit",
            Action::TooSoon => "too_soon",
        }
    }
}
