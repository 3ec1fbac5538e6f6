//! Calls to our numbers, the test's side: where each number's Voice webhook points, what a
//! dialled phone does, placing a call (run by `voice_run` as Twilio runs it), re-posting one of
//! its requests (Twilio's retry, or a forgery), and what was recorded.

use std::collections::HashMap;

use super::recordings::StoredRecording;
use super::resource::new_sid;
use super::signature::sign;
use super::types::{InboundReply, Signing};
use super::voice_run::post;
use super::voice_types::{CallRecord, CallScript, DialAnswer, RecordingInfo};
use super::FakeTwilio;

/// The voice side of the fake's state.
#[derive(Default)]
pub(crate) struct Hotline {
    /// A number's Voice webhook, as set in the console.
    pub voice_urls: HashMap<String, String>,
    pub dial_answers: HashMap<String, DialAnswer>,
    pub recordings: HashMap<String, StoredRecording>,
    pub calls: Vec<CallRecord>,
    /// The legacy account setting: media URLs served without authentication.
    pub public_media: bool,
}

impl FakeTwilio {
    /// Points `number`'s Voice webhook at `url` (as an operator would in Twilio's console).
    pub fn set_voice_url(&self, number: &str, url: &str) {
        let mut inner = self.shared.lock();
        inner.hotline.voice_urls.insert(number.to_owned(), url.to_owned());
    }

    /// What `number` does when a `<Dial>` rings it (unscripted phones do not answer).
    pub fn set_dial_answer(&self, number: &str, answer: DialAnswer) {
        let mut inner = self.shared.lock();
        inner.hotline.dial_answers.insert(number.to_owned(), answer);
    }

    /// Serves recording media without authentication, as old accounts could (default: off).
    pub fn set_public_media(&self, public: bool) {
        self.shared.lock().hotline.public_media = public;
    }

    /// Every recording made, deleted ones included.
    pub fn recordings(&self) -> Vec<RecordingInfo> {
        let inner = self.shared.lock();
        let mut all: Vec<RecordingInfo> = inner.hotline.recordings.values().map(|r| r.info()).collect();
        all.sort_by(|a, b| a.sid.cmp(&b.sid));
        all
    }

    /// Every call to the hotline finished so far (the calls tocsin places: `calls`).
    pub fn hotline_calls(&self) -> Vec<CallRecord> {
        self.shared.lock().hotline.calls.clone()
    }

    /// Places a call to `script.to` (one of our numbers, its Voice URL set) and runs it to its
    /// end; what happened.
    pub async fn call(&self, script: CallScript) -> anyhow::Result<CallRecord> {
        let url = {
            let inner = self.shared.lock();
            inner.hotline.voice_urls.get(&script.to).cloned()
        };
        let Some(url) = url.filter(|_| self.shared.is_our_number(&script.to)) else {
            anyhow::bail!("{} is not one of the fake's numbers with a Voice URL", script.to);
        };
        let sid = script.call_sid.clone().unwrap_or_else(|| new_sid("CA"));
        let record = super::voice_run::run(self, script, sid, &url).await;
        self.shared.lock().hotline.calls.push(record.clone());
        Ok(record)
    }

    /// Posts one voice webhook request again (Twilio's retry), or a forged one: `params` as
    /// recorded in a [`VoiceRequest`].
    pub async fn post_voice_webhook(
        &self,
        url: &str,
        params: &[(String, String)],
        signing: Signing,
    ) -> anyhow::Result<InboundReply> {
        let token = &self.shared.config.auth_token;
        let mut params = params.to_vec();
        let signature = match signing {
            Signing::Valid | Signing::Tampered => Some(sign(token, url, &params)),
            Signing::Wrong => Some(sign(&format!("{token}-not-ours"), url, &params)),
            Signing::Missing => None,
        };
        if signing == Signing::Tampered {
            if let Some((_, value)) = params.iter_mut().find(|(k, _)| k == "Digits" || k == "From") {
                value.push('9');
            }
        }
        let (status, content_type, body) = post(&self.shared.http, url, &params, signature).await?;
        Ok(InboundReply {
            status,
            content_type,
            body,
            message_sid: String::new(),
        })
    }
}
