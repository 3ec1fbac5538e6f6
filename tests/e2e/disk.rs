//! Looking at a database the way someone who copied it would: every file of a SQLite database
//! byte by byte, or every row of every PostgreSQL table as text.

use std::path::{Path, PathBuf};

use sqlx::Row;

use crate::helpers::TestApp;

/// The SQLite database file of a running app (None on PostgreSQL).
pub fn sqlite_file(app: &TestApp) -> Option<PathBuf> {
    let url = &app.core().settings.database.url;
    let path = url.strip_prefix("sqlite://")?;
    Some(PathBuf::from(path.split('?').next().unwrap_or(path)))
}

/// Every file beside the database (the database, its -wal and -shm, the rest), by name.
pub fn files_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read the database's directory") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            // The file may go (a WAL at close) between listing and reading: then it holds nothing.
            files.push((name, std::fs::read(&path).unwrap_or_default()));
        }
    }
    files
}

/// Which of `needles` occur in which file: `needle (label) in file`.
pub fn found_in_files(files: &[(String, Vec<u8>)], needles: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut found = Vec::new();
    for (label, needle) in needles {
        for (name, bytes) in files {
            if !needle.is_empty() && bytes.windows(needle.len()).any(|w| w == needle.as_slice()) {
                found.push(format!("{label} in {name}"));
            }
        }
    }
    found
}

/// Every row of every table in the app's PostgreSQL database, as PostgreSQL prints it.
pub async fn pg_rows_as_text(app: &TestApp) -> Vec<(String, String)> {
    pg_rows_as_text_at(&app.core().settings.database.url).await
}

/// Every row of every table in the PostgreSQL database at `url`, as PostgreSQL prints it.
pub async fn pg_rows_as_text_at(url: &str) -> Vec<(String, String)> {
    let pool = sqlx::PgPool::connect(url).await.expect("PostgreSQL");
    let tables = sqlx::query(
        "SELECT CAST(table_name AS TEXT) AS t FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    )
    .fetch_all(&pool)
    .await
    .expect("list tables");
    let mut rows = Vec::new();
    for t in tables {
        let table: String = t.try_get("t").expect("name");
        let sql = format!("SELECT CAST(x AS TEXT) AS r FROM {table} x");
        for r in sqlx::query(&sql).fetch_all(&pool).await.expect("read table") {
            rows.push((table.clone(), r.try_get::<String, _>("r").expect("row text")));
        }
    }
    pool.close().await;
    rows
}

/// Which of `needles` occur in which table's rows.
pub fn found_in_rows(rows: &[(String, String)], needles: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut found = Vec::new();
    for (label, needle) in needles {
        let Ok(needle) = std::str::from_utf8(needle) else {
            continue;
        };
        for (table, row) in rows {
            if row.contains(needle) {
                found.push(format!("{label} in {table}: {row}"));
            }
        }
    }
    found
}

/// A labelled text needle.
pub fn text(label: &str, value: &str) -> (String, Vec<u8>) {
    (format!("{label} {value:?}"), value.as_bytes().to_vec())
}
