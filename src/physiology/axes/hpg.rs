//! The male hypothalamic–pituitary–gonadal (HPG) axis.
//!
//! # Structure
//!
//! The core is the population PK/PD model of Tornøe et al. 2007 (*Br J Clin Pharmacol*
//! 63:648; equations and Table 4 as transcribed in nlmixr2lib, `shared/research/models.md`
//! §1.1): a feedback compartment F driven by the sex steroids, a pituitary LH pool P that
//! is released into serum LH, and testosterone secreted by the Leydig cells with an Emax
//! response to LH. We add, as `models.md` §4.1 proposes, estradiol made from T by
//! aromatase, estrogen feedback through F (so that SERMs and aromatase inhibitors act
//! through the loop), FSH driven by the same hypothalamic signal, SHBG/albumin binding
//! (free T) and an intratesticular T observable. Time in hours.
//!
//! ```text
//! S      = S_rest·(T/T_ref)^λT · (E2_fb/E2_ref)^λE,   E2_fb = E2/(1 + B) + A   (B: ER block, A: ER agonism)
//! d ln F/dt = k_eF · (ln S − ln F)                  (the state is ln F)
//! dQ/dt  = k_on·u·(M_max − Q) − k_off·(1 − u)·Q,  u = g/(1 + g),  g(S) = (S − 1)²/(S + 1) for S > 1, else 0
//! dM/dt  = k_off·(Q − M)                            (memory, one stage behind the exposure signal Q)
//! D      = C·F_e⁻¹ / (C⁴ − 1 + F_e⁻⁴)^¼,  F_e = F·(1 + M)   (hypothalamic drive, ceiling C when S → 0)
//! dP/dt  = R·(1 − I)·(β_LH·(D + Es·A) − k_rel·P·(D + Emax·A))   (A: agonist activation, I: antagonist block;
//!                                                             β_LH = k_eLH·LH_b/D(S_rest))
//! dLH/dt = R·(1 − I)·k_rel·P·(D + Emax·A) − k_eLH·LH
//! dR/dt  = k_R·(1 − (1 − r_min)·A − R)              (GnRH-receptor availability, 1 at rest)
//! dY/dt  = k_L · (c·β_T·(1 + H3(L)) − Y)   (Leydig secretion), L = LH + hCG_eq, H3(L) = Lmax·L^κ/(L50^κ + L^κ)
//! dX/dt  = R_exo/V_T − k_X·X                         (absorbed exogenous T in transit)
//! dT/dt  = β_adr + Y + k_X·X − k_eT·T
//! dE2/dt = k_eE2 · ((1 − AI)·(E_x + e_Y·Y + V_a·FT/(Km + FT)) − E2)   (extragonadal, testis, peripheral)
//! dFSH/dt= k_eFSH · (FSH_b/D_φ(S_rest)·R·(1 − I)·(D_φ + Es·A) − FSH),  D_φ = C^φ·F_e^(−φ) / (C^(4φ) − 1 + F_e^(−4φ))^¼
//! x      = H3(L)/H3(LH_b)                      (Leydig stimulation, 1 at rest)
//! dd/dt  = k_d · (max(x, 1) − d)                (desensitisation to a sustained rise, 1 at rest)
//! dq/dt  = k_c · (max(c_min, 1 + g_c·(x/d − 1)) − q)   (induction signal)
//! dc/dt  = k_c · (q − c)                       (steroidogenic capacity; orchiectomy sets it to 0 for good)
//! ```
//!
//! F follows S in logarithms: F is the power law of log-domain (geometric) effect-site
//! concentrations of T and E2, each lagging serum with Tornøe's k_eF. Near rest this is
//! Tornøe's dF/dt = k_eF·(S − F) to first order (F·ln(S/F) ≈ S − F for S ≈ F ≈ 1, the
//! regime of his data: λ = 0.56 on a degarelix-lowered T). Far from rest it is not: with our
//! λT + λE ≈ 5, a supraphysiological T peak makes S of order 10⁴, and a linear filter of S
//! remembered that peak for weeks (F relaxes from 10⁴ at a 5.8-day half-life), so LH could
//! not escape within a 4-week interval of TE 400 mg (I14-M2, Snyder & Lawrence 1980). In
//! logarithms a peak 100-fold above the set point weighs like a trough 100-fold below it.
//!
//! D is a smooth minimum of Tornøe's H5 = H6 = 1/F and a ceiling C (our form): it is 1/F
//! within 0.1 % whenever F ≥ 1 and d ln D/d ln F = −(1 − C⁻⁴) = −0.997 at rest, so the
//! feedback calibration is that of 1/F; D saturates at C when the sex steroids vanish, so
//! castrate LH is bounded (1/F grows without bound as F → 0).
//!
//! In Tornøe's structure the LH release at steady state equals the synthesis whatever a
//! GnRH analogue does to the release rate, so a sustained agonist or antagonist cannot
//! hold castration. Here both act at the GnRH receptor, which drives LH synthesis and
//! release alike (and FSH secretion, which has no pool here), and the agonist adds to the
//! endogenous drive D. The antagonist blocks a fraction I of the receptor. The agonist
//! empties the pool (Tornøe's flare) and stimulates synthesis, while it lowers the
//! receptor's synthesis, so the available receptor R falls towards r_min (the
//! down-regulation of Romero et al., JPET 2012;342:788, "described as a decrease in
//! receptor synthesis").
//!
//! M is a slow memory of supraphysiological sex-steroid exposure (our phenomenological
//! state, not from a published model): an exposure integrator in two stages. Its signal Q
//! builds towards M_max, over months, only while the feedback signal exceeds its set point
//! (u is 0 for S ≤ 1 and C¹ at S = 1, so the untreated state and every disinhibition
//! experiment are untouched) and decays over weeks when it does not; M follows Q one
//! stage behind. Its size therefore depends on how long the axis was suppressed (12 weeks
//! against 2 years: O20 against O17), not on the peak level, and grows about quadratically
//! with the length of a course at first, so days or weeks of excess leave little.
//! It multiplies the fast feedback (a more sensitive hypothalamus: a lowered set point), so
//! after a long course of exogenous T it keeps LH and FSH suppressed for months after F has
//! relaxed (the prolonged recovery of O17/O20, central suppression after androgen use),
//! while LH still rises when the sex steroids are absent (castration, or the trough of a
//! long dosing interval in primary hypogonadism). An additive memory (F + M, before issue
//! 14's second pass) acted as a feedback signal of its own that no fall in T could lift.
//!
//! Estradiol has three sources (issue 14): the testis (a share of baseline E2 that follows
//! the Leydig secretion Y, so it falls with LH under exogenous T or a GnRH analogue), a
//! T-independent extragonadal part E_x (adrenal precursors), and peripheral aromatisation
//! of free T with Lakshman et al.'s in-vivo Michaelis constant (JCEM 2010), so E2 rises
//! less than T at supraphysiological doses.
//!
//! The Leydig cells have a steroidogenic capacity c (1 at rest) that follows their
//! stimulation through two first-order stages: sustained LH/hCG above rest induces it over
//! days (the second, larger T peak 2–4 days after a single large hCG dose), and it
//! regresses towards c_min when LH is withdrawn (castrate T on a GnRH antagonist falls
//! below the Tornøe model's basal Leydig secretion). The induction sees the stimulation
//! relative to a desensitisation state d that follows it over weeks, so a transient rise
//! (one hCG dose) induces the capacity, while a rise held for months (a SERM, an aromatase
//! inhibitor) leaves T on Tornøe's LH response alone and LH rises as reported (session 7:
//! with a lasting induction, anastrozole and clomiphene raised LH only ×1.2).
//!
//! At the subject's baseline every state is at rest with F = S_rest (the feedback set points
//! T_ref, E2_ref are the subject's own baseline, as in Tornøe's H4 = (Te/Te_base)^λ, scaled
//! by S_rest ≤ 1 when a raised LH shows that his T is below his set point, see
//! [`HpgParams::resting_feedback`]), so the untreated axis holds its steady state exactly.
//!
//! # Parameters and sources
//!
//! See [`HpgParams`]: every default cites its source or says that it is our own
//! calibration and to which row of `shared/calibration/targets.md`.
//!
//! # Known limits
//!
//! No pulsatility and no circadian rhythm (the output is the daily mean); after a
//! GnRH-agonist depot is spent, T returns within weeks (receptor turnover), faster than
//! the months often reported; FSH recovers with LH after androgen use (O17: FSH takes
//! twice as long); on clomiphene 25 mg/day the model raises T ×2.05 where Helo 2017 reports
//! ×2.4 (O32): SHBG is a subject constant here, while clomiphene is reported to raise it.
//! E2 on the day after a TE injection in hypogonadal men rises more than reported (I14-E2);
//! T on 25 mg TE weekly under a GnRH agonist is below Bhasin 2001's (I14-E3a). T 5 and 10
//! days after a month of T gel is below pretreatment (D1, D18: the suppressed LH takes
//! weeks to recover, the labels say days). In young men with a low LH, clomiphene every
//! other day raises LH ×1.4 where Katz 2012 reports ×4.3 (I14-C6); a week after
//! enclomiphene 25 mg/day is stopped T has fallen to 0.75 of its on-drug level, where
//! ZA-204 reports no fall (I14-C3). After a GnRH-agonist
//! depot is spent the axis rebounds (T ~2.8× baseline a week later): F recovers from the
//! deep castrate signal in logarithms while the drive sits at its ceiling. After T
//! cypionate 200 mg IM, T peaks on day 1 where Nankin 1987 reports days 2–5 (I14-TC).
//! After one TE 125 mg in hypogonadal men LH falls within days (0.16 of baseline on day
//! 4), where Nakazawa 2006 saw it fall only from day 5, and E2 follows T below baseline
//! two weeks later where theirs had returned to baseline (I14-E2).

use crate::engine::model::{Channel, Effects, Model, Observable, PkFactors};
use crate::engine::units::T_NG_DL_PER_NMOL_L;
use crate::error::{Error, Result};

/// Baseline labs a subject is calibrated to; any subset.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BaselineLabs {
    /// Total testosterone, ng/dL.
    pub total_t_ng_dl: Option<f64>,
    /// LH, IU/L.
    pub lh_iu_l: Option<f64>,
    /// FSH, IU/L.
    pub fsh_iu_l: Option<f64>,
    /// Estradiol, pg/mL.
    pub e2_pg_ml: Option<f64>,
    /// SHBG, nmol/L.
    pub shbg_nmol_l: Option<f64>,
    /// Body weight, kg (testosterone clearance covariate).
    pub weight_kg: Option<f64>,
    /// Age, years (testosterone clearance covariate).
    pub age_years: Option<f64>,
}

/// Parameters of the HPG axis. Construct with [`HpgParams::healthy`] or
/// [`HpgParams::calibrated`]; fields are public for experiments (a changed parameter set
/// is a new model; the untreated state is always recomputed from it).
#[derive(Debug, Clone, PartialEq)]
pub struct HpgParams {
    // ---- baseline (the subject) ----
    /// Baseline total T, ng/dL. Default 531: median of the harmonized reference range of
    /// healthy non-obese men 19–39 y (R1, Travison et al., JCEM 2017;102:1161).
    pub t_base_ng_dl: f64,
    /// Baseline LH, IU/L. Default 4.76: healthy men of the triptorelin study (Tornøe 2007,
    /// LH_base); inside R4 (2.2–11.6 IU/L).
    pub lh_base_iu_l: f64,
    /// Baseline FSH, IU/L. Default 4.5: inside R4 (1.8–16.5 IU/L, Qin et al. 2012); our
    /// choice of a typical value.
    pub fsh_base_iu_l: f64,
    /// Baseline estradiol, pg/mL. Default 25: inside R4 (65.4–207.7 pmol/L ≈ 18–57 pg/mL);
    /// our choice of a typical value.
    pub e2_base_pg_ml: f64,
    /// SHBG, nmol/L. Default 35: inside R4 (18.2–95.1 nmol/L); gives a Vermeulen free T of
    /// ≈ 109 pg/mL at 531 ng/dL, inside R2 (cFT 2.5th pct 70 pg/mL).
    pub shbg_nmol_l: f64,
    /// Albumin, g/L. Default 43: the Vermeulen calculator default (P9).
    pub albumin_g_l: f64,
    /// Age, years (T clearance covariate). Default 30.
    pub age_years: f64,
    /// Body weight, kg (T clearance covariate). Default 80.
    pub weight_kg: f64,
    /// Individual multiplier on T clearance beyond the age and weight covariates. Default 1.
    pub t_clearance_factor: f64,
    /// Feedback signal S at the subject's rest relative to his hypothalamic set point
    /// (S_rest, in (0, 1]). 1 for the healthy default and whenever the subject's own baseline
    /// is his set point. Below 1 when his T and E2 are below the set point, as in primary
    /// hypogonadism: the testes fail to meet a normal hypothalamus, so LH is raised by the
    /// feedback and falls back when T is replaced. [`HpgParams::calibrated`] sets it from an
    /// LH above the population's resting LH.
    pub resting_feedback: f64,
    /// Individual multipliers on drug absorption and clearance. Default 1.
    pub pk: PkFactors,

    // ---- Tornøe 2007 core (Table 4 via nlmixr2lib) ----
    /// LH pool release rate constant k_rel, 1/h: 0.00241 (Tornøe 2007).
    pub k_rel_per_h: f64,
    /// LH elimination k_eLH, 1/h: 0.535 (Tornøe 2007 degarelix study; t½ 1.3 h as in the
    /// abstract; P15 reports 136 min for infused LH).
    pub k_e_lh_per_h: f64,
    /// Feedback compartment rate k_eF, 1/h: 0.00497 (Tornøe 2007 degarelix study, t½ 5.8 d;
    /// the triptorelin study's 27 d would leave LH at half its O4 suppression after 3 weeks).
    /// Applied to ln F (see the module docs): the same rate near rest.
    pub k_e_f_per_h: f64,
    /// Serum T elimination k_eT, 1/h: ln 2 / 1 h (P1: T half-life ~1 h after iv T, Nebido
    /// SmPC 5.2; P3: 10–100 min). With the clearance below it sets T's volume.
    pub k_e_t_per_h: f64,
    /// Rate at which Leydig T secretion follows LH, k_L, 1/h: 0.55 (t½ 1.26 h). Calibrated
    /// to the short hCG test of Glass & Vigersky (Fertil Steril 1980;34:41: 4000 IU IM in
    /// control men, serum T +24 ± 4 % (SEM) at 2 h; training row I14-H3): the value for which
    /// this model, with its hCG absorption and Leydig saturation, gives +24 % at 2 h. The
    /// earlier closed form (t½ 4.2 h) assumed a saturated acute ratio of 1.86 reached within
    /// the first hour; with the present Leydig response it gave +9 % at 2 h, against its own
    /// source. Tornøe 2007 estimated 7.69 h from the slower LH → T dynamics of a GnRH-agonist
    /// flare, which the slow steroidogenic capacity below now carries. Serum T itself turns
    /// over in about an hour (P1); exogenous T and orchiectomy see that fast clearance.
    pub k_leydig_per_h: f64,
    /// Transfer rate of absorbed exogenous T into serum, 1/h: 0.0901 (t½ 7.69 h). Every T
    /// product's absorbed flux passes this step before serum: ester hydrolysis, lymph and
    /// tissue transfer are not resolved in our sources (P43: no oral-TU Tmax found). The
    /// value is the one the products were calibrated with when serum T itself turned over
    /// at this rate (O2, O8, O9, O12), so those calibrations stand with the fast serum
    /// clearance; O2's Tmax of 1–2 days needs it (release straight into a 1-hour serum pool
    /// would peak within hours).
    pub exogenous_transfer_per_h: f64,
    /// Maximal Leydig stimulation by LH, Lmax: 77.5 (Tornøe 2007).
    pub lmax: f64,
    /// LH of half-maximal Leydig stimulation, L50, IU/L: 5.18 (Tornøe 2007) for the healthy
    /// default; [`HpgParams::calibrated`] solves it from the subject's T and LH.
    pub l50_iu_l: f64,
    /// Hill coefficient of the Leydig response, κ: 1.9 (Tornøe 2007). Before issue 14 it
    /// was raised to 2.3 to bring O32 (long-term clomiphene, LH ×1.5 ⇒ T ×2.4) closer; it is
    /// back at Tornøe's value, which keeps O33 (enclomiphene 14 days: T rise ≤ 339 ng/dL;
    /// model 332 in session 7) and O35 in range (model O32 T 420 vs 488 in session 7). Since
    /// session 7 a sustained LH rise acts through this response alone: the capacity's
    /// induction desensitises (`leydig_desensitisation_half_life_h`).
    pub kappa: f64,

    // ---- our additions ----
    /// Exponent of T in the feedback signal, λT: 2.2. Our own calibration, jointly with
    /// `lambda_e`, to O4 (TE 200 mg/wk: LH to 5 % of baseline at 3 weeks), O35 (anastrozole:
    /// E2 26 → 17 pg/mL, T 343 → 572 ng/dL) and O32 (clomiphene: T ≥ 366 ng/dL); the model
    /// gave 2.7 %, 16.5 and 550, and 369 when they were set (2.0 %, 16.1 and 535, and 420 in
    /// session 8, after later changes), with the gallery's TE test (LH < 10 % of
    /// baseline from week 3 on 200 mg/week in the default man; model 8.4 %). It was 1.0
    /// (λE 2.3) before issue 14: with testicular E2 falling under exogenous T and
    /// aromatisation saturating, E2 rises less on TE, so T itself carries more of the
    /// feedback. Not fitted to the two other aromatase-inhibitor studies, which bracket the
    /// model: Veldhuis 2005 (E2 −50 % ⇒ LH ×2.1) and T'Sjoen 2005 (letrozole, young men,
    /// E2 −46 % ⇒ LH ×4.4).
    pub lambda_t: f64,
    /// Exponent of E2 in the feedback signal, λE: 2.6 (same calibration as `lambda_t`; E2
    /// dominates male LH feedback; 2.3 leaves O32's T at 358 < 366 ng/dL).
    pub lambda_e: f64,
    /// E2 turnover k_eE2, 1/h: ln 2 / 1 h. The E2 half-life is of the order of an hour
    /// (models.md §4.1, not verified); it is fast against the feedback (days), so the value
    /// hardly matters.
    pub k_e_e2_per_h: f64,
    /// FSH turnover k_eFSH, 1/h: ln 2 / 8.5 h, the geometric mean of the FSH glycoform
    /// half-lives 343 and 757 min (P17, Wide et al. JCEM 2022).
    pub k_e_fsh_per_h: f64,
    /// Exponent φ of FSH secretion on the feedback (FSH ∝ F^−φ; LH ∝ F^−1): 1.09, our own
    /// calibration to O4 (FSH falls further than LH: to 3 % vs 5 %; model 3.0 % and 4.2 %).
    pub fsh_feedback_exponent: f64,
    /// Largest suppression memory M_max (the feedback F is multiplied by 1 + M): 160, reached
    /// only after years of exposure (build-up t½ 250 d, decay and transfer t½ 25 d).
    /// The memory has two stages. An exposure signal Q builds towards M_max at
    /// `suppression_memory_onset_half_life_h` while the feedback signal is in excess
    /// (weighted by u(S) = g/(1 + g), 0 at rest) and decays at
    /// `suppression_memory_half_life_h` when it is not; the memory M follows Q at that same
    /// half-life. So M depends on how long the axis was suppressed, not on how high T went,
    /// and grows about quadratically at first: a course of weeks leaves a small, quickly
    /// fading memory, years leave a large one (issue 14: recovery after a short course and
    /// after years of use differ). M_max is large because the loop compensates a central
    /// suppression (T and the Leydig capacity fall, F with them), so LH shows only a part of
    /// it. Our own calibration to two recoveries (fitted rows): O17 (past androgen users: LH
    /// back to the control mean ~9 months after stopping; TE 500 mg/week for 2 years) and
    /// O20 (T/LH back 3–6 months after a 12-week course of TE 200 mg/week). Grid over M_max
    /// 10–160, onset t½ 100–500 d, decay t½ 20–60 d, choosing the largest smallest distance
    /// of the four O17/O20 checks to their limits: 0.047 at (160, 250 d, 25 d), the ridge
    /// flat (0.041–0.047) along M_max/onset; model O17: LH 0.84 and 0.99 of baseline 6 and 12
    /// months after; O20: 0.84 and 0.95 after 3 and 6 months. Held out: LH suppressed on
    /// 200 mg every 2 weeks (I14-M1) and LH escape before the next dose of TE 400 mg every 4
    /// weeks in primary hypogonadism (I14-M2, Snyder & Lawrence 1980). Not blind: M2 and the
    /// 1500 IU hCG peak (I14-H2, lowered by the memory a 5-day exposure built in the
    /// one-stage form) were seen failing before the memory was made multiplicative and
    /// two-stage. FSH recovers with LH in the model (O17: FSH 18.7 months, not fitted).
    /// Short courses (session 6): I14-M3 (Gårevik et al., Subst Abuse Rehabil 2014;5:121:
    /// LH "remained suppressed" 6 weeks after one TE 500 mg in 25 healthy men) is now a
    /// training row too; these values miss it (LH 0.907 of baseline, limit < 0.9). The same
    /// grid rule on O17 + O20 + I14-M3 picks (160, 100 d, 22.5 d; smallest distance 0.034,
    /// I14-M3 0.855), a stronger short-course memory that makes the held-out set worse
    /// (I14-M2 fails: LH 7.9 < 11.6 IU/L before the 5th 400-mg dose; D1 0.17 → 0.11, D18
    /// 0.75 → 0.59), so these values were kept (`examples/memory_grid.rs`,
    /// docs/calibration.md "Session 6, memory data").
    pub suppression_memory_max: f64,
    /// Half-life of the build-up of the memory under continuous excess feedback, h
    /// (calibration as above).
    pub suppression_memory_onset_half_life_h: f64,
    /// Half-life of the decay of the exposure signal once the feedback is no longer in
    /// excess, and of the memory's transfer from it, h (calibration as above).
    pub suppression_memory_half_life_h: f64,
    /// Ceiling C of the hypothalamic drive when the sex-steroid feedback vanishes (castrate
    /// LH / baseline LH): 4.3, from orchidectomy in 5 men 65–81 y with prostate cancer,
    /// immunoreactive LH 10.8 → 46.6 IU/L at 16 weeks ("a fourfold increase"; "Changes in
    /// the qualitative and quantitative secretion of luteinizing hormone (LH) following
    /// orchidectomy in man", abstract read at scilit.com/publications/
    /// 2cb3737497ba47784654cc3dbb8e1c38; authors and journal are not in that record).
    /// Consistent with 30 ± 12 IU/L LH five years after orchidectomy (14 men, "Hormonal
    /// pattern in prostatic carcinoma following orchidectomy: 5-year follow-up", abstract at
    /// scilit.com/publications/87804076fe7f1fbbfd1130c21f1c5653). FSH's ceiling is C^φ
    /// (4.9).
    pub castrate_drive_ceiling: f64,
    /// Maximal stimulation of LH-pool release by a GnRH agonist at full receptor
    /// activation, Emax: 1330 (Tornøe 2007, triptorelin H1).
    pub gnrh_agonist_release_emax: f64,
    /// Stimulation of LH synthesis (and FSH secretion: our assumption, the same factor) by
    /// a GnRH agonist at full activation, Es: 5. Our own calibration, jointly with `gnrh_receptor_turnover_per_h`, to the length of the
    /// flare: T above baseline for 7–10 days on an agonist (O39's source, ACNP fig. 14;
    /// O44 "transient surge"; model: 10.5 days). Not fitted: the size of the flare, T +65 %
    /// (median) at day 3 of leuprolide in CS21 (Klotz et al., BJU Int 2008;102:1531, via
    /// the Firmagon site); model +101 %, near the Leydig ceiling (1 + Lmax)/(1 + H3_b).
    /// FSH goes through the same down-regulated receptor, so it falls with LH on a depot
    /// (O44 "sustained LH/FSH fall"; buserelin: FSH immunoreactivity below baseline from day
    /// 5, JCEM 1988, PMID 3123510), deeper than observed: FSH secretion is partly
    /// GnRH-independent, which is not modelled.
    pub gnrh_agonist_synthesis_emax: f64,
    /// Turnover rate k_R of the pituitary GnRH receptor, 1/h: ln 2 / 4 d. Our own
    /// calibration, jointly with Es, to O44 (leuprolide depot: castrate T after 2–4 weeks,
    /// median ~21 days to ≤ 50 ng/dL; model 21.1 days). The same rate sets the recovery once
    /// the agonist is gone, so T is back within ~2 weeks of the end of a depot's release,
    /// faster than the months often reported (a known limit, like O17/O20).
    pub gnrh_receptor_turnover_per_h: f64,
    /// Receptor left at full, sustained agonist activation, r_min: 0.005. Our own
    /// calibration: LH held below ~5 % of baseline on a depot (LH 0.2 IU/L), so that T
    /// stays castrate with the castrate drive ceiling above (O41 and O44 are therefore
    /// fitted rows, not held out).
    pub gnrh_receptor_residual: f64,
    /// Extragonadal (adrenal) T production as a fraction of the healthy default production:
    /// 0.028, i.e. 15 ng/dL: the median T of 35 men after bilateral orchiectomy measured by
    /// chemiluminescence (Oefelein et al., Urology 2000;56:1021). O39's "~5 % of normal"
    /// comes from older assays.
    pub extragonadal_fraction: f64,
    /// Intratesticular T above serum T, nmol/L, in a man whose resting serum T is
    /// 14.1 nmol/L: 1220 = ITT 1234 minus serum 14.1 nmol/L in the normal men of O4
    /// (Coviello et al., JCEM 2005;90:2595). ITT scales with the Leydig production rate.
    pub itt_production_nmol_l: f64,

    // ---- estradiol sources (issue 14) ----
    /// Share of the subject's baseline E2 secreted by the testis (Leydig cells, LH-driven):
    /// 0.20. "Testes ≤ 20 %, peripheral aromatisation up to ~80 %" (Hess, Reprod Biol
    /// Endocrinol 2003;1:52, citing Longcope's isotope studies; P13). The spermatic-vein
    /// gradient of Kelch et al. (JCI 1972;51:824: E2 1049 vs 20 pg/mL peripheral, T gradient
    /// 110-fold) gives the same order. The testicular part follows the Leydig secretion, so
    /// it falls when LH is suppressed by exogenous T or a GnRH analogue.
    pub testicular_e2_share: f64,
    /// E2 made without testis and without circulating T (aromatisation of adrenal
    /// androstenedione to estrone and on to E2), pg/mL: 4.3. Our own calibration to I14-E1
    /// (healthy men medically castrated for 4 weeks, no add-back: E2 5.1 ± 2.2 pg/mL;
    /// PMC5792144 Table 1; model 5.2 with the castrate T of that scenario). Capped at half
    /// the subject's non-testicular E2, so a subject with a very low E2 keeps a T-driven part.
    pub extragonadal_e2_pg_ml: f64,
    /// In-vivo Michaelis constant of peripheral aromatase for free T, nmol/L: 1.83. Lakshman
    /// et al., JCEM 2010;95:3955 (GnRH agonist plus TE 25–600 mg/week in young and older
    /// men; mechanistic model of free T → free E2: "consistent with saturable
    /// Michaelis-Menten kinetics", Km 1.83 nM for aromatase, independent of age). Free T is
    /// ~0.37 nM at rest, so aromatisation is close to linear at physiological T and
    /// saturates at supraphysiological doses.
    pub aromatase_km_free_t_nmol_l: f64,

    // ---- Leydig steroidogenic capacity (issue 14) ----
    /// Gain of the slow steroidogenic capacity on the Leydig stimulation: the capacity c
    /// is driven towards 1 + g·(x/d − 1) (at least `leydig_capacity_floor`), x =
    /// H3(L)/H3(L_b) the stimulation and d its desensitisation (1 at rest; d follows
    /// max(x, 1) over weeks, so a held stimulation ends at c = 1). 1.1: our own calibration
    /// to I14-H1 (6000 IU hCG IM once in normal men: delayed T peak ×2.4 ± 0.3 SEM at 72–96 h
    /// after an early ×1.6 within 4 h, JCEM 1979 protocol 1; model ×1.87 when set, ×2.07
    /// since session 7). 1.1 is about the largest gain that keeps O5's 125-IU arm (fitted:
    /// ITT on TE plus hCG, 0.75 ± 0.28 in tests/hpg_targets.rs; model 0.50 when set, 0.49
    /// in session 7) in range. It stands for
    /// the induction of steroidogenic enzymes by sustained LH/hCG stimulation (trophic
    /// effect), which gives the second, later T peak after a single large hCG dose, and the
    /// regression of the Leydig cells when LH is withdrawn.
    pub leydig_capacity_gain: f64,
    /// Rate of each of the capacity's two stages, 1/h: ln 2 / 24 h. From the time of the
    /// maximal T after a single large hCG dose: between the 3rd and 5th day after 10,000 IU
    /// (I14-H0, fitted; A simple hCG stimulation test, Arch Androl 1981;6:75: "maximal
    /// increase in plasma testosterone between the third and fifth day"; model 69 h).
    pub leydig_capacity_rate_per_h: f64,
    /// Half-life of the Leydig cells' desensitisation to a sustained rise of their
    /// stimulation, h: 45 days. The induced capacity follows the stimulation relative to a
    /// desensitisation state that tracks the stimulation above rest at this rate, so a
    /// transient rise (a single hCG dose) induces the capacity fully, while a rise held for
    /// months leaves almost none: the sustained T response to LH is Tornøe's alone. Why:
    /// with a lasting induction, T rose far more per unit of LH under a sustained LH rise
    /// than reported: anastrozole 1 mg/day raises LH ×1.55 (5.1 → 7.9 IU/L) with T ×1.67
    /// (Leder et al., JCEM 2004;89:1174), letrozole LH ×4.4 with T ×2.46 in young men
    /// (T'Sjoen et al., JCEM 2005;90:5717), where the model gave LH ×1.2 for T ×1.6. hCG
    /// itself desensitises the human testis ("hCG might induce a testicular steroidogenic
    /// desensitization": a second 6000 IU at 24 h adds nothing, JCEM 1979, the source of
    /// I14-H1; 1500 IU daily for 3 days gives the T of one dose, Padron et al., JCEM 1980).
    /// The rate is our own calibration, jointly with enclomiphene's K_B
    /// (`drugs/clomiphene.rs`), to O32 (Helo 2017: clomiphene 25 mg/day raises LH 4.0 → 6.1
    /// IU/L; model 6.15 at day 119): no source for the time course of desensitisation under
    /// sustained stimulation was found. In the scan (with the earlier K_B) half-lives from
    /// 10 to 30 days changed no held-out check; 7 days or less fail I14-H2 or the training
    /// row I14-H0 (docs/calibration.md, "Session 7"). A consequence: when a long stimulus
    /// stops, d is still high, the capacity sees x/d < 1 and dips below 1 while d decays, so
    /// T is slightly low and LH high (after 6 months of clomiphene 25 mg/day: T 0.97 and LH
    /// 1.14 of baseline 10 weeks after the last dose, 1.10 after 17 weeks) for months
    /// after a long course of a SERM, an aromatase inhibitor or hCG; no row checks it.
    pub leydig_desensitisation_half_life_h: f64,
    /// Lowest steroidogenic capacity (LH absent for long): 0.51. Our own calibration (no
    /// source read for the extent of Leydig regression): the lowest value (to 0.01) that
    /// keeps the week-12 trough of weekly SC TE in the O12 cohort test
    /// (tests/cohort_spread.rs, median within 487 ± 153 ng/dL; 0.51 gives 334.0 and 0.50
    /// 333.85 with the log-domain feedback: the model's trough sits at the lower edge) — the regressed Leydig cells still secrete a
    /// part of the trough T. Held out against it: castrate T on a GnRH analogue (I14-E1,
    /// 20 ± 20 ng/dL; model 24) and on degarelix's label regimen (I14-D1, ≤ 50 ng/dL from
    /// day 28 to 364; model ≤ 48).
    pub leydig_capacity_floor: f64,
}

impl HpgParams {
    /// A healthy young man near the reference medians (R1–R4).
    pub fn healthy() -> Self {
        HpgParams {
            t_base_ng_dl: 531.0,
            lh_base_iu_l: 4.76,
            fsh_base_iu_l: 4.5,
            e2_base_pg_ml: 25.0,
            shbg_nmol_l: 35.0,
            albumin_g_l: 43.0,
            age_years: 30.0,
            weight_kg: 80.0,
            t_clearance_factor: 1.0,
            resting_feedback: 1.0,
            pk: PkFactors::default(),
            k_rel_per_h: 0.00241,
            k_e_lh_per_h: 0.535,
            k_e_f_per_h: 0.00497,
            k_e_t_per_h: std::f64::consts::LN_2,
            k_leydig_per_h: 0.55,
            exogenous_transfer_per_h: 0.0901,
            lmax: 77.5,
            l50_iu_l: 5.18,
            kappa: 1.9,
            lambda_t: 2.2,
            lambda_e: 2.6,
            k_e_e2_per_h: std::f64::consts::LN_2,
            k_e_fsh_per_h: std::f64::consts::LN_2 / 8.5,
            fsh_feedback_exponent: 1.09,
            extragonadal_fraction: 0.028,
            castrate_drive_ceiling: 4.3,
            suppression_memory_max: 160.0,
            suppression_memory_onset_half_life_h: 250.0 * 24.0,
            suppression_memory_half_life_h: 25.0 * 24.0,
            gnrh_agonist_release_emax: 1330.0,
            gnrh_agonist_synthesis_emax: 5.0,
            gnrh_receptor_turnover_per_h: std::f64::consts::LN_2 / (4.0 * 24.0),
            gnrh_receptor_residual: 0.005,
            itt_production_nmol_l: 1220.0,
            testicular_e2_share: 0.20,
            extragonadal_e2_pg_ml: 4.3,
            aromatase_km_free_t_nmol_l: 1.83,
            leydig_capacity_gain: 1.1,
            leydig_capacity_rate_per_h: std::f64::consts::LN_2 / 24.0,
            leydig_capacity_floor: 0.51,
            leydig_desensitisation_half_life_h: 45.0 * 24.0,
        }
    }

    /// A subject whose untreated steady state reproduces `labs`.
    ///
    /// Each lab sets the parameter that carries it physiologically: LH sets the GnRH/LH
    /// drive (β_LH, through LH_base); total T at that LH sets the Leydig cells' LH
    /// sensitivity L50 (a hypogonadal man with normal LH has less responsive Leydig cells;
    /// the number of Leydig cells, β_T, stays that of the healthy default); E2 sets the
    /// aromatase rate, FSH its own drive, SHBG the binding; weight and age set T
    /// clearance. The feedback set points are the subject's own baseline.
    pub fn calibrated(labs: &BaselineLabs) -> Result<Self> {
        let mut p = HpgParams::healthy();
        let check = |field: &str, v: Option<f64>, lo: f64, hi: f64| -> Result<Option<f64>> {
            match v {
                Some(x) if !(x.is_finite() && x >= lo && x <= hi) => Err(Error::Calibration {
                    field: field.into(),
                    value: x.to_string(),
                    reason: format!("must be between {lo} and {hi}"),
                }),
                other => Ok(other),
            }
        };
        if let Some(x) = check("subject.lh", labs.lh_iu_l, 0.05, 200.0)? {
            p.lh_base_iu_l = x;
        }
        if let Some(x) = check("subject.fsh", labs.fsh_iu_l, 0.05, 300.0)? {
            p.fsh_base_iu_l = x;
        }
        if let Some(x) = check("subject.e2", labs.e2_pg_ml, 1.0, 500.0)? {
            p.e2_base_pg_ml = x;
        }
        if let Some(x) = check("subject.shbg", labs.shbg_nmol_l, 1.0, 300.0)? {
            p.shbg_nmol_l = x;
        }
        if let Some(x) = check("subject.weight", labs.weight_kg, 30.0, 300.0)? {
            p.weight_kg = x;
        }
        if let Some(x) = check("subject.age", labs.age_years, 18.0, 110.0)? {
            p.age_years = x;
        }
        let t = check("subject.total_t", labs.total_t_ng_dl, 1.0, 3000.0)?;
        if t.is_some() || labs.lh_iu_l.is_some() {
            let healthy = HpgParams::healthy();
            let t_b = t.unwrap_or(healthy.t_base_ng_dl);
            // production at baseline = extragonadal + β_T(1 + H3(LH_b)), β_T of the default
            let extra = healthy.extragonadal_fraction * healthy.t_base_ng_dl;
            let beta = (healthy.t_base_ng_dl - extra) / (1.0 + healthy.h3(healthy.lh_base_iu_l));
            let needed_h3 = (t_b - extra) / beta - 1.0;
            if !(needed_h3 > 1e-6 && needed_h3 < 0.999 * healthy.lmax) {
                return Err(Error::Calibration {
                    field: "subject.total_t".into(),
                    value: format!("{t_b} ng/dL"),
                    reason: format!(
                        "at LH {} IU/L the Leydig cells of this model can make between {:.0} and {:.0} ng/dL; check the pair (total_t, lh)",
                        p.lh_base_iu_l,
                        extra + beta * 1.0,
                        extra + beta * (1.0 + 0.999 * healthy.lmax)
                    ),
                });
            }
            // H3 = Lmax·L^κ/(L50^κ + L^κ) = h  ⇒  L50 = L·((Lmax − h)/h)^(1/κ)
            p.l50_iu_l =
                p.lh_base_iu_l * ((healthy.lmax - needed_h3) / needed_h3).powf(1.0 / healthy.kappa);
            p.t_base_ng_dl = t_b;
        }
        p.resting_feedback = p.resting_feedback_from_lh(&HpgParams::healthy());
        Ok(p)
    }

    /// The resting feedback S_rest that an LH above the healthy resting LH implies.
    ///
    /// An LH below or at the healthy resting LH (4.76 IU/L) is carried by the GnRH/LH drive
    /// (β_LH) with the set point at the subject's own baseline (S_rest = 1): a low central
    /// drive, as in secondary hypogonadism. An LH above it is read as feedback, the
    /// signature of testicular failure (primary or compensated hypogonadism): the drive
    /// D(S_rest) = LH_b / LH_healthy explains it with the healthy pituitary gain, so the set
    /// point lies above the subject's T and E2 and LH falls when T is replaced (Snyder &
    /// Lawrence, JCEM 1980;51:1335: TE 100 mg weekly brought the raised LH of primary
    /// hypogonadism to normal). The set point is never taken above the healthy young man's
    /// (531 ng/dL T with 25 pg/mL E2), so S_rest ≥ (T_b/531)^λT·(E2_b/25)^λE; an LH beyond
    /// what the feedback can explain (the castrate ceiling C) is carried by the gain. Our own
    /// structural choice; no parameter is fitted.
    fn resting_feedback_from_lh(&self, healthy: &HpgParams) -> f64 {
        let d = self.lh_base_iu_l / healthy.lh_base_iu_l;
        if d <= 1.0 {
            return 1.0;
        }
        let c4 = self.castrate_drive_ceiling.powi(4);
        // D(x) = C·x/(C⁴ − 1 + x⁴)^¼ = d  ⇔  x = d·((C⁴ − 1)/(C⁴ − d⁴))^¼,  S = 1/x
        let from_lh = if d < self.castrate_drive_ceiling {
            1.0 / (d * ((c4 - 1.0) / (c4 - d.powi(4))).sqrt().sqrt())
        } else {
            0.0
        };
        let at_healthy_set_point = (self.lambda_t
            * (self.t_base_ng_dl / healthy.t_base_ng_dl).ln()
            + self.lambda_e * (self.e2_base_pg_ml / healthy.e2_base_pg_ml).ln())
        .exp()
        .min(1.0);
        from_lh.max(at_healthy_set_point)
    }

    /// Leydig response H3 to an LH(-equivalent) concentration.
    #[inline]
    fn h3(&self, lh_iu_l: f64) -> f64 {
        if lh_iu_l <= 0.0 {
            return 0.0;
        }
        let r = (lh_iu_l / self.l50_iu_l).powf(self.kappa);
        self.lmax * r / (1.0 + r)
    }

    /// Apparent metabolic clearance of testosterone, L/h: 1821 L/day in men 19–35 y and
    /// 1390 L/day in men 59–75 y (P6, Coviello et al. JCEM 2006, GnRH-agonist-suppressed
    /// men on graded TE doses), linear in age between 35 and 59, scaled allometrically by
    /// (weight/80 kg)^0.75 (the standard allometric exponent; it reproduces O9's lower
    /// Cavg above 100 kg: (115/82)^0.75 = 1.29 vs 568/426 = 1.33).
    pub fn t_clearance_l_h(&self) -> f64 {
        let (young, old) = (1821.0, 1390.0);
        let a = ((self.age_years - 35.0) / (59.0 - 35.0)).clamp(0.0, 1.0);
        (young + (old - young) * a) / 24.0
            * (self.weight_kg / 80.0).powf(0.75)
            * self.t_clearance_factor
    }

    /// Default inter-individual variability for cohorts (log-normal CV per name of
    /// [`HpgParams::scale`]), used when a `[population]` gives none: T clearance CV 35 %
    /// and depot absorption rate CV 25 %, our calibration to the spread of weekly SC TE
    /// troughs in O12 (week-52 Ctrough 487.2 ± 153.3 ng/dL, CV 31 %; model 32 %). With
    /// clearance variability alone the feedback damps the spread of long-acting depots
    /// (O38 Cmin CV 20 %). Held out: O38 (Nebido steady-state Cmin, inter-individual CV
    /// 34 %, weak source; model 27 %).
    pub const DEFAULT_VARIABILITY: [(&'static str, f64); 2] = [
        ("testosterone_clearance", 0.35),
        ("depot_absorption_rate", 0.25),
    ];

    /// Names accepted by [`HpgParams::scale`] (population variability, scenario
    /// `[population.variability]`).
    pub const VARIABLE: [&'static str; 8] = [
        "testosterone_clearance",
        "depot_absorption_rate",
        "drug_clearance",
        "shbg",
        "aromatase_rate",
        "leydig_sensitivity",
        "lh_drive",
        "fsh_drive",
    ];

    /// Multiply the parameter called `name` by `factor` (one subject of a cohort):
    /// `testosterone_clearance` (T clearance), `depot_absorption_rate` and
    /// `drug_clearance` (every drug's absorption rate / clearance), `shbg`,
    /// `aromatase_rate` (E2 made per T, so baseline E2), `leydig_sensitivity` (divides
    /// L50), `lh_drive` and `fsh_drive` (baseline LH and FSH).
    pub fn scale(&mut self, name: &str, factor: f64) -> Result<()> {
        crate::error::positive(&format!("population.variability.{name}"), factor)?;
        match name {
            "testosterone_clearance" => self.t_clearance_factor *= factor,
            "depot_absorption_rate" => self.pk.absorption_rate *= factor,
            "drug_clearance" => self.pk.drug_clearance *= factor,
            "shbg" => self.shbg_nmol_l *= factor,
            "aromatase_rate" => self.e2_base_pg_ml *= factor,
            "leydig_sensitivity" => self.l50_iu_l /= factor,
            "lh_drive" => self.lh_base_iu_l *= factor,
            "fsh_drive" => self.fsh_base_iu_l *= factor,
            _ => {
                return Err(Error::UnknownName {
                    field: "population.variability".into(),
                    value: name.into(),
                    known: Self::VARIABLE.join(", "),
                })
            }
        }
        Ok(())
    }

    fn validate(&self) -> Result<()> {
        use crate::error::{non_negative, positive};
        let strictly_positive: [(&str, f64); 30] = [
            ("t_clearance_factor", self.t_clearance_factor),
            ("pk.absorption_rate", self.pk.absorption_rate),
            ("pk.drug_clearance", self.pk.drug_clearance),
            ("t_base_ng_dl", self.t_base_ng_dl),
            ("lh_base_iu_l", self.lh_base_iu_l),
            ("fsh_base_iu_l", self.fsh_base_iu_l),
            ("e2_base_pg_ml", self.e2_base_pg_ml),
            ("shbg_nmol_l", self.shbg_nmol_l),
            ("albumin_g_l", self.albumin_g_l),
            ("age_years", self.age_years),
            ("weight_kg", self.weight_kg),
            ("k_rel_per_h", self.k_rel_per_h),
            ("k_e_lh_per_h", self.k_e_lh_per_h),
            ("k_e_f_per_h", self.k_e_f_per_h),
            ("k_e_t_per_h", self.k_e_t_per_h),
            ("k_leydig_per_h", self.k_leydig_per_h),
            ("exogenous_transfer_per_h", self.exogenous_transfer_per_h),
            ("lmax", self.lmax),
            ("l50_iu_l", self.l50_iu_l),
            ("kappa", self.kappa),
            ("k_e_e2_per_h", self.k_e_e2_per_h),
            ("k_e_fsh_per_h", self.k_e_fsh_per_h),
            (
                "suppression_memory_half_life_h",
                self.suppression_memory_half_life_h,
            ),
            (
                "suppression_memory_onset_half_life_h",
                self.suppression_memory_onset_half_life_h,
            ),
            (
                "gnrh_receptor_turnover_per_h",
                self.gnrh_receptor_turnover_per_h,
            ),
            ("gnrh_receptor_residual", self.gnrh_receptor_residual),
            ("itt_production_nmol_l", self.itt_production_nmol_l),
            (
                "aromatase_km_free_t_nmol_l",
                self.aromatase_km_free_t_nmol_l,
            ),
            (
                "leydig_capacity_rate_per_h",
                self.leydig_capacity_rate_per_h,
            ),
            (
                "leydig_desensitisation_half_life_h",
                self.leydig_desensitisation_half_life_h,
            ),
        ];
        for (name, v) in strictly_positive {
            positive(&format!("hpg.{name}"), v)?;
        }
        let zero_or_more: [(&str, f64); 9] = [
            ("lambda_t", self.lambda_t),
            ("lambda_e", self.lambda_e),
            ("fsh_feedback_exponent", self.fsh_feedback_exponent),
            ("extragonadal_fraction", self.extragonadal_fraction),
            ("extragonadal_e2_pg_ml", self.extragonadal_e2_pg_ml),
            ("leydig_capacity_gain", self.leydig_capacity_gain),
            ("suppression_memory_max", self.suppression_memory_max),
            ("gnrh_agonist_release_emax", self.gnrh_agonist_release_emax),
            (
                "gnrh_agonist_synthesis_emax",
                self.gnrh_agonist_synthesis_emax,
            ),
        ];
        for (name, v) in zero_or_more {
            non_negative(&format!("hpg.{name}"), v)?;
        }
        let ranges = [
            (
                "extragonadal_fraction",
                self.extragonadal_fraction < 1.0,
                self.extragonadal_fraction,
                "a fraction of the healthy production: below 1",
            ),
            (
                "gnrh_receptor_residual",
                self.gnrh_receptor_residual <= 1.0,
                self.gnrh_receptor_residual,
                "a fraction of the receptor: at most 1 (1 = no down-regulation)",
            ),
            (
                "testicular_e2_share",
                (0.0..1.0).contains(&self.testicular_e2_share),
                self.testicular_e2_share,
                "a share of baseline E2: at least 0, below 1",
            ),
            (
                "leydig_capacity_floor",
                self.leydig_capacity_floor > 0.0 && self.leydig_capacity_floor <= 1.0,
                self.leydig_capacity_floor,
                "a fraction of the resting capacity: above 0, at most 1",
            ),
            (
                "resting_feedback",
                self.resting_feedback > 0.0 && self.resting_feedback <= 1.0,
                self.resting_feedback,
                "the feedback at rest relative to the set point: above 0, at most 1",
            ),
            (
                "castrate_drive_ceiling",
                self.castrate_drive_ceiling.is_finite() && self.castrate_drive_ceiling > 1.0,
                self.castrate_drive_ceiling,
                "castrate drive / resting drive: a finite number above 1",
            ),
        ];
        for (name, ok, v, reason) in ranges {
            if !ok {
                return Err(Error::invalid(format!("hpg.{name}"), v, reason));
            }
        }
        Ok(())
    }
}

impl Default for HpgParams {
    fn default() -> Self {
        Self::healthy()
    }
}

/// State indices.
const F: usize = 0;
const P: usize = 1;
const LH: usize = 2;
const T: usize = 3;
const E2: usize = 4;
const FSH: usize = 5;
const LEYDIG: usize = 6;
const GNRH_R: usize = 7;
const SECRETION: usize = 8;
const EXO_TRANSIT: usize = 9;
const MEMORY: usize = 10;
const INDUCTION: usize = 11;
const MEMORY_SIGNAL: usize = 12;
const DESENS: usize = 13;

/// The HPG axis model ([`Model`]): states F, LH pool, LH, total T (ng/dL), E2 (pg/mL),
/// FSH, Leydig capacity, GnRH-receptor availability, Leydig T secretion (ng/dL/h), absorbed
/// exogenous T on its way to serum (ng/dL of serum volume), suppression memory, Leydig
/// induction signal, the memory's exposure signal, Leydig desensitisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Hpg {
    params: HpgParams,
    // derived once
    beta_lh: f64,
    beta_t: f64,
    extragonadal_ng_dl_h: f64,
    /// E2 made from T by peripheral aromatase at saturation, pg/mL: the peripheral part of
    /// baseline E2 divided by the saturation Fₜ/(Km + Fₜ) at baseline free T.
    e2_peripheral_max_pg_ml: f64,
    /// Testicular E2 per unit of Leydig T secretion (pg/mL per ng/dL/h).
    e2_per_leydig_secretion: f64,
    /// T-independent E2, pg/mL (after the cap of [`HpgParams::extragonadal_e2_pg_ml`]).
    e2_extragonadal_pg_ml: f64,
    /// Leydig response H3 at the subject's baseline LH.
    h3_base: f64,
    binding: Binding,
    v_t_l: f64,
    /// ITT (nmol/L) per unit of Leydig production (ng/dL/h).
    itt_per_production: f64,
    ln_t_ref: f64,
    ln_e2_ref: f64,
    /// ln S_rest (0 for a subject at his set point).
    ln_s_rest: f64,
    /// FSH secretion per unit drive, IU/L: FSH_b / D_φ(S_rest).
    fsh_gain_iu_l: f64,
    /// C⁴ − 1, C^φ and C^(4φ) − 1 of the drive ceiling C.
    lh_ceiling_4_m1: f64,
    fsh_ceiling: f64,
    fsh_ceiling_4_m1: f64,
    /// Rates of the suppression memory's decay and build-up, ln 2 / half-life, 1/h.
    k_memory_per_h: f64,
    k_memory_onset_per_h: f64,
    /// Rate of the Leydig desensitisation, ln 2 / half-life, 1/h.
    k_desensitisation_per_h: f64,
}

impl Hpg {
    /// The axis with `params`, unchecked: for parameters from [`HpgParams::healthy`] or
    /// [`HpgParams::calibrated`]. Use [`Hpg::try_new`] for hand-edited parameters (a zero
    /// or negative rate is then a typed error instead of a non-finite trajectory).
    pub fn new(params: HpgParams) -> Self {
        Self::build(params)
    }

    /// The axis with `params`, checked.
    pub fn try_new(params: HpgParams) -> Result<Self> {
        params.validate()?;
        Ok(Self::build(params))
    }

    /// A healthy young man.
    pub fn healthy() -> Self {
        Self::build(HpgParams::healthy())
    }

    fn build(p: HpgParams) -> Self {
        let healthy = HpgParams::healthy();
        let healthy_production = healthy.k_e_t_per_h * healthy.t_base_ng_dl;
        let extragonadal = p.extragonadal_fraction * healthy_production;
        let h3_base = p.h3(p.lh_base_iu_l);
        let beta_t = (p.k_e_t_per_h * p.t_base_ng_dl - extragonadal).max(0.0) / (1.0 + h3_base);
        let secretion_base = beta_t * (1.0 + h3_base);
        let e2_testis = p.testicular_e2_share * p.e2_base_pg_ml;
        let e2_extra = p
            .extragonadal_e2_pg_ml
            .min(0.5 * (p.e2_base_pg_ml - e2_testis).max(0.0));
        let e2_peripheral = (p.e2_base_pg_ml - e2_testis - e2_extra).max(0.0);
        let km = p.aromatase_km_free_t_nmol_l;
        let binding = Binding::new(p.shbg_nmol_l, p.albumin_g_l);
        let ft_base_nmol_l = binding.free_t_nmol_l(p.t_base_ng_dl);
        let saturation_base = ft_base_nmol_l / (km + ft_base_nmol_l);
        let lh_ceiling_4_m1 = p.castrate_drive_ceiling.powi(4) - 1.0;
        let fsh_ceiling = p.castrate_drive_ceiling.powf(p.fsh_feedback_exponent);
        let fsh_ceiling_4_m1 = p.castrate_drive_ceiling.powf(4.0 * p.fsh_feedback_exponent) - 1.0;
        let drive_rest = Self::ceiled(
            1.0 / p.resting_feedback,
            p.castrate_drive_ceiling,
            lh_ceiling_4_m1,
        );
        let fsh_drive_rest = Self::ceiled(
            p.resting_feedback.powf(-p.fsh_feedback_exponent),
            fsh_ceiling,
            fsh_ceiling_4_m1,
        );
        Hpg {
            e2_peripheral_max_pg_ml: if saturation_base > 0.0 {
                e2_peripheral / saturation_base
            } else {
                0.0
            },
            e2_per_leydig_secretion: if secretion_base > 0.0 {
                e2_testis / secretion_base
            } else {
                0.0
            },
            e2_extragonadal_pg_ml: e2_extra,
            h3_base,
            binding,
            beta_lh: p.k_e_lh_per_h * p.lh_base_iu_l / drive_rest,
            fsh_gain_iu_l: p.fsh_base_iu_l / fsh_drive_rest,
            ln_s_rest: p.resting_feedback.ln(),
            beta_t,
            extragonadal_ng_dl_h: extragonadal,
            v_t_l: p.t_clearance_l_h() / p.k_e_t_per_h,
            itt_per_production: p.itt_production_nmol_l
                / (p.k_e_t_per_h * 14.1 * T_NG_DL_PER_NMOL_L - extragonadal),
            ln_t_ref: p.t_base_ng_dl.ln(),
            ln_e2_ref: p.e2_base_pg_ml.ln(),
            lh_ceiling_4_m1,
            fsh_ceiling,
            fsh_ceiling_4_m1,
            k_memory_per_h: std::f64::consts::LN_2 / p.suppression_memory_half_life_h,
            k_memory_onset_per_h: std::f64::consts::LN_2 / p.suppression_memory_onset_half_life_h,
            k_desensitisation_per_h: std::f64::consts::LN_2 / p.leydig_desensitisation_half_life_h,
            params: p,
        }
    }

    /// The parameters.
    pub fn params(&self) -> &HpgParams {
        &self.params
    }

    /// Free testosterone, pg/mL, from total T (ng/dL) by the mass-action equation of
    /// Vermeulen, Verdonck & Kaufman (JCEM 1999;84:3666) with K_SHBG = 1.0e9 L/mol and
    /// K_albumin = 3.6e4 L/mol (P9).
    pub fn free_t_pg_ml(&self, total_t_ng_dl: f64) -> f64 {
        self.binding.free_t_nmol_l(total_t_ng_dl) * T_PG_ML_PER_NMOL_L
    }

    /// E2 production target (pg/mL, before aromatase inhibition `ai`): extragonadal +
    /// testicular (∝ Leydig secretion) + peripheral aromatisation of free T (saturable,
    /// Lakshman 2010).
    #[inline]
    fn e2_target_pg_ml(&self, total_t_ng_dl: f64, leydig_secretion: f64, ai: f64) -> f64 {
        let ft_nmol_l = self.binding.free_t_nmol_l(total_t_ng_dl);
        let peripheral = self.e2_peripheral_max_pg_ml * ft_nmol_l
            / (self.params.aromatase_km_free_t_nmol_l + ft_nmol_l);
        (1.0 - ai)
            * (self.e2_extragonadal_pg_ml
                + self.e2_per_leydig_secretion * leydig_secretion.max(0.0)
                + peripheral)
    }

    /// Smooth minimum of a drive `x` (1 at rest) and its ceiling `m`:
    /// m·x/(m⁴ − 1 + x⁴)^¼, with `m4_m1` = m⁴ − 1; 1 at x = 1.
    #[inline]
    fn ceiled(x: f64, m: f64, m4_m1: f64) -> f64 {
        let x2 = x * x;
        m * x / (m4_m1 + x2 * x2).sqrt().sqrt()
    }

    /// Endogenous (Leydig) T production, ng/dL/h, for the Leydig response `h3` =
    /// H3(LH + LH-receptor agonist).
    #[inline]
    fn leydig_production(&self, y: &[f64], h3: f64) -> f64 {
        y[LEYDIG] * self.beta_t * (1.0 + h3)
    }
}

/// Mass-action binding of T to SHBG and albumin by Vermeulen, Verdonck & Kaufman (JCEM
/// 1999;84:3666) with K_SHBG = 1.0e9 L/mol and K_albumin = 3.6e4 L/mol (P9); the subject's
/// constants are computed once, so the right-hand side solves only the quadratic.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Binding {
    /// 1 + K_alb·[albumin]
    n: f64,
    /// SHBG, mol/L
    shbg_mol_l: f64,
    /// n·K_SHBG
    a: f64,
}

const K_SHBG_L_MOL: f64 = 1.0e9;

impl Binding {
    fn new(shbg_nmol_l: f64, albumin_g_l: f64) -> Self {
        const K_ALB: f64 = 3.6e4;
        const ALBUMIN_G_PER_MOL: f64 = 66_430.0;
        let n = 1.0 + K_ALB * albumin_g_l / ALBUMIN_G_PER_MOL;
        Binding {
            n,
            shbg_mol_l: shbg_nmol_l * 1e-9,
            a: n * K_SHBG_L_MOL,
        }
    }

    /// Free T, nmol/L, at `total_t_ng_dl`.
    #[inline]
    fn free_t_nmol_l(&self, total_t_ng_dl: f64) -> f64 {
        let tt = total_t_ng_dl.max(0.0) / T_NG_DL_PER_NMOL_L * 1e-9; // mol/L
        let b = self.n + K_SHBG_L_MOL * (self.shbg_mol_l - tt);
        let ft = (-b + (b * b + 4.0 * self.a * tt).sqrt()) / (2.0 * self.a); // mol/L
        ft * 1e9
    }
}

/// pg/mL of T per nmol/L (M = 288.4 g/mol).
const T_PG_ML_PER_NMOL_L: f64 = 10.0 * T_NG_DL_PER_NMOL_L;

impl Model for Hpg {
    fn name(&self) -> &str {
        "hpg"
    }

    fn state_names(&self) -> Vec<String> {
        [
            "ln_feedback",
            "lh_pool",
            "lh_iu_l",
            "total_t_ng_dl",
            "e2_pg_ml",
            "fsh_iu_l",
            "leydig_capacity",
            "gnrh_receptor",
            "leydig_secretion",
            "exogenous_t_transit",
            "suppression_memory",
            "leydig_induction",
            "suppression_memory_signal",
            "leydig_desensitisation",
        ]
        .map(String::from)
        .to_vec()
    }

    fn initial_state(&self) -> Vec<f64> {
        let p = &self.params;
        vec![
            self.ln_s_rest,
            self.beta_lh / p.k_rel_per_h,
            p.lh_base_iu_l,
            p.t_base_ng_dl,
            p.e2_base_pg_ml,
            p.fsh_base_iu_l,
            1.0,
            1.0,
            self.beta_t * (1.0 + self.h3_base),
            0.0,
            0.0,
            1.0,
            0.0,
            1.0,
        ]
    }

    #[inline]
    fn rhs(&self, _t_h: f64, y: &[f64], e: &Effects, dy: &mut [f64]) {
        let p = &self.params;
        let t = y[T].max(1e-9);
        let e2_fb = (y[E2].max(0.0) / (1.0 + e.er_antagonism) + e.er_agonism_e2_pg_ml).max(1e-9);
        // S = (T/T_ref)^λT · (E2_fb/E2_ref)^λE, in logs: one exp instead of two powf
        let ln_s = p.lambda_t * (t.ln() - self.ln_t_ref)
            + p.lambda_e * (e2_fb.ln() - self.ln_e2_ref)
            + self.ln_s_rest;
        dy[F] = p.k_e_f_per_h * (ln_s - y[F]);
        let s = ln_s.exp();
        let excess = if s > 1.0 {
            (s - 1.0) * (s - 1.0) / (s + 1.0)
        } else {
            0.0
        };
        let u = excess / (1.0 + excess);
        let q = y[MEMORY_SIGNAL];
        dy[MEMORY_SIGNAL] = self.k_memory_onset_per_h * u * (p.suppression_memory_max - q)
            - self.k_memory_per_h * (1.0 - u) * q;
        dy[MEMORY] = self.k_memory_per_h * (q - y[MEMORY]);
        let f_e = y[F].exp() * (1.0 + y[MEMORY].max(0.0));
        let drive = Self::ceiled(1.0 / f_e, p.castrate_drive_ceiling, self.lh_ceiling_4_m1);
        let activation = e.gnrh_agonist_activation.clamp(0.0, 1.0);
        let receptor = y[GNRH_R].max(0.0);
        let signal = receptor * (1.0 - e.gnrh_antagonist_inhibition.clamp(0.0, 1.0));
        let synthesis =
            signal * self.beta_lh * (drive + p.gnrh_agonist_synthesis_emax * activation);
        let release =
            signal * p.k_rel_per_h * y[P] * (drive + p.gnrh_agonist_release_emax * activation);
        dy[P] = synthesis - release;
        dy[LH] = release - p.k_e_lh_per_h * y[LH];
        dy[GNRH_R] = p.gnrh_receptor_turnover_per_h
            * (1.0 - (1.0 - p.gnrh_receptor_residual) * activation - y[GNRH_R]);
        // 1 mg/L = 1e5 ng/dL
        let exo = e.exogenous_testosterone_mg_h * 1e5 / self.v_t_l;
        // the Leydig response, once per call (one powf): it drives both secretion and the
        // induction of capacity below
        let h3 = p.h3(y[LH] + e.lh_receptor_agonist_iu_l);
        dy[SECRETION] = p.k_leydig_per_h * (self.leydig_production(y, h3) - y[SECRETION]);
        let transfer = p.exogenous_transfer_per_h * y[EXO_TRANSIT];
        dy[EXO_TRANSIT] = exo - transfer;
        dy[T] = self.extragonadal_ng_dl_h + y[SECRETION].max(0.0) - p.k_e_t_per_h * y[T] + transfer;
        let ai = e.aromatase_inhibition.clamp(0.0, 1.0);
        dy[E2] = p.k_e_e2_per_h * (self.e2_target_pg_ml(y[T], y[SECRETION], ai) - y[E2]);
        let fsh_drive = Self::ceiled(
            f_e.powf(-p.fsh_feedback_exponent),
            self.fsh_ceiling,
            self.fsh_ceiling_4_m1,
        );
        let fsh_secretion =
            self.fsh_gain_iu_l * signal * (fsh_drive + p.gnrh_agonist_synthesis_emax * activation);
        dy[FSH] = p.k_e_fsh_per_h * (fsh_secretion - y[FSH]);
        // Slow steroidogenic capacity: induced by Leydig stimulation above the resting one,
        // regressing below it; 0 stays 0 (orchiectomy).
        // Two first-order stages (signal, then enzyme), so that the induced capacity rises
        // with a delay after a stimulus (the second T peak days after an hCG dose).
        let stimulation = h3 / self.h3_base;
        // Desensitisation: follows the stimulation above rest, so a sustained rise of LH
        // leaves no lasting induction (the capacity sees stimulation / desensitisation).
        dy[DESENS] = self.k_desensitisation_per_h * (stimulation.max(1.0) - y[DESENS]);
        let induced = stimulation / y[DESENS].max(1.0);
        let target = (1.0 + p.leydig_capacity_gain * (induced - 1.0)).max(p.leydig_capacity_floor);
        dy[INDUCTION] = p.leydig_capacity_rate_per_h * (target - y[INDUCTION]);
        dy[LEYDIG] = if y[LEYDIG] > 0.0 {
            p.leydig_capacity_rate_per_h * (y[INDUCTION] - y[LEYDIG])
        } else {
            0.0
        };
    }

    fn observables(&self) -> Vec<Observable> {
        vec![
            Observable::new("lh_iu_l", "LH", "IU/L"),
            Observable::new("fsh_iu_l", "FSH", "IU/L"),
            Observable::new("total_t_ng_dl", "total testosterone", "ng/dL"),
            Observable::new("free_t_pg_ml", "free testosterone (Vermeulen)", "pg/mL"),
            Observable::new("e2_pg_ml", "estradiol", "pg/mL"),
            Observable::new("shbg_nmol_l", "SHBG", "nmol/L"),
            Observable::new(
                "intratesticular_t_nmol_l",
                "intratesticular testosterone",
                "nmol/L",
            ),
        ]
    }

    fn observe(&self, _t_h: f64, y: &[f64], _e: &Effects, out: &mut [f64]) {
        out[0] = y[LH];
        out[1] = y[FSH];
        out[2] = y[T];
        out[3] = self.free_t_pg_ml(y[T]);
        out[4] = y[E2];
        out[5] = self.params.shbg_nmol_l;
        out[6] = self.itt_per_production * y[SECRETION].max(0.0) + y[T] / T_NG_DL_PER_NMOL_L;
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

    fn pk_factors(&self) -> PkFactors {
        self.params.pk
    }

    /// The Leydig capacity and its induction signal. The capacity's right-hand side holds it
    /// at zero once it is zero (orchiectomy), and it follows the induction signal down, so a
    /// steady-state step that took either below zero found a spurious castrate root (half
    /// of the precision study's steady states did before session 7). Protecting every
    /// state was tried: it slowed the Anderson iteration on the memory's slow states until it
    /// stalled, for no gain; the other states have no such absorbing zero.
    fn nonnegative_states(&self) -> Vec<usize> {
        vec![LEYDIG, INDUCTION]
    }

    /// `orchiectomy`: the Leydig capacity and secretion go to 0; serum T falls to the
    /// extragonadal level (15 ng/dL) with its own clearance (t½ ~1 h): below 50 ng/dL within
    /// about 4 hours (O39: "within a few hours").
    fn apply_procedure(&self, name: &str, y: &mut [f64]) {
        if name == "orchiectomy" {
            y[LEYDIG] = 0.0;
            y[SECRETION] = 0.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vermeulen_matches_worked_example() {
        // Closed-form check of the quadratic: with SHBG = 0 only albumin binds, so
        // free = total / (1 + K_alb·[alb]).
        let mut p = HpgParams::healthy();
        p.shbg_nmol_l = 1e-12;
        let m = Hpg::new(p);
        let n = 1.0 + 3.6e4 * 43.0 / 66_430.0;
        let free = m.free_t_pg_ml(500.0); // 500 ng/dL = 5000 pg/mL total
        assert!((free - 5000.0 / n).abs() / (5000.0 / n) < 1e-6, "{free}");
    }

    #[test]
    fn calibration_reproduces_labs_and_rejects_impossible_ones() {
        let labs = BaselineLabs {
            total_t_ng_dl: Some(205.0),
            lh_iu_l: Some(4.0),
            e2_pg_ml: Some(17.0),
            ..Default::default()
        };
        let p = HpgParams::calibrated(&labs).unwrap();
        let m = Hpg::new(p.clone());
        let y = m.initial_state();
        let mut dy = vec![0.0; y.len()];
        m.rhs(0.0, &y, &Effects::default(), &mut dy);
        assert!(
            dy.iter()
                .zip(&y)
                .all(|(d, v)| d.abs() <= 1e-12 * v.abs().max(1.0)),
            "{dy:?}"
        );
        assert_eq!(y[T], 205.0);
        assert!(
            p.l50_iu_l > 5.18,
            "a low-T man with normal LH has less sensitive Leydig cells"
        );
        let bad = BaselineLabs {
            total_t_ng_dl: Some(5000.0),
            ..Default::default()
        };
        assert!(matches!(
            HpgParams::calibrated(&bad),
            Err(Error::Calibration { .. })
        ));
        let nan = BaselineLabs {
            lh_iu_l: Some(f64::NAN),
            ..Default::default()
        };
        assert!(matches!(
            HpgParams::calibrated(&nan),
            Err(Error::Calibration { .. })
        ));
    }

    /// The resting-feedback rule: LH at or below the healthy resting LH keeps the set point
    /// at the subject's baseline (S_rest = 1); a raised LH puts it above (S_rest < 1), never
    /// above the healthy young man's set point; the untreated state is at rest either way,
    /// and every lab is reproduced.
    #[test]
    fn raised_lh_is_read_as_feedback_and_the_axis_stays_at_rest() {
        let rest = |labs: BaselineLabs| {
            let p = HpgParams::calibrated(&labs).unwrap();
            let m = Hpg::new(p.clone());
            let y = m.initial_state();
            let mut dy = vec![0.0; y.len()];
            m.rhs(0.0, &y, &Effects::default(), &mut dy);
            for (i, (d, v)) in dy.iter().zip(&y).enumerate() {
                assert!(d.abs() <= 1e-12 * v.abs().max(1.0), "state {i}: {dy:?}");
            }
            assert!((y[LH] - p.lh_base_iu_l).abs() < 1e-12);
            assert!((y[FSH] - p.fsh_base_iu_l).abs() < 1e-12);
            p
        };
        let secondary = BaselineLabs {
            total_t_ng_dl: Some(205.0),
            lh_iu_l: Some(4.0),
            ..Default::default()
        };
        assert_eq!(rest(secondary).resting_feedback, 1.0);
        // primary hypogonadism: LH 30 IU/L is above what the feedback can explain with the
        // healthy gain (30/4.76 > C = 4.3), so the set point is the healthy one:
        // S_rest = (150/531)^2.2 (E2 at its default 25 pg/mL)
        let primary = BaselineLabs {
            total_t_ng_dl: Some(150.0),
            lh_iu_l: Some(30.0),
            ..Default::default()
        };
        let s = rest(primary).resting_feedback;
        assert!((s - (150.0_f64 / 531.0).powf(2.2)).abs() < 1e-12, "{s}");
        // a mildly raised LH (6 IU/L) with T near the healthy median: the feedback explains
        // it, D(S_rest) = 6/4.76 (closed form of the ceiled drive)
        let mild = BaselineLabs {
            total_t_ng_dl: Some(450.0),
            lh_iu_l: Some(6.0),
            ..Default::default()
        };
        let p = rest(mild);
        let c = p.castrate_drive_ceiling;
        let x = 1.0 / p.resting_feedback;
        let d = c * x / (c.powi(4) - 1.0 + x.powi(4)).powf(0.25);
        assert!((d - 6.0 / 4.76).abs() < 1e-9, "{d}");
    }

    /// Hand-edited parameters out of their physical range are typed errors naming the
    /// field and the value as given (not a shifted value).
    #[test]
    fn try_new_rejects_out_of_range_parameters() {
        type Set = fn(&mut HpgParams, f64);
        let cases: [(&str, Set, f64); 10] = [
            (
                "suppression_memory_max",
                |p, v| p.suppression_memory_max = v,
                -0.5,
            ),
            (
                "gnrh_agonist_release_emax",
                |p, v| p.gnrh_agonist_release_emax = v,
                -0.5,
            ),
            (
                "gnrh_agonist_synthesis_emax",
                |p, v| p.gnrh_agonist_synthesis_emax = v,
                -0.9,
            ),
            (
                "extragonadal_fraction",
                |p, v| p.extragonadal_fraction = v,
                -0.5,
            ),
            (
                "extragonadal_fraction",
                |p, v| p.extragonadal_fraction = v,
                1.0,
            ),
            (
                "castrate_drive_ceiling",
                |p, v| p.castrate_drive_ceiling = v,
                0.5,
            ),
            (
                "gnrh_receptor_residual",
                |p, v| p.gnrh_receptor_residual = v,
                1.5,
            ),
            ("lambda_e", |p, v| p.lambda_e = v, f64::NAN),
            ("resting_feedback", |p, v| p.resting_feedback = v, 0.0),
            ("resting_feedback", |p, v| p.resting_feedback = v, 1.5),
        ];
        for (name, set, v) in cases {
            let mut p = HpgParams::healthy();
            set(&mut p, v);
            match Hpg::try_new(p) {
                Err(Error::InvalidValue { field, value, .. }) => {
                    assert_eq!(field, format!("hpg.{name}"));
                    assert_eq!(value, v.to_string());
                }
                other => panic!("{name} = {v}: {other:?}"),
            }
        }
        assert!(Hpg::try_new(HpgParams::healthy()).is_ok());
    }
}
