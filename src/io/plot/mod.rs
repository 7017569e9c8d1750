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
///
/// The free T range was measured by equilibrium dialysis; a calculated (Vermeulen) free T
/// runs about 1.19× higher (see [`crate::clinic::labs::CFT_TO_ED_RATIO`]).
pub const REFERENCE_RANGES: [ReferenceRange; 8] = [
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

/// Draw one run: a panel per observable, reference bands, dose times and the lab draws of
/// `opts.labs`, written as SVG to `out`.
///
/// Errors: [`Error::Io`] if the run has no rows, nothing finite to draw, or the file cannot
/// be written; [`Error::InvalidValue`] for out-of-range options;
/// [`Error::UnknownName`] for a column in `opts.columns` the run does not have.
pub fn plot_trajectory(tr: &Trajectory, opts: &PlotOptions, out: &Path) -> Result<()> {
    opts.validate()?;
    if tr.is_empty() {
        return Err(io_error(out, "nothing to plot: the trajectory has no rows"));
    }
    let cols = select_columns(&[tr], opts)?;
    let mut fig = Figure::new(
        opts.title
            .clone()
            .unwrap_or_else(|| "Simulated hormone levels".into()),
        time_span(&[tr.times_h()]),
    );
    fig.legend.push(LegendEntry {
        label: "simulated".into(),
        kind: LegendKind::Line(SERIES_A, false),
    });
    for obs in &cols {
        let j = tr.column_index(&obs.column);
        let mut panel = Panel::new(obs, opts);
        if let Some(j) = j {
            panel.lines.push(Line {
                segments: segments(tr.times_h(), |i| tr.row(i)[j], tr.len()),
                color: SERIES_A,
                dashed: false,
            });
        }
        panel.points = opts
            .labs
            .iter()
            .filter(|l| assay_column(l.assay) == obs.column)
            .filter(|l| l.time_h.is_finite() && l.value.is_finite())
            .map(|l| (l.time_h, l.value))
            .collect();
        fig.panels.push(panel);
    }
    fig.add_events(tr.events(), None);
    if fig.panels.iter().any(|p| !p.points.is_empty()) {
        fig.legend.push(LegendEntry {
            label: "lab draw (measured)".into(),
            kind: LegendKind::Point(LAB_POINT),
        });
    }
    fig.render(opts, out)
}

/// Draw two runs overlaid (the first solid, the second dashed), labelled `labels` in the
/// legend, with a panel for every column either run has; written as SVG to `out`.
/// Lab draws in `opts.labs` are not drawn here.
///
/// Errors as for [`plot_trajectory`]: either run empty, nothing finite, an unwritable file.
pub fn plot_compare(
    a: &Trajectory,
    b: &Trajectory,
    labels: (&str, &str),
    opts: &PlotOptions,
    out: &Path,
) -> Result<()> {
    opts.validate()?;
    for (tr, name) in [(a, labels.0), (b, labels.1)] {
        if tr.is_empty() {
            return Err(io_error(
                out,
                &format!("nothing to plot: the trajectory \"{name}\" has no rows"),
            ));
        }
    }
    let cols = select_columns(&[a, b], opts)?;
    let mut fig = Figure::new(
        opts.title
            .clone()
            .unwrap_or_else(|| format!("{} vs {}", labels.0, labels.1)),
        time_span(&[a.times_h(), b.times_h()]),
    );
    for (label, color, dashed) in [(labels.0, SERIES_A, false), (labels.1, SERIES_B, true)] {
        fig.legend.push(LegendEntry {
            label: label.into(),
            kind: LegendKind::Line(color, dashed),
        });
    }
    for obs in &cols {
        let mut panel = Panel::new(obs, opts);
        for (tr, color, dashed) in [(a, SERIES_A, false), (b, SERIES_B, true)] {
            if let Some(j) = tr.column_index(&obs.column) {
                panel.lines.push(Line {
                    segments: segments(tr.times_h(), |i| tr.row(i)[j], tr.len()),
                    color,
                    dashed,
                });
            }
        }
        fig.panels.push(panel);
    }
    // doses both runs share are marked once; the others name their run
    let shared = |e: &AppliedEvent, other: &Trajectory| {
        other
            .events()
            .iter()
            .any(|o| o.name == e.name && o.t_h == e.t_h)
    };
    let (common, a_only): (Vec<AppliedEvent>, Vec<AppliedEvent>) =
        a.events().iter().cloned().partition(|e| shared(e, b));
    let b_only: Vec<AppliedEvent> = b
        .events()
        .iter()
        .filter(|e| !shared(e, a))
        .cloned()
        .collect();
    fig.add_events(&common, None);
    fig.add_events(&a_only, Some(labels.0));
    fig.add_events(&b_only, Some(labels.1));
    fig.render(opts, out)
}

/// Draw a cohort: per column, the median line with the 25th–75th and 5th–95th percentile
/// bands, written as SVG to `out`.
///
/// The inputs are what [`crate::clinic::cohort::Cohort::percentiles`] returns: `times_h`, the
/// column names, and per time per column the [`PERCENTILES`] (5, 25, 50, 75, 95);
/// `events` are the doses to mark (e.g. `cohort.subjects[0].events()`). Labels and units
/// come from the column names (`total_t_ng_dl` is total testosterone in ng/dL).
///
/// Errors: [`Error::Io`] if there are no times, the shapes disagree, nothing is finite, or
/// the file cannot be written; option errors as for [`plot_trajectory`].
pub fn plot_cohort(
    times_h: &[f64],
    columns: &[String],
    percentiles: &[Vec<[f64; 5]>],
    events: &[AppliedEvent],
    opts: &PlotOptions,
    out: &Path,
) -> Result<()> {
    opts.validate()?;
    if times_h.is_empty() || columns.is_empty() {
        return Err(io_error(out, "nothing to plot: the cohort has no rows"));
    }
    if percentiles.len() != times_h.len() || percentiles.iter().any(|r| r.len() != columns.len()) {
        return Err(io_error(
            out,
            &format!(
                "cohort percentiles have {} rows for {} times (each row needs {} columns)",
                percentiles.len(),
                times_h.len(),
                columns.len()
            ),
        ));
    }
    debug_assert_eq!(PERCENTILES, [5.0, 25.0, 50.0, 75.0, 95.0]);
    let all: Vec<Observable> = columns.iter().map(|c| Observable::new(c, c, "")).collect();
    // a column is kept if its median is not zero throughout
    let value = |i: usize, j: usize, k: usize| percentiles[i][j][k];
    let cols = pick(&all, opts, |j| {
        (0..times_h.len()).any(|i| value(i, j, 2).is_finite() && value(i, j, 2) != 0.0)
    })?;
    let mut fig = Figure::new(
        opts.title
            .clone()
            .unwrap_or_else(|| "Cohort: median and percentile bands".into()),
        time_span(&[times_h]),
    );
    fig.legend.extend([
        LegendEntry {
            label: "median".into(),
            kind: LegendKind::Line(SERIES_A, false),
        },
        LegendEntry {
            label: "25th–75th percentile".into(),
            kind: LegendKind::Band(SERIES_A, INNER_BAND_ALPHA),
        },
        LegendEntry {
            label: "5th–95th percentile".into(),
            kind: LegendKind::Band(SERIES_A, OUTER_BAND_ALPHA),
        },
    ]);
    for obs in &cols {
        let j = columns.iter().position(|c| *c == obs.column).unwrap_or(0);
        let mut panel = Panel::new(obs, opts);
        for (lo, hi, alpha) in [(0, 4, OUTER_BAND_ALPHA), (1, 3, INNER_BAND_ALPHA)] {
            panel.bands.push(Band {
                segments: band_segments(times_h, |i| (value(i, j, lo), value(i, j, hi))),
                color: SERIES_A,
                alpha,
            });
        }
        panel.lines.push(Line {
            segments: segments(times_h, |i| value(i, j, 2), times_h.len()),
            color: SERIES_A,
            dashed: false,
        });
        fig.panels.push(panel);
    }
    fig.add_events(events, None);
    fig.render(opts, out)
}

// ---------------------------------------------------------------------------------------
// figure model

const SERIES_A: RGBColor = RGBColor(0, 114, 178); // Okabe-Ito blue
const SERIES_B: RGBColor = RGBColor(213, 94, 0); // Okabe-Ito vermillion
const LAB_POINT: RGBColor = RGBColor(0, 0, 0);
const BAND: RGBColor = RGBColor(0x2E, 0xA0, 0x43); // REFERENCE_BAND_FILL
const BAND_ALPHA: f64 = 0.16;
const INNER_BAND_ALPHA: f64 = 0.35;
const OUTER_BAND_ALPHA: f64 = 0.15;
/// Dose-marker colours (none is a series or band colour).
const MARKERS: [RGBColor; 5] = [
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(110, 110, 110), // grey
    RGBColor(0, 0, 0),       // black
];
/// Above this many event times, doses are marked by short ticks at the foot of each panel
/// instead of full-height lines.
const MAX_FULL_MARKERS: usize = 120;

const FONT: &str = "sans-serif";
/// plotters writes `font-size` = requested size / 1.24 in SVG.
const PLOTTERS_FONT_SCALE: f64 = 1.24;

type Segment = Vec<(f64, f64)>;

struct Line {
    segments: Vec<Segment>,
    color: RGBColor,
    dashed: bool,
}

struct Band {
    segments: Vec<Vec<(f64, f64, f64)>>,
    color: RGBColor,
    alpha: f64,
}

struct Panel {
    label: String,
    unit: String,
    range: Option<&'static ReferenceRange>,
    lines: Vec<Line>,
    bands: Vec<Band>,
    points: Vec<(f64, f64)>,
}

impl Panel {
    fn new(obs: &Observable, opts: &PlotOptions) -> Self {
        let (label, unit) = describe(obs);
        Panel {
            label,
            unit,
            range: if opts.reference_ranges {
                reference_range(&obs.column)
            } else {
                None
            },
            lines: Vec::new(),
            bands: Vec::new(),
            points: Vec::new(),
        }
    }

    /// Finite y values the panel draws (for the axis range).
    fn y_values(&self) -> impl Iterator<Item = f64> + '_ {
        let lines = self
            .lines
            .iter()
            .flat_map(|l| l.segments.iter().flatten().map(|p| p.1));
        let bands = self
            .bands
            .iter()
            .flat_map(|b| b.segments.iter().flatten().flat_map(|p| [p.1, p.2]));
        let points = self.points.iter().map(|p| p.1);
        lines.chain(bands).chain(points)
    }

    fn has_data(&self) -> bool {
        self.lines.iter().any(|l| !l.segments.is_empty())
            || self.bands.iter().any(|b| !b.segments.is_empty())
            || !self.points.is_empty()
    }

    /// The panel title; `windows`: morning-only ranges are drawn as daily windows.
    fn caption(&self, windows: bool) -> String {
        match self.range {
            None => self.label.clone(),
            Some(r) => format!(
                "{} (normal{} {}–{} {}, {})",
                self.label,
                match (r.morning_only, windows) {
                    (false, _) => "",
                    (true, true) => " at 07–10 h:",
                    (true, false) => " morning",
                },
                fmt_num(r.low),
                fmt_num(r.high),
                r.unit,
                r.source
            ),
        }
    }
}

enum LegendKind {
    Line(RGBColor, bool),
    Band(RGBColor, f64),
    Point(RGBColor),
    Marker(RGBColor),
}

struct LegendEntry {
    label: String,
    kind: LegendKind,
}

struct Marker {
    t_h: f64,
    color: RGBColor,
    /// Index of the marker's name: its lane for the tick at the top of each panel, so
    /// that doses of two drugs at the same time both show.
    lane: usize,
}

struct Figure {
    title: String,
    t0_h: f64,
    t1_h: f64,
    panels: Vec<Panel>,
    legend: Vec<LegendEntry>,
    markers: Vec<Marker>,
    marker_names: Vec<String>,
}

impl Figure {
    fn new(title: String, (t0_h, t1_h): (f64, f64)) -> Self {
        Figure {
            title,
            t0_h,
            t1_h,
            panels: Vec::new(),
            legend: Vec::new(),
            markers: Vec::new(),
            marker_names: Vec::new(),
        }
    }

    /// Mark `events`, one colour per distinct name (suffixed with `tag` when given).
    fn add_events(&mut self, events: &[AppliedEvent], tag: Option<&str>) {
        for e in events.iter().filter(|e| e.t_h.is_finite()) {
            let pretty = pretty_name(&e.name);
            let what = if e.route.is_some() {
                format!("{pretty} dose")
            } else {
                pretty
            };
            let name = match tag {
                Some(t) => format!("{what} ({t})"),
                None => what,
            };
            let k = match self.marker_names.iter().position(|n| *n == name) {
                Some(k) => k,
                None => {
                    self.marker_names.push(name.clone());
                    let k = self.marker_names.len() - 1;
                    self.legend.push(LegendEntry {
                        label: name,
                        kind: LegendKind::Marker(MARKERS[k % MARKERS.len()]),
                    });
                    k
                }
            };
            self.markers.push(Marker {
                t_h: e.t_h,
                color: MARKERS[k % MARKERS.len()],
                lane: k,
            });
        }
    }

    fn render(mut self, opts: &PlotOptions, out: &Path) -> Result<()> {
        self.panels.retain(Panel::has_data);
        if self.panels.is_empty() {
            return Err(io_error(
                out,
                "nothing to plot: no column has a finite value other than zero",
            ));
        }
        if self.panels.iter().any(|p| p.range.is_some()) {
            self.legend.push(LegendEntry {
                label: "normal reference range".into(),
                kind: LegendKind::Band(BAND, BAND_ALPHA * 2.0),
            });
        }
        let svg = self.draw(opts).map_err(|m| io_error(out, &m))?;
        let svg = add_title(&svg, &self.title, &self.description());
        std::fs::write(out, svg).map_err(|e| io_error(out, &e.to_string()))
    }

    /// Morning-only ranges are drawn as 07:00–10:00 windows (short runs).
    fn morning_windows(&self) -> bool {
        (self.t1_h - self.t0_h) / 24.0 <= MORNING_WINDOW_MAX_DAYS
    }

    fn description(&self) -> String {
        let mut d = String::from(
            "Simulated by endocrine, for research and education only; not medical advice. Panels:",
        );
        for p in &self.panels {
            d.push_str(&format!(
                " {} [{}];",
                p.caption(self.morning_windows()),
                p.unit
            ));
        }
        d
    }

    /// Render to an SVG string.
    fn draw(&self, opts: &PlotOptions) -> std::result::Result<String, String> {
        let f = opts.font_px as f64;
        let w = opts.width_px;
        let title_h = (2.4 * f) as u32;
        let legend_rows = legend_layout(&self.legend, w, f);
        let legend_h = (legend_rows.len() as f64 * 1.7 * f + 0.6 * f) as u32;
        let panel_h = opts.panel_height_px;
        let x_desc_h = (1.8 * f) as u32;
        let footer_h = (2.0 * f) as u32;
        let n = self.panels.len() as u32;
        let h = title_h + legend_h + n * panel_h + x_desc_h + footer_h;

        let days = self.t1_h - self.t0_h >= 72.0;
        let scale = if days { 24.0 } else { 1.0 };
        let (x0, x1) = (self.t0_h / scale, self.t1_h / scale);
        let x_desc = if days { "time (days)" } else { "time (hours)" };

        let mut buf = String::new();
        {
            let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
            root.fill(&WHITE).map_err(|e| e.to_string())?;
            let title_style = bold(f * 1.35).pos(Pos::new(HPos::Center, VPos::Center));
            root.draw(&Text::new(
                self.title.clone(),
                ((w / 2) as i32, (title_h / 2) as i32),
                title_style,
            ))
            .map_err(|e| e.to_string())?;
            draw_legend(&root, &legend_rows, &self.legend, title_h as i32, f)?;

            let mut y = title_h + legend_h;
            for (k, panel) in self.panels.iter().enumerate() {
                let last = k + 1 == self.panels.len();
                let ph = panel_h + if last { x_desc_h } else { 0 };
                let area = root.clone().shrink((0, y), (w, ph));
                self.draw_panel(&area, panel, opts, (x0, x1), scale, last.then_some(x_desc))?;
                y += ph;
            }
            let mut note = String::from(
                "endocrine simulation: research and education only, not medical advice.",
            );
            if self.panels.iter().any(|p| p.range.is_some()) {
                note.push_str(" Green bands: normal reference ranges (sources in the captions).");
            }
            root.draw(&Text::new(
                note,
                (w as i32 / 2, (h - footer_h / 2) as i32),
                font(f)
                    .color(&RGBColor(90, 90, 90))
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            ))
            .map_err(|e| e.to_string())?;
            root.present().map_err(|e| e.to_string())?;
        }
        Ok(buf)
    }

    fn draw_panel(
        &self,
        area: &DrawingArea<SVGBackend, Shift>,
        panel: &Panel,
        opts: &PlotOptions,
        (x0, x1): (f64, f64),
        scale: f64,
        x_desc: Option<&str>,
    ) -> std::result::Result<(), String> {
        let f = opts.font_px as f64;
        let e = |e: DrawingAreaErrorKind<std::io::Error>| e.to_string();
        let (x0, x1) = if x1 > x0 {
            (x0, x1)
        } else {
            (x0 - 0.5, x0 + 0.5)
        };
        let (y0, y1) = y_range(panel);
        let mut chart = ChartBuilder::on(area)
            .caption(panel.caption(self.morning_windows()), bold(f * 1.1))
            .margin_left((0.8 * f) as u32)
            .margin_right((2.0 * f) as u32)
            .margin_top((0.3 * f) as u32)
            .x_label_area_size(
                (1.8 * f) as u32
                    + if x_desc.is_some() {
                        (1.8 * f) as u32
                    } else {
                        0
                    },
            )
            .y_label_area_size((5.5 * f) as u32)
            .build_cartesian_2d(
                TimeAxis {
                    inner: (x0..x1).into(),
                    ticks: time_ticks(x0, x1, scale),
                },
                y0..y1,
            )
            .map_err(e)?;
        let fmt_x = |v: &f64| fmt_num(*v);
        let fmt_y = |v: &f64| fmt_num(*v);
        let y_desc = if panel.unit.is_empty() {
            "value".to_string()
        } else {
            panel.unit.clone()
        };
        let mut mesh = chart.configure_mesh();
        mesh.x_labels(10)
            .y_labels(6)
            .max_light_lines(0)
            .bold_line_style(RGBColor(225, 225, 225))
            .axis_style(RGBColor(80, 80, 80))
            .label_style(font(f))
            .axis_desc_style(font(f))
            .x_label_formatter(&fmt_x)
            .y_label_formatter(&fmt_y)
            .y_desc(y_desc);
        if let Some(d) = x_desc {
            mesh.x_desc(d);
        }
        mesh.draw().map_err(e)?;

        // reference band
        if let Some(r) = panel.range {
            let style = BAND.mix(BAND_ALPHA).filled();
            let rects: Vec<(f64, f64)> = if r.morning_only && self.morning_windows() {
                let first = (self.t0_h / 24.0).floor() as i64;
                let last = (self.t1_h / 24.0).ceil() as i64;
                (first..=last)
                    .filter_map(|d| {
                        let a = (d as f64 * 24.0 + 7.0).max(self.t0_h);
                        let b = (d as f64 * 24.0 + 10.0).min(self.t1_h);
                        (b > a).then_some((a / scale, b / scale))
                    })
                    .collect()
            } else {
                vec![(x0, x1)]
            };
            chart
                .draw_series(
                    rects
                        .into_iter()
                        .map(|(a, b)| Rectangle::new([(a, r.low), (b, r.high)], style)),
                )
                .map_err(e)?;
        }

        // dose markers: a thin line (or, with many doses, a tick at the foot) and a short
        // bar in the drug's own lane at the top
        let ticks_only = self.markers.len() > MAX_FULL_MARKERS;
        let top = if ticks_only {
            y0 + 0.07 * (y1 - y0)
        } else {
            y1
        };
        let lane_h = 0.05 * (y1 - y0);
        let visible = || {
            self.markers
                .iter()
                .map(move |m| (m.t_h / scale, m))
                .filter(move |(x, _)| *x >= x0 && *x <= x1)
        };
        chart
            .draw_series(visible().map(|(x, m)| {
                PathElement::new(vec![(x, y0), (x, top)], m.color.mix(0.8).stroke_width(1))
            }))
            .map_err(e)?;
        if !ticks_only && self.marker_names.len() > 1 {
            chart
                .draw_series(visible().map(|(x, m)| {
                    let hi = y1 - m.lane as f64 * lane_h;
                    PathElement::new(vec![(x, hi), (x, hi - lane_h)], m.color.stroke_width(4))
                }))
                .map_err(e)?;
        }

        // percentile bands
        for band in &panel.bands {
            let style = band.color.mix(band.alpha).filled();
            chart
                .draw_series(band.segments.iter().map(|s| {
                    let mut poly: Vec<(f64, f64)> = s.iter().map(|p| (p.0 / scale, p.2)).collect();
                    poly.extend(s.iter().rev().map(|p| (p.0 / scale, p.1)));
                    Polygon::new(poly, style)
                }))
                .map_err(e)?;
        }

        // lines
        for line in &panel.lines {
            let style = line.color.stroke_width(2);
            for seg in &line.segments {
                let pts: Vec<(f64, f64)> = seg.iter().map(|p| (p.0 / scale, p.1)).collect();
                if line.dashed {
                    chart
                        .draw_series(std::iter::once(DashedPathElement::new(pts, 8, 5, style)))
                        .map_err(e)?;
                } else {
                    chart
                        .draw_series(std::iter::once(PathElement::new(pts, style)))
                        .map_err(e)?;
                }
            }
        }

        // lab draws
        chart
            .draw_series(
                panel.points.iter().map(|p| {
                    Circle::new((p.0 / scale, p.1), (0.33 * f) as i32, LAB_POINT.filled())
                }),
            )
            .map_err(e)?;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// helpers

fn io_error(out: &Path, message: &str) -> Error {
    Error::Io {
        path: out.display().to_string(),
        message: message.into(),
    }
}

fn font(px: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, px * PLOTTERS_FONT_SCALE).into_font()).color(&BLACK)
}

fn bold(px: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, px * PLOTTERS_FONT_SCALE, FontStyle::Bold).into_font()).color(&BLACK)
}

/// The time axis: linear, with ticks at [`time_ticks`] (plotters' own choice of 1-2-5
/// steps gives 10-day ticks on weekly dosing).
struct TimeAxis {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ranged for TimeAxis {
    type FormatOption = plotters::coord::ranged1d::DefaultFormatting;
    type ValueType = f64;
    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }
    fn key_points<Hint: plotters::coord::ranged1d::KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }
    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
}

/// Tick positions on the time axis (in axis units: days if `scale` is 24, else hours): a
/// step that a reader counts in (days: 1, 2, a week, 2 or 4 weeks, …; hours: 1, 2, 3, 6,
/// 12, 24), the smallest giving at most 12 ticks.
fn time_ticks(x0: f64, x1: f64, scale: f64) -> Vec<f64> {
    const DAYS: [f64; 10] = [1.0, 2.0, 7.0, 14.0, 28.0, 56.0, 91.0, 182.0, 364.0, 728.0];
    const HOURS: [f64; 7] = [0.5, 1.0, 2.0, 3.0, 6.0, 12.0, 24.0];
    let steps: &[f64] = if scale == 24.0 { &DAYS } else { &HOURS };
    let span = x1 - x0;
    let step = steps
        .iter()
        .copied()
        .find(|s| span / s <= 11.0)
        .unwrap_or_else(|| {
            // beyond the list: a power of ten
            10f64.powf((span / 10.0).log10().ceil())
        });
    let first = (x0 / step).ceil() as i64;
    let last = (x1 / step).floor() as i64;
    (first..=last.min(first + 100))
        .map(|k| k as f64 * step)
        .collect()
}

/// First and last finite time over all `series`.
fn time_span(series: &[&[f64]]) -> (f64, f64) {
    let finite = || {
        series
            .iter()
            .flat_map(|s| s.iter())
            .filter(|t| t.is_finite())
    };
    let lo = finite().copied().fold(f64::INFINITY, f64::min);
    let hi = finite().copied().fold(f64::NEG_INFINITY, f64::max);
    if lo.is_finite() {
        (lo, hi)
    } else {
        (0.0, 1.0)
    }
}

/// The runs of consecutive finite (t, y) points.
fn segments(times: &[f64], y: impl Fn(usize) -> f64, n: usize) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut cur: Segment = Vec::new();
    for (i, &t) in times.iter().enumerate().take(n) {
        let v = y(i);
        if t.is_finite() && v.is_finite() {
            cur.push((t, v));
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The runs of consecutive finite (t, lo, hi) points.
fn band_segments(times: &[f64], y: impl Fn(usize) -> (f64, f64)) -> Vec<Vec<(f64, f64, f64)>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for (i, &t) in times.iter().enumerate() {
        let (lo, hi) = y(i);
        if t.is_finite() && lo.is_finite() && hi.is_finite() {
            cur.push((t, lo, hi));
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// y axis from 0 (or the lowest value if negative) to a little above the highest of the
/// data and the reference range.
fn y_range(panel: &Panel) -> (f64, f64) {
    let (mut lo, mut hi) = (0.0_f64, f64::NEG_INFINITY);
    for v in panel.y_values() {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if let Some(r) = panel.range {
        hi = hi.max(r.high);
    }
    if !(hi.is_finite() && hi > lo) {
        hi = lo + 1.0;
    }
    let pad = 0.06 * (hi - lo);
    (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad)
}

/// Columns to draw: `opts.columns` (checked against the runs) or every column of the runs
/// (union, in order) that is not zero throughout in at least one run.
fn select_columns(runs: &[&Trajectory], opts: &PlotOptions) -> Result<Vec<Observable>> {
    let mut all: Vec<Observable> = Vec::new();
    for tr in runs {
        for c in tr.columns() {
            if !all.iter().any(|a| a.column == c.column) {
                all.push(c.clone());
            }
        }
    }
    pick(&all, opts, |j| {
        runs.iter().any(|tr| {
            tr.column_index(&all[j].column).is_some_and(|k| {
                (0..tr.len()).any(|i| {
                    let v = tr.row(i)[k];
                    v.is_finite() && v != 0.0
                })
            })
        })
    })
}

fn pick(
    all: &[Observable],
    opts: &PlotOptions,
    nonzero: impl Fn(usize) -> bool,
) -> Result<Vec<Observable>> {
    match &opts.columns {
        Some(wanted) => wanted
            .iter()
            .map(|w| {
                all.iter()
                    .find(|a| a.column == *w)
                    .cloned()
                    .ok_or_else(|| Error::UnknownName {
                        field: "plot.columns".into(),
                        value: w.clone(),
                        known: all
                            .iter()
                            .map(|a| a.column.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    })
            })
            .collect(),
        None => Ok(all
            .iter()
            .enumerate()
            .filter(|(j, _)| nonzero(*j))
            .map(|(_, a)| a.clone())
            .collect()),
    }
}

/// Names written in capitals (or mixed case) when they stand alone.
const ACRONYMS: [(&str, &str); 7] = [
    ("hcg", "hCG"),
    ("lh", "LH"),
    ("fsh", "FSH"),
    ("shbg", "SHBG"),
    ("gnrh", "GnRH"),
    ("crh", "CRH"),
    ("acth", "ACTH"),
];

/// A drug or procedure name for the legend: `hcg` as hCG, underscores as spaces.
fn pretty_name(name: &str) -> String {
    ACRONYMS
        .iter()
        .find(|a| a.0 == name)
        .map(|a| a.1.to_string())
        .unwrap_or_else(|| name.replace('_', " "))
}

/// Label and unit of a column: the observable's own where it gives them, else from the
/// known column names of `scenario.md`, else from the unit suffix of the name.
fn describe(obs: &Observable) -> (String, String) {
    const KNOWN: [(&str, &str, &str); 12] = [
        ("lh_iu_l", "LH", "IU/L"),
        ("fsh_iu_l", "FSH", "IU/L"),
        ("total_t_ng_dl", "Total testosterone", "ng/dL"),
        ("free_t_pg_ml", "Free testosterone", "pg/mL"),
        ("e2_pg_ml", "Estradiol", "pg/mL"),
        ("shbg_nmol_l", "SHBG", "nmol/L"),
        (
            "intratesticular_t_nmol_l",
            "Intratesticular testosterone",
            "nmol/L",
        ),
        ("gnrh_pg_ml", "GnRH", "pg/mL"),
        ("crh_pg_ml", "CRH", "pg/mL"),
        ("acth_pg_ml", "ACTH", "pg/mL"),
        ("cortisol_ug_dl", "Serum cortisol", "µg/dL"),
        ("free_cortisol_nmol_l", "Free cortisol", "nmol/L"),
    ];
    const SUFFIXES: [(&str, &str); 14] = [
        ("_ng_dl", "ng/dL"),
        ("_pg_ml", "pg/mL"),
        ("_ng_ml", "ng/mL"),
        ("_ng_l", "ng/L"),
        ("_ug_dl", "µg/dL"),
        ("_ug_l", "µg/L"),
        ("_ug_ml", "µg/mL"),
        ("_mg_l", "mg/L"),
        ("_mg_dl", "mg/dL"),
        ("_miu_ml", "mIU/mL"),
        ("_iu_l", "IU/L"),
        ("_nmol_l", "nmol/L"),
        ("_pmol_l", "pmol/L"),
        ("_percent", "%"),
    ];
    let known = KNOWN.iter().find(|k| k.0 == obs.column);
    let suffix = SUFFIXES.iter().find(|s| obs.column.ends_with(s.0));
    let label = if let Some(a) = ACRONYMS.iter().find(|a| a.0 == obs.label) {
        a.1.to_string()
    } else if !obs.label.is_empty() && obs.label != obs.column {
        let mut l = obs.label.replace('_', " ");
        if let Some(c) = l.get(..1) {
            let up = c.to_uppercase();
            l.replace_range(..1, &up);
        }
        l
    } else if let Some(k) = known {
        k.1.to_string()
    } else {
        let stem = suffix
            .and_then(|s| obs.column.strip_suffix(s.0))
            .unwrap_or(&obs.column);
        stem.replace('_', " ")
    };
    let unit = if !obs.unit.is_empty() {
        // a drug column's unit comes from its name (`iu/l`): write it the usual way
        let key = format!("_{}", obs.unit.to_lowercase().replace('/', "_"));
        SUFFIXES
            .iter()
            .find(|s| s.0 == key)
            .map(|s| s.1.to_string())
            .unwrap_or_else(|| obs.unit.replace("ug/", "µg/"))
    } else if let Some(k) = known {
        k.2.to_string()
    } else {
        suffix.map(|s| s.1.to_string()).unwrap_or_default()
    };
    (label, unit)
}

/// The column an assay's result belongs on (same unit in every case).
fn assay_column(a: Assay) -> &'static str {
    match a {
        Assay::TotalT => "total_t_ng_dl",
        Assay::FreeT | Assay::FreeTEd => "free_t_pg_ml",
        Assay::E2 => "e2_pg_ml",
        Assay::Lh => "lh_iu_l",
        Assay::Fsh => "fsh_iu_l",
        Assay::Shbg => "shbg_nmol_l",
        Assay::Cortisol => "cortisol_ug_dl",
        Assay::SalivaryCortisol => "free_cortisol_nmol_l",
        Assay::Acth => "acth_pg_ml",
    }
}

/// A short decimal: integers without a point, otherwise up to 3 significant decimals.
fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    for d in 0..=4 {
        let s = format!("{v:.d$}");
        let back: f64 = s.parse().unwrap_or(f64::NAN);
        if (back - v).abs() <= 1e-9 * v.abs().max(1e-9) {
            return if s.starts_with("-0") && back == 0.0 {
                s[1..].to_string()
            } else {
                s
            };
        }
    }
    format!("{v:.4}")
}

/// Rows of legend entry indices that fit in `width` px.
fn legend_layout(entries: &[LegendEntry], width: u32, f: f64) -> Vec<Vec<usize>> {
    let avail = width as f64 - 4.0 * f;
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut used = f64::INFINITY;
    for (i, e) in entries.iter().enumerate() {
        let w = entry_width(e, f);
        if used + w > avail {
            rows.push(Vec::new());
            used = 0.0;
        }
        if let Some(r) = rows.last_mut() {
            r.push(i);
        }
        used += w;
    }
    rows
}

/// Swatch, gap, text (≈ 0.6 em per character) and spacing.
fn entry_width(e: &LegendEntry, f: f64) -> f64 {
    2.0 * f + 0.5 * f + 0.55 * f * e.label.chars().count() as f64 + 1.8 * f
}

fn draw_legend(
    root: &DrawingArea<SVGBackend, Shift>,
    rows: &[Vec<usize>],
    entries: &[LegendEntry],
    top: i32,
    f: f64,
) -> std::result::Result<(), String> {
    let e = |e: DrawingAreaErrorKind<std::io::Error>| e.to_string();
    let width = root.dim_in_pixel().0 as f64;
    let sw = (2.0 * f) as i32;
    for (r, row) in rows.iter().enumerate() {
        let total: f64 = row.iter().map(|&i| entry_width(&entries[i], f)).sum();
        let mut x = ((width - total) / 2.0).max(f) as i32;
        let yc = top + ((r as f64 + 0.5) * 1.7 * f) as i32;
        for &i in row {
            let entry = &entries[i];
            let half = (0.45 * f) as i32;
            match entry.kind {
                LegendKind::Line(c, dashed) => {
                    let style = c.stroke_width(3);
                    if dashed {
                        root.draw(&DashedPathElement::new(
                            vec![(x, yc), (x + sw, yc)],
                            8,
                            5,
                            style,
                        ))
                        .map_err(e)?;
                    } else {
                        root.draw(&PathElement::new(vec![(x, yc), (x + sw, yc)], style))
                            .map_err(e)?;
                    }
                }
                LegendKind::Band(c, a) => {
                    root.draw(&Rectangle::new(
                        [(x, yc - half), (x + sw, yc + half)],
                        c.mix(a).filled(),
                    ))
                    .map_err(e)?;
                }
                LegendKind::Point(c) => {
                    root.draw(&Circle::new(
                        (x + sw / 2, yc),
                        (0.33 * f) as i32,
                        c.filled(),
                    ))
                    .map_err(e)?;
                }
                LegendKind::Marker(c) => {
                    root.draw(&PathElement::new(
                        vec![(x + sw / 2, yc - half - 2), (x + sw / 2, yc + half + 2)],
                        c.stroke_width(2),
                    ))
                    .map_err(e)?;
                }
            }
            root.draw(&Text::new(
                entry.label.clone(),
                (x + sw + (0.5 * f) as i32, yc),
                font(f).pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(e)?;
            x += entry_width(entry, f) as i32;
        }
    }
    Ok(())
}

/// Insert `<title>` and `<desc>` (accessibility) right after the opening `<svg …>` tag.
fn add_title(svg: &str, title: &str, desc: &str) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    match svg
        .find("<svg")
        .and_then(|i| svg[i..].find('>').map(|j| i + j + 1))
    {
        Some(k) => format!(
            "{}\n<title>{}</title>\n<desc>{}</desc>{}",
            &svg[..k],
            esc(title),
            esc(desc),
            &svg[k..]
        ),
        None => svg.to_string(),
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
