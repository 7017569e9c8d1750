//! Engine tests against closed forms and invariants (no number here comes from the code).

use endocrine::reference::{OneCompartment, RefHpg};
use endocrine::{simulate, Amount, Dose, Error, Outcome, Regimen, Route, RowKind, SimOptions};

const K: f64 = 0.1; // 1/h
const V: f64 = 10.0; // L

fn one_cpt() -> OneCompartment {
    OneCompartment {
        k_per_h: K,
        volume_l: V,
    }
}

fn tight(duration_h: f64, every_h: f64) -> SimOptions {
    SimOptions::new(duration_h, every_h)
        .unwrap()
        .with_tolerances(1e-10, 1e-13)
        .unwrap()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

/// Bolus: C(t) = D/V·e^(−kt) (Gibaldi & Perrier, Pharmacokinetics, eq. 1.7).
#[test]
fn bolus_matches_closed_form() {
    let r = Regimen::new().with(Dose::new("bolus", Route::Iv, Amount::mg(100.0), 0.0).unwrap());
    let tr = simulate(&one_cpt(), &r, &tight(48.0, 0.5)).unwrap();
    assert!(tr.outcome().is_completed());
    for (i, &t) in tr.times_h().iter().enumerate() {
        if tr.row_kind(i) == RowKind::BeforeEvent {
            assert_eq!(tr.row(i)[0], 0.0);
            continue;
        }
        let exact = 100.0 / V * (-K * t).exp();
        assert!(
            rel(tr.row(i)[0], exact) < 1e-6,
            "t={t}: {} vs {exact}",
            tr.row(i)[0]
        );
    }
}

/// Zero-order infusion R over T: C = R/(kV)(1−e^(−kt)) for t ≤ T, then decays
/// (Gibaldi & Perrier eq. 2.4, 2.9).
#[test]
fn infusion_matches_closed_form() {
    let (dose, dur) = (60.0, 6.0);
    let rate = dose / dur;
    let r = Regimen::new().with(
        Dose::new("bolus", Route::Iv, Amount::mg(dose), 2.0)
            .unwrap()
            .over(dur)
            .unwrap(),
    );
    let tr = simulate(&one_cpt(), &r, &tight(30.0, 0.25)).unwrap();
    for (i, &t) in tr.times_h().iter().enumerate() {
        let exact = if t <= 2.0 {
            0.0
        } else if t <= 2.0 + dur {
            rate / (K * V) * (1.0 - (-K * (t - 2.0)).exp())
        } else {
            rate / (K * V) * (1.0 - (-K * dur).exp()) * (-K * (t - 2.0 - dur)).exp()
        };
        let got = tr.row(i)[0];
        if exact == 0.0 {
            assert!(got.abs() < 1e-12);
        } else {
            assert!(rel(got, exact) < 1e-6, "t={t}: {got} vs {exact}");
        }
    }
}

/// Superposition of repeated boluses: C(t) = Σ D/V·e^(−k(t−t_i)) over past doses.
#[test]
fn repeated_boluses_superpose() {
    let r = Regimen::new().with(
        Dose::new("bolus", Route::Iv, Amount::mg(50.0), 3.0)
            .unwrap()
            .every(12.0, 6)
            .unwrap(),
    );
    let tr = simulate(&one_cpt(), &r, &tight(96.0, 1.0)).unwrap();
    for (i, &t) in tr.times_h().iter().enumerate() {
        let after = tr.row_kind(i) != RowKind::BeforeEvent;
        let exact: f64 = (0..6)
            .map(|j| 3.0 + 12.0 * j as f64)
            .filter(|&td| td < t || (td == t && after))
            .map(|td| 50.0 / V * (-K * (t - td)).exp())
            .sum();
        if exact > 0.0 {
            assert!(rel(tr.row(i)[0], exact) < 1e-6, "t={t}");
        }
    }
    // two rows at each dose time, before < after
    let dose_rows: Vec<usize> = (0..tr.len())
        .filter(|&i| tr.row_kind(i) == RowKind::BeforeEvent)
        .collect();
    assert_eq!(dose_rows.len(), 6);
    for i in dose_rows {
        assert_eq!(tr.times_h()[i], tr.times_h()[i + 1]);
        assert_eq!(tr.row_kind(i + 1), RowKind::AfterEvent);
        assert!((tr.row(i + 1)[0] - tr.row(i)[0] - 5.0).abs() < 1e-9);
    }
    assert_eq!(tr.events().len(), 6);
}

/// The dense-output trap (solver-notes.md): weekly doses with *daily* output must match a
/// tight-tolerance, hourly-output reference within 1e-5, which a restart from
/// ode_solvers' extrapolated end point misses by up to 12 %.
#[test]
fn daily_output_weekly_doses_match_tight_reference() {
    let model = RefHpg::default();
    let r = Regimen::new().with(
        Dose::new("depot", Route::Im, Amount::mg(100.0), 0.0)
            .unwrap()
            .every(168.0, 52)
            .unwrap(),
    );
    let daily = simulate(&model, &r, &SimOptions::new(365.0 * 24.0, 24.0).unwrap()).unwrap();
    let reference = simulate(&model, &r, &tight(365.0 * 24.0, 1.0)).unwrap();
    assert!(daily.outcome().is_completed() && reference.outcome().is_completed());
    let mut worst: f64 = 0.0;
    let mut compared = 0;
    for (i, &t) in daily.times_h().iter().enumerate() {
        // the same time and kind in the reference (dose times have a before and an after row)
        let j = (0..reference.len())
            .find(|&j| reference.times_h()[j] == t && reference.row_kind(j) == daily.row_kind(i))
            .unwrap();
        for c in 0..3 {
            worst = worst.max(rel(daily.row(i)[c], reference.row(j)[c]));
        }
        compared += 1;
    }
    assert_eq!(
        compared,
        366 + 52,
        "366 daily rows, the 52 dose days each as a before and an after row"
    );
    assert!(worst < 1e-5, "max relative difference {worst}");
}

/// No doses: the reference model starts at its steady state and must stay there.
#[test]
fn untreated_reference_model_holds_steady_state() {
    let tr = simulate(
        &RefHpg::default(),
        &Regimen::new(),
        &SimOptions::new(365.0 * 24.0, 24.0).unwrap(),
    )
    .unwrap();
    let t = tr.series("total_t_ng_dl").unwrap();
    assert!(t.iter().all(|&x| rel(x, 550.0) < 1e-6));
}

#[test]
fn grid_rows_and_end_row() {
    let tr = simulate(
        &one_cpt(),
        &Regimen::new(),
        &SimOptions::new(10.5, 2.0).unwrap(),
    )
    .unwrap();
    assert_eq!(tr.times_h(), &[0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 10.5]);
    assert_eq!(tr.row_kind(6), RowKind::End);
}

#[test]
fn solver_failure_is_reported_not_silent() {
    let r = Regimen::new().with(Dose::new("depot", Route::Im, Amount::mg(100.0), 0.0).unwrap());
    let opts = SimOptions::new(24.0 * 30.0, 24.0)
        .unwrap()
        .with_max_steps(3)
        .unwrap();
    let tr = simulate(&RefHpg::default(), &r, &opts).unwrap();
    match tr.outcome() {
        Outcome::MaxStepsReached { t_h } => {
            assert!(t_h < 24.0 * 30.0);
            assert!(tr.times_h().last().unwrap() <= &t_h.max(0.0));
        }
        o => panic!("expected MaxStepsReached, got {o:?}"),
    }
}

#[test]
fn engine_level_bad_input_is_typed() {
    let m = one_cpt();
    let o = SimOptions::new(24.0, 1.0).unwrap();
    let late = Regimen::new().with(Dose::new("bolus", Route::Iv, Amount::mg(1.0), 24.0).unwrap());
    assert!(matches!(
        simulate(&m, &late, &o),
        Err(Error::AfterEnd { .. })
    ));
    let unknown =
        Regimen::new().with(Dose::new("unobtainium", Route::Oral, Amount::mg(1.0), 1.0).unwrap());
    assert!(matches!(
        simulate(&m, &unknown, &o),
        Err(Error::UnknownDrug { .. })
    ));
    let iu = Regimen::new().with(Dose::new("bolus", Route::Iv, Amount::iu(1.0), 1.0).unwrap());
    assert!(matches!(
        simulate(&m, &iu, &o),
        Err(Error::InvalidUnit { .. })
    ));
    assert!(matches!(
        SimOptions::new(0.0, 1.0),
        Err(Error::InvalidValue { .. })
    ));
    assert!(matches!(
        SimOptions::new(1e9, 1.0),
        Err(Error::LimitExceeded { .. })
    ));
    assert!(matches!(
        SimOptions::new(24.0 * 365.0 * 50.0, 1e-3),
        Err(Error::LimitExceeded { .. })
    ));
}

/// Sample times give exact rows off the grid; a draw at a dose time is the pre-dose row.
#[test]
fn sample_times_are_exact_rows() {
    let r = Regimen::new().with(Dose::new("bolus", Route::Iv, Amount::mg(100.0), 5.0).unwrap());
    let mut o = tight(24.0, 4.0);
    o.sample_times_h = vec![2.5, 5.0, 7.25];
    let tr = simulate(&one_cpt(), &r, &o).unwrap();
    assert_eq!(tr.sample("conc_mg_l", 5.0), Some(0.0), "pre-dose trough");
    let exact = 100.0 / V * (-K * 2.25f64).exp();
    assert!(rel(tr.sample("conc_mg_l", 7.25).unwrap(), exact) < 1e-8);
    assert_eq!(tr.sample("conc_mg_l", 2.5), Some(0.0));
    assert_eq!(tr.sample("conc_mg_l", 3.0), None, "no row there");
}

/// A user model that is too large or has no state is refused with a typed error.
#[test]
fn model_size_limits() {
    struct Wide(usize);
    impl endocrine::Model for Wide {
        fn name(&self) -> &str {
            "sized"
        }
        fn state_names(&self) -> Vec<String> {
            (0..self.0).map(|i| format!("x{i}")).collect()
        }
        fn initial_state(&self) -> Vec<f64> {
            vec![1.0; self.0]
        }
        fn rhs(&self, _t: f64, y: &[f64], _e: &endocrine::Effects, dy: &mut [f64]) {
            for (d, v) in dy.iter_mut().zip(y) {
                *d = -v;
            }
        }
        fn observables(&self) -> Vec<endocrine::Observable> {
            vec![]
        }
        fn observe(&self, _t: f64, _y: &[f64], _e: &endocrine::Effects, _o: &mut [f64]) {}
    }
    let o = SimOptions::new(1.0, 1.0).unwrap();
    assert!(matches!(
        simulate(&Wide(65), &Regimen::new(), &o),
        Err(Error::LimitExceeded { .. })
    ));
    assert!(matches!(
        simulate(&Wide(0), &Regimen::new(), &o),
        Err(Error::InvalidValue { .. })
    ));
    assert!(simulate(&Wide(64), &Regimen::new(), &o)
        .unwrap()
        .outcome()
        .is_completed());
}

/// The error type can cross threads and be boxed (issue 7), and it reads as one line.
#[test]
fn error_is_send_sync_static_and_one_line() {
    fn assert_bounds<T: Send + Sync + 'static + std::error::Error>() {}
    assert_bounds::<Error>();
    let e = SimOptions::new(-1.0, 1.0).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("duration") && msg.contains("greater than 0") && !msg.contains('\n'),
        "{msg}"
    );
}

/// dy/dt = y² from y(0) = 1 blows up at t = 1 h: the solver must stop there and say so
/// (step-size underflow or the step limit), with rows up to that time, never a panic.
#[test]
fn finite_time_blow_up_is_reported() {
    struct BlowUp;
    impl endocrine::Model for BlowUp {
        fn name(&self) -> &str {
            "blow_up"
        }
        fn state_names(&self) -> Vec<String> {
            vec!["y".into()]
        }
        fn initial_state(&self) -> Vec<f64> {
            vec![1.0]
        }
        fn rhs(&self, _t: f64, y: &[f64], _e: &endocrine::Effects, dy: &mut [f64]) {
            dy[0] = y[0] * y[0];
        }
        fn observables(&self) -> Vec<endocrine::Observable> {
            vec![endocrine::Observable::new("y", "y", "")]
        }
        fn observe(&self, _t: f64, y: &[f64], _e: &endocrine::Effects, o: &mut [f64]) {
            o[0] = y[0];
        }
    }
    let tr = simulate(
        &BlowUp,
        &Regimen::new(),
        &SimOptions::new(2.0, 0.1).unwrap(),
    )
    .unwrap();
    let t_stop = match tr.outcome() {
        Outcome::StepSizeUnderflow { t_h } | Outcome::MaxStepsReached { t_h } => t_h,
        o => panic!("expected a failure outcome, got {o:?}"),
    };
    assert!((t_stop - 1.0).abs() < 1e-3, "stopped at {t_stop}");
    // y = 1/(1 − t)
    // no row beyond where the solver stopped; rows well before the singularity are exact
    for (i, &t) in tr.times_h().iter().enumerate() {
        assert!(t <= t_stop);
        if t < 0.95 {
            assert!(rel(tr.row(i)[0], 1.0 / (1.0 - t)) < 1e-4, "t={t}");
        }
    }
}
