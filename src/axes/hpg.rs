//! Male HPG axis. STUB: being replaced by the calibrated model (keep the public names).
#![allow(missing_docs)]

use crate::error::Result;
use crate::model::{Channel, Effects, Model, Observable};

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BaselineLabs {
    pub total_t_ng_dl: Option<f64>,
    pub lh_iu_l: Option<f64>,
    pub fsh_iu_l: Option<f64>,
    pub e2_pg_ml: Option<f64>,
    pub shbg_nmol_l: Option<f64>,
    pub weight_kg: Option<f64>,
    pub age_years: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HpgParams {
    pub total_t_ng_dl: f64,
}

impl HpgParams {
    pub fn healthy() -> Self {
        HpgParams {
            total_t_ng_dl: 531.0,
        }
    }
    pub fn calibrated(labs: &BaselineLabs) -> Result<Self> {
        Ok(HpgParams {
            total_t_ng_dl: labs.total_t_ng_dl.unwrap_or(531.0),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hpg {
    pub params: HpgParams,
}

impl Hpg {
    pub fn new(params: HpgParams) -> Self {
        Hpg { params }
    }
}

impl Model for Hpg {
    fn name(&self) -> &str {
        "hpg"
    }
    fn state_names(&self) -> Vec<String> {
        vec!["t".into()]
    }
    fn initial_state(&self) -> Vec<f64> {
        vec![self.params.total_t_ng_dl]
    }
    fn rhs(&self, _t_h: f64, _y: &[f64], _e: &Effects, dy: &mut [f64]) {
        dy[0] = 0.0;
    }
    fn observables(&self) -> Vec<Observable> {
        [
            "lh_iu_l",
            "fsh_iu_l",
            "total_t_ng_dl",
            "free_t_pg_ml",
            "e2_pg_ml",
            "shbg_nmol_l",
            "intratesticular_t_nmol_l",
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
            Channel::ExogenousTestosterone
                | Channel::ErAntagonism
                | Channel::ErAgonism
                | Channel::LhReceptorAgonist
                | Channel::AromataseInhibition
                | Channel::GnrhAgonist
                | Channel::GnrhAntagonist
        )
    }
    fn procedures(&self) -> Vec<&'static str> {
        vec!["orchiectomy"]
    }
}
