//! Twilio: the REST clients that send SMS and place calls, and the signature check of its
//! webhooks.

pub mod account;
pub mod calls;
pub mod client;
pub mod recordings;
pub mod signature;

pub use calls::CallClient;
pub use client::{is_unsubscribed, TwilioClient, UNSUBSCRIBED};
