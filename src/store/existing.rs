//! Whether a database is already tocsin's, for the commands that must not create one (every
//! command but `serve`, `migrate` and `demo`): run from the wrong folder, they would otherwise
//! make a new, empty database and key there and put a new account in it.

use std::path::PathBuf;

use sqlx::Connection;

pub(crate) use super::files::sqlite_path;

/// What is at a database URL.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    /// A database tocsin has migrated.
    Migrated,
    /// No SQLite file at this path.
    NoFile(PathBuf),
    /// A database, but not one tocsin made (no migrations recorded), or unreachable.
    NotTocsin(String),
}

/// Looks without creating anything: SQLite is opened read-only, and only if the file exists.
pub async fn look(url: &str) -> Found {
    sqlx::any::install_default_drivers();
    let url = match sqlite_path(url) {
        Some(path) if !path.exists() => return Found::NoFile(path),
        Some(path) => format!("sqlite://{}?mode=ro", path.display()),
        None => url.to_string(),
    };
    let mut conn = match sqlx::AnyConnection::connect(&url).await {
        Ok(conn) => conn,
        Err(e) => return Found::NotTocsin(format!("cannot connect: {e}")),
    };
    let migrated = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(&mut conn)
        .await;
    let _ = conn.close().await;
    match migrated {
        Ok(n) if n > 0 => Found::Migrated,
        _ => Found::NotTocsin("it holds no tocsin tables".into()),
    }
}

/// A migrated database, read without changing it (`tocsin check`).
#[derive(Debug)]
pub struct Survey {
    /// Migrations this binary has that the database has not applied yet.
    pub pending: usize,
    /// Migrations the database has applied that this binary does not know (a newer tocsin).
    pub unknown: usize,
    /// How many it has applied.
    pub applied: usize,
    /// `meta.key_check`: what the data key must check to (None before the first start).
    pub key_check: Option<String>,
}

/// Reads what `look` found `Migrated`: its migrations against this binary's, and its key check.
pub async fn survey(url: &str) -> Result<Survey, String> {
    use sqlx::Row;
    sqlx::any::install_default_drivers();
    let (url, migrator) = match sqlite_path(url) {
        Some(path) => (
            format!("sqlite://{}?mode=ro", path.display()),
            &super::SQLITE_MIGRATIONS,
        ),
        None if url.starts_with("sqlite:") => (url.to_string(), &super::SQLITE_MIGRATIONS),
        None => (url.to_string(), &super::POSTGRES_MIGRATIONS),
    };
    let mut conn = sqlx::AnyConnection::connect(&url)
        .await
        .map_err(|e| format!("cannot connect: {e}"))?;
    let read = async {
        let applied: Vec<i64> = sqlx::query("SELECT version FROM _sqlx_migrations")
            .fetch_all(&mut conn)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>("version"))
            .collect::<Result<_, _>>()?;
        let key_check: Option<String> = sqlx::query("SELECT value FROM meta WHERE name = 'key_check'")
            .fetch_optional(&mut conn)
            .await?
            .map(|r| r.try_get("value"))
            .transpose()?;
        Ok::<_, sqlx::Error>((applied, key_check))
    };
    let result = read.await;
    let _ = conn.close().await;
    let (applied, key_check) = result.map_err(|e| format!("cannot read it: {e}"))?;
    let known: Vec<i64> = migrator.iter().map(|m| m.version).collect();
    Ok(Survey {
        pending: known.iter().filter(|v| !applied.contains(v)).count(),
        unknown: applied.iter().filter(|v| !known.contains(v)).count(),
        applied: applied.len(),
        key_check,
    })
}

/// The URL as it may be shown: a PostgreSQL password replaced by `***`.
pub fn shown(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_missing_file_is_not_created() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("tocsin.db");
        let url = format!("sqlite://{}", path.display());
        assert_eq!(look(&url).await, Found::NoFile(path.clone()));
        assert!(!path.exists(), "looking created nothing");
    }

    #[tokio::test]
    async fn an_empty_file_is_not_tocsins() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("other.db");
        std::fs::write(&path, b"").expect("empty file");
        let url = format!("sqlite://{}", path.display());
        assert!(matches!(look(&url).await, Found::NotTocsin(_)));
    }

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            shown("postgres://tocsin:s3cret@db.internal:5432/tocsin"),
            "postgres://tocsin:***@db.internal:5432/tocsin"
        );
        assert_eq!(shown("sqlite://tocsin.db"), "sqlite://tocsin.db");
    }
}
