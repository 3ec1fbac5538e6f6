//! Storage on SQLite (default) or PostgreSQL through sqlx's `Any` driver: one set of queries
//! (`$1` placeholders work on both), one migrations folder per backend. The few differences
//! between the two live in this module only.

use std::time::Duration;

use anyhow::Context;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

pub mod accounts;
pub mod alerts;
pub mod audit;
pub mod board;
pub mod checks;
pub mod bodies;
pub mod conversations;
pub mod escalation;
pub mod guard;
pub mod inbound;
pub mod incidents;
pub mod lifecycle;
pub mod merge;
pub mod meta;
pub mod notify;
pub mod outbox;
pub mod pace;
pub mod receipts;
pub mod reports;
pub mod tokens;
pub mod vetting;
pub mod volunteers;
pub mod zones;

pub use sqlx::AnyConnection as Conn;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} already exists")]
    Conflict(&'static str),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// For connections outside the pool (PostgreSQL's LISTEN).
    url: String,
}

impl Store {
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        let options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
        let pool = match backend {
            // SQLite has one writer; one connection avoids "database is locked" under load and
            // keeps every transaction serialised. WAL keeps readers of the file off the writer.
            Backend::Sqlite => options
                .max_connections(1)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        use sqlx::Executor;
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                        )
                        .await?;
                        Ok(())
                    })
                })
                .connect(&sqlite_url(url))
                .await
                .with_context(|| format!("opening SQLite database {url}"))?,
            Backend::Postgres => options
                .max_connections(max_connections.max(2))
                .connect(url)
                .await
                .context("connecting to PostgreSQL (database.url)")?,
        };
        Ok(Store {
            pool,
            backend,
            url: url.to_string(),
        })
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await.context("applying migrations")?;
        Ok(())
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(self.pool.begin().await?)
    }

    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// `sqlite://file.db` creates the file when missing (mode=rwc) unless the URL says otherwise.
fn sqlite_url(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// Milliseconds since the Unix epoch: the one time format in the database.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Placeholders for a point that may be absent: `$n, $n+1` (bind lat then lon), or `NULL, NULL`
/// (bind nothing). sqlx 0.8's `Any` driver sends a NULL `f64` to PostgreSQL as a `float4`; the
/// statement is then cached with that type and a later real `f64` fails ("incorrect binary data
/// format"). A different statement text for the absent case avoids it.
pub(crate) fn point_sql(point: Option<(f64, f64)>, after: usize) -> (String, String) {
    match point {
        Some(_) => (format!("${}", after + 1), format!("${}", after + 2)),
        None => ("NULL".into(), "NULL".into()),
    }
}

/// A boolean column: BOOLEAN on PostgreSQL, 0/1 on SQLite.
pub(crate) fn flag(row: &AnyRow, column: &str) -> Result<bool> {
    match row.try_get::<bool, _>(column) {
        Ok(b) => Ok(b),
        Err(_) => Ok(row.try_get::<i64, _>(column)? != 0),
    }
}

/// `$1, $2, ...` starting after `offset` placeholders, for `IN (...)` lists.
pub(crate) fn placeholders(offset: usize, n: usize) -> String {
    (1..=n)
        .map(|i| format!("${}", offset + i))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_create_the_file_unless_told_otherwise() {
        assert_eq!(sqlite_url("sqlite://t.db"), "sqlite://t.db?mode=rwc");
        assert_eq!(
            sqlite_url("sqlite://t.db?cache=shared"),
            "sqlite://t.db?cache=shared&mode=rwc"
        );
        assert_eq!(sqlite_url("sqlite://t.db?mode=ro"), "sqlite://t.db?mode=ro");
    }

    #[test]
    fn placeholders_continue_numbering() {
        assert_eq!(placeholders(2, 3), "$3, $4, $5");
    }
}
