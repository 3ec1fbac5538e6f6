//! The network as the tests through the real binary see it: signed texts to the hotline (the
//! reply's text back), the JSON API with the dispatcher's token, and what each phone was sent.

use std::time::Duration;

use reqwest::Method;
use serde_json::Value;
use tocsin_fakes::{FakeTwilio, FakeTwilioConfig, InboundReply, Signing};

use crate::binary::{start_with, Server};
use crate::helpers::{eventually, ACCOUNT_SID, API_TOKEN, AUTH_TOKEN, HOTLINE};
use crate::senders::said;

/// How long a scenario waits for what tocsin does in the background.
pub(crate) const WAIT: Duration = Duration::from_secs(15);

/// The network as a sender and an API client see it.
pub(crate) struct Net<'a> {
    pub(crate) twilio: &'a FakeTwilio,
    pub(crate) base: String,
    pub(crate) http: reqwest::Client,
}

/// A fake Twilio for the hotline, and `tocsin serve` in `dir` pointed at it with these settings.
pub(crate) async fn serve(dir: &std::path::Path, env: &[(&str, &str)]) -> (FakeTwilio, Server) {
    let twilio = FakeTwilio::start(FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE]))
        .await
        .expect("the fake Twilio starts");
    let server = start_with(dir, Some(&twilio), env).await;
    (twilio, server)
}

impl<'a> Net<'a> {
    /// The network as seen through this fake Twilio and server.
    pub(crate) fn of(twilio: &'a FakeTwilio, server: &Server) -> Net<'a> {
        Net {
            twilio,
            base: server.base.clone(),
            http: reqwest::Client::new(),
        }
    }
}

impl Net<'_> {
    /// A signed inbound SMS; the text of tocsin's reply as the phone shows it (empty for none).
    pub(crate) async fn text(&self, from: &str, body: &str) -> String {
        let url = format!("{}/webhooks/twilio/sms", self.base);
        let reply: InboundReply = self
            .twilio
            .send_inbound_sms(&url, from, HOTLINE, body, Signing::Valid)
            .await
            .expect("webhook answered");
        assert_eq!(reply.status, 200, "{}", reply.body);
        // As the phone shows it: the TwiML's XML escapes undone.
        said(&reply.body)
            .unwrap_or_default()
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }

    pub(crate) async fn api(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(API_TOKEN);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.expect("API answered");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    pub(crate) async fn get(&self, path: &str) -> Value {
        let (status, body) = self.api(Method::GET, path, None).await;
        assert_eq!(status, 200, "{path}: {body}");
        body
    }

    pub(crate) async fn incidents(&self) -> Vec<Value> {
        self.get("/incidents").await["incidents"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The newest incident's id.
    pub(crate) async fn latest(&self) -> i64 {
        let all = self.incidents().await;
        all.iter()
            .filter_map(|i| i["id"].as_i64())
            .max()
            .expect("an incident")
    }

    pub(crate) async fn incident(&self, id: i64) -> Value {
        self.get(&format!("/incidents/{id}")).await
    }

    /// (coming, can't, on scene) of one incident.
    pub(crate) async fn counts(&self, id: i64) -> (i64, i64, i64) {
        let view = self.incident(id).await;
        let n = |k: &str| view["counts"][k].as_i64().unwrap_or(-1);
        (n("coming"), n("cant"), n("on_scene"))
    }

    pub(crate) async fn latest_report(&self) -> Value {
        self.get("/reports").await["reports"][0].clone()
    }

    /// Waits until `to` got `n` messages; the last one's text.
    pub(crate) async fn nth_to(&self, to: &str, n: usize) -> String {
        let got = eventually(WAIT, || async { self.twilio.messages_to(to).len() >= n }).await;
        let sent = self.twilio.messages_to(to);
        assert!(got, "{to} got {n} messages: {sent:?}");
        sent[n - 1].body.clone()
    }

    /// Waits until `to` was sent a message containing every one of `words`; that message.
    pub(crate) async fn sent_to(&self, to: &str, words: &[&str]) -> String {
        let has = |body: &str| words.iter().all(|w| body.contains(w));
        let got = eventually(WAIT, || async {
            self.twilio.messages_to(to).iter().any(|m| has(&m.body))
        })
        .await;
        let sent = self.twilio.messages_to(to);
        assert!(got, "{to} was sent nothing with {words:?}: {sent:?}");
        sent.into_iter()
            .find(|m| has(&m.body))
            .map(|m| m.body)
            .unwrap_or_default()
    }

    /// Everything `to` was sent so far, joined.
    pub(crate) fn all_to(&self, to: &str) -> String {
        let sent = self.twilio.messages_to(to);
        sent.iter()
            .map(|m| m.body.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}
