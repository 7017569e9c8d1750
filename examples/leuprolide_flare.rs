//! A GnRH agonist: leuprolide 22.5 mg (3-month depot) on day 7, the flare, then medical
//! castration. The same experiment as `scenarios/gallery/leuprolide_flare.toml`, as a
//! table. Research and education only: not medical advice.
//!
//! Run: `cargo run --example leuprolide_flare`

use endocrine::scenario::Scenario;

fn main() -> endocrine::Result<()> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/gallery/leuprolide_flare.toml"
    );
    let tr = Scenario::from_path(path)?.run()?;
    let v = |col: &str, h: f64| tr.value_at(col, h).unwrap_or(f64::NAN);
    let inj = 7.0 * 24.0;
    println!("leuprolide 22.5 mg im at day 7 (castrate: T < 50 ng/dL)");
    println!(
        "{:>16} {:>10} {:>14} {:>16}",
        "time", "LH IU/L", "total T ng/dL", "leuprolide ng/mL"
    );
    for (label, h) in [
        ("baseline", 0.0),
        ("+6 h", inj + 6.0),
        ("+1 d", inj + 24.0),
        ("+3 d", inj + 72.0),
        ("+1 wk", inj + 168.0),
        ("+2 wk", inj + 336.0),
        ("+3 wk", inj + 504.0),
        ("+6 wk", inj + 1008.0),
        ("+12 wk", inj + 2016.0),
        ("+19 wk", inj + 19.0 * 168.0),
    ] {
        println!(
            "{label:>16} {:>10.2} {:>14.0} {:>16.3}",
            v("lh_iu_l", h),
            v("total_t_ng_dl", h),
            v("leuprolide_ng_ml", h)
        );
    }
    Ok(())
}
