//! A person's picture, or their initials.

use leptos::either::Either;
use leptos::prelude::*;

/// An avatar image, or the person's initials when they have none.
#[component]
pub fn Avatar(
    name: String,
    url: Option<String>,
    #[prop(default = "small")] size: &'static str,
) -> impl IntoView {
    let class = format!("avatar avatar-{size}");
    match url {
        Some(src) => Either::Left(
            view! { <img class=class src=src alt="" width=if size == "large" { "128" } else { "40" } height=if size == "large" { "128" } else { "40" }/> },
        ),
        None => {
            let initials: String = name
                .split_whitespace()
                .filter_map(|w| w.chars().next())
                .take(2)
                .collect::<String>()
                .to_uppercase();
            Either::Right(view! { <span class=class aria-hidden="true">{initials}</span> })
        }
    }
}
