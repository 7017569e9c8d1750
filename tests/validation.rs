//! The validation catalogue runs: every scenario parses and simulates; the table renders.
//! (Pass/fail per row is reported by `endocrine validate`, not asserted here row by row.)

use endocrine::scenario::Scenario;
use endocrine::validation::{run, summary, to_markdown};
use std::path::Path;

#[test]
fn catalogue_runs_and_renders() {
    let results = run(Path::new("validation/targets.toml"), &|p| {
        Scenario::from_path(p)?.run()
    })
    .unwrap();
    let md = to_markdown(&results);
    eprintln!("{md}");
    assert!(results.iter().all(|r| !matches!(&r.status, endocrine::validation::Status::NotSimulable(w) if w.contains("error"))), "{md}");
    let (pass, simulated, _) = summary(&results);
    assert!(
        simulated >= 20 && pass * 100 >= 85 * simulated,
        "{pass}/{simulated} pass:\n{md}"
    );
}
