//! How the cost grows with the number of doses (1, 10, 100, 1000) and with the output
//! density (daily, hourly, every 5 min), on the HPG axis over one year.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use endocrine::axes::hpg::Hpg;
use endocrine::{simulate, Amount, Dose, Regimen, Route, SimOptions};
use std::hint::black_box;

const YEAR_H: f64 = 365.0 * 24.0;

fn doses(c: &mut Criterion) {
    let man = Hpg::healthy();
    let o = SimOptions::new(YEAR_H, 24.0).unwrap();
    let mut g = c.benchmark_group("scaling_doses");
    g.sample_size(20);
    for n in [1u64, 10, 100, 1000] {
        // the same total testosterone (5200 mg enanthate) spread over n equal doses
        let every = YEAR_H / n as f64;
        let d = Dose::new(
            "testosterone_enanthate",
            Route::Im,
            Amount::mg(5200.0 / n as f64),
            0.0,
        )
        .unwrap();
        let d = if n > 1 { d.every(every, n).unwrap() } else { d };
        let r = Regimen::new().with(d);
        let s = simulate(&man, &r, &o).unwrap().stats();
        eprintln!(
            "{n} doses: {} segments, {} steps, {} RHS calls",
            s.segments, s.accepted_steps, s.rhs_evals
        );
        g.bench_with_input(BenchmarkId::from_parameter(n), &r, |b, r| {
            b.iter(|| black_box(simulate(&man, r, &o).unwrap()))
        });
    }
    g.finish();
}

fn output_density(c: &mut Criterion) {
    let man = Hpg::healthy();
    let r = endocrine::reference::te_100mg_weekly_year();
    let mut g = c.benchmark_group("scaling_output");
    g.sample_size(20);
    for (label, every_h) in [("daily", 24.0), ("hourly", 1.0), ("5min", 5.0 / 60.0)] {
        let o = SimOptions::new(YEAR_H, every_h).unwrap();
        g.bench_function(label, |b| {
            b.iter(|| black_box(simulate(&man, &r, &o).unwrap()))
        });
    }
    g.finish();
}

criterion_group!(benches, doses, output_density);
criterion_main!(benches);
