//! Property tests on the engine with models whose answers are known in closed form.

use endocrine::axes::hpg::Hpg;
use endocrine::reference::{OneCompartment, RefHpg};
use endocrine::{simulate, simulate_from, Amount, Dose, Regimen, Route, RowKind, SimOptions};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

fn opts(duration_h: f64) -> SimOptions {
    SimOptions::new(duration_h, 1.0)
        .unwrap()
        .with_tolerances(1e-9, 1e-12)
        .unwrap()
}

fn conc(model: &OneCompartment, r: &Regimen, duration_h: f64) -> Vec<f64> {
    simulate(model, r, &opts(duration_h))
        .unwrap()
        .series("conc_mg_l")
        .unwrap()
}

prop_compose! {
    fn dose_line()(amount in 0.1f64..1000.0, at in 0.0f64..40.0, every in 1.0f64..24.0, count in 1u64..6, infused in proptest::bool::ANY, dur in 0.1f64..1.0)
        -> Dose {
        let d = Dose::new("bolus", Route::Iv, Amount::mg(amount), at).unwrap().every(every, count).unwrap();
        if infused { d.over(dur * every).unwrap() } else { d }
    }
}

/// Every HPG drug and route in the registry with the largest amount a clinic would give.
const HPG_DRUGS: [(&str, Route, f64); 13] = [
    ("testosterone_enanthate", Route::Im, 500.0),
    ("testosterone_enanthate", Route::Sc, 100.0),
    ("testosterone_cypionate", Route::Im, 400.0),
    ("testosterone_undecanoate", Route::Im, 1000.0),
    ("testosterone_undecanoate", Route::Oral, 400.0),
    ("testosterone_gel", Route::Transdermal, 100.0),
    ("testosterone_pellet", Route::Implant, 900.0),
    ("clomiphene_citrate", Route::Oral, 100.0),
    ("enclomiphene", Route::Oral, 50.0),
    ("hcg", Route::Sc, 10_000.0),
    ("anastrozole", Route::Oral, 10.0),
    ("leuprolide", Route::Im, 45.0),
    ("degarelix", Route::Sc, 240.0),
];

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        .. ProptestConfig::default()
    })]

    /// Linear PK is linear in dose: scaling every amount by s scales C by s.
    #[test]
    fn linear_in_dose(d in dose_line(), s in 0.1f64..10.0) {
        let m = OneCompartment { k_per_h: 0.2, volume_l: 5.0 };
        let scaled = Dose::new("bolus", Route::Iv, Amount::mg(d.amount().value * s), d.at_h()).unwrap();
        let scaled = match d.every_h() { Some(e) => scaled.every(e, d.count()).unwrap(), None => scaled };
        let scaled = match d.duration_h() { Some(t) => scaled.over(t).unwrap(), None => scaled };
        let a = conc(&m, &Regimen::new().with(d), 200.0);
        let b = conc(&m, &Regimen::new().with(scaled), 200.0);
        for (x, y) in a.iter().zip(&b) {
            // relative tolerance, plus the absolute floor set by atol once a dose has decayed
            prop_assert!((x * s - y).abs() <= 1e-6 * y.abs() + 1e-9, "{} vs {}", x * s, y);
        }
    }

    /// Doses superpose: C(A + B) = C(A) + C(B) row by row.
    #[test]
    fn doses_superpose(a in dose_line(), b in dose_line()) {
        let m = OneCompartment { k_per_h: 0.15, volume_l: 8.0 };
        let both = simulate(&m, &Regimen::new().with(a.clone()).with(b.clone()), &opts(200.0)).unwrap();
        let ca = simulate(&m, &Regimen::new().with(a), &opts(200.0)).unwrap();
        let cb = simulate(&m, &Regimen::new().with(b), &opts(200.0)).unwrap();
        // compare on the grid rows, which all three runs share
        for (i, &t) in both.times_h().iter().enumerate() {
            if both.row_kind(i) != RowKind::Grid { continue; }
            let sum = ca.value_at("conc_mg_l", t).unwrap() + cb.value_at("conc_mg_l", t).unwrap();
            let got = both.row(i)[0];
            prop_assert!((got - sum).abs() <= 1e-6 * sum.abs().max(1e-6), "t={} {} vs {}", t, got, sum);
        }
    }

    /// States stay finite and non-negative for any valid regimen of the reference HPG model.
    #[test]
    fn reference_hpg_states_finite_and_non_negative(amount in 1.0f64..2000.0, every_d in 1.0f64..30.0, count in 1u64..10) {
        let r = Regimen::new().with(Dose::new("depot", Route::Im, Amount::mg(amount), 5.0).unwrap().every(every_d * 24.0, count).unwrap());
        let duration = 5.0 + every_d * 24.0 * count as f64 + 24.0;
        let tr = simulate(&RefHpg::default(), &r, &SimOptions::new(duration, 6.0).unwrap()).unwrap();
        prop_assert!(tr.outcome().is_completed());
        for i in 0..tr.len() {
            prop_assert!(tr.row(i).iter().all(|v| v.is_finite() && *v >= 0.0));
        }
    }

    /// The crate's HPG axis under any registered HPG drug (every route, any amount and
    /// schedule, mixed with another drug): every output stays finite and non-negative
    /// (to the solver's absolute tolerance) and the run completes.
    #[test]
    fn hpg_outputs_finite_and_non_negative_under_any_drug(
        pick in 0usize..HPG_DRUGS.len(), other in 0usize..HPG_DRUGS.len(),
        amount in 0.01f64..1.0, every_d in 1.0f64..28.0, count in 1u64..6,
    ) {
        let dose = |i: usize, at_h: f64| {
            let (drug, route, max) = HPG_DRUGS[i];
            // mg or IU, as the registry says (no drug named here)
            let kind = endocrine::drugs::find(drug).unwrap().amount_kind;
            let a = Amount { value: amount * max, kind };
            Dose::new(drug, route, a, at_h)
                .unwrap()
                .every(every_d * 24.0, count)
                .unwrap()
        };
        let r = Regimen::new().with(dose(pick, 8.0)).with(dose(other, 30.0));
        let duration = 30.0 + every_d * 24.0 * count as f64 + 240.0;
        let tr = simulate(&Hpg::healthy(), &r, &SimOptions::new(duration, 12.0).unwrap()).unwrap();
        prop_assert!(tr.outcome().is_completed(), "{}", tr.outcome());
        for i in 0..tr.len() {
            prop_assert!(tr.row(i).iter().all(|v| v.is_finite() && *v >= -1e-6), "{:?}", tr.row(i));
        }
    }

    /// A regimen survives a serde round trip (JSON), and its expansion is sorted and keeps
    /// the total amount.
    #[test]
    fn regimen_round_trip_and_expansion(a in dose_line(), b in dose_line()) {
        let r = Regimen::new().with(a.clone()).with(b.clone());
        let json = serde_json::to_string(&r).unwrap();
        let back: Regimen = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &r);
        let e = r.expand();
        prop_assert!(e.windows(2).all(|w| w[0].t_h <= w[1].t_h));
        let total: f64 = e.iter().map(|x| x.amount.value).sum();
        let expected = a.amount().value * a.count() as f64 + b.amount().value * b.count() as f64;
        prop_assert!((total - expected).abs() <= 1e-9 * expected);
    }

    /// Splitting a run at any time and resuming from its final state equals one run.
    #[test]
    fn split_and_resume_equals_one_run(split in 1.0f64..330.0, amount in 10.0f64..500.0) {
        let model = RefHpg::default();
        // doses at 0 and 168 h within [from, to), shifted to start at `from`
        let doses = |from: f64, to: f64| {
            [0.0, 168.0].into_iter().filter(|&t| t >= from && t < to).fold(Regimen::new(), |r, t| {
                r.with(Dose::new("depot", Route::Im, Amount::mg(amount), t - from).unwrap())
            })
        };
        let whole = simulate(&model, &doses(0.0, 336.0), &SimOptions::new(336.0, 1.0).unwrap()).unwrap();
        let first = simulate(&model, &doses(0.0, split), &SimOptions::new(split, 1.0).unwrap()).unwrap();
        let second = simulate_from(&model, &doses(split, 336.0), &SimOptions::new(336.0 - split, 1.0).unwrap(), first.final_state()).unwrap();
        let a = whole.value_at("total_t_ng_dl", 336.0).unwrap();
        let b = second.value_at("total_t_ng_dl", 336.0 - split).unwrap();
        prop_assert!((a - b).abs() <= 1e-5 * a, "{} vs {}", a, b);
    }
}
