//! End-to-end tests: the real server on a random port, a fake Twilio on another, a fresh
//! database per test, on SQLite and on PostgreSQL. Each scenario runs on both backends.

mod helpers;

mod answers;
mod answers_numbers;
mod api;
mod at_rest;
mod binary;
mod binary_cli;
mod binary_lifecycle;
mod binary_logins;
mod binary_people;
mod binary_places;
mod binary_roles;
mod binary_run;
mod binary_tokens;
mod binary_trust;
mod crash;
mod dashboard;
mod dashboard_http;
mod disk;
mod erasure;
mod escalation;
mod fanout;
mod faults;
mod flow;
mod followup;
mod guard;
mod instances;
mod lifecycle;
mod logins;
mod numbers;
mod pace;
mod selfservice;
mod senders;
mod signal;
mod signal_trail;
mod tokens;
mod tokens_admin;
mod upgrade;
mod verifier_answers;
mod verifiers;
mod vetting;
mod vetting_dashboard;
mod webdriver;
mod webhooks;
