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
//!   time such as `"6 h"`), `method` (`"dopri5"` or `"rodas4"`, [`crate::Method`]);
//!   omitted fields keep the [`SimOptions`] defaults.
//! - `[[measured]]` (scenario.md's precision dosing) also takes `value = "< 20 pg/mL"` for a
//!   value below the assay's limit; `[subject]` takes the individual parameters `fit`
//!   prints; `[propose]` (`dose_line`, `every`, `levels`, `target`, `samples`, `seed`) says
//!   what `endocrine propose` may vary (see [`Scenario::fit`], [`Scenario::propose`]);
//!   `[fit] residual = "within_subject"` adds the patient's day-to-day variation to the
//!   assays' error ([`crate::clinic::fit::ResidualError`]).
//! - `[[titration]]`: a label's dose-adjustment rule on one `[[dose]]` line ([`TitrationLine`],
//!   docs/scenario.md), run by [`Scenario::run_titrated`] on measured labs; [`Scenario::run`]
//!   uses it too, with seed 0.

use crate::engine::model::{Model, Route};
use crate::engine::options::{Method, SimOptions};
use crate::engine::regimen::{Dose, Procedure, Regimen, MAX_DOSE_EVENTS};
use crate::engine::simulate::simulate;
use crate::engine::trajectory::Trajectory;
use crate::engine::units::{self, Analyte};
use crate::error::{Error, Result};
use crate::physiology::axes::{hpa, hpg, hpt};
use crate::physiology::drugs;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

mod build;
mod check;
mod population;
mod precision;
mod read;
mod schema;
mod titration;

use check::*;
use read::*;
pub use schema::{
    Axis, DoseLine, FitTable, LabLine, MeasuredLine, Population, ProcedureLine, ProposeTable,
    Solver, Subject, TitrationLine,
};

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
    "measured",
    "propose",
    "fit",
];
const HPG_SUBJECT_FIELDS: &[&str] = &[
    "total_t",
    "lh",
    "fsh",
    "e2",
    "shbg",
    "weight",
    "age",
    "t_clearance_factor",
    "absorption_rate_factor",
    "lh_drive_factor",
    "aromatase_factor",
    "shbg_factor",
];
const HPA_SUBJECT_FIELDS: &[&str] = &[
    "condition",
    "gland_mass",
    "cortisol_clearance_factor",
    "adrenal_sensitivity_factor",
];
const HPT_SUBJECT_FIELDS: &[&str] = &[
    "residual_thyroid_function",
    "weight",
    "thyrosim",
    "sex",
    "height",
];
const MEASURED_FIELDS: &[&str] = &["assay", "at", "value"];
const FIT_FIELDS: &[&str] = &["residual"];
const PROPOSE_FIELDS: &[&str] = &["dose_line", "every", "levels", "target", "samples", "seed"];
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
    "inverse",
];
const LAB_FIELDS: &[&str] = &["at", "every", "count", "assays"];
const POPULATION_FIELDS: &[&str] = &["n", "seed", "variability"];
const SOLVER_FIELDS: &[&str] = &["rtol", "atol", "max_steps", "max_step", "method"];

const HPG_ASSAYS: &[&str] = &["total_t", "free_t", "free_t_ed", "e2", "lh", "fsh", "shbg"];
const HPA_ASSAYS: &[&str] = &["cortisol", "salivary_cortisol", "acth"];
const HPT_ASSAYS: &[&str] = &["tsh", "ft4", "ft3", "total_t4", "total_t3"];

const TIME_UNITS: &str = "s, min, h, d, wk";
const AMOUNT_UNITS: &str = "mg, g, ug (µg, mcg), ng, IU";

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
    /// `[[measured]]` entries in file order: the patient's own labs (`endocrine fit`).
    #[serde(rename = "measured", skip_serializing_if = "Vec::is_empty")]
    pub measured: Vec<MeasuredLine>,
    /// `[propose]` (an addition to scenario.md): what `endocrine propose` may vary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub propose: Option<ProposeTable>,
    /// `[fit]` (an addition to scenario.md): how `endocrine fit` models the labs' error.
    #[serde(rename = "fit", skip_serializing_if = "Option::is_none")]
    pub fit_settings: Option<FitTable>,
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
