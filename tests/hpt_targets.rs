//! The thyroid axis (THYROSIM, Han 2016) against published outcomes. Each test cites its
//! outcome (shared/research/thyroid.md, TH rows) and takes its tolerance from the source's
//! reported spread; where the source gives none, the criterion is stated in the test.
//! t = 0 is midnight of day 0; tablets are taken at 08:00 as in the studies.

use endocrine::axes::hpt::Hpt;
use endocrine::{
    simulate, simulate_from, Amount, Dose, Model, Regimen, Route, SimOptions, Trajectory,
};

const DAY: f64 = 24.0;
const MORNING: f64 = 8.0;

fn healthy() -> Hpt {
    Hpt::healthy()
}

fn athyreotic() -> Hpt {
    Hpt::athyreotic()
}

fn options(duration_h: f64, every_h: f64) -> SimOptions {
    SimOptions::new(duration_h, every_h).unwrap()
}

fn run(model: &Hpt, regimen: &Regimen, duration_h: f64, every_h: f64) -> Trajectory {
    let tr = simulate(model, regimen, &options(duration_h, every_h)).unwrap();
    assert!(tr.outcome().is_completed(), "{}", tr.outcome());
    tr
}

/// `amount_ug` of `drug` by mouth every day at 08:00 (from day `first_day`) for `days` days,
/// split into `per_day` equal doses 24/`per_day` h apart.
fn daily(drug: &str, amount_ug: f64, first_day: f64, days: u64, per_day: u64) -> Vec<Dose> {
    (0..per_day)
        .map(|k| {
            let at = first_day * DAY + MORNING + k as f64 * DAY / per_day as f64;
            Dose::new(
                drug,
                Route::Oral,
                Amount::ug(amount_ug / per_day as f64),
                at,
            )
            .unwrap()
            .every(DAY, days)
            .unwrap()
        })
        .collect()
}

fn regimen(doses: Vec<Dose>) -> Regimen {
    doses.into_iter().fold(Regimen::new(), Regimen::with)
}

/// 24-h mean of `col` over day `d`.
fn day_mean(tr: &Trajectory, col: &str, d: f64) -> f64 {
    tr.mean_in(col, d * DAY, (d + 1.0) * DAY).unwrap()
}

/// TH1: the untreated euthyroid state lies inside the reference intervals over the whole
/// day: TSH 0.4–4.0 mIU/L (ATA 2014 guideline, Jonklaas et al., Thyroid 24:1670), total
/// T3 76–181 ng/dL, total T4 4.7–13.3 µg/dL, FT4 0.8–1.8 ng/dL, FT3 2.18–3.98 pg/mL (the
/// assays of Jonklaas et al., Ther Drug Monit 2015;37:110). And the start is the paper's
/// own euthyroid state: Han 2016's initial conditions give plasma T4 777·0.32211/3.2 =
/// 78.2 µg/L and T3 651·0.0066310/3.2 = 1.349 µg/L (to 0.5 %: their state is at their
/// t = 0, ours at midnight; T4 and T3 vary < 1 % over the day).
#[test]
fn th1_euthyroid_steady_state() {
    let m = healthy();
    let tr = run(&m, &Regimen::new(), 2.0 * DAY, 0.25);
    let ranges = [
        ("tsh_miu_l", 0.4, 4.0),
        ("total_t3_ng_dl", 76.0, 181.0),
        ("total_t4_ug_dl", 4.7, 13.3),
        ("ft4_ng_dl", 0.8, 1.8),
        ("ft3_pg_ml", 2.18, 3.98),
    ];
    for (col, lo, hi) in ranges {
        let min = tr.min_in(col, 0.0, 2.0 * DAY).unwrap();
        let max = tr.max_in(col, 0.0, 2.0 * DAY).unwrap();
        eprintln!("TH1 {col}: {min:.3}..{max:.3}");
        assert!(
            min >= lo && max <= hi,
            "{col} {min}..{max} outside {lo}..{hi}"
        );
    }
    let t4 = day_mean(&tr, "total_t4_ug_dl", 1.0);
    let t3 = day_mean(&tr, "total_t3_ng_dl", 1.0);
    assert!((t4 / 7.8216 - 1.0).abs() < 0.005, "T4 {t4}");
    assert!((t3 / 134.89 - 1.0).abs() < 0.005, "T3 {t3}");
    // periodic: one untreated day maps the state at midnight back to itself
    let end = tr.final_state();
    for (a, b) in end.iter().zip(m.initial_state()) {
        assert!((a - b).abs() <= 1e-5 * b.abs() + 1e-12, "{a} vs {b}");
    }
}

/// TH2: a single 50 µg liothyronine tablet at 08:00 in 12 euthyroid volunteers (Jonklaas
/// et al., Ther Drug Monit 2015;37:110, Tables 2–3; mean ± SD): total T3 Cmax 346 ± 77
/// ng/dL at a Tmax of 2.5 h (males 2.50, IQR 2.25–3.50; females 2.00, 1.75–2.25), 141 ±
/// 29 at 24 h, 120 ± 18 at 48 h; TSH from 1.34 ± 0.76 to 0.49 ± 0.32 mIU/L at 12 h, back
/// to 1.31 ± 0.76 at 96 h; FT4 0.97 → 0.92 ± 0.13 ng/dL at 24 h. Tolerances: ±1 SD for the
/// concentrations; Tmax within the IQRs (1.75–3.5 h); the TSH ratios to baseline within
/// the ratio of the mean ± SD to the baseline mean (12 h: 0.37 ± 0.24 → 0.13–0.60; 96 h:
/// 0.98 ± 0.57 → 0.41–1.55); FT4 within ±1 SD (0.13/0.97 = 13 %) of its baseline.
#[test]
fn th2_single_50ug_liothyronine() {
    let t0 = DAY + MORNING;
    let r =
        Regimen::new().with(Dose::new("liothyronine", Route::Oral, Amount::ug(50.0), t0).unwrap());
    let tr = run(&healthy(), &r, t0 + 100.0, 0.05);
    let t3 = |h: f64| tr.value_at("total_t3_ng_dl", t0 + h).unwrap();
    let tsh = |h: f64| tr.value_at("tsh_miu_l", t0 + h).unwrap();
    let ft4 = |h: f64| tr.value_at("ft4_ng_dl", t0 + h).unwrap();
    let cmax = tr.max_in("total_t3_ng_dl", t0, t0 + 24.0).unwrap();
    let tmax = tr.argmax_in("total_t3_ng_dl", t0, t0 + 24.0).unwrap() - t0;
    let (b, at12, at96) = (tsh(0.0), tsh(12.0), tsh(96.0));
    eprintln!(
        "TH2: T3 {:.0} → Cmax {cmax:.0} at {tmax:.2} h, 24 h {:.0}, 48 h {:.0}; TSH {b:.2} → 12 h {at12:.2} ({:.2}), 96 h {at96:.2} ({:.2}); FT4 {:.3} → {:.3}",
        t3(0.0), t3(24.0), t3(48.0), at12 / b, at96 / b, ft4(0.0), ft4(24.0)
    );
    assert!((269.0..=423.0).contains(&cmax), "Cmax {cmax}");
    assert!((1.75..=3.5).contains(&tmax), "Tmax {tmax}");
    assert!((112.0..=170.0).contains(&t3(24.0)), "24 h {}", t3(24.0));
    assert!((102.0..=138.0).contains(&t3(48.0)), "48 h {}", t3(48.0));
    assert!(
        (0.13..=0.60).contains(&(at12 / b)),
        "TSH 12 h ratio {}",
        at12 / b
    );
    assert!(
        (0.41..=1.55).contains(&(at96 / b)),
        "TSH 96 h ratio {}",
        at96 / b
    );
    assert!((ft4(24.0) / ft4(0.0) - 1.0).abs() <= 0.13, "FT4");
}

/// Athyreotic patient on `dose_ug` levothyroxine at 08:00 daily for long enough to be at
/// steady state (T4 t½ ≈ 7 d: 150 d ≈ 20 half-lives), returned with the state at the end.
fn on_levothyroxine(dose_ug: f64) -> Vec<f64> {
    let days = 150;
    let tr = run(
        &athyreotic(),
        &regimen(daily("levothyroxine", dose_ug, 0.0, days, 1)),
        days as f64 * DAY,
        DAY,
    );
    tr.final_state().to_vec()
}

/// TH3: after starting or changing levothyroxine, steady state takes about 6 weeks, and
/// TSH is rechecked 4–6 weeks after a change (ATA 2014, Jonklaas et al., Thyroid 24:1670;
/// T4 half-life ≈ 7 days). Criterion (written before the run): after a step 100 → 125
/// µg/day in an athyreotic patient, the daily-mean TSH has made ≥ 90 % of its change by
/// day 42 and less than 90 % by day 14 (not at steady state within two weeks).
#[test]
fn th3_time_to_steady_state_after_a_dose_change() {
    let m = athyreotic();
    let y0 = on_levothyroxine(100.0);
    let days = 120;
    // the old dose's gut contents are part of the state: continue with the new dose
    let tr = simulate_from(
        &m,
        &regimen(daily("levothyroxine", 125.0, 0.0, days, 1)),
        &options(days as f64 * DAY, 0.5),
        &y0,
    )
    .unwrap();
    let before = day_mean(&tr, "tsh_miu_l", 0.0);
    let after = day_mean(&tr, "tsh_miu_l", days as f64 - 1.0);
    let frac = |d: f64| (day_mean(&tr, "tsh_miu_l", d) - before) / (after - before);
    eprintln!(
        "TH3: TSH {before:.2} → {after:.2}; share of the change by day 7 {:.2}, 14 {:.2}, 28 {:.2}, 42 {:.2}",
        frac(7.0), frac(14.0), frac(28.0), frac(42.0)
    );
    assert!(after < before);
    assert!(frac(42.0) >= 0.90, "day 42: {}", frac(42.0));
    assert!(frac(14.0) < 0.90, "day 14: {}", frac(14.0));
}

/// TH5: Eisenberg et al. (Thyroid 2008;18:1071, abstract) simulated thyroidectomised
/// patients on 145 µg/day and 165 µg/day levothyroxine and on 105 µg L-T4 + 9 µg L-T3
/// per day: for all three, steady-state mean TSH, T3 and T4 were inside 0.5–5 mU/L,
/// 0.8–1.9 ng/mL and 5–12 µg/dL. (The published model's own outcome, reproduced by this
/// implementation of its equations.)
#[test]
fn th5_eisenberg_replacement_regimens_are_normal() {
    let m = athyreotic();
    for (t4, t3) in [(145.0, 0.0), (165.0, 0.0), (105.0, 9.0)] {
        let days = 150;
        let mut doses = daily("levothyroxine", t4, 0.0, days, 1);
        if t3 > 0.0 {
            doses.extend(daily("liothyronine", t3, 0.0, days, 1));
        }
        let tr = run(&m, &regimen(doses), days as f64 * DAY, 0.5);
        let last = days as f64 - 1.0;
        let (tsh, t3c, t4c) = (
            day_mean(&tr, "tsh_miu_l", last),
            day_mean(&tr, "total_t3_ng_dl", last),
            day_mean(&tr, "total_t4_ug_dl", last),
        );
        eprintln!("TH5 L-T4 {t4} + L-T3 {t3}: TSH {tsh:.2}, T3 {t3c:.0} ng/dL, T4 {t4c:.2} µg/dL");
        assert!((0.5..=5.0).contains(&tsh), "TSH {tsh}");
        assert!((80.0..=190.0).contains(&t3c), "T3 {t3c}");
        assert!((5.0..=12.0).contains(&t4c), "T4 {t4c}");
    }
}

/// TH5 (clinical): full replacement is about 1.6 µg/kg/day (ATA 2014; Celi et al. 2010:
/// 1.59 ± 0.28 µg/kg/day for TSH 0.5–1.5 mU/L). Criterion: at 1.6 µg/kg/day (112 µg,
/// 70 kg) the athyreotic patient's TSH is inside 0.4–4.0 mU/L.
///
/// KNOWN OFF (module docs of `axes::hpt`, "Known limitations"): THYROSIM 2016 gives TSH
/// ≈ 6 at 112 µg/day and needs ≈ 2.4 µg/kg for TSH 1.2–1.5. Run by hand with
/// `cargo test --test hpt_targets -- --ignored`.
#[test]
#[ignore = "known off: THYROSIM 2016 needs ~1.45x the clinical levothyroxine dose"]
fn th5_full_replacement_at_1_6_ug_per_kg() {
    let y = on_levothyroxine(1.6 * 70.0);
    let tr = simulate_from(
        &athyreotic(),
        &regimen(daily("levothyroxine", 112.0, 0.0, 1, 1)),
        &options(DAY, 0.5),
        &y,
    )
    .unwrap();
    let tsh = day_mean(&tr, "tsh_miu_l", 0.0);
    assert!((0.4..=4.0).contains(&tsh), "TSH {tsh}");
}

/// TH6: on daily levothyroxine, serum T4 peaks a few hours after the tablet, about 15 %
/// above the trough (ATA 2014). Criterion: the peak is 5–25 % above the trough, 1–6 h
/// after the tablet.
#[test]
fn th6_daily_t4_peak_after_the_tablet() {
    let y = on_levothyroxine(125.0);
    let tr = simulate_from(
        &athyreotic(),
        &regimen(daily("levothyroxine", 125.0, 0.0, 1, 1)),
        &options(DAY, 0.05),
        &y,
    )
    .unwrap();
    let peak = tr.max_in("total_t4_ug_dl", MORNING, DAY).unwrap();
    let trough = tr.min_in("total_t4_ug_dl", 0.0, DAY).unwrap();
    let t_peak = tr.argmax_in("total_t4_ug_dl", MORNING, DAY).unwrap() - MORNING;
    eprintln!(
        "TH6: T4 trough {trough:.2}, peak {peak:.2} (+{:.0} %) {t_peak:.1} h after",
        100.0 * (peak / trough - 1.0)
    );
    assert!((1.05..=1.25).contains(&(peak / trough)));
    assert!((1.0..=6.0).contains(&t_peak));
}

/// Daily-mean TSH of an athyreotic patient at steady state on `t4_ug` L-T4 or `t3_ug`
/// L-T3 per day, each in three equal doses 8 h apart (Celi 2010's regimen).
fn tsh_three_times_daily(drug: &str, amount_ug: f64) -> f64 {
    let days = 120;
    // the third dose of the last day falls at its midnight: run one hour past it
    let tr = run(
        &athyreotic(),
        &regimen(daily(drug, amount_ug, 0.0, days, 3)),
        days as f64 * DAY + 1.0,
        1.0,
    );
    day_mean(&tr, "tsh_miu_l", days as f64 - 1.0)
}

/// The dose (µg/day) at which `f(dose)` (TSH, falling with dose) reaches `target`, by the
/// secant method on ln TSH from two bracketing guesses.
fn dose_for_tsh(f: impl Fn(f64) -> f64, target: f64, mut a: f64, mut b: f64) -> f64 {
    let (mut fa, mut fb) = (f(a).ln() - target.ln(), f(b).ln() - target.ln());
    for _ in 0..8 {
        let c = b - fb * (b - a) / (fb - fa);
        let fc = f(c).ln() - target.ln();
        (a, fa, b, fb) = (b, fb, c, fc);
        if fc.abs() < 0.01 {
            break;
        }
    }
    b
}

/// TH7: pharmacodynamic equivalence of L-T3 and L-T4 in 10 thyroidectomised patients
/// titrated to TSH 0.5–1.5 mU/L on a thrice-daily regimen (Celi et al., Clin Endocrinol
/// 2010;72:709): TSH 1.48 ± 0.78 on 40.3 ± 11.3 µg/day L-T3 and 1.21 ± 0.62 on 115.2 ±
/// 38.5 µg/day L-T4; L-T3:L-T4 ratio 0.36 ± 0.06, individual ratios 0.29–0.46.
/// Criterion: the ratio of the doses that give those two mean TSH values lies inside the
/// individual range 0.29–0.46. (The absolute doses are high in THYROSIM 2016, see TH5.)
#[test]
fn th7_liothyronine_to_levothyroxine_equivalence() {
    let t4 = dose_for_tsh(
        |d| tsh_three_times_daily("levothyroxine", d),
        1.21,
        150.0,
        180.0,
    );
    let t3 = dose_for_tsh(
        |d| tsh_three_times_daily("liothyronine", d),
        1.48,
        65.0,
        80.0,
    );
    eprintln!(
        "TH7: L-T4 {t4:.1} µg/d for TSH 1.21, L-T3 {t3:.1} µg/d for TSH 1.48, ratio {:.3}",
        t3 / t4
    );
    assert!((0.29..=0.46).contains(&(t3 / t4)), "ratio {}", t3 / t4);
}

/// TH9: without any thyroid function and untreated, TSH is above the reference interval
/// within weeks (thyroid.md TH9, qualitative). Criterion: above 4.0 mIU/L within 14 days
/// of losing the gland (started from the euthyroid state), and climbing.
#[test]
fn th9_untreated_athyreotic_tsh_rises_within_weeks() {
    let tr = simulate_from(
        &athyreotic(),
        &Regimen::new(),
        &options(28.0 * DAY, DAY),
        &healthy().initial_state(),
    )
    .unwrap();
    let d14 = day_mean(&tr, "tsh_miu_l", 13.0);
    let d27 = day_mean(&tr, "tsh_miu_l", 27.0);
    eprintln!("TH9: TSH day 14 {d14:.1}, day 28 {d27:.1}");
    assert!(d14 > 4.0 && d27 > d14);
}
