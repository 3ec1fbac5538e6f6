//! The schema of a SQLite database: `sqlite_master` and the table pragmas.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::{AnyPool, Row};

use crate::model::{quoted, Column, Family, ForeignKey, Schema, Table, BOOLEANS};

pub async fn read(pool: &AnyPool) -> Schema {
    let tables = sqlx::query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for row in tables {
        let name: String = row.get("name");
        let sql: String = row.get("sql");
        let mut table = read_table(pool, &name).await;
        table.checks = checks_in(&sql);
        schema.insert(name, table);
    }
    for (table, column, values) in trigger_checks(pool).await {
        if let Some(t) = schema.get_mut(&table) {
            t.checks.insert(column, values);
        }
    }
    schema
}

async fn read_table(pool: &AnyPool, name: &str) -> Table {
    let mut table = Table::default();
    let mut pk: Vec<(i64, String)> = Vec::new();
    let cols = sqlx::query(r#"SELECT name, type, "notnull" AS nn, pk FROM pragma_table_info($1)"#)
        .bind(name)
        .fetch_all(pool)
        .await
        .unwrap();
    for c in cols {
        let column: String = c.get("name");
        let in_pk: i64 = c.get("pk");
        let mut family = family(&c.get::<String, _>("type"));
        if family == Family::Integer && BOOLEANS.contains(&(name, column.as_str())) {
            family = Family::Boolean;
        }
        // A primary key is never NULL: INTEGER PRIMARY KEY is the rowid (reported nullable);
        // a TEXT one accepts NULL only by an old SQLite quirk that tocsin never relies on.
        let not_null = c.get::<i64, _>("nn") != 0 || in_pk > 0;
        if in_pk > 0 {
            pk.push((in_pk, column.clone()));
        }
        table.columns.insert(column, Column { family, not_null });
    }
    pk.sort();
    table.primary_key = pk.into_iter().map(|(_, c)| c).collect();

    let indexes = sqlx::query(r#"SELECT name, "unique" AS u, origin, partial FROM pragma_index_list($1)"#)
        .bind(name)
        .fetch_all(pool)
        .await
        .unwrap();
    for i in indexes {
        let index: String = i.get("name");
        if i.get::<String, _>("origin") == "pk" {
            continue;
        }
        let cols: Vec<String> = sqlx::query("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
            .bind(&index)
            .fetch_all(pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get("name"))
            .collect();
        if i.get::<i64, _>("u") != 0 {
            table.uniques.insert(cols);
        } else {
            table
                .indexes
                .insert(index, (cols, i.get::<i64, _>("partial") != 0));
        }
    }

    let fks = sqlx::query(
        r#"SELECT id, "table" AS ref, "from" AS col, "to" AS ref_col, on_delete
           FROM pragma_foreign_key_list($1) ORDER BY id, seq"#,
    )
    .bind(name)
    .fetch_all(pool)
    .await
    .unwrap();
    let mut by_id: BTreeMap<i64, ForeignKey> = BTreeMap::new();
    for f in fks {
        let k = by_id.entry(f.get("id")).or_insert_with(|| ForeignKey {
            columns: Vec::new(),
            references: f.get("ref"),
            ref_columns: Vec::new(),
            on_delete: f.get("on_delete"),
        });
        k.columns.push(f.get("col"));
        k.ref_columns.push(f.get("ref_col"));
    }
    table.foreign_keys = by_id.into_values().collect();
    table
}

/// SQLite's type affinity rules, reduced to the families.
fn family(declared: &str) -> Family {
    let t = declared.to_ascii_uppercase();
    if t.contains("INT") {
        Family::Integer
    } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
        Family::Text
    } else if t.contains("BLOB") {
        Family::Bytes
    } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
        Family::Real
    } else {
        Family::Other(declared.to_string())
    }
}

/// `CHECK (column IN ('a', 'b'))` clauses of a CREATE TABLE (ALTER TABLE ADD COLUMN appends
/// its column's definition there too).
pub fn checks_in(sql: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    let upper = sql.to_ascii_uppercase();
    let mut from = 0;
    while let Some(at) = upper[from..].find("CHECK") {
        let start = from + at + "CHECK".len();
        // A CHECK clause, not a name that contains the word (`checked_at`).
        let gap = sql[start..].len() - sql[start..].trim_start().len();
        if !sql[start + gap..].starts_with('(') {
            from = start;
            continue;
        }
        let open = start + gap;
        let (mut depth, mut in_quote, mut end) = (0, false, sql.len());
        for (i, ch) in sql[open..].char_indices() {
            match ch {
                '\'' => in_quote = !in_quote,
                '(' if !in_quote => depth += 1,
                ')' if !in_quote => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let expr = &sql[open + 1..end];
        let column: String = expr
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        out.insert(column, quoted(expr));
        from = end;
    }
    out
}

/// Allowed values enforced by `BEFORE INSERT` / `BEFORE UPDATE OF` triggers that RAISE(ABORT)
/// `WHEN NEW.column NOT IN (...)`. Both must exist and agree; otherwise each shows apart.
async fn trigger_checks(pool: &AnyPool) -> Vec<(String, String, BTreeSet<String>)> {
    let rows = sqlx::query("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        .fetch_all(pool)
        .await
        .unwrap();
    type Pair = (Option<BTreeSet<String>>, Option<BTreeSet<String>>);
    let mut found: BTreeMap<(String, String), Pair> = BTreeMap::new();
    for row in rows {
        let table: String = row.get("tbl_name");
        let sql: String = row.get("sql");
        let upper = sql.to_ascii_uppercase();
        if !upper.contains("RAISE(ABORT") {
            continue;
        }
        let (Some(when), Some(begin)) = (upper.find(" WHEN "), upper.find(" BEGIN")) else {
            panic!("a refusing trigger on {table} without WHEN ... BEGIN: {sql}");
        };
        let condition = &sql[when..begin];
        let column: String = condition
            .split_once("NEW.")
            .map(|(_, rest)| {
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect()
            })
            .unwrap_or_else(|| panic!("a refusing trigger on {table} that reads no NEW column: {sql}"));
        let pair = found.entry((table, column)).or_default();
        if upper.contains("BEFORE INSERT") {
            pair.0 = Some(quoted(condition));
        } else if upper.contains("BEFORE UPDATE OF") {
            pair.1 = Some(quoted(condition));
        }
    }
    let mut out = Vec::new();
    for ((table, column), pair) in found {
        match pair {
            (Some(i), Some(u)) if i == u => out.push((table, column, i)),
            (i, u) => {
                out.push((
                    table.clone(),
                    format!("{column} (on insert)"),
                    i.unwrap_or_default(),
                ));
                out.push((table, format!("{column} (on update)"), u.unwrap_or_default()));
            }
        }
    }
    out
}
