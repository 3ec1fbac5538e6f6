//! Calls and their voice messages (`store::recordings`): a call is noted once, its recording
//! once (Twilio's retries change nothing), a step is claimed by one caller at a time, the audio
//! is stored sealed to its row and reads back as fetched, and a recording done is due no more.

use sqlx::Row;
use tocsin::store::Store;

use crate::on_both_backends;
use crate::support::new_report;

const CALL: &str = "CA0123456789abcdef0123456789abcdef";
const RECORDING: &str = "RE0123456789abcdef0123456789abcdef";

async fn report(store: &Store) -> i64 {
    let mut tx = store.write().await.expect("tx");
    let id = store
        .insert_report(
            &mut tx,
            &new_report(store, "[voice message, 7 s]", "+13235550177", 1_000),
        )
        .await
        .expect("report");
    tx.commit().await.expect("commit");
    id
}

async fn a_voice_message_is_noted_once_claimed_once_and_stored_sealed(store: Store) {
    let report_id = report(&store).await;
    assert!(store.voice_call(CALL).await.unwrap().is_none());
    store.add_voice_call(CALL, report_id).await.unwrap();
    store.add_voice_call(CALL, report_id).await.unwrap();
    let call = store.voice_call(CALL).await.unwrap().expect("noted");
    assert_eq!((call.report_id, call.recording_sid), (report_id, None));
    assert!(
        store.recordings_due(10).await.unwrap().is_empty(),
        "no recording yet"
    );

    assert!(store.add_recording(CALL, RECORDING, 7).await.unwrap());
    assert!(
        !store.add_recording(CALL, RECORDING, 7).await.unwrap(),
        "Twilio's retry"
    );
    assert!(
        !store.add_recording("CAother", RECORDING, 7).await.unwrap(),
        "an unknown call"
    );
    let due = store.recordings_due(10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(
        (due[0].recording_sid.as_str(), due[0].fetched),
        (RECORDING, false)
    );

    assert!(store.claim_recording(due[0].id, 60_000).await.unwrap());
    assert!(
        !store.claim_recording(due[0].id, 60_000).await.unwrap(),
        "claimed once"
    );
    assert!(store.recordings_due(10).await.unwrap().is_empty(), "leased");

    let audio = b"RIFF\0\0\0\0WAVEfmt the caller's voice".to_vec();
    store.store_audio(due[0].id, "audio/x-wav", &audio).await.unwrap();
    let raw: Vec<u8> = sqlx::query("SELECT audio_enc FROM voice_calls WHERE id = $1")
        .bind(due[0].id)
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get(0);
    assert!(!raw.windows(4).any(|w| w == b"RIFF"), "sealed");
    let played = store.report_audio(report_id).await.unwrap().expect("audio");
    assert_eq!(
        (played.content_type.as_str(), played.bytes),
        ("audio/x-wav", audio)
    );
    assert!(store
        .reports_with_audio(&[report_id, report_id + 1])
        .await
        .unwrap()
        .contains(&report_id));

    // Fetched: deleting Twilio's copy is next; then nothing is due.
    let next = store.recordings_due(10).await.unwrap();
    assert_eq!((next.len(), next[0].fetched), (1, true));
    store.recording_deleted_at_twilio(next[0].id).await.unwrap();
    assert!(store.recordings_due(10).await.unwrap().is_empty());

    // Past the retention window the voice goes, with Twilio's call id; the report stays.
    assert_eq!(
        store
            .erase_voice_messages(tocsin::store::now_ms() - 3_600_000)
            .await
            .unwrap(),
        0,
        "too recent"
    );
    assert_eq!(
        store
            .erase_voice_messages(tocsin::store::now_ms() + 1)
            .await
            .unwrap(),
        1
    );
    assert!(store.report_audio(report_id).await.unwrap().is_none(), "erased");
    assert!(
        store.voice_call(CALL).await.unwrap().is_none(),
        "Twilio's call id is gone"
    );
    assert_eq!(
        store
            .erase_voice_messages(tocsin::store::now_ms() + 1)
            .await
            .unwrap(),
        0,
        "once"
    );

    // Audio copied into another row does not open there.
    let other = report(&store).await;
    store.add_voice_call("CAsecond", other).await.unwrap();
    sqlx::query("UPDATE voice_calls SET audio_enc = $1 WHERE call_sid = 'CAsecond'")
        .bind(raw)
        .execute(store.pool())
        .await
        .unwrap();
    assert!(
        store.report_audio(other).await.unwrap().is_none(),
        "bound to its row"
    );
}

on_both_backends!(a_voice_message_is_noted_once_claimed_once_and_stored_sealed);
