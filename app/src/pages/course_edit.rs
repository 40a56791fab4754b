//! The course editor: settings, modules and lessons (pages, videos, SCORM packages),
//! publishing, and enrolment (requests, assigning people and spaces with a due date).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::courses::{
    course_editor, AddLesson, AddModule, AssignCourse, DecideEnrolment, DeleteLesson, EditLesson,
    PublishCourse, UpdateCourse,
};
use crate::components::form::{action_error, reset_on_success, Field, FormAlert, SelectField};
use crate::components::require::RequireSignIn;
use crate::components::tags::TagsField;
use crate::domain::course::{CourseEditor, EnrolPolicy, LessonDraft, LessonKind, ModuleDraft};
use crate::pages::courses::{problem_view, use_course_slug};

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
    let last_module = RwSignal::new(None::<i64>);
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
                        hint="For a video: a file (.mp4, .webm) or a YouTube or Vimeo page." error=my_error/>
                    <p class="hint">"For a SCORM package, add the lesson, then upload its .zip below it."</p>
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
    let query = use_query_map();
    // An upload that failed comes back with its message for this lesson.
    let upload_error = move || {
        let q = query.read();
        (q.get("lesson").and_then(|v| v.parse::<i64>().ok()) == Some(id))
            .then(|| q.get("package_error"))
            .flatten()
    };
    let uploaded = move || query.read().get("package").as_deref() == Some("saved");
    let edit_error = {
        let e = action_error(actions.edit_lesson);
        let last = RwSignal::new(None::<i64>);
        Effect::new(move || {
            if let Some(i) = actions.edit_lesson.input().get() {
                last.set(Some(i.lesson));
            }
        });
        Signal::derive(move || e.get().filter(|_| last.get().is_none_or(|l| l == id)))
    };
    let field_id = move |name: &str| format!("l{id}-{name}");
    let (title, title_label, edit_label, delete_label) = (
        l.title.clone(),
        format!("SCORM package for {} (.zip)", l.title),
        format!("Edit {}", l.title),
        format!("Delete the lesson {}", l.title),
    );
    let (body, video) = (l.body_md.clone(), l.video_url.clone());
    let has_package = l.package.is_some();
    let is_video = l.kind == LessonKind::Video;
    let file_id = format!("l{id}-package");
    let file_error_id = format!("l{id}-package-error");
    view! {
        <li class="lesson-edit" id=format!("lesson-{id}")>
            <p>
                <strong>{l.title.clone()}</strong>
                {format!(" · {}", l.kind.label())}
                {(l.kind == LessonKind::Package && l.package.is_none()).then(|| view! { " " <span class="badge">"Package missing"</span> })}
            </p>
            {l.package.clone().map(|p| view! {
                <p class="meta">
                    {format!("SCORM {} package “{}”: {} files, {} KB. Launches: ", p.version.as_str(), p.title, p.file_count, p.total_bytes / 1024)}
                    {p.scos.iter().map(|s| s.title.clone()).collect::<Vec<_>>().join(", ")}
                </p>
            })}
            {(l.kind == LessonKind::Package).then(|| view! {
                <form class="upload-form" method="post" action="/media/package" enctype="multipart/form-data">
                    <input type="hidden" name="lesson" value=id/>
                    <div class="field" class:invalid=move || upload_error().is_some()>
                        <label for=file_id.clone()>{title_label}</label>
                        <input id=file_id.clone() name="package" type="file" accept=".zip,application/zip"
                            aria-describedby=file_error_id.clone()
                            aria-invalid=move || upload_error().map(|_| "true")/>
                        <p class="field-error" id=file_error_id.clone() aria-live="polite">{upload_error}</p>
                    </div>
                    <button type="submit">{if has_package { "Replace package" } else { "Upload package" }}</button>
                    {move || (uploaded() && upload_error().is_none()).then(|| view! { <span class="saved" role="status">" Package saved."</span> })}
                </form>
            })}
            <details>
                <summary>{edit_label}</summary>
                <ActionForm action=actions.edit_lesson attr:novalidate=true>
                    <FormAlert error=edit_error/>
                    <input type="hidden" name="lesson" value=id/>
                    <Field label="Lesson title" name="title" id=field_id("title") initial=title error=edit_error/>
                    <Field label="Text (Markdown)" name="body" kind="textarea" id=field_id("body") required=false initial=body error=edit_error/>
                    {is_video.then(|| view! {
                        <Field label="Video address" name="video_url" kind="url" id=field_id("video") initial=video.clone() error=edit_error/>
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
