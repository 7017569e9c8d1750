//! The regimen shorthand: same `Dose` values as the builder and the scenario format,
//! bit-identical runs, and typed errors that name the dose and the part at fault.

use endocrine::reference::{OneCompartment, RefHpg};
use endocrine::scenario::Scenario;
use endocrine::shorthand::{
    format_dose, format_regimen, parse_dose, parse_regimen, parse_regimen_until,
};
use endocrine::{simulate, Amount, Dose, Error, Regimen, Route, SimOptions, Trajectory};
use proptest::prelude::*;

fn chain(drug: &str, route: Route, amount: Amount, at: f64) -> Dose {
    Dose::new(drug, route, amount, at).unwrap()
}

#[test]
fn examples_make_the_builder_doses() {
    let cases: Vec<(&str, Dose)> = vec![
        (
            "testosterone_cypionate 200 mg im every 14 d x 8",
            chain("testosterone_cypionate", Route::Im, Amount::mg(200.0), 0.0)
                .every(14.0 * 24.0, 8)
                .unwrap(),
        ),
        (
            "clomiphene_citrate 25 mg oral at 8 h every 1 d x 90",
            chain("clomiphene_citrate", Route::Oral, Amount::mg(25.0), 8.0)
                .every(24.0, 90)
                .unwrap(),
        ),
        (
            "hcg 500 IU sc every 2 d x 10",
            chain("hcg", Route::Sc, Amount::iu(500.0), 0.0)
                .every(48.0, 10)
                .unwrap(),
        ),
        (
            "hydrocortisone 10 mg oral at 7 h",
            chain("hydrocortisone", Route::Oral, Amount::mg(10.0), 7.0),
        ),
        (
            "bolus 60 mg iv at 2 h over 30 min",
            chain("bolus", Route::Iv, Amount::mg(60.0), 2.0)
                .over(0.5)
                .unwrap(),
        ),
        (
            // glued units and count, clauses in another order, compound time
            "depot 100mg im x8 every 1 wk at 7 d 8 h",
            chain("depot", Route::Im, Amount::mg(100.0), 7.0 * 24.0 + 8.0)
                .every(168.0, 8)
                .unwrap(),
        ),
        (
            "anastrozole 250 ug oral every 84 h × 4",
            chain("anastrozole", Route::Oral, Amount::ug(250.0), 0.0)
                .every(84.0, 4)
                .unwrap(),
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_dose(text).unwrap(), expected, "{text}");
        let r = parse_regimen(text).unwrap();
        assert_eq!(r.doses(), std::slice::from_ref(&expected), "{text}");
    }
}

#[test]
fn several_doses_separated_by_semicolons() {
    let r = parse_regimen(
        "hydrocortisone 10 mg oral at 7 h every 1 d x 28 ; hydrocortisone 5 mg oral at 17 h every 1 d x 28;",
    )
    .unwrap();
    let expected = Regimen::new()
        .with(
            chain("hydrocortisone", Route::Oral, Amount::mg(10.0), 7.0)
                .every(24.0, 28)
                .unwrap(),
        )
        .with(
            chain("hydrocortisone", Route::Oral, Amount::mg(5.0), 17.0)
                .every(24.0, 28)
                .unwrap(),
        );
    assert_eq!(r, expected);
}

/// `every` without `x` repeats until the end of the run, as a scenario's `every`
/// without `count` does: the last dose is the last one before the end.
#[test]
fn until_end_of_run() {
    let r = parse_regimen_until("clomiphene_citrate 25 mg oral at 8 h every 1 d", 240.0).unwrap();
    assert_eq!(r.doses()[0].count(), 10);
    assert!(r.doses()[0].last_h() < 240.0);
    let r = parse_regimen_until("depot 100 mg im every 7 d", 28.0 * 24.0).unwrap();
    assert_eq!(r.doses()[0].count(), 4);
    // x still wins
    let r = parse_regimen_until("depot 100 mg im every 7 d x 2", 28.0 * 24.0).unwrap();
    assert_eq!(r.doses()[0].count(), 2);
}

fn bits(t: &Trajectory) -> (Vec<u64>, Vec<u64>) {
    let times = t.times_h().iter().map(|v| v.to_bits()).collect();
    let values = (0..t.len())
        .flat_map(|i| t.row(i).iter().map(|v| v.to_bits()).collect::<Vec<_>>())
        .collect();
    (times, values)
}

#[test]
fn shorthand_and_builder_runs_are_bit_identical() {
    let hpg = RefHpg::default();
    let a = parse_regimen("depot 100 mg im at 12 h every 7 d x 10").unwrap();
    let b = Regimen::new().with(
        chain("depot", Route::Im, Amount::mg(100.0), 12.0)
            .every(168.0, 10)
            .unwrap(),
    );
    let o = SimOptions::new(80.0 * 24.0, 24.0).unwrap();
    let (ta, tb) = (
        simulate(&hpg, &a, &o).unwrap(),
        simulate(&hpg, &b, &o).unwrap(),
    );
    assert_eq!(bits(&ta), bits(&tb));
    assert_eq!(ta.final_state(), tb.final_state());

    let one = OneCompartment {
        k_per_h: 0.1,
        volume_l: 10.0,
    };
    let a = parse_regimen("bolus 50 mg iv at 3 h every 12 h x 6 over 1 h; bolus 2 g iv at 1 d")
        .unwrap();
    let b = Regimen::new()
        .with(
            chain("bolus", Route::Iv, Amount::mg(50.0), 3.0)
                .every(12.0, 6)
                .unwrap()
                .over(1.0)
                .unwrap(),
        )
        .with(chain("bolus", Route::Iv, Amount::mg(2000.0), 24.0));
    let o = SimOptions::new(96.0, 0.5).unwrap();
    assert_eq!(
        bits(&simulate(&one, &a, &o).unwrap()),
        bits(&simulate(&one, &b, &o).unwrap())
    );
}

/// The scenario format and the shorthand give the same regimen, for every example whose
/// drug is in the registry (the registry is filled by the drug modules).
#[test]
fn shorthand_matches_scenario_doses() {
    let cases = [
        (
            "hpg",
            "testosterone_cypionate 200 mg im every 14 d x 8",
            r#"drug = "testosterone_cypionate"
route = "im"
amount = "200 mg"
at = "0 h"
every = "14 d"
count = 8"#,
        ),
        (
            "hpg",
            "clomiphene_citrate 25 mg oral at 8 h every 1 d x 90",
            r#"drug = "clomiphene_citrate"
route = "oral"
amount = "25 mg"
at = "8 h"
every = "1 d"
count = 90"#,
        ),
        (
            "hpg",
            "hcg 500 IU sc every 2 d x 10",
            r#"drug = "hcg"
route = "sc"
amount = "500 IU"
at = "0 h"
every = "2 d"
count = 10"#,
        ),
        (
            "hpa",
            "hydrocortisone 10 mg oral at 7 h",
            r#"drug = "hydrocortisone"
route = "oral"
amount = "10 mg"
at = "7 h""#,
        ),
    ];
    let mut compared = 0;
    for (axis, text, dose_toml) in cases {
        let drug = text.split_whitespace().next().unwrap();
        if endocrine::drugs::find(drug).is_none() {
            eprintln!("skipped: {drug} is not registered yet");
            continue;
        }
        let toml = format!(
            "axis = \"{axis}\"\nduration = \"200 d\"\noutput_every = \"1 d\"\n\n[[dose]]\n{dose_toml}\n"
        );
        let scenario = Scenario::from_toml_str(&toml).unwrap();
        assert_eq!(
            scenario.to_regimen().unwrap(),
            parse_regimen(text).unwrap(),
            "{text}"
        );
        compared += 1;
    }
    eprintln!(
        "{compared} of {} examples compared with the scenario format",
        cases.len()
    );
}

/// Assert `text` fails with `variant` on field `dose "<text>".<part>`.
fn fails(text: &str, part: &str) -> Error {
    let e = parse_regimen(text).unwrap_err();
    let field = match &e {
        Error::InvalidValue { field, .. }
        | Error::InvalidUnit { field, .. }
        | Error::UnknownName { field, .. }
        | Error::UnsupportedRoute { field, .. }
        | Error::CountWithoutEvery { field, .. }
        | Error::LimitExceeded { field, .. } => field.clone(),
        other => panic!("{text}: unexpected {other:?}"),
    };
    let trimmed = text.trim();
    let expected = if part.is_empty() {
        format!("dose \"{trimmed}\"")
    } else {
        format!("dose \"{trimmed}\".{part}")
    };
    assert_eq!(field, expected, "{text}: {e}");
    e
}

#[test]
fn errors_name_the_dose_and_the_part() {
    // unknown route: lists every route (or, for a registered drug, its routes)
    let e = fails("depot 100 mg orally every 2 d x 10", "route");
    assert!(
        matches!(&e, Error::UnknownName { value, known, .. } if value == "orally" && known.contains("oral, im, sc"))
    );
    assert!(e
        .to_string()
        .contains("dose \"depot 100 mg orally every 2 d x 10\".route"));
    if endocrine::drugs::find("hcg").is_some() {
        let e = fails("hcg 500 IU orally every 2 d x 10", "route");
        assert!(matches!(e, Error::UnsupportedRoute { .. }));
    }
    assert!(matches!(
        fails("depot 100 mg", "route"),
        Error::InvalidValue { .. }
    ));
    assert!(matches!(
        fails("depot 100 IM", "amount"),
        Error::InvalidUnit { .. }
    ));
    assert!(matches!(
        fails("depot 200 im", "amount"),
        Error::InvalidUnit { .. }
    ));
    assert!(matches!(
        fails("depot 200 mgs im", "amount"),
        Error::InvalidUnit { .. }
    ));
    assert!(matches!(
        fails("depot 0 mg im", "amount"),
        Error::InvalidValue { .. }
    ));
    assert!(matches!(
        fails("depot", "amount"),
        Error::InvalidValue { .. }
    ));
    assert!(matches!(
        fails("200 mg im", "drug"),
        Error::InvalidValue { .. }
    ));
    assert!(matches!(
        fails("depot 100 mg im x 3", "count"),
        Error::CountWithoutEvery { count: 3, .. }
    ));
    assert!(matches!(
        fails("depot 100 mg im every 7 d", "count"),
        Error::InvalidValue { .. }
    ));
    assert!(matches!(
        fails("depot 100 mg im every 7 d x 0", "count"),
        Error::InvalidValue { .. }
    ));
    assert!(matches!(
        fails("depot 100 mg im every 7 d x 2.5", "count"),
        Error::InvalidValue { .. }
    ));
    assert!(matches!(
        fails("depot 100 mg im every 7 d x", "count"),
        Error::InvalidValue { .. }
    ));
    assert!(matches!(
        fails("depot 100 mg im every 1 h x 2000000", "count"),
        Error::LimitExceeded { .. }
    ));
    assert!(matches!(
        fails("depot 100 mg im every 0 d x 2", "every"),
        Error::InvalidValue { .. }
    ));
    assert!(matches!(
        fails("depot 100 mg im every 14 days x 2", "every"),
        Error::InvalidUnit { .. }
    ));
    assert!(matches!(
        fails("depot 100 mg im every x 2", "every"),
        Error::InvalidValue { .. }
    ));
    assert!(matches!(
        fails("depot 100 mg im at -1 h", "at"),
        Error::InvalidValue { .. }
    ));
    assert!(matches!(
        fails("depot 100 mg im at 1 h at 2 h", "at"),
        Error::InvalidValue { .. }
    ));
    assert!(matches!(
        fails("bolus 10 mg iv every 2 h x 3 over 3 h", "duration"),
        Error::InvalidValue { .. }
    ));
    assert!(matches!(
        fails("bolus 10 mg iv over 0 h", "duration"),
        Error::InvalidValue { .. }
    ));
    assert!(matches!(
        fails("depot 100 mg im daily", ""),
        Error::InvalidValue { .. }
    ));
    // the part at fault is found in the second dose
    let e = parse_regimen("depot 100 mg im; depot 5 kg im").unwrap_err();
    assert!(
        matches!(e, Error::InvalidUnit { field, .. } if field == "dose \"depot 5 kg im\".amount")
    );
    // nothing to parse
    for empty in ["", "  ", ";", " ; ; "] {
        assert!(
            matches!(parse_regimen(empty), Err(Error::InvalidValue { field, .. }) if field == "dose")
        );
    }
    assert!(parse_dose("depot 1 mg im; depot 2 mg im").is_err());
}

#[test]
fn long_doses_are_clipped_in_messages() {
    let text = format!("depot 100 mg im at 1 h {}", "x 1 ".repeat(40));
    let e = parse_regimen(&text).unwrap_err();
    assert!(
        matches!(&e, Error::InvalidValue { field, .. } if field.contains('…') && field.len() < 120),
        "{e}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// format_dose writes a shorthand that reads back to the identical Dose.
    #[test]
    fn format_round_trips(amount in 1e-3f64..1e4, iu in proptest::bool::ANY, at in 0.0f64..1000.0,
                          every in 0.5f64..500.0, count in 1u64..100, infused in proptest::bool::ANY,
                          frac in 0.01f64..1.0, route in 0usize..6) {
        let amount = if iu { Amount::iu(amount) } else { Amount::mg(amount) };
        let mut d = Dose::new("some_drug", Route::ALL[route], amount, at).unwrap().every(every, count).unwrap();
        if infused { d = d.over(frac * every).unwrap(); }
        let text = format_dose(&d);
        prop_assert_eq!(parse_dose(&text).unwrap(), d.clone(), "{}", text);
        let r = Regimen::new().with(d.clone()).with(d);
        prop_assert_eq!(parse_regimen(&format_regimen(&r)).unwrap(), r);
    }
}

#[test]
fn checks_against_the_model_name_the_dose() {
    use endocrine::shorthand::parse_regimen_for;
    let hpg = RefHpg::default();
    let end = 30.0 * 24.0;
    let ok = parse_regimen_for(&hpg, "depot 100 mg im every 7 d", end).unwrap();
    assert_eq!(ok.doses()[0].count(), 5);
    let err = |text: &str| parse_regimen_for(&hpg, text, end).unwrap_err();
    let field = |text: &str, part: &str| format!("dose \"{text}\".{part}");

    let t = "depot 500 IU im every 7 d x 2";
    assert!(matches!(err(t), Error::InvalidUnit { field: f, .. } if f == field(t, "amount")));
    let t = "no_such_drug 1 mg im";
    assert!(matches!(err(t), Error::UnknownDrug { field: f, .. } if f == field(t, "drug")));
    let t = "depot 100 mg im every 7 d x 10";
    assert!(matches!(err(t), Error::AfterEnd { field: f, .. } if f == field(t, "count")));
    let t = "depot 100 mg im at 31 d";
    assert!(matches!(err(t), Error::AfterEnd { field: f, .. } if f == field(t, "at")));
    // the same regimen simulates without error
    simulate(&hpg, &ok, &SimOptions::new(end, 24.0).unwrap()).unwrap();
}
