//! Drawing helpers: time axes and ticks, line segments across gaps, y ranges, column
//! names and units, legends, number formatting, the SVG title.

use super::*;

pub(super) fn io_error(out: &Path, message: &str) -> Error {
    Error::Io {
        path: out.display().to_string(),
        message: message.into(),
    }
}

pub(super) fn font(px: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, px * PLOTTERS_FONT_SCALE).into_font()).color(&BLACK)
}

pub(super) fn bold(px: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, px * PLOTTERS_FONT_SCALE, FontStyle::Bold).into_font()).color(&BLACK)
}

/// The time axis: linear, with ticks at [`time_ticks`] (plotters' own choice of 1-2-5
/// steps gives 10-day ticks on weekly dosing).
pub(super) struct TimeAxis {
    pub(super) inner: RangedCoordf64,
    pub(super) ticks: Vec<f64>,
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
pub(super) fn time_ticks(x0: f64, x1: f64, scale: f64) -> Vec<f64> {
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
pub(super) fn time_span(series: &[&[f64]]) -> (f64, f64) {
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
pub(super) fn segments(times: &[f64], y: impl Fn(usize) -> f64, n: usize) -> Vec<Segment> {
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
pub(super) fn band_segments(
    times: &[f64],
    y: impl Fn(usize) -> (f64, f64),
) -> Vec<Vec<(f64, f64, f64)>> {
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
pub(super) fn y_range(panel: &Panel) -> (f64, f64) {
    let (mut lo, mut hi) = (0.0_f64, f64::NEG_INFINITY);
    for v in panel.y_values() {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if let Some(r) = panel.range {
        hi = hi.max(r.high);
    }
    if let Some((_, t)) = panel.target {
        hi = hi.max(t);
    }
    if !(hi.is_finite() && hi > lo) {
        hi = lo + 1.0;
    }
    let pad = 0.06 * (hi - lo);
    (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad)
}

/// Columns to draw: `opts.columns` (checked against the runs) or every column of the runs
/// (union, in order) that is not zero throughout in at least one run.
pub(super) fn select_columns(runs: &[&Trajectory], opts: &PlotOptions) -> Result<Vec<Observable>> {
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

pub(super) fn pick(
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
pub(super) const ACRONYMS: [(&str, &str); 7] = [
    ("hcg", "hCG"),
    ("lh", "LH"),
    ("fsh", "FSH"),
    ("shbg", "SHBG"),
    ("gnrh", "GnRH"),
    ("crh", "CRH"),
    ("acth", "ACTH"),
];

/// A drug or procedure name for the legend: `hcg` as hCG, underscores as spaces.
pub(super) fn pretty_name(name: &str) -> String {
    ACRONYMS
        .iter()
        .find(|a| a.0 == name)
        .map(|a| a.1.to_string())
        .unwrap_or_else(|| name.replace('_', " "))
}

/// Label and unit of a column: the observable's own where it gives them, else from the
/// known column names of `scenario.md`, else from the unit suffix of the name.
pub(super) fn describe(obs: &Observable) -> (String, String) {
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
pub(super) fn assay_column(a: Assay) -> &'static str {
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
        Assay::Tsh => "tsh_miu_l",
        Assay::Ft4 => "ft4_ng_dl",
        Assay::Ft3 => "ft3_pg_ml",
        Assay::TotalT4 => "total_t4_ug_dl",
        Assay::TotalT3 => "total_t3_ng_dl",
    }
}

/// A short decimal: integers without a point, otherwise up to 3 significant decimals.
pub(super) fn fmt_num(v: f64) -> String {
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
pub(super) fn legend_layout(entries: &[LegendEntry], width: u32, f: f64) -> Vec<Vec<usize>> {
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
pub(super) fn entry_width(e: &LegendEntry, f: f64) -> f64 {
    2.0 * f + 0.5 * f + 0.55 * f * e.label.chars().count() as f64 + 1.8 * f
}

pub(super) fn draw_legend(
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
pub(super) fn add_title(svg: &str, title: &str, desc: &str) -> String {
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
