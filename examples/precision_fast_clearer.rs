//! Precision dosing, the tour: a hypogonadal man on testosterone cypionate 200 mg IM every
//! 14 days who clears testosterone fast (`scenarios/gallery/precision_fast_clearer_cypionate.toml`).
//!
//! 1. Fit his first draw alone, then both draws (the sequential update: the same call with
//!    more rows), and watch the interval of `t_clearance_factor` narrow.
//! 2. Propose the dose on the label ladder most likely to keep total T inside
//!    264-916 ng/dL across the whole interval at steady state.
//! 3. Simulate 12 weeks of the current and the proposed regimen on his fitted parameters
//!    and draw them together with the target window shaded (SVG).
//! 4. Because this patient is virtual (written down as `t_clearance_factor = 1.6`, the
//!    labs made from him with assay noise), check the proposal on the true patient.
//!
//! ```text
//! cargo run --release --example precision_fast_clearer -- precision_fast_clearer.svg
//! ```
//! Research and education only; not medical advice.

use endocrine::plot::{plot_compare, PlotOptions};
use endocrine::propose::steady_state_range;
use endocrine::scenario::Scenario;
use endocrine::{fit, simulate, Amount, Dose, Model, Regimen, Route, SimOptions};

const DAY: f64 = 24.0;
const WINDOW: (f64, f64) = (264.0, 916.0);

/// Steady-state (trough, peak) total T of `amount_mg` every `every_h` on `model`.
fn steady_range(model: &dyn Model, amount_mg: f64, every_h: f64) -> endocrine::Result<(f64, f64)> {
    let d = Dose::new(
        "testosterone_cypionate",
        Route::Im,
        Amount::mg(amount_mg),
        0.0,
    )?;
    steady_state_range(model, &d, every_h, "total_t_ng_dl")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "precision_fast_clearer.svg".into());
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/gallery/precision_fast_clearer_cypionate.toml"
    );
    let s = Scenario::from_path(path)?;

    // 1. Sequential update: the first draw, then both.
    let mut problem = s.fit_problem()?;
    let all = problem.measurements.clone();
    let prior = fit::HPG_PARAMETERS[0];
    let w = fit::Z95 * prior.omega();
    println!(
        "t_clearance_factor (prior median 1, 95 % {:.2}-{:.2}; the truth is 1.6)",
        (-w).exp(),
        w.exp()
    );
    let mut last = None;
    for (label, n) in [
        ("draw 1 (day 4)", 1),
        ("draws 1 + 2 (day 28 trough)", all.len()),
    ] {
        problem.measurements = all[..n].to_vec();
        let f = fit::fit(&problem)?;
        let c = &f.parameters[0];
        println!(
            "  {label:<28} {:.2} (95 % {:.2}-{:.2}){}",
            c.estimate,
            c.ci95[0],
            c.ci95[1],
            if f.converged { "" } else { "  NOT CONVERGED" }
        );
        last = Some(f);
    }
    let f = last.expect("two fits");

    // 2. The proposal.
    let p = s.propose_from(&f, &[])?;
    let best = &p.candidates[0];
    println!(
        "\nproposal for {}: {} every {}, P(in window) = {:.2}",
        p.targets.join("; "),
        p.regimen[0].amount,
        p.regimen[0].every,
        p.probability_in_target
    );
    for a in &p.alternatives {
        println!(
            "  runner-up {} every {}: P = {:.2}",
            a.regimen[0].amount, a.regimen[0].every, a.probability_in_target
        );
    }
    for n in &p.notes {
        println!("  note: {n}");
    }

    // 3. Before/after on his fitted parameters: 12 weeks from the first injection.
    let typical = s.typical_subject()?;
    let map = typical.model_with(&f.estimates())?;
    let weeks12 = |mg: f64, every_h: f64| -> endocrine::Result<Regimen> {
        let count = (84.0 * DAY / every_h).ceil() as u64;
        Ok(Regimen::new().with(
            Dose::new("testosterone_cypionate", Route::Im, Amount::mg(mg), 8.0)?
                .every(every_h, count)?,
        ))
    };
    let o = SimOptions::new(84.0 * DAY, 2.0)?;
    let before = simulate(map.as_ref(), &weeks12(200.0, 14.0 * DAY)?, &o)?;
    let after = simulate(map.as_ref(), &weeks12(best.amount(), best.every_h())?, &o)?;
    let opts = PlotOptions {
        panel_height_px: 300,
        ..PlotOptions::default()
    }
    .with_title(format!(
        "Fast clearer on cypionate: 200 mg every 14 d vs the proposal, {} every {} (fitted patient)",
        p.regimen[0].amount, p.regimen[0].every
    ))
    .with_columns(["total_t_ng_dl", "e2_pg_ml", "lh_iu_l"])
    .with_target("total_t_ng_dl", WINDOW.0, WINDOW.1);
    let proposed_label = format!("proposed {}", p.regimen[0].amount);
    plot_compare(
        &before,
        &after,
        ("current 200 mg", &proposed_label),
        &opts,
        std::path::Path::new(&out),
    )?;
    println!("\nbefore/after plot: {out}");

    // 4. On the true patient (known only because he is virtual).
    let truth = typical.model_with(&[("t_clearance_factor", 1.6)])?;
    println!(
        "\nsteady-state total T, ng/dL (trough-peak), window {}-{}:",
        WINDOW.0, WINDOW.1
    );
    for (label, mg, every) in [
        ("current 200 mg / 14 d", 200.0, 14.0 * DAY),
        ("proposed", best.amount(), best.every_h()),
    ] {
        let (lo_f, hi_f) = steady_range(map.as_ref(), mg, every)?;
        let (lo_t, hi_t) = steady_range(truth.as_ref(), mg, every)?;
        println!(
            "  {label:<22} fitted patient {lo_f:>5.0}-{hi_f:<5.0} true patient {lo_t:>5.0}-{hi_t:<5.0}{}",
            if lo_t >= WINDOW.0 && hi_t <= WINDOW.1 { " in window" } else { " OUT of window" }
        );
    }
    Ok(())
}
