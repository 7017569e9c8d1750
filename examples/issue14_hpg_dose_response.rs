//! Dose-response of the HPG mechanisms of issue 14, as data (CSV) and plots (SVG) in `docs/`:
//!
//! - E2 and total T at week 12 by anastrozole regimen, in the older men of Leder et al.
//!   (JCEM 2004;89:1174: T 343 ng/dL, LH 5.1 IU/L, E2 26 pg/mL), with the published arms
//!   (1 mg daily: E2 17 ± 6; 1 mg twice weekly: E2 17 ± 5 from 27) drawn as points;
//! - nadir T and E2 at week 16 by weekly TE dose under a monthly GnRH-agonist depot (the
//!   design of Bhasin et al., Am J Physiol Endocrinol Metab 2001;281:E1172), with the
//!   published nadir T (253, 306, 542, 1345, 2370 ng/dL) drawn as points.
//!
//! Research and education only: not medical advice.
//!
//! ```text
//! cargo run --release --example issue14_hpg_dose_response -- docs
//! ```

use endocrine::scenario::Scenario;
use std::fmt::Write as _;
use std::path::Path;

/// A scenario of the Leder 2004 subject on `doses` (TOML `[[dose]]` blocks).
fn anastrozole_run(doses: &str) -> endocrine::Result<(f64, f64)> {
    let text = format!(
        "axis = \"hpg\"\nduration = \"84 d\"\noutput_every = \"6 h\"\n[subject]\n\
         total_t = \"343 ng/dL\"\nlh = \"5.1 IU/L\"\ne2 = \"26 pg/mL\"\nage = \"68 yr\"\n{doses}"
    );
    let tr = Scenario::from_toml_str(&text)?.run()?;
    let at = 83.0 * 24.0 + 8.0;
    Ok((
        tr.value_at("e2_pg_ml", at).unwrap_or(f64::NAN),
        tr.value_at("total_t_ng_dl", at).unwrap_or(f64::NAN),
    ))
}

fn dose(mg: f64, at_h: f64, every_h: f64, count: u32) -> String {
    format!(
        "[[dose]]\ndrug = \"anastrozole\"\nroute = \"oral\"\namount = \"{mg} mg\"\n\
         at = \"{at_h} h\"\nevery = \"{every_h} h\"\ncount = {count}\n"
    )
}

/// Nadir T and E2 at week 16 on weekly TE `mg` with a monthly leuprolide depot.
fn te_run(mg: f64) -> endocrine::Result<(f64, f64)> {
    let text = format!(
        "axis = \"hpg\"\nduration = \"113 d\"\noutput_every = \"6 h\"\n[subject]\nage = \"27 yr\"\n\
         [[dose]]\ndrug = \"leuprolide\"\nroute = \"im\"\namount = \"7.5 mg\"\nat = \"0 h\"\n\
         every = \"28 d\"\ncount = 5\n[[dose]]\ndrug = \"testosterone_enanthate\"\nroute = \"im\"\n\
         amount = \"{mg} mg\"\nat = \"0 h\"\nevery = \"7 d\"\ncount = 17\n"
    );
    let tr = Scenario::from_toml_str(&text)?.run()?;
    let at = 112.0 * 24.0 - 1.0;
    Ok((
        tr.value_at("total_t_ng_dl", at).unwrap_or(f64::NAN),
        tr.value_at("e2_pg_ml", at).unwrap_or(f64::NAN),
    ))
}

/// A minimal SVG scatter/line chart: `series` = (label, colour, points, line?), plus
/// published points with optional error bars.
struct Chart {
    title: String,
    x_label: String,
    y_label: String,
    x_log: bool,
    x_range: (f64, f64),
    y_range: (f64, f64),
    body: String,
    legend: Vec<(String, String, bool)>,
}

const W: f64 = 860.0;
const H: f64 = 440.0;
const L: f64 = 80.0;
const R: f64 = 200.0;
const T: f64 = 50.0;
const B: f64 = 60.0;

impl Chart {
    fn x(&self, v: f64) -> f64 {
        let (a, b) = self.x_range;
        let f = if self.x_log {
            (v.ln() - a.ln()) / (b.ln() - a.ln())
        } else {
            (v - a) / (b - a)
        };
        L + f * (W - L - R)
    }
    fn y(&self, v: f64) -> f64 {
        let (a, b) = self.y_range;
        H - B - (v - a) / (b - a) * (H - T - B)
    }
    fn line(&mut self, label: &str, colour: &str, pts: &[(f64, f64)]) {
        let d: Vec<String> = pts
            .iter()
            .map(|&(x, y)| format!("{:.1},{:.1}", self.x(x), self.y(y)))
            .collect();
        let _ = writeln!(
            self.body,
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/>",
            d.join(" ")
        );
        for &(x, y) in pts {
            let _ = writeln!(
                self.body,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{colour}\"/>",
                self.x(x),
                self.y(y)
            );
        }
        self.legend.push((label.into(), colour.into(), true));
    }
    fn points(&mut self, label: &str, colour: &str, pts: &[(f64, f64, f64)]) {
        for &(x, y, sd) in pts {
            let (cx, cy) = (self.x(x), self.y(y));
            if sd > 0.0 {
                let _ = writeln!(
                    self.body,
                    "<line x1=\"{cx:.1}\" x2=\"{cx:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{colour}\"/>",
                    self.y(y - sd),
                    self.y(y + sd)
                );
            }
            let _ = writeln!(
                self.body,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"8\" height=\"8\" fill=\"white\" stroke=\"{colour}\" stroke-width=\"2\"/>",
                cx - 4.0,
                cy - 4.0
            );
        }
        self.legend.push((label.into(), colour.into(), false));
    }
    fn svg(&self, x_ticks: &[f64], y_ticks: &[f64], x_names: Option<&[&str]>) -> String {
        let mut s = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"12\">\n\
             <title>{}</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
             <text x=\"{L}\" y=\"28\" font-size=\"15\" font-weight=\"bold\">{}</text>\n",
            self.title, self.title
        );
        let (x0, x1) = (L, W - R);
        let (y0, y1) = (H - B, T);
        let _ = writeln!(s, "<rect x=\"{x0}\" y=\"{y1}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#444\"/>", x1 - x0, y0 - y1);
        for (i, &t) in x_ticks.iter().enumerate() {
            let x = self.x(t);
            let name = x_names.map(|n| n[i].to_string()).unwrap_or(format!("{t}"));
            let _ = writeln!(s, "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{y0}\" y2=\"{}\" stroke=\"#444\"/><text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\">{name}</text>", y0 + 5.0, y0 + 20.0);
        }
        for &t in y_ticks {
            let y = self.y(t);
            let _ = writeln!(s, "<line x1=\"{x0}\" x2=\"{x1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{t}</text>", x0 - 6.0, y + 4.0);
        }
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            (x0 + x1) / 2.0,
            H - 15.0,
            self.x_label
        );
        let _ = writeln!(
            s,
            "<text transform=\"translate(22,{:.1}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
            (y0 + y1) / 2.0,
            self.y_label
        );
        s.push_str(&self.body);
        for (i, (label, colour, line)) in self.legend.iter().enumerate() {
            let y = T + 15.0 + 22.0 * i as f64;
            let x = W - R + 15.0;
            if *line {
                let _ = writeln!(s, "<line x1=\"{x}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"2\"/>", x + 20.0);
            } else {
                let _ = writeln!(s, "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"white\" stroke=\"{colour}\" stroke-width=\"2\"/>", x + 6.0, y - 4.0);
            }
            let _ = writeln!(
                s,
                "<text x=\"{}\" y=\"{}\">{label}</text>",
                x + 26.0,
                y + 4.0
            );
        }
        s.push_str("</svg>\n");
        s
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "docs".into());
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir.join("img"))?;
    std::fs::create_dir_all(dir.join("data"))?;

    // ---- anastrozole regimens ----
    let day = 24.0;
    let regimens: Vec<(&str, String)> = vec![
        ("none", String::new()),
        ("0.5 mg 2x/wk", dose(0.5, 8.0, 84.0, 24)),
        ("1 mg 2x/wk", dose(1.0, 8.0, 84.0, 24)),
        ("0.5 mg 3x/wk", dose(0.5, 8.0, 56.0, 36)),
        ("1 mg daily", dose(1.0, 8.0, day, 84)),
        ("10 mg daily", dose(10.0, 8.0, day, 84)),
    ];
    let mut csv = String::from("regimen,e2_pg_ml_week12,total_t_ng_dl_week12\n");
    let mut e2 = Vec::new();
    let mut tt = Vec::new();
    for (i, (name, doses)) in regimens.iter().enumerate() {
        let (e, t) = anastrozole_run(doses)?;
        let _ = writeln!(csv, "{name},{e:.2},{t:.1}");
        e2.push((i as f64, e));
        tt.push((i as f64, t / 20.0));
    }
    std::fs::write(dir.join("data/anastrozole_e2_by_regimen.csv"), &csv)?;
    let mut c = Chart {
        title: "Anastrozole: E2 and T at week 12 by regimen (older men, Leder 2004 baseline)"
            .into(),
        x_label: "regimen".into(),
        y_label: "E2 pg/mL (T ng/dL / 20)".into(),
        x_log: false,
        x_range: (-0.5, regimens.len() as f64 - 0.5),
        y_range: (0.0, 40.0),
        body: String::new(),
        legend: Vec::new(),
    };
    c.line("model E2", "#0072B2", &e2);
    c.line("model T / 20", "#D55E00", &tt);
    c.points(
        "Leder 2004 E2 ± SD",
        "#000000",
        &[(2.0, 17.0, 5.0), (4.0, 17.0, 6.0), (0.0, 26.0, 8.0)],
    );
    c.points(
        "Leder 2004 T / 20 ± SD",
        "#999999",
        &[
            (2.0, 520.0 / 20.0, 91.0 / 20.0),
            (4.0, 572.0 / 20.0, 139.0 / 20.0),
        ],
    );
    let names: Vec<&str> = regimens.iter().map(|r| r.0).collect();
    let ticks: Vec<f64> = (0..regimens.len()).map(|i| i as f64).collect();
    std::fs::write(
        dir.join("img/anastrozole_e2_by_regimen.svg"),
        c.svg(&ticks, &[0.0, 10.0, 20.0, 30.0, 40.0], Some(&names)),
    )?;
    print!("{csv}");

    // ---- TE dose under a GnRH agonist ----
    let doses = [25.0, 50.0, 125.0, 300.0, 600.0];
    let bhasin = [253.0, 306.0, 542.0, 1345.0, 2370.0];
    let mut csv =
        String::from("te_mg_week,nadir_t_ng_dl,nadir_e2_pg_ml,bhasin_2001_nadir_t_ng_dl\n");
    let mut t_pts = Vec::new();
    let mut e_pts = Vec::new();
    for (&mg, &b) in doses.iter().zip(&bhasin) {
        let (t, e) = te_run(mg)?;
        let _ = writeln!(csv, "{mg},{t:.1},{e:.2},{b}");
        t_pts.push((mg, t / 20.0));
        e_pts.push((mg, e));
    }
    std::fs::write(dir.join("data/te_dose_t_e2.csv"), &csv)?;
    let mut c = Chart {
        title: "TE weekly + GnRH agonist: nadir T and E2 at week 16 by dose".into(),
        x_label: "testosterone enanthate, mg/week (log)".into(),
        y_label: "E2 pg/mL (T ng/dL / 20)".into(),
        x_log: true,
        x_range: (20.0, 750.0),
        y_range: (0.0, 140.0),
        body: String::new(),
        legend: Vec::new(),
    };
    c.line("model nadir T / 20", "#D55E00", &t_pts);
    c.line("model nadir E2", "#0072B2", &e_pts);
    let pts: Vec<(f64, f64, f64)> = doses
        .iter()
        .zip(&bhasin)
        .map(|(&d, &b)| (d, b / 20.0, 0.0))
        .collect();
    c.points("Bhasin 2001 nadir T / 20", "#000000", &pts);
    std::fs::write(
        dir.join("img/te_dose_t_e2.svg"),
        c.svg(
            &doses,
            &[0.0, 20.0, 40.0, 60.0, 80.0, 100.0, 120.0, 140.0],
            None,
        ),
    )?;
    print!("{csv}");
    Ok(())
}
