//! Joining is vetted (issue 11): a joiner by text is pending (no alerts, not even by escalation)
//! until an admin approves them, or, where joining is open, alerted with the area only, never
//! asked to verify, and not counted as a responder. Rejecting erases. Zone changes and adding a
//! number already on the roster are audited.

use serde_json::{json, Value};
use tocsin::config::Approval;

use crate::helpers::{eventually, spawn_app_with, Backend, TestApp};
use crate::lifecycle::{confirmed_sighting, neighbour, phone, LAT, LON, WAIT};
use crate::on_both_backends;

pub(crate) const JOINER: &str = "+13235550140";
/// The exact place of the sightings (5 decimals), and the same to about a kilometre.
const EXACT: &str = "34.06170,-118.30050";
const ROUGH: &str = "34.06,-118.30";

/// Texts JOIN, English, a shared location at the sightings' point, YES; the last reply.
pub(crate) async fn join(app: &TestApp, from: &str) -> String {
    app.text(from, "JOIN").await;
    app.text(from, "1").await;
    let reply = app.text(from, &format!("{LAT}, {LON}")).await;
    assert!(reply.body.contains("YES"), "asks to confirm: {}", reply.body);
    app.text(from, "YES").await.body
}

/// The volunteer with this number's last four digits, as the API lists them.
pub(crate) async fn listed(app: &TestApp, number: &str) -> Option<Value> {
    let (_, list) = app.get("/volunteers").await;
    let last4 = &number[number.len() - 4..];
    list["volunteers"]
        .as_array()?
        .iter()
        .find(|v| v["phone_last4"] == last4)
        .cloned()
}

/// Audit entries with this action: (actor, volunteer id, detail).
pub(crate) async fn audited(app: &TestApp, action: &str) -> Vec<(String, Option<i64>, String)> {
    let entries = app.core().store.audit_entries(200).await.expect("audit log");
    entries
        .into_iter()
        .filter(|e| e.action == action)
        .map(|e| (e.actor, e.volunteer_id, e.detail))
        .collect()
}

async fn a_joiner_gets_nothing_until_an_admin_approves_them_then_exact_alerts(backend: Backend) {
    let app = spawn_app_with(backend, |s| {
        s.dispatch.wanted = 2;
        s.dispatch.escalate_after_s = 1;
        s.dispatch.escalation_radii_m = vec![3000.0];
        s.dispatch.escalate_to_neighbouring_zones = false;
        s.dispatch.escalate_to_everyone = true;
    })
    .await;
    assert_eq!(
        app.core().settings.join.approval,
        Approval::Dispatcher,
        "the default"
    );
    neighbour(&app, 1, 0.0, &[]).await;
    let done = join(&app, JOINER).await;
    assert!(
        done.contains("coordinator will approve you") && done.contains("alerts after that"),
        "told they wait: {done}"
    );
    let joiner = listed(&app, JOINER).await.expect("listed");
    assert_eq!(joiner["status"], "pending", "{joiner}");
    let id = joiner["id"].as_i64().expect("id");
    let (_, pending) = app.get("/volunteers?status=pending").await;
    assert_eq!(
        pending["volunteers"].as_array().map(Vec::len),
        Some(1),
        "{pending}"
    );
    let (status, body) = app.get("/volunteers?status=vip").await;
    assert_eq!((status, body["field"].as_str()), (422, Some("status")), "{body}");
    let reply = app.text(JOINER, "STATUS").await;
    assert!(reply.body.contains("Waiting for a coordinator"), "{}", reply.body);
    assert_eq!(
        app.core().alertable_volunteers(),
        1,
        "pending: not in the geofence index"
    );

    // A sighting in their area: the vetted neighbour is alerted, and every escalation step
    // (up to everyone available) passes the joiner by.
    let first = confirmed_sighting(&app, json!({})).await;
    app.twilio.wait_for_messages(1, WAIT).await;
    let last_step = app
        .wait_incident(first, "every escalation step taken", |v| {
            v["escalation_step"] == 2
        })
        .await;
    app.dispatch_now().await;
    assert!(
        app.twilio.messages_to(JOINER).is_empty(),
        "pending: never alerted {last_step}"
    );
    assert_eq!(last_step["counts"]["targeted"], 1, "{last_step}");

    let (status, body) = app.post(&format!("/volunteers/{id}/approve"), json!({})).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("approved")),
        "{body}"
    );
    assert_eq!(app.core().alertable_volunteers(), 2, "alertable at once");
    let (status, body) = app.post(&format!("/volunteers/{id}/approve"), json!({})).await;
    assert_eq!(status, 409, "approved already: {body}");
    let (status, _) = app.post("/volunteers/9999/approve", json!({})).await;
    assert_eq!(status, 404);
    assert_eq!(
        audited(&app, "volunteer_approve").await,
        vec![("api".to_string(), Some(id), "was pending".to_string())]
    );
    let added = audited(&app, "volunteer_add").await;
    assert!(
        added.contains(&("volunteer (by text)".into(), Some(id), "pending".into())),
        "{added:?}"
    );

    let second = confirmed_sighting(&app, json!({})).await;
    assert!(
        eventually(WAIT, || async { !app.twilio.messages_to(JOINER).is_empty() }).await,
        "approved: alerted"
    );
    let alert = &app.twilio.messages_to(JOINER)[0];
    assert!(
        alert.body.contains(&format!("#{second}")) && alert.body.contains(EXACT),
        "vetted: the exact place (progressive disclosure is off here): {}",
        alert.body
    );
    app.stop().await;
}
on_both_backends!(a_joiner_gets_nothing_until_an_admin_approves_them_then_exact_alerts);

async fn a_rejected_joiner_is_erased_and_told_nothing(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    let vetted = neighbour(&app, 1, 0.0, &[]).await;
    join(&app, JOINER).await;
    let id = listed(&app, JOINER).await.expect("listed")["id"]
        .as_i64()
        .expect("id");
    let (status, body) = app.post(&format!("/volunteers/{vetted}/reject"), json!({})).await;
    assert_eq!(
        status, 409,
        "an approved volunteer is removed, not rejected: {body}"
    );
    let (status, _) = app.post(&format!("/volunteers/{id}/reject"), json!({})).await;
    assert_eq!(status, 204);
    let (status, _) = app.get(&format!("/volunteers/{id}")).await;
    assert_eq!(status, 404, "erased");
    assert!(listed(&app, JOINER).await.is_none());
    assert_eq!(
        audited(&app, "volunteer_reject").await,
        vec![("api".to_string(), Some(id), "was pending".to_string())]
    );
    // Nothing was sent to them, and their number, name and area are gone from the row.
    confirmed_sighting(&app, json!({})).await;
    app.twilio.wait_for_messages(1, WAIT).await;
    app.dispatch_now().await;
    assert!(app.twilio.messages_to(JOINER).is_empty());
    let sealed: Vec<Vec<u8>> = sqlx::query_scalar::<_, Vec<u8>>(
        "SELECT name_enc FROM volunteers WHERE id = $1 UNION ALL SELECT phone_enc FROM volunteers WHERE id = $1 \
         UNION ALL SELECT area_enc FROM volunteers WHERE id = $1",
    )
    .bind(id)
    .fetch_all(app.core().store.pool())
    .await
    .expect("the row stays for the history");
    assert_eq!(sealed.len(), 3);
    assert!(sealed.iter().all(Vec::is_empty), "name, number and area erased");
    // They are simply not a volunteer any more.
    let reply = app.text(JOINER, "STATUS").await;
    assert!(reply.body.contains("not a volunteer"), "{}", reply.body);
    app.stop().await;
}
on_both_backends!(a_rejected_joiner_is_erased_and_told_nothing);

async fn open_joining_alerts_with_the_area_only_and_never_counts_or_asks_them(backend: Backend) {
    let app = spawn_app_with(backend, |s| {
        s.join.approval = Approval::Open;
        // Even with the exact place in every alert, the unvetted get the area only.
        s.dispatch.progressive_disclosure = false;
        s.dispatch.wanted = 1;
        s.dispatch.escalate_after_s = 1;
        s.dispatch.escalation_radii_m = vec![3000.0];
        s.dispatch.escalate_to_neighbouring_zones = false;
        s.dispatch.escalate_to_everyone = false;
    })
    .await;
    let done = join(&app, JOINER).await;
    assert!(done.contains("You are now a volunteer"), "{done}");
    let joiner = listed(&app, JOINER).await.expect("listed");
    assert_eq!(joiner["status"], "unvetted", "{joiner}");
    let id = joiner["id"].as_i64().expect("id");
    // Even with the verifier role, an unvetted volunteer is never asked to check.
    let (status, body) = app
        .api(
            reqwest::Method::PATCH,
            &format!("/volunteers/{id}"),
            Some(json!({"roles": ["verifier"]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let verifier = phone(1);
    neighbour(&app, 1, 0.0, &["verifier"]).await;
    let (status, body) = app
        .post(
            "/reports",
            json!({"text": "ICE agents at the corner", "kind": "raid", "lat": LAT, "lon": LON}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let unverified = body["incident_id"].as_i64().expect("incident");
    let asked = app.twilio.wait_for_messages(1, WAIT).await;
    assert_eq!(asked[0].to, verifier, "the vetted verifier is asked: {asked:?}");
    assert!(asked[0].body.contains("CHECK"), "{}", asked[0].body);
    app.dispatch_now().await;
    assert!(app.twilio.messages_to(JOINER).is_empty(), "never asked to verify");
    let (status, _) = app
        .post(&format!("/incidents/{unverified}/dismiss"), json!({}))
        .await;
    assert_eq!(status, 200);

    let incident = confirmed_sighting(&app, json!({})).await;
    assert!(
        eventually(WAIT, || async { !app.twilio.messages_to(JOINER).is_empty() }).await,
        "unvetted: alerted"
    );
    let alert = app.twilio.messages_to(JOINER)[0].body.clone();
    assert!(
        alert.contains(&format!("#{incident}")) && alert.contains(ROUGH) && !alert.contains(EXACT),
        "the rough place only: {alert}"
    );
    assert!(!alert.contains("get place"), "promises no place: {alert}");
    assert!(
        eventually(WAIT, || async {
            let first_alert =
                |m: &&tocsin_fakes::SentMessage| m.body.contains(&format!("#{incident} CONFIRMED"));
            app.twilio
                .messages_to(&verifier)
                .iter()
                .filter(first_alert)
                .any(|m| m.body.contains(EXACT))
        })
        .await,
        "the vetted neighbour gets the exact place"
    );
    let reply = app.text(JOINER, "Y").await;
    assert!(
        !reply.body.contains("34.06") && reply.body.contains("approved volunteers"),
        "Y brings no place: {}",
        reply.body
    );
    // Their Y is shown apart and wanted (1) is not met: the alert still widens.
    let view = app
        .wait_incident(incident, "escalated although the unvetted said Y", |v| {
            v["escalation_step"] == 1
        })
        .await;
    assert_eq!(
        (&view["counts"]["coming"], &view["counts"]["unvetted_coming"]),
        (&json!(0), &json!(1)),
        "{view}"
    );
    // Everything they were sent: the one alert (a request to check would have gone first).
    let to_them = app.twilio.messages_to(JOINER);
    assert_eq!(to_them.len(), 1, "{to_them:?}");
    app.stop().await;
}
on_both_backends!(open_joining_alerts_with_the_area_only_and_never_counts_or_asks_them);

async fn zone_changes_and_adding_a_known_number_are_audited(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    let zones: Value =
        serde_json::from_str(include_str!("../../examples/zones-los-angeles.geojson")).unwrap();
    let (status, body) = app.post("/zones", zones).await;
    assert_eq!(status, 201, "{body}");
    let (status, _) = app.api(reqwest::Method::DELETE, "/zones/Westlake", None).await;
    assert_eq!(status, 204);
    let imported = audited(&app, "zones_import").await;
    assert_eq!(imported.len(), 1, "{imported:?}");
    assert!(
        imported[0].0 == "api"
            && imported[0].2.starts_with("6 zones: ")
            && imported[0].2.contains("Koreatown"),
        "{imported:?}"
    );
    assert_eq!(
        audited(&app, "zone_remove").await,
        vec![("api".to_string(), None, "Westlake".to_string())]
    );

    // The API is for admins, who see every number: a number already on the roster is a 409
    // (a tool must know), and audited all the same.
    let id = neighbour(&app, 1, 0.0, &[]).await;
    let (status, body) = app
        .post(
            "/volunteers",
            json!({"name": "Again", "phone": phone(1), "area": {"type": "zone", "zone": "Koreatown"}}),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        audited(&app, "volunteer_add_existing").await,
        vec![("api".to_string(), Some(id), String::new())]
    );
    app.stop().await;
}
on_both_backends!(zone_changes_and_adding_a_known_number_are_audited);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_audits_zone_imports_and_removals() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = crate::binary::tocsin(dir.path(), None, 1)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    crate::binary_run::migrated(dir.path(), &[]);
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/zones-los-angeles.geojson");
    run(&["zones", "import", example]);
    run(&["zones", "remove", "Westlake"]);
    let mut settings = tocsin::config::Settings::defaults();
    settings.database.url = format!("sqlite://{}/tocsin.db", dir.path().display());
    settings.crypto.key_file = dir.path().join("secret/tocsin.key").display().to_string();
    let store = tocsin::store::Store::open(&settings.database, &settings.crypto)
        .await
        .expect("the CLI's database");
    let mut entries: Vec<(String, String, String)> = store
        .audit_entries(10)
        .await
        .expect("audit log")
        .into_iter()
        .map(|e| (e.actor, e.action, e.detail))
        .collect();
    entries.reverse();
    store.close().await;
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert_eq!(
        (entries[0].0.as_str(), entries[0].1.as_str()),
        ("cli", "zones_import")
    );
    assert!(entries[0].2.starts_with("6 zones: "), "{entries:?}");
    assert_eq!(
        entries[1],
        ("cli".into(), "zone_remove".into(), "Westlake".into())
    );
}
