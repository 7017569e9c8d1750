//! Criterion benches of the engine.
//!
//! `engine_overhead`: the `ref_hpg` model of `shared/bench/ref-hpg-baseline` (52 weekly
//! 100 mg doses, 365 days, hourly output) through the public `Model` trait, next to a
//! hand-written ode_solvers Dopri5 loop (the baseline of shared/bench, restarting each
//! segment from the exact end state via `ContinuousOutputModel`), in the same run.
//! Before timing, the two are checked to agree on T to 1e-5 (relative).

use criterion::{criterion_group, criterion_main, Criterion};
use endocrine::axes::hpg::{Hpg, HpgParams};
use endocrine::cohort::{simulate_cohort, Population, Variability};
use endocrine::reference::RefHpg;
use endocrine::{simulate, Amount, Dose, Model, Regimen, Route, SimOptions};
use ode_solvers::continuous_output_model::ContinuousOutputModel;
use ode_solvers::{Dopri5, System, Vector4};
use std::hint::black_box;

type State = Vector4<f64>;

/// The baseline: same equations as `RefHpg` in days, exactly as shared/bench/ref-hpg-baseline.
struct Baseline(RefHpg);

impl System<f64, State> for Baseline {
    fn system(&self, _t: f64, y: &State, dy: &mut State) {
        let p = &self.0;
        let (d, r, l, t) = (y[0], y[1], y[2], y[3]);
        dy[0] = -p.ka * d;
        dy[1] = p.a0 / (1.0 + (t / p.kt).powf(p.n)) - p.b1 * r;
        dy[2] = p.g1 * r - p.b2 * l;
        dy[3] = p.g2 * l - p.b3 * t + p.ka * d * p.f * 100_000.0 / p.vd;
    }
}

/// Hourly T over a dosed year, hand-written (time in days, output every 1/24 day).
fn baseline_year(p: RefHpg) -> Vec<f64> {
    let per_day = 24.0;
    let mut out = Vec::with_capacity(8761);
    let mut y = State::new(0.0, 5.0, 5.0, 550.0);
    for k in 0..52 {
        let t0 = 7.0 * k as f64;
        let t1 = if k < 51 { t0 + 7.0 } else { 365.0 };
        y[0] += 100.0;
        let npts = ((t1 - t0) * per_day).round() as usize + 1;
        let skip = usize::from(k != 0);
        let mut solver = Dopri5::new(Baseline(p), t0, t1, 1.0 / per_day, y, 1e-6, 1e-9);
        let mut model = ContinuousOutputModel::default();
        solver
            .integrate_with_continuous_output_model(&mut model)
            .expect("baseline integrates");
        let y_end = *solver.y_out().last().expect("an end state");
        for i in skip..npts - 1 {
            out.push(model.evaluate(t0 + i as f64 / per_day).expect("t in range")[3]);
        }
        out.push(y_end[3]);
        y = y_end;
    }
    out
}

fn regimen() -> Regimen {
    Regimen::new().with(
        Dose::new("depot", Route::Im, Amount::mg(100.0), 0.0)
            .unwrap()
            .every(168.0, 52)
            .unwrap(),
    )
}

fn engine_options() -> SimOptions {
    let mut o = SimOptions::new(365.0 * 24.0, 1.0).unwrap();
    o.dose_rows = false; // one row per hour, like the baseline
    o
}

fn check_agreement() {
    let p = RefHpg::default();
    let base = baseline_year(p);
    let tr = simulate(&p, &regimen(), &engine_options()).unwrap();
    let t = tr.series("total_t_ng_dl").unwrap();
    assert_eq!(t.len(), base.len(), "same hourly grid");
    let worst = t
        .iter()
        .zip(&base)
        .map(|(a, b)| (a - b).abs() / b.abs())
        .fold(0.0, f64::max);
    eprintln!("engine vs hand-written baseline: max relative difference in T = {worst:.2e}");
    assert!(worst <= 1e-5, "engine and baseline disagree: {worst}");
}

fn engine_overhead(c: &mut Criterion) {
    check_agreement();
    let p = RefHpg::default();
    let (r, o) = (regimen(), engine_options());
    let mut g = c.benchmark_group("engine_overhead");
    g.bench_function("baseline_hand_written_ode_solvers", |b| {
        b.iter(|| black_box(baseline_year(black_box(p))))
    });
    g.bench_function("engine_model_trait", |b| {
        b.iter(|| black_box(simulate(black_box(&p), &r, &o).unwrap()))
    });
    g.finish();
}

/// A dosed HPG year: testosterone enanthate 100 mg IM weekly (52 doses), hourly output.
fn hpg_dosed_year(c: &mut Criterion) {
    let man = Hpg::healthy();
    let r = endocrine::reference::te_100mg_weekly_year();
    let o = SimOptions::new(365.0 * 24.0, 1.0).unwrap();
    let tr = simulate(&man, &r, &o).unwrap();
    let s = tr.stats();
    eprintln!(
        "hpg dosed year: {} rows, {} RHS calls, {} accepted / {} rejected steps",
        tr.len(),
        s.rhs_evals,
        s.accepted_steps,
        s.rejected_steps
    );
    let mut g = c.benchmark_group("hpg");
    g.bench_function("dosed_year_te_100mg_weekly_hourly", |b| {
        b.iter(|| black_box(simulate(black_box(&man), &r, &o).unwrap()))
    });
    g.finish();
}

/// Cohorts of 1,000 and 10,000 men on TE 100 mg weekly for a year, daily output, with
/// log-normal variability on T clearance and depot absorption (rayon, all cores).
fn hpg_cohorts(c: &mut Criterion) {
    let r = endocrine::reference::te_100mg_weekly_year();
    let o = SimOptions::new(365.0 * 24.0, 24.0).unwrap();
    let make = |f: &[f64]| -> endocrine::Result<Box<dyn Model>> {
        let mut p = HpgParams::healthy();
        p.scale("testosterone_clearance", f[0])?;
        p.scale("depot_absorption_rate", f[1])?;
        Ok(Box::new(Hpg::new(p)))
    };
    let mut g = c.benchmark_group("cohort");
    g.sample_size(10);
    for n in [1_000usize, 10_000] {
        let pop = Population {
            n,
            seed: 1,
            variability: vec![
                Variability {
                    parameter: "testosterone_clearance".into(),
                    cv: 0.3,
                },
                Variability {
                    parameter: "depot_absorption_rate".into(),
                    cv: 0.3,
                },
            ],
        };
        g.bench_function(format!("hpg_year_daily_{n}_subjects"), |b| {
            b.iter(|| black_box(simulate_cohort(&pop, make, &r, &o).unwrap()))
        });
    }
    g.finish();
}

criterion_group!(benches, engine_overhead, hpg_dosed_year, hpg_cohorts);
criterion_main!(benches);
