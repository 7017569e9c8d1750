//! Calibration of the HPG suppression memory (docs/calibration.md, "Session 6, memory data"): a grid over
//! `suppression_memory_max`, `suppression_memory_onset_half_life_h` and
//! `suppression_memory_half_life_h`, scored on the memory's TRAINING checks only (the
//! `fitted = true` checks of the rows named below, read from validation/targets.toml). The
//! rule is the one the memory was first fitted with: the largest smallest distance of those
//! checks to their limits (in the checks' own units; all are LH ratios to baseline). No
//! held-out row is simulated here.
//!
//! `cargo run --release --example memory_grid` prints the best points and the ridge.

use endocrine::axes::hpg::{Hpg, HpgParams};
use endocrine::fit::TypicalSubject;
use endocrine::scenario::Scenario;
use endocrine::validation;
use std::path::Path;

/// The rows whose fitted checks set the memory.
const ROWS: [&str; 3] = ["O17", "O20", "I14-M3"];

fn main() -> endocrine::Result<()> {
    let dir = Path::new("validation");
    let cat = validation::load(&dir.join("targets.toml"))?;
    let mut cases = Vec::new();
    for row in cat.rows.iter().filter(|r| ROWS.contains(&r.id.as_str())) {
        let file = row.scenario.as_ref().expect("memory rows are simulable");
        let sc = Scenario::from_path(dir.join(file))?;
        let TypicalSubject::Hpg(base) = sc.typical_subject()? else {
            panic!("{} is not an HPG row", row.id)
        };
        let checks: Vec<_> = row.checks.iter().filter(|c| c.fitted).cloned().collect();
        cases.push((row.id.clone(), sc, base, checks));
    }
    let m_max = [10.0, 20.0, 40.0, 60.0, 80.0, 100.0, 120.0, 160.0];
    let onset_d: Vec<f64> = (0..=16).map(|i| 100.0 + 25.0 * f64::from(i)).collect();
    let decay_d: Vec<f64> = (0..=16).map(|i| 20.0 + 2.5 * f64::from(i)).collect();
    let mut scored = Vec::new();
    for &m in &m_max {
        for &on in &onset_d {
            for &de in &decay_d {
                let mut values = Vec::new();
                let mut worst = f64::INFINITY;
                for (_, sc, base, checks) in &cases {
                    let mut p: HpgParams = base.clone();
                    p.suppression_memory_max = m;
                    p.suppression_memory_onset_half_life_h = on * 24.0;
                    p.suppression_memory_half_life_h = de * 24.0;
                    let tr = sc.simulate_with(&Hpg::try_new(p)?)?;
                    for c in checks {
                        let v = if tr.outcome().is_completed() {
                            c.evaluate(&tr)?
                        } else {
                            f64::NAN
                        };
                        let d = (v - c.low).min(c.high - v);
                        worst = worst.min(if d.is_nan() { f64::NEG_INFINITY } else { d });
                        values.push(v);
                    }
                }
                scored.push((worst, m, on, de, values));
            }
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let names: Vec<String> = cases
        .iter()
        .flat_map(|(id, _, _, checks)| checks.iter().map(move |c| format!("{id} @{:?}", c.at)))
        .collect();
    println!("checks: {}", names.join(" | "));
    println!("score  M_max  onset_d  decay_d  values");
    for (s, m, on, de, v) in scored.iter().take(25) {
        let v: Vec<String> = v.iter().map(|x| format!("{x:.3}")).collect();
        println!("{s:.4}  {m:5}  {on:7}  {de:7}  {}", v.join(" "));
    }
    println!("best per M_max:");
    for &m in &m_max {
        if let Some((s, _, on, de, v)) = scored.iter().find(|x| x.1 == m) {
            let v: Vec<String> = v.iter().map(|x| format!("{x:.3}")).collect();
            println!("{s:.4}  {m:5}  {on:7}  {de:7}  {}", v.join(" "));
        }
    }
    Ok(())
}
