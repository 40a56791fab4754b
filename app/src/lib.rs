//! Cohort's application: pages, components and server fns for the browser and the server, with
//! the server-only services in [`server`].

pub mod api;
pub mod areas;
pub mod components;
pub mod domain;
pub mod error;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::Router;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                // Under cargo-leptos's `hash-files`, the file names carry their content's hash
                // (from `hash.txt` beside the server), so browsers may keep them for a year.
                <HashedStylesheet options=options.clone() id="leptos"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Cohort"/>
        <Router>
            <routes::AppRoutes/>
        </Router>
    }
}

/// Entry point of the SCORM player's page on the content origin (see
/// [`components::scorm`]): the run-time API, then the package.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn start_scorm_player() {
    console_error_panic_hook::set_once();
    components::scorm::start_player();
}

/// Entry point of the browser build.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // The page's own code (its area) is loaded first, so the page hydrates in one pass as the
    // server drew it. If it cannot be fetched, the page stays as served: it works without
    // JavaScript.
    wasm_bindgen_futures::spawn_local(async {
        if areas::load_areas_of_document().await {
            leptos::mount::hydrate_body(App);
        } else {
            leptos::logging::error!("Cohort: this page's code could not be loaded");
        }
    });
}
