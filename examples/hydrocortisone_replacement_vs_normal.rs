//! Hydrocortisone 10/5/5 mg in secondary adrenal insufficiency against the normal cortisol
//! day curve (row H1). The same experiment as
//! `scenarios/gallery/hydrocortisone_replacement_vs_normal.toml`, next to
//! `scenarios/cortisol_day_curve.toml`, as a table.
//! Research and education only: not medical advice.
//!
//! Run: `cargo run --example hydrocortisone_replacement_vs_normal`

use endocrine::scenario::Scenario;

fn main() -> endocrine::Result<()> {
    let dir = env!("CARGO_MANIFEST_DIR");
    let hc = Scenario::from_path(format!(
        "{dir}/scenarios/gallery/hydrocortisone_replacement_vs_normal.toml"
    ))?
    .run()?;
    let healthy = Scenario::from_path(format!("{dir}/scenarios/cortisol_day_curve.toml"))?.run()?;
    let c = "cortisol_ug_dl";
    println!("cortisol, µg/dL, day 1 (tablets at 07:00 10 mg, 12:00 5 mg, 17:00 5 mg)");
    println!("{:>6} {:>10} {:>14}", "clock", "healthy", "SAI + HC");
    for hour in [
        0.0, 4.0, 6.0, 7.0, 8.0, 9.0, 12.0, 13.0, 16.0, 18.0, 20.0, 23.0,
    ] {
        let h = 24.0 + hour;
        println!(
            "{:>4.0}:00 {:>10.2} {:>14.2}",
            hour,
            healthy.value_at(c, h).unwrap_or(f64::NAN),
            hc.value_at(c, h).unwrap_or(f64::NAN)
        );
    }
    let peak =
        |tr: &endocrine::Trajectory| tr.max_in(c, 24.0 + 6.0, 24.0 + 12.0).unwrap_or(f64::NAN);
    println!(
        "morning peak: healthy {:.1}, on hydrocortisone {:.1} (H1: 15.5, 95 % range 11.7-20.6)",
        peak(&healthy),
        peak(&hc)
    );
    Ok(())
}
