//! Opening a database: the migrations, the data key checked against what it encrypted, and the
//! one-time sealing of what older versions stored in clear.
//!
//! Sealing needs the key, which needs the database: so the migrations run up to
//! `SEALED_COLUMNS` (which adds the sealed columns), then the values are moved into them in one
//! transaction recorded in `meta` (so it happens once, also with several instances starting
//! together), then the remaining migrations drop the plaintext columns, and the files are
//! vacuumed so that the old pages go with them.

use std::borrow::Cow;

use anyhow::{bail, Context};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor, Row};

use super::inbound::signal_message_id;
use super::Backend;
use crate::config::Crypto;
use crate::crypto::{Field, Vault};

/// The migration that adds the sealed columns; the next one drops the plaintext ones.
const SEALED_COLUMNS: i64 = 10;
pub(super) const KEY_CHECK: &str = "key_check";
/// Set once every value is sealed bound to its row.
const SEALED: &str = "sealed_at_rest";
/// Rows read at a time while sealing a large table.
const BATCH: i64 = 500;

/// Migrates, checks the key, seals older plaintext; returns the checked key.
pub(super) async fn open(
    pool: &AnyPool,
    backend: Backend,
    migrator: &Migrator,
    crypto: &Crypto,
) -> anyhow::Result<Vault> {
    let first = Migrator {
        migrations: Cow::Owned(
            migrator
                .iter()
                .filter(|m| m.version <= SEALED_COLUMNS)
                .cloned()
                .collect(),
        ),
        // A database already past 0010 has migrations this partial list does not know.
        ignore_missing: true,
        locking: migrator.locking,
        no_tx: migrator.no_tx,
    };
    first.run(pool).await.context("applying migrations")?;
    let vault = check_key(pool, crypto).await?;
    let sealed = seal_plaintext(pool, backend, &vault)
        .await
        .context("sealing names, home areas and report texts stored in clear by an older version")?;
    migrator.run(pool).await.context("applying migrations")?;
    if sealed > 0 {
        tracing::warn!(
            rows = sealed,
            "sealed what an older version stored in clear; vacuuming the old copies away"
        );
        vacuum(
            pool,
            backend,
            &["volunteers", "reports", "conversations", "inbound_messages"],
        )
        .await
        .context("vacuuming after sealing")?;
    }
    Ok(vault)
}

/// The data key, checked against the database it encrypts: a wrong or a new key on a database
/// that already holds encrypted data would make every number unreadable.
async fn check_key(pool: &AnyPool, crypto: &Crypto) -> anyhow::Result<Vault> {
    let stored = meta(pool, KEY_CHECK).await?;
    let vault = Vault::load(crypto, stored.is_none())?;
    let check = vault.check_value();
    let stored = match stored {
        Some(stored) => stored,
        None => {
            sqlx::query("INSERT INTO meta (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(KEY_CHECK)
                .bind(&check)
                .execute(pool)
                .await?;
            meta(pool, KEY_CHECK).await?.unwrap_or_default()
        }
    };
    if stored != check {
        bail!(
            "crypto.key (or the key file {}) is not the key this database was encrypted with; \
             refusing to start rather than lose every stored number (after `tocsin rotate-key`, point \
             crypto.key_file at the new key)",
            crypto.key_file
        );
    }
    Ok(vault)
}

async fn meta(pool: &AnyPool, name: &str) -> anyhow::Result<Option<String>> {
    let row = sqlx::query("SELECT value FROM meta WHERE name = $1")
        .bind(name)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| r.try_get("value")).transpose()?)
}

/// Moves every plaintext value into its sealed column (bound to its row) and re-seals numbers
/// and Signal ids sealed before rows were bound; Signal message ids lose their sender. Returns
/// how many rows changed (0 on a new or already sealed database).
async fn seal_plaintext(pool: &AnyPool, backend: Backend, vault: &Vault) -> anyhow::Result<u64> {
    let mut tx = pool.begin().await?;
    if backend == Backend::Postgres {
        // Instances starting together: one seals, the others then find it done.
        tx.execute("SELECT pg_advisory_xact_lock(7310001)").await?;
    }
    let done = sqlx::query("SELECT value FROM meta WHERE name = $1")
        .bind(SEALED)
        .fetch_optional(&mut *tx)
        .await?;
    if done.is_some() {
        return Ok(0);
    }
    let mut changed = 0;

    let rows = sqlx::query("SELECT id, active, name, area, phone_enc, signal_enc FROM volunteers")
        .fetch_all(&mut *tx)
        .await?;
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let active = super::flag(r, "active")?;
        let (name, area): (String, String) = (r.try_get("name")?, r.try_get("area")?);
        let phone: Vec<u8> = r.try_get("phone_enc")?;
        let signal: Option<Vec<u8>> = r.try_get("signal_enc")?;
        let seal_if = |field, plain: &str| {
            if active && !plain.is_empty() {
                vault.seal(field, id, plain)
            } else {
                Vec::new()
            }
        };
        sqlx::query(
            "UPDATE volunteers SET name_enc = $2, area_enc = $3, phone_enc = $4, signal_enc = $5, \
             name = '', area = '' WHERE id = $1",
        )
        .bind(id)
        .bind(seal_if(Field::VolunteerName, &name))
        .bind(seal_if(Field::VolunteerArea, &area))
        .bind(reseal(vault, Field::VolunteerPhone, id, &phone))
        .bind(signal.map(|s| reseal(vault, Field::VolunteerSignal, id, &s)))
        .execute(&mut *tx)
        .await?;
        changed += 1;
    }

    let mut after = 0i64;
    loop {
        let rows =
            sqlx::query("SELECT id, body, reporter_enc FROM reports WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(after)
                .bind(BATCH)
                .fetch_all(&mut *tx)
                .await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get("id")?;
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            let body: String = r.try_get("body")?;
            let reporter: Option<Vec<u8>> = r.try_get("reporter_enc")?;
            sqlx::query("UPDATE reports SET body_enc = $2, reporter_enc = $3, body = '' WHERE id = $1")
                .bind(id)
                .bind(vault.seal(Field::ReportBody, id, &body))
                .bind(reporter.map(|s| reseal(vault, Field::ReportReporter, id, &s)))
                .execute(&mut *tx)
                .await?;
            changed += 1;
        }
    }

    let rows = sqlx::query("SELECT sender_hash, area, area_label FROM conversations")
        .fetch_all(&mut *tx)
        .await?;
    for r in &rows {
        let key: String = r.try_get("sender_hash")?;
        let area: Option<String> = r.try_get("area")?;
        let label: Option<String> = r.try_get("area_label")?;
        sqlx::query(
            "UPDATE conversations SET area_enc = $2, area_label_enc = $3, area = NULL, area_label = NULL \
             WHERE sender_hash = $1",
        )
        .bind(&key)
        .bind(area.map(|a| vault.seal(Field::ConversationArea, &key, &a)))
        .bind(label.map(|l| vault.seal(Field::ConversationAreaLabel, &key, &l)))
        .execute(&mut *tx)
        .await?;
        changed += 1;
    }

    // "{uuid or number}:{timestamp}" -> "{keyed hash}:{timestamp}": still a redelivery's id.
    let rows = sqlx::query("SELECT message_id FROM inbound_messages WHERE provider = 'signal'")
        .fetch_all(&mut *tx)
        .await?;
    for r in &rows {
        let old: String = r.try_get("message_id")?;
        let Some((sender, timestamp)) = old.rsplit_once(':') else {
            continue;
        };
        sqlx::query(
            "UPDATE inbound_messages SET message_id = $2 WHERE provider = 'signal' AND message_id = $1",
        )
        .bind(&old)
        .bind(signal_message_id(vault, sender, timestamp))
        .execute(&mut *tx)
        .await?;
        changed += 1;
    }

    sqlx::query("INSERT INTO meta (name, value) VALUES ($1, 'v2')")
        .bind(SEALED)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(changed)
}

/// A number or Signal id sealed before values were bound to rows, sealed again bound to its
/// row. One that does not open is kept as it is: it reads as unreadable, as it did.
fn reseal(vault: &Vault, field: Field, id: i64, sealed: &[u8]) -> Vec<u8> {
    if sealed.is_empty() {
        return Vec::new();
    }
    match vault.open_legacy(sealed) {
        Ok(plain) => vault.seal(field, id, &plain),
        Err(_) => {
            tracing::error!(
                column = field.column(),
                row = id,
                "a stored value did not open while sealing; left as it was"
            );
            sealed.to_vec()
        }
    }
}

/// Rewrites the files without the old copies of what was just sealed.
pub(super) async fn vacuum(pool: &AnyPool, backend: Backend, tables: &[&str]) -> anyhow::Result<()> {
    match backend {
        Backend::Sqlite => {
            pool.execute("VACUUM").await?;
            pool.execute("PRAGMA wal_checkpoint(TRUNCATE)").await?;
        }
        Backend::Postgres => {
            // FULL: a new file for each table; once, at an upgrade or a new key, the lock is
            // affordable.
            for table in tables {
                pool.execute(format!("VACUUM FULL {table}").as_str()).await?;
            }
        }
    }
    Ok(())
}
