//! The shipped label algorithms (issue 9) run through the scenario path: each file passes
//! `check`, its draws fall on the label's schedule, and a subject below the range steps up
//! while one above steps down, by the label's step. Every expected number below is the
//! label's (pk-parameters.md P46, P51, P40, P66), written out here, not read from the code.

use endocrine::axes::hpg::{BaselineLabs, Hpg, HpgParams};
use endocrine::scenario::Scenario;
use endocrine::titration::{Action, Decision};
use std::path::{Path, PathBuf};

const DAY: f64 = 24.0;
const SEED: u64 = 9;

fn path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

fn load(name: &str) -> Scenario {
    let s = Scenario::from_path(path(name)).unwrap();
    s.check().unwrap();
    s
}

fn man(t: f64, weight: f64, age: f64, t_clearance: f64) -> Hpg {
    let mut p = HpgParams::calibrated(&BaselineLabs {
        total_t_ng_dl: Some(t),
        weight_kg: Some(weight),
        age_years: Some(age),
        ..Default::default()
    })
    .unwrap();
    p.scale("testosterone_clearance", t_clearance).unwrap();
    Hpg::try_new(p).unwrap()
}

fn decisions(s: &Scenario, model: &Hpg) -> Vec<Decision> {
    let (tr, dec) = s.simulate_titrated_with(model, SEED).unwrap();
    assert!(tr.outcome().is_completed(), "{}", tr.outcome());
    dec
}

fn times(dec: &[Decision]) -> Vec<f64> {
    dec.iter().map(|d| d.time_h).collect()
}

/// Every decision acts on the measured value, in the direction the thresholds say.
fn consistent(dec: &[Decision], low: f64, high: Option<f64>) {
    for d in dec {
        assert_ne!(d.measured, d.true_value, "the rule must see assay noise");
        let up = d.measured < low;
        let down = high.is_some_and(|h| d.measured > h);
        match d.action {
            Action::Increase => assert!(up && d.new_amount.value > d.old_amount.value),
            Action::Decrease => assert!(down && d.new_amount.value < d.old_amount.value),
            Action::InRange => assert!(!up && !down && d.new_amount == d.old_amount),
            Action::AtLimit | Action::TooSoon => assert_eq!(d.new_amount, d.old_amount),
        }
    }
}

/// P46: 40.5 mg daily; pre-dose AM T at ~day 14 and day 28; > 750 down 20.25 mg,
/// < 350 up 20.25 mg; 20.25–81 mg.
#[test]
fn androgel_label_schedule_and_direction() {
    let s = load("titration_androgel_1_62.toml");
    let schedule = vec![14.0 * DAY + 8.0, 28.0 * DAY + 8.0]; // 08:00 application, pre-dose

    // the file's own subject (T 200 ng/dL, 120 kg, 60 yr) through `run_titrated`
    let (_, own) = s.run_titrated(SEED).unwrap();
    assert_eq!(times(&own), schedule);

    let low = decisions(&s, &man(200.0, 120.0, 60.0, 1.0));
    assert_eq!(times(&low), schedule);
    consistent(&low, 350.0, Some(750.0));
    assert!(low[0].measured < 350.0);
    assert_eq!(low[0].action, Action::Increase);
    assert_eq!(low[0].old_amount.value, 40.5);
    assert_eq!(low[0].new_amount.value, 40.5 + 20.25);

    let high = decisions(&s, &man(900.0, 55.0, 20.0, 1.0));
    assert_eq!(times(&high), schedule);
    consistent(&high, 350.0, Some(750.0));
    assert!(high[0].measured > 750.0);
    assert_eq!(high[0].action, Action::Decrease);
    assert_eq!(high[0].new_amount.value, 40.5 - 20.25);
    // the label's floor: never below 20.25 mg
    assert!(high.iter().all(|d| d.new_amount.value >= 20.25));
}

/// P51 + label 2.2: 75 mg weekly SC; trough (7 days after the last dose) after 6 weeks of
/// dosing and 6 weeks after an adjustment; >= 650 down 25 mg, < 350 up 25 mg; 50–100 mg.
#[test]
fn xyosted_label_schedule_and_direction() {
    let s = load("titration_xyosted.toml");
    // doses at 08:00 on days 0, 7, …; the 7th (day 42) and 13th (day 84) are preceded by a draw
    let schedule = vec![42.0 * DAY + 8.0, 84.0 * DAY + 8.0];

    let low = decisions(&s, &man(250.0, 130.0, 60.0, 1.0));
    assert_eq!(times(&low), schedule);
    consistent(&low, 350.0, Some(650.0));
    assert!(low[0].measured < 350.0);
    assert_eq!(low[0].action, Action::Increase);
    assert_eq!(
        (low[0].old_amount.value, low[0].new_amount.value),
        (75.0, 100.0)
    );

    let high = decisions(&s, &man(900.0, 50.0, 20.0, 1.0));
    assert_eq!(times(&high), schedule);
    consistent(&high, 350.0, Some(650.0));
    assert!(high[0].measured > 650.0);
    assert_eq!(high[0].action, Action::Decrease);
    assert_eq!(
        (high[0].old_amount.value, high[0].new_amount.value),
        (75.0, 50.0)
    );
    // 50 mg is the label's lowest strength
    assert!(high.iter().all(|d| d.new_amount.value >= 50.0));
}

/// P40 (Jatenzo): 237 mg twice daily; T drawn 6 h after the morning dose, >= 7 days after
/// a change; Table 1: < 425 one rung up, > 970 one rung down on 158/198/237/316/396 mg.
#[test]
fn oral_tu_label_schedule_and_direction() {
    let s = load("titration_oral_tu_jatenzo.toml");
    // morning dose at 08:00, draw at 14:00 on days 7, 14, 21, 28
    let schedule: Vec<f64> = [7.0, 14.0, 21.0, 28.0]
        .iter()
        .map(|d| d * DAY + 8.0 + 6.0)
        .collect();
    let ladder = [158.0, 198.0, 237.0, 316.0, 396.0];

    // a man who clears testosterone fast: low exposure on the starting dose
    let low = decisions(&s, &man(200.0, 130.0, 60.0, 3.0));
    assert_eq!(times(&low), schedule);
    consistent(&low, 425.0, Some(970.0));
    assert!(low[0].measured < 425.0, "{low:?}");
    assert_eq!(low[0].action, Action::Increase);
    assert_eq!(
        (low[0].old_amount.value, low[0].new_amount.value),
        (237.0, 316.0)
    );

    let high = decisions(&s, &man(900.0, 50.0, 20.0, 1.0));
    assert_eq!(times(&high), schedule);
    consistent(&high, 425.0, Some(970.0));
    assert!(high[0].measured > 970.0);
    assert_eq!(high[0].action, Action::Decrease);
    assert_eq!(
        (high[0].old_amount.value, high[0].new_amount.value),
        (237.0, 198.0)
    );
    for d in low.iter().chain(&high) {
        assert!(ladder.contains(&d.new_amount.value), "{d:?}");
        // each change moves one rung
        let (i, j) = (
            ladder
                .iter()
                .position(|&l| l == d.old_amount.value)
                .unwrap(),
            ladder
                .iter()
                .position(|&l| l == d.new_amount.value)
                .unwrap(),
        );
        assert!(i.abs_diff(j) <= 1);
    }
    // never a change within 7 days of the previous one
    for w in low.windows(2).chain(high.windows(2)) {
        if w[1].action == Action::Increase || w[1].action == Action::Decrease {
            assert!(w[1].time_h - w[0].time_h >= 7.0 * DAY);
        }
    }
}

/// P66: 12.5 mg/day, up to 25 mg/day at week 6 if AM T < 300 ng/dL; no step down.
#[test]
fn enclomiphene_week_6_up_titration() {
    let s = load("titration_enclomiphene.toml");
    let schedule = vec![42.0 * DAY + 8.0];

    let (_, own) = s.run_titrated(SEED).unwrap();
    assert_eq!(times(&own), schedule);

    let low = decisions(&s, &man(120.0, 130.0, 60.0, 2.0));
    assert_eq!(times(&low), schedule);
    consistent(&low, 300.0, None);
    assert!(low[0].measured < 300.0, "{low:?}");
    assert_eq!(
        (low[0].old_amount.value, low[0].new_amount.value),
        (12.5, 25.0)
    );

    let high = decisions(&s, &man(600.0, 80.0, 30.0, 1.0));
    assert_eq!(times(&high), schedule);
    consistent(&high, 300.0, None);
    assert!(high[0].measured >= 300.0);
    assert_eq!(high[0].action, Action::InRange);
    assert_eq!(high[0].new_amount.value, 12.5);
}

/// `endocrine run --decisions` writes one row per label draw, acting on the seeded
/// measurement; the same seed gives the same file, another seed other measurements.
#[test]
fn cli_writes_the_decision_log() {
    let dir = std::env::temp_dir().join(format!("endocrine-titration-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |seed: &str, out: &str| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_endocrine"))
            .arg("run")
            .arg(path("titration_xyosted.toml"))
            .args(["-o", dir.join("traj.csv").to_str().unwrap()])
            .args(["--decisions", dir.join(out).to_str().unwrap()])
            .args(["--seed", seed])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::read_to_string(dir.join(out)).unwrap()
    };
    let a = run("1", "a.csv");
    let b = run("1", "b.csv");
    let c = run("2", "c.csv");
    assert_eq!(a, b);
    assert_ne!(a, c);
    let lines: Vec<&str> = a.lines().collect();
    assert_eq!(
        lines[0],
        "rule,time_h,assay,measured,true_value,unit,old_amount,new_amount,amount_unit,action"
    );
    assert_eq!(lines.len(), 3);
    assert!(lines[1].starts_with(&format!("0,{},total_t,", 42.0 * DAY + 8.0)));
    assert!(lines[2].starts_with(&format!("0,{},total_t,", 84.0 * DAY + 8.0)));

    // --decisions on a scenario without rules is refused on one line
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_endocrine"))
        .arg("run")
        .arg(path("te_200mg_weekly.toml"))
        .args(["-o", dir.join("traj.csv").to_str().unwrap()])
        .args(["--decisions", dir.join("d.csv").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--decisions") && err.lines().count() == 1,
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A titrated cohort: the share in range before (first draw, starting dose) and after
/// (end-of-run check) titration, from the true values; deterministic for a seed.
#[test]
fn cohort_reports_the_share_in_range_before_and_after() {
    let s = load("titration_androgel_1_62.toml");
    let regimen = s.to_regimen().unwrap();
    let rules = s.titration_rules(&regimen).unwrap();
    let pop = s.to_population(Some(12), Some(5)).unwrap();
    let opts = s.to_options().unwrap();
    let run = || {
        endocrine::titration::simulate_cohort_titrated(
            &pop,
            endocrine::cohort::Shard::WHOLE,
            |f| s.cohort_model(&pop, f),
            &regimen,
            &rules,
            &opts,
            &|| {},
        )
        .unwrap()
    };
    let a = run();
    let shares = a.range_shares();
    assert_eq!(shares.len(), 1);
    let sh = shares[0];
    assert_eq!(sh.n, 12);
    assert_eq!(sh.first_check_h, 14.0 * DAY + 8.0);
    // the end-of-run check: pre-dose, before the last application (08:00 on day 41)
    assert_eq!(sh.end_check_h, 41.0 * DAY + 8.0);
    // "before" is the label's range (350–750 ng/dL) on each subject's true first-draw value
    let in_label_range = |v: f64| (350.0..=750.0).contains(&v);
    let before = a
        .decisions
        .iter()
        .filter(|d| in_label_range(d[0].true_value))
        .count() as f64
        / 12.0;
    assert_eq!(sh.before, before);
    // "after" is the same range on each subject's simulated pre-dose T at the end check
    let after = a
        .cohort
        .subjects
        .iter()
        .filter(|tr| in_label_range(tr.sample("total_t_ng_dl", sh.end_check_h).unwrap()))
        .count() as f64
        / 12.0;
    assert_eq!(sh.after, after);
    // every subject got the label's two draws
    assert!(a.decisions.iter().all(|d| d.len() == 2));
    // same seed, same cohort
    let b = run();
    assert_eq!(b.range_shares(), shares);
    assert_eq!(a.decisions, b.decisions);
}

/// Levothyroxine (Synthroid label, 2.3; ATA 2014): every 6 weeks, TSH above 4.0 mIU/L
/// raises the daily dose by 25 µg and below 0.4 lowers it (TSH falls as the dose rises:
/// `inverse = true`), within 25–300 µg. An athyreotic patient started on 75 µg/day is
/// raised at the first 6-week draw; every decision follows the inverse direction.
#[test]
fn levothyroxine_label_titration_on_tsh() {
    let s = load("titration_levothyroxine.toml");
    let model = s.to_model().unwrap();
    let (tr, dec) = s.simulate_titrated_with(model.as_ref(), SEED).unwrap();
    assert!(tr.outcome().is_completed(), "{}", tr.outcome());
    // draws just before the 07:00 tablet of days 42, 84, ..., 210
    let expect: Vec<f64> = [42.0, 84.0, 126.0, 168.0, 210.0]
        .iter()
        .map(|d| d * DAY + 7.0)
        .collect();
    assert_eq!(times(&dec), expect);
    assert_eq!(dec[0].action, Action::Increase, "{dec:?}");
    for d in &dec {
        assert_ne!(d.measured, d.true_value, "the rule must see assay noise");
        let up = d.measured > 4.0;
        let down = d.measured < 0.4;
        match d.action {
            Action::Increase => {
                assert!(up && (d.new_amount.value - d.old_amount.value - 0.025).abs() < 1e-12)
            }
            Action::Decrease => {
                assert!(down && (d.old_amount.value - d.new_amount.value - 0.025).abs() < 1e-12)
            }
            Action::InRange => assert!(!up && !down && d.new_amount == d.old_amount),
            Action::AtLimit | Action::TooSoon => assert_eq!(d.new_amount, d.old_amount),
        }
    }
}
