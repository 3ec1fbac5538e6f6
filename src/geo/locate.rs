//! Finding a location in free text (an SMS): plain decimal coordinates, geo:
//! URIs, and Google / Apple / OpenStreetMap map links. Offline only: short
//! links (goo.gl, maps.app.goo.gl, osm.org/go) give nothing.

use std::ops::Range;
use std::sync::OnceLock;

use regex::{Captures, Regex};
use url::Url;

use crate::domain::LocatedBy;

/// Finds a location written in free text. Returns (lat, lon) of the first one
/// found (by position in the text), validated in range.
pub fn locate_text(text: &str) -> Option<(f64, f64)> {
    locate_text_by(text).map(|(p, _)| p)
}

/// The same, saying whether plain coordinates or a link gave the point.
pub fn locate_text_by(text: &str) -> Option<((f64, f64), LocatedBy)> {
    let links = link_re()?;
    // Links claim their whole span, so the plain scan never reads a link's
    // viewport or zoom numbers as a location of its own.
    let mut claimed: Vec<Range<usize>> = Vec::new();
    let mut first_link: Option<(usize, (f64, f64))> = None;
    for m in links.find_iter(text) {
        let token = trim_trailing(m.as_str());
        claimed.push(m.start()..m.start() + token.len());
        if first_link.is_none() {
            first_link = parse_link(token).map(|p| (m.start(), p));
        }
    }
    let limit = first_link.map_or(text.len(), |(at, _)| at);
    plain(text, &claimed, limit)
        .map(|p| (p, LocatedBy::Coordinates))
        .or(first_link.map(|(_, p)| (p, LocatedBy::Link)))
}

fn cached(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    // Patterns are constants (a test compiles each); None rather than a panic.
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

fn link_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    cached(
        &RE,
        r#"(?i)\bgeo:[^\s<>"]+|(?:\bhttps?://)?\b(?:[a-z0-9-]+\.)*(?:google\.[a-z]{2,3}(?:\.[a-z]{2})?|goo\.gl|maps\.apple(?:\.com)?|openstreetmap\.org|osm\.org)\b(?:[/?#][^\s<>"]*)?"#,
    )
}

/// Two decimals with >= 3 places each (so prices and times don't match),
/// comma or space separated, optionally with degree signs and N/S, E/W.
fn plain_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    cached(
        &RE,
        r"([+-]?)(\d{1,3}\.\d{3,})(?:\s*°)?(?:\s?([NS]))?(?:\s*,\s*|\s+)([+-]?)(\d{1,3}\.\d{3,})(?:\s*°)?(?:\s?([EW]))?",
    )
}

/// Drops sentence punctuation stuck to the end of a link; a ')' only when unbalanced.
fn trim_trailing(s: &str) -> &str {
    let opens = s.matches('(').count();
    let mut closes = s.matches(')').count(); // counted once: a long tail stays linear
    let mut t = s;
    while let Some(c) = t.chars().next_back() {
        let unbalanced_paren = c == ')' && opens < closes;
        if ".,;:!?]}'\"".contains(c) || unbalanced_paren {
            closes -= usize::from(c == ')');
            t = &t[..t.len() - c.len_utf8()];
        } else {
            break;
        }
    }
    t
}

fn valid(lat: f64, lon: f64) -> Option<(f64, f64)> {
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// First plain coordinate pair starting before `limit` and outside every link.
fn plain(text: &str, claimed: &[Range<usize>], limit: usize) -> Option<(f64, f64)> {
    let re = plain_re()?;
    let mut pos = 0;
    while let Some(caps) = re.captures_at(text, pos) {
        let m = caps.get(0)?;
        if m.start() >= limit {
            return None;
        }
        let in_link = claimed.iter().any(|r| m.start() < r.end && r.start < m.end());
        if !in_link {
            if let Some(p) = plain_candidate(text, &caps) {
                return Some(p);
            }
        }
        // Retry one character on: a rejected match may hide a good one inside it.
        // Matches start with an ASCII sign or digit, so +1 is a char boundary.
        pos = m.start() + 1;
    }
    None
}

fn plain_candidate(text: &str, caps: &Captures) -> Option<(f64, f64)> {
    let m = caps.get(0)?;
    let before = text[..m.start()].chars().next_back();
    if before.is_some_and(|c| c.is_alphanumeric() || "._+-".contains(c)) {
        // Part of a longer number or word (an IP address), or a retry that
        // skipped past this number's own sign.
        return None;
    }
    let lon_digits = caps.get(5)?;
    let mut after = text[lon_digits.end()..].chars();
    match (after.next(), after.next()) {
        (Some(c), _) if c.is_ascii_digit() => return None,
        (Some('.'), Some(d)) if d.is_ascii_digit() => return None,
        _ => {}
    }
    // "W" starting a word ("-118.3005 West LA") is not a hemisphere.
    let lon_hemi = caps
        .get(6)
        .filter(|h| !text[h.end()..].chars().next().is_some_and(char::is_alphanumeric));
    let lat = signed(
        caps.get(1)?.as_str(),
        caps.get(2)?.as_str(),
        caps.get(3).map(|h| h.as_str()),
    )?;
    let lon = signed(
        caps.get(4)?.as_str(),
        lon_digits.as_str(),
        lon_hemi.map(|h| h.as_str()),
    )?;
    valid(lat, lon)
}

/// Applies a sign or a hemisphere letter; both at once is contradictory unless it's a '+'.
fn signed(sign: &str, digits: &str, hemisphere: Option<&str>) -> Option<f64> {
    let v: f64 = digits.parse().ok()?;
    match (sign, hemisphere) {
        ("-", Some(_)) => None,
        (_, Some("S" | "W")) | ("-", None) => Some(-v),
        _ => Some(v),
    }
}

/// A number as written in links: optional sign, digits, optional fraction.
/// Stricter than f64::from_str, which would take "inf", "NaN" or "1e9".
fn number(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, "0"));
    let digits = |p: &str| !p.is_empty() && p.len() <= 20 && p.bytes().all(|b| b.is_ascii_digit());
    if digits(int) && digits(frac) {
        s.parse().ok()
    } else {
        None
    }
}

/// "lat,lon" as found in link parameters; tolerates spaces, a "loc:" prefix and
/// a trailing altitude or "(label)".
fn pair(s: &str) -> Option<(f64, f64)> {
    let s = s.trim();
    let s = s.strip_prefix("loc:").unwrap_or(s);
    let (a, rest) = s.split_once(',')?;
    let end = rest.find([',', '(', ';']).unwrap_or(rest.len());
    valid(number(a.trim())?, number(rest[..end].trim())?)
}

fn parse_link(token: &str) -> Option<(f64, f64)> {
    if token.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("geo:")) {
        return geo_uri(token.get(4..)?);
    }
    let lower = token.to_ascii_lowercase();
    let url = if lower.starts_with("http://") || lower.starts_with("https://") {
        Url::parse(token).ok()?
    } else {
        Url::parse(&format!("https://{token}")).ok()?
    };
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    match host {
        "openstreetmap.org" | "osm.org" => osm(&url),
        "maps.apple.com" | "maps.apple" => params(&url, &["coordinate", "ll", "q", "daddr", "sll", "center"]),
        h if h.split('.').any(|l| l == "google") => google(&url, h),
        _ => None, // goo.gl, maps.app.goo.gl and the like: short links, unresolvable offline
    }
}

/// The first listed query parameter holding a coordinate pair, in list order.
fn params(url: &Url, keys: &[&str]) -> Option<(f64, f64)> {
    keys.iter().find_map(|key| {
        url.query_pairs()
            .filter(|(k, _)| k == key)
            .find_map(|(_, v)| pair(&v))
    })
}

fn google(url: &Url, host: &str) -> Option<(f64, f64)> {
    if !host.starts_with("maps.") && !url.path().starts_with("/maps") {
        return None; // e.g. a web search, not a map
    }
    static DATA: OnceLock<Option<Regex>> = OnceLock::new();
    static AT: OnceLock<Option<Regex>> = OnceLock::new();
    let from = |re: Option<&Regex>| {
        let c = re?.captures(url.path())?;
        valid(number(c.get(1)?.as_str())?, number(c.get(2)?.as_str())?)
    };
    // The place's own position (!3d lat !4d lon) or the asked-for point beat
    // "@", which is only where the viewport was centred.
    from(cached(&DATA, r"!3d([+-]?\d+(?:\.\d+)?)!4d([+-]?\d+(?:\.\d+)?)"))
        .or_else(|| {
            params(
                url,
                &["q", "query", "ll", "center", "destination", "daddr", "sll"],
            )
        })
        .or_else(|| from(cached(&AT, r"/@([+-]?\d+(?:\.\d+)?),([+-]?\d+(?:\.\d+)?)")))
        .or_else(|| url.path_segments()?.find_map(|seg| pair(&percent_decode(seg))))
}

fn osm(url: &Url) -> Option<(f64, f64)> {
    if url.path().starts_with("/go/") {
        return None; // shortlink
    }
    let get = |key: &str| {
        url.query_pairs()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| number(&v))
    };
    // The marker (mlat/mlon) is the point; #map= is only the view.
    for (lat_key, lon_key) in [("mlat", "mlon"), ("lat", "lon")] {
        if let Some(p) = get(lat_key).zip(get(lon_key)).and_then(|(la, lo)| valid(la, lo)) {
            return Some(p);
        }
    }
    let map = url
        .fragment()?
        .split('&')
        .find_map(|part| part.strip_prefix("map="))?;
    let mut it = map.split('/');
    let (_zoom, lat, lon) = (it.next()?, it.next()?, it.next()?);
    valid(number(lat)?, number(lon)?)
}

/// RFC 5870 `geo:lat,lon[,alt][;crs=..][;u=..][?q=..]`, plus Android's
/// `geo:0,0?q=lat,lon` where 0,0 means "no position, see q".
fn geo_uri(rest: &str) -> Option<(f64, f64)> {
    let rest = rest.split('#').next().unwrap_or(rest);
    let (main, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut parts = main.split(';');
    let coords = parts.next().and_then(|c| pair(&percent_decode(c)));
    let other_crs = parts.any(|p| {
        p.to_ascii_lowercase()
            .strip_prefix("crs=")
            .is_some_and(|crs| crs != "wgs84")
    });
    if other_crs {
        return None;
    }
    let q = url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "q");
    if let Some((_, v)) = &q {
        if let Some(p) = pair(v) {
            return Some(p);
        }
    }
    match coords {
        Some((lat, lon)) if lat == 0.0 && lon == 0.0 && q.is_some() => None,
        other => other,
    }
}

/// Decodes %XX escapes; malformed ones are kept as written.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| std::str::from_utf8(h).ok());
        match (b[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests;
