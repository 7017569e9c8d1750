//! Clinical validation: simulate published trial outcomes and compare.
//!
//! `validation/targets.toml` lists rows of `shared/calibration/targets.md` (and others),
//! each with a scenario file and one or more checks; rows the crate cannot simulate are
//! listed with the reason. Tolerances come from each row's reported spread (SD, IQR,
//! range), never from the code's output.
//!
//! ```toml
//! [[row]]
//! id = "O4"
//! source = "Coviello et al., JCEM 2005;90:2595"
//! scenario = "o4_te200_weekly.toml"
//! [[row.check]]
//! what = "LH at day 21 as a fraction of baseline"
//! column = "lh_iu_l"
//! statistic = "ratio"        # value | ratio | change | mean | mean_ratio | min | max | max_ratio | time_of_max_h
//! at = "21 d"
//! baseline_at = "0 h"
//! low = 0.0                  # pass if low <= simulated <= high
//! high = 0.10
//! target = "5 % (LH to 5 % of baseline)"   # as the source reports it
//! ```

use crate::engine::trajectory::Trajectory;
use crate::engine::units::parse_time_h;
use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The validation catalogue.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// Rows.
    #[serde(rename = "row")]
    pub rows: Vec<Row>,
}

/// One published outcome.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// Row ID of targets.md (`"O4"`) or another label.
    pub id: String,
    /// Citation.
    pub source: String,
    /// Scenario file, relative to the catalogue.
    #[serde(default)]
    pub scenario: Option<String>,
    /// Why the row cannot be simulated (then no scenario).
    #[serde(default)]
    pub not_simulable: Option<String>,
    /// Checks on the scenario's trajectory.
    #[serde(default, rename = "check")]
    pub checks: Vec<Check>,
}

/// One comparison.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// What is compared, in words.
    pub what: String,
    /// Trajectory column.
    pub column: String,
    /// Statistic.
    pub statistic: Statistic,
    /// Time point (value, ratio).
    #[serde(default)]
    pub at: Option<String>,
    /// Baseline time point (ratio, mean_ratio).
    #[serde(default)]
    pub baseline_at: Option<String>,
    /// Window start (mean, min, max, time_of_max_h).
    #[serde(default)]
    pub from: Option<String>,
    /// Window end.
    #[serde(default)]
    pub to: Option<String>,
    /// Lower bound of the accepted range (from the row's spread).
    pub low: f64,
    /// Upper bound.
    pub high: f64,
    /// The target as the source reports it.
    pub target: String,
    /// True if the check is in the **training set**: a parameter was fitted to it (or it holds
    /// by construction of the defaults). False puts it in the **test set**: held out, chosen
    /// before calibrating and never fitted to, the figure that counts.
    #[serde(default)]
    pub fitted: bool,
}

/// What is computed from the trajectory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Statistic {
    /// Value at `at`.
    Value,
    /// Value at `at` / value at `baseline_at`.
    Ratio,
    /// Value at `at` − value at `baseline_at`.
    Change,
    /// Time-average over [from, to].
    Mean,
    /// Time-average over [from, to] / value at `baseline_at`.
    MeanRatio,
    /// Minimum over [from, to].
    Min,
    /// Maximum over [from, to].
    Max,
    /// Maximum over [from, to] / value at `baseline_at` (a stimulation test's fold rise).
    MaxRatio,
    /// Time of the maximum over [from, to], hours after `from`.
    TimeOfMaxH,
}

/// Outcome of one check.
#[derive(Debug, Clone)]
pub struct CheckResult {
    /// Row ID.
    pub id: String,
    /// Source.
    pub source: String,
    /// What was compared.
    pub what: String,
    /// Simulated value (None if the row is not simulable or the run failed).
    pub simulated: Option<f64>,
    /// Target as reported.
    pub target: String,
    /// Accepted range.
    pub range: (f64, f64),
    /// Pass, fail, or not simulable (with why).
    pub status: Status,
    /// A parameter was fitted to this check (see [`Check::fitted`]).
    pub fitted: bool,
}

/// Result status.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Within the range.
    Pass,
    /// Outside the range.
    Fail,
    /// Not simulated, with the reason.
    NotSimulable(String),
}

fn time(field: &str, s: &Option<String>) -> Result<f64> {
    let s = s.as_deref().ok_or_else(|| Error::MissingField {
        field: field.into(),
    })?;
    parse_time_h(field, s)
}

impl Check {
    /// Compute the statistic on `tr`.
    pub fn evaluate(&self, tr: &Trajectory) -> Result<f64> {
        let col = &self.column;
        let missing = || Error::UnknownName {
            field: "check.column".into(),
            value: col.clone(),
            known: tr
                .columns()
                .iter()
                .map(|c| c.column.clone())
                .collect::<Vec<_>>()
                .join(", "),
        };
        tr.column_index(col).ok_or_else(missing)?;
        let out_of_range =
            |t: f64| Error::invalid("check.at", t, "outside the simulated time range");
        let at = |field: &str, s: &Option<String>| -> Result<f64> {
            let t = time(field, s)?;
            tr.value_at(col, t).ok_or_else(|| out_of_range(t))
        };
        let window = || -> Result<(f64, f64)> {
            Ok((time("check.from", &self.from)?, time("check.to", &self.to)?))
        };
        let v = match self.statistic {
            Statistic::Value => at("check.at", &self.at)?,
            Statistic::Ratio => {
                at("check.at", &self.at)? / at("check.baseline_at", &self.baseline_at)?
            }
            Statistic::Change => {
                at("check.at", &self.at)? - at("check.baseline_at", &self.baseline_at)?
            }
            Statistic::Mean => {
                let (a, b) = window()?;
                tr.mean_in(col, a, b).ok_or_else(|| out_of_range(a))?
            }
            Statistic::MeanRatio => {
                let (a, b) = window()?;
                tr.mean_in(col, a, b).ok_or_else(|| out_of_range(a))?
                    / at("check.baseline_at", &self.baseline_at)?
            }
            Statistic::Min => {
                let (a, b) = window()?;
                tr.min_in(col, a, b).ok_or_else(|| out_of_range(a))?
            }
            Statistic::Max => {
                let (a, b) = window()?;
                tr.max_in(col, a, b).ok_or_else(|| out_of_range(a))?
            }
            Statistic::MaxRatio => {
                let (a, b) = window()?;
                tr.max_in(col, a, b).ok_or_else(|| out_of_range(a))?
                    / at("check.baseline_at", &self.baseline_at)?
            }
            Statistic::TimeOfMaxH => {
                let (a, b) = window()?;
                tr.argmax_in(col, a, b).ok_or_else(|| out_of_range(a))? - a
            }
        };
        Ok(v)
    }
}

/// Read the catalogue at `path`.
pub fn load(path: &Path) -> Result<Catalogue> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    toml::from_str(&text).map_err(|e| Error::Parse {
        location: path.display().to_string(),
        message: e.to_string(),
    })
}

/// Run every row of the catalogue at `path`; `run` simulates a scenario file.
pub fn run(
    path: &Path,
    run: &(dyn Fn(&Path) -> Result<Trajectory> + Sync),
) -> Result<Vec<CheckResult>> {
    let cat = load(path)?;
    let dir: PathBuf = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut out = Vec::new();
    for row in &cat.rows {
        let base = |what: &str,
                    target: &str,
                    range: (f64, f64),
                    status: Status,
                    simulated: Option<f64>| CheckResult {
            id: row.id.clone(),
            source: row.source.clone(),
            what: what.into(),
            simulated,
            target: target.into(),
            range,
            status,
            fitted: false,
        };
        let Some(file) = &row.scenario else {
            let why = row
                .not_simulable
                .clone()
                .unwrap_or_else(|| "no scenario".into());
            out.push(base(
                "-",
                "-",
                (f64::NAN, f64::NAN),
                Status::NotSimulable(why),
                None,
            ));
            continue;
        };
        let tr = run(&dir.join(file));
        for c in &row.checks {
            let range = (c.low, c.high);
            let mut r = match &tr {
                Err(e) => base(
                    &c.what,
                    &c.target,
                    range,
                    Status::NotSimulable(format!("scenario error: {e}")),
                    None,
                ),
                Ok(tr) if !tr.outcome().is_completed() => {
                    base(&c.what, &c.target, range, Status::Fail, None)
                }
                Ok(tr) => match c.evaluate(tr) {
                    Ok(v) => base(
                        &c.what,
                        &c.target,
                        range,
                        if v >= c.low && v <= c.high {
                            Status::Pass
                        } else {
                            Status::Fail
                        },
                        Some(v),
                    ),
                    Err(e) => base(
                        &c.what,
                        &c.target,
                        range,
                        Status::NotSimulable(format!("check error: {e}")),
                        None,
                    ),
                },
            };
            r.fitted = c.fitted;
            out.push(r);
        }
    }
    Ok(out)
}

/// Counts of a validation run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Checks that pass.
    pub pass: usize,
    /// Checks simulated (pass + fail).
    pub simulated: usize,
    /// Training-set checks (a parameter was fitted to them, `fitted = true`) that pass.
    pub training_pass: usize,
    /// Training-set checks simulated.
    pub training: usize,
    /// Test-set checks (held out: no parameter fitted to them) that pass. This is the figure
    /// that counts: the training set passes by construction.
    pub test_pass: usize,
    /// Test-set checks simulated.
    pub test: usize,
    /// Checks not simulable.
    pub not_simulable: usize,
}

/// Count passes, overall and in the training and test sets.
pub fn summary(results: &[CheckResult]) -> Summary {
    let simulated = |r: &&CheckResult| matches!(r.status, Status::Pass | Status::Fail);
    let pass = |r: &&CheckResult| r.status == Status::Pass;
    let training = |r: &&CheckResult| r.fitted;
    let test = |r: &&CheckResult| !r.fitted;
    Summary {
        pass: results.iter().filter(pass).count(),
        simulated: results.iter().filter(simulated).count(),
        training_pass: results.iter().filter(training).filter(pass).count(),
        training: results.iter().filter(training).filter(simulated).count(),
        test_pass: results.iter().filter(test).filter(pass).count(),
        test: results.iter().filter(test).filter(simulated).count(),
        not_simulable: results
            .iter()
            .filter(|r| matches!(r.status, Status::NotSimulable(_)))
            .count(),
    }
}

fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        "-".into()
    } else if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else if x.abs() >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

/// The results as a markdown table with a summary line.
pub fn to_markdown(results: &[CheckResult]) -> String {
    let mut s = String::from("| row | set | source | what | simulated | target | accepted range | result |\n|---|---|---|---|---|---|---|---|\n");
    for r in results {
        let status = match &r.status {
            Status::Pass => "pass".to_string(),
            Status::Fail => "**fail**".to_string(),
            Status::NotSimulable(why) => format!("not simulable: {why}"),
        };
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} – {} | {} |\n",
            r.id,
            match (&r.status, r.fitted) {
                (Status::NotSimulable(_), _) => "-",
                (_, true) => "training",
                (_, false) => "test",
            },
            r.source,
            r.what,
            r.simulated.map_or("-".into(), fmt_num),
            r.target,
            fmt_num(r.range.0),
            fmt_num(r.range.1),
            status
        ));
    }
    s.push('\n');
    s.push_str(&summary_line(&summary(results)));
    s.push('\n');
    s
}

fn percent(pass: usize, of: usize) -> f64 {
    if of > 0 {
        100.0 * pass as f64 / of as f64
    } else {
        0.0
    }
}

/// The summary in one line: the test set first (the figure that counts), then the
/// training set, then all checks.
pub fn summary_line(n: &Summary) -> String {
    format!(
        "**Test set (held out, never fitted): {} of {} pass ({:.0} %)**; training set (fitted): {} of {} pass ({:.0} %); all simulated checks: {} of {} ({:.0} %); {} not simulable.",
        n.test_pass,
        n.test,
        percent(n.test_pass, n.test),
        n.training_pass,
        n.training,
        percent(n.training_pass, n.training),
        n.pass,
        n.simulated,
        percent(n.pass, n.simulated),
        n.not_simulable
    )
}
