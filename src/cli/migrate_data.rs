//! `tocsin migrate-data --to postgres://...`: moves the SQLite database into an empty
//! PostgreSQL database, everything or nothing (`store::transfer`), then counts every table on
//! both sides. Stop tocsin first: what it writes to SQLite afterwards would not be moved.

use anyhow::{bail, Context};

use crate::config::{Database, Settings};
use crate::store::existing::shown;
use crate::store::Store;

pub async fn run(settings: Settings, to: &str) -> anyhow::Result<()> {
    if !settings.database.url.starts_with("sqlite:") {
        bail!(
            "database.url is {}: migrate-data moves a SQLite database into PostgreSQL",
            shown(&settings.database.url)
        );
    }
    if !to.starts_with("postgres://") && !to.starts_with("postgresql://") {
        bail!("--to: must be a postgres:// URL");
    }
    let crypto = settings.crypto.clone();
    let max_connections = settings.database.max_connections;
    let source = crate::cli::open::existing(settings).await?;
    let target_db = Database {
        url: to.to_string(),
        max_connections,
    };
    // Migrated, and given the same key (a target that has one already must have this one).
    let target = Store::open(&target_db, &crypto)
        .await
        .with_context(|| format!("opening {}", shown(to)))?;
    let copied = source
        .store
        .copy_into(&target)
        .await
        .with_context(|| format!("moving the data into {} (nothing was written there)", shown(to)))?;
    let there = target.row_counts(copied.keys()).await?;
    let here = source.store.row_counts(copied.keys()).await?;
    let mut total = 0;
    for (table, n) in &copied {
        let (src, dst) = (
            here.get(table).copied().unwrap_or(-1),
            there.get(table).copied().unwrap_or(-1),
        );
        if src != dst || *n != src {
            bail!("{table}: {src} rows in SQLite but {dst} in PostgreSQL after the copy; do not switch over");
        }
        total += n;
    }
    println!("moved {total} rows in {} tables into {}", copied.len(), shown(to));
    for (table, n) in copied.iter().filter(|(_, n)| **n > 0) {
        println!("  {table:<28} {n}");
    }
    println!(
        "next: set database.url (TOCSIN_DATABASE__URL) to the PostgreSQL URL, keep the same key, start tocsin; \
         the SQLite file is left as it was: keep it until you are satisfied, then delete it"
    );
    target.close().await;
    Ok(())
}
