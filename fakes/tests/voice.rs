//! Calls to our numbers as the fake runs them against a scripted app (PROTOCOLS §11): the
//! webhook's parameters, keys and messages passed to each action, `<Dial>` ringing all numbers
//! with the answering phone's whisper, Twilio's error codes for what it cannot run, and the
//! Recordings API (Basic auth, media, metadata, DELETE 204 then 404).

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::State;
use axum::http::Uri;
use axum::response::IntoResponse;
use common::*;
use tocsin_fakes::{tone_wav, CallScript, DialAnswer, FakeTwilio, Step};

const CALLER: &str = "+13235550150";
const PHONE_A: &str = "+13235550151";
const PHONE_B: &str = "+13235550152";

/// Each path's (status, content type, body).
type Pages = Arc<HashMap<String, (u16, String, String)>>;

/// An app answering each path with a fixed (status, content type, body).
async fn app(pages: &[(&str, u16, &str, &str)]) -> String {
    let pages: Pages = Arc::new(
        pages
            .iter()
            .map(|(p, s, t, b)| (p.to_string(), (*s, t.to_string(), b.to_string())))
            .collect(),
    );
    async fn answer(State(pages): State<Pages>, uri: Uri) -> impl IntoResponse {
        let (status, content_type, body) =
            pages
                .get(uri.path())
                .cloned()
                .unwrap_or((404, "text/plain".into(), String::new()));
        (
            axum::http::StatusCode::from_u16(status).expect("status"),
            [("content-type", content_type)],
            body,
        )
    }
    let router = axum::Router::new().fallback(answer).with_state(pages);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, router).await });
    base
}

fn doc(verbs: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>{verbs}</Response>")
}

async fn call_app(
    fake: &FakeTwilio,
    pages: &[(&str, u16, &str, &str)],
    steps: Vec<Step>,
) -> tocsin_fakes::CallRecord {
    let base = app(pages).await;
    fake.set_voice_url(OUR_NUMBER, &format!("{base}/voice"));
    fake.call(CallScript::new(CALLER, OUR_NUMBER, steps))
        .await
        .expect("call")
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn keys_and_a_message_reach_the_actions_and_the_recording_is_served_then_deleted() {
    let fake = start().await;
    let greet = doc("<Gather numDigits=\"1\" action=\"/menu\"><Say voice=\"Polly.Lupe\" language=\"es-US\">Oprima 2</Say></Gather>");
    let menu = doc("<Record action=\"rec\" maxLength=\"5\"/><Say>nothing recorded</Say>");
    let done =
        doc("<Say voice=\"Polly.Joanna\" language=\"en-US\">Thanks &amp; bye</Say><Hangup/><Say>never</Say>");
    let audio = tone_wav(200);
    let record = call_app(
        &fake,
        &[
            ("/voice", 200, "text/xml", &greet),
            ("/menu", 200, "application/xml", &menu),
            ("/rec", 200, "text/xml", &done),
        ],
        vec![
            Step::Press("2".into()),
            Step::Leave {
                seconds: 9,
                audio: audio.clone(),
            },
        ],
    )
    .await;
    assert!(record.errors.is_empty(), "{record:#?}");
    assert_eq!(record.heard(), "Oprima 2\nThanks & bye");
    let [first, menu, rec] = &record.requests[..] else {
        panic!("{:#?}", record.requests)
    };
    assert_eq!(param(&first.params, "CallStatus"), Some("ringing"));
    assert_eq!(param(&first.params, "Direction"), Some("inbound"));
    assert_eq!(param(&first.params, "From"), Some(CALLER));
    assert_eq!(param(&menu.params, "Digits"), Some("2"));
    assert_eq!(param(&menu.params, "CallStatus"), Some("in-progress"));
    assert!(rec.url.ends_with("/rec"), "relative to the document: {}", rec.url);
    assert_eq!(
        param(&rec.params, "RecordingDuration"),
        Some("5"),
        "cut at maxLength"
    );
    let sid = param(&rec.params, "RecordingSid").expect("sid").to_string();
    let media = param(&rec.params, "RecordingUrl").expect("url").to_string();
    assert_eq!(
        media,
        format!(
            "{}/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{sid}",
            fake.base_url()
        )
    );

    let http = client();
    let anonymous = http.get(format!("{media}.wav")).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&anonymous.bytes().await.unwrap()).unwrap()["code"],
        20003
    );
    let wav = http
        .get(format!("{media}.wav"))
        .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (
            wav.status().as_u16(),
            wav.headers()["content-type"].to_str().unwrap()
        ),
        (200, "audio/x-wav")
    );
    assert_eq!(wav.bytes().await.unwrap().to_vec(), audio);
    let meta = http
        .get(format!("{media}.json"))
        .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
        .send()
        .await
        .unwrap();
    let meta: serde_json::Value = serde_json::from_slice(&meta.bytes().await.unwrap()).unwrap();
    assert_eq!(
        (meta["status"].as_str(), meta["call_sid"].as_str()),
        (Some("completed"), Some(record.sid.as_str()))
    );
    fake.set_public_media(true);
    assert_eq!(
        http.get(&media).send().await.unwrap().status(),
        200,
        "legacy public media"
    );

    let delete = http
        .delete(format!("{media}.json"))
        .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), 204);
    assert!(delete.bytes().await.unwrap().is_empty());
    let after = http
        .get(format!("{media}.wav"))
        .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 404);
    let again = http
        .delete(format!("{media}.json"))
        .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);
    let info = &fake.recordings()[0];
    assert_eq!((info.fetched, info.deleted, info.duration_s), (2, true, 5));
}

#[tokio::test]
async fn dial_rings_every_number_and_the_first_answer_hears_its_whisper() {
    let fake = start().await;
    fake.set_dial_answer(PHONE_A, DialAnswer::NoAnswer);
    fake.set_dial_answer(PHONE_B, DialAnswer::Answer { talk_s: 12 });
    let dial = doc(&format!(
        "<Dial action=\"/after\" callerId=\"{OUR_NUMBER}\" timeout=\"15\"><Number url=\"/w\">{PHONE_A}</Number><Number url=\"/w\">{PHONE_B}</Number></Dial>"
    ));
    let whisper = doc("<Say>incident 7</Say>");
    let record = call_app(
        &fake,
        &[
            ("/voice", 200, "text/xml", &dial),
            ("/w", 200, "text/xml", &whisper),
            ("/after", 200, "text/xml", &doc("<Hangup/>")),
        ],
        vec![],
    )
    .await;
    assert!(record.errors.is_empty(), "{record:#?}");
    let d = &record.dials[0];
    assert_eq!(
        (d.answered_by.as_deref(), d.status.as_str(), d.timeout_s),
        (Some(PHONE_B), "completed", 15)
    );
    assert_eq!(d.shown_caller_id, OUR_NUMBER);
    assert_eq!(d.whisper[0].text, "incident 7");
    assert!(record.said.is_empty(), "the caller does not hear the whisper");
    let w = record
        .requests
        .iter()
        .find(|r| r.url.ends_with("/w"))
        .expect("whisper fetched");
    assert_eq!(
        (param(&w.params, "Direction"), param(&w.params, "To")),
        (Some("outbound-dial"), Some(PHONE_B))
    );
    let after = record
        .requests
        .iter()
        .find(|r| r.url.ends_with("/after"))
        .expect("action");
    assert_eq!(param(&after.params, "DialCallStatus"), Some("completed"));
    assert_eq!(param(&after.params, "DialCallDuration"), Some("12"));

    fake.set_dial_answer(PHONE_B, DialAnswer::Busy);
    let record = call_app(
        &fake,
        &[
            ("/voice", 200, "text/xml", &dial),
            ("/after", 200, "text/xml", &doc("")),
        ],
        vec![],
    )
    .await;
    assert_eq!(record.dials[0].status, "no-answer");
}

#[tokio::test]
async fn what_twilio_cannot_run_ends_with_its_error_code() {
    let fake = start().await;
    let cases: Vec<(String, u16, &str, u32)> = vec![
        (String::new(), 500, "text/xml", 11200),
        (doc("<Say>x</Say>"), 200, "application/json", 12300),
        ("<Response><Say>x</Response>".into(), 200, "text/xml", 12100),
        ("<response><Hangup/></response>".into(), 200, "text/xml", 12102),
        (
            doc("<Say voice=\"Polly.Zhiyu\" language=\"zh-CN\">你好</Say>"),
            200,
            "text/xml",
            13520,
        ),
        (
            doc(&format!(
                "<Dial callerId=\"+19995550100\"><Number>{PHONE_A}</Number></Dial>"
            )),
            200,
            "text/xml",
            13214,
        ),
        (
            doc(&format!(
                "<Dial>{}</Dial>",
                format!("<Number>{PHONE_A}</Number>").repeat(11)
            )),
            200,
            "text/xml",
            13223,
        ),
    ];
    for (body, status, content_type, code) in cases {
        let record = call_app(&fake, &[("/voice", status, content_type, &body)], vec![]).await;
        assert_eq!(record.errors, vec![code], "{body}");
    }
    let unknown = fake.call(CallScript::new(CALLER, "+19995550100", vec![])).await;
    assert!(unknown.is_err(), "not one of our numbers");
}
