//! A mobilisation as asked for (API body, CSV row, CLI flags), checked field by field before
//! anything is stored; an error names the field and the reason. The place is still words here:
//! it is resolved against the map where the network's places are known (`mobilisations::create`).

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde_json::Value;

use crate::domain::mobilisation::BUILT_IN_KINDS;
use crate::domain::{Audience, Disclose};

/// The longest public text: it is read on a lock screen, with a code to answer.
pub const MAX_TEXT: usize = 300;
pub const MAX_PLACE: usize = 200;
pub const MAX_WANTED: i64 = 1_000;
/// How far ahead a mobilisation may be planned.
const MAX_AHEAD_MS: i64 = 400 * 86_400_000;
const MAX_OFFSET_S: i64 = 30 * 86_400;

/// A field that is wrong, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {why}")]
pub struct Invalid {
    pub field: &'static str,
    pub why: String,
}

fn invalid(field: &'static str, why: impl Into<String>) -> Invalid {
    Invalid {
        field,
        why: why.into(),
    }
}

/// What a draft is checked against: the network's kinds and clock.
pub struct Rules<'a> {
    pub extra_kinds: &'a [String],
    pub tz: TimeZone,
    pub now_ms: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub kind: String,
    pub starts_at: i64,
    pub place: String,
    pub text: String,
    pub wanted: i64,
    pub audience: Audience,
    pub disclose: Disclose,
    pub reminders_s: Option<Vec<i64>>,
    pub widen_before_s: Option<i64>,
    /// A court case number: stored only as a keyed hash, so that a list imported twice adds
    /// each hearing once.
    pub case: Option<String>,
}

impl Rules<'_> {
    pub fn kind(&self, s: &str) -> Result<String, Invalid> {
        let k = s.trim().to_lowercase();
        if BUILT_IN_KINDS.contains(&k.as_str()) || self.extra_kinds.contains(&k) {
            return Ok(k);
        }
        let mut all: Vec<&str> = BUILT_IN_KINDS.to_vec();
        all.extend(self.extra_kinds.iter().map(String::as_str));
        Err(invalid("kind", format!("must be one of {}", all.join(", "))))
    }

    /// A start time: `2026-12-10T07:30` (or with a space) on the network's clock, or RFC 3339
    /// with an offset; in the future, within 400 days.
    pub fn starts_at(&self, s: &str) -> Result<i64, Invalid> {
        let s = s.trim();
        let at = match s.parse::<Timestamp>() {
            Ok(t) => t,
            Err(_) => s
                .replace(' ', "T")
                .parse::<DateTime>()
                .ok()
                .and_then(|local| local.to_zoned(self.tz.clone()).ok())
                .map(|z| z.timestamp())
                .ok_or_else(|| {
                    invalid(
                        "starts_at",
                        "must be a date and time like 2026-12-10T07:30 (the network's time) or RFC 3339",
                    )
                })?,
        };
        let ms = at.as_millisecond();
        if ms <= self.now_ms {
            return Err(invalid("starts_at", "is in the past"));
        }
        if ms > self.now_ms + MAX_AHEAD_MS {
            return Err(invalid("starts_at", "is more than 400 days ahead"));
        }
        Ok(ms)
    }

    /// Reads an API body; every field is named in its error.
    pub fn from_json(&self, body: &Value) -> Result<Draft, Invalid> {
        let text_of = |field: &'static str| -> Result<&str, Invalid> {
            body.get(field)
                .and_then(Value::as_str)
                .ok_or_else(|| invalid(field, "is required (text)"))
        };
        let kind = self.kind(text_of("kind")?)?;
        let starts_at = self.starts_at(text_of("starts_at")?)?;
        let place = bounded("place", text_of("place")?, MAX_PLACE)?;
        let text = bounded("text", text_of("text")?, MAX_TEXT)?;
        let wanted = body
            .get("wanted")
            .and_then(Value::as_i64)
            .filter(|n| (1..=MAX_WANTED).contains(n))
            .ok_or_else(|| invalid("wanted", format!("must be a whole number from 1 to {MAX_WANTED}")))?;
        let audience: Audience = body
            .get("audience")
            .ok_or_else(|| invalid("audience", "is required"))
            .and_then(|a| {
                serde_json::from_value(a.clone()).map_err(|_| {
                    invalid(
                        "audience",
                        "must be one of {\"radius_m\": N}, {\"zones\": [...]}, {\"role\": \"...\"}, {\"volunteers\": [ids]}",
                    )
                })
            })?;
        if let Some(why) = audience.problem() {
            return Err(invalid("audience", why));
        }
        let disclose = match body.get("disclose") {
            None | Some(Value::Null) => Disclose::Yes,
            Some(v) => v
                .as_str()
                .and_then(Disclose::parse)
                .ok_or_else(|| invalid("disclose", "must be \"yes\" (those who said yes) or \"all\""))?,
        };
        let reminders_s = match body.get("reminders_s") {
            None | Some(Value::Null) => None,
            Some(v) => Some(offsets(v)?),
        };
        let widen_before_s = match body.get("widen_before_s") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_i64()
                    .filter(|s| (0..=MAX_OFFSET_S).contains(s))
                    .ok_or_else(|| {
                        invalid("widen_before_s", "must be seconds from 0 to 2592000 (30 days)")
                    })?,
            ),
        };
        let case = match body.get("case") {
            None | Some(Value::Null) => None,
            Some(v) => Some(bounded("case", v.as_str().unwrap_or(""), 100)?),
        };
        Ok(Draft {
            kind,
            starts_at,
            place,
            text,
            wanted,
            audience,
            disclose,
            reminders_s,
            widen_before_s,
            case,
        })
    }
}

/// What a change of a planned mobilisation asks for: only the fields given change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Change {
    pub starts_at: Option<i64>,
    pub place: Option<String>,
    pub text: Option<String>,
    pub wanted: Option<i64>,
}

impl Rules<'_> {
    /// `{"starts_at": ..., "place": ..., "text": ..., "wanted": ...}`, any of them, checked as
    /// when planning; any other field is refused by name (a change of kind or audience is a
    /// new mobilisation).
    pub fn change_from_json(&self, body: &Value) -> Result<Change, Invalid> {
        let Some(fields) = body.as_object() else {
            return Err(invalid("body", "must be a JSON object"));
        };
        if let Some(other) = fields
            .keys()
            .find(|k| !["starts_at", "place", "text", "wanted"].contains(&k.as_str()))
        {
            let field = match other.as_str() {
                "kind" => "kind",
                "audience" => "audience",
                _ => "body",
            };
            return Err(invalid(
                field,
                format!("{other:?} cannot be changed: only starts_at, place, text and wanted"),
            ));
        }
        let text_of = |field: &'static str| -> Result<Option<&str>, Invalid> {
            match body.get(field) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => v.as_str().map(Some).ok_or_else(|| invalid(field, "must be text")),
            }
        };
        let change =
            Change {
                starts_at: text_of("starts_at")?.map(|s| self.starts_at(s)).transpose()?,
                place: text_of("place")?
                    .map(|s| bounded("place", s, MAX_PLACE))
                    .transpose()?,
                text: text_of("text")?
                    .map(|s| bounded("text", s, MAX_TEXT))
                    .transpose()?,
                wanted: match body.get("wanted") {
                    None | Some(Value::Null) => None,
                    Some(v) => Some(v.as_i64().filter(|n| (1..=MAX_WANTED).contains(n)).ok_or_else(
                        || invalid("wanted", format!("must be a whole number from 1 to {MAX_WANTED}")),
                    )?),
                },
            };
        if change == Change::default() {
            return Err(invalid(
                "body",
                "names nothing to change: give starts_at, place, text or wanted",
            ));
        }
        Ok(change)
    }
}

/// Trimmed, 1 to `max` characters, no control characters but line breaks (CRLF read as LF).
pub fn bounded(field: &'static str, s: &str, max: usize) -> Result<String, Invalid> {
    // A browser's textarea sends CRLF line breaks: they are line breaks, kept as LF.
    let s = s.replace("\r\n", "\n");
    let s = s.trim();
    if s.is_empty() || s.chars().count() > max {
        return Err(invalid(field, format!("must be 1 to {max} characters")));
    }
    if s.chars().any(|c| c.is_control() && c != '\n') {
        return Err(invalid(field, "must not hold control characters"));
    }
    Ok(s.to_string())
}

fn offsets(v: &Value) -> Result<Vec<i64>, Invalid> {
    let bad = || {
        invalid(
            "reminders_s",
            "must be a list of up to 5 offsets in seconds, each from 60 to 2592000",
        )
    };
    let list = v.as_array().filter(|a| a.len() <= 5).ok_or_else(bad)?;
    let mut out = Vec::new();
    for x in list {
        out.push(
            x.as_i64()
                .filter(|s| (60..=MAX_OFFSET_S).contains(s))
                .ok_or_else(bad)?,
        );
    }
    out.sort_unstable_by(|a, b| b.cmp(a));
    out.dedup();
    Ok(out)
}

#[cfg(test)]
#[path = "draft_tests.rs"]
mod tests;
