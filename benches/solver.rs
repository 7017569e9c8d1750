//! The integration methods side by side (issue 15): a dosed HPG year per method with its
//! solver work, cohort throughput per method, and how the cost of each method grows with
//! the number of doses, the horizon and the output density. Each method runs at the
//! tolerance its default uses (Dopri5: rtol 1e-6, `SimOptions::new`; Rodas4:
//! `COHORT_RTOL`, `SimOptions::for_cohort`), both with atol 1e-9.
//!
//! The solver statistics are printed once per case on stderr before timing
//! (`steps/rejected/RHS/Jacobian/LU`).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use endocrine::axes::hpg::{Hpg, HpgParams};
use endocrine::cohort::{simulate_cohort, Population, Variability};
use endocrine::{simulate, Amount, Dose, Method, Model, Regimen, Route, SimOptions};
use std::hint::black_box;

const YEAR_H: f64 = 365.0 * 24.0;
const METHODS: [Method; 2] = [Method::Dopri5, Method::Rodas4];

fn options(method: Method, duration_h: f64, every_h: f64) -> SimOptions {
    let o = SimOptions::new(duration_h, every_h).unwrap();
    match method {
        Method::Rodas4 => o.for_cohort(),
        _ => o,
    }
}

fn report(label: &str, man: &dyn Model, r: &Regimen, o: &SimOptions) {
    let s = simulate(man, r, o).unwrap().stats();
    eprintln!(
        "{label} {:?}: {} steps, {} rejected, {} RHS, {} Jacobians, {} LU, {} segments",
        o.method,
        s.accepted_steps,
        s.rejected_steps,
        s.rhs_evals,
        s.jacobian_evals,
        s.lu_decompositions,
        s.segments
    );
}

/// TE 100 mg IM weekly for a year (52 doses), daily and hourly output.
fn dosed_year(c: &mut Criterion) {
    let man = Hpg::healthy();
    let r = endocrine::reference::te_100mg_weekly_year();
    let mut g = c.benchmark_group("method_dosed_year");
    for m in METHODS {
        for (label, every) in [("daily", 24.0), ("hourly", 1.0)] {
            let o = options(m, YEAR_H, every);
            report(&format!("dosed year {label}"), &man, &r, &o);
            g.bench_function(format!("{}_{label}", m.name()), |b| {
                b.iter(|| black_box(simulate(black_box(&man), &r, &o).unwrap()))
            });
        }
    }
    g.finish();
}

/// 1,000 men, a year on TE 100 mg weekly, daily output, T clearance and depot absorption
/// CV 30 % (rayon, all cores).
fn cohort(c: &mut Criterion) {
    let r = endocrine::reference::te_100mg_weekly_year();
    let make = |f: &[f64]| -> endocrine::Result<Box<dyn Model>> {
        let mut p = HpgParams::healthy();
        p.scale("testosterone_clearance", f[0])?;
        p.scale("depot_absorption_rate", f[1])?;
        Ok(Box::new(Hpg::new(p)))
    };
    let pop = Population {
        n: 1_000,
        seed: 1,
        variability: ["testosterone_clearance", "depot_absorption_rate"]
            .map(|p| Variability {
                parameter: p.into(),
                cv: 0.3,
            })
            .to_vec(),
    };
    let mut g = c.benchmark_group("method_cohort");
    g.sample_size(10);
    for m in METHODS {
        let o = options(m, YEAR_H, 24.0);
        g.bench_function(format!("{}_1000_subject_years_daily", m.name()), |b| {
            b.iter(|| black_box(simulate_cohort(&pop, make, &r, &o).unwrap()))
        });
    }
    g.finish();
}

/// Growth with doses (the same 5,200 mg of enanthate over 1 … 1,000 doses in a year),
/// horizon (weekly 100 mg for 1 month … 4 years) and output density (daily, hourly,
/// every 5 min).
fn growth(c: &mut Criterion) {
    let man = Hpg::healthy();
    let mut g = c.benchmark_group("method_growth_doses");
    g.sample_size(10);
    for m in METHODS {
        let o = options(m, YEAR_H, 24.0);
        for n in [1u64, 10, 100, 1000] {
            let d = Dose::new(
                "testosterone_enanthate",
                Route::Im,
                Amount::mg(5200.0 / n as f64),
                0.0,
            )
            .unwrap();
            let d = if n > 1 {
                d.every(YEAR_H / n as f64, n).unwrap()
            } else {
                d
            };
            let r = Regimen::new().with(d);
            report(&format!("{n} doses"), &man, &r, &o);
            g.bench_with_input(BenchmarkId::new(m.name(), n), &r, |b, r| {
                b.iter(|| black_box(simulate(&man, r, &o).unwrap()))
            });
        }
    }
    g.finish();
    let mut g = c.benchmark_group("method_growth_horizon");
    g.sample_size(10);
    for m in METHODS {
        for days in [28u64, 91, 365, 1461] {
            let o = options(m, days as f64 * 24.0, 24.0);
            let weeks = (days - 1) / 7 + 1;
            let r = Regimen::new().with(
                Dose::new("testosterone_enanthate", Route::Im, Amount::mg(100.0), 8.0)
                    .unwrap()
                    .every(168.0, weeks)
                    .unwrap(),
            );
            report(&format!("{days} days"), &man, &r, &o);
            g.bench_with_input(BenchmarkId::new(m.name(), days), &r, |b, r| {
                b.iter(|| black_box(simulate(&man, r, &o).unwrap()))
            });
        }
    }
    g.finish();
    let r = endocrine::reference::te_100mg_weekly_year();
    let mut g = c.benchmark_group("method_growth_output");
    g.sample_size(10);
    for m in METHODS {
        for (label, every) in [("daily", 24.0), ("hourly", 1.0), ("5min", 5.0 / 60.0)] {
            let o = options(m, YEAR_H, every);
            report(&format!("output {label}"), &man, &r, &o);
            g.bench_function(format!("{}_{label}", m.name()), |b| {
                b.iter(|| black_box(simulate(&man, &r, &o).unwrap()))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, dosed_year, cohort, growth);
criterion_main!(benches);
