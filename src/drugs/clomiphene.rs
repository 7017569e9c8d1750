//! Clomiphene citrate and enclomiphene: selective estrogen-receptor modulators acting at
//! the hypothalamus (channel [`Channel::ErAntagonism`], competitive, Σ C/K_B).
//!
//! Clomiphene citrate is a mixture of the trans isomer enclomiphene (anti-estrogen) and the
//! cis isomer zuclomiphene (more estrogenic, long-lived), 62 : 38 (P60). Amounts are of the
//! citrate salt; the free base is 405.97/598.09 = 0.679 of it.
//!
//! Apparent clearances and volumes (F = 1, so they are CL/F and V/F) come from Helo et al.
//! (BJUI 2017;119:171, P63): on 25 mg clomiphene citrate daily, median serum enclomiphene
//! 2.2 ng/mL and zuclomiphene 44 ng/mL, taken as the average steady-state concentrations
//! C = dose rate / CL; with the half-lives enclomiphene 10 h (P65) and zuclomiphene 14 days
//! (P64, weak source) this gives V = CL·t½/ln 2.

use super::pk::{
    ka_from_half_life_h, Absorption, Bioavailability, Disposition, Drug, Effect, Ligand,
    RouteInput, RouteSpec,
};
use crate::model::{Channel, Route};
use crate::units::AmountKind;

/// Free base per mg of citrate salt.
const BASE_PER_CITRATE: f64 = 405.97 / 598.09;
/// Enclomiphene share of clomiphene citrate (P60).
const ENCLOMIPHENE_SHARE: f64 = 0.62;
/// Oral absorption half-life, h: our assumption ("rapidly absorbed", P67; no Tmax found).
const ABSORPTION_HALF_LIFE_H: f64 = 0.7;

/// K_B of enclomiphene at the hypothalamic estrogen receptor, ng/mL: 0.87, our own
/// calibration to O32 (Helo 2017: clomiphene 25 mg/d raises LH 4.0 → 6.1 IU/L in men with
/// T 205 ng/dL and E2 17 pg/mL). Not fitted: enclomiphene alone (O33, Wiehle).
const K_B_ENCLOMIPHENE_NG_ML: f64 = 0.80;
/// Estrogenic (agonist) signal of zuclomiphene, pg/mL E2-equivalent per ng/mL: 0.05. Our
/// assumption (no source quantifies it; zuclomiphene is "more estrogenic", P60–P64): at the
/// Helo concentration it adds 2.2 pg/mL of E2-like feedback, partly offsetting the block.
const ZUCLOMIPHENE_E2_EQUIV_PER_NG_ML: f64 = 0.05;

fn enclomiphene_ligand() -> Ligand {
    // CL/F = 25 mg·0.62·0.679 per day / 2.2 ng/mL = 199 L/h; V/F = 199·10/ln 2 = 2870 L
    let cl = 25.0 * ENCLOMIPHENE_SHARE * BASE_PER_CITRATE / 24.0 / 2.2e-3;
    Ligand {
        name: "enclomiphene",
        disposition: Disposition::Central {
            volume_l: cl * 10.0 / std::f64::consts::LN_2,
            clearance_l_h: cl,
            peripheral: None,
            conc_unit: "ng_ml",
            conc_scale: 1000.0,
        },
        effects: vec![Effect::Linear {
            channel: Channel::ErAntagonism,
            slope: 1.0 / K_B_ENCLOMIPHENE_NG_ML,
        }],
    }
}

fn zuclomiphene_ligand() -> Ligand {
    // CL/F = 25 mg·0.38·0.679 per day / 44 ng/mL = 6.1 L/h; V/F = 6.1·336/ln 2 = 2960 L
    let cl = 25.0 * (1.0 - ENCLOMIPHENE_SHARE) * BASE_PER_CITRATE / 24.0 / 44e-3;
    Ligand {
        name: "zuclomiphene",
        disposition: Disposition::Central {
            volume_l: cl * 14.0 * 24.0 / std::f64::consts::LN_2,
            clearance_l_h: cl,
            peripheral: None,
            conc_unit: "ng_ml",
            conc_scale: 1000.0,
        },
        effects: vec![Effect::Linear {
            channel: Channel::ErAgonism,
            slope: ZUCLOMIPHENE_E2_EQUIV_PER_NG_ML,
        }],
    }
}

fn oral(ligand: &'static str, fraction: f64) -> RouteInput {
    RouteInput {
        ligand,
        fraction,
        bioavailability: Bioavailability::Constant(1.0),
        absorption: Absorption::FirstOrder {
            ka_per_h: ka_from_half_life_h(ABSORPTION_HALF_LIFE_H),
        },
        lag_h: 0.0,
    }
}

/// `clomiphene_citrate` (oral): 62 % enclomiphene, 38 % zuclomiphene.
pub fn clomiphene_citrate() -> Drug {
    Drug {
        name: "clomiphene_citrate",
        summary: "SERM, 62 % enclomiphene (ER block) + 38 % zuclomiphene (long-lived, estrogenic)",
        amount_kind: AmountKind::Mass,
        ligands: vec![enclomiphene_ligand(), zuclomiphene_ligand()],
        routes: vec![RouteSpec {
            route: Route::Oral,
            inputs: vec![
                oral("enclomiphene", ENCLOMIPHENE_SHARE * BASE_PER_CITRATE),
                oral(
                    "zuclomiphene",
                    (1.0 - ENCLOMIPHENE_SHARE) * BASE_PER_CITRATE,
                ),
            ],
        }],
    }
}

/// `enclomiphene` (oral): enclomiphene citrate alone.
pub fn enclomiphene() -> Drug {
    Drug {
        name: "enclomiphene",
        summary: "trans-clomiphene citrate, ER block at the hypothalamus (t½ 10 h)",
        amount_kind: AmountKind::Mass,
        ligands: vec![enclomiphene_ligand()],
        routes: vec![RouteSpec {
            route: Route::Oral,
            inputs: vec![oral("enclomiphene", BASE_PER_CITRATE)],
        }],
    }
}
