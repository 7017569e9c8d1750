//! Periodic steady states against closed forms and against a long burn-in.

use endocrine::reference::{OneCompartment, RefHpg};
use endocrine::steady_state::{
    circadian_cycle, periodic_steady_state, periodic_steady_state_with, simulate_at_steady_state,
    steady_start, SteadyStateSettings,
};
use endocrine::{
    simulate, simulate_from, Amount, Dose, DoseTarget, Effects, Error, Model, Observable, Regimen,
    Route, SimOptions,
};

const K: f64 = 0.1; // 1/h
const V: f64 = 10.0; // L

fn one_cpt() -> OneCompartment {
    OneCompartment {
        k_per_h: K,
        volume_l: V,
    }
}

fn tight(duration_h: f64, every_h: f64) -> SimOptions {
    SimOptions::new(duration_h, every_h)
        .unwrap()
        .with_tolerances(1e-11, 1e-14)
        .unwrap()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

/// Repeated bolus D every τ: the trough amount just before a dose at steady state is
/// D·e^(−kτ)/(1 − e^(−kτ)) (Gibaldi & Perrier, Pharmacokinetics, ch. 3, multiple dosing).
#[test]
fn one_compartment_bolus_trough_matches_closed_form() {
    let (d, tau) = (100.0, 12.0);
    let dose = Dose::new("bolus", Route::Iv, Amount::mg(d), 0.0)
        .unwrap()
        .every(tau, 10)
        .unwrap();
    let ss = periodic_steady_state(&one_cpt(), &dose, &tight(24.0, 1.0)).unwrap();
    let r = (-K * tau).exp();
    let exact = d * r / (1.0 - r);
    assert!(rel(ss.state[0], exact) < 1e-8, "{} vs {exact}", ss.state[0]);
    // trough concentration D/V·e^(−kτ)/(1−e^(−kτ))
    assert!(rel(ss.state[0] / V, d / V * r / (1.0 - r)) < 1e-8);
    assert_eq!(ss.period_h, tau);
    // linear map: one Jacobian and one Newton step suffice
    assert!(ss.interval_integrations <= 4, "{ss:?}");
}

/// Infusion R = D/T over T every τ: trough = R/k·(1 − e^(−kT))·e^(−k(τ−T))/(1 − e^(−kτ))
/// in amount (Gibaldi & Perrier, intermittent infusion).
#[test]
fn one_compartment_infusion_trough_matches_closed_form() {
    let (d, t_inf, tau) = (60.0, 2.0, 8.0);
    let dose = Dose::new("bolus", Route::Iv, Amount::mg(d), 0.0)
        .unwrap()
        .every(tau, 3)
        .unwrap()
        .over(t_inf)
        .unwrap();
    let ss = periodic_steady_state(&one_cpt(), &dose, &tight(24.0, 1.0)).unwrap();
    let rate = d / t_inf;
    let exact = rate / K * (1.0 - (-K * t_inf).exp()) * (-K * (tau - t_inf)).exp()
        / (1.0 - (-K * tau).exp());
    assert!(rel(ss.state[0], exact) < 1e-8, "{} vs {exact}", ss.state[0]);
}

fn weekly_depot(count: u64) -> Dose {
    Dose::new("depot", Route::Im, Amount::mg(100.0), 0.0)
        .unwrap()
        .every(168.0, count)
        .unwrap()
}

/// RefHpg with a weekly depot: the steady state equals the state after a 50-interval
/// burn-in within 1e-6 relative, at a fraction of the integrations.
#[test]
fn ref_hpg_weekly_matches_fifty_interval_burn_in() {
    let model = RefHpg::default();
    let options = SimOptions::new(168.0, 24.0).unwrap();
    let ss = periodic_steady_state(&model, &weekly_depot(1), &options).unwrap();

    let burn = simulate(
        &model,
        &Regimen::new().with(weekly_depot(50)),
        &SimOptions::new(50.0 * 168.0, 168.0).unwrap(),
    )
    .unwrap();
    assert!(burn.outcome().is_completed());
    let reference = burn.final_state();
    assert_eq!(reference.len(), ss.state.len());
    for (i, (a, b)) in ss.state.iter().zip(reference).enumerate() {
        assert!(rel(*a, *b) < 1e-6, "state {i}: {a} vs burn-in {b}");
    }
    let ratio = ss.interval_integrations as f64 / 50.0;
    eprintln!(
        "ref_hpg weekly steady state: {} iterations, {} interval integrations = {ratio:.2} × a 50-interval burn-in ({:?})",
        ss.iterations, ss.interval_integrations, ss.method
    );
    assert!(ratio <= 0.3, "cost ratio {ratio}");
}

/// Starting a run on the steady state: the first interval is already periodic (the
/// state one interval later is the start again) and the doses continue as given.
#[test]
fn run_started_at_steady_state_is_periodic() {
    let model = RefHpg::default();
    let regimen = Regimen::new().with(weekly_depot(4));
    let options = SimOptions::new(4.0 * 168.0, 24.0).unwrap();
    let tr = simulate_at_steady_state(&model, &regimen, &options).unwrap();
    assert!(tr.outcome().is_completed());
    assert_eq!(tr.events().len(), 4);
    let t = tr.series("total_t_ng_dl").unwrap();
    let times = tr.times_h();
    let at = |h: f64| {
        // the row just before the dose at h (or the grid row)
        let i = times.iter().position(|&x| x == h).unwrap();
        t[i]
    };
    for k in 1..4 {
        let h = k as f64 * 168.0;
        assert!(
            rel(at(h), at(0.0)) < 1e-6,
            "week {k}: {} vs {}",
            at(h),
            at(0.0)
        );
    }
}

/// dy/dt = −k·y + a + b·sin(2πt/24): the periodic solution at t = 0 is
/// a/k − b·ω/(k² + ω²), ω = 2π/24.
#[derive(Debug, Clone, Copy)]
struct Forced {
    k: f64,
    a: f64,
    b: f64,
}

impl Model for Forced {
    fn name(&self) -> &str {
        "forced"
    }
    fn state_names(&self) -> Vec<String> {
        vec!["y".into()]
    }
    fn initial_state(&self) -> Vec<f64> {
        vec![1.0]
    }
    fn rhs(&self, t_h: f64, y: &[f64], _e: &Effects, dy: &mut [f64]) {
        let w = 2.0 * std::f64::consts::PI / 24.0;
        dy[0] = -self.k * y[0] + self.a + self.b * (w * t_h).sin();
    }
    fn observables(&self) -> Vec<Observable> {
        vec![Observable::new("y", "y", "1")]
    }
    fn observe(&self, _t_h: f64, y: &[f64], _e: &Effects, out: &mut [f64]) {
        out[0] = y[0];
    }
    fn dose_target(&self, drug: &str, route: Route) -> Option<DoseTarget> {
        (drug == "bolus" && route == Route::Oral).then_some(DoseTarget {
            state: 0,
            kind: endocrine::AmountKind::Mass,
            per_unit: 1.0,
        })
    }
}

#[test]
fn circadian_cycle_matches_closed_form() {
    let m = Forced {
        k: 0.3,
        a: 2.0,
        b: 1.5,
    };
    let ss = circadian_cycle(&m, &tight(24.0, 1.0)).unwrap();
    let w = 2.0 * std::f64::consts::PI / 24.0;
    let exact = m.a / m.k - m.b * w / (m.k * m.k + w * w);
    assert!(rel(ss.state[0], exact) < 1e-8, "{} vs {exact}", ss.state[0]);
    assert_eq!(ss.period_h, 24.0);
}

/// A dose at 08:00 on a circadian model: the clock phase is kept (steady state just
/// before the 08:00 dose equals a burn-in's), and a dose every 36 h is solved over the
/// 72-h common period.
#[test]
fn forced_model_keeps_the_clock_phase() {
    let m = Forced {
        k: 0.05,
        a: 1.0,
        b: 0.8,
    };
    let dose = Dose::new("bolus", Route::Oral, Amount::mg(5.0), 8.0)
        .unwrap()
        .every(24.0, 1)
        .unwrap();
    let options = SimOptions::new(24.0, 1.0)
        .unwrap()
        .with_tolerances(1e-10, 1e-13)
        .unwrap();
    let ss = periodic_steady_state(&m, &dose, &options).unwrap();
    // burn-in: 40 daily doses at 08:00; the row just before the 41st dose time
    let n = 40;
    let burn = simulate(
        &m,
        &Regimen::new().with(
            Dose::new("bolus", Route::Oral, Amount::mg(5.0), 8.0)
                .unwrap()
                .every(24.0, n)
                .unwrap(),
        ),
        &SimOptions::new(8.0 + 24.0 * n as f64, 24.0)
            .unwrap()
            .with_tolerances(1e-10, 1e-13)
            .unwrap(),
    )
    .unwrap();
    let end = burn.final_state()[0];
    assert!(rel(ss.state[0], end) < 1e-6, "{} vs {end}", ss.state[0]);

    let every36 = Dose::new("bolus", Route::Oral, Amount::mg(5.0), 0.0)
        .unwrap()
        .every(36.0, 1)
        .unwrap();
    let ss36 = periodic_steady_state(&m, &every36, &options).unwrap();
    assert_eq!(ss36.period_h, 72.0);
}

/// Two daily lines (hydrocortisone-style 07:00 and 17:00) together as the steady start.
#[test]
fn steady_start_of_several_lines() {
    let m = one_cpt();
    let line = |amount: f64, at: f64| {
        Dose::new("bolus", Route::Iv, Amount::mg(amount), at)
            .unwrap()
            .every(24.0, 3)
            .unwrap()
    };
    let regimen = Regimen::new().with(line(10.0, 7.0)).with(line(5.0, 17.0));
    let options = tight(72.0, 1.0);
    let ss = steady_start(&m, &regimen, 2, &options, &SteadyStateSettings::default()).unwrap();
    // closed form at t = 0: each line contributes D·e^(−k(24−φ))/(1 − e^(−24k))
    let r = (-K * 24.0).exp();
    let exact = (10.0 * (-K * 17.0).exp() + 5.0 * (-K * 7.0).exp()) / (1.0 - r);
    assert!(rel(ss.state[0], exact) < 1e-8, "{} vs {exact}", ss.state[0]);
    let tr = simulate_from(&m, &regimen, &options, &ss.state).unwrap();
    assert!(rel(tr.final_state()[0], exact) < 1e-8);
}

#[test]
fn errors_name_the_field() {
    let m = one_cpt();
    let o = SimOptions::new(24.0, 1.0).unwrap();
    let once = Dose::new("bolus", Route::Iv, Amount::mg(1.0), 0.0).unwrap();
    assert!(matches!(
        periodic_steady_state(&m, &once, &o),
        Err(Error::InvalidValue { field, .. }) if field == "dose.every"
    ));
    // an infusion that would run into the next interval
    let late = Dose::new("bolus", Route::Iv, Amount::mg(1.0), 20.0)
        .unwrap()
        .every(24.0, 2)
        .unwrap()
        .over(6.0)
        .unwrap();
    let r = Regimen::new().with(late);
    assert!(matches!(
        steady_start(&m, &r, 1, &o, &SteadyStateSettings::default()),
        Err(Error::InvalidValue { field, .. }) if field == "dose[0].at"
    ));
    // first dose after one interval
    let r = Regimen::new().with(
        Dose::new("bolus", Route::Iv, Amount::mg(1.0), 30.0)
            .unwrap()
            .every(24.0, 2)
            .unwrap(),
    );
    assert!(matches!(
        simulate_at_steady_state(&m, &r, &SimOptions::new(100.0, 1.0).unwrap()),
        Err(Error::InvalidValue { field, .. }) if field == "dose[0].at"
    ));
    assert!(matches!(
        steady_start(&m, &r, 3, &o, &SteadyStateSettings::default()),
        Err(Error::InvalidValue { field, .. }) if field == "steady_state.lines"
    ));
}

/// No elimination: every period adds the dose, so there is no steady state; the search
/// stops at its iteration limit with an error naming it.
#[test]
fn no_steady_state_without_elimination() {
    let m = OneCompartment {
        k_per_h: 0.0,
        volume_l: 1.0,
    };
    let dose = Dose::new("bolus", Route::Iv, Amount::mg(1.0), 0.0)
        .unwrap()
        .every(24.0, 1)
        .unwrap();
    let settings = SteadyStateSettings {
        max_iterations: 10,
        ..SteadyStateSettings::default()
    };
    let r = periodic_steady_state_with(&m, &dose, &SimOptions::new(24.0, 1.0).unwrap(), &settings);
    assert!(
        matches!(&r, Err(Error::LimitExceeded { field, .. }) if field == "steady_state.max_iterations"),
        "{r:?}"
    );
}

/// The Anderson fixed-point path alone reaches the same steady state as Newton.
#[test]
fn anderson_alone_agrees_with_newton() {
    let model = RefHpg::default();
    let options = SimOptions::new(168.0, 24.0).unwrap();
    let newton = periodic_steady_state(&model, &weekly_depot(1), &options).unwrap();
    let settings = SteadyStateSettings {
        newton: false,
        ..SteadyStateSettings::default()
    };
    let anderson =
        periodic_steady_state_with(&model, &weekly_depot(1), &options, &settings).unwrap();
    assert_eq!(
        anderson.method,
        endocrine::steady_state::SteadyStateMethod::Anderson
    );
    assert_eq!(anderson.jacobians, 0);
    for (a, b) in anderson.state.iter().zip(&newton.state) {
        assert!(rel(*a, *b) < 1e-8, "{a} vs {b}");
    }
    eprintln!(
        "anderson only: {} integrations, newton: {}",
        anderson.interval_integrations, newton.interval_integrations
    );

    let (d, tau) = (100.0, 12.0);
    let dose = Dose::new("bolus", Route::Iv, Amount::mg(d), 0.0)
        .unwrap()
        .every(tau, 2)
        .unwrap();
    let ss = periodic_steady_state_with(&one_cpt(), &dose, &tight(24.0, 1.0), &settings).unwrap();
    let r = (-K * tau).exp();
    assert!(rel(ss.state[0], d * r / (1.0 - r)) < 1e-8);
}

/// The crate's HPA axis: its circadian cycle is periodic (one day started on it returns
/// to it within the tolerance of one period integration).
#[test]
fn hpa_circadian_cycle_is_periodic() {
    use endocrine::axes::hpa::{Hpa, HpaParams};
    let model = Hpa::new(HpaParams::healthy());
    let options = SimOptions::new(24.0, 1.0)
        .unwrap()
        .with_tolerances(1e-10, 1e-13)
        .unwrap();
    let cycle = circadian_cycle(&model, &options).unwrap();
    let day = simulate_from(&model, &Regimen::new(), &options, &cycle.state).unwrap();
    for (a, b) in day.final_state().iter().zip(&cycle.state) {
        assert!((a - b).abs() <= 1e-8 * b.abs() + 1e-12, "{a} vs {b}");
    }
    eprintln!(
        "hpa circadian cycle: {} iterations, {} day integrations",
        cycle.iterations, cycle.interval_integrations
    );
}

/// The crate's HPG axis under testosterone cypionate: steady state equals a 300-interval burn-in within 1e-6. The interval is
/// 3 weeks (250 mg, a classic regimen): the axis's slowest mode (the suppression memory's
/// build-up, t½ 250 d since issue 14) must have decayed below 1e-6 within the burn-in for
/// the burn-in itself to be converged (6300 d = 25 half-lives).
#[test]
fn hpg_ester_steady_state_matches_burn_in() {
    use endocrine::axes::hpg::{Hpg, HpgParams};
    let drug = "testosterone_cypionate";
    assert!(
        endocrine::drugs::find(drug).is_some(),
        "{drug} is registered"
    );
    let model = Hpg::new(HpgParams::healthy());
    let dose = |n| {
        Dose::new(drug, Route::Im, Amount::mg(250.0), 0.0)
            .unwrap()
            .every(504.0, n)
            .unwrap()
    };
    let ss =
        periodic_steady_state(&model, &dose(1), &SimOptions::new(504.0, 24.0).unwrap()).unwrap();
    let burn = simulate(
        &model,
        &Regimen::new().with(dose(300)),
        &SimOptions::new(300.0 * 504.0, 504.0).unwrap(),
    )
    .unwrap();
    for (i, (a, b)) in ss.state.iter().zip(burn.final_state()).enumerate() {
        assert!(
            (a - b).abs() <= 1e-6 * b.abs() + 1e-9,
            "state {i}: {a} vs {b}"
        );
    }
    eprintln!(
        "hpg {drug} every 21 d: {} integrations vs 300",
        ss.interval_integrations
    );
}

/// A long half-life dosed daily (t½ ≈ 5.8 d, like clomiphene): a 50-dose burn-in is
/// still 0.25 % short of the steady state, which the computed one matches to 1e-8.
#[test]
fn slow_drug_burn_in_is_not_converged_but_steady_state_is() {
    let m = OneCompartment {
        k_per_h: 0.005,
        volume_l: 10.0,
    };
    let dose = |n| {
        Dose::new("bolus", Route::Iv, Amount::mg(25.0), 0.0)
            .unwrap()
            .every(24.0, n)
            .unwrap()
    };
    let ss = periodic_steady_state(&m, &dose(1), &tight(24.0, 24.0)).unwrap();
    let r = (-0.005f64 * 24.0).exp();
    let exact = 25.0 * r / (1.0 - r);
    assert!(rel(ss.state[0], exact) < 1e-8);
    let burn = simulate(
        &m,
        &Regimen::new().with(dose(50)),
        &tight(50.0 * 24.0, 24.0),
    )
    .unwrap();
    let short = rel(burn.final_state()[0], exact);
    assert!(short > 1e-3, "{short}");
    eprintln!(
        "slow drug: steady state in {} integrations; 50-dose burn-in still {short:.2e} short",
        ss.interval_integrations
    );
}

/// The HPG axis holds its Leydig capacity at zero once it is zero (orchiectomy), so before
/// session 7 a Newton step that overshot below zero found a spurious castrate root: half the
/// steady states of `examples/precision_study.rs` had a negative capacity. Under weekly SC
/// testosterone enanthate LH is suppressed, the capacity's target is its floor
/// (`leydig_capacity_floor`), so the true periodic steady state has the capacity at the floor
/// (closed form of the capacity equations), for every man of the precision study's design.
#[test]
fn hpg_steady_state_keeps_the_leydig_capacity_physical() {
    use endocrine::axes::hpg::{BaselineLabs, Hpg, HpgParams};
    for t in [150.0, 250.0, 350.0] {
        let p = HpgParams::calibrated(&BaselineLabs {
            total_t_ng_dl: Some(t),
            age_years: Some(55.0),
            weight_kg: Some(95.0),
            ..Default::default()
        })
        .unwrap();
        let floor = p.leydig_capacity_floor;
        let model = Hpg::new(p);
        let capacity = model
            .state_names()
            .iter()
            .position(|n| n == "leydig_capacity")
            .unwrap();
        for mg in [50.0, 75.0, 100.0] {
            let dose = Dose::new("testosterone_enanthate", Route::Sc, Amount::mg(mg), 0.0)
                .unwrap()
                .every(168.0, 1)
                .unwrap();
            let ss = periodic_steady_state(&model, &dose, &SimOptions::new(168.0, 24.0).unwrap())
                .unwrap();
            let c = ss.state[capacity];
            assert!(
                (c - floor).abs() < 1e-3,
                "T {t} ng/dL, {mg} mg/week: capacity {c} (floor {floor})"
            );
        }
    }
}
