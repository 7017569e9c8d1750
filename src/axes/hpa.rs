//! HPA axis. STUB: being replaced by the calibrated model (keep the public names).
#![allow(missing_docs)]

use crate::model::{Channel, Effects, Model, Observable};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Condition {
    #[default]
    Healthy,
    PrimaryAdrenalInsufficiency,
    SecondaryAdrenalInsufficiency,
}

impl Condition {
    pub const ALL: [Condition; 3] = [
        Condition::Healthy,
        Condition::PrimaryAdrenalInsufficiency,
        Condition::SecondaryAdrenalInsufficiency,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Condition::Healthy => "healthy",
            Condition::PrimaryAdrenalInsufficiency => "primary_adrenal_insufficiency",
            Condition::SecondaryAdrenalInsufficiency => "secondary_adrenal_insufficiency",
        }
    }
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HpaParams {
    pub condition: Condition,
    pub gland_mass_layer: bool,
}

impl HpaParams {
    pub fn healthy() -> Self {
        HpaParams {
            condition: Condition::Healthy,
            gland_mass_layer: false,
        }
    }
    pub fn for_condition(condition: Condition) -> Self {
        HpaParams {
            condition,
            gland_mass_layer: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hpa {
    pub params: HpaParams,
}

impl Hpa {
    pub fn new(params: HpaParams) -> Self {
        Hpa { params }
    }
}

impl Model for Hpa {
    fn name(&self) -> &str {
        "hpa"
    }
    fn state_names(&self) -> Vec<String> {
        vec!["cortisol".into()]
    }
    fn initial_state(&self) -> Vec<f64> {
        vec![10.0]
    }
    fn rhs(&self, _t_h: f64, _y: &[f64], _e: &Effects, dy: &mut [f64]) {
        dy[0] = 0.0;
    }
    fn observables(&self) -> Vec<Observable> {
        [
            "crh_pg_ml",
            "acth_pg_ml",
            "cortisol_ug_dl",
            "free_cortisol_nmol_l",
        ]
        .iter()
        .map(|c| Observable::new(c, c, ""))
        .collect()
    }
    fn observe(&self, _t_h: f64, y: &[f64], _e: &Effects, out: &mut [f64]) {
        out.fill(0.0);
        out[2] = y[0];
    }
    fn reads(&self, c: Channel) -> bool {
        matches!(
            c,
            Channel::CortisolInput
                | Channel::GlucocorticoidAgonist
                | Channel::ActhAtAdrenal
                | Channel::CrhInput
        )
    }
}
