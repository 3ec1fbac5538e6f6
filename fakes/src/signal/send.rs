//! `send` and `sendReceipt` (PROTOCOLS §6.4, after `SendCommand`, `SendReceiptCommand` and
//! `SendMessageResultUtils`). Guarantees: every call that gets as far as sending has a fresh,
//! strictly increasing millisecond `timestamp`; each recipient gets its scripted outcome, and
//! a SUCCESS is subject to the per-account rate limiter; if no recipient succeeded the answer
//! is an error (-4 only untrusted identities, -5 only rate limits, else -1) carrying the
//! result in `data.response`; a single `Unregistered` recipient is error -1 "The user … is
//! not registered." with `data: null`. The send happens (recorded, receipts scheduled) before
//! the latency, so a client that disconnects early has still sent the message.

use std::sync::Arc;

use serde_json::{json, Value};

use super::envelope::{receipt, Receipt};
use super::methods::{get, get_list, get_string, get_strings, is_e164, recipients, Params};
use super::rpc::{RpcError, RATELIMIT_ERROR, UNTRUSTED_KEY_ERROR, USER_ERROR};
use super::state::{is_uuid, Address, Inner, Shared};
use super::types::{SignalOutcome, SignalSent};

const EMPTY_MESSAGE: &str =
    "Sending empty message is not allowed, either a message, attachment or sticker must be given.";

/// One recipient's line in `results`, plus whether it succeeded.
struct Line {
    json: Value,
    kind: &'static str,
}

fn line(inner: &Inner, name: &str, mut address: Address, outcome: &SignalOutcome) -> Line {
    let (kind, token, retry) = match outcome {
        SignalOutcome::Success => ("SUCCESS", None, None),
        SignalOutcome::Unregistered => ("UNREGISTERED_FAILURE", None, None),
        SignalOutcome::IdentityFailure => ("IDENTITY_FAILURE", None, None),
        SignalOutcome::NetworkFailure => ("NETWORK_FAILURE", None, None),
        SignalOutcome::RateLimited { retry_after_s, token } => {
            ("RATE_LIMIT_FAILURE", token.clone(), Some(*retry_after_s))
        }
    };
    if *outcome == SignalOutcome::Unregistered && !is_uuid(name) && !inner.is_registered(&address) {
        address.uuid = None; // no ACI is known for a number that is not on Signal
    }
    let mut json = json!({
        "recipientAddress": { "uuid": address.uuid, "number": address.number, "username": null },
        "type": kind,
    });
    if let Some(token) = token {
        json["token"] = json!(token);
    }
    if let Some(retry) = retry {
        json["retryAfterSeconds"] = json!(retry);
    }
    Line { json, kind }
}

/// `{"timestamp","results"}`, or the all-failed error carrying it.
fn outcome(timestamp: i64, lines: &[Line]) -> Result<Value, RpcError> {
    let result = json!({
        "timestamp": timestamp,
        "results": lines.iter().map(|l| l.json.clone()).collect::<Vec<_>>(),
    });
    if lines.iter().any(|l| l.kind == "SUCCESS") {
        return Ok(result);
    }
    let only = |kind: &str| lines.iter().all(|l| l.kind == kind);
    Err(if only("IDENTITY_FAILURE") {
        RpcError::with_response(
            UNTRUSTED_KEY_ERROR,
            "Failed to send message due to untrusted identities",
            result,
        )
    } else if only("RATE_LIMIT_FAILURE") {
        RpcError::with_response(
            RATELIMIT_ERROR,
            "Failed to send message due to rate limiting",
            result,
        )
    } else {
        RpcError::with_response(USER_ERROR, "Failed to send message", result)
    })
}

pub(crate) async fn send(shared: &Arc<Shared>, params: &Params) -> Result<Value, RpcError> {
    let answer = perform_send(shared, params);
    let latency = shared.config.send_latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    answer
}

fn perform_send(shared: &Arc<Shared>, params: &Params) -> Result<Value, RpcError> {
    let named = recipients(params)?;
    if let Some(group) = get_strings(params, "group-id")?.and_then(|g| g.into_iter().next()) {
        // The fake account is a member of no group.
        return Err(RpcError::user(format!("Group not found: {group}")));
    }
    if get(params, "username").is_some() {
        return Err(RpcError::user(
            "The fake signal-cli does not support sending to usernames",
        ));
    }
    if named.is_empty() {
        return Err(RpcError::user("No recipients given"));
    }
    let message = get_string(params, "message")?.unwrap_or_default();
    let attachments = get_strings(params, "attachment")?.unwrap_or_default();
    let has_other_content = get(params, "sticker").is_some() || get(params, "quote-timestamp").is_some();
    if message.is_empty() && attachments.is_empty() && !has_other_content {
        return Err(RpcError::user(EMPTY_MESSAGE));
    }

    let mut inner = shared.lock();
    let planned: Vec<(String, Address, SignalOutcome)> = named
        .iter()
        .map(|name| {
            let address = inner.resolve(name);
            let outcome = inner.outcome(name, &address);
            (name.clone(), address, outcome)
        })
        .collect();
    if let [(name, _, SignalOutcome::Unregistered)] = planned.as_slice() {
        return Err(RpcError::user(format!("The user {name} is not registered.")));
    }
    let timestamp = inner.next_timestamp();
    let limit = shared.config.rate_limit_per_minute;
    let mut lines = Vec::new();
    let mut delivered = Vec::new();
    for (name, address, scripted) in planned {
        let actual = match scripted {
            SignalOutcome::Success => match inner.admit_send(limit) {
                Ok(()) => SignalOutcome::Success,
                Err(retry_after_s) => SignalOutcome::RateLimited {
                    retry_after_s,
                    token: None,
                },
            },
            other => other,
        };
        if actual == SignalOutcome::Success {
            delivered.push(address.clone());
        }
        lines.push(line(&inner, &name, address, &actual));
    }
    let answer = outcome(timestamp, &lines);
    if answer.is_ok() {
        inner.sent.push(SignalSent {
            timestamp,
            recipients: named.clone(),
            message,
            results: named
                .into_iter()
                .zip(lines.iter().map(|l| l.kind.to_owned()))
                .collect(),
        });
    }
    drop(inner);
    shared.notify();
    schedule_receipts(shared.clone(), delivered, timestamp);
    answer
}

/// Delivery receipt from every recipient that got the message, `send_latency +
/// receipt_delay` after the send; a read receipt `receipt_delay` later if configured.
fn schedule_receipts(shared: Arc<Shared>, to: Vec<Address>, timestamp: i64) {
    if to.is_empty() {
        return;
    }
    tokio::spawn(async move {
        let config = shared.config.clone();
        tokio::time::sleep(config.send_latency + config.receipt_delay).await;
        for address in &to {
            shared.broadcast(&receipt(
                &config.account,
                address,
                Receipt::Delivery,
                &[timestamp],
            ));
        }
        if config.read_receipts {
            tokio::time::sleep(config.receipt_delay).await;
            for address in &to {
                shared.broadcast(&receipt(&config.account, address, Receipt::Read, &[timestamp]));
            }
        }
    });
}

/// `sendReceipt`: `recipient` (the sender of the message), `targetTimestamp` (one or more),
/// `type` `read` (default) or `viewed`. Answers like `send`, for that one recipient.
pub(crate) fn send_receipt(shared: &Arc<Shared>, params: &Params) -> Result<Value, RpcError> {
    let recipient = match get(params, "recipient") {
        None => return Err(RpcError::user("No recipients given")),
        Some(Value::String(s)) => s.clone(),
        Some(other) => return Err(RpcError::bad_type("java.lang.String", other)),
    };
    if !(is_e164(&recipient) || is_uuid(&recipient)) {
        return Err(RpcError::user(format!(
            "Invalid phone number '{recipient}': Invalid number format"
        )));
    }
    let targets = get_list(params, "target-timestamp").unwrap_or_default();
    if let Some(bad) = targets.iter().find(|t| t.as_i64().is_none()) {
        return Err(RpcError::bad_type("java.lang.Long", bad));
    }
    if targets.is_empty() {
        return Err(RpcError::user("No target timestamps given"));
    }
    match get_string(params, "type")?.as_deref() {
        None | Some("read") | Some("viewed") => {}
        Some(other) => return Err(RpcError::user(format!("Unknown receipt type: {other}"))),
    }
    let mut inner = shared.lock();
    let address = inner.resolve(&recipient);
    let scripted = inner.outcome(&recipient, &address);
    let timestamp = inner.next_timestamp();
    let lines = [line(&inner, &recipient, address, &scripted)];
    outcome(timestamp, &lines)
}
