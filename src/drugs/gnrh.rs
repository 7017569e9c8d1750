//! GnRH analogues with Tornøe et al.'s published drug terms (Br J Clin Pharmacol
//! 2007;63:648, models.md §1.1, transcribed from nlmixr2lib [V-2nd]): the agonist
//! `leuprolide` (H1 stimulation of LH-pool release, [`Channel::GnrhAgonist`]) and the
//! antagonist `degarelix` (H2 inhibition fraction, [`Channel::GnrhAntagonist`]).
//! Desensitisation is not a drug term: in Tornøe's model, and in `src/axes/hpg.rs`, the LH
//! pool empties under k_rel·(1 + H1) ≫ β_LH/P0.

use super::pk::{
    ka_from_half_life_h, Absorption, Bioavailability, Disposition, Drug, Effect, Ligand,
    Peripheral, RouteInput, RouteSpec,
};
use crate::model::{Channel, Route};
use crate::units::AmountKind;

const DAY_H: f64 = 24.0;

/// Leuprolide: no published leuprolide parameters in our research notes, so the whole drug
/// is Tornøe's triptorelin (3.75 mg depot) with the same mass-based PK and the same
/// potency in ng/mL (our assumption: both are nonapeptide/decapeptide superagonists of
/// similar molar mass, 1209 vs 1311 g/mol, and clinically equipotent at castration).
/// Disposition (Tornøe triptorelin, 2-cpt): CL/F 63.2 L/h, Vc/F 640 L, Q/F 76.3 L/h,
/// Vp/F 698 L. Depot: burst 60.5 % released over 1.77 h (zero-order in Tornøe; here a
/// first-order input with t½ 0.6 h, mean time ≈ 0.885 h as for the zero-order input), the
/// rest by one first-order release with t½ 11.3 d (Tornøe's first step; the second step,
/// 7.92 d, is folded in). All formulations (7.5 mg 1-month, 22.5 mg 3-month, 45 mg
/// 6-month) use the same release: the dose alone differs (no dose special-casing).
fn leuprolide_ligand() -> Ligand {
    Ligand {
        name: "leuprolide",
        disposition: Disposition::Central {
            volume_l: 640.0,
            clearance_l_h: 63.2,
            peripheral: Some(Peripheral {
                q_l_h: 76.3,
                volume_l: 698.0,
            }),
            conc_unit: "ng_ml",
            conc_scale: 1000.0,
        },
        // Tornøe H1 for triptorelin: Emax 1330, EC50 0.047 ng/mL, γ 4.87.
        effects: vec![Effect::Emax {
            channel: Channel::GnrhAgonist,
            emax: 1330.0,
            ec50: 0.047,
            hill: 4.87,
        }],
    }
}

/// Burst fraction of the depot (Tornøe triptorelin).
const LEUPROLIDE_BURST: f64 = 0.605;

/// `leuprolide` (im depot, mg).
pub fn leuprolide() -> Drug {
    let input = |fraction: f64, t_half_h: f64| RouteInput {
        ligand: "leuprolide",
        fraction,
        bioavailability: Bioavailability::Constant(1.0),
        absorption: Absorption::FirstOrder {
            ka_per_h: ka_from_half_life_h(t_half_h),
        },
        lag_h: 0.0,
    };
    Drug {
        name: "leuprolide",
        summary: "GnRH agonist depot (Tornøe triptorelin terms): flare, then castration",
        amount_kind: AmountKind::Mass,
        ligands: vec![leuprolide_ligand()],
        routes: vec![RouteSpec {
            route: Route::Im,
            inputs: vec![
                input(LEUPROLIDE_BURST, 0.6),
                input(1.0 - LEUPROLIDE_BURST, 11.3 * DAY_H),
            ],
        }],
    }
}

/// `degarelix` (sc, mg): Tornøe's degarelix set. Disposition 2-cpt CL 2.54 L/h, Vc 13.2 L,
/// Q 6.59 L/h, Vp 36.1 L; s.c. depot with the 40 mg/mL parameters (the 240 mg starting dose
/// of the label): F 0.240, fast fraction 0.0573 with absorption t½ 1.98 d, slow t½ 73.7 d.
/// H2: Imax 0.942, IC50 1.49 ng/mL, δ 1.97.
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
                emax: 0.942,
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
