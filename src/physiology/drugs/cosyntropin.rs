//! Cosyntropin (tetracosactide, ACTH 1-24): an ACTH-receptor agonist at the adrenal only
//! ([`Channel::ActhAtAdrenal`], ACTH-equivalent pg/mL); it does not act on the pituitary.
//! Concentration column `cosyntropin_pg_ml`.
//!
//! - Plasma t½ ≈ 15 min (Labcorp ACTH stimulation test page, "about 15 minutes").
//! - V 3.0 L: plasma volume, our assumption (no volume found); CL = V·ln2/t½ = 8.3 L/h.
//!   250 µg is supramaximal (label: maximal adrenal stimulation, P98), so the 250 µg test
//!   does not depend on V.
//! - ACTH-equivalent: equimolar and fully active (ACTH 1-24 carries the whole activity,
//!   Cortrosyn label text): 1 pg/mL cosyntropin = 4541.1/2933.4 = 1.548 pg/mL ACTH 1-39
//!   (molar masses [R]).
//! - IM: absorption t½ 15 min and F 1, our assumption; with a saturating dose the cortisol
//!   rise at 30–60 min is as after iv (the 1998 IM study: most maximal responses at 60 min).

use super::pk::{
    ka_from_half_life_h, Absorption, Bioavailability, Disposition, Drug, Effect, Ligand,
    RouteInput, RouteSpec,
};
use crate::engine::model::{Channel, Route};
use crate::engine::units::AmountKind;

/// Plasma half-life, h.
const HALF_LIFE_H: f64 = 0.25;
/// Volume, L (plasma volume, assumption).
const VOLUME_L: f64 = 3.0;
/// ACTH 1-39 pg/mL per pg/mL of ACTH 1-24 (equimolar).
const ACTH_EQUIVALENT: f64 = 4541.1 / 2933.4;

fn input(absorption: Absorption) -> RouteInput {
    RouteInput {
        ligand: "cosyntropin",
        fraction: 1.0,
        bioavailability: Bioavailability::Constant(1.0),
        absorption,
        lag_h: 0.0,
    }
}

/// `cosyntropin` (iv, im).
pub fn cosyntropin() -> Drug {
    Drug {
        name: "cosyntropin",
        summary: "cosyntropin (ACTH 1-24), ACTH-equivalent at the adrenal only; t½ 15 min",
        amount_kind: AmountKind::Mass,
        ligands: vec![Ligand {
            name: "cosyntropin",
            disposition: Disposition::Central {
                volume_l: VOLUME_L,
                clearance_l_h: VOLUME_L * std::f64::consts::LN_2 / HALF_LIFE_H,
                peripheral: None,
                conc_unit: "pg_ml",
                conc_scale: 1e6,
            },
            effects: vec![Effect::Linear {
                channel: Channel::ActhAtAdrenal,
                slope: ACTH_EQUIVALENT,
            }],
        }],
        routes: vec![
            RouteSpec {
                route: Route::Iv,
                inputs: vec![input(Absorption::Direct)],
            },
            RouteSpec {
                route: Route::Im,
                inputs: vec![input(Absorption::FirstOrder {
                    ka_per_h: ka_from_half_life_h(0.25),
                })],
            },
        ],
    }
}
