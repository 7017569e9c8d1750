//! Anastrozole: nonsteroidal aromatase inhibitor (channel [`Channel::AromataseInhibition`],
//! the fraction of aromatase activity blocked, 0–1).
//!
//! PK (P70, Arimidex label): oral, Tmax ~2 h fasted, t½ ~50 h, steady state in ~7 days at
//! 3–4× the single-dose level. One central compartment, F = 1 (so CL and V are CL/F, V/F).
//! The label does not give CL/F or V/F in the excerpts we hold; we take CL/F = 1.4 L/h
//! (our assumption, [R]: recalled order of magnitude, about 30 ng/mL average steady state on
//! 1 mg/day) and derive V/F = CL·t½/ln 2 = 101 L. Only the accumulation (t½) and the
//! shape matter for the axis: the IC50 below is calibrated on the same concentration scale,
//! so a different CL/F rescales the IC50, not the effect.

use super::pk::{
    ka_from_half_life_h, Absorption, Bioavailability, Disposition, Drug, Effect, Ligand,
    RouteInput, RouteSpec,
};
use crate::engine::model::{Channel, Route};
use crate::engine::units::AmountKind;

/// Elimination half-life, h (P70).
const HALF_LIFE_H: f64 = 50.0;
/// Apparent clearance CL/F, L/h: our assumption (see module doc).
const CLEARANCE_L_H: f64 = 1.4;
/// Absorption half-life, h: 0.4 h gives Tmax ≈ 2 h with t½ 50 h (P70), derived.
const ABSORPTION_HALF_LIFE_H: f64 = 0.4;

/// IC50 of aromatase inhibition, ng/mL (Emax 1, Hill 1): our own calibration to O35
/// (Leder 2004: 1 mg/day 12 wk in older men, E2 26 → 17 pg/mL, T 343 → 572 ng/dL).
/// Context, not fitted: P71, ~80 % E2 suppression in postmenopausal women (where there is no
/// T rise to offset the block). Model at week 12 (tests/hpg_drugs_issue5.rs): T 583 ng/dL,
/// E2 18.7 pg/mL, LH 7.7 IU/L (targets 572, 17, 7.9).
const IC50_NG_ML: f64 = 19.0;

/// `anastrozole` (oral, mg).
pub fn anastrozole() -> Drug {
    Drug {
        name: "anastrozole",
        summary: "aromatase inhibitor (t½ 50 h): E2 falls, LH and T rise through the loop",
        amount_kind: AmountKind::Mass,
        ligands: vec![Ligand {
            name: "anastrozole",
            disposition: Disposition::Central {
                volume_l: CLEARANCE_L_H * HALF_LIFE_H / std::f64::consts::LN_2,
                clearance_l_h: CLEARANCE_L_H,
                peripheral: None,
                conc_unit: "ng_ml",
                conc_scale: 1000.0,
            },
            effects: vec![Effect::Emax {
                channel: Channel::AromataseInhibition,
                emax: 1.0,
                ec50: IC50_NG_ML,
                hill: 1.0,
            }],
        }],
        routes: vec![RouteSpec {
            route: Route::Oral,
            inputs: vec![RouteInput {
                ligand: "anastrozole",
                fraction: 1.0,
                bioavailability: Bioavailability::Constant(1.0),
                absorption: Absorption::FirstOrder {
                    ka_per_h: ka_from_half_life_h(ABSORPTION_HALF_LIFE_H),
                },
                lag_h: 0.0,
            }],
        }],
    }
}
