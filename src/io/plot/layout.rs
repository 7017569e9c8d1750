//! The figure model shared by every kind: panels of lines, bands, lab points and dose
//! marks, laid out and rendered to SVG.

use super::*;

pub(super) const SERIES_A: RGBColor = RGBColor(0, 114, 178); // Okabe-Ito blue
pub(super) const SERIES_B: RGBColor = RGBColor(213, 94, 0); // Okabe-Ito vermillion
pub(super) const LAB_POINT: RGBColor = RGBColor(0, 0, 0);
pub(super) const BAND: RGBColor = RGBColor(0x2E, 0xA0, 0x43); // REFERENCE_BAND_FILL
pub(super) const BAND_ALPHA: f64 = 0.16;
pub(super) const TARGET_BAND: RGBColor = RGBColor(86, 180, 233); // Okabe-Ito sky blue
pub(super) const INNER_BAND_ALPHA: f64 = 0.35;
pub(super) const OUTER_BAND_ALPHA: f64 = 0.15;
/// Dose-marker colours (none is a series or band colour).
pub(super) const MARKERS: [RGBColor; 5] = [
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(110, 110, 110), // grey
    RGBColor(0, 0, 0),       // black
];
/// Above this many event times, doses are marked by short ticks at the foot of each panel
/// instead of full-height lines.
pub(super) const MAX_FULL_MARKERS: usize = 120;

pub(super) const FONT: &str = "sans-serif";
/// plotters writes `font-size` = requested size / 1.24 in SVG.
pub(super) const PLOTTERS_FONT_SCALE: f64 = 1.24;

pub(super) type Segment = Vec<(f64, f64)>;

pub(super) struct Line {
    pub(super) segments: Vec<Segment>,
    pub(super) color: RGBColor,
    pub(super) dashed: bool,
}

pub(super) struct Band {
    pub(super) segments: Vec<Vec<(f64, f64, f64)>>,
    pub(super) color: RGBColor,
    pub(super) alpha: f64,
}

pub(super) struct Panel {
    pub(super) label: String,
    pub(super) unit: String,
    pub(super) range: Option<&'static ReferenceRange>,
    /// A target window (low, high) on this column.
    pub(super) target: Option<(f64, f64)>,
    pub(super) lines: Vec<Line>,
    pub(super) bands: Vec<Band>,
    pub(super) points: Vec<(f64, f64)>,
}

impl Panel {
    pub(super) fn new(obs: &Observable, opts: &PlotOptions) -> Self {
        let (label, unit) = describe(obs);
        Panel {
            label,
            unit,
            range: if opts.reference_ranges {
                reference_range(&obs.column)
            } else {
                None
            },
            target: opts
                .targets
                .iter()
                .find(|t| t.column == obs.column)
                .map(|t| (t.low, t.high)),
            lines: Vec::new(),
            bands: Vec::new(),
            points: Vec::new(),
        }
    }

    /// Finite y values the panel draws (for the axis range).
    pub(super) fn y_values(&self) -> impl Iterator<Item = f64> + '_ {
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

    pub(super) fn has_data(&self) -> bool {
        self.lines.iter().any(|l| !l.segments.is_empty())
            || self.bands.iter().any(|b| !b.segments.is_empty())
            || !self.points.is_empty()
    }

    /// The panel title; `windows`: morning-only ranges are drawn as daily windows.
    pub(super) fn caption(&self, windows: bool) -> String {
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

pub(super) enum LegendKind {
    Line(RGBColor, bool),
    Band(RGBColor, f64),
    Point(RGBColor),
    Marker(RGBColor),
}

pub(super) struct LegendEntry {
    pub(super) label: String,
    pub(super) kind: LegendKind,
}

pub(super) struct Marker {
    pub(super) t_h: f64,
    pub(super) color: RGBColor,
    /// Index of the marker's name: its lane for the tick at the top of each panel, so
    /// that doses of two drugs at the same time both show.
    pub(super) lane: usize,
}

pub(super) struct Figure {
    pub(super) title: String,
    pub(super) t0_h: f64,
    pub(super) t1_h: f64,
    pub(super) panels: Vec<Panel>,
    pub(super) legend: Vec<LegendEntry>,
    pub(super) markers: Vec<Marker>,
    pub(super) marker_names: Vec<String>,
}

impl Figure {
    pub(super) fn new(title: String, (t0_h, t1_h): (f64, f64)) -> Self {
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
    pub(super) fn add_events(&mut self, events: &[AppliedEvent], tag: Option<&str>) {
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

    pub(super) fn render(mut self, opts: &PlotOptions, out: &Path) -> Result<()> {
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
        if self.panels.iter().any(|p| p.target.is_some()) {
            self.legend.push(LegendEntry {
                label: "target window".into(),
                kind: LegendKind::Band(TARGET_BAND, BAND_ALPHA * 2.0),
            });
        }
        let svg = self.draw(opts).map_err(|m| io_error(out, &m))?;
        let svg = add_title(&svg, &self.title, &self.description());
        std::fs::write(out, svg).map_err(|e| io_error(out, &e.to_string()))
    }

    /// Morning-only ranges are drawn as 07:00–10:00 windows (short runs).
    pub(super) fn morning_windows(&self) -> bool {
        (self.t1_h - self.t0_h) / 24.0 <= MORNING_WINDOW_MAX_DAYS
    }

    pub(super) fn description(&self) -> String {
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
    pub(super) fn draw(&self, opts: &PlotOptions) -> std::result::Result<String, String> {
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

    pub(super) fn draw_panel(
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

        // target window
        if let Some((lo, hi)) = panel.target {
            let style = TARGET_BAND.mix(BAND_ALPHA * 1.5).filled();
            chart
                .draw_series(std::iter::once(Rectangle::new([(x0, lo), (x1, hi)], style)))
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
