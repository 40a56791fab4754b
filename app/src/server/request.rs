//! What the current request says about its client: address, scheme and cookies.

use std::net::{IpAddr, Ipv4Addr};

use http::request::Parts;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use crate::error::{AppError, AppResult};

/// Set by the server's middleware on every request: the client's address (behind a trusted proxy,
/// the forwarded one) and whether the client reached us over https.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientInfo {
    pub ip: IpAddr,
    pub https: bool,
}

impl ClientInfo {
    /// The key rate limits count this client under: its IPv4 address, or its IPv6 /64.
    pub fn rate_key(&self) -> String {
        match self.ip {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => {
                    let s = v6.segments();
                    format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            },
        }
    }
}

/// The parts of the request being served.
pub fn parts() -> AppResult<Parts> {
    use_context::<Parts>().ok_or_else(|| AppError::internal("request parts are not in context"))
}

/// The response being built, for cookies and headers.
pub fn response() -> AppResult<ResponseOptions> {
    use_context::<ResponseOptions>()
        .ok_or_else(|| AppError::internal("response options are not in context"))
}

pub fn client_info(parts: &Parts) -> ClientInfo {
    parts
        .extensions
        .get::<ClientInfo>()
        .copied()
        .unwrap_or(ClientInfo {
            ip: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            https: false,
        })
}

/// The value of the named cookie, if the request carries it.
pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    cookie_in(&parts.headers, name)
}

/// The value of the named cookie among `headers` (for handlers outside Leptos).
pub fn cookie_in(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_share_a_key_per_64() -> Result<(), std::net::AddrParseError> {
        let a = ClientInfo {
            ip: "2001:db8:1:2::5".parse()?,
            https: false,
        };
        let b = ClientInfo {
            ip: "2001:db8:1:2:ffff::9".parse()?,
            https: false,
        };
        let c = ClientInfo {
            ip: "::ffff:10.0.0.1".parse()?,
            https: false,
        };
        assert_eq!(a.rate_key(), "2001:db8:1:2::/64");
        assert_eq!(a.rate_key(), b.rate_key());
        assert_eq!(c.rate_key(), "10.0.0.1");
        Ok(())
    }

    #[test]
    fn cookies_are_found_by_exact_name() -> Result<(), http::Error> {
        let (parts, _) = http::Request::builder()
            .header("cookie", "a=1; cohort_session=tok; cohort_session_x=2")
            .body(())?
            .into_parts();
        assert_eq!(cookie(&parts, "cohort_session").as_deref(), Some("tok"));
        assert_eq!(cookie(&parts, "missing"), None);
        Ok(())
    }
}
