//! Titration rules (issue 9): the AndroGel 1.62 % algorithm of its label (pk-parameters.md
//! P46) moves a low subject up and a high one down on the label's schedule; the minimum
//! interval between changes holds; bad rules are typed errors naming the field.

use endocrine::axes::hpg::{BaselineLabs, Hpg, HpgParams};
use endocrine::labs::Assay;
use endocrine::titration::{
    simulate_titrated, Action, Decision, DrawTiming, Threshold, TitrationRule,
};
use endocrine::{Amount, Dose, Error, Regimen, Route, SimOptions};

const DAY: f64 = 24.0;
const SEED: u64 = 20261123;

fn gel(start_mg: f64, days: u64) -> Regimen {
    Regimen::new().with(
        Dose::new(
            "testosterone_gel",
            Route::Transdermal,
            Amount::mg(start_mg),
            8.0,
        )
        .unwrap()
        .every(DAY, days)
        .unwrap(),
    )
}

/// P46: pre-dose T at days 14 and 28; > 750 down 20.25 mg, < 350 up 20.25 mg; 20.25–81 mg.
fn androgel(check_days: Vec<f64>, min_days: f64) -> TitrationRule {
    TitrationRule {
        dose_line: 0,
        assay: Assay::TotalT,
        draw: DrawTiming::PreDose { hours_before: 0.0 },
        check_days,
        thresholds: vec![
            Threshold::above(750.0, 20.25),
            Threshold::below(350.0, 20.25),
        ],
        min_amount: 20.25,
        max_amount: 81.0,
        min_days_between_changes: min_days,
        levels: vec![],
    }
}

fn subject(t: f64, weight: f64, age: f64) -> Hpg {
    Hpg::new(
        HpgParams::calibrated(&BaselineLabs {
            total_t_ng_dl: Some(t),
            weight_kg: Some(weight),
            age_years: Some(age),
            ..Default::default()
        })
        .unwrap(),
    )
}

fn run(model: &Hpg, start_mg: f64, rule: TitrationRule) -> Vec<Decision> {
    let days = 42;
    let opts = SimOptions::new(days as f64 * DAY, 6.0).unwrap();
    let (tr, dec) = simulate_titrated(model, &gel(start_mg, days), &[rule], &opts, SEED).unwrap();
    assert!(tr.outcome().is_completed(), "{}", tr.outcome());
    // the joined trajectory is one run: times never go back, every administration applied
    assert!(tr.times_h().windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(tr.events().len(), days as usize);
    // each administration carries the amount of the last decision at or before it
    for ev in tr.events() {
        let expected = dec
            .iter()
            .rfind(|d| d.time_h <= ev.t_h + 1e-9)
            .map_or(start_mg, |d| d.new_amount.value);
        assert_eq!(ev.amount.unwrap().value, expected, "dose at {} h", ev.t_h);
    }
    dec
}

/// The log follows the label: draws at days 14 and 28 only (08:00, pre-dose), steps of
/// 20.25 mg, amounts within 20.25–81 mg, each step in the direction of the measured value.
fn on_label_schedule(dec: &[Decision]) {
    let times: Vec<f64> = dec.iter().map(|d| d.time_h).collect();
    assert_eq!(times, vec![14.0 * DAY + 8.0, 28.0 * DAY + 8.0]);
    for d in dec {
        assert_eq!(d.assay, Assay::TotalT);
        let step = d.new_amount.value - d.old_amount.value;
        assert!([0.0, 20.25, -20.25].contains(&step), "step {step}");
        assert!((20.25..=81.0).contains(&d.new_amount.value));
        match d.action {
            Action::Increase => assert!(d.measured < 350.0 && step > 0.0),
            Action::Decrease => assert!(d.measured > 750.0 && step < 0.0),
            Action::InRange => assert!((350.0..=750.0).contains(&d.measured) && step == 0.0),
            Action::AtLimit | Action::TooSoon => assert_eq!(step, 0.0),
        }
        // the rule acts on the measurement; it carries assay noise around the truth
        assert_ne!(d.measured, d.true_value);
        assert!((d.measured / d.true_value - 1.0).abs() < 0.3);
    }
}

#[test]
fn androgel_moves_a_low_subject_up() {
    let man = subject(200.0, 120.0, 60.0);
    let dec = run(&man, 40.5, androgel(vec![14.0, 28.0], 14.0));
    on_label_schedule(&dec);
    assert_eq!(dec[0].old_amount.value, 40.5);
    assert_eq!(dec[0].action, Action::Increase);
    assert!(dec.iter().all(|d| d.action != Action::Decrease));
    assert!(dec.last().unwrap().new_amount.value > 40.5);
}

#[test]
fn androgel_moves_a_high_subject_down() {
    // a light young man with a high-normal baseline, started at the top dose
    let man = subject(800.0, 55.0, 20.0);
    let dec = run(&man, 81.0, androgel(vec![14.0, 28.0], 14.0));
    on_label_schedule(&dec);
    assert_eq!(dec[0].old_amount.value, 81.0);
    assert_eq!(dec[0].action, Action::Decrease);
    assert!(dec.iter().all(|d| d.action != Action::Increase));
    assert!(dec.last().unwrap().new_amount.value < 81.0);
}

#[test]
fn a_rule_never_fires_before_its_minimum_interval() {
    let man = subject(200.0, 120.0, 60.0);
    // weekly draws, changes at most every 14 days
    let dec = run(
        &man,
        20.25,
        androgel(vec![7.0, 14.0, 21.0, 28.0, 35.0], 14.0),
    );
    assert_eq!(dec.len(), 5);
    let first_dose = 8.0;
    let mut last = first_dose;
    let mut held = 0;
    for d in &dec {
        if d.new_amount != d.old_amount {
            assert!(
                d.time_h - last >= 14.0 * DAY - 1e-6,
                "change at {} h",
                d.time_h
            );
            last = d.time_h;
        } else if d.action == Action::TooSoon {
            held += 1;
            assert!(d.time_h - last < 14.0 * DAY);
        }
    }
    assert!(held >= 1, "{dec:?}");
    assert_eq!(dec[0].action, Action::TooSoon);
}

fn bad(rule: TitrationRule) -> Error {
    let opts = SimOptions::new(42.0 * DAY, DAY).unwrap();
    simulate_titrated(
        &subject(200.0, 120.0, 60.0),
        &gel(40.5, 42),
        &[rule],
        &opts,
        SEED,
    )
    .unwrap_err()
}

fn field_of(e: &Error) -> String {
    match e {
        Error::InvalidValue { field, .. } | Error::UnknownName { field, .. } => field.clone(),
        other => panic!("unexpected error kind: {other}"),
    }
}

#[test]
fn bad_rules_are_typed_errors_naming_the_field() {
    let ok = androgel(vec![14.0, 28.0], 14.0);
    let cases: Vec<(TitrationRule, &str)> = vec![
        (
            TitrationRule {
                thresholds: vec![
                    Threshold::below(350.0, 20.25),
                    Threshold::above(750.0, 20.25),
                ],
                ..ok.clone()
            },
            "titration[0].thresholds",
        ),
        (
            TitrationRule {
                thresholds: vec![
                    Threshold::above(300.0, 20.25),
                    Threshold::below(350.0, 20.25),
                ],
                ..ok.clone()
            },
            "titration[0].thresholds",
        ),
        (
            TitrationRule {
                thresholds: vec![
                    Threshold::above(750.0, -20.25),
                    Threshold::below(350.0, 20.25),
                ],
                ..ok.clone()
            },
            "titration[0].thresholds[0].step",
        ),
        (
            TitrationRule {
                dose_line: 3,
                ..ok.clone()
            },
            "titration[0].dose_line",
        ),
        (
            TitrationRule {
                min_amount: 81.0,
                max_amount: 20.25,
                ..ok.clone()
            },
            "titration[0].min_amount",
        ),
        (
            TitrationRule {
                check_days: vec![28.0, 14.0],
                ..ok.clone()
            },
            "titration[0].check_days",
        ),
        (
            TitrationRule {
                check_days: vec![14.0, 60.0],
                ..ok.clone()
            },
            "titration[0].check_days[1]",
        ),
        (
            // a ladder counts rungs: half a rung is not a step
            TitrationRule {
                levels: vec![20.25, 40.5, 60.75, 81.0],
                thresholds: vec![Threshold::above(750.0, 0.5), Threshold::below(350.0, 1.0)],
                ..ok.clone()
            },
            "titration[0].thresholds[0].step",
        ),
        (
            // the line's starting amount (40.5 mg) must lie within the limits
            TitrationRule {
                min_amount: 60.75,
                ..ok.clone()
            },
            "titration[0].min_amount",
        ),
        (
            TitrationRule {
                levels: vec![20.25, 60.75, 81.0],
                ..ok.clone()
            },
            "titration[0].levels",
        ),
        (
            // the ladder's ends are the limits
            TitrationRule {
                levels: vec![20.25, 40.5, 60.75],
                ..ok.clone()
            },
            "titration[0].min_amount",
        ),
        (
            TitrationRule {
                assay: Assay::Cortisol,
                ..ok.clone()
            },
            "titration[0].assay",
        ),
    ];
    for (rule, field) in cases {
        let e = bad(rule);
        assert_eq!(field_of(&e), field, "{e}");
    }
}

#[test]
fn same_seed_same_decisions() {
    let man = subject(200.0, 120.0, 60.0);
    let a = run(&man, 40.5, androgel(vec![14.0, 28.0], 14.0));
    let b = run(&man, 40.5, androgel(vec![14.0, 28.0], 14.0));
    assert_eq!(a, b);
}

/// A rule that never changes the dose (thresholds out of reach) cuts the run into pieces
/// at its draws; the joined trajectory reproduces the single run on the same grid.
#[test]
fn pieces_join_into_the_single_run() {
    let man = subject(200.0, 120.0, 60.0);
    let rule = TitrationRule {
        thresholds: vec![Threshold::above(1e6, 20.25), Threshold::below(1.0, 20.25)],
        ..androgel(vec![14.0, 28.0], 14.0)
    };
    let opts = SimOptions::new(42.0 * DAY, 6.0).unwrap();
    let (tr, dec) = simulate_titrated(&man, &gel(40.5, 42), &[rule], &opts, SEED).unwrap();
    assert!(dec.iter().all(|d| d.action == Action::InRange));
    let one = endocrine::simulate(&man, &gel(40.5, 42), &opts).unwrap();
    assert_eq!(tr.events().len(), one.events().len());
    for k in 0..=(42 * 4) {
        let t = k as f64 * 6.0;
        for c in ["total_t_ng_dl", "lh_iu_l"] {
            let a = tr.sample(c, t).unwrap();
            let b = one.sample(c, t).unwrap();
            assert!((a - b).abs() <= 1e-4 * b.abs(), "{c} at {t} h: {a} vs {b}");
        }
    }
    let mut csv = Vec::new();
    endocrine::titration::write_decisions_csv(&dec, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(csv.lines().count(), 3);
    assert!(csv.lines().nth(1).unwrap().contains(",total_t,"));
}

/// A post-dose draw (e.g. oral TU, T 3–6 h after the morning dose) is taken that many hours
/// after the check day's administration, and its change applies from the next one on. The
/// heavy man starts on the label's lowest dose (20.25 mg), so his first draw is low.
#[test]
fn post_dose_draws_follow_the_administration() {
    let man = subject(200.0, 120.0, 60.0);
    let rule = TitrationRule {
        draw: DrawTiming::PostDose { hours_after: 4.0 },
        ..androgel(vec![14.0, 28.0], 14.0)
    };
    let dec = run(&man, 20.25, rule);
    let times: Vec<f64> = dec.iter().map(|d| d.time_h).collect();
    assert_eq!(times, vec![14.0 * DAY + 12.0, 28.0 * DAY + 12.0]);
    assert_eq!(dec[0].action, Action::Increase);
}

/// The end-of-run check is drawn like the rule's scheduled draws: around the first
/// administration of a day (the morning dose of a twice-daily line, as the oral-TU labels
/// draw), on the last day whose draw fits in the run. Closed form: doses at 08:00 and 20:00
/// for 10 days (last at 236 h), draw 6 h after the morning dose, run 250 h: the day-9
/// morning draw at 9·24 + 8 + 6 = 230 h, not 6 h after the last (evening) dose, 242 h.
#[test]
fn end_check_follows_the_morning_dose_of_a_twice_daily_line() {
    use endocrine::titration::end_check_time;
    let rule = TitrationRule {
        draw: DrawTiming::PostDose { hours_after: 6.0 },
        ..androgel(vec![7.0], 7.0)
    };
    let bid = Dose::new(
        "testosterone_undecanoate",
        Route::Oral,
        Amount::mg(237.0),
        8.0,
    )
    .unwrap()
    .every(12.0, 20)
    .unwrap();
    let t = end_check_time(&Regimen::new().with(bid), &rule, 250.0).unwrap();
    assert!((t - 230.0).abs() < 1e-9, "end check at {t} h");
}
