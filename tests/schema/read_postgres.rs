//! The schema of a PostgreSQL database: `information_schema.columns` and the catalogs (every
//! value cast to text or bool, which sqlx's `Any` driver reads).

use std::collections::BTreeSet;

use sqlx::{AnyPool, Row};

use crate::model::{quoted, Column, Family, ForeignKey, Schema};

/// The column names of an attribute-number array, in its order, joined by commas ('' for none).
fn names(array: &str, relation: &str) -> String {
    format!(
        "COALESCE((SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) \
         FROM unnest({array}) WITH ORDINALITY AS k(n, ord) \
         JOIN pg_attribute a ON a.attrelid = {relation} AND a.attnum = k.n), '')"
    )
}

fn list(joined: String) -> Vec<String> {
    joined.split(',').map(str::to_string).collect()
}

pub async fn read(pool: &AnyPool) -> Schema {
    let mut schema = Schema::new();
    let cols = sqlx::query(
        "SELECT table_name::text AS t, column_name::text AS c, data_type::text AS ty, \
         (is_nullable = 'NO') AS nn FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations' \
         ORDER BY table_name, ordinal_position",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for c in cols {
        let family = match c.get::<String, _>("ty").as_str() {
            "bigint" | "integer" | "smallint" => Family::Integer,
            "double precision" | "real" | "numeric" => Family::Real,
            "text" | "character varying" | "character" => Family::Text,
            "bytea" => Family::Bytes,
            "boolean" => Family::Boolean,
            other => Family::Other(other.to_string()),
        };
        let column = Column {
            family,
            not_null: c.get("nn"),
        };
        let table = schema.entry(c.get("t")).or_default();
        table.columns.insert(c.get("c"), column);
    }

    let sql = format!(
        "SELECT t.relname::text AS t, i.relname::text AS i, ix.indisunique AS u, \
         ix.indisprimary AS p, (ix.indpred IS NOT NULL) AS partial, {} AS cols \
         FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid \
         JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace \
         WHERE ns.nspname = 'public' AND t.relname <> '_sqlx_migrations'",
        names("ix.indkey::int2[]", "t.oid")
    );
    for r in sqlx::query(&sql).fetch_all(pool).await.unwrap() {
        let Some(table) = schema.get_mut(&r.get::<String, _>("t")) else {
            continue;
        };
        let cols = list(r.get("cols"));
        if r.get("p") {
            table.primary_key = cols;
        } else if r.get("u") {
            table.uniques.insert(cols);
        } else {
            table.indexes.insert(r.get("i"), (cols, r.get("partial")));
        }
    }

    let sql = format!(
        "SELECT c.conrelid::regclass::text AS t, c.contype::text AS kind, {} AS cols, \
         c.confrelid::regclass::text AS ref, {} AS ref_cols, c.confdeltype::text AS on_delete, \
         pg_get_constraintdef(c.oid) AS def \
         FROM pg_constraint c JOIN pg_namespace ns ON ns.oid = c.connamespace \
         WHERE ns.nspname = 'public' AND c.contype IN ('f', 'c') AND c.conrelid <> 0",
        names("c.conkey", "c.conrelid"),
        names("c.confkey", "c.confrelid")
    );
    for r in sqlx::query(&sql).fetch_all(pool).await.unwrap() {
        let Some(table) = schema.get_mut(&r.get::<String, _>("t")) else {
            continue;
        };
        let cols: String = r.get("cols");
        if r.get::<String, _>("kind") == "c" {
            // `CHECK ((col = ANY (ARRAY['a'::text, ...])))`: the quoted values.
            let values: BTreeSet<String> = quoted(&r.get::<String, _>("def"));
            table.checks.insert(cols, values);
            continue;
        }
        let on_delete = match r.get::<String, _>("on_delete").as_str() {
            "a" => "NO ACTION",
            "r" => "RESTRICT",
            "c" => "CASCADE",
            "n" => "SET NULL",
            "d" => "SET DEFAULT",
            other => panic!("unknown confdeltype {other}"),
        };
        table.foreign_keys.push(ForeignKey {
            columns: list(cols),
            references: r.get("ref"),
            ref_columns: list(r.get("ref_cols")),
            on_delete: on_delete.to_string(),
        });
    }
    schema
}
