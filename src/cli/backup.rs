//! `tocsin backup FILE`: a consistent copy of the SQLite database while tocsin runs, readable by
//! its owner only. The key is never in it: it is backed up apart (see docs/operations.md). On
//! PostgreSQL nothing is copied: the command prints the pg_dump to run, and fails so that no
//! script takes it for a backup.

use std::path::Path;

use anyhow::{bail, Context};

use crate::config::Settings;
use crate::store::existing::shown;
use crate::store::Backend;

pub async fn run(settings: Settings, file: &Path) -> anyhow::Result<()> {
    let key = match &settings.crypto.key {
        Some(_) => "crypto.key (from your secret store)".to_string(),
        None => settings.crypto.key_file.clone(),
    };
    let url = settings.database.url.clone();
    if !url.starts_with("sqlite:") {
        bail!(
            "{} is PostgreSQL: tocsin copies only SQLite. Back it up with pg_dump, e.g.\n  \
             pg_dump --format=custom --file {} '{}'\n(with the password in PGPASSWORD or ~/.pgpass), \
             and back up the key ({key}) apart from it.",
            shown(&url),
            file.display(),
            shown(&url).replace(":***@", "@"),
        );
    }
    if file.exists() {
        bail!(
            "{} exists already: give a new file name (a backup never overwrites)",
            file.display()
        );
    }
    let core = crate::cli::open::existing(settings).await?;
    debug_assert_eq!(core.store.backend(), Backend::Sqlite);
    core.store
        .backup_sqlite(file)
        .await
        .with_context(|| format!("copying the database to {}", file.display()))?;
    private(file)?;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    println!("backed up {} to {} ({size} bytes)", shown(&url), file.display());
    println!("the key is not in it: back up {key} separately, kept apart from the database's backups");
    Ok(())
}

/// The copy holds sealed data and keyed hashes: readable by its owner only, like the database.
fn private(file: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("making {} private", file.display()))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}
