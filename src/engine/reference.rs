//! Reference models with known answers, shared by tests, benches and examples.

use crate::engine::model::{DoseTarget, Effects, Model, Observable, Route};
use crate::engine::units::AmountKind;

/// Linear one-compartment model: dA/dt = −k·A (+ input), observed as C = A/V.
///
/// Closed forms (Gibaldi & Perrier, *Pharmacokinetics*, ch. 1–2): a bolus D gives
/// C(t) = D/V·e^(−kt); a zero-order infusion at rate R for t ≤ T gives
/// C(t) = R/(kV)·(1 − e^(−kt)); doses superpose. Doses are named `"bolus"` (iv).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OneCompartment {
    /// Elimination rate constant, 1/h.
    pub k_per_h: f64,
    /// Volume, L.
    pub volume_l: f64,
}

impl Model for OneCompartment {
    fn name(&self) -> &str {
        "one_compartment"
    }
    fn state_names(&self) -> Vec<String> {
        vec!["amount_mg".into()]
    }
    fn initial_state(&self) -> Vec<f64> {
        vec![0.0]
    }
    fn rhs(&self, _t_h: f64, y: &[f64], _e: &Effects, dy: &mut [f64]) {
        dy[0] = -self.k_per_h * y[0];
    }
    fn observables(&self) -> Vec<Observable> {
        vec![Observable::new("conc_mg_l", "concentration", "mg/L")]
    }
    fn observe(&self, _t_h: f64, y: &[f64], _e: &Effects, out: &mut [f64]) {
        out[0] = y[0] / self.volume_l;
    }
    fn dose_target(&self, drug: &str, route: Route) -> Option<DoseTarget> {
        (drug == "bolus" && route == Route::Iv).then_some(DoseTarget {
            state: 0,
            kind: AmountKind::Mass,
            per_unit: 1.0,
        })
    }
}

/// The `ref_hpg` model of `shared/bench/ref-hpg-baseline/ref_hpg.ant` (depot D, GnRH R,
/// LH L, total T; time in days there, hours here), written through the public [`Model`]
/// trait so the engine's overhead can be measured against the hand-written ode_solvers
/// baseline. Doses named `"depot"` (im, mg) go into D.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RefHpg {
    /// Depot absorption rate, 1/day.
    pub ka: f64,
    /// GnRH maximal secretion, pg/mL/day.
    pub a0: f64,
    /// T feedback half-inhibition, ng/dL.
    pub kt: f64,
    /// Hill coefficient.
    pub n: f64,
    /// GnRH elimination, 1/day.
    pub b1: f64,
    /// LH secretion per GnRH, 1/day.
    pub g1: f64,
    /// LH elimination, 1/day.
    pub b2: f64,
    /// T secretion per LH, ng/dL per IU/L per day.
    pub g2: f64,
    /// T elimination, 1/day.
    pub b3: f64,
    /// Bioavailability.
    pub f: f64,
    /// Volume of distribution, L.
    pub vd: f64,
}

impl Default for RefHpg {
    /// The nominal parameters of `ref_hpg.ant`.
    fn default() -> Self {
        RefHpg {
            ka: 0.35,
            a0: 24.641,
            kt: 500.0,
            n: 4.0,
            b1: 2.0,
            g1: 8.0,
            b2: 8.0,
            g2: 1100.0,
            b3: 10.0,
            f: 1.0,
            vd: 60.0,
        }
    }
}

impl Model for RefHpg {
    fn name(&self) -> &str {
        "ref_hpg"
    }
    fn state_names(&self) -> Vec<String> {
        ["depot_mg", "gnrh_pg_ml", "lh_iu_l", "total_t_ng_dl"]
            .map(String::from)
            .to_vec()
    }
    fn initial_state(&self) -> Vec<f64> {
        vec![0.0, 5.0, 5.0, 550.0]
    }
    #[inline]
    fn rhs(&self, _t_h: f64, y: &[f64], _e: &Effects, dy: &mut [f64]) {
        const PER_DAY_TO_PER_H: f64 = 1.0 / 24.0;
        let (d, r, l, t) = (y[0], y[1], y[2], y[3]);
        dy[0] = -self.ka * d * PER_DAY_TO_PER_H;
        dy[1] = (self.a0 / (1.0 + (t / self.kt).powf(self.n)) - self.b1 * r) * PER_DAY_TO_PER_H;
        dy[2] = (self.g1 * r - self.b2 * l) * PER_DAY_TO_PER_H;
        // 1 mg/L = 100000 ng/dL
        dy[3] = (self.g2 * l - self.b3 * t + self.ka * d * self.f * 100_000.0 / self.vd)
            * PER_DAY_TO_PER_H;
    }
    fn observables(&self) -> Vec<Observable> {
        vec![
            Observable::new("lh_iu_l", "LH", "IU/L"),
            Observable::new("total_t_ng_dl", "total testosterone", "ng/dL"),
            Observable::new("gnrh_pg_ml", "GnRH", "pg/mL"),
        ]
    }
    fn observe(&self, _t_h: f64, y: &[f64], _e: &Effects, out: &mut [f64]) {
        out[0] = y[2];
        out[1] = y[3];
        out[2] = y[1];
    }
    fn dose_target(&self, drug: &str, route: Route) -> Option<DoseTarget> {
        (drug == "depot" && route == Route::Im).then_some(DoseTarget {
            state: 0,
            kind: AmountKind::Mass,
            per_unit: 1.0,
        })
    }
}

/// The canonical dosed year used by the benches and examples: testosterone enanthate
/// 100 mg IM every 7 days from t = 0, 52 injections (the last on day 357).
pub fn te_100mg_weekly_year() -> crate::Regimen {
    let dose = crate::Dose::new(
        "testosterone_enanthate",
        Route::Im,
        crate::Amount::mg(100.0),
        0.0,
    )
    .and_then(|d| d.every(168.0, 52))
    .expect("constant, valid dose");
    crate::Regimen::new().with(dose)
}
