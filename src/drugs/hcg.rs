//! Human chorionic gonadotropin: an LH-receptor agonist at the Leydig cell (channel
//! [`Channel::LhReceptorAgonist`], in LH-equivalent IU/L). Amounts in IU.
//!
//! Disposition from recombinant hCG given IV (Ovitrelle Swiss label, P82): Vss 5.2 L,
//! CL 0.2 L/h. SC: F 0.4 and terminal t½ ≈ 30 h (P81/P82), longer than the IV 18 h, i.e.
//! absorption-limited: absorption t½ 30 h. IM (u-hCG): Tmax within 6 h (P80), giving an
//! absorption t½ of ≈ 1.4 h; its F was not found and is taken equal to SC (our assumption).

use super::pk::{
    ka_from_half_life_h, Absorption, Bioavailability, Disposition, Drug, Effect, Ligand,
    RouteInput, RouteSpec,
};
use crate::model::{Channel, Route};
use crate::units::AmountKind;

/// LH-equivalent IU/L per IU/L of hCG at the Leydig cell: 0.3, our own calibration to O5
/// (Coviello 2005: on TE 200 mg/wk, hCG 500 IU SC every other day brings intratesticular
/// T back to ≈ baseline, +26 %). Not fitted: the 125 and 250 IU arms.
const LH_EQUIVALENT_PER_HCG: f64 = 0.3;

fn input(f: f64, absorption_half_life_h: f64) -> RouteInput {
    RouteInput {
        ligand: "hcg",
        fraction: 1.0,
        bioavailability: Bioavailability::Constant(f),
        absorption: Absorption::FirstOrder {
            ka_per_h: ka_from_half_life_h(absorption_half_life_h),
        },
        lag_h: 0.0,
    }
}

/// `hcg` (im, sc).
pub fn hcg() -> Drug {
    Drug {
        name: "hcg",
        summary: "hCG, LH-receptor agonist at the Leydig cell (IU; V 5.2 L, CL 0.2 L/h)",
        amount_kind: AmountKind::Activity,
        ligands: vec![Ligand {
            name: "hcg",
            disposition: Disposition::Central {
                volume_l: 5.2,
                clearance_l_h: 0.2,
                peripheral: None,
                conc_unit: "iu_l",
                conc_scale: 1.0,
            },
            effects: vec![Effect::Linear {
                channel: Channel::LhReceptorAgonist,
                slope: LH_EQUIVALENT_PER_HCG,
            }],
        }],
        routes: vec![
            RouteSpec {
                route: Route::Sc,
                inputs: vec![input(0.4, 30.0)],
            },
            RouteSpec {
                route: Route::Im,
                inputs: vec![input(0.4, 1.4)],
            },
        ],
    }
}
