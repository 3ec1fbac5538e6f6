//! Test doubles for the services tocsin talks to, behaving like the real ones (real HTTP on
//! 127.0.0.1, real signatures, real status codes and error bodies) so that tests passing
//! against them mean something. Protocol facts come from `/work/shared/PROTOCOLS.md`.
//!
//! Currently: [`twilio`] (REST send API, status callbacks, inbound SMS webhooks). Everything
//! in it is re-exported at the crate root, so tests write `tocsin_fakes::FakeTwilio`.

pub mod twilio;

pub use twilio::*;
