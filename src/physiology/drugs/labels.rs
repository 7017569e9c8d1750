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
    let l = match (drug, route) {
        // P31: Depo-Testosterone 50-400 mg every 2-4 weeks; 25 mg steps are our choice
        // (0.25 mL of the 100 mg/mL vial).
        ("testosterone_cypionate", Route::Im) => LabelDosing {
            drug: "testosterone_cypionate",
            route,
            amounts: steps(50.0, 400.0, 25.0),
            min_interval_h: 14.0 * DAY,
            max_interval_h: 28.0 * DAY,
            source: "Depo-Testosterone label, pk-parameters.md P31",
        },
        // P51: Xyosted 50, 75, 100 mg once weekly.
        ("testosterone_enanthate", Route::Sc) => LabelDosing {
            drug: "testosterone_enanthate",
            route,
            amounts: vec![50.0, 75.0, 100.0],
            min_interval_h: 7.0 * DAY,
            max_interval_h: 7.0 * DAY,
            source: "Xyosted label, pk-parameters.md P51",
        },
        // P46: AndroGel 1.62 % 20.25-81 mg daily in 20.25 mg steps (`testosterone_gel` is
        // AndroGel 1.62 %).
        ("testosterone_gel" | "androgel_1_62", Route::Transdermal) => LabelDosing {
            drug: if drug == "androgel_1_62" {
                "androgel_1_62"
            } else {
                "testosterone_gel"
            },
            route,
            amounts: steps(20.25, 81.0, 20.25),
            min_interval_h: DAY,
            max_interval_h: DAY,
            source: "AndroGel 1.62 % label, pk-parameters.md P46",
        },
        // AndroGel 1 % label: start 50 mg daily, increase to 75 then 100 mg (P45).
        ("androgel_1", Route::Transdermal) => LabelDosing {
            drug: "androgel_1",
            route,
            amounts: vec![50.0, 75.0, 100.0],
            min_interval_h: DAY,
            max_interval_h: DAY,
            source: "AndroGel 1 % label, pk-parameters.md P45",
        },
        // Testim label: one or two 5 g tubes (50 or 100 mg) daily.
        ("testim", Route::Transdermal) => LabelDosing {
            drug: "testim",
            route,
            amounts: vec![50.0, 100.0],
            min_interval_h: DAY,
            max_interval_h: DAY,
            source: "Testim label (one or two 5 g tubes of 1 % gel)",
        },
        // Fortesta: start 40 mg daily, adjusted in 10 mg steps between 10 and 70 mg (Dobs
        // et al., J Androl 2012;33:601).
        ("fortesta", Route::Transdermal) => LabelDosing {
            drug: "fortesta",
            route,
            amounts: steps(10.0, 70.0, 10.0),
            min_interval_h: DAY,
            max_interval_h: DAY,
            source: "Fortesta label dosing as in Dobs et al. 2012",
        },
        // Axiron label: start 60 mg daily (30 mg per axilla), adjusted to 30, 90 or 120 mg
        // (label dosing section, read on drugs.com).
        ("axiron", Route::Transdermal) => LabelDosing {
            drug: "axiron",
            route,
            amounts: steps(30.0, 120.0, 30.0),
            min_interval_h: DAY,
            max_interval_h: DAY,
            source: "Axiron label dosing (30 mg per pump actuation, 30-120 mg/day)",
        },
        // Vogelxo label: one or two 5 g tubes (50 or 100 mg) daily (read on
        // oncologynurseadvisor.com).
        ("vogelxo", Route::Transdermal) => LabelDosing {
            drug: "vogelxo",
            route,
            amounts: vec![50.0, 100.0],
            min_interval_h: DAY,
            max_interval_h: DAY,
            source: "Vogelxo label (one or two 5 g tubes of 1 % gel)",
        },
        // P40: Jatenzo 158, 198, 237, 316, 396 mg twice daily.
        ("testosterone_undecanoate", Route::Oral) => LabelDosing {
            drug: "testosterone_undecanoate",
            route,
            amounts: vec![158.0, 198.0, 237.0, 316.0, 396.0],
            min_interval_h: 12.0,
            max_interval_h: 12.0,
            source: "Jatenzo label, pk-parameters.md P40",
        },
        // P34/P36: Aveed 750 mg every 10 weeks; Nebido 1000 mg every 10-14 weeks.
        ("testosterone_undecanoate", Route::Im) => LabelDosing {
            drug: "testosterone_undecanoate",
            route,
            amounts: vec![750.0, 1000.0],
            min_interval_h: 70.0 * DAY,
            max_interval_h: 98.0 * DAY,
            source: "Aveed and Nebido labels, pk-parameters.md P34, P36",
        },
        // P47/P48: Testopel 150-450 mg (2-6 pellets of 75 mg) every 3-6 months.
        ("testosterone_pellet", Route::Implant) => LabelDosing {
            drug: "testosterone_pellet",
            route,
            amounts: steps(150.0, 450.0, 75.0),
            min_interval_h: 91.0 * DAY,
            max_interval_h: 182.0 * DAY,
            source: "Testopel label, pk-parameters.md P47, P48",
        },
        // P66: enclomiphene 12.5 or 25 mg daily (phase 3 protocol).
        ("enclomiphene", Route::Oral) => LabelDosing {
            drug: "enclomiphene",
            route,
            amounts: vec![12.5, 25.0],
            min_interval_h: DAY,
            max_interval_h: DAY,
            source: "enclomiphene phase 3 dosing, pk-parameters.md P66",
        },
        _ => return None,
    };
    Some(l)
}
