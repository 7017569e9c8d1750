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

/// O44 (Lupron label wording; median ~21–22 days to T ≤ 50 ng/dL) and O41 (castrate T held):
/// leuprolide depot: LH and T above baseline on days 1–3, T < 50 ng/dL by day 28 and at
/// day 84, for each formulation's dose.
#[test]
#[ignore = "model gap: the LH pool refills; T 504-531 ng/dL at day 28 and 514-528 at day 84 (see report)"]
fn o44_leuprolide_flare_then_castration() {
    for mg in [7.5, 22.5, 45.0] {
        let tr = healthy_series("leuprolide", Route::Im, mg, 84.0);
        let (t0, lh0) = (
            tr.value_at("total_t_ng_dl", 0.0).unwrap(),
            tr.value_at("lh_iu_l", 0.0).unwrap(),
        );
        let t = |d: f64| tr.value_at("total_t_ng_dl", d * DAY).unwrap();
        let lh = |d: f64| tr.value_at("lh_iu_l", d * DAY).unwrap();
        eprintln!(
            "leuprolide {mg} mg: T0 {t0:.0} LH0 {lh0:.2}; d1 T {:.0} LH {:.1}; d3 T {:.0} LH {:.1}; d7 T {:.0}; d14 T {:.0}; d21 T {:.0}; d28 T {:.0}; d84 T {:.0}",
            t(1.0), lh(1.0), t(3.0), lh(3.0), t(7.0), t(14.0), t(21.0), t(28.0), t(84.0)
        );
        for d in [1.0, 2.0, 3.0] {
            assert!(t(d) > t0 && lh(d) > lh0, "{mg} mg: no flare on day {d}");
        }
        assert!(t(28.0) < 50.0, "{mg} mg: T {} at day 28", t(28.0));
        assert!(t(84.0) < 50.0, "{mg} mg: T {} at day 84", t(84.0));
    }
}

/// Degarelix 240 mg sc (Tornøe 2007; label: castrate within days): no flare, T < 50 ng/dL
/// by day 7.
#[test]
#[ignore = "model gap: T 46 ng/dL at day 3 but escapes to 74 at day 7 and 449 at day 28 (see report)"]
fn degarelix_no_flare_fast_castration() {
    let tr = healthy_series("degarelix", Route::Sc, 240.0, 28.0);
    let s = tr.series("total_t_ng_dl").unwrap();
    let t0 = s[0];
    let t7 = tr.value_at("total_t_ng_dl", 7.0 * DAY).unwrap();
    eprintln!(
        "degarelix: T0 {t0:.0}, d1 {:.0}, d3 {:.0}, d7 {t7:.0}, d28 {:.0}",
        tr.value_at("total_t_ng_dl", DAY).unwrap(),
        tr.value_at("total_t_ng_dl", 3.0 * DAY).unwrap(),
        tr.value_at("total_t_ng_dl", 28.0 * DAY).unwrap()
    );
    assert!(s.iter().all(|&v| v <= t0 * (1.0 + 1e-9)), "flare");
    assert!(t7 < 50.0, "T {t7} at day 7");
}

/// O39 (orchiectomy: castrate T, ~5 % of normal, within a few hours) and the months-long
/// LH/FSH rise after castration: T < 50 ng/dL within 24 h, LH and FSH ≥ 3× baseline by
/// 6 months.
#[test]
#[ignore = "model gap: T 85 ng/dL at 24 h (33 at 48 h); LH ×19651, FSH ×47841 at 6 months (castrate LH unbounded)"]
fn o39_orchiectomy_castrate_within_24h_gonadotropins_rise() {
    let p = endocrine::Procedure::new("orchiectomy", 0.0).unwrap();
    let tr = run(&Hpg::healthy(), Regimen::new().with_procedure(p), 183.0);
    let v = |c: &str, h: f64| tr.value_at(c, h).unwrap();
    eprintln!(
        "orchiectomy: T 0 {:.0}, 6 h {:.0}, 12 h {:.0}, 24 h {:.0}, 48 h {:.0}, 72 h {:.0}; LH ×{:.2}, FSH ×{:.2} at 6 mo",
        v("total_t_ng_dl", 0.0), v("total_t_ng_dl", 6.0), v("total_t_ng_dl", 12.0),
        v("total_t_ng_dl", 24.0), v("total_t_ng_dl", 48.0), v("total_t_ng_dl", 72.0),
        v("lh_iu_l", 182.0 * DAY) / v("lh_iu_l", 0.0),
        v("fsh_iu_l", 182.0 * DAY) / v("fsh_iu_l", 0.0)
    );
    assert!(v("total_t_ng_dl", 24.0) < 50.0);
    assert!(v("lh_iu_l", 182.0 * DAY) >= 3.0 * v("lh_iu_l", 0.0));
    assert!(v("fsh_iu_l", 182.0 * DAY) >= 3.0 * v("fsh_iu_l", 0.0));
}
