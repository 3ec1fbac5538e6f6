//! The providers this instance can send through, keyed by `Channel`. This file is the one place
//! that knows which provider carries which channel: a new provider is a new module beside
//! `twilio` and `signal` and one line in `From<Channels>` (calls are `twilio::calls`).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::signal::SignalClient;
use super::twilio::{CallClient, TwilioClient};
use super::{Accepted, Provider, SendError};
use crate::domain::Channel;

/// The configured clients, as built from the settings (absent: not configured).
pub struct Channels {
    pub sms: Option<TwilioClient>,
    pub signal: Option<SignalClient>,
    /// Wake-up calls, from the Twilio numbers.
    pub voice: Option<CallClient>,
}

impl Channels {
    /// Sends one message outside the outbox (a reporter's news, a dispatcher's page) to `to`
    /// (a number in E.164) on `channel`; a channel not configured is a configuration error.
    pub async fn send(&self, channel: Channel, to: &str, body: &str) -> Result<Accepted, SendError> {
        match channel {
            Channel::Sms => match &self.sms {
                Some(sms) => sms.send(to, body).await,
                None => Err(SendError::Config("SMS is not configured".into())),
            },
            Channel::Signal => match &self.signal {
                Some(signal) => signal.send(to, body).await,
                None => Err(SendError::Config("Signal is not configured".into())),
            },
            // A call is only ever an outbox delivery (it fetches its words by it).
            Channel::Voice => Err(SendError::Config("a call is not a message".into())),
        }
    }
}

/// Providers by channel; a channel without one is not sent on (its deliveries wait).
#[derive(Clone, Default)]
pub struct Registry {
    providers: BTreeMap<Channel, Arc<dyn Provider>>,
}

impl Registry {
    /// Registers `provider` for its channel, replacing any other.
    pub fn with(mut self, provider: impl Provider) -> Registry {
        self.providers.insert(provider.channel(), Arc::new(provider));
        self
    }

    pub fn get(&self, channel: Channel) -> Option<&Arc<dyn Provider>> {
        self.providers.get(&channel)
    }

    /// The channels that have a provider, in `Channel` order.
    pub fn channels(&self) -> Vec<Channel> {
        self.providers.keys().copied().collect()
    }

    pub fn is_empty(&self) -> bool {
        self.providers.is_empty()
    }
}

impl From<Channels> for Registry {
    fn from(c: Channels) -> Registry {
        let mut registry = Registry::default();
        if let Some(sms) = c.sms {
            registry = registry.with(sms);
        }
        if let Some(signal) = c.signal {
            registry = registry.with(signal);
        }
        if let Some(voice) = c.voice {
            registry = registry.with(voice);
        }
        registry
    }
}
