//! Clomiphene citrate and enclomiphene: selective estrogen-receptor modulators acting at
//! the hypothalamus (channel [`Channel::ErAntagonism`], competitive, Σ C/K_B).
//!
//! Clomiphene citrate is a mixture of the trans isomer enclomiphene (anti-estrogen) and the
//! cis isomer zuclomiphene (more estrogenic, long-lived, without effect on T in men), 62 : 38
//! (P60). Amounts are of the
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
use crate::engine::model::{Channel, Route};
use crate::engine::units::AmountKind;

/// Free base per mg of citrate salt.
const BASE_PER_CITRATE: f64 = 405.97 / 598.09;
/// Enclomiphene share of clomiphene citrate (P60).
const ENCLOMIPHENE_SHARE: f64 = 0.62;
/// Oral absorption half-life, h: our assumption ("rapidly absorbed", P67; no Tmax found).
const ABSORPTION_HALF_LIFE_H: f64 = 0.7;

/// Half-life of enclomiphene's action at the hypothalamic estrogen receptor (the effect
/// site, [`Effect::Biophase`]), h: 5 days. Clomiphene "binds nuclear ER for an extended period
/// of time, weeks rather than hours, and ultimately depletes ER concentrations" (Speroff &
/// Fritz, *Clinical Gynecologic Endocrinology and Infertility*, clomiphene chapter, as quoted
/// on a copied page); we take the product leaflet's "biological half-life ~5 days" (P61) for
/// it, not fitted. With plasma enclomiphene at t½ 10 h the block then follows the average
/// exposure, so 50 mg every other day acts as 25 mg daily (Taylor & Levine 2010, 573 ng/dL,
/// vs Shabsigh 2005, 610 ng/dL: held-out D12, D11), and T is back at baseline ~4 weeks after
/// 14 days of enclomiphene (P67, Wiehle ZA-002: "within 28 days of the last dose").
const ER_BOUND_HALF_LIFE_H: f64 = 5.0 * 24.0;

/// K_B of enclomiphene at the hypothalamic estrogen receptor (effect-site concentration),
/// ng/mL: 0.76, our own calibration (session 7) to the lowest and the highest dose of the one
/// three-dose trial, ZA-204 (enclomiphene 6.25 and 25 mg/day for 6 weeks: 24-h average T
/// 392 and 587 ng/dL; training rows I14-C1, I14-C3; least squares in log T, model 372 and
/// 611), jointly with the Leydig desensitisation rate (`HpgParams`), which carries O32's LH
/// (Helo 2017: clomiphene 25 mg/day, LH 4.0 → 6.1 IU/L; model 6.15). Held out: the middle
/// dose (I14-C2), T a week after stopping (I14-C1–C3), ZA-203 at 3 months (I14-C4, I14-C5),
/// clomiphene 25 mg every other day (I14-C6), 25 mg/day (D11) and 50 mg every other day
/// (D12). A block that saturates (a bound receptor with an E2-like signal of its own) was
/// fitted to the same two rows and failed the middle dose (docs/calibration.md), so the
/// block stays purely competitive: within ZA-204 T rises with log(dose). 1.05 before, fitted
/// to O32's LH alone when the Leydig response had no desensitisation.
const K_B_ENCLOMIPHENE_NG_ML: f64 = 0.76;

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
        effects: vec![Effect::Biophase {
            channel: Channel::ErAntagonism,
            slope: 1.0 / K_B_ENCLOMIPHENE_NG_ML,
            half_life_h: ER_BOUND_HALF_LIFE_H,
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
        // No effect on the axis: "zuclomiphene (the second isomer) is inactive with regards
        // to T elevation" (Repros ZA-205 report, Endocrine Reviews 2017 abstract). Its
        // estrogenic actions elsewhere (e.g. on SHBG) are not modelled; it is integrated for
        // its concentration (P63: accumulates to 20× enclomiphene).
        effects: Vec::new(),
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
        summary:
            "SERM, 62 % enclomiphene (ER block) + 38 % zuclomiphene (long-lived, no effect on T)",
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
