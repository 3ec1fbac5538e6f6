//! Words of the domain that several steps of the flow share.

/// What an incident is about, guessed from a report's words and changeable by a dispatcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Raid,
    Eviction,
    Police,
    Other,
}

/// A volunteer's answer to an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Answer {
    Coming,
    Cant,
    OnScene,
    /// Not sure yet: noted, never counted as coming.
    Maybe,
}

/// What a dashboard account may do. Admins also see whole phone numbers and the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Dispatcher,
    Admin,
}

/// A carrier keyword that is about the subscription, not about an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubscriptionKeyword {
    Stop,
    Start,
    Help,
}
