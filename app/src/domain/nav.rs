//! Where to send a person after a form.

/// A local path to go to after signing in; anything else (another site, `//host`, a scheme,
/// spaces or characters a `Location` header cannot carry) becomes `/`, so the `next` parameter
/// cannot be used for open redirects.
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(local_path).unwrap_or("/").to_owned()
}

/// `target` (trimmed) when it is a path on this site that a `Location` header may carry as it
/// is: one leading `/`, no backslash (browsers read it as `/`), and only visible ASCII (browsers
/// drop tabs and line breaks, so `/\t/evil.example` would become `//evil.example`). The one
/// check for every redirect whose target comes from a request.
pub fn local_path(target: &str) -> Option<&str> {
    let p = target.trim();
    (p.starts_with('/')
        && !p.starts_with("//")
        && !p.contains('\\')
        && p.chars().all(|c| c.is_ascii_graphic()))
    .then_some(p)
}

/// Percent-encodes a value for a query string.
pub fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode_query("data & ai/é"), "data%20%26%20ai%2F%C3%A9");
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/account")), "/account");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        // Browsers drop tabs and newlines from URLs: "/\t/evil" would become "//evil".
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/a\r\nSet-Cookie: x=1")), "/");
        assert_eq!(safe_next(Some("/account?tab=1")), "/account?tab=1");
        // Only printable ASCII can go in a Location header as it is.
        assert_eq!(safe_next(Some("/café")), "/");
        assert_eq!(local_path(" /t/4#reply-2 "), Some("/t/4#reply-2"));
        assert_eq!(local_path("/\n/evil.example"), None);
    }
}
