//! Individual fits: a patient's own measured labs and the population priors give his
//! individual parameters (maximum a posteriori, MAP), with a Laplace posterior.
//!
//! Research and education only; not medical advice.
//!
//! # The statistical model
//!
//! Each individual parameter is a factor on the subject's typical value (the scenario's
//! `[subject]`, calibrated to its baseline labs, with the weight and age covariates of the
//! model): θ_k = exp(η_k), η_k ~ N(0, ω_k²), the log-normal inter-individual variability
//! that cohorts use (`cohort.rs`; ω² = ln(1 + CV²)). Every prior and its source is in
//! [`IndividualParameter`] ([`HPG_PARAMETERS`], [`HPA_PARAMETERS`]).
//!
//! A measured value y of an assay at time t is the model prediction f(t; η) plus assay
//! error with variance V = a² + (b·f)²: b is the assay's analytical CV
//! ([`Assay::default_cv`], cited in `labs.rs`) and a the additive floor
//! ([`additive_sd`]). With [`ResidualError::WithinSubject`] (scenario `[fit] residual =
//! "within_subject"`) b also holds the patient's day-to-day variation
//! ([`within_subject_cv`]): the study in docs/precision.md shows the analytical model's
//! intervals too narrow when labs carry it. A value reported below a limit (`"< 20 pg/mL"`) contributes the
//! probability of being below it, Φ((L − f)/√V) (Beal's M3 method, J Pharmacokinet
//! Pharmacodyn 2001;28:481).
//!
//! The objective is −2 log posterior (up to a constant):
//!
//! ```text
//! OFV(η) = Σ_i [ (y_i − f_i)²/V_i + ln V_i ]  − 2 Σ_censored ln Φ(z_i)  + Σ_k η_k²/ω_k²
//! ```
//!
//! the objective of MAP Bayesian estimation in mapbayr and posologyr (peers.md). It is
//! minimised by Levenberg–Marquardt-damped Fisher scoring: the gradient is exact for the
//! objective above, the Hessian is the expected (Fisher) information
//! H = Σ_i J_iᵀ w_i J_i + 2 Ω⁻¹ with w_i = 2/V_i + (∂V_i/∂f)²/V_i², J the forward
//! finite-difference Jacobian of the predictions (one simulation per parameter). The
//! prior term keeps H positive definite, so every step is defined even when the labs say
//! nothing about a parameter.
//!
//! # Posterior and intervals
//!
//! The Laplace approximation: η | y ~ N(η̂, 2·H(η̂)⁻¹). Parameter intervals are
//! exp(η̂ ± 1.96 sd); a prediction's interval is that of a *new measurement* at the same
//! time (parameter uncertainty by the delta method on ln f, plus the assay's error).
//!
//! A parameter no measured assay depends on (structurally: for example the absorption of
//! a product that is not dosed, or SHBG without a free-T or SHBG assay) is not estimated:
//! its posterior is its prior, and the result says so. A parameter the labs barely inform
//! (posterior sd above [`IDENTIFIABLE_SD_RATIO`] of the prior sd) is flagged as not
//! identifiable from these labs: its interval is essentially the prior's.

use crate::axes::{hpa, hpg, hpt};
use crate::error::{Error, Result};
use crate::labs::Assay;
use crate::Model;
use crate::Regimen;
use crate::SimOptions;
use nalgebra::{DMatrix, DVector};
use serde::Serialize;

/// Posterior sd / prior sd above which a parameter is reported as not identifiable from
/// the labs given (the labs shrink its uncertainty by less than 10 %).
pub const IDENTIFIABLE_SD_RATIO: f64 = 0.9;
/// z of a two-sided 95 % interval.
/// z of a two-sided 95 % interval of the normal distribution.
pub const Z95: f64 = 1.959_963_984_540_054;
/// Largest |η| / ω the optimiser may reach (a factor beyond 5 prior sd is a sign of a
/// model that cannot explain the labs, and is reported as such).
const MAX_ETA_IN_OMEGAS: f64 = 5.0;
/// Forward finite-difference step in η.
const FD_STEP: f64 = 1e-3;
/// Converged when a full step promises to lower −2 log posterior by less than this.
const CONVERGED_DECREASE: f64 = 1e-4;
/// When no damped step lowers the objective any more, the fit still counts as converged
/// if the full step promised less than this (the integrator's relative error, ~1e-6 per
/// prediction, moves the objective by about this much).
const NOISE_DECREASE: f64 = 1e-2;

/// One individual parameter: its name (as `fit` prints it and `[subject]` accepts it),
/// its prior and what it acts on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndividualParameter {
    /// Name (`t_clearance_factor`).
    pub name: &'static str,
    /// Coefficient of variation of the log-normal prior (0.35 for 35 %).
    pub cv: f64,
    /// What the factor multiplies, and the source of the prior.
    pub doc: &'static str,
}

impl IndividualParameter {
    /// Standard deviation of ln θ: ω = √ln(1 + CV²).
    pub fn omega(&self) -> f64 {
        (1.0 + self.cv * self.cv).ln().sqrt()
    }
}

/// The HPG axis' individual parameters. Each is a multiplier on the typical subject.
pub const HPG_PARAMETERS: [IndividualParameter; 5] = [
    IndividualParameter {
        name: "t_clearance_factor",
        cv: 0.35,
        doc: "T metabolic clearance beyond the age and weight covariates \
              (HpgParams::t_clearance_l_h); CV 35 %, the cohorts' default \
              (HpgParams::DEFAULT_VARIABILITY, calibrated to the O12 trough spread)",
    },
    IndividualParameter {
        name: "absorption_rate_factor",
        cv: 0.25,
        doc: "every depot's absorption (release) rate of the dosed products; CV 25 %, \
              the cohorts' default (HpgParams::DEFAULT_VARIABILITY)",
    },
    IndividualParameter {
        name: "lh_drive_factor",
        cv: 0.4439,
        doc: "baseline LH (the GnRH/LH drive); CV 44 %: the 2.2-11.6 IU/L reference \
              interval of men (R4, Qin et al. 2012) read as the central 95 % of a \
              log-normal",
    },
    IndividualParameter {
        name: "aromatase_factor",
        cv: 0.3013,
        doc: "E2 made per T (aromatase; baseline E2); CV 30 %: the 18-57 pg/mL (65.4-207.7 \
              pmol/L) reference interval of men (R4) read as a log-normal's central 95 %",
    },
    IndividualParameter {
        name: "shbg_factor",
        cv: 0.4413,
        doc: "SHBG; CV 44 %: the 18.2-95.1 nmol/L reference interval of men (R4) read \
              as a log-normal's central 95 %",
    },
];

/// The HPA axis' individual parameters identifiable from a cortisol day curve.
pub const HPA_PARAMETERS: [IndividualParameter; 2] = [
    IndividualParameter {
        name: "cortisol_clearance_factor",
        cv: 0.30,
        doc: "clearance of free cortisol (HpaParams::free_clearance_l_h); CV 30 %: our \
              assumption (no population estimate read)",
    },
    IndividualParameter {
        name: "adrenal_sensitivity_factor",
        cv: 0.30,
        doc: "adrenal sensitivity to ACTH (divides HpaParams::adrenal_ec50_acth_pg_ml); \
              CV 30 %: our assumption, of the order of the spread of morning cortisol",
    },
];

/// Limit of quantitation of an assay, in its unit: the lowest value measured with a CV
/// of 20 % (CLSI EP17). Total T 3.05 ng/dL: the lower reportable limit of Elecsys
/// Testosterone II (a laboratory's published ranges: technical 2.50–1500, reportable
/// 3.05–1340 ng/dL). The others are our assumptions for assays with the imprecision of
/// [`Assay::default_cv`]: E2 2 pg/mL (an LC-MS/MS assay; immunoassays stop near
/// 25 pg/mL, as Mayo Clinic Laboratories state for theirs, and their CV is not the
/// HoSt-certified 11.4 % used here), LH and FSH 0.1 IU/L, SHBG 0.5 nmol/L, free T
/// 1 pg/mL, cortisol 0.5 µg/dL, salivary cortisol 0.5 nmol/L, ACTH 1.5 pg/mL. Thyroid:
/// TSH 0.01 mIU/L (the functional sensitivity that defines a third-generation TSH assay),
/// free T4 0.1 ng/dL, free T3 0.2 pg/mL, total T4 0.5 µg/dL, total T3 20 ng/dL: our
/// assumptions, of the order of the lower ends of automated immunoassays' measuring ranges
/// (not read from a package insert here).
pub fn limit_of_quantitation(assay: Assay) -> f64 {
    match assay {
        Assay::TotalT => 3.05,
        Assay::E2 => 2.0,
        Assay::Lh | Assay::Fsh => 0.1,
        Assay::Shbg => 0.5,
        Assay::FreeT | Assay::FreeTEd => 1.0,
        Assay::Cortisol => 0.5,
        Assay::SalivaryCortisol => 0.5,
        Assay::Acth => 1.5,
        Assay::Tsh => 0.01,
        Assay::Ft4 => 0.1,
        Assay::Ft3 => 0.2,
        Assay::TotalT4 => 0.5,
        Assay::TotalT3 => 20.0,
    }
}

/// Additive floor a of an assay's error, in its unit: the sd at zero concentration such
/// that the total CV is 20 % at the limit of quantitation L
/// ([`limit_of_quantitation`]): a = L·√(0.2² − b²), b the proportional CV.
pub fn additive_sd(assay: Assay) -> f64 {
    let loq = limit_of_quantitation(assay);
    let b = assay.default_cv();
    loq * (0.04 - b * b).max(0.0).sqrt()
}

/// Within-subject CV of an assay: analytical and day-to-day biological variation
/// together (CV_A+I), where a published estimate was read. Total T 11.6 % and E2 13.8 %:
/// the reference change limits ±32.0 % and ±38.3 % of Ahokoski et al. (Clin Chem Lab Med
/// 1998;36:485; 31 healthy men, 08:00 draws on days 1 to 9) divided by √2·1.96. `None`
/// for the other assays (LH: Ahokoski give no limit, its day-to-day variation being too
/// heterogeneous; the others not read).
pub fn within_subject_cv(assay: Assay) -> Option<f64> {
    let rcv = match assay {
        Assay::TotalT => 0.320,
        Assay::E2 => 0.383,
        _ => return None,
    };
    Some(rcv / (std::f64::consts::SQRT_2 * 1.96))
}

/// The proportional part of the residual error a fit assumes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResidualError {
    /// Each assay's analytical imprecision ([`Assay::default_cv`]): the measurement
    /// error of one sample. Intervals are too narrow when the labs also vary from day to
    /// day within the patient (docs/precision.md).
    #[default]
    Analytical,
    /// Analytical and within-subject day-to-day variation ([`within_subject_cv`], the
    /// analytical CV where no estimate is known): a lab drawn on another day.
    WithinSubject,
}

impl ResidualError {
    /// Name in a scenario (`[fit] residual`).
    pub fn name(self) -> &'static str {
        match self {
            ResidualError::Analytical => "analytical",
            ResidualError::WithinSubject => "within_subject",
        }
    }
    /// The error model called `name`.
    pub fn from_name(name: &str) -> Option<ResidualError> {
        [ResidualError::Analytical, ResidualError::WithinSubject]
            .into_iter()
            .find(|r| r.name() == name)
    }
    /// Proportional CV of `assay` under this model.
    pub fn cv(self, assay: Assay) -> f64 {
        match self {
            ResidualError::Analytical => assay.default_cv(),
            ResidualError::WithinSubject => {
                within_subject_cv(assay).unwrap_or_else(|| assay.default_cv())
            }
        }
    }
}

/// Variance of a measurement whose true value is `f`, and its derivative in f: the
/// additive floor of the assay and the proportional CV of `residual`.
fn variance(residual: ResidualError, assay: Assay, f: f64) -> (f64, f64) {
    let a = additive_sd(assay);
    let b = residual.cv(assay);
    (a * a + b * b * f * f, 2.0 * b * b * f)
}

/// A measured value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MeasuredValue {
    /// A quantified value, in the assay's unit.
    Value(f64),
    /// Reported below a limit (`"< 20 pg/mL"`), in the assay's unit.
    BelowLimit(f64),
}

/// One measured lab of the patient.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measurement {
    /// Assay.
    pub assay: Assay,
    /// Time, h from t = 0.
    pub time_h: f64,
    /// Value in the assay's unit ([`Assay::unit`]).
    pub value: MeasuredValue,
}

/// The typical subject a fit starts from: the axis parameters without individual factors.
#[derive(Debug, Clone, PartialEq)]
pub enum TypicalSubject {
    /// HPG axis.
    Hpg(hpg::HpgParams),
    /// HPA axis.
    Hpa(hpa::HpaParams),
    /// HPT axis: no individual parameters are defined for it yet, so a fit has nothing to
    /// estimate and `[subject]` accepts no `*_factor` on this axis.
    Hpt(hpt::HptParams),
}

impl TypicalSubject {
    /// The individual parameters of this axis.
    pub fn parameters(&self) -> &'static [IndividualParameter] {
        match self {
            TypicalSubject::Hpg(_) => &HPG_PARAMETERS,
            TypicalSubject::Hpa(_) => &HPA_PARAMETERS,
            TypicalSubject::Hpt(_) => &[],
        }
    }

    /// The model with individual factors `values` (name, factor) applied.
    pub fn model_with(&self, values: &[(&str, f64)]) -> Result<Box<dyn Model>> {
        match self {
            TypicalSubject::Hpg(p) => {
                let mut p = p.clone();
                for &(name, f) in values {
                    apply_hpg(&mut p, name, f)?;
                }
                Ok(Box::new(hpg::Hpg::try_new(p)?))
            }
            TypicalSubject::Hpa(p) => {
                let mut p = p.clone();
                for &(name, f) in values {
                    apply_hpa(&mut p, name, f)?;
                }
                Ok(Box::new(hpa::Hpa::new(p)))
            }
            TypicalSubject::Hpt(p) => match values.first() {
                Some(&(name, _)) => Err(unknown_parameter(name, &[])),
                None => Ok(Box::new(hpt::Hpt::try_new(p.clone())?)),
            },
        }
    }
}

fn unknown_parameter(name: &str, known: &[IndividualParameter]) -> Error {
    Error::UnknownName {
        field: "subject".into(),
        value: name.into(),
        known: known.iter().map(|p| p.name).collect::<Vec<_>>().join(", "),
    }
}

/// Multiply the HPG parameter called `name` (an [`HPG_PARAMETERS`] name) by `factor`.
pub fn apply_hpg(p: &mut hpg::HpgParams, name: &str, factor: f64) -> Result<()> {
    crate::error::positive(&format!("subject.{name}"), factor)?;
    // the cohort's variability names carry the same multipliers
    let cohort_name = match name {
        "t_clearance_factor" => "testosterone_clearance",
        "absorption_rate_factor" => "depot_absorption_rate",
        "lh_drive_factor" => "lh_drive",
        "aromatase_factor" => "aromatase_rate",
        "shbg_factor" => "shbg",
        _ => return Err(unknown_parameter(name, &HPG_PARAMETERS)),
    };
    p.scale(cohort_name, factor)
}

/// Multiply the HPA parameter called `name` (an [`HPA_PARAMETERS`] name) by `factor`.
pub fn apply_hpa(p: &mut hpa::HpaParams, name: &str, factor: f64) -> Result<()> {
    crate::error::positive(&format!("subject.{name}"), factor)?;
    match name {
        "cortisol_clearance_factor" => p.free_clearance_l_h *= factor,
        "adrenal_sensitivity_factor" => p.adrenal_ec50_acth_pg_ml /= factor,
        _ => return Err(unknown_parameter(name, &HPA_PARAMETERS)),
    }
    Ok(())
}

/// What a fit is given.
#[derive(Debug, Clone)]
pub struct FitProblem {
    /// The typical subject (prior medians).
    pub subject: TypicalSubject,
    /// The regimen the patient received.
    pub regimen: Regimen,
    /// Leading dose lines that started at their periodic steady state (scenario
    /// `steady_state = true`).
    pub steady_lines: usize,
    /// Integration options; the run must reach the last measurement.
    pub options: SimOptions,
    /// The measured labs.
    pub measurements: Vec<Measurement>,
    /// The residual error model (default: analytical imprecision only).
    pub residual: ResidualError,
}

/// How one parameter came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Identifiability {
    /// The labs narrowed the prior.
    Estimated,
    /// The labs barely inform it: posterior ≈ prior.
    Weak,
    /// No measured assay depends on it: posterior = prior, not estimated.
    NotInformed,
}

/// One fitted parameter (contract: name, estimate, ci95, prior_median).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParameterEstimate {
    /// Parameter name.
    pub name: String,
    /// MAP estimate of the factor.
    pub estimate: f64,
    /// 95 % interval of the factor (Laplace posterior).
    pub ci95: [f64; 2],
    /// Prior median.
    pub prior_median: f64,
    /// 95 % interval of the prior.
    pub prior_ci95: [f64; 2],
    /// Posterior sd of ln θ / prior sd.
    pub sd_ratio: f64,
    /// Whether the labs inform it.
    pub identifiability: Identifiability,
}

/// One measured lab and its fit (contract: assay, time_h, measured, predicted, pi95).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    /// Assay name.
    pub assay: String,
    /// Time, h.
    pub time_h: f64,
    /// The measured value (for a below-limit value: the limit).
    pub measured: f64,
    /// Whether the value was reported below a limit.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub below_limit: bool,
    /// Prediction at the MAP estimate.
    pub predicted: f64,
    /// 95 % interval of a new measurement at this time.
    pub pi95: [f64; 2],
    /// Unit.
    pub unit: String,
}

/// A fit's result; serialises to the contract JSON (`parameters`, `predictions`) plus
/// the convergence report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    /// One entry per individual parameter of the axis.
    pub parameters: Vec<ParameterEstimate>,
    /// One entry per measurement, in the order given.
    pub predictions: Vec<Prediction>,
    /// Whether the optimiser converged.
    pub converged: bool,
    /// What the optimiser says (why it stopped).
    pub message: String,
    /// Optimiser iterations.
    pub iterations: u32,
    /// Simulations run.
    pub simulations: u32,
    /// −2 log posterior at the estimate (up to a constant).
    pub objective: f64,
    /// The residual error model used.
    pub residual: ResidualError,
    /// Posterior of η = ln θ: mean (one per parameter, in `parameters` order).
    #[serde(skip)]
    pub eta: Vec<f64>,
    /// Posterior covariance of η (parameters order; prior variance for the parameters
    /// not estimated).
    #[serde(skip)]
    pub covariance: DMatrix<f64>,
}

impl Fit {
    /// (name, factor) at the MAP estimate, for [`TypicalSubject::model_with`].
    pub fn estimates(&self) -> Vec<(&str, f64)> {
        self.parameters
            .iter()
            .map(|p| (p.name.as_str(), p.estimate))
            .collect()
    }
}

/// Which of the axis' parameters (in [`TypicalSubject::parameters`] order) any of
/// `assays` can depend on under `regimen` (structurally).
pub fn informed_parameters(
    subject: &TypicalSubject,
    regimen: &Regimen,
    assays: &[Assay],
) -> Vec<bool> {
    informed(subject, regimen, assays)
}

fn informed(subject: &TypicalSubject, regimen: &Regimen, assays: &[Assay]) -> Vec<bool> {
    let dosed: Vec<&crate::drugs::Drug> = regimen
        .doses()
        .iter()
        .filter_map(|d| crate::drugs::find(d.drug()))
        .collect();
    let has = |a: &[Assay]| assays.iter().any(|x| a.contains(x));
    let t_derived = [Assay::TotalT, Assay::FreeT, Assay::FreeTEd, Assay::E2];
    let exogenous_t = dosed.iter().any(|d| {
        d.channels()
            .contains(&crate::Channel::ExogenousTestosterone)
    });
    let depot = regimen.doses().iter().any(|d| {
        crate::drugs::find(d.drug())
            .and_then(|drug| drug.route(d.route()))
            .is_some_and(|spec| {
                spec.inputs
                    .iter()
                    .any(|i| !matches!(i.absorption, crate::drugs::Absorption::Direct))
            })
    });
    subject
        .parameters()
        .iter()
        .map(|p| match p.name {
            "t_clearance_factor" => exogenous_t && has(&t_derived),
            "absorption_rate_factor" => depot && !assays.is_empty(),
            "lh_drive_factor" => {
                has(&[Assay::Lh]) || (!regimen.doses().is_empty() && has(&t_derived))
            }
            "aromatase_factor" => has(&[Assay::E2]),
            "shbg_factor" => has(&[Assay::FreeT, Assay::FreeTEd, Assay::Shbg]),
            // HPA: both act on every cortisol-derived assay and on ACTH through feedback
            _ => !assays.is_empty(),
        })
        .collect()
}

/// Standard normal cdf and pdf.
fn phi_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}
fn phi_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Complementary error function (W. J. Cody's rational approximations via the
/// Numerical Recipes erfc Chebyshev fit, relative error < 1.2e-7).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

/// −2 log-likelihood of one measurement given prediction `f`, with d/df and the
/// expected second derivative (Fisher weight).
fn contribution(residual: ResidualError, m: &Measurement, f: f64) -> (f64, f64, f64) {
    let (v, dv) = variance(residual, m.assay, f);
    match m.value {
        MeasuredValue::Value(y) => {
            let r = y - f;
            let ofv = r * r / v + v.ln();
            let grad = -2.0 * r / v - r * r * dv / (v * v) + dv / v;
            let w = 2.0 / v + dv * dv / (v * v);
            (ofv, grad, w)
        }
        MeasuredValue::BelowLimit(l) => {
            let s = v.sqrt();
            let z = (l - f) / s;
            let p = phi_cdf(z).max(1e-300);
            let lambda = phi_pdf(z) / p;
            // σ held at its value for the derivatives (its dependence on f is second order)
            let grad = 2.0 * lambda / s;
            let w = (2.0 / v) * lambda * (lambda + z).max(0.0);
            (-2.0 * p.ln(), grad, w)
        }
    }
}

impl FitProblem {
    /// Check the measurements against the axis and the run.
    fn validate(&self) -> Result<()> {
        if self.measurements.is_empty() {
            return Err(Error::MissingField {
                field: "measured".into(),
            });
        }
        for (i, m) in self.measurements.iter().enumerate() {
            let v = match m.value {
                MeasuredValue::Value(v) | MeasuredValue::BelowLimit(v) => v,
            };
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::invalid(
                    format!("measured[{i}].value"),
                    v,
                    "a measured value is a finite number ≥ 0",
                ));
            }
            if !(m.time_h.is_finite() && m.time_h >= 0.0 && m.time_h <= self.options.duration_h) {
                return Err(Error::invalid(
                    format!("measured[{i}].at"),
                    format!("{} h", m.time_h),
                    format!(
                        "a measurement must lie inside the run (0 to {} h): lengthen `duration`",
                        self.options.duration_h
                    ),
                ));
            }
        }
        if let TypicalSubject::Hpg(_) = self.subject {
            let first = self
                .regimen
                .doses()
                .iter()
                .map(|d| d.at_h())
                .fold(f64::INFINITY, f64::min);
            if !first.is_finite() {
                return Err(Error::invalid(
                    "dose",
                    "(none)",
                    "an HPG fit learns from labs on treatment: give the [[dose]] lines the patient received",
                ));
            }
            if self.steady_lines == 0 && self.measurements.iter().all(|m| m.time_h <= first) {
                let (i, m) = self
                    .measurements
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.time_h.total_cmp(&b.1.time_h))
                    .expect("non-empty");
                return Err(Error::invalid(
                    format!("measured[{i}].at"),
                    format!("{} h", m.time_h),
                    format!(
                        "every measurement is before the first dose (at {first} h): the fit needs at least one on treatment"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Predictions at the measurement times for the factors `values`.
    fn predict(&self, values: &[(&str, f64)]) -> Result<Vec<f64>> {
        let model = self.subject.model_with(values)?;
        let mut o = self.options.clone();
        o.sample_times_h = self.measurements.iter().map(|m| m.time_h).collect();
        o.sample_times_h.sort_by(f64::total_cmp);
        o.sample_times_h.dedup();
        o.sample_times_h.retain(|&t| t < o.duration_h);
        // dose rows stay on: a sample at a dose time is only emitted as the pre-dose row
        o.dose_rows = true;
        let tr = match self.steady_lines {
            0 => crate::simulate(model.as_ref(), &self.regimen, &o)?,
            k => {
                let ss = crate::steady_state::steady_start(
                    model.as_ref(),
                    &self.regimen,
                    k,
                    &o,
                    &crate::steady_state::SteadyStateSettings::default(),
                )?;
                crate::simulate_from(model.as_ref(), &self.regimen, &o, &ss.state)?
            }
        };
        let o = tr.outcome();
        if !o.is_completed() {
            return Err(Error::invalid(
                "fit",
                format!("simulation: {o}"),
                "the model could not be integrated at these parameters",
            ));
        }
        self.measurements
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let (col, factor) = m.assay.column();
                tr.sample(col, m.time_h)
                    .or_else(|| tr.value_at(col, m.time_h))
                    .map(|v| v * factor)
                    .ok_or_else(|| Error::UnknownName {
                        field: format!("measured[{i}].assay"),
                        value: m.assay.name().into(),
                        known: "the assays of this axis".into(),
                    })
            })
            .collect()
    }
}

/// −2 log posterior at the factors `values` (for checks and profiles).
pub fn objective_at(problem: &FitProblem, values: &[(&str, f64)]) -> Result<f64> {
    let f = problem.predict(values)?;
    let all = problem.subject.parameters();
    let mut ofv = 0.0;
    for &(n, v) in values {
        let w = all
            .iter()
            .find(|p| p.name == n)
            .map(|p| p.omega())
            .unwrap_or(1.0);
        ofv += (v.ln() / w).powi(2);
    }
    for (m, &fi) in problem.measurements.iter().zip(&f) {
        ofv += contribution(problem.residual, m, fi).0;
    }
    Ok(ofv)
}

/// Fit the individual parameters of `problem` (module docs).
pub fn fit(problem: &FitProblem) -> Result<Fit> {
    problem.validate()?;
    let all = problem.subject.parameters();
    let assays: Vec<Assay> = problem.measurements.iter().map(|m| m.assay).collect();
    let mask = informed(&problem.subject, &problem.regimen, &assays);
    let free: Vec<usize> = (0..all.len()).filter(|&k| mask[k]).collect();
    let omega: Vec<f64> = free.iter().map(|&k| all[k].omega()).collect();
    let p = free.len();
    let mut sims = 0u32;

    let values_of = |eta: &[f64]| -> Vec<(&str, f64)> {
        free.iter()
            .zip(eta)
            .map(|(&k, e)| (all[k].name, e.exp()))
            .collect()
    };
    let evaluate = |eta: &[f64], sims: &mut u32| -> Result<(f64, Vec<f64>)> {
        *sims += 1;
        let f = problem.predict(&values_of(eta))?;
        let mut ofv: f64 = eta.iter().zip(&omega).map(|(e, w)| (e / w).powi(2)).sum();
        for (m, &fi) in problem.measurements.iter().zip(&f) {
            ofv += contribution(problem.residual, m, fi).0;
        }
        Ok((ofv, f))
    };
    // the typical subject must run: its failure is an error, not a fit result
    let mut eta = vec![0.0; p];
    let (mut ofv, mut f) = evaluate(&eta, &mut sims)?;
    let jacobian = |eta: &[f64], f: &[f64], sims: &mut u32| -> Result<DMatrix<f64>> {
        let mut j = DMatrix::zeros(f.len(), eta.len());
        let mut e = eta.to_vec();
        for k in 0..eta.len() {
            e[k] = eta[k] + FD_STEP;
            *sims += 1;
            let fk = problem.predict(&values_of(&e))?;
            for i in 0..f.len() {
                j[(i, k)] = (fk[i] - f[i]) / FD_STEP;
            }
            e[k] = eta[k];
        }
        Ok(j)
    };
    let normal = |eta: &[f64], f: &[f64], j: &DMatrix<f64>| -> (DVector<f64>, DMatrix<f64>) {
        let mut g =
            DVector::from_iterator(p, eta.iter().zip(&omega).map(|(e, w)| 2.0 * e / (w * w)));
        let mut h = DMatrix::from_diagonal(&DVector::from_iterator(
            p,
            omega.iter().map(|w| 2.0 / (w * w)),
        ));
        for (i, m) in problem.measurements.iter().enumerate() {
            let (_, gi, wi) = contribution(problem.residual, m, f[i]);
            let row = j.row(i);
            g += row.transpose() * gi;
            h += row.transpose() * row * wi;
        }
        (g, h)
    };

    let mut converged = p == 0;
    let mut message = if p == 0 {
        "no parameter depends on the measured assays: posterior = prior".to_string()
    } else {
        String::new()
    };
    let mut iterations = 0u32;
    let mut mu = 1e-3;
    let mut hessian = DMatrix::zeros(p, p);
    const MAX_ITERATIONS: u32 = 50;
    if p > 0 {
        let mut j = jacobian(&eta, &f, &mut sims)?;
        loop {
            let (g, h) = normal(&eta, &f, &j);
            hessian = h.clone();
            // The decrease a full Fisher-scoring step promises, ½·gᵀH⁻¹g: below
            // CONVERGED_DECREASE the optimum is reached to far better than any interval
            // needs (a 95 % interval spans a change of 3.84), and below the noise of the
            // integrator in the objective.
            let promised = h
                .clone()
                .cholesky()
                .map(|c| 0.5 * g.dot(&c.solve(&g)))
                .unwrap_or(f64::INFINITY);
            if promised < CONVERGED_DECREASE {
                converged = true;
                message = format!("converged in {iterations} iterations");
                break;
            }
            if iterations >= MAX_ITERATIONS {
                message = format!("not converged: {MAX_ITERATIONS} iterations reached");
                break;
            }
            iterations += 1;
            let mut accepted = false;
            for _ in 0..12 {
                let mut damped = h.clone();
                for k in 0..p {
                    damped[(k, k)] *= 1.0 + mu;
                }
                let Some(step) = damped.cholesky().map(|c| c.solve(&(-&g))) else {
                    mu *= 10.0;
                    continue;
                };
                let trial: Vec<f64> = eta
                    .iter()
                    .zip(step.iter())
                    .zip(&omega)
                    .map(|((e, s), w)| (e + s).clamp(-MAX_ETA_IN_OMEGAS * w, MAX_ETA_IN_OMEGAS * w))
                    .collect();
                match evaluate(&trial, &mut sims) {
                    Ok((o, ft)) if o <= ofv => {
                        let small = step
                            .iter()
                            .zip(&omega)
                            .all(|(s, w)| s.abs() <= 1e-4 * w.max(1e-3));
                        let flat = ofv - o <= 1e-8 * ofv.abs().max(1.0);
                        eta = trial;
                        ofv = o;
                        f = ft;
                        mu = (mu * 0.3).max(1e-7);
                        accepted = true;
                        if small || flat {
                            converged = true;
                        }
                        break;
                    }
                    _ => mu *= 10.0,
                }
            }
            if !accepted {
                // no decrease along any damped step: at a minimum if the step promised
                // little (the objective's integration noise hides smaller decreases)
                converged = promised < NOISE_DECREASE;
                message = if converged {
                    format!("converged in {iterations} iterations (no further decrease)")
                } else {
                    format!(
                        "not converged: no step lowers the objective, though a full step promised {promised:.2e}"
                    )
                };
                break;
            }
            j = jacobian(&eta, &f, &mut sims)?;
            if converged {
                let (_, h) = normal(&eta, &f, &j);
                hessian = h;
                message = format!("converged in {iterations} iterations");
                break;
            }
        }
        if converged
            && eta
                .iter()
                .zip(&omega)
                .any(|(e, w)| e.abs() >= MAX_ETA_IN_OMEGAS * w * (1.0 - 1e-9))
        {
            converged = false;
            message = format!(
                "not converged: a parameter reached {MAX_ETA_IN_OMEGAS} prior sd; the model cannot explain these labs"
            );
        }
    }

    // Laplace covariance of the free parameters: 2·H⁻¹ (H of −2 log posterior).
    let cov_free = if p > 0 {
        hessian
            .clone()
            .cholesky()
            .map(|c| c.inverse() * 2.0)
            .unwrap_or_else(|| {
                DMatrix::from_diagonal(&DVector::from_iterator(p, omega.iter().map(|w| w * w)))
            })
    } else {
        DMatrix::zeros(0, 0)
    };
    let n_all = all.len();
    let mut eta_all = vec![0.0; n_all];
    let mut cov = DMatrix::zeros(n_all, n_all);
    for (k, par) in all.iter().enumerate() {
        cov[(k, k)] = par.omega().powi(2);
    }
    for (a, &ka) in free.iter().enumerate() {
        eta_all[ka] = eta[a];
        for (b, &kb) in free.iter().enumerate() {
            cov[(ka, kb)] = cov_free[(a, b)];
        }
    }
    let parameters = all
        .iter()
        .enumerate()
        .map(|(k, par)| {
            let w = par.omega();
            let sd = cov[(k, k)].max(0.0).sqrt();
            let ratio = sd / w;
            ParameterEstimate {
                name: par.name.into(),
                estimate: eta_all[k].exp(),
                ci95: [(eta_all[k] - Z95 * sd).exp(), (eta_all[k] + Z95 * sd).exp()],
                prior_median: 1.0,
                prior_ci95: [(-Z95 * w).exp(), (Z95 * w).exp()],
                sd_ratio: ratio,
                identifiability: if !mask[k] {
                    Identifiability::NotInformed
                } else if ratio > IDENTIFIABLE_SD_RATIO {
                    Identifiability::Weak
                } else {
                    Identifiability::Estimated
                },
            }
        })
        .collect();

    // Prediction intervals of a new measurement: parameter uncertainty (delta method on
    // ln f) and the assay's error, combined on the log scale.
    let jac = if p > 0 {
        jacobian(&eta, &f, &mut sims)?
    } else {
        DMatrix::zeros(f.len(), 0)
    };
    let predictions = problem
        .measurements
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let fi = f[i].max(1e-12);
            let var_param = if p > 0 {
                let g = jac.row(i).transpose() / fi;
                (g.transpose() * &cov_free * &g)[(0, 0)]
            } else {
                0.0
            };
            let (v, _) = variance(problem.residual, m.assay, fi);
            let var_log = var_param + (1.0 + v / (fi * fi)).ln();
            let s = var_log.max(0.0).sqrt();
            let (measured, below) = match m.value {
                MeasuredValue::Value(y) => (y, false),
                MeasuredValue::BelowLimit(l) => (l, true),
            };
            Prediction {
                assay: m.assay.name().into(),
                time_h: m.time_h,
                measured,
                below_limit: below,
                predicted: f[i],
                pi95: [fi * (-Z95 * s).exp(), fi * (Z95 * s).exp()],
                unit: m.assay.unit().into(),
            }
        })
        .collect();

    Ok(Fit {
        parameters,
        predictions,
        converged,
        message,
        iterations,
        simulations: sims,
        objective: ofv,
        residual: problem.residual,
        eta: eta_all,
        covariance: cov,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prior_cvs_are_the_reference_intervals_read_as_log_normals() {
        // ω = ln(hi/lo)/(2·1.96) and CV = √(exp(ω²) − 1)
        let cv = |lo: f64, hi: f64| {
            let w = (hi / lo).ln() / (2.0 * Z95);
            ((w * w).exp() - 1.0).sqrt()
        };
        let by = |n: &str| HPG_PARAMETERS.iter().find(|p| p.name == n).unwrap().cv;
        assert!((by("lh_drive_factor") - cv(2.2, 11.6)).abs() < 5e-4);
        assert!((by("aromatase_factor") - cv(65.4, 207.7)).abs() < 5e-4);
        assert!((by("shbg_factor") - cv(18.2, 95.1)).abs() < 5e-4);
    }

    #[test]
    fn erfc_matches_known_values() {
        // Abramowitz & Stegun table 7.1: erfc(0.5) = 0.4795001222, erfc(1) = 0.1572992071
        assert!((erfc(0.5) - 0.479_500_122_2).abs() < 1e-7);
        assert!((erfc(1.0) - 0.157_299_207_1).abs() < 1e-7);
        assert!((erfc(-1.0) - 1.842_700_792_9).abs() < 1e-7);
        assert!((phi_cdf(1.959_963_984_540_054) - 0.975).abs() < 1e-7);
    }

    #[test]
    fn additive_floor_gives_20_percent_cv_at_the_limit() {
        for a in Assay::ALL {
            let loq = limit_of_quantitation(a);
            let (v, _) = variance(ResidualError::Analytical, a, loq);
            assert!((v.sqrt() / loq - 0.2).abs() < 1e-12);
        }
    }
}
