//! tocsin: a rapid-response alert dispatcher. See DESIGN.md for the flow; each module owns one
//! step of it.

pub mod accounts;
pub mod app;
pub mod audit;
pub mod bench;
pub mod channels;
pub mod cli;
pub mod config;
pub mod crypto;
pub mod demo;
pub mod dispatch;
pub mod domain;
pub mod events;
pub mod geo;
pub mod geocode;
pub mod i18n;
pub mod intake;
pub mod login;
pub mod lookup;
pub mod mobilisations;
pub mod oncall;
pub mod outbox;
pub mod roster;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod tokens;
pub mod vetting;
pub mod web;
pub mod zoning;
