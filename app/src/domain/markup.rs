//! Text written into HTML (and XML) by hand, in one place.

/// `text` with the characters that mean markup (`& < > " '`) written as entities, safe in an
/// element's text and in a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text for an element whose content the server writes as it is (`<title>`, `<textarea>`: the
/// renderer treats both as raw text). Escaped when the server renders it; in the browser the
/// same text goes into the DOM as text, where it needs no escaping (and escaping would show).
pub fn raw_text(text: String) -> String {
    if cfg!(feature = "ssr") {
        escape(&text)
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_entities() {
        assert_eq!(
            escape(r#"</title><a href="x" title='y'>&"#),
            "&lt;/title&gt;&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;"
        );
        assert_eq!(escape("Ana’s café"), "Ana’s café");
    }
}
