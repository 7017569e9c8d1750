//! The THYROSIM 2022 variant (Cruz-Loya et al., Front Endocrinol 2022;13:888429;
//! `[subject] thyrosim = "2022"`): published outcomes it is meant to reproduce, the
//! direction of its body-size scaling, and bad input. Tolerances are the sources' ranges.

use endocrine::axes::hpt::{feldschuh_plasma_volume_l, Hpt, HptParams, Sex, Version};
use endocrine::scenario::Scenario;
use endocrine::{simulate, Amount, Dose, Regimen, Route, SimOptions, Trajectory};

const DAY: f64 = 24.0;

fn athyreotic_2022(sex: Sex, height_m: f64, weight_kg: f64) -> Hpt {
    let p = HptParams {
        residual_thyroid_function: 0.0,
        ..HptParams::thyrosim_2022(sex, height_m, weight_kg).unwrap()
    };
    Hpt::try_new(p).unwrap()
}

/// `ug` of levothyroxine at 07:00 daily for `days` days, output hourly.
fn on_lt4(m: &Hpt, ug: f64, days: u64) -> Trajectory {
    let dose = Dose::new("levothyroxine", Route::Oral, Amount::ug(ug), 7.0)
        .unwrap()
        .every(DAY, days)
        .unwrap();
    let opts = SimOptions::new(days as f64 * DAY, 1.0).unwrap();
    let tr = simulate(m, &Regimen::new().with(dose), &opts).unwrap();
    assert!(tr.outcome().is_completed(), "{}", tr.outcome());
    tr
}

fn last_day_tsh(tr: &Trajectory, days: u64) -> f64 {
    let d = days as f64 - 1.0;
    tr.mean_in("tsh_miu_l", d * DAY, (d + 1.0) * DAY).unwrap()
}

/// TH1 under 2022: the untreated euthyroid state is inside the ATA 2014 reference
/// intervals (TSH 0.4-4.0 mIU/L, total T3 76-181 ng/dL, total T4 4.7-13.3 µg/dL of
/// Jonklaas 2015's assays).
#[test]
fn euthyroid_2022_is_in_the_reference_ranges() {
    let m = Hpt::try_new(HptParams::thyrosim_2022(Sex::Male, 1.70, 70.0).unwrap()).unwrap();
    let tr = simulate(&m, &Regimen::new(), &SimOptions::new(DAY, 0.25).unwrap()).unwrap();
    let tsh = tr.mean_in("tsh_miu_l", 0.0, DAY).unwrap();
    let t3 = tr.mean_in("total_t3_ng_dl", 0.0, DAY).unwrap();
    let t4 = tr.mean_in("total_t4_ug_dl", 0.0, DAY).unwrap();
    assert!((0.4..=4.0).contains(&tsh), "TSH {tsh}");
    assert!((76.0..=181.0).contains(&t3), "T3 {t3}");
    assert!((4.7..=13.3).contains(&t4), "T4 {t4}");
}

/// TH5d under 2022: full replacement of an athyreotic adult at ~1.6 µg/kg/day (ATA 2014;
/// Celi 2010: 1.59 ± 0.28 µg/kg/day): TSH inside 0.4-4.0 mIU/L after 20 weeks on 112 µg
/// (70 kg), where the 2016 default needs ~165 µg (module docs). Untreated, TSH is far above
/// the range (TH9: "TSH high within weeks").
#[test]
fn athyreotic_2022_is_replaced_at_1_6_ug_per_kg() {
    let m = athyreotic_2022(Sex::Male, 1.70, 70.0);
    let days = 140;
    let tr = on_lt4(&m, 1.6 * 70.0, days);
    assert!(tr.value_at("tsh_miu_l", 0.0).unwrap() > 10.0);
    let tsh = last_day_tsh(&tr, days);
    assert!((0.4..=4.0).contains(&tsh), "TSH {tsh}");
}

/// The point of the 2022 re-fit: the dose scales with body size. On the same 100 µg, a
/// heavier patient (more plasma volume, faster T3 clearance) has the higher TSH; and the
/// plasma volume grows with weight (Feldschuh & Enson: blood volume rises with weight,
/// per kg it falls).
#[test]
fn heavier_patients_need_more_levothyroxine_in_2022() {
    let (light, heavy) = (60.0, 100.0);
    let v_light = feldschuh_plasma_volume_l(Sex::Male, 1.75, light);
    let v_heavy = feldschuh_plasma_volume_l(Sex::Male, 1.75, heavy);
    assert!(v_heavy > v_light && v_heavy / heavy < v_light / light);
    let days = 56;
    let tsh_light = last_day_tsh(
        &on_lt4(&athyreotic_2022(Sex::Male, 1.75, light), 100.0, days),
        days,
    );
    let tsh_heavy = last_day_tsh(
        &on_lt4(&athyreotic_2022(Sex::Male, 1.75, heavy), 100.0, days),
        days,
    );
    assert!(tsh_heavy > tsh_light, "{tsh_heavy} vs {tsh_light}");
}

/// Plasma volume of a 70 kg, 1.70 m man: about 3 L (Feldschuh & Enson's blood volume of
/// ~5.3 L at ideal weight, haematocrit 0.45; the 2016 model's fixed Vp is 3.2 L).
#[test]
fn plasma_volume_of_a_typical_man_is_about_three_litres() {
    let vp = feldschuh_plasma_volume_l(Sex::Male, 1.70, 70.0);
    assert!((2.6..=3.4).contains(&vp), "{vp}");
    // the 2016 default is untouched by the variant
    assert_eq!(HptParams::healthy().version, Version::Han2016);
    assert_eq!(HptParams::healthy().plasma_volume_ratio, 1.0);
}

const HPT: &str = "axis = \"hpt\"\nduration = \"2 d\"\noutput_every = \"1 d\"\n[subject]\n";

/// The one-line message of the error `doc` gives.
fn err_message(doc: &str) -> String {
    match Scenario::from_toml_str(doc).and_then(|s| s.run()) {
        Ok(_) => panic!("expected an error\n{doc}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_2022_subjects_are_errors_naming_the_field() {
    for (doc, field) in [
        ("thyrosim = \"2019\"\n", "subject.thyrosim"),
        ("thyrosim = \"2022\"\nsex = \"x\"\n", "subject.sex"),
        ("thyrosim = \"2022\"\nheight = \"3 m\"\n", "subject.height"),
        (
            "thyrosim = \"2022\"\nheight = \"170 kg\"\n",
            "subject.height",
        ),
        // sex and height enter only the 2022 equations: refused rather than ignored
        ("sex = \"female\"\n", "subject.sex"),
        ("height = \"170 cm\"\n", "subject.height"),
    ] {
        let msg = err_message(&format!("{HPT}{doc}"));
        assert!(msg.contains(field), "{doc}: {msg}");
    }
    assert!(HptParams::thyrosim_2022(Sex::Female, f64::NAN, 60.0).is_err());
    assert!(HptParams::thyrosim_2022(Sex::Female, 1.6, -1.0).is_err());
    // a valid 2022 subject runs
    let ok = format!(
        "{HPT}thyrosim = \"2022\"\nsex = \"female\"\nheight = \"163 cm\"\nweight = \"59 kg\"\n"
    );
    assert!(Scenario::from_toml_str(&ok).unwrap().run().is_ok());
}
