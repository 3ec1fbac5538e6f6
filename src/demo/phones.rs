//! The simulated phones: texting the hotline as one of them (a signed SMS through the fake
//! Twilio to tocsin's real webhook, or a message on the fake Signal bridge for those on Signal),
//! and every phone's conversation, from the fakes' logs and what the phones sent.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use tocsin_fakes::{FakeSignal, FakeTwilio, Signing};

use super::people::Person;

/// One message in a phone's conversation.
#[derive(Debug, Clone)]
pub struct Line {
    /// The phone sent it (to the hotline); else tocsin sent it to the phone.
    pub from_phone: bool,
    /// `sms` or `signal`.
    pub channel: &'static str,
    pub body: String,
    pub at: Instant,
}

/// Where tocsin's sends were read up to: (fake Twilio's messages, fake Signal's sends).
#[derive(Debug, Clone, Copy, Default)]
pub struct Cursor(usize, usize);

pub struct Phones {
    pub twilio: FakeTwilio,
    pub signal: FakeSignal,
    pub hotline: String,
    sms_url: String,
    people: std::sync::OnceLock<Vec<Person>>,
    /// What the phones texted, and tocsin's direct replies (TwiML), which no fake logs.
    said: Mutex<Vec<(String, Line)>>,
}

impl Phones {
    pub fn new(twilio: FakeTwilio, signal: FakeSignal, hotline: &str, base: &str) -> Phones {
        Phones {
            twilio,
            signal,
            hotline: hotline.to_string(),
            sms_url: format!("{base}/webhooks/twilio/sms"),
            people: std::sync::OnceLock::new(),
            said: Mutex::new(Vec::new()),
        }
    }

    /// The simulated volunteers (set once, after they are on the roster).
    pub fn set_people(&self, people: Vec<Person>) {
        let _ = self.people.set(people);
    }

    pub fn people(&self) -> &[Person] {
        self.people.get().map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn person(&self, phone: &str) -> Option<&Person> {
        self.people().iter().find(|p| p.phone == phone)
    }

    fn note(&self, phone: &str, line: Line) {
        if let Ok(mut said) = self.said.lock() {
            said.push((phone.to_string(), line));
        }
    }

    /// `phone` texts the hotline: on Signal if it is a volunteer on Signal, else by SMS.
    pub async fn text(&self, phone: &str, body: &str) -> anyhow::Result<()> {
        let signal = self.person(phone).is_some_and(|p| p.signal);
        let channel = if signal { "signal" } else { "sms" };
        self.note(
            phone,
            Line {
                from_phone: true,
                channel,
                body: body.to_string(),
                at: Instant::now(),
            },
        );
        if signal {
            self.signal.incoming(phone, body);
            return Ok(());
        }
        let reply = self
            .twilio
            .send_inbound_sms(&self.sms_url, phone, &self.hotline, body, Signing::Valid)
            .await?;
        if reply.status >= 300 {
            anyhow::bail!("the hotline's webhook answered {}", reply.status);
        }
        for message in twiml_messages(&reply.body) {
            self.note(
                phone,
                Line {
                    from_phone: false,
                    channel,
                    body: message,
                    at: Instant::now(),
                },
            );
        }
        Ok(())
    }

    /// Where tocsin's sends stand now.
    pub fn cursor(&self) -> Cursor {
        Cursor(self.twilio.message_count(), self.signal.sent().len())
    }

    /// What tocsin sent (to, body) since `from`, on either channel.
    pub fn sent_since(&self, from: Cursor) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .twilio
            .messages()
            .into_iter()
            .skip(from.0)
            .map(|m| (m.to, m.body))
            .collect();
        for call in self.signal.sent().into_iter().skip(from.1) {
            for (to, kind) in &call.results {
                if kind == "SUCCESS" {
                    out.push((to.clone(), call.message.clone()));
                }
            }
        }
        out
    }

    /// Every phone's conversation, oldest first, by number.
    pub fn conversations(&self) -> BTreeMap<String, Vec<Line>> {
        let mut all: BTreeMap<String, Vec<Line>> = BTreeMap::new();
        if let Ok(said) = self.said.lock() {
            for (phone, line) in said.iter() {
                all.entry(phone.clone()).or_default().push(line.clone());
            }
        }
        for m in self.twilio.messages() {
            all.entry(m.to.clone()).or_default().push(Line {
                from_phone: false,
                channel: "sms",
                body: m.body,
                at: m.accepted_at,
            });
        }
        let (now, now_ms) = (Instant::now(), epoch_ms());
        for call in self.signal.sent() {
            // Signal's timestamps are wall-clock milliseconds.
            let ago = std::time::Duration::from_millis(now_ms.saturating_sub(call.timestamp).max(0) as u64);
            let at = now.checked_sub(ago).unwrap_or(now);
            for (to, kind) in &call.results {
                if kind == "SUCCESS" {
                    all.entry(to.clone()).or_default().push(Line {
                        from_phone: false,
                        channel: "signal",
                        body: call.message.clone(),
                        at,
                    });
                }
            }
        }
        for lines in all.values_mut() {
            lines.sort_by_key(|l| l.at);
        }
        all
    }
}

fn epoch_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The texts of a TwiML answer's `<Message>` elements, unescaped.
pub fn twiml_messages(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<Message") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else { break };
        let body = &after[open_end + 1..];
        let Some(close) = body.find("</Message>") else {
            break;
        };
        out.push(unescape(&body[..close]));
        rest = &body[close..];
    }
    out
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    #[test]
    fn twiml_messages_are_read_and_unescaped() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks &amp; stay &lt;safe&gt;</Message><Message to="x">2</Message></Response>"#;
        assert_eq!(super::twiml_messages(xml), ["Thanks & stay <safe>", "2"]);
        assert!(super::twiml_messages("<Response/>").is_empty());
    }
}
