//! Test doubles for the services tocsin talks to, behaving like the real ones (real HTTP on
//! 127.0.0.1, real signatures, real status codes and error bodies) so that tests passing
//! against them mean something. Protocol facts come from `/work/shared/PROTOCOLS.md`.
//!
//! Currently: [`twilio`] (REST send API, status callbacks, inbound SMS webhooks) and
//! [`signal`] (signal-cli's HTTP JSON-RPC daemon: `send`, receipts and inbound messages on
//! the SSE event stream, daemon down/restart). Everything in them is re-exported at the crate
//! root, so tests write `tocsin_fakes::FakeTwilio` and `tocsin_fakes::FakeSignal`.

pub mod signal;
pub mod twilio;

pub use signal::*;
pub use twilio::*;
