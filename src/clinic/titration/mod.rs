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

mod cohort;
mod run;

pub use cohort::{
    simulate_cohort_titrated, write_decisions_csv, RangeShare, TitratedCohort,
    DECISIONS_CSV_COLUMNS,
};
use run::*;
pub use run::{end_check_time, simulate_titrated, simulate_titrated_with_cv};

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
    /// The step goes up (`true`) or down. [`Threshold::above`] steps down and
    /// [`Threshold::below`] up (the assay rises with the dose); the `*_inverse`
    /// constructors do the opposite, for an assay that falls as the dose rises (TSH on
    /// levothyroxine).
    pub raises: bool,
}

impl Threshold {
    /// Above `value`: down by `step`.
    pub fn above(value: f64, step: f64) -> Self {
        Threshold {
            side: Side::Above,
            value,
            step,
            raises: false,
        }
    }
    /// Above `value`: up by `step` (an assay that falls as the dose rises).
    pub fn above_inverse(value: f64, step: f64) -> Self {
        Threshold {
            raises: true,
            ..Threshold::above(value, step)
        }
    }
    /// Below `value`: down by `step` (an assay that falls as the dose rises).
    pub fn below_inverse(value: f64, step: f64) -> Self {
        Threshold {
            raises: false,
            ..Threshold::below(value, step)
        }
    }
    /// Below `value`: up by `step`.
    pub fn below(value: f64, step: f64) -> Self {
        Threshold {
            side: Side::Below,
            value,
            step,
            raises: true,
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
        return if th.raises {
            old + th.step
        } else {
            old - th.step
        }
        .max(r.min_amount)
        .min(r.max_amount);
    }
    let top = r.levels.len() - 1;
    let k = level_index(&r.levels, old).unwrap_or(0);
    let n = th.step as usize;
    let j = if th.raises {
        k.saturating_add(n).min(top)
    } else {
        k.saturating_sub(n)
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
