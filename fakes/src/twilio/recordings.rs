//! The Recordings API (PROTOCOLS §11.4): `GET …/Recordings/{Sid}` (or `.wav`) serves the audio
//! as `audio/x-wav`, `.mp3` as `audio/mpeg`, `.json` the resource; Basic auth always (401 /
//! 20003 without it) unless the account serves media publicly; `DELETE …/Recordings/{Sid}.json`
//! answers 204 with no body and the media is gone: every later request is a 404 (20404).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::error::{json_response, TwilioError};
use super::rest::authenticate;
use super::state::Shared;
use super::voice_types::RecordingInfo;

/// One recording: its audio until deleted.
#[derive(Clone, Debug)]
pub(crate) struct StoredRecording {
    sid: String,
    call_sid: String,
    duration_s: u32,
    /// Emptied on delete: Twilio's media is unrecoverable afterwards.
    audio: Vec<u8>,
    fetched: usize,
    deleted: bool,
}

impl StoredRecording {
    pub fn new(sid: &str, call_sid: &str, duration_s: u32, audio: Vec<u8>) -> Self {
        Self {
            sid: sid.to_owned(),
            call_sid: call_sid.to_owned(),
            duration_s,
            audio,
            fetched: 0,
            deleted: false,
        }
    }

    pub fn info(&self) -> RecordingInfo {
        RecordingInfo {
            sid: self.sid.clone(),
            call_sid: self.call_sid.clone(),
            duration_s: self.duration_s,
            fetched: self.fetched,
            deleted: self.deleted,
        }
    }
}

/// What a request for `file` asks for: the sid and the representation.
fn split(file: &str) -> (&str, &str) {
    for ext in [".json", ".wav", ".mp3"] {
        if let Some(sid) = file.strip_suffix(ext) {
            return (sid, ext);
        }
    }
    (file, "")
}

fn refused(shared: &Shared, error: TwilioError) -> Response {
    shared.record_rejection(&error);
    error.into_response()
}

/// `GET …/Recordings/{file}`: the media or the resource.
pub(crate) async fn fetch(
    State(shared): State<Arc<Shared>>,
    Path((account_sid, file)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let Some(_in_flight) = shared.try_enter() else {
        return refused(&shared, TwilioError::too_many_requests());
    };
    let (sid, ext) = split(&file);
    let public = shared.lock().hotline.public_media && ext != ".json";
    // Media of an account that serves it publicly needs no credentials, but its own SID.
    if let Err(e) = authenticate(&shared, &account_sid, &headers) {
        if !(public && account_sid == shared.config.account_sid) {
            return refused(&shared, e);
        }
    }
    let mut inner = shared.lock();
    let Some(recording) = inner.hotline.recordings.get_mut(sid).filter(|r| !r.deleted) else {
        drop(inner);
        return refused(&shared, TwilioError::not_found(uri.path()));
    };
    if ext == ".json" {
        let body = json!({
            "account_sid": account_sid,
            "call_sid": recording.call_sid,
            "channels": 1,
            "duration": recording.duration_s.to_string(),
            "media_url": format!("https://api.twilio.com/2010-04-01/Accounts/{account_sid}/Recordings/{sid}"),
            "sid": sid,
            "source": "RecordVerb",
            "status": "completed",
            "uri": format!("/2010-04-01/Accounts/{account_sid}/Recordings/{sid}.json"),
        });
        return json_response(StatusCode::OK, body.to_string());
    }
    recording.fetched += 1;
    let audio = recording.audio.clone();
    drop(inner);
    shared.changed().notify_waiters();
    let content_type = if ext == ".mp3" {
        "audio/mpeg"
    } else {
        "audio/x-wav"
    };
    ([(header::CONTENT_TYPE, content_type)], audio).into_response()
}

/// `DELETE …/Recordings/{Sid}.json`: 204, and the media is gone.
pub(crate) async fn delete(
    State(shared): State<Arc<Shared>>,
    Path((account_sid, file)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let Some(_in_flight) = shared.try_enter() else {
        return refused(&shared, TwilioError::too_many_requests());
    };
    if let Err(e) = authenticate(&shared, &account_sid, &headers) {
        return refused(&shared, e);
    }
    let (sid, ext) = split(&file);
    let mut inner = shared.lock();
    let found = inner
        .hotline
        .recordings
        .get_mut(sid)
        .filter(|r| !r.deleted && ext == ".json");
    let Some(recording) = found else {
        drop(inner);
        return refused(&shared, TwilioError::not_found(uri.path()));
    };
    recording.deleted = true;
    recording.audio = Vec::new();
    drop(inner);
    shared.changed().notify_waiters();
    StatusCode::NO_CONTENT.into_response()
}
