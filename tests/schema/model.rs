//! A schema as both backends can describe it, and the differences between two, one line each,
//! naming the table and the column.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// A column's type, up to what the backends legitimately spell differently (INTEGER/BIGINT,
/// REAL/DOUBLE PRECISION, BLOB/BYTEA; booleans are INTEGER 0/1 on SQLite, see `BOOLEANS`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Family {
    Integer,
    Real,
    Text,
    Bytes,
    Boolean,
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub family: Family,
    pub not_null: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub references: String,
    pub ref_columns: Vec<String>,
    /// As SQLite spells it: NO ACTION, CASCADE ...
    pub on_delete: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub columns: BTreeMap<String, Column>,
    pub primary_key: Vec<String>,
    /// Column lists of UNIQUE constraints and unique indexes (other than the primary key):
    /// their names differ (sqlite_autoindex_* against <table>_<column>_key), so not compared.
    pub uniques: BTreeSet<Vec<String>>,
    /// Other indexes by name: their columns, and whether partial (the predicates' spelling
    /// differs between backends and is not compared).
    pub indexes: BTreeMap<String, (Vec<String>, bool)>,
    pub foreign_keys: Vec<ForeignKey>,
    /// Allowed values by column: a CHECK (col IN (...)) on PostgreSQL; the same CHECK or a
    /// pair of refusing triggers (insert, update) on SQLite.
    pub checks: BTreeMap<String, BTreeSet<String>>,
}

pub type Schema = BTreeMap<String, Table>;

/// Columns that are BOOLEAN on PostgreSQL and INTEGER (0/1) on SQLite, the one difference of
/// type the two folders are meant to have.
pub const BOOLEANS: &[(&str, &str)] = &[
    ("alerts", "complete"),
    ("incidents", "approximate"),
    ("incidents", "drill"),
    ("reports", "approximate"),
    ("reports", "drill"),
    ("reports", "truncated"),
    ("users", "on_duty"),
    ("volunteers", "active"),
    ("volunteers", "opted_out"),
    ("volunteers", "paused"),
    ("volunteers", "trusted"),
];

/// The values a CHECK or a refusing trigger lists: its quoted literals.
pub fn quoted(expr: &str) -> BTreeSet<String> {
    expr.split('\'').skip(1).step_by(2).map(str::to_string).collect()
}

/// Every difference between the two, as `table.column: sqlite ..., postgres ...` lines.
pub fn diff(sqlite: &Schema, pg: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    for name in sqlite.keys().chain(pg.keys()).collect::<BTreeSet<_>>() {
        match (sqlite.get(name), pg.get(name)) {
            (Some(s), Some(p)) => diff_table(name, s, p, &mut out),
            (Some(_), None) => out.push(format!("{name}: a table on SQLite only")),
            (None, _) => out.push(format!("{name}: a table on PostgreSQL only")),
        }
    }
    out
}

fn diff_table(t: &str, s: &Table, p: &Table, out: &mut Vec<String>) {
    for c in s.columns.keys().chain(p.columns.keys()).collect::<BTreeSet<_>>() {
        match (s.columns.get(c), p.columns.get(c)) {
            (Some(a), Some(b)) => {
                if a.family != b.family {
                    out.push(format!(
                        "{t}.{c}: type {:?} on SQLite, {:?} on PostgreSQL",
                        a.family, b.family
                    ));
                }
                if a.not_null != b.not_null {
                    out.push(format!(
                        "{t}.{c}: {} on SQLite, {} on PostgreSQL",
                        null_word(a.not_null),
                        null_word(b.not_null)
                    ));
                }
            }
            (Some(_), None) => out.push(format!("{t}.{c}: a column on SQLite only")),
            (None, _) => out.push(format!("{t}.{c}: a column on PostgreSQL only")),
        }
    }
    if s.primary_key != p.primary_key {
        out.push(format!(
            "{t}: primary key ({}) on SQLite, ({}) on PostgreSQL",
            s.primary_key.join(", "),
            p.primary_key.join(", ")
        ));
    }
    for u in s.uniques.symmetric_difference(&p.uniques) {
        let side = if s.uniques.contains(u) {
            "SQLite"
        } else {
            "PostgreSQL"
        };
        out.push(format!("{t}.({}): unique on {side} only", u.join(", ")));
    }
    for i in s.indexes.keys().chain(p.indexes.keys()).collect::<BTreeSet<_>>() {
        let (a, b) = (s.indexes.get(i), p.indexes.get(i));
        if a != b {
            out.push(format!(
                "{t}: index {i} is {} on SQLite, {} on PostgreSQL",
                index(a),
                index(b)
            ));
        }
    }
    let fk = |k: &ForeignKey| {
        format!(
            "({}) -> {}({}) on delete {}",
            k.columns.join(", "),
            k.references,
            k.ref_columns.join(", "),
            k.on_delete
        )
    };
    let (sf, pf): (BTreeSet<_>, BTreeSet<_>) = (
        s.foreign_keys.iter().map(fk).collect(),
        p.foreign_keys.iter().map(fk).collect(),
    );
    for k in sf.symmetric_difference(&pf) {
        let side = if sf.contains(k) { "SQLite" } else { "PostgreSQL" };
        out.push(format!("{t}: foreign key {k} on {side} only"));
    }
    for c in s.checks.keys().chain(p.checks.keys()).collect::<BTreeSet<_>>() {
        let empty = BTreeSet::new();
        let (a, b) = (
            s.checks.get(c).unwrap_or(&empty),
            p.checks.get(c).unwrap_or(&empty),
        );
        if a.is_empty() || b.is_empty() {
            let (side, other, values) = if a.is_empty() {
                ("PostgreSQL", "SQLite", b)
            } else {
                ("SQLite", "PostgreSQL", a)
            };
            let values: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
            out.push(format!(
                "{t}.{c}: allowed values {} on {side}, no constraint on {other}",
                values.join(", ")
            ));
        } else if a != b {
            let mut line = format!("{t}.{c}: allowed values differ:");
            for v in a.difference(b) {
                let _ = write!(line, " '{v}' only on SQLite;");
            }
            for v in b.difference(a) {
                let _ = write!(line, " '{v}' only on PostgreSQL;");
            }
            out.push(line);
        }
    }
}

fn null_word(not_null: bool) -> &'static str {
    if not_null {
        "NOT NULL"
    } else {
        "nullable"
    }
}

fn index(i: Option<&(Vec<String>, bool)>) -> String {
    match i {
        None => "missing".into(),
        Some((cols, partial)) => {
            format!("({}){}", cols.join(", "), if *partial { " partial" } else { "" })
        }
    }
}
