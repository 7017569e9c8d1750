//! Accuracy and work of each method and tolerance against an rtol-1e-10 Dopri5 reference:
//! the table the per-purpose defaults are chosen from (`docs/performance.md`).
//!
//! Without arguments: the dosed HPG year of issue 15 (TE 100 mg weekly, daily output),
//! error in total T and LH. With a scenario path: that scenario's model, regimen and
//! duration at daily output, error over every model column (values below 1e-3 of the
//! column's peak are left out of the relative error).
//!
//! Run: `cargo run --release --example method_accuracy [-- scenarios/x.toml]`

use endocrine::axes::hpg::Hpg;
use endocrine::scenario::Scenario;
use endocrine::{simulate, Method, Model, Regimen, SimOptions, Trajectory};
use std::time::Instant;

fn max_rel(a: &Trajectory, b: &Trajectory, column: &str) -> f64 {
    let (x, y) = (a.series(column).unwrap(), b.series(column).unwrap());
    let peak = y.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    x.iter()
        .zip(&y)
        .filter(|(_, q)| q.abs() >= 1e-3 * peak)
        .map(|(p, q)| ((p - q) / q).abs())
        .fold(0.0, f64::max)
}

fn main() -> Result<(), endocrine::Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (model, regimen, duration_h, columns): (Box<dyn Model>, Regimen, f64, Vec<String>) =
        match args.first() {
            None => (
                Box::new(Hpg::healthy()),
                endocrine::reference::te_100mg_weekly_year(),
                365.0 * 24.0,
                vec!["total_t_ng_dl".into(), "lh_iu_l".into()],
            ),
            Some(path) => {
                let s = Scenario::from_path(std::path::Path::new(path))?;
                let m = s.to_model()?;
                let cols = m.observables().iter().map(|c| c.column.clone()).collect();
                (m, s.to_regimen()?, s.to_options()?.duration_h, cols)
            }
        };
    let opts = |m: Method, rtol: f64, atol: f64| -> Result<SimOptions, endocrine::Error> {
        let mut o = SimOptions::new(duration_h, 24.0)?
            .with_tolerances(rtol, atol)?
            .with_method(m);
        o.dose_rows = false;
        Ok(o)
    };
    let reference = simulate(&*model, &regimen, &opts(Method::Dopri5, 1e-10, 1e-12)?)?;
    println!("method  rtol    atol   steps  rej    rhs   jac    max_rel_err  us/run");
    for (m, rtol) in [
        (Method::Dopri5, 1e-6),
        (Method::Dopri5, 1e-4),
        (Method::Dopri5, 1e-3),
        (Method::Rodas4, 1e-6),
        (Method::Rodas4, 1e-4),
        (Method::Rodas4, 1e-3),
        (Method::Rodas4, 2e-3),
        (Method::Rodas4, 1e-2),
    ] {
        let atol = 1e-9;
        let o = opts(m, rtol, atol)?;
        let tr = simulate(&*model, &regimen, &o)?;
        let reps = 20;
        let t0 = Instant::now();
        for _ in 0..reps {
            std::hint::black_box(simulate(&*model, &regimen, &o)?);
        }
        let us = t0.elapsed().as_secs_f64() / reps as f64 * 1e6;
        let s = tr.stats();
        let err = columns
            .iter()
            .map(|c| max_rel(&tr, &reference, c))
            .fold(0.0, f64::max);
        println!(
            "{:7} {rtol:.0e} {atol:.0e} {:6} {:4} {:6} {:5}   {err:.2e}     {us:.0}",
            m.name(),
            s.accepted_steps,
            s.rejected_steps,
            s.rhs_evals,
            s.jacobian_evals,
        );
    }
    Ok(())
}
