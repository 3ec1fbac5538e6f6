//! Signal, through signal-cli's JSON-RPC daemon (PROTOCOLS.md §6): `send` over
//! `POST /api/v1/rpc`, incoming messages and receipts over the SSE stream `/api/v1/events`.
//! There is no maintained Rust client for it; this is a few JSON-RPC calls and a line reader.

pub mod client;
pub mod events;

pub use client::SignalClient;
