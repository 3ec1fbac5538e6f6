//! X-Twilio-Signature: signing and validating Twilio webhook requests (PROTOCOLS §2).
//!
//! Guarantees: nothing here panics on any input; the URL is signed byte for byte as given (no
//! decoding, no re-encoding); every form pair counts, including empty values and repeated keys;
//! the comparison is constant-time; a missing, empty or undecodable header is never valid; an
//! empty auth token is never accepted (its HMAC would be forgeable by anyone).

use std::collections::{BTreeMap, BTreeSet};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::{Choice, ConstantTimeEq};

type HmacSha1 = Hmac<Sha1>;

/// Length of an HMAC-SHA1 in bytes, and of its base64 form (with padding) in characters.
const MAC_LEN: usize = 20;
const HEADER_LEN: usize = 28;

/// Raw HMAC-SHA1 over `url` followed by each `name + value`, names in byte order, each name's
/// distinct values in byte order.
fn mac(auth_token: &str, url: &str, params: &[(String, String)]) -> Vec<u8> {
    // HMAC takes keys of any length, so this never fails; an empty Vec would simply never match.
    let Ok(mut m) = <HmacSha1 as Mac>::new_from_slice(auth_token.as_bytes()) else {
        return Vec::new();
    };
    m.update(url.as_bytes());
    // Sorting by name first (not by the concatenated `name+value`) is what Twilio does:
    // `Sid` < `SidAccount` whatever their values (vector V2 catches the difference).
    let mut sorted: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (name, value) in params {
        sorted.entry(name.as_str()).or_default().insert(value.as_str());
    }
    for (name, values) in &sorted {
        for value in values {
            m.update(name.as_bytes());
            m.update(value.as_bytes());
        }
    }
    m.finalize().into_bytes().to_vec()
}

/// X-Twilio-Signature over `url` (exactly as configured in Twilio, query string included) and form
/// params: names sorted by byte order, each name's distinct values sorted, concatenated as
/// name+value, HMAC-SHA1 with the auth token, base64.
#[must_use]
pub fn sign(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    STANDARD.encode(mac(auth_token, url, params))
}

/// Twilio's JSON-body variant helper: lowercase hex SHA-256 of the raw body (for `bodySHA256=`).
#[must_use]
pub fn body_sha256_hex(body: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(body);
    let mut out = String::with_capacity(digest.len() * 2);
    for byte in digest {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out
}

/// True when `header` matches the signature for any accepted token (current and, during rotation,
/// previous) and any candidate URL: the URL as given, the URL with its port removed, the URL with
/// the scheme's default port added when it had none (as twilio-python/twilio-node do), and the
/// same three without `user:password@` (Twilio drops credentials from the URL before signing).
/// Constant-time comparison (subtle). `#[must_use]`: ignoring the answer would accept forgeries.
/// Missing/empty header or bad base64 -> false. Never panics.
#[must_use]
pub fn is_valid(auth_tokens: &[&str], url: &str, params: &[(String, String)], header: Option<&str>) -> bool {
    let Some(header) = header.map(str::trim) else {
        return false;
    };
    // A real header is exactly 28 characters; refusing others early also bounds the work an
    // attacker can make us do.
    if header.len() != HEADER_LEN {
        return false;
    }
    let Ok(expected) = STANDARD.decode(header) else {
        return false;
    };
    if expected.len() != MAC_LEN {
        return false;
    }
    let urls = candidate_urls(url);
    // Try every (token, URL) pair without stopping early, so timing does not reveal which matched.
    let mut ok = Choice::from(0);
    for token in auth_tokens.iter().filter(|t| !t.is_empty()) {
        for candidate in &urls {
            ok |= mac(token, candidate, params).as_slice().ct_eq(&expected);
        }
    }
    ok.into()
}

/// Parses a raw `application/x-www-form-urlencoded` body into pairs, keeping repeated keys and empty
/// values (do not use a `HashMap`).
///
/// `+` becomes a space and `%xx` a byte; invalid UTF-8 is replaced with U+FFFD (Twilio always sends
/// UTF-8, so such a body would not validate anyway).
#[must_use]
pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

/// Where the parts of `scheme://[userinfo@]host[:port]` sit in a URL, as byte offsets.
struct Authority<'a> {
    scheme: &'a str,
    /// Just after `://`.
    start: usize,
    /// Where the host begins (after `userinfo@`, if any).
    host: usize,
    /// Where `:port` begins, or `end` when there is no port.
    port: usize,
    /// Where the authority ends (first `/`, `?` or `#` after it, or the end of the URL).
    end: usize,
}

/// Finds the authority by plain string search. Why not a URL parser: it would normalise the path
/// and query (case, percent-encoding, `'`), and Twilio signs the configured URL byte for byte.
/// None when the URL has no recognisable authority or a malformed port.
fn authority(url: &str) -> Option<Authority<'_>> {
    let sep = url.find("://")?;
    let scheme = &url[..sep];
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return None;
    }
    let start = sep + 3;
    let rest = &url[start..];
    let end = start + rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let auth = &url[start..end];
    // The last `@` ends the userinfo; `@` in the path or query is outside `auth`.
    let host = start + auth.rfind('@').map_or(0, |i| i + 1);
    let host_port = &url[host..end];
    let colon = if host_port.starts_with('[') {
        // IPv6 literal: a port can only follow the closing bracket.
        let close = host_port.find(']')?;
        match &host_port[close + 1..] {
            "" => None,
            after if after.starts_with(':') => Some(close + 1),
            _ => return None,
        }
    } else {
        host_port.rfind(':')
    };
    let port = match colon {
        None => end,
        Some(i) => {
            let digits = &host_port[i + 1..];
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            host + i
        }
    };
    Some(Authority {
        scheme,
        start,
        host,
        port,
        end,
    })
}

/// `url` as given, without its port, and with the default port added; all distinct.
fn port_variants(url: &str, out: &mut Vec<String>) {
    let mut add = |u: String| {
        if !out.contains(&u) {
            out.push(u);
        }
    };
    add(url.to_owned());
    let Some(a) = authority(url) else { return };
    if a.port < a.end {
        add(format!("{}{}", &url[..a.port], &url[a.end..]));
    } else {
        let default = if a.scheme.eq_ignore_ascii_case("https") {
            Some(":443")
        } else if a.scheme.eq_ignore_ascii_case("http") {
            Some(":80")
        } else {
            None
        };
        if let Some(port) = default {
            add(format!("{}{}{}", &url[..a.end], port, &url[a.end..]));
        }
    }
}

/// Every URL Twilio may have signed for a request to `url`.
fn candidate_urls(url: &str) -> Vec<String> {
    let mut out = Vec::new();
    port_variants(url, &mut out);
    if let Some(a) = authority(url) {
        if a.host > a.start {
            port_variants(&format!("{}{}", &url[..a.start], &url[a.host..]), &mut out);
        }
    }
    out
}

#[cfg(test)]
#[path = "signature_tests.rs"]
mod tests;
