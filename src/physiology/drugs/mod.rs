//! The drug registry: every drug a scenario can name, with its PK and effect channels.
//!
//! Adding a drug = one file under `src/physiology/drugs/` that builds a [`Drug`] from the
//! [`pk`] building blocks (every parameter cited), plus one line in the registry list in this file.

pub mod labels;
pub mod pk;

mod anastrozole;
mod clomiphene;
mod cosyntropin;
mod crh;
mod dexamethasone;
mod gnrh;
mod hcg;
mod hydrocortisone;
mod testosterone;
mod thyroid_hormones;

pub use pk::{
    Absorption, Bioavailability, Disposition, Drug, Effect, Ligand, Peripheral, RouteInput,
    RouteSpec,
};

use std::sync::OnceLock;

/// One constructor per drug. Keep sorted by axis, then name.
const REGISTRY: &[fn() -> Drug] = &[
    // registry: HPG drugs
    anastrozole::anastrozole,
    clomiphene::clomiphene_citrate,
    clomiphene::enclomiphene,
    gnrh::degarelix,
    hcg::hcg,
    gnrh::leuprolide,
    testosterone::androderm,
    testosterone::androgel_1,
    testosterone::androgel_1_62,
    testosterone::axiron,
    testosterone::fortesta,
    testosterone::testim,
    testosterone::vogelxo,
    testosterone::cypionate,
    testosterone::enanthate,
    testosterone::gel,
    testosterone::pellet,
    testosterone::undecanoate,
    // registry: HPA drugs
    cosyntropin::cosyntropin,
    crh::crh,
    dexamethasone::dexamethasone,
    hydrocortisone::hydrocortisone,
    // registry: HPT drugs
    thyroid_hormones::levothyroxine,
    thyroid_hormones::liothyronine,
];

fn registry() -> &'static [Drug] {
    static DRUGS: OnceLock<Vec<Drug>> = OnceLock::new();
    DRUGS.get_or_init(|| REGISTRY.iter().map(|f| f()).collect())
}

/// Every registered drug.
pub fn all() -> &'static [Drug] {
    registry()
}

/// The drug called `name`.
pub fn find(name: &str) -> Option<&'static Drug> {
    registry().iter().find(|d| d.name == name)
}

/// Comma-separated names of every registered drug (for error messages).
pub fn known_names() -> String {
    registry()
        .iter()
        .map(|d| d.name)
        .collect::<Vec<_>>()
        .join(", ")
}
