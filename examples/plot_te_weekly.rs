//! Weekly intramuscular depot injections and the feedback loop, drawn as an SVG.
//!
//! The reference HPG model (`endocrine::reference::RefHpg`: depot, GnRH, LH, total T) gets
//! 100 mg into its depot every 7 days for 8 weeks. Watch total testosterone rise after each
//! injection and fall before the next (peaks and troughs), while LH and GnRH are pushed down
//! by the negative feedback of testosterone on the hypothalamus, and recover after the last
//! dose. Trough labs (total T, LH, with assay noise) are drawn just before three of the
//! injections.
//!
//! ```text
//! cargo run --example plot_te_weekly -- te_weekly.svg
//! ```
//! Open the SVG in a browser (`scripts/screenshot.sh` turns it into a PNG).

use endocrine::labs::{measure, Assay, LabDraw};
use endocrine::plot::{plot_trajectory, PlotOptions};
use endocrine::reference::RefHpg;
use endocrine::{simulate, Amount, Dose, Regimen, Route, SimOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "te_weekly.svg".into());
    let week = 168.0;
    let regimen =
        Regimen::new().with(Dose::new("depot", Route::Im, Amount::mg(100.0), 0.0)?.every(week, 8)?);
    // 12 weeks, a row every 2 h; trough draws just before the injections of weeks 2, 5 and 8
    let draws: Vec<LabDraw> = [1.0, 4.0, 7.0]
        .iter()
        .map(|w| LabDraw {
            t_h: w * week,
            assays: vec![Assay::TotalT, Assay::Lh],
        })
        .collect();
    let mut options = SimOptions::new(12.0 * week, 2.0)?;
    options.sample_times_h = draws.iter().map(|d| d.t_h).collect();
    let run = simulate(&RefHpg::default(), &regimen, &options)?;
    let labs = measure(&run, &draws, &|a| a.default_cv(), 42)?;
    let opts = PlotOptions::default()
        .with_title("Depot 100 mg IM weekly × 8 (reference HPG model)")
        .with_labs(&labs);
    plot_trajectory(&run, &opts, std::path::Path::new(&out))?;
    eprintln!("wrote {out}");
    Ok(())
}
