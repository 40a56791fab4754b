//! The SCORM player. Package content is untrusted code, so it never runs on the site's origin:
//! the lesson page frames the player on the content origin (a second listener of the server,
//! or `content_url`), which opens the SCO in a frame of its own and answers the run-time API it
//! calls (`window.API` for SCORM 1.2, `window.API_1484_11` for 2004) with
//! [`crate::domain::scorm::Runtime`]. The player stores commits on the content origin under the
//! launch's token (the server replays every value through the same rules) and tells the lesson
//! page the progress with `postMessage`, to the site's origin only; the page hears only the
//! content origin.

use leptos::prelude::*;

use crate::domain::course::{LessonProgress, ScoView};
use crate::domain::ids::LessonId;

/// Plays one of a package's SCOs; `on_progress` hears what each commit recorded.
#[component]
pub fn ScormPlayer(
    lesson: LessonId,
    scos: Vec<ScoView>,
    title: String,
    on_progress: Callback<LessonProgress>,
) -> impl IntoView {
    let chosen = RwSignal::new(0_usize);
    // The player's address and origin, once launched (in the browser only).
    let frame = RwSignal::new(None::<crate::domain::scorm::PlayerFrame>);
    let problem = RwSignal::new(None::<String>);
    let scos = StoredValue::new(scos);
    #[cfg(feature = "hydrate")]
    {
        Effect::new(move || {
            let index = chosen.get();
            let Some(sco) = scos.with_value(|s| s.get(index).cloned()) else {
                return;
            };
            frame.set(None);
            leptos::task::spawn_local(async move {
                match crate::api::courses::scorm_launch(lesson, sco.id).await {
                    Ok(launched) => frame.set(Some(launched)),
                    Err(e) => problem.set(Some(e.to_string())),
                }
            });
        });
        // Only the player, from the content origin, is heard.
        let handle = window_event_listener(leptos::ev::message, move |ev| {
            use crate::domain::scorm::PlayerMessage;
            let from_player =
                frame.with_untracked(|f| f.as_ref().is_some_and(|f| f.origin == ev.origin()));
            let Some(text) = ev.data().as_string().filter(|_| from_player) else {
                return;
            };
            match serde_json::from_str::<PlayerMessage>(&text) {
                Ok(PlayerMessage::Progress { progress }) => {
                    problem.set(None);
                    on_progress.run(progress);
                }
                Ok(PlayerMessage::Problem { message }) => problem.set(Some(message)),
                Err(_) => {}
            }
        });
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (lesson, on_progress);
    let many = scos.with_value(|s| s.len() > 1);
    view! {
        <div class="scorm-player">
            {many.then(|| view! {
                <nav class="sco-list" aria-label="Parts of this package">
                    {scos.with_value(|s| s.iter().enumerate().map(|(i, sco)| {
                        let name = sco.title.clone();
                        view! {
                            <button type="button" class="link-button"
                                aria-pressed=move || (chosen.get() == i).to_string()
                                on:click=move |_| chosen.set(i)>{name}</button>
                        }
                    }).collect_view())}
                </nav>
            })}
            {move || problem.get().map(|p| view! { <p class="form-alert" role="alert">{p}</p> })}
            {move || match frame.get() {
                Some(f) => view! {
                    <iframe class="scorm-frame" src=f.url title=title.clone() allow="fullscreen"
                        sandbox="allow-scripts allow-same-origin allow-forms allow-popups allow-downloads"></iframe>
                }.into_any(),
                None => view! {
                    <p class="scorm-wait">"The package opens here. It needs JavaScript in your browser."</p>
                }.into_any(),
            }}
        </div>
    }
}

/// Starts the player in its page on the content origin: reads what the server wrote into the
/// page, puts the run-time API on the window, then opens the SCO in the page's frame.
#[cfg(feature = "hydrate")]
pub fn start_player() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let start = document
        .get_element_by_id("cohort-player")
        .and_then(|e| e.text_content())
        .and_then(|t| serde_json::from_str::<crate::domain::scorm::PlayerStart>(&t).ok());
    let (Some(start), Some(frame)) = (start, document.get_element_by_id("sco")) else {
        leptos::logging::error!("Cohort: the player's launch could not be read");
        return;
    };
    let sco_url = start.sco_url.clone();
    runtime::install(start);
    let _ = frame.set_attribute("src", &sco_url);
}

#[cfg(feature = "hydrate")]
mod runtime {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};

    use crate::domain::course::LessonProgress;
    use crate::domain::scorm::{error_string, PlayerMessage, PlayerStart, Runtime, ScormVersion};

    /// One player session: the data model, and commits sent one at a time, in order.
    struct Session {
        rt: RefCell<Runtime>,
        commit_url: String,
        site_origin: String,
        key: String,
        sending: Cell<bool>,
        again: Cell<bool>,
    }

    /// Tells the lesson page, and no other origin.
    fn tell(s: &Session, message: &PlayerMessage) {
        let parent = web_sys::window().and_then(|w| w.parent().ok().flatten());
        if let (Some(parent), Ok(text)) = (parent, serde_json::to_string(message)) {
            let _ = parent.post_message(&JsValue::from_str(&text), &s.site_origin);
        }
    }

    fn send(s: Rc<Session>) {
        if s.sending.replace(true) {
            s.again.set(true);
            return;
        }
        let data = serde_json::to_string(s.rt.borrow().stored()).unwrap_or_default();
        s.rt.borrow_mut().dirty = false;
        // (Not leptos::task: the player page runs no Leptos executor.)
        wasm_bindgen_futures::spawn_local(async move {
            let message = match post(&s.commit_url, &s.key, &data).await {
                Ok(progress) => PlayerMessage::Progress { progress },
                Err(e) => PlayerMessage::Problem {
                    message: format!("Your progress could not be saved: {e}."),
                },
            };
            tell(&s, &message);
            s.sending.set(false);
            if s.again.replace(false) {
                send(s);
            }
        });
    }

    /// Sends a commit with `keepalive`, so one made as the page closes (most content
    /// finishes in its unload handler) still arrives. Above the browser's 64 KB limit for
    /// such requests, an ordinary request.
    async fn post(url: &str, key: &str, data: &str) -> Result<LessonProgress, String> {
        let failed = |_| "the server could not be reached".to_owned();
        let params = web_sys::UrlSearchParams::new().map_err(failed)?;
        params.append("session", key);
        params.append("data", data);
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(&params);
        init.set_credentials(web_sys::RequestCredentials::Omit);
        // (`keepalive` is not in web-sys's stable bindings.)
        let _ = js_sys::Reflect::set(
            &init,
            &JsValue::from_str("keepalive"),
            &JsValue::from_bool(data.len() < 60_000),
        );
        let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(failed)?;
        let _ = request.headers().set("Accept", "application/json");
        let window = web_sys::window().ok_or("no window")?;
        let answer = wasm_bindgen_futures::JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(failed)?;
        let response: web_sys::Response = answer.dyn_into().map_err(failed)?;
        let body = wasm_bindgen_futures::JsFuture::from(response.text().map_err(failed)?)
            .await
            .map_err(failed)?
            .as_string()
            .unwrap_or_default();
        if response.ok() {
            serde_json::from_str(&body)
                .map_err(|_| "the server's answer could not be read".to_owned())
        } else {
            Err(serde_json::from_str::<crate::error::AppError>(&body)
                .map(|e| e.to_string())
                .unwrap_or_else(|_| format!("error {}", response.status())))
        }
    }

    fn text(v: &JsValue) -> String {
        if let Some(s) = v.as_string() {
            s
        } else if let Some(n) = v.as_f64() {
            format!("{n}")
        } else if let Some(b) = v.as_bool() {
            b.to_string()
        } else {
            String::new()
        }
    }

    fn flag(ok: bool) -> JsValue {
        JsValue::from_str(if ok { "true" } else { "false" })
    }

    fn put(obj: &js_sys::Object, name: &str, f: Closure<dyn Fn(JsValue, JsValue) -> JsValue>) {
        let _ = js_sys::Reflect::set(obj, &JsValue::from_str(name), f.as_ref().unchecked_ref());
        // The content may call the API until the page goes; the window keeps it.
        f.forget();
    }

    /// Puts the API for `start` on the window, for the SCO's frame to find.
    pub fn install(start: PlayerStart) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let launch = start.launch;
        let version = launch.version;
        let key = format!("{:x}", (js_sys::Math::random() * 1e15) as u64);
        let s = Rc::new(Session {
            rt: RefCell::new(Runtime::new(launch)),
            commit_url: start.commit_url,
            site_origin: start.site_origin,
            key,
            sending: Cell::new(false),
            again: Cell::new(false),
        });
        let names: [&str; 8] = match version {
            ScormVersion::V12 => [
                "LMSInitialize",
                "LMSFinish",
                "LMSGetValue",
                "LMSSetValue",
                "LMSCommit",
                "LMSGetLastError",
                "LMSGetErrorString",
                "LMSGetDiagnostic",
            ],
            ScormVersion::V2004 => [
                "Initialize",
                "Terminate",
                "GetValue",
                "SetValue",
                "Commit",
                "GetLastError",
                "GetErrorString",
                "GetDiagnostic",
            ],
        };
        let api = js_sys::Object::new();
        let c = s.clone();
        put(
            &api,
            names[0],
            Closure::new(move |a: JsValue, _| flag(c.rt.borrow_mut().initialize(&text(&a)))),
        );
        let c = s.clone();
        put(
            &api,
            names[1],
            Closure::new(move |a: JsValue, _| {
                let ok = c.rt.borrow_mut().terminate(&text(&a));
                if ok {
                    send(c.clone());
                }
                flag(ok)
            }),
        );
        let c = s.clone();
        put(
            &api,
            names[2],
            Closure::new(move |el: JsValue, _| {
                JsValue::from_str(&c.rt.borrow_mut().get(&text(&el)))
            }),
        );
        let c = s.clone();
        put(
            &api,
            names[3],
            Closure::new(move |el: JsValue, v: JsValue| {
                let el = text(&el);
                let ok = c.rt.borrow_mut().set(&el, &text(&v));
                // What progress shows is saved at once, even if the content never commits.
                let telling = el.ends_with("lesson_status")
                    || el.ends_with("completion_status")
                    || el.ends_with("success_status")
                    || el.contains("score.");
                if ok && telling && !el.starts_with("cmi.objectives") {
                    send(c.clone());
                }
                flag(ok)
            }),
        );
        let c = s.clone();
        put(
            &api,
            names[4],
            Closure::new(move |a: JsValue, _| {
                let ok = c.rt.borrow_mut().commit(&text(&a));
                if ok {
                    send(c.clone());
                }
                flag(ok)
            }),
        );
        let c = s.clone();
        put(
            &api,
            names[5],
            Closure::new(move |_, _| JsValue::from_str(&c.rt.borrow().last_error().to_string())),
        );
        put(
            &api,
            names[6],
            Closure::new(move |code: JsValue, _| JsValue::from_str(error_string(&text(&code)))),
        );
        put(
            &api,
            names[7],
            Closure::new(move |code: JsValue, _| JsValue::from_str(error_string(&text(&code)))),
        );
        let global = match version {
            ScormVersion::V12 => "API",
            ScormVersion::V2004 => "API_1484_11",
        };
        let _ = js_sys::Reflect::set(&window, &JsValue::from_str(global), &api);
        // Leaving the page mid-session: keep what was set since the last commit.
        let c = s.clone();
        let on_hide = Closure::<dyn Fn()>::new(move || {
            let dirty = c.rt.borrow().dirty;
            if dirty {
                send(c.clone());
            }
        });
        let _ =
            window.add_event_listener_with_callback("pagehide", on_hide.as_ref().unchecked_ref());
        on_hide.forget();
    }
}
