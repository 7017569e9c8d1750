//! Criterion bench: the periodic steady state of `ref_hpg` under a weekly 100 mg depot,
//! computed (Newton with a finite-difference/Broyden Jacobian, see
//! `endocrine::steady_state`) versus reached by a 50-interval burn-in, with the same
//! integrator options. Before timing, the two are checked to agree to 1e-6 (relative).

use criterion::{criterion_group, criterion_main, Criterion};
use endocrine::reference::RefHpg;
use endocrine::steady_state::periodic_steady_state;
use endocrine::{simulate, Amount, Dose, Regimen, Route, SimOptions};
use std::hint::black_box;

const WEEK_H: f64 = 168.0;
const BURN_IN: u64 = 50;

fn weekly(count: u64) -> Dose {
    Dose::new("depot", Route::Im, Amount::mg(100.0), 0.0)
        .unwrap()
        .every(WEEK_H, count)
        .unwrap()
}

fn burn_in(model: &RefHpg) -> Vec<f64> {
    let r = Regimen::new().with(weekly(BURN_IN));
    let mut o = SimOptions::new(BURN_IN as f64 * WEEK_H, WEEK_H).unwrap();
    o.dose_rows = false;
    simulate(model, &r, &o).unwrap().final_state().to_vec()
}

fn bench(c: &mut Criterion) {
    let model = RefHpg::default();
    let options = SimOptions::new(WEEK_H, WEEK_H).unwrap();
    let ss = periodic_steady_state(&model, &weekly(1), &options).unwrap();
    let reference = burn_in(&model);
    for (a, b) in ss.state.iter().zip(&reference) {
        assert!((a - b).abs() <= 1e-6 * b.abs(), "{a} vs burn-in {b}");
    }
    eprintln!(
        "steady state: {} period integrations vs {BURN_IN} for the burn-in ({:.2}×)",
        ss.interval_integrations,
        ss.interval_integrations as f64 / BURN_IN as f64
    );

    let mut g = c.benchmark_group("steady_state");
    g.bench_function("newton_ref_hpg_weekly", |b| {
        b.iter(|| periodic_steady_state(black_box(&model), &weekly(1), &options).unwrap())
    });
    g.bench_function("burn_in_50_weeks_ref_hpg", |b| {
        b.iter(|| burn_in(black_box(&model)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
