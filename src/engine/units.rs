//! Units: quantity strings such as `"100 mg"` or `"7 d 8 h"`, and the clinical
//! conversions between mass and molar concentrations.
//!
//! Conversion factors are those of `shared/research/pk-parameters.md` (standard molar
//! masses): testosterone 1 nmol/L = 28.84 ng/dL; cortisol 1 µg/dL = 27.59 nmol/L;
//! estradiol 1 pg/mL = 3.671 pmol/L.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// ng/dL of testosterone per nmol/L (M = 288.4 g/mol).
pub const T_NG_DL_PER_NMOL_L: f64 = 28.84;
/// nmol/L of cortisol per µg/dL (M = 362.5 g/mol).
pub const CORTISOL_NMOL_L_PER_UG_DL: f64 = 27.59;
/// pmol/L of estradiol per pg/mL (M = 272.4 g/mol).
pub const E2_PMOL_L_PER_PG_ML: f64 = 3.671;

/// Hours per unit of time.
const TIME_UNITS: &[(&str, f64)] = &[
    ("s", 1.0 / 3600.0),
    ("min", 1.0 / 60.0),
    ("h", 1.0),
    ("d", 24.0),
    ("wk", 168.0),
];

/// The kind of a dose amount: a mass (stored in mg) or an activity (stored in IU).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountKind {
    /// Mass, canonical unit mg.
    Mass,
    /// Biological activity, canonical unit IU (hCG).
    Activity,
}

impl AmountKind {
    /// Canonical unit symbol.
    pub fn unit(self) -> &'static str {
        match self {
            AmountKind::Mass => "mg",
            AmountKind::Activity => "IU",
        }
    }
    /// Units accepted in scenario strings.
    pub fn accepted(self) -> &'static str {
        match self {
            AmountKind::Mass => "g, mg, ug (µg, mcg), ng",
            AmountKind::Activity => "IU",
        }
    }
}

/// A dose amount with its kind; `value` is in mg (mass) or IU (activity).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Amount {
    /// Value in the canonical unit of `kind` (mg or IU).
    pub value: f64,
    /// Mass or activity.
    pub kind: AmountKind,
}

impl Amount {
    /// A mass in milligrams.
    pub fn mg(value: f64) -> Self {
        Amount {
            value,
            kind: AmountKind::Mass,
        }
    }
    /// A mass in micrograms.
    pub fn ug(value: f64) -> Self {
        Amount {
            value: value * 1e-3,
            kind: AmountKind::Mass,
        }
    }
    /// An activity in international units.
    pub fn iu(value: f64) -> Self {
        Amount {
            value,
            kind: AmountKind::Activity,
        }
    }
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.value, self.kind.unit())
    }
}

/// Split `"12.5 mg"` into (12.5, "mg"); the number must be finite.
fn number_and_unit<'a>(field: &str, s: &'a str, expected: &str) -> Result<(f64, &'a str)> {
    let bad_unit = || Error::InvalidUnit {
        field: field.into(),
        value: s.into(),
        expected: expected.into(),
    };
    let t = s.trim();
    let split = t
        .char_indices()
        .find(|(i, c)| {
            !(c.is_ascii_digit()
                || *c == '.'
                || *c == '+'
                || *c == 'e'
                || *c == 'E'
                || (*c == '-' && (*i == 0 || t[..*i].ends_with(['e', 'E']))))
        })
        .map(|(i, _)| i)
        .ok_or_else(bad_unit)?;
    let (num, unit) = t.split_at(split);
    let value: f64 = num.trim().parse().map_err(|_| bad_unit())?;
    if !value.is_finite() {
        return Err(Error::invalid(field, s, "must be a finite number"));
    }
    Ok((value, unit.trim()))
}

/// Parse a duration or time point such as `"7 d"`, `"30 min"`, `"2 wk"` or the compound
/// `"7 d 8 h"` (08:00 on day 7) into hours. Negative values are rejected.
pub fn parse_time_h(field: &str, s: &str) -> Result<f64> {
    let expected = "s, min, h, d, wk (e.g. \"12 h\", \"7 d 8 h\")";
    let bad = || Error::InvalidUnit {
        field: field.into(),
        value: s.into(),
        expected: expected.into(),
    };
    let tokens: Vec<&str> = s.split_whitespace().collect();
    if tokens.is_empty() {
        return Err(bad());
    }
    // Accept "7d 8h" as well as "7 d 8 h": re-join each number with its unit.
    let mut parts: Vec<String> = Vec::new();
    for tok in tokens {
        let starts_alpha = tok.chars().next().is_some_and(|c| c.is_alphabetic());
        match parts.last_mut() {
            Some(last)
                if starts_alpha && !last.chars().last().is_some_and(|c| c.is_alphabetic()) =>
            {
                last.push(' ');
                last.push_str(tok);
            }
            _ => parts.push(tok.to_string()),
        }
    }
    let mut total = 0.0;
    for p in &parts {
        let (v, unit) = number_and_unit(field, p, expected)?;
        let factor = TIME_UNITS
            .iter()
            .find(|(u, _)| *u == unit)
            .map(|(_, f)| *f)
            .ok_or_else(bad)?;
        total += v * factor;
    }
    if total < 0.0 || !total.is_finite() {
        return Err(Error::invalid(field, s, "a time must be 0 or later"));
    }
    Ok(total)
}

/// Parse a dose amount: `"100 mg"`, `"250 ug"`, `"250 µg"`, `"1 g"`, `"5000 IU"`.
/// The value must be finite and > 0.
pub fn parse_amount(field: &str, s: &str) -> Result<Amount> {
    let expected = "mg, g, ug (µg, mcg), ng, IU";
    let (v, unit) = number_and_unit(field, s, expected)?;
    let amount = match unit {
        "g" => Amount::mg(v * 1e3),
        "mg" => Amount::mg(v),
        "ug" | "µg" | "μg" | "mcg" => Amount::ug(v),
        "ng" => Amount::mg(v * 1e-6),
        "IU" | "iu" | "U" => Amount::iu(v),
        _ => {
            return Err(Error::InvalidUnit {
                field: field.into(),
                value: s.into(),
                expected: expected.into(),
            })
        }
    };
    if amount.value <= 0.0 {
        return Err(Error::invalid(
            field,
            s,
            "a dose amount must be greater than 0",
        ));
    }
    Ok(amount)
}

/// An analyte whose concentration can be written with several units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Analyte {
    /// Total or free testosterone; canonical ng/dL.
    Testosterone,
    /// LH or FSH; canonical IU/L.
    Gonadotropin,
    /// Estradiol; canonical pg/mL.
    Estradiol,
    /// SHBG; canonical nmol/L.
    Shbg,
    /// Cortisol; canonical µg/dL.
    Cortisol,
    /// ACTH; canonical pg/mL.
    Acth,
    /// Free testosterone; canonical pg/mL (1 ng/dL = 10 pg/mL).
    FreeTestosterone,
    /// Salivary (free) cortisol; canonical nmol/L.
    SalivaryCortisol,
    /// TSH; canonical mIU/L (= mU/L = µIU/mL).
    Tsh,
    /// Free T4; canonical ng/dL (T4 776.87 g/mol: 1 ng/dL = 12.87 pmol/L).
    FreeT4,
    /// Free T3; canonical pg/mL (T3 650.97 g/mol: 1 pg/mL = 1.536 pmol/L).
    FreeT3,
    /// Total T4; canonical µg/dL (1 µg/dL = 12.87 nmol/L).
    TotalT4,
    /// Total T3; canonical ng/dL (1 ng/dL = 0.01536 nmol/L).
    TotalT3,
}

impl Analyte {
    /// (unit, factor to canonical) pairs accepted for this analyte.
    fn units(self) -> &'static [(&'static str, f64)] {
        match self {
            Analyte::Testosterone => &[
                ("ng/dL", 1.0),
                ("ng/mL", 100.0),
                ("nmol/L", T_NG_DL_PER_NMOL_L),
            ],
            Analyte::Gonadotropin => &[("IU/L", 1.0), ("mIU/mL", 1.0)],
            Analyte::Estradiol => &[("pg/mL", 1.0), ("pmol/L", 1.0 / E2_PMOL_L_PER_PG_ML)],
            Analyte::Shbg => &[("nmol/L", 1.0)],
            Analyte::Cortisol => &[
                ("ug/dL", 1.0),
                ("µg/dL", 1.0),
                ("nmol/L", 1.0 / CORTISOL_NMOL_L_PER_UG_DL),
            ],
            Analyte::Acth => &[("pg/mL", 1.0), ("ng/L", 1.0), ("pmol/L", 1.0 / 0.22)],
            // T 288.4 g/mol: 1 pmol/L = 0.2884 pg/mL
            Analyte::FreeTestosterone => &[
                ("pg/mL", 1.0),
                ("ng/dL", 10.0),
                ("pmol/L", 0.2884),
                ("nmol/L", 288.4),
            ],
            Analyte::SalivaryCortisol => &[("nmol/L", 1.0)],
            Analyte::Tsh => &[
                ("mIU/L", 1.0),
                ("mU/L", 1.0),
                ("uIU/mL", 1.0),
                ("µIU/mL", 1.0),
            ],
            Analyte::FreeT4 => &[("ng/dL", 1.0), ("pmol/L", 0.077_687), ("ng/L", 0.1)],
            Analyte::FreeT3 => &[("pg/mL", 1.0), ("pmol/L", 0.650_97), ("ng/L", 1.0)],
            Analyte::TotalT4 => &[("ug/dL", 1.0), ("µg/dL", 1.0), ("nmol/L", 0.077_687)],
            Analyte::TotalT3 => &[("ng/dL", 1.0), ("nmol/L", 65.097), ("ng/mL", 100.0)],
        }
    }
}

/// Parse a concentration of `analyte` into its canonical unit (ng/dL, IU/L, pg/mL,
/// nmol/L or µg/dL). Must be finite and > 0.
pub fn parse_concentration(field: &str, s: &str, analyte: Analyte) -> Result<f64> {
    let units = analyte.units();
    let expected = units.iter().map(|(u, _)| *u).collect::<Vec<_>>().join(", ");
    let (v, unit) = number_and_unit(field, s, &expected)?;
    let factor = units
        .iter()
        .find(|(u, _)| u.eq_ignore_ascii_case(unit))
        .map(|(_, f)| *f)
        .ok_or_else(|| Error::InvalidUnit {
            field: field.into(),
            value: s.into(),
            expected: expected.clone(),
        })?;
    crate::error::positive(field, v * factor)
}

/// Parse a body weight (`"85 kg"`, `"187 lb"`) into kg; must be in (0, 500].
pub fn parse_weight_kg(field: &str, s: &str) -> Result<f64> {
    let (v, unit) = number_and_unit(field, s, "kg, lb")?;
    let kg = match unit {
        "kg" => v,
        "lb" => v * 0.453_592_37,
        _ => {
            return Err(Error::InvalidUnit {
                field: field.into(),
                value: s.into(),
                expected: "kg, lb".into(),
            })
        }
    };
    if !(kg > 0.0 && kg <= 500.0) {
        return Err(Error::invalid(
            field,
            s,
            "a body weight must be in (0, 500] kg",
        ));
    }
    Ok(kg)
}

/// Parse a body height (`"170 cm"`, `"1.70 m"`, `"67 in"`) into metres, in [0.5, 2.5] m.
pub fn parse_height_m(field: &str, s: &str) -> Result<f64> {
    let (v, unit) = number_and_unit(field, s, "cm, m, in")?;
    let m = match unit {
        "cm" => v / 100.0,
        "m" => v,
        "in" => v * 0.0254,
        _ => {
            return Err(Error::InvalidUnit {
                field: field.into(),
                value: s.into(),
                expected: "cm, m, in".into(),
            })
        }
    };
    if !(0.5..=2.5).contains(&m) {
        return Err(Error::invalid(field, s, "a height must be in [0.5, 2.5] m"));
    }
    Ok(m)
}

/// Parse a percentage (`"25 %"`) into a fraction (0.25); must be finite and >= 0.
pub fn parse_percent(field: &str, s: &str) -> Result<f64> {
    let (v, unit) = number_and_unit(field, s, "%")?;
    if unit != "%" {
        return Err(Error::InvalidUnit {
            field: field.into(),
            value: s.into(),
            expected: "%".into(),
        });
    }
    crate::error::non_negative(field, v / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(parse_time_h("t", "7 d 8 h").unwrap(), 176.0);
        assert_eq!(parse_time_h("t", "7d 8h").unwrap(), 176.0);
        assert_eq!(parse_time_h("t", "30 min").unwrap(), 0.5);
        assert_eq!(parse_time_h("t", "2 wk").unwrap(), 336.0);
        assert!(matches!(
            parse_time_h("t", "7"),
            Err(Error::InvalidUnit { .. })
        ));
        assert!(matches!(
            parse_time_h("t", "7 days"),
            Err(Error::InvalidUnit { .. })
        ));
        assert!(matches!(
            parse_time_h("t", "-1 h"),
            Err(Error::InvalidValue { .. })
        ));
        assert!(parse_time_h("t", "NaN h").is_err());
        assert!(parse_time_h("t", "").is_err());
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("a", "250 ug").unwrap(), Amount::ug(250.0));
        assert_eq!(parse_amount("a", "250 µg").unwrap().value, 0.25);
        assert_eq!(parse_amount("a", "5000 IU").unwrap(), Amount::iu(5000.0));
        assert!(matches!(
            parse_amount("a", "100"),
            Err(Error::InvalidUnit { .. })
        ));
        assert!(matches!(
            parse_amount("a", "-5 mg"),
            Err(Error::InvalidValue { .. })
        ));
        assert!(matches!(
            parse_amount("a", "0 mg"),
            Err(Error::InvalidValue { .. })
        ));
        assert!(parse_amount("a", "inf mg").is_err());
    }

    #[test]
    fn concentrations() {
        // 1 nmol/L testosterone = 28.84 ng/dL (pk-parameters.md unit table).
        // free T: 347 pmol/L × 288.4 g/mol = 100.07 pg/mL
        let v = parse_concentration("ft", "347 pmol/L", Analyte::FreeTestosterone).unwrap();
        assert!((v - 100.0748).abs() < 1e-9, "{v}");
        let v = parse_concentration("t", "12 nmol/L", Analyte::Testosterone).unwrap();
        assert!((v - 12.0 * 28.84).abs() < 1e-9);
        assert!(parse_concentration("t", "12 mg", Analyte::Testosterone).is_err());
        assert_eq!(
            parse_concentration("lh", "4 mIU/mL", Analyte::Gonadotropin).unwrap(),
            4.0
        );
        assert!((parse_weight_kg("w", "187 lb").unwrap() - 84.82).abs() < 0.01);
        assert_eq!(parse_percent("cv", "25 %").unwrap(), 0.25);
    }
}
