//! GnRH analogues with Tornøe et al.'s published drug terms (Br J Clin Pharmacol
//! 2007;63:648, models.md §1.1, transcribed from nlmixr2lib [V-2nd]): the agonist
//! `leuprolide` (the fraction H1/Emax of its maximal receptor activation,
//! [`Channel::GnrhAgonist`]) and the antagonist `degarelix` (the blocked fraction,
//! [`Channel::GnrhAntagonist`]). The size of the pituitary's response (Tornøe's Emax 1330
//! on LH-pool release) and the receptor down-regulation that follows sustained activation
//! are properties of the gonadotroph, so they live in the axis (`src/physiology/axes/hpg.rs`).

use super::pk::{
    ka_from_half_life_h, Absorption, Bioavailability, Disposition, Drug, Effect, Ligand,
    Peripheral, RouteInput, RouteSpec,
};
use crate::engine::model::{Channel, Route};
use crate::engine::units::AmountKind;

const DAY_H: f64 = 24.0;

/// Leuprolide. Disposition from the Lupron Depot label (healthy men, 1 mg iv bolus):
/// systemic clearance 7.6 L/h, steady-state volume 27 L (t½ ≈ 2.5 h; the label says
/// "approximately 3 hours"). Potency on the GnRH receptor: Tornøe 2007's triptorelin H1
/// (EC50 0.047 ng/mL, γ 4.87), our assumption (both are superagonists of similar molar mass,
/// 1209 vs 1311 g/mol; no leuprolide Emax model in our notes). The depot plateau (0.3–0.7
/// ng/mL) keeps the receptor fully activated either way.
fn leuprolide_ligand() -> Ligand {
    Ligand {
        name: "leuprolide",
        disposition: Disposition::Central {
            volume_l: 27.0,
            clearance_l_h: 7.6,
            peripheral: None,
            conc_unit: "ng_ml",
            conc_scale: 1000.0,
        },
        effects: vec![Effect::Emax {
            channel: Channel::GnrhAgonist,
            emax: 1.0,
            ec50: 0.047,
            hill: 4.87,
        }],
    }
}

/// Fraction of a depot dose released as the initial burst (first order, t½ 1 h): 0.12.
/// Our fit to the label's 4-hour concentrations: ~20 ng/mL after 7.5 mg, 48.9 after
/// 22.5 mg, 59.3 after 30 mg (Lupron Depot label; Periti et al., Clin Pharmacokinet
/// 2002;41:485: 13–55 µg/L within 1–3 h for 3.75–30 mg).
const LEUPROLIDE_BURST: f64 = 0.12;
/// Fraction of the dose in the sustained-release microspheres: 0.33, released at
/// [`LEUPROLIDE_RELEASE_MG_H`]. With that rate it lasts 28 d for 7.5 mg, 84 d for 22.5 mg,
/// 112 d for 30 mg and 168 d for 45 mg: each formulation's labelled interval (the
/// formulations hold dose ∝ interval). The rest of the dose (55 %) never reaches the
/// plasma as intact leuprolide (the label gives no absolute bioavailability).
const LEUPROLIDE_SUSTAINED: f64 = 0.33;
/// Zero-order release of the microspheres, mg/h: 0.0037 (89 µg/day), the mean of the
/// label's plateaus × clearance 7.6 L/h: 0.36 ng/mL at 4 weeks (7.5 mg), 0.67 at 12 weeks
/// (22.5 mg), 0.44 mean over weeks 3.5–16 (30 mg) → 2.7, 5.1, 3.3 µg/h. Periti 2002:
/// "released at a functionally constant daily rate for 1, 3 or 4 months".
const LEUPROLIDE_RELEASE_MG_H: f64 = 0.0037;

/// `leuprolide` (im depot, mg): one product model for the 1-, 3-, 4- and 6-month depots
/// (7.5, 22.5, 30, 45 mg); the dose sets how long the constant release lasts.
pub fn leuprolide() -> Drug {
    let input = |fraction: f64, absorption: Absorption| RouteInput {
        ligand: "leuprolide",
        fraction,
        bioavailability: Bioavailability::Constant(1.0),
        absorption,
        lag_h: 0.0,
    };
    Drug {
        name: "leuprolide",
        summary: "GnRH agonist depot (Lupron label PK): flare, then castration",
        amount_kind: AmountKind::Mass,
        ligands: vec![leuprolide_ligand()],
        routes: vec![RouteSpec {
            route: Route::Im,
            inputs: vec![
                input(
                    LEUPROLIDE_BURST,
                    Absorption::FirstOrder {
                        ka_per_h: ka_from_half_life_h(1.0),
                    },
                ),
                input(
                    LEUPROLIDE_SUSTAINED,
                    // Km 0.02 mg (Km/rate = 5.4 h) only rounds off the end: the release
                    // falls from 90 % to 50 % of its rate over the last ~2 days.
                    Absorption::ZeroOrder {
                        rate_per_h: LEUPROLIDE_RELEASE_MG_H,
                        km_amount: 0.02,
                    },
                ),
            ],
        }],
    }
}

/// `degarelix` (sc, mg): Tornøe's degarelix set. Disposition 2-cpt CL 2.54 L/h, Vc 13.2 L,
/// Q 6.59 L/h, Vp 36.1 L; s.c. depot with the 40 mg/mL parameters (the 240 mg starting dose
/// of the label): F 0.240, fast fraction 0.0573 with absorption t½ 1.98 d, slow t½ 73.7 d.
/// H2: IC50 1.49 ng/mL, δ 1.97 (Tornøe) with Imax 1.0, not Tornøe's 0.942: his 0.942 was
/// estimated in a structure where low T itself lowers LH synthesis (H5 = F in the degarelix
/// study), while here the castrate GnRH drive (4.3×, `src/physiology/axes/hpg.rs`) would lift LH
/// through a 5.8 % residual to ~25 % of baseline; a receptor blocker at saturating
/// occupancy blocks fully (structural, not fitted; docs/calibration.md).
pub fn degarelix() -> Drug {
    let input = |fraction: f64, t_half_d: f64| RouteInput {
        ligand: "degarelix",
        fraction,
        bioavailability: Bioavailability::Constant(0.240),
        absorption: Absorption::FirstOrder {
            ka_per_h: ka_from_half_life_h(t_half_d * DAY_H),
        },
        lag_h: 0.0,
    };
    Drug {
        name: "degarelix",
        summary: "GnRH antagonist (Tornøe terms): immediate suppression, no flare",
        amount_kind: AmountKind::Mass,
        ligands: vec![Ligand {
            name: "degarelix",
            disposition: Disposition::Central {
                volume_l: 13.2,
                clearance_l_h: 2.54,
                peripheral: Some(Peripheral {
                    q_l_h: 6.59,
                    volume_l: 36.1,
                }),
                conc_unit: "ng_ml",
                conc_scale: 1000.0,
            },
            effects: vec![Effect::Emax {
                channel: Channel::GnrhAntagonist,
                emax: 1.0,
                ec50: 1.49,
                hill: 1.97,
            }],
        }],
        routes: vec![RouteSpec {
            route: Route::Sc,
            inputs: vec![input(0.0573, 1.98), input(1.0 - 0.0573, 73.7)],
        }],
    }
}
