//! The SQLite file on disk: created private to its owner (SQLite gives its -wal and -shm the
//! same mode), and a warning when the key file sits on the same volume, where every copy and
//! backup of the disk takes both.

use anyhow::Context;

use crate::config::Crypto;

/// The file of a `sqlite:` URL; None for an in-memory database.
pub(crate) fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" || url.contains("mode=memory") {
        return None;
    }
    Some(std::path::PathBuf::from(path))
}

/// Creates a missing SQLite file readable by its owner only (0600) before SQLite opens it;
/// SQLite gives its -wal and -shm files the database file's mode.
pub(super) fn create_private(url: &str) -> anyhow::Result<()> {
    let Some(path) = sqlite_path(url) else {
        return Ok(());
    };
    if path.exists() {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if let Ok(meta) = std::fs::metadata(&path) {
                if meta.permissions().mode() & 0o077 != 0 {
                    tracing::warn!(path = %path.display(), "the database file is readable by others than its owner: chmod 600 it (and its -wal and -shm files)");
                }
            }
        }
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut file = std::fs::OpenOptions::new();
    file.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        file.mode(0o600);
    }
    match file.open(&path) {
        Ok(_) => Ok(()),
        // Created meanwhile by another process: theirs to have made private.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e).with_context(|| format!("creating database file {}", path.display())),
    }
}

/// The key file beside the database (same filesystem) goes into the same copies and backups:
/// whoever takes the disk takes both. Said at every start until it is moved.
pub(super) fn warn_if_key_beside(url: &str, crypto: &Crypto) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if crypto.key.is_some() {
            return;
        }
        let Some(db) = sqlite_path(url) else {
            return;
        };
        let dev = |p: &std::path::Path| std::fs::metadata(p).ok().map(|m| m.dev());
        let key = std::path::Path::new(&crypto.key_file);
        if dev(&db).is_some() && dev(&db) == dev(key) {
            tracing::warn!(
                key_file = %crypto.key_file,
                "the key file is on the same volume as the database: anyone who copies the disk or its backups can read every name, number and home area. Move it (crypto.key_file) to another volume kept out of the database's backups, or pass crypto.key from a secret store"
            );
        }
    }
    #[cfg(not(unix))]
    let _ = (url, crypto);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_of_a_sqlite_url() {
        assert_eq!(sqlite_path("sqlite://t.db"), Some("t.db".into()));
        assert_eq!(
            sqlite_path("sqlite:///var/lib/tocsin/t.db?mode=rwc"),
            Some("/var/lib/tocsin/t.db".into())
        );
        assert_eq!(sqlite_path("sqlite:t.db"), Some("t.db".into()));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x/y"), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_new_database_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("t.db");
        create_private(&format!("sqlite://{}", path.display())).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
