//! `[[titration]]` tables: from the lines as written to the rules of
//! [`crate::clinic::titration`], and the titrated run.

use super::*;

impl Scenario {
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
    pub(super) fn titration_field(&self, e: Error) -> Error {
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
}

impl TitrationLine {
    /// The engine's rule for entry `i`; `doses` and `regimen` are the scenario's.
    pub(super) fn to_rule(
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
        let inverse = self.inverse.unwrap_or(false);
        let mut thresholds = Vec::new();
        if let Some(h) = high {
            thresholds.push(if inverse {
                Threshold::above_inverse(h, step)
            } else {
                Threshold::above(h, step)
            });
        }
        if let Some(l) = low {
            thresholds.push(if inverse {
                Threshold::below_inverse(l, step)
            } else {
                Threshold::below(l, step)
            });
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
