//! `endocrine`: run, check and list scenarios from the command line
//! (`shared/design/scenario.md`). Research and education only, not medical advice.
//!
//! Exit status: 0 success; 1 bad input (the scenario, a file); 2 bad usage or a command
//! that is not implemented yet; 3 the run stopped early (the rows up to there are
//! written). Every failure prints one line on stderr, `error: <message>`.

use clap::{Parser, Subcommand};
use endocrine::drugs;
use endocrine::scenario::{Axis, Scenario};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Simulate endocrine feedback axes (male HPG, HPA) with drug dosing.
/// Research and education only: not medical advice.
#[derive(Debug, Parser)]
#[command(
    name = "endocrine",
    version,
    after_help = "Exit status: 0 ok, 1 bad input, 2 bad usage or not implemented yet, 3 the run stopped early."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Simulate a scenario and write the trajectory as CSV (stdout by default).
    Run {
        /// Scenario file (.toml or .json); or use --axis, --days and --dose instead.
        #[arg(required_unless_present = "axis")]
        scenario: Option<PathBuf>,
        /// Quick run without a file: the axis (`hpg` or `hpa`, default subject).
        #[arg(long, conflicts_with = "scenario", requires = "days")]
        axis: Option<String>,
        /// Quick run: length in days.
        #[arg(long)]
        days: Option<f64>,
        /// Quick run: regimen shorthand, e.g. "testosterone_cypionate 200 mg im every 14 d x 8"
        /// (several doses separated by `;`; grammar in the `shorthand` module docs).
        #[arg(long)]
        dose: Option<String>,
        /// Quick run: output spacing.
        #[arg(long, default_value = "1 h")]
        output_every: String,
        /// Write the CSV here instead of stdout.
        #[arg(short = 'o', long = "output", value_name = "OUT.csv")]
        output: Option<PathBuf>,
        /// Also plot the trajectory as SVG: one panel per hormone, reference ranges, doses.
        #[arg(long, value_name = "OUT.svg")]
        plot: Option<PathBuf>,
        /// Write the scenario's [[lab]] draws with assay noise (time_h, assay, value, unit, true_value).
        #[arg(long, value_name = "LABS.csv")]
        labs: Option<PathBuf>,
        /// Write the titration decisions (time, measured value, old and new dose, action)
        /// of the scenario's [[titration]] rules.
        #[arg(long, value_name = "OUT.csv")]
        decisions: Option<PathBuf>,
        /// Seed of the assay noise for --labs and of the measured labs [[titration]] rules act on.
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
    /// Validate a scenario without simulating it.
    Check {
        /// Scenario file (.toml or .json).
        scenario: PathBuf,
    },
    /// List every drug: routes, amount unit, what it is.
    Drugs,
    /// Simulate a virtual cohort and write p5/p25/p50/p75/p95 per time and column.
    Cohort {
        /// Scenario file with a [population] table.
        scenario: PathBuf,
        /// Number of subjects.
        #[arg(long)]
        n: Option<u64>,
        /// Random seed.
        #[arg(long)]
        seed: Option<u64>,
        /// Write the CSV here instead of stdout.
        #[arg(short = 'o', long = "output", value_name = "OUT.csv")]
        output: Option<PathBuf>,
        /// Plot the percentile bands.
        #[arg(long, value_name = "OUT.svg")]
        plot: Option<PathBuf>,
    },
    /// Overlay two scenarios in one SVG plot (the first solid, the second dashed).
    Compare {
        /// First scenario.
        a: PathBuf,
        /// Second scenario.
        b: PathBuf,
        /// Output plot.
        #[arg(long, value_name = "OUT.svg")]
        plot: PathBuf,
    },
    /// Fit the patient's [[measured]] labs: individual parameters (MAP with population
    /// priors) and 95 % intervals; prints a table, writes JSON with -o.
    Fit {
        /// Scenario file with [[measured]] rows.
        scenario: PathBuf,
        /// Write the fit as JSON here (`parameters`, `predictions`, convergence).
        #[arg(short = 'o', long = "output", value_name = "FIT.json")]
        output: Option<PathBuf>,
    },
    /// Fit, then propose the regimen (dose ladder of the scenario's product, and the
    /// intervals [propose] allows) most likely to keep every target at steady state.
    Propose {
        /// Scenario file with [[measured]] rows and the [[dose]] line to vary.
        scenario: PathBuf,
        /// A window across the whole steady-state interval, "ASSAY LO..HI UNIT"
        /// (e.g. "total_t 400..800 ng/dL"); repeat for several.
        #[arg(long = "target", value_name = "\"ASSAY LO..HI UNIT\"")]
        targets: Vec<String>,
        /// Write the proposal as JSON here.
        #[arg(short = 'o', long = "output", value_name = "PROPOSAL.json")]
        output: Option<PathBuf>,
    },
    /// Run the clinical validation table (validation/targets.toml) and write docs/validation.md.
    Validate {
        /// The catalogue.
        #[arg(long, default_value = "validation/targets.toml")]
        catalogue: PathBuf,
        /// Where to write the markdown table.
        #[arg(long, default_value = "docs/validation.md")]
        output: PathBuf,
    },
}

/// A failure: the one-line message and the exit status.
struct Failure {
    message: String,
    code: u8,
}

impl From<endocrine::Error> for Failure {
    fn from(e: endocrine::Error) -> Self {
        Failure {
            message: e.to_string(),
            code: 1,
        }
    }
}

fn io_failure(path: &Path, e: &std::io::Error) -> Failure {
    Failure {
        message: format!("{}: {e}", path.display()),
        code: 1,
    }
}

/// Print `error: <message>` on one line, control characters escaped.
fn report(message: &str) {
    eprintln!("error: {}", endocrine::one_line(message));
}

fn main() -> ExitCode {
    // A bug must still end in one line, not a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        report(&format!(
            "internal error (a bug in endocrine, please report it): {payload}"
        ));
    }));
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return usage_error(e),
    };
    match dispatch(cli.command) {
        Ok(code) => code,
        Err(f) => {
            report(&f.message);
            ExitCode::from(f.code)
        }
    }
}

/// clap errors: help and version print normally; anything else is one line.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            report("a command is required: run, check, drugs, cohort, compare, validate, fit or propose (see `endocrine --help`)");
            ExitCode::from(2)
        }
        _ => {
            let text = e.to_string();
            // The message proper ends where clap's usage block or tips begin.
            let message = text
                .lines()
                .take_while(|l| !l.starts_with("Usage:") && !l.trim_start().starts_with("tip:"))
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let message = message.strip_prefix("error: ").unwrap_or(&message);
            report(&format!("{message} (see `endocrine --help`)"));
            ExitCode::from(2)
        }
    }
}

fn dispatch(command: Command) -> Result<ExitCode, Failure> {
    match command {
        Command::Run {
            scenario,
            axis,
            days,
            dose,
            output_every,
            output,
            plot,
            labs,
            decisions,
            seed,
        } => match scenario {
            Some(scenario) => run(
                &scenario,
                output.as_deref(),
                plot.as_deref(),
                labs.as_deref(),
                decisions.as_deref(),
                seed,
            ),
            None => quick_run(
                axis.as_deref().unwrap_or_default(),
                days.unwrap_or_default(),
                dose.as_deref(),
                &output_every,
                output.as_deref(),
                plot.as_deref(),
            ),
        },
        Command::Check { scenario } => check(&scenario),
        Command::Drugs => list_drugs(),
        Command::Cohort {
            scenario,
            n,
            seed,
            output,
            plot,
        } => cohort(&scenario, n, seed, output.as_deref(), plot.as_deref()),
        Command::Compare { a, b, plot } => compare(&a, &b, &plot),
        Command::Validate { catalogue, output } => validate(&catalogue, &output),
        Command::Fit { scenario, output } => fit(&scenario, output.as_deref()),
        Command::Propose {
            scenario,
            targets,
            output,
        } => propose(&scenario, &targets, output.as_deref()),
    }
}

/// Write `value` as pretty JSON to `out`.
fn write_json(out: &Path, value: &impl serde::Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure {
        message: format!("{}: {e}", out.display()),
        code: 1,
    })?;
    std::fs::write(out, text + "\n").map_err(|e| io_failure(out, &e))
}

/// The fit as a table on stdout.
fn print_fit(f: &endocrine::fit::Fit) {
    use endocrine::fit::Identifiability;
    println!(
        "{:<28} {:>12} {:>10} {:>22}  note",
        "parameter", "prior median", "estimate", "95 % interval"
    );
    for p in &f.parameters {
        let note = match p.identifiability {
            Identifiability::Estimated => "",
            Identifiability::Weak => "not identifiable from these labs (posterior ≈ prior)",
            Identifiability::NotInformed => "no measured assay depends on it: posterior = prior",
        };
        println!(
            "{:<28} {:>12.3} {:>10.3} {:>10.3} – {:<9.3}  {note}",
            p.name, p.prior_median, p.estimate, p.ci95[0], p.ci95[1]
        );
    }
    println!();
    println!(
        "{:<18} {:>9} {:>10} {:>10} {:>22}",
        "assay", "time_h", "measured", "predicted", "95 % prediction"
    );
    for p in &f.predictions {
        let measured = if p.below_limit {
            format!("<{}", p.measured)
        } else {
            format!("{:.4}", p.measured)
        };
        println!(
            "{:<18} {:>9.1} {:>10} {:>10.4} {:>10.4} – {:<10.4} {}",
            p.assay, p.time_h, measured, p.predicted, p.pi95[0], p.pi95[1], p.unit
        );
    }
    println!();
    println!(
        "{} ({} simulations, −2 log posterior {:.3}, residual error: {})",
        f.message,
        f.simulations,
        f.objective,
        f.residual.name()
    );
}

fn fit(path: &Path, out: Option<&Path>) -> Result<ExitCode, Failure> {
    let f = Scenario::from_path(path)?.fit()?;
    print_fit(&f);
    if let Some(out) = out {
        write_json(out, &f)?;
    }
    Ok(if f.converged {
        ExitCode::SUCCESS
    } else {
        report(&format!(
            "{}: the fit did not converge: {}",
            path.display(),
            f.message
        ));
        ExitCode::from(3)
    })
}

fn propose(path: &Path, targets: &[String], out: Option<&Path>) -> Result<ExitCode, Failure> {
    let s = Scenario::from_path(path)?;
    let f = s.fit()?;
    print_fit(&f);
    let p = s.propose_from(&f, targets)?;
    println!();
    let show = |o: &[endocrine::propose::ProposedDose]| {
        o.iter()
            .map(|d| format!("{} {} {} every {}", d.drug, d.amount, d.route, d.every))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    println!("targets: {}", p.targets.join("; "));
    println!(
        "proposal: {}  P(in target) = {:.3} ± {:.3}{}",
        show(&p.regimen),
        p.probability_in_target,
        p.probability_se,
        match p.within_label {
            Some(false) => "  (OUTSIDE the label)",
            _ => "",
        }
    );
    for a in &p.alternatives {
        println!(
            "  runner-up: {}  P = {:.3}{}",
            show(&a.regimen),
            a.probability_in_target,
            match a.within_label {
                Some(false) => "  (outside the label)",
                _ => "",
            }
        );
    }
    if let Some(b) = &p.best_within_label {
        println!(
            "  best within the label: {}  P = {:.3}",
            show(&b.regimen),
            b.probability_in_target
        );
    }
    for n in &p.notes {
        println!("note: {n}");
    }
    if let Some(out) = out {
        write_json(out, &p)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The file name without its extension, as a plot label.
#[cfg(feature = "plot")]
fn label(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

#[cfg(feature = "plot")]
fn plot_one(traj: &endocrine::Trajectory, path: &Path, out: &Path) -> Result<(), Failure> {
    use endocrine::plot::{plot_trajectory, PlotOptions};
    Ok(plot_trajectory(
        traj,
        &PlotOptions::default().with_title(label(path)),
        out,
    )?)
}

#[cfg(not(feature = "plot"))]
fn plot_one(_: &endocrine::Trajectory, _: &Path, _: &Path) -> Result<(), Failure> {
    Err(no_plot_feature())
}

#[cfg(not(feature = "plot"))]
fn no_plot_feature() -> Failure {
    Failure {
        message: "plots need the `plot` feature: rebuild with default features".into(),
        code: 2,
    }
}

fn incomplete(traj: &endocrine::Trajectory, path: &Path) -> Option<String> {
    let outcome = traj.outcome();
    (!outcome.is_completed()).then(|| format!("{}: {outcome}", path.display()))
}

#[cfg(feature = "plot")]
fn compare(a: &Path, b: &Path, out: &Path) -> Result<ExitCode, Failure> {
    use endocrine::plot::{plot_compare, PlotOptions};
    let ta = Scenario::from_path(a)?.run()?;
    let tb = Scenario::from_path(b)?.run()?;
    let (la, lb) = (label(a), label(b));
    plot_compare(
        &ta,
        &tb,
        (&la, &lb),
        &PlotOptions::default().with_title(format!("{la} vs {lb}")),
        out,
    )?;
    match incomplete(&ta, a).or_else(|| incomplete(&tb, b)) {
        None => Ok(ExitCode::SUCCESS),
        Some(msg) => {
            report(&format!("{msg}; the plot shows the rows up to there"));
            Ok(ExitCode::from(3))
        }
    }
}

#[cfg(not(feature = "plot"))]
fn compare(_: &Path, _: &Path, _: &Path) -> Result<ExitCode, Failure> {
    Err(no_plot_feature())
}

/// Write CSV produced by `write` to `out`, or to stdout (a closed pipe is not an error).
fn write_out(
    out: Option<&Path>,
    write: impl Fn(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    match out {
        Some(out) => {
            let file = std::fs::File::create(out).map_err(|e| io_failure(out, &e))?;
            let mut w = std::io::BufWriter::new(file);
            write(&mut w)
                .and_then(|_| w.flush())
                .map_err(|e| io_failure(out, &e))
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            match write(&mut w).and_then(|_| w.flush()) {
                Ok(()) => Ok(()),
                // The reader went away (`| head`): not an error of ours.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(io_failure(Path::new("stdout"), &e)),
            }
        }
    }
}

fn run(
    path: &Path,
    output: Option<&Path>,
    plot: Option<&Path>,
    labs: Option<&Path>,
    decisions: Option<&Path>,
    seed: u64,
) -> Result<ExitCode, Failure> {
    let scenario = Scenario::from_path(path)?;
    if decisions.is_some() && scenario.titrations.is_empty() {
        return Err(Failure {
            message: format!(
                "--decisions: {} has no [[titration]] rule, so there are no decisions to write",
                path.display()
            ),
            code: 2,
        });
    }
    // with [[titration]] rules the run is titrated on labs measured with `seed`
    let (traj, log) = scenario.run_titrated(seed)?;
    write_out(output, |w| traj.write_csv(w))?;
    if let Some(out) = decisions {
        write_out(Some(out), |w| {
            endocrine::titration::write_decisions_csv(&log, w)
        })?;
    }
    if let Some(out) = labs {
        let results = scenario.measure_labs(&traj, seed)?;
        write_out(Some(out), |w| endocrine::labs::write_csv(&results, w))?;
    }
    if let Some(out) = plot {
        plot_one(&traj, path, out)?;
    }
    match incomplete(&traj, path) {
        None => Ok(ExitCode::SUCCESS),
        Some(msg) => {
            report(&format!("{msg}; the rows up to there were written"));
            Ok(ExitCode::from(3))
        }
    }
}

/// `run --axis A --days D --dose "…"`: the default subject of the axis and a shorthand regimen.
fn quick_run(
    axis: &str,
    days: f64,
    dose: Option<&str>,
    output_every: &str,
    output: Option<&Path>,
    plot: Option<&Path>,
) -> Result<ExitCode, Failure> {
    let axis = Axis::from_name(axis).ok_or_else(|| endocrine::Error::UnknownName {
        field: "--axis".into(),
        value: axis.into(),
        known: "hpg, hpa".into(),
    })?;
    let every = endocrine::units::parse_time_h("--output-every", output_every)?;
    let options = endocrine::SimOptions::new(days * 24.0, every).map_err(|e| match e {
        endocrine::Error::InvalidValue {
            field,
            value,
            reason,
        } if field == "duration" => endocrine::Error::InvalidValue {
            field: "--days".into(),
            value,
            reason,
        },
        e => e,
    })?;
    let model = axis.default_model();
    let regimen = match dose {
        Some(text) => endocrine::shorthand::parse_regimen_for(&*model, text, options.duration_h)?,
        None => endocrine::Regimen::new(),
    };
    let traj = endocrine::simulate(&*model, &regimen, &options)?;
    write_out(output, |w| traj.write_csv(w))?;
    let label = Path::new(axis.name());
    if let Some(out) = plot {
        plot_one(&traj, label, out)?;
    }
    match incomplete(&traj, label) {
        None => Ok(ExitCode::SUCCESS),
        Some(msg) => {
            report(&format!("{msg}; the rows up to there were written"));
            Ok(ExitCode::from(3))
        }
    }
}

fn cohort(
    path: &Path,
    n: Option<u64>,
    seed: Option<u64>,
    output: Option<&Path>,
    plot: Option<&Path>,
) -> Result<ExitCode, Failure> {
    let scenario = Scenario::from_path(path)?;
    let population = scenario.to_population(n, seed)?;
    // a progress bar on a terminal for long runs, nothing when stderr is piped
    let bar =
        (std::io::IsTerminal::is_terminal(&std::io::stderr()) && population.n >= 200).then(|| {
            let bar = indicatif::ProgressBar::new(population.n as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} subjects, {elapsed} (eta {eta})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let (cohort, shares) =
        scenario.run_cohort(&population, endocrine::cohort::Shard::WHOLE, &tick)?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    write_out(output, |w| cohort.write_percentiles_csv(w))?;
    for s in &shares {
        let t = &scenario.titrations[s.rule];
        let range = match (&t.low, &t.high) {
            (Some(l), Some(h)) => format!("{l} to {h}"),
            (Some(l), None) => format!("at least {l}"),
            (None, Some(h)) => format!("at most {h}"),
            (None, None) => String::new(),
        };
        eprintln!(
            "titration[{}] {} {range}: {:.1} % of {} subjects in range at the first check ({} h), {:.1} % at the end-of-run check ({} h) (true values)",
            s.rule,
            t.assay,
            100.0 * s.before,
            s.n,
            s.first_check_h,
            100.0 * s.after,
            s.end_check_h
        );
    }
    if let Some(out) = plot {
        plot_cohort(&cohort, path, out)?;
    }
    let failed = cohort.failures();
    if let Some((i, outcome)) = failed.first() {
        report(&format!(
            "{} of {} subjects stopped early (subject {i}: {outcome})",
            failed.len(),
            population.n
        ));
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(feature = "plot")]
fn plot_cohort(cohort: &endocrine::cohort::Cohort, path: &Path, out: &Path) -> Result<(), Failure> {
    use endocrine::plot::{plot_cohort, PlotOptions};
    let (times, columns, pct) = cohort.percentiles();
    let events = cohort.subjects.first().map(|s| s.events()).unwrap_or(&[]);
    Ok(plot_cohort(
        &times,
        &columns,
        &pct,
        events,
        &PlotOptions::default().with_title(label(path)),
        out,
    )?)
}

#[cfg(not(feature = "plot"))]
fn plot_cohort(_: &endocrine::cohort::Cohort, _: &Path, _: &Path) -> Result<(), Failure> {
    Err(no_plot_feature())
}

fn validate(catalogue: &Path, output: &Path) -> Result<ExitCode, Failure> {
    use endocrine::validation;
    let results = validation::run(catalogue, &|p| Scenario::from_path(p)?.run())?;
    let md = validation::to_markdown(&results);
    let doc = format!(
        "# Clinical validation\n\nGenerated by `endocrine validate` from `{}`. Research and education only.\n\n{md}",
        catalogue.display()
    );
    if let Some(dir) = output.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io_failure(dir, &e))?;
    }
    std::fs::write(output, &doc).map_err(|e| io_failure(output, &e))?;
    println!("{md}");
    eprintln!(
        "{}\ntable written to {}",
        validation::summary_line(&validation::summary(&results)),
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn check(path: &Path) -> Result<ExitCode, Failure> {
    let scenario = Scenario::from_path(path)?;
    scenario.check()?;
    let options = scenario.to_options()?;
    let regimen = scenario.to_regimen()?;
    println!(
        "ok: {}: axis {}, {} h, {} output rows, {} dose lines ({} administrations), {} procedures, {} titration rules",
        path.display(),
        scenario.axis,
        options.duration_h,
        options.grid_rows(),
        regimen.doses().len(),
        regimen.expand().len(),
        regimen.procedures().len(),
        scenario.titrations.len(),
    );
    Ok(ExitCode::SUCCESS)
}

fn list_drugs() -> Result<ExitCode, Failure> {
    let models: Vec<(Axis, Box<dyn endocrine::Model>)> =
        Axis::ALL.iter().map(|&a| (a, a.default_model())).collect();
    let rows: Vec<[String; 5]> = drugs::all()
        .iter()
        .map(|d| {
            let channels = d.channels();
            let axes: Vec<&str> = models
                .iter()
                .filter(|(_, m)| channels.iter().any(|&c| m.reads(c)))
                .map(|(a, _)| a.name())
                .collect();
            [
                d.name.to_string(),
                axes.join(", "),
                d.routes
                    .iter()
                    .map(|r| r.route.name())
                    .collect::<Vec<_>>()
                    .join(", "),
                d.amount_kind.unit().to_string(),
                d.summary.to_string(),
            ]
        })
        .collect();
    let header = ["drug", "axis", "routes", "amount", "summary"];
    let mut width = header.map(str::len);
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: [&str; 5]| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 < cells.len() {
                s.push_str(&format!("{c:<w$}  ", w = width[i]));
            } else {
                s.push_str(c);
            }
        }
        s
    };
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    let mut out = vec![line(header)];
    out.extend(
        rows.iter()
            .map(|r| line([&r[0], &r[1], &r[2], &r[3], &r[4]])),
    );
    for l in out {
        if let Err(e) = writeln!(w, "{l}") {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                break;
            }
            return Err(io_failure(Path::new("stdout"), &e));
        }
    }
    Ok(ExitCode::SUCCESS)
}
