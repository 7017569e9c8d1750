//! Virtual cohorts: many subjects drawn with log-normal inter-individual variability,
//! simulated in parallel, summarised as percentiles over time and per-subject exposure.
//!
//! Variability follows the pharmacometric convention (NONMEM/mrgsolve `$OMEGA`):
//! parameter = typical value × exp(η), η ~ N(0, ω²), with ω² = ln(1 + CV²), so the
//! typical value is the population *median* and CV is the coefficient of variation of the
//! log-normal distribution.
//!
//! Subject *i* draws its η from a ChaCha8 stream seeded by (seed, i) alone, so a cohort is
//! identical whatever the number of threads or the order in which subjects run.

use crate::engine::model::Model;
use crate::engine::options::SimOptions;
use crate::engine::regimen::Regimen;
use crate::engine::simulate::simulate;
use crate::engine::trajectory::{Outcome, Trajectory};
use crate::error::{Error, Result};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

/// Largest cohort accepted.
pub const MAX_SUBJECTS: usize = 1_000_000;
/// The percentiles reported per time point.
pub const PERCENTILES: [f64; 5] = [5.0, 25.0, 50.0, 75.0, 95.0];

/// Log-normal variability on one named parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Variability {
    /// Parameter name as the model knows it.
    pub parameter: String,
    /// Coefficient of variation (0.25 for 25 %).
    pub cv: f64,
}

/// A population: size, seed and variability.
#[derive(Debug, Clone, PartialEq)]
pub struct Population {
    /// Number of subjects.
    pub n: usize,
    /// Seed of the random draws.
    pub seed: u64,
    /// Variability per named parameter.
    pub variability: Vec<Variability>,
}

impl Population {
    /// Validate sizes and CVs.
    pub fn validate(&self) -> Result<()> {
        if self.n == 0 || self.n > MAX_SUBJECTS {
            return Err(Error::LimitExceeded {
                field: "population.n".into(),
                requested: self.n.to_string(),
                limit: format!("1..={MAX_SUBJECTS}"),
                hint: "choose a cohort size of at least 1".into(),
            });
        }
        for v in &self.variability {
            if !(v.cv.is_finite() && (0.0..=5.0).contains(&v.cv)) {
                return Err(Error::invalid(
                    format!("population.variability.{}", v.parameter),
                    v.cv,
                    "a CV must be between 0 % and 500 %",
                ));
            }
        }
        Ok(())
    }

    /// The multiplicative factors exp(η) of subject `i`, one per variability entry.
    pub fn factors(&self, i: usize) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(i as u64);
        self.variability
            .iter()
            .map(|v| {
                let z: f64 = StandardNormal.sample(&mut rng);
                let omega = (1.0 + v.cv * v.cv).ln().sqrt();
                (omega * z).exp()
            })
            .collect()
    }
}

/// Exposure of one subject in one column over a window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SubjectSummary {
    /// Time-average (trapezoid).
    pub cavg: f64,
    /// Minimum on the output grid.
    pub cmin: f64,
    /// Maximum on the output grid.
    pub cmax: f64,
    /// Hours below the threshold (linear interpolation between rows).
    pub hours_below: f64,
}

/// Percentiles over time plus per-subject trajectories.
#[derive(Debug, Clone)]
pub struct Cohort {
    /// Index in the population of the first subject here (0 unless this is a later
    /// [`Shard`]); `subjects[k]` is subject `first_subject + k`.
    pub first_subject: usize,
    /// Per-subject factors, in subject order.
    pub factors: Vec<Vec<f64>>,
    /// Per-subject trajectories, in subject order.
    pub subjects: Vec<Trajectory>,
}

/// The name of the subject-index column of per-subject rows.
pub const SUBJECT_COLUMN: &str = "subject";

/// One of `count` contiguous blocks of a population's subjects, so that a scheduler can run
/// a cohort in pieces anywhere: subject *i*'s draws depend on the seed and *i* alone, so the
/// shards of any split together hold exactly the subjects of the unsplit run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which block, from 0.
    pub index: usize,
    /// How many blocks.
    pub count: usize,
}

impl Shard {
    /// The whole population as one block.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// The subjects of this shard among `n`: block `index` of `count` blocks whose sizes
    /// differ by at most one (`n·index/count .. n·(index+1)/count`). Errors for
    /// `count` = 0, `count` > `n` (an empty shard) and `index` >= `count`.
    pub fn subjects(self, n: usize) -> Result<std::ops::Range<usize>> {
        if self.count == 0 || self.count > n {
            return Err(Error::LimitExceeded {
                field: "shards".into(),
                requested: self.count.to_string(),
                limit: format!("1..={n} (population.n)"),
                hint: "choose at most one shard per subject".into(),
            });
        }
        if self.index >= self.count {
            return Err(Error::invalid(
                "shard",
                self.index,
                format!(
                    "a shard index runs from 0 to shards - 1 = {}",
                    self.count - 1
                ),
            ));
        }
        let bound = |k: usize| (n as u128 * k as u128 / self.count as u128) as usize;
        Ok(bound(self.index)..bound(self.index + 1))
    }
}

/// The [`PERCENTILES`] of `values`, as [`percentile_sorted`] gives them on the sorted
/// values (NaN sorts last). `values` is reordered in place but not fully sorted: each
/// rank that a percentile needs is found by selection (expected linear time), which is
/// what a cohort's percentile table costs per time and column instead of a sort.
pub fn percentiles_of(values: &mut [f64]) -> [f64; 5] {
    let n = values.len();
    if n == 0 {
        return [f64::NAN; 5];
    }
    let mut start = 0; // values[..start] hold the `start` smallest (in no particular order)
    PERCENTILES.map(|p| {
        let h = (n - 1) as f64 * p / 100.0;
        let lo = h.floor() as usize;
        let hi = (lo + 1).min(n - 1);
        // ranks are visited in ascending order: select within the part not yet placed
        if lo >= start {
            values[start..].select_nth_unstable_by(lo - start, f64::total_cmp);
        }
        let v_lo = values[lo];
        let v_hi = if hi == lo {
            v_lo
        } else {
            // the (lo + 1)-th smallest is the least of what lies above rank lo
            let above = &values[lo + 1..];
            above.iter().copied().min_by(f64::total_cmp).unwrap_or(v_lo)
        };
        start = lo + 1;
        v_lo + (h - lo as f64) * (v_hi - v_lo)
    })
}

/// The percentile column names of `columns`: `<column>_p5 … _p95` for each, in order.
pub fn percentile_columns(columns: &[String]) -> Vec<String> {
    columns
        .iter()
        .flat_map(|c| PERCENTILES.map(|p| format!("{c}_p{p}")))
        .collect()
}

/// `p`-th percentile (0–100) of sorted data by linear interpolation between closest ranks
/// (Hyndman & Fan 1996 definition 7, the default of R and NumPy).
pub fn percentile_sorted(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * p / 100.0;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Simulate `population.n` subjects; `make(factors)` builds subject *i*'s model from its
/// factors (in the order of `population.variability`).
pub fn simulate_cohort<F>(
    population: &Population,
    make: F,
    regimen: &Regimen,
    options: &SimOptions,
) -> Result<Cohort>
where
    F: Fn(&[f64]) -> Result<Box<dyn Model>> + Sync,
{
    simulate_cohort_with_progress(population, make, regimen, options, &|| {})
}

/// [`simulate_cohort`], calling `on_subject_done` once per finished subject (from any
/// thread), e.g. to advance a progress bar. Results do not depend on it.
pub fn simulate_cohort_with_progress<F>(
    population: &Population,
    make: F,
    regimen: &Regimen,
    options: &SimOptions,
    on_subject_done: &(dyn Fn() + Sync),
) -> Result<Cohort>
where
    F: Fn(&[f64]) -> Result<Box<dyn Model>> + Sync,
{
    simulate_cohort_shard(
        population,
        Shard::WHOLE,
        make,
        regimen,
        options,
        on_subject_done,
    )
}

/// [`simulate_cohort_with_progress`] for the subjects of one `shard` only.
pub fn simulate_cohort_shard<F>(
    population: &Population,
    shard: Shard,
    make: F,
    regimen: &Regimen,
    options: &SimOptions,
    on_subject_done: &(dyn Fn() + Sync),
) -> Result<Cohort>
where
    F: Fn(&[f64]) -> Result<Box<dyn Model>> + Sync,
{
    population.validate()?;
    let subjects = shard.subjects(population.n)?;
    let first_subject = subjects.start;
    let mut options = options.clone();
    options.dose_rows = false; // one row per grid time, aligned across subjects
    let runs = run_subjects(
        population,
        subjects,
        make,
        |_, model| simulate(model, regimen, &options),
        on_subject_done,
    )?;
    let (factors, subjects) = runs.into_iter().unzip();
    Ok(Cohort {
        first_subject,
        factors,
        subjects,
    })
}

/// Run each subject of `subjects` (e.g. [`Shard::subjects`]) in
/// parallel: `make(factors)` builds subject *i*'s model and `run(i, model)` simulates it;
/// `on_subject_done` is called once per finished subject. Returns (factors, result) in
/// subject order.
pub(crate) fn run_subjects<F, R, T>(
    population: &Population,
    subjects: std::ops::Range<usize>,
    make: F,
    run: R,
    on_subject_done: &(dyn Fn() + Sync),
) -> Result<Vec<(Vec<f64>, T)>>
where
    F: Fn(&[f64]) -> Result<Box<dyn Model>> + Sync,
    R: Fn(usize, &dyn Model) -> Result<T> + Sync,
    T: Send,
{
    subjects
        .into_par_iter()
        .map(|i| {
            let f = population.factors(i);
            let model = make(&f)?;
            let out = run(i, model.as_ref())?;
            on_subject_done();
            Ok((f, out))
        })
        .collect()
}

impl Cohort {
    /// Subjects whose run did not complete, with their outcome.
    pub fn failures(&self) -> Vec<(usize, Outcome)> {
        self.subjects
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.outcome().is_completed())
            .map(|(i, t)| (i, t.outcome()))
            .collect()
    }

    /// Times and, per column and time, the [`PERCENTILES`] across subjects.
    /// Returns (times, column names, `values[time][column][percentile]`).
    pub fn percentiles(&self) -> (Vec<f64>, Vec<String>, Vec<Vec<[f64; 5]>>) {
        let Some(first) = self.subjects.first() else {
            return (Vec::new(), Vec::new(), Vec::new());
        };
        let times = first.times_h().to_vec();
        let cols: Vec<String> = first.columns().iter().map(|c| c.column.clone()).collect();
        let rows: Vec<Vec<[f64; 5]>> = (0..times.len())
            .into_par_iter()
            .map(|i| {
                let mut buf = Vec::with_capacity(self.subjects.len());
                (0..cols.len())
                    .map(|j| {
                        buf.clear();
                        buf.extend(
                            self.subjects
                                .iter()
                                .filter(|s| s.len() > i)
                                .map(|s| s.row(i)[j]),
                        );
                        percentiles_of(&mut buf)
                    })
                    .collect()
            })
            .collect();
        (times, cols, rows)
    }

    /// Exposure of every subject in `column` over [t0_h, t1_h], with `threshold` for the
    /// time-below count. `None` for an unknown column.
    pub fn summaries(
        &self,
        column: &str,
        t0_h: f64,
        t1_h: f64,
        threshold: f64,
    ) -> Option<Vec<SubjectSummary>> {
        self.subjects
            .iter()
            .map(|tr| {
                let j = tr.column_index(column)?;
                let pts: Vec<(f64, f64)> = (0..tr.len())
                    .filter(|&i| tr.times_h()[i] >= t0_h && tr.times_h()[i] <= t1_h)
                    .map(|i| (tr.times_h()[i], tr.row(i)[j]))
                    .collect();
                let hours_below = pts
                    .windows(2)
                    .map(|w| time_below(w[0], w[1], threshold))
                    .sum();
                Some(SubjectSummary {
                    cavg: tr.mean_in(column, t0_h, t1_h)?,
                    cmin: tr.min_in(column, t0_h, t1_h)?,
                    cmax: tr.max_in(column, t0_h, t1_h)?,
                    hours_below,
                })
            })
            .collect()
    }

    /// Write `time_h` and `<column>_p5 … _p95` per observable as CSV.
    pub fn write_percentiles_csv<W: std::io::Write>(&self, mut w: W) -> std::io::Result<()> {
        let (times, cols, rows) = self.percentiles();
        writeln!(w, "time_h,{}", percentile_columns(&cols).join(","))?;
        for (t, row) in times.iter().zip(&rows) {
            let mut line = t.to_string();
            for ps in row {
                for v in ps {
                    line.push(',');
                    line.push_str(&format!("{v:.6}"));
                }
            }
            writeln!(w, "{line}")?;
        }
        Ok(())
    }
}

/// Time a straight line from a to b spends below `thr`.
fn time_below(a: (f64, f64), b: (f64, f64), thr: f64) -> f64 {
    let dt = b.0 - a.0;
    match (a.1 < thr, b.1 < thr) {
        (true, true) => dt,
        (false, false) => 0.0,
        (true, false) => dt * (thr - a.1) / (b.1 - a.1),
        (false, true) => dt * (a.1 - thr) / (a.1 - b.1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_match_type_7_definition() {
        // numpy.percentile([1, 2, 3, 4], [5, 25, 50, 75, 95]) = 1.15, 1.75, 2.5, 3.25, 3.85
        let d = [1.0, 2.0, 3.0, 4.0];
        let got = PERCENTILES.map(|p| percentile_sorted(&d, p));
        for (g, e) in got.iter().zip([1.15, 1.75, 2.5, 3.25, 3.85]) {
            assert!((g - e).abs() < 1e-12);
        }
        assert_eq!(percentile_sorted(&[7.0], 95.0), 7.0);
    }

    /// Selection gives what sorting gives (definition 7 on the sorted data), for every
    /// size from 1 to 60, with ties and NaN.
    #[test]
    fn percentiles_by_selection_equal_percentiles_of_the_sorted_data() {
        let mut x = 0.123_f64;
        for n in 1..=60 {
            let mut v: Vec<f64> = (0..n)
                .map(|i| {
                    x = (x * 997.0 + 0.31).fract(); // a deterministic scramble
                    if i % 7 == 3 {
                        1.0 // ties
                    } else if n > 40 && i == 5 {
                        f64::NAN
                    } else {
                        x
                    }
                })
                .collect();
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            let want = PERCENTILES.map(|p| percentile_sorted(&sorted, p));
            let got = percentiles_of(&mut v);
            for (g, w) in got.iter().zip(&want) {
                assert!(
                    g.to_bits() == w.to_bits() || g == w,
                    "n {n}: {got:?} vs {want:?}"
                );
            }
        }
        assert!(percentiles_of(&mut []).iter().all(|v| v.is_nan()));
    }

    #[test]
    fn log_normal_factors_have_the_requested_cv_and_median() {
        let pop = Population {
            n: 20_000,
            seed: 3,
            variability: vec![Variability {
                parameter: "x".into(),
                cv: 0.3,
            }],
        };
        let mut f: Vec<f64> = (0..pop.n).map(|i| pop.factors(i)[0]).collect();
        let mean = f.iter().sum::<f64>() / f.len() as f64;
        let sd = (f.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (f.len() - 1) as f64).sqrt();
        // log-normal with ω² = ln(1 + CV²): CV of the factor = CV, median = 1
        assert!((sd / mean - 0.3).abs() < 0.01, "cv {}", sd / mean);
        f.sort_by(f64::total_cmp);
        assert!((percentile_sorted(&f, 50.0) - 1.0).abs() < 0.01);
        // same seed and index, same draw
        assert_eq!(pop.factors(17), pop.factors(17));
        assert_ne!(pop.factors(17), pop.factors(18));
    }

    #[test]
    fn time_below_interpolates() {
        assert_eq!(time_below((0.0, 1.0), (2.0, 3.0), 2.0), 1.0);
        assert_eq!(time_below((0.0, 3.0), (4.0, 1.0), 2.0), 2.0);
    }
}
