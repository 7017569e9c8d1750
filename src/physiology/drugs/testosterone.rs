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
/// monograph "half-life: 8 days").
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

/// `testosterone_undecanoate`: IM depot (Aveed/Nebido) with release half-life 33.9 days
/// (P39, TU in castor oil; the Swiss label's "~53 d" is a different definition), F = 1;
/// reproduces O8 (750 mg at 0, 4, 14 wk: Cavg 495 ± 142 ng/dL over the 70 days after the
/// third injection). Oral TU (Jatenzo, Kyzatrex) with F = 0.03, the low end of the 3–7 %
/// reported (P42, weak source), and an absorption half-life of 2 h (our assumption: Tmax of
/// oral TU was not found, P43).
pub fn undecanoate() -> Drug {
    let frac = T_MW / 456.7;
    product(
        "testosterone_undecanoate",
        "T undecanoate: IM depot (release t½ 33.9 d) or oral capsule (F 3 %)",
        &[
            (Route::Im, frac, 1.0, ka_from_half_life_h(33.9 * 24.0)),
            (Route::Oral, frac, 0.03, ka_from_half_life_h(2.0)),
        ],
    )
}

/// `testosterone_gel`: amount = T applied to the skin; about 10 % reaches the circulation
/// over 24 h (P44), released from a skin reservoir with a 6-hour half-life (our
/// assumption: it makes daily application nearly flat, as labels describe).
pub fn gel() -> Drug {
    product(
        "testosterone_gel",
        "T gel on the skin, ~10 % absorbed over 24 h (P44)",
        &[(Route::Transdermal, 1.0, 0.10, ka_from_half_life_h(6.0))],
    )
}

/// `testosterone_pellet`: amount = crystalline T implanted; first-order release with a
/// 2.5-month half-life (P50), which releases 1.26 mg/day per 200 mg over the first three
/// months, against 1.34 ± 0.02 measured (P49, Kelleher et al. 2004).
pub fn pellet() -> Drug {
    product(
        "testosterone_pellet",
        "T pellets implanted subcutaneously (release t½ 2.5 months, P50)",
        &[(
            Route::Implant,
            1.0,
            1.0,
            ka_from_half_life_h(2.5 * 30.4 * 24.0),
        )],
    )
}
