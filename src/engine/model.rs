//! The [`Model`] trait: what the engine needs from an ODE system, whether it is one of
//! the crate's axes or a model of your own.
//!
//! A model owns its physiology (states, right-hand side, observables). Drugs are *not*
//! part of a model: the engine appends the PK compartments of the drugs a regimen uses
//! and passes their pharmacological effect to the model through named effect channels
//! ([`Effects`]). A model may also accept doses straight into its own states
//! ([`Model::dose_target`]), which is how a user model is dosed.
//!
//! # Implementing your own model
//!
//! ```
//! use endocrine::{Amount, AmountKind, DoseTarget, Effects, Model, Observable, Regimen, Dose, Route, SimOptions, simulate};
//!
//! /// One-compartment drug: dA/dt = -k·A, observed as C = A / V.
//! struct OneCpt { k_per_h: f64, v_l: f64 }
//!
//! impl Model for OneCpt {
//!     fn name(&self) -> &str { "one_compartment" }
//!     fn state_names(&self) -> Vec<String> { vec!["amount_mg".into()] }
//!     fn initial_state(&self) -> Vec<f64> { vec![0.0] }
//!     fn rhs(&self, _t_h: f64, y: &[f64], _e: &Effects, dy: &mut [f64]) { dy[0] = -self.k_per_h * y[0]; }
//!     fn observables(&self) -> Vec<Observable> { vec![Observable::new("conc_mg_l", "concentration", "mg/L")] }
//!     fn observe(&self, _t_h: f64, y: &[f64], _e: &Effects, out: &mut [f64]) { out[0] = y[0] / self.v_l; }
//!     fn dose_target(&self, drug: &str, route: Route) -> Option<DoseTarget> {
//!         (drug == "drug" && route == Route::Iv).then_some(DoseTarget { state: 0, kind: AmountKind::Mass, per_unit: 1.0 })
//!     }
//! }
//!
//! let model = OneCpt { k_per_h: 0.1, v_l: 10.0 };
//! let regimen = Regimen::new().with(Dose::new("drug", Route::Iv, Amount::mg(100.0), 0.0)?);
//! let traj = simulate(&model, &regimen, &SimOptions::new(24.0, 1.0)?)?;
//! let c = traj.value_at("conc_mg_l", 10.0).unwrap();
//! assert!((c - 10.0 * (-1.0f64).exp()).abs() < 1e-6);
//! # Ok::<(), endocrine::Error>(())
//! ```

use crate::engine::units::AmountKind;
use serde::{Deserialize, Serialize};

/// How a drug is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// By mouth.
    Oral,
    /// Intramuscular injection.
    Im,
    /// Subcutaneous injection.
    Sc,
    /// Intravenous bolus or infusion.
    Iv,
    /// Applied to the skin (gel).
    Transdermal,
    /// Subcutaneous implant (pellet).
    Implant,
}

impl Route {
    /// Every route, in display order.
    pub const ALL: [Route; 6] = [
        Route::Oral,
        Route::Im,
        Route::Sc,
        Route::Iv,
        Route::Transdermal,
        Route::Implant,
    ];

    /// The scenario name of the route (`"oral"`, `"im"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Route::Oral => "oral",
            Route::Im => "im",
            Route::Sc => "sc",
            Route::Iv => "iv",
            Route::Transdermal => "transdermal",
            Route::Implant => "implant",
        }
    }

    /// Parse a scenario route name.
    pub fn from_name(name: &str) -> Option<Route> {
        Route::ALL.into_iter().find(|r| r.name() == name)
    }
}

impl std::fmt::Display for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Named effect channels through which drugs act on an axis.
///
/// A drug writes its effect into one or more channels (see `src/physiology/drugs/`); an axis reads
/// the channels it has and never a drug name (architecture.md, "effect channels").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Channel {
    /// Absorbed exogenous testosterone entering serum, mg/h (every T ester and route).
    ExogenousTestosterone,
    /// Competitive estrogen-receptor antagonism at the hypothalamus, Σ C/K_B (dimensionless).
    ErAntagonism,
    /// Estrogenic (agonist) signal at the hypothalamus in E2-equivalent pg/mL.
    ErAgonism,
    /// LH-receptor agonist at the Leydig cell in LH-equivalent IU/L (hCG).
    LhReceptorAgonist,
    /// Fractional aromatase inhibition, 0..1 (anastrozole).
    AromataseInhibition,
    /// GnRH-agonist activation of the pituitary GnRH receptor as a fraction 0..1 of the
    /// maximal effect (Tornøe 2007 H1 / Emax); the axis owns the size of the response.
    GnrhAgonist,
    /// GnRH-antagonist block of the pituitary GnRH receptor, fraction 0..1 (Tornøe 2007 H2).
    GnrhAntagonist,
    /// Exogenous cortisol (hydrocortisone) entering the circulation, mg/h.
    CortisolInput,
    /// Glucocorticoid-receptor agonist feedback in cortisol-equivalent µg/dL (dexamethasone).
    GlucocorticoidAgonist,
    /// ACTH-receptor agonist at the adrenal in ACTH-equivalent pg/mL (cosyntropin).
    ActhAtAdrenal,
    /// Exogenous CRH at the pituitary, pg/mL.
    CrhInput,
    /// Absorbed exogenous thyroxine (levothyroxine) entering plasma T4, µg/h.
    ThyroxineInput,
    /// Absorbed exogenous triiodothyronine (liothyronine) entering plasma T3, µg/h.
    TriiodothyronineInput,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 13] = [
        Channel::ExogenousTestosterone,
        Channel::ErAntagonism,
        Channel::ErAgonism,
        Channel::LhReceptorAgonist,
        Channel::AromataseInhibition,
        Channel::GnrhAgonist,
        Channel::GnrhAntagonist,
        Channel::CortisolInput,
        Channel::GlucocorticoidAgonist,
        Channel::ActhAtAdrenal,
        Channel::CrhInput,
        Channel::ThyroxineInput,
        Channel::TriiodothyronineInput,
    ];

    /// snake_case name of the channel.
    pub fn name(self) -> &'static str {
        match self {
            Channel::ExogenousTestosterone => "exogenous_testosterone",
            Channel::ErAntagonism => "estrogen_receptor_block",
            Channel::ErAgonism => "estrogen_receptor_agonism",
            Channel::LhReceptorAgonist => "lh_receptor_agonist",
            Channel::AromataseInhibition => "aromatase_inhibition",
            Channel::GnrhAgonist => "gnrh_agonist",
            Channel::GnrhAntagonist => "gnrh_antagonist",
            Channel::CortisolInput => "cortisol_input",
            Channel::GlucocorticoidAgonist => "glucocorticoid_receptor_agonist",
            Channel::ActhAtAdrenal => "acth_at_adrenal",
            Channel::CrhInput => "crh_input",
            Channel::ThyroxineInput => "thyroxine_input",
            Channel::TriiodothyronineInput => "triiodothyronine_input",
        }
    }
}

/// The value of every effect channel at one instant; all zero without drugs.
///
/// Built by the engine at every right-hand-side call from the drugs' PK states and handed
/// to [`Model::rhs`] and [`Model::observe`]. Fields are named after [`Channel`] with
/// their unit.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[non_exhaustive]
pub struct Effects {
    /// [`Channel::ExogenousTestosterone`], mg/h.
    pub exogenous_testosterone_mg_h: f64,
    /// [`Channel::ErAntagonism`], Σ C/K_B.
    pub er_antagonism: f64,
    /// [`Channel::ErAgonism`], E2-equivalent pg/mL.
    pub er_agonism_e2_pg_ml: f64,
    /// [`Channel::LhReceptorAgonist`], LH-equivalent IU/L.
    pub lh_receptor_agonist_iu_l: f64,
    /// [`Channel::AromataseInhibition`], fraction 0..1.
    pub aromatase_inhibition: f64,
    /// [`Channel::GnrhAgonist`], fraction 0..1 of the maximal agonist effect.
    pub gnrh_agonist_activation: f64,
    /// [`Channel::GnrhAntagonist`], fraction 0..1.
    pub gnrh_antagonist_inhibition: f64,
    /// [`Channel::CortisolInput`], mg/h.
    pub cortisol_input_mg_h: f64,
    /// [`Channel::GlucocorticoidAgonist`], cortisol-equivalent µg/dL.
    pub glucocorticoid_agonist_cortisol_ug_dl: f64,
    /// [`Channel::ActhAtAdrenal`], ACTH-equivalent pg/mL.
    pub acth_at_adrenal_pg_ml: f64,
    /// [`Channel::CrhInput`], pg/mL.
    pub crh_input_pg_ml: f64,
    /// [`Channel::ThyroxineInput`], µg/h.
    pub thyroxine_input_ug_h: f64,
    /// [`Channel::TriiodothyronineInput`], µg/h.
    pub triiodothyronine_input_ug_h: f64,
}

impl Effects {
    /// Add `value` to `channel`.
    #[inline]
    pub fn add(&mut self, channel: Channel, value: f64) {
        let slot = match channel {
            Channel::ExogenousTestosterone => &mut self.exogenous_testosterone_mg_h,
            Channel::ErAntagonism => &mut self.er_antagonism,
            Channel::ErAgonism => &mut self.er_agonism_e2_pg_ml,
            Channel::LhReceptorAgonist => &mut self.lh_receptor_agonist_iu_l,
            Channel::AromataseInhibition => &mut self.aromatase_inhibition,
            Channel::GnrhAgonist => &mut self.gnrh_agonist_activation,
            Channel::GnrhAntagonist => &mut self.gnrh_antagonist_inhibition,
            Channel::CortisolInput => &mut self.cortisol_input_mg_h,
            Channel::GlucocorticoidAgonist => &mut self.glucocorticoid_agonist_cortisol_ug_dl,
            Channel::ActhAtAdrenal => &mut self.acth_at_adrenal_pg_ml,
            Channel::CrhInput => &mut self.crh_input_pg_ml,
            Channel::ThyroxineInput => &mut self.thyroxine_input_ug_h,
            Channel::TriiodothyronineInput => &mut self.triiodothyronine_input_ug_h,
        };
        *slot += value;
    }
}

/// One output column of a model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observable {
    /// CSV column name with its unit (`total_t_ng_dl`); a contract (scenario.md).
    pub column: String,
    /// Human-readable name.
    pub label: String,
    /// Unit as printed on a plot axis.
    pub unit: String,
}

impl Observable {
    /// Create an observable.
    pub fn new(column: &str, label: &str, unit: &str) -> Self {
        Observable {
            column: column.into(),
            label: label.into(),
            unit: unit.into(),
        }
    }
}

/// Where a dose goes when a model takes it into one of its own states.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DoseTarget {
    /// Index of the receiving state.
    pub state: usize,
    /// Whether the amount must be a mass (mg) or an activity (IU).
    pub kind: AmountKind,
    /// State units added per mg (or per IU).
    pub per_unit: f64,
}

/// Individual multipliers on drug PK that a subject carries (inter-individual
/// variability); the engine applies them to every drug it doses into this model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PkFactors {
    /// Multiplier on every first-order absorption rate constant (depot release).
    pub absorption_rate: f64,
    /// Multiplier on every drug clearance (central compartment elimination).
    pub drug_clearance: f64,
}

impl Default for PkFactors {
    fn default() -> Self {
        PkFactors {
            absorption_rate: 1.0,
            drug_clearance: 1.0,
        }
    }
}

/// An ODE model the engine can dose and integrate. Time is in hours.
///
/// Implementations must keep [`Model::rhs`] free of allocation and panics for any finite
/// state; the engine calls it tens of thousands of times per simulated year.
pub trait Model: Send + Sync {
    /// Short name used in error messages (`"hpg"`).
    fn name(&self) -> &str;
    /// One name per state; its length is the number of states.
    fn state_names(&self) -> Vec<String>;
    /// The state at t = 0 (for the built-in axes: the untreated steady state or the
    /// entrained circadian cycle at midnight).
    fn initial_state(&self) -> Vec<f64>;
    /// dy/dt at `t_h` given the drug effects at that instant.
    fn rhs(&self, t_h: f64, y: &[f64], effects: &Effects, dy: &mut [f64]);
    /// The output columns, in order.
    fn observables(&self) -> Vec<Observable>;
    /// Fill `out` (one entry per observable) from the state.
    fn observe(&self, t_h: f64, y: &[f64], effects: &Effects, out: &mut [f64]);
    /// Whether the model reads `channel`; a drug acting only on channels the model does
    /// not read is refused with [`crate::Error::DrugNotOnModel`].
    fn reads(&self, _channel: Channel) -> bool {
        false
    }
    /// If the model takes doses of `drug` by `route` into one of its own states, where.
    /// Checked before the drug registry, so a model may define its own dose names.
    fn dose_target(&self, _drug: &str, _route: Route) -> Option<DoseTarget> {
        None
    }
    /// Where a dose given straight into the blood (iv, [`crate::drugs::Absorption::Direct`])
    /// of a drug whose ligand hands its flux to the model on `channel`
    /// ([`crate::drugs::Disposition::Absorbed`]) enters: the receiving state and the state
    /// units per channel amount (the channel's flux unit × 1 h, e.g. µmol per µg).
    /// `None`: the model takes no such dose.
    fn direct_input(&self, _channel: Channel) -> Option<(usize, f64)> {
        None
    }
    /// Names of the procedures the model knows (`"orchiectomy"`).
    fn procedures(&self) -> Vec<&'static str> {
        Vec::new()
    }
    /// Apply a known procedure as a jump in the state (only names from
    /// [`Model::procedures`] are passed).
    fn apply_procedure(&self, _name: &str, _y: &mut [f64]) {}
    /// The subject's individual drug-PK multipliers (identity by default).
    fn pk_factors(&self) -> PkFactors {
        PkFactors::default()
    }
    /// Indices of non-negative states whose zero the right-hand side holds once reached (the
    /// HPG axis' Leydig capacity after orchiectomy), so that every point beyond zero is a
    /// fixed point of that component. The periodic steady-state search projects its Newton
    /// trial points and Anderson extrapolations to keep such a state, when positive, above
    /// 1 % of its value, so it cannot land on those spurious roots. Default: none.
    fn nonnegative_states(&self) -> Vec<usize> {
        Vec::new()
    }
}
