//! Issue 12, section 2, through the real binary on SQLite and PostgreSQL: an OpenStreetMap
//! extract imported with `tocsin places import` places a texted report at the intersection it
//! names, an address, a named place or a street; the search API answers from the same data;
//! nothing of the text reaches the log.

use std::time::Duration;

use serde_json::Value;
use tocsin_fakes::{FakeTwilio, FakeTwilioConfig, Signing};

use crate::binary::{start_with, tocsin};
use crate::binary_run::on_backend;
use crate::helpers::{Backend, ACCOUNT_SID, API_TOKEN, AUTH_TOKEN, HOTLINE};

const REPORTER: &str = "+13235550191";
/// Where Aumakatu and Siirinraitti meet in the extract (OSM node 1879809963).
const CORNER: (f64, f64) = (60.5213267, 26.9372119);

/// Metres between two points, as tocsin measures them.
fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
    tocsin::geo::area::haversine_m(a.0, a.1, b.0, b.1)
}

async fn get(http: &reqwest::Client, url: String) -> Value {
    let resp = http
        .get(url)
        .bearer_auth(API_TOKEN)
        .send()
        .await
        .expect("answered");
    resp.json().await.unwrap_or(Value::Null)
}

/// The incident whose located_by is `by`, once there is one (polled: the dispatcher opens
/// incidents right after the report is stored).
async fn incident_by(http: &reqwest::Client, api: &str, by: &str) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let list = get(http, format!("{api}/incidents")).await;
        let hit = list["incidents"]
            .as_array()
            .and_then(|l| l.iter().find(|i| i["located_by"] == by).cloned());
        match hit {
            Some(found) => return found,
            None if std::time::Instant::now() > deadline => panic!("no incident located by {by}: {list}"),
            None => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

async fn scenario(database_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut env = Vec::new();
    if let Some(url) = &database_url {
        env.push(("TOCSIN_DATABASE__URL", url.as_str()));
    }
    crate::binary_run::migrated(dir.path(), &env);
    let extract = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/karhula.osm.pbf");
    let imported = tocsin(dir.path(), None, 1)
        .envs(env.iter().copied())
        .args(["places", "import", extract])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&imported.stdout).to_string();
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    assert!(out.contains("95 streets, 7 addresses, 11 places"), "{out}");

    let twilio = FakeTwilio::start(FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE]))
        .await
        .unwrap();
    let server = start_with(dir.path(), Some(&twilio), &env).await;
    let http = reqwest::Client::new();
    let api = format!("{}/api/v1", server.base);
    let sms_url = format!("{}/webhooks/twilio/sms", server.base);
    let text = |body: &'static str| {
        let (twilio, sms_url, log) = (&twilio, &sms_url, &server.log);
        async move {
            let reply = twilio
                .send_inbound_sms(sms_url, REPORTER, HOTLINE, body, Signing::Valid)
                .await
                .unwrap();
            let log = || std::fs::read_to_string(log).unwrap_or_default();
            assert_eq!(reply.status, 200, "{}\n{}", reply.body, log());
        }
    };

    text("Poliisi ratsaa nyt Aumakadun... siis AUMAKATU ja Siirinraitti kulmassa").await;
    let corner = incident_by(&http, &api, "intersection").await;
    let point = (corner["lat"].as_f64().unwrap(), corner["lon"].as_f64().unwrap());
    assert!(metres(point, CORNER) <= 30.0, "{corner}");
    assert!(
        corner["uncertainty_m"].is_null(),
        "an intersection is exact: {corner}"
    );
    assert_eq!(corner["approximate"], false);
    let id = corner["id"].as_i64().unwrap();
    let shown = get(&http, format!("{api}/incidents/{id}")).await;
    assert_eq!(shown["reports"][0]["located_by"], "intersection", "{shown}");

    text("ICE somewhere on Vanha Viipurintie").await;
    let street = incident_by(&http, &api, "street").await;
    let radius = street["uncertainty_m"].as_f64().unwrap_or(0.0);
    assert!(radius >= 50.0, "a street alone is approximate: {street}");
    assert_eq!(street["approximate"], true);
    // A dispatcher who places it makes it exact.
    let sid = street["id"].as_i64().unwrap();
    let placed: Value = http
        .post(format!("{api}/incidents/{sid}/locate"))
        .bearer_auth(API_TOKEN)
        .json(&serde_json::json!({"lat": 60.539, "lon": 26.949}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(placed["located_by"], "dispatcher", "{placed}");
    assert!(
        placed["uncertainty_m"].is_null() && placed["approximate"] == false,
        "{placed}"
    );

    let search = get(&http, format!("{api}/places/search?q=Tikankatu%2011")).await;
    assert_eq!(search["matches"][0]["located_by"], "address", "{search}");
    assert_eq!(search["matches"][0]["label"], "Tikankatu 11");
    let search = get(&http, format!("{api}/places/search?q=helil%C3%A4n%20koulu")).await;
    assert_eq!(search["matches"][0]["located_by"], "place", "{search}");
    let status = http
        .get(format!("{api}/places/search?q=x"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 401, "the search needs a token");

    // Importing another extract while the server runs replaces the places, adds its
    // neighbourhoods as zones, and is in use within a dispatcher pass.
    let tiny = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/tiny.osm.pbf");
    let imported = tocsin(dir.path(), None, 1)
        .envs(env.iter().copied())
        .args(["places", "import", tiny, "--zones"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&imported.stdout).to_string();
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    assert!(out.contains("imported 2 zones"), "{out}");
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let search = get(&http, format!("{api}/places/search?q=zion%20market")).await;
        if search["matches"][0]["located_by"] == "place" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the new places are not in use: {search}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let gone = get(&http, format!("{api}/places/search?q=Tikankatu%2011")).await;
    assert_eq!(gone["matches"], serde_json::json!([]), "{gone}");
    let zones = get(&http, format!("{api}/zones")).await.to_string();
    assert!(
        zones.contains("Koreatown") && zones.contains("Westlake"),
        "{zones}"
    );
    text("la migra en el 3300 S Vermont Ave").await;
    let address = incident_by(&http, &api, "address").await;
    let point = (address["lat"].as_f64().unwrap(), address["lon"].as_f64().unwrap());
    assert!(metres(point, (34.065, -118.2912)) < 1.0, "{address}");
    assert_eq!(address["zone"], "Koreatown", "{address}");

    // A street alone gives way to a smaller zone named with it: Vermont reaches about 1 km
    // from its middle, Westlake about 700 m.
    text("ICE on Vermont by Westlake").await;
    let zoned = incident_by(&http, &api, "zone").await;
    assert_eq!(zoned["zone"], "Westlake", "{zoned}");

    let log = std::fs::read_to_string(&server.log).unwrap();
    for secret in [
        "Aumakatu",
        "AUMAKATU",
        "Siirinraitti",
        "Viipurintie",
        REPORTER,
        &REPORTER[2..],
    ] {
        assert!(!log.contains(secret), "the log holds {secret:?}:\n{log}");
    }
}

/// With `geocode.nominatim_url`, what nothing local finds is asked of the network's own
/// Nominatim (a stand-in here that counts what it is asked); what is found locally is not.
async fn nominatim_scenario(database_url: Option<String>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = asked.clone();
    let app = axum::Router::new().route(
        "/search",
        axum::routing::get(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async {
                axum::Json(
                    serde_json::json!([{"lat": "60.1685", "lon": "24.9385", "category": "building",
                    "type": "yes", "addresstype": "building", "display_name": "Yrjönkatu 16"}]),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let nominatim = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let dir = tempfile::tempdir().unwrap();
    let mut env = vec![("TOCSIN_GEOCODE__NOMINATIM_URL", nominatim.as_str())];
    if let Some(url) = &database_url {
        env.push(("TOCSIN_DATABASE__URL", url.as_str()));
    }
    crate::binary_run::migrated(dir.path(), &env);
    let extract = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/tiny.osm.pbf");
    let imported = tocsin(dir.path(), None, 1)
        .envs(env.iter().copied())
        .args(["places", "import", extract])
        .output();
    assert!(imported.unwrap().status.success());
    let twilio = FakeTwilio::start(FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE]))
        .await
        .unwrap();
    let server = start_with(dir.path(), Some(&twilio), &env).await;
    let (http, api) = (reqwest::Client::new(), format!("{}/api/v1", server.base));
    let sms_url = format!("{}/webhooks/twilio/sms", server.base);
    for body in ["ICE at Zion Market", "poliisi Yrjönkatu 16"] {
        let reply = twilio
            .send_inbound_sms(&sms_url, REPORTER, HOTLINE, body, Signing::Valid)
            .await
            .unwrap();
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    let local = incident_by(&http, &api, "place").await;
    assert!(local["uncertainty_m"].is_null(), "{local}");
    let remote = incident_by(&http, &api, "address").await;
    assert_eq!(
        (remote["lat"].as_f64(), remote["lon"].as_f64()),
        (Some(60.1685), Some(24.9385)),
        "{remote}"
    );
    assert_eq!(
        asked.load(Ordering::SeqCst),
        1,
        "asked only for what nothing local found"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_hosted_nominatim_places_what_nothing_local_finds_on_sqlite() {
    on_backend(Backend::Sqlite, nominatim_scenario).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_hosted_nominatim_places_what_nothing_local_finds_on_postgres() {
    on_backend(Backend::Postgres, nominatim_scenario).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imported_extract_places_a_texted_intersection_on_sqlite() {
    on_backend(Backend::Sqlite, scenario).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imported_extract_places_a_texted_intersection_on_postgres() {
    on_backend(Backend::Postgres, scenario).await;
}
