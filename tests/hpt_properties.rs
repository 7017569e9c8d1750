//! Property tests of the thyroid axis and of the engine pieces it added (the tablet's two
//! absorption stages, direct iv input into a model state), against invariants and closed
//! forms.

use endocrine::axes::hpt::{Hpt, HptParams, T4_UG_PER_UMOL};
use endocrine::{
    simulate, Amount, Channel, Dose, Effects, Model, Observable, Regimen, Route, SimOptions,
};
use proptest::prelude::*;

const DAY: f64 = 24.0;

/// A model that only accumulates the levothyroxine it is given, in µg: A' = T4 input.
/// Its direct (iv) input goes straight into A, 1 µg per µg.
struct Collector;

impl Model for Collector {
    fn name(&self) -> &str {
        "collector"
    }
    fn state_names(&self) -> Vec<String> {
        vec!["t4_ug".into()]
    }
    fn initial_state(&self) -> Vec<f64> {
        vec![0.0]
    }
    fn rhs(&self, _t_h: f64, _y: &[f64], e: &Effects, dy: &mut [f64]) {
        dy[0] = e.thyroxine_input_ug_h;
    }
    fn observables(&self) -> Vec<Observable> {
        vec![Observable::new("t4_ug", "absorbed T4", "µg")]
    }
    fn observe(&self, _t_h: f64, y: &[f64], _e: &Effects, out: &mut [f64]) {
        out[0] = y[0];
    }
    fn reads(&self, c: Channel) -> bool {
        c == Channel::ThyroxineInput
    }
    fn direct_input(&self, c: Channel) -> Option<(usize, f64)> {
        (c == Channel::ThyroxineInput).then_some((0, 1.0))
    }
}

fn tight(duration_h: f64, every_h: f64) -> SimOptions {
    SimOptions::new(duration_h, every_h)
        .unwrap()
        .with_tolerances(1e-10, 1e-12)
        .unwrap()
}

/// The oral tablet is two first-order stages in series (dissolution k1 = 1.3 /h, gut
/// emptying k2 = 0.88 + 0.12·0.88 /h, F = 0.88/k2; Eisenberg 2008): the amount absorbed
/// by t is F·D·[1 − (k2·e^(−k1 t) − k1·e^(−k2 t))/(k2 − k1)] (Bateman). And an iv dose is
/// all there at once.
#[test]
fn tablet_absorption_is_the_two_stage_closed_form() {
    let (k1, k2): (f64, f64) = (1.3, 0.88 + 0.12 * 0.88);
    let f = 0.88 / k2;
    let dose_ug = 100.0;
    let r = Regimen::new()
        .with(Dose::new("levothyroxine", Route::Oral, Amount::ug(dose_ug), 0.0).unwrap());
    let tr = simulate(&Collector, &r, &tight(24.0, 0.25)).unwrap();
    for t in [0.5, 1.0, 2.5, 6.0, 24.0] {
        let exact = f * dose_ug * (1.0 - (k2 * (-k1 * t).exp() - k1 * (-k2 * t).exp()) / (k2 - k1));
        let got = tr.value_at("t4_ug", t).unwrap();
        assert!(
            (got - exact).abs() < 1e-6 * dose_ug,
            "t {t}: {got} vs {exact}"
        );
    }
    let r = Regimen::new()
        .with(Dose::new("levothyroxine", Route::Iv, Amount::ug(dose_ug), 1.0).unwrap());
    let tr = simulate(&Collector, &r, &tight(3.0, 0.5)).unwrap();
    assert!((tr.value_at("t4_ug", 2.0).unwrap() - dose_ug).abs() < 1e-9);
}

/// An iv dose of levothyroxine on the axis raises plasma T4 by exactly dose/Vp at once
/// (Vp 3.2 L: 100 µg → +100/3.2 µg/L = +3.125 µg/dL of total T4).
#[test]
fn iv_levothyroxine_jumps_plasma_t4_by_dose_over_plasma_volume() {
    let m = Hpt::healthy();
    let r = Regimen::new()
        .with(Dose::new("levothyroxine", Route::Iv, Amount::ug(100.0), 10.0).unwrap());
    let tr = simulate(&m, &r, &tight(12.0, 1.0)).unwrap();
    let i = tr.times_h().iter().position(|&t| t == 10.0).unwrap();
    let col = tr.column_index("total_t4_ug_dl").unwrap();
    let jump = tr.row(i + 1)[col] - tr.row(i)[col];
    let vp = HptParams::healthy().plasma_volume_l;
    assert!((jump - 100.0 / vp / 10.0).abs() < 1e-9, "{jump}");
    assert!((T4_UG_PER_UMOL - 777.0).abs() < 1e-12);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Under any levothyroxine or liothyronine regimen (oral or iv, bolus or infusion,
    /// 1 µg to 5 mg per dose, any interval), with any residual function, every output
    /// stays finite and non-negative (to the solver's absolute tolerance) and the run
    /// completes; a massive overdose exercises the free-fraction guard.
    #[test]
    fn hpt_outputs_finite_and_non_negative(
        t3 in proptest::bool::ANY, iv in proptest::bool::ANY, infused in proptest::bool::ANY,
        amount_ug in 1.0f64..5000.0, every_h in 6.0f64..168.0, count in 1u64..8,
        residual in prop_oneof![Just(0.0), Just(0.3), Just(1.0)],
    ) {
        let m = Hpt::try_new(HptParams { residual_thyroid_function: residual, ..HptParams::healthy() }).unwrap();
        let drug = if t3 { "liothyronine" } else { "levothyroxine" };
        let route = if iv { Route::Iv } else { Route::Oral };
        let mut d = Dose::new(drug, route, Amount::ug(amount_ug), 7.0).unwrap().every(every_h, count).unwrap();
        if infused && iv {
            d = d.over(0.5).unwrap();
        }
        let duration = 7.0 + every_h * count as f64 + 10.0 * DAY;
        let tr = simulate(&m, &Regimen::new().with(d), &SimOptions::new(duration, 6.0).unwrap()).unwrap();
        prop_assert!(tr.outcome().is_completed(), "{}", tr.outcome());
        for i in 0..tr.len() {
            prop_assert!(tr.row(i).iter().all(|v| v.is_finite() && *v >= -1e-6), "{:?}", tr.row(i));
        }
    }

    /// Negative feedback: in an athyreotic patient, a larger daily levothyroxine dose
    /// never gives a higher TSH (daily mean on day 40).
    #[test]
    fn more_levothyroxine_never_raises_tsh(a in 25.0f64..250.0, extra in 1.0f64..100.0) {
        let m = Hpt::athyreotic();
        let tsh = |ug: f64| {
            let d = Dose::new("levothyroxine", Route::Oral, Amount::ug(ug), 7.0).unwrap().every(DAY, 40).unwrap();
            let tr = simulate(&m, &Regimen::new().with(d), &SimOptions::new(40.0 * DAY, 1.0).unwrap()).unwrap();
            tr.mean_in("tsh_miu_l", 39.0 * DAY, 40.0 * DAY).unwrap()
        };
        let (lo, hi) = (tsh(a), tsh(a + extra));
        prop_assert!(hi <= lo * (1.0 + 1e-6), "{a} µg: {lo}, {} µg: {hi}", a + extra);
    }
}
