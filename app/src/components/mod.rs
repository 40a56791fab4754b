//! Pieces the pages are built from.

pub mod form;
pub mod require;
pub mod session;
pub mod top_bar;
pub mod wall;
