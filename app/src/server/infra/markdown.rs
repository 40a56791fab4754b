//! User Markdown, rendered on the server and cleaned by ammonia before it is stored or served.

use std::collections::HashSet;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::domain::profile::Handle;

/// Renders Markdown to HTML that is safe to put in a page: no scripts, no styles, no event
/// handlers, only http(s) and mailto links, each with `rel="nofollow noopener"`.
pub fn render(markdown: &str) -> String {
    render_with_mentions(markdown, &HashSet::new())
}

/// As [`render`], and each `@handle` of a person in `people` (outside code and links) becomes a
/// link to their profile.
pub fn render_with_mentions(markdown: &str, people: &HashSet<String>) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TABLES);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    let mut shielded = 0_usize;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Start(Tag::Link { .. } | Tag::CodeBlock(_) | Tag::Image { .. }) => {
            shielded += 1;
            event
        }
        Event::End(TagEnd::Link | TagEnd::CodeBlock | TagEnd::Image) => {
            shielded = shielded.saturating_sub(1);
            event
        }
        Event::Text(text) if shielded == 0 && !people.is_empty() && text.contains('@') => {
            Event::InlineHtml(CowStr::from(link_mentions(&text, people)))
        }
        other => other,
    });
    html::push_html(&mut raw, events);
    ammonia::Builder::default()
        .link_rel(Some("nofollow noopener"))
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .clean(&raw)
        .to_string()
}

/// Escapes `text` for HTML, with each mention of someone in `people` made a profile link.
fn link_mentions(text: &str, people: &HashSet<String>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 32);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts =
            c == '@' && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_'));
        if starts {
            let word: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .collect();
            if let Some(handle) = Handle::parse(&word).ok().filter(|h| people.contains(h)) {
                out.push_str(&format!(
                    r#"<a href="/u/{handle}">@{}</a>"#,
                    crate::domain::markup::escape(&word)
                ));
                i += 1 + word.chars().count();
                continue;
            }
        }
        out.push_str(&crate::domain::markup::escape(&c.to_string()));
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_of_known_people_link_to_profiles() {
        let people = HashSet::from(["ana".to_owned()]);
        let html = render_with_mentions(
            "Thanks @Ana & @nobody <b>! `@ana` [@ana](https://x.example)",
            &people,
        );
        assert!(
            html.contains(
                r#"Thanks <a href="/u/ana" rel="nofollow noopener">@Ana</a> &amp; @nobody"#
            ),
            "{html}"
        );
        assert!(html.contains("<code>@ana</code>"), "{html}");
        assert_eq!(html.matches("/u/ana").count(), 1, "{html}");
    }

    #[test]
    fn markdown_is_rendered_and_cleaned() {
        let html = render(
            "**Hi** <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://example.com)",
        );
        assert!(html.contains("<strong>Hi</strong>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(
            html.contains(r#"<a href="https://example.com" rel="nofollow noopener">ok</a>"#),
            "{html}"
        );
        let attr = render(r#"<img src="x" onerror="alert(1)"> <p style="color:red">t</p>"#);
        assert!(
            !attr.contains("onerror") && !attr.contains("style="),
            "{attr}"
        );
    }
}
