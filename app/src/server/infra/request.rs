//! What the current request says about its client: address, scheme and cookies.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use http::request::Parts;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use crate::domain::user::CurrentUser;
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

/// Who the request's session belongs to, looked up once: a page runs several server fns (the
/// top bar's, the page's own, the unread count), and each asks. The server's middleware puts
/// one in every request's extensions, and every clone of the request's parts shares it.
#[derive(Clone, Default)]
pub struct SessionCache(Arc<SessionCacheInner>);

#[derive(Default)]
struct SessionCacheInner {
    /// `None` until looked up (or after the session changed).
    user: std::sync::Mutex<Option<Option<CurrentUser>>>,
    /// Held while looking up, so the page's server fns, which run at once, ask only once.
    lookup: tokio::sync::Mutex<()>,
}

impl SessionCache {
    /// The cached answer, or `look_up`'s, which is then kept.
    pub async fn get_or_look_up<F>(&self, look_up: F) -> AppResult<Option<CurrentUser>>
    where
        F: Future<Output = AppResult<Option<CurrentUser>>>,
    {
        if let Some(user) = self.cached() {
            return Ok(user);
        }
        let _turn = self.0.lookup.lock().await;
        if let Some(user) = self.cached() {
            return Ok(user);
        }
        let user = look_up.await?;
        *self.slot() = Some(user.clone());
        Ok(user)
    }

    /// Forgets the answer: the request has signed in or out.
    pub fn forget(&self) {
        *self.slot() = None;
    }

    fn cached(&self) -> Option<Option<CurrentUser>> {
        self.slot().clone()
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Option<CurrentUser>>> {
        self.0.user.lock().unwrap_or_else(|e| e.into_inner())
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

    /// The server fns of one page, run at once on clones of the request's parts, look the
    /// session up once; after a sign-in or sign-out it is looked up again.
    #[tokio::test]
    async fn the_session_is_looked_up_once_per_request() -> Result<(), AppError> {
        use std::sync::atomic::{AtomicUsize, Ordering};

        let (mut parts, _) = http::Request::builder()
            .body(())
            .map_err(AppError::internal)?
            .into_parts();
        parts.extensions.insert(SessionCache::default());
        let asked = AtomicUsize::new(0);
        let user = CurrentUser {
            id: crate::domain::user::UserId(7),
            display_name: "Ada".into(),
            email: "ada@example.com".into(),
            role: crate::domain::user::Role::Member,
            handle: "ada".into(),
        };
        let look_up = || async {
            asked.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
            Ok(Some(user.clone()))
        };
        let copies: Vec<Parts> = (0..3).map(|_| parts.clone()).collect();
        let cache = |p: &Parts| p.extensions.get::<SessionCache>().cloned();
        let (a, b, c) = tokio::join!(
            async {
                cache(&copies[0])
                    .unwrap_or_default()
                    .get_or_look_up(look_up())
                    .await
            },
            async {
                cache(&copies[1])
                    .unwrap_or_default()
                    .get_or_look_up(look_up())
                    .await
            },
            async {
                cache(&copies[2])
                    .unwrap_or_default()
                    .get_or_look_up(look_up())
                    .await
            },
        );
        for found in [a?, b?, c?] {
            assert_eq!(found.as_ref(), Some(&user));
        }
        assert_eq!(
            asked.load(Ordering::SeqCst),
            1,
            "asked once for three server fns"
        );

        let shared = cache(&parts).unwrap_or_default();
        shared.forget();
        shared.get_or_look_up(look_up()).await?;
        assert_eq!(
            asked.load(Ordering::SeqCst),
            2,
            "asked again after forgetting"
        );
        Ok(())
    }
}
