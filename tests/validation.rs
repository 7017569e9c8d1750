//! The validation catalogue runs: every scenario parses and simulates; the table renders.
//! (Pass/fail per row is reported by `endocrine validate`, not asserted here row by row.)

use endocrine::scenario::Scenario;
use endocrine::validation::{run, summary, to_markdown, Status};
use std::path::Path;

/// Checks that fail, each documented where its row is calibrated (docs/calibration.md):
/// (row id, start of the check's description).
const KNOWN_MISSES: [(&str, &str); 19] = [
    // THYROSIM 2016 needs more replacement than the guideline (and 2022 fails L-T3 alone)
    ("TH5d", "athyreotic on 1.6 ug/kg/day"),
    ("TH7a", "TSH on 115 ug/day L-T4"),
    ("TH7b", "TSH on 40 ug/day L-T3"),
    ("TH7b-2022", "THYROSIM 2022: TSH on 40 ug/day L-T3"),
    // HPG, issue 14
    ("I14-E2", "E2 on day 1 / pre-dose"),
    ("I14-E3a", "nadir T at week 16"),
    // LH 6 weeks after one TE 500 mg is 0.907 of baseline, the source says still suppressed
    // (< 0.9); refitting the memory to it fails I14-M2 and worsens D1/D18, so it was not refitted
    ("I14-M3", "LH 6 weeks after a single TE 500 mg / baseline"),
    // slow LH recovery after a gel is stopped
    ("D1", "5 days after the last application"),
    (
        "D18",
        "back to pretreatment 7-10 days after the last application",
    ),
    // Androderm asks more than its nominal delivery; a constant-rate patch has no peak
    ("D21", "Androderm 4 mg/day (start dose), nightly: Cmax"),
    ("D21", "time of the maximum"),
    ("D22", "Androderm 2 mg/day, nightly: Cmax"),
    // SERM dose-response (session 7): T stays up a week after enclomiphene 25 mg/day is
    // stopped (612 vs a 24-h average of 587 on drug); clomiphene every other day in young men with a low LH
    // (Katz 2012: LH x4.3, T x2.5; the model's Leydig response to LH is steeper)
    ("I14-C3", "T 7 days after the last dose"),
    ("I14-C6", "T on treatment"),
    ("I14-C6", "LH on treatment"),
    // session 8, new held-out rows: after T cypionate 200 mg the model's T peaks on day 1
    // (Nankin 1987: days 2-5)
    ("I14-TC", "time of the T peak"),
    // session 8, Nakazawa 2006's other time courses after TE 125 mg: the model's LH falls
    // within days (0.16 of baseline on day 4; the abstract: falling only from day 5) and its
    // E2 follows T below baseline on day 14 (0.63; the abstract: back at baseline)
    ("I14-E2", "LH on day 4 / pre-dose"),
    ("I14-E2", "E2 on day 14 / pre-dose"),
    // cortisol clearance after 5 mg hydrocortisone granules (16 L/h; the model's is 9.3, in
    // line with De Lacerda's isotope MCR at physiological levels)
    (
        "H18",
        "hydrocortisone 5 mg: mean cortisol over the 12 h after",
    ),
];

#[test]
fn catalogue_runs_and_renders() {
    let results = run(Path::new("validation/targets.toml"), &|p| {
        Scenario::from_path(p)?.run()
    })
    .unwrap();
    let md = to_markdown(&results);
    eprintln!("{md}");
    assert!(
        results
            .iter()
            .all(|r| !matches!(&r.status, Status::NotSimulable(w) if w.contains("error"))),
        "{md}"
    );
    let n = summary(&results);
    assert!(
        n.simulated >= 20 && n.pass * 100 >= 85 * n.simulated,
        "{}/{} pass:\n{md}",
        n.pass,
        n.simulated
    );
    // the honest part: at least 10 test-set (held-out) checks, and no check fails that is
    // not a named, documented miss (docs/calibration.md; the issue-14 goal of 90 % of the
    // test set is not met: 102 of 119 in session 8). A known miss that starts to pass is welcome: take it
    // off the list.
    assert!(n.test >= 10, "{md}");
    let new_misses: Vec<String> = results
        .iter()
        .filter(|r| matches!(r.status, Status::Fail))
        .filter(|r| {
            !KNOWN_MISSES
                .iter()
                .any(|(id, what)| r.id == *id && r.what.starts_with(what))
        })
        .map(|r| format!("{}: {}", r.id, r.what))
        .collect();
    assert!(new_misses.is_empty(), "new misses {new_misses:#?}\n{md}");
    assert_eq!(
        n.training + n.test,
        n.simulated,
        "every simulated check is in one set"
    );
}
