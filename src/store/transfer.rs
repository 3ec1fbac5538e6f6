//! Moving a SQLite database into PostgreSQL (`tocsin migrate-data --to postgres://...`): every
//! row of every table, as it is (sealed values stay sealed: they are bound to their row's id,
//! which is kept, under the same key), in one PostgreSQL transaction, so that the target gets
//! everything or nothing.
//!
//! The target is migrated first, and must hold nothing yet. Its own triggers (history, change
//! stamps) are off while rows go in, since the source's rows already carry what they wrote;
//! tables go in the order of their foreign keys, a column that points into its own table is
//! filled in afterwards; identity sequences then continue after the highest id.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Context};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::{Backend, Store};

/// What a column holds in PostgreSQL, which decides how it is read from SQLite.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Int,
    Bool,
    Float,
    Text,
    Bytes,
}

struct Table {
    name: String,
    columns: Vec<(String, Kind)>,
    /// Columns that refer to this same table: written after every row is in.
    self_refs: Vec<String>,
    has_identity: bool,
}

/// Rows copied, per table.
pub type Copied = BTreeMap<String, i64>;

/// Tables no copy needs: the migrations' own record, made by migrating the target.
const SKIPPED: &[&str] = &["_sqlx_migrations"];
/// Tables that say nothing of the network by themselves: the target may hold rows there
/// after its migrations (the key check, counters) and is still "empty".
const BOOKKEEPING: &[&str] = &["meta", "volunteer_change_counter"];
/// Rows per INSERT statement.
const BATCH: usize = 200;

impl Store {
    /// Copies every row of this (SQLite) store into `target` (PostgreSQL, migrated, empty).
    pub async fn copy_into(&self, target: &Store) -> anyhow::Result<Copied> {
        if self.backend() != Backend::Sqlite || target.backend() != Backend::Postgres {
            bail!("the copy goes from SQLite to PostgreSQL");
        }
        let tables = target_tables(target).await?;
        let mut tx = target.pool().begin().await?;
        for t in &tables {
            if BOOKKEEPING.contains(&t.name.as_str()) {
                continue;
            }
            let n: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {}", t.name))
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
            if n > 0 {
                bail!(
                    "the target database holds data already ({n} rows in {}): give an empty database",
                    t.name
                );
            }
        }
        for t in tables.iter().rev() {
            sqlx::query(&format!("DELETE FROM {}", t.name))
                .execute(&mut *tx)
                .await?;
        }
        for t in &tables {
            sqlx::query(&format!("ALTER TABLE {} DISABLE TRIGGER USER", t.name))
                .execute(&mut *tx)
                .await?;
        }
        let mut copied = Copied::new();
        for t in &tables {
            let n = copy_table(self, &mut tx, t)
                .await
                .with_context(|| format!("copying table {}", t.name))?;
            copied.insert(t.name.clone(), n);
        }
        for t in &tables {
            sqlx::query(&format!("ALTER TABLE {} ENABLE TRIGGER USER", t.name))
                .execute(&mut *tx)
                .await?;
            if t.has_identity {
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{0}', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {0}",
                    t.name
                ))
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(copied)
    }

    /// Rows per table, to compare a copy with its source.
    pub async fn row_counts(&self, tables: impl Iterator<Item = &String>) -> anyhow::Result<Copied> {
        let mut counts = Copied::new();
        for name in tables {
            let n: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {name}"))
                .fetch_one(self.pool())
                .await?
                .try_get("n")?;
            counts.insert(name.clone(), n);
        }
        Ok(counts)
    }
}

/// The target's tables in the order their foreign keys allow, with their columns.
async fn target_tables(target: &Store) -> anyhow::Result<Vec<Table>> {
    let cols = sqlx::query(
        "SELECT c.table_name::text AS t, c.column_name::text AS c, c.data_type::text AS ty, \
         (c.is_identity = 'YES') AS ident FROM information_schema.columns c \
         JOIN information_schema.tables tb ON tb.table_name = c.table_name AND tb.table_schema = c.table_schema \
         WHERE c.table_schema = current_schema() AND tb.table_type = 'BASE TABLE' \
         ORDER BY c.table_name, c.ordinal_position",
    )
    .fetch_all(target.pool())
    .await?;
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    for r in &cols {
        let name: String = r.try_get("t")?;
        if SKIPPED.contains(&name.as_str()) {
            continue;
        }
        let ty: String = r.try_get("ty")?;
        let kind = match ty.as_str() {
            "bigint" | "integer" | "smallint" => Kind::Int,
            "boolean" => Kind::Bool,
            "double precision" | "real" | "numeric" => Kind::Float,
            "bytea" => Kind::Bytes,
            _ => Kind::Text,
        };
        let column: String = r.try_get("c")?;
        let ident: bool = r.try_get("ident")?;
        let t = tables.entry(name.clone()).or_insert_with(|| Table {
            name,
            columns: Vec::new(),
            self_refs: Vec::new(),
            has_identity: false,
        });
        t.has_identity |= ident && column == "id";
        t.columns.push((column, kind));
    }
    let fks = sqlx::query(
        "SELECT cl.relname::text AS t, rf.relname::text AS r, a.attname::text AS c \
         FROM pg_constraint k JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_class rf ON rf.oid = k.confrelid \
         JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey) \
         WHERE k.contype = 'f' AND cl.relnamespace = current_schema()::regnamespace",
    )
    .fetch_all(target.pool())
    .await?;
    let mut needs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in &fks {
        let (t, refd, col): (String, String, String) = (r.try_get("t")?, r.try_get("r")?, r.try_get("c")?);
        if t == refd {
            if let Some(table) = tables.get_mut(&t) {
                table.self_refs.push(col);
            }
        } else {
            needs.entry(t).or_default().insert(refd);
        }
    }
    // Kahn's order: a table after every table it refers to.
    let mut ordered = Vec::new();
    let mut done = BTreeSet::new();
    while !tables.is_empty() {
        let ready: Vec<String> = tables
            .keys()
            .filter(|t| {
                needs
                    .get(*t)
                    .is_none_or(|n| n.iter().all(|r| done.contains(r) || !tables.contains_key(r)))
            })
            .cloned()
            .collect();
        if ready.is_empty() {
            bail!(
                "the target's foreign keys form a cycle: {:?}",
                tables.keys().collect::<Vec<_>>()
            );
        }
        for name in ready {
            if let Some(t) = tables.remove(&name) {
                done.insert(name);
                ordered.push(t);
            }
        }
    }
    Ok(ordered)
}

/// One value of a SQLite row as PostgreSQL's column wants it.
enum Value {
    Int(Option<i64>),
    Bool(Option<bool>),
    Float(Option<f64>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
}

fn read(row: &AnyRow, column: &str, kind: Kind) -> anyhow::Result<Value> {
    let int = || row.try_get::<Option<i64>, _>(column);
    Ok(match kind {
        Kind::Int => Value::Int(int()?),
        Kind::Bool => Value::Bool(match int() {
            Ok(v) => v.map(|i| i != 0),
            Err(_) => row.try_get::<Option<bool>, _>(column)?,
        }),
        // A REAL column may hold a whole number stored as an integer.
        Kind::Float => Value::Float(match row.try_get::<Option<f64>, _>(column) {
            Ok(v) => v,
            Err(_) => int()?.map(|i| i as f64),
        }),
        Kind::Text => Value::Text(row.try_get(column)?),
        Kind::Bytes => Value::Bytes(row.try_get(column)?),
    })
}

async fn copy_table(source: &Store, tx: &mut Transaction<'static, Any>, t: &Table) -> anyhow::Result<i64> {
    let names: Vec<&str> = t.columns.iter().map(|(c, _)| c.as_str()).collect();
    let order = if t.columns.iter().any(|(c, _)| c == "id") {
        " ORDER BY id"
    } else {
        ""
    };
    let rows = sqlx::query(&format!("SELECT {} FROM {}{order}", names.join(", "), t.name))
        .fetch_all(source.pool())
        .await
        .context("reading the source")?;
    let overriding = if t.has_identity {
        " OVERRIDING SYSTEM VALUE"
    } else {
        ""
    };
    for chunk in rows.chunks(BATCH) {
        let mut sql = format!(
            "INSERT INTO {} ({}){overriding} VALUES ",
            t.name,
            names.join(", ")
        );
        let mut values = Vec::with_capacity(chunk.len() * names.len());
        for (i, row) in chunk.iter().enumerate() {
            let marks: Vec<String> = (0..names.len())
                .map(|j| format!("${}", i * names.len() + j + 1))
                .collect();
            sql.push_str(&format!(
                "{}({})",
                if i > 0 { ", " } else { "" },
                marks.join(", ")
            ));
            for (column, kind) in &t.columns {
                // A reference into the same table is set once every row is in.
                let value = match t.self_refs.contains(column) {
                    true => Value::Int(None),
                    false => read(row, column, *kind)?,
                };
                values.push(value);
            }
        }
        let mut query = sqlx::query(&sql);
        for v in values {
            query = match v {
                Value::Int(v) => query.bind(v),
                Value::Bool(v) => query.bind(v),
                Value::Float(v) => query.bind(v),
                Value::Text(v) => query.bind(v),
                Value::Bytes(v) => query.bind(v),
            };
        }
        query.execute(&mut **tx).await?;
    }
    for column in &t.self_refs {
        for row in &rows {
            let (Ok(id), Ok(Some(to))) = (
                row.try_get::<i64, _>("id"),
                row.try_get::<Option<i64>, _>(column.as_str()),
            ) else {
                continue;
            };
            sqlx::query(&format!("UPDATE {} SET {column} = $1 WHERE id = $2", t.name))
                .bind(to)
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(rows.len() as i64)
}
