//! The HPA axis and the clinic's dynamic tests, as a small table: the cortisol day curve
//! (H1), the 1 mg overnight dexamethasone suppression test (H9), the 250 µg ACTH
//! stimulation test (H11), the CRH test (H15) and hydrocortisone 10/5/5 mg in secondary
//! adrenal insufficiency. Research and education only: not medical advice.
//!
//! Run: `cargo run --example hpa_dynamic_tests`

use endocrine::axes::hpa::{Condition, Hpa, HpaParams};
use endocrine::{simulate, Amount, Dose, Regimen, Route, SimOptions, Trajectory};

const DAY: f64 = 24.0;

fn run(model: &Hpa, regimen: Regimen, days: f64) -> endocrine::Result<Trajectory> {
    simulate(model, &regimen, &SimOptions::new(days * DAY, 5.0 / 60.0)?)
}

fn main() -> endocrine::Result<()> {
    let healthy = Hpa::new(HpaParams::healthy());
    let cort = "cortisol_ug_dl";
    let acth = "acth_pg_ml";
    let v = |tr: &Trajectory, col: &str, h: f64| tr.value_at(col, h).unwrap_or(f64::NAN);

    println!("{:<44} {:>12}  criterion", "test", "model");
    let day = run(&healthy, Regimen::new(), 2.0)?;
    let peak = day.max_in(cort, DAY, 2.0 * DAY).unwrap_or(f64::NAN);
    let t_peak = day.argmax_in(cort, DAY, 2.0 * DAY).unwrap_or(f64::NAN) - DAY;
    println!(
        "{:<44} {:>12.1}  ~15.5 µg/dL (H1)",
        "day curve: cortisol peak, µg/dL", peak
    );
    println!(
        "{:<44} {:>12.2}  ~08:32 (H1)",
        "day curve: peak time, h", t_peak
    );
    println!(
        "{:<44} {:>12.2}  < 2.0 (H1)",
        "day curve: cortisol at 00:18, µg/dL",
        v(&day, cort, DAY + 0.3)
    );
    println!(
        "{:<44} {:>12.1}  10-60 (H5)",
        "day curve: ACTH at 08:00, pg/mL",
        v(&day, acth, DAY + 8.0)
    );

    let dex = Regimen::new().with(Dose::new(
        "dexamethasone",
        Route::Oral,
        Amount::mg(1.0),
        23.0,
    )?);
    let dst = run(&healthy, dex, 4.0)?;
    println!(
        "{:<44} {:>12.2}  < 1.8 (H9)",
        "1 mg DST: cortisol 08:00, µg/dL",
        v(&dst, cort, DAY + 8.0)
    );
    println!(
        "{:<44} {:>12.1}  34 ± 18 (Asirvatham 2020)",
        "1 mg DST: ACTH 24 h later, pg/mL",
        v(&dst, acth, 2.0 * DAY + 8.0)
    );

    let acth_test =
        Regimen::new().with(Dose::new("cosyntropin", Route::Iv, Amount::ug(250.0), 9.0)?);
    let sst = run(&healthy, acth_test, 0.5)?;
    println!(
        "{:<44} {:>12.1}  ≥ 18 (H11)",
        "250 µg cosyntropin: cortisol +30 min",
        v(&sst, cort, 9.5)
    );
    println!(
        "{:<44} {:>12.1}  ≥ 18 (H11)",
        "250 µg cosyntropin: cortisol +60 min",
        v(&sst, cort, 10.0)
    );

    let crh = Regimen::new().with(Dose::new("crh", Route::Iv, Amount::ug(70.0), 9.0)?);
    let crh = run(&healthy, crh, 0.5)?;
    let ratio = crh.max_in(acth, 9.5, 10.0).unwrap_or(f64::NAN) / v(&crh, acth, 9.0);
    println!(
        "{:<44} {:>12.2}  2-4 (H15)",
        "CRH 1 µg/kg: ACTH peak / baseline", ratio
    );

    let sai = Hpa::new(HpaParams::for_condition(
        Condition::SecondaryAdrenalInsufficiency,
    ));
    let line = |h: f64, mg: f64| {
        Dose::new("hydrocortisone", Route::Oral, Amount::mg(mg), h)?.every(DAY, 2)
    };
    let hc = Regimen::new()
        .with(line(6.0, 10.0)?)
        .with(line(14.0, 5.0)?)
        .with(line(22.0, 5.0)?);
    let hc = run(&sai, hc, 2.0)?;
    let tmax = hc
        .argmax_in(cort, DAY + 6.0, DAY + 12.0)
        .unwrap_or(f64::NAN)
        - DAY
        - 6.0;
    println!(
        "{:<44} {:>12.1}  (no endogenous cortisol)",
        "SAI + HC 10/5/5: peak after 10 mg, µg/dL",
        hc.max_in(cort, DAY + 6.0, DAY + 12.0).unwrap_or(f64::NAN)
    );
    println!(
        "{:<44} {:>12.2}  1.2 ± 0.4 (P90)",
        "SAI + HC 10/5/5: Tmax after 10 mg, h", tmax
    );
    Ok(())
}
