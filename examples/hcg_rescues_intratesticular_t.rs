//! hCG rescues intratesticular testosterone: TE 200 mg weekly for 6 weeks, hCG 500 IU
//! every other day added from day 21 (Coviello et al. 2005, rows O4 and O5).
//! The same experiment as `scenarios/gallery/hcg_rescues_intratesticular_t.toml`.
//! Research and education only: not medical advice.
//!
//! Run: `cargo run --example hcg_rescues_intratesticular_t`

use endocrine::scenario::Scenario;

fn main() -> endocrine::Result<()> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/gallery/hcg_rescues_intratesticular_t.toml"
    );
    let tr = Scenario::from_path(path)?.run()?;
    let v = |col: &str, h: f64| tr.value_at(col, h).unwrap_or(f64::NAN);
    println!(
        "{:>6} {:>8} {:>8} {:>14} {:>20} {:>8}",
        "day", "hCG", "LH IU/L", "total T ng/dL", "intratestic. T nmol/L", "ITT %"
    );
    for d in [0.0, 7.0, 14.0, 21.0, 28.0, 35.0, 42.0] {
        let h = d * 24.0;
        println!(
            "{d:>6.0} {:>8} {:>8.2} {:>14.0} {:>20.0} {:>8.0}",
            if d > 21.0 { "yes" } else { "no" },
            v("lh_iu_l", h),
            v("total_t_ng_dl", h),
            v("intratesticular_t_nmol_l", h),
            100.0 * v("intratesticular_t_nmol_l", h) / v("intratesticular_t_nmol_l", 0.0)
        );
    }
    println!("Coviello 2005: ITT -94 % on TE alone (O4), +26 % with hCG 500 IU (O5)");
    Ok(())
}
