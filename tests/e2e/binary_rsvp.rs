//! Issue 18 §2–4 through the real binary, on SQLite and on PostgreSQL, against the fake Twilio:
//! a mobilisation invites the volunteers around its place, each in their language; they answer
//! YES/NO/MAYBE with its number (one who also has a raid open answers bare and is asked which);
//! the counts show on the API; short of `wanted`, the invitation widens to new people only;
//! reminders reach yes and maybe at the (shortened) offsets; a new time reaches everyone
//! invited; at the start it is a live incident for those who said yes, who check in with HERE;
//! its area can be alerted with one action; and a cancelled one stands everyone down.

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};

use crate::binary_net::{serve, Net};
use crate::helpers::eventually;

/// English, near: answers YES with the number, checks in with HERE.
const ANA: &str = "+13235550911";
/// Spanish, near: answers "quizás" with the number.
const BEA: &str = "+13235550912";
/// English, near, with a raid open too: answers a bare "no", is asked which.
const CAL: &str = "+13235550913";
/// English, 800 m away: outside the circle, inside the widened one.
const DEV: &str = "+13235550914";
/// Trusted, far away: reports the raid that gives CAL two open items.
const REPORTER: &str = "+13235550915";
const POINT: (f64, f64) = (34.0633, -118.2846);

/// Long enough for the steps a loaded machine takes between two dispatch passes.
const LONG: Duration = Duration::from_secs(60);

mod rsvp {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        crate::binary_run::on_backend(crate::helpers::Backend::Sqlite, super::scenario).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        crate::binary_run::on_backend(crate::helpers::Backend::Postgres, super::scenario).await
    }
}

/// An instant `s` seconds from now, as RFC 3339.
fn in_s(s: i64) -> String {
    (jiff::Timestamp::now() + jiff::SignedDuration::from_secs(s)).to_string()
}

/// Whether the text names `code` as a number is named: `#31`, `YES31`, `HERE31` (not the 31
/// of a time or a count).
fn names(body: &str, code: i64) -> bool {
    let code = code.to_string();
    body.match_indices(&code).any(|(i, _)| {
        let before = body[..i].chars().next_back();
        let after = body[i + code.len()..].chars().next();
        before.is_some_and(|c| c == '#' || c.is_alphabetic()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// The messages `to` was sent that name `code`.
fn naming(net: &Net<'_>, to: &str, code: i64) -> Vec<String> {
    net.twilio
        .messages_to(to)
        .into_iter()
        .map(|m| m.body)
        .filter(|b| names(b, code))
        .collect()
}

/// Waits until `to` has more than `n` messages naming `code`; the newest.
async fn next_naming(net: &Net<'_>, to: &str, code: i64, n: usize) -> String {
    let got = eventually(LONG, || async { naming(net, to, code).len() > n }).await;
    let all = naming(net, to, code);
    assert!(got, "{to}: no message #{} naming {code}: {all:?}", n + 1);
    all[n].clone()
}

async fn answers(net: &Net<'_>, id: i64) -> Value {
    net.get(&format!("/mobilisations/{id}")).await["answers"].clone()
}

async fn scenario(pg_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    // The network's reminders 40 s and 30 s before; widening 45 s before (a mobilisation's own
    // offsets are a minute at least).
    let mut env = vec![
        ("TOCSIN_DISPATCH__ESCALATE_AFTER_S", "1"),
        ("TOCSIN_MOBILISATIONS__REMINDERS_S", "40,30"),
        ("TOCSIN_MOBILISATIONS__WIDEN_BEFORE_S", "45"),
    ];
    if let Some(url) = &pg_url {
        env.push(("TOCSIN_DATABASE__URL", url.as_str()));
    }
    let (twilio, server) = serve(dir.path(), &env).await;
    let net = Net::of(&twilio, &server);
    let near = json!({"type": "circle", "lat": POINT.0, "lon": POINT.1, "radius_m": 200.0});
    // 800 m north: outside a 500 m circle around the point, inside a 1000 m one.
    let north = json!({"type": "circle", "lat": POINT.0 + 0.0072, "lon": POINT.1, "radius_m": 50.0});
    for (name, phone, language, area) in [
        ("Ana", ANA, "en", &near),
        ("Bea", BEA, "es", &near),
        ("Cal", CAL, "en", &near),
        ("Dev", DEV, "en", &north),
    ] {
        let body = json!({"name": name, "phone": phone, "language": language, "area": area});
        let (status, v) = net.api(Method::POST, "/volunteers", Some(body)).await;
        assert_eq!(status, 201, "{v}");
    }
    let far = json!({"name": "R", "phone": REPORTER, "trusted": true,
        "area": {"type": "circle", "lat": 34.2, "lon": -118.5, "radius_m": 500.0}});
    let (status, v) = net.api(Method::POST, "/volunteers", Some(far)).await;
    assert_eq!(status, 201, "{v}");

    // A raid near Ana, Bea and Cal: alerted at once (a trusted reporter).
    net.text(REPORTER, "ICE raid at 34.0633, -118.2846").await;
    let raid = net.latest().await;
    net.sent_to(CAL, &[&format!("#{raid}")]).await;

    // Planned: starts in 50 s, wanting 3.
    let plan = json!({
        "kind": "eviction", "starts_at": in_s(50), "place": "34.0633, -118.2846",
        "text": "Lockout at the Ortiz home. Bring water.", "wanted": 3, "audience": {"radius_m": 500},
    });
    let (status, m) = net.api(Method::POST, "/mobilisations", Some(plan)).await;
    assert_eq!(status, 201, "{m}");
    let id = m["id"].as_i64().expect("id");
    let code = m["code"]
        .as_i64()
        .expect("its code: the number volunteers answer with");
    assert_ne!(code, raid);

    // Invited, each in their language, the exact place not told yet (disclose: yes).
    let invite = next_naming(&net, ANA, code, 0).await;
    assert!(invite.contains(&format!("YES{code}")), "{invite}");
    assert!(!invite.contains("34.06"), "no exact place before yes: {invite}");
    let invite_es = next_naming(&net, BEA, code, 0).await;
    assert!(!invite_es.contains("Reply"), "in Spanish: {invite_es}");
    next_naming(&net, CAL, code, 0).await;

    // Coded answers; a bare one with two open items is asked about, then applied.
    let yes = net.text(ANA, &format!("YES{code}")).await;
    assert!(yes.contains("34.06"), "the one coming gets the place: {yes}");
    let maybe = net.text(BEA, &format!("quizás {code}")).await;
    assert!(!maybe.contains("34.06"), "{maybe}");
    let which = net.text(CAL, "no").await;
    assert!(
        which.contains(&format!("#{code}")) && which.contains(&format!("#{raid}")),
        "{which}"
    );
    net.text(CAL, &code.to_string()).await;
    let a = answers(&net, id).await;
    assert_eq!(
        (a["yes"].as_i64(), a["no"].as_i64(), a["maybe"].as_i64()),
        (Some(1), Some(1), Some(1)),
        "{a}"
    );
    assert_eq!(net.counts(raid).await, (0, 0, 0), "nothing counted on the raid");

    // Short of 3: widened to Dev (new people only), who says yes.
    let widened = next_naming(&net, DEV, code, 0).await;
    assert!(widened.contains(&format!("YES{code}")), "{widened}");
    net.text(DEV, &format!("Y {code}")).await;
    assert_eq!(
        naming(&net, ANA, code)
            .iter()
            .filter(|b| b.contains("YES"))
            .count(),
        1,
        "invited once"
    );

    // A reminder to yes and maybe, not to no; never the exact place (it would be stored): YES
    // again gets it in the reply.
    let reminder = next_naming(&net, ANA, code, 1).await;
    assert!(
        reminder.contains("Reminder") && reminder.contains("Ortiz"),
        "{reminder}"
    );
    assert!(!reminder.contains("34.06"), "{reminder}");
    next_naming(&net, BEA, code, 1).await;

    // Moved 20 s later: everyone invited hears it, Cal (no) too.
    let later = json!({"starts_at": in_s(45)});
    let (status, body) = net
        .api(Method::PATCH, &format!("/mobilisations/{id}"), Some(later))
        .await;
    assert_eq!(status, 200, "{body}");
    let before_cal = naming(&net, CAL, code).len();
    let changed = next_naming(&net, CAL, code, before_cal).await;
    assert!(changed.contains(&format!("YES{code}")), "{changed}");
    let (status, body) = net
        .api(
            Method::PATCH,
            &format!("/mobilisations/{id}"),
            Some(json!({"kind": "hearing"})),
        )
        .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("kind")), "{body}");

    // Its morning: those who said yes are told to check in; Ana does.
    let live = eventually(LONG, || async {
        naming(&net, ANA, code)
            .iter()
            .any(|b| b.contains(&format!("HERE{code}")))
    })
    .await;
    assert!(live, "{:?}", naming(&net, ANA, code));
    net.sent_to(DEV, &[&format!("HERE{code}")]).await;
    assert!(
        !naming(&net, CAL, code)
            .iter()
            .any(|b| b.contains(&format!("HERE{code}"))),
        "not to no"
    );
    net.text(ANA, &format!("HERE{code}")).await;
    assert_eq!(
        net.counts(code).await,
        (1, 1, 1),
        "Dev coming, Cal not, Ana there"
    );
    assert_eq!(net.get(&format!("/mobilisations/{id}")).await["status"], "live");

    // A sudden turn: its area alerted as a raid is, once.
    let before_bea = naming(&net, BEA, code).len();
    let (status, body) = net
        .api(Method::POST, &format!("/mobilisations/{id}/alert-area"), None)
        .await;
    assert_eq!(status, 200, "{body}");
    let area = next_naming(&net, BEA, code, before_bea).await;
    assert!(area.contains("Faltan 1"), "3 wanted, 2 coming or there: {area}");
    let (status, _) = net
        .api(Method::POST, &format!("/mobilisations/{id}/alert-area"), None)
        .await;
    assert_eq!(status, 409);

    // Another, cancelled: everyone invited stands down; it cannot be cancelled twice.
    let plan = json!({"kind": "hearing", "starts_at": in_s(7200), "place": "34.0633, -118.2846",
        "text": "Hearing, dept 94", "wanted": 5, "audience": {"radius_m": 500}});
    let (status, m) = net.api(Method::POST, "/mobilisations", Some(plan)).await;
    assert_eq!(status, 201, "{m}");
    let (id2, code2) = (m["id"].as_i64().expect("id"), m["code"].as_i64().expect("code"));
    next_naming(&net, CAL, code2, 0).await;
    let (status, body) = net
        .api(Method::POST, &format!("/mobilisations/{id2}/cancel"), None)
        .await;
    assert_eq!(status, 200, "{body}");
    let stood_down = next_naming(&net, CAL, code2, 1).await;
    assert!(!stood_down.contains(&format!("YES{code2}")), "{stood_down}");
    let (status, _) = net
        .api(Method::POST, &format!("/mobilisations/{id2}/cancel"), None)
        .await;
    assert_eq!(status, 409);
    assert!(
        !net.all_to(CAL).contains("Reminder"),
        "no reminder to one who said no"
    );
    let late = net.text(CAL, &format!("YES{code2}")).await;
    assert!(!late.contains("34.06"), "a cancelled one is not answered: {late}");
    drop(server);
}
