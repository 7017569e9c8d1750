//! Bad input on the thyroid axis is a typed error naming its field, never a panic:
//! negative or zero µg, thyroid hormones on another axis, fields the axis does not know,
//! out-of-range subject parameters, and hand-made parameters.

use endocrine::axes::hpt::{Hpt, HptParams};
use endocrine::scenario::Scenario;
use endocrine::Error;

const HPT: &str = "axis = \"hpt\"\nduration = \"10 d\"\noutput_every = \"1 d\"\n";
const HPG: &str = "axis = \"hpg\"\nduration = \"10 d\"\noutput_every = \"1 d\"\n";
const LT4: &str = "\n[[dose]]\ndrug = \"levothyroxine\"\nroute = \"oral\"\namount = \"100 ug\"\nat = \"7 h\"\nevery = \"1 d\"\n";

fn err(doc: &str) -> Error {
    match Scenario::from_toml_str(doc) {
        Ok(s) => panic!("expected an error, got {s:?}\n{doc}"),
        Err(e) => e,
    }
}

/// The error's field and message, which must name it.
fn field(e: &Error) -> String {
    let f = e
        .field()
        .unwrap_or_else(|| panic!("no field in {e:?}"))
        .to_string();
    assert!(
        e.to_string().contains(&f),
        "message must name the field: {e}"
    );
    f
}

#[test]
fn a_valid_hpt_scenario_parses_and_runs() {
    let s = Scenario::from_toml_str(&format!("{HPT}{LT4}")).unwrap();
    let tr = s.run().unwrap();
    assert!(tr.outcome().is_completed());
    for col in [
        "tsh_miu_l",
        "ft4_ng_dl",
        "ft3_pg_ml",
        "total_t4_ug_dl",
        "total_t3_ng_dl",
    ] {
        assert!(tr.column_index(col).is_some(), "{col}");
    }
    // "mcg" is the unit on thyroid-hormone labels
    Scenario::from_toml_str(&format!("{HPT}{}", LT4.replace("100 ug", "100 mcg"))).unwrap();
}

#[test]
fn negative_or_zero_micrograms() {
    for bad in ["-100 ug", "0 ug", "-25 mcg"] {
        let e = err(&format!("{HPT}{}", LT4.replace("100 ug", bad)));
        assert!(matches!(e, Error::InvalidValue { .. }), "{bad}: {e:?}");
        assert_eq!(field(&e), "dose[0].amount");
    }
    // an activity is not a mass
    let e = err(&format!("{HPT}{}", LT4.replace("100 ug", "100 IU")));
    assert!(matches!(e, Error::InvalidUnit { .. }), "{e:?}");
}

#[test]
fn thyroid_hormones_on_another_axis() {
    for drug in ["levothyroxine", "liothyronine"] {
        for axis in [HPG, &HPG.replace("hpg", "hpa")] {
            let e = err(&format!("{axis}{}", LT4.replace("levothyroxine", drug)));
            assert!(matches!(e, Error::DrugNotOnModel { .. }), "{e:?}");
            assert_eq!(field(&e), "dose[0].drug");
            assert!(e.to_string().contains(drug), "{e}");
        }
    }
    // iv too: refused for the axis, not for a missing compartment
    let e = err(&format!("{HPG}{}", LT4.replace("\"oral\"", "\"iv\"")));
    assert!(matches!(e, Error::DrugNotOnModel { .. }), "{e:?}");
}

#[test]
fn a_route_levothyroxine_does_not_have() {
    let e = err(&format!("{HPT}{}", LT4.replace("\"oral\"", "\"im\"")));
    assert!(matches!(e, Error::UnsupportedRoute { .. }), "{e:?}");
    assert_eq!(field(&e), "dose[0].route");
    assert!(
        e.to_string().contains("oral") && e.to_string().contains("iv"),
        "{e}"
    );
}

#[test]
fn unknown_fields() {
    // an HPG subject field on the thyroid axis, a typo, an unknown top-level field
    for (doc, f) in [
        (
            format!("{HPT}[subject]\ntotal_t = \"300 ng/dL\"\n"),
            "subject.total_t",
        ),
        (
            format!("{HPT}[subject]\nresidual_function = \"0 %\"\n"),
            "subject.residual_function",
        ),
        (format!("{HPT}thyroid = true\n"), "thyroid"),
        (format!("{HPT}{LT4}dose_ug = 100\n"), "dose[0].dose_ug"),
    ] {
        let e = err(&doc);
        assert!(matches!(e, Error::UnknownField { .. }), "{doc}: {e:?}");
        assert_eq!(field(&e), f);
    }
    // and the thyroid field on another axis
    let e = err(&format!(
        "{HPG}[subject]\nresidual_thyroid_function = \"0 %\"\n"
    ));
    assert!(matches!(e, Error::UnknownField { .. }), "{e:?}");
    // an assay of another axis
    let e = err(&format!(
        "{HPT}[[lab]]\nat = \"1 d\"\nassays = [\"total_t\"]\n"
    ));
    assert!(e.to_string().contains("lab[0].assays"), "{e}");
}

#[test]
fn residual_thyroid_function_out_of_range() {
    for (bad, variant_is_unit) in [
        ("150 %", false),
        ("-5 %", false),
        ("0.5", true),
        ("half", true),
    ] {
        let e = err(&format!(
            "{HPT}[subject]\nresidual_thyroid_function = \"{bad}\"\n"
        ));
        assert_eq!(field(&e), "subject.residual_thyroid_function", "{bad}: {e}");
        assert_eq!(
            matches!(e, Error::InvalidUnit { .. }),
            variant_is_unit,
            "{bad}: {e:?}"
        );
    }
    let e = err(&format!("{HPT}[subject]\nweight = \"-70 kg\"\n"));
    assert_eq!(field(&e), "subject.weight");
}

#[test]
fn hand_made_parameters_are_checked() {
    type Set = fn(&mut HptParams, f64);
    let cases: [(&str, Set, f64); 5] = [
        (
            "hpt.residual_thyroid_function",
            |p, v| p.residual_thyroid_function = v,
            1.5,
        ),
        (
            "hpt.t4_secretion_per_h",
            |p, v| p.t4_secretion_per_h = v,
            -1e-3,
        ),
        ("hpt.plasma_volume_l", |p, v| p.plasma_volume_l = v, 0.0),
        ("hpt.k05_per_h", |p, v| p.k05_per_h = v, f64::NAN),
        (
            "hpt.clock_origin_h",
            |p, v| p.clock_origin_h = v,
            f64::INFINITY,
        ),
    ];
    for (name, set, v) in cases {
        let mut p = HptParams::healthy();
        set(&mut p, v);
        let e = Hpt::try_new(p).unwrap_err();
        assert_eq!(field(&e), name, "{e}");
    }
    let mut p = HptParams::healthy();
    p.free_t4.coefficients[0] = 0.0;
    assert_eq!(field(&Hpt::try_new(p).unwrap_err()), "hpt.free_t4");
}
