//! Zones through the API (`zoning`): a collection is imported and in use at once, a bad one is
//! refused naming what is wrong and changes nothing, a zone someone lives in is not removed
//! (their alerts would silently stop), an unknown one is 404, and a free one goes.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, Backend};
use crate::on_both_backends;

async fn zones_are_imported_refused_and_removed_with_care(backend: Backend) {
    let app = spawn_app(backend).await;
    let zones: Value =
        serde_json::from_str(include_str!("../../examples/zones-los-angeles.geojson")).unwrap();
    let (status, body) = app.post("/zones", zones).await;
    assert_eq!(status, 201, "{body}");
    let count = body["imported"].as_i64().unwrap_or(0);
    assert!(count >= 2, "{body}");
    let names = |list: &Value| -> Vec<String> {
        list["zones"]
            .as_array()
            .map(|z| {
                z.iter()
                    .filter_map(|z| z["name"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let listed = names(&app.get("/zones").await.1);
    assert!(
        listed.iter().any(|n| n == "Koreatown") && listed.iter().any(|n| n == "Westlake"),
        "{listed:?}"
    );

    // A feature without a name: refused, naming the field; nothing imported.
    let bad = json!({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [[[-118.3, 34.0], [-118.2, 34.0], [-118.2, 34.1], [-118.3, 34.0]]]}}]});
    let (status, body) = app.post("/zones", bad).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("features"), "{body}");
    assert_eq!(names(&app.get("/zones").await.1).len(), listed.len());

    // Someone lives in Koreatown: it stays.
    let (status, body) = app
        .post(
            "/volunteers",
            json!({"name": "Ann", "phone": "+13235550701", "language": "en",
                   "area": {"type": "zone", "zone": "Koreatown"}}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = app.api(reqwest::Method::DELETE, "/zones/Koreatown", None).await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body.to_string().contains("1 volunteers cover this zone"),
        "{body}"
    );
    let (status, _) = app.api(reqwest::Method::DELETE, "/zones/Atlantis", None).await;
    assert_eq!(status, 404);
    let (status, body) = app.api(reqwest::Method::DELETE, "/zones/Westlake", None).await;
    assert_eq!(status, 204, "{body}");
    let after = names(&app.get("/zones").await.1);
    assert!(
        !after.iter().any(|n| n == "Westlake") && after.iter().any(|n| n == "Koreatown"),
        "{after:?}"
    );
    app.stop().await;
}
on_both_backends!(zones_are_imported_refused_and_removed_with_care);
