//! A call to one of our numbers, as Twilio runs it (PROTOCOLS §11.1, §11.2, §11.6): it posts the
//! number's Voice URL (signed, `CallStatus=ringing`), reads the TwiML, and runs its verbs with
//! the caller's scripted steps: `<Say>` (voice and language checked), `<Gather>` (keys, speech
//! or silence; `actionOnEmptyResult`), `<Record>` (a recording the REST side then serves),
//! `<Dial>` over up to ten `<Number>`s rung at once (first scripted answer wins; its `url`
//! whisper fetched and heard by the callee only; `callerId` must be ours), `<Redirect>`,
//! `<Hangup>`. Relative URLs resolve against the document's own; every request is signed over
//! the absolute URL and recorded. A non-200, a wrong content type or bad XML ends the call with
//! Twilio's error code, as the real one says "an application error has occurred".

use axum::http::header;

use super::inbound::country_of;
use super::recordings::StoredRecording;
use super::resource::new_sid;
use super::signature::sign;
use super::twiml::{self, Node};
use super::voice_types::{CallRecord, CallScript, DialAnswer, DialRecord, Said, Step, VoiceRequest};
use super::FakeTwilio;

/// Documents one call may fetch before the fake calls it a loop and hangs up.
const MAX_DOCUMENTS: usize = 30;

/// Runs a call to its end: what happened.
pub(crate) async fn run(fake: &FakeTwilio, script: CallScript, sid: String, voice_url: &str) -> CallRecord {
    let mut run = Run {
        fake,
        record: CallRecord {
            sid,
            status: "completed".into(),
            ..CallRecord::default()
        },
        script,
    };
    run.run(voice_url).await;
    run.record
}

pub(crate) async fn post(
    http: &reqwest::Client,
    url: &str,
    params: &[(String, String)],
    signature: Option<String>,
) -> anyhow::Result<(u16, Option<String>, String)> {
    let form = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    let mut request = http
        .post(url)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form);
    if let Some(signature) = signature {
        request = request.header("X-Twilio-Signature", signature);
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    Ok((status, content_type, response.text().await?))
}

/// Where the call goes next: a request to this URL with these extra parameters, or the end.
type Next = Option<(String, Vec<(String, String)>)>;

struct Run<'a> {
    fake: &'a FakeTwilio,
    record: CallRecord,
    script: CallScript,
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn resolve(base: &str, target: &str) -> Option<String> {
    reqwest::Url::parse(base)
        .ok()?
        .join(target)
        .ok()
        .map(String::from)
}

impl Run<'_> {
    /// The parameters of every request on this call (§11.1), status as given.
    fn base_params(&self, status: &str) -> Vec<(String, String)> {
        let (from, to) = (self.script.from.as_str(), self.script.to.as_str());
        let config = &self.fake.shared.config;
        pairs(&[
            ("AccountSid", &config.account_sid),
            ("ApiVersion", "2010-04-01"),
            ("CallSid", &self.record.sid),
            ("CallStatus", status),
            ("Called", to),
            ("CalledCountry", country_of(to)),
            ("Caller", from),
            ("CallerCountry", country_of(from)),
            ("Direction", "inbound"),
            ("From", from),
            ("FromCity", ""),
            ("FromCountry", country_of(from)),
            ("FromState", ""),
            ("FromZip", ""),
            ("To", to),
            ("ToCity", ""),
            ("ToCountry", country_of(to)),
            ("ToState", ""),
            ("ToZip", ""),
        ])
    }

    async fn run(&mut self, voice_url: &str) {
        let mut next: Next = Some((voice_url.to_owned(), Vec::new()));
        let mut status = "ringing";
        let mut documents = 0;
        while let Some((url, extra)) = next.take() {
            documents += 1;
            if documents > MAX_DOCUMENTS {
                break;
            }
            let mut params = self.base_params(status);
            params.extend(extra);
            status = "in-progress";
            let Some(root) = self.fetch(&url, params).await else {
                if documents == 1 {
                    self.record.status = "failed".into();
                }
                break;
            };
            next = self.run_document(&url, &root).await;
        }
    }

    /// Requests one document (signed) and reads it; None (error recorded) when it cannot run.
    async fn fetch(&mut self, url: &str, params: Vec<(String, String)>) -> Option<Node> {
        let token = &self.fake.shared.config.auth_token;
        let signature = sign(token, url, &params);
        let answer = post(&self.fake.shared.http, url, &params, Some(signature)).await;
        let (status, content_type, body) = match answer {
            Ok(a) => a,
            Err(_) => {
                self.record.errors.push(11200);
                return None;
            }
        };
        self.record.requests.push(VoiceRequest {
            url: url.to_owned(),
            params,
            status,
            body: body.clone(),
        });
        if status != 200 {
            self.record.errors.push(11200);
            return None;
        }
        let ok_type = content_type
            .as_deref()
            .is_some_and(|t| t.contains("xml") || t.starts_with("text/html"));
        if !ok_type {
            self.record.errors.push(12300);
            return None;
        }
        match twiml::parse(&body) {
            Ok(root) => Some(root),
            Err(invalid) => {
                self.record.errors.push(invalid.code());
                None
            }
        }
    }

    fn say(&mut self, node: &Node) -> Said {
        let (voice, language) = (node.attr("voice"), node.attr("language"));
        if !super::say_voices::valid(voice, language) {
            self.record.errors.push(13520);
        }
        Said {
            text: node.text.clone(),
            voice: voice.map(str::to_owned),
            language: language.map(str::to_owned),
        }
    }

    fn step(&mut self) -> Step {
        self.script.steps.pop_front().unwrap_or(Step::Silence)
    }

    async fn run_document(&mut self, url: &str, root: &Node) -> Next {
        for verb in &root.children {
            let action = || resolve(url, verb.attr("action").unwrap_or(url));
            match verb.name.as_str() {
                "Say" => {
                    let said = self.say(verb);
                    self.record.said.push(said);
                }
                "Play" | "Pause" => {}
                "Gather" => {
                    for inner in verb.children.iter().filter(|c| c.name == "Say") {
                        let said = self.say(inner);
                        self.record.said.push(said);
                    }
                    let speech = verb.attr("input").is_some_and(|i| i.contains("speech"));
                    let extra = match self.step() {
                        Step::Press(keys) => Some(pairs(&[("Digits", &keys)])),
                        Step::Speak(words) if speech => {
                            Some(pairs(&[("SpeechResult", &words), ("Confidence", "0.91")]))
                        }
                        _ if verb.attr("actionOnEmptyResult") == Some("true") => Some(Vec::new()),
                        _ => None,
                    };
                    if let Some(extra) = extra {
                        return action().map(|a| (a, extra));
                    }
                }
                "Record" => {
                    if let Step::Leave { seconds, audio } = self.step() {
                        let max = verb
                            .attr("maxLength")
                            .and_then(|m| m.parse().ok())
                            .unwrap_or(3600);
                        return action().map(|a| (a, self.recorded(seconds.min(max), audio)));
                    }
                    // Nothing recorded: Twilio goes on with the next verb.
                }
                "Dial" => {
                    let (status, extra) = self.dial(url, verb).await;
                    if verb.attr("action").is_some() {
                        let mut params = pairs(&[("DialCallStatus", &status)]);
                        params.extend(extra);
                        return action().map(|a| (a, params));
                    }
                }
                "Redirect" => return resolve(url, &verb.text).map(|a| (a, Vec::new())),
                "Hangup" | "Reject" => return None,
                _ => self.record.errors.push(12200),
            }
        }
        None
    }

    /// Keeps the message as a recording the REST side serves; the action's parameters.
    fn recorded(&mut self, seconds: u32, audio: Vec<u8>) -> Vec<(String, String)> {
        let sid = new_sid("RE");
        let config = &self.fake.shared.config;
        let url = format!(
            "{}/2010-04-01/Accounts/{}/Recordings/{sid}",
            self.fake.base_url(),
            config.account_sid
        );
        let stored = StoredRecording::new(&sid, &self.record.sid, seconds, audio);
        self.fake
            .shared
            .lock()
            .hotline
            .recordings
            .insert(sid.clone(), stored);
        self.fake.shared.changed().notify_waiters();
        self.record.recordings.push(sid.clone());
        pairs(&[
            ("RecordingUrl", &url),
            ("RecordingDuration", &seconds.to_string()),
            ("RecordingSid", &sid),
            ("Digits", "#"),
        ])
    }

    /// Rings every `<Number>` at once; the status and the action's other parameters.
    async fn dial(&mut self, url: &str, verb: &Node) -> (String, Vec<(String, String)>) {
        let numbers: Vec<&Node> = verb.children.iter().filter(|c| c.name == "Number").collect();
        let shown = verb.attr("callerId").unwrap_or(&self.script.from).to_owned();
        let timeout_s = verb.attr("timeout").and_then(|t| t.parse().ok()).unwrap_or(30u32);
        let mut dial = DialRecord {
            numbers: numbers.iter().map(|n| n.text.clone()).collect(),
            shown_caller_id: shown.clone(),
            timeout_s,
            answered_by: None,
            whisper: Vec::new(),
            status: "failed".into(),
        };
        let caller_id_ok = shown == self.script.from || self.fake.shared.is_our_number(&shown);
        if numbers.is_empty() || numbers.len() > 10 || !(5..=600).contains(&timeout_s) {
            self.record.errors.push(13223);
        } else if !caller_id_ok {
            self.record.errors.push(13214);
        } else {
            let answers: Vec<DialAnswer> = {
                let inner = self.fake.shared.lock();
                dial.numbers
                    .iter()
                    .map(|n| {
                        inner
                            .hotline
                            .dial_answers
                            .get(n)
                            .copied()
                            .unwrap_or(DialAnswer::NoAnswer)
                    })
                    .collect()
            };
            let picked = answers
                .iter()
                .position(|a| matches!(a, DialAnswer::Answer { .. }));
            dial.status = match picked {
                Some(_) => "completed",
                None if answers.contains(&DialAnswer::NoAnswer) => "no-answer",
                None if answers.contains(&DialAnswer::Busy) => "busy",
                None => "failed",
            }
            .into();
            if let (Some(i), Some(DialAnswer::Answer { talk_s })) = (picked, picked.map(|i| answers[i])) {
                let child = new_sid("CA");
                dial.answered_by = Some(dial.numbers[i].clone());
                if let Some(whisper) = numbers[i].attr("url").and_then(|w| resolve(url, w)) {
                    dial.whisper = self.whisper(&whisper, &child, &shown, &dial.numbers[i]).await;
                }
                let status = dial.status.clone();
                self.record.dials.push(dial);
                let duration = talk_s.to_string();
                return (
                    status,
                    pairs(&[
                        ("DialCallSid", &child),
                        ("DialCallDuration", &duration),
                        ("DialBridged", "true"),
                    ]),
                );
            }
        }
        let status = dial.status.clone();
        self.record.dials.push(dial);
        (status, Vec::new())
    }

    /// The answering phone's leg fetches its `<Number url>`: what it heard.
    async fn whisper(&mut self, url: &str, child: &str, shown: &str, to: &str) -> Vec<Said> {
        let config = &self.fake.shared.config;
        let params = pairs(&[
            ("AccountSid", &config.account_sid),
            ("ApiVersion", "2010-04-01"),
            ("CallSid", child),
            ("CallStatus", "in-progress"),
            ("Direction", "outbound-dial"),
            ("From", shown),
            ("ParentCallSid", &self.record.sid),
            ("To", to),
        ]);
        let Some(root) = self.fetch(url, params).await else {
            return Vec::new();
        };
        let says: Vec<&Node> = root.children.iter().filter(|v| v.name == "Say").collect();
        says.into_iter().map(|s| self.say(s)).collect()
    }
}
