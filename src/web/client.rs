//! The client's address, for throttling failed logins. Behind a reverse proxy every request
//! comes from the proxy, so the proxy's header is read, but only when the operator names it
//! (`http.trusted_proxy_header`): otherwise anyone could claim any address. Of that header the
//! right-most entry is taken, the one our proxy added; entries to its left are the client's
//! own claims.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;

pub fn address(headers: &HeaderMap, peer: SocketAddr, trusted_header: Option<&str>) -> IpAddr {
    let Some(header) = trusted_header else {
        return peer.ip();
    };
    let last = headers
        .get_all(header)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .last();
    match last.and_then(parse) {
        Some(ip) => ip,
        None => {
            tracing::debug!(
                header,
                "no client address from the proxy's header: using the peer's"
            );
            peer.ip()
        }
    }
}

/// `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or `[2001:db8::1]:5678`.
fn parse(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    #[test]
    fn the_proxy_header_counts_only_when_trusted_and_only_its_last_entry() {
        let peer: SocketAddr = "10.0.0.2:4444".parse().unwrap();
        let spoofed = headers(&["6.6.6.6, 203.0.113.9"]);
        assert_eq!(
            address(&spoofed, peer, None),
            peer.ip(),
            "not configured: the peer"
        );
        let ip = address(&spoofed, peer, Some("X-Forwarded-For"));
        assert_eq!(ip, "203.0.113.9".parse::<IpAddr>().unwrap(), "the proxy's entry");
        let two_lines = headers(&["6.6.6.6", "198.51.100.7:61000"]);
        let ip = address(&two_lines, peer, Some("x-forwarded-for"));
        assert_eq!(ip, "198.51.100.7".parse::<IpAddr>().unwrap());
        let v6 = headers(&["[2001:db8::1]:443"]);
        assert_eq!(
            address(&v6, peer, Some("x-forwarded-for")),
            "2001:db8::1".parse::<IpAddr>().unwrap()
        );
        for bad in [headers(&[]), headers(&["unknown"]), headers(&["1.2.3.4, "])] {
            assert_eq!(address(&bad, peer, Some("x-forwarded-for")), peer.ip());
        }
    }
}
