//! Courses: authoring, the catalog, enrolment, lessons in their wrapper, progress and the
//! SCORM run-time's storage.

mod add_lesson;
mod add_module;
mod ask_cohort;
mod assign_course;
mod course_editor;
mod create_course;
mod decide_enrolment;
mod delete_lesson;
mod discuss_lesson;
mod edit_lesson;
mod enrol;
mod get_course;
mod get_lesson;
mod list_courses;
mod mark_lesson_done;
mod may_author;
mod my_learning;
mod publish_course;
mod scorm_commit;
mod scorm_launch;
mod share_progress;
mod update_course;

pub use add_lesson::*;
pub use add_module::*;
pub use ask_cohort::*;
pub use assign_course::*;
pub use course_editor::*;
pub use create_course::*;
pub use decide_enrolment::*;
pub use delete_lesson::*;
pub use discuss_lesson::*;
pub use edit_lesson::*;
pub use enrol::*;
pub use get_course::*;
pub use get_lesson::*;
pub use list_courses::*;
pub use mark_lesson_done::*;
pub use may_author::*;
pub use my_learning::*;
pub use publish_course::*;
pub use scorm_commit::*;
pub use scorm_launch::*;
pub use share_progress::*;
pub use update_course::*;
