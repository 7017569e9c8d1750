//! The simulation–estimation study of precision dosing: virtual hypogonadal men drawn
//! from the fit's priors, four draws on SC testosterone enanthate 75 mg weekly, fitted
//! back; the proposed dose against the label titration and the fixed label dose on the
//! same patients (design in `endocrine::clinic::precision_study`). Writes the tables of
//! `docs/precision.md` to stdout: labs with the fit's own (analytical) assay error; labs
//! that also carry within-subject variation, fitted without and with it in the model.
//!
//! `cargo run --release --example precision_study -- [N] [SEED]` (default 200 patients,
//! seed 1). Research and education only; not medical advice.

use endocrine::clinic::precision_study::{run_hpa_study, run_study};
use endocrine::fit::ResidualError;

fn main() -> Result<(), endocrine::Error> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let samples = 1000;
    for (title, noise, residual) in [
        (
            "A. Labs with analytical error, fitted with the analytical error model (the fit's own)",
            ResidualError::Analytical,
            ResidualError::Analytical,
        ),
        (
            "B. Labs with analytical + within-subject variation, fitted with the analytical model (misspecified)",
            ResidualError::WithinSubject,
            ResidualError::Analytical,
        ),
        (
            "C. Labs with analytical + within-subject variation, fitted with `[fit] residual = \"within_subject\"`",
            ResidualError::WithinSubject,
            ResidualError::WithinSubject,
        ),
    ] {
        let t0 = std::time::Instant::now();
        let study = run_study(n, seed, samples, noise, residual)?;
        println!("### {title}\n");
        print!("{}", study.markdown(seed, samples));
        println!();
        eprintln!("{title}: {n} patients in {:.1} s", t0.elapsed().as_secs_f64());
    }
    let t0 = std::time::Instant::now();
    let hpa = run_hpa_study(n, seed)?;
    println!(
        "### HPA. One cortisol day curve (08:00-20:00) and a morning ACTH, analytical error\n"
    );
    print!("{}", hpa.markdown());
    eprintln!("HPA: {n} patients in {:.1} s", t0.elapsed().as_secs_f64());
    Ok(())
}
