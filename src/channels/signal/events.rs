//! The bridge's event stream: Server-Sent Events framing, and the envelopes tocsin cares about
//! (direct text messages and receipts). Everything else (typing, sync, groups, stories,
//! undecryptable envelopes) is ignored.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub enum SignalEvent {
    /// A direct text message to the network's account.
    Message {
        sender: Sender,
        timestamp: i64,
        text: String,
    },
    /// The recipient's device got (or read) the messages sent at these timestamps.
    Receipt {
        sender: Sender,
        read: bool,
        timestamps: Vec<i64>,
    },
    Ignored,
}

/// Who sent an envelope: the number may be hidden; the UUID (ACI) is the stable key.
#[derive(Debug, Clone, PartialEq)]
pub struct Sender {
    pub number: Option<String>,
    pub uuid: Option<String>,
}

/// Reads SSE frames from a byte stream in arbitrary chunks (`event:` / `data:` lines, a blank
/// line ends a frame, `:` lines are keep-alives).
#[derive(Default)]
pub struct SseReader {
    pending: Vec<u8>,
    event: Option<String>,
    data: Vec<String>,
}

/// Longest line we accept; the bridge's lines are one envelope each, far smaller.
const MAX_LINE: usize = 1 << 20;

impl SseReader {
    /// Feeds bytes; returns the complete frames `(event name, data)` they finished.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<(String, String)> {
        self.pending.extend_from_slice(chunk);
        let mut frames = Vec::new();
        while let Some(end) = self.pending.iter().position(|b| *b == b'\n') {
            let raw: Vec<u8> = self.pending.drain(..=end).collect();
            let line = String::from_utf8_lossy(&raw[..raw.len() - 1]);
            let line = line.strip_suffix('\r').unwrap_or(&line);
            if line.is_empty() {
                if !self.data.is_empty() {
                    let event = self.event.take().unwrap_or_else(|| "message".into());
                    frames.push((event, self.data.join("\n")));
                }
                self.event = None;
                self.data.clear();
            } else if line.starts_with(':') {
                // keep-alive comment
            } else {
                let (field, value) = line.split_once(':').unwrap_or((line, ""));
                let value = value.strip_prefix(' ').unwrap_or(value);
                match field {
                    "event" => self.event = Some(value.to_string()),
                    "data" => self.data.push(value.to_string()),
                    _ => {}
                }
            }
        }
        if self.pending.len() > MAX_LINE {
            self.pending.clear();
        }
        frames
    }
}

/// One `receive` frame's JSON: `{"account":..,"envelope":{..}}`.
pub fn parse(data: &str) -> SignalEvent {
    let Ok(value) = serde_json::from_str::<Value>(data) else {
        return SignalEvent::Ignored;
    };
    let Some(envelope) = value.get("envelope") else {
        return SignalEvent::Ignored;
    };
    let text_field = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let sender = Sender {
        number: text_field(envelope, "sourceNumber")
            .or_else(|| text_field(envelope, "source").filter(|s| s.starts_with('+'))),
        uuid: text_field(envelope, "sourceUuid"),
    };
    if sender.number.is_none() && sender.uuid.is_none() {
        return SignalEvent::Ignored;
    }
    if let Some(receipt) = envelope.get("receiptMessage") {
        let flag = |k: &str| receipt.get(k).and_then(Value::as_bool).unwrap_or(false);
        let timestamps: Vec<i64> = receipt
            .get("timestamps")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_i64).collect())
            .unwrap_or_default();
        if timestamps.is_empty() || !(flag("isDelivery") || flag("isRead") || flag("isViewed")) {
            return SignalEvent::Ignored;
        }
        return SignalEvent::Receipt {
            sender,
            read: flag("isRead") || flag("isViewed"),
            timestamps,
        };
    }
    if let Some(message) = envelope.get("dataMessage") {
        // Group messages are conversations among members, not reports to the hotline.
        if message.get("groupInfo").is_some_and(|g| !g.is_null()) {
            return SignalEvent::Ignored;
        }
        let text = message
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim();
        let timestamp = message
            .get("timestamp")
            .or_else(|| envelope.get("timestamp"))
            .and_then(Value::as_i64);
        if let (false, Some(timestamp)) = (text.is_empty(), timestamp) {
            return SignalEvent::Message {
                sender,
                timestamp,
                text: text.to_string(),
            };
        }
    }
    SignalEvent::Ignored
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_read_across_chunk_boundaries_and_keepalives_skipped() {
        let mut reader = SseReader::default();
        assert!(reader.feed(b":\n\nevent:rece").is_empty());
        assert!(reader.feed(b"ive\r\ndata:{\"a\":").is_empty());
        let frames = reader.feed(b"1}\n\n");
        assert_eq!(frames, vec![("receive".to_string(), "{\"a\":1}".to_string())]);
    }

    #[test]
    fn a_direct_message_is_read() {
        let data = r#"{"account":"+12135550100","envelope":{"source":"+13235550199","sourceNumber":"+13235550199","sourceUuid":"u-1","sourceName":"Ana","sourceDevice":1,"timestamp":1763850005000,"serverReceivedTimestamp":1763850005100,"serverDeliveredTimestamp":1763850005200,"dataMessage":{"timestamp":1763850005000,"message":"Y","expiresInSeconds":0,"viewOnce":false}}}"#;
        match parse(data) {
            SignalEvent::Message {
                sender,
                timestamp,
                text,
            } => {
                assert_eq!(sender.number.as_deref(), Some("+13235550199"));
                assert_eq!(sender.uuid.as_deref(), Some("u-1"));
                assert_eq!((timestamp, text.as_str()), (1763850005000, "Y"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn receipts_typing_groups_and_garbage() {
        let receipt = r#"{"envelope":{"sourceUuid":"u-1","sourceNumber":null,"receiptMessage":{"when":1,"isDelivery":true,"isRead":false,"isViewed":false,"timestamps":[42,43]}}}"#;
        assert_eq!(
            parse(receipt),
            SignalEvent::Receipt {
                sender: Sender {
                    number: None,
                    uuid: Some("u-1".into())
                },
                read: false,
                timestamps: vec![42, 43]
            }
        );
        let typing =
            r#"{"envelope":{"sourceUuid":"u-1","typingMessage":{"action":"STARTED","timestamp":1}}}"#;
        assert_eq!(parse(typing), SignalEvent::Ignored);
        let group = r#"{"envelope":{"sourceUuid":"u-1","dataMessage":{"timestamp":1,"message":"hi","groupInfo":{"groupId":"g"}}}}"#;
        assert_eq!(parse(group), SignalEvent::Ignored);
        let reaction = r#"{"envelope":{"sourceUuid":"u-1","dataMessage":{"timestamp":1,"message":null}}}"#;
        assert_eq!(parse(reaction), SignalEvent::Ignored);
        assert_eq!(parse("not json"), SignalEvent::Ignored);
        assert_eq!(parse(r#"{"exception":{"message":"x"}}"#), SignalEvent::Ignored);
    }
}
