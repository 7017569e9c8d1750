//! The simulation–estimation study of precision dosing (`docs/precision.md`): virtual
//! hypogonadal men drawn from the fit's own priors, a realistic draw schedule measured
//! with assay error, fitted back, and a proposed regimen judged on the *true* patient
//! against the label's titration rule and the fixed label dose on the same patients.
//!
//! Research and education only; not medical advice.
//!
//! # Design (chosen before any result was seen)
//!
//! - Product: SC testosterone enanthate once weekly (Xyosted, the only injectable with a
//!   label titration rule; pk-parameters.md P51): start 75 mg, ladder 50/75/100 mg.
//! - Patients: covariates known and written in `[subject]` (weight uniform 65–125 kg,
//!   age uniform 30–70 y, baseline total T uniform 150–300 ng/dL); individual parameters
//!   drawn from the priors of [`crate::clinic::fit::HPG_PARAMETERS`].
//! - Draws while on the start dose: total T at 72 h after the first dose and just before
//!   the 2nd dose, total T, E2 and LH just before the 7th dose (day 42, the label's
//!   first trough check), total T 72 h later: 4 draws. Assay error is drawn from the
//!   fit's own error model (normal, variance a² + (b·f)², [`crate::clinic::fit::additive_sd`];
//!   below the limit of quantitation a value is reported as `< L`).
//! - Window: total T inside the harmonized reference range of healthy young men,
//!   264–916 ng/dL (Travison et al. JCEM 2017, R1), over the whole steady-state interval.
//! - Arms, each judged on the patient's true steady state: the proposal from the four
//!   draws; the label titration (trough at weeks 6 and 12: ≥ 650 ng/dL down 25 mg,
//!   < 350 up 25 mg, 50–100 mg; the dose after the week-12 check); the fixed 75 mg.
//! - Noise of the labs and the fit's residual model (both a [`ResidualError`]): labs with
//!   analytical error fitted with the analytical model (the fit's own error model); labs
//!   that also carry within-subject day-to-day variation, fitted with the analytical
//!   model (misspecified) and with the within-subject model. The noise is the same for
//!   every arm (the titration's troughs too).

use crate::clinic::fit::{
    self, limit_of_quantitation, FitProblem, MeasuredValue, Measurement, ResidualError,
    TypicalSubject, HPG_PARAMETERS, Z95,
};
use crate::clinic::labs::Assay;
use crate::clinic::propose::{self, ProposeProblem, ProposeSettings, Target};
use crate::clinic::titration::{simulate_titrated_with_cv, DrawTiming, Threshold, TitrationRule};
use crate::error::Result;
use crate::physiology::axes::hpg::{BaselineLabs, HpgParams};
use crate::{Amount, Dose, Model, Regimen, Route, SimOptions};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

const WEEK_H: f64 = 168.0;
const DOSE_AT_H: f64 = 8.0;
/// Window of the study, ng/dL (R1).
pub const WINDOW_NG_DL: (f64, f64) = (264.0, 916.0);
const LADDER_MG: [f64; 3] = [50.0, 75.0, 100.0];
const START_MG: f64 = 75.0;

/// One virtual patient's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct PatientResult {
    /// True factors, in [`HPG_PARAMETERS`] order.
    pub truth: Vec<f64>,
    /// Estimates, same order.
    pub estimate: Vec<f64>,
    /// 95 % intervals, same order.
    pub ci95: Vec<[f64; 2]>,
    /// Whether each parameter was estimated (informed by the draws).
    pub estimated: Vec<bool>,
    /// The fit converged.
    pub converged: bool,
    /// Proposed amount, mg, and its probability.
    pub proposed_mg: f64,
    /// Posterior probability of the proposal.
    pub probability: f64,
    /// Amount after the label titration, mg.
    pub titrated_mg: f64,
    /// True steady state in window for: proposal, titration, fixed 75 mg.
    pub in_window: [bool; 3],
    /// Whether any rung of the ladder keeps the true steady state in the window (the
    /// ceiling of every arm: an oracle that knew the patient).
    pub any_rung_in_window: bool,
    /// Sequential update: the t_clearance_factor fit after the first 1, 2, 3 and 4 draws
    /// (estimate, sd of its logarithm), each the same call with the rows drawn so far.
    pub clearance_by_draws: Vec<(f64, f64)>,
}

/// The whole study.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyResult {
    /// Patients, in order.
    pub patients: Vec<PatientResult>,
}

fn draw_patient(i: usize, seed: u64) -> (BaselineLabs, Vec<f64>, u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(i as u64);
    let labs = BaselineLabs {
        total_t_ng_dl: Some(rng.random_range(150.0..300.0)),
        weight_kg: Some(rng.random_range(65.0..125.0)),
        age_years: Some(rng.random_range(30.0..70.0)),
        ..Default::default()
    };
    let truth = draw_factors(&mut rng, &HPG_PARAMETERS);
    (labs, truth, rng.random())
}

/// True steady state of `amount_mg` weekly on `model`: (min, max) total T over the
/// interval on an hourly grid.
fn true_range(model: &dyn Model, amount_mg: f64) -> Result<(f64, f64)> {
    let d = Dose::new(
        "testosterone_enanthate",
        Route::Sc,
        Amount::mg(amount_mg),
        0.0,
    )?;
    propose::steady_state_range(model, &d, WEEK_H, "total_t_ng_dl")
}

/// Factors drawn from the log-normal priors of `params`.
fn draw_factors(rng: &mut ChaCha8Rng, params: &[fit::IndividualParameter]) -> Vec<f64> {
    params
        .iter()
        .map(|p| {
            let z: f64 = StandardNormal.sample(rng);
            (p.omega() * z).exp()
        })
        .collect()
}

/// The model of the patient whose factors on `typical` are `truth` (`params` order).
fn patient_model(
    typical: &TypicalSubject,
    params: &[fit::IndividualParameter],
    truth: &[f64],
) -> Result<Box<dyn Model>> {
    let values: Vec<(&str, f64)> = params
        .iter()
        .map(|p| p.name)
        .zip(truth.iter().copied())
        .collect();
    typical.model_with(&values)
}

/// Measure every assay of `schedule` (time, assays) on `tr` (which has a row at each
/// time) with `noise`.
fn measure_schedule(
    tr: &crate::Trajectory,
    schedule: &[(f64, &[Assay])],
    rng: &mut ChaCha8Rng,
    noise: ResidualError,
) -> Vec<Measurement> {
    let mut out = Vec::new();
    for &(t, assays) in schedule {
        for &a in assays {
            let (col, factor) = a.column();
            let f = tr.sample(col, t).unwrap_or(f64::NAN) * factor;
            out.push(measure(rng, noise, a, t, f));
        }
    }
    out
}

fn in_window(r: (f64, f64)) -> bool {
    r.0 >= WINDOW_NG_DL.0 && r.1 <= WINDOW_NG_DL.1
}

/// A measurement of `assay` with true value `f`: the fit's error model, with the
/// proportional CV of `noise`.
fn measure(
    rng: &mut ChaCha8Rng,
    noise: ResidualError,
    assay: Assay,
    time_h: f64,
    f: f64,
) -> Measurement {
    let a = fit::additive_sd(assay);
    let b = noise.cv(assay);
    let z: f64 = StandardNormal.sample(rng);
    let y = f + (a * a + b * b * f * f).sqrt() * z;
    let loq = limit_of_quantitation(assay);
    Measurement {
        assay,
        time_h,
        value: if y < loq {
            MeasuredValue::BelowLimit(loq)
        } else {
            MeasuredValue::Value(y)
        },
    }
}

/// Run patient `i` of the study with `seed` (see the module docs).
pub fn run_patient(
    i: usize,
    seed: u64,
    samples: usize,
    noise: ResidualError,
    residual: ResidualError,
) -> Result<PatientResult> {
    let (labs, truth, noise_seed) = draw_patient(i, seed);
    let typical = TypicalSubject::Hpg(HpgParams::calibrated(&labs)?);
    let model = patient_model(&typical, &HPG_PARAMETERS, &truth)?;

    // 1. Six weeks (and a half) on the start dose, four draws.
    let start = Dose::new(
        "testosterone_enanthate",
        Route::Sc,
        Amount::mg(START_MG),
        DOSE_AT_H,
    )?
    .every(WEEK_H, 7)?;
    let regimen = Regimen::new().with(start);
    let schedule: [(f64, &[Assay]); 4] = [
        (DOSE_AT_H + 72.0, &[Assay::TotalT]),
        (DOSE_AT_H + WEEK_H, &[Assay::TotalT]),
        (
            DOSE_AT_H + 6.0 * WEEK_H,
            &[Assay::TotalT, Assay::E2, Assay::Lh],
        ),
        (DOSE_AT_H + 6.0 * WEEK_H + 72.0, &[Assay::TotalT]),
    ];
    let mut options = SimOptions::new(DOSE_AT_H + 6.0 * WEEK_H + 96.0, 24.0)?;
    options.sample_times_h = schedule.iter().map(|s| s.0).collect();
    let tr = crate::simulate(model.as_ref(), &regimen, &options)?;
    let mut rng = ChaCha8Rng::seed_from_u64(noise_seed);
    let measurements = measure_schedule(&tr, &schedule, &mut rng, noise);
    options.sample_times_h.clear();
    let problem = FitProblem {
        subject: typical.clone(),
        regimen: regimen.clone(),
        steady_lines: 0,
        options,
        measurements,
        residual,
    };
    let f = fit::fit(&problem)?;
    // the sequential update: refit with the rows of the first k draws
    let mut clearance_by_draws = Vec::new();
    for k in 1..=schedule.len() {
        let f_k = if k == schedule.len() {
            f.clone()
        } else {
            let mut p = problem.clone();
            p.measurements.retain(|m| m.time_h <= schedule[k - 1].0);
            fit::fit(&p)?
        };
        let c = &f_k.parameters[0];
        clearance_by_draws.push((c.estimate, (c.ci95[1] / c.ci95[0]).ln() / (2.0 * Z95)));
    }
    if !f.converged && std::env::var("STUDY_DEBUG").is_ok() {
        eprintln!(
            "patient {i}: {} after {} iterations",
            f.message, f.iterations
        );
    }

    // 2. The proposal on the label ladder, weekly.
    let line = Dose::new(
        "testosterone_enanthate",
        Route::Sc,
        Amount::mg(START_MG),
        DOSE_AT_H,
    )?
    .every(WEEK_H, 1)?;
    let proposal = propose::propose(&ProposeProblem {
        subject: typical,
        fit: f.clone(),
        line,
        amounts: LADDER_MG.to_vec(),
        intervals_h: vec![WEEK_H],
        targets: vec![Target {
            assay: Assay::TotalT,
            low: WINDOW_NG_DL.0,
            high: WINDOW_NG_DL.1,
        }],
        options: SimOptions::new(WEEK_H, 1.0)?,
        settings: ProposeSettings {
            samples,
            seed: i as u64,
            alternatives: 2,
        },
    })?;
    let proposed_mg = proposal.candidates[0].amount();

    // 3. The label titration on the same patient (its own noisy troughs).
    let titration_regimen = Regimen::new().with(
        Dose::new(
            "testosterone_enanthate",
            Route::Sc,
            Amount::mg(START_MG),
            DOSE_AT_H,
        )?
        .every(WEEK_H, 14)?,
    );
    let rule = TitrationRule {
        dose_line: 0,
        assay: Assay::TotalT,
        draw: DrawTiming::PreDose { hours_before: 0.0 },
        check_days: vec![42.0, 84.0],
        thresholds: vec![Threshold::above(650.0, 25.0), Threshold::below(350.0, 25.0)],
        min_amount: 50.0,
        max_amount: 100.0,
        min_days_between_changes: 42.0,
        levels: vec![],
    };
    let (_, decisions) = simulate_titrated_with_cv(
        model.as_ref(),
        &titration_regimen,
        &[rule],
        &SimOptions::new(13.0 * WEEK_H + 24.0, 24.0)?,
        noise_seed,
        &|a| noise.cv(a),
    )?;
    let titrated_mg = decisions.last().map_or(START_MG, |d| d.new_amount.value);

    // the true steady state of every rung of the ladder (one each)
    let rungs = LADDER_MG
        .iter()
        .map(|&mg| Ok((mg, in_window(true_range(model.as_ref(), mg)?))))
        .collect::<Result<Vec<(f64, bool)>>>()?;
    let on = |mg: f64| rungs.iter().any(|&(m, ok)| m == mg && ok);
    let in_window = [on(proposed_mg), on(titrated_mg), on(START_MG)];
    let any_rung_in_window = rungs.iter().any(|r| r.1);
    Ok(PatientResult {
        truth,
        estimate: f.parameters.iter().map(|p| p.estimate).collect(),
        ci95: f.parameters.iter().map(|p| p.ci95).collect(),
        estimated: f
            .parameters
            .iter()
            .map(|p| p.identifiability != fit::Identifiability::NotInformed)
            .collect(),
        converged: f.converged,
        proposed_mg,
        probability: proposal.probability_in_target,
        titrated_mg,
        in_window,
        any_rung_in_window,
        clearance_by_draws,
    })
}

/// Run `n` patients in parallel (results do not depend on the thread count).
pub fn run_study(
    n: usize,
    seed: u64,
    samples: usize,
    noise: ResidualError,
    residual: ResidualError,
) -> Result<StudyResult> {
    let patients = (0..n)
        .into_par_iter()
        .map(|i| run_patient(i, seed, samples, noise, residual))
        .collect::<Result<Vec<_>>>()?;
    Ok(StudyResult { patients })
}

/// Summary of one parameter over the patients that estimated it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParameterSummary {
    /// Patients in which it was estimated.
    pub n: usize,
    /// Median of estimate/truth − 1.
    pub median_bias: f64,
    /// Median of |estimate/truth − 1|.
    pub median_abs_error: f64,
    /// Median absolute error of the prior median (1) as an estimate, for comparison.
    pub prior_median_abs_error: f64,
    /// Share of 95 % intervals containing the truth.
    pub coverage: f64,
    /// Median of the 95 % interval's width on the log scale / the prior's.
    pub width_ratio: f64,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    crate::clinic::cohort::percentile_sorted(&v, 50.0)
}

impl StudyResult {
    /// Summary of parameter `k` ([`HPG_PARAMETERS`] order).
    pub fn parameter(&self, k: usize) -> ParameterSummary {
        let ps: Vec<&PatientResult> = self.patients.iter().filter(|p| p.estimated[k]).collect();
        let prior_width = 2.0 * Z95 * HPG_PARAMETERS[k].omega();
        ParameterSummary {
            n: ps.len(),
            median_bias: median(
                ps.iter()
                    .map(|p| p.estimate[k] / p.truth[k] - 1.0)
                    .collect(),
            ),
            median_abs_error: median(
                ps.iter()
                    .map(|p| (p.estimate[k] / p.truth[k] - 1.0).abs())
                    .collect(),
            ),
            prior_median_abs_error: median(
                ps.iter().map(|p| (1.0 / p.truth[k] - 1.0).abs()).collect(),
            ),
            coverage: ps
                .iter()
                .filter(|p| p.ci95[k][0] <= p.truth[k] && p.truth[k] <= p.ci95[k][1])
                .count() as f64
                / ps.len().max(1) as f64,
            width_ratio: median(
                ps.iter()
                    .map(|p| (p.ci95[k][1] / p.ci95[k][0]).ln() / prior_width)
                    .collect(),
            ),
        }
    }

    /// Share of patients whose true steady state is in the window, per arm (proposal,
    /// label titration, fixed 75 mg).
    pub fn in_window_share(&self) -> [f64; 3] {
        let n = self.patients.len().max(1) as f64;
        [0, 1, 2].map(|a| self.patients.iter().filter(|p| p.in_window[a]).count() as f64 / n)
    }

    /// Share of converged fits.
    pub fn converged_share(&self) -> f64 {
        self.patients.iter().filter(|p| p.converged).count() as f64
            / self.patients.len().max(1) as f64
    }

    /// The markdown report of `docs/precision.md`.
    pub fn markdown(&self, seed: u64, samples: usize) -> String {
        let mut s = String::new();
        let n = self.patients.len();
        s.push_str(
            "| parameter | patients estimated | median bias | median abs. error | (prior median's error) | 95 % coverage | interval width / prior's |\n|---|---|---|---|---|---|---|\n",
        );
        for (k, p) in HPG_PARAMETERS.iter().enumerate() {
            let r = self.parameter(k);
            if r.n == 0 {
                s.push_str(&format!(
                    "| `{}` | 0 of {n} | – | – | – | – | not informed by these draws: posterior = prior |\n",
                    p.name
                ));
                continue;
            }
            s.push_str(&format!(
                "| `{}` | {} of {n} | {:+.1} % | {:.1} % | {:.1} % | {:.1} % | {:.2} |\n",
                p.name,
                r.n,
                100.0 * r.median_bias,
                100.0 * r.median_abs_error,
                100.0 * r.prior_median_abs_error,
                100.0 * r.coverage,
                r.width_ratio
            ));
        }
        let [a, b, c] = self.in_window_share();
        let dist = |f: &dyn Fn(&PatientResult) -> f64| {
            LADDER_MG
                .iter()
                .map(|&m| {
                    format!(
                        "{m} mg: {}",
                        self.patients.iter().filter(|p| f(p) == m).count()
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let proposed = dist(&|p| p.proposed_mg);
        let titrated = dist(&|p| p.titrated_mg);
        s.push_str(&format!(
            "\n| arm (same {n} patients) | true steady-state T in 264–916 ng/dL over the whole interval | doses given |\n|---|---|---|\n| proposal from 4 draws (this crate) | {:.1} % | {proposed} |\n| label titration (troughs at weeks 6 and 12) | {:.1} % | {titrated} |\n| fixed label dose 75 mg | {:.1} % | 75 mg: {n} |\n| (ceiling: some rung of the ladder keeps him in the window) | {:.1} % | |\n",
            100.0 * a,
            100.0 * b,
            100.0 * c,
            100.0 * self.patients.iter().filter(|p| p.any_rung_in_window).count() as f64
                / n.max(1) as f64
        ));
        let mean_p = self.patients.iter().map(|p| p.probability).sum::<f64>() / n.max(1) as f64;
        s.push_str(&format!(
            "\nFits converged: {:.1} %. Mean posterior probability of the proposals: {:.3} (calibration: compare with the proposal arm's share). Seed {seed}, {samples} posterior draws per proposal.\n",
            100.0 * self.converged_share(),
            mean_p
        ));
        s.push_str(&format!(
            "\nSequential update of `t_clearance_factor` (the same fit with the rows of the first k draws; prior sd of ln θ {:.3}):\n\n| draws | rows | median posterior sd of ln θ | median abs. error | 95 % coverage |\n|---|---|---|---|---|\n",
            HPG_PARAMETERS[0].omega()
        ));
        let rows = [
            "total T 72 h after dose 1",
            "+ trough before dose 2",
            "+ trough T, E2, LH before dose 7",
            "+ T 72 h after dose 7",
        ];
        for (k, what) in rows.iter().enumerate() {
            let sd = median(
                self.patients
                    .iter()
                    .map(|p| p.clearance_by_draws[k].1)
                    .collect(),
            );
            let err = median(
                self.patients
                    .iter()
                    .map(|p| (p.clearance_by_draws[k].0 / p.truth[0] - 1.0).abs())
                    .collect(),
            );
            let cover = self
                .patients
                .iter()
                .filter(|p| {
                    let (e, sd) = p.clearance_by_draws[k];
                    (e.ln() - p.truth[0].ln()).abs() <= Z95 * sd
                })
                .count() as f64
                / n.max(1) as f64;
            s.push_str(&format!(
                "| {} | {what} | {sd:.3} | {:.1} % | {:.1} % |\n",
                k + 1,
                100.0 * err,
                100.0 * cover
            ));
        }
        s
    }
}

/// One HPA parameter of one patient: (truth, estimate, 95 % interval).
pub type HpaEstimate = (f64, f64, [f64; 2]);

/// The HPA part of the study: healthy virtual adults whose two HPA factors
/// ([`crate::clinic::fit::HPA_PARAMETERS`]) are drawn from their priors, one day curve
/// (serum cortisol at 08:00, 12:00, 16:00 and 20:00 of day 1, ACTH at 08:00, with
/// analytical error), fitted back. Parameters only: the HPA axis has no proposal study.
#[derive(Debug, Clone, PartialEq)]
pub struct HpaStudyResult {
    /// Per patient: (truth, estimate, 95 % interval) of each HPA parameter.
    pub patients: Vec<Vec<HpaEstimate>>,
    /// Per patient: the fit converged.
    pub converged: Vec<bool>,
}

/// Run HPA patient `i` of the study with `seed`.
pub fn run_hpa_patient(i: usize, seed: u64) -> Result<(Vec<HpaEstimate>, bool)> {
    use crate::clinic::fit::HPA_PARAMETERS;
    use crate::physiology::axes::hpa::{Condition, HpaParams};
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x4850_4100);
    rng.set_stream(i as u64);
    let truth = draw_factors(&mut rng, &HPA_PARAMETERS);
    let typical = TypicalSubject::Hpa(HpaParams::for_condition(Condition::Healthy));
    let model = patient_model(&typical, &HPA_PARAMETERS, &truth)?;
    let schedule: [(f64, &[Assay]); 4] = [
        (32.0, &[Assay::Cortisol, Assay::Acth]),
        (36.0, &[Assay::Cortisol]),
        (40.0, &[Assay::Cortisol]),
        (44.0, &[Assay::Cortisol]),
    ];
    let mut options = SimOptions::new(48.0, 1.0)?;
    options.sample_times_h = schedule.iter().map(|s| s.0).collect();
    let tr = crate::simulate(model.as_ref(), &Regimen::new(), &options)?;
    let measurements = measure_schedule(&tr, &schedule, &mut rng, ResidualError::Analytical);
    options.sample_times_h.clear();
    let f = fit::fit(&FitProblem {
        subject: typical,
        regimen: Regimen::new(),
        steady_lines: 0,
        options,
        measurements,
        residual: ResidualError::Analytical,
    })?;
    Ok((
        truth
            .iter()
            .zip(&f.parameters)
            .map(|(&t, p)| (t, p.estimate, p.ci95))
            .collect(),
        f.converged,
    ))
}

/// Run `n` HPA patients in parallel.
pub fn run_hpa_study(n: usize, seed: u64) -> Result<HpaStudyResult> {
    let rows = (0..n)
        .into_par_iter()
        .map(|i| run_hpa_patient(i, seed))
        .collect::<Result<Vec<_>>>()?;
    let (patients, converged) = rows.into_iter().unzip();
    Ok(HpaStudyResult {
        patients,
        converged,
    })
}

impl HpaStudyResult {
    /// The markdown table of `docs/precision.md`.
    pub fn markdown(&self) -> String {
        use crate::clinic::fit::HPA_PARAMETERS;
        let n = self.patients.len();
        let mut s = String::from(
            "| parameter | patients | median bias | median abs. error | (prior median's error) | 95 % coverage | interval width / prior's |\n|---|---|---|---|---|---|---|\n",
        );
        for (k, par) in HPA_PARAMETERS.iter().enumerate() {
            let col: Vec<HpaEstimate> = self.patients.iter().map(|p| p[k]).collect();
            let prior_width = 2.0 * Z95 * par.omega();
            s.push_str(&format!(
                "| `{}` | {n} | {:+.1} % | {:.1} % | {:.1} % | {:.1} % | {:.2} |\n",
                par.name,
                100.0 * median(col.iter().map(|c| c.1 / c.0 - 1.0).collect()),
                100.0 * median(col.iter().map(|c| (c.1 / c.0 - 1.0).abs()).collect()),
                100.0 * median(col.iter().map(|c| (1.0 / c.0 - 1.0).abs()).collect()),
                100.0
                    * col
                        .iter()
                        .filter(|c| c.2[0] <= c.0 && c.0 <= c.2[1])
                        .count() as f64
                    / n.max(1) as f64,
                median(
                    col.iter()
                        .map(|c| (c.2[1] / c.2[0]).ln() / prior_width)
                        .collect()
                ),
            ));
        }
        s.push_str(&format!(
            "\nFits converged: {:.1} %.\n",
            100.0 * self.converged.iter().filter(|&&c| c).count() as f64 / n.max(1) as f64
        ));
        s
    }
}
