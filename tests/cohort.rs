//! Cohorts are reproducible: the same seed gives bit-identical results with 1 or 2 threads.

use endocrine::cohort::{simulate_cohort, Population, Variability};
use endocrine::reference::RefHpg;
use endocrine::{Amount, Dose, Model, Regimen, Route, SimOptions};

fn run(threads: usize) -> Vec<Vec<f64>> {
    let pop = Population {
        n: 40,
        seed: 11,
        variability: ["a0", "b3", "ka"]
            .iter()
            .map(|p| Variability {
                parameter: p.to_string(),
                cv: 0.2,
            })
            .collect(),
    };
    let make = |f: &[f64]| -> endocrine::Result<Box<dyn Model>> {
        let mut m = RefHpg::default();
        m.a0 *= f[0];
        m.b3 *= f[1];
        m.ka *= f[2];
        Ok(Box::new(m))
    };
    let r = Regimen::new().with(
        Dose::new("depot", Route::Im, Amount::mg(100.0), 0.0)
            .unwrap()
            .every(168.0, 8)
            .unwrap(),
    );
    let o = SimOptions::new(60.0 * 24.0, 24.0).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let cohort = pool
        .install(|| simulate_cohort(&pop, make, &r, &o))
        .unwrap();
    assert!(cohort.failures().is_empty());
    cohort
        .subjects
        .iter()
        .map(|t| t.series("total_t_ng_dl").unwrap())
        .collect()
}

#[test]
fn identical_across_thread_counts() {
    assert_eq!(run(1), run(2));
}
