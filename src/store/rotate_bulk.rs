//! `rotate`'s tables that grow without bound (reports, verifiers' answers, voice messages) and
//! its newer ones, read a batch at a time.

use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::Rekey;
use crate::crypto::Field;

/// Rows read at a time.
const BATCH: i64 = 500;

/// Rows of `sql` (which takes the last id seen and a limit, ordered by id) a batch at a time.
async fn batch(
    tx: &mut Transaction<'static, Any>,
    sql: &str,
    after: i64,
) -> anyhow::Result<(Vec<AnyRow>, i64)> {
    let rows = sqlx::query(sql)
        .bind(after)
        .bind(BATCH)
        .fetch_all(&mut **tx)
        .await?;
    let last = match rows.last() {
        Some(r) => r.try_get("id")?,
        None => after,
    };
    Ok((rows, last))
}

pub(super) async fn reports(tx: &mut Transaction<'static, Any>, k: &mut Rekey<'_>) -> anyhow::Result<()> {
    let sql =
        "SELECT id, body_enc, reporter_enc, reporter_hash FROM reports WHERE id > $1 ORDER BY id LIMIT $2";
    let mut after = 0;
    loop {
        let (rows, last) = batch(tx, sql, after).await?;
        if rows.is_empty() {
            return Ok(());
        }
        after = last;
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            let (body, _) = k.reseal(Field::ReportBody, id, &r.try_get::<Vec<u8>, _>("body_enc")?);
            let (reporter, sender) = k.reseal_opt(Field::ReportReporter, id, r.try_get("reporter_enc")?);
            let hash = k.rehash(sender.as_deref(), r.try_get("reporter_hash")?);
            sqlx::query(
                "UPDATE reports SET body_enc = $2, reporter_enc = $3, reporter_hash = $4 WHERE id = $1",
            )
            .bind(id)
            .bind(body)
            .bind(reporter)
            .bind(hash)
            .execute(&mut **tx)
            .await?;
        }
    }
}

pub(super) async fn answers(tx: &mut Transaction<'static, Any>, k: &mut Rekey<'_>) -> anyhow::Result<()> {
    let sql = "SELECT id, text_enc FROM verifier_answers WHERE id > $1 ORDER BY id LIMIT $2";
    let mut after = 0;
    loop {
        let (rows, last) = batch(tx, sql, after).await?;
        if rows.is_empty() {
            return Ok(());
        }
        after = last;
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            let (text, _) = k.reseal(Field::CheckAnswerText, id, &r.try_get::<Vec<u8>, _>("text_enc")?);
            sqlx::query("UPDATE verifier_answers SET text_enc = $2 WHERE id = $1")
                .bind(id)
                .bind(text)
                .execute(&mut **tx)
                .await?;
        }
    }
}

/// Voice messages left on the hotline: audio, so a few rows at a time.
pub(super) async fn voice_messages(
    tx: &mut Transaction<'static, Any>,
    k: &mut Rekey<'_>,
) -> anyhow::Result<()> {
    let mut after = 0;
    loop {
        let rows = sqlx::query(
            "SELECT id, audio_enc FROM voice_calls WHERE id > $1 AND audio_enc IS NOT NULL ORDER BY id LIMIT 20",
        )
        .bind(after)
        .fetch_all(&mut **tx)
        .await?;
        let Some(last) = rows.last() else { return Ok(()) };
        after = last.try_get("id")?;
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            let sealed: Vec<u8> = r.try_get("audio_enc")?;
            let audio = match k.old.open_bytes(Field::VoiceAudio, id, &sealed) {
                Ok(audio) => {
                    k.done.sealed += 1;
                    k.new.seal_bytes(Field::VoiceAudio, id, &audio)
                }
                Err(_) => {
                    k.done.unreadable += 1;
                    sealed
                }
            };
            sqlx::query("UPDATE voice_calls SET audio_enc = $2 WHERE id = $1")
                .bind(id)
                .bind(audio)
                .execute(&mut **tx)
                .await?;
        }
    }
}

pub(super) async fn mobilisations(
    tx: &mut Transaction<'static, Any>,
    k: &mut Rekey<'_>,
) -> anyhow::Result<()> {
    let rows = sqlx::query("SELECT id, place_enc, text_enc FROM mobilisations ORDER BY id")
        .fetch_all(&mut **tx)
        .await?;
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let (place, _) = k.reseal(
            Field::MobilisationPlace,
            id,
            &r.try_get::<Vec<u8>, _>("place_enc")?,
        );
        let (text, _) = k.reseal(Field::MobilisationText, id, &r.try_get::<Vec<u8>, _>("text_enc")?);
        sqlx::query("UPDATE mobilisations SET place_enc = $2, text_enc = $3, same_hash = NULL WHERE id = $1")
            .bind(id)
            .bind(place)
            .bind(text)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
