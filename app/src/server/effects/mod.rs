//! The write pipeline's side effects.

pub mod activity;
pub mod index;
pub mod mentions;
pub mod notify;
