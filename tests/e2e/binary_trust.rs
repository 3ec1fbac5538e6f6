//! Issue 11 through the real `tocsin serve`, configured by environment, on SQLite and on
//! PostgreSQL: a verifier's plain "yes" or "si" decides nothing (one NOTHING neither), CONFIRM
//! does; a short code and an alphanumeric sender are limited and blockable like numbers; a joiner
//! is pending and alerted only once approved; a `read` token cannot list volunteers and a
//! `dispatch` token sees only last digits; a 2,000-character SMS is kept cut at 1,600; BAJA stops
//! in Spanish and ALTA restarts; and (SQLite) names are sealed in the running database's files
//! and a removed volunteer leaves none of their bytes there.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use tocsin_fakes::{FakeTwilio, FakeTwilioConfig};

use crate::binary::{start_with, Server};
use crate::helpers::{eventually, Backend, ACCOUNT_SID, API_TOKEN, AUTH_TOKEN, HOTLINE};
use crate::senders::said;

mod steps;
mod support;

use support::Net;

const WAIT: Duration = Duration::from_secs(15);
const LAT: f64 = 34.0617;
const LON: f64 = -118.3005;
const SIGHTING: &str = "ICE raid at 34.0617, -118.3005";
/// Far from every volunteer and every verifier: reports there ask nobody.
const FAR: &str = "34.5017, -117.9005";
const STRANGER: &str = "+13235550301";
const ROSA: &str = "+13235550302";
const V_EN: &str = "+13235550303";
const V_ES: &str = "+13235550304";
const ANN: &str = "+13235550305";
const LUPE: &str = "+13235550306";
const GONE: &str = "+13235550307";
const JOINER: &str = "+13235550308";
/// (name, number, language, role, trusted, home circle: lat, lon, radius).
type Member = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    f64,
    f64,
    f64,
);

/// The verifiers live 1 and 1.5 km north (their circles miss the sightings' point), Rosa and
/// Wenceslas farther.
#[rustfmt::skip]
const ROSTER: [Member; 6] = [
    (
        "Rosalind Quintero-Baptiste",
        ROSA,
        "en",
        "",
        true,
        34.3,
        LON,
        500.0,
    ),
    (
        "Evangelina Thistlewood",
        V_EN,
        "en",
        "verifier",
        false,
        34.0707,
        LON,
        300.0,
    ),
    (
        "Maximiliano Verdugo-Esquivel",
        V_ES,
        "es",
        "verifier",
        false,
        34.0752,
        LON,
        300.0,
    ),
    (
        "Annabella Fairweather-Nkemelu",
        ANN,
        "en",
        "",
        false,
        LAT,
        LON,
        1500.0,
    ),
    (
        "Guadalupe Ixchel Montealegre",
        LUPE,
        "es",
        "",
        false,
        LAT,
        LON,
        1500.0,
    ),
    (
        "Wenceslas Abernathy-Okafor",
        GONE,
        "en",
        "",
        false,
        34.04321,
        -118.27654,
        300.0,
    ),
];

async fn trust(backend: Backend) {
    crate::binary_run::on_backend(backend, scenario).await;
}

mod trust {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        super::trust(crate::helpers::Backend::Sqlite).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        super::trust(crate::helpers::Backend::Postgres).await
    }
}

/// `pg_url`: the PostgreSQL database to run on; None: SQLite in the data dir.
async fn scenario(pg_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let twilio = FakeTwilio::start(FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE]))
        .await
        .unwrap();
    let mut env = vec![
        ("TOCSIN_DISPATCH__MERGE_M", "0"),
        ("TOCSIN_INTAKE__MAX_REPORTS_PER_NUMBER_PER_HOUR", "3"),
    ];
    if let Some(url) = &pg_url {
        env.push(("TOCSIN_DATABASE__URL", url.as_str()));
    }
    let mut server: Server = start_with(dir.path(), Some(&twilio), &env).await;
    let net = Net {
        twilio: &twilio,
        base: server.base.clone(),
        http: reqwest::Client::new(),
    };
    let mut ids = Vec::new();
    for (name, phone, language, role, trusted, lat, lon, radius_m) in ROSTER {
        let body = json!({"name": name, "phone": phone, "language": language, "trusted": trusted,
            "roles": if role.is_empty() { json!([]) } else { json!([role]) },
            "area": {"type": "circle", "lat": lat, "lon": lon, "radius_m": radius_m}});
        let (status, v) = net.api(API_TOKEN, Method::POST, "/volunteers", Some(body)).await;
        assert_eq!(status, 201, "{v}");
        ids.push(v["id"].as_i64().expect("id"));
    }
    let [_, v_en, v_es, ann, lupe, gone] = ids[..] else {
        unreachable!()
    };

    // 11. BAJA stops like STOP and is answered in Spanish.
    let reply = net.text(LUPE, "BAJA").await;
    let stopped = said(&reply.body).unwrap_or_default();
    assert!(
        stopped.contains("No recibiras") && stopped.contains("ALTA"),
        "{}",
        reply.body
    );
    assert_eq!(net.get(&format!("/volunteers/{lupe}")).await["opted_out"], true);

    // 3. A completed JOIN (join.approval = dispatcher, the default) makes a pending volunteer.
    net.text(JOINER, "JOIN").await;
    net.text(JOINER, "1").await;
    let reply = net.text(JOINER, &format!("{LAT}, {LON}")).await;
    assert!(reply.body.contains("YES"), "asks to confirm: {}", reply.body);
    let done = net.text(JOINER, "YES").await.body;
    assert!(
        done.contains("coordinator will approve you"),
        "told they wait: {done}"
    );
    let list = net.get("/volunteers").await;
    let joiner = list["volunteers"]
        .as_array()
        .and_then(|l| l.iter().find(|v| v["phone_last4"] == JOINER[8..]).cloned())
        .expect("the joiner is listed");
    assert_eq!(joiner["status"], "pending", "{joiner}");
    let joiner = joiner["id"].as_i64().expect("id");

    // 1. A stranger's sighting goes to the two verifiers first.
    net.text(STRANGER, SIGHTING).await;
    let asked = eventually(WAIT, || async {
        [V_EN, V_ES].iter().all(|v| twilio.messages_to(v).len() == 1)
    })
    .await;
    assert!(asked, "both verifiers asked: {:?}", twilio.messages());
    let id = net.get("/incidents").await["incidents"][0]["id"]
        .as_i64()
        .expect("incident");
    // A plain yes / si is kept, shown, answered with one short message of the two choices.
    for (from, word, choices) in [
        (V_EN, "yes", "reply CONFIRM if you see it, NOTHING if not"),
        (V_ES, "si", "responde CONFIRMAR si lo ves, NADA si no"),
    ] {
        let reply = net.text(from, word).await;
        let text = said(&reply.body).unwrap_or_default();
        assert!(
            text.contains(choices) && text.contains(&format!("#{id}")),
            "{word}: {}",
            reply.body
        );
        assert_eq!(
            reply.body.matches("<Message>").count(),
            1,
            "one message: {}",
            reply.body
        );
        assert!(text.chars().count() <= 160, "short (one SMS): {text}");
    }
    let view = net.get(&format!("/incidents/{id}")).await;
    assert_eq!(view["status"], "verifying", "yes and si decide nothing: {view}");
    let kept: Vec<(i64, &str, &str)> = view["verifier_answers"]
        .as_array()
        .expect("verifier_answers")
        .iter()
        .map(|a| {
            (
                a["volunteer_id"].as_i64().unwrap_or(0),
                a["kind"].as_str().unwrap_or(""),
                a["text"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(kept, [(v_en, "other", "yes"), (v_es, "other", "si")], "{view}");
    let noted = view["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter(|h| {
            h["cause"]
                .as_str()
                .is_some_and(|c| c.contains("answered without deciding"))
        })
        .count();
    assert_eq!(noted, 2, "{view}");
    // One NOTHING of the two wanted (dispatch.not_found_after = 2) closes nothing.
    let reply = net.text(V_ES, "NADA").await;
    assert!(reply.body.contains("Esperamos otra respuesta"), "{}", reply.body);
    assert_eq!(net.get(&format!("/incidents/{id}")).await["status"], "verifying");
    let reply = net.text(V_EN, "CONFIRM").await;
    assert!(reply.body.contains("is confirmed"), "{}", reply.body);
    assert_eq!(net.get(&format!("/incidents/{id}")).await["status"], "confirmed");
    assert!(
        net.sent_to_with(ANN, &format!("TOCSIN #{id} CONFIRMED")).await,
        "the area is alerted"
    );
    let view = net.get(&format!("/incidents/{id}")).await;
    assert_eq!(
        view["counts"]["targeted"], 1,
        "Ann only: Lupe stopped, the joiner is pending: {view}"
    );
    assert!(twilio.messages_to(LUPE).is_empty() && twilio.messages_to(JOINER).is_empty());
    assert_eq!(
        twilio.messages_to(V_EN).len(),
        1,
        "the verifier got the request only"
    );

    // 3. Approved, the joiner is alerted; 11. ALTA restarts Lupe.
    let (status, body) = net
        .api(
            API_TOKEN,
            Method::POST,
            &format!("/volunteers/{joiner}/approve"),
            Some(json!({})),
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("approved")),
        "{body}"
    );
    let reply = net.text(LUPE, "ALTA").await;
    assert!(
        said(&reply.body).is_some_and(|t| t.contains("Bienvenido")),
        "{}",
        reply.body
    );
    assert_eq!(net.get(&format!("/volunteers/{lupe}")).await["opted_out"], false);

    // 10. 2,000 characters from a trusted volunteer: stored cut at 1,600, marked truncated, handled.
    let long: String = format!("{SIGHTING} {}", "agents at every door ".repeat(100))
        .chars()
        .take(2000)
        .collect();
    assert_eq!(long.chars().count(), 2000);
    let reply = net.text(ROSA, &long).await;
    assert!(
        said(&reply.body).is_some_and(|t| t.contains("Received")),
        "{}",
        reply.body
    );
    let latest = net.reports().await[0].clone();
    let text = latest["text"].as_str().expect("text");
    assert_eq!(
        (latest["truncated"].as_bool(), text.chars().count()),
        (Some(true), 1600),
        "{latest}"
    );
    assert!(long.starts_with(text));
    let second = latest["incident_id"].as_i64().expect("placed, an incident");
    for to in [ANN, LUPE, JOINER] {
        assert!(net.sent_to_with(to, &format!("#{second}")).await, "{to} alerted");
    }

    // 7, 2, then 5 and 4 (SQLite): the later steps, in `steps`.
    let desk = steps::cli_tokens_are_scoped(&net, dir.path(), &env, ann).await;
    steps::short_codes_and_ids_are_limited(&net, &desk).await;
    steps::disk_names_nobody(&net, &mut server, dir.path(), pg_url.is_some(), gone, &desk).await;
    drop(server);
}
