//! Criterion bench: the HPA axis over 30 days at 5-minute output with the default Dopri5
//! options (issue 4), undosed and with hydrocortisone 10/5/5 mg daily in secondary
//! adrenal insufficiency; plus the cost of building the model (the burn-in that puts
//! t = 0 on the entrained cycle). Solver statistics are printed once for the note.

use criterion::{criterion_group, criterion_main, Criterion};
use endocrine::axes::hpa::{Condition, Hpa, HpaParams};
use endocrine::{simulate, Amount, Dose, Regimen, Route, SimOptions};
use std::hint::black_box;

const DAY: f64 = 24.0;

fn hc_10_5_5() -> Regimen {
    let line = |h: f64, mg: f64| {
        Dose::new("hydrocortisone", Route::Oral, Amount::mg(mg), h)
            .unwrap()
            .every(DAY, 30)
            .unwrap()
    };
    Regimen::new()
        .with(line(6.0, 10.0))
        .with(line(14.0, 5.0))
        .with(line(22.0, 5.0))
}

fn bench(c: &mut Criterion) {
    let options = SimOptions::new(30.0 * DAY, 5.0 / 60.0).unwrap();
    let healthy = Hpa::new(HpaParams::healthy());
    let sai = Hpa::new(HpaParams::for_condition(
        Condition::SecondaryAdrenalInsufficiency,
    ));
    for (name, model, regimen) in [
        ("healthy, undosed", &healthy, Regimen::new()),
        ("SAI + HC 10/5/5", &sai, hc_10_5_5()),
    ] {
        let s = simulate(model, &regimen, &options).unwrap().stats();
        eprintln!(
            "hpa 30 d ({name}): {} accepted, {} rejected, {} rhs, {} segments",
            s.accepted_steps, s.rejected_steps, s.rhs_evals, s.segments
        );
    }
    c.bench_function("hpa_30d_5min_undosed", |b| {
        b.iter(|| simulate(black_box(&healthy), &Regimen::new(), &options).unwrap())
    });
    let r = hc_10_5_5();
    c.bench_function("hpa_30d_5min_sai_hc_10_5_5", |b| {
        b.iter(|| simulate(black_box(&sai), &r, &options).unwrap())
    });
    c.bench_function("hpa_new_burn_in", |b| {
        b.iter(|| Hpa::new(black_box(HpaParams::healthy())))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
