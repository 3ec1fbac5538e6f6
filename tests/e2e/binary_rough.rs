//! Issue 12 §3 through the real `tocsin serve`, on SQLite and on PostgreSQL, with the places and
//! neighbourhoods of an imported extract: a report placed only by a zone sends the verifier
//! "somewhere in" the zone with the reporter's own words (no exact-looking link, no number), a
//! second zone report merges with it, the alert promises no place, a volunteer coming gets the
//! words; a stranger's exact report inside the zone joins it without moving it, a trusted
//! volunteer's makes it exact, and the one coming is sent the place; a dispatcher placing an alerted rough incident does the same; a verifier still
//! asked is sent the exact place to check.

use reqwest::Method;
use serde_json::json;
use tocsin_fakes::{FakeTwilio, FakeTwilioConfig};

use crate::binary::{start_with, tocsin};
use crate::binary_net::Net;
use crate::helpers::{eventually, ACCOUNT_SID, AUTH_TOKEN, HOTLINE};

const VERA: &str = "+13235550501";
const ANN: &str = "+13235550502";
const BEN: &str = "+13235550503";
const R1: &str = "+13235550511";
const R2: &str = "+13235550512";
/// Tom, a trusted volunteer.
const R3: &str = "+13235550513";
const R4: &str = "+13235550514";
const R5: &str = "+13235550515";
/// 3300 South Vermont Avenue in the extract (a building's address, in Koreatown).
const VERMONT: (f64, f64) = (34.065, -118.2912);

mod rough {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        crate::binary_run::on_backend(crate::helpers::Backend::Sqlite, super::scenario).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        crate::binary_run::on_backend(crate::helpers::Backend::Postgres, super::scenario).await
    }
}

/// An exact map link (5 decimals) anywhere in the text.
fn has_exact_link(text: &str) -> bool {
    text.split("maps.google.com/?q=").skip(1).any(|rest| {
        let lat = rest.split(',').next().unwrap_or("");
        lat.split('.').nth(1).is_some_and(|d| d.len() >= 5)
    })
}

/// Metres between two points, as tocsin measures them.
fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
    tocsin::geo::area::haversine_m(a.0, a.1, b.0, b.1)
}

async fn scenario(pg_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut env = Vec::new();
    if let Some(url) = &pg_url {
        env.push(("TOCSIN_DATABASE__URL", url.as_str()));
    }
    crate::binary_run::migrated(dir.path(), &env);
    let tiny = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/tiny.osm.pbf");
    let imported = tocsin(dir.path(), None, 1)
        .envs(env.iter().copied())
        .args(["places", "import", tiny, "--zones"])
        .output()
        .unwrap();
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let twilio = FakeTwilio::start(FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE]))
        .await
        .unwrap();
    let server = start_with(dir.path(), Some(&twilio), &env).await;
    let net = Net {
        twilio: &twilio,
        base: server.base.clone(),
        http: reqwest::Client::new(),
    };
    // Vera verifies; Ann (English) and Ben (Spanish) cover Koreatown and Westlake; Tom, trusted,
    // lives far away.
    let (here, far) = ((34.063, -118.285), (34.3, -118.6));
    for (name, phone, language, roles, trusted, (lat, lon)) in [
        ("Vera", VERA, "en", json!(["verifier"]), false, here),
        ("Ann", ANN, "en", json!([]), false, here),
        ("Ben", BEN, "es", json!([]), false, here),
        ("Tom", R3, "en", json!([]), true, far),
    ] {
        let body = json!({"name": name, "phone": phone, "language": language, "roles": roles,
            "trusted": trusted,
            "area": {"type": "circle", "lat": lat, "lon": lon, "radius_m": 4000.0}});
        let (status, v) = net.api(Method::POST, "/volunteers", Some(body)).await;
        assert_eq!(status, 201, "{v}");
    }

    // A report placed only by its zone: the verifier is asked "somewhere in" it, with the
    // reporter's words, never a link that looks exact nor the number they wrote.
    net.text(R1, "ICE raid in Koreatown by the car wash, call me 323-555-0199")
        .await;
    let a = net.latest().await;
    let view = net.incident(a).await;
    assert_eq!(
        (&view["located_by"], &view["approximate"]),
        (&json!("zone"), &json!(true)),
        "{view}"
    );
    let check = net
        .sent_to(VERA, &[&format!("#{a}"), "somewhere in Koreatown"])
        .await;
    assert!(
        check.contains("Reporter: \"ICE raid in Koreatown by the car wash"),
        "{check}"
    );
    assert!(check.contains(&format!("CONFIRM {a}")), "{check}");
    assert!(!has_exact_link(&check) && !check.contains("555-0199"), "{check}");

    // A second report of the zone within dispatch.merge_s joins it: one incident.
    net.text(R2, "la migra en Koreatown ahora mismo").await;
    assert_eq!(net.incidents().await.len(), 1, "merged by zone");
    let view = net.incident(a).await;
    assert_eq!(view["reports"].as_array().map(Vec::len), Some(2), "{view}");

    // Confirmed, the alert names the zone and promises nothing it does not have.
    let ack = net.text(VERA, &format!("CONFIRM {a}")).await;
    assert!(ack.contains(&format!("#{a}")), "{ack}");
    let alert = net.sent_to(ANN, &[&format!("Y{a}=coming")]).await;
    assert!(alert.contains("Koreatown"), "{alert}");
    assert!(
        !alert.contains("(get the place)") && !has_exact_link(&alert),
        "{alert}"
    );
    let alerta = net.sent_to(BEN, &[&format!("SI{a}")]).await;
    assert!(!alerta.contains("+lugar") && !has_exact_link(&alerta), "{alerta}");

    // Ann is coming: she gets the best place known and the reporter's words.
    let reply = net.text(ANN, "omw").await;
    assert!(
        reply.contains(&format!("coming to #{a}, somewhere in Koreatown")),
        "{reply}"
    );
    assert!(reply.contains("Reporter: \"ICE raid in Koreatown"), "{reply}");
    assert!(!has_exact_link(&reply), "{reply}");

    // A stranger's exact report inside the zone joins the confirmed incident but does not move
    // it: responders on their way are not redirected by an unchecked text. The dispatcher sees it.
    net.text(R2, "ICE at 1234 W 3rd St").await;
    assert_eq!(net.incidents().await.len(), 1, "the exact report joined");
    let view = net.incident(a).await;
    assert_eq!(view["located_by"], "zone", "{view}");
    assert!(
        view["history"]
            .to_string()
            .contains("a dispatcher may place it there"),
        "{view}"
    );
    assert!(!has_exact_link(&net.all_to(ANN)), "{}", net.all_to(ANN));

    // A trusted volunteer's exact report inside the zone makes it exact; Ann (coming) is sent
    // the place, Ben (no answer) is not.
    net.text(R3, "ICE at 3300 S Vermont Ave now").await;
    assert_eq!(net.incidents().await.len(), 1, "the exact report joined");
    let placed = eventually(crate::binary_net::WAIT, || async {
        net.incident(a).await["located_by"] == "address"
    })
    .await;
    let view = net.incident(a).await;
    assert!(placed, "{view}");
    assert_eq!(view["approximate"], false, "{view}");
    let point = (view["lat"].as_f64().unwrap(), view["lon"].as_f64().unwrap());
    assert!(metres(point, VERMONT) <= 30.0, "{view}");
    let place = net
        .sent_to(ANN, &["exact place of the", &format!("HERE{a}")])
        .await;
    assert!(has_exact_link(&place), "{place}");
    assert!(!has_exact_link(&net.all_to(BEN)), "{}", net.all_to(BEN));
    let causes = view["history"].to_string();
    assert!(causes.contains("placed exactly by a later report"), "{causes}");

    // A rough report in another zone is another incident.
    net.text(R4, "ICE raid in Westlake").await;
    assert_eq!(net.incidents().await.len(), 2, "Westlake is not Koreatown");
    let b = net.latest().await;
    net.sent_to(VERA, &[&format!("#{b}"), "somewhere in Westlake"])
        .await;
    // The dispatcher confirms it; Ben is coming and is told in Spanish.
    let (status, body) = net
        .api(Method::POST, &format!("/incidents/{b}/verify"), Some(json!({})))
        .await;
    assert_eq!(status, 200, "{body}");
    net.sent_to(BEN, &[&format!("SI{b}")]).await;
    let reply = net.text(BEN, &format!("si voy {b}")).await;
    assert!(reply.contains("en algun lugar de Westlake"), "{reply}");
    assert!(reply.contains("Aviso: \"ICE raid in Westlake\""), "{reply}");
    // Placed by the dispatcher after its alert: Ben gets the place, Ann (no answer) does not.
    let (status, body) = net
        .api(
            Method::POST,
            &format!("/incidents/{b}/locate"),
            Some(json!({"lat": 34.0600, "lon": -118.2750})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["located_by"], "dispatcher", "{body}");
    let place = net.sent_to(BEN, &["lugar exacto", "34.06000,-118.27500"]).await;
    assert!(place.contains(&format!("AQUI{b}")), "{place}");
    assert!(
        !net.all_to(ANN).contains("34.06000,-118.27500"),
        "{}",
        net.all_to(ANN)
    );
    // An exact incident once alerted is not moved.
    let (status, body) = net
        .api(
            Method::POST,
            &format!("/incidents/{b}/locate"),
            Some(json!({"lat": 34.07, "lon": -118.28})),
        )
        .await;
    assert_eq!(status, 409, "{body}");

    // An eviction placed by zone, then exactly by a second reporter while Vera is still asked:
    // she is sent the exact place to check.
    net.text(R5, "eviction in Westlake, sheriff at the door").await;
    let c = net.latest().await;
    assert_eq!(net.incident(c).await["kind"], "eviction");
    net.sent_to(VERA, &[&format!("#{c}"), "somewhere in Westlake"])
        .await;
    net.text(R1, "eviction now at 34.0580, -118.2760").await;
    assert_eq!(net.latest().await, c, "joined the eviction");
    let check = net
        .sent_to(VERA, &["34.05800,-118.27600", &format!("CONFIRM {c}")])
        .await;
    assert!(has_exact_link(&check), "{check}");

    let log = std::fs::read_to_string(&server.log).unwrap_or_default();
    for secret in ["car wash", "555-0199", "Vermont Ave", R1, &R1[2..]] {
        assert!(!log.contains(secret), "the log holds {secret:?}");
    }
    drop(server);
}
