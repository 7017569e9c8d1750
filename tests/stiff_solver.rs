//! The stiff method (Rodas4) against references it cannot have been tuned to: a tight-
//! tolerance Dopri5 run of the same dosed year (issue 15: max relative error in total T
//! and LH ≤ 1e-3 at daily output against rtol 1e-10), closed forms of the linear
//! one-compartment model, and the time-dependent HPA axis.

use endocrine::axes::hpa::{Hpa, HpaParams};
use endocrine::axes::hpg::Hpg;
use endocrine::reference::OneCompartment;
use endocrine::{simulate, Amount, Dose, Method, Model, Regimen, Route, SimOptions, Trajectory};

const YEAR_H: f64 = 365.0 * 24.0;

/// Max relative difference of `column` between two runs on the same grid rows.
fn max_rel(a: &Trajectory, b: &Trajectory, column: &str) -> f64 {
    let (x, y) = (a.series(column).unwrap(), b.series(column).unwrap());
    assert_eq!(x.len(), y.len());
    x.iter()
        .zip(&y)
        .map(|(p, q)| ((p - q) / q).abs())
        .fold(0.0, f64::max)
}

fn daily_year(method: Method, rtol: f64, atol: f64) -> SimOptions {
    let mut o = SimOptions::new(YEAR_H, 24.0)
        .unwrap()
        .with_tolerances(rtol, atol)
        .unwrap()
        .with_method(method);
    o.dose_rows = false;
    o
}

/// Issue 15's accuracy criterion, for each method at the tolerance its default uses.
#[test]
fn dosed_year_matches_a_tight_reference_within_1e_3() {
    let man = Hpg::healthy();
    let r = endocrine::reference::te_100mg_weekly_year();
    let reference = simulate(&man, &r, &daily_year(Method::Dopri5, 1e-10, 1e-12)).unwrap();
    for (method, rtol) in [
        (Method::Rodas4, endocrine::COHORT_RTOL),
        (Method::Dopri5, 1e-6),
    ] {
        let tr = simulate(&man, &r, &daily_year(method, rtol, 1e-9)).unwrap();
        assert!(tr.outcome().is_completed());
        for col in ["total_t_ng_dl", "lh_iu_l"] {
            let e = max_rel(&tr, &reference, col);
            assert!(
                e <= 1e-3,
                "{method:?} rtol {rtol}: {col} max rel error {e:.2e}"
            );
        }
        let s = tr.stats();
        if method == Method::Rodas4 {
            assert!(s.jacobian_evals > 0 && s.lu_decompositions >= s.accepted_steps);
            // steps limited by accuracy, not by the 1-hour modes' stability
            let dopri = simulate(&man, &r, &daily_year(Method::Dopri5, 1e-6, 1e-9)).unwrap();
            assert!(s.accepted_steps * 3 < dopri.stats().accepted_steps, "{s:?}");
        } else {
            assert_eq!(s.jacobian_evals, 0);
        }
    }
}

/// Linear one-compartment model: bolus then infusion, against the closed form
/// A(t) = A0·e^(−kt) + (R/k)(1 − e^(−k(t − t_i))) during an infusion from t_i.
#[test]
fn rodas4_reproduces_the_one_compartment_closed_form() {
    let m = OneCompartment {
        k_per_h: 0.2,
        volume_l: 10.0,
    };
    let r = Regimen::new()
        .with(Dose::new("bolus", Route::Iv, Amount::mg(100.0), 0.0).unwrap())
        .with(
            Dose::new("bolus", Route::Iv, Amount::mg(60.0), 10.0)
                .unwrap()
                .over(6.0)
                .unwrap(),
        );
    let mut o = SimOptions::new(30.0, 0.5)
        .unwrap()
        .with_tolerances(1e-8, 1e-12)
        .unwrap()
        .with_method(Method::Rodas4);
    o.dose_rows = false; // one row per grid time, taken after a dose at that time
    let tr = simulate(&m, &r, &o).unwrap();
    let k: f64 = 0.2;
    let exact = |t: f64| {
        let mut a = 100.0 * (-k * t).exp();
        if t > 10.0 {
            let rate = 60.0 / 6.0;
            let on = (t.min(16.0) - 10.0).max(0.0);
            a += rate / k * (1.0 - (-k * on).exp()) * (-k * (t - 10.0 - on)).exp();
        }
        a / 10.0
    };
    for (t, c) in tr.times_h().iter().zip(tr.series("conc_mg_l").unwrap()) {
        let e = exact(*t);
        assert!((c - e).abs() <= 1e-6 * e.max(1e-3), "t {t}: {c} vs {e}");
    }
}

/// The HPA axis has a circadian drive (an explicit function of time): Rodas4 must carry
/// ∂f/∂t and agree with a tight Dopri5 run.
#[test]
fn rodas4_follows_the_circadian_hpa_axis() {
    let m = Hpa::new(HpaParams::healthy());
    let o = |method, rtol| {
        SimOptions::new(3.0 * 24.0, 0.25)
            .unwrap()
            .with_tolerances(rtol, 1e-10)
            .unwrap()
            .with_method(method)
    };
    let r = Regimen::new();
    let reference = simulate(&m, &r, &o(Method::Dopri5, 1e-10)).unwrap();
    let tr = simulate(&m, &r, &o(Method::Rodas4, 1e-6)).unwrap();
    assert!(tr.outcome().is_completed());
    for col in m.observables().iter().map(|c| c.column.clone()) {
        let e = max_rel(&tr, &reference, &col);
        assert!(e < 1e-3, "{col}: {e:.2e}");
    }
}

/// `[solver] method` in a scenario, and an unknown name as a typed error naming the field.
#[test]
fn scenario_selects_the_method_by_name() {
    let base = r#"
axis = "hpg"
duration = "30 d"
output_every = "1 d"
[[dose]]
drug = "testosterone_enanthate"
route = "im"
amount = "100 mg"
at = "8 h"
every = "7 d"
count = 4
"#;
    let s = endocrine::scenario::Scenario::from_toml_str(&format!(
        "{base}[solver]\nmethod = \"rodas4\"\nrtol = 1e-4\n"
    ))
    .unwrap();
    let o = s.to_options().unwrap();
    assert_eq!(o.method, Method::Rodas4);
    let tr = s.run().unwrap();
    assert!(tr.stats().jacobian_evals > 0);
    let bad = endocrine::scenario::Scenario::from_toml_str(&format!(
        "{base}[solver]\nmethod = \"euler\"\n"
    ))
    .and_then(|s| s.to_options());
    match bad {
        Err(endocrine::Error::InvalidValue { field, value, .. }) => {
            assert_eq!(field, "solver.method");
            assert!(value.contains("euler"));
        }
        other => panic!("{other:?}"),
    }
}

/// The per-purpose default of a cohort (`docs/performance.md`): Rodas4 at `COHORT_RTOL`
/// on the HPG axis unless `[solver]` chooses a method or a tolerance; other axes and single
/// runs keep the `SimOptions` defaults.
#[test]
fn cohorts_of_the_hpg_axis_default_to_rodas4_unless_the_scenario_chooses() {
    let load = |name: &str| {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(name);
        endocrine::scenario::Scenario::from_path(&p).unwrap()
    };
    let hpg = load("te_100mg_weekly_year.toml");
    let o = hpg.cohort_options().unwrap();
    assert_eq!((o.method, o.rtol), (Method::Rodas4, endocrine::COHORT_RTOL));
    // a single run of the same scenario keeps the single-run default
    assert_eq!(hpg.to_options().unwrap().method, Method::Dopri5);
    let hpa = load("hydrocortisone_10_5_5_secondary_ai.toml");
    assert_eq!(hpa.cohort_options().unwrap().method, Method::Dopri5);
    // a tolerance in [solver] is the user's choice: the method stays as written
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/te_100mg_weekly_year.toml"),
    )
    .unwrap();
    let chosen = endocrine::scenario::Scenario::from_toml_str(&text.replacen(
        "[[dose]]",
        "[solver]\nrtol = 1e-7\n\n[[dose]]",
        1,
    ))
    .unwrap();
    let o = chosen.cohort_options().unwrap();
    assert_eq!((o.method, o.rtol), (Method::Dopri5, 1e-7));
}
