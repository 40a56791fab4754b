//! A comma-separated tags field with suggestions of tags already in use while typing.

use leptos::prelude::*;

use crate::api::tags::suggest_tags;
use crate::components::form::Field;
use crate::components::typeahead::as_typed;
use crate::error::AppError;

/// The part after the last comma: what is being typed now.
fn last_part(value: &str) -> String {
    value
        .rsplit(',')
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// `value` with its last part replaced by `tag`, ready for the next one.
fn with_tag(value: &str, tag: &str) -> String {
    let kept: Vec<&str> = value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let mut kept: Vec<String> = kept[..kept.len().saturating_sub(1)]
        .iter()
        .map(|s| s.to_string())
        .collect();
    kept.push(tag.to_owned());
    format!("{}, ", kept.join(", "))
}

#[component]
pub fn TagsField(
    label: &'static str,
    #[prop(into)] hint: String,
    #[prop(into)] initial: String,
    required: bool,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let found = RwSignal::new(Vec::<String>::new());
    let look_up = as_typed(found, |value: String| async move {
        let prefix = last_part(&value);
        if prefix.chars().count() < 2 {
            return Vec::new();
        }
        suggest_tags(prefix).await.unwrap_or_default()
    });
    let on_input = move |value: String| {
        typed.set(value.clone());
        look_up(value);
    };
    let pick = {
        let on_input = on_input.clone();
        Callback::new(move |tag: String| {
            let value = with_tag(&typed.get_untracked(), &tag);
            set_field(&value);
            on_input(value);
        })
    };
    view! {
        <div on:input=move |ev| on_input(event_target_value(&ev))>
            <Field label name="tags" required initial hint error/>
        </div>
        <div class="tag-suggestions" aria-live="polite">
            {move || {
                let tags = found.get();
                (!tags.is_empty()).then(|| view! {
                    <span class="meta">"Suggestions: "</span>
                    {tags.into_iter().map(|t| {
                        let chosen = t.clone();
                        view! {
                            <button type="button" class="link-button" on:click=move |_| pick.run(chosen.clone())>
                                {format!("Add {t}")}
                            </button>
                        }
                    }).collect_view()}
                })
            }}
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn set_field(value: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("field-tags"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        el.set_value(value);
        let _ = el.focus();
    }
}

#[cfg(not(feature = "hydrate"))]
fn set_field(_value: &str) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picking_replaces_what_is_being_typed() {
        assert_eq!(last_part("rust, dep"), "dep");
        assert_eq!(with_tag("rust, dep", "deployment"), "rust, deployment, ");
        assert_eq!(with_tag("ru", "rust"), "rust, ");
    }
}

/// Topics as links to the list at `base` (`/spaces`, `/courses`, `/playlists`) filtered by each.
#[component]
pub fn TagLinks(tags: Vec<String>, base: &'static str) -> impl IntoView {
    (!tags.is_empty()).then(|| {
        view! {
            <ul class="tags" aria-label="Topics">
                {tags
                    .into_iter()
                    .map(|t| {
                        let href = format!("{base}?tag={}", crate::domain::nav::encode_query(&t));
                        view! { <li class="tag"><a href=href>{t}</a></li> }
                    })
                    .collect_view()}
            </ul>
        }
    })
}
