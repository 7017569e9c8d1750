//! A one-line regimen shorthand for quick runs and the command line:
//!
//! ```text
//! testosterone_cypionate 200 mg im every 14 d x 8
//! clomiphene_citrate 25 mg oral at 8 h every 1 d x 90
//! hcg 500 IU sc every 2 d x 10
//! hydrocortisone 10 mg oral at 7 h
//! hydrocortisone 10 mg oral at 7 h every 1 d x 28; hydrocortisone 5 mg oral at 17 h every 1 d x 28
//! bolus 60 mg iv at 2 h over 30 min
//! ```
//!
//! It makes the same [`Dose`] values as a scenario file's `[[dose]]` entries: amounts and
//! times go through [`crate::engine::units::parse_amount`] and [`crate::engine::units::parse_time_h`],
//! routes through [`Route::from_name`], and the same checks apply (the interval must be
//! greater than 0, `x` needs `every` and counts the first dose, an infusion must end
//! before the next dose, at most [`crate::MAX_DOSE_EVENTS`] administrations). Whether the drug exists and
//! takes that route and unit is checked, as for a scenario, against the model when the
//! regimen is simulated (a model may define its own dose names).
//!
//! # Grammar (EBNF)
//!
//! ```text
//! regimen   = dose , { ";" , dose } ;              (* blank doses between ";" are skipped *)
//! dose      = drug , amount , route , { clause } ; (* each clause at most once, any order *)
//! drug      = letter , { letter | digit | "_" | "-" } ;
//! amount    = number , amount_unit ;               (* "200 mg", "200mg", "500 IU" *)
//! amount_unit = "g" | "mg" | "ug" | "µg" | "mcg" | "ng" | "IU" ;
//! route     = "oral" | "im" | "sc" | "iv" | "transdermal" | "implant" ;
//! clause    = "at" , time                          (* first dose; default 0 h *)
//!           | "every" , time                       (* interval between doses *)
//!           | ( "x" | "×" ) , count                (* total doses, the first included; "x8" also *)
//!           | "over" , time ;                      (* zero-order infusion of each dose *)
//! time      = number , time_unit , { number , time_unit } ;  (* "7 d 8 h", "30 min", "14d" *)
//! time_unit = "s" | "min" | "h" | "d" | "wk" ;
//! count     = digit , { digit } ;                  (* at least 1 *)
//! ```
//!
//! Tokens are separated by blanks; a number may be glued to its unit. Keywords, routes
//! and units are case-sensitive, as in scenario files.
//! `every` without `x` is an error for [`parse_regimen`] (there is no run length to
//! repeat until); [`parse_regimen_until`] repeats such a dose until the end of the run,
//! as a scenario's `every` without `count` does. [`parse_regimen_for`] adds the checks a
//! scenario makes against its model and run length (drug, route, unit kind, doses before
//! the end), with errors naming the shorthand dose.
//!
//! # Errors
//!
//! Every error names the dose as written and the part at fault, in the field
//! `dose "<text>".<part>` with `<part>` one of `drug`, `amount`, `route`, `at`, `every`,
//! `count`, `duration` (the scenario's field names):
//!
//! ```
//! use endocrine::shorthand::parse_regimen;
//!
//! let r = parse_regimen("testosterone_cypionate 200 mg im every 14 d x 8")?;
//! assert_eq!((r.doses()[0].every_h(), r.doses()[0].count()), (Some(336.0), 8));
//!
//! let e = parse_regimen("depot 100 mg orally every 2 d x 10").unwrap_err();
//! assert_eq!(
//!     e.to_string(),
//!     "`dose \"depot 100 mg orally every 2 d x 10\".route` = \"orally\" is not known; \
//!      use one of: oral, im, sc, iv, transdermal, implant"
//! );
//! # Ok::<(), endocrine::Error>(())
//! ```

use crate::engine::model::{Model, Route};
use crate::engine::regimen::{Dose, Regimen, MAX_DOSE_EVENTS};
use crate::engine::units::{self, AmountKind};
use crate::error::{Error, Result};

/// Longest dose text quoted in an error field.
const MAX_QUOTED: usize = 80;

/// Parse a regimen written in the shorthand (module docs). Every dose with `every` must
/// have `x COUNT`.
pub fn parse_regimen(text: &str) -> Result<Regimen> {
    parse(text, None)
}

/// Like [`parse_regimen`], for a run of `end_h` hours: a dose with `every` and no `x`
/// repeats until the end of the run (its last administration before `end_h`), exactly
/// as a scenario's `every` without `count`.
pub fn parse_regimen_until(text: &str, end_h: f64) -> Result<Regimen> {
    crate::error::positive("duration", end_h)?;
    parse(text, Some(end_h))
}

/// [`parse_regimen_until`] plus every check the engine makes against `model` before it
/// integrates, with errors naming the shorthand dose instead of `dose[i]`: the drug is
/// one the model doses itself or a registered drug acting on a channel the model reads,
/// the route is one of the drug's, the amount has the drug's unit kind (mg or IU), and
/// every administration is before `end_h`. What a CLI should call for `--dose`.
pub fn parse_regimen_for(model: &dyn Model, text: &str, end_h: f64) -> Result<Regimen> {
    let regimen = parse_regimen_until(text, end_h)?;
    let segments = text.split(';').map(str::trim).filter(|s| !s.is_empty());
    for (dose, segment) in regimen.doses().iter().zip(segments) {
        check_against(model, dose, &prefix_of(segment), end_h)?;
    }
    Ok(regimen)
}

/// The engine's pre-flight for one dose, with its errors naming the shorthand dose.
fn check_against(model: &dyn Model, dose: &Dose, prefix: &str, end_h: f64) -> Result<()> {
    let options = crate::engine::options::SimOptions::new(end_h, end_h)?;
    crate::engine::simulate::check(model, &Regimen::new().with(dose.clone()), &options).map_err(
        |e| {
            e.map_field(|field| match field.strip_prefix("dose[0].") {
                Some(rest) => format!("{prefix}.{rest}"),
                None => field,
            })
        },
    )
}

/// Parse one dose (no `;`). `every` needs `x COUNT`.
pub fn parse_dose(text: &str) -> Result<Dose> {
    if text.contains(';') {
        return Err(Error::invalid(
            prefix_of(text),
            "\";\"",
            "one dose only here; use parse_regimen for several doses separated by `;`",
        ));
    }
    parse_one(text.trim(), None)
}

/// The shorthand of `dose`; [`parse_dose`] reads it back to an identical [`Dose`]
/// (amounts in mg or IU and times in hours, written in Rust's shortest round-trip form).
pub fn format_dose(dose: &Dose) -> String {
    let unit = match dose.amount().kind {
        AmountKind::Mass => "mg",
        AmountKind::Activity => "IU",
    };
    let mut s = format!(
        "{} {} {} {}",
        dose.drug(),
        dose.amount().value,
        unit,
        dose.route().name()
    );
    if dose.at_h() != 0.0 {
        s.push_str(&format!(" at {} h", dose.at_h()));
    }
    if let Some(e) = dose.every_h() {
        s.push_str(&format!(" every {e} h x {}", dose.count()));
    }
    if let Some(d) = dose.duration_h() {
        s.push_str(&format!(" over {d} h"));
    }
    s
}

/// The shorthand of every dose line of `regimen`, joined by `"; "` (procedures are not
/// part of the shorthand and are left out).
pub fn format_regimen(regimen: &Regimen) -> String {
    regimen
        .doses()
        .iter()
        .map(format_dose)
        .collect::<Vec<_>>()
        .join("; ")
}

fn parse(text: &str, end_h: Option<f64>) -> Result<Regimen> {
    let mut regimen = Regimen::new();
    let mut any = false;
    for segment in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        regimen = regimen.with(parse_one(segment, end_h)?);
        any = true;
    }
    if !any {
        return Err(Error::invalid(
            "dose",
            format!("\"{}\"", text.trim()),
            "give at least one dose, e.g. \"testosterone_cypionate 200 mg im every 14 d x 8\"",
        ));
    }
    Ok(regimen)
}

fn prefix_of(segment: &str) -> String {
    let s = segment.trim();
    if s.chars().count() <= MAX_QUOTED {
        format!("dose \"{s}\"")
    } else {
        let clipped: String = s.chars().take(MAX_QUOTED - 1).collect();
        format!("dose \"{clipped}…\"")
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Keyword {
    At,
    Every,
    Times,
    Over,
}

impl Keyword {
    fn of(token: &str) -> Option<Keyword> {
        match token {
            "at" => Some(Keyword::At),
            "every" => Some(Keyword::Every),
            "x" | "×" => Some(Keyword::Times),
            "over" => Some(Keyword::Over),
            _ => None,
        }
    }
    fn word(self) -> &'static str {
        match self {
            Keyword::At => "at",
            Keyword::Every => "every",
            Keyword::Times => "x",
            Keyword::Over => "over",
        }
    }
    fn part(self) -> &'static str {
        match self {
            Keyword::At => "at",
            Keyword::Every => "every",
            Keyword::Times => "count",
            Keyword::Over => "duration",
        }
    }
}

/// `"x8"` / `"×8"`: the count glued to its keyword.
fn glued_count(token: &str) -> Option<&str> {
    let rest = token
        .strip_prefix('x')
        .or_else(|| token.strip_prefix('×'))?;
    (!rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit())).then_some(rest)
}

fn is_clause_start(token: &str) -> bool {
    Keyword::of(token).is_some() || glued_count(token).is_some()
}

const SHAPE: &str =
    "write DRUG AMOUNT ROUTE [at TIME] [every TIME x COUNT] [over TIME], e.g. \"hcg 500 IU sc every 2 d x 10\"";

fn parse_one(segment: &str, end_h: Option<f64>) -> Result<Dose> {
    let prefix = prefix_of(segment);
    let f = |part: &str| format!("{prefix}.{part}");
    let tokens: Vec<&str> = segment.split_whitespace().collect();
    if tokens.is_empty() {
        return Err(Error::invalid(
            "dose",
            "\"\"",
            format!("the dose is empty; {SHAPE}"),
        ));
    }
    let mut pos = 0usize;

    // drug
    let drug = tokens[pos];
    if !drug.chars().next().is_some_and(char::is_alphabetic)
        || !drug
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        return Err(Error::invalid(
            f("drug"),
            format!("\"{drug}\""),
            format!("a dose starts with the drug name (letters, digits, `_`); {SHAPE}"),
        ));
    }
    pos += 1;

    // amount: "200 mg" (two tokens) or "200mg" (one)
    let amount_text = match tokens.get(pos) {
        None => {
            return Err(Error::invalid(
                f("amount"),
                "(missing)",
                format!("give the amount after the drug name; {SHAPE}"),
            ))
        }
        Some(t) if t.ends_with(|c: char| c.is_ascii_digit() || c == '.') => {
            match tokens.get(pos + 1) {
                Some(u) if !is_clause_start(u) && Route::from_name(u).is_none() => {
                    pos += 2;
                    format!("{t} {u}")
                }
                _ => {
                    pos += 1;
                    t.to_string()
                }
            }
        }
        Some(t) => {
            pos += 1;
            t.to_string()
        }
    };
    let amount = units::parse_amount(&f("amount"), &amount_text)?;

    // route
    let route_text = tokens.get(pos).copied().ok_or_else(|| {
        Error::invalid(
            f("route"),
            "(missing)",
            format!(
                "give the route after the amount, one of: {}",
                Route::ALL.map(Route::name).join(", ")
            ),
        )
    })?;
    pos += 1;
    let route =
        Route::from_name(route_text).ok_or_else(|| match crate::physiology::drugs::find(drug) {
            Some(d) => Error::UnsupportedRoute {
                field: f("route"),
                drug: d.name.into(),
                route: route_text.into(),
                supported: d
                    .routes
                    .iter()
                    .map(|r| r.route.name())
                    .collect::<Vec<_>>()
                    .join(", "),
            },
            None => Error::UnknownName {
                field: f("route"),
                value: route_text.into(),
                known: Route::ALL.map(Route::name).join(", "),
            },
        })?;

    // clauses
    let mut at: Option<f64> = None;
    let mut every: Option<(f64, String)> = None;
    let mut count: Option<u64> = None;
    let mut duration: Option<f64> = None;
    while pos < tokens.len() {
        let token = tokens[pos];
        let (keyword, glued) = match (Keyword::of(token), glued_count(token)) {
            (Some(k), _) => (k, None),
            (None, Some(n)) => (Keyword::Times, Some(n)),
            (None, None) => {
                return Err(Error::invalid(
                    prefix.clone(),
                    format!("\"{token}\""),
                    format!("expected `at`, `every`, `x` or `over` here; {SHAPE}"),
                ))
            }
        };
        pos += 1;
        let field = f(keyword.part());
        let seen = match keyword {
            Keyword::At => at.is_some(),
            Keyword::Every => every.is_some(),
            Keyword::Times => count.is_some(),
            Keyword::Over => duration.is_some(),
        };
        if seen {
            return Err(Error::invalid(
                field,
                format!("\"{}\"", keyword.word()),
                "given twice; keep one",
            ));
        }
        if keyword == Keyword::Times {
            let text = match glued {
                Some(n) => n,
                None => {
                    let t = tokens.get(pos).copied().unwrap_or("(missing)");
                    pos += 1;
                    t
                }
            };
            let n: u64 = text.parse().map_err(|_| {
                Error::invalid(
                    field.clone(),
                    format!("\"{text}\""),
                    "`x` needs a whole number of doses, at least 1 (the first dose counts)",
                )
            })?;
            if n == 0 {
                return Err(Error::invalid(
                    field,
                    0,
                    "must be at least 1 (the first dose counts)",
                ));
            }
            count = Some(n);
            continue;
        }
        let start = pos;
        while pos < tokens.len() && !is_clause_start(tokens[pos]) {
            pos += 1;
        }
        if start == pos {
            return Err(Error::invalid(
                field,
                "(missing)",
                format!(
                    "`{}` needs a time, e.g. \"14 d\", \"8 h\" or \"30 min\"",
                    keyword.word()
                ),
            ));
        }
        let text = tokens[start..pos].join(" ");
        let hours = units::parse_time_h(&field, &text)?;
        match keyword {
            Keyword::At => at = Some(hours),
            Keyword::Every => {
                if hours <= 0.0 {
                    return Err(Error::invalid(
                        field,
                        format!("\"{text}\""),
                        "the interval between doses must be greater than 0",
                    ));
                }
                every = Some((hours, text));
            }
            Keyword::Over => duration = Some(hours),
            Keyword::Times => unreachable!("handled above"),
        }
    }

    let at_h = at.unwrap_or(0.0);
    let count = match (count, &every) {
        (Some(n), Some(_)) => Some(n),
        (Some(n), None) => {
            return Err(Error::CountWithoutEvery {
                field: f("count"),
                count: n,
            })
        }
        (None, None) => None,
        (None, Some((e, text))) => match end_h {
            None => {
                return Err(Error::invalid(
                    f("count"),
                    "(none)",
                    format!(
                        "`every {text}` needs `x COUNT`, the number of doses (e.g. \"every {text} x 8\")"
                    ),
                ))
            }
            // Repeat until the end of the run, as a scenario's `every` without `count`.
            Some(end) if at_h < end => {
                let n = ((end - at_h) / e * (1.0 - 1e-12)).ceil().max(1.0);
                if n > MAX_DOSE_EVENTS as f64 {
                    return Err(Error::LimitExceeded {
                        field: f("every"),
                        requested: format!("{n} administrations until the end of the run"),
                        limit: MAX_DOSE_EVENTS.to_string(),
                        hint: "lengthen `every` or give `x COUNT`".into(),
                    });
                }
                Some(n as u64)
            }
            Some(_) => Some(1),
        },
    };

    let mut dose = Dose::new(drug, route, amount, at_h).map_err(|e| reprefix(e, &prefix))?;
    if let (Some((e, _)), Some(n)) = (&every, count) {
        dose = dose.every(*e, n).map_err(|e| reprefix(e, &prefix))?;
    }
    if let Some(d) = duration {
        dose = dose.over(d).map_err(|e| reprefix(e, &prefix))?;
    }
    Ok(dose)
}

/// Rewrite the engine's `dose.x` field names as `dose "<text>".x`.
fn reprefix(e: Error, prefix: &str) -> Error {
    e.map_field(|field| match field.strip_prefix("dose.") {
        Some(rest) => format!("{prefix}.{rest}"),
        None => field,
    })
}
