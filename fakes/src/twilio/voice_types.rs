//! What a test scripts for a simulated call to one of our numbers, and what it can read back:
//! what the caller heard, whom `<Dial>` rang and what they heard, what was recorded, every
//! webhook request Twilio made, and whatever Twilio would have refused. Plain data.

use std::collections::VecDeque;

/// What the caller does at each point where Twilio waits for them, in order: each `<Gather>`
/// takes one step (a key, words or silence), each `<Record>` takes one (a message, or silence).
/// When the steps run out the caller stays silent.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Presses these keys (`Digits`).
    Press(String),
    /// Says something (`SpeechResult`), when the `<Gather>` listens for speech.
    Speak(String),
    /// Says and presses nothing.
    Silence,
    /// Leaves a message after the beep: `seconds` long, with this audio (WAV), ended with `#`.
    Leave { seconds: u32, audio: Vec<u8> },
}

/// A call placed to one of our numbers.
#[derive(Clone, Debug)]
pub struct CallScript {
    pub from: String,
    pub to: String,
    pub steps: VecDeque<Step>,
    /// The `CallSid`; a fresh `CA…` when None (set one to replay a call).
    pub call_sid: Option<String>,
}

impl CallScript {
    pub fn new(from: &str, to: &str, steps: impl IntoIterator<Item = Step>) -> Self {
        Self {
            from: from.to_owned(),
            to: to.to_owned(),
            steps: steps.into_iter().collect(),
            call_sid: None,
        }
    }
}

/// What a dialled phone does when `<Dial>` rings it; phones not scripted do not answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialAnswer {
    /// Picks up and talks for this many seconds.
    Answer {
        talk_s: u32,
    },
    NoAnswer,
    Busy,
    Failed,
}

/// One `<Say>`: its text, voice and language as given (None: Twilio's default).
#[derive(Clone, Debug, PartialEq)]
pub struct Said {
    pub text: String,
    pub voice: Option<String>,
    pub language: Option<String>,
}

/// One `<Dial>`: who rang, which number showed on their phones, who answered and what the
/// answering phone heard before being connected (the `<Number url>` whisper).
#[derive(Clone, Debug, PartialEq)]
pub struct DialRecord {
    pub numbers: Vec<String>,
    /// The number the dialled phones saw (`callerId`; the caller's own when not given).
    pub shown_caller_id: String,
    pub timeout_s: u32,
    pub answered_by: Option<String>,
    pub whisper: Vec<Said>,
    /// `DialCallStatus`: completed, busy, no-answer, failed.
    pub status: String,
}

/// One webhook request Twilio made during the call: the URL (absolute, as signed), the form
/// parameters and what came back.
#[derive(Clone, Debug, PartialEq)]
pub struct VoiceRequest {
    pub url: String,
    pub params: Vec<(String, String)>,
    pub status: u16,
    pub body: String,
}

/// A finished simulated call.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CallRecord {
    pub sid: String,
    /// What the caller heard, in order.
    pub said: Vec<Said>,
    pub dials: Vec<DialRecord>,
    /// `RE…` sids of the recordings made.
    pub recordings: Vec<String>,
    pub requests: Vec<VoiceRequest>,
    /// Twilio error codes the call ran into (11200 fetch failed, 12100 bad XML, 12102 bad root,
    /// 12300 bad content type, 13214 bad callerId, 13223 bad Dial, 13520 bad Say voice or
    /// language): Twilio's debugger would show them.
    pub errors: Vec<u32>,
    /// `completed`, or `failed` when the first request could not be run.
    pub status: String,
}

impl CallRecord {
    /// Everything the caller heard, joined with newlines.
    pub fn heard(&self) -> String {
        self.said
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A recording the fake holds (or held), for assertions.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordingInfo {
    pub sid: String,
    pub call_sid: String,
    pub duration_s: u32,
    /// Media requests answered with the audio (authenticated).
    pub fetched: usize,
    /// `DELETE …/Recordings/{Sid}.json` was answered 204.
    pub deleted: bool,
}

/// A small valid WAV (8 kHz, 16-bit mono PCM) of a tone, `millis` long: a recording's audio.
pub fn tone_wav(millis: u32) -> Vec<u8> {
    let samples = 8 * millis;
    let data_len = samples * 2;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&8000u32.to_le_bytes());
    out.extend_from_slice(&16000u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..samples {
        let phase = i as f64 * 440.0 * std::f64::consts::TAU / 8000.0;
        let sample = (phase.sin() * 8000.0) as i16;
        out.extend_from_slice(&sample.to_le_bytes());
    }
    out
}
