//! The notifications page (newest first, mark read one by one or all at once) and the
//! preferences page (in-app on or off per kind, and the e-mail digest wanted).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::notifications::{
    list_notifications, notification_prefs, OpenNotification, SetNotificationPrefs,
};
use crate::components::form::{action_error, FormAlert};
use crate::components::notifications::use_unread;
use crate::components::require::RequireSignIn;
use crate::domain::nav::encode_query;
use crate::domain::notification::{
    EmailDigest, NotificationPage, NotificationPref, NotificationView,
};
use crate::domain::time::format_utc;
use crate::error::AppError;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let unread = use_unread();
    let query = use_query_map();
    // Loads again whenever the count changes: something was read, or something new came.
    let page = Resource::new(
        move || (query.read().get("before").unwrap_or_default(), unread.get()),
        |(before, _)| list_notifications(before),
    );
    view! {
        <Title text="Notifications · Cohort"/>
        <RequireSignIn next="/notifications".to_owned() title="Notifications">
            <NotificationList page/>
        </RequireSignIn>
    }
}

#[component]
fn NotificationList(page: Resource<Result<NotificationPage, AppError>>) -> impl IntoView {
    let unread = use_unread();
    view! {
        <section class="card notifications">
            <header class="section-head">
                <h1>"Notifications"</h1>
                <a href="/notifications/settings">"Notification settings"</a>
            </header>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let page = match page.await {
                        Ok(p) => p,
                        Err(e) => return view! { <p class="form-alert" role="alert">{e.to_string()}</p> }.into_any(),
                    };
                    let summary = match page.unread {
                        0 => "You have no unread notifications.".to_owned(),
                        1 => "You have 1 unread notification.".to_owned(),
                        n => format!("You have {n} unread notifications."),
                    };
                    let mark_all = (page.unread > 0).then(|| view! {
                        <ActionForm action=unread.mark_all>
                            <button type="submit">"Mark all as read"</button>
                        </ActionForm>
                    });
                    let empty = page.items.is_empty().then(|| view! {
                        <p class="empty">"Nothing yet. When people mention you, comment on or react to your posts, or follow you, it shows here."</p>
                    });
                    let older = page.next.map(|c| view! {
                        <p><a class="button" href=format!("/notifications?before={}", encode_query(&c))>"Older notifications"</a></p>
                    });
                    view! {
                        <p class="meta" role="status">{summary}</p>
                        {mark_all}
                        {empty}
                        <ul class="notification-list">
                            {page.items.into_iter().map(|n| view! { <NotificationLine n/> }).collect_view()}
                        </ul>
                        {older}
                    }
                    .into_any()
                })}
            </Transition>
        </section>
    }
}

#[component]
fn NotificationLine(n: NotificationView) -> impl IntoView {
    let unread = use_unread();
    let open = format!("{}?id={}", <OpenNotification as ServerFn>::PATH, n.id);
    let sentence = n.sentence();
    view! {
        <li class="notification" class:unread=!n.read>
            <p>
                // A plain link through the server, which marks it read; not a client route.
                <a href=open rel="external">{sentence}</a>
                {(!n.read).then(|| view! { " " <span class="badge mine">"New"</span> })}
            </p>
            {(!n.context.is_empty()).then(|| view! { <p class="excerpt">{n.context.clone()}</p> })}
            <p class="meta"><time>{format_utc(n.at)}</time></p>
            {(!n.read).then(|| view! {
                <ActionForm action=unread.mark_read>
                    <input type="hidden" name="id" value=n.id/>
                    <button type="submit" class="link-button">"Mark as read"</button>
                </ActionForm>
            })}
        </li>
    }
}

#[component]
pub fn NotificationSettingsPage() -> impl IntoView {
    let save = ServerAction::<SetNotificationPrefs>::new();
    let prefs = Resource::new(move || save.version().get(), |_| notification_prefs());
    view! {
        <Title text="Notification settings · Cohort"/>
        <RequireSignIn next="/notifications/settings".to_owned() title="Notification settings">
            <PrefsForm prefs save/>
        </RequireSignIn>
    }
}

#[component]
fn PrefsForm(
    prefs: Resource<Result<Vec<NotificationPref>, AppError>>,
    save: ServerAction<SetNotificationPrefs>,
) -> impl IntoView {
    let error = action_error(save);
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    view! {
        <section class="card narrow">
            <h1>"Notification settings"</h1>
            <p>"Choose what you are told about in Cohort. E-mail digests are stored now and sent once e-mail is set up on this site."</p>
            {move || saved().then(|| view! { <p class="form-success" role="status">"Your notification settings are saved."</p> })}
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let prefs = match prefs.await {
                        Ok(p) => p,
                        Err(e) => return view! { <p class="form-alert" role="alert">{e.to_string()}</p> }.into_any(),
                    };
                    view! {
                        <ActionForm action=save attr:class="prefs">
                            <FormAlert error/>
                            <fieldset>
                                <legend>"Show in Cohort when"</legend>
                                {prefs.iter().map(|p| {
                                    let id = format!("pref-{}-app", p.kind.as_str());
                                    view! {
                                        <div class="check">
                                            <input type="checkbox" id=id.clone() name=format!("prefs[{}_app]", p.kind.as_str()) value="on" checked=p.in_app/>
                                            <label for=id>{p.kind.label()}</label>
                                        </div>
                                    }
                                }).collect_view()}
                            </fieldset>
                            <fieldset>
                                <legend>"E-mail digest"</legend>
                                {prefs.iter().map(|p| {
                                    let id = format!("pref-{}-email", p.kind.as_str());
                                    let current = p.email;
                                    view! {
                                        <div class="field">
                                            <label for=id.clone()>{p.kind.digest_label()}</label>
                                            <select id=id name=format!("prefs[{}_email]", p.kind.as_str())>
                                                {EmailDigest::ALL.into_iter().map(|d| view! {
                                                    <option value=d.as_str() selected=d == current>{d.label()}</option>
                                                }).collect_view()}
                                            </select>
                                        </div>
                                    }
                                }).collect_view()}
                            </fieldset>
                            <button type="submit" class="primary">"Save settings"</button>
                        </ActionForm>
                    }
                    .into_any()
                })}
            </Transition>
        </section>
    }
}
