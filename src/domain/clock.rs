//! Times as people read them, in the network's time zone (`network.timezone`): on the
//! dashboard "05:42 (3 min ago)", in a text "17:30" or a short date and time. The JSON API
//! keeps milliseconds since the epoch.

use jiff::tz::TimeZone;
use jiff::Timestamp;

/// One instant on the local clock: the date and the time of day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Local {
    pub year: i16,
    pub month: i8,
    pub day: i8,
    /// "05:42", 24-hour.
    pub time: String,
    /// On the same local day as "now".
    pub today: bool,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `at_ms` on the local clock of `tz`, seen at `now_ms`.
pub fn local(at_ms: i64, now_ms: i64, tz: &TimeZone) -> Local {
    let at = Timestamp::from_millisecond(at_ms)
        .unwrap_or(Timestamp::MAX)
        .to_zoned(tz.clone());
    let now = Timestamp::from_millisecond(now_ms)
        .unwrap_or(Timestamp::MAX)
        .to_zoned(tz.clone());
    Local {
        year: at.year(),
        month: at.month(),
        day: at.day(),
        time: format!("{:02}:{:02}", at.hour(), at.minute()),
        today: at.date() == now.date(),
    }
}

/// The local clock time: "05:42" today, "Dec 2 05:42" on another day this year,
/// "2025-12-02 05:42" in another year.
pub fn clock(at_ms: i64, now_ms: i64, tz: &TimeZone) -> String {
    let at = local(at_ms, now_ms, tz);
    let this_year = local(now_ms, now_ms, tz).year;
    let month = MONTHS[(at.month.clamp(1, 12) - 1) as usize];
    match (at.today, at.year == this_year) {
        (true, _) => at.time,
        (false, true) => format!("{month} {} {}", at.day, at.time),
        (false, false) => format!("{}-{:02}-{:02} {}", at.year, at.month, at.day, at.time),
    }
}

/// How far `at_ms` is from `now_ms`: "12 s ago", "4 min ago", "3 h ago", "2 d ago", or "in 8 h".
pub fn relative(at_ms: i64, now_ms: i64) -> String {
    let s = now_ms.saturating_sub(at_ms) / 1000;
    let span = |s: i64| match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s / 60),
        3600..86400 => format!("{} h", s / 3600),
        _ => format!("{} d", s / 86400),
    };
    match s {
        s if s >= 0 => format!("{} ago", span(s)),
        // Ahead, a part minute counts: a pause of 3 h that began seconds ago ends "in 3 h".
        s => format!("in {}", span(s.saturating_neg().saturating_add(59))),
    }
}

/// A time as the dashboard shows it: "05:42 (3 min ago)", "Dec 2 23:10 (7 h ago)".
pub fn when(at_ms: i64, now_ms: i64, tz: &TimeZone) -> String {
    format!("{} ({})", clock(at_ms, now_ms, tz), relative(at_ms, now_ms))
}

/// An instant for machines, in RFC 3339 with the local offset ("2026-12-03T05:42:00-08:00"):
/// a tool reading the API sees the same clock time as the dashboard, and the offset keeps it
/// exact. Times out of range are clamped, never a panic.
pub fn rfc3339(at_ms: i64, tz: &TimeZone) -> String {
    let at = Timestamp::from_millisecond(at_ms)
        .unwrap_or(if at_ms < 0 { Timestamp::MIN } else { Timestamp::MAX })
        .to_zoned(tz.clone());
    at.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn la() -> TimeZone {
        TimeZone::get("America/Los_Angeles").expect("the bundled tzdb has Los Angeles")
    }

    fn ms(rfc3339: &str) -> i64 {
        rfc3339
            .parse::<Timestamp>()
            .expect("a timestamp")
            .as_millisecond()
    }

    #[test]
    fn dashboard_times_are_local_with_the_date_when_not_today() {
        let now = ms("2026-12-03T13:45:00Z"); // 05:45 in Los Angeles (PST, -8)
        assert_eq!(when(ms("2026-12-03T13:42:00Z"), now, &la()), "05:42 (3 min ago)");
        assert_eq!(
            when(ms("2026-12-03T07:10:00Z"), now, &la()),
            "Dec 2 23:10 (6 h ago)"
        );
        assert_eq!(when(ms("2026-12-03T21:30:00Z"), now, &la()), "13:30 (in 7 h)");
        assert_eq!(relative(now + 3 * 3_600_000 - 5_000, now), "in 3 h");
        assert_eq!(relative(now - 3 * 3_600_000 + 5_000, now), "2 h ago");
        assert_eq!(clock(ms("2025-12-31T20:00:00Z"), now, &la()), "2025-12-31 12:00");
        assert_eq!(
            when(ms("2026-12-03T13:42:00Z"), now, &TimeZone::UTC),
            "13:42 (3 min ago)"
        );
    }

    #[test]
    fn daylight_saving_time_moves_the_clock() {
        // Summer: PDT, UTC-7; winter: PST, UTC-8.
        let july = ms("2026-07-04T19:00:00Z");
        assert_eq!(clock(july, july, &la()), "12:00");
        let december = ms("2026-12-04T19:00:00Z");
        assert_eq!(clock(december, december, &la()), "11:00");
        // The night the clocks go back (2026-11-01): 01:30 happens twice.
        let first = ms("2026-11-01T08:30:00Z");
        let second = ms("2026-11-01T09:30:00Z");
        assert_eq!(clock(first, second, &la()), "01:30");
        assert_eq!(clock(second, second, &la()), "01:30");
        let next = local(ms("2026-11-02T07:59:00Z"), second, &la());
        assert_eq!((next.month, next.day, next.today), (11, 1, true));
    }

    #[test]
    fn machine_times_carry_the_local_offset() {
        let winter = ms("2026-12-03T13:42:10Z");
        assert_eq!(rfc3339(winter, &la()), "2026-12-03T05:42:10-08:00");
        let summer = ms("2026-07-04T19:00:00Z");
        assert_eq!(rfc3339(summer, &la()), "2026-07-04T12:00:00-07:00");
        assert_eq!(rfc3339(winter, &TimeZone::UTC), "2026-12-03T13:42:10+00:00");
        let back = rfc3339(winter, &la()).parse::<Timestamp>().ok();
        assert_eq!(back.map(|t| t.as_millisecond()), Some(winter));
    }

    #[test]
    fn out_of_range_times_do_not_panic() {
        let _ = rfc3339(i64::MAX, &la());
        let _ = rfc3339(i64::MIN, &la());
        let _ = when(i64::MAX, 0, &la());
        let _ = when(i64::MIN, 0, &la());
    }
}
