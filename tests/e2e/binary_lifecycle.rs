//! The verification lifecycle through the real `tocsin serve`, configured by environment as an
//! operator would: verifiers first, a merged second report, CONFIRM, progressive disclosure,
//! escalation (radii as a comma-separated list), a false alarm.

use std::time::Duration;

use serde_json::{json, Value};
use tocsin_fakes::{FakeTwilio, FakeTwilioConfig, Signing};

use crate::binary::start_with;
use crate::helpers::{eventually, ACCOUNT_SID, API_TOKEN, AUTH_TOKEN, HOTLINE};

const WAIT: Duration = Duration::from_secs(15);
const VERIFIER: &str = "+13235550191";
const RESIDENT: &str = "+13235550192";
const RING: &str = "+13235550193";
const FAR: &str = "+13235550194";
const WITNESS: &[&str] = &["+13235550195", "+13235550196"];
const EXACT: &str = "34.06170,-118.30050";

async fn api(http: &reqwest::Client, base: &str, method: reqwest::Method, path: &str, body: Value) -> Value {
    http.request(method, format!("{base}/api/v1{path}"))
        .bearer_auth(API_TOKEN)
        .json(&body)
        .send()
        .await
        .expect("API answered")
        .json()
        .await
        .unwrap_or(Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_verifies_first_discloses_progressively_and_escalates() {
    let dir = tempfile::tempdir().unwrap();
    let twilio = FakeTwilio::start(FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE]))
        .await
        .unwrap();
    let env = [
        ("TOCSIN_DISPATCH__WANTED", "2"),
        ("TOCSIN_DISPATCH__ESCALATE_AFTER_S", "1"),
        ("TOCSIN_DISPATCH__ESCALATION_RADII_M", "3000,4000"),
        ("TOCSIN_DISPATCH__ESCALATE_TO_NEIGHBOURING_ZONES", "false"),
        ("TOCSIN_DISPATCH__ESCALATE_TO_EVERYONE", "false"),
    ];
    let server = start_with(dir.path(), Some(&twilio), &env).await;
    let http = reqwest::Client::new();
    let base = server.base.clone();
    // The verifier lives 1 km north (their area does not hold the point), the resident at the
    // point, the ring volunteer 2 km north, the far one 30 km away.
    for (phone, north, roles) in [
        (VERIFIER, 0.009, json!(["verifier"])),
        (RESIDENT, 0.0, json!([])),
        (RING, 0.018, json!([])),
        (FAR, 0.27, json!([])),
    ] {
        let v = api(
            &http,
            &base,
            reqwest::Method::POST,
            "/volunteers",
            json!({
            "name": "V", "phone": phone, "roles": roles,
            "area": {"type": "circle", "lat": 34.0617 + north, "lon": -118.3005, "radius_m": 500}}),
        )
        .await;
        assert!(v["id"].is_i64(), "{v}");
    }
    let sms = format!("{base}/webhooks/twilio/sms");
    let text = |from: &'static str, body: &'static str| {
        let (twilio, sms) = (&twilio, sms.clone());
        async move {
            twilio
                .send_inbound_sms(&sms, from, HOTLINE, body, Signing::Valid)
                .await
                .expect("webhook answered")
        }
    };

    text(WITNESS[0], "ICE raid at 34.0617, -118.3005").await;
    let check = twilio.wait_for_messages(1, WAIT).await;
    assert_eq!(check[0].to, VERIFIER, "the verifier first, nobody else");
    assert!(
        check[0].body.contains("UNCONFIRMED") && check[0].body.contains(EXACT),
        "{}",
        check[0].body
    );
    // A second witness about 50 m away: the same raid, nobody new alerted.
    text(WITNESS[1], "ICE raid at 34.0620, -118.3009").await;
    let list = api(&http, &base, reqwest::Method::GET, "/incidents", Value::Null).await;
    assert_eq!(list["incidents"].as_array().map(Vec::len), Some(1), "{list}");
    let id = list["incidents"][0]["id"].as_i64().expect("incident");
    assert_eq!(list["incidents"][0]["reporters"], 2);
    assert_eq!(list["incidents"][0]["status"], "verifying");

    let reply = text(VERIFIER, "CONFIRM").await;
    assert!(reply.body.contains("confirmed"), "{}", reply.body);
    let alerted = eventually(WAIT, || async { twilio.messages_to(RESIDENT).len() == 1 }).await;
    assert!(alerted, "the area is alerted");
    let alert = &twilio.messages_to(RESIDENT)[0].body;
    assert!(alert.starts_with(&format!("TOCSIN #{id} CONFIRMED:")), "{alert}");
    assert!(alert.contains("Need 2.") && !alert.contains(EXACT), "{alert}");
    let reply = text(RESIDENT, "Y").await;
    assert!(
        reply.body.contains(EXACT),
        "the exact place to the one coming: {}",
        reply.body
    );

    // One of two coming: the 3 km ring is alerted, then the 4 km step finds nobody new.
    let widened = eventually(WAIT, || async { twilio.messages_to(RING).len() == 1 }).await;
    assert!(widened, "the ring is alerted");
    let steps = eventually(WAIT, || async {
        let v = api(
            &http,
            &base,
            reqwest::Method::GET,
            &format!("/incidents/{id}"),
            Value::Null,
        )
        .await;
        v["escalation_step"] == 2
    })
    .await;
    assert!(steps, "both steps taken");
    assert!(twilio.messages_to(FAR).is_empty());

    let v = api(
        &http,
        &base,
        reqwest::Method::POST,
        &format!("/incidents/{id}/false-alarm"),
        json!({}),
    )
    .await;
    assert_eq!(v["status"], "false_alarm", "{v}");
    let stood_down = eventually(WAIT, || async {
        [RESIDENT, RING].iter().all(|p| {
            twilio
                .messages_to(p)
                .iter()
                .any(|m| m.body.contains("FALSE ALARM"))
        })
    })
    .await;
    assert!(stood_down, "everyone alerted is stood down");
    let v = api(
        &http,
        &base,
        reqwest::Method::GET,
        &format!("/incidents/{id}"),
        Value::Null,
    )
    .await;
    let to: Vec<&str> = v["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|h| h["to"].as_str())
        .collect();
    assert_eq!(
        to,
        [
            "unverified",
            "verifying",
            "confirmed",
            "confirmed",
            "confirmed",
            "false_alarm"
        ],
        "{v}"
    );

    let log = std::fs::read_to_string(&server.log).unwrap();
    for secret in [VERIFIER, RESIDENT, RING, WITNESS[0], &RESIDENT[2..], "ICE raid"] {
        assert!(!log.contains(secret), "the log holds {secret:?}");
    }
}
