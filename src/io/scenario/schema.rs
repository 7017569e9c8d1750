//! The scenario schema: the document's types as written (quantities stay unit strings),
//! and which fields and assays each axis accepts.

use super::*;

/// Which endocrine axis a scenario simulates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    /// Male hypothalamic–pituitary–gonadal axis ([`hpg::Hpg`]).
    Hpg,
    /// Hypothalamic–pituitary–adrenal axis ([`hpa::Hpa`]).
    Hpa,
    /// Hypothalamic–pituitary–thyroid axis ([`hpt::Hpt`], THYROSIM).
    Hpt,
}

impl Axis {
    /// Every axis.
    pub const ALL: [Axis; 3] = [Axis::Hpg, Axis::Hpa, Axis::Hpt];

    /// Scenario name (`"hpg"`, `"hpa"`, `"hpt"`).
    pub fn name(self) -> &'static str {
        match self {
            Axis::Hpg => "hpg",
            Axis::Hpa => "hpa",
            Axis::Hpt => "hpt",
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
            Axis::Hpt => Box::new(hpt::Hpt::healthy()),
        }
    }

    /// The default model, built once per process: validation only asks it which
    /// channels it reads and which procedures it knows, and building an axis may cost a
    /// burn-in (the HPA's circadian cycle).
    pub(super) fn shared_model(self) -> &'static dyn Model {
        static HPG: std::sync::OnceLock<Box<dyn Model>> = std::sync::OnceLock::new();
        static HPA: std::sync::OnceLock<Box<dyn Model>> = std::sync::OnceLock::new();
        static HPT: std::sync::OnceLock<Box<dyn Model>> = std::sync::OnceLock::new();
        let cell = match self {
            Axis::Hpg => &HPG,
            Axis::Hpa => &HPA,
            Axis::Hpt => &HPT,
        };
        cell.get_or_init(|| self.default_model()).as_ref()
    }

    /// Assay names a `[[lab]]` entry may list for this axis.
    pub fn assays(self) -> &'static [&'static str] {
        match self {
            Axis::Hpg => HPG_ASSAYS,
            Axis::Hpa => HPA_ASSAYS,
            Axis::Hpt => HPT_ASSAYS,
        }
    }

    /// Field names allowed in `[subject]` for this axis.
    pub fn subject_fields(self) -> &'static [&'static str] {
        match self {
            Axis::Hpg => HPG_SUBJECT_FIELDS,
            Axis::Hpa => HPA_SUBJECT_FIELDS,
            Axis::Hpt => HPT_SUBJECT_FIELDS,
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
    /// HPG, HPT: body weight (`"85 kg"`, `"187 lb"`).
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
    /// HPT: residual thyroid function (`"0 %"` athyreotic … `"100 %"` healthy, the
    /// default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub residual_thyroid_function: Option<String>,
    /// HPT: which THYROSIM, `"2016"` (Han et al., the default) or `"2022"` (Cruz-Loya et
    /// al., p-THYROSIM: personalised by sex, height and weight).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thyrosim: Option<String>,
    /// HPT (THYROSIM 2022): `"male"` (default) or `"female"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sex: Option<String>,
    /// HPT (THYROSIM 2022): body height (`"170 cm"`, `"1.70 m"`, `"67 in"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<String>,
    /// Individual parameters under the names `fit` prints (`t_clearance_factor = 1.4`;
    /// [`crate::clinic::fit::HPG_PARAMETERS`], [`crate::clinic::fit::HPA_PARAMETERS`]):
    /// multipliers on the calibrated subject, so a known virtual patient can be written
    /// down. `fit` itself starts from the population prior and ignores them.
    #[serde(flatten)]
    pub factors: BTreeMap<String, f64>,
}

/// One `[[measured]]` entry as written: a lab of the patient's own (an addition of
/// scenario.md's precision-dosing section).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasuredLine {
    /// Assay ([`Axis::assays`]).
    pub assay: String,
    /// When it was drawn (`"28 d 8 h"`).
    pub at: String,
    /// The value with its unit (`"310 ng/dL"`), or a value below the assay's limit
    /// (`"< 20 pg/mL"`).
    pub value: String,
}

/// `[fit]`: how `endocrine fit` models the labs' error (an addition to scenario.md).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FitTable {
    /// `"analytical"` (default) or `"within_subject"`
    /// ([`crate::clinic::fit::ResidualError`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub residual: Option<String>,
}

/// `[propose]`: what `endocrine propose` may vary (an addition to scenario.md).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ProposeTable {
    /// Index of the `[[dose]]` line to vary (default: the first repeating line).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dose_line: Option<u64>,
    /// Intervals to search (`["7 d", "14 d"]`); default: the line's own.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub every: Vec<String>,
    /// Amounts to search (`["100 mg", "150 mg"]`); default: the product's label ladder.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<String>,
    /// Target windows (`["total_t 400..800 ng/dL"]`), added to the command line's `--target`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub target: Vec<String>,
    /// Posterior draws (default 2000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samples: Option<u64>,
    /// Seed of the posterior draws (default 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
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
    /// The assay falls as the dose rises (TSH on levothyroxine): above `high` steps the
    /// dose up, below `low` steps it down. Default `false`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inverse: Option<bool>,
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
    /// Integration method: `"dopri5"` or `"rodas4"` ([`crate::Method::name`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
}
