//! The simulation–estimation study of precision dosing: virtual hypogonadal men drawn
//! from the fit's priors, four draws on SC testosterone enanthate 75 mg weekly, fitted
//! back; the proposed dose against the label titration and the fixed label dose on the
//! same patients (design in `endocrine::clinic::precision_study`). Writes the tables of
//! `docs/precision.md` to stdout: first with the fit's own (analytical) assay error, then
//! with labs that also carry the within-subject variation the fit does not model.
//!
//! `cargo run --release --example precision_study -- [N] [SEED]` (default 200 patients,
//! seed 1). Research and education only; not medical advice.

use endocrine::clinic::precision_study::{run_study, StudyNoise};

fn main() -> Result<(), endocrine::Error> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let samples = 1000;
    for (title, noise) in [
        (
            "Labs with the fit's own error model (analytical CV)",
            StudyNoise::Analytical,
        ),
        (
            "Labs with analytical + within-subject variation (the fit assumes analytical only)",
            StudyNoise::WithinSubject,
        ),
    ] {
        let t0 = std::time::Instant::now();
        let study = run_study(n, seed, samples, noise)?;
        println!("### {title}\n");
        print!("{}", study.markdown(seed, samples));
        println!();
        eprintln!(
            "{title}: {n} patients in {:.1} s",
            t0.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
