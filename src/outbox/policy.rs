//! What to do after a try, decided without I/O: from the provider's answer, what we know of
//! the delivery and the time, one `Next` that the outbox then applies to the store. Every
//! retry, stale, failover and opt-out rule lives here, so each can be tested on its own.

use crate::channels::{Accepted, SendError};
use crate::domain::Channel;

use super::retry;

/// What the policy needs to know of a claimed delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub channel: Channel,
    /// Tries so far, this one included (1 = the first).
    pub attempts: i64,
    pub created_at: i64,
    /// After this the alert is stale: it is not sent, nor retried past it.
    pub expires_at: i64,
    /// `signal.failover_after_s`: a Signal delivery not taken by then becomes an SMS one.
    pub failover_after_s: u64,
    /// In [0, 1), drawn by the caller so that the decision stays pure.
    pub jitter: f64,
}

/// What becomes of the delivery.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    /// The provider took it; its id for receipts when it gave one.
    Submitted { provider_id: Option<String> },
    /// Back to the queue, due again at `at`. `misconfigured`: our settings are at fault.
    Retry {
        at: i64,
        reason: String,
        misconfigured: bool,
    },
    /// Refused for good (bad number, not allowed).
    Fail { reason: String },
    /// Refused because the recipient unsubscribed: failed, and they are taken off the list.
    OptedOut { reason: String },
    /// The next try would come after the alert is stale: given up.
    Stale { reason: String },
    /// Signal could not take it (or not in time): an SMS delivery replaces it, once.
    FailOver { reason: String },
}

/// Before sending: a delivery whose alert went stale meanwhile is not sent, and counts as a
/// permanent refusal (a Signal one still fails over, as it always has).
pub fn before_send(facts: &Facts, now: i64) -> Result<(), SendError> {
    if now > facts.expires_at {
        return Err(SendError::permanent("alert went stale before it could be sent"));
    }
    Ok(())
}

pub fn decide(outcome: Result<Accepted, SendError>, facts: &Facts, now: i64) -> Next {
    let signal = facts.channel == Channel::Signal;
    let e = match outcome {
        Ok(accepted) => {
            return Next::Submitted {
                provider_id: Some(accepted.provider_id).filter(|p| !p.is_empty()),
            }
        }
        Err(SendError::Permanent { reason, .. }) if signal => return Next::FailOver { reason },
        Err(SendError::Permanent {
            reason,
            opted_out: true,
        }) => return Next::OptedOut { reason },
        Err(SendError::Permanent { reason, .. }) => return Next::Fail { reason },
        Err(e) => e,
    };
    let after = match &e {
        SendError::Retryable {
            after: Some(after), ..
        } => *after,
        _ => std::time::Duration::ZERO,
    };
    let delay = retry::backoff(facts.attempts, facts.jitter).max(after);
    let mut at = now + delay.as_millis() as i64;
    let failover_at = facts.created_at + facts.failover_after_s as i64 * 1000;
    if signal && at >= failover_at {
        if now >= failover_at {
            let reason = format!("Signal could not take it within {}s: {e}", facts.failover_after_s);
            return Next::FailOver { reason };
        }
        // Come back exactly when failing over is due rather than after it.
        at = failover_at;
    }
    if at > facts.expires_at {
        let reason = format!("gave up after {} attempts, alert stale: {e}", facts.attempts);
        return Next::Stale { reason };
    }
    Next::Retry {
        at,
        misconfigured: matches!(e, SendError::Config(_)),
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const NOW: i64 = 1_000_000;

    fn facts(channel: Channel) -> Facts {
        Facts {
            channel,
            attempts: 1,
            created_at: NOW - 1_000,
            expires_at: NOW + 600_000,
            failover_after_s: 60,
            jitter: 0.5,
        }
    }

    fn refused(opted_out: bool) -> Result<Accepted, SendError> {
        Err(SendError::Permanent {
            reason: "Twilio 21211 (HTTP 400)".into(),
            opted_out,
        })
    }

    #[test]
    fn a_taken_message_is_submitted_with_its_id_if_any() {
        let taken = |id: &str| {
            Ok(Accepted {
                provider_id: id.into(),
            })
        };
        assert_eq!(
            decide(taken("SM1"), &facts(Channel::Sms), NOW),
            Next::Submitted {
                provider_id: Some("SM1".into())
            }
        );
        assert_eq!(
            decide(taken(""), &facts(Channel::Signal), NOW),
            Next::Submitted { provider_id: None }
        );
    }

    #[test]
    fn a_permanent_refusal_fails_an_sms_and_fails_a_signal_message_over() {
        let sms = decide(refused(false), &facts(Channel::Sms), NOW);
        assert_eq!(
            sms,
            Next::Fail {
                reason: "Twilio 21211 (HTTP 400)".into()
            }
        );
        let signal = decide(refused(false), &facts(Channel::Signal), NOW);
        assert!(matches!(signal, Next::FailOver { .. }), "{signal:?}");
    }

    #[test]
    fn an_unsubscribed_recipient_is_opted_out() {
        assert!(matches!(
            decide(refused(true), &facts(Channel::Sms), NOW),
            Next::OptedOut { .. }
        ));
    }

    #[test]
    fn a_transient_error_is_retried_after_the_backoff_or_the_providers_wait() {
        let f = facts(Channel::Sms);
        match decide(Err(SendError::retry("HTTP 503")), &f, NOW) {
            Next::Retry {
                at,
                misconfigured,
                reason,
            } => {
                assert_eq!(at, NOW + 1_000);
                assert!(!misconfigured);
                assert_eq!(reason, "transient: HTTP 503");
            }
            other => panic!("{other:?}"),
        }
        let limited = SendError::Retryable {
            reason: "429".into(),
            after: Some(Duration::from_secs(30)),
        };
        assert!(matches!(decide(Err(limited), &f, NOW), Next::Retry { at, .. } if at == NOW + 30_000));
    }

    #[test]
    fn a_configuration_error_is_retried_and_flagged() {
        let next = decide(Err(SendError::Config("401".into())), &facts(Channel::Sms), NOW);
        assert!(
            matches!(
                next,
                Next::Retry {
                    misconfigured: true,
                    ..
                }
            ),
            "{next:?}"
        );
    }

    #[test]
    fn a_retry_past_the_alerts_expiry_gives_up_as_stale() {
        let mut f = facts(Channel::Sms);
        f.expires_at = NOW + 500;
        match decide(Err(SendError::retry("timeout")), &f, NOW) {
            Next::Stale { reason } => assert!(reason.starts_with("gave up after 1 attempts"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_signal_retry_comes_back_exactly_when_failover_is_due() {
        let mut f = facts(Channel::Signal);
        f.created_at = NOW - 59_500; // failover due in 500 ms, before the 1 s backoff
        assert!(matches!(
            decide(Err(SendError::retry("bridge timed out")), &f, NOW),
            Next::Retry { at, .. } if at == NOW + 500
        ));
    }

    #[test]
    fn a_signal_retry_once_failover_is_due_fails_over() {
        let mut f = facts(Channel::Signal);
        f.created_at = NOW - 60_000;
        match decide(Err(SendError::retry("bridge unreachable")), &f, NOW) {
            Next::FailOver { reason } => assert!(reason.starts_with("Signal could not take it within 60s")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_sms_retry_never_fails_over() {
        let mut f = facts(Channel::Sms);
        f.created_at = NOW - 600_000;
        assert!(matches!(
            decide(Err(SendError::retry("x")), &f, NOW),
            Next::Retry { .. }
        ));
    }

    #[test]
    fn a_stale_alert_is_not_sent() {
        let f = facts(Channel::Sms);
        assert!(before_send(&f, NOW).is_ok());
        assert!(matches!(
            before_send(&f, f.expires_at + 1),
            Err(SendError::Permanent { opted_out: false, .. })
        ));
    }
}
