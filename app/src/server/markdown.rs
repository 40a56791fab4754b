//! User Markdown, rendered on the server and cleaned by ammonia before it is stored or served.

use std::collections::HashSet;

use pulldown_cmark::{html, Options, Parser};

/// Renders Markdown to HTML that is safe to put in a page: no scripts, no styles, no event
/// handlers, only http(s) and mailto links, each with `rel="nofollow noopener"`.
pub fn render(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TABLES);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .link_rel(Some("nofollow noopener"))
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

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
