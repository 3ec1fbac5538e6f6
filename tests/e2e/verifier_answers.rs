//! Verifiers decide only on purpose (issue 11): only CONFIRM and NOTHING (and their
//! translations) decide; anything else a verifier sends while asked to check is kept, shown to
//! the dispatcher and answered with the two choices; `not_found` takes NOTHING from two
//! verifiers (or every verifier asked); and a dispatcher's decision wins.

use reqwest::redirect::Policy;
use serde_json::{json, Value};
use tocsin::domain::Role;
use tocsin_fakes::Signing;

use crate::helpers::{eventually, spawn_app, spawn_app_with, Backend, TestApp, HOTLINE};
use crate::on_both_backends;

const LAT: f64 = 34.0617;
const LON: f64 = -118.3005;
const SIGHTING: &str = "ICE raid at 34.0617, -118.3005";
const STRANGERS: [&str; 3] = ["+13235550291", "+13235550292", "+13235550293"];
/// Verifiers 1, 1.5 and 2 km north: within reach, their home circles far from the point.
const V: [&str; 3] = ["+13235550241", "+13235550242", "+13235550243"];
const RESIDENT: &str = "+13235550245";
const WAIT: std::time::Duration = std::time::Duration::from_secs(15);

async fn verifier(app: &TestApp, i: usize, language: &str) -> i64 {
    let north_m = 1000.0 + 500.0 * i as f64;
    let (status, body) = app
        .post(
            "/volunteers",
            json!({"name": format!("Verifier {i}"), "phone": V[i], "language": language, "roles": ["verifier"],
                   "area": {"type": "circle", "lat": LAT + north_m / 111_195.0, "lon": LON, "radius_m": 300}}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().expect("id")
}

/// Someone reports the sighting and the `n`-th request to check has gone out.
async fn reported(app: &TestApp, who: usize, checks: usize) -> i64 {
    app.text(STRANGERS[who], SIGHTING).await;
    let sent = app.twilio.wait_for_messages(checks, WAIT).await;
    assert_eq!(sent.len(), checks, "requests to check: {sent:?}");
    app.latest_incident_id().await
}

fn lines(view: &Value) -> Vec<String> {
    view["history"]
        .as_array()
        .map(|h| {
            h.iter()
                .map(|t| {
                    format!(
                        "{} <- {}",
                        t["to"].as_str().unwrap_or(""),
                        t["cause"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn answers(view: &Value) -> Vec<(i64, String, String)> {
    view["verifier_answers"]
        .as_array()
        .expect("verifier_answers")
        .iter()
        .map(|a| {
            (
                a["volunteer_id"].as_i64().unwrap_or(0),
                a["kind"].as_str().unwrap_or("").to_string(),
                a["text"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// A dispatcher's dashboard session: (http client, session cookie).
async fn dispatcher(app: &TestApp) -> (reqwest::Client, String) {
    tocsin::accounts::add_user(app.core(), "maria", Role::Dispatcher, "correct horse battery")
        .await
        .expect("user added");
    let http = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("client");
    let form = http
        .get(format!("{}/login", app.base))
        .send()
        .await
        .expect("login form");
    let cookie = |resp: &reqwest::Response, name: &str| {
        resp.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .and_then(|v| v.split(';').next())
            .map(str::to_string)
            .expect("cookie")
    };
    let csrf = hidden(&form.text().await.expect("html"), "csrf");
    let resp = http
        .post(format!("{}/login", app.base))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "maria"),
            ("password", "correct horse battery"),
        ])
        .send()
        .await
        .expect("logged in");
    let session = cookie(&resp, "tocsin_session");
    (http, session)
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .map(|i| i + marker.len())
        .expect("hidden field");
    html[start..].split('"').next().unwrap_or("").to_string()
}

async fn page(app: &TestApp, http: &reqwest::Client, session: &str, path: &str) -> String {
    let resp = http
        .get(format!("{}{path}", app.base))
        .header("cookie", session)
        .send()
        .await
        .expect("page");
    assert_eq!(resp.status(), 200, "{path}");
    resp.text().await.expect("html")
}

async fn yes_no_ok_or_a_question_from_a_verifier_changes_nothing_and_is_shown(backend: Backend) {
    let app = spawn_app(backend).await;
    let ids = [
        verifier(&app, 0, "en").await,
        verifier(&app, 1, "ko").await,
        verifier(&app, 2, "es").await,
    ];
    app.volunteer("Res", RESIDENT, "en", false, LAT, LON, 1500.0)
        .await;
    let id = reported(&app, 0, 3).await;

    let said = [
        (0, "yes"),
        (0, "no"),
        (0, "ok"),
        (0, "Is it the <b>blue</b> door?"),
        (2, "si"),
        (2, "¡Voy!"),
        (2, "no"),
        (1, "네"),
    ];
    for (who, text) in said {
        let reply = app.text(V[who], text).await.body;
        let choices = match who {
            0 => [
                "reply CONFIRM if you see it, NOTHING if not",
                "Passed on to the dispatcher",
            ],
            1 => ["CONFIRM(있음)", "NOTHING(없음)"],
            _ => ["responde CONFIRMAR si lo ves, NADA si no", "Pasamos tu mensaje"],
        };
        assert!(choices.iter().all(|c| reply.contains(c)), "{text}: {reply}");
        assert!(reply.contains(&format!("#{id}")), "{reply}");
    }
    app.dispatch_now().await;
    let view = app.incident(id).await;
    assert_eq!(view["status"], "verifying", "nothing decided: {view}");
    assert_eq!(view["counts"]["targeted"], 0, "nobody called");
    assert!(
        app.twilio.messages_to(RESIDENT).is_empty(),
        "the area is not alerted"
    );
    let expected: Vec<(i64, String, String)> = said
        .iter()
        .map(|(who, text)| (ids[*who], "other".to_string(), text.to_string()))
        .collect();
    assert_eq!(
        answers(&view),
        expected,
        "every answer kept, in order, for the dispatcher"
    );
    let history = lines(&view);
    let noted = history
        .iter()
        .filter(|l| l.contains("answered without deciding"))
        .count();
    assert_eq!(noted, said.len(), "{history:?}");
    assert!(
        !history.iter().any(|l| l.contains("door")),
        "no message text in the history: {history:?}"
    );

    // A verifier's message that is a sighting in itself goes on as a report too.
    let reply = app
        .text(V[0], "Agents at 34.0617, -118.3005 in plain clothes, no vans")
        .await
        .body;
    assert!(reply.contains("CONFIRM"), "{reply}");
    let (_, list) = app.get("/incidents").await;
    assert_eq!(
        list["incidents"].as_array().map(Vec::len),
        Some(2),
        "a report of its own: {list}"
    );
    let view = app.incident(id).await;
    assert_eq!(
        (view["status"].as_str(), answers(&view).len()),
        (Some("verifying"), said.len() + 1)
    );

    // The dispatcher reads them on the incident's page, escaped.
    let (http, session) = dispatcher(&app).await;
    let html = page(&app, &http, &session, &format!("/incidents/{id}")).await;
    let shown = html
        .find("Is it the")
        .map(|i| html[i..].chars().take(60).collect::<String>());
    assert_eq!(
        shown
            .as_deref()
            .map(|s| s.starts_with("Is it the &#60;b&#62;blue&#60;/b&#62; door?")),
        Some(true),
        "shown, escaped: {shown:?}"
    );
    assert!(!html.contains("<b>blue</b>"), "never rendered as markup");
    assert!(html.contains("decides nothing"));
    app.stop().await;
}
on_both_backends!(yes_no_ok_or_a_question_from_a_verifier_changes_nothing_and_is_shown);

async fn one_nothing_is_shown_two_close_and_a_dispatcher_still_confirms(backend: Backend) {
    let app = spawn_app(backend).await;
    let ids = [
        verifier(&app, 0, "en").await,
        verifier(&app, 1, "es").await,
        verifier(&app, 2, "en").await,
    ];
    app.volunteer("Res", RESIDENT, "en", false, LAT, LON, 1500.0)
        .await;
    let id = reported(&app, 0, 3).await;

    let mut sids = Vec::new();
    for text in ["NOTHING", "nothing."] {
        let reply = app.text(V[0], text).await;
        assert!(reply.body.contains("Waiting for another check"), "{}", reply.body);
        let view = app.incident(id).await;
        assert_eq!(
            view["status"], "verifying",
            "one verifier's NOTHING closes nothing"
        );
        sids.push(reply.message_sid);
    }
    // Twilio redelivers the first: nothing is kept or said twice.
    let again = app
        .twilio
        .send_inbound_sms_with_sid(&app.sms_url(), V[0], HOTLINE, "NOTHING", &sids[0], Signing::Valid)
        .await
        .expect("webhook answered");
    assert!(!again.body.contains("Waiting"), "{}", again.body);
    let history = lines(&app.incident(id).await);
    assert!(
        history.contains(&format!(
            "verifying <- NOTHING from verifier (volunteer #{}): 1 of 2",
            ids[0]
        )),
        "{history:?}"
    );
    let reply = app.text(V[1], "¡Nada!").await.body;
    assert!(reply.contains("no encontrado"), "{reply}");
    let view = app.incident(id).await;
    assert_eq!(
        (view["status"].as_str(), &view["counts"]["targeted"]),
        (Some("not_found"), &json!(0))
    );
    let reply = app.text(V[2], "CONFIRM").await.body;
    assert!(reply.contains("decided already"), "{reply}");
    let view = app.incident(id).await;
    assert_eq!(view["status"], "not_found", "verifiers do not reopen it");
    let kinds: Vec<String> = answers(&view).into_iter().map(|(_, kind, _)| kind).collect();
    assert_eq!(kinds, ["nothing", "nothing", "nothing", "confirm"]);
    assert!(
        lines(&view).contains(&format!(
            "not_found <- CONFIRM from verifier (volunteer #{}) after the decision",
            ids[2]
        )),
        "{view}"
    );

    // The dispatcher decides otherwise: confirmed, and the area is called.
    let (http, session) = dispatcher(&app).await;
    let html = page(&app, &http, &session, &format!("/incidents/{id}")).await;
    assert!(
        html.contains("id=\"verify\""),
        "a not found incident can be confirmed"
    );
    let resp = http
        .post(format!("{}/incidents/{id}/act", app.base))
        .header("cookie", &session)
        .form(&[
            ("csrf", hidden(&html, "csrf").as_str()),
            ("action", "verify"),
            ("confirm", "yes"),
        ])
        .send()
        .await
        .expect("act");
    assert_eq!(resp.status(), 303);
    let view = app.incident(id).await;
    assert_eq!(
        (view["status"].as_str(), view["confirmed_by"].as_str()),
        (Some("confirmed"), Some("dispatcher"))
    );
    assert!(
        lines(&view).contains(&"confirmed <- dispatcher maria, over not found".to_string()),
        "{view}"
    );
    assert!(
        eventually(WAIT, || async { !app.twilio.messages_to(RESIDENT).is_empty() }).await,
        "the resident is alerted"
    );
    let alert = &app.twilio.messages_to(RESIDENT)[0].body;
    assert!(alert.starts_with(&format!("TOCSIN #{id} CONFIRMED:")), "{alert}");
    app.stop().await;
}
on_both_backends!(one_nothing_is_shown_two_close_and_a_dispatcher_still_confirms);

async fn with_one_verifier_asked_one_nothing_closes_and_the_api_can_confirm_it(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.dispatch.verifiers = 1).await;
    verifier(&app, 0, "en").await;
    verifier(&app, 1, "en").await;
    let id = reported(&app, 0, 1).await;
    let reply = app.text(V[0], "Nothing").await.body;
    assert!(reply.contains("not found"), "{reply}");
    assert_eq!(app.incident(id).await["status"], "not_found");
    let (status, body) = app.post(&format!("/incidents/{id}/confirm"), json!({})).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("confirmed")),
        "{body}"
    );
    let (status, body) = app.post(&format!("/incidents/{id}/confirm"), json!({})).await;
    assert_eq!(status, 409, "confirmed once: {body}");
    app.stop().await;
}
on_both_backends!(with_one_verifier_asked_one_nothing_closes_and_the_api_can_confirm_it);

async fn korean_and_chinese_verifiers_decide_in_their_own_words(backend: Backend) {
    let app = spawn_app(backend).await;
    verifier(&app, 0, "ko").await;
    verifier(&app, 1, "zh").await;
    let first = reported(&app, 0, 2).await;
    let reply = app.text(V[0], "없음").await.body;
    assert!(reply.contains("다른 확인을 기다립니다"), "{reply}");
    assert_eq!(app.incident(first).await["status"], "verifying");
    let reply = app.text(V[1], "没发现。").await.body;
    assert!(reply.contains("未发现"), "{reply}");
    assert_eq!(app.incident(first).await["status"], "not_found");

    let second = reported(&app, 1, 4).await;
    let reply = app.text(V[1], "确认").await.body;
    assert!(reply.contains("已确认"), "{reply}");
    assert_eq!(app.incident(second).await["status"], "confirmed");

    // With the incident's number, the answer goes to that one, not to the latest request.
    let third = reported(&app, 2, 6).await;
    let reply = app.text(V[0], &format!("확인됨 #{first}")).await.body;
    assert!(reply.contains("이미 결정"), "{reply}");
    assert_eq!(app.incident(third).await["status"], "verifying");
    let reply = app.text(V[0], &format!("있음 {third}")).await.body;
    assert!(reply.contains("확인됨"), "{reply}");
    assert_eq!(app.incident(third).await["status"], "confirmed");
    assert_eq!(app.incident(first).await["status"], "not_found");
    app.stop().await;
}
on_both_backends!(korean_and_chinese_verifiers_decide_in_their_own_words);
