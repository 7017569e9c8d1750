//! Weekly testosterone enanthate and the feedback loop, drawn as an SVG.
//!
//! A healthy man (the HPG axis at its untreated steady state) gets 100 mg testosterone
//! enanthate intramuscularly every 7 days at 08:00 for 12 weeks, then stops; the run goes
//! on to week 24. Watch serum total testosterone rise after each injection and fall
//! before the next (peaks and troughs), while LH and FSH are pushed down by the negative
//! feedback of testosterone and estradiol on the hypothalamus and pituitary, so that
//! testosterone *inside the testis* collapses; after the last dose the loop recovers.
//! Trough labs (total T and LH, with assay noise) are drawn just before the injections of
//! weeks 4, 8 and 12.
//!
//! ```text
//! cargo run --example plot_te_weekly -- te_weekly.svg
//! ```
//! Open the SVG in a browser (`scripts/screenshot.sh` turns it into a PNG).

use endocrine::axes::hpg::Hpg;
use endocrine::labs::{measure, Assay, LabDraw};
use endocrine::plot::{plot_trajectory, PlotOptions};
use endocrine::{simulate, Amount, Dose, Regimen, Route, SimOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "te_weekly.svg".into());
    let week = 168.0;
    let at = 8.0; // 08:00
    let regimen = Regimen::new().with(
        Dose::new("testosterone_enanthate", Route::Im, Amount::mg(100.0), at)?.every(week, 12)?,
    );
    // a draw at a dose time is the pre-dose trough
    let draws: Vec<LabDraw> = [4.0, 8.0, 11.0]
        .iter()
        .map(|w| LabDraw {
            t_h: w * week + at,
            assays: vec![Assay::TotalT, Assay::Lh],
        })
        .collect();
    let mut options = SimOptions::new(24.0 * week, 2.0)?;
    options.sample_times_h = draws.iter().map(|d| d.t_h).collect();
    let run = simulate(&Hpg::healthy(), &regimen, &options)?;
    let labs = measure(&run, &draws, &|a| a.default_cv(), 42)?;
    let opts = PlotOptions {
        panel_height_px: 240,
        ..PlotOptions::default()
    }
    .with_title("Testosterone enanthate 100 mg IM weekly for 12 weeks, then stopped")
    .with_columns([
        "lh_iu_l",
        "fsh_iu_l",
        "total_t_ng_dl",
        "e2_pg_ml",
        "intratesticular_t_nmol_l",
    ])
    .with_labs(&labs);
    plot_trajectory(&run, &opts, std::path::Path::new(&out))?;
    eprintln!("wrote {out}");
    Ok(())
}
