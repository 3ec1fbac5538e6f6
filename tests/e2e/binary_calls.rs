//! Issue 17 §2–§3 through the real binary, on SQLite and on PostgreSQL, against the fake
//! Twilio's Calls API: a volunteer with `call: always` is called after a confirmed alert's
//! text, in their language and with the zone only, presses 1 and is counted coming (the exact
//! place follows by text); an unanswered call is placed once more after `calls.retry_after_s`
//! and never a third time; `call: never` volunteers are not called; forged or altered answer
//! requests get 403 and count nothing; CALLS OFF by text turns calls off.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use tocsin_fakes::{sign, Pickup, PlacedCall};

use crate::binary_net::{serve, Net, WAIT};
use crate::helpers::{eventually, ACCOUNT_SID, AUTH_TOKEN, HOTLINE};

/// Spanish-speaking, called always, presses 1.
const CALLER: &str = "+13235550901";
/// Called always, never answers.
const SLEEPER: &str = "+13235550902";
/// Never called (the default).
const TEXTER: &str = "+13235550903";
/// A trusted volunteer far away, whose report is confirmed at once.
const REPORTER: &str = "+13235550904";
const POINT: (f64, f64) = (34.0633, -118.2846);

mod calls {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        crate::binary_run::on_backend(crate::helpers::Backend::Sqlite, super::scenario).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        crate::binary_run::on_backend(crate::helpers::Backend::Postgres, super::scenario).await
    }
}

/// The delivery id in a call's TwiML URL.
fn delivery_of(call: &PlacedCall) -> i64 {
    call.url
        .as_deref()
        .and_then(|u| u.split("delivery=").nth(1))
        .and_then(|d| d.parse().ok())
        .expect("the call's URL names its delivery")
}

async fn calls_to(net: &Net<'_>, to: &str, done: impl Fn(&[PlacedCall]) -> bool) -> Vec<PlacedCall> {
    let to = to.to_string();
    net.twilio
        .wait_for_calls(WAIT, |all| {
            let mine: Vec<PlacedCall> = all.iter().filter(|c| c.to == to).cloned().collect();
            done(&mine)
        })
        .await
        .into_iter()
        .filter(|c| c.to == to)
        .collect()
}

fn ended(calls: &[PlacedCall], n: usize) -> bool {
    calls.len() >= n
        && calls
            .iter()
            .all(|c| matches!(c.status.as_str(), "completed" | "no-answer" | "busy" | "failed"))
}

async fn scenario(pg_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut env = vec![
        ("TOCSIN_CALLS__RETRY_AFTER_S", "1"),
        ("TOCSIN_TWILIO__CPS", "5"),
        ("TOCSIN_DISPATCH__ESCALATE_AFTER_S", "3600"),
    ];
    if let Some(url) = &pg_url {
        env.push(("TOCSIN_DATABASE__URL", url.as_str()));
    }
    let (twilio, server) = serve(dir.path(), &env).await;
    twilio.script_calls(CALLER, &[Pickup::press("1")]);
    twilio.script_calls(SLEEPER, &[Pickup::NoAnswer]);
    let net = Net::of(&twilio, &server);

    // `call` is validated and named when wrong.
    let area = json!({"type": "circle", "lat": POINT.0, "lon": POINT.1, "radius_m": 500.0});
    let wrong = json!({"name": "W", "phone": "+13235550909", "area": area, "call": "sometimes"});
    let (status, body) = net.api(Method::POST, "/volunteers", Some(wrong)).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("call"), "{body}");
    let mut ids = Vec::new();
    for (name, phone, language, call) in [
        ("Caller", CALLER, "es", Some("always")),
        ("Sleeper", SLEEPER, "en", Some("always")),
        ("Texter", TEXTER, "en", None),
    ] {
        let mut body = json!({"name": name, "phone": phone, "language": language, "area": area});
        if let Some(call) = call {
            body["call"] = json!(call);
        }
        let (status, v) = net.api(Method::POST, "/volunteers", Some(body)).await;
        assert_eq!(status, 201, "{v}");
        assert_eq!(v["call"], call.unwrap_or("never"));
        ids.push(v["id"].as_i64().expect("id"));
    }
    let far = json!({"name": "R", "phone": REPORTER, "trusted": true,
        "area": {"type": "circle", "lat": 34.2, "lon": -118.5, "radius_m": 500.0}});
    let (status, v) = net.api(Method::POST, "/volunteers", Some(far)).await;
    assert_eq!(status, 201, "{v}");

    // A trusted volunteer's report is confirmed at once: texts, then calls.
    net.text(REPORTER, "ICE raid at 34.0633, -118.2846").await;
    let id = net.latest().await;
    let alert = net.sent_to(CALLER, &[&format!("#{id}")]).await;
    assert!(alert.contains("CONFIRMADO"), "{alert}");
    net.sent_to(TEXTER, &[&format!("#{id}")]).await;

    // The caller hears the alert in Spanish, zone only, presses 1: counted coming.
    let called = calls_to(&net, CALLER, |c| ended(c, 1)).await;
    assert_eq!(called.len(), 1, "{called:?}");
    let call = &called[0];
    assert_eq!(call.status, "completed");
    assert_eq!(call.from, HOTLINE);
    assert_eq!(call.pressed, ["1"]);
    assert!(call.errors.is_empty(), "{:?}", call.errors);
    let texted = twilio.messages_to(CALLER)[0].accepted_at;
    assert!(call.created_at >= texted, "the call follows the text");
    let heard = call.said.join(" | ");
    assert!(heard.contains(&format!("Alerta de Tocsin {id}")), "{heard}");
    assert!(heard.contains("Oprima 1 si va"), "{heard}");
    assert!(
        call.documents[0].contains("language=\"es-MX\""),
        "{}",
        call.documents[0]
    );
    let counted = eventually(WAIT, || async { net.counts(id).await.0 == 1 }).await;
    assert!(counted, "coming: {:?}", net.counts(id).await);
    // The exact place reaches the one coming by text, never in the call.
    net.sent_to(CALLER, &["maps.google.com/?q=34.06330,-118.28460"])
        .await;

    // The sleeper is called twice (the retry after 1 s), both unanswered, and never again.
    let missed = calls_to(&net, SLEEPER, |c| ended(c, 2)).await;
    assert_eq!(missed.len(), 2, "{missed:?}");
    assert!(missed.iter().all(|c| c.status == "no-answer"), "{missed:?}");
    let gap = missed[1].created_at.duration_since(missed[0].created_at);
    assert!(
        gap >= Duration::from_millis(900),
        "placed again after retry_after_s: {gap:?}"
    );
    // Well past another retry_after_s: no third call.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(twilio.calls_to(SLEEPER).len(), 2);

    // Never: texted, not called.
    assert!(twilio.calls_to(TEXTER).is_empty());
    assert_eq!(twilio.calls().len(), 3, "{:?}", twilio.calls());

    // No call's TwiML ever holds the exact place, nor a link to it.
    for c in twilio.calls() {
        for doc in &c.documents {
            for exact in ["34.0633", "-118.2846", "maps.google"] {
                assert!(!doc.contains(exact), "{exact} in {doc}");
            }
        }
    }

    // Forged answers for the sleeper's call count nothing: a wrong token, and a real
    // signature moved to another delivery's URL.
    let sleeper_delivery = delivery_of(&missed[0]);
    let http = reqwest::Client::new();
    let params = vec![
        ("AccountSid".to_string(), ACCOUNT_SID.to_string()),
        ("CallSid".to_string(), missed[0].sid.clone()),
        ("Digits".to_string(), "1".to_string()),
    ];
    let answer_url = |d: i64| format!("{}/webhooks/twilio/call/answer?delivery={d}", server.base);
    let caller_delivery = delivery_of(call);
    for (url, signature) in [
        (
            answer_url(sleeper_delivery),
            sign("not-the-token", &answer_url(sleeper_delivery), &params),
        ),
        (
            answer_url(sleeper_delivery),
            sign(AUTH_TOKEN, &answer_url(caller_delivery), &params),
        ),
    ] {
        let resp = http
            .post(&url)
            .header("X-Twilio-Signature", signature)
            .form(&params)
            .send()
            .await
            .expect("answered");
        assert_eq!(resp.status().as_u16(), 403);
    }
    let unsigned = http
        .post(answer_url(sleeper_delivery))
        .form(&params)
        .send()
        .await
        .expect("answered");
    assert_eq!(unsigned.status().as_u16(), 403);
    let twiml_url = format!(
        "{}/webhooks/twilio/call/twiml?delivery={sleeper_delivery}",
        server.base
    );
    let unsigned = http
        .post(&twiml_url)
        .form(&params)
        .send()
        .await
        .expect("answered");
    assert_eq!(unsigned.status().as_u16(), 403);
    assert_eq!(net.counts(id).await, (1, 0, 0), "only the caller's answer counts");

    // CALLS OFF by text: calls are off, confirmed in the volunteer's language.
    let reply = net.text(SLEEPER, "calls off").await;
    assert!(reply.contains("Calls are off"), "{reply}");
    let (_, list) = net.api(Method::GET, "/volunteers", None).await;
    let sleeper = list["volunteers"]
        .as_array()
        .and_then(|a| a.iter().find(|v| v["id"] == ids[1]).cloned())
        .expect("the sleeper");
    assert_eq!(sleeper["call"], "never");
    drop(server);
}

/// `tocsin volunteer add --call` and `tocsin volunteer call ID WHEN`, as an operator runs them.
#[test]
fn the_cli_sets_when_a_volunteer_is_called_and_refuses_anything_else() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        crate::binary::tocsin(dir.path(), None, 1)
            .args(args)
            .output()
            .unwrap()
    };
    let text = |out: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    crate::binary_run::migrated(dir.path(), &[]);
    let add = |call: &str| {
        run(&[
            "volunteer",
            "add",
            "--name",
            "Ann",
            "--phone",
            CALLER,
            "--lat",
            "34.06",
            "--lon",
            "-118.3",
            "--radius-m",
            "900",
            "--call",
            call,
        ])
    };
    let bad = add("sometimes");
    assert!(!bad.status.success());
    assert!(
        text(&bad).contains("--call: must be one of never, night, always"),
        "{}",
        text(&bad)
    );
    let added = add("night");
    assert!(added.status.success(), "{}", text(&added));
    let out = |o: std::process::Output| String::from_utf8_lossy(&o.stdout).to_string();
    let listed = out(run(&["volunteer", "list"]));
    assert!(listed.contains("sms+calls:night"), "{listed}");
    let set = run(&["volunteer", "call", "1", "always"]);
    assert!(set.status.success(), "{}", text(&set));
    assert_eq!(out(set).trim(), "volunteer 1: calls always");
    assert!(out(run(&["volunteer", "list"])).contains("sms+calls:always"));
    let never = run(&["volunteer", "call", "1", "never"]);
    assert!(never.status.success());
    assert!(!out(run(&["volunteer", "list"])).contains("calls:"));
    assert!(
        !run(&["volunteer", "call", "7", "night"]).status.success(),
        "no volunteer 7"
    );
    assert!(!run(&["volunteer", "call", "1", "loud"]).status.success());
}
