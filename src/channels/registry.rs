//! The providers this instance can send through, keyed by `Channel`. This file is the one place
//! that knows which provider carries which channel: a new provider is a new module beside
//! `twilio` and `signal` and one line in `From<Channels>`.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::signal::SignalClient;
use super::twilio::TwilioClient;
use super::Provider;
use crate::domain::Channel;

/// The configured clients, as built from the settings (absent: not configured).
pub struct Channels {
    pub sms: Option<TwilioClient>,
    pub signal: Option<SignalClient>,
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
        registry
    }
}
