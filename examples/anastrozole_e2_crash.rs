//! Anastrozole and the estradiol crash: 1 mg daily for 12 weeks in older men with low T
//! (Leder et al. 2004, row O35: E2 26 -> 17 pg/mL, T 343 -> 572 ng/dL).
//! The same experiment as `scenarios/gallery/anastrozole_e2_crash.toml`, as a table.
//! Research and education only: not medical advice.
//!
//! Run: `cargo run --example anastrozole_e2_crash`

use endocrine::scenario::Scenario;

fn main() -> endocrine::Result<()> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/gallery/anastrozole_e2_crash.toml"
    );
    let tr = Scenario::from_path(path)?.run()?;
    let v = |col: &str, h: f64| tr.value_at(col, h).unwrap_or(f64::NAN);
    println!(
        "{:>6} {:>10} {:>9} {:>14}",
        "day", "E2 pg/mL", "LH IU/L", "total T ng/dL"
    );
    for d in [0.0, 1.0, 3.0, 7.0, 14.0, 28.0, 84.0] {
        let h = d * 24.0;
        println!(
            "{d:>6.0} {:>10.1} {:>9.2} {:>14.0}",
            v("e2_pg_ml", h),
            v("lh_iu_l", h),
            v("total_t_ng_dl", h)
        );
    }
    println!("Leder 2004 (O35), week 12: E2 17 ± 6 pg/mL, T 572 ± 139 ng/dL, LH 7.9 IU/L");
    Ok(())
}
