//! Wake-up calls (issue 17 §2): whether a volunteer is called for a confirmed alert, what a
//! call's status means for its delivery, and the one retry. Pure: no clock of its own.

use super::DeliveryStatus;

/// When a volunteer wants a call after a confirmed first alert's text (`call` in the API,
/// stored in `volunteers.call`). `Night`: only in `network.night_hours`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CallWhen {
    #[default]
    Never,
    Night,
    Always,
}

impl CallWhen {
    /// Whether an alert now calls this volunteer (`night`: now is in `network.night_hours`).
    pub fn calls(self, night: bool) -> bool {
        match self {
            CallWhen::Never => false,
            CallWhen::Night => night,
            CallWhen::Always => true,
        }
    }

    /// The stored values an alert calls, as an SQL list: `('always')` by day.
    pub fn called_sql(night: bool) -> &'static str {
        if night {
            "('night', 'always')"
        } else {
            "('always')"
        }
    }
}

/// Twilio's `CallStatus` (PROTOCOLS §11.3) as a delivery status; unknown ones are ignored.
/// `queued` and `initiated` say no more than `Submitted`.
pub fn call_status(status: &str) -> Option<DeliveryStatus> {
    Some(match status {
        "queued" | "initiated" => DeliveryStatus::Submitted,
        "ringing" => DeliveryStatus::Ringing,
        "in-progress" | "answered" => DeliveryStatus::InProgress,
        "completed" => DeliveryStatus::Completed,
        "no-answer" => DeliveryStatus::NoAnswer,
        "busy" => DeliveryStatus::Busy,
        "failed" => DeliveryStatus::Failed,
        "canceled" => DeliveryStatus::Canceled,
        _ => return None,
    })
}

/// Whether a call that ended so is placed again: unanswered or busy, once (the repeat-call
/// rule: a second call within minutes gets through Do Not Disturb), never a third time.
/// `placed`: calls placed for this delivery so far, the one that ended included.
pub fn call_again(ended: DeliveryStatus, placed: i64) -> bool {
    matches!(ended, DeliveryStatus::NoAnswer | DeliveryStatus::Busy) && placed < 2
}

/// Night hours as configured (`"22-7"`: from 22:00 to 07:00 the next morning, local time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NightHours {
    pub from: u8,
    pub to: u8,
}

impl NightHours {
    /// Reads `"22-7"`: two hours 0–23, different.
    pub fn parse(text: &str) -> Result<NightHours, String> {
        let (from, to) = text
            .split_once('-')
            .ok_or_else(|| format!("{text:?} is not two hours like \"22-7\""))?;
        let hour = |h: &str| {
            h.trim()
                .parse::<u8>()
                .ok()
                .filter(|h| *h < 24)
                .ok_or_else(|| format!("{h:?} is not an hour from 0 to 23"))
        };
        let (from, to) = (hour(from)?, hour(to)?);
        if from == to {
            return Err(format!("{text:?} starts and ends at the same hour"));
        }
        Ok(NightHours { from, to })
    }

    /// Whether a local hour (0–23) is inside, wrapping past midnight.
    pub fn contains(self, hour: u8) -> bool {
        if self.from < self.to {
            (self.from..self.to).contains(&hour)
        } else {
            hour >= self.from || hour < self.to
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_night_volunteer_is_called_only_at_night_and_never_one_never() {
        assert!(CallWhen::Always.calls(false));
        assert!(CallWhen::Night.calls(true));
        assert!(!CallWhen::Night.calls(false));
        assert!(!CallWhen::Never.calls(true));
        assert_eq!(CallWhen::default(), CallWhen::Never);
        assert_eq!(CallWhen::parse("night"), Some(CallWhen::Night));
        assert_eq!(CallWhen::parse("sometimes"), None);
    }

    #[test]
    fn unanswered_or_busy_calls_are_placed_once_more_and_no_more() {
        assert!(call_again(DeliveryStatus::NoAnswer, 1));
        assert!(call_again(DeliveryStatus::Busy, 1));
        assert!(!call_again(DeliveryStatus::NoAnswer, 2));
        assert!(!call_again(DeliveryStatus::Completed, 1));
        assert!(!call_again(DeliveryStatus::Failed, 1));
    }

    #[test]
    fn twilio_call_statuses_map_onto_delivery_statuses_forward_only() {
        let order = ["initiated", "ringing", "in-progress", "completed"].map(|s| call_status(s).unwrap());
        assert!(order.windows(2).all(|w| w[0].rank() < w[1].rank()), "{order:?}");
        assert!(call_status("no-answer").unwrap().rank() > call_status("in-progress").unwrap().rank());
        assert_eq!(call_status("bogus"), None);
    }

    #[test]
    fn night_hours_wrap_past_midnight() {
        let night = NightHours::parse("22-7").unwrap();
        assert!(night.contains(23) && night.contains(0) && night.contains(6));
        assert!(!night.contains(7) && !night.contains(12) && !night.contains(21));
        let day = NightHours::parse("1-5").unwrap();
        assert!(day.contains(1) && !day.contains(5));
        assert!(NightHours::parse("22").is_err());
        assert!(NightHours::parse("22-24").is_err());
        assert!(NightHours::parse("3-3").is_err());
    }
}
