//! Courses: modules and lessons, enrolment, progress, and what their pages show.

use serde::{Deserialize, Serialize};

use super::feed::Link;
use super::ids::{CourseId, LessonFileId, LessonId, ModuleId, PackageId, TopicId, UserId};
use super::scorm::ScormVersion;

/// What a lesson is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LessonKind {
    /// A Markdown page.
    Page,
    /// A video file the browser plays, or a page from a video site shown in a frame.
    Video,
    /// A SCORM 1.2 or 2004 package.
    Package,
    /// A file to download (slides, a workbook, a PDF), with an optional text.
    File,
}

impl LessonKind {
    pub const ALL: [LessonKind; 4] = [
        LessonKind::Page,
        LessonKind::Video,
        LessonKind::Package,
        LessonKind::File,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LessonKind::Page => "page",
            LessonKind::Video => "video",
            LessonKind::Package => "package",
            LessonKind::File => "file",
        }
    }

    pub fn parse(s: &str) -> Option<LessonKind> {
        LessonKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            LessonKind::Page => "Page",
            LessonKind::Video => "Video",
            LessonKind::Package => "SCORM package",
            LessonKind::File => "File",
        }
    }
}

/// How people come to take a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EnrolPolicy {
    /// Anyone signed in enrols themselves.
    Open,
    /// People ask; the course's authors approve.
    Request,
    /// Only people an admin, L&D manager or author assigns.
    Assigned,
}

impl EnrolPolicy {
    pub const ALL: [EnrolPolicy; 3] = [
        EnrolPolicy::Open,
        EnrolPolicy::Request,
        EnrolPolicy::Assigned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EnrolPolicy::Open => "open",
            EnrolPolicy::Request => "request",
            EnrolPolicy::Assigned => "assigned",
        }
    }

    pub fn parse(s: &str) -> Option<EnrolPolicy> {
        EnrolPolicy::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            EnrolPolicy::Open => "Open: anyone signed in can enrol",
            EnrolPolicy::Request => "By request: authors approve",
            EnrolPolicy::Assigned => "Assigned only: admins, L&D and authors enrol people",
        }
    }
}

/// A course title: 3 to 200 characters.
pub fn check_course_title(raw: &str) -> Result<String, String> {
    super::discussion::check_title(raw)
}

/// A course summary: at most 2,000 characters.
pub fn check_summary(raw: &str) -> Result<String, String> {
    let t = raw.trim();
    let n = t.chars().count();
    if n > 2000 {
        return Err(format!(
            "A summary can be at most 2,000 characters; this one has {n}."
        ));
    }
    Ok(t.to_owned())
}

/// A video address: `https://` (or `http://`) only; empty when the video is to be uploaded.
pub fn check_video_url(raw: &str) -> Result<String, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(String::new());
    }
    let ok = (t.starts_with("https://") || t.starts_with("http://"))
        && t.len() <= 2000
        && !t.contains(char::is_whitespace)
        && !t.contains(['"', '<', '>']);
    if !ok {
        return Err("Give a web address starting with https://.".into());
    }
    Ok(t.to_owned())
}

/// How a video address is shown: a file the browser plays in `<video>`, or a page from a video
/// site in a frame (its embed address).
pub fn video_source(url: &str) -> (String, bool) {
    let lower = url.to_ascii_lowercase();
    let path = lower.split(['?', '#']).next().unwrap_or_default();
    if [".mp4", ".webm", ".ogg", ".ogv", ".mov", ".m4v"]
        .iter()
        .any(|ext| path.ends_with(ext))
    {
        return (url.to_owned(), false);
    }
    let youtube_id = url
        .split_once("youtube.com/watch?v=")
        .or_else(|| url.split_once("youtu.be/"))
        .map(|(_, rest)| {
            rest.split(['&', '?', '#'])
                .next()
                .unwrap_or_default()
                .to_owned()
        });
    if let Some(id) = youtube_id.filter(|id| !id.is_empty()) {
        return (format!("https://www.youtube-nocookie.com/embed/{id}"), true);
    }
    if let Some((_, rest)) = url.split_once("vimeo.com/") {
        let id: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if !id.is_empty() {
            return (format!("https://player.vimeo.com/video/{id}"), true);
        }
    }
    (url.to_owned(), true)
}

/// A file uploaded to a lesson: its video, its download, or a picture its page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonFile {
    pub id: LessonFileId,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

impl LessonFile {
    /// Where it is served (to people who may take the lesson).
    pub fn url(&self) -> String {
        lesson_file_url(self.id)
    }

    /// "workbook.pdf (1.2 MB)".
    pub fn describe(&self) -> String {
        format!("{} ({})", self.name, human_size(self.size))
    }
}

pub fn lesson_file_url(id: LessonFileId) -> String {
    format!("/media/lesson-file/{id}")
}

/// A size in bytes as people read it: "900 bytes", "12 KB", "1.2 MB".
pub fn human_size(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if b < 1024.0 {
        format!("{bytes} bytes")
    } else if b < 1024.0 * 1024.0 {
        format!("{:.0} KB", b / 1024.0)
    } else if b < 1024.0 * 1024.0 * 1024.0 {
        format!("{:.1} MB", b / (1024.0 * 1024.0))
    } else {
        format!("{:.1} GB", b / (1024.0 * 1024.0 * 1024.0))
    }
}

/// The address of a course's cover picture of `width` (1200 or 600), if it has one.
pub fn course_cover_url(course: CourseId, width: u32, version: Option<i64>) -> Option<String> {
    version.map(|v| format!("/media/course/{course}/{width}?v={v}"))
}

/// A lesson in a course's outline, with the reader's progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonRef {
    pub id: LessonId,
    pub title: String,
    pub kind: LessonKind,
    pub done: bool,
    /// Package lessons without an uploaded package yet cannot be taken.
    pub ready: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleView {
    pub id: ModuleId,
    pub title: String,
    pub lessons: Vec<LessonRef>,
}

/// The reader's enrolment in a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrolmentView {
    /// Waiting for an author to approve.
    pub requested: bool,
    pub due_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub completed_count: i64,
    pub share_progress: bool,
}

/// Someone else taking the course, as the cohort list shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortMember {
    pub person: Link,
    pub online: bool,
    /// Percent done, when they share it.
    pub percent: Option<i64>,
}

/// A course's page: outline, enrolment, and its wrapper (instructor blog, Q&A, cohort).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseView {
    pub id: CourseId,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub tags: Vec<String>,
    pub cover: Option<String>,
    /// The course's space, which carries its discussions, blog and Q&A.
    pub space_slug: String,
    pub policy: EnrolPolicy,
    pub published: bool,
    pub signed_in: bool,
    pub may_edit: bool,
    pub enrolment: Option<EnrolmentView>,
    pub modules: Vec<ModuleView>,
    pub lesson_count: i64,
    pub learner_count: i64,
    pub authors: Vec<Link>,
    pub cohort: Vec<CohortMember>,
    /// The newest posts of the instructor blog.
    pub announcements: Vec<Link>,
    /// The newest questions asked in the course.
    pub questions: Vec<Link>,
    pub rating: Rating,
    /// The reader's own rating and review, if they gave one.
    pub my_rating: Option<(i64, String)>,
    /// The newest reviews with text.
    pub reviews: Vec<Review>,
}

/// The average of a course's star ratings.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Rating {
    /// 1 to 5, when anyone rated it.
    pub average: Option<f64>,
    pub count: i64,
}

impl Rating {
    /// "4.5 out of 5 (3 ratings)", or "Not rated yet".
    pub fn words(&self) -> String {
        match (self.average, self.count) {
            (Some(a), 1) => format!("{a:.1} out of 5 (1 rating)"),
            (Some(a), n) => format!("{a:.1} out of 5 ({n} ratings)"),
            _ => "Not rated yet".into(),
        }
    }
}

/// A learner's review of a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub author: Link,
    pub stars: i64,
    pub text: String,
    pub at: i64,
}

impl CourseView {
    /// The reader may open lessons: enrolled (not just asking), or an author.
    pub fn may_take(&self) -> bool {
        self.may_edit || self.enrolment.as_ref().is_some_and(|e| !e.requested)
    }

    pub fn percent(&self) -> i64 {
        let done = self.enrolment.as_ref().map_or(0, |e| e.completed_count);
        percent(done, self.lesson_count)
    }

    /// The first lesson not done yet (or the first lesson).
    pub fn next_lesson(&self) -> Option<&LessonRef> {
        let all = || self.modules.iter().flat_map(|m| m.lessons.iter());
        all().find(|l| !l.done && l.ready).or_else(|| all().next())
    }
}

/// `done` of `total` as a whole percentage.
pub fn percent(done: i64, total: i64) -> i64 {
    if total <= 0 {
        0
    } else {
        (done.clamp(0, total) * 100) / total
    }
}

/// One SCO of a package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoView {
    pub id: i64,
    pub title: String,
    /// Its file in the package, as an address relative to the package's root.
    pub href: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackageView {
    pub id: PackageId,
    pub version: ScormVersion,
    pub title: String,
    pub file_count: i64,
    pub total_bytes: i64,
    pub scos: Vec<ScoView>,
}

/// A reply in a lesson's discussion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiscussionPost {
    pub author: Link,
    pub body_html: String,
    pub at: i64,
}

/// One lesson inside its course wrapper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonView {
    pub course: CourseView,
    pub id: LessonId,
    pub title: String,
    pub kind: LessonKind,
    pub body_html: String,
    /// The address to show, and whether it is a page to frame (not a file to play).
    pub video: Option<(String, bool)>,
    pub package: Option<PackageView>,
    /// The file of a file lesson.
    pub file: Option<LessonFile>,
    pub done: bool,
    pub score: Option<f64>,
    pub previous: Option<LessonId>,
    pub next: Option<LessonId>,
    /// The lesson's discussion thread, once someone posted.
    pub thread_id: Option<TopicId>,
    pub discussion: Vec<DiscussionPost>,
}

/// A course in the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub tags: Vec<String>,
    /// The small (600 wide) cover.
    pub cover: Option<String>,
    pub lesson_count: i64,
    pub learner_count: i64,
    pub published: bool,
    pub enrolled: bool,
    pub rating: Rating,
}

/// A course on the "My learning" page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearningItem {
    pub slug: String,
    pub title: String,
    pub percent: i64,
    pub requested: bool,
    pub due_at: Option<i64>,
    pub completed_at: Option<i64>,
}

/// The reader's courses: in progress, due (assigned with a date, not done), done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyLearning {
    pub due: Vec<LearningItem>,
    pub in_progress: Vec<LearningItem>,
    pub done: Vec<LearningItem>,
}

/// A lesson as its author edits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonDraft {
    pub id: LessonId,
    pub title: String,
    pub kind: LessonKind,
    pub body_md: String,
    pub video_url: String,
    pub package: Option<PackageView>,
    /// The uploaded video or file.
    pub media: Option<LessonFile>,
    /// Pictures uploaded for the page.
    pub images: Vec<LessonFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleDraft {
    pub id: ModuleId,
    pub title: String,
    pub lessons: Vec<LessonDraft>,
}

/// Someone asking to enrol.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Requester {
    pub id: UserId,
    pub person: Link,
}

/// Everything the course editor shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseEditor {
    pub id: CourseId,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub cover: Option<String>,
    pub tags: Vec<String>,
    pub policy: EnrolPolicy,
    pub published: bool,
    pub modules: Vec<ModuleDraft>,
    /// People asking to enrol.
    pub requests: Vec<Requester>,
    pub learner_count: i64,
}

/// What a commit of the SCORM data model answers: the lesson's state now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonProgress {
    pub done: bool,
    pub score: Option<f64>,
    pub course_percent: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn videos_play_or_embed() {
        assert_eq!(
            video_source("https://example.com/intro.mp4?x=1"),
            ("https://example.com/intro.mp4?x=1".into(), false)
        );
        assert_eq!(
            video_source("https://www.youtube.com/watch?v=abc123&t=4"),
            ("https://www.youtube-nocookie.com/embed/abc123".into(), true)
        );
        assert_eq!(
            video_source("https://vimeo.com/12345"),
            ("https://player.vimeo.com/video/12345".into(), true)
        );
        assert!(check_video_url("javascript:alert(1)").is_err());
        assert_eq!(check_video_url("  "), Ok(String::new()));
        assert_eq!(human_size(900), "900 bytes");
        assert_eq!(human_size(1_288_490), "1.2 MB");
        assert!(check_video_url("https://example.com/a b").is_err());
    }

    #[test]
    fn percentages_round_down() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(3, 3), 100);
        assert_eq!(percent(4, 3), 100);
        assert_eq!(percent(0, 0), 0);
    }
}
