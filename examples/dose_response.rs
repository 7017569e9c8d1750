//! Dose-response of the drug exposure models (issue 14), drawn as SVGs next to the data.
//!
//! - `dose_response_topical.svg`: day-30 average serum T (Cavg over the 24 h before the
//!   next application) by daily dose for each topical product, in a hypogonadal man (T
//!   250 ng/dL, 55 y), with the label trials' mean ± SD (rows D1, D3, D4, D5, D7, D18 of
//!   `validation/targets.toml`; filled = training, open = held out). Vogelxo takes Testim's
//!   absorbed fraction from the same trial, so its line lies on Testim's.
//! - `dose_response_pellets.svg`: serum T 1, 2, 3, 4 and 6 months after an implant, by the
//!   number of 75 mg Testopel pellets, with the therapeutic range the studies report
//!   (rows D9, D10).
//! - `dose_response_dexamethasone.svg`: 08:00 cortisol after dexamethasone at 23:00, by dose
//!   (log scale), with the test criteria (rows D13-D15, H9).
//! - `dose_response_clomiphene.svg`: serum T after 6 weeks of clomiphene citrate by weekly
//!   dose, daily and every other day, and of enclomiphene citrate daily, with the published
//!   means (rows D11, D12 and the three ZA-204 arms I14-C1 to I14-C3).
//! - `dose_response_sc_enanthate.svg`: week-12 Cavg of SC testosterone enanthate by weekly
//!   dose (Xyosted 50-100 mg), with O12 (75 mg, Kaminetsky 2019).
//! - `dose_response_oral_tu.svg`: day-21 Cavg of oral T undecanoate taken twice daily, by
//!   dose, in the Tlando DV study's man (T 202 ng/dL, 56 y), with Tlando 225 mg (I14-T1,
//!   training: sets the bioavailability) and the start doses of Jatenzo and Kyzatrex (I14-T2,
//!   I14-T3, held out; their trials titrate, so their means are of the titrated cohorts).
//!
//! ```text
//! cargo run --release --example dose_response -- docs/img
//! ```
//! Open the SVGs in a browser (`scripts/screenshot.sh IN.svg OUT.png` or `rsvg-convert`
//! makes a PNG). The plotted numbers go to `docs/data/<name>.csv` next to them.

use endocrine::axes::hpa::{Hpa, HpaParams};
use endocrine::axes::hpg::{BaselineLabs, Hpg, HpgParams};
use endocrine::{simulate, Amount, Dose, Model, Regimen, Route, SimOptions};
use plotters::prelude::*;
use std::path::{Path, PathBuf};

const DAY: f64 = 24.0;

/// A published point: x, mean, low, high, training row?
type Datum = (f64, f64, f64, f64, bool);

fn hypogonadal(t_ng_dl: f64, age: f64) -> Result<Hpg, Box<dyn std::error::Error>> {
    let p = HpgParams::calibrated(&BaselineLabs {
        total_t_ng_dl: Some(t_ng_dl),
        age_years: Some(age),
        ..Default::default()
    })?;
    Ok(Hpg::try_new(p)?)
}

/// Cavg over day 30 (the 24 h before the 31st application at 08:00).
fn topical_cavg(model: &dyn Model, drug: &str, mg: f64) -> Result<f64, Box<dyn std::error::Error>> {
    let pts = cavg_by_dose(
        model,
        (drug, Route::Transdermal),
        &[mg],
        (8.0, DAY, 30),
        (29.0 * DAY + 8.0, 30.0 * DAY + 8.0),
        1.0,
    )?;
    Ok(pts[0].1)
}

/// Average serum T over `window` (from, to; h) for each dose in `doses_mg` of `drug` by
/// `route`, given from `first_h` every `every_h` `count` times, with output every `step_h`.
fn cavg_by_dose(
    model: &dyn Model,
    (drug, route): (&str, Route),
    doses_mg: &[f64],
    (first_h, every_h, count): (f64, f64, u64),
    window: (f64, f64),
    step_h: f64,
) -> Result<Vec<(f64, f64)>, Box<dyn std::error::Error>> {
    let mut pts = Vec::new();
    for &mg in doses_mg {
        let regimen = Regimen::new()
            .with(Dose::new(drug, route, Amount::mg(mg), first_h)?.every(every_h, count)?);
        let run = simulate(model, &regimen, &SimOptions::new(window.1 + DAY, step_h)?)?;
        pts.push((
            mg,
            run.mean_in("total_t_ng_dl", window.0, window.1)
                .ok_or("no T column")?,
        ));
    }
    Ok(pts)
}

/// The plotted numbers as CSV in `../data/<name>.csv` next to the image directory: one row
/// per model point (`kind` = model) and per published point (`kind` = published, with its
/// range and whether it is a training row).
fn write_data(
    out: &Path,
    x_desc: &str,
    y_desc: &str,
    lines: &[(String, Vec<(f64, f64)>)],
    data: &[(String, Vec<Datum>)],
) -> Result<(), Box<dyn std::error::Error>> {
    let dir = out.parent().ok_or("no image directory")?.join("../data");
    std::fs::create_dir_all(&dir)?;
    let stem = out.file_stem().ok_or("no file name")?.to_string_lossy();
    let mut csv = format!("# x: {x_desc}; y: {y_desc}\nkind,series,x,y,low,high,training\n");
    for (name, pts) in lines {
        for (x, y) in pts {
            csv += &format!("model,\"{name}\",{x},{y:.3},,,\n");
        }
    }
    for (name, pts) in data {
        for (x, y, lo, hi, training) in pts {
            csv += &format!("published,\"{name}\",{x},{y},{lo},{hi},{training}\n");
        }
    }
    std::fs::write(dir.join(format!("{stem}.csv")), csv)?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn chart(
    out: &Path,
    title: &str,
    x_desc: &str,
    y_desc: &str,
    x: (f64, f64),
    y: (f64, f64),
    log_x: bool,
    lines: &[(String, Vec<(f64, f64)>)],
    data: &[(String, Vec<Datum>)],
    bands: &[(f64, f64, &str)],
) -> Result<(), Box<dyn std::error::Error>> {
    write_data(out, x_desc, y_desc, lines, data)?;
    let root = SVGBackend::new(out, (900, 560)).into_drawing_area();
    root.fill(&WHITE)?;
    let colors = [
        RGBColor(0, 114, 178),
        RGBColor(213, 94, 0),
        RGBColor(0, 158, 115),
        RGBColor(204, 121, 167),
        RGBColor(86, 180, 233),
        RGBColor(230, 159, 0),
    ];
    macro_rules! draw {
        ($c:expr) => {{
            let mut c = $c;
            c.configure_mesh()
                .x_desc(x_desc)
                .y_desc(y_desc)
                .label_style(("sans-serif", 15))
                .axis_desc_style(("sans-serif", 17))
                .draw()?;
            for &(lo, hi, label) in bands {
                c.draw_series(std::iter::once(Rectangle::new(
                    [(x.0, lo), (x.1, hi)],
                    RGBColor(0x2E, 0xA0, 0x43).mix(0.12).filled(),
                )))?
                .label(label)
                .legend(|(a, b)| {
                    Rectangle::new(
                        [(a, b - 5), (a + 18, b + 5)],
                        RGBColor(0x2E, 0xA0, 0x43).mix(0.3).filled(),
                    )
                });
            }
            for (i, (name, pts)) in lines.iter().enumerate() {
                let col = colors[i % colors.len()];
                c.draw_series(LineSeries::new(pts.iter().copied(), col.stroke_width(2)))?
                    .label(format!("model: {name}"))
                    .legend(move |(a, b)| {
                        PathElement::new(vec![(a, b), (a + 18, b)], col.stroke_width(2))
                    });
            }
            for (i, (name, pts)) in data.iter().enumerate() {
                let col = colors[i % colors.len()];
                for &(px, mean, lo, hi, fitted) in pts {
                    c.draw_series(std::iter::once(PathElement::new(
                        vec![(px, lo), (px, hi)],
                        col.stroke_width(2),
                    )))?;
                    let style = if fitted {
                        col.filled()
                    } else {
                        col.stroke_width(2)
                    };
                    c.draw_series(std::iter::once(Circle::new((px, mean), 6, style)))?;
                }
                if !pts.is_empty() {
                    c.draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())?
                        .label(format!("published: {name} (mean ± SD; filled = training)"))
                        .legend(move |(a, b)| Circle::new((a + 9, b), 5, col.stroke_width(2)));
                }
            }
            c.configure_series_labels()
                .background_style(WHITE.mix(0.9))
                .border_style(BLACK.mix(0.3))
                .label_font(("sans-serif", 14))
                .position(SeriesLabelPosition::UpperLeft)
                .draw()?;
        }};
    }
    let mut builder = ChartBuilder::on(&root);
    builder
        .caption(title, ("sans-serif", 20))
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(64);
    if log_x {
        draw!(builder.build_cartesian_2d((x.0..x.1).log_scale(), y.0..y.1)?);
    } else {
        draw!(builder.build_cartesian_2d(x.0..x.1, y.0..y.1)?);
    }
    root.present()?;
    eprintln!("wrote {}", out.display());
    Ok(())
}

/// A chart of serum total T (linear axes) with the eugonadal range drawn as a band.
fn t_chart(
    out: &Path,
    title: &str,
    x_desc: &str,
    x: (f64, f64),
    y: (f64, f64),
    lines: &[(String, Vec<(f64, f64)>)],
    data: &[(String, Vec<Datum>)],
) -> Result<(), Box<dyn std::error::Error>> {
    chart(
        out,
        title,
        x_desc,
        "serum total T, ng/dL",
        x,
        y,
        false,
        lines,
        data,
        &[(300.0, 1000.0, "eugonadal 300-1000 ng/dL")],
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    std::fs::create_dir_all(&dir)?;

    // ---- topical products: Cavg at day 30 by daily dose ----
    let man = hypogonadal(250.0, 55.0)?;
    let products = [
        ("androgel_1", "AndroGel 1 %", 25.0, 110.0),
        ("androgel_1_62", "AndroGel 1.62 %", 20.0, 85.0),
        ("testim", "Testim 1 %", 25.0, 110.0),
        ("fortesta", "Fortesta 2 %", 10.0, 75.0),
        ("axiron", "Axiron 2 % (axillae)", 30.0, 120.0),
        ("vogelxo", "Vogelxo 1 % (as Testim)", 25.0, 110.0),
    ];
    let mut lines = Vec::new();
    for &(drug, label, lo, hi) in &products {
        let mut pts = Vec::new();
        let n = 8;
        for i in 0..=n {
            let mg = lo + (hi - lo) * i as f64 / n as f64;
            pts.push((mg, topical_cavg(&man, drug, mg)?));
        }
        lines.push((label.to_string(), pts));
    }
    // label trials (validation/targets.toml D1, D3, D4, D5; D7 and D18 are ranges: 81 mg on day 7, 60 mg on day 15)
    let data = vec![
        (
            "AndroGel 1 % (D1)".to_string(),
            vec![(50.0, 555.0, 330.0, 780.0, true)],
        ),
        (
            "AndroGel 1.62 % (D7: 300-1000)".to_string(),
            vec![(81.0, 650.0, 300.0, 1000.0, false)],
        ),
        (
            "Testim 1 % (D3, D4)".to_string(),
            vec![
                (50.0, 365.0, 178.0, 552.0, true),
                (100.0, 612.0, 326.0, 898.0, false),
            ],
        ),
        (
            "Fortesta 2 % (D5)".to_string(),
            vec![(40.0, 438.6, 276.1, 601.1, true)],
        ),
        (
            "Axiron 2 % (D18 day 15: 300-1050)".to_string(),
            vec![(60.0, 675.0, 300.0, 1050.0, false)],
        ),
    ];
    t_chart(
        &dir.join("dose_response_topical.svg"),
        "Topical testosterone: day-30 Cavg by daily dose (hypogonadal man, T 250 ng/dL, 55 y)",
        "daily dose applied, mg T",
        (0.0, 125.0),
        (0.0, 1200.0),
        &lines,
        &data,
    )?;

    // ---- pellets: T by months after the implant, per number of pellets ----
    let man = hypogonadal(250.0, 55.0)?;
    let mut lines = Vec::new();
    for pellets in [6usize, 8, 10, 12] {
        let regimen = Regimen::new().with(Dose::new(
            "testosterone_pellet",
            Route::Implant,
            Amount::mg(75.0 * pellets as f64),
            8.0,
        )?);
        let run = simulate(&man, &regimen, &SimOptions::new(190.0 * DAY, 6.0)?)?;
        let mut pts = vec![(0.0, 250.0)];
        for m in (1..=60).map(|i| i as f64 * 0.1) {
            pts.push((
                m,
                run.value_at("total_t_ng_dl", m * 30.4 * DAY + 8.0)
                    .ok_or("no T")?,
            ));
        }
        lines.push((format!("{pellets} pellets ({} mg)", 75 * pellets), pts));
    }
    let data = vec![(
        "McCullough 2012 (D9, D10): 6-12 pellets in range at 1 month; Pastuszak: 300 at ~100 d"
            .to_string(),
        vec![
            (1.0, 650.0, 300.0, 1000.0, false),
            (3.3, 300.0, 225.0, 375.0, false),
        ],
    )];
    chart(
        &dir.join("dose_response_pellets.svg"),
        "Testosterone pellets (Testopel, 75 mg each): serum T after one implant",
        "months after the implant",
        "serum total T, ng/dL",
        (0.0, 6.2),
        (0.0, 1100.0),
        false,
        &lines,
        &data,
        &[(300.0, 1000.0, "therapeutic 300-1000 ng/dL")],
    )?;

    // ---- dexamethasone: 08:00 cortisol by dose at 23:00 ----
    let hpa = Hpa::new(HpaParams::healthy());
    let mut pts = Vec::new();
    for i in 0..=24 {
        let mg = 0.1 * (80.0f64).powf(i as f64 / 24.0); // 0.1 .. 8 mg
        let regimen = Regimen::new().with(Dose::new(
            "dexamethasone",
            Route::Oral,
            Amount::mg(mg),
            23.0,
        )?);
        let run = simulate(&hpa, &regimen, &SimOptions::new(2.0 * DAY, 0.25)?)?;
        pts.push((
            mg,
            run.value_at("cortisol_ug_dl", DAY + 8.0)
                .ok_or("no cortisol")?,
        ));
    }
    let base = simulate(&hpa, &Regimen::new(), &SimOptions::new(2.0 * DAY, 0.25)?)?
        .value_at("cortisol_ug_dl", 8.0)
        .ok_or("no cortisol")?;
    let data = vec![(
        "D13 0.25 mg partial (20-80 % of baseline); D14 0.5 mg and H9 1 mg < 1.8; D15 8 mg < 1"
            .to_string(),
        vec![
            (0.25, 0.5 * base, 0.2 * base, 0.8 * base, false),
            (0.5, 0.9, 0.0, 1.8, false),
            (1.0, 0.9, 0.0, 1.8, false),
            (8.0, 0.5, 0.0, 1.0, false),
        ],
    )];
    chart(
        &dir.join("dose_response_dexamethasone.svg"),
        &format!(
            "Dexamethasone at 23:00: cortisol at 08:00 by dose (untreated 08:00: {base:.1} µg/dL)"
        ),
        "dexamethasone dose, mg (log scale)",
        "serum cortisol at 08:00, µg/dL",
        (0.09, 10.0),
        (0.0, 18.0),
        true,
        &[("healthy adult".to_string(), pts)],
        &data,
        &[(0.0, 1.8, "normal suppression < 1.8 µg/dL")],
    )?;

    // ---- clomiphene citrate: T at 6 weeks by weekly dose, daily vs every other day; ----
    // ---- enclomiphene citrate daily ----
    let man = hypogonadal(250.0, 40.0)?;
    let mut lines = Vec::new();
    for (drug, label, every_d) in [
        ("clomiphene_citrate", "clomiphene daily", 1.0),
        ("clomiphene_citrate", "clomiphene every other day", 2.0),
        ("enclomiphene", "enclomiphene daily", 1.0),
    ] {
        let mut pts = Vec::new();
        for weekly_mg in [35.0, 87.5, 175.0, 262.5, 350.0] {
            let per_dose = weekly_mg / 7.0 * every_d;
            let count = (42.0 / every_d) as u64;
            let regimen = Regimen::new().with(
                Dose::new(drug, Route::Oral, Amount::mg(per_dose), 8.0)?
                    .every(every_d * DAY, count)?,
            );
            let run = simulate(&man, &regimen, &SimOptions::new(43.0 * DAY, 6.0)?)?;
            pts.push((
                weekly_mg,
                run.value_at("total_t_ng_dl", 42.0 * DAY).ok_or("no T")?,
            ));
        }
        lines.push((format!("{label} (T 250 ng/dL, 40 y)"), pts));
    }
    let data = vec![
        (
            "25 mg daily: Shabsigh 2005 (D11, 248 -> 610 ± 179 at 4-6 wk)".to_string(),
            vec![(175.0, 610.0, 431.0, 789.0, false)],
        ),
        (
            "50 mg every other day: Taylor & Levine 2010 (D12, 277 -> 573, ± 25 %)".to_string(),
            vec![(175.0, 573.0, 430.0, 716.0, false)],
        ),
        (
            "ZA-204 enclomiphene daily (I14-C1-C3, 24-h T wk 6; from 247/312/248)".to_string(),
            vec![
                (43.75, 392.0, 239.0, 545.0, true),
                (87.5, 461.0, 332.0, 590.0, false),
                (175.0, 587.0, 445.0, 729.0, true),
            ],
        ),
    ];
    t_chart(
        &dir.join("dose_response_clomiphene.svg"),
        "Clomiphene and enclomiphene citrate: serum T after 6 weeks by weekly dose",
        "clomiphene or enclomiphene citrate per week, mg",
        (0.0, 370.0),
        (0.0, 1300.0),
        &lines,
        &data,
    )?;

    // ---- SC testosterone enanthate weekly (Xyosted): week-12 Cavg by dose ----
    let pts = cavg_by_dose(
        &hypogonadal(250.0, 55.0)?,
        ("testosterone_enanthate", Route::Sc),
        &[25.0, 37.5, 50.0, 62.5, 75.0, 87.5, 100.0, 112.5],
        (0.0, 7.0 * DAY, 12),
        (77.0 * DAY, 84.0 * DAY),
        2.0,
    )?;
    let data = vec![(
        "Xyosted 75 mg/week: Kaminetsky 2019 (O12, 553 ± 127)".to_string(),
        vec![(75.0, 553.3, 426.0, 680.6, false)],
    )];
    t_chart(
        &dir.join("dose_response_sc_enanthate.svg"),
        "SC testosterone enanthate weekly: Cavg over week 12 by dose (T 250 ng/dL, 55 y)",
        "dose per week, mg of ester",
        (20.0, 120.0),
        (0.0, 1100.0),
        &[("SC TE weekly".to_string(), pts)],
        &data,
    )?;

    // ---- oral T undecanoate twice daily: Cavg on day 21 by dose ----
    let pts = cavg_by_dose(
        &hypogonadal(202.0, 56.0)?,
        ("testosterone_undecanoate", Route::Oral),
        &[100.0, 150.0, 200.0, 237.0, 275.0, 316.0, 350.0, 396.0],
        (8.0, 12.0, 42),
        (20.0 * DAY + 8.0, 21.0 * DAY + 8.0),
        0.25,
    )?;
    let data = vec![
        (
            "Tlando 225 mg (I14-T1, 476 ± 184)".to_string(),
            vec![(225.0, 476.0, 292.0, 660.0, true)],
        ),
        (
            "Jatenzo start 237 mg, titrated (I14-T2, 489 ± 155)".to_string(),
            vec![(237.0, 489.0, 334.0, 644.0, false)],
        ),
        (
            "Kyzatrex start 200 mg, titrated (I14-T3, 452 ± 25 %)".to_string(),
            vec![(200.0, 452.0, 339.0, 565.0, false)],
        ),
    ];
    t_chart(
        &dir.join("dose_response_oral_tu.svg"),
        "Oral T undecanoate twice daily with meals: Cavg on day 21 by dose (T 202 ng/dL, 56 y)",
        "dose per administration, mg of ester (twice daily)",
        (80.0, 420.0),
        (0.0, 1100.0),
        &[("oral TU twice daily".to_string(), pts)],
        &data,
    )?;
    Ok(())
}
