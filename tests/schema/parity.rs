//! Both migration folders make the same schema. Compared: tables; columns with their type
//! family and nullability; primary keys; unique constraints and indexes (by columns); other
//! indexes (by name, columns, partial or not); foreign keys; allowed values of each column.
//!
//! Differences allowed, and why:
//! - types compare by family (INTEGER/BIGINT, REAL/DOUBLE PRECISION, BLOB/BYTEA); the columns
//!   in `model::BOOLEANS` are BOOLEAN on PostgreSQL and INTEGER 0/1 on SQLite;
//! - a primary key column counts as NOT NULL on SQLite (see `read_sqlite`);
//! - allowed values are a CHECK on PostgreSQL and a CHECK or a pair of refusing triggers on
//!   SQLite (which cannot add a CHECK to an existing table);
//! - not compared: names of unique indexes, partial indexes' predicates, defaults (0 / FALSE,
//!   X'' / ''::bytea), other triggers and functions (PostgreSQL's NOTIFY triggers have no
//!   SQLite counterpart; both keep incident_history by trigger), SQLite's sqlite_sequence.

use std::collections::BTreeSet;

use crate::backends::{with_stores, Backend};
use crate::model::{diff, Column, Family, Schema, Table, BOOLEANS};
use crate::vocabulary::VOCABULARY;
use crate::{read_postgres, read_sqlite};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_migration_folders_make_the_same_schema() {
    with_stores(&[Backend::Sqlite, Backend::Postgres], |stores| async move {
        let sqlite = read_sqlite::read(stores[0].pool()).await;
        let pg = read_postgres::read(stores[1].pool()).await;
        assert!(
            sqlite.len() > 20 && sqlite.contains_key("incidents"),
            "{sqlite:#?}"
        );

        let differences = diff(&sqlite, &pg);
        assert!(
            differences.is_empty(),
            "migrations/sqlite and migrations/postgres differ:\n  {}",
            differences.join("\n  ")
        );

        // Every boolean listed is one (a stale entry would hide nothing, but mislead).
        for (table, column) in BOOLEANS {
            let family = sqlite
                .get(*table)
                .and_then(|t| t.columns.get(*column))
                .map(|c| &c.family);
            assert_eq!(
                family,
                Some(&Family::Boolean),
                "{table}.{column} in model::BOOLEANS"
            );
        }

        // The allowed values are the code's, on both (equal above).
        let mut wrong = Vec::new();
        for (table, column, names) in VOCABULARY {
            let want: BTreeSet<String> = names.iter().map(|n| n.to_string()).collect();
            let have = sqlite.get(*table).and_then(|t| t.checks.get(*column));
            if have != Some(&want) {
                wrong.push(format!(
                    "{table}.{column}: the database allows {have:?}, the code writes {want:?}"
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    })
    .await;
}

/// The failure names the table and the column, and says which side has what.
#[test]
fn a_difference_reads_as_table_column_and_sides() {
    let table = |status: &[&str], not_null| {
        let mut t = Table::default();
        let column = Column {
            family: Family::Text,
            not_null,
        };
        t.columns.insert("status".into(), column);
        t.checks
            .insert("status".into(), status.iter().map(|s| s.to_string()).collect());
        Schema::from([("incidents".to_string(), t)])
    };
    let lines = diff(&table(&["open", "closed"], true), &table(&["open"], false));
    assert_eq!(
        lines,
        vec![
            "incidents.status: NOT NULL on SQLite, nullable on PostgreSQL".to_string(),
            "incidents.status: allowed values differ: 'closed' only on SQLite;".to_string(),
        ]
    );
    let mut extra = table(&["open"], true);
    extra.get_mut("incidents").unwrap().columns.insert(
        "zone".into(),
        Column {
            family: Family::Integer,
            not_null: false,
        },
    );
    assert_eq!(
        diff(&extra, &table(&["open"], true)),
        vec!["incidents.zone: a column on SQLite only".to_string()]
    );
}
