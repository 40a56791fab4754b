//! Labelled form fields with their errors beside them.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::error::AppError;

/// The error of a server action's last run, for the fields of its form.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// A message about the whole form (wrong credentials, too many attempts, a locked topic,
/// server trouble). Field problems are shown beside their fields instead.
#[component]
pub fn FormAlert(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let text = move || {
        error.get().and_then(|e| match e {
            // Field problems sit beside their fields; a problem of the whole form shows here.
            AppError::Validation(f) | AppError::Conflict(f) => f.message_for(crate::error::FORM),
            AppError::Unauthorized(f) => Some(f.summary()),
            other => Some(other.to_string()),
        })
    };
    move || text().map(|t| view! { <p class="form-alert" role="alert">{t}</p> })
}

/// A labelled input (or, with `kind = "textarea"`, a text area) whose error message sits right below it and is tied to it for screen
/// readers. After a failed post without JavaScript it is refilled with what was typed.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] hint: Option<String>,
    /// Shown before anything was typed.
    #[prop(optional, into)]
    initial: Option<String>,
    #[prop(default = true)] required: bool,
    /// The element id, when one form appears many times on a page.
    #[prop(optional, into)]
    id: Option<String>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("field-{name}"));
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let message = move || {
        error
            .get()
            .and_then(|e| e.form_errors().and_then(|f| f.message_for(name)))
    };
    // What was typed before a failed post without JavaScript, else the starting value.
    let value = Signal::derive(move || {
        error
            .get()
            .and_then(|e| e.form_errors().and_then(|f| f.value_of(name)))
            .or_else(|| initial.clone())
    });
    let has_hint = hint.is_some();
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || match (has_hint, message().is_some()) {
            (true, true) => Some(format!("{hint_id} {error_id}")),
            (true, false) => Some(hint_id.clone()),
            (false, true) => Some(error_id.clone()),
            (false, false) => None,
        }
    };
    // Rendered in the browser (a quote picked after the page loaded), the text content is
    // not enough: fill the box, unless something (a kept draft, typing) already did.
    let area = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move || {
        if let (Some(el), Some(v)) = (area.get(), value.get()) {
            if !v.is_empty() && el.value().is_empty() {
                el.set_value(&v);
            }
        }
    });
    let control = if kind == "textarea" {
        view! {
            <textarea
                id=id.clone()
                name=name
                rows="4"
                aria-invalid=move || message().map(|_| "true")
                aria-describedby=described_by.clone()
                node_ref=area
            >
                // Text content too: the server renders it, so a form posted without
                // JavaScript comes back with what was typed.
                // The server writes a text area's content as it is: escaped here, or a kept
                // value holding "</textarea>" would end the box and become markup.
                {move || crate::domain::markup::raw_text(value.get().unwrap_or_default())}
            </textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                aria-required=required.then_some("true")
                aria-invalid=move || message().map(|_| "true")
                aria-describedby=described_by.clone()
                value=value
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {control}
            <p class="field-error" id=error_id aria-live="polite">
                {message}
            </p>
        </div>
    }
}

/// A labelled choice from fixed options (value, label), with its error below it.
#[component]
pub fn SelectField(
    label: &'static str,
    name: &'static str,
    options: Vec<(&'static str, &'static str)>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let message = move || {
        error
            .get()
            .and_then(|e| e.form_errors().and_then(|f| f.message_for(name)))
    };
    let chosen = move || {
        error
            .get()
            .and_then(|e| e.form_errors().and_then(|f| f.value_of(name)))
    };
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=name
                aria-invalid=move || message().map(|_| "true")
                aria-describedby=error_id.clone()
            >
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        view! {
                            <option value=value selected=move || chosen().as_deref() == Some(value)>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" id=error_id aria-live="polite">
                {message}
            </p>
        </div>
    }
}

/// Clears a form once its action succeeded (the page stays, the text should go).
pub fn reset_on_success<S>(action: ServerAction<S>, form: NodeRef<leptos::html::Form>)
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Effect::new(move || {
        if matches!(action.value().get(), Some(Ok(_))) {
            if let Some(f) = form.get() {
                f.reset();
            }
        }
    });
}

/// A labelled picture-file input with its hint and its error below it. Uploads are plain
/// multipart forms, so the error comes from the page's address or from an action.
#[component]
pub fn PictureField(
    label: &'static str,
    name: &'static str,
    #[prop(into)] id: String,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = match hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <input
                id=id
                name=name
                type="file"
                accept="image/jpeg,image/png,image/gif,image/webp"
                aria-describedby=described_by
                aria-invalid=move || error.get().map(|_| "true")
            />
            <p class="field-error" id=error_id aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// A cover picture (a 3:1 banner) for an article, course or playlist: a plain multipart form
/// to `action` with the owner in hidden field `owner_field`, with or without JavaScript. The
/// upload comes back with `?cover=saved` or `?cover_error=...`.
#[component]
pub fn CoverForm(
    action: &'static str,
    owner_field: &'static str,
    owner: String,
    /// "article", "course" or "playlist": names the field and the picture.
    what: &'static str,
    cover: Option<String>,
) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let error = Signal::derive(move || query.read().get("cover_error"));
    let saved = move || query.read().get("cover").as_deref() == Some("saved");
    let has_cover = cover.is_some();
    let field_id = format!("{what}-cover");
    let title_id = format!("{what}-cover-title");
    let labelled_by = title_id.clone();
    let remove_owner = owner.clone();
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h2 id=title_id>"Cover"</h2>
            {move || saved().then(|| view! { <p class="form-success" role="status">"Cover saved."</p> })}
            {cover.map(|src| view! { <img class="article-cover" src=src alt=format!("The {what}'s cover")/> })}
            <form method="post" action=action enctype="multipart/form-data">
                <input type="hidden" name=owner_field value=owner/>
                <PictureField label="Cover picture" name="cover" id=field_id hint="JPEG, PNG, GIF or WebP; shown 1200 × 400, cropped to fit." error/>
                <button type="submit">"Upload cover"</button>
            </form>
            {has_cover.then(|| view! {
                <form method="post" action=action enctype="multipart/form-data">
                    <input type="hidden" name=owner_field value=remove_owner/>
                    <input type="hidden" name="remove" value="1"/>
                    <button type="submit" class="link-button danger">"Remove cover"</button>
                </form>
            })}
        </section>
    }
}
