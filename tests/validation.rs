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
    let n = summary(&results);
    assert!(
        n.simulated >= 20 && n.pass * 100 >= 85 * n.simulated,
        "{}/{} pass:\n{md}",
        n.pass,
        n.simulated
    );
    // the honest part: at least 10 test-set (held-out) checks, and they pass at 88 %: the
    // figure reached (78 of 88 = 88.6 % since Axiron, Vogelxo and Androderm were added; the
    // issue-14 goal is 90 %), kept as a floor against regressions
    assert!(
        n.test >= 10 && n.test_pass * 100 >= 88 * n.test,
        "test set {}/{} pass:\n{md}",
        n.test_pass,
        n.test
    );
    assert_eq!(
        n.training + n.test,
        n.simulated,
        "every simulated check is in one set"
    );
}
