//! The 250 µg ACTH (cosyntropin) stimulation test: a healthy adrenal answers with a
//! cortisol peak >= 18 µg/dL at 30 or 60 min (row H11). The same experiment as
//! `scenarios/gallery/acth_stimulation_test.toml`, as a table.
//! Research and education only: not medical advice.
//!
//! Run: `cargo run --example acth_stimulation_test`

use endocrine::scenario::Scenario;

fn main() -> endocrine::Result<()> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/gallery/acth_stimulation_test.toml"
    );
    let tr = Scenario::from_path(path)?.run()?;
    let t = 32.0; // 08:00 on day 1
    println!(
        "{:>10} {:>16} {:>12}",
        "minutes", "cortisol µg/dL", "ACTH pg/mL"
    );
    for min in [0.0, 15.0, 30.0, 45.0, 60.0, 90.0, 120.0] {
        let h = t + min / 60.0;
        // at the dose time, the row just before it (the baseline draw)
        let get = |col: &str| {
            if min == 0.0 {
                tr.sample(col, h)
            } else {
                tr.value_at(col, h)
            }
            .unwrap_or(f64::NAN)
        };
        println!(
            "{min:>10.0} {:>16.1} {:>12.1}",
            get("cortisol_ug_dl"),
            get("acth_pg_ml")
        );
    }
    println!("normal response: peak >= 18 µg/dL at 30 or 60 min (H11)");
    Ok(())
}
