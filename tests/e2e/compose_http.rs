//! Updates that reach everyone in their language (issue 15 §6), without a browser: the composer
//! offers a field per language the audience reads and measures each whole message; the
//! confirmation page says, per language, how many read it, its size and the exact text; once
//! confirmed, a Spanish reader gets the Spanish version, an English one the English, and a
//! Korean reader without a version the English text after the Korean prefix. The JSON API takes
//! the same versions and refuses a wrong one naming its field.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use tocsin::domain::Role;

use crate::dashboard_http::{client, hidden, login, set_cookie};
use crate::helpers::{eventually, spawn_app, Backend, TestApp};
use crate::on_both_backends;

const ED: &str = "+13235550121";
const ANA: &str = "+13235550122";
const KIM: &str = "+13235550123";
const LAT: f64 = 34.0617;
const LON: f64 = -118.3005;
const WAIT: Duration = Duration::from_secs(15);

/// The last message each of Ed, Ana and Kim got.
fn last_bodies(app: &TestApp) -> [String; 3] {
    [ED, ANA, KIM].map(|to| {
        app.twilio
            .messages_to(to)
            .last()
            .map(|m| m.body.clone())
            .unwrap_or_default()
    })
}

async fn alerted_incident(app: &TestApp) -> i64 {
    app.volunteer("Ed", ED, "en", false, LAT, LON, 1000.0).await;
    app.volunteer("Ana", ANA, "es", false, LAT, LON, 1000.0).await;
    app.volunteer("Kim", KIM, "ko", false, LAT, LON, 1000.0).await;
    let (_, report) = app
        .post("/reports", json!({"text": "raid at 34.0617, -118.3005"}))
        .await;
    let id = report["incident_id"].as_i64().expect("incident");
    let (status, body) = app.post(&format!("/incidents/{id}/verify"), json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        eventually(WAIT, || async { app.twilio.messages().len() == 3 }).await,
        "the first alert reaches all three"
    );
    id
}

async fn an_update_reaches_each_volunteer_in_their_language(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = alerted_incident(&app).await;
    tocsin::accounts::add_user(app.core(), "maria", Role::Dispatcher, "correct horse battery")
        .await
        .expect("account");
    let http = client();
    let resp = login(&app, &http, "maria", "correct horse battery").await;
    let (session, _) = set_cookie(&resp, "tocsin_session").expect("session");
    let get = |path: String| {
        let (http, session) = (http.clone(), session.clone());
        async move {
            let resp = http
                .get(path)
                .header("cookie", &session)
                .send()
                .await
                .expect("page");
            resp.text().await.expect("html")
        }
    };

    // The composer: English, then Spanish and Korean (someone reads them), Chinese folded away.
    let read_by = "English 1, Español 1, 한국어 1";
    assert!(
        eventually(WAIT, || async {
            get(format!("{}/incidents/{id}", app.base))
                .await
                .contains(read_by)
        })
        .await,
        "the composer says who reads what"
    );
    let page = get(format!("{}/incidents/{id}", app.base)).await;
    let csrf = hidden(&page, "csrf");
    for field in [
        "id=\"update-text\"",
        "id=\"update-text-es\"",
        "id=\"update-text-ko\"",
    ] {
        assert!(page.contains(field), "{field}");
    }
    let rest = &page[page.find("id=\"update-more\"").expect("other languages folded")..];
    let zh = rest.find("id=\"update-text-zh\"").expect("a Chinese field");
    assert!(
        zh < rest.find("</details>").expect("the folded part ends"),
        "nobody reads Chinese: its field is in the folded part"
    );
    assert!(
        !rest.contains("id=\"update-text-es\""),
        "Spanish is not folded away"
    );
    let words: Value =
        serde_json::from_str(&get(format!("{}/incidents/{id}/headcount?action=update", app.base)).await)
            .expect("json");
    assert_eq!(words["audience"], read_by);

    // The live measure, per field, of the whole message (prefix and all).
    let preview = |fields: Vec<(&'static str, String)>| {
        let (http, session, url) = (
            http.clone(),
            session.clone(),
            format!("{}/incidents/{id}/update/preview", app.base),
        );
        async move {
            http.post(url)
                .header("cookie", &session)
                .form(&fields)
                .send()
                .await
                .expect("preview")
        }
    };
    let plain = preview(vec![
        ("csrf", csrf.clone()),
        ("action", "update".into()),
        ("text", "Regroup at the church".into()),
        ("text_es", "Reunanse en la iglesia".into()),
    ])
    .await;
    assert_eq!(plain.status(), StatusCode::OK);
    let plain: Value = plain.json().await.expect("json");
    assert_eq!(plain["fields"]["es"]["line"], "1 SMS segment · GSM-7", "{plain}");
    // Kim reads the English text after a Korean prefix: English's field says so.
    assert_eq!(
        plain["fields"]["en"]["line"],
        "1 SMS segment · UCS-2 (costs more) (as 한국어 readers get it)"
    );
    let emoji: Value = preview(vec![
        ("csrf", csrf.clone()),
        ("action", "update".into()),
        ("text", "Regroup".into()),
        ("text_es", "Reunanse 🙏".into()),
    ])
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(
        emoji["fields"]["es"]["line"],
        "1 SMS segment · UCS-2 (costs more)"
    );
    assert_eq!(emoji["fields"]["es"]["costly"], true);
    let forged = preview(vec![("csrf", "guess".into()), ("text", "x".into())]).await;
    assert_eq!(
        forged.status(),
        StatusCode::FORBIDDEN,
        "the preview needs the CSRF token"
    );

    // Without JavaScript: the confirmation page, per language; nothing sent.
    let act = |fields: Vec<(&'static str, String)>| {
        let (http, session, url) = (
            http.clone(),
            session.clone(),
            format!("{}/incidents/{id}/act", app.base),
        );
        async move {
            http.post(url)
                .header("cookie", &session)
                .form(&fields)
                .send()
                .await
                .expect("act")
        }
    };
    let fields = vec![
        ("csrf", csrf.clone()),
        ("action", "update".into()),
        ("text", "Regroup at the church".into()),
        ("text_es", "Reunanse en la iglesia".into()),
        ("text_ko", "".into()),
    ];
    let ask = act(fields.clone()).await;
    assert_eq!(ask.status(), StatusCode::OK);
    let html = ask.text().await.expect("html");
    for line in [
        "Text 3 people: 3 SMS, 0 Signal?".to_string(),
        read_by.to_string(),
        "English · 1 person · 1 SMS segment · GSM-7".into(),
        "Español · 1 person · 1 SMS segment · GSM-7 · their own version".into(),
        "한국어 · 1 person · 1 SMS segment · UCS-2 (costs more) · the English text".into(),
        format!("TOCSIN #{id} CONFIRMADO novedad: Reunanse en la iglesia (SI{id} NO{id} AQUI{id})"),
        "name=\"text_es\" value=\"Reunanse en la iglesia\"".into(),
    ] {
        assert!(html.contains(&line), "{line} in {html}");
    }
    assert!(
        !html.contains("name=\"text_ko\""),
        "an empty version is not posted again"
    );
    app.send_now().await;
    assert_eq!(app.twilio.messages().len(), 3, "nothing sent before confirming");

    let mut confirmed = fields.clone();
    confirmed.push(("confirm", "yes".into()));
    let done = act(confirmed).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert!(eventually(WAIT, || async { app.twilio.messages().len() == 6 }).await);
    let [ed, ana, kim] = last_bodies(&app);
    assert!(ed.contains("update: Regroup at the church"), "{ed}");
    assert!(ana.contains("novedad: Reunanse en la iglesia"), "{ana}");
    assert!(!ana.contains("Regroup"), "{ana}");
    assert!(kim.contains("새 소식: Regroup at the church"), "{kim}");

    // A correction: labelled in each reader's language.
    let done = act(vec![
        ("csrf", csrf.clone()),
        ("action", "correction".into()),
        ("text", "The school on 4th".into()),
        ("text_es", "La escuela en la 4".into()),
        ("confirm", "yes".into()),
    ])
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert!(eventually(WAIT, || async { app.twilio.messages().len() == 9 }).await);
    let [ed, ana, kim] = last_bodies(&app);
    assert!(ed.contains("update: Correction: The school on 4th"), "{ed}");
    assert!(ana.contains("novedad: Correccion: La escuela en la 4"), "{ana}");
    assert!(kim.contains("정정: The school on 4th"), "{kim}");
    // The page lists every version each update went out in, not one sample.
    let page = get(format!("{}/incidents/{id}", app.base)).await;
    for sent in [ed.as_str(), ana.as_str(), kim.as_str()] {
        assert!(
            page.contains(&format!("{sent} <span class=\"muted\">to 1</span>")),
            "{sent} in {page}"
        );
    }
    assert_eq!(
        app.twilio.messages_to(ANA).len(),
        3,
        "alert, update, correction: once each"
    );

    // Too long a version: refused naming it, nothing sent.
    let refused = act(vec![
        ("csrf", csrf.clone()),
        ("action", "update".into()),
        ("text", "ok".into()),
        ("text_es", "x".repeat(301)),
        ("confirm", "yes".into()),
    ])
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.expect("html").contains("texts.es"));
    app.stop().await;
}

on_both_backends!(an_update_reaches_each_volunteer_in_their_language);

async fn the_api_takes_a_version_per_language_and_names_a_wrong_one(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = alerted_incident(&app).await;
    let path = format!("/incidents/{id}/update");
    let long = "x".repeat(301);
    for (body, field) in [
        (json!({"text": "ok", "texts": {"fr": "bonjour"}}), "texts.fr"),
        (json!({"text": "ok", "texts": {"es": long}}), "texts.es"),
        (json!({"text": "ok", "texts": {"ko": 3}}), "texts.ko"),
        (json!({"text": "ok", "texts": {"en": "again"}}), "texts.en"),
        (json!({"text": "ok", "texts": ["es"]}), "texts"),
        (json!({"texts": {"es": "hola"}}), "text"),
        (json!({"text": "  "}), "text"),
        (json!({"text": long}), "text"),
    ] {
        let (status, answer) = app.post(&path, body.clone()).await;
        assert_eq!(
            (status, answer["field"].as_str()),
            (422, Some(field)),
            "{body}: {answer}"
        );
    }
    app.send_now().await;
    assert_eq!(app.twilio.messages().len(), 3, "nothing sent by a refused update");

    // `text` alone still works: everyone gets it, Ana after her Spanish prefix.
    let (status, answer) = app.post(&path, json!({"text": "Stay away from 3rd St"})).await;
    assert_eq!(status, 200, "{answer}");
    assert!(eventually(WAIT, || async { app.twilio.messages().len() == 6 }).await);
    let [ed, ana, _] = last_bodies(&app);
    assert!(ed.contains("update: Stay away from 3rd St"), "{ed}");
    assert!(ana.contains("novedad: Stay away from 3rd St"), "{ana}");

    let (status, answer) = app
        .post(
            &path,
            json!({"text": "Regroup at the church", "texts": {"es": "Reunanse en la iglesia", "zh": ""}}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert!(eventually(WAIT, || async { app.twilio.messages().len() == 9 }).await);
    let [ed, ana, kim] = last_bodies(&app);
    assert!(ed.contains("update: Regroup at the church"), "{ed}");
    assert!(ana.contains("novedad: Reunanse en la iglesia"), "{ana}");
    assert!(kim.contains("Regroup at the church"), "{kim}");
    app.stop().await;
}

on_both_backends!(the_api_takes_a_version_per_language_and_names_a_wrong_one);
