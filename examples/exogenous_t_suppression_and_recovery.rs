//! Exogenous testosterone suppresses LH, FSH and intratesticular T, then the axis recovers:
//! testosterone enanthate 200 mg weekly for 12 weeks, then stopped (24 weeks off).
//! The same experiment as `scenarios/gallery/exogenous_t_suppression_and_recovery.toml`.
//! In men recovery takes months (rows O17, O20); the model recovers in weeks.
//! Research and education only: not medical advice.
//!
//! Run: `cargo run --example exogenous_t_suppression_and_recovery`

use endocrine::scenario::Scenario;

fn main() -> endocrine::Result<()> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/gallery/exogenous_t_suppression_and_recovery.toml"
    );
    let tr = Scenario::from_path(path)?.run()?;
    let v = |col: &str, h: f64| tr.value_at(col, h).unwrap_or(f64::NAN);
    let pct = |col: &str, h: f64| 100.0 * v(col, h) / v(col, 0.0);
    println!("TE 200 mg weekly, weeks 0-11 (last injection day 77); % of baseline");
    println!(
        "{:>6} {:>14} {:>7} {:>7} {:>18}",
        "week", "total T ng/dL", "LH %", "FSH %", "intratestic. T %"
    );
    for wk in [0.0, 1.0, 4.0, 11.0, 12.0, 14.0, 16.0, 20.0, 24.0, 36.0] {
        let h = wk * 168.0;
        println!(
            "{wk:>6.0} {:>14.0} {:>7.1} {:>7.1} {:>18.1}",
            v("total_t_ng_dl", h),
            pct("lh_iu_l", h),
            pct("fsh_iu_l", h),
            pct("intratesticular_t_nmol_l", h)
        );
    }
    println!("men (O17): LH back to control ~9 months, FSH ~19 months after stopping");
    Ok(())
}
