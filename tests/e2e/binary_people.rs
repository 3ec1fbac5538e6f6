//! Issue 12 §1 and §4 through the real `tocsin serve`, with its defaults (merging on, the
//! reporter told), on SQLite and on PostgreSQL: with two incidents open, an answer naming one goes
//! to it and a bare one is asked about, then applied to the number given; a volunteer's unclear
//! message is kept as unclear and opens nothing; a stranger's report with no place opens an
//! unplaced incident and is asked where, and the answer places that same incident; a bare word
//! opens nothing and is asked what and where; Korean and Chinese sightings get their kind.

use reqwest::Method;
use serde_json::{json, Value};
use tocsin_fakes::{FakeTwilio, FakeTwilioConfig};

use crate::binary::start_with;
use crate::binary_net::{Net, WAIT};
use crate::binary_run::on_backend;
use crate::helpers::{eventually, Backend, ACCOUNT_SID, AUTH_TOKEN, HOTLINE};
const ROSA: &str = "+13235550401";
const ANN: &str = "+13235550402";
const STRANGER: &str = "+13235550403";
const BARE: &str = "+13235550404";
const MIN: &str = "+13235550405";
const WEI: &str = "+13235550406";

async fn people(backend: Backend) {
    on_backend(backend, scenario).await;
}

mod people {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        super::people(crate::helpers::Backend::Sqlite).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        super::people(crate::helpers::Backend::Postgres).await
    }
}

async fn scenario(pg_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let twilio = FakeTwilio::start(FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE]))
        .await
        .unwrap();
    let mut env = Vec::new();
    if let Some(url) = &pg_url {
        env.push(("TOCSIN_DATABASE__URL", url.as_str()));
    }
    let server = start_with(dir.path(), Some(&twilio), &env).await;
    let net = Net {
        twilio: &twilio,
        base: server.base.clone(),
        http: reqwest::Client::new(),
    };
    let zones: Value =
        serde_json::from_str(include_str!("../../examples/zones-los-angeles.geojson")).unwrap();
    let (status, body) = net.api(Method::POST, "/zones", Some(zones)).await;
    assert_eq!(status, 201, "{body}");
    let mut ids = Vec::new();
    // Rosa, trusted, lives far away; Ann covers Koreatown and Westlake.
    for (name, phone, trusted, lat, lon, radius_m) in [
        ("Rosa", ROSA, true, 34.2, -118.5, 1000.0),
        ("Ann", ANN, false, 34.06, -118.285, 5000.0),
    ] {
        let body = json!({"name": name, "phone": phone, "language": "en", "trusted": trusted,
            "area": {"type": "circle", "lat": lat, "lon": lon, "radius_m": radius_m}});
        let (status, v) = net.api(Method::POST, "/volunteers", Some(body)).await;
        assert_eq!(status, 201, "{v}");
        ids.push(v["id"].as_i64().expect("id"));
    }
    let ann = ids[1];

    // §1: a volunteer's unclear message is kept for the dispatcher, flagged, and opens nothing.
    let reply = net.text(ANN, "what time is it?").await;
    assert!(reply.contains("Not understood"), "{reply}");
    assert!(
        net.incidents().await.is_empty(),
        "no incident from an unclear message"
    );
    let latest = net.latest_report().await;
    assert_eq!(latest["flagged"], "unclear", "{latest}");
    assert_eq!(latest["volunteer_id"], json!(ann), "{latest}");
    assert!(latest["incident_id"].is_null(), "{latest}");

    // §1: two incidents open for Ann; her alerts carry their numbers.
    let ack = net.text(ROSA, "ICE raid at 34.0670, -118.3000").await;
    assert!(ack.contains("Volunteers are being alerted"), "{ack}");
    let alert = net.nth_to(ANN, 1).await;
    let kt = net.latest().await;
    assert!(alert.contains(&format!("Y{kt}=coming")), "{alert}");
    net.text(ROSA, "Eviction now at 34.0560, -118.2750").await;
    let alert = net.nth_to(ANN, 2).await;
    let wl = net.latest().await;
    assert_ne!(wl, kt, "two incidents, not merged");
    assert!(alert.contains(&format!("Y{wl}=coming")), "{alert}");
    assert!(alert.contains(&format!("N{wl}=can't")), "{alert}");

    // An answer naming one goes to it only.
    let ack = net.text(ANN, &format!("Y {kt}")).await;
    assert!(ack.contains(&format!("coming to #{kt}")), "{ack}");
    assert_eq!(net.counts(kt).await, (1, 0, 0));
    assert_eq!(net.counts(wl).await, (0, 0, 0));
    // A bare answer with two open: one question naming both, the newest first; nothing applied.
    let ask = net.text(ANN, "si voy").await;
    assert!(ask.contains("Which alert?"), "{ask}");
    let (at_wl, at_kt) = (
        ask.find(&format!("#{wl} Westlake")),
        ask.find(&format!("#{kt} Koreatown")),
    );
    assert!(at_wl.is_some() && at_kt.is_some() && at_wl < at_kt, "{ask}");
    assert_eq!(net.counts(kt).await, (1, 0, 0));
    assert_eq!(net.counts(wl).await, (0, 0, 0));
    // The number alone applies the held answer there.
    let ack = net.text(ANN, &wl.to_string()).await;
    assert!(ack.contains(&format!("coming to #{wl}")), "{ack}");
    assert_eq!(net.counts(wl).await, (1, 0, 0));
    assert_eq!(net.counts(kt).await, (1, 0, 0), "the first untouched");
    // Coded answers in any form go to the incident they name; an unknown number is refused.
    for (text, id, expected) in [
        (format!("HERE{kt}"), kt, (0, 0, 1)),
        (format!("{wl} y"), wl, (1, 0, 0)),
        (format!("#{wl} aquí"), wl, (0, 0, 1)),
        (format!("yes #{kt}"), kt, (1, 0, 0)),
    ] {
        let ack = net.text(ANN, &text).await;
        assert!(ack.contains(&format!("#{id}")), "{text}: {ack}");
        assert_eq!(net.counts(id).await, expected, "{text}");
    }
    let ack = net.text(ANN, "Y 99999").await;
    assert!(ack.contains("#99999") && ack.contains(&format!("#{kt}")), "{ack}");
    assert_eq!(net.incidents().await.len(), 2, "no answer became an incident");

    // §4: a stranger's report with no place opens an unplaced incident and is asked where.
    let reply = net.text(STRANGER, "ICE agents outside the school").await;
    assert!(reply.contains("Where is it?"), "{reply}");
    assert!(!reply.contains("Volunteers are being alerted"), "{reply}");
    let open = net.incidents().await;
    assert_eq!(open.len(), 3, "the dispatcher sees it at once: {open:?}");
    let asked = net.latest().await;
    let view = net.incident(asked).await;
    assert_eq!(view["kind"], "raid", "{view}");
    assert!(view["lat"].is_null(), "unplaced: {view}");
    // The answer within intake.followup_s places that same incident.
    let reply = net.text(STRANGER, "34.0617, -118.3005").await;
    assert!(reply.contains("Received, thank you"), "{reply}");
    assert_eq!(net.incidents().await.len(), 3, "never a second incident");
    let view = net.incident(asked).await;
    assert_eq!(
        (view["lat"].as_f64(), view["lon"].as_f64()),
        (Some(34.0617), Some(-118.3005)),
        "{view}"
    );
    assert_eq!(
        view["reports"].as_array().map(Vec::len),
        Some(2),
        "both texts: {view}"
    );
    let causes: Vec<&str> = view["history"]
        .as_array()
        .map(|h| h.iter().filter_map(|t| t["cause"].as_str()).collect())
        .unwrap_or_default();
    for cause in ["the reporter was asked where", "placed by the reporter's answer"] {
        assert!(causes.contains(&cause), "the dispatcher sees it: {causes:?}");
    }

    // §4: a bare word opens nothing; it is stored and asked what and where.
    let reply = net.text(BARE, "hola").await;
    assert!(reply.contains("What is happening, and where?"), "{reply}");
    assert!(!reply.contains("Volunteers are being alerted"), "{reply}");
    assert_eq!(net.incidents().await.len(), 3, "no incident from a bare word");
    let held = net.latest_report().await;
    assert_eq!(held["flagged"], "asked", "{held}");
    assert!(held["incident_id"].is_null(), "{held}");

    // §4: Korean and Chinese sightings get their kind, and are answered in their language.
    let mut sightings = Vec::new();
    for (from, text, kind, words) in [
        (MIN, "이민단속 34.1000, -118.2000", "raid", "접수"),
        (WEI, "很多警察", "police", "在哪里"),
    ] {
        let reply = net.text(from, text).await;
        assert!(
            reply.contains(words) && !reply.contains("Received"),
            "{text}: {reply}"
        );
        let id = net.latest().await;
        assert_eq!(net.incident(id).await["kind"], kind, "{text}");
        sightings.push(id);
    }
    assert_eq!(net.incidents().await.len(), 5);

    // §4 (intake.tell_reporter, on by default): Rosa's reports were confirmed at once (her
    // acknowledgement said volunteers are being alerted); she hears the end, once.
    let (status, body) = net
        .api(
            Method::POST,
            &format!("/incidents/{kt}/all-clear"),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    for (to, words) in [
        (ANN, "ALL CLEAR"),
        (ROSA, "(immigration raid) is over: all clear"),
    ] {
        let told = eventually(WAIT, || async {
            twilio.messages_to(to).iter().any(|m| m.body.contains(words))
        })
        .await;
        assert!(told, "{to}: {:?}", twilio.messages_to(to));
    }
    // The teller tells in passes, one after the other. Two more incidents end, the second once
    // the first's reporter was told: that takes two more passes after the one that told Rosa,
    // and a second telling would have come in the first of them.
    for (id, to, words) in [(asked, STRANGER, "false alarm"), (sightings[0], MIN, "오경보")] {
        let path = format!("/incidents/{id}/false-alarm");
        let (status, body) = net.api(Method::POST, &path, Some(json!({}))).await;
        assert_eq!(status, 200, "{body}");
        net.sent_to(to, &[words]).await;
    }
    let news = twilio.messages_to(ROSA);
    assert_eq!(news.len(), 1, "one piece of news, once: {news:?}");

    // §1: with one incident open for her, every listed natural answer, bare, answers it.
    for (text, expected) in crate::answers::NATURAL_ANSWERS {
        let ack = net.text(ANN, text).await;
        assert!(ack.contains(&format!("#{wl}")), "{text}: {ack}");
        assert_eq!(net.counts(wl).await, expected, "{text}");
    }
    assert_eq!(net.incidents().await.len(), 5, "no answer became an incident");
    drop(server);
}
