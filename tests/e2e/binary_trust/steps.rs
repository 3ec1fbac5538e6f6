//! The trust scenario's later steps, run in this order once the earlier ones are done: tokens
//! made at the command line are scoped, short codes and alphanumeric senders are limited and
//! blockable like numbers, and (SQLite) the database's files name nobody.

use std::path::Path;

use reqwest::Method;
use serde_json::{json, Value};

use super::support::{cli_token, removed_leaves_no_bytes, Net};
use super::{ANN, FAR, ROSTER};
use crate::binary::Server;
use crate::disk;
use crate::senders::said;

/// Step 7: tokens made at the command line while the server runs. A `read` token cannot list
/// volunteers; a `dispatch` token (returned, for the later steps) lists them, volunteer `ann`
/// included, by last digits only.
pub(super) async fn cli_tokens_are_scoped(
    net: &Net<'_>,
    dir: &Path,
    env: &[(&str, &str)],
    ann: i64,
) -> String {
    let token = |name, scope| cli_token(dir, env, name, scope);
    let (reader, desk) = (token("reader", "read"), token("desk", "dispatch"));
    let (status, body) = net.api(&reader, Method::GET, "/volunteers", None).await;
    assert_eq!(
        (status, body["scope_needed"].as_str()),
        (403, Some("dispatch")),
        "{body}"
    );
    assert!(
        body["error"].as_str().is_some_and(|e| e.contains("dispatch")),
        "{body}"
    );
    assert_eq!(net.api(&reader, Method::GET, "/incidents", None).await.0, 200);
    let (status, list) = net.api(&desk, Method::GET, "/volunteers", None).await;
    assert_eq!(status, 200, "{list}");
    let listed = list["volunteers"].as_array().expect("volunteers");
    assert_eq!(listed.len(), ROSTER.len() + 1, "{list}");
    assert!(listed
        .iter()
        .all(|v| v["phone_last4"].as_str().is_some_and(|l| l.len() == 4) && v.get("phone").is_none()));
    let (status, one) = net
        .api(&desk, Method::GET, &format!("/volunteers/{ann}"), None)
        .await;
    assert_eq!(
        (status, one["phone_last4"].as_str(), one.get("phone")),
        (200, Some("0305"), None),
        "{one}"
    );
    let seen = format!("{list}{one}");
    for (_, number, ..) in ROSTER {
        assert!(
            !seen.contains(&number[2..]),
            "a dispatch token read {number}: {seen}"
        );
    }
    assert_eq!(
        net.get(&format!("/volunteers/{ann}")).await["phone"],
        ANN,
        "admin only"
    );
    desk
}

/// Step 2: a short code and an alphanumeric id are held past the per-number limit (3 an hour)
/// like any number, answered only within it, and blockable by a dispatcher (token `desk`).
pub(super) async fn short_codes_and_ids_are_limited(net: &Net<'_>, desk: &str) {
    for sender in ["22395", "ACME-ALERTS"] {
        for n in 0..5 {
            let reply = net.text(sender, &format!("ICE raid {n} at {FAR}")).await;
            let answered = said(&reply.body).is_some_and(|t| t.contains("Received"));
            assert_eq!(answered, n < 3, "{sender} report {n}: {}", reply.body);
        }
        let list = net.reports().await;
        let held: Vec<&Value> = list[..5]
            .iter()
            .filter(|r| r["flagged"] == "rate_limited")
            .collect();
        assert_eq!(held.len(), 2, "{sender}: past 3 an hour, held: {list:?}");
        assert!(held.iter().all(|r| r["incident_id"].is_null()), "{held:?}");
        let (status, body) = net
            .api(
                desk,
                Method::POST,
                "/blocklist",
                Some(json!({"report_id": list[0]["id"], "reason": "flood"})),
            )
            .await;
        assert_eq!(status, 201, "{sender} is blockable: {body}");
        let reply = net.text(sender, &format!("ICE raid again at {FAR}")).await;
        assert_eq!(
            said(&reply.body),
            None,
            "a blocked sender gets no answer: {}",
            reply.body
        );
        assert_eq!(net.reports().await[0]["flagged"], "blocked", "{sender}");
    }
    // Every text the API shows (numbers are ids and times: a time in milliseconds may well
    // hold the digits 22395).
    fn texts(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Array(a) => a.iter().for_each(|v| texts(v, out)),
            Value::Object(o) => o.iter().for_each(|(k, v)| {
                out.push(k.clone());
                texts(v, out)
            }),
            _ => {}
        }
    }
    let mut shown = Vec::new();
    texts(&Value::Array(net.reports().await), &mut shown);
    assert!(
        !shown.iter().any(|t| t.contains("22395") || t.contains("ACME")),
        "senders are never shown: {shown:?}"
    );
}

/// Steps 5 and 4 (SQLite): the files of the running database name nobody; the stored bytes of
/// removed volunteer `gone` leave them, while it runs and after it stops. On PostgreSQL: no
/// SQLite file was made.
pub(super) async fn disk_names_nobody(
    net: &Net<'_>,
    server: &mut Server,
    dir: &Path,
    on_postgres: bool,
    gone: i64,
    desk: &str,
) {
    if !on_postgres {
        let mut secrets: Vec<(String, Vec<u8>)> = ROSTER
            .iter()
            .flat_map(|(name, number, ..)| [disk::text("name", name), disk::text("number", number)])
            .collect();
        secrets.push(disk::text("home", "34.04321"));
        let hash = tocsin::accounts::token_hash(desk);
        removed_leaves_no_bytes(net, server, dir, gone, secrets, &hash).await;
    } else {
        assert!(
            !dir.join("tocsin.db").exists(),
            "the server and the CLI ran on PostgreSQL"
        );
    }
}
