//! Drafts kept while typing: what is typed in a form's fields is saved in the browser's local
//! storage, comes back after a reload, and is forgotten when the form is sent.

use leptos::prelude::*;

/// Keeps the drafts of the text fields inside it under `key` (one per form and page).
#[component]
pub fn KeepDraft(#[prop(into)] key: String, children: Children) -> impl IntoView {
    let key = StoredValue::new(format!("cohort-draft:{key}"));
    Effect::new(move |_| restore(&key.get_value()));
    view! {
        <div
            class="draft-kept"
            on:input=move |ev| save(&key.get_value(), &ev)
            on:submit=move |_| forget(&key.get_value())
        >
            {children()}
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

#[cfg(feature = "hydrate")]
fn read(key: &str) -> Vec<(String, String)> {
    storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .and_then(|raw| serde_json::from_str(&raw).ok())
        .unwrap_or_default()
}

#[cfg(feature = "hydrate")]
fn restore(key: &str) {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    for (id, value) in read(key) {
        let Some(el) = doc.get_element_by_id(&id) else {
            continue;
        };
        if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            if t.value().is_empty() {
                t.set_value(&value);
            }
        } else if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            if i.value().is_empty() && i.type_() != "hidden" {
                i.set_value(&value);
            }
        }
    }
}

#[cfg(feature = "hydrate")]
fn save<E: wasm_bindgen::JsCast>(key: &str, ev: &E) {
    use wasm_bindgen::JsCast;
    let ev: &web_sys::Event = ev.unchecked_ref();
    let Some(target) = ev.target() else { return };
    let (id, value) = if let Some(t) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        (t.id(), t.value())
    } else if let Some(i) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        (i.id(), i.value())
    } else {
        return;
    };
    if id.is_empty() {
        return;
    }
    let mut all = read(key);
    all.retain(|(k, _)| *k != id);
    if !value.is_empty() {
        all.push((id, value));
    }
    if let (Some(s), Ok(raw)) = (storage(), serde_json::to_string(&all)) {
        let _ = s.set_item(key, &raw);
    }
}

#[cfg(feature = "hydrate")]
fn forget(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

#[cfg(not(feature = "hydrate"))]
fn restore(_key: &str) {}

#[cfg(not(feature = "hydrate"))]
fn save<E>(_key: &str, _ev: &E) {}

#[cfg(not(feature = "hydrate"))]
fn forget(_key: &str) {}
