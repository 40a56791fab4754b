//! Pieces the pages are built from. Pages import components, never each other.

pub mod article_editor;
pub mod avatar;
pub mod course_wrapper;
pub mod discussion;
pub mod draft;
pub mod feed;
pub mod form;
pub mod not_found;
pub mod notifications;
pub mod params;
pub mod problem;
pub mod realtime;
pub mod require;
pub mod scorm;
pub mod session;
pub mod tags;
pub mod top_bar;
pub mod topic_form;
pub mod typeahead;
pub mod wall;
