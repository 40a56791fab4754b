//! Pieces the pages are built from.

pub mod discussion;
pub mod draft;
pub mod feed;
pub mod form;
pub mod notifications;
pub mod realtime;
pub mod require;
pub mod scorm;
pub mod session;
pub mod tags;
pub mod top_bar;
pub mod typeahead;
pub mod wall;
