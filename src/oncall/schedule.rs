//! `oncall.schedule`: weekly hours per dashboard account, in `network.timezone`. A shift that
//! began after the account last set its switch puts it on duty for the rest of the shift; DUTY
//! OFF during a shift takes it off until the next one; DUTY ON outside any shift holds until
//! DUTY OFF.

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// One line: days and hours, `mon-fri 18:00-08:00` (an end at or before the start runs past
/// midnight), `sat 00:00-24:00`, `sun 09:00-17:00`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shift {
    /// Monday first.
    days: [bool; 7],
    /// Minutes after midnight; `end` may be 1440.
    start: i32,
    end: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule(Vec<Shift>);

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn day(text: &str) -> Result<usize, String> {
    DAYS.iter()
        .position(|d| text.eq_ignore_ascii_case(d))
        .ok_or_else(|| format!("{text:?} is not a day (mon, tue, wed, thu, fri, sat, sun)"))
}

fn minutes(text: &str, end: bool) -> Result<i32, String> {
    let bad = || format!("{text:?} is not a time (HH:MM, 00:00 to 24:00)");
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    let (h, m): (i32, i32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    let total = h * 60 + m;
    let max = if end { 1440 } else { 1439 };
    if !(0..60).contains(&m) || !(0..=max).contains(&total) || h < 0 {
        return Err(bad());
    }
    Ok(total)
}

fn shift(line: &str) -> Result<Shift, String> {
    let (days_text, hours) = line
        .trim()
        .split_once(' ')
        .ok_or_else(|| format!("{line:?}: write days and hours, like \"mon-fri 18:00-08:00\""))?;
    let mut days = [false; 7];
    match days_text.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (day(a)?, day(b)?);
            let mut d = a;
            loop {
                days[d] = true;
                if d == b {
                    break;
                }
                d = (d + 1) % 7;
            }
        }
        None => days[day(days_text)?] = true,
    }
    let (start, end) = hours
        .trim()
        .split_once('-')
        .ok_or_else(|| format!("{line:?}: hours are START-END, like 18:00-08:00"))?;
    let (start, end) = (minutes(start.trim(), false)?, minutes(end.trim(), true)?);
    if start == end {
        return Err(format!(
            "{line:?}: a shift must not start and end at the same time"
        ));
    }
    Ok(Shift { days, start, end })
}

impl Schedule {
    /// Parses the lines; the error names the line and what is wrong with it.
    pub fn parse(lines: &[String]) -> Result<Schedule, String> {
        lines
            .iter()
            .map(|l| shift(l))
            .collect::<Result<_, _>>()
            .map(Schedule)
    }

    /// When the shift that is on at `now_ms` began (ms since the epoch), if one is on.
    pub fn shift_start(&self, tz: &TimeZone, now_ms: i64) -> Option<i64> {
        let now = Timestamp::from_millisecond(now_ms).ok()?.to_zoned(tz.clone());
        let today = now.date();
        let minute = i32::from(now.hour()) * 60 + i32::from(now.minute());
        let yesterday = today.yesterday().ok()?;
        let begun = |date: Date, start: i32| -> Option<i64> {
            let at = date
                .at((start / 60) as i8, (start % 60) as i8, 0, 0)
                .to_zoned(tz.clone())
                .ok()?;
            Some(at.timestamp().as_millisecond())
        };
        let on = |date: Date, s: &Shift| s.days[index(date.weekday())];
        self.0
            .iter()
            .filter_map(|s| {
                if s.start < s.end {
                    (on(today, s) && (s.start..s.end).contains(&minute)).then(|| begun(today, s.start))?
                } else if on(today, s) && minute >= s.start {
                    begun(today, s.start)
                } else if on(yesterday, s) && minute < s.end {
                    begun(yesterday, s.start)
                } else {
                    None
                }
            })
            .max()
    }
}

fn index(day: Weekday) -> usize {
    day.to_monday_zero_offset() as usize
}

/// On duty at `now_ms`: the switch is on, or a scheduled shift began after it was last set.
pub fn on_duty(
    switch: bool,
    set_at: Option<i64>,
    schedule: Option<&Schedule>,
    tz: &TimeZone,
    now_ms: i64,
) -> bool {
    switch
        || schedule
            .and_then(|s| s.shift_start(tz, now_ms))
            .is_some_and(|start| set_at.is_none_or(|set| set < start))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(tz: &TimeZone, text: &str) -> i64 {
        let dt: jiff::civil::DateTime = text.parse().expect("a date and time");
        dt.to_zoned(tz.clone())
            .expect("a local time")
            .timestamp()
            .as_millisecond()
    }

    fn lines(l: &[&str]) -> Schedule {
        Schedule::parse(&l.iter().map(|s| s.to_string()).collect::<Vec<_>>()).expect("valid")
    }

    #[test]
    fn nights_run_past_midnight_in_the_networks_time() {
        let la = TimeZone::get("America/Los_Angeles").expect("a zone");
        let s = lines(&["mon-fri 18:00-08:00"]);
        // Wednesday 2026-12-02.
        assert_eq!(
            s.shift_start(&la, at(&la, "2026-12-02T19:30")),
            Some(at(&la, "2026-12-02T18:00"))
        );
        assert_eq!(
            s.shift_start(&la, at(&la, "2026-12-03T07:59")),
            Some(at(&la, "2026-12-02T18:00"))
        );
        assert_eq!(s.shift_start(&la, at(&la, "2026-12-03T08:00")), None);
        assert_eq!(s.shift_start(&la, at(&la, "2026-12-02T12:00")), None);
        // Friday night runs into Saturday morning; Saturday evening is off.
        assert!(s.shift_start(&la, at(&la, "2026-12-05T03:00")).is_some());
        assert_eq!(s.shift_start(&la, at(&la, "2026-12-05T19:00")), None);
        // The same instant is 20:00 in UTC: on duty there, off in Los Angeles.
        let utc = TimeZone::UTC;
        assert!(s.shift_start(&utc, at(&la, "2026-12-02T12:00")).is_some());
    }

    #[test]
    fn weekends_whole_days_and_wrapping_day_ranges() {
        let utc = TimeZone::UTC;
        let s = lines(&["sat-sun 00:00-24:00", "fri-mon 12:00-13:00"]);
        assert!(
            s.shift_start(&utc, at(&utc, "2026-12-06T23:59")).is_some(),
            "Sunday night"
        );
        assert!(
            s.shift_start(&utc, at(&utc, "2026-12-07T12:30")).is_some(),
            "Monday noon"
        );
        assert_eq!(
            s.shift_start(&utc, at(&utc, "2026-12-08T12:30")),
            None,
            "Tuesday noon"
        );
    }

    #[test]
    fn the_switch_and_the_schedule_together() {
        let utc = TimeZone::UTC;
        let s = lines(&["wed 18:00-22:00"]);
        let during = at(&utc, "2026-12-02T19:00");
        let before = at(&utc, "2026-12-02T10:00");
        let after_start = at(&utc, "2026-12-02T18:30");
        assert!(on_duty(false, None, Some(&s), &utc, during), "scheduled");
        assert!(
            on_duty(false, Some(before), Some(&s), &utc, during),
            "off earlier: the shift puts them on"
        );
        assert!(
            !on_duty(false, Some(after_start), Some(&s), &utc, during),
            "DUTY OFF during the shift"
        );
        assert!(
            !on_duty(false, None, Some(&s), &utc, at(&utc, "2026-12-02T23:00")),
            "the shift is over"
        );
        assert!(on_duty(true, Some(before), None, &utc, before), "DUTY ON holds");
    }

    #[test]
    fn mistakes_name_the_line_and_the_reason() {
        for (line, says) in [
            ("weekdays 18:00-08:00", "not a day"),
            ("mon 18:00", "START-END"),
            ("mon 25:00-08:00", "not a time"),
            ("mon 18:60-19:00", "not a time"),
            ("mon 18:00-18:00", "same time"),
            ("mon", "days and hours"),
        ] {
            let e = Schedule::parse(&[line.to_string()]).expect_err(line);
            assert!(e.contains(says), "{line}: {e}");
        }
    }
}
