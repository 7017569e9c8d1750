//! The thyroid (hypothalamic–pituitary–thyroid, HPT) axis: THYROSIM.
//!
//! The equations and every default parameter are those of THYROSIM as published by Han,
//! Eisenberg, Larsen & DiStefano (Thyroid 2016;26:489, supplementary data pp. 7–9,
//! "Thyroid H-P-T-Axis Simulator Equations"), which assembles Eisenberg et al. 2006
//! (Thyroid 16:1279: T4/T3 distribution and elimination, free-hormone polynomials),
//! Eisenberg et al. 2008 (Thyroid 18:1071: secretion, delay, oral absorption) and
//! Eisenberg & DiStefano 2010 (Thyroid 20:1215: brain–pituitary submodel, saturations in
//! extreme hypothyroidism). Numerical values are those of the authors' MATLAB code
//! (`thyrosim.m`, "All-Condition Thyroid Simulator Eqns 2015-06-29"), which gives more
//! digits than the supplement's table; where the two differ only in rounding this is said.
//! Amounts are µmol, time h, as in the paper.
//!
//! # States (µmol unless noted)
//!
//! q1 plasma T4, q2 fast-tissue T4, q3 slow-tissue T4, q4 plasma T3, q5 fast-tissue T3,
//! q6 slow-tissue T3, q7 plasma TSH, q8 brain T3 and q9 lagged brain T3 (both in the
//! model's brain-signal units, ≈ 7 at euthyroid), q10–q15 the six-compartment TSH delay
//! chain. The paper's oral-dose states (pill and gut, q10–q13 there) belong to the drugs
//! (`physiology/drugs/thyroid_hormones.rs`), whose absorbed flux arrives through
//! [`Channel::ThyroxineInput`] and [`Channel::TriiodothyronineInput`].
//!
//! # Equations
//!
//! ```text
//! FT4p  = (A + B·q1 + C·q1² + D·q1³)·q1              free T4 in plasma, µmol
//! FT3p  = (a + b·q1 + c·q1² + d·q1³)·q4              free T3 in plasma, µmol
//! SR4   = r·S4·q15,  SR3 = r·S3·q15                  thyroid secretion (r: residual function)
//! SRTSH = (B0 + A0·fCIRC·sin(π(t − t0)/12 − φ))·e^(−q9)
//! fCIRC = 1 + (Amax/(A0·e^(−q9)) − 1)/(1 + e^(10·q9 − 55))
//! fdeg  = kdeg_hypo + Vmax_TSH/(K50_TSH + q7)
//! fLAG  = kLAG_hypo + 2·q8¹¹/(KLAG¹¹ + q8¹¹)
//! f4    = k3 + 5·k3/(1 + e^(2·q8 − 7))
//! NL    = Vmax_D1fast/(Km_D1fast + q2)
//! D1D2  = Vmax_D1slow/(Km_D1slow + q3) + Vmax_D2slow/(Km_D2slow + q3)
//!
//! q1' = SR4 + k12·q2 + k13·q3 − (k31free + k21free)·FT4p + u4abs
//! q2' = k21free·FT4p − (k12 + k02 + NL)·q2
//! q3' = k31free·FT4p − (k13 + D1D2)·q3
//! q4' = SR3 + k45·q5 + k46·q6 − (k64free + k54free)·FT3p + u3abs
//! q5' = k54free·FT3p + NL·q2 − (k45 + k05)·q5
//! q6' = k64free·FT3p + D1D2·q3 − k46·q6
//! q7' = SRTSH − fdeg·q7
//! q8' = (f4/T4P_EU)·q1 + (k3/T3P_EU)·q4 − kdeg_T3B·q8
//! q9' = fLAG·(q8 − q9)
//! q10' = q7 − kdelay·q10;   q(10+i)' = kdelay·(q(9+i) − q(10+i)), i = 1..5
//! ```
//!
//! u4abs and u3abs are the absorbed T4 and T3 fluxes of the drugs, µmol/h
//! ([`Channel::ThyroxineInput`] / 777, [`Channel::TriiodothyronineInput`] / 651).
//! Intravenous doses jump into q1 and q4 ([`Model::direct_input`]).
//!
//! Outputs (paper): total T4 = 777·q1/Vp µg/L, total T3 = 651·q4/Vp µg/L,
//! TSH = 5.6·q7/V_TSH mU/L (777 and 651 g/mol; 5.6 mU/µmol from a TSH molar mass of
//! 28 000 g/mol and 0.2 mU/µg specific activity, the code's comment).
//!
//! # Traps, and what this implementation does about them
//!
//! - **Delay-chain gain.** The supplement writes SR4 = S4·TSH(t − τ), τ = 8 h. The code
//!   realises the delay by six compartments whose *first* equation is `q7 − kdelay·q10`,
//!   not `kdelay·(q7 − q10)`: the chain has a gain of 1/kdelay = 1.6, so q15 ≈ 1.6·TSH
//!   delayed by (n − 1)/kdelay = 8 h. S4 and S3 were estimated with that gain (they
//!   reproduce the published initial conditions only with it; the 2022 re-fit with a
//!   unit-gain chain found S4 = 2.78e-3 = 1.6 × 1.74e-3). We keep the code's form.
//! - **φ is in radians** although the table lists hours.
//! - **fCIRC in floating point.** Written as above, fCIRC·A0·e^(−q9) is ∞·0 for a large
//!   q9; we evaluate the algebraically identical A0·e^(−q9)·(1 − s) + Amax·s with
//!   s = 1/(1 + e^(10·q9 − 55)).
//! - **Free-hormone polynomials outside their data.** The cubic free fractions (Eisenberg
//!   2006, fitted over hypo- to hyperthyroid T4) turn down at high T4 (D, d < 0): the FT3
//!   fraction peaks at q1 = 1.58 µmol (total T4 ≈ 38 µg/dL, 3× the upper reference limit)
//!   and would turn negative at 2.9 µmol after a massive overdose. Beyond its peak each
//!   fraction is held at its peak value (our guard; no effect below T4 ≈ 38 µg/dL).
//! - **Free-T4 scale.** The raw polynomial gives a euthyroid free T4 of 2.9 ng/dL, above
//!   the assay reference interval (0.8–1.8 ng/dL, Jonklaas 2015): it is the model's
//!   kinetic free pool, not an immunoassay. The `ft4_ng_dl` and `ft3_pg_ml` columns apply
//!   the assay adjustment of p-THYROSIM (Chen et al., Front Endocrinol 2025,
//!   doi:10.3389/fendo.2025.1735282, app code): FT4 × 1.1 × 0.45, FT3 × 1.05 × 0.5
//!   (their code has a sign error in the FT3 cubic term; we use the paper's d < 0).
//! - **Clock origin.** THYROSIM's circadian term is written in simulation time; the paper
//!   does not say which clock time its t = 0 is. t0 (`clock_origin_h`) places it so that
//!   the modelled TSH cosinor acrophase falls at 02:57, the acrophase of 24-h TSH profiles
//!   in 46 healthy adults (Roelfsema et al., JCEM 2009;94:3964: 02:54 ± 19 min in men,
//!   03:00 ± 11 min in women): t0 = 9.25 h (own calibration to that one number).
//! - **The absorption "dial".** THYROSIM's absorption dial (0.88) multiplies the gut
//!   *excretion* rate, giving F = 0.88/(0.88 + 0.12·0.88) = 0.893; the drug file states F
//!   directly (see there).
//!
//! # Residual thyroid function and body weight
//!
//! `residual_thyroid_function` r multiplies both secretion rates (THYROSIM's dials 1 and
//! 3): 1 healthy, 0 athyreotic (after total thyroidectomy). The 2016 equations do not
//! scale with body size; `weight_kg` is kept with the subject (it sets weight-based doses
//! in scenarios) and does not enter them. The 2022 variant scales with weight, height and
//! sex (next section).
//!
//! # The 2022 re-fit (p-THYROSIM) as a variant
//!
//! [`HptParams::thyrosim_2022`] builds the parameter set and laws of Cruz-Loya, Chu,
//! Jonklaas, Schneider & DiStefano (Front Endocrinol 2022;13:888429), as written in the
//! authors' `Thyrosim.jl` (`src/thyrosim_odes.jl`, `initialize` and `thyrosim`, read to
//! check numbers): refitted to single-dose (Blakesley 2004), L-T3 (Jonklaas 2015) and
//! thyroidectomy dose data, it personalises by sex, height and weight. Differences from
//! 2016, all in [`Version::CruzLoya2022`]'s branch of the RHS:
//!
//! ```text
//! S4 = 2.7785e-3 (unit-gain delay chain: q10' = kdelay·(q7 − q10))
//! fCIRC = q9^n/(q9^n + Kc^n)                         n 5.6748, Kc 3.0010
//! SRTSH = (B0 + A0·fCIRC·sin(...))·Ks^m/(Ks^m + q9^m)  m 6.2908, Ks 3.0947; B0 450, A0 219.71, Amax 0
//! f4 = k3·(1 + 5·Kf^l/(Kf^l + q8^l))                  l 14.367, Kf 8.4983; k3 0.058787
//! Vmax_D1fast 0.012102; Vmax_TSH 0.226; k05 = 0.184972·(W/Wref)^0.75 (× 1.04994 men)
//! plasma states enter the laws as q/ρ and their rates are multiplied by ρ,
//! ρ = Vp(subject)/Vp(reference), Vp from Feldschuh's blood volume (Hct 0.45 men, 0.40 women)
//! Vp = 3.2·ρ' L, V_TSH = 5.2 + (Vp − 3.2) L
//! ```
//!
//! Measured against the 2016 default (our re-simulation, `docs/validation.md` rows TH5d
//! and TH7 under `thyrosim = "2022"`): the 2022 set reaches a normal TSH at 1.6 µg/kg/day
//! of L-T4 in an athyreotic patient, as patients do, but L-T3 alone barely reaches its
//! brain-T3 feedback (its k3 is halved), so TSH stays high on L-T3 monotherapy, and a
//! single 50 µg L-T3 suppresses TSH by about a fifth instead of the observed two thirds
//! (thyroid research notes). Hence 2016 stays the default.
//!
//! # Initial state
//!
//! [`Hpt::try_new`] computes the untreated periodic (circadian) steady state at midnight for
//! its parameters with the engine's Newton solver ([`crate::steady_state`]), relative
//! 1e-9 at rtol 1e-10. For r = 1 it reproduces the paper's initial conditions (T4 7.8
//! µg/dL, T3 135 ng/dL, TSH 1.1–2.9 mU/L over the day); for r = 0 it is the untreated
//! athyreotic state (T4 and T3 ≈ 0, TSH at its ceiling B0/kdeg ≈ 2400 mU/L, above clinical
//! values: a limitation of the 2016 secretion law that the 2022 re-fit addressed by
//! lowering B0).
//!
//! # Known limitations (measured; docs/validation.md)
//!
//! THYROSIM 2016 makes 47 % of T3 production thyroidal secretion (18.6 µg/day of T3
//! beside 115 µg/day of T4), so an athyreotic patient on levothyroxine alone needs more
//! T4 than clinically: TSH reaches 1.2–1.5 mU/L at about 165 µg/day (2.4 µg/kg at 70 kg)
//! instead of 1.6 µg/kg/day (ATA 2014; Celi 2010: 1.59 ± 0.28 µg/kg/day). The 2022
//! variant reaches it at 1.6 µg/kg/day but fails on L-T3 (section above).

use crate::engine::model::{Channel, Effects, Model, Observable};
use crate::engine::options::SimOptions;
use crate::engine::steady_state::{circadian_cycle_with, SteadyStateSettings};
use crate::error::{Error, Result};

/// µg of T4 per µmol (THYROSIM's molar mass of thyroxine).
pub const T4_UG_PER_UMOL: f64 = 777.0;
/// µg of T3 per µmol (THYROSIM's molar mass of triiodothyronine).
pub const T3_UG_PER_UMOL: f64 = 651.0;
/// mU of TSH per µmol (THYROSIM: 28 000 g/mol × 0.2 mU/µg).
pub const TSH_MU_PER_UMOL: f64 = 5.6;

/// State indices.
const T4P: usize = 0;
const T4FAST: usize = 1;
const T4SLOW: usize = 2;
const T3P: usize = 3;
const T3FAST: usize = 4;
const T3SLOW: usize = 5;
const TSHP: usize = 6;
const T3B: usize = 7;
const T3B_LAG: usize = 8;
const DELAY: usize = 9;
/// Compartments of the TSH delay chain.
const DELAY_N: usize = 6;
/// Number of states.
const N: usize = DELAY + DELAY_N;

/// A cubic free fraction `c0 + c1·q + c2·q² + c3·q³` of plasma T4 (µmol), held at its
/// peak beyond the peak (module docs, "Free-hormone polynomials").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FreeFraction {
    /// Coefficients c0 (dimensionless), c1 (1/µmol), c2 (1/µmol²), c3 (1/µmol³).
    pub coefficients: [f64; 4],
}

impl FreeFraction {
    /// The plasma T4 (µmol) at which the fraction peaks (∞ if it never turns down).
    pub fn peak_umol(&self) -> f64 {
        let [_, c1, c2, c3] = self.coefficients;
        if c3 >= 0.0 {
            return f64::INFINITY;
        }
        // root of c1 + 2·c2·q + 3·c3·q² = 0 on q > 0 (c3 < 0: the larger root)
        let disc = 4.0 * c2 * c2 - 12.0 * c1 * c3;
        (-2.0 * c2 - disc.max(0.0).sqrt()) / (6.0 * c3)
    }

    #[inline]
    fn at(&self, q1_umol: f64, peak_umol: f64) -> f64 {
        let q = q1_umol.clamp(0.0, peak_umol);
        let [c0, c1, c2, c3] = self.coefficients;
        c0 + q * (c1 + q * (c2 + q * c3))
    }
}

/// Which published THYROSIM (module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Version {
    /// Han et al. 2016 (Eisenberg 2006/2008/2010 laws): the default.
    #[default]
    Han2016,
    /// Cruz-Loya et al. 2022 (p-THYROSIM): Hill laws, refitted rates, body size and sex.
    CruzLoya2022,
}

/// Sex, where a model depends on it (THYROSIM 2022: plasma volume, T3 clearance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sex {
    /// Male.
    #[default]
    Male,
    /// Female.
    Female,
}

/// The Hill laws of THYROSIM 2022 (Cruz-Loya 2022, fitted; `Thyrosim.jl` parameters 49–54).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hill2022 {
    /// K_circ, lagged brain T3 of half-maximal circadian amplitude: 3.001011022378.
    pub circadian_k: f64,
    /// n, its Hill exponent: 5.674773816316.
    pub circadian_n: f64,
    /// K_SRTSH, lagged brain T3 halving TSH secretion: 3.094711690204.
    pub tsh_secretion_k: f64,
    /// m, its Hill exponent: 6.290803221796.
    pub tsh_secretion_m: f64,
    /// K_f4, brain T3 halving the hypothyroid boost of brain T4 uptake: 8.498343729591.
    pub f4_k: f64,
    /// l, its Hill exponent: 14.36664496926.
    pub f4_l: f64,
}

impl Hill2022 {
    /// The fitted values of Cruz-Loya 2022.
    pub const FITTED: Hill2022 = Hill2022 {
        circadian_k: 3.001_011_022_378,
        circadian_n: 5.674_773_816_316,
        tsh_secretion_k: 3.094_711_690_204,
        tsh_secretion_m: 6.290_803_221_796,
        f4_k: 8.498_343_729_591,
        f4_l: 14.366_644_969_26,
    };
}

/// Plasma volume, L, predicted from height, weight and sex (Feldschuh & Enson's blood
/// volume by deviation from ideal weight, as fitted in `Thyrosim.jl` `predict_Vp`:
/// blood volume per kg = 1269.757·(100 + Δ)^(0.372981 − 1) mL with Δ the % deviation from
/// the ideal weight 176.3 − 220.6·h + 93.5·h² (men) or 145.8 − 182.7·h + 79.55·h² (women);
/// haematocrit 0.45 men, 0.40 women).
pub fn feldschuh_plasma_volume_l(sex: Sex, height_m: f64, weight_kg: f64) -> f64 {
    let h = height_m;
    let (haematocrit, ideal_kg) = match sex {
        Sex::Male => (0.45, 176.3 - 220.6 * h + 93.5 * h * h),
        Sex::Female => (0.40, 145.8 - 182.7 * h + 79.55 * h * h),
    };
    let deviation_pct = (weight_kg - ideal_kg) / ideal_kg * 100.0;
    let blood_ml_per_kg = 1.269_757_06e3 * (100.0 + deviation_pct).powf(3.729_812_28e-1 - 1.0);
    blood_ml_per_kg * weight_kg / 1000.0 * (1.0 - haematocrit)
}

/// Parameters of THYROSIM (defaults: [`HptParams::healthy`], Han 2016 supplement table,
/// digits of the authors' MATLAB code).
#[derive(Debug, Clone, PartialEq)]
pub struct HptParams {
    /// r, residual thyroid function, 0..1: multiplies both secretion rates (THYROSIM
    /// dials 1 and 3). 1 healthy, 0 athyreotic.
    pub residual_thyroid_function: f64,
    /// Body weight, kg (70); not in the 2016 equations, in the 2022 ones (module docs).
    pub weight_kg: f64,
    /// Which THYROSIM's laws the RHS uses ([`Version::Han2016`] by default).
    pub version: Version,
    /// 2022 laws (unused in 2016).
    pub hill_2022: Hill2022,
    /// ρ, this subject's plasma volume over the reference one (2022; 1 in 2016): plasma
    /// T4, T3 and TSH enter the laws as q/ρ and their rates are multiplied by ρ.
    pub plasma_volume_ratio: f64,

    /// S4, T4 secretion per delayed TSH, 1/h: 1.74155e-3 (Eisenberg 2008; table 1.74e-3).
    pub t4_secretion_per_h: f64,
    /// S3, T3 secretion per delayed TSH, 1/h: 3.3572e-4 (Eisenberg 2008; table 3.36e-4).
    pub t3_secretion_per_h: f64,
    /// kdelay, rate of each of the six delay compartments, 1/h: 5/8 (τ = (6 − 1)/kdelay
    /// = 8 h, Eisenberg 2008).
    pub delay_rate_per_h: f64,

    /// k12, fast tissue → plasma T4, 1/h: 0.868 (Eisenberg 2006).
    pub k12_per_h: f64,
    /// k13, slow tissue → plasma T4, 1/h: 0.108 (Eisenberg 2006).
    pub k13_per_h: f64,
    /// k31free, plasma free T4 → slow tissue, 1/h: 584 (Eisenberg 2006).
    pub k31_free_per_h: f64,
    /// k21free, plasma free T4 → fast tissue, 1/h: 1503 (Eisenberg 2006).
    pub k21_free_per_h: f64,
    /// k02, fast-tissue T4 elimination (non-deiodinative), 1/h: 0.0189 (Eisenberg 2006).
    pub k02_per_h: f64,
    /// Vmax of D1 in fast tissue, µmol/h: 9.98996e-3 (Eisenberg 2008; table 9.99e-3).
    pub d1_fast_vmax_umol_h: f64,
    /// Km of D1 in fast tissue, µmol: 2.85 (Eisenberg 2008, fixed).
    pub d1_fast_km_umol: f64,
    /// Vmax of D1 in slow tissue, µmol/h: 6.63e-4 (Eisenberg 2008).
    pub d1_slow_vmax_umol_h: f64,
    /// Km of D1 in slow tissue, µmol: 95 (Eisenberg 2008, fixed).
    pub d1_slow_km_umol: f64,
    /// Vmax of D2 in slow tissue, µmol/h: 7.4619e-4 (Eisenberg 2008; table 7.46e-4).
    pub d2_slow_vmax_umol_h: f64,
    /// Km of D2 in slow tissue, µmol: 0.075 (Eisenberg 2008).
    pub d2_slow_km_umol: f64,
    /// k45, fast tissue → plasma T3, 1/h: 5.37 (Eisenberg 2006).
    pub k45_per_h: f64,
    /// k46, slow tissue → plasma T3, 1/h: 0.0689 (Eisenberg 2006).
    pub k46_per_h: f64,
    /// k05, fast-tissue T3 elimination, 1/h: 0.207 (Eisenberg 2006).
    pub k05_per_h: f64,
    /// k54free, plasma free T3 → fast tissue, 1/h: 2043 (Eisenberg 2006).
    pub k54_free_per_h: f64,
    /// k64free, plasma free T3 → slow tissue, 1/h: 127 (Eisenberg 2006).
    pub k64_free_per_h: f64,
    /// Free T4 fraction: A 2.89e-4, B 2.14e-4, C 1.28e-4, D −8.83e-6 (Eisenberg 2006).
    pub free_t4: FreeFraction,
    /// Free T3 fraction (a function of plasma *T4*): a 3.95e-3, b 1.85e-3, c 6.10e-4,
    /// d −5.05e-4 (Eisenberg 2006).
    pub free_t3: FreeFraction,

    /// B0, basal TSH secretion, µmol/h: 1166 (Eisenberg 2008).
    pub tsh_basal_umol_h: f64,
    /// A0, circadian TSH secretion amplitude, µmol/h: 581 (Eisenberg 2008).
    pub tsh_circadian_umol_h: f64,
    /// Amax, saturated circadian amplitude in hypothyroidism, µmol/h: 2.37 (Eisenberg
    /// 2010).
    pub tsh_circadian_max_umol_h: f64,
    /// φ, circadian phase, rad: −3.71 (Eisenberg 2008; used as radians by the code).
    pub tsh_phase_rad: f64,
    /// t0, clock time of THYROSIM's t = 0, h after midnight: 9.25, own calibration to the
    /// TSH acrophase 02:57 (Roelfsema 2009; module docs).
    pub clock_origin_h: f64,
    /// kdeg_TSH_hypo, TSH degradation floor, 1/h: 0.53 (Eisenberg 2010).
    pub tsh_degradation_per_h: f64,
    /// Vmax_TSH, saturable TSH degradation, µmol/h: 0.037 (Eisenberg 2010; table unit 1/h).
    pub tsh_degradation_vmax_umol_h: f64,
    /// K50_TSH, µmol: 23 (Eisenberg 2010).
    pub tsh_degradation_k50_umol: f64,
    /// k3 (= k4), brain uptake/conversion rate, 1/h: 0.118 (Eisenberg 2008; table unit
    /// µmol/h, used as 1/h).
    pub k3_per_h: f64,
    /// T4P_EU, euthyroid plasma T4, µmol: 0.29 (Eisenberg 2010).
    pub t4_plasma_eu_umol: f64,
    /// T3P_EU, euthyroid plasma T3, µmol: 0.006 (Eisenberg 2010).
    pub t3_plasma_eu_umol: f64,
    /// kdeg_T3B, brain T3 degradation, 1/h: 0.037 (Eisenberg 2008).
    pub t3b_degradation_per_h: f64,
    /// kLAG_hypo, floor of the brain-T3 lag rate, 1/h: 0.0034 (Eisenberg 2010).
    pub lag_floor_per_h: f64,
    /// KLAG, brain-T3 level of half-maximal lag rate (signal units): 5 (Eisenberg 2010).
    pub lag_half_t3b: f64,

    /// Vp, plasma volume, L: 3.2 (adults, Eisenberg 2008).
    pub plasma_volume_l: f64,
    /// V_TSH, TSH distribution volume, L: 5.2 (adults, Eisenberg 2008).
    pub tsh_volume_l: f64,
    /// Free-T4 assay scale: 1.1 × 0.45 = 0.495 (p-THYROSIM 2025; module docs).
    pub ft4_assay_scale: f64,
    /// Free-T3 assay scale: 1.05 × 0.5 = 0.525 (p-THYROSIM 2025).
    pub ft3_assay_scale: f64,
}

impl HptParams {
    /// Healthy adult (Han 2016; every field's doc gives its source).
    pub fn healthy() -> Self {
        HptParams {
            residual_thyroid_function: 1.0,
            weight_kg: 70.0,
            version: Version::Han2016,
            hill_2022: Hill2022::FITTED,
            plasma_volume_ratio: 1.0,
            t4_secretion_per_h: 0.001_741_55,
            t3_secretion_per_h: 3.3572e-4,
            delay_rate_per_h: 5.0 / 8.0,
            k12_per_h: 0.868,
            k13_per_h: 0.108,
            k31_free_per_h: 584.0,
            k21_free_per_h: 1503.0,
            k02_per_h: 0.0189,
            d1_fast_vmax_umol_h: 0.009_989_96,
            d1_fast_km_umol: 2.85,
            d1_slow_vmax_umol_h: 6.63e-4,
            d1_slow_km_umol: 95.0,
            d2_slow_vmax_umol_h: 7.4619e-4,
            d2_slow_km_umol: 0.075,
            k45_per_h: 5.37,
            k46_per_h: 0.0689,
            k05_per_h: 0.207,
            k54_free_per_h: 2043.0,
            k64_free_per_h: 127.0,
            free_t4: FreeFraction {
                coefficients: [2.89e-4, 2.14e-4, 1.28e-4, -8.83e-6],
            },
            free_t3: FreeFraction {
                coefficients: [3.95e-3, 1.85e-3, 6.10e-4, -5.05e-4],
            },
            tsh_basal_umol_h: 1166.0,
            tsh_circadian_umol_h: 581.0,
            tsh_circadian_max_umol_h: 2.37,
            tsh_phase_rad: -3.71,
            clock_origin_h: 9.25,
            tsh_degradation_per_h: 0.53,
            tsh_degradation_vmax_umol_h: 0.037,
            tsh_degradation_k50_umol: 23.0,
            k3_per_h: 0.118,
            t4_plasma_eu_umol: 0.29,
            t3_plasma_eu_umol: 0.006,
            t3b_degradation_per_h: 0.037,
            lag_floor_per_h: 0.0034,
            lag_half_t3b: 5.0,
            plasma_volume_l: 3.2,
            tsh_volume_l: 5.2,
            ft4_assay_scale: 1.1 * 0.45,
            ft3_assay_scale: 1.05 * 0.5,
        }
    }

    /// An athyreotic adult (residual thyroid function 0: after total thyroidectomy).
    pub fn athyreotic() -> Self {
        HptParams {
            residual_thyroid_function: 0.0,
            ..HptParams::healthy()
        }
    }

    /// THYROSIM 2022 (Cruz-Loya et al., Front Endocrinol 2022;13:888429; module docs) for a
    /// healthy adult of this sex, height (m) and weight (kg); values of `Thyrosim.jl`
    /// `initialize` (fitted there unless said). Set `residual_thyroid_function` after. Sex
    /// and height enter only through the volumes and rates derived here (they are not kept:
    /// call this again for another subject).
    pub fn thyrosim_2022(sex: Sex, height_m: f64, weight_kg: f64) -> Result<Self> {
        if !(height_m.is_finite() && (0.5..=2.5).contains(&height_m)) {
            return Err(Error::invalid(
                "hpt.height_m",
                height_m,
                "a height must be in [0.5, 2.5] m",
            ));
        }
        if !(weight_kg.is_finite() && weight_kg > 0.0 && weight_kg <= 500.0) {
            return Err(Error::invalid(
                "hpt.weight_kg",
                weight_kg,
                "a body weight must be in (0, 500] kg",
            ));
        }
        // reference subjects: BMI 21.8285 (men) / 22.9905 (women) at 1.76087 / 1.66961 m
        // (fitted); the reference plasma volume averages the two sexes at the subject's
        // sex's reference BMI, as the authors' code does
        let (bmi_male, h_male) = (21.828_544_042_755_87, 1.760_871_665_923_755_5);
        let (bmi_female, h_female) = (22.990_508_452_015_36, 1.669_610_689_194_110_3);
        let ref_bmi = match sex {
            Sex::Male => bmi_male,
            Sex::Female => bmi_female,
        };
        let ref_vp = 0.5
            * (feldschuh_plasma_volume_l(Sex::Male, h_male, ref_bmi * h_male * h_male)
                + feldschuh_plasma_volume_l(Sex::Female, h_female, ref_bmi * h_female * h_female));
        let ratio = feldschuh_plasma_volume_l(sex, height_m, weight_kg) / ref_vp;
        let plasma_volume_l = 3.2 * ratio;
        // k05 scales allometrically (exponent 0.75, fixed) with weight over the reference
        // weight of the sex, × 1.0499391 in men (fitted)
        let (ref_weight, male_factor) = match sex {
            Sex::Male => (bmi_male * h_male * h_male, 1.049_939_148_513_569_2),
            Sex::Female => (bmi_female * h_female * h_female, 1.0),
        };
        let k05 = 0.184_972_339_613 * (weight_kg / ref_weight).powf(0.75) * male_factor;
        Ok(HptParams {
            version: Version::CruzLoya2022,
            weight_kg,
            plasma_volume_ratio: ratio,
            plasma_volume_l,
            tsh_volume_l: 5.2 + (plasma_volume_l - 3.2),
            t4_secretion_per_h: 0.002_778_539_934_4,
            d1_fast_vmax_umol_h: 0.012_101_809_339,
            k05_per_h: k05,
            // B0 fixed so that the maximal TSH is about 1000 mU/L
            tsh_basal_umol_h: 450.0,
            tsh_circadian_umol_h: 219.708_530_138_8,
            // no circadian oscillation in hypothyroidism (Weeke 1976, as the authors cite)
            tsh_circadian_max_umol_h: 0.0,
            // "0.037 is probably a typo" (Eisenberg 2010 eq. 4): the authors' 0.226
            tsh_degradation_vmax_umol_h: 0.226,
            k3_per_h: 0.058_786_935_033,
            ..HptParams::healthy()
        })
    }

    /// Check every parameter (finite, and positive where the equations need it; the
    /// residual function in [0, 1]). Field names as in this struct, prefixed `hpt.`.
    pub fn validate(&self) -> Result<()> {
        let r = self.residual_thyroid_function;
        if !(r.is_finite() && (0.0..=1.0).contains(&r)) {
            return Err(Error::invalid(
                "hpt.residual_thyroid_function",
                r,
                "must be a fraction in [0, 1] (0 % athyreotic, 100 % healthy)",
            ));
        }
        if !(self.weight_kg.is_finite() && self.weight_kg > 0.0 && self.weight_kg <= 500.0) {
            return Err(Error::invalid(
                "hpt.weight_kg",
                self.weight_kg,
                "a body weight must be in (0, 500] kg",
            ));
        }
        let positive = [
            ("t4_secretion_per_h", self.t4_secretion_per_h),
            ("t3_secretion_per_h", self.t3_secretion_per_h),
            ("delay_rate_per_h", self.delay_rate_per_h),
            ("k12_per_h", self.k12_per_h),
            ("k13_per_h", self.k13_per_h),
            ("k31_free_per_h", self.k31_free_per_h),
            ("k21_free_per_h", self.k21_free_per_h),
            ("k02_per_h", self.k02_per_h),
            ("d1_fast_vmax_umol_h", self.d1_fast_vmax_umol_h),
            ("d1_fast_km_umol", self.d1_fast_km_umol),
            ("d1_slow_vmax_umol_h", self.d1_slow_vmax_umol_h),
            ("d1_slow_km_umol", self.d1_slow_km_umol),
            ("d2_slow_vmax_umol_h", self.d2_slow_vmax_umol_h),
            ("d2_slow_km_umol", self.d2_slow_km_umol),
            ("k45_per_h", self.k45_per_h),
            ("k46_per_h", self.k46_per_h),
            ("k05_per_h", self.k05_per_h),
            ("k54_free_per_h", self.k54_free_per_h),
            ("k64_free_per_h", self.k64_free_per_h),
            ("tsh_basal_umol_h", self.tsh_basal_umol_h),
            ("tsh_circadian_umol_h", self.tsh_circadian_umol_h),
            ("tsh_degradation_per_h", self.tsh_degradation_per_h),
            ("tsh_degradation_k50_umol", self.tsh_degradation_k50_umol),
            ("k3_per_h", self.k3_per_h),
            ("t4_plasma_eu_umol", self.t4_plasma_eu_umol),
            ("t3_plasma_eu_umol", self.t3_plasma_eu_umol),
            ("t3b_degradation_per_h", self.t3b_degradation_per_h),
            ("lag_floor_per_h", self.lag_floor_per_h),
            ("lag_half_t3b", self.lag_half_t3b),
            ("plasma_volume_l", self.plasma_volume_l),
            ("tsh_volume_l", self.tsh_volume_l),
            ("ft4_assay_scale", self.ft4_assay_scale),
            ("ft3_assay_scale", self.ft3_assay_scale),
            ("plasma_volume_ratio", self.plasma_volume_ratio),
            ("hill_2022.circadian_k", self.hill_2022.circadian_k),
            ("hill_2022.circadian_n", self.hill_2022.circadian_n),
            ("hill_2022.tsh_secretion_k", self.hill_2022.tsh_secretion_k),
            ("hill_2022.tsh_secretion_m", self.hill_2022.tsh_secretion_m),
            ("hill_2022.f4_k", self.hill_2022.f4_k),
            ("hill_2022.f4_l", self.hill_2022.f4_l),
        ];
        for (name, v) in positive {
            crate::error::positive(&format!("hpt.{name}"), v)?;
        }
        for (name, v) in [
            ("tsh_circadian_max_umol_h", self.tsh_circadian_max_umol_h),
            (
                "tsh_degradation_vmax_umol_h",
                self.tsh_degradation_vmax_umol_h,
            ),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::invalid(
                    format!("hpt.{name}"),
                    v,
                    "must be finite and not negative",
                ));
            }
        }
        for (name, v) in [
            ("tsh_phase_rad", self.tsh_phase_rad),
            ("clock_origin_h", self.clock_origin_h),
        ] {
            if !v.is_finite() {
                return Err(Error::invalid(format!("hpt.{name}"), v, "must be finite"));
            }
        }
        for (name, f) in [("free_t4", self.free_t4), ("free_t3", self.free_t3)] {
            let [c0, c1, ..] = f.coefficients;
            if f.coefficients.iter().any(|c| !c.is_finite()) || c0 <= 0.0 || c1 < 0.0 {
                return Err(Error::invalid(
                    format!("hpt.{name}"),
                    format!("{:?}", f.coefficients),
                    "a free fraction needs finite coefficients, c0 > 0 and c1 ≥ 0",
                ));
            }
        }
        Ok(())
    }
}

/// THYROSIM with a parameter set and its untreated steady state (module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct Hpt {
    params: HptParams,
    /// Peaks of the free fractions, µmol of plasma T4.
    ft4_peak_umol: f64,
    ft3_peak_umol: f64,
    start: Vec<f64>,
}

/// The published euthyroid initial conditions (Han's `thyrosim.m`, at THYROSIM t = 0),
/// pill and gut states left out; the Newton start.
const PAPER_IC: [f64; N] = [
    0.322_114_215_761_171,
    0.201_296_960_359_917,
    0.638_967_411_907_560,
    0.006_631_040_348_264_83,
    0.011_259_576_182_296_1,
    0.065_296_064_030_034_8,
    1.788_295_847_643_70,
    7.057_275_600_728_69,
    7.057_144_747_421_41,
    3.342_897_161_820_18,
    3.692_772_480_684_33,
    3.879_421_337_692_44,
    3.900_619_032_075_43,
    3.778_757_342_835_71,
    3.553_644_715_896_59,
];

impl Hpt {
    /// A healthy adult ([`HptParams::healthy`]).
    pub fn healthy() -> Self {
        Self::try_new(HptParams::healthy()).expect("the default parameters are valid")
    }

    /// An athyreotic adult ([`HptParams::athyreotic`]).
    pub fn athyreotic() -> Self {
        Self::try_new(HptParams::athyreotic()).expect("the default parameters are valid")
    }

    /// The axis with `params`, checked ([`HptParams::validate`]), started on its untreated
    /// circadian steady state at midnight.
    pub fn try_new(params: HptParams) -> Result<Self> {
        params.validate()?;
        // both fractions are functions of plasma T4, so both peaks are in q1
        let mut m = Hpt {
            ft4_peak_umol: params.free_t4.peak_umol(),
            ft3_peak_umol: params.free_t3.peak_umol(),
            params,
            start: PAPER_IC.to_vec(),
        };
        let mut opts = SimOptions::new(24.0, 24.0)?.with_tolerances(1e-10, 1e-14)?;
        opts.dose_rows = false;
        let settings = SteadyStateSettings {
            max_iterations: 200,
            ..SteadyStateSettings::default()
        };
        let cycle = circadian_cycle_with(&m, &opts, &settings)?;
        m.start = cycle.state;
        // a hormone without a source (r = 0) ends the search within the solver's absolute
        // tolerance of 0: it is 0
        for v in &mut m.start {
            if v.abs() < 1e-12 {
                *v = 0.0;
            }
        }
        Ok(m)
    }

    /// The parameters.
    pub fn params(&self) -> &HptParams {
        &self.params
    }

    /// Free T4 in plasma, µmol (THYROSIM's FT4p), from plasma T4, µmol. (Linear with
    /// the fraction at 0 for a slightly negative solver value, so that it still decays.)
    #[inline]
    pub fn free_t4_umol(&self, q1_umol: f64) -> f64 {
        self.params.free_t4.at(q1_umol, self.ft4_peak_umol) * q1_umol
    }

    /// Free T3 in plasma, µmol (FT3p), from plasma T4 and T3, µmol.
    #[inline]
    pub fn free_t3_umol(&self, q1_umol: f64, q4_umol: f64) -> f64 {
        self.params.free_t3.at(q1_umol, self.ft3_peak_umol) * q4_umol
    }

    /// TSH secretion rate, µmol/h, at clock time `t_h` and lagged brain T3 `q9`.
    #[inline]
    fn tsh_secretion(&self, t_h: f64, q9: f64) -> f64 {
        let p = &self.params;
        let phase = std::f64::consts::PI / 12.0 * (t_h - p.clock_origin_h) - p.tsh_phase_rad;
        match p.version {
            Version::Han2016 => {
                let e = (-q9).exp();
                // s = 1/(1 + e^(10·q9 − 55)); the exponent is capped so that it never overflows
                let s = 1.0 / (1.0 + (10.0 * q9 - 55.0).min(700.0).exp());
                let circadian =
                    p.tsh_circadian_umol_h * e * (1.0 - s) + p.tsh_circadian_max_umol_h * s;
                p.tsh_basal_umol_h * e + circadian * phase.sin()
            }
            Version::CruzLoya2022 => {
                let h = &p.hill_2022;
                let q9 = q9.max(0.0);
                let f_circ = hill_up(q9, h.circadian_k, h.circadian_n);
                let suppression = 1.0 - hill_up(q9, h.tsh_secretion_k, h.tsh_secretion_m);
                (p.tsh_basal_umol_h + p.tsh_circadian_umol_h * f_circ * phase.sin()) * suppression
            }
        }
    }

    /// Brain uptake and conversion of plasma T4, 1/h: k3 boosted when brain T3 (`q8`) is low.
    #[inline]
    fn brain_t4_uptake_per_h(&self, q8: f64) -> f64 {
        let p = &self.params;
        match p.version {
            Version::Han2016 => {
                p.k3_per_h + 5.0 * p.k3_per_h / (1.0 + (2.0 * q8 - 7.0).min(700.0).exp())
            }
            Version::CruzLoya2022 => {
                let h = &p.hill_2022;
                p.k3_per_h * (1.0 + 5.0 * (1.0 - hill_up(q8, h.f4_k, h.f4_l)))
            }
        }
    }
}

/// x^n/(x^n + K^n) for x ≥ 0, written as 1/(1 + (K/x)^n) so that large exponents neither
/// overflow nor lose the ratio.
#[inline]
fn hill_up(x: f64, k: f64, n: f64) -> f64 {
    if x <= 0.0 {
        0.0
    } else {
        1.0 / (1.0 + (k / x).powf(n))
    }
}

impl Model for Hpt {
    fn name(&self) -> &str {
        "hpt"
    }

    fn state_names(&self) -> Vec<String> {
        let mut v: Vec<String> = [
            "t4_plasma_umol",
            "t4_fast_tissue_umol",
            "t4_slow_tissue_umol",
            "t3_plasma_umol",
            "t3_fast_tissue_umol",
            "t3_slow_tissue_umol",
            "tsh_plasma_umol",
            "t3_brain",
            "t3_brain_lagged",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        v.extend((1..=DELAY_N).map(|i| format!("tsh_delay_{i}")));
        v
    }

    fn initial_state(&self) -> Vec<f64> {
        self.start.clone()
    }

    fn rhs(&self, t_h: f64, y: &[f64], e: &Effects, dy: &mut [f64]) {
        let p = &self.params;
        // plasma T4, T3 and TSH as the laws see them: per reference plasma volume (2022;
        // ρ = 1 in 2016, where these divisions and the products by ρ below are exact)
        let rho = p.plasma_volume_ratio;
        let q1 = y[T4P] / rho;
        let q4 = y[T3P] / rho;
        let q7 = y[TSHP] / rho;
        let q2 = y[T4FAST].max(0.0);
        let q3 = y[T4SLOW].max(0.0);
        let q8 = y[T3B].max(0.0);
        let q9 = y[T3B_LAG];
        let ft4 = self.free_t4_umol(q1);
        let ft3 = self.free_t3_umol(q1, q4);
        let drive = p.residual_thyroid_function * y[DELAY + DELAY_N - 1];
        let nl = p.d1_fast_vmax_umol_h / (p.d1_fast_km_umol + q2);
        let d1d2 = p.d1_slow_vmax_umol_h / (p.d1_slow_km_umol + q3)
            + p.d2_slow_vmax_umol_h / (p.d2_slow_km_umol + q3);
        let r8 = (q8 / p.lag_half_t3b).powi(11);
        let f_lag = p.lag_floor_per_h + 2.0 * r8 / (1.0 + r8);
        let f4 = self.brain_t4_uptake_per_h(q8);
        let f_deg = p.tsh_degradation_per_h
            + p.tsh_degradation_vmax_umol_h / (p.tsh_degradation_k50_umol + q7.max(0.0));

        dy[T4P] =
            (p.t4_secretion_per_h * drive + p.k12_per_h * y[T4FAST] + p.k13_per_h * y[T4SLOW]
                - (p.k31_free_per_h + p.k21_free_per_h) * ft4)
                * rho
                + e.thyroxine_input_ug_h / T4_UG_PER_UMOL;
        dy[T4FAST] = p.k21_free_per_h * ft4 - (p.k12_per_h + p.k02_per_h + nl) * y[T4FAST];
        dy[T4SLOW] = p.k31_free_per_h * ft4 - (p.k13_per_h + d1d2) * y[T4SLOW];
        dy[T3P] =
            (p.t3_secretion_per_h * drive + p.k45_per_h * y[T3FAST] + p.k46_per_h * y[T3SLOW]
                - (p.k64_free_per_h + p.k54_free_per_h) * ft3)
                * rho
                + e.triiodothyronine_input_ug_h / T3_UG_PER_UMOL;
        dy[T3FAST] =
            p.k54_free_per_h * ft3 + nl * y[T4FAST] - (p.k45_per_h + p.k05_per_h) * y[T3FAST];
        dy[T3SLOW] = p.k64_free_per_h * ft3 + d1d2 * y[T4SLOW] - p.k46_per_h * y[T3SLOW];
        dy[TSHP] = (self.tsh_secretion(t_h, q9) - f_deg * q7) * rho;
        dy[T3B] = f4 / p.t4_plasma_eu_umol * q1 + p.k3_per_h / p.t3_plasma_eu_umol * q4
            - p.t3b_degradation_per_h * y[T3B];
        dy[T3B_LAG] = f_lag * (y[T3B] - q9);
        let k = p.delay_rate_per_h;
        dy[DELAY] = match p.version {
            // the published code's first delay equation (module docs, "Delay-chain gain")
            Version::Han2016 => q7 - k * y[DELAY],
            // unit gain in 2022 (S4 refitted accordingly)
            Version::CruzLoya2022 => k * (q7 - y[DELAY]),
        };
        for i in 1..DELAY_N {
            dy[DELAY + i] = k * (y[DELAY + i - 1] - y[DELAY + i]);
        }
    }

    fn observables(&self) -> Vec<Observable> {
        vec![
            Observable::new("tsh_miu_l", "TSH", "mIU/L"),
            Observable::new("ft4_ng_dl", "free T4", "ng/dL"),
            Observable::new("ft3_pg_ml", "free T3", "pg/mL"),
            Observable::new("total_t4_ug_dl", "total T4", "µg/dL"),
            Observable::new("total_t3_ng_dl", "total T3", "ng/dL"),
        ]
    }

    fn observe(&self, _t_h: f64, y: &[f64], _e: &Effects, out: &mut [f64]) {
        let p = &self.params;
        let vp = p.plasma_volume_l;
        out[0] = TSH_MU_PER_UMOL * y[TSHP] / p.tsh_volume_l;
        // µg/L → ng/dL: × 100; → pg/mL: × 1000; → µg/dL: / 10
        // free fractions at the concentration the laws see (q/ρ), applied to the whole pool
        let rho = p.plasma_volume_ratio;
        let (q1, q4) = (y[T4P] / rho, y[T3P] / rho);
        out[1] = p.ft4_assay_scale * self.free_t4_umol(q1) * rho * T4_UG_PER_UMOL / vp * 100.0;
        out[2] = p.ft3_assay_scale * self.free_t3_umol(q1, q4) * rho * T3_UG_PER_UMOL / vp * 1000.0;
        out[3] = T4_UG_PER_UMOL * y[T4P] / vp / 10.0;
        out[4] = T3_UG_PER_UMOL * y[T3P] / vp * 100.0;
    }

    fn reads(&self, c: Channel) -> bool {
        matches!(c, Channel::ThyroxineInput | Channel::TriiodothyronineInput)
    }

    /// Intravenous T4 enters plasma T4 (q1), T3 plasma T3 (q4): µmol per µg.
    fn direct_input(&self, channel: Channel) -> Option<(usize, f64)> {
        match channel {
            Channel::ThyroxineInput => Some((T4P, 1.0 / T4_UG_PER_UMOL)),
            Channel::TriiodothyronineInput => Some((T3P, 1.0 / T3_UG_PER_UMOL)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_fraction_peaks_where_its_derivative_vanishes() {
        for f in [HptParams::healthy().free_t4, HptParams::healthy().free_t3] {
            let q = f.peak_umol();
            let [_, c1, c2, c3] = f.coefficients;
            assert!((c1 + 2.0 * c2 * q + 3.0 * c3 * q * q).abs() < 1e-15, "{q}");
            // held at the peak beyond it, increasing below it
            assert_eq!(f.at(2.0 * q, q), f.at(q, q));
            assert!(f.at(0.5 * q, q) < f.at(q, q));
        }
        // the values of the module docs: FT3 fraction peaks at 1.58 µmol of plasma T4
        assert!((HptParams::healthy().free_t3.peak_umol() - 1.58).abs() < 0.01);
    }

    #[test]
    fn delay_chain_gain_is_one_over_kdelay() {
        // at equilibrium of the chain with constant TSH: q10 = q7/k, then q11..q15 = q10
        let m = Hpt {
            params: HptParams::healthy(),
            ft4_peak_umol: f64::INFINITY,
            ft3_peak_umol: f64::INFINITY,
            start: PAPER_IC.to_vec(),
        };
        let k = m.params.delay_rate_per_h;
        let mut y = PAPER_IC;
        for i in 0..DELAY_N {
            y[DELAY + i] = y[TSHP] / k;
        }
        let mut dy = [0.0; N];
        m.rhs(0.0, &y, &Effects::default(), &mut dy);
        for i in 0..DELAY_N {
            assert!(dy[DELAY + i].abs() < 1e-12);
        }
    }
}
