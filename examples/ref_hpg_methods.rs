//! The reference HPG model of `scripts/ref_hpg.ant` (depot, GnRH, LH, T), 52 weekly
//! 100 mg doses over 365 days, daily output, through the engine with each method: one
//! JSON line per method with the median time of `--reps` runs (default 50), the solver
//! work and the daily total T. `scripts/roadrunner_side_by_side.py` runs this and
//! libRoadRunner (CVODE) on the same model and doses in one process and compares.
//!
//! Run: `cargo run --release --example ref_hpg_methods -- --reps 50`

use endocrine::reference::RefHpg;
use endocrine::{simulate, Amount, Dose, Method, Regimen, Route, SimOptions};
use std::time::Instant;

fn main() -> Result<(), endocrine::Error> {
    let args: Vec<String> = std::env::args().collect();
    let reps: usize = args
        .iter()
        .position(|a| a == "--reps")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let model = RefHpg::default();
    let regimen = Regimen::new()
        .with(Dose::new("depot", Route::Im, Amount::mg(100.0), 0.0)?.every(168.0, 52)?);
    for (method, rtol) in [
        (Method::Dopri5, 1e-6),
        (Method::Rodas4, 1e-6),
        (Method::Rodas4, endocrine::COHORT_RTOL),
    ] {
        let mut o = SimOptions::new(365.0 * 24.0, 24.0)?
            .with_tolerances(rtol, 1e-9)?
            .with_method(method);
        o.dose_rows = false;
        let mut times = Vec::with_capacity(reps);
        let mut tr = simulate(&model, &regimen, &o)?;
        for _ in 0..reps {
            let t0 = Instant::now();
            tr = simulate(&model, &regimen, &o)?;
            times.push(t0.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        let s = tr.stats();
        let t = tr.series("total_t_ng_dl").unwrap_or_default();
        println!(
            "{{\"method\":\"{}\",\"rtol\":{rtol:e},\"median_s\":{:.6e},\"steps\":{},\"rejected\":{},\"rhs\":{},\"jacobians\":{},\"total_t_daily\":[{}]}}",
            method.name(),
            times[times.len() / 2],
            s.accepted_steps,
            s.rejected_steps,
            s.rhs_evals,
            s.jacobian_evals,
            t.iter().map(|v| format!("{v:.9e}")).collect::<Vec<_>>().join(",")
        );
    }
    Ok(())
}
