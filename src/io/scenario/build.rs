//! From a validated scenario to the engine's types: the model (calibrated to `[subject]`),
//! the regimen, the options, the lab draws, and the run itself.

use super::*;

impl Scenario {
    /// The axis model for this subject: default parameters, or calibrated to the
    /// baseline labs in `[subject]`, with its individual parameters (`t_clearance_factor`
    /// ...) applied.
    pub fn to_model(&self) -> Result<Box<dyn Model>> {
        self.typical_subject()?
            .model_with(&self.individual_factors())
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
            if let Some(m) = &s.method {
                o.method = Method::from_name(m).ok_or_else(|| {
                    let known: Vec<_> = Method::ALL.iter().map(|m| m.name()).collect();
                    Error::invalid(
                        "solver.method",
                        format!("\"{m}\""),
                        format!("must be one of {}", known.join(", ")),
                    )
                })?;
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

    /// Simulate the scenario. With `[[titration]]` rules this is
    /// [`Scenario::run_titrated`] with seed 0 (the decisions are dropped).
    pub fn run(&self) -> Result<Trajectory> {
        if self.titrations.is_empty() {
            self.simulate_with(&*self.to_model()?)
        } else {
            self.run_titrated(0).map(|(t, _)| t)
        }
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
    pub(super) fn steady_lines(&self, regimen: &Regimen) -> Result<usize> {
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

    /// The `[[lab]]` draws measured on `traj` (this scenario's run) with each assay's
    /// default CV and noise from `seed`: what `endocrine run --labs` writes.
    pub fn measure_labs(
        &self,
        traj: &Trajectory,
        seed: u64,
    ) -> Result<Vec<crate::clinic::labs::LabResult>> {
        let draws = self.lab_draws()?;
        crate::clinic::labs::measure(traj, &draws, &crate::clinic::labs::Assay::default_cv, seed)
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

    /// Length of the run, h.
    pub fn duration_h(&self) -> Result<f64> {
        let d = units::parse_time_h("duration", &self.duration)?;
        crate::error::positive("duration", d)
    }

    /// The subject's HPG baseline labs, and whether any was given.
    pub(super) fn subject_labs(&self) -> Result<(hpg::BaselineLabs, bool)> {
        let mut labs = hpg::BaselineLabs::default();
        let Some(s) = &self.subject else {
            return Ok((labs, false));
        };
        let allowed = self.axis.subject_fields();
        let given: [(&str, bool); 13] = [
            ("total_t", s.total_t.is_some()),
            ("lh", s.lh.is_some()),
            ("fsh", s.fsh.is_some()),
            ("e2", s.e2.is_some()),
            ("shbg", s.shbg.is_some()),
            ("weight", s.weight.is_some()),
            ("age", s.age.is_some()),
            ("condition", s.condition.is_some()),
            ("gland_mass", s.gland_mass.is_some()),
            (
                "residual_thyroid_function",
                s.residual_thyroid_function.is_some(),
            ),
            ("thyrosim", s.thyrosim.is_some()),
            ("sex", s.sex.is_some()),
            ("height", s.height.is_some()),
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

    /// The HPT parameters of `[subject]` (THYROSIM version, residual thyroid function,
    /// weight; sex and height for the 2022 set).
    pub(super) fn hpt_params(&self) -> Result<hpt::HptParams> {
        let Some(s) = &self.subject else {
            return Ok(hpt::HptParams::healthy());
        };
        let weight_kg = s
            .weight
            .as_ref()
            .map(|w| units::parse_weight_kg("subject.weight", w))
            .transpose()?;
        let sex = match s.sex.as_deref() {
            None | Some("male") => hpt::Sex::Male,
            Some("female") => hpt::Sex::Female,
            Some(other) => {
                return Err(Error::invalid(
                    "subject.sex",
                    other,
                    "must be \"male\" or \"female\"",
                ))
            }
        };
        let height_m = s
            .height
            .as_ref()
            .map(|h| units::parse_height_m("subject.height", h))
            .transpose()?;
        let mut p = match s.thyrosim.as_deref() {
            None | Some("2016") => {
                if let Some((field, _)) = [
                    ("subject.sex", s.sex.is_some()),
                    ("subject.height", height_m.is_some()),
                ]
                .into_iter()
                .find(|(_, set)| *set)
                {
                    return Err(Error::invalid(
                        field,
                        "set",
                        "sex and height enter only THYROSIM 2022: add thyrosim = \"2022\"",
                    ));
                }
                hpt::HptParams::healthy()
            }
            Some("2022") => hpt::HptParams::thyrosim_2022(
                sex,
                height_m.unwrap_or(1.70),
                weight_kg.unwrap_or(70.0),
            )?,
            Some(other) => {
                return Err(Error::invalid(
                    "subject.thyrosim",
                    other,
                    "must be \"2016\" (Han et al., default) or \"2022\" (Cruz-Loya et al.)",
                ))
            }
        };
        if let Some(r) = &s.residual_thyroid_function {
            let field = "subject.residual_thyroid_function";
            let f = units::parse_percent(field, r)?;
            if f > 1.0 {
                return Err(Error::invalid(
                    field,
                    r,
                    "must be between 0 % (athyreotic) and 100 % (healthy)",
                ));
            }
            p.residual_thyroid_function = f;
        }
        if let Some(w) = weight_kg {
            p.weight_kg = w;
        }
        Ok(p)
    }

    /// The HPA condition (healthy if absent).
    pub(super) fn condition(&self) -> Result<hpa::Condition> {
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
}

impl DoseLine {
    /// The engine's [`Dose`] for entry `i` of a run ending at `end_h`.
    pub(super) fn to_dose(&self, i: usize, end_h: f64) -> Result<Dose> {
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
