//! Reading the document tree: TOML or JSON into one value type, then into the schema with
//! unknown and duplicated keys refused and every wrong type named by its field path.

use super::*;

// ---------------------------------------------------------------------------------------
// The document tree: TOML and JSON are read into `Node` first, so that every error can
// name its path and every table can refuse unknown fields with the list of allowed ones.

/// A parsed TOML or JSON value.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Datetime(String),
    Array(Vec<Node>),
    /// Keys in document order (duplicates kept, to be refused).
    Table(Vec<(String, Node)>),
}

/// The key under which the `toml` crate hands a date-time to a generic visitor.
pub(super) const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a TOML or JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> std::result::Result<Node, E> {
                Ok(Node::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<Node, E> {
                Ok(Node::Int(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<Node, E> {
                Ok(Node::Int(v.into()))
            }
            fn visit_i128<E>(self, v: i128) -> std::result::Result<Node, E> {
                Ok(Node::Int(v))
            }
            fn visit_f64<E>(self, v: f64) -> std::result::Result<Node, E> {
                Ok(Node::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Node, E> {
                Ok(Node::Str(v.into()))
            }
            fn visit_string<E>(self, v: String) -> std::result::Result<Node, E> {
                Ok(Node::Str(v))
            }
            fn visit_none<E>(self) -> std::result::Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_unit<E>(self) -> std::result::Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Node, D::Error> {
                Node::deserialize(d)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Node, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = seq.next_element::<Node>()? {
                    v.push(x);
                }
                Ok(Node::Array(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Node, A::Error> {
                let mut v: Vec<(String, Node)> = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    let x = map.next_value::<Node>()?;
                    v.push((k, x));
                }
                if let [(k, Node::Str(s))] = v.as_slice() {
                    if k == TOML_DATETIME_KEY {
                        return Ok(Node::Datetime(s.clone()));
                    }
                }
                Ok(Node::Table(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl Node {
    /// What kind of value this is, for messages.
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Int(_) => "an integer",
            Node::Float(_) => "a number",
            Node::Str(_) => "a string",
            Node::Datetime(_) => "a date-time",
            Node::Array(_) => "a list",
            Node::Table(_) => "a table",
        }
    }

    /// Short rendering as written, for messages (long strings are cut).
    pub(super) fn render(&self) -> String {
        match self {
            Node::Null => "null".into(),
            Node::Bool(b) => b.to_string(),
            Node::Int(i) => i.to_string(),
            Node::Float(f) => f.to_string(),
            Node::Str(s) => format!("\"{}\"", clip(s)),
            Node::Datetime(s) => clip(s),
            Node::Array(_) => "[...]".into(),
            Node::Table(_) => "{...}".into(),
        }
    }
}

pub(super) fn clip(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(MAX).collect::<String>())
    }
}

pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

pub(super) fn wrong_type(field: &str, node: &Node, expected: &str) -> Error {
    Error::InvalidValue {
        field: field.into(),
        value: node.render(),
        reason: format!("must be {expected}, not {}", node.kind()),
    }
}

/// A table being read: unknown and duplicated keys are refused on creation.
pub(super) struct Table<'a> {
    path: String,
    entries: &'a [(String, Node)],
}

impl<'a> Table<'a> {
    pub(super) fn new(path: &str, node: &'a Node, allowed: &[&str]) -> Result<Table<'a>> {
        let Node::Table(entries) = node else {
            return Err(wrong_type(path, node, "a table"));
        };
        for (i, (k, _)) in entries.iter().enumerate() {
            if !allowed.contains(&k.as_str()) {
                return Err(unknown_field(&join(path, &clip(k)), allowed));
            }
            if entries[..i].iter().any(|(k2, _)| k2 == k) {
                return Err(Error::Parse {
                    location: format!("`{}`", join(path, k)),
                    message: "the key appears twice; keep one".into(),
                });
            }
        }
        Ok(Table {
            path: path.into(),
            entries,
        })
    }

    pub(super) fn field(&self, key: &str) -> String {
        join(&self.path, key)
    }

    pub(super) fn get(&self, key: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .filter(|v| !matches!(v, Node::Null))
    }

    pub(super) fn require(&self, key: &str) -> Result<&'a Node> {
        self.get(key).ok_or_else(|| Error::MissingField {
            field: self.field(key),
        })
    }

    pub(super) fn string(&self, key: &str) -> Result<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Node::Str(s)) => Ok(Some(s.clone())),
            Some(n) => Err(wrong_type(&self.field(key), n, "a quoted string")),
        }
    }

    pub(super) fn req_string(&self, key: &str) -> Result<String> {
        self.require(key)?;
        Ok(self.string(key)?.unwrap_or_default())
    }

    /// A quantity: a string with a unit. A bare number is a missing unit.
    pub(super) fn quantity(&self, key: &str, units: &str, example: &str) -> Result<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Node::Str(s)) => Ok(Some(s.clone())),
            Some(n @ (Node::Int(_) | Node::Float(_))) => Err(Error::InvalidUnit {
                field: self.field(key),
                value: n.render(),
                expected: format!("{units} (write a quoted string such as \"{example}\")"),
            }),
            Some(n) => Err(wrong_type(
                &self.field(key),
                n,
                &format!("a quoted quantity with a unit such as \"{example}\""),
            )),
        }
    }

    pub(super) fn req_quantity(&self, key: &str, units: &str, example: &str) -> Result<String> {
        self.require(key)?;
        Ok(self.quantity(key, units, example)?.unwrap_or_default())
    }

    pub(super) fn uint(&self, key: &str) -> Result<Option<u64>> {
        match self.get(key) {
            None => Ok(None),
            Some(Node::Int(i)) => u64::try_from(*i).map(Some).map_err(|_| {
                Error::invalid(
                    self.field(key),
                    i,
                    format!("must be a whole number from 0 to {}", u64::MAX),
                )
            }),
            Some(n) => Err(wrong_type(
                &self.field(key),
                n,
                "a whole number (no quotes)",
            )),
        }
    }

    pub(super) fn float(&self, key: &str) -> Result<Option<f64>> {
        match self.get(key) {
            None => Ok(None),
            Some(Node::Int(i)) => Ok(Some(*i as f64)),
            Some(Node::Float(f)) => Ok(Some(*f)),
            Some(n) => Err(wrong_type(&self.field(key), n, "a number (no quotes)")),
        }
    }

    pub(super) fn bool(&self, key: &str) -> Result<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Node::Bool(b)) => Ok(Some(*b)),
            Some(n) => Err(wrong_type(&self.field(key), n, "true or false")),
        }
    }

    /// `[[key]]`: a list of tables (a single table is refused with a hint).
    pub(super) fn tables(&self, key: &str) -> Result<&'a [Node]> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Node::Array(v)) => Ok(v),
            Some(n @ Node::Table(_)) => Err(Error::InvalidValue {
                field: self.field(key),
                value: n.render(),
                reason: format!(
                    "must be a list of tables: write [[{key}]] (double brackets) above each entry"
                ),
            }),
            Some(n) => Err(wrong_type(
                &self.field(key),
                n,
                "a list of tables ([[...]])",
            )),
        }
    }
}

pub(super) fn read_scenario(node: &Node) -> Result<Scenario> {
    let top = Table::new("", node, TOP_FIELDS)?;
    let axis_name = top.req_string("axis")?;
    let axis = Axis::from_name(&axis_name).ok_or_else(|| Error::UnknownName {
        field: "axis".into(),
        value: clip(&axis_name),
        known: Axis::ALL.map(Axis::name).join(", "),
    })?;
    let duration = top.req_quantity("duration", TIME_UNITS, "120 d")?;
    let output_every = top.req_quantity("output_every", TIME_UNITS, "1 h")?;

    let subject = match top.get("subject") {
        None => None,
        Some(n) => Some(read_subject(axis, n)?),
    };

    let mut doses = Vec::new();
    for (i, n) in top.tables("dose")?.iter().enumerate() {
        let t = Table::new(&format!("dose[{i}]"), n, DOSE_FIELDS)?;
        doses.push(DoseLine {
            drug: t.req_string("drug")?,
            route: t.req_string("route")?,
            amount: t.req_quantity("amount", AMOUNT_UNITS, "100 mg")?,
            at: t.req_quantity("at", TIME_UNITS, "8 h")?,
            every: t.quantity("every", TIME_UNITS, "1 d")?,
            count: t.uint("count")?,
            duration: t.quantity("duration", TIME_UNITS, "30 min")?,
            steady_state: t.bool("steady_state")?,
        });
    }

    let mut procedures = Vec::new();
    for (i, n) in top.tables("procedure")?.iter().enumerate() {
        let t = Table::new(&format!("procedure[{i}]"), n, PROCEDURE_FIELDS)?;
        procedures.push(ProcedureLine {
            name: t.req_string("name")?,
            at: t.req_quantity("at", TIME_UNITS, "60 d")?,
        });
    }

    let mut labs = Vec::new();
    for (i, n) in top.tables("lab")?.iter().enumerate() {
        let t = Table::new(&format!("lab[{i}]"), n, LAB_FIELDS)?;
        let assays_node = t.require("assays")?;
        let Node::Array(items) = assays_node else {
            return Err(wrong_type(
                &t.field("assays"),
                assays_node,
                "a list of assay names such as [\"total_t\", \"lh\"]",
            ));
        };
        let mut assays = Vec::new();
        for (j, a) in items.iter().enumerate() {
            match a {
                Node::Str(s) => assays.push(s.clone()),
                n => {
                    return Err(wrong_type(
                        &format!("{}[{j}]", t.field("assays")),
                        n,
                        "a quoted assay name",
                    ))
                }
            }
        }
        labs.push(LabLine {
            at: t.req_quantity("at", TIME_UNITS, "7 d 8 h")?,
            every: t.quantity("every", TIME_UNITS, "7 d")?,
            count: t.uint("count")?,
            assays,
        });
    }

    let population = match top.get("population") {
        None => None,
        Some(n) => {
            let t = Table::new("population", n, POPULATION_FIELDS)?;
            let mut variability = BTreeMap::new();
            if let Some(v) = t.get("variability") {
                let Node::Table(entries) = v else {
                    return Err(wrong_type("population.variability", v, "a table"));
                };
                let names: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
                let vt = Table::new("population.variability", v, &names)?;
                for (k, _) in entries {
                    let cv = vt.req_quantity(k, "%", "25 %")?;
                    variability.insert(k.clone(), cv);
                }
            }
            Some(Population {
                n: t.uint("n")?,
                seed: t.uint("seed")?,
                variability,
            })
        }
    };

    let solver = match top.get("solver") {
        None => None,
        Some(n) => {
            let t = Table::new("solver", n, SOLVER_FIELDS)?;
            let max_steps = match t.uint("max_steps")? {
                None => None,
                Some(m) => Some(u32::try_from(m).map_err(|_| {
                    Error::invalid(
                        "solver.max_steps",
                        m,
                        format!("must be at most {}", u32::MAX),
                    )
                })?),
            };
            Some(Solver {
                rtol: t.float("rtol")?,
                atol: t.float("atol")?,
                max_steps,
                max_step: t.quantity("max_step", TIME_UNITS, "1 h")?,
                method: t.string("method")?,
            })
        }
    };

    let mut titrations = Vec::new();
    for (i, n) in top.tables("titration")?.iter().enumerate() {
        let t = Table::new(&format!("titration[{i}]"), n, TITRATION_FIELDS)?;
        let quantities = |key: &str, units: &str, example: &str| -> Result<Vec<String>> {
            let Some(node) = t.get(key) else {
                return Ok(Vec::new());
            };
            let Node::Array(items) = node else {
                return Err(wrong_type(
                    &t.field(key),
                    node,
                    &format!("a list of quoted quantities such as [\"{example}\"]"),
                ));
            };
            items
                .iter()
                .enumerate()
                .map(|(j, x)| match x {
                    Node::Str(s) => Ok(s.clone()),
                    n @ (Node::Int(_) | Node::Float(_)) => Err(Error::InvalidUnit {
                        field: format!("{}[{j}]", t.field(key)),
                        value: n.render(),
                        expected: format!("{units} (write a quoted string such as \"{example}\")"),
                    }),
                    n => Err(wrong_type(
                        &format!("{}[{j}]", t.field(key)),
                        n,
                        &format!("a quoted quantity such as \"{example}\""),
                    )),
                })
                .collect()
        };
        t.require("check_at")?;
        titrations.push(TitrationLine {
            drug: t.req_string("drug")?,
            dose_line: t.uint("dose_line")?,
            assay: t.req_string("assay")?,
            pre_dose: t.quantity("pre_dose", TIME_UNITS, "0 h")?,
            post_dose: t.quantity("post_dose", TIME_UNITS, "6 h")?,
            check_at: quantities("check_at", TIME_UNITS, "14 d")?,
            low: t.quantity("low", "the assay's units", "350 ng/dL")?,
            high: t.quantity("high", "the assay's units", "750 ng/dL")?,
            step: t.quantity("step", AMOUNT_UNITS, "20.25 mg")?,
            levels: quantities("levels", AMOUNT_UNITS, "158 mg")?,
            min: t.quantity("min", AMOUNT_UNITS, "20.25 mg")?,
            max: t.quantity("max", AMOUNT_UNITS, "81 mg")?,
            min_interval: t.quantity("min_interval", TIME_UNITS, "14 d")?,
            inverse: t.bool("inverse")?,
        });
    }

    let mut measured = Vec::new();
    for (i, n) in top.tables("measured")?.iter().enumerate() {
        let t = Table::new(&format!("measured[{i}]"), n, MEASURED_FIELDS)?;
        measured.push(MeasuredLine {
            assay: t.req_string("assay")?,
            at: t.req_quantity("at", TIME_UNITS, "28 d 8 h")?,
            value: t.req_quantity("value", "the assay's units", "310 ng/dL")?,
        });
    }

    let propose = match top.get("propose") {
        None => None,
        Some(n) => {
            let t = Table::new("propose", n, PROPOSE_FIELDS)?;
            let strings = |key: &str, example: &str| -> Result<Vec<String>> {
                let Some(node) = t.get(key) else {
                    return Ok(Vec::new());
                };
                let Node::Array(items) = node else {
                    return Err(wrong_type(
                        &t.field(key),
                        node,
                        &format!("a list of quoted strings such as [\"{example}\"]"),
                    ));
                };
                items
                    .iter()
                    .enumerate()
                    .map(|(j, x)| match x {
                        Node::Str(s) => Ok(s.clone()),
                        n => Err(wrong_type(
                            &format!("{}[{j}]", t.field(key)),
                            n,
                            &format!("a quoted string such as \"{example}\""),
                        )),
                    })
                    .collect()
            };
            Some(ProposeTable {
                dose_line: t.uint("dose_line")?,
                every: strings("every", "14 d")?,
                levels: strings("levels", "100 mg")?,
                target: strings("target", "total_t 400..800 ng/dL")?,
                samples: t.uint("samples")?,
                seed: t.uint("seed")?,
            })
        }
    };

    let fit_settings = match top.get("fit") {
        None => None,
        Some(n) => {
            let t = Table::new("fit", n, FIT_FIELDS)?;
            Some(FitTable {
                residual: t.string("residual")?,
            })
        }
    };

    Ok(Scenario {
        axis,
        duration,
        output_every,
        subject,
        doses,
        procedures,
        labs,
        population,
        solver,
        titrations,
        measured,
        propose,
        fit_settings,
    })
}

pub(super) fn read_subject(axis: Axis, node: &Node) -> Result<Subject> {
    let allowed = axis.subject_fields();
    let t = Table::new("subject", node, allowed)?;
    let conc = |k: &str, units: &str, ex: &str| t.quantity(k, units, ex);
    Ok(Subject {
        total_t: conc("total_t", "ng/dL, ng/mL, nmol/L", "350 ng/dL")?,
        lh: conc("lh", "IU/L, mIU/mL", "4.0 IU/L")?,
        fsh: conc("fsh", "IU/L, mIU/mL", "5.0 IU/L")?,
        e2: conc("e2", "pg/mL, pmol/L", "25 pg/mL")?,
        shbg: conc("shbg", "nmol/L", "35 nmol/L")?,
        weight: conc("weight", "kg, lb", "85 kg")?,
        age: conc("age", "yr", "45 yr")?,
        condition: t.string("condition")?,
        gland_mass: t.bool("gland_mass")?,
        residual_thyroid_function: conc("residual_thyroid_function", "%", "0 %")?,
        thyrosim: t.string("thyrosim")?,
        sex: t.string("sex")?,
        height: conc("height", "cm, m, in", "170 cm")?,
        factors: {
            let mut f = BTreeMap::new();
            for &name in allowed.iter().filter(|n| n.ends_with("_factor")) {
                if let Some(v) = t.float(name)? {
                    f.insert(name.to_string(), v);
                }
            }
            f
        },
    })
}
