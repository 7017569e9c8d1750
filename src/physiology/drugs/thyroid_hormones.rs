//! Levothyroxine (L-T4) and liothyronine (L-T3): the thyroid hormones themselves. The
//! absorbed flux enters the HPT axis's plasma T4 or T3 ([`Channel::ThyroxineInput`],
//! [`Channel::TriiodothyronineInput`], µg/h), where THYROSIM distributes, converts and
//! eliminates it like the gland's own hormone. Amounts in µg (`"100 ug"`, `"100 mcg"`).
//!
//! Oral: THYROSIM's two-compartment gut (Mak et al. 1973 as used by Eisenberg et al.,
//! Thyroid 2008;18:1071; Han et al. 2016 supplement): the tablet dissolves first order
//! into an absorbable gut pool, which is absorbed into plasma or excreted, both first
//! order. Since absorption and excretion compete, the gut is a depot emptied at
//! k_absorb + k_excrete with F = k_absorb/(k_absorb + k_excrete) of the dose reaching it
//! ([`Absorption::Tablet`]); this is exactly the paper's gut.
//!
//! - L-T4: k_dissolve 1.3 /h, k_absorb 0.88 /h, k_excrete 0.12 /h × 0.88 (Eisenberg
//!   2008; the code's absorption "dial" 0.88 multiplies the excretion rate), so
//!   F = 0.88/(0.88 + 0.1056) = 0.893. (ATA 2014 guideline, Jonklaas et al. Thyroid
//!   24:1670: 70–80 % absorbed fasting.) Peak plasma T4 ≈ 2.5 h after the tablet.
//! - L-T3: k_dissolve 1.78 /h, k_absorb 0.88 /h, k_excrete 0.12 × 0.88 /h (Eisenberg
//!   2008), F = 0.893.
//! - Intravenous: the whole dose into plasma T4 or T3 (the axis's
//!   [`crate::Model::direct_input`]; Han 2016: u1, u4).

use super::pk::{
    Absorption, Bioavailability, Disposition, Drug, Effect, Ligand, RouteInput, RouteSpec,
};
use crate::engine::model::{Channel, Route};
use crate::engine::units::AmountKind;

/// One thyroid hormone's oral gut parameters, 1/h.
struct Gut {
    dissolve_per_h: f64,
    absorb_per_h: f64,
    excrete_per_h: f64,
}

impl Gut {
    fn bioavailability(&self) -> f64 {
        self.absorb_per_h / (self.absorb_per_h + self.excrete_per_h)
    }
}

/// THYROSIM's absorption dial (Han 2016 code: `dial(2) = dial(4) = 0.88`), a factor on
/// the excretion rate.
const ABSORPTION_DIAL: f64 = 0.88;

/// L-T4 gut (Eisenberg 2008).
const T4_GUT: Gut = Gut {
    dissolve_per_h: 1.3,
    absorb_per_h: 0.88,
    excrete_per_h: 0.12 * ABSORPTION_DIAL,
};

/// L-T3 gut (Eisenberg 2008).
const T3_GUT: Gut = Gut {
    dissolve_per_h: 1.78,
    absorb_per_h: 0.88,
    excrete_per_h: 0.12 * ABSORPTION_DIAL,
};

fn hormone(name: &'static str, summary: &'static str, channel: Channel, gut: &Gut) -> Drug {
    let input = |absorption| RouteInput {
        ligand: name,
        fraction: 1.0,
        bioavailability: Bioavailability::Constant(match absorption {
            Absorption::Direct => 1.0,
            _ => gut.bioavailability(),
        }),
        absorption,
        lag_h: 0.0,
    };
    Drug {
        name,
        summary,
        amount_kind: AmountKind::Mass,
        ligands: vec![Ligand {
            name,
            disposition: Disposition::Absorbed,
            // flux in mg/h → µg/h
            effects: vec![Effect::Flux {
                channel,
                scale: 1000.0,
            }],
        }],
        routes: vec![
            RouteSpec {
                route: Route::Oral,
                inputs: vec![input(Absorption::Tablet {
                    dissolve_per_h: gut.dissolve_per_h,
                    ka_per_h: gut.absorb_per_h + gut.excrete_per_h,
                })],
            },
            RouteSpec {
                route: Route::Iv,
                inputs: vec![input(Absorption::Direct)],
            },
        ],
    }
}

/// `levothyroxine` (oral, iv; µg).
pub fn levothyroxine() -> Drug {
    hormone(
        "levothyroxine",
        "L-T4 into plasma T4 (HPT); oral tablet dissolves (1.3 /h), gut absorbs F 0.89, peak ~2.5 h",
        Channel::ThyroxineInput,
        &T4_GUT,
    )
}

/// `liothyronine` (oral, iv; µg).
pub fn liothyronine() -> Drug {
    hormone(
        "liothyronine",
        "L-T3 into plasma T3 (HPT); oral tablet dissolves (1.78 /h), gut absorbs F 0.89, peak ~2.5 h",
        Channel::TriiodothyronineInput,
        &T3_GUT,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bioavailability_is_the_papers_gut() {
        // F = k_absorb/(k_absorb + 0.12·dial) = 0.88/0.9856 (Eisenberg 2008, dial 0.88)
        assert!((T4_GUT.bioavailability() - 0.88 / 0.9856).abs() < 1e-12);
        assert!((T3_GUT.bioavailability() - 0.88 / 0.9856).abs() < 1e-12);
    }
}
