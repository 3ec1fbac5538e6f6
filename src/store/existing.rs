//! Whether a database is already tocsin's, for the commands that must not create one (every
//! command but `serve`, `migrate` and `demo`): run from the wrong folder, they would otherwise
//! make a new, empty database and key there and put a new account in it.

use std::path::PathBuf;

use sqlx::Connection;

use super::files::sqlite_path;

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
