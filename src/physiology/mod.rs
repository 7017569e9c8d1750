//! Physiology: the axes (models with cited equations and parameters) and the drug registry
//! (each drug's PK and the effect channels it drives).
//!
//! - [`axes`]: the male HPG axis ([`axes::hpg`]) and the HPA axis ([`axes::hpa`]).
//! - [`drugs`]: one file per drug family built from the PK blocks of [`drugs::pk`], plus one
//!   line each in the registry. An axis reads effect channels, never drug names.
//!
//! Depends on the engine's vocabulary ([`crate::engine::model`], [`crate::engine::units`]);
//! the HPA axis also runs the engine to find its entrained circadian cycle at construction.

pub mod axes;
pub mod drugs;
