//! Scenario files and the CLI: every bad input is a typed error naming its field, every
//! shipped scenario passes `check`, TOML and JSON agree, and the binary never panics.

use endocrine::scenario::Scenario;
use endocrine::Error;
use std::path::{Path, PathBuf};
use std::process::Command;

const HPG: &str = "axis = \"hpg\"\nduration = \"30 d\"\noutput_every = \"1 d\"\n";
const HPA: &str = "axis = \"hpa\"\nduration = \"3 d\"\noutput_every = \"1 h\"\n";

/// One `[[dose]]` entry from `key = value` lines.
fn dose(lines: &str) -> String {
    format!("\n[[dose]]\n{lines}\n")
}

const TE: &str =
    "drug = \"testosterone_enanthate\"\nroute = \"im\"\namount = \"100 mg\"\nat = \"8 h\"";

fn err(doc: &str) -> Error {
    match Scenario::from_toml_str(doc) {
        Ok(s) => panic!("expected an error, got {s:?}\n{doc}"),
        Err(e) => e,
    }
}

/// The `field` of the error variants that carry one.
fn field_of(e: &Error) -> &str {
    e.field().unwrap_or_else(|| panic!("no field in {e:?}"))
}

macro_rules! assert_err {
    ($doc:expr, $variant:ident, $field:expr) => {{
        let e = err(&$doc);
        assert!(
            matches!(e, Error::$variant { .. }),
            "expected {}, got {e:?}",
            stringify!($variant)
        );
        assert_eq!(field_of(&e), $field, "{e}");
        assert!(
            e.to_string().contains($field),
            "message must name the field: {e}"
        );
        e
    }};
}

#[test]
fn negative_amount() {
    let doc = HPG.to_string() + &dose(&TE.replace("\"100 mg\"", "\"-100 mg\""));
    assert_err!(doc, InvalidValue, "dose[0].amount");
}

#[test]
fn zero_amount() {
    let doc = HPG.to_string() + &dose(&TE.replace("\"100 mg\"", "\"0 mg\""));
    assert_err!(doc, InvalidValue, "dose[0].amount");
}

#[test]
fn nan_amount() {
    let doc = HPG.to_string() + &dose(&TE.replace("\"100 mg\"", "\"NaN mg\""));
    assert_err!(doc, InvalidUnit, "dose[0].amount");
    // A bare TOML nan is a number without a unit.
    let doc = HPG.to_string() + &dose(&TE.replace("\"100 mg\"", "nan"));
    assert_err!(doc, InvalidUnit, "dose[0].amount");
}

#[test]
fn unitless_amount_string() {
    let doc = HPG.to_string() + &dose(&TE.replace("\"100 mg\"", "\"100\""));
    let e = assert_err!(doc, InvalidUnit, "dose[0].amount");
    assert!(e.to_string().contains("mg"), "lists the units: {e}");
}

#[test]
fn amount_as_a_number_is_a_missing_unit() {
    let doc = HPG.to_string() + &dose(&TE.replace("\"100 mg\"", "100"));
    let e = assert_err!(doc, InvalidUnit, "dose[0].amount");
    assert!(
        e.to_string().contains("\"100 mg\""),
        "shows how to write it: {e}"
    );
}

#[test]
fn wrong_kind_of_amount() {
    let doc = HPG.to_string() + &dose(&TE.replace("\"100 mg\"", "\"100 IU\""));
    assert_err!(doc, InvalidUnit, "dose[0].amount");
}

#[test]
fn unknown_drug_lists_known_ones() {
    let doc = HPG.to_string() + &dose(&TE.replace("testosterone_enanthate", "unobtainium"));
    let e = assert_err!(doc, UnknownDrug, "dose[0].drug");
    assert!(e.to_string().contains("testosterone_enanthate"), "{e}");
}

#[test]
fn route_the_drug_does_not_have() {
    let doc = HPG.to_string() + &dose(&TE.replace("\"im\"", "\"oral\""));
    let e = assert_err!(doc, UnsupportedRoute, "dose[0].route");
    let Error::UnsupportedRoute { supported, .. } = &e else {
        unreachable!()
    };
    assert!(supported.contains("im") && supported.contains("sc"), "{e}");
    // Not a route at all: still the drug's routes.
    let doc = HPG.to_string() + &dose(&TE.replace("\"im\"", "\"intramuscular\""));
    assert_err!(doc, UnsupportedRoute, "dose[0].route");
}

#[test]
fn zero_every() {
    let doc = HPG.to_string() + &dose(&format!("{TE}\nevery = \"0 h\"\ncount = 3"));
    assert_err!(doc, InvalidValue, "dose[0].every");
}

#[test]
fn negative_every() {
    let doc = HPG.to_string() + &dose(&format!("{TE}\nevery = \"-7 d\"\ncount = 3"));
    assert_err!(doc, InvalidValue, "dose[0].every");
}

#[test]
fn count_without_every() {
    let doc = HPG.to_string() + &dose(&format!("{TE}\ncount = 4"));
    assert_err!(doc, CountWithoutEvery, "dose[0].count");
}

#[test]
fn zero_count() {
    let doc = HPG.to_string() + &dose(&format!("{TE}\nevery = \"7 d\"\ncount = 0"));
    assert_err!(doc, InvalidValue, "dose[0].count");
}

#[test]
fn dose_at_the_end() {
    let doc = HPG.to_string() + &dose(&TE.replace("\"8 h\"", "\"30 d\""));
    assert_err!(doc, AfterEnd, "dose[0].at");
}

#[test]
fn dose_after_the_end() {
    let doc = HPG.to_string() + &dose(&TE.replace("\"8 h\"", "\"40 d\""));
    assert_err!(doc, AfterEnd, "dose[0].at");
}

#[test]
fn repeated_doses_running_past_the_end() {
    let doc = HPG.to_string() + &dose(&format!("{TE}\nevery = \"7 d\"\ncount = 10"));
    assert_err!(doc, AfterEnd, "dose[0].count");
}

#[test]
fn unknown_field_in_second_dose() {
    let doc = HPG.to_string() + &dose(TE) + &dose(&TE.replace("amount =", "amout ="));
    let e = assert_err!(doc, UnknownField, "dose[1].amout");
    let Error::UnknownField { allowed, .. } = &e else {
        unreachable!()
    };
    assert!(allowed.contains("amount"), "{e}");
}

#[test]
fn unknown_fields_everywhere() {
    assert_err!(
        HPG.to_string() + "durration = \"1 d\"\n",
        UnknownField,
        "durration"
    );
    assert_err!(
        HPG.to_string() + "[subject]\ntotal_t = \"300 ng/dL\"\nheight = \"180 cm\"\n",
        UnknownField,
        "subject.height"
    );
    // A field of the other axis's subject.
    assert_err!(
        HPG.to_string() + "[subject]\ncondition = \"healthy\"\n",
        UnknownField,
        "subject.condition"
    );
    assert_err!(
        HPG.to_string() + "[[procedure]]\nname = \"orchiectomy\"\nat = \"1 d\"\nwhen = 3\n",
        UnknownField,
        "procedure[0].when"
    );
    assert_err!(
        HPG.to_string() + "[[lab]]\nat = \"1 d\"\nassays = [\"lh\"]\ncv = \"5 %\"\n",
        UnknownField,
        "lab[0].cv"
    );
    assert_err!(
        HPG.to_string() + "[population]\nn = 10\nsize = 10\n",
        UnknownField,
        "population.size"
    );
    assert_err!(
        HPG.to_string() + "[solver]\nrtoll = 1e-6\n",
        UnknownField,
        "solver.rtoll"
    );
}

#[test]
fn empty_file() {
    assert!(matches!(
        Scenario::from_toml_str(""),
        Err(Error::EmptyScenario { .. })
    ));
    assert!(matches!(
        Scenario::from_toml_str("  \n# only a comment\n"),
        Err(Error::EmptyScenario { .. })
    ));
    assert!(matches!(
        Scenario::from_json_str("  "),
        Err(Error::EmptyScenario { .. })
    ));
    assert!(matches!(
        Scenario::from_json_str("{}"),
        Err(Error::EmptyScenario { .. })
    ));
    let path = tmp("empty.toml", "");
    match Scenario::from_path(&path) {
        Err(Error::EmptyScenario { path: p }) => assert!(p.contains("empty.toml")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn wrong_types() {
    assert_err!(
        HPG.to_string() + &dose(&format!("{TE}\nevery = \"7 d\"\ncount = \"3\"")),
        InvalidValue,
        "dose[0].count"
    );
    assert_err!(
        HPG.to_string() + &dose(&format!("{TE}\nevery = \"7 d\"\ncount = 2.5")),
        InvalidValue,
        "dose[0].count"
    );
    assert_err!(
        HPG.to_string() + &dose(&format!("{TE}\nevery = \"7 d\"\ncount = -2")),
        InvalidValue,
        "dose[0].count"
    );
    assert_err!(
        "axis = 1\nduration = \"1 d\"\noutput_every = \"1 h\"\n",
        InvalidValue,
        "axis"
    );
    assert_err!(
        "axis = \"hpg\"\nduration = 30\noutput_every = \"1 h\"\n",
        InvalidUnit,
        "duration"
    );
    // [dose] instead of [[dose]].
    let e = assert_err!(
        HPG.to_string() + "[dose]\n" + TE + "\n",
        InvalidValue,
        "dose"
    );
    assert!(e.to_string().contains("[[dose]]"), "{e}");
    assert_err!(
        HPA.to_string() + "[subject]\ngland_mass = \"yes\"\n",
        InvalidValue,
        "subject.gland_mass"
    );
    assert_err!(
        HPG.to_string() + "[[lab]]\nat = \"1 d\"\nassays = \"lh\"\n",
        InvalidValue,
        "lab[0].assays"
    );
}

#[test]
fn missing_fields() {
    assert_err!(
        "duration = \"1 d\"\noutput_every = \"1 h\"\n",
        MissingField,
        "axis"
    );
    assert_err!(
        HPG.to_string() + &dose(&TE.replace("route = \"im\"\n", "")),
        MissingField,
        "dose[0].route"
    );
}

#[test]
fn unknown_names() {
    assert_err!(
        "axis = \"hpx\"\nduration = \"1 d\"\noutput_every = \"1 h\"\n",
        UnknownName,
        "axis"
    );
    assert_err!(
        HPA.to_string() + "[subject]\ncondition = \"addison\"\n",
        UnknownName,
        "subject.condition"
    );
    assert_err!(
        HPG.to_string() + "[[lab]]\nat = \"1 d\"\nassays = [\"lh\", \"cortisol\"]\n",
        UnknownName,
        "lab[0].assays[1]"
    );
    assert_err!(
        HPG.to_string() + "[[procedure]]\nname = \"vasectomy\"\nat = \"1 d\"\n",
        UnknownProcedure,
        "procedure[0].name"
    );
}

#[test]
fn bad_subject_units() {
    assert_err!(
        HPG.to_string() + "[subject]\ntotal_t = \"205 mg\"\n",
        InvalidUnit,
        "subject.total_t"
    );
    assert_err!(
        HPG.to_string() + "[subject]\nlh = 4.0\n",
        InvalidUnit,
        "subject.lh"
    );
}

#[test]
fn bad_population_and_labs() {
    assert_err!(
        HPG.to_string() + "[population]\nn = 0\n",
        InvalidValue,
        "population.n"
    );
    assert_err!(
        HPG.to_string()
            + "[population]\n[population.variability]\ntestosterone_clearance = \"25\"\n",
        InvalidUnit,
        "population.variability.testosterone_clearance"
    );
    assert_err!(
        HPG.to_string() + "[[lab]]\nat = \"1 d\"\ncount = 3\nassays = [\"lh\"]\n",
        CountWithoutEvery,
        "lab[0].count"
    );
    assert_err!(
        HPG.to_string() + "[[lab]]\nat = \"31 d\"\nassays = [\"lh\"]\n",
        AfterEnd,
        "lab[0].at"
    );
}

#[test]
fn drug_of_the_other_axis() {
    // An HPG drug in an HPA scenario.
    let doc = HPA.to_string() + &dose(TE);
    assert_err!(doc, DrugNotOnModel, "dose[0].drug");
}

#[test]
fn hydrocortisone_in_an_hpg_scenario() {
    let doc = HPG.to_string()
        + &dose("drug = \"hydrocortisone\"\nroute = \"oral\"\namount = \"10 mg\"\nat = \"7 h\"");
    assert_err!(doc, DrugNotOnModel, "dose[0].drug");
}

#[test]
fn syntax_errors_are_parse_errors_with_a_position() {
    match Scenario::from_toml_str("axis = \"hpg\"\nduration = \"2 d\n") {
        Err(Error::Parse { location, .. }) => assert!(location.contains(":2:"), "{location}"),
        other => panic!("{other:?}"),
    }
    match Scenario::from_json_str("{\"axis\": \"hpg\",}") {
        Err(Error::Parse { location, .. }) => assert!(location.contains(":1:"), "{location}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn duplicated_json_keys_are_refused() {
    let e = Scenario::from_json_str(
        r#"{"axis": "hpg", "duration": "1 d", "duration": "2 d", "output_every": "1 h"}"#,
    )
    .unwrap_err();
    assert!(matches!(e, Error::Parse { .. }), "{e:?}");
    assert!(e.to_string().contains("duration"), "{e}");
}

/// Every file in scenarios/ parses and passes the same check as `endocrine check`.
#[test]
fn every_shipped_scenario_checks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut n = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("toml" | "json")
        ) {
            continue;
        }
        n += 1;
        if let Err(e) = Scenario::from_path(&path).and_then(|s| s.check()) {
            failures.push(format!("{}: {e}", path.display()));
        }
    }
    assert!(n >= 9, "expected the shipped scenarios, found {n}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn toml_and_json_give_the_same_regimen() {
    let toml = r#"
        axis = "hpg"
        duration = "21 d"
        output_every = "6 h"
        [subject]
        total_t = "205 ng/dL"
        [[dose]]
        drug = "testosterone_enanthate"
        route = "im"
        amount = "200 mg"
        at = "8 h"
        every = "7 d"
        count = 3
        [[dose]]
        drug = "hcg"
        route = "sc"
        amount = "500 IU"
        at = "8 h"
        every = "2 d"
    "#;
    let json = r#"{
        "axis": "hpg", "duration": "21 d", "output_every": "6 h",
        "subject": {"total_t": "205 ng/dL"},
        "dose": [
            {"drug": "testosterone_enanthate", "route": "im", "amount": "200 mg",
             "at": "8 h", "every": "7 d", "count": 3},
            {"drug": "hcg", "route": "sc", "amount": "500 IU", "at": "8 h", "every": "2 d"}
        ]
    }"#;
    let a = Scenario::from_toml_str(toml).unwrap();
    let b = Scenario::from_json_str(json).unwrap();
    assert_eq!(a, b);
    let (ra, rb) = (a.to_regimen().unwrap(), b.to_regimen().unwrap());
    assert_eq!(ra, rb);
    // `every` without `count` repeats to the end of the run: days 0, 2, ..., 20.
    assert_eq!(ra.doses()[1].count(), 11);
    assert_eq!(a.to_options().unwrap(), b.to_options().unwrap());
    // From files, by extension.
    assert_eq!(Scenario::from_path(tmp("same.json", json)).unwrap(), a);
    assert_eq!(Scenario::from_path(tmp("same.toml", toml)).unwrap(), a);
    assert_err_of(
        Scenario::from_path(tmp("same.yaml", toml)),
        "scenario file extension",
    );
}

fn assert_err_of(r: endocrine::Result<Scenario>, field: &str) {
    match r {
        Err(e @ Error::UnknownName { .. }) => assert_eq!(field_of(&e), field),
        other => panic!("{other:?}"),
    }
}

#[test]
fn serde_round_trip_in_both_formats() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join("te_200mg_weekly_hcg_500iu.toml");
    let s = Scenario::from_path(path).unwrap();
    let t = toml::to_string(&s).unwrap();
    assert_eq!(Scenario::from_toml_str(&t).unwrap(), s, "{t}");
    let j = serde_json::to_string(&s).unwrap();
    assert_eq!(Scenario::from_json_str(&j).unwrap(), s, "{j}");
    let via_serde: Scenario = serde_json::from_str(&j).unwrap();
    assert_eq!(via_serde, s);
}

// ----------------------------------------------------------------------------------------
// The binary.

fn tmp(name: &str, content: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scenario_errors");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

fn cli(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_endocrine"))
        .args(args)
        .output()
        .unwrap()
}

fn assert_one_line_failure(out: &std::process::Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "must fail: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr:?}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(needle), "{stderr} should name {needle}");
}

#[test]
fn cli_bad_files_fail_on_one_line() {
    let cases = [
        (
            "amout.toml",
            HPG.to_string() + &dose(TE) + &dose(&TE.replace("amount =", "amout =")),
            "dose[1].amout",
        ),
        (
            "unitless.toml",
            HPG.to_string() + &dose(&TE.replace("\"100 mg\"", "100")),
            "dose[0].amount",
        ),
        (
            "late.toml",
            HPG.to_string() + &dose(&TE.replace("\"8 h\"", "\"40 d\"")),
            "dose[0].at",
        ),
        ("empty.toml", String::new(), "empty"),
        (
            "syntax.toml",
            "axis = \"hpg\nx".to_string(),
            "syntax.toml:1:",
        ),
        (
            "newline.toml",
            HPG.to_string() + &dose(&TE.replace("\"100 mg\"", "\"100\\nkg\"")),
            "dose[0].amount",
        ),
    ];
    for (name, content, needle) in cases {
        let p = tmp(name, &content);
        for cmd in ["run", "check"] {
            let out = cli(&[cmd.as_ref(), p.as_os_str()]);
            assert_one_line_failure(&out, needle);
            assert_eq!(out.status.code(), Some(1), "{name}");
        }
    }
    let out = cli(&["run".as_ref(), "/no/such/file.toml".as_ref()]);
    assert_one_line_failure(&out, "/no/such/file.toml");
    let out = cli(&["frobnicate".as_ref()]);
    assert_one_line_failure(&out, "frobnicate");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn cli_run_writes_the_hpg_header() {
    let p = tmp(
        "hpg_2d.toml",
        "axis = \"hpg\"\nduration = \"2 d\"\noutput_every = \"1 d\"\n",
    );
    let out = cli(&["run".as_ref(), p.as_os_str()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let header: Vec<&str> = stdout.lines().next().unwrap().split(',').collect();
    for col in [
        "time_h",
        "lh_iu_l",
        "fsh_iu_l",
        "total_t_ng_dl",
        "free_t_pg_ml",
        "e2_pg_ml",
    ] {
        assert!(header.contains(&col), "{col} missing from {header:?}");
    }
    assert_eq!(header[0], "time_h");
    assert_eq!(stdout.lines().count(), 4, "header + rows at 0, 24, 48 h");

    // -o writes the same CSV to a file.
    let csv = p.with_extension("csv");
    let out = cli(&[
        "run".as_ref(),
        p.as_os_str(),
        "-o".as_ref(),
        csv.as_os_str(),
    ]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), stdout);
}

#[test]
fn cli_check_and_drugs() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join("te_200mg_weekly.toml");
    let out = cli(&["check".as_ref(), p.as_os_str()]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ok: "));
    let out = cli(&["drugs".as_ref()]);
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.lines().next().unwrap().starts_with("drug"));
    assert!(table.contains("testosterone_enanthate"));
    assert!(table.contains("IU"), "hcg is dosed in IU:\n{table}");
}

#[test]
fn cli_labs_cohort_and_validate() {
    let p = tmp(
        "hpg_labs.toml",
        "axis = \"hpg\"\nduration = \"14 d\"\noutput_every = \"1 d\"\n\
         [[lab]]\nat = \"7 d 8 h\"\nassays = [\"total_t\", \"lh\"]\n",
    );
    // run --labs: one row per assay and draw, with the scenario.md columns
    let labs = p.with_extension("labs.csv");
    let out = cli(&[
        "run".as_ref(),
        p.as_os_str(),
        "-o".as_ref(),
        p.with_extension("csv").as_os_str(),
        "--labs".as_ref(),
        labs.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&labs).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("time_h,assay,value,unit,true_value"));
    assert_eq!(lines.count(), 2);
    // cohort without [population]: one line naming the missing field, exit 1
    let out = cli(&["cohort".as_ref(), p.as_os_str()]);
    assert_one_line_failure(&out, "population.n");
    assert_eq!(out.status.code(), Some(1));
    // cohort with --n and --seed given on the command line
    let out = cli(&[
        "cohort".as_ref(),
        p.as_os_str(),
        "--n".as_ref(),
        "4".as_ref(),
        "--seed".as_ref(),
        "1".as_ref(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with("time_h,lh_iu_l_p5,"));
    // validate: writes the table where asked
    let md = p.with_extension("md");
    let out = cli(&["validate".as_ref(), "--output".as_ref(), md.as_os_str()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read_to_string(&md).unwrap().contains("| O4 |"));
}

#[test]
fn cli_incomplete_run_writes_rows_and_exits_3() {
    let p = tmp(
        "max_steps.toml",
        &(HPG.to_string() + "[solver]\nmax_steps = 2\n" + &dose(TE)),
    );
    let out = cli(&["run".as_ref(), p.as_os_str()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("maximum number of steps"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("time_h,"), "rows are still written");
}

#[test]
fn impossible_baseline_labs_fail_check_not_parse() {
    let s = Scenario::from_toml_str(&(HPG.to_string() + "[subject]\nage = \"15 yr\"\n")).unwrap();
    match s.check() {
        Err(Error::Calibration { field, .. }) => assert_eq!(field, "subject.age"),
        other => panic!("{other:?}"),
    }
    let p = tmp(
        "young.toml",
        &(HPG.to_string() + "[subject]\nage = \"15 yr\"\n"),
    );
    let out = cli(&["check".as_ref(), p.as_os_str()]);
    assert_one_line_failure(&out, "subject.age");
}

#[test]
fn resource_limits_are_errors() {
    assert_err!(
        HPG.to_string() + &dose(&format!("{TE}\nevery = \"1 s\"\ncount = 2000000")),
        LimitExceeded,
        "dose[0].count"
    );
    // `every` without `count` on a long run: millions of doses.
    let doc = "axis = \"hpg\"\nduration = \"3000 d\"\noutput_every = \"1 d\"\n".to_string()
        + &dose(&format!("{TE}\nevery = \"1 min\""));
    assert_err!(doc, LimitExceeded, "dose[0].every");
    // An output grid beyond the row limit.
    assert_err!(
        "axis = \"hpg\"\nduration = \"100 d\"\noutput_every = \"1 s\"\n",
        LimitExceeded,
        "output_every"
    );
}

/// Corrupted documents end in Ok or a typed error, never a panic.
#[test]
fn nasty_documents_never_panic() {
    let deep = "[".repeat(5000) + &"]".repeat(5000);
    let deep_json = "{\"a\":".repeat(5000) + "1" + &"}".repeat(5000);
    let toml_docs = [
        format!("x = {deep}"),
        HPG.to_string() + "[subject]\n\"ünïcødé\" = \"1 kg\"\n",
        HPG.to_string() + "[[dose]]\n[[dose]]\n",
        HPG.to_string() + &dose(&TE.replace("\"100 mg\"", "\"1e309 mg\"")),
        HPG.to_string() + &dose(&TE.replace("\"100 mg\"", "\"1e-320 mg\"")),
        HPG.to_string() + &dose(&TE.replace("\"8 h\"", "\"-0 h\"")),
        HPG.to_string() + &dose(&format!("{TE}\nevery = \"1e-300 h\"")),
        HPG.to_string()
            + &dose(&format!(
                "{TE}\nevery = \"7 d\"\ncount = 18446744073709551615"
            )),
        HPG.to_string() + &dose(&format!("{TE}\nduration = \"inf h\"")),
        HPG.to_string()
            + &dose(&format!(
                "{TE}\nevery = \"1 d\"\ncount = 3\nduration = \"2 d\""
            )),
        "axis = \"hpg\"\nduration = \"1e300 d\"\noutput_every = \"1e-300 h\"\n".into(),
        "axis = \"hpg\"\nduration = \"1 d\"\noutput_every = 1979-05-27T07:32:00Z\n".into(),
        HPG.to_string() + "[population]\nn = 99999999999\n[population.variability]\nCL = \"9 %\"\n",
        HPG.to_string() + "[population.variability]\nk = \"900 %\"\n",
        HPG.to_string() + "[solver]\nrtol = nan\natol = -1\n",
        HPG.to_string() + "[solver]\nmax_steps = 99999999999\n",
        HPG.to_string() + "[[lab]]\nat = \"1 d\"\nevery = \"1 d\"\nassays = []\n",
        HPG.to_string() + "subject = 3\n",
        "\u{feff}axis = \"hpg\"\nduration = \"1 d\"\noutput_every = \"1 h\"\n".into(),
        "\0\0\0".into(),
    ];
    for doc in &toml_docs {
        let _ = Scenario::from_toml_str(doc).and_then(|s| s.check());
    }
    for doc in [
        deep_json.as_str(),
        "null",
        "[]",
        "\"hpg\"",
        r#"{"axis": "hpg", "duration": "1 d", "output_every": "1 h", "dose": [null, 3]}"#,
        r#"{"axis": "hpg", "duration": "1 d", "output_every": "1 h", "dose": [{"count": -1e400}]}"#,
        r#"{"axis": null, "duration": "1 d", "output_every": "1 h"}"#,
    ] {
        let _ = Scenario::from_json_str(doc).and_then(|s| s.check());
    }
}

#[test]
fn every_table_survives_a_round_trip() {
    let doc = r#"
        axis = "hpg"
        duration = "60 d"
        output_every = "1 d"
        [subject]
        total_t = "205 ng/dL"
        lh = "4.0 IU/L"
        fsh = "5 IU/L"
        e2 = "17 pg/mL"
        shbg = "30 nmol/L"
        weight = "85 kg"
        age = "45 yr"
        [[dose]]
        drug = "testosterone_enanthate"
        route = "sc"
        amount = "50 mg"
        at = "7 d 8 h"
        every = "7 d"
        count = 4
        duration = "1 h"
        [[procedure]]
        name = "orchiectomy"
        at = "40 d"
        [[lab]]
        at = "7 d 8 h"
        every = "7 d"
        count = 4
        assays = ["total_t", "free_t", "e2", "lh", "fsh", "shbg"]
        [population]
        n = 1000
        seed = 7
        [population.variability]
        testosterone_clearance = "25 %"
        [solver]
        rtol = 1e-8
        atol = 1e-10
        max_steps = 50000
        max_step = "12 h"
    "#;
    let s = Scenario::from_toml_str(doc).unwrap();
    s.check().unwrap();
    let t = toml::to_string(&s).unwrap();
    assert_eq!(Scenario::from_toml_str(&t).unwrap(), s, "{t}");
    let j = serde_json::to_string_pretty(&s).unwrap();
    assert_eq!(Scenario::from_json_str(&j).unwrap(), s, "{j}");

    let draws = s.lab_draws().unwrap();
    assert_eq!(
        draws.iter().map(|d| d.t_h).collect::<Vec<_>>(),
        [176.0, 344.0, 512.0, 680.0]
    );
    assert_eq!(draws[0].assays.len(), 6);
    let pop = s.to_population(None, None).unwrap();
    assert_eq!((pop.n, pop.seed), (1000, 7));
    assert_eq!(pop.variability[0].cv, 0.25);
    assert_eq!(s.to_population(Some(10), Some(1)).unwrap().n, 10);
    let o = s.to_options().unwrap();
    assert_eq!(
        (o.rtol, o.max_steps, o.max_step_h),
        (1e-8, 50000, Some(12.0))
    );

    let hpa = r#"
        axis = "hpa"
        duration = "3 d"
        output_every = "1 h"
        [subject]
        condition = "primary_adrenal_insufficiency"
        gland_mass = true
        [[lab]]
        at = "1 d 8 h"
        assays = ["cortisol", "salivary_cortisol", "acth"]
    "#;
    let s = Scenario::from_toml_str(hpa).unwrap();
    s.check().unwrap();
    let t = toml::to_string(&s).unwrap();
    assert_eq!(Scenario::from_toml_str(&t).unwrap(), s, "{t}");
}

#[test]
fn steady_state_dose_starts_on_the_periodic_orbit() {
    let line = format!("{TE}\nevery = \"7 d\"\nsteady_state = true");
    let doc = "axis = \"hpg\"\nduration = \"14 d\"\noutput_every = \"1 d\"\n".to_string()
        + &dose(&line.replace("\"8 h\"", "\"0 h\""));
    let s = Scenario::from_toml_str(&doc).unwrap();
    let tr = s.run().unwrap();
    let t = tr.series("total_t_ng_dl").unwrap();
    let lh = tr.series("lh_iu_l").unwrap();
    // Row 0 (t = 0) and the row just before the dose at 7 d are the same point of the orbit.
    let i = tr
        .times_h()
        .iter()
        .position(|&x| x == 168.0)
        .expect("a row at 7 d");
    assert!((t[i] - t[0]).abs() < 1e-4 * t[0], "{} vs {}", t[i], t[0]);
    assert!(
        (lh[i] - lh[0]).abs() < 1e-4 * lh[0],
        "{} vs {}",
        lh[i],
        lh[0]
    );

    // Steady-state lines first, with `every`, starting within the first interval.
    let plain = dose(TE);
    assert_err!(
        HPG.to_string() + &plain + &dose(&line),
        InvalidValue,
        "dose[1].steady_state"
    );
    assert_err!(
        HPG.to_string() + &dose(&format!("{TE}\nsteady_state = true")),
        InvalidValue,
        "dose[0].steady_state"
    );
    assert_err!(
        HPG.to_string() + &dose(&line.replace("\"8 h\"", "\"7 d\"")),
        InvalidValue,
        "dose[0].at"
    );
}

#[cfg(feature = "plot")]
#[test]
fn cli_plots_a_run_and_a_comparison() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let a = dir.join("te_200mg_weekly.toml");
    let b = dir.join("te_200mg_weekly_hcg_500iu.toml");
    let svg = tmp("run.svg", "");
    let csv = tmp("run.csv", "");
    let out = cli(&[
        "run".as_ref(),
        a.as_os_str(),
        "-o".as_ref(),
        csv.as_os_str(),
        "--plot".as_ref(),
        svg.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
    assert!(std::fs::read_to_string(&csv)
        .unwrap()
        .starts_with("time_h,"));

    let cmp = tmp("compare.svg", "");
    let out = cli(&[
        "compare".as_ref(),
        a.as_os_str(),
        b.as_os_str(),
        "--plot".as_ref(),
        cmp.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read_to_string(&cmp).unwrap().contains("<svg"));
    // A bad second scenario: one line naming the field, nothing drawn over the old file.
    let bad = tmp(
        "bad_b.toml",
        &(HPG.to_string() + &dose(&TE.replace("\"im\"", "\"oral\""))),
    );
    let out = cli(&[
        "compare".as_ref(),
        a.as_os_str(),
        bad.as_os_str(),
        "--plot".as_ref(),
        cmp.as_os_str(),
    ]);
    assert_one_line_failure(&out, "dose[0].route");
}

/// Byte-level mutations of the shipped scenarios (deterministic): every one ends in Ok or
/// a typed error whose message is one line, never a panic.
#[test]
fn mutated_scenarios_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let texts: Vec<String> = files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let pieces = [
        "\"",
        "=",
        "[",
        "]",
        "[[dose]]",
        "\n",
        "-",
        "1e999",
        "nan",
        " mg",
        " IU",
        " d",
        "0",
        "µ",
        "\u{0}",
        "{",
        "}",
        ",",
        "count = 3\n",
        "every = \"0 h\"\n",
        "\"\"",
    ];
    let (mut ok, mut err) = (0, 0);
    for _ in 0..3000 {
        let mut text = texts[next(texts.len())].clone().into_bytes();
        for _ in 0..1 + next(4) {
            let at = next(text.len() + 1);
            match next(3) {
                0 if at < text.len() => {
                    let end = (at + 1 + next(8)).min(text.len());
                    text.drain(at..end);
                }
                1 => {
                    let p = pieces[next(pieces.len())].as_bytes();
                    text.splice(at..at, p.iter().copied());
                }
                _ if at < text.len() => text[at] = b"x0 .\"=\n"[next(7)],
                _ => {}
            }
        }
        let text = String::from_utf8_lossy(&text);
        // Parsing validates everything but the subject's calibration (`check` adds it,
        // and costs a model build: the shipped files cover it).
        match Scenario::from_toml_str(&text) {
            Ok(_) => ok += 1,
            Err(e) => {
                err += 1;
                let msg = e.to_string();
                assert!(!msg.is_empty());
            }
        }
    }
    assert!(ok > 0 && err > 0, "ok {ok}, err {err}");
}

/// Issue 9: a shorthand quick run and the equivalent scenario file give identical CSV.
#[test]
fn cli_shorthand_run_equals_scenario_run() {
    let p = tmp(
        "shorthand_equiv.toml",
        "axis = \"hpg\"\nduration = \"14 d\"\noutput_every = \"1 d\"\n\
         [[dose]]\ndrug = \"testosterone_enanthate\"\nroute = \"im\"\namount = \"100 mg\"\nat = \"8 h\"\nevery = \"7 d\"\ncount = 2\n",
    );
    let a = cli(&["run".as_ref(), p.as_os_str()]);
    let b = cli(&[
        "run".as_ref(),
        "--axis".as_ref(),
        "hpg".as_ref(),
        "--days".as_ref(),
        "14".as_ref(),
        "--output-every".as_ref(),
        "1 d".as_ref(),
        "--dose".as_ref(),
        "testosterone_enanthate 100 mg im at 8 h every 7 d x 2".as_ref(),
    ]);
    assert!(
        a.status.success() && b.status.success(),
        "{}",
        String::from_utf8_lossy(&b.stderr)
    );
    assert_eq!(a.stdout, b.stdout);
    let bad = cli(&[
        "run".as_ref(),
        "--axis".as_ref(),
        "hpg".as_ref(),
        "--days".as_ref(),
        "14".as_ref(),
        "--dose".as_ref(),
        "hcg 500 mg sc".as_ref(),
    ]);
    assert_one_line_failure(&bad, "hcg");
    assert_eq!(bad.status.code(), Some(1));
}

/// Issue 9: `[[titration]]` tables are parsed as strictly as the rest; every bad rule is a
/// typed error naming the field (`titration[i].…`) and the value.
mod titration_tables {
    use super::*;

    /// A daily gel for 42 days and a valid AndroGel rule (P46); `edit` rewrites the rule.
    fn doc(rule: &str) -> String {
        "axis = \"hpg\"\nduration = \"42 d\"\noutput_every = \"1 d\"\n\
         [[dose]]\ndrug = \"testosterone_gel\"\nroute = \"transdermal\"\namount = \"40.5 mg\"\n\
         at = \"8 h\"\nevery = \"1 d\"\ncount = 42\n\
         [[titration]]\n"
            .to_string()
            + rule
    }

    const OK: &str = "drug = \"testosterone_gel\"\nassay = \"total_t\"\npre_dose = \"0 h\"\n\
        check_at = [\"14 d\", \"28 d\"]\nlow = \"350 ng/dL\"\nhigh = \"750 ng/dL\"\n\
        step = \"20.25 mg\"\nmin = \"20.25 mg\"\nmax = \"81 mg\"\nmin_interval = \"14 d\"\n";

    fn with(from: &str, to: &str) -> String {
        assert!(OK.contains(from), "{from}");
        doc(&OK.replace(from, to))
    }

    #[test]
    fn the_valid_rule_parses_and_round_trips() {
        let s = Scenario::from_toml_str(&doc(OK)).unwrap();
        assert_eq!(s.titrations.len(), 1);
        let back = Scenario::from_toml_str(&toml::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(Scenario::from_json_str(&json).unwrap(), s);
        // nmol/L is accepted for a testosterone threshold (12.13 nmol/L ≈ 350 ng/dL)
        Scenario::from_toml_str(&with("\"350 ng/dL\"", "\"12.13 nmol/L\"")).unwrap();
    }

    #[test]
    fn unknown_field() {
        let e = assert_err!(
            doc(&(OK.to_string() + "target = \"500 ng/dL\"\n")),
            UnknownField,
            "titration[0].target"
        );
        assert!(
            e.to_string().contains("min_interval"),
            "lists the allowed: {e}"
        );
    }

    #[test]
    fn unknown_or_foreign_assay() {
        let e = assert_err!(
            with("\"total_t\"", "\"testosterone\""),
            UnknownName,
            "titration[0].assay"
        );
        assert!(e.to_string().contains("testosterone"), "{e}");
        assert_err!(
            with("\"total_t\"", "\"cortisol\""),
            UnknownName,
            "titration[0].assay"
        );
    }

    #[test]
    fn thresholds_in_the_wrong_order() {
        let e = assert_err!(
            doc(&OK.replace("\"350 ng/dL\"", "\"800 ng/dL\"")),
            InvalidValue,
            "titration[0].low"
        );
        assert!(e.to_string().contains("800 ng/dL"), "names the value: {e}");
        // equal is wrong too: there would be no target range
        assert_err!(
            with("\"350 ng/dL\"", "\"750 ng/dL\""),
            InvalidValue,
            "titration[0].low"
        );
        // neither threshold
        let none = OK
            .replace("low = \"350 ng/dL\"\n", "")
            .replace("high = \"750 ng/dL\"\n", "");
        assert_err!(doc(&none), InvalidValue, "titration[0].low");
    }

    #[test]
    fn min_above_max() {
        let e = assert_err!(
            with("min = \"20.25 mg\"", "min = \"90 mg\""),
            InvalidValue,
            "titration[0].min"
        );
        assert!(e.to_string().contains("90 mg"), "{e}");
    }

    #[test]
    fn a_rule_on_a_drug_not_dosed() {
        let e = assert_err!(
            with(
                "drug = \"testosterone_gel\"",
                "drug = \"testosterone_enanthate\""
            ),
            InvalidValue,
            "titration[0].drug"
        );
        assert!(e.to_string().contains("testosterone_enanthate"), "{e}");
        assert_err!(
            with("drug = \"testosterone_gel\"", "drug = \"\""),
            InvalidValue,
            "titration[0].drug"
        );
        // a dose_line that is not there, or gives another drug
        assert_err!(
            doc(&(OK.to_string() + "dose_line = 3\n")),
            InvalidValue,
            "titration[0].dose_line"
        );
    }

    #[test]
    fn negative_nan_and_unitless_values() {
        assert_err!(
            with("\"350 ng/dL\"", "\"-350 ng/dL\""),
            InvalidValue,
            "titration[0].low"
        );
        assert_err!(
            with("\"750 ng/dL\"", "\"NaN ng/dL\""),
            InvalidUnit,
            "titration[0].high"
        );
        assert_err!(
            with("\"750 ng/dL\"", "750"),
            InvalidUnit,
            "titration[0].high"
        );
        assert_err!(
            with("\"750 ng/dL\"", "\"750 IU/L\""),
            InvalidUnit,
            "titration[0].high"
        );
        assert_err!(
            with("step = \"20.25 mg\"", "step = \"-20.25 mg\""),
            InvalidValue,
            "titration[0].step"
        );
        assert_err!(
            with("step = \"20.25 mg\"", "step = \"20 IU\""),
            InvalidUnit,
            "titration[0].step"
        );
        assert_err!(
            with("max = \"81 mg\"", "max = \"0 mg\""),
            InvalidValue,
            "titration[0].max"
        );
        assert_err!(
            with("\"14 d\",", "\"-14 d\","),
            InvalidValue,
            "titration[0].check_at[0]"
        );
        assert_err!(
            with("\"14 d\",", "14,"),
            InvalidUnit,
            "titration[0].check_at[0]"
        );
        assert_err!(
            with("min_interval = \"14 d\"", "min_interval = \"-1 d\""),
            InvalidValue,
            "titration[0].min_interval"
        );
        assert_err!(
            with("pre_dose = \"0 h\"", "pre_dose = \"-2 h\""),
            InvalidValue,
            "titration[0].pre_dose"
        );
    }

    #[test]
    fn schedule_and_shape_errors() {
        // check times out of order, after the last administration, or none
        assert_err!(
            with("[\"14 d\", \"28 d\"]", "[\"28 d\", \"14 d\"]"),
            InvalidValue,
            "titration[0].check_at"
        );
        assert_err!(
            with("[\"14 d\", \"28 d\"]", "[\"14 d\", \"50 d\"]"),
            InvalidValue,
            "titration[0].check_at[1]"
        );
        assert_err!(
            with("[\"14 d\", \"28 d\"]", "[]"),
            InvalidValue,
            "titration[0].check_at"
        );
        // both draw timings, or none
        assert_err!(
            doc(&(OK.to_string() + "post_dose = \"6 h\"\n")),
            InvalidValue,
            "titration[0].post_dose"
        );
        assert_err!(
            with("pre_dose = \"0 h\"\n", ""),
            InvalidValue,
            "titration[0].pre_dose"
        );
        // step without its limits
        assert_err!(
            with("min = \"20.25 mg\"\n", ""),
            MissingField,
            "titration[0].min"
        );
        // levels exclude step/min/max, and must increase
        let ladder = OK.replace(
            "step = \"20.25 mg\"\nmin = \"20.25 mg\"\nmax = \"81 mg\"\n",
            "",
        ) + "levels = [\"20.25 mg\", \"40.5 mg\", \"60.75 mg\"]\n";
        Scenario::from_toml_str(&doc(&ladder)).unwrap();
        assert_err!(
            doc(&(ladder.clone() + "step = \"1 mg\"\n")),
            InvalidValue,
            "titration[0].step"
        );
        let down = ladder.replace("\"60.75 mg\"]", "\"30 mg\"]");
        assert_err!(doc(&down), InvalidValue, "titration[0].levels");
        // the starting amount must be a rung
        let off = ladder.replace("\"40.5 mg\",", "\"41 mg\",");
        let e = assert_err!(doc(&off), InvalidValue, "titration[0].levels");
        assert!(e.to_string().contains("40.5 mg"), "names the amount: {e}");
        // the starting amount must lie within min and max: the bound it breaks is named
        let e = assert_err!(
            with("max = \"81 mg\"", "max = \"30 mg\""),
            InvalidValue,
            "titration[0].max"
        );
        assert!(e.to_string().contains("40.5 mg"), "names the amount: {e}");
        assert_err!(
            with("min = \"20.25 mg\"", "min = \"60 mg\""),
            InvalidValue,
            "titration[0].min"
        );
        // a single table instead of [[titration]]
        let single = doc(OK).replace("[[titration]]", "[titration]");
        assert_err!(single, InvalidValue, "titration");
        // a rule on a line given once cannot titrate
        let once = doc(OK).replace("every = \"1 d\"\ncount = 42\n", "");
        assert_err!(once, InvalidValue, "titration[0].drug");
        // titration with a steady-state start is refused
        let ss = doc(OK).replace("at = \"8 h\"\n", "at = \"8 h\"\nsteady_state = true\n");
        assert_err!(ss, InvalidValue, "dose[0].steady_state");
    }
}
