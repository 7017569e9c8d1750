//! Plots as SVG files (feature `plot`, on by default): a run, two runs overlaid, a cohort.
//!
//! Every plot is a stack of panels, one per observable, sharing a time axis: days, or
//! hours for runs shorter than 3 days (t = 0 is midnight of day 0), with ticks at steps a
//! reader counts in (a week, 4 weeks, 6 h, …). Each panel names its hormone, labels the y
//! axis with the unit, shades the normal reference range where one is known (green band,
//! see [`REFERENCE_RANGES`]) and marks dose and procedure times with thin vertical lines
//! whose colour the legend names (above 120 doses: short ticks at the foot of each panel).
//! Lab draws ([`crate::clinic::labs::LabResult`]) are black points on the panel of the column they
//! measure.
//!
//! - [`plot_trajectory`]: one run.
//! - [`plot_compare`]: two runs overlaid (solid and dashed), with a legend.
//! - [`plot_cohort`]: the cohort median with the 25th–75th and 5th–95th percentile bands.
//!
//! The output is SVG only: text is written as `<text>` elements that the viewer lays out,
//! so no font files are needed to draw. To get a PNG, open the SVG in a browser (the
//! repository's `scripts/screenshot.sh` does it with headless Chromium).
//!
//! Data are never trusted: non-finite values (NaN, ±∞) are skipped (a line is broken
//! there), columns that are zero throughout (e.g. a drug that was not given) are left out
//! unless asked for by name, and a run with no rows or no finite value gives an
//! [`Error::Io`] naming the output path, never a panic.
//!
//! ```no_run
//! use endocrine::plot::{plot_trajectory, PlotOptions};
//! use endocrine::reference::RefHpg;
//! use endocrine::{simulate, Amount, Dose, Regimen, Route, SimOptions};
//!
//! let regimen = Regimen::new()
//!     .with(Dose::new("depot", Route::Im, Amount::mg(100.0), 0.0)?.every(168.0, 8)?);
//! let run = simulate(&RefHpg::default(), &regimen, &SimOptions::new(70.0 * 24.0, 2.0)?)?;
//! let opts = PlotOptions::default().with_title("100 mg depot weekly");
//! plot_trajectory(&run, &opts, std::path::Path::new("weekly.svg"))?;
//! # Ok::<(), endocrine::Error>(())
//! ```

use crate::clinic::cohort::PERCENTILES;
use crate::clinic::labs::{Assay, LabResult};
use crate::engine::model::Observable;
use crate::engine::trajectory::{AppliedEvent, Trajectory};
use crate::error::{Error, Result};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

mod draw;
mod figures;
mod layout;

use draw::*;
pub use figures::{plot_cohort, plot_compare, plot_trajectory};
use layout::*;

/// A normal reference range for one output column, with its source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReferenceRange {
    /// Trajectory column (`total_t_ng_dl`).
    pub column: &'static str,
    /// Lower limit, in the column's unit.
    pub low: f64,
    /// Upper limit, in the column's unit.
    pub high: f64,
    /// Unit of the limits (the column's unit).
    pub unit: &'static str,
    /// The range holds in the morning only (cortisol, ACTH): for runs of up to
    /// [`MORNING_WINDOW_MAX_DAYS`] days the band is drawn 07:00–10:00 each day, for longer
    /// runs across the whole panel with the caption saying "morning".
    pub morning_only: bool,
    /// Row of `shared/calibration/targets.md` and the publication.
    pub source: &'static str,
}

/// Longest run (days) for which morning-only ranges are drawn as daily 07:00–10:00 windows.
pub const MORNING_WINDOW_MAX_DAYS: f64 = 14.0;

/// The reference ranges drawn as bands (rows of `shared/calibration/targets.md`).
///
/// | column | range | source |
/// |---|---|---|
/// | `total_t_ng_dl` | 264–916 ng/dL | R1: Travison et al., JCEM 2017;102:1161, harmonized 2.5th–97.5th percentile of healthy nonobese men 19–39 y |
/// | `free_t_pg_ml` | 66–309 pg/mL | R3: Jasuja et al., Andrology 2022, equilibrium dialysis, healthy nonobese men of all ages |
/// | `lh_iu_l` | 2.2–11.6 IU/L | R4: Qin et al., Clin Lab 2012 (FAMHES, 1191 men 20–69 y, Elecsys) |
/// | `fsh_iu_l` | 1.8–16.5 IU/L | R4 |
/// | `e2_pg_ml` | 18–57 pg/mL | R4 (65.4–207.7 pmol/L) |
/// | `shbg_nmol_l` | 18.2–95.1 nmol/L | R4 |
/// | `cortisol_ug_dl` | 11.7–20.6 µg/dL, morning | H1: Debono et al., JCEM 2009, 95 % reference range of the 08:32 peak |
/// | `acth_pg_ml` | 10–60 pg/mL, morning | H5: manufacturer range for 08:00–10:00 draws (UCSF lab manual; Park et al., KJNMT) |
/// | `tsh_miu_l` | 0.4–4.0 mIU/L | ATA 2014 guideline (Jonklaas et al., Thyroid 24:1670) |
/// | `ft4_ng_dl` | 0.8–1.8 ng/dL | assay range of Jonklaas et al., Ther Drug Monit 2015;37:110 |
/// | `ft3_pg_ml` | 2.18–3.98 pg/mL | Jonklaas 2015 |
/// | `total_t4_ug_dl` | 4.7–13.3 µg/dL | Jonklaas 2015 |
/// | `total_t3_ng_dl` | 76–181 ng/dL | Jonklaas 2015 |
///
/// The free T range was measured by equilibrium dialysis; a calculated (Vermeulen) free T
/// runs about 1.19× higher (see [`crate::clinic::labs::CFT_TO_ED_RATIO`]).
pub const REFERENCE_RANGES: [ReferenceRange; 13] = [
    ReferenceRange {
        column: "total_t_ng_dl",
        low: 264.0,
        high: 916.0,
        unit: "ng/dL",
        morning_only: false,
        source: "R1, Travison 2017",
    },
    ReferenceRange {
        column: "free_t_pg_ml",
        low: 66.0,
        high: 309.0,
        unit: "pg/mL",
        morning_only: false,
        source: "R3, Jasuja 2022, dialysis",
    },
    ReferenceRange {
        column: "lh_iu_l",
        low: 2.2,
        high: 11.6,
        unit: "IU/L",
        morning_only: false,
        source: "R4, Qin 2012",
    },
    ReferenceRange {
        column: "fsh_iu_l",
        low: 1.8,
        high: 16.5,
        unit: "IU/L",
        morning_only: false,
        source: "R4, Qin 2012",
    },
    ReferenceRange {
        column: "e2_pg_ml",
        low: 18.0,
        high: 57.0,
        unit: "pg/mL",
        morning_only: false,
        source: "R4, Qin 2012",
    },
    ReferenceRange {
        column: "shbg_nmol_l",
        low: 18.2,
        high: 95.1,
        unit: "nmol/L",
        morning_only: false,
        source: "R4, Qin 2012",
    },
    ReferenceRange {
        column: "cortisol_ug_dl",
        low: 11.7,
        high: 20.6,
        unit: "µg/dL",
        morning_only: true,
        source: "H1, Debono 2009, 08:32 peak",
    },
    ReferenceRange {
        column: "acth_pg_ml",
        low: 10.0,
        high: 60.0,
        unit: "pg/mL",
        morning_only: true,
        source: "H5, manufacturer range",
    },
    ReferenceRange {
        column: "tsh_miu_l",
        low: 0.4,
        high: 4.0,
        unit: "mIU/L",
        morning_only: false,
        source: "ATA 2014 (Jonklaas, Thyroid 24:1670)",
    },
    ReferenceRange {
        column: "ft4_ng_dl",
        low: 0.8,
        high: 1.8,
        unit: "ng/dL",
        morning_only: false,
        source: "Jonklaas 2015 assay range",
    },
    ReferenceRange {
        column: "ft3_pg_ml",
        low: 2.18,
        high: 3.98,
        unit: "pg/mL",
        morning_only: false,
        source: "Jonklaas 2015 assay range",
    },
    ReferenceRange {
        column: "total_t4_ug_dl",
        low: 4.7,
        high: 13.3,
        unit: "µg/dL",
        morning_only: false,
        source: "Jonklaas 2015 assay range",
    },
    ReferenceRange {
        column: "total_t3_ng_dl",
        low: 76.0,
        high: 181.0,
        unit: "ng/dL",
        morning_only: false,
        source: "Jonklaas 2015 assay range",
    },
];

/// The reference range of `column`, if one is known.
pub fn reference_range(column: &str) -> Option<&'static ReferenceRange> {
    REFERENCE_RANGES.iter().find(|r| r.column == column)
}

/// Fill colour of the reference-range bands, as written in the SVG (`fill="#2EA043"`);
/// nothing else in a plot uses it.
pub const REFERENCE_BAND_FILL: &str = "#2EA043";

/// Smallest font size accepted, px.
pub const MIN_FONT_PX: u32 = 14;

/// How a plot looks. Start from [`PlotOptions::default`] and change what you need.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotOptions {
    /// Title above the panels; `None` gives a default naming the kind of plot.
    pub title: Option<String>,
    /// Width of the image, px (400–8000).
    pub width_px: u32,
    /// Height of one panel, px (120–2000).
    pub panel_height_px: u32,
    /// Font size of tick labels, axis names and the legend, px ([`MIN_FONT_PX`]–48);
    /// panel captions are a little larger, the title larger still.
    pub font_px: u32,
    /// Only these columns, in this order (an unknown name is an error); `None`: every
    /// column that is not zero throughout.
    pub columns: Option<Vec<String>>,
    /// Shade the normal reference ranges.
    pub reference_ranges: bool,
    /// Lab draws to show as points ([`plot_trajectory`] only); each goes on the panel of
    /// the column its assay measures (salivary cortisol on free cortisol, free T by
    /// dialysis on free T).
    pub labs: Vec<LabResult>,
    /// Target windows to shade (a dose proposal's `--target`), drawn as blue bands on
    /// their column's panel.
    pub targets: Vec<TargetBand>,
}

/// A target window on one column (e.g. total T 400–800 ng/dL of a dose proposal).
#[derive(Debug, Clone, PartialEq)]
pub struct TargetBand {
    /// Trajectory column (`total_t_ng_dl`).
    pub column: String,
    /// Lower limit, in the column's unit.
    pub low: f64,
    /// Upper limit, in the column's unit.
    pub high: f64,
}

impl Default for PlotOptions {
    fn default() -> Self {
        PlotOptions {
            title: None,
            width_px: 1200,
            panel_height_px: 280,
            font_px: 16,
            columns: None,
            reference_ranges: true,
            labs: Vec::new(),
            targets: Vec::new(),
        }
    }
}

impl PlotOptions {
    /// Set the title.
    pub fn with_title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }
    /// Plot only these columns, in this order.
    pub fn with_columns<S: Into<String>>(mut self, columns: impl IntoIterator<Item = S>) -> Self {
        self.columns = Some(columns.into_iter().map(Into::into).collect());
        self
    }
    /// Show these lab draws as points.
    pub fn with_labs(mut self, labs: &[LabResult]) -> Self {
        self.labs = labs.to_vec();
        self
    }
    /// Shade a target window on `column`.
    pub fn with_target(mut self, column: impl Into<String>, low: f64, high: f64) -> Self {
        self.targets.push(TargetBand {
            column: column.into(),
            low,
            high,
        });
        self
    }

    fn validate(&self) -> Result<()> {
        let check = |field: &str, v: u32, lo: u32, hi: u32| {
            if (lo..=hi).contains(&v) {
                Ok(())
            } else {
                Err(Error::invalid(
                    field,
                    v,
                    format!("must be between {lo} and {hi}"),
                ))
            }
        };
        check("plot.width_px", self.width_px, 400, 8000)?;
        check("plot.panel_height_px", self.panel_height_px, 120, 2000)?;
        check("plot.font_px", self.font_px, MIN_FONT_PX, 48)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_ticks_count_in_weeks_or_hours() {
        assert_eq!(
            time_ticks(0.0, 70.0, 24.0),
            (0..=10).map(|k| k as f64 * 7.0).collect::<Vec<_>>()
        );
        assert_eq!(time_ticks(0.0, 168.0, 24.0).len(), 7); // every 28 days
        assert_eq!(
            time_ticks(0.0, 48.0, 1.0),
            (0..=8).map(|k| k as f64 * 6.0).collect::<Vec<_>>()
        );
        assert_eq!(time_ticks(0.0, 3.0, 24.0), vec![0.0, 1.0, 2.0, 3.0]);
        assert!(!time_ticks(-0.5, 0.5, 1.0).is_empty());
        assert!(time_ticks(0.0, 20000.0, 24.0).len() <= 101);
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(fmt_num(10.0), "10");
        assert_eq!(fmt_num(2.5), "2.5");
        assert_eq!(fmt_num(0.125), "0.125");
        assert_eq!(fmt_num(-0.0), "0");
        assert_eq!(fmt_num(f64::NAN), "");
    }

    #[test]
    fn labels_and_units_come_from_names_when_missing() {
        let d = |c: &str| describe(&Observable::new(c, c, ""));
        assert_eq!(
            d("total_t_ng_dl"),
            ("Total testosterone".into(), "ng/dL".into())
        );
        assert_eq!(d("cortisol_ug_dl").1, "µg/dL");
        assert_eq!(
            d("testosterone_enanthate_ng_ml"),
            ("testosterone enanthate".into(), "ng/mL".into())
        );
        assert_eq!(
            describe(&Observable::new("conc_mg_l", "concentration", "mg/L")),
            ("Concentration".into(), "mg/L".into())
        );
        // drug columns as the engine names them
        assert_eq!(
            describe(&Observable::new("hcg_iu_l", "hcg", "iu/l")),
            ("hCG".into(), "IU/L".into())
        );
        assert_eq!(
            describe(&Observable::new(
                "enclomiphene_ng_ml",
                "enclomiphene",
                "ng/ml"
            )),
            ("Enclomiphene".into(), "ng/mL".into())
        );
    }

    #[test]
    fn segments_break_at_non_finite_values() {
        let t = [0.0, 1.0, 2.0, 3.0, 4.0];
        let y = [1.0, f64::NAN, 2.0, 3.0, f64::INFINITY];
        let s = segments(&t, |i| y[i], t.len());
        assert_eq!(s, vec![vec![(0.0, 1.0)], vec![(2.0, 2.0), (3.0, 3.0)]]);
    }

    #[test]
    fn every_range_has_a_source_and_is_ordered() {
        for r in REFERENCE_RANGES {
            assert!(r.low > 0.0 && r.high > r.low && !r.source.is_empty());
        }
        assert_eq!(
            format!("#{:02X}{:02X}{:02X}", BAND.0, BAND.1, BAND.2),
            REFERENCE_BAND_FILL
        );
    }
}
