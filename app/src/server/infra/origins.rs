//! The site's origin and the content origin. SCORM packages are untrusted code: their files
//! are served from an origin of their own (a second listener of this binary, or `content_url`),
//! so that their scripts never run with the site's origin nor see its session.

use std::sync::atomic::{AtomicU16, Ordering};

use http::request::Parts;

use crate::server::infra::request::client_info;

/// Where people reach the site and where package content is served.
#[derive(Debug, Default)]
pub struct Origins {
    /// `public_url`, when configured (no trailing slash).
    pub public_url: Option<String>,
    /// `content_url`, when configured (no trailing slash).
    pub content_url: Option<String>,
    /// The port the content listener is bound to, once it is.
    content_port: AtomicU16,
}

impl Origins {
    pub fn new(public_url: Option<String>, content_url: Option<String>) -> Origins {
        Origins {
            public_url,
            content_url,
            content_port: AtomicU16::new(0),
        }
    }

    /// Records the port the content listener was given.
    pub fn set_content_port(&self, port: u16) {
        self.content_port.store(port, Ordering::Relaxed);
    }

    /// The site's origin as the request reached it: `public_url`, else its scheme and `Host`
    /// (`localhost` for a `Host` that is not a host name or address with a port).
    pub fn site(&self, parts: &Parts) -> String {
        if let Some(url) = &self.public_url {
            return origin_of(url);
        }
        let scheme = if client_info(parts).https {
            "https"
        } else {
            "http"
        };
        let host = parts
            .headers
            .get(http::header::HOST)
            .and_then(|v| v.to_str().ok())
            .or_else(|| parts.uri.authority().map(|a| a.as_str()))
            .filter(|h| {
                !h.is_empty()
                    && h.len() <= 255
                    && h.bytes().all(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
                    })
            })
            .unwrap_or("localhost");
        format!("{scheme}://{host}")
    }

    /// The content origin that goes with the site's origin `site`: `content_url`, else the same
    /// scheme and host on the content listener's port. A site reached by a loopback name gets
    /// its content under the other one (`127.0.0.1` and `localhost`), another site to the
    /// browser, which then sends it none of the site's cookies.
    pub fn content(&self, site: &str) -> String {
        if let Some(url) = &self.content_url {
            return origin_of(url);
        }
        let (scheme, authority) = site.split_once("://").unwrap_or(("http", site));
        let host = host_of(authority);
        let host = match host {
            "127.0.0.1" | "[::1]" => "localhost",
            "localhost" => "127.0.0.1",
            other => other,
        };
        let port = self.content_port.load(Ordering::Relaxed);
        format!("{scheme}://{host}:{port}")
    }
}

/// `scheme://host[:port]` of a URL.
pub fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
            format!("{scheme}://{authority}")
        }
        None => url.to_owned(),
    }
}

/// The host of an authority (`host`, `host:port`, `[v6]:port`), without the port.
fn host_of(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority.find(']').map_or(authority, |i| &authority[..=i]);
    }
    authority
        .rsplit_once(':')
        .map_or(authority, |(host, _)| host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(host: &str) -> Parts {
        let (parts, ()) = http::Request::builder()
            .uri("/courses")
            .header("host", host)
            .body(())
            .unwrap_or_default()
            .into_parts();
        parts
    }

    #[test]
    fn content_is_another_site_on_a_developer_machine() {
        let o = Origins::new(None, None);
        o.set_content_port(3001);
        let site = o.site(&parts("127.0.0.1:3000"));
        assert_eq!(site, "http://127.0.0.1:3000");
        assert_eq!(o.content(&site), "http://localhost:3001");
        assert_eq!(o.content("http://localhost:3000"), "http://127.0.0.1:3001");
        assert_eq!(o.content("http://[::1]:3000"), "http://localhost:3001");
        assert_eq!(
            o.content("http://learn.internal:3000"),
            "http://learn.internal:3001"
        );
        assert_eq!(o.content("http://10.0.0.5"), "http://10.0.0.5:3001");
    }

    #[test]
    fn configured_origins_win() {
        let o = Origins::new(
            Some("https://learn.example.com".into()),
            Some("https://content.example.net/".into()),
        );
        let site = o.site(&parts("evil.example"));
        assert_eq!(site, "https://learn.example.com");
        let unset = Origins::new(None, None);
        assert_eq!(unset.site(&parts("evil.example\"><x")), "http://localhost");
        assert_eq!(o.content(&site), "https://content.example.net");
    }
}
