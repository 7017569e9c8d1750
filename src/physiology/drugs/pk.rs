//! Building blocks for drug definitions: compartmental PK (absorption depots per route, a
//! central and optional peripheral compartment) and the effect each ligand drives on a
//! [`Channel`]. Everything is linear except the saturable depot of
//! [`Absorption::ZeroOrder`] (a microsphere depot released at a constant rate).
//!
//! Conventions (shared with mrgsolve/NONMEM, `shared/research/peers.md` §5 item 10):
//! bioavailability F scales the dose *as it enters* its compartment; a lag delays the
//! whole dose; first-order absorption from a depot at `ka_per_h`.

use crate::engine::model::{Channel, Route};
use crate::engine::units::AmountKind;

/// A drug as the registry knows it: what a dose contains and where each part goes.
#[derive(Debug, Clone)]
pub struct Drug {
    /// Scenario name (`"testosterone_enanthate"`).
    pub name: &'static str,
    /// One line for `endocrine drugs`.
    pub summary: &'static str,
    /// Mass (mg) or activity (IU).
    pub amount_kind: AmountKind,
    /// The molecules whose PK the engine integrates.
    pub ligands: Vec<Ligand>,
    /// Routes the drug can be given by.
    pub routes: Vec<RouteSpec>,
}

impl Drug {
    /// The spec of `route`, if the drug has it.
    pub fn route(&self, route: Route) -> Option<&RouteSpec> {
        self.routes.iter().find(|r| r.route == route)
    }
    /// The ligand called `name`.
    pub fn ligand(&self, name: &str) -> Option<&Ligand> {
        self.ligands.iter().find(|l| l.name == name)
    }
    /// Every channel any ligand of the drug drives.
    pub fn channels(&self) -> Vec<Channel> {
        let mut v: Vec<Channel> = self
            .ligands
            .iter()
            .flat_map(|l| l.effects.iter().map(|e| e.channel()))
            .collect();
        v.dedup();
        v
    }
}

/// How one route delivers a dose.
#[derive(Debug, Clone)]
pub struct RouteSpec {
    /// The route.
    pub route: Route,
    /// One entry per ligand a dose by this route delivers.
    pub inputs: Vec<RouteInput>,
}

/// The part of a dose that reaches one ligand's PK.
#[derive(Debug, Clone)]
pub struct RouteInput {
    /// Name of the receiving ligand (one of [`Drug::ligands`]).
    pub ligand: &'static str,
    /// Amount of ligand per unit of dose (mass fraction of the active moiety in an ester
    /// or salt, isomer share in a mixture); 1 for the plain molecule.
    pub fraction: f64,
    /// Fraction of the delivered amount that reaches the circulation.
    pub bioavailability: Bioavailability,
    /// How the amount enters.
    pub absorption: Absorption,
    /// Delay between administration and the start of absorption, h.
    pub lag_h: f64,
}

/// Bioavailability of one route.
#[derive(Debug, Clone, Copy)]
pub enum Bioavailability {
    /// A constant fraction.
    Constant(f64),
    /// A fraction that depends on the dose amount (canonical unit), e.g. saturable
    /// absorption; the function must return a value in [0, 1] for any amount > 0.
    DoseDependent(fn(f64) -> f64),
}

impl Bioavailability {
    /// F for a dose of `amount`.
    pub fn at(self, amount: f64) -> f64 {
        match self {
            Bioavailability::Constant(f) => f,
            Bioavailability::DoseDependent(f) => f(amount),
        }
    }
}

/// How a dose enters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Absorption {
    /// Straight into the central compartment (iv).
    Direct,
    /// Into a depot emptied at `ka_per_h` (first order).
    FirstOrder {
        /// Absorption rate constant, 1/h.
        ka_per_h: f64,
    },
    /// A tablet: the dose dissolves first order at `dissolve_per_h` into a gut depot that
    /// is emptied first order at `ka_per_h` (two depots in series; THYROSIM's gut, Mak et
    /// al. 1973 as used by Eisenberg et al. 2008). Competing gut loss is expressed by
    /// emptying the gut at k_absorb + k_loss with bioavailability k_absorb/(k_absorb + k_loss).
    Tablet {
        /// Dissolution rate constant, 1/h.
        dissolve_per_h: f64,
        /// Rate constant at which the gut depot empties, 1/h.
        ka_per_h: f64,
    },
    /// Into a depot released at a constant rate until it is nearly empty (a sustained-
    /// release microsphere depot): `rate·A/(Km + A)`, so a larger dose lasts longer at the
    /// same rate. Km only rounds off the end of the release.
    ZeroOrder {
        /// Release rate while the depot holds ≫ Km, dose units per hour.
        rate_per_h: f64,
        /// Depot amount at which the release has fallen to half its rate, dose units.
        km_amount: f64,
    },
    /// Solid units (implanted pellets) that dissolve from their surface: a dose of amount D is
    /// N = D / `unit_amount` identical units, each releasing `unit_rate_per_h`·(m/m₀)^(2/3)
    /// (surface ∝ mass^(2/3): the Hixson–Crowell cube-root law of a dissolving solid, Hixson
    /// & Crowell, Ind Eng Chem 1931). The depot of N units holding A releases
    /// `unit_rate_per_h`·N^(1/3)·(A/unit_amount)^(2/3), so a unit is exhausted after
    /// 3·unit_amount/unit_rate_per_h, and more units release proportionally more. Doses of
    /// the same amount share one depot (a repeat implant before the last is exhausted is then
    /// treated as N units of the pooled mass: an approximation).
    Dissolving {
        /// Amount of one unit (pellet), dose units.
        unit_amount: f64,
        /// Initial release rate of one fresh unit, dose units per hour.
        unit_rate_per_h: f64,
    },
}

/// One molecule with its disposition and effects.
#[derive(Debug, Clone)]
pub struct Ligand {
    /// snake_case name, also the prefix of its concentration column.
    pub name: &'static str,
    /// What happens after absorption.
    pub disposition: Disposition,
    /// The channels it drives.
    pub effects: Vec<Effect>,
}

/// Disposition of a ligand after absorption.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Disposition {
    /// The absorbed flux is handed to the axis (an [`Effect::Flux`]), which owns the
    /// molecule's disposition: exogenous testosterone into serum T, hydrocortisone into
    /// cortisol.
    Absorbed,
    /// Own central compartment (and optional peripheral), observed as a concentration.
    Central {
        /// Central volume, L.
        volume_l: f64,
        /// Clearance from the central compartment, L/h.
        clearance_l_h: f64,
        /// Optional peripheral compartment.
        peripheral: Option<Peripheral>,
        /// Unit suffix of the concentration column (`"ng_ml"`, `"iu_l"`).
        conc_unit: &'static str,
        /// Display concentration per (canonical amount / L): 1000 for mg/L → ng/mL, 1 for IU/L.
        conc_scale: f64,
    },
}

/// A peripheral compartment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Peripheral {
    /// Inter-compartmental clearance, L/h.
    pub q_l_h: f64,
    /// Peripheral volume, L.
    pub volume_l: f64,
}

/// What a ligand does to a channel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Effect {
    /// channel += `scale` × absorbed flux (canonical amount per h); for
    /// [`Disposition::Absorbed`] ligands.
    Flux {
        /// Target channel.
        channel: Channel,
        /// Channel units per (amount/h).
        scale: f64,
    },
    /// channel += `slope` × C (C in the ligand's display unit).
    Linear {
        /// Target channel.
        channel: Channel,
        /// Channel units per concentration unit.
        slope: f64,
    },
    /// channel += `slope` × C_e, where the effect-site concentration C_e (display unit)
    /// follows the ligand's central concentration first order with `half_life_h`
    /// (dC_e/dt = ln2/t½ · (C − C_e), the biophase of Sheiner et al., Clin Pharmacol Ther
    /// 1979): an effect that outlasts the plasma level, e.g. a drug that stays bound to its
    /// receptor. One effect site per ligand (the first such effect's half-life); for
    /// [`Disposition::Central`] ligands only.
    Biophase {
        /// Target channel.
        channel: Channel,
        /// Channel units per concentration unit at the effect site.
        slope: f64,
        /// Equilibration half-life of the effect site, h.
        half_life_h: f64,
    },
    /// channel += `emax` × C^h / (EC50^h + C^h).
    Emax {
        /// Target channel.
        channel: Channel,
        /// Maximal effect.
        emax: f64,
        /// Concentration of half effect, display unit.
        ec50: f64,
        /// Hill coefficient.
        hill: f64,
    },
}

impl Effect {
    /// The channel this effect drives.
    pub fn channel(&self) -> Channel {
        match *self {
            Effect::Flux { channel, .. }
            | Effect::Linear { channel, .. }
            | Effect::Biophase { channel, .. }
            | Effect::Emax { channel, .. } => channel,
        }
    }

    /// Value of the effect for absorbed flux `flux` and concentration `conc` (for
    /// [`Effect::Biophase`], the effect-site concentration).
    #[inline]
    pub fn value(&self, flux: f64, conc: f64) -> f64 {
        match *self {
            Effect::Flux { scale, .. } => scale * flux,
            Effect::Linear { slope, .. } | Effect::Biophase { slope, .. } => slope * conc,
            Effect::Emax {
                emax, ec50, hill, ..
            } => {
                if conc <= 0.0 {
                    0.0
                } else {
                    let r = (conc / ec50).powf(hill);
                    emax * r / (1.0 + r)
                }
            }
        }
    }
}

/// Absorption rate from a half-life, 1/h.
pub const fn ka_from_half_life_h(t_half_h: f64) -> f64 {
    std::f64::consts::LN_2 / t_half_h
}
