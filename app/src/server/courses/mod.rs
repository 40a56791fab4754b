//! Courses: authoring (modules, lessons, publishing), the course wrapper's space, enrolment,
//! progress and the SCORM run-time's storage. Every course has its own space, made with it:
//! the authors own it, enrolled learners are its members, and its forum, blog and Q&A are the
//! lesson discussions, the instructor blog and the course's questions.

mod authoring;
mod catalog;
mod enrol;
pub mod files;
mod lesson;
mod lessons;
mod progress;
mod read;
pub mod stored;

pub use crate::server::policy::courses::{
    is_ld_manager, lesson_course_slug, may_author, may_see_course, require_course_author,
};
pub(crate) use crate::server::topics::person_link;

pub use authoring::*;
pub use catalog::*;
pub use enrol::*;
pub use lesson::*;
pub use lessons::*;
pub use progress::*;
pub use read::*;
