//! Coordinates as people paste them into one field: decimal degrees (`34.0633, -118.2846`,
//! `34.0633 -118.2846`, `34.0633° N, 118.2846° W`), degrees-minutes-seconds
//! (`34°03'48"N 118°17'05"W`), decimal minutes (`34° 3.8' N, 118° 17.08' W`, and the
//! geocaching form `N 34 03.800 W 118 17.080`), latitude first unless hemisphere letters say
//! otherwise. The whole text must be coordinates: words around them are not read here (see
//! `locate` for coordinates inside a message). Pure; never panics on any input.

/// Why a text gave no coordinates.
#[derive(Debug, Clone, PartialEq)]
pub enum CoordsError {
    /// The text is something else (an address, a name): let other readings try.
    NotCoordinates,
    /// It is written as coordinates but cannot be a place; the reason, for a person.
    Invalid(String),
}

/// Longer texts are not coordinates (and are not read further).
const MAX_CHARS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    Deg,
    Min,
    Sec,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    /// A number; `neg` when written with a minus sign.
    Num {
        v: f64,
        neg: bool,
        signed: bool,
    },
    Mark(Mark),
    Hemi(char),
    Sep,
}

/// (lat, lon) in degrees, in range, from a text that is only coordinates.
pub fn parse_coordinates(text: &str) -> Result<(f64, f64), CoordsError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_CHARS {
        return Err(CoordsError::NotCoordinates);
    }
    let toks = tokenize(text).ok_or(CoordsError::NotCoordinates)?;
    let numbers = toks.iter().filter(|t| matches!(t, Tok::Num { .. })).count();
    if numbers == 0 {
        return Err(CoordsError::NotCoordinates);
    }
    let groups = split(&toks);
    if groups.len() != 2 {
        return Err(invalid(
            "give two numbers, latitude then longitude, like 34.0633, -118.2846",
        ));
    }
    let a = value(groups[0])?;
    let b = value(groups[1])?;
    order(a, b)
}

fn invalid(why: impl Into<String>) -> CoordsError {
    CoordsError::Invalid(why.into())
}

fn tokenize(text: &str) -> Option<Vec<Tok>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            ',' | ';' | '/' => {
                out.push(Tok::Sep);
                i += 1;
            }
            '°' | 'º' | '˚' => {
                out.push(Tok::Mark(Mark::Deg));
                i += 1;
            }
            '\'' | '′' | '’' | '‘' | '´' | '`' => {
                // Two minute marks are a seconds mark.
                if chars.get(i + 1).is_some_and(|n| matches!(n, '\'' | '′' | '’')) {
                    out.push(Tok::Mark(Mark::Sec));
                    i += 2;
                } else {
                    out.push(Tok::Mark(Mark::Min));
                    i += 1;
                }
            }
            '"' | '″' | '”' | '“' => {
                out.push(Tok::Mark(Mark::Sec));
                i += 1;
            }
            '+' | '-' | '−' | '0'..='9' | '.' => {
                let signed = matches!(c, '+' | '-' | '−');
                // A sign glued to what comes before ("7-11") is no sign.
                if signed
                    && out.last().is_some_and(|t| matches!(t, Tok::Num { .. }))
                    && i > 0
                    && !chars[i - 1].is_whitespace()
                {
                    return None;
                }
                let neg = matches!(c, '-' | '−');
                let start = if signed { i + 1 } else { i };
                let mut j = start;
                while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
                    j += 1;
                }
                let digits: String = chars[start..j].iter().collect();
                out.push(Tok::Num {
                    v: number(&digits)?,
                    neg,
                    signed,
                });
                i = j;
            }
            _ if c.is_alphabetic() => {
                let mut j = i;
                while j < chars.len() && chars[j].is_alphabetic() {
                    j += 1;
                }
                let word: String = chars[i..j].iter().collect::<String>().to_lowercase();
                match word.as_str() {
                    "n" | "s" | "e" | "w" => out.push(Tok::Hemi(word.chars().next()?.to_ascii_uppercase())),
                    "lat" | "lon" | "lng" | "long" | "latitude" | "longitude" => out.push(Tok::Sep),
                    _ => return None,
                }
                i = j;
            }
            ':' | '=' | '(' | ')' | '[' | ']' => i += 1,
            _ => return None,
        }
    }
    Some(out)
}

/// Digits with at most one point: at most 3 before it and 15 after. Never "inf", "NaN", "1e9".
fn number(s: &str) -> Option<f64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let ok = !int.is_empty()
        && int.len() <= 3
        && frac.len() <= 15
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(s.contains('.') && frac.is_empty());
    if ok {
        s.parse().ok()
    } else {
        None
    }
}

/// Two coordinates' tokens. Separators end one; so does a hemisphere letter written after
/// (`34N 118W`) or start one when written before (`N 34 W 118`); without either, a number
/// with no minutes or seconds mark starts the next (`34° 3.8' -118° 17.08'`).
fn split(toks: &[Tok]) -> Vec<&[Tok]> {
    let prefix = matches!(toks.first(), Some(Tok::Hemi(_)));
    let has_hemi = toks.iter().any(|t| matches!(t, Tok::Hemi(_)));
    let has_sep = toks.contains(&Tok::Sep);
    let mut groups = Vec::new();
    let mut start = 0;
    for (i, t) in toks.iter().enumerate() {
        let cut_before = match t {
            Tok::Sep => true,
            Tok::Hemi(_) => prefix,
            Tok::Num { .. } if !has_hemi && !has_sep => {
                let next = toks.get(i + 1);
                !matches!(next, Some(Tok::Mark(Mark::Min | Mark::Sec)))
            }
            _ => false,
        };
        if cut_before && i > start {
            groups.push(&toks[start..i]);
            start = i;
        }
        if *t == Tok::Sep {
            start = i + 1;
        }
        if matches!(t, Tok::Hemi(_)) && !prefix {
            groups.push(&toks[start..=i]);
            start = i + 1;
        }
    }
    if start < toks.len() {
        groups.push(&toks[start..]);
    }
    groups.retain(|g| !g.is_empty());
    groups
}

/// One coordinate: its signed degrees and its hemisphere letter, if written.
fn value(group: &[Tok]) -> Result<(f64, Option<char>), CoordsError> {
    let mut hemi = None;
    let mut parts: Vec<(f64, Option<Mark>)> = Vec::new();
    let mut negative = false;
    for (i, t) in group.iter().enumerate() {
        match *t {
            Tok::Hemi(h) if hemi.is_none() => hemi = Some(h),
            Tok::Hemi(_) => return Err(invalid("one hemisphere letter per coordinate")),
            Tok::Num { v, neg, signed } => {
                if signed && !parts.is_empty() {
                    return Err(invalid("only degrees take a sign"));
                }
                negative |= neg;
                let mark = match group.get(i + 1) {
                    Some(Tok::Mark(m)) => Some(*m),
                    _ => None,
                };
                parts.push((v, mark));
            }
            Tok::Mark(_) | Tok::Sep => {}
        }
    }
    let expected = [Mark::Deg, Mark::Min, Mark::Sec];
    for (k, (_, mark)) in parts.iter().enumerate() {
        if mark.is_some_and(|m| Some(&m) != expected.get(k)) {
            return Err(invalid("write degrees, then minutes ('), then seconds (\")"));
        }
    }
    let (deg, min, sec) = match parts.as_slice() {
        [(d, _)] => (*d, 0.0, 0.0),
        [(d, _), (m, _)] => (*d, *m, 0.0),
        [(d, _), (m, _), (s, _)] => (*d, *m, *s),
        [] => return Err(invalid("each coordinate needs a number")),
        _ => return Err(invalid("a coordinate is degrees, minutes and seconds at most")),
    };
    if parts.len() > 1 && deg.fract() != 0.0 {
        return Err(invalid("degrees followed by minutes must be whole"));
    }
    if parts.len() > 2 && min.fract() != 0.0 {
        return Err(invalid("minutes followed by seconds must be whole"));
    }
    if min >= 60.0 || sec >= 60.0 {
        return Err(invalid("minutes and seconds must be below 60"));
    }
    let mut v = deg + min / 60.0 + sec / 3600.0;
    match hemi {
        Some('S' | 'W') if negative => {
            return Err(invalid("a minus sign and S or W together are ambiguous: use one"))
        }
        Some('N' | 'E') if negative => return Err(invalid("a minus sign contradicts N or E")),
        Some('S' | 'W') => v = -v,
        _ if negative => v = -v,
        _ => {}
    }
    Ok((v, hemi))
}

fn is_lat(h: Option<char>) -> Option<bool> {
    h.map(|c| matches!(c, 'N' | 'S'))
}

/// Latitude first, unless the hemisphere letters say otherwise; both in range.
fn order(a: (f64, Option<char>), b: (f64, Option<char>)) -> Result<(f64, f64), CoordsError> {
    let (lat, lon) = match (is_lat(a.1), is_lat(b.1)) {
        (Some(x), Some(y)) if x == y => {
            let both = if x { "latitudes (N/S)" } else { "longitudes (E/W)" };
            return Err(invalid(format!("both numbers are {both}: give one of each")));
        }
        (Some(false), _) | (_, Some(true)) => (b.0, a.0),
        _ => (a.0, b.0),
    };
    let lat_ok = (-90.0..=90.0).contains(&lat);
    let lon_ok = (-180.0..=180.0).contains(&lon);
    if !lat_ok
        && a.1.is_none()
        && b.1.is_none()
        && (-90.0..=90.0).contains(&lon)
        && (-180.0..=180.0).contains(&lat)
    {
        return Err(invalid(format!(
            "latitude {lat} is outside -90..90; it looks like longitude first: write latitude first ({lon}, {lat})"
        )));
    }
    if !lat_ok {
        return Err(invalid(format!("latitude {lat} is outside -90..90")));
    }
    if !lon_ok {
        return Err(invalid(format!("longitude {lon} is outside -180..180")));
    }
    Ok((lat, lon))
}

#[cfg(test)]
mod tests;
