//! `endocrine._endocrine`: the compiled half of the Python package (issue 17).
//!
//! Deliberately thin: every function parses a scenario with the crate's own parser, calls the
//! same crate function as the `endocrine` command line, and hands back columns named by the
//! crate's own CSV-column functions ([`endocrine::Trajectory::csv_columns`],
//! [`endocrine::cohort::percentile_columns`], [`endocrine::labs::CSV_COLUMNS`],
//! [`endocrine::titration::DECISIONS_CSV_COLUMNS`], [`endocrine::cohort::SUBJECT_COLUMN`]), so
//! the CLI and Python cannot drift. Errors become `ValueError` with the CLI's one-line message
//! ([`endocrine::Error::one_line`]). The pure-Python wrapper in `endocrine/__init__.py` turns
//! the columns into pandas DataFrames. Simulations run with the GIL released.

use endocrine::cohort::{percentile_columns, Cohort, Shard, PERCENTILES, SUBJECT_COLUMN};
use endocrine::scenario::Scenario;
use endocrine::Trajectory;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

/// One column on its way to Python: floats and integers travel as native-endian bytes
/// (NumPy reads them without a copy per value), text as a list of strings.
enum Column {
    F64(Vec<f64>),
    I64(Vec<i64>),
    Text(Vec<String>),
}

/// A table: column names (from the crate's CSV functions) and the columns in that order.
struct Table {
    names: Vec<String>,
    columns: Vec<Column>,
}

/// (name, dtype tag, payload) per column, as `endocrine._table` expects.
type PyTable = Vec<(String, &'static str, Py<PyAny>)>;

impl Table {
    fn into_py(self, py: Python<'_>) -> PyResult<PyTable> {
        self.names
            .into_iter()
            .zip(self.columns)
            .map(|(name, column)| {
                Ok(match column {
                    Column::F64(v) => {
                        let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_ne_bytes()).collect();
                        (name, "f8", PyBytes::new(py, &bytes).into_any().unbind())
                    }
                    Column::I64(v) => {
                        let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_ne_bytes()).collect();
                        (name, "i8", PyBytes::new(py, &bytes).into_any().unbind())
                    }
                    Column::Text(v) => (name, "str", v.into_pyobject(py)?.into_any().unbind()),
                })
            })
            .collect()
    }
}

/// The crate's error as Python's `ValueError`, with the CLI's one-line message.
fn value_error(e: endocrine::Error) -> PyErr {
    PyValueError::new_err(e.one_line())
}

/// Read a scenario: `kind` is `path` (a .toml or .json file), `toml` or `json` (a document).
fn scenario(kind: &str, text: &str) -> endocrine::Result<Scenario> {
    match kind {
        "path" => Scenario::from_path(text),
        "json" => Scenario::from_json_str(text),
        _ => Scenario::from_toml_str(text),
    }
}

/// The rows of `traj`: `time_h` and the observables, as the CLI's CSV.
fn trajectory_table(traj: &Trajectory) -> Table {
    let names = traj.csv_columns();
    let mut columns = vec![Column::F64(traj.times_h().to_vec())];
    for j in 0..names.len() - 1 {
        columns.push(Column::F64(
            (0..traj.len()).map(|i| traj.row(i)[j]).collect(),
        ));
    }
    Table { names, columns }
}

/// `Some(message)` if the run stopped early (the CLI's exit-status-3 line).
fn incomplete(traj: &Trajectory, label: &str) -> Option<String> {
    let outcome = traj.outcome();
    (!outcome.is_completed()).then(|| {
        endocrine::one_line(&format!(
            "{label}: {outcome}; the rows up to there are returned"
        ))
    })
}

/// Simulate a scenario (`endocrine run`): with `[[titration]]` rules, titrated on labs
/// measured with `seed`. Returns the table and a warning if the run stopped early.
#[pyfunction]
fn run(
    py: Python<'_>,
    kind: &str,
    text: &str,
    label: &str,
    seed: u64,
) -> PyResult<(PyTable, Option<String>)> {
    let traj = py
        .detach(|| scenario(kind, text)?.run_titrated(seed))
        .map_err(value_error)?
        .0;
    let note = incomplete(&traj, label);
    Ok((trajectory_table(&traj).into_py(py)?, note))
}

/// The `[[lab]]` draws with assay noise from `seed` (`endocrine run --labs`).
#[pyfunction]
fn labs(py: Python<'_>, kind: &str, text: &str, seed: u64) -> PyResult<PyTable> {
    let results = py
        .detach(|| {
            let s = scenario(kind, text)?;
            let (traj, _) = s.run_titrated(seed)?;
            s.measure_labs(&traj, seed)
        })
        .map_err(value_error)?;
    let names = endocrine::labs::CSV_COLUMNS.map(String::from).to_vec();
    let columns = vec![
        Column::F64(results.iter().map(|r| r.time_h).collect()),
        Column::Text(results.iter().map(|r| r.assay.name().to_string()).collect()),
        Column::F64(results.iter().map(|r| r.value).collect()),
        Column::Text(results.iter().map(|r| r.unit.to_string()).collect()),
        Column::F64(results.iter().map(|r| r.true_value).collect()),
    ];
    Table { names, columns }.into_py(py)
}

/// The titration decisions of a run (`endocrine run --decisions`).
#[pyfunction]
fn decisions(py: Python<'_>, kind: &str, text: &str, label: &str, seed: u64) -> PyResult<PyTable> {
    let log = py
        .detach(|| {
            let s = scenario(kind, text)?;
            if s.titrations.is_empty() {
                return Ok(None);
            }
            s.run_titrated(seed).map(|(_, log)| Some(log))
        })
        .map_err(value_error)?
        .ok_or_else(|| {
            PyValueError::new_err(endocrine::one_line(&format!(
                "{label} has no [[titration]] rule, so there are no decisions to return"
            )))
        })?;
    let names = endocrine::titration::DECISIONS_CSV_COLUMNS
        .map(String::from)
        .to_vec();
    let columns = vec![
        Column::I64(log.iter().map(|d| d.rule as i64).collect()),
        Column::F64(log.iter().map(|d| d.time_h).collect()),
        Column::Text(log.iter().map(|d| d.assay.name().to_string()).collect()),
        Column::F64(log.iter().map(|d| d.measured).collect()),
        Column::F64(log.iter().map(|d| d.true_value).collect()),
        Column::Text(log.iter().map(|d| d.assay.unit().to_string()).collect()),
        Column::F64(log.iter().map(|d| d.old_amount.value).collect()),
        Column::F64(log.iter().map(|d| d.new_amount.value).collect()),
        Column::Text(
            log.iter()
                .map(|d| d.old_amount.kind.unit().to_string())
                .collect(),
        ),
        Column::Text(log.iter().map(|d| d.action.name().to_string()).collect()),
    ];
    Table { names, columns }.into_py(py)
}

/// Percentiles per time (`endocrine cohort`): `time_h`, then `<column>_p5 … _p95`.
fn percentile_table(cohort: &Cohort) -> Table {
    let (times, cols, rows) = cohort.percentiles();
    let mut names = vec!["time_h".to_string()];
    names.extend(percentile_columns(&cols));
    let mut columns = vec![Column::F64(times)];
    for j in 0..cols.len() {
        for k in 0..PERCENTILES.len() {
            columns.push(Column::F64(rows.iter().map(|r| r[j][k]).collect()));
        }
    }
    Table { names, columns }
}

/// Per-subject rows: `subject` (its index in the whole population), then every subject's
/// trajectory rows (`time_h` and the observables), subjects in order.
fn subject_table(cohort: &Cohort) -> Table {
    let Some(first) = cohort.subjects.first() else {
        return Table {
            names: vec![SUBJECT_COLUMN.to_string()],
            columns: vec![Column::I64(Vec::new())],
        };
    };
    let mut names = vec![SUBJECT_COLUMN.to_string()];
    names.extend(first.csv_columns());
    let mut subject = Vec::new();
    let mut values: Vec<Vec<f64>> = vec![Vec::new(); names.len() - 1];
    for (k, traj) in cohort.subjects.iter().enumerate() {
        for i in 0..traj.len() {
            subject.push((cohort.first_subject + k) as i64);
            values[0].push(traj.times_h()[i]);
            for (j, v) in traj.row(i).iter().enumerate() {
                values[j + 1].push(*v);
            }
        }
    }
    let mut columns = vec![Column::I64(subject)];
    columns.extend(values.into_iter().map(Column::F64));
    Table { names, columns }
}

/// A cohort (`endocrine cohort`), whole or one shard (`shard` = (index, count)): the
/// percentile table, or per-subject rows with `subjects`. Returns the table, the titration
/// range shares (rule, n, first_check_h, end_check_h, before, after) and a warning if some
/// subjects stopped early.
#[pyfunction]
#[pyo3(signature = (kind, text, n, seed, subjects, shard))]
#[allow(clippy::type_complexity)]
fn cohort(
    py: Python<'_>,
    kind: &str,
    text: &str,
    n: Option<u64>,
    seed: Option<u64>,
    subjects: bool,
    shard: Option<(usize, usize)>,
) -> PyResult<(
    PyTable,
    Vec<(usize, usize, f64, f64, f64, f64)>,
    Option<String>,
)> {
    let shard = shard.map_or(Shard::WHOLE, |(index, count)| Shard { index, count });
    let (cohort, shares, total) = py
        .detach(|| {
            let s = scenario(kind, text)?;
            let population = s.to_population(n, seed)?;
            let (cohort, shares) = s.run_cohort(&population, shard, &|| {})?;
            Ok::<_, endocrine::Error>((cohort, shares, population.n))
        })
        .map_err(value_error)?;
    let failed = cohort.failures();
    let note = failed.first().map(|(i, outcome)| {
        endocrine::one_line(&format!(
            "{} of {} subjects stopped early (subject {}: {outcome})",
            failed.len(),
            if shard == Shard::WHOLE {
                total
            } else {
                cohort.subjects.len()
            },
            cohort.first_subject + i
        ))
    });
    let table = if subjects {
        subject_table(&cohort)
    } else {
        percentile_table(&cohort)
    };
    let shares = shares
        .iter()
        .map(|s| {
            (
                s.rule,
                s.n,
                s.first_check_h,
                s.end_check_h,
                s.before,
                s.after,
            )
        })
        .collect();
    Ok((table.into_py(py)?, shares, note))
}

/// The cohort percentiles (`PERCENTILES`: 5, 25, 50, 75, 95) of native-endian float64
/// `values`, by the same function as `endocrine cohort` (Hyndman & Fan definition 7).
#[pyfunction]
fn percentiles(values: &[u8]) -> PyResult<Vec<f64>> {
    if values.len() % 8 != 0 {
        return Err(PyValueError::new_err(
            "values: expected float64 bytes (a multiple of 8)",
        ));
    }
    let mut v: Vec<f64> = values
        .chunks_exact(8)
        .map(|c| f64::from_ne_bytes(c.try_into().unwrap_or([0; 8])))
        .collect();
    Ok(endocrine::cohort::percentiles_of(&mut v).to_vec())
}

/// The percentile levels of a cohort table (5, 25, 50, 75, 95).
#[pyfunction]
fn percentile_levels() -> Vec<f64> {
    PERCENTILES.to_vec()
}

/// The percentile column names of `columns` (`<column>_p5 … _p95`).
#[pyfunction]
#[pyo3(name = "percentile_columns")]
fn percentile_column_names(columns: Vec<String>) -> Vec<String> {
    percentile_columns(&columns)
}

/// Validate a scenario without simulating it (`endocrine check`).
#[pyfunction]
fn check(py: Python<'_>, kind: &str, text: &str) -> PyResult<()> {
    py.detach(|| {
        let s = scenario(kind, text)?;
        s.check()?;
        s.to_options()?;
        s.to_regimen().map(|_| ())
    })
    .map_err(value_error)
}

fn to_json(value: &impl serde::Serialize) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Fit the `[[measured]]` labs (`endocrine fit`): the fit's JSON (the `-o FIT.json` contract).
#[pyfunction]
fn fit(py: Python<'_>, kind: &str, text: &str) -> PyResult<String> {
    let f = py
        .detach(|| scenario(kind, text)?.fit())
        .map_err(value_error)?;
    to_json(&f)
}

/// Fit, then propose a regimen for `targets` (`endocrine propose`): (fit JSON, proposal JSON).
#[pyfunction]
fn propose(
    py: Python<'_>,
    kind: &str,
    text: &str,
    targets: Vec<String>,
) -> PyResult<(String, String)> {
    let (f, p) = py
        .detach(|| {
            let s = scenario(kind, text)?;
            let f = s.fit()?;
            let p = s.propose_from(&f, &targets)?;
            Ok::<_, endocrine::Error>((f, p))
        })
        .map_err(value_error)?;
    Ok((to_json(&f)?, to_json(&p)?))
}

/// The compiled functions behind `import endocrine`.
#[pymodule]
fn _endocrine(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(labs, m)?)?;
    m.add_function(wrap_pyfunction!(decisions, m)?)?;
    m.add_function(wrap_pyfunction!(cohort, m)?)?;
    m.add_function(wrap_pyfunction!(percentiles, m)?)?;
    m.add_function(wrap_pyfunction!(percentile_levels, m)?)?;
    m.add_function(wrap_pyfunction!(percentile_column_names, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(fit, m)?)?;
    m.add_function(wrap_pyfunction!(propose, m)?)?;
    m.add("SUBJECT_COLUMN", SUBJECT_COLUMN)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
