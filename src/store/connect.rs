//! Connecting: a SQLite file (created private to its owner) or a PostgreSQL pool.

use std::time::Duration;

use anyhow::Context;
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;

use super::{files, Backend};

pub(super) async fn connect(url: &str, max_connections: u32) -> anyhow::Result<(AnyPool, Backend)> {
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
        // synchronous = NORMAL: a commit is safe from a crash of the process at once, and from
        // a power loss once `Store::durable` returns (one fsync shared by every caller) or
        // within 100 ms (`durable`'s background sync). secure_delete: deleted and overwritten
        // content is zeroed, not left in free space.
        Backend::Sqlite => {
            files::create_private(url)?;
            options
                .max_connections(1)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        use sqlx::Executor;
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                             PRAGMA secure_delete = ON;",
                        )
                        .await?;
                        Ok(())
                    })
                })
                .connect(&sqlite_url(url))
                .await
                .with_context(|| format!("opening SQLite database {url}"))?
        }
        Backend::Postgres => options
            .max_connections(max_connections.max(2))
            .connect(url)
            .await
            .context("connecting to PostgreSQL (database.url)")?,
    };
    Ok((pool, backend))
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
}
