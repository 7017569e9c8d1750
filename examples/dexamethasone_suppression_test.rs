//! The 1 mg overnight dexamethasone suppression test: 1 mg at 23:00, cortisol at 08:00
//! (normal suppression < 1.8 µg/dL, row H9). The same experiment as
//! `scenarios/gallery/dexamethasone_suppression_test.toml`, as a table.
//! Research and education only: not medical advice.
//!
//! Run: `cargo run --example dexamethasone_suppression_test`

use endocrine::scenario::Scenario;

fn main() -> endocrine::Result<()> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/gallery/dexamethasone_suppression_test.toml"
    );
    let tr = Scenario::from_path(path)?.run()?;
    let v = |col: &str, h: f64| tr.value_at(col, h).unwrap_or(f64::NAN);
    println!(
        "{:>22} {:>16} {:>12}",
        "time", "cortisol µg/dL", "ACTH pg/mL"
    );
    for (label, h) in [
        ("day 0 08:00 (before)", 8.0),
        ("day 0 23:00 (dose)", 23.0),
        ("day 1 08:00 (test)", 32.0),
        ("day 2 08:00", 56.0),
        ("day 3 00:00", 72.0),
    ] {
        println!(
            "{label:>22} {:>16.2} {:>12.1}",
            v("cortisol_ug_dl", h),
            v("acth_pg_ml", h)
        );
    }
    println!("normal suppression: 08:00 cortisol < 1.8 µg/dL (H9)");
    Ok(())
}
