//! Lab draws: what a clinic measures, with assay imprecision, kept apart from the truth.
//!
//! A draw reads the true value from the trajectory row computed exactly at the draw time
//! (a draw at a dose time is the pre-dose trough) and multiplies it by log-normal noise
//! with mean 1 and the assay's coefficient of variation: ln X ~ N(−σ²/2, σ²),
//! σ² = ln(1 + CV²), so the mean of many draws is the true value and their CV is the
//! assay's CV, and a measurement is never negative.
//!
//! Default imprecision (analytical CV), each cited:
//! - total T 5.3 %, E2 11.4 %: CDC Hormone Standardization Program (HoSt) certification
//!   criteria for imprecision (cdc.gov/labstandards/csp/hs_host_certification.html).
//! - LH 13 %, FSH 4 %, SHBG 3.7 %, cortisol 9 %: the desirable imprecision CVa = 0.5·CVi
//!   (Fraser & Hyltoft Petersen; Ricos et al., Scand J Clin Lab Invest 1999;59:491) from
//!   the within-subject biological variation of men in Guldhaug et al. (Bayesian CVi: LH
//!   26 %, FSH 8 %, SHBG 7.4 %, cortisol 18 %).
//! - free T: the Vermeulen calculation propagates total T and SHBG (√(5.3² + 3.7²) ≈ 6.5 %);
//!   by equilibrium dialysis the value is the calculated one divided by 1.19, the median
//!   cFT-V/ED ratio of the EMAS men (JCEM 2018;103:2167, pk-parameters.md P11), same CV.
//! - salivary cortisol: taken as serum free cortisol (salivary cortisol tracks the free
//!   fraction), CV as serum cortisol; ACTH 10 %: our assumption (no source read).
//! - TSH 4.2 % and total T3 11.2 %: intra-assay CVs of the Immulite 2500 at 0.20 mU/L and
//!   1.34 nmol/L (Celi et al., Clin Endocrinol 2010;72:709, Methods); free T4, free T3
//!   and total T4 5 %: our assumption (Celi's FT4 CVs, 16.4 % at 6 pmol/L and 2.6 % at
//!   50 pmol/L, bracket it; no FT3 or total T4 figure read).

use crate::engine::trajectory::Trajectory;
use crate::error::{Error, Result};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};
use std::io::Write;

/// Median ratio of Vermeulen-calculated to equilibrium-dialysis free T (P11).
pub const CFT_TO_ED_RATIO: f64 = 1.19;

/// A laboratory test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assay {
    /// Total testosterone, ng/dL.
    TotalT,
    /// Free testosterone calculated by Vermeulen, pg/mL.
    FreeT,
    /// Free testosterone by equilibrium dialysis, pg/mL.
    FreeTEd,
    /// Estradiol, pg/mL.
    E2,
    /// LH, IU/L.
    Lh,
    /// FSH, IU/L.
    Fsh,
    /// SHBG, nmol/L.
    Shbg,
    /// Serum total cortisol, µg/dL.
    Cortisol,
    /// Salivary cortisol, nmol/L.
    SalivaryCortisol,
    /// ACTH, pg/mL.
    Acth,
    /// TSH, mIU/L.
    Tsh,
    /// Free T4, ng/dL.
    Ft4,
    /// Free T3, pg/mL.
    Ft3,
    /// Total T4, µg/dL.
    TotalT4,
    /// Total T3, ng/dL.
    TotalT3,
}

impl Assay {
    /// Every assay.
    pub const ALL: [Assay; 15] = [
        Assay::TotalT,
        Assay::FreeT,
        Assay::FreeTEd,
        Assay::E2,
        Assay::Lh,
        Assay::Fsh,
        Assay::Shbg,
        Assay::Cortisol,
        Assay::SalivaryCortisol,
        Assay::Acth,
        Assay::Tsh,
        Assay::Ft4,
        Assay::Ft3,
        Assay::TotalT4,
        Assay::TotalT3,
    ];

    /// Scenario name.
    pub fn name(self) -> &'static str {
        match self {
            Assay::TotalT => "total_t",
            Assay::FreeT => "free_t",
            Assay::FreeTEd => "free_t_ed",
            Assay::E2 => "e2",
            Assay::Lh => "lh",
            Assay::Fsh => "fsh",
            Assay::Shbg => "shbg",
            Assay::Cortisol => "cortisol",
            Assay::SalivaryCortisol => "salivary_cortisol",
            Assay::Acth => "acth",
            Assay::Tsh => "tsh",
            Assay::Ft4 => "ft4",
            Assay::Ft3 => "ft3",
            Assay::TotalT4 => "total_t4",
            Assay::TotalT3 => "total_t3",
        }
    }

    /// Parse a scenario name.
    pub fn from_name(s: &str) -> Option<Assay> {
        Assay::ALL.into_iter().find(|a| a.name() == s)
    }

    /// Comma-separated names (for errors).
    pub fn known() -> String {
        Assay::ALL.map(|a| a.name()).join(", ")
    }

    /// The trajectory column it reads and the factor applied to it.
    pub fn column(self) -> (&'static str, f64) {
        self.source()
    }

    fn source(self) -> (&'static str, f64) {
        match self {
            Assay::TotalT => ("total_t_ng_dl", 1.0),
            Assay::FreeT => ("free_t_pg_ml", 1.0),
            Assay::FreeTEd => ("free_t_pg_ml", 1.0 / CFT_TO_ED_RATIO),
            Assay::E2 => ("e2_pg_ml", 1.0),
            Assay::Lh => ("lh_iu_l", 1.0),
            Assay::Fsh => ("fsh_iu_l", 1.0),
            Assay::Shbg => ("shbg_nmol_l", 1.0),
            Assay::Cortisol => ("cortisol_ug_dl", 1.0),
            Assay::SalivaryCortisol => ("free_cortisol_nmol_l", 1.0),
            Assay::Acth => ("acth_pg_ml", 1.0),
            Assay::Tsh => ("tsh_miu_l", 1.0),
            Assay::Ft4 => ("ft4_ng_dl", 1.0),
            Assay::Ft3 => ("ft3_pg_ml", 1.0),
            Assay::TotalT4 => ("total_t4_ug_dl", 1.0),
            Assay::TotalT3 => ("total_t3_ng_dl", 1.0),
        }
    }

    /// The analyte, for parsing a concentration of this assay written with a unit
    /// (e.g. a titration threshold); its canonical unit is [`Assay::unit`].
    pub fn analyte(self) -> crate::engine::units::Analyte {
        use crate::engine::units::Analyte;
        match self {
            Assay::TotalT => Analyte::Testosterone,
            Assay::FreeT | Assay::FreeTEd => Analyte::FreeTestosterone,
            Assay::E2 => Analyte::Estradiol,
            Assay::Lh | Assay::Fsh => Analyte::Gonadotropin,
            Assay::Shbg => Analyte::Shbg,
            Assay::Cortisol => Analyte::Cortisol,
            Assay::SalivaryCortisol => Analyte::SalivaryCortisol,
            Assay::Acth => Analyte::Acth,
            Assay::Tsh => Analyte::Tsh,
            Assay::Ft4 => Analyte::FreeT4,
            Assay::Ft3 => Analyte::FreeT3,
            Assay::TotalT4 => Analyte::TotalT4,
            Assay::TotalT3 => Analyte::TotalT3,
        }
    }

    /// Unit of the reported value.
    pub fn unit(self) -> &'static str {
        match self {
            Assay::TotalT => "ng/dL",
            Assay::FreeT | Assay::FreeTEd | Assay::E2 | Assay::Acth => "pg/mL",
            Assay::Lh | Assay::Fsh => "IU/L",
            Assay::Shbg | Assay::SalivaryCortisol => "nmol/L",
            Assay::Cortisol | Assay::TotalT4 => "ug/dL",
            Assay::Tsh => "mIU/L",
            Assay::Ft4 | Assay::TotalT3 => "ng/dL",
            Assay::Ft3 => "pg/mL",
        }
    }

    /// Default analytical CV (see the module docs for sources).
    pub fn default_cv(self) -> f64 {
        match self {
            Assay::TotalT => 0.053,
            Assay::FreeT | Assay::FreeTEd => 0.065,
            Assay::E2 => 0.114,
            Assay::Lh => 0.13,
            Assay::Fsh => 0.04,
            Assay::Shbg => 0.037,
            Assay::Cortisol | Assay::SalivaryCortisol => 0.09,
            Assay::Acth => 0.10,
            Assay::Tsh => 0.042,
            Assay::TotalT3 => 0.112,
            Assay::Ft4 | Assay::Ft3 | Assay::TotalT4 => 0.05,
        }
    }
}

/// One scheduled draw.
#[derive(Debug, Clone, PartialEq)]
pub struct LabDraw {
    /// Time, h.
    pub t_h: f64,
    /// Assays on this draw.
    pub assays: Vec<Assay>,
}

/// One measured value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LabResult {
    /// Time, h.
    pub time_h: f64,
    /// Assay.
    pub assay: Assay,
    /// Measured value (with assay noise).
    pub value: f64,
    /// Unit.
    pub unit: &'static str,
    /// True value in the simulation.
    pub true_value: f64,
}

/// Measure `draws` on `tr` with assay noise from `seed`; `cv` gives the CV per assay
/// (e.g. [`Assay::default_cv`]). The trajectory must have a row at every draw time (set
/// `SimOptions::sample_times_h`).
pub fn measure(
    tr: &Trajectory,
    draws: &[LabDraw],
    cv: &dyn Fn(Assay) -> f64,
    seed: u64,
) -> Result<Vec<LabResult>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::new();
    for (i, d) in draws.iter().enumerate() {
        for &a in &d.assays {
            let (col, factor) = a.source();
            let truth = tr.sample(col, d.t_h).ok_or_else(|| {
                if tr.column_index(col).is_none() {
                    Error::UnknownName {
                        field: format!("lab[{i}].assays"),
                        value: a.name().into(),
                        known: "assays of this axis".into(),
                    }
                } else {
                    Error::invalid(
                        format!("lab[{i}].at"),
                        d.t_h,
                        "no simulated row at this time (inside the run?)",
                    )
                }
            })? * factor;
            out.push(LabResult {
                time_h: d.t_h,
                assay: a,
                value: truth * noise(&mut rng, cv(a)),
                unit: a.unit(),
                true_value: truth,
            });
        }
    }
    Ok(out)
}

/// A mean-1 log-normal factor with coefficient of variation `cv`.
fn noise(rng: &mut ChaCha8Rng, cv: f64) -> f64 {
    if cv <= 0.0 {
        return 1.0;
    }
    let s2 = (1.0 + cv * cv).ln();
    let z: f64 = StandardNormal.sample(rng);
    (s2.sqrt() * z - 0.5 * s2).exp()
}

/// The columns of the labs CSV (scenario.md), in order.
pub const CSV_COLUMNS: [&str; 5] = ["time_h", "assay", "value", "unit", "true_value"];

/// Write lab results as CSV with the [`CSV_COLUMNS`].
pub fn write_csv<W: Write>(results: &[LabResult], mut w: W) -> std::io::Result<()> {
    writeln!(w, "{}", CSV_COLUMNS.join(","))?;
    for r in results {
        writeln!(
            w,
            "{},{},{:.6},{},{:.6}",
            r.time_h,
            r.assay.name(),
            r.value,
            r.unit,
            r.true_value
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_has_mean_one_and_the_assay_cv() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for cv in [0.04, 0.114, 0.3] {
            let x: Vec<f64> = (0..10_000).map(|_| noise(&mut rng, cv)).collect();
            let mean = x.iter().sum::<f64>() / x.len() as f64;
            let sd =
                (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (x.len() - 1) as f64).sqrt();
            // issue 5: mean and CV of 10,000 draws within 2 % of the assay's
            assert!((mean - 1.0).abs() < 0.02, "mean {mean}");
            assert!(
                (sd / mean / cv - 1.0).abs() < 0.02,
                "cv {} vs {cv}",
                sd / mean
            );
        }
    }
}
