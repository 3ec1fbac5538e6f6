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
}

/// A carrier keyword that is about the subscription, not about an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubscriptionKeyword {
    Stop,
    Start,
    Help,
}
