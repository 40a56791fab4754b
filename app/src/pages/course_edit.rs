//! The course editor: settings, cover, modules and lessons (pages with pictures, videos
//! uploaded or linked, files, SCORM packages),
//! publishing, and enrolment (requests, assigning people and spaces with a due date).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::courses::{
    course_editor, AddLesson, AddModule, AssignCourse, DecideEnrolment, DeleteLesson, EditLesson,
    PublishCourse, UpdateCourse,
};
use crate::components::form::{
    action_error, reset_on_success, CoverForm, Field, FormAlert, SelectField,
};
use crate::components::params::use_course_slug;
use crate::components::problem::problem_view;
use crate::components::require::RequireSignIn;
use crate::components::tags::TagsField;
use crate::domain::course::{CourseEditor, EnrolPolicy, LessonDraft, LessonKind, ModuleDraft};
use crate::domain::ids::{LessonFileId, LessonId, ModuleId};

#[derive(Clone, Copy)]
struct EditorActions {
    update: ServerAction<UpdateCourse>,
    publish: ServerAction<PublishCourse>,
    add_module: ServerAction<AddModule>,
    add_lesson: ServerAction<AddLesson>,
    edit_lesson: ServerAction<EditLesson>,
    delete_lesson: ServerAction<DeleteLesson>,
    decide: ServerAction<DecideEnrolment>,
    assign: ServerAction<AssignCourse>,
}

impl EditorActions {
    fn version(&self) -> usize {
        self.update.version().get()
            + self.publish.version().get()
            + self.add_module.version().get()
            + self.add_lesson.version().get()
            + self.edit_lesson.version().get()
            + self.delete_lesson.version().get()
            + self.decide.version().get()
            + self.assign.version().get()
    }
}

#[component]
pub fn CourseEditPage() -> impl IntoView {
    let slug = use_course_slug();
    let actions = EditorActions {
        update: ServerAction::new(),
        publish: ServerAction::new(),
        add_module: ServerAction::new(),
        add_lesson: ServerAction::new(),
        edit_lesson: ServerAction::new(),
        delete_lesson: ServerAction::new(),
        decide: ServerAction::new(),
        assign: ServerAction::new(),
    };
    let editor = Resource::new(
        move || (slug(), actions.version()),
        |(slug, _)| course_editor(slug),
    );
    view! {
        <RequireSignIn next=format!("/courses/{}/edit", slug()) title="Edit course">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match editor.await {
                        Ok(e) => view! { <EditorBody e actions/> }.into_any(),
                        Err(e) => problem_view(e, format!("/courses/{}/edit", slug()), "Edit course"),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
    .into_any()
}

#[component]
fn EditorBody(e: CourseEditor, actions: EditorActions) -> impl IntoView {
    let update_error = action_error(actions.update);
    let publish_error = action_error(actions.publish);
    let module_error = action_error(actions.add_module);
    let module_form = NodeRef::<leptos::html::Form>::new();
    reset_on_success(actions.add_module, module_form);
    let slug = e.slug.clone();
    let policies: Vec<(&'static str, &'static str)> = {
        // The course's policy first, so the choice shows what is saved.
        let mut all: Vec<EnrolPolicy> = EnrolPolicy::ALL.into_iter().collect();
        all.sort_by_key(|p| *p != e.policy);
        all.into_iter().map(|p| (p.as_str(), p.label())).collect()
    };
    let query = use_query_map();
    let saved = move || {
        query.read().get("saved").is_some() || matches!(actions.update.value().get(), Some(Ok(())))
    };
    let (slug_publish, slug_update, slug_module) = (slug.clone(), slug.clone(), slug.clone());
    let (title, summary, tags) = (e.title.clone(), e.summary.clone(), e.tags.join(", "));
    let published = e.published;
    let modules = e.modules.clone();
    let enrolment = e.clone();
    view! {
        <Title text=format!("Edit {} · Cohort", e.title)/>
        <div class="page-head">
            <h1>{format!("Edit “{}”", e.title)}</h1>
            <a href=format!("/courses/{slug}")>"View course"</a>
        </div>
        <section class="card" aria-labelledby="publish-title">
            <h2 id="publish-title">{if e.published { "Published" } else { "Draft" }}</h2>
            <p>{if e.published {
                "Learners can find the course and enrol."
            } else {
                "Only the course's authors see it. Publish it when a lesson is ready."
            }}</p>
            <ActionForm action=actions.publish>
                <FormAlert error=publish_error/>
                <input type="hidden" name="slug" value=slug_publish/>
                <input type="hidden" name="publish" value=(!published).to_string()/>
                <button type="submit" class=if published { "" } else { "primary" }>
                    {if published { "Unpublish" } else { "Publish course" }}
                </button>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="settings-title">
            <h2 id="settings-title">"Settings"</h2>
            <ActionForm action=actions.update attr:novalidate=true>
                <FormAlert error=update_error/>
                <input type="hidden" name="slug" value=slug_update/>
                <Field label="Title" name="title" initial=title error=update_error/>
                <Field label="Summary" name="summary" kind="textarea" required=false initial=summary error=update_error/>
                <TagsField label="Topics" hint="Separate topics with commas." initial=tags required=false error=update_error/>
                <SelectField label="Enrolment" name="policy" options=policies error=update_error/>
                <button type="submit">"Save settings"</button>
                {move || saved().then(|| view! { <span class="saved" role="status">" Saved."</span> })}
            </ActionForm>
        </section>
        <CoverForm action="/media/course" owner_field="course" owner=slug.clone() what="course" cover=e.cover.clone()/>
        <section aria-labelledby="modules-title">
            <h2 id="modules-title">"Modules and lessons"</h2>
            {modules.is_empty().then(|| view! { <p class="empty">"Add a module, then its lessons."</p> })}
            {modules.into_iter().map(|m| view! { <ModuleEditor m slug=slug.clone() actions/> }).collect_view()}
            <ActionForm action=actions.add_module node_ref=module_form attr:class="card" attr:novalidate=true>
                <input type="hidden" name="slug" value=slug_module/>
                <Field label="New module title" name="module_title" error=module_error/>
                <button type="submit">"Add module"</button>
            </ActionForm>
        </section>
        <Enrolment e=enrolment actions/>
    }
    .into_any()
}

#[component]
fn ModuleEditor(m: ModuleDraft, slug: String, actions: EditorActions) -> impl IntoView {
    let error = action_error(actions.add_lesson);
    // Only the form that was sent shows its errors.
    let sent_here = move || actions.add_lesson.input().get().map(|i| i.module);
    let last_module = RwSignal::new(None::<ModuleId>);
    Effect::new(move || {
        if let Some(m) = sent_here() {
            last_module.set(Some(m));
        }
    });
    let id = m.id;
    let my_error = Signal::derive(move || {
        if last_module.get().is_none_or(|m| m == id) {
            error.get()
        } else {
            None
        }
    });
    let form = NodeRef::<leptos::html::Form>::new();
    reset_on_success(actions.add_lesson, form);
    let kinds: Vec<(&'static str, &'static str)> = LessonKind::ALL
        .into_iter()
        .map(|k| (k.as_str(), k.label()))
        .collect();
    let field_id = move |name: &str| format!("m{id}-{name}");
    view! {
        <section class="card module" id=format!("module-{id}") aria-labelledby=format!("module-{id}-title")>
            <h3 id=format!("module-{id}-title")>{m.title.clone()}</h3>
            {m.lessons.is_empty().then(|| view! { <p class="empty">"No lessons in this module yet."</p> })}
            <ol class="lesson-list">
                {m.lessons.iter().cloned().map(|l| view! { <LessonEditor l actions/> }).collect_view()}
            </ol>
            <details open=m.lessons.is_empty()>
                <summary>{format!("Add a lesson to {}", m.title)}</summary>
                <ActionForm action=actions.add_lesson node_ref=form attr:novalidate=true>
                    <FormAlert error=my_error/>
                    <input type="hidden" name="slug" value=slug.clone()/>
                    <input type="hidden" name="module" value=id/>
                    <Field label="Lesson title" name="title" id=field_id("title") error=my_error/>
                    <SelectField label="Kind of lesson" name="kind" options=kinds error=my_error/>
                    <Field label="Text (Markdown)" name="body" kind="textarea" id=field_id("body") required=false
                        hint="For a page: its content. For a video or package: an introduction (optional)." error=my_error/>
                    <Field label="Video address" name="video_url" kind="url" id=field_id("video") required=false
                        hint="For a video: a file's address (.mp4, .webm) or a YouTube or Vimeo page. To upload the video instead, leave it empty." error=my_error/>
                    <p class="hint">"For a SCORM package, an uploaded video or a file, add the lesson, then upload below it."</p>
                    <button type="submit">"Add lesson"</button>
                </ActionForm>
            </details>
        </section>
    }
    .into_any()
}

#[component]
fn LessonEditor(l: LessonDraft, actions: EditorActions) -> impl IntoView {
    let id = l.id;
    let edit_error = {
        let e = action_error(actions.edit_lesson);
        let last = RwSignal::new(None::<LessonId>);
        Effect::new(move || {
            if let Some(i) = actions.edit_lesson.input().get() {
                last.set(Some(i.lesson));
            }
        });
        Signal::derive(move || e.get().filter(|_| last.get().is_none_or(|l| l == id)))
    };
    let field_id = move |name: &str| format!("l{id}-{name}");
    let (title, edit_label, delete_label) = (
        l.title.clone(),
        format!("Edit {}", l.title),
        format!("Delete the lesson {}", l.title),
    );
    let (body, video) = (l.body_md.clone(), l.video_url.clone());
    let is_video = l.kind == LessonKind::Video;
    let missing = match l.kind {
        LessonKind::Package => l.package.is_none().then_some("Package missing"),
        LessonKind::Video => {
            (l.media.is_none() && l.video_url.is_empty()).then_some("Video missing")
        }
        LessonKind::File => l.media.is_none().then_some("File missing"),
        LessonKind::Page => None,
    };
    let upload = match l.kind {
        LessonKind::Package => view! {
            <LessonUpload lesson=id action="/media/package" input="package" key="package"
                label=format!("SCORM package for {} (.zip)", l.title) accept=".zip,application/zip"
                button=if l.package.is_some() { "Replace package" } else { "Upload package" } saved="Package saved."/>
        }
        .into_any(),
        LessonKind::Video => view! {
            <LessonUpload lesson=id action="/media/lesson-file" input="file" key="file"
                label=format!("Video file for {} (MP4, WebM or Ogg)", l.title) accept="video/mp4,video/webm,video/ogg"
                button=if l.media.is_some() { "Replace video" } else { "Upload video" } saved="Video saved."/>
        }
        .into_any(),
        LessonKind::File => view! {
            <LessonUpload lesson=id action="/media/lesson-file" input="file" key="file"
                label=format!("File for {}", l.title) accept=""
                button=if l.media.is_some() { "Replace file" } else { "Upload file" } saved="File saved."/>
        }
        .into_any(),
        LessonKind::Page => view! {
            <LessonUpload lesson=id action="/media/lesson-file" input="file" key="image" role="image"
                label=format!("Picture for {}", l.title) accept="image/jpeg,image/png,image/gif,image/webp"
                hint="JPEG, PNG, GIF or WebP. Once uploaded, copy its Markdown line into the text."
                button="Upload picture" saved="Picture saved."/>
        }
        .into_any(),
    };
    let media = l.media.clone();
    let images = l.images.clone();
    view! {
        <li class="lesson-edit" id=format!("lesson-{id}")>
            <p>
                <strong>{l.title.clone()}</strong>
                {format!(" · {}", l.kind.label())}
                {missing.map(|m| view! { " " <span class="badge">{m}</span> })}
            </p>
            {l.package.clone().map(|p| view! {
                <p class="meta">
                    {format!("SCORM {} package “{}”: {} files, {} KB. Launches: ", p.version.as_str(), p.title, p.file_count, p.total_bytes / 1024)}
                    {p.scos.iter().map(|s| s.title.clone()).collect::<Vec<_>>().join(", ")}
                </p>
            })}
            {media.map(|f| view! {
                <div class="uploaded">
                    <p class="meta">"Uploaded: " <a href=f.url()>{f.describe()}</a></p>
                    <RemoveFile file=f.id label=format!("Remove {}", f.name)/>
                </div>
            })}
            {(!images.is_empty()).then(|| view! {
                <ul class="lesson-images" aria-label=format!("Pictures for {}", title.clone())>
                    {images.into_iter().map(|f| {
                        let line = format!("![Describe the picture]({})", f.url());
                        view! {
                            <li>
                                <img src=f.url() alt="" width="96" height="64"/>
                                <code>{line}</code>
                                <RemoveFile file=f.id label=format!("Remove {}", f.name)/>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {upload}
            <details>
                <summary>{edit_label}</summary>
                <ActionForm action=actions.edit_lesson attr:novalidate=true>
                    <FormAlert error=edit_error/>
                    <input type="hidden" name="lesson" value=id/>
                    <Field label="Lesson title" name="title" id=field_id("title") initial=title error=edit_error/>
                    <Field label="Text (Markdown)" name="body" kind="textarea" id=field_id("body") required=false initial=body error=edit_error/>
                    {is_video.then(|| view! {
                        <Field label="Video address" name="video_url" kind="url" id=field_id("video") required=false
                            hint="Leave it empty when the video is uploaded." initial=video.clone() error=edit_error/>
                    })}
                    <button type="submit">"Save lesson"</button>
                </ActionForm>
                <ActionForm action=actions.delete_lesson attr:class="inline-form">
                    <input type="hidden" name="lesson" value=id/>
                    <button type="submit" class="link-button danger">{delete_label}</button>
                </ActionForm>
            </details>
        </li>
    }
    .into_any()
}

/// A file upload for one lesson (its package, video, file or a picture): a plain multipart form
/// that comes back with `?{key}=saved&lesson=N` or `?{key}_error=...&lesson=N`.
#[component]
fn LessonUpload(
    lesson: LessonId,
    action: &'static str,
    /// The file input's name.
    input: &'static str,
    /// What the answer's address calls it.
    key: &'static str,
    label: String,
    accept: &'static str,
    button: &'static str,
    saved: &'static str,
    #[prop(optional)] role: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let query = use_query_map();
    let here = move || {
        query
            .read()
            .get("lesson")
            .and_then(|v| v.parse::<LessonId>().ok())
            == Some(lesson)
    };
    let error = move || {
        here()
            .then(|| query.read().get(&format!("{key}_error")))
            .flatten()
    };
    let done = move || here() && query.read().get(key).as_deref() == Some("saved");
    let field_id = format!("l{lesson}-{key}");
    let error_id = format!("{field_id}-error");
    let hint_id = format!("{field_id}-hint");
    let described = match hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    view! {
        <form class="upload-form" method="post" action=action enctype="multipart/form-data">
            <input type="hidden" name="lesson" value=lesson/>
            {role.map(|r| view! { <input type="hidden" name="role" value=r/> })}
            <div class="field" class:invalid=move || error().is_some()>
                <label for=field_id.clone()>{label}</label>
                {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
                <input id=field_id name=input type="file" accept=(!accept.is_empty()).then_some(accept)
                    aria-describedby=described
                    aria-invalid=move || error().map(|_| "true")/>
                <p class="field-error" id=error_id aria-live="polite">{error}</p>
            </div>
            <button type="submit">{button}</button>
            {move || (done() && error().is_none()).then(|| view! { <span class="saved" role="status">" " {saved}</span> })}
        </form>
    }
}

/// Removes an uploaded lesson file.
#[component]
fn RemoveFile(file: LessonFileId, label: String) -> impl IntoView {
    view! {
        <form class="inline-form" method="post" action="/media/lesson-file" enctype="multipart/form-data">
            <input type="hidden" name="remove" value=file/>
            <button type="submit" class="link-button danger">{label}</button>
        </form>
    }
}

#[component]
fn Enrolment(e: CourseEditor, actions: EditorActions) -> impl IntoView {
    let assign_error = action_error(actions.assign);
    let form = NodeRef::<leptos::html::Form>::new();
    reset_on_success(actions.assign, form);
    let query = use_query_map();
    let assigned = move || match actions.assign.value().get() {
        Some(Ok(n)) => Some(n),
        _ => query
            .read()
            .get("assigned")
            .and_then(|n| n.parse::<usize>().ok()),
    };
    let slug = e.slug.clone();
    let requests = e.requests.clone();
    let assign_slug = slug.clone();
    view! {
        <section class="card" id="enrolment" aria-labelledby="enrolment-title">
            <h2 id="enrolment-title">"Enrolment"</h2>
            <p>{format!("{} learners enrolled.", e.learner_count)}</p>
            {(!requests.is_empty()).then(|| view! {
                <h3>"Asking to enrol"</h3>
                <ul class="links">
                    {requests.into_iter().map(|r| {
                        let name = r.person.text.clone();
                        let (approve, decline) = (format!("Approve {name}"), format!("Decline {name}"));
                        let (s1, s2) = (slug.clone(), slug.clone());
                        view! {
                            <li>
                                <a href=r.person.href.clone()>{name}</a>
                                <ActionForm action=actions.decide attr:class="inline-form">
                                    <input type="hidden" name="slug" value=s1/>
                                    <input type="hidden" name="user" value=r.id/>
                                    <input type="hidden" name="approve" value="true"/>
                                    <button type="submit" aria-label=approve>"Approve"</button>
                                </ActionForm>
                                <ActionForm action=actions.decide attr:class="inline-form">
                                    <input type="hidden" name="slug" value=s2/>
                                    <input type="hidden" name="user" value=r.id/>
                                    <input type="hidden" name="approve" value="false"/>
                                    <button type="submit" class="link-button danger" aria-label=decline>"Decline"</button>
                                </ActionForm>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <h3>"Assign the course"</h3>
            <ActionForm action=actions.assign node_ref=form attr:novalidate=true>
                <FormAlert error=assign_error/>
                <input type="hidden" name="slug" value=assign_slug/>
                <Field label="People" name="people" required=false
                    hint="Handles or e-mail addresses, separated by commas." error=assign_error/>
                <Field label="Members of the space" name="space" required=false
                    hint="A space's address, like data-science: all its members are enrolled." error=assign_error/>
                <Field label="Due date" name="due" kind="date" required=false error=assign_error/>
                <button type="submit">"Assign"</button>
                {move || assigned().map(|n| view! {
                    <span class="saved" role="status">{format!(" {n} enrolled.")}</span>
                })}
            </ActionForm>
        </section>
    }
    .into_any()
}
