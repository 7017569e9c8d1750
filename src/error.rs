//! The crate's single error type.
//!
//! Every variant names the field or value at fault and what to change, so that a
//! scenario author can fix the file from the one-line message alone.

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong before or around a simulation.
///
/// A solver that stops early is *not* an error: it is reported in
/// [`crate::Trajectory::outcome`] together with the time reached.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A numeric value is out of its allowed range (negative, zero, NaN, infinite, too large).
    #[error("`{field}` = {value}: {reason}")]
    InvalidValue {
        /// Field or parameter name.
        field: String,
        /// The offending value as written.
        value: String,
        /// What is allowed instead.
        reason: String,
    },
    /// A quantity string has no unit, an unknown unit, or a unit of the wrong kind.
    #[error(
        "`{field}` = \"{value}\": expected a number followed by one of these units: {expected}"
    )]
    InvalidUnit {
        /// Field name.
        field: String,
        /// The string as written.
        value: String,
        /// The units accepted for this field.
        expected: String,
    },
    /// The drug name is not in the registry (see `endocrine drugs`).
    #[error("unknown drug \"{name}\" in `{field}`; known drugs: {known}")]
    UnknownDrug {
        /// Field name.
        field: String,
        /// Name as written.
        name: String,
        /// Comma-separated list of known drugs.
        known: String,
    },
    /// The drug exists but cannot be given by this route.
    #[error("`{field}`: {drug} cannot be given by route \"{route}\"; use one of: {supported}")]
    UnsupportedRoute {
        /// Field name.
        field: String,
        /// Drug name.
        drug: String,
        /// Route as written.
        route: String,
        /// Routes this drug has.
        supported: String,
    },
    /// The drug acts on effect channels that this model does not read.
    #[error("`{field}`: {drug} acts through {channels}, which the {model} model does not read; use a model of the axis it acts on")]
    DrugNotOnModel {
        /// Field name.
        field: String,
        /// Drug name.
        drug: String,
        /// Channels the drug drives.
        channels: String,
        /// Model name.
        model: String,
    },
    /// A procedure name is unknown to the model.
    #[error("`{field}`: unknown procedure \"{name}\" for the {model} model; known: {known}")]
    UnknownProcedure {
        /// Field name.
        field: String,
        /// Procedure as written.
        name: String,
        /// Model name.
        model: String,
        /// Known procedures.
        known: String,
    },
    /// A dose or procedure is scheduled at or after the end of the simulation.
    #[error("`{field}`: scheduled at {at_h} h, at or after the end of the run ({end_h} h); lengthen `duration` or move it earlier")]
    AfterEnd {
        /// Field name.
        field: String,
        /// Scheduled time in hours.
        at_h: f64,
        /// End of the run in hours.
        end_h: f64,
    },
    /// `count` was given without `every`.
    #[error("`{field}`: `count` = {count} needs `every` (the interval between doses)")]
    CountWithoutEvery {
        /// Field name.
        field: String,
        /// The count as written.
        count: u64,
    },
    /// A field that is not part of the scenario format.
    #[error("unknown field `{field}`; allowed here: {allowed}")]
    UnknownField {
        /// Field path.
        field: String,
        /// Allowed field names.
        allowed: String,
    },
    /// A required field is absent.
    #[error("missing field `{field}`")]
    MissingField {
        /// Field path.
        field: String,
    },
    /// The scenario document cannot be read as TOML/JSON or has the wrong shape.
    #[error("scenario {location}: {message}")]
    Parse {
        /// File or line/column.
        location: String,
        /// What the parser said.
        message: String,
    },
    /// The scenario file is empty.
    #[error("scenario {path} is empty: it needs at least `axis`, `duration` and `output_every`")]
    EmptyScenario {
        /// Path of the file.
        path: String,
    },
    /// A name (axis, condition, column, assay) is not one of the known ones.
    #[error("`{field}` = \"{value}\" is not known; use one of: {known}")]
    UnknownName {
        /// Field name.
        field: String,
        /// Value as written.
        value: String,
        /// Known values.
        known: String,
    },
    /// A resource limit would be exceeded (rows, doses, horizon, states).
    #[error("`{field}`: {requested} exceeds the limit of {limit}; {hint}")]
    LimitExceeded {
        /// Field name.
        field: String,
        /// What was requested.
        requested: String,
        /// The documented limit.
        limit: String,
        /// What to change.
        hint: String,
    },
    /// Baseline labs that no parameter set of the model can reproduce.
    #[error("cannot calibrate the subject to `{field}` = {value}: {reason}")]
    Calibration {
        /// Lab name.
        field: String,
        /// Lab value.
        value: String,
        /// Why.
        reason: String,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {message}")]
    Io {
        /// Path.
        path: String,
        /// OS message.
        message: String,
    },
}

/// `text` on one line: control characters (a newline in a value as written, say) escaped
/// as `\n`, `\t`, `\u{1b}`. The command line prints every error this way, and the Python
/// binding raises it, so both show the same line.
pub fn one_line(text: &str) -> String {
    let mut line = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            line.extend(c.escape_default());
        } else {
            line.push(c);
        }
    }
    line
}

impl Error {
    /// The message on one line ([`one_line`]), as `endocrine` prints it after `error: `.
    pub fn one_line(&self) -> String {
        one_line(&self.to_string())
    }

    /// The field at fault, for the variants that name one (`dose[0].amount`,
    /// `subject.total_t`, …).
    pub fn field(&self) -> Option<&str> {
        use Error::*;
        match self {
            InvalidValue { field, .. }
            | InvalidUnit { field, .. }
            | UnknownDrug { field, .. }
            | UnsupportedRoute { field, .. }
            | DrugNotOnModel { field, .. }
            | UnknownProcedure { field, .. }
            | AfterEnd { field, .. }
            | CountWithoutEvery { field, .. }
            | UnknownField { field, .. }
            | MissingField { field }
            | UnknownName { field, .. }
            | LimitExceeded { field, .. }
            | Calibration { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The same error with its field name rewritten by `f` (e.g. the engine's `dose[0].at`
    /// as a scenario's `dose[3].at` or a shorthand's `dose "…".at`).
    pub fn map_field(self, f: impl FnOnce(String) -> String) -> Error {
        use Error::*;
        match self {
            InvalidValue {
                field,
                value,
                reason,
            } => InvalidValue {
                field: f(field),
                value,
                reason,
            },
            InvalidUnit {
                field,
                value,
                expected,
            } => InvalidUnit {
                field: f(field),
                value,
                expected,
            },
            UnknownDrug { field, name, known } => UnknownDrug {
                field: f(field),
                name,
                known,
            },
            UnsupportedRoute {
                field,
                drug,
                route,
                supported,
            } => UnsupportedRoute {
                field: f(field),
                drug,
                route,
                supported,
            },
            DrugNotOnModel {
                field,
                drug,
                channels,
                model,
            } => DrugNotOnModel {
                field: f(field),
                drug,
                channels,
                model,
            },
            UnknownProcedure {
                field,
                name,
                model,
                known,
            } => UnknownProcedure {
                field: f(field),
                name,
                model,
                known,
            },
            AfterEnd { field, at_h, end_h } => AfterEnd {
                field: f(field),
                at_h,
                end_h,
            },
            CountWithoutEvery { field, count } => CountWithoutEvery {
                field: f(field),
                count,
            },
            UnknownField { field, allowed } => UnknownField {
                field: f(field),
                allowed,
            },
            MissingField { field } => MissingField { field: f(field) },
            UnknownName {
                field,
                value,
                known,
            } => UnknownName {
                field: f(field),
                value,
                known,
            },
            LimitExceeded {
                field,
                requested,
                limit,
                hint,
            } => LimitExceeded {
                field: f(field),
                requested,
                limit,
                hint,
            },
            Calibration {
                field,
                value,
                reason,
            } => Calibration {
                field: f(field),
                value,
                reason,
            },
            e @ (Parse { .. } | EmptyScenario { .. } | Io { .. }) => e,
        }
    }

    /// Shorthand for [`Error::InvalidValue`].
    pub(crate) fn invalid(
        field: impl Into<String>,
        value: impl ToString,
        reason: impl Into<String>,
    ) -> Self {
        Error::InvalidValue {
            field: field.into(),
            value: value.to_string(),
            reason: reason.into(),
        }
    }
}

/// Check that `value` is finite and `> 0`.
pub(crate) fn positive(field: &str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(Error::invalid(
            field,
            value,
            "must be a finite number greater than 0",
        ))
    }
}

/// Check that `value` is finite and `>= 0`.
pub(crate) fn non_negative(field: &str, value: f64) -> Result<f64> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(Error::invalid(
            field,
            value,
            "must be a finite number, 0 or greater",
        ))
    }
}
