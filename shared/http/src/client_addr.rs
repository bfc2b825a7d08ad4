//! `ClientAddr`: the network address a request came from, for throttling.
//!
//! On Lambda it is API Gateway's `requestContext.http.sourceIp` (the peer of
//! the TCP connection API Gateway accepted, which the client cannot forge);
//! on the dev server it is the socket's peer (`ConnectInfo`, see
//! `vslc_local::start`). `X-Forwarded-For` is never read: anyone can send it.
//! IPv6 addresses count by their /64 prefix, the block one subscriber gets,
//! so a client cannot change address by changing its interface identifier.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use lambda_http::request::RequestContext;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientAddr(String);

impl ClientAddr {
    /// What a request whose address cannot be told is counted as.
    pub const UNKNOWN: &'static str = "unknown";

    pub fn unknown() -> Self {
        Self(Self::UNKNOWN.to_owned())
    }

    /// An IPv4 address as is (also when mapped into IPv6); an IPv6 address
    /// as its /64 network (`2001:db8:1:2::/64`).
    pub fn from_ip(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Self(v4.to_string()),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self(v4.to_string()),
                None => {
                    let s = v6.segments();
                    let net = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                    Self(format!("{net}/64"))
                }
            },
        }
    }

    /// An address as text (API Gateway's `sourceIp`); anything that is not
    /// an IP address is `unknown`.
    pub fn parse(text: &str) -> Self {
        text.trim()
            .parse::<IpAddr>()
            .map_or_else(|_| Self::unknown(), Self::from_ip)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address of a request: API Gateway's source IP, else the socket's
    /// peer, else `unknown`.
    pub fn of(parts: &Parts) -> Self {
        let source_ip = match parts.extensions.get::<RequestContext>() {
            Some(RequestContext::ApiGatewayV2(ctx)) => ctx.http.source_ip.as_deref(),
            _ => None,
        };
        if let Some(ip) = source_ip {
            return Self::parse(ip);
        }
        match parts.extensions.get::<ConnectInfo<SocketAddr>>() {
            Some(ConnectInfo(peer)) => Self::from_ip(peer.ip()),
            None => Self::unknown(),
        }
    }
}

impl std::fmt::Display for ClientAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::of(parts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(req: axum::http::Request<()>) -> Parts {
        req.into_parts().0
    }

    #[test]
    fn addresses_normalise() {
        assert_eq!(ClientAddr::parse("203.0.113.7").as_str(), "203.0.113.7");
        assert_eq!(
            ClientAddr::parse("2001:db8:1:2:aaaa:bbbb:cccc:dddd").as_str(),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            ClientAddr::parse("2001:db8:1:2::1"),
            ClientAddr::parse("2001:db8:1:2:ffff::9"),
            "one /64, one client"
        );
        assert_eq!(ClientAddr::parse("::ffff:192.0.2.1").as_str(), "192.0.2.1");
        assert_eq!(ClientAddr::parse("not an ip").as_str(), "unknown");
        assert_eq!(ClientAddr::parse("").as_str(), "unknown");
    }

    #[test]
    fn the_dev_server_peer_is_used_and_forwarded_headers_are_not() {
        let mut req = axum::http::Request::builder()
            .header("x-forwarded-for", "198.51.100.9")
            .body(())
            .unwrap();
        assert_eq!(ClientAddr::of(&parts(req)).as_str(), "unknown");
        req = axum::http::Request::builder()
            .header("x-forwarded-for", "198.51.100.9")
            .body(())
            .unwrap();
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 2], 40000))));
        assert_eq!(ClientAddr::of(&parts(req)).as_str(), "127.0.0.2");
    }

    #[test]
    fn api_gateway_source_ip_is_used_on_lambda() {
        let raw = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../events/apigw-v2-login.json"
        ))
        .unwrap();
        let req = lambda_http::request::from_str(&raw).unwrap();
        let (parts, _) = req.into_parts();
        assert_eq!(ClientAddr::of(&parts).as_str(), "203.0.113.7");
    }
}
