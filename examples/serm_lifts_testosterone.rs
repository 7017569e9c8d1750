//! A SERM lifts testosterone through the loop: clomiphene citrate 25 mg daily for 12 weeks
//! in secondary hypogonadism (Helo et al. 2017, row O32: T 205 -> 488 ng/dL).
//! The same experiment as `scenarios/gallery/serm_lifts_testosterone.toml`, as a table.
//! Research and education only: not medical advice.
//!
//! Run: `cargo run --example serm_lifts_testosterone`

use endocrine::scenario::Scenario;

fn main() -> endocrine::Result<()> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/gallery/serm_lifts_testosterone.toml"
    );
    let tr = Scenario::from_path(path)?.run()?;
    let v = |col: &str, h: f64| tr.value_at(col, h).unwrap_or(f64::NAN);
    println!(
        "{:>8} {:>9} {:>9} {:>14} {:>10}",
        "week", "LH IU/L", "FSH IU/L", "total T ng/dL", "E2 pg/mL"
    );
    for wk in [0.0, 1.0, 2.0, 4.0, 8.0, 12.0] {
        let h = wk * 168.0;
        println!(
            "{wk:>8.0} {:>9.2} {:>9.2} {:>14.0} {:>10.1}",
            v("lh_iu_l", h),
            v("fsh_iu_l", h),
            v("total_t_ng_dl", h),
            v("e2_pg_ml", h)
        );
    }
    println!("Helo 2017 (O32), median: T 205 -> 488 ng/dL, E2 17 -> 34 pg/mL, LH 4.0 -> 6.1 IU/L");
    Ok(())
}
