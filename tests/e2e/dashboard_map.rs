//! Issue 15 §3: the dashboard draws its own base map from the imported zones and places, with
//! no tile server: `/map/features` answers a box's zones, streets and places for signed-in
//! dispatchers only; `/map/home` opens an empty map on the zones (with none, on the
//! volunteers); in the browser the zone's
//! name is drawn on the incident's map with no tiles configured.

use serde_json::{json, Value};
use tocsin::audit::Actor;
use tocsin::domain::Role;
use tocsin::geo::places::{Node, PlaceData, Street};

use crate::dashboard_http::{client, login, set_cookie};
use crate::helpers::{spawn_app, Backend, TestApp};
use crate::on_both_backends;
use crate::webdriver::Browser;

const PASSWORD: &str = "correct horse battery";

async fn mapped(backend: Backend) -> TestApp {
    let app = spawn_app(backend).await;
    tocsin::accounts::add_user(app.core(), "maria", Role::Dispatcher, PASSWORD)
        .await
        .expect("account");
    let zones = json!({"type": "FeatureCollection", "features": [{"type": "Feature",
        "properties": {"name": "Koreatown"},
        "geometry": {"type": "Polygon", "coordinates": [[[-118.31, 34.05], [-118.28, 34.05],
            [-118.28, 34.08], [-118.31, 34.08], [-118.31, 34.05]]]}}]});
    tocsin::zoning::import_collection(app.core(), &Actor::Cli, &zones)
        .await
        .expect("zones");
    let node = |id, lat, lon| Node { id, lat, lon };
    let data = PlaceData {
        streets: vec![Street {
            name: "South Vermont Avenue".into(),
            ways: vec![vec![node(1, 34.06, -118.2912), node(2, 34.07, -118.2912)]],
        }],
        ..PlaceData::default()
    };
    app.core().store.replace_places(&data).await.expect("places");
    app.core().refresh_index().await.expect("reloaded");
    app
}

async fn base_map_for_dispatchers_only(backend: Backend) {
    let app = mapped(backend).await;
    let http = client();
    let resp = login(&app, &http, "maria", PASSWORD).await;
    let (cookie, _) = set_cookie(&resp, "tocsin_session").expect("signed in");
    let get = |path: &str, signed: bool| {
        let mut req = http.get(format!("{}{path}", app.base));
        if signed {
            req = req.header("cookie", &cookie);
        }
        req.send()
    };
    let box_14 = "/map/features?bbox=-118.30,34.055,-118.28,34.075&zoom=14";
    let resp = get(box_14, true).await.expect("answered");
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["cache-control"], "private, max-age=60");
    let map: Value = resp.json().await.expect("GeoJSON");
    let names: Vec<&str> = map["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter_map(|f| f["properties"]["name"].as_str())
        .collect();
    assert_eq!(names, ["Koreatown", "South Vermont Avenue"], "{map}");
    // Zoomed out, streets are left out; a stranger gets nothing; a bad box is named.
    let far: Value = get("/map/features?bbox=-118.5,33.9,-118.1,34.2&zoom=10", true)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(far["features"].as_array().map(Vec::len), Some(1), "{far}");
    let stranger = get(box_14, false).await.unwrap();
    assert!(
        stranger.status() == 401 || stranger.status() == 303,
        "{}",
        stranger.status()
    );
    let bad = get("/map/features?bbox=1,2,3&zoom=14", true).await.unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().starts_with("bbox:"));
    let home: Value = get("/map/home", true).await.unwrap().json().await.unwrap();
    assert!((home["lat"].as_f64().unwrap() - 34.065).abs() < 1e-6, "{home}");
    app.stop().await;
}
on_both_backends!(base_map_for_dispatchers_only);

/// A network that has imported no zones or places yet: the map opens where its (alertable)
/// volunteers' home areas are, not on nothing; a paused volunteer far away does not count.
async fn with_nothing_mapped_the_map_opens_on_the_volunteers(backend: Backend) {
    let app = spawn_app(backend).await;
    tocsin::accounts::add_user(app.core(), "maria", Role::Dispatcher, PASSWORD)
        .await
        .expect("account");
    let http = client();
    let resp = login(&app, &http, "maria", PASSWORD).await;
    let (cookie, _) = set_cookie(&resp, "tocsin_session").expect("signed in");
    let url = format!("{}/map/home", app.base);
    let (http, cookie, url) = (&http, &cookie, &url);
    let home = move || async move {
        let resp = http
            .get(url)
            .header("cookie", cookie)
            .send()
            .await
            .expect("answered");
        assert_eq!(resp.status(), 200);
        resp.json::<Value>().await.expect("JSON")
    };
    assert_eq!(home().await, Value::Null, "nobody and nothing: no home");

    app.volunteer("Ann", "+13235550102", "en", false, 34.05, -118.30, 1000.0)
        .await;
    app.volunteer("Bob", "+13235550103", "en", false, 34.09, -118.26, 1000.0)
        .await;
    let far = app
        .volunteer("Far", "+13235550104", "en", false, 40.7, -74.0, 1000.0)
        .await;
    tocsin::roster::set_paused(app.core(), &Actor::Cli, far, true)
        .await
        .expect("paused");
    let at = home().await;
    let (lat, lon) = (at["lat"].as_f64().expect("lat"), at["lon"].as_f64().expect("lon"));
    assert!((lat - 34.07).abs() < 1e-3 && (lon + 118.28).abs() < 1e-3, "{at}");
    let zoom = at["zoom"].as_u64().expect("zoom");
    assert!((10..=14).contains(&zoom), "both circles in view: {at}");
    app.stop().await;
}
on_both_backends!(with_nothing_mapped_the_map_opens_on_the_volunteers);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_incident_map_draws_the_zone_without_tiles() {
    let app = mapped(Backend::Sqlite).await;
    app.text("+13235550199", "ICE raid at 34.0617, -118.2912").await;
    let id = app.latest_incident_id().await;
    let browser = Browser::start().await;
    browser.log_in(&app.base, "maria", PASSWORD).await;
    browser.resize(390, 844).await;
    browser.goto(&format!("{}/incidents/{id}", app.base)).await;
    browser
        .wait_text(".zone-label", "the zone drawn", |t| t == "Koreatown")
        .await;
    let tiles = browser
        .js("return document.querySelectorAll('.leaflet-tile').length")
        .await;
    assert_eq!(tiles, 0, "no tile server asked");
    browser.quit().await;
    app.stop().await;
}
