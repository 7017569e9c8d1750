//! Castration and the rise of LH and FSH: orchiectomy on day 7, then six months.
//! The same experiment as `scenarios/gallery/castration_lh_fsh_rise.toml`, as a table.
//! Research and education only: not medical advice.
//!
//! Run: `cargo run --example castration_lh_fsh_rise`

use endocrine::scenario::Scenario;

fn main() -> endocrine::Result<()> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/gallery/castration_lh_fsh_rise.toml"
    );
    let tr = Scenario::from_path(path)?.run()?;
    let v = |col: &str, h: f64| tr.value_at(col, h).unwrap_or(f64::NAN);
    let op = 7.0 * 24.0 + 8.0;
    println!("orchiectomy at 08:00 on day 7 (LH headline: >= 3x baseline by 6 months)");
    println!(
        "{:>16} {:>12} {:>12} {:>14}",
        "time", "LH IU/L", "FSH IU/L", "total T ng/dL"
    );
    for (label, h) in [
        ("baseline", 0.0),
        ("+8 h", op + 8.0),
        ("+2 d", op + 48.0),
        ("+1 wk", op + 168.0),
        ("+1 month", op + 30.0 * 24.0),
        ("+3 months", op + 91.0 * 24.0),
        ("+6 months", op + 182.0 * 24.0),
    ] {
        println!(
            "{label:>16} {:>12.1} {:>12.1} {:>14.0}",
            v("lh_iu_l", h),
            v("fsh_iu_l", h),
            v("total_t_ng_dl", h)
        );
    }
    println!(
        "LH at 6 months: {:.0}x baseline",
        v("lh_iu_l", op + 182.0 * 24.0) / v("lh_iu_l", 0.0)
    );
    Ok(())
}
