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

/// IC50 of aromatase inhibition, ng/mL (Hill 1): 1.0. From the Arimidex label's time course
/// at 1 mg/day in postmenopausal women (P71): E2 −70 % within 24 h of the first dose and
/// −80 % after 14 days, the plateau ("≥ 1 mg suppresses E2 to the assay's limit"; 0.5–10 mg
/// dose-ranging reached the same floor). With this PK, 1 mg once gives 7.1 ng/mL at 24 h and
/// ≈ 25–35 ng/mL at steady state, so 70/80 of the plateau at 7.1 ng/mL means
/// IC50 = 7.1·(80/70 − 1) = 1.0 ng/mL (on the concentration scale of the assumed CL/F, as
/// the module doc says). The plateau sits far below the 1 mg exposure, so 1 mg twice a
/// week (average 8.5 ng/mL) blocks almost as much as 1 mg daily, as Leder 2004 found in
/// men (E2 −37 % on both regimens; I14-A1, held out).
const IC50_NG_ML: f64 = 1.0;

/// Largest fraction of E2 production blocked in men, as the men's trials measure it: 0.60.
/// Our own calibration to O35 (Leder 2004: 1 mg/day for 12 weeks in older men, E2 26 → 17
/// pg/mL with T 343 → 572 ng/dL). It is lower than the ~97 % whole-body aromatase block of
/// isotope studies in women: in men on anastrozole a part of the measured E2 is not
/// suppressed (assay non-specificity at low E2 and aromatase-independent sources are both
/// proposed; neither is resolved here). Held out: Leder's twice-weekly arm (I14-A1) and
/// Burnett-Bowie 2009 (I14-A2).
const EMAX_MEN: f64 = 0.60;

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
                emax: EMAX_MEN,
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
