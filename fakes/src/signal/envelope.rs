//! Builds the `{"account":…,"envelope":{…}}` payloads signal-cli emits on the event stream
//! (PROTOCOLS §6.6): inbound data messages and delivery/read receipts. Serialized from
//! structs so the keys come out in signal-cli's order (`JsonMessageEnvelope`), null scalars
//! as `null`, and absent sub-objects (`dataMessage`, `receiptMessage`) omitted.

use serde::Serialize;

use super::state::{now_ms, Address};

#[derive(Serialize)]
struct Payload<'a> {
    account: &'a str,
    envelope: Envelope,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    source: Option<String>,
    source_number: Option<String>,
    source_uuid: Option<String>,
    source_name: Option<String>,
    source_device: u32,
    timestamp: i64,
    server_received_timestamp: i64,
    server_delivered_timestamp: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_message: Option<DataMessage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    receipt_message: Option<ReceiptMessage>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DataMessage {
    timestamp: i64,
    message: String,
    expires_in_seconds: u32,
    view_once: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReceiptMessage {
    when: i64,
    is_delivery: bool,
    is_read: bool,
    is_viewed: bool,
    timestamps: Vec<i64>,
}

/// Which receipt a recipient's device sends back.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Receipt {
    Delivery,
    Read,
}

fn envelope(from: &Address, timestamp: i64) -> Envelope {
    // The server stamps the envelope when it gets it; never before the sender's timestamp.
    let received = now_ms().max(timestamp);
    Envelope {
        source: from.legacy(),
        source_number: from.number.clone(),
        source_uuid: from.uuid.clone(),
        source_name: None,
        source_device: 1,
        timestamp,
        server_received_timestamp: received,
        server_delivered_timestamp: received + 3,
        data_message: None,
        receipt_message: None,
    }
}

fn to_line(account: &str, envelope: Envelope) -> String {
    let payload = Payload { account, envelope };
    // Serializing plain structs of strings and integers cannot fail; fall back to an empty
    // object rather than panicking inside the server.
    serde_json::to_string(&payload).unwrap_or_else(|_| "{}".to_owned())
}

/// An inbound text from `from`, sent at `timestamp` (the sender's clock, the message id).
pub(crate) fn data_message(account: &str, from: &Address, text: &str, timestamp: i64) -> String {
    let mut env = envelope(from, timestamp);
    env.data_message = Some(DataMessage {
        timestamp,
        message: text.to_owned(),
        expires_in_seconds: 0,
        view_once: false,
    });
    to_line(account, env)
}

/// A receipt from `from` for our message(s) `targets` (send timestamps).
pub(crate) fn receipt(account: &str, from: &Address, kind: Receipt, targets: &[i64]) -> String {
    let now = now_ms();
    let mut env = envelope(from, now);
    env.receipt_message = Some(ReceiptMessage {
        when: now,
        is_delivery: kind == Receipt::Delivery,
        is_read: kind == Receipt::Read,
        is_viewed: false,
        timestamps: targets.to_vec(),
    });
    to_line(account, env)
}
