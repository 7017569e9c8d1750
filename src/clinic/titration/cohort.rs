//! Titration across a cohort: each subject titrated on his own measured labs, the share in
//! range before and after, and the decisions CSV.

use super::*;
use crate::clinic::cohort::Shard;

/// A cohort run under titration rules (see [`simulate_cohort_titrated`]).
#[derive(Debug, Clone)]
pub struct TitratedCohort {
    /// The subjects' factors and joined trajectories.
    pub cohort: crate::clinic::cohort::Cohort,
    /// Per subject, its decisions in time order.
    pub decisions: Vec<Vec<Decision>>,
    /// Per subject and rule, the *true* assay value at the rule's first draw (the starting
    /// dose, before any change) and at its end-of-run check ([`end_check_time`]).
    pub checks: Vec<Vec<(Option<f64>, Option<f64>)>>,
    /// The rules.
    pub rules: Vec<TitrationRule>,
    /// Per rule, the end-of-run check time, h.
    pub end_check_h: Vec<Option<f64>>,
}

/// Share of a cohort in a rule's target range (no threshold matched), before and after
/// titration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RangeShare {
    /// Index of the rule.
    pub rule: usize,
    /// Subjects with both values (a run that stopped early lacks the later one).
    pub n: usize,
    /// Time of the first draw, h (the same for every subject).
    pub first_check_h: f64,
    /// Time of the end-of-run check, h.
    pub end_check_h: f64,
    /// Share in range at the first draw, on the starting dose (0–1).
    pub before: f64,
    /// Share in range at the end-of-run check, after every change (0–1).
    pub after: f64,
}

impl TitratedCohort {
    /// Per rule, the share of subjects in its range before and after titration, judged on
    /// the true assay value (the truth, not one noisy measurement, so the share reflects the
    /// subjects' exposure; the rules themselves act on the measured values).
    pub fn range_shares(&self) -> Vec<RangeShare> {
        (0..self.rules.len())
            .map(|r| {
                let pairs: Vec<(f64, f64)> = self
                    .checks
                    .iter()
                    .filter_map(|c| match c[r] {
                        (Some(b), Some(a)) => Some((b, a)),
                        _ => None,
                    })
                    .collect();
                let n = pairs.len();
                let share = |f: &dyn Fn(&(f64, f64)) -> f64| {
                    if n == 0 {
                        f64::NAN
                    } else {
                        pairs
                            .iter()
                            .filter(|p| in_range(&self.rules[r], f(p)))
                            .count() as f64
                            / n as f64
                    }
                };
                let first_check_h = self
                    .decisions
                    .iter()
                    .find_map(|d| d.iter().find(|x| x.rule == r).map(|x| x.time_h))
                    .unwrap_or(f64::NAN);
                RangeShare {
                    rule: r,
                    n,
                    first_check_h,
                    end_check_h: self.end_check_h[r].unwrap_or(f64::NAN),
                    before: share(&|p| p.0),
                    after: share(&|p| p.1),
                }
            })
            .collect()
    }
}

/// SplitMix64: the assay-noise seed of cohort subject `i` (independent of thread order).
pub(super) fn subject_seed(seed: u64, i: usize) -> u64 {
    let mut z = seed.wrapping_add((i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Simulate the subjects of `shard` of `population` ([`Shard::WHOLE`] for all of them),
/// each titrated by `rules` on its own measured labs (assay noise from `seed` and the
/// subject's index, so the cohort is the same for any thread count and any split into
/// shards). Rows include the dose rows (every subject has the same times, so they
/// stay aligned) and an exact row at each rule's end-of-run check.
pub fn simulate_cohort_titrated<F>(
    population: &crate::clinic::cohort::Population,
    shard: Shard,
    make: F,
    regimen: &Regimen,
    rules: &[TitrationRule],
    options: &SimOptions,
    on_subject_done: &(dyn Fn() + Sync),
) -> Result<TitratedCohort>
where
    F: Fn(&[f64]) -> Result<Box<dyn Model>> + Sync,
{
    let end_check_h: Vec<Option<f64>> = rules
        .iter()
        .map(|r| end_check_time(regimen, r, options.duration_h))
        .collect();
    let mut options = options.clone();
    options.dose_rows = true; // the end check reads the pre-dose row at a dose time
    options
        .sample_times_h
        .extend(end_check_h.iter().flatten().copied());
    options.sample_times_h.sort_by(f64::total_cmp);
    options.sample_times_h.dedup();
    options.validate()?;
    population.validate()?;
    let subjects = shard.subjects(population.n)?;
    let first_subject = subjects.start;
    let runs = crate::clinic::cohort::run_subjects(
        population,
        subjects,
        make,
        |i, model| {
            let (tr, dec) = simulate_titrated(
                model,
                regimen,
                rules,
                &options,
                subject_seed(population.seed, i),
            )?;
            let checks = rules
                .iter()
                .enumerate()
                .map(|(r, rule)| {
                    let before = dec.iter().find(|d| d.rule == r).map(|d| d.true_value);
                    let after = end_check_h[r].and_then(|t| {
                        measure(
                            &tr,
                            &[LabDraw {
                                t_h: t,
                                assays: vec![rule.assay],
                            }],
                            &|_| 0.0,
                            0,
                        )
                        .ok()
                        .map(|v| v[0].true_value)
                    });
                    (before, after)
                })
                .collect::<Vec<_>>();
            Ok((tr, dec, checks))
        },
        on_subject_done,
    )?;
    let mut factors = Vec::with_capacity(runs.len());
    let mut subjects = Vec::with_capacity(runs.len());
    let mut decisions = Vec::with_capacity(runs.len());
    let mut checks = Vec::with_capacity(runs.len());
    for (f, (tr, dec, c)) in runs {
        factors.push(f);
        subjects.push(tr);
        decisions.push(dec);
        checks.push(c);
    }
    Ok(TitratedCohort {
        cohort: crate::clinic::cohort::Cohort {
            first_subject,
            factors,
            subjects,
        },
        decisions,
        checks,
        rules: rules.to_vec(),
        end_check_h,
    })
}

/// The columns of the decisions CSV, in order.
pub const DECISIONS_CSV_COLUMNS: [&str; 10] = [
    "rule",
    "time_h",
    "assay",
    "measured",
    "true_value",
    "unit",
    "old_amount",
    "new_amount",
    "amount_unit",
    "action",
];

/// Write decisions as CSV (for a `--decisions OUT.csv`) with the [`DECISIONS_CSV_COLUMNS`].
pub fn write_decisions_csv<W: std::io::Write>(
    decisions: &[Decision],
    mut w: W,
) -> std::io::Result<()> {
    writeln!(w, "{}", DECISIONS_CSV_COLUMNS.join(","))?;
    for d in decisions {
        writeln!(
            w,
            "{},{},{},{:.6},{:.6},{},{},{},{},{}",
            d.rule,
            d.time_h,
            d.assay.name(),
            d.measured,
            d.true_value,
            d.assay.unit(),
            d.old_amount.value,
            d.new_amount.value,
            d.old_amount.kind.unit(),
            d.action.name()
        )?;
    }
    Ok(())
}
