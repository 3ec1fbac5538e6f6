//! How commands open the database: `serve` and `migrate` may create it; every other command
//! refuses a database that does not exist yet, saying which one it looked for and how to
//! point at the right one. Each says on stderr which database it opened (never a password).

use anyhow::bail;

use crate::app::Core;
use crate::config::Settings;
use crate::state::Shared;
use crate::store::existing::{self, Found};

/// Opens the database, creating and migrating it when it is new (`serve`, `migrate`).
pub async fn creating(settings: Settings) -> anyhow::Result<Shared> {
    let shown = existing::shown(&settings.database.url);
    let core = Core::open(settings).await?;
    eprintln!("tocsin: database {shown}");
    Ok(core)
}

/// Opens a database tocsin has made already, with its key; refuses to make a new one.
pub async fn existing(settings: Settings) -> anyhow::Result<Shared> {
    there(&settings).await?;
    let shown = existing::shown(&settings.database.url);
    let core = Core::open(settings).await?;
    eprintln!("tocsin: database {shown}");
    Ok(core)
}

/// Fails, saying what it looked for and how to point at the right one, unless the database is
/// tocsin's and its key file is there.
pub async fn there(settings: &Settings) -> anyhow::Result<()> {
    let url = &settings.database.url;
    let shown = existing::shown(url);
    let key = match &settings.crypto.key {
        Some(_) => "crypto.key (set)".to_string(),
        None => absolute(&settings.crypto.key_file),
    };
    let what = match existing::look(url).await {
        Found::Migrated => None,
        Found::NoFile(path) => Some(format!(
            "no database file at {}",
            absolute(&path.display().to_string())
        )),
        Found::NotTocsin(why) => Some(format!("{shown} is not a tocsin database ({why})")),
    };
    let key_missing =
        settings.crypto.key.is_none() && !std::path::Path::new(&settings.crypto.key_file).exists();
    let what = what.or_else(|| key_missing.then(|| format!("no key file at {key}")));
    if let Some(what) = what {
        bail!(
            "{what}.\n  database: {shown}\n  key: {key}\nThis command does not create a database or a key. Point it at yours: run it in the \
             folder that holds them, or pass --data-dir DIR (or set TOCSIN_DATA_DIR), --config FILE, or \
             TOCSIN_DATABASE__URL and TOCSIN_CRYPTO__KEY_FILE. To start a new one, run `tocsin migrate` (or `tocsin serve`)."
        );
    }
    Ok(())
}

/// A path as the operator can find it: absolute when the folder resolves.
fn absolute(path: &str) -> String {
    let p = std::path::Path::new(path);
    if p.is_absolute() {
        return path.to_string();
    }
    match std::env::current_dir() {
        Ok(dir) => dir.join(p).display().to_string(),
        Err(_) => path.to_string(),
    }
}
