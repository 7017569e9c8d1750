//! Dexamethasone: a glucocorticoid-receptor agonist that feeds back on the HPA axis
//! ([`Channel::GlucocorticoidAgonist`], cortisol-equivalent µg/dL) and is never measured
//! as cortisol. Own central compartment, concentration column `dexamethasone_ng_ml`.
//!
//! - CL 14.9 L/h: 248 mL/min after 8 mg iv in men (Tsuei et al. 1979, P95).
//! - V 72.1 L = CL · t½β / ln2 with t½β 201.5 min (men, P95); oral t½ 3.6 ± 0.9 h (P94).
//! - Oral F 0.9 (P94, "~90 %").
//! - Oral ka 1.17 /h: gives Tmax 1.8 h, the middle of 1.6–2.0 h for 0.5–3 mg (P96) and
//!   inside 1–2 h (P94).
//! - Potency: 0.75 mg dexamethasone ≡ 20 mg hydrocortisone (P97, StatPearls; ≈ 27×).
//!   We read the equivalence as equal feedback exposure: the slope makes the AUC of the
//!   cortisol-equivalent signal of 0.75 mg oral dexamethasone equal to the AUC of the
//!   feedback signal of 20 mg oral hydrocortisone in the default HPA axis:
//!   AUC_fb(HC) = F_HC(20 mg)·20 mg·(1 + N + G·K)/CL_u = 0.96·20·23.74/155.7 mg·h/L
//!   = 292.3 µg/dL·h; AUC(dex) = 0.9·0.75 mg/14.88 L/h = 45.4 ng/mL·h → 6.44 µg/dL per
//!   ng/mL (checked against the axis parameters in a test).
//!
//! With these, 1 mg at 23:00 leaves 2.4 ng/mL (6.1 nmol/L) at 08:00, above the 3.3 nmol/L
//! considered adequate for the overnight test (Ueland 2017, as quoted by the Haukeland
//! laboratory manual).

use super::pk::{
    Absorption, Bioavailability, Disposition, Drug, Effect, Ligand, RouteInput, RouteSpec,
};
use crate::engine::model::{Channel, Route};
use crate::engine::units::AmountKind;

/// Clearance, L/h (P95).
pub const CLEARANCE_L_H: f64 = 0.248 * 60.0;
/// Central volume, L (P95: CL · t½β / ln 2).
pub const VOLUME_L: f64 = CLEARANCE_L_H * (201.5 / 60.0) / std::f64::consts::LN_2;
/// Oral bioavailability (P94).
pub const ORAL_F: f64 = 0.9;
/// Oral absorption rate, 1/h (Tmax 1.8 h, P96).
pub const ORAL_KA_PER_H: f64 = 1.17;
/// Cortisol-equivalent µg/dL per ng/mL of dexamethasone (P97, derivation in the module
/// docs).
pub const CORTISOL_EQUIVALENT_UG_DL_PER_NG_ML: f64 = 6.44;

fn input(f: f64, absorption: Absorption) -> RouteInput {
    RouteInput {
        ligand: "dexamethasone",
        fraction: 1.0,
        bioavailability: Bioavailability::Constant(f),
        absorption,
        lag_h: 0.0,
    }
}

/// `dexamethasone` (oral, iv).
pub fn dexamethasone() -> Drug {
    Drug {
        name: "dexamethasone",
        summary: "dexamethasone, glucocorticoid feedback only (≈ 27× hydrocortisone), not measured as cortisol; V 72 L, CL 14.9 L/h",
        amount_kind: AmountKind::Mass,
        ligands: vec![Ligand {
            name: "dexamethasone",
            disposition: Disposition::Central {
                volume_l: VOLUME_L,
                clearance_l_h: CLEARANCE_L_H,
                peripheral: None,
                conc_unit: "ng_ml",
                conc_scale: 1000.0,
            },
            effects: vec![Effect::Linear {
                channel: Channel::GlucocorticoidAgonist,
                slope: CORTISOL_EQUIVALENT_UG_DL_PER_NG_ML,
            }],
        }],
        routes: vec![
            RouteSpec {
                route: Route::Oral,
                inputs: vec![input(
                    ORAL_F,
                    Absorption::FirstOrder {
                        ka_per_h: ORAL_KA_PER_H,
                    },
                )],
            },
            RouteSpec {
                route: Route::Iv,
                inputs: vec![input(1.0, Absorption::Direct)],
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::physiology::axes::hpa::HpaParams;
    use crate::physiology::drugs::hydrocortisone::oral_bioavailability;

    /// The potency slope follows from P97 and the default axis (module docs).
    #[test]
    fn potency_slope_matches_the_axis() {
        let p = HpaParams::healthy();
        let binding = 1.0 + p.albumin_ratio + p.cbg_nmol_l * p.cbg_affinity_l_nmol;
        // mg·h/L of feedback signal → µg/dL·h (×100)
        let auc_hc = oral_bioavailability(20.0) * 20.0 * binding / p.free_clearance_l_h * 100.0;
        // mg·h/L → ng/mL·h (×1000)
        let auc_dex = ORAL_F * 0.75 / CLEARANCE_L_H * 1000.0;
        let slope = auc_hc / auc_dex;
        assert!(
            (slope - CORTISOL_EQUIVALENT_UG_DL_PER_NG_ML).abs() < 0.01,
            "{slope}"
        );
    }
}
