//! A report stored whose incident was never opened (the process stopped between intake's two
//! steps) is taken up by intake's own worker a few seconds later: the incident opens and the
//! area is alerted as if nothing had happened. A report held on purpose is left alone.

use std::time::Duration;

use tocsin::domain::{LocatedBy, Location};
use tocsin::store::reports::NewReport;

use crate::helpers::{eventually, spawn_app, Backend};
use crate::on_both_backends;

const TRUSTED: &str = "+13235550601";
const NEIGHBOUR: &str = "+13235550602";

async fn an_interrupted_report_is_taken_up_by_intake(backend: Backend) {
    let app = spawn_app(backend).await;
    let rosa = app
        .volunteer("Rosa", TRUSTED, "en", true, 34.3, -118.6, 1000.0)
        .await;
    app.volunteer("Ann", NEIGHBOUR, "en", false, 34.0617, -118.3005, 2000.0)
        .await;
    let core = app.core();
    let stored = |flagged: Option<&'static str>| NewReport {
        channel: "sms",
        body: "ICE raid at 34.0617, -118.3005".into(),
        language: "en".into(),
        reporter: Some(TRUSTED.into()),
        reporter_hash: Some(core.vault.lookup_hash(TRUSTED)),
        volunteer_id: Some(rosa),
        location: Location {
            point: Some((34.0617, -118.3005)),
            zone: None,
            approximate: false,
            located_by: Some(LocatedBy::Coordinates),
            uncertainty_m: None,
        },
        kind: "raid".into(),
        // Ten seconds ago: past the grace a normal intake takes.
        received_at: tocsin::store::now_ms() - 10_000,
        flagged,
        drill: false,
        truncated: false,
    };
    // As the crash left them: the report is written, its incident is not.
    let mut tx = core.store.write().await.unwrap();
    let held = core
        .store
        .insert_report(&mut tx, &stored(Some("rate_limited")))
        .await
        .unwrap();
    let report = core.store.insert_report(&mut tx, &stored(None)).await.unwrap();
    tx.commit().await.unwrap();

    let alerted = eventually(Duration::from_secs(15), || async {
        !app.twilio.messages_to(NEIGHBOUR).is_empty()
    })
    .await;
    assert!(alerted, "the area was alerted after the interruption");
    let taken = core
        .store
        .report(report)
        .await
        .unwrap()
        .and_then(|r| r.incident_id);
    let id = taken.expect("the report has its incident");
    let view = app.incident(id).await;
    assert_eq!(
        view["status"], "confirmed",
        "a trusted volunteer's report: {view}"
    );
    let left = core.store.report(held).await.unwrap().and_then(|r| r.incident_id);
    assert_eq!(left, None, "a held report is the dispatcher's to decide");
    assert_eq!(tocsin::intake::resume::pass(core, i64::MAX).await.unwrap(), 0);
    app.stop().await;
}
on_both_backends!(an_interrupted_report_is_taken_up_by_intake);
