//! Twilio: the REST client that sends SMS, and the signature check of its webhooks.

pub mod account;
pub mod client;
pub mod recordings;
pub mod signature;

pub use client::{is_unsubscribed, TwilioClient, UNSUBSCRIBED};
