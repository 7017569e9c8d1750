//! Validation of a whole scenario with field paths (`dose[1].amount`), and the helpers that
//! build those typed errors.

use super::*;

impl Scenario {
    /// Check the whole scenario without simulating: units, ranges, drugs and routes
    /// against the axis, times against the end of the run, labs and population.
    /// (Calibration to the subject's labs is checked by [`Scenario::to_model`].)
    pub fn validate(&self) -> Result<()> {
        let options = self.to_options()?;
        let end = options.duration_h;
        self.subject_labs()?;
        self.condition()?;
        self.hpt_params()?.validate()?;
        let model = self.axis.shared_model();
        let regimen = self.to_regimen()?;
        // the engine's own pre-flight: drugs, routes, units, channels, procedures, times, limits
        crate::engine::simulate::check(model, &regimen, &options)?;
        let steady = self.steady_lines(&regimen)?;
        self.check_labs(end)?;
        self.check_population()?;
        self.check_precision()?;
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

    pub(super) fn check_labs(&self, end: f64) -> Result<()> {
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
}

/// An unknown route: list the drug's routes if the drug is known, else every route.
pub(super) fn route_error(field: &str, drug_field: &str, drug: &str, route: &str) -> Error {
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

pub(super) fn route_names(d: &drugs::Drug) -> String {
    d.routes
        .iter()
        .map(|r| r.route.name())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn unknown_drug(field: &str, name: &str) -> Error {
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
pub(super) fn positive_interval(field: &str, written: Option<&str>, every_h: f64) -> Result<()> {
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
pub(super) fn checked_count(
    prefix: &str,
    count: Option<u64>,
    has_every: bool,
) -> Result<Option<u64>> {
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
pub(super) fn reprefix(e: Error, prefix: &str) -> Error {
    e.map_field(|field| match field.split_once('.') {
        Some((head, rest)) if head == "dose" || head == "procedure" => format!("{prefix}.{rest}"),
        _ => field,
    })
}

/// Age as `"45 yr"` (also `y`, `years`); must be in [0, 130].
pub(super) fn parse_age_years(field: &str, s: &str) -> Result<f64> {
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

pub(super) fn is_snake_case(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

pub(super) fn unknown_field(path: &str, allowed: &[&str]) -> Error {
    Error::UnknownField {
        field: path.into(),
        allowed: allowed.join(", "),
    }
}

/// 1-based "line:column" of byte offset `at` in `text`.
pub(super) fn line_col(text: &str, at: usize) -> String {
    let at = at.min(text.len());
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("{line}:{col}")
}

/// Collapse a multi-line message into one line.
pub(super) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
