//! The built-in axes. Each is a [`crate::Model`] with typed parameters whose defaults cite
//! their sources.
//!
//! API contract used by the scenario layer and the CLI (keep these names):
//! - [`hpg::Hpg::new`]`(HpgParams)`, [`hpg::HpgParams::healthy`],
//!   [`hpg::HpgParams::calibrated`]`(&BaselineLabs) -> Result<HpgParams>`,
//!   [`hpg::BaselineLabs`] with optional `total_t_ng_dl`, `lh_iu_l`, `fsh_iu_l`,
//!   `e2_pg_ml`, `shbg_nmol_l`, `weight_kg`, `age_years`.
//! - [`hpa::Hpa::new`]`(HpaParams)`, [`hpa::HpaParams::healthy`],
//!   [`hpa::HpaParams::for_condition`]`(Condition)`, [`hpa::Condition`] with
//!   `from_name`/`name` (`"healthy"`, `"primary_adrenal_insufficiency"`,
//!   `"secondary_adrenal_insufficiency"`), [`hpa::HpaParams::gland_mass_layer`] (bool).
//! - [`hpt::Hpt::try_new`]`(HptParams) -> Result<Hpt>`, [`hpt::Hpt::healthy`], [`hpt::HptParams::healthy`],
//!   [`hpt::HptParams::athyreotic`], fields `residual_thyroid_function` (0..1), `weight_kg`.

pub mod hpa;
pub mod hpg;
pub mod hpt;
