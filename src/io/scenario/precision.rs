//! Precision dosing from a scenario: `[[measured]]` rows, the individual parameters of
//! `[subject]`, and `[propose]` (scenario.md, "Measured labs, individual fits and dose
//! proposals"). The statistics live in [`crate::clinic::fit`] and
//! [`crate::clinic::propose`]; this file only reads the document into their problems.

use super::*;
use crate::clinic::fit::{
    self, Fit, FitProblem, MeasuredValue, Measurement, ResidualError, TypicalSubject,
};
use crate::clinic::labs::Assay;
use crate::clinic::propose::{self, Proposal, ProposeProblem, ProposeSettings, Target};

/// Parse a measured value (`"310 ng/dL"`, `"< 20 pg/mL"`, `"0 pg/mL"`) of `assay`.
fn parse_measured_value(field: &str, s: &str, assay: Assay) -> Result<MeasuredValue> {
    let t = s.trim();
    let (below, rest) = match t.strip_prefix('<') {
        Some(r) => (true, r.trim_start()),
        None => (false, t),
    };
    let split = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')))
        .unwrap_or(rest.len());
    let (num, unit) = rest.split_at(split);
    let unit = unit.trim();
    let value: f64 = num.trim().parse().map_err(|_| Error::InvalidUnit {
        field: field.into(),
        value: s.into(),
        expected: format!(
            "a number and a unit of {} (e.g. \"310 {}\", or \"< 20 {}\" below the assay's limit)",
            assay.name(),
            assay.unit(),
            assay.unit()
        ),
    })?;
    if !(value.is_finite() && value >= 0.0) {
        return Err(Error::invalid(
            field,
            format!("\"{s}\""),
            "a measured value is a finite number ≥ 0",
        ));
    }
    if unit.is_empty() {
        return Err(Error::InvalidUnit {
            field: field.into(),
            value: s.into(),
            expected: format!("a unit of {} such as {}", assay.name(), assay.unit()),
        });
    }
    let per_unit = units::parse_concentration(field, &format!("1 {unit}"), assay.analyte())
        .map_err(|e| match e {
            Error::InvalidUnit {
                field, expected, ..
            } => Error::InvalidUnit {
                field,
                value: s.into(),
                expected,
            },
            e => e,
        })?;
    let v = value * per_unit;
    Ok(if below {
        MeasuredValue::BelowLimit(v)
    } else {
        MeasuredValue::Value(v)
    })
}

impl Scenario {
    /// The subject without individual factors: the calibrated (or default) parameters
    /// whose individual factors are 1, the prior medians of [`Scenario::fit`].
    pub fn typical_subject(&self) -> Result<TypicalSubject> {
        match self.axis {
            Axis::Hpg => {
                let (labs, any) = self.subject_labs()?;
                Ok(TypicalSubject::Hpg(if any {
                    hpg::HpgParams::calibrated(&labs)?
                } else {
                    hpg::HpgParams::healthy()
                }))
            }
            Axis::Hpa => {
                let mut params = hpa::HpaParams::for_condition(self.condition()?);
                if let Some(g) = self.subject.as_ref().and_then(|s| s.gland_mass) {
                    params.gland_mass_layer = g;
                }
                Ok(TypicalSubject::Hpa(params))
            }
            Axis::Hpt => Ok(TypicalSubject::Hpt(self.hpt_params()?)),
        }
    }

    /// The individual parameters written in `[subject]` (name, factor).
    pub fn individual_factors(&self) -> Vec<(&str, f64)> {
        self.subject
            .iter()
            .flat_map(|s| s.factors.iter().map(|(k, v)| (k.as_str(), *v)))
            .collect()
    }

    /// The `[[measured]]` rows, in file order. Errors name the entry
    /// (`measured[1].value`).
    pub fn measurements(&self) -> Result<Vec<Measurement>> {
        let end = self.duration_h()?;
        self.measured
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let prefix = format!("measured[{i}]");
                if !self.axis.assays().contains(&m.assay.as_str()) {
                    return Err(Error::UnknownName {
                        field: format!("{prefix}.assay"),
                        value: m.assay.clone(),
                        known: format!(
                            "{} (for axis = \"{}\")",
                            self.axis.assays().join(", "),
                            self.axis
                        ),
                    });
                }
                let assay = Assay::from_name(&m.assay).ok_or_else(|| Error::UnknownName {
                    field: format!("{prefix}.assay"),
                    value: m.assay.clone(),
                    known: Assay::known(),
                })?;
                let time_h = units::parse_time_h(&format!("{prefix}.at"), &m.at)?;
                if time_h > end {
                    return Err(Error::AfterEnd {
                        field: format!("{prefix}.at"),
                        at_h: time_h,
                        end_h: end,
                    });
                }
                let value = parse_measured_value(&format!("{prefix}.value"), &m.value, assay)?;
                Ok(Measurement {
                    assay,
                    time_h,
                    value,
                })
            })
            .collect()
    }

    /// What [`Scenario::fit`] estimates from: the typical subject, the regimen given,
    /// the options and the measured rows.
    pub fn fit_problem(&self) -> Result<FitProblem> {
        self.validate()?;
        let regimen = self.to_regimen()?;
        Ok(FitProblem {
            subject: self.typical_subject()?,
            steady_lines: self.steady_lines(&regimen)?,
            regimen,
            options: self.to_options()?,
            measurements: self.measurements()?,
            residual: self.residual()?,
        })
    }

    /// `[fit] residual` (default analytical).
    pub fn residual(&self) -> Result<ResidualError> {
        match self
            .fit_settings
            .as_ref()
            .and_then(|f| f.residual.as_deref())
        {
            None => Ok(ResidualError::Analytical),
            Some(name) => ResidualError::from_name(name).ok_or_else(|| Error::UnknownName {
                field: "fit.residual".into(),
                value: name.into(),
                known: "analytical, within_subject".into(),
            }),
        }
    }

    /// The individual fit of the `[[measured]]` rows (MAP with the population priors,
    /// Laplace posterior; [`crate::clinic::fit`]). `[[titration]]` rules are not replayed:
    /// the regimen is the `[[dose]]` lines as written (write the doses the patient got).
    pub fn fit(&self) -> Result<Fit> {
        fit::fit(&self.fit_problem()?)
    }

    /// Fit, then propose ([`Scenario::propose_from`]).
    pub fn propose(&self, targets: &[String]) -> Result<Proposal> {
        let f = self.fit()?;
        self.propose_from(&f, targets)
    }

    /// The regimen most likely to keep every target (`targets` as the command line's
    /// `--target "total_t 400..800 ng/dL"`, plus `[propose] target`) at steady state,
    /// given the fit `f` of this scenario ([`crate::clinic::propose`]).
    pub fn propose_from(&self, f: &Fit, targets: &[String]) -> Result<Proposal> {
        let problem = self.propose_problem(f.clone(), targets)?;
        propose::propose(&problem)
    }

    /// The search [`Scenario::propose_from`] runs.
    pub fn propose_problem(&self, f: Fit, targets: &[String]) -> Result<ProposeProblem> {
        let regimen = self.to_regimen()?;
        let table = self.propose.clone().unwrap_or_default();
        let mut parsed = Vec::new();
        for (i, t) in targets.iter().enumerate() {
            parsed.push(self.target(&format!("target[{i}]"), t)?);
        }
        for (i, t) in table.target.iter().enumerate() {
            parsed.push(self.target(&format!("propose.target[{i}]"), t)?);
        }
        if parsed.is_empty() {
            return Err(Error::MissingField {
                field: "target (give --target \"total_t 400..800 ng/dL\" or [propose] target)"
                    .into(),
            });
        }
        let doses = regimen.doses();
        let index = match table.dose_line {
            Some(k) => {
                let k = usize::try_from(k).unwrap_or(usize::MAX);
                if k >= doses.len() || doses[k].every_h().is_none() {
                    return Err(Error::invalid(
                        "propose.dose_line",
                        k,
                        format!(
                            "the index of a repeating [[dose]] line (0 to {})",
                            doses.len().saturating_sub(1)
                        ),
                    ));
                }
                k
            }
            None => doses
                .iter()
                .position(|d| d.every_h().is_some())
                .ok_or_else(|| {
                    Error::invalid(
                        "dose",
                        "(no repeating line)",
                        "propose varies a repeating [[dose]] line (with `every`)",
                    )
                })?,
        };
        let line = doses[index].clone();
        let mut intervals_h = Vec::new();
        for (i, e) in table.every.iter().enumerate() {
            let field = format!("propose.every[{i}]");
            let h = units::parse_time_h(&field, e)?;
            positive_interval(&field, Some(e), h)?;
            intervals_h.push(h);
        }
        if intervals_h.is_empty() {
            intervals_h.push(line.every_h().expect("a repeating line"));
        }
        let label = crate::physiology::drugs::labels::label_dosing(line.drug(), line.route());
        let mut amounts = Vec::new();
        for (i, l) in table.levels.iter().enumerate() {
            let field = format!("propose.levels[{i}]");
            let a = units::parse_amount(&field, l)?;
            if a.kind != line.amount().kind {
                return Err(Error::InvalidUnit {
                    field,
                    value: l.clone(),
                    expected: line.amount().kind.accepted().into(),
                });
            }
            crate::error::positive(&format!("propose.levels[{i}]"), a.value)?;
            amounts.push(a.value);
        }
        if amounts.is_empty() {
            amounts = label.map(|l| l.amounts).ok_or_else(|| {
                Error::invalid(
                    "propose.levels",
                    "(none)",
                    format!(
                        "no label dose ladder is known for {} by {}: list the amounts to search",
                        line.drug(),
                        line.route()
                    ),
                )
            })?;
        }
        let mut settings = ProposeSettings::default();
        if let Some(n) = table.samples {
            if n == 0 || n > 1_000_000 {
                return Err(Error::invalid(
                    "propose.samples",
                    n,
                    "between 1 and 1000000 posterior draws",
                ));
            }
            settings.samples = n as usize;
        }
        if let Some(s) = table.seed {
            settings.seed = s;
        }
        Ok(ProposeProblem {
            subject: self.typical_subject()?,
            fit: f,
            line,
            amounts,
            intervals_h,
            targets: parsed,
            options: self.to_options()?,
            settings,
        })
    }

    /// One target window, checked against the axis' assays.
    fn target(&self, field: &str, s: &str) -> Result<Target> {
        let t = Target::parse(field, s)?;
        if !self.axis.assays().contains(&t.assay.name()) {
            return Err(Error::UnknownName {
                field: format!("{field}.assay"),
                value: t.assay.name().into(),
                known: format!(
                    "{} (for axis = \"{}\")",
                    self.axis.assays().join(", "),
                    self.axis
                ),
            });
        }
        Ok(t)
    }

    /// The precision-dosing parts of [`Scenario::validate`]: measured rows, the
    /// individual parameters of `[subject]`, `[propose]`.
    pub(super) fn check_precision(&self) -> Result<()> {
        self.measurements()?;
        self.residual()?;
        for (name, v) in self.individual_factors() {
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::invalid(
                    format!("subject.{name}"),
                    v,
                    "an individual parameter is a factor on the typical subject: a finite number > 0",
                ));
            }
        }
        if let Some(t) = &self.propose {
            for (i, e) in t.every.iter().enumerate() {
                let field = format!("propose.every[{i}]");
                let h = units::parse_time_h(&field, e)?;
                positive_interval(&field, Some(e), h)?;
            }
            for (i, l) in t.levels.iter().enumerate() {
                let field = format!("propose.levels[{i}]");
                crate::error::positive(&field, units::parse_amount(&field, l)?.value)?;
            }
            for (i, s) in t.target.iter().enumerate() {
                self.target(&format!("propose.target[{i}]"), s)?;
            }
        }
        Ok(())
    }
}
