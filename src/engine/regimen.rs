//! What is given when: [`Dose`], [`Procedure`], [`Regimen`].
//!
//! Dosing semantics follow the pharmacometric convention shared by mrgsolve, rxode2 and
//! NONMEM (`amt`, `ii`, `addl`; peers.md): a dose has a first time, an optional interval
//! and a total count (first dose included; NONMEM's `addl` = count − 1), and an optional
//! duration that turns it into a zero-order input of `amount / duration`.

use crate::engine::model::Route;
use crate::engine::units::Amount;
use crate::error::{non_negative, positive, Error, Result};
use serde::{Deserialize, Serialize};

/// Largest number of individual dose administrations a regimen may expand to.
pub const MAX_DOSE_EVENTS: u64 = 1_000_000;

/// One dosing line: a drug by a route, once or repeated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dose {
    drug: String,
    route: Route,
    amount: Amount,
    at_h: f64,
    every_h: Option<f64>,
    count: u64,
    duration_h: Option<f64>,
}

impl Dose {
    /// A single dose of `amount` of `drug` by `route` at `at_h` hours.
    ///
    /// Errors if the amount is not finite and > 0, or the time is negative or not finite.
    pub fn new(drug: &str, route: Route, amount: Amount, at_h: f64) -> Result<Dose> {
        let d = Dose {
            drug: drug.to_string(),
            route,
            amount,
            at_h,
            every_h: None,
            count: 1,
            duration_h: None,
        };
        d.validate("dose")?;
        Ok(d)
    }

    /// Repeat every `every_h` hours, `count` doses in all (the first included).
    pub fn every(mut self, every_h: f64, count: u64) -> Result<Dose> {
        self.every_h = Some(every_h);
        self.count = count;
        self.validate("dose")?;
        Ok(self)
    }

    /// Give each administration as a zero-order input over `duration_h` hours.
    pub fn over(mut self, duration_h: f64) -> Result<Dose> {
        self.duration_h = Some(duration_h);
        self.validate("dose")?;
        Ok(self)
    }

    /// Check every field; `prefix` names the dose in messages (`dose[2]`).
    pub(crate) fn validate(&self, prefix: &str) -> Result<()> {
        if self.drug.trim().is_empty() {
            return Err(Error::invalid(
                format!("{prefix}.drug"),
                "\"\"",
                "a drug name is required",
            ));
        }
        positive(&format!("{prefix}.amount"), self.amount.value)?;
        non_negative(&format!("{prefix}.at"), self.at_h)?;
        if let Some(e) = self.every_h {
            positive(&format!("{prefix}.every"), e)?;
        }
        if self.count == 0 {
            return Err(Error::invalid(
                format!("{prefix}.count"),
                0,
                "must be at least 1",
            ));
        }
        if self.count > 1 && self.every_h.is_none() {
            return Err(Error::CountWithoutEvery {
                field: format!("{prefix}.count"),
                count: self.count,
            });
        }
        if self.count > MAX_DOSE_EVENTS {
            return Err(Error::LimitExceeded {
                field: format!("{prefix}.count"),
                requested: self.count.to_string(),
                limit: MAX_DOSE_EVENTS.to_string(),
                hint: "split the run or lengthen `every`".into(),
            });
        }
        if let Some(d) = self.duration_h {
            positive(&format!("{prefix}.duration"), d)?;
            if let Some(e) = self.every_h {
                if d > e {
                    return Err(Error::invalid(
                        format!("{prefix}.duration"),
                        d,
                        format!("an infusion must end before the next dose starts (every = {e} h)"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Drug name.
    pub fn drug(&self) -> &str {
        &self.drug
    }
    /// Route.
    pub fn route(&self) -> Route {
        self.route
    }
    /// Amount per administration.
    pub fn amount(&self) -> Amount {
        self.amount
    }
    /// Time of the first administration, h.
    pub fn at_h(&self) -> f64 {
        self.at_h
    }
    /// Interval between administrations, h.
    pub fn every_h(&self) -> Option<f64> {
        self.every_h
    }
    /// Number of administrations.
    pub fn count(&self) -> u64 {
        self.count
    }
    /// Infusion duration, h.
    pub fn duration_h(&self) -> Option<f64> {
        self.duration_h
    }
    /// Time of the last administration, h.
    pub fn last_h(&self) -> f64 {
        self.at_h + self.every_h.unwrap_or(0.0) * (self.count - 1) as f64
    }
    /// Times of every administration, h (computed as `at + k·every`, no accumulation).
    pub fn times_h(&self) -> impl Iterator<Item = f64> + '_ {
        (0..self.count).map(move |k| self.at_h + self.every_h.unwrap_or(0.0) * k as f64)
    }
}

/// A procedure applied at one instant (e.g. `"orchiectomy"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    name: String,
    at_h: f64,
}

impl Procedure {
    /// Procedure `name` at `at_h` hours.
    pub fn new(name: &str, at_h: f64) -> Result<Procedure> {
        let p = Procedure {
            name: name.to_string(),
            at_h,
        };
        p.validate("procedure")?;
        Ok(p)
    }
    pub(crate) fn validate(&self, prefix: &str) -> Result<()> {
        non_negative(&format!("{prefix}.at"), self.at_h).map(|_| ())
    }
    /// Name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Time, h.
    pub fn at_h(&self) -> f64 {
        self.at_h
    }
}

/// One administration after expansion.
#[derive(Debug, Clone, PartialEq)]
pub struct Administration {
    /// Time, h.
    pub t_h: f64,
    /// Index of the [`Dose`] line it came from.
    pub dose_index: usize,
    /// Amount.
    pub amount: Amount,
}

/// Everything given during a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regimen {
    #[serde(default)]
    doses: Vec<Dose>,
    #[serde(default)]
    procedures: Vec<Procedure>,
}

impl Regimen {
    /// An empty regimen (the untreated subject).
    pub fn new() -> Self {
        Self::default()
    }
    /// Add a dose line.
    pub fn with(mut self, dose: Dose) -> Self {
        self.doses.push(dose);
        self
    }
    /// Add a procedure.
    pub fn with_procedure(mut self, p: Procedure) -> Self {
        self.procedures.push(p);
        self
    }
    /// Dose lines in the order given.
    pub fn doses(&self) -> &[Dose] {
        &self.doses
    }
    /// Procedures in the order given.
    pub fn procedures(&self) -> &[Procedure] {
        &self.procedures
    }

    /// Validate every line and the total number of administrations.
    pub(crate) fn validate(&self) -> Result<()> {
        let mut total = 0u64;
        for (i, d) in self.doses.iter().enumerate() {
            d.validate(&format!("dose[{i}]"))?;
            total += d.count;
        }
        if total > MAX_DOSE_EVENTS {
            return Err(Error::LimitExceeded {
                field: "dose".into(),
                requested: format!("{total} administrations"),
                limit: MAX_DOSE_EVENTS.to_string(),
                hint: "split the run into shorter scenarios".into(),
            });
        }
        for (i, p) in self.procedures.iter().enumerate() {
            p.validate(&format!("procedure[{i}]"))?;
        }
        Ok(())
    }

    /// Every administration, sorted by time (ties keep the order of the dose lines).
    pub fn expand(&self) -> Vec<Administration> {
        let mut v: Vec<Administration> = self
            .doses
            .iter()
            .enumerate()
            .flat_map(|(i, d)| {
                d.times_h().map(move |t| Administration {
                    t_h: t,
                    dose_index: i,
                    amount: d.amount,
                })
            })
            .collect();
        v.sort_by(|a, b| {
            a.t_h
                .total_cmp(&b.t_h)
                .then(a.dose_index.cmp(&b.dose_index))
        });
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansion_is_sorted_and_keeps_total() {
        let r = Regimen::new()
            .with(
                Dose::new("a", Route::Oral, Amount::mg(10.0), 8.0)
                    .unwrap()
                    .every(24.0, 5)
                    .unwrap(),
            )
            .with(
                Dose::new("b", Route::Im, Amount::mg(100.0), 0.0)
                    .unwrap()
                    .every(168.0, 2)
                    .unwrap(),
            );
        let e = r.expand();
        assert_eq!(e.len(), 7);
        assert!(e.windows(2).all(|w| w[0].t_h <= w[1].t_h));
        let total: f64 = e.iter().map(|a| a.amount.value).sum();
        assert_eq!(total, 5.0 * 10.0 + 2.0 * 100.0);
    }

    #[test]
    fn bad_doses_are_typed_errors() {
        let amt = Amount::mg(1.0);
        assert!(
            matches!(Dose::new("x", Route::Oral, Amount::mg(-1.0), 0.0), Err(Error::InvalidValue { field, .. }) if field == "dose.amount")
        );
        assert!(matches!(
            Dose::new("x", Route::Oral, Amount::mg(f64::NAN), 0.0),
            Err(Error::InvalidValue { .. })
        ));
        assert!(
            matches!(Dose::new("x", Route::Oral, amt, -1.0), Err(Error::InvalidValue { field, .. }) if field == "dose.at")
        );
        let d = Dose::new("x", Route::Oral, amt, 0.0).unwrap();
        assert!(
            matches!(d.clone().every(0.0, 3), Err(Error::InvalidValue { field, .. }) if field == "dose.every")
        );
        assert!(
            matches!(d.clone().every(24.0, 0), Err(Error::InvalidValue { field, .. }) if field == "dose.count")
        );
        assert!(matches!(
            d.clone().every(24.0, MAX_DOSE_EVENTS + 1),
            Err(Error::LimitExceeded { .. })
        ));
        assert!(
            matches!(d.clone().every(1.0, 3).unwrap().over(2.0), Err(Error::InvalidValue { field, .. }) if field == "dose.duration")
        );
    }
}
