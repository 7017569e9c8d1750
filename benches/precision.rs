//! Criterion bench of precision dosing (issue 18): one individual fit from 4 labs (goal
//! < 50 ms) and one dose proposal (goal < 500 ms), each on one core (neither uses
//! threads). The patient: a hypogonadal man on Depo-Testosterone 200 mg IM every 14 days,
//! total T at days 4, 13.5 and 28 (trough) and E2 at the trough; the values are a virtual
//! patient's (t_clearance_factor 1.6) measured with assay noise (`endocrine run --labs
//! --seed 3`), rounded. The proposal searches
//! the label ladder (50-400 mg by 25 mg, 15 amounts) at 14 days, and, as a larger search,
//! at every label interval (14, 21, 28 days: 45 candidates), with 2000 posterior draws.

use criterion::{criterion_group, criterion_main, Criterion};
use endocrine::scenario::Scenario;
use std::hint::black_box;

const PATIENT: &str = r#"
axis = "hpg"
duration = "30 d"
output_every = "1 d"

[subject]
total_t = "220 ng/dL"
age = "45 yr"
weight = "90 kg"

[[dose]]
drug = "testosterone_cypionate"
route = "im"
amount = "200 mg"
at = "8 h"
every = "14 d"

[[measured]]
assay = "total_t"
at = "4 d 8 h"
value = "360 ng/dL"
[[measured]]
assay = "total_t"
at = "13 d 20 h"
value = "182 ng/dL"
[[measured]]
assay = "total_t"
at = "28 d 8 h"
value = "202 ng/dL"
[[measured]]
assay = "e2"
at = "28 d 8 h"
value = "22 pg/mL"
"#;

fn bench(c: &mut Criterion) {
    let s = Scenario::from_toml_str(PATIENT).unwrap();
    let f = s.fit().unwrap();
    eprintln!(
        "fit: {} ({} simulations); t_clearance_factor {:.3}",
        f.message, f.simulations, f.parameters[0].estimate
    );
    let targets = ["total_t 264..916 ng/dL".to_string()];
    let wide = Scenario::from_toml_str(&format!(
        "{PATIENT}\n[propose]\nevery = [\"14 d\", \"21 d\", \"28 d\"]\n"
    ))
    .unwrap();
    for (name, sc) in [("15 candidates", &s), ("45 candidates", &wide)] {
        let p = sc.propose_from(&f, &targets).unwrap();
        eprintln!(
            "proposal ({name}): {} every {}, P = {:.3}",
            p.regimen[0].amount, p.regimen[0].every, p.probability_in_target
        );
    }

    let mut g = c.benchmark_group("precision");
    g.sample_size(20);
    g.bench_function("fit_4_labs", |b| b.iter(|| black_box(&s).fit().unwrap()));
    g.bench_function("propose_label_ladder_15", |b| {
        b.iter(|| black_box(&s).propose_from(&f, &targets).unwrap())
    });
    g.bench_function("propose_label_ladder_and_intervals_45", |b| {
        b.iter(|| black_box(&wide).propose_from(&f, &targets).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
