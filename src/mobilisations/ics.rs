//! The calendar feed of mobilisations (`GET /api/v1/mobilisations.ics`), for dispatchers'
//! calendar apps. A subscribed feed is fetched by the calendar provider's servers and kept
//! there, so it says no more than a coordinator would say on an open channel: the kind, the
//! zone and the public text, never the exact place (that is on the dashboard and the API).

use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, EventStatus};
use jiff::Timestamp;

use crate::domain::MobilisationStatus;
use crate::store::mobilisations::MobilisationRow;

/// How long an event is shown: mobilisations have a start, not an end.
const SHOWN_MS: i64 = 2 * 3_600_000;

/// The feed, one event per mobilisation; `host` makes the events' ids unique to the network.
pub fn feed(network: &str, host: &str, rows: &[MobilisationRow]) -> String {
    let mut cal = Calendar::new();
    cal.name(&format!("{network}: mobilisations"));
    for m in rows {
        let (Some(start), Some(end)) = (utc(m.starts_at), utc(m.starts_at + SHOWN_MS)) else {
            continue;
        };
        let zone = m.zone.as_deref().unwrap_or("no zone");
        let mut event = Event::new();
        event
            .uid(&format!("mobilisation-{}@{host}", m.id))
            .summary(&format!("{} #{} ({zone})", capitalised(&m.kind), m.id))
            .description(&format!(
                "{}\n\n{} wanted. Place: on the dashboard.",
                m.text, m.wanted
            ))
            .location(zone)
            .starts(start)
            .ends(end)
            .status(match m.status {
                MobilisationStatus::Cancelled => EventStatus::Cancelled,
                _ => EventStatus::Confirmed,
            });
        cal.push(event.done());
    }
    cal.done().to_string()
}

fn utc(ms: i64) -> Option<CalendarDateTime> {
    let at = Timestamp::from_millisecond(ms).ok()?;
    at.strftime("%Y%m%dT%H%M%SZ").to_string().parse().ok()
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::mobilisation::Place;
    use crate::domain::{Audience, Disclose};

    fn row(id: i64, status: MobilisationStatus, text: &str) -> MobilisationRow {
        MobilisationRow {
            id,
            kind: "eviction".into(),
            status,
            starts_at: 1_796_916_600_000,
            place: Some(Place {
                typed: "1234 Vermont Ave".into(),
                lat: 34.07,
                lon: -118.29,
                label: "1234 Vermont Ave".into(),
            }),
            zone: Some("Koreatown".into()),
            text: text.into(),
            wanted: 15,
            audience: Some(Audience::RadiusM(1500)),
            disclose: Disclose::Yes,
            reminders_s: None,
            widen_before_s: None,
            created_by: "dispatcher maria".into(),
            created_at: 0,
            updated_at: 0,
            incident_id: Some(id + 100),
            version: 0,
            changed_at: None,
        }
    }

    #[test]
    fn each_mobilisation_is_an_event_without_its_exact_place() {
        let text = feed(
            "Eastside",
            "tocsin.example.org",
            &[
                row(
                    7,
                    MobilisationStatus::Planned,
                    "Lockout at 7:30; bring water, a friend\nand your phone",
                ),
                row(8, MobilisationStatus::Cancelled, "Hearing"),
            ],
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
        assert!(text.contains("UID:mobilisation-7@tocsin.example.org"), "{text}");
        assert!(text.contains("SUMMARY:Eviction #7 (Koreatown)"), "{text}");
        assert!(text.contains("DTSTART:20261210T153000Z"), "{text}");
        assert!(text.contains("DTEND:20261210T173000Z"), "{text}");
        // Text is escaped as RFC 5545 wants: commas, semicolons and line breaks.
        assert!(
            text.contains("Lockout at 7:30\\; bring water\\, a friend\\nand your phone"),
            "{text}"
        );
        assert!(text.contains("STATUS:CANCELLED"), "{text}");
        assert!(!text.contains("Vermont"), "never the exact place: {text}");
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
    }
}
