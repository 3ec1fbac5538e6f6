//! The incident numbers in volunteers' answers and in what tocsin answers them (issue 12 §1):
//! an answer naming an incident merged into another counts for that other one and says so; the
//! reply to an unclear message shows the volunteer's own open incident's number, or none; an
//! incident placed by the reporter's answer to "where?" says how it was placed.

use serde_json::json;

use crate::answers::{counts, sighting, with_zones, REPORTER};
use crate::helpers::Backend;
use crate::on_both_backends;

const ANN: &str = "+13235550402";
const BETO: &str = "+13235550403";
const STRANGER: &str = "+13235550404";

/// Two volunteers alerted for #A and #B; the dispatcher merges #B into #A.
async fn an_answer_naming_a_merged_incident_counts_for_the_one_it_was_merged_into(backend: Backend) {
    let app = with_zones(backend).await;
    app.volunteer("Rosa", REPORTER, "en", true, 34.2, -118.5, 1000.0)
        .await;
    app.volunteer("Ann", ANN, "en", false, 34.06, -118.285, 5000.0)
        .await;
    app.volunteer("Beto", BETO, "es", false, 34.06, -118.285, 5000.0)
        .await;
    let kept = sighting(&app, "ICE raid at 34.0670, -118.3000", 2, 2).await;
    let merged = sighting(&app, "ICE vans at 34.0560, -118.2750", 4, 2).await;
    assert_ne!(kept, merged);
    let (status, body) = app
        .post(&format!("/incidents/{merged}/merge"), json!({"into": kept}))
        .await;
    assert_eq!(status, 200, "{body}");

    // Ann answers the number her second alert carried: it counts for the incident it became.
    let ack = app.text(ANN, &format!("Y{merged}")).await;
    assert!(!ack.body.contains("not alerted"), "{}", ack.body);
    assert!(ack.body.contains(&format!("coming to #{kept}")), "{}", ack.body);
    assert_eq!(counts(&app.incident(kept).await), (1, 0, 0));
    // In any coded form, and in Spanish.
    let ack = app.text(ANN, &format!("#{merged} here")).await;
    assert!(ack.body.contains(&format!("#{kept}")), "{}", ack.body);
    assert_eq!(counts(&app.incident(kept).await), (0, 0, 1));
    let ack = app.text(BETO, &format!("{merged} no puedo")).await;
    assert!(ack.body.contains(&format!("#{kept}")), "{}", ack.body);
    assert_eq!(counts(&app.incident(kept).await), (0, 1, 1));
    // Nothing is counted on the merged one, and a number never alerted is still refused.
    assert_eq!(counts(&app.incident(merged).await), (0, 0, 0));
    let ack = app.text(ANN, "Y 99999").await;
    assert!(ack.body.contains("not alerted for #99999"), "{}", ack.body);
    assert!(ack.body.contains(&format!("#{kept}")), "{}", ack.body);
    assert!(!ack.body.contains(&format!("#{merged} ")), "{}", ack.body);
    app.stop().await;
}
on_both_backends!(an_answer_naming_a_merged_incident_counts_for_the_one_it_was_merged_into);

/// The example in "not understood" is the volunteer's own: none open, one, then the newest of two.
async fn the_unclear_reply_shows_the_volunteers_own_open_incident(backend: Backend) {
    let app = with_zones(backend).await;
    app.volunteer("Rosa", REPORTER, "en", true, 34.2, -118.5, 1000.0)
        .await;
    app.volunteer("Ann", ANN, "en", false, 34.06, -118.285, 5000.0)
        .await;
    app.volunteer("Beto", BETO, "es", false, 34.06, -118.285, 5000.0)
        .await;
    let reply = app.text(ANN, "what time is it?").await;
    assert!(reply.body.contains("Not understood"), "{}", reply.body);
    assert!(
        reply.body.contains("reply Y, N or HERE. Report") && !reply.body.contains('#'),
        "no number when nothing is open: {}",
        reply.body
    );

    let first = sighting(&app, "ICE raid at 34.0670, -118.3000", 2, 2).await;
    let reply = app.text(ANN, "ok thanks").await;
    assert!(reply.body.contains("Not understood"), "{}", reply.body);
    assert!(
        reply.body.contains(&format!("Y{first} for #{first}")),
        "{}",
        reply.body
    );
    assert!(!reply.body.contains("Y26 "), "{}", reply.body);

    let second = sighting(&app, "Eviction now at 34.0560, -118.2750", 4, 2).await;
    let reply = app.text(ANN, "who is driving?").await;
    assert!(
        reply.body.contains(&format!("Y{second} for #{second}")),
        "the most recent: {}",
        reply.body
    );
    let reply = app.text(BETO, "que hora es").await;
    assert!(
        reply.body.contains(&format!("SI{second} para #{second}")),
        "{}",
        reply.body
    );
    app.stop().await;
}
on_both_backends!(the_unclear_reply_shows_the_volunteers_own_open_incident);

/// A report with no place, placed by the zone the reporter names when asked where: the incident
/// says it was placed by a zone, and how rough that is.
async fn an_incident_placed_by_the_answer_to_where_says_how(backend: Backend) {
    let app = with_zones(backend).await;
    let reply = app
        .text(STRANGER, "ICE agents taking people at the car wash, hurry")
        .await;
    assert!(reply.body.contains("Where is it?"), "{}", reply.body);
    let id = app.latest_incident_id().await;
    assert!(app.incident(id).await["located_by"].is_null());
    app.text(STRANGER, "in Koreatown").await;
    let view = app.incident(id).await;
    assert_eq!(view["zone"], "Koreatown", "{view}");
    assert_eq!(view["located_by"], "zone", "{view}");
    assert!(view["uncertainty_m"].as_f64().is_some_and(|m| m > 0.0), "{view}");
    assert_eq!(view["approximate"], true, "{view}");
    app.stop().await;
}
on_both_backends!(an_incident_placed_by_the_answer_to_where_says_how);
