//! Grouping a feed's rows into items: several people doing the same thing become one.

use std::collections::{HashMap, HashSet};

use crate::domain::feed::{excerpt, FeedItem, Link};
use crate::domain::ids::ActivityId;
use crate::server::feed::Row;

/// Turns activity rows into feed items, folding the same action on the same thing by several
/// people into one item ("Ana and 2 others commented on ...").
pub(super) fn group(rows: Vec<Row>) -> Vec<FeedItem> {
    let mut items: Vec<FeedItem> = Vec::new();
    let mut actors: Vec<HashSet<i64>> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let (
            id,
            verb,
            at,
            actor_id,
            actor,
            handle,
            slug,
            space,
            post,
            text,
            person,
            person_handle,
            topic,
            topic_title,
        ) = row;
        let person_link = person.zip(person_handle);
        let space_link = slug.zip(space);
        let post_href = |p: i64| match (&space_link, &person_link) {
            (Some((slug, _)), _) => Some(format!("/s/{slug}#post-{p}")),
            (None, Some((_, h))) => Some(format!("/u/{h}#post-{p}")),
            _ => None,
        };
        let (action, target, key) = match (verb.as_str(), post) {
            // Threads, questions and articles, and their replies, answers and comments.
            (
                "asked" | "answered" | "accepted" | "started" | "replied" | "published"
                | "commented",
                _,
            ) if topic.is_some() => {
                let (Some(topic), Some(title)) = (topic, topic_title.clone()) else {
                    continue;
                };
                let action = match verb.as_str() {
                    "asked" => "asked",
                    "answered" => "answered",
                    "accepted" => "accepted an answer to",
                    "started" => "started the thread",
                    "published" => "published the article",
                    "commented" => "commented on the article",
                    _ => "replied to",
                };
                let link = Link {
                    text: title,
                    href: format!("/t/{topic}"),
                };
                (action, Some(link), format!("{verb}:{topic}"))
            }
            ("posted" | "commented", None) => continue, // the post is gone
            ("posted" | "commented", Some(p)) => {
                let href = post_href(p).unwrap_or_default();
                let (action, text) = match (&space_link, &person_link, verb.as_str()) {
                    (Some((_, name)), _, "posted") => ("posted in", name.clone()),
                    (Some((_, name)), _, _) => ("commented on a post in", name.clone()),
                    (None, Some((name, _)), "posted") => ("posted on the wall of", name.clone()),
                    (None, Some((name, _)), _) => {
                        ("commented on a post on the wall of", name.clone())
                    }
                    _ => continue,
                };
                let key = if verb == "commented" {
                    format!("commented:{p}")
                } else {
                    format!("posted:{id}")
                };
                (action, Some(Link { text, href }), key)
            }
            ("status", _) => ("updated their status", None, format!("status:{id}")),
            ("asked" | "answered" | "accepted" | "started" | "replied" | "published", _) => {
                continue; // the topic is gone, or is not the reader's to see
            }
            ("created" | "joined", _) => {
                let Some((slug, name)) = &space_link else {
                    continue;
                };
                let action = if verb == "created" {
                    "created the space"
                } else {
                    "joined"
                };
                let link = Link {
                    text: name.clone(),
                    href: format!("/s/{slug}"),
                };
                (action, Some(link), format!("{verb}:{slug}"))
            }
            ("followed", _) => {
                let Some((name, h)) = &person_link else {
                    continue;
                };
                let link = Link {
                    text: name.clone(),
                    href: format!("/u/{h}"),
                };
                ("started following", Some(link), format!("followed:{h}"))
            }
            (other, _) => (other_action(other), None, format!("{other}:{id}")),
        };
        if let Some(&i) = by_key.get(&key) {
            if actors[i].insert(actor_id) {
                items[i].others += 1;
            }
            continue;
        }
        let show_text = matches!(verb.as_str(), "posted" | "commented" | "status");
        by_key.insert(key, items.len());
        actors.push(HashSet::from([actor_id]));
        items.push(FeedItem {
            id: ActivityId(id),
            actor: Link {
                text: actor,
                href: format!("/u/{}", handle.unwrap_or_else(|| format!("user{actor_id}"))),
            },
            others: 0,
            action: action.to_owned(),
            target,
            excerpt: text
                .filter(|t| show_text && !t.trim().is_empty())
                .map(|t| excerpt(&t, 280)),
            at,
        });
    }
    items
}

/// Words for verbs that later features record.
fn other_action(verb: &str) -> &'static str {
    match verb {
        "enrolled" => "enrolled in a course",
        "completed" => "completed a course",
        _ => "was active",
    }
}
