//! A hearing list (CSV) read as drafts: a header row naming the columns `date`, `time`,
//! `place`, `kind`, `text`, and optionally `case`, `wanted`, `radius_m`; dates and times on the
//! network's clock. Every row is checked before any is stored: an error names its line and field.

use serde_json::json;

use super::draft::{Draft, Invalid, Rules};

/// What every row gets unless it says otherwise.
pub struct Defaults {
    pub wanted: i64,
    pub radius_m: u32,
}

/// A row that is wrong: its line in the file (the header is line 1) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {error}")]
pub struct RowError {
    pub line: u64,
    pub error: Invalid,
}

/// At most this many rows in one file.
pub const MAX_ROWS: usize = 2_000;

/// Every row as a draft, or every row that is wrong.
pub fn read(csv_text: &str, rules: &Rules, defaults: &Defaults) -> Result<Vec<Draft>, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    let header = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.to_lowercase()).collect::<Vec<_>>(),
        Err(e) => return Err(vec![row_error(1, "header", format!("cannot be read: {e}"))]),
    };
    for needed in ["date", "time", "place", "kind", "text"] {
        if !header.iter().any(|h| h == needed) {
            return Err(vec![row_error(1, "header", format!("has no column {needed:?} (date, time, place, kind, text; case, wanted, radius_m may follow)"))]);
        }
    }
    let (mut drafts, mut errors) = (Vec::new(), Vec::new());
    for (n, record) in reader.records().enumerate() {
        let line = n as u64 + 2;
        if n >= MAX_ROWS {
            errors.push(row_error(
                line,
                "file",
                format!("has more than {MAX_ROWS} rows: split it"),
            ));
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(row_error(line, "row", format!("cannot be read: {e}")));
                continue;
            }
        };
        let get = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .filter(|v| !v.is_empty())
        };
        let number = |name: &'static str, default: i64| -> Result<i64, Invalid> {
            match get(name) {
                None => Ok(default),
                Some(v) => v.parse().map_err(|_| Invalid {
                    field: name,
                    why: format!("{v:?} is not a whole number"),
                }),
            }
        };
        let body = (|| -> Result<serde_json::Value, Invalid> {
            Ok(json!({
                "kind": get("kind").unwrap_or_default(),
                "starts_at": format!("{}T{}", get("date").unwrap_or_default(), get("time").unwrap_or_default()),
                "place": get("place").unwrap_or_default(),
                "text": get("text").unwrap_or_default(),
                "case": get("case"),
                "wanted": number("wanted", defaults.wanted)?,
                "audience": {"radius_m": number("radius_m", defaults.radius_m.into())?},
            }))
        })();
        match body.and_then(|b| rules.from_json(&b)) {
            Ok(d) => drafts.push(d),
            Err(error) => errors.push(RowError { line, error }),
        }
    }
    if errors.is_empty() {
        Ok(drafts)
    } else {
        Err(errors)
    }
}

fn row_error(line: u64, field: &'static str, why: String) -> RowError {
    RowError {
        line,
        error: Invalid { field, why },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::tz::TimeZone;

    fn rules() -> Rules<'static> {
        Rules {
            extra_kinds: &[],
            tz: TimeZone::get("America/Los_Angeles").unwrap(),
            now_ms: 1_796_300_000_000,
        }
    }

    const DEFAULTS: Defaults = Defaults {
        wanted: 10,
        radius_m: 1500,
    };

    #[test]
    fn a_hearing_list_reads_row_by_row_with_defaults() {
        let csv = "Date,Time,Place,Kind,Text,Case\n\
                   2026-12-12,08:30,Vermont and 3rd,hearing,\"Dept 94, room 2\",24STUD0113\n\
                   2026-12-13, 09:00 ,34.0617 -118.3005,eviction,Lockout,\n";
        let drafts = read(csv, &rules(), &DEFAULTS).unwrap();
        assert_eq!(drafts.len(), 2);
        assert_eq!(drafts[0].text, "Dept 94, room 2");
        assert_eq!(drafts[0].case.as_deref(), Some("24STUD0113"));
        assert_eq!(drafts[1].case, None);
        assert_eq!((drafts[1].wanted, &drafts[1].kind), (10, &"eviction".to_string()));
    }

    #[test]
    fn every_wrong_row_is_named_by_line_and_field_and_none_is_kept() {
        let csv = "date,time,place,kind,text,wanted\n\
                   2026-12-12,08:30,Vermont and 3rd,hearing,ok,5\n\
                   2026-12-12,25:99,Vermont and 3rd,hearing,bad time,5\n\
                   2026-12-12,08:30,Vermont and 3rd,picnic,bad kind,5\n\
                   2026-12-12,08:30,Vermont and 3rd,hearing,bad wanted,many\n";
        let errors = read(csv, &rules(), &DEFAULTS).unwrap_err();
        let got: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.error.field)).collect();
        assert_eq!(got, [(3, "starts_at"), (4, "kind"), (5, "wanted")]);
        let missing = read("date,time,place\n", &rules(), &DEFAULTS).unwrap_err();
        assert_eq!((missing[0].line, missing[0].error.field), (1, "header"));
    }
}
