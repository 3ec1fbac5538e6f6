//! A new data key (`tocsin rotate-key`): every sealed value opened with the old key and sealed
//! again with the new one, bound to the same row; every keyed hash computed again from the value
//! it hashes; the key check replaced. One transaction: it all happens or none of it. Then the
//! files are vacuumed, so that no copy under the old key stays in free pages.
//!
//! A keyed hash whose value tocsin does not keep cannot follow: JOIN conversations in progress
//! (keyed by the sender's hash alone) end, and so do the Signal message ids kept against
//! redelivery; what makes two mobilisations the same (`same_hash`: a case number kept only as a
//! keyed hash) is forgotten, so a hearing list imported again after adds them again. Blocks keep their sender sealed (`blocked_senders.sender_enc`); one from before
//! that, whose report was erased since, is lifted, and said so.
//!
//! The store must be opened with `Store::open_alone`: a process still holding the old key would
//! seal what it writes next with it.

use sqlx::{Any, Row, Transaction};

use super::{now_ms, upgrade, Store};

#[path = "rotate_bulk.rs"]
mod bulk;
use crate::crypto::{Field, Vault};

/// Every sealed column and every keyed hash column this module carries to a new key; a test
/// compares it with the schema, so that a new column cannot be forgotten.
pub const CARRIED: &[&str] = &[
    "volunteers.name_enc",
    "volunteers.phone_enc",
    "volunteers.area_enc",
    "volunteers.signal_enc",
    "volunteers.phone_hash",
    "volunteers.signal_hash",
    "users.phone_enc",
    "users.phone_hash",
    "reports.body_enc",
    "reports.reporter_enc",
    "reports.reporter_hash",
    "verifier_answers.text_enc",
    "blocked_senders.sender_enc",
    "blocked_senders.sender_hash",
    "followups.sender_hash",
    "voice_calls.audio_enc",
    "mobilisations.place_enc",
    "mobilisations.text_enc",
    // Forgotten rather than carried (module comment).
    "mobilisations.same_hash",
    // Ended rather than carried (module comment).
    "conversations.sender_hash",
    "conversations.area_enc",
    "conversations.area_label_enc",
];

/// What a rotation did, for the operator.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rotated {
    /// Values sealed again under the new key.
    pub sealed: u64,
    /// Keyed hashes computed again.
    pub hashed: u64,
    /// Values that did not open with the old key either: kept as they were (still unreadable).
    pub unreadable: u64,
    /// JOIN conversations in progress, ended (their senders start again).
    pub conversations_ended: u64,
    /// Questions to reporters whose number was erased since, forgotten.
    pub followups_ended: u64,
    /// Blocks whose sender's number was erased since: lifted.
    pub blocks_lifted: u64,
    /// Whether the files were vacuumed after (the rotation stands either way).
    pub vacuumed: bool,
}

/// The old key and the new one, and the running count.
struct Rekey<'a> {
    old: &'a Vault,
    new: &'a Vault,
    done: Rotated,
}

impl Rekey<'_> {
    /// The value sealed again (empty stays empty; one that does not open stays as it was), and
    /// the plain value when it opened.
    fn reseal(
        &mut self,
        field: Field,
        row: impl std::fmt::Display + Copy,
        sealed: &[u8],
    ) -> (Vec<u8>, Option<String>) {
        if sealed.is_empty() {
            return (Vec::new(), None);
        }
        match self.old.open(field, row, sealed) {
            Ok(plain) => {
                self.done.sealed += 1;
                (self.new.seal(field, row, &plain), Some(plain))
            }
            Err(_) => {
                self.done.unreadable += 1;
                tracing::warn!(column = field.column(), row = %row, "a stored value does not open with the current key; kept as it was");
                (sealed.to_vec(), None)
            }
        }
    }

    fn reseal_opt(
        &mut self,
        field: Field,
        row: i64,
        sealed: Option<Vec<u8>>,
    ) -> (Option<Vec<u8>>, Option<String>) {
        match sealed {
            Some(s) => {
                let (s, plain) = self.reseal(field, row, &s);
                (Some(s), plain)
            }
            None => (None, None),
        }
    }

    /// The new keyed hash of `plain`, else the old hash kept (a removed volunteer's marker, or a
    /// value that did not open).
    fn rehash(&mut self, plain: Option<&str>, old: Option<String>) -> Option<String> {
        match plain {
            Some(p) => {
                self.done.hashed += 1;
                Some(self.new.lookup_hash(p))
            }
            None => old,
        }
    }
}

impl Store {
    /// Re-seals the database under `new` (see the module comment); the store's own key is the
    /// old one, and must not be used after.
    pub async fn rotate_key(&self, new: &Vault) -> anyhow::Result<Rotated> {
        let mut k = Rekey {
            old: self.vault(),
            new,
            done: Rotated::default(),
        };
        let mut tx = self.begin().await?;
        // Before the reports: blocks and questions may need a report's number, sealed under the
        // old key.
        blocks(&mut tx, &mut k).await?;
        followups(&mut tx, &mut k).await?;
        volunteers(&mut tx, &mut k).await?;
        users(&mut tx, &mut k).await?;
        bulk::reports(&mut tx, &mut k).await?;
        bulk::answers(&mut tx, &mut k).await?;
        bulk::mobilisations(&mut tx, &mut k).await?;
        bulk::voice_messages(&mut tx, &mut k).await?;
        k.done.conversations_ended = sqlx::query("DELETE FROM conversations")
            .execute(&mut *tx)
            .await?
            .rows_affected();
        // Redeliveries are recognised by a keyed hash of the sender: none can follow.
        sqlx::query("DELETE FROM inbound_messages WHERE provider = 'signal'")
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value")
            .bind(upgrade::KEY_CHECK)
            .bind(new.check_value())
            .execute(&mut *tx)
            .await?;
        let detail = format!(
            "{} values sealed again, {} lookups hashed again; {} JOIN conversations ended, {} blocks lifted",
            k.done.sealed, k.done.hashed, k.done.conversations_ended, k.done.blocks_lifted
        );
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, actor, action, incident_id, volunteer_id, detail) \
             VALUES ($1, NULL, 'cli', 'data_key_rotated', NULL, NULL, $2)",
        )
        .bind(now_ms())
        .bind(detail)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        // Committed: from here the new key is the key, whatever happens to the clean-up.
        let vacuumed = upgrade::vacuum(
            self.pool(),
            self.backend(),
            &[
                "volunteers",
                "users",
                "reports",
                "verifier_answers",
                "blocked_senders",
                "followups",
                "conversations",
                "inbound_messages",
                "mobilisations",
                "voice_calls",
                "meta",
            ],
        )
        .await;
        if let Err(e) = &vacuumed {
            tracing::warn!(error = %e, "vacuuming after the new key failed: old copies may stay in free pages");
        }
        k.done.vacuumed = vacuumed.is_ok();
        Ok(k.done)
    }

    /// The check value of the key the database is sealed under (`Vault::check_value`).
    pub async fn key_check(&self) -> super::Result<Option<String>> {
        self.meta(upgrade::KEY_CHECK).await
    }
}

/// The reporter's number on `report`, opened with the old key.
async fn reporter_of(
    tx: &mut Transaction<'static, Any>,
    k: &Rekey<'_>,
    report: i64,
) -> anyhow::Result<Option<String>> {
    let row = sqlx::query("SELECT reporter_enc FROM reports WHERE id = $1")
        .bind(report)
        .fetch_optional(&mut **tx)
        .await?;
    let sealed: Option<Vec<u8>> = match row {
        Some(r) => r.try_get("reporter_enc")?,
        None => None,
    };
    Ok(sealed.and_then(|s| k.old.open(Field::ReportReporter, report, &s).ok()))
}

async fn blocks(tx: &mut Transaction<'static, Any>, k: &mut Rekey<'_>) -> anyhow::Result<()> {
    let rows = sqlx::query("SELECT id, report_id, sender_enc FROM blocked_senders ORDER BY id")
        .fetch_all(&mut **tx)
        .await?;
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let (_, mut sender) = k.reseal_opt(Field::BlockedSender, id, r.try_get("sender_enc")?);
        if sender.is_none() {
            if let Some(report) = r.try_get::<Option<i64>, _>("report_id")? {
                sender = reporter_of(tx, k, report).await?;
            }
        }
        let Some(sender) = sender else {
            sqlx::query("DELETE FROM blocked_senders WHERE id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            k.done.blocks_lifted += 1;
            continue;
        };
        let hash = k.rehash(Some(&sender), None);
        sqlx::query("UPDATE blocked_senders SET sender_enc = $2, sender_hash = $3 WHERE id = $1")
            .bind(id)
            .bind(k.new.seal(Field::BlockedSender, id, &sender))
            .bind(hash)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn followups(tx: &mut Transaction<'static, Any>, k: &mut Rekey<'_>) -> anyhow::Result<()> {
    let rows = sqlx::query("SELECT sender_hash, report_id FROM followups")
        .fetch_all(&mut **tx)
        .await?;
    for r in &rows {
        let old: String = r.try_get("sender_hash")?;
        let report: i64 = r.try_get("report_id")?;
        match reporter_of(tx, k, report).await? {
            Some(sender) => {
                let hash = k.rehash(Some(&sender), None);
                sqlx::query("UPDATE followups SET sender_hash = $2 WHERE sender_hash = $1")
                    .bind(&old)
                    .bind(hash)
                    .execute(&mut **tx)
                    .await?;
            }
            None => {
                sqlx::query("DELETE FROM followups WHERE sender_hash = $1")
                    .bind(&old)
                    .execute(&mut **tx)
                    .await?;
                k.done.followups_ended += 1;
            }
        }
    }
    Ok(())
}

async fn volunteers(tx: &mut Transaction<'static, Any>, k: &mut Rekey<'_>) -> anyhow::Result<()> {
    let rows = sqlx::query(
        "SELECT id, name_enc, phone_enc, area_enc, signal_enc, phone_hash, signal_hash FROM volunteers ORDER BY id",
    )
    .fetch_all(&mut **tx)
    .await?;
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let (name, _) = k.reseal(Field::VolunteerName, id, &r.try_get::<Vec<u8>, _>("name_enc")?);
        let (area, _) = k.reseal(Field::VolunteerArea, id, &r.try_get::<Vec<u8>, _>("area_enc")?);
        let (phone, number) = k.reseal(Field::VolunteerPhone, id, &r.try_get::<Vec<u8>, _>("phone_enc")?);
        let (signal, signal_id) = k.reseal_opt(Field::VolunteerSignal, id, r.try_get("signal_enc")?);
        let phone_hash = k.rehash(number.as_deref(), r.try_get("phone_hash")?);
        let signal_hash = k.rehash(signal_id.as_deref(), r.try_get("signal_hash")?);
        sqlx::query(
            "UPDATE volunteers SET name_enc = $2, area_enc = $3, phone_enc = $4, signal_enc = $5, \
             phone_hash = $6, signal_hash = $7 WHERE id = $1",
        )
        .bind(id)
        .bind(name)
        .bind(area)
        .bind(phone)
        .bind(signal)
        .bind(phone_hash)
        .bind(signal_hash)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn users(tx: &mut Transaction<'static, Any>, k: &mut Rekey<'_>) -> anyhow::Result<()> {
    let rows = sqlx::query("SELECT id, phone_enc, phone_hash FROM users WHERE phone_enc IS NOT NULL")
        .fetch_all(&mut **tx)
        .await?;
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let (phone, number) = k.reseal_opt(Field::UserPhone, id, r.try_get("phone_enc")?);
        let hash = k.rehash(number.as_deref(), r.try_get("phone_hash")?);
        sqlx::query("UPDATE users SET phone_enc = $2, phone_hash = $3 WHERE id = $1")
            .bind(id)
            .bind(phone)
            .bind(hash)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "rotate_tests.rs"]
mod tests;
