//! Dexamethasone: a glucocorticoid-receptor agonist that feeds back on the HPA axis
//! ([`Channel::GlucocorticoidAgonist`], cortisol-equivalent µg/dL) and is never measured
//! as cortisol. Own central compartment, concentration column `dexamethasone_ng_ml`.
//!
//! - CL 14.9 L/h: 248 mL/min after 8 mg iv in men (Tsuei et al. 1979, P95).
//! - V 72.1 L = CL · t½β / ln2 with t½β 201.5 min (men, P95); oral t½ 3.6 ± 0.9 h (P94).
//! - Oral F 0.9 (P94, "~90 %").
//! - Oral ka 1.17 /h: gives Tmax 1.8 h, the middle of 1.6–2.0 h for 0.5–3 mg (P96) and
//!   inside 1–2 h (P94).
//! - Potency at the HPA axis: 52× hydrocortisone by oral dose, the relative potency for
//!   suppressing 08:00 corticosteroid after a dose at midnight in normal adults (Meikle &
//!   Tyler, Am J Med 1977;63:200: hydrocortisone 1, prednisone 3, dexamethasone 52 at 8 h;
//!   dexamethasone 154 at 14 h, its long duration of action). The anti-inflammatory table
//!   equivalence 0.75 mg ≡ 20 mg hydrocortisone (≈ 27×, P97, StatPearls) was used before;
//!   Meikle & Tyler measured the axis itself, in the overnight test this channel models,
//!   and note that tables underestimate dexamethasone's potency at the axis. We read the
//!   equal-suppression dose ratio as equal feedback exposure: the slope makes the AUC of the
//!   cortisol-equivalent signal of 20/52 mg oral dexamethasone equal to the AUC of the
//!   feedback signal of 20 mg oral hydrocortisone in the default HPA axis:
//!   AUC_fb(HC) = F_HC(20 mg)·20 mg·(1 + N + G·K)/CL_u = 0.96·20·23.74/155.7 mg·h/L
//!   = 292.3 µg/dL·h; AUC(dex) = 0.9·(20/52) mg/14.88 L/h = 23.3 ng/mL·h → 12.6 µg/dL per
//!   ng/mL (checked against the axis parameters in a test). Held out: the dose-response of
//!   the overnight test (D13-D15: 0.25 mg suppresses partly, 0.5 mg as 1 mg, 8 mg fully)
//!   and the 2-day low-dose test (D16).
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
/// Cortisol-equivalent µg/dL per ng/mL of dexamethasone (Meikle & Tyler 1977, derivation
/// in the module docs).
pub const CORTISOL_EQUIVALENT_UG_DL_PER_NG_ML: f64 = 12.57;

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
        summary: "dexamethasone, glucocorticoid feedback only (52× hydrocortisone at the axis), not measured as cortisol; V 72 L, CL 14.9 L/h",
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

    /// HPA-suppression potency of oral dexamethasone relative to oral hydrocortisone, by
    /// dose (Meikle & Tyler 1977, 08:00 after a midnight dose).
    const HPA_POTENCY_VS_HYDROCORTISONE: f64 = 52.0;

    /// The potency slope follows from Meikle & Tyler 1977 and the default axis (module docs).
    #[test]
    fn potency_slope_matches_the_axis() {
        let p = HpaParams::healthy();
        let binding = 1.0 + p.albumin_ratio + p.cbg_nmol_l * p.cbg_affinity_l_nmol;
        // mg·h/L of feedback signal → µg/dL·h (×100)
        let auc_hc = oral_bioavailability(20.0) * 20.0 * binding / p.free_clearance_l_h * 100.0;
        // mg·h/L → ng/mL·h (×1000)
        let auc_dex = ORAL_F * (20.0 / HPA_POTENCY_VS_HYDROCORTISONE) / CLEARANCE_L_H * 1000.0;
        let slope = auc_hc / auc_dex;
        assert!(
            (slope - CORTISOL_EQUIVALENT_UG_DL_PER_NG_ML).abs() < 0.01,
            "{slope}"
        );
    }
}
