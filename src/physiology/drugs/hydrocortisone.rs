//! Hydrocortisone: it *is* cortisol. Oral doses are absorbed first-order and the absorbed
//! flux enters the HPA axis's body cortisol ([`Channel::CortisolInput`], mg/h), so it is
//! measured in `cortisol_ug_dl`, bound by CBG and fed back like endogenous cortisol. The
//! disposition (non-linear through CBG saturation) is the axis's, not the drug's.
//! Intravenous doses go straight into the axis's body cortisol (the HPA model takes them
//! through `Model::dose_target`); the iv route here is what `endocrine drugs` lists.
//!
//! - Oral absorption t½ 43 min (Mah et al. 2004, as quoted in P91: 15 min fasted,
//!   43 min fed). With the axis's disposition this puts the tablet Tmax at ≈ 1.1 h for
//!   10–20 mg, inside P90 (1.2 ± 0.4 h) and P91 (1–1.7 h); the fasted 15 min would give
//!   0.6 h, the oral-solution range (yers-m notes: solution 0.7–1 h).
//! - Saturable absorption: F = min(1, 37.0 mg / (18.6 mg + dose)), our own fit to
//!   F ≈ 1 below 20 mg (P91; P90 96 ± 20 %) and 54 % at 50 mg (Heazelwood 1984 via P91):
//!   F(20 mg) = 0.96, F(50 mg) = 0.54.

use super::pk::{
    ka_from_half_life_h, Absorption, Bioavailability, Disposition, Drug, Effect, Ligand,
    RouteInput, RouteSpec,
};
use crate::engine::model::{Channel, Route};
use crate::engine::units::AmountKind;

/// Oral absorption half-life, h (Mah 2004, fed, via P91).
const ORAL_ABSORPTION_HALF_LIFE_H: f64 = 43.0 / 60.0;

/// Oral bioavailability for a dose of `dose_mg` (module docs).
pub fn oral_bioavailability(dose_mg: f64) -> f64 {
    if dose_mg <= 0.0 {
        return 1.0;
    }
    (37.0 / (18.6 + dose_mg)).min(1.0)
}

/// `hydrocortisone` (oral, iv).
pub fn hydrocortisone() -> Drug {
    Drug {
        name: "hydrocortisone",
        summary: "hydrocortisone (= cortisol) into serum cortisol; oral F saturable (1 below ~18 mg, 0.54 at 50 mg), absorption t½ 43 min",
        amount_kind: AmountKind::Mass,
        ligands: vec![Ligand {
            name: "hydrocortisone",
            disposition: Disposition::Absorbed,
            effects: vec![Effect::Flux {
                channel: Channel::CortisolInput,
                scale: 1.0,
            }],
        }],
        routes: vec![
            RouteSpec {
                route: Route::Oral,
                inputs: vec![RouteInput {
                    ligand: "hydrocortisone",
                    fraction: 1.0,
                    bioavailability: Bioavailability::DoseDependent(oral_bioavailability),
                    absorption: Absorption::FirstOrder {
                        ka_per_h: ka_from_half_life_h(ORAL_ABSORPTION_HALF_LIFE_H),
                    },
                    lag_h: 0.0,
                }],
            },
            RouteSpec {
                route: Route::Iv,
                inputs: vec![RouteInput {
                    ligand: "hydrocortisone",
                    fraction: 1.0,
                    bioavailability: Bioavailability::Constant(1.0),
                    absorption: Absorption::Direct,
                    lag_h: 0.0,
                }],
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturable_absorption_matches_p91() {
        assert_eq!(oral_bioavailability(5.0), 1.0);
        assert!((oral_bioavailability(20.0) - 0.96).abs() < 0.01);
        assert!((oral_bioavailability(50.0) - 0.54).abs() < 0.01);
    }
}
