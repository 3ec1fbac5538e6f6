//! Two instances sharing one database: a volunteer added, moved, paused, resumed and removed
//! through one is seen in the other's geofence index by applying the change, not by
//! rebuilding it (PostgreSQL: at the notification; SQLite: at the next dispatcher pass).

use std::time::Duration;

use serde_json::json;
use tocsin::audit::Actor;
use tocsin::domain::Language;
use tocsin::roster::{self, Edit, HomeArea};

use crate::helpers::{eventually, spawn_app_with, Backend, TestApp};
use crate::on_both_backends;

const HERE: (f64, f64) = (34.0617, -118.3005);
const THERE: (f64, f64) = (34.2, -118.5);

/// Waits until `b` answers `want` at the point (a dispatcher pass is 2 s).
async fn b_sees(b: &TestApp, at: (f64, f64), want: Vec<i64>, what: &str) {
    let seen = eventually(Duration::from_secs(5), || async {
        b.core().targets(at.0, at.1) == want
    })
    .await;
    assert!(
        seen,
        "{what}: b answers {:?}, not {want:?}",
        b.core().targets(at.0, at.1)
    );
}

async fn a_change_is_applied_not_rebuilt(backend: Backend) {
    let a = spawn_app_with(backend, |_| {}).await;
    let b = a.second_instance(|_| {}).await;
    let builds = b.core().index.full_builds();
    assert_eq!(builds, 1, "b built its index once, at start");

    let ann = a
        .volunteer("Ann", "+13235553000", "en", false, HERE.0, HERE.1, 2000.0)
        .await;
    b_sees(&b, HERE, vec![ann], "added").await;

    // Moved: a new home area far from the old one.
    let row = a.core().store.volunteer(ann).await.unwrap().expect("Ann");
    let area = json!({"type": "circle", "lat": THERE.0, "lon": THERE.1, "radius_m": 1000.0});
    let edit = Edit {
        name: row.name.clone(),
        language: Language::parse(&row.language).expect("language"),
        trusted: row.trusted,
        area: HomeArea::from_json(a.core(), &area).expect("area"),
        reach: None,
        roles: vec![],
    };
    assert!(roster::edit(a.core(), &Actor::Api, ann, edit).await.unwrap());
    b_sees(&b, THERE, vec![ann], "moved").await;
    assert!(
        b.core().targets(HERE.0, HERE.1).is_empty(),
        "not at the old place"
    );

    assert!(roster::set_paused(a.core(), &Actor::Api, ann, true)
        .await
        .unwrap());
    b_sees(&b, THERE, vec![], "paused").await;
    assert!(roster::set_paused(a.core(), &Actor::Api, ann, false)
        .await
        .unwrap());
    b_sees(&b, THERE, vec![ann], "resumed").await;

    let (status, body) = a
        .api(reqwest::Method::DELETE, &format!("/volunteers/{ann}"), None)
        .await;
    assert_eq!(status, 204, "{body}");
    b_sees(&b, THERE, vec![], "removed").await;
    assert_eq!(b.core().alertable_volunteers(), 0);

    assert_eq!(b.core().index.full_builds(), builds, "no full rebuild on b");
    assert_eq!(a.core().index.full_builds(), 1, "nor on a");
    b.stop().await;
    a.stop().await;
}

on_both_backends!(a_change_is_applied_not_rebuilt);
