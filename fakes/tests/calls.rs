//! The Calls API of the fake: Twilio's validation codes, a 201 resource that starts `queued`,
//! dialling at the CPS rate (queued, never refused), the TwiML fetched signed when the call
//! connects, a scripted key press POSTed to the Gather's action, and signed status callbacks
//! with Twilio's parameters, in order, for no-answer and busy as well.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use common::*;
use tocsin_fakes::{sign, FakeTwilio, Pickup};

fn calls_url(fake: &FakeTwilio) -> String {
    format!("{}/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json", fake.base_url())
}

async fn call(fake: &FakeTwilio, form: &[(&str, &str)]) -> Answer {
    let response = client()
        .post(calls_url(fake))
        .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
        .form(form)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    Answer {
        status,
        content_type,
        text: response.text().await.expect("body"),
    }
}

/// One request the app got: path, parameters, whether its signature was valid.
type Seen = (String, Vec<(String, String)>, bool);

/// A TwiML app: `/twiml` asks for a key, `/answer` thanks for 1-3 and asks again otherwise;
/// records (path, params, signature valid) of every request.
#[derive(Clone, Default)]
struct App {
    seen: Arc<Mutex<Vec<Seen>>>,
    base: Arc<Mutex<String>>,
}

async fn serve(
    State(app): State<App>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> ([(&'static str, &'static str); 1], String) {
    let params: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let url = format!("{}{}", app.base.lock().unwrap(), uri);
    let valid = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|s| s == sign(AUTH_TOKEN, &url, &params));
    let digits = params.iter().find(|(k, _)| k == "Digits").map(|(_, v)| v.clone());
    app.seen
        .lock()
        .unwrap()
        .push((uri.path().to_owned(), params, valid));
    let gather = "<Gather numDigits=\"1\" action=\"/answer?d=7\"><Say language=\"en-US\">Raid &amp; more. Press 1.</Say></Gather><Say>Bye</Say>";
    let doc = match digits.as_deref() {
        Some("1" | "2" | "3") => "<Say>Thanks</Say><Hangup/>".to_owned(),
        _ => gather.to_owned(),
    };
    (
        [("content-type", "text/xml")],
        format!("<?xml version=\"1.0\"?><Response>{doc}</Response>"),
    )
}

async fn start_app() -> (App, String) {
    let app = App::default();
    let router = axum::Router::new().fallback(serve).with_state(app.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    *app.base.lock().unwrap() = base.clone();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (app, base)
}

fn statuses(requests: &[Captured]) -> Vec<String> {
    requests
        .iter()
        .map(|r| r.param("CallStatus").unwrap_or_default())
        .collect()
}

const ALL_EVENTS: &str = "initiated ringing answered completed";

#[tokio::test]
async fn calls_are_validated_with_twilios_codes() {
    let fake = start().await;
    call(&fake, &[("From", OUR_NUMBER), ("Url", "http://x.test/t")])
        .await
        .assert_error(400, 21201);
    call(&fake, &[("To", VOLUNTEER), ("Url", "http://x.test/t")])
        .await
        .assert_error(400, 21213);
    call(
        &fake,
        &[("To", "555"), ("From", OUR_NUMBER), ("Url", "http://x.test/t")],
    )
    .await
    .assert_error(400, 21217);
    call(
        &fake,
        &[
            ("To", VOLUNTEER),
            ("From", "+12135550999"),
            ("Url", "http://x.test/t"),
        ],
    )
    .await
    .assert_error(400, 21210);
    call(&fake, &[("To", VOLUNTEER), ("From", OUR_NUMBER)])
        .await
        .assert_error(400, 21205);
    let long = format!("<Response><Say>{}</Say></Response>", "a".repeat(4000));
    call(
        &fake,
        &[("To", VOLUNTEER), ("From", OUR_NUMBER), ("Twiml", &long)],
    )
    .await
    .assert_error(400, 21205);
    fake.script_calls(VOLUNTEER, &[Pickup::Reject(21216)]);
    call(
        &fake,
        &[
            ("To", VOLUNTEER),
            ("From", OUR_NUMBER),
            ("Url", "http://x.test/t"),
        ],
    )
    .await
    .assert_error(400, 21216);
    let unauthorised = client()
        .post(calls_url(&fake))
        .basic_auth(ACCOUNT_SID, Some("wrong"))
        .form(&[
            ("To", VOLUNTEER),
            ("From", OUR_NUMBER),
            ("Url", "http://x.test/t"),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(unauthorised.status().as_u16(), 401);
    assert!(fake.calls().is_empty(), "a refused call creates nothing");
}

#[tokio::test]
async fn an_answered_call_fetches_the_twiml_signed_and_posts_the_key_pressed_to_the_action() {
    let fake = start().await;
    let (app, base) = start_app().await;
    let receiver = Receiver::start(200).await;
    let status_url = format!("{}/status?d=7", receiver.base_url);
    fake.script_calls(VOLUNTEER, &[Pickup::Answer(vec!["9".into(), "1".into()])]);
    let created = call(
        &fake,
        &[
            ("To", VOLUNTEER),
            ("From", OUR_NUMBER),
            ("Url", &format!("{base}/twiml?d=7")),
            ("StatusCallback", &status_url),
            ("StatusCallbackEvent", ALL_EVENTS),
        ],
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let json = created.json();
    assert_eq!(json["status"], "queued");
    assert_eq!(json["direction"], "outbound-api");
    assert!(json["sid"]
        .as_str()
        .is_some_and(|s| s.starts_with("CA") && s.len() == 34));
    assert!(json["queue_time"].is_string());

    let callbacks = receiver.wait_for(4).await;
    assert_eq!(
        statuses(&callbacks),
        ["initiated", "ringing", "in-progress", "completed"]
    );
    for (i, c) in callbacks.iter().enumerate() {
        assert!(c.signature_valid(&status_url), "signed over the exact URL");
        assert_eq!(c.param("SequenceNumber"), Some(i.to_string()));
        assert_eq!(c.param("CallbackSource").as_deref(), Some("call-progress-events"));
        assert_eq!(c.param("Direction").as_deref(), Some("outbound-api"));
        assert_eq!(c.param("CallSid").as_deref(), json["sid"].as_str());
    }
    assert!(callbacks[3].param("CallDuration").is_some());

    let seen = app.seen.lock().unwrap().clone();
    let paths: Vec<&str> = seen.iter().map(|(p, _, _)| p.as_str()).collect();
    // Fetched on connect, then 9 (asked again), then 1.
    assert_eq!(paths, ["/twiml", "/answer", "/answer"]);
    assert!(seen.iter().all(|(_, _, valid)| *valid), "every request signed");
    let digits: Vec<Option<String>> = seen
        .iter()
        .map(|(_, p, _)| p.iter().find(|(k, _)| k == "Digits").map(|(_, v)| v.clone()))
        .collect();
    assert_eq!(digits, [None, Some("9".into()), Some("1".into())]);
    assert!(seen[0]
        .1
        .iter()
        .any(|(k, v)| k == "CallStatus" && v == "in-progress"));
    let placed = &fake.calls()[0];
    assert_eq!(placed.status, "completed");
    assert_eq!(placed.pressed, ["9", "1"]);
    assert_eq!(
        placed.said,
        ["Raid & more. Press 1.", "Raid & more. Press 1.", "Thanks"]
    );
}

#[tokio::test]
async fn no_answer_and_busy_end_the_call_without_fetching_anything() {
    let fake = start().await;
    let (app, base) = start_app().await;
    let receiver = Receiver::start(200).await;
    fake.script_calls(VOLUNTEER, &[Pickup::NoAnswer, Pickup::Busy]);
    for _ in 0..2 {
        let created = call(
            &fake,
            &[
                ("To", VOLUNTEER),
                ("From", OUR_NUMBER),
                ("Url", &format!("{base}/twiml")),
                ("StatusCallback", &format!("{}/status", receiver.base_url)),
            ],
        )
        .await;
        assert_eq!(created.status, 201);
    }
    // Only `completed` subscribed by default: one terminal callback per call.
    let callbacks = receiver.wait_for(2).await;
    let mut ends = statuses(&callbacks);
    ends.sort();
    assert_eq!(ends, ["busy", "no-answer"]);
    assert!(callbacks.iter().all(|c| c.param("SipResponseCode").is_some()));
    assert!(
        app.seen.lock().unwrap().is_empty(),
        "nobody answered: no TwiML fetched"
    );
}

#[tokio::test]
async fn calls_beyond_the_cps_are_queued_and_dialled_at_its_rate() {
    let fake = start().await;
    fake.set_cps(5.0);
    let twiml = "<Response><Hangup/></Response>";
    let mut queue_times = Vec::new();
    for _ in 0..4 {
        let created = call(
            &fake,
            &[("To", VOLUNTEER), ("From", OUR_NUMBER), ("Twiml", twiml)],
        )
        .await;
        assert_eq!(created.status, 201, "queued, not refused");
        queue_times.push(
            created.json()["queue_time"]
                .as_str()
                .unwrap_or("")
                .parse::<u64>()
                .unwrap_or(0),
        );
    }
    assert!(queue_times.windows(2).all(|w| w[1] > w[0]), "{queue_times:?}");
    let calls = fake
        .wait_for_calls(Duration::from_secs(5), |c| {
            c.iter().all(|c| c.status == "completed")
        })
        .await;
    let dialled: Vec<_> = calls.iter().filter_map(|c| c.dialed_at).collect();
    assert_eq!(dialled.len(), 4);
    for pair in dialled.windows(2) {
        let gap = pair[1].duration_since(pair[0]);
        assert!(gap >= Duration::from_millis(190), "5 calls per second: {gap:?}");
    }
}

#[tokio::test]
async fn a_queued_call_can_be_canceled_and_then_never_rings() {
    let fake = start().await;
    fake.set_cps(1.0);
    let twiml = "<Response><Hangup/></Response>";
    let _first = call(
        &fake,
        &[("To", VOLUNTEER), ("From", OUR_NUMBER), ("Twiml", twiml)],
    )
    .await;
    let second = call(
        &fake,
        &[("To", VOLUNTEER), ("From", OUR_NUMBER), ("Twiml", twiml)],
    )
    .await;
    let sid = second.json()["sid"].as_str().unwrap_or("").to_owned();
    let url = format!(
        "{}/2010-04-01/Accounts/{ACCOUNT_SID}/Calls/{sid}.json",
        fake.base_url()
    );
    let canceled = client()
        .post(&url)
        .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
        .form(&[("Status", "canceled")])
        .send()
        .await
        .expect("request");
    assert_eq!(canceled.status().as_u16(), 200);
    tokio::time::sleep(Duration::from_millis(1_300)).await;
    let fetched = get(&url).await;
    assert_eq!(fetched.json()["status"], "canceled");
    assert!(fake.calls()[1].dialed_at.is_none());
}
