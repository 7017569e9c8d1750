//! A cohort split into shards: any split gives exactly the subjects of the unsplit run,
//! because subject i's draws (parameter factors and, titrated, assay noise) depend only on
//! the seed and i (issue 17: shards run anywhere, e.g. on a Dask or Slurm cluster).

use endocrine::cohort::{Cohort, Shard};
use endocrine::scenario::Scenario;

const TE_WEEKLY: &str = r#"
axis = "hpg"
duration = "6 wk"
output_every = "1 d"

[[dose]]
drug = "testosterone_enanthate"
route = "im"
amount = "100 mg"
at = "8 h"
every = "7 d"

[population]
n = 11
seed = 21
"#;

fn run(scenario: &Scenario, shard: Shard) -> Cohort {
    let population = scenario.to_population(None, None).unwrap();
    scenario.run_cohort(&population, shard, &|| {}).unwrap().0
}

/// Concatenate the shards of a `count`-way split, run in reverse order.
fn union(scenario: &Scenario, count: usize) -> Cohort {
    let mut parts: Vec<Cohort> = (0..count)
        .rev()
        .map(|index| run(scenario, Shard { index, count }))
        .collect();
    parts.sort_by_key(|c| c.first_subject);
    let mut next = 0;
    for p in &parts {
        assert_eq!(p.first_subject, next, "shards are contiguous");
        next += p.subjects.len();
    }
    Cohort {
        first_subject: 0,
        factors: parts.iter().flat_map(|c| c.factors.clone()).collect(),
        subjects: parts.into_iter().flat_map(|c| c.subjects).collect(),
    }
}

fn assert_same(a: &Cohort, b: &Cohort) {
    assert_eq!(a.factors, b.factors);
    assert_eq!(a.subjects, b.subjects); // bit-identical trajectories
    assert_eq!(a.percentiles().2, b.percentiles().2);
}

#[test]
fn any_split_gives_the_subjects_of_the_unsplit_run() {
    let scenario = Scenario::from_toml_str(TE_WEEKLY).unwrap();
    let whole = run(&scenario, Shard::WHOLE);
    assert_eq!(whole.subjects.len(), 11);
    for count in [2, 3, 11] {
        assert_same(&union(&scenario, count), &whole);
    }
}

#[test]
fn a_titrated_cohort_splits_the_same_way() {
    let text = std::fs::read_to_string("scenarios/titration_androgel_1_62.toml").unwrap()
        + "\n[population]\nn = 5\nseed = 4\n";
    let scenario = Scenario::from_toml_str(&text).unwrap();
    assert!(!scenario.titrations.is_empty());
    let whole = run(&scenario, Shard::WHOLE);
    assert_same(&union(&scenario, 3), &whole);
}

#[test]
fn shards_partition_the_subjects_into_nearly_equal_blocks() {
    for n in 1..=40 {
        for count in 1..=n {
            let ranges: Vec<_> = (0..count)
                .map(|index| Shard { index, count }.subjects(n).unwrap())
                .collect();
            assert_eq!(ranges[0].start, 0);
            assert_eq!(ranges[count - 1].end, n);
            for w in ranges.windows(2) {
                assert_eq!(w[0].end, w[1].start);
            }
            let sizes: Vec<usize> = ranges.iter().map(|r| r.len()).collect();
            let (lo, hi) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            assert!(hi - lo <= 1 && *lo >= 1, "n {n}, {count} shards: {sizes:?}");
        }
    }
    assert_eq!(Shard::WHOLE.subjects(7).unwrap(), 0..7);
}

#[test]
fn impossible_shards_are_errors_naming_the_field() {
    let err = |index, count, n| Shard { index, count }.subjects(n).unwrap_err().to_string();
    assert!(err(0, 0, 5).contains("`shards`"));
    assert!(err(0, 6, 5).contains("`shards`"), "an empty shard");
    assert!(err(3, 3, 5).contains("`shard`"));
}
