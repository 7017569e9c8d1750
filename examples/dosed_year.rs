//! One configuration run `reps` times, for instruction counts under callgrind (load-
//! independent, unlike wall time on a shared machine): the dosed HPG year of issue 15
//! (TE 100 mg weekly, daily output) or a scenario's model and regimen at daily output.
//! Prints the solver's work once on stderr.
//!
//! Run: `valgrind --tool=callgrind target/release/examples/dosed_year rodas4 1e-3 5 [scenario.toml]`

use endocrine::axes::hpg::Hpg;
use endocrine::scenario::Scenario;
use endocrine::{simulate, Method, Model, Regimen, SimOptions};

fn main() -> Result<(), endocrine::Error> {
    let a: Vec<String> = std::env::args().collect();
    let usage = "usage: dosed_year <dopri5|rodas4> <rtol> <reps> [scenario.toml]";
    let method = a.get(1).and_then(|m| Method::from_name(m)).expect(usage);
    let rtol: f64 = a.get(2).and_then(|s| s.parse().ok()).expect(usage);
    let reps: usize = a.get(3).and_then(|s| s.parse().ok()).expect(usage);
    let (model, regimen, duration_h): (Box<dyn Model>, Regimen, f64) = match a.get(4) {
        None => (
            Box::new(Hpg::healthy()),
            endocrine::reference::te_100mg_weekly_year(),
            365.0 * 24.0,
        ),
        Some(path) => {
            let s = Scenario::from_path(std::path::Path::new(path))?;
            (s.to_model()?, s.to_regimen()?, s.to_options()?.duration_h)
        }
    };
    let mut o = SimOptions::new(duration_h, 24.0)?
        .with_tolerances(rtol, 1e-9)?
        .with_method(method);
    o.dose_rows = false;
    for _ in 0..reps {
        std::hint::black_box(simulate(&*model, &regimen, &o)?);
    }
    eprintln!("{:?}", simulate(&*model, &regimen, &o)?.stats());
    Ok(())
}
