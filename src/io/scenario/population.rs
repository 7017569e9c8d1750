//! `[population]`: the cohort a scenario describes, and its checks.

use super::*;

impl Scenario {
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
                for (name, f) in self.individual_factors() {
                    crate::clinic::fit::apply_hpg(&mut params, name, f)?;
                }
                for (v, &f) in population.variability.iter().zip(factors) {
                    params.scale(&v.parameter, f)?;
                }
                Ok(Box::new(hpg::Hpg::try_new(params)?))
            }
            Axis::Hpa | Axis::Hpt => match population.variability.first() {
                None => self.to_model(),
                Some(v) => Err(Error::UnknownName {
                    field: "population.variability".into(),
                    value: v.parameter.clone(),
                    known: format!("(none yet for the {} axis)", self.axis),
                }),
            },
        }
    }

    /// The solver options of a cohort: [`Scenario::to_options`], and on the HPG axis, unless
    /// `[solver]` sets a method or a relative tolerance, [`SimOptions::for_cohort`]
    /// (Rodas4 at [`crate::COHORT_RTOL`]): a dosed HPG year costs about half the work of
    /// the single-run default there at the accuracy percentile bands need. The HPA and HPT
    /// axes keep Dopri5, which costs less on them (measurements in `docs/performance.md`).
    pub fn cohort_options(&self) -> Result<SimOptions> {
        let o = self.to_options()?;
        let chosen = self
            .solver
            .as_ref()
            .is_some_and(|s| s.method.is_some() || s.rtol.is_some());
        Ok(if self.axis == Axis::Hpg && !chosen {
            o.for_cohort()
        } else {
            o
        })
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

    /// Simulate the subjects of `shard` of `population` with this scenario (what
    /// `endocrine cohort` runs): each subject is [`Scenario::cohort_model`] on the scenario's
    /// regimen and options, titrated on its own measured labs if there are `[[titration]]`
    /// rules. Returns the cohort and, per rule, the share of the shard's subjects in range
    /// before and after titration (empty without rules). `on_subject_done` is called once
    /// per finished subject.
    pub fn run_cohort(
        &self,
        population: &crate::clinic::cohort::Population,
        shard: crate::clinic::cohort::Shard,
        on_subject_done: &(dyn Fn() + Sync),
    ) -> Result<(
        crate::clinic::cohort::Cohort,
        Vec<crate::clinic::titration::RangeShare>,
    )> {
        let (regimen, options) = (self.to_regimen()?, self.cohort_options()?);
        let rules = self.titration_rules(&regimen)?;
        let make = |f: &[f64]| self.cohort_model(population, f);
        if rules.is_empty() {
            let cohort = crate::clinic::cohort::simulate_cohort_shard(
                population,
                shard,
                make,
                &regimen,
                &options,
                on_subject_done,
            )?;
            return Ok((cohort, Vec::new()));
        }
        // each subject titrated on its own measured labs (noise seeded by the cohort seed)
        let t = crate::clinic::titration::simulate_cohort_titrated(
            population,
            shard,
            make,
            &regimen,
            &rules,
            &options,
            on_subject_done,
        )?;
        let shares = t.range_shares();
        Ok((t.cohort, shares))
    }

    pub(super) fn check_population(&self) -> Result<()> {
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
