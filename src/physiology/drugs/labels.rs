//! Label dosing of the products: the amounts a label allows (as a ladder of the doses a
//! prescriber can give) and the dosing intervals, for dose proposals
//! ([`crate::propose`]), which never leave this range without saying so.
//!
//! Each entry cites its row of `shared/research/pk-parameters.md`. Where a label gives a
//! range without steps, the step is our choice and says so.

use crate::Route;

/// The label's dosing of one product and route.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelDosing {
    /// Drug name.
    pub drug: &'static str,
    /// Route.
    pub route: Route,
    /// The amounts a prescriber can give, increasing (mg or IU).
    pub amounts: Vec<f64>,
    /// Shortest labelled interval, h.
    pub min_interval_h: f64,
    /// Longest labelled interval, h.
    pub max_interval_h: f64,
    /// The source.
    pub source: &'static str,
}

impl LabelDosing {
    /// Whether `amount` (in the product's unit) every `every_h` is within the label.
    pub fn allows(&self, amount: f64, every_h: f64) -> bool {
        let (lo, hi) = (self.amounts[0], self.amounts[self.amounts.len() - 1]);
        let tol = 1e-9;
        amount >= lo * (1.0 - tol)
            && amount <= hi * (1.0 + tol)
            && every_h >= self.min_interval_h * (1.0 - tol)
            && every_h <= self.max_interval_h * (1.0 + tol)
    }

    /// `"50-400 mg every 14-28 d (source)"`.
    pub fn describe(&self, unit: &str) -> String {
        let iv = |h: f64| crate::clinic::propose::format_interval(h);
        let every = if self.min_interval_h == self.max_interval_h {
            format!("every {}", iv(self.min_interval_h))
        } else {
            format!(
                "every {} to {}",
                iv(self.min_interval_h),
                iv(self.max_interval_h)
            )
        };
        format!(
            "{}-{} {unit} {every}; {}",
            self.amounts[0],
            self.amounts[self.amounts.len() - 1],
            self.source
        )
    }
}

fn steps(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let n = ((hi - lo) / step).round() as usize;
    (0..=n).map(|i| lo + step * i as f64).collect()
}

/// The label dosing of `drug` by `route`, if the crate knows it.
pub fn label_dosing(drug: &str, route: Route) -> Option<LabelDosing> {
    const DAY: f64 = 24.0;
    let (amounts, min_interval_h, max_interval_h, source) = match (drug, route) {
        // P31: Depo-Testosterone 50-400 mg every 2-4 weeks; 25 mg steps are our choice
        // (0.25 mL of the 100 mg/mL vial).
        ("testosterone_cypionate", Route::Im) => (
            steps(50.0, 400.0, 25.0),
            14.0 * DAY,
            28.0 * DAY,
            "Depo-Testosterone label, pk-parameters.md P31",
        ),
        // P51: Xyosted 50, 75, 100 mg once weekly.
        ("testosterone_enanthate", Route::Sc) => (
            vec![50.0, 75.0, 100.0],
            7.0 * DAY,
            7.0 * DAY,
            "Xyosted label, pk-parameters.md P51",
        ),
        // P46: AndroGel 1.62 % 20.25-81 mg daily in 20.25 mg steps (`testosterone_gel` is
        // AndroGel 1.62 %).
        ("testosterone_gel" | "androgel_1_62", Route::Transdermal) => (
            steps(20.25, 81.0, 20.25),
            DAY,
            DAY,
            "AndroGel 1.62 % label, pk-parameters.md P46",
        ),
        // AndroGel 1 % label: start 50 mg daily, increase to 75 then 100 mg (P45).
        ("androgel_1", Route::Transdermal) => (
            vec![50.0, 75.0, 100.0],
            DAY,
            DAY,
            "AndroGel 1 % label, pk-parameters.md P45",
        ),
        // Testim label: one or two 5 g tubes (50 or 100 mg) daily.
        ("testim", Route::Transdermal) => (
            vec![50.0, 100.0],
            DAY,
            DAY,
            "Testim label (one or two 5 g tubes of 1 % gel)",
        ),
        // Fortesta: start 40 mg daily, adjusted in 10 mg steps between 10 and 70 mg (Dobs
        // et al., J Androl 2012;33:601).
        ("fortesta", Route::Transdermal) => (
            steps(10.0, 70.0, 10.0),
            DAY,
            DAY,
            "Fortesta label dosing as in Dobs et al. 2012",
        ),
        // Axiron label: start 60 mg daily (30 mg per axilla), adjusted to 30, 90 or 120 mg
        // (label dosing section, read on drugs.com).
        ("axiron", Route::Transdermal) => (
            steps(30.0, 120.0, 30.0),
            DAY,
            DAY,
            "Axiron label dosing (30 mg per pump actuation, 30-120 mg/day)",
        ),
        // Vogelxo label: one or two 5 g tubes (50 or 100 mg) daily (read on
        // oncologynurseadvisor.com).
        ("vogelxo", Route::Transdermal) => (
            vec![50.0, 100.0],
            DAY,
            DAY,
            "Vogelxo label (one or two 5 g tubes of 1 % gel)",
        ),
        // P40: Jatenzo 158, 198, 237, 316, 396 mg twice daily.
        ("testosterone_undecanoate", Route::Oral) => (
            vec![158.0, 198.0, 237.0, 316.0, 396.0],
            12.0,
            12.0,
            "Jatenzo label, pk-parameters.md P40",
        ),
        // P34/P36: Aveed 750 mg every 10 weeks; Nebido 1000 mg every 10-14 weeks.
        ("testosterone_undecanoate", Route::Im) => (
            vec![750.0, 1000.0],
            70.0 * DAY,
            98.0 * DAY,
            "Aveed and Nebido labels, pk-parameters.md P34, P36",
        ),
        // P47/P48: Testopel 150-450 mg (2-6 pellets of 75 mg) every 3-6 months.
        ("testosterone_pellet", Route::Implant) => (
            steps(150.0, 450.0, 75.0),
            91.0 * DAY,
            182.0 * DAY,
            "Testopel label, pk-parameters.md P47, P48",
        ),
        // P66: enclomiphene 12.5 or 25 mg daily (phase 3 protocol).
        ("enclomiphene", Route::Oral) => (
            vec![12.5, 25.0],
            DAY,
            DAY,
            "enclomiphene phase 3 dosing, pk-parameters.md P66",
        ),
        _ => return None,
    };
    Some(LabelDosing {
        // the registry's own name, so no entry repeats it
        drug: super::find(drug)?.name,
        route,
        amounts,
        min_interval_h,
        max_interval_h,
        source,
    })
}
