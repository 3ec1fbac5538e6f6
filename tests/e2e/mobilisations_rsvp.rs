//! Issue 18 §2–3 at the boundary, on both backends: an answer naming a mobilisation counts only
//! from someone it invited (a volunteer it did not invite, or a stranger, changes nothing); the
//! latest answer counts; a change names the wrong field, and only a planned one changes; its
//! area is alerted only once it is live; a cancelled one stays cancelled; and the dispatcher's
//! Planned page shows the answers.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tocsin::domain::Role;

use crate::answers::with_zones;
use crate::helpers::{eventually, Backend, TestApp};
use crate::on_both_backends;
use crate::signed_in::SignedIn;

const INVITED: &str = "+13235550931";
const OUTSIDE: &str = "+13235550932";
const STRANGER: &str = "+13235550933";

fn next_week() -> String {
    let at = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 7);
    format!("{}T07:30", at.strftime("%Y-%m-%d"))
}

async fn answers(app: &TestApp, id: i64) -> Value {
    let (status, m) = app.get(&format!("/mobilisations/{id}")).await;
    assert_eq!(status, 200, "{m}");
    m["answers"].clone()
}

fn said(reply: &tocsin_fakes::InboundReply) -> String {
    crate::senders::said(&reply.body).unwrap_or_default().to_string()
}

async fn only_those_invited_answer(backend: Backend) {
    let app = with_zones(backend).await;
    app.volunteer("In", INVITED, "en", false, 34.0617, -118.3005, 300.0)
        .await;
    app.volunteer("Out", OUTSIDE, "en", false, 34.2, -118.6, 300.0)
        .await;
    let plan = json!({"kind": "eviction", "starts_at": next_week(), "place": "34.0617, -118.3005",
        "text": "Lockout at 7:30. Bring water.", "wanted": 15, "audience": {"radius_m": 500}});
    let (status, m) = app.post("/mobilisations", plan).await;
    assert_eq!(status, 201, "{m}");
    let (id, code) = (m["id"].as_i64().unwrap(), m["code"].as_i64().unwrap());
    let invited = eventually(Duration::from_secs(15), || async {
        app.twilio
            .messages_to(INVITED)
            .iter()
            .any(|s| s.body.contains(&format!("YES{code}")))
    })
    .await;
    assert!(invited, "{:?}", app.twilio.messages_to(INVITED));
    assert!(
        app.twilio.messages_to(OUTSIDE).is_empty(),
        "only the circle is invited"
    );

    // Not invited: told so, nothing counted. A stranger's YES is not an answer either.
    let reply = said(&app.text(OUTSIDE, &format!("YES{code}")).await);
    assert!(
        reply.contains(&format!("#{code}")) || reply.contains("no open"),
        "{reply}"
    );
    app.text(STRANGER, &format!("YES{code}")).await;
    let a = answers(&app, id).await;
    assert_eq!(
        (a["yes"].as_i64(), a["invited"].as_i64()),
        (Some(0), Some(1)),
        "{a}"
    );

    // The latest answer counts: maybe, then yes (the place told only then).
    let maybe = said(&app.text(INVITED, &format!("maybe {code}")).await);
    assert!(!maybe.contains("34.06"), "{maybe}");
    assert_eq!(answers(&app, id).await["maybe"], 1);
    let yes = said(&app.text(INVITED, &format!("yes{code}")).await);
    assert!(yes.contains("34.06"), "{yes}");
    let a = answers(&app, id).await;
    assert_eq!(
        (a["yes"].as_i64(), a["maybe"].as_i64(), a["no_answer"].as_i64()),
        (Some(1), Some(0), Some(0))
    );

    // Changes: each wrong field named; nothing but a planned one changes.
    let path = format!("/mobilisations/{id}");
    for (body, field) in [
        (json!({"starts_at": "2020-01-01T07:30"}), "starts_at"),
        (json!({"wanted": 0}), "wanted"),
        (json!({"place": "nowhere at all"}), "place"),
        (json!({"audience": {"radius_m": 900}}), "audience"),
        (json!({}), "body"),
        (json!([1]), "body"),
    ] {
        let (status, e) = app.api(Method::PATCH, &path, Some(body.clone())).await;
        assert_eq!((status, e["field"].as_str()), (422, Some(field)), "{body}: {e}");
    }
    let (status, m) = app.api(Method::PATCH, &path, Some(json!({"wanted": 20}))).await;
    assert_eq!((status, m["wanted"].as_i64()), (200, Some(20)), "{m}");
    let (status, _) = app
        .post(&format!("/mobilisations/{id}/alert-area"), json!({}))
        .await;
    assert_eq!(status, 409, "a planned one's area is not alerted");

    // The dispatcher's page shows the answers.
    let maria = SignedIn::as_role(&app, "maria", Role::Dispatcher).await;
    let (status, html) = maria.page("/mobilisations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("#{code}")), "{html}");
    assert!(
        html.contains("<b>1</b> of 20 yes · 0 maybe · 0 no · 0 no answer"),
        "{html}"
    );

    // Cancelled: the one invited stands down; it does not change or answer any more.
    let (status, _) = app.post(&format!("/mobilisations/{id}/cancel"), json!({})).await;
    assert_eq!(status, 200);
    let stood_down = eventually(Duration::from_secs(15), || async {
        app.twilio
            .messages_to(INVITED)
            .iter()
            .any(|s| s.body.contains("CANCELLED"))
    })
    .await;
    assert!(stood_down, "{:?}", app.twilio.messages_to(INVITED));
    let (status, _) = app.api(Method::PATCH, &path, Some(json!({"wanted": 5}))).await;
    assert_eq!(status, 409);
    let late = said(&app.text(INVITED, &format!("NO{code}")).await);
    assert!(!late.contains("Thanks"), "{late}");
    assert_eq!(answers(&app, id).await["no"], 0);
}

on_both_backends!(only_those_invited_answer);

/// Its morning: the incident it becomes has no report, and still shows on the dispatcher's
/// incident page and in the API; the one who said yes is told to check in, with the place.
async fn the_morning_is_an_incident_page(backend: Backend) {
    let app = with_zones(backend).await;
    app.volunteer("In", INVITED, "en", false, 34.0617, -118.3005, 300.0)
        .await;
    let starts = (jiff::Timestamp::now() + jiff::SignedDuration::from_secs(4)).to_string();
    let plan = json!({"kind": "lockout", "starts_at": starts, "place": "34.0617, -118.3005",
        "text": "Lockout <b>now</b>", "wanted": 2, "audience": {"radius_m": 500}});
    let (status, m) = app.post("/mobilisations", plan).await;
    assert_eq!(status, 201, "{m}");
    let (id, code) = (m["id"].as_i64().unwrap(), m["code"].as_i64().unwrap());
    let invited = eventually(Duration::from_secs(15), || async {
        answers(&app, id).await["invited"] == 1
    })
    .await;
    assert!(invited, "{:?}", app.twilio.messages_to(INVITED));
    app.text(INVITED, &format!("YES{code}")).await;
    let live = eventually(Duration::from_secs(20), || async {
        app.twilio
            .messages_to(INVITED)
            .iter()
            .any(|s| s.body.contains(&format!("HERE{code}")))
    })
    .await;
    assert!(live, "{:?}", app.twilio.messages_to(INVITED));
    let now = app
        .twilio
        .messages_to(INVITED)
        .into_iter()
        .find(|s| s.body.contains(&format!("HERE{code}")));
    assert!(
        now.is_some_and(|s| s.body.contains("34.06")),
        "the place on the morning"
    );
    let incident = app.incident(code).await;
    assert_eq!(incident["status"], "confirmed", "{incident}");
    assert_eq!(app.get(&format!("/mobilisations/{id}")).await.1["status"], "live");

    let maria = SignedIn::as_role(&app, "maria", Role::Dispatcher).await;
    let (status, html) = maria.page(&format!("/incidents/{code}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("#{code}")), "{html}");
    let (_, planned) = maria.page("/mobilisations").await;
    assert!(
        planned.contains(&format!("alert-area-{id}")),
        "a live one's area can be alerted"
    );
    assert!(!planned.contains("<b>now</b>"), "escaped");
}

on_both_backends!(the_morning_is_an_incident_page);

/// A hearing and a lockout planned six days ahead around Koreatown (1500 m), and the lockout
/// answered yes, maybe (in Spanish) and no by these three, once its invitations went out: what
/// the Planned page's screenshots show.
/// Returns the lockout's id.
pub(crate) async fn planned_and_answered(app: &TestApp, phones: [&str; 3]) -> i64 {
    let day = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 6)).strftime("%Y-%m-%d");
    let mut codes = Vec::new();
    for (kind, time, place, text) in [
        (
            "hearing",
            "08:30",
            "Vermont and 3rd",
            "Dept 94, room 2. Wear a shirt, bring ID.",
        ),
        (
            "lockout",
            "06:00",
            "34.0633, -118.2846",
            "Sheriff lockout at dawn: stand at the door, film, stay calm.",
        ),
    ] {
        let (status, m) = app
            .post(
                "/mobilisations",
                json!({"kind": kind, "starts_at": format!("{day}T{time}"), "place": place, "text": text,
                       "wanted": 12, "audience": {"radius_m": 1500}}),
            )
            .await;
        assert_eq!(status, 201, "{m}");
        codes.push((
            m["code"].as_i64().expect("its number"),
            m["id"].as_i64().expect("id"),
        ));
    }
    // Answers to the lockout, once its invitations have gone out.
    let (lockout, lockout_id) = codes[1];
    let invited = crate::helpers::eventually(std::time::Duration::from_secs(15), || async {
        let (_, m) = app.get(&format!("/mobilisations/{lockout_id}")).await;
        m["answers"]["invited"].as_i64() >= Some(3)
    })
    .await;
    assert!(invited, "the lockout's invitations went out");
    for (phone, answer) in phones.into_iter().zip(["YES", "QUIZAS", "NO"]) {
        app.text(phone, &format!("{answer}{lockout}")).await;
    }
    lockout_id
}
