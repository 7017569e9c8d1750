//! Hypothalamic–pituitary–adrenal axis: CRH → ACTH → cortisol with a circadian drive,
//! cortisol feedback, CBG-bound cortisol disposition and four drug channels.
//!
//! Research and education only; not medical advice.
//!
//! # Structure
//!
//! Bangsgaard & Ottesen 2017 (*Math Biosci* 287:24; equations as transcribed in VeVaPy,
//! `shared/research/models.md` §2.1), in hours with t = 0 at midnight, with three changes
//! (each below, with why):
//!
//! ```text
//! c(t)  = N_c·[ t_m^k/(t_m^k + α^k) · (24 − t_m)^l/((24 − t_m)^l + β^l) + ε ],  t_m = (t − δ) mod 24 h
//! dx/dt = a0 + c(t)·g1·x/(μ + x) / (1 + (z_fb/K1)²) − w1·x                      CRH, pg/mL
//! dy/dt = P·g3·(x + x_exo) / (1 + z_fb/K3) − w2·y                               ACTH, pg/mL
//! dA/dt = Q·S(y + y_cos) + R_hc − CL_u·U(A)                                      body cortisol, mg
//! S(y)  = S_max·y² / (EC50² + y²)
//! z_fb  = U·(1 + N + G·K) (as µg/dL) + z_dex
//! ```
//!
//! 1. **Feedback constants.** BO's `a1/(1 + a2·z²)` and `a3/(1 + a4·z)` have a2 = 1.78e9,
//!    a4 = 1.77e5: pure power laws at every physiological cortisol, which send CRH and ACTH
//!    to ~1e12 when cortisol is absent (primary adrenal insufficiency). They are written
//!    `g1/(1 + (z/K1)²)` and `g3/(1 + z/K3)` with finite K1, K3 calibrated to the ACTH of
//!    untreated primary adrenal insufficiency.
//! 2. **Saturating adrenal.** BO's `a5·y²` is unbounded; `S_max·y²/(EC50² + y²)` has the
//!    same quadratic start and the maximal secretion rate measured with 250 µg
//!    cosyntropin (CSR_max, pk-parameters.md P27; models.md §4.2 item 1).
//! 3. **Cortisol disposition with CBG.** BO's one-pool cortisol (t½ 29 min) is replaced
//!    by a body amount A split at binding equilibrium between CBG-bound cortisol in a
//!    volume V_p and free + albumin-bound cortisol in V_d; only free cortisol U is
//!    cleared (CL_u). Total serum cortisol is Coolens' T = U·(1 + N) + G·K·U/(1 + K·U).
//!    At low concentration this is linear with t½ 66 min (P22); as CBG saturates
//!    (> ~550 nmol/L, P28) the free fraction, the apparent volume and the clearance rise,
//!    which is the non-linear hydrocortisone PK of P91 (CL 12.5 → 17.6 L/h, Vss 20.7 →
//!    37.5 L from 5 to 40 mg iv) without a drug-specific rule. In size it is not: with the
//!    low-concentration clearance set from the production rate (P24) the model clears 5 mg
//!    iv at 10.7 L/h and 40 mg at 24.5 L/h, and 5 mg oral granules at 9.3 L/h where H18
//!    measured 16 L/h; at physiological levels it matches the isotope MCR of De Lacerda,
//!    Kowarski & Migeon ("Diurnal variation of the metabolic clearance rate of cortisol":
//!    11.2 L/h at 10.9 µg/dL, 6.8 L/h at 3.3 µg/dL at 1.8 m²; model 9.6 and 7.3), see
//!    docs/calibration.md "Session 8". Feedback reads free
//!    cortisol, expressed as the total cortisol that would carry it at unsaturated CBG
//!    (so z_fb = T in the physiological range).
//!
//! # Drug channels
//!
//! - [`Channel::CortisolInput`] (mg/h): absorbed hydrocortisone enters A, so it is
//!   measured in `cortisol_ug_dl` and feeds back. Intravenous hydrocortisone is taken by
//!   [`Model::dose_target`] straight into A.
//! - [`Channel::GlucocorticoidAgonist`] (cortisol-equivalent µg/dL): added to z_fb only
//!   (dexamethasone: never in the cortisol column).
//! - [`Channel::ActhAtAdrenal`] (ACTH-equivalent pg/mL): added to y in S only
//!   (cosyntropin acts at the adrenal, not at the pituitary).
//! - [`Channel::CrhInput`] (pg/mL in the units of the CRH state, i.e. CRH at the
//!   pituitary): added to x in the ACTH equation only.
//!
//! # Conditions
//!
//! `primary_adrenal_insufficiency`: Q = 0 (no adrenal output; ACTH rises);
//! `secondary_adrenal_insufficiency`: P = 0 (no ACTH; cortisol only from drugs).
//!
//! # Slow gland-mass layer (optional, off by default)
//!
//! With [`HpaParams::gland_mass_layer`], two states from Karin et al. 2020 (*Mol Syst
//! Biol* 16:e9510; models.md §2.2) multiply ACTH secretion (corticotroph mass M_P) and
//! adrenal secretion (adrenal mass M_A):
//! `dM_P/dt = γ_P·M_P·(x/x̄ − 1)`, `dM_A/dt = γ_A·M_A·(y/ȳ − 1)`, γ_P = ln2/20 d,
//! γ_A = ln2/30 d (Karin's turnover), where x̄, ȳ are the 24-h means of CRH and ACTH on
//! the healthy cycle (so both masses are 1 on it). Weeks of glucocorticoid suppress ACTH,
//! the adrenal atrophies and recovery after stopping takes weeks.
//!
//! # Initial state
//!
//! [`Hpa::new`] computes the entrained cycle at midnight once per parameter set by a
//! burn-in of whole days at rtol 1e-11 until one day changes no hormone state by more
//! than 1e-10 relative (the cycle contracts by ~1e-6 per day), so a run starts on its
//! cycle. The gland masses, whose mode is neutral (Karin's dynamical compensation), start
//! at exactly 1.
//!
//! # Calibration
//!
//! The values marked "own calibration" were fitted jointly (Python prototype,
//! `/work/notes/hpa-calibration.md`) to: H1 (serum cortisol peak 15.5 µg/dL at 08:32,
//! nadir < 2.0 µg/dL), H2 (rise before waking), H5 (ACTH 10–60 pg/mL at 07–10 h, 6–30 at
//! 20–22 h), P24 (production 9.9 mg/day), and the ACTH of untreated primary adrenal
//! insufficiency (> 2× the upper reference limit, Bornstein 2016 guideline \[R\]) without
//! ultradian relaxation oscillations.

use crate::engine::model::{Channel, DoseTarget, Effects, Model, Observable, Route};
use crate::engine::options::SimOptions;
use crate::engine::regimen::Regimen;
use crate::engine::units::{AmountKind, CORTISOL_NMOL_L_PER_UG_DL};
use crate::error::Result;
use std::f64::consts::LN_2;

/// Scale of the CRH and ACTH states: the solver sees pg/mL / 10 (O(0.1–100)).
const HORMONE_SCALE_PG_ML: f64 = 10.0;
/// Molar mass of cortisol, g/mol (C21H30O5).
const CORTISOL_G_MOL: f64 = 362.46;
/// nmol of cortisol per mg.
const NMOL_PER_MG: f64 = 1e6 / CORTISOL_G_MOL;

/// State indices.
const CRH: usize = 0;
const ACTH: usize = 1;
const CORT: usize = 2;
const MASS_P: usize = 3;
const MASS_A: usize = 4;

/// A subject's condition.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Condition {
    /// Healthy adult.
    #[default]
    Healthy,
    /// Primary adrenal insufficiency (Addison's disease): adrenal capacity 0.
    PrimaryAdrenalInsufficiency,
    /// Secondary adrenal insufficiency (ACTH deficiency): pituitary capacity 0.
    SecondaryAdrenalInsufficiency,
}

impl Condition {
    /// Every condition.
    pub const ALL: [Condition; 3] = [
        Condition::Healthy,
        Condition::PrimaryAdrenalInsufficiency,
        Condition::SecondaryAdrenalInsufficiency,
    ];
    /// Scenario name.
    pub fn name(self) -> &'static str {
        match self {
            Condition::Healthy => "healthy",
            Condition::PrimaryAdrenalInsufficiency => "primary_adrenal_insufficiency",
            Condition::SecondaryAdrenalInsufficiency => "secondary_adrenal_insufficiency",
        }
    }
    /// Parse a scenario name.
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == s)
    }
}

/// Parameters of the HPA axis. Defaults ([`HpaParams::healthy`]) cite their sources.
#[derive(Debug, Clone, PartialEq)]
pub struct HpaParams {
    /// The subject's condition (sets the two capacities).
    pub condition: Condition,
    /// Switch on the slow gland-mass layer (two extra states).
    pub gland_mass_layer: bool,

    /// N_c, circadian drive amplitude: 0.5217 (BO 2017, patient f).
    pub circadian_amplitude: f64,
    /// k, rising Hill exponent of c(t): 5 (BO 2017).
    pub circadian_rise_exponent: f64,
    /// l, falling Hill exponent of c(t): 6 (BO 2017).
    pub circadian_fall_exponent: f64,
    /// α, h: 4.879, own calibration to H1/H2 (BO 300 min = 5.0 h).
    pub circadian_alpha_h: f64,
    /// β, h: 24.19, own calibration to H1/H2 (BO 950 min = 15.8 h).
    pub circadian_beta_h: f64,
    /// ε, floor of c(t): 0.0101, own calibration (BO 0.01).
    pub circadian_floor: f64,
    /// δ, phase of c(t), h: 1.274, own calibration to the H1 peak time (BO 83.8 min).
    pub circadian_phase_h: f64,

    /// a0, basal CRH secretion, pg/mL/h: 0.6621, own calibration to H5 evening ACTH
    /// (BO 3.9e-4 /min in its units).
    pub crh_basal_pg_ml_h: f64,
    /// g1, circadian CRH secretion gain, pg/mL/h: 31 120, own calibration (H1 with the
    /// ACTH ceiling of primary adrenal insufficiency).
    pub crh_gain_pg_ml_h: f64,
    /// μ, half-saturation of CRH self-up-regulation, pg/mL: 547, own calibration (BO 583).
    pub crh_self_half_sat_pg_ml: f64,
    /// K1, cortisol feedback constant on CRH (quadratic), µg/dL: 20.58, own calibration.
    pub crh_feedback_ug_dl: f64,
    /// w1, CRH elimination, 1/h: 2.022 (BO 0.0337/min, t½ 20.6 min).
    pub crh_elimination_per_h: f64,

    /// g3, CRH → ACTH gain, 1/h: 22.30, own calibration to H1/H5.
    pub acth_gain_per_h: f64,
    /// K3, cortisol feedback constant on ACTH, µg/dL: 9.921, own calibration.
    pub acth_feedback_ug_dl: f64,
    /// w2, ACTH elimination, 1/h: 1.23 (BO 0.0205/min, t½ 33.8 min; P18 gives 10–15 min
    /// for injected ACTH; BO's value was fitted with its structure and is kept).
    pub acth_elimination_per_h: f64,

    /// S_max, maximal adrenal cortisol secretion, mg/h: 5.977 = CSR_max 0.44 nmol/L/s
    /// (P27, 250 µg cosyntropin in 21 adults) × 10.41 L, the low-concentration volume
    /// of total cortisol (V_low = CL_low/k, k = ln2/66 min).
    pub adrenal_max_mg_h: f64,
    /// EC50 of ACTH on the adrenal, pg/mL: 38.18, own calibration to H1 amplitude and
    /// P24 production.
    pub adrenal_ec50_acth_pg_ml: f64,
    /// Q, adrenal capacity (1 healthy; 0 in primary adrenal insufficiency).
    pub adrenal_capacity: f64,
    /// P, pituitary capacity (1 healthy; 0 in secondary adrenal insufficiency).
    pub pituitary_capacity: f64,

    /// G, CBG binding sites, nmol/L: 700 (≈ 36 mg/L, inside 14.9–67.1 mg/L, Lewis 2003
    /// as cited in the P28 source; gives CBG saturation above ~550 nmol/L, P28).
    pub cbg_nmol_l: f64,
    /// K, CBG affinity, L/nmol: 0.03 (3·10⁷ /M, Coolens 1987 \[R\]).
    pub cbg_affinity_l_nmol: f64,
    /// N, albumin-bound to free ratio: 1.74 (Coolens 1987 \[R\]).
    pub albumin_ratio: f64,
    /// V_p, volume of the CBG-bound pool, L: 3.0 (plasma volume \[R\]).
    pub cbg_volume_l: f64,
    /// V_d, volume of free + albumin-bound cortisol, L: 67.2, from t½ 66 min at low
    /// concentration (P22) given CL_u.
    pub free_volume_l: f64,
    /// CL_u, clearance of free cortisol, L/h: 155.7 = total clearance at low
    /// concentration 6.56 L/h (own calibration to P24, 10 mg/day on the H1 cycle) ×
    /// (1 + N + G·K).
    pub free_clearance_l_h: f64,

    /// γ_P, corticotroph-mass turnover, 1/h: ln2/(20 d) (Karin 2020).
    pub pituitary_mass_rate_per_h: f64,
    /// γ_A, adrenal-mass turnover, 1/h: ln2/(30 d) (Karin 2020).
    pub adrenal_mass_rate_per_h: f64,
}

impl HpaParams {
    /// Healthy adult (defaults documented field by field).
    pub fn healthy() -> Self {
        HpaParams {
            condition: Condition::Healthy,
            gland_mass_layer: false,
            circadian_amplitude: 0.5217,
            circadian_rise_exponent: 5.0,
            circadian_fall_exponent: 6.0,
            circadian_alpha_h: 4.879,
            circadian_beta_h: 24.19,
            circadian_floor: 0.0101,
            circadian_phase_h: 1.274,
            crh_basal_pg_ml_h: 0.6621,
            crh_gain_pg_ml_h: 31_120.0,
            crh_self_half_sat_pg_ml: 547.0,
            crh_feedback_ug_dl: 20.58,
            crh_elimination_per_h: 0.0337 * 60.0,
            acth_gain_per_h: 22.30,
            acth_feedback_ug_dl: 9.921,
            acth_elimination_per_h: 0.0205 * 60.0,
            adrenal_max_mg_h: 5.977,
            adrenal_ec50_acth_pg_ml: 38.18,
            adrenal_capacity: 1.0,
            pituitary_capacity: 1.0,
            cbg_nmol_l: 700.0,
            cbg_affinity_l_nmol: 0.03,
            albumin_ratio: 1.74,
            cbg_volume_l: 3.0,
            free_volume_l: 67.2,
            free_clearance_l_h: 155.7,
            pituitary_mass_rate_per_h: LN_2 / (20.0 * 24.0),
            adrenal_mass_rate_per_h: LN_2 / (30.0 * 24.0),
        }
    }

    /// Defaults for `condition`: primary adrenal insufficiency sets the adrenal
    /// capacity to 0, secondary the pituitary capacity to 0.
    pub fn for_condition(condition: Condition) -> Self {
        let mut p = HpaParams::healthy();
        p.condition = condition;
        match condition {
            Condition::Healthy => {}
            Condition::PrimaryAdrenalInsufficiency => p.adrenal_capacity = 0.0,
            Condition::SecondaryAdrenalInsufficiency => p.pituitary_capacity = 0.0,
        }
        p
    }

    /// Total cortisol clearance at low (unsaturated) concentration, L/h.
    pub fn cortisol_clearance_low_l_h(&self) -> f64 {
        self.free_clearance_l_h / self.unsaturated_binding()
    }

    /// Total-cortisol half-life at low concentration, h (66 min with the defaults, P22).
    pub fn cortisol_half_life_low_h(&self) -> f64 {
        let g_k = self.cbg_nmol_l * self.cbg_affinity_l_nmol;
        let v = self.cbg_volume_l * g_k + self.free_volume_l * (1.0 + self.albumin_ratio);
        LN_2 * v / self.free_clearance_l_h
    }

    /// Total per free cortisol at unsaturated CBG, 1 + N + G·K.
    fn unsaturated_binding(&self) -> f64 {
        1.0 + self.albumin_ratio + self.cbg_nmol_l * self.cbg_affinity_l_nmol
    }

    /// Free cortisol, nmol/L, from the body amount, mg (positive root of the binding
    /// quadratic, written in the cancellation-free form).
    #[inline]
    fn free_nmol_l(&self, amount_mg: f64) -> f64 {
        let a_nmol = amount_mg.max(0.0) * NMOL_PER_MG;
        let c = self.free_volume_l * (1.0 + self.albumin_ratio);
        let qa = c * self.cbg_affinity_l_nmol;
        let qb = c + self.cbg_volume_l * self.cbg_nmol_l * self.cbg_affinity_l_nmol
            - a_nmol * self.cbg_affinity_l_nmol;
        let disc = (qb * qb + 4.0 * qa * a_nmol).sqrt();
        if qb >= 0.0 {
            2.0 * a_nmol / (qb + disc)
        } else {
            (disc - qb) / (2.0 * qa)
        }
    }

    /// Total serum cortisol, nmol/L, from free cortisol, nmol/L (Coolens form).
    #[inline]
    fn total_nmol_l(&self, free: f64) -> f64 {
        let k = self.cbg_affinity_l_nmol;
        free * (1.0 + self.albumin_ratio) + self.cbg_nmol_l * k * free / (1.0 + k * free)
    }

    /// Circadian drive c(t).
    #[inline]
    fn circadian(&self, t_h: f64) -> f64 {
        let tm = (t_h - self.circadian_phase_h).rem_euclid(24.0);
        let rise = tm.powf(self.circadian_rise_exponent);
        let a = rise / (rise + self.circadian_alpha_h.powf(self.circadian_rise_exponent));
        let fall = (24.0 - tm).powf(self.circadian_fall_exponent);
        let b = fall / (fall + self.circadian_beta_h.powf(self.circadian_fall_exponent));
        self.circadian_amplitude * (a * b + self.circadian_floor)
    }
}

/// The gland-mass references (24-h means of CRH and ACTH on the healthy cycle, in
/// state units) and the number of states.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Layout {
    n: usize,
    crh_mean: f64,
    acth_mean: f64,
}

/// The HPA axis model (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct Hpa {
    params: HpaParams,
    layout: Layout,
    start: Vec<f64>,
}

/// The equations with a given start and layout, for the burn-in.
struct Core<'a> {
    params: &'a HpaParams,
    layout: Layout,
    start: Vec<f64>,
}

impl Hpa {
    /// The axis with `params`; computes the entrained circadian cycle at midnight.
    pub fn new(params: HpaParams) -> Self {
        // Guess: the healthy cycle at midnight (prototype), masses 1.
        let guess = [0.038_38, 0.577_0, 0.208_6, 1.0, 1.0];
        let mut layout = Layout {
            n: 3,
            crh_mean: 1.0,
            acth_mean: 1.0,
        };
        if params.gland_mass_layer {
            // References from the healthy cycle of the same parameters (Karin: masses 1
            // at the healthy set point).
            let mut healthy = params.clone();
            healthy.gland_mass_layer = false;
            healthy.adrenal_capacity = 1.0;
            healthy.pituitary_capacity = 1.0;
            let h = Hpa::new(healthy);
            let (crh, acth) = h.daily_means();
            layout = Layout {
                n: 5,
                crh_mean: crh,
                acth_mean: acth,
            };
        }
        // The hormones' cycle; the masses start at exactly 1, where the healthy cycle
        // keeps them (their daily-mean drive is 0 by construction of the references).
        let hormones = Layout { n: 3, ..layout };
        let mut start = burn_in(&params, hormones, &guess[..3]);
        // A hormone without a source (capacity 0) decays to ~1e-30 in the burn-in: it is 0.
        for v in &mut start {
            if v.abs() < 1e-15 {
                *v = 0.0;
            }
        }
        if layout.n == 5 {
            start.extend_from_slice(&[1.0, 1.0]);
        }
        Hpa {
            params,
            layout,
            start,
        }
    }

    /// The parameters.
    pub fn params(&self) -> &HpaParams {
        &self.params
    }

    /// The state at midnight on the entrained cycle (solver units: CRH and ACTH in
    /// 10 pg/mL, body cortisol in mg, then the gland masses if switched on).
    pub fn cycle_start(&self) -> &[f64] {
        &self.start
    }

    /// 24-h means of CRH and ACTH (state units) over the day from the cycle start.
    fn daily_means(&self) -> (f64, f64) {
        let core = Core {
            params: &self.params,
            layout: self.layout,
            start: self.start.clone(),
        };
        // trapezoid over a whole period on a 1-min grid (spectrally accurate for a
        // smooth periodic integrand)
        let opts = tight_options(24.0, 1.0 / 60.0);
        match crate::simulate_from(&core, &Regimen::new(), &opts, &self.start) {
            Ok(tr) => {
                let x = tr.mean_in("crh_pg_ml", 0.0, 24.0).unwrap_or(1.0);
                let y = tr.mean_in("acth_pg_ml", 0.0, 24.0).unwrap_or(1.0);
                (x / HORMONE_SCALE_PG_ML, y / HORMONE_SCALE_PG_ML)
            }
            Err(_) => (1.0, 1.0),
        }
    }
}

fn tight_options(duration_h: f64, every_h: f64) -> SimOptions {
    let mut o = SimOptions::new(duration_h, every_h).expect("valid constant options");
    o.rtol = 1e-11;
    o.atol = 1e-13;
    o.dose_rows = false;
    o
}

/// Whole days from `guess` until a day changes no state by more than 1e-10 relative
/// (at most 60 days; the cycle contracts by ~1e-6 per day).
fn burn_in(params: &HpaParams, layout: Layout, guess: &[f64]) -> Vec<f64> {
    let mut y = guess.to_vec();
    let opts = tight_options(24.0, 24.0);
    for _ in 0..60 {
        let core = Core {
            params,
            layout,
            start: y.clone(),
        };
        let next: Result<Vec<f64>> = crate::simulate_from(&core, &Regimen::new(), &opts, &y)
            .map(|tr| tr.final_state().to_vec());
        let Ok(next) = next else { break };
        let done = next
            .iter()
            .zip(&y)
            .all(|(a, b)| (a - b).abs() <= 1e-10 * a.abs().max(b.abs()) + 1e-14);
        y = next;
        if done {
            break;
        }
    }
    y
}

/// Right-hand side shared by [`Hpa`] and the burn-in core.
#[inline]
fn rhs(p: &HpaParams, layout: Layout, t_h: f64, y: &[f64], e: &Effects, dy: &mut [f64]) {
    let x = y[CRH];
    let acth = y[ACTH];
    let free = p.free_nmol_l(y[CORT]);
    let z_fb = free * p.unsaturated_binding() / CORTISOL_NMOL_L_PER_UG_DL
        + e.glucocorticoid_agonist_cortisol_ug_dl;
    let (mass_p, mass_a) = if layout.n == 5 {
        (y[MASS_P], y[MASS_A])
    } else {
        (1.0, 1.0)
    };
    let s = HORMONE_SCALE_PG_ML;
    let crh_fb = 1.0 + (z_fb / p.crh_feedback_ug_dl).powi(2);
    let mu = p.crh_self_half_sat_pg_ml / s;
    dy[CRH] = p.crh_basal_pg_ml_h / s
        + p.circadian(t_h) * (p.crh_gain_pg_ml_h / s) * x / (mu + x) / crh_fb
        - p.crh_elimination_per_h * x;
    let x_pit = x + e.crh_input_pg_ml / s;
    dy[ACTH] = p.pituitary_capacity * mass_p * p.acth_gain_per_h * x_pit
        / (1.0 + z_fb / p.acth_feedback_ug_dl)
        - p.acth_elimination_per_h * acth;
    let a = acth * s + e.acth_at_adrenal_pg_ml;
    let a2 = a * a;
    let ec2 = p.adrenal_ec50_acth_pg_ml * p.adrenal_ec50_acth_pg_ml;
    let secretion = p.adrenal_capacity * mass_a * p.adrenal_max_mg_h * a2 / (ec2 + a2);
    dy[CORT] = secretion + e.cortisol_input_mg_h - p.free_clearance_l_h * free / NMOL_PER_MG;
    if layout.n == 5 {
        dy[MASS_P] = p.pituitary_mass_rate_per_h * mass_p * (x / layout.crh_mean - 1.0);
        dy[MASS_A] = p.adrenal_mass_rate_per_h * mass_a * (acth / layout.acth_mean - 1.0);
    }
}

fn state_names(layout: Layout) -> Vec<String> {
    let mut v = vec![
        "crh_10pg_ml".to_string(),
        "acth_10pg_ml".to_string(),
        "cortisol_body_mg".to_string(),
    ];
    if layout.n == 5 {
        v.push("corticotroph_mass".into());
        v.push("adrenal_mass".into());
    }
    v
}

fn observables() -> Vec<Observable> {
    vec![
        Observable::new("crh_pg_ml", "CRH", "pg/mL"),
        Observable::new("acth_pg_ml", "ACTH", "pg/mL"),
        Observable::new("cortisol_ug_dl", "serum cortisol", "µg/dL"),
        Observable::new("free_cortisol_nmol_l", "free cortisol", "nmol/L"),
    ]
}

#[inline]
fn observe(p: &HpaParams, y: &[f64], out: &mut [f64]) {
    let free = p.free_nmol_l(y[CORT]);
    out[0] = y[CRH] * HORMONE_SCALE_PG_ML;
    out[1] = y[ACTH] * HORMONE_SCALE_PG_ML;
    out[2] = p.total_nmol_l(free) / CORTISOL_NMOL_L_PER_UG_DL;
    out[3] = free;
}

fn reads(c: Channel) -> bool {
    matches!(
        c,
        Channel::CortisolInput
            | Channel::GlucocorticoidAgonist
            | Channel::ActhAtAdrenal
            | Channel::CrhInput
    )
}

impl Model for Core<'_> {
    fn name(&self) -> &str {
        "hpa"
    }
    fn state_names(&self) -> Vec<String> {
        state_names(self.layout)
    }
    fn initial_state(&self) -> Vec<f64> {
        self.start.clone()
    }
    fn rhs(&self, t_h: f64, y: &[f64], e: &Effects, dy: &mut [f64]) {
        rhs(self.params, self.layout, t_h, y, e, dy);
    }
    fn observables(&self) -> Vec<Observable> {
        observables()
    }
    fn observe(&self, _t_h: f64, y: &[f64], _e: &Effects, out: &mut [f64]) {
        observe(self.params, y, out);
    }
}

impl Model for Hpa {
    fn name(&self) -> &str {
        "hpa"
    }
    fn state_names(&self) -> Vec<String> {
        state_names(self.layout)
    }
    fn initial_state(&self) -> Vec<f64> {
        self.start.clone()
    }
    fn rhs(&self, t_h: f64, y: &[f64], e: &Effects, dy: &mut [f64]) {
        rhs(&self.params, self.layout, t_h, y, e, dy);
    }
    fn observables(&self) -> Vec<Observable> {
        observables()
    }
    fn observe(&self, _t_h: f64, y: &[f64], _e: &Effects, out: &mut [f64]) {
        observe(&self.params, y, out);
    }
    fn reads(&self, c: Channel) -> bool {
        reads(c)
    }
    /// Intravenous hydrocortisone goes straight into the body cortisol (mg per mg): it
    /// is cortisol.
    fn dose_target(&self, drug: &str, route: Route) -> Option<DoseTarget> {
        (drug == "hydrocortisone" && route == Route::Iv).then_some(DoseTarget {
            state: CORT,
            kind: AmountKind::Mass,
            per_unit: 1.0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_life_and_clearance_at_low_concentration() {
        let p = HpaParams::healthy();
        // P22: 66 min; P24 calibration: 6.56 L/h.
        assert!((p.cortisol_half_life_low_h() * 60.0 - 66.0).abs() < 0.5);
        assert!((p.cortisol_clearance_low_l_h() - 6.56).abs() < 0.01);
    }

    #[test]
    fn binding_round_trip_and_saturation() {
        let p = HpaParams::healthy();
        for a in [1e-6, 0.1, 1.0, 10.0, 100.0] {
            let u = p.free_nmol_l(a);
            let g_k = p.cbg_nmol_l * p.cbg_affinity_l_nmol;
            let back = (p.cbg_volume_l * g_k * u / (1.0 + p.cbg_affinity_l_nmol * u)
                + p.free_volume_l * (1.0 + p.albumin_ratio) * u)
                / NMOL_PER_MG;
            assert!((back - a).abs() <= 1e-9 * a, "{a}: {back}");
        }
        // Free fraction rises above ~550 nmol/L total (P28).
        let ff = |total_target: f64| {
            let mut lo = 0.0;
            let mut hi = 1e4;
            for _ in 0..200 {
                let mid = 0.5 * (lo + hi);
                if p.total_nmol_l(mid) < total_target {
                    lo = mid
                } else {
                    hi = mid
                }
            }
            lo / total_target
        };
        assert!(ff(200.0) < 0.07);
        assert!(ff(1000.0) > 2.0 * ff(200.0));
    }
}
