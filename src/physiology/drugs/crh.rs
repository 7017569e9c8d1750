//! CRH for the CRH stimulation test, as corticorelin ovine (the approved test peptide; the
//! verified human kinetics are ovine, P19/P20). Acts at the pituitary
//! ([`Channel::CrhInput`], CRH at the pituitary in the units of the HPA's CRH state).
//! Concentration column `crh_pg_ml` would clash with the axis's own CRH, so the ligand is
//! called `corticorelin` (`corticorelin_pg_ml`).
//!
//! - CL 7.1 L/h: MCR 95 L/m²/day (Schulte et al. 1984, P19) × 1.8 m² (our assumption);
//!   P20 gives 1.49 mL/min/kg = 6.3 L/h at 70 kg.
//! - V 6.2 L (P19). One compartment: t½ 36 min, between P19's 11.6 and 73 min phases.
//! - Effect at the pituitary: Emax 16 pg/mL CRH-state equivalent, EC50 2000 pg/mL plasma
//!   CRH (hill 1): Emax is our own calibration to H15 (ACTH ×2–4 within 30–60 min) and
//!   its morning data (oCRH 1 µg/kg: ACTH 26.8 → 58.4 pg/mL at 30 min, ×2.2, Endocrinol
//!   Jpn 1983; 30.2 → 77.8, ×2.6, Young 1990); EC50 is our assumption (a standard
//!   1 µg/kg dose starts at ~11 000 pg/mL, near-maximal; the lowest effective dose
//!   0.5 µg/kg, Schürmeyer 1984, stays effective).

use super::pk::{
    Absorption, Bioavailability, Disposition, Drug, Effect, Ligand, RouteInput, RouteSpec,
};
use crate::engine::model::{Channel, Route};
use crate::engine::units::AmountKind;

/// `crh` (iv).
pub fn crh() -> Drug {
    Drug {
        name: "crh",
        summary:
            "CRH test peptide (corticorelin ovine), acts at the pituitary; V 6.2 L, CL 7.1 L/h",
        amount_kind: AmountKind::Mass,
        ligands: vec![Ligand {
            name: "corticorelin",
            disposition: Disposition::Central {
                volume_l: 6.2,
                clearance_l_h: 95.0 * 1.8 / 24.0,
                peripheral: None,
                conc_unit: "pg_ml",
                conc_scale: 1e6,
            },
            effects: vec![Effect::Emax {
                channel: Channel::CrhInput,
                emax: 16.0,
                ec50: 2000.0,
                hill: 1.0,
            }],
        }],
        routes: vec![RouteSpec {
            route: Route::Iv,
            inputs: vec![RouteInput {
                ligand: "corticorelin",
                fraction: 1.0,
                bioavailability: Bioavailability::Constant(1.0),
                absorption: Absorption::Direct,
                lag_h: 0.0,
            }],
        }],
    }
}
