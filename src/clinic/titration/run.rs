//! The titrated run: the draw schedule, the regimen of each piece between decisions, and
//! the joined trajectory.

use super::*;

/// Draw times of every rule, as (time, rule), sorted by time then rule.
pub(super) fn draw_schedule(
    regimen: &Regimen,
    rules: &[TitrationRule],
    duration_h: f64,
) -> Result<Vec<(f64, usize)>> {
    let mut out = Vec::new();
    for (i, r) in rules.iter().enumerate() {
        let line = &regimen.doses()[r.dose_line];
        for (k, &d) in r.check_days.iter().enumerate() {
            let field = format!("titration[{i}].check_days[{k}]");
            let ta = first_admin_at_or_after(line, d * 24.0).ok_or_else(|| {
                Error::invalid(
                    &field,
                    format!("{d} d"),
                    format!(
                        "dose[{}] has no administration on or after this day",
                        r.dose_line
                    ),
                )
            })?;
            let t = match r.draw {
                DrawTiming::PreDose { hours_before } => ta - hours_before,
                DrawTiming::PostDose { hours_after } => ta + hours_after,
            };
            if !(t > 0.0 && t < duration_h) {
                return Err(Error::invalid(
                    &field,
                    format!("{d} d"),
                    format!("the draw at {t} h falls outside the run (0, {duration_h}) h"),
                ));
            }
            out.push((t, i));
        }
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    Ok(out)
}

/// The part of `regimen` in `[s, e)`, re-expressed from `s`, with the current amounts.
pub(super) fn piece_regimen(regimen: &Regimen, amounts: &[f64], s: f64, e: f64) -> Result<Regimen> {
    let mut out = Regimen::new();
    let mut ended: Option<usize> = None;
    let mut continuing: Option<usize> = None;
    for (i, d) in regimen.doses().iter().enumerate() {
        if let Some(dur) = d.duration_h() {
            if d.times_h().any(|t| t < s - EPS_H && t + dur > s + EPS_H) {
                return Err(Error::invalid(
                    format!("dose[{i}].duration"),
                    dur,
                    format!("an infusion runs across the titration draw at {s} h; move the draw or shorten the infusion"),
                ));
            }
        }
        let times: Vec<f64> = d
            .times_h()
            .filter(|&t| t >= s - EPS_H && t < e - EPS_H)
            .collect();
        if times.is_empty() {
            if d.last_h() < s - EPS_H {
                ended.get_or_insert(i);
            }
            continue;
        }
        continuing.get_or_insert(i);
        let amount = Amount {
            value: amounts[i],
            kind: d.amount().kind,
        };
        let mut nd = Dose::new(d.drug(), d.route(), amount, (times[0] - s).max(0.0))
            .map_err(|e| e.map_field(|f| f.replacen("dose", &format!("dose[{i}]"), 1)))?;
        if let Some(every) = d.every_h() {
            nd = nd.every(every, times.len() as u64)?;
        }
        if let Some(dur) = d.duration_h() {
            nd = nd.over(dur)?;
        }
        out = out.with(nd);
    }
    if let (Some(j), Some(i)) = (ended, continuing) {
        return Err(Error::invalid(
            format!("dose[{j}].count"),
            regimen.doses()[j].count(),
            format!("this line ends before the titration draw at {s} h while dose[{i}] goes on; extend it or split the run"),
        ));
    }
    for p in regimen.procedures() {
        if p.at_h() >= s - EPS_H && p.at_h() < e - EPS_H {
            out = out.with_procedure(Procedure::new(p.name(), (p.at_h() - s).max(0.0))?);
        }
    }
    Ok(out)
}

/// Simulate `regimen` on `model` while `rules` titrate its dose lines from measured labs.
///
/// Returns the joined trajectory (rows on `options`' grid, sample times, the draws and the
/// dose rows, as one run would give) and every draw's [`Decision`], in time order. The
/// assay noise comes from `seed` (ChaCha8, one stream per draw), so a seed fixes the run.
/// If the solver stops early, the trajectory ends there and the decisions made so far are
/// returned.
pub fn simulate_titrated(
    model: &dyn Model,
    regimen: &Regimen,
    rules: &[TitrationRule],
    options: &SimOptions,
    seed: u64,
) -> Result<(Trajectory, Vec<Decision>)> {
    simulate_titrated_with_cv(model, regimen, rules, options, seed, &|a| a.default_cv())
}

/// [`simulate_titrated`] with the measurement CV of each assay given by `cv` instead of
/// its analytical CV ([`Assay::default_cv`]): e.g. analytical plus within-subject
/// variation, to judge a rule on the noise a patient's labs really have.
pub fn simulate_titrated_with_cv(
    model: &dyn Model,
    regimen: &Regimen,
    rules: &[TitrationRule],
    options: &SimOptions,
    seed: u64,
    cv: &dyn Fn(Assay) -> f64,
) -> Result<(Trajectory, Vec<Decision>)> {
    check(model, regimen, options)?;
    validate_rules(model, regimen, rules)?;
    let end = options.duration_h;
    let schedule = draw_schedule(regimen, rules, end)?;
    let mut cuts: Vec<f64> = schedule.iter().map(|&(t, _)| t).collect();
    cuts.dedup_by(|a, b| (*a - *b).abs() <= EPS_H);
    cuts.push(end);

    let dt = options.output_every_h;
    let n_grid = options.grid_rows();
    let on_global_grid = |t: f64| {
        let k = (t / dt).round();
        k >= 0.0 && (k as u64) < n_grid && (k * dt - t).abs() <= EPS_H * t.abs().max(1.0)
    };

    let mut amounts: Vec<f64> = regimen.doses().iter().map(|d| d.amount().value).collect();
    let mut last_change: Vec<f64> = rules
        .iter()
        .map(|r| regimen.doses()[r.dose_line].at_h())
        .collect();
    let mut decisions = Vec::new();
    let mut joined: Option<Trajectory> = None;
    let mut state: Option<Vec<f64>> = None;
    let mut s = 0.0;
    let mut draw_no = 0u64;

    for &e in &cuts {
        let len = e - s;
        let mut samples: Vec<f64> = (0..n_grid)
            .map(|k| k as f64 * dt)
            .chain(options.sample_times_h.iter().copied())
            .filter(|&t| t > s + EPS_H && t < e - EPS_H)
            .map(|t| t - s)
            .collect();
        samples.sort_by(f64::total_cmp);
        let mut o = options.clone();
        o.duration_h = len;
        o.output_every_h = len;
        o.sample_times_h = samples;
        let piece_reg = piece_regimen(regimen, &amounts, s, e)?;
        let piece = match &state {
            None => simulate(model, &piece_reg, &o)?,
            Some(y) => {
                // no dose left: continue on the model's states alone (see the module's limits)
                let n_model = model.state_names().len();
                let y = if piece_reg.doses().is_empty() {
                    &y[..n_model]
                } else {
                    &y[..]
                };
                simulate_from(model, &piece_reg, &o, y)?
            }
        };
        let completed = piece.outcome().is_completed();
        joined = Some(append(
            joined,
            &piece,
            s,
            state.is_none(),
            &on_global_grid,
            end,
        ));
        state = Some(piece.final_state().to_vec());
        if !completed {
            break;
        }
        // draws at e
        for &(t, i) in schedule.iter().filter(|(t, _)| (t - e).abs() <= EPS_H) {
            let r = &rules[i];
            let lab = measure(
                &piece,
                &[LabDraw {
                    t_h: len,
                    assays: vec![r.assay],
                }],
                cv,
                seed ^ (draw_no + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            )
            .map_err(|err| err.map_field(|_| format!("titration[{i}].assay")))?[0];
            draw_no += 1;
            let old = amounts[r.dose_line];
            let hit = r.thresholds.iter().find(|th| match th.side {
                Side::Above => lab.value > th.value,
                Side::Below => lab.value < th.value,
            });
            let (new, action) = match hit {
                None => (old, Action::InRange),
                Some(th) => {
                    let target = stepped(r, th, old);
                    if (target - old).abs() <= 1e-12 * old.abs().max(1.0) {
                        (old, Action::AtLimit)
                    } else if t - last_change[i] < r.min_days_between_changes * 24.0 - 1e-6 {
                        (old, Action::TooSoon)
                    } else if target > old {
                        (target, Action::Increase)
                    } else {
                        (target, Action::Decrease)
                    }
                }
            };
            if new != old {
                amounts[r.dose_line] = new;
                last_change[i] = t;
            }
            let kind = regimen.doses()[r.dose_line].amount().kind;
            decisions.push(Decision {
                rule: i,
                time_h: t,
                assay: r.assay,
                measured: lab.value,
                true_value: lab.true_value,
                old_amount: Amount { value: old, kind },
                new_amount: Amount { value: new, kind },
                action,
            });
        }
        s = e;
    }
    Ok((joined.expect("at least one piece"), decisions))
}

/// Append `piece` (local times from 0) shifted by `s` to `acc`, dropping its first row
/// when it repeats the previous piece's last one, and relabelling rows on the global grid.
pub(super) fn append(
    acc: Option<Trajectory>,
    piece: &Trajectory,
    s: f64,
    first: bool,
    on_grid: &dyn Fn(f64) -> bool,
    end: f64,
) -> Trajectory {
    let mut acc = acc.unwrap_or_else(|| Trajectory {
        columns: piece.columns.clone(),
        times_h: Vec::new(),
        values: Vec::new(),
        kinds: Vec::new(),
        events: Vec::new(),
        stats: SolverStats::default(),
        outcome: Outcome::Completed,
        final_state: Vec::new(),
    });
    let ncol = acc.columns.len();
    for i in 0..piece.len() {
        let local = piece.times_h[i];
        let kind = piece.kinds[i];
        let plain = matches!(kind, RowKind::Grid | RowKind::Sample | RowKind::End);
        if !first && local == 0.0 && plain {
            continue;
        }
        let t = s + local;
        let kind = if plain {
            if on_grid(t) {
                RowKind::Grid
            } else if (t - end).abs() <= EPS_H {
                RowKind::End
            } else {
                RowKind::Sample
            }
        } else {
            kind
        };
        acc.times_h.push(t);
        // a later piece may dose a drug the earlier ones did not: keep the first layout
        let row = piece.row(i);
        acc.values.extend((0..ncol).map(|j| {
            let name = &acc.columns[j].column;
            piece.column_index(name).map_or(f64::NAN, |k| row[k])
        }));
        acc.kinds.push(kind);
    }
    acc.events.extend(piece.events.iter().map(|ev| {
        let mut ev = ev.clone();
        ev.t_h += s;
        ev
    }));
    acc.stats.rhs_evals += piece.stats.rhs_evals;
    acc.stats.accepted_steps += piece.stats.accepted_steps;
    acc.stats.rejected_steps += piece.stats.rejected_steps;
    acc.stats.segments += piece.stats.segments;
    acc.outcome = match piece.outcome {
        Outcome::MaxStepsReached { t_h } => Outcome::MaxStepsReached { t_h: t_h + s },
        Outcome::StepSizeUnderflow { t_h } => Outcome::StepSizeUnderflow { t_h: t_h + s },
        o => o,
    };
    acc.final_state = piece.final_state.clone();
    acc
}

/// Time of the end-of-run check of `rule`: drawn as its `check_at` draws are (around the
/// line's first administration of a day, e.g. the morning dose of a twice-daily line), on
/// the last day whose draw falls inside the run (`None` if none does).
pub fn end_check_time(regimen: &Regimen, rule: &TitrationRule, duration_h: f64) -> Option<f64> {
    let line = regimen.doses().get(rule.dose_line)?;
    let last_day = (line.last_h() / 24.0).floor() as i64;
    (0..=last_day).rev().find_map(|day| {
        let ta = first_admin_at_or_after(line, day as f64 * 24.0)?;
        let t = match rule.draw {
            DrawTiming::PreDose { hours_before } => ta - hours_before,
            DrawTiming::PostDose { hours_after } => ta + hours_after,
        };
        (t > 0.0 && t <= duration_h + EPS_H).then_some(t.min(duration_h))
    })
}
