//! Scenario files: a hand-written TOML (or JSON) document that says which axis, which
//! subject, what is given when and what to output (`shared/design/scenario.md`).
//!
//! ```
//! use endocrine::scenario::Scenario;
//!
//! let s = Scenario::from_toml_str(r#"
//!     axis = "hpg"
//!     duration = "14 d"
//!     output_every = "1 d"
//!
//!     [[dose]]
//!     drug = "no_such_drug"
//!     route = "im"
//!     amount = "100 mg"
//!     at = "8 h"
//! "#);
//! // Every bad input is a typed error that names the field:
//! let msg = s.unwrap_err().to_string();
//! assert!(msg.contains("dose[0].drug"), "{msg}");
//! ```
//!
//! A [`Scenario`] holds the document as written (quantities are unit strings such as
//! `"100 mg"` or `"7 d 8 h"`), so it serializes back to the same shape with `toml` or
//! `serde_json`. Every constructor validates the whole document first: unknown fields,
//! wrong types, units, ranges, drugs, routes and times. [`Scenario::to_model`],
//! [`Scenario::to_regimen`] and [`Scenario::to_options`] turn it into the engine's
//! types, and [`Scenario::run`] simulates it.
//!
//! Field paths in error messages name the entry by its index from 0 (`dose[1].amount`),
//! in the order the entries appear in the file.
//!
//! # Additions to scenario.md
//!
//! - `[[dose]]` with `every` and no `count` repeats until the end of the run (doses
//!   strictly before the end); `count` without `every` is an error, even `count = 1`.
//! - `[[dose]] steady_state = true`: the run starts on the periodic steady state of that
//!   line, as if it had been given forever before t = 0 (mrgsolve's `ss = 1`); such lines
//!   come first, repeat (`every`) and start within their first interval (`at` < `every`).
//! - `[subject] age = "45 yr"` (units `yr`, `y`, `years`); `[subject] gland_mass = true`
//!   (HPA) switches on the slow gland-mass layer.
//! - `[[lab]]` with `every` and no `count` draws until the end of the run, the end
//!   included; HPG assays also include `free_t_ed` (free T by equilibrium dialysis).
//! - `[solver]`: `rtol`, `atol` (numbers), `max_steps` (whole number), `max_step` (a
//!   time such as `"6 h"`); omitted fields keep the [`SimOptions`] defaults.
//! - `[[titration]]`: a label's dose-adjustment rule on one `[[dose]]` line ([`TitrationLine`],
//!   docs/scenario.md), run by [`Scenario::run_titrated`] on measured labs; [`Scenario::run`]
//!   uses it too, with seed 0.

use crate::engine::model::{Model, Route};
use crate::engine::options::SimOptions;
use crate::engine::regimen::{Dose, Procedure, Regimen, MAX_DOSE_EVENTS};
use crate::engine::simulate::simulate;
use crate::engine::trajectory::Trajectory;
use crate::engine::units::{self, Analyte};
use crate::error::{Error, Result};
use crate::physiology::axes::{hpa, hpg};
use crate::physiology::drugs;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Largest `population.n` accepted (the cohort limit).
pub const MAX_POPULATION: u64 = crate::clinic::cohort::MAX_SUBJECTS as u64;

const TOP_FIELDS: &[&str] = &[
    "axis",
    "duration",
    "output_every",
    "subject",
    "dose",
    "procedure",
    "lab",
    "population",
    "solver",
    "titration",
];
const HPG_SUBJECT_FIELDS: &[&str] = &["total_t", "lh", "fsh", "e2", "shbg", "weight", "age"];
const HPA_SUBJECT_FIELDS: &[&str] = &["condition", "gland_mass"];
const DOSE_FIELDS: &[&str] = &[
    "drug",
    "route",
    "amount",
    "at",
    "every",
    "count",
    "duration",
    "steady_state",
];
const PROCEDURE_FIELDS: &[&str] = &["name", "at"];
const TITRATION_FIELDS: &[&str] = &[
    "drug",
    "dose_line",
    "assay",
    "pre_dose",
    "post_dose",
    "check_at",
    "low",
    "high",
    "step",
    "levels",
    "min",
    "max",
    "min_interval",
];
const LAB_FIELDS: &[&str] = &["at", "every", "count", "assays"];
const POPULATION_FIELDS: &[&str] = &["n", "seed", "variability"];
const SOLVER_FIELDS: &[&str] = &["rtol", "atol", "max_steps", "max_step"];

const HPG_ASSAYS: &[&str] = &["total_t", "free_t", "free_t_ed", "e2", "lh", "fsh", "shbg"];
const HPA_ASSAYS: &[&str] = &["cortisol", "salivary_cortisol", "acth"];

const TIME_UNITS: &str = "s, min, h, d, wk";
const AMOUNT_UNITS: &str = "mg, g, ug (µg, mcg), ng, IU";

/// Which endocrine axis a scenario simulates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    /// Male hypothalamic–pituitary–gonadal axis ([`hpg::Hpg`]).
    Hpg,
    /// Hypothalamic–pituitary–adrenal axis ([`hpa::Hpa`]).
    Hpa,
}

impl Axis {
    /// Every axis.
    pub const ALL: [Axis; 2] = [Axis::Hpg, Axis::Hpa];

    /// Scenario name (`"hpg"`, `"hpa"`).
    pub fn name(self) -> &'static str {
        match self {
            Axis::Hpg => "hpg",
            Axis::Hpa => "hpa",
        }
    }

    /// Parse a scenario name.
    pub fn from_name(name: &str) -> Option<Axis> {
        Axis::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The axis model with default (healthy) parameters.
    pub fn default_model(self) -> Box<dyn Model> {
        match self {
            Axis::Hpg => Box::new(hpg::Hpg::new(hpg::HpgParams::healthy())),
            Axis::Hpa => Box::new(hpa::Hpa::new(hpa::HpaParams::healthy())),
        }
    }

    /// The default model, built once per process: validation only asks it which
    /// channels it reads and which procedures it knows, and building an axis may cost a
    /// burn-in (the HPA's circadian cycle).
    fn shared_model(self) -> &'static dyn Model {
        static HPG: std::sync::OnceLock<Box<dyn Model>> = std::sync::OnceLock::new();
        static HPA: std::sync::OnceLock<Box<dyn Model>> = std::sync::OnceLock::new();
        let cell = match self {
            Axis::Hpg => &HPG,
            Axis::Hpa => &HPA,
        };
        cell.get_or_init(|| self.default_model()).as_ref()
    }

    /// Assay names a `[[lab]]` entry may list for this axis.
    pub fn assays(self) -> &'static [&'static str] {
        match self {
            Axis::Hpg => HPG_ASSAYS,
            Axis::Hpa => HPA_ASSAYS,
        }
    }

    /// Field names allowed in `[subject]` for this axis.
    pub fn subject_fields(self) -> &'static [&'static str] {
        match self {
            Axis::Hpg => HPG_SUBJECT_FIELDS,
            Axis::Hpa => HPA_SUBJECT_FIELDS,
        }
    }
}

impl std::fmt::Display for Axis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// `[subject]`: who is simulated. Every field is optional; the defaults are a healthy
/// young adult. Which fields are allowed depends on the axis ([`Axis::subject_fields`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Subject {
    /// HPG: baseline total testosterone (`"205 ng/dL"`, `"7.1 nmol/L"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_t: Option<String>,
    /// HPG: baseline LH (`"4.0 IU/L"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lh: Option<String>,
    /// HPG: baseline FSH (`"5 IU/L"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fsh: Option<String>,
    /// HPG: baseline estradiol (`"17 pg/mL"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub e2: Option<String>,
    /// HPG: baseline SHBG (`"35 nmol/L"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shbg: Option<String>,
    /// HPG: body weight (`"85 kg"`, `"187 lb"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<String>,
    /// HPG: age (`"45 yr"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age: Option<String>,
    /// HPA: `"healthy"` (default), `"primary_adrenal_insufficiency"` or
    /// `"secondary_adrenal_insufficiency"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// HPA: switch on the slow gland-mass layer (weeks-long suppression and recovery).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gland_mass: Option<bool>,
}

/// One `[[dose]]` entry as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DoseLine {
    /// Drug name (`endocrine drugs` lists them).
    pub drug: String,
    /// Route (`"oral"`, `"im"`, `"sc"`, `"iv"`, `"transdermal"`, `"implant"`).
    pub route: String,
    /// Amount per administration (`"100 mg"`, `"500 IU"`).
    pub amount: String,
    /// Time of the first administration (`"8 h"`, `"7 d 8 h"`).
    pub at: String,
    /// Interval between administrations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub every: Option<String>,
    /// Total number of administrations, the first included (needs `every`). With
    /// `every` and no `count`, the dose repeats until the end of the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Infusion (zero-order input) duration of each administration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    /// Start the run on the periodic steady state of this line, as if it had been given
    /// forever before t = 0 (an addition to scenario.md; mrgsolve's `ss = 1`). Needs
    /// `every` and `at` < `every`; steady-state lines come first in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steady_state: Option<bool>,
}

/// One `[[procedure]]` entry as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcedureLine {
    /// Procedure name (`"orchiectomy"`).
    pub name: String,
    /// When.
    pub at: String,
}

/// One `[[lab]]` entry as written (stored and validated; drawn by a later release).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabLine {
    /// Time of the first draw.
    pub at: String,
    /// Interval between draws.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub every: Option<String>,
    /// Number of draws, the first included (needs `every`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Assays drawn each time ([`Axis::assays`]).
    pub assays: Vec<String>,
}

/// One `[[titration]]` entry as written: a label's dose-adjustment rule on one `[[dose]]`
/// line, acting on the *measured* lab (see [`crate::clinic::titration`] and docs/scenario.md).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TitrationLine {
    /// The drug of the titrated `[[dose]]` line (it must be dosed, repeating).
    pub drug: String,
    /// Index of the titrated `[[dose]]` line, needed only when several lines give `drug`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dose_line: Option<u64>,
    /// Assay drawn ([`Axis::assays`]).
    pub assay: String,
    /// Draw this long before the check day's administration (`"0 h"`: the trough).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_dose: Option<String>,
    /// Draw this long after the check day's administration (`"6 h"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_dose: Option<String>,
    /// Check times from t = 0 (`["14 d", "28 d"]`), increasing; each draw belongs to the
    /// line's first administration at or after the time.
    pub check_at: Vec<String>,
    /// Below this measured value the dose steps up (`"350 ng/dL"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub low: Option<String>,
    /// Above this measured value the dose steps down (`"750 ng/dL"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high: Option<String>,
    /// Step of the amount (`"20.25 mg"`), with `min` and `max`; or use `levels`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// A dose ladder (`["158 mg", "198 mg", …]`): each step moves one rung.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<String>,
    /// Smallest amount (with `step`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<String>,
    /// Largest amount (with `step`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
    /// No change sooner than this after the last change (the first administration counts
    /// as one); default `"0 d"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_interval: Option<String>,
}

/// `[population]` as written (stored and validated; used by `endocrine cohort` later).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Population {
    /// Number of virtual subjects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
    /// Random seed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Coefficient of variation per named parameter (`"25 %"`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub variability: BTreeMap<String, String>,
}

/// `[solver]`: optional integration settings (an addition to scenario.md). Omitted
/// fields keep the [`SimOptions`] defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Solver {
    /// Relative tolerance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rtol: Option<f64>,
    /// Absolute tolerance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub atol: Option<f64>,
    /// Maximum steps per integration segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_steps: Option<u32>,
    /// Largest step (`"1 h"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_step: Option<String>,
}

/// A scenario document. Build it with [`Scenario::from_path`],
/// [`Scenario::from_toml_str`], [`Scenario::from_json_str`] or serde (which runs the
/// same validation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// Which axis.
    pub axis: Axis,
    /// Length of the run (`"120 d"`).
    pub duration: String,
    /// Output grid spacing (`"1 h"`).
    pub output_every: String,
    /// `[subject]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Subject>,
    /// `[[dose]]` entries in file order.
    #[serde(rename = "dose", skip_serializing_if = "Vec::is_empty")]
    pub doses: Vec<DoseLine>,
    /// `[[procedure]]` entries in file order.
    #[serde(rename = "procedure", skip_serializing_if = "Vec::is_empty")]
    pub procedures: Vec<ProcedureLine>,
    /// `[[lab]]` entries in file order.
    #[serde(rename = "lab", skip_serializing_if = "Vec::is_empty")]
    pub labs: Vec<LabLine>,
    /// `[population]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub population: Option<Population>,
    /// `[solver]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub solver: Option<Solver>,
    /// `[[titration]]` entries in file order (an addition to scenario.md).
    #[serde(rename = "titration", skip_serializing_if = "Vec::is_empty")]
    pub titrations: Vec<TitrationLine>,
}

impl<'de> Deserialize<'de> for Scenario {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let node = Node::deserialize(d)?;
        Scenario::from_node(&node, "<document>").map_err(serde::de::Error::custom)
    }
}

impl Scenario {
    /// Read a scenario file; `.toml` or `.json` by extension.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Scenario> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase());
        if !matches!(ext.as_deref(), Some("toml" | "json")) {
            return Err(Error::UnknownName {
                field: "scenario file extension".into(),
                value: ext.unwrap_or_default(),
                known: "toml, json".into(),
            });
        }
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        if ext.as_deref() == Some("json") {
            Self::parse_json(&text, &shown)
        } else {
            Self::parse_toml(&text, &shown)
        }
    }

    /// Parse and validate a TOML document.
    pub fn from_toml_str(text: &str) -> Result<Scenario> {
        Self::parse_toml(text, "<toml>")
    }

    /// Parse and validate a JSON document (same shape as the TOML one).
    pub fn from_json_str(text: &str) -> Result<Scenario> {
        Self::parse_json(text, "<json>")
    }

    fn parse_toml(text: &str, origin: &str) -> Result<Scenario> {
        if text.trim().is_empty() {
            return Err(Error::EmptyScenario {
                path: origin.into(),
            });
        }
        let node: Node = toml::from_str(text).map_err(|e| {
            let location = match e.span() {
                Some(span) => format!("{origin}:{}", line_col(text, span.start)),
                None => origin.to_string(),
            };
            Error::Parse {
                location,
                message: one_line(e.message()),
            }
        })?;
        Self::from_node(&node, origin)
    }

    fn parse_json(text: &str, origin: &str) -> Result<Scenario> {
        if text.trim().is_empty() {
            return Err(Error::EmptyScenario {
                path: origin.into(),
            });
        }
        let node: Node = serde_json::from_str(text).map_err(|e| Error::Parse {
            location: format!("{origin}:{}:{}", e.line(), e.column()),
            message: one_line(&e.to_string()),
        })?;
        Self::from_node(&node, origin)
    }

    /// Read the document tree, then validate.
    fn from_node(node: &Node, origin: &str) -> Result<Scenario> {
        if let Node::Table(entries) = node {
            if entries.is_empty() {
                return Err(Error::EmptyScenario {
                    path: origin.into(),
                });
            }
        }
        let s = read_scenario(node)?;
        s.validate()?;
        Ok(s)
    }

    /// Check the whole scenario without simulating: units, ranges, drugs and routes
    /// against the axis, times against the end of the run, labs and population.
    /// (Calibration to the subject's labs is checked by [`Scenario::to_model`].)
    pub fn validate(&self) -> Result<()> {
        let options = self.to_options()?;
        let end = options.duration_h;
        self.subject_labs()?;
        self.condition()?;
        let model = self.axis.shared_model();
        let regimen = self.to_regimen()?;
        // the engine's own pre-flight: drugs, routes, units, channels, procedures, times, limits
        crate::engine::simulate::check(model, &regimen, &options)?;
        let steady = self.steady_lines(&regimen)?;
        self.check_labs(end)?;
        self.check_population()?;
        if !self.titrations.is_empty() {
            if steady > 0 {
                return Err(Error::invalid(
                    "dose[0].steady_state",
                    true,
                    "a scenario with [[titration]] starts untreated: remove steady_state",
                ));
            }
            let rules = self.titration_rules(&regimen)?;
            crate::clinic::titration::check_rules(model, &regimen, &rules, end)
                .map_err(|e| self.titration_field(e))?;
        }
        Ok(())
    }

    /// Everything [`Scenario::validate`] checks, plus building the (calibrated) model:
    /// what `endocrine check` runs.
    pub fn check(&self) -> Result<()> {
        self.validate()?;
        self.to_model().map(|_| ())
    }

    /// The axis model for this subject: default parameters, or calibrated to the
    /// baseline labs in `[subject]`.
    pub fn to_model(&self) -> Result<Box<dyn Model>> {
        match self.axis {
            Axis::Hpg => {
                let (labs, any) = self.subject_labs()?;
                let params = if any {
                    hpg::HpgParams::calibrated(&labs)?
                } else {
                    hpg::HpgParams::healthy()
                };
                Ok(Box::new(hpg::Hpg::new(params)))
            }
            Axis::Hpa => {
                let mut params = hpa::HpaParams::for_condition(self.condition()?);
                if let Some(g) = self.subject.as_ref().and_then(|s| s.gland_mass) {
                    params.gland_mass_layer = g;
                }
                Ok(Box::new(hpa::Hpa::new(params)))
            }
        }
    }

    /// The dosing regimen. Errors name the entry (`dose[2].every`).
    pub fn to_regimen(&self) -> Result<Regimen> {
        let end = self.duration_h()?;
        let mut regimen = Regimen::new();
        for (i, line) in self.doses.iter().enumerate() {
            regimen = regimen.with(line.to_dose(i, end)?);
        }
        for (i, p) in self.procedures.iter().enumerate() {
            let prefix = format!("procedure[{i}]");
            if p.name.trim().is_empty() {
                return Err(Error::invalid(
                    format!("{prefix}.name"),
                    "\"\"",
                    "a procedure name is required",
                ));
            }
            let at = units::parse_time_h(&format!("{prefix}.at"), &p.at)?;
            regimen = regimen
                .with_procedure(Procedure::new(&p.name, at).map_err(|e| reprefix(e, &prefix))?);
        }
        Ok(regimen)
    }

    /// Solver and output options.
    pub fn to_options(&self) -> Result<SimOptions> {
        let duration = units::parse_time_h("duration", &self.duration)?;
        let every = units::parse_time_h("output_every", &self.output_every)?;
        let mut o = SimOptions::new(duration, every)?;
        if let Some(s) = &self.solver {
            if let Some(r) = s.rtol {
                o.rtol = r;
            }
            if let Some(a) = s.atol {
                o.atol = a;
            }
            if let Some(m) = s.max_steps {
                o.max_steps = m;
            }
            if let Some(h) = &s.max_step {
                o.max_step_h = Some(units::parse_time_h("solver.max_step", h)?);
            }
            o.validate().map_err(|e| match e {
                Error::InvalidValue {
                    field,
                    value,
                    reason,
                } if SOLVER_FIELDS.contains(&field.as_str()) || field == "max_step" => {
                    Error::InvalidValue {
                        field: format!("solver.{field}"),
                        value,
                        reason,
                    }
                }
                e => e,
            })?;
        }
        // lab draws get exact rows (a draw at a dose time reads the pre-dose row)
        o.sample_times_h = self
            .lab_draws()?
            .iter()
            .map(|d| d.t_h)
            .filter(|&t| t < o.duration_h)
            .collect();
        o.validate()?;
        Ok(o)
    }

    /// The model of one cohort subject: the scenario's subject with each parameter of
    /// `population.variability` multiplied by the subject's factor (same order).
    pub fn cohort_model(
        &self,
        population: &crate::clinic::cohort::Population,
        factors: &[f64],
    ) -> Result<Box<dyn Model>> {
        match self.axis {
            Axis::Hpg => {
                let (labs, any) = self.subject_labs()?;
                let mut params = if any {
                    hpg::HpgParams::calibrated(&labs)?
                } else {
                    hpg::HpgParams::healthy()
                };
                for (v, &f) in population.variability.iter().zip(factors) {
                    params.scale(&v.parameter, f)?;
                }
                Ok(Box::new(hpg::Hpg::try_new(params)?))
            }
            Axis::Hpa => match population.variability.first() {
                None => self.to_model(),
                Some(v) => Err(Error::UnknownName {
                    field: "population.variability".into(),
                    value: v.parameter.clone(),
                    known: "(none yet for the hpa axis)".into(),
                }),
            },
        }
    }

    /// Simulate the scenario. With `[[titration]]` rules this is
    /// [`Scenario::run_titrated`] with seed 0 (the decisions are dropped).
    pub fn run(&self) -> Result<Trajectory> {
        if self.titrations.is_empty() {
            self.simulate_with(&*self.to_model()?)
        } else {
            self.run_titrated(0).map(|(t, _)| t)
        }
    }

    /// Simulate the scenario with its `[[titration]]` rules acting on measured labs
    /// ([`crate::clinic::titration::simulate_titrated`]; assay noise from `seed`). Returns the
    /// trajectory and every decision; without rules, the plain run and no decisions.
    pub fn run_titrated(
        &self,
        seed: u64,
    ) -> Result<(Trajectory, Vec<crate::clinic::titration::Decision>)> {
        self.simulate_titrated_with(&*self.to_model()?, seed)
    }

    /// [`Scenario::run_titrated`] on `model` (e.g. one subject of a cohort).
    pub fn simulate_titrated_with(
        &self,
        model: &dyn Model,
        seed: u64,
    ) -> Result<(Trajectory, Vec<crate::clinic::titration::Decision>)> {
        if self.titrations.is_empty() {
            return Ok((self.simulate_with(model)?, Vec::new()));
        }
        self.validate()?;
        let regimen = self.to_regimen()?;
        let rules = self.titration_rules(&regimen)?;
        crate::clinic::titration::simulate_titrated(
            model,
            &regimen,
            &rules,
            &self.to_options()?,
            seed,
        )
        .map_err(|e| self.titration_field(e))
    }

    /// The engine's rules of the `[[titration]]` tables, for `regimen` (this scenario's).
    /// Errors name the entry (`titration[0].low`).
    pub fn titration_rules(
        &self,
        regimen: &Regimen,
    ) -> Result<Vec<crate::clinic::titration::TitrationRule>> {
        self.titrations
            .iter()
            .enumerate()
            .map(|(i, t)| t.to_rule(i, self.axis, &self.doses, regimen))
            .collect()
    }

    /// Rename the engine's rule fields (`titration[i].min_amount`) to the table's
    /// (`titration[i].min`).
    fn titration_field(&self, e: Error) -> Error {
        e.map_field(|field| {
            let Some(rest) = field.strip_prefix("titration[") else {
                return field;
            };
            let Some((idx, name)) = rest.split_once("].") else {
                return field;
            };
            let line = idx
                .parse::<usize>()
                .ok()
                .and_then(|i| self.titrations.get(i));
            let base = name.split(['[', '.']).next().unwrap_or(name);
            let mapped = match base {
                "min_amount" | "max_amount" if line.is_some_and(|l| !l.levels.is_empty()) => {
                    "levels"
                }
                "min_amount" => "min",
                "max_amount" => "max",
                "min_days_between_changes" => "min_interval",
                "check_days" => {
                    // keep an index: check_days[k] -> check_at[k]
                    return format!(
                        "titration[{idx}].{}",
                        name.replacen("check_days", "check_at", 1)
                    );
                }
                "dose_line" if line.is_some_and(|l| l.dose_line.is_none()) => "drug",
                "draw" => match line {
                    Some(l) if l.post_dose.is_some() => "post_dose",
                    _ => "pre_dose",
                },
                "thresholds" => "low",
                _ => return field,
            };
            format!("titration[{idx}].{mapped}")
        })
    }

    /// Simulate the scenario's regimen and options on `model` (e.g. one subject of a
    /// cohort), starting on the periodic steady state of the `steady_state = true` lines
    /// if there are any. The `[[titration]]` rules are not applied: use
    /// [`Scenario::simulate_titrated_with`] for them.
    pub fn simulate_with(&self, model: &dyn Model) -> Result<Trajectory> {
        let regimen = self.to_regimen()?;
        let options = self.to_options()?;
        match self.steady_lines(&regimen)? {
            0 => simulate(model, &regimen, &options),
            k => {
                let ss = crate::engine::steady_state::steady_start(
                    model,
                    &regimen,
                    k,
                    &options,
                    &crate::engine::steady_state::SteadyStateSettings::default(),
                )?;
                crate::engine::simulate::simulate_from(model, &regimen, &options, &ss.state)
            }
        }
    }

    /// How many leading dose lines start at steady state; refuses `steady_state = true`
    /// after a line without it, without `every`, or with `at` >= `every`.
    fn steady_lines(&self, regimen: &Regimen) -> Result<usize> {
        let mut k = 0;
        for (i, (line, dose)) in self.doses.iter().zip(regimen.doses()).enumerate() {
            if line.steady_state != Some(true) {
                continue;
            }
            let field = format!("dose[{i}].steady_state");
            if k != i {
                return Err(Error::invalid(
                    field,
                    true,
                    format!("list the steady_state = true doses first, before dose[{k}]"),
                ));
            }
            let Some(every) = dose.every_h() else {
                return Err(Error::invalid(
                    field,
                    true,
                    "a steady state needs a repeating dose: give `every`",
                ));
            };
            if dose.at_h() >= every * (1.0 - 1e-12) {
                return Err(Error::invalid(
                    format!("dose[{i}].at"),
                    format!("\"{}\"", line.at),
                    format!("a steady-state dose starts within its first interval (at < every = {every} h)"),
                ));
            }
            k += 1;
        }
        Ok(k)
    }

    /// The `[[lab]]` draws, expanded and sorted by time (ties keep the file order).
    /// `every` without `count` draws until the end of the run, the end included.
    pub fn lab_draws(&self) -> Result<Vec<crate::clinic::labs::LabDraw>> {
        let end = self.duration_h()?;
        self.check_labs(end)?;
        let mut draws = Vec::new();
        for (i, lab) in self.labs.iter().enumerate() {
            let prefix = format!("lab[{i}]");
            let at = units::parse_time_h(&format!("{prefix}.at"), &lab.at)?;
            let every = lab
                .every
                .as_ref()
                .map(|e| units::parse_time_h(&format!("{prefix}.every"), e))
                .transpose()?;
            let assays: Vec<crate::clinic::labs::Assay> = lab
                .assays
                .iter()
                .filter_map(|a| crate::clinic::labs::Assay::from_name(a))
                .collect();
            let n = match (every, lab.count) {
                (Some(_), Some(n)) => n,
                (Some(e), None) => ((end - at) / e * (1.0 + 1e-12)).floor() as u64 + 1,
                (None, _) => 1,
            };
            for k in 0..n {
                let t_h = (at + every.unwrap_or(0.0) * k as f64).min(end);
                draws.push(crate::clinic::labs::LabDraw {
                    t_h,
                    assays: assays.clone(),
                });
            }
        }
        draws.sort_by(|a, b| a.t_h.total_cmp(&b.t_h));
        Ok(draws)
    }

    /// The cohort of `[population]`; `n` and `seed` override the file (the command
    /// line's `--n`, `--seed`). Errors if no size or seed is given either way.
    pub fn to_population(
        &self,
        n: Option<u64>,
        seed: Option<u64>,
    ) -> Result<crate::clinic::cohort::Population> {
        self.check_population()?;
        let p = self.population.clone().unwrap_or_default();
        let n = n.or(p.n).ok_or_else(|| Error::MissingField {
            field: "population.n".into(),
        })?;
        let seed = seed.or(p.seed).ok_or_else(|| Error::MissingField {
            field: "population.seed".into(),
        })?;
        let mut variability = Vec::new();
        for (name, cv) in &p.variability {
            variability.push(crate::clinic::cohort::Variability {
                parameter: name.clone(),
                cv: units::parse_percent(&format!("population.variability.{name}"), cv)?,
            });
        }
        if variability.is_empty() && self.axis == Axis::Hpg {
            // no [population.variability]: the documented default of the axis
            variability = hpg::HpgParams::DEFAULT_VARIABILITY
                .iter()
                .map(|&(name, cv)| crate::clinic::cohort::Variability {
                    parameter: name.into(),
                    cv,
                })
                .collect();
        }
        let pop = crate::clinic::cohort::Population {
            n: usize::try_from(n).unwrap_or(usize::MAX),
            seed,
            variability,
        };
        pop.validate()?;
        Ok(pop)
    }

    /// Length of the run, h.
    pub fn duration_h(&self) -> Result<f64> {
        let d = units::parse_time_h("duration", &self.duration)?;
        crate::error::positive("duration", d)
    }

    /// The subject's HPG baseline labs, and whether any was given.
    fn subject_labs(&self) -> Result<(hpg::BaselineLabs, bool)> {
        let mut labs = hpg::BaselineLabs::default();
        let Some(s) = &self.subject else {
            return Ok((labs, false));
        };
        let allowed = self.axis.subject_fields();
        let given: [(&str, bool); 9] = [
            ("total_t", s.total_t.is_some()),
            ("lh", s.lh.is_some()),
            ("fsh", s.fsh.is_some()),
            ("e2", s.e2.is_some()),
            ("shbg", s.shbg.is_some()),
            ("weight", s.weight.is_some()),
            ("age", s.age.is_some()),
            ("condition", s.condition.is_some()),
            ("gland_mass", s.gland_mass.is_some()),
        ];
        for (name, set) in given {
            if set && !allowed.contains(&name) {
                return Err(unknown_field(&format!("subject.{name}"), allowed));
            }
        }
        let conc = |name: &str, v: &Option<String>, a: Analyte| -> Result<Option<f64>> {
            v.as_ref()
                .map(|v| units::parse_concentration(&format!("subject.{name}"), v, a))
                .transpose()
        };
        labs.total_t_ng_dl = conc("total_t", &s.total_t, Analyte::Testosterone)?;
        labs.lh_iu_l = conc("lh", &s.lh, Analyte::Gonadotropin)?;
        labs.fsh_iu_l = conc("fsh", &s.fsh, Analyte::Gonadotropin)?;
        labs.e2_pg_ml = conc("e2", &s.e2, Analyte::Estradiol)?;
        labs.shbg_nmol_l = conc("shbg", &s.shbg, Analyte::Shbg)?;
        labs.weight_kg = s
            .weight
            .as_ref()
            .map(|w| units::parse_weight_kg("subject.weight", w))
            .transpose()?;
        labs.age_years = s
            .age
            .as_ref()
            .map(|a| parse_age_years("subject.age", a))
            .transpose()?;
        let any = [
            labs.total_t_ng_dl,
            labs.lh_iu_l,
            labs.fsh_iu_l,
            labs.e2_pg_ml,
            labs.shbg_nmol_l,
            labs.weight_kg,
            labs.age_years,
        ]
        .iter()
        .any(Option::is_some);
        Ok((labs, any))
    }

    /// The HPA condition (healthy if absent).
    fn condition(&self) -> Result<hpa::Condition> {
        match self.subject.as_ref().and_then(|s| s.condition.as_deref()) {
            None => Ok(hpa::Condition::Healthy),
            Some(c) => hpa::Condition::from_name(c).ok_or_else(|| Error::UnknownName {
                field: "subject.condition".into(),
                value: c.into(),
                known: hpa::Condition::ALL
                    .iter()
                    .map(|c| c.name())
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }

    fn check_labs(&self, end: f64) -> Result<()> {
        for (i, lab) in self.labs.iter().enumerate() {
            let prefix = format!("lab[{i}]");
            let at = units::parse_time_h(&format!("{prefix}.at"), &lab.at)?;
            let every = lab
                .every
                .as_ref()
                .map(|e| units::parse_time_h(&format!("{prefix}.every"), e))
                .transpose()?;
            if let Some(e) = every {
                positive_interval(&format!("{prefix}.every"), lab.every.as_deref(), e)?;
            }
            let count = checked_count(&prefix, lab.count, every.is_some())?;
            if at > end {
                return Err(Error::AfterEnd {
                    field: format!("{prefix}.at"),
                    at_h: at,
                    end_h: end,
                });
            }
            if let (Some(e), Some(n)) = (every, count) {
                let last = at + e * (n - 1) as f64;
                if last > end * (1.0 + 1e-12) {
                    return Err(Error::AfterEnd {
                        field: format!("{prefix}.count"),
                        at_h: last,
                        end_h: end,
                    });
                }
            }
            if lab.assays.is_empty() {
                return Err(Error::invalid(
                    format!("{prefix}.assays"),
                    "[]",
                    format!("list at least one of: {}", self.axis.assays().join(", ")),
                ));
            }
            for (j, a) in lab.assays.iter().enumerate() {
                if !self.axis.assays().contains(&a.as_str()) {
                    return Err(Error::UnknownName {
                        field: format!("{prefix}.assays[{j}]"),
                        value: a.clone(),
                        known: format!(
                            "{} (for axis = \"{}\")",
                            self.axis.assays().join(", "),
                            self.axis
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    fn check_population(&self) -> Result<()> {
        let Some(p) = &self.population else {
            return Ok(());
        };
        if let Some(n) = p.n {
            if n == 0 {
                return Err(Error::invalid("population.n", 0, "must be at least 1"));
            }
            if n > MAX_POPULATION {
                return Err(Error::LimitExceeded {
                    field: "population.n".into(),
                    requested: format!("{n} subjects"),
                    limit: format!("{MAX_POPULATION} subjects"),
                    hint: "simulate a smaller cohort".into(),
                });
            }
        }
        for (name, cv) in &p.variability {
            let field = format!("population.variability.{name}");
            if !is_snake_case(name) {
                return Err(Error::invalid(
                    field,
                    format!("\"{name}\""),
                    "a parameter name is snake_case (lowercase letters, digits, _)",
                ));
            }
            let f = units::parse_percent(&field, cv)?;
            if f > 5.0 {
                return Err(Error::invalid(
                    field,
                    format!("\"{cv}\""),
                    "a CV must be between 0 % and 500 %",
                ));
            }
        }
        Ok(())
    }
}

impl DoseLine {
    /// The engine's [`Dose`] for entry `i` of a run ending at `end_h`.
    fn to_dose(&self, i: usize, end_h: f64) -> Result<Dose> {
        let prefix = format!("dose[{i}]");
        let f = |name: &str| format!("{prefix}.{name}");
        if self.drug.trim().is_empty() {
            return Err(Error::invalid(
                f("drug"),
                "\"\"",
                "a drug name is required (`endocrine drugs` lists them)",
            ));
        }
        let route = match Route::from_name(&self.route) {
            Some(r) => r,
            None => {
                return Err(route_error(
                    &f("route"),
                    &f("drug"),
                    &self.drug,
                    &self.route,
                ))
            }
        };
        let amount = units::parse_amount(&f("amount"), &self.amount)?;
        let at = units::parse_time_h(&f("at"), &self.at)?;
        let every = self
            .every
            .as_ref()
            .map(|e| units::parse_time_h(&f("every"), e))
            .transpose()?;
        if let Some(e) = every {
            positive_interval(&f("every"), self.every.as_deref(), e)?;
        }
        let count = match checked_count(&prefix, self.count, every.is_some())? {
            Some(n) => n,
            None => match every {
                // `every` without `count`: repeat until the end of the run.
                Some(e) if at < end_h => {
                    let n = ((end_h - at) / e * (1.0 - 1e-12)).ceil().max(1.0);
                    if n > MAX_DOSE_EVENTS as f64 {
                        return Err(Error::LimitExceeded {
                            field: f("every"),
                            requested: format!("{n} administrations until the end of the run"),
                            limit: MAX_DOSE_EVENTS.to_string(),
                            hint: "lengthen `every` or give a `count`".into(),
                        });
                    }
                    n as u64
                }
                _ => 1,
            },
        };
        let duration = self
            .duration
            .as_ref()
            .map(|d| units::parse_time_h(&f("duration"), d))
            .transpose()?;
        let mut dose =
            Dose::new(&self.drug, route, amount, at).map_err(|e| reprefix(e, &prefix))?;
        if let Some(e) = every {
            dose = dose.every(e, count).map_err(|e| reprefix(e, &prefix))?;
        }
        if let Some(d) = duration {
            dose = dose.over(d).map_err(|e| reprefix(e, &prefix))?;
        }
        Ok(dose)
    }
}

impl TitrationLine {
    /// The engine's rule for entry `i`; `doses` and `regimen` are the scenario's.
    fn to_rule(
        &self,
        i: usize,
        axis: Axis,
        doses: &[DoseLine],
        regimen: &Regimen,
    ) -> Result<crate::clinic::titration::TitrationRule> {
        use crate::clinic::titration::{DrawTiming, Threshold, TitrationRule};
        let prefix = format!("titration[{i}]");
        let f = |k: &str| format!("{prefix}.{k}");
        let quoted = |s: &str| format!("\"{}\"", clip(s));
        // which [[dose]] line
        let dosed: Vec<usize> = doses
            .iter()
            .enumerate()
            .filter(|(_, d)| d.drug == self.drug)
            .map(|(j, _)| j)
            .collect();
        let line = match self.dose_line {
            Some(k) => {
                let j = usize::try_from(k)
                    .ok()
                    .filter(|&j| j < doses.len())
                    .ok_or_else(|| {
                        Error::invalid(
                            f("dose_line"),
                            k,
                            format!(
                                "the scenario has {} [[dose]] line(s), numbered from 0",
                                doses.len()
                            ),
                        )
                    })?;
                if doses[j].drug != self.drug {
                    return Err(Error::invalid(
                        f("dose_line"),
                        k,
                        format!("dose[{j}] gives {}, not {}", doses[j].drug, self.drug),
                    ));
                }
                j
            }
            None => match dosed.as_slice() {
                [j] => *j,
                [] => {
                    let mut given: Vec<&str> = doses.iter().map(|d| d.drug.as_str()).collect();
                    given.sort_unstable();
                    given.dedup();
                    return Err(Error::invalid(
                        f("drug"),
                        quoted(&self.drug),
                        format!(
                            "no [[dose]] line gives this drug, so there is nothing to titrate (dosed: {})",
                            if given.is_empty() { "none".to_string() } else { given.join(", ") }
                        ),
                    ));
                }
                several => {
                    return Err(Error::invalid(
                        f("drug"),
                        quoted(&self.drug),
                        format!(
                            "several [[dose]] lines give this drug ({several:?}): say which with dose_line"
                        ),
                    ))
                }
            },
        };
        let assay = axis
            .assays()
            .contains(&self.assay.as_str())
            .then(|| crate::clinic::labs::Assay::from_name(&self.assay))
            .flatten()
            .ok_or_else(|| Error::UnknownName {
                field: f("assay"),
                value: clip(&self.assay),
                known: format!("{} (for axis = \"{axis}\")", axis.assays().join(", ")),
            })?;
        let draw = match (&self.pre_dose, &self.post_dose) {
            (Some(p), None) => DrawTiming::PreDose {
                hours_before: units::parse_time_h(&f("pre_dose"), p)?,
            },
            (None, Some(p)) => DrawTiming::PostDose {
                hours_after: units::parse_time_h(&f("post_dose"), p)?,
            },
            (None, None) => {
                return Err(Error::invalid(
                    f("pre_dose"),
                    "(none)",
                    "say when the blood is drawn: pre_dose = \"0 h\" (the trough) or post_dose = \"6 h\"",
                ))
            }
            (Some(_), Some(p)) => {
                return Err(Error::invalid(
                    f("post_dose"),
                    quoted(p),
                    "give pre_dose or post_dose, not both",
                ))
            }
        };
        if self.check_at.is_empty() {
            return Err(Error::invalid(
                f("check_at"),
                "[]",
                "at least one check time such as \"14 d\"",
            ));
        }
        let check_days = self
            .check_at
            .iter()
            .enumerate()
            .map(|(k, c)| {
                units::parse_time_h(&format!("{prefix}.check_at[{k}]"), c).map(|h| h / 24.0)
            })
            .collect::<Result<Vec<f64>>>()?;
        let analyte = assay.analyte();
        let conc = |k: &str, v: &Option<String>| {
            v.as_ref()
                .map(|s| units::parse_concentration(&f(k), s, analyte))
                .transpose()
        };
        let low = conc("low", &self.low)?;
        let high = conc("high", &self.high)?;
        match (low, high) {
            (None, None) => {
                return Err(Error::invalid(
                    f("low"),
                    "(none)",
                    "give low (step up below it), high (step down above it) or both",
                ))
            }
            (Some(l), Some(h)) if l >= h => {
                return Err(Error::invalid(
                    f("low"),
                    quoted(self.low.as_deref().unwrap_or_default()),
                    format!(
                        "must be below high ({}); between them is the target range",
                        self.high.as_deref().unwrap_or_default()
                    ),
                ))
            }
            _ => {}
        }
        let kind = regimen.doses()[line].amount().kind;
        let amount = |field: String, s: &str| -> Result<f64> {
            let a = units::parse_amount(&field, s)?;
            if a.kind != kind {
                return Err(Error::InvalidUnit {
                    field,
                    value: s.into(),
                    expected: format!("{} (the unit dose[{line}] is given in)", kind.accepted()),
                });
            }
            Ok(a.value)
        };
        let (step, levels, min, max) = if self.levels.is_empty() {
            let need = |k: &str, v: &Option<String>| -> Result<f64> {
                let v = v
                    .as_ref()
                    .ok_or_else(|| Error::MissingField { field: f(k) })?;
                amount(f(k), v)
            };
            let step = need("step", &self.step)?;
            let min = need("min", &self.min)?;
            let max = need("max", &self.max)?;
            if min > max {
                return Err(Error::invalid(
                    f("min"),
                    quoted(self.min.as_deref().unwrap_or_default()),
                    format!(
                        "must not exceed max ({})",
                        self.max.as_deref().unwrap_or_default()
                    ),
                ));
            }
            (step, Vec::new(), min, max)
        } else {
            for (k, v) in [("step", &self.step), ("min", &self.min), ("max", &self.max)] {
                if let Some(v) = v {
                    return Err(Error::invalid(
                        f(k),
                        quoted(v),
                        "with levels, leave out step, min and max: each step moves one rung of the ladder",
                    ));
                }
            }
            let levels = self
                .levels
                .iter()
                .enumerate()
                .map(|(k, l)| amount(format!("{prefix}.levels[{k}]"), l))
                .collect::<Result<Vec<f64>>>()?;
            let (lo, hi) = (levels[0], levels[levels.len() - 1]);
            (1.0, levels, lo, hi)
        };
        let min_interval_h = self
            .min_interval
            .as_ref()
            .map(|m| units::parse_time_h(&f("min_interval"), m))
            .transpose()?
            .unwrap_or(0.0);
        let mut thresholds = Vec::new();
        if let Some(h) = high {
            thresholds.push(Threshold::above(h, step));
        }
        if let Some(l) = low {
            thresholds.push(Threshold::below(l, step));
        }
        Ok(TitrationRule {
            dose_line: line,
            assay,
            draw,
            check_days,
            thresholds,
            min_amount: min,
            max_amount: max,
            min_days_between_changes: min_interval_h / 24.0,
            levels,
        })
    }
}

/// An unknown route: list the drug's routes if the drug is known, else every route.
fn route_error(field: &str, drug_field: &str, drug: &str, route: &str) -> Error {
    match drugs::find(drug) {
        Some(d) => Error::UnsupportedRoute {
            field: field.into(),
            drug: d.name.into(),
            route: route.into(),
            supported: route_names(d),
        },
        None if !drugs::all().is_empty() => unknown_drug(drug_field, drug),
        None => Error::UnknownName {
            field: field.into(),
            value: route.into(),
            known: Route::ALL.map(Route::name).join(", "),
        },
    }
}

fn route_names(d: &drugs::Drug) -> String {
    d.routes
        .iter()
        .map(|r| r.route.name())
        .collect::<Vec<_>>()
        .join(", ")
}

fn unknown_drug(field: &str, name: &str) -> Error {
    let known = drugs::known_names();
    Error::UnknownDrug {
        field: field.into(),
        name: name.into(),
        known: if known.is_empty() {
            "(none registered)".into()
        } else {
            known
        },
    }
}

/// `every` must be > 0 (parse_time_h already refuses negatives).
fn positive_interval(field: &str, written: Option<&str>, every_h: f64) -> Result<()> {
    if every_h > 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("\"{}\"", written.unwrap_or_default()),
            "the interval between doses must be greater than 0",
        ))
    }
}

/// `count`: at least 1, and only together with `every`.
fn checked_count(prefix: &str, count: Option<u64>, has_every: bool) -> Result<Option<u64>> {
    match count {
        None => Ok(None),
        Some(0) => Err(Error::invalid(
            format!("{prefix}.count"),
            0,
            "must be at least 1 (the first dose counts)",
        )),
        Some(n) if !has_every => Err(Error::CountWithoutEvery {
            field: format!("{prefix}.count"),
            count: n,
        }),
        Some(n) => Ok(Some(n)),
    }
}

/// Rewrite the engine's `dose.x` / `procedure.x` field names as `dose[i].x`.
fn reprefix(e: Error, prefix: &str) -> Error {
    e.map_field(|field| match field.split_once('.') {
        Some((head, rest)) if head == "dose" || head == "procedure" => format!("{prefix}.{rest}"),
        _ => field,
    })
}

/// Age as `"45 yr"` (also `y`, `years`); must be in [0, 130].
fn parse_age_years(field: &str, s: &str) -> Result<f64> {
    let expected = "yr (e.g. \"45 yr\")";
    let bad = || Error::InvalidUnit {
        field: field.into(),
        value: s.into(),
        expected: expected.into(),
    };
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .ok_or_else(bad)?;
    let (num, unit) = t.split_at(split);
    let v: f64 = num.trim().parse().map_err(|_| bad())?;
    if !matches!(unit.trim(), "yr" | "y" | "years") {
        return Err(bad());
    }
    if !(v.is_finite() && (0.0..=130.0).contains(&v)) {
        return Err(Error::invalid(field, s, "an age must be in [0, 130] years"));
    }
    Ok(v)
}

fn is_snake_case(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn unknown_field(path: &str, allowed: &[&str]) -> Error {
    Error::UnknownField {
        field: path.into(),
        allowed: allowed.join(", "),
    }
}

/// 1-based "line:column" of byte offset `at` in `text`.
fn line_col(text: &str, at: usize) -> String {
    let at = at.min(text.len());
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("{line}:{col}")
}

/// Collapse a multi-line message into one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------
// The document tree: TOML and JSON are read into `Node` first, so that every error can
// name its path and every table can refuse unknown fields with the list of allowed ones.

/// A parsed TOML or JSON value.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Datetime(String),
    Array(Vec<Node>),
    /// Keys in document order (duplicates kept, to be refused).
    Table(Vec<(String, Node)>),
}

/// The key under which the `toml` crate hands a date-time to a generic visitor.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a TOML or JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> std::result::Result<Node, E> {
                Ok(Node::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<Node, E> {
                Ok(Node::Int(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<Node, E> {
                Ok(Node::Int(v.into()))
            }
            fn visit_i128<E>(self, v: i128) -> std::result::Result<Node, E> {
                Ok(Node::Int(v))
            }
            fn visit_f64<E>(self, v: f64) -> std::result::Result<Node, E> {
                Ok(Node::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Node, E> {
                Ok(Node::Str(v.into()))
            }
            fn visit_string<E>(self, v: String) -> std::result::Result<Node, E> {
                Ok(Node::Str(v))
            }
            fn visit_none<E>(self) -> std::result::Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_unit<E>(self) -> std::result::Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Node, D::Error> {
                Node::deserialize(d)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Node, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = seq.next_element::<Node>()? {
                    v.push(x);
                }
                Ok(Node::Array(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Node, A::Error> {
                let mut v: Vec<(String, Node)> = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    let x = map.next_value::<Node>()?;
                    v.push((k, x));
                }
                if let [(k, Node::Str(s))] = v.as_slice() {
                    if k == TOML_DATETIME_KEY {
                        return Ok(Node::Datetime(s.clone()));
                    }
                }
                Ok(Node::Table(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl Node {
    /// What kind of value this is, for messages.
    fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Int(_) => "an integer",
            Node::Float(_) => "a number",
            Node::Str(_) => "a string",
            Node::Datetime(_) => "a date-time",
            Node::Array(_) => "a list",
            Node::Table(_) => "a table",
        }
    }

    /// Short rendering as written, for messages (long strings are cut).
    fn render(&self) -> String {
        match self {
            Node::Null => "null".into(),
            Node::Bool(b) => b.to_string(),
            Node::Int(i) => i.to_string(),
            Node::Float(f) => f.to_string(),
            Node::Str(s) => format!("\"{}\"", clip(s)),
            Node::Datetime(s) => clip(s),
            Node::Array(_) => "[...]".into(),
            Node::Table(_) => "{...}".into(),
        }
    }
}

fn clip(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(MAX).collect::<String>())
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn wrong_type(field: &str, node: &Node, expected: &str) -> Error {
    Error::InvalidValue {
        field: field.into(),
        value: node.render(),
        reason: format!("must be {expected}, not {}", node.kind()),
    }
}

/// A table being read: unknown and duplicated keys are refused on creation.
struct Table<'a> {
    path: String,
    entries: &'a [(String, Node)],
}

impl<'a> Table<'a> {
    fn new(path: &str, node: &'a Node, allowed: &[&str]) -> Result<Table<'a>> {
        let Node::Table(entries) = node else {
            return Err(wrong_type(path, node, "a table"));
        };
        for (i, (k, _)) in entries.iter().enumerate() {
            if !allowed.contains(&k.as_str()) {
                return Err(unknown_field(&join(path, &clip(k)), allowed));
            }
            if entries[..i].iter().any(|(k2, _)| k2 == k) {
                return Err(Error::Parse {
                    location: format!("`{}`", join(path, k)),
                    message: "the key appears twice; keep one".into(),
                });
            }
        }
        Ok(Table {
            path: path.into(),
            entries,
        })
    }

    fn field(&self, key: &str) -> String {
        join(&self.path, key)
    }

    fn get(&self, key: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .filter(|v| !matches!(v, Node::Null))
    }

    fn require(&self, key: &str) -> Result<&'a Node> {
        self.get(key).ok_or_else(|| Error::MissingField {
            field: self.field(key),
        })
    }

    fn string(&self, key: &str) -> Result<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Node::Str(s)) => Ok(Some(s.clone())),
            Some(n) => Err(wrong_type(&self.field(key), n, "a quoted string")),
        }
    }

    fn req_string(&self, key: &str) -> Result<String> {
        self.require(key)?;
        Ok(self.string(key)?.unwrap_or_default())
    }

    /// A quantity: a string with a unit. A bare number is a missing unit.
    fn quantity(&self, key: &str, units: &str, example: &str) -> Result<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Node::Str(s)) => Ok(Some(s.clone())),
            Some(n @ (Node::Int(_) | Node::Float(_))) => Err(Error::InvalidUnit {
                field: self.field(key),
                value: n.render(),
                expected: format!("{units} (write a quoted string such as \"{example}\")"),
            }),
            Some(n) => Err(wrong_type(
                &self.field(key),
                n,
                &format!("a quoted quantity with a unit such as \"{example}\""),
            )),
        }
    }

    fn req_quantity(&self, key: &str, units: &str, example: &str) -> Result<String> {
        self.require(key)?;
        Ok(self.quantity(key, units, example)?.unwrap_or_default())
    }

    fn uint(&self, key: &str) -> Result<Option<u64>> {
        match self.get(key) {
            None => Ok(None),
            Some(Node::Int(i)) => u64::try_from(*i).map(Some).map_err(|_| {
                Error::invalid(
                    self.field(key),
                    i,
                    format!("must be a whole number from 0 to {}", u64::MAX),
                )
            }),
            Some(n) => Err(wrong_type(
                &self.field(key),
                n,
                "a whole number (no quotes)",
            )),
        }
    }

    fn float(&self, key: &str) -> Result<Option<f64>> {
        match self.get(key) {
            None => Ok(None),
            Some(Node::Int(i)) => Ok(Some(*i as f64)),
            Some(Node::Float(f)) => Ok(Some(*f)),
            Some(n) => Err(wrong_type(&self.field(key), n, "a number (no quotes)")),
        }
    }

    fn bool(&self, key: &str) -> Result<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Node::Bool(b)) => Ok(Some(*b)),
            Some(n) => Err(wrong_type(&self.field(key), n, "true or false")),
        }
    }

    /// `[[key]]`: a list of tables (a single table is refused with a hint).
    fn tables(&self, key: &str) -> Result<&'a [Node]> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Node::Array(v)) => Ok(v),
            Some(n @ Node::Table(_)) => Err(Error::InvalidValue {
                field: self.field(key),
                value: n.render(),
                reason: format!(
                    "must be a list of tables: write [[{key}]] (double brackets) above each entry"
                ),
            }),
            Some(n) => Err(wrong_type(
                &self.field(key),
                n,
                "a list of tables ([[...]])",
            )),
        }
    }
}

fn read_scenario(node: &Node) -> Result<Scenario> {
    let top = Table::new("", node, TOP_FIELDS)?;
    let axis_name = top.req_string("axis")?;
    let axis = Axis::from_name(&axis_name).ok_or_else(|| Error::UnknownName {
        field: "axis".into(),
        value: clip(&axis_name),
        known: Axis::ALL.map(Axis::name).join(", "),
    })?;
    let duration = top.req_quantity("duration", TIME_UNITS, "120 d")?;
    let output_every = top.req_quantity("output_every", TIME_UNITS, "1 h")?;

    let subject = match top.get("subject") {
        None => None,
        Some(n) => Some(read_subject(axis, n)?),
    };

    let mut doses = Vec::new();
    for (i, n) in top.tables("dose")?.iter().enumerate() {
        let t = Table::new(&format!("dose[{i}]"), n, DOSE_FIELDS)?;
        doses.push(DoseLine {
            drug: t.req_string("drug")?,
            route: t.req_string("route")?,
            amount: t.req_quantity("amount", AMOUNT_UNITS, "100 mg")?,
            at: t.req_quantity("at", TIME_UNITS, "8 h")?,
            every: t.quantity("every", TIME_UNITS, "1 d")?,
            count: t.uint("count")?,
            duration: t.quantity("duration", TIME_UNITS, "30 min")?,
            steady_state: t.bool("steady_state")?,
        });
    }

    let mut procedures = Vec::new();
    for (i, n) in top.tables("procedure")?.iter().enumerate() {
        let t = Table::new(&format!("procedure[{i}]"), n, PROCEDURE_FIELDS)?;
        procedures.push(ProcedureLine {
            name: t.req_string("name")?,
            at: t.req_quantity("at", TIME_UNITS, "60 d")?,
        });
    }

    let mut labs = Vec::new();
    for (i, n) in top.tables("lab")?.iter().enumerate() {
        let t = Table::new(&format!("lab[{i}]"), n, LAB_FIELDS)?;
        let assays_node = t.require("assays")?;
        let Node::Array(items) = assays_node else {
            return Err(wrong_type(
                &t.field("assays"),
                assays_node,
                "a list of assay names such as [\"total_t\", \"lh\"]",
            ));
        };
        let mut assays = Vec::new();
        for (j, a) in items.iter().enumerate() {
            match a {
                Node::Str(s) => assays.push(s.clone()),
                n => {
                    return Err(wrong_type(
                        &format!("{}[{j}]", t.field("assays")),
                        n,
                        "a quoted assay name",
                    ))
                }
            }
        }
        labs.push(LabLine {
            at: t.req_quantity("at", TIME_UNITS, "7 d 8 h")?,
            every: t.quantity("every", TIME_UNITS, "7 d")?,
            count: t.uint("count")?,
            assays,
        });
    }

    let population = match top.get("population") {
        None => None,
        Some(n) => {
            let t = Table::new("population", n, POPULATION_FIELDS)?;
            let mut variability = BTreeMap::new();
            if let Some(v) = t.get("variability") {
                let Node::Table(entries) = v else {
                    return Err(wrong_type("population.variability", v, "a table"));
                };
                let names: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
                let vt = Table::new("population.variability", v, &names)?;
                for (k, _) in entries {
                    let cv = vt.req_quantity(k, "%", "25 %")?;
                    variability.insert(k.clone(), cv);
                }
            }
            Some(Population {
                n: t.uint("n")?,
                seed: t.uint("seed")?,
                variability,
            })
        }
    };

    let solver = match top.get("solver") {
        None => None,
        Some(n) => {
            let t = Table::new("solver", n, SOLVER_FIELDS)?;
            let max_steps = match t.uint("max_steps")? {
                None => None,
                Some(m) => Some(u32::try_from(m).map_err(|_| {
                    Error::invalid(
                        "solver.max_steps",
                        m,
                        format!("must be at most {}", u32::MAX),
                    )
                })?),
            };
            Some(Solver {
                rtol: t.float("rtol")?,
                atol: t.float("atol")?,
                max_steps,
                max_step: t.quantity("max_step", TIME_UNITS, "1 h")?,
            })
        }
    };

    let mut titrations = Vec::new();
    for (i, n) in top.tables("titration")?.iter().enumerate() {
        let t = Table::new(&format!("titration[{i}]"), n, TITRATION_FIELDS)?;
        let quantities = |key: &str, units: &str, example: &str| -> Result<Vec<String>> {
            let Some(node) = t.get(key) else {
                return Ok(Vec::new());
            };
            let Node::Array(items) = node else {
                return Err(wrong_type(
                    &t.field(key),
                    node,
                    &format!("a list of quoted quantities such as [\"{example}\"]"),
                ));
            };
            items
                .iter()
                .enumerate()
                .map(|(j, x)| match x {
                    Node::Str(s) => Ok(s.clone()),
                    n @ (Node::Int(_) | Node::Float(_)) => Err(Error::InvalidUnit {
                        field: format!("{}[{j}]", t.field(key)),
                        value: n.render(),
                        expected: format!("{units} (write a quoted string such as \"{example}\")"),
                    }),
                    n => Err(wrong_type(
                        &format!("{}[{j}]", t.field(key)),
                        n,
                        &format!("a quoted quantity such as \"{example}\""),
                    )),
                })
                .collect()
        };
        t.require("check_at")?;
        titrations.push(TitrationLine {
            drug: t.req_string("drug")?,
            dose_line: t.uint("dose_line")?,
            assay: t.req_string("assay")?,
            pre_dose: t.quantity("pre_dose", TIME_UNITS, "0 h")?,
            post_dose: t.quantity("post_dose", TIME_UNITS, "6 h")?,
            check_at: quantities("check_at", TIME_UNITS, "14 d")?,
            low: t.quantity("low", "the assay's units", "350 ng/dL")?,
            high: t.quantity("high", "the assay's units", "750 ng/dL")?,
            step: t.quantity("step", AMOUNT_UNITS, "20.25 mg")?,
            levels: quantities("levels", AMOUNT_UNITS, "158 mg")?,
            min: t.quantity("min", AMOUNT_UNITS, "20.25 mg")?,
            max: t.quantity("max", AMOUNT_UNITS, "81 mg")?,
            min_interval: t.quantity("min_interval", TIME_UNITS, "14 d")?,
        });
    }

    Ok(Scenario {
        axis,
        duration,
        output_every,
        subject,
        doses,
        procedures,
        labs,
        population,
        solver,
        titrations,
    })
}

fn read_subject(axis: Axis, node: &Node) -> Result<Subject> {
    let allowed = axis.subject_fields();
    let t = Table::new("subject", node, allowed)?;
    let conc = |k: &str, units: &str, ex: &str| t.quantity(k, units, ex);
    Ok(Subject {
        total_t: conc("total_t", "ng/dL, ng/mL, nmol/L", "350 ng/dL")?,
        lh: conc("lh", "IU/L, mIU/mL", "4.0 IU/L")?,
        fsh: conc("fsh", "IU/L, mIU/mL", "5.0 IU/L")?,
        e2: conc("e2", "pg/mL, pmol/L", "25 pg/mL")?,
        shbg: conc("shbg", "nmol/L", "35 nmol/L")?,
        weight: conc("weight", "kg, lb", "85 kg")?,
        age: conc("age", "yr", "45 yr")?,
        condition: t.string("condition")?,
        gland_mass: t.bool("gland_mass")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 4), "2:2");
        assert_eq!(line_col("", 0), "1:1");
    }

    #[test]
    fn every_without_count_repeats_to_the_end() {
        let s = Scenario::from_toml_str(
            "axis = \"hpg\"\nduration = \"10 d\"\noutput_every = \"1 d\"\n\
             [[procedure]]\nname = \"orchiectomy\"\nat = \"1 d\"\n",
        )
        .unwrap();
        let line = DoseLine {
            drug: "x".into(),
            route: "oral".into(),
            amount: "1 mg".into(),
            at: "8 h".into(),
            every: Some("1 d".into()),
            count: None,
            duration: None,
            steady_state: None,
        };
        let d = line.to_dose(0, s.duration_h().unwrap()).unwrap();
        assert_eq!(d.count(), 10);
        assert!(d.last_h() < 240.0);
        let exact = DoseLine {
            at: "0 h".into(),
            ..line
        };
        assert_eq!(exact.to_dose(0, 240.0).unwrap().count(), 10);
    }

    #[test]
    fn age_units() {
        assert_eq!(parse_age_years("a", "45 yr").unwrap(), 45.0);
        assert!(matches!(
            parse_age_years("a", "45"),
            Err(Error::InvalidUnit { .. })
        ));
        assert!(parse_age_years("a", "400 yr").is_err());
    }
}
