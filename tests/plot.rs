//! Plots: SVG files with labelled axes, units, reference bands and dose marks; bad data
//! gives an error, never a panic.
#![cfg(feature = "plot")]

use endocrine::cohort::{simulate_cohort, Population, Variability};
use endocrine::labs::{measure, Assay, LabDraw};
use endocrine::model::{Effects, Observable};
use endocrine::plot::{
    plot_cohort, plot_compare, plot_trajectory, PlotOptions, MIN_FONT_PX, REFERENCE_BAND_FILL,
};
use endocrine::reference::RefHpg;
use endocrine::{simulate, Amount, Dose, Error, Model, Regimen, Route, SimOptions, Trajectory};
use std::path::{Path, PathBuf};

/// An output file in a temporary folder of its own, both removed when dropped unless
/// `ENDOCRINE_KEEP_PLOTS` is set (to look at the SVGs).
struct Out(PathBuf);

impl std::ops::Deref for Out {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for Out {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Out {
    fn drop(&mut self) {
        if std::env::var_os("ENDOCRINE_KEEP_PLOTS").is_none() {
            let _ = std::fs::remove_file(&self.0);
            if let Some(dir) = self.0.parent() {
                let _ = std::fs::remove_dir(dir); // only once empty
            }
        }
    }
}

/// One folder per file, so that a test removing its folder cannot race another test.
fn out(name: &str) -> Out {
    let dir = std::env::temp_dir().join(format!(
        "endocrine-plot-tests-{}-{}",
        std::process::id(),
        name.trim_end_matches(".svg")
    ));
    std::fs::create_dir_all(&dir).unwrap();
    Out(dir.join(name))
}

fn weekly(n: u64) -> Regimen {
    Regimen::new().with(
        Dose::new("depot", Route::Im, Amount::mg(100.0), 0.0)
            .unwrap()
            .every(168.0, n)
            .unwrap(),
    )
}

fn run(regimen: &Regimen) -> Trajectory {
    let mut o = SimOptions::new(70.0 * 24.0, 6.0).unwrap();
    o.sample_times_h = vec![7.0 * 24.0 + 8.0, 35.0 * 24.0 + 8.0, 63.0 * 24.0 + 8.0];
    simulate(&RefHpg::default(), regimen, &o).unwrap()
}

/// The content of every `<text>` element, trimmed.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|s| {
            let body = &s[s.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_string())
        })
        .collect()
}

/// True if some `<text>` element reads exactly `s`.
fn has_text(svg: &str, s: &str) -> bool {
    texts(svg).iter().any(|t| t == s)
}

/// Every `font-size` in the SVG, px.
fn font_sizes(svg: &str) -> Vec<f64> {
    svg.split("font-size=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
        .collect()
}

fn assert_legible(svg: &str) {
    let sizes = font_sizes(svg);
    assert!(!sizes.is_empty());
    assert!(
        sizes.iter().all(|&s| s >= MIN_FONT_PX as f64 - 1e-9),
        "font sizes {sizes:?}"
    );
}

/// A `<rect>` filled with the reference-band colour.
fn has_reference_band(svg: &str) -> bool {
    svg.lines()
        .any(|l| l.contains("<rect") && l.contains(&format!("fill=\"{REFERENCE_BAND_FILL}\"")))
}

#[test]
fn trajectory_svg_has_units_bands_doses_and_labs() {
    let tr = run(&weekly(8));
    let draws: Vec<LabDraw> = [7.0 * 24.0 + 8.0, 35.0 * 24.0 + 8.0, 63.0 * 24.0 + 8.0]
        .iter()
        .map(|&t_h| LabDraw {
            t_h,
            assays: vec![Assay::TotalT, Assay::Lh],
        })
        .collect();
    let labs = measure(&tr, &draws, &|a| a.default_cv(), 7).unwrap();
    let path = out("weekly.svg");
    let opts = PlotOptions::default()
        .with_title("Depot 100 mg IM weekly x 8")
        .with_labs(&labs);
    plot_trajectory(&tr, &opts, &path).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("<title>Depot 100 mg IM weekly x 8</title>"));
    // axis names: the unit on each y axis, time on the x axis (70 days: in days)
    for unit in ["ng/dL", "IU/L", "pg/mL", "time (days)"] {
        assert!(has_text(&svg, unit), "missing axis label {unit}");
    }
    // panel captions with the reference range and its source
    assert!(has_text(
        &svg,
        "Total testosterone (normal 264–916 ng/dL, R1, Travison 2017)"
    ));
    assert!(has_text(&svg, "LH (normal 2.2–11.6 IU/L, R4, Qin 2012)"));
    assert!(has_reference_band(&svg));
    // dose marks named in the legend, lab draws drawn as points
    assert!(has_text(&svg, "depot dose"));
    assert!(has_text(&svg, "lab draw (measured)"));
    assert_eq!(
        svg.matches("<circle").count(),
        6 + 1,
        "6 draws + legend swatch"
    );
    assert_legible(&svg);
}

#[test]
fn short_runs_are_in_hours_and_options_are_respected() {
    let tr = simulate(
        &RefHpg::default(),
        &weekly(1),
        &SimOptions::new(48.0, 1.0).unwrap(),
    )
    .unwrap();
    let path = out("short.svg");
    let opts = PlotOptions {
        reference_ranges: false,
        font_px: 18,
        ..PlotOptions::default()
    }
    .with_columns(["total_t_ng_dl"]);
    plot_trajectory(&tr, &opts, &path).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(has_text(&svg, "time (hours)"));
    assert!(has_text(&svg, "ng/dL") && !has_text(&svg, "IU/L"));
    assert!(!has_reference_band(&svg));
    assert!(font_sizes(&svg).iter().all(|&s| s >= 18.0 - 1e-9));

    let bad = PlotOptions::default().with_columns(["no_such_column"]);
    assert!(matches!(
        plot_trajectory(&tr, &bad, &path),
        Err(Error::UnknownName { .. })
    ));
    let tiny = PlotOptions {
        font_px: 8,
        ..PlotOptions::default()
    };
    assert!(matches!(
        plot_trajectory(&tr, &tiny, &path),
        Err(Error::InvalidValue { .. })
    ));
}

#[test]
fn compare_overlays_two_runs_with_a_legend() {
    let a = run(&weekly(8));
    let b = run(&weekly(4));
    let path = out("compare.svg");
    plot_compare(
        &a,
        &b,
        ("8 doses", "4 doses"),
        &PlotOptions::default(),
        &path,
    )
    .unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(has_text(&svg, "8 doses") && has_text(&svg, "4 doses"));
    // the 4 shared doses once, the last 4 named after their run
    assert!(has_text(&svg, "depot dose") && has_text(&svg, "depot dose (8 doses)"));
    assert!(!has_text(&svg, "depot dose (4 doses)"));
    assert!(has_text(&svg, "ng/dL") && has_text(&svg, "time (days)"));
    assert!(has_reference_band(&svg));
    // both series colours are drawn
    assert!(svg.contains("stroke=\"#0072B2\"") && svg.contains("stroke=\"#D55E00\""));
    assert_legible(&svg);

    // the same regimen twice: one set of dose marks
    plot_compare(&a, &a, ("a", "b"), &PlotOptions::default(), &path).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(has_text(&svg, "depot dose"));
}

#[test]
fn cohort_has_median_and_percentile_bands() {
    let pop = Population {
        n: 30,
        seed: 3,
        variability: ["a0", "ka"]
            .iter()
            .map(|p| Variability {
                parameter: p.to_string(),
                cv: 0.25,
            })
            .collect(),
    };
    let make = |f: &[f64]| -> endocrine::Result<Box<dyn Model>> {
        let mut m = RefHpg::default();
        m.a0 *= f[0];
        m.ka *= f[1];
        Ok(Box::new(m))
    };
    let regimen = weekly(8);
    let o = SimOptions::new(60.0 * 24.0, 12.0).unwrap();
    let cohort = simulate_cohort(&pop, make, &regimen, &o).unwrap();
    let (times, cols, pct) = cohort.percentiles();
    let path = out("cohort.svg");
    plot_cohort(
        &times,
        &cols,
        &pct,
        cohort.subjects[0].events(),
        &PlotOptions::default().with_title("Cohort of 30"),
        &path,
    )
    .unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    for s in [
        "ng/dL",
        "IU/L",
        "time (days)",
        "median",
        "25th–75th percentile",
        "5th–95th percentile",
        "depot dose",
    ] {
        assert!(has_text(&svg, s), "missing {s}");
    }
    assert!(has_reference_band(&svg));
    assert!(svg.contains("<polygon"), "percentile bands are polygons");
    assert_legible(&svg);
}

/// Observes NaN and +inf only.
struct Broken;

impl Model for Broken {
    fn name(&self) -> &str {
        "broken"
    }
    fn state_names(&self) -> Vec<String> {
        vec!["x".into()]
    }
    fn initial_state(&self) -> Vec<f64> {
        vec![1.0]
    }
    fn rhs(&self, _t: f64, _y: &[f64], _e: &Effects, dy: &mut [f64]) {
        dy[0] = 0.0;
    }
    fn observables(&self) -> Vec<Observable> {
        vec![
            Observable::new("total_t_ng_dl", "total T", "ng/dL"),
            Observable::new("lh_iu_l", "LH", "IU/L"),
        ]
    }
    fn observe(&self, _t: f64, _y: &[f64], _e: &Effects, out: &mut [f64]) {
        out[0] = f64::NAN;
        out[1] = f64::INFINITY;
    }
}

fn is_io(r: endocrine::Result<()>) -> bool {
    matches!(r, Err(Error::Io { .. }))
}

#[test]
fn empty_and_non_finite_data_give_errors_not_panics() {
    let path = out("bad.svg");
    let opts = PlotOptions::default();
    let nan = simulate(
        &Broken,
        &Regimen::new(),
        &SimOptions::new(24.0, 1.0).unwrap(),
    )
    .unwrap();
    assert!(is_io(plot_trajectory(&nan, &opts, &path)));
    assert!(is_io(plot_compare(&nan, &nan, ("a", "b"), &opts, &path)));

    // an empty trajectory (as a file from elsewhere could hold)
    let mut v = serde_json::to_value(&nan).unwrap();
    v["times_h"] = serde_json::json!([]);
    v["values"] = serde_json::json!([]);
    v["kinds"] = serde_json::json!([]);
    let empty: Trajectory = serde_json::from_value(v).unwrap();
    match plot_trajectory(&empty, &opts, &path) {
        Err(Error::Io { path: p, message }) => {
            assert!(
                p.ends_with("bad.svg") && message.contains("no rows"),
                "{message}"
            )
        }
        other => panic!("{other:?}"),
    }
    let good = run(&weekly(2));
    assert!(is_io(plot_compare(&good, &empty, ("a", "b"), &opts, &path)));

    // cohorts: no rows, mismatched shapes, all NaN
    let cols = vec!["total_t_ng_dl".to_string()];
    assert!(is_io(plot_cohort(&[], &cols, &[], &[], &opts, &path)));
    assert!(is_io(plot_cohort(
        &[0.0, 1.0],
        &cols,
        &[vec![[1.0; 5]]],
        &[],
        &opts,
        &path
    )));
    let all_nan = vec![vec![[f64::NAN; 5]]; 2];
    assert!(is_io(plot_cohort(
        &[0.0, 1.0],
        &cols,
        &all_nan,
        &[],
        &opts,
        &path
    )));

    // some NaN among good values: drawn, the bad points skipped
    let partly = vec![
        vec![[1.0, 2.0, 3.0, 4.0, 5.0]],
        vec![[f64::NAN; 5]],
        vec![[1.0, 2.0, 3.0, 4.0, 5.0]],
    ];
    plot_cohort(&[0.0, 1.0, 2.0], &cols, &partly, &[], &opts, &path).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(!svg.contains("NaN") && !svg.contains("inf"));

    // unwritable path
    let dir = out("unwritable");
    std::fs::create_dir_all(&*dir).unwrap(); // a folder where the file should be
    assert!(is_io(plot_trajectory(&good, &opts, &dir)));
    std::fs::remove_dir(&*dir).unwrap();
}

/// A cortisol-like day curve peaking at 08:30 (t = 0 is midnight).
struct DayCurve;

impl Model for DayCurve {
    fn name(&self) -> &str {
        "day_curve"
    }
    fn state_names(&self) -> Vec<String> {
        vec!["x".into()]
    }
    fn initial_state(&self) -> Vec<f64> {
        vec![0.0]
    }
    fn rhs(&self, _t: f64, _y: &[f64], _e: &Effects, dy: &mut [f64]) {
        dy[0] = 0.0;
    }
    fn observables(&self) -> Vec<Observable> {
        // label and unit left empty, as a model may do: taken from the column name
        vec![
            Observable::new("cortisol_ug_dl", "cortisol_ug_dl", ""),
            Observable::new("acth_pg_ml", "acth_pg_ml", ""),
        ]
    }
    fn observe(&self, t: f64, _y: &[f64], _e: &Effects, out: &mut [f64]) {
        let c = (2.0 * std::f64::consts::PI * (t - 8.5) / 24.0).cos();
        out[0] = 9.0 + 7.0 * c;
        out[1] = 25.0 + 15.0 * c;
    }
}

#[test]
fn morning_ranges_are_drawn_07_to_10_each_day() {
    let path = out("day_curve.svg");
    let opts = PlotOptions::default().with_columns(["cortisol_ug_dl"]);
    let tr = simulate(
        &DayCurve,
        &Regimen::new(),
        &SimOptions::new(3.0 * 24.0, 0.5).unwrap(),
    )
    .unwrap();
    plot_trajectory(&tr, &opts, &path).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(has_text(&svg, "µg/dL"));
    assert!(has_text(
        &svg,
        "Serum cortisol (normal at 07–10 h: 11.7–20.6 µg/dL, H1, Debono 2009, 08:32 peak)"
    ));
    let bands = svg
        .lines()
        .filter(|l| l.contains("<rect") && l.contains(&format!("fill=\"{REFERENCE_BAND_FILL}\"")))
        .count();
    assert_eq!(bands, 3 + 1, "one window per day plus the legend swatch");

    // a long run: one plain band
    let tr = simulate(
        &DayCurve,
        &Regimen::new(),
        &SimOptions::new(30.0 * 24.0, 1.0).unwrap(),
    )
    .unwrap();
    plot_trajectory(&tr, &opts, &path).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    let bands = svg
        .lines()
        .filter(|l| l.contains("<rect") && l.contains(&format!("fill=\"{REFERENCE_BAND_FILL}\"")))
        .count();
    assert_eq!(bands, 1 + 1);
    assert!(has_text(
        &svg,
        "Serum cortisol (normal morning 11.7–20.6 µg/dL, H1, Debono 2009, 08:32 peak)"
    ));
}
