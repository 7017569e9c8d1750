//! The figure kinds: one run, two runs overlaid, a cohort's percentile bands.

use super::*;

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
