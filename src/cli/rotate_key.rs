//! `tocsin rotate-key --new-key-file FILE`: everything sealed again under a new data key, every
//! lookup hashed again, in one transaction (`store::rotate`). Refused while any other tocsin
//! process has the database open. The configured key file is not touched: the operator points
//! tocsin at the new one, and destroys the old key when sure (docs/operations.md).

use std::path::Path;

use anyhow::{bail, Context};

use crate::config::Settings;
use crate::crypto::Vault;
use crate::store::existing::shown;
use crate::store::Store;

pub async fn run(settings: Settings, new_key_file: &Path) -> anyhow::Result<()> {
    crate::cli::open::there(&settings).await?;
    let given = if new_key_file.exists() {
        Some(Vault::from_file(new_key_file, "--new-key-file")?)
    } else {
        None
    };
    let store = Store::open_alone(&settings.database, &settings.crypto).await?;
    eprintln!("tocsin: database {}", shown(&settings.database.url));
    let current = store.vault().check_value();
    let (new, made) = match given {
        Some(vault) => (vault, false),
        None => (
            Vault::generate(new_key_file)
                .with_context(|| format!("making the new key {}", new_key_file.display()))?,
            true,
        ),
    };
    if new.check_value() == current {
        bail!(
            "{} holds the key in use already: give the path of a new file (it is made when missing)",
            new_key_file.display()
        );
    }
    let done = match store.rotate_key(&new).await {
        Ok(done) => done,
        Err(e) => {
            // Rolled back: a key made for it holds nothing and must not be mistaken for the key.
            if made && store.key_check().await.ok().flatten().as_deref() == Some(current.as_str()) {
                let _ = std::fs::remove_file(new_key_file);
            }
            return Err(
                e.context("rotating the data key; the database is as it was, still under the old key")
            );
        }
    };
    let file = new_key_file.display();
    println!(
        "re-sealed {} under the new key in {file} ({})",
        shown(&settings.database.url),
        if made { "made now" } else { "read from the file" }
    );
    println!(
        "  {} values sealed again, {} lookups hashed again",
        done.sealed, done.hashed
    );
    if done.conversations_ended > 0 {
        println!(
            "  {} JOIN conversations in progress ended: those people start again by texting JOIN",
            done.conversations_ended
        );
    }
    if done.followups_ended > 0 {
        println!(
            "  {} questions to reporters forgotten (their numbers were erased)",
            done.followups_ended
        );
    }
    if done.blocks_lifted > 0 {
        println!(
            "  {} blocks lifted: their numbers were erased before blocks kept them; block again if they return",
            done.blocks_lifted
        );
    }
    if done.unreadable > 0 {
        println!(
            "  {} values did not open with the old key either and were kept as they were (still unreadable)",
            done.unreadable
        );
    }
    if !done.vacuumed {
        println!("  the files were not vacuumed (see the log): run VACUUM (SQLite) or VACUUM FULL (PostgreSQL) so no old copy stays");
    }
    let point = match settings.crypto.key {
        Some(_) => format!("set crypto.key (TOCSIN_CRYPTO__KEY) to the contents of {file}"),
        None => format!(
            "point crypto.key_file (TOCSIN_CRYPTO__KEY_FILE) at {file}, or move it over {}",
            settings.crypto.key_file
        ),
    };
    println!("next:");
    println!("  1. {point}; tocsin now refuses the old key");
    println!("  2. back up {file} apart from the database, as the old key was");
    println!(
        "  3. take a new backup of the database: older backups open only with the old key; destroy them and the old key together when sure"
    );
    Ok(())
}
